//! The two STS calls the credential sources need, on this runtime: `AssumeRole` (signed with
//! SigV4 by the source credentials) and `AssumeRoleWithWebIdentity` (not signed: the web identity
//! token is the proof).
//!
//! STS speaks awsQuery: a form-encoded POST to `/`, an XML answer, XML errors
//! (`<ErrorResponse><Error><Code>`, `<Message>`), which surface as `Code: Message`.
//!
//! The endpoint is a configured one (`AWS_ENDPOINT_URL_STS`, ...), else the regional endpoint
//! (`https://sts.{region}.amazonaws.com`), the region being the client's,
//! else `us-east-1`.

use super::endpoints;
use super::exchange::{self, BoxFuture, Policy};
use super::{form, xml};
use super::{SourceContext, SourceError};
use crate::datetime::DateTime;
use crate::http_client::HttpRequest;
use crate::signing;
use aws_credential_types::Credentials;
use bytes::Bytes;
use std::time::Duration;

const VERSION: &str = "2011-06-15";
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The region STS is called in when the client has none (as the AWS SDKs do).
const DEFAULT_REGION: &str = "us-east-1";

const POLICY: Policy = Policy {
    attempts: 3,
    attempt_timeout: Duration::from_secs(30),
    initial_backoff: Duration::from_millis(200),
    retry_unanswered: true,
};

/// What to assume.
#[derive(Clone, Debug)]
pub(crate) struct RoleRequest<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) session_name: &'a str,
    pub(crate) external_id: Option<&'a str>,
    pub(crate) duration_seconds: Option<&'a str>,
}

/// `AssumeRole`, signed with `source` credentials.
pub(crate) async fn assume_role(
    ctx: &SourceContext,
    source: &Credentials,
    role: &RoleRequest<'_>,
) -> Result<Credentials, SourceError> {
    let mut fields = vec![
        ("Action", "AssumeRole"),
        ("Version", VERSION),
        ("RoleArn", role.role_arn),
        ("RoleSessionName", role.session_name),
    ];
    if let Some(external_id) = role.external_id {
        fields.push(("ExternalId", external_id));
    }
    if let Some(duration) = role.duration_seconds {
        fields.push(("DurationSeconds", duration));
    }
    call(ctx, "AssumeRole", form::encode(&fields), Some(source)).await
}

/// `AssumeRoleWithWebIdentity` with `token` (a JWT), unsigned.
pub(crate) async fn assume_role_with_web_identity(
    ctx: &SourceContext,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, SourceError> {
    let body = form::encode(&[
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", VERSION),
        ("RoleArn", role_arn),
        ("RoleSessionName", session_name),
        ("WebIdentityToken", token),
    ]);
    call(ctx, "AssumeRoleWithWebIdentity", body, None).await
}

/// A session name from the clock, as the AWS SDKs make them: `{prefix}-{epoch milliseconds}`.
pub(crate) fn session_name(ctx: &SourceContext, prefix: &str) -> String {
    let now = DateTime::from(ctx.clock().now());
    let millis = now.secs() * 1000 + i64::from(now.subsec_nanos() / 1_000_000);
    format!("{prefix}-{millis}")
}

fn call<'a>(
    ctx: &'a SourceContext,
    action: &'static str,
    body: String,
    signer: Option<&'a Credentials>,
) -> BoxFuture<'a, Result<Credentials, SourceError>> {
    Box::pin(call_inner(ctx, action, body, signer))
}

async fn call_inner(
    ctx: &SourceContext,
    action: &'static str,
    body: String,
    signer: Option<&Credentials>,
) -> Result<Credentials, SourceError> {
    let target = Target::resolve(ctx)?;
    let request = build_request(ctx, &target, Bytes::from(body), signer)?;
    let response = exchange::send(ctx, POLICY, request)
        .await
        .map_err(|e| SourceError::failed_with(format!("STS {action}: no answer"), e))?;
    let status = response.status();
    let text = String::from_utf8_lossy(response.body());
    if !status.is_success() {
        return Err(SourceError::failed(error_message(
            action,
            status.as_u16(),
            &text,
        )));
    }
    parse_credentials(action, &text)
        .map_err(|why| SourceError::failed(format!("STS {action}: {why}")))
}

/// Where STS calls go, and the region they are signed for.
struct Target {
    uri: String,
    host: String,
    region: String,
}

impl Target {
    fn resolve(ctx: &SourceContext) -> Result<Self, SourceError> {
        let region = ctx
            .region()
            .map_or(DEFAULT_REGION, |r| r.as_str())
            .to_owned();
        let endpoint = endpoints::resolve(ctx, endpoints::STS, &region)?;
        Ok(Target {
            uri: format!("{}/", endpoint.base),
            host: endpoint.host,
            region,
        })
    }
}

fn build_request(
    ctx: &SourceContext,
    target: &Target,
    body: Bytes,
    signer: Option<&Credentials>,
) -> Result<HttpRequest, SourceError> {
    let host = http::HeaderValue::from_str(&target.host)
        .map_err(|_| SourceError::failed("the STS endpoint's host is not a valid header"))?;
    let mut headers = vec![
        (
            "content-type",
            http::HeaderValue::from_static(FORM_CONTENT_TYPE),
        ),
        ("host", host),
    ];
    if let Some(credentials) = signer {
        headers.extend(sign(ctx, target, &body, credentials)?);
    }
    exchange::request(http::Method::POST, &target.uri, headers, body)
}

