//! The replaying HttpClient (feature `test-util`) on AWS's recorded traffic.

use aws_thin_runtime::test_util::{NetworkTraffic, ReplayingClient};
use aws_thin_runtime::{HttpClient, HttpRequest};
use bytes::Bytes;
use std::path::{Path, PathBuf};

/// `$AWS_THIN_PROVIDER_SUITE`, else `../shared/test-suites/aws-sdk-rust/aws-config` beside the
/// workspace (test inputs, never copied into the repository).
fn suite_dir() -> PathBuf {
    std::env::var_os("AWS_THIN_PROVIDER_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/test-suites/aws-sdk-rust/aws-config")
        })
}

fn traffic(case: &str) -> PathBuf {
    let path = suite_dir()
        .join("default-credential-provider-chain")
        .join(case)
        .join("http-traffic.json");
    assert!(
        path.is_file(),
        "{} not found; set AWS_THIN_PROVIDER_SUITE to the aws-config test data",
        path.display()
    );
    path
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn replays_imds_traffic_and_checks_each_request() {
    let client = ReplayingClient::from_file(traffic("imds_default_chain_success")).unwrap();
    let token = client
        .send(request(
            "PUT",
            "http://169.254.169.254/latest/api/token",
            &[
                ("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
                ("user-agent", "aws-thin/0.1.0"),
            ],
            "",
        ))
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    let token = String::from_utf8(token.body().to_vec()).unwrap();
    assert_eq!(
        token,
        "AQAEAKQRRHnsX8GCPgYTGMShrFJkMhru3n-8Ul5Gzvzj-bpWKYZuiw=="
    );

    let role = client
        .send(request(
            "GET",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            &[("x-aws-ec2-metadata-token", &token)],
            "",
        ))
        .await
        .unwrap();
    let role = String::from_utf8(role.body().to_vec()).unwrap();
    assert_eq!(role, "imds-assume-role-test");
    assert!(
        client
            .check()
            .unwrap_err()
            .contains("recorded but never sent"),
        "the credentials request is still unused"
    );

    let credentials = client
        .send(request(
            "GET",
            &format!("http://169.254.169.254/latest/meta-data/iam/security-credentials/{role}"),
            &[("x-aws-ec2-metadata-token", &token)],
            "",
        ))
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(credentials.body()).unwrap();
    assert_eq!(json["AccessKeyId"], "ASIARTEST");
    client.check().unwrap();
    assert_eq!(client.received().len(), 3);
}

#[tokio::test]
async fn a_request_that_differs_gets_an_error_and_is_reported() {
    let client = ReplayingClient::from_file(traffic("imds_default_chain_success")).unwrap();
    let error = client
        .send(request(
            "PUT",
            "http://169.254.169.254/latest/api/token",
            &[("x-aws-ec2-metadata-token-ttl-seconds", "60")],
            "",
        ))
        .await
        .unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains(
            "header `x-aws-ec2-metadata-token-ttl-seconds` is [\"60\"], recorded [\"21600\"]"
        ),
        "{shown}"
    );
    let report = client.check().unwrap_err();
    assert!(report.contains("differs from the recording"), "{report}");
    assert!(report.contains("recorded but never sent"), "{report}");
}

#[tokio::test]
async fn form_bodies_are_compared_as_fields() {
    let client = ReplayingClient::from_file(traffic("web_identity_token_env")).unwrap();
    let recorded = NetworkTraffic::from_file(traffic("web_identity_token_env"))
        .unwrap()
        .exchanges()
        .unwrap()
        .remove(0);
    let body = String::from_utf8(recorded.request_body.clone()).unwrap();
    // The same fields in another order, with `:` left unencoded.
    let mut fields: Vec<&str> = body.split('&').collect();
    fields.reverse();
    let reordered = fields.join("&").replace("%3A", ":");
    let response = client
        .send(request(
            "POST",
            "https://sts.eu-west-1.amazonaws.com/",
            &[("content-type", "application/x-www-form-urlencoded")],
            &reordered,
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(String::from_utf8_lossy(response.body()).contains("AssumeRoleWithWebIdentityResponse"));
    client.check().unwrap();

    // A changed field is a difference.
    let client = ReplayingClient::from_file(traffic("web_identity_token_env")).unwrap();
    let changed = body.replace("RoleSessionName=test-session", "RoleSessionName=other");
    let error = client
        .send(request(
            "POST",
            "https://sts.eu-west-1.amazonaws.com/",
            &[("content-type", "application/x-www-form-urlencoded")],
            &changed,
        ))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("body"), "{error}");

    // Unless that field is ignored (it holds a timestamp in some recordings).
    let client = ReplayingClient::from_file(traffic("web_identity_token_env"))
        .unwrap()
        .ignore_fields(["RoleSessionName"]);
    client
        .send(request(
            "POST",
            "https://sts.eu-west-1.amazonaws.com/",
            &[("content-type", "application/x-www-form-urlencoded")],
            &changed,
        ))
        .await
        .unwrap();
    client.check().unwrap();
}

#[test]
fn every_recording_of_the_suite_reads() {
    let mut read = 0;
    for folder in [
        "default-credential-provider-chain",
        "default-token-provider-chain",
    ] {
        let Ok(cases) = std::fs::read_dir(suite_dir().join(folder)) else {
            continue;
        };
        for case in cases {
            let path = case.unwrap().path().join("http-traffic.json");
            if path.is_file() {
                let traffic = NetworkTraffic::from_file(&path).unwrap();
                let exchanges = traffic.exchanges().unwrap();
                assert!(
                    exchanges.iter().all(|e| e.response.is_ok()),
                    "{}",
                    path.display()
                );
                read += 1;
            }
        }
    }
    assert!(
        read >= 20,
        "only {read} recordings found under {}",
        suite_dir().display()
    );
}
