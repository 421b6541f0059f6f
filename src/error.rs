//! Errors: [`ParseError`] for filters, [`JsonError`] for events.

use std::fmt;

/// What went wrong while parsing a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The filter is empty or only whitespace.
    Empty,
    /// An attribute path, `(` or `not (` was expected here.
    ExpectedAttribute,
    /// A path segment is malformed (for example `a..b`, `a.` or `a.0`).
    InvalidAttribute,
    /// An operator (`eq ne co sw ew gt ge lt le pr`) was expected here.
    ExpectedOperator,
    /// A value (string, number, `true`, `false`, `null`) was expected here.
    ExpectedValue,
    /// A string literal is malformed: bad escape, lone surrogate, control
    /// character, or no closing quote.
    InvalidString,
    /// A number literal is malformed (`01`, `1.`, `+1`, `1e`) or out of range.
    InvalidNumber,
    /// The value's type does not suit the operator (`co 5`, `gt true`, `pr "x"`).
    OperandType,
    /// Whitespace is required here (between path, operator and value, and
    /// around `and`/`or`).
    ExpectedWhitespace,
    /// `not` must be followed by a parenthesised filter.
    ExpectedNotParen,
    /// A `)` was expected to close the group opened earlier.
    UnclosedParen,
    /// A `]` was expected to close the value filter opened earlier.
    UnclosedBracket,
    /// `and`, `or` or the end of the filter was expected here.
    ExpectedLogicalOperator,
    /// Nesting goes deeper than the configured limit.
    NestTooDeep,
}

impl ParseErrorKind {
    fn message(self) -> &'static str {
        match self {
            ParseErrorKind::Empty => "empty filter",
            ParseErrorKind::ExpectedAttribute => "expected an attribute path, `(` or `not (`",
            ParseErrorKind::InvalidAttribute => "invalid attribute name",
            ParseErrorKind::ExpectedOperator => {
                "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)"
            }
            ParseErrorKind::ExpectedValue => {
                "expected a value (a double-quoted string, a number, true, false or null)"
            }
            ParseErrorKind::InvalidString => "invalid string",
            ParseErrorKind::InvalidNumber => "invalid number",
            ParseErrorKind::OperandType => "value of the wrong type for the operator",
            ParseErrorKind::ExpectedWhitespace => "expected whitespace",
            ParseErrorKind::ExpectedNotParen => "expected `(` after `not`",
            ParseErrorKind::UnclosedParen => "expected `)`",
            ParseErrorKind::UnclosedBracket => "expected `]`",
            ParseErrorKind::ExpectedLogicalOperator => {
                "expected `and`, `or` or the end of the filter"
            }
            ParseErrorKind::NestTooDeep => "nesting too deep",
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A filter that could not be parsed: what, where, and the filter itself.
///
/// Display is one line naming what was found and what was expected, then the
/// filter with a caret under the offending spot:
///
/// ```text
/// expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found `eqq` at offset 16
/// display_message eqq "Create okta user"
///                 ^^^
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ParseError {
    inner: Box<ParseErrorInner>,
}

#[derive(Clone, PartialEq, Eq)]
struct ParseErrorInner {
    kind: ParseErrorKind,
    start: usize,
    end: usize,
    detail: Option<String>,
    input: String,
}

impl ParseError {
    #[cold]
    pub(crate) fn new(kind: ParseErrorKind, input: &str, start: usize, end: usize) -> ParseError {
        debug_assert!(start <= end && end <= input.len());
        ParseError {
            inner: Box::new(ParseErrorInner {
                kind,
                start,
                end,
                detail: None,
                input: input.to_owned(),
            }),
        }
    }

    #[cold]
    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> ParseError {
        self.inner.detail = Some(detail.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ParseErrorKind {
        self.inner.kind
    }

    /// Byte offset into the filter where it went wrong.
    pub fn offset(&self) -> usize {
        self.inner.start
    }

    /// The byte range of the offending text (empty at the end of input).
    pub fn span(&self) -> crate::ast::Span {
        crate::ast::Span::new(self.inner.start, self.inner.end)
    }

    /// The filter text that failed to parse.
    pub fn input(&self) -> &str {
        &self.inner.input
    }

    /// What was found at the offset, as shown in the message.
    fn found(&self) -> String {
        let rest = &self.inner.input[self.inner.start..];
        if rest.is_empty() {
            return "end of filter".to_owned();
        }
        let shown = &self.inner.input[self.inner.start..self.inner.end];
        let shown = if shown.is_empty() {
            // Show the next character.
            let c = rest.chars().next().unwrap_or(' ');
            &rest[..c.len_utf8()]
        } else {
            shown
        };
        let mut s: String = shown.chars().take(40).collect();
        if s.len() < shown.len() {
            s.push('…');
        }
        format!("`{}`", s.escape_debug())
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        write!(f, "{}", inner.kind)?;
        if let Some(detail) = &inner.detail {
            write!(f, " ({detail})")?;
        }
        writeln!(f, ", found {} at offset {}", self.found(), inner.start)?;
        // The caret diagram: the line holding the offset, with a marker under it.
        let input = &inner.input;
        let line_start = input[..inner.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = input[inner.start..]
            .find('\n')
            .map_or(input.len(), |i| inner.start + i);
        let line = &input[line_start..line_end];
        let col = input[line_start..inner.start].chars().count();
        let width = input[inner.start..inner.end.min(line_end).max(inner.start)]
            .chars()
            .count()
            .max(1);
        let shown: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(f, "{shown}")?;
        write!(f, "{}{}", " ".repeat(col), "^".repeat(width))
    }
}

impl fmt::Debug for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParseError")
            .field("kind", &self.inner.kind)
            .field("offset", &self.inner.start)
            .field("end", &self.inner.end)
            .field("input", &self.inner.input)
            .finish()
    }
}

impl std::error::Error for ParseError {}

/// What is wrong with an event's JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The text ends inside a value.
    Truncated,
    /// A byte that cannot appear here.
    UnexpectedByte,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A bad escape, a lone surrogate or a raw control character in a string.
    InvalidString,
    /// A malformed number, or one outside the range of f64.
    InvalidNumber,
    /// More text after the event's value.
    TrailingCharacters,
}

impl fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonErrorKind::Truncated => "unexpected end of JSON",
            JsonErrorKind::UnexpectedByte => "unexpected byte in JSON",
            JsonErrorKind::InvalidUtf8 => "invalid UTF-8",
            JsonErrorKind::InvalidString => "invalid string",
            JsonErrorKind::InvalidNumber => "invalid number",
            JsonErrorKind::TrailingCharacters => "trailing characters after the JSON value",
        })
    }
}

