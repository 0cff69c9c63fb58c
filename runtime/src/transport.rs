//! The default [`HttpClient`]: pooled HTTP/1.1 connections over `hyper::client::conn::http1`,
//! with rustls for https.
//!
//! A client talks to one endpoint (its credential sources to a few more), so the pool is a short
//! list of idle connections, each tagged with its scheme and authority, taken from the back
//! (the most recently used first). A call takes a connection out of the pool and drives it in its
//! own task while it sends the request and reads the answer: no connection task, no hand-off
//! between tasks, no hashing of a pool key. Afterwards the connection goes back if it can carry
//! another request; a call that fails, or is dropped half way (a timeout), drops its connection.
//! So connections never exceed the number of calls in flight, and at most [`MAX_IDLE`] wait.
//!
//! TLS uses rustls with the `ring` provider and the system's root certificates, which are loaded
//! on the first https request (or by [`HyperClient::check_tls`]); plain http never builds any TLS
//! settings, so an emulator endpoint works on a machine without root certificates.

use crate::error::ConfigError;
use crate::http_client::{
    HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse, HttpTimeout,
};
use crate::os::lock;
use crate::proxy::{ProxyConfig, ProxyConnector};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::client::conn::http1;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::{Connection as _, HttpConnector};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};
use tower_service::Service as _;

/// Request bodies are sent whole.
type Body = http_body_util::Full<Bytes>;

/// A connection's byte stream: TCP, possibly through a proxy, possibly with TLS. Boxed so that
/// http and https share one instance of hyper's connection code in every binary.
trait Io: hyper::rt::Read + hyper::rt::Write + Send + Unpin {}
impl<T: hyper::rt::Read + hyper::rt::Write + Send + Unpin> Io for T {}

/// The http connector: TCP, through a proxy where one applies.
type TcpConnector = ProxyConnector<Resolver>;

/// Idle pooled connections are closed after this long (AWS front ends drop them anyway).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// At most this many idle connections are kept; more are closed when their call ends.
pub const MAX_IDLE: usize = 64;

/// A response body larger than this is refused rather than buffered.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// The pooled hyper client, the default [`HttpClient`]. Cheap to clone (clones share the pool).
#[derive(Clone)]
pub struct HyperClient {
    inner: Arc<Inner>,
}

struct Inner {
    tcp: TcpConnector,
    connect_timeout: Option<Duration>,
    stalled_stream_grace: Option<Duration>,
    extra_roots: Vec<CertificateDer<'static>>,
    // Built on first use: loading the system's roots is slow and fails on machines without any.
    https: OnceLock<Result<HttpsConnector<TcpConnector>, String>>,
    // Boxed: a connection is large (hyper's buffers and state), and moves between the pool
    // and calls; a box moves as a pointer.
    #[allow(clippy::vec_box)]
    idle: Mutex<Vec<Box<Pooled>>>,
}

/// One HTTP/1.1 connection, idle in the pool or carrying a call.
struct Pooled {
    /// `https://host:port` or `http://host:port`: which requests it may carry.
    https: bool,
    authority: http::uri::Authority,
    /// Requests on it must be in absolute form (an http request through a proxy).
    absolute_form: bool,
    sender: http1::SendRequest<Body>,
    wire: Wire,
    idle_since: Instant,
}

/// hyper's half of a connection: the reads and writes. Polled by the call that holds it.
struct Wire {
    /// `None` once the connection has finished (closed, or failed). Dropped then, not kept:
    /// a request hyper had not started fails ("connection closed") only when it is dropped.
    connection: Option<http1::Connection<Box<dyn Io>, Body>>,
    /// What the connection and the call's futures on it are polled with (see [`WireWaker`]).
    waker: Waker,
    shared: Arc<WireWaker>,
}

/// The waker a call drives its connection with.
///
/// hyper hands the request, the response head and the body's chunks between the caller's
/// futures and the connection through channels, and every hand-off wakes the other side. Here
/// both sides are polled by the same call in the same `poll`, so those wakes would only make the
/// runtime poll the whole call once more for nothing (after a turn of its I/O driver): a few
/// thousand instructions a call. A wake that arrives while the call is polling its connection is
/// noted and answered by polling again at once; one that arrives in between (the socket became
/// readable: the runtime's I/O driver) goes to the call's task.
struct WireWaker {
    polling: AtomicBool,
    woken: AtomicBool,
    task: Mutex<Option<Waker>>,
}

