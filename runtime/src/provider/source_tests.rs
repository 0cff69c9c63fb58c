//! The credential sources against canned HTTP answers: where requests go (configured STS and SSO
//! endpoints), what they carry (signing), and that no secret reaches an error or a `Debug`.

use super::support::NoNetwork;
use super::RegionSource;
use super::*;
use crate::http_client::{HttpClient, HttpFuture, HttpRequest};
use crate::os::{Clock, Env, Fs};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

/// Answers requests in order with canned (status, body) pairs and keeps what it was sent.
#[derive(Debug, Default)]
struct Canned {
    answers: Mutex<VecDeque<(u16, String)>>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Canned {
    fn new(answers: &[(u16, &str)]) -> Arc<Self> {
        Arc::new(Canned {
            answers: Mutex::new(answers.iter().map(|(s, b)| (*s, b.to_string())).collect()),
            seen: Mutex::default(),
        })
    }

    fn seen(&self) -> Vec<(String, String, http::HeaderMap, String)> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .map(|r| {
                (
                    r.method().to_string(),
                    r.uri().to_string(),
                    r.headers().clone(),
                    String::from_utf8_lossy(r.body()).into_owned(),
                )
            })
            .collect()
    }
}

impl HttpClient for Canned {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.seen.lock().unwrap().push(request);
        let answer = self.answers.lock().unwrap().pop_front();
        Box::pin(async move {
            let (status, body) = answer.unwrap_or((599, "no canned answer left".into()));
            Ok(http::Response::builder()
                .status(status)
                .body(bytes::Bytes::from(body))
                .unwrap())
        })
    }
}

/// 2021-09-21T17:41:25Z.
fn clock() -> Clock {
    Clock::fixed(UNIX_EPOCH + Duration::from_secs(1_632_246_085))
}

fn context(env: &[(&str, &str)], files: &[(&str, &str)], http: Arc<Canned>) -> SourceContext {
    let env = Env::from_map(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let fs = Fs::from_map(
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec())),
    );
    SourceContext::new(env, fs, SharedHttpClient::from_arc(http)).with_clock(clock())
}

const ASSUME_ROLE_ANSWER: &str = "<AssumeRoleResponse><AssumeRoleResult>\
    <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/r/s</Arn></AssumedRoleUser>\
    <Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>ROLESECRET</SecretAccessKey>\
    <SessionToken>ROLETOKEN</SessionToken><Expiration>2021-09-21T18:41:26Z</Expiration>\
    </Credentials></AssumeRoleResult></AssumeRoleResponse>";

const ROLE_PROFILE: &str = "[default]\nrole_arn = arn:aws:iam::111122223333:role/r\n\
    source_profile = base\n[profile base]\naws_access_key_id = AKIDBASE\n\
    aws_secret_access_key = BASESECRET\naws_session_token = BASETOKEN\n";

#[tokio::test]
async fn assume_role_is_signed_with_the_source_credentials_in_the_region() {
    let http = Canned::new(&[(200, ASSUME_ROLE_ANSWER)]);
    let ctx = context(
        &[("HOME", "/h")],
        &[("/h/.aws/config", ROLE_PROFILE)],
        http.clone(),
    )
    .with_region(Some(Region::new("eu-central-1")));
    let creds = ProfileSource.load(&ctx).await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");
    assert_eq!(creds.account_id().unwrap().as_str(), "111122223333");
    let seen = http.seen();
    let (method, uri, headers, body) = &seen[0];
    assert_eq!(
        (method.as_str(), uri.as_str()),
        ("POST", "https://sts.eu-central-1.amazonaws.com/")
    );
    assert_eq!(headers["host"], "sts.eu-central-1.amazonaws.com");
    assert_eq!(headers["x-amz-date"], "20210921T174125Z");
    assert_eq!(headers["x-amz-security-token"], "BASETOKEN");
    let authorization = headers["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDBASE/20210921/eu-central-1/sts/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
        ),
        "{authorization}"
    );
    assert_eq!(
        body,
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fr\
         &RoleSessionName=assume-role-from-profile-1632246085000"
    );
}

