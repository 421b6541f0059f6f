//! Rule packs: catalogues of detections, each a filter with a name, loaded
//! from YAML files and matched in one pass.
//!
//! ```
//! use oktaql::rules::{LoadOptions, Loader};
//!
//! let mut loader = Loader::new(LoadOptions::new());
//! loader.add_yaml(
//!     "title: AD import started by hand
//! id: ad-import-manual
//! level: medium
//! filter: eventType eq \"system.import.start\" and debugContext.debugData.importTrigger eq \"Manual action\"
//! ",
//!     "manual.yml",
//! );
//! let (set, problems) = loader.finish();
//! assert!(problems.is_empty());
//! let mut hits = Vec::new();
//! set.matches_json(
//!     br#"{"eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Manual action"}}}"#,
//!     &mut hits,
//! )?;
//! assert_eq!(hits, [0]);
//! assert_eq!(set.rules()[0].id(), "ad-import-manual");
//! # Ok::<(), oktaql::JsonError>(())
//! ```
//!
//! # Formats
//!
//! A file holds one rule or several YAML documents (`---`); each document
//! is read by the format its keys name:
//!
//! - **oktaql's own format**: `filter:` at the top level (the filter text),
//!   `title`, `id`, optional `level` (`informational`, `low`, `medium`,
//!   `high`, `critical`), `ignore_case: true`, `keywords: WORDS` (as the
//!   command's `-k`), and the descriptive keys of Okta's format
//!   (`description`, `references`, `author`, `created_date`,
//!   `modified_date`, `date`, `modified`, `status`, `tags`, `threat`,
//!   `prevention`, `false_positives`). Any other key is a warning.
//! - **Okta's format** (github.com/okta/customer-detections): `title`, `id`,
//!   the filter in `detection.okta_systemlog.OIE` (or `Classic`, chosen by
//!   [`LoadOptions::engine`]), trimmed. It has no level. A rule that
//!   carries only a `splunk` query counts events by a key over a period,
//!   which a filter cannot say: it is not loaded.
//!
//! # Problems
//!
//! Nothing is skipped in silence: [`Loader::finish`] returns every
//! [`Problem`] in the order met. A document with both `filter` and
//! `detection`, an unknown `level`, a missing `id` or `title`, or a filter
//! that does not parse is a rule not loaded (the other documents of its
//! file still load); of two rules with one `id`, the second is not loaded
//! and both places are named. A file that is not valid YAML is one problem
//! placed at the parser's line and column. Each loaded rule's filter is
//! linted as `oktaql check` lints a filter, and the findings are warnings
//! placed in the rule file.
//!
//! # One pass
//!
//! A [`RuleSet`] answers "which rules select this event" for raw JSON bytes
//! and for `serde_json::Value`s, with the same answer as each rule's own
//! [`Filter`].

mod native;
mod okta;
mod rewrite;
mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::check::{self, Finding};
use crate::diag::Caret;
use crate::sql::{Dialect, SqlError};
use crate::{Filter, FilterSet, JsonError, Keywords, Timestamp};

use yaml::{Document, Kind, Node, Pos, Style};

/// The keys of oktaql's own rule format (`examples/rules/oktaql-rule.schema.json`
/// describes them for editors).
pub const OKTAQL_KEYS: &[&str] = native::KEYS;

/// How severe a rule says its hits are, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `informational`
    Informational,
    /// `low`
    Low,
    /// `medium`
    Medium,
    /// `high`
    High,
    /// `critical`
    Critical,
}

impl Level {
    /// Every level, least severe first.
    pub const ALL: [Level; 5] = [
        Level::Informational,
        Level::Low,
        Level::Medium,
        Level::High,
        Level::Critical,
    ];

    /// The level's name as rule files write it.
    ///
    /// ```
    /// use oktaql::rules::Level;
    ///
    /// assert_eq!(Level::Critical.as_str(), "critical");
    /// assert_eq!("high".parse::<Level>(), Ok(Level::High));
    /// assert!(Level::Low < Level::Medium);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not a level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLevel(pub String);

impl fmt::Display for UnknownLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown level `{}` (informational, low, medium, high, critical)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLevel {}

impl FromStr for Level {
    type Err = UnknownLevel;

