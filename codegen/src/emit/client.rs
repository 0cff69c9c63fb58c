//! The service client: construction and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, Cx};

pub(crate) fn client_rs(cx: &Cx) -> TokenStream {
    let service = &cx.krate.service;
    let service_name = &service.shape_name;
    let signing_name = &service.signing_name;
    let endpoint_prefix = &service.endpoint_prefix;
    let env_service_id = &service.env_service_id;
    let json_version = service.json_version;
    let title = &service.title;
    let endpoint_rules = match service.endpoint_rules {
        Some(_) => quote!(Some(crate::endpoint_rules::RULES)),
        None => quote!(None),
    };
    let client_doc = format!(" A client for {title}.");
    let methods = cx.krate.operations.iter().map(|op| {
        let method = ident(&op.fn_name);
        let module = ident(&op.module);
        let fluent = ident(&op.fluent_builder);
        let docs = doc_attrs(op.docs.as_deref(), &format!("Calls `{}`.", op.name));
        quote! {
            #docs
            pub fn #method(&self) -> crate::operation::#module::#fluent {
                crate::operation::#module::#fluent::new(self.inner.clone())
            }
        }
    });
    let send_checks = cx.krate.operations.iter().map(|op| {
        let method = ident(&op.fn_name);
        quote!(spawnable(&client.#method().send());)
    });
    quote! {
        #![doc = " The service client."]

        /// What the runtime needs to address and sign this service's requests.
        pub(crate) static SERVICE: ::aws_thin_runtime::ServiceMeta = ::aws_thin_runtime::ServiceMeta {
            service_name: #service_name,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            env_service_id: #env_service_id,
            json_version: #json_version,
            endpoint_rules: #endpoint_rules,
        };

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share one connection pool and one configuration. Build one per
        /// application and reuse it.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ::aws_thin_runtime::ServiceClient,
        }

        impl Client {
            /// A client with an explicit configuration.
            pub fn new(config: ::aws_thin_runtime::Config) -> Result<Self, ::aws_thin_runtime::ConfigError> {
                ::aws_thin_runtime::ServiceClient::new(config, &SERVICE).map(|inner| Client { inner })
            }

            /// A client configured from the environment, the way AWS tools are: region, credentials
            /// and endpoint from `AWS_*` variables and the shared config and credentials files.
            pub fn from_env() -> Result<Self, ::aws_thin_runtime::ConfigError> {
                Self::new(::aws_thin_runtime::Config::from_env()?)
            }

            /// The configuration this client uses.
            pub fn config(&self) -> &::aws_thin_runtime::Config {
                self.inner.config()
            }

            /// The runtime client, for sending operation inputs directly.
            pub fn service_client(&self) -> &::aws_thin_runtime::ServiceClient {
                &self.inner
            }

            #(#methods)*
        }

        // A client is shared between tasks and threads, and its calls are spawned: fail the
        // build, not the user's, if a change ever makes it or a send() future not Send.
        #[allow(dead_code)]
        const _: () = {
            fn shared<T: Send + Sync + Clone>() {}
            fn spawnable<T: Send>(_: &T) {}
            fn client_is_shared() {
                shared::<Client>();
            }
            fn send_futures_are_send(client: &Client) {
                #(#send_checks)*
            }
        };
    }
}

/// `src/endpoint_rules.rs`: the model's endpoint rule set as a raw string, one JSON line per source
/// line so a rules change reviews as a small diff.
pub(crate) fn endpoint_rules_rs(rules: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while rules.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal: TokenStream = format!("r{hashes}\"{rules}\"{hashes}")
        .parse()
        .expect("a raw string literal always parses");
    quote! {
        #![doc = " The service's endpoint rule set (`smithy.rules#endpointRuleSet`), evaluated by the runtime."]

        /// The rule set's JSON.
        pub(crate) const RULES: &str = #literal;
    }
}

/// `src/blocking.rs`: the blocking client, compiled with the crate's `blocking` feature.
pub(crate) fn blocking_rs(cx: &Cx) -> TokenStream {
    let title = &cx.krate.service.title;
    let client_doc = format!(" A blocking client for {title}.");
    let client_name = format!("{}::blocking::Client", cx.crate_name);
    let methods = cx.krate.operations.iter().map(|op| {
        let method = ident(&op.fn_name);
        let module = ident(&op.module);
        let fluent = ident(&op.fluent_builder);
        let docs = doc_attrs(op.docs.as_deref(), &format!("Calls `{}`.", op.name));
        quote! {
            #docs
            pub fn #method(&self) -> crate::operation::#module::blocking::#fluent {
                crate::operation::#module::blocking::#fluent::new(self.inner.#method(), self.runtime.clone())
            }
        }
    });
    let example = cx.krate.operations.first().map(|op| {
        let setters: String = op
            .input
            .members
            .iter()
            .filter(|m| m.required && m.ty == crate::ir::RustType::String)
            .map(|m| format!(".{}(\"example\")", m.field))
            .collect();
        let lines = [
            String::new(),
            " ```no_run".to_owned(),
            format!(" let client = {client_name}::from_env()?;"),
            format!(" let output = client.{}(){setters}.send()?;", op.fn_name),
            " # let _ = output;".to_owned(),
            " # Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
            " ```".to_owned(),
        ];
        quote!(#(#![doc = #lines])*)
    });
    quote! {
        #![doc = " A client whose calls block the calling thread, for programs without async code (a"]
        #![doc = " CLI, a build script). It owns a small tokio runtime; the caller needs none."]
        #![doc = ""]
        #![doc = " Called from inside an async runtime, `send()` sends nothing and returns"]
        #![doc = " [`SdkError::Blocking`](::aws_thin_runtime::SdkError::Blocking): use [`crate::Client`] there."]
        #example

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the connection pool, the configuration and the runtime.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::Client,
            runtime: ::std::sync::Arc<::aws_thin_runtime::blocking::BlockingRuntime>,
        }

        impl Client {
            /// A blocking client with an explicit configuration.
            pub fn new(config: ::aws_thin_runtime::Config) -> Result<Self, ::aws_thin_runtime::ConfigError> {
                Self::from_client(crate::Client::new(config)?)
            }

            /// A blocking client configured from the environment, like [`crate::Client::from_env`].
            pub fn from_env() -> Result<Self, ::aws_thin_runtime::ConfigError> {
                Self::from_client(crate::Client::from_env()?)
            }

            /// Wraps an async client (sharing its connection pool) in a blocking one.
            pub fn from_client(client: crate::Client) -> Result<Self, ::aws_thin_runtime::ConfigError> {
                let runtime = ::aws_thin_runtime::blocking::BlockingRuntime::new(#client_name)?;
                Ok(Client { inner: client, runtime: ::std::sync::Arc::new(runtime) })
            }

            /// The configuration this client uses.
            pub fn config(&self) -> &::aws_thin_runtime::Config {
                self.inner.config()
            }

            /// The async client this one wraps.
            pub fn as_async(&self) -> &crate::Client {
                &self.inner
            }

            #(#methods)*
        }
    }
}
