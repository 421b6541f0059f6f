//! Lint: what in a filter Okta's API would reject, and what would run but
//! probably not as meant, from the spanned parse tree (what the user
//! wrote) and what oktaql knows of Okta's LogEvent and API (the facts in
//! `data/okta/`, with their sources).
//!
//! Each [`Finding`] has a [`Code`], a [`Severity`], the byte span it is
//! about, a message, and maybe a suggestion (the text to put in the span's
//! place) and a help line. `grammar.md` (CHECKS) documents every code.
//!
//! ```
//! use oktaql::check::{self, Code, Options, Severity};
//!
//! let text = r#"eventtype eq "user.session.start" and outcome.result eq "success""#;
//! let findings = check::check(text, &Options::new())?;
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].code(), Code::UnknownField);
//! assert_eq!(findings[0].severity(), Severity::Warning);
//! assert_eq!((findings[0].offset(), findings[0].len()), (0, 9));
//! assert_eq!(findings[0].suggestion(), Some("eventType"));
//! assert_eq!(findings[1].code(), Code::EnumValue);
//! assert_eq!(findings[1].suggestion(), Some(r#""SUCCESS""#));
//! assert_eq!(
//!     findings[0].display(text).to_string(),
//!     "warning[unknown-field]: no LogEvent is known to have `eventtype`\n\
//!      eventtype eq \"user.session.start\" and outcome.result eq \"success\"\n\
//!      ^^^^^^^^^\n\
//!      help: did you mean `eventType`?"
//! );
//!
//! // With ignore-case (the command's -i), "success" matches SUCCESS.
//! let findings = check::check(text, &Options::new().ignore_case(true))?;
//! assert_eq!(findings.len(), 1);
//! # Ok::<(), oktaql::ParseError>(())
//! ```
//!
//! The empty-answer notes of the command live here too: [`Watch`] collects,
//! while events are read, which of the filter's paths occur and which
//! paths events have, and names the closest ones with the same
//! did-you-mean.

mod census;
mod facts;
mod similar;

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::ast::{AttrPath, CompareOp, Expr, Literal, Span};
use crate::diag::Caret;
use crate::error::ParseError;
use crate::path::Path;
use crate::time::Timestamp;

pub use census::{each_path, Batch, Census, Note, Watch, MAX_PATHS, MAX_PATH_LEN};

use facts::{facts, Place};

/// How bad a finding is.
///
/// ```
/// use oktaql::check::{self, Options, Severity};
///
/// let findings = check::check(r#"published gt "2025-03-03" and outcome.result eq "success""#, &Options::new())?;
/// let severities: Vec<Severity> = findings.iter().map(|f| f.severity()).collect();
/// assert_eq!(severities, [Severity::Error, Severity::Warning]);
/// // Errors sort before warnings.
/// assert!(Severity::Error < Severity::Warning);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Okta's API would reject the filter.
    Error,
    /// Okta would run it, but it probably does not mean what was meant.
    Warning,
}

impl Severity {
    /// The severity's name, as printed: `error` or `warning`.
    ///
    /// ```
    /// use oktaql::check::Severity;
    ///
    /// assert_eq!(Severity::Error.as_str(), "error");
    /// assert_eq!(Severity::Warning.to_string(), "warning");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about; each has a fixed severity and a name
/// (`value-path`, ...), documented in `grammar.md` (CHECKS).
///
/// ```
/// use oktaql::check::{self, Code, Options};
///
/// let codes = |text: &str| -> Vec<Code> {
///     check::check(text, &Options::new()).unwrap().iter().map(|f| f.code()).collect()
/// };
/// assert_eq!(codes(r#"target[type eq "User"]"#), [Code::ValuePath]);
/// assert_eq!(codes(r#"debugContext.debugData.requestUri co "/login""#), [Code::UnsupportedOperator]);
/// assert_eq!(codes(r#"debugContext.debugData.requestURI sw "/login""#), [Code::MapKeyCase]);
/// assert!(codes(r#"eventType eq "user.session.start""#).is_empty());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// `attr[...]`: an oktaql extension that Okta rejects.
    ValuePath,
    /// `published` in a filter: Okta rejects it (use `since`/`until`).
    Published,
    /// An operator Okta rejects on that field (E0000031): `co` on
    /// `debugContext.debugData.url` or `.requestUri`.
    UnsupportedOperator,
    /// `target.changeDetails` (and its `from`/`to`): not queryable.
    ChangeDetails,
    /// A path no LogEvent is known to have (outside free-form maps).
    UnknownField,
    /// A free-form map's key that Okta's events spell with other case or
    /// underscores (`debugData.requestURI` for `requestUri`).
    MapKeyCase,
    /// A string outside a documented enum (`outcome.result eq "success"`).
    EnumValue,
}

