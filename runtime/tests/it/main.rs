//! The runtime's integration tests, one module per subject, linked into one test binary (one
//! link of tokio, hyper and rustls instead of one per file): `cargo test -p aws-thin-runtime
//! --test it` runs them all, `cargo test -p aws-thin-runtime --test it wire::` one module.

mod support;

mod config;
mod credentials_cache;
mod default_chain;
mod endpoint_client;
mod errors;
mod layers;
mod loader;
mod network;
mod profile_suite;
mod provider_suite;
mod replay;
mod retries;
mod secrets;
mod wire;
