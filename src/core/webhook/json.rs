//! A small JSON reader and writer for webhook bodies.
//!
//! Why not serde here: one derived decoder per payload shape cost ~100 KB of wasm, and any serde
//! decoding links serde's float formatting for its error messages (~25 KB). Webhooks need much
//! less: validate the body once (RFC 8259 grammar, nesting ≤ 128), then walk objects as
//! `(key, raw value)` pairs borrowed from the input, decode only the few strings and integers the
//! events carry, and forward every payload as its exact JSON text. The writer emits the events'
//! JSON directly.
//!
//! Everything is panic-free on arbitrary input: bytes are read with `get`, and slicing only
//! happens at ASCII delimiters found by the scanner.

use std::borrow::Cow;

/// Deepest nesting accepted (the same limit as serde_json's default).
const MAX_DEPTH: u32 = 128;

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// A syntax error: what was expected, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) message: &'static str,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// A validated JSON document and its index: the end of every string, array and object, found
/// by the one validation pass, so walking into nested values never rescans what they contain.
#[derive(Debug)]
pub(crate) struct Doc<'t> {
    text: &'t str,
    /// `(start, end)` of every string, array and object, sorted by `start` (pre-order).
    spans: Vec<(usize, usize)>,
    root: (usize, usize),
}

impl<'t> Doc<'t> {
    /// The top-level value.
    pub(crate) fn root(&self) -> Raw<'_> {
        Raw {
            doc: self,
            start: self.root.0,
            end: self.root.1,
        }
    }

    /// The end of the value starting at `i`.
    fn end_of(&self, i: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        match b.get(i)? {
            b'"' | b'{' | b'[' => {
                let k = self.spans.binary_search_by_key(&i, |&(s, _)| s).ok()?;
                self.spans.get(k).map(|&(_, e)| e)
            }
            _ => {
                let mut j = i;
                while let Some(c) = b.get(j) {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    j += 1;
                }
                Some(j)
            }
        }
    }

    fn raw(&self, start: usize, end: usize) -> Raw<'_> {
        Raw {
            doc: self,
            start,
            end,
        }
    }
}

/// A value of a validated document: its exact text, without surrounding blanks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a> {
    doc: &'a Doc<'a>,
    start: usize,
    end: usize,
}

impl<'a> Raw<'a> {
    /// The exact JSON text.
    #[inline]
    pub(crate) fn text(self) -> &'a str {
        self.doc.text.get(self.start..self.end).unwrap_or("null")
    }

    /// The exact JSON text as bytes (no char-boundary check: spans start and end at ASCII).
    #[inline]
    fn bytes(self) -> &'a [u8] {
        self.doc
            .text
            .as_bytes()
            .get(self.start..self.end)
            .unwrap_or(b"null")
    }

    #[inline]
    pub(crate) fn kind(self) -> Kind {
        match self.doc.text.as_bytes().get(self.start) {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') | None => Kind::Null,
            Some(_) => Kind::Number,
        }
    }

    /// The string's value (escapes decoded; lone surrogates become U+FFFD).
    pub(crate) fn as_str(self) -> Option<Cow<'a, str>> {
        if self.kind() != Kind::String {
            return None;
        }
        let text = self.text();
        let inner = text.get(1..text.len().checked_sub(1)?)?;
        if !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        Some(Cow::Owned(unescape(inner)))
    }

    /// The items of an array.
    pub(crate) fn items(self) -> Option<Vec<Raw<'a>>> {
        if self.kind() != Kind::Array {
            return None;
        }
        let doc = self.doc;
        let b = doc.text.as_bytes();
        let mut out = Vec::new();
        let mut i = skip_ws(b, self.start + 1);
        if b.get(i) == Some(&b']') {
            return Some(out);
        }
        loop {
            let end = doc.end_of(i)?;
            out.push(doc.raw(i, end));
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b']') => return Some(out),
                _ => return None,
            }
        }
    }
}

