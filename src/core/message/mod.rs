//! Message builders: each validates its input completely and returns a ready [`ApiRequest`]
//! (`POST /{phone_number_id}/messages`, `platform-rules.md` §2) or
//! [`Error::Validation`](crate::Error::Validation) with every issue found.
//!
//! Inputs are plain structs (serde, camelCase — the same shapes the JS builders take); the Graph
//! version and host come from [`BuildOptions`].

mod components;
mod media;
mod read;
mod response;
mod template;
mod text;

pub use components::{
    ButtonIndex, CurrencyValue, DateTimeValue, LocationValue, MediaRef, SendComponent,
    SendParameter,
};
pub use media::{build_send_media, SendMediaInput};
pub use read::{build_mark_as_read, MarkAsReadInput};
pub use response::{
    parse_created_template, parse_send_response, parse_success, parse_template_page,
    CreatedTemplate, SendResult, TemplatePage, TemplateSummary,
};
pub use template::{build_send_template, SendTemplateInput};
pub use text::{build_send_text, SendTextInput, TEXT_MAX_LEN};

pub(crate) use components::{push_components, send_component_issues, text_value_issues};

use crate::core::error::{Error, Issue};
use crate::core::graph::{ApiVersion, DEFAULT_BASE_URL};
use crate::core::request::{ApiRequest, Method};
use serde::Deserialize;

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
        let mut r = crate::core::json::Reader::new(v, "", "an object");
        let opts = BuildOptions {
            api_version: r.opt_string("apiVersion"),
            base_url: r.opt_string("baseUrl"),
        };
        r.finish(opts)
    }

    /// `{base}/{version}/{path}`, or issues for a bad version / base URL.
    pub(crate) fn url(&self, path: &str, issues: &mut Vec<Issue>) -> String {
        let version = match self.api_version.as_deref() {
            None => ApiVersion::default(),
            Some(v) => match ApiVersion::parse(v) {
                Ok(v) => v,
                Err(Error::Validation { issues: mut is }) => {
                    issues.append(&mut is);
                    ApiVersion::default()
                }
                Err(_) => ApiVersion::default(),
            },
        };
        let base = match self.base_url.as_deref() {
            None => DEFAULT_BASE_URL,
            Some(b) => {
                let lower: String = b.chars().take(8).collect::<String>().to_ascii_lowercase();
                // The host: what follows the scheme's "://", up to the first '/'.
                let host_ok = b
                    .find(':')
                    .and_then(|i| b.get(i..))
                    .and_then(|r| r.strip_prefix("://"))
                    .and_then(|r| r.split('/').next())
                    .is_some_and(|h| !h.is_empty());
                if !(lower.starts_with("https://") || lower.starts_with("http://"))
                    || !host_ok
                    || b.contains(char::is_whitespace)
                    || b.contains(['?', '#'])
                {
                    issues.push(Issue::error(
                        "baseUrl",
                        "base_url_invalid",
                        "baseUrl must be an absolute http(s) URL such as https://graph.facebook.com (no query or fragment).",
                    ));
                }
                b.trim_end_matches('/')
            }
        };
        let mut url = String::with_capacity(base.len() + path.len() + 8);
        url.push_str(base);
        url.push('/');
        url.push_str(version.as_str());
        url.push('/');
        url.push_str(path);
        url
    }
}

/// The request, or every issue if any is an error.
pub(crate) fn finish(
    method: Method,
    url: String,
    body: Option<String>,
    issues: Vec<Issue>,
) -> Result<ApiRequest, Error> {
    if issues.iter().any(Issue::is_error) {
        return Err(Error::Validation { issues });
    }
    let headers = if body.is_some() {
        vec![("Content-Type".to_owned(), "application/json".to_owned())]
    } else {
        Vec::new()
    };
    Ok(ApiRequest {
        method,
        url,
        headers,
        body,
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

/// The sender of a message builder: `phoneNumberId` must be a Graph id.
pub(crate) fn sender_issues(phone_number_id: &str, issues: &mut Vec<Issue>) {
    id_issues(
        phone_number_id,
        "phoneNumberId",
        "phone_number_id_invalid",
        "phoneNumberId",
        issues,
    );
}

/// Recipient normalised (issues collected at `to`).
pub(crate) fn recipient(to: &str, issues: &mut Vec<Issue>) -> String {
    match crate::core::phone::normalize_recipient(to, "to") {
        Ok(n) => n,
        Err(mut is) => {
            issues.append(&mut is);
            String::new()
        }
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
