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
//! The grammar and the exact semantics are written up in [`grammar`] (the
//! repository's `grammar.md`). In brief: `and`, `or`, `not (…)`, parentheses, the
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
//! [`FilterBuilder::from_ast`]. Many filters run together as a
//! [`FilterSet`]: one literal search for all of them, one pass of the
//! scanner over a trie of all their paths, the answers of each alone.
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
//! - `serde`: `Serialize`/`Deserialize` for [`Filter`]: its text, or a map of
//!   the text and its options (adds `serde`).

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod access;
#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod ast;
pub mod check;
pub mod diag;
mod error;
mod eval;
mod explain;
mod extract;
mod field;
mod filter_set;
mod ir;
mod json;
mod keywords;
mod lit;
mod lower;
mod parse;
mod path;
mod prefilter;
mod prefilter_set;
mod print;
pub mod read;
#[cfg(feature = "rules")]
pub mod rules;

/// The filter language: lexical rules, the grammar, precedence, and what
/// every operator does with every kind of value. Each example in it is
/// checked by the test suite (`tests/grammar_md.rs`).
#[doc = include_str!("../grammar.md")]
// Its examples are fenced `filter …` and `json event` (with settings such as
// `nest-limit=2`) for that test, not for rustdoc: none is Rust.
#[allow(rustdoc::invalid_codeblock_attributes)]
pub mod grammar {}
mod scan;
#[cfg(feature = "serde")]
mod serde_impl;
mod set;
pub mod sql;
mod time;
mod trie;
pub mod url;
mod value;

use std::fmt;
use std::str::FromStr;

pub use error::{AstError, JsonError, JsonErrorKind, ParseError, ParseErrorKind};
pub use field::Field;
pub use filter_set::FilterSet;
pub use keywords::{KeywordError, Keywords};
pub use path::Path;
pub use prefilter::Lines;
pub use prefilter_set::CandidateLines;
pub use time::{Timestamp, TimestampError};

/// Nesting levels accepted by default: each `(`, `not (` and `[` opens one.
///
/// ```
/// use oktaql::{Filter, DEFAULT_NEST_LIMIT};
///
/// let nested = |n: usize| format!("{}eventType eq \"user.session.start\"{}", "(".repeat(n), ")".repeat(n));
/// assert!(Filter::parse(&nested(DEFAULT_NEST_LIMIT)).is_ok());
/// assert!(Filter::parse(&nested(DEFAULT_NEST_LIMIT + 1)).is_err());
/// ```
pub const DEFAULT_NEST_LIMIT: usize = 64;

/// The largest nest limit [`FilterBuilder::nest_limit`] accepts; larger
/// values are clamped to it so that no input can exhaust the stack.
///
/// ```
/// use oktaql::{Filter, MAX_NEST_LIMIT};
///
/// let nested = |n: usize| format!("{}eventType eq \"user.session.start\"{}", "(".repeat(n), ")".repeat(n));
/// // Asking for more than the maximum gives the maximum.
/// let builder = Filter::builder().nest_limit(usize::MAX);
/// assert!(builder.parse(&nested(MAX_NEST_LIMIT)).is_ok());
/// assert!(builder.parse(&nested(MAX_NEST_LIMIT + 1)).is_err());
/// ```
pub const MAX_NEST_LIMIT: usize = 256;

