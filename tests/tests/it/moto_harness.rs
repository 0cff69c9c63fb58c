//! Proves the moto harness (`integration_tests::moto`): the server starts with signature
//! checking on, the fixture's IAM user may call ECR, and a request signed with a wrong secret
//! is rejected the way the Rust client's end-to-end tests expect.

use std::process::Command;

use integration_tests::moto::{fixture_script, python, MotoServer};

#[test]
fn repository_lifecycle_through_the_fixture() {
    let moto = MotoServer::start();
    assert!(
        moto.endpoint().starts_with("http://127.0.0.1:"),
        "{}",
        moto.endpoint()
    );
    assert!(
        moto.access_key_id().starts_with("AKIA"),
        "{}",
        moto.access_key_id()
    );
    assert!(!moto.secret_access_key().is_empty());

    assert!(!moto.repo_exists("harness"));
    let repo = moto.create_repo("harness");
    assert_eq!(repo["repositoryName"], "harness");
    assert!(moto.repo_exists("harness"));
    let image = moto.put_image("harness");
    assert_eq!(image["imageId"]["imageTag"], "latest");

    // Not empty: refused, and still there.
    let refused = moto.delete_repo_raw("harness", false, None);
    assert_eq!(refused.status, 400, "{refused:?}");
    assert_eq!(
        refused.header("x-amzn-errortype"),
        Some("RepositoryNotEmptyException")
    );
    assert!(moto.repo_exists("harness"));

    let deleted = moto.delete_repo_raw("harness", true, None);
    assert_eq!(deleted.status, 200, "{deleted:?}");
    assert_eq!(deleted.error_code, None);
    assert!(!moto.repo_exists("harness"));

    let missing = moto.delete_repo_raw("harness", false, None);
    assert_eq!(missing.status, 400, "{missing:?}");
    assert_eq!(
        missing.header("x-amzn-errortype"),
        Some("RepositoryNotFoundException")
    );
}

#[test]
fn wrong_secret_is_rejected_with_403_signature_does_not_match() {
    let moto = MotoServer::start();
    moto.create_repo("kept");

    let wrong = format!("{}x", moto.secret_access_key());
    let rejected = moto.delete_repo_raw("kept", true, Some(&wrong));
    assert_eq!(rejected.status, 403, "{rejected:?}");
    // moto 5.2.5: an XML body (served as text/html), no x-amzn-errortype header, a request id.
    assert!(
        rejected.body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        rejected.body
    );
    assert_eq!(rejected.header("x-amzn-errortype"), None, "{rejected:?}");
    assert!(
        rejected
            .header("x-amzn-requestid")
            .is_some_and(|id| !id.is_empty()),
        "{rejected:?}"
    );
    assert!(
        moto.repo_exists("kept"),
        "a rejected delete must leave the repository"
    );

    // An access key moto does not know.
    let unknown = moto.fixture(&[
        "--access-key-id",
        "AKIAUNKNOWNUNKNOWN00",
        "describe-repo",
        "kept",
    ]);
    assert_eq!(unknown["status"], 403, "{unknown}");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or("")
            .contains("InvalidClientTokenId"),
        "{unknown}"
    );
}

#[test]
fn standalone_fixture_cli_uses_the_environments_keys() {
    let moto = MotoServer::start();
    moto.create_repo("cli");
    let run = |secret: &str| {
        Command::new(python())
            .arg(fixture_script())
            .args(["--endpoint", &moto.endpoint(), "describe-repo", "cli"])
            .env("AWS_ACCESS_KEY_ID", moto.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .output()
            .expect("run fixture.py")
    };
    let ok = run(moto.secret_access_key());
    assert!(ok.status.success(), "{ok:?}");
    let doc: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(doc, serde_json::json!({"exists": true}));

    let bad = run("wrong");
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    let doc: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(doc["status"], 403, "{doc}");
}

#[test]
fn servers_are_independent() {
    let (a, b) = (MotoServer::start(), MotoServer::start());
    assert_ne!(a.endpoint(), b.endpoint());
    a.create_repo("only-in-a");
    assert!(a.repo_exists("only-in-a"));
    assert!(!b.repo_exists("only-in-a"));
}
