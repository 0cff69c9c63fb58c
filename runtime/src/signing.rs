//! AWS Signature Version 4 for awsJson requests.
//!
//! An awsJson request always has the same shape: `POST /`, no query, and four signed headers
//! (`content-type`, `host`, `x-amz-date`, `x-amz-target`, plus `x-amz-security-token` with
//! temporary credentials). `User-Agent` and `Content-Length` are not signed: proxies may change
//! them.
//!
//! For that fixed shape the canonical request is written directly into one buffer, and the
//! signing key that aws-sigv4 derives (four HMACs) is kept for every request of the same day and
//! credentials, as a ring HMAC key. The per-call hashing (body, canonical request, final HMAC)
//! uses ring, which is already linked for TLS and has assembly SHA-256. Any header value that
//! would need SigV4's whitespace canonicalization goes through aws-sigv4's general signer
//! instead, and the tests check that both paths agree.

use crate::datetime::civil_from_days;
use crate::error::CredentialsError;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::HeaderValue;
use ring::{digest, hmac};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of an awsJson request that are signed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignableParts<'a> {
    /// The `Host` header value.
    pub(crate) host: &'a str,
    /// The request path: `/`, or the endpoint's path followed by `/` (only unreserved
    /// characters, so it is its own canonical form).
    pub(crate) path: &'a str,
    /// `application/x-amz-json-1.1`.
    pub(crate) content_type: &'a str,
    /// `Service.Operation`.
    pub(crate) target: &'a str,
    /// The request body.
    pub(crate) body: &'a [u8],
}

/// The headers signing adds to a request. Debug shows only the date: the signature and token
/// are replayable for minutes.
pub(crate) struct SigningHeaders {
    pub(crate) x_amz_date: HeaderValue,
    pub(crate) authorization: HeaderValue,
    pub(crate) security_token: Option<HeaderValue>,
}

impl std::fmt::Debug for SigningHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningHeaders")
            .field("x_amz_date", &self.x_amz_date)
            .finish_non_exhaustive()
    }
}

/// Signs requests for one region and signing name.
pub(crate) struct Signer {
    region: String,
    service: String,
    // The key depends only on (secret, day, region, service): derive it once a day.
    cached_key: Mutex<Option<CachedKey>>,
    // The canonical request of a client's requests starts with the same bytes every time.
    prefix: Option<CanonicalPrefix>,
}

/// `POST\n{path}\n\ncontent-type:{content_type}\nhost:{host}\nx-amz-date:`, and the SHA-256
/// state after hashing its whole 64-byte blocks (usually one, of about ten a call hashes).
struct CanonicalPrefix {
    /// Host and content type need no canonicalization (see [`Signer::sign`]).
    plain: bool,
    path: String,
    content_type: String,
    host: String,
    hashed: digest::Context,
}

impl CanonicalPrefix {
    fn new(path: &str, content_type: &str, host: &str) -> Self {
        let mut hashed = digest::Context::new(&digest::SHA256);
        push_canonical_prefix(
            &mut |piece| hashed.update(piece.as_bytes()),
            path,
            content_type,
            host,
        );
        Self {
            plain: plain(host) && plain(content_type),
            path: path.to_owned(),
            content_type: content_type.to_owned(),
            host: host.to_owned(),
            hashed,
        }
    }

    fn serves(&self, parts: &SignableParts<'_>) -> bool {
        self.host == parts.host
            && self.path == parts.path
            && self.content_type == parts.content_type
    }
}

/// A header value SigV4 signs as it is: not empty, printable ASCII without spaces (anything
/// else needs its whitespace canonicalization: aws-sigv4's general signer).
fn plain(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic())
}

/// The canonical request's first lines, up to the date, in pieces.
fn push_canonical_prefix(out: &mut dyn FnMut(&str), path: &str, content_type: &str, host: &str) {
    for piece in [
        "POST\n",
        path,
        "\n\ncontent-type:",
        content_type,
        "\nhost:",
        host,
        "\nx-amz-date:",
    ] {
        out(piece);
    }
}

