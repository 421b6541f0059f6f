//! The command line, parsed with lexopt.
//!
//! The first argument selects a subcommand when it is exactly one of the
//! [`Subcommand`] words (`sql`, `check`, `url`); anything else is the
//! filtering command, `oktaql [OPTIONS] [--] FILTER [FILE...]`. Only the very
//! first argument counts, as with git and cargo: `oktaql -c sql` and
//! `oktaql -- sql` filter with `sql` (none of the words is a valid filter).
//!
//! Adding a subcommand: a [`Command`] variant for its arguments, a parser
//! function (reusing the shared option groups, [`FilterSource`] and
//! [`Window`]), a help const that `-h`/`--help` returns as
//! [`Command::Help`], a run function in main.rs; then [`Subcommand::parse`]
//! calls the parser instead of refusing.

use std::ffi::{OsStr, OsString};
use std::fmt;

use lexopt::prelude::*;
use lexopt::{Arg, Parser};

pub const HELP: &str = r#"oktaql: filter Okta System Log events with the Okta filter language, offline.

Usage: oktaql [OPTIONS] [--] FILTER [FILE...]
       oktaql [OPTIONS] (-e FILTER | -f FILTER_FILE) [--] [FILE...]
       oktaql check [-i] [--format text|json] (-e FILTER | -f FILTER_FILE | FILTER)
       oktaql url [--since T] [--until T] [-k WORDS] [--limit N] [--sort asc|desc] FILTER
       oktaql sql --dialect duckdb|clickhouse|spark [OPTIONS] FILTER   (see oktaql sql --help)

