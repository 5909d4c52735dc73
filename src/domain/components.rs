//! Send-time template components (`platform-rules.md` §2.3): what goes in
//! `template.components` of a template message — header, body, button, carousel,
//! limited-time-offer and tap-target parameters — in Meta's own wire shape, so examples from
//! Meta's docs can be pasted as they are (`type` and `sub_type` in any case: Meta's catalog example
//! writes `"CATALOG"`).
//!
//! Numbers the builder forwards (location coordinates, `expiration_time_ms`, `ttl_minutes`,
//! anything inside a flow/catalog `action`, a tap target) keep their JSON text: they leave exactly
//! as the caller wrote them. Numbers that are checked (coordinate ranges, whole numbers) are
//! checked on that text, exactly.

use crate::domain::error::Issue;
use crate::domain::input::{char_len, finite, parse_input, whole_u64, wrong_type, Path, Reader};
use crate::domain::json::{push_json_str, push_key, push_opt_str, Json};
use crate::domain::json::{RawJson, ToJson};
use crate::domain::media::url_issues;

/// One entry of `template.components` in a send request.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SendComponent {
    /// `header`, `body`, `button`, `carousel`, `limited_time_offer` or
    /// `tap_target_configuration` (read in any case, written in lower case).
    #[cfg_attr(
        feature = "serde",
        serde(rename = "type", deserialize_with = "serde_shapes::lower_de")
    )]
    pub kind: String,
    /// For buttons: `quick_reply`, `url`, `copy_code`, `flow`, `voice_call`, `catalog`, `mpm`.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            alias = "subType",
            skip_serializing_if = "Option::is_none",
            deserialize_with = "serde_shapes::lower_opt_de"
        )
    )]
    pub sub_type: Option<String>,
    /// For buttons: the button's position in the template, 0–9 (sent as a string). Optional
    /// for `voice_call` (Meta's example has none).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub index: Option<ButtonIndex>,
    /// The parameter values.
    #[cfg_attr(feature = "serde", serde(default))]
    pub parameters: Vec<SendParameter>,
    /// `carousel`: the cards, each with its own header, body and buttons.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub cards: Vec<SendCard>,
}

/// One card of a `carousel` component.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SendCard {
    /// The card's position, 0–9.
    pub card_index: u32,
    /// The card's header, body and button components.
    #[cfg_attr(feature = "serde", serde(default))]
    pub components: Vec<SendComponent>,
}

/// A button position; accepted as a number or a string, sent as a string (`"0"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ButtonIndex(pub u32);

/// One parameter value, in Meta's shape: `{"type":"text","text":"…"}`, `{"type":"image","image":{"link":"…"}}`,
/// `{"type":"payload","payload":"…"}`, `{"type":"coupon_code","coupon_code":"…"}`, …
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SendParameter {
    /// `text`, `currency`, `date_time`, `image`, `video`, `document`, `location`, `product`,
    /// `payload`, `coupon_code`, `action`, `ttl_minutes`, `limited_time_offer`,
    /// `tap_target_configuration`.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "type", deserialize_with = "serde_shapes::lower_de")
    )]
    pub kind: String,
    /// Name of the variable (named-parameter templates only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parameter_name: Option<String>,
    /// Value of a `text` parameter.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub text: Option<String>,
    /// Value of a quick-reply (or voice-call) `payload` parameter.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub payload: Option<String>,
    /// Value of a copy-code button's `coupon_code` parameter.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub coupon_code: Option<String>,
    /// `image` header.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub image: Option<MediaRef>,
    /// `video` header.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub video: Option<MediaRef>,
    /// `document` header.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub document: Option<MediaRef>,
    /// `location` header.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub location: Option<LocationValue>,
    /// `product` header (single-product templates and product carousel cards).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub product: Option<ProductRef>,
    /// `currency` value.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub currency: Option<CurrencyValue>,
    /// `date_time` value.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub date_time: Option<DateTimeValue>,
    /// Flow, catalog or multi-product button `action`, forwarded as its JSON text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub action: Option<RawJson>,
    /// Voice-call button: minutes the button stays active (a whole number, forwarded as text).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub ttl_minutes: Option<RawJson>,
    /// `{expiration_time_ms}` of a limited-time offer, forwarded as its JSON text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub limited_time_offer: Option<RawJson>,
    /// `[{url, title}]` of a tap-target override, forwarded as its JSON text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub tap_target_configuration: Option<RawJson>,
}

