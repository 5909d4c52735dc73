//! The `/_emulator/` control API used by tests: inbound messages, clock, faults, sent log, reset.

use crate::state::{field, State};
use crate::{faults, routes, webhook, App, Ctx, Resp};
use serde_json::{json, Value};
use std::sync::Arc;

/// A control API refusal: HTTP 400 `{"error": msg}`.
pub(crate) fn bad(msg: impl Into<String>) -> Resp {
    Resp::json(400, &json!({"error": msg.into()}))
}

/// The request body as a JSON object (`{}` when empty).
pub(crate) fn body_json(ctx: &Ctx) -> Result<Value, Resp> {
    if ctx.body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice::<Value>(&ctx.body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| bad("body must be a JSON object"))
}

pub(crate) fn handle(app: &Arc<App>, ctx: &Ctx) -> Resp {
    match route(app, ctx) {
        Ok(r) | Err(r) => r,
    }
}

fn route(app: &Arc<App>, ctx: &Ctx) -> Result<Resp, Resp> {
    let rest = ctx
        .raw_path
        .trim_start_matches("/_emulator")
        .trim_matches('/');
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let m = ctx.method.as_str();
    if segs.as_slice() == ["health"] && m == "GET" {
        return Ok(Resp::json(200, &json!({"ok": true})));
    }
    let mut st = app.lock();
    routes::process_reviews(app, &mut st);
    match (m, segs.as_slice()) {
        ("POST", ["inbound"]) => inbound(app, &mut st, &body_json(ctx)?),
        ("POST", ["inbound", "username"]) => {
            crate::identities::inbound_username(app, &mut st, &body_json(ctx)?)
        }
        ("POST", ["group", "receipts"]) => {
            crate::identities::group_receipts(app, &mut st, &body_json(ctx)?)
        }
        ("GET", ["clock"]) => Ok(Resp::json(200, &json!({"now": st.now_secs()}))),
        ("POST", ["clock", "advance"]) => advance_clock(app, &mut st, &body_json(ctx)?),
        ("POST", ["faults"]) => faults::add(&mut st, &body_json(ctx)?),
        ("GET", ["faults"]) => Ok(Resp::json(200, &faults::list(&st))),
        ("DELETE", ["faults"]) => {
            st.faults.clear();
            Ok(Resp::json(200, &json!({"success": true})))
        }
        ("GET", ["sent"]) => Ok(sent(&st, ctx.query.get("phone_number_id"))),
        ("POST", ["reset"]) => {
            st.reset();
            Ok(Resp::json(
                200,
                &json!({"success": true, "now": st.now_secs()}),
            ))
        }
        ("POST", ["templates", id, "status"]) => {
            set_template_status(app, &mut st, id, &body_json(ctx)?)
        }
        ("POST", ["phone_numbers", id]) => {
            crate::quality::update(app, &mut st, id, &body_json(ctx)?)
        }
        ("GET", ["stats"]) => Ok(Resp::json(200, &crate::limits::stats(&st))),
        ("GET", ["webhooks"]) => Ok(Resp::json(200, &json!({"webhooks": st.webhook_log}))),
        ("DELETE", ["webhooks"]) => {
            st.webhook_log.clear();
            Ok(Resp::json(200, &json!({"success": true})))
        }
        ("POST", ["webhook"]) => set_webhook(app, &body_json(ctx)?),
        ("POST", ["oauth", "codes"]) => add_oauth_code(&mut st, &body_json(ctx)?),
        _ => Ok(Resp::json(
            404,
            &json!({"error": format!("no control route {m} /_emulator/{rest}")}),
        )),
    }
}

/// `POST /_emulator/clock/advance` `{seconds}`: moves the emulator clock forward.
fn advance_clock(app: &Arc<App>, st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let secs = b
        .get("seconds")
        .and_then(Value::as_f64)
        .ok_or_else(|| bad("seconds (number) is required"))?;
    if !secs.is_finite() || secs < 0.0 {
        return Err(bad("seconds must be a non-negative number"));
    }
    st.offset += secs;
    routes::process_reviews(app, st);
    Ok(Resp::json(200, &json!({"now": st.now_secs()})))
}

/// `GET /_emulator/sent[?phone_number_id=…]`: the sends accepted so far.
fn sent(st: &State, phone_number_id: Option<&String>) -> Resp {
    let list: Vec<Value> = st
        .sent
        .iter()
        .filter(|s| phone_number_id.is_none_or(|p| &s.phone_number_id == p))
        .map(|s| {
            json!({"id": s.id, "phone_number_id": s.phone_number_id, "to": s.to, "type": s.kind,
                   "body": s.body, "timestamp": s.timestamp, "status": s.status})
        })
        .collect();
    Resp::json(200, &json!({"messages": list}))
}

