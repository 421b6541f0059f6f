//! Filter text → [`Expr`].
//!
//! A nom parser over `&str`. Each rule decides its branch from the next
//! token without re-parsing a shared prefix (no exponential backtracking);
//! once a branch is committed its failures are `cut` to
//! [`nom::Err::Failure`]. Recursion happens only through `(`, `not (` and `[`,
//! each of which counts one nesting level against the limit before it
//! recurses, so the stack depth is bounded by the limit whatever the input.
//! nom's error type is converted to [`ParseError`] in exactly one place,
//! [`parse`].

use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, multispace0, multispace1};
use nom::combinator::all_consuming;
use nom::{IResult, Parser};

use crate::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
use crate::error::{ParseError, ParseErrorKind};

/// The parser's internal error: a kind, the remaining input where it
/// happened, and how many bytes of it the error covers.
#[derive(Debug)]
struct PErr<'a> {
    kind: ParseErrorKind,
    at: &'a str,
    len: usize,
    detail: Option<&'static str>,
}

impl<'a> PErr<'a> {
    #[cold]
    fn new(kind: ParseErrorKind, at: &'a str, len: usize) -> PErr<'a> {
        PErr {
            kind,
            at,
            len,
            detail: None,
        }
    }
}

impl<'a> nom::error::ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, kind: nom::error::ErrorKind) -> Self {
        // Only reached through the generic combinators; every rule below
        // replaces these with a precise kind before they escape.
        let kind = match kind {
            nom::error::ErrorKind::Eof => ParseErrorKind::ExpectedLogicalOperator,
            nom::error::ErrorKind::MultiSpace => ParseErrorKind::ExpectedWhitespace,
            _ => ParseErrorKind::ExpectedAttribute,
        };
        PErr::new(kind, input, 0)
    }

    fn append(_: &'a str, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a str, T, PErr<'a>>;

/// A committed failure: no alternative may be tried after it.
#[cold]
fn fail<'a, T>(kind: ParseErrorKind, at: &'a str, len: usize) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr::new(kind, at, len)))
}

/// Where a group ends, which decides the error for an unexpected token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Closer {
    End,
    Paren,
    Bracket,
}

struct Parser_<'s> {
    src: &'s str,
    nest_limit: usize,
}

/// Parses a whole filter.
pub(crate) fn parse(text: &str, nest_limit: usize) -> Result<Expr, ParseError> {
    if text.trim_matches(is_ws).is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, text, 0, 0));
    }
    let p = Parser_ {
        src: text,
        nest_limit,
    };
    run(text, |i| p.or_expr(i, 0, Closer::End))
}

/// Parses a bare attribute path (`a.b.c`), surrounding whitespace allowed.
pub(crate) fn parse_path(text: &str) -> Result<AttrPath, ParseError> {
    let p = Parser_ {
        src: text,
        nest_limit: 0,
    };
    run(text, |i| p.attr_path(i)).map_err(|e| match e.kind() {
        // Text after a path: the path is what is wrong.
        ParseErrorKind::ExpectedLogicalOperator => ParseError::new(
            ParseErrorKind::InvalidAttribute,
            text,
            e.offset(),
            e.span().end,
        ),
        _ => e,
    })
}

