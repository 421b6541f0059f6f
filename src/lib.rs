//! Parse and evaluate the **Okta System Log filter language** against JSON events, offline.
//!
//! This is the language admins type into the System Log search box or pass as
//! `filter=` to `GET /api/v1/logs`:
//!
//! ```
//! use oktaql::Filter;
//! use serde_json::json;
//!
//! let filter = Filter::parse(
//!     r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#,
//! )?;
//! let event = json!({
//!     "eventType": "system.import.start",
//!     "debugContext": {"debugData": {"importTrigger": "Manual action", "importType": "Full"}}
//! });
//! assert!(filter.matches(&event));
//!
//! // The same decision straight from an event's JSON text, without building a Value.
//! let line = br#"{"eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Scheduled"}}}"#;
//! assert_eq!(filter.matches_json(line)?, false);
//!
//! // Canonical text: lower-case keywords, single spaces, only needed parentheses.
//! assert_eq!(
//!     Filter::parse(r#"(eventType EQ "a")  OR  (actor.id eq "b")"#)?.to_string(),
//!     r#"eventType eq "a" or actor.id eq "b""#,
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The grammar and the exact semantics are written up in `grammar.md` at the
//! root of the repository. In brief: `and`, `or`, `not (…)`, parentheses, the
//! operators `eq ne co sw ew gt ge lt le pr`, JSON literals, dotted
//! case-sensitive attribute paths that look into arrays, and the SCIM value
//! path `target[type eq "User" and alternateId eq "a@example.com"]`.
//!
//! # Pipeline
//!
//! text → [`parse`](Filter::parse) → [`ast::Expr`] (what the user wrote,
//! spanned, prints back with `Display`) → lowered IR (what it means: typed
//! literals, `ne` as `not eq`, lower-cased needles, pre-parsed dates, the
//! options folded in) → evaluated either on a [`serde_json::Value`]
//! ([`Filter::matches`]) or in one pass over an event's raw bytes
//! ([`Filter::matches_json`], which follows a path trie built from the IR,
//! after a literal prefilter also built from it; the `eq`s of an `or` on one
//! path are one set lookup). Both evaluators share the
//! matching rules and are tested against each other. `ARCHITECTURE.md` in
//! the repository draws the map. A tree built by hand compiles with
//! [`FilterBuilder::from_ast`].
//!
//! # Input safety
//!
//! - **Filters** are parsed without unbounded recursion: nesting (`(`, `not (`,
//!   `[`) is limited to [`DEFAULT_NEST_LIMIT`] levels by default (configurable
//!   up to [`MAX_NEST_LIMIT`] with [`FilterBuilder::nest_limit`]); deeper input
//!   is a [`ParseErrorKind::NestTooDeep`] error however deep it goes. Long
//!   `and`/`or` chains are flat, so 100,000 terms parse and evaluate without
//!   deep recursion, and a list of 100,000 `eq`s on one path costs one set
//!   lookup per value.
//! - **Events** given to [`Filter::matches_json`] and [`Path::raw_values`]
//!   are scanned iteratively: nesting depth costs heap memory proportional
//!   to the depth, never stack.
//!   Malformed JSON (bad UTF-8, truncation, bad escapes, lone surrogates,
//!   numbers outside f64, trailing bytes) is an [`Err`], never a match.
//!   [`Filter::may_match`] is a cheap literal check that may answer `false`
//!   for an event without looking at whether it is well-formed.
//! - **Duplicate keys**: the last value of a repeated key counts, as in
//!   `serde_json::Value`; both evaluators agree.
//! - No `unsafe` code: the crate is `#![forbid(unsafe_code)]`.
//!
//! # Crate features
//!
//! - `cli` (default): builds the `oktaql` command (adds `lexopt`).
//! - `compression` (default): gzip and zstd input for [`read::Reader`]
//!   (adds `flate2` and `ruzstd`, both pure Rust). Without it the reader
//!   names compressed input as an error.

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod ast;
pub mod diag;
mod error;
mod eval;
mod extract;
mod ir;
mod json;
mod keywords;
mod lit;
mod lower;
mod parse;
mod path;
mod prefilter;
mod print;
pub mod read;
mod scan;
mod set;
pub mod sql;
mod time;
mod trie;
mod value;

use std::fmt;
use std::str::FromStr;

pub use error::{AstError, JsonError, JsonErrorKind, ParseError, ParseErrorKind};
pub use keywords::{KeywordError, Keywords};
pub use path::Path;
pub use prefilter::Lines;
pub use time::{Timestamp, TimestampError};

