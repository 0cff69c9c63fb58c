//! Mocking a service without sockets (feature `test-util`): an [`HttpClient`] that answers each
//! call from rules set per operation, and records every request.
//!
//! Only the connection is replaced: the client still serializes the input, signs, retries and
//! parses the answer, so a rule answering `500, 500, 200` exercises the real retry loop, and a
//! modeled error comes back as the operation's error variant exactly as from the service.
//! Generated crates wrap this in a typed `test_util::Mock` with one rule method per operation.

use crate::http_client::{HttpClient, HttpError, HttpFuture, HttpRequest, HttpResponse};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

/// A modeled error a mock can answer with: serialized as the error's JSON body, its code in
/// `x-amzn-errortype`. Implemented by every generated error structure.
pub trait MockableError: Serialize {
    /// The error code on the wire (the error shape's name).
    const CODE: &'static str;
    /// The HTTP status the service sends it with (from the model: `httpError`, else 500 for a
    /// server fault, 400 for a client one).
    const HTTP_STATUS: u16;
}

type Matcher = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// One answer of a rule.
#[derive(Clone, Debug)]
enum Answer {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Bytes,
    },
    /// The connection fails before any response (refused, reset).
    ConnectionError(String),
}

struct RuleState {
    operation: &'static str,
    matcher: Option<Matcher>,
    /// Answered in order; the last one answers every further matching call.
    answers: Vec<Answer>,
    calls: usize,
}

#[derive(Default)]
struct State {
    rules: Vec<RuleState>,
    requests: Vec<RecordedRequest>,
}

/// An [`HttpClient`] that answers from rules and records requests. Cheap to clone: clones share
/// rules and recorded requests, so a test keeps one to add rules and assert while the client
/// under test holds another.
///
/// Rules are tried in the order they were added; the first whose operation (read from the
/// `X-Amz-Target` header) and input match answers. A call no rule matches fails with a
/// transport error naming the operation and its input (after the client's retries, each of
/// which is recorded).
#[derive(Clone, Default)]
pub struct MockHttpClient {
    state: Arc<Mutex<State>>,
}

impl MockHttpClient {
    /// A mock without rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a rule for `operation` (its wire name, such as `DeleteRepository`), whose input is
    /// `I` and output `O`. Generated crates offer one typed method per operation instead.
    pub fn rule<I, O>(&self, operation: &'static str) -> RuleBuilder<I, O> {
        RuleBuilder {
            mock: self.clone(),
            operation,
            matcher: None,
            types: PhantomData,
        }
    }

    /// Every request sent so far, in order (retries included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock (a matcher that panicked) leaves consistent data.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let recorded = RecordedRequest::from_request(request);
        let operation = recorded.operation.clone();
        let mut state = self.lock();
        let sequence = state.requests.len() + 1;
        state.requests.push(recorded);
        // Matchers see the JSON input, also when the client compressed it.
        let decoded = crate::compression::decoded_body(request.headers(), request.body());
        let body: &[u8] = &decoded;
        let rule = state.rules.iter_mut().find(|rule| {
            operation.as_deref() == Some(rule.operation)
                && rule.matcher.as_ref().is_none_or(|matches| matches(body))
        });
        let Some(rule) = rule else {
            let with_rules = state.rules.iter().map(|r| r.operation).collect();
            return Err(HttpError::before_response(
                "in the mock HTTP client",
                NoMatchingRule {
                    operation,
                    body: String::from_utf8_lossy(body).into_owned(),
                    with_rules,
                },
            ));
        };
        let index = rule.calls.min(rule.answers.len().saturating_sub(1));
        rule.calls += 1;
        match rule.answers.get(index).cloned() {
            Some(Answer::Http {
                status,
                headers,
                body,
            }) => {
                let mut response = http::Response::builder()
                    .status(status)
                    .header("x-amzn-requestid", format!("mock-request-{sequence}"));
                for (name, value) in &headers {
                    response = response.header(name, value);
                }
                response.body(body).map_err(|e| {
                    HttpError::before_response("in the mock HTTP client: invalid mock response", e)
                })
            }
            Some(Answer::ConnectionError(reason)) => Err(HttpError::before_response(
                "in the mock HTTP client",
                std::io::Error::new(std::io::ErrorKind::ConnectionReset, reason),
            )),
            None => Err(HttpError::before_response(
                "in the mock HTTP client",
                "the rule has no answer",
            )),
        }
    }
}

