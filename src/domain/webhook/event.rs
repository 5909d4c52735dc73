//! The typed events [`parse_webhook`](super::parse_webhook) returns.
//!
//! The event fields this library adds are camelCase (`dedupKey`, `phoneNumberId`, …) and absent
//! optional ones are omitted, not `null`. The payloads Meta defines (a message's `text`, `image`,
//! `interactive`…, `context`, `referral`, `errors`, a status's `pricing` and `conversation`, a
//! management change's `value`) are forwarded **verbatim** as [`Verbatim`] JSON, in Meta's snake_case,
//! after their required fields were checked: Meta's documentation applies as is, fields Meta
//! adds later appear without a library update, and no per-shape decoder is compiled into the
//! wasm.
//!
//! ## Dedup keys
//! Meta redelivers a webhook until it gets a 200 (for up to 7 days), so the same event can arrive
//! many times. Every event carries a `dedup_key`, equal for every delivery of the same event and
//! different for different events, so a store can drop repeats:
//!
//! | kind | key |
//! |---|---|
//! | `message` | `message:<wamid>` |
//! | `status` | `status:<wamid>:<status>` (e.g. `status:wamid.X:read`) |
//! | `status` of a group message, per participant | `status:<wamid>:<status>:<participant>` (the participant's phone number, else its user id, else its parent user id) |
//! | `template_status` | `template_status:<template id>:<event>:<entry.time>` |
//! | `template_quality` | `template_quality:<template id>:<new score>:<entry.time>` |
//! | `phone_number_quality` | `phone_number_quality:<display number>:<event>:<entry.time>` |
//! | `account_update` | `account_update:<waba id>:<event>:<entry.time>` |
//! | `unknown` | `unknown:<field>:<first 32 hex digits of SHA-256 of the raw JSON>` |
//!
//! Management events include `entry.time` because the same transition can legitimately happen
//! twice (a template approved, paused, approved again); when Meta omits `time`, the SHA-256 of the
//! change's raw `value` stands in (`h<32 hex digits>`).

use crate::domain::json::{dyn_opt, Obj, ToJson};
use crate::domain::json::{Doc, Json};
use std::fmt;

/// JSON text exactly as Meta sent it (validated). `Display` prints the JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct Verbatim(pub(crate) String);

impl Verbatim {
    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Verbatim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Verbatim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Written as the JSON text it holds.
impl ToJson for Verbatim {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

/// One event from a webhook delivery, tagged by `kind`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// An inbound message from a user (`messages` field, `value.messages[]`).
    Message(MessageEvent),
    /// A delivery status for a message you sent (`messages` field, `value.statuses[]`).
    Status(StatusEvent),
    /// `message_template_status_update`.
    TemplateStatus(TemplateStatusEvent),
    /// `message_template_quality_update`.
    TemplateQuality(TemplateQualityEvent),
    /// `phone_number_quality_update`.
    PhoneNumberQuality(PhoneNumberQualityEvent),
    /// `account_update`.
    AccountUpdate(AccountUpdateEvent),
    /// Anything not recognised, kept verbatim instead of failing.
    Unknown(UnknownEvent),
}

impl WebhookEvent {
    /// The key that is equal for every delivery of this event (see the module docs).
    pub fn dedup_key(&self) -> &str {
        match self {
            WebhookEvent::Message(e) => &e.dedup_key,
            WebhookEvent::Status(e) => &e.dedup_key,
            WebhookEvent::TemplateStatus(e) => &e.dedup_key,
            WebhookEvent::TemplateQuality(e) => &e.dedup_key,
            WebhookEvent::PhoneNumberQuality(e) => &e.dedup_key,
            WebhookEvent::AccountUpdate(e) => &e.dedup_key,
            WebhookEvent::Unknown(e) => &e.dedup_key,
        }
    }

    /// The JS `kind` string.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookEvent::Message(_) => "message",
            WebhookEvent::Status(_) => "status",
            WebhookEvent::TemplateStatus(_) => "template_status",
            WebhookEvent::TemplateQuality(_) => "template_quality",
            WebhookEvent::PhoneNumberQuality(_) => "phone_number_quality",
            WebhookEvent::AccountUpdate(_) => "account_update",
            WebhookEvent::Unknown(_) => "unknown",
        }
    }
}

