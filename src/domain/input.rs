//! Reading untrusted input while collecting issues: a [`Reader`] over one object's members,
//! issue paths ([`field`], [`index`], the lazily rendered [`Path`]), type names for messages.
//! Validators read arbitrary input through these so that a value of the wrong type becomes an
//! issue with its path, never a panic or an early abort.
//!
//! Native callers hand in a `serde_json::Value`, the JS builders JSON text parsed into the
//! borrowed model ([`Json`]); [`AnyJson`] reads either, so each input rule is written once.

use crate::domain::error::Issue;
use crate::domain::json::{push_value, Doc, Json, ParseError, RawJson};
use serde_json::Value;

/// Parses JSON text into an owned `serde_json::Value` with the crate's own reader
/// ([`Doc`]), so the wasm links no second JSON parser (serde_json's deserializer).
pub(crate) fn parse_owned(text: &str) -> Result<Value, ParseError> {
    Doc::parse(text).map(|d| d.root().to_serde())
}

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
    invalid_type(path, type_name(v), expected)
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

/// `parts` separated by `sep` (for messages). A plain loop: `[&str]::join` would add a second
/// copy of the generic join next to the one for `[String]`.
pub(crate) fn join_strs(parts: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

/// Number of Unicode scalar values (what Meta's character limits count).
pub(crate) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Reads the members of one JSON object leniently, collecting an `invalid_type` issue for each
/// member of the wrong type (absent and `null` members read as "not given"). Hand-written
/// instead of `#[derive(Deserialize)]`: smaller wasm and an issue per field, with its path.
/// Reads either JSON model ([`AnyJson`]): the typed getters work for both; [`Reader::value`]
/// (the raw `serde_json::Value`) only for a reader made with [`Reader::new`].
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    obj: Option<AnyJson<'a>>,
    /// The members of a borrowed object, gathered in one pass: looking one up is then a scan
    /// of a few keys, not a walk of the document.
    members: Vec<(&'a str, AnyJson<'a>)>,
    base: &'a str,
    pub issues: Vec<Issue>,
}

impl<'a> Reader<'a> {
    /// `v` must be an object (else one issue at `base`).
    pub fn new(v: &'a Value, base: &'a str, expected: &str) -> Self {
        Self::of(AnyJson::Serde(v), base, expected)
    }

    /// [`new`](Self::new) for either JSON model.
    pub fn of(v: AnyJson<'a>, base: &'a str, expected: &str) -> Self {
        let mut issues = Vec::new();
        let obj = v.is_object().then_some(v);
        if obj.is_none() {
            issues.push(v.wrong_type(if base.is_empty() { "input" } else { base }, expected));
        }
        let mut members = Vec::new();
        if let AnyJson::Doc(Json::Object(o)) = v {
            members.reserve(o.len());
            for (k, v) in o.iter() {
                members.push((k, AnyJson::doc(v)));
            }
        }
        Reader {
            obj,
            members,
            base,
            issues,
        }
    }

    /// The member, if present and not null (the last of repeated keys).
    pub fn any(&self, key: &str) -> Option<AnyJson<'a>> {
        match self.obj {
            // The length first: it rules out most keys without a call.
            Some(AnyJson::Doc(_)) => self
                .members
                .iter()
                .rev()
                .find(|(k, _)| k.len() == key.len() && *k == key)
                .map(|(_, v)| *v),
            o => o.and_then(|o| o.get(key)),
        }
        .filter(|v| !v.is_null())
    }

    fn typed<T>(
        &mut self,
        key: &str,
        expected: &str,
        f: impl FnOnce(AnyJson<'a>) -> Option<T>,
    ) -> Option<T> {
        let v = self.any(key)?;
        let out = f(v);
        if out.is_none() {
            self.issues
                .push(v.wrong_type(&field(self.base, key), expected));
        }
        out
    }

    /// A string member (`""` when absent).
    pub fn string(&mut self, key: &str) -> String {
        self.opt_string(key).unwrap_or_default()
    }

    /// An optional string member.
    pub fn opt_string(&mut self, key: &str) -> Option<String> {
        self.opt_str(key).map(str::to_owned)
    }

    /// An optional string member, borrowed from the input.
    pub fn opt_str(&mut self, key: &str) -> Option<&'a str> {
        self.typed(key, "a string", AnyJson::as_str)
    }

    /// A string member borrowed from the input (`""` when absent).
    pub fn str(&mut self, key: &str) -> &'a str {
        self.opt_str(key).unwrap_or_default()
    }

    /// An optional boolean member.
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        self.typed(key, "a boolean", AnyJson::as_bool)
    }

    /// An optional non-negative whole number.
    pub fn opt_u64(&mut self, key: &str) -> Option<u64> {
        self.typed(key, "a whole number", |v| v.number()?.as_u64())
    }

    /// An optional whole number.
    pub fn opt_i64(&mut self, key: &str) -> Option<i64> {
        self.typed(key, "a whole number", |v| v.number()?.as_i64())
    }

    /// The path of a member.
    pub fn path(&self, key: &str) -> String {
        field(self.base, key)
    }

    /// `Ok(value)` when no issue was found.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Issue>> {
        if self.issues.is_empty() {
            Ok(value)
        } else {
            Err(self.issues)
        }
    }
}

