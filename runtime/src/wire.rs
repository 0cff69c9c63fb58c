//! Wire adapters for members whose JSON form differs from their Rust type's own serde form:
//! floats (`"NaN"`, `"Infinity"`, `"-Infinity"` are strings on the wire) and timestamps with a
//! `timestampFormat` other than epoch seconds — also inside lists and maps.
//!
//! Generated code names an adapter per member, for example
//! `#[serde(serialize_with = "<wire::Opt<wire::List<wire::F64>> as wire::Wire>::serialize")]`.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::datetime::DateTime;

/// How one Rust value is written to and read from JSON.
pub trait Wire {
    /// The Rust type.
    type Value;
    /// Writes the value.
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

/// Any type whose own serde form is its wire form.
pub struct Plain<T>(PhantomData<T>);

impl<T: Serialize + de::DeserializeOwned> Wire for Plain<T> {
    type Value = T;
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// Serializes through an adapter (for elements of collections and union variants).
pub struct Ser<'a, W: Wire>(pub &'a W::Value);

impl<W: Wire> Serialize for Ser<'_, W> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        W::serialize(self.0, serializer)
    }
}

/// Deserializes through an adapter (for elements of collections and union variants).
pub struct De<W: Wire>(pub W::Value);

impl<'de, W: Wire> Deserialize<'de> for De<W> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        W::deserialize(deserializer).map(De)
    }
}

/// `Option<T>`: `null` reads as `None`.
pub struct Opt<W>(PhantomData<W>);

impl<W: Wire> Wire for Opt<W> {
    type Value = Option<W::Value>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => W::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(Option::<De<W>>::deserialize(deserializer)?.map(|v| v.0))
    }
}

/// `T` with a zero default: `null` reads as `T::default()`.
pub struct OrDefault<W>(PhantomData<W>);

impl<W: Wire> Wire for OrDefault<W>
where
    W::Value: Default,
{
    type Value = W::Value;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        W::serialize(value, serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(Opt::<W>::deserialize(deserializer)?.unwrap_or_default())
    }
}

/// `Vec<T>`.
pub struct List<W>(PhantomData<W>);

