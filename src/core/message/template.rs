//! Template messages (`platform-rules.md` §2.3): the seed's `send_template` action.

use super::components::{components_from_json, send_component_issues};
use super::{
    finish, push_components, recipient, sender_issues, BuildOptions, ButtonIndex, SendComponent,
    SendParameter,
};
use crate::core::error::{Error, Issue};
use crate::core::json::{push_json_str, Reader};
use crate::core::request::{ApiRequest, Method};
use crate::core::template::{
    bind, language_issue, name_issues, template_values_from_json, BodyValues, TemplateValues,
};
use serde::Deserialize;
use serde_json::Value;

/// Input of [`build_send_template`] (JS `buildSendTemplate`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendTemplateInput {
    /// Sender phone number id (digits).
    pub phone_number_id: String,
    /// Recipient.
    pub to: String,
    /// Approved template name.
    pub template_name: String,
    /// Language code of the approved translation (default `en_US`).
    pub language: Option<String>,
    /// The seed's `template_parameters`: body values as an array (or a JSON array string), an
    /// object of named values, or per component (`{header, body, buttons}`).
    pub parameters: Option<Value>,
    /// Header / body / button components in Meta's send shape.
    pub components: Option<Vec<SendComponent>>,
    /// The approved template (as `get_templates` returns it): when given, every value is checked
    /// against it and the components are produced by `bind_template_parameters`.
    pub template: Option<Value>,
}

impl SendTemplateInput {
    /// Reads the JS input shape from JSON.
    pub fn from_json(v: &Value) -> Result<Self, Vec<Issue>> {
        let mut r = Reader::new(v, "", "an object");
        let components = r
            .value("components")
            .map(|c| components_from_json(c, "components", &mut r.issues));
        let input = SendTemplateInput {
            phone_number_id: r.string("phoneNumberId"),
            to: r.string("to"),
            template_name: r.string("templateName"),
            language: r.opt_string("language"),
            parameters: r.value("parameters").cloned(),
            components,
            template: r.value("template").cloned(),
        };
        r.finish(input)
    }
}

/// Builds `POST /{phone_number_id}/messages` with a template body.
///
/// ```
/// use whatsapp_business::{build_send_template, BuildOptions, SendTemplateInput};
/// let req = build_send_template(&SendTemplateInput {
///     phone_number_id: "1234567890".into(), to: "27821234567".into(),
///     template_name: "order_confirmation".into(),
///     parameters: Some(serde_json::json!(["John", "12345", "R500", "Dec 25"])),
///     ..Default::default()
/// }, &BuildOptions::default()).unwrap();
/// assert!(req.body.unwrap().starts_with(r#"{"messaging_product":"whatsapp","to":"27821234567","type":"template""#));
/// ```
pub fn build_send_template(
    input: &SendTemplateInput,
    opts: &BuildOptions,
) -> Result<ApiRequest, Error> {
    let mut issues = Vec::new();
    sender_issues(&input.phone_number_id, &mut issues);
    let to = recipient(&input.to, &mut issues);
    issues.extend(name_issues(&input.template_name, "templateName"));
    let language = input.language.as_deref().unwrap_or("en_US");
    language_issue(language, "language", &mut issues);

    let values = match &input.parameters {
        None => TemplateValues::default(),
        Some(v) => template_values_from_json(v, "parameters").unwrap_or_else(|mut is| {
            issues.append(&mut is);
            TemplateValues::default()
        }),
    };
    let explicit: &[SendComponent] = input.components.as_deref().unwrap_or(&[]);
    issues.extend(send_component_issues(explicit, "components"));

    let components = match &input.template {
        Some(template) => {
            if let Some(name) = template.get("name").and_then(Value::as_str) {
                if !input.template_name.is_empty() && name != input.template_name {
                    issues.push(Issue::error(
                        "template.name",
                        "binding_template_mismatch",
                        format!(
                            "templateName is \"{}\" but the template given is \"{name}\".",
                            input.template_name
                        ),
                    ));
                }
            }
            let merged = merge(values, explicit, &mut issues);
            let mut bind_issues = Vec::new();
            let comps = bind(template, &merged, &mut bind_issues);
            issues.append(&mut bind_issues);
            comps
        }
        None => without_template(values, explicit, &mut issues),
    };

    let url = opts.url(&format!("{}/messages", input.phone_number_id), &mut issues);
    let mut body = String::with_capacity(160 + 48 * components.len());
    body.push_str("{\"messaging_product\":\"whatsapp\",\"to\":");
    push_json_str(&mut body, &to);
    body.push_str(",\"type\":\"template\",\"template\":{\"name\":");
    push_json_str(&mut body, &input.template_name);
    body.push_str(",\"language\":{\"code\":");
    push_json_str(&mut body, language);
    body.push('}');
    if !components.is_empty() {
        body.push_str(",\"components\":");
        push_components(&mut body, &components);
    }
    body.push_str("}}");
    finish(Method::Post, url, Some(body), issues)
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

/// Components straight from the values (no template to check against): header, body, buttons.
fn without_template(
    values: TemplateValues,
    explicit: &[SendComponent],
    issues: &mut Vec<Issue>,
) -> Vec<SendComponent> {
    let mut out: Vec<SendComponent> = Vec::with_capacity(explicit.len() + 1);
    if let Some(h) = values.header {
        if explicit.iter().any(|c| c.kind == "header") {
            issues.push(Issue::error(
                "parameters.header",
                "send_component_duplicate",
                "The header value is given twice (parameters and components).",
            ));
        }
        out.push(SendComponent {
            kind: "header".into(),
            parameters: vec![h],
            ..Default::default()
        });
    }
    out.extend(explicit.iter().filter(|c| c.kind == "header").cloned());
    if let Some(body) = values.body {
        if let Some(i) = explicit.iter().position(|c| c.kind == "body") {
            issues.push(body_twice(i));
        }
        let parameters: Vec<SendParameter> = match body {
            BodyValues::Positional(v) => v.into_iter().map(SendParameter::text).collect(),
            BodyValues::Named(n) => n
                .into_iter()
                .map(|(k, v)| SendParameter::named_text(k, v))
                .collect(),
        };
        for (i, p) in parameters.iter().enumerate() {
            if let Some(t) = &p.text {
                let path = match &p.parameter_name {
                    Some(n) => format!("parameters.{n}"),
                    None => format!("parameters[{i}]"),
                };
                super::components::text_value_issues(t, false, false, &path, issues);
            }
        }
        if !parameters.is_empty() {
            out.push(SendComponent {
                kind: "body".into(),
                parameters,
                ..Default::default()
            });
        }
    }
    out.extend(explicit.iter().filter(|c| c.kind == "body").cloned());
    if !values.buttons.is_empty() {
        issues.push(Issue::error(
            "parameters.buttons",
            "button_values_need_template",
            "Button values given as plain values need the approved template (template) to know each button's type; otherwise pass them as components with sub_type and index.",
        ));
    }
    // Buttons in index order; a plain scan (no sort code in the wasm for at most 10 items).
    // Components without a valid index (0-9) were reported by send_component_issues.
    for n in 0..=9 {
        out.extend(
            explicit
                .iter()
                .filter(|c| c.kind == "button" && c.index == Some(ButtonIndex(n)))
                .cloned(),
        );
    }
    out
}
