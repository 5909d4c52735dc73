//! `POST /{phone number id}/messages`: sends, and marking an inbound message read.

use super::payload::{self, str_of};
use super::request::{check_messaging_product, json_body};
use crate::errors::{self, wa, GraphErr};
use crate::identities::{self, Addressee};
use crate::state::{field, SentMessage, State};
use crate::webhook::{self, Outbound};
use crate::{limits, App, Ctx, Resp};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The customer-service window (§2.1): free-form messages only within 24 h of the user's last
/// message.
const WINDOW_SECS: f64 = 86_400.0;

/// `POST /{phone number id}/messages` (access already checked). A read receipt when the body
/// has `status`, else a send: checked, rate-limited, recorded, answered with a wamid, and
/// followed by status webhooks.
pub(super) fn send(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    pnid: &str,
    waba: &str,
) -> Result<Resp, GraphErr> {
    let body = json_body(ctx).ok_or_else(|| errors::param_required("messaging_product"))?;
    check_messaging_product(str_of(&body, "messaging_product"))?;
    if body.get("status").is_some() {
        return mark_read(st, &body, pnid);
    }
    check_recipient_type(&body)?;
    // A phone number, a business-scoped user id (`recipient`) or a group id (identities.rs).
    let addressee = identities::addressee(&body)?;
    let wa_id = addressee.key.clone();
    refuse_own_number(st, pnid, &wa_id)?;
    let kind = str_of(&body, "type").unwrap_or("text").to_owned();
    let category = payload::validate(st, &body, &kind, waba)?;

    let window_open = window_open(st, pnid, &wa_id);
    // Templates outside the customer-service window count against the messaging tier.
    let business_initiated = kind == "template" && !window_open;
    let admission = limits::admit(app, st, pnid, &wa_id, business_initiated)?;
    let recipient = st.recipient(&wa_id);
    let failure = delivery_failure(recipient.on_whatsapp, &kind, window_open, &wa_id);
    if let Some(f) = &failure {
        if !app.config.async_failures {
            return Err(f.clone());
        }
    }

    limits::record(app, st, pnid, &wa_id, admission);
    let wamid = st.new_wamid(&wa_id);
    let biz_opaque = str_of(&body, "biz_opaque_callback_data").map(str::to_owned);
    let status = if failure.is_some() {
        "failed"
    } else {
        "accepted"
    };
    record_sent(st, &wamid, pnid, &wa_id, &kind, body, status);
    let (category, pricing_type) = pricing(category, window_open);
    webhook::spawn_statuses(
        app,
        Outbound {
            wamid: wamid.clone(),
            phone_number_id: pnid.to_owned(),
            waba_id: waba.to_owned(),
            recipient: wa_id,
            category,
            pricing_type: pricing_type.to_owned(),
            reads: recipient.reads,
            biz_opaque,
            failure,
        },
    );
    Ok(Resp::ser(200, &SendResponse::new(addressee, wamid, &kind)))
}

/// `{"messaging_product":"whatsapp","status":"read","message_id":…}`: marks an inbound message
/// read (optionally showing a typing indicator).
fn mark_read(st: &State, body: &Value, pnid: &str) -> Result<Resp, GraphErr> {
    if str_of(body, "status") != Some("read") {
        return Err(errors::invalid_value("status must be \"read\""));
    }
    let mid = str_of(body, "message_id").ok_or_else(|| errors::param_required("message_id"))?;
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
    Ok(Resp::json(200, &json!({"success": true})))
}

fn check_recipient_type(body: &Value) -> Result<(), GraphErr> {
    match str_of(body, "recipient_type") {
        None | Some("individual" | "group") => Ok(()),
        Some(rt) => Err(errors::param(format!(
            "Param recipient_type must be one of {{GROUP, INDIVIDUAL}} - got \"{rt}\"."
        ))),
    }
}

fn refuse_own_number(st: &State, pnid: &str, wa_id: &str) -> Result<(), GraphErr> {
    let own = st
        .phone(pnid)
        .map(|p| webhook::display_digits(field(p, "display_phone_number")));
    if own.as_deref() == Some(wa_id) {
        return Err(wa(
            400,
            131021,
            "Recipient cannot be sender",
            "Sender and recipient phone number is the same.",
        ));
    }
    Ok(())
}

/// Whether the user wrote to this number within the last 24 hours (emulator clock).
fn window_open(st: &State, pnid: &str, wa_id: &str) -> bool {
    st.windows
        .get(&(pnid.to_owned(), wa_id.to_owned()))
        .is_some_and(|last| st.now() - last < WINDOW_SECS)
}

/// Why an otherwise accepted send cannot be delivered: the user is not on WhatsApp (**131026**),
/// or a non-template message outside the window (**131047**).
fn delivery_failure(
    on_whatsapp: bool,
    kind: &str,
    window_open: bool,
    wa_id: &str,
) -> Option<GraphErr> {
    if !on_whatsapp {
        return Some(wa(
            400,
            131026,
            "Message undeliverable",
            format!("Unable to deliver message to {wa_id}: the number is not a WhatsApp user (or uses an old app version / has not accepted the terms)."),
        ));
    }
    (kind != "template" && !window_open).then(|| {
        wa(
            400,
            131047,
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        )
    })
}

fn record_sent(
    st: &mut State,
    wamid: &str,
    pnid: &str,
    wa_id: &str,
    kind: &str,
    body: Value,
    status: &str,
) {
    let timestamp = st.now_secs();
    st.sent_index.insert(wamid.to_owned(), st.sent.len());
    st.sent.push(SentMessage {
        id: wamid.to_owned(),
        phone_number_id: pnid.to_owned(),
        to: wa_id.to_owned(),
        kind: kind.to_owned(),
        body,
        timestamp,
        status: status.to_owned(),
    });
}

/// `(category, pricing type)` of a status webhook: a template is billed by its category unless
/// it is a utility template inside the window; anything else is a free service message.
fn pricing(template_category: Option<String>, window_open: bool) -> (String, &'static str) {
    match template_category {
        Some(c) if window_open && c == "utility" => (c, "free_customer_service"),
        Some(c) => (c, "regular"),
        None => ("service".to_owned(), "free_customer_service"),
    }
}

/// Graph's answer to a send; template sends also carry `message_status`.
#[derive(Serialize)]
struct SendResponse {
    messaging_product: &'static str,
    contacts: [Contact; 1],
    messages: [Message; 1],
}

#[derive(Serialize)]
struct Contact {
    input: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    wa_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
}

#[derive(Serialize)]
struct Message {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_status: Option<&'static str>,
}

impl SendResponse {
    fn new(addressee: Addressee, wamid: String, kind: &str) -> Self {
        SendResponse {
            messaging_product: "whatsapp",
            contacts: [Contact {
                input: addressee.input,
                wa_id: addressee.wa_id,
                user_id: addressee.user_id,
            }],
            messages: [Message {
                id: wamid,
                message_status: (kind == "template").then_some("accepted"),
            }],
        }
    }
}