impl SendParameter {
    /// A parameter of type `kind` with no value yet (the constructors below fill one in).
    fn of_kind(kind: &str) -> Self {
        SendParameter {
            kind: kind.to_owned(),
            ..Default::default()
        }
    }
    /// `{"type":"text","text":value}`.
    pub fn text(value: impl Into<String>) -> Self {
        let mut p = Self::of_kind("text");
        p.text = Some(value.into());
        p
    }
    /// `{"type":"text","text":value,"parameter_name":name}`.
    pub fn named_text(name: impl Into<String>, value: impl Into<String>) -> Self {
        let mut p = Self::text(value);
        p.parameter_name = Some(name.into());
        p
    }
    /// `{"type":"payload","payload":value}` (quick-reply button).
    pub fn payload(value: impl Into<String>) -> Self {
        let mut p = Self::of_kind("payload");
        p.payload = Some(value.into());
        p
    }
    /// `{"type":"coupon_code","coupon_code":value}` (copy-code button).
    pub fn coupon_code(value: impl Into<String>) -> Self {
        let mut p = Self::of_kind("coupon_code");
        p.coupon_code = Some(value.into());
        p
    }
    /// A media header parameter (`kind` is `image`, `video` or `document`).
    pub fn media(kind: &str, media: MediaRef) -> Self {
        let mut p = Self::of_kind(kind);
        match kind {
            "image" => p.image = Some(media),
            "video" => p.video = Some(media),
            _ => p.document = Some(media),
        }
        p
    }
}

/// A media reference: `{id}` or `{link}`; documents may add `filename`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MediaRef {
    /// Uploaded media id.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub id: Option<String>,
    /// Public HTTPS URL.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub link: Option<String>,
    /// Document file name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub filename: Option<String>,
}

/// A product header value: `{product_retailer_id, catalog_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProductRef {
    /// The product's retailer id (SKU) in the catalog.
    pub product_retailer_id: String,
    /// The catalog id.
    pub catalog_id: String,
}

/// A location header value. The coordinates are JSON number text, forwarded exactly.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LocationValue {
    /// −90…90, as JSON number text (e.g. `"62.216009808114364"`).
    pub latitude: RawJson,
    /// −180…180, as JSON number text.
    pub longitude: RawJson,
    /// Place name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub name: Option<String>,
    /// Address.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub address: Option<String>,
}

/// A currency value: `{fallback_value, code (ISO 4217), amount_1000}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CurrencyValue {
    /// Text shown where the amount cannot be localised.
    pub fallback_value: String,
    /// ISO 4217 code, e.g. `USD`.
    pub code: String,
    /// Amount × 1000 (e.g. 100990 for 100.99).
    pub amount_1000: i64,
}

/// A date/time value (Cloud API always shows `fallback_value`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DateTimeValue {
    /// The text shown.
    pub fallback_value: String,
}

/// Lower-case ASCII (Meta accepts `HEADER`, `QUICK_REPLY`, `CATALOG`… and documents lower case).
fn lower(s: String) -> String {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        s.to_ascii_lowercase()
    } else {
        s
    }
}

/// The serde forms of the types whose JSON shape is not their fields' (feature `serde`).
#[cfg(feature = "serde")]
mod serde_shapes {
    use super::{lower, ButtonIndex};
    use serde::de::{self, Deserializer, Visitor};
    use serde::{Deserialize, Serialize, Serializer};
    use std::fmt;

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

    /// serde: a string, lower-cased (`"HEADER"` reads as `header`).
    pub(super) fn lower_de<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        String::deserialize(d).map(lower)
    }

    /// serde: an optional string, lower-cased.
    pub(super) fn lower_opt_de<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<String>, D::Error> {
        Option::<String>::deserialize(d).map(|s| s.map(lower))
    }
}

/// A position (button `index`, `card_index`): a whole number, or digits in a string.
fn position(v: Json<'_>) -> Option<u32> {
    let n = match v.as_str() {
        Some(s) => crate::domain::json::parse_u64(s.trim()),
        None => whole_u64(v),
    };
    n.and_then(|n| u32::try_from(n).ok())
}

