//! The loader on an injected environment and filesystem: per-service endpoints from variables
//! and profile `services` sections, kept by `to_builder`; non-UTF-8 settings; nothing read
//! from the real process.

mod support;

use aws_thin_runtime::{Config, ConfigError, Env, Fs};
use std::ffi::OsString;
use support::ECR;

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
