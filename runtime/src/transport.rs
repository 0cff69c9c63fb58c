//! The default [`HttpClient`]: hyper-util's pooled HTTP/1.1 client, with rustls for https.
//!
//! TLS uses rustls with the `ring` provider and the system's root certificates, loaded when the
//! pool is built on the first request (or by [`HyperClient::check_tls`]). A machine without any
//! can still reach a plain-http emulator; only https requests then fail, saying why. One pool
//! serves both schemes (a second client type would add its own copy of hyper's client code).

use crate::error::ConfigError;
use crate::http_client::{
    HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse, HttpTimeout,
};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper_rustls::{ConfigBuilderExt as _, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
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

type Pool = Client<HttpsConnector<HttpConnector<Resolver>>, Body>;

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
    tcp: HttpConnector<Resolver>,
    connect_timeout: Option<Duration>,
    // Built on first use: loading the system's roots takes a while.
    pool: OnceLock<Result<(Pool, Option<String>), String>>,
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
        Self {
            inner: Arc::new(Inner {
                tcp,
                connect_timeout,
                pool: OnceLock::new(),
            }),
        }
    }

    /// Loads the TLS settings now (normally done on the first request), so that a machine
    /// without root certificates fails when the client is built rather than on the first call.
    pub fn check_tls(&self) -> Result<(), ConfigError> {
        match self.pool() {
            Ok((_, None)) => Ok(()),
            Ok((_, Some(reason))) | Err(reason) => Err(ConfigError::Tls {
                reason: reason.clone(),
            }),
        }
    }

    /// The pool, and why https cannot be used if the roots could not be loaded.
    fn pool(&self) -> Result<&(Pool, Option<String>), &String> {
        let pool = self.inner.pool.get_or_init(|| {
            let (tls, roots_error) = tls_config()?;
            let connector = HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .wrap_connector(self.inner.tcp.clone());
            let mut builder = Client::builder(TokioExecutor::new());
            builder
                .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                .pool_timer(TokioTimer::new());
            Ok((builder.build(connector), roots_error))
        });
        pool.as_ref()
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let tls_error =
            |reason: &String| HttpError::before_response("setting up TLS", reason.clone());
        let (pool, roots_error) = self.pool().map_err(tls_error)?;
        if let Some(reason) = roots_error {
            if request.uri().scheme() == Some(&http::uri::Scheme::HTTPS) {
                return Err(tls_error(reason));
            }
        }
        let response = pool
            .request(request.map(Body::new))
            .await
            .map_err(|e| self.request_error(e))?;
        let (head, incoming) = response.into_parts();
        let body = match Limited::new(incoming, MAX_RESPONSE_BODY).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                let source: Box<dyn Error + Send + Sync> =
                    if e.is::<http_body_util::LengthLimitError>() {
                        format!("the body is larger than {MAX_RESPONSE_BODY} bytes").into()
                    } else {
                        e
                    };
                return Err(HttpError::after_response_head(
                    head.status,
                    head.headers,
                    source,
                ));
            }
        };
        Ok(HttpResponse::from_parts(head, body))
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

/// The TLS settings with the system's root certificates; without any (plain http only) and the
/// reason when they cannot be loaded.
fn tls_config() -> Result<(rustls::ClientConfig, Option<String>), String> {
    // An explicit provider: the process-wide default may be unset, or set to another one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    Ok(match builder.clone().with_native_roots() {
        Ok(with_roots) => (with_roots.with_no_client_auth(), None),
        Err(e) => (
            builder
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth(),
            Some(format!("cannot load the system's root certificates: {e}")),
        ),
    })
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
