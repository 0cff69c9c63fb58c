//! Endpoint rules inside the client: FIPS and dual-stack settings from code, environment and
//! profile; the project model's rules choosing the host (down to the TLS server name the client
//! sends); custom endpoints; signing overrides and headers from a rule set's endpoint.

use crate::support;
use aws_thin_runtime::endpoint_rules::Partitions;
use aws_thin_runtime::{
    Config, ConfigError, Credentials, Env, RetryConfig, ServiceClient, ServiceMeta,
};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// An environment made of `pairs` only.
fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

/// Region and keys from the environment, plus `extra`; HOME points nowhere.
fn from_env(extra: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut pairs = vec![
        ("AWS_REGION", "us-west-2"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("HOME", "/nonexistent"),
    ];
    pairs.extend_from_slice(extra);
    Config::from_env_with(env(&pairs))
}

/// ECR as the generator describes it, with the project model's endpoint rules.
fn ecr_with_rules() -> &'static ServiceMeta {
    static META: OnceLock<ServiceMeta> = OnceLock::new();
    META.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/ecr.json");
        let model: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let service = model["shapes"]["com.amazonaws.ecr#AmazonEC2ContainerRegistry_V20150921"]
            ["traits"]["smithy.rules#endpointRuleSet"]
            .to_string();
        ServiceMeta {
            endpoint_rules: Some(Box::leak(service.into_boxed_str())),
            ..rules_free_ecr()
        }
    })
}

const ECR_WITHOUT_RULES: ServiceMeta = ServiceMeta {
    service_name: "AmazonEC2ContainerRegistry_V20150921",
    signing_name: "ecr",
    endpoint_prefix: "api.ecr",
    env_service_id: "ECR",
    json_version: "1.1",
    endpoint_rules: None,
};

fn rules_free_ecr() -> ServiceMeta {
    ECR_WITHOUT_RULES
}

fn keys() -> Credentials {
    Credentials::new("AKID", "secret", None, None, "test")
}

fn endpoint(builder: aws_thin_runtime::ConfigBuilder) -> Result<String, ConfigError> {
    builder
        .credentials(keys())
        .build()
        .resolve_endpoint(ecr_with_rules())
}

#[test]
fn fips_and_dual_stack_from_code_env_and_profile() {
    let flags = |config: &Config| (config.use_fips(), config.use_dual_stack());

    // Defaults, and explicit settings without the environment.
    assert_eq!(flags(&Config::builder().build()), (false, false));
    let explicit = Config::builder()
        .use_fips(true)
        .use_dual_stack(true)
        .build();
    assert_eq!(flags(&explicit), (true, true));
    assert_eq!(flags(&explicit.to_builder().build()), (true, true));
    assert_eq!(flags(&from_env(&[]).unwrap()), (false, false));

    // The environment, in any case; blank is unset.
    let config = from_env(&[
        ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
    ])
    .unwrap();
    assert_eq!(flags(&config), (true, true));
    let config = from_env(&[("AWS_USE_FIPS_ENDPOINT", "  ")]).unwrap();
    assert_eq!(flags(&config), (false, false));

    // The profile, when the environment does not say.
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config");
    std::fs::write(
        &config_file,
        "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = True\n\
         [profile plain]\nuse_fips_endpoint = false\n",
    )
    .unwrap();
    let file = config_file.to_str().unwrap();
    let config = from_env(&[("AWS_CONFIG_FILE", file)]).unwrap();
    assert_eq!(flags(&config), (true, true));
    let config = from_env(&[("AWS_CONFIG_FILE", file), ("AWS_PROFILE", "plain")]).unwrap();
    assert_eq!(flags(&config), (false, false));

    // Environment beats profile; code beats both.
    let config = from_env(&[
        ("AWS_CONFIG_FILE", file),
        ("AWS_USE_FIPS_ENDPOINT", "false"),
    ])
    .unwrap();
    assert_eq!(flags(&config), (false, true));
    let config = Config::builder()
        .use_fips(false)
        .use_dual_stack(false)
        .build_from_env_with(env(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_CONFIG_FILE", file),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ]))
        .unwrap();
    assert_eq!(flags(&config), (false, false));
}

#[test]
fn unusable_flag_values_are_errors_naming_their_source() {
    let error = from_env(&[("AWS_USE_FIPS_ENDPOINT", "yes")]).unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidSetting { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "invalid value \"yes\" for AWS_USE_FIPS_ENDPOINT: expected true or false"
    );

    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config");
    std::fs::write(&config_file, "[default]\nuse_dualstack_endpoint = 1\n").unwrap();
    let error = from_env(&[("AWS_CONFIG_FILE", config_file.to_str().unwrap())]).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "invalid value \"1\" for `use_dualstack_endpoint` in profile `default` in "
        ) && shown.contains(config_file.to_str().unwrap())
            && shown.ends_with("expected true or false"),
        "{shown}"
    );
}

