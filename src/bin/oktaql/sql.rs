//! `oktaql sql`: the filter as one boolean SQL expression. The arguments,
//! the help text and the run function; the translation is the library's
//! (`Filter::to_sql`).

use lexopt::prelude::*;
use lexopt::Parser;
use oktaql::sql::Dialect;
use oktaql::Filter;

use crate::opts::{
    self, FilterOption, FilterSource, FilterText, Parsed, Usage, Window, WindowOption,
};
use crate::rules;
use crate::style::{self, Term};

pub const USAGE: Usage = Usage {
    command: "oktaql sql",
    synopsis: "--dialect duckdb|clickhouse|spark [OPTIONS] (FILTER | -e FILTER | -f FILE)",
};

pub const HELP: &str = r#"oktaql sql: the filter as one boolean SQL expression, for DuckDB, ClickHouse or Spark.

Usage: oktaql sql --dialect duckdb|clickhouse|spark [OPTIONS] [--] FILTER
       oktaql sql --dialect duckdb|clickhouse|spark [OPTIONS] (-e FILTER | -f FILTER_FILE)
       oktaql sql --dialect duckdb|clickhouse|spark [OPTIONS] --rules PATH [--rules PATH...]

Prints a condition for a WHERE clause over the column NAME (default `raw`),
which holds each event's JSON text as a string (DuckDB VARCHAR, ClickHouse
String, Spark STRING such as the `value` column of spark.read.text). The
condition selects exactly the events oktaql selects, with the exceptions each
engine's section of the README lists (repeated keys in DuckDB and ClickHouse,
arrays nested more than 5 deep, ...). It is TRUE or FALSE, never NULL; a row
that is not one JSON object is not selected and never makes the query fail.

Options:
      --dialect DIALECT  duckdb (1.3 or later), clickhouse (or chDB), spark
                         (Spark 4 / Databricks: VARIANT); required
      --column NAME      the column holding the JSON text (default raw); a
                         name of ASCII letters, digits and `_`, or table.column;
                         quoted as an identifier in the output
  -e, --filter FILTER    the filter as an option (-e '' selects every event)
  -f, --filter-file FILE read the filter from FILE (`-` is standard input)
  -i, --ignore-case      compare strings ignoring case
  -v, --invert-match     select the events that do not match
      --since T          only events whose `published` is at or after T
      --until T          only events whose `published` is before T
  -k, --keyword WORDS    Okta's `q` keyword search, ANDed with the filter
  -r, --rules PATH       instead of a filter, a rule set (rule files and
                         directories, as `oktaql rules -r` loads them): the
                         expression is then the array of the ids of the rules
                         that select the row, in load order, empty when none
                         (DuckDB VARCHAR[], ClickHouse Array(String), Spark
                         ARRAY<STRING>); what does not load is reported as
                         `oktaql rules` reports it (not with -v or -k)
                         A rule the dialect cannot say exactly (some Sigma
                         tests) is left out, with `warning: rule ID not
                         translated for DIALECT: REASON`
      --strict           with --rules: any rule not loaded or not translated,
                         or any warning, is exit status 2
  -h, --help             print this help

The options mean what they mean for the filtering command (`oktaql --help`).

Exit status: 0 when the expression is printed, 2 for an invalid filter,
option or column name, or a rule set of which no rule translates.

Examples:
  # DuckDB over NDJSON files
  cond=$(oktaql sql --dialect duckdb 'eventType eq "user.session.start" and outcome.result eq "FAILURE"')
  duckdb -c "SELECT content FROM read_text('logs/*.ndjson') ..."   # see the README

  # ClickHouse over a table with a String column `event`
  oktaql sql --dialect clickhouse --column event -i 'actor.alternateId eq "alice@example.com"'

  # Spark: spark.read.text(...) gives the column `value`
  oktaql sql --dialect spark --column value --since 2025-03-03 -f rules/manual-imports.okta
"#;

/// `oktaql sql`'s arguments.
#[derive(Debug)]
pub struct Args {
    pub dialect: Dialect,
    pub column: String,
    pub filter: FilterText,
    pub ignore_case: bool,
    pub invert: bool,
    pub window: Window,
    /// `--rules`: a rule set instead of a filter.
    pub rules: Vec<std::ffi::OsString>,
    pub strict: bool,
}