Reads events from each FILE in order, or from standard input when there is no
FILE or FILE is `-`, and prints those that match FILTER. A FILE that is a
directory is searched recursively: depth first, each directory's entries in
byte order of their names (the path's order, component by component), hidden
names (starting with `.`) skipped unless --hidden, symbolic links not followed
unless -L; a file found there that is not JSON text is skipped with a note.

Input is any JSON text holding events: NDJSON (one event per line; CRLF line ends and a last
line without a newline are fine, blank lines are skipped), pretty-printed
objects one after another (`jq .` output), JSON arrays of events such as the
body of GET /api/v1/logs (several in a row, arrays of pages, NDJSON after
them), gzip- or zstd-compressed, UTF-8 or UTF-16 with a byte-order mark; all
detected from the bytes, never from the file name. A FILE named that is not
JSON text (a zip archive, an image, binary data) is an error (exit status 2);
the other files are still read.

Each selected NDJSON event is printed as it was read, one per line (a CRLF
line end is printed as LF); other events are printed as compact one-line
JSON with their key order kept. A value that is not an event (a number, a
string, malformed JSON) is reported on stderr as SOURCE:LINE: MESSAGE and
skipped; after a malformed value spanning lines, reading resumes at the next
line that begins with `{` or `[`. A line the filter cannot match may be
skipped without being read through, so it is not reported.

Options:
  -e, --filter FILTER    the filter as an option; then every positional
                         argument is a FILE. An empty FILTER (-e '') selects
                         every event, which -k, --since, --until and -v narrow
  -f, --filter-file FILE read the filter from FILE (it may span lines; `-`
                         is standard input, and then events come from FILEs);
                         then every positional argument is a FILE
  -c, --count            print only the number of selected events (all inputs;
                         with -H, each input's number after its name)
  -q, --quiet            print nothing on stdout and stop at the first selected
                         event: the exit status says (0 also when a file could not
                         be read); no notes
  -H, --with-filename    print each selected event after its input's name and
                         `:` (the default on a terminal when searching more
                         than one input or a directory; piped output stays
                         JSON Lines unless -H is given)
      --no-filename      never print input names before events
  -l, --files-with-matches
                         print only the name of each input with a selected
                         event, once, in input order
  -v, --invert-match     select the events that do not match (bad lines never)
  -i, --ignore-case      compare strings ignoring case
  -m, --max-count N      stop after N selected events (over all inputs)
      --since T          only events whose `published` is at or after T
      --until T          only events whose `published` is before T
                         (T is RFC 3339, 2025-03-03T08:00:00Z, or a date, 2025-03-03)
  -k, --keyword WORDS    Okta's `q` keyword search, ANDed with the filter: every
                         word must equal (ignoring case) a whole string value of
                         the event or one of its tokens; at most 10 words of at
                         most 40 characters
      --fields A,B,...   print only these attribute paths of each selected event,
                         their values as written (numbers as spelt, key order
                         kept); a value path picks elements:
                         target[type eq "User"].alternateId
      --format FORMAT    with --fields: json (one object per line, the default;
                         missing is null), tsv or csv (a header row, then one
                         row per event; rows end with LF). Several values are
                         a JSON array in every format. TSV writes null and
                         missing as \N, CSV as an empty cell and the empty
                         string as ""
      --count-by A,B,... instead of events, a table of how many selected events
                         have each combination of values at these paths, most
                         frequent first, then the number of events (an event
                         with several values at a path counts once under each
                         distinct value; a missing value shows as (missing));
                         --format json, tsv or csv for scripts
      --pretty           print each selected event indented, keys in the order
                         written, coloured as jq does on a terminal (--color)
      --summary          print one line per selected event, as the Okta console's
                         table: published, eventType, actor.alternateId,
                         outcome.result, target.alternateId, displayMessage
                         (`-` where missing)
      --json-array       print the selected events (or --fields objects) as one
                         JSON array, `[]` when none is selected (not with -c,
                         --format tsv or csv)
      --hidden           search hidden files and directories in directories
  -L, --follow           follow symbolic links found in directories
      --explain          print the parsed filter as a tree and in canonical form,
                         then what decides a match: -i, -v, --since/--until,
                         -k, and how each comparison compares its value
      --strict           stop at the first bad line (exit status 2)
      --color WHEN       colour: auto (on a terminal, unless NO_COLOR is set or
                         TERM=dumb, which also hides the progress line), always
                         or never
  -h, --help             print this help
  -V, --version          print the version

When no event is selected, a note on stderr names each path of the filter
that no event read has, with the closest paths events did have and how many
(`note: no event has eventtype; 300 events have eventType`), also with -c.

Subcommands (each has --help):
  check   what Okta's API would reject in the filter (value paths, published,
          co on debugData.url), and unknown fields and enum values, with
          suggestions; exit status 1 when there are findings
  url     the GET /api/v1/logs request that asks Okta the same question

Exit status: 0 if some event was selected, 1 if none, 2 on an error (an
invalid filter or option, a file or directory that cannot be read, a bad
line under --strict). The other files are still read after a file that
cannot be.

Examples:
  # Active Directory imports started by hand
  oktaql 'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"' logs.ndjson

  # ... and whether they were full or incremental, as a table
  oktaql --fields published,actor.alternateId,debugContext.debugData.importType --format tsv \
    'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"' logs.ndjson

  # who started how many manual imports, of which type
  oktaql --count-by actor.alternateId,debugContext.debugData.importType \
    'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"' logs/

  # failed sign-ins of one user on one day, from a compressed export
  oktaql --since 2025-03-03 --until 2025-03-04 -i \
    'actor.alternateId eq "ALICE@example.com" and outcome.result eq "FAILURE"' export.json.gz

  # how many events name a user anywhere, read from a pipe
  export-tool | oktaql -c -k 'alice@example.com' 'eventType sw "user."'

  # a saved rule, over every file below a directory, as one JSON array
  oktaql -f rules/manual-imports.okta --json-array exports/

  # a keyword-only search
  oktaql -k admin -e '' logs/

  # check how a filter parses
  oktaql --explain 'eventType eq "a" or actor.id eq "b" and not (outcome.result eq "SUCCESS")'

  # will Okta take it, and is every field spelt right?
  oktaql check 'eventtype eq "user.session.start" and outcome.result eq "success"'

  # the same question asked of the live org
  oktaql url --since 2025-03-03 'eventType eq "user.session.start"'
"#;

/// The filtering command's synopsis.
pub const USAGE: Usage = Usage {
    command: "oktaql",
    synopsis: "[OPTIONS] [--] FILTER [FILE...]",
};

/// How a command is invoked, for the lines after a usage error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// As typed: `oktaql`, or `oktaql` and a subcommand's word.
    pub command: &'static str,
    /// What follows it.
    pub synopsis: &'static str,
}

