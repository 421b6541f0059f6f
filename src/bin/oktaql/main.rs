//! `oktaql`: filter Okta System Log events with the Okta filter language.
//!
//! The language, the matching, dates, keywords and paths are all the
//! library's; this binary reads inputs, runs the matching on all cores and
//! prints the results in input order.

#![forbid(unsafe_code)]

mod args;
mod check;
mod input;
mod notes;
mod output;
mod pipeline;
mod progress;
mod run;
mod sql;
mod style;
mod url;
mod walk;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use oktaql::{Filter, Keywords, Timestamp};

use crate::args::{Args, ColorChoice, Command, FilterText, Format, Window};
use crate::input::{Input, Origin, Source};
use crate::output::{CountBy, Fields, Summary};
use crate::style::Term;

fn main() -> ExitCode {
    ExitCode::from(real_main())
}

fn real_main() -> u8 {
    let mut term = Term::new();
    let command = match args::parse(lexopt::Parser::from_env()) {
        Ok(c) => c,
        Err(args::Error::Usage(usage, e)) => {
            term.usage_error(usage, e);
            return 2;
        }
    };
    match command {
        Command::Filter(a) => {
            term.set_color(a.color);
            filter_command(&a, &term)
        }
        Command::Check(a) => check::run(&a, &term),
        Command::Url(a) => url::run(&a, &term),
        Command::Sql(a) => sql::run(&a, &term),
        Command::Help(text) => print(text),
        Command::Version => print(&format!("oktaql {}\n", env!("CARGO_PKG_VERSION"))),
    }
}

/// `oktaql [OPTIONS] FILTER [FILE...]`.
fn filter_command(args: &Args, term: &Term) -> u8 {
    match prepare(args, term) {
        Ok((filter, (fields, count_by, window))) => {
            if args.explain {
                return print(&format!(
                    "as written:\n{}canonical: {filter}\n\nwhat decides a match:\n{}",
                    filter
                        .ast()
                        .map_or_else(|| "(empty filter: every event)\n".to_owned(), |a| a.tree()),
                    filter.explain()
                ));
            }
            go(
                args,
                &filter,
                fields.as_ref(),
                count_by.as_ref(),
                window.as_ref(),
                term,
            )
        }
        Err(()) => 2,
    }
}

/// Writes to stdout, ignoring a closed pipe.
pub(crate) fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    0
}

/// `--since`, `--until` and `-k`, checked: each error is reported.
pub(crate) struct Narrowing {
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    keywords: Option<Keywords>,
}

