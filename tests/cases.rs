//! Data-driven language cases: `tests/cases/*.txt`.
//!
//! Each case file is a list of directives, one a line (`#` comment lines and
//! blank lines are ignored):
//!
//! ```text
//! event {"a": 1, "s": "x"}     the current event: the rest of the line is its JSON text, verbatim
//! match <filter>               the filter matches the current event
//! nomatch <filter>             it does not
//! match-i <filter>             the same with Filter::builder().ignore_case(true)
//! nomatch-i <filter>
//! error <offset> <Kind> <filter>            Filter::parse fails with that kind and offset
//! error-limit <n> <offset> <Kind> <filter>  the same with .nest_limit(n)
//! ok-limit <n> <filter>                     parses with .nest_limit(n)
//! print <filter> => <canonical>             Display prints exactly <canonical>
//! ```
//!
//! `match`/`nomatch` check both `Filter::matches` on the parsed
//! `serde_json::Value` and `Filter::matches_json` on the event line's bytes.
//! Every filter that parses must print to a text that parses back to an equal
//! filter (and prints the same again). All failures of a file are collected
//! and reported together, with `file:line`.
//!
//! Inputs that do not fit on one line (CR/LF, trailing whitespace, generated
//! deep nesting) are tested by the Rust functions at the end of this file.

use oktaql::{Filter, FilterBuilder, ParseErrorKind};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The `ParseErrorKind` variant names a case file may use.
const KINDS: &[(&str, ParseErrorKind)] = &[
    ("Empty", ParseErrorKind::Empty),
    ("ExpectedAttribute", ParseErrorKind::ExpectedAttribute),
    ("InvalidAttribute", ParseErrorKind::InvalidAttribute),
    ("ExpectedOperator", ParseErrorKind::ExpectedOperator),
    ("ExpectedValue", ParseErrorKind::ExpectedValue),
    ("InvalidString", ParseErrorKind::InvalidString),
    ("InvalidNumber", ParseErrorKind::InvalidNumber),
    ("OperandType", ParseErrorKind::OperandType),
    ("ExpectedWhitespace", ParseErrorKind::ExpectedWhitespace),
    ("ExpectedNotParen", ParseErrorKind::ExpectedNotParen),
    ("UnclosedParen", ParseErrorKind::UnclosedParen),
    ("UnclosedBracket", ParseErrorKind::UnclosedBracket),
    (
        "ExpectedLogicalOperator",
        ParseErrorKind::ExpectedLogicalOperator,
    ),
    ("NestTooDeep", ParseErrorKind::NestTooDeep),
];

fn kind_named(name: &str) -> Option<ParseErrorKind> {
    KINDS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cases")
}

/// The outcome of running one case file.
#[derive(Default)]
struct Report {
    cases: usize,
    failures: Vec<String>,
    kinds_seen: Vec<ParseErrorKind>,
}

struct Event {
    text: String,
    value: Value,
}

fn builder(ignore_case: bool, nest_limit: Option<usize>) -> FilterBuilder {
    let mut b = Filter::builder().ignore_case(ignore_case);
    if let Some(n) = nest_limit {
        b = b.nest_limit(n);
    }
    b
}

/// Printing round trip: the canonical text parses back (with the same
/// options) to an equal filter and prints the same again.
fn check_round_trip(b: &FilterBuilder, f: &Filter) -> Result<(), String> {
    let printed = f.to_string();
    match b.parse(&printed) {
        Ok(g) => {
            if g != *f {
                return Err(format!(
                    "printed as `{printed}`, which parses to a different filter: {g:?}"
                ));
            }
            let again = g.to_string();
            if again != printed {
                return Err(format!(
                    "printed as `{printed}`, re-parsed and printed as `{again}`"
                ));
            }
            Ok(())
        }
        Err(e) => Err(format!(
            "printed as `{printed}`, which does not parse: {e:?}"
        )),
    }
}

fn parse_usize(s: &str, what: &str) -> Result<usize, String> {
    s.parse()
        .map_err(|_| format!("bad {what} `{s}` in the case file"))
}