/// The JSON number text of a value (`None` for other types).
fn number_text(v: Json<'_>) -> Option<String> {
    match v {
        Json::Number(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

impl SendComponent {
    /// Reads a component in Meta's send shape (`sub_type` or `subType`; `index` as a number or a
    /// string; `type`/`sub_type` in any case) from its JSON text; wrong member types are issues
    /// at `path`. Forwarded numbers keep their text.
    pub fn from_json(text: &str, path: &str) -> Result<Self, Vec<Issue>> {
        let doc = parse_input(text, path, "The component").map_err(|i| vec![i])?;
        Self::read(doc.root(), Path::at(path))
    }

    /// [`from_json`](Self::from_json) of a parsed value.
    pub(crate) fn read(v: Json<'_>, path: Path<'_>) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::at(v, path, "a component object");
        let kind = lower(r.string("type"));
        let sub_type = match r.any("sub_type") {
            Some(_) => r.opt_string("sub_type"),
            None => r.opt_string("subType"),
        }
        .map(lower);
        // `index` as a number or as digits in a string (CRMs send both).
        let button_index = match r.any("index") {
            None => None,
            Some(v) => match position(v) {
                Some(n) => Some(ButtonIndex(n)),
                None => {
                    r.issues.push(Issue::error(
                        r.path("index"),
                        "button_index_invalid",
                        "index must be the button position 0–9.",
                    ));
                    None
                }
            },
        };
        let mut parameters = Vec::new();
        if let Some(list) = r.any("parameters") {
            let base = path.key("parameters");
            match list {
                Json::Array(items) => {
                    parameters.reserve(items.len());
                    for (i, p) in items.iter().enumerate() {
                        match SendParameter::read(finite(p), base.index(i)) {
                            Ok(p) => parameters.push(p),
                            Err(mut is) => r.issues.append(&mut is),
                        }
                    }
                }
                _ => r.issues.push(wrong_type(&base.render(), list, "an array")),
            }
        }
        let mut cards = Vec::new();
        if let Some(list) = r.any("cards") {
            let base = path.key("cards");
            match list {
                Json::Array(items) => {
                    cards.reserve(items.len());
                    for (i, c) in items.iter().enumerate() {
                        match SendCard::read(finite(c), base.index(i)) {
                            Ok(c) => cards.push(c),
                            Err(mut is) => r.issues.append(&mut is),
                        }
                    }
                }
                _ => r
                    .issues
                    .push(wrong_type(&base.render(), list, "an array of cards")),
            }
        }
        r.finish(SendComponent {
            kind,
            sub_type,
            index: button_index,
            parameters,
            cards,
        })
    }
}

impl SendCard {
    fn read(v: Json<'_>, path: Path<'_>) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::at(v, path, "a card object");
        let card_index = match r.any("card_index").and_then(position) {
            Some(n) if n <= 9 => n,
            _ => {
                r.issues.push(Issue::error(
                    r.path("card_index"),
                    "card_index_invalid",
                    "Each card needs card_index: its position in the carousel, 0–9.",
                ));
                0
            }
        };
        let base = path.key("components");
        let components = match r.any("components") {
            Some(c) => components_read(c, base, &mut r.issues),
            None => {
                r.issues.push(Issue::error(
                    base,
                    "card_component_invalid",
                    "Each card needs components (its header, and its body and buttons if the template's cards have them).",
                ));
                Vec::new()
            }
        };
        r.finish(SendCard {
            card_index,
            components,
        })
    }
}

impl SendParameter {
    /// Reads a parameter in Meta's shape from its JSON text.
    pub fn from_json(text: &str, path: &str) -> Result<Self, Vec<Issue>> {
        let doc = parse_input(text, path, "The parameter").map_err(|i| vec![i])?;
        Self::read(doc.root(), Path::at(path))
    }

    /// [`from_json`](Self::from_json) of a parsed value.
    pub(crate) fn read(v: Json<'_>, path: Path<'_>) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::at(v, path, "a parameter object");
        let media = |r: &mut Reader<'_>, key: &str| -> Option<MediaRef> {
            let v = r.any(key)?;
            let mut m = Reader::at(v, path.key(key), "an object with id or link");
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
        let location = r.any("location").map(|v| {
            let mut l = Reader::at(v, path.key("location"), "an object");
            let coordinate = |l: &mut Reader<'_>, key: &str| match l.any(key) {
                None => RawJson::null(),
                Some(v) => match number_text(v) {
                    Some(t) => RawJson::trusted(t),
                    None => {
                        l.issues.push(wrong_type(&l.path(key), v, "a number"));
                        RawJson::null()
                    }
                },
            };
            let out = LocationValue {
                latitude: coordinate(&mut l, "latitude"),
                longitude: coordinate(&mut l, "longitude"),
                name: l.opt_string("name"),
                address: l.opt_string("address"),
            };
            r.issues.append(&mut l.issues);
            out
        });
        let product = r.any("product").map(|v| {
            let mut m = Reader::at(v, path.key("product"), "an object");
            let out = ProductRef {
                product_retailer_id: m.string("product_retailer_id"),
                catalog_id: m.string("catalog_id"),
            };
            r.issues.append(&mut m.issues);
            out
        });
        let currency = r.any("currency").map(|v| {
            let mut c = Reader::at(v, path.key("currency"), "an object");
            let out = CurrencyValue {
                fallback_value: c.string("fallback_value"),
                code: c.string("code"),
                amount_1000: c.opt_i64("amount_1000").unwrap_or(0),
            };
            r.issues.append(&mut c.issues);
            out
        });
        let date_time = r.any("date_time").map(|v| {
            let mut d = Reader::at(v, path.key("date_time"), "an object");
            let out = DateTimeValue {
                fallback_value: d.string("fallback_value"),
            };
            r.issues.append(&mut d.issues);
            out
        });
        let raw = |r: &Reader<'_>, key: &str| r.any(key).map(RawJson::of);
        let out = SendParameter {
            kind: lower(r.string("type")),
            parameter_name: r.opt_string("parameter_name"),
            text: r.opt_string("text"),
            payload: r.opt_string("payload"),
            coupon_code: r.opt_string("coupon_code"),
            image,
            video,
            document,
            location,
            product,
            currency,
            date_time,
            action: raw(&r, "action"),
            ttl_minutes: raw(&r, "ttl_minutes"),
            limited_time_offer: raw(&r, "limited_time_offer"),
            tap_target_configuration: raw(&r, "tap_target_configuration"),
        };
        r.finish(out)
    }
}

