//! Template messages (`platform-rules.md` §2.3): the seed's `send_template` action.

use super::{sender_issues, ButtonIndex, SendComponent, To};
use crate::domain::components::{
    components_read, push_component, push_components, push_parameter, send_component_issues,
    text_value_issues,
};
use crate::domain::error::{Error, Issue};
use crate::domain::input::{member, read_text, Path, Reader};
use crate::domain::json::{push_json_str, Doc, Json, RawJson};
use crate::domain::request::ApiRequest;
use crate::domain::template::{
    bind, language_issue, name_issues, template_values, BodyValues, TemplateValues,
};
use crate::domain::url::{post_to, BuildOptions, Post};

/// Input of [`build_send_template`] (JS `buildSendTemplate`).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct SendTemplateInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient phone number, or the group id when `recipient_type` is `group`; may be empty
    /// when `recipient` is given.
    pub to: String,
    /// The recipient's business-scoped user id (webhook `fromUserId`), sent as `recipient`.
    /// Meta refuses one-tap, zero-tap and copy-code authentication templates to one (131062).
    pub recipient: Option<String>,
    /// `individual` (default) or `group`.
    pub recipient_type: Option<String>,
    /// Approved template name.
    pub template_name: String,
    /// Language code of the approved translation (default `en_US`).
    pub language: Option<String>,
    /// The seed's `template_parameters`: body values as an array (or a JSON array string), an
    /// object of named values, or per component (`{header, body, buttons}`); its JSON text.
    pub parameters: Option<RawJson>,
    /// Header / body / button components in Meta's send shape.
    pub components: Option<Vec<SendComponent>>,
    /// The approved template (as `get_templates` returns it): when given, every value is checked
    /// against it and the components are produced by `bind_template_parameters`. Its JSON text.
    pub template: Option<RawJson>,
    /// Meta's `biz_opaque_callback_data` (at most 512 characters): echoed back in this message's
    /// status webhooks, so a send can be matched to its caller's record without the wamid.
    pub biz_opaque_callback_data: Option<String>,
}

impl SendTemplateInput {
    /// Reads the JS input shape from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    fn read(r: &mut Reader<'_>) -> Self {
        let (t, components) = SendTemplateParts::read(r);
        SendTemplateInput {
            phone_number_id: t.phone_number_id.to_owned(),
            to: t.to.to.to_owned(),
            recipient: t.to.recipient.map(str::to_owned),
            recipient_type: t.recipient_type.map(str::to_owned),
            template_name: t.template_name.to_owned(),
            language: t.language.map(str::to_owned),
            parameters: t.parameters.map(RawJson::of),
            components,
            template: t.template.map(RawJson::of),
            biz_opaque_callback_data: t.biz_opaque_callback_data.map(str::to_owned),
        }
    }
}

/// [`SendTemplateInput`] borrowed from wherever it was read: the one input of
/// [`send_template`], from the native struct or straight from the JS input's text.
#[derive(Debug)]
pub(crate) struct SendTemplateParts<'a> {
    phone_number_id: &'a str,
    to: To<'a>,
    recipient_type: Option<&'a str>,
    template_name: &'a str,
    language: Option<&'a str>,
    parameters: Option<Json<'a>>,
    /// Not read by [`read`](Self::read): see there.
    pub(crate) components: Option<&'a [SendComponent]>,
    template: Option<Json<'a>>,
    biz_opaque_callback_data: Option<&'a str>,
}

impl<'a> SendTemplateParts<'a> {
    /// Reads the members of the input object (wrong types are issues in `r`). The explicit
    /// components are read into owned structs, returned beside: the caller points `components`
    /// at them.
    pub(crate) fn read(r: &mut Reader<'a>) -> (Self, Option<Vec<SendComponent>>) {
        let components = r
            .any("components")
            .map(|c| components_read(c, Path::at("components"), &mut r.issues));
        let recipient_type = r.opt_str("recipientType");
        let t = SendTemplateParts {
            components: None,
            phone_number_id: r.str("phoneNumberId"),
            to: {
                let to = r.str("to");
                let recipient = r.opt_str("recipient");
                To::new(to, recipient, recipient_type)
            },
            recipient_type,
            template_name: r.str("templateName"),
            language: r.opt_str("language"),
            parameters: r.any("parameters"),
            template: r.any("template"),
            biz_opaque_callback_data: r.opt_str("bizOpaqueCallbackData"),
        };
        (t, components)
    }
}

