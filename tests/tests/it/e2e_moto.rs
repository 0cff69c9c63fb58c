//! End to end: the generated client against moto's ECR on 127.0.0.1 with signature checking on.
//! Run with `cargo xtask test` (it sets up the moto venv).

use aws_thin_ecr::operation::delete_repository::DeleteRepositoryError;
use aws_thin_ecr::{Client, Config, Credentials, SdkError};
use aws_thin_runtime::RetryConfig;
use integration_tests::moto::MotoServer;

fn client(moto: &MotoServer, secret: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            moto.access_key_id(),
            secret,
            None,
            None,
            "moto-test",
        ))
        .endpoint_url(moto.endpoint())
        // Each failure below must be the first answer, not a retried one.
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(config).expect("client")
}

fn service_error<T: std::fmt::Debug>(
    result: Result<T, SdkError<DeleteRepositoryError>>,
) -> DeleteRepositoryError {
    match result {
        Err(SdkError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// What every error's `Display` must show: code, message, status and request id.
fn assert_display_names_everything(error: &DeleteRepositoryError, code: &str, status: u16) {
    let shown = error.to_string();
    let meta = error.meta();
    assert_eq!(meta.code(), Some(code), "{shown}");
    assert_eq!(meta.status(), Some(status), "{shown}");
    let message = meta
        .message()
        .unwrap_or_else(|| panic!("no message in {shown}"));
    let request_id = meta
        .request_id()
        .unwrap_or_else(|| panic!("no request id in {shown}"));
    for part in [code, message, &status.to_string(), request_id] {
        assert!(shown.contains(part), "`{shown}` does not show {part:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn deletes_an_empty_repository_and_returns_it() {
    let moto = MotoServer::start();
    let created = moto.create_repo("team/empty");
    let client = client(&moto, moto.secret_access_key());

    let output = client
        .delete_repository()
        .repository_name("team/empty")
        .send()
        .await
        .expect("deleted");

    let repository = output.repository().expect("the deleted repository");
    assert_eq!(repository.repository_name(), Some("team/empty"));
    assert_eq!(
        repository.repository_arn(),
        created["repositoryArn"].as_str()
    );
    assert_eq!(repository.registry_id(), created["registryId"].as_str());
    assert!(repository.created_at().is_some());
    assert!(output.request_id().is_some_and(|id| !id.is_empty()));
    assert!(!moto.repo_exists("team/empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_repository_with_an_image_needs_force() {
    let moto = MotoServer::start();
    moto.create_repo("busy");
    moto.put_image("busy");
    let client = client(&moto, moto.secret_access_key());

    let refused = service_error(
        client
            .delete_repository()
            .repository_name("busy")
            .send()
            .await,
    );
    assert!(refused.is_repository_not_empty_exception(), "{refused:?}");
    assert_display_names_everything(&refused, "RepositoryNotEmptyException", 400);
    assert!(
        moto.repo_exists("busy"),
        "a refused delete must leave the repository"
    );

    let unforced = service_error(
        client
            .delete_repository()
            .repository_name("busy")
            .force(false)
            .send()
            .await,
    );
    assert!(unforced.is_repository_not_empty_exception(), "{unforced:?}");

    let output = client
        .delete_repository()
        .repository_name("busy")
        .force(true)
        .send()
        .await
        .expect("forced");
    assert_eq!(
        output.repository().and_then(|r| r.repository_name()),
        Some("busy")
    );
    assert!(!moto.repo_exists("busy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_missing_repository_is_repository_not_found() {
    let moto = MotoServer::start();
    let client = client(&moto, moto.secret_access_key());

    let error = service_error(
        client
            .delete_repository()
            .repository_name("nowhere")
            .send()
            .await,
    );
    assert!(error.is_repository_not_found_exception(), "{error:?}");
    assert!(matches!(
        error,
        DeleteRepositoryError::RepositoryNotFoundException(_)
    ));
    assert_display_names_everything(&error, "RepositoryNotFoundException", 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_wrong_secret_key_surfaces_the_403_with_status_and_code() {
    let moto = MotoServer::start();
    moto.create_repo("guarded");
    let client = client(&moto, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    let error = service_error(
        client
            .delete_repository()
            .repository_name("guarded")
            .send()
            .await,
    );
    assert!(
        matches!(error, DeleteRepositoryError::Unhandled(_)),
        "{error:?}"
    );
    assert_display_names_everything(&error, "SignatureDoesNotMatch", 403);
    assert!(moto.repo_exists("guarded"));
    // The secret never shows up in what a user would log.
    assert!(!format!("{error} {error:?} {client:?}").contains("wJalrXUtnFEMI"));
}

fn run_example_cli(moto: &MotoServer, args: &[&str]) -> std::process::Output {
    std::process::Command::new(integration_tests::paths::example_cli())
        .args(args)
        .env_clear()
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", moto.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", moto.secret_access_key())
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .output()
        .expect("run the example")
}

#[test]
fn the_example_cli_deletes_and_reports_errors() {
    let moto = MotoServer::start();
    moto.create_repo("cli-repo");
    moto.put_image("cli-repo");

    let refused = run_example_cli(&moto, &["--repository-name", "cli-repo"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("RepositoryNotEmptyException") && stderr.contains("400"),
        "{stderr}"
    );

    let deleted = run_example_cli(&moto, &["--repository-name", "cli-repo", "--force"]);
    assert!(
        deleted.status.success(),
        "{}",
        String::from_utf8_lossy(&deleted.stderr)
    );
    let printed: serde_json::Value =
        serde_json::from_slice(&deleted.stdout).expect("JSON on stdout");
    assert_eq!(printed["repository"]["repositoryName"], "cli-repo");
    assert!(printed["repository"]["createdAt"].is_number(), "{printed}");
    assert!(!moto.repo_exists("cli-repo"));
}
