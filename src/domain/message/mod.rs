//! Message builders: each validates its input completely and returns a ready [`ApiRequest`]
//! (`POST /{phone_number_id}/messages`, `platform-rules.md` §2) or
//! [`Error::Validation`](crate::Error::Validation) with every issue found.
//!
//! Inputs are plain structs (serde, camelCase — the same shapes the JS builders take); the Graph
//! version and host come from [`BuildOptions`](crate::BuildOptions).

mod media;
mod read;
mod response;
mod template;
mod text;

pub use crate::domain::components::{
    ButtonIndex, CurrencyValue, DateTimeValue, LocationValue, MediaRef, SendComponent,
    SendParameter,
};
pub use media::{build_send_media, SendMediaInput};
pub use read::{build_mark_as_read, MarkAsReadInput};
pub use response::{
    parse_created_template, parse_send_response, parse_success, parse_template_page,
    CreatedTemplate, SendResult, TemplateSummary,
};
pub use template::{build_send_template, SendTemplateInput};
pub use text::{build_send_text, SendTextInput, TEXT_MAX_LEN};

pub(crate) use media::send_media;
pub(crate) use read::mark_as_read;
pub(crate) use template::{send_template, SendTemplateParts};
pub(crate) use text::send_text;

use crate::domain::error::Issue;
use crate::domain::json::push_json_str;
use crate::domain::url::id_issues;

/// The sender of a message builder: `phoneNumberId` must be a Graph id.
pub(crate) fn sender_issues(phone_number_id: &str, issues: &mut Vec<Issue>) {
    id_issues(
        phone_number_id,
        "phoneNumberId",
        "phone_number_id_invalid",
        "phoneNumberId",
        issues,
    );
}

/// Checks the recipient: its issues (at `to`) are added only when it is invalid (the warning
/// of a valid national-looking number is not a builder issue).
pub(crate) fn recipient_issues(to: &str, issues: &mut Vec<Issue>) {
    let found = crate::domain::phone::recipient_issues(to, "to");
    if found.iter().any(Issue::is_error) {
        issues.extend(found);
    }
}

/// Who a message goes to (`platform-rules.md` §2, and Meta's business-scoped user id and group
/// pages): `to` (a phone number, or a group id when `recipientType` is `group`), `recipient` (a
/// business-scoped user id or parent BSUID, e.g. `US.13491208655302741918`), or both — then Meta
/// sends to the phone number (`to` wins).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct To<'a> {
    /// `to`.
    pub to: &'a str,
    /// `recipient` (a BSUID).
    pub recipient: Option<&'a str>,
    /// `recipientType: "group"`.
    pub group: bool,
    /// `recipientType` is neither `individual` nor `group`.
    bad_type: bool,
}

impl<'a> To<'a> {
    /// The recipient fields of an input (`recipientType` other than `individual`/`group` is
    /// reported by [`issues`](Self::issues)).
    pub fn new(to: &'a str, recipient: Option<&'a str>, recipient_type: Option<&'a str>) -> Self {
        To {
            to,
            recipient,
            group: recipient_type == Some("group"),
            bad_type: !matches!(recipient_type, None | Some("individual" | "group")),
        }
    }

    /// The issues of the recipient fields.
    pub fn issues(self, issues: &mut Vec<Issue>) {
        if self.bad_type {
            issues.push(Issue::error(
                "recipientType",
                "recipient_type_invalid",
                "recipientType is \"individual\" (default) or \"group\" (to is then a group id from the Groups API).",
            ));
        }
        if self.group {
            if self.to.trim().is_empty() || self.to.contains(char::is_whitespace) {
                issues.push(Issue::error(
                    "to",
                    "group_id_invalid",
                    "A group message goes to the group id the Groups API returned (to, no spaces).",
                ));
            }
            if self.recipient.is_some() {
                issues.push(Issue::error(
                    "recipient",
                    "recipient_invalid",
                    "recipient (a business-scoped user id) cannot be combined with recipientType \"group\".",
                ));
            }
            return;
        }
        if let Some(id) = self.recipient {
            if !is_bsuid(id) {
                issues.push(Issue::error(
                    "recipient",
                    "recipient_invalid",
                    "recipient must be a whole business-scoped user id as the webhook gives it (fromUserId): a two-letter country code, a period and up to 128 letters and digits, e.g. US.13491208655302741918 (parent ids: US.ENT.…).",
                ));
            }
            if self.to.is_empty() {
                return;
            }
        }
        recipient_issues(self.to, issues);
    }

    /// The key of the customer-service window: the phone number's digits, else the BSUID;
    /// `None` for a group.
    pub fn window_key(self) -> Option<String> {
        if self.group {
            None
        } else if self.to.is_empty() {
            self.recipient.map(str::to_owned)
        } else {
            Some(self.to.chars().filter(char::is_ascii_digit).collect())
        }
    }

    /// Appends `"to":…` and/or `"recipient":…` (no surrounding commas).
    pub fn push(self, out: &mut String) {
        if self.group {
            out.push_str("\"to\":");
            push_json_str(out, self.to);
            return;
        }
        if !self.to.is_empty() || self.recipient.is_none() {
            out.push_str("\"to\":");
            push_recipient(out, self.to);
            if self.recipient.is_some() {
                out.push(',');
            }
        }
        if let Some(id) = self.recipient {
            out.push_str("\"recipient\":");
            push_json_str(out, id);
        }
    }

    /// `individual` or `group`.
    pub fn kind(self) -> &'static str {
        if self.group {
            "group"
        } else {
            "individual"
        }
    }
}

/// A business-scoped user id: `CC.` then 1–128 ASCII letters and digits, or a parent BSUID
/// `CC.ENT.…` (Meta's business-scoped user IDs page).
pub(crate) fn is_bsuid(id: &str) -> bool {
    let b = id.as_bytes();
    let Some((cc, rest)) = b.split_at_checked(2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b".") else {
        return false;
    };
    let rest = rest.strip_prefix(b"ENT.").unwrap_or(rest);
    cc.iter().all(u8::is_ascii_uppercase)
        && !rest.is_empty()
        && rest.len() <= 128
        && rest.iter().all(u8::is_ascii_alphanumeric)
}

/// Appends the recipient, normalised to its digits, as a JSON string.
#[allow(clippy::single_char_add_str)] // `push` of a char is an out-of-line encoder call at "z"
pub(crate) fn push_recipient(out: &mut String, to: &str) {
    out.push_str("\"");
    if to.bytes().all(|b| b.is_ascii_digit()) {
        // Already normalised (the usual case): copied whole.
        out.push_str(to);
    } else {
        for b in to.bytes().filter(u8::is_ascii_digit) {
            out.push(char::from(b));
        }
    }
    out.push_str("\"");
}
