//! A borrowed JSON document model for untrusted input: [`Doc::parse`] validates the text once
//! (RFC 8259, nesting ≤ 128) and records every value in one flat array ("tape"); [`Value`] is a
//! small `Copy` view into it with a `serde_json::Value`-like API (`get`, `as_str`, `as_array`,
//! `as_object`, `as_u64`, `as_i64`, `as_f64`, `as_bool`, `is_null`, iteration over items and
//! members), so code written against serde's `Value` ports by changing types, not logic.
//!
//! Why not `serde_json::Value`: it allocates a `String` per key and string and a `BTreeMap` per
//! object, and its visitor-based decoder is slow at `opt-level = "z"`. Here a document costs
//! one allocation (the tape; strings are borrowed from the input, except those with escapes,
//! which are decoded when first read — webhook message text is forwarded, never decoded), and
//! looking a member up is a scan of a few tape entries.
//!
//! Differences from `serde_json::Value` to know about:
//! * objects iterate in document order (serde: sorted keys); [`Object::sorted`] gives serde's
//!   order (keys sorted, the last of repeated keys wins). [`Object::get`] returns the last of
//!   repeated keys, as `JSON.parse` and serde do;
//! * numbers keep their text: [`Number::as_u64`] / [`Number::as_i64`] are `Some` only for
//!   integers written without fraction or exponent that fit (as in serde);
//! * a lone UTF-16 surrogate in a `\u` escape becomes U+FFFD instead of an error.
//!
//! Every value also keeps where it was in the text, so arrays, objects and numbers give their
//! exact JSON text ([`Array::text`], [`Object::text`], [`Value::text`]), and so does any item or
//! member read with [`Array::iter_with_text`] / [`Object::get_with_text`] (strings as written,
//! quotes and escapes included): webhook events forward Meta's payloads byte for byte this way.
//!
//! Everything is panic-free on arbitrary input (property-tested): bytes are read with `get`, and
//! text is only sliced at ASCII delimiters found by the scanner.

use std::cell::OnceCell;
use std::fmt;

/// Deepest nesting accepted (serde_json's default limit).
const MAX_DEPTH: u32 = 128;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const NUMBER: u8 = 3;
/// A string whose value is `text[a..b]` (no escapes).
const STR: u8 = 4;
/// A string with escapes, written `text[s..e]`; its value is decoded on first read into
/// `strings[a]`.
const STR_ESCAPED: u8 = 5;
/// `a`: tape index after the last item; `b`: item count.
const ARRAY: u8 = 6;
/// `a`: tape index after the last member; `b`: member count. Members are key, value, key, ….
const OBJECT: u8 = 7;

/// What [`Doc::node`] reads past the end of the tape (never for a walked index).
const NULL_NODE: Node = Node {
    tag: NULL,
    a: 0,
    b: 0,
    s: 0,
    e: 0,
};

/// One value of the tape: `tag`, two tag-specific numbers (`a`, `b`, see the tags), and
/// `text[s..e]`, the value's exact JSON text (for every tag).
#[derive(Debug, Clone, Copy)]
struct Node {
    tag: u8,
    a: u32,
    b: u32,
    s: u32,
    e: u32,
}

/// A validated JSON document (see the module docs).
#[derive(Debug)]
pub struct Doc<'t> {
    text: &'t str,
    tape: Vec<Node>,
    /// The values of the strings with escapes, decoded when first read.
    strings: Vec<OnceCell<String>>,
}

/// Why a text is not JSON, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// `true` when the text ended too early.
    pub eof: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in bytes).
    pub column: usize,
    /// The byte where reading stopped (`None` at the end of the text).
    pub found: Option<u8>,
}

impl fmt::Display for ParseError {
    /// `unexpected 'x' at line 1, column 2`: what a person needs to find the mistake.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.found {
            _ if self.eof => f.write_str("unexpected end")?,
            Some(c) if c.is_ascii_graphic() => write!(f, "unexpected '{}'", char::from(c))?,
            Some(b' ') => f.write_str("unexpected space")?,
            Some(c) if c < 0x20 => f.write_str("unexpected control character (escape it)")?,
            Some(_) => f.write_str("unexpected character")?,
            None => f.write_str("syntax error")?,
        }
        write!(f, " at line {}, column {}", self.line, self.column)
    }
}

impl<'t> Doc<'t> {
    /// Validates `text` as exactly one JSON value (blanks around it allowed) and indexes it.
    pub fn parse(text: &'t str) -> Result<Self, ParseError> {
        let b = text.as_bytes();
        let too_big = u32::try_from(b.len()).is_err();
        let mut p = Parser {
            b,
            i: 0,
            tape: Vec::with_capacity(tape_bound(b)),
            escaped: 0,
        };
        p.ws();
        let ok = !too_big && p.value(0).is_some() && {
            p.ws();
            p.i == b.len()
        };
        if !ok {
            let at = p.i.min(b.len());
            let before = b.get(..at).unwrap_or(b);
            return Err(ParseError {
                eof: at >= b.len(),
                found: b.get(at).copied(),
                line: before.iter().filter(|&&c| c == b'\n').count() + 1,
                column: before.iter().rev().take_while(|&&c| c != b'\n').count() + 1,
            });
        }
        Ok(Doc {
            text,
            tape: p.tape,
            strings: (0..p.escaped).map(|_| OnceCell::new()).collect(),
        })
    }

