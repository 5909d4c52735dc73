//! Send-time template components (`platform-rules.md` §2.3): what goes in
//! `template.components` of a template message — header, body and button parameters — in Meta's
//! own wire shape, so examples from Meta's docs can be pasted as they are.

use crate::core::error::Issue;
use crate::core::json::{
    char_len, field, index, push_f64, push_json_str, push_key, push_opt_str, push_value,
    wrong_type, Path, Reader,
};
use crate::core::media::url_issues;
use crate::core::template::is_param_name;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// One entry of `template.components` in a send request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SendComponent {
    /// `header`, `body` or `button`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For buttons: `quick_reply`, `url`, `copy_code`, `flow`, `voice_call`, `catalog`, `mpm`.
    #[serde(default, alias = "subType", skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    /// For buttons: the button's position in the template, 0–9 (sent as a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<ButtonIndex>,
    /// The parameter values.
    #[serde(default)]
    pub parameters: Vec<SendParameter>,
}

/// A button position; accepted as a number or a string, sent as a string (`"0"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ButtonIndex(pub u32);

impl Serialize for ButtonIndex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ButtonIndex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ButtonIndex;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a button index 0-9 (number or string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ButtonIndex, E> {
                u32::try_from(v)
                    .map(ButtonIndex)
                    .map_err(|_| E::custom("button index out of range"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ButtonIndex, E> {
                u32::try_from(v)
                    .map(ButtonIndex)
                    .map_err(|_| E::custom("button index must be 0-9"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ButtonIndex, E> {
                if v.fract() == 0.0 && (0.0..=1000.0).contains(&v) {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(ButtonIndex(v as u32))
                } else {
                    Err(E::custom("button index must be a whole number 0-9"))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ButtonIndex, E> {
                v.trim()
                    .parse()
                    .map(ButtonIndex)
                    .map_err(|_| E::custom("button index must be 0-9"))
            }
        }
        d.deserialize_any(V)
    }
}

/// One parameter value, in Meta's shape: `{"type":"text","text":"…"}`, `{"type":"image","image":{"link":"…"}}`,
/// `{"type":"payload","payload":"…"}`, `{"type":"coupon_code","coupon_code":"…"}`, …
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SendParameter {
    /// `text`, `currency`, `date_time`, `image`, `video`, `document`, `location`, `payload`,
    /// `coupon_code`, `action`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Name of the variable (named-parameter templates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_name: Option<String>,
    /// Value of a `text` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Value of a quick-reply `payload` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Value of a copy-code button's `coupon_code` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// `image` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<MediaRef>,
    /// `video` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<MediaRef>,
    /// `document` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<MediaRef>,
    /// `location` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationValue>,
    /// `currency` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<CurrencyValue>,
    /// `date_time` value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time: Option<DateTimeValue>,
    /// Flow button `action` (`{flow_token, flow_action_data}`), passed through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<serde_json::Value>,
}

impl SendParameter {
    /// `{"type":"text","text":value}`.
    pub fn text(value: impl Into<String>) -> Self {
        SendParameter {
            kind: "text".into(),
            text: Some(value.into()),
            ..Default::default()
        }
    }
    /// `{"type":"text","text":value,"parameter_name":name}`.
    pub fn named_text(name: impl Into<String>, value: impl Into<String>) -> Self {
        SendParameter {
            parameter_name: Some(name.into()),
            ..Self::text(value)
        }
    }
    /// `{"type":"payload","payload":value}` (quick-reply button).
    pub fn payload(value: impl Into<String>) -> Self {
        SendParameter {
            kind: "payload".into(),
            payload: Some(value.into()),
            ..Default::default()
        }
    }
    /// `{"type":"coupon_code","coupon_code":value}` (copy-code button).
    pub fn coupon_code(value: impl Into<String>) -> Self {
        SendParameter {
            kind: "coupon_code".into(),
            coupon_code: Some(value.into()),
            ..Default::default()
        }
    }
    /// A media header parameter (`kind` is `image`, `video` or `document`).
    pub fn media(kind: &str, media: MediaRef) -> Self {
        let mut p = SendParameter {
            kind: kind.to_owned(),
            ..Default::default()
        };
        match kind {
            "image" => p.image = Some(media),
            "video" => p.video = Some(media),
            _ => p.document = Some(media),
        }
        p
    }
}

/// A media reference: `{id}` or `{link}`; documents may add `filename`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    /// Uploaded media id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Public HTTPS URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Document file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// A location header value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationValue {
    /// −90…90.
    pub latitude: f64,
    /// −180…180.
    pub longitude: f64,
    /// Place name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A currency value: `{fallback_value, code (ISO 4217), amount_1000}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyValue {
    /// Text shown where the amount cannot be localised.
    pub fallback_value: String,
    /// ISO 4217 code, e.g. `USD`.
    pub code: String,
    /// Amount × 1000 (e.g. 100990 for 100.99).
    pub amount_1000: i64,
}

/// A date/time value (Cloud API always shows `fallback_value`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateTimeValue {
    /// The text shown.
    pub fallback_value: String,
}

impl SendComponent {
    /// Reads a component in Meta's send shape (`sub_type` or `subType`; `index` as a number or a
    /// string) from JSON; wrong member types are issues at `path`.
    pub fn from_json(v: &Value, path: &str) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, path, "a component object");
        let kind = r.string("type");
        let sub_type = match r.value("sub_type") {
            Some(_) => r.opt_string("sub_type"),
            None => r.opt_string("subType"),
        };
        // `index` as a number or as digits in a string (CRMs send both).
        let button_index = match r.value("index") {
            None => None,
            Some(v) => {
                let n = match v {
                    Value::String(s) => crate::core::json::parse_u64(s.trim()),
                    n => n.as_u64(),
                };
                match n.and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => Some(ButtonIndex(n)),
                    None => {
                        r.issues.push(Issue::error(
                            r.path("index"),
                            "button_index_invalid",
                            "index must be the button position 0–9.",
                        ));
                        None
                    }
                }
            }
        };
        let mut parameters = Vec::new();
        match r.value("parameters") {
            None => {}
            Some(Value::Array(a)) => {
                let base = r.path("parameters");
                for (i, p) in a.iter().enumerate() {
                    match SendParameter::from_json(p, &index(&base, i)) {
                        Ok(p) => parameters.push(p),
                        Err(mut is) => r.issues.append(&mut is),
                    }
                }
            }
            Some(other) => {
                let issue = wrong_type(&r.path("parameters"), other, "an array");
                r.issues.push(issue);
            }
        }
        r.finish(SendComponent {
            kind,
            sub_type,
            index: button_index,
            parameters,
        })
    }
}

impl SendParameter {
    /// Reads a parameter in Meta's shape from JSON.
    pub fn from_json(v: &Value, path: &str) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, path, "a parameter object");
        let media = |r: &mut Reader<'_>, key: &str| -> Option<MediaRef> {
            let v = r.value(key)?;
            let p = r.path(key);
            let mut m = Reader::new(v, &p, "an object with id or link");
            let out = MediaRef {
                id: m.opt_string("id"),
                link: m.opt_string("link"),
                filename: m.opt_string("filename"),
            };
            r.issues.append(&mut m.issues);
            Some(out)
        };
        let image = media(&mut r, "image");
        let video = media(&mut r, "video");
        let document = media(&mut r, "document");
        let location = r.value("location").map(|v| {
            let p = r.path("location");
            let mut l = Reader::new(v, &p, "an object");
            let out = LocationValue {
                latitude: l.opt_f64("latitude").unwrap_or(f64::NAN),
                longitude: l.opt_f64("longitude").unwrap_or(f64::NAN),
                name: l.opt_string("name"),
                address: l.opt_string("address"),
            };
            r.issues.append(&mut l.issues);
            out
        });
        let currency = r.value("currency").map(|v| {
            let p = r.path("currency");
            let mut c = Reader::new(v, &p, "an object");
            let out = CurrencyValue {
                fallback_value: c.string("fallback_value"),
                code: c.string("code"),
                amount_1000: c.opt_i64("amount_1000").unwrap_or(0),
            };
            r.issues.append(&mut c.issues);
            out
        });
        let date_time = r.value("date_time").map(|v| {
            let p = r.path("date_time");
            let mut d = Reader::new(v, &p, "an object");
            let out = DateTimeValue {
                fallback_value: d.string("fallback_value"),
            };
            r.issues.append(&mut d.issues);
            out
        });
        let out = SendParameter {
            kind: r.string("type"),
            parameter_name: r.opt_string("parameter_name"),
            text: r.opt_string("text"),
            payload: r.opt_string("payload"),
            coupon_code: r.opt_string("coupon_code"),
            image,
            video,
            document,
            location,
            currency,
            date_time,
            action: r.value("action").cloned(),
        };
        r.finish(out)
    }
}

