//! The crate root, module indexes and the small serde helpers every generated crate shares.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};

pub(crate) fn lib_rs(cx: &Cx) -> TokenStream {
    let blocking_cfg = cx.blocking_cfg();
    let test_util_cfg = cx.test_util_cfg();
    let service = &cx.krate.service;
    let mut lines = vec![format!(
        " {} client, generated from its Smithy model (API version `{}`).",
        service.title, service.version
    )];
    if let Some(docs) = &service.docs {
        lines.push(String::new());
        lines.extend(docs.lines().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        }));
    }
    if !cx.krate.skipped.is_empty() {
        lines.extend(["", " # Not generated", "", " These operations of the service need features the generator does not support yet:", ""].map(|s| s.to_string()));
        for skipped in &cx.krate.skipped {
            lines.push(format!(
                " - `{}`: {}",
                skipped.name,
                skipped.reason.replace('`', "")
            ));
        }
    }
    if let Some(op) = cx.krate.operations.first() {
        let setters: String = op
            .input
            .members
            .iter()
            .filter(|m| m.required && m.ty == crate::ir::RustType::String)
            .map(|m| format!(".{}(\"example\")", m.field))
            .collect();
        lines.extend(
            [
                "",
                " # Usage",
                "",
                &format!(" ```{}", cx.doctest("no_run")),
                &format!(" # use {}::Client;", cx.crate_name),
                " # async fn run() -> Result<(), Box<dyn std::error::Error>> {",
                " let client = Client::from_env()?;",
            ]
            .map(|s| s.to_string()),
        );
        lines.push(format!(
            " let output = client.{}(){setters}.send().await?;",
            op.fn_name
        ));
        lines.extend([" # let _ = output;", " # Ok(())", " # }", " ```"].map(String::from));
        lines.extend(
            [
                "",
                " # Features",
                "",
                " - `blocking`: `blocking::Client`, the same calls without async code, on a runtime the",
                "   client owns.",
                " - `test-util`: `test_util::Mock` (rules per operation answer calls without a server),",
                "   and recording and replaying real HTTP traffic.",
                "",
                " Configuration types are in [`config`]; `code()`, `message()` and `request_id()` of any",
                " error come from [`ProvideErrorMetadata`].",
            ]
            .map(String::from),
        );
    }
    let endpoint_mod = cx.krate.service.endpoint_rules.as_ref().map(|_| {
        quote! {
            #[rustfmt::skip]
            mod endpoint_rules;
        }
    });
    quote! {
        #(#![doc = #lines])*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        // prettyplease formats generated code; keep rustfmt (`cargo fmt`) from re-formatting it.
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
        #endpoint_mod

        #[rustfmt::skip]
        pub mod config;
        #blocking_cfg
        #[rustfmt::skip]
        pub mod blocking;
        #test_util_cfg
        #[rustfmt::skip]
        pub mod test_util;

        pub use ::aws_thin_runtime::{Config, ConfigError, Credentials, DateTime, ProvideErrorMetadata, SdkError};
        pub use client::Client;
    }
}

/// `mod file; pub use file::{Exported, ...};` for each (module, exported names).
fn module_decls(modules: &[(String, Vec<String>)]) -> Vec<TokenStream> {
    modules
        .iter()
        .map(|(module, names)| {
            let module = ident(module);
            let names = names.iter().map(|n| ident(n));
            quote!(mod #module; pub use #module::{#(#names),*};)
        })
        .collect()
}

pub(crate) fn types_mod(modules: &[(String, Vec<String>)]) -> TokenStream {
    let decls = module_decls(modules);
    quote! {
        #![doc = " The structures and enums the operations use."]

        #(#decls)*

        /// An enum value this version of the client does not know, kept as it arrived.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnknownValue(pub(crate) String);

        impl UnknownValue {
            /// The value as it arrived on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    }
}

pub(crate) fn error_mod(modules: &[(String, Vec<String>)]) -> TokenStream {
    let decls = module_decls(modules);
    quote! {
        #![doc = " Errors: the modeled service errors, and the runtime's error types re-exported."]

        #(#decls)*

        pub use ::aws_thin_runtime::{
            BlockingError, BuildError, ConfigError, CredentialsError, ErrorMetadata, ResponseError, SdkError,
            TimeoutError, TimeoutKind, TransportError,
        };

        pub use ::aws_thin_runtime::{CreateUnhandledError, ProvideErrorMetadata};

        /// A service error whose code this operation's model does not list, or a failure that is
        /// not a service error (from `SdkError::into_service_error`).
        ///
        /// React to its code with `code()`, not by matching the `Unhandled` variant: see the
        /// operation error's docs.
        #[derive(Clone, Debug)]
        pub struct Unhandled {
            meta: ErrorMetadata,
            source: Option<::std::sync::Arc<dyn ::std::error::Error + Send + Sync + 'static>>,
        }

        impl Unhandled {
            pub(crate) fn new(meta: ErrorMetadata) -> Self {
                Unhandled { meta, source: None }
            }

            pub(crate) fn from_source(
                source: Box<dyn ::std::error::Error + Send + Sync + 'static>,
                meta: ErrorMetadata,
            ) -> Self {
                Unhandled { meta, source: Some(source.into()) }
            }

            /// The error's code, message, HTTP status and request id.
            pub fn meta(&self) -> &ErrorMetadata {
                &self.meta
            }
        }

        impl PartialEq for Unhandled {
            fn eq(&self, other: &Self) -> bool {
                self.meta == other.meta
                    && self.source.as_ref().map(|e| e.to_string())
                        == other.source.as_ref().map(|e| e.to_string())
            }
        }

        impl ::std::fmt::Display for Unhandled {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match &self.source {
                    Some(source) => ::std::fmt::Display::fmt(source, f),
                    None => ::std::fmt::Display::fmt(&self.meta, f),
                }
            }
        }

        // Transparent: Display is the wrapped failure's, so its source is this one's.
        impl ::std::error::Error for Unhandled {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                self.source.as_deref().and_then(|e| e.source())
            }
        }

        impl ProvideErrorMetadata for Unhandled {
            fn meta(&self) -> &ErrorMetadata {
                &self.meta
            }
        }
    }
}

pub(crate) fn operation_mod(modules: &[String]) -> TokenStream {
    let decls = modules.iter().map(|m| {
        let module = ident(m);
        quote!(pub mod #module;)
    });
    quote! {
        #![doc = " One module per operation."]
        #(#decls)*
    }
}

/// `src/config.rs`: everything a client's configuration takes, so this crate is the only
/// dependency an application needs.
pub(crate) fn config_rs() -> TokenStream {
    quote! {
        #![doc = " Client configuration: region, credentials, endpoint, retries, timeouts, and the HTTP"]
        #![doc = " connection (`ConfigBuilder::http_client` takes any [`HttpClient`])."]
        #![doc = ""]
        #![doc = " Re-exported from the runtime, so that this crate is the only dependency you need."]

        pub use ::aws_thin_runtime::config::{Config, ConfigBuilder, Region, RetryConfig, TimeoutConfig};
        pub use ::aws_thin_runtime::credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
        pub use ::aws_thin_runtime::endpoint_rules::Partitions;
        pub use ::aws_thin_runtime::http_client::{
            HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse, SharedHttpClient,
        };
        pub use ::aws_thin_runtime::ConfigError;
    }
}
