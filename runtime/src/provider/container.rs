//! Container credentials: ECS tasks, Fargate and EKS Pod Identity.
//!
//! The agent's URI comes from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on the ECS agent
//! at `169.254.170.2`) or, when that is unset, `AWS_CONTAINER_CREDENTIALS_FULL_URI`. A full URI
//! over plain http may only point at the container hosts AWS uses (the ECS agent `169.254.170.2`,
//! the EKS Pod Identity agent `169.254.170.23` / `[fd00:ec2::23]`) or at this machine's loopback
//! (`127.0.0.0/8`, `[::1]`, `localhost`), so that the authorization token is never sent in clear
//! text across a network; https URIs may point anywhere. Unlike the AWS SDKs, a host name other
//! than `localhost` is not resolved to check whether it is a loopback address: it is refused.

use super::exchange::{self, Policy};
use super::support::{env_var, JsonObject};
use super::{CredentialSource, SourceContext, SourceError, SourceFuture};
use crate::datetime::DateTime;
use aws_credential_types::Credentials;
use http::uri::{Scheme, Uri};
use http::HeaderValue;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::time::Duration;

pub(crate) const RELATIVE_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
pub(crate) const FULL_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The agent runs next to the container: it answers at once or is not there.
const POLICY: Policy = Policy {
    attempts: 3,
    attempt_timeout: Duration::from_secs(5),
    initial_backoff: Duration::from_millis(100),
    retry_unanswered: true,
};

/// The ECS agent, for relative URIs.
const ECS_HOST: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
const EKS_HOST_V4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_HOST_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23);

/// Why no container-credentials URI could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UriError {
    /// Neither variable is set: the provider is not enabled.
    NotConfigured,
    /// The variable's value is not a URI.
    Invalid {
        var: &'static str,
        value: String,
        reason: String,
    },
    /// A full URI without a host.
    NoHost { value: String },
    /// A full http URI to a host that is not allowed.
    HostNotAllowed { value: String },
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UriError::NotConfigured => write!(
                f,
                "neither {RELATIVE_URI_VAR} nor {FULL_URI_VAR} is set: not running in a \
                 container with a credentials endpoint"
            ),
            UriError::Invalid { var, value, reason } => {
                write!(f, "{var} `{value}` is not a valid URI: {reason}")
            }
            UriError::NoHost { value } => {
                write!(
                    f,
                    "{FULL_URI_VAR} `{value}`: the URI did not specify a host"
                )
            }
            UriError::HostNotAllowed { value } => write!(
                f,
                "{FULL_URI_VAR} `{value}`: a plain http URI must point at a loopback address, \
                 the ECS agent (169.254.170.2) or the EKS Pod Identity agent (169.254.170.23, \
                 [fd00:ec2::23]); use https for any other host"
            ),
        }
    }
}

impl std::error::Error for UriError {}

/// The credentials URI from the two variables' values (blank values count as unset).
pub(crate) fn credentials_uri(relative: Option<&str>, full: Option<&str>) -> Result<Uri, UriError> {
    if let Some(relative) = present(relative) {
        let separator = if relative.starts_with('/') { "" } else { "/" };
        let text = format!("http://{ECS_HOST}{separator}{relative}");
        return text.parse::<Uri>().map_err(|e| UriError::Invalid {
            var: RELATIVE_URI_VAR,
            value: relative.to_owned(),
            reason: e.to_string(),
        });
    }
    let Some(full) = present(full) else {
        return Err(UriError::NotConfigured);
    };
    let uri = full.parse::<Uri>().map_err(|e| UriError::Invalid {
        var: FULL_URI_VAR,
        value: full.to_owned(),
        reason: e.to_string(),
    })?;
    let Some(host) = uri.host() else {
        return Err(UriError::NoHost {
            value: full.to_owned(),
        });
    };
    let scheme = uri.scheme();
    if scheme == Some(&Scheme::HTTPS) {
        return Ok(uri);
    }
    if scheme != Some(&Scheme::HTTP) {
        return Err(UriError::Invalid {
            var: FULL_URI_VAR,
            value: full.to_owned(),
            reason: "the scheme must be http or https".to_owned(),
        });
    }
    if is_allowed_http_host(host) {
        Ok(uri)
    } else {
        Err(UriError::HostNotAllowed {
            value: full.to_owned(),
        })
    }
}