/// The inbound message types this library recognises (`platform-rules.md` §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageType {
    /// `text{body}`.
    Text,
    /// `image{id, mime_type, sha256, caption?}`.
    Image,
    /// `video{id, mime_type, sha256, caption?}`.
    Video,
    /// `audio{id, mime_type, sha256, voice?}`.
    Audio,
    /// `document{id, mime_type, sha256, caption?, filename?}`.
    Document,
    /// `sticker{id, mime_type, sha256, animated?}`.
    Sticker,
    /// `location{latitude, longitude, name?, address?, url?}`.
    Location,
    /// `contacts[…]` (shared contact cards).
    Contacts,
    /// `interactive{type: button_reply | list_reply | nfm_reply, …}`.
    Interactive,
    /// `button{payload, text}`: a template quick-reply tap.
    Button,
    /// `reaction{message_id, emoji?}` (no emoji: removed).
    Reaction,
    /// `order{catalog_id, text?, product_items[]}`.
    Order,
    /// `system{body, type, …}`.
    System,
    /// The user opened the chat for the first time (no payload).
    RequestWelcome,
    /// A type the Cloud API cannot deliver (see `errors`).
    Unsupported,
}

impl MessageType {
    /// Parses Meta's `type` string.
    pub fn parse(s: &str) -> Option<Self> {
        use MessageType::*;
        Some(match s {
            "text" => Text,
            "image" => Image,
            "video" => Video,
            "audio" => Audio,
            "document" => Document,
            "sticker" => Sticker,
            "location" => Location,
            "contacts" => Contacts,
            "interactive" => Interactive,
            "button" => Button,
            "reaction" => Reaction,
            "order" => Order,
            "system" => System,
            "request_welcome" => RequestWelcome,
            "unsupported" => Unsupported,
            _ => return None,
        })
    }

    /// Meta's `type` string, which is also the key of the payload.
    pub fn as_str(self) -> &'static str {
        use MessageType::*;
        match self {
            Text => "text",
            Image => "image",
            Video => "video",
            Audio => "audio",
            Document => "document",
            Sticker => "sticker",
            Location => "location",
            Contacts => "contacts",
            Interactive => "interactive",
            Button => "button",
            Reaction => "reaction",
            Order => "order",
            System => "system",
            RequestWelcome => "request_welcome",
            Unsupported => "unsupported",
        }
    }
}

/// An inbound message.
///
/// The sender is identified by `from` (phone number), `from_user_id` (business-scoped user id,
/// BSUID) or both: since 2026 a user with a username may come without a phone number, and Meta
/// sends the BSUID with every message. Key per-user state (windows) by `from_user_id` when
/// present, else `from`.
#[derive(Debug, Clone)]
pub struct MessageEvent {
    /// `message:<wamid>`.
    pub dedup_key: String,
    /// The message id (wamid).
    pub id: String,
    /// The sender's WhatsApp id (phone number without `+`); absent for a user with a username
    /// whose number Meta withholds.
    pub from: Option<String>,
    /// `from_user_id`: the sender's business-scoped user id (e.g. `US.13491208655302741918`).
    pub from_user_id: Option<String>,
    /// `from_parent_user_id`: the sender's parent BSUID (linked business portfolios).
    pub from_parent_user_id: Option<String>,
    /// `group_id`: the group the message was sent in (Groups API).
    pub group_id: Option<String>,
    /// When the user sent it, unix seconds.
    pub timestamp: i64,
    /// The sender's profile name, from `value.contacts[]`.
    pub contact_name: Option<String>,
    /// The sender's username (`value.contacts[].profile.username`).
    pub username: Option<String>,
    /// The business phone number id that received it (`metadata.phone_number_id`).
    pub phone_number_id: String,
    /// The business display number (`metadata.display_phone_number`).
    pub display_phone_number: String,
    /// The WhatsApp Business Account id (`entry[].id`).
    pub waba_id: String,
    /// The type; the payload is under the key of the same name.
    pub message_type: MessageType,
    /// The payload object (array for `contacts`) verbatim; `None` for `request_welcome` (and
    /// for `unsupported` without details).
    pub payload: Option<Verbatim>,
    /// `context` verbatim (reply / forward).
    pub context: Option<Verbatim>,
    /// `referral` verbatim (click-to-WhatsApp ad).
    pub referral: Option<Verbatim>,
    /// `errors` verbatim.
    pub errors: Option<Verbatim>,
    /// The whole message object verbatim: every key Meta sent, modelled or not.
    pub raw: Verbatim,
}

