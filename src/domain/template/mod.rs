//! Message templates: definition rules, send-time parameter binding and preview.

pub(crate) mod binding;
mod definition;
mod languages;
mod name;
pub(crate) mod preview;
mod requests;
mod variables;

pub use binding::{
    bind_template_parameters, template_values_from_json, Binding, BodyValues, TemplateValues,
};
pub use definition::{
    validate_template, Category, BODY_MAX_LEN, BUTTONS_MAX, BUTTON_TEXT_MAX_LEN,
    BUTTON_URL_MAX_LEN, FOOTER_MAX_LEN, HEADER_TEXT_MAX_LEN,
};
pub use languages::{is_supported_language, supported_languages, SUPPORTED_LANGUAGES};
pub use name::{validate_template_name, TEMPLATE_NAME_MAX_LEN};
pub use preview::{render_template_preview, Preview, PreviewButton, PreviewPart, Span};
pub use requests::{
    build_create_template, build_get_templates, CreateTemplateInput, GetTemplatesInput,
    TEMPLATE_FIELDS, TEMPLATE_STATUSES,
};
pub use variables::ParameterFormat;

pub(crate) use binding::{bind, template_values};
pub(crate) use definition::language_issue;
pub(crate) use name::name_issues;
pub(crate) use requests::{create_template, get_templates};

/// A template's `components` value as `get_templates` gives it: an array, or (as some proxies
/// store it) the array as JSON text, parsed into `inner`. `None` when there is none; text that is
/// not a JSON array reads as no components. Items as [`finite`](crate::domain::input::finite)
/// reads them.
pub(crate) fn components_of<'a>(
    components: Option<crate::domain::json::Json<'a>>,
    inner: &'a mut Option<crate::domain::json::Doc<'a>>,
) -> Option<Vec<crate::domain::json::Json<'a>>> {
    use crate::domain::input::finite;
    use crate::domain::json::{Doc, Json};
    let items = |a: crate::domain::json::Array<'a>| a.iter().map(finite).collect();
    match components {
        Some(Json::Array(a)) => Some(items(a)),
        Some(Json::String(s)) => Some(match Doc::parse(s) {
            Ok(doc) => match inner.insert(doc).root() {
                Json::Array(a) => items(a),
                _ => Vec::new(),
            },
            Err(_) => Vec::new(),
        }),
        _ => None,
    }
}
