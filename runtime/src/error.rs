//! Every way a call can fail, as types a caller can match on.
//!
//! [`SdkError`] is what an operation returns. Its variants say *where* the failure happened
//! (before any I/O, while loading credentials, on the wire, while reading the answer, or in the
//! service itself); the service case carries the operation's own error type. Each error's
//! `Display` is self-contained: it names what happened and, where known, the error code, message,
//! HTTP status and request id. No error ever shows credentials.

use crate::redact::Escaped;
use std::error::Error;
use std::fmt;
use std::time::Duration;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// What an operation returns when it fails.
///
/// `E` is the operation's service error (a generated enum, or [`ServiceErrorResponse`] at the
/// runtime level). `Display` and [`Error::source`] are those of the wrapped error, so printing an
/// `SdkError` never repeats itself.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input was invalid; caught before any I/O (for example a missing required member).
    Construction(BuildError),
    /// Credentials could not be loaded, or the request could not be signed.
    Credentials(CredentialsError),
    /// The connect, per-attempt or whole-operation timeout fired.
    Timeout(TimeoutError),
    /// The connection failed: refused, reset, TLS, or closed before the response was complete.
    Transport(TransportError),
    /// A response arrived but could not be understood (for example malformed JSON on a 200).
    Response(ResponseError),
    /// The service answered with an error.
    Service(E),
    /// The blocking client was called where it must not block (inside an async runtime).
    Blocking(BlockingError),
}

impl<E> SdkError<E> {
    /// Converts the service error with `f`, keeping every other variant as it is.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Service(e) => SdkError::Service(f(e)),
            SdkError::Blocking(e) => SdkError::Blocking(e),
        }
    }

    /// The service error, if the service answered with one.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error, if the service answered with one.
    pub fn into_service(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => e.fmt(f),
            SdkError::Credentials(e) => e.fmt(f),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Transport(e) => e.fmt(f),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Service(e) => e.fmt(f),
            SdkError::Blocking(e) => e.fmt(f),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    // Transparent: the wrapped error's Display is already printed, so hand on its source.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Construction(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
            SdkError::Timeout(e) => e.source(),
            SdkError::Transport(e) => e.source(),
            SdkError::Response(e) => e.source(),
            SdkError::Service(e) => e.source(),
            SdkError::Blocking(e) => e.source(),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(e: BuildError) -> Self {
        SdkError::Construction(e)
    }
}

/// What the service said about an error: code, message, HTTP status and request id, and for an
/// answer that was not JSON (say a proxy's HTML page) the start of its body.
///
/// `Display` prints, for example,
/// `RepositoryNotFoundException: The repository does not exist (HTTP 400, request id 1234)`,
/// leaving out what is unknown. Control characters the server sent are shown escaped (`\u{1b}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    // A thin box (8 bytes): every `Result` of a call carries this struct, almost always
    // without an excerpt.
    #[allow(clippy::box_collection)]
    body_excerpt: Option<Box<String>>,
}

impl ErrorMetadata {
    /// Creates metadata from its parts.
    pub const fn new(
        code: Option<String>,
        message: Option<String>,
        status: Option<u16>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            code,
            message,
            status,
            request_id,
            body_excerpt: None,
        }
    }

    /// The start of a body that was not JSON (at most a few hundred bytes, whitespace folded),
    /// kept because it is often the only explanation: a proxy's or load balancer's error page.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.body_excerpt.as_deref().map(String::as_str)
    }

    /// Returns the metadata with the excerpt of `body` (see [`ErrorMetadata::body_excerpt`]).
    pub fn with_body_excerpt(mut self, body: &[u8]) -> Self {
        self.body_excerpt = crate::redact::excerpt(body).map(Box::new);
        self
    }

    /// The error code, such as `RepositoryNotFoundException`, without namespace or suffix.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id the service assigned (quote it when contacting AWS support).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Returns the metadata with its message replaced.
    pub fn with_message(mut self, message: Option<String>) -> Self {
        self.message = message;
        self
    }

    /// Returns the metadata with its code replaced.
    pub fn with_code(mut self, code: Option<String>) -> Self {
        self.code = code;
        self
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.as_deref().map(Escaped);
        let message = self.message.as_deref().map(Escaped);
        match (code, &message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => write!(f, "{code}")?,
            (None, Some(message)) => write!(f, "service error without a code: {message}")?,
            (None, None) => f.write_str("service error without a code or message")?,
        }
        write_status_and_request_id(f, self.status, self.request_id.as_deref())?;
        match (&message, &self.body_excerpt) {
            (None, Some(excerpt)) => write!(f, "; the body began: {}", Escaped(excerpt)),
            _ => Ok(()),
        }
    }
}