impl Wake for WireWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Noted first, then checked: a poll that is just ending sees the note (`Wire::poll_with`).
        self.woken.store(true, Ordering::SeqCst);
        if !self.polling.load(Ordering::SeqCst) {
            // Woken outside the lock: a waker may run code that polls this connection.
            let task = lock(&self.task).clone();
            if let Some(task) = task {
                task.wake();
            }
        }
    }
}

/// Polls in a row on one wake before the call gives way to the runtime's other tasks.
const POLLS_PER_WAKE: usize = 8;

impl Wire {
    fn new(connection: http1::Connection<Box<dyn Io>, Body>) -> Self {
        let shared = Arc::new(WireWaker {
            polling: AtomicBool::new(false),
            woken: AtomicBool::new(false),
            task: Mutex::new(None),
        });
        Self {
            connection: Some(connection),
            waker: Waker::from(shared.clone()),
            shared,
        }
    }

    /// Does what I/O is ready; true once the connection has finished.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        poll_connection(&mut self.connection, cx);
        self.done()
    }

    fn done(&self) -> bool {
        self.connection.is_none()
    }

    /// Forgets the call that drove the connection last, before it waits in the pool.
    fn release(&self) {
        *lock(&self.shared.task) = None;
        self.shared.woken.store(false, Ordering::SeqCst);
    }

    /// Polls `poll` (a future whose progress the connection makes: a response, a body frame)
    /// and, while it is pending, the connection and then `poll` again, with [`WireWaker`]; all
    /// of it again at once while one side woke the other. A frame hyper has already read is
    /// taken without polling the connection.
    fn poll_with<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        {
            let mut task = lock(&self.shared.task);
            if !task.as_ref().is_some_and(|t| t.will_wake(cx.waker())) {
                *task = Some(cx.waker().clone());
            }
        }
        let mut wire_cx = Context::from_waker(&self.waker);
        for _ in 0..POLLS_PER_WAKE {
            self.shared.woken.store(false, Ordering::SeqCst);
            let polling = Polling::start(&self.shared);
            let mut result = poll(&mut wire_cx);
            if result.is_pending() {
                poll_connection(&mut self.connection, &mut wire_cx);
                result = poll(&mut wire_cx);
            }
            drop(polling);
            // Woken while pending: by the other side (the connection is polled after `poll`
            // in every round, so a wake from it alone would not need another round, but one
            // from the socket may have come in the meantime).
            if result.is_ready() || !self.shared.woken.swap(false, Ordering::SeqCst) {
                return result;
            }
        }
        // Still woken: let the runtime run its other tasks first.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Does what I/O is ready; drops the connection once it has finished.
fn poll_connection(
    connection: &mut Option<http1::Connection<Box<dyn Io>, Body>>,
    cx: &mut Context<'_>,
) {
    if let Some(open) = connection {
        if Pin::new(open).poll(cx).is_ready() {
            *connection = None;
        }
    }
}

/// `WireWaker::polling` while alive; reset even if a poll panics, so that no later wake is lost.
struct Polling<'a>(&'a WireWaker);

impl<'a> Polling<'a> {
    fn start(shared: &'a WireWaker) -> Self {
        shared.polling.store(true, Ordering::SeqCst);
        Self(shared)
    }
}

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        self.0.polling.store(false, Ordering::SeqCst);
    }
}

impl Pooled {
    fn serves(&self, https: bool, authority: &http::uri::Authority) -> bool {
        self.https == https && self.authority == *authority
    }

