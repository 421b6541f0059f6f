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
//! - **Sigma** (the Sigma specification): `detection` with a `condition`,
//!   `logsource.product: okta`; lowered to the filter IR without filter
//!   text. Sigma filters (`filter:` a mapping with `rules` and a
//!   `condition`) tune the rules they name. What each construct means, and
//!   the choices where the specification is silent, are in `sigma.rs`'s
//!   documentation and the README. Correlation documents are not loaded.
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

pub mod aggregate;
mod native;
mod okta;
mod rewrite;
mod sigma;
mod yaml;

use std::collections::HashMap;
use std::fmt::{self, Write as _};
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
    /// A Sigma rule (`detection` with a `condition`, `logsource.product:
    /// okta`).
    Sigma,
}

impl Format {
    /// The format's name: `oktaql`, `okta`, `sigma`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Oktaql => "oktaql",
            Format::Okta => "okta",
            Format::Sigma => "sigma",
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
    status: Option<String>,
    description: Option<String>,
    format: Format,
    path: String,
    line: usize,
    text: String,
    ignore_case: bool,
    keywords: Option<String>,
    filter: Filter,
    /// A Sigma rule's detection as read (before Sigma filters apply).
    sigma: Option<sigma::Expr>,
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

    /// The rule's `status`, if it has one (`stable`, `test`,
    /// `experimental`, `deprecated`, `unsupported` in Sigma's rules).
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
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

    /// The filter text as the rule wrote it (trimmed); for a Sigma rule,
    /// its condition (a list of conditions one per line).
    pub fn filter_text(&self) -> &str {
        &self.text
    }