/// Parses the arguments after `sql`.
pub fn parse(mut p: Parser) -> Result<Parsed<Args>, lexopt::Error> {
    let mut dialect = None;
    let mut column = "raw".to_owned();
    let mut ignore_case = false;
    let mut invert = false;
    let mut window = Window::default();
    let mut source = FilterSource::default();
    let mut rule_paths = Vec::new();
    let mut strict = false;
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
            Long("dialect") => {
                let d = p.value()?.string()?;
                dialect = Some(d.parse::<Dialect>().map_err(|e| e.to_string())?);
            }
            Long("column") => column = p.value()?.string()?,
            Short('i') | Long("ignore-case") => ignore_case = true,
            Short('v') | Long("invert-match") => invert = true,
            Short('r') | Long("rules") => rule_paths.push(p.value()?),
            Long("strict") => strict = true,
            Short('h') | Long("help") => return Ok(Parsed::Help(HELP)),
            Value(v) => source.positional(v),
            _ => return Err(arg.unexpected()),
        }
    }
    let dialect = dialect.ok_or("missing --dialect (duckdb, clickhouse or spark)")?;
    let (filter, extra) = source.into_parts();
    if !rule_paths.is_empty() {
        if filter.is_some() || !extra.is_empty() {
            return Err("--rules takes the place of the filter: not with FILTER, -e or -f".into());
        }
        if invert || window.keywords.is_some() {
            return Err(
                "--rules: -v and -k are not rule-set options (a rule says its own keywords)".into(),
            );
        }
        return Ok(Parsed::Run(Args {
            dialect,
            column,
            filter: FilterText::Option(String::new()),
            ignore_case,
            invert,
            window,
            rules: rule_paths,
            strict,
        }));
    }
    if strict {
        return Err("--strict goes with --rules".into());
    }
    let mut extra = extra.into_iter();
    let filter = match filter {
        Some(f) => f,
        None => FilterText::Positional(
            extra
                .next()
                .ok_or("missing FILTER (or -e FILTER, -f FILE)")?
                .string()?,
        ),
    };
    if let Some(x) = extra.next() {
        return Err(format!(
            "unexpected argument {:?}: `oktaql sql` takes one filter and reads no events",
            x
        )
        .into());
    }
    Ok(Parsed::Run(Args {
        dialect,
        column,
        filter,
        ignore_case,
        invert,
        window,
        rules: Vec::new(),
        strict: false,
    }))
}

/// Prints the expression; 0, or 2 after reporting what is wrong.
pub fn run(a: &Args, term: &Term) -> u8 {
    let Ok(n) = a.window.check(term) else {
        return 2;
    };
    if !a.rules.is_empty() {
        let options = oktaql::rules::LoadOptions::new()
            .ignore_case(a.ignore_case)
            .since(n.since)
            .until(n.until);
        let Ok(set) = rules::load(&a.rules, options, a.strict, term) else {
            return 2;
        };
        let refused = |list: &[(String, oktaql::sql::SqlError)]| {
            for (id, why) in list {
                term.warning(format_args!(
                    "rule {id} not translated for {}: {why}",
                    a.dialect
                ));
            }
        };
        return match set.to_sql(a.dialect, &a.column) {
            Ok(out) if a.strict && !out.refused.is_empty() => {
                refused(&out.refused);
                let n = out.refused.len();
                let s = if n == 1 { "" } else { "s" };
                term.error(format_args!(
                    "--strict: {n} rule{s} not translated for {}; no expression printed",
                    a.dialect
                ));
                2
            }
            Ok(out) => {
                refused(&out.refused);
                style::print(&format!("{}\n", out.sql))
            }
            Err(e) => {
                refused(e.refused());
                term.error(e);
                2
            }
        };
    }
    let Ok((text, file)) = a.filter.read(term) else {
        return 2;
    };
    let filter = Filter::builder()
        .ignore_case(a.ignore_case)
        .invert(a.invert)
        .since(n.since)
        .until(n.until)
        .keywords(n.keywords)
        .empty_selects_all(matches!(a.filter, FilterText::Option(_)))
        .parse(&text);
    let filter = match filter {
        Ok(f) => f,
        Err(e) => {
            opts::report_parse_error(term, &file, &e);
            return 2;
        }
    };
    match filter.to_sql(a.dialect, &a.column) {
        Ok(sql) => style::print(&format!("{sql}\n")),
        Err(e) => {
            term.error(e);
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args)) {
            Ok(Parsed::Run(a)) => Ok(a),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn arguments() {
        let a = run(&["--dialect", "spark", "-iv", "--column=value", "a pr"]).unwrap();
        assert_eq!(a.dialect, Dialect::Spark);
        assert_eq!(a.column, "value");
        assert!(a.ignore_case && a.invert);
        assert_eq!(a.filter, FilterText::Positional("a pr".into()));
        let a = run(&[
            "-e",
            "",
            "--dialect=duckdb",
            "-k",
            "x",
            "--since",
            "2025-01-01",
        ])
        .unwrap();
        assert_eq!(a.filter, FilterText::Option(String::new()));
        assert_eq!(a.column, "raw");
        assert_eq!(a.window.keywords.as_deref(), Some("x"));
        let a = run(&["--dialect", "clickhouse", "-f", "-"]).unwrap();
        assert_eq!(a.filter, FilterText::File("-".into()));
    }

    #[test]
    fn errors() {
        assert!(run(&["a pr"]).unwrap_err().contains("missing --dialect"));
        assert!(run(&["--dialect", "postgres", "a pr"])
            .unwrap_err()
            .contains("unknown SQL dialect `postgres`"));
        assert!(run(&["--dialect", "duckdb"])
            .unwrap_err()
            .contains("missing FILTER"));
        assert!(run(&["--dialect", "duckdb", "a pr", "x.ndjson"])
            .unwrap_err()
            .contains("reads no events"));
        assert!(run(&["--dialect", "duckdb", "--count", "a pr"])
            .unwrap_err()
            .contains("--count"));
        assert!(matches!(
            parse(lexopt::Parser::from_args(["--help"])),
            Ok(Parsed::Help(HELP))
        ));
    }
}
