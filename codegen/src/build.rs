//! The build-script API, in the style of prost-build: generate a client into `OUT_DIR` as one
//! file and `include!` it in any module.
//!
//! `build.rs`:
//!
//! ```no_run
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     aws_thin_codegen::Builder::new()
//!         .model("models/ecr.json")
//!         .operations(["ListImages", "DeleteRepository"])
//!         .generate_to_out_dir()?;
//!     Ok(())
//! }
//! ```
//!
//! `src/lib.rs` (any module works, the generated code names its items relative to it):
//!
//! ```ignore
//! pub mod ecr {
//!     include!(concat!(env!("OUT_DIR"), "/aws_thin_ecr.rs"));
//! }
//! ```
//!
//! The crate needs `aws-thin-runtime`, `serde` (with `derive`) and `serde_json` (with
//! `raw_value`) as dependencies, and `aws-thin-codegen` as a build dependency.

use std::path::{Path, PathBuf};

use crate::cli::default_crate_name;
use crate::{Error, Layout, Model, Settings};

/// Generates a client for `include!` from a build script; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    model: Option<PathBuf>,
    service: Option<String>,
    operations: Option<Vec<String>>,
    documentation: Option<bool>,
    blocking: bool,
    test_util: bool,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
}

impl Builder {
    /// A builder with no model yet: set one with [`Builder::model`].
    pub fn new() -> Builder {
        Builder::default()
    }

    /// The Smithy JSON AST model file (relative paths are relative to the package, where cargo
    /// runs build scripts).
    pub fn model(mut self, path: impl AsRef<Path>) -> Builder {
        self.model = Some(path.as_ref().to_path_buf());
        self
    }

    /// The service shape id, when the model has several services.
    pub fn service(mut self, id: impl Into<String>) -> Builder {
        self.service = Some(id.into());
        self
    }

    /// Only these operations (by name, `DeleteRepository`) and what they reach; default: all.
    pub fn operations<I, S>(mut self, names: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Emit the model's documentation as rustdoc (default: on).
    pub fn documentation(mut self, on: bool) -> Builder {
        self.documentation = Some(on);
        self
    }

    /// Include the blocking client, `blocking::Client` (default: off).
    pub fn blocking(mut self, on: bool) -> Builder {
        self.blocking = on;
        self
    }

    /// Include `test_util::Mock`, to answer calls in tests without a server (default: off; needs
    /// aws-thin-runtime's `test-util` feature).
    pub fn test_util(mut self, on: bool) -> Builder {
        self.test_util = on;
        self
    }

    /// Where [`Builder::generate_to_out_dir`] writes; default: `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Builder {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The file's name; default: `aws_thin_` and the service's sdkId in snake case
    /// (`aws_thin_ecr.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Builder {
        self.file_name = Some(name.into());
        self
    }

    /// Generates the file's text without writing anything.
    pub fn generate(&self) -> Result<String, Error> {
        let (model_path, model) = self.load()?;
        self.generate_from(&model_path, &model)
            .map(|(text, _)| text)
    }

    /// Generates the file into the output folder (unless it is already up to date, so its
    /// timestamp stays), tells cargo to rerun the build script when the model changes, reports
    /// skipped operations as cargo warnings, and returns the file's path.
    pub fn generate_to_out_dir(&self) -> Result<PathBuf, Error> {
        let (model_path, model) = self.load()?;
        println!("cargo:rerun-if-changed={}", model_path.display());
        let (text, warnings) = self.generate_from(&model_path, &model)?;
        for warning in warnings {
            println!("cargo:warning={warning}");
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::new(
                        "OUT_DIR is not set: run from a build script, or set Builder::out_dir",
                    )
                })?,
        };
        let name = match &self.file_name {
            Some(name) => name.clone(),
            None => format!(
                "{}.rs",
                default_crate_name(&model, self.service.as_deref())?.replace('-', "_")
            ),
        };
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
            std::fs::write(&path, text)
                .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(path)
    }

    fn load(&self) -> Result<(PathBuf, Model), Error> {
        let path = self
            .model
            .clone()
            .ok_or_else(|| Error::new("no model: call Builder::model(path) first"))?;
        let model = Model::from_file(&path)?;
        Ok((path, model))
    }

    fn generate_from(&self, path: &Path, model: &Model) -> Result<(String, Vec<String>), Error> {
        let settings = Settings {
            service: self.service.clone(),
            operations: self.operations.clone(),
            documentation: self.documentation.unwrap_or(true),
            crate_name: default_crate_name(model, self.service.as_deref())?,
            command: "cargo build (build.rs: aws_thin_codegen::Builder)".to_string(),
            layout: Layout::Included {
                blocking: self.blocking,
                test_util: self.test_util,
            },
        };
        let generated = crate::generate_report(model, &settings)
            .map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
        let text = generated
            .files
            .into_values()
            .next()
            .ok_or_else(|| Error::new("internal error: the included layout emitted no file"))?;
        Ok((text, generated.warnings))
    }
}