impl Code {
    /// Every code, in the order `grammar.md` (CHECKS) lists them.
    ///
    /// ```
    /// use oktaql::check::{Code, Severity};
    ///
    /// assert_eq!(Code::ALL.len(), 7);
    /// let errors = Code::ALL.iter().filter(|c| c.severity() == Severity::Error).count();
    /// assert_eq!(errors, 4);
    /// ```
    pub const ALL: [Code; 7] = [
        Code::ValuePath,
        Code::Published,
        Code::UnsupportedOperator,
        Code::ChangeDetails,
        Code::UnknownField,
        Code::MapKeyCase,
        Code::EnumValue,
    ];

    /// The code's name, as printed: `value-path`, `unknown-field`, ...
    ///
    /// ```
    /// use oktaql::check::Code;
    ///
    /// assert_eq!(Code::UnknownField.as_str(), "unknown-field");
    /// assert_eq!(Code::UnsupportedOperator.to_string(), "unsupported-operator");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ValuePath => "value-path",
            Code::Published => "published",
            Code::UnsupportedOperator => "unsupported-operator",
            Code::ChangeDetails => "change-details",
            Code::UnknownField => "unknown-field",
            Code::MapKeyCase => "map-key-case",
            Code::EnumValue => "enum-value",
        }
    }

    /// The code's severity: [`Severity::Error`] for what Okta's API rejects,
    /// [`Severity::Warning`] for what it runs.
    ///
    /// ```
    /// use oktaql::check::{Code, Severity};
    ///
    /// assert_eq!(Code::Published.severity(), Severity::Error);
    /// assert_eq!(Code::EnumValue.severity(), Severity::Warning);
    /// ```
    pub fn severity(self) -> Severity {
        match self {
            Code::ValuePath | Code::Published | Code::UnsupportedOperator | Code::ChangeDetails => {
                Severity::Error
            }
            Code::UnknownField | Code::MapKeyCase | Code::EnumValue => Severity::Warning,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about a filter text.
///
/// ```
/// use oktaql::check::{self, Code, Options};
///
/// let text = r#"outcome.result eq "FAILURE" and target[type eq "User"]"#;
/// let findings = check::check(text, &Options::new())?;
/// assert_eq!(findings.len(), 1);
/// let f = &findings[0];
/// assert_eq!(f.code(), Code::ValuePath);
/// assert_eq!(f.title(), "error[value-path]");
/// assert_eq!(&text[f.offset()..f.offset() + f.len()], r#"target[type eq "User"]"#);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    code: Code,
    span: Span,
    message: String,
    suggestion: Option<String>,
    help: Option<String>,
    /// Where the span starts in the text checked: line (from 1), the
    /// byte offset of that line, column (from 1, in characters).
    line: usize,
    line_start: usize,
    column: usize,
}

impl Finding {
    /// What the finding is about.
    ///
    /// ```
    /// use oktaql::check::{self, Code, Options};
    ///
    /// let findings = check::check(r#"published gt "2025-03-03""#, &Options::new())?;
    /// assert_eq!(findings[0].code(), Code::Published);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn code(&self) -> Code {
        self.code
    }

    /// How bad it is: the severity of its [`code`](Finding::code).
    ///
    /// ```
    /// use oktaql::check::{self, Options, Severity};
    ///
    /// let findings = check::check(r#"outcome.result eq "failure""#, &Options::new())?;
    /// assert_eq!(findings[0].severity(), Severity::Warning);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The bytes of the filter text it is about.
    ///
    /// ```
    /// use oktaql::ast::Span;
    /// use oktaql::check::{self, Options};
    ///
    /// let findings = check::check(r#"eventType eq "a" or actr.id pr"#, &Options::new())?;
    /// assert_eq!(findings[0].span(), Span::new(20, 27));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }

    /// Where the span starts, in bytes.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let findings = check::check(r#"eventType eq "a" or actr.id pr"#, &Options::new())?;
    /// assert_eq!(findings[0].offset(), 20);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.span.start
    }

    /// The span's length in bytes.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let findings = check::check(r#"eventType eq "a" or actr.id pr"#, &Options::new())?;
    /// assert_eq!(findings[0].len(), "actr.id".len());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.span.end - self.span.start
    }

    /// Whether the span is empty (it never is for the parser's trees).
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let findings = check::check(r#"actr.id pr"#, &Options::new())?;
    /// assert!(!findings[0].is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What is wrong, one short lower-case line.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let findings = check::check(r#"actr.id pr"#, &Options::new())?;
    /// assert_eq!(findings[0].message(), "no LogEvent is known to have `actr.id`");
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Text to put in the span's place, when there is one: a path, a
    /// literal as written in a filter (`"SUCCESS"`), a filter, or for
    /// `published` the command-line option to use instead.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = r#"outcome.result eq "failure""#;
    /// let f = &check::check(text, &Options::new())?[0];
    /// assert_eq!(f.suggestion(), Some(r#""FAILURE""#));
    /// // Applying it.
    /// let fixed = format!("{}{}{}", &text[..f.offset()], f.suggestion().unwrap(), &text[f.offset() + f.len()..]);
    /// assert!(check::check(&fixed, &Options::new())?.is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }

    /// What to do, in words (the text form's `help:` line).
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let f = &check::check(r#"eventtype pr"#, &Options::new())?[0];
    /// assert_eq!(f.help(), Some("did you mean `eventType`?"));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// `error[value-path]` or `warning[unknown-field]`.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let f = &check::check(r#"eventtype pr"#, &Options::new())?[0];
    /// assert_eq!(f.title(), "warning[unknown-field]");
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn title(&self) -> String {
        format!("{}[{}]", self.severity(), self.code)
    }

    /// The line of the filter where the span starts, from 1.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = "eventType eq \"user.session.start\"\nand outcome.result eq \"failure\"";
    /// let f = &check::check(text, &Options::new())?[0];
    /// assert_eq!((f.line(), f.column()), (2, 23));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column where the span starts, from 1, in characters.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// // Columns count characters: "é" is one column, two bytes.
    /// let text = r#"actor.displayName eq "é" and actr.id pr"#;
    /// let f = &check::check(text, &Options::new())?[0];
    /// assert_eq!((f.offset(), f.column()), (30, 30));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn column(&self) -> usize {
        self.column
    }

    /// The caret diagram of the span in `text` (the filter checked): a line
    /// longer than [`diag::WINDOW`](crate::diag::WINDOW) characters is
    /// shown as a window around the span.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = r#"outcome.result eq "failure""#;
    /// let f = &check::check(text, &Options::new())?[0];
    /// assert_eq!(f.caret(text).to_string(), format!("{text}\n{}{}", " ".repeat(18), "^".repeat(9)));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn caret(&self, text: &str) -> Caret {
        Caret::at(
            text,
            self.span.start..self.span.end,
            self.line_start,
            self.line,
            self.column,
        )
    }

    /// The text form, rustc-style: `warning[unknown-field]: message`, the
    /// filter's line with carets under the span, and `help: ...`. With
    /// [`FindingDisplay::file`], the message is preceded by `FILE:LINE: `,
    /// as the command's parse errors are.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = r#"published gt "2025-03-03""#;
    /// let f = &check::check(text, &Options::new())?[0];
    /// let shown = f.display(text).to_string();
    /// assert!(shown.starts_with("error[published]: "));
    /// assert!(shown.contains(&format!("\n{text}\n^^^^^^^^^")));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn display<'a>(&'a self, text: &'a str) -> FindingDisplay<'a> {
        FindingDisplay {
            finding: self,
            text,
            file: None,
        }
    }

    /// One JSON object (one line): `code`, `severity`, `offset`, `length`
    /// (bytes), `line`, `column` (from 1, in characters), `message`,
    /// `suggestion` and `help` (strings or null).
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = "eventtype pr";
    /// let f = &check::check(text, &Options::new())?[0];
    /// assert_eq!(
    ///     f.to_json(text),
    ///     r#"{"code":"unknown-field","severity":"warning","offset":0,"length":9,"line":1,"column":1,"message":"no LogEvent is known to have `eventtype`","suggestion":"eventType","help":"did you mean `eventType`?"}"#,
    /// );
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn to_json(&self, text: &str) -> String {
        let _ = text;
        json_line(
            self.code.as_str(),
            self.severity(),
            self.span,
            (self.line, self.column),
            &self.message,
            self.suggestion.as_deref(),
            self.help.as_deref(),
        )
    }
}

