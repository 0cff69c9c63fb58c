//! Gzip request bodies (`smithy.api#requestCompression`), with the `request-compression`
//! feature: miniz_oxide's raw deflate inside the gzip header and trailer (RFC 1952) written
//! here, with a table-driven CRC-32.

use crate::config::Config;

/// The body to send and whether it is gzip: compressed when the operation asks for it, the
/// config allows it and the body is at least the minimum size.
pub(crate) fn compress_if_wanted(config: &Config, wanted: bool, body: Vec<u8>) -> (Vec<u8>, bool) {
    let min = usize::try_from(config.request_min_compression_size_bytes()).unwrap_or(usize::MAX);
    if !wanted || config.disable_request_compression() || body.len() < min {
        return (body, false);
    }
    compress(body)
}

#[cfg(feature = "request-compression")]
fn compress(body: Vec<u8>) -> (Vec<u8>, bool) {
    (gzip(&body), true)
}

// Without the feature, bodies go as they are: compression saves bandwidth, the service accepts
// both.
#[cfg(not(feature = "request-compression"))]
fn compress(body: Vec<u8>) -> (Vec<u8>, bool) {
    (body, false)
}

/// `data` as a gzip member: header (no name, no time), deflate at level 6, CRC-32 and length.
#[cfg(feature = "request-compression")]
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(data, 6);
    let mut out = Vec::with_capacity(deflated.len() + 18);
    // ID1 ID2, CM = deflate, FLG = 0, MTIME = 0, XFL = 0, OS = 255 (unknown).
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crc32(data).to_le_bytes());
    // ISIZE: the length modulo 2^32, as RFC 1952 says.
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as gzip's trailer needs.
#[cfg(feature = "request-compression")]
pub(crate) fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &byte in data {
        crc = TABLE[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// The body under a `Content-Encoding: gzip` this client added, for the mock's matchers; the
/// body as it is otherwise.
#[cfg(feature = "test-util")]
pub(crate) fn decoded_body<'a>(
    headers: &http::HeaderMap,
    body: &'a [u8],
) -> std::borrow::Cow<'a, [u8]> {
    let gzipped = headers
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_end().ends_with("gzip"));
    #[cfg(feature = "request-compression")]
    if gzipped {
        if let Some(plain) = gunzip(body) {
            return std::borrow::Cow::Owned(plain);
        }
    }
    let _ = gzipped;
    std::borrow::Cow::Borrowed(body)
}

/// Reads back a gzip member as [`gzip`] writes it (no optional header fields), checking the
/// CRC and length; `None` for anything else.
#[cfg(feature = "request-compression")]
pub(crate) fn gunzip(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 18 || data[..4] != [0x1f, 0x8b, 8, 0] {
        return None;
    }
    let (deflated, trailer) = data[10..].split_at(data.len() - 18);
    let plain = miniz_oxide::inflate::decompress_to_vec(deflated).ok()?;
    let crc_ok = trailer[..4] == crc32(&plain).to_le_bytes();
    let len_ok = trailer[4..] == (plain.len() as u32).to_le_bytes();
    (crc_ok && len_ok).then_some(plain)
}

#[cfg(all(test, feature = "request-compression"))]
mod tests {
    use super::*;

    fn gunzip(data: &[u8]) -> Vec<u8> {
        super::gunzip(data).expect("a gzip member with the right CRC and length")
    }

    #[test]
    fn crc32_matches_the_check_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn gzip_round_trips_and_matches_a_known_member() {
        let text = br#"{"message":"hello hello hello hello hello"}"#.repeat(300);
        let zipped = gzip(&text);
        assert!(zipped.len() < text.len() / 10, "{} bytes", zipped.len());
        assert_eq!(gunzip(&zipped), text);
        assert_eq!(gunzip(&gzip(b"")), b"");
        // The empty input's member, byte for byte (as `gzip -n` writes it, OS byte aside).
        assert_eq!(
            gzip(b""),
            [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn only_wanted_big_enough_bodies_are_compressed_unless_disabled() {
        let config = |b: crate::ConfigBuilder| b.request_min_compression_size_bytes(100).build();
        let big = vec![b'a'; 100];
        let small = vec![b'a'; 99];
        let on = config(Config::builder());
        assert!(compress_if_wanted(&on, true, big.clone()).1);
        assert_eq!(compress_if_wanted(&on, true, small.clone()), (small, false));
        assert_eq!(
            compress_if_wanted(&on, false, big.clone()),
            (big.clone(), false)
        );
        let off = config(Config::builder().disable_request_compression(true));
        assert_eq!(
            compress_if_wanted(&off, true, big.clone()),
            (big.clone(), false)
        );
        let zero = Config::builder()
            .request_min_compression_size_bytes(0)
            .build();
        assert!(compress_if_wanted(&zero, true, Vec::new()).1);
        // The default minimum is the AWS SDKs' 10 KiB.
        let default = Config::builder().build();
        assert!(!compress_if_wanted(&default, true, vec![b'a'; 10_239]).1);
        assert!(compress_if_wanted(&default, true, vec![b'a'; 10_240]).1);
    }
}
