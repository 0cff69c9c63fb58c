//! The one stub HTTP/1.1 server of this workspace's tests and benchmarks.
//!
//! A [`Server`] listens on 127.0.0.1 (plain, or TLS with a certificate from the test CA
//! [`TEST_CA_PEM`]), records every request it reads, and answers each with the bytes a
//! [`Reply`] says, so a test can send exactly what a real service, a broken server or a proxy
//! would: canned responses, sequences of them, truncated bodies, resets, silence, CONNECT
//! tunnels. It runs on a thread of its own (its own tokio runtime), so it works the same from a
//! `#[tokio::test]` of either flavour, a plain `#[test]` or a blocking client, and dropping it
//! closes every connection it holds.
//!
//! [`serve_until_stdin_closes`] (and the `stub-server` binary) runs one in a process of its own,
//! for benchmarks whose figures must be the client's alone.
//!
//! `Server::always(200, &[], "{}")`, `Server::sequence([respond(500, &[], ""), respond(200, &[],
//! "{}")])`, `Server::start(|index, request| ...)`, `Server::start_tls(...)`; then `url()` for the
//! client's endpoint and `requests()` to assert on. (No doc-tests: each would be one more test
//! binary to link; the runtime's and the integration tests exercise every part.)

pub mod canned;

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The test CA (PEM): trust it, and only it, to reach a [`Server::start_tls`] server. Its key is
/// discarded; `tls/README.md` says how the certificates were made.
pub const TEST_CA_PEM: &[u8] = include_bytes!("../tls/ca.pem");
/// The server certificate for `localhost` and `127.0.0.1`, signed by the test CA.
const SERVER_CERT_PEM: &[u8] = include_bytes!("../tls/server.pem");
const SERVER_KEY_PEM: &[u8] = include_bytes!("../tls/server-key.pem");

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// The request target as sent: `/`, `/a?b`, an absolute URI (to a proxy), or `host:port`
    /// (CONNECT).
    pub path: String,
    /// Names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Write these bytes and keep the connection open for the next request.
    Bytes(Vec<u8>),
    /// Write these bytes, then close the connection.
    BytesThenClose(Vec<u8>),
    /// Reset the connection (TCP RST) without answering.
    Reset,
    /// Never answer; keep the connection open.
    Hang,
    /// Write these bytes (say a head and part of a body), then send nothing more.
    BytesThenHang(Vec<u8>),
    /// Answer a `CONNECT` with `200 Connection established`, then relay bytes both ways between
    /// the client and this address, as an HTTPS proxy does.
    Tunnel(SocketAddr),
}

/// A complete response with a correct Content-Length; the connection stays open.
pub fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Reply::Bytes(response_bytes(status, headers, body, body.len()))
}

/// Response bytes claiming `content_length` whatever the body's real length.
pub fn response_bytes(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
    content_length: usize,
) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Whatever\r\ncontent-length: {content_length}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

type Handler = dyn Fn(usize, &RecordedRequest) -> Reply + Send + Sync;

/// What the server thread and the test share.
struct Shared {
    record: bool,
    requests: Mutex<Vec<RecordedRequest>>,
    request_count: AtomicUsize,
    connection_count: AtomicUsize,
    server_names: Mutex<Vec<Option<String>>>,
}

/// How to start a [`Server`]: [`Server::builder`].
#[derive(Clone, Debug)]
pub struct Builder {
    tls: bool,
    record: bool,
}

impl Builder {
    /// Speak TLS (certificate for `localhost` and `127.0.0.1` from [`TEST_CA_PEM`]).
    pub fn tls(mut self) -> Builder {
        self.tls = true;
        self
    }

    /// Count requests but keep none (for benchmarks: memory stays flat however many calls).
    pub fn without_recording(mut self) -> Builder {
        self.record = false;
        self
    }

