//! The standard library of the rules language (except `aws.partition`, in `partitions`).
//!
//! Each function follows the Smithy rules-engine specification; where a function "returns
//! unset" in the specification it returns `None` here, which makes a condition false.

use super::value::Value;
use std::collections::BTreeMap;
use std::net::Ipv6Addr;

/// `substring(input, start, stop, reverse)`: the characters `start..stop` of an ASCII string,
/// counted from the end if `reverse`. Unset for non-ASCII input or a range outside the string.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    input.get(range).map(str::to_owned)
}

/// `uriEncode(value)`: percent-encodes every byte except the unreserved characters
/// `A-Z a-z 0-9 - _ . ~` (RFC 3986), with upper-case hex digits.
pub(crate) fn uri_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: one DNS label of 1 to 63 letters, digits and
/// `-`, starting with a letter or digit; with `allowSubDomains`, dot-separated labels that are
/// each valid.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value
            .split('.')
            .all(|label| is_valid_host_label(label, false))
    } else {
        let bytes = value.as_bytes();
        matches!(bytes.first(), Some(b) if b.is_ascii_alphanumeric())
            && bytes.len() <= 63
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether a bucket name can be the
/// first label(s) of a virtual-hosted S3 host name: 3 to 63 characters of lower-case letters,
/// digits and `-` (and `.` with `allowSubDomains`), starting and ending with a letter or digit;
/// with dots, no empty label, no label starting or ending with `-`, and not an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let bytes = value.as_bytes();
    let allowed = |b: &u8| {
        b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || *b == b'-'
            || (allow_sub_domains && *b == b'.')
    };
    let edge =
        |b: Option<&u8>| matches!(b, Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(allowed)
        && edge(bytes.first())
        && edge(bytes.last())
        && (!allow_sub_domains
            || (value
                .split('.')
                .all(|label| is_valid_host_label(label, false) && !label.ends_with('-'))
                && !is_ipv4(value)))
}

/// `parseURL(url)`: the parts of an `http` or `https` URL without query string, as a record
/// with `scheme`, `authority`, `path`, `normalizedPath` (with leading and trailing `/`) and
/// `isIp`. Unset for anything else.
pub(crate) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') || authority.contains(char::is_whitespace) {
        return None;
    }
    let host = host_of(authority)?;
    let is_ip = is_ipv4(host) || (host.starts_with('[') && host.ends_with(']'));
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut fields = BTreeMap::new();
    fields.insert("scheme".to_owned(), Value::String(scheme));
    fields.insert("authority".to_owned(), Value::String(authority.to_owned()));
    fields.insert("path".to_owned(), Value::String(path.to_owned()));
    fields.insert("normalizedPath".to_owned(), Value::String(normalized));
    fields.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Object(fields))
}

/// The host of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`), checked.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        host[1..end].parse::<Ipv6Addr>().ok()?;
        let port = if rest.is_empty() {
            None
        } else {
            Some(rest.strip_prefix(':')?)
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        port.parse::<u16>().ok()?;
    }
    if host.is_empty() {
        return None;
    }
    Some(host)
}

/// Four dot-separated decimal numbers of 0 to 255.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u8>().is_ok()
        })
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account-id:resource` as a record with
/// `partition`, `service`, `region`, `accountId` and `resourceId` (the resource split on `:`
/// and `/`). Partition, service and resource must not be empty. Unset for anything else.
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|id| Value::String(id.to_owned()))
        .collect();
    let mut fields = BTreeMap::new();
    fields.insert("partition".to_owned(), Value::from(partition));
    fields.insert("service".to_owned(), Value::from(service));
    fields.insert("region".to_owned(), Value::from(region));
    fields.insert("accountId".to_owned(), Value::from(account));
    fields.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(value: &'a Value, name: &str) -> &'a Value {
        &value.as_object().unwrap()[name]
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
        assert_eq!(
            substring("abcdefg", 0, 7, false).as_deref(),
            Some("abcdefg")
        );
        assert_eq!(substring("abcdefg", 0, 8, false), None);
        assert_eq!(substring("abcdefg", 4, 4, false), None);
        assert_eq!(substring("abcdefg", 5, 4, false), None);
        assert_eq!(substring("abcdefg", -1, 4, false), None);
        assert_eq!(substring("\u{1F600}abcdef", 0, 2, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("123", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(is_valid_host_label("a.b.c", true));
        assert!(!is_valid_host_label("a..c", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label("a_b", true));
    }

    #[test]
    fn s3_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a..c", true));
        assert!(!is_virtual_hostable_s3_bucket("a-.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a.-c", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com").unwrap();
        assert_eq!(field(&url, "scheme"), &Value::from("https"));
        assert_eq!(field(&url, "authority"), &Value::from("example.com"));
        assert_eq!(field(&url, "path"), &Value::from(""));
        assert_eq!(field(&url, "normalizedPath"), &Value::from("/"));
        assert_eq!(field(&url, "isIp"), &Value::Bool(false));

        let url = parse_url("http://127.0.0.1:8080/base/path").unwrap();
        assert_eq!(field(&url, "authority"), &Value::from("127.0.0.1:8080"));
        assert_eq!(field(&url, "path"), &Value::from("/base/path"));
        assert_eq!(field(&url, "normalizedPath"), &Value::from("/base/path/"));
        assert_eq!(field(&url, "isIp"), &Value::Bool(true));

        let url = parse_url("https://[::1]:443/").unwrap();
        assert_eq!(field(&url, "isIp"), &Value::Bool(true));
        assert_eq!(field(&url, "normalizedPath"), &Value::from("/"));

        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com?x=1",
            "https://example.com/#f",
            "https://",
            "https://host:notaport",
            "https://[zz]/",
            "https://[::1]x/",
            "https://user@host",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:us-east-1:012345678910:outpost/op-1234/bucket:b").unwrap();
        assert_eq!(field(&arn, "partition"), &Value::from("aws"));
        assert_eq!(field(&arn, "service"), &Value::from("s3"));
        assert_eq!(field(&arn, "region"), &Value::from("us-east-1"));
        assert_eq!(field(&arn, "accountId"), &Value::from("012345678910"));
        assert_eq!(
            field(&arn, "resourceId"),
            &Value::from(vec![
                "outpost".to_owned(),
                "op-1234".into(),
                "bucket".into(),
                "b".into()
            ])
        );
        let arn = parse_arn("arn:aws:iam:::role/x").unwrap();
        assert_eq!(field(&arn, "region"), &Value::from(""));
        for bad in [
            "arn:aws:s3:::",
            "arn::s3:::x",
            "arn:aws::::x",
            "nope:aws:s3:::x",
            "arn:aws:s3",
            "",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }
}
