//! Message builders: each validates its input completely and returns a ready [`ApiRequest`]
//! (`POST /{phone_number_id}/messages`, `platform-rules.md` §2) or
//! [`Error::Validation`](crate::Error::Validation) with every issue found.
//!
//! Inputs are plain structs (serde, camelCase — the same shapes the JS builders take); the Graph
//! version and host come from [`BuildOptions`].

mod components;
mod media;
mod read;
mod response;
mod template;
mod text;

pub use components::{
    ButtonIndex, CurrencyValue, DateTimeValue, LocationValue, MediaRef, SendComponent,
    SendParameter,
};
pub use media::{build_send_media, SendMediaInput};
pub use read::{build_mark_as_read, MarkAsReadInput};
pub use response::{
    parse_created_template, parse_send_response, parse_success, parse_template_page,
    CreatedTemplate, SendResult, TemplatePage, TemplateSummary,
};
pub use template::{build_send_template, SendTemplateInput};
pub use text::{build_send_text, SendTextInput, TEXT_MAX_LEN};

pub(crate) use components::{push_components, send_component_issues, text_value_issues};

use crate::core::error::{Error, Issue};
use crate::core::graph::{ApiVersion, DEFAULT_API_VERSION, DEFAULT_BASE_URL};
use crate::core::json::{push_json_str, AnyJson, Doc, Reader};
use crate::core::request::{ApiRequest, Method};
use serde::Deserialize;

/// Where requests go: Graph API version (default `v25.0`) and host (default
/// `https://graph.facebook.com`, or an emulator in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildOptions {
    /// `v25.0`, `25.0` or `v25`; retired versions are rejected.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Scheme and host (and optional path prefix), no trailing slash needed.
    #[serde(default)]
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// Reads `apiVersion` / `baseUrl` from a JS input object.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Vec<Issue>> {
        Opts::read(AnyJson::Serde(v)).map(Opts::to_owned)
    }

    /// The options, borrowed.
    pub(crate) fn opts(&self) -> Opts<'_> {
        Opts {
            api_version: self.api_version.as_deref(),
            base_url: self.base_url.as_deref(),
        }
    }
}

/// [`BuildOptions`] borrowed from wherever they were read (the JS builders read them straight
/// from the input text).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Opts<'a> {
    /// See [`BuildOptions::api_version`].
    pub api_version: Option<&'a str>,
    /// See [`BuildOptions::base_url`].
    pub base_url: Option<&'a str>,
}

impl<'a> Opts<'a> {
    /// The owned options.
    pub fn to_owned(self) -> BuildOptions {
        BuildOptions {
            api_version: self.api_version.map(str::to_owned),
            base_url: self.base_url.map(str::to_owned),
        }
    }

    /// `{base}/{version}/{path}`, or issues for a bad version / base URL.
    pub(crate) fn url(self, path: &[&str], issues: &mut Vec<Issue>) -> String {
        let (version, base) = self.target(issues);
        let mut url = String::with_capacity(base.len() + 48);
        push_url(&mut url, base, version.as_ref(), path);
        url
    }

    /// Reads `apiVersion` / `baseUrl` from an input object.
    pub fn read(v: AnyJson<'a>) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::of(v, "", "an object");
        let opts = Opts::read_from(&mut r);
        r.finish(opts)
    }

    /// Reads `apiVersion` / `baseUrl` with `r` (wrong types are issues in it).
    fn read_from(r: &mut Reader<'a>) -> Self {
        Opts {
            api_version: r.opt_str("apiVersion"),
            base_url: r.opt_str("baseUrl"),
        }
    }

