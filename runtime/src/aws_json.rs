//! Reading awsJson error responses: code, message and request id.
//!
//! - code: the `x-amzn-errortype` header, else the body's `code`, else its `__type`; then
//!   everything from the first `:` is dropped and only what follows the last `#` is kept
//!   (`com.amazonaws.ecr#RepositoryNotFoundException:http://internal...` ->
//!   `RepositoryNotFoundException`);
//! - message: the body's `message`, else `Message`, else `errorMessage`;
//! - request id: the `x-amzn-requestid` header, else `x-amz-request-id`.
//!
//! Bodies are not always JSON: a proxy or load balancer may send HTML, and some endpoints send
//! XML (`<Code>`/`<Message>` are read from those). Status, request id and header code survive
//! whatever the body is.

use crate::error::ErrorMetadata;
use http::HeaderMap;
use serde::Deserialize;

/// The request id from the response headers.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| header_str(headers, name))
        .map(str::to_owned)
}

/// The metadata of a non-2xx response.
pub(crate) fn error_metadata(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> ErrorMetadata {
    let header_code = header_str(headers, "x-amzn-errortype").and_then(sanitize_error_code);
    let mut is_json = true;
    let (body_code, message) = match serde_json::from_slice::<JsonErrorBody>(body) {
        Ok(json) => {
            let code = json.code.or(json.type_);
            let message = json.message.or(json.message_upper).or(json.error_message);
            (code, message)
        }
        Err(_) => {
            is_json = false;
            xml_code_and_message(body)
        }
    };
    let code = header_code.map(str::to_owned).or_else(|| {
        body_code
            .as_deref()
            .and_then(sanitize_error_code)
            .map(str::to_owned)
    });
    let meta = ErrorMetadata::new(code, message, Some(status), request_id);
    if is_json {
        meta
    } else {
        meta.with_body_excerpt(body)
    }
}

/// Strips a namespace (`ns#`) and a suffix (`:...`) from an error code; `None` if nothing is left.
pub(crate) fn sanitize_error_code(raw: &str) -> Option<&str> {
    let without_suffix = raw.split(':').next().unwrap_or(raw);
    let code = without_suffix
        .rsplit('#')
        .next()
        .unwrap_or(without_suffix)
        .trim();
    (!code.is_empty()).then_some(code)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The members of a JSON error body that matter here; anything else is ignored.
#[derive(Deserialize)]
struct JsonErrorBody {
    #[serde(default, deserialize_with = "lenient_string")]
    code: Option<String>,
    #[serde(rename = "__type", default, deserialize_with = "lenient_string")]
    type_: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    message: Option<String>,
    #[serde(rename = "Message", default, deserialize_with = "lenient_string")]
    message_upper: Option<String>,
    #[serde(rename = "errorMessage", default, deserialize_with = "lenient_string")]
    error_message: Option<String>,
}

/// A string member, or `None` for null, a number, an object...: one odd member must not lose
/// the others.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s),
        _ => None,
    })
}

/// `<Code>` and `<Message>` of an XML error body such as
/// `<Error><Code>SignatureDoesNotMatch</Code><Message>...</Message></Error>`.
fn xml_code_and_message(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(text) = std::str::from_utf8(body) else {
        return (None, None);
    };
    if !text.trim_start().starts_with('<') {
        return (None, None);
    }
    (xml_element(text, "Code"), xml_element(text, "Message"))
}

fn xml_element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let len = text[start..].find(&close)?;
    let value = unescape_xml(text[start..start + len].trim());
    (!value.is_empty()).then_some(value)
}

fn unescape_xml(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn parse(pairs: &[(&'static str, &str)], body: &str) -> ErrorMetadata {
        let h = headers(pairs);
        error_metadata(400, &h, body.as_bytes(), request_id(&h))
    }

    #[test]
    fn sanitizes_codes() {
        assert_eq!(
            sanitize_error_code("RepositoryNotFoundException"),
            Some("RepositoryNotFoundException")
        );
        assert_eq!(
            sanitize_error_code("com.amazonaws.ecr#RepositoryNotFoundException"),
            Some("RepositoryNotFoundException")
        );
        assert_eq!(
            sanitize_error_code("RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            Some("RepositoryNotFoundException")
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests#FooError:http://internal.amazon.com/"),
            Some("FooError")
        );
        assert_eq!(sanitize_error_code(""), None);
        assert_eq!(sanitize_error_code("ns#"), None);
        assert_eq!(sanitize_error_code(":x"), None);
    }

    #[test]
    fn code_precedence_header_then_code_then_type() {
        let body = r#"{"code":"FromCode","__type":"FromType","message":"m"}"#;
        assert_eq!(
            parse(&[("x-amzn-errortype", "FromHeader:http://x")], body).code(),
            Some("FromHeader")
        );
        assert_eq!(parse(&[], body).code(), Some("FromCode"));
        assert_eq!(
            parse(&[], r#"{"__type":"ns#FromType"}"#).code(),
            Some("FromType")
        );
        assert_eq!(
            parse(&[], r#"{"code":null,"__type":"FromType"}"#).code(),
            Some("FromType")
        );
    }

    #[test]
    fn message_variants() {
        assert_eq!(
            parse(&[], r#"{"message":"lower"}"#).message(),
            Some("lower")
        );
        assert_eq!(
            parse(&[], r#"{"Message":"upper"}"#).message(),
            Some("upper")
        );
        assert_eq!(parse(&[], r#"{"errorMessage":"em"}"#).message(), Some("em"));
        assert_eq!(
            parse(&[], r#"{"message":"a","Message":"b"}"#).message(),
            Some("a")
        );
        assert_eq!(
            parse(&[], r#"{"message":42,"__type":"X"}"#).code(),
            Some("X")
        );
    }

    #[test]
    fn request_id_headers() {
        assert_eq!(
            parse(&[("x-amzn-requestid", "a"), ("x-amz-request-id", "b")], "").request_id(),
            Some("a")
        );
        assert_eq!(
            parse(&[("x-amz-request-id", "b")], "").request_id(),
            Some("b")
        );
        assert_eq!(parse(&[], "").request_id(), None);
    }

    #[test]
    fn non_json_bodies_keep_status_id_and_header_code() {
        let m = parse(
            &[
                ("x-amzn-requestid", "rid"),
                ("x-amzn-errortype", "ServiceUnavailable"),
            ],
            "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
        );
        assert_eq!(m.code(), Some("ServiceUnavailable"));
        assert_eq!(m.status(), Some(400));
        assert_eq!(m.request_id(), Some("rid"));
        assert_eq!(m.message(), None);

        let xml = r#"<?xml version="1.0"?><ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>
            <Message>The request signature we calculated does not match &amp; so on</Message></Error></ErrorResponse>"#;
        let m = parse(&[], xml);
        assert_eq!(m.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(
            m.message(),
            Some("The request signature we calculated does not match & so on")
        );

        for junk in ["", "{", "[1,2]", "null", "\u{0}\u{1}", "<Code>unterminated"] {
            let m = parse(&[], junk);
            assert_eq!(m.code(), None, "{junk:?}");
            assert_eq!(m.status(), Some(400));
        }
        let m = error_metadata(500, &HeaderMap::new(), &[0xff, 0xfe], None);
        assert_eq!(m.status(), Some(500));
    }
}
