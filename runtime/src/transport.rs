//! The default [`HttpClient`]: hyper-util's pooled HTTP/1.1 client, with rustls for https.
//!
//! TLS uses rustls with the `ring` provider and the system's root certificates, which are loaded
//! on the first https request (or by [`HyperClient::check_tls`]), so a plain-http emulator
//! endpoint works on a machine without any.

use crate::error::ConfigError;
use crate::http_client::{
    HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse, HttpTimeout,
};
use crate::proxy::{ProxyConfig, ProxyConnector};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

/// Request bodies are sent whole.
type Body = http_body_util::Full<Bytes>;

/// One client type for http and https: a second type (a pool over the bare TCP connector) would
/// compile hyper's client code twice into every binary.
type Pool = Client<HttpsConnector<ProxyConnector<Resolver>>, Body>;

/// Idle pooled connections are closed after this long (AWS front ends drop them anyway).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// A response body larger than this is refused rather than buffered.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// The pooled hyper client, the default [`HttpClient`]. Cheap to clone (clones share the pool).
#[derive(Clone)]
pub struct HyperClient {
    inner: Arc<Inner>,
}

struct Inner {
    tcp: ProxyConnector<Resolver>,
    connect_timeout: Option<Duration>,
    stalled_stream_grace: Option<Duration>,
    extra_roots: Vec<CertificateDer<'static>>,
    // Plain http: TLS settings without roots, never used for a handshake.
    plain: OnceLock<Result<Pool, String>>,
    // Built on first use: loading the system's roots is slow and fails on machines without any.
    https: OnceLock<Result<Pool, String>>,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("connect_timeout", &self.inner.connect_timeout)
            .finish()
    }
}

impl Default for HyperClient {
    fn default() -> Self {
        Self::new(Some(Duration::from_millis(3100)), None)
    }
}

impl HyperClient {
    /// A client whose new connections time out after `connect_timeout` (`None`: as long as the
    /// OS waits) and, with `connect_to`, all go to that address whatever host the URI names
    /// (like curl's `--connect-to`: `Host`, TLS server name and signature keep the URI's host).
    pub fn new(connect_timeout: Option<Duration>, connect_to: Option<SocketAddr>) -> Self {
        let resolver = match connect_to {
            Some(addr) => Resolver::Fixed(addr),
            None => Resolver::System(GaiResolver::new()),
        };
        let mut tcp = HttpConnector::new_with_resolver(resolver);
        tcp.enforce_http(false); // the https wrapper handles https URIs
        tcp.set_nodelay(true); // small request/response pairs: do not wait for Nagle
        tcp.set_connect_timeout(connect_timeout);
        let tcp = ProxyConnector {
            tcp,
            proxies: Arc::new(ProxyConfig::none()),
        };
        Self {
            inner: Arc::new(Inner {
                plain: OnceLock::new(),
                tcp,
                connect_timeout,
                stalled_stream_grace: Some(Duration::from_secs(5)),
                extra_roots: Vec::new(),
                https: OnceLock::new(),
            }),
        }
    }

    /// Sets the stalled-stream grace period: once the response head has arrived, a body that
    /// makes no progress for this long fails the exchange (`None`: wait for the caller's
    /// timeouts). Default 5 s. Call before the client is cloned or used.
    pub fn with_stalled_stream_grace(mut self, grace: Option<Duration>) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.stalled_stream_grace = grace;
        }
        self
    }

    /// Sends requests through the proxies of `proxies`. Call before the client is cloned or
    /// used.
    pub fn with_proxy(mut self, proxies: ProxyConfig) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.tcp.proxies = Arc::new(proxies);
        }
        self
    }

    /// Trusts the certificates of `pem` (one or more `-----BEGIN CERTIFICATE-----` blocks) as
    /// roots besides the system's. Call before the client is cloned or used.
    pub fn with_extra_roots_pem(mut self, pem: &[u8]) -> Result<Self, ConfigError> {
        let tls = |reason: String| ConfigError::Tls { reason };
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| tls(format!("the CA bundle is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(tls("the CA bundle holds no certificate".to_owned()));
        }
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.extra_roots.extend(certs);
        }
        Ok(self)
    }

    /// Loads the TLS settings now (normally done on the first https request), so that a machine
    /// without root certificates fails when the client is built rather than on the first call.
    pub fn check_tls(&self) -> Result<(), ConfigError> {
        self.https_pool()
            .map(|_| ())
            .map_err(|reason| ConfigError::Tls {
                reason: reason.clone(),
            })
    }

    fn https_pool(&self) -> Result<&Pool, &String> {
        self.inner
            .https
            .get_or_init(|| Ok(self.pool(tls_config(&self.inner.extra_roots)?)))
            .as_ref()
    }

    fn plain_pool(&self) -> Result<&Pool, &String> {
        self.inner
            .plain
            .get_or_init(|| Ok(self.pool(tls_settings(rustls::RootCertStore::empty())?)))
            .as_ref()
    }

    fn pool(&self, tls: rustls::ClientConfig) -> Pool {
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(self.inner.tcp.clone());
        pool().build(connector)
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let https = request.uri().scheme() == Some(&http::uri::Scheme::HTTPS);
        let mut request = request.map(Body::new);
        if let Some(authorization) = self.inner.tcp.proxies.http_authorization(request.uri()) {
            request
                .headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, authorization.clone());
        }
        let pool = if https {
            self.https_pool()
        } else {
            self.plain_pool()
        };
        let pool =
            pool.map_err(|reason| HttpError::before_response("setting up TLS", reason.clone()))?;
        let sent = pool.request(request).await;
        let response = sent.map_err(|e| self.request_error(e))?;
        let (head, incoming) = response.into_parts();
        match read_body(incoming, self.inner.stalled_stream_grace).await {
            Ok(body) => Ok(HttpResponse::from_parts(head, body)),
            Err(source) => Err(HttpError::after_response_head(
                head.status,
                head.headers,
                source,
            )),
        }
    }

    fn request_error(&self, error: hyper_util::client::legacy::Error) -> HttpError {
        if error.is_connect() {
            if let Some(after) = self.inner.connect_timeout {
                if has_io_error(&error, std::io::ErrorKind::TimedOut) {
                    return HttpError::timed_out(HttpTimeout::Connect, after);
                }
            }
            return HttpError::before_response("connecting", error);
        }
        HttpError::before_response("sending the request", error)
    }
}

