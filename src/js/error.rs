//! The one place where a Rust [`Error`] becomes a JS `WhatsAppError` (a real `Error` subclass,
//! defined in `whatsapp_error.js` and re-exported from the package).

use crate::domain::error::{Error, ErrorKind, Issue};
use crate::domain::json::Obj;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/whatsapp_error.js")]
extern "C" {
    /// `class WhatsAppError extends Error` — re-exported so users can `instanceof` it.
    #[wasm_bindgen(reexport, typescript_type = "WhatsAppError")]
    pub type WhatsAppError;

    /// `new WhatsAppError(message, { ...JSON.parse(props), cause })`.
    #[wasm_bindgen(js_name = fromRust)]
    fn from_rust(message: &str, props: &str, cause: &JsValue) -> JsValue;
}

/// Builds the JS error object for `e`, with what the caller's code threw as `cause` when that is
/// where it came from. Secrets never reach here: no error variant carries a token.
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
    // An argument that could not be read is reported like any invalid argument: one issue.
    let thrown_issue;
    let no_issues = Vec::new();
    let issues = match e {
        Error::Validation { issues } => issues,
        Error::Thrown {
            kind: ErrorKind::Validation,
            code,
            path,
            message,
            ..
        } => {
            thrown_issue = vec![Issue::error(path.clone(), code, message.clone())];
            &thrown_issue
        }
        _ => &no_issues,
    };
    let ambiguous = matches!(
        e,
        Error::Transport {
            ambiguous: true,
            ..
        }
    );
    // The properties `whatsapp_error.js` copies onto the error, in sorted key order.
    let mut props = String::with_capacity(256);
    Obj::new(&mut props)
        .field("ambiguous", &ambiguous)
        .field("code", &e.code())
        .field("details", &details)
        .field("fbtraceId", &fbtrace_id)
        .field("hint", &e.hint())
        .field("httpStatus", &http_status)
        .field("issues", issues)
        .field("kind", &e.kind().as_str())
        .field("retryable", &e.retryable())
        .field("subcode", &subcode)
        .field("type", &error_type)
        .end();
    let none = JsValue::UNDEFINED;
    let cause = super::convert::cause_of(e).unwrap_or(&none);
    from_rust(&e.to_string(), &props, cause)
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        to_js_error(&e)
    }
}
