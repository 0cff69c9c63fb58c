//! The EC2 instance metadata service (IMDSv2): where it is, and credentials and region from it.
//!
//! The endpoint is, first to last: an explicit endpoint, `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
//! the profile's `ec2_metadata_service_endpoint`; else the address for the endpoint mode
//! (explicit, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, the profile's
//! `ec2_metadata_service_endpoint_mode`; `IPv4` (default, `http://169.254.169.254`) or `IPv6`
//! (`http://[fd00:ec2::254]`), in any case).
//!
//! A session token comes first (`PUT /latest/api/token`, IMDSv2), then the instance role's name
//! (`GET /latest/meta-data/iam/security-credentials/`) and its credentials (`.../<role>`), or the
//! region (`GET /latest/meta-data/placement/region`). Each attempt has one second: on a machine
//! that is not an EC2 instance nothing answers, and the chain moves on without retrying.

use super::container::parse_credentials;
use super::exchange::{self, BoxFuture, Policy};
use super::support::{env_var, JsonObject};
use super::{CredentialSource, SourceContext, SourceError, SourceFuture};
use super::{RegionFuture, RegionSource};
use crate::config::Region;
use crate::http_client::HttpResponse;
use aws_credential_types::Credentials;
use http::uri::{Scheme, Uri};
use http::HeaderValue;
use std::fmt;
use std::time::Duration;

const DISABLED_VAR: &str = "AWS_EC2_METADATA_DISABLED";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";
/// Six hours, the longest session token IMDS gives.
const TOKEN_TTL_SECONDS: &str = "21600";

const POLICY: Policy = Policy {
    attempts: 3,
    attempt_timeout: Duration::from_secs(1),
    initial_backoff: Duration::from_millis(100),
    retry_unanswered: false,
};

pub(crate) const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
pub(crate) const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
pub(crate) const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
pub(crate) const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

/// Which address family's default IMDS address to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EndpointMode {
    IPv4,
    IPv6,
}

impl EndpointMode {
    fn parse(value: &str, from: &str) -> Result<Self, EndpointError> {
        if value.eq_ignore_ascii_case("ipv4") {
            Ok(EndpointMode::IPv4)
        } else if value.eq_ignore_ascii_case("ipv6") {
            Ok(EndpointMode::IPv6)
        } else {
            Err(EndpointError::InvalidMode {
                value: value.to_owned(),
                from: from.to_owned(),
            })
        }
    }
}

/// The inputs of the endpoint choice, each `None` when not set.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EndpointInputs<'a> {
    pub(crate) explicit_endpoint: Option<&'a str>,
    pub(crate) explicit_mode: Option<EndpointMode>,
    pub(crate) env_endpoint: Option<&'a str>,
    pub(crate) env_mode: Option<&'a str>,
    pub(crate) profile_endpoint: Option<&'a str>,
    pub(crate) profile_mode: Option<&'a str>,
}

