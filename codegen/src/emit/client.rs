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
