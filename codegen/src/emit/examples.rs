//! `smithy.api#examples` become tests in the operation's module: the example input, built with the
//! builders, serializes to the example's JSON; the example output parses; an example error maps to
//! its variant.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{ident, Cx};
use crate::ir::{NamedKind, OperationIr, Role, RustType, StructIr, TypeDecl};

pub(crate) fn example_tests(cx: &Cx, op: &OperationIr) -> TokenStream {
    if op.examples.is_empty() {
        return quote!();
    }
    let input_name = ident(&op.input.name);
    let output_name = ident(&op.output.name);
    let error_name = ident(&op.error_name);
    let wire_name = &op.name;
    let tests = op.examples.iter().enumerate().map(|(i, example)| {
        // Numbered, not named after the title: the title is documentation, and code generated
        // without documentation must not depend on it.
        let test_name = format_ident!("example_{}", i + 1);
        let doc = example.title.as_ref().map(|title| {
            let doc = format!(" Example: {title}");
            quote!(#[doc = #doc])
        });
        let json = example.input.to_string();
        let message = format!("the example input of {wire_name} serializes to the example's JSON");
        let input = match struct_expr(cx, &op.input, &example.input) {
            Some(built) => quote!(let input = #built;),
            // Values the builders cannot express from JSON: the example still has to parse.
            None => quote!(let input: #input_name = ::serde_json::from_str(#json).expect("the example input parses");),
        };
        let output = example.output.as_ref().map(|value| {
            let json = value.to_string();
            quote! {
                let output: #output_name = ::serde_json::from_str(#json).expect("the example output parses");
                // What parsed writes back stably (an unknown union member cannot be written at all).
                if let Ok(written) = ::serde_json::to_value(&output) {
                    let reparsed: #output_name = ::serde_json::from_value(written.clone()).expect("written output parses");
                    assert_eq!(::serde_json::to_value(&reparsed).unwrap(), written);
                }
            }
        });
        let error = example.error.as_ref().map(|(type_name, content)| {
            let variant = ident(type_name);
            let code = type_name.as_str();
            let body = content.to_string();
            quote! {
                let response = ::aws_thin_runtime::ServiceErrorResponse {
                    meta: ::aws_thin_runtime::ErrorMetadata::new(Some(#code.to_string()), None, Some(400), None),
                    body: #body.as_bytes().to_vec().into(),
                };
                let error = #error_name::from_response(response);
                assert!(matches!(error, #error_name::#variant(_)), "{error:?}");
            }
        });
        quote! {
            #doc
            #[test]
            fn #test_name() {
                #input
                let body = ::serde_json::to_vec(&input).expect("serializes");
                let expected: ::serde_json::Value = ::serde_json::from_str(#json).unwrap();
                assert_eq!(::serde_json::from_slice::<::serde_json::Value>(&body).unwrap(), expected, #message);
                #output
                #error
            }
        }
    });
    quote! {
        /// The model's examples for this operation, as tests.
        #[cfg(test)]
        mod examples {
            use super::*;
            #(#tests)*
        }
    }
}

/// A builder expression for a structure from example JSON; `None` when a value is not expressible.
fn struct_expr(cx: &Cx, s: &StructIr, value: &Value) -> Option<TokenStream> {
    let object = value.as_object()?;
    let path = if s.role == Role::Input {
        // The operation's own input, in the same module as the tests.
        let name = ident(&s.name);
        quote!(#name)
    } else {
        cx.path(&s.name)
    };
    if object
        .keys()
        .any(|key| !s.members.iter().any(|m| m.wire_name == *key))
    {
        return None;
    }
    let mut calls = Vec::new();
    // Model order, like the code a person would write.
    for member in &s.members {
        let Some(value) = object.get(&member.wire_name).filter(|v| !v.is_null()) else {
            continue;
        };
        let setter = ident(&member.setter);
        let expr = value_expr(cx, &member.ty, value)?;
        calls.push(quote!(.#setter(Some(#expr))));
    }
    let fallible = s.has_required();
    let build = if fallible {
        quote!(.build().expect("the example builds"))
    } else {
        quote!(.build())
    };
    Some(quote!(#path::builder() #(#calls)* #build))
}

fn value_expr(cx: &Cx, ty: &RustType, value: &Value) -> Option<TokenStream> {
    Some(match ty {
        RustType::String => {
            let s = value.as_str()?;
            quote!(#s.to_string())
        }
        RustType::Bool => {
            let b = value.as_bool()?;
            quote!(#b)
        }
        RustType::I8 => lit_int::<i8>(value)?,
        RustType::I16 => lit_int::<i16>(value)?,
        RustType::I32 => lit_int::<i32>(value)?,
        RustType::I64 => lit_int::<i64>(value)?,
        RustType::F32 => {
            let f = value.as_f64()? as f32;
            quote!(#f)
        }
        RustType::F64 => {
            let f = value.as_f64()?;
            quote!(#f)
        }
        RustType::Named { name, kind } => match kind {
            NamedKind::Enum => {
                let s = value.as_str()?;
                let path = cx.path(name);
                quote!(#path::from(#s))
            }
            NamedKind::IntEnum => {
                let n = i32::try_from(value.as_i64()?).ok()?;
                let path = cx.path(name);
                quote!(#path::from(#n))
            }
            NamedKind::Struct => {
                let decl = cx.krate.types.iter().find_map(|t| match t {
                    TypeDecl::Struct(s) if s.name == *name => Some(s),
                    _ => None,
                })?;
                struct_expr(cx, decl, value)?
            }
            NamedKind::Union => return None,
        },
        RustType::List {
            item,
            sparse: false,
        } => {
            let items = value
                .as_array()?
                .iter()
                .map(|v| value_expr(cx, item, v))
                .collect::<Option<Vec<_>>>()?;
            quote!(vec![#(#items),*])
        }
        RustType::Map {
            value: value_ty,
            sparse: false,
        } => {
            let entries = value
                .as_object()?
                .iter()
                .map(|(k, v)| value_expr(cx, value_ty, v).map(|e| quote!((#k.to_string(), #e))))
                .collect::<Option<Vec<_>>>()?;
            quote!([#(#entries),*].into_iter().collect())
        }
        // Blobs, timestamps, documents, big numbers and sparse collections are parsed instead.
        _ => return None,
    })
}

fn lit_int<T: TryFrom<i64> + quote::ToTokens>(value: &Value) -> Option<TokenStream> {
    let n = T::try_from(value.as_i64()?).ok()?;
    Some(quote!(#n))
}
