//! The hand-written runtime of aws-thin clients.
//!
//! Generated service crates call [`ServiceClient::invoke`] with a serialized awsJson body and
//! get back the raw response or a typed error. This crate does the rest, once per client where
//! it can and as little as possible per call:
//!
//! The modules, in layers (each uses only those above it in this list, and [`error`]):
//!
//! 1. seams: [`os`] (environment, files, clock) and [`http_client`] (one HTTP exchange;
//!    `transport` is the default, hyper with pooled connections and rustls);
//! 2. values: [`config`] (region, credentials, endpoint, retries, timeouts: a plain `Config`),
//!    [`service`], `retry`;
//! 3. sources: [`profile`] (the shared files, parsed once), [`provider`] (each credential
//!    source and the chain), [`region`] (the region chain);
//! 4. loading: [`loader`] reads the seams through the sources into a `Config`;
//! 5. endpoint: `endpoint` and [`endpoint_rules`], the URL requests go to, resolved once per
//!    client; `credentials` caches what the provider gives;
//! 6. client: [`client`] signs, sends, retries, and reads errors (`aws_json`).
//!
//! Generated paginators and waiters share [`paginate`] and [`waiter`] (the token rules, the
//! polling loop with the Smithy waiter backoff).
//! Operations whose model changes the request beyond its body (a host prefix, gzip compression)
//! pass [`request_options::RequestOptions`] to [`ServiceClient::invoke_with`].
//!
//! Helpers: `signing` (SigV4, for the client and for the sources' STS calls), [`datetime`] and
//! [`serde_helpers`] (exact epoch-seconds timestamps),
//! [`primitives`] and [`wire`] (blobs, big numbers, documents, and the JSON forms of floats and
//! formatted timestamps).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use aws_thin_runtime::{Config, ServiceClient, ServiceMeta};
//!
//! static ECR: ServiceMeta = ServiceMeta {
//!     service_name: "AmazonEC2ContainerRegistry_V20150921",
//!     signing_name: "ecr",
//!     endpoint_prefix: "api.ecr",
//!     env_service_id: "ECR",
//!     json_version: "1.1",
//!     // Generated clients embed the model's `smithy.rules#endpointRuleSet` here.
//!     endpoint_rules: None,
//! };
//!
//! let client = ServiceClient::new(Config::from_env()?, &ECR)?;
//! let response = client
//!     .invoke("DeleteRepository", br#"{"repositoryName":"ubuntu"}"#.to_vec())
//!     .await?;
//! println!("{} {:?}", response.status, response.request_id);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod aws_json;
pub mod blocking;
pub mod client;
pub mod codec;
mod compression;
pub mod config;
pub mod credentials;
mod credentials_cache;
pub mod datetime;
mod endpoint;
pub mod endpoint_rules;
pub mod error;
mod error_meta;
#[cfg(test)]
mod fuzz_tests;
pub mod http_client;
pub mod loader;
#[cfg(feature = "test-util")]
pub mod mock;
#[cfg(all(unix, not(target_os = "macos")))]
mod native_roots;
pub mod os;
pub mod paginate;
pub mod primitives;
pub mod profile;
pub mod provider;
mod proxy;
#[cfg(feature = "test-util")]
pub mod record;
mod redact;
pub mod region;
pub mod request_options;
mod retry;
pub mod serde_helpers;
pub mod service;
mod signing;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
pub mod waiter;
pub mod wire;

pub use client::{PreparedRequest, RawResponse, ServiceClient};
pub use config::{
    Config, ConfigBuilder, ConfiguredEndpoints, Region, RetryConfig, RetryMode, TimeoutConfig,
};
pub use credentials::Credentials;
pub use datetime::{DateTime, DateTimeParseError};
pub use error::*;
pub use error_meta::{CreateUnhandledError, ProvideErrorMetadata};
pub use http_client::{HttpClient, HttpError, HttpRequest, HttpResponse, SharedHttpClient};
pub use loader::ConfigLoader;
pub use os::{Clock, Env, Fs};
pub use primitives::{BigNumber, Blob, Document};
pub use proxy::ProxyConfig;
pub use request_options::{HostPrefixPart, RequestOptions};
pub use service::ServiceMeta;
pub use transport::HyperClient;
