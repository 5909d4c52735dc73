//! Where requests go and URL pieces for Graph endpoints: the build options (Graph version and
//! host), `{base}/{version}/{path}`, percent-encoding of query components, Graph ids.

use crate::domain::error::{Error, Issue};
use crate::domain::graph::{ApiVersion, DEFAULT_BASE_URL};
use crate::domain::hex;
use crate::domain::input::{AnyJson, Reader};
use crate::domain::request::{ApiRequest, Method};
use serde::Deserialize;

/// Percent-encodes a query-string component (RFC 3986 unreserved characters are kept).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            // Upper case, as RFC 3986 recommends.
            out.push(hex::digit(b >> 4).to_ascii_uppercase());
            out.push(hex::digit(b).to_ascii_uppercase());
        }
    }
    out
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

/// Where requests go: Graph API version (default `v25.0`) and host (default
/// `https://graph.facebook.com`, or an emulator in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildOptions {
    /// `v25.0`, `25.0` or `v25`; retired versions are rejected.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Scheme and host (and optional path prefix), no trailing slash needed.
    #[serde(default)]
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// Reads `apiVersion` / `baseUrl` from a JS input object.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::of(AnyJson::Serde(v), "", "an object");
        let opts = BuildOptions::read_from(&mut r);
        r.finish(opts)
    }

    /// Reads `apiVersion` / `baseUrl` with `r` (wrong types are issues in it).
    pub(crate) fn read_from(r: &mut Reader<'_>) -> Self {
        BuildOptions {
            api_version: r.opt_string("apiVersion"),
            base_url: r.opt_string("baseUrl"),
        }
    }

    /// `{base}/{version}/{path}`, or issues for a bad version / base URL.
    pub(crate) fn url(&self, path: &[&str], issues: &mut Vec<Issue>) -> String {
        let (version, base) = self.target(issues);
        endpoint(base, &version.unwrap_or_default(), &path.concat())
    }

    /// The version (`None`: the default) and the base URL (no trailing slash) of the URL;
    /// issues for a bad version / base URL.
    fn target(&self, issues: &mut Vec<Issue>) -> (Option<ApiVersion>, &str) {
        let version = match self.api_version.as_deref() {
            None => None,
            Some(v) => match ApiVersion::parse(v) {
                Ok(v) => Some(v),
                Err(Error::Validation { issues: mut is }) => {
                    issues.append(&mut is);
                    None
                }
                Err(_) => None,
            },
        };
        let base = match self.base_url.as_deref() {
            None => DEFAULT_BASE_URL,
            Some(b) => check_base_url(b).unwrap_or_else(|e| {
                if let Error::Validation { issues: mut is } = e {
                    issues.append(&mut is);
                }
                b
            }),
        };
        (version, base)
    }
}

/// A built JSON `POST`: its URL and its body; [`Post::into_request`] makes the [`ApiRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Post {
    /// `{base}/{version}/{path}`.
    pub url: String,
    /// The JSON body.
    pub body: String,
}

impl Post {
    /// The request (`Content-Type: application/json`).
    pub fn into_request(self) -> ApiRequest {
        ApiRequest {
            method: Method::Post,
            url: self.url,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: Some(self.body),
        }
    }
}

/// Starts `POST {base}/{version}/{path}` once a builder's checks are done: the options' issues
/// are added to `issues`, and every issue is returned if any is an error. Otherwise the builder
/// writes the body into the returned [`Post`] (`body_len`: its expected length).
pub(crate) fn post_to(
    opts: &BuildOptions,
    path: &[&str],
    mut issues: Vec<Issue>,
    body_len: usize,
) -> Result<Post, Error> {
    let (version, base) = opts.target(&mut issues);
    if issues.iter().any(Issue::is_error) {
        return Err(Error::Validation { issues });
    }
    Ok(Post {
        url: endpoint(base, &version.unwrap_or_default(), &path.concat()),
        body: String::with_capacity(body_len),
    })
}

/// A Graph object id (phone number id, WABA id): digits only.
pub(crate) fn id_issues(
    id: &str,
    path: &str,
    code: &'static str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
        let msg = if id.is_empty() {
            format!("{what} is required.")
        } else {
            format!("{what} must be the numeric id from WhatsApp Manager (digits only), not a phone number with symbols or a name.")
        };
        issues.push(Issue::error(path, code, msg));
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
