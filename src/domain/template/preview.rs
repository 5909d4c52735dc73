//! `renderTemplatePreview`: a template as the recipient sees it — variables filled with the given
//! values or the definition's examples, and WhatsApp formatting (`*bold*`, `_italic_`,
//! `~strike~`, ```` ```mono``` ````) resolved into styled spans, so a page can draw it without its
//! own parser.

use super::binding::{BodyValues, TemplateValues};
use super::variables::{scan, Piece, Var};
use crate::domain::error::Error;
use crate::domain::input::{member, parse_input, whole_u64};
use crate::domain::json::Json;
use crate::domain::json::{dyn_opt, Obj, ToJson};

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Span {
    /// The characters shown.
    pub text: String,
    /// `*bold*`
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_false"))]
    pub bold: bool,
    /// `_italic_`
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_false"))]
    pub italic: bool,
    /// `~strike~`
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_false"))]
    pub strike: bool,
    /// ```` ```mono``` ````
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_false"))]
    pub mono: bool,
    /// Came from a variable (value, example, or the raw `{{n}}` when neither is known).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_false"))]
    pub variable: bool,
}

#[cfg(feature = "serde")]
fn is_false(b: &bool) -> bool {
    !*b
}

/// One part of the message (header, body or footer).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PreviewPart {
    /// For the header: `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT` or `LOCATION`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub format: Option<String>,
    /// The plain text shown (formatting markers removed).
    pub text: String,
    /// The same text as styled spans.
    pub spans: Vec<Span>,
}

/// A button as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct PreviewButton {
    /// Button type (`QUICK_REPLY`, `URL`, …).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: String,
    /// Label.
    pub text: String,
    /// For URL buttons: the URL with the suffix filled in.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub url: Option<String>,
    /// For PHONE_NUMBER buttons.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub phone_number: Option<String>,
}

/// The rendered template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Preview {
    /// Header, if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub header: Option<PreviewPart>,
    /// Body.
    pub body: PreviewPart,
    /// Footer, if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub footer: Option<PreviewPart>,
    /// Buttons in order.
    pub buttons: Vec<PreviewButton>,
}

/// Renders a definition (create shape or as `get_templates` returns it), given as JSON text.
/// Only text that is not JSON fails (an `invalid_json` validation error): missing parts are left
/// out and unknown variables are shown as `{{n}}`.
///
/// ```
/// use whatsapp_business::render_template_preview;
/// let def = r#"{"components": [{"type": "BODY", "text": "Hi *{{1}}*",
///     "example": {"body_text": [["Ann"]]}}]}"#;
/// let preview = render_template_preview(def, None).unwrap();
/// assert!(format!("{preview:?}").contains("Ann"));
/// ```
pub fn render_template_preview(
    definition: &str,
    values: Option<&TemplateValues>,
) -> Result<Preview, Error> {
    let doc =
        parse_input(definition, "definition", "definition").map_err(|issue| Error::Validation {
            issues: vec![issue],
        })?;
    Ok(preview(doc.root(), values))
}

