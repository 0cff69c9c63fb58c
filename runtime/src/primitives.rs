//! Smithy's primitive types that have no exact Rust standard type: blobs (base64 on the JSON wire),
//! arbitrary-precision numbers (kept as their exact text) and documents (any JSON value).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A Smithy `document`: untyped JSON, carried as it is.
pub type Document = serde_json::Value;

/// Binary data (Smithy `blob`), sent as base64 text in JSON.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Blob {
    // Length only: blobs can be large, and their content is often opaque or secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64_encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base64Visitor;
        impl Visitor<'_> for Base64Visitor {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64 text")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Blob, E> {
                base64_decode(text)
                    .map(Blob)
                    .ok_or_else(|| E::custom("a blob is not valid base64"))
            }
        }
        deserializer.deserialize_str(Base64Visitor)
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, whitespace not allowed); `None` when invalid.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be padding zeros, and a lone sextet cannot encode a byte.
    (bits < 6 && acc == 0).then_some(out)
}

/// A Smithy `bigInteger` or `bigDecimal`: the JSON number's exact text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigNumber(String);

impl BigNumber {
    /// A number from its decimal text, checked to be a JSON number.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str::<&serde_json::value::RawValue>(text)
            .ok()
            .filter(|_| text.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
            .map(|_| BigNumber(text.to_string()))
    }

    /// The exact decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BigNumber {
    /// Zero.
    fn default() -> Self {
        BigNumber("0".to_owned())
    }
}

impl fmt::Display for BigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for BigNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A raw value keeps every digit (no f64 on the way out).
        let raw = serde_json::value::RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BigNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        BigNumber::parse(raw.get())
            .ok_or_else(|| de::Error::custom(format!("expected a number, found {}", raw.get())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        let data: Vec<u8> = (0..=255).collect();
        for len in 0..20 {
            let encoded = base64_encode(&data[..len]);
            assert_eq!(
                base64_decode(&encoded).as_deref(),
                Some(&data[..len]),
                "{encoded}"
            );
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("a*=="), None);
    }

    #[test]
    fn blob_is_base64_in_json_and_debug_hides_content() {
        let blob = Blob::new(b"secret".to_vec());
        assert_eq!(serde_json::to_string(&blob).unwrap(), "\"c2VjcmV0\"");
        assert_eq!(serde_json::from_str::<Blob>("\"c2VjcmV0\"").unwrap(), blob);
        assert_eq!(format!("{blob:?}"), "Blob(6 bytes)");
        assert!(serde_json::from_str::<Blob>("\"%%%\"").is_err());
    }

    #[test]
    fn big_numbers_keep_every_digit() {
        let text = "123456789012345678901234567890.000000000000000000001";
        let number: BigNumber = serde_json::from_str(text).unwrap();
        assert_eq!(number.as_str(), text);
        assert_eq!(serde_json::to_string(&number).unwrap(), text);
        assert!(serde_json::from_str::<BigNumber>("\"12\"").is_err());
    }
}