/// `POST /_emulator/webhook` `{url: "http://…" | null, app_secret?}`.
fn set_webhook(app: &Arc<App>, b: &Value) -> Result<Resp, Resp> {
    let url = match b.get("url") {
        Some(Value::String(u)) if u.starts_with("http://") => Some(u.clone()),
        Some(Value::Null) | None => None,
        Some(_) => return Err(bad("url must be an http:// URL or null")),
    };
    let secret = b
        .get("app_secret")
        .and_then(Value::as_str)
        .map(str::to_owned);
    app.set_webhook(url.clone(), secret);
    Ok(Resp::json(200, &json!({"url": url})))
}

/// `POST /_emulator/oauth/codes` `{code?, redirect_uri?}`: a code the OAuth exchange accepts once.
fn add_oauth_code(st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let code = match b.get("code").and_then(Value::as_str) {
        Some(c) => c.to_owned(),
        None => format!("test-code-{:x}", crate::util::random_u64()),
    };
    let uri = b
        .get("redirect_uri")
        .and_then(Value::as_str)
        .map(str::to_owned);
    st.used_codes.remove(&code);
    st.codes.insert(code.clone(), uri);
    Ok(Resp::json(200, &json!({"code": code})))
}

/// The phone number id given in a control body, and its WABA.
pub(crate) fn waba_of(st: &State, b: &Value) -> Result<(String, String), Resp> {
    let pnid = b
        .get("phone_number_id")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("phone_number_id is required"))?
        .to_owned();
    let waba = st
        .phone(&pnid)
        .map(|p| field(p, "waba_id").to_owned())
        .ok_or_else(|| bad(format!("unknown phone_number_id {pnid}")))?;
    Ok((pnid, waba))
}

fn inbound(app: &Arc<App>, st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let (pnid, waba) = waba_of(st, b)?;
    let from_raw = b
        .get("from")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("from is required"))?;
    let from = crate::util::normalize_phone(from_raw)
        .ok_or_else(|| bad(format!("from {from_raw:?} is not a phone number")))?;
    let kind = b.get("type").and_then(Value::as_str).unwrap_or("text");
    if kind != "text" {
        return Err(bad("only type \"text\" is supported"));
    }
    let text = b
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("Hello")
        .to_owned();
    let recipient = st.recipient(&from);
    let name = b
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(recipient.name)
        .unwrap_or_else(|| "WhatsApp User".to_owned());
    // `seconds_ago`: the message was written that long ago (e.g. 25 h: a window already closed).
    let ago = match b.get("seconds_ago") {
        None => 0.0,
        Some(v) => v
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| bad("seconds_ago must be a non-negative number"))?,
    };
    let id = st.new_wamid(&from);
    let now = st.now() - ago;
    let ts = (now.floor() as i64).to_string();
    // The window runs from the user's newest message (a back-dated one does not shorten it).
    let last = st
        .windows
        .entry((pnid.clone(), from.clone()))
        .or_insert(now);
    *last = last.max(now);
    st.inbound.insert(id.clone(), pnid.clone());
    let mut message =
        json!({"from": from, "id": id, "timestamp": ts, "type": "text", "text": {"body": text}});
    if let (Some(ctx_id), Some(o)) = (
        b.get("context_id").and_then(Value::as_str),
        message.as_object_mut(),
    ) {
        o.insert("context".into(), json!({"from": from, "id": ctx_id}));
    }
    let mut value = webhook::messages_value(st, &pnid);
    value.contacts = Some(json!([{"profile": {"name": name}, "wa_id": from}]));
    value.messages = Some(json!([message]));
    webhook::emit_messages(app, st, &waba, value);
    Ok(Resp::json(200, &json!({"id": id, "timestamp": ts})))
}

fn set_template_status(app: &Arc<App>, st: &mut State, id: &str, b: &Value) -> Result<Resp, Resp> {
    let status = b
        .get("status")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("status is required"))?
        .to_ascii_uppercase();
    let reason = b.get("reason").and_then(Value::as_str).map(str::to_owned);
    let t = st
        .templates
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| Resp::json(404, &json!({"error": format!("no template {id}")})))?;
    if t.review_due.take().is_some() {
        st.pending_reviews = st.pending_reviews.saturating_sub(1);
    }
    let Some(t) = st.templates.iter_mut().find(|t| t.id == id) else {
        return Err(bad("template vanished"));
    };
    t.status = status.clone();
    t.rejected_reason = if status == "REJECTED" {
        Some(reason.clone().unwrap_or_else(|| "NONE".into()))
    } else {
        None
    };
    let t = t.clone();
    let rec = (status == "REJECTED").then_some("Rejected through the emulator control API.");
    webhook::emit_template_status(app, st, &t, reason.as_deref(), rec);
    Ok(Resp::json(200, &crate::templates::to_json(&t, None)))
}
