//! `cargo xtask test [ARGS...]`: the project's one test command.
//!
//! 1. Makes sure `target/moto-venv` is a Python venv with `tests/moto/requirements.txt`
//!    installed (the end-to-end tests run moto's server from it). A stamp file records a hash of
//!    the requirements it was built from; while it matches and the venv's python runs, nothing is
//!    installed and no network is needed. When the requirements change, the venv is rebuilt.
//! 2. Runs `cargo test --workspace ARGS...` with `AWS_THIN_MOTO_PYTHON` pointing at the venv's
//!    python (the tests start and stop their own moto servers on 127.0.0.1).
//! 3. Exits with cargo's exit status.
//!
//! ARGS go to `cargo test` as given: `cargo xtask test -- --nocapture`,
//! `cargo xtask test -p integration-tests --test it moto_harness` (with `-p`/`--package`,
//! `--workspace` is not added).
//!
//! Environment: `AWS_THIN_PYTHON` picks the interpreter that creates the venv (default `python3`,
//! then `python`); it must be Python 3.11 to 3.14 (what the pinned packages support).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const VENV_DIR: &str = "target/moto-venv";
const REQUIREMENTS: &str = "tests/moto/requirements.txt";
const STAMP: &str = "aws-thin-requirements.stamp";
const PYTHON_ENV: &str = "AWS_THIN_MOTO_PYTHON";
/// Python versions the pinned requirements install on (minor versions of 3).
const PYTHON_MINOR: std::ops::RangeInclusive<u32> = 11..=14;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let python = ensure_venv(&root)?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root).arg("test");
    let selects_packages = args
        .iter()
        .take_while(|a| a.as_str() != "--")
        .any(|a| a == "--workspace" || a.starts_with("--package") || a.starts_with("-p"));
    if !selects_packages {
        cmd.arg("--workspace");
    }
    cmd.args(args).env(PYTHON_ENV, &python);
    eprintln!("xtask test: running {}", describe(&cmd));
    // Tee cargo's stdout to ours, adding up its per-binary summaries into one closing line.
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut totals = TestTotals::default();
    if let Some(stdout) = child.stdout.take() {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read cargo's output: {e}"))?;
            totals.add(&line);
            println!("{line}");
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo: {e}"))?;
    println!(
        "\ntests: {} passed, {} failed, {} skipped",
        totals.passed, totals.failed, totals.ignored
    );
    if status.success() {
        Ok(())
    } else {
        // Propagate cargo's exit status exactly (101 for failed tests, etc.).
        std::process::exit(status.code().unwrap_or(1));
    }
}

/// Sums of libtest's `test result: ok. 3 passed; 0 failed; 1 ignored; ...` lines.
#[derive(Default, Debug, PartialEq)]
struct TestTotals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl TestTotals {
    fn add(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match kind {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

/// Creates or refreshes the venv when needed; returns its python.
pub(crate) fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(VENV_DIR);
    let venv_python = if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    };
    let requirements_path = root.join(REQUIREMENTS);
    let requirements = fs::read(&requirements_path)
        .map_err(|e| format!("cannot read {}: {e}", requirements_path.display()))?;
    let stamp_path = venv.join(STAMP);
    let want_stamp = format!("requirements-fnv1a64 {:016x}\n", fnv1a64(&requirements));

    let stamp_matches = fs::read_to_string(&stamp_path).is_ok_and(|s| s == want_stamp);
    if stamp_matches && runs(&venv_python) {
        return Ok(venv_python);
    }

    let base = find_base_python()?;
    eprintln!(
        "xtask test: creating the moto venv {} from {} (once; needs network for PyPI)",
        venv.display(),
        REQUIREMENTS
    );
    // Start from scratch so the venv holds exactly the pinned packages.
    let _ = fs::remove_file(&stamp_path);
    let mut create = Command::new(&base);
    create.arg("-m").arg("venv").arg("--clear").arg(&venv);
    run_checked(&mut create, "create the venv").map_err(|e| {
        format!(
            "{e}\nhint: on Debian/Ubuntu `python3 -m venv` needs the python3-venv package \
             (apt-get install python3-venv)"
        )
    })?;
    let mut install = Command::new(&venv_python);
    install
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "-q",
            "-r",
        ])
        .arg(&requirements_path);
    run_checked(&mut install, "install the moto requirements")?;
    fs::write(&stamp_path, want_stamp)
        .map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    Ok(venv_python)
}

/// `$AWS_THIN_PYTHON`, else `python3`, else `python`, checked to be a supported version.
fn find_base_python() -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match std::env::var_os("AWS_THIN_PYTHON") {
        Some(p) if !p.is_empty() => vec![p.into()],
        _ => vec!["python3".into(), "python".into()],
    };
    let mut seen = Vec::new();
    for candidate in &candidates {
        let out = Command::new(candidate)
            .args(["-c", "import sys; print('%d %d' % sys.version_info[:2])"])
            .stdin(Stdio::null())
            .output();
        let Ok(out) = out else {
            seen.push(format!("{}: not found", candidate.display()));
            continue;
        };
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let mut parts = version.split(' ').map(|p| p.parse::<u32>());
        match (out.status.success(), parts.next(), parts.next()) {
            (true, Some(Ok(3)), Some(Ok(minor))) if PYTHON_MINOR.contains(&minor) => {
                return Ok(candidate.clone())
            }
            (true, Some(Ok(major)), Some(Ok(minor))) => {
                seen.push(format!("{}: Python {major}.{minor}", candidate.display()))
            }
            _ => seen.push(format!(
                "{}: does not run ({})",
                candidate.display(),
                out.status
            )),
        }
    }
    Err(format!(
        "the end-to-end tests need Python 3.{}..=3.{} (with venv and pip) to run moto's server, \
         and none was found ({}). Install python3 (and python3-venv on Debian/Ubuntu), or set \
         AWS_THIN_PYTHON to a suitable interpreter.",
        PYTHON_MINOR.start(),
        PYTHON_MINOR.end(),
        seen.join("; ")
    ))
}

/// Exits 0 when moto and boto3 are installed (found without importing them, which is slow).
const FIND_PACKAGES: &str = "import importlib.util as u, sys; \
    sys.exit(0 if u.find_spec('moto') and u.find_spec('boto3') else 1)";

/// Whether `python` exists, starts (a venv whose base interpreter went away does not) and has
/// the packages.
fn runs(python: &Path) -> bool {
    python.is_file()
        && Command::new(python)
            .args(["-c", FIND_PACKAGES])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

fn run_checked(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot {what}: cannot run {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot {what}: `{}` failed ({status})",
            describe(cmd)
        ))
    }
}

fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// FNV-1a, 64 bits: a stable content hash without external crates.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up_libtest_summaries() {
        let mut totals = TestTotals::default();
        totals.add("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        totals.add("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s");
        totals.add("running 3 tests");
        assert_eq!(
            totals,
            TestTotals {
                passed: 15,
                failed: 2,
                ignored: 1
            }
        );
    }

    #[test]
    fn fnv1a64_matches_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