#[tokio::test]
async fn sts_goes_to_the_configured_endpoint() {
    // (extra environment, extra config of the selected profile, the URI STS is called at)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case<'_>; 5] = [
        (
            &[("AWS_ENDPOINT_URL_STS", "http://localhost:4566/")],
            "",
            "http://localhost:4566/",
        ),
        (
            &[("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")],
            "services = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:6000\n",
            "http://127.0.0.1:6000/",
        ),
        (
            &[],
            "endpoint_url = http://127.0.0.1:7000\n",
            "http://127.0.0.1:7000/",
        ),
        (
            &[
                ("AWS_ENDPOINT_URL_STS", "http://localhost:4566"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ("AWS_USE_FIPS_ENDPOINT", "true"),
            ],
            "",
            "https://sts-fips.us-east-1.amazonaws.com/",
        ),
        (
            &[],
            "use_dualstack_endpoint = true\n",
            "https://sts.us-east-1.api.aws/",
        ),
    ];
    for (env, extra_config, expected) in cases {
        let http = Canned::new(&[(200, ASSUME_ROLE_ANSWER)]);
        let mut vars = vec![("HOME", "/h")];
        vars.extend_from_slice(env);
        // Extra settings go into the selected (default) profile, sections after it.
        let (props, sections) = extra_config
            .split_once("[services")
            .map_or((extra_config, String::new()), |(p, s)| {
                (p, format!("[services{s}"))
            });
        let config = ROLE_PROFILE.replacen(
            "[profile base]",
            &format!("{props}{sections}[profile base]"),
            1,
        );
        let ctx = context(&vars, &[("/h/.aws/config", &config)], http.clone());
        ProfileSource.load(&ctx).await.unwrap();
        assert_eq!(http.seen()[0].1, expected, "{env:?} {extra_config:?}");
    }
}

#[tokio::test]
async fn sso_portal_errors_say_code_and_message() {
    let http = Canned::new(&[(
        401,
        r#"{"message":"Session token not found or invalid","__type":"com.amazonaws.switchboard.portal#UnauthorizedException"}"#,
    )]);
    let config = "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n\
                  [sso-session s]\nsso_start_url = https://x.awsapps.com/start\n\
                  sso_region = eu-west-1\n";
    let ctx = context(
        &[("HOME", "/h")],
        &[("/h/.aws/config", config)],
        http.clone(),
    );
    let token = r#"{"accessToken": "SSOTOKEN", "expiresAt": "2080-01-01T00:00:00Z"}"#;
    let path = sso::cache_file(std::path::Path::new("/h"), "s");
    ctx.fs().write(&path, token.as_bytes()).unwrap();
    let error = ProfileSource.load(&ctx).await.unwrap_err().to_string();
    assert_eq!(
        error,
        "failed: SSO GetRoleCredentials failed: UnauthorizedException: Session token not found or \
         invalid (HTTP 401)"
    );
    let (_, uri, headers, _) = &http.seen()[0];
    assert_eq!(
        uri,
        "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=1&role_name=r"
    );
    assert_eq!(headers["x-amz-sso_bearer_token"], "SSOTOKEN");
    assert!(headers["x-amz-sso_bearer_token"].is_sensitive());
}

#[tokio::test]
async fn an_expired_sso_token_is_not_used() {
    let config = "[default]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n\
                  sso_account_id = 1\nsso_role_name = r\n";
    let ctx = context(
        &[("HOME", "/h")],
        &[("/h/.aws/config", config)],
        Canned::new(&[]),
    );
    let path = sso::cache_file(std::path::Path::new("/h"), "https://x.awsapps.com/start");
    let token = r#"{"accessToken": "SSOTOKEN", "expiresAt": "2021-01-01T00:00:00Z"}"#;
    ctx.fs().write(&path, token.as_bytes()).unwrap();
    let error = ProfileSource.load(&ctx).await.unwrap_err().to_string();
    assert!(
        error.contains("expired at 2021-01-01T00:00:00Z (run `aws sso login`)"),
        "{error}"
    );
}

