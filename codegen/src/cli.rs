//! The command line, shared by the `aws-thin-codegen` binary and `cargo xtask`: argument parsing
//! by hand (no argument-parser dependency, to keep the generator quick to build).

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use crate::diff::{self, DiffOptions, Severity};
use crate::write::{self, RuntimeDependency};
use crate::{Model, Settings};

/// The binary's usage.
pub const USAGE: &str = "\
usage:
  aws-thin-codegen --model MODEL --out DIR [--operations A,B] [--service ID]
                   [--runtime-path PATH | --runtime-version VERSION] [--crate-name NAME] [--check]
      Generate a client crate (Cargo.toml and src/) from a Smithy JSON AST model into DIR,
      writing only the files that changed and removing generated files no longer produced.
      --operations  only these operations (and what they reach); default: all of the service
      --runtime-path / --runtime-version  how the crate depends on aws-thin-runtime (a path,
                    relative to the current folder, or a version requirement; default: the
                    generator's own version)
      --crate-name  the package name; default: aws-thin- and the service's sdkId (aws-thin-ecr)
      --check       write nothing; fail, naming the stale files, when DIR is not up to date
  aws-thin-codegen ";

/// Runs the binary with its arguments (without the program name); prints, and returns the exit code.
pub fn main_with_args(args: &[String]) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        Some("model-diff") => model_diff(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}{MODEL_DIFF_USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("--version" | "-V") => {
            println!("aws-thin-codegen {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some(_) => generate_crate(args).map(|report| {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            for line in &report.lines {
                println!("{line}");
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What a generation run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// `wrote PATH` / `removed PATH` / up to date.
    pub lines: Vec<String>,
    /// Operations skipped because they need unsupported features.
    pub warnings: Vec<String>,
}

/// `aws-thin-codegen --model M --out DIR ...`: generates a ready crate directory. On error
/// (bad arguments, a model the generator cannot handle, or a stale DIR with `--check`) nothing
/// has been written.
pub fn generate_crate(args: &[String]) -> Result<Report, String> {
    let mut model = None;
    let mut out = None;
    let mut service = None;
    let mut operations = None;
    let mut runtime = None;
    let mut crate_name = None;
    let mut check = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--model" => model = Some(PathBuf::from(value(arg)?)),
            "--out" => out = Some(PathBuf::from(value(arg)?)),
            "--service" => service = Some(value(arg)?),
            "--operations" => operations = Some(operation_list(&value(arg)?)),
            "--crate-name" => crate_name = Some(value(arg)?),
            "--runtime-path" | "--runtime-version" if runtime.is_some() => {
                return Err("give one of --runtime-path and --runtime-version".to_string())
            }
            "--runtime-path" => runtime = Some(RuntimeArg::Path(PathBuf::from(value(arg)?))),
            "--runtime-version" => runtime = Some(RuntimeArg::Version(value(arg)?)),
            "--check" => check = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}`\n{USAGE}{MODEL_DIFF_USAGE}"
                ))
            }
        }
    }
    let model_path = model.ok_or_else(|| format!("--model is required\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    let loaded = Model::from_file(&model_path).map_err(|e| e.to_string())?;
    let crate_name = match crate_name {
        Some(name) => name,
        None => default_crate_name(&loaded, service.as_deref())
            .map_err(|e| format!("{}: {e}", model_path.display()))?,
    };
    // The command in every header, without `--check`, so checking compares the same text.
    let command = std::iter::once("aws-thin-codegen".to_string())
        .chain(
            args.iter()
                .filter(|a| *a != "--check")
                .map(|a| shell_word(a)),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let settings = Settings {
        service,
        operations,
        documentation: true,
        crate_name: crate_name.clone(),
        command: command.clone(),
        ..Settings::default()
    };
    let generated = crate::generate_report(&loaded, &settings)
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let runtime = match runtime {
        Some(RuntimeArg::Path(path)) if path.is_absolute() => RuntimeDependency::Path(path),
        // Relative to the current folder on the command line, relative to the crate in Cargo.toml.
        Some(RuntimeArg::Path(path)) => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("cannot read the current folder: {e}"))?;
            RuntimeDependency::Path(write::relative_path(&cwd.join(&out), &cwd.join(path)))
        }
        Some(RuntimeArg::Version(version)) => RuntimeDependency::Version(version),
        None => RuntimeDependency::Version(env!("CARGO_PKG_VERSION").to_string()),
    };
    let mut files = generated.files;
    files.insert(
        PathBuf::from("Cargo.toml"),
        write::crate_manifest(&crate_name, &runtime, &generated.runtime_features, &command),
    );
    let plan = write::sync(&out, &files, check, &command)?;
    Ok(Report {
        lines: if check {
            vec![format!(
                "{} is up to date ({} files)",
                out.display(),
                files.len()
            )]
        } else {
            write::describe(&out, &files, &plan)
        },
        warnings: generated.warnings,
    })
}

enum RuntimeArg {
    Path(PathBuf),
    Version(String),
}

/// `aws-thin-` and the service's `sdkId` in lower case with dashes: `aws-thin-ecr`.
pub fn default_crate_name(model: &Model, service: Option<&str>) -> Result<String, crate::Error> {
    let settings = Settings {
        service: service.map(String::from),
        ..Settings::default()
    };
    let (id, service) = crate::normalize::select_service(model, &settings)?;
    let sdk_id = service
        .traits
        .aws_service()
        .and_then(|s| s.get("sdkId"))
        .and_then(Value::as_str)
        .ok_or_else(|| crate::Error::shape(&id, "aws.api#service has no sdkId"))?;
    let mut name = String::from("aws-thin");
    for word in sdk_id.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            name.push('-');
            name.push_str(&word.to_ascii_lowercase());
        }
    }
    Ok(name)
}

/// Quotes a word for a shell when it needs it (for the command in generated headers).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,=:@+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

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
