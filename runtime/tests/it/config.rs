//! Configuration from injected environment variables and temporary profile files.

use crate::support::ECR;
use aws_thin_runtime::{Config, ConfigError, Credentials, Env, ServiceClient};
use std::path::Path;

/// An environment made of `pairs` only; HOME points nowhere unless given.
/// IMDS is always disabled: no test may reach 169.254.169.254.
fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_map(
        [("AWS_EC2_METADATA_DISABLED", "true")]
            .iter()
            .chain(pairs)
            .map(|(k, v)| (k.to_string(), v.to_string())),
    )
}

fn from_env(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::from_env_with(env(pairs))
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDENV"),
    ("AWS_SECRET_ACCESS_KEY", "secretenv"),
];

fn with_keys<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = KEYS.to_vec();
    all.extend_from_slice(extra);
    all
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The credentials a client made from `config` would sign with, or the error.
fn credentials(config: &Config) -> Result<Credentials, String> {
    let client = ServiceClient::new(config.clone(), &ECR).unwrap();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(client.credentials())
        .map_err(|e| e.to_string())
}

/// The access key a configuration would sign with.
fn access_key(config: &Config) -> String {
    credentials(config).unwrap().access_key_id().to_owned()
}

#[test]
fn region_precedence() {
    let region = |pairs: &[(&str, &str)]| {
        from_env(&with_keys(pairs))
            .unwrap()
            .region()
            .unwrap()
            .as_str()
            .to_owned()
    };
    assert_eq!(
        region(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "us-east-2")
        ]),
        "eu-west-1"
    );
    assert_eq!(region(&[("AWS_DEFAULT_REGION", "us-east-2")]), "us-east-2");
    assert_eq!(
        region(&[("AWS_REGION", "  "), ("AWS_DEFAULT_REGION", "us-east-2")]),
        "us-east-2"
    );

    let explicit = Config::builder()
        .region("ap-south-1")
        .build_from_env_with(env(&with_keys(&[("AWS_REGION", "eu-west-1")])))
        .unwrap();
    assert_eq!(explicit.region().unwrap().as_str(), "ap-south-1");
}

#[test]
fn missing_region_names_every_place_looked_at() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap();
    let error = from_env(&with_keys(&[("HOME", home)])).unwrap_err();
    assert!(
        matches!(error, ConfigError::MissingRegion { .. }),
        "{error:?}"
    );
    let shown = error.to_string();
    for expected in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "profile `default`",
        ".aws/config (file not found)",
    ] {
        assert!(shown.contains(expected), "{shown}");
    }
}

#[test]
fn missing_credentials_names_every_place_looked_at() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = write(dir.path(), "config", "[default]\nregion = us-west-2\n");
    let config = from_env(&[
        ("AWS_CONFIG_FILE", &config_file),
        ("HOME", dir.path().to_str().unwrap()),
    ])
    .unwrap();
    let shown = credentials(&config).unwrap_err();
    for expected in [
        "no AWS credentials found; tried Environment (skipped: ",
        "AWS_ACCESS_KEY_ID",
        "Profile (skipped: ",
        "profile `default`",
        ".aws/credentials (file not found)",
        "config",
    ] {
        assert!(shown.contains(expected), "{shown}");
    }
}

#[test]
fn half_set_environment_credentials_are_an_error() {
    let config = from_env(&[("AWS_REGION", "us-west-2"), ("AWS_ACCESS_KEY_ID", "AKID")]).unwrap();
    assert_eq!(
        credentials(&config).unwrap_err(),
        "could not load AWS credentials: credentials from Environment failed; tried Environment \
         (failed: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not)"
    );
}

#[test]
fn environment_credentials_beat_profiles_and_explicit_beats_both() {
    let dir = tempfile::tempdir().unwrap();
    let creds_file = write(
        dir.path(),
        "credentials",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secretfile\n",
    );
    let base = [
        ("AWS_REGION", "us-west-2"),
        ("AWS_SHARED_CREDENTIALS_FILE", creds_file.as_str()),
    ];
    assert_eq!(access_key(&from_env(&base).unwrap()), "AKIDFILE");

    let mut with_env = base.to_vec();
    with_env.extend(KEYS);
    assert_eq!(access_key(&from_env(&with_env).unwrap()), "AKIDENV");

    let explicit = Config::builder()
        .credentials(Credentials::new("AKIDEXPLICIT", "s", None, None, "test"))
        .build_from_env_with(env(&with_env))
        .unwrap();
    assert_eq!(access_key(&explicit), "AKIDEXPLICIT");
}

#[test]
fn profiles_from_both_files_with_aws_profile() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = write(
        dir.path(),
        "config",
        "[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-central-1\n\
         aws_access_key_id = AKIDFROMCONFIG\naws_secret_access_key = fromconfig\n",
    );
    let creds_file = write(
        dir.path(),
        "credentials",
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n\
         aws_session_token = devtoken\n",
    );
    let files = [
        ("AWS_CONFIG_FILE", config_file.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds_file.as_str()),
    ];

    let mut dev = files.to_vec();
    dev.push(("AWS_PROFILE", "dev"));
    let config = from_env(&dev).unwrap();
    assert_eq!(config.region().unwrap().as_str(), "eu-central-1");
    // The credentials file wins over the config file for the same profile.
    assert_eq!(access_key(&config), "AKIDDEV");
    let shown = format!("{config:?}");
    assert!(
        !shown.contains("devsecret") && !shown.contains("devtoken"),
        "{shown}"
    );

    // The default profile has a region but no credentials here.
    let error = credentials(&from_env(&files).unwrap()).unwrap_err();
    assert!(error.contains("no AWS credentials found"), "{error}");
}