/// Longest `biz_opaque_callback_data` Meta accepts (`platform-rules.md` §2.1).
pub const BIZ_OPAQUE_MAX_LEN: usize = 512;

/// Builds `POST /{phone_number_id}/messages` with a template body.
///
/// ```
/// use whatsapp_business::{build_send_template, BuildOptions, RawJson, SendTemplateInput};
/// let req = build_send_template(&SendTemplateInput {
///     phone_number_id: "1234567890".into(), to: "27821234567".into(),
///     template_name: "order_confirmation".into(),
///     parameters: Some(RawJson::parse(r#"["John", "12345", "R500", "Dec 25"]"#.into()).unwrap()),
///     ..Default::default()
/// }, &BuildOptions::default()).unwrap();
/// assert!(req.body.unwrap().starts_with(r#"{"messaging_product":"whatsapp","to":"27821234567","type":"template""#));
/// ```
pub fn build_send_template(
    input: &SendTemplateInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    // The values and the approved template are read from their text, as the JS input's are.
    let parameters = input.parameters.as_ref().and_then(RawJson::doc);
    let template = input.template.as_ref().and_then(RawJson::doc);
    let t = SendTemplateParts {
        phone_number_id: &input.phone_number_id,
        to: To::new(
            &input.to,
            input.recipient.as_deref(),
            input.recipient_type.as_deref(),
        ),
        recipient_type: input.recipient_type.as_deref(),
        template_name: &input.template_name,
        language: input.language.as_deref(),
        parameters: parameters.as_ref().map(Doc::root),
        components: input.components.as_deref(),
        template: template.as_ref().map(Doc::root),
        biz_opaque_callback_data: input.biz_opaque_callback_data.as_deref(),
    };
    send_template(&t, opts).map(Post::into_request)
}

/// The template message builder, over its input however it was read: the native struct or the
/// JS input's text (values borrowed from the parsed text). Issue paths are written only for the
/// issues found.
#[allow(clippy::single_char_add_str)] // `push` of a char is an out-of-line encoder call at "z"
pub(crate) fn send_template(t: &SendTemplateParts<'_>, opts: &BuildOptions) -> Result<Post, Error> {
    let mut issues = Vec::new();
    sender_issues(t.phone_number_id, &mut issues);
    t.to.issues(&mut issues);
    issues.extend(name_issues(t.template_name, "templateName"));
    let language = t.language.unwrap_or("en_US");
    language_issue(language, "language", &mut issues);
    if let Some(b) = t.biz_opaque_callback_data {
        let n = b.chars().count();
        if n > BIZ_OPAQUE_MAX_LEN {
            issues.push(Issue::error(
                "bizOpaqueCallbackData",
                "biz_opaque_too_long",
                format!("bizOpaqueCallbackData is {n} characters; Meta allows at most {BIZ_OPAQUE_MAX_LEN}. Store the details on your side and send a short key."),
            ));
        }
    }

    let mut values = match t.parameters {
        None => TemplateValues::default(),
        Some(v) => template_values(v, "parameters").unwrap_or_else(|mut is| {
            issues.append(&mut is);
            TemplateValues::default()
        }),
    };
    // Read in any case and stored in lower case (`read`, and serde for native inputs).
    let explicit: &[SendComponent] = t.components.unwrap_or(&[]);
    issues.extend(send_component_issues(explicit, "components"));

    // The components bound against an approved template; without one (`None`), they are made
    // straight from the values and the explicit components.
    let bound = match t.template {
        Some(template) => {
            if let Some(name) = member(template, "name").and_then(Json::as_str) {
                if !t.template_name.is_empty() && name != t.template_name {
                    issues.push(Issue::error(
                        "template.name",
                        "binding_template_mismatch",
                        format!(
                            "templateName is \"{}\" but the template given is \"{name}\".",
                            t.template_name
                        ),
                    ));
                }
            }
            let merged = merge(std::mem::take(&mut values), explicit, &mut issues);
            let mut bind_issues = Vec::new();
            let mut comps = bind(template, &merged, &mut bind_issues);
            issues.append(&mut bind_issues);
            // What binding does not fold in (carousel, limited-time offer, tap target, a
            // voice-call button without index) goes out as given, if the template has it.
            for (i, c) in explicit.iter().enumerate().filter(|(_, c)| !folded(c)) {
                passthrough_issue(template, c, i, &mut issues);
                comps.push(c.clone());
            }
            Some(comps)
        }
        None => {
            plain_issues(&values, explicit, &mut issues);
            None
        }
    };

    // The body's length, near enough that the string is not grown while written.
    let mut values_len = 256;
    if let Some(b) = &values.body {
        for (k, v) in b.pairs() {
            values_len += 48 + k.len() + v.len();
        }
    }
    let mut post = post_to(
        opts,
        &[t.phone_number_id, "/messages"],
        issues,
        160 + t.to.to.len() + t.template_name.len() + values_len + 64 * explicit.len(),
    )?;
    let body = &mut post.body;
    body.push_str("{\"messaging_product\":\"whatsapp\",");
    if t.to.group {
        body.push_str("\"recipient_type\":\"group\",");
    }
    t.to.push(body);
    body.push_str(",\"type\":\"template\",\"template\":{\"name\":");
    push_json_str(body, t.template_name);
    body.push_str(",\"language\":{\"code\":");
    push_json_str(body, language);
    body.push_str("}");
    match &bound {
        Some(c) => {
            if !c.is_empty() {
                body.push_str(",\"components\":");
                push_components(body, c);
            }
        }
        None => push_plain(body, &values, explicit),
    }
    body.push_str("}");
    if let Some(b) = t.biz_opaque_callback_data {
        body.push_str(",\"biz_opaque_callback_data\":");
        push_json_str(body, b);
    }
    body.push_str("}");
    Ok(post)
}

