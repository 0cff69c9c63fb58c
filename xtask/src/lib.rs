//! Project tasks: `cargo xtask codegen` regenerates the checked-in client; `cargo xtask test` runs
//! every test, setting up the moto emulator the end-to-end tests need.

pub mod bench;
pub mod check_models;
pub mod codegen;
pub mod test_cmd;

use std::process::ExitCode;

/// The tasks and their arguments.
pub const USAGE: &str = "\
usage:
  cargo xtask codegen [--settings FILE | --model PATH] [--operations A,B] [--out DIR] [--check]
      Generate the client crate from a Smithy JSON AST model. By default the settings file
      model/codegen.json names the model and the operations, and the output goes to generated/.
      --model PATH generates every operation of another model (unless --operations is given).
      --check writes nothing and fails when generated files are stale.
  cargo xtask check-models [--corpus | --sample N [--rotation R] | --generate-only] [--only A,B]
                            [--scratch DIR] [--target-dir DIR]
      Generate the shared ECR models, tests/models/*.json and the awsJson corpus in full into
      target/check-models/ (one scratch workspace), then clippy, doc and test the generated
      crates (their examples become tests): the ECR and project models, plus a daily rotating
      sample of 12 corpus models, or every corpus model with --corpus.
  cargo xtask model-diff OLD NEW [--operations A,B] [--fail-on breaking] [--out FILE]
      A semantic diff of two models (breaking/dangerous/safe), Markdown for a pull request.
  cargo xtask bench [--skip-build] [--only PART,PART] [--sides ours,sdk,sdk-config]
      aws-thin beside the official SDK (with and without aws-config), one stub, one table:
      instructions, CPU, wall and memory per call, start-up, size, crates, build CPU
      (BENCHMARKS.md). Needs valgrind and taskset; `--help` after it lists the parts.
  cargo xtask test [-- CARGO TEST ARGS]
      Run every test, including the end-to-end tests against moto (set up under target/).";

/// Runs a task by its command-line arguments (without the program name).
pub fn main_with_args(args: &[String]) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("test") => test_cmd::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("check-models") => check_models::run(&args[1..]),
        Some("model-diff") => aws_thin_codegen::cli::model_diff(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