/// A delivery status value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Accepted by WhatsApp and sent.
    Sent,
    /// Delivered to the device.
    Delivered,
    /// Read (if the user has read receipts on).
    Read,
    /// Failed; see `errors`.
    Failed,
    /// Voice message played.
    Played,
}

impl DeliveryStatus {
    /// Parses Meta's lowercase status string.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "sent" => DeliveryStatus::Sent,
            "delivered" => DeliveryStatus::Delivered,
            "read" => DeliveryStatus::Read,
            "failed" => DeliveryStatus::Failed,
            "played" => DeliveryStatus::Played,
            _ => return None,
        })
    }

    /// Meta's lowercase string.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Played => "played",
        }
    }
}

/// A status update for a message you sent. Statuses can arrive out of order, and `delivered`
/// may be skipped.
#[derive(Debug, Clone)]
pub struct StatusEvent {
    /// `status:<wamid>:<status>`.
    pub dedup_key: String,
    /// The wamid of the message you sent.
    pub id: String,
    /// The new status.
    pub status: DeliveryStatus,
    /// When, unix seconds.
    pub timestamp: i64,
    /// `recipient_id`: the recipient's WhatsApp id, or the group id for a group message; absent
    /// when the message went to a business-scoped user id and Meta withholds the number.
    pub recipient_id: Option<String>,
    /// `recipient_user_id`: the recipient's BSUID (when the message was sent to one).
    pub recipient_user_id: Option<String>,
    /// The recipient's parent BSUID (`recipient_parent_user_id`, `parent_recipient_user_id` or
    /// `parent_user_id`: Meta's pages use all three).
    pub recipient_parent_user_id: Option<String>,
    /// `recipient_type`: `group` for a message sent to a group.
    pub recipient_type: Option<String>,
    /// `recipient_participant_id`: the group participant this receipt is from (phone number).
    pub recipient_participant_id: Option<String>,
    /// `recipient_participant_user_id`: the participant's BSUID.
    pub recipient_participant_user_id: Option<String>,
    /// `recipient_participant_parent_user_id`: the participant's parent BSUID.
    pub recipient_participant_parent_user_id: Option<String>,
    /// The recipient's username (`value.contacts[].profile.username`, delivered/read only).
    pub username: Option<String>,
    /// The business phone number id that sent it.
    pub phone_number_id: String,
    /// The business display number.
    pub display_phone_number: String,
    /// The WABA id.
    pub waba_id: String,
    /// The `biz_opaque_callback_data` you sent with the message.
    pub biz_opaque_callback_data: Option<String>,
    /// `conversation` verbatim (before v24, and free entry points after).
    pub conversation: Option<Verbatim>,
    /// `pricing` verbatim.
    pub pricing: Option<Verbatim>,
    /// `errors` verbatim (status `failed`).
    pub errors: Option<Verbatim>,
    /// The whole status object verbatim: every key Meta sent, modelled or not.
    pub raw: Verbatim,
}

impl StatusEvent {
    /// The Graph error codes of `errors[]`, in order (e.g. `[131047]` for a message sent outside
    /// the 24-hour window): what a status store needs to classify a failure with
    /// [`classify`](crate::domain::error::classify).
    pub fn error_codes(&self) -> Vec<i64> {
        let Some(errors) = &self.errors else {
            return Vec::new();
        };
        let Ok(doc) = Doc::parse(errors.get()) else {
            return Vec::new();
        };
        doc.root()
            .as_array()
            .iter()
            .flat_map(|a| a.iter())
            .filter_map(|e| e.get("code").and_then(Json::as_i64))
            .collect()
    }
}

