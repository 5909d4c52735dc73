//! Requests and responses as plain data: what builders produce and what parsers consume.
//! The transport layer is the only code that turns these into real HTTP.

use crate::domain::json::{dyn_opt, Obj, ToJson};
use serde::Serialize;

/// HTTP method of a Graph API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
}

impl Method {
    /// `"GET"`, `"POST"` or `"DELETE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A Graph API request, ready to send except for the `Authorization` header, which the client adds
/// so that built requests never contain a secret.
///
/// Some Graph calls must carry secrets in the query string (`client_secret` for the OAuth code
/// exchange, `access_token={app_id}|{app_secret}` for `debug_token`), so `Debug` prints the URL with
/// those values and any `Authorization` header redacted.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ApiRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL, query string included.
    pub url: String,
    /// Header name/value pairs (serialised to JS as an object).
    #[serde(serialize_with = "headers_as_map")]
    pub headers: Vec<(String, String)>,
    /// The exact body to send (JSON text), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl ApiRequest {
    /// `GET url`: no headers (the client adds `Authorization`), no body.
    ///
    /// ```
    /// use whatsapp_business::{ApiRequest, Method};
    /// let req = ApiRequest::get("https://graph.facebook.com/v25.0/me".to_owned());
    /// assert_eq!(req.method, Method::Get);
    /// assert!(req.headers.is_empty() && req.body.is_none());
    /// ```
    pub fn get(url: String) -> Self {
        ApiRequest {
            method: Method::Get,
            url,
            headers: Vec::new(),
            body: None,
        }
    }
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") {
                    REDACTED
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &headers)
            .field("body", &self.body.as_deref().map(redact_json_secrets))
            .finish()
    }
}

const REDACTED: &str = "[redacted]";

/// JSON members whose string values are secrets.
const SECRET_KEYS: [&str; 5] = [
    "access_token",
    "client_secret",
    "input_token",
    "fb_exchange_token",
    "appsecret_proof",
];

/// Query parameters whose values are secrets: the JSON ones plus the one-time OAuth `code`.
fn is_secret_param(key: &str) -> bool {
    key == "code" || SECRET_KEYS.contains(&key)
}

/// The URL with the values of secret query parameters replaced by `[redacted]`.
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_param(k) => format!("{k}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// JSON text with the string values of secret members (`"access_token": "…"`, …) replaced by
/// `[redacted]`; everything else is kept byte for byte. Used wherever a response body is kept for
/// diagnostics (an OAuth answer carries the new token).
pub fn redact_json_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(start) = rest.find('"') {
        // `find` returns a char boundary; the checked split keeps core's slice-panic code
        // (1.6 KB of wasm) out of the binary.
        let Some((before, from_quote)) = rest.split_at_checked(start) else {
            break;
        };
        out.push_str(before);
        for key in SECRET_KEYS {
            let quoted_len = key.len() + 2;
            let is_key = from_quote.get(1..=key.len()) == Some(key)
                && from_quote.get(key.len() + 1..quoted_len) == Some("\"");
            if !is_key {
                continue;
            }
            let after_key = from_quote.get(quoted_len..).unwrap_or("");
            let trimmed = after_key.trim_start();
            if let Some(value) = trimmed.strip_prefix(':').map(str::trim_start) {
                if let Some(inner) = value.strip_prefix('"') {
                    if let Some(end) = string_end(inner) {
                        out.push_str(from_quote.get(..quoted_len).unwrap_or(from_quote));
                        out.push_str(":\"");
                        out.push_str(REDACTED);
                        out.push('"');
                        rest = inner.get(end + 1..).unwrap_or("");
                        continue 'scan;
                    }
                }
            }
        }
        out.push('"');
        rest = from_quote.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Byte index of the closing quote of a JSON string whose opening quote was just consumed.
fn string_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
    }
    None
}

fn headers_as_map<S: serde::Serializer>(h: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(h.len()))?;
    for (k, v) in h {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

/// A Graph API response as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// Response body as text.
    pub body: String,
}

impl ApiResponse {
    /// The first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A response without headers (the parsers' unit tests).
    #[cfg(test)]
    pub(crate) fn of(status: u16, body: &str) -> Self {
        ApiResponse {
            status,
            headers: vec![],
            body: body.to_owned(),
        }
    }
}

impl ToJson for ApiRequest {
    fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.field("method", &self.method.as_str())
            .with("headers", |out| {
                let mut h = Obj::new(out);
                for (k, v) in &self.headers {
                    h.field_escaped(k, v);
                }
                h.end();
            })
            .field("url", &self.url)
            .opt("body", dyn_opt(&self.body))
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets_in_url_headers_and_body() {
        let req = ApiRequest {
            method: Method::Get,
            url: "https://g/v25.0/debug_token?input_token=EAAtok&access_token=9%7Capp-secret&fields=x".into(),
            headers: vec![("Authorization".into(), "Bearer EAAsecret".into())],
            body: Some(r#"{"access_token":"EAAbody","keep":"me"}"#.into()),
        };
        let shown = format!("{req:?}");
        for secret in ["EAAtok", "app-secret", "EAAsecret", "EAAbody"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(
            shown.contains("fields=x") && shown.contains("keep"),
            "{shown}"
        );
    }

    #[test]
    fn redact_json_keeps_everything_else() {
        assert_eq!(
            redact_json_secrets(r#"{"access_token" : "a\"b","token_type":"bearer","n":1}"#),
            r#"{"access_token":"[redacted]","token_type":"bearer","n":1}"#
        );
        assert_eq!(
            redact_json_secrets(r#"{"client_secret":"x","language":{"code":"en_US"}}"#),
            r#"{"client_secret":"[redacted]","language":{"code":"en_US"}}"#
        );
        assert_eq!(
            redact_url("https://x/a?code=abc&b=1"),
            "https://x/a?code=[redacted]&b=1"
        );
        assert_eq!(
            redact_json_secrets("not json \"access_token"),
            "not json \"access_token"
        );
        assert_eq!(redact_url("https://x/a?b=1"), "https://x/a?b=1");
        assert_eq!(redact_url("https://x/a"), "https://x/a");
    }

    proptest::proptest! {
        #[test]
        fn redaction_never_panics(s in "\\PC{0,200}") {
            let _ = redact_json_secrets(&s);
            let _ = redact_url(&s);
        }
    }
}
