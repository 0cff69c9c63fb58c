//! The system's root certificates on Linux and the other Unix systems but macOS, read fast.
//!
//! The same files and the same certificates as `rustls_native_certs::load_native_certs` (a test
//! compares the two on the machine it runs on): `SSL_CERT_FILE` and `SSL_CERT_DIR` when either is
//! set, else the bundle and directories openssl-probe finds; every regular file of the
//! directories (symbolic links followed, each file once); the certificates sorted and
//! deduplicated. Only the decoding differs: rustls-pki-types decodes base64 in constant time,
//! which is right for private keys and needless for public certificates, and made loading a
//! Debian system's roots (a 220 KB bundle plus the same certificates one file each) cost about
//! 17 M instructions, most of a first https call's start-up; with a lookup table the whole load
//! costs about 6 M (BENCHMARKS.md).

use rustls::pki_types::CertificateDer;
use std::fs;
use std::path::{Path, PathBuf};

/// What [`load`] found: certificates, and what could not be read (file and reason).
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) certs: Vec<CertificateDer<'static>>,
    pub(crate) errors: Vec<String>,
}

/// The system's root certificates (see the module's documentation).
pub(crate) fn load() -> Loaded {
    let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let dirs: Vec<PathBuf> = match std::env::var_os("SSL_CERT_DIR") {
        Some(dirs) => std::env::split_paths(&dirs)
            .filter(|dir| !dir.as_os_str().is_empty())
            .collect(),
        None => Vec::new(),
    };
    if file.is_some() || !dirs.is_empty() {
        return load_from(file.as_deref(), &dirs);
    }
    let probed = openssl_probe::probe();
    load_from(probed.cert_file.as_deref(), &probed.cert_dir)
}

/// The certificates of `file` and of every file in `dirs`.
fn load_from(file: Option<&Path>, dirs: &[PathBuf]) -> Loaded {
    let mut loaded = Loaded::default();
    // (device, inode) of each file read: the directories hold links to the bundle's certificates.
    let mut seen = std::collections::HashSet::new();
    let mut visit = |metadata: &fs::Metadata| {
        use std::os::unix::fs::MetadataExt as _;
        seen.insert((metadata.dev(), metadata.ino()))
    };
    if let Some(file) = file {
        if let Ok(metadata) = fs::metadata(file) {
            visit(&metadata);
        }
        read_pem_file(file, &mut loaded);
    }
    for dir in dirs {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                loaded.errors.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    loaded.errors.push(format!("{}: {e}", dir.display()));
                    continue;
                }
            };
            match fs::metadata(&path) {
                Ok(metadata) if metadata.is_file() && visit(&metadata) => {
                    read_pem_file(&path, &mut loaded);
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {} // a dangling link
                Err(e) => loaded.errors.push(format!("{}: {e}", path.display())),
            }
        }
    }
    loaded
        .certs
        .sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    loaded.certs.dedup();
    loaded
}

fn read_pem_file(path: &Path, loaded: &mut Loaded) {
    match fs::read(path) {
        Ok(bytes) => {
            let errors = pem_certificates(&bytes, &mut loaded.certs);
            loaded.errors.extend(
                errors
                    .into_iter()
                    .map(|e| format!("{}: {e}", path.display())),
            );
        }
        Err(e) => loaded.errors.push(format!("{}: {e}", path.display())),
    }
}

