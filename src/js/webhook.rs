//! Webhook exports: `verifyWebhookChallenge`, `verifyWebhookSignature`, `signWebhook`,
//! `parseWebhook`, `verifyAndParseWebhook`, `conversationWindow`. Bodies are read as bytes (a `Uint8Array`, `Buffer`,
//! `ArrayBuffer` or any `ArrayBufferView`) or as a string taken as UTF-8; nothing here uses
//! `Buffer` or `node:crypto`, so the same code runs in workerd, browsers and Node.

use super::convert::{self, wrong_type};
use crate::domain::error::Error;
use crate::domain::secret::AppSecret;
use crate::domain::webhook as wh;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/webhook_boundary.js")]
extern "C" {
    /// The query string of a `URLSearchParams`, a `URL`, a string or a plain object of query
    /// values; `undefined` for another type, its length when over `max` characters. Caught:
    /// reading a plain object runs its getters.
    #[wasm_bindgen(catch, js_name = queryText)]
    fn query_text_js(query: &JsValue, max: u32) -> Result<JsValue, JsValue>;
}

/// The bytes of a webhook body argument (at most 4 MiB; Meta sends at most 3 MB).
fn body_bytes(value: &JsValue, path: &str) -> Result<Vec<u8>, Error> {
    convert::body_bytes(
        value,
        path,
        "a Uint8Array, an ArrayBuffer or a string (the raw request body)",
    )
}

/// The app secrets: one string, or an array of at most [`convert::MAX_SECRETS`] (each check
/// hashes the whole body, so the work is secrets × body).
fn secret_list(value: &JsValue) -> Result<Vec<AppSecret>, Error> {
    if let Some(s) = convert::opt_string_arg(value, "secrets")? {
        return Ok(vec![AppSecret::new(s)]);
    }
    if let Some(array) = convert::array_arg(value, "secrets", convert::MAX_SECRETS)? {
        let mut out = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            match convert::text_of(&item) {
                Some(s) => out.push(AppSecret::new(s)),
                None => return Err(wrong_type(&item, &format!("secrets[{i}]"), "a string")),
            }
        }
        return Ok(out);
    }
    Err(wrong_type(
        value,
        "secrets",
        "a string or an array of strings (app secrets)",
    ))
}

/// The body, header and secrets of a signature check.
type SignedArgs = (Vec<u8>, Option<String>, Vec<AppSecret>);

/// The arguments of a signature check, read in the order the errors are reported: secrets,
/// header, body.
fn signed_args(
    raw_body: &JsValue,
    header: &JsValue,
    secrets: &JsValue,
) -> Result<SignedArgs, Error> {
    let secrets = secret_list(secrets)?;
    wh::check_secrets(&secrets)?;
    let header = if header.is_null() || header.is_undefined() {
        None
    } else {
        Some(
            convert::opt_string_arg(header, "header")?
                .ok_or_else(|| wrong_type(header, "header", "a string, null or undefined"))?,
        )
    };
    let body = body_bytes(raw_body, "rawBody")?;
    Ok((body, header, secrets))
}

/// Checks `X-Hub-Signature-256` over the exact body bytes: `true` only when `header` is
/// `sha256=<hex>` of HMAC-SHA256(`rawBody`) under one of `secrets` (several during a key
/// rotation). Pass the body untouched (`await request.arrayBuffer()`); a re-serialised body
/// fails. A missing or malformed header is `false`; no secret, or an empty one, throws a
/// `WhatsAppError` (kind `validation`) that never contains the secret.
#[wasm_bindgen(js_name = verifyWebhookSignature)]
pub fn verify_webhook_signature(
    #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "WebhookBody")] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | readonly string[]")] secrets: JsValue,
) -> Result<bool, JsValue> {
    let (body, header, secrets) = signed_args(&raw_body, &header, &secrets)?;
    Ok(wh::verify_webhook_signature(
        &body,
        header.as_deref(),
        &secrets,
    )?)
}

/// `verifyWebhookSignature` then `parseWebhook` in one call, with one copy of the body: the
/// events when the signature is valid, `null` when it is not (answer 401; the body is not
/// parsed). Throws like `verifyWebhookSignature` for the secrets and like `parseWebhook` for a
/// validly signed body that is not a WhatsApp webhook.
#[wasm_bindgen(
    js_name = verifyAndParseWebhook,
    unchecked_return_type = "WebhookEvent[] | null"
)]
pub fn verify_and_parse_webhook(
    #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "WebhookBody")] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | readonly string[]")] secrets: JsValue,
) -> Result<JsValue, JsValue> {
    let (body, header, secrets) = signed_args(&raw_body, &header, &secrets)?;
    // `wh::verify_and_parse_webhook`, with the events written as JSON as they are read.
    if !wh::verify_webhook_signature(&body, header.as_deref(), &secrets)? {
        return Ok(JsValue::NULL);
    }
    events_js(&body)
}

