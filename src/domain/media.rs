//! Media kinds, MIME types and size limits (`platform-rules.md` §2.4 and §3.1), and the media
//! object rule used by `buildSendMedia`: exactly one of `link`/`id`, captions only where WhatsApp
//! shows them, filenames only on documents.

use crate::domain::error::{Issue, Validation};
use crate::domain::input::{char_len, field, finite, parse_input, whole_u64, wrong_type, Reader};
use crate::domain::json::Json;

const MB: u64 = 1024 * 1024;
const KB: u64 = 1024;

/// Longest media caption (image, video, document).
pub const CAPTION_MAX_LEN: usize = 1024;

/// A media kind that can be sent in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaKind {
    /// `image`
    Image,
    /// `video`
    Video,
    /// `audio`
    Audio,
    /// `document`
    Document,
    /// `sticker`
    Sticker,
}

impl MediaKind {
    /// Parses the lowercase wire name (`"image"`, ...).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            "document" => MediaKind::Document,
            "sticker" => MediaKind::Sticker,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }

    /// MIME types Meta accepts for this kind (§3.1).
    pub fn mime_types(self) -> &'static [&'static str] {
        match self {
            MediaKind::Image => &["image/jpeg", "image/png"],
            MediaKind::Video => &["video/mp4", "video/3gpp"],
            MediaKind::Audio => &[
                "audio/aac",
                "audio/amr",
                "audio/mpeg",
                "audio/mp4",
                "audio/ogg",
            ],
            MediaKind::Document => &[
                "text/plain",
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.ms-powerpoint",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/pdf",
            ],
            MediaKind::Sticker => &["image/webp"],
        }
    }

    /// Largest file in bytes (§3.1; for stickers the animated limit, static is 100 KB).
    pub fn max_size(self) -> u64 {
        match self {
            MediaKind::Image => 5 * MB,
            MediaKind::Video | MediaKind::Audio => 16 * MB,
            MediaKind::Document => 100 * MB,
            MediaKind::Sticker => 500 * KB,
        }
    }

    /// Whether WhatsApp shows a caption for this kind (§2.4).
    pub fn allows_caption(self) -> bool {
        matches!(
            self,
            MediaKind::Image | MediaKind::Video | MediaKind::Document
        )
    }
}

/// The media object of a message, as `validateMedia` takes it.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct MediaSpec {
    /// `image`, `video`, `audio`, `document` or `sticker`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: String,
    /// Public HTTPS URL of the file (or use `id`).
    pub link: Option<String>,
    /// Media id from an upload (or use `link`).
    pub id: Option<String>,
    /// MIME type of the file, when known (checked against §3.1).
    pub mime_type: Option<String>,
    /// Size in bytes, when known.
    pub size: Option<u64>,
    /// Caption (image, video, document; ≤ 1024).
    pub caption: Option<String>,
    /// Filename (documents only).
    pub filename: Option<String>,
    /// For stickers: animated (≤ 500 KB) or static (≤ 100 KB).
    pub animated: Option<bool>,
}

/// A borrowed view of a media object, shared by the typed and the JSON entry points.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MediaView<'a> {
    pub kind: Option<&'a str>,
    pub link: Option<&'a str>,
    pub id: Option<&'a str>,
    pub mime_type: Option<&'a str>,
    pub size: Option<u64>,
    pub caption: Option<&'a str>,
    pub filename: Option<&'a str>,
    pub animated: Option<bool>,
}

impl MediaSpec {
    pub(crate) fn view(&self) -> MediaView<'_> {
        MediaView {
            kind: Some(self.kind.as_str()),
            link: self.link.as_deref(),
            id: self.id.as_deref(),
            mime_type: self.mime_type.as_deref(),
            size: self.size,
            caption: self.caption.as_deref(),
            filename: self.filename.as_deref(),
            animated: self.animated,
        }
    }
}

/// Checks a media object (every issue found).
///
/// ```
/// use whatsapp_business::{validate_media, MediaSpec};
/// let ok = MediaSpec { kind: "image".into(), link: Some("https://example.com/a.jpg".into()), ..Default::default() };
/// assert!(validate_media(&ok).valid);
/// let bad = MediaSpec { kind: "audio".into(), id: Some("123".into()), caption: Some("hi".into()), ..Default::default() };
/// assert_eq!(validate_media(&bad).issues[0].code, "media_caption_not_allowed");
/// ```
pub fn validate_media(media: &MediaSpec) -> Validation {
    Validation::from_issues(media_issues(&media.view(), ""))
}

/// [`validate_media`] over the JSON text of a media object: wrong types are issues, and text
/// that is not JSON is one `invalid_json` issue.
///
/// ```
/// use whatsapp_business::validate_media_value;
/// assert!(validate_media_value(r#"{"type":"image","link":"https://example.com/a.jpg"}"#).valid);
/// assert_eq!(validate_media_value(r#"{"type":"image","size":"1"}"#).issues[0].code, "invalid_type");
/// ```
pub fn validate_media_value(media: &str) -> Validation {
    match parse_input(media, "media", "media") {
        Ok(doc) => media_value(doc.root()),
        Err(issue) => Validation::from_issues(vec![issue]),
    }
}

