//! A point in time for Smithy timestamps, exact to the nanosecond.
//!
//! awsJson sends timestamps as epoch seconds in a JSON number, possibly fractional
//! (`1479495000.123`). Going through `f64` loses the milliseconds of present-day dates, so this
//! module parses and prints the decimal text itself.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// Seconds and nanoseconds since 1970-01-01T00:00:00Z.
///
/// `secs` may be negative; `subsec_nanos` is always in `0..1_000_000_000` and counts forward, so
/// -1.5 s is `secs = -2, nanos = 500_000_000`. `Display` prints RFC 3339 in UTC, for example
/// `2024-01-02T03:04:05.123Z`.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A text that is not an epoch-seconds number, or one out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    reason: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid epoch-seconds timestamp: {}", self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

fn parse_error(reason: &'static str) -> DateTimeParseError {
    DateTimeParseError { reason }
}

impl DateTime {
    /// Whole seconds since the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// Seconds since the epoch plus `nanos` forward; nanos of a second or more carry into `secs`
    /// (saturating at the end of the range).
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        Self {
            secs: secs.saturating_add((nanos / NANOS_PER_SEC) as i64),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Whole seconds since the epoch (rounded down, so negative for fractional pre-1970 times).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds after [`secs`](Self::secs), in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Parses the text of a JSON number holding epoch seconds, exactly.
    ///
    /// Accepts `1479495000`, `1479495000.123`, `-1.5`, `1.7e9`, `17E8`, `1.4794950001234567e9`.
    /// Digits beyond the nanosecond are dropped (toward zero). Surrounding whitespace is allowed.
    pub fn from_epoch_seconds_str(text: &str) -> Result<Self, DateTimeParseError> {
        let bytes = text.trim().as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            Some(_) => (false, bytes),
            None => return Err(parse_error("empty")),
        };

        // Split into integer digits, fraction digits and exponent, validating as we go.
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int_digits, rest) = rest.split_at(int_len);
        let (frac_digits, rest) = match rest.split_first() {
            Some((b'.', after)) => {
                let n = after.iter().take_while(|b| b.is_ascii_digit()).count();
                if n == 0 {
                    return Err(parse_error("no digits after the decimal point"));
                }
                after.split_at(n)
            }
            _ => (&rest[..0], rest),
        };
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(parse_error("no digits"));
        }
        let exponent: i64 = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', after)) => parse_exponent(after)?,
            Some(_) => return Err(parse_error("unexpected character")),
        };

        // The value is 0.DIGITS x 10^point: `point` digits sit before the decimal point.
        let digits = Digits {
            int: int_digits,
            frac: frac_digits,
        };
        let leading_zeros = digits.iter().take_while(|&d| d == 0).count();
        if leading_zeros == digits.len() {
            return Ok(Self::from_secs(0));
        }
        let point = (int_digits.len() as i64 - leading_zeros as i64).saturating_add(exponent);
        if point > 19 {
            return Err(parse_error("out of range"));
        }

        let (secs, nanos) = match magnitude_fast(&digits, leading_zeros, point) {
            Some(parts) => parts,
            None => magnitude_by_digit(&digits, leading_zeros, point)?,
        };

        let secs = i64::try_from(secs).map_err(|_| parse_error("out of range"))?;
        if !negative {
            return Ok(Self { secs, nanos });
        }
        // Negative: -(secs + nanos) becomes floor form, e.g. -1.25 -> (-2, 0.75).
        Ok(if nanos == 0 {
            Self {
                secs: -secs,
                nanos: 0,
            }
        } else {
            Self {
                secs: -secs - 1,
                nanos: NANOS_PER_SEC - nanos,
            }
        })
    }

    /// The shortest exact epoch-seconds text: `1479495000`, `1479495000.123`, `-1.5`.
    pub fn to_epoch_seconds_string(&self) -> String {
        let mut out = String::with_capacity(24);
        // Writing to a String cannot fail.
        let _ = self.write_epoch_seconds(&mut out);
        out
    }

    fn write_epoch_seconds(&self, out: &mut impl fmt::Write) -> fmt::Result {
        if self.nanos == 0 {
            return write!(out, "{}", self.secs);
        }
        // Print sign and magnitude: -2 s + 0.75 s is -1.25.
        let (sign, whole, frac) = if self.secs < 0 {
            (
                "-",
                (self.secs + 1).unsigned_abs(),
                NANOS_PER_SEC - self.nanos,
            )
        } else {
            ("", self.secs as u64, self.nanos)
        };
        let digits = FractionDigits::new(frac);
        write!(out, "{sign}{whole}.{}", digits.as_str())
    }

    /// Converts from a [`SystemTime`] (times before 1970 included).
    pub fn from_system_time(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Self {
                secs: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                if before.subsec_nanos() == 0 {
                    Self {
                        secs: -secs,
                        nanos: 0,
                    }
                } else {
                    Self {
                        secs: -secs - 1,
                        nanos: NANOS_PER_SEC - before.subsec_nanos(),
                    }
                }
            }
        }
    }

    /// Converts to a [`SystemTime`]; `None` if the platform cannot represent this instant.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        if self.secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(self.secs as u64, self.nanos))
        } else {
            // secs + nanos = -(|secs| - nanos), computed without overflow.
            let back = Duration::from_secs(self.secs.unsigned_abs());
            UNIX_EPOCH
                .checked_sub(back)?
                .checked_add(Duration::from_nanos(u64::from(self.nanos)))
        }
    }
}

