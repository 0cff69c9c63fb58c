//! aws-thin-codegen reads an AWS Smithy JSON AST model and generates a small Rust client for its
//! awsJson 1.0/1.1 service.
//!
//! The pipeline is `load` ([`model`]) → [`normalize()`] → IR ([`ir`]) → [`emit`] → prettyplease.
//! [`generate`] is pure: it returns the files to write and never touches the file system, so a
//! failure writes nothing.
//!
//! Outside this repository: the `aws-thin-codegen` binary ([`cli`]) writes a ready crate, and
//! [`Builder`] generates into a build script's `OUT_DIR` for `include!`. [`diff`] compares two
//! models for review.

pub mod build;
pub mod cli;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod paginators;
pub mod settings;
pub mod waiters;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use build::Builder;
pub use error::Error;
pub use model::Model;
pub use normalize::normalize;
pub use settings::{Layout, Settings, SettingsFile};

/// Generates every file of the client crate's `src/`, keyed by path relative to the crate root.
pub fn generate(model: &Model, settings: &Settings) -> Result<BTreeMap<PathBuf, String>, Error> {
    generate_report(model, settings).map(|generated| generated.files)
}

/// What a generation produced: the files, and warnings for what it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Every file of the crate's `src/`, keyed by path relative to the crate root.
    pub files: BTreeMap<PathBuf, String>,
    /// Operations skipped because they need unsupported features, and wire-affecting traits
    /// the generator does not implement, one line each.
    pub warnings: Vec<String>,
    /// Features of aws-thin-runtime the generated code needs (`request-compression` when an
    /// operation has `smithy.api#requestCompression`), for the crate's `Cargo.toml`.
    pub runtime_features: Vec<&'static str>,
}

/// Like [`generate`], also returning warnings about skipped operations.
pub fn generate_report(model: &Model, settings: &Settings) -> Result<Generated, Error> {
    let krate = normalize(model, settings)?;
    let warnings = krate
        .skipped
        .iter()
        .map(|s| format!("skipped operation {}: {}", s.name, s.reason))
        .chain(krate.unimplemented.iter().cloned())
        .collect();
    let runtime_features = if krate.operations.iter().any(|op| op.request_compression) {
        vec!["request-compression"]
    } else {
        Vec::new()
    };
    Ok(Generated {
        files: emit::emit(&krate, settings)?,
        warnings,
        runtime_features,
    })
}
