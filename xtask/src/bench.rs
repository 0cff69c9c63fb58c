//! `cargo xtask bench`: aws-thin beside the official SDK, measured in one run on one machine
//! (see BENCHMARKS.md for what each row means and the last results).
//!
//! Three clients run the same DeleteRepository loop (`bench/client_loop.rs`) against one stub
//! server process: ours (`bench/aws-thin-ecr-bench/benches/side_by_side.rs`, `Client::from_env()`), `aws-sdk-ecr`
//! configured explicitly and `aws-sdk-ecr` through aws-config's defaults loader
//! (`bench/baseline-aws-sdk-ecr`, its own workspace, built under `--target-root`). Only ratios
//! measured in the same run mean something on a shared machine; instruction counts (callgrind)
//! do not depend on load, times and build CPU do.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::codegen::workspace_root;

const USAGE: &str = "\
usage: cargo xtask bench [--skip-build] [--only PART,PART] [--sides ours,sdk,sdk-config]
                         [--profiles release,debug] [--target-root DIR] [--stub-endpoint URL]
  PART: per-call (callgrind, marginal), time (pinned CPU and wall, RSS over 100 k calls),
        startup, concurrency, size, crates, build (clean release and debug builds, CPU).
  --skip-build   every part but the clean builds (the slow part: about 18 CPU-minutes).
  --profiles     the clean builds to measure (default both).
  --target-root  where the baseline's and the clean builds' target dirs go (default target/bench).";

const BASELINE: &str = "bench/baseline-aws-sdk-ecr";
const PARTS: [&str; 7] = [
    "per-call",
    "time",
    "startup",
    "concurrency",
    "size",
    "crates",
    "build",
];
/// Calls per run for the marginal instruction count: Ir(large) - Ir(small) over the difference.
const CALLGRIND_CALLS: (u64, u64) = (1_000, 2_000);
const CONCURRENCY: u64 = 1_000;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Ours,
    Sdk,
    SdkConfig,
}

impl Side {
    const ALL: [Side; 3] = [Side::Ours, Side::Sdk, Side::SdkConfig];

    fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Sdk => "sdk",
            Side::SdkConfig => "sdk-config",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Side::Ours => "aws-thin",
            Side::Sdk => "aws-sdk-ecr",
            Side::SdkConfig => "aws-sdk-ecr + aws-config",
        }
    }
}