impl DateTime {
    /// Parses an RFC 3339 date-time, as AWS credential sources write expiry times:
    /// `2021-09-21T18:41:26Z`, `2021-09-21T18:41:26.123Z`, `2021-09-21T20:41:26+02:00`
    /// (`t` and `z` in either case). Digits beyond the nanosecond are dropped.
    pub fn from_rfc3339(text: &str) -> Result<Self, DateTimeParseError> {
        let b = text.trim().as_bytes();
        let bad = || parse_error("not an RFC 3339 date-time (`2021-09-21T18:41:26Z`)");
        let num = |range: std::ops::Range<usize>| -> Result<i64, DateTimeParseError> {
            let digits = b.get(range).ok_or_else(bad)?;
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(bad());
            }
            Ok(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let sep = |i: usize, allowed: &[u8]| match b.get(i) {
            Some(c) if allowed.contains(c) => Ok(()),
            _ => Err(bad()),
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        sep(4, b"-")?;
        sep(7, b"-")?;
        sep(10, b"Tt ")?;
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        sep(13, b":")?;
        sep(16, b":")?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_len = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        // A leap second (60) is read as the last second of its minute.
        if !(1..=12).contains(&month)
            || !(1..=month_len).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(parse_error("a date-time field is out of range"));
        }
        let mut pos = 19;
        let mut nanos = 0u32;
        if b.get(pos) == Some(&b'.') {
            let digits = b[pos + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if digits == 0 {
                return Err(bad());
            }
            for (i, d) in b[pos + 1..pos + 1 + digits].iter().take(9).enumerate() {
                nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
            }
            pos += 1 + digits;
        }
        let offset_secs = match b.get(pos..) {
            Some([b'Z' | b'z']) => 0,
            Some([sign @ (b'+' | b'-'), _, _, b':', _, _]) => {
                let (h, m) = (num(pos + 1..pos + 3)?, num(pos + 4..pos + 6)?);
                if h > 23 || m > 59 {
                    return Err(parse_error("a date-time field is out of range"));
                }
                let offset = h * 3600 + m * 60;
                if *sign == b'-' {
                    -offset
                } else {
                    offset
                }
            }
            _ => return Err(bad()),
        };
        let days = days_from_civil(year, month as u32, day as u32);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_secs;
        Ok(Self { secs, nanos })
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        Self::from_system_time(time)
    }
}

impl fmt::Display for DateTime {
    /// RFC 3339 in UTC; the fraction is printed only when non-zero, without trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let secs_of_day = self.secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}-")?;
        } else {
            // RFC 3339 has no room for these; print them like ISO 8601's expanded years.
            write!(f, "{year:+}-")?;
        }
        write!(f, "{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")?;
        if self.nanos != 0 {
            write!(f, ".{}", FractionDigits::new(self.nanos).as_str())?;
        }
        f.write_str("Z")
    }
}

