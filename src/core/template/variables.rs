//! Template variables (`platform-rules.md` §1.3): a small scanner for `{{1}}` / `{{first_name}}`
//! placeholders (no regex) and the rules on their numbering, naming, placement and density.

use crate::core::error::Issue;

/// Positional (`{{1}}`) or named (`{{first_name}}`) parameters (`parameter_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParameterFormat {
    /// `{{1}}`, `{{2}}`, … (Meta's default).
    #[default]
    Positional,
    /// `{{first_name}}`, …
    Named,
}

impl ParameterFormat {
    /// Parses `positional` / `named` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("positional") {
            Some(ParameterFormat::Positional)
        } else if s.eq_ignore_ascii_case("named") {
            Some(ParameterFormat::Named)
        } else {
            None
        }
    }
}

/// One placeholder found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Var<'a> {
    /// `{{n}}`
    Positional(u32),
    /// `{{name}}`
    Named(&'a str),
    /// `{{anything else}}` (the raw content between the braces).
    Invalid(&'a str),
}

/// A piece of a scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Var(Var<'a>),
}

/// A text split into literal pieces and placeholders, plus stray braces found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scan<'a> {
    pub pieces: Vec<Piece<'a>>,
    /// Count of `{{` without a closing `}}`, and of `}}` without an opening `{{`.
    pub unmatched: usize,
}

impl<'a> Scan<'a> {
    pub fn vars(&self) -> impl Iterator<Item = Var<'a>> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(*v),
            Piece::Text(_) => None,
        })
    }

    pub fn var_count(&self) -> usize {
        self.vars().count()
    }
}

/// Splits `text` into pieces. Never fails; stray braces are counted in `unmatched`.
pub(crate) fn scan(text: &str) -> Scan<'_> {
    let mut out = Scan::default();
    let mut rest = text;
    let mut literal_start = 0usize; // offset in `text` where the current literal run began
    let mut offset = 0usize; // offset of `rest` in `text`
    while let Some(open) = find_pair(rest, b'{') {
        let after_open = rest.get(open + 2..).unwrap_or("");
        let close = find_pair(after_open, b'}');
        let next_open = find_pair(after_open, b'{');
        match close {
            Some(c) if !matches!(next_open, Some(n) if n < c) => {
                let content = after_open.get(..c).unwrap_or("");
                let var_start = offset + open;
                if let Some(lit) = text.get(literal_start..var_start) {
                    count_stray_closers(lit, &mut out.unmatched);
                    if !lit.is_empty() {
                        out.pieces.push(Piece::Text(lit));
                    }
                }
                out.pieces.push(Piece::Var(classify(content)));
                let consumed = open + 2 + c + 2;
                offset += consumed;
                literal_start = offset;
                rest = rest.get(consumed..).unwrap_or("");
            }
            _ => {
                // `{{` with no `}}` before the next `{{`: stray opener, stays literal text.
                out.unmatched += 1;
                offset += open + 2;
                rest = rest.get(open + 2..).unwrap_or("");
            }
        }
    }
    if let Some(lit) = text.get(literal_start..) {
        count_stray_closers(lit, &mut out.unmatched);
        if !lit.is_empty() {
            out.pieces.push(Piece::Text(lit));
        }
    }
    out
}

fn count_stray_closers(lit: &str, unmatched: &mut usize) {
    let mut rest = lit;
    while let Some(i) = find_pair(rest, b'}') {
        *unmatched += 1;
        rest = rest.get(i + 2..).unwrap_or("");
    }
}