/// [`validate_media_value`] of a parsed value (what the JS export uses).
pub(crate) fn media_value(media: Json<'_>) -> Validation {
    let media = finite(media);
    if !media.is_object() {
        return Validation::from_issues(vec![wrong_type("media", media, "an object")]);
    }
    let mut r = Reader::of(media, "", "an object");
    let mut view = MediaView {
        kind: r.opt_str("type"),
        link: r.opt_str("link"),
        id: r.opt_str("id"),
        mime_type: r.opt_str("mimeType"),
        caption: r.opt_str("caption"),
        filename: r.opt_str("filename"),
        ..MediaView::default()
    };
    let mut issues = std::mem::take(&mut r.issues);
    if let Some(v) = r.any("size") {
        match whole_u64(v) {
            Some(n) => view.size = Some(n),
            None => issues.push(wrong_type("size", v, "a whole number of bytes")),
        }
    }
    match r.any("animated") {
        None => {}
        Some(Json::Bool(b)) => view.animated = Some(b),
        Some(v) => issues.push(wrong_type("animated", v, "a boolean")),
    }
    issues.extend(media_issues(&view, ""));
    Validation::from_issues(issues)
}

/// The issues of a media object; member paths are relative to `base`.
pub(crate) fn media_issues(m: &MediaView<'_>, base: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let kind = match m.kind {
        None | Some("") => {
            issues.push(Issue::error(
                field(base, "type"),
                "media_type_missing",
                "Media type is required: image, video, audio, document or sticker.",
            ));
            None
        }
        Some(k) => {
            let parsed = MediaKind::parse(k);
            if parsed.is_none() {
                issues.push(Issue::error(
                    field(base, "type"),
                    "media_type_invalid",
                    format!("\"{k}\" is not a media type; use image, video, audio, document or sticker."),
                ));
            }
            parsed
        }
    };
    match (m.link, m.id) {
        (None, None) => issues.push(Issue::error(
            base,
            "media_source_missing",
            "Give either a public link or an uploaded media id.",
        )),
        (Some(_), Some(_)) => issues.push(Issue::error(
            base,
            "media_source_both",
            "Give either link or id, not both.",
        )),
        (Some(link), None) => url_issues(link, &field(base, "link"), &mut issues),
        (None, Some(id)) => {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                issues.push(Issue::error(
                    field(base, "id"),
                    "media_id_invalid",
                    "A media id is the number returned by the media upload (digits only); for a URL use link.",
                ));
            }
        }
    }
    if let Some(caption) = m.caption {
        if let Some(k) = kind {
            if !k.allows_caption() {
                issues.push(Issue::error(
                    field(base, "caption"),
                    "media_caption_not_allowed",
                    format!(
                        "WhatsApp shows no caption on {} messages; send the text separately.",
                        k.as_str()
                    ),
                ));
            }
        }
        let len = char_len(caption);
        if len > CAPTION_MAX_LEN {
            issues.push(Issue::error(
                field(base, "caption"),
                "media_caption_too_long",
                format!("Caption is {len} characters; the limit is {CAPTION_MAX_LEN}."),
            ));
        }
    }
    if let (Some(_), Some(k)) = (m.filename, kind) {
        if k != MediaKind::Document {
            issues.push(Issue::error(
                field(base, "filename"),
                "media_filename_not_allowed",
                "filename is only used for documents.",
            ));
        }
    }
    if let (Some(mime), Some(k)) = (m.mime_type, kind) {
        let essence = mime
            .split(';')
            .next()
            .unwrap_or(mime)
            .trim()
            .to_ascii_lowercase();
        if !k.mime_types().contains(&essence.as_str()) {
            issues.push(Issue::error(
                field(base, "mimeType"),
                "media_mime_unsupported",
                format!(
                    "{mime} is not accepted for {}; use {}.",
                    k.as_str(),
                    crate::domain::input::join_strs(k.mime_types(), ", ")
                ),
            ));
        }
    }
    if let (Some(size), Some(k)) = (m.size, kind) {
        let max = match (k, m.animated) {
            (MediaKind::Sticker, Some(false)) => 100 * KB,
            _ => k.max_size(),
        };
        if size == 0 {
            issues.push(Issue::error(
                field(base, "size"),
                "media_empty",
                "The file is empty.",
            ));
        } else if size > max {
            issues.push(Issue::error(
                field(base, "size"),
                "media_too_large",
                format!(
                    "{} files may be at most {}; this one is {}.",
                    k.as_str(),
                    human(max),
                    human(size)
                ),
            ));
        } else if k == MediaKind::Sticker && m.animated.is_none() && size > 100 * KB {
            issues.push(Issue::warning(
                field(base, "size"),
                "media_sticker_static_too_large",
                "Static stickers may be at most 100 KB (animated 500 KB); this one is only valid if animated.",
            ));
        }
    }
    issues
}