/// Validates `text` as one JSON document and indexes it.
pub(crate) fn parse(text: &str) -> Result<Doc<'_>, SyntaxError> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    let mut v = Validator {
        b,
        i: start,
        // About one string or container per 12 bytes in Meta's payloads: no regrowth in practice.
        spans: Vec::with_capacity(b.len() / 12 + 8),
    };
    let err = |v: &Validator<'_>, message| {
        let (line, column) = line_column(b, v.i);
        SyntaxError {
            message,
            line,
            column,
        }
    };
    if let Err(message) = v.value(0) {
        return Err(err(&v, message));
    }
    let end = v.i;
    v.i = skip_ws(b, end);
    if v.i != b.len() {
        return Err(err(&v, "trailing characters after the JSON value"));
    }
    Ok(Doc {
        text,
        spans: v.spans,
        root: (start, end),
    })
}

fn line_column(b: &[u8], at: usize) -> (usize, usize) {
    let before = b.get(..at).unwrap_or(b);
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&c| c != b'\n').count() + 1;
    (line, column)
}

#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

struct Validator<'a> {
    b: &'a [u8],
    i: usize,
    spans: Vec<(usize, usize)>,
}

type Check = Result<(), &'static str>;

impl Validator<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        self.i = skip_ws(self.b, self.i);
    }

    fn value(&mut self, depth: u32) -> Check {
        match self.peek() {
            Some(b'{') => self.container(depth, b'}'),
            Some(b'[') => self.container(depth, b']'),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err("expected a JSON value"),
            None => Err("unexpected end of input"),
        }
    }

    fn container(&mut self, depth: u32, close: u8) -> Check {
        if depth >= MAX_DEPTH {
            return Err("nesting too deep");
        }
        let slot = self.spans.len();
        self.spans.push((self.i, self.i));
        let r = self.container_body(depth, close);
        if let Some(span) = self.spans.get_mut(slot) {
            span.1 = self.i;
        }
        r
    }

    fn container_body(&mut self, depth: u32, close: u8) -> Check {
        self.i += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            return Ok(());
        }
        loop {
            if close == b'}' {
                if self.peek() != Some(b'"') {
                    return Err("expected a string key");
                }
                self.string()?;
                self.ws();
                if self.peek() != Some(b':') {
                    return Err("expected `:`");
                }
                self.i += 1;
                self.ws();
            }
            self.value(depth + 1)?;
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(c) if c == close => {
                    self.i += 1;
                    return Ok(());
                }
                None => return Err("unexpected end of input"),
                Some(_) => return Err("expected `,` or the end of the object/array"),
            }
        }
    }

    fn string(&mut self) -> Check {
        let start = self.i;
        let r = self.string_body();
        self.spans.push((start, self.i));
        r
    }

    fn string_body(&mut self) -> Check {
        // A local index and one test per plain byte: this loop runs over every byte of every
        // string (message text is most of a body).
        let b = self.b;
        let mut i = self.i + 1;
        loop {
            let Some(&c) = b.get(i) else {
                self.i = i;
                return Err("unterminated string");
            };
            if c >= 0x20 && c != b'"' && c != b'\\' {
                i += 1;
                continue;
            }
            match c {
                b'"' => {
                    self.i = i + 1;
                    return Ok(());
                }
                b'\\' => {
                    i += 1;
                    match b.get(i) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 1,
                        Some(b'u') => {
                            let hex = b.get(i + 1..i + 5);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                self.i = i;
                                return Err("invalid \\u escape");
                            }
                            i += 5;
                        }
                        _ => {
                            self.i = i;
                            return Err("invalid escape");
                        }
                    }
                }
                _ => {
                    self.i = i;
                    return Err("control character in string");
                }
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Check {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err("expected `true`, `false` or `null`")
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Check {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err("invalid number"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        Ok(())
    }
}

fn hex4(s: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for c in s.get(..4)? {
        n = n * 16 + char::from(*c).to_digit(16)?;
    }
    Some(n)
}

/// Decodes the escapes of a validated string body.
fn unescape(inner: &str) -> String {
    let b = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    let mut plain_from = 0;
    while let Some(&c) = b.get(i) {
        if c != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(inner.get(plain_from..i).unwrap_or(""));
        let esc = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match esc {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = b.get(i..).and_then(hex4).unwrap_or(0xFFFD);
                i += 4;
                let ch = if (0xD800..0xDC00).contains(&hi)
                    && b.get(i) == Some(&b'\\')
                    && b.get(i + 1) == Some(&b'u')
                {
                    match b.get(i + 2..).and_then(hex4) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        }
                        _ => None,
                    }
                } else {
                    char::from_u32(hi)
                };
                out.push(ch.unwrap_or('\u{FFFD}'));
            }
            other => out.push(char::from(other)),
        }
        plain_from = i;
    }
    out.push_str(inner.get(plain_from..).unwrap_or(""));
    out
}

