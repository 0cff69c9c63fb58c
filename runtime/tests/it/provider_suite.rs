//! AWS's shared credential-provider test data, replayed (test target `provider_suite`).
//!
//! Every folder holding a `test-case.json` under `$AWS_THIN_PROVIDER_SUITE` (default
//! `../shared/test-suites/aws-sdk-rust/aws-config` beside the workspace) is one case: its
//! `env.json` is the environment, its `fs/` the filesystem (`fs/home/.aws/config` is
//! `/home/.aws/config`), and its `http-traffic.json` is replayed through the injected HTTP client,
//! which checks every request (method, URI, body as data, the headers that depend neither on
//! the clock nor on the SDK) and that every recorded exchange is asked for. The default
//! credential chain (or, under `default-token-provider-chain`, the SSO token of the profile)
//! must then give what `test-case.json` says: the credentials field by field, or an error that
//! says the same thing as `ErrorContains`.
//!
//! The clock is fixed per case at the time the traffic was recorded: the `x-amz-date` of the
//! first signed request, else the `Date` of the first response, else 2021-01-01.
//!
//! Two tables below hold every place where this runtime and the test data are allowed to
//! differ, so a reviewer can read each pair: [`WORDING`] (our error wording against the AWS
//! SDKs') and [`RECORDING_DEVIATIONS`] (recorded requests whose values disagree with their own
//! case's inputs).

use aws_thin_runtime::profile::ProfileSet;
use aws_thin_runtime::provider::{default_chain, sso_token, SourceContext};
use aws_thin_runtime::test_util::{Action, NetworkTraffic, ReplayingClient};
use aws_thin_runtime::{Clock, DateTime, Env, Fs, HttpRequest, Region, SharedHttpClient};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Our wording against the AWS SDKs' for the same failure: (their phrase, ours). An
/// `ErrorContains` passes when our message contains it as written, or with every phrase of the
/// first column replaced by the second.
const WORDING: &[(&str, &str)] = &[
    // The in-memory filesystem of these tests words "file not found" its own way.
    (
        "No such file or directory (os error 2)",
        "no such file (in-memory filesystem)",
    ),
    // Every source was skipped (the SDKs' "not loaded" error).
    (
        "the credential provider was not enabled",
        "no AWS credentials found",
    ),
    (
        "request forbidden: IMDS is disabled",
        "refused a session token (HTTP 403 Forbidden): IMDS is disabled",
    ),
    // The SDKs' generic "provider error" prefix; ours names the source that failed.
    (
        "an error occurred while loading credentials",
        "credentials from Profile failed",
    ),
    // The SDKs name the modeled exception type; STS's answer (and so ours) has the error code.
    (
        "InvalidIdentityTokenException: No OpenIDConnect provider found",
        "InvalidIdentityToken: No OpenIDConnect provider found",
    ),
];

/// Where the value the runtime sends must come from.
#[derive(Clone, Copy, Debug)]
enum Input {
    /// An environment variable of the case's `env.json`.
    Env(&'static str),
    /// A property of a profile in the case's config file.
    Profile(&'static str, &'static str),
    /// A file of the case's `fs/`, without surrounding whitespace (a final newline is not
    /// part of a token).
    File(&'static str),
    /// The session token in the answer of the recorded exchange on this connection (the
    /// credentials the request is signed with).
    SessionTokenFrom(usize),
}

/// Recorded requests that disagree with their own case's inputs (the traffic was recorded with
/// other settings, then the inputs were edited): (case, connection id, form field or header,
/// where the value really comes from). In those cases the field is left out of the replay
/// comparison; the harness checks it itself on every request: against that input where listed,
/// else against the recording.
const RECORDING_DEVIATIONS: &[(&str, usize, &str, Input)] = &[
    (
        "ecs_assume_role",
        1,
        "x-amz-security-token",
        Input::SessionTokenFrom(0),
    ),
    (
        "web_identity_token_env",
        0,
        "RoleArn",
        Input::Env("AWS_ROLE_ARN"),
    ),
    // The other web identity recordings send the token without the file's final newline.
    (
        "web_identity_token_invalid_jwt",
        0,
        "WebIdentityToken",
        Input::File("/token.jwt"),
    ),
    (
        "web_identity_token_profile",
        0,
        "RoleArn",
        Input::Profile("A", "role_arn"),
    ),
    (
        "web_identity_token_profile",
        0,
        "WebIdentityToken",
        Input::File("/token.jwt"),
    ),
    (
        "web_identity_token_source_profile",
        0,
        "RoleArn",
        Input::Profile("B", "role_arn"),
    ),
    (
        "web_identity_token_source_profile",
        0,
        "WebIdentityToken",
        Input::File("/token.jwt"),
    ),
    (
        "web_identity_token_source_profile",
        1,
        "x-amz-security-token",
        Input::SessionTokenFrom(0),
    ),
];

/// Generated session names hold the clock's milliseconds: compared up to their last `-`.
const SESSION_NAME_FIELD: &str = "RoleSessionName";

fn suite_dir() -> PathBuf {
    std::env::var_os("AWS_THIN_PROVIDER_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/test-suites/aws-sdk-rust/aws-config")
        })
}