/// A letter or digit for word counting: ASCII alphanumerics and any non-ASCII character (no
/// Unicode tables in the wasm; non-ASCII text is almost always letters).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// Whitespace-separated words that contain a word character. ASCII text (almost every
/// template) is counted byte by byte; `split_whitespace` walks chars, which at opt-level "z" is
/// a call per character. The same count either way (ASCII whitespace is exactly what Unicode
/// `White_Space` holds below U+0080: space, \t, \n, \x0B, \x0C, \r).
fn word_count(t: &str) -> usize {
    if !t.is_ascii() {
        return t
            .split_whitespace()
            .filter(|w| w.chars().any(is_word_char))
            .count();
    }
    let mut words = 0;
    let mut has_word_char = false;
    for &b in t.as_bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            if has_word_char {
                words += 1;
            }
            has_word_char = false;
        } else if b.is_ascii_alphanumeric() {
            has_word_char = true;
        }
    }
    words + usize::from(has_word_char)
}

/// Byte offset of the first `cc` (`{{` or `}}`) in `s`: a plain byte scan, much cheaper than
/// `str::find` with a two-byte pattern (which builds a substring searcher per call).
pub(crate) fn find_pair(s: &str, c: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = b.get(i..)?.iter().position(|&x| x == c) {
        let at = i + off;
        if b.get(at + 1) == Some(&c) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Whether `s` contains `{{`.
pub(crate) fn has_open(s: &str) -> bool {
    find_pair(s, b'{').is_some()
}

fn classify(content: &str) -> Var<'_> {
    let b = content.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) && b.first() != Some(&b'0') && b.len() <= 4
    {
        if let Some(n) = crate::core::json::parse_u64(content).and_then(|n| u32::try_from(n).ok()) {
            return Var::Positional(n);
        }
    }
    if is_param_name(content) {
        return Var::Named(content);
    }
    Var::Invalid(content)
}

/// A named-parameter name: lowercase ASCII letters, digits and underscores, starting with a
/// letter or underscore (Meta: "lowercase letters and underscores"; digits after the first
/// character are accepted by Meta in practice, e.g. `address_line_1`).
pub(crate) fn is_param_name(s: &str) -> bool {
    let mut chars = s.bytes();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c == b'_' => {}
        _ => return false,
    }
    s.len() <= 128 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// What [`check`] learned about a text's variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct VarSummary<'a> {
    /// Placeholders in order of appearance (positional numbers as their decimal text).
    pub names: Vec<VarName<'a>>,
}

/// A placeholder's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarName<'a> {
    Positional(u32),
    Named(&'a str),
}

impl VarSummary<'_> {
    pub fn count(&self) -> usize {
        self.names.len()
    }
}

/// Which placement rules apply to a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// Body rules: no variable at the very start or end (subcode 2388299), no adjacent
    /// variables, density warning (subcode 2388293).
    pub body: bool,
}

