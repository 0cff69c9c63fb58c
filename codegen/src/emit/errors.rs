//! Modeled error structures and the per-operation error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::structures::declaration;
use super::{doc_attrs, ident, Cx};
use crate::ir::{OperationIr, Presence, StructIr};

/// A file holding one modeled error structure.
pub(crate) fn error_struct(cx: &Cx, s: &StructIr) -> TokenStream {
    let test_util_cfg = cx.test_util_cfg();
    let decl = declaration(cx, s);
    let name = ident(&s.name);
    let code = &s.name;
    let message = match s.members.iter().find(|m| m.is_error_message) {
        Some(m) if m.presence == Presence::Optional => {
            let field = ident(&m.field);
            quote!(self.#field.as_deref().or(self.meta.message()))
        }
        // A required message is a `String`: empty when the body left it out.
        Some(m) => {
            let field = ident(&m.field);
            quote!(Some(self.#field.as_str())
                .filter(|message| !message.is_empty())
                .or(self.meta.message()))
        }
        None => quote!(self.meta.message()),
    };
    let module_doc = format!(" The `{}` error and its builder.", s.name);
    // Every generated error structure is some operation's error.
    let http_status = cx
        .krate
        .operations
        .iter()
        .flat_map(|op| &op.errors)
        .find(|e| e.type_name == s.name)
        .map_or(400, |e| e.http_status);
    let http_status = proc_macro2::Literal::u16_unsuffixed(http_status);
    quote! {
        #![doc = #module_doc]
        #decl

        impl #name {
            /// The error message, from the body or the error metadata.
            pub fn error_message(&self) -> Option<&str> {
                #message
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                if self.meta.code().is_some() {
                    return ::std::fmt::Display::fmt(&self.meta, f);
                }
                f.write_str(#code)?;
                if let Some(message) = self.error_message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #name {}

        #test_util_cfg
        impl ::aws_thin_runtime::mock::MockableError for #name {
            const CODE: &'static str = #code;
            const HTTP_STATUS: u16 = #http_status;
        }

        impl ::aws_thin_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::aws_thin_runtime::ErrorMetadata {
                &self.meta
            }

            fn code(&self) -> Option<&str> {
                self.meta.code().or(Some(#code))
            }

            fn message(&self) -> Option<&str> {
                self.error_message()
            }
        }
    }
}

/// An operation's error enum: one variant per modeled error plus `Unhandled`.
pub(crate) fn error_enum(cx: &Cx, op: &OperationIr) -> TokenStream {
    let root = cx.root();
    let name = ident(&op.error_name);
    let doc = format!(" The errors `{}` can return.", op.name);
    let variants = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let path = cx.path(&e.type_name);
        let docs = doc_attrs(e.summary.as_deref(), &format!("A `{}`.", e.type_name));
        quote!(#docs #variant(#path),)
    });
    let arms_from = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let path = cx.path(&e.type_name);
        let code = &e.code;
        let fallback = if e.buildable_without_body {
            quote!(.or_else(|| Some(#path::builder().build())))
        } else {
            quote!()
        };
        quote! {
            Some(#code) => {
                match ::aws_thin_runtime::codec::parse_error_body::<#path>(&response.body) #fallback {
                    Some(mut error) => {
                        error.meta = response.meta;
                        #name::#variant(error)
                    }
                    None => #name::Unhandled(#root::error::Unhandled::new(response.meta)),
                }
            }
        }
    });
    let unhandled = quote!(#name::Unhandled(#root::error::Unhandled::new(response.meta)));
    let from_response = if op.errors.is_empty() {
        // Nothing modeled: a `match` with only a wildcard arm is noise (and a clippy warning).
        unhandled
    } else {
        quote! {
            match response.meta.code() {
                #(#arms_from)*
                _ => #unhandled,
            }
        }
    };
    let arms_meta = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        quote!(#name::#variant(error) => error.meta(),)
    });
    let arms_display = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        quote!(#name::#variant(error) => ::std::fmt::Display::fmt(error, f),)
    });
    // Transparent, like Display: returning the variant itself would print its message twice.
    let arms_source = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        quote!(#name::#variant(error) => ::std::error::Error::source(error),)
    });
    let is_fns = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let is_fn = ident(&e.is_fn);
        let doc = format!(" Whether this is a `{}`.", e.code);
        quote! {
            #[doc = #doc]
            pub fn #is_fn(&self) -> bool {
                matches!(self, #name::#variant(_))
            }
        }
    });
    quote! {
        #[doc = #doc]
        ///
        /// Every variant keeps the error's code, message, HTTP status and request id ([`Self::meta`]),
        /// and its `Display` shows them.
        #[non_exhaustive]
        // Variants hold their values inline, as the model does; boxing the large ones would
        // make the API depend on sizes.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error this operation's model does not list, or (from
            /// [`SdkError::into_service_error`](::aws_thin_runtime::SdkError::into_service_error))
            /// a failure that is not a service error.
            ///
            /// Do not match this variant to react to a particular code: a later model can give
            /// that code a variant of its own, and the match would silently stop matching.
            /// Compare [`code()`](Self::code) instead, which keeps working:
            /// `Err(e) if e.code() == Some("ThrottlingException") => ...`.
            Unhandled(#root::error::Unhandled),
        }

        impl #name {
            pub(crate) fn from_response(response: ::aws_thin_runtime::ServiceErrorResponse) -> Self {
                #from_response
            }

            /// The error's code, message, HTTP status and request id.
            pub fn meta(&self) -> &::aws_thin_runtime::ErrorMetadata {
                match self {
                    #(#arms_meta)*
                    #name::Unhandled(error) => error.meta(),
                }
            }

            /// The error code, such as `RepositoryNotFoundException`: the way to react to a code
            /// that has no variant of its own (see `Unhandled`).
            pub fn code(&self) -> Option<&str> {
                self.meta().code()
            }

            /// The error message.
            pub fn message(&self) -> Option<&str> {
                self.meta().message()
            }

            /// The request id AWS assigned to the failed call.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }

            #(#is_fns)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms_display)*
                    #name::Unhandled(error) => ::std::fmt::Display::fmt(error, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#arms_source)*
                    #name::Unhandled(error) => ::std::error::Error::source(error),
                }
            }
        }

        impl ::aws_thin_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::aws_thin_runtime::ErrorMetadata {
                #name::meta(self)
            }
        }

        impl ::aws_thin_runtime::CreateUnhandledError for #name {
            fn create_unhandled_error(
                source: Box<dyn ::std::error::Error + Send + Sync + 'static>,
                meta: ::aws_thin_runtime::ErrorMetadata,
            ) -> Self {
                #name::Unhandled(#root::error::Unhandled::from_source(source, meta))
            }
        }
    }
}
