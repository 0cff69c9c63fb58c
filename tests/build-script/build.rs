//! Generates the clients this crate includes, at build time: code generated from AWS's models is
//! never checked in (it would copy AWS's documentation).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    // The newer shared ECR model, read where the tests read it.
    println!("cargo:rerun-if-env-changed=AWS_THIN_SHARED_MODELS");
    let shared = std::env::var_os("AWS_THIN_SHARED_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../../../shared/models"));
    aws_thin_codegen::Builder::new()
        .model(shared.join("ecr-2015-09-21.aws-sdk-rust-71de471.json"))
        .operations(["ListImages", "DeleteRepository"])
        .blocking(true)
        .test_util(true)
        .generate_to_out_dir()?;
    // This project's model with every Smithy shape: every emitter's output under `include!`.
    aws_thin_codegen::Builder::new()
        .model(root.join("../models/all-shapes.json"))
        .operations(["Echo", "GetWidget"])
        .file_name("all_shapes.rs")
        .generate_to_out_dir()?;
    Ok(())
}
