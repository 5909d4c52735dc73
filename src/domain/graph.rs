//! Graph API version and base URL (`platform-rules.md` §0: v18.0 was retired on 26 Jan 2026;
//! the version is a setting with a current default).

use crate::domain::error::{Error, GraphError};
use crate::domain::json::{Doc, Json};
use crate::domain::request::ApiResponse;

/// The Graph API version used when none is configured.
pub const DEFAULT_API_VERSION: &str = "v25.0";

/// The Graph API host used when none is configured.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// A validated Graph API version such as `v25.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion(String);

impl ApiVersion {
    /// Accepts `v25.0`, `25.0` or `v25` (normalised to `v25.0`). Versions older than v19.0 are
    /// rejected because Meta has retired them.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        let digits = t.strip_prefix('v').unwrap_or(t);
        let major_str = digits.strip_suffix(".0").unwrap_or(digits);
        let major: u32 = match crate::domain::json::parse_u64(major_str).map(u32::try_from) {
            Some(Ok(m))
                if !major_str.is_empty() && major_str.bytes().all(|b| b.is_ascii_digit()) =>
            {
                m
            }
            _ => {
                return Err(Error::invalid(
                    "apiVersion",
                    "api_version_invalid",
                    format!(
                    "\"{s}\" is not a Graph API version; use the form \"{DEFAULT_API_VERSION}\"."
                ),
                ))
            }
        };
        if major < 19 {
            return Err(Error::invalid(
                "apiVersion",
                "api_version_retired",
                format!("Graph API v{major}.0 is retired (v18.0 stopped working on 26 Jan 2026); use {DEFAULT_API_VERSION} or newer."),
            ));
        }
        Ok(ApiVersion(format!("v{major}.0")))
    }

    /// The version as it appears in URLs (`v25.0`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        ApiVersion(DEFAULT_API_VERSION.to_owned())
    }
}

/// Turns an error response into an [`Error`]: the Graph envelope `{"error": {...}}`
/// (`platform-rules.md` §4.1; every field but `code` optional) becomes [`Error::Graph`]; a body
/// that is not an envelope becomes [`Error::Parse`] with the start of the body. Read by walking a
/// `Value` (no derived deserializer: their error paths pull float formatting into the wasm).
pub fn parse_error_response(resp: &ApiResponse) -> Error {
    // Read with the crate's borrowed JSON reader: no owned copy of the body is made.
    let doc = Doc::parse(&resp.body).ok();
    let err = doc
        .as_ref()
        .and_then(|d| d.root().get("error"))
        .filter(Json::is_object);
    let text = |key: &str| {
        err.and_then(|e| e.get(key))
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    match (err, err.and_then(|e| e.get("code")).and_then(Json::as_i64)) {
        (Some(e), Some(code)) => Error::Graph(Box::new(GraphError {
            http_status: resp.status,
            code,
            subcode: e.get("error_subcode").and_then(Json::as_i64),
            error_type: text("type"),
            message: text("message").unwrap_or_default(),
            details: e
                .get("error_data")
                .and_then(|d| d.get("details"))
                .and_then(Json::as_str)
                .map(str::to_owned),
            user_title: text("error_user_title"),
            user_message: text("error_user_msg"),
            fbtrace_id: text("fbtrace_id"),
            is_transient: e.get("is_transient").and_then(Json::as_bool),
        })),
        _ => Error::Parse {
            status: resp.status,
            path: "error.code".into(),
            message: format!("HTTP {} without a Graph error envelope", resp.status),
            // An OAuth answer carries the new token: keep the body for diagnostics, never the secret.
            body: crate::domain::request::redact_json_secrets(&resp.body)
                .chars()
                .take(512)
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(
            ApiVersion::parse("v25.0").map(|v| v.0),
            Ok("v25.0".to_owned())
        );
        assert_eq!(
            ApiVersion::parse("26.0").map(|v| v.0),
            Ok("v26.0".to_owned())
        );
        assert_eq!(
            ApiVersion::parse("v24").map(|v| v.0),
            Ok("v24.0".to_owned())
        );
        assert_eq!(ApiVersion::default().as_str(), "v25.0");
    }

    #[test]
    fn rejects_bad_and_retired() {
        for bad in ["", "v", "latest", "v25.1", "v-3.0", "v+25.0"] {
            assert!(ApiVersion::parse(bad).is_err(), "{bad}");
        }
        let e = ApiVersion::parse("v18.0").err().map(|e| e.code());
        assert_eq!(e.as_deref(), Some("api_version_retired"));
    }

    #[test]
    fn parses_error_envelopes() {
        let resp = ApiResponse {
            status: 400,
            headers: vec![],
            body: r#"{"error":{"message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException","code":131030,"error_subcode":2655007,"error_data":{"messaging_product":"whatsapp","details":"not allowed"},"fbtrace_id":"AbC"}}"#.into(),
        };
        match parse_error_response(&resp) {
            Error::Graph(g) => {
                assert_eq!(
                    (g.code, g.subcode, g.http_status),
                    (131030, Some(2655007), 400)
                );
                assert_eq!(g.details.as_deref(), Some("not allowed"));
                assert_eq!(g.fbtrace_id.as_deref(), Some("AbC"));
            }
            other => panic!("{other:?}"),
        }
        for body in [
            "<html>bad gateway</html>",
            "{}",
            r#"{"error":{"message":"x"}}"#,
            "",
        ] {
            let resp = ApiResponse {
                status: 502,
                headers: vec![],
                body: body.into(),
            };
            assert!(
                matches!(
                    parse_error_response(&resp),
                    Error::Parse { status: 502, .. }
                ),
                "{body}"
            );
        }
    }
}

/// An [`Error::Parse`] for `resp` (the body is cut to 512 characters).
pub fn parse_failure(
    resp: &crate::domain::request::ApiResponse,
    path: &str,
    message: &str,
) -> Error {
    Error::Parse {
        status: resp.status,
        path: path.to_owned(),
        message: message.to_owned(),
        // An OAuth answer carries the new token: keep the body for diagnostics, never the secret.
        body: crate::domain::request::redact_json_secrets(&resp.body)
            .chars()
            .take(512)
            .collect(),
    }
}

/// Reads a successful (2xx) Graph answer in place; another status or an error envelope becomes the
/// matching [`Error`], a body that is not JSON an [`Error::Parse`] saying where it broke. The
/// body is parsed once (a 2xx error envelope is recognised on the parsed document).
pub(crate) fn parse_doc(resp: &crate::domain::request::ApiResponse) -> Result<Doc<'_>, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(parse_error_response(resp));
    }
    let doc = Doc::parse(&resp.body).map_err(|e| parse_failure(resp, "", &e.to_string()))?;
    // A 2xx body that is nevertheless a Graph error envelope (`{"error": {...}}` first).
    if resp.body.trim_start().starts_with("{\"error\"")
        && doc.root().get("error").is_some_and(|e| e.is_object())
    {
        return Err(parse_error_response(resp));
    }
    Ok(doc)
}

