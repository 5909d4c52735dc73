//! Writing results as JSON text without serde.
//!
//! Every result the package hands to JavaScript crosses the boundary as JSON text (one
//! `JSON.parse` on the JS side). Deriving `serde::Serialize` for each result type and writing it
//! with `serde_json` cost a serializer instantiation per type plus serde_json's writer and its
//! `std::io` error machinery in the wasm; these few lines do the same job for every type through
//! one trait with no generics on the hot path.
//!
//! Keys are our own ASCII literals (written as-is); every string value is escaped.

use super::{Doc, Json};
use serde_json::Value;

/// Appends `s` as a JSON string literal (quoted, escaped). The request bodies are written with
/// these few helpers instead of serde's serializer: at `opt-level = "z"` serde_json spends most
/// of a builder's time in per-byte writer calls, and the hand-written form is also smaller.
#[allow(clippy::single_char_add_str)] // see the comment on the quotes
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    // `push_str` for the quotes: at "z" `String::push` is an out-of-line UTF-8 encoder call.
    out.push_str("\"");
    let mut rest = s;
    // Runs without anything to escape are copied whole; only the escaped bytes (all ASCII, so
    // every split below is on a char boundary) are handled one by one.
    while let Some(i) = rest
        .as_bytes()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
    {
        let b = rest.as_bytes().get(i).copied().unwrap_or(b' ');
        out.push_str(rest.get(..i).unwrap_or(""));
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => "",
        };
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
            let code = [b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0xf)];
            out.push_str(std::str::from_utf8(&code).unwrap_or("\\u0000"));
        } else {
            out.push_str(esc);
        }
        rest = rest.get(i + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.push_str("\"");
}

/// Appends `"key":` (keys are our own ASCII literals: no escaping needed).
pub(crate) fn push_key(out: &mut String, key: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

/// Appends `,"key":"value"` when `value` is present.
pub(crate) fn push_opt_str(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push(',');
        push_key(out, key);
        push_json_str(out, v);
    }
}

/// Appends any JSON value (objects in key order).
pub(crate) fn push_value(out: &mut String, v: &serde_json::Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => push_number(out, n),
        Value::String(s) => push_json_str(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_value(out, x);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_str(out, k);
                out.push(':');
                push_value(out, x);
            }
            out.push('}');
        }
    }
}

fn push_number(out: &mut String, n: &serde_json::Number) {
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => out.push_str(&i.to_string()),
        (None, Some(u)) => out.push_str(&u.to_string()),
        _ => out.push_str(&serde_json::to_string(n).unwrap_or_else(|_| "0".into())),
    }
}

/// A value that can write itself as JSON text.
pub trait ToJson {
    /// Appends the JSON text of `self` to `out`.
    fn write_json(&self, out: &mut String);

    /// The JSON text of `self`.
    fn to_json(&self) -> String {
        let mut out = String::with_capacity(128);
        self.write_json(&mut out);
        out
    }
}