pub(crate) fn narrowing(w: &Window, term: &Term) -> Result<Narrowing, ()> {
    let time = |opt: &str, text: &Option<String>| match text {
        None => Ok(None),
        Some(t) => Timestamp::parse(t).map(Some).map_err(|_| {
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
pub(crate) fn filter_text(f: &FilterText, term: &Term) -> Result<(String, Option<String>), ()> {
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

/// For a filter given as the first argument that does not parse: a file
/// name where the filter belongs, or a filter the shell split into several
/// arguments (`oktaql eventType pr logs.json`).
fn argument_slip(text: &str, e: &oktaql::ParseError, files: &[OsString]) -> Option<String> {
    let looks_like_a_file = std::path::Path::new(text).exists()
        || [".json", ".ndjson", ".jsonl", ".gz", ".zst", ".log", ".txt"]
            .iter()
            .any(|ext| text.to_ascii_lowercase().ends_with(ext));
    if looks_like_a_file {
        return Some(format!(
            "`{text}` looks like a file: the filter comes first (oktaql FILTER {text})"
        ));
    }
    // The filter ended too early and more arguments follow: the shell
    // split it (unquoted spaces), and may have eaten its quotes too.
    let ended_early = e.offset() >= text.trim_end().len();
    if !ended_early || files.is_empty() {
        return None;
    }
    let words: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let quote = |s: &str| {
        if !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || "._/-=:@,+%".contains(c))
        {
            s.to_owned()
        } else {
            format!("'{}'", s.replace('\'', r"'\''"))
        }
    };
    // The longest run of arguments that makes a filter.
    for n in (1..=words.len().min(64)).rev() {
        let mut parts: Vec<&str> = vec![text];
        parts.extend(words[..n].iter().map(String::as_str));
        let as_given = parts.join(" ");
        // Or with the quotes the shell ate put back on the value.
        let last = &words[n - 1];
        parts.pop();
        let requoted = format!("{} \"{last}\"", parts.join(" "));
        let found = [as_given, requoted]
            .into_iter()
            .find(|t| Filter::parse(t).is_ok());
        if let Some(joined) = found {
            let rest: Vec<String> = words[n..].iter().map(|w| quote(w)).collect();
            return Some(
                format!(
                    "quote the whole filter as one argument: oktaql {} {}",
                    quote(&joined),
                    rest.join(" ")
                )
                .trim_end()
                .to_owned(),
            );
        }
    }
    Some(
        "quote the whole filter as one argument, in single quotes so that its double quotes \
         stay: oktaql 'eventType eq \"user.session.start\"' logs.json"
            .to_owned(),
    )
}

/// Builds the filter and the fields from the options, reporting what is wrong.
#[allow(clippy::type_complexity)]
fn prepare(
    a: &Args,
    term: &Term,
) -> Result<
    (
        Filter,
        (Option<Fields>, Option<CountBy>, Option<run::Window>),
    ),
    (),
> {
    let Narrowing {
        since,
        until,
        keywords,
    } = narrowing(&a.window, term)?;
    let (text, file) = filter_text(&a.filter, term)?;
    let builder = Filter::builder()
        .ignore_case(a.ignore_case)
        // -v inverts the filter text only: --since, --until and -k still
        // narrow the selection.
        .invert(a.invert)
        .keywords(keywords)
        // `-e ''` selects every event (grep's empty pattern).
        .empty_selects_all(matches!(a.filter, FilterText::Option(_)));
    // With a window, what it leaves out because `published` is not a
    // date-time is counted: the filter without the window, and the window
    // that every date-time satisfies (the earliest instant there is).
    let window = (since.is_some() || until.is_some())
        .then(|| {
            let open = builder.clone().parse(&text).ok()?;
            let dated = Filter::builder()
                .empty_selects_all(true)
                .since(Timestamp::parse("0000-01-01T00:00:00+23:59").ok())
                .parse("")
                .ok()?;
            Some(run::Window { open, dated })
        })
        .flatten();
    let filter = builder
        .since(since)
        .until(until)
        .parse(&text)
        .map_err(|e| {
            report_parse_error(term, &file, &e);
            if let (None, FilterText::Positional(text), None) = (&file, &a.filter, e.help()) {
                if let Some(help) = argument_slip(text, &e, &a.files) {
                    term.help(help);
                }
            }
        })?;
    let fields = match &a.fields {
        None => None,
        Some(list) => Some(
            Fields::parse(list, a.format.unwrap_or(Format::Json))
                .map_err(|(what, e)| term.parse_error(&what, &e))?,
        ),
    };
    let count_by = match &a.count_by {
        None => None,
        Some(list) => {
            Some(CountBy::parse(list, a.format).map_err(|(what, e)| term.parse_error(&what, &e))?)
        }
    };
    Ok((filter, (fields, count_by, window)))
}

/// Reports a filter that does not parse, naming the file it came from.
pub(crate) fn report_parse_error(term: &Term, file: &Option<String>, e: &oktaql::ParseError) {
    match file {
        Some(name) => term.parse_error(&format!("{name}:{}: ", e.caret().line_number()), e),
        None => term.parse_error("", e),
    }
}

fn go(
    a: &Args,
    filter: &Filter,
    fields: Option<&Fields>,
    count_by: Option<&CountBy>,
    window: Option<&run::Window>,
    term: &Term,
) -> u8 {
    let (inputs, walk_failed) = inputs(a, term);
    // A progress bar for files only, on a terminal.
    let progress = (term.can_draw() && inputs.iter().all(|i| matches!(i.source, Source::File(_))))
        .then(|| {
            inputs
                .iter()
                .filter_map(|i| match &i.source {
                    Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                    Source::Stdin => None,
                })
                .sum()
        });
    // The notes cost nothing once an event is selected; -q silences them.
    let notes = (!a.quiet).then(|| notes::Notes::new(filter));
    let summary = Summary::new();
    let cfg = run::Config {
        filter,
        count: a.count,
        // -q stops at the first selected event, as grep -q does.
        max_count: if a.quiet {
            Some(a.max_count.unwrap_or(1).min(1))
        } else {
            a.max_count
        },
        strict: a.strict,
        fields,
        count_by,
        with_filename: a.with_filename.unwrap_or_else(|| {
            // rg's default, on a terminal only: piped output stays JSON Lines.
            std::io::stdout().is_terminal()
                && (a.files.len() > 1 || a.files.iter().any(|f| std::path::Path::new(f).is_dir()))
        }) && a.count_by.is_none()
            && !a.json_array,
        files_with_matches: a.files_with_matches,
        window,
        shape: if a.pretty {
            run::Shape::Pretty {
                color: match a.color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => {
                        std::io::stdout().is_terminal()
                            && !style::no_color()
                            && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                    }
                },
            }
        } else if a.summary {
            run::Shape::Summary(&summary)
        } else {
            run::Shape::Lines
        },
        json_array: a.json_array,
        quiet: a.quiet,
        notes: notes.as_ref(),
    };
    let code = run::run(&cfg, &inputs, term, progress);
    // (Under -q a selected event wins over an error, as in grep.)
    if walk_failed && !(a.quiet && code == 0) {
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
