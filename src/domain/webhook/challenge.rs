//! The GET verification request Meta sends when a callback URL is configured
//! (`hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`, `platform-rules.md` §6.1).
//! Nothing here touches signatures.

use crate::domain::hex;
use subtle::ConstantTimeEq;

/// The longest `hub.challenge` echoed back (Meta sends a short integer string).
pub const CHALLENGE_MAX_LEN: usize = 256;

/// The `hub.challenge` to answer with (HTTP 200, plain-text body) when `hub.mode` is `subscribe`
/// and `hub.verify_token` equals `verify_token`; otherwise `None` (answer 403).
///
/// `params` are decoded query pairs; the first occurrence of each key wins. The token comparison
/// is constant-time. An empty `verify_token` never matches (a missing configuration must not
/// accept every caller). The challenge is echoed only when it is 1–256 characters of
/// `[A-Za-z0-9._-]`, so the endpoint cannot be used to reflect markup.
pub fn verify_webhook_challenge<'a, I>(params: I, verify_token: &str) -> Option<String>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let (mut mode, mut token, mut challenge) = (None, None, None);
    for (key, value) in params {
        let slot = match key {
            "hub.mode" => &mut mode,
            "hub.verify_token" => &mut token,
            "hub.challenge" => &mut challenge,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    if mode != Some("subscribe") || verify_token.is_empty() {
        return None;
    }
    let token = token?;
    if !bool::from(token.as_bytes().ct_eq(verify_token.as_bytes())) {
        return None;
    }
    let challenge = challenge?;
    let safe = !challenge.is_empty()
        && challenge.len() <= CHALLENGE_MAX_LEN
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    safe.then(|| challenge.to_owned())
}

/// [`verify_webhook_challenge`] over a query string (`hub.mode=subscribe&…`, a leading `?` is
/// allowed), decoded as `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte.
pub fn verify_webhook_challenge_query(query: &str, verify_token: &str) -> Option<String> {
    let pairs = parse_query(query);
    verify_webhook_challenge(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        verify_token,
    )
}

/// Decodes a query string into `(key, value)` pairs (form-urlencoded rules, like
/// `URLSearchParams`: invalid `%` escapes are kept literally); a key or value whose bytes are not
/// UTF-8 becomes a lone U+FFFD.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|c| hex::value(*c));
                let lo = bytes.get(i + 2).and_then(|c| hex::value(*c));
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push((hi << 4) | lo);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Bytes that are not UTF-8 cannot equal a (UTF-8) verify token nor form a valid challenge:
    // U+FFFD stands in for the whole value (no lossy per-byte decoding linked into the wasm).
    String::from_utf8(out).unwrap_or_else(|_| "\u{FFFD}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscribe_with_the_right_token_echoes_the_challenge() {
        let q = "hub.mode=subscribe&hub.verify_token=my-token&hub.challenge=1158201444";
        assert_eq!(
            verify_webhook_challenge_query(q, "my-token").as_deref(),
            Some("1158201444")
        );
        assert_eq!(
            verify_webhook_challenge_query(&format!("?{q}"), "my-token").as_deref(),
            Some("1158201444")
        );
    }

    #[test]
    fn anything_else_is_none() {
        for q in [
            "hub.mode=subscribe&hub.verify_token=other&hub.challenge=1",
            "hub.mode=unsubscribe&hub.verify_token=my-token&hub.challenge=1",
            "hub.mode=SUBSCRIBE&hub.verify_token=my-token&hub.challenge=1",
            "hub.verify_token=my-token&hub.challenge=1",
            "hub.mode=subscribe&hub.challenge=1",
            "hub.mode=subscribe&hub.verify_token=my-token",
            "hub.mode=subscribe&hub.verify_token=my-token&hub.challenge=",
            "hub.mode=subscribe&hub.verify_token=my-token&hub.challenge=%3Cscript%3E",
            "hub.mode=subscribe&hub.verify_token=my-tokenX&hub.challenge=1",
            "hub.mode=subscribe&hub.verify_token=my-toke&hub.challenge=1",
            "",
            "&&&",
        ] {
            assert_eq!(verify_webhook_challenge_query(q, "my-token"), None, "{q}");
        }
        // An empty configured token never matches, even an empty sent one.
        assert_eq!(
            verify_webhook_challenge_query(
                "hub.mode=subscribe&hub.verify_token=&hub.challenge=1",
                ""
            ),
            None
        );
        let long = "1".repeat(CHALLENGE_MAX_LEN + 1);
        assert_eq!(
            verify_webhook_challenge_query(
                &format!("hub.mode=subscribe&hub.verify_token=t&hub.challenge={long}"),
                "t"
            ),
            None
        );
    }

    #[test]
    fn percent_and_plus_decoding() {
        // Token "a b+c/é&d" encoded as URLSearchParams would.
        let q = "hub.mode=subscribe&hub.verify_token=a+b%2Bc%2F%C3%A9%26d&hub.challenge=42";
        assert_eq!(
            verify_webhook_challenge_query(q, "a b+c/é&d").as_deref(),
            Some("42")
        );
        // Encoded keys too.
        let q = "hub%2Emode=subscribe&hub.verify%5Ftoken=t&hub.challenge=7";
        assert_eq!(verify_webhook_challenge_query(q, "t").as_deref(), Some("7"));
        assert_eq!(
            parse_query("a=%zz&b=%4&c=%e2%82%ac&d"),
            vec![
                ("a".into(), "%zz".into()),
                ("b".into(), "%4".into()),
                ("c".into(), "€".into()),
                ("d".into(), String::new())
            ]
        );
        assert_eq!(parse_query("x=%FF")[0].1, "\u{FFFD}");
    }

    #[test]
    fn first_occurrence_wins() {
        let q = "hub.mode=subscribe&hub.verify_token=t&hub.verify_token=evil&hub.challenge=1&hub.challenge=2";
        assert_eq!(verify_webhook_challenge_query(q, "t").as_deref(), Some("1"));
        let q = "hub.mode=subscribe&hub.verify_token=evil&hub.verify_token=t&hub.challenge=1";
        assert_eq!(verify_webhook_challenge_query(q, "t"), None);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_queries_never_panic(q in "\\PC{0,200}", t in "\\PC{0,20}") {
                let _ = verify_webhook_challenge_query(&q, &t);
            }
        }
    }
}
