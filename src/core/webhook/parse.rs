//! Raw webhook body → typed events (`platform-rules.md` §6.2–6.5).
//!
//! Strict only about the envelope (`object: "whatsapp_business_account"`, `entry[].changes[]`
//! with `field` and `value`): a body that is not a WhatsApp webhook is a validation error with
//! the JSON path of what did not fit. Inside the envelope nothing fails: a change, message or
//! status that is not recognised (new field, new message type, changed shape) becomes an
//! [`UnknownEvent`] carrying its raw JSON, so one surprise never loses the rest of a delivery.
//!
//! Decoding is typed and borrowed (serde structs over the input bytes, `RawValue` for the parts
//! decided later), never through `serde_json::Value` on the success path.

use super::event::*;
use super::signature::sha256_hex;
use crate::core::error::Error;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The `object` of every WhatsApp Business webhook.
pub const WHATSAPP_OBJECT: &str = "whatsapp_business_account";

#[derive(Deserialize)]
struct WireEnvelope<'a> {
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(borrow)]
    entry: Vec<WireEntry<'a>>,
}

#[derive(Deserialize)]
struct WireEntry<'a> {
    #[serde(deserialize_with = "de_id")]
    id: String,
    #[serde(default, deserialize_with = "de_opt_unix")]
    time: Option<i64>,
    #[serde(borrow)]
    changes: Vec<WireChange<'a>>,
}

#[derive(Deserialize)]
struct WireChange<'a> {
    #[serde(borrow)]
    field: Cow<'a, str>,
    #[serde(borrow)]
    value: &'a RawValue,
}

#[derive(Deserialize)]
struct WireMessagesValue<'a> {
    metadata: WireMetadata,
    #[serde(default)]
    contacts: Vec<WireContact>,
    #[serde(default, borrow)]
    messages: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    statuses: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct WireMetadata {
    #[serde(deserialize_with = "de_id")]
    display_phone_number: String,
    #[serde(deserialize_with = "de_id")]
    phone_number_id: String,
}

#[derive(Deserialize)]
struct WireContact {
    #[serde(default)]
    profile: Option<WireProfile>,
    #[serde(default, deserialize_with = "de_opt_id")]
    wa_id: Option<String>,
}

#[derive(Deserialize)]
struct WireProfile {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    #[serde(deserialize_with = "de_id")]
    from: String,
    id: String,
    #[serde(deserialize_with = "de_unix")]
    timestamp: i64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    context: Option<MessageContext>,
    #[serde(default)]
    referral: Option<Referral>,
    #[serde(default, deserialize_with = "de_vec_or_null")]
    errors: Vec<WebhookError>,
    #[serde(default)]
    text: Option<TextBody>,
    #[serde(default)]
    image: Option<Media>,
    #[serde(default)]
    video: Option<Media>,
    #[serde(default)]
    audio: Option<Media>,
    #[serde(default)]
    document: Option<Media>,
    #[serde(default)]
    sticker: Option<Media>,
    #[serde(default)]
    location: Option<Location>,
    #[serde(default)]
    contacts: Option<Vec<SharedContact>>,
    #[serde(default)]
    interactive: Option<WireInteractive>,
    #[serde(default)]
    button: Option<ButtonReply>,
    #[serde(default)]
    reaction: Option<Reaction>,
    #[serde(default)]
    order: Option<Order>,
    #[serde(default)]
    system: Option<SystemNotice>,
    #[serde(default)]
    unsupported: Option<UnsupportedInfo>,
}

#[derive(Deserialize)]
struct WireInteractive {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    button_reply: Option<ChoiceReply>,
    #[serde(default)]
    list_reply: Option<ChoiceReply>,
    #[serde(default)]
    nfm_reply: Option<FlowReply>,
}