impl HttpClient for HyperClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        Box::pin(self.exchange(request))
    }
}

/// Reads the whole body, failing when it exceeds [`MAX_RESPONSE_BODY`] or when no piece of it
/// arrives for `grace` (stalled-stream protection).
async fn read_body(
    mut body: hyper::body::Incoming,
    grace: Option<Duration>,
) -> Result<Bytes, Box<dyn Error + Send + Sync>> {
    // Most answers are one frame: keep it without copying.
    let mut first: Option<Bytes> = None;
    let mut more: Vec<u8> = Vec::new();
    loop {
        let mut next = body.frame();
        // Poll once first: a small answer is usually already here, and then no timer is armed.
        let ready = std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut next).poll(cx))).await;
        let frame = match (ready, grace) {
            (Poll::Ready(frame), _) => frame,
            (Poll::Pending, Some(grace)) => tokio::time::timeout(grace, next)
                .await
                .map_err(|_| StalledStream { grace })?,
            (Poll::Pending, None) => next.await,
        };
        let Some(frame) = frame else { break };
        let Ok(data) = frame?.into_data() else {
            continue; // trailers
        };
        let len = first.as_ref().map_or(0, Bytes::len) + more.len() + data.len();
        if len > MAX_RESPONSE_BODY {
            return Err(format!("the body is larger than {MAX_RESPONSE_BODY} bytes").into());
        }
        match &first {
            None => first = Some(data),
            Some(start) => {
                if more.is_empty() {
                    more.extend_from_slice(start);
                }
                more.extend_from_slice(&data);
            }
        }
    }
    Ok(if more.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(more)
    })
}

/// The response body made no progress for the grace period.
#[derive(Debug)]
pub struct StalledStream {
    grace: Duration,
}

impl fmt::Display for StalledStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body made no progress for {:?} (stalled-stream protection; see \
             TimeoutConfig::with_stalled_stream_grace)",
            self.grace
        )
    }
}

impl Error for StalledStream {}

fn pool() -> hyper_util::client::legacy::Builder {
    let mut builder = Client::builder(TokioExecutor::new());
    builder
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new());
    builder
}

/// TLS with the system's root certificates, plus Mozilla's with the `webpki-roots` feature, plus
/// `extra` (a CA bundle).
fn tls_config(extra: &[CertificateDer<'static>]) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    // Unusable system certificates are skipped, as browsers do.
    let (_, _) = roots.add_parsable_certificates(native.certs);
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in extra {
        roots
            .add(cert.clone())
            .map_err(|e| format!("a certificate of the CA bundle cannot be used: {e}"))?;
    }
    if roots.is_empty() {
        return Err(format!(
            "cannot load the system's root certificates ({}); give a CA bundle \
             (AWS_CA_BUNDLE) or build with the `webpki-roots` feature",
            native
                .errors
                .first()
                .map_or_else(|| "none found".to_owned(), ToString::to_string)
        ));
    }
    tls_settings(roots)
}

fn tls_settings(roots: rustls::RootCertStore) -> Result<rustls::ClientConfig, String> {
    // An explicit provider: the process-wide default may be unset, or set to another one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Name resolution: the system's, or one fixed address for every name.
#[derive(Clone, Debug)]
enum Resolver {
    System(GaiResolver),
    Fixed(SocketAddr),
}

type Addrs = std::vec::IntoIter<SocketAddr>;

impl tower_service::Service<Name> for Resolver {
    type Response = Addrs;
    type Error = std::io::Error;
    // Boxed: this runs once per new connection, not per request.
    type Future = Pin<Box<dyn Future<Output = std::io::Result<Addrs>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        match self {
            Resolver::Fixed(addr) => {
                let addrs = vec![*addr].into_iter();
                Box::pin(async move { Ok(addrs) })
            }
            Resolver::System(gai) => {
                let lookup = gai.call(name);
                Box::pin(async move { Ok(lookup.await?.collect::<Vec<_>>().into_iter()) })
            }
        }
    }
}

fn has_io_error(error: &(dyn Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut next: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        next = e.source();
    }
    false
}
