//! Template management requests: the seed's `create_template` (`POST /{waba_id}/message_templates`)
//! and `get_templates` (`GET /{waba_id}/message_templates`), `platform-rules.md` §1.1.

use super::definition::{template_issues, Category};
use super::variables::ParameterFormat;
use crate::domain::error::{Error, Issue};
use crate::domain::input::{read_text, Reader};
use crate::domain::json::{push_json_str, Doc, Json, RawJson};
use crate::domain::request::ApiRequest;
use crate::domain::url::{encode_component, id_issues, post_to, BuildOptions, Post};

/// The fields `get_templates` asks for: the seed's list plus `id`, `parameter_format`,
/// `quality_score` and `rejected_reason`.
pub const TEMPLATE_FIELDS: &str =
    "id,name,status,category,language,components,parameter_format,quality_score,rejected_reason";

/// Template statuses Meta reports (§1.6), accepted as a `status` filter.
pub const TEMPLATE_STATUSES: &[&str] = &[
    "APPROVED",
    "PENDING",
    "REJECTED",
    "PAUSED",
    "DISABLED",
    "IN_APPEAL",
    "FLAGGED",
    "REINSTATED",
    "PENDING_DELETION",
    "DELETED",
    "LIMIT_EXCEEDED",
    "ARCHIVED",
    "UNARCHIVED",
    "LOCKED",
];

/// Input of [`build_create_template`] (JS `buildCreateTemplate`).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct CreateTemplateInput {
    /// WhatsApp Business Account id (digits).
    pub business_account_id: String,
    /// Template name (`^[a-z0-9_]+$`).
    pub name: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// Language code (default `en_US`).
    pub language: Option<String>,
    /// The components array (its JSON text), or the seed's `template_components`: a JSON string
    /// holding that text. Sent as given.
    pub components: RawJson,
    /// `positional` (default) or `named`.
    pub parameter_format: Option<String>,
    /// The other top-level fields Meta documents for `POST /{waba_id}/message_templates`
    /// (`CREATE_TEMPLATE_FIELDS`), as given: forwarded as their JSON text.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub extra: Vec<(String, RawJson)>,
}

/// Top-level fields of a template creation request that Meta documents besides `name`,
/// `language`, `category`, `components` and `parameter_format` (Message Templates API reference;
/// authentication templates' `message_send_ttl_seconds`; template library creation). The input
/// may name them in Meta's snake_case or in camelCase; they are sent in snake_case, as given.
pub const CREATE_TEMPLATE_FIELDS: &[(&str, &str)] = &[
    ("message_send_ttl_seconds", "messageSendTtlSeconds"),
    ("allow_category_change", "allowCategoryChange"),
    (
        "cta_url_link_tracking_opted_out",
        "ctaUrlLinkTrackingOptedOut",
    ),
    ("sub_category", "subCategory"),
    ("library_template_name", "libraryTemplateName"),
    ("library_template_body_inputs", "libraryTemplateBodyInputs"),
    (
        "library_template_button_inputs",
        "libraryTemplateButtonInputs",
    ),
    ("degrees_of_freedom_spec", "degreesOfFreedomSpec"),
];

impl CreateTemplateInput {
    /// Reads the JS input shape from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        CreateTemplateInput {
            business_account_id: r.string("businessAccountId"),
            name: r.string("name"),
            category: r.string("category"),
            language: r.opt_string("language"),
            components: r.any("components").map_or_else(RawJson::null, RawJson::of),
            parameter_format: r.opt_string("parameterFormat"),
            extra: documented_fields(r),
        }
    }
}

/// The [`CREATE_TEMPLATE_FIELDS`] present in the input, as their JSON text.
fn documented_fields(r: &Reader<'_>) -> Vec<(String, RawJson)> {
    let mut out = Vec::new();
    for (snake, camel) in CREATE_TEMPLATE_FIELDS {
        if let Some(v) = r.any(snake).or_else(|| r.any(camel)) {
            out.push(((*snake).to_owned(), RawJson::of(v)));
        }
    }
    out
}

