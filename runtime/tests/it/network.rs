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

const TEST_CA: &[u8] = include_bytes!("../tls/ca.pem");

/// An https server on 127.0.0.1 with a certificate from the test CA, answering `{}`; returns
/// its address and the number of requests it read.
async fn tls_server() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let certs = CertificateDer::pem_slice_iter(include_bytes!("../tls/server.pem"))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../tls/server-key.pem")).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(server_config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = requests.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let count = count.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut seen = Vec::new();
                let mut chunk = [0u8; 4096];
                // Requests here are small: the head and body arrive before the client waits.
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&chunk[..n]),
                    }
                }
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (addr, requests)
}

/// A private CA is trusted only when its bundle is given: in code, or by `AWS_CA_BUNDLE`.
#[tokio::test]
async fn a_private_ca_is_trusted_only_with_its_bundle() {
    use aws_thin_runtime::{Config, ConfigError, Env, Fs};
    use std::sync::atomic::Ordering;
    let (addr, requests) = tls_server().await;
    let url = format!("https://127.0.0.1:{}", addr.port());

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
    assert_eq!(requests.load(Ordering::SeqCst), 0);

    // In code.
    let client = ServiceClient::new(config(&url).ca_bundle_pem(TEST_CA).build(), &ECR).unwrap();
    let response = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(&response.body[..], b"{}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);

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
    assert_eq!(requests.load(Ordering::SeqCst), 2);

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

/// A CONNECT proxy on 127.0.0.1 that records each tunnel's target and request head, then
/// relays bytes to `upstream`.
async fn connect_proxy(
    upstream: std::net::SocketAddr,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                record
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (addr, seen)
}

/// Regression: `HTTPS_PROXY` was ignored. An https call goes through a CONNECT tunnel to the
/// service's host (TLS end to end, checked against the test CA), with the proxy's credentials
/// from its URL, which no Debug shows.
#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    use aws_thin_runtime::{Config, Env, Fs};
    use std::sync::atomic::Ordering;
    let (server, requests) = tls_server().await;
    let (proxy, tunnels) = connect_proxy(server).await;
    // The service's name resolves nowhere: only the proxy can reach it.
    let url = "https://localhost:4443";
    let loaded = Config::loader()
        .env(Env::from_map([
            ("AWS_REGION", "us-west-2"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("HTTPS_PROXY", &*format!("http://corp%5Cme:s3cret@{proxy}")),
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
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let tunnels = tunnels.lock().unwrap().clone();
    assert_eq!(tunnels.len(), 1);
    assert!(
        tunnels[0].starts_with("CONNECT localhost:4443 HTTP/1.1\r\n"),
        "{tunnels:?}"
    );
    let credentials = format!(
        "proxy-authorization: basic {}",
        aws_thin_runtime::primitives::base64_encode(b"corp\\me:s3cret").to_ascii_lowercase()
    );
    assert!(
        tunnels[0].to_ascii_lowercase().contains(&credentials),
        "{tunnels:?}"
    );
    assert!(!format!("{client:?}").contains("s3cret"));
}

/// `HTTP_PROXY`: http requests go to the proxy in absolute form, with `Proxy-Authorization`;
/// a `NO_PROXY` host is reached directly.
#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form_unless_no_proxy() {
    use aws_thin_runtime::ProxyConfig;
    let proxy = Server::always(200, &[], "{}").await;
    let proxies = ProxyConfig::none()
        .with_http_proxy(&format!("http://me:pw@{}", proxy.addr))
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
    let direct = Server::always(200, &[], "{}").await;
    let client = ServiceClient::new(config(&direct.url()).proxy(proxies).build(), &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(direct.request_count(), 1);
    assert_eq!(direct.requests()[0].path, "/");
    assert_eq!(proxy.request_count(), 1);
}
