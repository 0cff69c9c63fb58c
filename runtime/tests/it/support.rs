//! An in-process HTTP/1.1 server on 127.0.0.1 that answers with hand-written bytes, so tests
//! can send exactly what a broken server or proxy would: truncated bodies, resets, silence.
#![allow(dead_code)] // each test file uses a different part

use aws_thin_runtime::{Config, ConfigBuilder, Credentials, RetryConfig, ServiceMeta};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub static ECR: ServiceMeta = ServiceMeta {
    service_name: "AmazonEC2ContainerRegistry_V20150921",
    signing_name: "ecr",
    endpoint_prefix: "api.ecr",
    env_service_id: "ECR",
    json_version: "1.1",
    endpoint_rules: None,
};

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const GOLDEN_BODY: &str = r#"{"repositoryName":"ubuntu","force":true}"#;

/// 2015-08-30T12:36:00Z, the time of the golden signature.
pub fn golden_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

/// A config for `url` with the example credentials, a fixed clock and fast retries.
pub fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test"))
        .endpoint_url(url)
        .time_source(golden_time)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: String,
    pub path: String,
    /// Names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to do with a request.
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
}

/// A complete response with a correct Content-Length.
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

type Handler = dyn Fn(usize, &Captured) -> Reply + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Captured>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server; `handler` gets the 0-based index of the request and the request.
    pub async fn start(
        handler: impl Fn(usize, &Captured) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, conns) = (requests.clone(), connections.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                conns.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, handler.clone(), reqs.clone()));
            }
        });
        Server {
            addr,
            requests,
            connections,
            task,
        }
    }

    /// A server answering every request with the same status, headers and body.
    pub async fn always(
        status: u16,
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
    ) -> Server {
        Server::start(move |_, _| respond(status, headers, body)).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Captured>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut all = requests.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        match handler(index, &request) {
            Reply::Bytes(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::BytesThenClose(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Reset => {
                let _ = stream.set_zero_linger();
                return; // dropping with zero linger sends RST
            }
            Reply::Hang => {
                std::future::pending::<()>().await;
            }
            Reply::BytesThenHang(bytes) => {
                let _ = stream.write_all(&bytes).await;
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Reads one request (headers, then Content-Length bytes of body); `None` at end of stream.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Captured> {
    let header_end = loop {
        if let Some(pos) = find(buffer, b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
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
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Captured {
        method,
        path,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
