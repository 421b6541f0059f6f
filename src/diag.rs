//! Diagnostics: a message about a byte span of a text, drawn as the line
//! that holds the span with carets under it.
//!
//! One drawing for everything that points into a filter: parse errors
//! ([`ParseError`](crate::ParseError)'s `Display` uses it) and, later,
//! lint findings. The command takes the pieces ([`Caret::line`],
//! [`Caret::underline`], [`Caret::line_number`], [`Caret::column`]) to
//! colour them, instead of splitting rendered text.
//!
//! ```
//! use oktaql::diag::Caret;
//!
//! let text = "a eq 1\nand b eq 'x'";
//! let caret = Caret::new(text, 16..19);
//! assert_eq!((caret.line_number(), caret.column()), (2, 10));
//! assert_eq!(caret.to_string(), "and b eq 'x'\n         ^^^");
//! ```

use std::fmt;
use std::ops::Range;

/// The widest line [`Caret::at`] shows whole, in characters; a longer one
/// is shown as a window of this many characters around the span.
///
/// ```
/// use oktaql::diag::{Caret, WINDOW};
///
/// // A span in the middle of a line of 606 characters.
/// let text = format!("{}b eq 1{}", "a eq 1 or ".repeat(30), " or a eq 1".repeat(30));
/// let caret = Caret::at(&text, 300..301, 0, 1, 301);
/// // Shown: a window of WINDOW characters, an ellipsis at each end that is cut.
/// assert_eq!(caret.line().chars().count(), WINDOW + 2);
/// assert!(caret.line().starts_with("…a eq 1 or") && caret.line().ends_with(" or …"));
/// assert_eq!(caret.underline(), format!("{}^", " ".repeat(41)));
/// // The column is still the real one.
/// assert_eq!(caret.column(), 301);
/// ```
pub const WINDOW: usize = 160;

/// How many characters before the span a window shows.
const CONTEXT: usize = 40;

/// The line of a text that holds a byte span, and where the span lies on it.
///
/// ```
/// use oktaql::Filter;
///
/// let err = Filter::parse(r#"eventType eq "user.session.start" && outcome.result eq "FAILURE""#).unwrap_err();
/// let caret = err.caret();
/// assert_eq!(caret.column(), 35);
/// // The span is the first byte that cannot be parsed.
/// assert_eq!(caret.underline(), format!("{}^", " ".repeat(34)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caret {
    line: String,
    line_number: usize,
    column: usize,
    width: usize,
    /// The span's column in `line` as shown (differs from `column` when
    /// the line is shown as a window).
    shown_column: usize,
}

impl Caret {
    /// The caret diagram for `span` (byte offsets into `text`; clamped to
    /// the text and to character boundaries). The span is drawn on the line
    /// where it starts; a span that runs past that line is cut at its end;
    /// an empty span gets one caret. Control characters on the line (a tab,
    /// a CR) are shown as spaces, so the carets stay under their text.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// let text = "eventType eq \"user.session.start\"\r\nand\toutcome.result eq \"FAILURE\"";
    /// let caret = Caret::new(text, 39..53);
    /// assert_eq!(caret.line_number(), 2);
    /// // The tab shows as a space, and the CR is not part of the first line.
    /// assert_eq!(caret.to_string(), "and outcome.result eq \"FAILURE\"\n    ^^^^^^^^^^^^^^");
    /// // An empty span gets one caret.
    /// assert_eq!(Caret::new("eventType eq", 12..12).underline(), format!("{}^", " ".repeat(12)));
    /// ```
    pub fn new(text: &str, span: Range<usize>) -> Caret {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        // The CR of a CRLF line break is not part of the line.
        let raw = &text[line_start..line_end];
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let line = raw
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let column = text[line_start..start].chars().count() + 1;
        Caret {
            line,
            line_number: text[..line_start].matches('\n').count() + 1,
            column,
            width: text[start..end.min(line_end).max(start)]
                .chars()
                .count()
                .max(1),
            shown_column: column,
        }
    }

    /// The same diagram when the caller already knows where the span
    /// stands (its line's number, the byte offset where that line starts,
    /// the span's column), at a cost bounded by [`WINDOW`] rather than by
    /// the text: for many spans over one long text. A line of at most
    /// [`WINDOW`] characters is drawn as [`Caret::new`] draws it; a longer
    /// one as a window of it, from a little before the span, its cut ends
    /// marked `…`.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// let text = format!("{}b eq 1", "a eq 1 or ".repeat(30));
    /// let start = text.find('b').unwrap(); // 300, the 301st character
    /// let caret = Caret::at(&text, start..start + 1, 0, 1, start + 1);
    /// assert_eq!(caret.column(), 301);
    /// assert_eq!(caret.line(), format!("…{}", &text[start - 40..]));
    /// assert_eq!(caret.underline(), format!("{}^", " ".repeat(41)));
    /// ```
    pub fn at(
        text: &str,
        span: Range<usize>,
        line_start: usize,
        line_number: usize,
        column: usize,
    ) -> Caret {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = floor_char_boundary(text, line_start.min(start));
        // Where a shown line that begins at `from` ends, and whether it is
        // cut there (more of the line follows).
        let shown = |from: usize| {
            let mut end = from;
            for (n, (i, c)) in text[from..].char_indices().enumerate() {
                if c == '\n' || n == WINDOW {
                    return (from + i, n == WINDOW && c != '\n');
                }
                end = from + i + c.len_utf8();
            }
            (end, false)
        };
        let (whole_end, cut) = shown(line_start);
        let (from, to, cut_front, cut_back) = if !cut {
            (line_start, whole_end, false, false)
        } else {
            let from = text[line_start..start]
                .char_indices()
                .rev()
                .take(CONTEXT)
                .last()
                .map_or(start, |(i, _)| line_start + i);
            let (to, cut_back) = shown(from);
            (from, to, from > line_start, cut_back)
        };
        let raw = &text[from..to];
        let raw = if cut_back {
            raw
        } else {
            raw.strip_suffix('\r').unwrap_or(raw)
        };
        let mut line = String::new();
        if cut_front {
            line.push('…');
        }
        line.extend(raw.chars().map(|c| if c.is_control() { ' ' } else { c }));
        if cut_back {
            line.push('…');
        }
        let shown_column = usize::from(cut_front) + text[from..start].chars().count() + 1;
        Caret {
            line,
            line_number,
            column,
            width: text[start..end.min(to).max(start)].chars().count().max(1),
            shown_column,
        }
    }