/// Just the `type` of a message (to tell an unknown type from a broken known one).
#[derive(Deserialize)]
struct WireTypeOnly<'a> {
    #[serde(default, rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    status: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct WireStatus {
    id: String,
    status: String,
    #[serde(deserialize_with = "de_unix")]
    timestamp: i64,
    #[serde(deserialize_with = "de_id")]
    recipient_id: String,
    #[serde(default)]
    biz_opaque_callback_data: Option<String>,
    #[serde(default)]
    conversation: Option<Conversation>,
    #[serde(default)]
    pricing: Option<Pricing>,
    #[serde(default, deserialize_with = "de_vec_or_null")]
    errors: Vec<WebhookError>,
}

#[derive(Deserialize)]
struct WireTemplateStatus {
    event: String,
    #[serde(deserialize_with = "de_id")]
    message_template_id: String,
    #[serde(default)]
    message_template_name: Option<String>,
    #[serde(default)]
    message_template_language: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    message_template_category: Option<String>,
    #[serde(default)]
    other_info: Option<Box<RawValue>>,
    #[serde(default)]
    rejection_info: Option<Box<RawValue>>,
    #[serde(default)]
    disable_info: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct WireTemplateQuality {
    #[serde(deserialize_with = "de_id")]
    message_template_id: String,
    #[serde(default)]
    message_template_name: Option<String>,
    #[serde(default)]
    message_template_language: Option<String>,
    #[serde(default)]
    previous_quality_score: Option<String>,
    new_quality_score: String,
}

#[derive(Deserialize)]
struct WirePhoneQuality {
    #[serde(deserialize_with = "de_id")]
    display_phone_number: String,
    event: String,
    #[serde(default)]
    current_limit: Option<String>,
    #[serde(default)]
    old_limit: Option<String>,
    #[serde(default)]
    max_daily_conversations_per_business: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct WireAccountUpdate {
    event: String,
    #[serde(default, deserialize_with = "de_opt_id")]
    phone_number: Option<String>,
}

fn de_opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<IdText>::deserialize(d).map(|o| o.map(|IdText(s)| s))
}

fn de_opt_unix<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    de_unix(d).map(Some)
}

fn de_vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

struct IdText(String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_id(d).map(IdText)
    }
}

/// Where a change came from: the parts of the envelope every event repeats.
struct Origin<'e> {
    waba_id: &'e str,
    time: Option<i64>,
    field: &'e str,
}

/// Parses a webhook delivery (the raw POST body) into typed events, in delivery order.
///
/// Errors (kind `validation`) only when the body is not a WhatsApp Business webhook: not JSON
/// (`webhook_invalid_json`), or an envelope that does not fit (`webhook_not_whatsapp`, with the
/// JSON path, e.g. `entry[0].changes`). Everything inside the envelope that is not recognised
/// becomes [`WebhookEvent::Unknown`].
pub fn parse_webhook(body: &[u8]) -> Result<Vec<WebhookEvent>, Error> {
    let envelope: WireEnvelope<'_> = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(e) => return Err(diagnose(body, &e)),
    };
    if envelope.object != WHATSAPP_OBJECT {
        return Err(not_whatsapp(
            "object",
            format!(
                "object is {:?}, not \"{WHATSAPP_OBJECT}\": this is not a WhatsApp Business webhook (check the app's webhook product).",
                envelope.object
            ),
        ));
    }
    let mut events = Vec::new();
    for entry in &envelope.entry {
        for change in &entry.changes {
            let origin = Origin {
                waba_id: &entry.id,
                time: entry.time,
                field: &change.field,
            };
            parse_change(&origin, change.value, &mut events);
        }
    }
    Ok(events)
}