/// The JS array of the events of `body`: their JSON text, parsed once by `JSON.parse`.
fn events_js(body: &[u8]) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&wh::parse_webhook_json(body)?)
}

/// The `X-Hub-Signature-256` value Meta would send for `rawBody`: `sha256=<lowercase hex>`.
/// For tests and emulators that need validly signed deliveries.
#[wasm_bindgen(js_name = signWebhook)]
pub fn sign_webhook(
    #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "WebhookBody")] raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] secret: JsValue,
) -> Result<String, JsValue> {
    let secret = convert::opt_string_arg(&secret, "secret")?
        .ok_or_else(|| wrong_type(&secret, "secret", "a string (the app secret)"))?;
    if secret.is_empty() {
        return Err(Error::invalid(
            "secret",
            "webhook_secret_empty",
            "The app secret is empty: check the environment variable or binding that holds it.",
        )
        .into());
    }
    let body = body_bytes(&raw_body, "rawBody")?;
    Ok(wh::sign_webhook(&body, &AppSecret::new(secret)))
}

/// Parses a webhook delivery into typed events (discriminated by `kind`), in delivery order.
/// Unrecognised changes, message types and statuses become `kind: "unknown"` events with their
/// raw JSON. Throws `WhatsAppError` (kind `validation`, with the JSON path) only when the body is
/// not JSON or not a WhatsApp Business webhook.
#[wasm_bindgen(js_name = parseWebhook, unchecked_return_type = "WebhookEvent[]")]
pub fn parse_webhook(
    #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "WebhookBody")] raw_body: JsValue,
) -> Result<JsValue, JsValue> {
    let body = body_bytes(&raw_body, "rawBody")?;
    events_js(&body)
}

/// Answers Meta's GET verification: returns the `hub.challenge` to send back (HTTP 200, plain
/// text) when `hub.mode` is `subscribe` and `hub.verify_token` equals `verifyToken`, otherwise
/// `null` (answer 403). `query` is a `URLSearchParams`, a `URL`, a query string or a plain object
/// of query values. Never looks at signatures.
#[wasm_bindgen(js_name = verifyWebhookChallenge, unchecked_return_type = "string | null")]
pub fn verify_webhook_challenge(
    #[wasm_bindgen(unchecked_param_type = "WebhookQuery")] query: JsValue,
    #[wasm_bindgen(js_name = verifyToken, unchecked_param_type = "string")] verify_token: JsValue,
) -> Result<JsValue, JsValue> {
    let token = convert::string_arg(&verify_token, "verifyToken")?;
    let text = query_text_js(&query, convert::MAX_STRING_CHARS)
        .map_err(|e| convert::unreadable("query", e))?;
    if text.as_f64().is_some() {
        return Err(Error::invalid(
            "query",
            "input_too_large",
            "query is longer than 65536 characters (see \"Limits\" in the README).",
        )
        .into());
    }
    let query = convert::text_of(&text).ok_or_else(|| {
        wrong_type(
            &query,
            "query",
            "a URLSearchParams, a URL, a query string or an object",
        )
    })?;
    let answer = wh::verify_webhook_challenge_query(&query, &token);
    Ok(answer.map_or(JsValue::NULL, |c| JsValue::from_str(&c)))
}

/// Reads unix seconds from a number (fractions dropped) or a digit string.
fn unix_seconds(value: &JsValue, path: &str) -> Result<i64, Error> {
    if let Some(s) = convert::opt_string_arg(value, path)? {
        return wh::parse_unix_seconds(&s, path);
    }
    if let Some(n) = value.as_f64() {
        return wh::unix_seconds_from_f64(n, path);
    }
    if let Some(ms) = convert::date_ms(value, path)? {
        return wh::unix_seconds_from_f64(ms / 1000.0, path);
    }
    Err(wrong_type(
        value,
        path,
        "unix seconds (a number or a digit string)",
    ))
}

