//! No secret (secret key, session token, SSO access token, web identity token) in any `Debug`,
//! `Display`, log line or error along every configuration and credential path: keys from the
//! environment, from a profile, from STS for a web identity, from the SSO portal; the services
//! and the credential endpoints refusing or answering. Everything printable is printed, every
//! `tracing` event and span field is captured, and none may contain a secret.

use crate::support::ECR;
use aws_thin_runtime::profile::ProfileSet;
use aws_thin_runtime::provider::{default_chain, SourceContext};
use aws_thin_runtime::{
    Clock, Config, Env, Fs, HttpClient, HttpError, HttpRequest, ServiceClient, SharedHttpClient,
};
use bytes::Bytes;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

const SECRETS: [&str; 9] = [
    "ENVSECRETKEY",
    "ENVSESSIONTOKEN",
    "PROFILESECRETKEY",
    "PROFILESESSIONTOKEN",
    "WEBIDENTITYTOKEN",
    "STSSECRETKEY",
    "STSSESSIONTOKEN",
    "SSOACCESSTOKEN",
    "SSOSECRETKEY",
];

const STS_OK: &str = "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>\
    <Credentials><AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>STSSECRETKEY</SecretAccessKey>\
    <SessionToken>STSSESSIONTOKEN</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
    </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
const STS_DENIED: &str = "<ErrorResponse><Error><Code>InvalidIdentityToken</Code>\
    <Message>the token is not valid</Message></Error></ErrorResponse>";
const SSO_OK: &str = r#"{"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": "SSOSECRETKEY", "sessionToken": "STSSESSIONTOKEN", "expiration": 4070908800000}}"#;
const SSO_DENIED: &str = r#"{"message": "Session token not found or invalid"}"#;
const ECR_DENIED: &str = r#"{"__type": "AccessDeniedException", "message": "not allowed"}"#;

/// Answers every request with the next canned (status, body).
struct Canned(Mutex<Vec<(u16, &'static str)>>);

// The answers hold secrets; this test is about what the runtime shows.
impl fmt::Debug for Canned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Canned")
    }
}

impl HttpClient for Canned {
    fn send(&self, _request: HttpRequest) -> aws_thin_runtime::http_client::HttpFuture<'_> {
        let next = {
            let mut answers = self.0.lock().unwrap();
            (!answers.is_empty()).then(|| answers.remove(0))
        };
        Box::pin(async move {
            let (status, body) = next.ok_or_else(|| {
                HttpError::before_response("connecting", "no more canned answers")
            })?;
            Ok(http::Response::builder()
                .status(status)
                .body(Bytes::from(body))
                .unwrap())
        })
    }
}

/// Every `tracing` event and span field, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>);

struct Visitor<'a>(&'a mut String);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for Captured {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut Visitor(&mut self.0.lock().unwrap()));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Visitor(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.0.lock().unwrap();
        text.push('\n');
        event.record(&mut Visitor(&mut text));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// The SSO token cache file name: the SHA-1 of the session name, hex.
fn sso_cache_file(session: &str) -> String {
    let hash = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, session.as_bytes());
    let hex: String = hash.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("/home/u/.aws/sso/cache/{hex}.json")
}

fn files() -> Fs {
    Fs::from_map([
        (
            "/home/u/.aws/credentials".to_owned(),
            "[static]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = PROFILESECRETKEY\n\
             aws_session_token = PROFILESESSIONTOKEN\n"
                .to_owned(),
        ),
        (
            "/home/u/.aws/config".to_owned(),
            "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = dev\n\
             [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n"
                .to_owned(),
        ),
        (
            "/broken/config".to_owned(),
            "[default]\naws_secret_access_key PROFILESECRETKEY\n".to_owned(),
        ),
        ("/token".to_owned(), "WEBIDENTITYTOKEN".to_owned()),
        (
            sso_cache_file("corp"),
            r#"{"accessToken": "SSOACCESSTOKEN", "expiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}"#
                .to_owned(),
        ),
    ])
}

