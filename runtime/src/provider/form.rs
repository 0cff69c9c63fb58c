//! awsQuery request bodies: `application/x-www-form-urlencoded` fields, as STS expects them.
//!
//! `Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fx`: every
//! byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, space
//! included (as `%20`, which every AWS query service accepts).

/// Encodes `fields` in order as a form body.
pub(crate) fn encode(fields: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, name);
        out.push('=');
        push_encoded(&mut out, value);
    }
    out
}

fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// Decodes a form body into its fields, in order (`+` is a space, `%XY` a byte). `None` when a
/// percent escape is malformed or the result is not UTF-8. (Checks that encoding round-trips.)
#[cfg(test)]
fn decode(body: &str) -> Option<Vec<(String, String)>> {
    if body.is_empty() {
        return Some(Vec::new());
    }
    body.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode_component(name)?, decode_component(value)?))
        })
        .collect()
}

#[cfg(test)]
fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_an_assume_role_body_like_the_sdks() {
        let body = encode(&[
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            (
                "RoleArn",
                "arn:aws:iam::130633740322:role/imds-chained-role-test",
            ),
            ("RoleSessionName", "assume-role-from-profile-1632246085998"),
        ]);
        assert_eq!(
            body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A130633740322%3Arole\
             %2Fimds-chained-role-test&RoleSessionName=assume-role-from-profile-1632246085998"
        );
    }

    #[test]
    fn encodes_everything_outside_the_unreserved_set() {
        assert_eq!(
            encode(&[("k", "a b+c/=&%~._-Zz09é")]),
            "k=a%20b%2Bc%2F%3D%26%25~._-Zz09%C3%A9"
        );
        assert_eq!(encode(&[]), "");
        assert_eq!(encode(&[("Empty", "")]), "Empty=");
    }

    #[test]
    fn decoding_inverts_encoding() {
        let fields = [("Action", "AssumeRole"), ("Token", "a+b/c= d&é%")];
        let decoded = decode(&encode(&fields)).unwrap();
        let expected: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(decoded, expected);
        assert_eq!(
            decode("a=1+2&b").unwrap(),
            vec![("a".into(), "1 2".into()), ("b".into(), "".into())]
        );
    }

    #[test]
    fn malformed_escapes_are_none_not_panics() {
        assert_eq!(decode("a=%"), None);
        assert_eq!(decode("a=%4"), None);
        assert_eq!(decode("a=%zz"), None);
        assert_eq!(decode("a=%ff"), None); // not UTF-8
        assert_eq!(decode("a=%C3%A9").unwrap()[0].1, "é");
    }
}
