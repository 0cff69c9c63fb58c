//! The seam to the network: one HTTP exchange, whole request in, whole response out.
//!
//! [`ServiceClient`](crate::ServiceClient) and the credential sources send every request
//! through an [`HttpClient`]. The default is the pooled hyper client (HTTP/1.1, rustls);
//! [`ConfigBuilder::http_client`](crate::ConfigBuilder::http_client) injects another, for example
//! one that replays recorded traffic in tests (`test_util`, feature `test-util`).

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// A request with its whole body.
pub type HttpRequest = http::Request<Bytes>;

/// A response with its whole body.
pub type HttpResponse = http::Response<Bytes>;

/// What [`HttpClient::send`] returns.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'a>>;

/// Sends one HTTP request and reads the whole response.
///
/// Implementations must not retry, sign, or look at the status: that is the caller's job. Any
/// status (including 4xx and 5xx) is `Ok`.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request` (its URI is absolute: scheme, host, path and query).
    fn send(&self, request: HttpRequest) -> HttpFuture<'_>;
}

/// An [`HttpClient`] behind an `Arc`: cheap to clone, shared by a client and its credential
/// sources.
#[derive(Clone, Debug)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Wraps `client`.
    pub fn new(client: impl HttpClient + 'static) -> Self {
        SharedHttpClient(Arc::new(client))
    }

    /// Wraps an already shared client.
    pub fn from_arc(client: Arc<dyn HttpClient>) -> Self {
        SharedHttpClient(client)
    }
}

impl HttpClient for SharedHttpClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.0.send(request)
    }
}

/// Which timeout of the HTTP client fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpTimeout {
    /// No connection was established in time.
    Connect,
    /// The response (head or body) did not arrive in time.
    Read,
}

/// Why an exchange failed. The three cases matter for retries: before any response the request
/// may simply be sent again; after the response head the server has acted on it.
#[derive(Debug)]
#[non_exhaustive]
pub enum HttpError {
    /// Failed before any response arrived: connecting (refused, DNS, TLS), sending, or the
    /// connection closed before the status line. Safe to retry as far as the network goes.
    BeforeResponse {
        /// What was being done: "connecting", "sending the request".
        context: &'static str,
        /// The underlying error.
        source: BoxError,
    },
    /// A timeout of the HTTP client fired.
    TimedOut {
        /// Which one.
        which: HttpTimeout,
        /// The configured limit.
        after: Duration,
    },
    /// The status line and headers arrived, then reading the body failed (reset, truncated,
    /// too large). The server has seen the request.
    AfterResponseHead {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The underlying error.
        source: BoxError,
    },
}

impl HttpError {
    /// Failed before any response arrived.
    pub fn before_response(context: &'static str, source: impl Into<BoxError>) -> Self {
        HttpError::BeforeResponse {
            context,
            source: source.into(),
        }
    }

    /// A timeout fired.
    pub fn timed_out(which: HttpTimeout, after: Duration) -> Self {
        HttpError::TimedOut { which, after }
    }

    /// Failed after the response head arrived.
    pub fn after_response_head(
        status: StatusCode,
        headers: HeaderMap,
        source: impl Into<BoxError>,
    ) -> Self {
        HttpError::AfterResponseHead {
            status,
            headers,
            source: source.into(),
        }
    }

    /// The response status, if the head arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            HttpError::AfterResponseHead { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response headers, if the head arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            HttpError::AfterResponseHead { headers, .. } => Some(headers),
            _ => None,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::BeforeResponse { context, source } => {
                write!(f, "{context}: {source}")?;
                write_chain(f, source.source())
            }
            HttpError::TimedOut {
                which: HttpTimeout::Connect,
                after,
            } => write!(f, "no connection within {after:?}"),
            HttpError::TimedOut {
                which: HttpTimeout::Read,
                after,
            } => write!(f, "no complete response within {after:?}"),
            HttpError::AfterResponseHead { status, source, .. } => {
                write!(
                    f,
                    "reading the body of an HTTP {} response: {source}",
                    status.as_u16()
                )?;
                write_chain(f, source.source())
            }
        }
    }
}

fn write_chain(
    f: &mut fmt::Formatter<'_>,
    mut next: Option<&(dyn Error + 'static)>,
) -> fmt::Result {
    while let Some(e) = next {
        write!(f, ": {e}")?;
        next = e.source();
    }
    Ok(())
}

// No `source()`: `Display` already prints the chain, and a reporter would print it twice.
impl Error for HttpError {}

/// A shared client, so a test can keep a handle (to check a replay, say) while the
/// configuration holds a clone.
impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        (**self).send(request)
    }
}