#[cfg(test)]
mod int_tests {
    use super::join_strs;
    use crate::domain::json::{parse_i64, parse_u64};

    #[test]
    fn integers_read_like_std() {
        for s in [
            "0",
            "+7",
            "-0",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "9223372036854775808",
            "",
            "+",
            "-",
            "+-1",
            "-+1",
            "1a",
            " 1",
            "٣",
        ] {
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s:?}");
            assert_eq!(parse_i64(s), s.parse::<i64>().ok(), "{s:?}");
        }
        assert_eq!(join_strs(&["a", "b", "c"], ", "), "a, b, c");
        assert_eq!(join_strs(&[], ", "), "");
    }

    proptest::proptest! {
        #[test]
        fn integers_agree_with_std(s in "[-+]?[0-9]{0,21}|.{0,6}") {
            proptest::prop_assert_eq!(parse_u64(&s), s.parse::<u64>().ok());
            proptest::prop_assert_eq!(parse_i64(&s), s.parse::<i64>().ok());
        }
    }
}

// === Issue paths built lazily, for validators that walk the borrowed model (`Json`) ===========
// (validateTemplate). A valid input allocates no path: the chain lives on the stack and is only
// rendered when an issue is reported.

/// A JSON-path-like location as a chain of borrowed steps: `Path::ROOT.key("components").index(1)`
/// renders as `components[1]`, exactly what [`field`] / [`index`] build. `Copy`; rendering
/// ([`Path::render`], or `String::from`) allocates, building does not.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'p> {
    /// The whole input (`""`).
    Root,
    /// `parent.key` (`key` alone under the root). `key` may contain dots (`example.body_text`).
    Key(&'p Path<'p>, &'p str),
    /// `parent[i]`.
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    /// The root (`""`).
    pub const ROOT: Path<'static> = Path::Root;

    /// A path given as text (`"components[1].parameters"`), to extend lazily.
    pub const fn at(path: &'p str) -> Path<'p> {
        Path::Key(&Path::ROOT, path)
    }

    /// `self.key`.
    pub fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    /// `self[i]`.
    pub fn index(&'p self, i: usize) -> Path<'p> {
        Path::Index(self, i)
    }

    fn write(&self, out: &mut String) {
        match *self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                push_usize(out, i);
                out.push(']');
            }
        }
    }

    /// The path as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

impl From<Path<'_>> for String {
    fn from(p: Path<'_>) -> String {
        p.render()
    }
}

/// Appends `n` in decimal.
fn push_usize(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}

/// [`wrong_type`] for a value of the borrowed model, at a lazily built path.
pub(crate) fn wrong_kind(path: Path<'_>, v: Json<'_>, expected: &str) -> Issue {
    invalid_type(&path.render(), v.type_name(), expected)
}

/// The value as the serde-based reader saw it: a number too large for `f64` (`1e400`) reads as
/// `null`, because `serde_json::Number` has no infinity (see `Value::to_serde`).
#[inline]
pub(crate) fn finite(v: Json<'_>) -> Json<'_> {
    match v {
        Json::Number(n) if n.as_f64().is_none() => Json::Null,
        v => v,
    }
}

/// The member `key` of `v` when `v` is an object (`null` included; see [`finite`]), as
/// `serde_json::Value::get(key)`.
#[inline]
pub(crate) fn member<'a>(v: Json<'a>, key: &str) -> Option<Json<'a>> {
    v.as_object().and_then(|o| o.get(key)).map(finite)
}

#[cfg(test)]
mod path_tests {
    use super::{field, index, push_usize, Path};

