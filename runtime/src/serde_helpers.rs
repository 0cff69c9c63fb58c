//! serde adapters for Smithy timestamps in awsJson: epoch seconds as JSON numbers.
//!
//! [`DateTime`] implements `Serialize` and `Deserialize` this way, so plain `DateTime` and
//! `Option<DateTime>` members just work. The modules can be named explicitly with
//! `#[serde(with = "aws_thin_runtime::serde_helpers::epoch_seconds")]`, or
//! `option_epoch_seconds` (together with `#[serde(default)]`) for optional members.
//!
//! **Reading** goes through [`serde_json::value::RawValue`] so the number's text is parsed
//! exactly by [`DateTime::from_epoch_seconds_str`]; `f64` would round `1479495000.123` to
//! `1479495000.1229999`. This needs a JSON deserializer (`serde_json::from_slice`, `from_str`
//! or `from_reader`); it is not meant for `serde_json::Value`.
//!
//! **Writing** must produce a bare JSON number with exactly the right value, but serde_json can
//! only write arbitrary number text through a `RawValue`. So:
//! - whole seconds are written as an `i64` (exact, and works with any serializer);
//! - a fraction is written as an `f64` when that `f64`'s shortest decimal form is exactly our
//!   decimal (true for millisecond timestamps of present-day dates), so the JSON text has the
//!   same value;
//! - anything else (say nanosecond precision, 19 significant digits) is written as a `RawValue`
//!   holding the exact decimal text.

use crate::datetime::DateTime;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// [`DateTime`] itself (de)serializes as epoch seconds, the awsJson default, so a plain
/// `DateTime` or `Option<DateTime>` member needs no attribute; the modules below do the same
/// for use with `#[serde(with = "...")]`.
impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_datetime(self, serializer)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        epoch_seconds::deserialize(deserializer)
    }
}

fn serialize_datetime<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
    if value.subsec_nanos() == 0 {
        return serializer.serialize_i64(value.secs());
    }
    let exact = value.to_epoch_seconds_string();
    if let Ok(float) = exact.parse::<f64>() {
        // `{}` on f64 prints the shortest text that reads back as the same f64, positionally.
        if float.is_finite() && float.to_string() == exact {
            return serializer.serialize_f64(float);
        }
    }
    RawValue::from_string(exact)
        .map_err(S::Error::custom)?
        .serialize(serializer)
}

fn parse_raw<E: serde::de::Error>(raw: &RawValue) -> Result<DateTime, E> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        return Err(E::custom(format_args!(
            "expected a timestamp in epoch seconds as a JSON number, found the string {text}"
        )));
    }
    DateTime::from_epoch_seconds_str(text).map_err(E::custom)
}

/// A required timestamp as epoch seconds.
pub mod epoch_seconds {
    use super::*;

    /// Writes `value` as a JSON number of epoch seconds (see the [module docs](super)).
    pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_datetime(value, serializer)
    }

    /// Reads a JSON number of epoch seconds exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        parse_raw(&raw)
    }
}

/// An optional timestamp as epoch seconds; JSON `null` reads as `None`.
///
/// Pair it with `#[serde(default)]` so a missing member also reads as `None`, and with
/// `#[serde(skip_serializing_if = "Option::is_none")]` so `None` is not sent.
pub mod option_epoch_seconds {
    use super::*;

