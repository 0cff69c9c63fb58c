//! The loader on an injected environment and filesystem: per-service endpoints from variables
//! and profile `services` sections, kept by `to_builder`; non-UTF-8 settings; nothing read
//! from the real process.

use crate::support::ECR;
use aws_thin_runtime::{Config, ConfigError, Env, Fs};
use std::ffi::OsString;

/// Region, keys and HOME=/home/u (in the in-memory filesystem), plus `extra`; IMDS off.
fn env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("AWS_REGION", "us-west-2"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("HOME", "/home/u"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    Env::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

fn config_file(text: &str) -> Fs {
    Fs::from_map([("/home/u/.aws/config", text)])
}

fn load(extra: &[(&str, &str)], fs: Fs) -> Result<Config, ConfigError> {
    Config::loader().env(env(extra)).fs(fs).load()
}

const SERVICES: &str = "\
[default]
services = local
endpoint_url = http://127.0.0.1:7000
[profile other]
region = eu-west-3
[services local]
ecr =
  endpoint_url = http://127.0.0.1:5000
sts =
  endpoint_url = http://127.0.0.1:5001
";

#[test]
fn aws_endpoint_url_ecr_survives_to_builder() {
    let config = load(
        &[("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:4566")],
        Fs::from_map::<&str, &str>([]),
    )
    .unwrap();
    assert_eq!(
        config.resolve_endpoint(&ECR).unwrap(),
        "http://127.0.0.1:4566/"
    );
    let rebuilt = config.to_builder().build();
    assert_eq!(
        rebuilt.resolve_endpoint(&ECR).unwrap(),
        "http://127.0.0.1:4566/"
    );
    // An explicit endpoint still wins.
    let explicit = config
        .to_builder()
        .endpoint_url("http://127.0.0.1:1")
        .build();
    assert_eq!(
        explicit.resolve_endpoint(&ECR).unwrap(),
        "http://127.0.0.1:1/"
    );
}

#[test]
fn endpoint_precedence_across_variables_and_profile() {
    let fs = config_file(SERVICES);
    let resolve = |extra: &[(&str, &str)]| {
        load(extra, fs.clone())
            .unwrap()
            .resolve_endpoint(&ECR)
            .unwrap()
    };
    // The profile's services section for ECR, over its global endpoint_url.
    assert_eq!(resolve(&[]), "http://127.0.0.1:5000/");
    // AWS_ENDPOINT_URL_ECR over the services section.
    assert_eq!(
        resolve(&[("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:4566")]),
        "http://127.0.0.1:4566/"
    );
    // The services section over AWS_ENDPOINT_URL (service-specific beats global).
    assert_eq!(
        resolve(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")]),
        "http://127.0.0.1:5000/"
    );
    // Ignoring configured endpoints: the service's own.
    assert_eq!(
        resolve(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]),
        "https://api.ecr.us-west-2.amazonaws.com/"
    );

    // Without a services section: AWS_ENDPOINT_URL over the profile's endpoint_url.
    let fs = config_file("[default]\nendpoint_url = http://127.0.0.1:7000\n");
    let config = load(&[], fs.clone()).unwrap();
    assert_eq!(
        config.resolve_endpoint(&ECR).unwrap(),
        "http://127.0.0.1:7000/"
    );
    let config = load(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")], fs).unwrap();
    assert_eq!(
        config.resolve_endpoint(&ECR).unwrap(),
        "http://127.0.0.1:9000/"
    );
    assert_eq!(
        config.configured_endpoints().global.as_deref(),
        Some("http://127.0.0.1:9000")
    );
}

#[test]
fn services_sections_name_every_service() {
    let config = load(&[], config_file(SERVICES)).unwrap();
    assert_eq!(
        config.endpoint_url_for("STS"),
        Some("http://127.0.0.1:5001")
    );
    assert_eq!(
        config.endpoint_url_for("ECR"),
        Some("http://127.0.0.1:5000")
    );
    // A service without an entry gets the profile's global endpoint.
    assert_eq!(config.endpoint_url_for("S3"), Some("http://127.0.0.1:7000"));
}

#[test]
fn a_missing_services_section_is_an_error() {
    let error = load(&[], config_file("[default]\nservices = nowhere\n")).unwrap_err();
    assert!(error.to_string().contains("services"), "{error}");
    assert!(error.to_string().contains("nowhere"), "{error}");
}

#[test]
fn the_profile_can_be_chosen_in_code() {
    let fs = config_file(SERVICES);
    let config = Config::loader()
        .env(Env::from_map([
            ("HOME", "/home/u"),
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ]))
        .fs(fs)
        .profile("other")
        .load()
        .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "eu-west-3");
}

#[cfg(unix)]
#[test]
fn non_utf8_settings_are_errors_naming_the_variable() {
    use std::os::unix::ffi::OsStringExt;
    let bad = OsString::from_vec(vec![b'u', b's', 0xff]);
    let env = Env::from_map([("AWS_REGION", bad), ("HOME", OsString::from("/home/u"))]);
    let error = Config::loader()
        .env(env)
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid value \"<not UTF-8>\" for AWS_REGION: expected UTF-8 text"
    );
}

/// Answers each request with the next (status, body), and remembers the URIs asked.
#[derive(Clone, Debug, Default)]
struct Canned(std::sync::Arc<CannedState>);

#[derive(Debug, Default)]
struct CannedState {
    answers: std::sync::Mutex<Vec<(u16, &'static str)>>,
    asked: std::sync::Mutex<Vec<String>>,
}

impl std::ops::Deref for Canned {
    type Target = CannedState;
    fn deref(&self) -> &CannedState {
        &self.0
    }
}

impl aws_thin_runtime::HttpClient for Canned {
    fn send(
        &self,
        request: aws_thin_runtime::HttpRequest,
    ) -> aws_thin_runtime::http_client::HttpFuture<'_> {
        self.asked.lock().unwrap().push(request.uri().to_string());
        let next = {
            let mut answers = self.answers.lock().unwrap();
            (!answers.is_empty()).then(|| answers.remove(0))
        };
        Box::pin(async move {
            let (status, body) = next.ok_or_else(|| {
                aws_thin_runtime::HttpError::before_response("connecting", "nothing answers")
            })?;
            Ok(http::Response::builder()
                .status(status)
                .body(bytes::Bytes::from(body))
                .unwrap())
        })
    }
}

fn no_region_env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("HOME", "/home/u"),
        ("AWS_ACCESS_KEY_ID", "A"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ];
    pairs.extend_from_slice(extra);
    Env::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

#[test]
fn region_chain_ends_with_imds() {
    let imds = Canned::default();
    *imds.answers.lock().unwrap() = vec![(200, "TOKEN"), (200, "eu-north-1")];
    let config = Config::builder()
        .http_client(imds.clone())
        .loader()
        .env(no_region_env(&[]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "eu-north-1");
    let asked = imds.asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        [
            "http://169.254.169.254/latest/api/token",
            "http://169.254.169.254/latest/meta-data/placement/region"
        ]
    );

    // The profile's region comes first: IMDS is not asked.
    let imds = Canned::default();
    let config = Config::builder()
        .http_client(imds.clone())
        .loader()
        .env(no_region_env(&[]))
        .fs(config_file("[default]\nregion = ap-east-1\n"))
        .load()
        .unwrap();
    assert_eq!(config.region().unwrap().as_str(), "ap-east-1");
    assert!(imds.asked.lock().unwrap().is_empty());
}

#[test]
fn missing_region_says_why_imds_had_none() {
    let imds = Canned::default();
    let error = Config::builder()
        .http_client(imds.clone())
        .loader()
        .env(no_region_env(&[]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap_err();
    let shown = error.to_string();
    assert!(shown.starts_with("no AWS region configured; looked at the explicit setting, AWS_REGION, AWS_DEFAULT_REGION, `region` in profile `default`"), "{shown}");
    assert!(shown.contains("Ec2InstanceMetadata ("), "{shown}");

    let error = Config::builder()
        .http_client(imds.clone())
        .loader()
        .env(no_region_env(&[("AWS_EC2_METADATA_DISABLED", "true")]))
        .fs(Fs::from_map::<&str, &str>([]))
        .load()
        .unwrap_err();
    assert!(
        error.to_string().contains("Ec2InstanceMetadata (skipped: "),
        "{error}"
    );
    assert_eq!(
        imds.asked.lock().unwrap().len(),
        1,
        "only the first load asked IMDS"
    );
}