fn is_allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match literal.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == IpAddr::V4(ECS_HOST)
                || ip == IpAddr::V4(EKS_HOST_V4)
                || ip == IpAddr::V6(EKS_HOST_V6)
        }
        Err(_) => false,
    }
}

/// Credentials from the container's credentials endpoint (ECS, Fargate, EKS Pod Identity).
///
/// Sends the authorization token of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on
/// every load: EKS rotates it) or else `AWS_CONTAINER_AUTHORIZATION_TOKEN`, if either is set.
#[derive(Clone, Copy, Debug, Default)]
pub struct ContainerSource;

impl CredentialSource for ContainerSource {
    fn name(&self) -> &'static str {
        "EcsContainer"
    }

    fn load<'a>(&'a self, ctx: &'a SourceContext) -> SourceFuture<'a> {
        Box::pin(load(ctx))
    }
}

async fn load(ctx: &SourceContext) -> Result<Credentials, SourceError> {
    let relative = env_var(ctx, RELATIVE_URI_VAR)?;
    let full = env_var(ctx, FULL_URI_VAR)?;
    let uri = match credentials_uri(relative.as_deref(), full.as_deref()) {
        Ok(uri) => uri,
        Err(UriError::NotConfigured) => {
            return Err(SourceError::skipped(UriError::NotConfigured.to_string()))
        }
        Err(e) => return Err(SourceError::failed(e.to_string())),
    };
    let token = match env_var(ctx, TOKEN_FILE_VAR)? {
        Some(path) => {
            let bytes = ctx.fs().read(Path::new(&path)).map_err(|e| {
                SourceError::failed_with(
                    format!("failed to read the container authorization token file `{path}`"),
                    e,
                )
            })?;
            Some((
                String::from_utf8_lossy(&bytes).trim().to_owned(),
                TOKEN_FILE_VAR,
            ))
        }
        None => env_var(ctx, TOKEN_VAR)?.map(|t| (t, TOKEN_VAR)),
    };
    let authorization = match token {
        Some((token, from)) => {
            let mut value = HeaderValue::from_str(&token).map_err(|_| {
                SourceError::failed(format!(
                    "the authorization token of {from} holds characters not allowed in an HTTP \
                     header"
                ))
            })?;
            value.set_sensitive(true);
            Some(value)
        }
        None => None,
    };
    let mut headers = vec![("accept", HeaderValue::from_static("application/json"))];
    headers.extend(authorization.map(|value| ("authorization", value)));
    let request = exchange::request(
        http::Method::GET,
        &uri.to_string(),
        headers,
        bytes::Bytes::new(),
    )?;
    let response = exchange::send(ctx, POLICY, request).await.map_err(|e| {
        SourceError::failed_with("the container credentials endpoint did not answer", e)
    })?;
    if !response.status().is_success() {
        return Err(SourceError::failed(format!(
            "the container credentials endpoint {uri} answered HTTP {}: {}",
            response.status().as_u16(),
            exchange::excerpt(response.body())
        )));
    }
    parse_credentials(response.body(), "EcsContainer").map_err(|why| {
        SourceError::failed(format!(
            "the container credentials endpoint {uri} answered {why}"
        ))
    })
}

/// Credentials in the JSON the container agent and IMDS answer with: `AccessKeyId`,
/// `SecretAccessKey`, `Token`, `Expiration` (RFC 3339), optionally `AccountId`. The error
/// never quotes the document (it holds the secret).
pub(crate) fn parse_credentials(
    body: &[u8],
    provider_name: &'static str,
) -> Result<Credentials, String> {
    let answer =
        JsonObject::parse(body).map_err(|e| format!("something other than credentials: {e}"))?;
    let field = |name: &str| {
        answer
            .string(name)
            .map_err(|e| format!("credentials JSON where {e}"))
    };
    let (Some(access_key_id), Some(secret_access_key)) =
        (field("AccessKeyId")?, field("SecretAccessKey")?)
    else {
        return Err("JSON without `AccessKeyId` and `SecretAccessKey`".to_owned());
    };
    let mut builder = Credentials::builder()
        .access_key_id(access_key_id)
        .secret_access_key(secret_access_key)
        .provider_name(provider_name);
    builder.set_session_token(field("Token")?);
    builder.set_account_id(field("AccountId")?.map(Into::into));
    if let Some(expiration) = field("Expiration")? {
        let expiry = DateTime::from_rfc3339(&expiration)
            .ok()
            .and_then(|t| t.to_system_time())
            .ok_or_else(|| {
                format!("an `Expiration` that is not an RFC 3339 time: `{expiration}`")
            })?;
        builder = builder.expiry(expiry);
    }
    Ok(builder.build())
}

