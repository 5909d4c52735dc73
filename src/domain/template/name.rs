//! Template name rule: `^[a-z0-9_]+$`, 1–512 characters (`platform-rules.md` §1.1).

use crate::domain::error::{Issue, Validation};

/// Longest template name Meta accepts.
pub const TEMPLATE_NAME_MAX_LEN: usize = 512;

/// Checks a template name against Meta's rule and reports every problem found.
///
/// ```
/// use whatsapp_business::validate_template_name;
/// assert!(validate_template_name("order_confirmation").valid);
/// let v = validate_template_name("Order-Confirm");
/// assert!(!v.valid);
/// assert_eq!(v.issues[0].code, "name_invalid_chars");
/// ```
pub fn validate_template_name(name: &str) -> Validation {
    Validation::from_issues(name_issues(name, "name"))
}

/// The issues of a template name, reported at `path` (used inside larger validators).
pub(crate) fn name_issues(name: &str, path: &str) -> Vec<Issue> {
    // The common valid name, byte by byte: ASCII only, so bytes are characters.
    if !name.is_empty()
        && name.len() <= TEMPLATE_NAME_MAX_LEN
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    {
        return Vec::new();
    }
    let mut issues = Vec::new();
    if name.is_empty() {
        issues.push(Issue::error(
            path,
            "name_empty",
            "Template name is required (lowercase letters, digits and underscores).",
        ));
        return issues;
    }
    let len = name.chars().count();
    if len > TEMPLATE_NAME_MAX_LEN {
        issues.push(Issue::error(
            path,
            "name_too_long",
            format!(
                "Template name is {len} characters; Meta allows at most {TEMPLATE_NAME_MAX_LEN}."
            ),
        ));
    }
    let bad: Vec<char> = {
        let mut seen = Vec::new();
        for c in name.chars() {
            if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || seen.contains(&c)) {
                seen.push(c);
            }
        }
        seen
    };
    if !bad.is_empty() {
        let suggestion = suggest_name(name);
        let shown: Vec<String> = bad
            .iter()
            .take(5)
            .map(|c| format!("'{}'", c.escape_default()))
            .collect();
        let mut message = format!(
            "Template names may contain only lowercase letters, digits and underscores; found {}.",
            crate::domain::input::join_strs(&shown, ", ")
        );
        if !suggestion.is_empty() && suggestion != name {
            message.push_str(&format!(" Try \"{suggestion}\"."));
        }
        issues.push(Issue::error(path, "name_invalid_chars", message));
    }
    issues
}

/// The closest valid name: lowercased, runs of other characters turned into one underscore.
fn suggest_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let (first, more) = ascii_lowercase_of(c);
        for c in std::iter::once(first).chain(more) {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                out.push(c);
            } else if !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    let trimmed = out.trim_matches('_');
    trimmed.chars().take(TEMPLATE_NAME_MAX_LEN).collect()
}

/// What `char::to_lowercase` gives `c`, as far as `suggest_name` can tell: only ASCII results
/// count and any run of other characters becomes one `_`, so a non-ASCII lowercase stands in as
/// `'\u{80}'`. Only two non-ASCII characters lowercase to ASCII letters: KELVIN SIGN → `k` and
/// `İ` → `i` + U+0307 (checked over every `char` in the tests). Avoids std's Unicode lowercase
/// table (~11 KB in the wasm).
fn ascii_lowercase_of(c: char) -> (char, Option<char>) {
    match c {
        '\u{212A}' => ('k', None),
        '\u{130}' => ('i', Some('\u{307}')),
        c if c.is_ascii() => (c.to_ascii_lowercase(), None),
        _ => ('\u{80}', None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(name: &str) -> Vec<&'static str> {
        validate_template_name(name)
            .issues
            .iter()
            .map(|i| i.code)
            .collect()
    }

    #[test]
    fn ascii_lowercase_of_matches_std_for_every_char() {
        let keep = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let (first, more) = ascii_lowercase_of(c);
            let ours: Vec<Option<char>> = std::iter::once(first)
                .chain(more)
                .map(|c| keep(c).then_some(c))
                .collect();
            let std: Vec<Option<char>> = c.to_lowercase().map(|c| keep(c).then_some(c)).collect();
            // A run of non-kept characters becomes one `_`, so compare with runs collapsed.
            let squash = |v: Vec<Option<char>>| {
                let mut out: Vec<Option<char>> = Vec::new();
                for x in v {
                    if !(x.is_none() && out.last() == Some(&None)) {
                        out.push(x);
                    }
                }
                out
            };
            assert_eq!(squash(ours), squash(std), "{c:?}");
        }
    }

    #[test]
    fn valid_names() {
        for n in [
            "order_confirmation",
            "a",
            "_",
            "x1_2",
            "customer_welcome_2024",
        ] {
            assert!(validate_template_name(n).valid, "{n}");
            assert!(validate_template_name(n).issues.is_empty());
        }
        assert!(validate_template_name(&"a".repeat(512)).valid);
    }

    #[test]
    fn invalid_names() {
        assert_eq!(codes(""), ["name_empty"]);
        assert_eq!(codes(&"a".repeat(513)), ["name_too_long"]);
        assert_eq!(codes("Order-Confirm"), ["name_invalid_chars"]);
        assert_eq!(codes("with space"), ["name_invalid_chars"]);
        assert_eq!(codes("ünïcode"), ["name_invalid_chars"]);
        assert_eq!(
            codes(&"A".repeat(600)),
            ["name_too_long", "name_invalid_chars"]
        );
    }

    #[test]
    fn message_suggests_a_fix() {
        let v = validate_template_name("Order-Confirm");
        assert_eq!(v.issues[0].path, "name");
        assert!(
            v.issues[0].message.contains("'O'"),
            "{}",
            v.issues[0].message
        );
        assert!(
            v.issues[0].message.contains("\"order_confirm\""),
            "{}",
            v.issues[0].message
        );
    }

    proptest! {
        #[test]
        fn agrees_with_the_regex(name in "\\PC{0,600}") {
            let expected = !name.is_empty()
                && name.chars().count() <= 512
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            prop_assert_eq!(validate_template_name(&name).valid, expected);
        }

        #[test]
        fn suggestion_is_valid_when_present(name in "[A-Za-z0-9 _\\-.]{1,40}") {
            let s = suggest_name(&name);
            prop_assert!(s.is_empty() || validate_template_name(&s).valid);
        }
    }
}
