//! `cargo xtask codegen`: generate, then write only what changed (or, with `--check`, only report).

use std::path::{Path, PathBuf};

use aws_thin_codegen::{write, Settings, SettingsFile};

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

struct Args {
    settings: Option<PathBuf>,
    model: Option<PathBuf>,
    operations: Option<Vec<String>>,
    out: PathBuf,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        settings: None,
        model: None,
        operations: None,
        out: workspace_root().join("generated"),
        check: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--settings" => parsed.settings = Some(PathBuf::from(value("--settings")?)),
            "--model" => parsed.model = Some(PathBuf::from(value("--model")?)),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--operations" => {
                let list = value("--operations")?;
                parsed.operations = Some(
                    list.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
            "--check" => parsed.check = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see `cargo xtask --help`)"
                ))
            }
        }
    }
    Ok(parsed)
}

/// Runs `cargo xtask codegen ARGS`; on error nothing has been written.
///
/// Without `--model`, the model and the operations come from the settings file
/// (`model/codegen.json`); with `--model` alone, every operation of that model is generated.
pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let (model, mut settings) = match (&args.settings, &args.model) {
        (None, Some(model)) => (model.clone(), Settings::default()),
        (settings, model) => {
            let settings = settings
                .clone()
                .unwrap_or_else(|| workspace_root().join("model/codegen.json"));
            let (settings_model, settings) =
                SettingsFile::load(&settings).map_err(|e| e.to_string())?;
            (model.clone().unwrap_or(settings_model), settings)
        }
    };
    if args.operations.is_some() {
        settings.operations = args.operations.clone();
    }
    let generated = write::generate_report_from_file(&model, &settings)?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    let files = generated.files;
    let plan = write::sync(&args.out, &files, args.check, "cargo xtask codegen")?;
    if !args.check {
        for line in write::describe(&args.out, &files, &plan) {
            println!("{line}");
        }
    }
    Ok(())
}
