//! `validateTemplate`: a create-template definition checked against every rule of
//! `platform-rules.md` §1.2–§1.7, reporting all issues with JSON-path-like paths.
//!
//! The definition is read as untrusted JSON (`serde_json::Value`) so that a value of the wrong type
//! becomes an issue at its path instead of aborting the whole check.

use super::languages::{is_supported_language, suggest_language};
use super::name::name_issues;
use super::variables::{check, ParameterFormat, Placement, VarName, VarSummary};
use crate::core::error::{Issue, Validation};
use crate::core::json::{char_len, field, index, type_name, wrong_type};
use serde_json::{Map, Value};

/// Longest TEXT header.
pub const HEADER_TEXT_MAX_LEN: usize = 60;
/// Longest body.
pub const BODY_MAX_LEN: usize = 1024;
/// Longest footer.
pub const FOOTER_MAX_LEN: usize = 60;
/// Most buttons in one template (all types together).
pub const BUTTONS_MAX: usize = 10;
/// Longest button label.
pub const BUTTON_TEXT_MAX_LEN: usize = 25;
/// Longest URL of a URL button.
pub const BUTTON_URL_MAX_LEN: usize = 2000;
/// Longest phone number of a PHONE_NUMBER button (with `+` and country code).
pub const BUTTON_PHONE_MAX_LEN: usize = 20;
/// Longest COPY_CODE sample (Meta's docs say 20 since Jun 2026, older docs 15: we keep 15).
pub const COPY_CODE_MAX_LEN: usize = 15;

/// Template category (`platform-rules.md` §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `MARKETING`
    Marketing,
    /// `UTILITY`
    Utility,
    /// `AUTHENTICATION`
    Authentication,
}

impl Category {
    /// Parses `MARKETING` / `UTILITY` / `AUTHENTICATION` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("MARKETING") {
            Some(Category::Marketing)
        } else if s.eq_ignore_ascii_case("UTILITY") {
            Some(Category::Utility)
        } else if s.eq_ignore_ascii_case("AUTHENTICATION") {
            Some(Category::Authentication)
        } else {
            None
        }
    }
}

/// Checks a create-template definition (`{ name, category, language, parameter_format?,
/// components }`) and returns every issue found. `components` may also be a JSON string (the
/// seed's `template_components`).
///
/// ```
/// use whatsapp_business::validate_template;
/// use serde_json::json;
/// let v = validate_template(&json!({
///   "name": "order_update", "category": "UTILITY", "language": "en_US",
///   "components": [{ "type": "BODY", "text": "Hi {{1}}, your order is ready.",
///                    "example": { "body_text": [["Ann"]] } }]
/// }));
/// assert!(v.valid, "{:?}", v.issues);
/// ```
pub fn validate_template(definition: &Value) -> Validation {
    Validation::from_issues(template_issues(definition))
}

/// [`validate_template`] over JSON text; text that is not JSON is one `invalid_json` issue.
pub fn validate_template_json(text: &str) -> Validation {
    match crate::core::json::parse_owned(text) {
        Ok(v) => validate_template(&v),
        Err(e) => Validation::from_issues(vec![Issue::error(
            "",
            "invalid_json",
            format!("The template definition is not valid JSON ({}).", e),
        )]),
    }
}

