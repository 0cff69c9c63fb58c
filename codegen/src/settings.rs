//! Generation settings, and the checked-in settings file that sits beside a model.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

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
    /// A crate of its own, or one file for `include!` (build scripts).
    pub layout: Layout,
}

/// Where the generated code lives, which decides how it names its own items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// A crate of its own: `src/lib.rs` and a file per module; its paths start with `crate::`.
    #[default]
    Crate,
    /// One file of inline modules, for `include!` inside any module of another crate (a build
    /// script's output). Its paths start with `__root::`, an alias every generated module declares
    /// for the module the file is included in; crate-level attributes are left out.
    Included {
        /// Include the blocking client (the crate layout's `blocking` feature).
        blocking: bool,
        /// Include `test_util::Mock` (the crate layout's `test-util` feature; needs the runtime's
        /// `test-util` feature).
        test_util: bool,
    },
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            service: None,
            operations: None,
            documentation: true,
            crate_name: "aws-thin-ecr".to_string(),
            command: "cargo xtask codegen".to_string(),
            layout: Layout::Crate,
        }
    }
}

/// The settings file (`model/codegen.json`): which model, which operations, which crate.
///
/// ```json
/// { "model": "ecr.json", "crate": "aws-thin-ecr", "operations": ["DeleteRepository"] }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// The model, relative to the settings file.
    pub model: PathBuf,
    /// The generated crate's package name.
    #[serde(rename = "crate")]
    pub crate_name: Option<String>,
    /// The service shape id, when the model has several.
    pub service: Option<String>,
    /// The operations to generate; absent for all.
    pub operations: Option<Vec<String>>,
}

impl SettingsFile {
    /// Reads a settings file; the model path is resolved against the file's folder.
    pub fn load(path: &Path) -> Result<(PathBuf, Settings), Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("cannot read the settings {}: {e}", path.display())))?;
        let file: SettingsFile = serde_json::from_str(&text).map_err(|e| {
            Error::new(format!(
                "{}: invalid generator settings: {e}",
                path.display()
            ))
        })?;
        let model = path.parent().unwrap_or(Path::new(".")).join(&file.model);
        let defaults = Settings::default();
        let settings = Settings {
            service: file.service,
            operations: file.operations,
            crate_name: file.crate_name.unwrap_or(defaults.crate_name.clone()),
            ..defaults
        };
        Ok((model, settings))
    }
}
