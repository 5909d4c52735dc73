//! The type-specific part of a send (`text`, media, `template`, …), checked as Graph checks it.

use crate::errors::{self, wa, GraphErr};
use crate::state::State;
use crate::templates;
use serde_json::Value;

/// Validates the payload of a send of type `kind`; returns the template's category (lowercase)
/// for template sends.
pub(super) fn validate(
    st: &State,
    body: &Value,
    kind: &str,
    waba: &str,
) -> Result<Option<String>, GraphErr> {
    match kind {
        "text" => text(body).map(|()| None),
        "image" | "video" | "audio" | "document" | "sticker" => {
            media(st, body, kind, waba).map(|()| None)
        }
        "template" => template(st, body, waba).map(Some),
        "location" => location(body).map(|()| None),
        "contacts" => {
            if !body.get("contacts").is_some_and(Value::is_array) {
                return Err(errors::required_missing("contacts must be an array"));
            }
            Ok(None)
        }
        "interactive" => interactive(body).map(|()| None),
        "reaction" => reaction(body).map(|()| None),
        other => Err(errors::param(format!(
            "Param type must be one of {{AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO}} - got \"{other}\"."
        ))),
    }
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The object `body[kind]`, required for a send of that type.
fn part<'a>(body: &'a Value, kind: &str) -> Result<&'a Value, GraphErr> {
    body.get(kind)
        .filter(|v| v.is_object())
        .ok_or_else(|| errors::required_missing(format!("{kind} is required for type {kind}")))
}

fn text(body: &Value) -> Result<(), GraphErr> {
    let b = str_of(part(body, "text")?, "body")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| errors::required_missing("text.body is required"))?;
    if b.chars().count() > 4096 {
        return Err(errors::invalid_value(
            "text.body must be at most 4096 characters",
        ));
    }
    Ok(())
}

fn mime_kind_ok(kind: &str, mime: &str) -> bool {
    match kind {
        "image" => mime == "image/jpeg" || mime == "image/png",
        "sticker" => mime == "image/webp",
        "audio" => mime.starts_with("audio/"),
        "video" => mime.starts_with("video/"),
        _ => true,
    }
}

fn media(st: &State, body: &Value, kind: &str, waba: &str) -> Result<(), GraphErr> {
    let o = part(body, kind)?;
    match (str_of(o, "id"), str_of(o, "link")) {
        (Some(_), Some(_)) => {
            return Err(errors::invalid_value(format!(
                "{kind}: give either id or link, not both"
            )))
        }
        (None, None) => {
            return Err(errors::required_missing(format!(
                "{kind}.id or {kind}.link is required"
            )))
        }
        (Some(id), None) => {
            let md = st
                .media
                .get(id)
                .filter(|m| m.waba_id == waba)
                .ok_or_else(|| errors::invalid_value(format!("{kind}.id {id} is not a valid media id (unknown, deleted or uploaded by another account)")))?;
            if !mime_kind_ok(kind, &md.mime_type) {
                return Err(wa(
                    400,
                    131053,
                    "Media upload error",
                    format!(
                        "Media {id} has type {} which can't be sent as {kind}",
                        md.mime_type
                    ),
                ));
            }
        }
        (None, Some(link)) => {
            if !(link.starts_with("https://") || link.starts_with("http://")) {
                return Err(errors::invalid_value(format!(
                    "{kind}.link must be an http(s) URL"
                )));
            }
        }
    }
    if let Some(c) = str_of(o, "caption") {
        if kind == "audio" || kind == "sticker" {
            return Err(errors::invalid_value(format!(
                "{kind} messages can't have a caption"
            )));
        }
        if c.chars().count() > 1024 {
            return Err(errors::invalid_value(format!(
                "{kind}.caption must be at most 1024 characters"
            )));
        }
    }
    if o.get("filename").is_some() && kind != "document" {
        return Err(errors::invalid_value(format!(
            "{kind} messages can't have a filename"
        )));
    }
    Ok(())
}

/// A template send: the template must exist in that language, be sendable, and get the
/// parameters it declares.
fn template(st: &State, body: &Value, waba: &str) -> Result<String, GraphErr> {
    let t = part(body, "template")?;
    let name =
        str_of(t, "name").ok_or_else(|| errors::required_missing("template.name is required"))?;
    let lang = t
        .get("language")
        .and_then(|l| l.get("code"))
        .and_then(Value::as_str)
        .ok_or_else(|| errors::required_missing("template.language.code is required"))?;
    let not_found = || {
        wa(
            404,
            132001,
            "Template name does not exist in the translation",
            format!("template name ({name}) does not exist in {lang}"),
        )
    };
    let tpl = st
        .templates
        .iter()
        .find(|x| x.waba_id == waba && x.name == name && x.language == lang)
        .ok_or_else(not_found)?;
    match tpl.status.as_str() {
        "APPROVED" | "REINSTATED" | "UNARCHIVED" => {}
        "PAUSED" => {
            return Err(wa(
                400,
                132015,
                "Template is Paused",
                format!("Template {name} ({lang}) is paused because of low quality."),
            ))
        }
        "DISABLED" => {
            return Err(wa(
                400,
                132016,
                "Template is disabled",
                format!("Template {name} ({lang}) has been disabled because of low quality."),
            ))
        }
        _ => return Err(not_found()),
    }
    let comps: &[Value] = t
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let media_ok = |id: &str| st.media.get(id).is_some_and(|m| m.waba_id == waba);
    templates::check_send(tpl, comps, &media_ok)?;
    Ok(tpl.category.to_ascii_lowercase())
}

fn location(body: &Value) -> Result<(), GraphErr> {
    let l = part(body, "location")?;
    if !(l.get("latitude").is_some() && l.get("longitude").is_some()) {
        return Err(errors::required_missing(
            "location.latitude and location.longitude are required",
        ));
    }
    Ok(())
}

fn interactive(body: &Value) -> Result<(), GraphErr> {
    let i = part(body, "interactive")?;
    if str_of(i, "type") == Some("button") {
        let n = i
            .get("action")
            .and_then(|a| a.get("buttons"))
            .and_then(Value::as_array)
            .map(Vec::len)
            .unwrap_or(0);
        if n == 0 || n > 3 {
            return Err(errors::invalid_value(
                "interactive button messages need 1 to 3 buttons",
            ));
        }
    }
    Ok(())
}

fn reaction(body: &Value) -> Result<(), GraphErr> {
    let r = part(body, "reaction")?;
    if str_of(r, "message_id").is_none() {
        return Err(errors::required_missing("reaction.message_id is required"));
    }
    Ok(())
}
