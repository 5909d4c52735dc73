//! # whatsapp-business
//!
//! Validate, build and send WhatsApp Business Cloud API requests from Cloudflare Workers, browsers
//! and Node, through one audited Rust core compiled to WebAssembly.
//!
//! The crate has three layers, one direction:
//! * `core` — pure: validation, request building and response parsing over plain data (no I/O,
//!   clock, randomness or JS types), usable natively;
//! * `transport` — the only code that touches `fetch`;
//! * `js` — the only `#[wasm_bindgen]` code: the JS/TypeScript surface of the npm package
//!   `@basecloud/whatsapp-business`.
//!
//! ```
//! use whatsapp_business::{validate_template_name, ErrorKind, DEFAULT_API_VERSION};
//!
//! let check = validate_template_name("Order-Confirm");
//! assert!(!check.valid);
//! assert_eq!(check.issues[0].path, "name");
//! assert_eq!(DEFAULT_API_VERSION, "v25.0");
//! # let _ = ErrorKind::Validation;
//! ```
#![deny(missing_docs)]

pub mod core;

/// The wasm-bindgen surface (wasm32 only): what the npm package exports.
#[cfg(target_arch = "wasm32")]
pub mod js;

pub use crate::core::error::{
    classify, graph_hint, CodeInfo, Error, ErrorKind, GraphError, Issue, Severity, Validation,
};
pub use crate::core::graph::{ApiVersion, DEFAULT_API_VERSION, DEFAULT_BASE_URL};
pub use crate::core::request::{ApiRequest, ApiResponse, Method};
pub use crate::core::template::{validate_template_name, TEMPLATE_NAME_MAX_LEN};
pub use crate::core::webhook::{
    conversation_window, events_to_json, parse_webhook, sign_webhook, verify_webhook_challenge,
    verify_webhook_challenge_query, verify_webhook_signature, AppSecret, ConversationWindow,
    DeliveryStatus, MessageEvent, MessageType, StatusEvent, UnknownEvent, UnknownReason, Verbatim,
    WebhookEvent, CUSTOMER_SERVICE_WINDOW_SECS,
};

/// The crate version (also reported by the JS `version()`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