    /// The version (`None`: the default) and the base URL (no trailing slash) of the URL;
    /// issues for a bad version / base URL.
    fn target(self, issues: &mut Vec<Issue>) -> (Option<ApiVersion>, &'a str) {
        let version = match self.api_version {
            None => None,
            Some(v) => match ApiVersion::parse(v) {
                Ok(v) => Some(v),
                Err(Error::Validation { issues: mut is }) => {
                    issues.append(&mut is);
                    None
                }
                Err(_) => None,
            },
        };
        let base = match self.base_url {
            None => DEFAULT_BASE_URL,
            Some(b) => {
                // The first bytes, compared without allocating a lowercase copy.
                let scheme = |s: &[u8]| {
                    b.as_bytes()
                        .get(..s.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(s))
                };
                // The host: what follows the scheme's "://", up to the first '/'.
                let host_ok = b
                    .find(':')
                    .and_then(|i| b.get(i..))
                    .and_then(|r| r.strip_prefix("://"))
                    .and_then(|r| r.split('/').next())
                    .is_some_and(|h| !h.is_empty());
                if !(scheme(b"https://") || scheme(b"http://"))
                    || !host_ok
                    || b.contains(char::is_whitespace)
                    || b.contains(['?', '#'])
                {
                    issues.push(Issue::error(
                        "baseUrl",
                        "base_url_invalid",
                        "baseUrl must be an absolute http(s) URL such as https://graph.facebook.com (no query or fragment).",
                    ));
                }
                b.trim_end_matches('/')
            }
        };
        (version, base)
    }
}

/// Appends `{base}/{version}/{path parts}`.
fn push_url(out: &mut String, base: &str, version: Option<&ApiVersion>, path: &[&str]) {
    out.push_str(base);
    out.push('/');
    out.push_str(version.map_or(DEFAULT_API_VERSION, ApiVersion::as_str));
    out.push('/');
    for p in path {
        out.push_str(p);
    }
}

/// A built JSON `POST`: its URL (the first `url_len` bytes) then its body, in one string — what
/// the JS builders hand over in one crossing; [`Post::into_request`] makes the [`ApiRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Post {
    /// URL then body.
    pub text: String,
    /// Length of the URL in `text`.
    pub url_len: usize,
}

impl Post {
    /// The URL.
    pub fn url(&self) -> &str {
        self.text.get(..self.url_len).unwrap_or("")
    }

    /// The JSON body.
    pub fn body(&self) -> &str {
        self.text.get(self.url_len..).unwrap_or("")
    }

    /// The request (`Content-Type: application/json`).
    pub fn into_request(self) -> ApiRequest {
        ApiRequest {
            method: Method::Post,
            url: self.url().to_owned(),
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: Some(self.body().to_owned()),
        }
    }
}

/// Starts `POST {base}/{version}/{path}` once a builder's checks are done: the options' issues
/// are added to `issues`, and every issue is returned if any is an error. Otherwise the body is
/// written after the URL in the returned [`Post`] (`body_len`: its expected length).
pub(crate) fn post_to(
    opts: Opts<'_>,
    path: &[&str],
    mut issues: Vec<Issue>,
    body_len: usize,
) -> Result<Post, Error> {
    let (version, base) = opts.target(&mut issues);
    if issues.iter().any(Issue::is_error) {
        return Err(Error::Validation { issues });
    }
    let mut text = String::with_capacity(base.len() + 48 + body_len);
    push_url(&mut text, base, version.as_ref(), path);
    Ok(Post {
        url_len: text.len(),
        text,
    })
}

/// The builders the JS API runs on the input's JSON text.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS exports and tests use it
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonBuilder {
    /// [`build_send_template`].
    Template,
    /// [`build_send_text`].
    Text,
    /// [`build_send_media`].
    Media,
    /// [`build_mark_as_read`].
    MarkAsRead,
    /// [`build_create_template`](crate::core::template::build_create_template).
    CreateTemplate,
    /// [`build_get_templates`](crate::core::template::build_get_templates).
    GetTemplates,
}

/// What [`build_json`] builds: a JSON `POST` as one string, or another request.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS exports and tests use it
#[derive(Debug)]
pub(crate) enum Built {
    /// A JSON `POST` (the message builders).
    Post(Post),
    /// A `GET` (its URL).
    Get(String),
}

