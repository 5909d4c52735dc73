//! Raw webhook body → typed events (`platform-rules.md` §6.2–6.5).
//!
//! Strict only about the envelope (`object: "whatsapp_business_account"`, `entry[].changes[]`
//! with `field` and `value`): a body that is not a WhatsApp webhook is a validation error with
//! the JSON path of what did not fit. Inside the envelope nothing fails: a change, message or
//! status that is not recognised (new field, new message type, changed shape) becomes an
//! [`UnknownEvent`] carrying its raw JSON, so one surprise never loses the rest of a delivery.
//!
//! Decoding is borrowed and lazy (`json.rs`): the body is validated and indexed once, objects
//! are read as raw members, only the fields this library interprets are decoded, payloads are
//! forwarded as their exact JSON text, and no `serde_json::Value` tree is ever built.

use super::event::*;
use super::json::{parse, push_int, Kind, Object, Raw};
use super::signature::{sha256_hex, verify_webhook_signature, AppSecret};
use crate::core::error::Error;
use crate::core::json::join_strs;

/// The `object` of every WhatsApp Business webhook.
pub const WHATSAPP_OBJECT: &str = "whatsapp_business_account";

/// Where a change came from: the parts of the envelope every event repeats.
struct Origin<'e> {
    waba_id: &'e str,
    time: Option<i64>,
    field: &'e str,
}

fn not_whatsapp(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::invalid(path, "webhook_not_whatsapp", message)
}

fn invalid_json(message: String) -> Error {
    Error::invalid("", "webhook_invalid_json", message)
}

/// Parses a webhook delivery (the raw POST body) into typed events, in delivery order.
///
/// Errors (kind `validation`) only when the body is not a WhatsApp Business webhook: not JSON
/// (`webhook_invalid_json`), or an envelope that does not fit (`webhook_not_whatsapp`, with the
/// JSON path, e.g. `entry[0].changes`). Everything inside the envelope that is not recognised
/// becomes [`WebhookEvent::Unknown`].
pub fn parse_webhook(body: &[u8]) -> Result<Vec<WebhookEvent>, Error> {
    let text = std::str::from_utf8(body).map_err(|e| {
        invalid_json(format!(
            "The body is not UTF-8 text (invalid byte at offset {}): pass the raw request body, unmodified.",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(invalid_json(
            "The body is empty: pass the raw request body (await request.arrayBuffer()).".into(),
        ));
    }
    let doc = parse(text).map_err(|e| {
        invalid_json(format!(
            "The body is not valid JSON ({} at line {} column {}): pass the raw request body, unmodified.",
            e.message, e.line, e.column
        ))
    })?;
    let root = Object::of(doc.root()).ok_or_else(|| {
        not_whatsapp(
            "",
            "The body is JSON but not an object: this is not a WhatsApp Business webhook.",
        )
    })?;
    match root.string("object") {
        Some(o) if o == WHATSAPP_OBJECT => {}
        other => {
            return Err(not_whatsapp(
                "object",
                format!(
                    "object is {}, not \"{WHATSAPP_OBJECT}\": this is not a WhatsApp Business webhook (check which Meta product posts to this URL).",
                    other.map_or_else(|| "missing".to_owned(), |o| quoted(&o))
                ),
            ))
        }
    }
    let entries = root
        .array("entry")
        .ok_or_else(|| not_whatsapp("entry", "entry must be an array of entries."))?;
    let mut events = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let entry = Object::of(*entry).ok_or_else(|| {
            not_whatsapp(entry_path(i, None, ""), "Each entry must be an object.")
        })?;
        let waba_id = entry.id("id").ok_or_else(|| {
            not_whatsapp(
                entry_path(i, None, ".id"),
                "The entry id (the WhatsApp Business Account id) must be a string.",
            )
        })?;
        let time = match entry.get("time") {
            None => None,
            Some(_) => Some(entry.unix("time").ok_or_else(|| {
                not_whatsapp(
                    entry_path(i, None, ".time"),
                    "The entry time must be unix seconds.",
                )
            })?),
        };
        let changes = entry.array("changes").ok_or_else(|| {
            not_whatsapp(entry_path(i, None, ".changes"), "changes must be an array.")
        })?;
        for (j, change) in changes.iter().enumerate() {
            let change = Object::of(*change).ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ""), "Each change must be an object.")
            })?;
            let field = change.string("field").ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ".field"), "field must be a string.")
            })?;
            let value = change.member("value").ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ".value"), "value is missing.")
            })?;
            let origin = Origin {
                waba_id: &waba_id,
                time,
                field: &field,
            };
            parse_change(&origin, value, &mut events);
        }
    }
    Ok(events)
}

