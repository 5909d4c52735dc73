//! OAuth: `/oauth/access_token` (code exchange, long-lived exchange, app token) and `/debug_token`.

use super::auth::{app_token, bearer, check_token, graph_date, BIZ, MGMT, MSG};
use super::request::params;
use crate::errors::{self, GraphErr};
use crate::state::{field, State, Token};
use crate::{util, Ctx, Resp};
use serde_json::{json, Value};
use std::collections::HashMap;

fn mint_token(
    st: &mut State,
    lifetime: f64,
    kind: &str,
    scopes: Vec<String>,
    targets: Option<Vec<String>>,
) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let s = format!("EAAM{}", util::random_chars(ALNUM, 40));
    let now = st.now();
    st.tokens.insert(
        s.clone(),
        Token {
            kind: kind.to_owned(),
            scopes,
            targets,
            issued_at: now,
            expires_at: Some(now + lifetime),
        },
    );
    s
}

/// Short-lived user token lifetime (§7.2: about 1–2 hours).
const SHORT_LIVED: f64 = 7_200.0;
/// Long-lived user token lifetime (§7.2: about 60 days).
const LONG_LIVED: f64 = 5_183_944.0;

/// `GET|POST /oauth/access_token`: the app's credentials, then one of three grants.
pub(super) fn access_token(st: &mut State, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let p = params(ctx);
    check_client(st, &p)?;
    match p.get("grant_type").map(String::as_str).unwrap_or("") {
        "client_credentials" => Ok(Resp::json(
            200,
            &json!({"access_token": app_token(st), "token_type": "bearer"}),
        )),
        "fb_exchange_token" => exchange_for_long_lived(st, &p),
        _ => exchange_code(st, &p),
    }
}

/// `client_id` must be the fixture app's id (**101**) and `client_secret` its secret (**1**).
fn check_client(st: &State, p: &HashMap<String, String>) -> Result<(), GraphErr> {
    let client_id = p
        .get("client_id")
        .ok_or_else(|| GraphErr::new(400, 101, "OAuthException", "Missing client_id parameter."))?;
    if client_id != &st.fixture.app.id {
        return Err(GraphErr::new(
            400,
            101,
            "OAuthException",
            "Error validating application. Invalid application ID.",
        ));
    }
    match p.get("client_secret") {
        Some(s) if s == &st.fixture.app.secret => Ok(()),
        Some(_) => Err(GraphErr::new(
            400,
            1,
            "OAuthException",
            "Error validating client secret.",
        )),
        None => Err(GraphErr::new(
            400,
            1,
            "OAuthException",
            "Missing client_secret parameter.",
        )),
    }
}

/// `grant_type=fb_exchange_token`: a user token for a 60-day one with the same grants.
fn exchange_for_long_lived(st: &mut State, p: &HashMap<String, String>) -> Result<Resp, GraphErr> {
    let short = p
        .get("fb_exchange_token")
        .ok_or_else(|| errors::param_required("fb_exchange_token"))?;
    let tok = check_token(st, short)?;
    if tok.kind == "APP" {
        return Err(errors::token_invalid());
    }
    let t = mint_token(st, LONG_LIVED, &tok.kind, tok.scopes, tok.targets);
    Ok(Resp::json(
        200,
        &json!({"access_token": t, "token_type": "bearer", "expires_in": LONG_LIVED as i64}),
    ))
}

/// The code exchange: a known, unused code (bound to its `redirect_uri`, if any) for a
/// short-lived user token with every scope.
fn exchange_code(st: &mut State, p: &HashMap<String, String>) -> Result<Resp, GraphErr> {
    let code = p
        .get("code")
        .ok_or_else(|| errors::param_required("code"))?;
    if st.used_codes.contains(code) {
        return Err(errors::param("This authorization code has been used.").with_subcode(36009));
    }
    let Some(bound) = st.codes.get(code).cloned() else {
        return Err(errors::param("Invalid verification code format."));
    };
    if let Some(uri) = bound {
        if p.get("redirect_uri") != Some(&uri) {
            return Err(errors::param(
                "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
            )
            .with_subcode(36008));
        }
    }
    st.codes.remove(code);
    st.used_codes.insert(code.clone());
    let scopes = vec![BIZ.to_owned(), MGMT.to_owned(), MSG.to_owned()];
    let t = mint_token(st, SHORT_LIVED, "USER", scopes, None);
    Ok(Resp::json(
        200,
        &json!({"access_token": t, "token_type": "bearer", "expires_in": SHORT_LIVED as i64}),
    ))
}

/// `GET /debug_token?input_token=…`.
pub(super) fn debug_token(st: &State, ctx: &Ctx) -> Result<Resp, GraphErr> {
    let caller = bearer(ctx).ok_or_else(errors::token_missing)?;
    check_token(st, &caller)?;
    let input = ctx
        .query
        .get("input_token")
        .ok_or_else(|| errors::param_required("input_token"))?;
    let app = &st.fixture.app;
    if input == &app_token(st) {
        return Ok(Resp::json(
            200,
            &json!({"data": {"app_id": app.id, "type": "APP", "application": app.name, "is_valid": true, "scopes": []}}),
        ));
    }
    let Some(tok) = st.tokens.get(input) else {
        return Ok(Resp::json(
            200,
            &json!({"data": {"error": {"code": 190, "message": "Invalid OAuth access token."}, "is_valid": false, "scopes": []}}),
        ));
    };
    let now = st.now();
    let valid = tok.expires_at.is_none_or(|e| e > now);
    let all = st.all_waba_ids();
    let granular: Vec<Value> = tok
        .scopes
        .iter()
        .map(|s| {
            if s == MGMT || s == MSG {
                json!({"scope": s, "target_ids": tok.targets.clone().unwrap_or_else(|| all.clone())})
            } else if s == BIZ {
                let ids: Vec<&str> = st.fixture.businesses.iter().map(|b| field(b, "id")).collect();
                json!({"scope": s, "target_ids": ids})
            } else {
                json!({"scope": s})
            }
        })
        .collect();
    let mut data = json!({
        "app_id": app.id,
        "type": tok.kind,
        "application": app.name,
        "data_access_expires_at": (tok.issued_at + 90.0 * 86_400.0) as i64,
        "expires_at": tok.expires_at.map(|e| e as i64).unwrap_or(0),
        "is_valid": valid,
        "issued_at": tok.issued_at as i64,
        "scopes": tok.scopes,
        "granular_scopes": granular,
        "user_id": st.fixture.user.id,
    });
    if !valid {
        if let Some(o) = data.as_object_mut() {
            let exp = tok.expires_at.unwrap_or(now) as i64;
            o.insert(
                "error".into(),
                json!({"code": 190, "message": format!("Error validating access token: Session has expired on {}. The current time is {}.", graph_date(exp), graph_date(now as i64)), "subcode": 463}),
            );
        }
    }
    Ok(Resp::json(200, &json!({"data": data})))
}