/// The 24-hour customer-service window opened by the user's last inbound message:
/// `{ open, expiresAtMs }` (Unix ms, like every time the package returns). The inputs are the
/// webhook's own **unix seconds**: `lastInboundTimestamp` as Meta sends it (`event.timestamp`, or
/// the raw `"1700000000"` string); `now` defaults to the current time (a number of seconds, a digit
/// string or a `Date`). Values above 10¹¹ are refused as probable milliseconds.
#[wasm_bindgen(js_name = conversationWindow, unchecked_return_type = "ConversationWindow")]
pub fn conversation_window(
    #[wasm_bindgen(js_name = lastInboundTimestamp, unchecked_param_type = "number | string")]
    last_inbound_timestamp: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | string | Date")] now: JsValue,
) -> Result<JsValue, JsValue> {
    let last = unix_seconds(&last_inbound_timestamp, "lastInboundTimestamp")?;
    let now = if now.is_undefined() || now.is_null() {
        wh::unix_seconds_from_f64(js_sys::Date::now() / 1000.0, "now")?
    } else {
        unix_seconds(&now, "now")?
    };
    let window = wh::conversation_window(last, now);
    let mut text = String::new();
    crate::domain::json::Obj::new(&mut text)
        .field("open", &window.open)
        .field("expiresAtMs", &window.expires_at.saturating_mul(1000))
        .end();
    js_sys::JSON::parse(&text)
}

#[wasm_bindgen(typescript_custom_section)]
const TS_WEBHOOK: &'static str = r#"
/** A webhook body exactly as received. Prefer bytes: `new Uint8Array(await request.arrayBuffer())`
 *  (or the `ArrayBuffer` itself, or a Node `Buffer`); a string is taken as UTF-8. */
export type WebhookBody = ArrayBuffer | ArrayBufferView | string;

/** The query of Meta's GET verification request. */
export type WebhookQuery =
  | URLSearchParams
  | URL
  | string
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The 24-hour customer-service window. */
export interface ConversationWindow {
  /** `true` while free-form (non-template) messages may be sent. */
  open: boolean;
  /** Unix **ms** when the window closes (last inbound message + 24 h). */
  expiresAtMs: number;
}