/// The members of a JSON object, in document order.
pub(crate) struct Object<'a>(Vec<(Raw<'a>, Raw<'a>)>);

impl<'a> Object<'a> {
    /// Reads a validated value as an object (`None` for another type).
    pub(crate) fn of(raw: Raw<'a>) -> Option<Self> {
        if raw.kind() != Kind::Object {
            return None;
        }
        let doc = raw.doc;
        let b = doc.text.as_bytes();
        let mut pairs = Vec::with_capacity(8);
        let mut i = skip_ws(b, raw.start + 1);
        if b.get(i) == Some(&b'}') {
            return Some(Object(pairs));
        }
        loop {
            let key_end = doc.end_of(i)?;
            let key = doc.raw(i, key_end);
            i = skip_ws(b, key_end);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let end = doc.end_of(i)?;
            pairs.push((key, doc.raw(i, end)));
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => return Some(Object(pairs)),
                _ => return None,
            }
        }
    }

    /// The value of `key` (the last one if repeated, as `JSON.parse` does), `null` included.
    pub(crate) fn member(&self, key: &str) -> Option<Raw<'a>> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| key_is(*k, key))
            .map(|(_, v)| *v)
    }

    /// The value of `key`; `null` counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<Raw<'a>> {
        self.member(key).filter(|v| v.kind() != Kind::Null)
    }

    /// `get` when the value has JSON type `k`.
    pub(crate) fn get_kind(&self, key: &str, k: Kind) -> Option<Raw<'a>> {
        self.get(key).filter(|v| v.kind() == k)
    }

    /// A string member.
    pub(crate) fn string(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).and_then(Raw::as_str)
    }

    /// A string member, owned.
    pub(crate) fn owned(&self, key: &str) -> Option<String> {
        self.string(key).map(Cow::into_owned)
    }

    /// An id Meta sends as a string or as a non-negative integer, as a string (exact, even
    /// above 2^53).
    pub(crate) fn id(&self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.kind() {
            Kind::String => v.as_str().map(Cow::into_owned),
            Kind::Number if v.text().bytes().all(|b| b.is_ascii_digit()) => {
                Some(v.text().to_owned())
            }
            _ => None,
        }
    }

    /// Unix seconds sent as a digit string or an integer.
    pub(crate) fn unix(&self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        let text = match v.kind() {
            Kind::String => v.as_str()?,
            Kind::Number => Cow::Borrowed(v.text()),
            _ => return None,
        };
        super::window::parse_unix_seconds(&text, key).ok()
    }

    /// An array member's items.
    pub(crate) fn array(&self, key: &str) -> Option<Vec<Raw<'a>>> {
        self.get(key).and_then(Raw::items)
    }

    /// Whether `key` holds an object whose `field` is a string.
    pub(crate) fn has_string_in(&self, key: &str, field: &str) -> bool {
        self.get(key)
            .and_then(Object::of)
            .is_some_and(|o| o.get_kind(field, Kind::String).is_some())
    }
}

