//! IAM Identity Center (SSO): the token cache the AWS CLI writes, and the portal's
//! `GetRoleCredentials`.
//!
//! `aws sso login` caches the access token in `~/.aws/sso/cache/<sha1>.json`, where `<sha1>` is
//! the lowercase hex SHA-1 of the `sso_session` name (for a profile naming an `[sso-session]`),
//! or of the `sso_start_url` (for the legacy profile keys). An expired token is not used (and
//! not refreshed: `aws sso login` renews it).
//!
//! `GetRoleCredentials` is a GET of `https://portal.sso.{sso_region}.amazonaws.com/federation/
//! credentials?account_id=..&role_name=..` with the token in `x-amz-sso_bearer_token`.

use super::endpoints;
use super::exchange::{self, BoxFuture, Policy};
use super::support::JsonObject;
use super::{SourceContext, SourceError};
use crate::datetime::DateTime;
use crate::profile::{home_dir, Platform, ProfileSet, Section};
use aws_credential_types::Credentials;
use http::HeaderValue;
use ring::digest;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The portal is a regional AWS service: one attempt per call, as recorded by the AWS SDKs'
/// tests, with a generous limit.
const POLICY: Policy = Policy {
    attempts: 1,
    attempt_timeout: Duration::from_secs(30),
    initial_backoff: Duration::from_millis(0),
    retry_unanswered: false,
};

/// A profile's SSO settings, with those of its `[sso-session]` filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    pub(crate) session_name: Option<String>,
    pub(crate) start_url: String,
    pub(crate) region: String,
    pub(crate) account_id: Option<String>,
    pub(crate) role_name: Option<String>,
}

/// The SSO settings of `profile`: `None` when it has none; an error when they are incomplete or
/// contradictory. The messages follow the AWS SDKs'.
pub(crate) fn config_from_profile(
    set: &ProfileSet,
    profile: &Section,
) -> Option<Result<SsoConfig, String>> {
    let account_id = profile.get("sso_account_id");
    let role_name = profile.get("sso_role_name");
    let mut region = profile.get("sso_region");
    let mut start_url = profile.get("sso_start_url");
    let session_name = profile.get("sso_session");
    if [account_id, role_name, region, start_url, session_name]
        .iter()
        .all(Option::is_none)
    {
        return None;
    }
    Some(resolve_config(
        set,
        profile,
        session_name,
        account_id,
        role_name,
        &mut region,
        &mut start_url,
    ))
}

fn resolve_config<'a>(
    set: &'a ProfileSet,
    profile: &Section,
    session_name: Option<&str>,
    account_id: Option<&str>,
    role_name: Option<&str>,
    region: &mut Option<&'a str>,
    start_url: &mut Option<&'a str>,
) -> Result<SsoConfig, String> {
    let name = profile.name();
    if let Some(session) = session_name {
        for (key, value) in [("sso_start_url", *start_url), ("sso_region", *region)] {
            if value.is_some() {
                return Err(format!(
                    "profile `{name}`: `{key}` can only be specified in the [sso-session] config \
                     when a session name is given"
                ));
            }
        }
        let section = set.sso_session(session).ok_or_else(|| {
            format!("sso-session named `{session}` (referenced by profile `{name}`) was not found")
        })?;
        *start_url = section.get("sso_start_url");
        *region = section.get("sso_region");
    }
    match (account_id, role_name) {
        (Some(_), None) => {
            return Err(format!(
            "profile `{name}`: if `sso_account_id` is set, then `sso_role_name` must also be set"
        ))
        }
        (None, Some(_)) => {
            return Err(format!(
            "profile `{name}`: if `sso_role_name` is set, then `sso_account_id` must also be set"
        ))
        }
        _ => {}
    }
    let where_ = match session_name {
        Some(session) => format!("sso-session `{session}`"),
        None => format!("profile `{name}`"),
    };
    let start_url = start_url.ok_or_else(|| format!("{where_} has no `sso_start_url`"))?;
    let region = region.ok_or_else(|| format!("{where_} has no `sso_region`"))?;
    Ok(SsoConfig {
        session_name: session_name.map(str::to_owned),
        start_url: start_url.to_owned(),
        region: region.to_owned(),
        account_id: account_id.map(str::to_owned),
        role_name: role_name.map(str::to_owned),
    })
}

