//! Test helpers (feature `test-util`): recorded HTTP traffic, and an [`HttpClient`] that
//! replays it.
//!
//! The traffic format is the AWS SDKs' `http-traffic.json` (the shared test data's
//! `aws-config/default-credential-provider-chain/*/http-traffic.json`): a list of [`Event`]s,
//! each on a numbered connection: the [`Request`] head, its body ([`Action::Data`]) and end
//! ([`Action::Eof`]), then the [`Response`] head, body and end.
//!
//! [`ReplayingClient`] answers the n-th request it is sent with the n-th recorded exchange (by
//! connection id) and checks the request against the recorded one: method, URI (the query as
//! data), body as data (a form body as its fields, JSON as JSON, else bytes), and every recorded
//! header except those that depend on the clock, the SDK or the body's encoding
//! ([`DEFAULT_IGNORED_HEADERS`]). A request that differs gets an error instead of the
//! recorded response; [`ReplayingClient::check`] lists every difference and every exchange
//! never asked for.

use crate::http_client::{HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Mutex;

/// A recording: what went over the network, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkTraffic {
    /// What the recording shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The format version (`V0`).
    #[serde(default = "default_version")]
    pub version: String,
    /// The events, in the order they happened.
    pub events: Vec<Event>,
}

fn default_version() -> String {
    "V0".to_owned()
}

/// One thing that happened on one connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Which connection (one request and its response each).
    pub connection_id: usize,
    /// What happened.
    pub action: Action,
}

/// What happened on a connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The request head was sent.
    Request {
        /// The head.
        request: Request,
    },
    /// The response head arrived (or the exchange failed).
    Response {
        /// The head, or why there was none.
        response: Result<Response, String>,
    },
    /// A body chunk.
    Data {
        /// The bytes.
        data: BodyData,
        /// Whose body.
        direction: Direction,
    },
    /// A body ended.
    Eof {
        /// False when the body ended with an error.
        ok: bool,
        /// Whose body.
        direction: Direction,
    },
}

/// A request head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The absolute URI.
    pub uri: String,
    /// Header values by name (names as recorded; compare case-insensitively).
    #[serde(default)]
    pub headers: BTreeMap<String, Vec<String>>,
    /// The method.
    pub method: String,
}

/// A response head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// `HTTP/1.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Header values by name.
    #[serde(default)]
    pub headers: BTreeMap<String, Vec<String>>,
}

/// A body chunk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyData {
    /// Text.
    Utf8(String),
    /// Bytes, base64-encoded.
    Base64(String),
}

impl BodyData {
    /// The bytes (invalid base64 gives an error).
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        match self {
            BodyData::Utf8(text) => Ok(text.as_bytes().to_vec()),
            BodyData::Base64(encoded) => base64_decode(encoded),
        }
    }
}

/// Whose body a chunk or an end belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// The request's.
    Request,
    /// The response's.
    Response,
}

/// One request and its answer, assembled from the events of one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The connection id.
    pub connection_id: usize,
    /// The request head.
    pub request: Request,
    /// The request body.
    pub request_body: Vec<u8>,
    /// The response head, or why there was none.
    pub response: Result<Response, String>,
    /// The response body.
    pub response_body: Vec<u8>,
}

impl NetworkTraffic {
    /// Reads a recording from a JSON file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The exchanges, ordered by connection id.
    pub fn exchanges(&self) -> Result<Vec<Exchange>, String> {
        let mut by_id: BTreeMap<usize, Exchange> = BTreeMap::new();
        for event in &self.events {
            let id = event.connection_id;
            let missing = || format!("connection {id}: an event before the request");
            match &event.action {
                Action::Request { request } => {
                    by_id.insert(
                        id,
                        Exchange {
                            connection_id: id,
                            request: request.clone(),
                            request_body: Vec::new(),
                            response: Err(format!("connection {id}: no response recorded")),
                            response_body: Vec::new(),
                        },
                    );
                }
                Action::Response { response } => {
                    by_id.get_mut(&id).ok_or_else(missing)?.response = response.clone();
                }
                Action::Data { data, direction } => {
                    let exchange = by_id.get_mut(&id).ok_or_else(missing)?;
                    let bytes = data.bytes()?;
                    match direction {
                        Direction::Request => exchange.request_body.extend(bytes),
                        Direction::Response => exchange.response_body.extend(bytes),
                    }
                }
                Action::Eof { .. } => {}
            }
        }
        Ok(by_id.into_values().collect())
    }
}

