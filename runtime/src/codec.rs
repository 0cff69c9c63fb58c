//! awsJson bodies for generated clients: serialize an input, parse an output or a modeled error,
//! and the serde helpers generated types name in their attributes.
//!
//! Generated crates call these instead of carrying their own copy, so the code is compiled,
//! linted and tested once, here.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::client::RawResponse;
use crate::error::{BuildError, ResponseError, SdkError};

/// Serializes an operation input into its JSON body.
pub fn to_body<T: Serialize, E>(
    operation: &'static str,
    input: &T,
) -> Result<Vec<u8>, SdkError<E>> {
    serde_json::to_vec(input).map_err(|error| {
        SdkError::Construction(BuildError::invalid(operation, "input", error.to_string()))
    })
}

/// Parses a 2xx response body; an empty body is an empty object.
pub fn parse_output<T: DeserializeOwned, E>(
    operation: &'static str,
    response: &RawResponse,
) -> Result<T, SdkError<E>> {
    let body = or_empty_object(&response.body);
    // Checking the whole body's UTF-8 at once is cheaper than serde_json checking each string.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|error| {
        SdkError::Response(ResponseError::new(
            response.status,
            response.request_id.clone(),
            format!("the {operation} response body is not the expected JSON: {error}"),
        ))
    })
}

/// Parses an error body into a modeled error; `None` when it is not that error's JSON (an HTML
/// page from a proxy, say), so the caller can fall back to the error metadata alone.
pub fn parse_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(or_empty_object(body)).ok()
}

fn or_empty_object(body: &[u8]) -> &[u8] {
    if body.is_empty() {
        b"{}"
    } else {
        body
    }
}

/// A fresh UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`) for an `@idempotencyToken` member
/// the caller left unset. Retries of one call reuse the body, and so the token.
pub fn idempotency_token() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Fills `@idempotencyToken` members left unset with fresh tokens, anywhere inside an operation
/// input: generated structures and unions that hold such members (directly or deeper) implement
/// it, and the containers they sit in pass it on.
pub trait FillIdempotencyTokens {
    /// Sets every unset token member inside `self` to a fresh [`idempotency_token`].
    fn fill_idempotency_tokens(&mut self);
}

impl<T: FillIdempotencyTokens> FillIdempotencyTokens for Option<T> {
    fn fill_idempotency_tokens(&mut self) {
        if let Some(value) = self {
            value.fill_idempotency_tokens();
        }
    }
}

impl<T: FillIdempotencyTokens> FillIdempotencyTokens for Box<T> {
    fn fill_idempotency_tokens(&mut self) {
        (**self).fill_idempotency_tokens();
    }
}

impl<T: FillIdempotencyTokens> FillIdempotencyTokens for Vec<T> {
    fn fill_idempotency_tokens(&mut self) {
        self.iter_mut()
            .for_each(FillIdempotencyTokens::fill_idempotency_tokens);
    }
}

impl<K, T: FillIdempotencyTokens> FillIdempotencyTokens for std::collections::HashMap<K, T> {
    fn fill_idempotency_tokens(&mut self) {
        self.values_mut()
            .for_each(FillIdempotencyTokens::fill_idempotency_tokens);
    }
}

/// `skip_serializing_if` for a number or boolean member whose model default is its zero: a
/// request leaves it out while it holds that value, as the AWS SDKs do.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// `deserialize_with` for a member that reads absent and `null` as its type's default.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    let value: Option<T> = Deserialize::deserialize(deserializer)?;
    Ok(value.unwrap_or_default())
}

/// A string, borrowed from the input when it has no escapes (enum values parse without copying).
pub fn deserialize_str<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'de, str>, D::Error> {
    struct StrVisitor;
    impl<'de> Visitor<'de> for StrVisitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(
            self,
            value: &'de str,
        ) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(value))
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(value.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(value))
        }
    }
    deserializer.deserialize_str(StrVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Thing {
        #[serde(default, deserialize_with = "null_as_default")]
        count: i32,
        #[serde(default)]
        name: Option<String>,
    }

    fn response(body: &'static [u8]) -> RawResponse {
        RawResponse {
            status: 200,
            request_id: Some("req-1".into()),
            body: Bytes::from_static(body),
        }
    }

    #[test]
    fn zero_defaults_are_detected_for_numbers_and_booleans() {
        assert!(is_default(&0_i32) && is_default(&false) && is_default(&0.0_f64));
        assert!(!is_default(&7_i64) && !is_default(&true) && !is_default(&-0.5_f32));
    }

    #[test]
    fn inputs_serialize_to_json() {
        let thing = Thing {
            count: 2,
            name: Some("a".into()),
        };
        let body = to_body::<_, ()>("Op", &thing).unwrap();
        assert_eq!(body, br#"{"count":2,"name":"a"}"#);
    }

    #[test]
    fn an_empty_output_body_is_an_empty_object_and_null_reads_as_default() {
        let empty: Thing = parse_output::<_, ()>("Op", &response(b"")).unwrap();
        assert_eq!(empty, Thing::default());
        let null: Thing = parse_output::<_, ()>("Op", &response(br#"{"count":null}"#)).unwrap();
        assert_eq!(null.count, 0);
    }

    #[test]
    fn a_malformed_output_is_a_response_error_with_status_and_request_id() {
        let error = parse_output::<Thing, ()>("GetThing", &response(b"<html>")).unwrap_err();
        let SdkError::Response(error) = error else {
            panic!("{error:?}")
        };
        let text = error.to_string();
        assert!(
            text.contains("GetThing response body is not the expected JSON"),
            "{text}"
        );
        assert!(text.contains("req-1"), "{text}");
    }

    #[test]
    fn error_bodies_parse_or_say_none() {
        assert_eq!(
            parse_error_body::<Thing>(br#"{"name":"x"}"#)
                .unwrap()
                .name
                .as_deref(),
            Some("x")
        );
        assert_eq!(parse_error_body::<Thing>(b""), Some(Thing::default()));
        assert_eq!(parse_error_body::<Thing>(b"<html>forbidden</html>"), None);
    }

    #[test]
    fn idempotency_tokens_are_fresh_uuid_v4s() {
        let token = idempotency_token();
        let groups: Vec<&str> = token.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{token}"
        );
        assert!(token
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(groups[2].starts_with('4'), "{token}");
        assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{token}");
        assert_ne!(idempotency_token(), token);
    }

    #[test]
    fn strings_are_borrowed_unless_escaped() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        assert!(matches!(
            deserialize_str(&mut de).unwrap(),
            Cow::Borrowed("plain")
        ));
        let mut de = serde_json::Deserializer::from_str(r#""a\nb""#);
        let owned = deserialize_str(&mut de).unwrap();
        assert!(matches!(owned, Cow::Owned(_)));
        assert_eq!(owned, "a\nb");
    }
}
