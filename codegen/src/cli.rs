//! The command line, shared by the `aws-thin-codegen` binary and `cargo xtask`: argument parsing
//! by hand (no argument-parser dependency, to keep the generator quick to build).

use std::path::PathBuf;

use crate::diff::{self, DiffOptions, Severity};
use crate::Model;

/// `model-diff`'s usage, for both `cargo xtask model-diff` and `aws-thin-codegen model-diff`.
pub const MODEL_DIFF_USAGE: &str = "\
model-diff OLD NEW [--operations A,B] [--service ID] [--fail-on breaking|dangerous] [--out FILE]
      Compare two Smithy JSON AST models as a user of the generated Rust code would: operations,
      shapes, members and enum values added, removed or changed, each classified breaking,
      dangerous or safe. Prints Markdown for a pull request (or writes it to FILE).
      --operations limits the comparison to those operations and what they reach.
      --fail-on breaking exits non-zero when there is a breaking change (dangerous: either).";

/// Splits `A,B, C` into operation names.
pub fn operation_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Runs `model-diff ARGS` (the arguments after the subcommand's name). `Err` carries the message
/// for the user: bad arguments, an unreadable model, or changes at or above `--fail-on`.
pub fn model_diff(args: &[String]) -> Result<(), String> {
    let mut paths = Vec::new();
    let mut options = DiffOptions::default();
    let mut fail_on = None;
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--operations" => options.operations = Some(operation_list(&value(arg)?)),
            "--service" => options.service = Some(value(arg)?),
            "--out" => out = Some(PathBuf::from(value(arg)?)),
            "--fail-on" => {
                let level = value(arg)?;
                fail_on = Some(Severity::parse(&level).ok_or_else(|| {
                    format!("--fail-on takes `breaking` or `dangerous`, not `{level}`")
                })?);
            }
            flag if flag.starts_with("--") => {
                return Err(format!(
                    "unknown argument `{flag}`\nusage: {MODEL_DIFF_USAGE}"
                ))
            }
            path => paths.push(PathBuf::from(path)),
        }
    }
    let [old_path, new_path] = paths.as_slice() else {
        return Err(format!(
            "model-diff takes two models, OLD and NEW (got {})\nusage: {MODEL_DIFF_USAGE}",
            paths.len()
        ));
    };
    let old = Model::from_file(old_path).map_err(|e| e.to_string())?;
    let new = Model::from_file(new_path).map_err(|e| e.to_string())?;
    let diff = diff::diff(&old, &new, &options).map_err(|e| e.to_string())?;
    let markdown = diff.to_markdown(
        &old_path.display().to_string(),
        &new_path.display().to_string(),
    );
    match &out {
        Some(path) => std::fs::write(path, &markdown)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{markdown}"),
    }
    if let Some(threshold) = fail_on {
        if diff.has_at_least(threshold) {
            let count = diff
                .changes
                .iter()
                .filter(|c| c.severity <= threshold)
                .count();
            return Err(format!(
                "{count} change(s) at or above `{}` (--fail-on {})",
                threshold.as_str(),
                threshold.as_str()
            ));
        }
    }
    Ok(())
}