/// The words that select a subcommand when they come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subcommand {
    /// `oktaql sql`: a filter as a SQL condition (sql.rs).
    Sql,
    /// `oktaql check`: what Okta's API would reject in a filter, and what
    /// looks wrong (check.rs).
    Check,
    /// `oktaql url`: the System Log API request for a question (url.rs).
    Url,
}

impl Subcommand {
    pub const ALL: [Subcommand; 3] = [Subcommand::Sql, Subcommand::Check, Subcommand::Url];

    pub fn word(self) -> &'static str {
        match self {
            Subcommand::Sql => "sql",
            Subcommand::Check => "check",
            Subcommand::Url => "url",
        }
    }

    /// The subcommand `arg` selects: only an exact match does.
    pub fn from_word(arg: &OsStr) -> Option<Subcommand> {
        Subcommand::ALL.into_iter().find(|s| arg == s.word())
    }

    /// Parses the arguments after the word.
    fn parse(self, p: Parser) -> Result<Command, Error> {
        match self {
            Subcommand::Check => {
                crate::check::args(p).map_err(|e| Error::Usage(crate::check::USAGE, e))
            }
            Subcommand::Url => crate::url::args(p).map_err(|e| Error::Usage(crate::url::USAGE, e)),
            Subcommand::Sql => crate::sql::parse(p).map_err(|e| Error::Usage(crate::sql::USAGE, e)),
        }
    }
}

#[derive(Debug)]
pub enum Command {
    /// The filtering command.
    Filter(Args),
    /// `oktaql check`.
    Check(crate::check::Args),
    /// `oktaql url`.
    Url(crate::url::Args),
    /// `oktaql sql`.
    Sql(crate::sql::SqlArgs),
    /// Print this help text.
    Help(&'static str),
    Version,
}

/// Why the command line is refused.
#[derive(Debug)]
pub enum Error {
    /// A mistake in the arguments of the command invoked as `Usage`.
    Usage(Usage, lexopt::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Usage(_, e) => e.fmt(f),
        }
    }
}

