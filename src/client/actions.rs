//! The typed actions: each builds its request with the core builders (validated locally, nothing
//! sent on invalid input), sends it with the client's policy and parses the answer.

use super::{Client, MediaFile, Runtime};
use crate::client::token::TokenProvider;
use crate::domain::error::{Error, Issue, Validation};
use crate::domain::media::MediaKind;
use crate::domain::message::{
    build_mark_as_read, build_send_media, build_send_template, build_send_text, CreatedTemplate,
    MarkAsReadInput, SendMediaInput, SendResult, SendTemplateInput, SendTextInput, TemplateSummary,
};
use crate::domain::template::{
    build_create_template, build_get_templates, CreateTemplateInput, GetTemplatesInput,
};
use crate::domain::url::BuildOptions;
use crate::transport::Transport;

/// Page size when listing templates (Graph's default page size).
pub const TEMPLATE_PAGE_SIZE: u32 = 25;

/// Checks a file against the media limits (`platform-rules.md` §3.1): a supported MIME type, not
/// empty, not larger than its kind allows. Returns the kind.
pub fn check_upload(file: &MediaFile) -> Result<MediaKind, Error> {
    let mime = file.mime_type.trim().to_ascii_lowercase();
    let kinds = [
        MediaKind::Image,
        MediaKind::Sticker,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Document,
    ];
    let mut issues = Vec::new();
    let kind = kinds
        .into_iter()
        .find(|k| k.mime_types().contains(&mime.as_str()));
    match kind {
        None => issues.push(Issue::error(
            "mimeType",
            "upload_mime_unsupported",
            format!("\"{}\" cannot be sent on WhatsApp. Supported: images image/jpeg, image/png; stickers image/webp; video video/mp4, video/3gpp; audio audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg; documents PDF, Word, Excel, PowerPoint and text/plain.", file.mime_type),
        )),
        Some(k) => {
            let size = u64::try_from(file.bytes.len()).unwrap_or(u64::MAX);
            if size == 0 {
                issues.push(Issue::error("file", "upload_empty", "The file is empty."));
            } else if size > k.max_size() {
                issues.push(Issue::error(
                    "file",
                    "upload_too_large",
                    format!(
                        "The file is {} bytes; {} files may be at most {} MB ({} bytes). Compress it or send a link to it instead.",
                        size,
                        k.as_str(),
                        k.max_size() / (1024 * 1024),
                        k.max_size()
                    ),
                ));
            }
        }
    }
    Validation::from_issues(issues).into_result()?;
    kind.ok_or_else(|| {
        Error::invalid(
            "mimeType",
            "upload_mime_unsupported",
            "unsupported MIME type",
        )
    })
}

impl<T: Transport, R: Runtime, P: TokenProvider> Client<T, R, P> {
    /// Build options pointing at this client's host and version.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            api_version: Some(self.config.api_version.as_str().to_owned()),
            base_url: Some(self.config.base_url.clone()),
        }
    }

    /// Sends a template message (works outside the 24-hour window).
    pub async fn send_template(&self, input: &SendTemplateInput) -> Result<SendResult, Error> {
        let req = build_send_template(input, &self.build_options())?;
        self.send_message(&req, None).await
    }

    /// Sends a text message; refused locally with kind `window_closed` when a window store says
    /// the customer-service window is closed.
    pub async fn send_text(&self, input: &SendTextInput) -> Result<SendResult, Error> {
        let req = build_send_text(input, &self.build_options())?;
        let key = input.recipient().window_key();
        self.send_message(&req, key.as_deref().map(|k| (&*input.phone_number_id, k)))
            .await
    }

    /// Sends an image, video, audio, document or sticker by link or media id; the window is
    /// checked as for text.
    pub async fn send_media(&self, input: &SendMediaInput) -> Result<SendResult, Error> {
        let req = build_send_media(input, &self.build_options())?;
        let key = input.recipient().window_key();
        self.send_message(&req, key.as_deref().map(|k| (&*input.phone_number_id, k)))
            .await
    }

    /// Marks an inbound message as read (optionally with a typing indicator).
    pub async fn mark_as_read(&self, input: &MarkAsReadInput) -> Result<bool, Error> {
        let req = build_mark_as_read(input, &self.build_options())?;
        self.mark_as_read_request(&req).await
    }

    /// Submits a template for review.
    pub async fn create_template(
        &self,
        input: &CreateTemplateInput,
    ) -> Result<CreatedTemplate, Error> {
        let req = build_create_template(input, &self.build_options())?;
        self.create_template_request(&req).await
    }

    /// Lists templates (optionally by status or name), following paging until `input.limit`
    /// templates are collected (`limit` is the total here; pages hold up to 100).
    pub async fn get_templates(
        &self,
        input: &GetTemplatesInput,
    ) -> Result<Vec<TemplateSummary>, Error> {
        let total = input.limit;
        let page = GetTemplatesInput {
            limit: total.clamp(1, TEMPLATE_PAGE_SIZE),
            ..input.clone()
        };
        let req = build_get_templates(&page, &self.build_options())?;
        self.get_templates_request(&req, usize::try_from(total).unwrap_or(usize::MAX))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_checked_against_the_media_limits() {
        let f = |mime: &str, n: usize| MediaFile {
            bytes: vec![1; n],
            mime_type: mime.into(),
            filename: "x".into(),
        };
        assert_eq!(
            check_upload(&f("image/jpeg", 10)).ok(),
            Some(MediaKind::Image)
        );
        assert_eq!(
            check_upload(&f("image/webp", 10)).ok(),
            Some(MediaKind::Sticker)
        );
        assert_eq!(
            check_upload(&f("application/pdf", 10)).ok(),
            Some(MediaKind::Document)
        );
        assert_eq!(
            check_upload(&f("image/gif", 10)).unwrap_err().code(),
            "upload_mime_unsupported"
        );
        assert_eq!(
            check_upload(&f("image/png", 0)).unwrap_err().code(),
            "upload_empty"
        );
        assert_eq!(
            check_upload(&f("image/png", 5 * 1024 * 1024 + 1))
                .unwrap_err()
                .code(),
            "upload_too_large"
        );
        assert!(check_upload(&f("image/png", 5 * 1024 * 1024)).is_ok());
    }
}