/// Whether [`merge`] folds an explicit component into the values (header, body, an indexed button).
fn folded(c: &SendComponent) -> bool {
    match c.kind.as_str() {
        "carousel" | "limited_time_offer" | "tap_target_configuration" => false,
        "button" => c.index.is_some() || c.sub_type.as_deref() != Some("voice_call"),
        // Header, body, and unknown types (already reported).
        _ => true,
    }
}

/// A component sent as given next to a bound template must be one the approved template has:
/// a carousel for a carousel template, a limited-time offer for an offer template, a tap target
/// for a template with a URL button, a voice-call button for one with a voice-call button.
fn passthrough_issue(template: Json<'_>, c: &SendComponent, i: usize, issues: &mut Vec<Issue>) {
    let (needed, what) = match c.kind.as_str() {
        "carousel" => ("CAROUSEL", "a carousel"),
        "limited_time_offer" => ("LIMITED_TIME_OFFER", "a limited-time offer"),
        "tap_target_configuration" => ("URL", "a URL button"),
        _ => ("VOICE_CALL", "a voice-call button"),
    };
    let is = |v: Json<'_>| {
        member(v, "type")
            .and_then(Json::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case(needed))
    };
    let mut found = false;
    for tc in items(member(template, "components")) {
        found |= is(tc);
        for b in items(member(tc, "buttons")) {
            found |= is(b);
        }
    }
    if !found {
        issues.push(Issue::error(
            format!("components[{i}]"),
            "send_component_not_in_template",
            format!(
                "The approved template has no {what} for this {} component.",
                c.kind
            ),
        ));
    }
}

/// The items of `v` when it is an array.
fn items<'a>(v: Option<Json<'a>>) -> impl Iterator<Item = Json<'a>> {
    v.and_then(Json::as_array)
        .into_iter()
        .flat_map(|a| a.iter())
}

/// Explicit components folded into the values (for binding against a template).
fn merge(
    mut values: TemplateValues,
    explicit: &[SendComponent],
    issues: &mut Vec<Issue>,
) -> TemplateValues {
    for (i, c) in explicit.iter().enumerate() {
        match c.kind.as_str() {
            "header" => values.header = c.parameters.first().cloned(),
            "body" => {
                if values.body.is_some() {
                    issues.push(body_twice(i));
                    continue;
                }
                let named = c.parameters.iter().all(|p| p.parameter_name.is_some())
                    && !c.parameters.is_empty();
                values.body = Some(if named {
                    BodyValues::Named(
                        c.parameters
                            .iter()
                            .map(|p| {
                                (
                                    p.parameter_name.clone().unwrap_or_default(),
                                    p.text.clone().unwrap_or_default(),
                                )
                            })
                            .collect(),
                    )
                } else {
                    BodyValues::Positional(
                        c.parameters
                            .iter()
                            .map(|p| p.text.clone().unwrap_or_default())
                            .collect(),
                    )
                });
            }
            "button" => {
                if let (Some(ButtonIndex(n)), Some(p)) = (c.index, c.parameters.first()) {
                    values.buttons.push((n, p.clone()));
                }
            }
            _ => {}
        }
    }
    values
}

