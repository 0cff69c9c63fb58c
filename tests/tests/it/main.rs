//! The integration tests, one module per subject, linked into one test binary:
//! `cargo test -p integration-tests --test it` runs them all,
//! `cargo test -p integration-tests --test it codegen_snapshots` one module.

mod app_moto;
mod aws_models;
mod bad_models;
mod client_wire;
mod codegen_cli;
mod codegen_snapshots;
mod e2e_credentials;
mod e2e_moto;
mod endpoint_rules;
mod example_cli;
mod generated_is_fresh;
mod included_layout;
mod model_diff;
mod moto_harness;
mod paginators_waiters;
mod protocol_traits;
mod serde_wire;