    /// The top-level value.
    pub fn root(&self) -> Value<'_> {
        self.value(0)
    }

    #[inline(always)]
    fn node(&self, i: usize) -> Node {
        // A reference to a constant, not a `Node` built per call: at opt-level "z" the fallback
        // was written to the stack on every lookup.
        *self.tape.get(i).unwrap_or(&NULL_NODE)
    }

    /// The exact JSON text of the value at `i` (`""` past the end: never for a walked index).
    #[inline]
    fn text_at(&self, i: usize) -> &'t str {
        let n = self.node(i);
        Self::span(self.text, n.s, n.e)
    }

    /// The exact JSON text of the top-level value (without the blanks around it).
    pub fn text(&self) -> &'t str {
        self.text_at(0)
    }

    /// The value of a string with escapes (decoded once, on first read).
    #[inline(never)]
    fn unescaped(&self, n: Node) -> &str {
        let Some(cell) = self.strings.get(n.a as usize) else {
            return "";
        };
        cell.get_or_init(|| unescape(Self::span(self.text, n.s + 1, n.e.saturating_sub(1))))
    }

    /// Whether the object key at `i` is `key`.
    #[inline(always)]
    fn key_is(&self, i: usize, key: &str) -> bool {
        // By reference: a copied `Node` is spilled to the stack per key at opt-level "z".
        let n = self.tape.get(i).unwrap_or(&NULL_NODE);
        match n.tag {
            // Bytes, not `str::get`: no char-boundary checks on the hot lookup path.
            // Length first, then a plain loop (`==` on slices is three calls and a `memcmp` at
            // opt-level "z").
            STR => {
                n.b.wrapping_sub(n.a) as usize == key.len()
                    && self
                        .text
                        .as_bytes()
                        .get(n.a as usize..n.b as usize)
                        .is_some_and(|k| super::scan::same_bytes(k, key.as_bytes()))
            }
            // Rare (`"k\u0065y"`); an escape is longer than what it spells.
            STR_ESCAPED => {
                n.e.saturating_sub(n.s) as usize > key.len() + 2 && self.unescaped(*n) == key
            }
            _ => false,
        }
    }

    /// The tape index after the value at `i`.
    #[inline(always)]
    fn next(&self, i: usize) -> usize {
        let n = self.tape.get(i).unwrap_or(&NULL_NODE);
        match n.tag {
            ARRAY | OBJECT => n.a as usize,
            _ => i + 1,
        }
    }

    #[inline]
    fn span(s: &str, a: u32, b: u32) -> &str {
        s.get(a as usize..b as usize).unwrap_or("")
    }

    #[inline]
    fn value(&self, i: usize) -> Value<'_> {
        let n = self.node(i);
        match n.tag {
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => Value::Number(Number(Self::span(self.text, n.a, n.b))),
            STR => Value::String(Self::span(self.text, n.a, n.b)),
            STR_ESCAPED => Value::String(self.unescaped(n)),
            ARRAY => Value::Array(Array { doc: self, at: i }),
            OBJECT => Value::Object(Object { doc: self, at: i }),
            _ => Value::Null,
        }
    }
}

/// How many tape entries a valid JSON text `b` can take at most, counted in one pass so
/// [`Doc::parse`] allocates the tape once (grown by doubling, a dense 4 MiB body's 40 MiB tape
/// left 30 MiB of old blocks in wasm's memory). Each value and each object key takes one entry (a container one, for
/// its start). Each entry starts at the start of the text or after a `[`, `{`, `,` or `:` outside
/// strings (blanks aside), never two after the same byte, so those bytes plus one bound the
/// entries (an empty `[]` or `{}` only makes it an overestimate). Bytes inside strings are
/// skipped, or message text full of commas would reserve 20 bytes per comma. An entry other than
/// the first also takes that byte and one of its own, so there are at most `len / 2 + 1`: that
/// caps what an invalid text reserves (its tape may then grow as before, until it is rejected).
fn tape_bound(b: &[u8]) -> usize {
    let (mut starts, mut in_string, mut escaped) = (0, false, false);
    for &c in b {
        if escaped {
            escaped = false;
        } else if in_string {
            escaped = c == b'\\';
            in_string = c != b'"';
        } else if c == b'"' {
            in_string = true;
        } else if matches!(c, b'[' | b'{' | b',' | b':') {
            starts += 1;
        }
    }
    (starts + 1).min(b.len() / 2 + 1)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    tape: Vec<Node>,
    /// Strings with escapes seen so far.
    escaped: usize,
}

