//! The option groups several commands share, parsed and checked here once:
//! where the filter comes from ([`FilterSource`], read by
//! [`FilterText::read`]), the time window and keywords ([`Window`], checked
//! by [`Window::check`]), which events are read ([`EventInput`]: FILEs,
//! directories, stdin, `--hidden`, `-L`, `-g`, `--strict`), `--color`
//! ([`color`]), whole-number values ([`number`]); and what a command's parser
//! returns ([`Parsed`]) and how it is invoked ([`Usage`]).
//!
//! Each group is used the same way in a parser's loop: `XOption::of(&arg)`
//! says whether `arg` is one of the group's options, then `group.set(opt,
//! &mut p)` reads its value. The groups import no command file, so that
//! every command can use them.

use std::ffi::OsString;
use std::fmt;

use lexopt::prelude::*;
use lexopt::{Arg, Parser};
use oktaql::{Keywords, Timestamp};

use crate::style::{ColorChoice, Term};
use crate::walk::Walk;

/// How a command is invoked, for the lines after a usage error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// As typed: `oktaql`, or `oktaql` and a subcommand's word.
    pub command: &'static str,
    /// What follows it.
    pub synopsis: &'static str,
}

impl fmt::Display for Usage {
    /// The lines after a usage error's message: the synopsis and a pointer
    /// to `--help`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let Usage { command, synopsis } = self;
        writeln!(f, "Usage: {command} {synopsis}")?;
        writeln!(f, "Try '{command} --help' for more information.")
    }
}

/// What a command's parser found: arguments to run with, or a text to print.
#[derive(Debug)]
pub enum Parsed<T> {
    Run(T),
    /// `-h`/`--help`: this help text.
    Help(&'static str),
    /// `-V`/`--version`.
    Version,
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

/// An option's whole-number value; a bad one is named with its option.
pub fn number(p: &mut Parser, option: &str) -> Result<u64, lexopt::Error> {
    let value = p.value()?;
    let text = value.to_string_lossy();
    text.parse()
        .map_err(|_| format!("{option} takes a whole number, not `{text}`").into())
}

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

impl FilterText {
    /// The filter's text, and the name of the file it came from (for
    /// errors); an error is reported.
    pub fn read(&self, term: &Term) -> Result<(String, Option<String>), ()> {
        let path = match self {
            FilterText::Positional(t) | FilterText::Option(t) => return Ok((t.clone(), None)),
            FilterText::File(path) => path,
        };
        let (name, bytes) = if path == "-" {
            let mut bytes = Vec::new();
            let r = std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes);
            ("<stdin>".to_owned(), r.map(|_| bytes))
        } else {
            (path.to_string_lossy().into_owned(), std::fs::read(path))
        };
        let bytes = bytes.map_err(|e| {
            term.error(format_args!(
                "cannot read the filter file {name}: {}",
                oktaql::read::io_message(&e)
            ))
        })?;
        let mut text = String::from_utf8(bytes).map_err(|e| {
            term.error(format_args!(
                "the filter file {name} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        if text.trim().is_empty() {
            // Not every event: a saved rule that lost its text should not
            // select everything (and grep's empty pattern file selects nothing).
            term.error(format_args!(
                "the filter file {name} is empty (to select every event, use -e '')"
            ));
            return Err(());
        }
        Ok((text, Some(name)))
    }
}

/// Reports a filter that does not parse, naming the file it came from.
pub fn report_parse_error(term: &Term, file: &Option<String>, e: &oktaql::ParseError) {
    match file {
        Some(name) => term.parse_error(&format!("{name}:{}: ", e.caret().line_number()), e),
        None => term.parse_error("", e),
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
    pub fn finish(self, files: &mut Vec<OsString>) -> Result<FilterText, lexopt::Error> {
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
/// search, as given ([`Window::check`] checks them).
#[derive(Debug, Default)]
pub struct Window {
    pub since: Option<String>,
    pub until: Option<String>,
    /// All the `-k` words, space-separated.
    pub keywords: Option<String>,
}

/// `--since`, `--until` and `-k`, checked.
pub struct Narrowing {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub keywords: Option<Keywords>,
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

    /// The window and keywords checked; each error is reported.
    pub fn check(&self, term: &Term) -> Result<Narrowing, ()> {
        let time = |opt: &str, text: &Option<String>| match text {
            None => Ok(None),
            Some(t) => Timestamp::parse(t).map(Some).map_err(|_| {
                term.error(format_args!(
                    "invalid {opt} value `{t}`: expected an RFC 3339 date-time \
                     (2025-03-03T08:00:00Z, 2025-03-03T10:00:00.5+02:00) or a date (2025-03-03)"
                ))
            }),
        };
        let since = time("--since", &self.since)?;
        let until = time("--until", &self.until)?;
        let keywords = match &self.keywords {
            None => None,
            Some(k) => Some(
                Keywords::parse(k)
                    .map_err(|e| term.error(format_args!("invalid -k/--keyword `{k}`: {e}")))?,
            ),
        };
        Ok(Narrowing {
            since,
            until,
            keywords,
        })
    }
}

/// Which events are read: the FILE arguments (files, directories, `-` for
/// stdin; none is stdin), how directories are walked (`--hidden`,
/// `-L`/`--follow`, `-g`/`--glob`; see walk.rs) and `--strict`.
/// `walk::inputs` turns it into the inputs.
#[derive(Debug, Default)]
pub struct EventInput {
    /// As given; empty means stdin. [`FilterSource::finish`] fills it.
    pub files: Vec<OsString>,
    pub walk: Walk,
    /// `--strict`: stop at the first bad line.
    pub strict: bool,
}

/// One of [`EventInput`]'s options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputOption {
    Hidden,
    Follow,
    Glob,
    Strict,
}

impl InputOption {
    /// Which of the group's options `arg` is, if any.
    pub fn of(arg: &Arg) -> Option<InputOption> {
        match arg {
            Long("hidden") => Some(InputOption::Hidden),
            Short('L') | Long("follow") => Some(InputOption::Follow),
            Short('g') | Long("glob") => Some(InputOption::Glob),
            Long("strict") => Some(InputOption::Strict),
            _ => None,
        }
    }
}

impl EventInput {
    /// Takes `opt`, and reads its value if it has one; a GLOB that does
    /// not compile is an error naming it.
    pub fn set(&mut self, opt: InputOption, p: &mut Parser) -> Result<(), lexopt::Error> {
        match opt {
            InputOption::Hidden => self.walk.hidden = true,
            InputOption::Follow => self.walk.follow = true,
            InputOption::Glob => {
                let glob = p.value()?.string()?;
                self.walk
                    .globs
                    .add(&glob)
                    .map_err(|why| format!("invalid glob `{glob}` in -g/--glob: {why}"))?;
            }
            InputOption::Strict => self.strict = true,
        }
        Ok(())
    }
}