/// A finding in text form (see [`Finding::display`]).
///
/// ```
/// use oktaql::check::{self, Options};
///
/// let text = "eventtype pr";
/// let f = &check::check(text, &Options::new())?[0];
/// assert_eq!(
///     f.display(text).to_string(),
///     "warning[unknown-field]: no LogEvent is known to have `eventtype`\n\
///      eventtype pr\n\
///      ^^^^^^^^^\n\
///      help: did you mean `eventType`?",
/// );
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FindingDisplay<'a> {
    finding: &'a Finding,
    text: &'a str,
    file: Option<&'a str>,
}

impl<'a> FindingDisplay<'a> {
    /// Names the file the filter came from.
    ///
    /// ```
    /// use oktaql::check::{self, Options};
    ///
    /// let text = "eventType eq \"a\"\nor eventtype pr";
    /// let f = &check::check(text, &Options::new())?[0];
    /// let shown = f.display(text).file("rules/login.okta").to_string();
    /// assert!(shown.starts_with("warning[unknown-field]: rules/login.okta:2: no LogEvent"));
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    #[must_use]
    pub fn file(mut self, name: &'a str) -> FindingDisplay<'a> {
        self.file = Some(name);
        self
    }
}

impl fmt::Display for FindingDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fi = self.finding;
        let caret = fi.caret(self.text);
        write!(f, "{}: ", fi.title())?;
        if let Some(name) = self.file {
            write!(f, "{name}:{}: ", caret.line_number())?;
        }
        write!(f, "{}\n{caret}", fi.message)?;
        if let Some(help) = &fi.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

fn json_line(
    code: &str,
    severity: Severity,
    span: Span,
    (line, column): (usize, usize),
    message: &str,
    suggestion: Option<&str>,
    help: Option<&str>,
) -> String {
    let s = |v: &str| serde_json::Value::from(v).to_string();
    let opt = |v: Option<&str>| v.map_or_else(|| "null".to_owned(), s);
    format!(
        r#"{{"code":{},"severity":"{}","offset":{},"length":{},"line":{},"column":{},"message":{},"suggestion":{},"help":{}}}"#,
        s(code),
        severity,
        span.start,
        span.end.saturating_sub(span.start),
        line,
        column,
        s(message),
        opt(suggestion),
        opt(help),
    )
}

/// A filter that does not parse as a JSON line in the form of
/// [`Finding::to_json`]: code `parse-error`, severity `error`, the error's
/// offset and length, its message.
///
/// ```
/// use oktaql::check::parse_error_json;
/// use oktaql::Filter;
///
/// let err = Filter::parse("eventType eq").unwrap_err();
/// let json: serde_json::Value = serde_json::from_str(&parse_error_json(&err))?;
/// assert_eq!(json["code"], "parse-error");
/// assert_eq!(json["severity"], "error");
/// assert_eq!(json["offset"], 12);
/// assert_eq!(json["message"], err.message());
/// assert_eq!(json["suggestion"], serde_json::Value::Null);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_error_json(e: &ParseError) -> String {
    let caret = e.caret();
    json_line(
        "parse-error",
        Severity::Error,
        e.span(),
        (caret.line_number(), caret.column()),
        &e.message(),
        None,
        None,
    )
}