struct Args {
    parts: Vec<&'static str>,
    sides: Vec<Side>,
    target_root: PathBuf,
    stub_endpoint: Option<String>,
    /// Clean builds to measure: release, debug or both.
    profiles: Vec<bool>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let root = workspace_root();
    let mut parsed = Args {
        parts: PARTS.to_vec(),
        sides: Side::ALL.to_vec(),
        target_root: root.join("target/bench"),
        stub_endpoint: None,
        profiles: vec![true, false],
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--skip-build" => parsed.parts.retain(|p| *p != "build"),
            "--only" => {
                let list = value("--only")?;
                let mut parts = Vec::new();
                for name in list.split(',') {
                    let part = PARTS
                        .iter()
                        .find(|p| **p == name.trim())
                        .ok_or_else(|| format!("unknown part `{name}`\n{USAGE}"))?;
                    parts.push(*part);
                }
                parsed.parts = parts;
            }
            "--sides" => {
                let list = value("--sides")?;
                let mut sides = Vec::new();
                for name in list.split(',') {
                    let side = Side::ALL
                        .into_iter()
                        .find(|s| s.name() == name.trim())
                        .ok_or_else(|| format!("unknown side `{name}`\n{USAGE}"))?;
                    sides.push(side);
                }
                parsed.sides = sides;
            }
            "--target-root" => parsed.target_root = PathBuf::from(value("--target-root")?),
            "--stub-endpoint" => parsed.stub_endpoint = Some(value("--stub-endpoint")?),
            "--profiles" => {
                let list = value("--profiles")?;
                let mut profiles = Vec::new();
                for name in list.split(',') {
                    match name.trim() {
                        "release" => profiles.push(true),
                        "debug" => profiles.push(false),
                        other => return Err(format!("unknown profile `{other}`\n{USAGE}")),
                    }
                }
                parsed.profiles = profiles;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// One measured figure per side; `None` where it was not measured.
struct Row {
    what: String,
    unit: &'static str,
    values: Vec<Option<f64>>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let root = workspace_root();
    std::fs::create_dir_all(&args.target_root)
        .map_err(|e| format!("cannot create {}: {e}", args.target_root.display()))?;
    let wants = |part: &str| args.parts.contains(&part);
    let header = run_header(&root);
    eprintln!("{header}");

    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let side_count = args.sides.len();
    let row = |rows: &mut Vec<Row>, what: &str, unit: &'static str, side: Side, value: f64| {
        let index = args.sides.iter().position(|s| *s == side).expect("side");
        let existing = rows.iter().position(|r| r.what == what);
        let row = match existing {
            Some(i) => &mut rows[i],
            None => {
                rows.push(Row {
                    what: what.to_string(),
                    unit,
                    values: vec![None; side_count],
                });
                rows.last_mut().expect("pushed")
            }
        };
        row.values[index] = Some(value);
    };

    // The clean builds first: they are the only part that load changes much, and they run
    // back to back, three sides per profile, so that their ratios are fair.
    if wants("build") {
        for &release in &args.profiles {
            for &side in &args.sides {
                let (user, sys, wall) = clean_build(&root, &args.target_root, side, release)?;
                let profile = if release { "release" } else { "debug" };
                eprintln!(
                    "bench: clean {profile} build, {}: user {user:.1} s + sys {sys:.1} s, wall {wall:.1} s",
                    side.title()
                );
                row(
                    &mut rows,
                    &format!("clean {profile} build CPU (user + sys)"),
                    "s",
                    side,
                    user + sys,
                );
                row(
                    &mut rows,
                    &format!("clean {profile} build wall (2 cores, shared)"),
                    "s",
                    side,
                    wall,
                );
            }
        }
    }

    let measures_runs = ["per-call", "time", "startup", "concurrency", "size"]
        .iter()
        .any(|p| wants(p));
    let mut programs = BTreeMap::new();
    let mut stub_program = None;
    if measures_runs {
        for &side in &args.sides {
            programs.insert(side.name(), build_program(&root, &args.target_root, side)?);
        }
        if args.stub_endpoint.is_none() {
            stub_program = Some(build_ours(&root)?.1);
        }
    }

    if wants("size") {
        for &side in &args.sides {
            let size = std::fs::metadata(&programs[side.name()])
                .map_err(|e| format!("size of the {} program: {e}", side.name()))?
                .len();
            row(
                &mut rows,
                "stripped release binary (the loop program)",
                "MB",
                side,
                size as f64 / 1e6,
            );
        }
    }
    if wants("crates") {
        for &side in &args.sides {
            row(
                &mut rows,
                "crates (`cargo tree -e normal`, non-workspace)",
                "",
                side,
                crate_count(&root, side)? as f64,
            );
        }
    }

    let runs_wanted = ["per-call", "time", "startup", "concurrency"]
        .iter()
        .any(|p| wants(p));
    if runs_wanted {
        let stub = match (&args.stub_endpoint, &stub_program) {
            (Some(url), _) => Stub::External(url.clone()),
            (None, Some(program)) => Stub::start(program)?,
            (None, None) => unreachable!("the stub is built when runs are wanted"),
        };
        let endpoint = stub.endpoint().to_string();
        notes.push(format!(
            "one stub server process for every run: {}",
            stub.describe()
        ));
        for &side in &args.sides {
            let program = &programs[side.name()];
            let client = |extra: &[&str]| -> Command {
                let mut command = Command::new(program);
                client_env(&mut command, &endpoint);
                command.args(extra);
                command
            };
            if wants("per-call") {
                let per_call = marginal_instructions(side, &args.target_root, |calls| {
                    let mut command = client(&["--warmup", "500", "--iters", &calls.to_string()]);
                    under_callgrind(&mut command);
                    command
                })?;
                row(
                    &mut rows,
                    "instructions per call (callgrind, marginal)",
                    "",
                    side,
                    per_call,
                );
            }
            if wants("startup") {
                let startup = startup_instructions(side, &args.target_root, client(&[]))?;
                row(
                    &mut rows,
                    "start-up instructions (process start to first request sent)",
                    "M",
                    side,
                    startup as f64 / 1e6,
                );
            }
            if wants("time") {
                let mut command = pinned(client(&[
                    "--warmup",
                    "500",
                    "--iters",
                    "20000",
                    "--runs",
                    "5",
                    "--rss-at",
                    "10000,100000",
                ]));
                let report = LoopReport::run(&mut command)?;
                row(
                    &mut rows,
                    "client CPU per call (pinned, median of 5 × 20 k)",
                    "µs",
                    side,
                    median(&report.cpu_us),
                );
                row(
                    &mut rows,
                    "wall per call (pinned, median of 5 × 20 k)",
                    "µs",
                    side,
                    median(&report.wall_us),
                );
                for (calls, kib) in &report.rss_at {
                    row(
                        &mut rows,
                        &format!("RSS after {} k sequential calls", calls / 1000),
                        "MiB",
                        side,
                        *kib as f64 / 1024.0,
                    );
                }
                row(
                    &mut rows,
                    "peak RSS, 100 k sequential calls",
                    "MiB",
                    side,
                    report.peak_rss_kib as f64 / 1024.0,
                );
            }
            if wants("concurrency") {
                let concurrency = CONCURRENCY.to_string();
                let mut command = pinned(client(&[
                    "--concurrency",
                    &concurrency,
                    "--iters",
                    &concurrency,
                ]));
                let report = LoopReport::run(&mut command)?;
                row(
                    &mut rows,
                    &format!("peak RSS, {CONCURRENCY} concurrent calls on one client"),
                    "MiB",
                    side,
                    report.peak_rss_kib as f64 / 1024.0,
                );
                let per_call = marginal_instructions(side, &args.target_root, |calls| {
                    let mut command = client(&[
                        "--concurrency",
                        &concurrency,
                        "--warmup",
                        &concurrency,
                        "--iters",
                        &calls.to_string(),
                    ]);
                    under_callgrind(&mut command);
                    command
                })?;
                row(
                    &mut rows,
                    &format!("instructions per call, {CONCURRENCY} concurrent (marginal)"),
                    "",
                    side,
                    per_call,
                );
            }
        }
        drop(stub);
    }

    let footer = format!(
        "load average at the end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!("{header}\n{footer}");
    for note in &notes {
        println!("{note}");
    }
    println!("\n{}", table(&args.sides, &rows));
    Ok(())
}

/// The date, commit, command and machine, printed above the table.
fn run_header(root: &Path) -> String {
    let output = |program: &str, args: &[&str]| -> String {
        Command::new(program)
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let dirty = if output("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let command: Vec<String> = std::env::args().skip(1).collect();
    format!(
        "date: {}\ncommit: {}{dirty}\ncommand: cargo xtask {}\nmachine: {cores} cores ({cpu}), {}, {}, {}\nload average at the start: {}",
        output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        output("git", &["rev-parse", "--short=10", "HEAD"]),
        command.join(" "),
        output("rustc", &["--version"]),
        output("valgrind", &["--version"]),
        output("uname", &["-r"]),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
    )
}

// ---------------------------------------------------------------------------------------------
// Building.

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn run_checked(command: &mut Command, what: &str) -> Result<String, String> {
    eprintln!("bench: {what}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{what} failed: {}", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Builds one side's loop program (incrementally) and returns its path.
fn build_program(root: &Path, target_root: &Path, side: Side) -> Result<PathBuf, String> {
    match side {
        Side::Ours => Ok(build_ours(root)?.0),
        Side::Sdk | Side::SdkConfig => {
            let target = run_target(target_root, side);
            let mut command = baseline_cargo(root, side, "build");
            command
                .args(["--release", "--locked"])
                .env("CARGO_TARGET_DIR", &target);
            run_checked(
                &mut command,
                &format!("build the {} loop program", side.title()),
            )?;
            Ok(target.join("release/baseline-aws-sdk-ecr"))
        }
    }
}

fn run_target(target_root: &Path, side: Side) -> PathBuf {
    target_root.join(format!("run-{}", side.name()))
}

/// Our loop program and the stub server (`tests/stub-server`'s binary: the canned
/// DeleteRepository answer of the per-call bench), in one cargo run.
fn build_ours(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let mut command = cargo();
    command.current_dir(root).args([
        "build",
        "--release",
        "--locked",
        "-p",
        "aws-thin-ecr-bench",
        "-p",
        "stub-server",
        "--bench",
        "side_by_side",
        "--bin",
        "stub-server",
        "--message-format=json-render-diagnostics",
    ]);
    let stdout = run_checked(
        &mut command,
        "build aws-thin's loop program and the stub server",
    )?;
    Ok((
        executable(&stdout, "side_by_side")?,
        executable(&stdout, "stub-server")?,
    ))
}

/// `cargo SUBCOMMAND` in the baseline's workspace, with the side's features.
fn baseline_cargo(root: &Path, side: Side, subcommand: &str) -> Command {
    let mut command = cargo();
    command.current_dir(root.join(BASELINE)).arg(subcommand);
    if side == Side::SdkConfig {
        command.args(["--features", "aws-config"]);
    }
    command
}

/// The `"executable"` of a target in cargo's JSON messages.
fn executable(messages: &str, target: &str) -> Result<PathBuf, String> {
    messages
        .lines()
        .filter(|line| line.contains(&format!("\"name\":\"{target}\"")))
        .find_map(|line| {
            let start = line.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = start + line[start..].find('"')?;
            Some(PathBuf::from(&line[start..end]))
        })
        .ok_or_else(|| format!("cargo did not report the {target} executable"))
}

/// One clean build in a fresh target dir (deleted afterwards): (user, sys, wall) seconds.
fn clean_build(
    root: &Path,
    target_root: &Path,
    side: Side,
    release: bool,
) -> Result<(f64, f64, f64), String> {
    let profile = if release { "release" } else { "debug" };
    // The SDK's clean release build is the one its loop runs from (kept: a rerun with
    // `--skip-build` finds it built); the others are deleted after measuring.
    let keep = release && side != Side::Ours;
    let target = if keep {
        run_target(target_root, side)
    } else {
        target_root.join(format!("clean-{}-{profile}", side.name()))
    };
    let times = target_root.join(format!("clean-{}-{profile}.time", side.name()));
    let _ = std::fs::remove_dir_all(&target);
    let cargo_path = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new("/usr/bin/time");
    command
        .arg("-f")
        .arg("%U %S %e")
        .arg("-o")
        .arg(&times)
        .arg(&cargo_path)
        .arg("build")
        .arg("--locked")
        .env("CARGO_TARGET_DIR", &target);
    if release {
        command.arg("--release");
    }
    match side {
        Side::Ours => {
            // `--timings`: where our build CPU goes, kept beside the target dirs.
            command.current_dir(root).args([
                "-p",
                "aws-thin-ecr",
                "--example",
                "delete_repository",
                "--timings",
            ]);
        }
        Side::Sdk | Side::SdkConfig => {
            command.current_dir(root.join(BASELINE));
            if side == Side::SdkConfig {
                command.args(["--features", "aws-config"]);
            }
        }
    }
    command.stdout(Stdio::null()).stderr(Stdio::null());
    run_checked(
        &mut command,
        &format!(
            "clean {profile} build of {} in {}",
            side.title(),
            target.display()
        ),
    )?;
    let text = std::fs::read_to_string(&times).map_err(|e| format!("{}: {e}", times.display()))?;
    if side == Side::Ours {
        let report = target.join("cargo-timings/cargo-timing.html");
        let kept = target_root.join(format!("timings-ours-{profile}.html"));
        if std::fs::copy(&report, &kept).is_ok() {
            eprintln!("bench: per-crate build times: {}", kept.display());
        }
    }
    if !keep {
        let _ = std::fs::remove_dir_all(&target);
    }
    let _ = std::fs::remove_file(&times);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [user, sys, wall] => Ok((user, sys, wall)),
        _ => Err(format!("unexpected /usr/bin/time output `{text}`")),
    }
}

/// Non-workspace crates in the side's normal dependency tree.
fn crate_count(root: &Path, side: Side) -> Result<usize, String> {
    let mut command = match side {
        Side::Ours => {
            let mut command = cargo();
            command
                .current_dir(root)
                .args(["tree", "-p", "aws-thin-ecr"]);
            command
        }
        Side::Sdk | Side::SdkConfig => baseline_cargo(root, side, "tree"),
    };
    command.args(["-e", "normal", "--prefix", "none", "--locked"]);
    let stdout = run_checked(
        &mut command,
        &format!("count the crates of {}", side.title()),
    )?;
    let crates: std::collections::BTreeSet<&str> = stdout
        .lines()
        .map(|line| {
            line.trim_end_matches(" (*)")
                .trim_end_matches(" (proc-macro)")
        })
        // Path dependencies (the workspace's own crates) show their directory.
        .filter(|line| !line.is_empty() && !line.contains(" (/"))
        .collect();
    Ok(crates.len())
}

// ---------------------------------------------------------------------------------------------
// Running.

enum Stub {
    Process { child: Child, endpoint: String },
    External(String),
}

impl Stub {
    /// Starts the stub pinned to CPU 0, like the clients, and reads the port it prints.
    fn start(program: &Path) -> Result<Stub, String> {
        let mut child = Command::new("taskset")
            .args(["-c", "0"])
            .arg(program)
            .stdin(Stdio::piped()) // it exits when this closes
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the stub server: {e}"))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the stub's port: {e}"))?;
        let port: u16 = line
            .trim()
            .parse()
            .map_err(|_| format!("the stub printed `{}`, not a port", line.trim()))?;
        Ok(Stub::Process {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        })
    }

    fn endpoint(&self) -> &str {
        match self {
            Stub::Process { endpoint, .. } | Stub::External(endpoint) => endpoint,
        }
    }

    fn describe(&self) -> String {
        match self {
            Stub::Process { child, endpoint } => format!(
                "`stub-server` (pid {}, pinned to CPU 0) on {endpoint}",
                child.id()
            ),
            Stub::External(endpoint) => format!("given, {endpoint}"),
        }
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        if let Stub::Process { child, .. } = self {
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

/// What every client reads: the stub as endpoint, static keys from the environment, nothing
/// else from the caller's AWS_* variables (profiles, tokens) that would change the chain.
fn client_env(command: &mut Command, endpoint: &str) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_REGION", "us-west-2")
        // Nothing but loopback: no instance metadata service is asked.
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .stdin(Stdio::null());
}

fn pinned(command: Command) -> Command {
    let mut pinned = Command::new("taskset");
    pinned.args(["-c", "0"]).arg(command.get_program());
    pinned.args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => pinned.env(name, value),
            None => pinned.env_remove(name),
        };
    }
    pinned.stdin(Stdio::null());
    pinned
}

/// Turns `PROGRAM ARGS` into `valgrind --tool=callgrind PROGRAM ARGS` (the out file is added
/// by the caller).
fn under_callgrind(command: &mut Command) {
    let mut valgrind = Command::new("valgrind");
    valgrind.arg("--tool=callgrind").arg(command.get_program());
    valgrind.args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => valgrind.env(name, value),
            None => valgrind.env_remove(name),
        };
    }
    valgrind.stdin(Stdio::null());
    *command = valgrind;
}

/// Inserts `--callgrind-out-file=FILE` right after `--tool=callgrind`.
fn with_out_file(command: &Command, out: &Path, extra: &[String]) -> Command {
    let mut args: Vec<std::ffi::OsString> = command.get_args().map(Into::into).collect();
    let mut with = Command::new(command.get_program());
    let tool = args.remove(0);
    with.arg(tool)
        .arg(format!("--callgrind-out-file={}", out.display()))
        .args(extra)
        .args(args);
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => with.env(name, value),
            None => with.env_remove(name),
        };
    }
    with.stdin(Stdio::null());
    with
}

