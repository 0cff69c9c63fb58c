//! Shared by the scratch tests of `tests/models/pagers-waiters.json` (copied next to them by
//! `cargo xtask check-models`, which generates the model into a scratch crate and runs these).

#![allow(dead_code)]

use check_pagers_waiters::{Client, Config, Credentials};
use integration_tests::stub_server::{respond, RecordedRequest, Reply, Server};

pub const JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");

/// A 200 answer with a JSON body.
pub fn ok(body: &str) -> Reply {
    respond(200, &[JSON, ("x-amzn-RequestId", "req-ok")], body)
}

/// A 400 answer carrying an awsJson error code.
pub fn error(code: &str) -> Reply {
    respond(
        400,
        &[JSON, ("x-amzn-RequestId", "req-error")],
        &format!(r#"{{"__type":"{code}","message":"from the stub"}}"#),
    )
}

/// A client for a stub server, without retries so each answer is seen once.
pub fn client(server: &Server) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(aws_thin_runtime::RetryConfig::disabled())
        .build();
    Client::new(config).expect("client")
}

/// A request body as JSON.
pub fn body(request: &RecordedRequest) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("JSON request body")
}