fn parse_change(origin: &Origin<'_>, value: &RawValue, out: &mut Vec<WebhookEvent>) {
    let parsed = match origin.field {
        "messages" => {
            parse_messages_value(origin, value, out);
            return;
        }
        "message_template_status_update" => serde_json::from_str::<WireTemplateStatus>(value.get())
            .map(|w| {
                WebhookEvent::TemplateStatus(TemplateStatusEvent {
                    dedup_key: format!(
                        "template_status:{}:{}:{}",
                        w.message_template_id,
                        w.event,
                        time_or_hash(origin.time, value)
                    ),
                    waba_id: origin.waba_id.to_owned(),
                    timestamp: origin.time,
                    event: w.event,
                    template_id: w.message_template_id,
                    template_name: w.message_template_name,
                    language: w.message_template_language,
                    reason: w.reason,
                    category: w.message_template_category,
                    other_info: w.other_info,
                    rejection_info: w.rejection_info,
                    disable_info: w.disable_info,
                })
            }),
        "message_template_quality_update" => {
            serde_json::from_str::<WireTemplateQuality>(value.get()).map(|w| {
                WebhookEvent::TemplateQuality(TemplateQualityEvent {
                    dedup_key: format!(
                        "template_quality:{}:{}:{}",
                        w.message_template_id,
                        w.new_quality_score,
                        time_or_hash(origin.time, value)
                    ),
                    waba_id: origin.waba_id.to_owned(),
                    timestamp: origin.time,
                    template_id: w.message_template_id,
                    template_name: w.message_template_name,
                    language: w.message_template_language,
                    previous_quality_score: w.previous_quality_score,
                    new_quality_score: w.new_quality_score,
                })
            })
        }
        "phone_number_quality_update" => {
            serde_json::from_str::<WirePhoneQuality>(value.get()).map(|w| {
                WebhookEvent::PhoneNumberQuality(PhoneNumberQualityEvent {
                    dedup_key: format!(
                        "phone_number_quality:{}:{}:{}",
                        w.display_phone_number,
                        w.event,
                        time_or_hash(origin.time, value)
                    ),
                    waba_id: origin.waba_id.to_owned(),
                    timestamp: origin.time,
                    display_phone_number: w.display_phone_number,
                    event: w.event,
                    current_limit: w.current_limit,
                    old_limit: w.old_limit,
                    max_daily_conversations_per_business: w.max_daily_conversations_per_business,
                })
            })
        }
        "account_update" => serde_json::from_str::<WireAccountUpdate>(value.get()).map(|w| {
            WebhookEvent::AccountUpdate(AccountUpdateEvent {
                dedup_key: format!(
                    "account_update:{}:{}:{}",
                    origin.waba_id,
                    w.event,
                    time_or_hash(origin.time, value)
                ),
                waba_id: origin.waba_id.to_owned(),
                timestamp: origin.time,
                event: w.event,
                phone_number: w.phone_number,
                value: value.to_owned(),
            })
        }),
        _ => {
            out.push(unknown(origin, UnknownReason::UnknownField, None, value));
            return;
        }
    };
    out.push(parsed.unwrap_or_else(|_| unknown(origin, UnknownReason::InvalidShape, None, value)));
}

fn parse_messages_value(origin: &Origin<'_>, value: &RawValue, out: &mut Vec<WebhookEvent>) {
    let v: WireMessagesValue<'_> = match serde_json::from_str(value.get()) {
        Ok(v) => v,
        Err(_) => {
            out.push(unknown(origin, UnknownReason::InvalidShape, None, value));
            return;
        }
    };
    let pnid = Some(v.metadata.phone_number_id.as_str());
    if v.messages.is_empty() && v.statuses.is_empty() && v.errors.is_none() {
        out.push(unknown(origin, UnknownReason::InvalidShape, pnid, value));
        return;
    }
    for raw in &v.messages {
        out.push(match serde_json::from_str::<WireMessage>(raw.get()) {
            Ok(w) => message_event(origin, &v, w)
                .unwrap_or_else(|| unknown(origin, UnknownReason::UnknownType, pnid, raw)),
            Err(_) => unknown(origin, reason_for_message(raw), pnid, raw),
        });
    }
    for raw in &v.statuses {
        out.push(match serde_json::from_str::<WireStatus>(raw.get()) {
            Ok(w) => status_event(origin, &v.metadata, w)
                .unwrap_or_else(|| unknown(origin, UnknownReason::UnknownType, pnid, raw)),
            Err(_) => unknown(origin, reason_for_status(raw), pnid, raw),
        });
    }
    if let Some(errors) = v.errors {
        out.push(unknown(origin, UnknownReason::ValueErrors, pnid, errors));
    }
}

