//! Generated waiters against a stub server: every acceptor kind (output and inputOutput paths
//! with each comparator, errorType, success), the order of acceptors, and the timeout.

mod support;

use std::time::Duration;

use aws_thin_runtime::waiter::WaiterError;
use check_pagers_waiters::operation::describe_image_scan_findings::DescribeImageScanFindingsError;
use check_pagers_waiters::operation::describe_repositories::DescribeRepositoriesError;
use check_pagers_waiters::types::ImageId;
use check_pagers_waiters::{Client, SdkError};
use integration_tests::stub_server::{Reply, Server};
use support::{body, client, error, ok};

const MS: fn(u64) -> Duration = Duration::from_millis;
const MINUTE: Duration = Duration::from_secs(60);

fn image() -> ImageId {
    ImageId::builder().image_tag("latest").build()
}

/// The scan waiter with millisecond delays, so retries cost nothing.
fn scan_done(
    client: &Client,
) -> check_pagers_waiters::operation::describe_image_scan_findings::ScanDoneWaiter {
    client
        .wait_until_scan_done()
        .repository_name("repo")
        .image_id(image())
        .min_delay(MS(1))
        .max_delay(MS(2))
}

fn scan(status: &str) -> Reply {
    ok(&format!(r#"{{"imageScanStatus":{{"status":"{status}"}}}}"#))
}

fn repos(json: &str) -> Reply {
    ok(&format!(r#"{{"repositories":{json}}}"#))
}

#[tokio::test]
async fn output_string_equals_success_after_a_response_no_acceptor_matches() {
    let server = Server::sequence([scan("IN_PROGRESS"), scan("COMPLETE")]);
    let done = scan_done(&client(&server))
        .wait(MINUTE)
        .await
        .expect("success");
    let output = done.into_result().expect("the final poll is an output");
    assert_eq!(
        output
            .image_scan_status()
            .unwrap()
            .status()
            .unwrap()
            .as_str(),
        "COMPLETE"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body(&requests[0]),
        serde_json::json!({"repositoryName": "repo", "imageId": {"imageTag": "latest"}})
    );
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings")
    );
}

#[tokio::test]
async fn output_string_equals_failure_names_the_acceptor() {
    let server = Server::sequence([scan("FAILED")]);
    let error = scan_done(&client(&server)).wait(MINUTE).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"waiter ScanDone reached its failure state (output `imageScanStatus.status` stringEquals "FAILED")"#
    );
    assert!(
        matches!(error, WaiterError::FailureState { final_poll, .. } if final_poll.as_result().is_ok())
    );
}

#[tokio::test]
async fn error_type_retry_then_success() {
    let server = Server::sequence([error("ScanNotFoundException"), scan("COMPLETE")]);
    scan_done(&client(&server))
        .wait(MINUTE)
        .await
        .expect("success");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_no_acceptor_matches_ends_the_wait_with_that_error() {
    let server = Server::sequence([error("RepositoryNotFoundException"), scan("COMPLETE")]);
    match scan_done(&client(&server)).wait(MINUTE).await {
        Err(WaiterError::Operation {
            waiter: "ScanDone",
            error: SdkError::Service(DescribeImageScanFindingsError::RepositoryNotFoundException(_)),
        }) => {}
        other => panic!("expected the operation's error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_timeout_names_the_waiter_and_the_last_state() {
    let server = Server::sequence((0..200).map(|_| scan("IN_PROGRESS")));
    let failure = client(&server)
        .wait_until_scan_done()
        .repository_name("repo")
        .image_id(image())
        .min_delay(MS(5))
        .max_delay(MS(10))
        .wait(MS(60))
        .await
        .unwrap_err();
    let WaiterError::Timeout(timeout) = &failure else {
        panic!("expected a timeout, got {failure:?}");
    };
    assert_eq!(timeout.waiter(), "ScanDone");
    assert_eq!(
        timeout.last_state(),
        "retry (the response matched no acceptor)"
    );
    assert_eq!(timeout.attempts() as usize, server.requests().len());
    assert!(timeout.attempts() >= 2, "{failure}");
    assert!(
        failure
            .to_string()
            .starts_with("waiter ScanDone timed out after 60ms and "),
        "{failure}"
    );

    let server = Server::sequence((0..200).map(|_| error("ScanNotFoundException")));
    let failure = scan_done(&client(&server)).wait(MS(20)).await.unwrap_err();
    assert!(
        failure
            .to_string()
            .ends_with("last state: retry (error ScanNotFoundException)"),
        "{failure}"
    );
}

#[tokio::test]
async fn a_missing_required_member_fails_before_any_request() {
    let server = Server::sequence([scan("COMPLETE")]);
    let error = client(&server)
        .wait_until_scan_done()
        .image_id(image())
        .wait(MINUTE)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Construction(e) if e.member() == "repositoryName"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn error_type_success_ends_with_the_error_as_the_final_poll() {
    // RepositoryGone: `success: true` means retry; RepositoryNotFoundException means success.
    let server = Server::sequence([repos("[]"), error("RepositoryNotFoundException")]);
    let done = client(&server)
        .wait_until_repository_gone()
        .repository_names("repo")
        .min_delay(MS(1))
        .max_delay(MS(2))
        .wait(MINUTE)
        .await
        .expect("success");
    assert!(matches!(
        done.into_result(),
        Err(SdkError::Service(
            DescribeRepositoriesError::RepositoryNotFoundException(_)
        ))
    ));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn success_false_matches_any_error() {
    let server = Server::sequence([error("SomethingUnmodeled")]);
    let done = client(&server)
        .wait_until_any_failure()
        .wait(MINUTE)
        .await
        .expect("success");
    let Err(SdkError::Service(error)) = done.into_result() else {
        panic!("expected the service error")
    };
    assert_eq!(error.code(), Some("SomethingUnmodeled"));
}

#[tokio::test]
async fn length_of_a_flattened_list_compared_with_a_number() {
    let server = Server::sequence([
        error("RepositoryNotFoundException"),
        repos("[]"),
        repos(r#"[{"repositoryName":"a"}]"#),
    ]);
    client(&server)
        .wait_until_repository_exists()
        .min_delay(MS(1))
        .max_delay(MS(2))
        .wait(MINUTE)
        .await
        .expect("success");
    assert_eq!(server.requests().len(), 3);
}

fn all_immutable(
    client: &Client,
) -> check_pagers_waiters::operation::describe_repositories::AllImmutableWaiter {
    client
        .wait_until_all_immutable()
        .min_delay(MS(1))
        .max_delay(MS(2))
}

#[tokio::test]
async fn all_string_equals_needs_a_non_empty_list_of_equal_values() {
    let server = Server::sequence([
        repos(r#"[{"imageTagMutability":"IMMUTABLE"},{"imageTagMutability":"MUTABLE"}]"#),
        repos("[]"),
        repos(r#"[{"imageTagMutability":"IMMUTABLE"},{"imageTagMutability":"IMMUTABLE"}]"#),
    ]);
    all_immutable(&client(&server))
        .wait(MINUTE)
        .await
        .expect("success");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn any_string_equals_over_a_filter_projection() {
    let server = Server::sequence([
        // huge has only 100 images: the filter `imageCount > 100` leaves it out.
        repos(r#"[{"repositoryName":"huge","imageCount":100,"imageTagMutability":"MUTABLE"}]"#),
        repos(
            r#"[{"repositoryName":"small","imageCount":1},{"repositoryName":"huge","imageCount":101}]"#,
        ),
    ]);
    let error = all_immutable(&client(&server))
        .wait(MINUTE)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("failure state (output `repositories[?imageCount > `100`].repositoryName` anyStringEquals \"huge\")"), "{error}");
    assert_eq!(server.requests().len(), 2);
}

fn scan_ready(
    client: &Client,
) -> check_pagers_waiters::operation::describe_repositories::ScanReadyWaiter {
    client
        .wait_until_scan_ready()
        .repository_names("a")
        .repository_names("b")
        .min_delay(MS(1))
        .max_delay(MS(2))
}

#[tokio::test]
async fn input_output_paths_compare_the_output_with_the_input() {
    let server = Server::sequence([
        repos(
            r#"[{"repositoryName":"a","imageScanningConfiguration":{"scanOnPush":true}},{"repositoryName":"b"}]"#,
        ),
        repos(
            r#"[{"repositoryName":"a","imageScanningConfiguration":{"scanOnPush":true}},{"repositoryName":"b","imageScanningConfiguration":{"scanOnPush":true}}]"#,
        ),
    ]);
    scan_ready(&client(&server))
        .wait(MINUTE)
        .await
        .expect("success");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body(&requests[0]),
        serde_json::json!({"repositoryNames": ["a", "b"]})
    );
}

#[tokio::test]
async fn not_contains_over_input_and_output_fails_when_the_first_name_is_missing() {
    let server = Server::sequence([repos(r#"[{"repositoryName":"b"}]"#)]);
    let error = scan_ready(&client(&server)).wait(MINUTE).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("failure state (inputOutput `!contains("),
        "{error}"
    );
}

fn labelled(
    client: &Client,
) -> check_pagers_waiters::operation::describe_repositories::LabelledWaiter {
    client
        .wait_until_labelled()
        .min_delay(MS(1))
        .max_delay(MS(2))
}

#[tokio::test]
async fn contains_over_nested_flattened_lists_and_a_null_check() {
    let server = Server::sequence([
        // A team label, but the first repository has no imageCount (null): `&&` is false.
        repos(r#"[{"labels":[{"key":"team","value":"x"}]}]"#),
        // Explicit retry acceptor: some label value is pending.
        repos(r#"[{"imageCount":1,"labels":[{"key":"other","value":"pending"}]}]"#),
        repos(r#"[{"imageCount":0,"labels":[]},{"labels":[{"key":"owner"},{"key":"team"}]}]"#),
    ]);
    labelled(&client(&server))
        .wait(MINUTE)
        .await
        .expect("success");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_filter_with_and_or_then_a_pipe_and_a_negative_index() {
    // The last MUTABLE repository with imageCount >= 5 (or < 0) is named stuck: failure.
    let server = Server::sequence([
        repos(
            r#"[{"repositoryName":"stuck","imageTagMutability":"MUTABLE","imageCount":4},{"repositoryName":"x","imageTagMutability":"IMMUTABLE","imageCount":9}]"#,
        ),
        repos(
            r#"[{"repositoryName":"stuck","imageTagMutability":"MUTABLE","imageCount":-1},{"repositoryName":"ok","imageTagMutability":"MUTABLE","imageCount":9}]"#,
        ),
        repos(
            r#"[{"repositoryName":"ok","imageTagMutability":"MUTABLE","imageCount":9},{"repositoryName":"stuck","imageTagMutability":"MUTABLE","imageCount":5}]"#,
        ),
    ]);
    let error = labelled(&client(&server)).wait(MINUTE).await.unwrap_err();
    assert!(
        matches!(
            error,
            WaiterError::FailureState {
                waiter: "Labelled",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(server.requests().len(), 3);
}
