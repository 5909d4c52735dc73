//! Businesses, WhatsApp Business Accounts, phone numbers and the user (`/me`).

use super::auth::{need_scope, need_waba, BIZ, MGMT};
use super::fields::{check_fields, page, select};
use crate::errors::GraphErr;
use crate::state::{field, State, Token};
use crate::{Ctx, Resp};
use serde_json::{json, Map, Value};

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

/// `GET /me` (or `/{user id}`).
pub(super) fn user(st: &State) -> Resp {
    let u = &st.fixture.user;
    Resp::json(200, &json!({"id": u.id, "name": u.name}))
}

/// `GET /me/businesses`.
pub(super) fn businesses(st: &State, ctx: &Ctx, tok: &Token) -> Result<Resp, GraphErr> {
    need_scope(tok, BIZ)?;
    let items: Vec<(String, Value)> = st
        .fixture
        .businesses
        .iter()
        .map(|b| (field(b, "id").to_owned(), select(b, ctx, &["id", "name"])))
        .collect();
    page(items, ctx)
}

/// `GET /{business id}`.
pub(super) fn business(b: &Map<String, Value>, ctx: &Ctx, tok: &Token) -> Result<Resp, GraphErr> {
    need_scope(tok, BIZ)?;
    check_fields(b, ctx, "Business", &[])?;
    Ok(Resp::json(200, &select(b, ctx, &["id", "name"])))
}

/// `GET /{waba id}`.
pub(super) fn waba(
    w: &Map<String, Value>,
    ctx: &Ctx,
    tok: &Token,
    id: &str,
) -> Result<Resp, GraphErr> {
    need_waba(tok, MGMT, id)?;
    check_fields(w, ctx, "WhatsAppBusinessAccount", &[])?;
    Ok(Resp::json(200, &public(w, ctx, WABA_DEFAULT)))
}

/// `GET /{phone number id}`.
pub(super) fn phone(p: &Map<String, Value>, ctx: &Ctx, tok: &Token) -> Result<Resp, GraphErr> {
    need_waba(tok, MGMT, field(p, "waba_id"))?;
    check_fields(p, ctx, "WhatsAppBusinessPhoneNumber", &[])?;
    Ok(Resp::json(200, &public(p, ctx, PHONE_DEFAULT)))
}

/// `GET /{business id}/{owned|client}_whatsapp_business_accounts` (`relation`: `owned` or
/// `client`).
pub(super) fn wabas(
    st: &State,
    ctx: &Ctx,
    tok: &Token,
    business: &str,
    relation: &str,
) -> Result<Resp, GraphErr> {
    need_scope(tok, BIZ)?;
    let items: Vec<(String, Value)> = st
        .fixture
        .wabas
        .iter()
        .filter(|w| field(w, "business_id") == business && field(w, "relation") == relation)
        .filter(|w| {
            tok.targets
                .as_ref()
                .is_none_or(|t| t.iter().any(|x| x == field(w, "id")))
        })
        .map(|w| (field(w, "id").to_owned(), public(w, ctx, &["id", "name"])))
        .collect();
    page(items, ctx)
}

/// `GET /{waba id}/phone_numbers` (access already checked).
pub(super) fn phone_numbers(st: &State, ctx: &Ctx, waba: &str) -> Result<Resp, GraphErr> {
    let items: Vec<(String, Value)> = st
        .fixture
        .phone_numbers
        .iter()
        .filter(|p| field(p, "waba_id") == waba)
        .map(|p| (field(p, "id").to_owned(), public(p, ctx, PHONE_DEFAULT)))
        .collect();
    page(items, ctx)
}

/// The selected fields of a fixture object without the emulator's own bookkeeping keys.
fn public(obj: &Map<String, Value>, ctx: &Ctx, default: &[&str]) -> Value {
    let mut v = select(obj, ctx, default);
    if let Some(o) = v.as_object_mut() {
        o.remove("waba_id");
        o.remove("business_id");
        o.remove("relation");
    }
    v
}