    /// The line that holds the span, control characters shown as spaces.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// let caret = Caret::new("eventType eq \"a\"\nor actor.id pr", 20..28);
    /// assert_eq!(caret.line(), "or actor.id pr");
    /// ```
    pub fn line(&self) -> &str {
        &self.line
    }

    /// The line's number, from 1.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// assert_eq!(Caret::new("eventType pr", 0..9).line_number(), 1);
    /// assert_eq!(Caret::new("eventType pr\nor\nactor.id pr", 16..24).line_number(), 3);
    /// ```
    pub fn line_number(&self) -> usize {
        self.line_number
    }

    /// The column (in characters, from 1) where the span starts.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// // Characters, not bytes: "é" is two bytes.
    /// assert_eq!(Caret::new(r#"actor.displayName eq "é" or x"#, 26..28).column(), 26);
    /// ```
    pub fn column(&self) -> usize {
        self.column
    }

    /// Spaces up to the span, then one `^` per character of it.
    ///
    /// ```
    /// use oktaql::diag::Caret;
    ///
    /// assert_eq!(Caret::new("outcome.result eq FAILURE", 18..25).underline(), "                  ^^^^^^^");
    /// ```
    pub fn underline(&self) -> String {
        format!(
            "{}{}",
            " ".repeat(self.shown_column - 1),
            "^".repeat(self.width)
        )
    }
}

/// The line, then the underline on the next line.
impl fmt::Display for Caret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.line, self.underline())
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::{Caret, WINDOW};

    #[test]
    fn spans_on_their_line() {
        let c = Caret::new("a eq", 4..4);
        assert_eq!(c.to_string(), "a eq\n    ^");
        assert_eq!((c.line_number(), c.column()), (1, 5));
        // A span running past its line is cut at the line's end.
        let c = Caret::new("a eq \"x\nyz\"", 5..11);
        assert_eq!(c.to_string(), "a eq \"x\n     ^^");
        // CRLF, a tab, non-ASCII before the span.
        let c = Caret::new("x eq 1 or\r\n\té eq 2x", 19..20);
        assert_eq!(c.to_string(), " é eq 2x\n       ^");
        assert_eq!((c.line_number(), c.column()), (2, 8));
    }

    #[test]
    fn at_draws_short_lines_as_new_does() {
        for (text, span) in [
            ("a eq", 4..4),
            ("a eq \"x\nyz\"", 5..11),
            ("x eq 1 or\r\n\té eq 2x", 19..20),
            ("a eq 1\r\nand b eqq 2", 14..17),
        ] {
            let c = Caret::new(text, span.clone());
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let at = Caret::at(text, span, line_start, c.line_number(), c.column());
            assert_eq!(at, c, "{text:?}");
        }
    }

    #[test]
    fn at_windows_long_lines() {
        // A span near the start of a long line: no cut in front.
        let text = format!("zz eq 1 or {}", "a eq 1 or ".repeat(50));
        let c = Caret::at(&text, 0..2, 0, 1, 1);
        assert_eq!(c.line().chars().count(), WINDOW + 1);
        assert!(c.line().ends_with('…') && !c.line().starts_with('…'));
        assert_eq!(c.underline(), "^^");
        // At the very end, the window ends with the line.
        let end = text.len();
        let c = Caret::at(&text, end - 2..end, 0, 1, end - 1);
        assert!(c.line().starts_with('…') && !c.line().ends_with('…'));
        assert_eq!(c.underline(), format!("{}^^", " ".repeat(41)));
        // A long line among short ones.
        let text = format!("x pr\n{}\ny pr", "b".repeat(500));
        let c = Caret::at(&text, 300..310, 5, 2, 296);
        assert_eq!((c.line_number(), c.column()), (2, 296));
        assert_eq!(c.line(), format!("…{}…", "b".repeat(WINDOW)));
        assert_eq!(
            c.underline(),
            format!("{}{}", " ".repeat(41), "^".repeat(10))
        );
    }

    #[test]
    fn spans_out_of_range_or_inside_a_character_are_clamped() {
        assert_eq!(Caret::new("é", 1..1).to_string(), "é\n^");
        assert_eq!(Caret::new("ab", 7..9).to_string(), "ab\n  ^");
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 1..0;
        assert_eq!(Caret::new("ab", reversed).to_string(), "ab\n ^");
    }
}
