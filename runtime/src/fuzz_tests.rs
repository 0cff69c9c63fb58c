//! Property tests for every parser of untrusted text: seeded mutations of valid inputs (bytes
//! flipped, tokens inserted, slices cut or doubled, deep nesting) must never panic, and deep
//! nesting must not exhaust a small stack. Bounded cases and fixed seeds, so the normal test run
//! stays fast and a failure is reproducible; a failing input is printed.

use crate::endpoint_rules::{Params, Partitions, RuleSet};
use crate::profile::ProfileSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Each property runs on a thread with this stack: a recursion per input byte overflows it.
const STACK: usize = 512 * 1024;

/// Mutated inputs per property (plus the seeds themselves).
const CASES: usize = 400;

/// Pieces that parsers of JSON, URLs, dates, base64 and INI files care about.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\xff",
    b"\xc3",
    b"\x1b[2J",
    b"\n",
    b"\r\n",
    b"\0",
    b"null",
    b"true",
    b"-",
    b"+",
    b".",
    b"e",
    b"E",
    b"9999999999999999999999",
    b"1e400",
    b"-0",
    b"=",
    b"#",
    b";",
    b"[profile ",
    b"  ",
    b"\t",
    b"%",
    b"%zz",
    b"@",
    b"//",
    b"://",
    b"[::1]",
    b":65536",
    b"T",
    b"Z",
    b"GMT",
    b", ",
    b"/",
    b"==",
    b"\xf0\x9f\x92\xa9",
    b"\xe2\x80\xae",
];

/// Openings that nest when repeated.
const NESTERS: &[&[u8]] = &[
    b"[",
    b"{\"a\":",
    b"(",
    b"[profile ",
    b"{\"fn\":\"not\",\"argv\":[",
];

/// Runs `check` on `cases` mutations of `seeds`, from a fixed `seed`, on a small stack.
pub(crate) fn fuzz(
    name: &'static str,
    seed: u64,
    cases: usize,
    seeds: &'static [&'static [u8]],
    check: impl Fn(&[u8]) + Send + 'static,
) {
    std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK)
        .spawn(move || {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut inputs: Vec<Vec<u8>> = seeds.iter().map(|s| s.to_vec()).collect();
            for _ in 0..cases {
                let base = seeds[rng.usize(..seeds.len())];
                inputs.push(mutate(&mut rng, base));
            }
            for input in inputs {
                if catch_unwind(AssertUnwindSafe(|| check(&input))).is_err() {
                    let shown = String::from_utf8_lossy(&input[..input.len().min(2000)]);
                    panic!(
                        "{name}: panicked on input {shown:?} ({} bytes)",
                        input.len()
                    );
                }
            }
        })
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{name} failed"));
}

fn mutate(rng: &mut fastrand::Rng, base: &[u8]) -> Vec<u8> {
    let mut out = base.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(..=out.len());
        match rng.u8(..6) {
            0 if !out.is_empty() => {
                let i = rng.usize(..out.len());
                out[i] = rng.u8(..);
            }
            1 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = rng.usize(at..=out.len());
                out.drain(at..end);
            }
            3 => out.truncate(at),
            4 => {
                let end = rng.usize(at..=out.len().min(at + 64));
                let slice = out[at..end].to_vec();
                let to = rng.usize(..=out.len());
                out.splice(to..to, slice);
            }
            _ => {
                let nester = NESTERS[rng.usize(..NESTERS.len())];
                let times = [10, 100, 1_000, 20_000][rng.usize(..4)];
                out.splice(at..at, nester.repeat(times));
            }
        }
    }
    out
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

#[test]
fn error_bodies_and_headers() {
    fuzz(
        "error bodies",
        1,
        CASES,
        &[
            br#"{"__type":"com.amazonaws.ecr#RepositoryNotFoundException:http://x","message":"gone"}"#,
            br#"{"code":"Throttling","Message":"slow","errorMessage":null}"#,
            b"<Error><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error>",
            b"<html><body>502 Bad Gateway</body></html>",
            b"",
        ],
        |input| {
            let mut headers = http::HeaderMap::new();
            if let Ok(value) = http::HeaderValue::from_bytes(&input[..input.len().min(200)]) {
                headers.insert("x-amzn-errortype", value.clone());
                headers.insert("x-amzn-requestid", value);
            }
            let request_id = crate::aws_json::request_id(&headers);
            let meta = crate::aws_json::error_metadata(503, &headers, input, request_id);
            let shown = meta.to_string();
            assert!(!shown.contains('\u{1b}'), "{shown:?}");
            if let Some(excerpt) = meta.body_excerpt() {
                assert!(excerpt.len() <= crate::redact::EXCERPT_LEN + 3);
            }
        },
    );
}

#[test]
fn timestamps() {
    fuzz(
        "timestamps",
        2,
        CASES,
        &[
            b"2015-08-30T12:36:00Z",
            b"1985-04-12T23:20:50.52+01:00",
            b"Sun, 30 Aug 2015 12:36:00 GMT",
            b"1440938160.123",
            b"-1e3",
        ],
        |input| {
            let text = text(input);
            let _ = crate::wire::parse_rfc3339(&text);
            let _ = crate::wire::parse_http_date(&text);
            if let Ok(time) = crate::DateTime::from_epoch_seconds_str(&text) {
                let _ = time.to_epoch_seconds_string();
                let _ = time.to_system_time();
            }
            let _ = serde_json::from_slice::<crate::DateTime>(input);
        },
    );
}

