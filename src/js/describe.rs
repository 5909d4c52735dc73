//! `describeGraphError`: what the error-code table says about a Graph error code that arrives
//! outside a request, e.g. in a `failed` status webhook's `errors[].code`.

use super::convert::wrong_type;
use crate::domain::error::{classify, graph_hint};
use crate::domain::json::Obj;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_DESCRIBE: &'static str = r#"
/** What the package's error-code table says about a Graph error code. */
export interface GraphErrorInfo {
  kind: ErrorKind;
  /** Whether the same request may succeed later (with backoff). */
  retryable: boolean;
  /** What to do next (the same text a `WhatsAppError` with this code carries). */
  hint: string;
}
"#;

fn integer(value: &JsValue, path: &str) -> Result<Option<i64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(n as i64)),
        _ => Err(wrong_type(value, path, "an integer").into()),
    }
}

/// The kind, retryability and hint of a Graph error code (and subcode), e.g. for the
/// `errors[].code` of a `failed` status. Throws `WhatsAppError` when `code` is not an integer.
#[wasm_bindgen(js_name = describeGraphError, unchecked_return_type = "GraphErrorInfo")]
pub fn describe_graph_error(
    #[wasm_bindgen(unchecked_param_type = "number")] code: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | null")] subcode: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(code) = integer(&code, "code")? else {
        return Err(wrong_type(&code, "code", "an integer").into());
    };
    let subcode = integer(&subcode, "subcode")?;
    // No HTTP status: the code arrived in a webhook, so an unknown code is not called retryable.
    let info = classify(code, subcode, 200);
    let mut text = String::new();
    Obj::new(&mut text)
        .field("hint", &graph_hint(code, subcode))
        .field("kind", &info.kind.as_str())
        .field("retryable", &info.retryable)
        .end();
    js_sys::JSON::parse(&text)
}
