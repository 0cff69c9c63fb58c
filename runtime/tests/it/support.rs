//! What the runtime's tests share: the ECR service, the golden request's credentials and time,
//! and the workspace's stub server (`tests/stub-server`), which answers with hand-written bytes
//! so tests can send exactly what a broken server or proxy would: truncated bodies, resets,
//! silence.

use aws_thin_runtime::{Config, ConfigBuilder, Credentials, RetryConfig, ServiceMeta};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
pub use stub_server::{respond, response_bytes, RecordedRequest, Reply, Server, TEST_CA_PEM};

pub static ECR: ServiceMeta = ServiceMeta {
    service_name: "AmazonEC2ContainerRegistry_V20150921",
    signing_name: "ecr",
    endpoint_prefix: "api.ecr",
    env_service_id: "ECR",
    json_version: "1.1",
    endpoint_rules: None,
};

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const GOLDEN_BODY: &str = r#"{"repositoryName":"ubuntu","force":true}"#;

/// 2015-08-30T12:36:00Z, the time of the golden signature.
pub fn golden_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

/// A config for `url` with the example credentials, a fixed clock and fast retries.
pub fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test"))
        .endpoint_url(url)
        .time_source(golden_time)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}