/// `(Ir(large) - Ir(small)) / (large - small)` over two callgrind runs.
fn marginal_instructions(
    side: Side,
    target_root: &Path,
    command_for: impl Fn(u64) -> Command,
) -> Result<f64, String> {
    let dir = target_root.join("callgrind");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (small, large) = CALLGRIND_CALLS;
    let mut totals = Vec::new();
    for calls in [small, large] {
        let out = dir.join(format!("{}.{calls}", side.name()));
        let mut command = with_out_file(&command_for(calls), &out, &[]);
        run_quietly(
            &mut command,
            &format!("{} under callgrind, {calls} calls", side.title()),
        )?;
        totals.push(callgrind_total(&out)?);
    }
    let per_call = (totals[1] as f64 - totals[0] as f64) / (large - small) as f64;
    eprintln!(
        "bench: {}: Ir({large}) - Ir({small}) over {} = {per_call:.0}",
        side.title(),
        large - small
    );
    Ok(per_call)
}

/// The C library's functions a socket write goes through (tokio writes with `send`, hyper's
/// vectored writes use `writev`), under the names callgrind may know them by.
const SENDS: [&str; 9] = [
    "send",
    "__send",
    "__libc_send",
    "sendto",
    "__sendto",
    "__libc_sendto",
    "writev",
    "__writev",
    "sendmsg",
];