/// What a check takes into account beyond the text.
///
/// ```
/// use oktaql::check::{self, Options};
///
/// let text = r#"outcome.result eq "failure""#;
/// assert_eq!(check::check(text, &Options::new())?.len(), 1);
/// assert!(check::check(text, &Options::new().ignore_case(true))?.is_empty());
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    ignore_case: bool,
}

impl Options {
    /// The default: the filter will run case-sensitive.
    ///
    /// ```
    /// use oktaql::check::Options;
    ///
    /// assert_eq!(Options::new(), Options::default());
    /// assert_eq!(Options::new(), Options::new().ignore_case(false));
    /// ```
    pub fn new() -> Options {
        Options::default()
    }

    /// The filter will run ignoring case (the command's `-i`): a string
    /// that equals an enum value ignoring case is fine.
    ///
    /// ```
    /// use oktaql::check::{self, Code, Options};
    ///
    /// let text = r#"outcome.result eq "success""#;
    /// let strict = check::check(text, &Options::new())?;
    /// assert_eq!(strict[0].code(), Code::EnumValue);
    /// assert!(check::check(text, &Options::new().ignore_case(true))?.is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    #[must_use]
    pub fn ignore_case(mut self, yes: bool) -> Options {
        self.ignore_case = yes;
        self
    }
}

/// Parses `text` (nest limit [`DEFAULT_NEST_LIMIT`](crate::DEFAULT_NEST_LIMIT))
/// and checks it: the findings in the order of their spans. A text that
/// does not parse is the parse error.
///
/// ```
/// use oktaql::check::{self, Code, Options};
///
/// let text = r#"outcome.result eq "failure" or target[type eq "User"]"#;
/// let codes: Vec<Code> = check::check(text, &Options::new())?.iter().map(|f| f.code()).collect();
/// // In the order of their spans.
/// assert_eq!(codes, [Code::EnumValue, Code::ValuePath]);
/// assert!(check::check("outcome.result eq", &Options::new()).is_err());
/// # Ok::<(), oktaql::ParseError>(())
/// ```
pub fn check(text: &str, options: &Options) -> Result<Vec<Finding>, ParseError> {
    let ast = crate::parse::parse(text, crate::DEFAULT_NEST_LIMIT)?;
    Ok(check_ast(&ast, text, options))
}