/// Whether the raw key string (with quotes) equals `key`.
fn key_is(raw: Raw<'_>, key: &str) -> bool {
    let b = raw.bytes();
    let inner = b.get(1..b.len().saturating_sub(1)).unwrap_or(b"");
    if inner == key.as_bytes() {
        return true;
    }
    // Rare: an escaped key (`"k\u0065y"`) can still spell `key`; escapes only ever make the
    // raw text longer than what it spells, so shorter or equal-length keys are settled here.
    inner.len() > key.len()
        && inner.contains(&b'\\')
        && raw
            .text()
            .get(1..b.len().saturating_sub(1))
            .is_some_and(|t| unescape(t) == key)
}

/// Appends `s` as a JSON string literal. Only ASCII bytes are ever escaped, so the scan is
/// over bytes and every cut falls on a char boundary.
// `push_str("\"")`, not `push('"')`: `String::push` stays an out-of-line UTF-8 encoder at "z".
#[allow(clippy::single_char_add_str)]
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push_str("\"");
    let mut plain_from = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let esc = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            c if c < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(plain_from..i).unwrap_or(""));
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(c >> 4));
            out.push(hex_digit(c));
        } else {
            out.push_str(esc);
        }
        plain_from = i + 1;
    }
    out.push_str(s.get(plain_from..).unwrap_or(""));
    out.push_str("\"");
}

/// The lowercase hex digit of the low 4 bits of `n`.
#[inline]
fn hex_digit(n: u8) -> char {
    char::from(
        b"0123456789abcdef"
            .get(usize::from(n & 0x0f))
            .copied()
            .unwrap_or(b'0'),
    )
}

