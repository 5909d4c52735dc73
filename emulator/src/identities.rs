//! Usernames (business-scoped user ids, BSUIDs) and groups: the traffic Meta sends since 2026,
//! on request, so the client and the worker can be tested against it (issue 14).
//!
//! Control routes (added to `/_emulator/`):
//! - `POST inbound/username` `{phone_number_id, user_id, parent_user_id?, username?, from?, name?, text?, group_id?}`:
//!   a text message from a user identified by BSUID (`from_user_id`); `from` (a phone number) only
//!   when given, as for a user whose number Meta withholds. With `group_id`, a group message.
//! - `POST group/receipts` `{phone_number_id, message_id, group_id, status, participants: [{wa_id?, user_id?, parent_user_id?, username?, name?}]}`:
//!   one `delivered`/`read` status per participant of a group message, in one delivery (as Meta
//!   aggregates them), each with `recipient_type: "group"` and the participant's ids.
//!
//! Sends: `to` may be a BSUID given as `recipient` (no `to`), or a group id with
//! `recipient_type: "group"` ([`addressee`]); their statuses carry `recipient_user_id` or
//! `recipient_type: "group"` ([`status_ids`]). Shapes from Meta's business-scoped user IDs and
//! group messaging pages (see tests/fixtures/platform/).