#[test]
fn the_model_rules_pick_the_endpoint() {
    let builder = || Config::builder().credentials(keys());
    let cases = [
        (
            builder().region("us-gov-west-1").use_fips(true),
            "https://api.ecr-fips.us-gov-west-1.amazonaws.com/",
        ),
        (
            builder().region("cn-north-1"),
            "https://api.ecr.cn-north-1.amazonaws.com.cn/",
        ),
        (
            builder().region("us-east-1").use_dual_stack(true),
            "https://ecr.us-east-1.api.aws/",
        ),
        (
            builder()
                .region("us-east-1")
                .use_fips(true)
                .use_dual_stack(true),
            "https://ecr-fips.us-east-1.api.aws/",
        ),
        (
            builder().region("eusc-de-east-1"),
            "https://api.ecr.eusc-de-east-1.amazonaws.eu/",
        ),
        (
            builder()
                .region("us-west-2")
                .endpoint_url("http://127.0.0.1:5000"),
            "http://127.0.0.1:5000/",
        ),
    ];
    for (builder, expected) in cases {
        assert_eq!(endpoint(builder).unwrap(), expected);
    }

    // The client resolves the same way, once, when it is built.
    let client = ServiceClient::new(
        builder().region("us-gov-west-1").use_fips(true).build(),
        ecr_with_rules(),
    )
    .unwrap();
    assert_eq!(
        client.endpoint_url(),
        "https://api.ecr-fips.us-gov-west-1.amazonaws.com/"
    );
}

#[test]
fn custom_endpoints_from_the_environment_feed_the_rules() {
    let resolve = |pairs: &[(&str, &str)]| from_env(pairs)?.resolve_endpoint(ecr_with_rules());
    assert_eq!(
        resolve(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")]).unwrap(),
        "http://127.0.0.1:4566/"
    );
    assert_eq!(
        resolve(&[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:5000")
        ])
        .unwrap(),
        "http://127.0.0.1:5000/"
    );

    // A custom endpoint with FIPS or dual-stack: the rule's own message.
    let error = resolve(&[
        ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:5000"),
        ("AWS_USE_FIPS_ENDPOINT", "true"),
    ])
    .unwrap_err();
    assert!(
        matches!(&error, ConfigError::EndpointResolution { message }
            if message == "Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "cannot resolve the endpoint: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let error = ServiceClient::new(
        from_env(&[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ])
        .unwrap(),
        ecr_with_rules(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot resolve the endpoint: Invalid Configuration: Dualstack and custom endpoint are not supported"
    );
}

#[test]
fn user_partition_data_is_used() {
    let partitions = Partitions::from_json(
        r#"{"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                         "supportsFIPS": true, "supportsDualStack": true}},
            {"id": "aws-moon", "regionRegex": "^moon\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws-moon", "dnsSuffix": "amazonaws.moon", "dualStackDnsSuffix": "amazonaws.moon",
                         "supportsFIPS": false, "supportsDualStack": false}}
        ]}"#,
    )
    .unwrap();
    let builder = || {
        Config::builder()
            .region("moon-base-1")
            .partitions(partitions.clone())
    };
    assert_eq!(
        endpoint(builder()).unwrap(),
        "https://api.ecr.moon-base-1.amazonaws.moon/"
    );
    assert_eq!(
        endpoint(builder().use_fips(true)).unwrap_err().to_string(),
        "cannot resolve the endpoint: FIPS is enabled but this partition does not support FIPS"
    );
    // Without the override, the built-in data places an unknown region in the aws partition.
    assert_eq!(
        endpoint(Config::builder().region("moon-base-1")).unwrap(),
        "https://api.ecr.moon-base-1.amazonaws.com/"
    );
}

#[test]
fn without_rules_fips_is_refused_and_the_old_default_remains() {
    static PLAIN: OnceLock<ServiceMeta> = OnceLock::new();
    let plain = PLAIN.get_or_init(rules_free_ecr);
    let config = Config::builder().region("cn-north-1").build();
    assert_eq!(
        config.resolve_endpoint(plain).unwrap(),
        "https://api.ecr.cn-north-1.amazonaws.com.cn/"
    );
    let error = Config::builder()
        .region("us-east-1")
        .use_fips(true)
        .build()
        .resolve_endpoint(plain)
        .unwrap_err();
    assert!(
        error.to_string().contains("generated without them"),
        "{error}"
    );
}

/// Builds a client for `config` whose connections all go to a local TLS server, sends one
/// call, and returns the TLS server name the client asked that server for (`None`: skipped, as
/// the machine has no root certificates).
async fn server_name_used(config: aws_thin_runtime::ConfigBuilder) -> Option<String> {
    let server = support::Server::start_tls(|_, _| support::respond(200, &[], "{}"));
    let client = match ServiceClient::new(
        config
            .credentials(keys())
            .connect_to(server.addr())
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                aws_thin_runtime::TimeoutConfig::default()
                    .with_attempt_timeout(Some(Duration::from_secs(5))),
            )
            .build(),
        ecr_with_rules(),
    ) {
        Ok(client) => client,
        Err(ConfigError::Tls { reason }) => {
            eprintln!("skipped: no TLS root certificates on this machine ({reason})");
            return None;
        }
        Err(other) => panic!("{other}"),
    };
    // The client trusts only public roots: it rejects the test certificate, after its hello.
    let call = client.invoke("DeleteRepository", b"{}".to_vec()).await;
    assert!(call.is_err());
    let names = server.server_names();
    assert_eq!(names.len(), 1, "one ClientHello: {names:?}");
    assert!(
        names[0].is_some(),
        "the client sent no ClientHello with a server name"
    );
    names[0].clone()
}

