//! Message templates: list, get, create, delete, and the (emulator-clock) review that follows a
//! create.

use super::auth::{need_waba, MGMT};
use super::fields::{fields_param, page};
use super::request::json_body;
use crate::errors::{self, GraphErr};
use crate::state::{State, Template, Token};
use crate::{templates, webhook, App, Ctx, Resp};
use serde_json::{json, Value};
use std::sync::Arc;

/// `GET /{template id}`.
pub(super) fn get(t: &Template, ctx: &Ctx, tok: &Token) -> Result<Resp, GraphErr> {
    need_waba(tok, MGMT, &t.waba_id)?;
    Ok(Resp::json(
        200,
        &templates::to_json(t, fields_param(ctx).as_deref()),
    ))
}

/// `GET /{waba id}/message_templates` (access already checked).
pub(super) fn list(st: &State, ctx: &Ctx, waba: &str) -> Result<Resp, GraphErr> {
    let q = |k: &str| ctx.query.get(k).map(|s| s.to_owned());
    let statuses: Option<Vec<String>> = q("status").map(|s| {
        s.split(',')
            .map(|x| x.trim().to_ascii_uppercase())
            .collect()
    });
    let name = q("name");
    let category = q("category").map(|c| c.to_ascii_uppercase());
    let language = q("language");
    let fields = fields_param(ctx);
    let items: Vec<(String, Value)> = st
        .templates
        .iter()
        .filter(|t| t.waba_id == waba)
        .filter(|t| statuses.as_ref().is_none_or(|s| s.contains(&t.status)))
        .filter(|t| name.as_ref().is_none_or(|n| t.name.contains(n.as_str())))
        .filter(|t| category.as_ref().is_none_or(|c| &t.category == c))
        .filter(|t| language.as_ref().is_none_or(|l| &t.language == l))
        .map(|t| (t.id.clone(), templates::to_json(t, fields.as_deref())))
        .collect();
    page(items, ctx)
}

/// `POST /{waba id}/message_templates` (access already checked).
pub(super) fn create(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    waba: &str,
) -> Result<Resp, GraphErr> {
    let body = json_body(ctx).ok_or_else(|| errors::param_required("name"))?;
    let existing: Vec<&Template> = st.templates.iter().filter(|t| t.waba_id == waba).collect();
    let nt = templates::validate_create(&body, &existing)?;
    let id = st.new_numeric_id(400);
    let due = st.now() + app.config.review_delay_secs.max(0.0);
    let category = nt.category.clone();
    st.templates.push(Template {
        id: id.clone(),
        waba_id: waba.to_owned(),
        name: nt.name,
        language: nt.language,
        category: nt.category,
        status: "PENDING".into(),
        parameter_format: nt.parameter_format,
        components: nt.components,
        rejected_reason: None,
        quality_score: None,
        review_due: Some(due),
    });
    st.pending_reviews += 1;
    if app.config.review_delay_secs <= 0.0 {
        process_reviews(app, st);
    }
    Ok(Resp::json(
        200,
        &json!({"id": id, "status": "PENDING", "category": category}),
    ))
}

/// `DELETE /{waba id}/message_templates?name=…[&hsm_id=…]` (access already checked).
pub(super) fn delete(st: &mut State, ctx: &Ctx, waba: &str) -> Result<Resp, GraphErr> {
    let name = ctx
        .query
        .get("name")
        .cloned()
        .ok_or_else(|| errors::param_required("name"))?;
    let hsm = ctx.query.get("hsm_id").cloned();
    let matches = |t: &Template| {
        t.waba_id == waba && t.name == name && hsm.as_ref().is_none_or(|h| &t.id == h)
    };
    let before = st.templates.len();
    let removed_pending = st
        .templates
        .iter()
        .filter(|t| matches(t) && t.review_due.is_some())
        .count();
    st.templates.retain(|t| !matches(t));
    if st.templates.len() == before {
        return Err(errors::param("Invalid parameter")
            .details(format!(
                "Message template \"{name}\" was not found in WhatsApp Business Account {waba}."
            ))
            .user(
                "Message template not found",
                format!("There is no message template named \"{name}\"."),
            ));
    }
    st.pending_reviews = st.pending_reviews.saturating_sub(removed_pending);
    Ok(Resp::json(200, &json!({"success": true})))
}

/// Applies due template reviews (emulator clock) and fires `message_template_status_update`.
pub(crate) fn process_reviews(app: &Arc<App>, st: &mut State) {
    if st.pending_reviews == 0 {
        return;
    }
    let now = st.now();
    let due: Vec<usize> = st
        .templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.review_due.is_some_and(|d| d <= now))
        .map(|(i, _)| i)
        .collect();
    for i in due {
        let Some(t) = st.templates.get_mut(i) else {
            continue;
        };
        let (status, reason, recommendation) = templates::review(t);
        t.status = status;
        t.rejected_reason = reason.clone();
        t.review_due = None;
        let t = t.clone();
        st.pending_reviews = st.pending_reviews.saturating_sub(1);
        webhook::emit_template_status(app, st, &t, reason.as_deref(), recommendation.as_deref());
    }
}
