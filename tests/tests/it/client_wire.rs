//! The generated client on the wire, against an in-process server: the request it sends, and how
//! each kind of error response maps to the operation's error enum.

use aws_thin_ecr::operation::delete_repository::DeleteRepositoryError;
use aws_thin_ecr::{Client, Config, Credentials, SdkError};
use aws_thin_runtime::RetryConfig;
use integration_tests::stub_server::{respond, Reply, Server};

fn client(server: &Server) -> Client {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(config).expect("client")
}

async fn delete_error(reply: Reply) -> DeleteRepositoryError {
    let server = Server::sequence([reply]);
    match client(&server)
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
    {
        Err(SdkError::Service(error)) => error,
        other => panic!("expected a service error, got {other:?}"),
    }
}

const JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");
const REQUEST_ID: (&str, &str) = ("x-amzn-RequestId", "6b2b3c1e-0000-4000-8000-000000000001");

#[tokio::test]
async fn sends_an_awsjson_1_1_delete_repository_request() {
    let server = Server::sequence([respond(
        200,
        &[JSON, REQUEST_ID],
        r#"{"repository":{"repositoryName":"ubuntu","createdAt":1.5e9}}"#,
    )]);
    let output = client(&server)
        .delete_repository()
        .repository_name("ubuntu")
        .force(true)
        .send()
        .await
        .expect("success");
    assert_eq!(
        output.request_id(),
        Some("6b2b3c1e-0000-4000-8000-000000000001")
    );
    let created = output.repository().unwrap().created_at().unwrap();
    assert_eq!((created.secs(), created.subsec_nanos()), (1_500_000_000, 0));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("AmazonEC2ContainerRegistry_V20150921.DeleteRepository")
    );
    assert_eq!(request.body, br#"{"repositoryName":"ubuntu","force":true}"#);
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-west-2/ecr/aws4_request"),
        "{authorization}"
    );
    assert!(
        authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target"),
        "{authorization}"
    );
}

#[tokio::test]
async fn each_modeled_exception_maps_to_its_variant() {
    for (code, check) in [
        (
            "InvalidParameterException",
            DeleteRepositoryError::is_invalid_parameter_exception
                as fn(&DeleteRepositoryError) -> bool,
        ),
        ("KmsException", DeleteRepositoryError::is_kms_exception),
        (
            "RepositoryNotEmptyException",
            DeleteRepositoryError::is_repository_not_empty_exception,
        ),
        (
            "RepositoryNotFoundException",
            DeleteRepositoryError::is_repository_not_found_exception,
        ),
        (
            "ServerException",
            DeleteRepositoryError::is_server_exception,
        ),
    ] {
        let body = format!(r#"{{"__type":"{code}","message":"it went wrong"}}"#);
        let error = delete_error(respond(400, &[JSON, REQUEST_ID], &body)).await;
        assert!(check(&error), "{code} mapped to {error:?}");
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.message(), Some("it went wrong"));
        let shown = error.to_string();
        for part in [
            code,
            "it went wrong",
            "400",
            "6b2b3c1e-0000-4000-8000-000000000001",
        ] {
            assert!(shown.contains(part), "`{shown}` lacks {part}");
        }
    }
}

#[tokio::test]
async fn kms_exception_keeps_its_kms_error_member() {
    let error = delete_error(respond(
        400,
        &[JSON, REQUEST_ID],
        r#"{"__type":"com.amazonaws.ecr#KmsException","message":"key disabled","kmsError":"DisabledException"}"#,
    ))
    .await;
    match error {
        DeleteRepositoryError::KmsException(kms) => {
            assert_eq!(kms.kms_error(), Some("DisabledException"));
            assert_eq!(kms.message(), Some("key disabled"));
            assert_eq!(kms.meta().status(), Some(400));
        }
        other => panic!("expected KmsException, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_code_is_unhandled_with_its_code() {
    let error = delete_error(respond(
        400,
        &[JSON, REQUEST_ID],
        r#"{"__type":"com.amazonaws.ecr#LimitBreachedException:http://internal.amazon.com/coral/","Message":"too many"}"#,
    ))
    .await;
    assert!(
        matches!(error, DeleteRepositoryError::Unhandled(_)),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("LimitBreachedException"));
    assert_eq!(error.message(), Some("too many"));
    assert!(
        error.to_string().contains("LimitBreachedException"),
        "{error}"
    );
}

#[tokio::test]
async fn an_html_error_page_with_an_errortype_header_still_maps_to_the_variant() {
    let error = delete_error(respond(
        503,
        &[
            ("Content-Type", "text/html"),
            ("x-amzn-ErrorType", "ServerException"),
            REQUEST_ID,
        ],
        "<html><body><h1>503 Service Unavailable</h1></body></html>",
    ))
    .await;
    assert!(error.is_server_exception(), "{error:?}");
    assert_eq!(error.meta().status(), Some(503));
    assert_eq!(
        error.request_id(),
        Some("6b2b3c1e-0000-4000-8000-000000000001")
    );
}

#[tokio::test]
async fn malformed_json_on_a_200_is_a_response_error_with_status_and_request_id() {
    let server = Server::sequence([respond(
        200,
        &[JSON, REQUEST_ID],
        r#"{"repository": {"repositoryName": "#,
    )]);
    let error = client(&server)
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
        .expect_err("malformed");
    match &error {
        SdkError::Response(response) => {
            assert_eq!(response.status(), 200);
            assert_eq!(
                response.request_id(),
                Some("6b2b3c1e-0000-4000-8000-000000000001")
            );
        }
        other => panic!("expected a response error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.contains("200") && shown.contains("6b2b3c1e-0000-4000-8000-000000000001"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_missing_required_member_fails_before_any_connection() {
    // A listener that would see any connection attempt.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(format!("http://{}", listener.local_addr().unwrap()))
        .build();
    let client = Client::new(config).unwrap();

    let error = client
        .delete_repository()
        .force(true)
        .send()
        .await
        .expect_err("repositoryName is required");
    assert!(matches!(&error, SdkError::Construction(_)), "{error:?}");
    assert!(error.to_string().contains("repositoryName"), "{error}");
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the client connected although the input was invalid: {accepted:?}"
    );
}

#[tokio::test]
async fn an_endpoint_with_a_path_prefixes_the_request_path() {
    let server = Server::sequence([respond(200, &[JSON, REQUEST_ID], "{}")]);
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(format!("{}/emulator/ecr", server.url()))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = Client::new(config).expect("a path is accepted");
    client
        .delete_repository()
        .repository_name("ubuntu")
        .send()
        .await
        .expect("success");
    let requests = server.requests();
    assert_eq!(requests[0].path, "/emulator/ecr/");
}
