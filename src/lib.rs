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

pub mod client;
pub mod core;
pub mod transport;

/// The wasm-bindgen surface (wasm32 only): what the npm package exports.
#[cfg(target_arch = "wasm32")]
pub mod js;

pub use crate::core::error::{
    classify, graph_hint, CodeInfo, Error, ErrorKind, GraphError, Issue, Severity, Validation,
};
pub use crate::core::graph::{
    parse_error_response, ApiVersion, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
};
pub use crate::core::media::{validate_media, validate_media_value, MediaKind, MediaSpec};
pub use crate::core::message::{
    build_mark_as_read, build_send_media, build_send_template, build_send_text,
    parse_created_template, parse_send_response, parse_success, parse_template_page, ButtonIndex,
    CreatedTemplate, CurrencyValue, DateTimeValue, LocationValue, MarkAsReadInput, MediaRef,
    SendComponent, SendMediaInput, SendParameter, SendResult, SendTemplateInput, SendTextInput,
    TemplatePage, TemplateSummary,
};
pub use crate::core::phone::{validate_recipient, RecipientCheck};
pub use crate::core::request::{ApiRequest, ApiResponse, Method};
pub use crate::core::template::{
    bind_template_parameters, build_create_template, build_get_templates, render_template_preview,
    supported_languages, template_values_from_json, validate_template, validate_template_json,
    validate_template_name, Binding, BodyValues, Category, CreateTemplateInput, GetTemplatesInput,
    ParameterFormat, Preview, PreviewButton, PreviewPart, Span, TemplateValues,
    TEMPLATE_NAME_MAX_LEN,
};
pub use crate::core::webhook::{
    conversation_window, events_to_json, parse_webhook, sign_webhook, verify_and_parse_webhook,
    verify_webhook_challenge, verify_webhook_challenge_query, verify_webhook_signature,
    ConversationWindow, DeliveryStatus, MessageEvent, MessageType, StatusEvent, UnknownEvent,
    UnknownReason, Verbatim, WebhookEvent, CUSTOMER_SERVICE_WINDOW_SECS,
};

pub use crate::client::task::{execute_task, run_task, Connections};
pub use crate::client::token::{StaticToken, Token, TokenProvider};
pub use crate::client::{Client, ClientConfig, MediaFile, Runtime, StatusStore, WindowStore};
pub use crate::core::account::{AccountDiscovery, Business, BusinessAccount, PhoneNumber};
pub use crate::core::build::build_request_json;
pub use crate::core::json::RawJson;
pub use crate::core::oauth::{
    build_authorization_url, AuthorizationUrl, AuthorizationUrlOptions, TokenInfo, TokenResponse,
};
pub use crate::core::retry::{Idempotency, RetryPolicy};
pub use crate::core::secret::{AccessToken, AppSecret};
pub use crate::core::task::{parse_task_config, to_output_variables, TaskOutput};
pub use crate::core::url::BuildOptions;
pub use crate::transport::{FormPart, Outgoing, Transport};

/// The crate version (also reported by the JS `version()`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