/// Checks a parse tree of `text` (spans are offsets into it). A tree built
/// by hand gets findings too; where its spans do not fit `text`, they are
/// the nodes' spans as given.
///
/// ```
/// use oktaql::check::{self, Code, Options};
/// use oktaql::Filter;
///
/// let text = r#"eventType eq "user.session.start" and published gt "2025-03-03""#;
/// let filter = Filter::parse(text)?;
/// let findings = check::check_ast(filter.ast().unwrap(), text, &Options::new());
/// assert_eq!(findings.len(), 1);
/// assert_eq!(findings[0].code(), Code::Published);
/// assert_eq!(findings[0].offset(), 38);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
pub fn check_ast(ast: &Expr, text: &str, options: &Options) -> Vec<Finding> {
    let mut c = Checker {
        text,
        options,
        out: Vec::new(),
        unknown_seen: HashMap::new(),
    };
    c.run(ast);
    c.out.sort_by_key(|f| (f.span.start, f.span.end));
    // Lines and columns in one pass over the text.
    let (mut at, mut line, mut line_start, mut column) = (0, 1, 0, 1);
    for f in &mut c.out {
        let mut target = f.span.start.min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        for ch in text[at..target].chars() {
            if ch == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        if let Some(i) = text[line_start.max(at)..target].rfind('\n') {
            line_start = line_start.max(at) + i + 1;
        }
        at = target;
        (f.line, f.line_start, f.column) = (line, line_start, column);
    }
    c.out
}

/// The attribute paths a filter reads, each once, in the order written:
/// the paths of its comparisons and `pr`s, a value path's own path put in
/// front of those inside it (`target[type eq "User"]` reads `target.type`).
///
/// ```
/// use oktaql::check::filter_paths;
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"actor.id pr and target[type eq "User" and alternateId sw "a"] and actor.id ne "x""#)?;
/// let paths: Vec<String> = filter_paths(f.ast().unwrap()).iter().map(|p| p.to_string()).collect();
/// assert_eq!(paths, ["actor.id", "target.type", "target.alternateId"]);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
pub fn filter_paths(ast: &Expr) -> Vec<Path> {
    let mut out: Vec<Path> = Vec::new();
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let mut stack: Vec<(&Expr, Vec<String>)> = vec![(ast, Vec::new())];
    while let Some((e, prefix)) = stack.pop() {
        let mut leaf = |p: &AttrPath| {
            let names: Vec<String> = prefix.iter().chain(&p.names).cloned().collect();
            if !seen.contains(&names) {
                seen.insert(names.clone());
                out.push(Path::from_names(names));
            }
        };
        match e {
            Expr::Or(es, _) | Expr::And(es, _) => {
                stack.extend(es.iter().rev().map(|e| (e, prefix.clone())))
            }
            Expr::Not(inner, _) => stack.push((inner, prefix)),
            Expr::Compare(c) => leaf(&c.path),
            Expr::Present(p, _) => leaf(p),
            Expr::ValuePath(p, inner, _) => {
                let mut full = prefix;
                full.extend(p.names.iter().cloned());
                stack.push((inner, full));
            }
        }
    }
    out
}

struct Checker<'a> {
    text: &'a str,
    options: &'a Options,
    out: Vec<Finding>,
    /// The suggestion and help for an unknown path (dotted) written after
    /// a value path prefix of this many names: a long `or` of one unknown
    /// path looks for the closest known path once.
    unknown_seen: HashMap<(String, usize), (Option<String>, Option<String>)>,
}

/// A node to look at, and where it stands.
struct Item<'e> {
    expr: &'e Expr,
    /// The names of the value paths around it.
    prefix: Vec<String>,
    /// The value paths around it are all known paths.
    prefix_known: bool,
    /// The node is the whole filter or one of its top-level `and`s.
    top: bool,
    /// The node's parent is an `and`.
    in_and: bool,
}