/// Meta's JSON of a component.
impl ToJson for SendComponent {
    fn write_json(&self, out: &mut String) {
        push_component(out, self);
    }
}

/// Meta's JSON of a parameter.
impl ToJson for SendParameter {
    fn write_json(&self, out: &mut String) {
        push_parameter(out, self);
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
    if c.kind == "carousel" {
        out.push_str(",\"cards\":[");
        for (i, card) in c.cards.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"card_index\":");
            out.push_str(&card.card_index.to_string());
            out.push_str(",\"components\":");
            push_components(out, &card.components);
            out.push('}');
        }
        out.push_str("]}");
        return;
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

fn push_raw(out: &mut String, key: &str, v: Option<&RawJson>) {
    if let Some(v) = v {
        out.push(',');
        push_key(out, key);
        v.write_json(out);
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
        l.latitude.write_json(out);
        out.push_str(",\"longitude\":");
        l.longitude.write_json(out);
        push_opt_str(out, "name", l.name.as_deref());
        push_opt_str(out, "address", l.address.as_deref());
        out.push('}');
    }
    if let Some(prod) = &p.product {
        out.push_str(",\"product\":{\"product_retailer_id\":");
        push_json_str(out, &prod.product_retailer_id);
        out.push_str(",\"catalog_id\":");
        push_json_str(out, &prod.catalog_id);
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
    push_raw(out, "action", p.action.as_ref());
    push_raw(out, "ttl_minutes", p.ttl_minutes.as_ref());
    push_raw(out, "limited_time_offer", p.limited_time_offer.as_ref());
    push_raw(
        out,
        "tap_target_configuration",
        p.tap_target_configuration.as_ref(),
    );
    out.push('}');
}

/// Reads a `components` array of send components.
pub(crate) fn components_read(
    v: Json<'_>,
    path: Path<'_>,
    issues: &mut Vec<Issue>,
) -> Vec<SendComponent> {
    let mut out = Vec::new();
    match v {
        Json::Array(items) => {
            out.reserve(items.len());
            for (i, c) in items.iter().enumerate() {
                match SendComponent::read(finite(c), path.index(i)) {
                    Ok(c) => out.push(c),
                    Err(mut is) => issues.append(&mut is),
                }
            }
        }
        Json::Null => {}
        _ => issues.push(wrong_type(&path.render(), v, "an array of components")),
    }
    out
}

/// Longest header text value.
const HEADER_VALUE_MAX: usize = 60;
/// Longest body text value Meta documents for templates with other components.
const BODY_VALUE_MAX: usize = 1024;
/// Longest coupon code sent to a copy-code button.
const COUPON_MAX: usize = 15;
/// Most cards in a carousel.
const CARDS_MAX: usize = 10;
/// Longest voice-call button lifetime Meta documents (30 days), in minutes.
const TTL_MINUTES_MAX: u64 = 43_200;

/// Where a component is: at the top of `template.components`, or inside a carousel card (which
/// takes only a header, a body and buttons).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    Card,
}

/// Issues of send-time components (at `base`, e.g. `components`).
pub(crate) fn send_component_issues(components: &[SendComponent], base: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    component_list_issues(components, Path::at(base), Place::Top, &mut issues);
    issues
}

fn component_list_issues(
    components: &[SendComponent],
    base: Path<'_>,
    place: Place,
    issues: &mut Vec<Issue>,
) {
    let mut seen: Vec<&str> = Vec::new();
    let mut seen_buttons: Vec<u32> = Vec::new();
    for (i, c) in components.iter().enumerate() {
        let p = base.index(i);
        let kind = c.kind.as_str();
        let single = matches!(
            kind,
            "header" | "body" | "carousel" | "limited_time_offer" | "tap_target_configuration"
        );
        if single {
            if seen.contains(&kind) {
                issues.push(Issue::error(
                    p,
                    "send_component_duplicate",
                    format!("Only one {kind} component may be sent."),
                ));
            }
            seen.push(kind);
            if c.sub_type.is_some() || c.index.is_some() {
                issues.push(Issue::error(
                    p,
                    "send_component_invalid",
                    "sub_type and index belong to button components only.",
                ));
            }
        }
        if place == Place::Card && !matches!(kind, "header" | "body" | "button") {
            issues.push(Issue::error(
                p.key("type"),
                "card_component_invalid",
                format!(
                    "A carousel card takes header, body and button components, not \"{kind}\"."
                ),
            ));
            continue;
        }
        match kind {
            "header" | "body" => {}
            "button" => {
                let sub = c.sub_type.as_deref();
                match sub {
                    Some("quick_reply" | "url" | "copy_code" | "flow" | "voice_call" | "catalog" | "mpm") => {}
                    other => issues.push(Issue::error(
                        p.key("sub_type"),
                        "button_sub_type_invalid",
                        format!("{} is not a button sub_type; use quick_reply, url, copy_code, flow, voice_call, catalog or mpm.", other.map_or("(missing)".to_owned(), |s| format!("\"{s}\""))),
                    )),
                }
                match c.index {
                    Some(ButtonIndex(n)) if n <= 9 => {
                        if seen_buttons.contains(&n) {
                            issues.push(Issue::error(p, "send_component_duplicate", format!("Button index {n} is given twice.")));
                        }
                        seen_buttons.push(n);
                    }
                    // Meta's voice-call example sends no index (a template has one such button).
                    None if sub == Some("voice_call") => {}
                    _ => issues.push(Issue::error(
                        p.key("index"),
                        "button_index_invalid",
                        "A button component needs index: the button's position in the template, 0–9.",
                    )),
                }
                let max = if sub == Some("voice_call") { 2 } else { 1 };
                if c.parameters.len() > max {
                    issues.push(Issue::error(
                        p.key("parameters"),
                        "parameter_count_invalid",
                        if max == 2 {
                            "A voice_call button takes at most two parameters: ttl_minutes and payload."
                        } else {
                            "A button takes exactly one parameter."
                        },
                    ));
                }
            }
            "carousel" => {
                let cp = p.key("cards");
                if c.cards.is_empty() || c.cards.len() > CARDS_MAX {
                    issues.push(Issue::error(
                        cp,
                        "carousel_cards_invalid",
                        format!("A carousel component needs cards: 1–{CARDS_MAX} cards, one per card of the approved template ({} given).", c.cards.len()),
                    ));
                }
                if !c.parameters.is_empty() {
                    issues.push(Issue::error(
                        p.key("parameters"),
                        "send_component_invalid",
                        "A carousel component has no parameters of its own: give each card's components under cards.",
                    ));
                }
                let mut seen_cards: Vec<u32> = Vec::new();
                for (k, card) in c.cards.iter().enumerate() {
                    let kp = cp.index(k);
                    if seen_cards.contains(&card.card_index) {
                        issues.push(Issue::error(
                            kp.key("card_index"),
                            "card_index_invalid",
                            format!("card_index {} is given twice.", card.card_index),
                        ));
                    }
                    seen_cards.push(card.card_index);
                    if !card.components.iter().any(|c| c.kind == "header") {
                        issues.push(Issue::error(
                            kp.key("components"),
                            "card_component_invalid",
                            "Each card needs its header component (the card's image, video or product).",
                        ));
                    }
                    component_list_issues(
                        &card.components,
                        kp.key("components"),
                        Place::Card,
                        issues,
                    );
                }
                continue;
            }
            "limited_time_offer" | "tap_target_configuration" => {
                if c.parameters.len() != 1 || c.parameters.iter().any(|prm| prm.kind != kind) {
                    issues.push(Issue::error(
                        p.key("parameters"),
                        "parameter_count_invalid",
                        format!("A {kind} component takes exactly one parameter of type {kind}."),
                    ));
                }
            }
            other => {
                issues.push(Issue::error(
                    p.key("type"),
                    "send_component_type_invalid",
                    format!("\"{other}\" is not a send component; use header, body, button, carousel, limited_time_offer or tap_target_configuration."),
                ));
                continue;
            }
        }
        let mut named = 0usize;
        let pp = p.key("parameters");
        for (j, prm) in c.parameters.iter().enumerate() {
            if prm.parameter_name.is_some() {
                named += 1;
            }
            parameter_issues(c, prm, pp.index(j), place, issues);
        }
        if named > 0 && named != c.parameters.len() {
            issues.push(Issue::error(
                p.key("parameters"),
                "parameter_names_mixed",
                "Either every parameter of a component has a parameter_name (named templates) or none has.",
            ));
        }
    }
}

/// Whether `text` (a JSON number) is within −`limit`…`limit` (`limit` < 1000), decided on the
/// decimal text exactly (no rounding through `f64`): the number's significant digits and the
/// position of its decimal point are compared with the limit's.
fn within(text: &str, limit: u32) -> bool {
    let t = text.trim_start_matches('-').as_bytes();
    let (mantissa, exp) = match t.iter().position(|&b| b == b'e' || b == b'E') {
        Some(i) => (t.get(..i).unwrap_or(&[]), t.get(i + 1..).unwrap_or(&[])),
        None => (t, &[][..]),
    };
    let exp = std::str::from_utf8(exp)
        .ok()
        .map(|e| e.trim_start_matches('+'))
        .and_then(crate::domain::json::parse_i64)
        .unwrap_or(0)
        .clamp(-10_000, 10_000);
    // Digits before the point (after leading zeros), and all significant digits.
    let mut point: i64 = 0;
    let mut digits: Vec<u8> = Vec::new();
    let mut before = true;
    for &b in mantissa {
        if b == b'.' {
            before = false;
        } else if digits.is_empty() && b == b'0' {
            if !before {
                point -= 1;
            }
        } else {
            digits.push(b);
            if before {
                point += 1;
            }
        }
    }
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return true;
    }
    let limit = limit.to_string();
    let limit_point = i64::try_from(limit.len()).unwrap_or(0);
    let limit_digits = limit.trim_end_matches('0').as_bytes();
    let point = point + exp;
    point < limit_point || (point == limit_point && digits.as_slice() <= limit_digits)
}