/// [`render_template_preview`] of a parsed definition.
pub(crate) fn preview(definition: Json<'_>, values: Option<&TemplateValues>) -> Preview {
    let mut out = Preview::default();
    let mut inner = None;
    let comps =
        super::components_of(member(definition, "components"), &mut inner).unwrap_or_default();
    let auth = definition
        .get("category")
        .and_then(Json::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("AUTHENTICATION"));
    let ty = |c: Json<'_>| {
        c.get("type")
            .and_then(Json::as_str)
            .map(str::to_ascii_uppercase)
            .unwrap_or_default()
    };
    let mut body_values: Vec<String> = Vec::new();
    for c in comps {
        let text = c.get("text").and_then(Json::as_str);
        match ty(c).as_str() {
            "HEADER" => {
                let format = c
                    .get("format")
                    .and_then(Json::as_str)
                    .map(str::to_ascii_uppercase)
                    .unwrap_or_else(|| "TEXT".into());
                let mut part = if format == "TEXT" {
                    let header_value = values
                        .and_then(|v| v.header.as_ref())
                        .and_then(|p| p.text.clone());
                    render(text.unwrap_or(""), &mut |var, _| {
                        header_value
                            .clone()
                            .or_else(|| lookup_named(values, var))
                            .or_else(|| {
                                example(c, "header_text", "header_text_named_params", var, false)
                            })
                    })
                } else {
                    PreviewPart::default()
                };
                part.format = Some(format);
                out.header = Some(part);
            }
            "BODY" => {
                if auth && text.is_none() {
                    let code = first_value(values).unwrap_or_else(|| "123456".into());
                    let mut t = String::from("*{{1}}* is your verification code.");
                    if matches!(c.get("add_security_recommendation"), Some(Json::Bool(true))) {
                        t.push_str(" For your security, do not share this code.");
                    }
                    out.body = render(&t, &mut |_, _| Some(code.clone()));
                    body_values.push(code);
                } else {
                    out.body = render(text.unwrap_or(""), &mut |var, i| {
                        let v = match values.and_then(|v| v.body.as_ref()) {
                            Some(BodyValues::Positional(list)) => list.get(i).cloned(),
                            Some(BodyValues::Named(_)) => lookup_named(values, var),
                            None => None,
                        }
                        .or_else(|| example(c, "body_text", "body_text_named_params", var, true));
                        if let Some(v) = &v {
                            body_values.push(v.clone());
                        }
                        v
                    });
                }
            }
            "FOOTER" => {
                if let Some(t) = text {
                    out.footer = Some(render(t, &mut |_, _| None));
                } else if let Some(m) = member(c, "code_expiration_minutes").and_then(whole_u64) {
                    out.footer = Some(render(
                        &format!("This code expires in {m} minutes."),
                        &mut |_, _| None,
                    ));
                }
            }
            "BUTTONS" => {
                let list = c.get("buttons").and_then(Json::as_array);
                for (i, b) in list.iter().flat_map(|a| a.iter()).enumerate() {
                    let kind = b
                        .get("type")
                        .and_then(Json::as_str)
                        .map(str::to_ascii_uppercase)
                        .unwrap_or_default();
                    let label = b
                        .get("text")
                        .and_then(Json::as_str)
                        .map(str::to_owned)
                        .unwrap_or_else(|| {
                            match (kind.as_str(), b.get("otp_type").and_then(Json::as_str)) {
                                ("OTP", Some("ONE_TAP" | "ZERO_TAP")) => "Autofill".into(),
                                ("OTP", _) => "Copy code".into(),
                                ("COPY_CODE", _) => "Copy offer code".into(),
                                _ => String::new(),
                            }
                        });
                    let url = b.get("url").and_then(Json::as_str).map(|u| {
                        let given = values
                            .and_then(|v| {
                                v.buttons
                                    .iter()
                                    .find(|(n, _)| usize::try_from(*n).ok() == Some(i))
                            })
                            .and_then(|(_, p)| p.text.clone());
                        match (super::variables::find_pair(u, b'{'), given) {
                            (Some(at), Some(suffix)) => {
                                format!("{}{suffix}", u.get(..at).unwrap_or(""))
                            }
                            (Some(_), None) => match b.get("example") {
                                Some(Json::Array(a)) => {
                                    a.first().and_then(Json::as_str).unwrap_or(u).to_owned()
                                }
                                Some(Json::String(s)) => s.to_owned(),
                                _ => u.to_owned(),
                            },
                            (None, _) => u.to_owned(),
                        }
                    });
                    out.buttons.push(PreviewButton {
                        kind,
                        text: label,
                        url,
                        phone_number: b
                            .get("phone_number")
                            .and_then(Json::as_str)
                            .map(str::to_owned),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

fn first_value(values: Option<&TemplateValues>) -> Option<String> {
    match values?.body.as_ref()? {
        BodyValues::Positional(l) => l.first().cloned(),
        BodyValues::Named(n) => n.first().map(|(_, v)| v.clone()),
    }
}

fn lookup_named(values: Option<&TemplateValues>, var: &str) -> Option<String> {
    match values?.body.as_ref()? {
        BodyValues::Named(n) => n.iter().find(|(k, _)| k == var).map(|(_, v)| v.clone()),
        BodyValues::Positional(_) => None,
    }
}

/// The example of variable `var` (`"1"` or a name) in a definition component.
fn example(c: Json<'_>, pos_key: &str, named_key: &str, var: &str, nested: bool) -> Option<String> {
    let ex = c.get("example")?;
    if let Some(n) = crate::domain::json::parse_u64(var).and_then(|n| usize::try_from(n).ok()) {
        let list = ex.get(pos_key)?;
        let list = if nested { list.get(0)? } else { list };
        list.get(n.checked_sub(1)?)?.as_str().map(str::to_owned)
    } else {
        ex.get(named_key)?
            .as_array()?
            .iter()
            .find(|p| p.get("param_name").and_then(Json::as_str) == Some(var))?
            .get("example")?
            .as_str()
            .map(str::to_owned)
    }
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Style {
    bold: bool,
    italic: bool,
    strike: bool,
    mono: bool,
    variable: bool,
}

/// Substitutes variables (via `value(name, position)`) and resolves formatting.
fn render(text: &str, value: &mut dyn FnMut(&str, usize) -> Option<String>) -> PreviewPart {
    let mut chars: Vec<(char, Style)> = Vec::with_capacity(text.len());
    let mut var_i = 0usize;
    for piece in scan(text) {
        match piece {
            Piece::Text(t) => chars.extend(t.chars().map(|c| (c, Style::default()))),
            Piece::Var(v) => {
                let (name, raw) = match v {
                    Var::Positional(n) => (n.to_string(), format!("{{{{{n}}}}}")),
                    Var::Named(n) => (n.to_owned(), format!("{{{{{n}}}}}")),
                    Var::Invalid(r) => (r.to_owned(), format!("{{{{{r}}}}}")),
                };
                let shown = value(&name, var_i).unwrap_or(raw);
                var_i += 1;
                let style = Style {
                    variable: true,
                    ..Style::default()
                };
                chars.extend(shown.chars().map(|c| (c, style)));
            }
        }
    }
    let mut removed = vec![false; chars.len()];
    for (i, j) in apply_mono(&chars, &mut removed) {
        for k in i..j {
            if let Some((_, s)) = chars.get_mut(k) {
                s.mono = true;
            }
        }
    }
    for (marker, set) in [('*', 0u8), ('_', 1), ('~', 2)] {
        for (i, j) in pairs(&chars, &removed, marker) {
            for (k, r) in removed.iter_mut().enumerate() {
                if k == i || k == j {
                    *r = true;
                }
            }
            for k in i + 1..j {
                if let Some((_, s)) = chars.get_mut(k) {
                    match set {
                        0 => s.bold = true,
                        1 => s.italic = true,
                        _ => s.strike = true,
                    }
                }
            }
        }
    }
    let mut part = PreviewPart::default();
    let mut current: Option<(String, Style)> = None;
    for ((c, style), gone) in chars.iter().zip(removed.iter()) {
        if *gone {
            continue;
        }
        part.text.push(*c);
        match current.as_mut() {
            Some((t, s)) if s == style => t.push(*c),
            _ => {
                if let Some((t, s)) = current.take() {
                    part.spans.push(span(t, s));
                }
                current = Some((c.to_string(), *style));
            }
        }
    }
    if let Some((t, s)) = current {
        part.spans.push(span(t, s));
    }
    part
}

fn span(text: String, s: Style) -> Span {
    Span {
        text,
        bold: s.bold,
        italic: s.italic,
        strike: s.strike,
        mono: s.mono,
        variable: s.variable,
    }
}

/// ```` ```…``` ```` ranges: marks the backticks removed, returns the inner ranges.
fn apply_mono(chars: &[(char, Style)], removed: &mut [bool]) -> Vec<(usize, usize)> {
    let is_tick = |k: usize| chars.get(k).is_some_and(|(c, _)| *c == '`');
    let triple = |k: usize| is_tick(k) && is_tick(k + 1) && is_tick(k + 2);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < chars.len() {
        if triple(i) {
            let mut j = i + 3;
            let mut found = None;
            while j + 2 < chars.len() {
                if triple(j) {
                    found = Some(j);
                    break;
                }
                j += 1;
            }
            if let Some(j) = found {
                if j > i + 3 {
                    for k in (i..i + 3).chain(j..j + 3) {
                        if let Some(r) = removed.get_mut(k) {
                            *r = true;
                        }
                    }
                    out.push((i + 3, j));
                    i = j + 3;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// Matching `marker` pairs: an opener not preceded by a letter/digit and followed by a non-space,
/// a closer preceded by a non-space and not followed by a letter/digit, on the same line, outside
/// monospace.
fn pairs(chars: &[(char, Style)], removed: &[bool], marker: char) -> Vec<(usize, usize)> {
    let at = |k: usize| chars.get(k).map(|(c, _)| *c);
    let usable = |k: usize| {
        chars.get(k).is_some_and(|(c, s)| *c == marker && !s.mono)
            && !removed.get(k).copied().unwrap_or(true)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let opener = usable(i)
            && (i == 0 || !at(i - 1).is_some_and(super::variables::is_word_char))
            && at(i + 1).is_some_and(|c| !c.is_whitespace() && c != marker);
        if opener {
            let mut j = i + 1;
            let mut closed = None;
            while let Some(c) = at(j) {
                if c == '\n' {
                    break;
                }
                if usable(j)
                    && at(j - 1).is_some_and(|p| !p.is_whitespace())
                    && !at(j + 1).is_some_and(super::variables::is_word_char)
                {
                    closed = Some(j);
                    break;
                }
                j += 1;
            }
            if let Some(j) = closed {
                out.push((i, j));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

impl ToJson for Span {
    fn write_json(&self, out: &mut String) {
        let flag = |b: bool| if b { Some(&true as &dyn ToJson) } else { None };
        Obj::new(out)
            .field("text", &self.text)
            .opt("bold", flag(self.bold))
            .opt("italic", flag(self.italic))
            .opt("strike", flag(self.strike))
            .opt("mono", flag(self.mono))
            .opt("variable", flag(self.variable))
            .end();
    }
}

impl ToJson for PreviewPart {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .opt("format", dyn_opt(&self.format))
            .field("text", &self.text)
            .field("spans", &self.spans)
            .end();
    }
}

impl ToJson for PreviewButton {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("type", &self.kind)
            .field("text", &self.text)
            .opt("url", dyn_opt(&self.url))
            .opt("phoneNumber", dyn_opt(&self.phone_number))
            .end();
    }
}

impl ToJson for Preview {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .opt("header", dyn_opt(&self.header))
            .field("body", &self.body)
            .opt("footer", dyn_opt(&self.footer))
            .field("buttons", &self.buttons)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spans(t: &str) -> Vec<(String, &'static str)> {
        render(t, &mut |_, _| None)
            .spans
            .into_iter()
            .map(|s| {
                let style = match (s.bold, s.italic, s.strike, s.mono, s.variable) {
                    (true, true, ..) => "bold+italic",
                    (true, ..) => "bold",
                    (_, true, ..) => "italic",
                    (_, _, true, ..) => "strike",
                    (_, _, _, true, _) => "mono",
                    (.., true) => "var",
                    _ => "plain",
                };
                (s.text, style)
            })
            .collect()
    }

    #[test]
    fn formatting() {
        assert_eq!(
            spans("a *b* c"),
            [
                ("a ".into(), "plain"),
                ("b".into(), "bold"),
                (" c".into(), "plain")
            ]
        );
        assert_eq!(
            spans("_it_ ~st~"),
            [
                ("it".into(), "italic"),
                (" ".into(), "plain"),
                ("st".into(), "strike")
            ]
        );
        assert_eq!(spans("```x *y*```"), [("x *y*".into(), "mono")]);
        assert_eq!(spans("*_both_*"), [("both".into(), "bold+italic")]);
        assert_eq!(
            spans("2*3*4 and * x *"),
            [("2*3*4 and * x *".into(), "plain")]
        );
        assert_eq!(
            spans("snake_case_name"),
            [("snake_case_name".into(), "plain")]
        );
        assert_eq!(spans("*open\nclose*"), [("*open\nclose*".into(), "plain")]);
        assert_eq!(render("*Hi* there", &mut |_, _| None).text, "Hi there");
        assert!(render("", &mut |_, _| None).spans.is_empty());
    }

    #[test]
    fn variables_from_examples_and_values() {
        let def = json!({"components": [
            {"type":"HEADER","format":"TEXT","text":"Order {{1}}","example":{"header_text":["#42"]}},
            {"type":"BODY","text":"Hi *{{1}}*, total {{2}}.","example":{"body_text":[["Ann","R5"]]}},
            {"type":"FOOTER","text":"Thanks"},
            {"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://x.io/t/{{1}}","example":["https://x.io/t/ABC"]},{"type":"QUICK_REPLY","text":"Stop"}]}
        ]});
        let p = render_template_preview(&def.to_string(), None).unwrap();
        assert_eq!(
            p.header.as_ref().map(|h| h.text.as_str()),
            Some("Order #42")
        );
        assert_eq!(p.body.text, "Hi Ann, total R5.");
        assert!(p
            .body
            .spans
            .iter()
            .any(|s| s.text == "Ann" && s.bold && s.variable));
        assert_eq!(p.footer.map(|f| f.text), Some("Thanks".into()));
        assert_eq!(p.buttons[0].url.as_deref(), Some("https://x.io/t/ABC"));
        let values = TemplateValues {
            body: Some(BodyValues::Positional(vec!["Bob".into()])),
            buttons: vec![(0, crate::domain::components::SendParameter::text("Z9"))],
            ..Default::default()
        };
        let p = render_template_preview(&def.to_string(), Some(&values)).unwrap();
        assert_eq!(p.body.text, "Hi Bob, total R5.");
        assert_eq!(p.buttons[0].url.as_deref(), Some("https://x.io/t/Z9"));
    }

    #[test]
    fn authentication_preview() {
        let def = json!({"category":"AUTHENTICATION","components":[
            {"type":"BODY","add_security_recommendation":true},
            {"type":"FOOTER","code_expiration_minutes":10},
            {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE"}]}]});
        let p = render_template_preview(&def.to_string(), None).unwrap();
        assert_eq!(
            p.body.text,
            "123456 is your verification code. For your security, do not share this code."
        );
        assert_eq!(
            p.footer.map(|f| f.text),
            Some("This code expires in 10 minutes.".into())
        );
        assert_eq!(p.buttons[0].text, "Copy code");
    }
}