/// Checks the placeholders of `text` (at `path`) and reports issues; returns the valid ones.
pub(crate) fn check<'a>(
    text: &'a str,
    format: ParameterFormat,
    placement: Placement,
    path: &str,
    issues: &mut Vec<Issue>,
) -> (Scan<'a>, VarSummary<'a>) {
    let sc = scan(text);
    let mut summary = VarSummary::default();
    if sc.unmatched > 0 {
        issues.push(Issue::error(
            path,
            "variable_unmatched_braces",
            "The text has a '{{' or '}}' that is not part of a variable; variables look like {{1}} or {{first_name}}.",
        ));
    }
    let mut positional = 0usize;
    let mut named = 0usize;
    for v in sc.vars() {
        match v {
            Var::Positional(n) => {
                positional += 1;
                summary.names.push(VarName::Positional(n));
            }
            Var::Named(n) => {
                named += 1;
                summary.names.push(VarName::Named(n));
            }
            Var::Invalid(raw) => issues.push(Issue::error(
                path,
                "variable_invalid",
                format!(
                    "{{{{{raw}}}}} is not a valid variable: use {{{{1}}}}, {{{{2}}}}, … or a lowercase name such as {{{{first_name}}}} (no spaces or symbols)."
                ),
            )),
        }
    }
    if positional > 0 && named > 0 {
        issues.push(Issue::error(
            path,
            "variables_mixed",
            "Numbered ({{1}}) and named ({{first_name}}) variables cannot be mixed in one template.",
        ));
    } else if positional > 0 && format == ParameterFormat::Named {
        issues.push(Issue::error(
            path,
            "variable_format_mismatch",
            "parameter_format is \"named\" but the text uses numbered variables such as {{1}}; use names like {{first_name}} or set parameter_format to \"positional\".",
        ));
    } else if named > 0 && format == ParameterFormat::Positional {
        issues.push(Issue::error(
            path,
            "variable_format_mismatch",
            "The text uses named variables such as {{first_name}}; set parameter_format to \"named\" (the default is positional {{1}}, {{2}}, …).",
        ));
    }
    if positional > 0 && named == 0 {
        let nums: Vec<u32> = summary
            .names
            .iter()
            .filter_map(|n| match n {
                VarName::Positional(p) => Some(*p),
                VarName::Named(_) => None,
            })
            .collect();
        let in_order = nums
            .iter()
            .enumerate()
            .all(|(i, n)| usize::try_from(*n).ok() == Some(i + 1));
        if !in_order {
            let shown: Vec<String> = nums.iter().map(|n| format!("{{{{{n}}}}}")).collect();
            issues.push(Issue::error(
                path,
                "variables_not_sequential",
                format!(
                    "Numbered variables must appear as {{{{1}}}}, {{{{2}}}}, … in order with no gaps or repeats; found {}.",
                    shown.join(", ")
                ),
            ));
        }
    }
    if named > 0 {
        let mut seen: Vec<&str> = Vec::new();
        for n in &summary.names {
            if let VarName::Named(name) = n {
                if seen.contains(name) {
                    issues.push(Issue::error(
                        path,
                        "variable_duplicate_name",
                        format!("{{{{{name}}}}} appears more than once; each named variable must be unique."),
                    ));
                } else {
                    seen.push(name);
                }
            }
        }
    }
    if placement.body && sc.var_count() > 0 {
        body_placement(&sc, path, issues);
    }
    (sc, summary)
}

