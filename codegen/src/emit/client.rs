//! The service client: construction and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, Cx};

pub(crate) fn client_rs(cx: &Cx) -> TokenStream {
    let root = cx.root();
    let service = &cx.krate.service;
    let service_name = &service.shape_name;
    let signing_name = &service.signing_name;
    let endpoint_prefix = &service.endpoint_prefix;
    let env_service_id = &service.env_service_id;
    let json_version = service.json_version;
    let title = &service.title;
    let endpoint_rules = match service.endpoint_rules {
        Some(_) => quote!(Some(#root::endpoint_rules::RULES)),
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
            pub fn #method(&self) -> #root::operation::#module::#fluent {
                #root::operation::#module::#fluent::new(self.inner.clone())
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
    let root = cx.root();
    let client_name = format!("{}::blocking::Client", cx.crate_name);
    let blocking_note = format!(
        " [`SdkError::Blocking`](::aws_thin_runtime::SdkError::Blocking): use [`{}::Client`] there.",
        cx.root_str()
    );
    let from_env_doc = format!(
        " A blocking client configured from the environment, like [`{}::Client::from_env`].",
        cx.root_str()
    );
    let methods = cx.krate.operations.iter().map(|op| {
        let method = ident(&op.fn_name);
        let module = ident(&op.module);
        let fluent = ident(&op.fluent_builder);
        let docs = doc_attrs(op.docs.as_deref(), &format!("Calls `{}`.", op.name));
        quote! {
            #docs
            pub fn #method(&self) -> #root::operation::#module::blocking::#fluent {
                #root::operation::#module::blocking::#fluent::new(self.inner.#method(), self.runtime.clone())
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
            format!(" ```{}", cx.doctest("no_run")),
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
        #![doc = #blocking_note]
        #example

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the connection pool, the configuration and the runtime.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: #root::Client,
            runtime: ::std::sync::Arc<::aws_thin_runtime::blocking::BlockingRuntime>,
        }

        impl Client {
            /// A blocking client with an explicit configuration.
            pub fn new(config: ::aws_thin_runtime::Config) -> Result<Self, ::aws_thin_runtime::ConfigError> {
                Self::from_client(#root::Client::new(config)?)
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Self, ::aws_thin_runtime::ConfigError> {
                Self::from_client(#root::Client::from_env()?)
            }

            /// Wraps an async client (sharing its connection pool) in a blocking one.
            pub fn from_client(client: #root::Client) -> Result<Self, ::aws_thin_runtime::ConfigError> {
                let runtime = ::aws_thin_runtime::blocking::BlockingRuntime::new(#client_name)?;
                Ok(Client { inner: client, runtime: ::std::sync::Arc::new(runtime) })
            }

            /// The configuration this client uses.
            pub fn config(&self) -> &::aws_thin_runtime::Config {
                self.inner.config()
            }

            /// The async client this one wraps.
            pub fn as_async(&self) -> &#root::Client {
                &self.inner
            }

            #(#methods)*
        }

        #[allow(dead_code)]
        const _: () = {
            fn shared<T: Send + Sync + Clone>() {}
            fn blocking_client_is_shared() {
                shared::<Client>();
            }
        };
    }
}

/// `src/test_util.rs`: mocking without sockets, compiled with the crate's `test-util` feature.
pub(crate) fn test_util_rs(cx: &Cx) -> TokenStream {
    let root = cx.root();
    let blocking_cfg = cx.blocking_cfg();
    let client_new_doc = format!(
        " build a client with [`Client::new`]({}::Client::new).",
        cx.root_str()
    );
    let crate_name = &cx.crate_name;
    let rules = cx.krate.operations.iter().map(|op| {
        let method = ident(&op.fn_name);
        let module = ident(&op.module);
        let input = ident(&op.input.name);
        let output = ident(&op.output.name);
        let wire_name = &op.name;
        let doc = format!(" Starts a rule answering `{}` calls.", op.name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> ::aws_thin_runtime::mock::RuleBuilder<
                #root::operation::#module::#input,
                #root::operation::#module::#output,
            > {
                self.http.rule(#wire_name)
            }
        }
    });
    // An operation the example can call with string inputs alone, so the example runs.
    let callable = cx.krate.operations.iter().find(|op| {
        op.input
            .members
            .iter()
            .all(|m| !m.required || m.ty == crate::ir::RustType::String)
    });
    let example = callable.map(|op| {
        let setters: String = op
            .input
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| format!(".{}(\"example\")", m.field))
            .collect();
        let build = if op.output.has_required() {
            ".build().expect(\"builds\")"
        } else {
            ".build()"
        };
        let lines = [
            String::new(),
            format!(" ```{}", cx.doctest("")),
            format!(
                " use {crate_name}::operation::{}::{};",
                op.fn_name, op.output.name
            ),
            String::new(),
            " # #[tokio::main(flavor = \"current_thread\")]".to_owned(),
            " # async fn main() {".to_owned(),
            format!(" let mock = {crate_name}::test_util::Mock::new();"),
            format!(
                " let rule = mock.{}().then_status(500).then_output({}::builder(){build});",
                op.fn_name, op.output.name
            ),
            " let client = mock.client();".to_owned(),
            format!(
                " let output = client.{}(){setters}.send().await;",
                op.fn_name
            ),
            " assert!(output.is_ok(), \"the 500 is retried\");".to_owned(),
            " assert_eq!(rule.calls(), 2);".to_owned(),
            " assert_eq!(mock.requests().len(), 2);".to_owned(),
            " # }".to_owned(),
            " ```".to_owned(),
        ];
        quote!(#(#![doc = #lines])*)
    });
    quote! {
        #![doc = " Testing code that uses the client without a server (the crate's `test-util` feature)."]
        #![doc = ""]
        #![doc = " [`Mock`] answers calls from rules set per operation, optionally matching the input: a"]
        #![doc = " modeled output, a modeled error, a raw HTTP response, or a sequence of them (500, 500,"]
        #![doc = " then 200 exercises the retries). It replaces only the connection: the client still"]
        #![doc = " serializes, signs, retries and parses, so a test sees what it would see from the"]
        #![doc = " service. Every request is recorded for assertions; a call no rule matches fails with"]
        #![doc = " a transport error naming the operation and its input."]
        #![doc = ""]
        #![doc = " [`RecordingClient`] and [`ReplayingClient`] capture a real run's HTTP exchanges"]
        #![doc = " (credentials, signatures and tokens scrubbed) in the AWS SDKs' `http-traffic.json`"]
        #![doc = " format and serve them back offline, checking each request; plug either into a"]
        #![doc = " configuration with `ConfigBuilder::http_client`."]
        #example

        pub use ::aws_thin_runtime::mock::{MockHttpClient, MockableError, RecordedRequest, Rule, RuleBuilder};
        pub use ::aws_thin_runtime::record::RecordingClient;
        pub use ::aws_thin_runtime::test_util::{NetworkTraffic, ReplayingClient};

        /// Rules and recorded requests for this service's operations. Cheap to clone; clones
        /// share everything.
        #[derive(Clone, Debug, Default)]
        pub struct Mock {
            http: MockHttpClient,
        }

        impl Mock {
            /// A mock without rules.
            pub fn new() -> Self {
                Self::default()
            }

            /// A configuration that sends through this mock: region `us-east-1`, fixed test
            /// credentials, standard retries without backoff pauses. Change what you need and
            #[doc = #client_new_doc]
            pub fn config_builder(&self) -> ::aws_thin_runtime::ConfigBuilder {
                ::aws_thin_runtime::Config::builder()
                    .region("us-east-1")
                    .credentials(::aws_thin_runtime::Credentials::new(
                        "AKIDMOCK", "mock-secret", None, None, "mock",
                    ))
                    .retry_config(
                        ::aws_thin_runtime::RetryConfig::standard()
                            .with_initial_backoff(::std::time::Duration::ZERO),
                    )
                    .http_client(self.http.clone())
            }

            /// A client whose calls this mock answers (see [`config_builder`](Self::config_builder)).
            pub fn client(&self) -> #root::Client {
                #root::Client::new(self.config_builder().build())
                    .expect("the mock configuration is complete")
            }

            /// The underlying HTTP client, to plug into a configuration of your own with
            /// `ConfigBuilder::http_client`.
            pub fn http_client(&self) -> MockHttpClient {
                self.http.clone()
            }

            /// Every request sent so far, in order (retries included).
            pub fn requests(&self) -> Vec<RecordedRequest> {
                self.http.requests()
            }

            /// A blocking client whose calls this mock answers.
            #blocking_cfg
            pub fn blocking_client(&self) -> #root::blocking::Client {
                #root::blocking::Client::from_client(self.client())
                    .expect("the blocking client's runtime starts")
            }

            #(#rules)*
        }
    }
}