/// Every issue of a definition.
pub(crate) fn template_issues(def: &Value) -> Vec<Issue> {
    let mut issues = Vec::new();
    let Some(obj) = def.as_object() else {
        issues.push(wrong_type("definition", def, "an object"));
        return issues;
    };
    match obj.get("name") {
        Some(Value::String(n)) => issues.extend(name_issues(n, "name")),
        None | Some(Value::Null) => issues.push(Issue::error(
            "name",
            "name_empty",
            "Template name is required (lowercase letters, digits and underscores).",
        )),
        Some(other) => issues.push(wrong_type("name", other, "a string")),
    }
    let category = match obj.get("category") {
        Some(Value::String(c)) => {
            let parsed = Category::parse(c);
            if parsed.is_none() {
                issues.push(Issue::error(
                    "category",
                    "category_invalid",
                    format!("\"{c}\" is not a template category; use MARKETING, UTILITY or AUTHENTICATION."),
                ));
            }
            parsed
        }
        None | Some(Value::Null) => {
            issues.push(Issue::error(
                "category",
                "category_missing",
                "category is required: MARKETING, UTILITY or AUTHENTICATION.",
            ));
            None
        }
        Some(other) => {
            issues.push(wrong_type("category", other, "a string"));
            None
        }
    };
    match obj.get("language") {
        Some(Value::String(l)) => language_issue(l, "language", &mut issues),
        None | Some(Value::Null) => issues.push(Issue::error(
            "language",
            "language_missing",
            "language is required, e.g. \"en_US\" (see supportedLanguages()).",
        )),
        Some(other) => issues.push(wrong_type("language", other, "a string")),
    }
    let format = match obj.get("parameter_format") {
        None | Some(Value::Null) => ParameterFormat::Positional,
        Some(Value::String(f)) => ParameterFormat::parse(f).unwrap_or_else(|| {
            issues.push(Issue::error(
                "parameter_format",
                "parameter_format_invalid",
                format!("\"{f}\" is not a parameter format; use \"positional\" ({{{{1}}}}) or \"named\" ({{{{first_name}}}})."),
            ));
            ParameterFormat::Positional
        }),
        Some(other) => {
            issues.push(wrong_type("parameter_format", other, "a string"));
            ParameterFormat::Positional
        }
    };
    let parsed_components;
    let components = match obj.get("components") {
        Some(Value::Array(a)) => Some(a),
        Some(Value::String(s)) => match crate::core::json::parse_owned(s) {
            Ok(Value::Array(a)) => {
                parsed_components = a;
                Some(&parsed_components)
            }
            Ok(other) => {
                issues.push(wrong_type("components", &other, "an array of components"));
                None
            }
            Err(e) => {
                issues.push(Issue::error(
                    "components",
                    "invalid_json",
                    format!("components is a string but not valid JSON ({}).", e),
                ));
                None
            }
        },
        None | Some(Value::Null) => {
            issues.push(Issue::error(
                "components",
                "components_missing",
                "components is required and must contain a BODY.",
            ));
            None
        }
        Some(other) => {
            issues.push(wrong_type("components", other, "an array of components"));
            None
        }
    };
    if let Some(components) = components {
        ComponentsCheck {
            category,
            format,
            issues: &mut issues,
        }
        .run(components);
    }
    issues
}

pub(crate) fn language_issue(l: &str, path: &str, issues: &mut Vec<Issue>) {
    if !is_supported_language(l) {
        let mut msg = format!("\"{l}\" is not a supported template language");
        match suggest_language(l) {
            Some(s) => msg.push_str(&format!("; did you mean \"{s}\"?")),
            None => msg.push_str(" (codes are case-sensitive with an underscore, e.g. \"en_US\"; see supportedLanguages())."),
        }
        issues.push(Issue::error(path, "language_unsupported", msg));
    }
}

struct ComponentsCheck<'i> {
    category: Option<Category>,
    format: ParameterFormat,
    issues: &'i mut Vec<Issue>,
}