/// An event that is not valid JSON. Malformed events never match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct JsonError {
    kind: JsonErrorKind,
    offset: usize,
}

impl JsonError {
    #[cold]
    pub(crate) fn new(kind: JsonErrorKind, offset: usize) -> JsonError {
        JsonError { kind, offset }
    }

    /// What is wrong.
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// Byte offset into the event where it went wrong.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use crate::{Filter, ParseErrorKind};

    #[test]
    fn display_names_found_and_expected_with_a_caret() {
        let e = Filter::parse(r#"display_message eqq "Create okta user""#).unwrap_err();
        assert_eq!(e.kind(), ParseErrorKind::ExpectedOperator);
        assert_eq!(
            e.to_string(),
            "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found `eqq` at offset 16\n\
             display_message eqq \"Create okta user\"\n                ^^^"
        );
    }

    #[test]
    fn caret_on_the_right_line_of_a_multi_line_filter() {
        let e = Filter::parse("a eq 1\nand b eq 'x'").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ParseErrorKind::ExpectedValue, 16));
        let text = e.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("expected a value"), "{text}");
        assert!(lines[0].contains("strings take double quotes"), "{text}");
        assert_eq!(lines[1], "and b eq 'x'");
        assert_eq!(lines[2], "         ^^^");
    }

    #[test]
    fn end_of_input() {
        let e = Filter::parse("a eq").unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ParseErrorKind::ExpectedValue, 4));
        assert!(
            e.to_string().contains("found end of filter at offset 4"),
            "{e}"
        );
        assert!(e.to_string().ends_with("\na eq\n    ^"), "{e}");
    }
}
