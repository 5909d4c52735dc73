//! Text messages (`platform-rules.md` §2.2): body 1–4096 characters, optional link preview.

use super::{finish, recipient, sender_issues, BuildOptions};
use crate::core::error::{Error, Issue};
use crate::core::json::{char_len, push_json_str, Reader};
use crate::core::request::{ApiRequest, Method};
use serde::Deserialize;

/// Longest text message body.
pub const TEXT_MAX_LEN: usize = 4096;

/// Input of [`build_send_text`] (JS `buildSendText`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendTextInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient; `+`, spaces, dashes and parentheses are removed.
    pub to: String,
    /// Message text, 1–4096 characters.
    pub text: String,
    /// Show a preview of the first URL (default `false`).
    pub preview_url: bool,
}

impl SendTextInput {
    /// Reads the JS input shape (`{phoneNumberId, to, text, previewUrl?}`) from JSON; a member of
    /// the wrong type is an issue at its path.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let input = SendTextInput {
            phone_number_id: r.string("phoneNumberId"),
            to: r.string("to"),
            text: r.string("text"),
            preview_url: r.opt_bool("previewUrl").unwrap_or(false),
        };
        r.finish(input)
    }
}

/// Builds `POST /{phone_number_id}/messages` with a text body.
///
/// ```
/// use whatsapp_business::{build_send_text, BuildOptions, SendTextInput};
/// let req = build_send_text(&SendTextInput {
///     phone_number_id: "1234567890".into(), to: "+27 82 123 4567".into(),
///     text: "Thank you!".into(), preview_url: false,
/// }, &BuildOptions::default()).unwrap();
/// assert_eq!(req.url, "https://graph.facebook.com/v25.0/1234567890/messages");
/// assert!(req.body.unwrap().contains("\"to\":\"27821234567\""));
/// ```
pub fn build_send_text(input: &SendTextInput, opts: &BuildOptions) -> Result<ApiRequest, Error> {
    let mut issues = Vec::new();
    sender_issues(&input.phone_number_id, &mut issues);
    let to = recipient(&input.to, &mut issues);
    let len = char_len(&input.text);
    if input.text.trim().is_empty() {
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
    let url = opts.url(&format!("{}/messages", input.phone_number_id), &mut issues);
    let mut body = String::with_capacity(96 + to.len() + input.text.len());
    body.push_str("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":");
    push_json_str(&mut body, &to);
    body.push_str(",\"type\":\"text\",\"text\":{\"preview_url\":");
    body.push_str(if input.preview_url { "true" } else { "false" });
    body.push_str(",\"body\":");
    push_json_str(&mut body, &input.text);
    body.push_str("}}");
    finish(Method::Post, url, Some(body), issues)
}
