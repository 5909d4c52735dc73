//! Template variables (`platform-rules.md` §1.3): a small scanner for `{{1}}` / `{{first_name}}`
//! placeholders (no regex) and the rules on their numbering, naming, placement and density.

use crate::domain::components::is_param_name;
use crate::domain::error::Issue;
use crate::domain::input::Path;
use crate::domain::json::find_byte;

/// Positional (`{{1}}`) or named (`{{first_name}}`) parameters (`parameter_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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

/// The pieces of a text, in order: literal runs and placeholders (an iterator: nothing is
/// collected). Stray braces are counted in [`Pieces::unmatched`] as the text is read; the count
/// is complete once the iterator has returned `None`.
#[derive(Debug, Clone)]
pub(crate) struct Pieces<'a> {
    text: &'a str,
    /// Offset in `text` where scanning resumes.
    at: usize,
    /// Offset in `text` where the current literal run began.
    literal_start: usize,
    /// A placeholder found after the literal just returned.
    pending: Option<Var<'a>>,
    /// The first `{{` at or after `open_from` (absolute offset), if known: found while checking
    /// the previous placeholder, so the text is searched for `{{` only once.
    next_open: Option<usize>,
    open_from: usize,
    done: bool,
    /// Count of `{{` without a closing `}}`, and of `}}` without an opening `{{`, so far.
    pub unmatched: usize,
}

impl<'a> Pieces<'a> {
    /// The placeholders only.
    pub fn vars(self) -> impl Iterator<Item = Var<'a>> {
        self.filter_map(|p| match p {
            Piece::Var(v) => Some(v),
            Piece::Text(_) => None,
        })
    }

    /// A literal run: counts its stray `}}`; `None` when empty.
    fn literal(&mut self, lit: Option<&'a str>) -> Option<Piece<'a>> {
        let lit = lit?;
        count_stray_closers(lit, &mut self.unmatched);
        (!lit.is_empty()).then_some(Piece::Text(lit))
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        loop {
            if let Some(v) = self.pending.take() {
                return Some(Piece::Var(v));
            }
            if self.done {
                return None;
            }
            let text = self.text;
            let rest = text.get(self.at..).unwrap_or("");
            let known = self.open_from <= self.at && self.next_open.map_or(true, |n| n >= self.at);
            let open = if known {
                self.next_open.map(|n| n - self.at)
            } else {
                find_pair(rest, b'{')
            };
            let Some(open) = open else {
                self.done = true;
                return self.literal(text.get(self.literal_start..));
            };
            let after_open = rest.get(open + 2..).unwrap_or("");
            let next_open = find_pair(after_open, b'{');
            self.open_from = self.at + open + 2;
            self.next_open = next_open.map(|n| self.open_from + n);
            // A `}}` closes this `{{` only if it comes before the next `{{`: look no further
            // (the `}}` and the next `{{` cannot overlap). Keeps a text full of braces linear.
            let limit = next_open.unwrap_or(after_open.len());
            match find_pair(after_open.get(..limit).unwrap_or(""), b'}') {
                Some(c) => {
                    let content = after_open.get(..c).unwrap_or("");
                    let var_start = self.at + open;
                    let lit = text.get(self.literal_start..var_start);
                    self.at += open + 2 + c + 2;
                    self.literal_start = self.at;
                    self.pending = Some(classify(content));
                    if let Some(piece) = self.literal(lit) {
                        return Some(piece);
                    }
                }
                None => {
                    // `{{` with no `}}` before the next `{{`: stray opener, stays literal text.
                    self.unmatched += 1;
                    self.at += open + 2;
                }
            }
        }
    }
}

/// Splits `text` into pieces (see [`Pieces`]). Never fails.
pub(crate) fn scan(text: &str) -> Pieces<'_> {
    Pieces {
        text,
        at: 0,
        literal_start: 0,
        pending: None,
        next_open: None,
        open_from: usize::MAX,
        done: false,
        unmatched: 0,
    }
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
pub(super) fn word_count(t: &str) -> usize {
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
/// Read 8 bytes at a time (`find_byte`).
pub(crate) fn find_pair(s: &str, c: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let at = find_byte(b, i, c)?;
        if b.get(at + 1) == Some(&c) {
            return Some(at);
        }
        i = at + 1;
    }
}

/// Whether `s` contains `{{`.
pub(crate) fn has_open(s: &str) -> bool {
    find_pair(s, b'{').is_some()
}

pub(super) fn classify(content: &str) -> Var<'_> {
    let b = content.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) && b.first() != Some(&b'0') && b.len() <= 4
    {
        // At most 4 digits: no overflow.
        return Var::Positional(
            b.iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0'))),
        );
    }
    if is_param_name(content) {
        return Var::Named(content);
    }
    Var::Invalid(content)
}

/// What [`check`] learned about a text's valid placeholders.
#[derive(Debug, Clone, Default)]
pub(crate) struct VarSummary<'a> {
    /// Count of `{{n}}` placeholders.
    pub positional: usize,
    /// The `{{name}}` placeholders in order of appearance (empty, so not allocated, when the
    /// text has none: the common positional template costs no allocation).
    pub named: Vec<&'a str>,
}

impl VarSummary<'_> {
    /// Count of valid placeholders.
    pub fn count(&self) -> usize {
        self.positional + self.named.len()
    }
}

/// Which placement rules apply to a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// Body rules: no variable at the very start or end (subcode 2388299), no adjacent
    /// variables, density warning (subcode 2388293).
    pub body: bool,
}

