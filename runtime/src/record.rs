//! Recording real traffic for offline replay (feature `test-util`): an [`HttpClient`] that sends
//! through another one and keeps every exchange as `http-traffic.json` events
//! ([`NetworkTraffic`]), with credentials, signatures and tokens scrubbed.
//!
//! Capture a test's traffic once against AWS or an emulator, save it, and replay it offline with
//! [`ReplayingClient`](crate::test_util::ReplayingClient), which serves the recorded responses
//! and checks that the requests are the same.

use crate::http_client::{HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse};
use crate::test_util::{Action, BodyData, Direction, Event, NetworkTraffic, Request, Response};
use crate::transport::HyperClient;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// Request headers that carry credentials. `authorization` is kept with its access key id and
/// signature replaced (replay does not compare it); the session token is dropped, so a replay
/// with other credentials still matches.
const DROPPED_HEADERS: &[&str] = &["x-amz-security-token", "x-aws-ec2-metadata-token"];

/// JSON members and XML elements whose values are secrets wherever they appear in a body:
/// credentials (STS, IMDS, SSO, container credentials) and bearer or authorization tokens.
/// Pagination tokens (`nextToken`) are kept: a replay has to send them back.
const SECRET_FIELDS: &[&str] = &[
    "secretaccesskey",
    "sessiontoken",
    "token",
    "accesstoken",
    "authorizationtoken",
    "password",
];

/// What a scrubbed value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Sends through an inner [`HttpClient`] and records each exchange. Cheap to clone; clones share
/// the recording, so a test keeps one to [`save`](Self::save) after the client under test ran.
#[derive(Clone)]
pub struct RecordingClient {
    inner: Arc<dyn HttpClient>,
    state: Arc<Mutex<NetworkTraffic>>,
}

impl RecordingClient {
    /// Records what `inner` sends and receives.
    pub fn new(inner: impl HttpClient + 'static) -> Self {
        Self {
            inner: Arc::new(inner),
            state: Arc::new(Mutex::new(NetworkTraffic {
                docs: None,
                version: "V0".to_owned(),
                events: Vec::new(),
            })),
        }
    }

    /// Records real traffic, through the default connection pool (no connect timeout).
    pub fn with_default_client() -> Self {
        Self::new(HyperClient::new(None, None))
    }

    /// Sets the recording's `docs`: what it shows.
    pub fn with_docs(self, docs: impl Into<String>) -> Self {
        self.lock().docs = Some(docs.into());
        self
    }

    /// The recording so far (already scrubbed).
    pub fn traffic(&self) -> NetworkTraffic {
        self.lock().clone()
    }

    /// Writes the recording so far to `path` as pretty-printed JSON.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), std::io::Error> {
        let json = serde_json::to_string_pretty(&self.traffic()).map_err(std::io::Error::other)?;
        crate::os::Fs::real().write(path.as_ref(), (json + "\n").as_bytes())
    }

    fn lock(&self) -> MutexGuard<'_, NetworkTraffic> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn record_request(&self, request: &HttpRequest) -> usize {
        let mut traffic = self.lock();
        let id = traffic
            .events
            .iter()
            .map(|e| e.connection_id + 1)
            .max()
            .unwrap_or(0);
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in request.headers() {
            let name = name.as_str();
            if DROPPED_HEADERS.contains(&name) {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = if name == "authorization" {
                scrub_authorization(&value)
            } else {
                value.into_owned()
            };
            headers.entry(name.to_owned()).or_default().push(value);
        }
        let head = Request {
            uri: request.uri().to_string(),
            headers,
            method: request.method().to_string(),
        };
        traffic.events.push(Event {
            connection_id: id,
            action: Action::Request { request: head },
        });
        push_body(&mut traffic, id, Direction::Request, request.body(), true);
        id
    }

    fn record_response(&self, id: usize, result: &Result<HttpResponse, HttpError>) {
        let mut traffic = self.lock();
        match result {
            Ok(response) => {
                let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (name, value) in response.headers() {
                    headers
                        .entry(name.as_str().to_owned())
                        .or_default()
                        .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
                }
                traffic.events.push(Event {
                    connection_id: id,
                    action: Action::Response {
                        response: Ok(Response {
                            status: response.status().as_u16(),
                            version: Some("HTTP/1.1".to_owned()),
                            headers,
                        }),
                    },
                });
                push_body(&mut traffic, id, Direction::Response, response.body(), true);
            }
            Err(error) => {
                traffic.events.push(Event {
                    connection_id: id,
                    action: Action::Response {
                        response: Err(error.to_string()),
                    },
                });
            }
        }
    }
}

fn push_body(traffic: &mut NetworkTraffic, id: usize, direction: Direction, body: &[u8], ok: bool) {
    if !body.is_empty() {
        let data = match std::str::from_utf8(body) {
            Ok(text) => BodyData::Utf8(scrub_body(text)),
            Err(_) => BodyData::Base64(base64_encode(body)),
        };
        traffic.events.push(Event {
            connection_id: id,
            action: Action::Data { data, direction },
        });
    }
    traffic.events.push(Event {
        connection_id: id,
        action: Action::Eof { ok, direction },
    });
}

impl HttpClient for RecordingClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        let id = self.record_request(&request);
        Box::pin(async move {
            let result = self.inner.send(request).await;
            self.record_response(id, &result);
            result
        })
    }
}

