//! The command line, parsed with lexopt.

use std::ffi::OsString;

use lexopt::prelude::*;

pub const HELP: &str = r#"oktaql: filter Okta System Log events with the Okta filter language, offline.

Usage: oktaql [OPTIONS] [--] FILTER [FILE...]

Reads events from each FILE in order, or from standard input when there is no
FILE or FILE is `-`, and prints those that match FILTER. Input is NDJSON (one
event per line; CRLF line ends and a last line without a newline are fine,
blank lines are skipped) or a JSON array of events such as the body of
GET /api/v1/logs (detected by its leading `[`, read element by element);
either may be gzip-compressed (detected by its magic bytes).

Each selected NDJSON event is printed as it was read, one per line (a CRLF
line end is printed as LF); array elements are printed as compact one-line
JSON with their key order kept. A line that is not valid JSON is reported on
stderr as SOURCE:LINE: MESSAGE and skipped; a line the filter cannot match may
be skipped without being read through, so it is not reported.

Options:
  -c, --count            print only the number of selected events (all inputs)
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
                         their values as written (numbers as spelt, key order kept)
      --format FORMAT    with --fields: json (one object per line, the default),
                         tsv or csv (a header row, then one row per event;
                         several values are joined with `,` in a cell, a missing
                         value is an empty cell; rows end with LF)
      --explain          print the parsed filter as a tree and in canonical form
      --strict           stop at the first bad line (exit status 2)
  -h, --help             print this help
  -V, --version          print the version

Exit status: 0 if some event was selected, 1 if none, 2 on an error (an
invalid filter or option, a file that cannot be read, a bad line under
--strict). The other files are still read after a file that cannot be.

Examples:
  # Active Directory imports started by hand
  oktaql 'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"' logs.ndjson

  # ... and whether they were full or incremental, as a table
  oktaql --fields published,actor.alternateId,debugContext.debugData.importType --format tsv \
    'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"' logs.ndjson

  # failed sign-ins of one user on one day, from a compressed export
  oktaql --since 2025-03-03 --until 2025-03-04 -i \
    'actor.alternateId eq "ALICE@example.com" and outcome.result eq "FAILURE"' export.json.gz

  # how many events name a user anywhere, read from a pipe
  export-tool | oktaql -c -k 'alice@example.com' 'eventType sw "user."'

  # check how a filter parses
  oktaql --explain 'eventType eq "a" or actor.id eq "b" and not (outcome.result eq "SUCCESS")'
"#;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Tsv,
    Csv,
}

#[derive(Debug, Default)]
pub struct Args {
    pub filter: String,
    /// As given; empty means stdin.
    pub files: Vec<OsString>,
    pub count: bool,
    pub invert: bool,
    pub ignore_case: bool,
    pub max_count: Option<u64>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub keywords: Option<String>,
    pub fields: Option<String>,
    pub format: Option<Format>,
    pub explain: bool,
    pub strict: bool,
}

#[derive(Debug)]
pub enum Command {
    Run(Args),
    Help,
    Version,
}

pub fn parse(mut p: lexopt::Parser) -> Result<Command, lexopt::Error> {
    let mut a = Args::default();
    let mut filter = None;
    while let Some(arg) = p.next()? {
        match arg {
            Short('c') | Long("count") => a.count = true,
            Short('v') | Long("invert-match") => a.invert = true,
            Short('i') | Long("ignore-case") => a.ignore_case = true,
            Short('m') | Long("max-count") => a.max_count = Some(p.value()?.parse()?),
            Long("since") => a.since = Some(p.value()?.string()?),
            Long("until") => a.until = Some(p.value()?.string()?),
            Short('k') | Long("keyword") | Long("keywords") => {
                let words = p.value()?.string()?;
                // Repeated -k options add their words to the same search.
                a.keywords = Some(match a.keywords.take() {
                    Some(before) => format!("{before} {words}"),
                    None => words,
                });
            }
            Long("fields") => a.fields = Some(p.value()?.string()?),
            Long("format") => {
                a.format = Some(p.value()?.parse_with(|s| match s {
                    "json" => Ok(Format::Json),
                    "tsv" => Ok(Format::Tsv),
                    "csv" => Ok(Format::Csv),
                    _ => Err("expected json, tsv or csv"),
                })?)
            }
            Long("explain") => a.explain = true,
            Long("strict") => a.strict = true,
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Value(v) if filter.is_none() => filter = Some(v.string()?),
            Value(v) => a.files.push(v),
            _ => return Err(arg.unexpected()),
        }
    }
    a.filter = filter.ok_or("missing FILTER")?;
    if matches!(a.format, Some(Format::Tsv | Format::Csv)) && a.fields.is_none() {
        return Err("--format tsv and --format csv need --fields".into());
    }
    Ok(Command::Run(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args.iter().copied())) {
            Ok(Command::Run(a)) => Ok(a),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn options_anywhere_and_double_dash() {
        let a = run(&["-ci", "f", "x.ndjson", "-m3", "--", "-"]).unwrap();
        assert!(a.count && a.ignore_case && !a.invert);
        assert_eq!(a.filter, "f");
        assert_eq!(a.max_count, Some(3));
        assert_eq!(
            a.files,
            vec![OsString::from("x.ndjson"), OsString::from("-")]
        );
    }

    #[test]
    fn keywords_accumulate() {
        let a = run(&["-k", "a b", "--keyword=c", "f"]).unwrap();
        assert_eq!(a.keywords.as_deref(), Some("a b c"));
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
}
