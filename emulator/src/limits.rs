//! Sending limits (`platform-rules.md` §5): throughput per number, the pair rate to one user, the
//! messaging tier (unique users messaged with business-initiated templates in a rolling window,
//! per business number), and refusal counts for `GET /_emulator/stats`.

use crate::errors::{wa, GraphErr};
use crate::state::{PairBucket, State};
use crate::App;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Graph's `throughput.level` for a per-number cap of `cap` messages per second (`--throughput`).
/// Meta has two levels: `STANDARD` (80/s) and `HIGH` (up to 1,000/s). A cap of 1,000 or more
/// reads `HIGH`; any other cap reads `STANDARD`, the level whose rate a client may send at without
/// passing it (between 80 and 1,000) or the default one (under 80, and 0 = no cap, which Graph has
/// no level for).
pub fn throughput_level(cap: u32) -> &'static str {
    if cap >= 1000 {
        "HIGH"
    } else {
        "STANDARD"
    }
}

/// Per-number tier bookkeeping: when each user was last counted against the limit.
#[derive(Debug, Default, Clone)]
pub struct TierLog {
    /// wa_id → emulator-clock time the user was counted (a new count starts a new window).
    pub counted_at: std::collections::HashMap<String, f64>,
}

/// A send that passed the rate limits, to be counted once it is accepted ([`record`]).
#[derive(Debug)]
pub struct Admission {
    at: Instant,
    /// The pair bucket once this message is counted (`None` when the pair rate is off).
    pair: Option<PairBucket>,
    business_initiated: bool,
}

/// Checks the limits a send meets before it is accepted (`platform-rules.md` §5), in Meta's
/// order: throughput per number (**130429**), the pair rate to one user (**131056**), and the
/// messaging tier for business-initiated templates (**131048**).
pub fn admit(
    app: &App,
    st: &mut State,
    pnid: &str,
    wa_id: &str,
    business_initiated: bool,
) -> Result<Admission, GraphErr> {
    let at = Instant::now();
    check_throughput(app, st, pnid, at)?;
    let pair = check_pair_rate(app, st, pnid, wa_id)?;
    if business_initiated {
        check_tier(app, st, pnid, wa_id)?;
    }
    Ok(Admission {
        at,
        pair,
        business_initiated,
    })
}

/// Counts an accepted send against the limits [`admit`] checked.
pub fn record(app: &App, st: &mut State, pnid: &str, wa_id: &str, a: Admission) {
    if app.config.throughput > 0 {
        st.throughput
            .entry(pnid.to_owned())
            .or_default()
            .push_back(a.at);
    }
    if let Some(bucket) = a.pair {
        st.pairs.insert((pnid.to_owned(), wa_id.to_owned()), bucket);
    }
    if a.business_initiated {
        record_tier(app, st, pnid, wa_id);
    }
}

/// At most `--throughput` accepted messages in any rolling second per business number.
fn check_throughput(app: &App, st: &mut State, pnid: &str, at: Instant) -> Result<(), GraphErr> {
    let cap = app.config.throughput as usize;
    if cap == 0 {
        return Ok(());
    }
    let q = st.throughput.entry(pnid.to_owned()).or_default();
    while q
        .front()
        .is_some_and(|t| at.duration_since(*t) >= Duration::from_secs(1))
    {
        q.pop_front();
    }
    if q.len() < cap {
        return Ok(());
    }
    Err(wa(
        429,
        130429,
        "Rate limit hit",
        format!("Cloud API message throughput has been reached: phone number {pnid} is limited to {cap} messages per second."),
    )
    .transient(true))
}

