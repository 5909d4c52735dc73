//! Small helpers for walking untrusted JSON (`serde_json::Value`) while collecting issues:
//! path building and type names. Validators read arbitrary input through these so that a value of
//! the wrong type becomes an issue, never a panic or an early abort.

use crate::core::error::Issue;
use serde_json::Value;

/// `base.key` (or `key` when `base` is empty).
pub(crate) fn field(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        let mut s = String::with_capacity(base.len() + key.len() + 1);
        s.push_str(base);
        s.push('.');
        s.push_str(key);
        s
    }
}

/// `base[i]`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// "a string", "an array", ... for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An `invalid_type` issue: `path` must be `expected`.
pub(crate) fn wrong_type(path: &str, v: &Value, expected: &str) -> Issue {
    Issue::error(
        path,
        "invalid_type",
        format!("{path} must be {expected}, got {}.", type_name(v)),
    )
}

/// Reads an optional string member: `Ok(None)` when absent or null, an `invalid_type` issue when
/// present with another type.
pub(crate) fn opt_str<'a>(
    obj: &'a serde_json::Map<String, Value>,
    key: &str,
    base: &str,
    issues: &mut Vec<Issue>,
) -> Option<&'a str> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            issues.push(wrong_type(&field(base, key), other, "a string"));
            None
        }
    }
}

/// Number of Unicode scalar values (what Meta's character limits count).
pub(crate) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}
