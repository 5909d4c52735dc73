//! Template rules: placeholders, send-time parameter checks (§2.3, §4.2 132xxx) and creation /
//! review rules (§1.1–§1.5, §1.9).

use crate::errors::{self, wa, GraphErr};
use crate::state::Template;
use serde_json::{json, Value};

/// The inner texts of every `{{...}}` in `text`, in order.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let after = rest.get(i + 2..).unwrap_or("");
        match after.find("}}") {
            Some(j) => {
                out.push(after.get(..j).unwrap_or("").trim().to_owned());
                rest = after.get(j + 2..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

fn comp_type(c: &Value) -> String {
    c.get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_uppercase()
}

fn find_comp<'a>(comps: &'a [Value], t: &str) -> Option<&'a Value> {
    comps.iter().find(|c| comp_type(c) == t)
}

fn text_of(c: &Value) -> &str {
    c.get("text").and_then(Value::as_str).unwrap_or("")
}

/// What a send must supply for a template.
#[derive(Debug, Default)]
struct Expected {
    header_format: Option<String>,
    header_vars: Vec<String>,
    body_vars: Vec<String>,
    /// (index, sub_type, variable count) for buttons that take parameters.
    buttons: Vec<(usize, String, usize)>,
    button_count: usize,
}

fn expected(t: &Template) -> Expected {
    let mut e = Expected::default();
    if let Some(h) = find_comp(&t.components, "HEADER") {
        let fmt = header_format(h);
        if fmt == "TEXT" {
            e.header_vars = placeholders(text_of(h));
        }
        e.header_format = Some(fmt);
    }
    if let Some(b) = find_comp(&t.components, "BODY") {
        e.body_vars = placeholders(text_of(b));
    }
    if let Some(bs) = find_comp(&t.components, "BUTTONS")
        .and_then(|b| b.get("buttons"))
        .and_then(Value::as_array)
    {
        e.button_count = bs.len();
        for (i, b) in bs.iter().enumerate() {
            let bt = comp_type(b);
            match bt.as_str() {
                "URL" => {
                    let n = placeholders(b.get("url").and_then(Value::as_str).unwrap_or("")).len();
                    if n > 0 {
                        e.buttons.push((i, "url".into(), n));
                    }
                }
                "COPY_CODE" => e.buttons.push((i, "copy_code".into(), 1)),
                _ => {}
            }
        }
    }
    e
}

/// A header component's `format`, uppercase (`TEXT` when absent).
fn header_format(h: &Value) -> String {
    h.get("format")
        .and_then(Value::as_str)
        .unwrap_or("TEXT")
        .to_ascii_uppercase()
}

fn mismatch(part: &str, given: usize, want: usize) -> GraphErr {
    wa(
        400,
        132000,
        "Number of parameters does not match the expected number of params",
        format!("{part}: number of localizable_params ({given}) does not match the expected number of params ({want})"),
    )
}

fn format_mismatch(details: impl Into<String>) -> GraphErr {
    wa(
        400,
        132012,
        "Parameter format does not match format in the created template",
        details,
    )
}

fn params_of(c: &Value) -> &[Value] {
    c.get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn check_text_value(p: &Value, part: &str) -> Result<(), GraphErr> {
    let ptype = p.get("type").and_then(Value::as_str).unwrap_or("");
    match ptype {
        "text" => {
            let Some(text) = p.get("text").and_then(Value::as_str) else {
                return Err(errors::required_missing(format!(
                    "{part}: parameter of type text needs a non-empty text value"
                )));
            };
            if text.is_empty() {
                return Err(errors::required_missing(format!(
                    "{part}: parameter of type text needs a non-empty text value"
                )));
            }
            if part == "body"
                && (text.contains('\n') || text.contains('\t') || text.contains("     "))
            {
                return Err(errors::param("Invalid parameter")
                    .details("Param text cannot have new-line/tab characters or more than 4 consecutive spaces"));
            }
            Ok(())
        }
        "currency" | "date_time" => Ok(()),
        other => Err(format_mismatch(format!(
            "{part}: Format mismatch, expected TEXT, received {}",
            other.to_ascii_uppercase()
        ))),
    }
}

/// Checks the `template.components` of a send against the stored template. `media_ok` says
/// whether a media id used in a header exists.
pub fn check_send(
    t: &Template,
    req_comps: &[Value],
    media_ok: &dyn Fn(&str) -> bool,
) -> Result<(), GraphErr> {
    let e = expected(t);
    let named = t.parameter_format == "NAMED";
    let mut header_given: Vec<&Value> = Vec::new();
    let mut body_given: Vec<&Value> = Vec::new();
    let mut button_given: Vec<(usize, String, &[Value])> = Vec::new();
    for c in req_comps {
        match c
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "header" => header_given.extend(params_of(c)),
            "body" => body_given.extend(params_of(c)),
            "button" => {
                let idx = match c.get("index") {
                    Some(Value::String(s)) => s.parse::<usize>().ok(),
                    Some(Value::Number(n)) => n.as_u64().map(|n| n as usize),
                    _ => None,
                };
                let Some(idx) = idx else {
                    return Err(errors::required_missing(
                        "button: index is required (\"0\"-\"9\")",
                    ));
                };
                if idx >= e.button_count {
                    return Err(errors::invalid_value(format!(
                        "button: the template has no button at index {idx}"
                    )));
                }
                let sub = c
                    .get("sub_type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_ascii_lowercase();
                button_given.push((idx, sub, params_of(c)));
            }
            "" => return Err(errors::required_missing("component type is required")),
            other => {
                return Err(errors::invalid_value(format!(
                    "component type {other} is not supported for templates"
                )))
            }
        }
    }

    match e.header_format.as_deref() {
        Some("TEXT") | None => check_text_part("header", &header_given, &e.header_vars, named)?,
        Some(fmt) => check_media_header(fmt, &header_given, media_ok)?,
    }
    check_text_part("body", &body_given, &e.body_vars, named)?;
    check_buttons_given(&e, &button_given)
}

/// The text parameters of the header or the body: as many as the template has variables, each
/// a non-empty text, named as the template names them when its format is `NAMED`.
fn check_text_part(
    part: &str,
    given: &[&Value],
    want: &[String],
    named: bool,
) -> Result<(), GraphErr> {
    if given.len() != want.len() {
        return Err(mismatch(part, given.len(), want.len()));
    }
    for p in given {
        check_text_value(p, part)?;
    }
    if named {
        check_names(part, given, want)?;
    }
    Ok(())
}

/// A media (or location) header: one parameter of the template's format, with a known media id
/// or a link.
fn check_media_header(
    fmt: &str,
    given: &[&Value],
    media_ok: &dyn Fn(&str) -> bool,
) -> Result<(), GraphErr> {
    let want = fmt.to_ascii_lowercase();
    let got = given
        .first()
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        .map(|s| s.to_ascii_uppercase())
        .unwrap_or_else(|| "UNKNOWN".into());
    if given.len() != 1 || got != fmt {
        return Err(format_mismatch(format!(
            "header: Format mismatch, expected {fmt}, received {got}"
        )));
    }
    if let Some(obj) = given.first().and_then(|p| p.get(want.as_str())) {
        if let Some(id) = obj.get("id").and_then(Value::as_str) {
            if !media_ok(id) {
                return Err(errors::invalid_value(format!(
                    "header: media id {id} does not exist or was deleted"
                )));
            }
        } else if fmt != "LOCATION" && obj.get("link").and_then(Value::as_str).is_none() {
            return Err(errors::required_missing(format!(
                "header: {want} needs an id or a link"
            )));
        }
    } else {
        return Err(errors::required_missing(format!(
            "header: parameter object {want} is required"
        )));
    }
    Ok(())
}

/// Button parameters: as many as each button of the template needs, of its sub-type; none for
/// buttons without variables (quick replies excepted).
fn check_buttons_given(
    e: &Expected,
    button_given: &[(usize, String, &[Value])],
) -> Result<(), GraphErr> {
    for (idx, sub, n) in &e.buttons {
        let given = button_given.iter().find(|(i, _, _)| i == idx);
        let count = given.map(|(_, _, p)| p.len()).unwrap_or(0);
        if count != *n {
            return Err(mismatch("button", count, *n));
        }
        if let Some((_, gsub, params)) = given {
            if gsub != sub {
                return Err(format_mismatch(format!(
                    "button: Format mismatch at index {idx}, expected sub_type {sub}, received {gsub}"
                )));
            }
            for p in params.iter() {
                let ok = match sub.as_str() {
                    "url" => p
                        .get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty()),
                    _ => p
                        .get("coupon_code")
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty()),
                };
                if !ok {
                    return Err(format_mismatch(format!(
                        "button: parameter at index {idx} has the wrong type for a {sub} button"
                    )));
                }
            }
        }
    }
    for (idx, sub, params) in button_given {
        if !e.buttons.iter().any(|(i, _, _)| i == idx) && sub != "quick_reply" && !params.is_empty()
        {
            return Err(mismatch("button", params.len(), 0));
        }
    }
    Ok(())
}