/// Runs `rule` over the whole of `text` (whitespace around it allowed).
/// The one place where nom's errors become [`ParseError`]s.
fn run<'s, T>(text: &'s str, rule: impl Fn(&'s str) -> PResult<'s, T>) -> Result<T, ParseError> {
    let mut entry = all_consuming(|i| {
        let (i, _) = multispace0(i)?;
        let (i, value) = rule(i)?;
        let (i, _) = multispace0(i)?;
        Ok((i, value))
    });
    match entry.parse(text) {
        Ok((_, value)) => Ok(value),
        Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => {
            let start = text.len() - e.at.len();
            let end = (start + e.len).min(text.len());
            let err = ParseError::new(e.kind, text, start, end);
            Err(match e.detail {
                Some(d) => err.with_detail(d),
                None => err,
            })
        }
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
    }
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

pub(crate) fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The word at the start of `i` (name characters), or "" if none.
fn peek_word(i: &str) -> &str {
    let n = i.find(|c: char| !is_name_char(c)).unwrap_or(i.len());
    &i[..n]
}

/// Length of the first character of `i` (1 at the end, for a caret).
fn char_len(i: &str) -> usize {
    i.chars().next().map_or(0, char::len_utf8)
}

impl<'s> Parser_<'s> {
    fn offset(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    fn span(&self, start: &str, rest: &str) -> Span {
        Span::new(self.offset(start), self.offset(rest))
    }

    /// `or := and ("or" and)*`
    fn or_expr(&self, i: &'s str, depth: usize, closer: Closer) -> PResult<'s, Expr> {
        let start = i;
        let (mut i, first) = self.and_expr(i, depth)?;
        let mut operands = vec![first];
        while let Some(rest) = self.keyword_after_term(i, "or")? {
            let (rest, next) = self.and_expr(rest, depth)?;
            operands.push(next);
            i = rest;
        }
        self.check_term_end(i, closer)?;
        Ok((i, n_ary(operands, self.span(start, i), Expr::Or)))
    }

    /// `and := unary ("and" unary)*`
    fn and_expr(&self, i: &'s str, depth: usize) -> PResult<'s, Expr> {
        let start = i;
        let (mut i, first) = self.unary(i, depth)?;
        let mut operands = vec![first];
        while let Some(rest) = self.keyword_after_term(i, "and")? {
            let (rest, next) = self.unary(rest, depth)?;
            operands.push(next);
            i = rest;
        }
        Ok((i, n_ary(operands, self.span(start, i), Expr::And)))
    }

    /// After a complete term: if `keyword` follows (with the whitespace the
    /// grammar requires around it), returns the input after the keyword and
    /// its trailing whitespace, positioned at the next term.
    fn keyword_after_term(
        &self,
        i: &'s str,
        keyword: &str,
    ) -> Result<Option<&'s str>, nom::Err<PErr<'s>>> {
        let (after_ws, ws) = multispace0::<&str, PErr>(i)?;
        let word = peek_word(after_ws);
        if !word.eq_ignore_ascii_case(keyword) {
            return Ok(None);
        }
        let prev_closes = self.src[..self.offset(i)].ends_with([')', ']']);
        if ws.is_empty() && !prev_closes {
            return fail(ParseErrorKind::ExpectedWhitespace, after_ws, word.len())
                .map(|_: (_, ())| None);
        }
        let rest = &after_ws[word.len()..];
        let (next, ws_after) = multispace0::<&str, PErr>(rest)?;
        if ws_after.is_empty() && !next.starts_with('(') {
            if next.is_empty() {
                return fail(ParseErrorKind::ExpectedAttribute, next, 0).map(|_: (_, ())| None);
            }
            return fail(ParseErrorKind::ExpectedWhitespace, next, char_len(next))
                .map(|_: (_, ())| None);
        }
        Ok(Some(next))
    }

    /// What may follow a complete `or` expression: the end (top level), `)`
    /// or `]`, possibly after whitespace. Anything else is an error whose
    /// kind depends on the enclosing group.
    fn check_term_end(&self, i: &'s str, closer: Closer) -> PResult<'s, ()> {
        let (rest, _) = multispace0(i)?;
        let ok = match closer {
            Closer::End => rest.is_empty(),
            Closer::Paren => rest.starts_with(')'),
            Closer::Bracket => rest.starts_with(']'),
        };
        if ok {
            return Ok((i, ()));
        }
        let kind = match closer {
            Closer::End => ParseErrorKind::ExpectedLogicalOperator,
            Closer::Paren => ParseErrorKind::UnclosedParen,
            Closer::Bracket => ParseErrorKind::UnclosedBracket,
        };
        let word = peek_word(rest);
        fail(
            kind,
            rest,
            if word.is_empty() {
                char_len(rest)
            } else {
                word.len()
            },
        )
    }

    /// Counts one nesting level opened at `at`.
    fn enter(&self, at: &'s str, depth: usize, len: usize) -> PResult<'s, usize> {
        if depth >= self.nest_limit {
            let mut e = PErr::new(ParseErrorKind::NestTooDeep, at, len);
            e.detail = Some("limit reached");
            return Err(nom::Err::Failure(e));
        }
        Ok((at, depth + 1))
    }

    /// The inside of `( … )` or `[ … ]`, after the opening character, and
    /// the closing one. Committed: every error is a failure (a hand-written
    /// `cut`, which keeps the recursive path free of combinator frames).
    fn group(&self, i: &'s str, depth: usize, closer: Closer) -> PResult<'s, Expr> {
        let (rest, _) = multispace0(i)?;
        let (rest, expr) = self.or_expr(rest, depth, closer).map_err(|e| match e {
            nom::Err::Error(e) => nom::Err::Failure(e),
            e => e,
        })?;
        let (rest, _) = multispace0(rest)?;
        // The closing character is guaranteed by `check_term_end`.
        let close = if closer == Closer::Bracket { ']' } else { ')' };
        let (rest, _) = char(close)(rest)?;
        Ok((rest, expr))
    }

    /// `unary := "not" "(" filter ")" | "(" filter ")" | value-path | comparison`
    fn unary(&self, i: &'s str, depth: usize) -> PResult<'s, Expr> {
        // Each branch is its own small function: the recursive path then
        // holds only small frames, which keeps the stack cost per nesting
        // level low even in debug builds.
        if i.starts_with('(') {
            return self.paren(i, depth);
        }
        if peek_word(i).eq_ignore_ascii_case("not") {
            return self.not(i, depth);
        }
        self.path_term(i, depth)
    }

    /// `"(" filter ")"`
    #[inline(never)]
    fn paren(&self, i: &'s str, depth: usize) -> PResult<'s, Expr> {
        let (_, depth) = self.enter(i, depth, 1)?;
        self.group(&i[1..], depth, Closer::Paren)
    }

    /// `"not" "(" filter ")"`
    #[inline(never)]
    fn not(&self, i: &'s str, depth: usize) -> PResult<'s, Expr> {
        let (_, depth) = self.enter(i, depth, 3)?;
        let (after_ws, _) = multispace0(&i[3..])?;
        if !after_ws.starts_with('(') {
            let w = peek_word(after_ws);
            let len = if w.is_empty() {
                char_len(after_ws)
            } else {
                w.len()
            };
            return fail(ParseErrorKind::ExpectedNotParen, after_ws, len);
        }
        let (rest, expr) = self.group(&after_ws[1..], depth, Closer::Paren)?;
        Ok((rest, Expr::Not(Box::new(expr), self.span(i, rest))))
    }

    /// `value-path | comparison`: both start with a path.
    #[inline(never)]
    fn path_term(&self, i: &'s str, depth: usize) -> PResult<'s, Expr> {
        let (after_path, path) = self.attr_path(i)?;
        if after_path.starts_with('[') {
            return self.value_path(i, after_path, path, depth);
        }
        // Committed to a comparison: its errors are all failures.
        self.comparison(i, after_path, path)
    }

    /// `attr-path "[" filter "]"`, at the `[`.
    #[inline(never)]
    fn value_path(
        &self,
        start: &'s str,
        i: &'s str,
        path: AttrPath,
        depth: usize,
    ) -> PResult<'s, Expr> {
        let (_, depth) = self.enter(i, depth, 1)?;
        let (rest, expr) = self.group(&i[1..], depth, Closer::Bracket)?;
        let span = self.span(start, rest);
        Ok((rest, Expr::ValuePath(path, Box::new(expr), span)))
    }

    /// `attr-path := name ("." name)*`, `name := [A-Za-z_][A-Za-z0-9_-]*`
    fn attr_path(&self, i: &'s str) -> PResult<'s, AttrPath> {
        let start = i;
        let first = i.chars().next();
        if !first.is_some_and(is_name_start) {
            let w = peek_word(i);
            let len = if w.is_empty() { char_len(i) } else { w.len() };
            return Err(nom::Err::Error(PErr::new(
                ParseErrorKind::ExpectedAttribute,
                i,
                len,
            )));
        }
        let (mut i, name) = take_while1(is_name_char)(i)?;
        let mut names = vec![name.to_owned()];
        while let Some(after_dot) = i.strip_prefix('.') {
            if !after_dot.starts_with(is_name_start) {
                let w = peek_word(after_dot);
                let len = if w.is_empty() {
                    char_len(after_dot)
                } else {
                    w.len()
                };
                return fail(ParseErrorKind::InvalidAttribute, after_dot, len);
            }
            let (rest, name) = take_while(is_name_char)(after_dot)?;
            names.push(name.to_owned());
            i = rest;
        }
        Ok((
            i,
            AttrPath {
                names,
                span: self.span(start, i),
            },
        ))
    }

    /// `comparison := attr-path op value | attr-path "pr"`, after the path.
    fn comparison(&self, start: &'s str, i: &'s str, path: AttrPath) -> PResult<'s, Expr> {
        if i.is_empty() {
            return fail(ParseErrorKind::ExpectedOperator, i, 0);
        }
        let (i, _) = match multispace1::<&str, PErr>(i) {
            Ok(ok) => ok,
            Err(_) => return fail(ParseErrorKind::ExpectedWhitespace, i, char_len(i)),
        };
        if i.is_empty() {
            return fail(ParseErrorKind::ExpectedOperator, i, 0);
        }
        let word = peek_word(i);
        if word.eq_ignore_ascii_case("pr") {
            let rest = &i[word.len()..];
            // `pr` takes no value: a value after it is a type error, not
            // just unexpected text.
            let (maybe_value, _) = multispace0(rest)?;
            if starts_value(maybe_value) {
                let len = self
                    .value(maybe_value)
                    .map_or(char_len(maybe_value), |(r, _)| maybe_value.len() - r.len());
                let mut e = PErr::new(ParseErrorKind::OperandType, maybe_value, len);
                e.detail = Some("`pr` takes no value");
                return Err(nom::Err::Failure(e));
            }
            return Ok((rest, Expr::Present(path, self.span(start, rest))));
        }
        let op = match CompareOp::ALL
            .iter()
            .find(|op| word.eq_ignore_ascii_case(op.as_str()))
        {
            Some(op) => *op,
            None => {
                let len = if word.is_empty() {
                    char_len(i)
                } else {
                    word.len()
                };
                return fail(ParseErrorKind::ExpectedOperator, i, len);
            }
        };
        let after_op = &i[word.len()..];
        if after_op.is_empty() {
            return fail(ParseErrorKind::ExpectedValue, after_op, 0);
        }
        let (v, _) = match multispace1::<&str, PErr>(after_op) {
            Ok(ok) => ok,
            Err(_) => {
                return fail(
                    ParseErrorKind::ExpectedWhitespace,
                    after_op,
                    char_len(after_op),
                )
            }
        };
        let (rest, value) = self.value(v)?;
        if !op.accepts(&value) {
            let mut e = PErr::new(ParseErrorKind::OperandType, v, v.len() - rest.len());
            e.detail = Some(match op {
                CompareOp::Co | CompareOp::Sw | CompareOp::Ew => "this operator needs a string",
                _ => "this operator needs a string or a number",
            });
            return Err(nom::Err::Failure(e));
        }
        Ok((
            rest,
            Expr::Compare(Comparison {
                path,
                op,
                value,
                span: self.span(start, rest),
            }),
        ))
    }

    /// `value := string | number | "true" | "false" | "null"`
    fn value(&self, i: &'s str) -> PResult<'s, Literal> {
        match i.chars().next() {
            None => fail(ParseErrorKind::ExpectedValue, i, 0),
            Some('"') => string(i),
            Some('-' | '+' | '0'..='9') => number(i),
            Some(c) => {
                let word = peek_word(i);
                let lit = if word.eq_ignore_ascii_case("true") {
                    Some(Literal::Bool(true))
                } else if word.eq_ignore_ascii_case("false") {
                    Some(Literal::Bool(false))
                } else if word.eq_ignore_ascii_case("null") {
                    Some(Literal::Null)
                } else {
                    None
                };
                match lit {
                    Some(lit) => Ok((&i[word.len()..], lit)),
                    None => {
                        let len = match c {
                            // Underline a whole single-quoted string.
                            '\'' => i[1..].find('\'').map_or(1, |n| n + 2),
                            _ if word.is_empty() => c.len_utf8(),
                            _ => word.len(),
                        };
                        let mut e = PErr::new(ParseErrorKind::ExpectedValue, i, len);
                        e.detail = match c {
                            '\'' => Some("strings take double quotes"),
                            '[' => Some("lists are not supported"),
                            _ if !word.is_empty() => Some("bare words must be quoted"),
                            _ => None,
                        };
                        Err(nom::Err::Failure(e))
                    }
                }
            }
        }
    }
}

/// Builds an n-ary node, or returns the single operand as it is.
///
/// and/or are left-associative, so `(a and b) and c` is the same tree as
/// `a and b and c`: a first operand of the same kind (which can only come
/// from parentheses) is spliced in. A later one (`a and (b and c)`) is a
/// different tree and stays nested.
fn n_ary(mut operands: Vec<Expr>, span: Span, make: fn(Vec<Expr>, Span) -> Expr) -> Expr {
    if operands.len() == 1 {
        return operands.pop().expect("one operand");
    }
    let probe = make(Vec::new(), span);
    let same_kind = |e: &Expr| std::mem::discriminant(e) == std::mem::discriminant(&probe);
    if same_kind(&operands[0]) {
        if let Expr::And(inner, _) | Expr::Or(inner, _) = operands.remove(0) {
            operands.splice(0..0, inner);
        }
    }
    make(operands, span)
}

/// Whether a value literal starts here (used to diagnose `pr "x"`).
fn starts_value(i: &str) -> bool {
    match i.chars().next() {
        Some('"' | '-' | '+' | '0'..='9') => true,
        Some(_) => {
            let w = peek_word(i);
            ["true", "false", "null"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k))
        }
        None => false,
    }
}

/// A JSON string literal, decoded. Every JSON escape is accepted, including
/// `\uXXXX` surrogate pairs; a lone surrogate, an unknown escape, a raw
/// control character or a missing closing quote is an error.
fn string(i: &str) -> PResult<'_, Literal> {
    let body = &i[1..];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((pos, c)) = chars.next() {
        match c {
            '"' => return Ok((&body[pos + 1..], Literal::String(out))),
            '\\' => {
                let at = &body[pos..];
                let (esc_len, decoded) = match crate::json::escape(at.as_bytes(), 0) {
                    Ok(ok) => ok,
                    Err(_) => {
                        let len = at.chars().take(2).map(char::len_utf8).sum();
                        let mut e = PErr::new(ParseErrorKind::InvalidString, at, len);
                        e.detail = Some("invalid escape");
                        return Err(nom::Err::Failure(e));
                    }
                };
                out.push(decoded);
                // Skip the rest of the escape (the backslash is consumed).
                for _ in 1..esc_len {
                    chars.next();
                }
            }
            c if (c as u32) < 0x20 => {
                let mut e = PErr::new(ParseErrorKind::InvalidString, &body[pos..], 1);
                e.detail = Some("control character in string");
                return Err(nom::Err::Failure(e));
            }
            c => out.push(c),
        }
    }
    let mut e = PErr::new(ParseErrorKind::InvalidString, i, i.len());
    e.detail = Some("no closing quote");
    Err(nom::Err::Failure(e))
}

/// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as
/// written. Out of f64 range is an error, as it is for events.
fn number(i: &str) -> PResult<'_, Literal> {
    let b = i.as_bytes();
    let bad = |len: usize, detail: &'static str| {
        let mut e = PErr::new(ParseErrorKind::InvalidNumber, i, len.max(1));
        e.detail = Some(detail);
        Err(nom::Err::Failure(e))
    };
    let token_len = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-')))
        .unwrap_or(b.len());
    match crate::json::number_len(b) {
        Some(n) => {
            // A valid prefix followed by more number characters (`01`,
            // `1.`, `1e`) is a malformed number, not a number and junk.
            if matches!(
                b.get(n),
                Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            ) {
                return bad(token_len, "not a JSON number");
            }
            let text = &i[..n];
            if !crate::json::number_in_range(text) {
                return bad(n, "out of range");
            }
            Ok((&i[n..], Literal::Number(text.to_owned())))
        }
        None => bad(token_len, "not a JSON number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> (ParseErrorKind, usize) {
        let e = parse(s, 64).unwrap_err();
        (e.kind(), e.offset())
    }

    #[test]
    fn okta_documented_error_offset() {
        assert_eq!(
            err(r#"display_message eqq "Create okta user""#),
            (ParseErrorKind::ExpectedOperator, 16)
        );
    }

    #[test]
    fn flat_chains() {
        let e = parse("a pr and b pr and c pr or d pr", 64).unwrap();
        match e {
            Expr::Or(ops, _) => {
                assert_eq!(ops.len(), 2);
                assert!(matches!(&ops[0], Expr::And(v, _) if v.len() == 3));
            }
            _ => panic!("{e:?}"),
        }
    }

    #[test]
    fn spans() {
        let e = parse("  a eq 1 ", 64).unwrap();
        assert_eq!(e.span(), Span::new(2, 8));
    }
}