struct CachedKey {
    credentials: Credentials,
    day: [u8; 8],
    // ring's key keeps the HMAC's inner and outer pad states: two hash blocks saved per call.
    key: hmac::Key,
    /// `X-Amz-Security-Token`, built once per credentials.
    token: Option<HeaderValue>,
    /// The hash states of the latest second and operation signed with this key.
    recent: Option<Recent>,
}

/// What a signature starts from: hash states, and the headers that do not depend on the body.
struct Prepared {
    canonical: digest::Context,
    mac: hmac::Context,
    date: HeaderValue,
    token: Option<HeaderValue>,
}

struct Recent {
    stamp: [u8; 16],
    target: String,
    canonical: digest::Context,
    mac: hmac::Context,
    date: HeaderValue,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Signer {
    pub(crate) fn new(region: &str, service: &str) -> Self {
        Self {
            region: region.to_owned(),
            service: service.to_owned(),
            cached_key: Mutex::new(None),
            prefix: None,
        }
    }

    /// Hashes the start of the canonical request of every request to `host` and `path` with
    /// this content type once, here, instead of on every call.
    pub(crate) fn with_request_prefix(
        mut self,
        path: &str,
        content_type: &str,
        host: &str,
    ) -> Self {
        self.prefix = Some(CanonicalPrefix::new(path, content_type, host));
        self
    }

    /// Signs `parts` at `time` with `credentials`.
    pub(crate) fn sign(
        &self,
        credentials: &Credentials,
        time: SystemTime,
        parts: &SignableParts<'_>,
    ) -> Result<SigningHeaders, CredentialsError> {
        let token = credentials.session_token();
        let token_plain = match token {
            Some(token) => plain(token),
            None => true,
        };
        // The client's own host and content type were checked when its prefix was hashed.
        let prefix_fits = self
            .prefix
            .as_ref()
            .is_some_and(|prefix| prefix.plain && prefix.serves(parts));
        let direct = (prefix_fits || (plain(parts.host) && plain(parts.content_type)))
            && plain(parts.target)
            && token_plain
            && plain(credentials.access_key_id());
        if !direct {
            return sign_with_aws_sigv4(&self.region, &self.service, credentials, time, parts);
        }

        let stamp = AmzDate::new(time)?;
        let date = stamp.as_str();
        let day = &date[..8];

        // Canonical request: method, path, query, headers (sorted), signed header list, payload.
        let signed_headers = if token.is_some() {
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        } else {
            "content-type;host;x-amz-date;x-amz-target"
        };
        let body_hash = hex(digest::digest(&digest::SHA256, parts.body).as_ref());
        let Prepared {
            mut canonical,
            mut mac,
            date: date_header,
            token: token_header,
        } = self.contexts(credentials, time, &stamp, parts, signed_headers)?;
        // The canonical request ends with the body's hash; the string to sign with the
        // canonical request's.
        canonical.update(&body_hash);
        mac.update(&hex(canonical.finish().as_ref()));

        // Exactly as long as it ends up: the header's bytes then keep this allocation (a string
        // with spare capacity would cost a second one).
        // Plain arrays, not iterator chains: this runs on every call.
        let head = [ALGORITHM, " Credential=", credentials.access_key_id(), "/"];
        let scope = self.scope(day);
        let tail = [", SignedHeaders=", signed_headers, ", Signature="];
        let length = |pieces: &[&str]| pieces.iter().map(|p| p.len()).sum::<usize>();
        let mut authorization =
            String::with_capacity(length(&head) + length(&scope) + length(&tail) + 64);
        for pieces in [&head[..], &scope, &tail] {
            for piece in pieces {
                authorization.push_str(piece);
            }
        }
        authorization.push_str(std::str::from_utf8(&hex(mac.sign().as_ref())).unwrap_or_default());
        debug_assert_eq!(authorization.len(), authorization.capacity());
        let mut authorization =
            HeaderValue::try_from(authorization).map_err(|_| invalid_header())?;
        authorization.set_sensitive(true);
        Ok(SigningHeaders {
            x_amz_date: date_header,
            authorization,
            security_token: token_header,
        })
    }

    /// The canonical request's hash state up to the body's hash, and the signature's HMAC state
    /// up to the canonical request's hash. Both depend only on the second, the credentials and
    /// the operation: a client making many calls a second reuses them (saving three of the
    /// nine SHA-256 blocks a call hashes) instead of hashing the same bytes again.
    fn contexts(
        &self,
        credentials: &Credentials,
        time: SystemTime,
        stamp: &AmzDate,
        parts: &SignableParts<'_>,
        signed_headers: &str,
    ) -> Result<Prepared, CredentialsError> {
        let date = stamp.as_str();
        let day: [u8; 8] = stamp.0[..8].try_into().unwrap_or([0; 8]);
        let mut slot = crate::os::lock(&self.cached_key);
        let cached = match slot.take() {
            Some(cached) if cached.day == day && cached.credentials == *credentials => cached,
            _ => {
                let derived = v4::generate_signing_key(
                    credentials.secret_access_key(),
                    time,
                    &self.region,
                    &self.service,
                );
                let token = match credentials.session_token() {
                    Some(token) => {
                        let mut value =
                            HeaderValue::from_str(token).map_err(|_| invalid_header())?;
                        value.set_sensitive(true);
                        Some(value)
                    }
                    None => None,
                };
                CachedKey {
                    credentials: credentials.clone(),
                    day,
                    key: hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref()),
                    token,
                    recent: None,
                }
            }
        };
        let cached = slot.insert(cached);
        let prefix = self.prefix.as_ref().filter(|prefix| prefix.serves(parts));
        if let (Some(recent), Some(_)) = (&cached.recent, prefix) {
            if recent.stamp == stamp.0 && recent.target == parts.target {
                return Ok(Prepared {
                    canonical: recent.canonical.clone(),
                    mac: recent.mac.clone(),
                    date: recent.date.clone(),
                    token: cached.token.clone(),
                });
            }
        }

        // Canonical request: method, path, query, headers (sorted), signed header list, payload.
        let mut canonical = match prefix {
            Some(prefix) => prefix.hashed.clone(),
            None => {
                let mut hash = digest::Context::new(&digest::SHA256);
                push_canonical_prefix(
                    &mut |piece| hash.update(piece.as_bytes()),
                    parts.path,
                    parts.content_type,
                    parts.host,
                );
                hash
            }
        };
        canonical.update(date.as_bytes());
        if let Some(token) = credentials.session_token() {
            canonical.update(b"\nx-amz-security-token:");
            canonical.update(token.as_bytes());
        }
        for piece in [
            "\nx-amz-target:",
            parts.target,
            "\n\n",
            signed_headers,
            "\n",
        ] {
            canonical.update(piece.as_bytes());
        }

        // String to sign: algorithm, date, scope, then the hash of the canonical request.
        let mut mac = hmac::Context::with_key(&cached.key);
        for piece in [ALGORITHM, "\n", date, "\n"] {
            mac.update(piece.as_bytes());
        }
        for piece in self.scope(&date[..8]) {
            mac.update(piece.as_bytes());
        }
        mac.update(b"\n");
        let date = HeaderValue::from_str(date).map_err(|_| invalid_header())?;
        if prefix.is_some() {
            cached.recent = Some(Recent {
                stamp: stamp.0,
                target: parts.target.to_owned(),
                canonical: canonical.clone(),
                mac: mac.clone(),
                date: date.clone(),
            });
        }
        Ok(Prepared {
            canonical,
            mac,
            date,
            token: cached.token.clone(),
        })
    }

