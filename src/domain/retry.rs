//! Retry policy, clock-free: which failures may be retried, and how long to wait before the next
//! attempt (exponential backoff with full jitter, `Retry-After` honoured). The client supplies the
//! clock, the sleep and the random number; this module only computes.
//!
//! Sources: `platform-rules.md` §4 (retryable codes 1, 2, 4, 80007, 130429, 131016, 131056,
//! 131057, 133004 and HTTP 5xx — encoded in [`Error::retryable`]).

use crate::domain::error::Error;
use crate::domain::request::ApiResponse;

/// Bounds for automatic retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The backoff ceiling of the first retry, in milliseconds; doubled for each further retry.
    pub base_delay_ms: u64,
    /// The largest backoff ceiling, in milliseconds.
    pub max_delay_ms: u64,
    /// The longest `Retry-After` the client waits for; a longer one ends the retries and the error
    /// is returned (the caller can schedule the request later).
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 30_000,
            max_retry_after_ms: 60_000,
        }
    }
}

/// Whether replaying a request can cause a second effect at Meta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Idempotency {
    /// Reads, and writes that are harmless to repeat (a read receipt): also retried after a
    /// network failure.
    Safe,
    /// Sends and creations: never replayed once they may have reached Meta.
    Unsafe,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    RetryAfter(u64),
    /// Give up and return the error.
    Stop,
}

/// The full-jitter backoff before retry number `retry` (0 for the first retry): a uniformly random
/// delay in `[0, min(max_delay, base · 2^retry)]`. `random` is in `[0, 1)`; values outside are clamped.
pub fn backoff_ms(policy: &RetryPolicy, retry: u32, random: f64) -> u64 {
    let ceiling = policy
        .base_delay_ms
        .saturating_mul(1u64.checked_shl(retry.min(32)).unwrap_or(u64::MAX))
        .min(policy.max_delay_ms);
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // f64 holds every ceiling we can meet exactly enough; `as` saturates.
    (ceiling as f64 * r).floor() as u64
}

/// The `Retry-After` of a response in milliseconds (delay-seconds form only; an HTTP date is
/// ignored).
pub fn retry_after_ms(resp: &ApiResponse) -> Option<u64> {
    let v = resp.header("retry-after")?.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::domain::json::parse_u64(v).map(|s| s.saturating_mul(1000))
}

/// Decides whether attempt number `attempt` (1-based) that failed with `error` is retried.
///
/// * Graph errors, 5xx answers and network failures are retried when [`Error::retryable`] says so.
/// * A failure whose request may have reached Meta ([`Error::Transport`] with `ambiguous`) is
///   never retried; the caller marks only [`Idempotency::Unsafe`] requests ambiguous.
/// * `Retry-After` replaces the jittered backoff; one longer than the policy allows stops.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    error: &Error,
    retry_after: Option<u64>,
    random: f64,
) -> Decision {
    if attempt >= policy.max_attempts || !error.retryable() {
        return Decision::Stop;
    }
    match retry_after {
        Some(ms) if ms > policy.max_retry_after_ms => Decision::Stop,
        Some(ms) => Decision::RetryAfter(ms),
        None => Decision::RetryAfter(backoff_ms(policy, attempt.saturating_sub(1), random)),
    }
}

