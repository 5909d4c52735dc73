//! Read receipts and the typing indicator (`platform-rules.md` §2.7).

use super::{finish, sender_issues, BuildOptions};
use crate::core::error::{Error, Issue};
use crate::core::json::{push_json_str, Reader};
use crate::core::request::{ApiRequest, Method};
use serde::Deserialize;

/// Input of [`build_mark_as_read`] (JS `buildMarkAsRead`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MarkAsReadInput {
    /// Your phone number id (digits).
    pub phone_number_id: String,
    /// The wamid of the inbound message.
    pub message_id: String,
    /// Also show "typing…" to the user (until you reply or for 25 s).
    pub typing_indicator: bool,
}

impl MarkAsReadInput {
    /// Reads the JS input shape from JSON.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let input = MarkAsReadInput {
            phone_number_id: r.string("phoneNumberId"),
            message_id: r.string("messageId"),
            typing_indicator: r.opt_bool("typingIndicator").unwrap_or(false),
        };
        r.finish(input)
    }
}

/// Builds the read receipt `POST /{phone_number_id}/messages` `{status: "read", message_id}`.
pub fn build_mark_as_read(
    input: &MarkAsReadInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    let mut issues = Vec::new();
    sender_issues(&input.phone_number_id, &mut issues);
    message_id_issues(&input.message_id, "messageId", &mut issues);
    let url = opts.url(&format!("{}/messages", input.phone_number_id), &mut issues);
    let mut body = String::with_capacity(128 + input.message_id.len());
    body.push_str("{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":");
    push_json_str(&mut body, &input.message_id);
    if input.typing_indicator {
        body.push_str(",\"typing_indicator\":{\"type\":\"text\"}");
    }
    body.push('}');
    finish(Method::Post, url, Some(body), issues)
}

/// A wamid: opaque, non-empty, no whitespace, a sane length (Meta: about 128 characters).
pub(crate) fn message_id_issues(id: &str, path: &str, issues: &mut Vec<Issue>) {
    if id.trim().is_empty() {
        issues.push(Issue::error(
            path,
            "message_id_missing",
            "The message id (wamid.…) of the message is required.",
        ));
    } else if id.len() > 512 || id.contains(char::is_whitespace) {
        issues.push(Issue::error(
            path,
            "message_id_invalid",
            "A message id is the opaque wamid.… string from a webhook or send response (no spaces).",
        ));
    }
}