#[test]
fn base64_and_numbers() {
    fuzz(
        "base64",
        3,
        CASES,
        &[
            b"aGVsbG8gd29ybGQ=",
            b"AAEC/w==",
            b"",
            b"12345.678e-9",
            b"\"aGk=\"",
        ],
        |input| {
            let text = text(input);
            if let Some(bytes) = crate::primitives::base64_decode(&text) {
                // What decodes re-encodes to the same value.
                let again = crate::primitives::base64_encode(&bytes);
                assert_eq!(crate::primitives::base64_decode(&again), Some(bytes));
            }
            let _ = crate::BigNumber::parse(&text);
            let _ = serde_json::from_slice::<crate::Blob>(input);
            let _ = serde_json::from_slice::<crate::Document>(input);
        },
    );
}

#[test]
fn profile_files() {
    fuzz(
        "profile files",
        4,
        CASES,
        &[
            b"[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 10\n",
            b"[profile dev]\naws_access_key_id=AKID\n; c\n# c\n[sso-session x]\nregion=y\n",
            b"[dev]\naws_secret_access_key = s3cr3t\n",
        ],
        |input| {
            let text = text(input);
            for (config, credentials) in [(Some(text.as_str()), None), (None, Some(text.as_str()))]
            {
                if let Ok(set) = ProfileSet::parse(config, credentials) {
                    let set = set.with_selected("dev");
                    let _ = set.get("region");
                    let shown = format!("{set:?}");
                    assert!(!shown.contains("s3cr3t"), "{shown}");
                }
            }
        },
    );
}

#[test]
fn endpoint_urls() {
    fuzz(
        "endpoint URLs",
        5,
        CASES,
        &[
            b"https://api.ecr.us-west-2.amazonaws.com",
            b"http://127.0.0.1:4566/",
            b"http://[::1]:80",
            b"http://user:pw@host",
        ],
        |input| {
            let text = text(input);
            if let Err(error) = crate::endpoint::parse(&text) {
                let shown = format!("{error} {error:?}");
                assert!(!shown.contains("pw@"), "{shown}");
            }
            let _ = crate::endpoint_rules::functions::parse_url(&text);
            let _ = crate::endpoint_rules::functions::parse_arn(&text);
            let _ = crate::redact::url(&text);
        },
    );
}

const RULES: &[u8] = br#"{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region","required":false},"UseFIPS":{"type":"Boolean","required":true,"default":false},"Endpoint":{"type":"String","required":false}},"rules":[{"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":{"ref":"Endpoint"},"properties":{},"headers":{}},"type":"endpoint"},{"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],"rules":[{"conditions":[{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]},{"fn":"not","argv":[{"fn":"booleanEquals","argv":[{"fn":"getAttr","argv":[{"ref":"p"},"supportsFIPS"]},true]}]}],"error":"no FIPS","type":"error"},{"conditions":[],"endpoint":{"url":"https://x-{Region}.{p#dnsSuffix}","properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{Region}"}]},"headers":{"a":["b"]}},"type":"endpoint"}],"type":"tree"},{"conditions":[],"error":"Invalid Configuration: Missing Region","type":"error"}]}"#;

#[test]
fn rule_sets() {
    fuzz("rule sets", 6, CASES, &[RULES], |input| {
        if let Ok(rules) = RuleSet::parse(&text(input)) {
            for region in ["us-east-1", "", "cn-north-1", "x"] {
                let params = Params::new()
                    .with("Region", region)
                    .with("UseFIPS", region.len() % 2 == 0);
                let _ = rules.resolve(&params);
            }
        }
    });
}

const PARTITIONS: &[u8] = br#"{"partitions":[{"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{"us-east-1":{"description":"x"},"aws-global":{}},"outputs":{"name":"aws","dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws","supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}},{"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$","regions":{},"outputs":{"name":"aws-cn","dnsSuffix":"amazonaws.com.cn","dualStackDnsSuffix":"api.amazonwebservices.com.cn","supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"cn-north-1"}}]}"#;

#[test]
fn partition_data_and_region_patterns() {
    fuzz("partitions", 7, CASES, &[PARTITIONS], |input| {
        if let Ok(partitions) = Partitions::from_json(&text(input)) {
            for region in ["us-east-1", "cn-north-1", "eu-west-99", "", "ZZ"] {
                let _ = partitions.resolve(region);
            }
        }
    });
    fuzz(
        "patterns",
        8,
        CASES,
        &[
            br"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
            br"^[a-z0-9_]{2,3}(?:x|y)*.?\s\S\D\W$",
        ],
        |input| {
            if let Ok(pattern) = crate::endpoint_rules::pattern::Pattern::new(&text(input)) {
                for region in [
                    "us-east-1",
                    "",
                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
                ] {
                    let _ = pattern.is_match(region);
                }
            }
        },
    );
}
