//! The serde-based definition walker as it was before `validateTemplate` moved to the borrowed
//! JSON model (`core::json::Json`), kept only for tests: a differential property test checks that
//! the two report the same issues (codes, paths, messages, severities, order) for random
//! definitions and mutations of the seed's. Not compiled into the library.
//!
//! It is a frozen oracle of that port, not a second implementation to maintain: a deliberate
//! rule change in `definition.rs` / `variables.rs` that the differential test then flags should
//! delete this file and its test (the rule tests in `tests/rules_template.rs` stay the spec),
//! not be copied here.

#![allow(clippy::too_many_lines)]

use super::definition::{
    language_issue, Category, BODY_MAX_LEN, BUTTONS_MAX, BUTTON_PHONE_MAX_LEN, BUTTON_TEXT_MAX_LEN,
    BUTTON_URL_MAX_LEN, COPY_CODE_MAX_LEN, FOOTER_MAX_LEN, HEADER_TEXT_MAX_LEN,
};
use super::name::name_issues;
use super::variables::{ParameterFormat, Piece, Var};
use crate::core::error::Issue;
use crate::core::json::{char_len, field, index, type_name, wrong_type};
use serde_json::{Map, Value};

/// Every issue of a definition.
pub(crate) fn old_template_issues(def: &Value) -> Vec<Issue> {
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
                // Issue 14: a present value of the wrong shape has its own code.
                self.issues.push(match raw.filter(|r| !r.is_null()) {
                    None => Issue::error(
                        key_path,
                        "example_missing",
                        format!("Every variable needs a sample value: set example.{pos_key} = {shape} ({} value(s)); Meta rejects templates without them.", vars.count()),
                    ),
                    Some(given) => Issue::error(
                        key_path,
                        "example_wrong_shape",
                        format!("example.{pos_key} is present but in the wrong shape ({}): Meta expects {shape} ({} value(s)).", type_name(given), vars.count()),
                    ),
                });
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
            let given = example.and_then(|e| e.get(named_key));
            let Some(Value::Array(list)) = given else {
                let (code, what) = match given.filter(|g| !g.is_null()) {
                    None => ("example_missing", String::new()),
                    Some(g) => (
                        "example_wrong_shape",
                        format!(
                            "example.{named_key} is present but in the wrong shape ({}). ",
                            type_name(g)
                        ),
                    ),
                };
                self.issues.push(Issue::error(
                    key_path,
                    code,
                    format!("{what}Every variable needs a sample value: set example.{named_key} = [{{\"param_name\": \"…\", \"example\": \"…\"}}] for each name."),
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
        let sc = old_scan(url);
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

// --- The variable scanner and checks as they were (variables.rs) -----------------------------

/// A text split into literal pieces and placeholders, plus stray braces found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scan<'a> {
    pub pieces: Vec<Piece<'a>>,
    /// Count of `{{` without a closing `}}`, and of `}}` without an opening `{{`.
    pub unmatched: usize,
}

impl<'a> Scan<'a> {
    pub fn vars(&self) -> impl Iterator<Item = Var<'a>> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(*v),
            Piece::Text(_) => None,
        })
    }

    pub fn var_count(&self) -> usize {
        self.vars().count()
    }
}

/// Splits `text` into pieces. Never fails; stray braces are counted in `unmatched`.
pub(crate) fn old_scan(text: &str) -> Scan<'_> {
    let mut out = Scan::default();
    let mut rest = text;
    let mut literal_start = 0usize; // offset in `text` where the current literal run began
    let mut offset = 0usize; // offset of `rest` in `text`
    while let Some(open) = super::variables::find_pair(rest, b'{') {
        let after_open = rest.get(open + 2..).unwrap_or("");
        let close = super::variables::find_pair(after_open, b'}');
        let next_open = super::variables::find_pair(after_open, b'{');
        match close {
            Some(c) if !matches!(next_open, Some(n) if n < c) => {
                let content = after_open.get(..c).unwrap_or("");
                let var_start = offset + open;
                if let Some(lit) = text.get(literal_start..var_start) {
                    count_stray_closers(lit, &mut out.unmatched);
                    if !lit.is_empty() {
                        out.pieces.push(Piece::Text(lit));
                    }
                }
                out.pieces
                    .push(Piece::Var(super::variables::classify(content)));
                let consumed = open + 2 + c + 2;
                offset += consumed;
                literal_start = offset;
                rest = rest.get(consumed..).unwrap_or("");
            }
            _ => {
                // `{{` with no `}}` before the next `{{`: stray opener, stays literal text.
                out.unmatched += 1;
                offset += open + 2;
                rest = rest.get(open + 2..).unwrap_or("");
            }
        }
    }
    if let Some(lit) = text.get(literal_start..) {
        count_stray_closers(lit, &mut out.unmatched);
        if !lit.is_empty() {
            out.pieces.push(Piece::Text(lit));
        }
    }
    out
}