use crate::control::{bad, waba_of};
use crate::errors::{self, GraphErr};
use crate::state::State;
use crate::{util, webhook, App, Resp};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// A BSUID: `CC.` then letters and digits (parent ids `CC.ENT.…`).
pub fn is_bsuid(id: &str) -> bool {
    let mut parts = id.splitn(2, '.');
    let cc = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("");
    let rest = rest.strip_prefix("ENT.").unwrap_or(rest);
    cc.len() == 2
        && cc.bytes().all(|b| b.is_ascii_uppercase())
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Who a send goes to.
#[derive(Debug)]
pub struct Addressee {
    /// `contacts[].input` of the response: what the request named.
    pub input: String,
    /// The key of windows, pair rates and statuses: phone digits, BSUID or group id.
    pub key: String,
    /// `contacts[].wa_id`: only for a phone number.
    pub wa_id: Option<String>,
    /// `contacts[].user_id`: for a BSUID.
    pub user_id: Option<String>,
}

/// Reads `to` / `recipient` / `recipient_type` of a send: a phone number (`to` wins when both
/// are given, as Meta documents), a BSUID (`recipient`), or a group id (`recipient_type: group`).
pub fn addressee(body: &Value) -> Result<Addressee, GraphErr> {
    let to = match body.get("to") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let recipient = body.get("recipient").and_then(Value::as_str);
    if body.get("recipient_type").and_then(Value::as_str) == Some("group") {
        let group = to.ok_or_else(|| errors::param_required("to"))?;
        return Ok(Addressee {
            input: group.clone(),
            key: group,
            wa_id: None,
            user_id: None,
        });
    }
    match (to, recipient) {
        (Some(to), r) => {
            let wa_id = util::normalize_phone(&to).ok_or_else(|| {
                errors::invalid_value(format!("to: \"{to}\" is not a valid phone number"))
            })?;
            Ok(Addressee {
                input: to,
                key: wa_id.clone(),
                wa_id: Some(wa_id),
                user_id: r.map(str::to_owned),
            })
        }
        (None, Some(r)) if is_bsuid(r) => Ok(Addressee {
            input: r.to_owned(),
            key: r.to_owned(),
            wa_id: None,
            user_id: Some(r.to_owned()),
        }),
        (None, Some(r)) => Err(errors::invalid_value(format!(
            "recipient: \"{r}\" is not a business-scoped user ID"
        ))),
        (None, None) => Err(errors::param_required("to")),
    }
}

/// The recipient ids of a status for a message sent to `key`: `recipient_id` (phone number),
/// `recipient_user_id` (BSUID), or the group id with `recipient_type: "group"`.
pub fn status_ids(status: &mut Map<String, Value>, key: &str) {
    if is_bsuid(key) {
        status.remove("recipient_id");
        status.insert("recipient_user_id".into(), json!(key));
    } else if !key.bytes().all(|b| b.is_ascii_digit()) {
        status.insert("recipient_type".into(), json!("group"));
    }
}

fn string(b: &Value, key: &str) -> Option<String> {
    b.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A `contacts[]` entry with the ids given (`wa_id`, `user_id`, `parent_user_id`, `username`).
fn contact(b: &Value, name: &str) -> Value {
    let mut profile = Map::new();
    profile.insert("name".into(), json!(name));
    if let Some(u) = string(b, "username") {
        profile.insert("username".into(), json!(u));
    }
    let mut c = Map::new();
    c.insert("profile".into(), Value::Object(profile));
    for key in ["wa_id", "user_id", "parent_user_id"] {
        if let Some(v) = string(b, key) {
            c.insert(key.into(), json!(v));
        }
    }
    Value::Object(c)
}

/// `POST /_emulator/inbound/username`.
pub fn inbound_username(app: &Arc<App>, st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let (pnid, waba) = waba_of(st, b)?;
    let user_id = string(b, "user_id").ok_or_else(|| bad("user_id (a BSUID) is required"))?;
    if !is_bsuid(&user_id) {
        return Err(bad(format!(
            "user_id {user_id:?} is not a BSUID such as US.13491208655302741918"
        )));
    }
    let from = match string(b, "from") {
        Some(f) => Some(
            util::normalize_phone(&f)
                .ok_or_else(|| bad(format!("from {f:?} is not a phone number")))?,
        ),
        None => None,
    };
    let group = string(b, "group_id");
    let text = string(b, "text").unwrap_or_else(|| "Hello".to_owned());
    let name = string(b, "name").unwrap_or_else(|| "WhatsApp User".to_owned());
    let id = st.new_wamid(&user_id);
    let now = st.now();
    let ts = st.now_secs().to_string();
    // Windows are keyed by what a reply names: the BSUID, the phone number, and the group.
    st.windows.insert((pnid.clone(), user_id.clone()), now);
    if let Some(f) = &from {
        st.windows.insert((pnid.clone(), f.clone()), now);
    }
    if let Some(g) = &group {
        st.windows.insert((pnid.clone(), g.clone()), now);
    }
    st.inbound.insert(id.clone(), pnid.clone());
    let mut m = Map::new();
    if let Some(f) = &from {
        m.insert("from".into(), json!(f));
    }
    m.insert("from_user_id".into(), json!(user_id));
    if let Some(p) = string(b, "parent_user_id") {
        m.insert("from_parent_user_id".into(), json!(p));
    }
    if let Some(g) = &group {
        m.insert("group_id".into(), json!(g));
    }
    m.insert("id".into(), json!(id));
    m.insert("timestamp".into(), json!(ts));
    m.insert("type".into(), json!("text"));
    m.insert("text".into(), json!({"body": text}));
    let mut ids = b.clone();
    if let Some(o) = ids.as_object_mut() {
        if let Some(f) = &from {
            o.insert("wa_id".into(), json!(f));
        }
    }
    let mut value = webhook::messages_value(st, &pnid);
    value.contacts = Some(json!([contact(&ids, &name)]));
    value.messages = Some(json!([Value::Object(m)]));
    webhook::emit_messages(app, st, &waba, value);
    Ok(Resp::json(200, &json!({"id": id, "timestamp": ts})))
}

/// `POST /_emulator/group/receipts`.
pub fn group_receipts(app: &Arc<App>, st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let (pnid, waba) = waba_of(st, b)?;
    let message_id = string(b, "message_id").ok_or_else(|| bad("message_id is required"))?;
    let group = string(b, "group_id").ok_or_else(|| bad("group_id is required"))?;
    let status = string(b, "status").unwrap_or_else(|| "read".to_owned());
    if status != "delivered" && status != "read" {
        return Err(bad(
            "status is delivered or read (per-participant receipts)",
        ));
    }
    let participants = b
        .get("participants")
        .and_then(Value::as_array)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| bad("participants: [{wa_id?, user_id?, username?}] is required"))?;
    let ts = st.now_secs().to_string();
    let mut contacts = Vec::new();
    let mut statuses = Vec::new();
    for p in participants {
        let wa_id = string(p, "wa_id");
        let user_id = string(p, "user_id");
        if wa_id.is_none() && user_id.is_none() {
            return Err(bad("each participant needs wa_id or user_id"));
        }
        contacts.push(contact(
            p,
            &string(p, "name").unwrap_or_else(|| "WhatsApp User".to_owned()),
        ));
        let mut s = Map::new();
        s.insert("id".into(), json!(message_id));
        s.insert("status".into(), json!(status));
        s.insert("timestamp".into(), json!(ts));
        s.insert("recipient_id".into(), json!(group));
        s.insert("recipient_type".into(), json!("group"));
        if let Some(w) = wa_id {
            s.insert("recipient_participant_id".into(), json!(w));
        }
        if let Some(u) = user_id {
            s.insert("recipient_participant_user_id".into(), json!(u));
        }
        if let Some(pu) = string(p, "parent_user_id") {
            s.insert("recipient_participant_parent_user_id".into(), json!(pu));
        }
        statuses.push(Value::Object(s));
    }
    let count = statuses.len();
    let mut value = webhook::messages_value(st, &pnid);
    value.contacts = Some(Value::Array(contacts));
    value.statuses = Some(Value::Array(statuses));
    webhook::emit_messages(app, st, &waba, value);
    Ok(Resp::json(200, &json!({"statuses": count})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_name_the_recipient_as_it_was_addressed() {
        let base = || {
            json!({"id": "wamid.X", "status": "sent", "recipient_id": "k"})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let mut phone = base();
        status_ids(&mut phone, "16505551234");
        assert_eq!(phone.get("recipient_id"), Some(&json!("k")));
        assert!(!phone.contains_key("recipient_type"));
        let mut user = base();
        status_ids(&mut user, "US.13491208655302741918");
        assert!(!user.contains_key("recipient_id"));
        assert_eq!(
            user.get("recipient_user_id"),
            Some(&json!("US.13491208655302741918"))
        );
        let mut group = base();
        status_ids(&mut group, "Y2FwaV9ncm91cDox");
        assert_eq!(group.get("recipient_type"), Some(&json!("group")));
        assert!(is_bsuid("US.ENT.11815799212886844830") && !is_bsuid("13491208655302741918"));
    }
}
