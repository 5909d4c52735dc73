//! Reading objects the way Graph lists them: the `fields` parameter and cursor paging.

use crate::errors::{self, GraphErr};
use crate::util::{self, base64};
use crate::{Ctx, Resp};
use serde_json::{json, Map, Value};

pub(super) fn fields_param(ctx: &Ctx) -> Option<Vec<String>> {
    ctx.query.get("fields").map(|f| {
        f.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// Picks `fields` (or `default`) from a fixture object; `id` is always included.
pub(super) fn select(obj: &Map<String, Value>, ctx: &Ctx, default: &[&str]) -> Value {
    let wanted: Vec<String> =
        fields_param(ctx).unwrap_or_else(|| default.iter().map(|s| (*s).to_owned()).collect());
    let mut out = Map::new();
    for f in wanted {
        if let Some(v) = obj.get(&f) {
            out.insert(f, v.clone());
        }
    }
    out.insert("id".into(), obj.get("id").cloned().unwrap_or(Value::Null));
    Value::Object(out)
}

pub(super) fn check_fields(
    obj: &Map<String, Value>,
    ctx: &Ctx,
    node_type: &str,
    extra_ok: &[&str],
) -> Result<(), GraphErr> {
    for f in fields_param(ctx).unwrap_or_default() {
        if !obj.contains_key(&f) && !extra_ok.contains(&f.as_str()) && f != "id" {
            return Err(errors::param(format!(
                "Tried accessing nonexisting field ({f}) on node type ({node_type})"
            )));
        }
    }
    Ok(())
}

fn cursor(id: &str) -> String {
    base64(format!("cursor:{id}").as_bytes())
}

pub(super) fn page(items: Vec<(String, Value)>, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let limit = match ctx.query.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| errors::param("Param limit must be a positive integer"))?,
        None => 25,
    }
    .min(1000);
    let find = |c: &str| items.iter().position(|(id, _)| cursor(id) == c);
    let (start, end) = if let Some(a) = ctx.query.get("after") {
        let p = find(a).ok_or_else(|| errors::param("The after cursor is not valid"))?;
        (p + 1, (p + 1 + limit).min(items.len()))
    } else if let Some(b) = ctx.query.get("before") {
        let p = find(b).ok_or_else(|| errors::param("The before cursor is not valid"))?;
        (p.saturating_sub(limit), p)
    } else {
        (0, limit.min(items.len()))
    };
    let slice = items.get(start..end).unwrap_or(&[]);
    let data: Vec<Value> = slice.iter().map(|(_, v)| v.clone()).collect();
    let mut out = json!({"data": data});
    if let (Some((first, _)), Some((last, _))) = (slice.first(), slice.last()) {
        let mut paging = json!({"cursors": {"before": cursor(first), "after": cursor(last)}});
        let base: Vec<(String, String)> = ctx
            .query
            .iter()
            .filter(|(k, _)| k.as_str() != "after" && k.as_str() != "before")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let url = |k: &str, c: String| {
            let mut pairs = base.clone();
            pairs.sort();
            pairs.push((k.to_owned(), c));
            format!(
                "http://{}{}?{}",
                ctx.host,
                ctx.raw_path,
                util::encode_query(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())))
            )
        };
        if let Some(p) = paging.as_object_mut() {
            if end < items.len() {
                p.insert("next".into(), json!(url("after", cursor(last))));
            }
            if start > 0 {
                p.insert("previous".into(), json!(url("before", cursor(first))));
            }
        }
        if let Some(o) = out.as_object_mut() {
            o.insert("paging".into(), paging);
        }
    }
    Ok(Resp::json(200, &out))
}
