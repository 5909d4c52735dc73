//! The one place where a Rust [`Error`] becomes a JS `WhatsAppError` (a real `Error` subclass,
//! defined in `whatsapp_error.js` and re-exported from the package).

use crate::core::error::Error;
use crate::core::error::Severity;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/whatsapp_error.js")]
extern "C" {
    /// `class WhatsAppError extends Error` — re-exported so users can `instanceof` it.
    #[wasm_bindgen(reexport, typescript_type = "WhatsAppError")]
    pub type WhatsAppError;

    #[wasm_bindgen(constructor)]
    fn new(message: &str, props: &str) -> WhatsAppError;
}

/// The properties a `WhatsAppError` gets (read by `whatsapp_error.js`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Props<'a> {
    ambiguous: bool,
    code: String,
    details: Option<String>,
    fbtrace_id: Option<String>,
    hint: String,
    http_status: Option<u16>,
    issues: Vec<SortedIssue<'a>>,
    kind: &'static str,
    retryable: bool,
    subcode: Option<i64>,
    #[serde(rename = "type")]
    error_type: Option<String>,
}

/// An [`Issue`](crate::core::error::Issue) with its keys in sorted order, as `json!` gave them.
#[derive(Serialize)]
struct SortedIssue<'a> {
    code: &'static str,
    message: &'a str,
    path: &'a str,
    severity: Severity,
}

/// Builds the JS error object for `e`. Secrets never reach here: no error variant carries a token.
pub(crate) fn to_js_error(e: &Error) -> JsValue {
    let (subcode, http_status, fbtrace_id, error_type, details) = match e {
        Error::Graph(g) => (
            g.subcode,
            Some(g.http_status),
            g.fbtrace_id.clone(),
            g.error_type.clone(),
            g.details.clone(),
        ),
        Error::Parse { status, .. } => (None, Some(*status), None, None, None),
        _ => (None, None, None, None, None),
    };
    let issues = match e {
        Error::Validation { issues } => issues
            .iter()
            .map(|i| SortedIssue {
                code: i.code,
                message: &i.message,
                path: &i.path,
                severity: i.severity,
            })
            .collect(),
        _ => Vec::new(),
    };
    let ambiguous = matches!(
        e,
        Error::Transport {
            ambiguous: true,
            ..
        }
    );
    // Fields in the order `json!` gave them (a sorted map); written straight to JSON text rather
    // than through a `serde_json::Value`, which would pull in the `to_value` serializer family.
    let props = Props {
        ambiguous,
        code: e.code(),
        details,
        fbtrace_id,
        hint: e.hint(),
        http_status,
        issues,
        kind: e.kind().as_str(),
        retryable: e.retryable(),
        subcode,
        error_type,
    };
    let props = serde_json::to_string(&props).unwrap_or_else(|_| "{}".to_owned());
    WhatsAppError::new(&e.to_string(), &props).into()
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        to_js_error(&e)
    }
}
