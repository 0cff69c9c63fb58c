//! The official `aws-sdk-ecr` running `../client_loop.rs`: see Cargo.toml and BENCHMARKS.md.
//! Without the `aws-config` feature the client is configured explicitly (region, static
//! credentials, endpoint URL, behavior version); with it, through `aws_config::defaults`.

#[path = "../../client_loop.rs"]
mod client_loop;

use aws_sdk_ecr::operation::RequestId as _;
use aws_sdk_ecr::Client;

fn main() {
    client_loop::run(make_client(), check_first, call);
}

#[cfg(not(feature = "aws-config"))]
async fn make_client() -> Client {
    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    let config = aws_sdk_ecr::Config::builder()
        .behavior_version(aws_sdk_ecr::config::BehaviorVersion::latest())
        .region(aws_sdk_ecr::config::Region::new(env("AWS_REGION")))
        .credentials_provider(aws_sdk_ecr::config::Credentials::new(
            env("AWS_ACCESS_KEY_ID"),
            env("AWS_SECRET_ACCESS_KEY"),
            None,
            None,
            "bench",
        ))
        .endpoint_url(env("AWS_ENDPOINT_URL"))
        .build();
    Client::from_conf(config)
}

#[cfg(feature = "aws-config")]
async fn make_client() -> Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .load()
        .await;
    Client::new(&config)
}

const REQUEST_ID: &str = "b4a4ae53-4a8b-4b3e-8d3c-1e0b7a5f2c11";

/// The first call must succeed and parse, so the loop measures the real path.
async fn check_first(client: Client) {
    let output = client
        .delete_repository()
        .repository_name("ubuntu")
        .force(true)
        .send()
        .await
        .expect("DeleteRepository against the stub");
    assert_eq!(output.request_id(), Some(REQUEST_ID));
    let repository = output.repository().expect("repository");
    assert_eq!(repository.repository_name(), Some("ubuntu"));
    let created = repository.created_at().expect("createdAt");
    // The SDK parses the number through an f64: 1.700000000123E9 comes back as
    // 1700000000.122999906 s, so the check is to the millisecond.
    let millis = (created.subsec_nanos() + 500_000) / 1_000_000;
    assert_eq!((created.secs(), millis), (1_700_000_000, 123));
}

async fn call(client: Client) {
    let output = client
        .delete_repository()
        .repository_name(std::hint::black_box("ubuntu"))
        .force(std::hint::black_box(true))
        .send()
        .await
        .expect("DeleteRepository against the stub");
    std::hint::black_box(output);
}