fn count_stray_closers(lit: &str, unmatched: &mut usize) {
    let mut rest = lit;
    while let Some(i) = super::variables::find_pair(rest, b'}') {
        *unmatched += 1;
        rest = rest.get(i + 2..).unwrap_or("");
    }
}

/// What [`check`] learned about a text's variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct VarSummary<'a> {
    /// Placeholders in order of appearance (positional numbers as their decimal text).
    pub names: Vec<VarName<'a>>,
}

/// A placeholder's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarName<'a> {
    Positional(u32),
    Named(&'a str),
}

impl VarSummary<'_> {
    pub fn count(&self) -> usize {
        self.names.len()
    }
}

/// Which placement rules apply to a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// Body rules: no variable at the very start or end (subcode 2388299), no adjacent
    /// variables, density warning (subcode 2388293).
    pub body: bool,
}

/// Checks the placeholders of `text` (at `path`) and reports issues; returns the valid ones.
pub(crate) fn check<'a>(
    text: &'a str,
    format: ParameterFormat,
    placement: Placement,
    path: &str,
    issues: &mut Vec<Issue>,
) -> (Scan<'a>, VarSummary<'a>) {
    let sc = old_scan(text);
    let mut summary = VarSummary::default();
    if sc.unmatched > 0 {
        issues.push(Issue::error(
            path,
            "variable_unmatched_braces",
            "The text has a '{{' or '}}' that is not part of a variable; variables look like {{1}} or {{first_name}}.",
        ));
    }
    let mut positional = 0usize;
    let mut named = 0usize;
    for v in sc.vars() {
        match v {
            Var::Positional(n) => {
                positional += 1;
                summary.names.push(VarName::Positional(n));
            }
            Var::Named(n) => {
                named += 1;
                summary.names.push(VarName::Named(n));
            }
            Var::Invalid(raw) => issues.push(Issue::error(
                path,
                "variable_invalid",
                format!(
                    "{{{{{raw}}}}} is not a valid variable: use {{{{1}}}}, {{{{2}}}}, … or a lowercase name such as {{{{first_name}}}} (no spaces or symbols)."
                ),
            )),
        }
    }
    if positional > 0 && named > 0 {
        issues.push(Issue::error(
            path,
            "variables_mixed",
            "Numbered ({{1}}) and named ({{first_name}}) variables cannot be mixed in one template.",
        ));
    } else if positional > 0 && format == ParameterFormat::Named {
        issues.push(Issue::error(
            path,
            "variable_format_mismatch",
            "parameter_format is \"named\" but the text uses numbered variables such as {{1}}; use names like {{first_name}} or set parameter_format to \"positional\".",
        ));
    } else if named > 0 && format == ParameterFormat::Positional {
        issues.push(Issue::error(
            path,
            "variable_format_mismatch",
            "The text uses named variables such as {{first_name}}; set parameter_format to \"named\" (the default is positional {{1}}, {{2}}, …).",
        ));
    }
    if positional > 0 && named == 0 {
        let nums: Vec<u32> = summary
            .names
            .iter()
            .filter_map(|n| match n {
                VarName::Positional(p) => Some(*p),
                VarName::Named(_) => None,
            })
            .collect();
        let in_order = nums
            .iter()
            .enumerate()
            .all(|(i, n)| usize::try_from(*n).ok() == Some(i + 1));
        if !in_order {
            let shown: Vec<String> = nums.iter().map(|n| format!("{{{{{n}}}}}")).collect();
            issues.push(Issue::error(
                path,
                "variables_not_sequential",
                format!(
                    "Numbered variables must appear as {{{{1}}}}, {{{{2}}}}, … in order with no gaps or repeats; found {}.",
                    shown.join(", ")
                ),
            ));
        }
    }
    if named > 0 {
        let mut seen: Vec<&str> = Vec::new();
        for n in &summary.names {
            if let VarName::Named(name) = n {
                if seen.contains(name) {
                    issues.push(Issue::error(
                        path,
                        "variable_duplicate_name",
                        format!("{{{{{name}}}}} appears more than once; each named variable must be unique."),
                    ));
                } else {
                    seen.push(name);
                }
            }
        }
    }
    if placement.body && sc.var_count() > 0 {
        body_placement(&sc, path, issues);
    }
    (sc, summary)
}