/// [`verify_webhook_signature`] then [`parse_webhook`]: `Ok(None)` when the signature does not
/// verify (the body is then not parsed), the events when it does. Errors as the two functions
/// do: secrets first (`webhook_secret_missing` / `webhook_secret_empty`), then the body.
pub fn verify_and_parse_webhook(
    body: &[u8],
    header: Option<&str>,
    secrets: &[AppSecret],
) -> Result<Option<Vec<WebhookEvent>>, Error> {
    if !verify_webhook_signature(body, header, secrets)? {
        return Ok(None);
    }
    parse_webhook(body).map(Some)
}

fn parse_change(origin: &Origin<'_>, value: Raw<'_>, out: &mut Vec<WebhookEvent>) {
    let parsed = match origin.field {
        "messages" => {
            parse_messages_value(origin, value, out);
            return;
        }
        "message_template_status_update" => Object::of(value).and_then(|v| {
            let event = v.owned("event")?;
            let template_id = v.id("message_template_id")?;
            Some(WebhookEvent::TemplateStatus(TemplateStatusEvent {
                dedup_key: management_key("template_status:", &template_id, &event, origin, value),
                waba_id: origin.waba_id.to_owned(),
                timestamp: origin.time,
                event,
                template_id,
                template_name: v.owned("message_template_name"),
                language: v.owned("message_template_language"),
                reason: v.owned("reason"),
                value: verbatim(value),
            }))
        }),
        "message_template_quality_update" => Object::of(value).and_then(|v| {
            let template_id = v.id("message_template_id")?;
            let score = v.owned("new_quality_score")?;
            Some(WebhookEvent::TemplateQuality(TemplateQualityEvent {
                dedup_key: management_key("template_quality:", &template_id, &score, origin, value),
                waba_id: origin.waba_id.to_owned(),
                timestamp: origin.time,
                template_id,
                template_name: v.owned("message_template_name"),
                language: v.owned("message_template_language"),
                previous_quality_score: v.owned("previous_quality_score"),
                new_quality_score: score,
                value: verbatim(value),
            }))
        }),
        "phone_number_quality_update" => Object::of(value).and_then(|v| {
            let number = v.id("display_phone_number")?;
            let event = v.owned("event")?;
            Some(WebhookEvent::PhoneNumberQuality(PhoneNumberQualityEvent {
                dedup_key: management_key("phone_number_quality:", &number, &event, origin, value),
                waba_id: origin.waba_id.to_owned(),
                timestamp: origin.time,
                display_phone_number: number,
                event,
                current_limit: v.owned("current_limit"),
                value: verbatim(value),
            }))
        }),
        "account_update" => Object::of(value).and_then(|v| {
            let event = v.owned("event")?;
            Some(WebhookEvent::AccountUpdate(AccountUpdateEvent {
                dedup_key: management_key("account_update:", origin.waba_id, &event, origin, value),
                waba_id: origin.waba_id.to_owned(),
                timestamp: origin.time,
                event,
                phone_number: v.id("phone_number"),
                value: verbatim(value),
            }))
        }),
        _ => {
            out.push(unknown(origin, UnknownReason::UnknownField, None, value));
            return;
        }
    };
    out.push(parsed.unwrap_or_else(|| unknown(origin, UnknownReason::InvalidShape, None, value)));
}

/// The parts of a `messages` change value shared by its messages and statuses.
struct Metadata {
    phone_number_id: String,
    display_phone_number: String,
}

