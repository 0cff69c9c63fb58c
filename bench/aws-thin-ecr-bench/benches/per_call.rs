//! Per-call cost of the generated client: `delete_repository().repository_name("ubuntu")
//! .force(true).send()` against a loopback HTTP/1.1 stub, sequentially, on one connection.
//!
//! ```text
//! cargo bench -p aws-thin-ecr-bench --bench per_call                      # wall and CPU per call
//! taskset -c 0 cargo bench -p aws-thin-ecr-bench --bench per_call         # the same, stable on a VM
//! cargo bench -p aws-thin-ecr-bench --bench per_call -- --iters 100000    # more calls
//! cargo bench -p aws-thin-ecr-bench --bench per_call -- --callgrind       # marginal instructions per call
//! cargo bench -p aws-thin-ecr-bench --bench per_call -- --startup         # start-up instructions
//! ```
//!
//! `--startup` runs this binary under callgrind once per credential source of the default
//! chain (environment variables; a profile file), each time as a fresh process that builds a
//! tokio runtime, loads `Client::from_env()` (the default chain, region and endpoint from the
//! environment) and makes one call: the instructions from process start to the first answer.
//!
//! The stub server (the workspace's `stub-server` crate) runs in a child process (this binary,
//! re-executed with `--serve`), so the CPU time and the instruction counts are the client's
//! alone. `--callgrind` runs this binary
//! under `valgrind --tool=callgrind` twice (1000 and 2000 calls by default; the server child is
//! not traced) and prints `(Ir(2000) - Ir(1000)) / 1000`: the instructions one more call costs,
//! with start-up, client construction, connecting and warm-up cancelled out (the raw-socket
//! floor is not run there: `--no-floor`).
//! See BENCHMARKS.md for the method and the figures.
//!
//! Options (also from the environment): `--iters N` calls per run (`PER_CALL_ITERS`, default
//! 20000), `--runs N` (`PER_CALL_RUNS`, default 5; the median is reported),
//! `--warmup N` (`PER_CALL_WARMUP`, default 500), `--endpoint URL` (`PER_CALL_ENDPOINT`: use a
//! server that is already running instead of starting one), `--callgrind [N1 N2]`
//! (`PER_CALL_CALLGRIND_DIR`: where the callgrind output files go, default a temporary folder).

use std::hint::black_box;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_thin_ecr::{Client, Config, Credentials};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--serve") {
        // The workspace's stub server, in this child process (see `StubProcess`).
        stub_server::serve_until_stdin_closes(stub_server::Reply::Bytes(canned_response()));
        return;
    }
    if args.iter().any(|a| a == "--first-call") {
        first_call();
        return;
    }
    if args.iter().any(|a| a == "--startup") {
        startup();
        return;
    }
    let options = Options::parse(&args);
    if let Some((small, large)) = options.callgrind {
        callgrind(&options, small, large);
    } else {
        measure(&options);
    }
}

struct Options {
    iters: u64,
    runs: u64,
    warmup: u64,
    endpoint: Option<String>,
    callgrind: Option<(u64, u64)>,
    /// Also time the raw-socket floor (not under callgrind: it is not the client's cost).
    floor: bool,
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let env = |name: &str| std::env::var(name).ok();
        let number = |text: &str, what: &str| -> u64 {
            text.parse()
                .unwrap_or_else(|_| panic!("{what} needs a whole number, got `{text}`"))
        };
        let mut options = Options {
            iters: env("PER_CALL_ITERS").map_or(20_000, |v| number(&v, "PER_CALL_ITERS")),
            runs: env("PER_CALL_RUNS").map_or(5, |v| number(&v, "PER_CALL_RUNS")),
            warmup: env("PER_CALL_WARMUP").map_or(500, |v| number(&v, "PER_CALL_WARMUP")),
            endpoint: env("PER_CALL_ENDPOINT"),
            callgrind: None,
            floor: true,
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match arg.as_str() {
                "--iters" => options.iters = number(rest.next().expect("--iters N"), "--iters"),
                "--runs" => options.runs = number(rest.next().expect("--runs N"), "--runs"),
                "--warmup" => options.warmup = number(rest.next().expect("--warmup N"), "--warmup"),
                "--no-floor" => options.floor = false,
                "--endpoint" => {
                    options.endpoint = Some(rest.next().expect("--endpoint URL").clone())
                }
                "--callgrind" => {
                    // Optional two counts after the flag.
                    let mut counts = (1_000, 2_000);
                    let remaining = rest.as_slice();
                    if remaining.len() >= 2 {
                        if let (Ok(a), Ok(b)) = (remaining[0].parse(), remaining[1].parse()) {
                            counts = (a, b);
                            rest.next();
                            rest.next();
                        }
                    }
                    assert!(counts.1 > counts.0, "--callgrind N1 N2 needs N2 > N1");
                    options.callgrind = Some(counts);
                }
                // `cargo bench` passes `--bench`; ignore it and any filter.
                _ => {}
            }
        }
        options
    }
}

