//! The 24-hour customer-service window (`platform-rules.md` §9): free-form messages may be sent
//! to a user until 24 hours after that user's last inbound message. Since v24, status webhooks no
//! longer carry `conversation.expiration_timestamp`, so the window is computed from the
//! `timestamp` of the last inbound `messages[]` webhook per (phone_number_id, wa_id).
//!
//! Every time here is **unix seconds** (what webhooks send), never milliseconds.

use crate::domain::error::Error;
use crate::domain::json::{Obj, ToJson};

/// Length of the customer-service window, in seconds (24 hours).
pub const CUSTOMER_SERVICE_WINDOW_SECS: i64 = 24 * 60 * 60;

/// Largest accepted unix time in seconds (year 5138). Anything above is almost certainly
/// milliseconds (`Date.now()`), and is refused rather than silently misread.
pub const MAX_UNIX_SECONDS: i64 = 100_000_000_000;

/// Whether free-form messages can be sent, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ConversationWindow {
    /// `true` while `now < expires_at`.
    pub open: bool,
    /// Unix seconds when the window closes: last inbound message + 24 h.
    pub expires_at: i64,
}

/// The window opened by an inbound message at `last_inbound` (unix seconds), seen at `now`
/// (unix seconds). A message timestamped slightly in the future (clock skew) counts as open.
///
/// ```
/// use whatsapp_business::conversation_window;
/// let w = conversation_window(1_750_000_000, 1_750_000_000 + 3_600);
/// assert!(w.open);
/// assert!(!conversation_window(1_750_000_000, 1_750_000_000 + 25 * 3_600).open);
/// ```
pub fn conversation_window(last_inbound: i64, now: i64) -> ConversationWindow {
    let expires_at = last_inbound.saturating_add(CUSTOMER_SERVICE_WINDOW_SECS);
    ConversationWindow {
        open: now < expires_at,
        expires_at,
    }
}

/// Reads a unix time in seconds from a webhook string (`"1700000000"`, digits only), or a
/// validation error naming `path`.
pub fn parse_unix_seconds(text: &str, path: &str) -> Result<i64, Error> {
    let t = text.trim();
    if t.is_empty() || t.len() > 18 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            path,
            "timestamp_invalid",
            format!("{path} must be unix seconds (digits only, as webhooks send them)."),
        ));
    }
    let n: i64 = crate::domain::json::parse_i64(t).ok_or_else(|| {
        Error::invalid(
            path,
            "timestamp_invalid",
            format!("{path} is not a number."),
        )
    })?;
    check_unix_seconds(n, path)
}

/// Checks a unix time in seconds: `0 ≤ n ≤ MAX_UNIX_SECONDS`; larger values are reported as
/// probably milliseconds.
pub fn check_unix_seconds(n: i64, path: &str) -> Result<i64, Error> {
    if n < 0 {
        return Err(Error::invalid(
            path,
            "timestamp_invalid",
            format!("{path} must be unix seconds, not negative."),
        ));
    }
    if n > MAX_UNIX_SECONDS {
        return Err(Error::invalid(
            path,
            "timestamp_in_milliseconds",
            format!("{path} looks like milliseconds ({n}); pass unix seconds (divide by 1000)."),
        ));
    }
    Ok(n)
}

/// Reads a unix time in seconds from a number: finite, non-negative; a fraction is dropped
/// (`Date.now() / 1000` is fine).
pub fn unix_seconds_from_f64(n: f64, path: &str) -> Result<i64, Error> {
    if !n.is_finite() {
        return Err(Error::invalid(
            path,
            "timestamp_invalid",
            format!("{path} must be a finite number of unix seconds."),
        ));
    }
    let floored = n.floor();
    if floored < 0.0 {
        return check_unix_seconds(-1, path);
    }
    if floored > MAX_UNIX_SECONDS as f64 {
        return Err(Error::invalid(
            path,
            "timestamp_in_milliseconds",
            format!("{path} looks like milliseconds; pass unix seconds (divide by 1000)."),
        ));
    }
    // In range 0..=1e11, so the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    Ok(floored as i64)
}

impl ToJson for ConversationWindow {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("open", &self.open)
            .field("expiresAt", &self.expires_at)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_24_hours_from_the_last_inbound_message() {
        let t = 1_700_000_000;
        assert_eq!(
            conversation_window(t, t),
            ConversationWindow {
                open: true,
                expires_at: t + 86_400
            }
        );
        assert!(conversation_window(t, t + 86_399).open);
        assert!(!conversation_window(t, t + 86_400).open);
        assert!(!conversation_window(t, t + 1_000_000).open);
        // Clock skew: a message from "the future" keeps the window open.
        assert!(conversation_window(t + 60, t).open);
        assert_eq!(conversation_window(i64::MAX, 0).expires_at, i64::MAX);
    }

    #[test]
    fn parsing_seconds() {
        assert_eq!(parse_unix_seconds("1700000000", "t"), Ok(1_700_000_000));
        assert_eq!(parse_unix_seconds(" 0 ", "t"), Ok(0));
        for bad in [
            "",
            "-1",
            "1.5",
            "17e8",
            "abc",
            "0x10",
            "9999999999999999999",
        ] {
            assert!(parse_unix_seconds(bad, "t").is_err(), "{bad}");
        }
        assert_eq!(
            parse_unix_seconds("1700000000000", "t").map_err(|e| e.code()),
            Err("timestamp_in_milliseconds".to_owned())
        );
        assert_eq!(
            unix_seconds_from_f64(1_700_000_000.9, "t"),
            Ok(1_700_000_000)
        );
        assert_eq!(
            unix_seconds_from_f64(1_700_000_000_000.0, "now").map_err(|e| e.code()),
            Err("timestamp_in_milliseconds".to_owned())
        );
        for bad in [f64::NAN, f64::INFINITY, -1.0] {
            assert_eq!(
                unix_seconds_from_f64(bad, "t").map_err(|e| e.code()),
                Err("timestamp_invalid".to_owned())
            );
        }
    }
}