/// Appends components as Meta's JSON (same output as their `Serialize`, written by hand).
pub(crate) fn push_components(out: &mut String, components: &[SendComponent]) {
    out.push('[');
    for (i, c) in components.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_component(out, c);
    }
    out.push(']');
}

/// Appends one component as Meta's JSON.
pub(crate) fn push_component(out: &mut String, c: &SendComponent) {
    out.push_str("{\"type\":");
    push_json_str(out, &c.kind);
    push_opt_str(out, "sub_type", c.sub_type.as_deref());
    if let Some(ButtonIndex(n)) = c.index {
        out.push_str(",\"index\":\"");
        out.push_str(&n.to_string());
        out.push('"');
    }
    out.push_str(",\"parameters\":[");
    for (j, p) in c.parameters.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        push_parameter(out, p);
    }
    out.push_str("]}");
}

fn push_media(out: &mut String, key: &str, m: Option<&MediaRef>) {
    if let Some(m) = m {
        out.push(',');
        push_key(out, key);
        out.push('{');
        let start = out.len();
        for (k, v) in [("id", &m.id), ("link", &m.link), ("filename", &m.filename)] {
            if let Some(v) = v {
                if out.len() > start {
                    out.push(',');
                }
                push_key(out, k);
                push_json_str(out, v);
            }
        }
        out.push('}');
    }
}