/// Writes one JSON object: `{` on creation, `}` on [`end`](Obj::end).
#[derive(Debug)]
pub struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Obj<'o> {
    /// Starts an object.
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }

    /// Writes the `,` separator (after the first member) and nothing else.
    fn comma(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// `"key": value` for a key that is not one of our literals (escaped).
    pub fn field_escaped(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        self.key_escaped(key);
        value.write_json(self.out);
        self
    }

    /// A key that may need escaping (header names from a request), then `:`.
    fn key_escaped(&mut self, key: &str) {
        self.comma();
        push_json_str(self.out, key);
        self.out.push(':');
    }

    fn key(&mut self, key: &str) {
        self.comma();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    /// `"key":` then whatever `value` writes (a value written by a function, not a type).
    pub fn with(&mut self, key: &str, value: impl FnOnce(&mut String)) -> &mut Self {
        self.key(key);
        value(self.out);
        self
    }

    /// `"key": value` (an absent `Option` is written as `null`).
    pub fn field(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        self.key(key);
        value.write_json(self.out);
        self
    }

    /// `"key": value`, or nothing when `value` is `None` (serde's `skip_serializing_if`).
    pub fn opt(&mut self, key: &str, value: Option<&dyn ToJson>) -> &mut Self {
        if let Some(v) = value {
            self.field(key, v);
        }
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        push_json_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        push_json_str(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Appends the decimal digits of `n`.
fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            // `n % 10` is below 10: the cast cannot truncate.
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(b));
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        push_u64(out, *self);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        push_u64(out, u64::from(*self));
    }
}

impl ToJson for u16 {
    fn write_json(&self, out: &mut String) {
        push_u64(out, u64::from(*self));
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        push_u64(out, *self as u64);
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_u64(out, self.unsigned_abs());
    }
}

/// Numbers we hand out as `f64` are timestamps and durations: whole numbers are written exactly;
/// a fraction is written to six decimals (trailing zeros dropped). NaN and infinities have no
/// JSON form and are written as `null`, as `JSON.stringify` does. No float formatting code is
/// linked for this.
impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        let f = *self;
        if !f.is_finite() {
            out.push_str("null");
            return;
        }
        if f < 0.0 {
            out.push('-');
        }
        let mut a = f.abs();
        // Beyond 10^18 (never a timestamp) write `<digits>e<k>`, scaling down by ten at a time.
        let mut exp = 0u32;
        while a >= 1e18 {
            a /= 10.0;
            exp += 1;
        }
        let whole = a.trunc();
        push_u64(out, whole as u64);
        if exp > 0 {
            out.push('e');
            push_u64(out, u64::from(exp));
            return;
        }
        let micros = ((a - whole) * 1e6).round() as u64;
        if micros > 0 && micros < 1_000_000 {
            let mut digits = String::with_capacity(6);
            push_u64(&mut digits, micros);
            out.push('.');
            for _ in digits.len()..6 {
                out.push('0');
            }
            out.push_str(digits.trim_end_matches('0'));
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// A JSON value kept as its text, valid by construction (written by `ToJson` or re-written from
/// a parsed `Json` value): Graph payloads the package forwards without interpreting them, such
/// as a template's `components`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson(String);

impl RawJson {
    /// `null`.
    pub fn null() -> Self {
        RawJson("null".to_owned())
    }

    /// `text` when it is one valid JSON value (JSON handed to us by a caller's callback).
    pub fn parse(text: String) -> Result<Self, super::ParseError> {
        Doc::parse(&text)?;
        Ok(RawJson(text))
    }

    /// The JSON text of `value` (valid by construction).
    pub(crate) fn written(value: &dyn ToJson) -> Self {
        RawJson(value.to_json())
    }

    /// Text this crate has just written with [`Obj`] (valid by construction).
    pub(crate) fn trusted(text: String) -> Self {
        RawJson(text)
    }

    /// The JSON text of a parsed value.
    pub fn of(v: Json<'_>) -> Self {
        RawJson(ToJson::to_json(&v))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text parsed again, to read it (always `Some`: the text is valid JSON).
    pub fn doc(&self) -> Option<Doc<'_>> {
        Doc::parse(&self.0).ok()
    }

    /// As a `serde_json::Value` (for native callers working with serde).
    pub fn to_value(&self) -> serde_json::Value {
        self.doc()
            .map_or(serde_json::Value::Null, |d| d.root().to_serde())
    }
}

impl ToJson for RawJson {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

/// `null`.
impl Default for RawJson {
    fn default() -> Self {
        RawJson::null()
    }
}

/// Read from any JSON value (native callers building inputs with serde).
impl<'de> serde::Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let mut out = String::new();
        push_value(&mut out, &v);
        Ok(RawJson(out))
    }
}

impl serde::Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

/// A parsed value written back as JSON text (numbers exactly as they were written).
impl ToJson for Json<'_> {
    fn write_json(&self, out: &mut String) {
        match *self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => b.write_json(out),
            Json::Number(n) => out.push_str(n.as_str()),
            Json::String(s) => push_json_str(out, s),
            Json::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Json::Object(o) => {
                let mut w = Obj::new(out);
                for (k, v) in o.iter() {
                    w.key_escaped(k);
                    v.write_json(w.out);
                }
                w.end();
            }
        }
    }
}

impl ToJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        crate::domain::json::push_value(out, self);
    }
}

