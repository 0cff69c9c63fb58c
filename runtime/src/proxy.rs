//! HTTP proxies: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case), or set in code.
//!
//! https requests go through an HTTP `CONNECT` tunnel (TLS is then end to end, with the
//! service's name); http requests are sent to the proxy in absolute form
//! (`POST http://host/ HTTP/1.1`). Credentials in the proxy URL (`http://user:pass@proxy:3128`)
//! become a `Proxy-Authorization: Basic` header and are never shown in Debug or errors.

use crate::error::ConfigError;
use http::{HeaderValue, Uri};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Which proxy each request uses.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Proxy>,
    https: Option<Proxy>,
    no_proxy: Vec<String>,
}

#[derive(Clone, PartialEq, Eq)]
struct Proxy {
    /// `http://host:port`, without user information.
    uri: Uri,
    authorization: Option<HeaderValue>,
}

impl ProxyConfig {
    /// No proxy (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Sends https requests through the proxy at `url` (`http://[user:pass@]host:port`).
    pub fn with_https_proxy(mut self, url: &str) -> Result<Self, ConfigError> {
        self.https = Some(Proxy::parse(url)?);
        Ok(self)
    }

    /// Sends http requests through the proxy at `url`.
    pub fn with_http_proxy(mut self, url: &str) -> Result<Self, ConfigError> {
        self.http = Some(Proxy::parse(url)?);
        Ok(self)
    }

    /// Hosts reached directly, as `NO_PROXY` lists them: comma-separated names (`example.com`
    /// also matches its subdomains; a leading `.` or `*.` is the same), IP addresses, or `*`.
    pub fn with_no_proxy(mut self, list: &str) -> Self {
        self.no_proxy = list
            .split(',')
            .map(|entry| {
                let entry = entry.trim().to_ascii_lowercase();
                let entry = entry.strip_prefix("*.").unwrap_or(&entry);
                entry.strip_prefix('.').unwrap_or(entry).to_owned()
            })
            .filter(|entry| !entry.is_empty())
            .collect();
        self
    }