#[tokio::test]
async fn clients_connect_to_the_partition_host() {
    for (config, host) in [
        (
            Config::builder().region("us-gov-west-1").use_fips(true),
            "api.ecr-fips.us-gov-west-1.amazonaws.com",
        ),
        (
            Config::builder().region("cn-north-1"),
            "api.ecr.cn-north-1.amazonaws.com.cn",
        ),
    ] {
        if let Some(name) = server_name_used(config).await {
            assert_eq!(name, host);
        }
    }
}

/// A rule set whose endpoint overrides the signing region and name and adds a header.
static OVERRIDING: ServiceMeta = ServiceMeta {
    endpoint_rules: Some(
        r#"{"version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region", "required": true},
                "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": true}
            },
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {
                "url": "{Endpoint}",
                "properties": {"authSchemes": [
                    {"name": "sigv4a", "signingName": "ignored", "signingRegionSet": ["*"]},
                    {"name": "sigv4", "signingName": "ecr-alt", "signingRegion": "eu-central-1"}
                ]},
                "headers": {"x-endpoint-region": ["{Region}"]}
            }}]}"#,
    ),
    ..ECR_WITHOUT_RULES
};

/// Only an auth scheme this runtime cannot sign with.
static SIGV4A_ONLY: ServiceMeta = ServiceMeta {
    endpoint_rules: Some(
        r#"{"version": "1.0",
            "parameters": {"Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"}},
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {
                "url": "{Endpoint}",
                "properties": {"authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]}]}
            }}]}"#,
    ),
    ..ECR_WITHOUT_RULES
};

#[tokio::test]
async fn endpoint_auth_schemes_and_headers_are_applied() {
    let server = support::Server::always(200, &[], "{}");
    let client = ServiceClient::new(support::config(&server.url()).build(), &OVERRIDING).unwrap();
    client
        .invoke("DeleteRepository", support::GOLDEN_BODY.as_bytes().to_vec())
        .await
        .unwrap();
    let request = &server.requests()[0];
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("/eu-central-1/ecr-alt/aws4_request"),
        "{authorization}"
    );
    assert_eq!(request.header("x-endpoint-region"), Some("us-west-2"));

    let error =
        ServiceClient::new(support::config(&server.url()).build(), &SIGV4A_ONLY).unwrap_err();
    assert!(
        matches!(&error, ConfigError::EndpointResolution { message } if message.contains("sigv4a")),
        "{error}"
    );
}

/// Regression: a 100 000-character `AWS_REGION` aborted the process with a stack overflow in the
/// partition matcher. It is now a short `InvalidRegion` error, and the rules themselves survive
/// the same region when it is handed to them directly. Runs on a 256 KiB stack so a recursion
/// per character would still fail the test.
#[test]
fn a_huge_region_is_an_error_not_a_crash() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let huge = format!("us-{}-1", "a".repeat(100_000));
            let error = from_env(&[("AWS_REGION", &huge)])
                .and_then(|config| config.resolve_endpoint(ecr_with_rules()))
                .unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidRegion { .. }),
                "{error:?}"
            );
            assert!(error.to_string().len() < 400, "{error}");

            let rules = aws_thin_runtime::endpoint_rules::RuleSet::parse(
                ecr_with_rules().endpoint_rules.unwrap(),
            )
            .unwrap();
            let params = aws_thin_runtime::endpoint_rules::Params::new()
                .with("Region", huge.as_str())
                .with("UseFIPS", false)
                .with("UseDualStack", false);
            let resolved = rules.resolve(&params).unwrap();
            assert!(resolved.url().contains("amazonaws.com"));
        })
        .unwrap()
        .join()
        .unwrap();
}