impl Checker<'_> {
    fn push(
        &mut self,
        code: Code,
        span: Span,
        message: String,
        suggestion: Option<String>,
        help: Option<String>,
    ) {
        self.out.push(Finding {
            code,
            span,
            message,
            suggestion,
            help,
            line: 1,
            line_start: 0,
            column: 1,
        });
    }

    fn run(&mut self, ast: &Expr) {
        let mut stack = vec![Item {
            expr: ast,
            prefix: Vec::new(),
            prefix_known: true,
            top: true,
            in_and: false,
        }];
        while let Some(item) = stack.pop() {
            let Item {
                expr,
                prefix,
                prefix_known,
                top,
                ..
            } = &item;
            match expr {
                Expr::Or(es, _) | Expr::And(es, _) => {
                    let and = matches!(expr, Expr::And(..));
                    stack.extend(es.iter().rev().map(|e| Item {
                        expr: e,
                        prefix: prefix.clone(),
                        prefix_known: *prefix_known,
                        top: *top && and,
                        in_and: and,
                    }));
                }
                Expr::Not(inner, _) => stack.push(Item {
                    expr: inner,
                    prefix: prefix.clone(),
                    prefix_known: *prefix_known,
                    top: false,
                    in_and: false,
                }),
                Expr::Compare(c) => {
                    self.path(&item, &c.path, Some((c.op, &c.value, c.span)));
                }
                Expr::Present(p, _) => {
                    self.path(&item, p, None);
                }
                Expr::ValuePath(p, inner, span) => {
                    self.value_path(&item, p, inner, *span);
                    let known = self.path(&item, p, None);
                    let mut full = prefix.clone();
                    full.extend(p.names.iter().cloned());
                    stack.push(Item {
                        expr: inner,
                        prefix: full,
                        prefix_known: *prefix_known && known,
                        top: false,
                        in_and: false,
                    });
                }
            }
        }
    }

    fn value_path(&mut self, item: &Item, p: &AttrPath, inner: &Expr, span: Span) {
        let flat = flatten(inner, &p.names, 0);
        // A single positive comparison means the same without the brackets.
        let same = matches!(inner, Expr::Present(..))
            || matches!(inner, Expr::Compare(c) if c.op != CompareOp::Ne);
        let suggestion = flat.map(|e| match e {
            Expr::Or(..) if item.in_and => format!("({e})"),
            e => e.to_string(),
        });
        let help = suggestion.as_ref().map(|s| {
            if same {
                format!("write `{s}`")
            } else {
                format!(
                    "write `{s}`, which Okta takes but which may select other events: its \
                     conditions need not hold on one and the same element of `{}`",
                    p_text(p)
                )
            }
        });
        self.push(
            Code::ValuePath,
            span,
            format!(
                "Okta's API rejects value paths (`{}[...]`): they are an oktaql extension",
                p_text(p)
            ),
            suggestion,
            help,
        );
    }

    /// Checks one path (of a comparison, a `pr` or a value path); returns
    /// whether it is a known path or lies under a free-form map.
    fn path(
        &mut self,
        item: &Item,
        p: &AttrPath,
        cmp: Option<(CompareOp, &Literal, Span)>,
    ) -> bool {
        let full: Vec<String> = item.prefix.iter().chain(&p.names).cloned().collect();
        let dotted = full.join(".");
        if full.len() == 1 && full[0] == "published" {
            self.published(item, p, cmp);
            return true;
        }
        if full.len() >= 2 && full[0] == "target" && full[1] == "changeDetails" {
            self.push(
                Code::ChangeDetails,
                p.span,
                "Okta's API cannot query `target.changeDetails` (nor its `from` and `to`)".into(),
                None,
                Some(
                    "select the events by eventType and target.id in Okta, then filter on \
                     changeDetails offline with oktaql"
                        .into(),
                ),
            );
            return true;
        }
        if let Some((CompareOp::Co, _, span)) = cmp {
            if matches!(
                dotted.as_str(),
                "debugContext.debugData.url" | "debugContext.debugData.requestUri"
            ) {
                self.push(
                    Code::UnsupportedOperator,
                    self.op_span(p, span),
                    format!(
                        "Okta's API rejects `co` on {dotted} (E0000031: the combination of \
                         operator and field is not supported)"
                    ),
                    None,
                    Some(
                        "ask Okta for the events with a filter it takes (on eventType, say) and \
                         apply `co` to them offline with oktaql"
                            .into(),
                    ),
                );
            }
        }
        if !item.prefix_known {
            return true;
        }
        let f = facts();
        match f.place(&full) {
            Place::Known(i) => {
                if let Some((op, lit, span)) = cmp {
                    self.enum_value(&dotted, &f.paths[i].values, p, op, lit, span);
                }
                true
            }
            Place::UnderMap { map, len } => {
                self.map_key(item, p, &full, map, len);
                true
            }
            Place::Unknown => {
                self.unknown(item, p, &full);
                false
            }
        }
    }

    fn published(&mut self, item: &Item, p: &AttrPath, cmp: Option<(CompareOp, &Literal, Span)>) {
        let mut suggestion = None;
        let mut help = "ask for a time window with the API's `since` and `until` parameters: \
                        `oktaql url --since T --until T` (oktaql takes the same options)"
            .to_owned();
        if let (true, Some((op, Literal::String(s), _))) = (item.top && item.prefix.is_empty(), cmp)
        {
            if Timestamp::parse(s).is_ok() {
                let (option, note) = match op {
                    CompareOp::Ge => ("--since", ""),
                    CompareOp::Gt => ("--since", "; it takes events at that instant too"),
                    CompareOp::Lt => ("--until", ""),
                    CompareOp::Le => ("--until", "; it leaves out events at that instant"),
                    _ => ("", ""),
                };
                if !option.is_empty() {
                    let s = format!("{option} {s}");
                    help = format!(
                        "remove the comparison and pass `{s}` (the API's `{}` parameter, which \
                         oktaql and oktaql url take too{note})",
                        &option[2..]
                    );
                    suggestion = Some(s);
                }
            }
        }
        self.push(
            Code::Published,
            p.span,
            "Okta's API rejects `published` in a filter (HTTP 400)".into(),
            suggestion,
            Some(help),
        );
    }

    fn unknown(&mut self, item: &Item, p: &AttrPath, full: &[String]) {
        let key = (full.join("."), item.prefix.len());
        let (suggestion, help) = match self.unknown_seen.get(&key) {
            Some(known) => known.clone(),
            None => {
                let fix = Self::closest_known(item, full);
                self.unknown_seen.insert(key, fix.clone());
                fix
            }
        };
        self.push(
            Code::UnknownField,
            p.span,
            format!("no LogEvent is known to have `{}`", full.join(".")),
            suggestion,
            help,
        );
    }

    /// The suggestion and help for an unknown path.
    fn closest_known(item: &Item, full: &[String]) -> (Option<String>, Option<String>) {
        let f = facts();
        let cands = f.candidates();
        let mut best = similar::closest(full, &cands);
        // Prefer the schema's paths to paths only seen in events.
        if best.iter().any(|&i| f.paths[i].schema) {
            best.retain(|&i| f.paths[i].schema);
        }
        let fixes: Vec<Vec<String>> = best
            .iter()
            .map(|&i| {
                let s = similar::score(full, &cands[i]).expect("scored before");
                similar::corrected(full, &cands[i], s)
            })
            .collect();
        // Within a value path, the suggestion replaces the names written.
        let k = item.prefix.len();
        let written: Vec<String> = fixes
            .iter()
            .filter(|fix| fix.len() > k && fix[..k] == item.prefix[..])
            .map(|fix| fix[k..].join("."))
            .collect();
        match written.as_slice() {
            [one] => (Some(one.clone()), Some(format!("did you mean `{one}`?"))),
            [] => (
                None,
                Some(
                    "Okta's API rejects fields it does not know (E0000053: field is not valid); \
                     check the spelling"
                        .to_owned(),
                ),
            ),
            many => (
                None,
                Some(format!(
                    "did you mean {}?",
                    many.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            ),
        }
    }

    /// A map's key (the name after the map) that Okta's events spell
    /// differently (case, underscores).
    fn map_key(&mut self, item: &Item, p: &AttrPath, full: &[String], map: usize, len: usize) {
        let f = facts();
        let key = &full[len];
        let keys: Vec<&str> = f.map_keys(map).map(|k| k.names[len].as_str()).collect();
        if keys.contains(&key.as_str()) {
            return;
        }
        let close: Vec<&str> = keys
            .into_iter()
            .filter(|k| {
                k.eq_ignore_ascii_case(key) || similar::style_key(k) == similar::style_key(key)
            })
            .collect();
        let [known] = close.as_slice() else {
            return;
        };
        let mut fixed = full.to_vec();
        fixed[len] = (*known).to_owned();
        let k = item.prefix.len();
        let suggestion = (fixed.len() > k).then(|| fixed[k..].join("."));
        let map_path = full[..len].join(".");
        self.push(
            Code::MapKeyCase,
            p.span,
            format!("Okta's events spell this {map_path} key `{known}`, not `{key}`"),
            suggestion.clone(),
            suggestion.map(|s| format!("did you mean `{s}`?")),
        );
    }

    fn enum_value(
        &mut self,
        dotted: &str,
        values: &[String],
        p: &AttrPath,
        op: CompareOp,
        lit: &Literal,
        span: Span,
    ) {
        let Literal::String(s) = lit else { return };
        if values.is_empty() {
            return;
        }
        let ic = self.options.ignore_case;
        let fold = |v: &str| v.to_lowercase();
        let holds = |v: &str| {
            let (v, s) = if ic {
                (fold(v), fold(s))
            } else {
                (v.to_owned(), s.clone())
            };
            match op {
                CompareOp::Eq | CompareOp::Ne => v == s,
                CompareOp::Co => v.contains(&s),
                CompareOp::Sw => v.starts_with(&s),
                CompareOp::Ew => v.ends_with(&s),
                // Orderings are not about one value.
                _ => true,
            }
        };
        if values.iter().any(|v| holds(v)) {
            return;
        }
        let quoted = |v: &str| {
            let mut out = String::new();
            let _ = crate::json::write_string(&mut out, v);
            out
        };
        let list = values.join(", ");
        let (message, suggestion, help) = match op {
            CompareOp::Eq | CompareOp::Ne => {
                let close = closest_value(values, s).map(quoted);
                let help = match &close {
                    Some(v) => format!("did you mean {v}? ({dotted} is one of {list})"),
                    None => format!("{dotted} is one of {list}"),
                };
                (
                    format!("{} is not a value of {dotted}", quoted(s)),
                    close,
                    help,
                )
            }
            _ => (
                format!(
                    "no value of {dotted} {} {}",
                    match op {
                        CompareOp::Co => "contains",
                        CompareOp::Sw => "starts with",
                        _ => "ends with",
                    },
                    quoted(s)
                ),
                None,
                format!("{dotted} is one of {list}"),
            ),
        };
        self.push(
            Code::EnumValue,
            self.value_span(p, span),
            message,
            suggestion,
            Some(help),
        );
    }

    /// The span of a comparison's operator, found in the text after the
    /// path; the comparison's span if the text does not fit.
    fn op_span(&self, p: &AttrPath, cmp: Span) -> Span {
        self.after_path(p, cmp).map(|(op, _)| op).unwrap_or(cmp)
    }

    /// The span of a comparison's value.
    fn value_span(&self, p: &AttrPath, cmp: Span) -> Span {
        self.after_path(p, cmp).map(|(_, v)| v).unwrap_or(cmp)
    }

    /// The operator's and the value's spans, read from the text between
    /// the end of the path and the end of the comparison.
    fn after_path(&self, p: &AttrPath, cmp: Span) -> Option<(Span, Span)> {
        let rest = self.text.get(p.span.end..cmp.end)?;
        let ws = |s: &str| s.len() - s.trim_start_matches([' ', '\t', '\r', '\n']).len();
        let op_start = p.span.end + ws(rest);
        let op = self.text.get(op_start..op_start + 2)?;
        if !CompareOp::ALL
            .iter()
            .any(|o| o.as_str().eq_ignore_ascii_case(op))
        {
            return None;
        }
        let after = self.text.get(op_start + 2..cmp.end)?;
        let v_start = op_start + 2 + ws(after);
        (v_start < cmp.end).then_some((
            Span::new(op_start, op_start + 2),
            Span::new(v_start, cmp.end),
        ))
    }
}

/// The enum value `s` most likely meant, if one stands out: equal
/// ignoring case, then the same letters ignoring `_`/`-`, then a small
/// edit, then a prefix of the other (`WARNING`, `WARN`) or at least four
/// letters in common at the start; each rule must single out one value.
fn closest_value<'v>(values: &'v [String], s: &str) -> Option<&'v str> {
    let lower = |v: &str| v.to_lowercase();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let rules: [&dyn Fn(&str) -> bool; 4] = [
        &|v| lower(v) == lower(s),
        &|v| similar::style_key(v) == similar::style_key(s),
        &|v| similar::near(s, v),
        &|v| {
            let (v, s) = (lower(v), lower(s));
            !s.is_empty() && (v.starts_with(&s) || s.starts_with(&v) || common(&v, &s) >= 4)
        },
    ];
    for rule in rules {
        let mut hits = values.iter().filter(|v| rule(v));
        if let (Some(v), None) = (hits.next(), hits.next()) {
            return Some(v);
        }
    }
    None
}