/// Year, month (1-12) and day (1-31) of the proleptic Gregorian calendar for a count of days
/// since 1970-01-01.
///
/// Works in 400-year eras (146 097 days each), counted from 0000-03-01 so that the leap day is
/// the last day of each year and month lengths follow a simple pattern.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    const DAYS_PER_ERA: i64 = 146_097;
    // 1970-01-01 is day 719 468 counted from 0000-03-01.
    let days = days + 719_468;
    let era = days.div_euclid(DAYS_PER_ERA);
    let day_of_era = days.rem_euclid(DAYS_PER_ERA); // 0..=146096
                                                    // Subtract the extra leap days (every 4 years, not every 100, again every 400).
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months from March: lengths 31,30,31,30,31,31,30,31,30,31,31,(28|29) follow (153*m+2)/5.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date; the inverse of [`civil_from_days`].
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Count years from March, so that the leap day ends the year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The nine digits of a nanosecond count, without trailing zeros (`500_000_000` -> `5`).
struct FractionDigits {
    digits: [u8; 9],
    len: usize,
}

impl FractionDigits {
    fn new(nanos: u32) -> Self {
        let mut digits = [b'0'; 9];
        let mut rest = nanos;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let len = 9 - digits.iter().rev().take_while(|&&d| d == b'0').count();
        Self { digits, len }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits are ever written.
        std::str::from_utf8(&self.digits[..self.len]).unwrap_or_default()
    }
}

fn parse_exponent(text: &[u8]) -> Result<i64, DateTimeParseError> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(parse_error("malformed exponent"));
    }
    // Saturate: anything this large is out of range or zero anyway.
    let magnitude = digits.iter().fold(0i64, |acc, d| {
        acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    Ok(if negative { -magnitude } else { magnitude })
}

/// The whole seconds and nanoseconds of `0.DIGITS x 10^point` (digits after `leading_zeros`),
/// with integer arithmetic on the significant digits at once: numbers of up to 19 of them
/// (`1.700000000123E9` has 13), which is every timestamp a service sends.
fn magnitude_fast(digits: &Digits<'_>, leading_zeros: usize, point: i64) -> Option<(u64, u32)> {
    let significant = digits.len() - leading_zeros;
    if point <= -9 {
        return Some((0, 0)); // below a nanosecond
    }
    // Value = mantissa x 10^-scale.
    let scale = significant as i64 - point;
    if significant > 19 || scale > 19 {
        return None;
    }
    let mantissa = digits
        .iter()
        .skip(leading_zeros)
        .fold(0u64, |acc, d| acc * 10 + u64::from(d));
    if scale <= 0 {
        let secs = mantissa.checked_mul(POW10[scale.unsigned_abs() as usize])?;
        return Some((secs, 0));
    }
    let divisor = POW10[scale as usize];
    let rest = mantissa % divisor;
    let nanos = if scale <= 9 {
        rest * POW10[9 - scale as usize]
    } else {
        rest / POW10[scale as usize - 9] // toward zero
    };
    Some((mantissa / divisor, nanos as u32))
}

/// `10^0` to `10^19`.
const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// [`magnitude_fast`] digit by digit, for any number of digits.
fn magnitude_by_digit(
    digits: &Digits<'_>,
    leading_zeros: usize,
    point: i64,
) -> Result<(u64, u32), DateTimeParseError> {
    let digit_at = |pos: i64| -> u64 {
        // Position relative to the first significant digit.
        if pos < 0 {
            return 0;
        }
        digits
            .get(leading_zeros + pos as usize)
            .map_or(0, u64::from)
    };
    let mut secs: u64 = 0;
    for pos in 0..point.max(0) {
        secs = secs
            .checked_mul(10)
            .and_then(|s| s.checked_add(digit_at(pos)))
            .ok_or_else(|| parse_error("out of range"))?;
    }
    let mut nanos: u32 = 0;
    for pos in point..point + 9 {
        nanos = nanos * 10 + digit_at(pos) as u32;
    }

    Ok((secs, nanos))
}

/// The significant digits of a number: integer digits followed by fraction digits.
struct Digits<'a> {
    int: &'a [u8],
    frac: &'a [u8],
}