/// `message_template_status_update`.
#[derive(Debug, Clone)]
pub struct TemplateStatusEvent {
    /// `template_status:<id>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds, when Meta sent it.
    pub timestamp: Option<i64>,
    /// `APPROVED`, `REJECTED`, `PENDING`, `PAUSED`, `DISABLED`, `FLAGGED`, `REINSTATED`, …
    pub event: String,
    /// `message_template_id` (a string even when Meta sends a number).
    pub template_id: String,
    /// `message_template_name`.
    pub template_name: Option<String>,
    /// `message_template_language`.
    pub language: Option<String>,
    /// `reason` (`NONE` when there is none).
    pub reason: Option<String>,
    /// The change `value` verbatim (`rejection_info`, `other_info`, …).
    pub value: Verbatim,
}

/// `message_template_quality_update`.
#[derive(Debug, Clone)]
pub struct TemplateQualityEvent {
    /// `template_quality:<id>:<new score>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    pub timestamp: Option<i64>,
    /// `message_template_id`.
    pub template_id: String,
    /// `message_template_name`.
    pub template_name: Option<String>,
    /// `message_template_language`.
    pub language: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`.
    pub previous_quality_score: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`.
    pub new_quality_score: String,
    /// The change `value` verbatim.
    pub value: Verbatim,
}

/// `phone_number_quality_update`.
#[derive(Debug, Clone)]
pub struct PhoneNumberQualityEvent {
    /// `phone_number_quality:<number>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    pub timestamp: Option<i64>,
    /// The display number concerned.
    pub display_phone_number: String,
    /// `ONBOARDING`, `THROUGHPUT_UPGRADE`, or legacy `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`.
    pub event: String,
    /// The current messaging limit, e.g. `TIER_2K`.
    pub current_limit: Option<String>,
    /// The change `value` verbatim.
    pub value: Verbatim,
}

/// `account_update`.
#[derive(Debug, Clone)]
pub struct AccountUpdateEvent {
    /// `account_update:<waba id>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    pub timestamp: Option<i64>,
    /// `ACCOUNT_RESTRICTION`, `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, `PARTNER_ADDED`, …
    pub event: String,
    /// The phone number concerned, when sent.
    pub phone_number: Option<String>,
    /// The change `value` verbatim (`restriction_info`, `violation_info`, `ban_info`, …).
    pub value: Verbatim,
}

/// Why an event is `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownReason {
    /// A webhook `field` this library does not model (e.g. `flows`, `security`).
    UnknownField,
    /// A message `type`, interactive `type` or status value this library does not model.
    UnknownType,
    /// A known field or type whose required fields are missing or of another type.
    InvalidShape,
    /// `value.errors[]` of a `messages` change (a problem reported without a message).
    ValueErrors,
}

/// Anything not recognised, kept verbatim.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    /// `unknown:<field>:<sha256 prefix of raw>`.
    pub dedup_key: String,
    /// The change's `field` (e.g. `messages`, `flows`).
    pub field: String,
    /// Why it is unknown.
    pub reason: UnknownReason,
    /// The WABA id (`entry[].id`).
    pub waba_id: String,
    /// The business phone number id, when the change carried `metadata`.
    pub phone_number_id: Option<String>,
    /// The unrecognised JSON verbatim: the message or status object for `messages`, otherwise the
    /// change's `value`.
    pub raw: Verbatim,
}

impl UnknownReason {
    /// The JS string.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownReason::UnknownField => "unknown_field",
            UnknownReason::UnknownType => "unknown_type",
            UnknownReason::InvalidShape => "invalid_shape",
            UnknownReason::ValueErrors => "value_errors",
        }
    }
}

