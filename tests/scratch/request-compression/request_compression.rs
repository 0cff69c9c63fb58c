//! Request compression (`smithy.api#requestCompression`) against a stub server: bodies of at
//! least the minimum size arrive gzip with `Content-Encoding: gzip` and a signature over the
//! compressed bytes; smaller ones, other operations, and everything when turned off, arrive
//! plain. Settings come from the builder, the environment or the profile.

use check_request_compression::config::{ConfigBuilder, Env, Fs};
use check_request_compression::{Client, Config, Credentials};
use integration_tests::gzip::gunzip;
use integration_tests::sigv4;
use integration_tests::stub_server::{respond, RecordedRequest, Reply, Server};

fn ok(body: &str) -> Reply {
    respond(200, &[("Content-Type", "application/x-amz-json-1.0")], body)
}

fn builder(server: &Server) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(aws_thin_runtime::RetryConfig::disabled())
}

/// `n` log lines of 100 characters: a body of about `n * 103` bytes.
fn lines(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{i:05} {}", "x".repeat(94)))
        .collect()
}

async fn put_logs(client: &Client, lines: Vec<String>) {
    let output = client
        .put_logs()
        .group("app")
        .set_lines(Some(lines))
        .send()
        .await
        .unwrap();
    assert_eq!(output.stored(), Some(7));
}

fn expected_body(lines: &[String]) -> serde_json::Value {
    serde_json::json!({"group": "app", "lines": lines})
}

fn assert_plain(request: &RecordedRequest, lines: &[String]) {
    assert_eq!(request.header("content-encoding"), None);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, expected_body(lines));
    sigv4::verify(request, "AKID", "SECRET", "us-west-2", "compression").unwrap();
}

#[tokio::test]
async fn a_body_over_the_minimum_arrives_gzip_and_signed_as_sent() {
    let server = Server::sequence([ok(r#"{"stored":7}"#)]);
    let client = Client::new(builder(&server).build()).unwrap();
    let big = lines(200); // about 20 KiB, over the default 10,240 bytes
    put_logs(&client, big.clone()).await;
    let request = &server.requests()[0];
    assert_eq!(request.header("content-encoding"), Some("gzip"));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let plain = gunzip(&request.body).unwrap();
    assert!(
        request.body.len() * 5 < plain.len(),
        "{} bytes",
        request.body.len()
    );
    let body: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(body, expected_body(&big));
    // The signature covers the compressed bytes, as they arrived.
    sigv4::verify(request, "AKID", "SECRET", "us-west-2", "compression").unwrap();
}

#[tokio::test]
async fn a_body_under_the_minimum_an_uncompressed_operation_and_the_off_switch_stay_plain() {
    let server = Server::sequence([ok(r#"{"stored":7}"#), ok("{}"), ok(r#"{"stored":7}"#)]);
    let client = Client::new(builder(&server).build()).unwrap();
    let small = lines(90); // about 9.3 KiB
    put_logs(&client, small.clone()).await;
    // Echo has no requestCompression trait.
    let text = "y".repeat(20_000);
    client.echo().text(&text).send().await.unwrap();
    let off = Client::new(builder(&server).disable_request_compression(true).build()).unwrap();
    let big = lines(200);
    put_logs(&off, big.clone()).await;

    let requests = server.requests();
    assert_plain(&requests[0], &small);
    assert_eq!(requests[1].header("content-encoding"), None);
    assert_eq!(requests[1].body.len(), text.len() + r#"{"text":""}"#.len());
    assert_plain(&requests[2], &big);
}

#[tokio::test]
async fn settings_come_from_the_environment_and_the_profile() {
    let server = Server::sequence([
        ok(r#"{"stored":7}"#),
        ok(r#"{"stored":7}"#),
        ok(r#"{"stored":7}"#),
    ]);
    let load = |vars: &[(&str, &str)], profile: &str| {
        let mut vars = vars.to_vec();
        vars.push(("HOME", "/home/me"));
        let config = builder(&server)
            .loader()
            .env(Env::from_map(vars))
            .fs(Fs::from_map([(
                "/home/me/.aws/config",
                profile.to_string(),
            )]))
            .load()
            .unwrap();
        Client::new(config).unwrap()
    };
    let few = lines(3);
    // A minimum of 100 bytes from the environment: 3 lines are compressed.
    let env = load(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "100")], "");
    put_logs(&env, few.clone()).await;
    // Turned off in the profile.
    let profile =
        "[default]\nrequest_min_compression_size_bytes = 100\ndisable_request_compression = true\n";
    put_logs(&load(&[], profile), few.clone()).await;
    // The environment wins over the profile.
    let env_wins = load(&[("AWS_DISABLE_REQUEST_COMPRESSION", "false")], profile);
    put_logs(&env_wins, few.clone()).await;

    let requests = server.requests();
    assert_eq!(requests[0].header("content-encoding"), Some("gzip"));
    let body: serde_json::Value =
        serde_json::from_slice(&gunzip(&requests[0].body).unwrap()).unwrap();
    assert_eq!(body, expected_body(&few));
    sigv4::verify(&requests[0], "AKID", "SECRET", "us-west-2", "compression").unwrap();
    assert_plain(&requests[1], &few);
    assert_eq!(requests[2].header("content-encoding"), Some("gzip"));

    // A minimum over 10 MiB is refused with the setting's name.
    let error = builder(&server)
        .loader()
        .env(Env::from_map([(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "10485761",
        )]))
        .fs(Fs::from_map(Vec::<(String, String)>::new()))
        .load()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"),
        "{error}"
    );
}