/// Instructions from process start to the first request's bytes on the socket: callgrind dumps
/// its counters just before the first call of a [`SENDS`] function, and that first dump is the
/// start-up (nothing else writes to a socket before it: the endpoint is an IP address, the
/// credentials and region come from the environment).
fn startup_instructions(side: Side, target_root: &Path, client: Command) -> Result<u64, String> {
    let dir = target_root.join("callgrind");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let base = dir.join(format!("{}.startup", side.name()));
    for entry in std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{}.startup", side.name()))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let mut command = client;
    under_callgrind(&mut command);
    let mut command = with_out_file(
        &command,
        &base,
        &SENDS.map(|f| format!("--dump-before={f}")),
    );
    run_quietly(
        &mut command,
        &format!("{} start-up under callgrind", side.title()),
    )?;
    // The dumps are numbered BASE.1, BASE.2, ...; the first one ends at the first writev.
    let first = PathBuf::from(format!("{}.1", base.display()));
    if !first.exists() {
        return Err(format!(
            "{}: no dump before a socket write ({} missing): none of {SENDS:?} was called",
            side.title(),
            first.display()
        ));
    }
    callgrind_total(&first)
}

fn run_quietly(command: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("bench: {what}");
    let output = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {what} (is valgrind installed?): {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(format!(
            "{what} failed: {}\n{}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(())
}

/// The `totals:` (or `summary:`) instruction count of a callgrind output file.
fn callgrind_total(path: &Path) -> Result<u64, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .find_map(|line| {
            line.strip_prefix("totals:")
                .or_else(|| line.strip_prefix("summary:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .ok_or_else(|| format!("no totals: line in {}", path.display()))
}

/// What the loop program printed (see `bench/client_loop.rs`).
struct LoopReport {
    wall_us: Vec<f64>,
    cpu_us: Vec<f64>,
    rss_at: Vec<(u64, u64)>,
    peak_rss_kib: u64,
}

impl LoopReport {
    fn run(command: &mut Command) -> Result<LoopReport, String> {
        let what = format!("{:?}", command.get_args().collect::<Vec<_>>());
        let stdout = run_checked(command.stdout(Stdio::piped()), &format!("run {what}"))?;
        let mut report = LoopReport {
            wall_us: Vec::new(),
            cpu_us: Vec::new(),
            rss_at: Vec::new(),
            peak_rss_kib: 0,
        };
        for line in stdout.lines() {
            let fields: BTreeMap<&str, &str> = line
                .split_whitespace()
                .filter_map(|field| field.split_once('='))
                .collect();
            let number = |key: &str| -> Result<f64, String> {
                fields
                    .get(key)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("`{key}` missing in `{line}`"))
            };
            if line.starts_with("run ") {
                report.wall_us.push(number("wall_us")?);
                report.cpu_us.push(number("cpu_us")?);
            } else if line.starts_with("rss_at ") {
                report
                    .rss_at
                    .push((number("calls")? as u64, number("kib")? as u64));
            } else if line.starts_with("peak_rss_kib=") {
                report.peak_rss_kib = number("peak_rss_kib")? as u64;
            }
        }
        Ok(report)
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

// ---------------------------------------------------------------------------------------------
// The table.

fn table(sides: &[Side], rows: &[Row]) -> String {
    let ours = sides.iter().position(|s| *s == Side::Ours);
    let others: Vec<(usize, Side)> = sides
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| *s != Side::Ours)
        .collect();
    let mut out = String::from("| figure |");
    for side in sides {
        let _ = write!(out, " {} |", side.title());
    }
    if ours.is_some() {
        for (_, side) in &others {
            let _ = write!(out, " aws-thin / {} |", side.title());
        }
    }
    out.push_str("\n| --- |");
    for _ in 0..sides.len() + if ours.is_some() { others.len() } else { 0 } {
        out.push_str(" ---: |");
    }
    for row in rows {
        let unit = if row.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", row.unit)
        };
        let _ = write!(out, "\n| {}{unit} |", row.what);
        for value in &row.values {
            let _ = write!(out, " {} |", value.map_or("–".to_string(), format_value));
        }
        if let Some(ours) = ours {
            for (index, _) in &others {
                let ratio = match (row.values[ours], row.values[*index]) {
                    (Some(a), Some(b)) if b > 0.0 => {
                        format!("{:.1} % (1/{:.1})", 100.0 * a / b, b / a)
                    }
                    _ => "–".to_string(),
                };
                let _ = write!(out, " {ratio} |");
            }
        }
    }
    out
}

fn format_value(value: f64) -> String {
    if value >= 1000.0 || value.fract() == 0.0 {
        // Thousands separators for counts.
        let whole = format!("{value:.0}");
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        grouped
    } else if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}