impl<W: Wire> Wire for List<W> {
    type Value = Vec<W::Value>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(value.iter().map(Ser::<W>))
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(Vec::<De<W>>::deserialize(deserializer)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

/// `HashMap<String, T>`.
pub struct Map<W>(PhantomData<W>);

impl<W: Wire> Wire for Map<W> {
    type Value = HashMap<String, W::Value>;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(value.iter().map(|(k, v)| (k, Ser::<W>(v))))
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(HashMap::<String, De<W>>::deserialize(deserializer)?
            .into_iter()
            .map(|(k, v)| (k, v.0))
            .collect())
    }
}

/// `f64`, with non-finite values as the strings Smithy's JSON protocols use.
pub struct F64;

impl Wire for F64 {
    type Value = f64;
    fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_name(*value) {
            Some(name) => serializer.serialize_str(name),
            None => serializer.serialize_f64(*value),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        match NumberOrString::deserialize(deserializer)? {
            NumberOrString::Number(n) => Ok(n),
            NumberOrString::String(s) => parse_non_finite(&s).ok_or_else(|| {
                de::Error::custom(format!(
                    "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {s:?}"
                ))
            }),
        }
    }
}

/// `f32`, like [`F64`].
pub struct F32;

impl Wire for F32 {
    type Value = f32;
    fn serialize<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_name(f64::from(*value)) {
            Some(name) => serializer.serialize_str(name),
            None => serializer.serialize_f32(*value),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        // Narrowing is what the f32 member asks for.
        F64::deserialize(deserializer).map(|v| v as f32)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrString {
    Number(f64),
    String(String),
}

fn non_finite_name(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

fn parse_non_finite(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// A timestamp with `timestampFormat: "date-time"` (RFC 3339, `2024-01-02T03:04:05.123Z`).
pub struct DateTimeRfc3339;

impl Wire for DateTimeRfc3339 {
    type Value = DateTime;
    fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_rfc3339(&text)
            .ok_or_else(|| de::Error::custom(format!("not an RFC 3339 date-time: {text:?}")))
    }
}

/// A timestamp with `timestampFormat: "http-date"` (`Tue, 29 Apr 2014 18:30:38 GMT`).
pub struct HttpDate;

impl Wire for HttpDate {
    type Value = DateTime;
    fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&HttpDateDisplay(*value))
    }
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_http_date(&text)
            .ok_or_else(|| de::Error::custom(format!("not an HTTP date: {text:?}")))
    }
}

/// Parses RFC 3339 (`Z` or a `±hh:mm` offset, any number of fraction digits up to nanoseconds).
pub fn parse_rfc3339(text: &str) -> Option<DateTime> {
    // ASCII only, so the fixed-position slices below cannot split a character.
    if !text.is_ascii() {
        return None;
    }
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year: i64 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    let hour: i64 = digits(&text[11..13])?;
    let minute: i64 = digits(&text[14..16])?;
    let second: i64 = digits(&text[17..19])?;
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        let kept = &fraction[..end.min(9)];
        nanos = digits::<u32>(kept)? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[end..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (digits::<i64>(&rest[1..3])? * 3600 + digits::<i64>(&rest[4..6])? * 60)
        }
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(DateTime::from_secs_and_nanos(secs, nanos))
}

/// Parses an IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`), optionally with a fraction.
pub fn parse_http_date(text: &str) -> Option<DateTime> {
    // Every response's `Date` is read (clock skew): the one form servers send, without splitting.
    if let Some(date) = parse_imf_fixdate(text.as_bytes()) {
        return Some(date);
    }
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = digits(parts.next()?)?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year_text = parts.next()?;
    if year_text.len() != 4 {
        return None;
    }
    let year: i64 = digits(year_text)?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let (hms, fraction) = time
        .split_once('.')
        .map_or((time, None), |(a, b)| (a, Some(b)));
    let mut fields = hms.split(':');
    let hour: i64 = digits(fields.next()?)?;
    let minute: i64 = digits(fields.next()?)?;
    let second: i64 = digits(fields.next()?)?;
    let nanos = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 => {
            digits::<u32>(f)? * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(DateTime::from_secs_and_nanos(secs, nanos))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` exactly, or `None` (then the general parser decides).
fn parse_imf_fixdate(b: &[u8]) -> Option<DateTime> {
    if b.len() != 29
        || &b[3..5] != b", "
        || b[7] != b' '
        || b[11] != b' '
        || b[16] != b' '
        || b[19] != b':'
        || b[22] != b':'
        || &b[25..] != b" GMT"
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        b[range].iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let day = number(5..7)?;
    let month = MONTHS.iter().position(|m| m.as_bytes() == &b[8..11])? as u32 + 1;
    let (year, hour, minute, second) = (
        number(12..16)?,
        number(17..19)?,
        number(20..22)?,
        number(23..25)?,
    );
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let secs =
        days_from_civil(year, month, day as u32) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(DateTime::from_secs_and_nanos(secs, 0))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

struct HttpDateDisplay(DateTime);

impl fmt::Display for HttpDateDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.secs();
        let days = secs.div_euclid(86_400);
        let in_day = secs.rem_euclid(86_400);
        let (year, month, day) = crate::datetime::civil_from_days(days);
        write!(
            f,
            "{}, {day:02} {} {year:04} {:02}:{:02}:{:02}",
            WEEKDAYS[days.rem_euclid(7) as usize],
            MONTHS[month as usize - 1],
            in_day / 3600,
            in_day % 3600 / 60,
            in_day % 60
        )?;
        let millis = self.0.subsec_nanos() / 1_000_000;
        if millis > 0 {
            write!(f, ".{millis:03}")?;
        }
        f.write_str(" GMT")
    }
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_parse_exactly() {
        // Without serde_json's `float_roundtrip`, this reads one unit off in the last place.
        for text in [
            "123456789.12345679",
            "0.1",
            "1.7976931348623157e308",
            "5e-324",
        ] {
            let read = F64::deserialize(&mut serde_json::Deserializer::from_str(text)).unwrap();
            assert_eq!(
                read.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
            let mut written = Vec::new();
            F64::serialize(&read, &mut serde_json::Serializer::new(&mut written)).unwrap();
            let again: f64 = serde_json::from_slice(&written).unwrap();
            assert_eq!(again.to_bits(), read.to_bits());
        }
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Sample {
        #[serde(
            serialize_with = "<F64 as Wire>::serialize",
            deserialize_with = "<F64 as Wire>::deserialize"
        )]
        ratio: f64,
        #[serde(
            default,
            serialize_with = "<Opt<List<F32>> as Wire>::serialize",
            deserialize_with = "<Opt<List<F32>> as Wire>::deserialize"
        )]
        samples: Option<Vec<f32>>,
        #[serde(
            serialize_with = "<Map<DateTimeRfc3339> as Wire>::serialize",
            deserialize_with = "<Map<DateTimeRfc3339> as Wire>::deserialize"
        )]
        times: HashMap<String, DateTime>,
        #[serde(
            serialize_with = "<HttpDate as Wire>::serialize",
            deserialize_with = "<HttpDate as Wire>::deserialize"
        )]
        modified: DateTime,
    }

    #[test]
    fn non_finite_floats_and_formatted_timestamps_round_trip() {
        let json = r#"{"ratio":"NaN","samples":[1.5,"Infinity","-Infinity"],"times":{"a":"2014-04-29T18:30:38.123Z"},"modified":"Tue, 29 Apr 2014 18:30:38 GMT"}"#;
        let sample: Sample = serde_json::from_str(json).unwrap();
        assert!(sample.ratio.is_nan());
        let samples = sample.samples.as_ref().unwrap();
        assert_eq!(
            (samples[0], samples[1], samples[2]),
            (1.5, f32::INFINITY, f32::NEG_INFINITY)
        );
        assert_eq!(
            sample.times["a"],
            DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000)
        );
        assert_eq!(sample.modified, DateTime::from_secs(1_398_796_238));
        assert_eq!(serde_json::to_string(&sample).unwrap(), json);
    }

    #[test]
    fn rfc3339_offsets_and_fractions() {
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(DateTime::from_secs(0))
        );
        assert_eq!(
            parse_rfc3339("1970-01-01T01:00:00+01:00"),
            Some(DateTime::from_secs(0))
        );
        assert_eq!(
            parse_rfc3339("1969-12-31T23:59:59.5Z"),
            Some(DateTime::from_secs_and_nanos(-1, 500_000_000))
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T12:00:00.123456789Z").map(|d| d.subsec_nanos()),
            Some(123_456_789)
        );
        assert_eq!(parse_rfc3339("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2024-01-01T00:00:00\u{e9}Z"), None);
        assert_eq!(parse_rfc3339("\u{e9}024-01-01T00:00:00Z"), None);
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(DateTime::from_secs(0))
        );
        assert_eq!(
            HttpDateDisplay(DateTime::from_secs(0)).to_string(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(
            HttpDateDisplay(DateTime::from_secs(1_398_796_238)).to_string(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert_eq!(parse_http_date("Tue, 29 Apr 2014 18:30:38 UTC"), None);
        assert_eq!(
            parse_http_date("Tue, 29 Apr 99999999999999999 18:30:38 GMT"),
            None
        );
    }
}
