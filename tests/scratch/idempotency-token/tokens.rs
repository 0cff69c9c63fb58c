//! `@idempotencyToken` members, at the top of the input and nested inside it (a list of
//! structures, a structure inside those, a union): unset ones are sent as fresh UUID v4s, set
//! ones as they are, and a retry resends the same tokens.

use check_idempotency_token::types::{Retry, Schedule, Step};
use check_idempotency_token::{Client, Config, Credentials};
use integration_tests::stub_server::{respond, Server};
use serde_json::Value;

fn client(server: &Server) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(
            aws_thin_runtime::RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build();
    Client::new(config).unwrap()
}

fn is_uuid_v4(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && groups[2].starts_with('4')
}

#[tokio::test]
async fn nested_tokens_are_filled_kept_and_resent_on_retry() {
    let json = [("Content-Type", "application/x-amz-json-1.0")];
    let server = Server::sequence([
        respond(500, &json, r#"{"__type":"InternalFailure"}"#),
        respond(200, &json, r#"{"jobId":"j-1"}"#),
    ]);
    let output = client(&server)
        .start_job()
        .name("nightly")
        .steps(
            Step::builder()
                .name("build")
                .retry(Retry::builder().attempts(2).build())
                .build(),
        )
        .steps(
            Step::builder()
                .name("ship")
                .step_token("caller-step")
                .build(),
        )
        .schedule(Schedule::Once(
            Retry::builder().retry_token("caller-once").build(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(output.job_id(), Some("j-1"));

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one retry");
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let retried: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(body, retried, "a retry resends the same tokens");

    assert!(is_uuid_v4(&body["clientToken"]), "{body}");
    let build = &body["steps"][0];
    assert!(is_uuid_v4(&build["stepToken"]), "{body}");
    assert!(is_uuid_v4(&build["retry"]["retryToken"]), "{body}");
    assert_eq!(build["retry"]["attempts"], 2);
    assert_eq!(body["steps"][1]["stepToken"], "caller-step");
    assert_eq!(body["schedule"]["once"]["retryToken"], "caller-once");
    let tokens = [
        &body["clientToken"],
        &build["stepToken"],
        &build["retry"]["retryToken"],
    ];
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2] && tokens[0] != tokens[2]);
}

#[tokio::test]
async fn a_union_member_gets_its_token_and_a_second_call_a_new_one() {
    let json = [("Content-Type", "application/x-amz-json-1.0")];
    let server = Server::sequence([
        respond(200, &json, r#"{"jobId":"j-1"}"#),
        respond(200, &json, r#"{"jobId":"j-2"}"#),
    ]);
    let client = client(&server);
    for _ in 0..2 {
        client
            .start_job()
            .name("nightly")
            .schedule(Schedule::Once(Retry::builder().attempts(1).build()))
            .send()
            .await
            .unwrap();
    }
    let bodies: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let first = &bodies[0]["schedule"]["once"]["retryToken"];
    assert!(is_uuid_v4(first), "{}", bodies[0]);
    assert_ne!(first, &bodies[1]["schedule"]["once"]["retryToken"]);
}