/// Every folder below `dir` holding a `test-case.json`, sorted.
fn case_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.join("test-case.json").is_file() {
                out.push(path.clone());
            }
            case_dirs(&path, out);
        }
    }
}

#[test]
fn provider_suite() {
    let root = suite_dir();
    let mut cases = Vec::new();
    case_dirs(&root, &mut cases);
    assert!(
        !cases.is_empty(),
        "no test-case.json under {}; set AWS_THIN_PROVIDER_SUITE to the aws-config test data",
        root.display()
    );
    let (mut passed, mut failed, skipped) = (0, 0, 0);
    for dir in &cases {
        let name = dir.strip_prefix(&root).unwrap_or(dir).display().to_string();
        match run_case(dir) {
            Ok(()) => {
                passed += 1;
                println!("ok     {name}");
            }
            Err(why) => {
                failed += 1;
                println!("FAILED {name}: {}", why.replace('\n', "\n         "));
            }
        }
    }
    println!("provider suite: {passed} passed, {failed} failed, {skipped} skipped");
    assert_eq!((failed, skipped), (0, 0), "see the lines above");
}

/// One case: `Err` says what differed.
fn run_case(dir: &Path) -> Result<(), String> {
    let case_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let test_case = read_json(&dir.join("test-case.json"))?;
    let env_vars: Vec<(String, String)> = match dir.join("env.json") {
        path if path.is_file() => read_json(&path)?
            .as_object()
            .ok_or("env.json is not an object")?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        _ => Vec::new(),
    };
    let env = Env::from_map(env_vars.clone());
    let mut files = Vec::new();
    read_tree(&dir.join("fs"), Path::new("/"), &mut files)?;
    let fs = Fs::from_map(files.clone());
    let traffic = match dir.join("http-traffic.json") {
        path if path.is_file() => NetworkTraffic::from_file(&path)?,
        _ => NetworkTraffic::default(),
    };

    let deviations: Vec<(usize, &str, Input)> = RECORDING_DEVIATIONS
        .iter()
        .filter(|(case, ..)| *case == case_name)
        .map(|(_, connection, field, input)| (*connection, *field, *input))
        .collect();
    let mut deviating: Vec<&str> = deviations.iter().map(|(_, field, _)| *field).collect();
    deviating.sort();
    deviating.dedup();
    let (fields, headers): (Vec<&str>, Vec<&str>) =
        deviating.iter().partition(|f| is_form_field(f));
    let replay = Arc::new(
        ReplayingClient::new(&traffic)?
            .ignore_fields(fields.iter().copied().chain([SESSION_NAME_FIELD]))
            .ignore_headers(headers),
    );

    let profiles = ProfileSet::load(&env, &fs, None);
    let region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|v| env.get(v).ok().filter(|r| !r.trim().is_empty()))
        .or_else(|| {
            let set = profiles.as_ref().ok()?;
            set.get("region").map(str::to_owned)
        })
        .map(Region::from);
    let ctx = SourceContext::new_with_profiles(
        env,
        fs,
        SharedHttpClient::from_arc(replay.clone()),
        profiles,
    )
    .with_clock(Clock::fixed(recorded_time(&traffic)))
    .with_region(region);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let token_case = dir
        .components()
        .any(|c| c.as_os_str() == "default-token-provider-chain");
    let outcome: Result<Value, String> = runtime.block_on(async {
        if token_case {
            sso_token(&ctx)
                .map(|t| {
                    serde_json::json!({
                        "token": t.token(),
                        "expiration": DateTime::from(t.expiration()).to_string(),
                    })
                })
                .map_err(|e| e.to_string())
        } else {
            default_chain()
                .load(&ctx)
                .await
                .map(|c| credentials_json(&c))
                .map_err(|e| e.to_string())
        }
    });

    let expected = &test_case["result"];
    match (
        &outcome,
        expected.get("Ok"),
        expected["ErrorContains"].as_str(),
    ) {
        (Ok(got), Some(want), None) => {
            if got != want {
                return Err(format!("got {got}, expected {want}"));
            }
        }
        (Err(message), None, Some(theirs)) => {
            let ours = WORDING
                .iter()
                .fold(theirs.to_owned(), |text, (t, o)| text.replace(t, o));
            if !message.contains(theirs) && !message.contains(&ours) {
                return Err(format!("the error `{message}` does not say `{ours}`"));
            }
        }
        _ => return Err(format!("got {outcome:?}, expected {expected}")),
    }
    replay.check()?;
    let sources = Sources {
        env: &env_vars,
        files: &files,
        traffic: &traffic,
    };
    check_deviations(&replay.received(), &deviating, &deviations, &sources)?;
    check_session_names(&replay.received(), &traffic)
}

