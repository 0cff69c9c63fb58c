//! Error responses and broken connections, as a caller sees them.

use crate::support::*;
use aws_thin_runtime::{
    RetryConfig, SdkError, ServiceClient, ServiceErrorResponse, TimeoutConfig, TimeoutKind,
};
use std::time::{Duration, Instant};

/// Calls DeleteRepository once (no retries) against `server`.
async fn call(server: &Server) -> SdkError<ServiceErrorResponse> {
    call_with(server, TimeoutConfig::default()).await
}

/// Like `call`, but with standard retries (fast backoff), to count what is retried.
async fn call_retrying(server: &Server) -> SdkError<ServiceErrorResponse> {
    let config = config(&server.url()).build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    client
        .invoke("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap_err()
}

async fn call_with(server: &Server, timeouts: TimeoutConfig) -> SdkError<ServiceErrorResponse> {
    let config = config(&server.url())
        .retry_config(RetryConfig::disabled())
        .timeout_config(timeouts)
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    client
        .invoke("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap_err()
}

fn service(error: SdkError<ServiceErrorResponse>) -> ServiceErrorResponse {
    match error {
        SdkError::Service(response) => response,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn code_from_the_header_wins() {
    let server = Server::always(
        400,
        &[
            (
                "x-amzn-errortype",
                "RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazonaws.ecr/",
            ),
            ("x-amzn-requestid", "b7c5d0e1-0000-4000-8000-000000000001"),
        ],
        r#"{"__type":"SomethingElse","message":"The repository with name 'ubuntu' does not exist in the registry with id '123456789012'"}"#,
    );
    let error = call(&server).await;
    let shown = error.to_string();
    let response = service(error);
    assert_eq!(response.meta.code(), Some("RepositoryNotFoundException"));
    assert_eq!(response.meta.status(), Some(400));
    assert_eq!(
        response.meta.request_id(),
        Some("b7c5d0e1-0000-4000-8000-000000000001")
    );
    assert_eq!(
        shown,
        "RepositoryNotFoundException: The repository with name 'ubuntu' does not exist in the \
         registry with id '123456789012' (HTTP 400 Bad Request, request id \
         b7c5d0e1-0000-4000-8000-000000000001)"
    );
    assert!(std::str::from_utf8(&response.body)
        .unwrap()
        .contains("SomethingElse"));
}

#[tokio::test]
async fn code_from_body_code_then_type() {
    let cases = [
        (
            r#"{"code":"RepositoryNotEmptyException","__type":"Other"}"#,
            "RepositoryNotEmptyException",
        ),
        (
            r#"{"__type":"RepositoryNotFoundException"}"#,
            "RepositoryNotFoundException",
        ),
        (
            r#"{"__type":"com.amazonaws.ecr#RepositoryNotFoundException"}"#,
            "RepositoryNotFoundException",
        ),
        (
            r#"{"__type":"com.amazonaws.ecr#RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
            "RepositoryNotFoundException",
        ),
    ];
    for (body, code) in cases {
        let server = Server::always(400, &[], body);
        let response = service(call(&server).await);
        assert_eq!(response.meta.code(), Some(code), "{body}");
    }
}

#[tokio::test]
async fn message_from_message_or_capital_message() {
    for body in [
        r#"{"__type":"InvalidParameterException","message":"bad name"}"#,
        r#"{"__type":"InvalidParameterException","Message":"bad name"}"#,
    ] {
        let server = Server::always(400, &[("x-amz-request-id", "rid-2")], body);
        let error = call(&server).await;
        assert_eq!(
            error.to_string(),
            "InvalidParameterException: bad name (HTTP 400 Bad Request, request id rid-2)"
        );
    }
}

#[tokio::test]
async fn xml_403_keeps_code_message_and_status() {
    let server = Server::always(
        403,
        &[("x-amzn-requestid", "rid-403"), ("content-type", "text/xml")],
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
         <Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>\
         </Error><RequestId>rid-403</RequestId></ErrorResponse>",
    );
    let error = call(&server).await;
    assert_eq!(
        error.to_string(),
        "InvalidClientTokenId: The security token included in the request is invalid. \
         (HTTP 403 Forbidden, request id rid-403)"
    );
    let response = service(error);
    assert_eq!(response.meta.status(), Some(403));
}

#[tokio::test]
async fn html_503_keeps_status_request_id_and_header_code() {
    let server = Server::always(
        503,
        &[
            ("x-amzn-requestid", "rid-503"),
            ("x-amzn-errortype", "ServiceUnavailableException"),
            ("content-type", "text/html"),
        ],
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body></body></html>",
    );
    let error = call(&server).await;
    assert_eq!(
        error.to_string(),
        "ServiceUnavailableException (HTTP 503 Service Unavailable, request id rid-503); the body \
         began: <html><head><title>503 Service Temporarily Unavailable</title></head><body></body></html>"
    );

    // Without any code at all, the status, request id and page still say what happened.
    let server = Server::always(
        502,
        &[("x-amzn-requestid", "rid-502")],
        "<html>\n<h1>Bad Gateway</h1>\n<p>upstream proxy.corp refused the connection</p></html>",
    );
    let error = call(&server).await;
    assert_eq!(
        error.to_string(),
        "service error without a code or message (HTTP 502 Bad Gateway, request id rid-502); the \
         body began: <html> <h1>Bad Gateway</h1> <p>upstream proxy.corp refused the connection</p></html>"
    );
}

/// Regression: a server message with terminal escape sequences was printed raw; a huge HTML
/// page is kept only as a bounded excerpt.
#[tokio::test]
async fn server_text_is_escaped_and_bodies_are_bounded() {
    let server = Server::always(
        400,
        &[("x-amzn-requestid", "rid-esc")],
        "{\"__type\":\"InvalidParameterException\",\"message\":\"bad \\u001b[2J\\u001b]0;owned\\u0007 name\"}",
    );
    let error = call(&server).await;
    let shown = error.to_string();
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(
        shown.starts_with(
            "InvalidParameterException: bad \\u{1b}[2J\\u{1b}]0;owned\\u{7} name (HTTP 400"
        ),
        "{shown}"
    );

    let page = format!("<html>{}</html>", "x".repeat(100_000));
    let server = Server::start(move |_, _| respond(502, &[], &page));
    let error = call(&server).await;
    let excerpt = service(error).meta.body_excerpt().unwrap().to_owned();
    assert!(excerpt.starts_with("<html>xxx") && excerpt.ends_with("..."));
    assert!(excerpt.len() <= 303, "{}", excerpt.len());
}

/// Regression: a 200 cut short was retried, so a delete that had happened reported
/// `RepositoryNotFoundException`. Now the server sees one request and the caller learns that the
/// operation may have succeeded.
#[tokio::test]
async fn truncated_200_is_not_retried_and_says_it_may_have_succeeded() {
    let server = Server::start(|index, _| {
        if index == 0 {
            Reply::BytesThenClose(response_bytes(
                200,
                &[("x-amzn-requestid", "rid-trunc")],
                r#"{"repository":{"repo"#,
                500,
            ))
        } else {
            respond(400, &[], r#"{"__type":"RepositoryNotFoundException"}"#)
        }
    });
    let error = call_retrying(&server).await;
    assert_eq!(server.request_count(), 1);
    let SdkError::Response(response) = &error else {
        panic!("expected a response error, got {error:?}");
    };
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("rid-trunc"));
    assert_eq!(
        error.to_string(),
        "could not understand the response: the body of a successful response could not be read \
         in full; the operation may have succeeded, so it was not retried (HTTP 200 OK, request id \
         rid-trunc)"
    );
}

/// A failed status cut short is a transport error, and retried.
#[tokio::test]
async fn truncated_error_body_is_a_transport_error_and_retried() {
    let server = Server::start(|_, _| {
        Reply::BytesThenClose(response_bytes(
            503,
            &[("x-amzn-requestid", "rid-trunc")],
            r#"{"__type":"Serv"#,
            500,
        ))
    });
    let error = call_retrying(&server).await;
    assert_eq!(server.request_count(), 3);
    let SdkError::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert_eq!(transport.status(), Some(503));
    assert_eq!(transport.request_id(), Some("rid-trunc"));
    let shown = error.to_string();
    assert!(
        shown.starts_with("transport error reading the response body"),
        "{shown}"
    );
    assert!(
        shown.ends_with("(HTTP 503 Service Unavailable, request id rid-trunc)"),
        "{shown}"
    );
}

#[tokio::test]
async fn malformed_json_on_200_reaches_the_caller_as_bytes() {
    // The runtime hands 2xx bodies over untouched; generated code turns a parse failure into
    // SdkError::Response with status and request id.
    let server = Server::always(200, &[("x-amzn-requestid", "rid-bad")], "{not json");
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();
    let response = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(&response.body[..], b"{not json");
    let error = aws_thin_runtime::ResponseError::new(
        response.status,
        response.request_id.clone(),
        "expected a JSON object",
    );
    assert_eq!(
        error.to_string(),
        "could not understand the response: expected a JSON object (HTTP 200 OK, request id rid-bad)"
    );
}

#[tokio::test]
async fn connection_reset_is_a_transport_error() {
    let server = Server::start(|_, _| Reply::Reset);
    let error = call(&server).await;
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    let shown = error.to_string();
    assert!(shown.starts_with("transport error"), "{shown}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_while_connecting() {
    // Bind then drop a listener: nothing listens on that port any more.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = config(&format!("http://{addr}"))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let error = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    let SdkError::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert_eq!(transport.context(), "connecting");
    let shown = error.to_string().to_lowercase();
    assert!(shown.contains("refused"), "{shown}");
}

#[tokio::test]
async fn silent_server_trips_the_attempt_timeout() {
    let server = Server::start(|_, _| Reply::Hang);
    let started = Instant::now();
    let error = call_with(
        &server,
        TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(200))),
    )
    .await;
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.after(), Duration::from_millis(200));
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert_eq!(
        error.to_string(),
        "timed out: no complete response within the per-attempt timeout of 200ms"
    );
}

#[tokio::test]
async fn operation_timeout_bounds_all_attempts() {
    let server = Server::start(|_, _| Reply::Hang);
    let config = config(&server.url())
        .retry_config(RetryConfig::standard().with_max_attempts(10))
        .timeout_config(
            TimeoutConfig::default()
                .with_attempt_timeout(Some(Duration::from_millis(100)))
                .with_operation_timeout(Some(Duration::from_millis(250))),
        )
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let error = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    let SdkError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    let attempts = server.request_count();
    assert!((2..=3).contains(&attempts), "{attempts} attempts");
}