/// Headers not compared by default: they depend on the clock (`authorization`, `x-amz-date`),
/// the SDK and its version (`user-agent`, ...), or the body's encoding (`content-length`), or
/// are added by the connection (`host`).
pub const DEFAULT_IGNORED_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "content-length",
    "host",
];

/// An [`HttpClient`] that answers with recorded responses and checks each request.
pub struct ReplayingClient {
    exchanges: Vec<Exchange>,
    ignored_headers: Vec<String>,
    ignored_fields: Vec<String>,
    state: Mutex<ReplayState>,
}

#[derive(Default)]
struct ReplayState {
    next: usize,
    received: Vec<HttpRequest>,
    problems: Vec<String>,
}

impl ReplayingClient {
    /// Replays `traffic`.
    pub fn new(traffic: &NetworkTraffic) -> Result<Self, String> {
        Ok(Self::from_exchanges(traffic.exchanges()?))
    }

    /// Replays the recording in the JSON file at `path`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, String> {
        Self::new(&NetworkTraffic::from_file(path)?)
    }

    /// Replays `exchanges`, in order.
    pub fn from_exchanges(exchanges: Vec<Exchange>) -> Self {
        ReplayingClient {
            exchanges,
            ignored_headers: DEFAULT_IGNORED_HEADERS
                .iter()
                .map(|h| h.to_string())
                .collect(),
            ignored_fields: Vec::new(),
            state: Mutex::new(ReplayState::default()),
        }
    }

    /// Also ignores these headers (any case).
    pub fn ignore_headers<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.ignored_headers
            .extend(names.into_iter().map(|n| n.as_ref().to_ascii_lowercase()));
        self
    }

    /// Ignores these form fields, query parameters and top-level JSON members when comparing
    /// (values that depend on the clock, such as a session name with a timestamp).
    pub fn ignore_fields<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.ignored_fields
            .extend(names.into_iter().map(|n| n.as_ref().to_owned()));
        self
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<HttpRequest> {
        let state = self.lock();
        state.received.iter().map(clone_request).collect()
    }

    /// `Ok` when every request matched its recording and every recorded exchange was used;
    /// else every difference, one per line.
    pub fn check(&self) -> Result<(), String> {
        let state = self.lock();
        let mut problems = state.problems.clone();
        for unused in &self.exchanges[state.next.min(self.exchanges.len())..] {
            problems.push(format!(
                "connection {}: {} {} was recorded but never sent",
                unused.connection_id, unused.request.method, unused.request.uri
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ReplayState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let mut state = self.lock();
        let index = state.next;
        state.next += 1;
        let described = format!("{} {}", request.method(), request.uri());
        state.received.push(clone_request(&request));
        let Some(exchange) = self.exchanges.get(index) else {
            let problem = format!(
                "request {}: {described}: no recorded exchange left",
                index + 1
            );
            state.problems.push(problem.clone());
            return Err(HttpError::before_response(
                "replaying recorded traffic",
                problem,
            ));
        };
        let differences = self.compare(exchange, &request);
        if !differences.is_empty() {
            let problem = format!(
                "connection {}: {described} differs from the recording: {}",
                exchange.connection_id,
                differences.join("; ")
            );
            state.problems.push(problem.clone());
            return Err(HttpError::before_response(
                "replaying recorded traffic",
                problem,
            ));
        }
        let head = match &exchange.response {
            Ok(head) => head,
            Err(error) => {
                return Err(HttpError::before_response(
                    "replaying recorded traffic",
                    error.clone(),
                ))
            }
        };
        let mut response = http::Response::builder().status(head.status);
        for (name, values) in &head.headers {
            for value in values {
                response = response.header(name.as_str(), value.as_str());
            }
        }
        response
            .body(Bytes::from(exchange.response_body.clone()))
            .map_err(|e| HttpError::before_response("replaying recorded traffic", e))
    }

    /// What differs between the recorded request and `actual`.
    fn compare(&self, recorded: &Exchange, actual: &HttpRequest) -> Vec<String> {
        let mut differences = Vec::new();
        if !recorded
            .request
            .method
            .eq_ignore_ascii_case(actual.method().as_str())
        {
            differences.push(format!(
                "method {} instead of {}",
                actual.method(),
                recorded.request.method
            ));
        }
        if let Some(why) = self.compare_uris(&recorded.request.uri, &actual.uri().to_string()) {
            differences.push(why);
        }
        for (name, values) in &recorded.request.headers {
            let name = name.to_ascii_lowercase();
            if self.ignored_headers.contains(&name) {
                continue;
            }
            let actual_values: Vec<&str> = actual
                .headers()
                .get_all(name.as_str())
                .iter()
                .map(|v| v.to_str().unwrap_or("<not text>"))
                .collect();
            if actual_values != values.iter().map(String::as_str).collect::<Vec<_>>() {
                differences.push(format!(
                    "header `{name}` is {actual_values:?}, recorded {values:?}"
                ));
            }
        }
        let content_type = recorded
            .request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
            .unwrap_or_default();
        if let Some(why) = self.compare_bodies(content_type, &recorded.request_body, actual.body())
        {
            differences.push(why);
        }
        differences
    }

    fn compare_uris(&self, recorded: &str, actual: &str) -> Option<String> {
        let split = |uri: &str| -> (String, Vec<(String, String)>) {
            let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
            // `http://host` and `http://host/` are the same request.
            let base = if base.matches('/').count() == 2 {
                format!("{base}/")
            } else {
                base.to_owned()
            };
            (base.to_ascii_lowercase(), self.fields(query))
        };
        let (recorded_base, recorded_query) = split(recorded);
        let (actual_base, actual_query) = split(actual);
        if recorded_base != actual_base || recorded_query != actual_query {
            Some(format!("URI {actual} instead of {recorded}"))
        } else {
            None
        }
    }

    fn compare_bodies(&self, content_type: &str, recorded: &[u8], actual: &[u8]) -> Option<String> {
        let shown = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let differ = if content_type.starts_with("application/x-www-form-urlencoded") {
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            self.fields(&text(recorded)) != self.fields(&text(actual))
        } else if content_type.contains("json") || looks_like_json(recorded) {
            match (
                serde_json::from_slice::<serde_json::Value>(recorded),
                serde_json::from_slice::<serde_json::Value>(actual),
            ) {
                (Ok(r), Ok(a)) => self.without_ignored(r) != self.without_ignored(a),
                _ => recorded != actual,
            }
        } else {
            recorded != actual
        };
        differ.then(|| format!("body {:?} instead of {:?}", shown(actual), shown(recorded)))
    }

    /// Form fields (or query parameters), decoded and sorted, without the ignored ones.
    fn fields(&self, text: &str) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = text
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(k), form_decode(v))
            })
            .filter(|(k, _)| !self.ignored_fields.contains(k))
            .collect();
        fields.sort();
        fields
    }

    fn without_ignored(&self, mut value: serde_json::Value) -> serde_json::Value {
        if let serde_json::Value::Object(map) = &mut value {
            for name in &self.ignored_fields {
                map.remove(name);
            }
        }
        value
    }
}

impl fmt::Debug for ReplayingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayingClient")
            .field("exchanges", &self.exchanges.len())
            .field("next", &self.lock().next)
            .finish()
    }
}

impl HttpClient for ReplayingClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }
}

fn clone_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{') | Some(b'[')
    )
}

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return Err(format!("invalid base64 character {:?}", c as char)),
        };
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_and_base64() {
        assert_eq!(form_decode("arn%3Aaws%3Aiam+x%2"), "arn:aws:iam x%2");
        assert_eq!(base64_decode("aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
        assert!(base64_decode("a$").is_err());
    }
}
