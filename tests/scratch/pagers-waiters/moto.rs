//! Generated paginators and waiters end to end against moto (signature checking on).
//!
//! What moto 5.2.5 implements here: ListImages ignores maxResults and nextToken (every image in
//! one page, no token), so paging is checked for "more images than the page size, all of them
//! arrive, the page size is sent"; StartImageScan and DescribeImageScanFindings exist: before a
//! scan the latter answers ScanNotFoundException, after one it answers COMPLETE at once.

use std::collections::BTreeSet;
use std::time::Duration;

use aws_thin_runtime::waiter::WaiterError;
use check_pagers_waiters::types::ImageId;
use check_pagers_waiters::{Client, Config, Credentials};
use integration_tests::moto::MotoServer;

fn client(moto: &MotoServer) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            moto.access_key_id(),
            moto.secret_access_key(),
            None,
            None,
            "moto-test",
        ))
        .endpoint_url(moto.endpoint())
        .build();
    Client::new(config).expect("client")
}

/// A minimal image manifest; `n` makes each one (and so its digest) different.
fn manifest(n: usize) -> String {
    serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": n,
            "digest": format!("sha256:{n:064x}"),
        },
        // moto derives the image digest from the layer digests.
        "layers": [{
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": n,
            "digest": format!("sha256:{:064x}", n + 1000),
        }],
    })
    .to_string()
}

#[tokio::test]
async fn a_paginator_lists_every_image_of_a_repository() {
    let moto = MotoServer::start();
    moto.create_repo("many");
    let client = client(&moto);
    for n in 1..=5 {
        client
            .put_image()
            .repository_name("many")
            .image_manifest(manifest(n))
            .image_tag(format!("v{n}"))
            .send()
            .await
            .expect("put_image");
    }
    let mut pages = client
        .list_images()
        .repository_name("many")
        .into_paginator()
        .page_size(2)
        .send();
    let mut tags = BTreeSet::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        page_count += 1;
        for id in page.expect("page").image_ids() {
            tags.insert(id.image_tag().unwrap().to_string());
        }
    }
    assert_eq!(
        tags,
        (1..=5).map(|n| format!("v{n}")).collect::<BTreeSet<_>>()
    );
    assert!(page_count >= 1);

    let mut items = client
        .list_images()
        .repository_name("many")
        .into_paginator()
        .items();
    let mut digests = BTreeSet::new();
    while let Some(item) = items.next().await {
        digests.insert(item.expect("item").image_digest().unwrap().to_string());
    }
    assert_eq!(digests.len(), 5);
}

#[tokio::test]
async fn a_waiter_sees_an_image_scan_complete() {
    let moto = MotoServer::start();
    moto.create_repo("scanned");
    moto.put_image("scanned");
    let client = client(&moto);
    let latest = || ImageId::builder().image_tag("latest").build();

    // Before any scan: ScanNotFoundException is the retry acceptor, so the waiter times out.
    let error = client
        .wait_until_scan_done()
        .repository_name("scanned")
        .image_id(latest())
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(40))
        .wait(Duration::from_millis(200))
        .await
        .unwrap_err();
    let WaiterError::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.last_state(), "retry (error ScanNotFoundException)");

    client
        .start_image_scan()
        .repository_name("scanned")
        .image_id(latest())
        .send()
        .await
        .expect("start_image_scan");
    let done = client
        .wait_until_scan_done()
        .repository_name("scanned")
        .image_id(latest())
        .wait(Duration::from_secs(30))
        .await
        .expect("scan complete");
    let output = done.into_result().expect("output");
    assert_eq!(
        output
            .image_scan_status()
            .unwrap()
            .status()
            .unwrap()
            .as_str(),
        "COMPLETE"
    );
}

#[tokio::test]
async fn a_waiter_sees_a_repository_appear() {
    let moto = MotoServer::start();
    moto.create_repo("present");
    client(&moto)
        .wait_until_repository_exists()
        .repository_names("present")
        .wait(Duration::from_secs(30))
        .await
        .expect("the repository exists");
}
