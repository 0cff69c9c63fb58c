//! The HTTP/1.1 connection pool: hyper-util's pooled client over hyper-rustls.
//!
//! Built once per client. TLS uses rustls with the `ring` provider and the system's root
//! certificates, which are loaded only for https endpoints, so a plain-http emulator endpoint
//! works on a machine without any.

use crate::endpoint::Endpoint;
use crate::error::{
    ConfigError, SdkError, ServiceErrorResponse, TimeoutError, TimeoutKind, TransportError,
};
use bytes::Bytes;
use hyper_rustls::{ConfigBuilderExt as _, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::error::Error;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Request bodies are sent whole.
pub(crate) type Body = http_body_util::Full<Bytes>;

/// The pooled client.
pub(crate) type HttpClient = Client<HttpsConnector<HttpConnector<Resolver>>, Body>;

/// Idle pooled connections are closed after this long (AWS front ends drop them anyway).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Builds the pooled client for `endpoint`.
pub(crate) fn build_client(
    endpoint: &Endpoint,
    connect_timeout: Option<Duration>,
    connect_to: Option<SocketAddr>,
) -> Result<HttpClient, ConfigError> {
    let resolver = match connect_to {
        Some(addr) => Resolver::Fixed(addr),
        None => Resolver::System(GaiResolver::new()),
    };
    let mut tcp = HttpConnector::new_with_resolver(resolver);
    tcp.enforce_http(false); // the https wrapper handles https URIs
    tcp.set_nodelay(true); // small request/response pairs: do not wait for Nagle
    tcp.set_connect_timeout(connect_timeout);

    let connector = HttpsConnectorBuilder::new()
        .with_tls_config(tls_config(endpoint.is_https)?)
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp);

    Ok(Client::builder(TokioExecutor::new())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .build(connector))
}

fn tls_config(https: bool) -> Result<rustls::ClientConfig, ConfigError> {
    // An explicit provider: the process-wide default may be unset, or set to another one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls {
            reason: e.to_string(),
        })?;
    let config = if https {
        builder
            .with_native_roots()
            .map_err(|e| ConfigError::Tls {
                reason: format!("cannot load the system's root certificates: {e}"),
            })?
            .with_no_client_auth()
    } else {
        // Never used for TLS: the endpoint is plain http.
        builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    };
    Ok(config)
}

/// Name resolution: the system's, or one fixed address for every name
/// ([`ConfigBuilder::connect_to`](crate::ConfigBuilder::connect_to)).
#[derive(Clone, Debug)]
pub(crate) enum Resolver {
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

/// Turns a failure of `client.request` into the caller's error.
pub(crate) fn request_error(
    error: hyper_util::client::legacy::Error,
    connect_timeout: Option<Duration>,
) -> SdkError<ServiceErrorResponse> {
    if error.is_connect() {
        if let Some(after) = connect_timeout {
            if has_io_error(&error, std::io::ErrorKind::TimedOut) {
                return SdkError::Timeout(TimeoutError::new(TimeoutKind::Connect, after));
            }
        }
        return SdkError::Transport(TransportError::new("connecting", error));
    }
    SdkError::Transport(TransportError::new("sending the request", error))
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