/// Builds `POST /{waba_id}/message_templates` after [`validate_template`](super::validate_template)
/// (any error → [`Error::Validation`] with every issue).
///
/// ```
/// use whatsapp_business::{build_create_template, BuildOptions, CreateTemplateInput};
/// let input = CreateTemplateInput::from_json(r#"{
///     "businessAccountId": "102290129340398", "name": "order_shipped",
///     "category": "UTILITY", "language": "en_US",
///     "components": [{"type": "BODY", "text": "Order {{1}} has shipped.",
///                     "example": {"body_text": [["A1001"]]}}]
/// }"#)
/// .unwrap();
/// let req = build_create_template(&input, &BuildOptions::default()).unwrap();
/// assert!(req.url.ends_with("/102290129340398/message_templates"));
/// ```
pub fn build_create_template(
    input: &CreateTemplateInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    create_template(input, opts).map(Post::into_request)
}

/// [`build_create_template`] as a [`Post`] (the URL and the JSON body), what the JS builders return.
pub(crate) fn create_template(
    input: &CreateTemplateInput,
    opts: &BuildOptions,
) -> Result<Post, Error> {
    let mut issues: Vec<Issue> = Vec::new();
    id_issues(
        &input.business_account_id,
        "businessAccountId",
        "business_account_id_invalid",
        "businessAccountId",
        &mut issues,
    );
    // The definition as JSON text: validated as it is, then sent as it is.
    let mut def = String::with_capacity(128 + input.components.as_str().len());
    def.push_str("{\"name\":");
    push_json_str(&mut def, &input.name);
    def.push_str(",\"language\":");
    push_json_str(&mut def, input.language.as_deref().unwrap_or("en_US"));
    def.push_str(",\"category\":");
    if input.category.is_empty() {
        def.push_str("null");
    } else if Category::parse(&input.category).is_some() {
        push_json_str(&mut def, &input.category.to_ascii_uppercase());
    } else {
        push_json_str(&mut def, &input.category);
    }
    if let Some(f) = &input.parameter_format {
        def.push_str(",\"parameter_format\":");
        match ParameterFormat::parse(f) {
            Some(_) => push_json_str(&mut def, &f.to_ascii_lowercase()),
            None => push_json_str(&mut def, f),
        }
    }
    def.push_str(",\"components\":");
    let given = input.components.doc();
    match given.as_ref().map(Doc::root) {
        // The seed's `template_components`: the array as JSON text in a string.
        Some(Json::String(s)) => match Doc::parse(s) {
            Ok(_) => def.push_str(s),
            Err(e) => {
                issues.push(Issue::error(
                    "components",
                    "invalid_json",
                    format!("components is a string but not valid JSON ({}).", e),
                ));
                def.push_str("[]");
            }
        },
        _ => def.push_str(input.components.as_str()),
    }
    def.push('}');
    match Doc::parse(&def) {
        // The string's own `invalid_json` was reported above.
        Ok(doc) => issues.extend(
            template_issues(doc.root())
                .into_iter()
                .filter(|i| !(i.code == "invalid_json" && i.path == "components")),
        ),
        // Not reached: the parts were each valid JSON.
        Err(e) => issues.push(Issue::error("", "invalid_input", e.to_string())),
    }
    for (key, v) in &input.extra {
        if key == "message_send_ttl_seconds" {
            let t = v.as_str();
            let whole = !t.contains(['.', 'e', 'E']) && crate::domain::json::parse_i64(t).is_some();
            if !whole {
                issues.push(Issue::error(
                    key.as_str(),
                    "message_send_ttl_invalid",
                    "message_send_ttl_seconds must be a whole number of seconds (how long Meta keeps trying to deliver).",
                ));
            }
        }
    }
    let mut post = post_to(
        opts,
        &[&input.business_account_id, "/message_templates"],
        issues,
        512,
    )?;
    // The definition without its closing brace, then the documented extra fields.
    post.body.push_str(def.get(..def.len() - 1).unwrap_or("{"));
    for (key, v) in &input.extra {
        post.body.push(',');
        push_json_str(&mut post.body, key);
        post.body.push(':');
        post.body.push_str(v.as_str());
    }
    post.body.push('}');
    Ok(post)
}