    /// Starts the server; `handler` gets the 0-based index of the request (across connections)
    /// and the request.
    pub fn start(
        self,
        handler: impl Fn(usize, &RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the listener's address");
        let shared = Arc::new(Shared {
            record: self.record,
            requests: Mutex::new(Vec::new()),
            request_count: AtomicUsize::new(0),
            connection_count: AtomicUsize::new(0),
            server_names: Mutex::new(Vec::new()),
        });
        let tls = self.tls.then(tls_config);
        let handler: Arc<Handler> = Arc::new(handler);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("stub-server {addr}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                    .expect("the stub server's runtime");
                runtime.spawn(async move {
                    let listener = TcpListener::from_std(listener).expect("a tokio listener");
                    accept(listener, tls, handler, state).await;
                });
                let _ = runtime.block_on(stopped);
                // Dropping the runtime cancels every connection task: their sockets close.
            })
            .expect("spawn the stub server's thread");
        Server {
            addr,
            tls: self.tls,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

/// A stub HTTP/1.1 server on 127.0.0.1; stops (closing its connections) when dropped.
pub struct Server {
    addr: SocketAddr,
    tls: bool,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// A plain-HTTP server that records its requests; see [`Builder`] for TLS and more.
    pub fn builder() -> Builder {
        Builder {
            tls: false,
            record: true,
        }
    }

    /// Starts a plain-HTTP server; `handler` gets the 0-based index of the request and the
    /// request.
    pub fn start(
        handler: impl Fn(usize, &RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::builder().start(handler)
    }

    /// Starts a TLS server (certificate from [`TEST_CA_PEM`]).
    pub fn start_tls(
        handler: impl Fn(usize, &RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::builder().tls().start(handler)
    }

    /// A server answering every request with the same status, headers and body.
    pub fn always(status: u16, headers: &[(&str, &str)], body: &str) -> Server {
        let reply = respond(status, headers, body);
        Server::start(move |_, _| reply.clone())
    }

    /// A server answering the n-th request with the n-th reply; a request beyond them gets a
    /// 500 whose body says so (a test expecting fewer requests then fails with that message).
    pub fn sequence(replies: impl IntoIterator<Item = Reply>) -> Server {
        let replies: Vec<Reply> = replies.into_iter().collect();
        Server::start(move |index, _| {
            replies.get(index).cloned().unwrap_or_else(|| {
                let message = format!(
                    "stub-server: no reply scripted for request {} (only {})",
                    index + 1,
                    replies.len()
                );
                respond(500, &[("content-type", "text/plain")], &message)
            })
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://` for a TLS server.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The requests read so far, in the order they were read (empty
    /// [`without_recording`](Builder::without_recording)).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// Connections accepted (TCP), whether or not a request followed.
    pub fn connection_count(&self) -> usize {
        self.shared.connection_count.load(Ordering::SeqCst)
    }

    /// A TLS server: the server name (SNI) of each ClientHello read, in order, `None` for a
    /// hello without one. Recorded before the handshake goes on, so a client that then rejects
    /// the certificate is counted too.
    pub fn server_names(&self) -> Vec<Option<String>> {
        self.shared.server_names.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs a server answering `reply` to every request, without recording, in this process:
/// prints its port alone on a line on stdout, then serves until stdin reaches end of file.
/// The `stub-server` binary and the per-call benchmark's `--serve` child are this.
pub fn serve_until_stdin_closes(reply: Reply) {
    let server = Server::builder()
        .without_recording()
        .start(move |_, _| reply.clone());
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", server.addr().port()).expect("print the port");
    stdout.flush().expect("flush stdout");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

fn tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT_PEM)
        .collect::<Result<Vec<_>, _>>()
        .expect("the test server certificate");
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM).expect("the test server key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the test certificate and key");
    Arc::new(config)
}

async fn accept(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    handler: Arc<Handler>,
    shared: Arc<Shared>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        shared.connection_count.fetch_add(1, Ordering::SeqCst);
        // Small writes (a head, then part of a body) go out at once.
        let _ = stream.set_nodelay(true);
        let (handler, shared, tls) = (handler.clone(), shared.clone(), tls.clone());
        tokio::spawn(async move {
            match tls {
                None => serve(stream, handler, shared).await,
                Some(config) => {
                    let acceptor = tokio_rustls::LazyConfigAcceptor::new(
                        rustls::server::Acceptor::default(),
                        stream,
                    );
                    let Ok(start) = acceptor.await else { return };
                    let name = start.client_hello().server_name().map(str::to_owned);
                    shared.server_names.lock().unwrap().push(name);
                    let Ok(stream) = start.into_stream(config).await else {
                        return;
                    };
                    serve(stream, handler, shared).await
                }
            }
        });
    }
}

/// A connection the server can reset.
trait Connection: AsyncRead + AsyncWrite + Unpin + Send {
    fn tcp(&self) -> &TcpStream;
}

impl Connection for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Connection for tokio_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

async fn serve(mut stream: impl Connection, handler: Arc<Handler>, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = if shared.record {
            let mut all = shared.requests.lock().unwrap();
            all.push(request.clone());
            shared.request_count.store(all.len(), Ordering::SeqCst);
            all.len() - 1
        } else {
            shared.request_count.fetch_add(1, Ordering::SeqCst)
        };
        match handler(index, &request) {
            Reply::Bytes(bytes) => {
                if stream.write_all(&bytes).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
            }
            Reply::BytesThenClose(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Reset => {
                let _ = stream.tcp().set_zero_linger();
                return; // dropping with zero linger sends RST
            }
            Reply::Hang => std::future::pending::<()>().await,
            Reply::BytesThenHang(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                std::future::pending::<()>().await;
            }
            Reply::Tunnel(upstream) => {
                let Ok(mut upstream) = TcpStream::connect(upstream).await else {
                    return;
                };
                let established = b"HTTP/1.1 200 Connection established\r\n\r\n";
                if stream.write_all(established).await.is_err()
                    || upstream.write_all(&buffer).await.is_err()
                {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut stream, &mut upstream).await;
                return;
            }
        }
    }
}

/// Reads one request (head, then Content-Length bytes of body); `None` at end of stream.
async fn read_request(
    stream: &mut (impl AsyncRead + Unpin),
    buffer: &mut Vec<u8>,
) -> Option<RecordedRequest> {
    let header_end = loop {
        if let Some(pos) = find(buffer, b"\r\n\r\n") {
            break pos;
        }
        read_more(stream, buffer).await?;
    };
    let head = String::from_utf8(buffer[..header_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = header_end + 4;
    while buffer.len() < body_start + length {
        read_more(stream, buffer).await?;
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(RecordedRequest {
        method,
        path,
        headers,
        body,
    })
}

/// Appends what the stream has; `None` at end of stream or on an error.
async fn read_more(stream: &mut (impl AsyncRead + Unpin), buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
