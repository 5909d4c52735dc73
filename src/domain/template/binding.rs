//! `bindTemplateParameters`: turn the values a user supplies into the `components` of a template
//! message, checked against the approved template as `get_templates` returns it — the local
//! guard against Meta's 132000 (parameter count mismatch) and 132012 (parameter format mismatch).

use super::variables::{scan, Var};
use crate::domain::components::{ButtonIndex, MediaRef, SendComponent, SendParameter};
use crate::domain::error::{Issue, Validation};
use crate::domain::input::{
    entries, field, finite, index, join_strs, member, parse_input, wrong_type, Path,
};
use crate::domain::json::{Doc, Json};
use crate::domain::json::{Obj, ToJson};

/// Body values: in order (`{{1}}`, `{{2}}`, …) or by name (also used for a named header variable).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyValues {
    /// Values for `{{1}}`, `{{2}}`, ….
    Positional(Vec<String>),
    /// `(name, value)` pairs for `{{first_name}}`-style variables (header and body).
    Named(Vec<(String, String)>),
}

impl BodyValues {
    /// By name (`{{first_name}}`) rather than in order?
    pub(crate) fn is_named(&self) -> bool {
        matches!(self, BodyValues::Named(_))
    }

    /// The `(name, value)` pairs in order; the names are empty for positional values.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let (positional, named): (&[String], &[(String, String)]) = match self {
            BodyValues::Positional(v) => (v, &[]),
            BodyValues::Named(n) => (&[], n),
        };
        positional
            .iter()
            .map(|v| ("", v.as_str()))
            .chain(named.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// What a user supplies to fill a template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateValues {
    /// Body (and named header) values.
    pub body: Option<BodyValues>,
    /// The header parameter: a `text` value, or media / location / currency / date_time.
    pub header: Option<SendParameter>,
    /// Button parameters by button position. A plain `text` parameter is converted to what the
    /// button needs (URL suffix, quick-reply payload, coupon code).
    pub buttons: Vec<(u32, SendParameter)>,
}

/// The result of [`bind_template_parameters`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Binding {
    /// `true` when no issue is an error.
    pub valid: bool,
    /// Every issue found.
    pub issues: Vec<Issue>,
    /// The send components (empty when invalid).
    pub components: Vec<SendComponent>,
}

/// Reads values from JSON text: an array (positional body values), a JSON string of one, an
/// object of named values (`{"first_name": "Ann"}`), or per component
/// (`{"header": …, "body": […] | {…}, "buttons": [value | null, …]}` — recognised when one of
/// those keys holds a non-string value). Numbers and booleans are accepted as text. Issues are
/// at `path`; text that is not JSON is one `invalid_json` issue.
pub fn template_values_from_json(text: &str, path: &str) -> Result<TemplateValues, Vec<Issue>> {
    let doc = parse_input(text, path, path).map_err(|i| vec![i])?;
    template_values(doc.root(), path)
}

/// [`template_values_from_json`] of a parsed value. A JSON text given as a string is parsed
/// and read the same way.
pub(crate) fn template_values(v: Json<'_>, path: &str) -> Result<TemplateValues, Vec<Issue>> {
    let v = finite(v);
    let inner;
    let entries = match v.as_str() {
        None => entries(v),
        Some(s) => match Doc::parse(s) {
            Ok(doc) => {
                inner = doc;
                entries(inner.root())
            }
            Err(_) => None,
        }
        .map(Some)
        .ok_or_else(|| {
            vec![Issue::error(
                path,
                "parameters_invalid_json",
                format!("{path} is a string but not a JSON array of values such as [\"John\", \"12345\"]."),
            )]
        })?,
    };
    let mut issues = Vec::new();
    let mut out = TemplateValues::default();
    match entries {
        Some((true, o))
            if o.iter()
                .any(|(k, x)| matches!(*k, "header" | "body" | "buttons") && !x.is_string()) =>
        {
            per_component_values(o, path, &mut out, &mut issues);
        }
        Some((named, e)) => out.body = Some(body(named, e, Path::at(path), &mut issues)),
        None if v.is_null() => {}
        None => issues.push(wrong_type(
            path,
            v,
            "an array of values, an object of named values or a JSON array string",
        )),
    }
    if issues.iter().any(Issue::is_error) {
        Err(issues)
    } else {
        Ok(out)
    }
}

/// A string, or a number or boolean as text; a number keeps its JSON text (`1.50` is sent as
/// `1.50`, a 24-digit order number as its 24 digits).
fn scalar(v: Json<'_>) -> Option<&str> {
    match v {
        Json::String(s) => Some(s),
        Json::Number(n) => Some(n.as_str()),
        Json::Bool(true) => Some("true"),
        Json::Bool(false) => Some("false"),
        _ => None,
    }
}

