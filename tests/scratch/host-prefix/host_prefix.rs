//! Host prefixes (`smithy.api#endpoint`, `@hostLabel`) against a stub server: the request goes
//! to the prefixed host (in `Host`, and signed), a bad label fails before any request, and
//! `disable_host_prefix` sends to the bare host.
//!
//! The endpoint is `http://hostprefix.test` and every connection goes to the stub server
//! (`connect_to`), so the prefixed names need no DNS.

use check_host_prefix::{Client, Config, Credentials, SdkError};
use integration_tests::sigv4;
use integration_tests::stub_server::{respond, Reply, Server};

fn ok(body: &str) -> Reply {
    respond(200, &[("Content-Type", "application/x-amz-json-1.1")], body)
}

fn config(server: &Server) -> check_host_prefix::config::ConfigBuilder {
    let addr = server
        .url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url("http://hostprefix.test")
        .connect_to(addr)
        .retry_config(aws_thin_runtime::RetryConfig::disabled())
}

#[tokio::test]
async fn a_host_label_goes_before_the_host_and_is_signed() {
    let server = Server::sequence([ok(r#"{"recordId":"r-1"}"#)]);
    let client = Client::new(config(&server).build()).unwrap();
    let output = client
        .put_record()
        .account_id("123456789012")
        .record("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(output.record_id(), Some("r-1"));
    let requests = server.requests();
    let request = &requests[0];
    assert_eq!(
        request.header("host"),
        Some("123456789012.data.hostprefix.test")
    );
    let signed = request.header("authorization").unwrap();
    assert!(
        signed.contains("SignedHeaders=content-type;host;"),
        "{signed}"
    );
    sigv4::verify(request, "AKID", "SECRET", "us-west-2", "hostprefix").unwrap();
    // The label is a member of the body too.
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"AccountId": "123456789012", "record": "hello"})
    );
}

#[tokio::test]
async fn a_constant_prefix_joins_the_first_label() {
    let server = Server::sequence([ok("{}")]);
    let client = Client::new(config(&server).build()).unwrap();
    client.ping().send().await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("host"), Some("data-hostprefix.test"));
    sigv4::verify(request, "AKID", "SECRET", "us-west-2", "hostprefix").unwrap();
}

#[tokio::test]
async fn an_invalid_or_missing_label_fails_before_any_request() {
    let server = Server::sequence([ok("{}")]);
    let client = Client::new(config(&server).build()).unwrap();
    for bad in [
        "",
        "-starts-with-hyphen",
        "has.dot",
        "under_score",
        &"a".repeat(64),
    ] {
        let error = client
            .put_record()
            .account_id(bad)
            .send()
            .await
            .unwrap_err();
        let SdkError::Construction(error) = &error else {
            panic!("{bad:?}: {error:?}");
        };
        assert_eq!(error.member(), "AccountId", "{bad:?}");
        assert!(
            error.to_string().contains("not a valid host label"),
            "{error}"
        );
    }
    let missing = client.put_record().send().await.unwrap_err();
    assert!(
        missing.to_string().contains("`AccountId` is not set"),
        "{missing}"
    );
    // prepare() checks the same way.
    assert!(client
        .put_record()
        .account_id("a b")
        .prepare()
        .await
        .is_err());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn disable_host_prefix_sends_to_the_bare_host() {
    let server = Server::sequence([ok("{}"), ok("{}")]);
    let client = Client::new(config(&server).disable_host_prefix(true).build()).unwrap();
    client
        .put_record()
        .account_id("123456789012")
        .send()
        .await
        .unwrap();
    client.ping().send().await.unwrap();
    for request in server.requests() {
        assert_eq!(request.header("host"), Some("hostprefix.test"));
        sigv4::verify(&request, "AKID", "SECRET", "us-west-2", "hostprefix").unwrap();
    }
}

#[tokio::test]
async fn prepare_shows_the_prefixed_url() {
    let server = Server::sequence([]);
    let client = Client::new(config(&server).build()).unwrap();
    let prepared = client
        .put_record()
        .account_id("123456789012")
        .prepare()
        .await
        .unwrap();
    assert_eq!(prepared.url(), "http://123456789012.data.hostprefix.test/");
    assert_eq!(
        prepared.header("host"),
        Some("123456789012.data.hostprefix.test")
    );
}