pub(crate) fn push_parameter(out: &mut String, p: &SendParameter) {
    out.push_str("{\"type\":");
    push_json_str(out, &p.kind);
    push_opt_str(out, "parameter_name", p.parameter_name.as_deref());
    push_opt_str(out, "text", p.text.as_deref());
    push_opt_str(out, "payload", p.payload.as_deref());
    push_opt_str(out, "coupon_code", p.coupon_code.as_deref());
    push_media(out, "image", p.image.as_ref());
    push_media(out, "video", p.video.as_ref());
    push_media(out, "document", p.document.as_ref());
    if let Some(l) = &p.location {
        out.push_str(",\"location\":{\"latitude\":");
        push_f64(out, l.latitude);
        out.push_str(",\"longitude\":");
        push_f64(out, l.longitude);
        push_opt_str(out, "name", l.name.as_deref());
        push_opt_str(out, "address", l.address.as_deref());
        out.push('}');
    }
    if let Some(c) = &p.currency {
        out.push_str(",\"currency\":{\"fallback_value\":");
        push_json_str(out, &c.fallback_value);
        out.push_str(",\"code\":");
        push_json_str(out, &c.code);
        out.push_str(",\"amount_1000\":");
        out.push_str(&c.amount_1000.to_string());
        out.push('}');
    }
    if let Some(d) = &p.date_time {
        out.push_str(",\"date_time\":{\"fallback_value\":");
        push_json_str(out, &d.fallback_value);
        out.push('}');
    }
    if let Some(a) = &p.action {
        out.push_str(",\"action\":");
        push_value(out, a);
    }
    out.push('}');
}