/// The IMDS endpoint settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EndpointError {
    InvalidMode {
        value: String,
        from: String,
    },
    InvalidEndpoint {
        value: String,
        from: String,
        reason: String,
    },
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::InvalidMode { value, from } => write!(
                f,
                "{from}: `{value}` is not a valid endpoint mode (expected IPv4 or IPv6)"
            ),
            EndpointError::InvalidEndpoint {
                value,
                from,
                reason,
            } => write!(
                f,
                "{from}: `{value}` is not a valid IMDS endpoint: {reason}"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// The IMDS base URI (`scheme://host[:port]`, without a trailing slash) for `inputs`.
pub(crate) fn endpoint(inputs: &EndpointInputs<'_>) -> Result<Uri, EndpointError> {
    let explicit = present(inputs.explicit_endpoint).map(|v| (v, "the configured IMDS endpoint"));
    let env = present(inputs.env_endpoint).map(|v| (v, ENDPOINT_VAR));
    let profile = present(inputs.profile_endpoint).map(|v| (v, ENDPOINT_KEY));
    if let Some((value, from)) = explicit.or(env).or(profile) {
        return parse_endpoint(value, from);
    }
    let mode = match inputs.explicit_mode {
        Some(mode) => mode,
        None => match (present(inputs.env_mode), present(inputs.profile_mode)) {
            (Some(env), _) => EndpointMode::parse(env, MODE_VAR)?,
            (None, Some(profile)) => EndpointMode::parse(profile, MODE_KEY)?,
            (None, None) => EndpointMode::IPv4,
        },
    };
    let text = match mode {
        EndpointMode::IPv4 => IPV4_ENDPOINT,
        EndpointMode::IPv6 => IPV6_ENDPOINT,
    };
    parse_endpoint(text, "the default IMDS endpoint")
}

fn parse_endpoint(value: &str, from: &str) -> Result<Uri, EndpointError> {
    let invalid = |reason: String| EndpointError::InvalidEndpoint {
        value: value.to_owned(),
        from: from.to_owned(),
        reason,
    };
    let uri = value
        .trim_end_matches('/')
        .parse::<Uri>()
        .map_err(|e| invalid(e.to_string()))?;
    if uri.scheme() != Some(&Scheme::HTTP) && uri.scheme() != Some(&Scheme::HTTPS) {
        return Err(invalid("it must start with http:// or https://".to_owned()));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".to_owned()));
    }
    Ok(uri)
}

/// `base` joined with `path` (which starts with `/`), keeping any path prefix of `base`.
pub(crate) fn join(base: &Uri, path: &str) -> String {
    let base = base.to_string();
    format!("{}{path}", base.trim_end_matches('/'))
}

/// Credentials of the EC2 instance's role, from IMDSv2. Skipped when
/// `AWS_EC2_METADATA_DISABLED` is `true`, when nothing answers (not an EC2 instance) and when the
/// instance has no role.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImdsSource;

impl CredentialSource for ImdsSource {
    fn name(&self) -> &'static str {
        "Ec2InstanceMetadata"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(async move {
            let session = Session::open(ctx).await?;
            let roles = session.get(ROLE_PATH).await?;
            if roles.status().as_u16() == 404 {
                return Err(SourceError::skipped(
                    "this EC2 instance has no IAM role (IMDS answered 404 for its role name)",
                ));
            }
            let roles = session.expect_success(roles, "the instance's role name")?;
            let role = String::from_utf8_lossy(roles.body());
            let Some(role) = role.lines().map(str::trim).find(|l| !l.is_empty()) else {
                return Err(SourceError::skipped(
                    "this EC2 instance has no IAM role (IMDS listed none)",
                ));
            };
            let answer = session.get(&format!("{ROLE_PATH}{role}")).await?;
            let answer =
                session.expect_success(answer, &format!("the credentials of role `{role}`"))?;
            credentials_from(answer.body()).map_err(|why| {
                SourceError::failed(format!(
                    "IMDS answered the request for the credentials of role `{role}` with {why}"
                ))
            })
        })
    }
}

/// The instance's region, from IMDSv2 (for the region chain).
#[derive(Clone, Copy, Debug, Default)]
pub struct ImdsRegionSource;

impl RegionSource for ImdsRegionSource {
    fn name(&self) -> &'static str {
        "Ec2InstanceMetadata"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> RegionFuture<'a> {
        Box::pin(async move {
            let session = Session::open(ctx).await?;
            let answer = session.get(REGION_PATH).await?;
            let answer = session.expect_success(answer, "the instance's region")?;
            let region = String::from_utf8_lossy(answer.body()).trim().to_owned();
            if region.is_empty() {
                return Err(SourceError::failed("IMDS answered an empty region"));
            }
            Ok(Region::from(region))
        })
    }
}

fn credentials_from(body: &[u8]) -> Result<Credentials, String> {
    let status = JsonObject::parse(body)
        .ok()
        .and_then(|o| o.string("Code").ok().flatten());
    if let Some(code) = status.filter(|c| c != "Success") {
        return Err(format!("the status `{code}` instead of credentials"));
    }
    parse_credentials(body, "Ec2InstanceMetadata")
}

