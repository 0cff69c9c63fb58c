//! `cargo xtask check-models`: generate whole models into scratch crates and prove the output:
//! it compiles clippy-clean and its example tests pass.
//!
//! The models: every `*.json` in the shared AWS models folder (`$AWS_THIN_SHARED_MODELS`, else
//! `../shared/models` beside the workspace) and this project's `tests/models/*.json`. A model of
//! ours with hand-written tests in `tests/scratch/<model stem>/*.rs` gets them copied into its
//! crate's `tests/` (with `integration-tests` for the stub server and moto harness). Each goes
//! to `target/check-models/<name>/` as its own crate (its own `[workspace]`, the workspace's
//! `Cargo.lock` for the same dependency versions, the workspace's target directory so
//! dependencies compile once).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use aws_thin_codegen::{write, Settings};

use crate::codegen::workspace_root;

/// Runs the task; fails on the first model that does not generate, compile or pass.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("check-models takes no arguments, got `{arg}`"));
    }
    let root = workspace_root();
    let models = models(&root)?;
    if models.is_empty() {
        return Err("no models found to check".to_string());
    }
    for model in &models {
        check(&root, model)?;
    }
    println!(
        "check-models: {} models generated, compiled clippy-clean and tested",
        models.len()
    );
    Ok(())
}

fn models(root: &Path) -> Result<Vec<PathBuf>, String> {
    let shared = std::env::var_os("AWS_THIN_SHARED_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/models"));
    let mut models = Vec::new();
    for dir in [shared, root.join("tests/models")] {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        models.extend(found);
    }
    Ok(models)
}

fn check(root: &Path, model: &Path) -> Result<(), String> {
    let stem = model
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let crate_name = format!(
        "check-{}",
        stem.chars()
            .map(|c| if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            })
            .collect::<String>()
    );
    let out = root.join("target/check-models").join(&crate_name);
    println!("== {} -> {}", model.display(), out.display());
    let settings = Settings {
        crate_name: crate_name.clone(),
        command: format!(
            "cargo xtask check-models (from {})",
            model.file_name().unwrap_or_default().to_string_lossy()
        ),
        ..Settings::default()
    };
    let generated = write::generate_report_from_file(model, &settings)?;
    for warning in &generated.warnings {
        println!("warning: {warning}");
    }
    let plan = write::plan(&out, &generated.files)?;
    write::apply(&out, &generated.files, &plan)?;
    let scratch_tests = copy_scratch_tests(root, &stem, &out)?;
    let dev_dependencies = if scratch_tests {
        format!(
            "\n[dev-dependencies]\nintegration-tests = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"time\"] }}\n",
            root.join("tests").display().to_string()
        )
    } else {
        String::new()
    };
    let manifest = format!(
        "# Written by `cargo xtask check-models`.\n[package]\nname = \"{crate_name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\naws-thin-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = {{ version = \"1\", features = [\"raw_value\"] }}\n{dev_dependencies}\n[workspace]\n",
        root.join("runtime").display().to_string()
    );
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write_if_changed(&out.join("Cargo.lock"), &lock)?;

    let target = root.join("target");
    cargo(
        &out,
        &target,
        &[
            "clippy",
            "--all-targets",
            "--offline",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cargo(
        &out,
        &target,
        &["doc", "--no-deps", "--offline", "--quiet"],
        &[("RUSTDOCFLAGS", "-Dwarnings")],
    )?;
    // Hand-written tests of the scratch crate may use moto (tests/src/moto.rs).
    let python = if scratch_tests {
        Some(crate::test_cmd::ensure_venv(root)?)
    } else {
        None
    };
    let python = python.as_ref().map(|p| p.display().to_string());
    let env: Vec<(&str, &str)> = python
        .iter()
        .map(|p| ("AWS_THIN_MOTO_PYTHON", p.as_str()))
        .collect();
    cargo(&out, &target, &["test", "--offline", "--quiet"], &env)?;
    Ok(())
}

/// Copies `tests/scratch/<model stem>/` (hand-written tests of a model's generated crate, run
/// against stub servers and moto; `*.rs`, and `support/*.rs` for shared helpers) into the
/// scratch crate's `tests/`; whether there were any.
fn copy_scratch_tests(root: &Path, stem: &str, out: &Path) -> Result<bool, String> {
    let from = root.join("tests/scratch").join(stem);
    if !from.is_dir() {
        return Ok(false);
    }
    let mut copied = false;
    for dir in ["", "support"] {
        let Ok(entries) = fs::read_dir(from.join(dir)) else {
            continue;
        };
        let to = out.join("tests").join(dir);
        fs::create_dir_all(&to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        for file in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if file.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&file)
                    .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                write_if_changed(&to.join(file.file_name().unwrap_or_default()), &text)?;
                copied = true;
            }
        }
    }
    Ok(copied)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed in {} ({status})",
            args.join(" "),
            dir.display()
        ))
    }
}
