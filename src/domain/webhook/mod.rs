//! Webhooks (`platform-rules.md` §6, §9): the GET verification challenge, the
//! `X-Hub-Signature-256` check over the raw body bytes, typed events with dedup keys, and the
//! 24-hour customer-service window computed from inbound message timestamps.
//!
//! ```
//! use whatsapp_business::{parse_webhook, sign_webhook, verify_webhook_signature, AppSecret, WebhookEvent};
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
//!   "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},
//!   "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"hi"}}]}}]}]}"#;
//! let secret = AppSecret::new("app-secret");
//! let header = sign_webhook(body, &secret);
//! assert_eq!(verify_webhook_signature(body, Some(&header), &[secret]), Ok(true));
//! let events = parse_webhook(body).unwrap();
//! assert_eq!(events[0].dedup_key(), "message:wamid.A");
//! assert!(matches!(events[0], WebhookEvent::Message(_)));
//! ```

mod challenge;
mod event;
mod parse;
mod signature;
mod window;

pub use challenge::{
    parse_query, verify_webhook_challenge, verify_webhook_challenge_query, CHALLENGE_MAX_LEN,
};
pub use event::*;
pub use parse::{parse_webhook, parse_webhook_json, verify_and_parse_webhook, WHATSAPP_OBJECT};
pub use signature::{
    check_secrets, parse_signature_header, sign_webhook, verify_webhook_signature, SIGNATURE_HEADER,
};
pub use window::{
    check_unix_seconds, conversation_window, parse_unix_seconds, unix_seconds_from_f64,
    ConversationWindow, CUSTOMER_SERVICE_WINDOW_SECS, MAX_UNIX_SECONDS,
};
