//! Checks every example in `grammar.md`.
//!
//! The file is read in order:
//! - ```` ```json event ```` blocks set the *current event* (one JSON value);
//! - ```` ```filter matches ```` / ```` ```filter nomatch ````: one filter per line that must parse
//!   and must (not) match the current event, through both `matches(&Value)` and
//!   `matches_json(compact bytes)`;
//! - ```` ```filter ````: filters that must parse (and on which the two evaluators must agree when
//!   there is a current event);
//! - ```` ```filter invalid ````: filters that must fail to parse;
//! - ```` ```filter canonical ````: a filter, then `=> ` and its exact `Display` text;
//! - options after the kind: `ignore-case`, `nest-limit=N`;
//! - the error table (header `| Kind | Example | Offset |`): kind and offset of each example;
//! - ```` ```text parse-error ```` blocks: a complete error message, the filter on its second line;
//! - ```` ```check ```` blocks (§11): a filter, then exactly what `oktaql check` prints for it (the
//!   findings' text forms, a blank line between two); ```` ```check clean ````: one filter per line,
//!   each with no finding; `ignore-case` checks as `-i` does. Every code must appear in some block.
//!
//! Every filter that parses must print to a text that parses back to an equal filter, and that
//! prints the same again. All failures are collected, with their line numbers in grammar.md.

use oktaql::{Filter, FilterBuilder};
use serde_json::Value;

/// The least number of checked examples: guards against the extraction silently breaking.
const FLOOR: usize = 550;

/// A fenced block: its info string, and its content lines with their 1-based line numbers.
struct Block {
    info: String,
    open_line: usize,
    lines: Vec<(usize, String)>,
}

/// A row of the error table.
struct ErrorRow {
    line: usize,
    kind: String,
    example: String,
    offset: usize,
}

enum Item {
    Block(Block),
    Row(ErrorRow),
}

/// Splits the document into fenced blocks and error-table rows, in order.
fn items(text: &str, failures: &mut Vec<String>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Block)> = None; // (fence length, block)
    let mut in_error_table = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((fence, block)) = &mut open {
            let ticks = line.bytes().take_while(|&b| b == b'`').count();
            if ticks >= *fence && line[ticks..].trim().is_empty() {
                let (_, block) = open.take().expect("open block");
                out.push(Item::Block(block));
            } else {
                block.lines.push((line_no, line.to_owned()));
            }
            continue;
        }
        let ticks = line.bytes().take_while(|&b| b == b'`').count();
        if ticks >= 3 {
            in_error_table = false;
            open = Some((
                ticks,
                Block {
                    info: line[ticks..].trim().to_owned(),
                    open_line: line_no,
                    lines: Vec::new(),
                },
            ));
            continue;
        }
        if line.starts_with("| Kind | Example | Offset |") {
            in_error_table = true;
            continue;
        }
        if in_error_table {
            if !line.starts_with('|') {
                in_error_table = false;
                continue;
            }
            if line.starts_with("|---") {
                continue;
            }
            match error_row(line, line_no) {
                Some(row) => out.push(Item::Row(row)),
                None => failures.push(format!(
                    "grammar.md:{line_no}: malformed error-table row: {line}"
                )),
            }
        }
    }
    if let Some((_, block)) = open {
        failures.push(format!(
            "grammar.md:{}: unclosed fenced block",
            block.open_line
        ));
    }
    out
}

/// `` | `Kind` | `example` | offset | why | ``
fn error_row(line: &str, line_no: usize) -> Option<ErrorRow> {
    let cells: Vec<&str> = line
        .trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .collect();
    if cells.len() < 3 {
        return None;
    }
    let code = |cell: &str| -> Option<String> {
        let t = cell.trim();
        (t.len() >= 2 && t.starts_with('`') && t.ends_with('`'))
            .then(|| t[1..t.len() - 1].to_owned())
    };
    Some(ErrorRow {
        line: line_no,
        kind: code(cells[0])?,
        example: code(cells[1])?,
        offset: cells[2].trim().parse().ok()?,
    })
}