/** An error attached to a message or a status (`errors[]`), as Meta sends it. */
export interface WebhookErrorDetail {
  /** Graph error code, e.g. `131047`. */
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

/** `context`: the message a reply quotes, or forwarding flags (Meta's shape). */
export interface MessageContext {
  from?: string;
  id?: string;
  forwarded?: boolean;
  frequently_forwarded?: boolean;
  referred_product?: { catalog_id?: string; product_retailer_id?: string };
}

/** `referral`: the click-to-WhatsApp ad or post the user came from (Meta's shape). */
export interface Referral {
  source_url?: string;
  source_id?: string;
  source_type?: string;
  headline?: string;
  body?: string;
  media_type?: string;
  image_url?: string;
  video_url?: string;
  thumbnail_url?: string;
  ctwa_clid?: string;
}

/** Fields every inbound message event has. The fields this library adds are camelCase; the
 *  payload (under the key named by `type`), `context`, `referral` and `errors` are Meta's JSON
 *  verbatim (snake_case), so Meta's reference applies and new fields appear without an update. */
export interface WebhookMessageBase {
  kind: "message";
  /** `message:<wamid>`: equal for every delivery of this message. */
  dedupKey: string;
  /** The message id (wamid). */
  id: string;
  /** The sender's WhatsApp id (phone number). Absent when the user has a username and Meta
   *  withholds the number: then `fromUserId` identifies them. */
  from?: string;
  /** `from_user_id`: the sender's business-scoped user id (BSUID, e.g. `US.13491208655302741918`).
   *  Key per-user state (windows) by `fromUserId ?? from`. */
  fromUserId?: string;
  /** `from_parent_user_id`: the sender's parent BSUID (linked business portfolios). */
  fromParentUserId?: string;
  /** `group_id`: the group this message was sent in (Groups API). */
  groupId?: string;
  /** When the user sent it, unix seconds. */
  timestamp: number;
  /** The sender's profile name (`contacts[].profile.name`). */
  contactName?: string;
  /** The sender's username (`contacts[].profile.username`). */
  username?: string;
  /** The business phone number id that received it. */
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** The WhatsApp Business Account id. */
  wabaId: string;
  context?: MessageContext;
  referral?: Referral;
  errors?: WebhookErrorDetail[];
  /** The message object exactly as Meta sent it: every key, modelled or not. */
  raw: Record<string, unknown>;
}

/** Image, video, audio, document or sticker. Download it by `id` through the media endpoint. */
export interface WebhookMedia {
  id: string;
  mime_type?: string;
  /** SHA-256 of the file, base64. */
  sha256?: string;
  caption?: string;
  /** Documents. */
  filename?: string;
  /** Stickers. */
  animated?: boolean;
  /** Audio: `true` for a voice note. */
  voice?: boolean;
  url?: string;
}

export interface TextMessageEvent extends WebhookMessageBase { type: "text"; text: { body: string } }
export interface ImageMessageEvent extends WebhookMessageBase { type: "image"; image: WebhookMedia }
export interface VideoMessageEvent extends WebhookMessageBase { type: "video"; video: WebhookMedia }
export interface AudioMessageEvent extends WebhookMessageBase { type: "audio"; audio: WebhookMedia }
export interface DocumentMessageEvent extends WebhookMessageBase { type: "document"; document: WebhookMedia }
export interface StickerMessageEvent extends WebhookMessageBase { type: "sticker"; sticker: WebhookMedia }

export interface LocationMessageEvent extends WebhookMessageBase {
  type: "location";
  location: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
}

/** A shared contact card. */
export interface SharedContact {
  name?: {
    formatted_name?: string; first_name?: string; last_name?: string;
    middle_name?: string; suffix?: string; prefix?: string;
  };
  phones?: { phone?: string; wa_id?: string; type?: string }[];
  emails?: { email?: string; type?: string }[];
  addresses?: {
    street?: string; city?: string; state?: string; zip?: string;
    country?: string; country_code?: string; type?: string;
  }[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url?: string; type?: string }[];
  birthday?: string;
}
export interface ContactsMessageEvent extends WebhookMessageBase { type: "contacts"; contacts: SharedContact[] }

/** A reply to a button, list or flow message. */
export type InteractiveReply =
  | { type: "button_reply"; button_reply: { id: string; title?: string } }
  | { type: "list_reply"; list_reply: { id: string; title?: string; description?: string } }
  | {
      type: "nfm_reply";
      /** `response_json` is a JSON string as Meta sends it: `JSON.parse` it. */
      nfm_reply: { name?: string; body?: string; response_json: string };
    };
export interface InteractiveMessageEvent extends WebhookMessageBase { type: "interactive"; interactive: InteractiveReply }

/** A tap on a template quick-reply button. */
export interface ButtonMessageEvent extends WebhookMessageBase { type: "button"; button: { payload?: string; text?: string } }

/** A reaction; no `emoji` means the reaction was removed. */
export interface ReactionMessageEvent extends WebhookMessageBase { type: "reaction"; reaction: { message_id: string; emoji?: string } }

export interface OrderMessageEvent extends WebhookMessageBase {
  type: "order";
  order: {
    catalog_id: string;
    text?: string;
    /** `quantity` and `item_price` arrive as numbers or numeric strings. */
    product_items?: { product_retailer_id: string; quantity: number | string; item_price?: number | string; currency?: string }[];
  };
}

export interface SystemMessageEvent extends WebhookMessageBase {
  type: "system";
  system: { body?: string; type?: string; wa_id?: string; new_wa_id?: string; identity?: string; customer?: string; user_id?: string; parent_user_id?: string };
}

/** The user opened the chat for the first time. */
export interface RequestWelcomeMessageEvent extends WebhookMessageBase { type: "request_welcome" }

/** A message type the Cloud API cannot deliver; see `errors`. */
export interface UnsupportedMessageEvent extends WebhookMessageBase { type: "unsupported"; unsupported?: { type?: string } }

/** An inbound message, discriminated by `type`. */
export type WebhookMessageEvent =
  | TextMessageEvent | ImageMessageEvent | VideoMessageEvent | AudioMessageEvent
  | DocumentMessageEvent | StickerMessageEvent | LocationMessageEvent | ContactsMessageEvent
  | InteractiveMessageEvent | ButtonMessageEvent | ReactionMessageEvent | OrderMessageEvent
  | SystemMessageEvent | RequestWelcomeMessageEvent | UnsupportedMessageEvent;

/** Every inbound message type this library types. */
export type InboundMessageType = WebhookMessageEvent["type"];

export type DeliveryStatus = "sent" | "delivered" | "read" | "failed" | "played";

/** A status update for a message you sent. Statuses can arrive out of order. */
export interface WebhookStatusEvent {
  kind: "status";
  /** `status:<wamid>:<status>`; for a group message `status:<wamid>:<status>:<participant>`
   *  (each participant's receipt is its own event). */
  dedupKey: string;
  /** The wamid of the message you sent. */
  id: string;
  status: DeliveryStatus;
  /** Unix seconds. */
  timestamp: number;
  /** The recipient's phone number, or the group id for a group message. Absent when you sent to
   *  a business-scoped user id and Meta withholds the number: then `recipientUserId` is set. */
  recipientId?: string;
  /** `recipient_user_id`: the recipient's BSUID (when you sent to one). */
  recipientUserId?: string;
  /** The recipient's parent BSUID (Meta spells it `recipient_parent_user_id`,
   *  `parent_recipient_user_id` or `parent_user_id`). */
  recipientParentUserId?: string;
  /** `"group"` for a message sent to a group. */
  recipientType?: string;
  /** The group participant this receipt is from (phone number). */
  recipientParticipantId?: string;
  /** The participant's BSUID. */
  recipientParticipantUserId?: string;
  /** The participant's parent BSUID. */
  recipientParticipantParentUserId?: string;
  /** The recipient's username (`contacts[].profile.username`, delivered/read). */
  username?: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
  bizOpaqueCallbackData?: string;
  /** Meta's object verbatim. Absent from v24 on, except for free entry-point conversations. */
  conversation?: { id?: string; expiration_timestamp?: string; origin?: { type?: string } };
  /** Meta's object verbatim. */
  pricing?: { billable?: boolean; pricing_model?: string; type?: string; category?: string };
  /** Why it failed (status `failed`). */
  errors?: WebhookErrorDetail[];
  /** The status object exactly as Meta sent it: every key, modelled or not. */
  raw: Record<string, unknown>;
}

/** Fields every management event has. */
export interface WebhookManagementBase {
  dedupKey: string;
  wabaId: string;
  /** `entry[].time`, unix seconds, when Meta sent it. */
  timestamp?: number;
  /** The change `value` verbatim (e.g. `rejection_info`, `restriction_info`, `ban_info`). */
  value: unknown;
}

/** `message_template_status_update`. */
export interface TemplateStatusEvent extends WebhookManagementBase {
  kind: "template_status";
  /** `APPROVED`, `REJECTED`, `PENDING`, `PAUSED`, `DISABLED`, `FLAGGED`, `REINSTATED`, … */
  event: string;
  /** Always a string (Meta sends a number). */
  templateId: string;
  templateName?: string;
  language?: string;
  reason?: string;
}

/** `message_template_quality_update`. */
export interface TemplateQualityEvent extends WebhookManagementBase {
  kind: "template_quality";
  templateId: string;
  templateName?: string;
  language?: string;
  previousQualityScore?: string;
  /** `GREEN`, `YELLOW`, `RED`, `UNKNOWN`. */
  newQualityScore: string;
}

/** `phone_number_quality_update`. */
export interface PhoneNumberQualityEvent extends WebhookManagementBase {
  kind: "phone_number_quality";
  displayPhoneNumber: string;
  /** `ONBOARDING`, `THROUGHPUT_UPGRADE`, or legacy `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`. */
  event: string;
  /** E.g. `TIER_2K`. */
  currentLimit?: string;
}

/** `account_update`. */
export interface AccountUpdateEvent extends WebhookManagementBase {
  kind: "account_update";
  /** `ACCOUNT_RESTRICTION`, `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, `PARTNER_ADDED`, … */
  event: string;
  phoneNumber?: string;
}

/** Anything not recognised, kept verbatim instead of failing. */
export interface UnknownWebhookEvent {
  kind: "unknown";
  /** `unknown:<field>:<first 32 hex digits of the SHA-256 of raw>`. */
  dedupKey: string;
  /** The change's `field`, e.g. `messages` or `flows`. */
  field: string;
  reason: "unknown_field" | "unknown_type" | "invalid_shape" | "value_errors";
  wabaId: string;
  phoneNumberId?: string;
  /** The message or status object (field `messages`), otherwise the change's `value`. */
  raw: unknown;
}

/** One event of a webhook delivery, discriminated by `kind`. */
export type WebhookEvent =
  | WebhookMessageEvent
  | WebhookStatusEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | PhoneNumberQualityEvent
  | AccountUpdateEvent
  | UnknownWebhookEvent;

export type WebhookEventKind = WebhookEvent["kind"];
"#;
