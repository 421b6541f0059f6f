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

/// The line of a text that holds a byte span, and where the span lies on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caret {
    line: String,
    line_number: usize,
    column: usize,
    width: usize,
}

impl Caret {
    /// The caret diagram for `span` (byte offsets into `text`; clamped to
    /// the text and to character boundaries). The span is drawn on the line
    /// where it starts; a span that runs past that line is cut at its end;
    /// an empty span gets one caret. Control characters on the line (a tab,
    /// a CR) are shown as spaces, so the carets stay under their text.
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
        Caret {
            line,
            line_number: text[..line_start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            width: text[start..end.min(line_end).max(start)]
                .chars()
                .count()
                .max(1),
        }
    }

    /// The line that holds the span, control characters shown as spaces.
    pub fn line(&self) -> &str {
        &self.line
    }

    /// The line's number, from 1.
    pub fn line_number(&self) -> usize {
        self.line_number
    }

    /// The column (in characters, from 1) where the span starts.
    pub fn column(&self) -> usize {
        self.column
    }

    /// Spaces up to the span, then one `^` per character of it.
    pub fn underline(&self) -> String {
        format!("{}{}", " ".repeat(self.column - 1), "^".repeat(self.width))
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
    use super::Caret;

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
    fn spans_out_of_range_or_inside_a_character_are_clamped() {
        assert_eq!(Caret::new("é", 1..1).to_string(), "é\n^");
        assert_eq!(Caret::new("ab", 7..9).to_string(), "ab\n  ^");
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 1..0;
        assert_eq!(Caret::new("ab", reversed).to_string(), "ab\n ^");
    }
}
