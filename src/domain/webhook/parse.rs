//! Raw webhook body → typed events (`platform-rules.md` §6.2–6.5).
//!
//! Strict only about the envelope (`object: "whatsapp_business_account"`, `entry[].changes[]`
//! with `field` and `value`): a body that is not a WhatsApp webhook is a validation error with
//! the JSON path of what did not fit. Inside the envelope nothing fails: a change, message or
//! status that is not recognised (new field, new message type, changed shape) becomes an
//! [`UnknownEvent`] carrying its raw JSON, so one surprise never loses the rest of a delivery.
//!
//! The body is read with the crate's one JSON reader ([`Doc`]): validated and indexed once,
//! borrowed from the input, with no `serde_json::Value` tree; payloads are forwarded as their
//! exact JSON text, which the reader keeps for every value.

use super::event::*;
use super::signature::{sha256_hex, verify_webhook_signature};
use crate::domain::error::Error;
use crate::domain::input::join_strs;
use crate::domain::json::ToJson;
use crate::domain::json::{Array, Doc, Json, Kind, Object};
use crate::domain::secret::AppSecret;

/// A value of the body with its exact JSON text (what events forward and dedup keys hash).
#[derive(Clone, Copy)]
struct Raw<'a> {
    value: Json<'a>,
    text: &'a str,
}

impl<'a> Raw<'a> {
    fn of((value, text): (Json<'a>, &'a str)) -> Self {
        Raw { value, text }
    }
}

/// How the webhook code reads object members: `null` counts as absent (Meta omits and nulls
/// optional fields alike), ids and timestamps come as strings or numbers.
trait Fields<'a> {
    /// The value of `key`, unless absent or `null`.
    fn present(&self, key: &str) -> Option<Json<'a>>;
    /// [`present`](Self::present) with the value's JSON text.
    fn present_raw(&self, key: &str) -> Option<Raw<'a>>;
    /// A string member.
    fn string(&self, key: &str) -> Option<&'a str>;
    /// An array member.
    fn array(&self, key: &str) -> Option<Array<'a>>;
    /// An object member.
    fn object(&self, key: &str) -> Option<Object<'a>>;
    /// Whether `key` holds a value of type `kind` (read without decoding: message text is
    /// only forwarded).
    fn has(&self, key: &str, kind: Kind) -> bool;

    /// A string member, owned.
    fn owned(&self, key: &str) -> Option<String> {
        self.string(key).map(str::to_owned)
    }

    /// An id Meta sends as a string or as a non-negative integer, as a string (exact, even
    /// above 2^53).
    fn id(&self, key: &str) -> Option<String> {
        match self.present(key)? {
            Json::String(s) => Some(s.to_owned()),
            Json::Number(n) if n.as_str().bytes().all(|b| b.is_ascii_digit()) => {
                Some(n.as_str().to_owned())
            }
            _ => None,
        }
    }

    /// Unix seconds sent as a digit string or an integer.
    fn unix(&self, key: &str) -> Option<i64> {
        let text = match self.present(key)? {
            Json::String(s) => s,
            Json::Number(n) => n.as_str(),
            _ => return None,
        };
        super::window::parse_unix_seconds(text, key).ok()
    }

    /// Whether `key` holds an object whose `field` is a string.
    fn has_string_in(&self, key: &str, field: &str) -> bool {
        self.object(key).is_some_and(|o| o.has(field, Kind::String))
    }
}

impl<'a> Fields<'a> for Object<'a> {
    fn present(&self, key: &str) -> Option<Json<'a>> {
        self.get(key).filter(|v| !v.is_null())
    }

    fn present_raw(&self, key: &str) -> Option<Raw<'a>> {
        self.get_with_text(key)
            .filter(|(v, _)| !v.is_null())
            .map(Raw::of)
    }

    fn string(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Json::as_str)
    }

    fn array(&self, key: &str) -> Option<Array<'a>> {
        self.get(key).and_then(Json::as_array)
    }

    fn object(&self, key: &str) -> Option<Object<'a>> {
        self.get(key).and_then(Json::as_object)
    }

    fn has(&self, key: &str, kind: Kind) -> bool {
        self.kind_of(key) == Some(kind)
    }
}

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
    let doc = read_body(body)?;
    let mut events = Vec::new();
    for_each_event(&doc, &mut |event| events.push(event))?;
    Ok(events)
}

