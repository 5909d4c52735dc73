//! Media messages (`platform-rules.md` §2.4): image, video, audio, document, sticker by link or id.

use super::{sender_issues, To};
use crate::domain::error::{Error, Issue};
use crate::domain::input::{read_text, Reader};
use crate::domain::json::{push_json_str, push_key};
use crate::domain::media::{media_issues, MediaView};
use crate::domain::request::ApiRequest;
use crate::domain::url::{post_to, BuildOptions, Post};

/// Input of [`build_send_media`] (JS `buildSendMedia`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct SendMediaInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient phone number, or the group id when `recipient_type` is `group`; may be empty
    /// when `recipient` is given.
    pub to: String,
    /// The recipient's business-scoped user id (webhook `fromUserId`), sent as `recipient`.
    pub recipient: Option<String>,
    /// `individual` (default) or `group`.
    pub recipient_type: Option<String>,
    /// `image`, `video`, `audio`, `document` or `sticker`.
    pub media_type: String,
    /// Public HTTPS URL (or `media_id`).
    pub link: Option<String>,
    /// Uploaded media id (or `link`).
    pub media_id: Option<String>,
    /// Caption (image, video, document).
    pub caption: Option<String>,
    /// File name shown for documents.
    pub filename: Option<String>,
    /// MIME type, if known (checked).
    pub mime_type: Option<String>,
    /// Size in bytes, if known (checked).
    pub size: Option<u64>,
}

impl SendMediaInput {
    /// Reads the JS input shape from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        SendMediaInput {
            phone_number_id: r.string("phoneNumberId"),
            to: r.string("to"),
            recipient: r.opt_string("recipient"),
            recipient_type: r.opt_string("recipientType"),
            media_type: r.string("mediaType"),
            link: r.opt_string("link"),
            media_id: r.opt_string("mediaId"),
            caption: r.opt_string("caption"),
            filename: r.opt_string("filename"),
            mime_type: r.opt_string("mimeType"),
            size: r.opt_u64("size"),
        }
    }
}

impl SendMediaInput {
    /// The recipient fields.
    pub(crate) fn recipient(&self) -> To<'_> {
        To::new(
            &self.to,
            self.recipient.as_deref(),
            self.recipient_type.as_deref(),
        )
    }
}

/// Builds `POST /{phone_number_id}/messages` with a media body, after the media rules.
///
/// ```
/// use whatsapp_business::{build_send_media, BuildOptions, SendMediaInput};
/// let input = SendMediaInput::from_json(r#"{
///     "phoneNumberId": "1234567890", "to": "27821234567", "mediaType": "image",
///     "link": "https://example.com/receipt.jpg", "caption": "Your receipt"
/// }"#)
/// .unwrap();
/// let req = build_send_media(&input, &BuildOptions::default()).unwrap();
/// assert!(req.body.unwrap().contains(r#""type":"image""#));
/// ```
pub fn build_send_media(input: &SendMediaInput, opts: &BuildOptions) -> Result<ApiRequest, Error> {
    send_media(input, opts).map(Post::into_request)
}

pub(crate) fn send_media(t: &SendMediaInput, opts: &BuildOptions) -> Result<Post, Error> {
    let mut issues = Vec::new();
    sender_issues(&t.phone_number_id, &mut issues);
    let to = t.recipient();
    to.issues(&mut issues);
    let view = MediaView {
        kind: Some(&t.media_type),
        link: t.link.as_deref(),
        id: t.media_id.as_deref(),
        mime_type: t.mime_type.as_deref(),
        size: t.size,
        caption: t.caption.as_deref(),
        filename: t.filename.as_deref(),
        animated: None,
    };
    for mut i in media_issues(&view, "") {
        // Report at the builder's own field names.
        i.path = match i.path.as_str() {
            "type" => "mediaType".to_owned(),
            "id" => "mediaId".to_owned(),
            "" => "link".to_owned(),
            other => other.to_owned(),
        };
        issues.push(i);
    }
    let mut post = post_to(opts, &[&t.phone_number_id, "/messages"], issues, 160)?;
    let body = &mut post.body;
    body.push_str("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"");
    body.push_str(to.kind());
    body.push_str("\",");
    to.push(body);
    body.push_str(",\"type\":");
    push_json_str(body, &t.media_type);
    body.push(',');
    push_json_str(body, &t.media_type);
    body.push_str(":{");
    let start = body.len();
    for (key, value) in [
        ("id", &t.media_id),
        ("link", &t.link),
        ("caption", &t.caption),
        ("filename", &t.filename),
    ] {
        if let Some(v) = value {
            if body.len() > start {
                body.push(',');
            }
            push_key(body, key);
            push_json_str(body, v);
        }
    }
    body.push_str("}}");
    Ok(post)
}
