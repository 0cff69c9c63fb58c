//! Small helpers shared by the credential sources.

use super::{SourceContext, SourceError};
use crate::os::VarError;

/// A set, non-blank environment variable, trimmed; one that is not UTF-8 is a failure naming
/// the variable (never the value).
pub(crate) fn env_var(ctx: &SourceContext, name: &str) -> Result<Option<String>, SourceError> {
    match ctx.env().get(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode) => Err(SourceError::failed(format!(
            "{name} is set, but its value is not valid UTF-8"
        ))),
    }
}

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

/// An HTTP client for unit tests that must not touch the network: every request fails.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct NoNetwork;

#[cfg(test)]
impl crate::http_client::HttpClient for NoNetwork {
    fn send(&self, request: crate::http_client::HttpRequest) -> crate::http_client::HttpFuture<'_> {
        let uri = request.uri().to_string();
        Box::pin(async move {
            Err(crate::http_client::HttpError::before_response(
                "connecting",
                format!("no network in this test ({uri})"),
            ))
        })
    }
}
