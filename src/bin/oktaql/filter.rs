//! The filtering command, `oktaql [OPTIONS] [--] FILTER [FILE...]`: its help
//! text, its options and their parser, and the run: the filter built from
//! the options (the library's), the inputs (walk.rs), the reader threads and
//! workers (run.rs) and what is printed (output.rs).

use std::ffi::OsString;
use std::io::IsTerminal;

use lexopt::prelude::*;
use lexopt::Parser;
use oktaql::Filter;

use crate::opts::{
    self, color, number, EventInput, FilterOption, FilterSource, FilterText, InputOption,
    Narrowing, Parsed, Usage, Window, WindowOption,
};
use crate::output::{CountBy, Fields, Format, Summary};
use crate::style::{self, ColorChoice, Term};
use crate::{notes, run};

pub const HELP: &str = r#"oktaql: filter Okta System Log events with the Okta filter language, offline.

Usage: oktaql [OPTIONS] [--] FILTER [FILE...]
       oktaql [OPTIONS] (-e FILTER | -f FILTER_FILE) [--] [FILE...]
       oktaql check [-i] [--format text|json] (-e FILTER | -f FILTER_FILE | FILTER)
       oktaql url [--since T] [--until T] [-k WORDS] [--limit N] [--sort asc|desc] FILTER
       oktaql sql --dialect duckdb|clickhouse|spark [OPTIONS] FILTER   (see oktaql sql --help)
       oktaql rules -r RULES [OPTIONS] [FILE...]   (see oktaql rules --help)

