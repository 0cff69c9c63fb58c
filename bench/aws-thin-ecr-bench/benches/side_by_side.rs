//! aws-thin's side of `cargo xtask bench` (see BENCHMARKS.md): the DeleteRepository loop of
//! `bench/client_loop.rs`, shared with the official SDK's baseline
//! (`bench/baseline-aws-sdk-ecr`), on a client built by `Client::from_env()`: the full default
//! chain, as `examples/delete_repository.rs` builds it. Not meant to be run by hand (xtask sets
//! the environment and starts the stub server), but it can be:
//!
//! ```text
//! AWS_ENDPOINT_URL=http://127.0.0.1:PORT AWS_REGION=us-west-2 AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
//!   AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
//!   cargo bench -p aws-thin-ecr-bench --bench side_by_side -- --warmup 500 --iters 20000 --runs 5
//! ```

#[path = "../../client_loop.rs"]
mod client_loop;

use std::hint::black_box;

use aws_thin_ecr::Client;

fn main() {
    client_loop::run(make_client(), check_first, call);
}

async fn make_client() -> Client {
    Client::from_env().expect("client from the environment")
}

/// The first call must succeed and parse, so the loop measures the real path.
async fn check_first(client: Client) {
    let output = client
        .delete_repository()
        .repository_name("ubuntu")
        .force(true)
        .send()
        .await
        .expect("DeleteRepository against the stub");
    assert_eq!(output.request_id(), Some(stub_server::canned::REQUEST_ID));
    let repository = output.repository().expect("repository");
    assert_eq!(repository.repository_name(), Some("ubuntu"));
    let created = repository.created_at().expect("createdAt");
    assert_eq!(
        (created.secs(), created.subsec_nanos()),
        (1_700_000_000, 123_000_000)
    );
}

async fn call(client: Client) {
    let output = client
        .delete_repository()
        .repository_name(black_box("ubuntu"))
        .force(black_box(true))
        .send()
        .await
        .expect("DeleteRepository against the stub");
    black_box(output);
}
