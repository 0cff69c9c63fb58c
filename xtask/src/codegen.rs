//! `cargo xtask codegen`: generate, then write only what changed (or, with `--check`, only report).

use std::path::{Path, PathBuf};

use aws_thin_codegen::{write, Settings};

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

struct Args {
    model: PathBuf,
    operations: Option<Vec<String>>,
    out: PathBuf,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let root = workspace_root();
    let mut parsed = Args {
        model: root.join("model/ecr.json"),
        operations: None,
        out: root.join("generated"),
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
            "--model" => parsed.model = PathBuf::from(value("--model")?),
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
pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let settings = Settings {
        operations: args.operations.clone(),
        ..Settings::default()
    };
    let files = write::generate_from_file(&args.model, &settings)?;
    let plan = write::plan(&args.out, &files)?;

    if args.check {
        if plan.is_empty() {
            return Ok(());
        }
        let mut message = format!("{} is stale:\n", args.out.display());
        for path in &plan.write {
            message.push_str(&format!("  would write  {}\n", path.display()));
        }
        for path in &plan.remove {
            message.push_str(&format!("  would remove {}\n", path.display()));
        }
        message.push_str("run `cargo xtask codegen` to regenerate");
        return Err(message);
    }

    write::apply(&args.out, &files, &plan)?;
    for path in &plan.write {
        println!("wrote   {}", args.out.join(path).display());
    }
    for path in &plan.remove {
        println!("removed {}", args.out.join(path).display());
    }
    if plan.is_empty() {
        println!(
            "{} is up to date ({} files)",
            args.out.display(),
            files.len()
        );
    }
    Ok(())
}
