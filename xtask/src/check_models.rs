//! `cargo xtask check-models`: generate whole models into scratch crates and prove the output:
//! it compiles clippy-clean, its docs build warning-free and its example tests pass.
//!
//! The models: the ECR models in the shared models folder (`$AWS_THIN_SHARED_MODELS`, else
//! `../shared/models` beside the workspace), this project's `tests/models/*.json`, and the awsJson
//! corpus (`$AWS_THIN_CORPUS`, else `awsjson-corpus/` in the shared models folder). Every model
//! is generated, in this one process. The generated crates go to `target/check-models/<name>/`,
//! members of one scratch workspace that shares the workspace's `Cargo.lock` and target
//! directory, so dependencies compile once. Compiled: the shared and project models, plus a
//! rotating sample of the corpus (`--sample N`, 12 by default; it changes every day and is
//! printed, so a failure can be replayed with `--only`), or all of it with `--corpus`. A model of
//! ours with hand-written tests in `tests/scratch/<model stem>/*.rs` gets them copied into its
//! crate's `tests/` (with `integration-tests` for the stub server and moto harness).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use aws_thin_codegen::{write, Settings};

use crate::codegen::workspace_root;

/// Corpus models compiled per run unless told otherwise.
const DEFAULT_SAMPLE: usize = 12;

