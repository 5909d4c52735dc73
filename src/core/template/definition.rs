//! `validateTemplate`: a create-template definition checked against every rule of
//! `platform-rules.md` §1.2–§1.7, reporting all issues with JSON-path-like paths.
//!
//! The definition is read as untrusted JSON so that a value of the wrong type becomes an issue at
//! its path instead of aborting the whole check. It is walked in the borrowed model
//! (`core::json::Json`: JSON text is parsed once, strings are not copied) and a valid definition
//! allocates nothing but the parse: issue paths are built as [`Path`] chains on the stack and
//! rendered only when an issue is reported, keywords are compared with `eq_ignore_ascii_case`,
//! and ASCII text is checked byte by byte.

use super::languages::{is_supported_language, suggest_language};
use super::name::name_issues;
use super::variables::{
    check, find_pair, has_open, is_blank, scan, ParameterFormat, Piece, Placement, Var, VarSummary,
};
use crate::core::error::{Issue, Validation};
use crate::core::input::{char_len, finite, member, wrong_kind, Path};
use crate::core::json::{same_bytes, Array, Doc, Json, Object};

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
        if is_keyword(s, "MARKETING") {
            Some(Category::Marketing)
        } else if is_keyword(s, "UTILITY") {
            Some(Category::Utility)
        } else if is_keyword(s, "AUTHENTICATION") {
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
pub fn validate_template(definition: &serde_json::Value) -> Validation {
    Validation::from_issues(template_issues_serde(definition))
}

/// [`validate_template`] over JSON text (the fast path: parsed once into the borrowed model);
/// text that is not JSON is one `invalid_json` issue.
pub fn validate_template_json(text: &str) -> Validation {
    match Doc::parse(text) {
        Ok(doc) => Validation::from_issues(template_issues(doc.root())),
        Err(e) => Validation::from_issues(vec![Issue::error(
            "",
            "invalid_json",
            format!("The template definition is not valid JSON ({}).", e),
        )]),
    }
}

/// [`template_issues`] of a `serde_json::Value` (the native convenience): the value is written
/// as JSON text and read back. Containers nested deeper than the checks look are written empty,
/// so that a deep value the reader would refuse (nesting > 128) still gets its issues.
pub(crate) fn template_issues_serde(def: &serde_json::Value) -> Vec<Issue> {
    let mut text = String::new();
    push_shallow(&mut text, def, 0);
    match Doc::parse(&text) {
        Ok(doc) => template_issues(doc.root()),
        // Not reached: the text was just written as JSON.
        Err(e) => vec![Issue::error("", "invalid_input", e.to_string())],
    }
}

/// Deepest container [`push_shallow`] writes with its contents (the checks read at most 8
/// levels: definition › components › component › example › body_text › samples › sample).
const SHALLOW_DEPTH: usize = 16;

fn push_shallow(out: &mut String, v: &serde_json::Value, depth: usize) {
    use serde_json::Value as S;
    match v {
        S::Array(a) if depth < SHALLOW_DEPTH => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_shallow(out, x, depth + 1);
            }
            out.push(']');
        }
        S::Object(o) if depth < SHALLOW_DEPTH => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::core::json::push_json_str(out, k);
                out.push(':');
                push_shallow(out, x, depth + 1);
            }
            out.push('}');
        }
        S::Array(_) => out.push_str("[]"),
        S::Object(_) => out.push_str("{}"),
        scalar => crate::core::json::push_value(out, scalar),
    }
}

const NAME: Path<'static> = Path::Key(&Path::ROOT, "name");
const CATEGORY: Path<'static> = Path::Key(&Path::ROOT, "category");
const LANGUAGE: Path<'static> = Path::Key(&Path::ROOT, "language");
const PARAMETER_FORMAT: Path<'static> = Path::Key(&Path::ROOT, "parameter_format");
const COMPONENTS: Path<'static> = Path::Key(&Path::ROOT, "components");

/// A member of an object as the checks read it (see [`finite`]).
#[inline]
fn get<'a>(obj: Object<'a>, key: &str) -> Option<Json<'a>> {
    match obj.get(key) {
        Some(v @ Json::Number(_)) => Some(finite(v)),
        v => v,
    }
}

