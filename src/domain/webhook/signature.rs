//! `X-Hub-Signature-256`: HMAC-SHA256 of the **raw request body bytes**, keyed with the App
//! Secret, sent as `sha256=<64 hex digits>` (`platform-rules.md` §6.1).
//!
//! The check runs over the exact bytes received: never over a re-serialised body (Meta signs the
//! payload as sent, with its `\uXXXX` escapes), and the comparison is constant-time
//! (`hmac`'s `verify_slice`, built on `subtle`). Every malformed header is simply "not valid".

use crate::domain::error::{Error, Issue};
use crate::domain::hex;
use crate::domain::secret::AppSecret;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The name of the HTTP header Meta signs webhook deliveries with.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// The digest carried by a `X-Hub-Signature-256` value, or `None` when the value is not exactly
/// `sha256=` (scheme case-insensitive) followed by 64 hex digits (surrounding spaces/tabs allowed).
pub fn parse_signature_header(header: &str) -> Option<[u8; 32]> {
    let value = header.trim_matches(|c| c == ' ' || c == '\t');
    let (scheme, digits) = value.split_once('=')?;
    if !scheme.eq_ignore_ascii_case("sha256") || digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
        let (hi, lo) = match pair {
            [hi, lo] => (hex::value(*hi)?, hex::value(*lo)?),
            _ => return None,
        };
        *byte = (hi << 4) | lo;
    }
    Some(out)
}

fn mac_for(secret: &AppSecret) -> HmacSha256 {
    // HMAC accepts keys of any length (long keys are hashed first); `new_from_slice` only fails
    // for fixed-size-key MACs, so the fallback below is unreachable but keeps this panic-free.
    HmacSha256::new_from_slice(secret.secret().as_bytes())
        .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()))
}

/// The full header value Meta would send for `body`: `sha256=<lowercase hex>`.
pub fn sign_webhook(body: &[u8], secret: &AppSecret) -> String {
    let mut mac = mac_for(secret);
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in tag {
        hex::push_byte(&mut out, b);
    }
    out
}

/// Checks that `secrets` can be used: at least one, none empty. The error names the position
/// (`secrets[1]`), never the value.
pub fn check_secrets(secrets: &[AppSecret]) -> Result<(), Error> {
    if secrets.is_empty() {
        return Err(Error::invalid(
            "secrets",
            "webhook_secret_missing",
            "No app secret given: pass your Meta App Secret (App Dashboard → App settings → Basic), or several during a key rotation.",
        ));
    }
    let issues: Vec<Issue> = secrets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.secret().is_empty())
        .map(|(i, _)| {
            Issue::error(
                format!("secrets[{i}]"),
                "webhook_secret_empty",
                "An app secret is empty: check the environment variable or binding that holds it.",
            )
        })
        .collect();
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation { issues })
    }
}

/// `true` when `header` (the `X-Hub-Signature-256` value, `None` when absent) is the HMAC-SHA256
/// of exactly `body` under one of `secrets` (several during a key rotation, tried in order).
///
/// Fails closed: a missing header, another scheme, a wrong length or a non-hex digit gives
/// `Ok(false)`. An empty secret list, or an empty secret, is a configuration mistake and gives a
/// validation error (`webhook_secret_missing` / `webhook_secret_empty`) rather than a silent
/// `false`. Each digest comparison is constant-time; the loop stops at the first secret that
/// matches, which reveals only which configured secret signed a valid request.
pub fn verify_webhook_signature(
    body: &[u8],
    header: Option<&str>,
    secrets: &[AppSecret],
) -> Result<bool, Error> {
    check_secrets(secrets)?;
    let Some(expected) = header.and_then(parse_signature_header) else {
        return Ok(false);
    };
    Ok(secrets.iter().any(|secret| {
        let mut mac = mac_for(secret);
        mac.update(body);
        mac.verify_slice(&expected).is_ok()
    }))
}

