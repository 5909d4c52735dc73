//! Reading a Graph request's parameters: a JSON or form-encoded body, the query string.

use crate::errors::{self, GraphErr};
use crate::{util, Ctx};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The body as a JSON object. Graph also takes form-encoded parameters, with JSON-encoded values
/// for objects and arrays.
pub(super) fn json_body(ctx: &Ctx) -> Option<Value> {
    if ctx.body.is_empty() {
        return None;
    }
    if let Ok(v) = serde_json::from_slice::<Value>(&ctx.body) {
        return v.is_object().then_some(v);
    }
    let mut m = Map::new();
    for (k, v) in form_urlencoded::parse(&ctx.body) {
        let val = serde_json::from_str::<Value>(&v)
            .ok()
            .filter(|x| x.is_object() || x.is_array())
            .unwrap_or(json!(v));
        m.insert(k.into_owned(), val);
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// Query parameters merged with a form-encoded body (the body wins).
pub(super) fn params(ctx: &Ctx) -> HashMap<String, String> {
    let mut p = ctx.query.clone();
    if ctx
        .content_type
        .starts_with("application/x-www-form-urlencoded")
    {
        p.extend(util::parse_query(std::str::from_utf8(&ctx.body).ok()));
    }
    p
}

/// `messaging_product` must be given and be `whatsapp` (sends and media uploads).
pub(super) fn check_messaging_product(given: Option<&str>) -> Result<(), GraphErr> {
    match given {
        None => Err(errors::param_required("messaging_product")),
        Some("whatsapp") => Ok(()),
        Some(other) => Err(errors::param(format!(
            "Param messaging_product must be one of {{WHATSAPP}} - got \"{other}\"."
        ))),
    }
}