/// Every secret the sources handle, in failures of every kind: none may be in a message or a
/// `Debug`.
#[tokio::test]
async fn no_secret_reaches_an_error_or_debug() {
    const SECRETS: [&str; 8] = [
        "BASESECRET",
        "BASETOKEN",
        "WEBTOKEN",
        "SSOTOKEN",
        "CONTAINERTOKEN",
        "ANSWERSECRET",
        "ANSWERTOKEN",
        "ENVSECRET",
    ];
    let leaky_json =
        r#"{"AccessKeyId": 5, "SecretAccessKey": "ANSWERSECRET", "Token": "ANSWERTOKEN"}"#;
    let leaky_xml = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A\
        </AccessKeyId><SecretAccessKey>ANSWERSECRET</SecretAccessKey><SessionToken>ANSWERTOKEN\
        </SessionToken><Expiration>soon</Expiration></Credentials></AssumeRoleResult>\
        </AssumeRoleResponse>";
    let files = [
        ("/h/.aws/config", ROLE_PROFILE),
        ("/token", "WEBTOKEN"),
        ("/container-token", "CONTAINERTOKEN"),
    ];
    let mut messages = Vec::new();
    // STS refusing, and STS answering credentials with a bad expiry.
    for answer in [(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>"), (200, leaky_xml)] {
        let ctx = context(&[("HOME", "/h")], &files, Canned::new(&[answer]));
        messages.push(ProfileSource.load(&ctx).await.unwrap_err());
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
        ];
        let ctx = context(&env, &files, Canned::new(&[answer]));
        messages.push(WebIdentityEnvSource.load(&ctx).await.unwrap_err());
    }
    // The container agent and IMDS answering unusable JSON, or an error.
    for answer in [(200, leaky_json), (500, "boom")] {
        let env = [
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1/creds",
            ),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/container-token"),
        ];
        let ctx = context(&env, &files, Canned::new(&[answer, answer, answer]));
        messages.push(ContainerSource.load(&ctx).await.unwrap_err());
        let imds = Canned::new(&[(200, "IMDSTOKEN"), (200, "role"), answer]);
        let ctx = context(&[], &files, imds);
        messages.push(ImdsSource.load(&ctx).await.unwrap_err());
    }
    // Half-set environment keys.
    let ctx = context(
        &[("AWS_SECRET_ACCESS_KEY", "ENVSECRET")],
        &[],
        Canned::new(&[]),
    );
    messages.push(EnvironmentSource.load(&ctx).await.unwrap_err());
    // A chain failing, with its context.
    let ctx = context(&[("HOME", "/h")], &files, Canned::new(&[(403, "denied")]));
    let chain_error = default_chain().load(&ctx).await.unwrap_err();

    let mut shown: Vec<String> = messages
        .iter()
        .flat_map(|e| [e.to_string(), format!("{e:?}")])
        .collect();
    shown.push(chain_error.to_string());
    shown.push(format!("{chain_error:?}"));
    shown.push(format!("{ctx:?}"));
    shown.push(format!("{:?}", default_chain()));
    for text in &shown {
        for secret in SECRETS {
            assert!(!text.contains(secret), "`{secret}` in: {text}");
        }
    }
    assert!(
        shown.iter().any(|t| t.contains("AccessDenied: no")),
        "{shown:#?}"
    );
}

#[tokio::test]
async fn imds_is_skipped_off_ec2_and_when_disabled() {
    let ctx = SourceContext::new(
        Env::from_map([("AWS_EC2_METADATA_DISABLED", "TRUE")]),
        Fs::from_map(Vec::<(String, Vec<u8>)>::new()),
        SharedHttpClient::new(NoNetwork),
    );
    let error = ImdsSource.load(&ctx).await.unwrap_err();
    assert!(error.is_skipped(), "{error}");
    let ctx = SourceContext::new(
        Env::from_map(Vec::<(String, String)>::new()),
        Fs::from_map(Vec::<(String, Vec<u8>)>::new()),
        SharedHttpClient::new(NoNetwork),
    );
    let error = ImdsSource.load(&ctx).await.unwrap_err();
    assert!(error.is_skipped(), "{error}");
    assert!(
        error
            .to_string()
            .contains("did not answer (not an EC2 instance?)"),
        "{error}"
    );
}

#[tokio::test]
async fn imds_gives_the_region() {
    let http = Canned::new(&[(200, "T"), (200, "ap-southeast-2\n")]);
    let ctx = context(&[], &[], http.clone());
    let region = ImdsRegionSource.load(&ctx).await.unwrap();
    assert_eq!(region.as_str(), "ap-southeast-2");
    let seen = http.seen();
    assert_eq!(
        (seen[0].0.as_str(), seen[0].1.as_str()),
        ("PUT", "http://169.254.169.254/latest/api/token")
    );
    assert_eq!(seen[0].2["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
    assert_eq!(
        seen[1].1,
        "http://169.254.169.254/latest/meta-data/placement/region"
    );
    assert_eq!(seen[1].2["x-aws-ec2-metadata-token"], "T");
}

#[tokio::test]
async fn credential_process_profiles_run_their_command() {
    if cfg!(windows) {
        return;
    }
    let config = "[default]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"S\"}'\n";
    let ctx = context(
        &[("HOME", "/h")],
        &[("/h/.aws/config", config)],
        Canned::new(&[]),
    );
    let creds = ProfileSource.load(&ctx).await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPROC");
    let failing = "[default]\ncredential_process = exit 7\n";
    let ctx = context(
        &[("HOME", "/h")],
        &[("/h/.aws/config", failing)],
        Canned::new(&[]),
    );
    let error = ProfileSource.load(&ctx).await.unwrap_err().to_string();
    assert!(
        error.contains("credential_process of profile `default`: `exit 7` failed with exit code 7"),
        "{error}"
    );
}