    fn from_str(s: &str) -> Result<Level, UnknownLevel> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}

/// The format a rule was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// oktaql's own format (`filter:` at the top level).
    Oktaql,
    /// Okta's customer-detections format (`detection.okta_systemlog`).
    Okta,
}

impl Format {
    /// The format's name: `oktaql`, `okta`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Oktaql => "oktaql",
            Format::Okta => "okta",
        }
    }
}

/// Which of Okta's filters a rule in Okta's format is read with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// `detection.okta_systemlog.OIE` (Okta Identity Engine), the default.
    #[default]
    Oie,
    /// `detection.okta_systemlog.Classic` (Okta Classic Engine).
    Classic,
}

impl Engine {
    /// The key in `detection.okta_systemlog`: `OIE` or `Classic`.
    pub fn key(self) -> &'static str {
        match self {
            Engine::Oie => "OIE",
            Engine::Classic => "Classic",
        }
    }
}

/// A loaded rule.
#[derive(Clone, Debug)]
pub struct Rule {
    id: String,
    title: String,
    level: Option<Level>,
    description: Option<String>,
    format: Format,
    path: String,
    line: usize,
    text: String,
    ignore_case: bool,
    keywords: Option<String>,
    filter: Filter,
}

impl Rule {
    /// The rule's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rule's `title`.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The rule's `level`, if it has one (Okta's format has none).
    pub fn level(&self) -> Option<Level> {
        self.level
    }

    /// The rule's `description`, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The format it was written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The file (or the name given to [`Loader::add_yaml`]) it came from.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The line of its file where its document starts.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The filter text as the rule wrote it (trimmed).
    pub fn filter_text(&self) -> &str {
        &self.text
    }

    /// Whether the rule compares strings ignoring case (its own
    /// `ignore_case`, or [`LoadOptions::ignore_case`]).
    pub fn ignore_case(&self) -> bool {
        self.ignore_case
    }

    /// The rule's `keywords`, as written.
    pub fn keywords(&self) -> Option<&str> {
        self.keywords.as_deref()
    }

    /// The compiled filter, options folded in.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
}

/// Options for loading rules: what every rule's filter gets beyond its
/// text, and which rules are kept.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    engine: Engine,
    ignore_case: bool,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    hidden: bool,
    min_level: Option<Level>,
    only: Vec<String>,
    exclude: Vec<String>,
}

impl LoadOptions {
    /// The defaults: Okta's OIE filters, case as each rule says, no time
    /// window, hidden files skipped, every rule kept.
    pub fn new() -> LoadOptions {
        LoadOptions::default()
    }

    /// Which of Okta's filters to read (default [`Engine::Oie`]).
    #[must_use]
    pub fn engine(mut self, engine: Engine) -> LoadOptions {
        self.engine = engine;
        self
    }

    /// Every rule compares strings ignoring case, whatever it says.
    #[must_use]
    pub fn ignore_case(mut self, yes: bool) -> LoadOptions {
        self.ignore_case = yes;
        self
    }

    /// Every rule selects only events published at or after `t`.
    #[must_use]
    pub fn since(mut self, t: Option<Timestamp>) -> LoadOptions {
        self.since = t;
        self
    }

    /// Every rule selects only events published before `t`.
    #[must_use]
    pub fn until(mut self, t: Option<Timestamp>) -> LoadOptions {
        self.until = t;
        self
    }

    /// Directories are walked into hidden names (starting with `.`) too.
    #[must_use]
    pub fn hidden(mut self, yes: bool) -> LoadOptions {
        self.hidden = yes;
        self
    }

    /// Only rules of this level and above are kept (rules without a level
    /// are then dropped).
    #[must_use]
    pub fn min_level(mut self, level: Option<Level>) -> LoadOptions {
        self.min_level = level;
        self
    }

    /// Only the rules with these ids are kept (all, when empty).
    #[must_use]
    pub fn only(mut self, ids: Vec<String>) -> LoadOptions {
        self.only = ids;
        self
    }