Reads events from each FILE in order, or from standard input when there is no
FILE or FILE is `-`, and prints those that match FILTER. A FILE that is a
directory is searched recursively: depth first, each directory's entries in
byte order of their names (the path's order, component by component), hidden
names (starting with `.`) skipped unless --hidden, symbolic links not followed
unless -L; a file found there that is not JSON text is skipped with a note.

Input is any JSON text holding events: NDJSON (one event per line; CRLF or
CR-only line ends and a last line without a newline are fine, blank lines
are skipped, several values on one line are read one after another; a
byte-order mark where a value may start is skipped), pretty-printed
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
  -g, --glob GLOB        in directories, read only the files GLOB matches, or
                         with !GLOB not those; repeatable (see Globs below)
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

Globs (-g), as rg's: they pick the files of directory walks; a FILE named and
stdin are always read. A GLOB is matched against the path below the directory
named (2025/a.json for logs/2025/a.json when logs/ is named, wherever the
current directory is): without a `/` it matches a name at any depth, with one
the whole path (a leading `/` only anchors, a trailing `/` matches directories
only). `*`, `?` and [...] match within a name, `**` any number of directories
(old/**, **/2025/*.json), {a,b} either; \ escapes. If some GLOB does not start
with `!`, a file must match one; !GLOB excludes, and a directory it matches is
not entered. When several GLOBs match a path, the last one decides:
-g '*.json' -g '!*.tmp.json' reads the .json files but not the .tmp.json ones.
A file or directory a GLOB includes is read even when hidden.

Subcommands (each has --help):
  check   what Okta's API would reject in the filter (value paths, published,
          co on debugData.url), and unknown fields and enum values, with
          suggestions; exit status 1 when there are findings
  url     the GET /api/v1/logs request that asks Okta the same question
  rules   a catalogue of detection rules (oktaql's or Okta's YAML) over the
          events in one pass

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

  # only the JSON files of a directory of mixed exports, leaving out old/
  oktaql -g '*.json' -g '!old/' -c -e '' exports/

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

/// The filtering command's arguments.
#[derive(Debug, Default)]
pub struct Args {
    pub filter: FilterText,
    /// The FILEs, `--hidden`, `-L`, `-g`, `--strict`.
    pub input: EventInput,
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
    pub explain: bool,
    pub color: ColorChoice,
    /// `-q`/`--quiet`: nothing on stdout, the exit status only.
    pub quiet: bool,
}

/// Parses the arguments of the filtering command (all of them: it has no
/// first word).
pub fn parse(mut p: Parser) -> Result<Parsed<Args>, lexopt::Error> {
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
        if let Some(opt) = InputOption::of(&arg) {
            a.input.set(opt, &mut p)?;
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
            Long("explain") => a.explain = true,
            Long("color") | Long("colour") => a.color = color(&mut p)?,
            Short('q') | Long("quiet") | Long("silent") => a.quiet = true,
            Short('h') | Long("help") => return Ok(Parsed::Help(HELP)),
            Short('V') | Long("version") => return Ok(Parsed::Version),
            Value(v) => source.positional(v),
            _ => return Err(arg.unexpected()),
        }
    }
    a.filter = source.finish(&mut a.input.files)?;
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
    Ok(Parsed::Run(a))
}

/// Runs `oktaql [OPTIONS] FILTER [FILE...]`; returns the exit status.
pub fn run(args: &Args, term: &Term) -> u8 {
    match prepare(args, term) {
        Ok((filter, (fields, count_by, window))) => {
            if args.explain {
                return style::print(&format!(
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
    } = a.window.check(term)?;
    let (text, file) = a.filter.read(term)?;
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
            run::Window::new(run::Open::Filter(Box::new(
                builder.clone().parse(&text).ok()?,
            )))
        })
        .flatten();
    let filter = builder
        .since(since)
        .until(until)
        .parse(&text)
        .map_err(|e| {
            opts::report_parse_error(term, &file, &e);
            if let (None, FilterText::Positional(text), None) = (&file, &a.filter, e.help()) {
                if let Some(help) = argument_slip(text, &e, &a.input.files) {
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

fn go(
    a: &Args,
    filter: &Filter,
    fields: Option<&Fields>,
    count_by: Option<&CountBy>,
    window: Option<&run::Window>,
    term: &Term,
) -> u8 {
    // The notes cost nothing once an event is selected; -q silences them.
    let notes = (!a.quiet).then(|| notes::Notes::new(filter));
    let summary = Summary::new();
    let cfg = run::Config {
        matcher: run::Matcher::Filter(filter),
        count: a.count,
        // -q stops at the first selected event, as grep -q does.
        max_count: if a.quiet {
            Some(a.max_count.unwrap_or(1).min(1))
        } else {
            a.max_count
        },
        strict: a.input.strict,
        fields,
        count_by,
        with_filename: a.with_filename.unwrap_or_else(|| {
            // rg's default, on a terminal only: piped output stays JSON Lines.
            std::io::stdout().is_terminal()
                && (a.input.files.len() > 1
                    || a.input
                        .files
                        .iter()
                        .any(|f| std::path::Path::new(f).is_dir()))
        }) && a.count_by.is_none()
            && !a.json_array,
        files_with_matches: a.files_with_matches,
        window,
        shape: if a.pretty {
            run::Shape::Pretty {
                color: style::stdout_color(a.color),
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
    run::run_input(&cfg, &a.input, term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args.iter().copied())) {
            Ok(Parsed::Run(a)) => Ok(a),
            Ok(Parsed::Help(_)) => Err("help".to_owned()),
            Ok(Parsed::Version) => Err("version".to_owned()),
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
            a.input.files,
            vec![OsString::from("x.ndjson"), OsString::from("-")]
        );
    }

    fn pos(s: &str) -> FilterText {
        FilterText::Positional(s.into())
    }

    fn files(a: &Args) -> Vec<&str> {
        a.input.files.iter().map(|f| f.to_str().unwrap()).collect()
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
        assert!(a.input.files.is_empty());
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

    #[test]
    fn quiet() {
        assert!(run(&["-q", "f"]).unwrap().quiet);
        assert!(run(&["--quiet", "f"]).unwrap().quiet);
        assert!(run(&["-q", "--explain", "f"]).is_err());
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
