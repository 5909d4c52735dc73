//! Small helpers: base64, HMAC signing, query strings, random ids.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Standard base64 with padding (the alphabet real wamids use).
pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe base64 with padding (wamids, so they can be put in a path unencoded).
pub fn base64_url(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `sha256=<hex>` HMAC-SHA256 of `body` keyed with `secret` (the `X-Hub-Signature-256` value).
pub fn sign(secret: &str, body: &[u8]) -> String {
    match hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
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

/// `n` random characters from `alphabet` (ids and tokens; not for secrets).
pub fn random_chars(alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| {
            let i = random_u64() % alphabet.len().max(1) as u64;
            char::from(alphabet.get(i as usize).copied().unwrap_or(b'A'))
        })
        .collect()
}

/// A Graph-style `fbtrace_id` (23 url-safe characters starting with `A`).
pub fn fbtrace_id() -> String {
    const ALPHA: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    format!("A{}", random_chars(ALPHA, 22))
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
    fn random_ids_have_their_shape() {
        let t = fbtrace_id();
        assert_eq!(t.len(), 23);
        assert!(t.starts_with('A'));
        assert!(t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(fbtrace_id(), fbtrace_id());
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
