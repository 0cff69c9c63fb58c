//! String enums that keep values this client version does not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, Cx};
use crate::ir::{EnumIr, IntEnumIr};

/// A file holding one enum.
pub(crate) fn enumeration(cx: &Cx, e: &EnumIr) -> TokenStream {
    let root = cx.root();
    let name = ident(&e.name);
    let docs = doc_attrs(e.docs.as_deref(), &format!("The `{}` enum.", e.name));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        quote!(#docs #variant,)
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#name::#variant => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => #name::#variant,)
    });
    let values = e.variants.iter().map(|v| &v.value);
    let module_doc = format!(" The `{}` enum.", e.name);
    quote! {
        #![doc = #module_doc]

        #docs
        ///
        /// Values this version of the client does not know are kept in [`Self::Unknown`], so a
        /// response using a newer value still parses and can be sent back unchanged.
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know; [`Self::as_str`] returns it.
            Unknown(#root::types::UnknownValue),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the client knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Unknown(#root::types::UnknownValue(other.to_owned())),
                }
            }
        }

        impl Default for #name {
            /// An empty unknown value: what a response that leaves out a required member reads as.
            fn default() -> Self {
                #name::Unknown(#root::types::UnknownValue(String::new()))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::aws_thin_runtime::codec::deserialize_str(deserializer).map(|value| #name::from(&*value))
            }
        }
    }
}

/// A file holding one `intEnum`.
pub(crate) fn int_enumeration(e: &IntEnumIr) -> TokenStream {
    let name = ident(&e.name);
    let module_doc = format!(" The `{}` enum.", e.name);
    let docs = doc_attrs(e.docs.as_deref(), &format!("The `{}` enum.", e.name));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(v.docs.as_deref(), &format!("`{}`", v.value));
        quote!(#docs #variant,)
    });
    let to_value = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote!(#name::#variant => #value,)
    });
    let from_value = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote!(#value => #name::#variant,)
    });
    let values = e.variants.iter().map(|v| v.value);
    quote! {
        #![doc = #module_doc]

        #docs
        ///
        /// Values this version of the client does not know are kept in [`Self::Unknown`].
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            Unknown(i32),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#to_value)*
                    #name::Unknown(value) => *value,
                }
            }

            /// Every value this version of the client knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl Default for #name {
            /// Unknown value 0: what a response that leaves out a required member reads as.
            fn default() -> Self {
                #name::Unknown(0)
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_value)*
                    other => #name::Unknown(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i32 as ::serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}
