//! Reads gzip bodies (RFC 1952) that clients sent, checking the header, CRC-32 and length.

/// The data of a single gzip member, or why it is not one.
pub fn gunzip(data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b {
        return Err("not gzip: no 1f 8b magic".to_string());
    }
    if data[2] != 8 {
        return Err(format!("compression method {} is not deflate", data[2]));
    }
    let flags = data[3];
    let mut at = 10;
    if flags & 0x04 != 0 {
        // FEXTRA: a two-byte length, then that many bytes.
        let len = usize::from(u16::from_le_bytes([data[at], data[at + 1]]));
        at += 2 + len;
    }
    for flag in [0x08, 0x10] {
        // FNAME, FCOMMENT: zero-terminated.
        if flags & flag != 0 {
            at += data[at..]
                .iter()
                .position(|&b| b == 0)
                .ok_or("unterminated field")?
                + 1;
        }
    }
    if flags & 0x02 != 0 {
        at += 2; // FHCRC
    }
    let end = data.len() - 8;
    let plain = miniz_oxide::inflate::decompress_to_vec(&data[at..end])
        .map_err(|e| format!("bad deflate data: {e:?}"))?;
    let crc = u32::from_le_bytes(data[end..end + 4].try_into().unwrap());
    let size = u32::from_le_bytes(data[end + 4..].try_into().unwrap());
    if crc != crc32(&plain) {
        return Err("CRC-32 mismatch".to_string());
    }
    if size != plain.len() as u32 {
        return Err(format!(
            "length {size} in the trailer, {} inflated",
            plain.len()
        ));
    }
    Ok(plain)
}

/// CRC-32 bit by bit (slow and obviously right).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_what_gzip_writes() {
        // `printf 'hello\n' | gzip -n`
        let member = [
            0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0, 0x20,
            0x30, 0x3a, 0x36, 6, 0, 0, 0,
        ];
        assert_eq!(super::gunzip(&member).unwrap(), b"hello\n");
        assert!(super::gunzip(b"{\"plain\":true}").is_err());
    }
}