    /// The rules with these ids are dropped.
    #[must_use]
    pub fn exclude(mut self, ids: Vec<String>) -> LoadOptions {
        self.exclude = ids;
        self
    }

    fn keeps(&self, rule: &Rule) -> bool {
        if let Some(min) = self.min_level {
            if rule.level.is_none_or(|l| l < min) {
                return false;
            }
        }
        (self.only.is_empty() || self.only.contains(&rule.id)) && !self.exclude.contains(&rule.id)
    }
}

/// Why a rule was not loaded, in a word (for the summary line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Why {
    /// The file could not be read.
    Unreadable,
    /// The file is not valid YAML.
    Yaml,
    /// A key is missing or has a value of the wrong kind.
    Invalid,
    /// The filter does not parse.
    Syntax,
    /// The rule counts events over a period, which a filter cannot say.
    Counting,
    /// Another rule has the same id.
    Duplicate,
    /// A kind of rule this version does not run.
    Unsupported,
    /// The rule has no filter for the chosen engine.
    Engine,
}

impl Why {
    /// The word: `unreadable`, `yaml`, `invalid`, `syntax`, `counting`,
    /// `duplicate`, `unsupported`, `engine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Unreadable => "unreadable",
            Why::Yaml => "yaml",
            Why::Invalid => "invalid",
            Why::Syntax => "syntax",
            Why::Counting => "counting",
            Why::Duplicate => "duplicate",
            Why::Unsupported => "unsupported",
            Why::Engine => "engine",
        }
    }
}

/// What a [`Problem`] is.
#[derive(Clone, Debug)]
pub enum ProblemKind {
    /// A rule (or a whole file, for [`Why::Unreadable`] and [`Why::Yaml`])
    /// that is not loaded.
    NotLoaded {
        /// Why, in a word.
        why: Why,
        /// What is wrong.
        reason: String,
        /// The filter's line with carets under the spot, for a filter that
        /// does not parse.
        caret: Option<Caret>,
        /// What to write instead, where there is a rewrite.
        help: Option<String>,
    },
    /// A loaded rule's lint finding (`oktaql check`), or a key a format
    /// does not know.
    Warning {
        /// The finding's code (`unknown-field`, `unknown-key`).
        code: String,
        /// What it says.
        message: String,
        /// The filter's line with carets under the span, when the finding
        /// is in a filter.
        caret: Option<Caret>,
        /// What to do, if anything.
        help: Option<String>,
    },
}

/// A rule not loaded, or a warning about a loaded one, placed in its file.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The file.
    pub path: String,
    /// Its line (1-based).
    pub line: usize,
    /// Its column (1-based, in characters), where known.
    pub column: Option<usize>,
    /// What it is.
    pub kind: ProblemKind,
}

impl Problem {
    /// Whether this is a rule (or file) not loaded.
    pub fn is_not_loaded(&self) -> bool {
        matches!(self.kind, ProblemKind::NotLoaded { .. })
    }

    fn not_loaded(path: &str, pos: Pos, why: Why, reason: String, help: Option<String>) -> Problem {
        Problem {
            path: path.to_owned(),
            line: pos.line,
            column: None,
            kind: ProblemKind::NotLoaded {
                why,
                reason,
                caret: None,
                help,
            },
        }
    }
}

