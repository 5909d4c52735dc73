//! Graph API routes under any `/vNN.0/` prefix (or none).

use crate::errors::{self, wa, GraphErr};
use crate::state::{field, Media, SentMessage, State, Template, Token};
use crate::templates;
use crate::util::{self, base64};
use crate::webhook::{self, Outbound};
use crate::{App, Ctx, Resp};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MGMT: &str = "whatsapp_business_management";
const MSG: &str = "whatsapp_business_messaging";
const BIZ: &str = "business_management";
const WINDOW_SECS: f64 = 86_400.0;

pub(crate) fn handle(app: &Arc<App>, ctx: &Ctx) -> Resp {
    match route(app, ctx) {
        Ok(r) => r,
        Err(e) => Resp::error(&e),
    }
}

fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.splitn(2, '.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next().unwrap_or("0");
    !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && minor.bytes().all(|b| b.is_ascii_digit())
}

fn segments(path: &str) -> Vec<String> {
    let mut segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let decoded: String =
                form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_else(|| s.to_owned());
            decoded
        })
        .collect();
    if segs.first().is_some_and(|s| is_version(s)) {
        segs.remove(0);
    }
    segs
}

fn route(app: &Arc<App>, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let segs = segments(&ctx.raw_path);
    let seg: Vec<&str> = segs.iter().map(String::as_str).collect();
    let mut st = app.lock();
    process_reviews(app, &mut st);
    let m = ctx.method.as_str();
    match seg.as_slice() {
        ["oauth", "access_token"] => oauth_token(&mut st, ctx),
        ["debug_token"] => debug_token(&st, ctx),
        ["_media", id] => media_download(&st, ctx, id),
        ["me"] => {
            auth(&st, ctx, true)?;
            let u = &st.fixture.user;
            Ok(Resp::json(200, &json!({"id": u.id, "name": u.name})))
        }
        ["me", "businesses"] => {
            let tok = auth(&st, ctx, true)?;
            need_scope(&tok, BIZ)?;
            let items: Vec<(String, Value)> = st
                .fixture
                .businesses
                .iter()
                .map(|b| (field(b, "id").to_owned(), select(b, ctx, &["id", "name"])))
                .collect();
            page(items, ctx)
        }
        [id] => {
            let tok = auth(&st, ctx, false)?;
            node(&mut st, ctx, &tok, id, m)
        }
        [id, edge] => {
            let tok = auth(&st, ctx, false)?;
            edge_route(app, &mut st, ctx, &tok, id, edge, m)
        }
        [] => {
            auth(&st, ctx, false)?;
            Err(errors::unsupported(m, ""))
        }
        [id, rest @ ..] => {
            auth(&st, ctx, false)?;
            if known_object(&st, id) {
                Err(errors::unknown_path(&rest.join("/")))
            } else {
                Err(errors::unsupported(m, id))
            }
        }
    }
}

fn known_object(st: &State, id: &str) -> bool {
    st.business(id).is_some()
        || st.waba(id).is_some()
        || st.phone(id).is_some()
        || st.templates.iter().any(|t| t.id == id)
        || st.media.contains_key(id)
        || st.fixture.user.id == id
}

// ---------------------------------------------------------------- auth

fn bearer(ctx: &Ctx) -> Option<String> {
    if let Some(h) = &ctx.authorization {
        let h = h.trim();
        for p in ["Bearer ", "bearer ", "OAuth ", "oauth "] {
            if let Some(t) = h.strip_prefix(p) {
                return Some(t.trim().to_owned());
            }
        }
    }
    ctx.query
        .get("access_token")
        .filter(|t| !t.is_empty())
        .cloned()
}