/// `s.trim().is_empty()`. ASCII is checked byte by byte (`trim` decodes chars, a call each at
/// opt-level "z"); the ASCII characters of Unicode `White_Space` are exactly these six.
pub(crate) fn is_blank(s: &str) -> bool {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        match b {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => {}
            // Bytes before `i` are ASCII: `i` is a char boundary.
            0x80.. => {
                return s
                    .get(i..)
                    .is_some_and(|r| r.chars().all(char::is_whitespace))
            }
            _ => return false,
        }
    }
    true
}

/// Checks the placeholders of `text` (at `path`) and reports issues; returns the valid ones.
/// One pass over the text and no allocation unless the text has named placeholders or an
/// issue is reported.
pub(crate) fn check<'a>(
    text: &'a str,
    format: ParameterFormat,
    placement: Placement,
    path: Path<'_>,
    issues: &mut Vec<Issue>,
) -> VarSummary<'a> {
    // Stray braces are only known at the end of the text, but reported first.
    let mark = issues.len();
    let mut summary = VarSummary::default();
    let mut in_order = true;
    // Body placement: every placeholder (invalid ones too), the words of the literal runs, and
    // the "meaningful" pieces (all but blank runs): is the first / last one a placeholder, do
    // two placeholders follow each other.
    let (mut all_vars, mut words) = (0usize, 0usize);
    let (mut first_is_var, mut last_is_var, mut adjacent) = (None, false, false);
    let mut pieces = scan(text);
    for piece in pieces.by_ref() {
        let is_var = matches!(piece, Piece::Var(_));
        match piece {
            Piece::Text(t) => {
                if !placement.body {
                    continue;
                }
                words += word_count(t);
                if is_blank(t) {
                    continue;
                }
            }
            Piece::Var(Var::Positional(n)) => {
                summary.positional += 1;
                in_order &= usize::try_from(n).ok() == Some(summary.positional);
            }
            Piece::Var(Var::Named(n)) => summary.named.push(n),
            Piece::Var(Var::Invalid(raw)) => issues.push(Issue::error(
                path,
                "variable_invalid",
                format!(
                    "{{{{{raw}}}}} is not a valid variable: use {{{{1}}}}, {{{{2}}}}, … or a lowercase name such as {{{{first_name}}}} (no spaces or symbols)."
                ),
            )),
        }
        all_vars += usize::from(is_var);
        adjacent |= is_var && last_is_var;
        first_is_var.get_or_insert(is_var);
        last_is_var = is_var;
    }
    if pieces.unmatched > 0 {
        issues.insert(
            mark,
            Issue::error(
                path,
                "variable_unmatched_braces",
                "The text has a '{{' or '}}' that is not part of a variable; variables look like {{1}} or {{first_name}}.",
            ),
        );
    }
    let (positional, named) = (summary.positional, summary.named.len());
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
    if positional > 0 && named == 0 && !in_order {
        let mut shown = String::new();
        for v in scan(text).vars() {
            if let Var::Positional(n) = v {
                if !shown.is_empty() {
                    shown.push_str(", ");
                }
                shown.push_str(&format!("{{{{{n}}}}}"));
            }
        }
        issues.push(Issue::error(
            path,
            "variables_not_sequential",
            format!(
                "Numbered variables must appear as {{{{1}}}}, {{{{2}}}}, … in order with no gaps or repeats; found {shown}."
            ),
        ));
    }
    for (i, name) in summary.named.iter().enumerate() {
        if summary
            .named
            .get(..i)
            .is_some_and(|seen| seen.contains(name))
        {
            issues.push(Issue::error(
                path,
                "variable_duplicate_name",
                format!(
                    "{{{{{name}}}}} appears more than once; each named variable must be unique."
                ),
            ));
        }
    }
    if placement.body && all_vars > 0 {
        if first_is_var == Some(true) {
            issues.push(Issue::error(
                path,
                "variable_at_start",
                "The body cannot start with a variable (Meta rejects it, subcode 2388299); add text before it.",
            ));
        }
        if last_is_var {
            issues.push(Issue::error(
                path,
                "variable_at_end",
                "The body cannot end with a variable (Meta rejects it, subcode 2388299); add text after it, even a full stop.",
            ));
        }
        if adjacent {
            issues.push(Issue::error(
                path,
                "variables_adjacent",
                "Two variables follow each other with nothing but spaces between them (rejected as INVALID_FORMAT); put words between them.",
            ));
        }
        if words < 2 * all_vars {
            issues.push(Issue::warning(
                path,
                "variables_too_dense",
                format!(
                    "{all_vars} variable(s) in only {words} word(s) of text; Meta rejects templates with too many variables for their length (subcode 2388293). Add words or use fewer variables."
                ),
            ));
        }
    }
    summary
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
        check(text, f, p, Path::ROOT.key("t"), &mut issues);
        issues.iter().map(|i| i.code).collect()
    }

    #[test]
    fn scanner() {
        let unmatched = |t| {
            let mut p = scan(t);
            p.by_ref().count();
            p.unmatched
        };
        let s = scan("Hi {{1}}, order {{name}} {{ x }} end");
        assert_eq!(
            s.vars().collect::<Vec<_>>(),
            [Var::Positional(1), Var::Named("name"), Var::Invalid(" x ")]
        );
        assert_eq!(unmatched("Hi {{1}}, order {{name}} {{ x }} end"), 0);
        assert_eq!(unmatched("a {{1 b"), 1);
        assert_eq!(unmatched("a }} b"), 1);
        assert_eq!(unmatched("{{ {{1}}"), 1);
        assert_eq!(scan("{{ {{1}}").vars().count(), 1);
        assert_eq!(scan("{{01}}").vars().next(), Some(Var::Invalid("01")));
        assert_eq!(scan("{{First}}").vars().next(), Some(Var::Invalid("First")));
        assert_eq!(scan("{{a-b}}").vars().next(), Some(Var::Invalid("a-b")));
        assert_eq!(scan("").count(), 0);
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
