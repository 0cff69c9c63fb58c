//! IAM Identity Center (SSO): the token cache the AWS CLI writes, and the portal's
//! `GetRoleCredentials`.
//!
//! `aws sso login` caches the access token in `~/.aws/sso/cache/<sha1>.json`, where `<sha1>` is
//! the lowercase hex SHA-1 of the `sso_session` name (for a profile naming an `[sso-session]`),
//! or of the `sso_start_url` (for the legacy profile keys).

use crate::datetime::DateTime;
use ring::digest;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The cache file for `key` (a session name or a start URL) under the home directory.
pub(crate) fn cache_file(home: &Path, key: &str) -> PathBuf {
    let hash = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    let mut name = String::with_capacity(45);
    for b in hash.as_ref() {
        name.push_str(&format!("{b:02x}"));
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

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenFile {
    access_token: Option<String>,
    expires_at: Option<String>,
    start_url: Option<String>,
    region: Option<String>,
}

/// Reads a cache file's JSON (`accessToken`, `expiresAt`; `startUrl` and `region` if present).
pub(crate) fn parse_cached_token(json: &[u8]) -> Result<CachedToken, TokenFileError> {
    let error = |reason: String| TokenFileError { reason };
    let file: TokenFile = serde_json::from_slice(json)
        .map_err(|e| error(format!("not valid JSON: {}", super::json_error_summary(&e))))?;
    let access_token = file
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| error("`accessToken` is missing".to_owned()))?;
    let expires_at = file
        .expires_at
        .ok_or_else(|| error("`expiresAt` is missing".to_owned()))?;
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
        start_url: file.start_url,
        region: file.region,
    })
}

/// The portal's host for `region`: `portal.sso[-fips].{region}.{amazonaws.com | api.aws}` and
/// the other partitions' suffixes, following the SSO service's endpoint rules.
pub(crate) fn portal_host(region: &str, fips: bool, dual_stack: bool) -> String {
    super::endpoints::regional_host("portal.sso", region, fips, dual_stack)
}

/// Role credentials from the portal's answer: `{"roleCredentials": {"accessKeyId": ..,
/// "secretAccessKey": .., "sessionToken": .., "expiration": <epoch milliseconds>}}`.
pub(crate) fn parse_role_credentials(
    json: &[u8],
    account_id: &str,
) -> Result<aws_credential_types::Credentials, TokenFileError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        role_credentials: Option<RoleCredentials>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RoleCredentials {
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
        session_token: Option<String>,
        expiration: Option<i64>,
    }
    let error = |reason: &str| TokenFileError {
        reason: format!("the SSO portal's answer {reason}"),
    };
    let answer: Answer = serde_json::from_slice(json).map_err(|_| error("is not valid JSON"))?;
    let creds = answer
        .role_credentials
        .ok_or_else(|| error("has no `roleCredentials`"))?;
    let (Some(access_key_id), Some(secret_access_key)) =
        (creds.access_key_id, creds.secret_access_key)
    else {
        return Err(error("lacks the access key id or secret"));
    };
    let expiration = creds
        .expiration
        .ok_or_else(|| error("has no `expiration`"))?;
    let expiry = DateTime::from_secs_and_nanos(
        expiration.div_euclid(1000),
        (expiration.rem_euclid(1000) * 1_000_000) as u32,
    )
    .to_system_time()
    .ok_or_else(|| error("has an `expiration` out of range"))?;
    let mut builder = aws_credential_types::Credentials::builder()
        .access_key_id(access_key_id)
        .secret_access_key(secret_access_key)
        .expiry(expiry)
        .account_id(account_id)
        .provider_name("SSO");
    builder.set_session_token(creds.session_token);
    Ok(builder.build())
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
            (&b"{"[..], "not valid JSON"),
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

    #[test]
    fn portal_hosts() {
        assert_eq!(
            portal_host("us-east-2", false, false),
            "portal.sso.us-east-2.amazonaws.com"
        );
        assert_eq!(
            portal_host("us-east-2", true, true),
            "portal.sso-fips.us-east-2.api.aws"
        );
    }
}
