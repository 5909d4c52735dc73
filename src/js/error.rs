//! The one place where a Rust [`Error`] becomes a JS `WhatsAppError` (a real `Error` subclass,
//! defined in `whatsapp_error.js` and re-exported from the package).

use crate::core::error::Error;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/whatsapp_error.js")]
extern "C" {
    /// `class WhatsAppError extends Error` — re-exported so users can `instanceof` it.
    #[wasm_bindgen(reexport, typescript_type = "WhatsAppError")]
    pub type WhatsAppError;

    #[wasm_bindgen(constructor)]
    fn new(message: &str, props: &str) -> WhatsAppError;
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
        Error::Validation { issues } => issues.clone(),
        _ => Vec::new(),
    };
    let ambiguous = matches!(
        e,
        Error::Transport {
            ambiguous: true,
            ..
        }
    );
    let props = json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "subcode": subcode,
        "httpStatus": http_status,
        "retryable": e.retryable(),
        "ambiguous": ambiguous,
        "hint": e.hint(),
        "fbtraceId": fbtrace_id,
        "type": error_type,
        "details": details,
        "issues": issues,
    });
    WhatsAppError::new(&e.to_string(), &props.to_string()).into()
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        to_js_error(&e)
    }
}
