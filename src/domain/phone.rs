//! Recipient phone numbers (`platform-rules.md` §2.1): Meta tolerates `+ - ( )` and spaces but may
//! prepend the business number's country code to a number without one, so we always send E.164
//! digits without the `+` (8–15 digits; E.164 allows at most 15).

use crate::domain::error::{Issue, Validation};
use crate::domain::json::{Obj, ToJson};

/// Fewest digits we accept for an international number (shortest real E.164 numbers are ~8).
pub const RECIPIENT_MIN_DIGITS: usize = 8;
/// Most digits E.164 allows.
pub const RECIPIENT_MAX_DIGITS: usize = 15;

/// The result of [`validate_recipient`]: the usual `{ valid, issues }` plus the normalised number.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RecipientCheck {
    /// `true` when no issue is an error.
    pub valid: bool,
    /// Every issue found.
    pub issues: Vec<Issue>,
    /// E.164 digits without `+` (e.g. `27821234567`) when valid.
    pub normalized: Option<String>,
}

/// Checks and normalises a recipient number: `+27 82 123-4567`, `(082) ...` style punctuation is
/// removed; letters or other symbols, fewer than 8 or more than 15 digits are errors.
///
/// ```
/// use whatsapp_business::validate_recipient;
/// let r = validate_recipient("+27 (82) 123-4567");
/// assert_eq!(r.normalized.as_deref(), Some("27821234567"));
/// assert!(!validate_recipient("call me").valid);
/// ```
pub fn validate_recipient(phone: &str) -> RecipientCheck {
    let issues = recipient_issues(phone, "to");
    let v = Validation::from_issues(issues);
    let normalized = if v.valid {
        Some(normalize_digits(phone))
    } else {
        None
    };
    RecipientCheck {
        valid: v.valid,
        issues: v.issues,
        normalized,
    }
}

fn normalize_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

pub(crate) fn recipient_issues(phone: &str, path: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let trimmed = phone.trim();
    if trimmed.is_empty() {
        issues.push(Issue::error(
            path,
            "recipient_empty",
            "A recipient phone number is required, in international format (e.g. 27821234567).",
        ));
        return issues;
    }
    let mut bad: Vec<char> = Vec::new();
    let mut digits = 0usize;
    let mut plus_ok = true;
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '-' | '(' | ')' => {}
            '+' if i == 0 && plus_ok => plus_ok = false,
            _ => {
                if !bad.contains(&c) && bad.len() < 5 {
                    bad.push(c);
                }
            }
        }
    }
    if !bad.is_empty() {
        let shown: Vec<String> = bad
            .iter()
            .map(|c| format!("'{}'", c.escape_default()))
            .collect();
        issues.push(Issue::error(
            path,
            "recipient_invalid_chars",
            format!(
                "A phone number may contain only digits, a leading '+', spaces, dashes and parentheses; found {}.",
                crate::domain::input::join_strs(&shown, ", ")
            ),
        ));
    }
    if digits < RECIPIENT_MIN_DIGITS {
        issues.push(Issue::error(
            path,
            "recipient_too_short",
            format!("The number has {digits} digits; an international number with country code has at least {RECIPIENT_MIN_DIGITS}."),
        ));
    } else if digits > RECIPIENT_MAX_DIGITS {
        issues.push(Issue::error(
            path,
            "recipient_too_long",
            format!("The number has {digits} digits; E.164 numbers have at most {RECIPIENT_MAX_DIGITS}."),
        ));
    }
    if bad.is_empty() && trimmed.trim_start_matches('+').starts_with('0') {
        issues.push(Issue::warning(
            path,
            "recipient_national_format",
            "The number starts with 0, which looks like a national number; write it with the country code (e.g. 27821234567, not 0821234567) or Meta may prepend the wrong one.",
        ));
    }
    issues
}

impl ToJson for RecipientCheck {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("valid", &self.valid)
            .field("issues", &self.issues)
            .field("normalized", &self.normalized)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(p: &str) -> Vec<&'static str> {
        validate_recipient(p)
            .issues
            .iter()
            .map(|i| i.code)
            .collect()
    }

    #[test]
    fn normalises_punctuation() {
        for (input, out) in [
            ("27821234567", "27821234567"),
            ("+27 82 123 4567", "27821234567"),
            ("+1 (650) 555-1234", "16505551234"),
            ("  +44 20 7946 0958 ", "442079460958"),
        ] {
            let r = validate_recipient(input);
            assert!(r.valid, "{input}: {:?}", r.issues);
            assert_eq!(r.normalized.as_deref(), Some(out));
        }
    }

    #[test]
    fn rejects_bad_numbers() {
        assert_eq!(codes(""), ["recipient_empty"]);
        assert_eq!(codes("   "), ["recipient_empty"]);
        assert_eq!(codes("2782123456a"), ["recipient_invalid_chars"]);
        assert_eq!(codes("12345"), ["recipient_too_short"]);
        assert_eq!(codes("1234567890123456"), ["recipient_too_long"]);
        assert_eq!(codes("27+821234567"), ["recipient_invalid_chars"]);
        assert_eq!(codes("++27821234567"), ["recipient_invalid_chars"]);
        assert_eq!(
            codes("abc"),
            ["recipient_invalid_chars", "recipient_too_short"]
        );
        assert!(validate_recipient("abc").normalized.is_none());
    }

    #[test]
    fn national_format_is_a_warning() {
        let r = validate_recipient("0821234567");
        assert!(r.valid);
        assert_eq!(r.issues[0].code, "recipient_national_format");
    }

    proptest! {
        #[test]
        fn never_panics_and_normalised_is_digits(s in "\\PC{0,40}") {
            let r = validate_recipient(&s);
            if let Some(n) = r.normalized {
                prop_assert!(n.len() >= 8 && n.len() <= 15);
                prop_assert!(n.bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
