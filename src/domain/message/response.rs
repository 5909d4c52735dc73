//! Parsers for the answers to the calls these builders make (`platform-rules.md` §2.8, §1.1):
//! a send answer, a template list page, a create-template answer and `{success: true}`.
//! A non-2xx response is turned into the Graph error by
//! [`parse_error_response`](crate::domain::graph::parse_error_response).

use crate::domain::error::Error;
use crate::domain::graph::{parse_doc, parse_failure};
use crate::domain::json::Json;
use crate::domain::json::RawJson;
use crate::domain::json::{dyn_opt, Obj, ToJson};
use crate::domain::page::{parse_page, Page};
use crate::domain::request::ApiResponse;
use serde::Serialize;

/// What a successful send returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendResult {
    /// The wamid of the new message.
    pub message_id: String,
    /// The recipient's WhatsApp id, when Meta reports it.
    pub wa_id: Option<String>,
    /// The number (BSUID, group id) as it was sent.
    pub input: Option<String>,
    /// The recipient's business-scoped user id, when the send named one (`recipient`).
    pub user_id: Option<String>,
    /// `accepted`, `held_for_quality_assessment` or `paused` (template messages only).
    pub message_status: Option<String>,
}

/// One template of a list page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateSummary {
    /// Template id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, …
    pub status: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`.
    pub category: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// `positional` / `named`.
    pub parameter_format: Option<String>,
    /// Components as Meta returns them (feed to `bind_template_parameters`).
    pub components: RawJson,
    /// `{score: GREEN|YELLOW|RED|UNKNOWN, date}` when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_score: Option<RawJson>,
    /// Why it was rejected (`NONE` when not rejected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<String>,
}

/// The answer to a create-template call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedTemplate {
    /// New template id.
    pub id: String,
    /// Usually `PENDING` (or `APPROVED`/`REJECTED` when review is instant).
    pub status: Option<String>,
    /// The category Meta assigned.
    pub category: Option<String>,
}

fn text(v: Json<'_>, key: &str) -> Option<String> {
    v.get(key).and_then(Json::as_str).map(str::to_owned)
}

/// Parses the answer to a send (text, media, template).
///
/// ```
/// use whatsapp_business::{parse_send_response, ApiResponse};
/// let sent = parse_send_response(&ApiResponse {
///     status: 200,
///     headers: vec![],
///     body: r#"{"contacts":[{"input":"27821234567","wa_id":"27821234567"}],"messages":[{"id":"wamid.A1"}]}"#.into(),
/// })
/// .unwrap();
/// assert_eq!(sent.message_id, "wamid.A1");
/// ```
pub fn parse_send_response(resp: &ApiResponse) -> Result<SendResult, Error> {
    let doc = parse_doc(resp)?;
    let v = doc.root();
    let contact = v.get("contacts").and_then(|c| c.get(0));
    let message = v.get("messages").and_then(|m| m.get(0));
    let Some(message_id) = message.and_then(|m| text(m, "id")) else {
        return Err(parse_failure(
            resp,
            "messages[0].id",
            "the answer has no messages[0].id",
        ));
    };
    Ok(SendResult {
        message_id,
        message_status: message.and_then(|m| text(m, "message_status")),
        wa_id: contact.and_then(|c| text(c, "wa_id")),
        input: contact.and_then(|c| text(c, "input")),
        user_id: contact.and_then(|c| text(c, "user_id")),
    })
}

/// Parses a page of `GET /{waba_id}/message_templates`: the templates and the cursor of the next
/// page (pass as `after`), if there is one.
pub fn parse_template_page(resp: &ApiResponse) -> Result<Page<TemplateSummary>, Error> {
    parse_page(resp, |t, i| {
        let (Some(id), Some(name)) = (text(t, "id"), text(t, "name")) else {
            return Err(parse_failure(
                resp,
                &format!("data[{i}]"),
                "a template without id or name",
            ));
        };
        Ok(TemplateSummary {
            id,
            name,
            status: text(t, "status"),
            category: text(t, "category"),
            language: text(t, "language"),
            parameter_format: text(t, "parameter_format"),
            components: t.get("components").map_or_else(RawJson::null, RawJson::of),
            quality_score: t.get("quality_score").map(RawJson::of),
            rejected_reason: text(t, "rejected_reason"),
        })
    })
}

/// Parses the answer to a create-template call.
pub fn parse_created_template(resp: &ApiResponse) -> Result<CreatedTemplate, Error> {
    let doc = parse_doc(resp)?;
    let v = doc.root();
    let Some(id) = text(v, "id") else {
        return Err(parse_failure(resp, "id", "the answer has no template id"));
    };
    Ok(CreatedTemplate {
        id,
        status: text(v, "status"),
        category: text(v, "category"),
    })
}

/// Parses `{"success": true}` (mark as read, delete): `Ok(success)`.
pub fn parse_success(resp: &ApiResponse) -> Result<bool, Error> {
    Ok(parse_doc(resp)?
        .root()
        .get("success")
        .and_then(Json::as_bool)
        .unwrap_or(false))
}

impl ToJson for SendResult {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("messageId", &self.message_id)
            .field("waId", &self.wa_id)
            .field("input", &self.input)
            .field("userId", &self.user_id)
            .field("messageStatus", &self.message_status)
            .end();
    }
}

impl ToJson for TemplateSummary {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("name", &self.name)
            .field("status", &self.status)
            .field("category", &self.category)
            .field("language", &self.language)
            .field("parameter_format", &self.parameter_format)
            .field("components", &self.components)
            .opt("quality_score", dyn_opt(&self.quality_score))
            .opt("rejected_reason", dyn_opt(&self.rejected_reason))
            .end();
    }
}

impl ToJson for CreatedTemplate {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("status", &self.status)
            .field("category", &self.category)
            .end();
    }
}