/// `PATH:LINE: rule not loaded: REASON` (and `help: ...` on the next
/// line), or `PATH:LINE:COL: warning[CODE]: MESSAGE` with the filter's line
/// and carets.
///
/// ```
/// use oktaql::rules::{LoadOptions, Loader};
///
/// let mut loader = Loader::new(LoadOptions::new());
/// loader.add_yaml("title: t\nid: a\nfilter: eventType in [\"x\", \"y\"]\n", "r.yml");
/// let (set, problems) = loader.finish();
/// assert!(set.is_empty());
/// let shown = problems[0].to_string();
/// assert!(shown.starts_with("r.yml:1: rule not loaded: the filter does not parse (line 3, column 19): expected an operator"), "{shown}");
/// assert!(shown.contains("\n  help: write: (eventType eq \"x\" or eventType eq \"y\")"), "{shown}");
/// ```
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        match &self.kind {
            ProblemKind::NotLoaded {
                why,
                reason,
                caret,
                help,
            } => {
                let what = if matches!(why, Why::Unreadable | Why::Yaml) {
                    "file not loaded"
                } else {
                    "rule not loaded"
                };
                write!(f, ": {what}: {reason}")?;
                if let Some(c) = caret {
                    write!(f, "\n  {}\n  {}", c.line(), c.underline())?;
                }
                if let Some(h) = help {
                    write!(f, "\n  help: {h}")?;
                }
            }
            ProblemKind::Warning {
                code,
                message,
                caret,
                help,
            } => {
                write!(f, ": warning[{code}]: {message}")?;
                if let Some(c) = caret {
                    write!(f, "\n  {}\n  {}", c.line(), c.underline())?;
                }
                if let Some(h) = help {
                    write!(f, "\n  help: {h}")?;
                }
            }
        }
        Ok(())
    }
}

/// Reads rule files and collects their rules and problems.
#[derive(Debug)]
pub struct Loader {
    options: LoadOptions,
    rules: Vec<Rule>,
    problems: Vec<Problem>,
    files: usize,
    /// Where each id was first loaded.
    ids: HashMap<String, (String, usize)>,
    not_loaded: usize,
}

/// What one document says, before its filter is compiled.
struct Spec {
    id: String,
    title: String,
    level: Option<Level>,
    description: Option<String>,
    format: Format,
    /// The filter text (trimmed) and where its characters are in the file.
    text: String,
    place: Place,
    ignore_case: bool,
    keywords: Option<String>,
    /// Warnings about the document itself (unknown keys).
    warnings: Vec<(Pos, String, String)>,
}

/// Where a filter's text stands in its file, to place findings.
#[derive(Clone, Debug)]
enum Place {
    /// On one line, from this position (a plain scalar).
    Inline(Pos),
    /// A block scalar: text line `i` is file line `first + i`, indented by
    /// `indent` columns.
    Block { first: usize, indent: usize },
    /// Elsewhere (quoted or folded): the scalar's start.
    Near(Pos),
}

/// A document that is not a rule this loader loads.
struct Refused {
    why: Why,
    reason: String,
    help: Option<String>,
}

fn refused(why: Why, reason: impl Into<String>) -> Refused {
    Refused {
        why,
        reason: reason.into(),
        help: None,
    }
}

impl Loader {
    /// An empty loader.
    pub fn new(options: LoadOptions) -> Loader {
        Loader {
            options,
            rules: Vec::new(),
            problems: Vec::new(),
            files: 0,
            ids: HashMap::new(),
            not_loaded: 0,
        }
    }