/// Nesting levels accepted by default: each `(`, `not (` and `[` opens one.
pub const DEFAULT_NEST_LIMIT: usize = 64;

/// The largest nest limit [`FilterBuilder::nest_limit`] accepts; larger
/// values are clamped to it so that no input can exhaust the stack.
pub const MAX_NEST_LIMIT: usize = 256;

/// A parsed and compiled filter, ready to match events.
///
/// `Filter` is `Send + Sync`: share one across threads.
#[derive(Clone)]
pub struct Filter {
    /// What the user wrote; `None` for the empty filter (see
    /// [`FilterBuilder::empty_selects_all`]).
    ast: Option<ast::Expr>,
    options: Options,
    /// What it means, options folded in; the `Value` evaluator reads it.
    ir: ir::Node,
    /// The bytes scanner's index and the literal prefilter, built from
    /// `ir`.
    index: trie::Index,
    prefilter: prefilter::Prefilter,
}

/// Options that change what a filter matches, beyond its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    pub ignore_case: bool,
    pub invert: bool,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub keywords: Option<Keywords>,
}

impl Filter {
    /// Parses `text` with the default options (case-sensitive strings, nest
    /// limit [`DEFAULT_NEST_LIMIT`]).
    pub fn parse(text: &str) -> Result<Filter, ParseError> {
        FilterBuilder::new().parse(text)
    }

    /// A builder for the non-default options.
    pub fn builder() -> FilterBuilder {
        FilterBuilder::new()
    }

    /// The parse tree, or `None` for the empty filter, which has none: a
    /// filter text that is empty or only whitespace, accepted by
    /// [`FilterBuilder::empty_selects_all`]. A filter from
    /// [`Filter::parse`], [`FilterBuilder::parse`] of a non-empty text or
    /// [`FilterBuilder::from_ast`] always has a tree.
    pub fn ast(&self) -> Option<&ast::Expr> {
        self.ast.as_ref()
    }

    /// Whether this is the empty filter (no tree, see
    /// [`FilterBuilder::empty_selects_all`]): every event satisfies its
    /// text, and only the options (invert, since, until, keywords) decide.
    pub fn is_empty(&self) -> bool {
        self.ast.is_none()
    }

    /// Whether string comparisons ignore case.
    pub fn ignore_case(&self) -> bool {
        self.options.ignore_case
    }

    /// Whether the event satisfies the filter.
    pub fn matches(&self, event: &serde_json::Value) -> bool {
        eval::matches(&self.ir, event)
    }

    /// Whether one event, given as its JSON text, satisfies the filter.
    ///
    /// The text is validated whole: malformed JSON is an `Err`, never a match.
    /// The answer is the same as [`matches`](Filter::matches) on the parsed
    /// value.
    pub fn matches_json(&self, event: &[u8]) -> Result<bool, JsonError> {
        scan::matches_json(&self.index, event)
    }

    /// A quick literal check: `false` means the event cannot match, so
    /// [`matches_json`](Filter::matches_json) would return `Ok(false)` or an
    /// error. `true` means it may match. It does not validate the JSON.
    pub fn may_match(&self, event: &[u8]) -> bool {
        self.prefilter.may_match(event)
    }

    /// The lines of a buffer of NDJSON that may match, as byte ranges
    /// (without the `\n`; a `\r` before it is kept). Lines that
    /// [`may_match`](Filter::may_match) rules out are skipped without being
    /// looked at: the buffer is searched whole for the filter's required
    /// literals, as ripgrep does, so a rare literal costs one SIMD pass over
    /// the buffer. Without literals every line is yielded. Each yielded line
    /// still needs [`matches_json`](Filter::matches_json).
    pub fn candidate_lines<'f, 'b>(&'f self, buf: &'b [u8]) -> Lines<'f, 'b> {
        self.prefilter.lines(buf)
    }

    /// The filter as one boolean SQL expression (a `WHERE` condition) for
    /// `dialect`, over the column `column` holding each event's JSON text.
    /// The builder's options (ignore case, invert, since, until, keywords)
    /// are part of it. The expression is never NULL; a row that is not a
    /// JSON object is not selected. See the `sql` module for how each rule
    /// is written and the README for the per-engine exceptions.
    ///
    /// ```
    /// use oktaql::{sql::Dialect, Filter};
    ///
    /// let f = Filter::parse(r#"eventType eq "user.session.start""#)?;
    /// let cond = f.to_sql(Dialect::DuckDb, "raw")?;
    /// assert!(cond.contains(r#""raw""#));
    /// assert!(f.to_sql(Dialect::Spark, "not a column").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_sql(&self, dialect: sql::Dialect, column: &str) -> Result<String, sql::SqlError> {
        sql::to_sql(&self.ir, dialect, column)
    }

    #[cfg(test)]
    pub(crate) fn prefilter_for_tests(&self) -> &prefilter::Prefilter {
        &self.prefilter
    }
}

impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.ast == other.ast && self.options == other.options
    }
}
impl Eq for Filter {}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Filter")
            .field("text", &self.to_string())
            .field("options", &self.options)
            .finish()
    }
}

/// The canonical text: lower-case keywords, one space between tokens, only
/// the parentheses the tree needs. It parses back to an equal filter. The
/// empty filter prints as the empty string (which parses back to it only
/// with [`FilterBuilder::empty_selects_all`]).
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ast {
            Some(ast) => fmt::Display::fmt(ast, f),
            None => Ok(()),
        }
    }
}

impl FromStr for Filter {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Filter, ParseError> {
        Filter::parse(s)
    }
}

/// Builds a [`Filter`] with non-default options. The setters take and
/// return the builder by value; [`parse`](FilterBuilder::parse) borrows it,
/// so one builder can parse many filters.
#[derive(Clone, Debug)]
pub struct FilterBuilder {
    nest_limit: usize,
    empty_selects_all: bool,
    options: Options,
}

impl Default for FilterBuilder {
    fn default() -> Self {
        FilterBuilder::new()
    }
}

impl FilterBuilder {
    pub fn new() -> FilterBuilder {
        FilterBuilder {
            nest_limit: DEFAULT_NEST_LIMIT,
            empty_selects_all: false,
            options: Options::default(),
        }
    }

    /// Compare strings after Unicode lower-casing (eq, ne, co, sw, ew and the
    /// orderings): each character on its own to its `char::to_lowercase`
    /// mapping, with no final-sigma rule, so a case-sensitive match of eq,
    /// co, sw or ew is always a match with ignore-case too (grammar.md §6.4).
    /// Mixed-type equality (`"true"` against `true`) stays exact.
    #[must_use]
    pub fn ignore_case(mut self, yes: bool) -> FilterBuilder {
        self.options.ignore_case = yes;
        self
    }

    /// How many levels of `(`, `not (` and `[` to accept (default
    /// [`DEFAULT_NEST_LIMIT`], at most [`MAX_NEST_LIMIT`]).
    #[must_use]
    pub fn nest_limit(mut self, levels: usize) -> FilterBuilder {
        self.nest_limit = levels.min(MAX_NEST_LIMIT);
        self
    }

    /// Select the events the filter text does *not* match (grep's `-v`).
    /// `since`, `until` and `keywords` still apply: they narrow the search,
    /// they are not part of what is inverted.
    #[must_use]
    pub fn invert(mut self, yes: bool) -> FilterBuilder {
        self.options.invert = yes;
        self
    }

    /// Okta's `since` parameter: only events whose `published` is a date-time
    /// at or after `t`.
    #[must_use]
    pub fn since(mut self, t: Option<Timestamp>) -> FilterBuilder {
        self.options.since = t;
        self
    }

    /// Okta's `until` parameter: only events whose `published` is a date-time
    /// before `t`.
    #[must_use]
    pub fn until(mut self, t: Option<Timestamp>) -> FilterBuilder {
        self.options.until = t;
        self
    }

    /// Okta's `q` keyword search, combined with the filter by AND.
    #[must_use]
    pub fn keywords(mut self, k: Option<Keywords>) -> FilterBuilder {
        self.options.keywords = k;
        self
    }

