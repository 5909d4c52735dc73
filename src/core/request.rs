//! Requests and responses as plain data: what builders produce and what parsers consume.
//! The transport layer is the only code that turns these into real HTTP.

use serde::Serialize;

/// HTTP method of a Graph API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}