/// The cached token for `config`, checked to be unexpired.
pub(crate) fn load_token(
    ctx: &SourceContext,
    config: &SsoConfig,
) -> Result<CachedToken, SourceError> {
    let home = home_dir(ctx.env(), Platform::current()).ok_or_else(|| {
        SourceError::failed("the SSO token cache is in the home directory, and HOME is not set")
    })?;
    let key = config.session_name.as_deref().unwrap_or(&config.start_url);
    let path = cache_file(Path::new(&home), key);
    let bytes = ctx.fs().read(&path).map_err(|e| {
        SourceError::failed_with(
            format!(
                "no SSO token for {} (run `aws sso login`): failed to read `{}`",
                config.start_url,
                path.display()
            ),
            e,
        )
    })?;
    let token = parse_cached_token(&bytes).map_err(|e| {
        SourceError::failed(format!(
            "the SSO token cache file `{}` cannot be used: {e}",
            path.display()
        ))
    })?;
    if token.expires_at <= ctx.clock().now() {
        return Err(SourceError::failed(format!(
            "the SSO token for {} expired at {} (run `aws sso login`)",
            config.start_url,
            DateTime::from(token.expires_at)
        )));
    }
    Ok(token)
}

/// Role credentials from the portal's `GetRoleCredentials`, with the cached token.
pub(crate) fn role_credentials<'a>(
    ctx: &'a SourceContext,
    config: &'a SsoConfig,
) -> BoxFuture<'a, Result<Credentials, SourceError>> {
    Box::pin(fetch_role_credentials(ctx, config))
}

async fn fetch_role_credentials(
    ctx: &SourceContext,
    config: &SsoConfig,
) -> Result<Credentials, SourceError> {
    let (Some(account_id), Some(role_name)) = (&config.account_id, &config.role_name) else {
        return Err(SourceError::failed(
            "the profile names an SSO session but no `sso_account_id` and `sso_role_name`, so \
             it gives a bearer token but no credentials",
        ));
    };
    let token = load_token(ctx, config)?;
    let mut bearer = HeaderValue::from_str(&token.access_token).map_err(|_| {
        SourceError::failed("the cached SSO token holds characters not allowed in an HTTP header")
    })?;
    bearer.set_sensitive(true);
    let endpoint = endpoints::resolve(ctx, endpoints::SSO, &config.region)?;
    let uri = format!(
        "{}/federation/credentials?{}",
        endpoint.base,
        super::form::encode(&[("account_id", account_id), ("role_name", role_name)])
    );
    let host = HeaderValue::from_str(&endpoint.host)
        .map_err(|_| SourceError::failed("the SSO endpoint's host is not a valid header"))?;
    let headers = vec![("host", host), ("x-amz-sso_bearer_token", bearer)];
    let request = exchange::request(http::Method::GET, &uri, headers, bytes::Bytes::new())?;
    let response = exchange::send(ctx, POLICY, request)
        .await
        .map_err(|e| SourceError::failed_with("SSO GetRoleCredentials: no answer", e))?;
    if !response.status().is_success() {
        return Err(SourceError::failed(error_message(&response)));
    }
    parse_role_credentials(response.body(), account_id)
        .map_err(|e| SourceError::failed(format!("SSO GetRoleCredentials: {e}")))
}

/// `Code: message` of a portal error (restJson: the code in `x-amzn-errortype` or `__type`).
fn error_message(response: &crate::http_client::HttpResponse) -> String {
    let status = response.status().as_u16();
    let body = JsonObject::parse(response.body()).ok();
    let text = |name: &str| body.as_ref().and_then(|b| b.string(name).ok().flatten());
    let kind = text("__type");
    let message = text("message").or_else(|| text("Message"));
    let header = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok());
    // `UnauthorizedException:http://internal.amazon.com/...`, `com.amazon#UnauthorizedException`.
    let code = header.or(kind.as_deref()).map(|c| {
        let c = c.split(':').next().unwrap_or(c);
        c.rsplit('#').next().unwrap_or(c).to_owned()
    });
    match (code, message) {
        (Some(code), message) => format!(
            "SSO GetRoleCredentials failed: {code}: {} (HTTP {status})",
            message.as_deref().unwrap_or("(no message)")
        ),
        (None, _) => format!(
            "SSO GetRoleCredentials failed with HTTP {status}: {}",
            exchange::excerpt(response.body())
        ),
    }
}

