//! The service client: sends one awsJson operation, signed, with retries and timeouts.
//!
//! Everything that does not change between calls (endpoint, `Host`, `Content-Type`, the
//! connection pool, the signer) is prepared in [`ServiceClient::new`]. A call then builds the
//! target header, signs, sends, and reads the answer.

use crate::aws_json;
use crate::config::Config;
use crate::credentials_cache::CredentialsCache;
use crate::endpoint::{self, Endpoint};
use crate::error::{
    ConfigError, ResponseError, SdkError, ServiceErrorResponse, TimeoutError, TimeoutKind,
    TransportError,
};
use crate::http_client::{HttpClient as _, HttpError, HttpRequest, HttpTimeout, SharedHttpClient};
use crate::request_options::RequestOptions;
use crate::retry;
use crate::service::ServiceMeta;
use crate::signing::{SignableParts, Signer};
use crate::transport::HyperClient;
use bytes::Bytes;
use http::header::{
    HeaderName, HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HOST,
    USER_AGENT,
};
use http::{Method, Request, Uri};
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tracing::Instrument as _;

const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");

/// Sent as `User-Agent` (not signed: proxies may rewrite it).
const USER_AGENT_VALUE: &str = concat!("aws-thin/", env!("CARGO_PKG_VERSION"));

/// A successful (2xx) response.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The request id from `x-amzn-requestid` (or `x-amz-request-id`).
    pub request_id: Option<String>,
    /// The whole body.
    pub body: Bytes,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// Sends operations of one service. Cheap to clone (the state is shared); clones share the
/// connection pool and credentials cache.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: &'static ServiceMeta,
    endpoint: Endpoint,
    http: SharedHttpClient,
    signer: Signer,
    credentials: CredentialsCache,
    retry_quota: retry::RetryQuota,
    /// The service's clock minus ours, in milliseconds, learned from `Date` headers.
    clock_skew_ms: AtomicI64,
    /// The last `Date` learned from, and our second then: answers in the same second with the
    /// same `Date` teach nothing new (most answers, for a busy client).
    date_seen: std::sync::Mutex<DateSeen>,
    host: HeaderValue,
    content_type: HeaderValue,
    content_type_text: String,
    /// The `X-Amz-Target` of each operation called so far.
    targets: std::sync::Mutex<Vec<(&'static str, Arc<Target>)>>,
}

