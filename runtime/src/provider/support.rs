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

/// A JSON object read into `serde_json`'s `Value` rather than through derived structs: one
/// shared parser for every answer the sources read keeps the binary small.
pub(crate) struct JsonObject(serde_json::Map<String, serde_json::Value>);

impl JsonObject {
    /// Parses `bytes`; the error never quotes them (they may hold a secret).
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, String> {
        match serde_json::from_slice(bytes) {
            Ok(serde_json::Value::Object(map)) => Ok(JsonObject(map)),
            Ok(_) => Err("JSON that is not an object".to_owned()),
            Err(e) => Err(format!("invalid JSON ({})", json_error_summary(&e))),
        }
    }

    /// The member `name`, if present and not `null`.
    pub(crate) fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// The object member `name`.
    pub(crate) fn object(&self, name: &str) -> Result<Option<JsonObject>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(serde_json::Value::Object(map)) => Ok(Some(JsonObject(map.clone()))),
            Some(_) => Err(format!("`{name}` is not an object")),
        }
    }

    /// The string member `name`; `None` when absent or empty, an error when not a string.
    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(_) => Err(format!("`{name}` is not a string")),
        }
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