/// Writes ` (HTTP 400 Bad Request, request id X)`, leaving out what is unknown.
fn write_status_and_request_id(
    f: &mut fmt::Formatter<'_>,
    status: Option<u16>,
    request_id: Option<&str>,
) -> fmt::Result {
    match (status, request_id) {
        (Some(status), Some(id)) => {
            f.write_str(" (")?;
            write_status(f, status)?;
            write!(f, ", request id {})", Escaped(id))
        }
        (Some(status), None) => {
            f.write_str(" (")?;
            write_status(f, status)?;
            f.write_str(")")
        }
        (None, Some(id)) => write!(f, " (request id {})", Escaped(id)),
        (None, None) => Ok(()),
    }
}

fn write_status(f: &mut fmt::Formatter<'_>, status: u16) -> fmt::Result {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => write!(f, "HTTP {status} {reason}"),
        None => write!(f, "HTTP {status}"),
    }
}

/// A non-2xx response, with its metadata already parsed by the awsJson rules.
///
/// Generated code turns this into the operation's error type, reading modeled error members
/// from `body` when the code names a modeled exception.
#[derive(Clone, Debug)]
pub struct ServiceErrorResponse {
    /// Code, message, status and request id.
    pub meta: ErrorMetadata,
    /// The raw response body (JSON, or whatever the service or a proxy sent).
    pub body: bytes::Bytes,
}

impl ServiceErrorResponse {
    /// The parsed metadata.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Display for ServiceErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.meta.fmt(f)
    }
}

impl Error for ServiceErrorResponse {}

/// An invalid operation input, found before anything was sent.
///
/// `Display`: ``DeleteRepositoryInput: required member `repositoryName` is not set``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
    reason: Option<String>,
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        Self {
            shape,
            member,
            reason: None,
        }
    }

    /// A member was set to a value that cannot be sent.
    pub fn invalid(shape: &'static str, member: &'static str, reason: impl Into<String>) -> Self {
        Self {
            shape,
            member,
            reason: Some(reason.into()),
        }
    }

    /// The input shape's name, such as `DeleteRepositoryInput`.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The member's wire name, such as `repositoryName`.
    pub fn member(&self) -> &'static str {
        self.member
    }

    /// True when the problem is a missing required member.
    pub fn is_missing(&self) -> bool {
        self.reason.is_none()
    }

    /// Why the value is invalid; `None` for a missing member.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            None => write!(
                f,
                "{}: required member `{}` is not set",
                self.shape, self.member
            ),
            Some(reason) => write!(
                f,
                "{}: member `{}` is invalid: {reason}",
                self.shape, self.member
            ),
        }
    }
}

impl Error for BuildError {}

/// A response that arrived but could not be understood.
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    reason: String,
    source: Option<BoxError>,
}

impl ResponseError {
    /// Creates an error for a response with `status` that could not be understood, and why.
    pub fn new(status: u16, request_id: Option<String>, reason: impl Into<String>) -> Self {
        Self {
            status,
            request_id,
            reason: reason.into(),
            source: None,
        }
    }

    /// Attaches the underlying error (for example the JSON parser's).
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Why the response could not be understood.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not understand the response: {}", self.reason)?;
        write_status_and_request_id(f, Some(self.status), self.request_id.as_deref())
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// The blocking client was called from inside an async runtime, where blocking the thread
/// would stall every task on it (and tokio panics). Nothing was sent.
#[derive(Debug)]
pub struct BlockingError {
    client: &'static str,
}

impl BlockingError {
    /// `client` names the blocking client, such as `aws_thin_ecr::blocking::Client`.
    pub fn inside_async_runtime(client: &'static str) -> Self {
        Self { client }
    }
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} was called from inside an async runtime, where it must not block; nothing \
             was sent. Use the async client there, or call it from `tokio::task::spawn_blocking`",
            self.client
        )
    }
}

