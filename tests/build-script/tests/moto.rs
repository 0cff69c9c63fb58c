//! The build-script crate's clients against moto: ListImages and DeleteRepository, generated in
//! `build.rs` and included in a module, like any application would use them.

use build_script_example::ecr::operation::list_images::ListImagesError;
use build_script_example::ecr::{Client, Config, Credentials, SdkError};
use build_script_example::image_tags;
use integration_tests::moto::MotoServer;

fn config(moto: &MotoServer) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            moto.access_key_id(),
            moto.secret_access_key(),
            None,
            None,
            "build-script-test",
        ))
        .endpoint_url(moto.endpoint())
        .build()
}

#[tokio::test(flavor = "current_thread")]
async fn lists_the_images_then_deletes_the_repository() {
    let moto = MotoServer::start();
    moto.create_repo("build/app");
    moto.put_image("build/app");
    let client = Client::new(config(&moto)).expect("client");

    assert_eq!(image_tags(&client, "build/app").await.unwrap(), ["latest"]);

    let deleted = client
        .delete_repository()
        .repository_name("build/app")
        .force(true)
        .send()
        .await
        .expect("delete_repository");
    let repository = deleted.repository().expect("the deleted repository");
    assert_eq!(repository.repository_name(), Some("build/app"));
    assert!(!moto.repo_exists("build/app"));

    match client
        .list_images()
        .repository_name("build/app")
        .send()
        .await
    {
        Err(SdkError::Service(ListImagesError::RepositoryNotFoundException(e))) => {
            assert_eq!(e.meta().code(), Some("RepositoryNotFoundException"))
        }
        other => panic!("expected RepositoryNotFoundException, got {other:?}"),
    }
}

#[test]
fn the_blocking_client_deletes_from_a_plain_thread() {
    let moto = MotoServer::start();
    moto.create_repo("build/plain");
    let client = build_script_example::ecr::blocking::Client::new(config(&moto)).expect("client");
    let listed = client
        .list_images()
        .repository_name("build/plain")
        .send()
        .expect("list_images");
    assert!(listed.image_ids().is_empty());
    client
        .delete_repository()
        .repository_name("build/plain")
        .send()
        .expect("delete_repository");
    assert!(!moto.repo_exists("build/plain"));
}

/// Included two modules deep: the generated code's paths are relative to the including module.
#[tokio::test(flavor = "current_thread")]
async fn the_model_with_every_shape_signs_its_requests_from_a_nested_module() {
    use build_script_example::models::all_shapes;
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .endpoint_url("http://127.0.0.1:9")
        .build();
    let client = all_shapes::Client::new(config).expect("client");
    let request = client
        .echo()
        .name("widget")
        .count(3)
        .prepare()
        .await
        .expect("prepare");
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url(), "http://127.0.0.1:9/");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({"name": "widget", "count": 3}));
}

/// `.test_util(true)` in build.rs: the included client's `test_util::Mock`, no server.
#[tokio::test(flavor = "current_thread")]
async fn the_included_mock_answers_list_images_page_by_page() {
    use build_script_example::ecr::operation::list_images::ListImagesOutput;
    use build_script_example::ecr::test_util::Mock;
    use build_script_example::ecr::types::ImageIdentifier;
    let page = |tag: &str, next: Option<&str>| {
        let output = ListImagesOutput::builder()
            .image_ids(ImageIdentifier::builder().image_tag(tag).build());
        match next {
            Some(token) => output.next_token(token).build(),
            None => output.build(),
        }
    };
    let mock = Mock::new();
    let rule = mock
        .list_images()
        .then_output(page("v1", Some("page-2")))
        .then_output(page("v2", None));
    let tags = image_tags(&mock.client(), "app").await.unwrap();
    assert_eq!(tags, ["v1", "v2"]);
    assert_eq!(rule.calls(), 2);
}
