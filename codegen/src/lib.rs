//! aws-thin-codegen reads an AWS Smithy JSON AST model and generates a small Rust client for its
//! awsJson 1.0/1.1 service.
//!
//! The pipeline is `load` ([`model`]) → [`normalize()`] → IR ([`ir`]) → [`emit`] → prettyplease.
//! [`generate`] is pure: it returns the files to write and never touches the file system, so a
//! failure writes nothing.

pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use error::Error;
pub use model::Model;
pub use normalize::normalize;

/// What to generate, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The service shape id; `None` when the model has exactly one service.
    pub service: Option<String>,
    /// Operation names (`DeleteRepository`) to generate, with their closure; `None` for all.
    pub operations: Option<Vec<String>>,
    /// Emit the model's documentation as rustdoc. Off, the output differs only in doc comments.
    pub documentation: bool,
    /// The generated crate's package name (for doctests).
    pub crate_name: String,
    /// The command named in every file's header.
    pub command: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            service: None,
            operations: None,
            documentation: true,
            crate_name: "aws-thin-ecr".to_string(),
            command: "cargo xtask codegen".to_string(),
        }
    }
}

/// Generates every file of the client crate's `src/`, keyed by path relative to the crate root.
pub fn generate(model: &Model, settings: &Settings) -> Result<BTreeMap<PathBuf, String>, Error> {
    let krate = normalize(model, settings)?;
    emit::emit(&krate, settings)
}
