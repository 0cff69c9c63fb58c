//! Protocol traits in generated code: `@idempotencyToken` members are filled when left unset.

use std::path::Path;

use integration_tests::paths::{generate, workspace_root};

#[test]
fn an_unset_idempotency_token_is_filled_with_a_fresh_uuid_when_sending() {
    let files = generate(
        &workspace_root().join("tests/models/idempotency-token.json"),
        None,
        true,
    );
    let operation = &files[Path::new("src/operation/start_job.rs")];
    let fill = ".client_token\n            .get_or_insert_with(::aws_thin_runtime::codec::idempotency_token);";
    assert!(operation.contains(fill), "{operation}");
    // Both the request that is sent and the one `prepare` shows go through the filling body.
    assert_eq!(
        operation.matches("StartJobInput::to_body(&input)?").count(),
        1
    );
    assert_eq!(operation.matches("self.to_body()?").count(), 1);
}

#[test]
fn an_operation_without_a_token_serializes_its_input_as_it_is() {
    let files = generate(
        &workspace_root().join("tests/models/all-shapes.json"),
        None,
        true,
    );
    let operation = &files[Path::new("src/operation/echo.rs")];
    assert!(!operation.contains("idempotency_token"), "{operation}");
    assert!(operation.contains("::aws_thin_runtime::codec::to_body(\"Echo\", self)"));
}
