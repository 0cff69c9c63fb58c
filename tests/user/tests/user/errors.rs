//! Every error prints each of its messages exactly once through an error reporter (anyhow's
//! `{:#}` walks `source()` and joins the messages), and answers `code()`/`message()`/
//! `request_id()` like the official SDK's errors.

use aws_thin_ecr::error::{
    BlockingError, BuildError, ConfigError, CredentialsError, ErrorMetadata, ResponseError,
    SdkError, TimeoutError, TimeoutKind, TransportError,
};
use aws_thin_ecr::error::{
    InvalidParameterException, KmsException, RepositoryNotEmptyException,
    RepositoryNotFoundException, ServerException,
};
use aws_thin_ecr::operation::delete_repository::DeleteRepositoryError;
use aws_thin_ecr::ProvideErrorMetadata;
use std::fmt;
use std::time::Duration;

/// An error with a cause, like hyper's error around an io error.
#[derive(Debug)]
struct Outer {
    inner: std::io::Error,
}

impl fmt::Display for Outer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("client error (Connect)")
    }
}

impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

fn chained() -> Outer {
    Outer {
        inner: std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused"),
    }
}

fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::new(
        Some(code.into()),
        Some(message.into()),
        Some(400),
        Some("req-1234".into()),
    )
}

/// Asserts that the reporter's chain shows each message exactly once.
fn assert_each_once(error: impl Into<anyhow::Error>, messages: &[&str]) {
    let shown = format!("{:#}", error.into());
    for message in messages {
        assert_eq!(
            shown.matches(message).count(),
            1,
            "{message:?} should appear exactly once in {shown:?}"
        );
    }
}

type Sdk = SdkError<DeleteRepositoryError>;

/// Generic code reads any error's code through the trait, as with the official SDK.
fn code_through_the_trait(error: &impl ProvideErrorMetadata) -> Option<&str> {
    error.code()
}

#[test]
fn every_error_kind_prints_each_message_once() {
    let construction: Sdk = SdkError::Construction(BuildError::missing(
        "DeleteRepositoryInput",
        "repositoryName",
    ));
    assert_each_once(
        construction,
        &["required member `repositoryName` is not set"],
    );

    let provider: Sdk = SdkError::Credentials(CredentialsError::provider(chained()));
    assert_each_once(
        provider,
        &[
            "could not load credentials",
            "client error (Connect)",
            "connection refused",
        ],
    );
    let signing: Sdk = SdkError::Credentials(CredentialsError::signing(chained()));
    assert_each_once(
        signing,
        &["could not sign the request", "connection refused"],
    );

    let timeout: Sdk = SdkError::Timeout(TimeoutError::new(
        TimeoutKind::Attempt,
        Duration::from_millis(250),
    ));
    assert_each_once(timeout, &["per-attempt timeout of 250ms"]);

    let transport: Sdk = SdkError::Transport(TransportError::new("connecting", chained()));
    assert_each_once(
        transport,
        &[
            "transport error connecting",
            "client error (Connect)",
            "connection refused",
        ],
    );

    let json_error = serde_json_error();
    let response: Sdk = SdkError::Response(
        ResponseError::new(200, Some("req-1".into()), "malformed JSON").with_source(json_error),
    );
    assert_each_once(response, &["malformed JSON", "EOF while parsing", "req-1"]);

    let blocking: Sdk = SdkError::Blocking(BlockingError::inside_async_runtime(
        "aws_thin_ecr::blocking::Client",
    ));
    assert_each_once(blocking, &["called from inside an async runtime"]);

    let config = ConfigError::MissingRegion {
        looked_at: "AWS_REGION".into(),
    };
    assert_each_once(config, &["no AWS region configured"]);
}

/// A real JSON parser error, to stand for a cause the runtime attaches.
fn serde_json_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "EOF while parsing an object at line 1 column 1",
    )
}