/// Every issue of a definition.
pub(crate) fn template_issues(def: Json<'_>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let def = finite(def);
    let Some(obj) = def.as_object() else {
        issues.push(wrong_kind(Path::ROOT.key("definition"), def, "an object"));
        return issues;
    };
    match get(obj, "name") {
        Some(Json::String(n)) => issues.extend(name_issues(n, "name")),
        None | Some(Json::Null) => issues.push(Issue::error(
            NAME,
            "name_empty",
            "Template name is required (lowercase letters, digits and underscores).",
        )),
        Some(other) => issues.push(wrong_kind(NAME, other, "a string")),
    }
    let category = match get(obj, "category") {
        Some(Json::String(c)) => {
            let parsed = Category::parse(c);
            if parsed.is_none() {
                issues.push(Issue::error(
                    CATEGORY,
                    "category_invalid",
                    format!("\"{c}\" is not a template category; use MARKETING, UTILITY or AUTHENTICATION."),
                ));
            }
            parsed
        }
        None | Some(Json::Null) => {
            issues.push(Issue::error(
                CATEGORY,
                "category_missing",
                "category is required: MARKETING, UTILITY or AUTHENTICATION.",
            ));
            None
        }
        Some(other) => {
            issues.push(wrong_kind(CATEGORY, other, "a string"));
            None
        }
    };
    match get(obj, "language") {
        Some(Json::String(l)) => language_issue(l, "language", &mut issues),
        None | Some(Json::Null) => issues.push(Issue::error(
            LANGUAGE,
            "language_missing",
            "language is required, e.g. \"en_US\" (see supportedLanguages()).",
        )),
        Some(other) => issues.push(wrong_kind(LANGUAGE, other, "a string")),
    }
    let format = match get(obj, "parameter_format") {
        None | Some(Json::Null) => ParameterFormat::Positional,
        Some(Json::String(f)) => ParameterFormat::parse(f).unwrap_or_else(|| {
            issues.push(Issue::error(
                PARAMETER_FORMAT,
                "parameter_format_invalid",
                format!("\"{f}\" is not a parameter format; use \"positional\" ({{{{1}}}}) or \"named\" ({{{{first_name}}}})."),
            ));
            ParameterFormat::Positional
        }),
        Some(other) => {
            issues.push(wrong_kind(PARAMETER_FORMAT, other, "a string"));
            ParameterFormat::Positional
        }
    };
    let nested;
    let components = match get(obj, "components") {
        Some(Json::Array(a)) => Some(a),
        Some(Json::String(s)) => match Doc::parse(s) {
            Ok(doc) => {
                nested = doc;
                match finite(nested.root()) {
                    Json::Array(a) => Some(a),
                    other => {
                        issues.push(wrong_kind(COMPONENTS, other, "an array of components"));
                        None
                    }
                }
            }
            Err(e) => {
                issues.push(Issue::error(
                    COMPONENTS,
                    "invalid_json",
                    format!("components is a string but not valid JSON ({}).", e),
                ));
                None
            }
        },
        None | Some(Json::Null) => {
            issues.push(Issue::error(
                COMPONENTS,
                "components_missing",
                "components is required and must contain a BODY.",
            ));
            None
        }
        Some(other) => {
            issues.push(wrong_kind(COMPONENTS, other, "an array of components"));
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

/// The component types that are checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Component {
    Header,
    Body,
    Footer,
    Buttons,
}

/// The button types with a per-template limit (`buttons_too_many_of_type`), in one table:
/// canonical name and the most a template may have.
const BUTTON_TYPES: [(&str, usize); 10] = [
    ("QUICK_REPLY", 10),
    ("URL", 2),
    ("PHONE_NUMBER", 1),
    ("COPY_CODE", 1),
    ("OTP", 1),
    ("FLOW", 1),
    ("VOICE_CALL", 1),
    ("MPM", 1),
    ("SPM", 1),
    ("CATALOG", 1),
];
const QUICK_REPLY: usize = 0;
const URL: usize = 1;
const PHONE_NUMBER: usize = 2;
const COPY_CODE: usize = 3;
const OTP: usize = 4;
const FLOW: usize = 5;
const VOICE_CALL: usize = 6;
const MPM: usize = 7;
const SPM: usize = 8;
const CATALOG: usize = 9;

/// The index of a button type in [`BUTTON_TYPES`] (any case), `None` for other types.
fn button_type(t: &str) -> Option<usize> {
    BUTTON_TYPES
        .iter()
        .position(|(name, _)| is_keyword(t, name))
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

    fn error(&mut self, path: Path<'_>, code: &'static str, message: impl Into<String>) {
        self.issues.push(Issue::error(path, code, message));
    }

    fn warning(&mut self, path: Path<'_>, code: &'static str, message: impl Into<String>) {
        self.issues.push(Issue::warning(path, code, message));
    }

    fn wrong_type(&mut self, path: Path<'_>, v: Json<'_>, expected: &str) {
        self.issues.push(wrong_kind(path, v, expected));
    }

    fn run(&mut self, components: Array<'_>) {
        let mut counts = [0usize; 4];
        for (i, comp) in components.iter().enumerate() {
            let comp = finite(comp);
            let path = COMPONENTS.index(i);
            let Some(obj) = comp.as_object() else {
                self.wrong_type(path, comp, "a component object");
                continue;
            };
            let ty = match get(obj, "type") {
                Some(Json::String(t)) => t,
                None | Some(Json::Null) => {
                    self.error(
                        path.key("type"),
                        "component_type_missing",
                        "Each component needs a type: HEADER, BODY, FOOTER or BUTTONS.",
                    );
                    continue;
                }
                Some(other) => {
                    self.wrong_type(path.key("type"), other, "a string");
                    continue;
                }
            };
            let (kind, label) = if is_keyword(ty, "HEADER") {
                (Component::Header, "HEADER")
            } else if is_keyword(ty, "BODY") {
                (Component::Body, "BODY")
            } else if is_keyword(ty, "FOOTER") {
                (Component::Footer, "FOOTER")
            } else if is_keyword(ty, "BUTTONS") {
                (Component::Buttons, "BUTTONS")
            } else {
                let ty = ty.to_ascii_uppercase();
                if matches!(
                    ty.as_str(),
                    "CAROUSEL" | "LIMITED_TIME_OFFER" | "CALL_PERMISSION_REQUEST"
                ) {
                    self.warning(
                        path,
                        "component_not_checked",
                        format!("{ty} components are passed to Meta as they are; this library does not check them yet."),
                    );
                } else {
                    self.error(
                        path.key("type"),
                        "component_type_unknown",
                        format!("\"{ty}\" is not a template component; use HEADER, BODY, FOOTER or BUTTONS."),
                    );
                }
                continue;
            };
            let count = counts.get_mut(kind as usize);
            let n = count.map_or(1, |c| {
                *c += 1;
                *c
            });
            if n > 1 {
                self.error(
                    path,
                    "component_duplicate",
                    format!("A template has at most one {label} component."),
                );
                continue;
            }
            match kind {
                Component::Header => self.header(obj, path),
                Component::Body => self.body(obj, path),
                Component::Footer => self.footer(obj, path),
                Component::Buttons => self.buttons(obj, path),
            }
        }
        let [_, bodies, _, buttons] = counts;
        if bodies == 0 {
            self.error(
                COMPONENTS,
                "body_missing",
                "Every template needs exactly one BODY component.",
            );
        }
        if self.auth() && buttons == 0 {
            self.error(
                COMPONENTS,
                "auth_otp_button_missing",
                "AUTHENTICATION templates need a BUTTONS component with one OTP button (otp_type COPY_CODE, ONE_TAP or ZERO_TAP).",
            );
        }
    }

    fn text<'a>(
        &mut self,
        obj: Object<'a>,
        path: Path<'_>,
        required: &'static str,
        what: &str,
    ) -> Option<&'a str> {
        match get(obj, "text") {
            Some(Json::String(s)) if !is_blank(s) => Some(s),
            None | Some(Json::Null) | Some(Json::String(_)) => {
                self.error(
                    path.key("text"),
                    required,
                    format!("{what} needs a non-empty text."),
                );
                None
            }
            Some(other) => {
                self.wrong_type(path.key("text"), other, "a string");
                None
            }
        }
    }

    fn header(&mut self, obj: Object<'_>, path: Path<'_>) {
        if self.auth() {
            self.error(
                path,
                "auth_header_not_allowed",
                "AUTHENTICATION templates cannot have a header (their content is fixed by Meta).",
            );
            return;
        }
        let format = match get(obj, "format") {
            Some(Json::String(f)) => f,
            None | Some(Json::Null) => {
                self.error(
                    path.key("format"),
                    "header_format_missing",
                    "A HEADER needs a format: TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.",
                );
                return;
            }
            Some(other) => {
                self.wrong_type(path.key("format"), other, "a string");
                return;
            }
        };
        let is = |name: &str| is_keyword(format, name);
        if is("TEXT") {
            self.text_header(obj, path);
        } else if is("IMAGE") || is("VIDEO") || is("DOCUMENT") {
            let ok = matches!(
                get(obj, "example").and_then(|e| member(e, "header_handle")),
                Some(Json::Array(a)) if a.first().and_then(Json::as_str).is_some_and(|h| !h.is_empty())
            );
            if !ok {
                let format = Upper(format);
                self.error(
                    path.key("example.header_handle"),
                    "header_example_missing",
                    format!("A {format} header needs a sample: example.header_handle = [\"<handle>\"], where the handle comes from the Resumable Upload API (not a media id)."),
                );
            }
        } else if is("LOCATION") {
        } else if is("GIF") || is("PRODUCT") {
            let format = Upper(format);
            self.warning(
                path.key("format"),
                "header_format_limited",
                format!("{format} headers are only available in special template types (GIF: MM Lite; PRODUCT: single-product messages)."),
            );
        } else {
            let format = Upper(format);
            self.error(
                path.key("format"),
                "header_format_invalid",
                format!("\"{format}\" is not a header format; use TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION."),
            );
        }
    }

    fn text_header(&mut self, obj: Object<'_>, path: Path<'_>) {
        let Some(text) = self.text(obj, path, "header_text_missing", "A TEXT header") else {
            return;
        };
        let tpath = path.key("text");
        let len = char_len(text);
        if len > HEADER_TEXT_MAX_LEN {
            self.error(
                tpath,
                "header_text_too_long",
                format!("Header text is {len} characters; the limit is {HEADER_TEXT_MAX_LEN} (variables included)."),
            );
        }
        // Bytes, not chars: the characters looked for are ASCII, and no byte of a multi-byte
        // UTF-8 character is ASCII.
        let bytes = text.as_bytes();
        if bytes.iter().any(|&b| b == b'\n' || b == b'\r') {
            self.error(
                tpath,
                "header_text_newline",
                "Header text must be a single line.",
            );
        }
        if has_emoji(text) {
            self.error(
                tpath,
                "header_text_emoji",
                "Header text cannot contain emoji (platform-rules §1.4); move it to the body.",
            );
        }
        if bytes.iter().any(|b| matches!(b, b'*' | b'_' | b'~' | b'`')) && !has_open(text) {
            self.warning(
                tpath,
                "header_text_formatting",
                "Headers do not support WhatsApp formatting (*bold*, _italic_, ~strike~, ```mono```); the symbols are shown as typed.",
            );
        }
        let vars = check(
            text,
            self.format,
            Placement { body: false },
            tpath,
            self.issues,
        );
        if vars.count() > 1 {
            self.error(
                tpath,
                "header_too_many_variables",
                format!(
                    "A TEXT header may have at most 1 variable; this one has {}.",
                    vars.count()
                ),
            );
        }
        self.examples(
            obj,
            path,
            &vars,
            "header_text",
            "header_text_named_params",
            false,
        );
    }

    fn body(&mut self, obj: Object<'_>, path: Path<'_>) {
        if self.auth() {
            if get(obj, "text").is_some_and(|t| !t.is_null()) {
                self.error(
                    path.key("text"),
                    "auth_body_text_not_allowed",
                    "AUTHENTICATION templates use Meta's fixed body (\"{{1}} is your verification code.\"); remove text and set only add_security_recommendation.",
                );
            }
            if let Some(v) = get(obj, "add_security_recommendation") {
                if !v.is_boolean() && !v.is_null() {
                    self.wrong_type(path.key("add_security_recommendation"), v, "a boolean");
                }
            }
            return;
        }
        let Some(text) = self.text(obj, path, "body_text_missing", "The BODY") else {
            return;
        };
        let tpath = path.key("text");
        let len = char_len(text);
        if len > BODY_MAX_LEN {
            self.error(
                tpath,
                "body_too_long",
                format!(
                    "Body is {len} characters; the limit is {BODY_MAX_LEN} (variables included)."
                ),
            );
        }
        let vars = check(
            text,
            self.format,
            Placement { body: true },
            tpath,
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
        obj: Object<'_>,
        path: Path<'_>,
        vars: &VarSummary<'_>,
        pos_key: &'static str,
        named_key: &'static str,
        nested: bool,
    ) {
        if vars.count() == 0 {
            return;
        }
        let example = get(obj, "example");
        let named = !vars.named.is_empty();
        if named && vars.positional > 0 {
            return; // already reported as variables_mixed
        }
        let example_path = path.key("example");
        if !named {
            let key_path = example_path.key(pos_key);
            let raw = example.and_then(|e| member(e, pos_key));
            let list = match (raw, nested) {
                (Some(Json::Array(outer)), true) => match outer.first().map(finite) {
                    Some(Json::Array(inner)) => Some(inner),
                    _ => None,
                },
                (Some(Json::Array(a)), false) => Some(a),
                _ => None,
            };
            let Some(list) = list else {
                let shape = if nested {
                    "[[\"value 1\", \"value 2\"]]"
                } else {
                    "[\"value\"]"
                };
                match raw.filter(|r| !r.is_null()) {
                    None => self.error(
                        key_path,
                        "example_missing",
                        format!("Every variable needs a sample value: set example.{pos_key} = {shape} ({} value(s)); Meta rejects templates without them.", vars.count()),
                    ),
                    Some(given) => self.error(
                        key_path,
                        "example_wrong_shape",
                        format!("example.{pos_key} is present but in the wrong shape ({}): Meta expects {shape} ({} value(s)).", given.type_name(), vars.count()),
                    ),
                }
                return;
            };
            if list.len() != vars.count() {
                self.error(
                    key_path,
                    "example_count_mismatch",
                    format!(
                        "The text has {} variable(s) but example.{pos_key} gives {} value(s).",
                        vars.count(),
                        list.len()
                    ),
                );
            }
            if let Some((i, bad)) = list
                .iter()
                .map(finite)
                .enumerate()
                .find(|(_, v)| !matches!(v, Json::String(s) if !is_blank(s)))
            {
                self.error(
                    key_path.index(i),
                    "example_invalid",
                    format!(
                        "Sample values must be non-empty strings, got {}.",
                        bad.type_name()
                    ),
                );
            }
        } else {
            let key_path = example_path.key(named_key);
            let given = example.and_then(|e| member(e, named_key));
            let Some(Json::Array(list)) = given else {
                let (code, what) = match given.filter(|g| !g.is_null()) {
                    None => ("example_missing", String::new()),
                    Some(g) => (
                        "example_wrong_shape",
                        format!(
                            "example.{named_key} is present but in the wrong shape ({}). ",
                            g.type_name()
                        ),
                    ),
                };
                self.error(
                    key_path,
                    code,
                    format!("{what}Every variable needs a sample value: set example.{named_key} = [{{\"param_name\": \"…\", \"example\": \"…\"}}] for each name."),
                );
                return;
            };
            // The names of the usable samples, in order (read again instead of collected).
            let given = || {
                list.iter().filter_map(|item| {
                    let name = member(item, "param_name").and_then(Json::as_str);
                    let ex = member(item, "example").and_then(Json::as_str);
                    match (name, ex) {
                        (Some(n), Some(e)) if !is_blank(e) => Some(n),
                        _ => None,
                    }
                })
            };
            for (i, item) in list.iter().enumerate() {
                let name = member(item, "param_name").and_then(Json::as_str);
                let ex = member(item, "example").and_then(Json::as_str);
                if !matches!((name, ex), (Some(_), Some(e)) if !is_blank(e)) {
                    self.error(
                        key_path.index(i),
                        "example_invalid",
                        "Each named sample needs a param_name and a non-empty example string.",
                    );
                }
            }
            for name in &vars.named {
                if !given().any(|g| g == *name) {
                    self.error(
                        key_path,
                        "example_missing",
                        format!("No sample value for {{{{{name}}}}}."),
                    );
                }
            }
            for g in given() {
                if !vars.named.contains(&g) {
                    self.error(
                        key_path,
                        "example_name_mismatch",
                        format!(
                            "A sample is given for \"{g}\", which is not a variable of this text."
                        ),
                    );
                }
            }
        }
    }

    fn footer(&mut self, obj: Object<'_>, path: Path<'_>) {
        if self.auth() {
            if get(obj, "text").is_some_and(|t| !t.is_null()) {
                self.error(
                    path.key("text"),
                    "auth_footer_text_not_allowed",
                    "AUTHENTICATION footers are generated by Meta; set code_expiration_minutes (1–90) instead of text.",
                );
            }
            match get(obj, "code_expiration_minutes") {
                None | Some(Json::Null) => {}
                Some(v) => {
                    if !v.as_u64().is_some_and(|m| (1..=90).contains(&m)) {
                        self.error(
                            path.key("code_expiration_minutes"),
                            "auth_code_expiration_invalid",
                            "code_expiration_minutes must be a whole number from 1 to 90.",
                        );
                    }
                }
            }
            return;
        }
        let Some(text) = self.text(obj, path, "footer_text_missing", "A FOOTER") else {
            return;
        };
        let tpath = path.key("text");
        let len = char_len(text);
        if len > FOOTER_MAX_LEN {
            self.error(
                tpath,
                "footer_too_long",
                format!("Footer is {len} characters; the limit is {FOOTER_MAX_LEN}."),
            );
        }
        if has_open(text) || find_pair(text, b'}').is_some() {
            self.error(
                tpath,
                "footer_variables_not_allowed",
                "Footers are plain text: variables are not allowed.",
            );
        }
    }

    fn buttons(&mut self, obj: Object<'_>, path: Path<'_>) {
        let bpath = path.key("buttons");
        let list = match get(obj, "buttons") {
            Some(Json::Array(a)) if !a.is_empty() => a,
            Some(Json::Array(_)) | None | Some(Json::Null) => {
                self.error(
                    bpath,
                    "buttons_empty",
                    "A BUTTONS component needs a non-empty buttons array.",
                );
                if self.auth() {
                    self.error(
                        bpath,
                        "auth_otp_button_missing",
                        "AUTHENTICATION templates need exactly one OTP button.",
                    );
                }
                return;
            }
            Some(other) => {
                self.wrong_type(bpath, other, "an array of buttons");
                return;
            }
        };
        if list.len() > BUTTONS_MAX {
            self.error(
                bpath,
                "buttons_too_many",
                format!(
                    "A template may have at most {BUTTONS_MAX} buttons; this one has {}.",
                    list.len()
                ),
            );
        }
        // How many of each limited type, and the types in order of first appearance (the order
        // of the `buttons_too_many_of_type` issues).
        let mut counts = [0usize; BUTTON_TYPES.len()];
        let mut order = [0usize; BUTTON_TYPES.len()];
        let mut seen = 0usize;
        let mut qr_runs = 0usize;
        let mut prev_qr: Option<bool> = None;
        for (i, b) in list.iter().enumerate() {
            let b = finite(b);
            let p = bpath.index(i);
            let Some(bo) = b.as_object() else {
                self.wrong_type(p, b, "a button object");
                continue;
            };
            let raw = match get(bo, "type") {
                Some(Json::String(t)) => t,
                Some(other) => {
                    self.wrong_type(p.key("type"), other, "a string");
                    continue;
                }
                None => {
                    self.error(
                        p.key("type"),
                        "button_type_missing",
                        "Each button needs a type: QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL.",
                    );
                    continue;
                }
            };
            let ty = button_type(raw);
            let is_qr = ty == Some(QUICK_REPLY);
            if prev_qr != Some(is_qr) && is_qr {
                qr_runs += 1;
            }
            prev_qr = Some(is_qr);
            if let Some(t) = ty {
                if let Some(c) = counts.get_mut(t) {
                    if *c == 0 {
                        if let Some(slot) = order.get_mut(seen) {
                            *slot = t;
                        }
                        seen += 1;
                    }
                    *c += 1;
                }
            }
            if ty != Some(OTP) && self.auth() {
                self.error(
                    p.key("type"),
                    "auth_button_not_allowed",
                    format!(
                        "AUTHENTICATION templates allow only the OTP button, not {}.",
                        Upper(raw)
                    ),
                );
            }
            self.button(bo, ty, raw, p);
        }
        if qr_runs > 1 {
            self.error(
                bpath,
                "quick_replies_not_grouped",
                "Quick-reply buttons must be grouped together, all before or all after the other buttons.",
            );
        }
        for &t in order.iter().take(seen) {
            let (Some(&(name, max)), Some(&n)) = (BUTTON_TYPES.get(t), counts.get(t)) else {
                continue;
            };
            if n > max {
                self.error(
                    bpath,
                    "buttons_too_many_of_type",
                    format!(
                        "A template may have at most {max} {name} button(s); this one has {n}."
                    ),
                );
            }
        }
        if self.auth() && counts.get(OTP).copied().unwrap_or(0) == 0 {
            self.error(
                bpath,
                "auth_otp_button_missing",
                "AUTHENTICATION templates need exactly one OTP button (otp_type COPY_CODE, ONE_TAP or ZERO_TAP).",
            );
        }
    }

    /// One button of type `ty` ([`BUTTON_TYPES`] index; `None`: another type), written `raw`.
    fn button(&mut self, b: Object<'_>, ty: Option<usize>, raw: &str, p: Path<'_>) {
        let text = match get(b, "text") {
            Some(Json::String(s)) => Some(s),
            None | Some(Json::Null) => None,
            Some(other) => {
                self.wrong_type(p.key("text"), other, "a string");
                return;
            }
        };
        let text_required = !matches!(ty, Some(OTP | COPY_CODE | MPM | SPM | CATALOG));
        match text {
            Some(t) if !is_blank(t) => {
                let len = char_len(t);
                if len > BUTTON_TEXT_MAX_LEN {
                    self.error(
                        p.key("text"),
                        "button_text_too_long",
                        format!("Button text is {len} characters; the limit is {BUTTON_TEXT_MAX_LEN}."),
                    );
                }
                if self.auth() && has_emoji(t) {
                    self.error(
                        p.key("text"),
                        "auth_emoji_not_allowed",
                        "AUTHENTICATION templates cannot contain emoji.",
                    );
                }
                if has_open(t) {
                    self.error(
                        p.key("text"),
                        "button_text_variables_not_allowed",
                        "Button labels cannot contain variables.",
                    );
                }
            }
            _ if text_required => self.error(
                p.key("text"),
                "button_text_missing",
                format!(
                    "A {} button needs a text (its label, at most {BUTTON_TEXT_MAX_LEN} characters).",
                    Upper(raw)
                ),
            ),
            _ => {}
        }
        match ty {
            Some(QUICK_REPLY | VOICE_CALL) => {}
            Some(URL) => self.url_button(b, p),
            Some(PHONE_NUMBER) => match get(b, "phone_number") {
                Some(Json::String(n)) if !is_blank(n) => {
                    let len = char_len(n);
                    if len > BUTTON_PHONE_MAX_LEN {
                        self.error(
                            p.key("phone_number"),
                            "button_phone_too_long",
                            format!("The phone number is {len} characters; the limit is {BUTTON_PHONE_MAX_LEN} (with + and country code)."),
                        );
                    }
                    // Bytes: every allowed character is ASCII, so any non-ASCII byte is not.
                    let digits = n.bytes().filter(u8::is_ascii_digit).count();
                    if digits < 8
                        || n.bytes().any(|c| {
                            !(c.is_ascii_digit() || matches!(c, b'+' | b' ' | b'-' | b'(' | b')'))
                        })
                    {
                        self.error(
                            p.key("phone_number"),
                            "button_phone_invalid",
                            "The phone number must be in international format, e.g. +15550001234.",
                        );
                    }
                }
                _ => self.error(
                    p.key("phone_number"),
                    "button_phone_missing",
                    "A PHONE_NUMBER button needs phone_number (international format, e.g. +15550001234).",
                ),
            },
            Some(COPY_CODE) => match get(b, "example") {
                Some(Json::String(e)) if !is_blank(e) => {
                    let len = char_len(e);
                    if len > COPY_CODE_MAX_LEN {
                        self.error(
                            p.key("example"),
                            "button_copy_code_example_too_long",
                            format!("The sample code is {len} characters; keep it at most {COPY_CODE_MAX_LEN}."),
                        );
                    }
                }
                _ => self.error(
                    p.key("example"),
                    "button_copy_code_example_missing",
                    "A COPY_CODE button needs example: a sample code such as \"SAVE30\".",
                ),
            },
            Some(OTP) => self.otp_button(b, p),
            Some(FLOW) => {
                if !["flow_id", "flow_name", "flow_json"]
                    .into_iter()
                    .any(|k| get(b, k).is_some_and(|v| !v.is_null()))
                {
                    self.error(
                        p,
                        "button_flow_missing",
                        "A FLOW button needs flow_id, flow_name or flow_json.",
                    );
                }
                if let Some(a) = get(b, "flow_action") {
                    if !matches!(a.as_str(), Some("navigate" | "data_exchange")) {
                        self.error(
                            p.key("flow_action"),
                            "button_flow_action_invalid",
                            "flow_action must be \"navigate\" or \"data_exchange\".",
                        );
                    }
                }
            }
            Some(MPM | SPM | CATALOG) => self.warning(
                p,
                "component_not_checked",
                format!(
                    "{} buttons are passed to Meta as they are; this library does not check them yet.",
                    Upper(raw)
                ),
            ),
            _ => self.error(
                p.key("type"),
                "button_type_unknown",
                format!(
                    "\"{}\" is not a button type; use QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL.",
                    Upper(raw)
                ),
            ),
        }
    }

    fn url_button(&mut self, b: Object<'_>, p: Path<'_>) {
        let upath = p.key("url");
        let url = match get(b, "url") {
            Some(Json::String(u)) if !is_blank(u) => u,
            _ => {
                self.error(
                    upath,
                    "button_url_missing",
                    "A URL button needs url, e.g. https://example.com/track/{{1}}.",
                );
                return;
            }
        };
        if self.auth() {
            return; // already reported as auth_button_not_allowed
        }
        let len = char_len(url);
        if len > BUTTON_URL_MAX_LEN {
            self.error(
                upath,
                "button_url_too_long",
                format!("The URL is {len} characters; the limit is {BUTTON_URL_MAX_LEN}."),
            );
        }
        // The first 8 (7) bytes equal to ASCII `https://` (`http://`) ignoring case are the
        // first 8 (7) characters: no byte of a multi-byte character is ASCII.
        let bytes = url.as_bytes();
        let http = bytes
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"https://"))
            || bytes
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"http://"));
        if !http || has_whitespace(url) {
            self.error(
                upath,
                "button_url_invalid",
                "The URL must be an absolute http(s) URL without spaces.",
            );
        }
        let mut pieces = scan(url);
        let mut n = 0usize;
        let mut first = None;
        for piece in pieces.by_ref() {
            if let Piece::Var(v) = piece {
                n += 1;
                first.get_or_insert(v);
            }
        }
        if pieces.unmatched > 0 {
            self.error(
                upath,
                "variable_unmatched_braces",
                "The URL has a '{{' or '}}' that is not part of a variable such as {{1}}.",
            );
        }
        if n > 1 {
            self.error(
                upath,
                "button_url_too_many_variables",
                format!("A URL may contain at most 1 variable; this one has {n}."),
            );
        }
        if n >= 1 {
            if !trimmed_ends_with_close(url) {
                self.error(
                    upath,
                    "button_url_variable_not_at_end",
                    "The URL variable must be at the very end, e.g. https://example.com/track/{{1}}.",
                );
            }
            if let Some(Var::Invalid(raw)) = first {
                self.error(
                    upath,
                    "variable_invalid",
                    format!("{{{{{raw}}}}} is not a valid variable; URL buttons use {{{{1}}}}."),
                );
            }
            let example = match get(b, "example") {
                Some(Json::Array(a)) => a.first().and_then(Json::as_str),
                Some(Json::String(s)) => Some(s),
                _ => None,
            };
            match example {
                Some(e) if !is_blank(e) => {
                    let prefix = url
                        .get(..find_pair(url, b'{').unwrap_or(url.len()))
                        .unwrap_or("");
                    if !e.starts_with(prefix) {
                        self.warning(
                            p.key("example"),
                            "button_url_example_mismatch",
                            format!("The example should be the full URL with a sample value, starting with \"{prefix}\"."),
                        );
                    }
                }
                _ => self.error(
                    p.key("example"),
                    "button_url_example_missing",
                    "A URL with a variable needs example: [\"<the full URL with a sample value>\"], e.g. [\"https://example.com/track/ABC123\"].",
                ),
            }
        }
    }

    fn otp_button(&mut self, b: Object<'_>, p: Path<'_>) {
        if !self.auth() {
            self.error(
                p.key("type"),
                "button_otp_requires_authentication",
                "OTP buttons are only allowed in AUTHENTICATION templates.",
            );
        }
        let otp_type = get(b, "otp_type").and_then(Json::as_str).and_then(|t| {
            ["COPY_CODE", "ONE_TAP", "ZERO_TAP"]
                .into_iter()
                .find(|name| is_keyword(t, name))
        });
        let Some(otp_type) = otp_type else {
            self.error(
                p.key("otp_type"),
                "button_otp_type_invalid",
                "otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.",
            );
            return;
        };
        if let Some(a) = get(b, "autofill_text") {
            if !a
                .as_str()
                .is_some_and(|s| char_len(s) <= BUTTON_TEXT_MAX_LEN)
            {
                self.error(
                    p.key("autofill_text"),
                    "button_autofill_text_invalid",
                    format!("autofill_text must be a string of at most {BUTTON_TEXT_MAX_LEN} characters."),
                );
            }
        }
        if otp_type == "COPY_CODE" {
            return;
        }
        let apps_path = p.key("supported_apps");
        match get(b, "supported_apps") {
            Some(Json::Array(apps)) if !apps.is_empty() => {
                if apps.len() > 5 {
                    self.error(
                        apps_path,
                        "button_supported_apps_too_many",
                        format!("At most 5 supported apps; {} given.", apps.len()),
                    );
                }
                for (i, app) in apps.iter().enumerate() {
                    self.app_issues(
                        member(app, "package_name").and_then(Json::as_str),
                        member(app, "signature_hash").and_then(Json::as_str),
                        apps_path.index(i),
                    );
                }
            }
            _ => {
                let pkg = get(b, "package_name").and_then(Json::as_str);
                let sig = get(b, "signature_hash").and_then(Json::as_str);
                if pkg.is_none() && sig.is_none() {
                    self.error(
                        apps_path,
                        "button_supported_apps_missing",
                        format!("{otp_type} buttons need supported_apps: [{{\"package_name\": \"com.example.app\", \"signature_hash\": \"<11 chars>\"}}]."),
                    );
                } else {
                    self.app_issues(pkg, sig, p);
                }
            }
        }
        if otp_type == "ZERO_TAP"
            && !matches!(get(b, "zero_tap_terms_accepted"), Some(Json::Bool(true)))
        {
            self.error(
                p.key("zero_tap_terms_accepted"),
                "button_zero_tap_terms_not_accepted",
                "ZERO_TAP buttons need zero_tap_terms_accepted: true (you accept Meta's zero-tap terms).",
            );
        }
    }

    fn app_issues(&mut self, pkg: Option<&str>, sig: Option<&str>, base: Path<'_>) {
        // At least two dot-separated parts (so a dot), each non-empty letters, digits and `_`.
        let pkg_ok = pkg.is_some_and(|s| {
            char_len(s) <= 224
                && s.contains('.')
                && s.split('.').all(|seg| {
                    !seg.is_empty() && seg.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                })
        });
        if !pkg_ok {
            self.error(
                base.key("package_name"),
                "button_package_name_invalid",
                "package_name must be an Android package name such as com.example.app (≤ 224 characters, at least two dot-separated parts of letters, digits and _).",
            );
        }
        let sig_ok = sig.is_some_and(|s| {
            s.len() == 11
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
        });
        if !sig_ok {
            self.error(
                base.key("signature_hash"),
                "button_signature_hash_invalid",
                "signature_hash must be your app's 11-character signing-key hash (letters, digits, +, / and =).",
            );
        }
    }
}