    struct Present<'a>(&'a DateTime);

    impl Serialize for Present<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_datetime(self.0, serializer)
        }
    }

    /// Writes `Some` as a JSON number of epoch seconds and `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<DateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&Present(value)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a JSON number of epoch seconds exactly, or `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime>, D::Error> {
        match Option::<Box<RawValue>>::deserialize(deserializer)? {
            Some(raw) => parse_raw(&raw).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Required {
        #[serde(with = "epoch_seconds")]
        at: DateTime,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Optional {
        #[serde(
            default,
            with = "option_epoch_seconds",
            skip_serializing_if = "Option::is_none"
        )]
        at: Option<DateTime>,
    }

    fn read(json: &str) -> DateTime {
        serde_json::from_str::<Required>(json).unwrap().at
    }

    #[test]
    fn reads_numbers_exactly() {
        assert_eq!(
            read(r#"{"at":1479495000.123}"#),
            DateTime::from_secs_and_nanos(1_479_495_000, 123_000_000)
        );
        assert_eq!(
            read(r#"{"at": 1.7e9 }"#),
            DateTime::from_secs(1_700_000_000)
        );
        assert_eq!(
            read(r#"{"at":-1.5}"#),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert_eq!(
            read(r#"{"at":1479495000.123456789}"#),
            DateTime::from_secs_and_nanos(1_479_495_000, 123_456_789)
        );
        // Through a reader too (RawValue is then owned).
        let r: Required = serde_json::from_reader(&br#"{"at":12.5}"#[..]).unwrap();
        assert_eq!(r.at, DateTime::from_secs_and_nanos(12, 500_000_000));
    }

    #[test]
    fn rejects_non_numbers_with_a_clear_error() {
        let e = serde_json::from_str::<Required>(r#"{"at":"1479495000"}"#).unwrap_err();
        assert!(e.to_string().contains("epoch seconds"), "{e}");
        assert!(serde_json::from_str::<Required>(r#"{"at":true}"#).is_err());
        assert!(serde_json::from_str::<Required>(r#"{"at":null}"#).is_err());
    }

    #[test]
    fn writes_exact_bare_numbers() {
        let write = |at: DateTime| serde_json::to_string(&Required { at }).unwrap();
        assert_eq!(
            write(DateTime::from_secs(1_479_495_000)),
            r#"{"at":1479495000}"#
        );
        assert_eq!(
            write(DateTime::from_secs_and_nanos(1_479_495_000, 123_000_000)),
            r#"{"at":1479495000.123}"#
        );
        // Too many digits for f64: written from the exact text.
        assert_eq!(
            write(DateTime::from_secs_and_nanos(1_479_495_000, 123_456_789)),
            r#"{"at":1479495000.123456789}"#
        );
        assert_eq!(
            write(DateTime::from_secs_and_nanos(-2, 500_000_000)),
            r#"{"at":-1.5}"#
        );
        // Every written value reads back identically.
        for (s, n) in [
            (1_479_495_000, 1),
            (0, 1),
            (-1, 999_999_999),
            (1_700_000_000, 500_000),
        ] {
            let at = DateTime::from_secs_and_nanos(s, n);
            assert_eq!(read(&write(at)), at);
        }
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Plain {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<DateTime>,
        exact: DateTime,
    }

    #[test]
    fn datetime_itself_is_epoch_seconds() {
        let plain: Plain = serde_json::from_str(r#"{"at":null,"exact":1479495000.123}"#).unwrap();
        assert_eq!(plain.at, None);
        assert_eq!(
            plain.exact,
            DateTime::from_secs_and_nanos(1_479_495_000, 123_000_000)
        );
        let plain: Plain = serde_json::from_str(r#"{"at":1.5,"exact":0}"#).unwrap();
        assert_eq!(
            plain.at,
            Some(DateTime::from_secs_and_nanos(1, 500_000_000))
        );
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"at":1.5,"exact":0}"#
        );
    }

    #[test]
    fn optional_null_missing_and_present() {
        let none: Optional = serde_json::from_str(r#"{"at":null}"#).unwrap();
        assert_eq!(none.at, None);
        let missing: Optional = serde_json::from_str("{}").unwrap();
        assert_eq!(missing.at, None);
        let some: Optional = serde_json::from_str(r#"{"at":1.25}"#).unwrap();
        assert_eq!(some.at, Some(DateTime::from_secs_and_nanos(1, 250_000_000)));
        assert_eq!(serde_json::to_string(&some).unwrap(), r#"{"at":1.25}"#);
        assert_eq!(serde_json::to_string(&missing).unwrap(), "{}");
    }
}
