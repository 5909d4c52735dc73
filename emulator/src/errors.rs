//! The Graph error envelope (`platform-rules.md` §4.1) and the errors the emulator returns.
//!
//! HTTP statuses follow the legacy Meta table in §4.2 (190 → 401, permission → 403, throughput →
//! 429, most others 400). Clients must branch on `code`, not on the status.

use crate::util::fbtrace_id;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One Graph error, rendered as `{"error":{...}}`.
#[derive(Debug, Clone)]
pub struct GraphErr {
    pub http: u16,
    pub code: i64,
    pub subcode: Option<i64>,
    pub etype: String,
    pub message: String,
    pub details: Option<String>,
    pub user_title: Option<String>,
    pub user_msg: Option<String>,
    pub transient: Option<bool>,
}

impl GraphErr {
    pub fn new(http: u16, code: i64, etype: &str, message: impl Into<String>) -> Self {
        GraphErr {
            http,
            code,
            subcode: None,
            etype: etype.to_owned(),
            message: message.into(),
            details: None,
            user_title: None,
            user_msg: None,
            transient: None,
        }
    }

    pub fn with_subcode(mut self, subcode: i64) -> Self {
        self.subcode = Some(subcode);
        self
    }

    pub fn details(mut self, d: impl Into<String>) -> Self {
        self.details = Some(d.into());
        self
    }

    pub fn user(mut self, title: impl Into<String>, msg: impl Into<String>) -> Self {
        self.user_title = Some(title.into());
        self.user_msg = Some(msg.into());
        self
    }

    pub fn transient(mut self, t: bool) -> Self {
        self.transient = Some(t);
        self
    }

    /// The `{"error":{...}}` body, keys in Graph's order.
    pub fn to_body(&self) -> Vec<u8> {
        let data = self.details.as_ref().map(|d| ErrorData {
            messaging_product: (self.code >= 130_000 || self.code == 10 || self.code == 200)
                .then_some("whatsapp"),
            details: d,
        });
        let body = ErrorBody {
            error: ErrorInner {
                message: &self.message,
                kind: &self.etype,
                code: self.code,
                error_subcode: self.subcode,
                error_data: data,
                error_user_title: self.user_title.as_deref(),
                error_user_msg: self.user_msg.as_deref(),
                is_transient: self.transient,
                fbtrace_id: fbtrace_id(),
            },
        };
        crate::json::to_meta_vec(&body)
    }

    /// The `{"error":{...}}` body as a JSON value.
    pub fn to_json(&self) -> Value {
        let mut e = Map::new();
        e.insert("message".into(), json!(self.message));
        e.insert("type".into(), json!(self.etype));
        e.insert("code".into(), json!(self.code));
        if let Some(s) = self.subcode {
            e.insert("error_subcode".into(), json!(s));
        }
        if let Some(d) = &self.details {
            let mut data = Map::new();
            if self.code >= 130_000 || self.code == 10 || self.code == 200 {
                data.insert("messaging_product".into(), json!("whatsapp"));
            }
            data.insert("details".into(), json!(d));
            e.insert("error_data".into(), Value::Object(data));
        }
        if let Some(t) = &self.user_title {
            e.insert("error_user_title".into(), json!(t));
        }
        if let Some(m) = &self.user_msg {
            e.insert("error_user_msg".into(), json!(m));
        }
        if let Some(t) = self.transient {
            e.insert("is_transient".into(), json!(t));
        }
        e.insert("fbtrace_id".into(), json!(fbtrace_id()));
        json!({ "error": Value::Object(e) })
    }

    /// The `errors[]` entry of a `failed` status webhook (§4.1/§6.4).
    pub fn to_webhook_error(&self) -> Value {
        json!({
            "code": self.code,
            "title": self.title(),
            "message": self.title(),
            "error_data": {"details": self.details.clone().unwrap_or_else(|| self.message.clone())},
            "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
        })
    }

