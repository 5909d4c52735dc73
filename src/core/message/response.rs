//! Parsers for the answers to the calls these builders make (`platform-rules.md` §2.8, §1.1):
//! a send answer, a template list page, a create-template answer and `{success: true}`.
//! A non-2xx response is turned into the Graph error by [`parse_error_response`].

use crate::core::error::Error;
use crate::core::graph::parse_error_response;
use crate::core::request::ApiResponse;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a successful send returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendResult {
    /// The wamid of the new message.
    pub message_id: String,
    /// The recipient's WhatsApp id, when Meta reports it.
    pub wa_id: Option<String>,
    /// The number as it was sent.
    pub input: Option<String>,
    /// `accepted`, `held_for_quality_assessment` or `paused` (template messages only).
    pub message_status: Option<String>,
}

#[derive(Deserialize)]
struct RawSend {
    #[serde(default)]
    contacts: Vec<RawContact>,
    #[serde(default)]
    messages: Vec<RawMessage>,
}
#[derive(Deserialize)]
struct RawContact {
    input: Option<String>,
    wa_id: Option<String>,
}
#[derive(Deserialize)]
struct RawMessage {
    id: String,
    message_status: Option<String>,
}

/// One template of a list page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSummary {
    /// Template id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, …
    #[serde(default)]
    pub status: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`.
    #[serde(default)]
    pub category: Option<String>,
    /// Language code.
    #[serde(default)]
    pub language: Option<String>,
    /// `positional` / `named`.
    #[serde(default)]
    pub parameter_format: Option<String>,
    /// Components as Meta returns them (feed to `bind_template_parameters`).
    #[serde(default)]
    pub components: Value,
    /// `{score: GREEN|YELLOW|RED|UNKNOWN, date}` when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<Value>,
    /// Why it was rejected (`NONE` when not rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<String>,
}

/// A page of `GET /{waba_id}/message_templates`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplatePage {
    /// The templates on this page.
    pub templates: Vec<TemplateSummary>,
    /// Cursor for the next page (pass as `after`), if there is one.
    pub after: Option<String>,
}

#[derive(Deserialize)]
struct RawPage {
    #[serde(default)]
    data: Vec<TemplateSummary>,
    #[serde(default)]
    paging: Option<RawPaging>,
}
#[derive(Deserialize)]
struct RawPaging {
    #[serde(default)]
    cursors: Option<RawCursors>,
    #[serde(default)]
    next: Option<String>,
}
#[derive(Deserialize)]
struct RawCursors {
    after: Option<String>,
}

/// The answer to a create-template call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTemplate {
    /// New template id.
    pub id: String,
    /// Usually `PENDING` (or `APPROVED`/`REJECTED` when review is instant).
    #[serde(default)]
    pub status: Option<String>,
    /// The category Meta assigned.
    #[serde(default)]
    pub category: Option<String>,
}

fn parse_ok<T: DeserializeOwned>(resp: &ApiResponse) -> Result<T, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(parse_error_response(resp));
    }
    serde_json::from_str(&resp.body).map_err(|e| Error::Parse {
        status: resp.status,
        path: String::new(),
        message: e.to_string(),
        body: resp.body.chars().take(512).collect(),
    })
}

/// Parses the answer to a send (text, media, template).
pub fn parse_send_response(resp: &ApiResponse) -> Result<SendResult, Error> {
    let raw: RawSend = parse_ok(resp)?;
    let contact = raw.contacts.into_iter().next();
    let Some(message) = raw.messages.into_iter().next() else {
        return Err(Error::Parse {
            status: resp.status,
            path: "messages".into(),
            message: "the answer has no messages[0].id".into(),
            body: resp.body.chars().take(512).collect(),
        });
    };
    Ok(SendResult {
        message_id: message.id,
        message_status: message.message_status,
        wa_id: contact.as_ref().and_then(|c| c.wa_id.clone()),
        input: contact.and_then(|c| c.input),
    })
}

/// Parses a template list page.
pub fn parse_template_page(resp: &ApiResponse) -> Result<TemplatePage, Error> {
    let raw: RawPage = parse_ok(resp)?;
    let after = raw
        .paging
        .filter(|p| p.next.is_some())
        .and_then(|p| p.cursors)
        .and_then(|c| c.after);
    Ok(TemplatePage {
        templates: raw.data,
        after,
    })
}

/// Parses the answer to a create-template call.
pub fn parse_created_template(resp: &ApiResponse) -> Result<CreatedTemplate, Error> {
    parse_ok(resp)
}

/// Parses `{"success": true}` (mark as read, delete): `Ok(success)`.
pub fn parse_success(resp: &ApiResponse) -> Result<bool, Error> {
    #[derive(Deserialize)]
    struct S {
        #[serde(default)]
        success: bool,
    }
    parse_ok::<S>(resp).map(|s| s.success)
}
