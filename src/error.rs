//! Errors: [`ParseError`] for filters, [`JsonError`] for events.

use std::fmt;

/// What went wrong while parsing a filter.
///
/// ```
/// use oktaql::{Filter, ParseErrorKind};
///
/// let kind = |text: &str| Filter::parse(text).unwrap_err().kind();
/// assert_eq!(kind(r#"eventType = "user.session.start""#), ParseErrorKind::ExpectedOperator);
/// assert_eq!(kind(r#"outcome.result eq "FAILURE"#), ParseErrorKind::InvalidString);
/// assert_eq!(kind(r#"(eventType eq "user.session.start""#), ParseErrorKind::UnclosedParen);
/// assert_eq!(kind(r#"published gt true"#), ParseErrorKind::OperandType);
/// ```
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
    /// The kind's name in snake_case (`expected_operator`), stable, for
    /// programs and bindings: the Python package's `ParseError.kind`.
    ///
    /// ```
    /// use oktaql::{Filter, ParseErrorKind};
    ///
    /// assert_eq!(ParseErrorKind::NestTooDeep.name(), "nest_too_deep");
    /// let err = Filter::parse(r#"eventType eq "user.session.start" and"#).unwrap_err();
    /// assert_eq!(err.kind().name(), "expected_attribute");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ParseErrorKind::Empty => "empty",
            ParseErrorKind::ExpectedAttribute => "expected_attribute",
            ParseErrorKind::InvalidAttribute => "invalid_attribute",
            ParseErrorKind::ExpectedOperator => "expected_operator",
            ParseErrorKind::ExpectedValue => "expected_value",
            ParseErrorKind::InvalidString => "invalid_string",
            ParseErrorKind::InvalidNumber => "invalid_number",
            ParseErrorKind::OperandType => "operand_type",
            ParseErrorKind::ExpectedWhitespace => "expected_whitespace",
            ParseErrorKind::ExpectedNotParen => "expected_not_paren",
            ParseErrorKind::UnclosedParen => "unclosed_paren",
            ParseErrorKind::UnclosedBracket => "unclosed_bracket",
            ParseErrorKind::ExpectedLogicalOperator => "expected_logical_operator",
            ParseErrorKind::NestTooDeep => "nest_too_deep",
        }
    }

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
    /// The parser reached the end of the input (found nothing).
    at_end: bool,
    /// A suggestion for a common slip (`==`, `&&`, curly quotes).
    help: Option<String>,
}

/// Where an error at the end of `input` points: the end of the input, or,
/// when the input ends with line breaks (and blank lines), the end of the
/// last line holding anything but whitespace (before its LF, CRLF or CR),
/// where the missing text belongs. Filters pasted from a page or a file
/// usually end with a line break.
fn end_spot(input: &str) -> usize {
    let body = input.trim_end_matches([' ', '\t', '\r', '\n']);
    if body.is_empty() {
        return input.len();
    }
    input[body.len()..]
        .find(['\r', '\n'])
        .map_or(input.len(), |i| body.len() + i)
}

impl ParseError {
    #[cold]
    pub(crate) fn new(kind: ParseErrorKind, input: &str, start: usize, end: usize) -> ParseError {
        debug_assert!(start <= end && end <= input.len());
        let at_end = start == input.len();
        let (start, end) = if at_end {
            let spot = end_spot(input);
            (spot, spot)
        } else {
            (start, end)
        };
        ParseError {
            inner: Box::new(ParseErrorInner {
                kind,
                start,
                end,
                detail: None,
                input: input.to_owned(),
                at_end,
                help: if at_end {
                    None
                } else {
                    help(kind, &input[start..], &input[start..end])
                },
            }),
        }
    }

    #[cold]
    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> ParseError {
        self.inner.detail = Some(detail.into());
        self
    }

    /// What went wrong.
    ///
    /// ```
    /// use oktaql::{Filter, ParseErrorKind};
    ///
    /// let err = Filter::parse(r#"eventType eq user.session.start"#).unwrap_err();
    /// assert_eq!(err.kind(), ParseErrorKind::ExpectedValue);
    /// ```
    pub fn kind(&self) -> ParseErrorKind {
        self.inner.kind
    }