    /// Polls the connection once: reads a close (or garbage) the server sent while it was idle,
    /// and lets hyper get ready for the next request. True if it can carry another one.
    ///
    /// With a waker that does nothing: an idle connection is not driven, and the next call's
    /// request must not wake the call that polled last.
    fn usable(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        !self.wire.poll_done(&mut cx) && self.sender.is_ready()
    }
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
                tcp,
                connect_timeout,
                stalled_stream_grace: Some(Duration::from_secs(5)),
                extra_roots: Vec::new(),
                https: OnceLock::new(),
                idle: Mutex::new(Vec::new()),
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
        self.https_connector()
            .map(|_| ())
            .map_err(|reason| ConfigError::Tls {
                reason: reason.clone(),
            })
    }

    /// How many connections wait in the pool (for tests and diagnostics).
    pub fn idle_connections(&self) -> usize {
        self.idle().len()
    }

    fn https_connector(&self) -> Result<&HttpsConnector<TcpConnector>, &String> {
        self.inner
            .https
            .get_or_init(|| {
                let tls = tls_config(&self.inner.extra_roots)?;
                Ok(HttpsConnectorBuilder::new()
                    .with_tls_config(tls)
                    .https_or_http()
                    .enable_http1()
                    .wrap_connector(self.inner.tcp.clone()))
            })
            .as_ref()
    }

    #[allow(clippy::vec_box)]
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Box<Pooled>>> {
        // The list stays consistent whatever panicked while it was locked.
        lock(&self.inner.idle)
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let uri = request.uri();
        let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let Some(authority) = uri.authority().cloned() else {
            return Err(HttpError::before_response(
                "sending the request",
                "the URL has no host",
            ));
        };
        let mut conn = match self.checkout(https, &authority) {
            Some(conn) => conn,
            None => self.connect(https, authority, uri.clone()).await?,
        };
        let mut request = request.map(Body::new);
        if conn.absolute_form {
            if let Some(authorization) = self.inner.tcp.proxies.http_authorization(request.uri()) {
                request
                    .headers_mut()
                    .insert(http::header::PROXY_AUTHORIZATION, authorization.clone());
            }
        } else {
            // Origin form on the wire: `POST /path?query HTTP/1.1`, the host in `Host`.
            let path = request
                .uri()
                .path_and_query()
                .cloned()
                .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
            *request.uri_mut() = http::Uri::from(path);
        }

        let sent = conn.sender.send_request(request);
        let response = match drive(&mut conn.wire, sent).await {
            Ok(response) => response,
            Err(error) => return Err(HttpError::before_response("sending the request", error)),
        };
        let (head, incoming) = response.into_parts();
        let reusable = head.version == http::Version::HTTP_11 && !says_close(&head.headers);
        match read_body(&mut conn.wire, incoming, self.inner.stalled_stream_grace).await {
            Ok(body) => {
                if reusable {
                    self.checkin(conn);
                }
                Ok(HttpResponse::from_parts(head, body))
            }
            Err(source) => Err(HttpError::after_response_head(
                head.status,
                head.headers,
                source,
            )),
        }
    }

    /// An idle connection to `authority` that can carry a request; closed and expired ones are
    /// dropped on the way.
    fn checkout(&self, https: bool, authority: &http::uri::Authority) -> Option<Box<Pooled>> {
        loop {
            let mut conn = {
                let mut idle = self.idle();
                let found = idle.iter().rposition(|c| c.serves(https, authority))?;
                idle.swap_remove(found)
            };
            if conn.idle_since.elapsed() >= POOL_IDLE_TIMEOUT {
                continue;
            }
            if conn.usable() {
                return Some(conn);
            }
        }
    }

    /// Puts a connection that finished its exchange back, unless it has finished. It is not
    /// polled here (the body was taken from hyper without driving the connection any further):
    /// the next checkout polls it.
    fn checkin(&self, mut conn: Box<Pooled>) {
        if conn.wire.done() {
            return;
        }
        conn.wire.release();
        let now = Instant::now();
        conn.idle_since = now;
        let mut idle = self.idle();
        // The oldest wait at the front.
        let expired = idle
            .iter()
            .take_while(|c| now.duration_since(c.idle_since) >= POOL_IDLE_TIMEOUT)
            .count();
        idle.drain(..expired);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }

    /// Opens a connection (TCP, proxy, TLS) for `uri` and sets up HTTP/1.1 on it.
    async fn connect(
        &self,
        https: bool,
        authority: http::uri::Authority,
        uri: http::Uri,
    ) -> Result<Box<Pooled>, HttpError> {
        let io: Result<(Box<dyn Io>, bool), Box<dyn Error + Send + Sync>> = if https {
            let connector = self
                .https_connector()
                .map_err(|reason| HttpError::before_response("setting up TLS", reason.clone()))?;
            connector.clone().call(uri).await.map(|io| {
                let absolute_form = io.connected().is_proxied();
                (Box::new(io) as Box<dyn Io>, absolute_form)
            })
        } else {
            self.inner.tcp.clone().call(uri).await.map(|io| {
                let absolute_form = io.connected().is_proxied();
                (Box::new(io) as Box<dyn Io>, absolute_form)
            })
        };
        let (io, absolute_form) = io.map_err(|e| self.connect_error(e))?;
        let (sender, connection) = http1::Builder::new()
            .handshake(io)
            .await
            .map_err(|e| HttpError::before_response("connecting", e))?;
        Ok(Box::new(Pooled {
            https,
            authority,
            absolute_form,
            sender,
            wire: Wire::new(connection),
            idle_since: Instant::now(),
        }))
    }

    fn connect_error(&self, error: Box<dyn Error + Send + Sync>) -> HttpError {
        if let Some(after) = self.inner.connect_timeout {
            if has_io_error(&*error, std::io::ErrorKind::TimedOut) {
                return HttpError::timed_out(HttpTimeout::Connect, after);
            }
        }
        HttpError::before_response("connecting", error)
    }
}