/// `RoleArn` is a form field, `x-amz-security-token` a header.
fn is_form_field(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// A case's inputs.
struct Sources<'a> {
    env: &'a [(String, String)],
    files: &'a [(PathBuf, Vec<u8>)],
    traffic: &'a NetworkTraffic,
}

impl Sources<'_> {
    fn value(&self, input: Input) -> Option<String> {
        match input {
            Input::Env(name) => self
                .env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
            Input::File(path) => self
                .files
                .iter()
                .find(|(p, _)| p == Path::new(path))
                .map(|(_, c)| String::from_utf8_lossy(c).trim().to_owned()),
            Input::Profile(profile, key) => self
                .files
                .iter()
                .find(|(p, _)| p.ends_with(".aws/config"))
                .and_then(|(_, c)| ProfileSet::parse(Some(&String::from_utf8_lossy(c)), None).ok())
                .and_then(|set| set.profile(profile)?.get(key).map(str::to_owned)),
            Input::SessionTokenFrom(connection) => {
                let exchanges = self.traffic.exchanges().ok()?;
                let exchange = exchanges.iter().find(|e| e.connection_id == connection)?;
                session_token_in(&String::from_utf8_lossy(&exchange.response_body))
            }
        }
    }
}

/// The credentials in the shape of `test-case.json`.
fn credentials_json(c: &aws_thin_runtime::Credentials) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("access_key_id".into(), c.access_key_id().into());
    out.insert("secret_access_key".into(), c.secret_access_key().into());
    if let Some(token) = c.session_token() {
        out.insert("session_token".into(), token.into());
    }
    if let Some(account) = c.account_id() {
        out.insert("account_id".into(), account.as_str().into());
    }
    if let Some(expiry) = c.expiry() {
        let secs = expiry.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        out.insert("expiry".into(), secs.into());
    }
    Value::Object(out)
}

/// Each field or header left out of the replay comparison, on every request: the value of its
/// real input where [`RECORDING_DEVIATIONS`] lists one, else the recorded value.
fn check_deviations(
    received: &[HttpRequest],
    deviating: &[&str],
    deviations: &[(usize, &str, Input)],
    sources: &Sources<'_>,
) -> Result<(), String> {
    let exchanges = sources.traffic.exchanges()?;
    for (request, exchange) in received.iter().zip(&exchanges) {
        for &name in deviating {
            let listed = deviations
                .iter()
                .find(|(c, f, _)| *c == exchange.connection_id && *f == name);
            let want = match listed {
                Some((_, _, input)) => Some(
                    sources
                        .value(*input)
                        .ok_or_else(|| format!("the input {input:?} of `{name}` is missing"))?,
                ),
                None if is_form_field(name) => {
                    let body = String::from_utf8_lossy(&exchange.request_body);
                    fields(&body)
                        .into_iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v)
                }
                None => exchange
                    .request
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .and_then(|(_, v)| v.first().cloned()),
            };
            let sent = if is_form_field(name) {
                form_field(request, name)
            } else {
                let value = request.headers().get(name);
                value.and_then(|v| v.to_str().ok()).map(str::to_owned)
            };
            if sent != want {
                return Err(format!(
                    "connection {}: `{name}` is {sent:?}, expected {want:?} (from {:?})",
                    exchange.connection_id,
                    listed.map(|(_, _, input)| input)
                ));
            }
        }
    }
    Ok(())
}