/// [`parse_webhook`] as the JSON array of the events (what the JS `parseWebhook` returns).
///
/// Each event is written as soon as it is read, so the events of a large body are never all
/// held at once (a 4 MiB body of short messages is 12,000 events, which took more memory than
/// the body and this text together). The text is sized once: every message or status appears
/// twice (as `raw` and its payload), plus the fields this library adds. It is allocated once the
/// body is read, so a body that is not JSON costs nothing more.
pub fn parse_webhook_json(body: &[u8]) -> Result<String, Error> {
    let doc = read_body(body)?;
    let mut out = String::with_capacity(body.len().saturating_mul(3));
    out.push('[');
    for_each_event(&doc, &mut |event| {
        if out.len() > 1 {
            out.push(',');
        }
        event.write_json(&mut out);
    })?;
    out.push(']');
    Ok(out)
}

/// The body as a JSON document (errors: `webhook_invalid_json`, see [`parse_webhook`]).
fn read_body(body: &[u8]) -> Result<Doc<'_>, Error> {
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
    Doc::parse(text).map_err(|e| {
        invalid_json(format!(
            "The body is not valid JSON ({e}): pass the raw request body, unmodified."
        ))
    })
}

/// Hands each event of the webhook `doc` to `emit`, in delivery order (errors: the envelope, see
/// [`parse_webhook`]). On an error some events may have been handed already: callers drop them.
fn for_each_event(doc: &Doc<'_>, emit: &mut dyn FnMut(WebhookEvent)) -> Result<(), Error> {
    let root = doc.root().as_object().ok_or_else(|| {
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
                    other.map_or_else(|| "missing".to_owned(), quoted)
                ),
            ))
        }
    }
    let entries = root
        .array("entry")
        .ok_or_else(|| not_whatsapp("entry", "entry must be an array of entries."))?;
    for (i, entry) in entries.iter().enumerate() {
        let entry = entry.as_object().ok_or_else(|| {
            not_whatsapp(entry_path(i, None, ""), "Each entry must be an object.")
        })?;
        let waba_id = entry.id("id").ok_or_else(|| {
            not_whatsapp(
                entry_path(i, None, ".id"),
                "The entry id (the WhatsApp Business Account id) must be a string.",
            )
        })?;
        let time = match entry.present("time") {
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
            let change = change.as_object().ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ""), "Each change must be an object.")
            })?;
            let field = change.string("field").ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ".field"), "field must be a string.")
            })?;
            let value = change.get_with_text("value").ok_or_else(|| {
                not_whatsapp(entry_path(i, Some(j), ".value"), "value is missing.")
            })?;
            let origin = Origin {
                waba_id: &waba_id,
                time,
                field,
            };
            parse_change(&origin, Raw::of(value), emit);
        }
    }
    Ok(())
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