#[allow(clippy::cast_possible_truncation)] // offsets fit in u32: longer texts are rejected first
impl Parser<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Records a value whose text is `start..self.i`.
    #[inline]
    fn push(&mut self, tag: u8, a: usize, b: usize, start: usize) {
        self.tape.push(Node {
            tag,
            a: a as u32,
            b: b as u32,
            s: start as u32,
            e: self.i as u32,
        });
    }

    fn value(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'{' => self.container(depth, OBJECT, b'}'),
            b'[' => self.container(depth, ARRAY, b']'),
            b'"' => self.string(),
            b't' => self.literal(b"true", TRUE),
            b'f' => self.literal(b"false", FALSE),
            b'n' => self.literal(b"null", NULL),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn container(&mut self, depth: u32, tag: u8, close: u8) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let slot = self.tape.len();
        let start = self.i;
        self.push(tag, 0, 0, start);
        self.i += 1;
        self.ws();
        let mut count = 0usize;
        if self.peek() == Some(close) {
            self.i += 1;
        } else {
            loop {
                if tag == OBJECT {
                    if self.peek() != Some(b'"') {
                        return None;
                    }
                    self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                }
                self.value(depth + 1)?;
                count += 1;
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                    }
                    c if c == close => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let end = self.tape.len();
        let node = self.tape.get_mut(slot)?;
        node.a = end as u32;
        node.b = count as u32;
        node.e = self.i as u32;
        Some(())
    }

    fn literal(&mut self, word: &[u8], tag: u8) -> Option<()> {
        if self.b.get(self.i..self.i + word.len()) != Some(word) {
            return None;
        }
        let start = self.i;
        self.i += word.len();
        self.push(tag, 0, 0, start);
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        self.push(NUMBER, start, self.i, start);
        Some(())
    }

    /// Moves to the next `"`, `\\` or control character at or after `self.i` (`None` at the
    /// end of the text) and returns it.
    #[inline]
    fn skip_to_special(&mut self) -> Option<u8> {
        let rest = self.b.get(self.i..)?;
        let n = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        self.i += n;
        self.peek()
    }

    /// A string at `"`. Its value is borrowed from the text when it has no escape; escapes are
    /// only checked here and decoded when the string is first read ([`Doc::value`]): most such
    /// strings (message text) are forwarded, never read.
    fn string(&mut self) -> Option<()> {
        // A local index and one test per plain byte: this loop runs over every byte of every
        // string (message text is most of a webhook body).
        let b = self.b;
        let open = self.i;
        let mut i = skip_plain_words(b, open + 1);
        let mut escapes = false;
        loop {
            let Some(&c) = b.get(i) else {
                self.i = i;
                return None;
            };
            if c >= 0x20 && c != b'"' && c != b'\\' {
                i += 1;
                continue;
            }
            match (c, b.get(i + 1)) {
                (b'"', _) => break,
                (b'\\', Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't')) => i += 2,
                (b'\\', Some(b'u'))
                    if b.get(i + 2..i + 6)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                {
                    i += 6;
                }
                _ => {
                    self.i = i;
                    return None;
                }
            }
            escapes = true;
        }
        self.i = i + 1;
        if escapes {
            self.push(STR_ESCAPED, self.escaped, 0, open);
            self.escaped += 1;
        } else {
            self.push(STR, open + 1, i, open);
        }
        Some(())
    }

    /// One escape at `\`; lone surrogates become U+FFFD.
    fn escape(&mut self) -> Option<char> {
        let c = self.b.get(self.i + 1).copied()?;
        self.i += 2;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                {
                    let save = self.i;
                    self.i += 2;
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        return char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                    }
                    self.i = save;
                }
                char::from_u32(hi).unwrap_or('\u{FFFD}')
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for _ in 0..4 {
            n = n * 16 + u32::from(crate::domain::hex::value(self.peek()?)?);
            self.i += 1;
        }
        Some(n)
    }
}

/// The value of a checked string body (between the quotes) that has escapes.
fn unescape(body: &str) -> String {
    let mut p = Parser {
        b: body.as_bytes(),
        i: 0,
        tape: Vec::new(),
        escaped: 0,
    };
    let mut out = String::with_capacity(body.len());
    let mut plain = 0;
    // The body is checked: the special bytes left are the backslashes of escapes.
    while p.skip_to_special().is_some() {
        // Runs end at ASCII bytes of a `&str`: slicing is on char boundaries.
        out.push_str(body.get(plain..p.i).unwrap_or(""));
        let Some(ch) = p.escape() else { break };
        out.push(ch);
        plain = p.i;
    }
    out.push_str(body.get(plain..).unwrap_or(""));
    out
}