/// Body values: the items of an array (in order) or the members of an object (`named`), each a
/// string, number or boolean (else an issue at `path[i]` / `path.name`).
fn body(
    named: bool,
    entries: Vec<(&str, Json<'_>)>,
    path: Path<'_>,
    issues: &mut Vec<Issue>,
) -> BodyValues {
    let mut by_name = Vec::new();
    let mut in_order = Vec::new();
    for (i, (k, x)) in entries.into_iter().enumerate() {
        match scalar(x) {
            Some(s) if named => by_name.push((k.to_owned(), s.to_owned())),
            Some(s) => in_order.push(s.to_owned()),
            None => {
                let at = if named { path.key(k) } else { path.index(i) };
                issues.push(wrong_type(&at.render(), x, "a string"));
            }
        }
    }
    if named {
        BodyValues::Named(by_name)
    } else {
        BodyValues::Positional(in_order)
    }
}

fn parameter(v: Json<'_>, path: &str, issues: &mut Vec<Issue>) -> Option<SendParameter> {
    if let Some(s) = scalar(v) {
        return Some(SendParameter::text(s));
    }
    match entries(v) {
        Some((true, _)) => match SendParameter::read(v, Path::at(path)) {
            Ok(p) => Some(p),
            Err(mut is) => {
                issues.append(&mut is);
                None
            }
        },
        Some((false, a)) if a.len() == 1 => a
            .first()
            .and_then(|(_, x)| parameter(*x, &index(path, 0), issues)),
        _ => {
            issues.push(wrong_type(path, v, "a string or a parameter object"));
            None
        }
    }
}

fn per_component_values(
    o: Vec<(&str, Json<'_>)>,
    path: &str,
    out: &mut TemplateValues,
    issues: &mut Vec<Issue>,
) {
    let base = Path::at(path);
    for (k, v) in o {
        let p = base.key(k);
        match k {
            "header" => {
                out.header = if v.is_null() {
                    None
                } else {
                    parameter(v, &p.render(), issues)
                }
            }
            "body" => match entries(v) {
                Some((named, e)) => out.body = Some(body(named, e, p, issues)),
                None if v.is_null() => {}
                None => issues.push(wrong_type(
                    &p.render(),
                    v,
                    "an array or an object of named values",
                )),
            },
            "buttons" => match entries(v) {
                Some((false, a)) => {
                    let p = p.render();
                    for (i, (_, b)) in a.into_iter().enumerate() {
                        if b.is_null() {
                            continue;
                        }
                        if let (Some(prm), Ok(idx)) =
                            (parameter(b, &index(&p, i), issues), u32::try_from(i))
                        {
                            out.buttons.push((idx, prm));
                        }
                    }
                }
                None if v.is_null() => {}
                _ => issues.push(wrong_type(
                    &p.render(),
                    v,
                    "an array with one value (or null) per button",
                )),
            },
            _ => issues.push(Issue::error(
                p.render(),
                "parameters_unknown_key",
                format!("\"{k}\" is not header, body or buttons."),
            )),
        }
    }
}

/// The string member `key` of `v`, when `v` is an object that has one.
fn str_of<'a>(v: Option<Json<'a>>, key: &str) -> Option<&'a str> {
    v.and_then(|v| member(v, key)).and_then(Json::as_str)
}

/// The variables of a text, as names (`"1"`, `"first_name"`).
fn var_names(text: &str) -> Vec<String> {
    scan(text)
        .vars()
        .filter_map(|v| match v {
            Var::Positional(n) => Some(n.to_string()),
            Var::Named(n) => Some(n.to_owned()),
            Var::Invalid(_) => None,
        })
        .collect()
}

fn is_positional(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_digit())
}

/// Checks `values` against an approved template (`{name, language, status, category,
/// parameter_format?, components}` as `get_templates` returns it) and produces the send
/// `components`: header, body, then buttons in template order.
///
/// ```
/// use whatsapp_business::{bind_template_parameters, template_values_from_json};
/// let template = r#"{"name": "order_shipped", "language": "en_US",
///     "components": [{"type": "BODY", "text": "Order {{1}} has shipped."}]}"#;
/// let values = template_values_from_json(r#"{"body": ["A1001"]}"#, "values").unwrap();
/// let bound = bind_template_parameters(template, &values);
/// assert!(bound.valid, "{:?}", bound.issues);
/// assert_eq!(bound.components.len(), 1);
/// ```
/// `template` is its JSON text; text that is not JSON is one `invalid_json` issue.
pub fn bind_template_parameters(template: &str, values: &TemplateValues) -> Binding {
    match parse_input(template, "template", "template") {
        Ok(doc) => binding(doc.root(), values),
        Err(issue) => Binding {
            valid: false,
            issues: vec![issue],
            components: Vec::new(),
        },
    }
}

