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
