//! The hand-written runtime of aws-thin clients.
//!
//! Generated service crates call [`ServiceClient::invoke`] with a serialized awsJson body and
//! get back the raw response or a typed error. This crate does the rest, once per client where
//! it can and as little as possible per call:
//!
//! - [`config`]: region, credentials, endpoint, retries and timeouts, by the AWS conventions;
//! - `credentials` and `profile`: environment variables, the shared files, any
//!   `ProvideCredentials` provider (so aws-config's chain plugs in), cached until expiry;
//! - `endpoint` and [`endpoint_rules`]: the URL requests go to, from the model's endpoint rules
//!   (FIPS, dual-stack, every partition) and partition data, resolved once per client;
//! - `signing`: SigV4 (aws-sigv4), with the derived key cached per day;
//! - `transport`: HTTP/1.1 over hyper with pooled connections and rustls;
//! - `aws_json`: error code, message and request id of error responses;
//! - `retry`: which failures are retried, and the backoff;
//! - [`error`]: what can go wrong, as types;
//! - [`datetime`] and [`serde_helpers`]: exact epoch-seconds timestamps;
//! - [`primitives`] and [`wire`]: blobs, big numbers, documents, and the JSON forms of floats and
//!   formatted timestamps.
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
pub mod client;
pub mod config;
pub mod credentials;
pub mod datetime;
mod endpoint;
pub mod endpoint_rules;
pub mod error;
#[cfg(test)]
mod fuzz_tests;
pub mod primitives;
mod profile;
mod redact;
mod retry;
pub mod serde_helpers;
mod signing;
mod transport;
pub mod wire;

pub use client::{PreparedRequest, RawResponse, ServiceClient, ServiceMeta};
pub use config::{Config, ConfigBuilder, Region, RetryConfig, RetryMode, TimeoutConfig};
pub use credentials::Credentials;
pub use datetime::{DateTime, DateTimeParseError};
pub use error::*;
pub use primitives::{BigNumber, Blob, Document};