fn env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("HOME", "/home/u"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    Env::from_map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

/// Loads a config from `env`, makes a client, prepares and sends a call with `answers` as the
/// network; returns everything printable along the way.
async fn exercise(env: Env, answers: &[(u16, &'static str)]) -> Vec<String> {
    let canned = Canned(Mutex::new(answers.to_vec()));
    let loader = Config::builder()
        .clock(Clock::fixed(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        ))
        .http_client(canned)
        .loader()
        .env(env.clone())
        .fs(files());
    let mut shown = vec![
        format!("{loader:?}"),
        format!("{env:?}"),
        format!("{:?}", files()),
    ];
    let config = match loader.load() {
        Ok(config) => config,
        Err(error) => {
            shown.extend([error.to_string(), format!("{error:?}")]);
            return shown;
        }
    };
    shown.extend([format!("{config:?}"), format!("{:?}", config.to_builder())]);
    let client = ServiceClient::new(config, &ECR).unwrap();
    shown.push(format!("{client:?}"));
    match client.credentials().await {
        Ok(credentials) => shown.push(format!("{credentials:?}")),
        Err(error) => shown.extend([error.to_string(), format!("{error:?}")]),
    }
    match client.prepare("DeleteRepository", b"{}".to_vec()).await {
        Ok(prepared) => shown.extend([prepared.to_string(), format!("{prepared:?}")]),
        Err(error) => shown.extend([error.to_string(), format!("{error:?}")]),
    }
    match client.invoke("DeleteRepository", b"{}".to_vec()).await {
        Ok(response) => shown.push(format!("{response:?}")),
        Err(error) => shown.extend([error.to_string(), format!("{error:?}")]),
    }
    shown
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_any_debug_display_error_or_log_line() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.clone());

    let env_keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "ENVSECRETKEY"),
        ("AWS_SESSION_TOKEN", "ENVSESSIONTOKEN"),
    ];
    let web_identity = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r"),
    ];
    let mut shown = Vec::new();
    // Keys from the environment; half of them.
    shown.extend(exercise(env(&env_keys), &[(400, ECR_DENIED)]).await);
    shown.extend(exercise(env(&env_keys[1..]), &[]).await);
    // A profile's static keys; a profile file that does not parse.
    shown.extend(exercise(env(&[("AWS_PROFILE", "static")]), &[(400, ECR_DENIED)]).await);
    shown.extend(exercise(env(&[("AWS_CONFIG_FILE", "/broken/config")]), &[]).await);
    // A web identity: STS answers, then STS refuses.
    shown.extend(exercise(env(&web_identity), &[(200, STS_OK), (400, ECR_DENIED)]).await);
    shown.extend(exercise(env(&web_identity), &[(400, STS_DENIED)]).await);
    // SSO: the portal answers, then refuses.
    shown.extend(
        exercise(
            env(&[("AWS_PROFILE", "sso")]),
            &[(200, SSO_OK), (403, ECR_DENIED)],
        )
        .await,
    );
    shown.extend(exercise(env(&[("AWS_PROFILE", "sso")]), &[(401, SSO_DENIED)]).await);

    // Explicit static credentials.
    let config = Config::builder()
        .region("us-east-1")
        .credentials(aws_thin_runtime::Credentials::new(
            "AKIDSTATIC",
            "ENVSECRETKEY",
            Some("ENVSESSIONTOKEN".into()),
            None,
            "test",
        ))
        .build();
    let client = ServiceClient::new(config.clone(), &ECR).unwrap();
    let prepared = client
        .prepare("DeleteRepository", b"{}".to_vec())
        .await
        .unwrap();
    assert!(prepared
        .to_string()
        .contains("x-amz-security-token: <redacted>"));
    shown.extend([
        format!("{config:?}"),
        format!("{:?}", config.to_builder()),
        format!("{client:?}"),
        prepared.to_string(),
        format!("{prepared:?}"),
    ]);

    // The sources' own values.
    let profiles = ProfileSet::load(&env(&[]), &files(), Some("static")).unwrap();
    shown.push(format!("{profiles:?}"));
    shown.push(format!("{:?}", profiles.selected()));
    let ctx = SourceContext::new(
        env(&env_keys),
        files(),
        SharedHttpClient::new(Canned(Mutex::new(Vec::new()))),
    );
    shown.push(format!("{ctx:?}"));
    shown.push(format!("{:?}", default_chain()));

    let logs = captured.0.lock().unwrap().clone();
    assert!(
        logs.contains("loaded AWS credentials") && logs.contains("provider=\"Environment\""),
        "the chain logs which provider answered: {logs}"
    );
    shown.push(logs);
    // The paths above did run: their errors and answers are here.
    let all = shown.join("\n");
    for expected in [
        "AccessDeniedException",
        "InvalidIdentityToken",
        "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
        "Expected an '=' sign",
        "ASIASTS",
        "ASIASSO",
        "Session token not found or invalid",
    ] {
        assert!(all.contains(expected), "`{expected}` not shown:\n{all}");
    }
    for text in &shown {
        for secret in SECRETS {
            assert!(!text.contains(secret), "`{secret}` shown in:\n{text}");
        }
    }
}