/// Generated session names have the recorded prefix (`assume-role-from-profile-`) and our
/// clock's milliseconds.
fn check_session_names(received: &[HttpRequest], traffic: &NetworkTraffic) -> Result<(), String> {
    let recorded: Vec<String> = traffic
        .exchanges()?
        .iter()
        .filter_map(|e| {
            fields(&String::from_utf8_lossy(&e.request_body))
                .into_iter()
                .find(|(k, _)| k == SESSION_NAME_FIELD)
                .map(|(_, v)| v)
        })
        .collect();
    let sent: Vec<String> = received
        .iter()
        .filter_map(|r| form_field(r, SESSION_NAME_FIELD))
        .collect();
    if recorded.len() != sent.len() {
        return Err(format!("session names {sent:?}, recorded {recorded:?}"));
    }
    let prefix = |name: &str| {
        name.rsplit_once('-')
            .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(name.to_owned(), |(p, _)| p.to_owned())
    };
    for (ours, theirs) in sent.iter().zip(&recorded) {
        if prefix(ours) != prefix(theirs) {
            return Err(format!("session name {ours}, recorded {theirs}"));
        }
    }
    Ok(())
}

fn form_field(request: &HttpRequest, name: &str) -> Option<String> {
    fields(&String::from_utf8_lossy(request.body()))
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// A form body's fields, decoded.
fn fields(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1..i + 3)) {
                (b'%', Some(hex)) => {
                    let hex = std::str::from_utf8(hex).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                (b'+', _) => out.push(b' '),
                (b, _) => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter(|p| p.contains('='))
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The session token in a recorded answer: `<SessionToken>` of STS, `"Token"` of the
/// container agent and IMDS.
fn session_token_in(body: &str) -> Option<String> {
    if let Ok(json) = serde_json::from_str::<Value>(body) {
        return json["Token"].as_str().map(str::to_owned);
    }
    let start = body.find("<SessionToken>")? + "<SessionToken>".len();
    let end = body[start..].find("</SessionToken>")? + start;
    Some(body[start..end].to_owned())
}

/// When the traffic was recorded: the first signed request's `x-amz-date`, else the first
/// response's `Date`, else 2021-01-01T00:00:00Z.
fn recorded_time(traffic: &NetworkTraffic) -> SystemTime {
    let header = |headers: &std::collections::BTreeMap<String, Vec<String>>, name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first().cloned())
    };
    let amz_date = traffic.events.iter().find_map(|e| match &e.action {
        Action::Request { request } => header(&request.headers, "x-amz-date"),
        _ => None,
    });
    if let Some(time) = amz_date.as_deref().and_then(parse_amz_date) {
        return time;
    }
    let date = traffic.events.iter().find_map(|e| match &e.action {
        Action::Response { response: Ok(r) } => header(&r.headers, "date"),
        _ => None,
    });
    date.as_deref()
        .and_then(parse_http_date)
        .unwrap_or(UNIX_EPOCH + Duration::from_secs(1_609_459_200))
}

/// `20210921T174125Z`.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    DateTime::from_rfc3339(&rfc3339).ok()?.to_system_time()
}

/// `Tue, 21 Sep 2021 17:41:25 GMT`.
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? + 1;
    let rfc3339 = format!("{year}-{month:02}-{:0>2}T{time}Z", day);
    DateTime::from_rfc3339(&rfc3339).ok()?.to_system_time()
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The files under `dir`, as paths under `at`.
fn read_tree(dir: &Path, at: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let target = at.join(entry.file_name());
        if path.is_dir() {
            read_tree(&path, &target, out)?;
        } else {
            let contents =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            out.push((target, contents));
        }
    }
    Ok(())
}