/// An operation's `X-Amz-Target`, as a header and as text (for signing).
struct Target {
    header: HeaderValue,
    text: String,
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("service", &self.inner.service.service_name)
            .field("endpoint", &self.inner.endpoint.uri)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl ServiceClient {
    /// Prepares a client for `service`: checks region and credentials, resolves the endpoint
    /// (evaluating the service's endpoint rules, once), builds the connection pool and the
    /// signer (with the signing region and name the endpoint asks for, if any).
    ///
    /// An endpoint-rule error, such as FIPS together with a custom endpoint, is a
    /// [`ConfigError::EndpointResolution`] carrying the rule's message.
    ///
    /// Works inside or outside a tokio runtime; calls need one (with the time driver enabled).
    pub fn new(config: Config, service: &'static ServiceMeta) -> Result<Self, ConfigError> {
        let region = config.require_region()?.clone();
        crate::config::check_min_compression_size(
            config.request_min_compression_size_bytes(),
            || "ConfigBuilder::request_min_compression_size_bytes".to_owned(),
        )?;
        let source = config.credentials_source().cloned().ok_or_else(|| {
            ConfigError::MissingCredentials {
                looked_at: "the explicit setting only (ConfigBuilder::credentials or \
                            credentials_provider); Config::from_env also reads \
                            AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the shared files"
                    .to_owned(),
            }
        })?;
        let endpoint = endpoint::resolve(&config, service, &region)?;
        let http = match config.http_client() {
            Some(injected) => injected.clone(),
            None => {
                let pool = HyperClient::new(
                    config.timeout_config().connect_timeout(),
                    config.connect_to(),
                )
                .with_stalled_stream_grace(config.timeout_config().stalled_stream_grace());
                let pool = match config.proxy() {
                    Some(proxy) => pool.with_proxy(proxy.clone()),
                    None => pool,
                };
                let pool = match config.ca_bundle_pem() {
                    Some(pem) => pool.with_extra_roots_pem(pem)?,
                    None => pool,
                };
                if endpoint.is_https {
                    pool.check_tls()?;
                }
                SharedHttpClient::new(pool)
            }
        };
        let host =
            HeaderValue::from_str(&endpoint.host).map_err(|_| ConfigError::InvalidEndpoint {
                url: endpoint.uri.to_string(),
                reason: "the host is not a valid header value".to_owned(),
            })?;
        let content_type_text = format!("application/x-amz-json-{}", service.json_version);
        let content_type = HeaderValue::try_from(content_type_text.as_str()).map_err(|_| {
            ConfigError::InvalidEndpoint {
                url: endpoint.uri.to_string(),
                reason: "the service's JSON version is not a valid header value".to_owned(),
            }
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                signer: Signer::new(
                    endpoint
                        .signing_region
                        .as_deref()
                        .unwrap_or(region.as_str()),
                    endpoint
                        .signing_name
                        .as_deref()
                        .unwrap_or(service.signing_name),
                )
                .with_request_prefix(
                    endpoint.uri.path(),
                    &content_type_text,
                    &endpoint.host,
                ),
                credentials: CredentialsCache::new(source),
                retry_quota: retry::RetryQuota::default(),
                clock_skew_ms: AtomicI64::new(0),
                date_seen: std::sync::Mutex::new(DateSeen::default()),
                config,
                service,
                endpoint,
                http,
                host,
                content_type,
                content_type_text,
                targets: std::sync::Mutex::new(Vec::new()),
            }),
        })
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The credentials the next call would sign with (cached, asking the provider or chain if
    /// needed), to see which source answered (`provider_name()`) without sending anything.
    pub async fn credentials(&self) -> Result<crate::Credentials, crate::error::CredentialsError> {
        self.inner.credentials.get(self.inner.config.now()).await
    }

    /// The resolved endpoint URL.
    pub fn endpoint_url(&self) -> String {
        self.inner.endpoint.uri.to_string()
    }

    /// Sends one awsJson operation: `POST /` with `X-Amz-Target: {service_name}.{operation}`,
    /// signed, retried per the [`RetryConfig`](crate::RetryConfig) (read its notes on
    /// operations that are not idempotent).
    ///
    /// `Ok` for a 2xx response; any other status is `Err(SdkError::Service(..))` with the code,
    /// message and request id already parsed.
    pub async fn invoke(
        &self,
        operation: &'static str,
        body: Vec<u8>,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        self.invoke_with(operation, body, &RequestOptions::default())
            .await
    }

    /// Like [`invoke`](Self::invoke), for an operation whose model changes the request: a host
    /// prefix before the endpoint's host (sent in `Host` and signed), gzip compression of the
    /// body (before signing). See [`RequestOptions`].
    pub async fn invoke_with(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        options: &RequestOptions,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        let inner = &*self.inner;
        let call = inner.call(body, options)?;
        let attempts = inner.send_with_retries(operation, &call);
        match inner.config.timeout_config().operation_timeout() {
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or_else(|_| {
                    Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Operation,
                        limit,
                    )))
                }),
            None => attempts.await,
        }
    }

    /// Builds and signs the request `invoke` would send first, without sending it: for
    /// debugging endpoints and credentials (credentials are redacted in what it returns).
    pub async fn prepare(
        &self,
        operation: &'static str,
        body: Vec<u8>,
    ) -> Result<PreparedRequest, SdkError<ServiceErrorResponse>> {
        self.prepare_with(operation, body, &RequestOptions::default())
            .await
    }

    /// Like [`prepare`](Self::prepare), with the operation's [`RequestOptions`].
    pub async fn prepare_with(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        options: &RequestOptions,
    ) -> Result<PreparedRequest, SdkError<ServiceErrorResponse>> {
        let inner = &*self.inner;
        let target = inner.target(operation)?;
        let call = inner.call(body, options)?;
        let request = inner.signed_request(&target, &call).await?;
        Ok(PreparedRequest::from_request(&request, &call.body))
    }
}