impl ComponentsCheck<'_> {
    fn auth(&self) -> bool {
        self.category == Some(Category::Authentication)
    }

    fn run(&mut self, components: &[Value]) {
        let (mut headers, mut bodies, mut footers, mut buttons) = (0, 0, 0, 0);
        for (i, comp) in components.iter().enumerate() {
            let path = index("components", i);
            let Some(obj) = comp.as_object() else {
                self.issues
                    .push(wrong_type(&path, comp, "a component object"));
                continue;
            };
            let ty = match obj.get("type") {
                Some(Value::String(t)) => t.to_ascii_uppercase(),
                None | Some(Value::Null) => {
                    self.issues.push(Issue::error(
                        field(&path, "type"),
                        "component_type_missing",
                        "Each component needs a type: HEADER, BODY, FOOTER or BUTTONS.",
                    ));
                    continue;
                }
                Some(other) => {
                    self.issues
                        .push(wrong_type(&field(&path, "type"), other, "a string"));
                    continue;
                }
            };
            let (count, label) = match ty.as_str() {
                "HEADER" => (&mut headers, "HEADER"),
                "BODY" => (&mut bodies, "BODY"),
                "FOOTER" => (&mut footers, "FOOTER"),
                "BUTTONS" => (&mut buttons, "BUTTONS"),
                "CAROUSEL" | "LIMITED_TIME_OFFER" | "CALL_PERMISSION_REQUEST" => {
                    self.issues.push(Issue::warning(
                        &path,
                        "component_not_checked",
                        format!("{ty} components are passed to Meta as they are; this library does not check them yet."),
                    ));
                    continue;
                }
                _ => {
                    self.issues.push(Issue::error(
                        field(&path, "type"),
                        "component_type_unknown",
                        format!("\"{ty}\" is not a template component; use HEADER, BODY, FOOTER or BUTTONS."),
                    ));
                    continue;
                }
            };
            *count += 1;
            if *count > 1 {
                self.issues.push(Issue::error(
                    &path,
                    "component_duplicate",
                    format!("A template has at most one {label} component."),
                ));
                continue;
            }
            match label {
                "HEADER" => self.header(obj, &path),
                "BODY" => self.body(obj, &path),
                "FOOTER" => self.footer(obj, &path),
                _ => self.buttons(obj, &path),
            }
        }
        if bodies == 0 {
            self.issues.push(Issue::error(
                "components",
                "body_missing",
                "Every template needs exactly one BODY component.",
            ));
        }
        if self.auth() && buttons == 0 {
            self.issues.push(Issue::error(
                "components",
                "auth_otp_button_missing",
                "AUTHENTICATION templates need a BUTTONS component with one OTP button (otp_type COPY_CODE, ONE_TAP or ZERO_TAP).",
            ));
        }
    }

    fn text<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        path: &str,
        required: &'static str,
        what: &str,
    ) -> Option<&'a str> {
        match obj.get("text") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                self.issues.push(Issue::error(
                    field(path, "text"),
                    required,
                    format!("{what} needs a non-empty text."),
                ));
                None
            }
            Some(other) => {
                self.issues
                    .push(wrong_type(&field(path, "text"), other, "a string"));
                None
            }
        }
    }

    fn header(&mut self, obj: &Map<String, Value>, path: &str) {
        if self.auth() {
            self.issues.push(Issue::error(
                path,
                "auth_header_not_allowed",
                "AUTHENTICATION templates cannot have a header (their content is fixed by Meta).",
            ));
            return;
        }
        let format = match obj.get("format") {
            Some(Value::String(f)) => f.to_ascii_uppercase(),
            None | Some(Value::Null) => {
                self.issues.push(Issue::error(
                    field(path, "format"),
                    "header_format_missing",
                    "A HEADER needs a format: TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.",
                ));
                return;
            }
            Some(other) => {
                self.issues
                    .push(wrong_type(&field(path, "format"), other, "a string"));
                return;
            }
        };
        match format.as_str() {
            "TEXT" => {
                let Some(text) = self.text(obj, path, "header_text_missing", "A TEXT header") else {
                    return;
                };
                let tpath = field(path, "text");
                let len = char_len(text);
                if len > HEADER_TEXT_MAX_LEN {
                    self.issues.push(Issue::error(
                        &tpath,
                        "header_text_too_long",
                        format!("Header text is {len} characters; the limit is {HEADER_TEXT_MAX_LEN} (variables included)."),
                    ));
                }
                if text.contains(['\n', '\r']) {
                    self.issues.push(Issue::error(
                        &tpath,
                        "header_text_newline",
                        "Header text must be a single line.",
                    ));
                }
                if has_emoji(text) {
                    self.issues.push(Issue::error(
                        &tpath,
                        "header_text_emoji",
                        "Header text cannot contain emoji (platform-rules §1.4); move it to the body.",
                    ));
                }
                if text.contains(['*', '_', '~', '`']) && !super::variables::has_open(text) {
                    self.issues.push(Issue::warning(
                        &tpath,
                        "header_text_formatting",
                        "Headers do not support WhatsApp formatting (*bold*, _italic_, ~strike~, ```mono```); the symbols are shown as typed.",
                    ));
                }
                let (_, vars) = check(text, self.format, Placement { body: false }, &tpath, self.issues);
                if vars.count() > 1 {
                    self.issues.push(Issue::error(
                        &tpath,
                        "header_too_many_variables",
                        format!("A TEXT header may have at most 1 variable; this one has {}.", vars.count()),
                    ));
                }
                self.examples(obj, path, &vars, "header_text", "header_text_named_params", false);
            }
            "IMAGE" | "VIDEO" | "DOCUMENT" => {
                let ok = matches!(
                    obj.get("example").and_then(|e| e.get("header_handle")),
                    Some(Value::Array(a)) if a.first().and_then(Value::as_str).is_some_and(|h| !h.is_empty())
                );
                if !ok {
                    self.issues.push(Issue::error(
                        field(path, "example.header_handle"),
                        "header_example_missing",
                        format!("A {format} header needs a sample: example.header_handle = [\"<handle>\"], where the handle comes from the Resumable Upload API (not a media id)."),
                    ));
                }
            }
            "LOCATION" => {}
            "GIF" | "PRODUCT" => self.issues.push(Issue::warning(
                field(path, "format"),
                "header_format_limited",
                format!("{format} headers are only available in special template types (GIF: MM Lite; PRODUCT: single-product messages)."),
            )),
            _ => self.issues.push(Issue::error(
                field(path, "format"),
                "header_format_invalid",
                format!("\"{format}\" is not a header format; use TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION."),
            )),
        }
    }

    fn body(&mut self, obj: &Map<String, Value>, path: &str) {
        if self.auth() {
            if obj.get("text").is_some_and(|t| !t.is_null()) {
                self.issues.push(Issue::error(
                    field(path, "text"),
                    "auth_body_text_not_allowed",
                    "AUTHENTICATION templates use Meta's fixed body (\"{{1}} is your verification code.\"); remove text and set only add_security_recommendation.",
                ));
            }
            if let Some(v) = obj.get("add_security_recommendation") {
                if !v.is_boolean() && !v.is_null() {
                    self.issues.push(wrong_type(
                        &field(path, "add_security_recommendation"),
                        v,
                        "a boolean",
                    ));
                }
            }
            return;
        }
        let Some(text) = self.text(obj, path, "body_text_missing", "The BODY") else {
            return;
        };
        let tpath = field(path, "text");
        let len = char_len(text);
        if len > BODY_MAX_LEN {
            self.issues.push(Issue::error(
                &tpath,
                "body_too_long",
                format!(
                    "Body is {len} characters; the limit is {BODY_MAX_LEN} (variables included)."
                ),
            ));
        }
        let (_, vars) = check(
            text,
            self.format,
            Placement { body: true },
            &tpath,
            self.issues,
        );
        self.examples(
            obj,
            path,
            &vars,
            "body_text",
            "body_text_named_params",
            true,
        );
    }

    /// Example checks: positional `example.<pos_key>` (nested one level for the body), named
    /// `example.<named_key>` = `[{param_name, example}]`.
    fn examples(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        vars: &VarSummary<'_>,
        pos_key: &str,
        named_key: &str,
        nested: bool,
    ) {
        if vars.count() == 0 {
            return;
        }
        let example = obj.get("example");
        let named = vars.names.iter().any(|n| matches!(n, VarName::Named(_)));
        if named
            && vars
                .names
                .iter()
                .any(|n| matches!(n, VarName::Positional(_)))
        {
            return; // already reported as variables_mixed
        }
        if !named {
            let key_path = field(path, &format!("example.{pos_key}"));
            let raw = example.and_then(|e| e.get(pos_key));
            let list = match (raw, nested) {
                (Some(Value::Array(outer)), true) => match outer.first() {
                    Some(Value::Array(inner)) => Some(inner),
                    _ => None,
                },
                (Some(Value::Array(a)), false) => Some(a),
                _ => None,
            };
            let Some(list) = list else {
                let shape = if nested {
                    "[[\"value 1\", \"value 2\"]]"
                } else {
                    "[\"value\"]"
                };
                self.issues.push(Issue::error(
                    key_path,
                    "example_missing",
                    format!("Every variable needs a sample value: set example.{pos_key} = {shape} ({} value(s)); Meta rejects templates without them.", vars.count()),
                ));
                return;
            };
            if list.len() != vars.count() {
                self.issues.push(Issue::error(
                    key_path,
                    "example_count_mismatch",
                    format!(
                        "The text has {} variable(s) but example.{pos_key} gives {} value(s).",
                        vars.count(),
                        list.len()
                    ),
                ));
            }
            if let Some((i, bad)) = list
                .iter()
                .enumerate()
                .find(|(_, v)| !matches!(v, Value::String(s) if !s.trim().is_empty()))
            {
                self.issues.push(Issue::error(
                    index(&field(path, &format!("example.{pos_key}")), i),
                    "example_invalid",
                    format!(
                        "Sample values must be non-empty strings, got {}.",
                        type_name(bad)
                    ),
                ));
            }
        } else {
            let key_path = field(path, &format!("example.{named_key}"));
            let Some(Value::Array(list)) = example.and_then(|e| e.get(named_key)) else {
                self.issues.push(Issue::error(
                    key_path,
                    "example_missing",
                    format!("Every variable needs a sample value: set example.{named_key} = [{{\"param_name\": \"…\", \"example\": \"…\"}}] for each name."),
                ));
                return;
            };
            let mut given: Vec<&str> = Vec::new();
            for (i, item) in list.iter().enumerate() {
                let name = item.get("param_name").and_then(Value::as_str);
                let ex = item.get("example").and_then(Value::as_str);
                match (name, ex) {
                    (Some(n), Some(e)) if !e.trim().is_empty() => given.push(n),
                    _ => self.issues.push(Issue::error(
                        index(&key_path, i),
                        "example_invalid",
                        "Each named sample needs a param_name and a non-empty example string.",
                    )),
                }
            }
            for n in &vars.names {
                if let VarName::Named(name) = n {
                    if !given.contains(name) {
                        self.issues.push(Issue::error(
                            &key_path,
                            "example_missing",
                            format!("No sample value for {{{{{name}}}}}."),
                        ));
                    }
                }
            }
            for g in given {
                if !vars.names.contains(&VarName::Named(g)) {
                    self.issues.push(Issue::error(
                        &key_path,
                        "example_name_mismatch",
                        format!(
                            "A sample is given for \"{g}\", which is not a variable of this text."
                        ),
                    ));
                }
            }
        }
    }

    fn footer(&mut self, obj: &Map<String, Value>, path: &str) {
        if self.auth() {
            if obj.get("text").is_some_and(|t| !t.is_null()) {
                self.issues.push(Issue::error(
                    field(path, "text"),
                    "auth_footer_text_not_allowed",
                    "AUTHENTICATION footers are generated by Meta; set code_expiration_minutes (1–90) instead of text.",
                ));
            }
            match obj.get("code_expiration_minutes") {
                None | Some(Value::Null) => {}
                Some(v) => {
                    if !v.as_u64().is_some_and(|m| (1..=90).contains(&m)) {
                        self.issues.push(Issue::error(
                            field(path, "code_expiration_minutes"),
                            "auth_code_expiration_invalid",
                            "code_expiration_minutes must be a whole number from 1 to 90.",
                        ));
                    }
                }
            }
            return;
        }
        let Some(text) = self.text(obj, path, "footer_text_missing", "A FOOTER") else {
            return;
        };
        let tpath = field(path, "text");
        let len = char_len(text);
        if len > FOOTER_MAX_LEN {
            self.issues.push(Issue::error(
                &tpath,
                "footer_too_long",
                format!("Footer is {len} characters; the limit is {FOOTER_MAX_LEN}."),
            ));
        }
        if super::variables::has_open(text) || super::variables::find_pair(text, b'}').is_some() {
            self.issues.push(Issue::error(
                &tpath,
                "footer_variables_not_allowed",
                "Footers are plain text: variables are not allowed.",
            ));
        }
    }

    fn buttons(&mut self, obj: &Map<String, Value>, path: &str) {
        let bpath = field(path, "buttons");
        let list = match obj.get("buttons") {
            Some(Value::Array(a)) if !a.is_empty() => a,
            Some(Value::Array(_)) | None | Some(Value::Null) => {
                self.issues.push(Issue::error(
                    &bpath,
                    "buttons_empty",
                    "A BUTTONS component needs a non-empty buttons array.",
                ));
                if self.auth() {
                    self.issues.push(Issue::error(
                        &bpath,
                        "auth_otp_button_missing",
                        "AUTHENTICATION templates need exactly one OTP button.",
                    ));
                }
                return;
            }
            Some(other) => {
                self.issues
                    .push(wrong_type(&bpath, other, "an array of buttons"));
                return;
            }
        };
        if list.len() > BUTTONS_MAX {
            self.issues.push(Issue::error(
                &bpath,
                "buttons_too_many",
                format!(
                    "A template may have at most {BUTTONS_MAX} buttons; this one has {}.",
                    list.len()
                ),
            ));
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut qr_runs = 0usize;
        let mut prev_qr: Option<bool> = None;
        let mut otp = 0usize;
        for (i, b) in list.iter().enumerate() {
            let p = index(&bpath, i);
            let Some(bo) = b.as_object() else {
                self.issues.push(wrong_type(&p, b, "a button object"));
                continue;
            };
            let ty = match bo.get("type") {
                Some(Value::String(t)) => t.to_ascii_uppercase(),
                Some(other) => {
                    self.issues
                        .push(wrong_type(&field(&p, "type"), other, "a string"));
                    continue;
                }
                None => {
                    self.issues.push(Issue::error(
                        field(&p, "type"),
                        "button_type_missing",
                        "Each button needs a type: QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL.",
                    ));
                    continue;
                }
            };
            let is_qr = ty == "QUICK_REPLY";
            if prev_qr != Some(is_qr) && is_qr {
                qr_runs += 1;
            }
            prev_qr = Some(is_qr);
            match counts.iter_mut().find(|(t, _)| *t == ty) {
                Some((_, n)) => *n += 1,
                None => counts.push((ty.clone(), 1)),
            }
            if ty == "OTP" {
                otp += 1;
            } else if self.auth() {
                self.issues.push(Issue::error(
                    field(&p, "type"),
                    "auth_button_not_allowed",
                    format!("AUTHENTICATION templates allow only the OTP button, not {ty}."),
                ));
            }
            self.button(bo, &ty, &p);
        }
        if qr_runs > 1 {
            self.issues.push(Issue::error(
                &bpath,
                "quick_replies_not_grouped",
                "Quick-reply buttons must be grouped together, all before or all after the other buttons.",
            ));
        }
        for (ty, n) in &counts {
            let max = match ty.as_str() {
                "QUICK_REPLY" => 10,
                "URL" => 2,
                "PHONE_NUMBER" | "COPY_CODE" | "OTP" | "FLOW" | "VOICE_CALL" | "MPM" | "SPM"
                | "CATALOG" => 1,
                _ => continue,
            };
            if *n > max {
                self.issues.push(Issue::error(
                    &bpath,
                    "buttons_too_many_of_type",
                    format!("A template may have at most {max} {ty} button(s); this one has {n}."),
                ));
            }
        }
        if self.auth() && otp == 0 {
            self.issues.push(Issue::error(
                &bpath,
                "auth_otp_button_missing",
                "AUTHENTICATION templates need exactly one OTP button (otp_type COPY_CODE, ONE_TAP or ZERO_TAP).",
            ));
        }
    }

    fn button(&mut self, b: &Map<String, Value>, ty: &str, p: &str) {
        let text = match b.get("text") {
            Some(Value::String(s)) => Some(s.as_str()),
            None | Some(Value::Null) => None,
            Some(other) => {
                self.issues
                    .push(wrong_type(&field(p, "text"), other, "a string"));
                return;
            }
        };
        let text_required = !matches!(ty, "OTP" | "COPY_CODE" | "MPM" | "SPM" | "CATALOG");
        match text {
            Some(t) if !t.trim().is_empty() => {
                let len = char_len(t);
                if len > BUTTON_TEXT_MAX_LEN {
                    self.issues.push(Issue::error(
                        field(p, "text"),
                        "button_text_too_long",
                        format!("Button text is {len} characters; the limit is {BUTTON_TEXT_MAX_LEN}."),
                    ));
                }
                if self.auth() && has_emoji(t) {
                    self.issues.push(Issue::error(
                        field(p, "text"),
                        "auth_emoji_not_allowed",
                        "AUTHENTICATION templates cannot contain emoji.",
                    ));
                }
                if super::variables::has_open(t) {
                    self.issues.push(Issue::error(
                        field(p, "text"),
                        "button_text_variables_not_allowed",
                        "Button labels cannot contain variables.",
                    ));
                }
            }
            _ if text_required => self.issues.push(Issue::error(
                field(p, "text"),
                "button_text_missing",
                format!("A {ty} button needs a text (its label, at most {BUTTON_TEXT_MAX_LEN} characters)."),
            )),
            _ => {}
        }
        match ty {
            "QUICK_REPLY" | "VOICE_CALL" => {}
            "URL" => self.url_button(b, p),
            "PHONE_NUMBER" => match b.get("phone_number") {
                Some(Value::String(n)) if !n.trim().is_empty() => {
                    let len = char_len(n);
                    if len > BUTTON_PHONE_MAX_LEN {
                        self.issues.push(Issue::error(
                            field(p, "phone_number"),
                            "button_phone_too_long",
                            format!("The phone number is {len} characters; the limit is {BUTTON_PHONE_MAX_LEN} (with + and country code)."),
                        ));
                    }
                    let digits = n.chars().filter(char::is_ascii_digit).count();
                    if digits < 8 || n.chars().any(|c| !(c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))) {
                        self.issues.push(Issue::error(
                            field(p, "phone_number"),
                            "button_phone_invalid",
                            "The phone number must be in international format, e.g. +15550001234.",
                        ));
                    }
                }
                _ => self.issues.push(Issue::error(
                    field(p, "phone_number"),
                    "button_phone_missing",
                    "A PHONE_NUMBER button needs phone_number (international format, e.g. +15550001234).",
                )),
            },
            "COPY_CODE" => match b.get("example") {
                Some(Value::String(e)) if !e.trim().is_empty() => {
                    let len = char_len(e);
                    if len > COPY_CODE_MAX_LEN {
                        self.issues.push(Issue::error(
                            field(p, "example"),
                            "button_copy_code_example_too_long",
                            format!("The sample code is {len} characters; keep it at most {COPY_CODE_MAX_LEN}."),
                        ));
                    }
                }
                _ => self.issues.push(Issue::error(
                    field(p, "example"),
                    "button_copy_code_example_missing",
                    "A COPY_CODE button needs example: a sample code such as \"SAVE30\".",
                )),
            },
            "OTP" => self.otp_button(b, p),
            "FLOW" => {
                if !["flow_id", "flow_name", "flow_json"].iter().any(|k| b.get(*k).is_some_and(|v| !v.is_null())) {
                    self.issues.push(Issue::error(
                        p,
                        "button_flow_missing",
                        "A FLOW button needs flow_id, flow_name or flow_json.",
                    ));
                }
                if let Some(a) = b.get("flow_action") {
                    if !matches!(a.as_str(), Some("navigate" | "data_exchange")) {
                        self.issues.push(Issue::error(
                            field(p, "flow_action"),
                            "button_flow_action_invalid",
                            "flow_action must be \"navigate\" or \"data_exchange\".",
                        ));
                    }
                }
            }
            "MPM" | "SPM" | "CATALOG" => self.issues.push(Issue::warning(
                p,
                "component_not_checked",
                format!("{ty} buttons are passed to Meta as they are; this library does not check them yet."),
            )),
            _ => self.issues.push(Issue::error(
                field(p, "type"),
                "button_type_unknown",
                format!("\"{ty}\" is not a button type; use QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL."),
            )),
        }
    }

    fn url_button(&mut self, b: &Map<String, Value>, p: &str) {
        let upath = field(p, "url");
        let url = match b.get("url") {
            Some(Value::String(u)) if !u.trim().is_empty() => u.as_str(),
            _ => {
                self.issues.push(Issue::error(
                    &upath,
                    "button_url_missing",
                    "A URL button needs url, e.g. https://example.com/track/{{1}}.",
                ));
                return;
            }
        };
        if self.auth() {
            return; // already reported as auth_button_not_allowed
        }
        let len = char_len(url);
        if len > BUTTON_URL_MAX_LEN {
            self.issues.push(Issue::error(
                &upath,
                "button_url_too_long",
                format!("The URL is {len} characters; the limit is {BUTTON_URL_MAX_LEN}."),
            ));
        }
        let lower: String = url.chars().take(8).collect::<String>().to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            self.issues.push(Issue::error(
                &upath,
                "button_url_invalid",
                "The URL must be an absolute http(s) URL without spaces.",
            ));
        }
        let sc = super::variables::scan(url);
        let n = sc.var_count();
        if sc.unmatched > 0 {
            self.issues.push(Issue::error(
                &upath,
                "variable_unmatched_braces",
                "The URL has a '{{' or '}}' that is not part of a variable such as {{1}}.",
            ));
        }
        if n > 1 {
            self.issues.push(Issue::error(
                &upath,
                "button_url_too_many_variables",
                format!("A URL may contain at most 1 variable; this one has {n}."),
            ));
        }
        if n >= 1 {
            if !url.trim_end().ends_with("}}") {
                self.issues.push(Issue::error(
                    &upath,
                    "button_url_variable_not_at_end",
                    "The URL variable must be at the very end, e.g. https://example.com/track/{{1}}.",
                ));
            }
            if let Some(super::variables::Var::Invalid(raw)) = sc.vars().next() {
                self.issues.push(Issue::error(
                    &upath,
                    "variable_invalid",
                    format!("{{{{{raw}}}}} is not a valid variable; URL buttons use {{{{1}}}}."),
                ));
            }
            let example = match b.get("example") {
                Some(Value::Array(a)) => a.first().and_then(Value::as_str),
                Some(Value::String(s)) => Some(s.as_str()),
                _ => None,
            };
            match example {
                Some(e) if !e.trim().is_empty() => {
                    let prefix = url.get(..super::variables::find_pair(url, b'{').unwrap_or(url.len())).unwrap_or("");
                    if !e.starts_with(prefix) {
                        self.issues.push(Issue::warning(
                            field(p, "example"),
                            "button_url_example_mismatch",
                            format!("The example should be the full URL with a sample value, starting with \"{prefix}\"."),
                        ));
                    }
                }
                _ => self.issues.push(Issue::error(
                    field(p, "example"),
                    "button_url_example_missing",
                    "A URL with a variable needs example: [\"<the full URL with a sample value>\"], e.g. [\"https://example.com/track/ABC123\"].",
                )),
            }
        }
    }

    fn otp_button(&mut self, b: &Map<String, Value>, p: &str) {
        if !self.auth() {
            self.issues.push(Issue::error(
                field(p, "type"),
                "button_otp_requires_authentication",
                "OTP buttons are only allowed in AUTHENTICATION templates.",
            ));
        }
        let otp_type = b
            .get("otp_type")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase);
        let otp_type = match otp_type.as_deref() {
            Some(t @ ("COPY_CODE" | "ONE_TAP" | "ZERO_TAP")) => t,
            _ => {
                self.issues.push(Issue::error(
                    field(p, "otp_type"),
                    "button_otp_type_invalid",
                    "otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.",
                ));
                return;
            }
        };
        if let Some(a) = b.get("autofill_text") {
            if !a
                .as_str()
                .is_some_and(|s| char_len(s) <= BUTTON_TEXT_MAX_LEN)
            {
                self.issues.push(Issue::error(
                    field(p, "autofill_text"),
                    "button_autofill_text_invalid",
                    format!("autofill_text must be a string of at most {BUTTON_TEXT_MAX_LEN} characters."),
                ));
            }
        }
        if otp_type == "COPY_CODE" {
            return;
        }
        let apps_path = field(p, "supported_apps");
        match b.get("supported_apps") {
            Some(Value::Array(apps)) if !apps.is_empty() => {
                if apps.len() > 5 {
                    self.issues.push(Issue::error(
                        &apps_path,
                        "button_supported_apps_too_many",
                        format!("At most 5 supported apps; {} given.", apps.len()),
                    ));
                }
                for (i, app) in apps.iter().enumerate() {
                    let ap = index(&apps_path, i);
                    self.app_issues(
                        app.get("package_name").and_then(Value::as_str),
                        app.get("signature_hash").and_then(Value::as_str),
                        &ap,
                    );
                }
            }
            _ => {
                let pkg = b.get("package_name").and_then(Value::as_str);
                let sig = b.get("signature_hash").and_then(Value::as_str);
                if pkg.is_none() && sig.is_none() {
                    self.issues.push(Issue::error(
                        &apps_path,
                        "button_supported_apps_missing",
                        format!("{otp_type} buttons need supported_apps: [{{\"package_name\": \"com.example.app\", \"signature_hash\": \"<11 chars>\"}}]."),
                    ));
                } else {
                    self.app_issues(pkg, sig, p);
                }
            }
        }
        if otp_type == "ZERO_TAP" && b.get("zero_tap_terms_accepted") != Some(&Value::Bool(true)) {
            self.issues.push(Issue::error(
                field(p, "zero_tap_terms_accepted"),
                "button_zero_tap_terms_not_accepted",
                "ZERO_TAP buttons need zero_tap_terms_accepted: true (you accept Meta's zero-tap terms).",
            ));
        }
    }

    fn app_issues(&mut self, pkg: Option<&str>, sig: Option<&str>, base: &str) {
        let pkg_ok = pkg.is_some_and(|s| {
            let segs: Vec<&str> = s.split('.').collect();
            char_len(s) <= 224
                && segs.len() >= 2
                && segs.iter().all(|seg| {
                    !seg.is_empty() && seg.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                })
        });
        if !pkg_ok {
            self.issues.push(Issue::error(
                field(base, "package_name"),
                "button_package_name_invalid",
                "package_name must be an Android package name such as com.example.app (≤ 224 characters, at least two dot-separated parts of letters, digits and _).",
            ));
        }
        let sig_ok = sig.is_some_and(|s| {
            s.len() == 11
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
        });
        if !sig_ok {
            self.issues.push(Issue::error(
                field(base, "signature_hash"),
                "button_signature_hash_invalid",
                "signature_hash must be your app's 11-character signing-key hash (letters, digits, +, / and =).",
            ));
        }
    }
}

/// Whether `s` has an emoji ([`is_emoji`]); ASCII text, which has none, is not walked.
fn has_emoji(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_emoji)
}

/// Emoji and pictographs (no tables: the main Unicode blocks, enough to catch typical emoji).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF // pictographs, emoticons, transport, symbols, flags
        | 0x2600..=0x27BF // misc symbols, dingbats
        | 0x2B00..=0x2BFF // arrows/stars (⭐)
        | 0x2300..=0x23FF // misc technical (⌚ ⏰)
        | 0xFE0F          // emoji presentation selector
        | 0x200D          // zero-width joiner of emoji sequences
    )
}