/// Parses the whole command line (without the program name).
pub fn parse(mut p: Parser) -> Result<Command, Error> {
    let sub = p.try_raw_args().and_then(|mut raw| {
        let sub = Subcommand::from_word(raw.peek()?)?;
        raw.next();
        Some(sub)
    });
    match sub {
        Some(sub) => sub.parse(p),
        None => filter_command(p).map_err(|e| Error::Usage(USAGE, e)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Tsv,
    Csv,
}

/// The filtering command's arguments.
#[derive(Debug, Default)]
pub struct Args {
    pub filter: FilterText,
    /// As given; empty means stdin.
    pub files: Vec<OsString>,
    pub count: bool,
    pub invert: bool,
    pub ignore_case: bool,
    pub max_count: Option<u64>,
    pub window: Window,
    pub fields: Option<String>,
    /// `-H` (Some(true)), `--no-filename` (Some(false)), or the default.
    pub with_filename: Option<bool>,
    /// `-l`.
    pub files_with_matches: bool,
    /// `--pretty`: events indented (and coloured on a terminal).
    pub pretty: bool,
    /// `--summary`: one line per event, as the Okta console's table.
    pub summary: bool,
    /// `--count-by A,B`: a table of counts instead of events.
    pub count_by: Option<String>,
    pub format: Option<Format>,
    /// `--json-array`: the selected events (or --fields objects) as one
    /// JSON array.
    pub json_array: bool,
    /// Directory walks: `--hidden`, `-L`/`--follow`.
    pub hidden: bool,
    pub follow: bool,
    pub explain: bool,
    pub strict: bool,
    pub color: ColorChoice,
    /// `-q`/`--quiet`: nothing on stdout, the exit status only.
    pub quiet: bool,
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

/// The value of `--color`.
pub fn color(p: &mut Parser) -> Result<ColorChoice, lexopt::Error> {
    let value = p.value()?;
    match value.to_string_lossy().as_ref() {
        "auto" => Ok(ColorChoice::Auto),
        "always" => Ok(ColorChoice::Always),
        "never" => Ok(ColorChoice::Never),
        other => Err(format!("--color takes auto, always or never, not `{other}`").into()),
    }
}

fn filter_command(mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut a = Args::default();
    let mut source = FilterSource::default();
    while let Some(arg) = p.next()? {
        if let Some(opt) = WindowOption::of(&arg) {
            a.window.set(opt, &mut p)?;
            continue;
        }
        if let Some(opt) = FilterOption::of(&arg) {
            source.set(opt, &mut p)?;
            continue;
        }
        match arg {
            Short('c') | Long("count") => a.count = true,
            Short('v') | Long("invert-match") => a.invert = true,
            Short('i') | Long("ignore-case") => a.ignore_case = true,
            Short('m') | Long("max-count") => a.max_count = Some(number(&mut p, "-m/--max-count")?),
            Long("fields") => a.fields = Some(p.value()?.string()?),
            Long("count-by") => a.count_by = Some(p.value()?.string()?),
            Short('H') | Long("with-filename") => a.with_filename = Some(true),
            Long("no-filename") => a.with_filename = Some(false),
            Short('l') | Long("files-with-matches") => a.files_with_matches = true,
            Long("pretty") => a.pretty = true,
            Long("summary") => a.summary = true,
            Long("format") => {
                a.format = Some(p.value()?.parse_with(|s| match s {
                    "json" => Ok(Format::Json),
                    "tsv" => Ok(Format::Tsv),
                    "csv" => Ok(Format::Csv),
                    _ => Err("expected json, tsv or csv"),
                })?)
            }
            Long("json-array") => a.json_array = true,
            Long("hidden") => a.hidden = true,
            Short('L') | Long("follow") => a.follow = true,
            Long("explain") => a.explain = true,
            Long("strict") => a.strict = true,
            Long("color") | Long("colour") => a.color = color(&mut p)?,
            Short('q') | Long("quiet") | Long("silent") => a.quiet = true,
            Short('h') | Long("help") => return Ok(Command::Help(HELP)),
            Short('V') | Long("version") => return Ok(Command::Version),
            Value(v) => source.positional(v),
            _ => return Err(arg.unexpected()),
        }
    }
    a.filter = source.finish(&mut a.files)?;
    if a.count_by.is_some() {
        if a.fields.is_some() || a.count || a.json_array {
            return Err(
                "--count-by prints a table of counts: not with --fields, -c or --json-array".into(),
            );
        }
    } else if a.format.is_some() && a.fields.is_none() {
        return Err("--format needs --fields or --count-by".into());
    }
    if a.pretty || a.summary {
        let other = if a.pretty && a.summary {
            Some("--summary")
        } else if a.fields.is_some() {
            Some("--fields")
        } else if a.count_by.is_some() {
            Some("--count-by")
        } else if a.count {
            Some("-c")
        } else if a.json_array {
            Some("--json-array")
        } else {
            None
        };
        if let Some(other) = other {
            let me = if a.pretty { "--pretty" } else { "--summary" };
            return Err(format!("{me} shows events: not with {other}").into());
        }
    }
    if a.with_filename == Some(true) && (a.json_array || a.count_by.is_some()) {
        return Err("-H/--with-filename prints lines, not --json-array or --count-by".into());
    }
    if a.files_with_matches && (a.json_array || a.count_by.is_some() || a.count) {
        return Err(
            "-l/--files-with-matches prints names: not with -c, --json-array or --count-by".into(),
        );
    }
    if a.quiet && a.explain {
        return Err("-q/--quiet prints nothing; --explain prints the filter".into());
    }
    if a.json_array {
        if a.count {
            return Err("--json-array and -c/--count: -c prints a number, not events".into());
        }
        if matches!(a.format, Some(Format::Tsv | Format::Csv)) {
            return Err("--json-array needs JSON output, not --format tsv or csv".into());
        }
    }
    Ok(Command::Filter(a))
}

/// An option's whole-number value; a bad one is named with its option.
pub fn number(p: &mut Parser, option: &str) -> Result<u64, lexopt::Error> {
    let value = p.value()?;
    let text = value.to_string_lossy();
    text.parse()
        .map_err(|_| format!("{option} takes a whole number, not `{text}`").into())
}

// ------------------------------------------------ shared option groups

/// Where the filter comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterText {
    /// The first positional argument: an empty one is an error, as it
    /// always was (likely an unset shell variable).
    Positional(String),
    /// `-e FILTER`: may be empty, which selects every event.
    Option(String),
    /// `-f FILE`: the file's whole text (`-` is stdin), read by the command.
    File(OsString),
}

impl Default for FilterText {
    fn default() -> Self {
        FilterText::Positional(String::new())
    }
}

/// Where the filter text comes from: `-f FILE`/`--filter-file FILE`,
/// `-e FILTER`/`--filter FILTER`, or else the first positional argument.
/// With `-f` or `-e`, every positional argument is an input.
#[derive(Debug, Default)]
pub struct FilterSource {
    /// `-f` or `-e` as given, with how it was spelt (for errors).
    option: Option<(FilterText, String)>,
    /// Positional arguments, until we know whether the first is the filter.
    positional: Vec<OsString>,
}

/// One of [`FilterSource`]'s options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterOption {
    File,
    Text,
}

impl FilterOption {
    /// Which of the group's options `arg` is, if any.
    pub fn of(arg: &Arg) -> Option<FilterOption> {
        match arg {
            Short('f') | Long("filter-file") => Some(FilterOption::File),
            Short('e') | Long("filter") => Some(FilterOption::Text),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FilterOption::File => "-f/--filter-file",
            FilterOption::Text => "-e/--filter",
        }
    }
}

impl FilterSource {
    /// Reads the value of `opt`; a second `-f` or `-e` is an error.
    pub fn set(&mut self, opt: FilterOption, p: &mut Parser) -> Result<(), lexopt::Error> {
        let value = p.value()?;
        if let Some((_, before)) = &self.option {
            let msg = if before == opt.name() {
                format!("{before} given twice: give one filter (join conditions with `and`/`or`)")
            } else {
                format!(
                    "{before} and {} given together: give one filter",
                    opt.name()
                )
            };
            return Err(msg.into());
        }
        let text = match opt {
            FilterOption::File => FilterText::File(value),
            FilterOption::Text => FilterText::Option(value.string()?),
        };
        self.option = Some((text, opt.name().to_owned()));
        Ok(())
    }

    /// Takes a positional argument: the filter or an input, decided at
    /// [`finish`](FilterSource::finish) (an option may still follow).
    pub fn positional(&mut self, v: OsString) {
        self.positional.push(v);
    }

    /// The filter from `-f`/`-e` if given, and the positional arguments
    /// (for a subcommand that reads no events).
    pub fn into_parts(self) -> (Option<FilterText>, Vec<OsString>) {
        (self.option.map(|(text, _)| text), self.positional)
    }

    /// The filter of a command that reads no events (`check`, `url`): the
    /// filter is required, and no other positional argument is taken.
    pub fn finish_alone(self) -> Result<FilterText, lexopt::Error> {
        let (filter, mut rest) = self.split()?;
        match rest.next() {
            Some(arg) => Err(lexopt::Error::UnexpectedArgument(arg)),
            None => Ok(filter),
        }
    }

    /// The filter (required) and the positional arguments after it.
    fn split(self) -> Result<(FilterText, std::vec::IntoIter<OsString>), lexopt::Error> {
        let mut positional = self.positional.into_iter();
        let filter = match self.option {
            Some((text, _)) => text,
            None => FilterText::Positional(
                positional
                    .next()
                    .ok_or("missing FILTER (or -e FILTER, -f FILE)")?
                    .string()?,
            ),
        };
        Ok((filter, positional))
    }

    /// The filter, which is required, and moves the inputs into `files`.
    fn finish(self, files: &mut Vec<OsString>) -> Result<FilterText, lexopt::Error> {
        let (filter, positional) = self.split()?;
        files.extend(positional);
        if filter == FilterText::File("-".into()) {
            if files.is_empty() {
                return Err(
                    "-f - reads the filter from standard input, so the events must come \
                            from FILE arguments"
                        .into(),
                );
            }
            if files.iter().any(|f| f == "-") {
                return Err("-f - and the input `-` would both read standard input".into());
            }
        }
        Ok(filter)
    }
}

/// `--since T`, `--until T` and `-k WORDS`: the time window and keyword
/// search, as given (main.rs checks them).
#[derive(Debug, Default)]
pub struct Window {
    pub since: Option<String>,
    pub until: Option<String>,
    /// All the `-k` words, space-separated.
    pub keywords: Option<String>,
}

/// One of [`Window`]'s options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowOption {
    Since,
    Until,
    Keyword,
}

