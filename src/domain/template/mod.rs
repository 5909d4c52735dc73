//! Message templates: definition rules, send-time parameter binding and preview.

mod binding;
mod definition;
mod languages;
mod name;
mod preview;
mod requests;
mod variables;

pub use binding::{
    bind_template_parameters, template_values_from_json, Binding, BodyValues, TemplateValues,
};
pub use definition::{
    validate_template, validate_template_json, Category, BODY_MAX_LEN, BUTTONS_MAX,
    BUTTON_TEXT_MAX_LEN, BUTTON_URL_MAX_LEN, FOOTER_MAX_LEN, HEADER_TEXT_MAX_LEN,
};
pub use languages::{is_supported_language, supported_languages, SUPPORTED_LANGUAGES};
pub use name::{validate_template_name, TEMPLATE_NAME_MAX_LEN};
pub use preview::{render_template_preview, Preview, PreviewButton, PreviewPart, Span};
pub use requests::{
    build_create_template, build_get_templates, CreateTemplateInput, GetTemplatesInput,
    TEMPLATE_FIELDS, TEMPLATE_STATUSES,
};
pub use variables::ParameterFormat;

pub(crate) use binding::{bind, read_values, ValuesRef};
pub(crate) use definition::language_issue;
pub(crate) use name::name_issues;
pub(crate) use requests::{create_template, get_templates};

/// A template's `components` value as `get_templates` gives it: an array, or (as some proxies
/// store it) the array as JSON text. `None` when there is none; text that is not a JSON array reads
/// as no components.
pub(crate) fn components_of(
    components: Option<&serde_json::Value>,
) -> Option<std::borrow::Cow<'_, [serde_json::Value]>> {
    use serde_json::Value;
    match components {
        Some(Value::Array(a)) => Some(std::borrow::Cow::Borrowed(a)),
        Some(Value::String(s)) => Some(std::borrow::Cow::Owned(
            match crate::domain::input::parse_owned(s) {
                Ok(Value::Array(a)) => a,
                _ => Vec::new(),
            },
        )),
        _ => None,
    }
}