/// Runs one directive; `Err` is the reason for a failure.
fn run_line(
    directive: &str,
    rest: &str,
    event: &Option<Event>,
    report: &mut Report,
) -> Result<(), String> {
    match directive {
        "match" | "nomatch" | "match-i" | "nomatch-i" => {
            let expected = directive.starts_with("match");
            let ignore_case = directive.ends_with("-i");
            let event = event.as_ref().ok_or("no `event` line before this case")?;
            let b = builder(ignore_case, None);
            let f = b
                .parse(rest)
                .map_err(|e| format!("filter does not parse: {e:?}"))?;
            let mut problems = Vec::new();
            let by_value = f.matches(&event.value);
            if by_value != expected {
                problems.push(format!("matches(&value) = {by_value}, expected {expected}"));
            }
            match f.matches_json(event.text.as_bytes()) {
                Ok(got) if got == expected => {}
                other => problems.push(format!(
                    "matches_json(bytes) = {other:?}, expected Ok({expected})"
                )),
            }
            if let Err(e) = check_round_trip(&b, &f) {
                problems.push(e);
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }
        "error" | "error-limit" => {
            let (limit, rest) = if directive == "error-limit" {
                let (n, rest) = rest.split_once(' ').ok_or("malformed error-limit line")?;
                (Some(parse_usize(n, "nest limit")?), rest)
            } else {
                (None, rest)
            };
            let (offset, rest) = rest.split_once(' ').ok_or("malformed error line")?;
            let offset = parse_usize(offset, "offset")?;
            let (kind_name, filter) = rest.split_once(' ').unwrap_or((rest, ""));
            let kind =
                kind_named(kind_name).ok_or_else(|| format!("unknown error kind `{kind_name}`"))?;
            report.kinds_seen.push(kind);
            match builder(false, limit).parse(filter) {
                Ok(f) => Err(format!(
                    "parsed (as `{f}`), expected {kind_name} at {offset}"
                )),
                Err(e) if e.kind() == kind && e.offset() == offset => Ok(()),
                Err(e) => Err(format!(
                    "got {:?} at {}, expected {kind_name} at {offset} ({e})",
                    e.kind(),
                    e.offset()
                )),
            }
        }
        "ok-limit" => {
            let (n, filter) = rest.split_once(' ').ok_or("malformed ok-limit line")?;
            let b = builder(false, Some(parse_usize(n, "nest limit")?));
            let f = b
                .parse(filter)
                .map_err(|e| format!("does not parse: {e:?}"))?;
            check_round_trip(&b, &f)
        }
        "print" => {
            let (filter, canonical) = rest
                .split_once(" => ")
                .ok_or("malformed print line (no ` => `)")?;
            let b = builder(false, None);
            let f = b
                .parse(filter)
                .map_err(|e| format!("does not parse: {e:?}"))?;
            let printed = f.to_string();
            if printed != canonical {
                return Err(format!("printed `{printed}`, expected `{canonical}`"));
            }
            let g = b
                .parse(canonical)
                .map_err(|e| format!("canonical text does not parse: {e:?}"))?;
            if g != f {
                return Err(format!(
                    "canonical text parses to a different filter: {g:?}"
                ));
            }
            check_round_trip(&b, &f)
        }
        other => Err(format!("unknown directive `{other}`")),
    }
}

fn run_text(name: &str, text: &str) -> Report {
    let mut report = Report::default();
    let mut event: Option<Event> = None;
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (directive, rest) = line.split_once(' ').unwrap_or((line, ""));
        if directive == "event" {
            match serde_json::from_str::<Value>(rest) {
                Ok(value) => {
                    event = Some(Event {
                        text: rest.to_owned(),
                        value,
                    })
                }
                Err(e) => {
                    event = None;
                    report.failures.push(format!(
                        "{name}:{line_no}: the event is not valid JSON: {e}"
                    ));
                }
            }
            continue;
        }
        report.cases += 1;
        if let Err(reason) = run_line(directive, rest, &event, &mut report) {
            report
                .failures
                .push(format!("{name}:{line_no}: {line}\n    {reason}"));
        }
    }
    report
}