/// A setting's value, `None` when unset or blank.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(relative: Option<&str>, full: Option<&str>) -> Result<String, UriError> {
        credentials_uri(relative, full).map(|u| u.to_string())
    }

    #[test]
    fn relative_uris_go_to_the_ecs_agent() {
        assert_eq!(
            uri(Some("/v2/credentials/52b1"), None).unwrap(),
            "http://169.254.170.2/v2/credentials/52b1"
        );
        assert_eq!(
            uri(Some("creds?a=1"), Some("http://localhost/x")).unwrap(),
            "http://169.254.170.2/creds?a=1"
        );
        assert!(matches!(
            uri(Some("/bad uri"), None),
            Err(UriError::Invalid { .. })
        ));
    }

    #[test]
    fn http_full_uris_only_to_allowed_hosts() {
        for allowed in [
            "http://127.0.0.1/c",
            "http://127.1.2.3:80/c",
            "http://[::1]:8080/c",
            "http://LOCALHOST/c",
            "http://169.254.170.2/c",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://example.com/c",
        ] {
            assert_eq!(uri(None, Some(allowed)).unwrap(), allowed, "{allowed}");
        }
        for refused in [
            "http://169.254.169.254/c",
            "http://10.0.0.1/c",
            "http://example.com/c",
            "http://localhost.example.com/c",
            "http://[fd00:ec2::254]/c",
        ] {
            let error = uri(None, Some(refused)).unwrap_err();
            assert!(
                matches!(error, UriError::HostNotAllowed { .. }),
                "{refused}"
            );
            assert!(error.to_string().contains("use https"), "{error}");
        }
        assert!(matches!(
            uri(None, Some("ftp://127.0.0.1/c")),
            Err(UriError::Invalid { .. })
        ));
    }

    #[test]
    fn blank_values_are_unset() {
        assert_eq!(uri(Some("  "), Some("")), Err(UriError::NotConfigured));
        assert_eq!(
            uri(Some(" "), Some("http://127.0.0.1/c")).unwrap(),
            "http://127.0.0.1/c"
        );
    }

    /// Where our error wording differs from the AWS SDKs' (`ErrorContains` in the test data):
    /// theirs, then the words ours says the same thing with.
    const WORDING: &[(&str, &str)] = &[(
        "No environment variables were set to configure ECS provider",
        "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI \
         is set",
    )];

    #[test]
    fn shared_ecs_test_cases() {
        let suite = crate::provider::support::suite_json("ecs-tests.json");
        let cases = suite["tests"].as_array().expect("a `tests` array");
        assert!(!cases.is_empty());
        for case in cases {
            let docs = case["docs"].as_str().unwrap_or_default();
            let env = |name: &str| case["env"][name].as_str();
            let result = credentials_uri(env(RELATIVE_URI_VAR), env(FULL_URI_VAR));
            let expected = &case["result"];
            match (
                result,
                expected["Ok"].as_str(),
                expected["ErrorContains"].as_str(),
            ) {
                (Ok(uri), Some(want), None) => assert_eq!(uri.to_string(), want, "{docs}"),
                (Err(error), None, Some(want)) => {
                    let ours = WORDING
                        .iter()
                        .find(|(theirs, _)| *theirs == want)
                        .map_or(want, |(_, ours)| ours);
                    let message = error.to_string();
                    assert!(message.contains(ours), "{docs}: `{message}` lacks `{ours}`");
                }
                (got, _, _) => panic!("{docs}: got {got:?}, expected {expected}"),
            }
        }
    }
}