/// The JSON type of a value, read from the tape without decoding it (see [`Object::kind_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A JSON value borrowed from a [`Doc`] (cheap to copy).
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(Number<'a>),
    /// A string (escapes decoded).
    String(&'a str),
    /// An array.
    Array(Array<'a>),
    /// An object.
    Object(Object<'a>),
}

/// A JSON number, kept as its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number<'a>(&'a str);

impl<'a> Number<'a> {
    /// The number as written in the JSON text.
    pub fn as_str(self) -> &'a str {
        self.0
    }

    fn is_integer(self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }

    /// A non-negative integer that fits in `u64`.
    pub fn as_u64(self) -> Option<u64> {
        if self.is_integer() {
            parse_u64(self.0)
        } else {
            None
        }
    }

    /// An integer that fits in `i64`.
    pub fn as_i64(self) -> Option<i64> {
        if self.is_integer() {
            parse_i64(self.0)
        } else {
            None
        }
    }

    /// The number as a `serde_json::Number` (tests compare with serde_json): integers exactly,
    /// other numbers as the nearest `f64`.
    #[cfg(test)]
    fn to_serde_number(self) -> Option<serde_json::Number> {
        match (self.as_i64(), self.as_u64()) {
            (Some(i), _) => Some(i.into()),
            (None, Some(u)) => Some(u.into()),
            _ => self.as_f64().and_then(serde_json::Number::from_f64),
        }
    }

    /// The number as `f64` (integers too; `None` only if it overflows to infinity).
    pub fn as_f64(self) -> Option<f64> {
        parse_f64(self.0).filter(|f| f.is_finite())
    }

    /// The number exactly as it was written (valid JSON number text).
    pub fn to_json(self) -> String {
        self.0.to_owned()
    }
}

impl<'a> Value<'a> {
    /// `"null"`, `"a string"`, … (for messages).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    /// `null`?
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// A boolean?
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }
    /// A string?
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
    /// A number?
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }
    /// An array?
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    /// An object?
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }
    /// The boolean.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    /// The string (borrowed from the document).
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The number.
    pub fn as_number(self) -> Option<Number<'a>> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// A non-negative integer (see [`Number::as_u64`]).
    pub fn as_u64(self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }
    /// An integer (see [`Number::as_i64`]).
    pub fn as_i64(self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }
    /// Any number as `f64`.
    pub fn as_f64(self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }
    /// The array.
    pub fn as_array(self) -> Option<Array<'a>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The object.
    pub fn as_object(self) -> Option<Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
    /// The exact JSON text of a `null`, boolean, number, array or object; `None` for a string
    /// (its value is decoded: read it with [`Array::iter_with_text`] or
    /// [`Object::get_with_text`] to get its text as written).
    pub fn text(self) -> Option<&'a str> {
        match self {
            Value::Null => Some("null"),
            Value::Bool(b) => Some(if b { "true" } else { "false" }),
            Value::Number(n) => Some(n.as_str()),
            Value::String(_) => None,
            Value::Array(a) => Some(a.text()),
            Value::Object(o) => Some(o.text()),
        }
    }
    /// A member of an object by key (`v.get("name")`) or an item of an array by position
    /// (`v.get(0)`), as serde's `Value::get`; `None` for other types. `null` members are returned.
    pub fn get<I: Index>(self, i: I) -> Option<Value<'a>> {
        i.index_into(self)
    }

    /// The same value as a `serde_json::Value` (objects in serde's key order; tests compare with
    /// serde_json).
    #[cfg(test)]
    pub fn to_serde(self) -> serde_json::Value {
        use serde_json::Value as S;
        match self {
            Value::Null => S::Null,
            Value::Bool(b) => S::Bool(b),
            Value::Number(n) => n.to_serde_number().map_or(S::Null, S::Number),
            Value::String(s) => S::String(s.to_owned()),
            Value::Array(a) => S::Array(a.iter().map(Value::to_serde).collect()),
            Value::Object(o) => {
                let mut m = serde_json::Map::new();
                for (k, v) in o.iter() {
                    m.insert(k.to_owned(), v.to_serde());
                }
                S::Object(m)
            }
        }
    }
}