#[test]
fn every_service_error_prints_each_message_once() {
    let variants: Vec<(DeleteRepositoryError, &str)> = vec![
        (
            DeleteRepositoryError::RepositoryNotFoundException(
                RepositoryNotFoundException::builder()
                    .meta(meta("RepositoryNotFoundException", "no such repository"))
                    .build(),
            ),
            "RepositoryNotFoundException",
        ),
        (
            DeleteRepositoryError::RepositoryNotEmptyException(
                RepositoryNotEmptyException::builder()
                    .meta(meta("RepositoryNotEmptyException", "still has images"))
                    .build(),
            ),
            "RepositoryNotEmptyException",
        ),
        (
            DeleteRepositoryError::InvalidParameterException(
                InvalidParameterException::builder()
                    .meta(meta("InvalidParameterException", "bad name"))
                    .build(),
            ),
            "InvalidParameterException",
        ),
        (
            DeleteRepositoryError::KmsException(
                KmsException::builder()
                    .kms_error("KMSDisabledException")
                    .meta(meta("KmsException", "key disabled"))
                    .build(),
            ),
            "KmsException",
        ),
        (
            DeleteRepositoryError::ServerException(
                ServerException::builder()
                    .meta(meta("ServerException", "internal failure"))
                    .build(),
            ),
            "ServerException",
        ),
    ];
    for (error, code) in variants {
        assert_eq!(error.code(), Some(code));
        assert_eq!(code_through_the_trait(&error), Some(code));
        assert_eq!(error.request_id(), Some("req-1234"));
        let message = error.message().expect("a message").to_owned();
        let sdk: Sdk = SdkError::Service(error);
        assert_eq!(sdk.code(), Some(code));
        assert_eq!(sdk.message(), Some(message.as_str()));
        assert_eq!(sdk.request_id(), Some("req-1234"));
        assert_each_once(sdk, &[code, &message, "req-1234", "HTTP 400"]);
    }
}

#[test]
fn into_service_error_wraps_other_failures_in_unhandled() {
    let transport: Sdk = SdkError::Transport(TransportError::new("connecting", chained()));
    assert_eq!(transport.code(), None);
    assert!(transport.as_service_error().is_none());

    let error = transport.into_service_error();
    assert!(matches!(error, DeleteRepositoryError::Unhandled(_)));
    // No code: a match on code() cannot mistake a connection failure for a service answer.
    assert_eq!(error.code(), None);
    assert_each_once(
        error,
        &[
            "transport error connecting",
            "client error (Connect)",
            "connection refused",
        ],
    );

    let service: Sdk = SdkError::Service(DeleteRepositoryError::ServerException(
        ServerException::builder()
            .meta(meta("ServerException", "internal failure"))
            .build(),
    ));
    assert!(service.as_service_error().is_some());
    assert!(service.into_service_error().is_server_exception());
}

#[tokio::test]
async fn service_errors_parsed_from_responses_print_each_message_once() {
    let mock = aws_thin_ecr::test_util::Mock::new();
    mock.delete_repository()
        .match_input(|input| input.repository_name() == Some("gone"))
        .then_error(
            RepositoryNotFoundException::builder()
                .message("The repository does not exist")
                .build(),
        );
    mock.delete_repository().then_http_response(
        403,
        &[("content-type", "application/json")],
        r#"{"__type":"UnrecognizedClientException","message":"The security token is invalid"}"#,
    );
    let client = mock.client();
    for (name, code, message) in [
        (
            "gone",
            "RepositoryNotFoundException",
            "The repository does not exist",
        ),
        (
            "denied",
            "UnrecognizedClientException",
            "The security token is invalid",
        ),
    ] {
        let error = client
            .delete_repository()
            .repository_name(name)
            .send()
            .await
            .expect_err("an error answer");
        assert_eq!(error.code(), Some(code));
        let request_id = error.request_id().expect("a request id").to_owned();
        assert_each_once(error, &[code, message, &request_id]);
    }
}