fn parse_change(origin: &Origin<'_>, value: Raw<'_>, emit: &mut dyn FnMut(WebhookEvent)) {
    let parsed = match origin.field {
        "messages" => {
            parse_messages_value(origin, value, emit);
            return;
        }
        "message_template_status_update" => value.value.as_object().and_then(|v| {
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
        "message_template_quality_update" => value.value.as_object().and_then(|v| {
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
        "phone_number_quality_update" => value.value.as_object().and_then(|v| {
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
        "account_update" => value.value.as_object().and_then(|v| {
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
            emit(unknown(origin, UnknownReason::UnknownField, None, value));
            return;
        }
    };
    emit(parsed.unwrap_or_else(|| unknown(origin, UnknownReason::InvalidShape, None, value)));
}

/// The parts of a `messages` change value shared by its messages and statuses.
struct Metadata {
    phone_number_id: String,
    display_phone_number: String,
}

fn parse_messages_value(origin: &Origin<'_>, value: Raw<'_>, emit: &mut dyn FnMut(WebhookEvent)) {
    let parsed = value.value.as_object().and_then(|v| {
        let meta = v.object("metadata")?;
        let metadata = Metadata {
            phone_number_id: meta.id("phone_number_id")?,
            display_phone_number: meta.id("display_phone_number")?,
        };
        // An absent (or null) list reads as empty; present, it must be an array.
        let list = |key: &str| match v.present(key) {
            None => Some(None),
            Some(l) => l.as_array().map(Some),
        };
        let messages = list("messages")?;
        let statuses = list("statuses")?;
        let errors = v.present_raw("errors");
        let len = |l: Option<Array<'_>>| l.map_or(0, |a| a.len());
        if len(messages) == 0 && len(statuses) == 0 && errors.is_none() {
            return None;
        }
        let mut contacts: Vec<Contact<'_>> = Vec::new();
        for c in v.array("contacts").iter().flat_map(Array::iter) {
            let Some(c) = c.as_object() else { continue };
            let profile = c.object("profile");
            contacts.push(Contact {
                wa_id: c.string("wa_id"),
                user_id: c.string("user_id"),
                name: profile.and_then(|p| p.string("name")),
                username: profile.and_then(|p| p.string("username")),
            });
        }
        Some((metadata, messages, statuses, errors, contacts))
    });
    let Some((metadata, messages, statuses, errors, contacts)) = parsed else {
        emit(unknown(origin, UnknownReason::InvalidShape, None, value));
        return;
    };
    let pnid = Some(metadata.phone_number_id.as_str());
    for raw in messages.iter().flat_map(|a| a.iter_with_text()) {
        let raw = Raw::of(raw);
        emit(match message_event(origin, &metadata, &contacts, raw) {
            Ok(event) => event,
            Err(reason) => unknown(origin, reason, pnid, raw),
        });
    }
    for raw in statuses.iter().flat_map(|a| a.iter_with_text()) {
        let raw = Raw::of(raw);
        emit(match status_event(origin, &metadata, &contacts, raw) {
            Ok(event) => event,
            Err(reason) => unknown(origin, reason, pnid, raw),
        });
    }
    if let Some(errors) = errors {
        emit(unknown(origin, UnknownReason::ValueErrors, pnid, errors));
    }
}

/// One entry of `value.contacts[]`: who a message is from or a receipt is about.
struct Contact<'a> {
    wa_id: Option<&'a str>,
    user_id: Option<&'a str>,
    name: Option<&'a str>,
    username: Option<&'a str>,
}

/// The contact whose phone number or user id is one of `ids`; the only contact when there is
/// one and nothing matches (Meta sends one contact per message).
fn contact_of<'c, 'a>(
    contacts: &'c [Contact<'a>],
    ids: &[Option<&str>],
) -> Option<&'c Contact<'a>> {
    for c in contacts {
        for id in ids.iter().flatten() {
            if c.wa_id == Some(id) || c.user_id == Some(id) {
                return Some(c);
            }
        }
    }
    match contacts {
        [only] => Some(only),
        _ => None,
    }
}

/// Whether the payload of a recognised type has the fields its TypeScript type promises.
fn payload_fits(t: MessageType, payload: Option<Raw<'_>>) -> Result<(), UnknownReason> {
    use MessageType::*;
    let shape = UnknownReason::InvalidShape;
    let object = || payload.and_then(|p| p.value.as_object()).ok_or(shape);
    let ok = |b: bool| if b { Ok(()) } else { Err(shape) };
    match t {
        Text => ok(object()?.has("body", Kind::String)),
        Image | Video | Audio | Document | Sticker => ok(object()?.has("id", Kind::String)),
        Location => {
            let o = object()?;
            ok(o.has("latitude", Kind::Number) && o.has("longitude", Kind::Number))
        }
        Contacts => ok(payload.is_some_and(|p| p.value.is_array())),
        Interactive => {
            let o = object()?;
            let sub = o.string("type").ok_or(shape)?;
            match sub {
                "button_reply" | "list_reply" => ok(o.has_string_in(sub, "id")),
                "nfm_reply" => ok(o.has_string_in(sub, "response_json")),
                _ => Err(UnknownReason::UnknownType),
            }
        }
        Reaction => ok(object()?.has("message_id", Kind::String)),
        Order => ok(object()?.id("catalog_id").is_some()),
        Button | System => object().map(|_| ()),
        RequestWelcome => Ok(()),
        Unsupported => ok(payload.map_or(true, |p| p.value.is_object())),
    }
}

fn message_event(
    origin: &Origin<'_>,
    metadata: &Metadata,
    contacts: &[Contact<'_>],
    raw: Raw<'_>,
) -> Result<WebhookEvent, UnknownReason> {
    let shape = UnknownReason::InvalidShape;
    let m = raw.value.as_object().ok_or(shape)?;
    let type_name = m.string("type").ok_or(shape)?;
    let message_type = MessageType::parse(type_name).ok_or(UnknownReason::UnknownType)?;
    let payload = m.present_raw(message_type.as_str());
    payload_fits(message_type, payload)?;
    let id = m.owned("id").ok_or(shape)?;
    // The sender: a phone number, a business-scoped user id, or both (one is required).
    let from = m.id("from");
    let from_user_id = m.owned("from_user_id");
    if from.is_none() && from_user_id.is_none() {
        return Err(shape);
    }
    let timestamp = m.unix("timestamp").ok_or(shape)?;
    let contact = contact_of(contacts, &[from.as_deref(), from_user_id.as_deref()]);
    let object_or_none = |key: &str| {
        m.present(key)
            .filter(|v| v.is_object() || v.is_array())
            .and_then(Json::text)
            .map(verbatim_text)
    };
    Ok(WebhookEvent::Message(MessageEvent {
        dedup_key: join_strs(&["message:", id.as_str()], ""),
        id,
        from,
        from_user_id,
        from_parent_user_id: m.owned("from_parent_user_id"),
        group_id: m.id("group_id"),
        timestamp,
        contact_name: contact.and_then(|c| c.name).map(str::to_owned),
        username: contact.and_then(|c| c.username).map(str::to_owned),
        phone_number_id: metadata.phone_number_id.clone(),
        display_phone_number: metadata.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        message_type,
        payload: payload.map(verbatim),
        context: object_or_none("context"),
        referral: object_or_none("referral"),
        errors: object_or_none("errors"),
        raw: verbatim(raw),
    }))
}

fn status_event<'a>(
    origin: &Origin<'_>,
    metadata: &Metadata,
    contacts: &[Contact<'_>],
    raw: Raw<'a>,
) -> Result<WebhookEvent, UnknownReason> {
    let shape = UnknownReason::InvalidShape;
    let s = raw.value.as_object().ok_or(shape)?;
    let status_text = s.string("status").ok_or(shape)?;
    let status = DeliveryStatus::parse(status_text).ok_or(UnknownReason::UnknownType)?;
    let id = s.owned("id").ok_or(shape)?;
    let timestamp = s.unix("timestamp").ok_or(shape)?;
    // The recipient: a phone number (or group id), a business-scoped user id, or both.
    let recipient_id = s.id("recipient_id");
    let recipient_user_id = s.owned("recipient_user_id");
    if recipient_id.is_none() && recipient_user_id.is_none() {
        return Err(shape);
    }
    let participant_id = s.id("recipient_participant_id");
    let participant_user_id = s.owned("recipient_participant_user_id");
    let participant_parent_user_id = s.owned("recipient_participant_parent_user_id");
    // Each participant of a group sends its own receipt for the same message and status.
    let participant = participant_id
        .as_deref()
        .or(participant_user_id.as_deref())
        .or(participant_parent_user_id.as_deref());
    let mut dedup_key = join_strs(&["status:", id.as_str(), ":", status.as_str()], "");
    if let Some(p) = participant {
        dedup_key.push(':');
        dedup_key.push_str(p);
    }
    let contact = contact_of(
        contacts,
        &[
            participant_id.as_deref(),
            participant_user_id.as_deref(),
            recipient_id.as_deref(),
            recipient_user_id.as_deref(),
        ],
    );
    let verbatim = |key: &str, is: fn(&Json<'a>) -> bool| {
        s.present(key)
            .filter(is)
            .and_then(Json::text)
            .map(verbatim_text)
    };
    Ok(WebhookEvent::Status(StatusEvent {
        dedup_key,
        id,
        status,
        timestamp,
        recipient_id,
        recipient_user_id,
        recipient_parent_user_id: s
            .owned("recipient_parent_user_id")
            .or_else(|| s.owned("parent_recipient_user_id"))
            .or_else(|| s.owned("parent_user_id")),
        recipient_type: s.owned("recipient_type"),
        recipient_participant_id: participant_id,
        recipient_participant_user_id: participant_user_id,
        recipient_participant_parent_user_id: participant_parent_user_id,
        username: contact.and_then(|c| c.username).map(str::to_owned),
        phone_number_id: metadata.phone_number_id.clone(),
        display_phone_number: metadata.display_phone_number.clone(),
        waba_id: origin.waba_id.to_owned(),
        biz_opaque_callback_data: s.owned("biz_opaque_callback_data"),
        conversation: verbatim("conversation", Json::is_object),
        pricing: verbatim("pricing", Json::is_object),
        errors: verbatim("errors", Json::is_array),
        raw: Verbatim(raw.text.to_owned()),
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
        Some(t) => t.write_json(&mut key),
        None => {
            key.push('h');
            key.push_str(&sha256_hex(value.text.as_bytes(), 32));
        }
    }
    key
}

/// `entry[i]`, `entry[i].changes[j]`, followed by `tail` (an error path).
fn entry_path(i: usize, change: Option<usize>, tail: &str) -> String {
    let mut path = String::from("entry[");
    i.write_json(&mut path);
    path.push(']');
    if let Some(j) = change {
        path.push_str(".changes[");
        j.write_json(&mut path);
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
                &sha256_hex(raw.text.as_bytes(), 32),
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
    verbatim_text(raw.text)
}

fn verbatim_text(text: &str) -> Verbatim {
    Verbatim(text.to_owned())
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
