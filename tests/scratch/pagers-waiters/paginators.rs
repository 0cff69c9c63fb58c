//! Generated paginators against a stub server: pages, tokens, page size, the loop guard, errors.

mod support;

use std::collections::BTreeMap;

use check_pagers_waiters::operation::list_images::ListImagesError;
use check_pagers_waiters::SdkError;
use integration_tests::stub_server::Server;
use support::{body, client, error, ok};

#[tokio::test]
async fn three_pages_give_every_item_in_order_and_send_each_token_once() {
    let server = Server::sequence([
        ok(r#"{"imageIds":[{"imageTag":"a"},{"imageTag":"b"}],"nextToken":"t1"}"#),
        ok(r#"{"imageIds":[{"imageTag":"c"}],"nextToken":"t2"}"#),
        ok(r#"{"imageIds":[{"imageTag":"d"}]}"#),
    ]);
    let mut items = client(&server)
        .list_images()
        .repository_name("repo")
        .into_paginator()
        .page_size(2)
        .items();
    let mut tags = Vec::new();
    while let Some(item) = items.next().await {
        tags.push(item.expect("item").image_tag().unwrap().to_string());
    }
    assert_eq!(tags, ["a", "b", "c", "d"]);
    let bodies: Vec<_> = server.requests().iter().map(body).collect();
    assert_eq!(bodies.len(), 3);
    assert_eq!(
        bodies[0],
        serde_json::json!({"repositoryName": "repo", "maxResults": 2})
    );
    assert_eq!(bodies[1]["nextToken"], "t1");
    assert_eq!(bodies[1]["maxResults"], 2);
    assert_eq!(bodies[2]["nextToken"], "t2");
}

#[tokio::test]
async fn pages_come_one_at_a_time_and_a_token_set_by_the_caller_starts_the_first() {
    let server = Server::sequence([
        ok(r#"{"imageIds":[{"imageTag":"a"}],"nextToken":"t2"}"#),
        ok(r#"{"imageIds":[]}"#),
    ]);
    let mut pages = client(&server)
        .list_images()
        .repository_name("repo")
        .next_token("resume-here")
        .into_paginator()
        .send();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.image_ids().len(), 1);
    assert_eq!(first.request_id(), Some("req-ok"));
    assert!(pages.next().await.unwrap().unwrap().image_ids().is_empty());
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none(), "stays finished");
    assert_eq!(body(&server.requests()[0])["nextToken"], "resume-here");
}

#[tokio::test]
async fn an_empty_token_ends_the_pages() {
    let server = Server::sequence([
        ok(r#"{"imageIds":[{"imageTag":"a"}],"nextToken":"t1"}"#),
        ok(r#"{"imageIds":[{"imageTag":"b"}],"nextToken":""}"#),
        ok(r#"{"imageIds":[{"imageTag":"never"}]}"#),
    ]);
    let mut pages = client(&server)
        .list_images()
        .repository_name("repo")
        .into_paginator()
        .send();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.expect("page");
        count += 1;
    }
    assert_eq!(count, 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_repeated_token_stops_with_an_error_instead_of_looping() {
    let server = Server::sequence([
        ok(r#"{"imageIds":[{"imageTag":"a"}],"nextToken":"same"}"#),
        ok(r#"{"imageIds":[{"imageTag":"b"}],"nextToken":"same"}"#),
        ok(r#"{"imageIds":[{"imageTag":"c"}],"nextToken":"same"}"#),
    ]);
    let mut pages = client(&server)
        .list_images()
        .repository_name("repo")
        .into_paginator()
        .send();
    assert!(pages.next().await.unwrap().is_ok());
    match pages.next().await {
        Some(Err(SdkError::Response(error))) => {
            let text = error.to_string();
            assert!(
                text.contains("ListImages") && text.contains("same pagination token"),
                "{text}"
            );
            assert_eq!(error.request_id(), Some("req-ok"));
        }
        other => panic!("expected the loop guard's error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_on_page_two_comes_after_the_first_pages_items_and_ends_the_stream() {
    let server = Server::sequence([
        ok(r#"{"imageIds":[{"imageTag":"a"},{"imageTag":"b"}],"nextToken":"t1"}"#),
        error("RepositoryNotFoundException"),
        ok(r#"{"imageIds":[{"imageTag":"never"}]}"#),
    ]);
    let mut items = client(&server)
        .list_images()
        .repository_name("repo")
        .into_paginator()
        .items();
    assert_eq!(items.next().await.unwrap().unwrap().image_tag(), Some("a"));
    assert_eq!(items.next().await.unwrap().unwrap().image_tag(), Some("b"));
    match items.next().await {
        Some(Err(SdkError::Service(ListImagesError::RepositoryNotFoundException(e)))) => {
            assert_eq!(e.meta().request_id(), Some("req-error"));
        }
        other => panic!("expected RepositoryNotFoundException, got {other:?}"),
    }
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_missing_required_member_fails_before_any_request() {
    let server = Server::sequence([ok("{}")]);
    let mut pages = client(&server).list_images().into_paginator().send();
    match pages.next().await {
        Some(Err(SdkError::Construction(e))) => assert_eq!(e.member(), "repositoryName"),
        other => panic!("expected a construction error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_nested_token_and_map_items_follow_the_trait() {
    let server = Server::sequence([
        ok(r#"{"labels":{"a":"1","b":"2"},"paging":{"following":"p2"}}"#),
        ok(r#"{"labels":{"c":"3"},"paging":{}}"#),
    ]);
    let mut items = client(&server)
        .list_labels()
        .into_paginator()
        .page_size(10)
        .items();
    let mut labels = BTreeMap::new();
    while let Some(item) = items.next().await {
        let (key, value) = item.expect("label");
        labels.insert(key, value);
    }
    assert_eq!(
        labels,
        BTreeMap::from([
            ("a".into(), "1".into()),
            ("b".into(), "2".into()),
            ("c".into(), "3".into())
        ])
    );
    let bodies: Vec<_> = server.requests().iter().map(body).collect();
    assert_eq!(bodies[0], serde_json::json!({"limit": 10}));
    assert_eq!(bodies[1], serde_json::json!({"limit": 10, "cursor": "p2"}));
}
