//! One file per operation: input and output structures, the error enum, the fluent builder, and
//! the awsJson request/response glue.

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::error_enum;
use super::examples::example_tests;
use super::structures::{declaration, setters};
use super::{doc_attrs, ident, Cx};
use crate::ir::{HostPrefixSegment, OperationIr};

pub(crate) fn operation(cx: &Cx, op: &OperationIr) -> TokenStream {
    let blocking_cfg = cx.blocking_cfg();
    let module_doc = format!(
        " The `{}` operation: input, output, errors and the fluent builder.",
        op.name
    );
    let input = declaration(cx, &op.input);
    let output = declaration(cx, &op.output);
    let errors = error_enum(cx, op);
    let examples = example_tests(cx, op);
    let paginator = super::paginators::paginator(cx, op);
    let waiters = super::waiters::waiters(cx, op);
    let input_name = ident(&op.input.name);
    let input_builder = ident(&op.input.builder);
    let output_name = ident(&op.output.name);
    let error_name = ident(&op.error_name);
    let fluent = ident(&op.fluent_builder);
    let wire_name = &op.name;
    let op_docs = doc_attrs(op.docs.as_deref(), &format!("Calls `{}`.", op.name));
    let fluent_setters = op.input.members.iter().map(|m| {
        setters(cx, m, {
            let field = ident(&m.field);
            quote!(self.input.#field)
        })
    });
    let blocking_setters = op.input.members.iter().map(|m| {
        setters(cx, m, {
            let field = ident(&m.field);
            quote!(self.inner.input.#field)
        })
    });
    let blocking_doc = format!(
        " Sets up a blocking `{}` call; finish with [`send`](Self::send), which blocks.",
        op.name
    );
    let build_input = if op.input.has_required() {
        quote!(self
            .input
            .build()
            .map_err(::aws_thin_runtime::SdkError::Construction)?)
    } else {
        quote!(self.input.build())
    };
    let fluent_doc = format!(
        " Sets up a `{}` call; finish with [`send`](Self::send).",
        op.name
    );
    let send_doc = format!(
        " Sends the request and returns the [`{}`], or an [`SdkError`](::aws_thin_runtime::SdkError) whose `Service` variant is a [`{}`].",
        op.output.name, op.error_name
    );
    let tokens = super::structures::fill_tokens(&op.input.members, quote!(input));
    let to_body = if tokens.is_empty() {
        quote! {
            /// The JSON body.
            fn to_body<E>(&self) -> Result<Vec<u8>, ::aws_thin_runtime::SdkError<E>> {
                ::aws_thin_runtime::codec::to_body(#wire_name, self)
            }
        }
    } else {
        quote! {
            /// The JSON body, with a fresh idempotency token (a UUID v4) in each token member
            /// left unset (in nested structures too). Retries resend this body, so they keep
            /// the tokens.
            fn to_body<E>(&self) -> Result<Vec<u8>, ::aws_thin_runtime::SdkError<E>> {
                let mut input = self.clone();
                #(#tokens)*
                ::aws_thin_runtime::codec::to_body(#wire_name, &input)
            }
        }
    };
    let options = request_options(op);
    let (invoke, prepare, options_arg) = if options.is_empty() {
        (quote!(invoke), quote!(prepare), quote!())
    } else {
        (
            quote!(invoke_with),
            quote!(prepare_with),
            quote!(, &input.request_options().map_err(::aws_thin_runtime::SdkError::Construction)?),
        )
    };
    let send_options_arg = if options.is_empty() {
        quote!()
    } else {
        quote!(, &self.request_options().map_err(::aws_thin_runtime::SdkError::Construction)?)
    };
    quote! {
        #![doc = #module_doc]

        #input
        #output
        #errors

        #[doc = #fluent_doc]
        ///
        #op_docs
        #[derive(Clone, Debug)]
        pub struct #fluent {
            client: ::aws_thin_runtime::ServiceClient,
            input: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(client: ::aws_thin_runtime::ServiceClient) -> Self {
                #fluent { client, input: #input_builder::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.input
            }

            #(#fluent_setters)*

            #[doc = #send_doc]
            ///
            /// A missing required member fails here, before any network traffic. Failed attempts
            /// are retried per the client's [`RetryConfig`](::aws_thin_runtime::RetryConfig)
            /// (3 attempts by default); read its notes for operations that are not idempotent.
            pub async fn send(self) -> Result<#output_name, ::aws_thin_runtime::SdkError<#error_name>> {
                let input = #build_input;
                #input_name::send(&input, &self.client).await
            }

            /// Builds and signs the request [`send`](Self::send) would send first, without
            /// sending it (for debugging endpoints and credentials; credentials are redacted).
            pub async fn prepare(self) -> Result<::aws_thin_runtime::PreparedRequest, ::aws_thin_runtime::SdkError<#error_name>> {
                let input = #build_input;
                let body = #input_name::to_body(&input)?;
                self.client
                    .#prepare(#wire_name, body #options_arg)
                    .await
                    .map_err(|error| error.map_service(#error_name::from_response))
            }
        }

        impl #input_name {
            /// Sends this input with `client`: serializes, signs, sends (with the client's retries)
            /// and parses the response.
            pub async fn send(
                &self,
                client: &::aws_thin_runtime::ServiceClient,
            ) -> Result<#output_name, ::aws_thin_runtime::SdkError<#error_name>> {
                let body = self.to_body()?;
                let response = client
                    .#invoke(#wire_name, body #send_options_arg)
                    .await
                    .map_err(|error| error.map_service(#error_name::from_response))?;
                let mut output: #output_name = ::aws_thin_runtime::codec::parse_output(#wire_name, &response)?;
                output.request_id = response.request_id;
                Ok(output)
            }

            #to_body
            #options
        }

        /// The blocking client's fluent builder (the crate's `blocking` feature).
        #blocking_cfg
        pub mod blocking {
            use super::*;

            #[doc = #blocking_doc]
            #[derive(Clone, Debug)]
            pub struct #fluent {
                inner: super::#fluent,
                runtime: ::std::sync::Arc<::aws_thin_runtime::blocking::BlockingRuntime>,
            }

            impl #fluent {
                pub(crate) fn new(
                    inner: super::#fluent,
                    runtime: ::std::sync::Arc<::aws_thin_runtime::blocking::BlockingRuntime>,
                ) -> Self {
                    #fluent { inner, runtime }
                }

                /// The input built so far.
                pub fn as_input(&self) -> &#input_builder {
                    &self.inner.input
                }

                #(#blocking_setters)*

                #[doc = #send_doc]
                ///
                /// Blocks the calling thread until the call (with its retries) is done. From inside
                /// an async runtime it sends nothing and returns
                /// [`SdkError::Blocking`](::aws_thin_runtime::SdkError::Blocking).
                // The async send()'s error type, so code can move between the two clients.
                #[allow(clippy::result_large_err)]
                pub fn send(self) -> Result<#output_name, ::aws_thin_runtime::SdkError<#error_name>> {
                    self.runtime.block_on(self.inner.send())
                }
            }
        }

        #paginator
        #waiters
        #examples
    }
}