fn parse_messages_value(origin: &Origin<'_>, value: Raw<'_>, out: &mut Vec<WebhookEvent>) {
    let parsed = Object::of(value).and_then(|v| {
        let meta = v.get("metadata").and_then(Object::of)?;
        let metadata = Metadata {
            phone_number_id: meta.id("phone_number_id")?,
            display_phone_number: meta.id("display_phone_number")?,
        };
        let messages = match v.get("messages") {
            None => Vec::new(),
            Some(_) => v.array("messages")?,
        };
        let statuses = match v.get("statuses") {
            None => Vec::new(),
            Some(_) => v.array("statuses")?,
        };
        let errors = v.get("errors");
        if messages.is_empty() && statuses.is_empty() && errors.is_none() {
            return None;
        }
        // (wa_id, profile name) of `contacts[]`, to name each message's sender.
        let contacts: Vec<(Option<String>, Option<String>)> = v
            .array("contacts")
            .unwrap_or_default()
            .into_iter()
            .filter_map(Object::of)
            .map(|c| {
                let name = c
                    .get("profile")
                    .and_then(Object::of)
                    .and_then(|p| p.owned("name"));
                (c.id("wa_id"), name)
            })
            .collect();
        Some((metadata, messages, statuses, errors, contacts))
    });
    let Some((metadata, messages, statuses, errors, contacts)) = parsed else {
        out.push(unknown(origin, UnknownReason::InvalidShape, None, value));
        return;
    };
    let pnid = Some(metadata.phone_number_id.as_str());
    for raw in messages {
        out.push(match message_event(origin, &metadata, &contacts, raw) {
            Ok(event) => event,
            Err(reason) => unknown(origin, reason, pnid, raw),
        });
    }
    for raw in statuses {
        out.push(match status_event(origin, &metadata, raw) {
            Ok(event) => event,
            Err(reason) => unknown(origin, reason, pnid, raw),
        });
    }
    if let Some(errors) = errors {
        out.push(unknown(origin, UnknownReason::ValueErrors, pnid, errors));
    }
}

/// Whether the payload of a recognised type has the fields its TypeScript type promises.
fn payload_fits(t: MessageType, payload: Option<Raw<'_>>) -> Result<(), UnknownReason> {
    use MessageType::*;
    let shape = UnknownReason::InvalidShape;
    let object = || payload.and_then(Object::of).ok_or(shape);
    let ok = |b: bool| if b { Ok(()) } else { Err(shape) };
    match t {
        Text => ok(object()?.get_kind("body", Kind::String).is_some()),
        Image | Video | Audio | Document | Sticker => {
            ok(object()?.get_kind("id", Kind::String).is_some())
        }
        Location => {
            let o = object()?;
            ok(o.get_kind("latitude", Kind::Number).is_some()
                && o.get_kind("longitude", Kind::Number).is_some())
        }
        Contacts => ok(payload.is_some_and(|p| p.kind() == Kind::Array)),
        Interactive => {
            let o = object()?;
            let sub = o.string("type").ok_or(shape)?;
            match sub.as_ref() {
                "button_reply" | "list_reply" => ok(o.has_string_in(&sub, "id")),
                "nfm_reply" => ok(o.has_string_in(&sub, "response_json")),
                _ => Err(UnknownReason::UnknownType),
            }
        }
        Reaction => ok(object()?.get_kind("message_id", Kind::String).is_some()),
        Order => ok(object()?.id("catalog_id").is_some()),
        Button | System => object().map(|_| ()),
        RequestWelcome => Ok(()),
        Unsupported => ok(payload.map_or(true, |p| p.kind() == Kind::Object)),
    }
}

