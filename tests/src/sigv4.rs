//! Checks a recorded request's SigV4 signature the way a service would: signs the request as
//! received (method, path, the headers its `SignedHeaders` lists, body) with aws-sigv4 at the
//! time of its `x-amz-date`, and compares `Authorization`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};

use crate::stub_server::RecordedRequest;

/// `Ok` when `request` is signed for `region` and `service` with this key pair, else what differs.
pub fn verify(
    request: &RecordedRequest,
    access_key_id: &str,
    secret_access_key: &str,
    region: &str,
    service: &str,
) -> Result<(), String> {
    let sent = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let signed_headers = sent
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or_else(|| format!("no SignedHeaders in {sent:?}"))?;
    let date = request.header("x-amz-date").ok_or("no x-amz-date header")?;
    let time = parse_amz_date(date).ok_or_else(|| format!("bad x-amz-date {date:?}"))?;
    // aws-sigv4 writes x-amz-date itself, from `time`.
    let mut headers = Vec::new();
    for name in signed_headers.split(';').filter(|n| *n != "x-amz-date") {
        let value = request
            .header(name)
            .ok_or_else(|| format!("signed header {name} was not received"))?;
        headers.push((name, value));
    }
    let host = request.header("host").ok_or("no Host header")?;
    let uri = format!("http://{host}{}", request.path);
    let signable = SignableRequest::new(
        &request.method,
        &uri,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| e.to_string())?;
    let identity = aws_credential_types::Credentials::new(
        access_key_id,
        secret_access_key,
        None,
        None,
        "check",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let expected = instructions
        .headers()
        .find(|(name, _)| *name == "authorization")
        .map(|(_, value)| value.to_owned())
        .ok_or("aws-sigv4 gave no Authorization")?;
    if expected == sent {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch:\n  sent     {sent}\n  expected {expected}"
        ))
    }
}

/// `20231114T221320Z` as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let digits = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    if text.len() != 16 || &text[8..9] != "T" || !text.ends_with('Z') {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let seconds = digits(9..11)? * 3600 + digits(11..13)? * 60 + digits(13..15)?;
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let total = u64::try_from(days * 86_400 + seconds).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_parse() {
        assert_eq!(
            parse_amz_date("20150830T123600Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        );
        assert_eq!(
            parse_amz_date("20240229T000000Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_709_164_800))
        );
        assert_eq!(parse_amz_date("2015-08-30"), None);
    }
}