/// SHA-256 of `data` as lowercase hex, truncated to `hex_len` digits (used for content-based
/// dedup keys; not a secret).
pub(crate) fn sha256_hex(data: &[u8], hex_len: usize) -> String {
    use sha2::Digest;
    let digest = Sha256::digest(data);
    let mut out = String::with_capacity(hex_len);
    for b in digest.iter() {
        if out.len() >= hex_len {
            break;
        }
        hex::push_byte(&mut out, *b);
    }
    out.truncate(hex_len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently with Python:
    //   python3 -c 'import hmac,hashlib;print(hmac.new(b"test_app_secret",
    //     b"{\"object\":\"whatsapp_business_account\",\"entry\":[]}", hashlib.sha256).hexdigest())'
    const KNOWN_BODY: &[u8] = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    const KNOWN_HEX: &str = "dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756";

    fn secret(s: &str) -> AppSecret {
        AppSecret::new(s)
    }

    #[test]
    fn known_vector_from_python() {
        let header = format!("sha256={KNOWN_HEX}");
        assert_eq!(sign_webhook(KNOWN_BODY, &secret("test_app_secret")), header);
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, Some(&header), &[secret("test_app_secret")]),
            Ok(true)
        );
        let upper = format!("SHA256={}", KNOWN_HEX.to_uppercase());
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, Some(&upper), &[secret("test_app_secret")]),
            Ok(true)
        );
    }

    #[test]
    fn rotation_tries_every_secret() {
        let header = sign_webhook(KNOWN_BODY, &secret("new"));
        let both = [secret("old"), secret("new")];
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, Some(&header), &both),
            Ok(true)
        );
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, Some(&header), &[secret("old")]),
            Ok(false)
        );
    }

    #[test]
    fn one_changed_byte_fails() {
        let header = sign_webhook(KNOWN_BODY, &secret("s"));
        let mut body = KNOWN_BODY.to_vec();
        body[3] ^= 1;
        assert_eq!(
            verify_webhook_signature(&body, Some(&header), &[secret("s")]),
            Ok(false)
        );
        let mut trailing = KNOWN_BODY.to_vec();
        trailing.push(b'\n');
        assert_eq!(
            verify_webhook_signature(&trailing, Some(&header), &[secret("s")]),
            Ok(false)
        );
    }

    #[test]
    fn malformed_headers_are_false_not_errors() {
        let good = sign_webhook(KNOWN_BODY, &secret("s"));
        let hex = good.trim_start_matches("sha256=");
        let cases = [
            String::new(),
            "sha256=".into(),
            hex.to_string(),
            format!("sha1={hex}"),
            format!("sha256:{hex}"),
            format!("sha256={}", &hex[..63]),
            format!("sha256={hex}0"),
            format!("sha256={}g", &hex[..63]),
            format!("sha256= {hex}"),
            format!("sha256={hex},sha256={hex}"),
            format!("sha256=={hex}"),
            format!("sha256={}é", &hex[..62]),
            "sha256=\u{0}".into(),
        ];
        for case in &cases {
            assert_eq!(
                verify_webhook_signature(KNOWN_BODY, Some(case), &[secret("s")]),
                Ok(false),
                "{case:?}"
            );
        }
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, None, &[secret("s")]),
            Ok(false)
        );
        // Surrounding whitespace is what some runtimes leave in a header value.
        assert_eq!(
            verify_webhook_signature(KNOWN_BODY, Some(&format!(" {good}\t")), &[secret("s")]),
            Ok(true)
        );
    }

    #[test]
    fn missing_or_empty_secrets_are_validation_errors_without_the_secret() {
        let e = verify_webhook_signature(KNOWN_BODY, Some("sha256=00"), &[]).unwrap_err();
        assert_eq!(e.code(), "webhook_secret_missing");
        let e = verify_webhook_signature(
            KNOWN_BODY,
            Some("sha256=00"),
            &[secret("supersecretvalue"), secret("")],
        )
        .unwrap_err();
        assert_eq!(e.code(), "webhook_secret_empty");
        let text = format!("{e} {e:?}");
        assert!(text.contains("secrets[1]"));
        assert!(!text.contains("supersecretvalue"));
    }

    #[test]
    fn debug_is_redacted() {
        let s = secret("supersecretvalue");
        assert_eq!(format!("{s:?}"), "AppSecret([redacted])");
        assert_eq!(format!("{:?}", vec![s.clone()]), "[AppSecret([redacted])]");
        assert_eq!(s.secret(), "supersecretvalue");
    }

    #[test]
    fn sha256_hex_is_truncated() {
        // sha256("abc") = ba7816bf...
        assert_eq!(sha256_hex(b"abc", 8), "ba7816bf");
        assert_eq!(sha256_hex(b"abc", 64).len(), 64);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_input_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512),
                                            header in proptest::option::of(".{0,80}"),
                                            key in ".{1,40}") {
                let _ = verify_webhook_signature(&body, header.as_deref(), &[AppSecret::new(key)]);
            }

            #[test]
            fn sign_then_verify_roundtrips(body in proptest::collection::vec(any::<u8>(), 0..512),
                                           key in ".{1,40}") {
                let secret = AppSecret::new(key);
                let header = sign_webhook(&body, &secret);
                prop_assert_eq!(verify_webhook_signature(&body, Some(&header), &[secret]), Ok(true));
            }

            #[test]
            fn arbitrary_headers_parse_or_not_without_panic(header in "\\PC{0,80}") {
                let _ = parse_signature_header(&header);
            }
        }
    }
}
