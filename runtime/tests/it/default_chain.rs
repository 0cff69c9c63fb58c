//! The default credential chain and the IMDS region as `Config::loader()` wires them: an
//! injected HTTP client stands in for IMDS, the container agent and STS, so nothing leaves the
//! process.

use crate::support::ECR;
use aws_thin_runtime::http_client::HttpFuture;
use aws_thin_runtime::{Config, Env, Fs, HttpClient, HttpError, HttpRequest, ServiceClient};
use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Answers requests in order with canned (status, body) pairs and keeps the URIs it was sent.
#[derive(Debug, Clone, Default)]
struct Canned {
    answers: Arc<Mutex<VecDeque<(u16, &'static str)>>>,
    uris: Arc<Mutex<Vec<String>>>,
}

impl Canned {
    fn new(answers: &[(u16, &'static str)]) -> Self {
        Canned {
            answers: Arc::new(Mutex::new(answers.iter().copied().collect())),
            uris: Arc::default(),
        }
    }

    fn uris(&self) -> Vec<String> {
        self.uris.lock().unwrap().clone()
    }
}

impl HttpClient for Canned {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.uris.lock().unwrap().push(request.uri().to_string());
        let answer = self.answers.lock().unwrap().pop_front();
        Box::pin(async move {
            match answer {
                Some((status, body)) => Ok(http::Response::builder()
                    .status(status)
                    .body(Bytes::from_static(body.as_bytes()))
                    .unwrap()),
                None => Err(HttpError::before_response("connecting", "nothing here")),
            }
        })
    }
}

fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

fn credentials(config: Config) -> Result<aws_thin_runtime::Credentials, String> {
    let client = ServiceClient::new(config, &ECR).unwrap();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(client.credentials())
        .map_err(|e| e.to_string())
}

const CONTAINER_ANSWER: &str = r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#;

#[test]
fn region_from_imds_when_nothing_else_has_one() {
    let http = Canned::new(&[(200, "imds-token"), (200, "ap-southeast-2")]);
    let config = Config::builder()
        .http_client(http.clone())
        .loader()
        .env(env(&[("HOME", "/home/u")]))
        .fs(Fs::from_map(Vec::<(String, Vec<u8>)>::new()))
        .load()
        .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "ap-southeast-2");
    assert_eq!(
        http.uris(),
        [
            "http://169.254.169.254/latest/api/token",
            "http://169.254.169.254/latest/meta-data/placement/region"
        ]
    );
}

#[test]
fn container_credentials_through_the_loader() {
    let http = Canned::new(&[(200, CONTAINER_ANSWER)]);
    let config = Config::builder()
        .http_client(http.clone())
        .loader()
        .env(env(&[
            ("AWS_REGION", "eu-west-1"),
            (
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "/v2/credentials/abc",
            ),
        ]))
        .load()
        .unwrap();
    let creds = credentials(config).unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONTAINER");
    assert_eq!(http.uris(), ["http://169.254.170.2/v2/credentials/abc"]);
}

#[test]
fn a_profile_role_is_assumed_in_the_configured_region() {
    let http = Canned::new(&[(
        200,
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>\
         <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>\
         <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>\
         </AssumeRoleResponse>",
    )]);
    let fs = Fs::from_map([(
        "/home/u/.aws/config",
        "[default]\nregion = sa-east-1\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n\
         [profile keys]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n",
    )]);
    let config = Config::builder()
        .http_client(http.clone())
        .loader()
        .env(env(&[("HOME", "/home/u")]))
        .fs(fs)
        .load()
        .unwrap();
    assert_eq!(credentials(config).unwrap().access_key_id(), "ASIAROLE");
    assert_eq!(http.uris(), ["https://sts.sa-east-1.amazonaws.com/"]);
}

#[test]
fn without_any_source_the_error_lists_every_one() {
    let config = Config::builder()
        .http_client(Canned::new(&[]))
        .loader()
        .env(env(&[("AWS_REGION", "eu-west-1"), ("HOME", "/home/u")]))
        .fs(Fs::from_map(Vec::<(String, Vec<u8>)>::new()))
        .load()
        .unwrap();
    let error = credentials(config).unwrap_err();
    for source in [
        "Environment (skipped",
        "Profile (skipped",
        "WebIdentityToken (skipped",
        "EcsContainer (skipped",
        "Ec2InstanceMetadata (skipped: IMDS at http://169.254.169.254/ did not answer",
    ] {
        assert!(error.contains(source), "{error}");
    }
}