/// A parsed and compiled filter, ready to match events.
///
/// `Filter` is `Send + Sync`: share one across threads.
///
/// ```
/// use oktaql::Filter;
/// use serde_json::json;
///
/// let failures = Filter::parse(r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#)?;
/// let event = json!({
///     "eventType": "user.session.start",
///     "actor": {"alternateId": "alice@example.com"},
///     "outcome": {"result": "FAILURE"}
/// });
/// assert!(failures.matches(&event));
/// assert!(!failures.matches_json(br#"{"eventType":"user.session.start","outcome":{"result":"SUCCESS"}}"#)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Filter {
    /// What the user wrote; `None` for the empty filter (see
    /// [`FilterBuilder::empty_selects_all`]).
    ast: Option<ast::Expr>,
    options: Options,
    /// For a filter built from a Sigma rule (which has no tree): the rule's
    /// detection in a canonical form, which is what it prints as and what
    /// equality compares.
    sigma: Option<Box<str>>,
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
    ///
    /// ```
    /// use oktaql::{Filter, ParseErrorKind};
    ///
    /// let f = Filter::parse(r#"outcome.result EQ "FAILURE""#)?;
    /// assert_eq!(f.to_string(), r#"outcome.result eq "FAILURE""#);
    /// assert!(!f.ignore_case());
    ///
    /// let err = Filter::parse(r#"outcome.result eq"#).unwrap_err();
    /// assert_eq!(err.offset(), 17);
    /// assert!(Filter::parse("").is_err_and(|e| e.kind() == ParseErrorKind::Empty));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Filter, ParseError> {
        FilterBuilder::new().parse(text)
    }

    /// A builder for the non-default options.
    ///
    /// ```
    /// use oktaql::Filter;
    /// use serde_json::json;
    ///
    /// let f = Filter::builder().ignore_case(true).parse(r#"outcome.result eq "failure""#)?;
    /// assert!(f.ignore_case());
    /// assert!(f.matches(&json!({"outcome": {"result": "FAILURE"}})));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn builder() -> FilterBuilder {
        FilterBuilder::new()
    }

    /// The parse tree, or `None` for the empty filter, which has none: a
    /// filter text that is empty or only whitespace, accepted by
    /// [`FilterBuilder::empty_selects_all`]. A filter from
    /// [`Filter::parse`], [`FilterBuilder::parse`] of a non-empty text or
    /// [`FilterBuilder::from_ast`] always has a tree.
    ///
    /// ```
    /// use oktaql::{ast::Expr, Filter};
    ///
    /// let f = Filter::parse(r#"eventType eq "user.session.start" or outcome.result eq "FAILURE""#)?;
    /// assert!(matches!(f.ast(), Some(Expr::Or(..))));
    /// assert!(Filter::builder().empty_selects_all(true).parse(" ")?.ast().is_none());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn ast(&self) -> Option<&ast::Expr> {
        self.ast.as_ref()
    }

    /// Whether this is the empty filter (no tree, see
    /// [`FilterBuilder::empty_selects_all`]): every event satisfies its
    /// text, and only the options (invert, since, until, keywords) decide.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// assert!(!Filter::parse(r#"eventType eq "user.session.start""#)?.is_empty());
    /// let empty = Filter::builder().empty_selects_all(true).parse("")?;
    /// assert!(empty.is_empty());
    /// assert_eq!(empty.to_string(), "");
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ast.is_none() && self.sigma.is_none()
    }

    /// The attribute paths the filter reads, each once, in the order they
    /// first appear: a value path's inner paths as full paths from the
    /// event (`target[type eq "User"].alternateId` reads `target.type` and
    /// `target.alternateId`), and `published` when
    /// [`since`](FilterBuilder::since)/[`until`](FilterBuilder::until) are
    /// given. Keywords read every string and are not a path.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(
    ///     r#"eventType eq "user.session.start" and target[type eq "User" and alternateId sw "a"]"#,
    /// )?;
    /// let paths: Vec<String> = f.paths().iter().map(|p| p.to_string()).collect();
    /// assert_eq!(paths, ["eventType", "target.type", "target.alternateId"]);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn paths(&self) -> Vec<Path> {
        let mut out: Vec<Path> = Vec::new();
        self.ir.for_each_path(&mut Vec::new(), &mut |names| {
            let same = |p: &Path| {
                p.names()
                    .iter()
                    .map(String::as_str)
                    .eq(names.iter().map(|n| &**n))
            };
            if !out.iter().any(same) {
                out.push(Path::from_names(
                    names.iter().map(|n| n.to_string()).collect(),
                ));
            }
        });
        out
    }

    /// What decides a match, one line per node of what the filter means:
    /// how strings are compared, `-v` as a `not`, since/until as
    /// comparisons of `published`, the keywords, and for each comparison
    /// how its value is compared (as an instant, a number, text). For
    /// reading, not parsing: the format may change.
    ///
    /// ```
    /// use oktaql::{Filter, Timestamp};
    ///
    /// let f = Filter::builder()
    ///     .since(Some(Timestamp::parse("2025-03-03")?))
    ///     .parse(r#"outcome.result eq "FAILURE""#)?;
    /// let text = f.explain();
    /// assert!(text.contains(r#"outcome.result: some value eq "FAILURE": as text, case-sensitive"#));
    /// assert!(text.contains("published: some date-time ge 2025-03-03T00:00:00Z: as an instant"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self) -> String {
        explain::explain(&self.ir, self.options.ignore_case)
    }

    /// Whether string comparisons ignore case.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// assert!(!Filter::parse(r#"actor.alternateId sw "alice""#)?.ignore_case());
    /// assert!(Filter::builder().ignore_case(true).parse(r#"actor.alternateId sw "alice""#)?.ignore_case());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn ignore_case(&self) -> bool {
        self.options.ignore_case
    }

    /// Whether the event satisfies the filter.
    ///
    /// ```
    /// use oktaql::Filter;
    /// use serde_json::json;
    ///
    /// let f = Filter::parse(r#"actor.alternateId ew "@example.com" and outcome.result eq "SUCCESS""#)?;
    /// let event = json!({
    ///     "eventType": "user.session.start",
    ///     "actor": {"alternateId": "alice@example.com"},
    ///     "outcome": {"result": "SUCCESS"}
    /// });
    /// assert!(f.matches(&event));
    /// // A missing attribute satisfies no comparison.
    /// assert!(!f.matches(&json!({"actor": {"alternateId": "alice@example.com"}})));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn matches(&self, event: &serde_json::Value) -> bool {
        let Ok(yes) = eval::matches(&self.ir, &event);
        yes
    }

    /// Whether the event satisfies the filter, for an event held in a tree
    /// of your own behind [`access::Access`] (the Python binding's dicts):
    /// the same rules as [`matches`](Filter::matches), asking the tree only
    /// for the values the filter looks at. An error from the tree is
    /// returned as is.
    ///
    /// ```
    /// use oktaql::Filter;
    /// use serde_json::json;
    ///
    /// // `&serde_json::Value` implements Access: it stands in for a tree of your own.
    /// let f = Filter::parse(r#"target[type eq "User" and alternateId eq "alice@example.com"]"#)?;
    /// let event = &json!({
    ///     "eventType": "user.account.lock",
    ///     "target": [{"type": "User", "alternateId": "alice@example.com"}]
    /// });
    /// assert_eq!(f.matches_access(&event), Ok(true));
    /// assert_eq!(f.matches_access(&&json!({"target": []})), Ok(false));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn matches_access<V: access::Access>(&self, event: &V) -> Result<bool, V::Error> {
        eval::matches(&self.ir, event)
    }

    /// Whether one event, given as its JSON text, satisfies the filter.
    ///
    /// The text is validated whole: malformed JSON is an `Err`, never a match.
    /// The answer is the same as [`matches`](Filter::matches) on the parsed
    /// value.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(r#"eventType eq "user.session.start""#)?;
    /// assert!(f.matches_json(br#"{"eventType":"user.session.start","outcome":{"result":"SUCCESS"}}"#)?);
    /// assert!(!f.matches_json(br#"{"eventType":"user.session.end"}"#)?);
    /// // Truncated JSON is an error, even though the attribute is there.
    /// assert!(f.matches_json(br#"{"eventType":"user.session.start""#).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_json(&self, event: &[u8]) -> Result<bool, JsonError> {
        scan::matches_json(&self.index, event)
    }

    /// A quick literal check: `false` means the event cannot match, so
    /// [`matches_json`](Filter::matches_json) would return `Ok(false)` or an
    /// error. `true` means it may match. It does not validate the JSON.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(r#"eventType eq "user.session.start""#)?;
    /// // The literal is nowhere in the text: it cannot match.
    /// assert!(!f.may_match(br#"{"eventType":"user.session.end"}"#));
    /// // The literal is there, in the wrong attribute: it may match, matches_json decides.
    /// let line = br#"{"eventType":"x","debugContext":{"debugData":{"note":"user.session.start"}}}"#;
    /// assert!(f.may_match(line));
    /// assert!(!f.matches_json(line)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
    /// let buf = b"{\"outcome\":{\"result\":\"SUCCESS\"}}\n{\"outcome\":{\"result\":\"FAILURE\"}}\r\n{}\n";
    /// let lines: Vec<_> = f.candidate_lines(buf).collect();
    /// assert_eq!(lines, [33..66]);
    /// assert_eq!(&buf[lines[0].clone()], b"{\"outcome\":{\"result\":\"FAILURE\"}}\r");
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
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

