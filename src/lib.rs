//! # whatsapp-business
//!
//! Validate, build and send WhatsApp Business Cloud API requests from Cloudflare Workers, browsers
//! and Node, through one audited Rust core compiled to WebAssembly.
//!
//! The crate has four layers, one direction (each uses only those before it):
//! * `domain` — the pure core: validation, request building and response parsing over plain
//!   data (no I/O, clock, randomness or JS types), usable natively;
//! * `transport` — the only code that touches `fetch`;
//! * `client` — the [`Client`]: tokens, retries, pagination, stores, tasks over a [`Transport`];
//! * `js` — the only `#[wasm_bindgen]` code: the JS/TypeScript surface of the npm package
//!   `@basecloud/whatsapp-business` (wasm32 only).
//!
//! The modules are private: every item of the Rust API is re-exported here, once, by name.
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

mod client;
mod domain;
mod transport;

/// The wasm-bindgen surface (wasm32 only): what the npm package exports.
#[cfg(target_arch = "wasm32")]
pub mod js;

pub use crate::domain::error::{
    classify, graph_hint, CodeInfo, Error, ErrorKind, GraphError, Issue, Severity, Validation,
};
pub use crate::domain::graph::{
    parse_error_response, ApiVersion, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
};
pub use crate::domain::media::{validate_media, validate_media_value, MediaKind, MediaSpec};
pub use crate::domain::message::{
    build_mark_as_read, build_send_media, build_send_template, build_send_text,
    parse_created_template, parse_send_response, parse_success, parse_template_page, ButtonIndex,
    CreatedTemplate, CurrencyValue, DateTimeValue, LocationValue, MarkAsReadInput, MediaRef,
    SendComponent, SendMediaInput, SendParameter, SendResult, SendTemplateInput, SendTextInput,
    TemplateSummary,
};
pub use crate::domain::phone::{validate_recipient, RecipientCheck};
pub use crate::domain::request::{ApiRequest, ApiResponse, Method};
pub use crate::domain::template::{
    bind_template_parameters, build_create_template, build_get_templates, render_template_preview,
    supported_languages, template_values_from_json, validate_template, validate_template_name,
    Binding, BodyValues, Category, CreateTemplateInput, GetTemplatesInput, ParameterFormat,
    Preview, PreviewButton, PreviewPart, Span, TemplateValues, TEMPLATE_NAME_MAX_LEN,
};
pub use crate::domain::webhook::{
    conversation_window, events_to_json, parse_webhook, parse_webhook_json, sign_webhook,
    verify_and_parse_webhook, verify_webhook_challenge, verify_webhook_challenge_query,
    verify_webhook_signature, ConversationWindow, DeliveryStatus, MessageEvent, MessageType,
    StatusEvent, UnknownEvent, UnknownReason, Verbatim, WebhookEvent, CUSTOMER_SERVICE_WINDOW_SECS,
};

pub use crate::client::task::{execute_task, run_task, Connections};
pub use crate::client::token::{StaticToken, Token, TokenProvider};
pub use crate::client::{Client, ClientConfig, MediaFile, Runtime, StatusStore, WindowStore};
pub use crate::domain::account::{
    AccountDiscovery, Business, BusinessAccount, PhoneNumber, Relation,
};
pub use crate::domain::build::build_request_json;
pub use crate::domain::json::{RawJson, ToJson};
pub use crate::domain::oauth::{
    build_authorization_url, AuthorizationUrl, AuthorizationUrlOptions, TokenInfo, TokenResponse,
};
pub use crate::domain::page::Page;
pub use crate::domain::retry::{Idempotency, RetryPolicy};
pub use crate::domain::secret::{AccessToken, AppSecret};
pub use crate::domain::task::{parse_task_config, to_output_variables, TaskOutput};
pub use crate::domain::url::BuildOptions;
pub use crate::transport::{FormPart, LocalFuture, Outgoing, Transport};

// Limits, constants and checks that native callers use directly.
pub use crate::client::actions::check_upload;
pub use crate::client::MAX_PAGES;
pub use crate::domain::message::TEXT_MAX_LEN;
pub use crate::domain::task::DEFAULT_PREFIX;
pub use crate::domain::template::{
    is_supported_language, BODY_MAX_LEN, BUTTONS_MAX, BUTTON_TEXT_MAX_LEN, BUTTON_URL_MAX_LEN,
    FOOTER_MAX_LEN, HEADER_TEXT_MAX_LEN, SUPPORTED_LANGUAGES, TEMPLATE_FIELDS, TEMPLATE_STATUSES,
};
pub use crate::domain::url::{check_base_url, endpoint};
pub use crate::domain::webhook::{
    check_secrets, check_unix_seconds, parse_query, parse_signature_header, parse_unix_seconds,
    unix_seconds_from_f64, CHALLENGE_MAX_LEN, MAX_UNIX_SECONDS, SIGNATURE_HEADER, WHATSAPP_OBJECT,
};

/// The crate version (also reported by the JS `version()`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
