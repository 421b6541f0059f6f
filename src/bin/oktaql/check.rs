//! `oktaql check`: the library's findings about a filter (`oktaql::check`),
//! printed as text or JSON lines.

use lexopt::prelude::*;
use lexopt::Parser;

use oktaql::check::{self as lint, Options};

use crate::opts::{self, FilterOption, FilterSource, FilterText, Parsed, Usage};
use crate::style::{self, Term};

pub const USAGE: Usage = Usage {
    command: "oktaql check",
    synopsis: "[-i] [--format text|json] (-e FILTER | -f FILTER_FILE | FILTER)",
};

pub const HELP: &str = r#"oktaql check: what Okta's API would reject in a filter, and what looks wrong.

Usage: oktaql check [-i] [--format text|json] (-e FILTER | -f FILTER_FILE | FILTER)

Parses the filter and reports findings, each with a severity and a code:
  error    Okta's API would reject the filter as written:
             value-path            attr[...] is an oktaql extension
             published             `published` in a filter (use --since/--until)
             unsupported-operator  `co` on debugContext.debugData.url or .requestUri (E0000031)
             change-details        target.changeDetails cannot be queried
  warning  Okta would run it, but probably not as meant:
             unknown-field         a path no LogEvent is known to have, with a did-you-mean
             map-key-case          a debugData (or other map) key Okta spells otherwise
             enum-value            a value outside a documented enum ("success" for "SUCCESS")
grammar.md (CHECKS) explains each code and the facts behind it.

Options:
  -e, --filter FILTER    the filter as an option
  -f, --filter-file FILE read the filter from FILE (`-` is standard input)
  -i, --ignore-case      the filter will run with -i: a value that equals an enum
                         value ignoring case is fine
      --format FORMAT    text (the default): each finding rustc-style, its line
                         with carets under the span and a `help:` line; json: one
                         object per line with code, severity, offset and length
                         (bytes), line, column, message, suggestion, help
  -h, --help             print this help

Exit status: 0 when there is nothing to report (and nothing is printed), 1 when
there are findings, 2 when the filter does not parse (in JSON, one line with
"code":"parse-error" and the offset) or on another error.

Examples:
  oktaql check 'eventtype eq "user.session.start" and outcome.result eq "success"'
  oktaql check --format json -f rules/manual-imports.okta
"#;

/// What to print findings as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `oktaql check`'s arguments.
#[derive(Debug)]
pub struct Args {
    pub filter: FilterText,
    pub ignore_case: bool,
    pub format: Format,
}

/// Parses the arguments after `check`.
pub fn parse(mut p: Parser) -> Result<Parsed<Args>, lexopt::Error> {
    let mut source = FilterSource::default();
    let mut ignore_case = false;
    let mut format = Format::Text;
    while let Some(arg) = p.next()? {
        if let Some(opt) = FilterOption::of(&arg) {
            source.set(opt, &mut p)?;
            continue;
        }
        match arg {
            Short('i') | Long("ignore-case") => ignore_case = true,
            Long("format") => {
                format = p.value()?.parse_with(|s| match s {
                    "text" => Ok(Format::Text),
                    "json" => Ok(Format::Json),
                    _ => Err("expected text or json"),
                })?
            }
            Short('h') | Long("help") => return Ok(Parsed::Help(HELP)),
            Value(v) => source.positional(v),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Parsed::Run(Args {
        filter: source.finish_alone()?,
        ignore_case,
        format,
    }))
}

/// Runs `oktaql check`; returns the exit status.
pub fn run(a: &Args, term: &Term) -> u8 {
    let Ok((text, file)) = a.filter.read(term) else {
        return 2;
    };
    // `-e ''` is the empty filter: no `filter` parameter at all, which
    // Okta takes.
    if matches!(a.filter, FilterText::Option(_)) && text.trim().is_empty() {
        return 0;
    }
    let options = Options::new().ignore_case(a.ignore_case);
    let findings = match lint::check(&text, &options) {
        Ok(f) => f,
        Err(e) => {
            match a.format {
                Format::Json => {
                    style::print(&format!("{}\n", lint::parse_error_json(&e)));
                }
                Format::Text => opts::report_parse_error(term, &file, &e),
            }
            return 2;
        }
    };
    if findings.is_empty() {
        return 0;
    }
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        match a.format {
            Format::Json => {
                out.push_str(&f.to_json(&text));
                out.push('\n');
            }
            Format::Text => {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&text_form(f, &text, file.as_deref()));
                out.push('\n');
            }
        }
    }
    style::print(&out);
    1
}

/// A finding in text form; a filter from a file names it (`FILE:LINE: `)
/// before the message, as parse errors do.
pub fn text_form(f: &lint::Finding, text: &str, file: Option<&str>) -> String {
    match file {
        Some(name) => f.display(text).file(name).to_string(),
        None => f.display(text).to_string(),
    }
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
        let a = run(&["-i", "--format", "json", "eventType pr"]).unwrap();
        assert!(a.ignore_case);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.filter, FilterText::Positional("eventType pr".into()));
        let a = run(&["-f", "-"]).unwrap();
        assert_eq!(a.filter, FilterText::File("-".into()));
        assert_eq!(a.format, Format::Text);
        assert!(matches!(
            parse(lexopt::Parser::from_args(["--help"])),
            Ok(Parsed::Help(HELP))
        ));
        // One filter, nothing else.
        for args in [
            &[][..],
            &["a pr", "b pr"],
            &["-e", "a pr", "x"],
            &["--format", "xml", "a pr"],
            &["-c", "a pr"],
        ] {
            assert!(run(args).is_err(), "{args:?}");
        }
    }
}
