//! Which failures are retried, how often, as counted by the server.

mod support;

use aws_thin_runtime::{RetryConfig, SdkError, ServiceClient, TimeoutConfig};
use std::time::Duration;
use support::*;

fn client(server: &Server, retry: RetryConfig) -> ServiceClient {
    let retry = retry.with_initial_backoff(Duration::from_millis(1));
    let config = config(&server.url())
        .retry_config(retry)
        .timeout_config(
            TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(300))),
        )
        .build();
    ServiceClient::new(config, &ECR).unwrap()
}

/// A server that fails `failures` times with `failure`, then answers 200.
async fn flaky(failures: usize, failure: fn() -> Reply) -> Server {
    Server::start(move |index, _| {
        if index < failures {
            failure()
        } else {
            respond(200, &[("x-amzn-requestid", "ok")], r#"{"repository":{}}"#)
        }
    })
    .await
}

#[tokio::test]
async fn retries_5xx_until_success() {
    for status in [500u16, 502, 503, 504] {
        let server = Server::start(move |index, _| {
            if index < 2 {
                respond(status, &[], "")
            } else {
                respond(200, &[], "{}")
            }
        })
        .await;
        let response = client(&server, RetryConfig::standard())
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(server.request_count(), 3, "HTTP {status}");
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = Server::always(
        503,
        &[("x-amzn-requestid", "last")],
        r#"{"__type":"ServiceUnavailableException","message":"try later"}"#,
    )
    .await;
    let error = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 3);
    assert_eq!(
        error.to_string(),
        "ServiceUnavailableException: try later (HTTP 503 Service Unavailable, request id last)"
    );
}

#[tokio::test]
async fn retries_throttling_codes() {
    for code in [
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    ] {
        let body = format!(r#"{{"__type":"{code}","message":"Rate exceeded"}}"#);
        let server = Server::start(move |index, _| {
            if index == 0 {
                respond(400, &[], &body)
            } else {
                respond(200, &[], "{}")
            }
        })
        .await;
        client(&server, RetryConfig::standard())
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
        assert_eq!(server.request_count(), 2, "{code}");
    }
}

#[tokio::test]
async fn modeled_400_is_not_retried() {
    let server = Server::always(400, &[], r#"{"__type":"RepositoryNotFoundException"}"#).await;
    let error = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert_eq!(
        error.as_service().unwrap().meta.code(),
        Some("RepositoryNotFoundException")
    );
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = Server::always(500, &[], "").await;
    let error = client(&server, RetryConfig::disabled())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert_eq!(error.as_service().unwrap().meta.status(), Some(500));
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let server = Server::always(500, &[], "").await;
    client(&server, RetryConfig::standard().with_max_attempts(5))
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 5);
}

#[tokio::test]
async fn retries_connection_resets() {
    let server = flaky(1, || Reply::Reset).await;
    let response = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("ok"));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn retries_attempt_timeouts() {
    let server = flaky(1, || Reply::Hang).await;
    let response = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn every_attempt_is_signed_afresh_with_the_same_body() {
    let server = flaky(2, || respond(500, &[], "")).await;
    client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.body, GOLDEN_BODY.as_bytes());
        assert_eq!(
            request.header("authorization"),
            requests[0].header("authorization")
        );
    }
}

#[tokio::test]
async fn non_retryable_errors_stop_at_once() {
    // A 403 (for example a bad signature) is final.
    let server = Server::always(403, &[], r#"{"__type":"UnrecognizedClientException"}"#).await;
    let error = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Service(_)));
    assert_eq!(server.request_count(), 1);
}

/// An always-503 service: the first 50 calls take 2 retries each (10 tokens of 500), after which
/// the bucket is empty and every call fails after one attempt. A clone shares the bucket; a
/// success refills it by one token, not enough for a retry (5).
#[tokio::test]
async fn the_retry_quota_stops_retries_during_an_outage() {
    let server = Server::always(503, &[], "").await;
    let client = client(&server, RetryConfig::standard());
    for call in 1..=50 {
        client
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap_err();
        assert_eq!(server.request_count(), call * 3, "call {call}");
    }
    let clone = client.clone();
    for call in 1..=5 {
        let error = clone
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap_err();
        assert_eq!(error.as_service().unwrap().meta.status(), Some(503));
        assert_eq!(server.request_count(), 150 + call, "drained call {call}");
    }

    // Without the quota, every call retries.
    let server = Server::always(503, &[], "").await;
    let unlimited = self::client(&server, RetryConfig::standard().with_retry_quota(false));
    for _ in 0..60 {
        unlimited
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap_err();
    }
    assert_eq!(server.request_count(), 180);
}
