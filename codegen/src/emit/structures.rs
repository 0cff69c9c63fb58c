//! Structures and their builders (shared types, operation inputs and outputs, error structures).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, is_copy, Cx};
use crate::ir::{MemberIr, Presence, Role, RustType, StructIr};

/// A file holding one shared structure and its builder.
pub(crate) fn structure(cx: &Cx, s: &StructIr) -> TokenStream {
    let decl = declaration(cx, s);
    let module_doc = format!(" The `{}` structure and its builder.", s.name);
    quote! {
        #![doc = #module_doc]
        #decl
    }
}

/// The structure, its accessors, its builder and (where needed) a redacting `Debug`.
pub(crate) fn declaration(cx: &Cx, s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let docs = doc_attrs(s.docs.as_deref(), &format!("The `{}` structure.", s.name));
    let fields = s.members.iter().map(|m| field(cx, m));
    let extra_fields = match s.role {
        Role::Output => quote! {
            #[serde(skip)]
            pub(crate) request_id: Option<String>,
        },
        Role::Error => quote! {
            #[serde(skip)]
            pub(crate) meta: ::aws_thin_runtime::ErrorMetadata,
        },
        Role::Input | Role::Shared => quote!(),
    };
    let accessors = s.members.iter().map(|m| accessor(cx, m));
    let extra_accessors = match s.role {
        Role::Output => quote! {
            /// The request id AWS assigned to the call that returned this output.
            pub fn request_id(&self) -> Option<&str> {
                self.request_id.as_deref()
            }
        },
        Role::Error => quote! {
            /// The error's code, message, HTTP status and request id as they arrived.
            pub fn meta(&self) -> &::aws_thin_runtime::ErrorMetadata {
                &self.meta
            }
        },
        Role::Input | Role::Shared => quote!(),
    };
    let sensitive = s.members.iter().any(|m| m.sensitive);
    let debug_derive = if sensitive { quote!() } else { quote!(Debug,) };
    let debug_impl = if sensitive {
        redacting_debug(s)
    } else {
        quote!()
    };
    let serde_derives = match s.role {
        Role::Error => quote!(::serde::Deserialize),
        _ => quote!(::serde::Serialize, ::serde::Deserialize),
    };
    // Mocks answer with a modeled error's JSON body, so it serializes under `test-util`.
    let error_serialize = match s.role {
        Role::Error => cx.test_util_attr(quote!(derive(::serde::Serialize))),
        _ => quote!(),
    };
    let builder_impl = builder_declaration(cx, s);
    let fill_tokens = match s.role {
        Role::Shared => fill_tokens_impl(s),
        _ => quote!(),
    };
    let builder_fn_doc = format!(" A builder for [`{}`].", s.name);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Default, PartialEq, #debug_derive #serde_derives)]
        #error_serialize
        pub struct #name {
            #(#fields)*
            #extra_fields
        }

        impl #name {
            #(#accessors)*
            #extra_accessors
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #debug_impl
        #fill_tokens
        #builder_impl
    }
}