fn message_event(
    origin: &Origin<'_>,
    metadata: &Metadata,
    contacts: &[(Option<String>, Option<String>)],
    raw: Raw<'_>,
) -> Result<WebhookEvent, UnknownReason> {
    let shape = UnknownReason::InvalidShape;
    let m = Object::of(raw).ok_or(shape)?;
    let type_name = m.string("type").ok_or(shape)?;
    let message_type = MessageType::parse(&type_name).ok_or(UnknownReason::UnknownType)?;
    let payload = m.get(message_type.as_str());
    payload_fits(message_type, payload)?;
    let id = m.owned("id").ok_or(shape)?;
    let from = m.id("from").ok_or(shape)?;
    let timestamp = m.unix("timestamp").ok_or(shape)?;
    let contact_name = contacts
        .iter()
        .find(|(wa_id, _)| wa_id.as_deref() == Some(from.as_str()))
        .or(match contacts {
            [only] => Some(only),
            _ => None,
        })
        .and_then(|(_, name)| name.clone());
    let object_or_none = |key: &str| {
        m.get(key)
            .filter(|v| matches!(v.kind(), Kind::Object | Kind::Array))
            .map(verbatim)
    };
    Ok(WebhookEvent::Message(MessageEvent {
        dedup_key: join_strs(&["message:", id.as_str()], ""),
        id,
        from,
        timestamp,
        contact_name,
        phone_number_id: metadata.phone_number_id.clone(),
        display_phone_number: metadata.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        message_type,
        payload: payload.map(verbatim),
        context: object_or_none("context"),
        referral: object_or_none("referral"),
        errors: object_or_none("errors"),
    }))
}

fn status_event(
    origin: &Origin<'_>,
    metadata: &Metadata,
    raw: Raw<'_>,
) -> Result<WebhookEvent, UnknownReason> {
    let shape = UnknownReason::InvalidShape;
    let s = Object::of(raw).ok_or(shape)?;
    let status_text = s.string("status").ok_or(shape)?;
    let status = DeliveryStatus::parse(&status_text).ok_or(UnknownReason::UnknownType)?;
    let id = s.owned("id").ok_or(shape)?;
    let timestamp = s.unix("timestamp").ok_or(shape)?;
    let recipient_id = s.id("recipient_id").ok_or(shape)?;
    let verbatim = |key: &str, k: Kind| s.get_kind(key, k).map(verbatim);
    Ok(WebhookEvent::Status(StatusEvent {
        dedup_key: join_strs(&["status:", id.as_str(), ":", status.as_str()], ""),
        id,
        status,
        timestamp,
        recipient_id,
        phone_number_id: metadata.phone_number_id.clone(),
        display_phone_number: metadata.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        biz_opaque_callback_data: s.owned("biz_opaque_callback_data"),
        conversation: verbatim("conversation", Kind::Object),
        pricing: verbatim("pricing", Kind::Object),
        errors: verbatim("errors", Kind::Array),
    }))
}

/// `<prefix><subject>:<event>:<entry.time>`, or `…:h<32 hex digits of SHA-256(value)>` when
/// Meta omits `time`.
fn management_key(
    prefix: &str,
    subject: &str,
    event: &str,
    origin: &Origin<'_>,
    value: Raw<'_>,
) -> String {
    let mut key = join_strs(&[prefix, subject, ":", event, ":"], "");
    match origin.time {
        Some(t) => push_int(&mut key, t),
        None => {
            key.push('h');
            key.push_str(&sha256_hex(value.text().as_bytes(), 32));
        }
    }
    key
}

/// `entry[i]`, `entry[i].changes[j]`, followed by `tail` (an error path).
fn entry_path(i: usize, change: Option<usize>, tail: &str) -> String {
    let index = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut path = String::from("entry[");
    push_int(&mut path, index(i));
    path.push(']');
    if let Some(j) = change {
        path.push_str(".changes[");
        push_int(&mut path, index(j));
        path.push(']');
    }
    path.push_str(tail);
    path
}

fn unknown(
    origin: &Origin<'_>,
    reason: UnknownReason,
    phone_number_id: Option<&str>,
    raw: Raw<'_>,
) -> WebhookEvent {
    WebhookEvent::Unknown(UnknownEvent {
        dedup_key: join_strs(
            &[
                "unknown:",
                origin.field,
                ":",
                &sha256_hex(raw.text().as_bytes(), 32),
            ],
            "",
        ),
        field: origin.field.to_owned(),
        reason,
        waba_id: origin.waba_id.to_owned(),
        phone_number_id: phone_number_id.map(str::to_owned),
        raw: verbatim(raw),
    })
}

fn verbatim(raw: Raw<'_>) -> Verbatim {
    Verbatim(raw.text().to_owned())
}

/// `"text"` for a message, cut at 40 characters (plain quoting: `{:?}` would link the whole
/// `Debug` escaping machinery into the wasm for one error message).
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    out.extend(text.chars().take(40));
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out.push('"');
    out
}