// ---------------------------------------------------------------------------------------------
// The client side.

fn measure(options: &Options) {
    let (endpoint, server) = match &options.endpoint {
        Some(url) => (url.clone(), None),
        None => {
            let server = StubProcess::start();
            (server.endpoint.clone(), Some(server))
        }
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .endpoint_url(&endpoint)
        .build();
    let client = Client::new(config).expect("client");

    runtime.block_on(async {
        // Check once that the call really succeeds and parses, so the loop measures the real path.
        let output = client
            .delete_repository()
            .repository_name("ubuntu")
            .force(true)
            .send()
            .await
            .expect("DeleteRepository against the stub");
        assert_eq!(output.request_id(), Some(stub_server::canned::REQUEST_ID));
        let repository = output.repository().expect("repository");
        assert_eq!(repository.repository_name(), Some("ubuntu"));
        let created = repository.created_at().expect("createdAt");
        assert_eq!((created.secs(), created.subsec_nanos()), (1_700_000_000, 123_000_000));

        for _ in 0..options.warmup {
            call(&client).await;
        }

        println!(
            "per_call: {} runs of {} sequential DeleteRepository calls (after {} warm-up) against {endpoint}",
            options.runs, options.iters, options.warmup
        );
        let per_call = |d: Duration| d.as_secs_f64() * 1e6 / options.iters as f64;
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        for run in 1..=options.runs {
            let cpu_before = cpu_of("/proc/self/stat");
            let server_before = server.as_ref().map(|s| s.cpu());
            let start = Instant::now();
            for _ in 0..options.iters {
                call(&client).await;
            }
            let wall = per_call(start.elapsed());
            let cpu = cpu_of("/proc/self/stat") - cpu_before;
            let server_cpu = server
                .as_ref()
                .zip(server_before)
                .map(|(s, before)| per_call((s.cpu() - before).total()));
            println!(
                "  run {run}: wall {wall:7.2} µs/call   client CPU {:7.2} µs/call (user {:.2} + sys {:.2}){}",
                per_call(cpu.total()),
                per_call(cpu.user),
                per_call(cpu.sys),
                server_cpu.map_or(String::new(), |s| format!("   [stub process {s:.2}]")),
            );
            walls.push(wall);
            cpus.push(per_call(cpu.total()));
        }
        println!(
            "  median: wall {:.2} µs/call, client CPU {:.2} µs/call   (lowest: wall {:.2}, CPU {:.2})",
            median(&mut walls),
            median(&mut cpus),
            walls[0],
            cpus[0],
        );
    });

    // The floor: the same request and response bytes over a blocking std socket, no client.
    if let Some(addr) = endpoint.strip_prefix("http://").filter(|_| options.floor) {
        let (wall, cpu) = raw_round_trips(addr, options.iters);
        println!(
            "  loopback floor (same bytes, blocking std socket, no HTTP client): wall {wall:.2} µs/round trip, CPU {cpu:.2} µs"
        );
    }
}

/// Sends a signed-looking DeleteRepository request of the client's size `iters` times over one
/// blocking connection and reads each canned answer: what the transport alone costs.
fn raw_round_trips(addr: &str, iters: u64) -> (f64, f64) {
    let body = r#"{"repositoryName":"ubuntu","force":true}"#;
    let request = format!(
        "POST / HTTP/1.1\r\n\
         host: {addr}\r\n\
         content-type: application/x-amz-json-1.1\r\n\
         x-amz-target: AmazonEC2ContainerRegistry_V20150921.DeleteRepository\r\n\
         x-amz-date: 20251127T120000Z\r\n\
         authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251127/us-west-2/ecr/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
         Signature=f44cad9d37494fd054061e4e4d6954f03b3160b8df22560567eb5d4ecd9dd1ec\r\n\
         content-length: {}\r\n\
         user-agent: aws-thin/0.1.0\r\n\
         \r\n\
         {body}",
        body.len()
    );
    let mut answer = vec![0u8; canned_response().len()];
    let mut stream = TcpStream::connect(addr).expect("connect to the stub");
    stream.set_nodelay(true).expect("nodelay");
    let mut once = |stream: &mut TcpStream| {
        stream.write_all(request.as_bytes()).expect("write");
        stream.read_exact(&mut answer).expect("read");
    };
    for _ in 0..500 {
        once(&mut stream);
    }
    let cpu_before = cpu_of("/proc/self/stat");
    let start = Instant::now();
    for _ in 0..iters {
        once(&mut stream);
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / iters as f64;
    let wall = per(start.elapsed());
    (wall, per((cpu_of("/proc/self/stat") - cpu_before).total()))
}

/// Sorts and returns the median; the first element is then the minimum.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

#[inline(never)]
async fn call(client: &Client) {
    let output = client
        .delete_repository()
        .repository_name(black_box("ubuntu"))
        .force(black_box(true))
        .send()
        .await
        .expect("DeleteRepository");
    black_box(output);
}

/// User and system CPU time of a process so far (all its threads, including exited ones).
#[derive(Clone, Copy)]
struct Cpu {
    user: Duration,
    sys: Duration,
}

impl Cpu {
    fn total(self) -> Duration {
        self.user + self.sys
    }
}

impl std::ops::Sub for Cpu {
    type Output = Cpu;
    fn sub(self, earlier: Cpu) -> Cpu {
        Cpu {
            user: self.user - earlier.user,
            sys: self.sys - earlier.sys,
        }
    }
}

/// Reads `/proc/PID/stat`: no `unsafe` (getrusage) needed; the resolution is one clock tick
/// (10 ms), so a run must be long (the default 20000 calls take about half a second).
fn cpu_of(stat_path: &str) -> Cpu {
    let stat = std::fs::read_to_string(stat_path).expect("read /proc/.../stat");
    // Fields after the command name (which is in parentheses and may hold spaces):
    // state is field 3, utime field 14, stime field 15.
    let after = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // USER_HZ is 100 on every Linux configuration Rust supports.
    let ticks = |i: usize| Duration::from_millis(10 * fields[i].parse::<u64>().expect("ticks"));
    Cpu {
        user: ticks(11),
        sys: ticks(12),
    }
}

/// The stub server, in a child process so its CPU is not the client's.
struct StubProcess {
    child: Child,
    endpoint: String,
}

impl StubProcess {
    fn start() -> StubProcess {
        let exe = std::env::current_exe().expect("current_exe");
        let mut child = Command::new(exe)
            .arg("--serve")
            .stdin(Stdio::piped()) // the child exits when this closes
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the stub server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the stub's port");
        let port: u16 = line.trim().parse().expect("the stub prints its port");
        StubProcess {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    fn cpu(&self) -> Cpu {
        cpu_of(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for StubProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// `--callgrind`: the marginal instruction count per call.

fn callgrind(options: &Options, small: u64, large: u64) {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = match std::env::var_os("PER_CALL_CALLGRIND_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("per_call-callgrind-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).expect("create the callgrind output folder");
    let mut totals = Vec::new();
    for iters in [small, large] {
        let out = dir.join(format!("callgrind.out.{iters}"));
        let mut command = Command::new("valgrind");
        command
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args([
                "--no-floor",
                "--runs",
                "1",
                "--iters",
                &iters.to_string(),
                "--warmup",
                &options.warmup.to_string(),
            ]);
        if let Some(endpoint) = &options.endpoint {
            command.args(["--endpoint", endpoint]);
        }
        eprintln!("running {command:?}");
        let output = command
            .stderr(Stdio::null())
            .output()
            .expect("run valgrind (is it installed?)");
        assert!(
            output.status.success(),
            "valgrind failed: {:?}",
            output.status
        );
        let ir = callgrind_total(&out);
        println!("  Ir({iters}) = {ir}   ({})", out.display());
        totals.push((iters, ir));
    }
    let (n1, ir1) = totals[0];
    let (n2, ir2) = totals[1];
    let marginal = (ir2 as f64 - ir1 as f64) / (n2 - n1) as f64;
    println!(
        "per_call: marginal client instructions per DeleteRepository call = (Ir({n2}) - Ir({n1})) / {} = {marginal:.0}",
        n2 - n1
    );
    let (small_file, large_file) = (
        dir.join(format!("callgrind.out.{n1}")),
        dir.join(format!("callgrind.out.{n2}")),
    );
    for inclusive in [false, true] {
        let (Some(a), Some(b)) = (
            annotate(&small_file, inclusive),
            annotate(&large_file, inclusive),
        ) else {
            println!("  (callgrind_annotate not found: no per-function breakdown)");
            return;
        };
        let mut rows: Vec<(f64, &str)> = b
            .iter()
            .map(|(name, ir)| {
                let before = a.get(name).copied().unwrap_or(0);
                (
                    (*ir as f64 - before as f64) / (n2 - n1) as f64,
                    name.as_str(),
                )
            })
            .collect();
        rows.sort_by(|x, y| y.0.total_cmp(&x.0));
        println!(
            "  top marginal instructions per call by function ({}; names need a build with symbols, see BENCHMARKS.md):",
            if inclusive {
                "inclusive; async poll functions overcount, being polled from inside each other"
            } else {
                "self"
            }
        );
        for (ir, name) in rows.iter().take(25) {
            println!("    {ir:8.0}  {name}");
        }
    }
}

/// Per-function instruction counts from `callgrind_annotate` (function names without their
/// object file), or `None` when the tool is missing.
fn annotate(
    path: &std::path::Path,
    inclusive: bool,
) -> Option<std::collections::BTreeMap<String, u64>> {
    let output = Command::new("callgrind_annotate")
        .args(["--auto=no", "--threshold=100"])
        .arg(format!(
            "--inclusive={}",
            if inclusive { "yes" } else { "no" }
        ))
        .arg(path)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let mut counts = std::collections::BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        // `  1,234 (12.3%)  /path/file.rs:crate::function [/path/object]`
        let line = line.trim_start();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        let Some((_, name)) = rest.split_once(")  ") else {
            continue;
        };
        if name.contains("PROGRAM TOTALS") {
            continue;
        }
        let name = name.rsplit_once(" [").map_or(name, |(name, _)| name);
        // Drop the source file: `file.rs:function` -> `function` (the file is often a std
        // file the function was inlined from).
        let name = match name.split_once(':') {
            Some((file, function)) if file.contains('/') || file.contains('.') => function,
            _ => name,
        };
        // One function can be listed once per source file inlined into it: self costs add
        // up; an inclusive cost already contains the inlined parts, so keep the largest.
        let entry = counts.entry(name.to_owned()).or_insert(0);
        *entry = if inclusive {
            (*entry).max(count)
        } else {
            *entry + count
        };
    }
    Some(counts)
}

/// The total instruction count of a callgrind output file (its `totals:` or `summary:` line).
fn callgrind_total(path: &std::path::Path) -> u64 {
    let text = std::fs::read_to_string(path).expect("read the callgrind output");
    text.lines()
        .find_map(|line| {
            line.strip_prefix("totals:")
                .or_else(|| line.strip_prefix("summary:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .expect("a totals: line in the callgrind output")
}

// ---------------------------------------------------------------------------------------------
// `--startup`: instructions from process start to the first answer, with the default chain.

/// `--first-call`: what an application does first: a runtime, `Client::from_env()`, one call.
fn first_call() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = Client::from_env().expect("client from the environment");
    let output = runtime
        .block_on(client.delete_repository().repository_name("ubuntu").send())
        .expect("DeleteRepository against the stub");
    assert_eq!(output.request_id(), Some(stub_server::canned::REQUEST_ID));
}

fn startup() {
    let server = StubProcess::start();
    let exe = std::env::current_exe().expect("current_exe");
    let dir = std::env::temp_dir().join(format!("per_call-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    let (config, credentials) = (dir.join("config"), dir.join("credentials"));
    std::fs::write(&config, "[default]\nregion = us-west-2\n").expect("write config");
    std::fs::write(
        &credentials,
        "[default]\naws_access_key_id = AKIDEXAMPLE\n\
         aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
    )
    .expect("write credentials");
    let files = [
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials.display().to_string(),
        ),
    ];
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
        ),
        ("AWS_REGION", "us-west-2".to_owned()),
    ];
    let cases: [(&str, Vec<(&str, String)>); 2] = [
        ("environment variables", keys.to_vec()),
        ("profile file", files.to_vec()),
    ];
    println!("startup: instructions from process start to the first answer (callgrind), Client::from_env()");
    for (name, vars) in cases {
        let out = dir.join("callgrind.out");
        let mut command = Command::new("valgrind");
        command
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .arg("--first-call")
            .env_clear()
            .env("HOME", &dir)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ENDPOINT_URL", &server.endpoint)
            // No instance metadata service is asked in a bench (nothing but loopback).
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(vars.iter().map(|(k, v)| (k, v)));
        let output = command
            .stderr(Stdio::null())
            .output()
            .expect("run valgrind (is it installed?)");
        assert!(
            output.status.success(),
            "valgrind failed: {:?}",
            output.status
        );
        println!("  credentials from {name:22} {:>12}", callgrind_total(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The stub's answer to every request: DeleteRepository's 200 (`stub_server::canned`).
fn canned_response() -> Vec<u8> {
    stub_server::canned::delete_repository_response()
}
