//! Read receipts and the typing indicator (`platform-rules.md` §2.7).

use super::sender_issues;
use crate::domain::error::{Error, Issue};
use crate::domain::input::{read_text, Reader};
use crate::domain::json::push_json_str;
use crate::domain::request::ApiRequest;
use crate::domain::url::{post_to, BuildOptions, Post};

/// Input of [`build_mark_as_read`] (JS `buildMarkAsRead`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct MarkAsReadInput {
    /// Your phone number id (digits).
    pub phone_number_id: String,
    /// The wamid of the inbound message.
    pub message_id: String,
    /// Also show "typing…" to the user (until you reply or for 25 s).
    pub typing_indicator: bool,
}

impl MarkAsReadInput {
    /// Reads the JS input shape from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        MarkAsReadInput {
            phone_number_id: r.string("phoneNumberId"),
            message_id: r.string("messageId"),
            typing_indicator: r.opt_bool("typingIndicator").unwrap_or(false),
        }
    }
}

/// Builds the read receipt `POST /{phone_number_id}/messages` `{status: "read", message_id}`.
///
/// ```
/// use whatsapp_business::{build_mark_as_read, BuildOptions, MarkAsReadInput};
/// let input = MarkAsReadInput::from_json(r#"{
///     "phoneNumberId": "1234567890", "messageId": "wamid.HBgL"
/// }"#)
/// .unwrap();
/// let req = build_mark_as_read(&input, &BuildOptions::default()).unwrap();
/// assert!(req.body.unwrap().contains(r#""status":"read""#));
/// ```
pub fn build_mark_as_read(
    input: &MarkAsReadInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    mark_as_read(input, opts).map(Post::into_request)
}

pub(crate) fn mark_as_read(t: &MarkAsReadInput, opts: &BuildOptions) -> Result<Post, Error> {
    let mut issues = Vec::new();
    sender_issues(&t.phone_number_id, &mut issues);
    message_id_issues(&t.message_id, "messageId", &mut issues);
    let mut post = post_to(
        opts,
        &[&t.phone_number_id, "/messages"],
        issues,
        128 + t.message_id.len(),
    )?;
    let body = &mut post.body;
    body.push_str("{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":");
    push_json_str(body, &t.message_id);
    if t.typing_indicator {
        body.push_str(",\"typing_indicator\":{\"type\":\"text\"}");
    }
    body.push('}');
    Ok(post)
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
