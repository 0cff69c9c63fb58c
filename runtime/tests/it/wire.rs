//! What goes over the wire: method, path, headers, body and signature.

use crate::support;
use crate::support::*;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_thin_runtime::{Config, Credentials, ServiceClient, TimeoutConfig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Recomputes the signature of a captured request with aws-sigv4's general signer.
fn expected_authorization(request: &support::RecordedRequest, credentials: &Credentials) -> String {
    let headers = ["content-type", "host", "x-amz-target"]
        .map(|name| (name, request.header(name).expect("signed header present")));
    let signable = SignableRequest::new(
        &request.method,
        request.path.as_str(),
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .unwrap();
    let identity = Identity::from(credentials.clone());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name("ecr")
        .time(golden_time())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let authorization = instructions
        .headers()
        .find(|(name, _)| *name == "authorization")
        .map(|(_, value)| value.to_owned());
    authorization.unwrap()
}

#[tokio::test]
async fn request_has_the_awsjson_shape_and_a_valid_signature() {
    let server = Server::always(200, &[("x-amzn-requestid", "req-1")], "{}");
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();

    let response = client
        .invoke("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id(), Some("req-1"));
    assert_eq!(&response.body[..], b"{}");

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(request.body, GOLDEN_BODY.as_bytes());
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("AmazonEC2ContainerRegistry_V20150921.DeleteRepository")
    );
    assert_eq!(
        request.header("host"),
        Some(server.addr().to_string().as_str())
    );
    assert_eq!(request.header("x-amz-date"), Some("20150830T123600Z"));
    assert_eq!(request.header("content-length"), Some("40"));
    assert!(request
        .header("user-agent")
        .unwrap()
        .starts_with("aws-thin/"));
    assert_eq!(request.header("x-amz-security-token"), None);

    let authorization = request.header("authorization").unwrap();
    let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/ecr/aws4_request, \
                  SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=";
    assert!(authorization.starts_with(prefix), "{authorization}");
    let signature = &authorization[prefix.len()..];
    assert_eq!(signature.len(), 64);
    assert!(signature
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));

    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test");
    assert_eq!(authorization, expected_authorization(request, &credentials));
}

#[tokio::test]
async fn golden_signature_on_the_wire() {
    // Connect to the local server under the real host name, so Host (and so the signature) is
    // exactly that of the golden example.
    let server = Server::always(200, &[], "{}");
    let config = config("http://api.ecr.us-west-2.amazonaws.com")
        .connect_to(server.addr())
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    client
        .invoke("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(
        request.header("host"),
        Some("api.ecr.us-west-2.amazonaws.com")
    );
    assert_eq!(
        request.header("authorization"),
        Some(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/ecr/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
             Signature=f44cad9d37494fd054061e4e4d6954f03b3160b8df22560567eb5d4ecd9dd1ec"
        )
    );
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = Server::always(200, &[], "{}");
    let credentials = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some("IQoJb3JpZ2luX2VjEXAMPLE/token+=".to_owned()),
        None,
        "test",
    );
    let config = config(&server.url())
        .credentials(credentials.clone())
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(
        request.header("x-amz-security-token"),
        Some("IQoJb3JpZ2luX2VjEXAMPLE/token+=")
    );
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
        ),
        "{authorization}"
    );
    assert_eq!(authorization, expected_authorization(request, &credentials));
}

#[tokio::test]
async fn connections_are_pooled_across_calls_and_clones() {
    let server = Server::always(200, &[], "{}");
    let client = ServiceClient::new(config(&server.url()).build(), &ECR).unwrap();
    let clone = client.clone();
    for _ in 0..3 {
        client
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
        clone
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
    }
    assert_eq!(server.request_count(), 6);
    assert_eq!(server.connection_count(), 1);
}

#[derive(Debug)]
struct CountingProvider(Arc<AtomicUsize>);

impl ProvideCredentials for CountingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        future::ProvideCredentials::ready(Ok(Credentials::new(
            "AKIDPROVIDED",
            SECRET_KEY,
            None,
            None,
            "counting",
        )))
    }
}