impl Digits<'_> {
    fn len(&self) -> usize {
        self.int.len() + self.frac.len()
    }

    fn get(&self, i: usize) -> Option<u8> {
        let byte = if i < self.int.len() {
            self.int[i]
        } else {
            *self.frac.get(i - self.int.len())?
        };
        Some(byte - b'0')
    }

    fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.int.iter().chain(self.frac).map(|b| b - b'0')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_digit_by_digit() {
        // Every shape of number: leading zeros, long fractions, exponents either way.
        let mut rng = fastrand::Rng::with_seed(7);
        let mut compared = 0;
        for _ in 0..20_000 {
            let int: String = (0..rng.usize(0..12)).map(|_| rng.digit(10)).collect();
            let frac: String = (0..rng.usize(0..30)).map(|_| rng.digit(10)).collect();
            let digits = Digits {
                int: int.as_bytes(),
                frac: frac.as_bytes(),
            };
            let leading_zeros = digits.iter().take_while(|&d| d == 0).count();
            if leading_zeros == digits.len() {
                continue;
            }
            let exponent = rng.i64(-25..25);
            let point = (int.len() as i64 - leading_zeros as i64) + exponent;
            if point > 19 {
                continue;
            }
            if let Some(fast) = magnitude_fast(&digits, leading_zeros, point) {
                let slow = magnitude_by_digit(&digits, leading_zeros, point).unwrap();
                assert_eq!(fast, slow, "{int}.{frac}e{exponent}");
                compared += 1;
            }
        }
        assert!(compared > 5_000, "{compared}");
    }

    fn parse(text: &str) -> (i64, u32) {
        let t = DateTime::from_epoch_seconds_str(text).unwrap();
        (t.secs(), t.subsec_nanos())
    }

    #[test]
    fn parses_whole_and_fractional_seconds_exactly() {
        assert_eq!(parse("1479495000"), (1_479_495_000, 0));
        assert_eq!(parse("1479495000.123"), (1_479_495_000, 123_000_000));
        assert_eq!(parse("1479495000.123456789"), (1_479_495_000, 123_456_789));
        assert_eq!(parse("1479495000.1234567899"), (1_479_495_000, 123_456_789));
        assert_eq!(parse("0"), (0, 0));
        assert_eq!(parse("-0"), (0, 0));
        assert_eq!(parse("0.000000001"), (0, 1));
        assert_eq!(parse(" 12 "), (12, 0));
    }

    #[test]
    fn parses_exponents() {
        assert_eq!(parse("1.7e9"), (1_700_000_000, 0));
        assert_eq!(parse("17E8"), (1_700_000_000, 0));
        assert_eq!(parse("1.479495000123e9"), (1_479_495_000, 123_000_000));
        assert_eq!(parse("1479495000123e-3"), (1_479_495_000, 123_000_000));
        assert_eq!(parse("5e-1"), (0, 500_000_000));
        assert_eq!(parse("1e-10"), (0, 0));
        assert_eq!(parse("0e999999999999999999999"), (0, 0));
        assert_eq!(parse("000123.5"), (123, 500_000_000));
    }

    #[test]
    fn parses_negative_times_in_floor_form() {
        assert_eq!(parse("-1.5"), (-2, 500_000_000));
        assert_eq!(parse("-1"), (-1, 0));
        assert_eq!(parse("-0.25"), (-1, 750_000_000));
        assert_eq!(parse("-9223372036854775807"), (-i64::MAX, 0));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            "",
            "-",
            ".",
            "1.",
            ".e5",
            "abc",
            "1e",
            "1e+",
            "1x",
            "1.2.3",
            "\"1\"",
            "null",
            "1e20",
            "9223372036854775808",
            "99999999999999999999",
            "1e999999999999999999999",
            "--1",
        ] {
            assert!(
                DateTime::from_epoch_seconds_str(bad).is_err(),
                "{bad:?} parsed"
            );
        }
        assert_eq!(parse(".5"), (0, 500_000_000)); // lenient: JSON would not produce it
    }

    #[test]
    fn prints_shortest_exact_epoch_seconds() {
        let cases = [
            ("1479495000", "1479495000"),
            ("1479495000.123", "1479495000.123"),
            ("1479495000.120", "1479495000.12"),
            ("1479495000.123456789", "1479495000.123456789"),
            ("-1.5", "-1.5"),
            ("-0.25", "-0.25"),
            ("-3", "-3"),
            ("1.7e9", "1700000000"),
        ];
        for (input, expected) in cases {
            let t = DateTime::from_epoch_seconds_str(input).unwrap();
            assert_eq!(t.to_epoch_seconds_string(), expected, "{input}");
            assert_eq!(DateTime::from_epoch_seconds_str(expected).unwrap(), t);
        }
        let min = DateTime::from_secs_and_nanos(i64::MIN, 1);
        assert_eq!(
            min.to_epoch_seconds_string(),
            "-9223372036854775807.999999999"
        );
    }

    #[test]
    fn displays_rfc3339_utc() {
        let show = |s: &str| DateTime::from_epoch_seconds_str(s).unwrap().to_string();
        assert_eq!(show("0"), "1970-01-01T00:00:00Z");
        assert_eq!(show("1704164645.123"), "2024-01-02T03:04:05.123Z");
        assert_eq!(show("1479495000"), "2016-11-18T18:50:00Z");
        assert_eq!(show("951782400"), "2000-02-29T00:00:00Z");
        assert_eq!(show("-1.5"), "1969-12-31T23:59:58.5Z");
        assert_eq!(
            show("253402300799.000000001"),
            "9999-12-31T23:59:59.000000001Z"
        );
        assert_eq!(show("-62135596800"), "0001-01-01T00:00:00Z");
        assert_eq!(show("253402300800"), "+10000-01-01T00:00:00Z");
        // Extremes print something rather than overflowing.
        assert!(!DateTime::from_secs(i64::MIN).to_string().is_empty());
        assert!(!DateTime::from_secs(i64::MAX).to_string().is_empty());
    }

    #[test]
    fn civil_dates_match_day_counting_across_400_years() {
        // Walk day by day through a full era and check against a naive calendar.
        let (mut y, mut m, mut d) = (1600i64, 3u32, 1u32);
        let start = -135_080; // 1600-03-01
        for days in start..start + 146_097 {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn converts_system_time_both_ways() {
        let t = UNIX_EPOCH + Duration::new(1_479_495_000, 123_000_000);
        let dt = DateTime::from_system_time(t);
        assert_eq!((dt.secs(), dt.subsec_nanos()), (1_479_495_000, 123_000_000));
        assert_eq!(dt.to_system_time(), Some(t));

        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        let dt = DateTime::from(before);
        assert_eq!((dt.secs(), dt.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(dt.to_system_time(), Some(before));
    }

    #[test]
    fn nanos_carry_into_seconds() {
        let t = DateTime::from_secs_and_nanos(1, 2_500_000_000);
        assert_eq!((t.secs(), t.subsec_nanos()), (3, 500_000_000));
    }

    #[test]
    fn parses_rfc3339() {
        let parse = |s: &str| DateTime::from_rfc3339(s).map(|t| (t.secs(), t.subsec_nanos()));
        assert_eq!(parse("2021-09-21T18:41:26Z"), Ok((1_632_249_686, 0)));
        assert_eq!(parse("2009-02-13T23:31:30Z"), Ok((1_234_567_890, 0)));
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok((0, 0)));
        assert_eq!(
            parse("2000-02-29t00:00:00.5z"),
            Ok((951_782_400, 500_000_000))
        );
        assert_eq!(
            parse("2021-09-21T20:41:26.1234567891+02:00"),
            Ok((1_632_249_686, 123_456_789))
        );
        assert_eq!(parse("2021-09-21T17:41:26-01:00"), Ok((1_632_249_686, 0)));
        assert_eq!(parse("1969-12-31T23:59:59Z"), Ok((-1, 0)));
        assert_eq!(parse("2016-12-31T23:59:60Z"), parse("2016-12-31T23:59:59Z"));
        for bad in [
            "",
            "2021-09-21",
            "2021-09-21T18:41:26",
            "2021-09-21T18:41:26ZZ",
            "2021-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2021-09-21T24:00:00Z",
            "2021-09-21T18:41:26.Z",
            "2021-09-21T18:41:26+0200",
            "2021-09-21T18:41:26+25:00",
            "２０２１-09-21T18:41:26Z",
            "1632249686",
        ] {
            assert!(DateTime::from_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
