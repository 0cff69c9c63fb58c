//! Test support for the integration tests in `tests/tests/`.
//!
//! - [`moto`]: a moto server with IAM signature checking on, for end-to-end tests
//!   (`cargo xtask test` sets up the Python venv it needs).

pub mod moto;

/// Paths to the project model and the shared AWS models, and a generation shortcut.
pub mod paths;

/// The workspace's stub HTTP server (`tests/stub-server`), for wire tests.
pub use stub_server;