impl WindowOption {
    /// Which of the group's options `arg` is, if any. (Its value is read by
    /// [`Window::set`] once `arg`, which borrows the parser, is done with.)
    pub fn of(arg: &Arg) -> Option<WindowOption> {
        match arg {
            Long("since") => Some(WindowOption::Since),
            Long("until") => Some(WindowOption::Until),
            Short('k') | Long("keyword") | Long("keywords") => Some(WindowOption::Keyword),
            _ => None,
        }
    }
}

impl Window {
    /// Reads the value of `opt`.
    pub fn set(&mut self, opt: WindowOption, p: &mut Parser) -> Result<(), lexopt::Error> {
        let value = p.value()?.string()?;
        match opt {
            WindowOption::Since => self.since = Some(value),
            WindowOption::Until => self.until = Some(value),
            WindowOption::Keyword => {
                // Repeated -k options add their words to the same search.
                self.keywords = Some(match self.keywords.take() {
                    Some(before) => format!("{before} {value}"),
                    None => value,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args.iter().copied())) {
            Ok(Command::Filter(a)) => Ok(a),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn options_anywhere_and_double_dash() {
        let a = run(&["-ci", "f", "x.ndjson", "-m3", "--", "-"]).unwrap();
        assert!(a.count && a.ignore_case && !a.invert);
        assert_eq!(a.filter, pos("f"));
        assert_eq!(a.max_count, Some(3));
        assert_eq!(
            a.files,
            vec![OsString::from("x.ndjson"), OsString::from("-")]
        );
    }

    fn pos(s: &str) -> FilterText {
        FilterText::Positional(s.into())
    }

    fn files(a: &Args) -> Vec<&str> {
        a.files.iter().map(|f| f.to_str().unwrap()).collect()
    }

    #[test]
    fn filter_from_an_option_or_a_file() {
        // With -e or -f every positional argument is an input, wherever
        // the option comes.
        let a = run(&["a.json", "-e", "eventType pr", "b.json"]).unwrap();
        assert_eq!(a.filter, FilterText::Option("eventType pr".into()));
        assert_eq!(files(&a), ["a.json", "b.json"]);
        let a = run(&["--filter=", "x"]).unwrap();
        assert_eq!(a.filter, FilterText::Option("".into()));
        assert_eq!(files(&a), ["x"]);
        let a = run(&["eventType pr", "--filter-file", "rule.txt"]).unwrap();
        assert_eq!(a.filter, FilterText::File("rule.txt".into()));
        assert_eq!(files(&a), ["eventType pr"]);
        let a = run(&["-frule.txt"]).unwrap();
        assert_eq!(a.filter, FilterText::File("rule.txt".into()));
        assert!(a.files.is_empty());
        let a = run(&["-f", "-", "x.json", "y.json"]).unwrap();
        assert_eq!(a.filter, FilterText::File("-".into()));
        assert_eq!(files(&a), ["x.json", "y.json"]);
        // `--` still ends the options.
        let a = run(&["-e", "a pr", "--", "-f"]).unwrap();
        assert_eq!(files(&a), ["-f"]);
    }

    #[test]
    fn filter_options_refused() {
        let e = run(&["-e", "a pr", "-e", "b pr"]).unwrap_err();
        assert!(e.contains("-e/--filter given twice"), "{e}");
        let e = run(&["-f", "x", "--filter-file", "y"]).unwrap_err();
        assert!(e.contains("-f/--filter-file given twice"), "{e}");
        let e = run(&["-f", "x", "-e", "a pr"]).unwrap_err();
        assert!(
            e.contains("-f/--filter-file and -e/--filter given together"),
            "{e}"
        );
        let e = run(&["-e", "a pr", "-f", "x"]).unwrap_err();
        assert!(
            e.contains("-e/--filter and -f/--filter-file given together"),
            "{e}"
        );
        let e = run(&["-f", "-"]).unwrap_err();
        assert!(e.contains("FILE arguments"), "{e}");
        let e = run(&["-f", "-", "x", "-"]).unwrap_err();
        assert!(e.contains("both read standard input"), "{e}");
        assert!(run(&["-e"]).unwrap_err().contains("-e"));
        assert!(run(&["-f"]).unwrap_err().contains("-f"));
    }

    #[test]
    fn json_array() {
        assert!(run(&["--json-array", "f"]).unwrap().json_array);
        assert!(run(&["--json-array", "--fields", "a", "f"]).is_ok());
        assert!(run(&["--json-array", "--fields", "a", "--format", "json", "f"]).is_ok());
        let e = run(&["--json-array", "-c", "f"]).unwrap_err();
        assert!(e.contains("--json-array and -c/--count"), "{e}");
        for format in ["tsv", "csv"] {
            let e = run(&["--json-array", "--fields", "a", "--format", format, "f"]).unwrap_err();
            assert!(e.contains("--json-array needs JSON output"), "{e}");
        }
    }

    #[test]
    fn keywords_accumulate() {
        let a = run(&["-k", "a b", "--keyword=c", "f"]).unwrap();
        assert_eq!(a.window.keywords.as_deref(), Some("a b c"));
    }

    #[test]
    fn errors() {
        assert!(run(&[]).unwrap_err().contains("missing FILTER"));
        assert!(run(&["--bogus", "f"]).unwrap_err().contains("--bogus"));
        assert!(run(&["-m", "x", "f"]).is_err());
        assert!(run(&["--format", "xml", "--fields", "a", "f"]).is_err());
        assert!(run(&["--format", "csv", "f"])
            .unwrap_err()
            .contains("--fields"));
    }

    fn command(args: &[&str]) -> Result<Command, Error> {
        parse(lexopt::Parser::from_args(args.iter().copied()))
    }

    #[test]
    fn a_first_word_selects_its_subcommand() {
        for sub in Subcommand::ALL {
            assert_eq!(Subcommand::from_word(OsStr::new(sub.word())), Some(sub));
        }
        // Every word is a subcommand now: `--help` gives its help.
        for sub in Subcommand::ALL {
            match command(&[sub.word(), "--help"]) {
                Ok(Command::Help(_)) => {}
                other => panic!("{}: {other:?}", sub.word()),
            }
        }
    }

    #[test]
    fn check_and_url_arguments() {
        use crate::check::Format as CheckFormat;
        match command(&["check", "-i", "--format", "json", "eventType pr"]) {
            Ok(Command::Check(a)) => {
                assert!(a.ignore_case);
                assert_eq!(a.format, CheckFormat::Json);
                assert_eq!(a.filter, pos("eventType pr"));
            }
            other => panic!("{other:?}"),
        }
        match command(&["check", "-f", "-"]) {
            Ok(Command::Check(a)) => assert_eq!(a.filter, FilterText::File("-".into())),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            command(&["check", "--help"]),
            Ok(Command::Help(crate::check::HELP))
        ));
        assert!(matches!(
            command(&["url", "-h"]),
            Ok(Command::Help(crate::url::HELP))
        ));
        // One filter, nothing else; usage errors name the subcommand.
        for args in [
            &["check"][..],
            &["check", "a pr", "b pr"],
            &["check", "-e", "a pr", "x"],
            &["check", "--format", "xml", "a pr"],
            &["check", "-c", "a pr"],
            &["url"],
            &["url", "a pr", "file.json"],
            &["url", "--limit", "x", "a pr"],
            &["url", "--sort", "up", "a pr"],
            &["url", "-i", "a pr"],
        ] {
            match command(args) {
                Err(Error::Usage(usage, _)) => {
                    assert_eq!(usage.command, format!("oktaql {}", args[0]), "{args:?}")
                }
                other => panic!("{args:?}: {other:?}"),
            }
        }
        match command(&[
            "url",
            "--since",
            "2025-03-03",
            "--until=2025-03-04",
            "-k",
            "a",
            "-kb",
            "--limit",
            "10",
            "--sort",
            "DESC",
            "-e",
            "",
        ]) {
            Ok(Command::Url(a)) => {
                assert_eq!(a.window.since.as_deref(), Some("2025-03-03"));
                assert_eq!(a.window.until.as_deref(), Some("2025-03-04"));
                assert_eq!(a.window.keywords.as_deref(), Some("a b"));
                assert_eq!(a.limit, Some(10));
                assert_eq!(a.sort, Some(oktaql::url::SortOrder::Descending));
                assert_eq!(a.filter, FilterText::Option(String::new()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quiet() {
        assert!(run(&["-q", "f"]).unwrap().quiet);
        assert!(run(&["--quiet", "f"]).unwrap().quiet);
        assert!(run(&["-q", "--explain", "f"]).is_err());
    }

    #[test]
    fn only_the_very_first_argument_selects_a_subcommand() {
        let a = run(&["--", "sql", "x"]).unwrap();
        assert_eq!((a.filter, a.files.len()), (pos("sql"), 1));
        let a = run(&["-c", "check"]).unwrap();
        assert_eq!(a.filter, pos("check"));
        assert!(a.count);
        let a = run(&["eventType pr", "url"]).unwrap();
        assert_eq!(a.files, vec![OsString::from("url")]);
        // Exactly the word: not another case, not a longer text.
        for filter in ["SQL", "Check", "url ", "sql pr", "sqlx"] {
            assert_eq!(run(&[filter]).unwrap().filter, pos(filter));
        }
    }

    #[test]
    fn help_and_usage_errors_name_the_filtering_command() {
        assert!(matches!(command(&["--help"]), Ok(Command::Help(HELP))));
        assert!(matches!(command(&["f", "-h"]), Ok(Command::Help(HELP))));
        assert!(HELP.contains(&format!("Usage: {} {}", USAGE.command, USAGE.synopsis)));
        match command(&["--bogus"]) {
            Err(Error::Usage(usage, e)) => {
                assert_eq!(usage, USAGE);
                assert!(e.to_string().contains("--bogus"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn window_options() {
        let a = run(&["--since", "2025-03-03", "f", "--until=2025-03-04", "-kx"]).unwrap();
        assert_eq!(a.window.since.as_deref(), Some("2025-03-03"));
        assert_eq!(a.window.until.as_deref(), Some("2025-03-04"));
        assert_eq!(a.window.keywords.as_deref(), Some("x"));
        assert!(run(&["f", "--since"]).unwrap_err().contains("--since"));
    }
}
