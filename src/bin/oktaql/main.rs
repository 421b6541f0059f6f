//! `oktaql`: filter Okta System Log events with the Okta filter language.
//!
//! The language, the matching, dates, keywords and paths are all the
//! library's; this binary reads inputs, runs the matching on all cores and
//! prints the results in input order.

#![forbid(unsafe_code)]

mod args;
mod input;
mod output;
mod pipeline;
mod progress;
mod run;
mod sql;
mod style;
mod walk;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use oktaql::{Filter, Keywords, Timestamp};

use crate::args::{Args, Command, FilterText, Format, Window};
use crate::input::{Input, Origin, Source};
use crate::output::Fields;
use crate::style::Term;

fn main() -> ExitCode {
    ExitCode::from(real_main())
}

fn real_main() -> u8 {
    let term = Term::new();
    let command = match args::parse(lexopt::Parser::from_env()) {
        Ok(c) => c,
        Err(args::Error::Usage(usage, e)) => {
            term.usage_error(usage, e);
            return 2;
        }
        Err(e @ args::Error::NotYet(_)) => {
            term.error(e);
            return 2;
        }
    };
    match command {
        Command::Filter(a) => filter_command(&a, &term),
        Command::Sql(a) => sql::run(&a, &term),
        Command::Help(text) => print(text),
        Command::Version => print(&format!("oktaql {}\n", env!("CARGO_PKG_VERSION"))),
    }
}

/// `oktaql [OPTIONS] FILTER [FILE...]`.
fn filter_command(args: &Args, term: &Term) -> u8 {
    match prepare(args, term) {
        Ok((filter, fields)) => {
            if args.explain {
                return print(&format!(
                    "{}canonical: {filter}\n",
                    filter
                        .ast()
                        .map_or_else(|| "(empty filter: every event)\n".to_owned(), |a| a.tree())
                ));
            }
            go(args, &filter, fields.as_ref(), term)
        }
        Err(()) => 2,
    }
}

/// Writes to stdout, ignoring a closed pipe.
fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    0
}

/// `--since`, `--until` and `-k`, checked: each error is reported.
struct Narrowing {
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    keywords: Option<Keywords>,
}

fn narrowing(w: &Window, term: &Term) -> Result<Narrowing, ()> {
    let time = |opt: &str, text: &Option<String>| match text {
        None => Ok(None),
        Some(t) => Timestamp::parse(t).map(Some).ok_or_else(|| {
            term.error(format_args!(
                "invalid {opt} value `{t}`: expected an RFC 3339 date-time (2025-03-03T08:00:00Z, \
                 2025-03-03T10:00:00.5+02:00) or a date (2025-03-03)"
            ))
        }),
    };
    let since = time("--since", &w.since)?;
    let until = time("--until", &w.until)?;
    let keywords = match &w.keywords {
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

/// The filter's text, and the name of the file it came from (for errors).
fn filter_text(f: &FilterText, term: &Term) -> Result<(String, Option<String>), ()> {
    let path = match f {
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
            input::io_message(&e)
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

/// Builds the filter and the fields from the options, reporting what is wrong.
fn prepare(a: &Args, term: &Term) -> Result<(Filter, Option<Fields>), ()> {
    let Narrowing {
        since,
        until,
        keywords,
    } = narrowing(&a.window, term)?;
    let (text, file) = filter_text(&a.filter, term)?;
    let filter = Filter::builder()
        .ignore_case(a.ignore_case)
        // -v inverts the filter text only: --since, --until and -k still
        // narrow the selection.
        .invert(a.invert)
        .since(since)
        .until(until)
        .keywords(keywords)
        // `-e ''` selects every event (grep's empty pattern).
        .empty_selects_all(matches!(a.filter, FilterText::Option(_)))
        .parse(&text)
        .map_err(|e| match &file {
            Some(name) => term.parse_error(&format!("{name}:{}: ", e.caret().line_number()), &e),
            None => term.parse_error("", &e),
        })?;
    let fields = match &a.fields {
        None => None,
        Some(list) => Some(
            Fields::parse(list, a.format.unwrap_or(Format::Json))
                .map_err(|(what, e)| term.parse_error(&what, &e))?,
        ),
    };
    Ok((filter, fields))
}

fn go(a: &Args, filter: &Filter, fields: Option<&Fields>, term: &Term) -> u8 {
    let (inputs, walk_failed) = inputs(a, term);
    // A progress bar for files only, on a terminal.
    let progress = (term.is_tty() && inputs.iter().all(|i| matches!(i.source, Source::File(_))))
        .then(|| {
            inputs
                .iter()
                .filter_map(|i| match &i.source {
                    Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                    Source::Stdin => None,
                })
                .sum()
        });
    let cfg = run::Config {
        filter,
        count: a.count,
        max_count: a.max_count,
        strict: a.strict,
        fields,
        json_array: a.json_array,
    };
    let code = run::run(&cfg, &inputs, term, progress);
    if walk_failed {
        2
    } else {
        code
    }
}

/// The inputs: stdin, the files named, the files below the directories
/// named (see walk.rs). Whether some directory could not be walked (each
/// is reported now; the others are still read).
fn inputs(a: &Args, term: &Term) -> (Vec<Input>, bool) {
    let stdin = || Input {
        name: "<stdin>".to_owned(),
        source: Source::Stdin,
        origin: Origin::Named,
    };
    if a.files.is_empty() {
        return (vec![stdin()], false);
    }
    let walk = walk::Walk {
        hidden: a.hidden,
        follow: a.follow,
    };
    let mut inputs = Vec::new();
    let mut failed = false;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for f in &a.files {
        if f == "-" {
            inputs.push(stdin());
            continue;
        }
        let path = PathBuf::from(f);
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            // A file, or an error when it is read.
            inputs.push(Input {
                name: f.to_string_lossy().into_owned(),
                source: Source::File(path),
                origin: Origin::Named,
            });
            continue;
        }
        walk.files(&path, &mut found, &mut errors);
        for e in errors.drain(..) {
            failed = true;
            let name = e.path.display();
            match e.error {
                Some(e) => term.error(format_args!(
                    "cannot read the directory {name}: {}",
                    input::io_message(&e)
                )),
                None => term.error(format_args!(
                    "{name}: a link to a directory being searched, skipped (a loop)"
                )),
            }
        }
        inputs.extend(found.drain(..).map(|p| Input {
            name: p.to_string_lossy().into_owned(),
            source: Source::File(p),
            origin: Origin::Walked,
        }));
    }
    (inputs, failed)
}