/// Input of [`build_get_templates`] (JS `buildGetTemplates`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct GetTemplatesInput {
    /// WhatsApp Business Account id (digits).
    pub business_account_id: String,
    /// Only templates with this status (e.g. `APPROVED`).
    pub status: Option<String>,
    /// Page size (default 100).
    pub limit: u32,
    /// Cursor from the previous page.
    pub after: Option<String>,
    /// Only templates with this name.
    pub name: Option<String>,
}

impl Default for GetTemplatesInput {
    fn default() -> Self {
        GetTemplatesInput {
            business_account_id: String::new(),
            status: None,
            limit: 100,
            after: None,
            name: None,
        }
    }
}

impl GetTemplatesInput {
    /// Reads the JS input shape from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, Vec<Issue>> {
        read_text(text, Self::read)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        let limit = match r.opt_u64("limit") {
            None => 100,
            Some(n) => u32::try_from(n).unwrap_or(u32::MAX),
        };
        GetTemplatesInput {
            business_account_id: r.string("businessAccountId"),
            status: r.opt_string("status"),
            limit,
            after: r.opt_string("after"),
            name: r.opt_string("name"),
        }
    }
}

/// Builds `GET /{waba_id}/message_templates?fields=…&limit=…[&status=…][&name=…][&after=…]`.
///
/// ```
/// use whatsapp_business::{build_get_templates, BuildOptions, GetTemplatesInput};
/// let input = GetTemplatesInput::from_json(r#"{
///     "businessAccountId": "102290129340398", "status": "APPROVED"
/// }"#)
/// .unwrap();
/// let req = build_get_templates(&input, &BuildOptions::default()).unwrap();
/// assert!(req.url.contains("/102290129340398/message_templates?"));
/// assert!(req.url.contains("status=APPROVED"));
/// ```
pub fn build_get_templates(
    input: &GetTemplatesInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    get_templates(input, opts).map(ApiRequest::get)
}

/// [`build_get_templates`] as its URL alone (a GET has no body).
pub(crate) fn get_templates(
    input: &GetTemplatesInput,
    opts: &BuildOptions,
) -> Result<String, Error> {
    let mut issues = Vec::new();
    id_issues(
        &input.business_account_id,
        "businessAccountId",
        "business_account_id_invalid",
        "businessAccountId",
        &mut issues,
    );
    if input.limit == 0 || input.limit > 1000 {
        issues.push(Issue::error(
            "limit",
            "limit_invalid",
            "limit must be between 1 and 1000.",
        ));
    }
    let mut url = opts.url(
        &[&input.business_account_id, "/message_templates"],
        &mut issues,
    );
    url.push_str("?fields=");
    url.push_str(TEMPLATE_FIELDS);
    url.push_str(&format!("&limit={}", input.limit));
    if let Some(status) = &input.status {
        let up = status.to_ascii_uppercase();
        if TEMPLATE_STATUSES.contains(&up.as_str()) {
            url.push_str("&status=");
            url.push_str(&up);
        } else {
            issues.push(Issue::error(
                "status",
                "status_invalid",
                format!(
                    "\"{status}\" is not a template status; use one of {}.",
                    crate::domain::input::join_strs(TEMPLATE_STATUSES, ", ")
                ),
            ));
        }
    }
    if let Some(name) = &input.name {
        url.push_str("&name=");
        url.push_str(&encode_component(name));
    }
    if let Some(after) = &input.after {
        if after.is_empty() {
            issues.push(Issue::error(
                "after",
                "cursor_invalid",
                "after must be the non-empty cursor of the previous page.",
            ));
        }
        url.push_str("&after=");
        url.push_str(&encode_component(after));
    }
    if issues.iter().any(Issue::is_error) {
        return Err(Error::Validation { issues });
    }
    Ok(url)
}