/// Reads a `components` array of send components.
pub(crate) fn components_from_json(
    v: &Value,
    path: &str,
    issues: &mut Vec<Issue>,
) -> Vec<SendComponent> {
    match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .filter_map(
                |(i, c)| match SendComponent::from_json(c, &index(path, i)) {
                    Ok(c) => Some(c),
                    Err(mut is) => {
                        issues.append(&mut is);
                        None
                    }
                },
            )
            .collect(),
        Value::Null => Vec::new(),
        other => {
            issues.push(wrong_type(path, other, "an array of components"));
            Vec::new()
        }
    }
}

/// Longest header text value.
const HEADER_VALUE_MAX: usize = 60;
/// Longest body text value Meta documents for templates with other components.
const BODY_VALUE_MAX: usize = 1024;
/// Longest coupon code sent to a copy-code button.
const COUPON_MAX: usize = 15;

/// Issues of send-time components (at `base`, e.g. `components`).
pub(crate) fn send_component_issues(components: &[SendComponent], base: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen_header = false;
    let mut seen_body = false;
    let mut seen_buttons: Vec<u32> = Vec::new();
    for (i, c) in components.iter().enumerate() {
        let p = index(base, i);
        match c.kind.as_str() {
            "header" | "body" => {
                let seen = if c.kind == "header" {
                    &mut seen_header
                } else {
                    &mut seen_body
                };
                if *seen {
                    issues.push(Issue::error(
                        &p,
                        "send_component_duplicate",
                        format!("Only one {} component may be sent.", c.kind),
                    ));
                }
                *seen = true;
                if c.sub_type.is_some() || c.index.is_some() {
                    issues.push(Issue::error(
                        &p,
                        "send_component_invalid",
                        "sub_type and index belong to button components only.",
                    ));
                }
            }
            "button" => {
                match c.sub_type.as_deref() {
                    Some("quick_reply" | "url" | "copy_code" | "flow" | "voice_call" | "catalog" | "mpm") => {}
                    other => issues.push(Issue::error(
                        field(&p, "sub_type"),
                        "button_sub_type_invalid",
                        format!("{} is not a button sub_type; use quick_reply, url, copy_code, flow, voice_call, catalog or mpm.", other.map_or("(missing)".to_owned(), |s| format!("\"{s}\""))),
                    )),
                }
                match c.index {
                    Some(ButtonIndex(n)) if n <= 9 => {
                        if seen_buttons.contains(&n) {
                            issues.push(Issue::error(&p, "send_component_duplicate", format!("Button index {n} is given twice.")));
                        }
                        seen_buttons.push(n);
                    }
                    _ => issues.push(Issue::error(
                        field(&p, "index"),
                        "button_index_invalid",
                        "A button component needs index: the button's position in the template, 0–9.",
                    )),
                }
            }
            other => {
                issues.push(Issue::error(
                    field(&p, "type"),
                    "send_component_type_invalid",
                    format!("\"{other}\" is not a send component; use header, body or button (lowercase)."),
                ));
                continue;
            }
        }
        let mut named = 0usize;
        for (j, prm) in c.parameters.iter().enumerate() {
            let pp = index(&field(&p, "parameters"), j);
            if prm.parameter_name.is_some() {
                named += 1;
            }
            parameter_issues(c, prm, &pp, &mut issues);
        }
        if named > 0 && named != c.parameters.len() {
            issues.push(Issue::error(
                field(&p, "parameters"),
                "parameter_names_mixed",
                "Either every parameter of a component has a parameter_name (named templates) or none has.",
            ));
        }
        if c.kind == "button" && c.parameters.len() > 1 {
            issues.push(Issue::error(
                field(&p, "parameters"),
                "parameter_count_invalid",
                "A button takes exactly one parameter.",
            ));
        }
    }
    issues
}