    #[test]
    fn paths_render_like_field_and_index() {
        let c = Path::ROOT.key("components");
        let c3 = c.index(3);
        let b = c3.key("buttons");
        let b10 = b.index(10);
        assert_eq!(
            b10.key("url").render(),
            field(
                &index(&field(&index("components", 3), "buttons"), 10),
                "url"
            )
        );
        assert_eq!(Path::ROOT.render(), "");
        assert_eq!(Path::ROOT.index(0).render(), index("", 0));
        assert_eq!(
            c3.key("example.body_text").render(),
            "components[3].example.body_text"
        );
        for n in [0usize, 7, 10, 99, 12_345, usize::MAX] {
            let mut s = String::new();
            push_usize(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}

// ============================================================================================
// Reading either JSON model.
//
// Native callers hold a `serde_json::Value`; the JS builders parse their input text with
// [`Doc::parse`] and read it borrowed ([`Json`]), without building an owned copy. [`AnyJson`] is
// one view over both, so each input rule (the [`Reader`]'s getters, template values) is written
// once. A borrowed value reads exactly as its `serde_json::Value` (what [`parse_owned`] makes of
// it) would: numbers without a serde form (they overflow `f64`) read as `null`, and objects
// iterate in serde's order ([`AnyJson::members`]).
// ============================================================================================

/// A JSON value of either model (see the section comment). Cheap to copy.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AnyJson<'a> {
    /// An owned `serde_json::Value`.
    Serde(&'a Value),
    /// A value of a [`Doc`]; build it with [`AnyJson::doc`].
    Doc(Json<'a>),
}

/// The `invalid_type` issue: `path` must be `expected`, got `found` ("a string", "null", …).
pub(crate) fn invalid_type(path: &str, found: &str, expected: &str) -> Issue {
    Issue::error(
        path,
        "invalid_type",
        format!("{path} must be {expected}, got {found}."),
    )
}

impl<'a> AnyJson<'a> {
    /// A borrowed value, read as its serde form would be (a number that overflows is `null`).
    pub fn doc(v: Json<'a>) -> Self {
        AnyJson::Doc(finite(v))
    }

    /// The `serde_json::Value`, when that is the model.
    pub fn as_serde(self) -> Option<&'a Value> {
        match self {
            AnyJson::Serde(v) => Some(v),
            AnyJson::Doc(_) => None,
        }
    }

    /// The value as a `serde_json::Value` (borrowed when it is one, else converted).
    pub fn to_serde(self) -> std::borrow::Cow<'a, Value> {
        match self {
            AnyJson::Serde(v) => std::borrow::Cow::Borrowed(v),
            AnyJson::Doc(v) => std::borrow::Cow::Owned(v.to_serde()),
        }
    }

    /// "null", "a string", … (for messages).
    pub fn type_name(self) -> &'static str {
        match self {
            AnyJson::Serde(v) => type_name(v),
            AnyJson::Doc(v) => v.type_name(),
        }
    }

    /// The `invalid_type` issue for this value at `path`.
    pub fn wrong_type(self, path: &str, expected: &str) -> Issue {
        invalid_type(path, self.type_name(), expected)
    }

    /// `null`?
    pub fn is_null(self) -> bool {
        match self {
            AnyJson::Serde(v) => v.is_null(),
            AnyJson::Doc(v) => v.is_null(),
        }
    }

    /// A string?
    pub fn is_string(self) -> bool {
        self.as_str().is_some()
    }

    /// An object?
    pub fn is_object(self) -> bool {
        match self {
            AnyJson::Serde(v) => v.is_object(),
            AnyJson::Doc(v) => v.is_object(),
        }
    }

    /// The string.
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            AnyJson::Serde(v) => v.as_str(),
            AnyJson::Doc(v) => v.as_str(),
        }
    }

    /// The boolean.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            AnyJson::Serde(v) => v.as_bool(),
            AnyJson::Doc(v) => v.as_bool(),
        }
    }

    /// The number, as serde holds it (so `-0`, integers and floats read the same in both models).
    pub fn number(self) -> Option<serde_json::Number> {
        match self {
            AnyJson::Serde(Value::Number(n)) => Some(n.clone()),
            AnyJson::Doc(v @ Json::Number(_)) => match v.to_serde() {
                Value::Number(n) => Some(n),
                _ => None,
            },
            _ => None,
        }
    }

    /// A member of an object (the last of repeated keys), `null` included.
    pub fn get(self, key: &str) -> Option<AnyJson<'a>> {
        match self {
            AnyJson::Serde(v) => v.get(key).map(AnyJson::Serde),
            AnyJson::Doc(v) => v.get(key).map(AnyJson::doc),
        }
    }

    /// The items of an array (`false`, names empty) or the members of an object (`true`) in
    /// `serde_json::Map`'s order: keys sorted, the last of repeated keys kept.
    pub fn entries(self) -> Option<(bool, Vec<(&'a str, AnyJson<'a>)>)> {
        let mut out: Vec<(&'a str, AnyJson<'a>)> = Vec::new();
        let object = match self {
            AnyJson::Serde(Value::Array(a)) => {
                out.reserve(a.len());
                for v in a {
                    out.push(("", AnyJson::Serde(v)));
                }
                false
            }
            AnyJson::Doc(Json::Array(a)) => {
                out.reserve(a.len());
                for v in a.iter() {
                    out.push(("", AnyJson::doc(v)));
                }
                false
            }
            AnyJson::Serde(Value::Object(o)) => {
                out.reserve(o.len());
                for (k, v) in o {
                    out.push((k, AnyJson::Serde(v)));
                }
                true
            }
            AnyJson::Doc(Json::Object(o)) => {
                out.extend(o.sorted().into_iter().map(|(k, v)| (k, AnyJson::doc(v))));
                true
            }
            _ => return None,
        };
        Some((object, out))
    }
}

impl RawJson {
    /// The text of either JSON model's value: a borrowed value's exact text (numbers as they
    /// were written), a `serde_json::Value` written out.
    #[inline(never)] // one copy for every caller (template fields, component parameters)
    pub(crate) fn of_any(v: AnyJson<'_>) -> Self {
        match v {
            AnyJson::Doc(j) => RawJson::of(j),
            AnyJson::Serde(v) => {
                let mut out = String::new();
                push_value(&mut out, v);
                RawJson::trusted(out)
            }
        }
    }
}
