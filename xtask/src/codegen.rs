//! `cargo xtask codegen`: generate, then write only what changed (or, with `--check`, only report).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use aws_thin_codegen::{emit, generate, Model, Settings};

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
            other => return Err(format!("unknown argument `{other}` (see `cargo xtask --help`)")),
        }
    }
    Ok(parsed)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let json = fs::read_to_string(&args.model)
        .map_err(|e| format!("cannot read the model {}: {e}", args.model.display()))?;
    let origin = args.model.display().to_string();
    let model = Model::from_json(&json, &origin).map_err(|e| e.to_string())?;
    let settings = Settings {
        operations: args.operations.clone(),
        ..Settings::default()
    };
    let files = generate(&model, &settings).map_err(|e| format!("{origin}: {e}"))?;
    let plan = plan(&args.out, &files)?;

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

    for path in &plan.write {
        let full = args.out.join(path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&full, &files[path]).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
        println!("wrote   {}", full.display());
    }
    for path in &plan.remove {
        let full = args.out.join(path);
        fs::remove_file(&full).map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
        println!("removed {}", full.display());
    }
    if plan.is_empty() {
        println!("{} is up to date ({} files)", args.out.display(), files.len());
    }
    Ok(())
}

/// What a run changes: files whose content differs, and generated files no longer produced.
struct Plan {
    write: Vec<PathBuf>,
    remove: Vec<PathBuf>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.write.is_empty() && self.remove.is_empty()
    }
}

fn plan(out: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Plan, String> {
    let write = files
        .iter()
        .filter(|(path, content)| fs::read_to_string(out.join(path)).ok().as_deref() != Some(content.as_str()))
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