fn run_file(stem: &str) {
    let path = cases_dir().join(format!("{stem}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = format!("tests/cases/{stem}.txt");
    let report = run_text(&name, &text);
    eprintln!(
        "{name}: {} cases run, {} failed",
        report.cases,
        report.failures.len()
    );
    assert!(report.cases > 0, "{name}: no cases");
    if !report.failures.is_empty() {
        let mut msg = format!(
            "{} of {} cases failed in {name}:\n",
            report.failures.len(),
            report.cases
        );
        for f in &report.failures {
            let _ = writeln!(msg, "{f}");
        }
        panic!("{msg}");
    }
}

macro_rules! case_files {
    ($($stem:ident),* $(,)?) => {
        const CASE_FILES: &[&str] = &[$(stringify!($stem)),*];
        $(
            #[test]
            fn $stem() {
                run_file(stringify!($stem));
            }
        )*
    };
}

case_files!(
    operators,
    precedence,
    arrays,
    value_paths,
    strings_escapes,
    numbers,
    mixed_types,
    dates,
    null_absent,
    case,
    whitespace,
    errors,
    limits,
    printing,
    literal_lists,
);

/// Every case file on disk has its test, and the whole set names every
/// error kind at least once.
#[test]
fn all_case_files_run_and_every_error_kind_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/cases")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASE_FILES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/cases/*.txt and the case_files! list differ"
    );

    // Count cases and collect the error kinds without evaluating anything.
    let mut total = 0;
    let mut seen = Vec::new();
    for stem in CASE_FILES {
        let text = std::fs::read_to_string(cases_dir().join(format!("{stem}.txt"))).unwrap();
        for line in text.split('\n') {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || line.starts_with("event ") {
                continue;
            }
            total += 1;
            let mut words = line.split(' ');
            match words.next() {
                Some("error") => seen.extend(words.nth(1).and_then(kind_named)),
                Some("error-limit") => seen.extend(words.nth(2).and_then(kind_named)),
                _ => {}
            }
        }
    }
    eprintln!(
        "{total} cases in {} files (plus the Rust tests in tests/cases.rs)",
        CASE_FILES.len()
    );
    for (name, kind) in KINDS {
        assert!(seen.contains(kind), "no case file covers {name}");
    }
}

// ---------------------------------------------------------------------------
// Cases that do not fit on one line of a case file.
// ---------------------------------------------------------------------------

fn parse_err(b: &FilterBuilder, text: &str) -> (ParseErrorKind, usize) {
    match b.parse(text) {
        Ok(f) => panic!("{:?} parsed as `{f}`", abbreviate(text)),
        Err(e) => (e.kind(), e.offset()),
    }
}

fn abbreviate(text: &str) -> String {
    if text.len() <= 80 {
        text.to_owned()
    } else {
        let mut end = 60;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &text[..end], text.len())
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Checks a filter against an event through both evaluators.
fn assert_matches(f: &Filter, event: &str, expected: bool) {
    assert_eq!(
        f.matches(&json(event)),
        expected,
        "matches: `{}` on {}",
        abbreviate(&f.to_string()),
        abbreviate(event)
    );
    assert_eq!(
        f.matches_json(event.as_bytes()),
        Ok(expected),
        "matches_json: `{}` on {}",
        abbreviate(&f.to_string()),
        abbreviate(event)
    );
}

fn assert_round_trip(f: &Filter) {
    let printed = f.to_string();
    let g = Filter::parse(&printed).unwrap_or_else(|e| panic!("{}: {e}", abbreviate(&printed)));
    assert!(
        g == *f,
        "`{}` does not re-parse equal",
        abbreviate(&printed)
    );
}

/// `depth` nested groups around `a eq 1`, each opened by `open`.
fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}a eq 1{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn nest_limit_default_boundary() {
    let b = Filter::builder();
    let event = r#"{"a": 1}"#;
    // 64 levels are accepted, and evaluate (64 `not`s cancel out).
    for (open, close, width) in [
        ("(", ")", 1),
        ("not (", ")", 5),
        ("not(", ")", 4),
        ("NOT\t(", ")", 5),
    ] {
        let text = nested(open, close, 64);
        let f = b
            .parse(&text)
            .unwrap_or_else(|e| panic!("64 x {open:?}: {e}"));
        assert_matches(&f, event, true);
        assert_round_trip(&f);
        // The 65th level is rejected at its opening token.
        let text = nested(open, close, 65);
        assert_eq!(
            parse_err(&b, &text),
            (ParseErrorKind::NestTooDeep, 64 * width),
            "65 x {open:?}"
        );
    }
    // 63 `not`s: an odd number of negations.
    let f = Filter::parse(&nested("not (", ")", 63)).unwrap();
    assert_matches(&f, event, false);
    // Value paths: `a[a[...a[b eq 1]...]]` over an event nested as deep.
    let vp = |depth: usize| format!("{}b eq 1{}", "a[".repeat(depth), "]".repeat(depth));
    let deep_event = |depth: usize| {
        format!(
            "{}{{\"b\": 1}}{}",
            "{\"a\": ".repeat(depth),
            "}".repeat(depth)
        )
    };
    let f = b.parse(&vp(64)).unwrap();
    assert_matches(&f, &deep_event(64), true);
    assert_matches(&f, &deep_event(63), false);
    assert_round_trip(&f);
    // `a[` is two bytes: the 65th `[` is at 2 * 64 + 1.
    assert_eq!(parse_err(&b, &vp(65)), (ParseErrorKind::NestTooDeep, 129));
    // Mixed openers count together: 21 x `(not (a[` (8 bytes) is 63 levels, one more `(` is 64, two is 65.
    let mixed = |extra: usize| {
        format!(
            "{}{}b pr{}{}",
            "(not (a[".repeat(21),
            "(".repeat(extra),
            ")".repeat(extra),
            "]))".repeat(21)
        )
    };
    b.parse(&mixed(1)).unwrap();
    assert_eq!(
        parse_err(&b, &mixed(2)),
        (ParseErrorKind::NestTooDeep, 21 * 8 + 1)
    );
}

#[test]
fn nest_limit_configured_boundary() {
    let b = Filter::builder().nest_limit(10);
    for (open, close, width) in [("(", ")", 1), ("not (", ")", 5)] {
        b.parse(&nested(open, close, 10))
            .unwrap_or_else(|e| panic!("10 x {open:?}: {e}"));
        assert_eq!(
            parse_err(&b, &nested(open, close, 11)),
            (ParseErrorKind::NestTooDeep, 10 * width)
        );
    }
    let vp = |depth: usize| format!("{}b pr{}", "a[".repeat(depth), "]".repeat(depth));
    b.parse(&vp(10)).unwrap();
    assert_eq!(parse_err(&b, &vp(11)), (ParseErrorKind::NestTooDeep, 21));
    // The default builder accepts what nest_limit(10) rejects.
    Filter::parse(&nested("(", ")", 11)).unwrap();
}

/// The largest limit, run in a child process: a stack overflow aborts the
/// whole process, which would hide every other test's result.
#[test]
fn max_nest_limit_does_not_overflow_the_stack() {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "max_nest_limit_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("OKTAQL_CASES_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let log: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        out.status.success(),
        "child test failed ({}):
{}",
        out.status,
        log.join(
            "
"
        )
    );
}