/// A signed request that was not sent ([`ServiceClient::prepare`]), for debugging endpoints and
/// credentials. Its `Display` is the HTTP request with credentials redacted: the access key id and
/// the signature in `Authorization` and the session token never appear, so what is printed
/// cannot be replayed.
#[derive(Clone)]
pub struct PreparedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl PreparedRequest {
    /// `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL the request would go to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers, credentials redacted, in the order they would be sent.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// A header by lower-case name (credentials redacted).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    fn from_request(request: &HttpRequest, body: &Bytes) -> Self {
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or("<not text>");
                let shown = match name.as_str() {
                    "authorization" => redact_access_key(value),
                    "x-amz-security-token" => "<redacted>".to_owned(),
                    _ => value.to_owned(),
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        Self {
            method: request.method().to_string(),
            url: request.uri().to_string(),
            headers,
            body: body.clone(),
        }
    }
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/..., SignedHeaders=..., Signature=f44c...` →
/// `Credential=<redacted>/20150830/..., SignedHeaders=..., Signature=<redacted>`: the scope
/// (date, region, service) and signed headers stay, since they are what one debugs; the key id
/// and the signature (replayable until it expires) go.
fn redact_access_key(authorization: &str) -> String {
    let Some((before, after)) = authorization.split_once("Credential=") else {
        return "<redacted>".to_owned();
    };
    let scope = after.split_once('/').map_or("", |(_, scope)| scope);
    let scope = scope
        .split_once("Signature=")
        .map_or(scope, |(kept, _)| kept);
    let signature = if after.contains("Signature=") {
        "Signature=<redacted>"
    } else {
        ""
    };
    format!("{before}Credential=<redacted>/{scope}{signature}")
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        writeln!(f)?;
        f.write_str(&String::from_utf8_lossy(&self.body))
    }
}

/// What every attempt of one call sends: the body (gzip-compressed when `gzip`) and, for an
/// operation with a host prefix, the prefixed host.
struct Call {
    body: Bytes,
    gzip: bool,
    prefixed: Option<PrefixedHost>,
}

/// The endpoint with a host prefix: the URI connected to, and the `Host` header (also signed).
struct PrefixedHost {
    uri: Uri,
    host: HeaderValue,
    host_text: String,
}

impl Inner {
    /// Applies the operation's request options once per call (retries resend the same body).
    fn call(
        &self,
        body: Vec<u8>,
        options: &RequestOptions,
    ) -> Result<Call, SdkError<ServiceErrorResponse>> {
        let (body, gzip) = crate::compression::compress_if_wanted(
            &self.config,
            options.request_compression(),
            body,
        );
        let prefixed = match options.host_prefix() {
            Some(prefix) if !self.config.disable_host_prefix() => Some(self.prefixed(prefix)?),
            _ => None,
        };
        Ok(Call {
            body: Bytes::from(body),
            gzip,
            prefixed,
        })
    }

    /// The endpoint with `prefix` before its host (after any `user@`).
    fn prefixed(&self, prefix: &str) -> Result<PrefixedHost, SdkError<ServiceErrorResponse>> {
        let with_prefix = |authority: &str| match authority.rsplit_once('@') {
            Some((user, host)) => format!("{user}@{prefix}{host}"),
            None => format!("{prefix}{authority}"),
        };
        let invalid = || {
            SdkError::Construction(crate::error::BuildError::invalid(
                self.service.service_name,
                "(host prefix)",
                format!(
                    "the host prefix {prefix:?} does not make a valid host with the endpoint {} \
                     (ConfigBuilder::disable_host_prefix sends to the endpoint's host as it is)",
                    crate::redact::url(&self.endpoint.uri.to_string())
                ),
            ))
        };
        let mut parts = self.endpoint.uri.clone().into_parts();
        let authority = parts.authority.as_ref().map(|a| with_prefix(a.as_str()));
        parts.authority = Some(
            authority
                .ok_or_else(invalid)?
                .parse()
                .map_err(|_| invalid())?,
        );
        let host_text = with_prefix(&self.endpoint.host);
        Ok(PrefixedHost {
            uri: Uri::from_parts(parts).map_err(|_| invalid())?,
            host: HeaderValue::try_from(host_text.as_str()).map_err(|_| invalid())?,
            host_text,
        })
    }

    async fn send_with_retries(
        &self,
        operation: &'static str,
        call: &Call,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        let target = self.target(operation)?;
        let retry = self.config.retry_config();
        let mut attempt = 1;
        // The tokens the latest retry took from the quota, given back if it succeeds.
        let mut retry_cost = None;
        let mut resigned_for_skew = false;
        loop {
            let span = tracing::debug_span!(
                "attempt",
                service = self.service.signing_name,
                operation,
                attempt
            );
            let result = self.attempt(&target, call).instrument(span).await;
            match result {
                Ok(response) => {
                    self.retry_quota.succeeded(retry_cost);
                    return Ok(response);
                }
                // The signature was refused for our clock, and the answer's `Date` taught us
                // the service's: sign again, at once, with the corrected time (once per call,
                // outside the attempt budget and the quota: it is a correction, not a retry).
                Err(SdkError::Service(ref e))
                    if !resigned_for_skew
                        && retry::is_clock_skew_error(&e.meta)
                        && self.clock_skew_ms.load(Ordering::Relaxed) != 0 =>
                {
                    tracing::debug!(operation, attempt, "re-signing with the service's clock");
                    resigned_for_skew = true;
                }
                Err(error) if attempt < retry.max_attempts() && retry::is_retryable(&error) => {
                    if retry.retry_quota() {
                        retry_cost = self.retry_quota.acquire(&error);
                        if retry_cost.is_none() {
                            tracing::debug!(operation, attempt, %error, "retry quota exhausted");
                            return Err(error);
                        }
                    }
                    let pause = retry.backoff(attempt);
                    tracing::debug!(operation, attempt, %error, ?pause, "retrying");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// One attempt, bounded by the per-attempt timeout (which so also bounds a credentials
    /// provider that hangs).
    async fn attempt(
        &self,
        target: &Target,
        call: &Call,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        let attempt = self.sign_and_send(target, call);
        match self.config.timeout_config().attempt_timeout() {
            Some(limit) => tokio::time::timeout(limit, attempt)
                .await
                .unwrap_or_else(|_| {
                    Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Attempt,
                        limit,
                    )))
                }),
            None => attempt.await,
        }
    }

    async fn sign_and_send(
        &self,
        target: &Target,
        call: &Call,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        let request = self.signed_request(target, call).await?;
        self.exchange(request).await
    }

    /// The request as it goes on the wire: signed now, with the current credentials.
    async fn signed_request(
        &self,
        target: &Target,
        call: &Call,
    ) -> Result<HttpRequest, SdkError<ServiceErrorResponse>> {
        let body = &call.body;
        let (uri, host, host_text) = match &call.prefixed {
            Some(prefixed) => (&prefixed.uri, &prefixed.host, prefixed.host_text.as_str()),
            None => (&self.endpoint.uri, &self.host, self.endpoint.host.as_str()),
        };
        let now = self.signing_time();
        let credentials = self
            .credentials
            .get(now)
            .await
            .map_err(SdkError::Credentials)?;
        let parts = SignableParts {
            host: host_text,
            path: self.endpoint.uri.path(),
            content_type: &self.content_type_text,
            target: &target.text,
            body,
        };
        let signed = self
            .signer
            .sign(&credentials, now, &parts)
            .map_err(SdkError::Credentials)?;

        let mut request = Request::new(body.clone());
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri.clone();
        let headers = request.headers_mut();
        headers.reserve(8);
        headers.insert(HOST, host.clone());
        headers.insert(CONTENT_TYPE, self.content_type.clone());
        headers.insert(X_AMZ_TARGET, target.header.clone());
        headers.insert(X_AMZ_DATE, signed.x_amz_date);
        headers.insert(AUTHORIZATION, signed.authorization);
        if let Some(token) = signed.security_token {
            headers.insert(X_AMZ_SECURITY_TOKEN, token);
        }
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        // Headers the endpoint rules ask for (none for most services). Not signed.
        for (name, value) in &self.endpoint.headers {
            headers.append(name, value.clone());
        }
        if call.gzip {
            // The request's only encoding: these headers are built here, from nothing.
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        Ok(request)
    }

    /// `X-Amz-Target: {service_name}.{operation}`, built once per operation and client.
    fn target(
        &self,
        operation: &'static str,
    ) -> Result<Arc<Target>, SdkError<ServiceErrorResponse>> {
        let mut targets = crate::os::lock(&self.targets);
        if let Some((_, target)) = targets.iter().find(|(name, _)| *name == operation) {
            return Ok(target.clone());
        }
        let text = format!("{}.{operation}", self.service.service_name);
        let header = HeaderValue::try_from(text.as_str()).map_err(|_| {
            SdkError::Construction(crate::error::BuildError::invalid(
                self.service.service_name,
                operation,
                "the operation name is not a valid header value",
            ))
        })?;
        let target = Arc::new(Target { header, text });
        targets.push((operation, target.clone()));
        Ok(target)
    }

    /// Sends the request and reads the whole response.
    async fn exchange(
        &self,
        request: HttpRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorResponse>> {
        let response = self.http.send(request).await.map_err(transport_error)?;
        let (head, body) = response.into_parts();
        self.learn_clock_skew(&head.headers);
        let status = head.status.as_u16();
        let request_id = aws_json::request_id(&head.headers);
        tracing::debug!(status, request_id = request_id.as_deref(), "response");

        if head.status.is_success() {
            Ok(RawResponse {
                status,
                request_id,
                body,
            })
        } else {
            let meta = aws_json::error_metadata(status, &head.headers, &body, request_id);
            Err(SdkError::Service(ServiceErrorResponse { meta, body }))
        }
    }
}

/// See `Inner::date_seen`.
#[derive(Default)]
struct DateSeen {
    date: Vec<u8>,
    local_second: u64,
}

/// A skew smaller than this is Date's one-second resolution and network delay, not a wrong
/// clock: ignored, so that signing time stays the local time.
const SIGNIFICANT_SKEW: Duration = Duration::from_secs(60);

impl Inner {
    /// The local time, corrected by what the service's `Date` headers taught us.
    fn signing_time(&self) -> SystemTime {
        let now = self.config.now();
        let skew = self.clock_skew_ms.load(Ordering::Relaxed);
        let offset = Duration::from_millis(skew.unsigned_abs());
        if skew >= 0 {
            now + offset
        } else {
            now.checked_sub(offset).unwrap_or(now)
        }
    }

    /// Records the service's clock from a `Date` header, if it is far from ours.
    fn learn_clock_skew(&self, headers: &http::HeaderMap) {
        let Some(date) = headers.get(http::header::DATE) else {
            return;
        };
        let local = self.config.now();
        let local_second = local
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        {
            let mut seen = crate::os::lock(&self.date_seen);
            if seen.local_second == local_second && seen.date == date.as_bytes() {
                return;
            }
            seen.local_second = local_second;
            seen.date.clear();
            seen.date.extend_from_slice(date.as_bytes());
        }
        let Some(server) = date
            .to_str()
            .ok()
            .and_then(crate::wire::parse_http_date)
            .and_then(|date| date.to_system_time())
        else {
            return;
        };
        let skew_ms = match server.duration_since(local) {
            Ok(ahead) if ahead >= SIGNIFICANT_SKEW => ahead.as_millis() as i64,
            Err(behind) if behind.duration() >= SIGNIFICANT_SKEW => {
                -(behind.duration().as_millis() as i64)
            }
            _ => 0,
        };
        if self.clock_skew_ms.swap(skew_ms, Ordering::Relaxed) != skew_ms {
            tracing::debug!(skew_ms, "the service's clock differs from ours");
        }
    }
}

/// The caller's error for a failed exchange.
fn transport_error(error: HttpError) -> SdkError<ServiceErrorResponse> {
    match error {
        HttpError::BeforeResponse { context, source } => {
            SdkError::Transport(TransportError::new(context, source))
        }
        HttpError::TimedOut {
            which: HttpTimeout::Connect,
            after,
        } => SdkError::Timeout(TimeoutError::new(TimeoutKind::Connect, after)),
        HttpError::TimedOut { after, .. } => {
            SdkError::Timeout(TimeoutError::new(TimeoutKind::Attempt, after))
        }
        // The service accepted the request: a retry could repeat an operation that happened
        // (a delete would then report "not found"), so say so instead.
        HttpError::AfterResponseHead {
            status,
            headers,
            source,
        } if status.is_success() => SdkError::Response(
            ResponseError::new(
                status.as_u16(),
                aws_json::request_id(&headers),
                "the body of a successful response could not be read in full; the operation \
                 may have succeeded, so it was not retried",
            )
            .with_source(source),
        ),
        HttpError::AfterResponseHead {
            status,
            headers,
            source,
        } => SdkError::Transport(
            TransportError::new("reading the response body", source)
                .with_response(status.as_u16(), aws_json::request_id(&headers)),
        ),
    }
}
