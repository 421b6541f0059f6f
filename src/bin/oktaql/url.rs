//! `oktaql url`: the `GET /api/v1/logs` request for a question
//! (`oktaql::url`), with the filter's findings (`oktaql::check`) on stderr.

use std::time::{SystemTime, UNIX_EPOCH};

use lexopt::prelude::*;
use lexopt::Parser;

use oktaql::check::{self as lint, Options, Severity};
use oktaql::url::{LogsQuery, SortOrder};

use crate::opts::{
    self, FilterOption, FilterSource, FilterText, Parsed, Usage, Window, WindowOption,
};
use crate::style::{self, Term};

pub const USAGE: Usage = Usage {
    command: "oktaql url",
    synopsis: "[--since T] [--until T] [-k WORDS] [--limit N] [--sort asc|desc] \
               (-e FILTER | -f FILTER_FILE | FILTER)",
};

pub const HELP: &str = r#"oktaql url: the System Log API request for a question asked offline.

Usage: oktaql url [--since T] [--until T] [-k WORDS] [--limit N] [--sort asc|desc]
                  (-e FILTER | -f FILTER_FILE | FILTER)

Prints the path and query of GET /api/v1/logs that asks Okta the same
question, each parameter percent-encoded (%20 for a space, %22 for a quote):

  oktaql url --since 2025-03-03 'eventType eq "user.session.start"'
  /api/v1/logs?filter=eventType%20eq%20%22user.session.start%22&since=2025-03-03T00%3A00%3A00Z

Append it to your org's address (https://example.okta.com/api/v1/logs?...) and
send it with an API token. `oktaql` takes the same --since, --until and -k, so a
question asked of the live org can be asked of exports, and the reverse. Without
--since Okta searches only the 7 days before `until` (or now), where oktaql
searches every event it reads.

The filter is checked as `oktaql check` does: findings go to stderr. Findings of
severity error (Okta would reject the request) make the exit status 1; the URL
is still printed.

Options:
  -e, --filter FILTER    the filter as an option; -e '' sends no filter
  -f, --filter-file FILE read the filter from FILE (`-` is standard input)
      --since T          `since`: events at or after T
      --until T          `until`: events before T
                         (T is RFC 3339, 2025-03-03T08:00:00Z, or a date, 2025-03-03,
                         sent as its midnight UTC; Okta refuses a since more than 180
                         days back and keeps 90 days of events)
  -k, --keyword WORDS    `q`: keywords, every one must match (at most 10 of at most
                         40 characters)
      --limit N          `limit`: events per page, 0 to 1000 (Okta's default 100)
      --sort ORDER       `sortOrder`: asc (ASCENDING, Okta's default) or desc
  -h, --help             print this help

Exit status: 0 when the URL is printed and Okta should take it, 1 when it is
printed but Okta would reject it, 2 when the filter does not parse or on
another error.
"#;

/// `oktaql url`'s arguments.
#[derive(Debug)]
pub struct Args {
    pub filter: FilterText,
    pub window: Window,
    pub limit: Option<u32>,
    pub sort: Option<SortOrder>,
}

/// Parses the arguments after `url`.
pub fn parse(mut p: Parser) -> Result<Parsed<Args>, lexopt::Error> {
    let mut source = FilterSource::default();
    let mut window = Window::default();
    let mut limit = None;
    let mut sort = None;
    while let Some(arg) = p.next()? {
        if let Some(opt) = WindowOption::of(&arg) {
            window.set(opt, &mut p)?;
            continue;
        }
        if let Some(opt) = FilterOption::of(&arg) {
            source.set(opt, &mut p)?;
            continue;
        }
        match arg {
            Long("limit") => limit = Some(p.value()?.parse()?),
            Long("sort") | Long("sort-order") => {
                sort = Some(
                    p.value()?
                        .parse_with(|s| match s.to_ascii_lowercase().as_str() {
                            "asc" | "ascending" => Ok(SortOrder::Ascending),
                            "desc" | "descending" => Ok(SortOrder::Descending),
                            _ => Err("expected asc or desc"),
                        })?,
                )
            }
            Short('h') | Long("help") => return Ok(Parsed::Help(HELP)),
            Value(v) => source.positional(v),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Parsed::Run(Args {
        filter: source.finish_alone()?,
        window,
        limit,
        sort,
    }))
}

/// Runs `oktaql url`; returns the exit status.
pub fn run(a: &Args, term: &Term) -> u8 {
    let Ok(narrow) = a.window.check(term) else {
        return 2;
    };
    let Ok((text, file)) = a.filter.read(term) else {
        return 2;
    };
    let empty = matches!(a.filter, FilterText::Option(_)) && text.trim().is_empty();
    let mut errors = false;
    if !empty {
        let findings = match lint::check(&text, &Options::new()) {
            Ok(f) => f,
            Err(e) => {
                opts::report_parse_error(term, &file, &e);
                return 2;
            }
        };
        for f in &findings {
            errors |= f.severity() == Severity::Error;
            term.raw(&format!(
                "{}\n",
                crate::check::text_form(f, &text, file.as_deref())
            ));
        }
    }
    let query = LogsQuery::new()
        // As written, without the blank lines and spaces around it (a
        // filter file ends with a line break).
        .filter((!empty).then(|| text.trim_matches([' ', '\t', '\r', '\n']).to_owned()))
        .keywords(narrow.keywords)
        .since(narrow.since)
        .until(narrow.until)
        .limit(a.limit)
        .sort(a.sort);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    for p in query.problems(now) {
        errors |= p.severity == Severity::Error;
        term.raw(&format!("{p}\n"));
    }
    style::print(&format!("{}\n", query.to_url()));
    u8::from(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args.iter().copied())) {
            Ok(Parsed::Run(a)) => Ok(a),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn arguments() {
        let a = run(&[
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
        ])
        .unwrap();
        assert_eq!(a.window.since.as_deref(), Some("2025-03-03"));
        assert_eq!(a.window.until.as_deref(), Some("2025-03-04"));
        assert_eq!(a.window.keywords.as_deref(), Some("a b"));
        assert_eq!(a.limit, Some(10));
        assert_eq!(a.sort, Some(SortOrder::Descending));
        assert_eq!(a.filter, FilterText::Option(String::new()));
        assert!(matches!(
            parse(lexopt::Parser::from_args(["-h"])),
            Ok(Parsed::Help(HELP))
        ));
        // One filter, nothing else.
        for args in [
            &[][..],
            &["a pr", "file.json"],
            &["--limit", "x", "a pr"],
            &["--sort", "up", "a pr"],
            &["-i", "a pr"],
        ] {
            assert!(run(args).is_err(), "{args:?}");
        }
    }
}
