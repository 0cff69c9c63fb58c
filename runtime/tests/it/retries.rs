//! Which failures are retried, how often, as counted by the server.

use crate::support::*;
use aws_thin_runtime::{
    Config, ConfigError, Env, Fs, RetryConfig, RetryMode, SdkError, ServiceClient, TimeoutConfig,
};
use std::time::Duration;

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
fn flaky(failures: usize, failure: fn() -> Reply) -> Server {
    Server::start(move |index, _| {
        if index < failures {
            failure()
        } else {
            respond(200, &[("x-amzn-requestid", "ok")], r#"{"repository":{}}"#)
        }
    })
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
        });
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
    );
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
        });
        client(&server, RetryConfig::standard())
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
        assert_eq!(server.request_count(), 2, "{code}");
    }
}

#[tokio::test]
async fn modeled_400_is_not_retried() {
    let server = Server::always(400, &[], r#"{"__type":"RepositoryNotFoundException"}"#);
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
    let server = Server::always(500, &[], "");
    let error = client(&server, RetryConfig::disabled())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert_eq!(error.as_service().unwrap().meta.status(), Some(500));
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let server = Server::always(500, &[], "");
    client(&server, RetryConfig::standard().with_max_attempts(5))
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 5);
}

#[tokio::test]
async fn retries_connection_resets() {
    let server = flaky(1, || Reply::Reset);
    let response = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("ok"));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn retries_attempt_timeouts() {
    let server = flaky(1, || Reply::Hang);
    let response = client(&server, RetryConfig::standard())
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn every_attempt_is_signed_afresh_with_the_same_body() {
    let server = flaky(2, || respond(500, &[], ""));
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
    let server = Server::always(403, &[], r#"{"__type":"UnrecognizedClientException"}"#);
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
    let server = Server::always(503, &[], "");
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
    let server = Server::always(503, &[], "");
    let unlimited = self::client(&server, RetryConfig::standard().with_retry_quota(false));
    for _ in 0..60 {
        unlimited
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap_err();
    }
    assert_eq!(server.request_count(), 180);
}

/// Region, keys, endpoint `url`, HOME in an in-memory filesystem holding `config`, plus `extra`.
fn loaded(url: &str, extra: &[(&str, &str)], config: &str) -> Result<Config, ConfigError> {
    let mut pairs = vec![
        ("AWS_REGION", "us-west-2"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_ENDPOINT_URL", url),
        ("HOME", "/home/u"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    Config::loader()
        .env(Env::from_map(
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        ))
        .fs(Fs::from_map([("/home/u/.aws/config", config)]))
        .load()
}

/// Regression: `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` and the profile's keys were ignored.
#[tokio::test]
async fn max_attempts_and_retry_mode_from_environment_and_profile() {
    let attempts_seen = |extra: &'static [(&'static str, &'static str)], profile: &'static str| async move {
        let server = Server::always(500, &[], "");
        let config = loaded(&server.url(), extra, profile).unwrap();
        // Keep the loaded attempts and mode, with a fast backoff.
        let retry = config
            .retry_config()
            .clone()
            .with_initial_backoff(Duration::from_millis(1));
        let mode = retry.mode();
        let client =
            ServiceClient::new(config.to_builder().retry_config(retry).build(), &ECR).unwrap();
        client
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap_err();
        (server.request_count(), mode)
    };
    assert_eq!(
        attempts_seen(&[("AWS_MAX_ATTEMPTS", "5")], "").await,
        (5, RetryMode::Standard)
    );
    assert_eq!(
        attempts_seen(&[], "[default]\nmax_attempts = 2\nretry_mode = adaptive\n").await,
        (2, RetryMode::Adaptive)
    );
    assert_eq!(
        attempts_seen(
            &[("AWS_MAX_ATTEMPTS", "1"), ("AWS_RETRY_MODE", "standard")],
            "[default]\nmax_attempts = 4\nretry_mode = adaptive\n"
        )
        .await,
        (1, RetryMode::Standard),
        "the environment wins over the profile"
    );
    assert_eq!(attempts_seen(&[], "").await, (3, RetryMode::Standard));

    // Code wins over both.
    let config = Config::builder()
        .retry_config(RetryConfig::disabled())
        .loader()
        .env(Env::from_map([
            ("AWS_REGION", "us-west-2"),
            ("AWS_MAX_ATTEMPTS", "7"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap();
    assert_eq!(config.retry_config().max_attempts(), 1);
}

#[test]
fn unusable_retry_settings_are_errors_naming_their_source() {
    for (extra, profile, expected) in [
        (
            &[("AWS_MAX_ATTEMPTS", "0")][..],
            "",
            "invalid value \"0\" for AWS_MAX_ATTEMPTS: expected a whole number of attempts, 1 or more (1 turns retries off)",
        ),
        (
            &[("AWS_MAX_ATTEMPTS", "three")][..],
            "",
            "invalid value \"three\" for AWS_MAX_ATTEMPTS: expected a whole number of attempts, 1 or more (1 turns retries off)",
        ),
        (
            &[("AWS_RETRY_MODE", "fast")][..],
            "",
            "invalid value \"fast\" for AWS_RETRY_MODE: expected standard, adaptive or legacy",
        ),
        (
            &[][..],
            "[default]\nretry_mode = turbo\n",
            "invalid value \"turbo\" for `retry_mode` in",
        ),
    ] {
        let error = loaded("http://127.0.0.1:1", extra, profile).unwrap_err();
        assert!(error.to_string().starts_with(expected), "{error}");
    }
}

/// Regression: a non-UTF-8 `AWS_ENDPOINT_URL` or `AWS_MAX_ATTEMPTS` was silently ignored.
#[cfg(unix)]
#[test]
fn non_utf8_aws_variables_are_errors() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    for variable in ["AWS_ENDPOINT_URL", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"] {
        let env = Env::from_map([
            ("AWS_REGION", OsString::from("us-west-2")),
            ("AWS_EC2_METADATA_DISABLED", OsString::from("true")),
            (variable, OsString::from_vec(vec![b'x', 0xff])),
        ]);
        let error = Config::loader()
            .env(env)
            .fs(Fs::from_map::<&str, &str>([]))
            .load()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("invalid value \"<not UTF-8>\" for {variable}: expected UTF-8 text")
        );
    }
}