impl fmt::Debug for RecordingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingClient")
            .field("inner", &self.inner)
            .field("events", &self.lock().events.len())
            .finish()
    }
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ecr/aws4_request, SignedHeaders=..,
/// Signature=abc` keeps its scope and signed headers; the access key id and signature go.
fn scrub_authorization(value: &str) -> String {
    value
        .split(", ")
        .map(|part| {
            if let Some(credential) = part.split_once("Credential=") {
                let scope = credential.1.split_once('/').map_or("", |(_, s)| s);
                format!("{}Credential={REDACTED}/{scope}", credential.0)
            } else if let Some((before, _)) = part.split_once("Signature=") {
                format!("{before}Signature={REDACTED}")
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces secret values in a JSON body (any depth) or an XML body.
fn scrub_body(text: &str) -> String {
    if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(text) {
        if scrub_json(&mut json) {
            return json.to_string();
        }
        return text.to_owned();
    }
    scrub_xml(text)
}

fn is_secret(name: &str) -> bool {
    SECRET_FIELDS.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether anything was replaced.
fn scrub_json(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            let mut changed = false;
            for (key, member) in map.iter_mut() {
                if is_secret(key) && member.is_string() {
                    *member = REDACTED.into();
                    changed = true;
                } else {
                    changed |= scrub_json(member);
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| scrub_json(item) | changed),
        _ => false,
    }
}

/// `<SecretAccessKey>x</SecretAccessKey>` → `<SecretAccessKey><redacted></SecretAccessKey>`.
fn scrub_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>').map(|e| start + e) else {
            break;
        };
        let tag = &rest[start + 1..end];
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
        if is_secret(tag) {
            let close = format!("</{tag}>");
            if let Some(value_end) = rest.find(&close) {
                out.push_str("&lt;redacted&gt;");
                rest = &rest[value_end..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_scope_and_signed_headers_only() {
        let scrubbed = scrub_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecr/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, Signature=f44cad9d3749",
        );
        assert_eq!(
            scrubbed,
            "AWS4-HMAC-SHA256 Credential=<redacted>/20150830/us-east-1/ecr/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, Signature=<redacted>"
        );
    }

    #[test]
    fn secrets_in_json_and_xml_bodies_are_replaced_and_pagination_tokens_kept() {
        let json = r#"{"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s3cr3t","sessionToken":"t0k3n"},"nextToken":"page2"}"#;
        let scrubbed = scrub_body(json);
        assert!(
            !scrubbed.contains("s3cr3t") && !scrubbed.contains("t0k3n"),
            "{scrubbed}"
        );
        assert!(
            scrubbed.contains("page2") && scrubbed.contains("ASIA1"),
            "{scrubbed}"
        );

        let xml = "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey><SessionToken>t0k3n</SessionToken></Credentials>";
        let scrubbed = scrub_body(xml);
        assert_eq!(
            scrubbed,
            "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>&lt;redacted&gt;</SecretAccessKey><SessionToken>&lt;redacted&gt;</SessionToken></Credentials>"
        );
        // Bodies without secrets are kept byte for byte.
        assert_eq!(scrub_body(r#"{"b": 1, "a": 2}"#), r#"{"b": 1, "a": 2}"#);
    }

    #[derive(Debug)]
    struct Answers200;

    impl HttpClient for Answers200 {
        fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(async {
                Ok(http::Response::builder()
                    .status(200)
                    .header("x-amzn-requestid", "r1")
                    .body(bytes::Bytes::from_static(
                        br#"{"credentials":{"secretAccessKey":"s3cr3t","sessionToken":"t0k3n"}}"#,
                    ))
                    .unwrap())
            })
        }
    }

    #[test]
    fn a_recording_keeps_the_exchange_without_credentials_or_signature() {
        let recorder = RecordingClient::new(Answers200);
        let request = http::Request::builder()
            .method("POST")
            .uri("https://api.ecr.us-east-1.amazonaws.com/")
            .header(
                "x-amz-target",
                "AmazonEC2ContainerRegistry_V20150921.DeleteRepository",
            )
            .header("x-amz-security-token", "FQoGZXIvYXdzSESSIONTOKEN")
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261201/us-east-1/ecr/aws4_request, \
                 SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=0123456789abcdef",
            )
            .body(bytes::Bytes::from_static(br#"{"repositoryName":"ubuntu"}"#))
            .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let response = runtime.block_on(recorder.send(request)).unwrap();
        assert_eq!(
            response.status(),
            200,
            "the inner client's answer is passed on"
        );

        let json = serde_json::to_string(&recorder.traffic()).unwrap();
        for secret in [
            "FQoGZXIvYXdzSESSIONTOKEN",
            "ASIAEXAMPLE",
            "0123456789abcdef",
            "s3cr3t",
            "t0k3n",
        ] {
            assert!(!json.contains(secret), "{secret} leaked into {json}");
        }
        let exchanges = recorder.traffic().exchanges().unwrap();
        assert_eq!(exchanges.len(), 1);
        assert_eq!(exchanges[0].request_body, br#"{"repositoryName":"ubuntu"}"#);
        assert_eq!(exchanges[0].response.as_ref().unwrap().status, 200);
    }

    #[test]
    fn base64_round_trips_through_the_replayer() {
        for bytes in [
            &b""[..],
            b"h",
            b"he",
            b"hel",
            b"hello world",
            &[0xff, 0x00, 0x80],
        ] {
            let encoded = base64_encode(bytes);
            assert_eq!(BodyData::Base64(encoded).bytes().unwrap(), bytes);
        }
    }
}