/// The whole number of a JSON number text (exactly; `None` for fractions, exponents, overflow).
fn whole(raw: &RawJson) -> Option<i64> {
    let t = raw.as_str();
    if t.contains(['.', 'e', 'E']) {
        return None;
    }
    crate::domain::json::parse_i64(t)
}

fn parameter_issues(
    c: &SendComponent,
    prm: &SendParameter,
    p: Path<'_>,
    place: Place,
    issues: &mut Vec<Issue>,
) {
    let allowed: &[&str] = match (c.kind.as_str(), c.sub_type.as_deref()) {
        // Carousel cards: an image or video header (media cards) or a product (product cards).
        ("header", _) if place == Place::Card => &["image", "video", "product"],
        ("header", _) => &[
            "text",
            "currency",
            "date_time",
            "image",
            "video",
            "document",
            "location",
            "product",
        ],
        ("body", _) => &["text", "currency", "date_time"],
        ("button", Some("quick_reply")) => &["payload"],
        ("button", Some("url")) => &["text"],
        ("button", Some("copy_code")) => &["coupon_code"],
        ("button", Some("flow" | "catalog" | "mpm")) => &["action"],
        ("button", Some("voice_call")) => &["ttl_minutes", "payload"],
        ("limited_time_offer", _) => &["limited_time_offer"],
        ("tap_target_configuration", _) => &["tap_target_configuration"],
        _ => &["text", "payload", "coupon_code", "action"],
    };
    if !allowed.contains(&prm.kind.as_str()) {
        issues.push(Issue::error(
            p.key("type"),
            "parameter_type_invalid",
            format!(
                "\"{}\" parameters are not allowed here; use {}.",
                prm.kind,
                crate::domain::input::join_strs(allowed, ", ")
            ),
        ));
        return;
    }
    if let Some(n) = &prm.parameter_name {
        if !is_param_name(n) {
            issues.push(Issue::error(
                p.key("parameter_name"),
                "parameter_name_invalid",
                format!(
                    "\"{n}\" is not a variable name (lowercase letters, digits and underscores)."
                ),
            ));
        }
    }
    let missing = |issues: &mut Vec<Issue>, what: &str| {
        issues.push(Issue::error(
            p.key(what),
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
                p.key("text"),
                issues,
            ),
            None => missing(issues, "text"),
        },
        "payload" if prm.payload.is_none() => missing(issues, "payload"),
        "coupon_code" => match &prm.coupon_code {
            Some(code) if !code.is_empty() && char_len(code) <= COUPON_MAX => {}
            Some(_) => issues.push(Issue::error(
                p.key("coupon_code"),
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
            let mp = p.key(&prm.kind);
            match m {
                None => missing(issues, &prm.kind),
                Some(m) => match (&m.id, &m.link) {
                    (Some(_), Some(_)) | (None, None) => issues.push(Issue::error(
                        mp,
                        "media_source_both",
                        "Give exactly one of link or id.",
                    )),
                    (None, Some(link)) => url_issues(link, &mp.key("link").render(), issues),
                    (Some(id), None) => {
                        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                            issues.push(Issue::error(
                                mp.key("id"),
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
                let (lat, lng) = (l.latitude.as_str(), l.longitude.as_str());
                if lat == "null" || lng == "null" {
                    missing(issues, "location.latitude and location.longitude");
                } else if !within(lat, 90) || !within(lng, 180) {
                    issues.push(Issue::error(
                        p.key("location"),
                        "location_invalid",
                        "latitude must be within −90…90 and longitude within −180…180.",
                    ));
                }
            }
        },
        "product" => match &prm.product {
            Some(prod) if !prod.product_retailer_id.is_empty() && !prod.catalog_id.is_empty() => {}
            _ => missing(issues, "product.product_retailer_id and product.catalog_id"),
        },
        "currency" => match &prm.currency {
            None => missing(issues, "currency"),
            Some(cur) => {
                if cur.code.len() != 3 || !cur.code.bytes().all(|b| b.is_ascii_uppercase()) {
                    issues.push(Issue::error(
                        p.key("currency.code"),
                        "currency_code_invalid",
                        "currency.code must be an ISO 4217 code such as USD or ZAR.",
                    ));
                }
                if cur.fallback_value.trim().is_empty() {
                    issues.push(Issue::error(
                        p.key("currency.fallback_value"),
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
        "action" => match &prm.action {
            None => missing(issues, "action"),
            Some(a) => action_issues(c.sub_type.as_deref(), a, &p.key("action").render(), issues),
        },
        "ttl_minutes" => match prm.ttl_minutes.as_ref().map(whole) {
            None => missing(issues, "ttl_minutes"),
            Some(Some(n))
                if (1..=i64::try_from(TTL_MINUTES_MAX).unwrap_or(i64::MAX)).contains(&n) => {}
            Some(_) => issues.push(Issue::error(
                p.key("ttl_minutes"),
                "ttl_minutes_invalid",
                format!("ttl_minutes must be a whole number of minutes, 1–{TTL_MINUTES_MAX}."),
            )),
        },
        "limited_time_offer" => {
            let ok = prm.limited_time_offer.as_ref().is_some_and(|raw| {
                raw.doc().is_some_and(|d| {
                    d.root()
                        .as_object()
                        .is_some_and(|o| match o.get("expiration_time_ms") {
                            None => true,
                            Some(Json::Number(n)) => {
                                !n.as_str().contains(['.', 'e', 'E', '-']) && n.as_u64().is_some()
                            }
                            Some(_) => false,
                        })
                })
            });
            if !ok {
                issues.push(Issue::error(
                    p.key("limited_time_offer"),
                    "limited_time_offer_invalid",
                    "limited_time_offer must be {expiration_time_ms}: when the offer ends, a whole number of milliseconds since the epoch.",
                ));
            }
        }
        "tap_target_configuration" => {
            let ok = prm.tap_target_configuration.as_ref().is_some_and(|raw| {
                raw.doc().is_some_and(|d| {
                    d.root().as_array().is_some_and(|a| {
                        !a.is_empty()
                            && a.iter().all(|t| {
                                t.as_object().is_some_and(|o| {
                                    o.get("url")
                                        .and_then(Json::as_str)
                                        .is_some_and(|u| !u.is_empty())
                                        && o.get("title")
                                            .and_then(Json::as_str)
                                            .is_some_and(|u| !u.trim().is_empty())
                                })
                            })
                    })
                })
            });
            if !ok {
                issues.push(Issue::error(
                    p.key("tap_target_configuration"),
                    "tap_target_invalid",
                    "tap_target_configuration must be [{url, title}]: the URL the tap opens and the title shown.",
                ));
            }
        }
        _ => {}
    }
}

/// A flow, catalog or multi-product button's `action`: an object; a multi-product (`mpm`) button
/// needs `thumbnail_product_retailer_id` and `sections`.
fn action_issues(sub_type: Option<&str>, action: &RawJson, p: &str, issues: &mut Vec<Issue>) {
    let Some(doc) = action.doc() else { return };
    let Some(o) = doc.root().as_object() else {
        issues.push(Issue::error(
            p,
            "invalid_type",
            format!("{p} must be an object."),
        ));
        return;
    };
    if sub_type == Some("mpm") {
        let thumb = o
            .get("thumbnail_product_retailer_id")
            .and_then(Json::as_str);
        let sections = o.get("sections").and_then(Json::as_array);
        if !thumb.is_some_and(|t| !t.is_empty()) || !sections.is_some_and(|s| !s.is_empty()) {
            issues.push(Issue::error(
                p,
                "parameter_value_missing",
                "A multi-product (mpm) button's action needs thumbnail_product_retailer_id and sections ([{title, product_items: [{product_retailer_id}]}]).",
            ));
        }
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

/// A named-parameter name: lowercase ASCII letters, digits and underscores, starting with a
/// letter or underscore (Meta: "lowercase letters and underscores"; digits after the first
/// character are accepted by Meta in practice, e.g. `address_line_1`).
pub(crate) fn is_param_name(s: &str) -> bool {
    let mut chars = s.bytes();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c == b'_' => {}
        _ => return false,
    }
    s.len() <= 128 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// With the `serde` feature: the derives read the same components as the tape reader, and
    /// the hand-written JSON equals serde's for them.
    #[test]
    #[cfg(feature = "serde")]
    fn hand_written_json_matches_serde() {
        use serde_json::json;
        let input = json!([
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
        ]);
        let comps: Vec<SendComponent> = serde_json::from_value(input.clone()).unwrap();
        let text = input.to_string();
        let doc = crate::domain::json::Doc::parse(&text).unwrap();
        let mut issues = Vec::new();
        assert_eq!(
            components_read(doc.root(), Path::at("components"), &mut issues),
            comps
        );
        assert!(issues.is_empty(), "{issues:?}");
        let mut out = String::new();
        push_components(&mut out, &comps);
        let ours: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(ours, serde_json::to_value(&comps).unwrap());
        assert_eq!(out, serde_json::to_string(&comps).unwrap());
    }

    #[test]
    fn ranges_are_checked_on_the_text() {
        for (t, ok) in [
            ("90", true),
            ("-90", true),
            ("90.0000000000000000001", false),
            ("89.999999999999999999", true),
            ("0.09e3", true),
            ("0.0901e3", false),
            ("9e1", true),
            ("900e-1", true),
            ("1e2", false),
            ("-0", true),
            ("0.000", true),
            ("62.216009808114364", true),
            ("1e-400", true),
            ("1e400", false),
            ("90E0", true),
            ("90e+0", true),
            ("91", false),
            ("100", false),
        ] {
            assert_eq!(within(t, 90), ok, "{t}");
        }
        assert!(
            within("180", 180)
                && within("-179.9", 180)
                && !within("180.01", 180)
                && !within("1800", 180)
        );
    }

    proptest! {
        /// The text check agrees with std's exact float parse wherever the float is not on the
        /// edge (std parses correctly rounded).
        #[test]
        fn ranges_agree_with_std(int in -200i64..200, frac in "[0-9]{0,20}", exp in -3i32..3) {
            let t = format!("{int}.{frac}0e{exp}");
            let f: f64 = t.parse().unwrap();
            if (f.abs() - 90.0).abs() > 1e-9 {
                prop_assert_eq!(within(&t, 90), f.abs() <= 90.0, "{}", t);
            }
        }

        #[test]
        fn string_escaping_round_trips(s in "\\PC*|[\\x00-\\x1f\"\\\\]{0,20}") {
            let mut out = String::new();
            push_json_str(&mut out, &s);
            prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        }
    }
}