/// Statements filling the unset idempotency tokens of `members` (fields of `target`), directly
/// or inside the structures and unions they hold.
pub(crate) fn fill_tokens(members: &[MemberIr], target: TokenStream) -> Vec<TokenStream> {
    members
        .iter()
        .filter_map(|m| {
            let field = ident(&m.field);
            if m.idempotency_token {
                Some(quote!(#target.#field.get_or_insert_with(::aws_thin_runtime::codec::idempotency_token);))
            } else if m.contains_tokens {
                Some(quote!(::aws_thin_runtime::codec::FillIdempotencyTokens::fill_idempotency_tokens(&mut #target.#field);))
            } else {
                None
            }
        })
        .collect()
}

/// `FillIdempotencyTokens` for a shared structure holding token members, at any depth.
fn fill_tokens_impl(s: &StructIr) -> TokenStream {
    let statements = fill_tokens(&s.members, quote!(self));
    if statements.is_empty() {
        return quote!();
    }
    let name = ident(&s.name);
    quote! {
        impl ::aws_thin_runtime::codec::FillIdempotencyTokens for #name {
            fn fill_idempotency_tokens(&mut self) {
                #(#statements)*
            }
        }
    }
}

fn field(cx: &Cx, m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let ty = cx.field_ty(m);
    let wire = &m.wire_name;
    let mut serde = vec![quote!(rename = #wire)];
    if m.is_error_message {
        // Some services spell it `Message`.
        serde.push(quote!(alias = "Message"));
    }
    let adapter = m.ty.needs_adapter().then(|| cx.adapter(&m.ty));
    match m.presence {
        Presence::Optional => {
            serde.push(quote!(default));
            serde.push(quote!(skip_serializing_if = "Option::is_none"));
            if let Some(adapter) = &adapter {
                let adapter = quote!(::aws_thin_runtime::wire::Opt<#adapter>).to_string();
                push_adapter(&mut serde, &adapter, &adapter);
            }
        }
        // Both read a missing or `null` member as `T::default()`: the model's zero default, or
        // the error-corrected value of a required member the response left out.
        Presence::ZeroDefault | Presence::Required => {
            serde.push(quote!(default));
            if m.omit_default_on_write {
                serde.push(quote!(
                    skip_serializing_if = "::aws_thin_runtime::codec::is_default"
                ));
            }
            match &adapter {
                Some(adapter) => {
                    let read = quote!(::aws_thin_runtime::wire::OrDefault<#adapter>).to_string();
                    push_adapter(&mut serde, &adapter.to_string(), &read);
                }
                None => serde.push(quote!(
                    deserialize_with = "::aws_thin_runtime::codec::null_as_default"
                )),
            }
        }
    }
    quote! {
        #[serde(#(#serde),*)]
        pub(crate) #field: #ty,
    }
}

/// `serialize_with` / `deserialize_with` through `wire` adapters (given as type paths).
fn push_adapter(serde: &mut Vec<TokenStream>, write: &str, read: &str) {
    let compact = |path: &str| path.replace(' ', "");
    let ser = format!(
        "<{} as ::aws_thin_runtime::wire::Wire>::serialize",
        compact(write)
    );
    let de = format!(
        "<{} as ::aws_thin_runtime::wire::Wire>::deserialize",
        compact(read)
    );
    serde.push(quote!(serialize_with = #ser));
    serde.push(quote!(deserialize_with = #de));
}

/// The read accessor: borrowed views for strings, lists and structures; copies for scalars.
fn accessor(cx: &Cx, m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let docs = doc_attrs(m.docs.as_deref(), &format!("The `{}` member.", m.wire_name));
    let item = cx.ty(&m.ty);
    let optional = m.presence == Presence::Optional;
    let (ret, body) = match &m.ty {
        RustType::String if optional => (quote!(Option<&str>), quote!(self.#field.as_deref())),
        RustType::String => (quote!(&str), quote!(&self.#field)),
        RustType::List { item, sparse } => {
            let elem = cx.elem_ty(item, *sparse);
            if optional {
                (
                    quote!(&[#elem]),
                    quote!(self.#field.as_deref().unwrap_or_default()),
                )
            } else {
                (quote!(&[#elem]), quote!(&self.#field))
            }
        }
        ty if is_copy(ty) && optional => (quote!(Option<#item>), quote!(self.#field)),
        ty if is_copy(ty) => (quote!(#item), quote!(self.#field)),
        // `as_deref` sees through the box of recursive members.
        _ if optional && m.boxed => (quote!(Option<&#item>), quote!(self.#field.as_deref())),
        _ if optional => (quote!(Option<&#item>), quote!(self.#field.as_ref())),
        _ => (quote!(&#item), quote!(&self.#field)),
    };
    let list_note = if matches!(m.ty, RustType::List { .. }) && optional {
        quote!(#[doc = ""] #[doc = " An absent list reads as empty."])
    } else {
        quote!()
    };
    quote! {
        #docs
        #list_note
        pub fn #field(&self) -> #ret {
            #body
        }
    }
}

fn redacting_debug(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let name_str = &s.name;
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let label = &m.base;
        if m.sensitive {
            quote!(.field(#label, &"*** redacted ***"))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_str) #(#fields)* .finish_non_exhaustive()
            }
        }
    }
}

/// The builder: every member `Option`, fluent setters, `set_`/`get_` pairs, and `build`.
fn builder_declaration(cx: &Cx, s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let builder = ident(&s.builder);
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = cx.ty(&m.ty);
        quote!(pub(crate) #field: Option<#ty>,)
    });
    let extra_field = match s.role {
        Role::Error => quote!(pub(crate) meta: Option<::aws_thin_runtime::ErrorMetadata>,),
        _ => quote!(),
    };
    let setters = s.members.iter().map(|m| {
        let field = ident(&m.field);
        setters(cx, m, quote!(self.#field))
    });
    let meta_setter = match s.role {
        Role::Error => quote! {
            /// Sets the error metadata (code, message, HTTP status, request id).
            pub fn meta(mut self, meta: ::aws_thin_runtime::ErrorMetadata) -> Self {
                self.meta = Some(meta);
                self
            }
        },
        _ => quote!(),
    };
    let shape_name = &s.name;
    let checks = s.members.iter().filter(|m| m.required).map(|m| {
        let field = ident(&m.field);
        let wire = &m.wire_name;
        let missing = quote!(::aws_thin_runtime::BuildError::missing(#shape_name, #wire));
        if s.role == Role::Input {
            // Inputs keep `Option` fields; only check.
            quote! {
                if self.#field.is_none() {
                    return Err(#missing);
                }
            }
        } else {
            quote! {
                let Some(#field) = self.#field else {
                    return Err(#missing);
                };
            }
        }
    });
    let inits = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let boxed = m.boxed;
        match (s.role, m.presence) {
            (Role::Input, _) | (_, Presence::Optional) if boxed => {
                quote!(#field: self.#field.map(Box::new),)
            }
            (Role::Input, _) | (_, Presence::Optional) => quote!(#field: self.#field,),
            (_, Presence::ZeroDefault) => quote!(#field: self.#field.unwrap_or_default(),),
            // Bound by the check above.
            (_, Presence::Required) if boxed => quote!(#field: Box::new(#field),),
            (_, Presence::Required) => quote!(#field,),
        }
    });
    let extra_init = match s.role {
        Role::Output => quote!(request_id: None,),
        Role::Error => quote!(meta: self.meta.unwrap_or_default(),),
        _ => quote!(),
    };
    let fallible = s.has_required();
    let build = if fallible {
        let required: Vec<&str> = s
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| m.wire_name.as_str())
            .collect();
        let doc = format!(
            " Builds the [`{}`]; fails when a required member ({}) is not set.",
            s.name,
            required.join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#name, ::aws_thin_runtime::BuildError> {
                #(#checks)*
                Ok(#name { #(#inits)* #extra_init })
            }
        }
    } else {
        let doc = format!(" Builds the [`{}`].", s.name);
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #name { #(#inits)* #extra_init }
            }
        }
    };
    let builder_doc = format!(" A builder for [`{}`].", s.name);
    quote! {
        #[doc = #builder_doc]
        #[non_exhaustive]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #builder {
            #(#fields)*
            #extra_field
        }

        impl #builder {
            #(#setters)*
            #meta_setter
            #build
        }
    }
}

/// The fluent setter, `set_` and `get_` for one member; `target` is the builder field expression
/// (the operation's fluent builder delegates to its inner input builder).
pub(crate) fn setters(cx: &Cx, m: &MemberIr, target: TokenStream) -> TokenStream {
    let field = ident(&m.field);
    let set = ident(&m.setter);
    let get = ident(&m.getter);
    let ty = cx.ty(&m.ty);
    let docs = doc_attrs(m.docs.as_deref(), &format!("The `{}` member.", m.wire_name));
    let required = if m.required {
        quote!(#[doc = ""] #[doc = " Required."])
    } else {
        quote!()
    };
    let fluent = match &m.ty {
        RustType::String => quote! {
            pub fn #field(mut self, input: impl Into<String>) -> Self {
                #target = Some(input.into());
                self
            }
        },
        RustType::Blob => quote! {
            pub fn #field(mut self, input: impl Into<::aws_thin_runtime::Blob>) -> Self {
                #target = Some(input.into());
                self
            }
        },
        RustType::List { item, sparse } => {
            let (param, value) = if **item == RustType::String && !sparse {
                (quote!(impl Into<String>), quote!(item.into()))
            } else {
                (cx.elem_ty(item, *sparse), quote!(item))
            };
            quote! {
                #[doc = ""]
                #[doc = " Appends one item to the list."]
                pub fn #field(mut self, item: #param) -> Self {
                    #target.get_or_insert_with(Vec::new).push(#value);
                    self
                }
            }
        }
        RustType::Map { value, sparse } => {
            let value_ty = cx.elem_ty(value, *sparse);
            quote! {
                #[doc = ""]
                #[doc = " Inserts one entry into the map."]
                pub fn #field(mut self, key: impl Into<String>, value: #value_ty) -> Self {
                    #target.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value);
                    self
                }
            }
        }
        _ => quote! {
            pub fn #field(mut self, input: #ty) -> Self {
                #target = Some(input);
                self
            }
        },
    };
    let set_doc = format!(" Sets or clears `{}`.", m.wire_name);
    let get_doc = format!(" The `{}` value set so far.", m.wire_name);
    quote! {
        #docs
        #required
        #fluent
        #[doc = #set_doc]
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            #target = input;
            self
        }
        #[doc = #get_doc]
        pub fn #get(&self) -> &Option<#ty> {
            &#target
        }
    }
}