/// What [`Value::get`] accepts: `&str` (object member) or `usize` (array item).
pub trait Index {
    /// The member or item of `v`.
    fn index_into(self, v: Value<'_>) -> Option<Value<'_>>;
}

impl Index for &str {
    fn index_into(self, v: Value<'_>) -> Option<Value<'_>> {
        v.as_object().and_then(|o| o.get(self))
    }
}

impl Index for usize {
    fn index_into(self, v: Value<'_>) -> Option<Value<'_>> {
        v.as_array().and_then(|a| a.get(self))
    }
}

/// An array of a [`Doc`].
#[derive(Clone, Copy)]
pub struct Array<'a> {
    doc: &'a Doc<'a>,
    at: usize,
}

impl fmt::Debug for Array<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> Array<'a> {
    /// Number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.doc.node(self.at).b as usize
    }
    /// No items?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The items, in order.
    pub fn iter(&self) -> Items<'a> {
        Items {
            doc: self.doc,
            at: self.at + 1,
            left: self.len(),
        }
    }
    /// The items, in order, each with its exact JSON text.
    pub fn iter_with_text(&self) -> impl Iterator<Item = (Value<'a>, &'a str)> {
        let doc = self.doc;
        let mut at = self.at + 1;
        (0..self.len()).map(move |_| {
            let item = (doc.value(at), doc.text_at(at));
            at = doc.next(at);
            item
        })
    }
    /// The exact JSON text of the array, as written (blanks inside included).
    pub fn text(&self) -> &'a str {
        self.doc.text_at(self.at)
    }
    /// The first item.
    pub fn first(&self) -> Option<Value<'a>> {
        self.iter().next()
    }
    /// The item at `i`.
    pub fn get(&self, i: usize) -> Option<Value<'a>> {
        self.iter().nth(i)
    }
}

/// Iterator over the items of an [`Array`].
#[derive(Debug, Clone)]
pub struct Items<'a> {
    doc: &'a Doc<'a>,
    at: usize,
    left: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Value<'a>;
    #[inline]
    fn next(&mut self) -> Option<Value<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let v = self.doc.value(self.at);
        self.at = self.doc.next(self.at);
        Some(v)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Items<'_> {}

/// An object of a [`Doc`].
#[derive(Clone, Copy)]
pub struct Object<'a> {
    doc: &'a Doc<'a>,
    at: usize,
}

impl fmt::Debug for Object<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> Object<'a> {
    /// Number of members (repeated keys counted each time).
    #[inline]
    pub fn len(&self) -> usize {
        self.doc.node(self.at).b as usize
    }
    /// No members?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The members in document order.
    pub fn iter(&self) -> Members<'a> {
        Members {
            doc: self.doc,
            at: self.at + 1,
            left: self.len(),
        }
    }
    /// The tape index of the value of `key` (the last one if repeated).
    fn find(&self, key: &str) -> Option<usize> {
        let doc = self.doc;
        let mut at = self.at + 1;
        let mut found = None;
        for _ in 0..self.len() {
            if doc.key_is(at, key) {
                found = Some(at + 1);
            }
            at = doc.next(at + 1);
        }
        found
    }
    /// The type of the value of `key` (the last one if repeated), without reading the value: a
    /// long string with escapes is not decoded to learn that it is a string.
    pub fn kind_of(&self, key: &str) -> Option<Kind> {
        let n = self.doc.node(self.find(key)?);
        Some(match n.tag {
            FALSE | TRUE => Kind::Bool,
            NUMBER => Kind::Number,
            STR | STR_ESCAPED => Kind::String,
            ARRAY => Kind::Array,
            OBJECT => Kind::Object,
            _ => Kind::Null,
        })
    }
    /// The value of `key` (the last one if repeated), `null` included.
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.find(key).map(|i| self.doc.value(i))
    }
    /// [`get`](Self::get), with the value's exact JSON text (a string's as written: quoted,
    /// escapes kept).
    pub fn get_with_text(&self, key: &str) -> Option<(Value<'a>, &'a str)> {
        self.find(key)
            .map(|i| (self.doc.value(i), self.doc.text_at(i)))
    }
    /// The exact JSON text of the object, as written (blanks inside included).
    pub fn text(&self) -> &'a str {
        self.doc.text_at(self.at)
    }
    /// Whether `key` is present (even as `null`).
    pub fn contains_key(&self, key: &str) -> bool {
        self.iter().any(|(k, _)| k == key)
    }
    /// The members in `serde_json::Map`'s order: keys sorted, the last of repeated keys kept.
    pub fn sorted(&self) -> Vec<(&'a str, Value<'a>)> {
        let mut out: Vec<(&'a str, Value<'a>)> = Vec::with_capacity(self.len());
        for (k, v) in self.iter() {
            match out.binary_search_by(|(x, _)| (*x).cmp(k)) {
                Ok(i) => {
                    if let Some(slot) = out.get_mut(i) {
                        slot.1 = v;
                    }
                }
                Err(i) => out.insert(i, (k, v)),
            }
        }
        out
    }
}