    /// The credential scope `20150830/us-west-2/ecr/aws4_request`, in pieces.
    fn scope<'a>(&'a self, day: &'a str) -> [&'a str; 6] {
        [day, "/", &self.region, "/", &self.service, "/aws4_request"]
    }
}

/// Signs with aws-sigv4's general request signer (any header values).
pub(crate) fn sign_with_aws_sigv4(
    region: &str,
    service: &str,
    credentials: &Credentials,
    time: SystemTime,
    parts: &SignableParts<'_>,
) -> Result<SigningHeaders, CredentialsError> {
    let headers = [
        ("content-type", parts.content_type),
        ("host", parts.host),
        ("x-amz-target", parts.target),
    ];
    sign_request(
        region,
        service,
        credentials,
        time,
        parts.path,
        &headers,
        parts.body,
    )
}

/// Signs a `POST` of `body` to `uri` with these headers (the credential sources' STS calls use
/// it too), with aws-sigv4's general request signer.
pub(crate) fn sign_request(
    region: &str,
    service: &str,
    credentials: &Credentials,
    time: SystemTime,
    uri: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<SigningHeaders, CredentialsError> {
    let request = SignableRequest::new(
        "POST",
        uri,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(CredentialsError::signing)?;
    let identity = Identity::from(credentials.clone());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(CredentialsError::signing)?
        .into();
    let (instructions, _signature) = aws_sigv4::http_request::sign(request, &params)
        .map_err(CredentialsError::signing)?
        .into_parts();
    let (mut date, mut authorization, mut token) = (None, None, None);
    for (name, value) in instructions.headers() {
        match name {
            "x-amz-date" => date = Some(value.to_owned()),
            "authorization" => authorization = Some(value.to_owned()),
            "x-amz-security-token" => token = Some(value),
            _ => {}
        }
    }
    match (date, authorization) {
        (Some(date), Some(authorization)) => finish(&date, authorization, token),
        _ => Err(CredentialsError::other(
            "the signer did not produce the date and authorization headers",
        )),
    }
}

fn invalid_header() -> CredentialsError {
    CredentialsError::other("credentials contain characters not allowed in an HTTP header")
}

fn finish(
    date: &str,
    authorization: String,
    token: Option<&str>,
) -> Result<SigningHeaders, CredentialsError> {
    let invalid =
        |_| CredentialsError::other("credentials contain characters not allowed in an HTTP header");
    let mut authorization = HeaderValue::try_from(authorization).map_err(invalid)?;
    authorization.set_sensitive(true);
    let security_token = match token {
        Some(token) => {
            let mut value = HeaderValue::from_str(token).map_err(invalid)?;
            value.set_sensitive(true);
            Some(value)
        }
        None => None,
    };
    Ok(SigningHeaders {
        x_amz_date: HeaderValue::from_str(date).map_err(invalid)?,
        authorization,
        security_token,
    })
}

/// `20150830T123600Z`, without allocating.
struct AmzDate([u8; 16]);

impl AmzDate {
    fn new(time: SystemTime) -> Result<Self, CredentialsError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| CredentialsError::other("the clock is before 1970"))?
            .as_secs();
        let secs = i64::try_from(secs)
            .map_err(|_| CredentialsError::other("the clock is out of range"))?;
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        if !(0..=9999).contains(&year) {
            return Err(CredentialsError::other("the clock is out of range"));
        }
        let of_day = secs.rem_euclid(86_400);
        let mut out = *b"00000000T000000Z";
        put_digits(&mut out[0..4], year as u64);
        put_digits(&mut out[4..6], u64::from(month));
        put_digits(&mut out[6..8], u64::from(day));
        put_digits(&mut out[9..11], (of_day / 3600) as u64);
        put_digits(&mut out[11..13], (of_day / 60 % 60) as u64);
        put_digits(&mut out[13..15], (of_day % 60) as u64);
        Ok(Self(out))
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever written.
        std::str::from_utf8(&self.0).unwrap_or("00000000T000000Z")
    }
}