/// [`bind_template_parameters`] of a parsed template.
pub(crate) fn binding(template: Json<'_>, values: &TemplateValues) -> Binding {
    let mut issues = Vec::new();
    let components = bind(template, values, &mut issues);
    let v = Validation::from_issues(issues);
    Binding {
        components: if v.valid { components } else { Vec::new() },
        valid: v.valid,
        issues: v.issues,
    }
}

pub(crate) fn bind(
    template: Json<'_>,
    values: &TemplateValues,
    issues: &mut Vec<Issue>,
) -> Vec<SendComponent> {
    let mut out = Vec::new();
    let template = finite(template);
    if !template.is_object() {
        issues.push(wrong_type(
            "template",
            template,
            "a template object as get_templates returns it",
        ));
        return out;
    };
    if let Some(status) = str_of(Some(template), "status") {
        if !status.eq_ignore_ascii_case("APPROVED") {
            issues.push(Issue::warning(
                "template.status",
                "template_not_approved",
                format!("The template is {status}; only APPROVED templates can be sent (Meta answers 132001/132015/132016)."),
            ));
        }
    }
    let auth = str_of(Some(template), "category")
        .is_some_and(|c| c.eq_ignore_ascii_case("AUTHENTICATION"));
    let mut inner = None;
    let Some(comps) = super::components_of(member(template, "components"), &mut inner) else {
        issues.push(Issue::error(
            "template.components",
            "binding_template_invalid",
            "The template has no components array.",
        ));
        return out;
    };
    let find = |ty: &str| {
        comps
            .iter()
            .copied()
            .find(|c| str_of(Some(*c), "type").is_some_and(|x| x.eq_ignore_ascii_case(ty)))
    };
    let (header, body, buttons) = (find("HEADER"), find("BODY"), find("BUTTONS"));
    let text_of = |c| str_of(c, "text").unwrap_or("");
    let header_vars = var_names(text_of(header));
    // An authentication template in creation shape has no body text: Meta fixes it to
    // "{{1}} is your verification code." (platform-rules §1.7), so its one variable is the code.
    let body_vars = if auth && text_of(body).is_empty() {
        vec!["1".to_owned()]
    } else {
        var_names(text_of(body))
    };

    // Named values may belong to the header or the body; positional values are the body's.
    let named_values: Vec<(String, String)> = match &values.body {
        Some(BodyValues::Named(n)) => n.clone(),
        _ => Vec::new(),
    };
    let mut used_names: Vec<&str> = Vec::new();

    // Header.
    let header_format = str_of(header, "format")
        .map(str::to_ascii_uppercase)
        .unwrap_or_default();
    let hpath = "values.header";
    match (header_format.as_str(), header.is_some()) {
        ("TEXT", true) if !header_vars.is_empty() => {
            let name = header_vars.first().map(String::as_str).unwrap_or("1");
            let named_param = (!is_positional(name)).then_some(name);
            let mut prm = match (&values.header, named_param) {
                (Some(p), _) => Some(p.clone()),
                (None, Some(n)) => named_values.iter().find(|(k, _)| k == n).map(|(_, v)| SendParameter::text(v.clone())),
                (None, None) => None,
            };
            if let Some(n) = named_param {
                used_names.push(n);
            }
            match prm.as_mut() {
                None => issues.push(Issue::error(
                    hpath,
                    "binding_missing_value",
                    format!("The header has the variable {{{{{name}}}}} but no value was given for it."),
                )),
                Some(p) => {
                    if p.kind != "text" && p.kind != "currency" && p.kind != "date_time" {
                        issues.push(Issue::error(hpath, "binding_type_mismatch", format!("The header is TEXT; a {} value cannot fill it.", p.kind)));
                    }
                    if let Some(n) = named_param {
                        p.parameter_name = Some(n.to_owned());
                    }
                    if let Some(text) = &p.text {
                        crate::domain::components::text_value_issues(text, true, false, Path::at(hpath).key("text"), issues);
                    }
                    out.push(SendComponent { kind: "header".into(), parameters: vec![p.clone()], ..Default::default() });
                }
            }
        }
        (f @ ("IMAGE" | "VIDEO" | "DOCUMENT"), true) => {
            let kind = f.to_ascii_lowercase();
            match &values.header {
                None => issues.push(Issue::error(
                    hpath,
                    "binding_missing_value",
                    format!("The header is {f}: give a media link or id for it (e.g. header: \"https://example.com/file\")."),
                )),
                Some(p) => {
                    let prm = if p.kind == "text" {
                        let s = p.text.clone().unwrap_or_default();
                        let media = if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
                            MediaRef { id: Some(s), ..Default::default() }
                        } else {
                            MediaRef { link: Some(s), ..Default::default() }
                        };
                        SendParameter::media(&kind, media)
                    } else if p.kind == kind {
                        p.clone()
                    } else {
                        issues.push(Issue::error(hpath, "binding_type_mismatch", format!("The header is {f}; a {} value cannot fill it.", p.kind)));
                        p.clone()
                    };
                    let comp = SendComponent { kind: "header".into(), parameters: vec![prm], ..Default::default() };
                    issues.extend(crate::domain::components::send_component_issues(std::slice::from_ref(&comp), "values.header[]").into_iter().map(|mut i| {
                        if let Some(rest) = i.path.strip_prefix("values.header[][0].parameters[0]") {
                            i.path = format!("{hpath}{rest}");
                        }
                        i
                    }));
                    out.push(comp);
                }
            }
        }
        ("LOCATION", true) => match &values.header {
            Some(p) if p.kind == "location" => {
                out.push(SendComponent { kind: "header".into(), parameters: vec![p.clone()], ..Default::default() });
            }
            Some(p) => issues.push(Issue::error(hpath, "binding_type_mismatch", format!("The header is LOCATION; a {} value cannot fill it.", p.kind))),
            None => issues.push(Issue::error(
                hpath,
                "binding_missing_value",
                "The header is LOCATION: give {type: \"location\", location: {latitude, longitude, name?, address?}}.",
            )),
        },
        _ => {
            if values.header.is_some() {
                issues.push(Issue::error(hpath, "binding_unexpected_value", "A header value was given but the template's header has no variable."));
            }
        }
    }

    // Body.
    let bpath = "values.body";
    let body_named = body_vars.iter().any(|n| !is_positional(n));
    let mut body_params: Vec<SendParameter> = Vec::new();
    let mut mismatch = false;
    if body_named {
        if matches!(values.body, Some(BodyValues::Positional(ref v)) if !v.is_empty()) {
            issues.push(Issue::error(
                bpath,
                "binding_format_mismatch",
                format!("The template uses named variables ({}); give an object such as {{\"{}\": \"…\"}} instead of a list (Meta error 132012).",
                    join_strs(&body_vars.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>(), ", "),
                    body_vars.first().map(String::as_str).unwrap_or("name")),
            ));
        } else {
            for name in &body_vars {
                used_names.push(name);
                match named_values.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => {
                        crate::domain::components::text_value_issues(
                            v,
                            false,
                            false,
                            Path::at(bpath).key(name),
                            issues,
                        );
                        body_params.push(SendParameter::named_text(name.clone(), v.clone()));
                    }
                    None => issues.push(Issue::error(
                        bpath,
                        "binding_missing_value",
                        format!("No value for the body variable {{{{{name}}}}}."),
                    )),
                }
            }
        }
    } else {
        let given: &[String] = match &values.body {
            Some(BodyValues::Positional(v)) => v,
            Some(BodyValues::Named(n)) if !n.is_empty() && !body_vars.is_empty() => {
                mismatch = true;
                issues.push(Issue::error(
                    bpath,
                    "binding_format_mismatch",
                    format!("The template uses numbered variables {{{{1}}}}…{{{{{}}}}}; give a list of values in order, not names (Meta error 132012).", body_vars.len()),
                ));
                &[]
            }
            _ => &[],
        };
        if !mismatch && given.len() != body_vars.len() {
            issues.push(Issue::error(
                bpath,
                "binding_count_mismatch",
                format!(
                    "The body expects {} value(s){} but {} were given (Meta would answer 132000).",
                    body_vars.len(),
                    if body_vars.is_empty() {
                        String::new()
                    } else {
                        format!(" for {{{{1}}}}…{{{{{}}}}}", body_vars.len())
                    },
                    given.len()
                ),
            ));
        }
        for (i, v) in given.iter().enumerate().take(body_vars.len()) {
            crate::domain::components::text_value_issues(
                v,
                false,
                false,
                Path::at(bpath).index(i),
                issues,
            );
            body_params.push(SendParameter::text(v.clone()));
        }
    }
    for (k, _) in named_values.iter().filter(|_| !mismatch) {
        if !used_names.contains(&k.as_str()) {
            issues.push(Issue::error(
                field(bpath, k),
                "binding_unknown_name",
                format!(
                    "\"{k}\" is not a variable of this template{}.",
                    if body_vars.is_empty() && header_vars.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (its variables: {})",
                            join_strs(
                                &header_vars
                                    .iter()
                                    .chain(body_vars.iter())
                                    .map(|n| format!("{{{{{n}}}}}"))
                                    .collect::<Vec<_>>(),
                                ", "
                            )
                        )
                    }
                ),
            ));
        }
    }
    if !body_params.is_empty() {
        out.push(SendComponent {
            kind: "body".into(),
            parameters: body_params.clone(),
            ..Default::default()
        });
    }

    // Buttons.
    let template_buttons: Vec<Json<'_>> = buttons
        .and_then(|b| member(b, "buttons"))
        .and_then(Json::as_array)
        .map_or_else(Vec::new, |a| a.iter().map(finite).collect());
    for (i, &b) in template_buttons.iter().enumerate() {
        let Ok(idx) = u32::try_from(i) else { continue };
        let ty = str_of(Some(b), "type").unwrap_or("").to_ascii_uppercase();
        let given = values
            .buttons
            .iter()
            .find(|(n, _)| *n == idx)
            .map(|(_, p)| p);
        let p = index("values.buttons", i);
        let url_has_var = str_of(Some(b), "url").is_some_and(super::variables::has_open);
        let (sub_type, needed) = match ty.as_str() {
            "URL" if auth => ("url", true),
            "OTP" => ("url", true),
            "URL" => ("url", url_has_var),
            "COPY_CODE" => ("copy_code", true),
            "QUICK_REPLY" => ("quick_reply", false),
            "FLOW" => ("flow", false),
            _ => ("", false),
        };
        let value = match given {
            Some(v) => Some(v.clone()),
            // Authentication: the one-time code goes in the body and in the button.
            None if auth && sub_type == "url" => body_params.first().cloned().map(|mut p| {
                p.parameter_name = None;
                p
            }),
            None => None,
        };
        match value {
            None if needed => issues.push(Issue::error(
                &p,
                "binding_missing_value",
                match sub_type {
                    "copy_code" => format!(
                        "Button {} (COPY_CODE) needs the coupon code to copy.",
                        i + 1
                    ),
                    _ => format!(
                        "Button {} (URL {}) needs the value for its {{{{1}}}} suffix.",
                        i + 1,
                        str_of(Some(b), "url").unwrap_or("")
                    ),
                },
            )),
            None => {}
            Some(v) => {
                if sub_type.is_empty() || (sub_type == "url" && !needed) {
                    issues.push(Issue::error(
                        &p,
                        "binding_unexpected_value",
                        format!("Button {} ({ty}) takes no value.", i + 1),
                    ));
                    continue;
                }
                let prm = if v.kind == "text" {
                    let s = v.text.clone().unwrap_or_default();
                    match sub_type {
                        "quick_reply" => SendParameter::payload(s),
                        "copy_code" => SendParameter::coupon_code(s),
                        _ => SendParameter::text(s),
                    }
                } else {
                    v
                };
                let comp = SendComponent {
                    kind: "button".into(),
                    sub_type: Some(sub_type.to_owned()),
                    index: Some(ButtonIndex(idx)),
                    parameters: vec![prm],
                    cards: Vec::new(),
                };
                for mut issue in crate::domain::components::send_component_issues(
                    std::slice::from_ref(&comp),
                    "b",
                ) {
                    issue.path = format!(
                        "{p}{}",
                        issue.path.strip_prefix("b[0]").unwrap_or(&issue.path)
                    );
                    issues.push(issue);
                }
                out.push(comp);
            }
        }
    }
    for (n, _) in &values.buttons {
        if usize::try_from(*n).map_or(true, |n| n >= template_buttons.len()) {
            issues.push(Issue::error(
                index("values.buttons", usize::try_from(*n).unwrap_or(usize::MAX)),
                "binding_unexpected_value",
                format!(
                    "The template has {} button(s); there is no button {}.",
                    template_buttons.len(),
                    n + 1
                ),
            ));
        }
    }
    out
}

impl ToJson for Binding {
    fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.field("valid", &self.valid)
            .field("issues", &self.issues)
            .with("components", |out| {
                crate::domain::components::push_components(out, &self.components)
            })
            .end();
    }
}