#[cfg(test)]
mod response_tests {
    use super::*;
    use crate::domain::request::ApiResponse;

    #[test]
    fn reads_the_graph_error_envelope() {
        let e = parse_error_response(&ApiResponse::of(
            400,
            r#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_subcode":2494010,"error_data":{"messaging_product":"whatsapp","details":"More than 24 hours"},"fbtrace_id":"Ab1"}}"#,
        ));
        let Error::Graph(g) = &e else { panic!("{e:?}") };
        assert_eq!(
            (g.code, g.subcode, g.http_status),
            (131047, Some(2494010), 400)
        );
        assert_eq!(g.details.as_deref(), Some("More than 24 hours"));
        assert_eq!(g.fbtrace_id.as_deref(), Some("Ab1"));
        assert_eq!(e.kind().as_str(), "window_closed");
    }

    #[test]
    fn non_envelopes_are_parse_errors_with_the_body() {
        let e = parse_error_response(&ApiResponse::of(502, "<html>bad gateway</html>"));
        assert!(
            matches!(&e, Error::Parse { status: 502, body, .. } if body.contains("bad gateway"))
        );
        assert!(e.retryable());
        let e = parse_error_response(&ApiResponse::of(400, r#"{"error":{"message":"x"}}"#));
        assert!(matches!(&e, Error::Parse { path, .. } if path == "error.code"));
    }

    #[test]
    fn parse_doc_checks_status_and_envelope() {
        let ok_resp = ApiResponse::of(200, r#"{"id":"1"}"#);
        let ok = parse_doc(&ok_resp).unwrap();
        assert_eq!(ok.root().get("id").and_then(Json::as_str), Some("1"));
        let bad = parse_doc(&ApiResponse::of(
            200,
            r#"{"error":{"code":4,"message":"m"}}"#,
        ))
        .map(|_| ());
        assert_eq!(bad.err().map(|e| e.code()).as_deref(), Some("4"));
        let broken = parse_doc(&ApiResponse::of(200, r#"{"id":5"#)).map(|_| ());
        assert!(matches!(broken, Err(Error::Parse { .. })));
        // Only a 2xx answer is a success, whatever its body.
        let redirect = parse_doc(&ApiResponse::of(304, r#"{"id":"1"}"#)).map(|_| ());
        assert!(matches!(redirect, Err(Error::Parse { status: 304, .. })));
    }

    proptest::proptest! {
        #[test]
        fn error_parser_never_panics(status in 0u16..600, body in ".{0,200}") {
            let _ = parse_error_response(&ApiResponse::of(status, &body));
            let r = ApiResponse::of(status, &body);
            let _ = parse_doc(&r).map(|d| d.root().is_object());
        }
    }
}