fn body_placement(sc: &Scan<'_>, path: &str, issues: &mut Vec<Issue>) {
    let meaningful: Vec<&Piece<'_>> = sc
        .pieces
        .iter()
        .filter(|p| !matches!(p, Piece::Text(t) if t.trim().is_empty()))
        .collect();
    if matches!(meaningful.first(), Some(Piece::Var(_))) {
        issues.push(Issue::error(
            path,
            "variable_at_start",
            "The body cannot start with a variable (Meta rejects it, subcode 2388299); add text before it.",
        ));
    }
    if matches!(meaningful.last(), Some(Piece::Var(_))) {
        issues.push(Issue::error(
            path,
            "variable_at_end",
            "The body cannot end with a variable (Meta rejects it, subcode 2388299); add text after it, even a full stop.",
        ));
    }
    if meaningful
        .windows(2)
        .any(|w| matches!(w, [Piece::Var(_), Piece::Var(_)]))
    {
        issues.push(Issue::error(
            path,
            "variables_adjacent",
            "Two variables follow each other with nothing but spaces between them (rejected as INVALID_FORMAT); put words between them.",
        ));
    }
    let words: usize = sc
        .pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => word_count(t),
            Piece::Var(_) => 0,
        })
        .sum();
    let vars = sc.var_count();
    if words < 2 * vars {
        issues.push(Issue::warning(
            path,
            "variables_too_dense",
            format!(
                "{vars} variable(s) in only {words} word(s) of text; Meta rejects templates with too many variables for their length (subcode 2388293). Add words or use fewer variables."
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Placement = Placement { body: true };
    const PLAIN: Placement = Placement { body: false };

    proptest::proptest! {
        /// The byte counter agrees with the general (char) count on every ASCII text.
        #[test]
        fn ascii_word_count_matches_the_char_count(t in "[ -~\t\n\x0B\x0C\r]{0,40}") {
            let general = t
                .split_whitespace()
                .filter(|w| w.chars().any(is_word_char))
                .count();
            proptest::prop_assert_eq!(word_count(&t), general);
        }
    }

    fn codes(text: &str, f: ParameterFormat, p: Placement) -> Vec<&'static str> {
        let mut issues = Vec::new();
        check(text, f, p, "t", &mut issues);
        issues.iter().map(|i| i.code).collect()
    }

    #[test]
    fn scanner() {
        let s = scan("Hi {{1}}, order {{name}} {{ x }} end");
        assert_eq!(
            s.vars().collect::<Vec<_>>(),
            [Var::Positional(1), Var::Named("name"), Var::Invalid(" x ")]
        );
        assert_eq!(s.unmatched, 0);
        assert_eq!(scan("a {{1 b").unmatched, 1);
        assert_eq!(scan("a }} b").unmatched, 1);
        assert_eq!(scan("{{ {{1}}").unmatched, 1);
        assert_eq!(scan("{{ {{1}}").var_count(), 1);
        assert_eq!(scan("{{01}}").vars().next(), Some(Var::Invalid("01")));
        assert_eq!(scan("{{First}}").vars().next(), Some(Var::Invalid("First")));
        assert_eq!(scan("{{a-b}}").vars().next(), Some(Var::Invalid("a-b")));
        assert_eq!(scan("").pieces.len(), 0);
        assert_eq!(scan("{{}}").vars().next(), Some(Var::Invalid("")));
    }

    #[test]
    fn valid_texts() {
        use ParameterFormat::*;
        assert!(codes("Hi {{1}}, your order {{2}} is ready.", Positional, BODY).is_empty());
        assert!(codes("Hi {{first_name}}, code {{code}} works today.", Named, BODY).is_empty());
        assert!(codes("No variables at all", Positional, BODY).is_empty());
        assert!(codes("{{1}}", Positional, PLAIN).is_empty());
    }

    #[test]
    fn invalid_texts() {
        use ParameterFormat::*;
        assert_eq!(
            codes("Hi {{2}} and {{1}} ok here now", Positional, BODY),
            ["variables_not_sequential"]
        );
        assert_eq!(
            codes("Hi {{1}} and {{3}} ok here now", Positional, BODY),
            ["variables_not_sequential"]
        );
        assert_eq!(
            codes("Hi {{1}} and {{1}} ok here now", Positional, BODY),
            ["variables_not_sequential"]
        );
        assert_eq!(
            codes("Hi {{a}} and {{a}} ok here now", Named, BODY),
            ["variable_duplicate_name"]
        );
        assert_eq!(
            codes("Hi {{1}} and {{a}} ok here now", Positional, BODY),
            ["variables_mixed"]
        );
        assert_eq!(
            codes("Hi {{a}} ok here now", Positional, BODY),
            ["variable_format_mismatch"]
        );
        assert_eq!(
            codes("Hi {{1}} ok here now", Named, BODY),
            ["variable_format_mismatch"]
        );
        assert_eq!(
            codes("{{1}} is here for you", Positional, BODY),
            ["variable_at_start"]
        );
        assert_eq!(
            codes("Welcome here, dear {{1}} ", Positional, BODY),
            ["variable_at_end"]
        );
        assert_eq!(
            codes("Dear friend {{1}} {{2}} see you soon", Positional, BODY),
            ["variables_adjacent"]
        );
        assert_eq!(
            codes("Hi {{1}}, {{2}}.", Positional, BODY),
            ["variables_too_dense"]
        );
        assert_eq!(
            codes("Hi {{first name}} you are here", Positional, BODY),
            ["variable_invalid"]
        );
        assert_eq!(
            codes("Hi {{1} there", Positional, BODY),
            ["variable_unmatched_braces"]
        );
    }
}