/// `request_options()`, for an operation whose model changes the request beyond its body (a
/// host prefix, gzip compression); nothing otherwise.
fn request_options(op: &OperationIr) -> TokenStream {
    let mut options = quote!(::aws_thin_runtime::RequestOptions::new());
    let mut doc = Vec::new();
    if let Some(segments) = &op.host_prefix {
        let template: String = segments
            .iter()
            .map(|s| match s {
                HostPrefixSegment::Literal(text) => text.clone(),
                HostPrefixSegment::Label { wire_name, .. } => format!("{{{wire_name}}}"),
            })
            .collect();
        let labels = segments
            .iter()
            .any(|s| matches!(s, HostPrefixSegment::Label { .. }));
        doc.push(format!(
            " The host prefix `{template}` goes before the endpoint's host{}.",
            if labels {
                ", each label checked as a host label"
            } else {
                ""
            }
        ));
        let parts = segments.iter().map(|s| match s {
            HostPrefixSegment::Literal(text) => {
                quote!(::aws_thin_runtime::HostPrefixPart::Literal(#text))
            }
            HostPrefixSegment::Label { wire_name, field } => {
                let field = ident(field);
                quote!(::aws_thin_runtime::HostPrefixPart::Label(#wire_name, self.#field.as_deref()))
            }
        });
        let shape = &op.input.name;
        options = quote! {
            #options.with_host_prefix(::aws_thin_runtime::request_options::host_prefix(
                #shape,
                &[#(#parts),*],
            )?)
        };
    }
    if op.request_compression {
        doc.push(" Bodies of at least the configured size are sent gzip-compressed.".to_string());
        options = quote!(#options.with_request_compression());
    }
    if doc.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// What the operation's model changes about the request beyond its body.
        ///
        #(#[doc = #doc])*
        fn request_options(&self) -> Result<::aws_thin_runtime::RequestOptions, ::aws_thin_runtime::BuildError> {
            Ok(#options)
        }
    }
}