/// Formats unix seconds like Graph's expiry messages ("Tuesday, 24-Nov-26 13:14:10 UTC").
pub fn graph_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    const WD: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = WD.get(days.rem_euclid(7) as usize).unwrap_or(&"Monday");
    let mon = MON.get((mo - 1).clamp(0, 11) as usize).unwrap_or(&"Jan");
    format!(
        "{wd}, {d:02}-{mon}-{:02} {:02}:{:02}:{:02} UTC",
        y.rem_euclid(100),
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

fn app_token(st: &State) -> String {
    format!("{}|{}", st.fixture.app.id, st.fixture.app.secret)
}

/// Resolves the request's token: 104/2500 when missing, 190/467 unknown, 190/463 expired.
fn auth(st: &State, ctx: &Ctx, me: bool) -> Result<Token, GraphErr> {
    let Some(t) = bearer(ctx) else {
        return Err(if me {
            errors::token_missing_me()
        } else {
            errors::token_missing()
        });
    };
    check_token(st, &t)
}

fn check_token(st: &State, t: &str) -> Result<Token, GraphErr> {
    if t == app_token(st) {
        return Ok(Token {
            kind: "APP".into(),
            scopes: vec![],
            targets: Some(vec![]),
            issued_at: 0.0,
            expires_at: None,
        });
    }
    let tok = st
        .tokens
        .get(t)
        .cloned()
        .ok_or_else(errors::token_invalid)?;
    if let Some(exp) = tok.expires_at {
        let now = st.now();
        if exp <= now {
            return Err(errors::token_expired(
                &graph_date(exp as i64),
                &graph_date(now as i64),
            ));
        }
    }
    Ok(tok)
}

fn need_scope(tok: &Token, scope: &str) -> Result<(), GraphErr> {
    if tok.scopes.iter().any(|s| s == scope) {
        Ok(())
    } else {
        Err(errors::missing_scope(scope))
    }
}

fn need_waba(tok: &Token, scope: &str, waba: &str) -> Result<(), GraphErr> {
    need_scope(tok, scope)?;
    match &tok.targets {
        Some(t) if !t.iter().any(|w| w == waba) => Err(errors::foreign_waba(scope, waba)),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------- fields & paging

fn fields_param(ctx: &Ctx) -> Option<Vec<String>> {
    ctx.query.get("fields").map(|f| {
        f.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// Picks `fields` (or `default`) from a fixture object; `id` is always included.
fn select(obj: &Map<String, Value>, ctx: &Ctx, default: &[&str]) -> Value {
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

fn check_fields(
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

fn page(items: Vec<(String, Value)>, ctx: &Ctx) -> Result<Resp, GraphErr> {
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

// ---------------------------------------------------------------- nodes

const PHONE_DEFAULT: &[&str] = &[
    "verified_name",
    "code_verification_status",
    "display_phone_number",
    "quality_rating",
    "platform_type",
    "throughput",
    "last_onboarded_time",
];
const WABA_DEFAULT: &[&str] = &[
    "id",
    "name",
    "currency",
    "timezone_id",
    "message_template_namespace",
];

fn node(st: &mut State, ctx: &Ctx, tok: &Token, id: &str, m: &str) -> Result<Resp, GraphErr> {
    if m == "GET" {
        if let Some(b) = st.business(id) {
            need_scope(tok, BIZ)?;
            check_fields(b, ctx, "Business", &[])?;
            return Ok(Resp::json(200, &select(b, ctx, &["id", "name"])));
        }
        if let Some(w) = st.waba(id) {
            need_waba(tok, MGMT, id)?;
            check_fields(w, ctx, "WhatsAppBusinessAccount", &[])?;
            let mut v = select(w, ctx, WABA_DEFAULT);
            strip_internal(&mut v);
            return Ok(Resp::json(200, &v));
        }
        if let Some(p) = st.phone(id) {
            need_waba(tok, MGMT, field(p, "waba_id"))?;
            check_fields(p, ctx, "WhatsAppBusinessPhoneNumber", &[])?;
            let mut v = select(p, ctx, PHONE_DEFAULT);
            strip_internal(&mut v);
            return Ok(Resp::json(200, &v));
        }
        if let Some(t) = st.templates.iter().find(|t| t.id == id) {
            need_waba(tok, MGMT, &t.waba_id)?;
            return Ok(Resp::json(
                200,
                &templates::to_json(t, fields_param(ctx).as_deref()),
            ));
        }
        if let Some(md) = st.media.get(id) {
            need_waba(tok, MSG, &md.waba_id)?;
            return Ok(Resp::json(200, &media_json(ctx, id, md)));
        }
        if id == st.fixture.user.id {
            let u = &st.fixture.user;
            return Ok(Resp::json(200, &json!({"id": u.id, "name": u.name})));
        }
    }
    if m == "DELETE" {
        if let Some(md) = st.media.get(id) {
            need_waba(tok, MSG, &md.waba_id)?;
            st.media.remove(id);
            return Ok(Resp::json(200, &json!({"success": true})));
        }
    }
    Err(errors::unsupported(m, id))
}

fn strip_internal(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        o.remove("waba_id");
        o.remove("business_id");
        o.remove("relation");
    }
}

fn edge_route(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    tok: &Token,
    id: &str,
    edge: &str,
    m: &str,
) -> Result<Resp, GraphErr> {
    if st.business(id).is_some() {
        let relation = match edge {
            "owned_whatsapp_business_accounts" => "owned",
            "client_whatsapp_business_accounts" => "client",
            _ => return Err(errors::unknown_path(edge)),
        };
        if m != "GET" {
            return Err(errors::unsupported(m, id));
        }
        need_scope(tok, BIZ)?;
        let items: Vec<(String, Value)> = st
            .fixture
            .wabas
            .iter()
            .filter(|w| field(w, "business_id") == id && field(w, "relation") == relation)
            .filter(|w| {
                tok.targets
                    .as_ref()
                    .is_none_or(|t| t.iter().any(|x| x == field(w, "id")))
            })
            .map(|w| {
                let mut v = select(w, ctx, &["id", "name"]);
                strip_internal(&mut v);
                (field(w, "id").to_owned(), v)
            })
            .collect();
        return page(items, ctx);
    }
    if st.waba(id).is_some() {
        return match (edge, m) {
            ("phone_numbers", "GET") => {
                need_waba(tok, MGMT, id)?;
                let items: Vec<(String, Value)> = st
                    .fixture
                    .phone_numbers
                    .iter()
                    .filter(|p| field(p, "waba_id") == id)
                    .map(|p| {
                        let mut v = select(p, ctx, PHONE_DEFAULT);
                        strip_internal(&mut v);
                        (field(p, "id").to_owned(), v)
                    })
                    .collect();
                page(items, ctx)
            }
            ("message_templates", "GET") => {
                need_waba(tok, MGMT, id)?;
                list_templates(st, ctx, id)
            }
            ("message_templates", "POST") => {
                need_waba(tok, MGMT, id)?;
                create_template(app, st, ctx, id)
            }
            ("message_templates", "DELETE") => {
                need_waba(tok, MGMT, id)?;
                delete_template(st, ctx, id)
            }
            ("phone_numbers" | "message_templates", _) => Err(errors::unsupported(m, id)),
            _ => Err(errors::unknown_path(edge)),
        };
    }
    if let Some(p) = st.phone(id) {
        let waba = field(p, "waba_id").to_owned();
        return match (edge, m) {
            ("messages", "POST") => {
                need_waba(tok, MSG, &waba)?;
                let result = send(app, st, ctx, id, &waba);
                if let Err(e) = &result {
                    crate::limits::count_rejection(st, id, e.code);
                }
                result
            }
            ("media", "POST") => {
                need_waba(tok, MSG, &waba)?;
                upload(st, ctx, id, &waba)
            }
            ("messages" | "media", _) => Err(errors::unsupported(m, id)),
            _ => Err(errors::unknown_path(edge)),
        };
    }
    if known_object(st, id) {
        return Err(errors::unknown_path(edge));
    }
    Err(errors::unsupported(m, id))
}

// ---------------------------------------------------------------- templates

fn list_templates(st: &State, ctx: &Ctx, waba: &str) -> Result<Resp, GraphErr> {
    let q = |k: &str| ctx.query.get(k).map(|s| s.to_owned());
    let statuses: Option<Vec<String>> = q("status").map(|s| {
        s.split(',')
            .map(|x| x.trim().to_ascii_uppercase())
            .collect()
    });
    let name = q("name");
    let category = q("category").map(|c| c.to_ascii_uppercase());
    let language = q("language");
    let fields = fields_param(ctx);
    let items: Vec<(String, Value)> = st
        .templates
        .iter()
        .filter(|t| t.waba_id == waba)
        .filter(|t| statuses.as_ref().is_none_or(|s| s.contains(&t.status)))
        .filter(|t| name.as_ref().is_none_or(|n| t.name.contains(n.as_str())))
        .filter(|t| category.as_ref().is_none_or(|c| &t.category == c))
        .filter(|t| language.as_ref().is_none_or(|l| &t.language == l))
        .map(|t| (t.id.clone(), templates::to_json(t, fields.as_deref())))
        .collect();
    page(items, ctx)
}

fn json_body(ctx: &Ctx) -> Option<Value> {
    if ctx.body.is_empty() {
        return None;
    }
    if let Ok(v) = serde_json::from_slice::<Value>(&ctx.body) {
        return v.is_object().then_some(v);
    }
    // Graph also takes form-encoded parameters, with JSON-encoded values for objects/arrays.
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

fn create_template(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    waba: &str,
) -> Result<Resp, GraphErr> {
    let body = json_body(ctx).ok_or_else(|| errors::param_required("name"))?;
    let existing: Vec<&Template> = st.templates.iter().filter(|t| t.waba_id == waba).collect();
    let nt = templates::validate_create(&body, &existing)?;
    let id = st.new_numeric_id(400);
    let due = st.now() + app.config.review_delay_secs.max(0.0);
    let category = nt.category.clone();
    st.templates.push(Template {
        id: id.clone(),
        waba_id: waba.to_owned(),
        name: nt.name,
        language: nt.language,
        category: nt.category,
        status: "PENDING".into(),
        parameter_format: nt.parameter_format,
        components: nt.components,
        rejected_reason: None,
        quality_score: None,
        review_due: Some(due),
    });
    st.pending_reviews += 1;
    if app.config.review_delay_secs <= 0.0 {
        process_reviews(app, st);
    }
    Ok(Resp::json(
        200,
        &json!({"id": id, "status": "PENDING", "category": category}),
    ))
}

fn delete_template(st: &mut State, ctx: &Ctx, waba: &str) -> Result<Resp, GraphErr> {
    let name = ctx
        .query
        .get("name")
        .cloned()
        .ok_or_else(|| errors::param_required("name"))?;
    let hsm = ctx.query.get("hsm_id").cloned();
    let matches = |t: &Template| {
        t.waba_id == waba && t.name == name && hsm.as_ref().is_none_or(|h| &t.id == h)
    };
    let before = st.templates.len();
    let removed_pending = st
        .templates
        .iter()
        .filter(|t| matches(t) && t.review_due.is_some())
        .count();
    st.templates.retain(|t| !matches(t));
    if st.templates.len() == before {
        return Err(errors::param("Invalid parameter")
            .details(format!(
                "Message template \"{name}\" was not found in WhatsApp Business Account {waba}."
            ))
            .user(
                "Message template not found",
                format!("There is no message template named \"{name}\"."),
            ));
    }
    st.pending_reviews = st.pending_reviews.saturating_sub(removed_pending);
    Ok(Resp::json(200, &json!({"success": true})))
}

/// Applies due template reviews (emulator clock) and fires `message_template_status_update`.
pub(crate) fn process_reviews(app: &Arc<App>, st: &mut State) {
    if st.pending_reviews == 0 {
        return;
    }
    let now = st.now();
    let due: Vec<usize> = st
        .templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.review_due.is_some_and(|d| d <= now))
        .map(|(i, _)| i)
        .collect();
    for i in due {
        let Some(t) = st.templates.get_mut(i) else {
            continue;
        };
        let (status, reason, recommendation) = templates::review(t);
        t.status = status;
        t.rejected_reason = reason.clone();
        t.review_due = None;
        let t = t.clone();
        st.pending_reviews = st.pending_reviews.saturating_sub(1);
        emit_template_status(app, st, &t, reason.as_deref(), recommendation.as_deref());
    }
}

/// Fires a `message_template_status_update` webhook for `t`'s current status.
pub(crate) fn emit_template_status(
    app: &Arc<App>,
    st: &mut State,
    t: &Template,
    reason: Option<&str>,
    recommendation: Option<&str>,
) {
    let id_num: Value =
        t.id.parse::<u64>()
            .map(|n| json!(n))
            .unwrap_or_else(|_| json!(t.id));
    let mut value = json!({
        "event": t.status,
        "message_template_id": id_num,
        "message_template_name": t.name,
        "message_template_language": t.language,
        "reason": reason.unwrap_or("NONE"),
        "message_template_category": t.category,
    });
    if let (Some(obj), Some(r), Some(rec)) = (value.as_object_mut(), reason, recommendation) {
        obj.insert(
            "rejection_info".into(),
            json!({"reason": r, "recommendation": rec}),
        );
    }
    let now = st.now_secs();
    let payload = webhook::envelope(
        &t.waba_id,
        "message_template_status_update",
        webhook::ChangeValue::Other(value),
        Some(now),
    );
    webhook::emit(app, st, payload);
}

// ---------------------------------------------------------------- messages

fn new_wamid(st: &mut State, wa_id: &str) -> String {
    st.next_id += 1;
    let mut raw: Vec<u8> = vec![0x1c, 0x18, wa_id.len() as u8];
    raw.extend_from_slice(wa_id.as_bytes());
    raw.extend_from_slice(&[0x15, 0x02, 0x00, 0x11, 0x18, 0x12]);
    raw.extend_from_slice(
        format!(
            "{:012X}{:06X}",
            util::random_u64() & 0xFFFF_FFFF_FFFF,
            st.next_id & 0xFF_FFFF
        )
        .as_bytes(),
    );
    raw.push(0);
    // URL-safe alphabet so the id can be put in a path unencoded.
    format!("wamid.{}", base64(&raw).replace('+', "-").replace('/', "_"))
}

pub(crate) fn new_inbound_wamid(st: &mut State, from: &str) -> String {
    new_wamid(st, from)
}

fn obj<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body.get(key).filter(|v| v.is_object())
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn mime_kind_ok(kind: &str, mime: &str) -> bool {
    match kind {
        "image" => mime == "image/jpeg" || mime == "image/png",
        "sticker" => mime == "image/webp",
        "audio" => mime.starts_with("audio/"),
        "video" => mime.starts_with("video/"),
        _ => true,
    }
}

/// Validates the type-specific payload; returns the template's category for template sends.
fn validate_payload(
    st: &State,
    body: &Value,
    kind: &str,
    waba: &str,
) -> Result<Option<String>, GraphErr> {
    match kind {
        "text" => {
            let t = obj(body, "text").ok_or_else(|| errors::required_missing("text is required for type text"))?;
            let b = str_of(t, "body").filter(|s| !s.is_empty()).ok_or_else(|| errors::required_missing("text.body is required"))?;
            if b.chars().count() > 4096 {
                return Err(errors::invalid_value("text.body must be at most 4096 characters"));
            }
            Ok(None)
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let o = obj(body, kind).ok_or_else(|| errors::required_missing(format!("{kind} is required for type {kind}")))?;
            match (str_of(o, "id"), str_of(o, "link")) {
                (Some(_), Some(_)) => return Err(errors::invalid_value(format!("{kind}: give either id or link, not both"))),
                (None, None) => return Err(errors::required_missing(format!("{kind}.id or {kind}.link is required"))),
                (Some(id), None) => {
                    let md = st
                        .media
                        .get(id)
                        .filter(|m| m.waba_id == waba)
                        .ok_or_else(|| errors::invalid_value(format!("{kind}.id {id} is not a valid media id (unknown, deleted or uploaded by another account)")))?;
                    if !mime_kind_ok(kind, &md.mime_type) {
                        return Err(wa(400, 131053, "Media upload error", format!("Media {id} has type {} which can't be sent as {kind}", md.mime_type)));
                    }
                }
                (None, Some(link)) => {
                    if !(link.starts_with("https://") || link.starts_with("http://")) {
                        return Err(errors::invalid_value(format!("{kind}.link must be an http(s) URL")));
                    }
                }
            }
            if let Some(c) = str_of(o, "caption") {
                if kind == "audio" || kind == "sticker" {
                    return Err(errors::invalid_value(format!("{kind} messages can't have a caption")));
                }
                if c.chars().count() > 1024 {
                    return Err(errors::invalid_value(format!("{kind}.caption must be at most 1024 characters")));
                }
            }
            if o.get("filename").is_some() && kind != "document" {
                return Err(errors::invalid_value(format!("{kind} messages can't have a filename")));
            }
            Ok(None)
        }
        "template" => {
            let t = obj(body, "template").ok_or_else(|| errors::required_missing("template is required for type template"))?;
            let name = str_of(t, "name").ok_or_else(|| errors::required_missing("template.name is required"))?;
            let lang = t
                .get("language")
                .and_then(|l| l.get("code"))
                .and_then(Value::as_str)
                .ok_or_else(|| errors::required_missing("template.language.code is required"))?;
            let not_found = || {
                wa(404, 132001, "Template name does not exist in the translation", format!("template name ({name}) does not exist in {lang}"))
            };
            let tpl = st
                .templates
                .iter()
                .find(|x| x.waba_id == waba && x.name == name && x.language == lang)
                .ok_or_else(not_found)?;
            match tpl.status.as_str() {
                "APPROVED" | "REINSTATED" | "UNARCHIVED" => {}
                "PAUSED" => {
                    return Err(wa(400, 132015, "Template is Paused", format!("Template {name} ({lang}) is paused because of low quality.")))
                }
                "DISABLED" => {
                    return Err(wa(400, 132016, "Template is disabled", format!("Template {name} ({lang}) has been disabled because of low quality.")))
                }
                _ => return Err(not_found()),
            }
            let comps: &[Value] =
                t.get("components").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            let media_ok = |id: &str| st.media.get(id).is_some_and(|m| m.waba_id == waba);
            templates::check_send(tpl, comps, &media_ok)?;
            Ok(Some(tpl.category.to_ascii_lowercase()))
        }
        "location" => {
            let l = obj(body, "location").ok_or_else(|| errors::required_missing("location is required for type location"))?;
            if !(l.get("latitude").is_some() && l.get("longitude").is_some()) {
                return Err(errors::required_missing("location.latitude and location.longitude are required"));
            }
            Ok(None)
        }
        "contacts" => {
            if !body.get("contacts").is_some_and(Value::is_array) {
                return Err(errors::required_missing("contacts must be an array"));
            }
            Ok(None)
        }
        "interactive" => {
            let i = obj(body, "interactive").ok_or_else(|| errors::required_missing("interactive is required for type interactive"))?;
            if str_of(i, "type") == Some("button") {
                let n = i.get("action").and_then(|a| a.get("buttons")).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
                if n == 0 || n > 3 {
                    return Err(errors::invalid_value("interactive button messages need 1 to 3 buttons"));
                }
            }
            Ok(None)
        }
        "reaction" => {
            let r = obj(body, "reaction").ok_or_else(|| errors::required_missing("reaction is required for type reaction"))?;
            if str_of(r, "message_id").is_none() {
                return Err(errors::required_missing("reaction.message_id is required"));
            }
            Ok(None)
        }
        other => Err(errors::param(format!(
            "Param type must be one of {{AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO}} - got \"{other}\"."
        ))),
    }
}

fn send(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    pnid: &str,
    waba: &str,
) -> Result<Resp, GraphErr> {
    let body = json_body(ctx).ok_or_else(|| errors::param_required("messaging_product"))?;
    match str_of(&body, "messaging_product") {
        None => return Err(errors::param_required("messaging_product")),
        Some("whatsapp") => {}
        Some(other) => {
            return Err(errors::param(format!(
                "Param messaging_product must be one of {{WHATSAPP}} - got \"{other}\"."
            )))
        }
    }
    if let Some(status) = body.get("status") {
        if status.as_str() != Some("read") {
            return Err(errors::invalid_value("status must be \"read\""));
        }
        let mid =
            str_of(&body, "message_id").ok_or_else(|| errors::param_required("message_id"))?;
        if st.inbound.get(mid).map(String::as_str) != Some(pnid) {
            return Err(errors::invalid_value(format!(
                "Message ID {mid} is not a valid incoming message id for phone number {pnid}"
            )));
        }
        if let Some(ti) = body.get("typing_indicator") {
            if str_of(ti, "type") != Some("text") {
                return Err(errors::invalid_value(
                    "typing_indicator.type must be \"text\"",
                ));
            }
        }
        return Ok(Resp::json(200, &json!({"success": true})));
    }
    if let Some(rt) = str_of(&body, "recipient_type") {
        if rt != "individual" && rt != "group" {
            return Err(errors::param(format!(
                "Param recipient_type must be one of {{GROUP, INDIVIDUAL}} - got \"{rt}\"."
            )));
        }
    }
    // A phone number, a business-scoped user id (`recipient`) or a group id (identities.rs).
    let addressee = crate::identities::addressee(&body)?;
    let to_raw = addressee.input.clone();
    let wa_id = addressee.key.clone();
    let own = st
        .phone(pnid)
        .map(|p| webhook::display_digits(field(p, "display_phone_number")));
    if own.as_deref() == Some(wa_id.as_str()) {
        return Err(wa(
            400,
            131021,
            "Recipient cannot be sender",
            "Sender and recipient phone number is the same.",
        ));
    }
    let kind = str_of(&body, "type").unwrap_or("text").to_owned();
    let tpl = validate_payload(st, &body, &kind, waba)?;

    // Throughput per business number (§5): at most N accepted in any rolling second.
    let cap = app.config.throughput as usize;
    let instant = Instant::now();
    if cap > 0 {
        let q = st.throughput.entry(pnid.to_owned()).or_default();
        while q
            .front()
            .is_some_and(|t| instant.duration_since(*t) >= Duration::from_secs(1))
        {
            q.pop_front();
        }
        if q.len() >= cap {
            return Err(wa(
                429,
                130429,
                "Rate limit hit",
                format!("Cloud API message throughput has been reached: phone number {pnid} is limited to {cap} messages per second."),
            )
            .transient(true));
        }
    }
    // Pair rate (§5): burst then one message per interval to the same user.
    let now = st.now();
    let burst = f64::from(app.config.pair_burst);
    let interval = app.config.pair_interval_secs.max(0.001);
    let pair_key = (pnid.to_owned(), wa_id.clone());
    if app.config.pair_burst > 0 {
        let b = st
            .pairs
            .get(&pair_key)
            .copied()
            .unwrap_or(crate::state::PairBucket {
                tokens: burst,
                at: now,
            });
        let tokens = (b.tokens + (now - b.at).max(0.0) / interval).min(burst);
        if tokens < 1.0 {
            return Err(wa(
                429,
                131056,
                "(Business Account, Consumer Account) pair rate limit hit",
                format!("Too many messages sent from phone number {pnid} to {wa_id} in a short period of time."),
            )
            .transient(true));
        }
    }

    // Messaging tier (§5): templates outside the customer-service window count unique users.
    let business_initiated = kind == "template"
        && !st
            .windows
            .get(&pair_key)
            .is_some_and(|last| now - last < WINDOW_SECS);
    if business_initiated {
        crate::limits::check_tier(app, st, pnid, &wa_id)?;
    }

    let recipient = st.recipient(&wa_id);
    let mut failure = None;
    if !recipient.on_whatsapp {
        failure = Some(wa(
            400,
            131026,
            "Message undeliverable",
            format!("Unable to deliver message to {wa_id}: the number is not a WhatsApp user (or uses an old app version / has not accepted the terms)."),
        ));
    } else if kind != "template" {
        let open = st
            .windows
            .get(&pair_key)
            .is_some_and(|last| now - last < WINDOW_SECS);
        if !open {
            failure = Some(wa(
                400,
                131047,
                "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
            ));
        }
    }
    if let Some(f) = &failure {
        if !app.config.async_failures {
            return Err(f.clone());
        }
    }

    // Accepted.
    if cap > 0 {
        st.throughput
            .entry(pnid.to_owned())
            .or_default()
            .push_back(instant);
    }
    if app.config.pair_burst > 0 {
        let b = st
            .pairs
            .get(&pair_key)
            .copied()
            .unwrap_or(crate::state::PairBucket {
                tokens: burst,
                at: now,
            });
        let tokens = (b.tokens + (now - b.at).max(0.0) / interval).min(burst);
        st.pairs.insert(
            pair_key.clone(),
            crate::state::PairBucket {
                tokens: tokens - 1.0,
                at: now,
            },
        );
    }
    if business_initiated {
        crate::limits::record_tier(app, st, pnid, &wa_id);
    }
    let wamid = new_wamid(st, &wa_id);
    let ts = st.now_secs();
    let biz_opaque = str_of(&body, "biz_opaque_callback_data").map(str::to_owned);
    st.sent_index.insert(wamid.clone(), st.sent.len());
    st.sent.push(SentMessage {
        id: wamid.clone(),
        phone_number_id: pnid.to_owned(),
        to: wa_id.clone(),
        kind: kind.clone(),
        body,
        timestamp: ts,
        status: if failure.is_some() {
            "failed".into()
        } else {
            "accepted".into()
        },
    });
    let in_window = st
        .windows
        .get(&pair_key)
        .is_some_and(|last| now - last < WINDOW_SECS);
    let (category, pricing_type) = match tpl {
        Some(c) => {
            let free = in_window && c == "utility";
            (
                c,
                if free {
                    "free_customer_service"
                } else {
                    "regular"
                },
            )
        }
        None => ("service".to_owned(), "free_customer_service"),
    };
    webhook::spawn_statuses(
        app,
        Outbound {
            wamid: wamid.clone(),
            phone_number_id: pnid.to_owned(),
            waba_id: waba.to_owned(),
            recipient: wa_id.clone(),
            category,
            pricing_type: pricing_type.to_owned(),
            reads: recipient.reads,
            biz_opaque,
            failure,
        },
    );
    let mut message = json!({"id": wamid});
    if kind == "template" {
        if let Some(o) = message.as_object_mut() {
            o.insert("message_status".into(), json!("accepted"));
        }
    }
    #[derive(serde::Serialize)]
    struct SendResponse {
        messaging_product: &'static str,
        contacts: [Contact; 1],
        messages: [Value; 1],
    }
    #[derive(serde::Serialize)]
    struct Contact {
        input: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        wa_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_id: Option<String>,
    }
    Ok(Resp::ser(
        200,
        &SendResponse {
            messaging_product: "whatsapp",
            contacts: [Contact {
                input: to_raw,
                wa_id: addressee.wa_id,
                user_id: addressee.user_id,
            }],
            messages: [message],
        },
    ))
}

// ---------------------------------------------------------------- media

/// (MIME type, max bytes) per §3.1.
fn media_limit(mime: &str) -> Option<usize> {
    const MB: usize = 1024 * 1024;
    match mime {
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => Some(16 * MB),
        "text/plain"
        | "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        | "application/pdf" => Some(100 * MB),
        "image/jpeg" | "image/png" => Some(5 * MB),
        "image/webp" => Some(500 * 1024),
        "video/mp4" | "video/3gpp" => Some(16 * MB),
        _ => None,
    }
}

fn upload(st: &mut State, ctx: &Ctx, pnid: &str, waba: &str) -> Result<Resp, GraphErr> {
    let boundary = crate::multipart::boundary(&ctx.content_type)
        .ok_or_else(|| errors::param_required("file"))?;
    let parts = crate::multipart::parse(&ctx.body, &boundary)
        .ok_or_else(|| errors::param("Invalid multipart body"))?;
    let text = |n: &str| {
        parts
            .iter()
            .find(|p| p.name == n)
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
    };
    match text("messaging_product").as_deref() {
        None => return Err(errors::param_required("messaging_product")),
        Some("whatsapp") => {}
        Some(other) => {
            return Err(errors::param(format!(
                "Param messaging_product must be one of {{WHATSAPP}} - got \"{other}\"."
            )))
        }
    }
    let file = parts
        .iter()
        .find(|p| p.name == "file")
        .ok_or_else(|| errors::param_required("file"))?;
    let declared = text("type")
        .or_else(|| file.content_type.clone())
        .unwrap_or_default();
    let mime = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let max = media_limit(&mime).ok_or_else(|| {
        wa(
            400,
            131053,
            "Media upload error",
            format!("Unsupported file type \"{mime}\"; see the supported media types."),
        )
    })?;
    if let Some(ct) = &file.content_type {
        let part_mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if part_mime != mime && part_mime != "application/octet-stream" {
            return Err(wa(
                400,
                131053,
                "Media upload error",
                format!("The file's content type \"{part_mime}\" does not match type \"{mime}\"."),
            ));
        }
    }
    if file.data.is_empty() {
        return Err(wa(
            400,
            131053,
            "Media upload error",
            "The uploaded file is empty.",
        ));
    }
    if file.data.len() > max {
        return Err(wa(
            400,
            131053,
            "Media upload error",
            format!(
                "File size {} bytes exceeds the maximum of {max} bytes for {mime}.",
                file.data.len()
            ),
        ));
    }
    let id = st.new_numeric_id(500);
    st.media.insert(
        id.clone(),
        Media {
            phone_number_id: pnid.to_owned(),
            waba_id: waba.to_owned(),
            mime_type: mime,
            sha256: util::sha256_hex(&file.data),
            bytes: file.data.clone(),
            filename: file.filename.clone(),
        },
    );
    Ok(Resp::json(200, &json!({"id": id})))
}

fn media_json(ctx: &Ctx, id: &str, md: &Media) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "url": format!("http://{}/_media/{id}?phone_number_id={}", ctx.host, md.phone_number_id),
        "mime_type": md.mime_type,
        "sha256": md.sha256,
        "file_size": md.bytes.len(),
        "id": id
    })
}

fn media_download(st: &State, ctx: &Ctx, id: &str) -> Result<Resp, GraphErr> {
    let tok = auth(st, ctx, false)?;
    let md = st
        .media
        .get(id)
        .ok_or_else(|| errors::unsupported("GET", id))?;
    need_waba(&tok, MSG, &md.waba_id)?;
    let ct: &'static str = match md.mime_type.as_str() {
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        "image/webp" => "image/webp",
        "application/pdf" => "application/pdf",
        "video/mp4" => "video/mp4",
        "audio/ogg" => "audio/ogg",
        "audio/mpeg" => "audio/mpeg",
        "text/plain" => "text/plain",
        _ => "application/octet-stream",
    };
    let _ = &md.filename;
    Ok(Resp {
        status: 200,
        body: md.bytes.clone(),
        content_type: ct,
    })
}

// ---------------------------------------------------------------- OAuth

fn params(ctx: &Ctx) -> std::collections::HashMap<String, String> {
    let mut p = ctx.query.clone();
    if ctx
        .content_type
        .starts_with("application/x-www-form-urlencoded")
    {
        p.extend(util::parse_query(std::str::from_utf8(&ctx.body).ok()));
    }
    p
}

fn mint_token(
    st: &mut State,
    lifetime: f64,
    kind: &str,
    scopes: Vec<String>,
    targets: Option<Vec<String>>,
) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::from("EAAM");
    for _ in 0..4 {
        let mut r = util::random_u64();
        for _ in 0..10 {
            s.push(char::from(
                ALPHA.get((r % 62) as usize).copied().unwrap_or(b'A'),
            ));
            r /= 62;
        }
    }
    let now = st.now();
    st.tokens.insert(
        s.clone(),
        Token {
            kind: kind.to_owned(),
            scopes,
            targets,
            issued_at: now,
            expires_at: Some(now + lifetime),
        },
    );
    s
}

/// Short-lived user token lifetime (§7.2: about 1–2 hours).
const SHORT_LIVED: f64 = 7_200.0;
/// Long-lived user token lifetime (§7.2: about 60 days).
const LONG_LIVED: f64 = 5_183_944.0;

fn oauth_token(st: &mut State, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let p = params(ctx);
    let client_id = p
        .get("client_id")
        .ok_or_else(|| GraphErr::new(400, 101, "OAuthException", "Missing client_id parameter."))?;
    if client_id != &st.fixture.app.id {
        return Err(GraphErr::new(
            400,
            101,
            "OAuthException",
            "Error validating application. Invalid application ID.",
        ));
    }
    match p.get("client_secret") {
        Some(s) if s == &st.fixture.app.secret => {}
        Some(_) => {
            return Err(GraphErr::new(
                400,
                1,
                "OAuthException",
                "Error validating client secret.",
            ))
        }
        None => {
            return Err(GraphErr::new(
                400,
                1,
                "OAuthException",
                "Missing client_secret parameter.",
            ))
        }
    }
    let grant = p.get("grant_type").map(String::as_str).unwrap_or("");
    if grant == "client_credentials" {
        return Ok(Resp::json(
            200,
            &json!({"access_token": app_token(st), "token_type": "bearer"}),
        ));
    }
    if grant == "fb_exchange_token" {
        let short = p
            .get("fb_exchange_token")
            .ok_or_else(|| errors::param_required("fb_exchange_token"))?;
        let tok = check_token(st, short)?;
        if tok.kind == "APP" {
            return Err(errors::token_invalid());
        }
        let t = mint_token(
            st,
            LONG_LIVED,
            &tok.kind,
            tok.scopes.clone(),
            tok.targets.clone(),
        );
        return Ok(Resp::json(
            200,
            &json!({"access_token": t, "token_type": "bearer", "expires_in": LONG_LIVED as i64}),
        ));
    }
    let code = p
        .get("code")
        .ok_or_else(|| errors::param_required("code"))?;
    if st.used_codes.contains(code) {
        return Err(errors::param("This authorization code has been used.").with_subcode(36009));
    }
    let Some(bound) = st.codes.get(code).cloned() else {
        return Err(errors::param("Invalid verification code format."));
    };
    if let Some(uri) = bound {
        if p.get("redirect_uri") != Some(&uri) {
            return Err(errors::param(
                "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
            )
            .with_subcode(36008));
        }
    }
    st.codes.remove(code);
    st.used_codes.insert(code.clone());
    let scopes = vec![BIZ.to_owned(), MGMT.to_owned(), MSG.to_owned()];
    let t = mint_token(st, SHORT_LIVED, "USER", scopes, None);
    Ok(Resp::json(
        200,
        &json!({"access_token": t, "token_type": "bearer", "expires_in": SHORT_LIVED as i64}),
    ))
}

fn debug_token(st: &State, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let caller = bearer(ctx).ok_or_else(errors::token_missing)?;
    check_token(st, &caller)?;
    let input = ctx
        .query
        .get("input_token")
        .ok_or_else(|| errors::param_required("input_token"))?;
    let app = &st.fixture.app;
    if input == &app_token(st) {
        return Ok(Resp::json(
            200,
            &json!({"data": {"app_id": app.id, "type": "APP", "application": app.name, "is_valid": true, "scopes": []}}),
        ));
    }
    let Some(tok) = st.tokens.get(input) else {
        return Ok(Resp::json(
            200,
            &json!({"data": {"error": {"code": 190, "message": "Invalid OAuth access token."}, "is_valid": false, "scopes": []}}),
        ));
    };
    let now = st.now();
    let valid = tok.expires_at.is_none_or(|e| e > now);
    let all = st.all_waba_ids();
    let granular: Vec<Value> = tok
        .scopes
        .iter()
        .map(|s| {
            if s == MGMT || s == MSG {
                json!({"scope": s, "target_ids": tok.targets.clone().unwrap_or_else(|| all.clone())})
            } else if s == BIZ {
                let ids: Vec<&str> = st.fixture.businesses.iter().map(|b| field(b, "id")).collect();
                json!({"scope": s, "target_ids": ids})
            } else {
                json!({"scope": s})
            }
        })
        .collect();
    let mut data = json!({
        "app_id": app.id,
        "type": tok.kind,
        "application": app.name,
        "data_access_expires_at": (tok.issued_at + 90.0 * 86_400.0) as i64,
        "expires_at": tok.expires_at.map(|e| e as i64).unwrap_or(0),
        "is_valid": valid,
        "issued_at": tok.issued_at as i64,
        "scopes": tok.scopes,
        "granular_scopes": granular,
        "user_id": st.fixture.user.id,
    });
    if !valid {
        if let Some(o) = data.as_object_mut() {
            let exp = tok.expires_at.unwrap_or(now) as i64;
            o.insert(
                "error".into(),
                json!({"code": 190, "message": format!("Error validating access token: Session has expired on {}. The current time is {}.", graph_date(exp), graph_date(now as i64)), "subcode": 463}),
            );
        }
    }
    Ok(Resp::json(200, &json!({"data": data})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format() {
        assert_eq!(graph_date(0), "Thursday, 01-Jan-70 00:00:00 UTC");
        assert_eq!(graph_date(1_700_000_000), "Tuesday, 14-Nov-23 22:13:20 UTC");
    }

    #[test]
    fn versions() {
        assert!(is_version("v25.0"));
        assert!(is_version("v19"));
        assert!(!is_version("vx"));
        assert_eq!(segments("/v25.0/123/messages"), vec!["123", "messages"]);
    }
}