/// Iterator over the `(key, value)` members of an [`Object`].
#[derive(Debug, Clone)]
pub struct Members<'a> {
    doc: &'a Doc<'a>,
    at: usize,
    left: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, Value<'a>);
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = self.doc.value(self.at).as_str().unwrap_or("");
        let v = self.doc.value(self.at + 1);
        self.at = self.doc.next(self.at + 1);
        Some((key, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Members<'_> {}

/// A JSON number (already validated by the parser) as `f64`: digits are gathered into a `u64`
/// mantissa and scaled by a power of ten once, which is exact for the usual cases (≤ 15
/// significant digits, |exponent| ≤ 22) and within a relative 1e-14 otherwise. Written here so
/// that no float parser (core's tables, or serde_json's) is linked into the wasm.
fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if neg {
        i = 1;
    }
    let mut mant: u64 = 0;
    let mut exp10: i64 = 0;
    let mut any = false;
    let mut frac = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                any = true;
                if mant < 100_000_000_000_000_000 {
                    mant = mant * 10 + u64::from(c - b'0');
                    if frac {
                        exp10 -= 1;
                    }
                } else if !frac {
                    exp10 += 1;
                }
            }
            b'.' if !frac => frac = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let eneg = b.get(i) == Some(&b'-');
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let mut e: i64 = 0;
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(100_000);
            i += 1;
        }
        exp10 += if eneg { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    // `mant` < 10^18 < 2^60: the conversion rounds once.
    #[allow(clippy::cast_precision_loss)]
    let mut f = mant as f64;
    let mut scale = |mut n: i64, up: bool| {
        while n > 0 {
            let step = n.min(22);
            let p = [
                1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
            ]
            .get(usize::try_from(step).unwrap_or(0))
            .copied()
            .unwrap_or(1.0);
            f = if up { f * p } else { f / p };
            n -= step;
            if f == 0.0 || f.is_infinite() {
                break;
            }
        }
    };
    if exp10 >= 0 {
        scale(exp10, true);
    } else {
        scale(-exp10, false);
    }
    Some(if neg { -f } else { f })
}

// === Strings scanned 8 bytes at a time (see json/scan.rs) ========================

/// The offset of the first `"`, `\` or control character of a string body at or after `i`, or
/// where fewer than 8 bytes are left ([`Parser::string`] goes on byte by byte from there).
#[inline]
fn skip_plain_words(b: &[u8], mut i: usize) -> usize {
    use super::scan::{bytes_below, bytes_equal, first_flagged, word_at};
    while let Some(w) = word_at(b, i) {
        let special = bytes_below(w, 0x20) | bytes_equal(w, b'"') | bytes_equal(w, b'\\');
        if special != 0 {
            return i + first_flagged(special);
        }
        i += 8;
    }
    i
}

/// A decimal integer as Rust's `str::parse::<u64>` reads it (an optional `+`, then digits, no
/// overflow). One copy for every integer the crate reads from text, instead of one
/// `FromStr` instantiation per integer type.
pub(crate) fn parse_u64(s: &str) -> Option<u64> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// A decimal integer as `str::parse::<i64>` reads it (optional sign).
pub(crate) fn parse_i64(s: &str) -> Option<i64> {
    match s.strip_prefix('-') {
        Some(rest) if !rest.starts_with('+') => {
            let m = parse_u64(rest)?;
            if m == 1 << 63 {
                Some(i64::MIN)
            } else {
                i64::try_from(m).ok().map(|v| -v)
            }
        }
        Some(_) => None,
        None => parse_u64(s).and_then(|m| i64::try_from(m).ok()),
    }
}

