//! Small helpers: hex, base64, HMAC signing, query strings, id generation.

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        s.push(char::from(
            HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0'),
        ));
    }
    s
}

/// Standard base64 with padding (the alphabet real wamids use).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHA: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let idx = |shift: u32| {
            char::from(
                ALPHA
                    .get(((n >> shift) & 63) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            )
        };
        out.push(idx(18));
        out.push(idx(12));
        out.push(if chunk.len() > 1 { idx(6) } else { '=' });
        out.push(if chunk.len() > 2 { idx(0) } else { '=' });
    }
    out
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `sha256=<hex>` HMAC-SHA256 of `body` keyed with `secret` (the `X-Hub-Signature-256` value).
pub fn sign(secret: &str, body: &[u8]) -> String {
    match hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex(&mac.finalize().into_bytes()))
        }
        // HMAC accepts keys of any length, so this branch is unreachable in practice.
        Err(_) => String::from("sha256="),
    }
}

/// Parses a query string (or form body) into a map; the last value of a repeated key wins.
pub fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    match q {
        Some(q) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
        None => HashMap::new(),
    }
}

/// Encodes key/value pairs as a query string.
pub fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A cheap, process-unique pseudo-random 64-bit value (splitmix64 over a counter and the clock).
pub fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = nanos.wrapping_add(
        COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A Graph-style `fbtrace_id` (11 url-safe characters).
pub fn fbtrace_id() -> String {
    const ALPHA: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut r = random_u64();
    let mut s = String::with_capacity(23);
    s.push('A');
    for _ in 0..22 {
        s.push(char::from(
            ALPHA.get((r & 63) as usize).copied().unwrap_or(b'A'),
        ));
        r = r.rotate_right(6) ^ 0x5DEE_CE66_D1CE_4E5B;
    }
    s
}

/// Digits-only form of a phone number as WhatsApp reports it in `wa_id`; `None` if it is not
/// a plausible E.164 number after removing `+ - ( )` and spaces.
pub fn normalize_phone(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '0'..='9' => out.push(c),
            '+' | '-' | '(' | ')' | ' ' => {}
            _ => return None,
        }
    }
    if (7..=15).contains(&out.len()) && !out.starts_with('0') {
        Some(out)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn phones_normalise() {
        assert_eq!(
            normalize_phone("+27 82-123 4567").as_deref(),
            Some("27821234567")
        );
        assert_eq!(normalize_phone("abc"), None);
        assert_eq!(normalize_phone("123"), None);
    }
}