#[test]
fn default_file_locations_under_home() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    write(
        &dir.path().join(".aws"),
        "config",
        "[default]\nregion = sa-east-1\n",
    );
    write(
        &dir.path().join(".aws"),
        "credentials",
        "[default]\naws_access_key_id=AKIDHOME\naws_secret_access_key=homesecret\n",
    );
    let config = from_env(&[("HOME", dir.path().to_str().unwrap())]).unwrap();
    assert_eq!(config.region().unwrap().as_str(), "sa-east-1");
    assert_eq!(access_key(&config), "AKIDHOME");
}

#[test]
fn malformed_profile_file_reports_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config_file = write(
        dir.path(),
        "config",
        "[default]\nregion = us-west-2\n[profile broken\n",
    );
    let error = from_env(&with_keys(&[("AWS_CONFIG_FILE", &config_file)])).unwrap_err();
    match &error {
        ConfigError::Profile { path, line, .. } => {
            assert_eq!(path.to_str().unwrap(), config_file);
            assert_eq!(*line, Some(3));
        }
        other => panic!("expected a profile error, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("line 3: Profile definition must end with ']'"),
        "{error}"
    );
}

#[test]
fn profile_files_are_not_read_when_env_has_everything() {
    // "Everything": region, credentials, the FIPS and dual-stack switches and the retry
    // settings (which the profile could otherwise set).
    let dir = tempfile::tempdir().unwrap();
    let config_file = write(dir.path(), "config", "this is not a profile file\n");
    let config = from_env(&with_keys(&[
        ("AWS_REGION", "us-west-2"),
        ("AWS_USE_FIPS_ENDPOINT", "false"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
        ("AWS_MAX_ATTEMPTS", "3"),
        ("AWS_RETRY_MODE", "standard"),
        ("AWS_CONFIG_FILE", &config_file),
    ]));
    assert!(config.is_ok(), "{config:?}");
}

#[test]
fn endpoint_resolution_order() {
    let endpoint = |pairs: &[(&str, &str)]| {
        from_env(&with_keys(pairs))
            .unwrap()
            .resolve_endpoint(&ECR)
            .unwrap()
    };
    assert_eq!(
        endpoint(&[("AWS_REGION", "us-west-2")]),
        "https://api.ecr.us-west-2.amazonaws.com/"
    );
    assert_eq!(
        endpoint(&[("AWS_REGION", "cn-north-1")]),
        "https://api.ecr.cn-north-1.amazonaws.com.cn/"
    );
    assert_eq!(
        endpoint(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
        ]),
        "http://127.0.0.1:4566/"
    );
    assert_eq!(
        endpoint(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:5000"),
        ]),
        "http://127.0.0.1:5000/"
    );
    let explicit = Config::builder()
        .endpoint_url("http://localhost:9000")
        .build_from_env_with(env(&with_keys(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:5000"),
        ])))
        .unwrap();
    assert_eq!(
        explicit.resolve_endpoint(&ECR).unwrap(),
        "http://localhost:9000/"
    );

    // A builder without from_env reads no variables.
    let plain = Config::builder().region("eu-west-1").build();
    assert_eq!(
        plain.resolve_endpoint(&ECR).unwrap(),
        "https://api.ecr.eu-west-1.amazonaws.com/"
    );
}

#[test]
fn client_for_the_default_https_endpoint_builds() {
    let config = Config::builder()
        .region("cn-north-1")
        .credentials(Credentials::new("AKID", "secret", None, None, "test"))
        .build();
    match ServiceClient::new(config, &ECR) {
        Ok(client) => assert_eq!(
            client.endpoint_url(),
            "https://api.ecr.cn-north-1.amazonaws.com.cn/"
        ),
        // A machine without system root certificates says so instead of panicking.
        Err(ConfigError::Tls { reason }) => {
            assert!(reason.contains("root certificates"), "{reason}")
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn client_construction_errors_are_clear() {
    let credentials = Credentials::new("AKID", "secret", None, None, "test");
    let no_region = Config::builder().credentials(credentials.clone()).build();
    let error = ServiceClient::new(no_region, &ECR).unwrap_err();
    assert!(matches!(error, ConfigError::MissingRegion { .. }));
    assert!(
        error.to_string().contains("ConfigBuilder::region"),
        "{error}"
    );

    let no_credentials = Config::builder().region("us-west-2").build();
    let error = ServiceClient::new(no_credentials, &ECR).unwrap_err();
    assert!(matches!(error, ConfigError::MissingCredentials { .. }));
    assert!(
        error.to_string().contains("ConfigBuilder::credentials"),
        "{error}"
    );

    let bad_region = Config::builder()
        .region("us-west-2/evil")
        .credentials(credentials.clone())
        .build();
    let error = ServiceClient::new(bad_region, &ECR).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid AWS region \"us-west-2/evil\": expected at most 63 letters, digits, '-' and '.', with no empty label and no label starting or ending with '-'"
    );

    let bad_endpoint = Config::builder()
        .region("us-west-2")
        .credentials(credentials)
        .endpoint_url("127.0.0.1:5000")
        .build();
    let error = ServiceClient::new(bad_endpoint, &ECR).unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidEndpoint { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("https://host:port"), "{error}");
}

/// Regression: an endpoint URL with a password in it was echoed in the error (and Debug).
#[test]
fn endpoint_passwords_are_never_shown() {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "secret", None, None, "test"))
        .endpoint_url("http://admin:hunter2@localhost:4566")
        .build();
    assert!(!format!("{config:?}").contains("hunter2"), "{config:?}");
    let error = ServiceClient::new(config, &ECR).unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        shown.contains("http://<redacted>@localhost:4566"),
        "{shown}"
    );
}
