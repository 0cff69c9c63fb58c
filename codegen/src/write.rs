//! Write: apply generated files to a crate directory, touching only what changed.
//!
//! Generation happens first and completely (see [`crate::generate`]), so a model the generator
//! cannot handle never leaves partial output behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::emit;

/// What a run changes: files whose content differs, and generated files no longer produced.
pub struct Plan {
    /// Files to create or overwrite, relative to the crate root.
    pub write: Vec<PathBuf>,
    /// Previously generated files that are no longer produced.
    pub remove: Vec<PathBuf>,
}

impl Plan {
    /// Whether the directory is up to date.
    pub fn is_empty(&self) -> bool {
        self.write.is_empty() && self.remove.is_empty()
    }
}

/// Compares `files` with what `out` holds.
pub fn plan(out: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Plan, String> {
    let write = files
        .iter()
        .filter(|(path, content)| {
            fs::read_to_string(out.join(path)).ok().as_deref() != Some(content.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    let mut existing = Vec::new();
    collect_rs_files(out, Path::new(""), &mut existing)?;
    let remove = existing
        .into_iter()
        .filter(|path| !files.contains_key(path))
        .filter(|path| {
            fs::read_to_string(out.join(path))
                .map(|text| emit::is_generated(&text))
                .unwrap_or(false)
        })
        .collect();
    Ok(Plan { write, remove })
}

/// Every `.rs` file under `out/src` (hand-written files elsewhere, like examples, are never touched).
fn collect_rs_files(out: &Path, relative: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    let dir = out.join("src").join(relative);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let name = entry.file_name();
        let path = relative.join(&name);
        if entry.path().is_dir() {
            collect_rs_files(out, &path, found)?;
        } else if name.to_string_lossy().ends_with(".rs") {
            found.push(Path::new("src").join(path));
        }
    }
    Ok(())
}

/// Applies a plan: writes changed files and removes stale generated ones.
pub fn apply(out: &Path, files: &BTreeMap<PathBuf, String>, plan: &Plan) -> Result<(), String> {
    for path in &plan.write {
        let full = out.join(path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&full, &files[path])
            .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
    }
    for path in &plan.remove {
        let full = out.join(path);
        fs::remove_file(&full).map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
    }
    Ok(())
}

/// Loads a model file and generates its files, with errors that name the file.
pub fn generate_from_file(
    model: &Path,
    settings: &crate::Settings,
) -> Result<BTreeMap<PathBuf, String>, String> {
    generate_report_from_file(model, settings).map(|generated| generated.files)
}

/// Like [`generate_from_file`], with the warnings about skipped operations.
pub fn generate_report_from_file(
    model: &Path,
    settings: &crate::Settings,
) -> Result<crate::Generated, String> {
    let json = fs::read_to_string(model)
        .map_err(|e| format!("cannot read the model {}: {e}", model.display()))?;
    let origin = model.display().to_string();
    let model = crate::Model::from_json(&json, &origin).map_err(|e| e.to_string())?;
    crate::generate_report(&model, settings).map_err(|e| format!("{origin}: {e}"))
}
