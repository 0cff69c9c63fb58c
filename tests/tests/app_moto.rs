//! What an application sees against moto (127.0.0.1, signature checking on): the blocking
//! client, and the same calls recorded and replayed offline.
//! Run with `cargo xtask test` (it sets up the moto venv).

use aws_thin_ecr::config::{Config, Credentials, RetryConfig};
use aws_thin_ecr::SdkError;
use integration_tests::moto::MotoServer;

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