/// Absolute http(s) URL check (no regex): scheme, non-empty host, no whitespace.
pub(crate) fn url_issues(url: &str, path: &str, issues: &mut Vec<Issue>) {
    let lower_prefix: String = url.chars().take(8).collect::<String>().to_ascii_lowercase();
    let rest = if lower_prefix.starts_with("https://") {
        url.get(8..)
    } else if lower_prefix.starts_with("http://") {
        issues.push(Issue::warning(
            path,
            "media_link_insecure",
            "The link uses http; Meta expects public HTTPS links and may refuse to fetch it.",
        ));
        url.get(7..)
    } else {
        issues.push(Issue::error(
            path,
            "media_link_invalid",
            "The link must be an absolute http(s) URL such as https://example.com/file.pdf.",
        ));
        return;
    };
    let rest = rest.unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.chars().any(char::is_whitespace) {
        issues.push(Issue::error(
            path,
            "media_link_invalid",
            "The link must be an absolute http(s) URL with a host and no spaces.",
        ));
    }
}

fn human(bytes: u64) -> String {
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB && bytes % KB == 0 {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn codes(v: serde_json::Value) -> Vec<&'static str> {
        validate_media_value(&v.to_string())
            .issues
            .iter()
            .map(|i| i.code)
            .collect()
    }

    #[test]
    fn valid_media() {
        for v in [
            json!({"type":"image","link":"https://example.com/a.jpg","caption":"hi","mimeType":"image/jpeg","size":1000}),
            json!({"type":"document","id":"1234567890","filename":"invoice.pdf","mimeType":"application/pdf"}),
            json!({"type":"audio","link":"https://x.io/a.ogg","mimeType":"audio/ogg; codecs=opus"}),
            json!({"type":"video","id":"1","size":16777216}),
            json!({"type":"sticker","id":"1","size":400000,"animated":true}),
        ] {
            let r = validate_media_value(&v.to_string());
            assert!(r.valid && r.issues.is_empty(), "{v}: {:?}", r.issues);
        }
    }

    #[test]
    fn invalid_media() {
        assert_eq!(
            codes(json!({"link":"https://a.b/c"})),
            ["media_type_missing"]
        );
        assert_eq!(
            codes(json!({"type":"gif","id":"1"})),
            ["media_type_invalid"]
        );
        assert_eq!(codes(json!({"type":"image"})), ["media_source_missing"]);
        assert_eq!(
            codes(json!({"type":"image","id":"1","link":"https://a.b"})),
            ["media_source_both"]
        );
        assert_eq!(
            codes(json!({"type":"image","link":"ftp://a.b/c"})),
            ["media_link_invalid"]
        );
        assert_eq!(
            codes(json!({"type":"image","link":"https:///c"})),
            ["media_link_invalid"]
        );
        assert_eq!(
            codes(json!({"type":"image","link":"https://a.b/c d"})),
            ["media_link_invalid"]
        );
        assert_eq!(
            codes(json!({"type":"image","link":"http://a.b/c"})),
            ["media_link_insecure"]
        );
        assert!(
            validate_media_value(&json!({"type":"image","link":"http://a.b/c"}).to_string()).valid
        );
        assert_eq!(
            codes(json!({"type":"image","id":"abc"})),
            ["media_id_invalid"]
        );
        assert_eq!(
            codes(json!({"type":"audio","id":"1","caption":"x"})),
            ["media_caption_not_allowed"]
        );
        assert_eq!(
            codes(json!({"type":"sticker","id":"1","caption":"x"})),
            ["media_caption_not_allowed"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":"1","caption":"x".repeat(1025)})),
            ["media_caption_too_long"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":"1","filename":"a.jpg"})),
            ["media_filename_not_allowed"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":"1","mimeType":"image/webp"})),
            ["media_mime_unsupported"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":"1","size":5242881})),
            ["media_too_large"]
        );
        assert_eq!(
            codes(json!({"type":"document","id":"1","size":104857601u64})),
            ["media_too_large"]
        );
        assert_eq!(
            codes(json!({"type":"sticker","id":"1","size":200000,"animated":false})),
            ["media_too_large"]
        );
        assert_eq!(
            codes(json!({"type":"sticker","id":"1","size":600000})),
            ["media_too_large"]
        );
        assert_eq!(
            codes(json!({"type":"sticker","id":"1","size":200000})),
            ["media_sticker_static_too_large"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":"1","size":0})),
            ["media_empty"]
        );
        assert_eq!(
            codes(json!({"type":"image","id":1})),
            ["invalid_type", "media_source_missing"]
        );
        assert_eq!(codes(json!("image")), ["invalid_type"]);
    }

    proptest! {
        #[test]
        fn never_panics(kind in "\\PC{0,10}", link in "\\PC{0,30}", cap in "\\PC{0,10}", size in proptest::option::of(any::<u64>())) {
            let v = json!({"type": kind, "link": link, "caption": cap, "size": size});
            let _ = validate_media_value(&v.to_string());
        }
    }
}