fn reason_for_message(raw: &RawValue) -> UnknownReason {
    match serde_json::from_str::<WireTypeOnly<'_>>(raw.get()) {
        Ok(WireTypeOnly { kind: Some(k), .. }) if !is_known_message_type(&k) => {
            UnknownReason::UnknownType
        }
        _ => UnknownReason::InvalidShape,
    }
}

fn reason_for_status(raw: &RawValue) -> UnknownReason {
    match serde_json::from_str::<WireTypeOnly<'_>>(raw.get()) {
        Ok(WireTypeOnly {
            status: Some(s), ..
        }) if DeliveryStatus::parse(&s).is_none() => UnknownReason::UnknownType,
        _ => UnknownReason::InvalidShape,
    }
}

fn is_known_message_type(t: &str) -> bool {
    matches!(
        t,
        "text"
            | "image"
            | "video"
            | "audio"
            | "document"
            | "sticker"
            | "location"
            | "contacts"
            | "interactive"
            | "button"
            | "reaction"
            | "order"
            | "system"
            | "request_welcome"
            | "unsupported"
    )
}

/// The typed message, or `None` when the type (or interactive type) is not one we model, or its
/// payload object is missing.
fn message_event(
    origin: &Origin<'_>,
    value: &WireMessagesValue<'_>,
    w: WireMessage,
) -> Option<WebhookEvent> {
    let content = match w.kind.as_str() {
        "text" => MessageContent::Text { text: w.text? },
        "image" => MessageContent::Image { image: w.image? },
        "video" => MessageContent::Video { video: w.video? },
        "audio" => MessageContent::Audio { audio: w.audio? },
        "document" => MessageContent::Document {
            document: w.document?,
        },
        "sticker" => MessageContent::Sticker {
            sticker: w.sticker?,
        },
        "location" => MessageContent::Location {
            location: w.location?,
        },
        "contacts" => MessageContent::Contacts {
            contacts: w.contacts?,
        },
        "interactive" => {
            let i = w.interactive?;
            MessageContent::Interactive {
                interactive: match i.kind.as_str() {
                    "button_reply" => InteractiveReply::ButtonReply {
                        button_reply: i.button_reply?,
                    },
                    "list_reply" => InteractiveReply::ListReply {
                        list_reply: i.list_reply?,
                    },
                    "nfm_reply" => InteractiveReply::NfmReply {
                        nfm_reply: i.nfm_reply?,
                    },
                    _ => return None,
                },
            }
        }
        "button" => MessageContent::Button { button: w.button? },
        "reaction" => MessageContent::Reaction {
            reaction: w.reaction?,
        },
        "order" => MessageContent::Order { order: w.order? },
        "system" => MessageContent::System { system: w.system? },
        "request_welcome" => MessageContent::RequestWelcome,
        "unsupported" => MessageContent::Unsupported {
            unsupported: w.unsupported,
        },
        _ => return None,
    };
    let contact_name = value
        .contacts
        .iter()
        .find(|c| c.wa_id.as_deref() == Some(w.from.as_str()))
        .or(match value.contacts.as_slice() {
            [only] => Some(only),
            _ => None,
        })
        .and_then(|c| c.profile.as_ref())
        .and_then(|p| p.name.clone());
    Some(WebhookEvent::Message(Box::new(MessageEvent {
        dedup_key: format!("message:{}", w.id),
        id: w.id,
        from: w.from,
        timestamp: w.timestamp,
        contact_name,
        phone_number_id: value.metadata.phone_number_id.clone(),
        display_phone_number: value.metadata.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        context: w.context,
        referral: w.referral,
        errors: w.errors,
        content,
    })))
}

fn status_event(origin: &Origin<'_>, meta: &WireMetadata, w: WireStatus) -> Option<WebhookEvent> {
    let status = DeliveryStatus::parse(&w.status)?;
    Some(WebhookEvent::Status(StatusEvent {
        dedup_key: format!("status:{}:{}", w.id, status.as_str()),
        id: w.id,
        status,
        timestamp: w.timestamp,
        recipient_id: w.recipient_id,
        phone_number_id: meta.phone_number_id.clone(),
        display_phone_number: meta.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        biz_opaque_callback_data: w.biz_opaque_callback_data,
        conversation: w.conversation,
        pricing: w.pricing,
        errors: w.errors,
    }))
}