impl HttpClient for MockHttpClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        let answer = self.answer(&request);
        Box::pin(async move { answer })
    }
}

impl fmt::Debug for MockHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        let rules: Vec<&str> = state.rules.iter().map(|r| r.operation).collect();
        f.debug_struct("MockHttpClient")
            .field("rules", &rules)
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// A call that no rule matched.
#[derive(Debug)]
pub struct NoMatchingRule {
    operation: Option<String>,
    body: String,
    with_rules: Vec<&'static str>,
}

impl fmt::Display for NoMatchingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operation {
            Some(operation) => write!(f, "no mock rule matches this {operation} call")?,
            None => f.write_str("no mock rule matches this request (it names no operation)")?,
        }
        write!(f, " (input {})", self.body)?;
        if self.with_rules.is_empty() {
            f.write_str("; the mock has no rules")
        } else {
            write!(f, "; rules exist for: {}", self.with_rules.join(", "))
        }
    }
}

impl std::error::Error for NoMatchingRule {}

/// A rule being set up: optionally match the input, then give its answers.
#[must_use = "a rule only exists once it has an answer (`then_*`)"]
pub struct RuleBuilder<I, O> {
    mock: MockHttpClient,
    operation: &'static str,
    matcher: Option<Matcher>,
    types: PhantomData<fn(&I) -> O>,
}

impl<I: DeserializeOwned + 'static, O: Serialize> RuleBuilder<I, O> {
    /// Answers only calls whose input satisfies `matches` (calls whose body does not parse as
    /// `I` do not match).
    pub fn match_input(mut self, matches: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Box::new(move |body: &[u8]| {
            let body: &[u8] = if body.is_empty() { b"{}" } else { body };
            serde_json::from_slice::<I>(body).is_ok_and(|input| matches(&input))
        }));
        self
    }

    /// Answers with a modeled output (HTTP 200).
    pub fn then_output(self, output: O) -> Rule<I, O> {
        self.register().then_output(output)
    }

    /// Answers with a modeled error, with the status the model gives it.
    pub fn then_error<E: MockableError>(self, error: E) -> Rule<I, O> {
        self.register().then_error(error)
    }

    /// Answers with a modeled error and the given HTTP status.
    pub fn then_error_with_status<E: MockableError>(self, error: E, status: u16) -> Rule<I, O> {
        self.register().then_error_with_status(error, status)
    }

    /// Answers with a raw HTTP response.
    pub fn then_http_response(
        self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Rule<I, O> {
        self.register().then_http_response(status, headers, body)
    }

    /// Answers with an empty response of `status` (a bare 500 or 503, say).
    pub fn then_status(self, status: u16) -> Rule<I, O> {
        self.register().then_status(status)
    }

    /// Fails the connection before any response (retried like a reset connection).
    pub fn then_connection_error(self, reason: &str) -> Rule<I, O> {
        self.register().then_connection_error(reason)
    }

    fn register(self) -> Rule<I, O> {
        let mut state = self.mock.lock();
        state.rules.push(RuleState {
            operation: self.operation,
            matcher: self.matcher,
            answers: Vec::new(),
            calls: 0,
        });
        let index = state.rules.len() - 1;
        drop(state);
        Rule {
            mock: self.mock,
            index,
            types: PhantomData,
        }
    }
}

/// A rule with answers. Each `then_*` adds the answer for the next matching call; the last
/// answer repeats. So `.then_status(500).then_status(500).then_output(..)` answers a first call
/// (and its two retries) with 500, 500, then the output.
pub struct Rule<I, O> {
    mock: MockHttpClient,
    index: usize,
    types: PhantomData<fn(&I) -> O>,
}

