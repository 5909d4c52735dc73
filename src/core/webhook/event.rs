//! The typed events [`parse_webhook`](super::parse_webhook) returns.
//!
//! Payload structs read Meta's snake_case field names and serialise camelCase (the JS shape);
//! absent optional fields are omitted, not `null`. JSON the parser does not model is kept
//! verbatim as [`RawValue`].
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
//! | `template_status` | `template_status:<template id>:<event>:<entry.time>` |
//! | `template_quality` | `template_quality:<template id>:<new score>:<entry.time>` |
//! | `phone_number_quality` | `phone_number_quality:<display number>:<event>:<entry.time>` |
//! | `account_update` | `account_update:<waba id>:<event>:<entry.time>` |
//! | `unknown` | `unknown:<field>:<first 32 hex digits of SHA-256 of the raw JSON>` |
//!
//! Management events include `entry.time` because the same transition can legitimately happen
//! twice (a template approved, paused, approved again); when Meta omits `time`, the SHA-256 of the
//! change's raw `value` stands in (`h<32 hex digits>`).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// One event from a webhook delivery, tagged by `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WebhookEvent {
    /// An inbound message from a user (`messages` field, `value.messages[]`).
    Message(Box<MessageEvent>),
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

/// An inbound message.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageEvent {
    /// `message:<wamid>`.
    pub dedup_key: String,
    /// The message id (wamid).
    pub id: String,
    /// The sender's WhatsApp id (phone number without `+`).
    pub from: String,
    /// When the user sent it, unix seconds.
    pub timestamp: i64,
    /// The sender's profile name, from `value.contacts[]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// The business phone number id that received it (`metadata.phone_number_id`).
    pub phone_number_id: String,
    /// The business display number (`metadata.display_phone_number`).
    pub display_phone_number: String,
    /// The WhatsApp Business Account id (`entry[].id`).
    pub waba_id: String,
    /// Set when the message replies to (or forwards) another message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<MessageContext>,
    /// Set when the user came from a click-to-WhatsApp ad or post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral: Option<Referral>,
    /// Errors attached to the message (e.g. `unsupported`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<WebhookError>,
    /// The type and its payload (`{"type":"text","text":{…}}` in JSON).
    #[serde(flatten)]
    pub content: MessageContent,
}

/// The message type and its payload, keyed like Meta's (`type: "image"` → `image: {…}`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageContent {
    /// `text`.
    Text {
        /// The text.
        text: TextBody,
    },
    /// `image`.
    Image {
        /// The image.
        image: Media,
    },
    /// `video`.
    Video {
        /// The video.
        video: Media,
    },
    /// `audio` (`voice: true` for a voice note).
    Audio {
        /// The audio.
        audio: Media,
    },
    /// `document`.
    Document {
        /// The document.
        document: Media,
    },
    /// `sticker`.
    Sticker {
        /// The sticker.
        sticker: Media,
    },
    /// `location`.
    Location {
        /// The location.
        location: Location,
    },
    /// `contacts` (shared contact cards).
    Contacts {
        /// The cards.
        contacts: Vec<SharedContact>,
    },
    /// `interactive`: a reply to a button, list or flow message.
    Interactive {
        /// The reply.
        interactive: InteractiveReply,
    },
    /// `button`: a tap on a template quick-reply button.
    Button {
        /// The button.
        button: ButtonReply,
    },
    /// `reaction`.
    Reaction {
        /// The reaction.
        reaction: Reaction,
    },
    /// `order` (from a catalog).
    Order {
        /// The order.
        order: Order,
    },
    /// `system` (e.g. the user changed number).
    System {
        /// The notice.
        system: SystemNotice,
    },
    /// `request_welcome`: the user opened the chat for the first time.
    RequestWelcome,
    /// `unsupported`: a type the Cloud API cannot deliver; see `errors`.
    Unsupported {
        /// `unsupported.type` when Meta says what it was.
        #[serde(skip_serializing_if = "Option::is_none")]
        unsupported: Option<UnsupportedInfo>,
    },
}

impl MessageContent {
    /// Meta's `type` string.
    pub fn type_name(&self) -> &'static str {
        match self {
            MessageContent::Text { .. } => "text",
            MessageContent::Image { .. } => "image",
            MessageContent::Video { .. } => "video",
            MessageContent::Audio { .. } => "audio",
            MessageContent::Document { .. } => "document",
            MessageContent::Sticker { .. } => "sticker",
            MessageContent::Location { .. } => "location",
            MessageContent::Contacts { .. } => "contacts",
            MessageContent::Interactive { .. } => "interactive",
            MessageContent::Button { .. } => "button",
            MessageContent::Reaction { .. } => "reaction",
            MessageContent::Order { .. } => "order",
            MessageContent::System { .. } => "system",
            MessageContent::RequestWelcome => "request_welcome",
            MessageContent::Unsupported { .. } => "unsupported",
        }
    }
}