/// `s` in ASCII upper case, for messages (what the old code showed after `to_ascii_uppercase`),
/// written in one place instead of a `String` made and dropped at every message.
struct Upper<'s>(&'s str);

impl std::fmt::Display for Upper<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_ascii_uppercase())
    }
}

/// `s.eq_ignore_ascii_case(keyword)`, trying the exact (usual) spelling first: a `memcmp` instead
/// of a byte-by-byte case fold.
fn is_keyword(s: &str, keyword: &str) -> bool {
    s.len() == keyword.len()
        && (same_bytes(s.as_bytes(), keyword.as_bytes()) || s.eq_ignore_ascii_case(keyword))
}

/// `s.contains(char::is_whitespace)`, byte by byte for ASCII text.
fn has_whitespace(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes()
            .any(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
    } else {
        s.contains(char::is_whitespace)
    }
}

/// `s.trim_end().ends_with("}}")`, byte by byte unless the text ends with a non-ASCII character
/// (which may be Unicode white space).
fn trimmed_ends_with_close(s: &str) -> bool {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(&c) = end.checked_sub(1).and_then(|i| b.get(i)) {
        match c {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => end -= 1,
            0x80.. => return s.trim_end().ends_with("}}"),
            _ => break,
        }
    }
    b.get(..end).is_some_and(|t| t.ends_with(b"}}"))
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

#[cfg(test)]
mod tests {
    use super::{has_whitespace, is_blank, trimmed_ends_with_close};
    use proptest::prelude::*;

    /// Text made of the characters the byte-wise helpers must get right: ASCII and Unicode
    /// white space (U+0085, U+00A0, U+2003, U+3000), braces, other ASCII and non-ASCII.
    fn tricky() -> impl Strategy<Value = String> {
        "[ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}{}a.é🎉]{0,12}"
    }

    proptest! {
        #[test]
        fn byte_helpers_agree_with_std(s in tricky()) {
            prop_assert_eq!(is_blank(&s), s.trim().is_empty());
            prop_assert_eq!(has_whitespace(&s), s.contains(char::is_whitespace));
            prop_assert_eq!(trimmed_ends_with_close(&s), s.trim_end().ends_with("}}"));
        }
    }
}