    fn title(&self) -> String {
        let m = self.message.as_str();
        match m.find(") ") {
            Some(i) if m.starts_with("(#") => m.get(i + 2..).unwrap_or(m).to_owned(),
            _ => m.to_owned(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorInner<'a>,
}

#[derive(Serialize)]
struct ErrorInner<'a> {
    message: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    code: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_subcode: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_data: Option<ErrorData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_user_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_user_msg: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_transient: Option<bool>,
    fbtrace_id: String,
}

#[derive(Serialize)]
struct ErrorData<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    messaging_product: Option<&'static str>,
    details: &'a str,
}

const OAUTH: &str = "OAuthException";

/// A WhatsApp-family error: `(#code) title` plus details.
pub fn wa(http: u16, code: i64, title: &str, details: impl Into<String>) -> GraphErr {
    GraphErr::new(http, code, OAUTH, format!("(#{code}) {title}")).details(details)
}

/// No access token at all on a node/edge request (Graph code 104).
pub fn token_missing() -> GraphErr {
    GraphErr::new(
        400,
        104,
        OAUTH,
        "An access token is required to request this resource.",
    )
}

/// No access token on a `/me` request (Graph code 2500).
pub fn token_missing_me() -> GraphErr {
    GraphErr::new(
        400,
        2500,
        OAUTH,
        "An active access token must be used to query information about the current user.",
    )
}

pub fn token_invalid() -> GraphErr {
    GraphErr::new(
        401,
        190,
        OAUTH,
        "Invalid OAuth access token - Cannot parse access token",
    )
    .with_subcode(467)
}

pub fn token_expired(expired_at: &str, now: &str) -> GraphErr {
    GraphErr::new(
        401,
        190,
        OAUTH,
        format!("Error validating access token: Session has expired on {expired_at}. The current time is {now}."),
    )
    .with_subcode(463)
}

/// The token lacks a scope entirely (Graph code 10).
pub fn missing_scope(scope: &str) -> GraphErr {
    GraphErr::new(
        403,
        10,
        OAUTH,
        format!("(#10) Requires {scope} permission to manage the object"),
    )
    .details(format!(
        "The access token was not granted the {scope} permission."
    ))
}

/// The token has the scope but not for this WhatsApp Business Account (Graph code 200).
pub fn foreign_waba(scope: &str, waba_id: &str) -> GraphErr {
    GraphErr::new(403, 200, OAUTH, "(#200) Permissions error").details(format!(
        "The access token's {scope} permission does not include WhatsApp Business Account {waba_id} (see granular_scopes target_ids)."
    ))
}

/// Graph's answer for an id that is not an object, not visible, or not supporting the method.
pub fn unsupported(method: &str, id: &str) -> GraphErr {
    GraphErr::new(
        400,
        100,
        "GraphMethodException",
        format!(
            "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            method.to_ascii_lowercase()
        ),
    )
    .with_subcode(33)
}

pub fn unknown_path(rest: &str) -> GraphErr {
    GraphErr::new(
        400,
        2500,
        OAUTH,
        format!("Unknown path components: /{rest}"),
    )
}

/// `(#100) ...` invalid parameter.
pub fn param(message: impl Into<String>) -> GraphErr {
    GraphErr::new(400, 100, OAUTH, format!("(#100) {}", message.into()))
}

pub fn param_required(name: &str) -> GraphErr {
    param(format!("The parameter {name} is required."))
}

/// 131009 parameter value invalid.
pub fn invalid_value(details: impl Into<String>) -> GraphErr {
    wa(400, 131009, "Parameter value is not valid", details)
}

/// 131008 required parameter missing.
pub fn required_missing(details: impl Into<String>) -> GraphErr {
    wa(400, 131008, "Required parameter is missing", details)
}

/// Default body for a `graph_error` fault with only a code.
pub fn for_code(code: i64) -> GraphErr {
    let (http, title, transient): (u16, &str, bool) = match code {
        0 => (401, "AuthException", false),
        1 => (400, "An unknown error occurred", true),
        2 => (503, "Service temporarily unavailable", true),
        3 => (500, "Capability or permissions issue", false),
        4 => (429, "Application request limit reached", true),
        10 => (403, "Permission denied", false),
        100 => (400, "Invalid parameter", false),
        190 => (401, "Invalid OAuth access token", false),
        200..=299 => (403, "Permissions error", false),
        368 => (403, "Temporarily blocked for policies violations", false),
        80007 => (429, "Rate limit issues", true),
        130429 => (429, "Rate limit hit", true),
        131000 => (500, "Something went wrong", true),
        131016 => (503, "Service unavailable", true),
        131026 => (400, "Message undeliverable", false),
        131047 => (400, "Re-engagement message", false),
        131048 => (429, "Spam rate limit hit", true),
        131056 => (
            429,
            "(Business Account, Consumer Account) pair rate limit hit",
            true,
        ),
        131057 => (503, "Account in maintenance mode", true),
        132000 => (
            400,
            "Number of parameters does not match the expected number of params",
            false,
        ),
        132001 => (
            404,
            "Template name does not exist in the translation",
            false,
        ),
        133004 => (503, "Server temporarily unavailable", true),
        _ => (400, "Injected error", false),
    };
    let mut e = if code >= 130_000 {
        wa(
            http,
            code,
            title,
            format!("Injected by the emulator fault API (code {code})."),
        )
    } else {
        GraphErr::new(http, code, OAUTH, format!("(#{code}) {title}"))
    };
    if transient {
        e = e.transient(true);
    }
    e
}
