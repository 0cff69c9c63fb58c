//! Generator speed: load and generate whole AWS ECR models, in release.
//!
//! ```text
//! cargo bench -p aws-thin-codegen --bench generate
//! cargo bench -p aws-thin-codegen --bench generate -- --runs 50
//! ```
//!
//! For each model: read the file (once), then `runs` times (default 10, `--runs N` or
//! `GENERATE_RUNS`) time `Model::from_json` (load) and `generate` with `Settings::default()`
//! (every operation; normalize + emit + prettyplease), and print the median and the fastest run.
//! The shared AWS models are read from `$AWS_THIN_SHARED_MODELS`, else `../shared/models` beside
//! the workspace; this project's own `model/ecr.json` is measured too. See BENCHMARKS.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aws_thin_codegen::{generate, normalize, Model, Settings};

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .or_else(|| std::env::var("GENERATE_RUNS").ok())
        .map_or(10, |n| n.parse().expect("--runs needs a whole number"));
    assert!(runs > 0, "--runs needs at least 1");

    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace folder");
    let shared = std::env::var_os("AWS_THIN_SHARED_MODELS")
        .map_or_else(|| workspace.join("../shared/models"), PathBuf::from);
    let models = [
        shared.join("ecr-2015-09-21.aws-sdk-rust-71de471.json"),
        shared.join("ecr-2015-09-21.api-models-aws-2025-04.json"),
        workspace.join("model/ecr.json"),
    ];

    println!("generate: {runs} runs per model, Settings::default() (every operation)");
    for path in &models {
        let Ok(json) = std::fs::read_to_string(path) else {
            println!("  {}: not found, skipped", path.display());
            continue;
        };
        let origin = path.display().to_string();
        let model = Model::from_json(&json, &origin).expect("the model loads");
        let settings = Settings::default();
        let krate = normalize(&model, &settings).expect("the model normalizes");
        let files = generate(&model, &settings).expect("the model generates");
        let bytes: usize = files.values().map(String::len).sum();

        let mut load = Vec::with_capacity(runs);
        let mut normalized = Vec::with_capacity(runs);
        let mut generated = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let model = black_box(Model::from_json(black_box(&json), &origin).expect("load"));
            load.push(start.elapsed());

            let start = Instant::now();
            black_box(normalize(black_box(&model), &settings).expect("normalize"));
            normalized.push(start.elapsed());

            let start = Instant::now();
            black_box(generate(black_box(&model), &settings).expect("generate"));
            generated.push(start.elapsed());
        }

        println!(
            "  {} ({} KiB, {} operations generated, {} skipped) -> {} files, {} KiB of Rust",
            path.file_name().unwrap_or_default().to_string_lossy(),
            json.len() / 1024,
            krate.operations.len(),
            krate.skipped.len(),
            files.len(),
            bytes / 1024,
        );
        let (load_median, load_min) = stats(&mut load);
        let (gen_median, gen_min) = stats(&mut generated);
        let (norm_median, norm_min) = stats(&mut normalized);
        println!("    load (Model::from_json)      median {load_median:8.2} ms   fastest {load_min:8.2} ms");
        println!("    generate (normalize + emit)  median {gen_median:8.2} ms   fastest {gen_min:8.2} ms");
        println!("      of which normalize         median {norm_median:8.2} ms   fastest {norm_min:8.2} ms");
        println!(
            "    load + generate              median {:8.2} ms",
            load_median + gen_median
        );
    }
}

/// Median and minimum, in milliseconds.
fn stats(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let n = times.len();
    let median = if n % 2 == 1 {
        ms(times[n / 2])
    } else {
        (ms(times[n / 2 - 1]) + ms(times[n / 2])) / 2.0
    };
    (median, ms(times[0]))
}
