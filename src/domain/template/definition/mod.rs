//! `validateTemplate`: a create-template definition checked against every rule of
//! `platform-rules.md` §1.2–§1.7, reporting all issues with JSON-path-like paths.
//!
//! The definition is read as untrusted JSON so that a value of the wrong type becomes an issue at
//! its path instead of aborting the whole check. It is walked in the borrowed model
//! (`domain::json::Json`: JSON text is parsed once, strings are not copied) and a valid definition
//! allocates nothing but the parse: issue paths are built as [`Path`] chains on the stack and
//! rendered only when an issue is reported, keywords are compared with `eq_ignore_ascii_case`,
//! and ASCII text is checked byte by byte.

mod body;
mod buttons;
mod footer;
mod header;

use super::languages::{is_supported_language, suggest_language};
use super::name::name_issues;
use super::variables::{
    check, find_pair, has_open, is_blank, scan, ParameterFormat, Piece, Placement, Var, VarSummary,
};
use crate::domain::error::{Issue, Validation};
use crate::domain::input::{char_len, finite, member, wrong_kind, Path};
use crate::domain::json::{same_bytes, Array, Doc, Json, Object};

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
#[non_exhaustive]
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
/// components }`), given as JSON text, and returns every issue found. `components` may also be a
/// JSON string (the seed's `template_components`); text that is not JSON is one `invalid_json`
/// issue.
///
/// ```
/// use whatsapp_business::validate_template;
/// let v = validate_template(r#"{
///   "name": "order_update", "category": "UTILITY", "language": "en_US",
///   "components": [{ "type": "BODY", "text": "Hi {{1}}, your order is ready.",
///                    "example": { "body_text": [["Ann"]] } }]
/// }"#);
/// assert!(v.valid, "{:?}", v.issues);
/// assert_eq!(validate_template("{").issues[0].code, "invalid_json");
/// ```
pub fn validate_template(definition: &str) -> Validation {
    match Doc::parse(definition) {
        Ok(doc) => Validation::from_issues(template_issues(doc.root())),
        Err(e) => Validation::from_issues(vec![Issue::error(
            "",
            "invalid_json",
            format!("The template definition is not valid JSON ({}).", e),
        )]),
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
