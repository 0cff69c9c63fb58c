//! Where the tests find the project's files and the shared AWS models.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aws_thin_codegen::{write, Settings};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// This project's model, `model/ecr.json`.
pub fn project_model() -> PathBuf {
    workspace_root().join("model/ecr.json")
}

/// The folder with AWS's published ECR models: `$AWS_THIN_SHARED_MODELS`, else `../shared/models`
/// beside the workspace. They are test inputs only and are never copied into this repository.
pub fn shared_models_dir() -> PathBuf {
    std::env::var_os("AWS_THIN_SHARED_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/models"))
}

/// One of the shared AWS models, failing with a message that says where it was looked for.
pub fn shared_model(file: &str) -> PathBuf {
    let path = shared_models_dir().join(file);
    assert!(
        path.is_file(),
        "AWS model {} not found; set AWS_THIN_SHARED_MODELS to the folder holding the shared ECR models",
        path.display()
    );
    path
}

/// The newer AWS ECR model (released with aws-sdk-ecr 1.102.0).
pub const NEWER_AWS_MODEL: &str = "ecr-2015-09-21.aws-sdk-rust-71de471.json";
/// The older AWS ECR model (api-models-aws, 2025-04).
pub const OLDER_AWS_MODEL: &str = "ecr-2015-09-21.api-models-aws-2025-04.json";

/// Generates from a model file with the project's default settings, optionally without docs and
/// with an operation filter.
pub fn generate(
    model: &Path,
    operations: Option<&[&str]>,
    documentation: bool,
) -> BTreeMap<PathBuf, String> {
    let settings = Settings {
        operations: operations.map(|ops| ops.iter().map(|s| s.to_string()).collect()),
        documentation,
        ..Settings::default()
    };
    write::generate_from_file(model, &settings).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// The example CLI (`cargo run -p aws-thin-ecr --example delete_repository`), which
/// `cargo test --workspace` builds alongside the tests.
pub fn example_cli() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let path = target.join("debug/examples/delete_repository");
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo xtask test` (or `cargo build -p aws-thin-ecr --example delete_repository`)",
        path.display()
    );
    path
}