#[tokio::test]
async fn credentials_provider_is_asked_lazily_and_once() {
    let server = Server::always(200, &[], "{}");
    let calls = Arc::new(AtomicUsize::new(0));
    let config = config(&server.url())
        .credentials_provider(CountingProvider(calls.clone()))
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0, "not asked at construction");
    for _ in 0..3 {
        client
            .invoke("DeleteRepository", b"{}".to_vec())
            .await
            .unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let authorization = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(
        authorization.contains("Credential=AKIDPROVIDED/"),
        "{authorization}"
    );
}

#[derive(Debug)]
struct FailingProvider;

impl ProvideCredentials for FailingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::not_loaded(
                "no IMDS in this test",
            ),
        ))
    }
}

#[tokio::test]
async fn failing_provider_is_a_credentials_error_and_nothing_is_sent() {
    let server = Server::always(200, &[], "{}");
    let config = config(&server.url())
        .credentials_provider(FailingProvider)
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let error = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(error, aws_thin_runtime::SdkError::Credentials(_)),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("could not load credentials"), "{shown}");
    assert_eq!(server.request_count(), 0);
}

#[derive(Debug)]
struct HangingProvider;

impl ProvideCredentials for HangingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(std::future::pending())
    }
}

#[tokio::test]
async fn hanging_provider_is_bounded_by_the_attempt_timeout() {
    let server = Server::always(200, &[], "{}");
    let config = config(&server.url())
        .credentials_provider(HangingProvider)
        .retry_config(aws_thin_runtime::RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(100))),
        )
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let error = client
        .invoke("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(error, aws_thin_runtime::SdkError::Timeout(_)),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn client_built_outside_a_runtime_works_inside_one() {
    // Generated clients may be built in sync code (say a CLI's main) before the runtime starts.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = Server::always(200, &[], "{}");
    let config = config(&server.url())
        .timeout_config(TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_secs(5))))
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let response = runtime
        .block_on(client.invoke("DeleteRepository", b"{}".to_vec()))
        .unwrap();
    assert_eq!(response.status, 200);
}

#[test]
fn debug_output_never_contains_secrets() {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            Some("SESSIONTOKENSECRET".to_owned()),
            None,
            "test",
        ))
        .endpoint_url("http://127.0.0.1:1")
        .build();
    let client = ServiceClient::new(config.clone(), &ECR).unwrap();
    let credentials = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some("SESSIONTOKENSECRET".into()),
        None,
        "t",
    );
    for shown in [
        format!("{credentials:?}"),
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{client:?}"),
        format!("{:?}", config.to_builder()),
    ] {
        assert!(!shown.contains(SECRET_KEY), "{shown}");
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(!shown.contains("SESSIONTOKENSECRET"), "{shown}");
        assert!(
            shown.contains("us-west-2") || shown.starts_with("Credentials"),
            "{shown}"
        );
    }
}

/// Regression: `--dry-run` printed a complete, replayable `Signature=`.
#[tokio::test]
async fn a_prepared_request_shows_neither_key_nor_signature_nor_token() {
    let credentials = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some("IQoJb3JpZ2luX2VjEXAMPLE/token+=".to_owned()),
        None,
        "test",
    );
    let config = config("http://api.ecr.us-west-2.amazonaws.com")
        .credentials(credentials)
        .build();
    let client = ServiceClient::new(config, &ECR).unwrap();
    let prepared = client
        .prepare("DeleteRepository", GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap();
    let authorization = prepared.header("authorization").unwrap();
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=<redacted>/20150830/us-west-2/ecr/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, \
             Signature=<redacted>"
        ),
        "{authorization}"
    );
    for shown in [prepared.to_string(), format!("{prepared:?}")] {
        assert!(!shown.contains(ACCESS_KEY), "{shown}");
        assert!(!shown.contains("IQoJb3JpZ2lu"), "{shown}");
        // No 64-hex-digit run (a signature) anywhere.
        let longest_hex_run = shown
            .split(|c: char| !c.is_ascii_hexdigit())
            .map(str::len)
            .max()
            .unwrap();
        assert!(longest_hex_run < 64, "{shown}");
    }
}
