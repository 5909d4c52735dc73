//! The JS/TypeScript surface: the only `#[wasm_bindgen]` code in the crate. Each export converts
//! its arguments, calls the pure core and converts the result; errors become `WhatsAppError`.

mod client;
pub(crate) mod convert;
mod describe;
pub(crate) mod error;
mod rules;
mod types;
pub mod webhook;

pub use client::{build_authorization_url_js, run_task_js, to_output_variables_js, WhatsAppClient};
pub use error::WhatsAppError;

use crate::domain::graph::DEFAULT_API_VERSION;
use convert::{string_arg, to_js};
use wasm_bindgen::prelude::*;

/// The package version and the default Graph API version.
#[wasm_bindgen(js_name = version, unchecked_return_type = "VersionInfo")]
pub fn version() -> Result<JsValue, JsValue> {
    let mut text = String::new();
    crate::domain::json::Obj::new(&mut text)
        .field("defaultApiVersion", &DEFAULT_API_VERSION)
        .field("version", &crate::VERSION)
        .end();
    js_sys::JSON::parse(&text)
}

/// Checks a template name against Meta's rule (`^[a-z0-9_]+$`, 1–512 characters) and returns
/// every issue. Throws `WhatsAppError` (kind `validation`) when `name` is not a string.
#[wasm_bindgen(js_name = validateTemplateName, unchecked_return_type = "Validation")]
pub fn validate_template_name(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsValue> {
    let name = string_arg(&name, "name")?;
    to_js(&crate::domain::template::validate_template_name(&name))
}
