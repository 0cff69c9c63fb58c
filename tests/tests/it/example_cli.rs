//! The example CLI's `--dry-run`: the endpoint resolved from the environment and the signed
//! request printed with credentials redacted, nothing sent.

use std::process::{Command, Output};

use integration_tests::paths::example_cli;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn dry_run(env: &[(&str, &str)]) -> Output {
    Command::new(example_cli())
        .args(["--repository-name", "ubuntu", "--force", "--dry-run"])
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .envs(env.iter().copied())
        .output()
        .expect("run the example")
}

fn printed(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn dry_run_prints_the_signed_request_for_the_resolved_endpoint() {
    let text = printed(&dry_run(&[("AWS_REGION", "us-west-2")]));
    assert!(
        text.starts_with("POST https://api.ecr.us-west-2.amazonaws.com/\n"),
        "{text}"
    );
    assert!(
        text.contains("\nx-amz-target: AmazonEC2ContainerRegistry_V20150921.DeleteRepository\n"),
        "{text}"
    );
    assert!(text.contains("Credential=<redacted>/"), "{text}");
    assert!(text.contains("/us-west-2/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<redacted>\n"), "{text}");
    assert!(
        text.trim_end()
            .ends_with(r#"{"repositoryName":"ubuntu","force":true}"#),
        "{text}"
    );
    assert!(
        !text.contains("AKIDEXAMPLE") && !text.contains(SECRET),
        "{text}"
    );
}

#[test]
fn dry_run_follows_fips_dual_stack_china_and_govcloud() {
    for (env, url) in [
        (
            &[
                ("AWS_REGION", "us-gov-west-1"),
                ("AWS_USE_FIPS_ENDPOINT", "true"),
            ][..],
            "https://api.ecr-fips.us-gov-west-1.amazonaws.com/",
        ),
        (
            &[("AWS_REGION", "cn-north-1")][..],
            "https://api.ecr.cn-north-1.amazonaws.com.cn/",
        ),
        (
            &[
                ("AWS_REGION", "us-east-1"),
                ("AWS_USE_FIPS_ENDPOINT", "true"),
            ][..],
            "https://api.ecr-fips.us-east-1.amazonaws.com/",
        ),
        (
            &[
                ("AWS_REGION", "eu-west-1"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
            ][..],
            "https://ecr.eu-west-1.api.aws/",
        ),
        (
            &[
                ("AWS_REGION", "us-west-2"),
                ("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:4566"),
            ][..],
            "http://127.0.0.1:4566/",
        ),
    ] {
        let text = printed(&dry_run(env));
        assert!(
            text.starts_with(&format!("POST {url}\n")),
            "{env:?}: {text}"
        );
    }
}

#[test]
fn dry_run_redacts_the_session_token() {
    let text = printed(&dry_run(&[
        ("AWS_REGION", "us-west-2"),
        ("AWS_SESSION_TOKEN", "SESSIONTOKENVALUE"),
    ]));
    assert!(
        text.contains("\nx-amz-security-token: <redacted>\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        ),
        "{text}"
    );
    assert!(!text.contains("SESSIONTOKENVALUE"), "{text}");
}

#[test]
fn an_endpoint_rule_error_prints_the_rules_message_and_fails() {
    let output = dry_run(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
    ]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{stderr}"
    );
}

#[test]
fn a_missing_region_is_a_clear_error() {
    let output = dry_run(&[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no AWS region configured"), "{stderr}");
}