fn put_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// A SHA-256 hash in lower-case hex.
fn hex(hash: &[u8]) -> [u8; 64] {
    // Each byte's two digits at once.
    static PAIRS: [[u8; 2]; 256] = {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut pairs = [[0u8; 2]; 256];
        let mut i = 0;
        while i < 256 {
            pairs[i] = [HEX[i >> 4], HEX[i & 0xf]];
            i += 1;
        }
        pairs
    };
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(hash) {
        pair.copy_from_slice(&PAIRS[usize::from(b)]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const GOLDEN_BODY: &[u8] = br#"{"repositoryName":"ubuntu","force":true}"#;
    const GOLDEN_AUTH: &str =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/ecr/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
         Signature=f44cad9d37494fd054061e4e4d6954f03b3160b8df22560567eb5d4ecd9dd1ec";

    fn golden_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_440_938_160) // 2015-08-30T12:36:00Z
    }

    fn golden_parts() -> SignableParts<'static> {
        SignableParts {
            host: "api.ecr.us-west-2.amazonaws.com",
            path: "/",
            content_type: "application/x-amz-json-1.1",
            target: "AmazonEC2ContainerRegistry_V20150921.DeleteRepository",
            body: GOLDEN_BODY,
        }
    }

    fn example_credentials(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_owned),
            None,
            "test",
        )
    }

    #[test]
    fn golden_signature() {
        let signer = Signer::new("us-west-2", "ecr");
        let headers = signer
            .sign(&example_credentials(None), golden_time(), &golden_parts())
            .unwrap();
        assert_eq!(headers.x_amz_date, "20150830T123600Z");
        assert_eq!(headers.authorization, GOLDEN_AUTH);
        assert!(headers.security_token.is_none());
        assert!(headers.authorization.is_sensitive());

        // Second call uses the cached key and must give the same answer.
        let again = signer
            .sign(&example_credentials(None), golden_time(), &golden_parts())
            .unwrap();
        assert_eq!(again.authorization, GOLDEN_AUTH);
    }

    #[test]
    fn the_hashed_prefix_gives_the_same_signature_and_is_used_only_where_it_fits() {
        let parts = golden_parts();
        let signer = Signer::new("us-west-2", "ecr").with_request_prefix(
            parts.path,
            parts.content_type,
            parts.host,
        );
        let headers = signer
            .sign(&example_credentials(None), golden_time(), &parts)
            .unwrap();
        assert_eq!(headers.authorization, GOLDEN_AUTH);
        // Another host (a credential source's, say) is signed from scratch, correctly.
        let other = SignableParts {
            host: "ecr.example.com",
            ..parts
        };
        let fresh = Signer::new("us-west-2", "ecr")
            .sign(&example_credentials(None), golden_time(), &other)
            .unwrap();
        let with_prefix = signer
            .sign(&example_credentials(None), golden_time(), &other)
            .unwrap();
        assert_eq!(with_prefix.authorization, fresh.authorization);
        assert_ne!(with_prefix.authorization, GOLDEN_AUTH);
    }

    #[test]
    fn reused_hash_states_sign_each_request_correctly() {
        // Same second, same client: the second and third signatures reuse the first's hash
        // states, and must still cover their own body and operation.
        let parts = golden_parts();
        let signer = Signer::new("us-west-2", "ecr").with_request_prefix(
            parts.path,
            parts.content_type,
            parts.host,
        );
        let fresh = |parts: &SignableParts<'_>, credentials: &Credentials| {
            sign_with_aws_sigv4("us-west-2", "ecr", credentials, golden_time(), parts)
                .unwrap()
                .authorization
        };
        let plain = example_credentials(None);
        let temporary = example_credentials(Some("token-1"));
        let other_body = SignableParts {
            body: br#"{"repositoryName":"debian"}"#,
            ..parts
        };
        let other_target = SignableParts {
            target: "AmazonEC2ContainerRegistry_V20150921.CreateRepository",
            ..parts
        };
        for (parts, credentials) in [
            (&parts, &plain),
            (&other_body, &plain),
            (&other_target, &plain),
            (&other_target, &temporary),
            (&parts, &temporary),
            (&parts, &plain),
        ] {
            let signed = signer.sign(credentials, golden_time(), parts).unwrap();
            assert_eq!(signed.authorization, fresh(parts, credentials));
        }
        assert_eq!(
            signer
                .sign(&plain, golden_time(), &parts)
                .unwrap()
                .authorization,
            GOLDEN_AUTH
        );
    }

    #[test]
    fn golden_signature_through_aws_sigv4() {
        let headers = sign_with_aws_sigv4(
            "us-west-2",
            "ecr",
            &example_credentials(None),
            golden_time(),
            &golden_parts(),
        )
        .unwrap();
        assert_eq!(headers.authorization, GOLDEN_AUTH);
        assert_eq!(headers.x_amz_date, "20150830T123600Z");
    }

    #[test]
    fn session_token_is_signed_and_sent() {
        let signer = Signer::new("us-west-2", "ecr");
        let creds = example_credentials(Some("FQoGZXIvYXdzEXAMPLETOKEN//+="));
        let headers = signer.sign(&creds, golden_time(), &golden_parts()).unwrap();
        let auth = headers.authorization.to_str().unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
            ),
            "{auth}"
        );
        assert_eq!(
            headers.security_token.as_ref().unwrap(),
            "FQoGZXIvYXdzEXAMPLETOKEN//+="
        );
        assert!(headers.security_token.unwrap().is_sensitive());
        let reference =
            sign_with_aws_sigv4("us-west-2", "ecr", &creds, golden_time(), &golden_parts())
                .unwrap();
        assert_eq!(auth, reference.authorization.to_str().unwrap());
    }

    #[test]
    fn direct_signing_matches_aws_sigv4_on_many_inputs() {
        let mut rng = fastrand::Rng::with_seed(7);
        for i in 0..200 {
            let body: Vec<u8> = (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect();
            let time = UNIX_EPOCH + Duration::from_secs(rng.u64(0..4_000_000_000));
            let token = (i % 2 == 0).then(|| format!("token{}", rng.u64(..)));
            let creds = Credentials::new(
                format!("AKID{}", rng.u32(..)),
                format!("secret/{}+", rng.u64(..)),
                token,
                None,
                "test",
            );
            let region = ["us-east-1", "cn-north-1", "eu-west-3"][i % 3];
            let host = format!("api.ecr.{region}.amazonaws.com:{}", rng.u16(1..));
            let path = ["/", "/custom/", "/a/b-c_d.e~f/"][i % 3];
            let parts = SignableParts {
                host: &host,
                path,
                content_type: "application/x-amz-json-1.0",
                target: "Svc_2020.SomeOperation",
                body: &body,
            };
            let signer = Signer::new(region, "ecr");
            let direct = signer.sign(&creds, time, &parts).unwrap();
            let reference = sign_with_aws_sigv4(region, "ecr", &creds, time, &parts).unwrap();
            assert_eq!(direct.authorization, reference.authorization, "case {i}");
            assert_eq!(direct.x_amz_date, reference.x_amz_date, "case {i}");
            assert_eq!(direct.security_token, reference.security_token, "case {i}");
        }
    }

    #[test]
    fn key_cache_follows_day_and_credentials() {
        let signer = Signer::new("us-west-2", "ecr");
        let day1 = golden_time();
        let day2 = day1 + Duration::from_secs(86_400);
        let a = example_credentials(None);
        let b = Credentials::new("AKIDOTHER", "other-secret", None, None, "test");
        for (creds, time) in [(&a, day1), (&b, day1), (&a, day2), (&a, day1)] {
            let direct = signer.sign(creds, time, &golden_parts()).unwrap();
            let reference =
                sign_with_aws_sigv4("us-west-2", "ecr", creds, time, &golden_parts()).unwrap();
            assert_eq!(direct.authorization, reference.authorization);
        }
    }

    #[test]
    fn values_needing_canonicalization_use_the_general_signer() {
        let signer = Signer::new("us-west-2", "ecr");
        let creds = example_credentials(Some("token with  spaces"));
        let direct = signer.sign(&creds, golden_time(), &golden_parts()).unwrap();
        let reference =
            sign_with_aws_sigv4("us-west-2", "ecr", &creds, golden_time(), &golden_parts())
                .unwrap();
        assert_eq!(direct.authorization, reference.authorization);
    }

    #[test]
    fn bad_credentials_are_errors_not_panics() {
        let signer = Signer::new("us-west-2", "ecr");
        let creds = example_credentials(Some("line\nbreak"));
        assert!(signer.sign(&creds, golden_time(), &golden_parts()).is_err());
        let before_1970 = UNIX_EPOCH - Duration::from_secs(1);
        assert!(signer
            .sign(&example_credentials(None), before_1970, &golden_parts())
            .is_err());
    }

    #[test]
    fn amz_date_format() {
        assert_eq!(
            AmzDate::new(golden_time()).unwrap().as_str(),
            "20150830T123600Z"
        );
        assert_eq!(
            AmzDate::new(UNIX_EPOCH).unwrap().as_str(),
            "19700101T000000Z"
        );
    }
}
