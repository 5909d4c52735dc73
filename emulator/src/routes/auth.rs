//! Access tokens: reading the caller's token, expiry, scopes and WABA targets.

use crate::errors::{self, GraphErr};
use crate::state::{State, Token};
use crate::Ctx;

pub(super) const MGMT: &str = "whatsapp_business_management";
pub(super) const MSG: &str = "whatsapp_business_messaging";
pub(super) const BIZ: &str = "business_management";

pub(super) fn bearer(ctx: &Ctx) -> Option<String> {
    if let Some(h) = &ctx.authorization {
        let h = h.trim();
        for p in ["Bearer ", "bearer ", "OAuth ", "oauth "] {
            if let Some(t) = h.strip_prefix(p) {
                return Some(t.trim().to_owned());
            }
        }
    }
    ctx.query
        .get("access_token")
        .filter(|t| !t.is_empty())
        .cloned()
}

/// Formats unix seconds like Graph's expiry messages ("Tuesday, 24-Nov-26 13:14:10 UTC").
pub(super) fn graph_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    const WD: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = WD.get(days.rem_euclid(7) as usize).unwrap_or(&"Monday");
    let mon = MON.get((mo - 1).clamp(0, 11) as usize).unwrap_or(&"Jan");
    format!(
        "{wd}, {d:02}-{mon}-{:02} {:02}:{:02}:{:02} UTC",
        y.rem_euclid(100),
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

pub(super) fn app_token(st: &State) -> String {
    format!("{}|{}", st.fixture.app.id, st.fixture.app.secret)
}

/// Resolves the request's token: 104/2500 when missing, 190/467 unknown, 190/463 expired.
pub(super) fn auth(st: &State, ctx: &Ctx, me: bool) -> Result<Token, GraphErr> {
    let Some(t) = bearer(ctx) else {
        return Err(if me {
            errors::token_missing_me()
        } else {
            errors::token_missing()
        });
    };
    check_token(st, &t)
}

pub(super) fn check_token(st: &State, t: &str) -> Result<Token, GraphErr> {
    if t == app_token(st) {
        return Ok(Token {
            kind: "APP".into(),
            scopes: vec![],
            targets: Some(vec![]),
            issued_at: 0.0,
            expires_at: None,
        });
    }
    let tok = st
        .tokens
        .get(t)
        .cloned()
        .ok_or_else(errors::token_invalid)?;
    if let Some(exp) = tok.expires_at {
        let now = st.now();
        if exp <= now {
            return Err(errors::token_expired(
                &graph_date(exp as i64),
                &graph_date(now as i64),
            ));
        }
    }
    Ok(tok)
}

pub(super) fn need_scope(tok: &Token, scope: &str) -> Result<(), GraphErr> {
    if tok.scopes.iter().any(|s| s == scope) {
        Ok(())
    } else {
        Err(errors::missing_scope(scope))
    }
}

pub(super) fn need_waba(tok: &Token, scope: &str, waba: &str) -> Result<(), GraphErr> {
    need_scope(tok, scope)?;
    match &tok.targets {
        Some(t) if !t.iter().any(|w| w == waba) => Err(errors::foreign_waba(scope, waba)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format() {
        assert_eq!(graph_date(0), "Thursday, 01-Jan-70 00:00:00 UTC");
        assert_eq!(graph_date(1_700_000_000), "Tuesday, 14-Nov-23 22:13:20 UTC");
    }
}
