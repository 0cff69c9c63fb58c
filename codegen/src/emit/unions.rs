//! Tagged unions: one variant per member plus `Unknown`, and the awsJson object form
//! (`{"member": value}`, exactly one member set).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, Cx};
use crate::ir::UnionIr;

pub(crate) fn union(cx: &Cx, u: &UnionIr) -> TokenStream {
    let name = ident(&u.name);
    let module_doc = format!(" The `{}` union.", u.name);
    let docs = doc_attrs(u.docs.as_deref(), &format!("The `{}` union.", u.name));
    let variant_ty = |v: &crate::ir::UnionVariantIr| {
        let ty = cx.ty(&v.ty);
        if v.boxed {
            quote!(Box<#ty>)
        } else {
            ty
        }
    };
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(v.docs.as_deref(), &format!("The `{}` member.", v.wire_name));
        let ty = variant_ty(v);
        quote!(#docs #variant(#ty),)
    });
    let accessors = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let as_fn = ident(&v.as_fn);
        let is_fn = ident(&v.is_fn);
        let ty = cx.ty(&v.ty);
        let as_doc = format!(" The `{}` member, if that is the one set.", v.wire_name);
        let is_doc = format!(" Whether the `{}` member is the one set.", v.wire_name);
        quote! {
            #[doc = #as_doc]
            pub fn #as_fn(&self) -> Option<&#ty> {
                match self {
                    #name::#variant(value) => Some(value),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                matches!(self, #name::#variant(_))
            }
        }
    });
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_name;
        let adapter = cx.adapter(&v.ty);
        let value = if v.boxed { quote!(&**value) } else { quote!(value) };
        quote! {
            #name::#variant(value) => map.serialize_entry(#wire, &::aws_thin_runtime::wire::Ser::<#adapter>(#value))?,
        }
    });
    let deserialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_name;
        let adapter = cx.adapter(&v.ty);
        let wrap = if v.boxed { quote!(#name::#variant(Box::new(value.0))) } else { quote!(#name::#variant(value.0)) };
        quote! {
            #wire => {
                // `null` members are absent.
                if let Some(value) = map.next_value::<Option<::aws_thin_runtime::wire::De<#adapter>>>()? {
                    found = Some(#wrap);
                }
            }
        }
    });
    // Variants holding idempotency tokens (at any depth), filled before sending.
    let with_tokens: Vec<_> = u
        .variants
        .iter()
        .filter(|v| v.contains_tokens)
        .map(|v| ident(&v.name))
        .collect();
    let fill = quote!(::aws_thin_runtime::codec::FillIdempotencyTokens::fill_idempotency_tokens);
    let fill_body = match with_tokens.as_slice() {
        [] => quote!(),
        // One arm and a wildcard would be clippy's `single_match`.
        [variant] => quote! {
            if let #name::#variant(value) = self {
                #fill(value);
            }
        },
        variants => quote! {
            match self {
                #(#name::#variants(value) => #fill(value),)*
                _ => {}
            }
        },
    };
    let fill_tokens = if with_tokens.is_empty() {
        quote!()
    } else {
        quote! {
            impl ::aws_thin_runtime::codec::FillIdempotencyTokens for #name {
                fn fill_idempotency_tokens(&mut self) {
                    #fill_body
                }
            }
        }
    };
    let expecting = format!("a `{}` union object", u.name);
    let empty = format!("a `{}` union with no member set", u.name);
    quote! {
        #![doc = #module_doc]

        #docs
        ///
        /// Exactly one member is set. A member this version of the client does not know is kept
        /// by name in [`Self::Unknown`].
        #[non_exhaustive]
        // Variants hold their values inline, as the model does; boxing the large ones would
        // make the API depend on sizes.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the client does not know (its name).
            Unknown(String),
        }

        impl #name {
            #(#accessors)*
            /// Whether the member set is one this version of the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown(_))
            }
        }

        #fill_tokens

        impl Default for #name {
            /// An unknown member without a name: what a response that leaves out a required
            /// member reads as.
            fn default() -> Self {
                #name::Unknown(String::new())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#serialize_arms)*
                    #name::Unknown(member) => {
                        return Err(::serde::ser::Error::custom(format!("cannot send the unknown union member `{member}`")));
                    }
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;
                impl<'de> ::serde::de::Visitor<'de> for UnionVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut found: Option<#name> = None;
                        while let Some(key) = map.next_key::<::std::borrow::Cow<'de, str>>()? {
                            match &*key {
                                #(#deserialize_arms)*
                                "__type" => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                                other => {
                                    if map.next_value::<Option<::serde::de::IgnoredAny>>()?.is_some() {
                                        found = Some(#name::Unknown(other.to_owned()));
                                    }
                                }
                            }
                        }
                        found.ok_or_else(|| ::serde::de::Error::custom(#empty))
                    }
                }
                deserializer.deserialize_map(UnionVisitor)
            }
        }
    }
}