fn body_placement(sc: &Scan<'_>, path: &str, issues: &mut Vec<Issue>) {
    let meaningful: Vec<&Piece<'_>> = sc
        .pieces
        .iter()
        .filter(|p| !matches!(p, Piece::Text(t) if t.trim().is_empty()))
        .collect();
    if matches!(meaningful.first(), Some(Piece::Var(_))) {
        issues.push(Issue::error(
            path,
            "variable_at_start",
            "The body cannot start with a variable (Meta rejects it, subcode 2388299); add text before it.",
        ));
    }
    if matches!(meaningful.last(), Some(Piece::Var(_))) {
        issues.push(Issue::error(
            path,
            "variable_at_end",
            "The body cannot end with a variable (Meta rejects it, subcode 2388299); add text after it, even a full stop.",
        ));
    }
    if meaningful
        .windows(2)
        .any(|w| matches!(w, [Piece::Var(_), Piece::Var(_)]))
    {
        issues.push(Issue::error(
            path,
            "variables_adjacent",
            "Two variables follow each other with nothing but spaces between them (rejected as INVALID_FORMAT); put words between them.",
        ));
    }
    let words: usize = sc
        .pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => super::variables::word_count(t),
            Piece::Var(_) => 0,
        })
        .sum();
    let vars = sc.var_count();
    if words < 2 * vars {
        issues.push(Issue::warning(
            path,
            "variables_too_dense",
            format!(
                "{vars} variable(s) in only {words} word(s) of text; Meta rejects templates with too many variables for their length (subcode 2388293). Add words or use fewer variables."
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::definition::{template_issues, validate_template, validate_template_json};
    use super::super::variables::{check as new_check, scan, Piece, Placement};
    use super::*;
    use crate::core::json::{parse_owned, Doc, Path};
    use proptest::prelude::*;
    use serde_json::json;

    /// Definitions that reach every check: the seed's welcome template, an authentication
    /// template with every OTP kind, a named template, and one of each other button type.
    fn seeds() -> Vec<Value> {
        vec![
            json!({"name": "customer_welcome_2024", "category": "MARKETING", "language": "en_US", "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Welcome to Our Service!"},
                {"type": "BODY", "text": "Hi {{1}}, thank you for signing up! Your account ID is {{2}}. Start exploring today.",
                 "example": {"body_text": [["John", "ACC12345"]]}},
                {"type": "FOOTER", "text": "Reply STOP to unsubscribe"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Get Started"},
                    {"type": "URL", "text": "Visit Website", "url": "https://example.com/{{1}}", "example": ["https://example.com/welcome"]}]}]}),
            json!({"name": "login_code", "category": "AUTHENTICATION", "language": "en_US", "components": [
                {"type": "BODY", "add_security_recommendation": true},
                {"type": "FOOTER", "code_expiration_minutes": 10},
                {"type": "BUTTONS", "buttons": [
                    {"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy code", "autofill_text": "Autofill",
                     "supported_apps": [{"package_name": "com.example.app", "signature_hash": "K8a/AINcGX7"}]},
                    {"type": "OTP", "otp_type": "ZERO_TAP", "zero_tap_terms_accepted": true,
                     "package_name": "com.example.app", "signature_hash": "K8a/AINcGX7"},
                    {"type": "OTP", "otp_type": "COPY_CODE"}]}]}),
            json!({"name": "sale", "category": "marketing", "language": "en", "parameter_format": "named", "components": [
                {"type": "header", "format": "text", "text": "Our {{sale}} sale",
                 "example": {"header_text_named_params": [{"param_name": "sale", "example": "Summer"}]}},
                {"type": "BODY", "text": "Dear {{first_name}}, shop now and save on {{item}} today.",
                 "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Pablo"},
                                                        {"param_name": "item", "example": "shoes"}]}}]}),
            json!({"name": "many_buttons", "category": "UTILITY", "language": "pt_BR", "components": [
                {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2U="]}},
                {"type": "BODY", "text": "Your order {{1}} ships soon.", "example": {"body_text": [["A1"]]}},
                {"type": "BUTTONS", "buttons": [
                    {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+1 (555) 000-1234"},
                    {"type": "COPY_CODE", "example": "SAVE30"},
                    {"type": "FLOW", "text": "Book", "flow_id": "123", "flow_action": "navigate"},
                    {"type": "VOICE_CALL", "text": "Call"},
                    {"type": "QUICK_REPLY", "text": "Stop"},
                    {"type": "MPM", "text": "View"},
                    {"type": "URL", "text": "Track", "url": "http://x.io/t/{{1}}", "example": "http://x.io/t/9"},
                    {"type": "QUICK_REPLY", "text": "More"}]}]}),
            json!({"name": "loc", "category": "UTILITY", "language": "en_US", "components": "[{\"type\":\"HEADER\",\"format\":\"LOCATION\"},{\"type\":\"BODY\",\"text\":\"Meet here.\"},{\"type\":\"CAROUSEL\"}]"}),
        ]
    }

    /// Pieces of text that hit the rules: braces, placeholders, whitespace (ASCII and not),
    /// emoji, formatting symbols, case.
    fn snippet() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "{{",
                "}}",
                "{{1}}",
                "{{2}}",
                "{{3}}",
                "{{0}}",
                "{{01}}",
                "{{first_name}}",
                "{{item}}",
                "{{ x }}",
                "{{}}",
                "{",
                "}",
                " ",
                "\t",
                "\n",
                "\r",
                "\u{b}",
                "\u{c}",
                "\u{85}",
                "\u{a0}",
                "\u{2003}",
                "\u{3000}",
                "🎉",
                "é",
                "*",
                "_",
                "~",
                "`",
                ".",
                "https://",
                "HTTP://",
                "+",
                "1234567",
                "a",
                "Z",
                "com.x",
                "",
                "OTP",
                "url",
                "text",
                "__BIG__",
            ])
            .prop_map(str::to_owned),
            "[ -~]{0,6}",
            "\\PC{0,4}",
        ]
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            prop::sample::select(vec![0i64, 1, 10, 90, 91, -1, 1 << 40]).prop_map(|n| json!(n)),
            prop::sample::select(vec![1.5f64, 1e300, -0.0, 10.0]).prop_map(|f| json!(f)),
            snippet().prop_map(Value::String),
            prop::sample::select(vec![
                "HEADER",
                "BODY",
                "FOOTER",
                "BUTTONS",
                "TEXT",
                "IMAGE",
                "VIDEO",
                "DOCUMENT",
                "LOCATION",
                "GIF",
                "PRODUCT",
                "QUICK_REPLY",
                "URL",
                "PHONE_NUMBER",
                "COPY_CODE",
                "OTP",
                "FLOW",
                "VOICE_CALL",
                "MPM",
                "SPM",
                "CATALOG",
                "ONE_TAP",
                "ZERO_TAP",
                "AUTHENTICATION",
                "MARKETING",
                "UTILITY",
                "named",
                "positional",
                "en_US",
                "en-us",
                "Quick_Reply",
                "LIMITED_TIME_OFFER",
                "data_exchange",
                "navigate",
            ])
            .prop_map(|s| Value::String(s.to_owned())),
        ]
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let keys = prop::sample::select(vec![
            "type",
            "format",
            "text",
            "example",
            "buttons",
            "url",
            "phone_number",
            "otp_type",
            "supported_apps",
            "package_name",
            "signature_hash",
            "body_text",
            "header_text",
            "header_handle",
            "body_text_named_params",
            "header_text_named_params",
            "param_name",
            "code_expiration_minutes",
            "add_security_recommendation",
            "autofill_text",
            "flow_id",
            "flow_action",
            "zero_tap_terms_accepted",
            "name",
            "category",
            "language",
            "components",
            "parameter_format",
        ]);
        leaf().prop_recursive(3, 24, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                    kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Replace(prop::sample::Index, Value),
        Remove(prop::sample::Index),
        Insert(prop::sample::Index, prop::sample::Index, String),
        Upper(prop::sample::Index),
        Duplicate(prop::sample::Index),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        use prop::sample::Index;
        prop_oneof![
            (any::<Index>(), arb_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
            any::<Index>().prop_map(Mutation::Remove),
            (any::<Index>(), any::<Index>(), snippet())
                .prop_map(|(i, at, s)| Mutation::Insert(i, at, s)),
            any::<Index>().prop_map(Mutation::Upper),
            any::<Index>().prop_map(Mutation::Duplicate),
        ]
    }

    /// The paths (as key / position steps) of every value in `v`, pre-order.
    fn paths(
        v: &Value,
        at: &mut Vec<Result<String, usize>>,
        out: &mut Vec<Vec<Result<String, usize>>>,
    ) {
        out.push(at.clone());
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(Err(i));
                    paths(x, at, out);
                    at.pop();
                }
            }
            Value::Object(o) => {
                for (k, x) in o {
                    at.push(Ok(k.clone()));
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn node<'v>(v: &'v mut Value, path: &[Result<String, usize>]) -> Option<&'v mut Value> {
        match path.split_first() {
            None => Some(v),
            Some((Ok(k), rest)) => node(v.get_mut(k.as_str())?, rest),
            Some((Err(i), rest)) => node(v.get_mut(*i)?, rest),
        }
    }

    fn apply(v: &mut Value, m: &Mutation) {
        let mut all = Vec::new();
        paths(v, &mut Vec::new(), &mut all);
        let pick =
            |i: &prop::sample::Index| all.get(i.index(all.len())).cloned().unwrap_or_default();
        match m {
            Mutation::Replace(i, new) => {
                if let Some(n) = node(v, &pick(i)) {
                    *n = new.clone();
                }
            }
            Mutation::Remove(i) => {
                let path = pick(i);
                if let Some((last, parent)) = path.split_last() {
                    match (node(v, parent), last) {
                        (Some(Value::Object(o)), Ok(k)) => {
                            o.remove(k);
                        }
                        (Some(Value::Array(a)), Err(i)) if *i < a.len() => {
                            a.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert(i, at, s) => {
                if let Some(Value::String(t)) = node(v, &pick(i)) {
                    let bounds: Vec<usize> =
                        (0..=t.len()).filter(|&b| t.is_char_boundary(b)).collect();
                    let b = bounds.get(at.index(bounds.len())).copied().unwrap_or(0);
                    t.insert_str(b, s);
                }
            }
            Mutation::Upper(i) => {
                if let Some(Value::String(t)) = node(v, &pick(i)) {
                    *t = if t.bytes().any(|b| b.is_ascii_uppercase()) {
                        t.to_ascii_lowercase()
                    } else {
                        t.to_ascii_uppercase()
                    };
                }
            }
            Mutation::Duplicate(i) => {
                if let Some(Value::Array(a)) = node(v, &pick(i)) {
                    if let Some(x) = a.first().cloned() {
                        a.push(x);
                    }
                }
            }
        }
    }

    /// The new checks agree with the old ones on `v`: natively (`validate_template`), and as
    /// JSON text (`validate_template_json`), with `"__BIG__"` written as a number too large for
    /// `f64` (which the old reader saw as `null`).
    fn agree(v: &Value) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            validate_template(v).issues,
            old_template_issues(v),
            "native {}",
            v
        );
        let text = v.to_string().replace("\"__BIG__\"", "1e400");
        let old = match parse_owned(&text) {
            Ok(parsed) => old_template_issues(&parsed),
            Err(_) => return Err(TestCaseError::fail("written JSON did not parse")),
        };
        prop_assert_eq!(validate_template_json(&text).issues, old, "text {}", text);
        Ok(())
    }

    #[test]
    fn seeds_agree_and_are_valid() {
        for s in seeds() {
            agree(&s).unwrap();
        }
        assert!(validate_template(&seeds()[0]).valid);
        // Nesting deeper than the JSON reader accepts (128), where the checks do not look.
        let mut deep = json!("bottom");
        for _ in 0..200 {
            deep = json!([deep]);
        }
        let mut v = seeds().swap_remove(0);
        v["extra"] = deep.clone();
        v["components"][1]["example"]["body_text"] = json!([deep]);
        v["components"][3]["buttons"][0]["text"] = deep;
        // As text it is not JSON for either reader; natively it is checked as before.
        assert!(parse_owned(&v.to_string()).is_err());
        assert_eq!(
            validate_template_json(&v.to_string()).issues[0].code,
            "invalid_json"
        );
        let issues = validate_template(&v).issues;
        assert!(!issues.is_empty());
        assert_eq!(issues, old_template_issues(&v));
        // Extreme numbers survive the native path's write-and-read-back.
        agree(
            &json!({"name": f64::MAX, "category": f64::MIN, "language": u64::MAX,
            "components": [{"type": 5e-324, "text": i64::MIN}]}),
        )
        .unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn mutated_seeds_report_what_the_old_walker_reported(
            seed in 0usize..5,
            ms in prop::collection::vec(mutation(), 1..5),
        ) {
            let mut v = seeds().swap_remove(seed);
            for m in &ms {
                apply(&mut v, m);
            }
            agree(&v)?;
        }

        #[test]
        fn random_definitions_report_what_the_old_walker_reported(
            v in arb_value(),
            components in prop::collection::vec(arb_value(), 0..4),
            cat in prop::sample::select(vec!["MARKETING", "AUTHENTICATION", "utility"]),
        ) {
            agree(&v)?;
            agree(&json!({"name": "x", "category": cat, "language": "en_US", "components": components}))?;
        }

        #[test]
        fn texts_check_as_before(
            parts in prop::collection::vec(snippet(), 0..8),
            body in any::<bool>(),
            named in any::<bool>(),
        ) {
            let text = parts.concat();
            let format = if named { ParameterFormat::Named } else { ParameterFormat::Positional };
            let mut new = Vec::new();
            let sum = new_check(&text, format, Placement { body }, Path::ROOT.key("t"), &mut new);
            let mut old = Vec::new();
            let (_, old_sum) = check(&text, format, super::Placement { body }, "t", &mut old);
            prop_assert_eq!(&new, &old, "{:?}", text);
            prop_assert_eq!(sum.count(), old_sum.count());
            let old_scan = old_scan(&text);
            let mut pieces = scan(&text);
            let new_pieces: Vec<Piece<'_>> = pieces.by_ref().collect();
            prop_assert_eq!(new_pieces, old_scan.pieces);
            prop_assert_eq!(pieces.unmatched, old_scan.unmatched);
        }

        /// Arbitrary text (JSON or not) never panics.
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,120}", v in arb_value()) {
            let _ = validate_template_json(&s);
            let text = v.to_string();
            let _ = validate_template_json(&text);
            if let Ok(doc) = Doc::parse(&text) {
                let _ = template_issues(doc.root());
            }
            let wrapped = format!("{{\"name\":\"a\",\"category\":\"UTILITY\",\"language\":\"en\",\"components\":{}}}", serde_json::Value::String(s));
            let _ = validate_template_json(&wrapped);
        }
    }
}