/// A transport failure as the caller must report it: for an [`Idempotency::Safe`] request the
/// ambiguity does not matter (it is retried and reported as a plain network failure); for an
/// unsafe one the transport's own judgement (`ambiguous` = the request may have gone out) is kept.
pub fn for_idempotency(error: Error, idempotency: Idempotency) -> Error {
    match (error, idempotency) {
        (Error::Transport { message, .. }, Idempotency::Safe) => Error::Transport {
            message,
            ambiguous: false,
        },
        (e, _) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::GraphError;

    fn graph(code: i64, http: u16) -> Error {
        Error::Graph(Box::new(GraphError {
            http_status: http,
            code,
            message: "m".into(),
            ..GraphError::default()
        }))
    }

    #[test]
    fn full_jitter_backoff_doubles_up_to_the_ceiling() {
        let p = RetryPolicy::default();
        assert_eq!(backoff_ms(&p, 0, 0.0), 0);
        assert_eq!(backoff_ms(&p, 0, 0.5), 250);
        assert_eq!(backoff_ms(&p, 1, 0.5), 500);
        assert_eq!(backoff_ms(&p, 2, 0.999_999), 1_999);
        assert_eq!(backoff_ms(&p, 10, 1.0), 30_000);
        assert_eq!(backoff_ms(&p, 200, 1.0), 30_000);
        assert_eq!(backoff_ms(&p, 3, f64::NAN), 0);
        assert_eq!(backoff_ms(&p, 3, 7.0), 4_000);
    }

    #[test]
    fn retries_only_retryable_codes_and_bounds_attempts() {
        let p = RetryPolicy::default();
        for code in [1, 2, 4, 80007, 130429, 131016, 131056, 131057, 133004] {
            assert_eq!(
                decide(&p, 1, &graph(code, 400), None, 1.0),
                Decision::RetryAfter(500),
                "{code}"
            );
        }
        for code in [190, 131047, 131026, 132000, 132001, 100, 10, 368] {
            assert_eq!(
                decide(&p, 1, &graph(code, 400), None, 0.5),
                Decision::Stop,
                "{code}"
            );
        }
        assert_eq!(
            decide(&p, 1, &graph(999, 503), None, 1.0),
            Decision::RetryAfter(500)
        );
        assert_eq!(
            decide(&p, 3, &graph(4, 429), None, 1.0),
            Decision::RetryAfter(2000)
        );
        assert_eq!(decide(&p, 4, &graph(4, 429), None, 1.0), Decision::Stop);
    }

    #[test]
    fn retry_after_wins_and_is_bounded() {
        let p = RetryPolicy::default();
        let resp = ApiResponse {
            status: 429,
            headers: vec![("retry-after".into(), "7".into())],
            body: String::new(),
        };
        assert_eq!(retry_after_ms(&resp), Some(7_000));
        assert_eq!(
            decide(&p, 1, &graph(130429, 429), Some(7_000), 0.0),
            Decision::RetryAfter(7_000)
        );
        assert_eq!(
            decide(&p, 1, &graph(130429, 429), Some(61_000), 0.0),
            Decision::Stop
        );
        let date = ApiResponse {
            headers: vec![("Retry-After".into(), "Wed, 21 Oct 2015 07:28:00 GMT".into())],
            ..resp
        };
        assert_eq!(retry_after_ms(&date), None);
    }

    #[test]
    fn ambiguous_sends_are_never_retried_but_reads_are() {
        let p = RetryPolicy::default();
        let lost = || Error::Transport {
            message: "connection closed".into(),
            ambiguous: true,
        };
        assert_eq!(
            decide(
                &p,
                1,
                &for_idempotency(lost(), Idempotency::Unsafe),
                None,
                1.0
            ),
            Decision::Stop
        );
        assert_eq!(
            decide(
                &p,
                1,
                &for_idempotency(lost(), Idempotency::Safe),
                None,
                1.0
            ),
            Decision::RetryAfter(500)
        );
        let refused = Error::Transport {
            message: "could not build the request".into(),
            ambiguous: false,
        };
        assert_eq!(
            decide(
                &p,
                1,
                &for_idempotency(refused, Idempotency::Unsafe),
                None,
                1.0
            ),
            Decision::RetryAfter(500)
        );
    }

    proptest::proptest! {
        #[test]
        fn backoff_never_exceeds_the_ceiling(retry in 0u32..100, r in proptest::num::f64::ANY, base in 0u64..100_000, max in 0u64..1_000_000) {
            let p = RetryPolicy { base_delay_ms: base, max_delay_ms: max, ..RetryPolicy::default() };
            proptest::prop_assert!(backoff_ms(&p, retry, r) <= max);
        }
    }
}