impl Error for BlockingError {}

/// Which timeout fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection (TCP, and TLS for https) took too long.
    Connect,
    /// One attempt (send the request, read the whole response) took too long.
    Attempt,
    /// The whole operation, including retries and the pauses between them, took too long.
    Operation,
}

/// A configured timeout fired.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    after: Duration,
}

impl TimeoutError {
    /// Creates a timeout error of `kind` that fired after `after`.
    pub fn new(kind: TimeoutKind, after: Duration) -> Self {
        Self { kind, after }
    }

    /// Which timeout fired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured duration that elapsed.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = self.after;
        match self.kind {
            TimeoutKind::Connect => write!(
                f,
                "timed out connecting: no connection within the connect timeout of {after:?}"
            ),
            TimeoutKind::Attempt => write!(
                f,
                "timed out: no complete response within the per-attempt timeout of {after:?}"
            ),
            TimeoutKind::Operation => write!(
                f,
                "timed out: the operation did not finish within the operation timeout of {after:?}"
            ),
        }
    }
}

impl Error for TimeoutError {}

/// The connection failed: refused, reset, TLS, DNS, or closed before the response was complete.
#[derive(Debug)]
pub struct TransportError {
    context: &'static str,
    source: BoxError,
    status: Option<u16>,
    request_id: Option<String>,
}

impl TransportError {
    /// Wraps `source`; `context` says what was being done, e.g. "sending the request".
    pub fn new(context: &'static str, source: impl Into<BoxError>) -> Self {
        Self {
            context,
            source: source.into(),
            status: None,
            request_id: None,
        }
    }

    /// Records the status and request id of a response whose body could not be read.
    pub fn with_response(mut self, status: u16, request_id: Option<String>) -> Self {
        self.status = Some(status);
        self.request_id = request_id;
        self
    }

    /// What was being done when the connection failed.
    pub fn context(&self) -> &'static str {
        self.context
    }

    /// The response status, when the failure came after the response headers.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id, when the failure came after response headers that carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The underlying error (hyper's, io's, ...), for downcasting. Not returned from
    /// [`Error::source`] because `Display` already prints it.
    pub fn cause(&self) -> &(dyn Error + Send + Sync + 'static) {
        &*self.source
    }
}

impl fmt::Display for TransportError {
    // The underlying errors (hyper's, then io's) each add a few words; print them all so that a
    // plain `{}` already says "connection refused" and not only "client error".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error {}: {}", self.context, self.source)?;
        let mut next = self.source.source();
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        write_status_and_request_id(f, self.status, self.request_id.as_deref())
    }
}

// No `source()`: `Display` already prints the whole chain, and an error reporter (anyhow's
// `{:#}`, eyre) would print it twice. The cause is still reachable through `cause()`.
impl Error for TransportError {}

/// Credentials could not be loaded from the configured provider, or the request not signed.
#[derive(Debug)]
pub struct CredentialsError {
    reason: &'static str,
    source: Option<BoxError>,
}

impl CredentialsError {
    /// The credentials provider failed.
    pub fn provider(source: impl Into<BoxError>) -> Self {
        Self {
            reason: "could not load credentials from the configured provider",
            source: Some(source.into()),
        }
    }

    /// The credential chain gave no credentials; `source` says which sources were tried and why
    /// each was skipped or failed.
    pub fn chain(source: impl Into<BoxError>) -> Self {
        Self {
            reason: "could not load AWS credentials",
            source: Some(source.into()),
        }
    }

    /// The request could not be signed with the loaded credentials.
    pub fn signing(source: impl Into<BoxError>) -> Self {
        Self {
            reason: "could not sign the request",
            source: Some(source.into()),
        }
    }

    /// Any other credentials problem, described by `reason`.
    pub fn other(reason: &'static str) -> Self {
        Self {
            reason,
            source: None,
        }
    }