impl HttpClient for HyperClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        Box::pin(self.exchange(request))
    }
}

/// Runs `future` (a response or a body frame) while driving `connection`, which does the I/O
/// for it in this task.
async fn drive<F: Future>(wire: &mut Wire, future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    // The connection first: what it reads may complete the future at once.
    std::future::poll_fn(|cx| wire.poll_with(cx, |wire_cx| future.as_mut().poll(wire_cx))).await
}

/// Whether an answer's `Connection` header closes the connection (hyper then closes it).
fn says_close(headers: &http::HeaderMap) -> bool {
    headers
        .get_all(http::header::CONNECTION)
        .iter()
        .any(|value| {
            value.to_str().is_ok_and(|value| {
                value
                    .split(',')
                    .any(|token| token.trim().eq_ignore_ascii_case("close"))
            })
        })
}

/// Reads the whole body, failing when it exceeds [`MAX_RESPONSE_BODY`] or when no piece of it
/// arrives for `grace` (stalled-stream protection).
async fn read_body(
    wire: &mut Wire,
    mut body: hyper::body::Incoming,
    grace: Option<Duration>,
) -> Result<Bytes, Box<dyn Error + Send + Sync>> {
    // Most answers are one frame: keep it without copying.
    let mut first: Option<Bytes> = None;
    let mut more: Vec<u8> = Vec::new();
    loop {
        let mut next = std::pin::pin!(drive(&mut *wire, body.frame()));
        // Poll once first: a small answer is usually already here, and then no timer is armed.
        let ready = std::future::poll_fn(|cx| Poll::Ready(next.as_mut().poll(cx))).await;
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

/// TLS with the system's root certificates, plus Mozilla's with the `webpki-roots` feature, plus
/// `extra` (a CA bundle).
fn tls_config(extra: &[CertificateDer<'static>]) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let (native, native_error) = system_roots();
    // Unusable system certificates are skipped, as browsers do.
    let (_, _) = roots.add_parsable_certificates(native);
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
            native_error.unwrap_or_else(|| "none found".to_owned())
        ));
    }
    tls_settings(roots)
}

/// The system's root certificates, and the first problem met reading them.
#[cfg(all(unix, not(target_os = "macos")))]
fn system_roots() -> (Vec<CertificateDer<'static>>, Option<String>) {
    let loaded = crate::native_roots::load();
    (loaded.certs, loaded.errors.into_iter().next())
}