fn time_or_hash(time: Option<i64>, value: &RawValue) -> String {
    match time {
        Some(t) => t.to_string(),
        None => format!("h{}", sha256_hex(value.get().as_bytes(), 32)),
    }
}

fn unknown(
    origin: &Origin<'_>,
    reason: UnknownReason,
    phone_number_id: Option<&str>,
    raw: &RawValue,
) -> WebhookEvent {
    WebhookEvent::Unknown(UnknownEvent {
        dedup_key: format!(
            "unknown:{}:{}",
            origin.field,
            sha256_hex(raw.get().as_bytes(), 32)
        ),
        field: origin.field.to_owned(),
        reason,
        waba_id: origin.waba_id.to_owned(),
        phone_number_id: phone_number_id.map(str::to_owned),
        raw: raw.to_owned(),
    })
}

fn not_whatsapp(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::invalid(path, "webhook_not_whatsapp", message)
}

/// The slow path, run only after the typed decode failed: find the first place where the body
/// stops looking like a WhatsApp webhook, and name its JSON path.
fn diagnose(body: &[u8], typed_error: &serde_json::Error) -> Error {
    use serde_json::Value;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Error::invalid(
            "",
            "webhook_invalid_json",
            "The body is empty: pass the raw request body (await request.arrayBuffer()).",
        );
    }
    let root: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Error::invalid(
                "",
                "webhook_invalid_json",
                format!("The body is not valid JSON ({e}): pass the raw request body, unmodified."),
            )
        }
    };
    let Some(obj) = root.as_object() else {
        return not_whatsapp(
            "",
            "The body is JSON but not an object: this is not a WhatsApp Business webhook.",
        );
    };
    match obj.get("object") {
        Some(Value::String(s)) if s == WHATSAPP_OBJECT => {}
        Some(Value::String(s)) => {
            return not_whatsapp(
                "object",
                format!("object is {s:?}, not \"{WHATSAPP_OBJECT}\": this is not a WhatsApp Business webhook."),
            )
        }
        _ => {
            return not_whatsapp(
                "object",
                format!("object must be \"{WHATSAPP_OBJECT}\": this is not a WhatsApp Business webhook."),
            )
        }
    }
    let Some(entries) = obj.get("entry").and_then(Value::as_array) else {
        return not_whatsapp("entry", "entry must be an array of entries.");
    };
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("entry[{i}]");
        let Some(entry) = entry.as_object() else {
            return not_whatsapp(path, "Each entry must be an object.");
        };
        match entry.get("id") {
            Some(Value::String(_)) => {}
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => {}
            _ => {
                return not_whatsapp(
                    format!("{path}.id"),
                    "entry id (the WhatsApp Business Account id) must be a string.",
                )
            }
        }
        match entry.get("time") {
            None | Some(Value::Null) => {}
            Some(t) if serde_json::from_value::<WireTime>(t.clone()).is_ok() => {}
            Some(_) => {
                return not_whatsapp(format!("{path}.time"), "entry time must be unix seconds.")
            }
        }
        let Some(changes) = entry.get("changes").and_then(Value::as_array) else {
            return not_whatsapp(format!("{path}.changes"), "changes must be an array.");
        };
        for (j, change) in changes.iter().enumerate() {
            let cpath = format!("{path}.changes[{j}]");
            let Some(change) = change.as_object() else {
                return not_whatsapp(cpath, "Each change must be an object.");
            };
            if !matches!(change.get("field"), Some(Value::String(_))) {
                return not_whatsapp(format!("{cpath}.field"), "field must be a string.");
            }
            if !change.contains_key("value") {
                return not_whatsapp(format!("{cpath}.value"), "value is missing.");
            }
        }
    }
    not_whatsapp(
        "",
        format!("The body does not have the shape of a WhatsApp Business webhook ({typed_error})."),
    )
}

#[derive(Deserialize)]
struct WireTime(
    #[serde(deserialize_with = "de_unix")]
    #[allow(dead_code)]
    i64,
);
