//! Moving data across the JS boundary. Values cross as JSON text (one `JSON.stringify` /
//! `JSON.parse` call each way) instead of being walked property by property through the
//! boundary: one crossing per direction, V8's native JSON code on the JS side, and no
//! serde-wasm-bindgen in the binary. `bench/` reports what this costs per call.

use crate::core::error::Error;
use crate::core::json_out::ToJson;
use wasm_bindgen::prelude::*;

#[allow(dead_code)] // the option-bag exports (builders, validators) read input through this
/// The JSON text of any JS value, or a validation error naming `path` when it has none
/// (`undefined`, functions, symbols, BigInt, cycles).
pub(crate) fn json_text(value: &JsValue, path: &str, expected: &str) -> Result<String, Error> {
    match js_sys::JSON::stringify(value) {
        Ok(s) => s
            .as_string()
            .ok_or_else(|| wrong_type(value, path, expected)),
        Err(_) => Err(wrong_type(value, path, expected)),
    }
}

#[allow(dead_code)]
/// A JS value as a `serde_json::Value`.
pub(crate) fn json_value(
    value: &JsValue,
    path: &str,
    expected: &str,
) -> Result<serde_json::Value, Error> {
    let text = json_text(value, path, expected)?;
    crate::core::json::parse_owned(&text).map_err(|e| {
        Error::invalid(
            path,
            "invalid_json",
            format!("{path} could not be read ({e})."),
        )
    })
}

/// A required string argument.
pub(crate) fn string_arg(value: &JsValue, path: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| wrong_type(value, path, "a string"))
}

/// `value` as a plain JS object (no `Map`s, no classes): its JSON text, parsed by one
/// `JSON.parse`.
pub(crate) fn to_js(value: &dyn ToJson) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_json())
}

/// A validation error for an argument of the wrong JS type.
pub(crate) fn wrong_type(value: &JsValue, path: &str, expected: &str) -> Error {
    Error::invalid(
        path,
        "invalid_type",
        format!("{path} must be {expected}, got {}.", js_type_name(value)),
    )
}

fn js_type_name(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if value.as_string().is_some() {
        "a string"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else if value.is_function() {
        "a function"
    } else if value.is_object() {
        "an object"
    } else {
        "a value of another type"
    }
}
