//! What an application sees against moto (127.0.0.1, signature checking on): the blocking
//! client, and calls recorded against moto then replayed offline.
//! Run with `cargo xtask test` (it sets up the moto venv).

use aws_thin_ecr::config::{Config, Credentials, RetryConfig};
use aws_thin_ecr::test_util::{RecordingClient, ReplayingClient};
use aws_thin_ecr::{Client, SdkError};
use integration_tests::moto::MotoServer;
use std::sync::Arc;

fn config(moto: &MotoServer) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            moto.access_key_id(),
            moto.secret_access_key(),
            None,
            None,
            "moto-test",
        ))
        .endpoint_url(moto.endpoint())
        .retry_config(RetryConfig::disabled())
        .build()
}

#[test]
fn the_blocking_client_deletes_and_reports_errors_without_async_code() {
    let moto = MotoServer::start();
    moto.create_repo("blocking/empty");
    moto.create_repo("blocking/busy");
    moto.put_image("blocking/busy");
    let client = aws_thin_ecr::blocking::Client::new(config(&moto)).expect("client");

    let output = client
        .delete_repository()
        .repository_name("blocking/empty")
        .send()
        .expect("deleted");
    let repository = output.repository().expect("the deleted repository");
    assert_eq!(repository.repository_name(), Some("blocking/empty"));
    assert!(output.request_id().is_some_and(|id| !id.is_empty()));
    assert!(!moto.repo_exists("blocking/empty"));

    let gone = client
        .delete_repository()
        .repository_name("blocking/empty")
        .send()
        .expect_err("already deleted");
    assert!(gone
        .as_service_error()
        .is_some_and(|e| e.is_repository_not_found_exception()));
    assert_eq!(gone.code(), Some("RepositoryNotFoundException"));

    // Clones share the runtime and can call from other threads at the same time.
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                let result = client
                    .delete_repository()
                    .repository_name("blocking/busy")
                    .send();
                result.map(drop).map_err(|e| e.code().map(str::to_owned))
            })
        })
        .collect();
    for thread in threads {
        let refused = thread.join().expect("no panic").expect_err("not empty");
        assert_eq!(refused.as_deref(), Some("RepositoryNotEmptyException"));
    }
    assert!(moto.repo_exists("blocking/busy"));
}

#[test]
fn the_blocking_client_inside_an_async_runtime_sends_nothing_and_says_why() {
    let moto = MotoServer::start();
    moto.create_repo("blocking/kept");
    let client = aws_thin_ecr::blocking::Client::new(config(&moto)).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let error = runtime.block_on(async {
        client
            .delete_repository()
            .repository_name("blocking/kept")
            .force(true)
            .send()
            .expect_err("refused inside the runtime")
    });
    assert!(matches!(error, SdkError::Blocking(_)), "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains("aws_thin_ecr::blocking::Client was called from inside an async runtime"),
        "{shown}"
    );
    assert!(shown.contains("Use the async client there"), "{shown}");
    assert!(moto.repo_exists("blocking/kept"), "nothing was sent");

    // Dropped inside the runtime: no panic either.
    runtime.block_on(async move { drop(client) });
}

/// What the application saw, call by call: the deleted repository's name, ARN and request id, or
/// the error's code, message and request id.
async fn delete_three_ways(client: &Client) -> Vec<String> {
    let mut seen = Vec::new();
    for (name, force) in [
        ("rec/empty", false),
        ("rec/empty", false),
        ("rec/busy", false),
    ] {
        let result = client
            .delete_repository()
            .repository_name(name)
            .force(force)
            .send()
            .await;
        seen.push(match result {
            Ok(output) => {
                let repository = output.repository().expect("the deleted repository");
                format!(
                    "deleted {:?} {:?} {:?}",
                    repository.repository_name(),
                    repository.repository_arn(),
                    output.request_id()
                )
            }
            Err(error) => format!(
                "{:?}: {:?} {:?}",
                error.code(),
                error.message(),
                error.request_id()
            ),
        });
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_run_recorded_against_moto_replays_offline_with_the_same_results() {
    let recording =
        std::env::temp_dir().join(format!("aws-thin-recording-{}.json", std::process::id()));
    let moto = MotoServer::start();
    moto.create_repo("rec/empty");
    moto.create_repo("rec/busy");
    moto.put_image("rec/busy");
    let endpoint = moto.endpoint();
    let secret = moto.secret_access_key().to_owned();

    let recorder = RecordingClient::with_default_client().with_docs("DeleteRepository three ways");
    // (moto refuses session tokens it did not issue: the runtime's record tests scrub one.)
    let live = Client::new(
        config(&moto)
            .to_builder()
            .http_client(recorder.clone())
            .build(),
    )
    .expect("client");
    let recorded = delete_three_ways(&live).await;
    assert!(
        recorded[0].starts_with(r#"deleted Some("rec/empty")"#),
        "{recorded:?}"
    );
    assert!(
        recorded[1].starts_with(r#"Some("RepositoryNotFoundException")"#),
        "{recorded:?}"
    );
    assert!(
        recorded[2].starts_with(r#"Some("RepositoryNotEmptyException")"#),
        "{recorded:?}"
    );
    recorder.save(&recording).expect("saved");
    drop(live);
    drop(moto); // stopped: the replay below cannot reach it

    let saved = std::fs::read_to_string(&recording).expect("the recording");
    assert!(!saved.contains(&secret), "the secret key leaked");
    assert!(
        saved.contains(r#""x-amz-target""#),
        "the requests are there"
    );
    assert_eq!(
        saved.matches("Signature=").count(),
        saved.matches("Signature=<redacted>").count(),
        "a signature leaked"
    );
    assert_eq!(saved.matches("Signature=<redacted>").count(), 3);

    let replayer = Arc::new(ReplayingClient::from_file(&recording).expect("a valid recording"));
    let offline = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKIDREPLAY",
                "replay-secret",
                None,
                None,
                "replay",
            ))
            .endpoint_url(endpoint)
            .retry_config(RetryConfig::disabled())
            .http_client(replayer.clone())
            .build(),
    )
    .expect("client");
    let replayed = delete_three_ways(&offline).await;
    assert_eq!(replayed, recorded);
    replayer
        .check()
        .expect("every request matched its recording");
    std::fs::remove_file(&recording).ok();
}
