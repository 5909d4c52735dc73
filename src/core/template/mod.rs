//! Message templates: definition rules, send-time parameter binding and preview.

mod name;

pub use name::{validate_template_name, TEMPLATE_NAME_MAX_LEN};