/// A builder run on a JS input's JSON text (options in the same object), with the same result
/// as the native builder on the same input: the text is parsed once ([`Doc`]) and read without
/// building a `serde_json::Value` (except for what is checked as one: explicit components, an
/// approved template, a template definition). The template message's input is read borrowed
/// (its values too); the smaller inputs into their structs (a few short strings). One function
/// for every builder: one copy of the parsing and option glue.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS exports and tests use it
pub(crate) fn build_json(kind: JsonBuilder, text: &str) -> Result<Built, Error> {
    use crate::core::template::{
        create_template, get_templates, CreateTemplateInput, GetTemplatesInput,
    };
    let doc = Doc::parse(text).map_err(|e| {
        Error::invalid(
            "input",
            "invalid_json",
            format!("The input is not valid JSON ({}).", e),
        )
    })?;
    // One reader for the input and its options. The options are read after the input, so their
    // issues follow the input's; a non-object input has no options (nor issues for them).
    let mut r = Reader::of(AnyJson::doc(doc.root()), "", "an object");
    let post = match kind {
        JsonBuilder::Template => {
            let (mut t, components) = template::SendTemplateParts::read(&mut r);
            t.components = components.as_deref();
            template::send_template(&t, input_options(r)?)
        }
        JsonBuilder::Text => {
            let t = SendTextInput::read(&mut r);
            text::send_text(&t, input_options(r)?)
        }
        JsonBuilder::Media => {
            let t = SendMediaInput::read(&mut r);
            media::send_media(&t, input_options(r)?)
        }
        JsonBuilder::MarkAsRead => {
            let t = MarkAsReadInput::read(&mut r);
            read::mark_as_read(&t, input_options(r)?)
        }
        JsonBuilder::CreateTemplate => {
            let t = CreateTemplateInput::read(&mut r);
            create_template(&t, input_options(r)?)
        }
        JsonBuilder::GetTemplates => {
            let t = GetTemplatesInput::read(&mut r);
            return get_templates(&t, input_options(r)?).map(Built::Get);
        }
    };
    post.map(Built::Post)
}

/// Runs a builder on its input as JSON text, exactly as the JS builders do (`builder`:
/// `sendTemplate`, `sendText`, `sendMedia`, `markAsRead`, `createTemplate`, `getTemplates`; the
/// options `apiVersion`/`baseUrl` in the same object). Numbers the request forwards keep their
/// text (a location `62.216009808114364` leaves as written), which a `serde_json::Value` input
/// cannot promise.
pub fn build_request_json(builder: &str, input: &str) -> Result<ApiRequest, Error> {
    let kind = match builder {
        "sendTemplate" => JsonBuilder::Template,
        "sendText" => JsonBuilder::Text,
        "sendMedia" => JsonBuilder::Media,
        "markAsRead" => JsonBuilder::MarkAsRead,
        "createTemplate" => JsonBuilder::CreateTemplate,
        "getTemplates" => JsonBuilder::GetTemplates,
        other => {
            return Err(Error::invalid(
                "builder",
                "invalid_input",
                format!("\"{other}\" is not a builder: sendTemplate, sendText, sendMedia, markAsRead, createTemplate or getTemplates."),
            ))
        }
    };
    Ok(match build_json(kind, input)? {
        Built::Post(post) => post.into_request(),
        Built::Get(url) => ApiRequest {
            method: Method::Get,
            url,
            headers: Vec::new(),
            body: None,
        },
    })
}

/// The options (read after the input with the same reader), or every issue: the input's then
/// the options'.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS exports and tests use it
fn input_options(mut r: Reader<'_>) -> Result<Opts<'_>, Error> {
    let opts = Opts::read_from(&mut r);
    r.finish(opts)
        .map_err(|issues| Error::Validation { issues })
}

/// A Graph object id (phone number id, WABA id): digits only.
pub(crate) fn id_issues(
    id: &str,
    path: &str,
    code: &'static str,
    what: &str,
    issues: &mut Vec<Issue>,
) {
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
        let msg = if id.is_empty() {
            format!("{what} is required.")
        } else {
            format!("{what} must be the numeric id from WhatsApp Manager (digits only), not a phone number with symbols or a name.")
        };
        issues.push(Issue::error(path, code, msg));
    }
}

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
    let found = crate::core::phone::recipient_issues(to, "to");
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

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