    /// Loads a rule file, or every `.yml` and `.yaml` file under a
    /// directory (sorted by name, hidden names skipped unless
    /// [`LoadOptions::hidden`], symbolic links to directories not
    /// followed). A file named directly is read whatever its name.
    pub fn add_path(&mut self, path: &Path) {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let mut files = Vec::new();
                let mut problems = Vec::new();
                walk(path, self.options.hidden, &mut files, &mut problems);
                self.not_loaded += problems.len();
                self.problems.extend(problems);
                for f in files {
                    self.add_file(&f);
                }
            }
            _ => self.add_file(path),
        }
    }

    fn add_file(&mut self, path: &Path) {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => self.add_yaml(&text, &name),
                Err(e) => {
                    self.files += 1;
                    self.file_problem(
                        &name,
                        Why::Unreadable,
                        format!(
                            "not UTF-8 text (byte {} of the file)",
                            e.utf8_error().valid_up_to()
                        ),
                    );
                }
            },
            Err(e) => {
                self.files += 1;
                self.file_problem(&name, Why::Unreadable, crate::read::io_message(&e));
            }
        }
    }

    fn file_problem(&mut self, name: &str, why: Why, reason: String) {
        self.not_loaded += 1;
        self.problems.push(Problem::not_loaded(
            name,
            Pos { line: 1, col: 1 },
            why,
            reason,
            None,
        ));
    }

    /// Loads the rules of a YAML text, named `path` in problems.
    pub fn add_yaml(&mut self, text: &str, path: &str) {
        self.files += 1;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let docs = match yaml::documents(text) {
            Ok(d) => d,
            Err(e) => {
                self.not_loaded += 1;
                self.problems.push(Problem {
                    path: path.to_owned(),
                    line: e.pos.line,
                    column: Some(e.pos.col),
                    kind: ProblemKind::NotLoaded {
                        why: Why::Yaml,
                        reason: format!("not valid YAML: {}", e.message),
                        caret: None,
                        help: None,
                    },
                });
                return;
            }
        };
        for doc in docs {
            self.add_document(&doc, path);
        }
    }

    fn add_document(&mut self, doc: &Document, path: &str) {
        let at = Pos {
            line: doc.line,
            col: 1,
        };
        // An empty document (a trailing `---`) is nothing.
        if doc.root.is_null() {
            return;
        }
        let spec = match read_document(&doc.root, self.options.engine) {
            Ok(s) => s,
            Err(r) => {
                self.not_loaded += 1;
                self.problems
                    .push(Problem::not_loaded(path, at, r.why, r.reason, r.help));
                return;
            }
        };
        if let Some((first, line)) = self.ids.get(&spec.id) {
            self.not_loaded += 1;
            let reason = format!(
                "another rule has the id `{}` (loaded from {first}:{line})",
                spec.id
            );
            self.problems
                .push(Problem::not_loaded(path, at, Why::Duplicate, reason, None));
            return;
        }
        let ignore_case = spec.ignore_case || self.options.ignore_case;
        let keywords = match spec.keywords.as_deref().map(Keywords::parse).transpose() {
            Ok(k) => k,
            Err(e) => {
                self.not_loaded += 1;
                self.problems.push(Problem::not_loaded(
                    path,
                    at,
                    Why::Invalid,
                    format!("`keywords`: {e}"),
                    None,
                ));
                return;
            }
        };
        let built = Filter::builder()
            .ignore_case(ignore_case)
            .since(self.options.since)
            .until(self.options.until)
            .empty_selects_all(keywords.is_some())
            .keywords(keywords)
            .parse(&spec.text);
        let filter = match built {
            Ok(f) => f,
            Err(e) => {
                self.not_loaded += 1;
                let help = rewrite::suggest(&spec.text)
                    .map(|(text, what)| format!("write: {text}\n  ({what})"))
                    .or_else(|| e.help().map(str::to_owned));
                let pos = spec.place.locate(&spec.text, e.offset());
                let place = match spec.place {
                    Place::Near(_) => String::new(),
                    _ => format!(" (line {}, column {})", pos.line, pos.col),
                };
                self.problems.push(Problem {
                    path: path.to_owned(),
                    line: doc.line,
                    column: None,
                    kind: ProblemKind::NotLoaded {
                        why: Why::Syntax,
                        reason: format!("the filter does not parse{place}: {}", e.message()),
                        caret: Some(e.caret()),
                        help,
                    },
                });
                return;
            }
        };
        for (pos, code, message) in &spec.warnings {
            self.problems.push(Problem {
                path: path.to_owned(),
                line: pos.line,
                column: Some(pos.col),
                kind: ProblemKind::Warning {
                    code: code.clone(),
                    message: message.clone(),
                    caret: None,
                    help: None,
                },
            });
        }
        if let Some(ast) = filter.ast() {
            let findings = check::check_ast(
                ast,
                &spec.text,
                &check::Options::new().ignore_case(ignore_case),
            );
            for f in findings {
                self.problems.push(lint_problem(path, &spec, &f));
            }
        }
        self.ids
            .insert(spec.id.clone(), (path.to_owned(), doc.line));
        self.rules.push(Rule {
            id: spec.id,
            title: spec.title,
            level: spec.level,
            description: spec.description,
            format: spec.format,
            path: path.to_owned(),
            line: doc.line,
            text: spec.text,
            ignore_case,
            keywords: spec.keywords,
            filter,
        });
    }

    /// The rules loaded so far.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule set (the rules [`LoadOptions`] keeps, in load order) and
    /// every problem met.
    pub fn finish(self) -> (RuleSet, Vec<Problem>) {
        let summary = Summary {
            files: self.files,
            loaded: self.rules.len(),
            not_loaded: self.not_loaded,
            why: {
                let mut why: Vec<(Why, usize)> = Vec::new();
                for p in &self.problems {
                    if let ProblemKind::NotLoaded { why: w, .. } = p.kind {
                        match why.iter_mut().find(|(x, _)| *x == w) {
                            Some((_, n)) => *n += 1,
                            None => why.push((w, 1)),
                        }
                    }
                }
                why.sort();
                why
            },
            deselected: 0,
            unknown_ids: Vec::new(),
        };
        let total = self.rules.len();
        let unknown_ids = {
            let o = &self.options;
            o.only
                .iter()
                .chain(&o.exclude)
                .filter(|id| !self.rules.iter().any(|r| r.id == **id))
                .cloned()
                .collect()
        };
        let rules: Vec<Rule> = self
            .rules
            .into_iter()
            .filter(|r| self.options.keeps(r))
            .collect();
        let summary = Summary {
            deselected: total - rules.len(),
            unknown_ids,
            ..summary
        };
        (RuleSet::new(rules, summary), self.problems)
    }
}