    /// Accept an empty filter text (empty or only whitespace) as the filter
    /// that every event satisfies, as grep's empty pattern matches every
    /// line, instead of the [`ParseErrorKind::Empty`] error (the default).
    /// The options still apply to it: with [`invert`](FilterBuilder::invert)
    /// it selects nothing; [`since`](FilterBuilder::since),
    /// [`until`](FilterBuilder::until) and
    /// [`keywords`](FilterBuilder::keywords) narrow it as usual, so a
    /// keyword-only search is an empty filter with keywords.
    ///
    /// The empty filter has no parse tree ([`Filter::ast`] is `None`,
    /// [`Filter::is_empty`] is true) and prints as the empty string.
    ///
    /// ```
    /// use oktaql::{Filter, Keywords};
    ///
    /// let everything = Filter::builder().empty_selects_all(true).parse("")?;
    /// assert!(everything.is_empty() && everything.ast().is_none());
    /// assert!(everything.matches_json(br#"{"eventType":"user.session.start"}"#)?);
    /// // Malformed JSON is still an error, never a match.
    /// assert!(everything.matches_json(b"{").is_err());
    ///
    /// // A keyword-only search.
    /// let admin = Filter::builder()
    ///     .empty_selects_all(true)
    ///     .keywords(Some(Keywords::parse("admin")?))
    ///     .parse("  \n")?;
    /// assert!(admin.matches_json(br#"{"actor":{"displayName":"Admin"}}"#)?);
    /// assert!(!admin.matches_json(br#"{"actor":{"displayName":"Alice"}}"#)?);
    ///
    /// // Inverted, it selects nothing.
    /// let nothing = Filter::builder().empty_selects_all(true).invert(true).parse("")?;
    /// assert!(!nothing.matches_json(br#"{"eventType":"x"}"#)?);
    ///
    /// // Without the option an empty filter is an error, as it is for Filter::parse.
    /// assert!(Filter::builder().parse("").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn empty_selects_all(mut self, yes: bool) -> FilterBuilder {
        self.empty_selects_all = yes;
        self
    }

    /// Parses and compiles `text` with these options.
    pub fn parse(&self, text: &str) -> Result<Filter, ParseError> {
        let ast = match parse::parse(text, self.nest_limit) {
            Ok(ast) => ast,
            Err(e) if self.empty_selects_all && e.kind() == ParseErrorKind::Empty => {
                let ir = lower::lower_everything(&self.options);
                return Ok(Filter::from_parts(None, self.options.clone(), ir));
            }
            Err(e) => return Err(e),
        };
        let ir = match lower::lower(&ast, &self.options) {
            Ok(ir) => ir,
            // The parser gives only trees that lower; should that ever
            // fail, the error still names the whole filter.
            Err(e) => {
                return Err(ParseError::new(ParseErrorKind::Empty, text, 0, text.len())
                    .with_detail(e.message()))
            }
        };
        Ok(Filter::from_parts(Some(ast), self.options.clone(), ir))
    }

    /// Compiles a parse tree built by hand (for example a list of
    /// indicators turned into an `or`, without writing and escaping text)
    /// with these options. A tree the parser would never produce is an
    /// error: an `and`/`or` with fewer than two operands, an attribute path
    /// that is empty or holds something other than names, an operand of
    /// the wrong type for its operator, a number that is not a JSON number
    /// within f64's range, nesting deeper than [`MAX_NEST_LIMIT`]. The
    /// filter prints (`Display`) as text that parses back to an equal tree.
    ///
    /// ```
    /// use oktaql::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
    /// use oktaql::Filter;
    ///
    /// let ip = |s: &str| Expr::Compare(Comparison {
    ///     path: AttrPath { names: vec!["client".into(), "ipAddress".into()], span: Span::default() },
    ///     op: CompareOp::Eq,
    ///     value: Literal::String(s.into()),
    ///     span: Span::default(),
    /// });
    /// let tree = Expr::Or(vec![ip("203.0.113.7"), ip("198.51.100.\"9")], Span::default());
    /// let filter = Filter::builder().from_ast(&tree)?;
    /// assert_eq!(
    ///     filter.to_string(),
    ///     r#"client.ipAddress eq "203.0.113.7" or client.ipAddress eq "198.51.100.\"9""#
    /// );
    /// assert!(filter.matches_json(br#"{"client":{"ipAddress":"203.0.113.7"}}"#)?);
    ///
    /// // An `or` of one operand is not something the parser gives.
    /// assert!(Filter::builder().from_ast(&Expr::Or(vec![ip("x")], Span::default())).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_ast(&self, ast: &ast::Expr) -> Result<Filter, AstError> {
        lower::check_depth(ast)?;
        let ir = lower::lower(ast, &self.options)?;
        Ok(Filter::from_parts(
            Some(ast.clone()),
            self.options.clone(),
            ir,
        ))
    }
}

impl Filter {
    fn from_parts(ast: Option<ast::Expr>, options: Options, ir: ir::Node) -> Filter {
        let index = trie::Index::new(&ir);
        let prefilter = prefilter::Prefilter::new(&ir);
        Filter {
            ast,
            options,
            ir,
            index,
            prefilter,
        }
    }
}

/// The README's Rust examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Filter>();
    }
}