/// The event's JSON text without the whitespace between tokens; keys, their order, duplicates
/// and the spelling of numbers and strings are kept as written.
fn compact(json: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for b in json.bytes() {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Parse,
    Matches,
    NoMatch,
    Invalid,
    Canonical,
}

struct Event {
    value: Value,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct Checker {
    failures: Vec<String>,
    checked: usize,
    by_kind: std::collections::BTreeMap<&'static str, usize>,
    /// The codes of the findings shown in ```check blocks.
    codes: std::collections::BTreeSet<&'static str>,
}

impl Checker {
    fn fail(&mut self, line: usize, filter: &str, problem: impl std::fmt::Display) {
        self.failures
            .push(format!("grammar.md:{line}: {filter}\n    {problem}"));
    }

    fn count(&mut self, what: &'static str) {
        self.checked += 1;
        *self.by_kind.entry(what).or_default() += 1;
    }

    /// Parses a filter that must be valid and checks its printed form. Returns it if all is well.
    fn valid(
        &mut self,
        builder: &FilterBuilder,
        default_options: bool,
        line: usize,
        text: &str,
    ) -> Option<Filter> {
        let f = match builder.parse(text) {
            Ok(f) => f,
            Err(e) => {
                self.fail(line, text, format!("does not parse: {e:?}\n{e}"));
                return None;
            }
        };
        if default_options {
            match text.parse::<Filter>() {
                Ok(g) if g == f => {}
                other => self.fail(
                    line,
                    text,
                    format!("FromStr disagrees with Filter::parse: {other:?}"),
                ),
            }
        }
        let printed = f.to_string();
        match builder.parse(&printed) {
            Ok(g) if g == f => {
                let again = g.to_string();
                if again != printed {
                    self.fail(
                        line,
                        text,
                        format!("printing is not stable: {printed:?} then {again:?}"),
                    );
                }
            }
            Ok(g) => self.fail(
                line,
                text,
                format!(
                    "Display {printed:?} re-parses to a different filter: {:?} vs {:?}",
                    g.ast(),
                    f.ast()
                ),
            ),
            Err(e) => self.fail(
                line,
                text,
                format!("Display {printed:?} does not re-parse: {e:?}"),
            ),
        }
        Some(f)
    }

    /// Both evaluators on the current event; they must agree, and `may_match` must not rule out
    /// a match. Returns the answer.
    fn eval(&mut self, f: &Filter, event: &Event, line: usize, text: &str) -> Option<bool> {
        let by_value = f.matches(&event.value);
        match f.matches_json(&event.bytes) {
            Ok(by_bytes) if by_bytes == by_value => {}
            other => {
                self.fail(
                    line,
                    text,
                    format!("matches(&Value) = {by_value} but matches_json(bytes) = {other:?}"),
                );
                return None;
            }
        }
        if by_value && !f.may_match(&event.bytes) {
            self.fail(line, text, "matches, but may_match says it cannot");
        }
        Some(by_value)
    }

    fn invalid(&mut self, builder: &FilterBuilder, line: usize, text: &str) {
        match builder.parse(text) {
            Ok(f) => self.fail(line, text, format!("parses, but should not: {f}")),
            Err(e) => {
                if e.offset() > text.len() || !text.is_char_boundary(e.offset()) {
                    self.fail(
                        line,
                        text,
                        format!("offset {} is not a char boundary of the filter", e.offset()),
                    );
                }
                let msg = e.to_string();
                let lines: Vec<&str> = msg.lines().collect();
                // The message, the filter's line, the carets, and a help
                // line when there is help.
                let carets = if e.help().is_some() {
                    lines.len().checked_sub(2)
                } else {
                    lines.len().checked_sub(1)
                };
                let caret_ok = lines.len() >= 3
                    && carets.and_then(|i| lines.get(i)).is_some_and(|l| {
                        let t = l.trim();
                        !t.is_empty() && t.chars().all(|c| c == '^')
                    });
                if !caret_ok {
                    self.fail(line, text, format!("the message has no caret line:\n{msg}"));
                }
            }
        }
    }

    fn block(&mut self, block: &Block, event: &mut Option<Event>) {
        let mut words = block.info.split_whitespace();
        match words.next() {
            Some("json") if words.next() == Some("event") => {
                let json: String = block.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
                match serde_json::from_str::<Value>(&json) {
                    Ok(value) => {
                        *event = Some(Event {
                            value,
                            bytes: compact(&json),
                        })
                    }
                    Err(e) => {
                        self.fail(block.open_line, "json event", format!("not JSON: {e}"));
                        *event = None;
                    }
                }
            }
            Some("text") if words.next() == Some("parse-error") => self.parse_error_block(block),
            Some("filter") => self.filter_block(block, words.collect(), event.as_ref()),
            Some("check") => self.check_block(block, words.collect()),
            _ => {}
        }
    }

    fn filter_block(&mut self, block: &Block, words: Vec<&str>, event: Option<&Event>) {
        let mut kind = Kind::Parse;
        let mut builder = Filter::builder();
        let mut default_options = true;
        for w in words {
            match w {
                "matches" => kind = Kind::Matches,
                "nomatch" => kind = Kind::NoMatch,
                "invalid" => kind = Kind::Invalid,
                "canonical" => kind = Kind::Canonical,
                "ignore-case" => {
                    builder = builder.ignore_case(true);
                    default_options = false;
                }
                _ => match w.strip_prefix("nest-limit=").and_then(|n| n.parse().ok()) {
                    Some(n) => {
                        builder = builder.nest_limit(n);
                        default_options = false;
                    }
                    None => {
                        let info = block.info.clone();
                        self.fail(
                            block.open_line,
                            &info,
                            format!("unknown word {w:?} in a filter block"),
                        );
                        return;
                    }
                },
            }
        }
        if matches!(kind, Kind::Matches | Kind::NoMatch) && event.is_none() {
            self.fail(block.open_line, &block.info, "no current event");
            return;
        }
        let lines: Vec<&(usize, String)> = block
            .lines
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        if kind == Kind::Canonical {
            self.canonical(&builder, default_options, &lines);
            return;
        }
        for &(line, ref text) in lines {
            match kind {
                Kind::Invalid => {
                    self.count("invalid");
                    self.invalid(&builder, line, text);
                }
                Kind::Parse => {
                    self.count("parses");
                    if let Some(f) = self.valid(&builder, default_options, line, text) {
                        if let Some(ev) = event {
                            self.eval(&f, ev, line, text);
                        }
                    }
                }
                Kind::Matches | Kind::NoMatch => {
                    let want = kind == Kind::Matches;
                    self.count(if want { "matches" } else { "nomatch" });
                    let ev = event.expect("checked above");
                    if let Some(f) = self.valid(&builder, default_options, line, text) {
                        if let Some(got) = self.eval(&f, ev, line, text) {
                            if got != want {
                                let options = if default_options {
                                    ""
                                } else {
                                    " (with the block's options)"
                                };
                                self.fail(
                                    line,
                                    text,
                                    format!(
                                        "expected {}{options}, got {got}",
                                        if want { "a match" } else { "no match" }
                                    ),
                                );
                            }
                        }
                    }
                }
                Kind::Canonical => unreachable!(),
            }
        }
    }

    fn canonical(
        &mut self,
        builder: &FilterBuilder,
        default_options: bool,
        lines: &[&(usize, String)],
    ) {
        let mut it = lines.iter();
        while let Some(&&(line, ref input)) = it.next() {
            self.count("canonical");
            let Some(&&(exp_line, ref expected)) = it.next() else {
                self.fail(line, input, "canonical pair without its `=> ` line");
                return;
            };
            let Some(expected) = expected.strip_prefix("=> ") else {
                self.fail(exp_line, expected, "expected a line starting with `=> `");
                return;
            };
            if let Some(f) = self.valid(builder, default_options, line, input) {
                let printed = f.to_string();
                if printed != expected {
                    self.fail(
                        line,
                        input,
                        format!("prints as {printed:?}, grammar.md says {expected:?}"),
                    );
                }
            }
        }
    }

    fn error_row(&mut self, row: &ErrorRow) {
        self.count("error table");
        match Filter::parse(&row.example) {
            Ok(f) => self.fail(
                row.line,
                &row.example,
                format!("parses, but should be a {} error: {f}", row.kind),
            ),
            Err(e) => {
                let kind = format!("{:?}", e.kind());
                if kind != row.kind || e.offset() != row.offset {
                    self.fail(
                        row.line,
                        &row.example,
                        format!(
                            "expected {} at offset {}, got {kind} at offset {}\n{e}",
                            row.kind,
                            row.offset,
                            e.offset()
                        ),
                    );
                }
            }
        }
    }

    fn check_block(&mut self, block: &Block, words: Vec<&str>) {
        use oktaql::check::{self, Options};
        let mut options = Options::new();
        let mut clean = false;
        for w in words {
            match w {
                "clean" => clean = true,
                "ignore-case" => options = options.ignore_case(true),
                _ => {
                    let info = block.info.clone();
                    self.fail(block.open_line, &info, format!("unknown word {w:?}"));
                    return;
                }
            }
        }
        let lines: Vec<&(usize, String)> = if clean {
            block
                .lines
                .iter()
                .filter(|(_, l)| !l.trim().is_empty())
                .collect()
        } else {
            block.lines.iter().take(1).collect()
        };
        for &(line, ref text) in lines {
            self.count("check");
            let findings = match check::check(text, &options) {
                Ok(f) => f,
                Err(e) => {
                    self.fail(line, text, format!("does not parse: {e}"));
                    continue;
                }
            };
            let got: Vec<String> = findings
                .iter()
                .map(|f| f.display(text).to_string())
                .collect();
            for f in &findings {
                self.codes.insert(f.code().as_str());
            }
            let got = got.join("\n\n");
            let want: String = if clean {
                String::new()
            } else {
                block.lines[1..]
                    .iter()
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            if got != want {
                self.fail(
                    line,
                    text,
                    format!("oktaql check prints:\n{got}\n--- grammar.md says:\n{want}"),
                );
            }
        }
    }

    fn parse_error_block(&mut self, block: &Block) {
        self.count("error message");
        let expected: Vec<&str> = block.lines.iter().map(|(_, l)| l.as_str()).collect();
        let Some(filter) = expected.get(1).copied() else {
            self.fail(
                block.open_line,
                &block.info,
                "a parse-error block needs the filter on its second line",
            );
            return;
        };
        let expected = expected.join("\n");
        match Filter::parse(filter) {
            Ok(_) => self.fail(
                block.open_line,
                filter,
                "parses, but the block shows an error",
            ),
            Err(e) => {
                let got = e.to_string();
                if got != expected {
                    self.fail(
                        block.open_line,
                        filter,
                        format!("message differs:\n--- grammar.md\n{expected}\n--- Display\n{got}"),
                    );
                }
            }
        }
    }
}

#[test]
fn grammar_md_examples() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar.md");
    let text = std::fs::read_to_string(path).expect("read grammar.md");
    let mut checker = Checker::default();
    let items = items(&text, &mut checker.failures);
    let mut event: Option<Event> = None;
    for item in &items {
        match item {
            Item::Block(b) => checker.block(b, &mut event),
            Item::Row(r) => checker.error_row(r),
        }
    }
    let summary = format!(
        "{} examples checked: {:?}",
        checker.checked, checker.by_kind
    );
    assert!(
        checker.failures.is_empty(),
        "{} failing example(s) in grammar.md ({summary}):\n\n{}",
        checker.failures.len(),
        checker.failures.join("\n\n")
    );
    for kind in [
        "matches",
        "nomatch",
        "parses",
        "invalid",
        "canonical",
        "error table",
        "error message",
        "check",
    ] {
        assert!(
            checker.by_kind.get(kind).is_some_and(|&n| n > 0),
            "no `{kind}` examples found ({summary})"
        );
    }
    for code in oktaql::check::Code::ALL {
        assert!(
            checker.codes.contains(code.as_str()),
            "grammar.md shows no `{code}` finding in a ```check block"
        );
    }
    assert!(
        checker.checked >= FLOOR,
        "only {summary}; expected at least {FLOOR}"
    );
}

#[test]
fn compact_keeps_strings_and_duplicates() {
    let json = "{ \"a\" : \"x y\\\" \\\\\" ,\n\t\"a\": [1.0 , 2e3] }";
    assert_eq!(compact(json), br#"{"a":"x y\" \\","a":[1.0,2e3]}"#.to_vec());
}