/// The system's root certificates, and the first problem met reading them.
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn system_roots() -> (Vec<CertificateDer<'static>>, Option<String>) {
    let loaded = rustls_native_certs::load_native_certs();
    let error = loaded.errors.first().map(ToString::to_string);
    (loaded.certs, error)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::{TcpListener, TcpStream};

    /// How the test server treats a connection after each answer.
    #[derive(Clone, Copy, PartialEq)]
    enum After {
        KeepAlive,
        /// Answers with `Connection: close` and closes.
        SayClose,
        /// Closes the socket without saying so (a server or middlebox dropping idle connections).
        SilentlyClose,
    }

    struct Server {
        url: String,
        accepted: Arc<AtomicUsize>,
        /// Receives one message per connection the server has closed.
        closed: tokio::sync::mpsc::UnboundedReceiver<()>,
    }

    /// An HTTP/1.1 server on 127.0.0.1 answering `{"n":K}` (K: the request's number on its
    /// connection); with `barrier`, every answer waits until that many requests have arrived.
    async fn server(after: After, barrier: Option<Arc<tokio::sync::Barrier>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let (closed_tx, closed) = tokio::sync::mpsc::unbounded_channel();
        let counter = accepted.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                counter.fetch_add(1, Ordering::SeqCst);
                let (barrier, closed_tx) = (barrier.clone(), closed_tx.clone());
                tokio::spawn(async move {
                    serve_connection(stream, after, barrier).await;
                    let _ = closed_tx.send(());
                });
            }
        });
        Server {
            url,
            accepted,
            closed,
        }
    }

    async fn serve_connection(
        mut stream: TcpStream,
        after: After,
        barrier: Option<Arc<tokio::sync::Barrier>>,
    ) {
        let mut buffer = Vec::new();
        let mut requests = 0;
        loop {
            // Requests without a body: the head is the whole request.
            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                let mut chunk = [0u8; 1024];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
            let end = buffer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            buffer.drain(..end);
            requests += 1;
            if let Some(barrier) = &barrier {
                barrier.wait().await;
            }
            let body = format!("{{\"n\":{requests}}}");
            let close = if after == After::SayClose {
                "Connection: close\r\n"
            } else {
                ""
            };
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n{close}\r\n{body}",
                body.len()
            );
            if stream.write_all(answer.as_bytes()).await.is_err() || after != After::KeepAlive {
                return;
            }
        }
    }

    fn get(url: &str) -> HttpRequest {
        let uri: http::Uri = url.parse().unwrap();
        let host = uri.authority().unwrap().as_str().to_owned();
        http::Request::builder()
            .uri(uri)
            .header(http::header::HOST, host)
            .body(Bytes::new())
            .unwrap()
    }

    async fn body_of(client: &HyperClient, url: &str) -> String {
        let response = client.send(get(url)).await.unwrap();
        assert_eq!(response.status(), 200);
        String::from_utf8(response.into_body().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn sequential_calls_reuse_one_connection() {
        let server = server(After::KeepAlive, None).await;
        let client = HyperClient::default();
        for n in 1..=5 {
            assert_eq!(
                body_of(&client, &server.url).await,
                format!("{{\"n\":{n}}}")
            );
        }
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
        assert_eq!(client.idle_connections(), 1);
    }

    #[tokio::test]
    async fn a_connection_the_server_closes_is_not_reused() {
        let mut server = server(After::SilentlyClose, None).await;
        let client = HyperClient::default();
        for _ in 0..3 {
            // Each call gets a fresh connection: the closed one is found closed and dropped,
            // instead of failing the next call.
            assert_eq!(body_of(&client, &server.url).await, r#"{"n":1}"#);
            server.closed.recv().await.unwrap();
        }
        assert_eq!(server.accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn connection_close_answers_are_not_pooled() {
        let server = server(After::SayClose, None).await;
        let client = HyperClient::default();
        assert_eq!(body_of(&client, &server.url).await, r#"{"n":1}"#);
        assert_eq!(client.idle_connections(), 0);
        assert_eq!(body_of(&client, &server.url).await, r#"{"n":1}"#);
        assert_eq!(server.accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_calls_get_their_own_connections_and_then_share_them() {
        const CALLS: usize = 20;
        // No answer until all CALLS requests have arrived: CALLS connections are needed.
        let barrier = Arc::new(tokio::sync::Barrier::new(CALLS));
        let server = server(After::KeepAlive, Some(barrier)).await;
        let client = HyperClient::default();
        for round in 1..=2 {
            let mut calls = tokio::task::JoinSet::new();
            for _ in 0..CALLS {
                let (client, url) = (client.clone(), server.url.clone());
                calls.spawn(async move { body_of(&client, &url).await });
            }
            while let Some(body) = calls.join_next().await {
                assert_eq!(body.unwrap(), format!("{{\"n\":{round}}}"));
            }
            // The second round reuses the first round's connections.
            assert_eq!(server.accepted.load(Ordering::SeqCst), CALLS);
            assert_eq!(client.idle_connections(), CALLS);
        }
    }

    #[tokio::test]
    async fn a_request_on_a_connection_closed_in_the_meantime_fails_instead_of_hanging() {
        // The server closes an idle keep-alive connection after the checkout looked at it:
        // hyper reads the clean close before taking the queued request and finishes without an
        // error. The request must then fail ("connection closed"), not wait forever.
        let (client_side, mut server_side) = tokio::io::duplex(4096);
        let io: Box<dyn Io> = Box::new(hyper_util::rt::TokioIo::new(client_side));
        let (mut sender, connection) = http1::Builder::new().handshake(io).await.unwrap();
        let mut conn = Pooled {
            https: false,
            authority: "example.test".parse().unwrap(),
            absolute_form: false,
            sender,
            wire: Wire::new(connection),
            idle_since: Instant::now(),
        };
        // One whole exchange: the connection is then idle, kept alive.
        let sent = conn
            .sender
            .send_request(get("http://example.test/").map(Body::new));
        let server = tokio::spawn(async move {
            let mut request = Vec::new();
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let mut chunk = [0u8; 1024];
                let n = server_side.read(&mut chunk).await.unwrap();
                request.extend_from_slice(&chunk[..n]);
            }
            let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
            server_side.write_all(answer).await.unwrap();
            server_side
        });
        let response = drive(&mut conn.wire, sent).await.unwrap();
        let body = read_body(&mut conn.wire, response.into_body(), None).await;
        assert_eq!(&body.unwrap()[..], b"hi");
        assert!(conn.usable(), "the checkout's look");
        drop(server.await.unwrap()); // the close, after the checkout
        sender = conn.sender;
        let sent = sender.send_request(get("http://example.test/").map(Body::new));
        let outcome =
            tokio::time::timeout(Duration::from_secs(5), drive(&mut conn.wire, sent)).await;
        let error = outcome.expect("the call hung").unwrap_err();
        assert!(error.is_canceled() || error.is_closed(), "{error}");
        assert!(conn.wire.done());
    }

    /// Counts the wakes of the task that happen while the task itself is being polled.
    struct SelfWakes {
        polling: std::sync::atomic::AtomicBool,
        during_poll: AtomicUsize,
        task: Mutex<Option<Waker>>,
    }

    impl Wake for SelfWakes {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            if self.polling.load(Ordering::SeqCst) {
                self.during_poll.fetch_add(1, Ordering::SeqCst);
            }
            if let Some(task) = lock(&self.task).as_ref() {
                task.wake_by_ref();
            }
        }
    }

    #[tokio::test]
    async fn a_call_does_not_wake_itself() {
        // hyper's hand-offs (request, response head, body chunks) between the call and the
        // connection it drives must not wake the call: the runtime would poll it again for
        // nothing. Only the socket (the runtime's I/O driver, between polls) may.
        let server = server(After::KeepAlive, None).await;
        let client = HyperClient::default();
        body_of(&client, &server.url).await; // connects: not measured
        let counter = Arc::new(SelfWakes {
            polling: std::sync::atomic::AtomicBool::new(false),
            during_poll: AtomicUsize::new(0),
            task: Mutex::new(None),
        });
        let waker = Waker::from(counter.clone());
        for n in 2..=6 {
            let mut call = std::pin::pin!(body_of(&client, &server.url));
            let body = std::future::poll_fn(|cx| {
                *lock(&counter.task) = Some(cx.waker().clone());
                counter.polling.store(true, Ordering::SeqCst);
                let result = call.as_mut().poll(&mut Context::from_waker(&waker));
                counter.polling.store(false, Ordering::SeqCst);
                result
            })
            .await;
            assert_eq!(body, format!("{{\"n\":{n}}}"));
        }
        assert_eq!(counter.during_poll.load(Ordering::SeqCst), 0);
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_refused_connection_fails_before_the_response() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let error = HyperClient::default().send(get(&url)).await.unwrap_err();
        assert!(
            matches!(
                error,
                HttpError::BeforeResponse {
                    context: "connecting",
                    ..
                }
            ),
            "{error}"
        );
    }
}