impl WebhookEvent {
    /// Appends this event's JSON (the shape of the TypeScript `WebhookEvent`) to `out`.
    pub fn write_json(&self, out: &mut String) {
        let mut w = Obj::new(out);
        w.field("kind", &self.kind())
            .field("dedupKey", &self.dedup_key());
        match self {
            WebhookEvent::Message(e) => {
                w.field("type", &e.message_type.as_str())
                    .field("id", &e.id)
                    .opt("from", dyn_opt(&e.from))
                    .opt("fromUserId", dyn_opt(&e.from_user_id))
                    .opt("fromParentUserId", dyn_opt(&e.from_parent_user_id))
                    .opt("groupId", dyn_opt(&e.group_id))
                    .field("timestamp", &e.timestamp)
                    .opt("contactName", dyn_opt(&e.contact_name))
                    .opt("username", dyn_opt(&e.username))
                    .field("phoneNumberId", &e.phone_number_id)
                    .field("displayPhoneNumber", &e.display_phone_number)
                    .field("wabaId", &e.waba_id)
                    .opt(e.message_type.as_str(), dyn_opt(&e.payload))
                    .opt("context", dyn_opt(&e.context))
                    .opt("referral", dyn_opt(&e.referral))
                    .opt("errors", dyn_opt(&e.errors))
                    .field("raw", &e.raw);
            }
            WebhookEvent::Status(e) => {
                w.field("id", &e.id)
                    .field("status", &e.status.as_str())
                    .field("timestamp", &e.timestamp)
                    .opt("recipientId", dyn_opt(&e.recipient_id))
                    .opt("recipientUserId", dyn_opt(&e.recipient_user_id))
                    .opt(
                        "recipientParentUserId",
                        dyn_opt(&e.recipient_parent_user_id),
                    )
                    .opt("recipientType", dyn_opt(&e.recipient_type))
                    .opt(
                        "recipientParticipantId",
                        dyn_opt(&e.recipient_participant_id),
                    )
                    .opt(
                        "recipientParticipantUserId",
                        dyn_opt(&e.recipient_participant_user_id),
                    )
                    .opt(
                        "recipientParticipantParentUserId",
                        dyn_opt(&e.recipient_participant_parent_user_id),
                    )
                    .opt("username", dyn_opt(&e.username))
                    .field("phoneNumberId", &e.phone_number_id)
                    .field("displayPhoneNumber", &e.display_phone_number)
                    .field("wabaId", &e.waba_id)
                    .opt(
                        "bizOpaqueCallbackData",
                        dyn_opt(&e.biz_opaque_callback_data),
                    )
                    .opt("conversation", dyn_opt(&e.conversation))
                    .opt("pricing", dyn_opt(&e.pricing))
                    .opt("errors", dyn_opt(&e.errors))
                    .field("raw", &e.raw);
            }
            WebhookEvent::TemplateStatus(e) => {
                w.field("wabaId", &e.waba_id)
                    .opt("timestamp", dyn_opt(&e.timestamp))
                    .field("event", &e.event)
                    .field("templateId", &e.template_id)
                    .opt("templateName", dyn_opt(&e.template_name))
                    .opt("language", dyn_opt(&e.language))
                    .opt("reason", dyn_opt(&e.reason))
                    .field("value", &e.value);
            }
            WebhookEvent::TemplateQuality(e) => {
                w.field("wabaId", &e.waba_id)
                    .opt("timestamp", dyn_opt(&e.timestamp))
                    .field("templateId", &e.template_id)
                    .opt("templateName", dyn_opt(&e.template_name))
                    .opt("language", dyn_opt(&e.language))
                    .opt("previousQualityScore", dyn_opt(&e.previous_quality_score))
                    .field("newQualityScore", &e.new_quality_score)
                    .field("value", &e.value);
            }
            WebhookEvent::PhoneNumberQuality(e) => {
                w.field("wabaId", &e.waba_id)
                    .opt("timestamp", dyn_opt(&e.timestamp))
                    .field("displayPhoneNumber", &e.display_phone_number)
                    .field("event", &e.event)
                    .opt("currentLimit", dyn_opt(&e.current_limit))
                    .field("value", &e.value);
            }
            WebhookEvent::AccountUpdate(e) => {
                w.field("wabaId", &e.waba_id)
                    .opt("timestamp", dyn_opt(&e.timestamp))
                    .field("event", &e.event)
                    .opt("phoneNumber", dyn_opt(&e.phone_number))
                    .field("value", &e.value);
            }
            WebhookEvent::Unknown(e) => {
                w.field("field", &e.field)
                    .field("reason", &e.reason.as_str())
                    .field("wabaId", &e.waba_id)
                    .opt("phoneNumberId", dyn_opt(&e.phone_number_id))
                    .field("raw", &e.raw);
            }
        }
        w.end();
    }
}

/// The JSON array of `events` (what the JS `parseWebhook` returns).
pub fn events_to_json(events: &[WebhookEvent]) -> String {
    let mut out = String::with_capacity(events.len() * 512 + 2);
    out.push('[');
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        e.write_json(&mut out);
    }
    out.push(']');
    out
}
