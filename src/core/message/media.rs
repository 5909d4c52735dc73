//! Media messages (`platform-rules.md` §2.4): image, video, audio, document, sticker by link or id.

use super::{finish, recipient, sender_issues, BuildOptions};
use crate::core::error::{Error, Issue};
use crate::core::json::{push_json_str, push_key, Reader};
use crate::core::media::{media_issues, MediaView};
use crate::core::request::{ApiRequest, Method};
use serde::Deserialize;

/// Input of [`build_send_media`] (JS `buildSendMedia`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendMediaInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient.
    pub to: String,
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
    /// Reads the JS input shape from JSON.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let input = SendMediaInput {
            phone_number_id: r.string("phoneNumberId"),
            to: r.string("to"),
            media_type: r.string("mediaType"),
            link: r.opt_string("link"),
            media_id: r.opt_string("mediaId"),
            caption: r.opt_string("caption"),
            filename: r.opt_string("filename"),
            mime_type: r.opt_string("mimeType"),
            size: r.opt_u64("size"),
        };
        r.finish(input)
    }
}

/// Builds `POST /{phone_number_id}/messages` with a media body, after the media rules.
pub fn build_send_media(input: &SendMediaInput, opts: &BuildOptions) -> Result<ApiRequest, Error> {
    let mut issues = Vec::new();
    sender_issues(&input.phone_number_id, &mut issues);
    let to = recipient(&input.to, &mut issues);
    let view = MediaView {
        kind: Some(input.media_type.as_str()),
        link: input.link.as_deref(),
        id: input.media_id.as_deref(),
        mime_type: input.mime_type.as_deref(),
        size: input.size,
        caption: input.caption.as_deref(),
        filename: input.filename.as_deref(),
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
    let url = opts.url(&format!("{}/messages", input.phone_number_id), &mut issues);
    let mut body = String::with_capacity(160);
    body.push_str("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":");
    push_json_str(&mut body, &to);
    body.push_str(",\"type\":");
    push_json_str(&mut body, &input.media_type);
    body.push(',');
    push_json_str(&mut body, &input.media_type);
    body.push_str(":{");
    let start = body.len();
    for (key, value) in [
        ("id", &input.media_id),
        ("link", &input.link),
        ("caption", &input.caption),
        ("filename", &input.filename),
    ] {
        if let Some(v) = value {
            if body.len() > start {
                body.push(',');
            }
            push_key(&mut body, key);
            push_json_str(&mut body, v);
        }
    }
    body.push_str("}}");
    finish(Method::Post, url, Some(body), issues)
}
