//! Phone-number quality and messaging-limit changes from the control API
//! (`POST /_emulator/phone_numbers/{id}`), which fire `phone_number_quality_update` webhooks
//! (`platform-rules.md` §5).

use crate::control::bad;
use crate::state::{field, State};
use crate::{webhook, App};
use serde_json::{json, Value};
use std::sync::Arc;

const RATINGS: [&str; 5] = ["GREEN", "YELLOW", "RED", "NA", "UNKNOWN"];
const EVENTS: [&str; 7] = [
    "FLAGGED",
    "UNFLAGGED",
    "UPGRADE",
    "DOWNGRADE",
    "ONBOARDING",
    "THROUGHPUT_UPGRADE",
    "NONE",
];

fn rank(r: &str) -> u8 {
    match r {
        "GREEN" => 3,
        "YELLOW" => 2,
        "RED" => 1,
        _ => 0,
    }
}

/// What a control call asks to change (names uppercase, checked).
#[derive(Debug)]
struct Change {
    rating: Option<String>,
    limit: Option<String>,
    level: Option<String>,
    event: Option<String>,
    count: Option<u64>,
}

impl Change {
    fn parse(b: &Value) -> Result<Change, crate::Resp> {
        let s = |k: &str| {
            b.get(k)
                .and_then(Value::as_str)
                .map(str::to_ascii_uppercase)
        };
        let rating = s("quality_rating");
        if rating.as_deref().is_some_and(|r| !RATINGS.contains(&r)) {
            return Err(bad(
                "quality_rating must be GREEN, YELLOW, RED, NA or UNKNOWN",
            ));
        }
        let limit = s("messaging_limit");
        if limit.as_deref().is_some_and(|l| !l.starts_with("TIER_")) {
            return Err(bad(
                "messaging_limit must be a tier such as TIER_250 or TIER_2K",
            ));
        }
        let event = s("event");
        if event.as_deref().is_some_and(|e| !EVENTS.contains(&e)) {
            return Err(bad(format!("event must be one of {}", EVENTS.join(", "))));
        }
        let count = match b.get("messaging_limit_count") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| bad("messaging_limit_count must be a non-negative integer"))?,
            ),
        };
        Ok(Change {
            rating,
            limit,
            level: s("throughput_level"),
            event,
            count,
        })
    }

    /// The event Meta would send: a lower tier is a downgrade, a higher one an upgrade, a drop
    /// in rating flags the number and a rise from RED unflags it.
    fn derived_event(&self, old_rating: &str, old_limit: &str) -> Option<&'static str> {
        match (&self.rating, &self.limit) {
            (_, Some(l)) if l != old_limit && tier_size(l) < tier_size(old_limit) => {
                Some("DOWNGRADE")
            }
            (_, Some(l)) if l != old_limit => Some("UPGRADE"),
            (Some(r), _) if rank(r) < rank(old_rating) => Some("FLAGGED"),
            (Some(r), _) if rank(r) > rank(old_rating) && old_rating == "RED" => Some("UNFLAGGED"),
            _ => None,
        }
    }
}

/// `POST /_emulator/phone_numbers/{id}`: `{quality_rating?, messaging_limit?, messaging_limit_count?,
/// throughput_level?, event?}`. Changes the number as Graph reports it and, when the rating or the
/// limit changed (or `event` is given), fires a signed `phone_number_quality_update`.
pub fn update(
    app: &Arc<App>,
    st: &mut State,
    id: &str,
    b: &Value,
) -> Result<crate::Resp, crate::Resp> {
    let change = Change::parse(b)?;
    let Some(p) = st
        .fixture
        .phone_numbers
        .iter_mut()
        .find(|p| field(p, "id") == id)
    else {
        return Err(crate::Resp::json(
            404,
            &json!({"error": format!("no phone number {id}")}),
        ));
    };
    let old_rating = field(p, "quality_rating").to_owned();
    let old_limit = field(p, "whatsapp_business_manager_messaging_limit").to_owned();
    if let Some(r) = &change.rating {
        p.insert("quality_rating".into(), json!(r));
    }
    if let Some(l) = &change.limit {
        p.insert("messaging_limit_tier".into(), json!(l));
        p.insert("whatsapp_business_manager_messaging_limit".into(), json!(l));
    }
    if let Some(l) = &change.level {
        p.insert("throughput".into(), json!({"level": l}));
    }
    let mut number = p.clone();
    if let Some(n) = change.count {
        st.tier_limits.insert(id.to_owned(), n);
    }
    let event = change.event.clone().or(change
        .derived_event(&old_rating, &old_limit)
        .map(str::to_owned));
    let fired = match event.filter(|e| e != "NONE") {
        Some(e) => emit_quality_update(app, st, &number, &e),
        None => Value::Null,
    };
    number.remove("waba_id");
    Ok(crate::Resp::json(
        200,
        &json!({"phone_number": number, "webhook": fired}),
    ))
}

/// Fires `phone_number_quality_update` for `number`; returns the change value sent.
fn emit_quality_update(
    app: &Arc<App>,
    st: &mut State,
    number: &serde_json::Map<String, Value>,
    event: &str,
) -> Value {
    let value = json!({
        "display_phone_number": webhook::display_digits(field(number, "display_phone_number")),
        "event": event,
        "current_limit": field(number, "whatsapp_business_manager_messaging_limit"),
    });
    let payload = webhook::envelope(
        field(number, "waba_id"),
        "phone_number_quality_update",
        webhook::ChangeValue::Other(value.clone()),
        Some(st.now_secs()),
    );
    webhook::emit(app, st, payload);
    value
}

/// Unique users per day of a tier name (`TIER_UNLIMITED` largest).
fn tier_size(t: &str) -> u64 {
    let n = t.trim_start_matches("TIER_");
    if n == "UNLIMITED" {
        return u64::MAX;
    }
    let (digits, mult) = match n.strip_suffix('K') {
        Some(d) => (d, 1000),
        None => (n, 1),
    };
    digits.parse::<u64>().map(|d| d * mult).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::tier_size;

    #[test]
    fn tier_sizes_order() {
        assert!(tier_size("TIER_250") < tier_size("TIER_2K"));
        assert!(tier_size("TIER_100K") < tier_size("TIER_UNLIMITED"));
        assert_eq!(tier_size("TIER_10K"), 10_000);
    }
}