struct Args {
    /// Compile every corpus model.
    corpus: bool,
    /// Generate only; compile nothing.
    generate_only: bool,
    sample: usize,
    /// Which day's sample (days since 1970-01-01 UTC by default).
    rotation: Option<u64>,
    /// Only these models (file stems), generated and compiled.
    only: Option<Vec<String>>,
    /// The scratch workspace (`target/check-models` by default).
    scratch: Option<PathBuf>,
    /// The target directory the generated crates share (the workspace's by default, where the
    /// runtime's dependencies are built already).
    target_dir: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        corpus: false,
        generate_only: false,
        sample: DEFAULT_SAMPLE,
        rotation: None,
        only: None,
        scratch: None,
        target_dir: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--corpus" => parsed.corpus = true,
            "--generate-only" => parsed.generate_only = true,
            "--sample" => {
                parsed.sample = value("--sample")?
                    .parse()
                    .map_err(|e| format!("--sample: {e}"))?
            }
            "--rotation" => {
                parsed.rotation = Some(
                    value("--rotation")?
                        .parse()
                        .map_err(|e| format!("--rotation: {e}"))?,
                )
            }
            "--only" => {
                parsed.only = Some(
                    value("--only")?
                        .split(',')
                        .map(|s| s.trim().trim_end_matches(".json").to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "--scratch" => parsed.scratch = Some(PathBuf::from(value("--scratch")?)),
            "--target-dir" => parsed.target_dir = Some(PathBuf::from(value("--target-dir")?)),
            other => return Err(format!("check-models: unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

/// One model to check.
struct Model {
    path: PathBuf,
    /// The file stem, as printed and accepted by `--only`.
    name: String,
    crate_name: String,
    from_corpus: bool,
}

/// Runs the task; every model is checked, then the summary says how many failed.
pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let root = workspace_root();
    let shared = std::env::var_os("AWS_THIN_SHARED_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/models"));
    let corpus = std::env::var_os("AWS_THIN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared.join("awsjson-corpus"));
    let mut models = Vec::new();
    for (dir, from_corpus) in [
        (shared.as_path(), false),
        (root.join("tests/models").as_path(), false),
        (corpus.as_path(), true),
    ] {
        for path in json_files(dir)? {
            let name = stem(&path);
            models.push(Model {
                crate_name: crate_name(&name),
                name,
                path,
                from_corpus,
            });
        }
    }
    if let Some(only) = &args.only {
        if let Some(missing) = only.iter().find(|o| !models.iter().any(|m| &m.name == *o)) {
            return Err(format!("--only: no model named `{missing}`"));
        }
        models.retain(|m| only.contains(&m.name));
    }
    if models.is_empty() {
        return Err("no models found to check".to_string());
    }

    let corpus_models: Vec<&str> = models
        .iter()
        .filter(|m| m.from_corpus)
        .map(|m| m.name.as_str())
        .collect();
    let sampled = if args.corpus || args.only.is_some() {
        corpus_models.iter().map(|s| s.to_string()).collect()
    } else {
        let rotation = args.rotation.unwrap_or_else(days_since_epoch);
        let sample = sample(&corpus_models, args.sample, rotation);
        println!(
            "check-models: compiling {} of {} corpus models (rotation {rotation}; all with --corpus): {}",
            sample.len(),
            corpus_models.len(),
            sample.join(", ")
        );
        sample
    };

    // Generate everything first, in this process.
    let scratch = args
        .scratch
        .clone()
        .unwrap_or_else(|| root.join("target/check-models"));
    let mut results: Vec<(String, Result<String, String>)> = Vec::new();
    let mut to_compile = Vec::new();
    let started = Instant::now();
    for model in &models {
        let generated = Instant::now();
        match generate(&root, &scratch, model) {
            Ok(warnings) => {
                // Warnings name what the generator skipped or does not implement (event
                // streams, unauthenticated operations, ...).
                let note = format!(
                    "generated in {:.1}s{}",
                    generated.elapsed().as_secs_f64(),
                    if warnings == 0 {
                        String::new()
                    } else {
                        format!(", {warnings} warnings")
                    }
                );
                if !args.generate_only && (!model.from_corpus || sampled.contains(&model.name)) {
                    to_compile.push((model, note));
                } else {
                    results.push((model.name.clone(), Ok(note)));
                }
            }
            Err(e) => results.push((model.name.clone(), Err(format!("generate: {e}")))),
        }
    }
    println!(
        "check-models: generated {} models in {:.0}s",
        models.len(),
        started.elapsed().as_secs_f64()
    );

    write_workspace(&root, &scratch, to_compile.iter().map(|(m, _)| *m))?;
    let target = args
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target"));
    let logs = scratch.join("logs");
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let compiled = Instant::now();
    let models: Vec<&Model> = to_compile.iter().map(|(m, _)| *m).collect();
    let mut outcome = compile_all(&target, &scratch, &logs, &models);
    println!(
        "check-models: clippy, doc and tests of {} crates in {:.0}s",
        models.len(),
        compiled.elapsed().as_secs_f64()
    );
    for (model, note) in &to_compile {
        let result = match outcome.remove(&model.name) {
            Some(error) => Err(error),
            None => Ok(format!(
                "{note}, compiled, clippy-clean, docs and tests pass"
            )),
        };
        results.push((model.name.clone(), result));
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    println!();
    for (name, result) in &results {
        print_line(name, result);
    }
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    println!(
        "check-models: {} passed, {failed} failed ({} compiled) in {:.0}s",
        results.len() - failed,
        to_compile.len(),
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        Ok(())
    } else {
        Err(format!(
            "{failed} models failed; cargo's output is in {}",
            logs.display()
        ))
    }
}

fn print_line(name: &str, result: &Result<String, String>) {
    match result {
        Ok(note) => println!("ok    {name} ({note})"),
        Err(e) => println!("FAIL  {name}: {e}"),
    }
}

/// `count` corpus models, spread over the sorted list (every `len / count`-th model, starting at
/// `rotation` modulo the stride), so each day compiles a different mix of sizes.
fn sample(models: &[&str], count: usize, rotation: u64) -> Vec<String> {
    if count == 0 || models.is_empty() {
        return Vec::new();
    }
    if count >= models.len() {
        return models.iter().map(|s| s.to_string()).collect();
    }
    let stride = models.len() / count;
    let start = (rotation % stride as u64) as usize;
    models
        .iter()
        .skip(start)
        .step_by(stride)
        .take(count)
        .map(|s| s.to_string())
        .collect()
}

fn days_since_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0)
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    Ok(found)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

fn crate_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("check-{name}")
}

/// Generates one model into its crate directory; returns how many warnings the generator gave.
fn generate(root: &Path, scratch: &Path, model: &Model) -> Result<usize, String> {
    let out = scratch.join(&model.crate_name);
    let settings = Settings {
        crate_name: model.crate_name.clone(),
        command: format!("cargo xtask check-models (from {}.json)", model.name),
        ..Settings::default()
    };
    let generated = write::generate_report_from_file(&model.path, &settings)?;
    let plan = write::plan(&out, &generated.files)?;
    write::apply(&out, &generated.files, &plan)?;
    let scratch_tests = copy_scratch_tests(root, &model.name, &out)?;
    let dev_dependencies = if scratch_tests {
        format!(
            "\n[dev-dependencies]\nintegration-tests = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"time\"] }}\n",
            root.join("tests").display().to_string()
        )
    } else {
        String::new()
    };
    let features: Vec<String> = generated
        .runtime_features
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask check-models`.\n[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\naws-thin-runtime = {{ path = {:?}, features = [{}] }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = {{ version = \"1\", features = [\"raw_value\"] }}\n\n[features]\nblocking = []\ntest-util = [\"aws-thin-runtime/test-util\"]\n{dev_dependencies}",
        model.crate_name,
        root.join("runtime").display().to_string(),
        features.join(", ")
    );
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    Ok(generated.warnings.len())
}

/// The scratch workspace: the crates to compile, the workspace's lock file.
fn write_workspace<'a>(
    root: &Path,
    scratch: &Path,
    members: impl Iterator<Item = &'a Model>,
) -> Result<(), String> {
    let members: Vec<String> = members.map(|m| format!("{:?}", m.crate_name)).collect();
    let manifest = format!(
        "# Written by `cargo xtask check-models`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    write_if_changed(&scratch.join("Cargo.toml"), &manifest)?;
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write_if_changed(&scratch.join("Cargo.lock"), &lock)
}

/// A cargo step: its name, the arguments before and after the `-p` list, an environment variable.
type Step<'a> = (
    &'a str,
    &'a [&'a str],
    &'a [&'a str],
    Option<(&'a str, &'a str)>,
);

/// Clippy (warnings denied), rustdoc (warnings denied) and the tests of the generated crates.
///
/// Each step runs once for all the crates still passing (cargo builds them in parallel and
/// shares the dependencies); when it fails, it runs per crate to say which failed (the passing
/// ones are cached by then). Returns the failures by model name.
fn compile_all(
    target: &Path,
    scratch: &Path,
    logs: &Path,
    models: &[&Model],
) -> std::collections::BTreeMap<String, String> {
    let mut failed = std::collections::BTreeMap::new();
    let doc_flags = Some(("RUSTDOCFLAGS", "-Dwarnings"));
    // Hand-written tests copied from tests/scratch/ may use moto (tests/src/moto.rs).
    let with_tests: Vec<&Model> = models
        .iter()
        .copied()
        .filter(|m| scratch.join(&m.crate_name).join("tests").is_dir())
        .collect();
    let python = if with_tests.is_empty() {
        None
    } else {
        match crate::test_cmd::ensure_venv(&workspace_root()) {
            Ok(python) => Some(python.display().to_string()),
            Err(e) => {
                for model in &with_tests {
                    failed.insert(model.name.clone(), format!("moto venv: {e}"));
                }
                None
            }
        }
    };
    let moto_env = python.as_deref().map(|p| ("AWS_THIN_MOTO_PYTHON", p));
    let steps: [Step; 3] = [
        (
            "clippy",
            &["clippy", "--all-targets", "--all-features", "--offline"],
            &["--", "-D", "warnings"],
            None,
        ),
        (
            "doc",
            &["doc", "--no-deps", "--all-features", "--offline"],
            &[],
            doc_flags,
        ),
        (
            "test",
            &["test", "--offline", "--no-fail-fast"],
            &[],
            moto_env,
        ),
    ];
    for (step, head, tail, env) in steps {
        let passing: Vec<&Model> = models
            .iter()
            .copied()
            .filter(|m| !failed.contains_key(&m.name))
            .collect();
        if passing.is_empty() {
            break;
        }
        let mut args: Vec<&str> = head.to_vec();
        for model in &passing {
            args.extend(["-p", model.crate_name.as_str()]);
        }
        args.extend(tail);
        let log = logs.join(format!("all-{step}.log"));
        let _ = fs::remove_file(&log);
        if cargo(scratch, target, &args, env, &log).is_ok() {
            continue;
        }
        for model in passing {
            let log = logs.join(format!("{}.log", model.name));
            let mut args: Vec<&str> = head.to_vec();
            args.extend(["-p", model.crate_name.as_str()]);
            args.extend(tail);
            if let Err(e) = cargo(scratch, target, &args, env, &log) {
                failed.insert(
                    model.name.clone(),
                    format!("{step}: {e} (log: {})", log.display()),
                );
            }
        }
    }
    failed
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
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs cargo in `dir`, appending its output to `log`; on failure returns the first error line.
fn cargo(
    dir: &Path,
    target: &Path,
    args: &[&str],
    env: Option<(&str, &str)>,
    log: &Path,
) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .envs(env)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut text = format!("$ cargo {}\n", args.join(" "));
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let mut previous = fs::read_to_string(log).unwrap_or_default();
    previous.push_str(&text);
    fs::write(log, previous).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    if output.status.success() {
        return Ok(());
    }
    let first_error = text
        .lines()
        .find(|l| l.starts_with("error") || l.contains("FAILED") || l.contains("panicked"))
        .unwrap_or("failed")
        .to_string();
    Err(first_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_spread_and_rotates() {
        let models: Vec<String> = (0..30).map(|i| format!("m{i:02}")).collect();
        let models: Vec<&str> = models.iter().map(String::as_str).collect();
        assert_eq!(
            sample(&models, 10, 0),
            ["m00", "m03", "m06", "m09", "m12", "m15", "m18", "m21", "m24", "m27"]
        );
        assert_eq!(sample(&models, 10, 1)[0], "m01");
        assert_eq!(sample(&models, 10, 3), sample(&models, 10, 0));
        assert_eq!(sample(&models, 40, 5).len(), 30);
        assert!(sample(&models, 0, 5).is_empty());
    }

    #[test]
    fn crate_names_are_package_names() {
        assert_eq!(crate_name("acm-pca-2017-08-22"), "check-acm-pca-2017-08-22");
        assert_eq!(
            crate_name("ecr-2015-09-21.aws-sdk-rust-71de471"),
            "check-ecr-2015-09-21-aws-sdk-rust-71de471"
        );
    }
}
