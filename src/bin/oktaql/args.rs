//! Which command the command line runs, and nothing else.
//!
//! The first argument selects a subcommand when it is exactly one of the
//! [`Subcommand`] words (`sql`, `check`, `url`, `rules`); anything else is the
//! filtering command, `oktaql [OPTIONS] [--] FILTER [FILE...]` (filter.rs).
//! Only the very first argument counts, as with git and cargo: `oktaql -c
//! sql` and `oktaql -- sql` filter with `sql` (none of the words is a valid
//! filter).
//!
//! Each command owns its file: its help text (`HELP`), its synopsis for
//! usage errors (`USAGE`), its arguments (`Args`), their parser (`parse`,
//! giving [`Parsed`]) and its run function (`run`, giving the exit status).
//! The option groups they share (the filter's source, the time window, the
//! events read, `--color`) are in opts.rs, which imports no command file;
//! this file imports the commands, and no command imports it.
//!
//! Adding a subcommand `NAME`: a file NAME.rs with those five items, its
//! parser's loop taking the shared groups first (`XOption::of(&arg)` then
//! `group.set(opt, &mut p)`, see opts.rs) and its own options after; then a
//! [`Subcommand`] variant and word, a [`Command`] variant, one line in
//! [`Subcommand::parse`] and one in main.rs's `match`, and a line in the
//! filtering command's help under "Subcommands". tests/command_layout.rs
//! fails if the new file imports back into one that imports it.

use std::ffi::OsStr;
use std::fmt;

use lexopt::Parser;

use crate::opts::{Parsed, Usage};
use crate::{check, filter, rules, sql, url};

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
    /// `oktaql rules`: a catalogue of rules over events, in one pass
    /// (rules.rs).
    Rules,
}

impl Subcommand {
    pub const ALL: [Subcommand; 4] = [
        Subcommand::Sql,
        Subcommand::Check,
        Subcommand::Url,
        Subcommand::Rules,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Subcommand::Sql => "sql",
            Subcommand::Check => "check",
            Subcommand::Url => "url",
            Subcommand::Rules => "rules",
        }
    }

    /// The subcommand `arg` selects: only an exact match does.
    pub fn from_word(arg: &OsStr) -> Option<Subcommand> {
        Subcommand::ALL.into_iter().find(|s| arg == s.word())
    }

    /// Parses the arguments after the word.
    fn parse(self, p: Parser) -> Result<Command, Error> {
        match self {
            Subcommand::Check => command(check::USAGE, check::parse(p), Command::Check),
            Subcommand::Url => command(url::USAGE, url::parse(p), Command::Url),
            Subcommand::Sql => command(sql::USAGE, sql::parse(p), Command::Sql),
            Subcommand::Rules => command(rules::USAGE, rules::parse(p), Command::Rules),
        }
    }
}

/// What to run.
#[derive(Debug)]
pub enum Command {
    /// The filtering command.
    Filter(filter::Args),
    /// `oktaql check`.
    Check(check::Args),
    /// `oktaql url`.
    Url(url::Args),
    /// `oktaql sql`.
    Sql(sql::Args),
    /// `oktaql rules`.
    Rules(rules::Args),
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

/// A command's parse as a [`Command`], its errors named with its usage.
fn command<T>(
    usage: Usage,
    parsed: Result<Parsed<T>, lexopt::Error>,
    run: fn(T) -> Command,
) -> Result<Command, Error> {
    match parsed {
        Ok(Parsed::Run(args)) => Ok(run(args)),
        Ok(Parsed::Help(text)) => Ok(Command::Help(text)),
        Ok(Parsed::Version) => Ok(Command::Version),
        Err(e) => Err(Error::Usage(usage, e)),
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
        None => command(filter::USAGE, filter::parse(p), Command::Filter),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;
    use crate::opts::FilterText;

    fn command(args: &[&str]) -> Result<Command, Error> {
        parse(lexopt::Parser::from_args(args.iter().copied()))
    }

    fn run(args: &[&str]) -> Result<filter::Args, String> {
        match command(args) {
            Ok(Command::Filter(a)) => Ok(a),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    fn pos(s: &str) -> FilterText {
        FilterText::Positional(s.into())
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
        assert!(matches!(
            command(&["check", "--help"]),
            Ok(Command::Help(check::HELP))
        ));
        assert!(matches!(
            command(&["url", "-h"]),
            Ok(Command::Help(url::HELP))
        ));
        assert!(matches!(
            command(&["sql", "--help"]),
            Ok(Command::Help(sql::HELP))
        ));
        assert!(matches!(
            command(&["check", "-e", "a pr"]),
            Ok(Command::Check(_))
        ));
        assert!(matches!(command(&["url", "a pr"]), Ok(Command::Url(_))));
        assert!(matches!(
            command(&["sql", "--dialect", "spark", "a pr"]),
            Ok(Command::Sql(_))
        ));
    }

    #[test]
    fn usage_errors_name_the_subcommand() {
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
            &["sql", "a pr"],
            &["sql", "--dialect", "duckdb", "--count", "a pr"],
        ] {
            match command(args) {
                Err(Error::Usage(usage, _)) => {
                    assert_eq!(usage.command, format!("oktaql {}", args[0]), "{args:?}")
                }
                other => panic!("{args:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn only_the_very_first_argument_selects_a_subcommand() {
        let a = run(&["--", "sql", "x"]).unwrap();
        assert_eq!((a.filter, a.input.files.len()), (pos("sql"), 1));
        let a = run(&["-c", "check"]).unwrap();
        assert_eq!(a.filter, pos("check"));
        assert!(a.count);
        let a = run(&["eventType pr", "url"]).unwrap();
        assert_eq!(a.input.files, vec![OsString::from("url")]);
        // Exactly the word: not another case, not a longer text.
        for filter in ["SQL", "Check", "url ", "sql pr", "sqlx"] {
            assert_eq!(run(&[filter]).unwrap().filter, pos(filter));
        }
    }

    #[test]
    fn help_and_usage_errors_name_the_filtering_command() {
        use filter::{HELP, USAGE};
        assert!(matches!(command(&["--help"]), Ok(Command::Help(HELP))));
        assert!(matches!(command(&["f", "-h"]), Ok(Command::Help(HELP))));
        assert!(matches!(command(&["-V"]), Ok(Command::Version)));
        assert!(HELP.contains(&format!("Usage: {} {}", USAGE.command, USAGE.synopsis)));
        match command(&["--bogus"]) {
            Err(Error::Usage(usage, e)) => {
                assert_eq!(usage, USAGE);
                assert!(e.to_string().contains("--bogus"));
            }
            other => panic!("{other:?}"),
        }
    }
}