fn parameter_issues(c: &SendComponent, prm: &SendParameter, p: &str, issues: &mut Vec<Issue>) {
    let allowed: &[&str] = match (c.kind.as_str(), c.sub_type.as_deref()) {
        ("header", _) => &[
            "text",
            "currency",
            "date_time",
            "image",
            "video",
            "document",
            "location",
        ],
        ("body", _) => &["text", "currency", "date_time"],
        ("button", Some("quick_reply")) => &["payload"],
        ("button", Some("url")) => &["text"],
        ("button", Some("copy_code")) => &["coupon_code"],
        ("button", Some("flow")) => &["action"],
        _ => &["text", "payload", "coupon_code", "action"],
    };
    if !allowed.contains(&prm.kind.as_str()) {
        issues.push(Issue::error(
            field(p, "type"),
            "parameter_type_invalid",
            format!(
                "\"{}\" parameters are not allowed here; use {}.",
                prm.kind,
                crate::core::json::join_strs(allowed, ", ")
            ),
        ));
        return;
    }
    if let Some(n) = &prm.parameter_name {
        if !is_param_name(n) {
            issues.push(Issue::error(
                field(p, "parameter_name"),
                "parameter_name_invalid",
                format!(
                    "\"{n}\" is not a variable name (lowercase letters, digits and underscores)."
                ),
            ));
        }
    }
    let missing = |issues: &mut Vec<Issue>, what: &str| {
        issues.push(Issue::error(
            field(p, what),
            "parameter_value_missing",
            format!("A {} parameter needs {what}.", prm.kind),
        ));
    };
    match prm.kind.as_str() {
        "text" => match &prm.text {
            Some(t) => text_value_issues(
                t,
                c.kind.as_str() == "header",
                c.kind == "button",
                Path::at(p).key("text"),
                issues,
            ),
            None => missing(issues, "text"),
        },
        "payload" if prm.payload.is_none() => missing(issues, "payload"),
        "coupon_code" => match &prm.coupon_code {
            Some(code) if !code.is_empty() && char_len(code) <= COUPON_MAX => {}
            Some(_) => issues.push(Issue::error(
                field(p, "coupon_code"),
                "parameter_too_long",
                format!("A coupon code must be 1–{COUPON_MAX} characters."),
            )),
            None => missing(issues, "coupon_code"),
        },
        "image" | "video" | "document" => {
            let m = match prm.kind.as_str() {
                "image" => &prm.image,
                "video" => &prm.video,
                _ => &prm.document,
            };
            let mp = field(p, &prm.kind);
            match m {
                None => missing(issues, &prm.kind),
                Some(m) => match (&m.id, &m.link) {
                    (Some(_), Some(_)) | (None, None) => issues.push(Issue::error(
                        &mp,
                        "media_source_both",
                        "Give exactly one of link or id.",
                    )),
                    (None, Some(link)) => url_issues(link, &field(&mp, "link"), issues),
                    (Some(id), None) => {
                        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                            issues.push(Issue::error(
                                field(&mp, "id"),
                                "media_id_invalid",
                                "A media id is digits only.",
                            ));
                        }
                    }
                },
            }
        }
        "location" => match &prm.location {
            None => missing(issues, "location"),
            Some(l) => {
                if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude)
                {
                    issues.push(Issue::error(
                        field(p, "location"),
                        "location_invalid",
                        "latitude must be within −90…90 and longitude within −180…180.",
                    ));
                }
            }
        },
        "currency" => match &prm.currency {
            None => missing(issues, "currency"),
            Some(cur) => {
                if cur.code.len() != 3 || !cur.code.bytes().all(|b| b.is_ascii_uppercase()) {
                    issues.push(Issue::error(
                        field(p, "currency.code"),
                        "currency_code_invalid",
                        "currency.code must be an ISO 4217 code such as USD or ZAR.",
                    ));
                }
                if cur.fallback_value.trim().is_empty() {
                    issues.push(Issue::error(
                        field(p, "currency.fallback_value"),
                        "parameter_value_missing",
                        "currency.fallback_value is required.",
                    ));
                }
            }
        },
        "date_time" => match &prm.date_time {
            Some(d) if !d.fallback_value.trim().is_empty() => {}
            _ => missing(issues, "date_time.fallback_value"),
        },
        "action" if prm.action.is_none() => missing(issues, "action"),
        _ => {}
    }
}