    /// Byte offset into the filter where it went wrong. When the filter
    /// ended too early this is its length, or, if it ends with line breaks
    /// (and blank lines), the end of its last line that holds anything but
    /// whitespace (before the CR or LF).
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let text = r#"eventType eq "user.session.start" and outcome.result eq"#;
    /// let err = Filter::parse(text).unwrap_err();
    /// // Ended too early: the offset is the end of the text.
    /// assert_eq!(err.offset(), text.len());
    /// let err = Filter::parse(r#"eventType xx "user.session.start""#).unwrap_err();
    /// assert_eq!(err.offset(), 10);
    /// ```
    pub fn offset(&self) -> usize {
        self.inner.start
    }

    /// The byte range of the offending text (empty at the end of input).
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let text = r#"outcome.result eq "FAILURE" && actor.id pr"#;
    /// let err = Filter::parse(text).unwrap_err();
    /// let s = err.span();
    /// // The first byte that cannot be parsed.
    /// assert_eq!(&text[s.start..s.end], "&");
    /// assert_eq!(s.start, 28);
    /// ```
    pub fn span(&self) -> crate::ast::Span {
        crate::ast::Span::new(self.inner.start, self.inner.end)
    }

    /// The filter text that failed to parse.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let err = Filter::parse("eventType eq").unwrap_err();
    /// assert_eq!(err.input(), "eventType eq");
    /// ```
    pub fn input(&self) -> &str {
        &self.inner.input
    }

    /// The first line of the Display: what was expected, what was found,
    /// and where (the offset; for a filter of several lines, the line and
    /// column too), without the caret diagram.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let err = Filter::parse("eventType eq").unwrap_err();
    /// assert_eq!(
    ///     err.message(),
    ///     "expected a value (a double-quoted string, a number, true, false or null), \
    ///      found end of filter at offset 12",
    /// );
    /// // On a filter of several lines: the line and column too.
    /// let err = Filter::parse("eventType eq \"a\" and\n  outcome.result").unwrap_err();
    /// assert_eq!(
    ///     err.message(),
    ///     "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), \
    ///      found end of filter at line 2, column 17 (offset 37)",
    /// );
    /// ```
    pub fn message(&self) -> String {
        let inner = &self.inner;
        let mut out = inner.kind.to_string();
        if let Some(detail) = &inner.detail {
            out.push_str(&format!(" ({detail})"));
        }
        out.push_str(&format!(", found {} at ", self.found()));
        if inner.input.trim_end().contains('\n') {
            let caret = self.caret();
            out.push_str(&format!(
                "line {}, column {} (offset {})",
                caret.line_number(),
                caret.column(),
                inner.start
            ));
        } else {
            out.push_str(&format!("offset {}", inner.start));
        }
        out
    }

    /// A suggestion for a common slip, shown as a `help:` line: `eq` for
    /// `=` or `==`, `ne` for `!=`, `lt`/`le`/`gt`/`ge` for `<`/`<=`/`>`/`>=`,
    /// `and`/`or` for `&&`/`||`, `not (…)` for `!`, straight double quotes
    /// for curly or single ones, quotes around a bare word.
    ///
    /// ```
    /// let e = oktaql::Filter::parse(r#"eventType == "user.session.start""#).unwrap_err();
    /// assert_eq!(e.help(), Some("the operators are words: write `eq`"));
    /// ```
    pub fn help(&self) -> Option<&str> {
        self.inner.help.as_deref()
    }

    /// The caret diagram: the filter's line that holds the error, with
    /// carets under the offending text.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let err = Filter::parse(r#"eventType == "user.session.start""#).unwrap_err();
    /// assert_eq!(
    ///     err.caret().to_string(),
    ///     "eventType == \"user.session.start\"\n          ^",
    /// );
    /// ```
    pub fn caret(&self) -> crate::diag::Caret {
        crate::diag::Caret::new(&self.inner.input, self.inner.start..self.inner.end)
    }

