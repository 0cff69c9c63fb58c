//! One HTTP exchange of a credential source, with its timeout and retries.
//!
//! The metadata services (IMDS, the container agent) sit on the local link and answer within
//! milliseconds, or not at all when this is not an EC2 instance or a container: short timeouts
//! keep the default chain from hanging on a laptop. Transient failures (no connection, a
//! timeout, HTTP 5xx) are retried a few times with a short, jittered backoff.

use super::{SourceContext, SourceError};
use crate::http_client::{HttpClient, HttpError, HttpRequest, HttpResponse};
use bytes::Bytes;
use http::HeaderValue;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How one source talks to its endpoint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    /// Attempts in all (1 = no retry).
    pub(crate) attempts: u32,
    /// Limit for one attempt, connecting and reading included.
    pub(crate) attempt_timeout: Duration,
    /// Backoff before the first retry; doubled for each further one.
    pub(crate) initial_backoff: Duration,
    /// Whether an attempt that got no answer at all (refused, timed out) is retried. IMDS
    /// does not: silence there means "not an EC2 instance", and the chain should move on.
    pub(crate) retry_unanswered: bool,
}

/// No response came back: the endpoint is unreachable, or too slow.
#[derive(Debug)]
pub(crate) struct SendError(String);

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SendError {}

/// What the sources' async helpers return: boxed, so that each is compiled once rather than
/// inlined into every caller's state machine (this keeps the binary small).
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request with the given headers and body.
pub(crate) fn request(
    method: http::Method,
    uri: &str,
    headers: Vec<(&'static str, HeaderValue)>,
    body: Bytes,
) -> Result<HttpRequest, SourceError> {
    let parsed = uri
        .parse::<http::Uri>()
        .map_err(|e| SourceError::failed(format!("cannot send a request to `{uri}`: {e}")))?;
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = parsed;
    for (name, value) in headers {
        request
            .headers_mut()
            .append(http::HeaderName::from_static(name), value);
    }
    Ok(request)
}

/// Sends `request`, again per `policy` on failure; the last response is returned whatever its
/// status (a 5xx after the last attempt included).
pub(crate) fn send<'a>(
    ctx: &'a SourceContext,
    policy: Policy,
    request: HttpRequest,
) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
    Box::pin(async move {
        let uri = request.uri().to_string();
        let mut attempt = 1;
        loop {
            let outcome =
                tokio::time::timeout(policy.attempt_timeout, ctx.http().send(copy(&request))).await;
            let retryable = match &outcome {
                Ok(Ok(response)) => response.status().is_server_error(),
                Ok(Err(HttpError::AfterResponseHead { .. })) => true,
                Ok(Err(_)) | Err(_) => policy.retry_unanswered,
            };
            if !retryable || attempt >= policy.attempts {
                return match outcome {
                    Ok(Ok(response)) => Ok(response),
                    Ok(Err(error)) => Err(SendError(format!("{uri}: {error}"))),
                    Err(_) => Err(SendError(format!(
                        "{uri}: no answer within {:?}",
                        policy.attempt_timeout
                    ))),
                };
            }
            let ceiling = policy.initial_backoff * 2u32.saturating_pow(attempt - 1);
            let pause = ceiling.mul_f64(fastrand::f64());
            tracing::debug!(%uri, attempt, ?pause, "retrying a credential source's request");
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    })
}

fn copy(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// A response body as text for an error message: at most 300 characters of it, control
/// characters replaced. Only used for bodies that hold no secret (error answers).
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .trim()
        .chars()
        .take(300)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.trim().chars().count() > 300 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_single_line() {
        assert_eq!(excerpt(b"  a\nb\t \n"), "a b");
        let long = "x".repeat(400);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), 301);
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
