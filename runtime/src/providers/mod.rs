//! The credential sources of the AWS default chain, written on this runtime.
//!
//! - [`container`]: ECS, Fargate and EKS Pod Identity credentials endpoints;
//! - [`imds`]: the EC2 instance metadata service (IMDSv2);
//! - [`sso`]: IAM Identity Center's token cache and portal;
//! - [`process`]: `credential_process` commands;
//! - [`form`] and [`xml`]: STS's awsQuery requests and XML answers;
//! - [`endpoints`]: the regional hosts of STS and the SSO portal.

// Until the chain uses every part (it is being built on the seams of the config loader).
#![allow(dead_code)]

pub(crate) mod container;
pub(crate) mod endpoints;
pub(crate) mod form;
pub(crate) mod imds;
pub(crate) mod process;
pub(crate) mod sso;
pub(crate) mod xml;

/// Where a JSON document went wrong, without quoting any of it: serde_json's own messages may
/// quote a value, and the documents read here hold secrets.
pub(crate) fn json_error_summary(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Io => "a read error",
        Category::Syntax => "a syntax error",
        Category::Data => "a value of the wrong type",
        Category::Eof => "an unexpected end",
    };
    format!("{what} at line {} column {}", error.line(), error.column())
}

/// AWS's shared SDK test data for these providers: `$AWS_THIN_PROVIDER_SUITE`, else
/// `../shared/test-suites/aws-sdk-rust/aws-config` from the workspace root.
#[cfg(test)]
pub(crate) fn suite_dir() -> std::path::PathBuf {
    match std::env::var_os("AWS_THIN_PROVIDER_SUITE") {
        Some(dir) => dir.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/test-suites/aws-sdk-rust/aws-config"),
    }
}

/// Reads one JSON file of the shared test data, failing the test with the path if it cannot.
#[cfg(test)]
pub(crate) fn suite_json(file: &str) -> serde_json::Value {
    let path = suite_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; set AWS_THIN_PROVIDER_SUITE to the aws-config test data folder",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