/// A finding of the lint, placed in the rule file.
fn lint_problem(path: &str, spec: &Spec, f: &Finding) -> Problem {
    let pos = spec.place.locate(&spec.text, f.offset());
    let exact = !matches!(spec.place, Place::Near(_));
    Problem {
        path: path.to_owned(),
        line: pos.line,
        column: exact.then_some(pos.col),
        kind: ProblemKind::Warning {
            code: f.code().as_str().to_owned(),
            message: f.message().to_owned(),
            caret: Some(f.caret(&spec.text)),
            help: f.help().map(str::to_owned),
        },
    }
}

impl Place {
    /// The file position of byte `offset` of the (trimmed) filter text.
    fn locate(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let before = &text[..floor_boundary(text, offset)];
        let line = before.matches('\n').count();
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count();
        match *self {
            Place::Inline(p) => Pos {
                line: p.line,
                col: p.col + col,
            },
            Place::Block { first, indent } => Pos {
                line: first + line,
                col: indent + col + 1,
            },
            Place::Near(p) => p,
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The filter text of a scalar node, trimmed, and where it stands.
fn filter_text(node: &Node) -> Option<(String, Place)> {
    let Kind::Scalar { text, style } = &node.kind else {
        return None;
    };
    let trimmed = text.trim();
    let place = match style {
        Style::Plain if !trimmed.contains('\n') => Place::Inline(node.pos),
        Style::Literal => Place::Block {
            // The scalar starts at its first non-blank line.
            first: node.pos.line,
            indent: node.pos.col - 1,
        },
        _ => Place::Near(node.pos),
    };
    Some((trimmed.to_owned(), place))
}

/// Reads one document as a rule of the format its keys name.
fn read_document(root: &Node, engine: Engine) -> Result<Spec, Refused> {
    if root.as_map().is_none() {
        return Err(refused(
            Why::Invalid,
            format!("a rule is a mapping of keys, not {}", root.what()),
        ));
    }
    let filter = root.get("filter");
    let detection = root.get("detection");
    match (filter, detection) {
        (Some(_), Some(_)) => Err(refused(
            Why::Invalid,
            "the rule has both `filter` (oktaql's format) and `detection` (Okta's or Sigma's); keep one",
        )),
        (Some(_), None) => native::read(root),
        (None, Some(d)) => okta::read(root, d, engine),
        (None, None) => Err(refused(
            Why::Invalid,
            "not a rule: no `filter` (oktaql's format) or `detection` (Okta's format)",
        )),
    }
}

/// The string value of a required key.
fn required_str(root: &Node, key: &str) -> Result<String, Refused> {
    match root.get(key) {
        None => Err(refused(Why::Invalid, format!("no `{key}`"))),
        Some(n) if n.is_null() => Err(refused(Why::Invalid, format!("`{key}` is empty"))),
        Some(n) => match n.as_str() {
            Some(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            Some(_) => Err(refused(Why::Invalid, format!("`{key}` is empty"))),
            None => Err(refused(
                Why::Invalid,
                format!("`{key}` must be text, not {}", n.what()),
            )),
        },
    }
}

/// The string value of an optional key.
fn optional_str(root: &Node, key: &str) -> Result<Option<String>, Refused> {
    match root.get(key) {
        None => Ok(None),
        Some(n) if n.is_null() => Ok(None),
        Some(n) => match n.as_str() {
            Some(s) => Ok(Some(s.trim().to_owned())),
            None => Err(refused(
                Why::Invalid,
                format!("`{key}` must be text, not {}", n.what()),
            )),
        },
    }
}

/// Walks a directory for rule files.
fn walk(dir: &Path, hidden: bool, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::not_loaded(
                &dir.display().to_string(),
                Pos { line: 1, col: 1 },
                Why::Unreadable,
                crate::read::io_message(&e),
                None,
            ));
            return;
        }
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let name = e.file_name();
        if !hidden && name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            walk(&path, hidden, files, problems);
        } else if path.extension().is_some_and(|x| x == "yml" || x == "yaml")
            && (kind.is_file() || (kind.is_symlink() && path.is_file()))
        {
            files.push(path);
        }
    }
}