/// Appends the decimal digits of `n` (no `fmt` machinery on the hot path).
pub(crate) fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut v = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        if let Some(d) = digits.get_mut(len) {
            // `v % 10` < 10, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            let digit = (v % 10) as u8;
            *d = b'0' + digit;
        }
        len += 1;
        v /= 10;
        if v == 0 || len >= digits.len() {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// Writes one JSON object member by member.
pub(crate) struct ObjectWriter<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> ObjectWriter<'o> {
    pub(crate) fn new(out: &'o mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    /// `key` must be a plain ASCII name (it is written without escaping).
    fn key(&mut self, key: &str) {
        self.out.push_str(if self.first { "\"" } else { ",\"" });
        self.first = false;
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    pub(crate) fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str(self.out, value);
    }

    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    pub(crate) fn int(&mut self, key: &str, value: i64) {
        self.key(key);
        push_int(self.out, value);
    }

    pub(crate) fn opt_int(&mut self, key: &str, value: Option<i64>) {
        if let Some(v) = value {
            self.int(key, v);
        }
    }

    /// A member whose value is already JSON text.
    pub(crate) fn json(&mut self, key: &str, json: &str) {
        self.key(key);
        self.out.push_str(json);
    }

    pub(crate) fn opt_json(&mut self, key: &str, json: Option<&str>) {
        if let Some(j) = json {
            self.json(key, j);
        }
    }

    pub(crate) fn end(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_like_a_json_parser() {
        for ok in [
            "0",
            "-0.5e+10",
            " {\"a\" : [1, 2.5, true, false, null, \"x\\u00e9\\n\"] } ",
            "[]",
            "{}",
            "\"\\ud83c\\udf89\"",
            "[[[[]]]]",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
            assert!(serde_json::from_str::<serde_json::Value>(ok).is_ok());
        }
        for bad in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "1.",
            "1e",
            "-",
            "+1",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\nb\"",
            "tru",
            "nul",
            "[1 2]",
            "{\"a\" 1}",
            "1 2",
            "\"open",
            "NaN",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(parse(&deep).unwrap_err().message, "nesting too deep");
        let e = parse("{\n  \"a\": tru }").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
    }

    #[test]
    fn reads_members_lazily() {
        let doc = parse(
            r#"{"a":"x\u00e9","n":12345678901234567890,"t":"1700000000","z":null,"arr":[1,{"b":2}, "s"],"a2":{"k":"v"},"a":"last","k\u0065y":"escaped key"}"#,
        )
        .unwrap();
        let o = Object::of(doc.root()).unwrap();
        assert_eq!(o.string("a").as_deref(), Some("last"));
        assert_eq!(o.id("n").as_deref(), Some("12345678901234567890"));
        assert_eq!(o.unix("t"), Some(1_700_000_000));
        assert!(o.get("z").is_none());
        assert!(o.member("z").is_some());
        let arr = o.array("arr").unwrap();
        assert_eq!(
            arr.iter().map(|r| r.text()).collect::<Vec<_>>(),
            ["1", "{\"b\":2}", "\"s\""]
        );
        assert!(o.has_string_in("a2", "k"));
        assert!(!o.has_string_in("a2", "missing"));
        assert!(o.string("n").is_none());
        assert_eq!(o.string("key").as_deref(), Some("escaped key"));
        let s = parse(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83c\udf89\ud800x""#).unwrap();
        assert_eq!(
            s.root().as_str().unwrap(),
            "a\"b\\c/d\u{8}\u{c}\n\r\té🎉\u{FFFD}x"
        );
        assert!(Object::of(parse("[1]").unwrap().root()).is_none());
        assert_eq!(parse("[]").unwrap().root().items().unwrap().len(), 0);
        assert_eq!(Object::of(parse("{ }").unwrap().root()).unwrap().0.len(), 0);
    }

    #[test]
    fn writes_strings_json_parse_can_read() {
        let tricky = "quote\" back\\ nl\n cr\r tab\t nul\u{0} bell\u{7} é 🎉 \u{2028}";
        let mut out = String::new();
        write_str(&mut out, tricky);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), tricky);
        let mut obj = String::new();
        let mut w = ObjectWriter::new(&mut obj);
        w.str("a", "x");
        w.int("n", -5);
        w.int("min", i64::MIN);
        w.int("zero", 0);
        w.opt_str("skip", None);
        w.json("j", "[1,{\"b\":null}]");
        w.end();
        assert_eq!(
            obj,
            r#"{"a":"x","n":-5,"min":-9223372036854775808,"zero":0,"j":[1,{"b":null}]}"#
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn agrees_with_serde_json_on_validity(s in "[\\[\\]{}\":,0-9a-tv-z\\\\. \\-+eE]{0,40}") {
                prop_assert_eq!(parse(&s).is_ok(), serde_json::from_str::<serde_json::Value>(&s).is_ok(), "{:?}", s);
            }

            #[test]
            fn strings_roundtrip(s in "\\PC{0,40}") {
                let mut out = String::new();
                write_str(&mut out, &s);
                let doc = parse(&out).unwrap();
                prop_assert_eq!(doc.root().as_str().unwrap(), s.as_str());
            }

            #[test]
            fn any_string_roundtrips_through_the_writer(s in any::<String>()) {
                // Control characters, quotes, backslashes and non-ASCII included.
                let mut out = String::new();
                write_str(&mut out, &s);
                prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s.clone());
                let doc = parse(&out).unwrap();
                prop_assert_eq!(doc.root().as_str().unwrap(), s.as_str());
            }

            #[test]
            fn integers_are_written_like_to_string(n in any::<i64>()) {
                let mut out = String::new();
                push_int(&mut out, n);
                prop_assert_eq!(out, n.to_string());
            }

            #[test]
            fn walking_arbitrary_text_never_panics(s in "\\PC{0,80}") {
                if let Ok(doc) = parse(&s) {
                    let raw = doc.root();
                    if let Some(o) = Object::of(raw) {
                        let _ = (o.string("a"), o.id("a"), o.unix("a"), o.array("a"));
                    }
                    let _ = (raw.items(), raw.as_str());
                }
            }
        }
    }
}
