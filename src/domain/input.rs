//! Reading untrusted input while collecting issues: a [`Reader`] over one object's members,
//! issue paths ([`field`], [`index`], the lazily rendered [`Path`]), type names for messages.
//! Validators read arbitrary input through these so that a value of the wrong type becomes an
//! issue with its path, never a panic or an early abort.
//!
//! Every input, native or from JS, is JSON text parsed once into the borrowed model ([`Json`],
//! [`Doc::parse`]) and read from there: each input rule is written once, over one model.

use crate::domain::error::Issue;
use crate::domain::json::{Doc, Json};

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

/// An `invalid_type` issue: `path` must be `expected`.
pub(crate) fn wrong_type(path: &str, v: Json<'_>, expected: &str) -> Issue {
    invalid_type(path, v.type_name(), expected)
}

/// Parses one JSON input given as text; text that is not JSON is one `invalid_json` issue at
/// `path` (`what` names the input in the message).
pub(crate) fn parse_input<'t>(text: &'t str, path: &str, what: &str) -> Result<Doc<'t>, Issue> {
    Doc::parse(text).map_err(|e| {
        Issue::error(
            path,
            "invalid_json",
            format!("{what} is not valid JSON ({e})."),
        )
    })
}

/// `parts` separated by `sep` (for messages). A plain loop: `[&str]::join` would add a second
/// copy of the generic join next to the one for `[String]`.
pub(crate) fn join_strs<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
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

/// Reads one input object given as JSON text with `read` (the type's reader, also used by the JS
/// builders); text that is not JSON is one `invalid_json` issue at `input`.
pub(crate) fn read_text<T>(text: &str, read: fn(&mut Reader<'_>) -> T) -> Result<T, Vec<Issue>> {
    let doc = parse_input(text, "input", "The input").map_err(|i| vec![i])?;
    let mut r = Reader::of(doc.root(), "", "an object");
    let value = read(&mut r);
    r.finish(value)
}

/// Reads the members of one JSON object leniently, collecting an `invalid_type` issue for each
/// member of the wrong type (absent and `null` members read as "not given"; a number that
/// overflows `f64` reads as `null`, see [`finite`]). An issue per field, with its path, rendered
/// only when there is an issue.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    /// The members, gathered in one pass: looking one up is then a scan of a few keys, not a
    /// walk of the document (measured: a parameter object is looked up ~20 times).
    members: Vec<(&'a str, Json<'a>)>,
    base: Path<'a>,
    pub issues: Vec<Issue>,
}

impl<'a> Reader<'a> {
    /// `v` must be an object (else one issue at `base`, or `input` at the root).
    pub fn of(v: Json<'a>, base: &'a str, expected: &str) -> Self {
        Self::at(v, Path::at(base), expected)
    }

    /// [`of`](Self::of) at a lazily built path.
    pub fn at(v: Json<'a>, base: Path<'a>, expected: &str) -> Self {
        let mut issues = Vec::new();
        let mut members = Vec::new();
        match v {
            Json::Object(o) => {
                members.reserve(o.len());
                for (k, v) in o.iter() {
                    members.push((k, finite(v)));
                }
            }
            v => {
                let at = base.render();
                let at = if at.is_empty() { "input" } else { &at };
                issues.push(wrong_type(at, finite(v), expected));
            }
        }
        Reader {
            members,
            base,
            issues,
        }
    }

    /// The member, if present and not null (the last of repeated keys).
    pub fn any(&self, key: &str) -> Option<Json<'a>> {
        // The last of repeated keys; the length first: it rules out most keys without a call.
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k.len() == key.len() && *k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }

    fn typed<T>(
        &mut self,
        key: &str,
        expected: &str,
        f: impl FnOnce(Json<'a>) -> Option<T>,
    ) -> Option<T> {
        let v = self.any(key)?;
        let out = f(v);
        if out.is_none() {
            self.issues.push(wrong_type(&self.path(key), v, expected));
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
        self.typed(key, "a string", Json::as_str)
    }

    /// A string member borrowed from the input (`""` when absent).
    pub fn str(&mut self, key: &str) -> &'a str {
        self.opt_str(key).unwrap_or_default()
    }

    /// An optional boolean member.
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        self.typed(key, "a boolean", Json::as_bool)
    }

    /// An optional non-negative whole number.
    pub fn opt_u64(&mut self, key: &str) -> Option<u64> {
        self.typed(key, "a whole number", whole_u64)
    }

    /// An optional whole number.
    pub fn opt_i64(&mut self, key: &str) -> Option<i64> {
        self.typed(key, "a whole number", Json::as_i64)
    }

    /// The path of a member.
    pub fn path(&self, key: &str) -> String {
        self.base.key(key).render()
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
mod join_tests {
    use super::join_strs;

    #[test]
    fn join_strs_separates_the_parts() {
        assert_eq!(join_strs(&["a", "b", "c"], ", "), "a, b, c");
        assert_eq!(join_strs::<&str>(&[], ", "), "");
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
        use std::fmt::Write;
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
                let _ = write!(out, "[{i}]");
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

/// [`wrong_type`] at a lazily built path.
pub(crate) fn wrong_kind(path: Path<'_>, v: Json<'_>, expected: &str) -> Issue {
    invalid_type(&path.render(), v.type_name(), expected)
}

/// A number too large for `f64` (`1e400`) reads as `null` (as in `JSON.parse`, which makes it
/// `Infinity`, and `JSON.stringify`, which writes that as `null`).
#[inline]
pub(crate) fn finite(v: Json<'_>) -> Json<'_> {
    match v {
        Json::Number(n) if n.as_f64().is_none() => Json::Null,
        v => v,
    }
}

/// The member `key` of `v` when `v` is an object (`null` included; see [`finite`]).
#[inline]
pub(crate) fn member<'a>(v: Json<'a>, key: &str) -> Option<Json<'a>> {
    v.as_object().and_then(|o| o.get(key)).map(finite)
}

#[cfg(test)]
mod path_tests {
    use super::{field, index, Path};

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
            assert_eq!(c.index(n).render(), format!("components[{n}]"));
        }
    }
}

/// The `invalid_type` issue: `path` must be `expected`, got `found` ("a string", "null", …).
pub(crate) fn invalid_type(path: &str, found: &str, expected: &str) -> Issue {
    Issue::error(
        path,
        "invalid_type",
        format!("{path} must be {expected}, got {found}."),
    )
}

/// A whole number that is not negative: integer text that fits `u64`, and `-0` (an integer that
/// fits `i64` and is not negative reads the same, whatever its sign).
pub(crate) fn whole_u64(v: Json<'_>) -> Option<u64> {
    v.as_i64()
        .and_then(|i| u64::try_from(i).ok())
        .or_else(|| v.as_u64())
}

/// The items of an array (`false`, names empty) or the members of an object (`true`) with keys
/// sorted, the last of repeated keys kept; every value as [`finite`] reads it. `None` for other
/// types.
pub(crate) fn entries(v: Json<'_>) -> Option<(bool, Vec<(&str, Json<'_>)>)> {
    match v {
        Json::Array(a) => Some((false, a.iter().map(|v| ("", finite(v))).collect())),
        Json::Object(o) => Some((
            true,
            o.sorted()
                .into_iter()
                .map(|(k, v)| (k, finite(v)))
                .collect(),
        )),
        _ => None,
    }
}