/// Two filters are equal when they were written the same (equal trees: the
/// same canonical text) and have the same options (ignore-case, invert,
/// since, until, keywords).
///
/// ```
/// use oktaql::Filter;
///
/// let a = Filter::parse(r#"a eq "x"  and (b pr)"#)?;
/// assert_eq!(a, Filter::parse(r#"a eq "x" and b pr"#)?);
/// assert_ne!(a, Filter::builder().ignore_case(true).parse(r#"a eq "x" and b pr"#)?);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.ast == other.ast && self.options == other.options && self.sigma == other.sigma
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
/// with [`FilterBuilder::empty_selects_all`]). A filter built from a Sigma
/// rule ([`rules`]) has no text in this language: it prints as the rule's
/// detection in a canonical form, which does not parse as a filter.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.ast, &self.sigma) {
            (Some(ast), _) => fmt::Display::fmt(ast, f),
            (None, Some(s)) => f.write_str(s),
            (None, None) => Ok(()),
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
///
/// ```
/// use oktaql::Filter;
///
/// // One builder, many filters.
/// let builder = Filter::builder().ignore_case(true);
/// let a = builder.parse(r#"eventType eq "USER.SESSION.START""#)?;
/// let b = builder.parse(r#"outcome.result eq "failure""#)?;
/// assert!(a.matches_json(br#"{"eventType":"user.session.start"}"#)?);
/// assert!(b.matches_json(br#"{"outcome":{"result":"FAILURE"}}"#)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    /// A builder with the default options: case-sensitive strings, nest
    /// limit [`DEFAULT_NEST_LIMIT`], no invert, since, until or keywords, and
    /// an empty text is an error. The same as [`Filter::builder`].
    ///
    /// ```
    /// use oktaql::{Filter, FilterBuilder};
    ///
    /// let f = FilterBuilder::new().parse(r#"eventType eq "user.session.start""#)?;
    /// assert_eq!(f, Filter::parse(r#"eventType eq "user.session.start""#)?);
    /// assert!(FilterBuilder::new().parse("").is_err());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
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
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::builder().ignore_case(true).parse(r#"actor.alternateId sw "ALICE@""#)?;
    /// assert!(f.matches_json(br#"{"actor":{"alternateId":"alice@example.com"}}"#)?);
    /// let exact = Filter::parse(r#"actor.alternateId sw "ALICE@""#)?;
    /// assert!(!exact.matches_json(br#"{"actor":{"alternateId":"alice@example.com"}}"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn ignore_case(mut self, yes: bool) -> FilterBuilder {
        self.options.ignore_case = yes;
        self
    }

    /// How many levels of `(`, `not (` and `[` to accept (default
    /// [`DEFAULT_NEST_LIMIT`], at most [`MAX_NEST_LIMIT`]).
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let text = r#"not (not (eventType eq "user.session.start"))"#;
    /// assert!(Filter::builder().nest_limit(2).parse(text).is_ok());
    /// assert!(Filter::builder().nest_limit(1).parse(text).is_err());
    /// ```
    #[must_use]
    pub fn nest_limit(mut self, levels: usize) -> FilterBuilder {
        self.nest_limit = levels.min(MAX_NEST_LIMIT);
        self
    }

    /// Select the events the filter text does *not* match (grep's `-v`).
    /// `since`, `until` and `keywords` still apply: they narrow the search,
    /// they are not part of what is inverted.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::builder().invert(true).parse(r#"outcome.result eq "SUCCESS""#)?;
    /// assert!(f.matches_json(br#"{"outcome":{"result":"FAILURE"}}"#)?);
    /// assert!(!f.matches_json(br#"{"outcome":{"result":"SUCCESS"}}"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn invert(mut self, yes: bool) -> FilterBuilder {
        self.options.invert = yes;
        self
    }

    /// Okta's `since` parameter: only events whose `published` is a date-time
    /// at or after `t`.
    ///
    /// ```
    /// use oktaql::{Filter, Timestamp};
    ///
    /// let f = Filter::builder()
    ///     .since(Some(Timestamp::parse("2025-03-03")?))
    ///     .parse(r#"eventType eq "user.session.start""#)?;
    /// assert!(f.matches_json(br#"{"eventType":"user.session.start","published":"2025-03-03T00:00:00.000Z"}"#)?);
    /// assert!(!f.matches_json(br#"{"eventType":"user.session.start","published":"2025-03-02T23:59:59.999Z"}"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn since(mut self, t: Option<Timestamp>) -> FilterBuilder {
        self.options.since = t;
        self
    }

    /// Okta's `until` parameter: only events whose `published` is a date-time
    /// before `t`.
    ///
    /// ```
    /// use oktaql::{Filter, Timestamp};
    ///
    /// let f = Filter::builder()
    ///     .until(Some(Timestamp::parse("2025-03-03")?))
    ///     .parse(r#"eventType eq "user.session.start""#)?;
    /// assert!(f.matches_json(br#"{"eventType":"user.session.start","published":"2025-03-02T23:59:59.999Z"}"#)?);
    /// // `until` is exclusive.
    /// assert!(!f.matches_json(br#"{"eventType":"user.session.start","published":"2025-03-03T00:00:00.000Z"}"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn until(mut self, t: Option<Timestamp>) -> FilterBuilder {
        self.options.until = t;
        self
    }

    /// Okta's `q` keyword search, combined with the filter by AND.
    ///
    /// ```
    /// use oktaql::{Filter, Keywords};
    ///
    /// let f = Filter::builder()
    ///     .keywords(Some(Keywords::parse("alice")?))
    ///     .parse(r#"eventType eq "user.session.start""#)?;
    /// assert!(f.matches_json(br#"{"eventType":"user.session.start","actor":{"alternateId":"alice@example.com"}}"#)?);
    /// assert!(!f.matches_json(br#"{"eventType":"user.session.start","actor":{"alternateId":"bob@example.com"}}"#)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let builder = Filter::builder().nest_limit(1);
    /// assert!(builder.parse(r#"(eventType eq "user.session.start")"#).is_ok());
    /// assert!(builder.parse(r#"((eventType eq "user.session.start"))"#).is_err());
    /// ```
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
            sigma: None,
            ir,
            index,
            prefilter,
        }
    }

    /// A filter from what a Sigma rule lowers to (`rules/sigma.rs`), with
    /// the time window of `options` folded in as for a filter's text;
    /// `canonical` is the rule's detection as it prints.
    #[cfg(feature = "rules")]
    pub(crate) fn from_sigma(root: ir::Node, options: Options, canonical: String) -> Filter {
        let ir = lower::fold_options(root, &options);
        let mut f = Filter::from_parts(None, options, ir);
        f.sigma = Some(canonical.into());
        f
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
