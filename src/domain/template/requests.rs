//! Template management requests: the seed's `create_template` (`POST /{waba_id}/message_templates`)
//! and `get_templates` (`GET /{waba_id}/message_templates`), `platform-rules.md` §1.1.

use super::definition::{template_issues_serde, Category};
use super::variables::ParameterFormat;
use crate::domain::error::{Error, Issue};
use crate::domain::input::Reader;
use crate::domain::json::push_value;
use crate::domain::json::RawJson;
use crate::domain::request::ApiRequest;
use crate::domain::url::{encode_component, id_issues, post_to, BuildOptions, Post};
use serde::Deserialize;
use serde_json::{Map, Value};

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
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateTemplateInput {
    /// WhatsApp Business Account id (digits).
    pub business_account_id: String,
    /// Template name (`^[a-z0-9_]+$`).
    pub name: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// Language code (default `en_US`).
    pub language: Option<String>,
    /// The components array, or the seed's `template_components` JSON string.
    pub components: Value,
    /// `positional` (default) or `named`.
    pub parameter_format: Option<String>,
    /// The other top-level fields Meta documents for `POST /{waba_id}/message_templates`
    /// (`CREATE_TEMPLATE_FIELDS`), as given: forwarded as their JSON text.
    #[serde(skip)]
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
    /// Reads the JS input shape from JSON.
    pub fn from_json(v: &Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let input = Self::read(&mut r);
        r.finish(input)
    }

    /// Reads the members (wrong types are issues in `r`).
    pub(crate) fn read(r: &mut Reader<'_>) -> Self {
        CreateTemplateInput {
            business_account_id: r.string("businessAccountId"),
            name: r.string("name"),
            category: r.string("category"),
            language: r.opt_string("language"),
            components: r
                .any("components")
                .map_or(Value::Null, |c| c.to_serde().into_owned()),
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
            out.push(((*snake).to_owned(), RawJson::of_any(v)));
        }
    }
    out
}

/// Builds `POST /{waba_id}/message_templates` after [`validate_template`](super::validate_template)
/// (any error → [`Error::Validation`] with every issue).
///
/// ```
/// use whatsapp_business::{build_create_template, BuildOptions, CreateTemplateInput};
/// let input = CreateTemplateInput::from_json(&serde_json::json!({
///     "businessAccountId": "102290129340398", "name": "order_shipped",
///     "category": "UTILITY", "language": "en_US",
///     "components": [{"type": "BODY", "text": "Order {{1}} has shipped.",
///                     "example": {"body_text": [["A1001"]]}}]
/// }))
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

/// [`build_create_template`] with borrowed options, as one string (URL then body).
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
    let components = match &input.components {
        Value::String(s) => crate::domain::input::parse_owned(s).unwrap_or_else(|e| {
            issues.push(Issue::error(
                "components",
                "invalid_json",
                format!("components is a string but not valid JSON ({}).", e),
            ));
            Value::Array(Vec::new())
        }),
        other => other.clone(),
    };
    let mut def = Map::new();
    def.insert("name".into(), Value::String(input.name.clone()));
    def.insert(
        "language".into(),
        Value::String(input.language.clone().unwrap_or_else(|| "en_US".into())),
    );
    let category = Category::parse(&input.category).map_or_else(
        || input.category.clone(),
        |_| input.category.to_ascii_uppercase(),
    );
    def.insert(
        "category".into(),
        if input.category.is_empty() {
            Value::Null
        } else {
            Value::String(category)
        },
    );
    if let Some(f) = &input.parameter_format {
        let f = ParameterFormat::parse(f).map_or_else(|| f.clone(), |_| f.to_ascii_lowercase());
        def.insert("parameter_format".into(), Value::String(f));
    }
    def.insert(
        "components".into(),
        if components.is_null() {
            Value::Null
        } else {
            components
        },
    );
    let def = Value::Object(def);
    issues.extend(
        template_issues_serde(&def)
            .into_iter()
            .filter(|i| !(i.code == "invalid_json" && i.path == "components")),
    );
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
    push_value(&mut post.body, &def);
    if !input.extra.is_empty() && post.body.ends_with('}') {
        post.body.pop();
        for (key, v) in &input.extra {
            post.body.push(',');
            crate::domain::json::push_json_str(&mut post.body, key);
            post.body.push(':');
            post.body.push_str(v.as_str());
        }
        post.body.push('}');
    }
    Ok(post)
}

/// Input of [`build_get_templates`] (JS `buildGetTemplates`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
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
    /// Reads the JS input shape from JSON.
    pub fn from_json(v: &Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let input = Self::read(&mut r);
        r.finish(input)
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
/// let input = GetTemplatesInput::from_json(&serde_json::json!({
///     "businessAccountId": "102290129340398", "status": "APPROVED"
/// }))
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

/// [`build_get_templates`] with borrowed options: the URL.
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