/// `Some(&value)` as a trait object, for [`Obj::opt`].
/// An optional value for [`Obj::opt`].
pub(crate) fn dyn_opt<T: ToJson>(v: &Option<T>) -> Option<&dyn ToJson> {
    v.as_ref().map(|x| x as &dyn ToJson)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::{AccountDiscovery, BusinessAccount, DiscoveryProblem, Relation};
    use crate::domain::message::{CreatedTemplate, SendResult};
    use crate::domain::oauth::{AuthorizationUrl, GranularScope, TokenInfo, TokenResponse};
    use crate::domain::request::ApiRequest;
    use crate::domain::task::TaskOutput;

    fn text(v: &dyn ToJson) -> String {
        let mut s = String::new();
        v.write_json(&mut s);
        s
    }

    #[test]
    fn numbers() {
        assert_eq!(text(&0u64), "0");
        assert_eq!(text(&u64::MAX), "18446744073709551615");
        assert_eq!(text(&i64::MIN), "-9223372036854775808");
        assert_eq!(text(&-42i64), "-42");
        assert_eq!(text(&1_750_263_775_000.0f64), "1750263775000");
        assert_eq!(text(&-2.5f64), "-2.5");
        assert_eq!(text(&0.000_25f64), "0.00025");
        assert_eq!(text(&f64::NAN), "null");
        assert_eq!(text(&f64::INFINITY), "null");
        assert_eq!(text(&1e20f64), "100000000000000000e3");
    }

    #[test]
    fn objects_arrays_options() {
        let mut s = String::new();
        let mut o = Obj::new(&mut s);
        o.field("a", &"x\"y")
            .opt("skip", None)
            .opt("b", Some(&true))
            .field("c", &vec![1u64, 2])
            .field("d", &None::<String>);
        o.end();
        assert_eq!(s, r#"{"a":"x\"y","b":true,"c":[1,2],"d":null}"#);
        let mut empty = String::new();
        Obj::new(&mut empty).end();
        assert_eq!(empty, "{}");
    }

    /// Numbers as JS sees them (`1.0` and `1` are the same number).
    fn as_js(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
            Value::Array(a) => Value::Array(a.into_iter().map(as_js).collect()),
            Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, as_js(v))).collect()),
            other => other,
        }
    }

    /// Our text and serde_json's for the same value parse to the same JSON.
    fn same_as_serde<T: ToJson + serde::Serialize>(v: &T) {
        let ours = as_js(serde_json::from_str(&v.to_json()).unwrap());
        let theirs = as_js(serde_json::to_value(v).unwrap());
        assert_eq!(ours, theirs, "{}", v.to_json());
    }

    #[test]
    fn every_result_type_matches_its_serde_shape() {
        use crate::domain::account::{parse_business_page, parse_phone_page};
        use crate::domain::request::{ApiResponse, Method};
        let resp = |body: &str| ApiResponse {
            status: 200,
            headers: vec![],
            body: body.into(),
        };
        same_as_serde(&crate::domain::template::validate_template_name("Bad Name"));
        same_as_serde(&crate::domain::phone::validate_recipient("+27 82 123 4567"));
        same_as_serde(&crate::domain::phone::validate_recipient("x"));
        let def: serde_json::Value = serde_json::from_str(
            r#"{"components":[{"type":"HEADER","format":"TEXT","text":"Hi *{{1}}*"},
                {"type":"BODY","text":"_Order_ {{1}} ~x~ ```m```"},{"type":"FOOTER","text":"f"},
                {"type":"BUTTONS","buttons":[{"type":"URL","text":"Go","url":"https://e.com/{{1}}"},
                {"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550001234"}]}]}"#,
        )
        .unwrap();
        same_as_serde(&crate::domain::template::render_template_preview(
            &def, None,
        ));
        same_as_serde(&crate::domain::webhook::conversation_window(1_000, 2_000));
        same_as_serde(&ApiRequest {
            method: Method::Post,
            url: "https://graph.facebook.com/v25.0/1/messages".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Some("{}".into()),
        });
        same_as_serde(&SendResult {
            message_id: "wamid.1".into(),
            wa_id: Some("1555".into()),
            input: None,
            user_id: Some("US.1".into()),
            message_status: Some("accepted".into()),
        });
        let page = crate::domain::message::parse_template_page(&resp(
            r#"{"data":[{"id":"1","name":"n","status":"APPROVED","language":"en_US","components":[{"type":"BODY","text":"x"}],
              "quality_score":{"score":"GREEN"}}],"paging":{"cursors":{"after":"A"},"next":"https://x"}}"#,
        ))
        .unwrap();
        same_as_serde(&page.data);
        same_as_serde(&CreatedTemplate {
            id: "9".into(),
            status: Some("PENDING".into()),
            category: None,
        });
        let businesses = parse_business_page(&resp(
            r#"{"data":[{"id":"5","name":"B","verification_status":"verified"}]}"#,
        ))
        .unwrap();
        let phones = parse_phone_page(&resp(
            r#"{"data":[{"id":"7","display_phone_number":"+1 555","quality_rating":"GREEN","throughput":{"level":"STANDARD"}}]}"#,
        ))
        .unwrap();
        same_as_serde(&AccountDiscovery {
            businesses: businesses.data,
            accounts: vec![BusinessAccount {
                id: "3".into(),
                name: None,
                relation: Relation::Client,
                business_id: "5".into(),
                currency: Some("USD".into()),
                timezone_id: None,
                message_template_namespace: None,
                account_review_status: None,
                business_verification_status: None,
                ownership_type: None,
                phone_numbers: phones.data,
            }],
            problems: vec![DiscoveryProblem {
                object_id: "5".into(),
                listing: "owned_wabas",
                kind: "permission",
                code: "200".into(),
                message: "m".into(),
            }],
        });
        same_as_serde(&AuthorizationUrl {
            url: "https://www.facebook.com/".into(),
            state: "s".into(),
        });
        same_as_serde(&TokenResponse {
            access_token: "t".into(),
            token_type: "bearer".into(),
            expires_in: Some(5_183_944),
            expires_at_ms: Some(1_750_263_775_123.0),
        });
        same_as_serde(&TokenInfo {
            valid: true,
            app_id: Some("1".into()),
            token_type: Some("USER".into()),
            application: None,
            expires_at_ms: Some(0),
            data_access_expires_at_ms: None,
            issued_at_ms: Some(-1_000),
            scopes: vec!["whatsapp_business_messaging".into()],
            granular_scopes: vec![GranularScope {
                scope: "s".into(),
                target_ids: vec!["1".into()],
            }],
            waba_ids: vec![],
            user_id: None,
        });
        let mut task = TaskOutput {
            run: true,
            run_text: "ok".into(),
            action: "get_templates".into(),
            templates: Some(RawJson::parse(r#"[{"a": 1}]"#.to_owned()).unwrap()),
            count: Some(1),
            ..TaskOutput::default()
        };
        same_as_serde(&task);
        task.error_kind = Some("auth");
        task.success = Some(false);
        same_as_serde(&task);
    }

    proptest::proptest! {
        #[test]
        fn any_string_round_trips_through_serde_and_our_reader(s in proptest::arbitrary::any::<String>()) {
            // Control characters, quotes, backslashes and non-ASCII included.
            let mut out = String::new();
            push_json_str(&mut out, &s);
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s.clone());
            let doc = Doc::parse(&out).unwrap();
            proptest::prop_assert_eq!(doc.root().as_str(), Some(s.as_str()));
        }

        #[test]
        fn integers_are_written_like_to_string(n in proptest::arbitrary::any::<i64>(), u in proptest::arbitrary::any::<u64>()) {
            proptest::prop_assert_eq!(text(&n), n.to_string());
            proptest::prop_assert_eq!(text(&u), u.to_string());
        }

        #[test]
        fn strings_and_floats_round_trip_through_a_json_parser(s in ".*", f in proptest::num::f64::ANY) {
            let mut out = String::new();
            let mut o = Obj::new(&mut out);
            o.field("s", &s).field("f", &f);
            o.end();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            proptest::prop_assert_eq!(v["s"].as_str(), Some(s.as_str()));
            if f.is_finite() {
                let got = v["f"].as_f64().unwrap();
                proptest::prop_assert!((got - f).abs() <= 1e-6 * f.abs().max(1.0));
            } else {
                proptest::prop_assert!(v["f"].is_null());
            }
        }
    }
}