    /// The provider's or signer's error, for downcasting. Not returned from
    /// [`Error::source`] because `Display` already prints it.
    pub fn cause(&self) -> Option<&(dyn Error + Send + Sync + 'static)> {
        self.source.as_deref()
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)?;
        let mut next = self.source.as_deref().map(|e| e as &(dyn Error + 'static));
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        Ok(())
    }
}

// No `source()`: `Display` already prints the whole chain (see `TransportError`).
impl Error for CredentialsError {}

/// The configuration cannot produce a working client.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was configured; `looked_at` lists every place searched.
    MissingRegion {
        /// Where the region was looked for, in order.
        looked_at: String,
    },
    /// The region is not a valid DNS label sequence (it becomes part of the host name).
    InvalidRegion {
        /// The rejected region (its start only, when it is long).
        region: String,
    },
    /// No credentials were configured; `looked_at` lists every place searched.
    MissingCredentials {
        /// Where credentials were looked for, in order.
        looked_at: String,
    },
    /// Credentials were found but are incomplete or unusable.
    InvalidCredentials {
        /// What is wrong (never the secret itself).
        reason: String,
    },
    /// The endpoint URL cannot be used.
    InvalidEndpoint {
        /// The rejected URL, with any user information (`user:password@`) redacted.
        url: String,
        /// Why.
        reason: String,
    },
    /// A shared config or credentials file could not be read or parsed.
    Profile {
        /// The file.
        path: std::path::PathBuf,
        /// The 1-based line, when the problem is on one line.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// TLS could not be set up for an https endpoint (for example: no root certificates).
    Tls {
        /// What is wrong.
        reason: String,
    },
    /// The service's endpoint rules gave no endpoint for this configuration. For an error rule
    /// (such as FIPS with a custom endpoint, or FIPS in a partition without it) `message` is the
    /// rule's message as the model words it.
    EndpointResolution {
        /// Why no endpoint was resolved.
        message: String,
    },
    /// The blocking client could not start its async runtime.
    AsyncRuntime {
        /// Why (the I/O error).
        reason: String,
    },
    /// A setting has a value that cannot be used.
    InvalidSetting {
        /// The setting and where it was read: `AWS_USE_FIPS_ENDPOINT`, or `use_fips_endpoint`
        /// with the profile and file it is in.
        setting: String,
        /// The rejected value.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingRegion { looked_at } => {
                write!(f, "no AWS region configured; looked at {looked_at}")
            }
            ConfigError::InvalidRegion { region } => write!(
                f,
                "invalid AWS region {region:?}: expected at most 63 letters, digits, '-' and '.', \
                 with no empty label and no label starting or ending with '-'"
            ),
            ConfigError::MissingCredentials { looked_at } => {
                write!(f, "no AWS credentials configured; looked at {looked_at}")
            }
            ConfigError::InvalidCredentials { reason } => {
                write!(f, "unusable AWS credentials: {reason}")
            }
            ConfigError::InvalidEndpoint { url, reason } => {
                let url = crate::redact::url(url);
                let url = crate::redact::shorten(&url, 200);
                write!(f, "invalid endpoint URL {url:?}: {reason}")
            }
            ConfigError::Profile { path, line, reason } => match line {
                Some(line) => write!(f, "{}, line {line}: {reason}", path.display()),
                None => write!(f, "{}: {reason}", path.display()),
            },
            ConfigError::Tls { reason } => write!(f, "cannot set up TLS: {reason}"),
            ConfigError::EndpointResolution { message } => {
                write!(f, "cannot resolve the endpoint: {message}")
            }
            ConfigError::AsyncRuntime { reason } => {
                write!(
                    f,
                    "cannot start the blocking client's async runtime: {reason}"
                )
            }
            ConfigError::InvalidSetting {
                setting,
                value,
                expected,
            } => write!(
                f,
                "invalid value {value:?} for {setting}: expected {expected}"
            ),
        }
    }
}