impl<I, O: Serialize> Rule<I, O> {
    /// Next, a modeled output (HTTP 200).
    pub fn then_output(self, output: O) -> Self {
        // Generated outputs serialize infallibly (plain data with string keys).
        let body = serde_json::to_vec(&output).unwrap_or_else(|_| b"{}".to_vec());
        self.push(Answer::Http {
            status: 200,
            headers: json_content_type(),
            body: body.into(),
        })
    }

    /// Next, a modeled error, with the status the model gives it (so a server fault is a 500
    /// and is retried, as from the service).
    pub fn then_error<E: MockableError>(self, error: E) -> Self {
        self.then_error_with_status(error, E::HTTP_STATUS)
    }

    /// Next, a modeled error with the given status.
    pub fn then_error_with_status<E: MockableError>(self, error: E, status: u16) -> Self {
        let mut body = serde_json::to_value(&error).unwrap_or_default();
        if let Some(object) = body.as_object_mut() {
            object.insert("__type".into(), E::CODE.into());
        }
        let mut headers = json_content_type();
        headers.push(("x-amzn-errortype".into(), E::CODE.into()));
        self.push(Answer::Http {
            status,
            headers,
            body: body.to_string().into(),
        })
    }

    /// Next, a raw HTTP response.
    pub fn then_http_response(
        self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Self {
        let headers = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        self.push(Answer::Http {
            status,
            headers,
            body: body.into(),
        })
    }

    /// Next, an empty response of `status`.
    pub fn then_status(self, status: u16) -> Self {
        self.then_http_response(status, &[], Bytes::new())
    }

    /// Next, a connection failure before any response.
    pub fn then_connection_error(self, reason: &str) -> Self {
        self.push(Answer::ConnectionError(reason.to_owned()))
    }

    /// How many calls this rule has answered (retries included).
    pub fn calls(&self) -> usize {
        self.mock.lock().rules[self.index].calls
    }

    fn push(self, answer: Answer) -> Self {
        self.mock.lock().rules[self.index].answers.push(answer);
        self
    }
}

impl<I, O> fmt::Debug for Rule<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.mock.lock();
        let rule = &state.rules[self.index];
        f.debug_struct("Rule")
            .field("operation", &rule.operation)
            .field("answers", &rule.answers.len())
            .field("calls", &rule.calls)
            .finish()
    }
}

fn json_content_type() -> Vec<(String, String)> {
    vec![("content-type".into(), "application/x-amz-json-1.1".into())]
}

/// A request the mock received. Headers are as sent (signed), so a test can check signing too.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    operation: Option<String>,
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl RecordedRequest {
    fn from_request(request: &HttpRequest) -> Self {
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let operation = headers
            .iter()
            .find(|(n, _)| n == "x-amz-target")
            .and_then(|(_, target)| target.rsplit_once('.'))
            .map(|(_, operation)| operation.to_owned());
        Self {
            operation,
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            headers,
            body: request.body().clone(),
        }
    }

    /// The operation's wire name (`DeleteRepository`), from `X-Amz-Target`.
    pub fn operation(&self) -> Option<&str> {
        self.operation.as_deref()
    }

    /// `POST`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL the request went to.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// A header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body parsed as an operation input (`None` when it is not that input's JSON), after
    /// undoing the client's gzip request compression, if any.
    pub fn input<I: DeserializeOwned>(&self) -> Option<I> {
        let mut headers = http::HeaderMap::new();
        if let Some(encoding) = self
            .header("content-encoding")
            .and_then(|v| http::HeaderValue::try_from(v).ok())
        {
            headers.insert(http::header::CONTENT_ENCODING, encoding);
        }
        let decoded = crate::compression::decoded_body(&headers, &self.body);
        let body: &[u8] = if decoded.is_empty() { b"{}" } else { &decoded };
        serde_json::from_slice(body).ok()
    }
}