/// Appends the `CERTIFICATE` sections of PEM text to `out` (other sections are skipped) and
/// returns what was wrong with the rest. Base64 has no `-`: the text is scanned for dashes only.
fn pem_certificates(pem: &[u8], out: &mut Vec<CertificateDer<'static>>) -> Vec<&'static str> {
    let mut errors = Vec::new();
    // As text (PEM is ASCII), `-` is found with the standard library's fast byte search.
    let text = std::str::from_utf8(pem).ok();
    let next_dash = |from: usize| match text {
        Some(text) => text[from..].find('-').map(|n| from + n),
        None => pem[from..]
            .iter()
            .position(|&b| b == b'-')
            .map(|n| from + n),
    };
    let mut at = 0;
    while let Some(start) = next_dash(at) {
        let Some(after_begin) = pem[start..].strip_prefix(b"-----BEGIN ") else {
            at = start + 1; // a dash in text between sections
            continue;
        };
        let line_len = after_begin
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(after_begin.len());
        let body_at = start + "-----BEGIN ".len() + (line_len + 1).min(after_begin.len());
        let Some(label) = after_begin[..line_len]
            .trim_ascii_end()
            .strip_suffix(b"-----")
        else {
            errors.push("a malformed BEGIN line");
            at = body_at;
            continue;
        };
        // The body runs to the next dash: its END line, or a BEGIN that starts over.
        let end_at = next_dash(body_at).unwrap_or(pem.len());
        if !pem[end_at..].starts_with(b"-----END ") {
            if end_at == pem.len() {
                errors.push("a section without its END line");
            } else if !pem[end_at..].starts_with(b"-----BEGIN ") && label == b"CERTIFICATE" {
                errors.push("a certificate that is not valid base64");
            }
            at = end_at;
            continue;
        }
        if label == b"CERTIFICATE" {
            match decode_base64(&pem[body_at..end_at]) {
                Some(der) => out.push(CertificateDer::from(der)),
                None => errors.push("a certificate that is not valid base64"),
            }
        }
        at = end_at + "-----END ".len();
    }
    errors
}

/// Standard base64 with optional `=` padding at the end; line ends, spaces and tabs are
/// skipped. `None` for any other character, a misplaced `=` or a dangling final character.
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    const INVALID: u8 = 0xff;
    const SKIP: u8 = 0xfe;
    const TABLE: [u8; 256] = {
        let mut table = [INVALID; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            table[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        table[b' ' as usize] = SKIP;
        table[b'\t' as usize] = SKIP;
        table[b'\r' as usize] = SKIP;
        table[b'\n' as usize] = SKIP;
        table
    };
    let text = text.trim_ascii_end();
    let text = text
        .strip_suffix(b"==")
        .or_else(|| text.strip_suffix(b"="))
        .unwrap_or(text);
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let (mut bits, mut count) = (0u32, 0u32);
    let mut rest = text;
    while !rest.is_empty() {
        // Whole groups of four in a row (most of a line) at once.
        if count == 0 && rest.len() >= 4 {
            let group = [
                TABLE[rest[0] as usize],
                TABLE[rest[1] as usize],
                TABLE[rest[2] as usize],
                TABLE[rest[3] as usize],
            ];
            if (group[0] | group[1] | group[2] | group[3]) & 0xc0 == 0 {
                let n = u32::from(group[0]) << 18
                    | u32::from(group[1]) << 12
                    | u32::from(group[2]) << 6
                    | u32::from(group[3]);
                out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
                rest = &rest[4..];
                continue;
            }
        }
        let value = TABLE[rest[0] as usize];
        rest = &rest[1..];
        if value == SKIP {
            continue;
        }
        if value == INVALID {
            return None;
        }
        bits = bits << 6 | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            (bits, count) = (0, 0);
        }
    }
    match count {
        0 => {}
        2 => out.push((bits >> 4) as u8),
        3 => out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]),
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut certs: Vec<CertificateDer<'static>>) -> Vec<CertificateDer<'static>> {
        certs.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
        certs.dedup();
        certs
    }

    #[test]
    fn this_machines_roots_are_rustls_native_certs_roots() {
        let ours = load();
        let theirs = rustls_native_certs::load_native_certs();
        assert_eq!(ours.certs.len(), theirs.certs.len());
        assert!(ours.certs == sorted(theirs.certs), "different certificates");
        assert_eq!(ours.errors.len(), theirs.errors.len(), "{:?}", ours.errors);
    }

    /// Base64 of `der`, in lines of 76 characters ending with `line_end`.
    fn pem_body(der: &[u8], line_end: &str) -> String {
        encode_base64(der)
            .as_bytes()
            .chunks(76)
            .map(|line| format!("{}{line_end}", std::str::from_utf8(line).unwrap()))
            .collect()
    }

    /// A file and a directory of crafted PEM, read by both.
    #[test]
    fn crafted_files_give_what_rustls_native_certs_gives() {
        // Neither side parses X.509 here: any bytes will do as a certificate.
        let mut rng = fastrand::Rng::with_seed(3);
        let mut der = |len: usize| -> Vec<u8> { (0..len).map(|_| rng.u8(..)).collect() };
        let (one, two, three) = (der(700), der(1201), der(1500));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bundle.pem");
        fs::write(
            &file,
            format!(
                "# a comment\nsubject=CN=one\n-----BEGIN CERTIFICATE-----\r\n{}-----END CERTIFICATE-----\r\n\
                 -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n\
                 -----BEGIN CERTIFICATE-----  \n{}-----END CERTIFICATE-----",
                pem_body(&one, "\r\n"),
                pem_body(&two, "\n"),
            ),
        )
        .unwrap();
        let certs_dir = dir.path().join("certs");
        fs::create_dir(&certs_dir).unwrap();
        fs::write(
            certs_dir.join("three.pem"),
            format!(
                "-----BEGIN CERTIFICATE-----\n{}-----END CERTIFICATE-----\n",
                pem_body(&three, "\n")
            ),
        )
        .unwrap();
        // A link to the bundle (read once) and a dangling link (skipped).
        std::os::unix::fs::symlink(&file, certs_dir.join("link.pem")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), certs_dir.join("gone.pem")).unwrap();

        let ours = load_from(Some(&file), std::slice::from_ref(&certs_dir));
        let theirs = rustls_native_certs::load_certs_from_paths(Some(&file), Some(&certs_dir));
        assert_eq!(
            ours.certs,
            sorted(vec![one.into(), two.into(), three.into()])
        );
        assert!(ours.certs == sorted(theirs.certs));
        assert!(ours.errors.is_empty(), "{:?}", ours.errors);
        assert!(theirs.errors.is_empty(), "{:?}", theirs.errors);
    }

    #[test]
    fn bad_sections_are_reported_and_skipped() {
        let mut out = Vec::new();
        let errors = pem_certificates(
            b"-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n\
              -----BEGIN CERTIFICATE-----\nTWFu\n-----END CERTIFICATE-----\n\
              -----BEGIN CERTIFICATE-----\nTWFu\n",
            &mut out,
        );
        assert_eq!(out, vec![CertificateDer::from(b"Man".to_vec())]);
        assert_eq!(
            errors,
            [
                "a certificate that is not valid base64",
                "a section without its END line"
            ]
        );
    }

    #[test]
    fn base64_as_specified() {
        for (text, bytes) in [
            ("", &b""[..]),
            ("TQ==", b"M"),
            ("TWE=", b"Ma"),
            ("TWE", b"Ma"),
            ("TWFu", b"Man"),
            ("TW Fu\tTWE=", b"ManMa"),
            ("TWFu\r\nTWFu\n", b"ManMan"),
            ("+/+/", &[0xfb, 0xff, 0xbf]),
        ] {
            assert_eq!(
                decode_base64(text.as_bytes()).as_deref(),
                Some(bytes),
                "{text}"
            );
        }
        for bad in ["T", "TWFuT", "TW=u", "TWF-", "TQ===", "TW*Fu"] {
            assert_eq!(decode_base64(bad.as_bytes()), None, "{bad}");
        }
        let mut rng = fastrand::Rng::with_seed(5);
        for len in 0..100 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            assert_eq!(decode_base64(encode_base64(&bytes).as_bytes()), Some(bytes));
        }
    }

    fn encode_base64(bytes: &[u8]) -> String {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))
                << (8 * (3 - chunk.len()));
            for i in 0..4 {
                let sextet = (n >> (18 - 6 * i)) & 63;
                out.push(if i <= chunk.len() {
                    char::from(alphabet[sextet as usize])
                } else {
                    '='
                });
            }
        }
        out
    }
}