#[cfg(test)]
mod int_tests {
    use super::{parse_i64, parse_u64};

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
    }

    proptest::proptest! {
        #[test]
        fn integers_agree_with_std(s in "[-+]?[0-9]{0,21}|.{0,6}") {
            proptest::prop_assert_eq!(parse_u64(&s), s.parse::<u64>().ok());
            proptest::prop_assert_eq!(parse_i64(&s), s.parse::<i64>().ok());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<serde_json::Value, ParseError> {
        Doc::parse(s).map(|d| d.root().to_serde())
    }

    /// Equal, except that non-integer numbers may differ by the few ulps `parse_f64` allows.
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value as S;
        match (a, b) {
            (S::Number(x), S::Number(y)) if x.is_f64() || y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                (x - y).abs() <= 1e-14 * x.abs().max(y.abs())
            }
            (S::Array(x), S::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (S::Object(x), S::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|((k, x), (l, y))| k == l && same(x, y))
            }
            _ => a == b,
        }
    }

    #[test]
    fn errors_say_what_was_found_and_where() {
        let msg = |t: &str| Doc::parse(t).err().map(|e| e.to_string());
        assert_eq!(
            msg("{a:1}").as_deref(),
            Some("unexpected 'a' at line 1, column 2")
        );
        assert_eq!(
            msg("[1,\n 2 3]").as_deref(),
            Some("unexpected '3' at line 2, column 4")
        );
        assert_eq!(
            msg("{\"a\":").as_deref(),
            Some("unexpected end at line 1, column 6")
        );
        assert_eq!(
            msg("\"a\tb\"").as_deref(),
            Some("unexpected control character (escape it) at line 1, column 3")
        );
        assert_eq!(
            msg("[1] x").as_deref(),
            Some("unexpected 'x' at line 1, column 5")
        );
    }

    #[test]
    fn floats_are_exact_in_the_usual_range_and_close_elsewhere() {
        for (text, want) in [
            ("37.7749295", 37.774_929_5),
            ("-122.4194155", -122.419_415_5),
            ("0.1", 0.1),
            ("1e22", 1e22),
            ("123.456e-5", 123.456e-5),
            ("5e-324", 5e-324),
        ] {
            assert_eq!(parse_f64(text), Some(want), "{text}");
        }
        assert_eq!(parse_f64("1e400").map(f64::is_finite), Some(false));
        assert_eq!(parse_f64("-0"), Some(-0.0));
    }

    #[test]
    fn reads_what_serde_reads() {
        for ok in [
            "0",
            "-0.5e+10",
            " {\"a\" : [1, 2.5, true, false, null, \"x\\u00e9\\n\"] } ",
            "[]",
            "{}",
            "\"\\ud83c\\udf89\"",
            "[[[[]]]]",
            r#"{"b":{"c":[1,{"d":"e\"f"}]},"a":-12,"big":123456789012345678901234}"#,
        ] {
            let serde: serde_json::Value = serde_json::from_str(ok).unwrap();
            assert!(same(&parse(ok).unwrap(), &serde), "{ok}");
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
        assert!(parse(&deep).is_err());
        let e = Doc::parse("{\n  \"a\": tru }").unwrap_err();
        assert_eq!((e.line, e.column, e.eof), (2, 8, false));
        assert_eq!(
            Doc::parse("[1,").unwrap_err().to_string(),
            "unexpected end at line 1, column 4"
        );
    }

    #[test]
    fn walks_like_serde_value() {
        let doc = Doc::parse(
            r#"{"s":"x\u00e9","n":12,"neg":-3,"f":1.5,"z":null,"arr":[1,{"b":2},"s"],"o":{"k":"v"},"s":"last","k\u0065y":"escaped key"}"#,
        )
        .unwrap();
        let o = doc.root().as_object().unwrap();
        assert_eq!(o.get("s").and_then(Value::as_str), Some("last"));
        assert_eq!(doc.root().get("n").and_then(Value::as_u64), Some(12));
        assert_eq!(o.get("neg").and_then(Value::as_u64), None);
        assert_eq!(o.get("neg").and_then(Value::as_i64), Some(-3));
        assert_eq!(o.get("f").and_then(Value::as_i64), None);
        assert_eq!(o.get("f").and_then(Value::as_f64), Some(1.5));
        assert!(o.get("z").unwrap().is_null());
        assert!(o.get("missing").is_none());
        let arr = o.get("arr").and_then(Value::as_array).unwrap();
        assert_eq!(arr.len(), 3);
        assert_eq!(
            arr.get(1).and_then(|v| v.get("b")).and_then(Value::as_u64),
            Some(2)
        );
        assert_eq!(arr.get(2).and_then(Value::as_str), Some("s"));
        assert!(arr.get(3).is_none());
        assert_eq!(o.get("key").and_then(Value::as_str), Some("escaped key"));
        assert_eq!(o.iter().count(), 9);
        let keys: Vec<_> = o.sorted().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["arr", "f", "key", "n", "neg", "o", "s", "z"]);
        let s = Doc::parse(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83c\udf89\ud800x""#).unwrap();
        assert_eq!(
            s.root().as_str().unwrap(),
            "a\"b\\c/d\u{8}\u{c}\n\r\té🎉\u{FFFD}x"
        );
    }

    #[test]
    fn keeps_the_exact_text_of_every_value() {
        let text = " {\"a\" : [1, \"x\\u00e9\" , {\"b\":null} ],\"n\":-1.5e3,\"s\":\"q\\\"\",\"p\":\"plain\",\"t\":true,\"z\":null,\"k\\u0065y\":{ }}\n";
        let doc = Doc::parse(text).unwrap();
        assert_eq!(doc.text(), text.trim());
        let o = doc.root().as_object().unwrap();
        assert_eq!(o.text(), text.trim());
        let (a, a_text) = o.get_with_text("a").unwrap();
        assert_eq!(a_text, r#"[1, "x\u00e9" , {"b":null} ]"#);
        assert_eq!(a.text(), Some(a_text));
        let items: Vec<_> = a.as_array().unwrap().iter_with_text().collect();
        let texts: Vec<_> = items.iter().map(|(_, t)| *t).collect();
        assert_eq!(texts, ["1", r#""x\u00e9""#, r#"{"b":null}"#]);
        assert_eq!(items[1].0.as_str(), Some("xé"));
        for (key, want) in [
            ("n", "-1.5e3"),
            ("s", r#""q\"""#),
            ("p", r#""plain""#),
            ("t", "true"),
            ("z", "null"),
            ("key", "{ }"),
        ] {
            assert_eq!(o.get_with_text(key).unwrap().1, want, "{key}");
        }
        assert!(o.get_with_text("missing").is_none());
        assert_eq!(o.get("s").unwrap().text(), None);
        assert_eq!(o.get("n").unwrap().text(), Some("-1.5e3"));
        assert_eq!(o.get("z").unwrap().text(), Some("null"));
        let s = Doc::parse("  \"a\\nb\"  ").unwrap();
        assert_eq!(s.text(), "\"a\\nb\"");
    }

    /// Every item's and member's text is a JSON text for the same value.
    fn texts_reparse(v: Value<'_>) -> bool {
        let same_text = |v: Value<'_>, text: &str| {
            Doc::parse(text).is_ok_and(|d| d.root().to_serde() == v.to_serde()) && texts_reparse(v)
        };
        match v {
            Value::Array(a) => a.iter_with_text().all(|(v, t)| same_text(v, t)),
            Value::Object(o) => o.iter().all(|(k, v)| {
                o.get_with_text(k)
                    .is_some_and(|(last, t)| same_text(last, t))
                    && texts_reparse(v)
            }),
            _ => true,
        }
    }

    /// Any JSON value, nested up to 4 deep, with the shortest items (`0`, `[]`, `""`) frequent
    /// so that dense texts, whose entries are closest to `tape_bound`, come up often.
    fn json_values() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value as S;
        let leaf = prop_oneof![
            Just(S::Null),
            Just(S::from(0)),
            any::<bool>().prop_map(S::Bool),
            any::<i64>().prop_map(S::from),
            "[a:,\\[{\"\\\\]{0,3}".prop_map(S::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(S::Array),
                prop::collection::vec(("[a:,\"\\\\]{0,2}", inner), 0..8)
                    .prop_map(|m| S::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn tape_bound_is_tight_for_the_densest_texts() {
        for text in ["0", "[0]", "[[0]]", "[0,0,0]", "{\"\":0}", "[{\"\":[0]}]"] {
            let doc = Doc::parse(text).unwrap();
            assert_eq!(doc.tape.len(), tape_bound(text.as_bytes()), "{text}");
        }
        // The densest body accepted: one entry per 2 bytes, allocated once.
        let dense = format!("[{}0]", "0,".repeat(100_000));
        let doc = Doc::parse(&dense).unwrap();
        assert_eq!(doc.tape.len(), 100_002);
        assert_eq!(doc.tape.capacity(), tape_bound(dense.as_bytes()));
        // Bytes inside strings are not counted, escaped quotes included.
        let text = r#"["a,:[{", "\\\",:", {"k\\\\": 0}]"#;
        assert_eq!(Doc::parse(text).unwrap().tape.len(), 6);
        assert_eq!(tape_bound(text.as_bytes()), 6);
        // An invalid text of commas reserves at most one entry per 2 bytes.
        assert_eq!(tape_bound(",".repeat(1000).as_bytes()), 501);
    }

    proptest! {
        #[test]
        fn item_and_member_texts_reparse(s in "\\PC{0,12}", n in any::<i64>(), pretty in any::<bool>()) {
            let v = serde_json::json!({"s": s, "n": n, "a": [s, {"k": [null, true, 1.5]}, []], "o": {}});
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            let doc = Doc::parse(&text).unwrap();
            prop_assert_eq!(doc.text(), text.as_str());
            prop_assert!(texts_reparse(doc.root()), "{}", text);
        }

        #[test]
        fn agrees_with_serde_on_validity(s in "[\\[\\]{}\":,0-9a-tv-z\\\\. \\-+eE]{0,40}") {
            prop_assert_eq!(Doc::parse(&s).is_ok(), serde_json::from_str::<serde_json::Value>(&s).is_ok(), "{:?}", s);
        }

        #[test]
        fn round_trips_serde_values(s in "\\PC{0,30}", n in any::<i64>(), f in -1e300f64..1e300) {
            let v = serde_json::json!({"s": s, "n": n, "f": f, "a": [s, {"k": [null, true]}]});
            let text = v.to_string();
            let serde: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert!(same(&parse(&text).unwrap(), &serde), "{}", text);
        }

        /// `tape_bound` holds for any valid text, dense or pretty, and the tape is allocated
        /// once with it and never reallocates (`Vec::with_capacity` gives
        /// exactly what it is asked).
        #[test]
        fn tape_never_outgrows_its_bound(v in json_values(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            let doc = Doc::parse(&text).unwrap();
            let bound = tape_bound(text.as_bytes());
            prop_assert!(doc.tape.len() <= bound, "{} > {}: {}", doc.tape.len(), bound, text);
            prop_assert_eq!(doc.tape.capacity(), bound, "{}", text);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,80}") {
            if let Ok(doc) = Doc::parse(&s) {
                let v = doc.root();
                let _ = (v.to_serde(), v.get("a"), v.as_array().map(|a| a.iter().count()), v.text());
                let _ = v.as_object().map(|o| o.get_with_text("a"));
                prop_assert!(texts_reparse(v), "{:?}", s);
            }
        }
    }
}