/// An IMDSv2 session: the endpoint and a session token.
struct Session<'a> {
    ctx: &'a SourceContext,
    base: Uri,
    token: HeaderValue,
}

impl<'a> Session<'a> {
    fn open(ctx: &'a SourceContext) -> BoxFuture<'a, Result<Session<'a>, SourceError>> {
        Box::pin(Self::open_inner(ctx))
    }

    async fn open_inner(ctx: &'a SourceContext) -> Result<Session<'a>, SourceError> {
        if env_var(ctx, DISABLED_VAR)?.is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return Err(SourceError::skipped(format!("{DISABLED_VAR} is true")));
        }
        let base = endpoint_for(ctx, None, None)?;
        let url = join(&base, TOKEN_PATH);
        let ttl = HeaderValue::from_static(TOKEN_TTL_SECONDS);
        let headers = vec![("x-aws-ec2-metadata-token-ttl-seconds", ttl)];
        let request = exchange::request(http::Method::PUT, &url, headers, bytes::Bytes::new())?;
        let response = exchange::send(ctx, POLICY, request).await.map_err(|e| {
            SourceError::skipped(format!(
                "IMDS at {base} did not answer (not an EC2 instance?): {e}"
            ))
        })?;
        match response.status().as_u16() {
            200..=299 => {}
            403 => {
                return Err(SourceError::failed(format!(
                    "IMDS at {base} refused a session token (HTTP 403 Forbidden): IMDS is \
                     disabled on this instance, or the request came through a proxy"
                )))
            }
            status => {
                return Err(SourceError::failed(format!(
                    "IMDS at {base} answered HTTP {status} to the session token request: {}",
                    exchange::excerpt(response.body())
                )))
            }
        }
        let mut token = std::str::from_utf8(response.body())
            .ok()
            .and_then(|t| HeaderValue::from_str(t.trim()).ok())
            .ok_or_else(|| SourceError::failed("IMDS answered an unusable session token"))?;
        token.set_sensitive(true);
        Ok(Session { ctx, base, token })
    }

    async fn get(&self, path: &str) -> Result<HttpResponse, SourceError> {
        let url = join(&self.base, path);
        let headers = vec![("x-aws-ec2-metadata-token", self.token.clone())];
        let request = exchange::request(http::Method::GET, &url, headers, bytes::Bytes::new())?;
        exchange::send(self.ctx, POLICY, request)
            .await
            .map_err(|e| SourceError::failed_with(format!("IMDS did not answer for {path}"), e))
    }

    fn expect_success(
        &self,
        response: HttpResponse,
        what: &str,
    ) -> Result<HttpResponse, SourceError> {
        if response.status().is_success() {
            return Ok(response);
        }
        Err(SourceError::failed(format!(
            "IMDS at {} answered HTTP {} to the request for {what}: {}",
            self.base,
            response.status().as_u16(),
            exchange::excerpt(response.body())
        )))
    }
}

/// The endpoint for the environment and profile of `ctx`, after any explicit settings.
fn endpoint_for(
    ctx: &SourceContext,
    explicit_endpoint: Option<&str>,
    explicit_mode: Option<EndpointMode>,
) -> Result<Uri, SourceError> {
    let env_endpoint = env_var(ctx, ENDPOINT_VAR)?;
    let env_mode = env_var(ctx, MODE_VAR)?;
    let profiles = ctx.profiles().ok();
    let profile = profiles.and_then(|p| p.selected());
    endpoint(&EndpointInputs {
        explicit_endpoint,
        explicit_mode,
        env_endpoint: env_endpoint.as_deref(),
        env_mode: env_mode.as_deref(),
        profile_endpoint: profile.and_then(|p| p.get(ENDPOINT_KEY)),
        profile_mode: profile.and_then(|p| p.get(MODE_KEY)),
    })
    .map_err(|e| SourceError::failed(e.to_string()))
}