    /// True when no request uses a proxy.
    pub fn is_none(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    fn for_uri(&self, uri: &Uri) -> Option<&Proxy> {
        let proxy = if uri.scheme() == Some(&http::uri::Scheme::HTTPS) {
            self.https.as_ref()
        } else {
            self.http.as_ref()
        }?;
        let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
        let host = host.to_ascii_lowercase();
        let bypass = self.no_proxy.iter().any(|entry| {
            entry == "*"
                || host == *entry
                || (host.len() > entry.len()
                    && host.ends_with(entry.as_str())
                    && host.as_bytes()[host.len() - entry.len() - 1] == b'.')
        });
        (!bypass).then_some(proxy)
    }

    /// The `Proxy-Authorization` for an http request to `uri`, if it goes through a proxy with
    /// credentials (a tunnel sends it on the `CONNECT` instead).
    pub(crate) fn http_authorization(&self, uri: &Uri) -> Option<&HeaderValue> {
        if uri.scheme() == Some(&http::uri::Scheme::HTTPS) {
            return None;
        }
        self.for_uri(uri)?.authorization.as_ref()
    }
}

impl Proxy {
    fn parse(url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            url: crate::redact::url(url).into_owned(),
            reason: format!("as a proxy URL: {reason}"),
        };
        // `host:port` alone means http, as curl reads it.
        let with_scheme = if url.contains("://") {
            url.trim().to_owned()
        } else {
            format!("http://{}", url.trim())
        };
        let uri: Uri = with_scheme
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&format!("not a URL ({e})")))?;
        if uri.scheme_str() != Some("http") {
            return Err(invalid("only http:// proxies are supported"));
        }
        let authority = uri.authority().ok_or_else(|| invalid("no host"))?;
        let (user_info, host_port) = match authority.as_str().rsplit_once('@') {
            Some((user_info, host_port)) => (Some(user_info), host_port),
            None => (None, authority.as_str()),
        };
        let host_port = if host_port.contains(':') {
            host_port.to_owned()
        } else {
            format!("{host_port}:80")
        };
        let uri = format!("http://{host_port}")
            .parse()
            .map_err(|_| invalid("not a valid host"))?;
        let authorization = match user_info {
            Some(user_info) => {
                let (user, password) = user_info.split_once(':').unwrap_or((user_info, ""));
                let decoded = format!("{}:{}", percent_decode(user), percent_decode(password));
                let mut value = HeaderValue::try_from(format!(
                    "Basic {}",
                    crate::primitives::base64_encode(decoded.as_bytes())
                ))
                .map_err(|_| invalid("unusable credentials"))?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Self { uri, authorization })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.authorization {
            Some(_) => write!(
                f,
                "http://<redacted>@{}",
                self.uri.authority().map_or("", |a| a.as_str())
            ),
            None => write!(f, "{}", self.uri),
        }
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("http", &self.http)
            .field("https", &self.https)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// The TCP connector, going through the configured proxy where it applies.
#[derive(Clone)]
pub(crate) struct ProxyConnector<R> {
    pub(crate) tcp: HttpConnector<R>,
    pub(crate) proxies: Arc<ProxyConfig>,
}

/// A connection, direct or through a proxy.
pub(crate) struct ProxyStream {
    io: TokioIo<TcpStream>,
    /// Requests on it must be in absolute form (an http request through a proxy).
    absolute_form: bool,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<R> tower_service::Service<Uri> for ProxyConnector<R>
where
    HttpConnector<R>:
        tower_service::Service<Uri, Response = TokioIo<TcpStream>> + Clone + Send + 'static,
    <HttpConnector<R> as tower_service::Service<Uri>>::Error: Into<BoxError>,
    <HttpConnector<R> as tower_service::Service<Uri>>::Future: Send,
{
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let proxy = self.proxies.for_uri(&dst).cloned();
        let mut tcp = self.tcp.clone();
        Box::pin(async move {
            let Some(proxy) = proxy else {
                let io = tcp.call(dst).await.map_err(Into::into)?;
                return Ok(ProxyStream {
                    io,
                    absolute_form: false,
                });
            };
            let io = tcp.call(proxy.uri.clone()).await.map_err(Into::into)?;
            if dst.scheme() != Some(&http::uri::Scheme::HTTPS) {
                return Ok(ProxyStream {
                    io,
                    absolute_form: true,
                });
            }
            let stream = connect_tunnel(io.into_inner(), &dst, &proxy).await?;
            Ok(ProxyStream {
                io: TokioIo::new(stream),
                absolute_form: false,
            })
        })
    }
}

/// Asks the proxy on `stream` for a tunnel to `dst`'s host and port.
async fn connect_tunnel(
    mut stream: TcpStream,
    dst: &Uri,
    proxy: &Proxy,
) -> Result<TcpStream, BoxError> {
    let host = dst.host().ok_or("the URL has no host")?;
    let port = dst.port_u16().unwrap_or(443);
    let target = format!("{host}:{port}");
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(authorization) = &proxy.authorization {
        request.push_str("Proxy-Authorization: ");
        request.push_str(authorization.to_str().unwrap_or_default());
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await?;
    // Read the proxy's answer head, byte by byte: nothing after it may be consumed.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err("the proxy's answer to CONNECT is too long".into());
        }
        let mut byte = [0u8];
        if stream.read(&mut byte).await? == 0 {
            return Err("the proxy closed the connection during CONNECT".into());
        }
        head.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(&head);
    let status_line = status_line.lines().next().unwrap_or_default();
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if !status.starts_with('2') {
        return Err(format!(
            "the proxy refused the tunnel to {target}: {}",
            crate::redact::Escaped(status_line)
        )
        .into());
    }
    Ok(stream)
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.absolute_form)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_proxy_by_scheme_and_no_proxy() {
        let config = ProxyConfig::none()
            .with_https_proxy("http://u%40corp:p%3Ass@proxy.corp:3128")
            .unwrap()
            .with_http_proxy("proxy.corp")
            .unwrap()
            .with_no_proxy("localhost, .internal.corp,10.0.0.1");
        let uri = |u: &str| u.parse::<Uri>().unwrap();
        let https = config
            .for_uri(&uri("https://api.ecr.us-west-2.amazonaws.com/"))
            .unwrap();
        assert_eq!(https.uri, "http://proxy.corp:3128/");
        assert_eq!(
            https.authorization.as_ref().unwrap(),
            &format!("Basic {}", crate::primitives::base64_encode(b"u@corp:p:ss"))
        );
        let http = config.for_uri(&uri("http://example.com/")).unwrap();
        assert_eq!(http.uri, "http://proxy.corp:80/");
        for direct in [
            "https://localhost:4566/",
            "https://ecr.internal.corp/",
            "http://internal.corp/",
            "http://10.0.0.1/",
        ] {
            assert!(config.for_uri(&uri(direct)).is_none(), "{direct}");
        }
        assert!(config.for_uri(&uri("https://notinternal.corp/")).is_some());
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("p%3Ass") && !shown.contains("u%40corp"),
            "{shown}"
        );
        assert!(
            shown.contains("http://<redacted>@proxy.corp:3128"),
            "{shown}"
        );
    }

    #[test]
    fn bad_proxy_urls_are_errors_without_passwords() {
        let error = ProxyConfig::none()
            .with_https_proxy("https://u:hunter2@proxy:3128")
            .unwrap_err()
            .to_string();
        assert!(error.contains("only http:// proxies"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }
}