fn check_names(part: &str, given: &[&Value], want: &[String]) -> Result<(), GraphErr> {
    for (i, p) in given.iter().enumerate() {
        match p.get("parameter_name").and_then(Value::as_str) {
            None | Some("") => {
                return Err(format_mismatch(format!(
                    "{part}: parameter at position {i} has no parameter_name; this template uses named parameters"
                )))
            }
            Some(n) if !want.iter().any(|w| w == n) => {
                return Err(format_mismatch(format!("{part}: parameter name '{n}' does not exist in the template")))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Template creation payload checked synchronously (errors Meta returns at once).
#[derive(Debug)]
pub struct NewTemplate {
    pub name: String,
    pub language: String,
    pub category: String,
    pub parameter_format: String,
    pub components: Vec<Value>,
}

fn create_err(subcode: Option<i64>, title: &str, msg: impl Into<String>) -> GraphErr {
    let msg = msg.into();
    let mut e = errors::param("Invalid parameter")
        .details(msg.clone())
        .user(title, msg);
    if let Some(s) = subcode {
        e = e.with_subcode(s);
    }
    e
}

pub fn validate_create(body: &Value, existing: &[&Template]) -> Result<NewTemplate, GraphErr> {
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let name = s("name").ok_or_else(|| errors::param_required("name"))?;
    let category = s("category")
        .ok_or_else(|| errors::param_required("category"))?
        .to_ascii_uppercase();
    let language = s("language").ok_or_else(|| errors::param_required("language"))?;
    let components = body
        .get("components")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| errors::param_required("components"))?;
    check_name(&name)?;
    check_category(&category)?;
    check_language(&language)?;
    let parameter_format = check_parameter_format(s("parameter_format"))?;
    check_not_existing(existing, &name, &language)?;
    check_body(&components, &category)?;
    for c in &components {
        check_component(c)?;
    }
    Ok(NewTemplate {
        name,
        language,
        category,
        parameter_format,
        components,
    })
}

/// Lowercase letters, digits and underscores, at most 512 characters (§1.1).
fn check_name(name: &str) -> Result<(), GraphErr> {
    if name.is_empty()
        || name.len() > 512
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(create_err(
            None,
            "Invalid template name",
            format!("Template name \"{name}\" may contain only lowercase letters, digits and underscores (at most 512 characters)."),
        ));
    }
    Ok(())
}

fn check_category(category: &str) -> Result<(), GraphErr> {
    if !["MARKETING", "UTILITY", "AUTHENTICATION"].contains(&category) {
        return Err(errors::param(format!(
            "Param category must be one of {{AUTHENTICATION, MARKETING, UTILITY}} - got \"{category}\"."
        )));
    }
    Ok(())
}

fn check_language(language: &str) -> Result<(), GraphErr> {
    // The crate's list (`platform-rules.md` §1.8): client and emulator accept the same codes.
    if !whatsapp_business::supported_languages().contains(&language) {
        return Err(create_err(
            None,
            "Invalid language",
            format!("Language \"{language}\" is not a supported template language code."),
        ));
    }
    Ok(())
}

/// `positional` (the default) or `named`, uppercase.
fn check_parameter_format(given: Option<String>) -> Result<String, GraphErr> {
    let parameter_format = given
        .unwrap_or_else(|| "positional".into())
        .to_ascii_uppercase();
    if parameter_format != "POSITIONAL" && parameter_format != "NAMED" {
        return Err(errors::param(format!(
            "Param parameter_format must be one of {{NAMED, POSITIONAL}} - got \"{parameter_format}\"."
        )));
    }
    Ok(parameter_format)
}

/// A name exists once per language (**2388024**).
fn check_not_existing(existing: &[&Template], name: &str, language: &str) -> Result<(), GraphErr> {
    if existing
        .iter()
        .any(|t| t.name == name && t.language == language && t.status != "DELETED")
    {
        return Err(create_err(
            Some(2_388_024),
            "Message template already exists",
            format!("There is already {language} content for this template. You can create a new template and try again."),
        ));
    }
    Ok(())
}

/// Exactly one BODY; outside AUTHENTICATION it has text of at most 1024 characters that neither
/// starts nor ends with a variable.
fn check_body(components: &[Value], category: &str) -> Result<(), GraphErr> {
    let bodies: Vec<&Value> = components
        .iter()
        .filter(|c| comp_type(c) == "BODY")
        .collect();
    let [body_c] = bodies.as_slice() else {
        return Err(create_err(
            Some(2_388_072),
            "Body format invalid",
            "A template needs exactly one BODY component.",
        ));
    };
    let body_text = text_of(body_c).trim();
    if category != "AUTHENTICATION" {
        if body_text.is_empty() {
            return Err(create_err(
                Some(2_388_072),
                "Body format invalid",
                "The BODY component needs text.",
            ));
        }
        if body_text.chars().count() > 1024 {
            return Err(create_err(
                Some(2_388_040),
                "Field character limit exceeded",
                "BODY text is longer than 1024 characters.",
            ));
        }
        if body_text.starts_with("{{") || body_text.ends_with("}}") {
            return Err(create_err(
                Some(2_388_299),
                "Variables can't be at the start or end of the template",
                "Variable parameters can't be at the start or end of the template body.",
            ));
        }
    }
    Ok(())
}

/// A HEADER, FOOTER or BUTTONS component's own limits; other types must be known.
fn check_component(c: &Value) -> Result<(), GraphErr> {
    match comp_type(c).as_str() {
        "HEADER" => {
            let fmt = c
                .get("format")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_uppercase();
            if !["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"].contains(&fmt.as_str()) {
                return Err(create_err(
                    Some(2_388_047),
                    "Header format invalid",
                    format!("HEADER format \"{fmt}\" is not supported."),
                ));
            }
            if fmt == "TEXT" {
                if text_of(c).chars().count() > 60 {
                    return Err(create_err(
                        Some(2_388_039),
                        "Field character limit exceeded",
                        "HEADER text is longer than 60 characters.",
                    ));
                }
                if placeholders(text_of(c)).len() > 1 {
                    return Err(create_err(
                        Some(2_388_047),
                        "Header format invalid",
                        "A TEXT header may contain at most one variable.",
                    ));
                }
            }
        }
        "FOOTER" => {
            if text_of(c).chars().count() > 60 {
                return Err(create_err(
                    Some(2_388_039),
                    "Field character limit exceeded",
                    "FOOTER text is longer than 60 characters.",
                ));
            }
            if text_of(c).contains("{{") {
                return Err(create_err(
                    Some(2_388_073),
                    "Footer format invalid",
                    "FOOTER text can't contain variables.",
                ));
            }
        }
        "BUTTONS" => check_buttons(c)?,
        "BODY" => {}
        other => {
            if !["CAROUSEL", "LIMITED_TIME_OFFER"].contains(&other) {
                return Err(errors::param(format!(
                    "Invalid component type \"{other}\"."
                )));
            }
        }
    }

    Ok(())
}

fn check_buttons(c: &Value) -> Result<(), GraphErr> {
    let buttons = c
        .get("buttons")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let bad = |m: String| create_err(None, "Invalid buttons", m);
    if buttons.is_empty() || buttons.len() > 10 {
        return Err(bad(format!(
            "A BUTTONS component needs 1 to 10 buttons (got {}).",
            buttons.len()
        )));
    }
    let count = |t: &str| buttons.iter().filter(|b| comp_type(b) == t).count();
    if count("URL") > 2 || count("PHONE_NUMBER") > 1 || count("COPY_CODE") > 1 {
        return Err(bad(
            "At most 2 URL buttons, 1 PHONE_NUMBER button and 1 COPY_CODE button are allowed."
                .into(),
        ));
    }
    // Quick replies must be grouped together.
    let kinds: Vec<bool> = buttons
        .iter()
        .map(|b| comp_type(b) == "QUICK_REPLY")
        .collect();
    let switches = kinds.windows(2).filter(|w| w.first() != w.get(1)).count();
    if switches > 1 {
        return Err(bad(
            "QUICK_REPLY buttons must be grouped together, before or after the other buttons."
                .into(),
        ));
    }
    for b in &buttons {
        let text = text_of(b);
        if comp_type(b) != "OTP" && (text.is_empty() || text.chars().count() > 25) {
            return Err(bad(format!(
                "Button text \"{text}\" must be 1 to 25 characters."
            )));
        }
        if comp_type(b) == "URL" {
            let url = b.get("url").and_then(Value::as_str).unwrap_or("");
            let vars = placeholders(url);
            if url.is_empty()
                || url.len() > 2000
                || vars.len() > 1
                || (vars.len() == 1 && !url.trim_end().ends_with("}}"))
            {
                return Err(bad(format!("URL button url \"{url}\" must be at most 2000 characters with at most one variable, at the end.")));
            }
        }
    }
    Ok(())
}

/// Meta's asynchronous review. Returns `(status, reason, recommendation)`.
pub fn review(t: &Template) -> (String, Option<String>, Option<String>) {
    let named = t.parameter_format == "NAMED";
    let body = find_comp(&t.components, "BODY");
    let body_vars = body.map(|b| placeholders(text_of(b))).unwrap_or_default();
    let format = check_variables(t, named)
        .and_then(|()| check_numbering(&body_vars, named))
        .and_then(|()| check_examples(t, body, &body_vars, named));
    if let Err(why) = format {
        return (
            "REJECTED".to_owned(),
            Some("INVALID_FORMAT".to_owned()),
            Some(why),
        );
    }
    if t.category == "UTILITY" {
        let text = body.map(text_of).unwrap_or("").to_ascii_lowercase();
        if [
            "% off",
            "discount",
            "sale",
            "promo",
            "coupon",
            "special offer",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            return (
                "REJECTED".into(),
                Some("INCORRECT_CATEGORY".into()),
                Some("Promotional content belongs in a MARKETING template.".into()),
            );
        }
    }
    ("APPROVED".into(), None, None)
}

/// Every `{{…}}` in texts and URLs: balanced, valid for the parameter format, never adjacent.
fn check_variables(t: &Template, named: bool) -> Result<(), String> {
    for c in &t.components {
        let mut texts = vec![text_of(c).to_owned()];
        if let Some(bs) = c.get("buttons").and_then(Value::as_array) {
            texts.extend(
                bs.iter()
                    .filter_map(|b| b.get("url").and_then(Value::as_str).map(str::to_owned)),
            );
        }
        for text in texts {
            if text.matches("{{").count() != text.matches("}}").count() {
                return Err("The template has unmatched {{ or }} braces.".to_owned());
            }
            let vars = placeholders(&text);
            for v in &vars {
                let ok = if named {
                    !v.is_empty()
                        && v.bytes()
                            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
                        && v.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                } else {
                    !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
                };
                if !ok {
                    return Err(format!(
                        "The variable {{{{{v}}}}} is not a valid {} parameter.",
                        if named { "named" } else { "positional" }
                    ));
                }
            }
            if has_adjacent(&text) {
                return Err(
                    "Two variables are next to each other; add words between them.".to_owned(),
                );
            }
        }
    }
    Ok(())
}

/// Positional body variables are numbered 1, 2, 3… in order of first use; named ones appear once.
fn check_numbering(body_vars: &[String], named: bool) -> Result<(), String> {
    if !named {
        for (i, v) in body_vars.iter().enumerate() {
            let seen_before = body_vars.get(..i).is_some_and(|p| p.contains(v));
            if !seen_before {
                let distinct_so_far = body_vars.get(..i).map(distinct).unwrap_or(0);
                if v.parse::<usize>().ok() != Some(distinct_so_far + 1) {
                    return Err(
                        "Variables must be numbered in sequence, starting at {{1}}, with no gaps."
                            .to_owned(),
                    );
                }
            }
        }
    } else if distinct(body_vars) != body_vars.len() {
        return Err("Each named variable may appear only once.".to_owned());
    }
    Ok(())
}

/// A sample for every variable: body, text header, media header, URL button.
fn check_examples(
    t: &Template,
    body: Option<&Value>,
    body_vars: &[String],
    named: bool,
) -> Result<(), String> {
    if let Some(b) = body {
        if !body_vars.is_empty() {
            let ex = b.get("example");
            let n = if named {
                ex.and_then(|e| e.get("body_text_named_params"))
                    .and_then(Value::as_array)
                    .map(Vec::len)
            } else {
                ex.and_then(|e| e.get("body_text"))
                    .and_then(Value::as_array)
                    .and_then(|rows| rows.first())
                    .and_then(Value::as_array)
                    .map(Vec::len)
            };
            if n != Some(distinct(body_vars)) {
                return Err(
                    "Add a sample value (example) for every variable in the body.".to_owned(),
                );
            }
        }
    }
    if let Some(h) = find_comp(&t.components, "HEADER") {
        let fmt = header_format(h);
        let ex = h.get("example");
        if fmt == "TEXT" && !placeholders(text_of(h)).is_empty() {
            let key = if named {
                "header_text_named_params"
            } else {
                "header_text"
            };
            if ex
                .and_then(|e| e.get(key))
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                return Err("Add a sample value (example) for the header variable.".to_owned());
            }
        }
        if ["IMAGE", "VIDEO", "DOCUMENT"].contains(&fmt.as_str())
            && ex
                .and_then(|e| e.get("header_handle"))
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        {
            return Err("A media header needs a sample (example.header_handle).".to_owned());
        }
    }
    if let Some(bs) = find_comp(&t.components, "BUTTONS")
        .and_then(|b| b.get("buttons"))
        .and_then(Value::as_array)
    {
        for b in bs {
            let url = b.get("url").and_then(Value::as_str).unwrap_or("");
            if !placeholders(url).is_empty() && b.get("example").is_none() {
                return Err("Add a sample URL (example) for the URL button variable.".to_owned());
            }
        }
    }
    Ok(())
}

fn distinct(v: &[String]) -> usize {
    let mut d: Vec<&String> = v.iter().collect();
    d.sort();
    d.dedup();
    d.len()
}

fn has_adjacent(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("}}") {
        let after = rest.get(i + 2..).unwrap_or("");
        if after.trim_start().starts_with("{{") {
            return true;
        }
        rest = after;
    }
    false
}

/// The template as Graph lists it, restricted to `fields` (None = the default set).
pub fn to_json(t: &Template, fields: Option<&[String]>) -> Value {
    let default = [
        "name",
        "parameter_format",
        "components",
        "language",
        "status",
        "category",
        "id",
    ];
    let want: Vec<&str> = match fields {
        Some(f) => f.iter().map(String::as_str).collect(),
        None => default.to_vec(),
    };
    let mut m = serde_json::Map::new();
    for f in want {
        let v = match f {
            "name" => json!(t.name),
            "parameter_format" => json!(t.parameter_format),
            "components" => json!(t.components),
            "language" => json!(t.language),
            "status" => json!(t.status),
            "category" => json!(t.category),
            "rejected_reason" => json!(t.rejected_reason.clone().unwrap_or_else(|| "NONE".into())),
            "quality_score" => {
                json!({"score": t.quality_score.clone().unwrap_or_else(|| "UNKNOWN".into())})
            }
            "sub_category" | "previous_category" => continue,
            _ => continue,
        };
        m.insert(f.to_owned(), v);
    }
    m.insert("id".into(), json!(t.id));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        assert_eq!(
            placeholders("Hi {{1}}, #{{2}} {{ name }}"),
            vec!["1", "2", "name"]
        );
        assert!(has_adjacent("a {{1}} {{2}} b"));
        assert!(!has_adjacent("a {{1}} x {{2}} b"));
    }
}