/// Newline, tab or more than 4 consecutive spaces (one pass, no substring searcher).
fn has_bad_whitespace(t: &str) -> bool {
    let mut spaces = 0u8;
    for b in t.bytes() {
        match b {
            b'\n' | b'\r' | b'\t' => return true,
            b' ' => {
                spaces += 1;
                if spaces > 4 {
                    return true;
                }
            }
            _ => spaces = 0,
        }
    }
    false
}

/// A text value of a template parameter: non-empty; body/header values cannot contain newlines,
/// tabs or more than 4 consecutive spaces (§2.3); header values ≤ 60 characters.
#[inline(never)]
pub(crate) fn text_value_issues(
    t: &str,
    header: bool,
    button: bool,
    p: Path<'_>,
    issues: &mut Vec<Issue>,
) {
    // A printable ASCII first byte is not blank: no Unicode whitespace scan for usual values.
    if !t.bytes().next().is_some_and(|b| b.is_ascii_graphic()) && t.trim().is_empty() {
        issues.push(Issue::error(
            p.render(),
            "parameter_empty",
            "Parameter values cannot be empty (Meta rejects the message).",
        ));
        return;
    }
    if !button && has_bad_whitespace(t) {
        issues.push(Issue::error(
            p.render(),
            "parameter_text_invalid",
            "Parameter values cannot contain newlines, tabs or more than 4 consecutive spaces.",
        ));
    }
    let len = char_len(t);
    if header && len > HEADER_VALUE_MAX {
        issues.push(Issue::error(
            p.render(),
            "parameter_too_long",
            format!(
                "Header values may be at most {HEADER_VALUE_MAX} characters; this one is {len}."
            ),
        ));
    } else if !header && !button && len > BODY_VALUE_MAX {
        issues.push(Issue::warning(
            p.render(),
            "parameter_too_long",
            format!("Body values longer than {BODY_VALUE_MAX} characters ({len}) are only accepted in body-only templates."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// The hand-written JSON equals serde's for the same components.
    #[test]
    fn hand_written_json_matches_serde() {
        let comps: Vec<SendComponent> = serde_json::from_value(json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://a.io/x.png"}}]},
            {"type": "header", "parameters": [{"type": "document", "document": {"id": "1", "filename": "a \"b\".pdf"}}]},
            {"type": "header", "parameters": [{"type": "location", "location": {"latitude": -33.9249, "longitude": 18.4241, "name": "Cape Town"}}]},
            {"type": "body", "parameters": [
                {"type": "text", "text": "Tab\there \u{1} é 🎉", "parameter_name": "x"},
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}
            ]},
            {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "STOP"}]},
            {"type": "button", "sub_type": "copy_code", "index": "2", "parameters": [{"type": "coupon_code", "coupon_code": "SAVE30"}]},
            {"type": "button", "sub_type": "flow", "index": 3, "parameters": [{"type": "action", "action": {"flow_token": "t", "flow_action_data": {"a": [1, 2.5, null, true]}}}]}
        ])).unwrap();
        let mut out = String::new();
        push_components(&mut out, &comps);
        let ours: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(ours, serde_json::to_value(&comps).unwrap());
        assert_eq!(out, serde_json::to_string(&comps).unwrap());
    }

    proptest! {
        #[test]
        fn string_escaping_round_trips(s in "\\PC*|[\\x00-\\x1f\"\\\\]{0,20}") {
            let mut out = String::new();
            push_json_str(&mut out, &s);
            prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        }
    }
}