    /// For a Sigma rule: what its detection means, as one canonical text
    /// (the search identifiers replaced by what they select, each value
    /// after its modifiers), with the Sigma filters that tune it.
    ///
    /// ```
    /// use oktaql::rules::{LoadOptions, Loader};
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml(
    ///     "title: t\nid: a\nlogsource: {product: okta}\ndetection:\n  sel:\n    eventType: [user.session.start, 'user.session.end']\n    target.displayName|contains: Admin\n  condition: sel\n",
    ///     "r.yml",
    /// );
    /// let (set, problems) = loader.finish();
    /// assert!(problems.is_empty(), "{problems:?}");
    /// assert_eq!(
    ///     set.rules()[0].sigma_detection().as_deref(),
    ///     Some(r#"(eventType: "user.session.start" or eventType: "user.session.end") and target.displayName: "*Admin*""#)
    /// );
    /// ```
    pub fn sigma_detection(&self) -> Option<String> {
        self.sigma.as_ref().map(sigma::canonical)
    }

    /// For a Sigma rule: its detection as JSON (the form the differential
    /// test compares with pySigma's parse; see `rules/sigma.rs`).
    pub fn sigma_json(&self) -> Option<serde_json::Value> {
        self.sigma.as_ref().map(sigma::to_json)
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

    /// The filter in Okta's language that selects what this rule selects,
    /// and whether it must run ignoring case; or why there is none. For
    /// the rules of oktaql's and Okta's formats, their own filter (without
    /// keywords: a rule with keywords has none). For a Sigma rule, the
    /// translation of its detection where every test has one (exact for
    /// string values: Okta's `co`/`sw`/`ew` look at strings only, where a
    /// Sigma value also matches a number or boolean by its text).
    ///
    /// ```
    /// use oktaql::rules::{LoadOptions, Loader};
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml(
    ///     "title: t\nid: a\nlogsource: {product: okta}\ndetection:\n  sel:\n    eventType: user.session.start\n  filter:\n    actor.alternateId|endswith: '@example.com'\n  condition: sel and not filter\n",
    ///     "r.yml",
    /// );
    /// loader.add_yaml(
    ///     "title: t\nid: b\nlogsource: {product: okta}\ndetection:\n  sel:\n    actor.alternateId|re: '^admin'\n  condition: sel\n",
    ///     "s.yml",
    /// );
    /// let (set, _) = loader.finish();
    /// assert_eq!(
    ///     set.rules()[0].okta_filter(),
    ///     Ok((r#"eventType eq "user.session.start" and not (actor.alternateId ew "@example.com")"#.to_owned(), true))
    /// );
    /// assert!(set.rules()[1].okta_filter().unwrap_err().contains("no regular expressions"));
    /// ```
    pub fn okta_filter(&self) -> Result<(String, bool), String> {
        match &self.sigma {
            Some(tree) => sigma::okta_filter(tree),
            None if self.keywords.is_some() => {
                Err("the rule has keywords (`q`), which are not part of a filter".to_owned())
            }
            None => Ok((self.text.clone(), self.ignore_case)),
        }
    }

    /// What the rule means, for reading (`oktaql rules --explain`): its
    /// format and place, its level and status, its filter; for a Sigma
    /// rule its condition, its detection ([`Rule::sigma_detection`]) and
    /// the equivalent Okta filter or why there is none.
    pub fn explain(&self) -> String {
        let mut out = format!("{}  {}\n", self.id, self.title);
        let _ = writeln!(
            out,
            "  format: {} ({}:{}); level: {}; status: {}",
            self.format.as_str(),
            self.path,
            self.line,
            self.level.map_or("none", Level::as_str),
            self.status.as_deref().unwrap_or("none"),
        );
        if let Some(d) = self.sigma_detection() {
            for c in self.text.lines() {
                let _ = writeln!(out, "  condition: {c}");
            }
            let _ = writeln!(out, "  detection: {d}");
        }
        match self.okta_filter() {
            Ok((text, ic)) => {
                let _ = writeln!(out, "  okta filter: {text}");
                let _ = writeln!(
                    out,
                    "  options: {}",
                    if ic {
                        "ignore case (oktaql -i)"
                    } else {
                        "case-sensitive"
                    }
                );
            }
            Err(why) => {
                let _ = writeln!(out, "  okta filter: none: {why}");
            }
        }
        out
    }

    /// [`Rule::explain`] as one JSON object: `id`, `title`, `format`,
    /// `path`, `line`, `level`, `status`, `condition`, `detection` (the
    /// canonical text) and `sigma` (the tree, see [`Rule::sigma_json`]) for
    /// a Sigma rule, `okta_filter` and `ignore_case`, or `why_not`.
    pub fn explain_json(&self) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        o.insert("id".into(), self.id.clone().into());
        o.insert("title".into(), self.title.clone().into());
        o.insert("format".into(), self.format.as_str().into());
        o.insert("path".into(), self.path.clone().into());
        o.insert("line".into(), self.line.into());
        o.insert("level".into(), self.level.map(Level::as_str).into());
        o.insert("status".into(), self.status.clone().into());
        if let Some(tree) = &self.sigma {
            o.insert("condition".into(), self.text.clone().into());
            o.insert("detection".into(), sigma::canonical(tree).into());
            o.insert("sigma".into(), sigma::to_json(tree));
        }
        match self.okta_filter() {
            Ok((text, ic)) => {
                o.insert("okta_filter".into(), text.into());
                o.insert("ignore_case".into(), ic.into());
            }
            Err(why) => {
                o.insert("okta_filter".into(), serde_json::Value::Null);
                o.insert("why_not".into(), why.into());
            }
        }
        o.into()
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
    status: Vec<String>,
    placeholders: HashMap<String, Vec<String>>,
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

    /// Only rules whose `status` is one of these are kept (all, when
    /// empty; rules without a status are then dropped).
    #[must_use]
    pub fn status(mut self, statuses: Vec<String>) -> LoadOptions {
        self.status = statuses;
        self
    }

    /// The values of a Sigma placeholder (`%name%` under `expand`): a
    /// value holding it stands for each of them, read as Sigma strings
    /// (wildcards kept). Given twice, the values add up.
    #[must_use]
    pub fn placeholder(mut self, name: &str, values: Vec<String>) -> LoadOptions {
        self.placeholders
            .entry(name.to_owned())
            .or_default()
            .extend(values);
        self
    }

    /// Adds the placeholders of a YAML text: a mapping of names to a value
    /// or a list of values, at the top level or under `vars:` (as
    /// pySigma's pipelines write them).
    ///
    /// ```
    /// use oktaql::rules::LoadOptions;
    ///
    /// let o = LoadOptions::new().placeholder_file("vars:\n  admins: [alice, 'bob*']\n  domain: example.com\n")?;
    /// assert!(LoadOptions::new().placeholder_file("- a\n").is_err());
    /// # Ok::<(), String>(())
    /// ```
    pub fn placeholder_file(mut self, text: &str) -> Result<LoadOptions, String> {
        let docs = yaml::documents(text).map_err(|e| {
            format!(
                "not valid YAML (line {}, column {}): {}",
                e.pos.line, e.pos.col, e.message
            )
        })?;
        for doc in docs {
            let root = doc.root.get("vars").unwrap_or(&doc.root);
            let Some(members) = root.as_map() else {
                return Err(format!(
                    "line {}: expected a mapping of placeholder names to values, not {}",
                    root.pos.line,
                    root.what()
                ));
            };
            for (k, v) in members {
                let Some(name) = k.as_str() else {
                    return Err(format!(
                        "line {}: a placeholder name is not text",
                        k.pos.line
                    ));
                };
                let values = match &v.kind {
                    Kind::Seq(items) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>(),
                    Kind::Scalar { text, .. } => Some(vec![text.clone()]),
                    Kind::Map(_) => None,
                }
                .ok_or_else(|| {
                    format!(
                        "line {}: the values of `{name}` must be text or a list of texts",
                        v.pos.line
                    )
                })?;
                self = self.placeholder(name, values);
            }
        }
        Ok(self)
    }

    fn placeholder_values(&self, name: &str) -> Option<&[String]> {
        self.placeholders
            .get(name)
            .map(Vec::as_slice)
            .filter(|v| !v.is_empty())
    }

    fn ignore_case_forced(&self) -> bool {
        self.ignore_case
    }

    fn keeps(&self, rule: &Rule) -> bool {
        if let Some(min) = self.min_level {
            if rule.level.is_none_or(|l| l < min) {
                return false;
            }
        }
        if !self.status.is_empty()
            && !rule
                .status
                .as_ref()
                .is_some_and(|s| self.status.contains(s))
        {
            return false;
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
    /// A Sigma rule for other logs than Okta's (`logsource.product`).
    Logsource,
    /// A Sigma rule with a placeholder (`%name%`) given no values.
    Placeholder,
    /// A Sigma rule's regular expression does not compile.
    Regex,
}

impl Why {
    /// The word: `unreadable`, `yaml`, `invalid`, `syntax`, `counting`,
    /// `duplicate`, `unsupported`, `engine`, `logsource`, `placeholder`,
    /// `regex`.
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
            Why::Logsource => "logsource",
            Why::Placeholder => "placeholder",
            Why::Regex => "regex",
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
    /// Sigma filters, applied in `finish` (a filter may come before the
    /// rules it names): the filter, its file and line.
    filters: Vec<(sigma::FilterDoc, String, usize)>,
}

/// What one document says, before its filter is compiled.
struct Spec {
    id: String,
    title: String,
    level: Option<Level>,
    status: Option<String>,
    description: Option<String>,
    format: Format,
    /// The filter text (trimmed) and where its characters are in the file.
    text: String,
    place: Place,
    ignore_case: bool,
    keywords: Option<String>,
    /// Warnings about the document itself (unknown keys).
    warnings: Vec<(Pos, String, String)>,
    /// A Sigma rule: what it lowers to (then `text` is its condition).
    sigma: Option<sigma::Lowered>,
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
            filters: Vec::new(),
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
        if sigma::is_filter_document(&doc.root) {
            match sigma::read_filter(&doc.root, &self.options) {
                Ok(f) => {
                    self.push_lints(path, &f.lints);
                    self.filters.push((f, path.to_owned(), doc.line));
                }
                Err(r) => {
                    self.not_loaded += 1;
                    let reason = format!("Sigma filter: {}", r.reason);
                    self.problems
                        .push(Problem::not_loaded(path, at, r.why, reason, r.help));
                }
            }
            return;
        }
        let mut spec = match read_document(&doc.root, &self.options) {
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
        if let Some(lowered) = spec.sigma.take() {
            self.add_sigma(spec, lowered, path, doc.line);
            return;
        }
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
        self.push_warnings(path, &spec.warnings);
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
            status: spec.status,
            description: spec.description,
            format: spec.format,
            path: path.to_owned(),
            line: doc.line,
            text: spec.text,
            ignore_case,
            keywords: spec.keywords,
            filter,
            sigma: None,
        });
    }

    /// A Sigma rule: its filter built from the IR it lowered to, its
    /// fields linted as `oktaql check` lints a filter's paths and values.
    fn add_sigma(&mut self, spec: Spec, lowered: sigma::Lowered, path: &str, line: usize) {
        self.push_warnings(path, &spec.warnings);
        self.push_lints(path, &lowered.lints);
        let filter = self.sigma_filter(&lowered.tree);
        self.ids.insert(spec.id.clone(), (path.to_owned(), line));
        self.rules.push(Rule {
            id: spec.id,
            title: spec.title,
            level: spec.level,
            status: spec.status,
            description: spec.description,
            format: spec.format,
            path: path.to_owned(),
            line,
            text: spec.text,
            ignore_case: true,
            keywords: None,
            filter,
            sigma: Some(lowered.tree),
        });
    }

    /// A Sigma tree's filter, with the loader's time window.
    fn sigma_filter(&self, tree: &sigma::Expr) -> Filter {
        let options = crate::Options {
            ignore_case: true,
            since: self.options.since,
            until: self.options.until,
            ..crate::Options::default()
        };
        Filter::from_sigma(
            sigma::lower_tree(tree, self.options.ignore_case_forced()),
            options,
            sigma::canonical(tree),
        )
    }

    fn filter_warning(&mut self, path: &str, line: usize, message: String) {
        self.problems.push(Problem {
            path: path.to_owned(),
            line,
            column: None,
            kind: ProblemKind::Warning {
                code: "sigma-filter".to_owned(),
                message,
                caret: None,
                help: None,
            },
        });
    }

    /// Each Sigma filter removes what it selects from the hits of the
    /// rules it names (`rule and not (filter)`, as pySigma adds it); one
    /// naming no loaded Sigma rule is a warning.
    fn apply_filters(&mut self) {
        for (f, path, line) in std::mem::take(&mut self.filters) {
            let mut applied = 0;
            for i in 0..self.rules.len() {
                if !f.rules.contains(&self.rules[i].id) {
                    continue;
                }
                let Some(tree) = &self.rules[i].sigma else {
                    let message = format!(
                        "the Sigma filter `{}` names `{}`, which is not a Sigma rule; it is not filtered",
                        f.title, self.rules[i].id
                    );
                    self.filter_warning(&path, line, message);
                    continue;
                };
                let tree = sigma::with_filter(tree, &f.tree);
                self.rules[i].filter = self.sigma_filter(&tree);
                self.rules[i].sigma = Some(tree);
                applied += 1;
            }
            if applied == 0 {
                let message = format!(
                    "the Sigma filter `{}` names no loaded rule ({})",
                    f.title,
                    f.rules.join(", ")
                );
                self.filter_warning(&path, line, message);
            }
        }
    }

    /// The lint of a Sigma rule's (or filter's) fields: `oktaql check`'s
    /// findings on each field's path and exact value, placed at the field.
    fn push_lints(&mut self, path: &str, lints: &[(Pos, String)]) {
        let lint_options = check::Options::new().ignore_case(true);
        let mut seen = std::collections::HashSet::new();
        for (pos, text) in lints {
            let Ok(findings) = check::check(text, &lint_options) else {
                // A field name the filter language cannot spell: no lint.
                continue;
            };
            for f in findings {
                if !matches!(
                    f.code(),
                    check::Code::UnknownField | check::Code::MapKeyCase | check::Code::EnumValue
                ) || !seen.insert((pos.line, pos.col, f.message().to_owned()))
                {
                    continue;
                }
                self.problems.push(Problem {
                    path: path.to_owned(),
                    line: pos.line,
                    column: Some(pos.col),
                    kind: ProblemKind::Warning {
                        code: f.code().as_str().to_owned(),
                        message: f.message().to_owned(),
                        caret: None,
                        help: f.help().map(str::to_owned),
                    },
                });
            }
        }
    }

    fn push_warnings(&mut self, path: &str, warnings: &[(Pos, String, String)]) {
        for (pos, code, message) in warnings {
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
    }

    /// The rules loaded so far.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule set (the rules [`LoadOptions`] keeps, in load order) and
    /// every problem met.
    pub fn finish(mut self) -> (RuleSet, Vec<Problem>) {
        self.apply_filters();
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
fn read_document(root: &Node, options: &LoadOptions) -> Result<Spec, Refused> {
    if root.as_map().is_none() {
        return Err(refused(
            Why::Invalid,
            format!("a rule is a mapping of keys, not {}", root.what()),
        ));
    }
    if root.get("correlation").is_some() {
        return Err(refused(
            Why::Unsupported,
            "a Sigma correlation rule (`correlation`): correlation rules: not supported yet",
        ));
    }
    let filter = root.get("filter");
    let detection = root.get("detection");
    if let (None, Some(d)) = (filter, detection) {
        if d.get("condition").is_some() {
            return sigma::read(root, d, options);
        }
    }
    let engine = options.engine;
    match (filter, detection) {
        (Some(_), Some(_)) => Err(refused(
            Why::Invalid,
            "the rule has both `filter` (oktaql's format) and `detection` (Okta's or Sigma's); keep one",
        )),
        (Some(_), None) => native::read(root),
        (None, Some(d)) => okta::read(root, d, engine),
        (None, None) => Err(refused(
            Why::Invalid,
            "not a rule: no `filter` (oktaql's format) or `detection` (Okta's or Sigma's format)",
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

/// A rule set's SQL ([`RuleSet::to_sql`]): the id array over the rules that
/// translate, and the rules that do not, each with why.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RuleSql {
    /// The expression: per row, the array of the ids of the translated
    /// rules that select it, in load order.
    pub sql: String,
    /// The rules left out of the array, in load order: the id, and what
    /// the dialect cannot say exactly ([`SqlError::Untranslatable`]).
    pub refused: Vec<(String, SqlError)>,
}

/// A rule set that does not translate to SQL: no rule, no rule that
/// translates, or a column name that is not one.
#[derive(Clone, Debug)]
pub struct RuleSqlError {
    dialect: Dialect,
    error: Option<SqlError>,
    refused: Vec<(String, SqlError)>,
}

impl RuleSqlError {
    /// When no rule translates: every rule, with why (else empty).
    pub fn refused(&self) -> &[(String, SqlError)] {
        &self.refused
    }
}

impl fmt::Display for RuleSqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error, self.refused.len()) {
            (Some(e), _) => e.fmt(f),
            (None, 0) => f.write_str("no rule to translate"),
            (None, n) => write!(
                f,
                "no rule translates to SQL for {}: {n} refused",
                self.dialect
            ),
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
    /// is its filter's [`Filter::to_sql`], so the same exceptions apply.
    ///
    /// A rule whose filter the dialect cannot say exactly (a Sigma test:
    /// [`SqlError::Untranslatable`]) is left out of the array and listed in
    /// [`RuleSql::refused`] with why; the others still translate. An empty
    /// set, a set of which no rule translates, and an invalid column are
    /// errors.
    ///
    /// ```
    /// use oktaql::rules::{LoadOptions, Loader};
    /// use oktaql::sql::Dialect;
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml("title: t\nid: manual\nfilter: eventType pr\n", "r.yml");
    /// let (set, _) = loader.finish();
    /// let out = set.to_sql(Dialect::DuckDb, "raw")?;
    /// assert!(out.sql.starts_with("list_filter([") && out.sql.contains("'manual'"));
    /// assert!(out.refused.is_empty());
    /// # Ok::<(), oktaql::rules::RuleSqlError>(())
    /// ```
    pub fn to_sql(&self, dialect: Dialect, column: &str) -> Result<RuleSql, RuleSqlError> {
        let error = |error: Option<SqlError>, refused: Vec<(String, SqlError)>| RuleSqlError {
            dialect,
            error,
            refused,
        };
        if self.rules.is_empty() {
            return Err(error(None, Vec::new()));
        }
        let mut parts = Vec::with_capacity(self.rules.len());
        let mut refused = Vec::new();
        for r in &self.rules {
            match r.filter.to_sql(dialect, column) {
                Ok(cond) => parts.push((cond, r.id.as_str())),
                Err(e @ SqlError::Untranslatable(_)) => refused.push((r.id.clone(), e)),
                Err(e) => return Err(error(Some(e), Vec::new())),
            }
        }
        if parts.is_empty() {
            return Err(error(None, refused));
        }
        Ok(RuleSql {
            sql: crate::sql::id_array(dialect, &parts),
            refused,
        })
    }
}