/// A setting's value, `None` when unset or blank.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_url(inputs: EndpointInputs<'_>) -> Result<String, EndpointError> {
        endpoint(&inputs).map(|base| join(&base, "/latest/api/token"))
    }

    #[test]
    fn precedence_of_endpoint_settings() {
        let all = EndpointInputs {
            explicit_endpoint: Some("http://explicit"),
            explicit_mode: Some(EndpointMode::IPv6),
            env_endpoint: Some("http://env:1"),
            env_mode: Some("IPv6"),
            profile_endpoint: Some("http://profile:2/"),
            profile_mode: Some("IPv6"),
        };
        assert_eq!(token_url(all).unwrap(), "http://explicit/latest/api/token");
        let no_explicit = EndpointInputs {
            explicit_endpoint: None,
            ..all
        };
        assert_eq!(
            token_url(no_explicit).unwrap(),
            "http://env:1/latest/api/token"
        );
        let profile_only = EndpointInputs {
            env_endpoint: Some(" "),
            ..no_explicit
        };
        assert_eq!(
            token_url(profile_only).unwrap(),
            "http://profile:2/latest/api/token"
        );
        assert_eq!(
            token_url(EndpointInputs::default()).unwrap(),
            "http://169.254.169.254/latest/api/token"
        );
        let modes = EndpointInputs {
            env_mode: Some("ipv4"),
            profile_mode: Some("nonsense"),
            ..EndpointInputs::default()
        };
        assert_eq!(
            token_url(modes).unwrap(),
            "http://169.254.169.254/latest/api/token"
        );
        let profile_mode = EndpointInputs {
            profile_mode: Some("IPV6"),
            ..EndpointInputs::default()
        };
        assert_eq!(
            token_url(profile_mode).unwrap(),
            "http://[fd00:ec2::254]/latest/api/token"
        );
    }

    #[test]
    fn bad_settings_are_errors_naming_their_source() {
        let error = token_url(EndpointInputs {
            profile_mode: Some("IPv7"),
            ..EndpointInputs::default()
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "ec2_metadata_service_endpoint_mode: `IPv7` is not a valid endpoint mode \
             (expected IPv4 or IPv6)"
        );
        for bad in ["not a uri", "169.254.169.254", "ftp://x", "http://"] {
            let error = token_url(EndpointInputs {
                env_endpoint: Some(bad),
                ..EndpointInputs::default()
            })
            .unwrap_err();
            assert!(
                error.to_string().starts_with(ENDPOINT_VAR),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn shared_imds_endpoint_test_cases() {
        use crate::http_client::SharedHttpClient;
        use crate::os::{Env, Fs};
        let suite = crate::provider::support::suite_json("imds-config/imds-endpoint-tests.json");
        let cases = suite["tests"].as_array().expect("a `tests` array");
        assert!(cases.len() > 10);
        for case in cases {
            let docs = case["docs"].as_str().unwrap_or_default();
            let strings = |field: &str| -> Vec<(String, String)> {
                case[field]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            };
            let env = Env::from_map(strings("env"));
            let fs = Fs::from_map(
                strings("fs")
                    .into_iter()
                    .map(|(path, text)| (path, text.into_bytes())),
            );
            let ctx = SourceContext::new(
                env,
                fs,
                SharedHttpClient::new(crate::provider::support::NoNetwork),
            );
            let mode = case["mode_override"]
                .as_str()
                .map(|m| EndpointMode::parse(m, "mode_override").unwrap());
            let result = endpoint_for(&ctx, case["endpoint_override"].as_str(), mode)
                .map(|base| join(&base, TOKEN_PATH));
            match (result, &case["result"]) {
                (Ok(url), expected) if expected["Ok"].is_string() => {
                    assert_eq!(url, expected["Ok"].as_str().unwrap(), "{docs}")
                }
                (Err(error), expected) if expected["Err"].is_string() => {
                    let message = error.to_string();
                    let want = expected["Err"].as_str().unwrap();
                    assert!(message.contains(want), "{docs}: `{message}` lacks `{want}`");
                }
                (got, expected) => panic!("{docs}: got {got:?}, expected {expected}"),
            }
        }
    }
}
