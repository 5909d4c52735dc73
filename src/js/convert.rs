//! Moving data across the JS boundary. Values cross as JSON text (one `JSON.stringify` /
//! `JSON.parse` call each way) instead of being walked property by property through the
//! boundary: one crossing per direction, V8's native JSON code on the JS side, and no
//! serde-wasm-bindgen in the binary. `bench/` reports what this costs per call.
//!
//! Reading a caller's value can run the caller's code (getters, proxy traps, `toJSON`) or throw
//! (a revoked `Proxy`). Every such read goes through `read_boundary.js`, imported with `catch`:
//! the throw becomes a `WhatsAppError` whose `cause` is the thrown value, and nothing unwinds
//! through wasm frames. The size limits below are checked there too, before anything is copied
//! into wasm memory (which never shrinks).

use crate::domain::error::{Cause, Error, ErrorKind};
use crate::domain::json::ToJson;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The longest JSON input (an object's JSON text, or the JSON text given as a string), in
/// UTF-16 code units: far above any template definition, send or task configuration Meta accepts.
pub(crate) const MAX_JSON_CHARS: u32 = 256 << 10;
/// The longest task output `toOutputVariables` reads (1,000 listed templates fit).
pub(crate) const MAX_OUTPUT_CHARS: u32 = 4 << 20;
/// The longest plain string argument (a name, a phone number, an id, a token, a query).
pub(crate) const MAX_STRING_CHARS: u32 = 64 << 10;
/// The largest webhook body, in bytes: Meta's webhook payloads are at most 3 MB (with headroom).
pub(crate) const MAX_BODY_BYTES: u32 = 4 << 20;
/// The most app secrets one signature check tries (a rotation needs two).
pub(crate) const MAX_SECRETS: u32 = 4;
/// The most items read from an array argument of strings (scopes).
pub(crate) const MAX_ITEMS: u32 = 1_000;
/// The longest piece of a thrown error's message put into our own message.
const MAX_DESCRIBED: u32 = 200;

#[wasm_bindgen(module = "/src/js/read_boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = bytesOf)]
    fn bytes_of(body: &JsValue, max: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = jsonTextOf)]
    fn json_text_of(value: &JsValue, max: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = arrayItems)]
    fn array_items(value: &JsValue, max: u32, max_chars: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = timeOf)]
    fn time_of(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_name = propOf)]
    fn prop_of(obj: &JsValue, key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = encodeText)]
    fn encode_text(text: &js_sys::JsString, memory: &JsValue, at: *mut u8, room: usize) -> usize;
    #[wasm_bindgen(js_name = describeThrown)]
    fn describe_thrown(e: &JsValue, max: u32) -> Option<String>;
    /// A promise of `value` (never throws; see `read_boundary.js`).
    #[wasm_bindgen(js_name = toPromise)]
    pub(crate) fn to_promise(value: &JsValue) -> js_sys::Promise;
}

/// The text of a JS string value, `None` for another type. Text crosses as UTF-8 bytes: one
/// `TextEncoder.encodeInto` (`read_boundary.js`) writes the string straight into a buffer here,
/// sized for the worst case (3 bytes per UTF-16 unit) and freed with the `String`. Callers pass
/// only strings within a documented input limit (checked before this), so the buffer is bounded.
#[inline(never)]
pub(crate) fn text_of(value: &JsValue) -> Option<String> {
    let s = value.dyn_ref::<js_sys::JsString>()?;
    let mut buf = vec![0u8; s.length() as usize * 3];
    let written = encode_text(s, &wasm_bindgen::memory(), buf.as_mut_ptr(), buf.len());
    buf.truncate(written);
    // encodeInto writes well-formed UTF-8 (a lone surrogate becomes U+FFFD), so this never fails.
    String::from_utf8(buf).ok()
}

/// A short description of a thrown value (an Error's message, or a thrown string).
#[inline(never)]
pub(crate) fn describe(e: &JsValue) -> String {
    describe_thrown(e, MAX_DESCRIBED).unwrap_or_else(|| "a non-Error value was thrown".to_owned())
}

/// An error carrying what the caller's code threw as its `cause`; the message is
/// `"{what} {verb}: {the thrown error's message}"`.
#[inline(never)]
pub(crate) fn thrown(
    kind: ErrorKind,
    code: &'static str,
    what: &str,
    verb: &str,
    cause: JsValue,
) -> Error {
    Error::Thrown {
        kind,
        code,
        path: what.to_owned(),
        message: format!("{what} {verb}: {}", describe(&cause)),
        cause: Cause(Rc::new(cause)),
    }
}

/// A callback (`what`, e.g. `statusStore.get()`) threw or its promise rejected.
pub(crate) fn callback_failure(what: &str, cause: JsValue) -> Error {
    thrown(
        ErrorKind::Callback,
        "callback_failed",
        what,
        "failed",
        cause,
    )
}

/// Reading the argument at `path` threw (a getter, a proxy trap, `toJSON`, a cycle, a BigInt).
pub(crate) fn unreadable(path: &str, cause: JsValue) -> Error {
    thrown(
        ErrorKind::Validation,
        "unreadable_input",
        path,
        "could not be read",
        cause,
    )
}

/// The thrown value of an error made by [`thrown`], if any.
pub(crate) fn cause_of(e: &Error) -> Option<&JsValue> {
    match e {
        Error::Thrown { cause, .. } => cause.0.downcast_ref::<JsValue>(),
        _ => None,
    }
}

