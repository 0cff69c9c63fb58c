//! The DeleteRepository loop `cargo xtask bench` runs, shared word for word by the three clients
//! it compares (ours: `bench/aws-thin-ecr-bench/benches/side_by_side.rs`; the official SDK:
//! `bench/baseline-aws-sdk-ecr/src/main.rs`, with and without aws-config), so only the client
//! differs. Each includes this file with `#[path]` and passes its client and its call.
//!
//! ```text
//! PROGRAM [--warmup N] [--iters N] [--runs N] [--concurrency C] [--rss-at N,N]
//! ```
//!
//! The endpoint, region and credentials come from the environment (`AWS_ENDPOINT_URL`, ...),
//! as `cargo xtask bench` sets them. The program makes one checked call first (the request
//! whose first byte ends "start-up"), then `--warmup` calls, then `--runs` runs of `--iters`
//! calls: sequential, or, with `--concurrency C`, in bursts of C calls in flight at once on the
//! one client. It prints `key=value` lines that xtask reads: per run `run wall_us=.. cpu_us=..`
//! (per call; CPU from `/proc/self/stat`, all threads), `rss_at calls=N kib=..` after N measured
//! calls, and `peak_rss_kib=..` (VmHWM) at the end.

use std::future::Future;
use std::time::{Duration, Instant};

pub struct Options {
    pub warmup: u64,
    pub iters: u64,
    pub runs: u64,
    pub concurrency: u64,
    pub rss_at: Vec<u64>,
}

impl Options {
    pub fn from_args() -> Options {
        let mut options = Options {
            warmup: 0,
            iters: 0,
            runs: 1,
            concurrency: 1,
            rss_at: Vec::new(),
        };
        let number = |text: Option<String>, what: &str| -> u64 {
            let text = text.unwrap_or_else(|| panic!("{what} needs a value"));
            text.parse()
                .unwrap_or_else(|_| panic!("{what} needs a whole number, got `{text}`"))
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--warmup" => options.warmup = number(args.next(), "--warmup"),
                "--iters" => options.iters = number(args.next(), "--iters"),
                "--runs" => options.runs = number(args.next(), "--runs"),
                "--concurrency" => {
                    options.concurrency = number(args.next(), "--concurrency").max(1)
                }
                "--rss-at" => {
                    let list = args.next().expect("--rss-at needs N,N");
                    options.rss_at = list
                        .split(',')
                        .map(|n| number(Some(n.to_owned()), "--rss-at"))
                        .collect();
                }
                // `cargo bench` passes `--bench`.
                "--bench" => {}
                other => panic!("unknown argument `{other}`"),
            }
        }
        options
    }
}

/// Runs the loop on a current-thread tokio runtime (what a small tool uses).
pub fn run<C, M, Check, CheckF, Call, F>(make_client: M, check_first: Check, call: Call)
where
    C: Clone + Send + 'static,
    M: Future<Output = C>,
    Check: FnOnce(C) -> CheckF,
    CheckF: Future<Output = ()>,
    Call: Fn(C) -> F + Copy + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let options = Options::from_args();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let client = make_client.await;
        check_first(client.clone()).await;
        let batch = |calls: u64| calls_in_batches(client.clone(), call, calls, options.concurrency);
        batch(options.warmup).await;
        let mut measured = 0;
        let mut rss_at = options.rss_at.iter().copied().peekable();
        for _ in 0..options.runs {
            let cpu_before = cpu_now();
            let start = Instant::now();
            // Sampling RSS splits a run at the requested call counts (two /proc reads).
            let mut left = options.iters;
            while left > 0 {
                let step = match rss_at.peek() {
                    Some(&at) if at > measured && at - measured <= left => at - measured,
                    _ => left,
                };
                calls_in_batches(client.clone(), call, step, options.concurrency).await;
                measured += step;
                left -= step;
                if rss_at.peek() == Some(&measured) {
                    rss_at.next();
                    println!("rss_at calls={measured} kib={}", status_kib("VmRSS:"));
                }
            }
            let wall = start.elapsed();
            let cpu = cpu_now() - cpu_before;
            if options.iters > 0 {
                let per = |d: Duration| d.as_secs_f64() * 1e6 / options.iters as f64;
                println!("run wall_us={:.3} cpu_us={:.3}", per(wall), per(cpu));
            }
        }
        println!("peak_rss_kib={}", status_kib("VmHWM:"));
    });
}

/// `calls` calls, `concurrency` at a time (each burst waits for all of its calls).
async fn calls_in_batches<C, Call, F>(client: C, call: Call, calls: u64, concurrency: u64)
where
    C: Clone + Send + 'static,
    Call: Fn(C) -> F + Copy + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    if concurrency <= 1 {
        for _ in 0..calls {
            call(client.clone()).await;
        }
        return;
    }
    let mut left = calls;
    while left > 0 {
        let burst = left.min(concurrency);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..burst {
            tasks.spawn(call(client.clone()));
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a call task panicked");
        }
        left -= burst;
    }
}

/// User plus system CPU of this process so far (10 ms ticks: runs must be long).
fn cpu_now() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("read /proc/self/stat");
    let after = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields[i].parse::<u64>().expect("ticks");
    Duration::from_millis(10 * (ticks(11) + ticks(12)))
}

/// A `kB` line of `/proc/self/status`.
fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{key} in /proc/self/status"))
}