#[test]
fn max_nest_limit_child() {
    if std::env::var_os("OKTAQL_CASES_CHILD").is_none() {
        return;
    }
    // Documented in lib.rs: limits above MAX_NEST_LIMIT are clamped to it,
    // "so that no input can exhaust the stack". Runs on the default 2 MiB
    // test-thread stack.
    let max = oktaql::MAX_NEST_LIMIT;
    let big = Filter::builder().nest_limit(usize::MAX);
    for (open, width) in [("(", 1), ("not (", 5), ("a[", 2)] {
        let text = |depth: usize| {
            if open == "a[" {
                format!("{}b pr{}", "a[".repeat(depth), "]".repeat(depth))
            } else {
                nested(open, ")", depth)
            }
        };
        let offset = if open == "a[" {
            max * 2 + 1
        } else {
            max * width
        };
        eprintln!("{open:?} x {max}");
        let f = big
            .parse(&text(max))
            .unwrap_or_else(|e| panic!("{open:?} x {max}: {e}"));
        let _ = f.matches(&json(r#"{"a": 1}"#));
        let _ = f.matches_json(br#"{"a": 1}"#);
        let _ = f.to_string();
        eprintln!("{open:?} x {}", max + 1);
        assert_eq!(
            parse_err(&big, &text(max + 1)),
            (ParseErrorKind::NestTooDeep, offset)
        );
        eprintln!("{open:?} x 100000");
        assert_eq!(
            parse_err(&big, &text(100_000)),
            (ParseErrorKind::NestTooDeep, offset)
        );
    }
}

#[test]
fn hundred_thousand_deep_filters_are_rejected_cleanly() {
    const DEPTH: usize = 100_000;
    let b = Filter::builder();
    let cases: [(String, usize); 6] = [
        (nested("(", ")", DEPTH), 64),
        (nested("not (", ")", DEPTH), 64 * 5),
        (nested("not(", ")", DEPTH), 64 * 4),
        (
            format!("{}b pr{}", "a[".repeat(DEPTH), "]".repeat(DEPTH)),
            129,
        ),
        // Unbalanced: only openers.
        ("(".repeat(DEPTH), 64),
        ("a[".repeat(DEPTH), 129),
    ];
    for (text, offset) in &cases {
        assert_eq!(
            parse_err(&b, text),
            (ParseErrorKind::NestTooDeep, *offset),
            "{}",
            abbreviate(text)
        );
    }
}

#[test]
fn long_flat_chains() {
    // and/or chains are not nesting: 100,000 terms parse, evaluate and print.
    let or_chain: String = (0..100_000)
        .map(|i| format!("a eq {i}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let f = Filter::parse(&or_chain).unwrap();
    assert_eq!(f.to_string(), or_chain);
    assert_matches(&f, r#"{"a": 99999}"#, true);
    assert_matches(&f, r#"{"a": 100000}"#, false);
    assert_round_trip(&f);
    let and_chain = vec!["a pr"; 100_000].join(" AND ");
    let f = Filter::parse(&and_chain).unwrap();
    assert_eq!(f.to_string(), vec!["a pr"; 100_000].join(" and "));
    assert_matches(&f, r#"{"a": 0}"#, true);
    assert_matches(&f, r#"{"b": 0}"#, false);
}

#[test]
fn whitespace_cr_lf_and_trailing() {
    let event = r#"{"a": 1, "b": "x"}"#;
    for text in [
        "a eq 1\r\nand\r\nb pr",
        "a eq 1\nand\nb pr",
        "\r\n\ta\r\n\teq\r\n\t1\r\n",
        "a pr ",
        "a pr\t",
        "a pr\n",
        "a pr\r",
        "  \t a eq 1 \t\r\n ",
        "(\na pr\n)",
        "not\n(b eq \"y\")",
        "not\r\n(\r\nb eq \"y\"\r\n)",
    ] {
        let f = Filter::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_matches(&f, event, true);
        assert_round_trip(&f);
    }
    // Canonical text normalises every whitespace run to one space.
    assert_eq!(
        Filter::parse("a\r\neq\n1\r\nAND\tb\npr\n")
            .unwrap()
            .to_string(),
        "a eq 1 and b pr"
    );
    assert_eq!(Filter::parse("\n( a pr )\n").unwrap().to_string(), "a pr");
    // Value paths accept whitespace inside the brackets, not before `[`.
    let f = Filter::parse("t[\n x eq 1\r\n and\ty pr\n]").unwrap();
    assert_eq!(f.to_string(), "t[x eq 1 and y pr]");
    assert_matches(&f, r#"{"t": [{"x": 1, "y": 2}]}"#, true);
    assert_eq!(
        parse_err(&Filter::builder(), "t\n[x eq 1]"),
        (ParseErrorKind::ExpectedOperator, 2)
    );
    // Inside a string, whitespace is kept verbatim: `\n` and `\t` escapes.
    let f = Filter::parse("b eq \"x\" or\r\nb eq \"\\r\\n\"").unwrap();
    assert_matches(&f, r#"{"b": "\r\n"}"#, true);
    assert_matches(&f, r#"{"b": "\n"}"#, false);
}

#[test]
fn whitespace_errors_that_need_invisible_characters() {
    let b = Filter::builder();
    let cases: &[(&str, ParseErrorKind, usize)] = &[
        // Empty and whitespace-only.
        ("", ParseErrorKind::Empty, 0),
        (" ", ParseErrorKind::Empty, 0),
        (" \t\r\n ", ParseErrorKind::Empty, 0),
        ("\n", ParseErrorKind::Empty, 0),
        // Trailing whitespace does not complete a term. At the end of the
        // input the offset is the input's length...
        ("a ", ParseErrorKind::ExpectedOperator, 2),
        ("a\t", ParseErrorKind::ExpectedOperator, 2),
        ("a eq ", ParseErrorKind::ExpectedValue, 5),
        ("a eq 1 and ", ParseErrorKind::ExpectedAttribute, 11),
        ("not ", ParseErrorKind::ExpectedNotParen, 4),
        ("( ", ParseErrorKind::ExpectedAttribute, 2),
        ("(a pr ", ParseErrorKind::UnclosedParen, 6),
        // ... unless it ends with line breaks: then it is the end of the
        // last line holding anything but whitespace (before LF, CRLF or CR).
        ("a eq\r", ParseErrorKind::ExpectedValue, 4),
        ("a eq\n", ParseErrorKind::ExpectedValue, 4),
        ("a eq 1 or\r\n", ParseErrorKind::ExpectedAttribute, 9),
        ("a[b pr\n", ParseErrorKind::UnclosedBracket, 6),
        ("a eq \t\n\n \r\n\t", ParseErrorKind::ExpectedValue, 6),
        ("a eq 1\nand\n\n", ParseErrorKind::ExpectedAttribute, 10),
        (
            "t[x pr and\n  y pr\r\n",
            ParseErrorKind::UnclosedBracket,
            17,
        ),
        // Only space, tab, CR and LF are whitespace: not form feed,
        // vertical tab, NUL, NO-BREAK SPACE, EM SPACE or U+2028.
        ("a\x0ceq 1", ParseErrorKind::ExpectedWhitespace, 1),
        ("a\x0beq 1", ParseErrorKind::ExpectedWhitespace, 1),
        ("a\0eq 1", ParseErrorKind::ExpectedWhitespace, 1),
        ("a\u{a0}eq 1", ParseErrorKind::ExpectedWhitespace, 1),
        ("a\u{2003}eq 1", ParseErrorKind::ExpectedWhitespace, 1),
        ("a eq\u{a0}1", ParseErrorKind::ExpectedWhitespace, 4),
        ("\u{a0}a eq 1", ParseErrorKind::ExpectedAttribute, 0),
        ("\x0ca eq 1", ParseErrorKind::ExpectedAttribute, 0),
        ("a eq 1\u{2028}", ParseErrorKind::ExpectedLogicalOperator, 6),
        // Raw control characters inside a string: the offset of the character.
        ("a eq \"x\ny\"", ParseErrorKind::InvalidString, 7),
        ("a eq \"x\ry\"", ParseErrorKind::InvalidString, 7),
        ("a eq \"\0\"", ParseErrorKind::InvalidString, 6),
        ("a eq \"\x1f\"", ParseErrorKind::InvalidString, 6),
        ("a eq \"é\x01\"", ParseErrorKind::InvalidString, 8),
    ];
    let mut failures = Vec::new();
    for (text, kind, offset) in cases {
        match b.parse(text) {
            Ok(f) => failures.push(format!(
                "{text:?}: parsed as `{f}`, expected {kind:?} at {offset}"
            )),
            Err(e) if e.kind() == *kind && e.offset() == *offset => {}
            Err(e) => failures.push(format!(
                "{text:?}: got {:?} at {}, expected {kind:?} at {offset}",
                e.kind(),
                e.offset()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn printing_characters_that_need_care() {
    // serde_json escapes only `"`, `\` and U+0000..U+001F: DEL, U+2028,
    // U+2029 and U+FEFF print raw.
    for (input, canonical) in [
        ("s eq \"\\u007f\"", "s eq \"\u{7f}\""),
        ("s eq \"\\u2028\\u2029\"", "s eq \"\u{2028}\u{2029}\""),
        ("s eq \"\\ufeff\"", "s eq \"\u{feff}\""),
        ("s eq \"\u{2028}\"", "s eq \"\u{2028}\""),
        (
            "s eq \"\\u001F\\u000B\\u0000\"",
            "s eq \"\\u001f\\u000b\\u0000\"",
        ),
    ] {
        let f = Filter::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(f.to_string(), canonical, "{input:?}");
        assert_round_trip(&f);
    }
    let f = Filter::parse("s eq \"\\u2028\"").unwrap();
    assert_matches(&f, "{\"s\": \"\u{2028}\"}", true);
    assert_matches(&f, r#"{"s": "\u2028"}"#, true);
}

#[test]
fn malformed_events_are_errors_never_matches() {
    // "A JSON event holding NaN or Infinity is malformed"; malformed JSON is an Err.
    let f = Filter::parse("a pr or a eq null or not (a pr)").unwrap();
    for text in [
        r#"{"a": NaN}"#,
        r#"{"a": Infinity}"#,
        r#"{"a": -Infinity}"#,
        r#"{"a": 1e400}"#,
        r#"{"a": 1"#,
        r#"{"a": 1}}"#,
        r#"{"a": "\ud800"}"#,
        r#"{"a": "\x"}"#,
        r#"{"a": 01}"#,
        r#"{'a': 1}"#,
        "",
    ] {
        assert!(
            f.matches_json(text.as_bytes()).is_err(),
            "{text:?} should be an error"
        );
    }
}