    /// What was found at the offset, as shown in the message.
    fn found(&self) -> String {
        let rest = &self.inner.input[self.inner.start..];
        if self.inner.at_end || rest.is_empty() {
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
        // Control characters escaped; quotes and the rest as they are.
        let s: String = s
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        format!("`{s}`")
    }
}

/// The suggestion for what was found at an error (`rest`: the filter from
/// there; `shown`: the offending text), if it is a common slip.
fn help(kind: ParseErrorKind, rest: &str, shown: &str) -> Option<String> {
    use ParseErrorKind as K;
    let word = |w: &str| format!("the operators are words: write `{w}`");
    let first = rest.chars().next()?;
    if matches!(first, '“' | '”' | '„' | '‟' | '″' | '«' | '»') {
        return Some("strings take straight double quotes `\"`, not typographic ones".to_owned());
    }
    if matches!(first, '‘' | '’' | '‚' | '‛') {
        return Some(
            "strings take straight double quotes `\"`, not typographic single quotes".to_owned(),
        );
    }
    match kind {
        K::ExpectedOperator => {
            let symbol: String = rest.chars().take_while(|c| "=!<>~".contains(*c)).collect();
            Some(match symbol.as_str() {
                "=" | "==" | "===" => word("eq"),
                "!=" | "!==" | "<>" => word("ne"),
                "<" => word("lt"),
                "<=" => word("le"),
                ">" => word("gt"),
                ">=" => word("ge"),
                "=~" | "~" | "~=" => "use `co`, `sw` or `ew` to match part of a string".to_owned(),
                _ => {
                    let w = shown.to_ascii_lowercase();
                    match w.as_str() {
                        "contains" | "like" | "includes" => word("co"),
                        "startswith" | "starts_with" => word("sw"),
                        "endswith" | "ends_with" => word("ew"),
                        "is" | "equals" => word("eq"),
                        "exists" | "present" => word("pr"),
                        _ => return None,
                    }
                }
            })
        }
        K::ExpectedLogicalOperator | K::ExpectedWhitespace if rest.starts_with('&') => {
            Some("write `and` to join conditions".to_owned())
        }
        K::ExpectedLogicalOperator | K::ExpectedWhitespace if rest.starts_with('|') => {
            Some("write `or` to join conditions".to_owned())
        }
        K::ExpectedAttribute if first == '!' => Some("write `not (…)` to negate".to_owned()),
        K::ExpectedValue if first == '\'' => {
            // The string as it would be written, when it is short, closed
            // and on one line; the rule alone otherwise.
            let body = rest[1..].split_once('\'').map(|(b, _)| b);
            Some(match body {
                Some(b) if b.chars().count() <= 60 && !b.contains(char::is_control) => {
                    format!("strings take double quotes: write `\"{b}\"`")
                }
                _ => "strings take double quotes `\"`".to_owned(),
            })
        }
        K::ExpectedValue
            if !shown.is_empty()
                && shown
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._-@".contains(c)) =>
        {
            Some(format!("quote the value: `\"{shown}\"`"))
        }
        _ => None,
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.message(), self.caret())?;
        if let Some(help) = &self.inner.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
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

/// A parse tree built by hand that the parser would never produce, so it
/// cannot become a [`Filter`](crate::Filter) (see
/// [`FilterBuilder::from_ast`](crate::FilterBuilder::from_ast)): what is
/// wrong, and the span of the offending node as the tree gives it.
///
/// ```
/// use oktaql::ast::{AttrPath, Expr, Span};
/// use oktaql::Filter;
///
/// let present = Expr::Present(
///     AttrPath { names: vec!["actor".into(), "id".into()], span: Span::new(0, 8) },
///     Span::new(0, 11),
/// );
/// // An `and` needs two operands or more.
/// let lonely = Expr::And(vec![present], Span::new(0, 11));
/// let err = Filter::builder().from_ast(&lonely).unwrap_err();
/// assert_eq!(err.to_string(), "`and`/`or` with fewer than two operands (at bytes 0..11 of the tree's spans)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} (at bytes {}..{} of the tree's spans)", span.start, span.end)]
pub struct AstError {
    what: &'static str,
    span: crate::ast::Span,
}

impl AstError {
    pub(crate) fn new(what: &'static str, span: crate::ast::Span) -> AstError {
        AstError { what, span }
    }

    /// What is wrong, in words.
    ///
    /// ```
    /// use oktaql::ast::{AttrPath, Expr, Span};
    /// use oktaql::Filter;
    ///
    /// let p = AttrPath { names: vec!["actor".into(), "id".into()], span: Span::default() };
    /// let err = Filter::builder().from_ast(&Expr::Or(vec![Expr::Present(p, Span::default())], Span::default()));
    /// assert_eq!(err.unwrap_err().message(), "`and`/`or` with fewer than two operands");
    /// ```
    pub fn message(&self) -> &'static str {
        self.what
    }

    /// The span the offending node carries.
    ///
    /// ```
    /// use oktaql::ast::{AttrPath, Expr, Span};
    /// use oktaql::Filter;
    ///
    /// // A path with an empty name is not one the parser gives.
    /// let bad = AttrPath { names: vec!["actor".into(), "".into()], span: Span::new(3, 9) };
    /// let err = Filter::builder().from_ast(&Expr::Present(bad, Span::new(3, 12))).unwrap_err();
    /// assert_eq!(err.span(), Span::new(3, 9));
    /// ```
    pub fn span(&self) -> crate::ast::Span {
        self.span
    }
}

/// What is wrong with an event's JSON text.
///
/// ```
/// use oktaql::{Filter, JsonErrorKind};
///
/// let f = Filter::parse(r#"eventType eq "user.session.start""#)?;
/// let kind = |event: &[u8]| f.matches_json(event).unwrap_err().kind();
/// assert_eq!(kind(br#"{"eventType":"user.session.start""#), JsonErrorKind::Truncated);
/// assert_eq!(kind(br#"{"eventType":"user.session.start"} x"#), JsonErrorKind::TrailingCharacters);
/// assert_eq!(kind(br#"{"published":1e999}"#), JsonErrorKind::InvalidNumber);
/// assert_eq!(kind(b"{\"eventType\":\"\xff\"}"), JsonErrorKind::InvalidUtf8);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
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

impl JsonErrorKind {
    /// The kind's name in snake_case (`invalid_number`), stable, for
    /// programs and bindings: the Python package's `JsonError.kind`.
    ///
    /// ```
    /// use oktaql::JsonErrorKind;
    ///
    /// assert_eq!(JsonErrorKind::TrailingCharacters.name(), "trailing_characters");
    /// assert_eq!(JsonErrorKind::InvalidUtf8.name(), "invalid_utf8");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            JsonErrorKind::Truncated => "truncated",
            JsonErrorKind::UnexpectedByte => "unexpected_byte",
            JsonErrorKind::InvalidUtf8 => "invalid_utf8",
            JsonErrorKind::InvalidString => "invalid_string",
            JsonErrorKind::InvalidNumber => "invalid_number",
            JsonErrorKind::TrailingCharacters => "trailing_characters",
        }
    }
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
///
/// ```
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
/// let err = f.matches_json(br#"{"outcome":{"result":"FAILURE"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "unexpected end of JSON at byte 31");
/// # Ok::<(), oktaql::ParseError>(())
/// ```
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
    ///
    /// ```
    /// use oktaql::{Filter, JsonErrorKind};
    ///
    /// let f = Filter::parse(r#"eventType pr"#)?;
    /// let err = f.matches_json(br#"{"eventType":"user.session.start",}"#).unwrap_err();
    /// assert_eq!(err.kind(), JsonErrorKind::UnexpectedByte);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// Byte offset into the event where it went wrong.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(r#"eventType pr"#)?;
    /// let event = br#"{"eventType":"user.session.start",}"#;
    /// let err = f.matches_json(event).unwrap_err();
    /// assert_eq!(err.offset(), event.len() - 1); // the `}` after the comma
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use crate::{Filter, JsonErrorKind, ParseErrorKind};

    /// `ExpectedNotParen` -> `expected_not_paren`.
    fn snake(debug: &str) -> String {
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn kind_names_are_the_variants_in_snake_case() {
        use JsonErrorKind as J;
        use ParseErrorKind as P;
        let parse = [
            P::Empty,
            P::ExpectedAttribute,
            P::InvalidAttribute,
            P::ExpectedOperator,
            P::ExpectedValue,
            P::InvalidString,
            P::InvalidNumber,
            P::OperandType,
            P::ExpectedWhitespace,
            P::ExpectedNotParen,
            P::UnclosedParen,
            P::UnclosedBracket,
            P::ExpectedLogicalOperator,
            P::NestTooDeep,
        ];
        for k in parse {
            assert_eq!(k.name(), snake(&format!("{k:?}")));
        }
        assert_eq!(P::ExpectedOperator.name(), "expected_operator");
        let json = [
            J::Truncated,
            J::UnexpectedByte,
            J::InvalidUtf8,
            J::InvalidString,
            J::InvalidNumber,
            J::TrailingCharacters,
        ];
        for k in json {
            assert_eq!(k.name(), snake(&format!("{k:?}")));
        }
        assert_eq!(J::InvalidUtf8.name(), "invalid_utf8");
    }

    fn help_of(filter: &str) -> Option<String> {
        Filter::parse(filter).unwrap_err().help().map(str::to_owned)
    }

    #[test]
    fn common_slips_get_a_help_line() {
        let cases: &[(&str, &str)] = &[
            (r#"a = "x""#, "the operators are words: write `eq`"),
            (r#"a == "x""#, "the operators are words: write `eq`"),
            (r#"a != "x""#, "the operators are words: write `ne`"),
            (r#"a <> "x""#, "the operators are words: write `ne`"),
            ("a < 3", "the operators are words: write `lt`"),
            ("a <= 3", "the operators are words: write `le`"),
            ("a > 3", "the operators are words: write `gt`"),
            ("a >= 3", "the operators are words: write `ge`"),
            (r#"a contains "x""#, "the operators are words: write `co`"),
            (r#"a startsWith "x""#, "the operators are words: write `sw`"),
            (r#"a eq "x" && b pr"#, "write `and` to join conditions"),
            (r#"a eq "x"&&b pr"#, "write `and` to join conditions"),
            (r#"a eq "x" || b pr"#, "write `or` to join conditions"),
            ("!(a pr)", "write `not (…)` to negate"),
            (
                "a eq “x”",
                "strings take straight double quotes `\"`, not typographic ones",
            ),
            (
                "a eq ‘x’",
                "strings take straight double quotes `\"`, not typographic single quotes",
            ),
            ("a eq 'x y'", "strings take double quotes: write `\"x y\"`"),
            ("a eq SUCCESS", "quote the value: `\"SUCCESS\"`"),
        ];
        for (filter, want) in cases {
            assert_eq!(help_of(filter).as_deref(), Some(*want), "{filter}");
            let shown = Filter::parse(filter).unwrap_err().to_string();
            assert!(shown.ends_with(&format!("\nhelp: {want}")), "{shown}");
        }
        // A single-quoted value that runs over lines, or is not closed:
        // the rule, on one line.
        for filter in ["a eq '\n\n'", "a eq 'x"] {
            assert_eq!(
                help_of(filter).as_deref(),
                Some("strings take double quotes `\"`"),
                "{filter:?}"
            );
        }
        for filter in ["a eqq 1", "a eq", "(a pr", "a eq \"x"] {
            assert_eq!(help_of(filter), None, "{filter}");
        }
    }

    #[test]
    fn messages_show_quotes_as_they_are_and_lines_of_long_filters() {
        let e = Filter::parse("a eq 'it'").unwrap_err();
        assert!(
            e.message().contains("found `'it'` at offset 5"),
            "{}",
            e.message()
        );
        let e = Filter::parse("a eq \"x\"\n  and b eqq 1").unwrap_err();
        assert!(
            e.message()
                .ends_with("found `eqq` at line 2, column 9 (offset 17)"),
            "{}",
            e.message()
        );
    }

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
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("expected a value"), "{text}");
        assert!(lines[0].contains("strings take double quotes"), "{text}");
        assert!(
            lines[0].ends_with("at line 2, column 10 (offset 16)"),
            "{text}"
        );
        assert_eq!(lines[1], "and b eq 'x'");
        assert_eq!(lines[2], "         ^^^");
        assert_eq!(lines[3], "help: strings take double quotes: write `\"x\"`");
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

    /// The error's kind, offset and whole message.
    fn err(text: &str) -> (ParseErrorKind, usize, String) {
        let e = Filter::parse(text).unwrap_err();
        (e.kind(), e.offset(), e.to_string())
    }

    #[test]
    fn end_of_input_after_trailing_line_breaks_points_at_the_last_line() {
        use ParseErrorKind::*;
        // A filter pasted with its line break: the caret goes one past the
        // end of the last line that holds anything, where the missing term
        // belongs, and the offset is that spot.
        let (kind, offset, msg) = err("eventType eq \"x\" and\n");
        assert_eq!((kind, offset), (ExpectedAttribute, 20));
        assert_eq!(
            msg,
            "expected an attribute path, `(` or `not (`, found end of filter at offset 20\n\
             eventType eq \"x\" and\n                    ^"
        );
        for (text, kind, offset, line, caret) in [
            ("a eq\n", ExpectedValue, 4, "a eq", "    ^"),
            ("a eq\r\n", ExpectedValue, 4, "a eq", "    ^"),
            ("a eq\r", ExpectedValue, 4, "a eq", "    ^"),
            ("a eq\n\n\n", ExpectedValue, 4, "a eq", "    ^"),
            ("a eq\n  \t\n \r\n", ExpectedValue, 4, "a eq", "    ^"),
            (
                "a eq 1 or\r\n",
                ExpectedAttribute,
                9,
                "a eq 1 or",
                "         ^",
            ),
            ("a[b pr\n", UnclosedBracket, 6, "a[b pr", "      ^"),
            ("(a pr\n\n", UnclosedParen, 5, "(a pr", "     ^"),
            ("not\n", ExpectedNotParen, 3, "not", "   ^"),
            // Spaces at the end of that line are part of it.
            ("a eq  \n", ExpectedValue, 6, "a eq  ", "      ^"),
            // The last non-blank line of a multi-line filter.
            (
                "a eq 1\nand b eq\n",
                ExpectedValue,
                15,
                "and b eq",
                "        ^",
            ),
            (
                "a eq 1\r\nand\r\n\r\n",
                ExpectedAttribute,
                11,
                "and",
                "   ^",
            ),
            ("\n\n  a\n", ExpectedOperator, 5, "  a", "   ^"),
            // Without a line break the end of the input is the spot, as before.
            ("a eq ", ExpectedValue, 5, "a eq ", "     ^"),
            ("a eq", ExpectedValue, 4, "a eq", "    ^"),
        ] {
            let (k, o, msg) = err(text);
            assert_eq!((k, o), (kind, offset), "{text:?}");
            let lines: Vec<&str> = msg.split('\n').collect();
            assert_eq!(lines.len(), 3, "{text:?}: {msg}");
            // Where: the offset, with the line and column when the filter
            // has more than one line.
            assert!(
                lines[0].ends_with(&format!("found end of filter at offset {offset}"))
                    || lines[0].ends_with(&format!("(offset {offset})")),
                "{text:?}: {msg}"
            );
            assert_eq!(&lines[1..], [line, caret], "{text:?}");
        }
    }

    #[test]
    fn caret_columns_in_multi_line_filters() {
        use ParseErrorKind::*;
        // Offsets are bytes, columns characters; CR of a CRLF is not shown.
        for (text, kind, offset, line, caret) in [
            (
                "a eq 1\nand b eqq 2",
                ExpectedOperator,
                13,
                "and b eqq 2",
                "      ^^^",
            ),
            (
                "a eq 1\r\nand b eqq 2",
                ExpectedOperator,
                14,
                "and b eqq 2",
                "      ^^^",
            ),
            (
                "é eq 1 or\n\n  ü pr",
                ExpectedAttribute,
                0,
                "é eq 1 or",
                "^",
            ),
            (
                "a eq \"é\" or\n  b eq \"ü\" x",
                ExpectedLogicalOperator,
                25,
                "  b eq \"ü\" x",
                "           ^",
            ),
            (
                "a eq 1 and\r\n\tb eq\r\n\r\n",
                ExpectedValue,
                17,
                " b eq",
                "     ^",
            ),
            // Byte offset 16, character column 2 of the third line.
            (
                "a eq \"é\" or\n\n  ü pr",
                ExpectedAttribute,
                16,
                "  ü pr",
                "  ^",
            ),
            // The first line of a CRLF filter, shown without its CR.
            (
                "a eqq 1\r\nand b pr",
                ExpectedOperator,
                2,
                "a eqq 1",
                "  ^^^",
            ),
            // A raw line break inside a string: the line holding it.
            ("a eq \"x\n", InvalidString, 7, "a eq \"x", "       ^"),
        ] {
            let (k, o, msg) = err(text);
            assert_eq!((k, o), (kind, offset), "{text:?}");
            let lines: Vec<&str> = msg.split('\n').collect();
            assert_eq!(&lines[1..], [line, caret], "{text:?}: {msg}");
        }
        // That string error names the character, not the end of the filter.
        let (_, _, msg) = err("a eq \"x\n");
        assert!(msg.contains("found `\\n` at offset 7"), "{msg}");
    }
}