/// Counts of a load, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Rules loaded (before selection).
    pub loaded: usize,
    /// Rules and files not loaded.
    pub not_loaded: usize,
    /// Why, in a word each, with counts (sorted by word).
    pub why: Vec<(Why, usize)>,
    /// Loaded rules left out by the selection options.
    pub deselected: usize,
    /// Ids that [`LoadOptions::only`] or [`LoadOptions::exclude`] name and
    /// no loaded rule has (a typo selects nothing, silently, otherwise).
    pub unknown_ids: Vec<String>,
}

/// `loaded 35 rules from 46 files; 11 not loaded (9 counting, 2 syntax)`.
///
/// ```
/// use oktaql::rules::{LoadOptions, Loader};
///
/// let mut loader = Loader::new(LoadOptions::new());
/// loader.add_yaml("title: a\nid: a\nfilter: eventType pr\n---\ntitle: b\nid: b\nfilter: eventType in [\"x\"]\n", "r.yml");
/// let (set, _) = loader.finish();
/// assert_eq!(set.summary().to_string(), "loaded 1 rule from 1 file; 1 not loaded (1 syntax)");
/// ```
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "loaded {} rule{} from {} file{}",
            self.loaded,
            s(self.loaded),
            self.files,
            s(self.files)
        )?;
        if self.not_loaded > 0 {
            let why: Vec<String> = self
                .why
                .iter()
                .map(|(w, n)| format!("{n} {}", w.as_str()))
                .collect();
            write!(f, "; {} not loaded ({})", self.not_loaded, why.join(", "))?;
        } else {
            f.write_str("; none not loaded")?;
        }
        if self.deselected > 0 {
            write!(f, "; {} left out by the selection", self.deselected)?;
        }
        Ok(())
    }
}

/// A rule set that does not translate to SQL: which rule, and why.
#[derive(Clone, Debug)]
pub struct RuleSqlError {
    rule: Option<String>,
    error: Option<SqlError>,
}

impl fmt::Display for RuleSqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.rule, &self.error) {
            (Some(id), Some(e)) => write!(f, "rule `{id}` does not translate: {e}"),
            (Some(id), None) => write!(f, "rule `{id}` does not translate"),
            (None, Some(e)) => e.fmt(f),
            (None, None) => f.write_str("no rule to translate"),
        }
    }
}

impl std::error::Error for RuleSqlError {}

/// Loaded rules, compiled for one pass over events.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// The rules' filters, in the rules' order.
    set: FilterSet,
    summary: Summary,
}

