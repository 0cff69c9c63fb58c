//! Unit-testing application code against `test_util::Mock`: no server, no sockets; the client
//! still serializes, signs, retries and parses.

use aws_thin_ecr::error::{RepositoryNotFoundException, ServerException};
use aws_thin_ecr::operation::delete_repository::{DeleteRepositoryError, DeleteRepositoryOutput};
use aws_thin_ecr::test_util::Mock;
use aws_thin_ecr::types::Repository;
use aws_thin_ecr::{Client, SdkError};

/// The application code under test: deletes a repository, treating "not there" as done.
async fn remove_repository(
    client: &Client,
    name: &str,
) -> Result<bool, SdkError<DeleteRepositoryError>> {
    match client
        .delete_repository()
        .repository_name(name)
        .force(true)
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_repository_not_found_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

fn deleted(name: &str) -> DeleteRepositoryOutput {
    DeleteRepositoryOutput::builder()
        .repository(
            Repository::builder()
                .repository_name(name)
                .repository_arn(format!(
                    "arn:aws:ecr:us-east-1:123456789012:repository/{name}"
                ))
                .build(),
        )
        .build()
}

#[tokio::test]
async fn a_modeled_error_comes_back_as_its_variant() {
    let mock = Mock::new();
    mock.delete_repository().then_error(
        RepositoryNotFoundException::builder()
            .message("The repository with name 'gone' does not exist")
            .build(),
    );
    let client = mock.client();

    let error = client
        .delete_repository()
        .repository_name("gone")
        .send()
        .await
        .expect_err("the mock answers NotFound");
    let service = error.as_service_error().expect("a service error");
    assert!(service.is_repository_not_found_exception(), "{error:?}");
    assert_eq!(error.code(), Some("RepositoryNotFoundException"));
    assert_eq!(
        error.message(),
        Some("The repository with name 'gone' does not exist")
    );
    assert_eq!(error.request_id(), Some("mock-request-1"));
    assert_eq!(service.meta().status(), Some(400));

    // And the application code built on it treats that as done.
    assert!(!remove_repository(&client, "gone")
        .await
        .expect("not an error"));
}

#[tokio::test]
async fn two_server_errors_then_success_are_retried_and_recorded() {
    let mock = Mock::new();
    let rule = mock
        .delete_repository()
        .then_status(500)
        .then_status(500)
        .then_output(deleted("ubuntu"));
    let client = mock.client();

    let output = client
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
        .expect("the third attempt succeeds");
    let repository = output.repository().expect("the modeled output");
    assert_eq!(repository.repository_name(), Some("ubuntu"));
    assert_eq!(output.request_id(), Some("mock-request-3"));
    assert_eq!(rule.calls(), 3);

    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.operation(), Some("DeleteRepository"));
        assert_eq!(
            request.header("x-amz-target"),
            Some("AmazonEC2ContainerRegistry_V20150921.DeleteRepository")
        );
        // Really signed, with the mock's credentials.
        let authorization = request.header("authorization").expect("signed");
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDMOCK/"));
        let input: aws_thin_ecr::operation::delete_repository::DeleteRepositoryInput =
            request.input().expect("the input's JSON");
        assert_eq!(input.repository_name(), Some("ubuntu"));
    }
}

#[tokio::test]
async fn a_call_no_rule_matches_fails_naming_the_operation() {
    let mock = Mock::new();
    mock.delete_repository()
        .match_input(|input| input.repository_name() == Some("expected"))
        .then_output(deleted("expected"));
    let client = mock.client();

    let error = client
        .delete_repository()
        .repository_name("unexpected")
        .send()
        .await
        .expect_err("no rule matches");
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains("no mock rule matches this DeleteRepository call"),
        "{shown}"
    );
    assert!(
        shown.contains(r#""repositoryName":"unexpected""#),
        "{shown}"
    );
}

#[tokio::test]
async fn rules_match_on_the_input_and_raw_responses_are_parsed_like_the_service() {
    let mock = Mock::new();
    let kept = mock
        .delete_repository()
        .match_input(|input| input.repository_name() == Some("kept"))
        .then_http_response(
            403,
            &[
                ("x-amzn-errortype", "AccessDeniedException"),
                ("content-type", "text/html"),
            ],
            "<html>Forbidden</html>",
        );
    let any = mock.delete_repository().then_output(deleted("other"));
    let client = mock.client();

    let denied = client
        .delete_repository()
        .repository_name("kept")
        .send()
        .await
        .expect_err("403");
    // A code the model does not list: matched through code(), not the Unhandled variant.
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    assert!(remove_repository(&client, "other").await.expect("deleted"));
    assert_eq!((kept.calls(), any.calls()), (1, 1));
}

#[test]
fn the_blocking_client_works_with_the_mock() {
    let mock = Mock::new();
    mock.delete_repository().then_output(deleted("ubuntu"));
    let client = mock.blocking_client();
    let output = client
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .expect("deleted");
    assert_eq!(
        output.repository().and_then(|r| r.repository_name()),
        Some("ubuntu")
    );
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_modeled_server_fault_has_its_status_and_is_retried() {
    let mock = Mock::new();
    let rule = mock
        .delete_repository()
        .then_error(
            ServerException::builder()
                .message("internal failure")
                .build(),
        )
        .then_output(deleted("ubuntu"));
    let client = mock.client();
    client
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
        .expect("the 500 ServerException is retried");
    assert_eq!(rule.calls(), 2);

    let mock = Mock::new();
    mock.delete_repository().then_error(
        ServerException::builder()
            .message("internal failure")
            .build(),
    );
    let error = mock
        .client()
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
        .expect_err("every attempt fails");
    let service = error.as_service_error().expect("a service error");
    assert!(service.is_server_exception());
    assert_eq!(service.meta().status(), Some(500));
    assert_eq!(mock.requests().len(), 3, "the default 3 attempts");
}
