//! Hostile networks: stalled bodies, clock skew, proxies and private certificate authorities,
//! each against in-process loopback servers, counting the requests the server saw.

mod support;

use aws_thin_runtime::{RetryConfig, SdkError, ServiceClient, TimeoutConfig};
use std::time::{Duration, Instant};
use support::*;

/// Headers and half the body, then silence.
fn stalled(status: u16) -> Reply {
    Reply::BytesThenHang(response_bytes(
        status,
        &[("x-amzn-requestid", "rid-stall")],
        r#"{"repository":"#,
        100,
    ))
}

fn stall_client(server: &Server, grace: Option<Duration>) -> ServiceClient {
    let config = config(&server.url())
        .timeout_config(
            TimeoutConfig::default()
                .with_attempt_timeout(Some(Duration::from_secs(30)))
                .with_stalled_stream_grace(grace),
        )
        .build();
    ServiceClient::new(config, &ECR).unwrap()
}

/// Regression: headers then a stalled body held each of 3 attempts for the 30 s attempt
/// timeout. With a 200 ms grace period a 503 is retried and the call fails within a few
/// seconds, well before one attempt timeout.
#[tokio::test]
async fn a_stalled_error_body_fails_the_attempt_and_is_retried() {
    let server = Server::start(|_, _| stalled(503)).await;
    let started = Instant::now();
    let error = stall_client(&server, Some(Duration::from_millis(200)))
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(server.request_count(), 3);
    let SdkError::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert_eq!(transport.status(), Some(503));
    assert!(
        error.to_string().contains("made no progress for 200ms"),
        "{error}"
    );
}

/// After a 200 head the operation may have happened: not retried, and said so.
#[tokio::test]
async fn a_stalled_successful_body_is_not_retried() {
    let server = Server::start(|_, _| stalled(200)).await;
    let started = Instant::now();
    let error = stall_client(&server, Some(Duration::from_millis(200)))
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(server.request_count(), 1);
    let SdkError::Response(response) = &error else {
        panic!("expected a response error, got {error:?}");
    };
    assert_eq!(response.request_id(), Some("rid-stall"));
    assert!(error.to_string().contains("may have succeeded"), "{error}");
}

/// With the protection off, the attempt timeout is what ends the wait.
#[tokio::test]
async fn stalled_stream_protection_can_be_turned_off() {
    let server = Server::start(|_, _| stalled(200)).await;
    let config = config(&server.url())
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::default()
                .with_attempt_timeout(Some(Duration::from_millis(300)))
                .with_stalled_stream_grace(None),
        )
        .build();
    let error = ServiceClient::new(config, &ECR)
        .unwrap()
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Timeout(_)), "{error:?}");
}

/// Regression: a client clock 20 minutes slow failed every call with "Signature expired",
/// although each answer's `Date` said the service's time. The first call is re-signed once with
/// the corrected time (2 requests); later calls start corrected (1 request each).
#[tokio::test]
async fn clock_skew_is_learned_from_date_and_corrected() {
    // The service's clock: 20 minutes after the client's fixed golden time (12:36:00).
    const SERVER_DATE: &str = "Sun, 30 Aug 2015 12:56:00 GMT";
    let server = Server::start(|_, request| {
        if request.header("x-amz-date") == Some("20150830T125600Z") {
            respond(200, &[("date", SERVER_DATE)], "{}")
        } else {
            respond(
                400,
                &[("date", SERVER_DATE)],
                r#"{"__type":"InvalidSignatureException","message":"Signature expired: 20150830T123600Z is now earlier than 20150830T125100Z (20150830T125600Z - 5 min.)"}"#,
            )
        }
    })
    .await;
    let client = ServiceClient::new(
        config(&server.url())
            .retry_config(RetryConfig::disabled())
            .build(),
        &ECR,
    )
    .unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 3, "later calls start corrected");
    let dates: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-amz-date").unwrap().to_owned())
        .collect();
    assert_eq!(
        dates,
        ["20150830T123600Z", "20150830T125600Z", "20150830T125600Z"]
    );
}

/// A signature error that is not about time is not re-signed, and without a `Date` there is
/// nothing to correct with.
#[tokio::test]
async fn other_signature_errors_are_not_resigned() {
    let server = Server::always(
        400,
        &[("date", "Sun, 30 Aug 2015 12:56:00 GMT")],
        r#"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match"}"#,
    )
    .await;
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);

    let server = Server::always(
        400,
        &[],
        r#"{"__type":"RequestExpired","message":"Request has expired."}"#,
    )
    .await;
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
}