/// The cache file for `key` (a session name or a start URL) under the home directory.
pub(crate) fn cache_file(home: &Path, key: &str) -> PathBuf {
    let hash = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut name = String::with_capacity(45);
    for b in hash.as_ref() {
        name.push(char::from(HEX[usize::from(b >> 4)]));
        name.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    name.push_str(".json");
    home.join(".aws").join("sso").join("cache").join(name)
}

/// A cached SSO access token.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CachedToken {
    pub(crate) access_token: String,
    pub(crate) expires_at: SystemTime,
    pub(crate) start_url: Option<String>,
    pub(crate) region: Option<String>,
}

impl fmt::Debug for CachedToken {
    // Written out by hand: the access token must never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("access_token", &"** redacted **")
            .field("expires_at", &DateTime::from(self.expires_at).to_string())
            .field("start_url", &self.start_url)
            .field("region", &self.region)
            .finish()
    }
}

/// A cache file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenFileError {
    pub(crate) reason: String,
}

impl fmt::Display for TokenFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for TokenFileError {}

/// Reads a cache file's JSON (`accessToken`, `expiresAt`; `startUrl` and `region` if present).
pub(crate) fn parse_cached_token(json: &[u8]) -> Result<CachedToken, TokenFileError> {
    let error = |reason: String| TokenFileError { reason };
    let file = JsonObject::parse(json).map_err(|e| error(format!("not valid: {e}")))?;
    let field = |name: &str| {
        file.string(name)
            .map_err(|e| error(format!("not valid: {e}")))
    };
    let access_token =
        field("accessToken")?.ok_or_else(|| error("`accessToken` is missing".to_owned()))?;
    let expires_at =
        field("expiresAt")?.ok_or_else(|| error("`expiresAt` is missing".to_owned()))?;
    let expires_at = DateTime::from_rfc3339(&expires_at)
        .ok()
        .and_then(|t| t.to_system_time())
        .ok_or_else(|| {
            error(format!(
                "`expiresAt` `{expires_at}` is not an RFC 3339 time"
            ))
        })?;
    Ok(CachedToken {
        access_token,
        expires_at,
        start_url: field("startUrl")?,
        region: field("region")?,
    })
}

/// Role credentials from the portal's answer: `{"roleCredentials": {"accessKeyId": ..,
/// "secretAccessKey": .., "sessionToken": .., "expiration": <epoch milliseconds>}}`.
pub(crate) fn parse_role_credentials(
    json: &[u8],
    account_id: &str,
) -> Result<Credentials, TokenFileError> {
    let error = |reason: &str| TokenFileError {
        reason: format!("the SSO portal's answer {reason}"),
    };
    let answer = JsonObject::parse(json).map_err(|e| error(&format!("is {e}")))?;
    let creds = answer
        .object("roleCredentials")
        .map_err(|e| error(&format!("is invalid: {e}")))?
        .ok_or_else(|| error("has no `roleCredentials`"))?;
    let field = |name: &str| {
        creds
            .string(name)
            .map_err(|e| error(&format!("is invalid: {e}")))
    };
    let (Some(access_key_id), Some(secret_access_key)) =
        (field("accessKeyId")?, field("secretAccessKey")?)
    else {
        return Err(error("lacks the access key id or secret"));
    };
    let expiration = creds
        .get("expiration")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| error("has no `expiration` in epoch milliseconds"))?;
    let expiry = DateTime::from_secs_and_nanos(
        expiration.div_euclid(1000),
        (expiration.rem_euclid(1000) * 1_000_000) as u32,
    )
    .to_system_time()
    .ok_or_else(|| error("has an `expiration` out of range"))?;
    let mut builder = Credentials::builder()
        .access_key_id(access_key_id)
        .secret_access_key(secret_access_key)
        .expiry(expiry)
        .account_id(account_id)
        .provider_name("SSO");
    builder.set_session_token(field("sessionToken")?);
    Ok(builder.build())
}