macro_rules! payload {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Deserialize, Serialize)]
        #[serde(rename_all(serialize = "camelCase"))]
        pub struct $name { $($(#[$fm])* pub $field: $ty,)* }
    };
}

payload! {
    /// `text` payload.
    pub struct TextBody {
        /// The message text.
        pub body: String,
    }
}

payload! {
    /// An image, video, audio, document or sticker. Download it with its `id` (media endpoint).
    pub struct Media {
        /// Media id.
        pub id: String,
        /// MIME type, e.g. `image/jpeg`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mime_type: Option<String>,
        /// SHA-256 of the file (base64, as Meta sends it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sha256: Option<String>,
        /// Caption (image, video, document).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub caption: Option<String>,
        /// File name (document).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filename: Option<String>,
        /// Animated sticker.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub animated: Option<bool>,
        /// Voice note (audio).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub voice: Option<bool>,
        /// Download URL when Meta includes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
    }
}

payload! {
    /// `location` payload.
    pub struct Location {
        /// Latitude.
        pub latitude: f64,
        /// Longitude.
        pub longitude: f64,
        /// Place name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        /// URL of the place.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
    }
}

payload! {
    /// One shared contact card.
    pub struct SharedContact {
        /// Names.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<ContactName>,
        /// Phone numbers.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub phones: Vec<ContactPhone>,
        /// E-mail addresses.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub emails: Vec<ContactEmail>,
        /// Postal addresses.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub addresses: Vec<ContactAddress>,
        /// Organisation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub org: Option<ContactOrg>,
        /// Web sites.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub urls: Vec<ContactUrl>,
        /// Birthday, `YYYY-MM-DD`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub birthday: Option<String>,
    }
}

payload! {
    /// A contact card's names.
    pub struct ContactName {
        /// Full name as displayed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub formatted_name: Option<String>,
        /// First name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub first_name: Option<String>,
        /// Last name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub last_name: Option<String>,
        /// Middle name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub middle_name: Option<String>,
        /// Suffix.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub suffix: Option<String>,
        /// Prefix.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
    }
}

payload! {
    /// A contact card's phone number.
    pub struct ContactPhone {
        /// The number as written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        /// Its WhatsApp id when it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub wa_id: Option<String>,
        /// `CELL`, `MAIN`, `HOME`, `WORK`, …
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

payload! {
    /// A contact card's e-mail.
    pub struct ContactEmail {
        /// Address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        /// `HOME`, `WORK`.
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

payload! {
    /// A contact card's postal address.
    pub struct ContactAddress {
        /// Street.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub street: Option<String>,
        /// City.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        /// State.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        /// ZIP code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub zip: Option<String>,
        /// Country.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        /// ISO country code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country_code: Option<String>,
        /// `HOME`, `WORK`.
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

payload! {
    /// A contact card's organisation.
    pub struct ContactOrg {
        /// Company.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub company: Option<String>,
        /// Department.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub department: Option<String>,
        /// Title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
    }
}

payload! {
    /// A contact card's web site.
    pub struct ContactUrl {
        /// URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        /// `HOME`, `WORK`.
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

/// A reply to an interactive message, tagged by Meta's `type`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InteractiveReply {
    /// Reply button tapped.
    ButtonReply {
        /// The button.
        #[serde(rename = "buttonReply")]
        button_reply: ChoiceReply,
    },
    /// List row chosen.
    ListReply {
        /// The row.
        #[serde(rename = "listReply")]
        list_reply: ChoiceReply,
    },
    /// WhatsApp Flow completed.
    NfmReply {
        /// The flow response.
        #[serde(rename = "nfmReply")]
        nfm_reply: FlowReply,
    },
}

payload! {
    /// The button or list row the user chose (the `id` you set when sending).
    pub struct ChoiceReply {
        /// Your id for the choice.
        pub id: String,
        /// Its title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Row description (lists only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
    }
}

payload! {
    /// A completed Flow.
    pub struct FlowReply {
        /// `flow`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Text shown in the chat (e.g. `Sent`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        /// The flow's response: a JSON **string** as Meta sends it (`JSON.parse` it).
        pub response_json: String,
    }
}

payload! {
    /// A template quick-reply button tap.
    pub struct ButtonReply {
        /// The payload set on the button.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payload: Option<String>,
        /// The button text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
    }
}

payload! {
    /// A reaction; `emoji` absent means the reaction was removed.
    pub struct Reaction {
        /// The wamid reacted to.
        pub message_id: String,
        /// The emoji.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub emoji: Option<String>,
    }
}

payload! {
    /// An order from a catalog.
    pub struct Order {
        /// Catalog id.
        pub catalog_id: String,
        /// Text sent with the order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// Items.
        #[serde(default)]
        pub product_items: Vec<ProductItem>,
    }
}

payload! {
    /// One item of an order.
    pub struct ProductItem {
        /// The product's retailer id.
        pub product_retailer_id: String,
        /// Quantity (Meta sends a number or a numeric string).
        #[serde(deserialize_with = "de_number")]
        pub quantity: f64,
        /// Unit price.
        #[serde(default, deserialize_with = "de_opt_number", skip_serializing_if = "Option::is_none")]
        pub item_price: Option<f64>,
        /// ISO 4217 currency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub currency: Option<String>,
    }
}

payload! {
    /// A system notice.
    pub struct SystemNotice {
        /// Human-readable text, e.g. "User A changed from 1555… to 1555…".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        /// `user_changed_number`, `customer_changed_number`, `customer_identity_changed`, …
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
        /// The new WhatsApp id (`wa_id`, older versions).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub wa_id: Option<String>,
        /// The new WhatsApp id (`new_wa_id`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub new_wa_id: Option<String>,
        /// Identity hash (identity changes).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub identity: Option<String>,
        /// The customer concerned.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub customer: Option<String>,
    }
}

payload! {
    /// What an `unsupported` message was.
    pub struct UnsupportedInfo {
        /// The original type, e.g. `edit`.
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

payload! {
    /// `context`: the message this one replies to or forwards.
    pub struct MessageContext {
        /// Sender of the quoted message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// Wamid of the quoted message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// Forwarded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub forwarded: Option<bool>,
        /// Forwarded many times.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub frequently_forwarded: Option<bool>,
        /// The product asked about (product enquiry).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub referred_product: Option<ReferredProduct>,
    }
}

payload! {
    /// The product a message refers to.
    pub struct ReferredProduct {
        /// Catalog id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub catalog_id: Option<String>,
        /// Product retailer id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub product_retailer_id: Option<String>,
    }
}

payload! {
    /// `referral`: a click-to-WhatsApp ad or post the user came from.
    pub struct Referral {
        /// Ad or post URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source_url: Option<String>,
        /// Ad or post id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source_id: Option<String>,
        /// `ad` or `post`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source_type: Option<String>,
        /// Headline.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub headline: Option<String>,
        /// Body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        /// `image` or `video`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub media_type: Option<String>,
        /// Image URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub image_url: Option<String>,
        /// Video URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub video_url: Option<String>,
        /// Thumbnail URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub thumbnail_url: Option<String>,
        /// Click id for conversion tracking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ctwa_clid: Option<String>,
    }
}

payload! {
    /// An error attached to a message or status (`errors[]`).
    pub struct WebhookError {
        /// Graph error code, e.g. 131047.
        pub code: i64,
        /// Short title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// `error_data.details`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error_data: Option<WebhookErrorData>,
        /// Link to Meta's error reference.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub href: Option<String>,
    }
}

payload! {
    /// `error_data`.
    pub struct WebhookErrorData {
        /// Details.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub details: Option<String>,
    }
}

/// A delivery status value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
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

/// A status update for a message you sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusEvent {
    /// `status:<wamid>:<status>`.
    pub dedup_key: String,
    /// The wamid of the message you sent.
    pub id: String,
    /// The new status.
    pub status: DeliveryStatus,
    /// When, unix seconds.
    pub timestamp: i64,
    /// The recipient's WhatsApp id.
    pub recipient_id: String,
    /// The business phone number id that sent it.
    pub phone_number_id: String,
    /// The business display number.
    pub display_phone_number: String,
    /// The WABA id.
    pub waba_id: String,
    /// The `biz_opaque_callback_data` you sent with the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    /// Conversation (before v24, and free entry points after).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<Conversation>,
    /// Pricing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    /// Why it failed (status `failed`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<WebhookError>,
}

payload! {
    /// `conversation` of a status.
    pub struct Conversation {
        /// Conversation id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        /// When it expires, unix seconds.
        #[serde(default, deserialize_with = "de_opt_unix", skip_serializing_if = "Option::is_none")]
        pub expiration_timestamp: Option<i64>,
        /// Origin.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub origin: Option<ConversationOrigin>,
    }
}

payload! {
    /// `conversation.origin`.
    pub struct ConversationOrigin {
        /// `service`, `utility`, `marketing`, `authentication`, `referral_conversion`, …
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
    }
}

payload! {
    /// `pricing` of a status.
    pub struct Pricing {
        /// Billable (being deprecated by Meta).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub billable: Option<bool>,
        /// `PMP` (per-message, since July 2025) or `CBP` (legacy).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pricing_model: Option<String>,
        /// `regular`, `free_customer_service`, `free_entry_point`.
        #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
        pub kind: Option<String>,
        /// `marketing`, `utility`, `authentication`, `service`, …
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub category: Option<String>,
    }
}

/// `message_template_status_update`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateStatusEvent {
    /// `template_status:<id>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds, when Meta sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// `APPROVED`, `REJECTED`, `PENDING`, `PAUSED`, `DISABLED`, `FLAGGED`, `REINSTATED`, …
    pub event: String,
    /// Template id (a string even when Meta sends a number).
    pub template_id: String,
    /// Template name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_name: Option<String>,
    /// Language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Reason (`NONE` when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Category, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `other_info`, `rejection_info`, `disable_info` … verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_info: Option<Box<RawValue>>,
    /// `rejection_info` verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_info: Option<Box<RawValue>>,
    /// `disable_info` verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_info: Option<Box<RawValue>>,
}

/// `message_template_quality_update`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateQualityEvent {
    /// `template_quality:<id>:<new score>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// Template id.
    pub template_id: String,
    /// Template name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_name: Option<String>,
    /// Language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_quality_score: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`.
    pub new_quality_score: String,
}

/// `phone_number_quality_update`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberQualityEvent {
    /// `phone_number_quality:<number>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// The display number concerned.
    pub display_phone_number: String,
    /// `ONBOARDING`, `THROUGHPUT_UPGRADE`, or legacy `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`.
    pub event: String,
    /// The current messaging limit, e.g. `TIER_2K`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_limit: Option<String>,
    /// The previous limit (deprecated by Meta).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_limit: Option<String>,
    /// `max_daily_conversations_per_business` when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_daily_conversations_per_business: Option<Box<RawValue>>,
}

/// `account_update`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountUpdateEvent {
    /// `account_update:<waba id>:<event>:<time>`.
    pub dedup_key: String,
    /// The WABA id.
    pub waba_id: String,
    /// `entry[].time`, unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// `ACCOUNT_RESTRICTION`, `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, `PARTNER_ADDED`, …
    pub event: String,
    /// The phone number concerned, when sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The whole change `value` verbatim (`restriction_info`, `violation_info`, `ban_info`, …).
    pub value: Box<RawValue>,
}

/// Why an event is `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownReason {
    /// A webhook `field` this library does not model (e.g. `flows`, `security`).
    UnknownField,
    /// A message `type`, interactive `type` or status value this library does not model.
    UnknownType,
    /// A known field or type whose fields did not have the documented shape.
    InvalidShape,
    /// `value.errors[]` of a `messages` change (a problem reported without a message).
    ValueErrors,
}

/// Anything not recognised, kept verbatim.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// The unrecognised JSON verbatim: the message or status object for `messages`, otherwise the
    /// change's `value`.
    pub raw: Box<RawValue>,
}

/// A string, or an integer read as its decimal text (ids and timestamps arrive as either).
/// A visitor rather than `#[serde(untagged)]`, which would buffer every value first.
struct StrOrInt;

impl<'de> serde::de::Visitor<'de> for StrOrInt {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string or an integer")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
}

/// Reads an id Meta sends as a string or as an integer.
pub(crate) fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(StrOrInt)
        .map(std::borrow::Cow::into_owned)
}

/// Reads a unix time in seconds sent as a digit string or an integer.
pub(crate) fn de_unix<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error as _;
    let text = d.deserialize_any(StrOrInt)?;
    crate::core::webhook::window::parse_unix_seconds(&text, "timestamp")
        .map_err(|e| D::Error::custom(e.to_string()))
}

fn de_opt_unix<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    de_unix(d).map(Some)
}

fn de_number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    use serde::de::Error as _;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Num<'a> {
        N(f64),
        S(std::borrow::Cow<'a, str>),
    }
    match Num::deserialize(d)? {
        Num::N(n) => Ok(n),
        Num::S(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| D::Error::custom("expected a number")),
    }
}

fn de_opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    de_number(d).map(Some)
}