/// A burst of `--pair-burst` messages to one user, then one per `--pair-interval`. Returns the
/// bucket as it will be once this message is counted (`None` when the pair rate is off).
fn check_pair_rate(
    app: &App,
    st: &State,
    pnid: &str,
    wa_id: &str,
) -> Result<Option<PairBucket>, GraphErr> {
    if app.config.pair_burst == 0 {
        return Ok(None);
    }
    let now = st.now();
    let burst = f64::from(app.config.pair_burst);
    let interval = app.config.pair_interval_secs.max(0.001);
    let b = st
        .pairs
        .get(&(pnid.to_owned(), wa_id.to_owned()))
        .copied()
        .unwrap_or(PairBucket {
            tokens: burst,
            at: now,
        });
    let tokens = (b.tokens + (now - b.at).max(0.0) / interval).min(burst);
    if tokens >= 1.0 {
        return Ok(Some(PairBucket {
            tokens: tokens - 1.0,
            at: now,
        }));
    }
    Err(wa(
        429,
        131056,
        "(Business Account, Consumer Account) pair rate limit hit",
        format!(
            "Too many messages sent from phone number {pnid} to {wa_id} in a short period of time."
        ),
    )
    .transient(true))
}

/// The enforced unique-user limit of a number: the control API's value, else `--tier-limit`.
/// `None` = not enforced.
pub fn tier_limit(app: &App, st: &State, pnid: &str) -> Option<u64> {
    let n = st
        .tier_limits
        .get(pnid)
        .copied()
        .unwrap_or(u64::from(app.config.tier_limit));
    (n > 0).then_some(n)
}

/// Whether sending a business-initiated message to `wa_id` now stays within the tier.
/// A user already counted inside the window costs nothing; a new user over the limit gets
/// **131048** (Meta's "Spam rate limit hit": restrictions on how many messages this number may
/// send), which is what a number at its messaging limit answers for new users.
fn check_tier(app: &App, st: &mut State, pnid: &str, wa_id: &str) -> Result<(), GraphErr> {
    let Some(limit) = tier_limit(app, st, pnid) else {
        return Ok(());
    };
    let now = st.now();
    let window = app.config.tier_window_secs.max(0.001);
    let log = st.tiers.entry(pnid.to_owned()).or_default();
    log.counted_at.retain(|_, at| now - *at < window);
    if log.counted_at.contains_key(wa_id) || (log.counted_at.len() as u64) < limit {
        return Ok(());
    }
    Err(wa(
        429,
        131048,
        "Spam rate limit hit",
        format!("Message failed to send because there are restrictions on how many messages can be sent from this phone number: {pnid} has reached its messaging limit of {limit} unique users in a rolling {window} s."),
    )
    .transient(true))
}

/// Counts an accepted business-initiated message against the tier: the user stays counted for a
/// window after their latest message.
fn record_tier(app: &App, st: &mut State, pnid: &str, wa_id: &str) {
    if tier_limit(app, st, pnid).is_none() {
        return;
    }
    let now = st.now();
    st.tiers
        .entry(pnid.to_owned())
        .or_default()
        .counted_at
        .insert(wa_id.to_owned(), now);
}

/// Counts a refused send (any Graph error code) for `GET /_emulator/stats`.
pub fn count_rejection(st: &mut State, pnid: &str, code: i64) {
    *st.rejections.entry((pnid.to_owned(), code)).or_insert(0) += 1;
}

/// `GET /_emulator/stats`: accepted sends and refused sends by Graph code, per phone number, and
/// the injected faults applied, by type.
pub fn stats(st: &State) -> Value {
    let mut out = serde_json::Map::new();
    for s in &st.sent {
        let e = out
            .entry(s.phone_number_id.clone())
            .or_insert_with(|| json!({"accepted": 0, "rejected": {}}));
        if let Some(n) = e.get_mut("accepted") {
            *n = json!(n.as_u64().unwrap_or(0) + 1);
        }
    }
    for ((pnid, code), n) in &st.rejections {
        let e = out
            .entry(pnid.clone())
            .or_insert_with(|| json!({"accepted": 0, "rejected": {}}));
        if let Some(r) = e.get_mut("rejected").and_then(Value::as_object_mut) {
            r.insert(code.to_string(), json!(n));
        }
    }
    json!({"phone_numbers": out, "faults": st.fault_hits})
}