/// A bearer token of IAM Identity Center (SSO), as `aws sso login` cached it.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoToken {
    token: String,
    expiration: SystemTime,
}

impl SsoToken {
    /// The token itself (a secret).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When it expires.
    pub fn expiration(&self) -> SystemTime {
        self.expiration
    }
}

impl fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoToken")
            .field("token", &"** redacted **")
            .field("expiration", &DateTime::from(self.expiration).to_string())
            .finish()
    }
}

/// The SSO bearer token of the selected profile (its `sso_session`, or the legacy
/// `sso_start_url`), from the token cache; skipped when the profile has no SSO settings.
pub fn sso_token(ctx: &SourceContext) -> Result<SsoToken, SourceError> {
    let set = ctx.profiles()?;
    let profile = set.selected().ok_or_else(|| {
        SourceError::skipped(format!("profile `{}` is not defined", set.selected_name()))
    })?;
    let config = match config_from_profile(set, profile) {
        None => {
            return Err(SourceError::skipped(format!(
                "profile `{}` has no SSO settings",
                profile.name()
            )))
        }
        Some(config) => config.map_err(SourceError::failed)?,
    };
    let token = load_token(ctx, &config)?;
    Ok(SsoToken {
        token: token.access_token,
        expiration: token.expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn cache_file_is_the_sha1_of_the_key() {
        assert_eq!(
            cache_file(Path::new("/home"), "https://ssotest.awsapps.com/start"),
            Path::new("/home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json")
        );
        assert_eq!(
            cache_file(Path::new("/h"), "correct-sso"),
            Path::new("/h/.aws/sso/cache/29faa2f70ab0f58f60e284d585d95865572f5cbd.json")
        );
    }

    #[test]
    fn parses_a_cached_token_and_hides_it() {
        let token = parse_cached_token(
            br#"{"accessToken": "a-token", "expiresAt": "2080-10-16T03:56:45Z",
                 "startUrl": "https://ssotest.awsapps.com/start", "region": "us-east-2",
                 "refreshToken": "r", "clientId": "c"}"#,
        )
        .unwrap();
        assert_eq!(token.access_token, "a-token");
        assert_eq!(
            token.expires_at,
            UNIX_EPOCH + Duration::from_secs(3_496_276_605)
        );
        assert_eq!(token.region.as_deref(), Some("us-east-2"));
        let shown = format!("{token:?}");
        assert!(!shown.contains("a-token"), "{shown}");
        assert!(shown.contains("2080-10-16T03:56:45Z"), "{shown}");
    }

    #[test]
    fn unusable_cache_files_say_why() {
        for (json, expected) in [
            (&b"{"[..], "not valid: invalid JSON"),
            (
                br#"{"expiresAt": "2080-10-16T03:56:45Z"}"#,
                "`accessToken` is missing",
            ),
            (br#"{"accessToken": "t"}"#, "`expiresAt` is missing"),
            (
                br#"{"accessToken": "t", "expiresAt": "soon"}"#,
                "`soon` is not",
            ),
        ] {
            let error = parse_cached_token(json).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn parses_role_credentials() {
        let creds = parse_role_credentials(
            br#"{"roleCredentials":{"accessKeyId":"ASIARCORRECT","secretAccessKey":"s",
                 "sessionToken":"t","expiration":1234567890000}}"#,
            "123456789",
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIARCORRECT");
        assert_eq!(creds.session_token(), Some("t"));
        assert_eq!(creds.account_id().unwrap().as_str(), "123456789");
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_234_567_890))
        );
        assert!(parse_role_credentials(br#"{"roleCredentials":{}}"#, "1").is_err());
        assert!(parse_role_credentials(b"[]", "1").is_err());
    }
}
