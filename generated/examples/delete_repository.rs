//! Deletes an ECR repository, like AWS's documented example (`aws ecr delete-repository`).
//!
//! ```text
//! cargo run -p aws-thin-ecr --example delete_repository -- --repository-name NAME [--force] [--registry-id ID] [--dry-run]
//! ```
//!
//! Region, credentials and endpoint come from the environment, as with any AWS tool
//! (`AWS_REGION`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or a profile, `AWS_ENDPOINT_URL`,
//! `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`). Prints the deleted repository as JSON;
//! on failure prints the error and exits non-zero. `--dry-run` resolves the endpoint, builds and
//! signs the request, prints it (credentials redacted) and sends nothing.

use std::process::ExitCode;

use aws_thin_ecr::Client;

const USAGE: &str =
    "usage: delete_repository --repository-name NAME [--force] [--registry-id ID] [--dry-run]";

struct Args {
    repository_name: String,
    registry_id: Option<String>,
    force: bool,
    dry_run: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut repository_name = None;
    let mut registry_id = None;
    let mut force = false;
    let mut dry_run = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repository-name" => {
                repository_name = Some(args.next().ok_or("--repository-name needs a value")?)
            }
            "--registry-id" => {
                registry_id = Some(args.next().ok_or("--registry-id needs a value")?)
            }
            "--force" => force = true,
            "--dry-run" => dry_run = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(Args {
        repository_name: repository_name
            .ok_or_else(|| format!("--repository-name is required\n{USAGE}"))?,
        registry_id,
        force,
        dry_run,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let call = client
        .delete_repository()
        .repository_name(args.repository_name)
        .set_registry_id(args.registry_id)
        // Sent only when asked for, so the service applies its own default otherwise.
        .set_force(args.force.then_some(true));
    if args.dry_run {
        return match call.prepare().await {
            Ok(request) => {
                println!("{request}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let result = call.send().await;
    match result {
        Ok(output) => {
            let repository = output.repository();
            match serde_json::to_string_pretty(&serde_json::json!({ "repository": repository })) {
                Ok(json) => println!("{json}"),
                Err(error) => eprintln!("error: cannot print the repository: {error}"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Display names the code, message, HTTP status and request id.
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
