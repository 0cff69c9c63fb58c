//! Hostile networks: stalled bodies, clock skew, proxies and private certificate authorities,
//! each against in-process loopback servers, counting the requests the server saw.

use crate::support::*;
use aws_thin_runtime::{RetryConfig, SdkError, ServiceClient, TimeoutConfig};
use std::time::{Duration, Instant};

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
    let server = Server::start(|_, _| stalled(503));
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
    let server = Server::start(|_, _| stalled(200));
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
    let server = Server::start(|_, _| stalled(200));
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
    });
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
    );
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
    );
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
}

const TEST_CA: &[u8] = TEST_CA_PEM;

/// An https server on 127.0.0.1 with a certificate from the test CA, answering `{}`.
fn tls_server() -> Server {
    Server::start_tls(|_, _| {
        Reply::BytesThenClose(response_bytes(200, &[("connection", "close")], "{}", 2))
    })
}

/// A private CA is trusted only when its bundle is given: in code, or by `AWS_CA_BUNDLE`.
#[tokio::test]
async fn a_private_ca_is_trusted_only_with_its_bundle() {
    use aws_thin_runtime::{Config, ConfigError, Env, Fs};
    let server = tls_server();
    let url = server.url();

    // Without the bundle: no request reaches the server (the handshake fails, or a machine
    // without system roots refuses to build the client).
    match ServiceClient::new(
        config(&url).retry_config(RetryConfig::disabled()).build(),
        &ECR,
    ) {
        Ok(client) => {
            let error = client
                .invoke("DeleteRepository", b"{}".to_vec())
                .await
                .unwrap_err();
            assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
        }
        Err(error) => assert!(matches!(error, ConfigError::Tls { .. }), "{error:?}"),
    }
    assert_eq!(server.request_count(), 0);

    // In code.
    let client = ServiceClient::new(config(&url).ca_bundle_pem(TEST_CA).build(), &ECR).unwrap();
    let response = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(&response.body[..], b"{}");
    assert_eq!(server.request_count(), 1);

    // From AWS_CA_BUNDLE, read through the filesystem seam.
    let loaded = Config::loader()
        .env(Env::from_map([
            ("AWS_REGION", "us-west-2"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CA_BUNDLE", "/etc/corp/ca.pem"),
        ]))
        .fs(Fs::from_map([("/etc/corp/ca.pem", TEST_CA)]))
        .load()
        .unwrap();
    assert_eq!(loaded.ca_bundle_pem(), Some(TEST_CA));
    let client = ServiceClient::new(
        config(&url)
            .ca_bundle_pem(loaded.ca_bundle_pem().unwrap())
            .build(),
        &ECR,
    )
    .unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);

    // A bundle that is not one, or a missing file, is a clear error.
    let error = ServiceClient::new(
        config(&url).ca_bundle_pem("not a certificate").build(),
        &ECR,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot set up TLS: the CA bundle holds no certificate"
    );
    let error = Config::loader()
        .env(Env::from_map([
            ("AWS_REGION", "us-west-2"),
            ("AWS_CA_BUNDLE", "/missing.pem"),
        ]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "cannot set up TLS: cannot read the CA bundle /missing.pem (from AWS_CA_BUNDLE)"
        ),
        "{error}"
    );
}

/// Regression: `HTTPS_PROXY` was ignored. An https call goes through a CONNECT tunnel to the
/// service's host (TLS end to end, checked against the test CA), with the proxy's credentials
/// from its URL, which no Debug shows.
#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    use aws_thin_runtime::{Config, Env, Fs};
    let server = tls_server();
    // A CONNECT proxy: records each tunnel's request, then relays bytes to the server.
    let upstream = server.addr();
    let proxy = Server::start(move |_, _| Reply::Tunnel(upstream));
    // The service's name resolves nowhere: only the proxy can reach it.
    let url = "https://localhost:4443";
    let loaded = Config::loader()
        .env(Env::from_map([
            ("AWS_REGION", "us-west-2"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            (
                "HTTPS_PROXY",
                &*format!("http://corp%5Cme:s3cret@{}", proxy.addr()),
            ),
            ("no_proxy", "example.com"),
        ]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap();
    assert!(!format!("{loaded:?}").contains("s3cret"), "{loaded:?}");
    let config = config(url)
        .proxy(loaded.proxy().unwrap().clone())
        .ca_bundle_pem(TEST_CA)
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 1);
    // TLS end to end: the service saw the hello for its own name, through the tunnel.
    assert_eq!(server.server_names(), [Some("localhost".to_owned())]);
    let tunnels = proxy.requests();
    assert_eq!(tunnels.len(), 1);
    assert_eq!(
        (tunnels[0].method.as_str(), tunnels[0].path.as_str()),
        ("CONNECT", "localhost:4443"),
        "{tunnels:?}"
    );
    assert_eq!(
        tunnels[0].header("proxy-authorization"),
        Some(
            format!(
                "Basic {}",
                aws_thin_runtime::primitives::base64_encode(b"corp\\me:s3cret")
            )
            .as_str()
        ),
        "{tunnels:?}"
    );
    assert!(!format!("{client:?}").contains("s3cret"));
}

/// `HTTP_PROXY`: http requests go to the proxy in absolute form, with `Proxy-Authorization`;
/// a `NO_PROXY` host is reached directly.
#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form_unless_no_proxy() {
    use aws_thin_runtime::ProxyConfig;
    let proxy = Server::always(200, &[], "{}");
    let proxies = ProxyConfig::none()
        .with_http_proxy(&format!("http://me:pw@{}", proxy.addr()))
        .unwrap()
        .with_no_proxy("127.0.0.1");
    let client = ServiceClient::new(
        config("http://ecr.example.com:8080")
            .proxy(proxies.clone())
            .build(),
        &ECR,
    )
    .unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    let request = &proxy.requests()[0];
    assert_eq!(request.path, "http://ecr.example.com:8080/");
    assert_eq!(request.header("host"), Some("ecr.example.com:8080"));
    assert_eq!(
        request.header("proxy-authorization"),
        Some(
            format!(
                "Basic {}",
                aws_thin_runtime::primitives::base64_encode(b"me:pw")
            )
            .as_str()
        )
    );

    // NO_PROXY: straight to the service.
    let direct = Server::always(200, &[], "{}");
    let client = ServiceClient::new(config(&direct.url()).proxy(proxies).build(), &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(direct.request_count(), 1);
    assert_eq!(direct.requests()[0].path, "/");
    assert_eq!(proxy.request_count(), 1);
}