/// An input over its documented limit (refused before it was copied into wasm).
#[inline(never)]
fn too_large(path: &str, size: f64, max: u32, unit: &str) -> Error {
    // As an integer: formatting an f64 would link core's float printing.
    let size = size as u64;
    Error::invalid(
        path,
        "input_too_large",
        format!(
            "{path} is {size} {unit}; the limit is {max} {unit} (see \"Limits\" in the README)."
        ),
    )
}

/// The JSON text of any JS value (a string is taken as JSON text already), at most `max`
/// characters, or a validation error naming `path` when it has none (`undefined`, functions,
/// symbols) or could not be read.
#[inline(never)]
pub(crate) fn json_text_max(
    value: &JsValue,
    path: &str,
    expected: &str,
    max: u32,
) -> Result<String, Error> {
    let text = json_text_of(value, max).map_err(|e| unreadable(path, e))?;
    if let Some(n) = text.as_f64() {
        return Err(too_large(path, n, max, "characters of JSON"));
    }
    text_of(&text).ok_or_else(|| wrong_type(value, path, expected))
}

/// [`json_text_max`] with the common limit ([`MAX_JSON_CHARS`]).
pub(crate) fn json_text(value: &JsValue, path: &str, expected: &str) -> Result<String, Error> {
    json_text_max(value, path, expected, MAX_JSON_CHARS)
}

/// A string argument of at most [`MAX_STRING_CHARS`] characters, or `None` when `value` is not a
/// string. (`typeof` and a string's `length` cannot throw.)
#[inline(never)]
pub(crate) fn opt_string_arg(value: &JsValue, path: &str) -> Result<Option<String>, Error> {
    match value.dyn_ref::<js_sys::JsString>() {
        Some(s) if s.length() > MAX_STRING_CHARS => Err(too_large(
            path,
            f64::from(s.length()),
            MAX_STRING_CHARS,
            "characters",
        )),
        Some(_) => Ok(text_of(value)),
        None => Ok(None),
    }
}

/// A required string argument.
#[inline(never)]
pub(crate) fn string_arg(value: &JsValue, path: &str) -> Result<String, Error> {
    opt_string_arg(value, path)?.ok_or_else(|| wrong_type(value, path, "a string"))
}

/// The bytes of a body argument (a string as UTF-8, any view, an ArrayBuffer), at most
/// [`MAX_BODY_BYTES`].
pub(crate) fn body_bytes(value: &JsValue, path: &str, expected: &str) -> Result<Vec<u8>, Error> {
    bytes_max(value, path, expected, MAX_BODY_BYTES)
}

/// The bytes of a binary argument, at most `max`.
#[inline(never)]
pub(crate) fn bytes_max(
    value: &JsValue,
    path: &str,
    expected: &str,
    max: u32,
) -> Result<Vec<u8>, Error> {
    let bytes = bytes_of(value, max).map_err(|e| unreadable(path, e))?;
    if let Some(n) = bytes.as_f64() {
        return Err(too_large(path, n, max, "bytes"));
    }
    match bytes.dyn_ref::<js_sys::Uint8Array>() {
        Some(b) => Ok(b.to_vec()),
        None => Err(wrong_type(value, path, expected)),
    }
}

/// A copy of an array argument (at most `max` items, read through its getters here; no string
/// item over [`MAX_STRING_CHARS`]), or `None` when `value` is not an array.
#[inline(never)]
pub(crate) fn array_arg(
    value: &JsValue,
    path: &str,
    max: u32,
) -> Result<Option<js_sys::Array>, Error> {
    let items = array_items(value, max, MAX_STRING_CHARS).map_err(|e| unreadable(path, e))?;
    if let Some(n) = items.as_f64() {
        return Err(too_large(path, n, max, "items"));
    }
    Ok(items.dyn_into::<js_sys::Array>().ok())
}

/// The strings of an array argument (other items skipped), or `None` when it is not an array.
pub(crate) fn string_items(value: &JsValue, path: &str) -> Result<Option<Vec<String>>, Error> {
    Ok(array_arg(value, path, MAX_ITEMS)?.map(|a| a.iter().filter_map(|v| text_of(&v)).collect()))
}

/// `obj[key]`, or what reading it threw (for values a callback returned).
pub(crate) fn read_prop(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    prop_of(obj, key)
}

/// The time value (ms) of a `Date`, `None` for anything else, or what reading it threw.
pub(crate) fn read_time(value: &JsValue) -> Result<Option<f64>, JsValue> {
    Ok(time_of(value)?.as_f64())
}

/// The time value (ms) of a `Date` argument, `None` for anything else.
pub(crate) fn date_ms(value: &JsValue, path: &str) -> Result<Option<f64>, Error> {
    read_time(value).map_err(|e| unreadable(path, e))
}

/// `obj[key]` (`undefined` for a primitive `obj`); a throwing getter or trap is an error naming
/// `path`.
#[inline(never)]
pub(crate) fn prop(obj: &JsValue, key: &str, path: &str) -> Result<JsValue, Error> {
    prop_of(obj, key).map_err(|e| unreadable(path, e))
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
    } else if value.is_string() {
        "a string"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if is_array(value).unwrap_or(false) {
        "an array"
    } else if value.is_function() {
        "a function"
    } else if value.is_object() {
        "an object"
    } else {
        "a value of another type"
    }
}