/// How deep a value path's inside may nest for a suggestion.
const FLATTEN_DEPTH: usize = 32;

fn p_text(p: &AttrPath) -> String {
    p.names.join(".")
}

/// `inner` with `prefix` put in front of every path (value paths inside
/// flattened too); `None` when nested deeper than [`FLATTEN_DEPTH`] (no
/// suggestion then: it would be no help to read).
fn flatten(inner: &Expr, prefix: &[String], depth: usize) -> Option<Expr> {
    if depth > FLATTEN_DEPTH {
        return None;
    }
    let path = |p: &AttrPath| AttrPath {
        names: prefix.iter().chain(&p.names).cloned().collect(),
        span: p.span,
    };
    Some(match inner {
        Expr::Or(es, s) => Expr::Or(
            es.iter()
                .map(|e| flatten(e, prefix, depth + 1))
                .collect::<Option<_>>()?,
            *s,
        ),
        Expr::And(es, s) => Expr::And(
            es.iter()
                .map(|e| flatten(e, prefix, depth + 1))
                .collect::<Option<_>>()?,
            *s,
        ),
        Expr::Not(e, s) => Expr::Not(Box::new(flatten(e, prefix, depth + 1)?), *s),
        Expr::Compare(c) => {
            let mut c = c.clone();
            c.path = path(&c.path);
            Expr::Compare(c)
        }
        Expr::Present(p, s) => Expr::Present(path(p), *s),
        Expr::ValuePath(p, e, _) => {
            let full: Vec<String> = prefix.iter().chain(&p.names).cloned().collect();
            flatten(e, &full, depth + 1)?
        }
    })
}