/// The SigV4 headers (`x-amz-date`, `authorization`, `x-amz-security-token`) for an STS POST,
/// from the runtime's signer.
fn sign(
    ctx: &SourceContext,
    target: &Target,
    body: &[u8],
    credentials: &Credentials,
) -> Result<Vec<(&'static str, http::HeaderValue)>, SourceError> {
    let headers = [
        ("content-type", FORM_CONTENT_TYPE),
        ("host", target.host.as_str()),
    ];
    let signed = signing::sign_request(
        &target.region,
        "sts",
        credentials,
        ctx.clock().now(),
        &target.uri,
        &headers,
        body,
    )
    .map_err(|e| SourceError::failed_with("cannot sign the STS request", e))?;
    let mut out = vec![
        ("x-amz-date", signed.x_amz_date),
        ("authorization", signed.authorization),
    ];
    out.extend(signed.security_token.map(|t| ("x-amz-security-token", t)));
    Ok(out)
}

/// `Code: Message` of an STS error answer, or the status and an excerpt when it is not one.
fn error_message(action: &str, status: u16, body: &str) -> String {
    if let Ok(root) = xml::parse(body) {
        let error = root.child("Error").unwrap_or(&root);
        if let Some(code) = error.text_at(&["Code"]) {
            let message = error.text_at(&["Message"]).unwrap_or("(no message)");
            return format!("STS {action} failed: {code}: {message} (HTTP {status})");
        }
    }
    format!(
        "STS {action} failed with HTTP {status}: {}",
        exchange::excerpt(body.as_bytes())
    )
}

/// The credentials in a successful answer to `action`.
fn parse_credentials(action: &str, body: &str) -> Result<Credentials, String> {
    let root = xml::parse(body).map_err(|e| format!("the answer is not XML: {e}"))?;
    let result_name = format!("{action}Result");
    let result = root
        .child(&result_name)
        .ok_or_else(|| format!("the answer has no `{result_name}`"))?;
    let field = |name: &str| {
        result
            .text_at(&["Credentials", name])
            .ok_or_else(|| format!("the answer has no `Credentials/{name}`"))
    };
    let expiration = field("Expiration")?;
    let expiry = DateTime::from_rfc3339(expiration)
        .ok()
        .and_then(|t| t.to_system_time())
        .ok_or_else(|| {
            format!("the answer's `Expiration` `{expiration}` is not an RFC 3339 time")
        })?;
    let mut builder = Credentials::builder()
        .access_key_id(field("AccessKeyId")?)
        .secret_access_key(field("SecretAccessKey")?)
        .session_token(field("SessionToken")?)
        .expiry(expiry)
        .provider_name(if action == "AssumeRole" {
            "AssumeRole"
        } else {
            "WebIdentityToken"
        });
    // arn:aws:sts::123456789012:assumed-role/name/session: the account is the fifth field.
    let account = result
        .text_at(&["AssumedRoleUser", "Arn"])
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|account| !account.is_empty());
    builder.set_account_id(account.map(Into::into));
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn parses_an_assume_role_answer() {
        let body = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAR42TAWARILN3MNKUT:s</AssumedRoleId>
      <Arn>arn:aws:sts::130633740322:assumed-role/imds-chained-role-test/s</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIARCORRECT</AccessKeyId>
      <SecretAccessKey>secretkeycorrect</SecretAccessKey>
      <SessionToken>tokencorrect</SessionToken>
      <Expiration>2021-09-21T18:41:26Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;
        let creds = parse_credentials("AssumeRole", body).unwrap();
        assert_eq!(creds.access_key_id(), "ASIARCORRECT");
        assert_eq!(creds.secret_access_key(), "secretkeycorrect");
        assert_eq!(creds.session_token(), Some("tokencorrect"));
        assert_eq!(creds.account_id().unwrap().as_str(), "130633740322");
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_632_249_686))
        );
        let wrong_action = parse_credentials("AssumeRoleWithWebIdentity", body).unwrap_err();
        assert!(
            wrong_action.contains("AssumeRoleWithWebIdentityResult"),
            "{wrong_action}"
        );
    }

    #[test]
    fn errors_surface_code_and_message() {
        let body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    \
                    <Type>Sender</Type>\n    <Code>InvalidIdentityToken</Code>\n    \
                    <Message>No OpenIDConnect provider found in your account for https://x</Message>\n  \
                    </Error>\n  <RequestId>5045ca91</RequestId>\n</ErrorResponse>\n";
        assert_eq!(
            error_message("AssumeRoleWithWebIdentity", 400, body),
            "STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: No OpenIDConnect \
             provider found in your account for https://x (HTTP 400)"
        );
        assert_eq!(
            error_message("AssumeRole", 503, "<html>Service\nUnavailable</html>"),
            "STS AssumeRole failed with HTTP 503: <html>Service Unavailable</html>"
        );
    }
}
