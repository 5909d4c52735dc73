//! URL pieces for Graph endpoints: percent-encoding of query components and `{base}/{version}/{path}`.

use crate::core::error::Error;
use crate::core::graph::ApiVersion;

/// Percent-encodes a query-string component (RFC 3986 unreserved characters are kept).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
}

/// `{base}/{version}/{path}` with exactly one slash between the parts.
pub fn endpoint(base_url: &str, version: &ApiVersion, path: &str) -> String {
    format!(
        "{}/{}/{}",
        base_url.trim_end_matches('/'),
        version.as_str(),
        path.trim_start_matches('/')
    )
}

/// Appends `key=value` pairs (encoded) to `url`, using `?` or `&` as needed. Pairs whose value is
/// `None` are skipped.
pub fn with_query(url: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = url.to_owned();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (k, v) in pairs {
        if let Some(v) = v {
            out.push(sep);
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
            sep = '&';
        }
    }
    out
}

/// Replaces (or adds) one query parameter of `url`.
pub fn set_query_param(url: &str, key: &str, value: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let prefix = format!("{}=", encode_component(key));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&prefix))
        .collect();
    let mut out = base.to_owned();
    let mut sep = '?';
    for p in kept {
        out.push(sep);
        out.push_str(p);
        sep = '&';
    }
    out.push(sep);
    out.push_str(&prefix);
    out.push_str(&encode_component(value));
    out
}

/// Checks an id that goes into a URL path: digits only (Graph object ids), so it cannot change the
/// path or add a query.
pub fn is_graph_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a Graph base URL (`baseUrl`) when a client is made: `http(s)://`, a host (a name, an
/// IPv4 address or a bracketed IPv6 address), an optional port and an optional path; no user
/// info, query, fragment, space or control character. Returns it without trailing slashes. A
/// request URL built on an accepted base always parses, so no fetch error can quote it.
pub fn check_base_url(url: &str) -> Result<&str, Error> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let (authority, path) = rest
        .split_at_checked(rest.find('/').unwrap_or(rest.len()))
        .unwrap_or(("", ""));
    // `[v6]` or a name/IPv4, then an optional `:port` of 1–5 digits.
    let (host, port) = match authority.strip_prefix('[') {
        Some(a) => a
            .split_once(']')
            .map_or(("", ""), |(h, p)| (h, p.strip_prefix(':').unwrap_or(p))),
        None => authority.split_once(':').unwrap_or((authority, "")),
    };
    let v6 = authority.starts_with('[');
    let valid = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') || (v6 && b == b':')
        })
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && !authority.ends_with(':')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b));
    if valid {
        Ok(url.trim_end_matches('/'))
    } else {
        Err(Error::invalid(
            "baseUrl",
            "base_url_invalid",
            "baseUrl must be http(s)://host[:port][/path], such as https://graph.facebook.com: no user info, query, fragment, space or escape.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_when_the_client_is_made() {
        for ok in [
            "https://graph.facebook.com",
            "http://127.0.0.1:8089/",
            "http://[::1]:8089",
            "https://proxy.example.com/graph/",
            "http://wa-emulator:80",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(check_base_url("http://x:1//").ok(), Some("http://x:1"));
        for bad in [
            "http://[::1",
            "http://exa mple.com",
            "ftp://x",
            "https://",
            "https://user:pw@host",
            "https://h/p?x=1",
            "https://h/p#f",
            "https://h:999999",
            "https://h:",
            "https://h:+80",
            "https://h/%2e",
            "https://h\n/",
            "http://[::1]x",
        ] {
            let e = check_base_url(bad).unwrap_err();
            assert_eq!(e.code(), "base_url_invalid", "{bad}");
        }
    }

    #[test]
    fn encodes_and_joins() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        let v = ApiVersion::default();
        assert_eq!(
            endpoint("http://x/", &v, "/123/messages"),
            "http://x/v25.0/123/messages"
        );
        assert_eq!(
            with_query(
                "http://x/a",
                &[("k", Some("1 2")), ("n", None), ("z", Some("y"))]
            ),
            "http://x/a?k=1%202&z=y"
        );
        assert_eq!(
            set_query_param("http://x/a?after=1&limit=5", "after", "Q=="),
            "http://x/a?limit=5&after=Q%3D%3D"
        );
        assert_eq!(
            set_query_param("http://x/a", "after", "c"),
            "http://x/a?after=c"
        );
        assert!(is_graph_id("300000000000001"));
        assert!(!is_graph_id("30/../x") && !is_graph_id("") && !is_graph_id("12?a=b"));
    }
}