impl Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(
        code: Option<&str>,
        message: Option<&str>,
        status: Option<u16>,
        id: Option<&str>,
    ) -> ErrorMetadata {
        ErrorMetadata::new(
            code.map(Into::into),
            message.map(Into::into),
            status,
            id.map(Into::into),
        )
    }

    #[test]
    fn metadata_display_names_everything_known() {
        let m = meta(
            Some("RepositoryNotFoundException"),
            Some("The repository does not exist"),
            Some(400),
            Some("1234-abcd"),
        );
        assert_eq!(
            m.to_string(),
            "RepositoryNotFoundException: The repository does not exist (HTTP 400 Bad Request, request id 1234-abcd)"
        );
        assert_eq!(
            meta(Some("ThrottlingException"), None, Some(400), None).to_string(),
            "ThrottlingException (HTTP 400 Bad Request)"
        );
        assert_eq!(
            meta(None, None, Some(503), Some("r1")).to_string(),
            "service error without a code or message (HTTP 503 Service Unavailable, request id r1)"
        );
        assert_eq!(
            meta(None, Some("boom"), Some(599), None).to_string(),
            "service error without a code: boom (HTTP 599)"
        );
        assert_eq!(
            meta(None, None, None, None).to_string(),
            "service error without a code or message"
        );
    }

    #[test]
    fn build_error_display() {
        assert_eq!(
            BuildError::missing("DeleteRepositoryInput", "repositoryName").to_string(),
            "DeleteRepositoryInput: required member `repositoryName` is not set"
        );
        assert_eq!(
            BuildError::invalid(
                "DeleteRepositoryInput",
                "repositoryName",
                "must not be empty"
            )
            .to_string(),
            "DeleteRepositoryInput: member `repositoryName` is invalid: must not be empty"
        );
    }

    #[test]
    fn sdk_error_is_transparent_and_maps() {
        let e: SdkError<ServiceErrorResponse> = SdkError::Service(ServiceErrorResponse {
            meta: meta(Some("X"), Some("y"), Some(400), None),
            body: bytes::Bytes::new(),
        });
        assert_eq!(e.to_string(), "X: y (HTTP 400 Bad Request)");
        let mapped = e.map_service(|s| s.meta.code().unwrap_or_default().len());
        assert_eq!(mapped.as_service(), Some(&1));

        let t: SdkError<ServiceErrorResponse> = SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_millis(200),
        ));
        assert_eq!(
            t.to_string(),
            "timed out: no complete response within the per-attempt timeout of 200ms"
        );
        assert!(t.into_service().is_none());
    }

    #[test]
    fn response_error_display() {
        let e = ResponseError::new(200, Some("rid".into()), "malformed JSON");
        assert_eq!(
            e.to_string(),
            "could not understand the response: malformed JSON (HTTP 200 OK, request id rid)"
        );
    }

    #[test]
    fn transport_error_prints_the_whole_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let e = TransportError::new("sending the request", io);
        assert_eq!(
            e.to_string(),
            "transport error sending the request: connection refused"
        );
        assert!(e.source().is_none(), "Display already prints the cause");
        assert!(e.cause().is::<std::io::Error>());
    }

    #[test]
    fn server_text_is_escaped_and_a_non_json_body_is_excerpted() {
        let m = meta(
            Some("Evil\u{1b}]0;pwned\u{7}"),
            Some("line1\nline2 \u{1b}[2J"),
            Some(400),
            Some("rid\r\n"),
        );
        assert_eq!(
            m.to_string(),
            "Evil\\u{1b}]0;pwned\\u{7}: line1\\nline2 \\u{1b}[2J (HTTP 400 Bad Request, request id rid\\r\\n)"
        );
        let html = meta(None, None, Some(502), None)
            .with_body_excerpt(b"<html>\n<h1>502 Bad Gateway</h1>\n\x1b[31m</html>");
        assert_eq!(
            html.to_string(),
            "service error without a code or message (HTTP 502 Bad Gateway); the body began: \
             <html> <h1>502 Bad Gateway</h1> \\u{1b}[31m</html>"
        );
        assert_eq!(
            html.body_excerpt(),
            Some("<html> <h1>502 Bad Gateway</h1> \u{1b}[31m</html>")
        );
    }

    #[test]
    fn endpoint_errors_hide_passwords() {
        let e = ConfigError::InvalidEndpoint {
            url: "http://admin:hunter2@host/x".into(),
            reason: "a path".into(),
        };
        assert_eq!(
            e.to_string(),
            "invalid endpoint URL \"http://<redacted>@host/x\": a path"
        );
    }
}