impl RuleSet {
    fn new(rules: Vec<Rule>, summary: Summary) -> RuleSet {
        let set = FilterSet::new(rules.iter().map(|r| r.filter.clone()).collect());
        RuleSet {
            rules,
            set,
            summary,
        }
    }

    /// Loads every path (files and directories) with `options`.
    pub fn load(paths: &[PathBuf], options: LoadOptions) -> (RuleSet, Vec<Problem>) {
        let mut loader = Loader::new(options);
        for p in paths {
            loader.add_path(p);
        }
        loader.finish()
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How many rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// What the load found, in counts.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The one-pass matcher over every rule's filter: its indices are the
    /// rules'.
    pub fn filter_set(&self) -> &FilterSet {
        &self.set
    }

    /// Sets `out` to the indices (in [`RuleSet::rules`], ascending) of
    /// the rules that select `event`.
    pub fn matches(&self, event: &serde_json::Value, out: &mut Vec<usize>) {
        self.set.matches(event, out);
    }

    /// [`RuleSet::matches`] for an event held in another tree than a
    /// `Value` (the Python binding's dicts), read in place through
    /// [`Access`](crate::access::Access) as [`Filter::matches_access`] reads
    /// it. The first error the tree gives ends the matching and is returned.
    ///
    /// ```
    /// use oktaql::rules::{LoadOptions, Loader};
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml("title: a\nid: a\nfilter: x eq 1\n---\ntitle: b\nid: b\nfilter: y pr\n", "r.yml");
    /// let (set, _) = loader.finish();
    /// let event = serde_json::json!({"x": 1, "y": null});
    /// let mut hits = vec![7];
    /// set.matches_access(&&event, &mut hits).unwrap();
    /// assert_eq!(hits, [0]);
    /// ```
    pub fn matches_access<V: crate::access::Access>(
        &self,
        event: &V,
        out: &mut Vec<usize>,
    ) -> Result<(), V::Error> {
        out.clear();
        for (i, r) in self.rules.iter().enumerate() {
            if r.filter.matches_access(event)? {
                out.push(i);
            }
        }
        Ok(())
    }

    /// Sets `out` to the indices of the rules that select the event whose
    /// JSON text is `event`, in one pass for all rules (one literal search,
    /// one scan); malformed JSON is an error, as for
    /// [`Filter::matches_json`], whatever the rules.
    pub fn matches_json(&self, event: &[u8], out: &mut Vec<usize>) -> Result<(), JsonError> {
        self.set.matches_json(event, out)
    }

    /// One SQL expression whose value, per row of `column` (each event's
    /// JSON text), is the array of the ids of the rules that select the
    /// row, in load order, empty when none does: DuckDB `VARCHAR[]`,
    /// ClickHouse `Array(String)`, Spark `ARRAY<STRING>`. Each rule's part
    /// is its filter's [`Filter::to_sql`], so the same exceptions apply;
    /// a rule that does not translate is an error naming it.
    ///
    /// ```
    /// use oktaql::rules::{LoadOptions, Loader};
    /// use oktaql::sql::Dialect;
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml("title: t\nid: manual\nfilter: eventType pr\n", "r.yml");
    /// let (set, _) = loader.finish();
    /// let sql = set.to_sql(Dialect::DuckDb, "raw")?;
    /// assert!(sql.starts_with("list_filter([") && sql.contains("'manual'"));
    /// # Ok::<(), oktaql::rules::RuleSqlError>(())
    /// ```
    pub fn to_sql(&self, dialect: Dialect, column: &str) -> Result<String, RuleSqlError> {
        if self.rules.is_empty() {
            return Err(RuleSqlError {
                rule: None,
                error: None,
            });
        }
        let mut parts = Vec::with_capacity(self.rules.len());
        for r in &self.rules {
            let cond = r.filter.to_sql(dialect, column).map_err(|e| RuleSqlError {
                rule: Some(r.id.clone()),
                error: Some(e),
            })?;
            parts.push((cond, r.id.as_str()));
        }
        Ok(crate::sql::id_array(dialect, &parts))
    }
}