fn body_twice(i: usize) -> Issue {
    Issue::error(
        format!("components[{i}]"),
        "body_parameters_twice",
        "Body values were given both in parameters and in a body component; use one.",
    )
}

/// The issues of components made straight from the values (no template to check against).
fn plain_issues(values: &TemplateValues, explicit: &[SendComponent], issues: &mut Vec<Issue>) {
    if values.header.is_some() && explicit.iter().any(|c| c.kind == "header") {
        issues.push(Issue::error(
            "parameters.header",
            "send_component_duplicate",
            "The header value is given twice (parameters and components).",
        ));
    }
    if let Some(body) = &values.body {
        if let Some(i) = explicit.iter().position(|c| c.kind == "body") {
            issues.push(body_twice(i));
        }
        let base = Path::at("parameters");
        for (i, (k, t)) in body.pairs().enumerate() {
            let at = if body.is_named() {
                base.key(k)
            } else {
                base.index(i)
            };
            text_value_issues(t, false, false, at, issues);
        }
    }
    if !values.buttons.is_empty() {
        issues.push(Issue::error(
            "parameters.buttons",
            "button_values_need_template",
            "Button values given as plain values need the approved template (template) to know each button's type; otherwise pass them as components with sub_type and index.",
        ));
    }
}

/// Appends `,"components":[…]` made straight from the values and the explicit components
/// (nothing when there are none): header, body, then buttons in index order.
#[allow(clippy::single_char_add_str)] // `push` of a char is an out-of-line encoder call at "z"
fn push_plain(out: &mut String, values: &TemplateValues, explicit: &[SendComponent]) {
    let body = values.body.as_ref();
    let no_body = body.map_or(true, |b| b.pairs().next().is_none());
    if values.header.is_none() && no_body && explicit.is_empty() {
        return;
    }
    // Components that are not header, body or a button at 0-9 were reported: when only such
    // are given, there is an error and this is not written.
    out.push_str(",\"components\":[");
    let open = out.len();
    let sep = |out: &mut String| {
        if out.len() > open {
            out.push_str(",");
        }
    };
    if let Some(h) = &values.header {
        out.push_str("{\"type\":\"header\",\"parameters\":[");
        push_parameter(out, h);
        out.push_str("]}");
    }
    for c in explicit.iter().filter(|c| c.kind == "header") {
        sep(out);
        push_component(out, c);
    }
    if !no_body {
        sep(out);
        out.push_str("{\"type\":\"body\",\"parameters\":[");
        let named = body.is_some_and(BodyValues::is_named);
        for (i, (k, t)) in body.into_iter().flat_map(BodyValues::pairs).enumerate() {
            out.push_str(if i > 0 {
                ",{\"type\":\"text\""
            } else {
                "{\"type\":\"text\""
            });
            if named {
                out.push_str(",\"parameter_name\":");
                push_json_str(out, k);
            }
            out.push_str(",\"text\":");
            push_json_str(out, t);
            out.push_str("}");
        }
        out.push_str("]}");
    }
    for c in explicit.iter().filter(|c| c.kind == "body") {
        sep(out);
        push_component(out, c);
    }
    // Carousel, limited-time offer and tap target, in the order given.
    for c in explicit
        .iter()
        .filter(|c| !matches!(c.kind.as_str(), "header" | "body" | "button"))
    {
        sep(out);
        push_component(out, c);
    }
    // Buttons in index order; a plain scan (no sort code in the wasm for at most 10 items).
    // Components without a valid index (0-9) were reported by send_component_issues.
    for n in 0..=9 {
        for c in explicit
            .iter()
            .filter(|c| c.kind == "button" && c.index == Some(ButtonIndex(n)))
        {
            sep(out);
            push_component(out, c);
        }
    }
    // A voice-call button may come without an index (Meta's example has none).
    for c in explicit
        .iter()
        .filter(|c| c.kind == "button" && c.index.is_none())
    {
        sep(out);
        push_component(out, c);
    }
    out.push_str("]");
}
