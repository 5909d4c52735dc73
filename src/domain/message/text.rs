//! Text messages (`platform-rules.md` §2.2): body 1–4096 characters, optional link preview.

use super::{sender_issues, To};
use crate::domain::error::{Error, Issue};
use crate::domain::input::{char_len, read_text, Reader};
use crate::domain::json::push_json_str;
use crate::domain::request::ApiRequest;
use crate::domain::url::{post_to, BuildOptions, Post};

/// Longest text message body.
pub const TEXT_MAX_LEN: usize = 4096;

/// Input of [`build_send_text`] (JS `buildSendText`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct SendTextInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient phone number (`+`, spaces, dashes and parentheses are removed), or the group id
    /// when `recipient_type` is `group`; may be empty when `recipient` is given.
    pub to: String,
    /// The recipient's business-scoped user id (webhook `fromUserId`), sent as `recipient`.
    pub recipient: Option<String>,
    /// `individual` (default) or `group`.
    pub recipient_type: Option<String>,
    /// Message text, 1–4096 characters.
    pub text: String,
    /// Show a preview of the first URL (default `false`).
    pub preview_url: bool,
}

impl SendTextInput {
    /// Reads the JS input shape (`{phoneNumberId, to, text, previewUrl?}`) from its JSON text; a member of
    /// the wrong type is an issue at its path.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        SendTextInput {
            phone_number_id: r.string("phoneNumberId"),
            to: r.string("to"),
            recipient: r.opt_string("recipient"),
            recipient_type: r.opt_string("recipientType"),
            text: r.string("text"),
            preview_url: r.opt_bool("previewUrl").unwrap_or(false),
        }
    }
}

impl SendTextInput {
    /// The recipient fields.
    pub(crate) fn recipient(&self) -> To<'_> {
        To::new(
            &self.to,
            self.recipient.as_deref(),
            self.recipient_type.as_deref(),
        )
    }
}

/// Builds `POST /{phone_number_id}/messages` with a text body.
///
/// ```
/// use whatsapp_business::{build_send_text, BuildOptions, SendTextInput};
/// let req = build_send_text(&SendTextInput {
///     phone_number_id: "1234567890".into(), to: "+27 82 123 4567".into(),
///     text: "Thank you!".into(), preview_url: false, ..Default::default()
/// }, &BuildOptions::default()).unwrap();
/// assert_eq!(req.url, "https://graph.facebook.com/v25.0/1234567890/messages");
/// assert!(req.body.unwrap().contains("\"to\":\"27821234567\""));
/// ```
pub fn build_send_text(input: &SendTextInput, opts: &BuildOptions) -> Result<ApiRequest, Error> {
    send_text(input, opts).map(Post::into_request)
}

pub(crate) fn send_text(t: &SendTextInput, opts: &BuildOptions) -> Result<Post, Error> {
    let mut issues = Vec::new();
    sender_issues(&t.phone_number_id, &mut issues);
    let to = t.recipient();
    to.issues(&mut issues);
    let len = char_len(&t.text);
    if t.text.trim().is_empty() {
        issues.push(Issue::error(
            "text",
            "text_empty",
            "The message text is required.",
        ));
    } else if len > TEXT_MAX_LEN {
        issues.push(Issue::error(
            "text",
            "text_too_long",
            format!("The text is {len} characters; WhatsApp allows at most {TEXT_MAX_LEN}. Split it into several messages."),
        ));
    }
    let mut post = post_to(
        opts,
        &[&t.phone_number_id, "/messages"],
        issues,
        96 + t.to.len() + t.text.len(),
    )?;
    let body = &mut post.body;
    body.push_str("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"");
    body.push_str(to.kind());
    body.push_str("\",");
    to.push(body);
    body.push_str(",\"type\":\"text\",\"text\":{\"preview_url\":");
    body.push_str(if t.preview_url { "true" } else { "false" });
    body.push_str(",\"body\":");
    push_json_str(body, &t.text);
    body.push_str("}}");
    Ok(post)
}
