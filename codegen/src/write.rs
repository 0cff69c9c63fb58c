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

/// Brings `out` up to date with `files`, writing only what changed and removing generated files
/// no longer produced. With `check`, writes nothing and fails, naming every stale file, when
/// anything would change; `regenerate` is the command the message tells the user to run.
pub fn sync(
    out: &Path,
    files: &BTreeMap<PathBuf, String>,
    check: bool,
    regenerate: &str,
) -> Result<Plan, String> {
    let plan = plan(out, files)?;
    if check {
        if plan.is_empty() {
            return Ok(plan);
        }
        let mut message = format!("{} is stale:\n", out.display());
        for path in &plan.write {
            message.push_str(&format!("  would write  {}\n", path.display()));
        }
        for path in &plan.remove {
            message.push_str(&format!("  would remove {}\n", path.display()));
        }
        message.push_str(&format!("run `{regenerate}` to regenerate"));
        return Err(message);
    }
    apply(out, files, &plan)?;
    Ok(plan)
}

/// What [`sync`] did, one line each (`wrote PATH`, `removed PATH`, or that all is up to date).
pub fn describe(out: &Path, files: &BTreeMap<PathBuf, String>, plan: &Plan) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .write
        .iter()
        .map(|path| format!("wrote   {}", out.join(path).display()))
        .chain(
            plan.remove
                .iter()
                .map(|path| format!("removed {}", out.join(path).display())),
        )
        .collect();
    if plan.is_empty() {
        lines.push(format!(
            "{} is up to date ({} files)",
            out.display(),
            files.len()
        ));
    }
    lines
}

/// How a generated crate depends on aws-thin-runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// `{ path = "..." }`, relative to the generated crate's directory (or absolute).
    Path(PathBuf),
    /// `"..."`, a version requirement (from a registry).
    Version(String),
}

/// The `Cargo.toml` of a generated crate: the runtime and the serde crates the generated code
/// uses, with the runtime's `features` ([`crate::Generated::runtime_features`]). Marked
/// generated like the sources, so [`sync`] keeps it current.
pub fn crate_manifest(
    crate_name: &str,
    runtime: &RuntimeDependency,
    features: &[&str],
    command: &str,
) -> String {
    let features = if features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
        format!(", features = [{}]", list.join(", "))
    };
    let runtime = match runtime {
        RuntimeDependency::Path(path) => format!(
            "{{ path = {}{features} }}",
            toml_string(&path.to_string_lossy().replace('\\', "/"))
        ),
        RuntimeDependency::Version(version) if features.is_empty() => toml_string(version),
        RuntimeDependency::Version(version) => {
            format!("{{ version = {}{features} }}", toml_string(version))
        }
    };
    format!(
        "# @generated by aws-thin-codegen from a Smithy model. DO NOT EDIT.\n\
         # Regenerate with `{command}`.\n\
         [package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         path = \"src/lib.rs\"\n\
         \n\
         [dependencies]\n\
         aws-thin-runtime = {runtime}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = {{ version = \"1\", features = [\"raw_value\"] }}\n\
         \n\
         [features]\n\
         # `blocking::Client`: calls that block, on a runtime the client owns.\n\
         blocking = []\n\
         # `test_util::Mock`, recording and replay: calls answered without a server.\n\
         test-util = [\"aws-thin-runtime/test-util\"]\n",
        name = toml_string(crate_name),
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `target` as seen from `from` (both absolute or both relative to the same folder): `../runtime`.
/// Falls back to `target` itself when they share no prefix (another drive).
pub fn relative_path(from: &Path, target: &Path) -> PathBuf {
    use std::path::Component;
    fn normal(p: &Path) -> Vec<Component<'_>> {
        let mut parts: Vec<Component<'_>> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        parts
    }
    let (from, to) = (normal(from), normal(target));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0
        || from[common..]
            .iter()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return target.to_path_buf();
    }
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for c in &to[common..] {
        relative.push(c.as_os_str());
    }
    if relative.as_os_str().is_empty() {
        relative.push(".");
    }
    relative
}
