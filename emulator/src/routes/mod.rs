//! Graph API routes under any `/vNN.0/` prefix (or none): this file decodes the path and
//! dispatches by object type and edge; each endpoint family lives in its own module.

mod accounts;
mod auth;
mod fields;
mod media;
mod messages;
mod oauth;
mod payload;
mod request;
mod templates;

pub(crate) use templates::process_reviews;

use crate::errors::{self, GraphErr};
use crate::state::{field, State, Token};
use crate::{App, Ctx, Resp};
use auth::{auth, need_waba, MGMT, MSG};
use percent_encoding::percent_decode_str;
use std::sync::Arc;

pub(crate) fn handle(app: &Arc<App>, ctx: &Ctx) -> Resp {
    match route(app, ctx) {
        Ok(r) => r,
        Err(e) => Resp::error(&e),
    }
}

fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.splitn(2, '.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next().unwrap_or("0");
    !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && minor.bytes().all(|b| b.is_ascii_digit())
}

/// The percent-decoded path segments, without a leading `vNN.0`.
fn segments(path: &str) -> Vec<String> {
    let mut segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    if segs.first().is_some_and(|s| is_version(s)) {
        segs.remove(0);
    }
    segs
}

fn route(app: &Arc<App>, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let segs = segments(&ctx.raw_path);
    let seg: Vec<&str> = segs.iter().map(String::as_str).collect();
    let mut st = app.lock();
    process_reviews(app, &mut st);
    let m = ctx.method.as_str();
    match seg.as_slice() {
        ["oauth", "access_token"] => oauth::access_token(&mut st, ctx),
        ["debug_token"] => oauth::debug_token(&st, ctx),
        ["_media", id] => media::download(&st, ctx, id),
        ["me"] => {
            auth(&st, ctx, true)?;
            Ok(accounts::user(&st))
        }
        ["me", "businesses"] => {
            let tok = auth(&st, ctx, true)?;
            accounts::businesses(&st, ctx, &tok)
        }
        [id] => {
            let tok = auth(&st, ctx, false)?;
            node(&mut st, ctx, &tok, id, m)
        }
        [id, edge] => {
            let tok = auth(&st, ctx, false)?;
            edge_route(app, &mut st, ctx, &tok, id, edge, m)
        }
        [] => {
            auth(&st, ctx, false)?;
            Err(errors::unsupported(m, ""))
        }
        [id, rest @ ..] => {
            auth(&st, ctx, false)?;
            if known_object(&st, id) {
                Err(errors::unknown_path(&rest.join("/")))
            } else {
                Err(errors::unsupported(m, id))
            }
        }
    }
}

fn known_object(st: &State, id: &str) -> bool {
    st.business(id).is_some()
        || st.waba(id).is_some()
        || st.phone(id).is_some()
        || st.templates.iter().any(|t| t.id == id)
        || st.media.contains_key(id)
        || st.fixture.user.id == id
}

/// `GET` or `DELETE /{id}`: whatever object the id names.
fn node(st: &mut State, ctx: &Ctx, tok: &Token, id: &str, m: &str) -> Result<Resp, GraphErr> {
    if m == "GET" {
        if let Some(b) = st.business(id) {
            return accounts::business(b, ctx, tok);
        }
        if let Some(w) = st.waba(id) {
            return accounts::waba(w, ctx, tok, id);
        }
        if let Some(p) = st.phone(id) {
            return accounts::phone(p, ctx, tok);
        }
        if let Some(t) = st.templates.iter().find(|t| t.id == id) {
            return templates::get(t, ctx, tok);
        }
        if let Some(md) = st.media.get(id) {
            return media::get(md, ctx, tok, id);
        }
        if id == st.fixture.user.id {
            return Ok(accounts::user(st));
        }
    }
    if m == "DELETE" && st.media.contains_key(id) {
        return media::delete(st, tok, id);
    }
    Err(errors::unsupported(m, id))
}

/// `/{id}/{edge}` for a business, a WABA or a phone number.
fn edge_route(
    app: &Arc<App>,
    st: &mut State,
    ctx: &Ctx,
    tok: &Token,
    id: &str,
    edge: &str,
    m: &str,
) -> Result<Resp, GraphErr> {
    if st.business(id).is_some() {
        let relation = match edge {
            "owned_whatsapp_business_accounts" => "owned",
            "client_whatsapp_business_accounts" => "client",
            _ => return Err(errors::unknown_path(edge)),
        };
        if m != "GET" {
            return Err(errors::unsupported(m, id));
        }
        return accounts::wabas(st, ctx, tok, id, relation);
    }
    if st.waba(id).is_some() {
        let allowed = || need_waba(tok, MGMT, id);
        return match (edge, m) {
            ("phone_numbers", "GET") => {
                allowed().and_then(|()| accounts::phone_numbers(st, ctx, id))
            }
            ("message_templates", "GET") => allowed().and_then(|()| templates::list(st, ctx, id)),
            ("message_templates", "POST") => {
                allowed().and_then(|()| templates::create(app, st, ctx, id))
            }
            ("message_templates", "DELETE") => {
                allowed().and_then(|()| templates::delete(st, ctx, id))
            }
            ("phone_numbers" | "message_templates", _) => Err(errors::unsupported(m, id)),
            _ => Err(errors::unknown_path(edge)),
        };
    }
    if let Some(p) = st.phone(id) {
        let waba = field(p, "waba_id").to_owned();
        return match (edge, m) {
            ("messages", "POST") => {
                need_waba(tok, MSG, &waba)?;
                let result = messages::send(app, st, ctx, id, &waba);
                if let Err(e) = &result {
                    crate::limits::count_rejection(st, id, e.code);
                }
                result
            }
            ("media", "POST") => {
                need_waba(tok, MSG, &waba)?;
                media::upload(st, ctx, id, &waba)
            }
            ("messages" | "media", _) => Err(errors::unsupported(m, id)),
            _ => Err(errors::unknown_path(edge)),
        };
    }
    if known_object(st, id) {
        return Err(errors::unknown_path(edge));
    }
    Err(errors::unsupported(m, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("v25.0"));
        assert!(is_version("v19"));
        assert!(!is_version("vx"));
        assert_eq!(segments("/v25.0/123/messages"), vec!["123", "messages"]);
    }

    #[test]
    fn segments_are_percent_decoded_and_keep_plus() {
        assert_eq!(segments("/a%2Fb/c+d/%E2%9C%93"), vec!["a/b", "c+d", "✓"]);
    }
}
