// The properties the fuzz targets check, shared with the regression test.
//
// Included with `include!` by fuzz/fuzz_targets/*.rs and by
// tests/regression.rs (inside a `mod checks { … }`), so a crash file saved
// under tests/regression/<target>/ replays through exactly the code that
// found it. Every check takes the raw fuzz input; a panic is a failure.
//
// Input layout for `eval` and `differential`: the filter is the text before
// the first `\n` (it must be UTF-8, or the input is skipped), the event is
// every byte after it (empty when there is no `\n`).

use oktaql::ast::Expr;
use oktaql::{Filter, Path};
use serde_json::Value;

/// `parse`: arbitrary bytes as a filter.
///
/// Never panics; on error the span lies inside the input on character
/// boundaries and the message renders; on success the canonical text parses
/// back to an equal tree and prints the same again.
pub fn check_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Filter::parse(text) {
        Ok(filter) => {
            let printed = filter.to_string();
            let again = Filter::parse(&printed).unwrap_or_else(|e| {
                panic!("{text:?} prints as {printed:?}, which does not parse: {e}")
            });
            assert_eq!(
                again.ast(),
                filter.ast(),
                "{text:?} prints as {printed:?}, which parses differently"
            );
            assert_eq!(
                again.to_string(),
                printed,
                "printing is not stable for {text:?}"
            );
            // The --explain rendering walks the same tree.
            let _ = filter.ast().unwrap().tree();
        }
        Err(e) => {
            let span = e.span();
            assert_eq!(e.offset(), span.start);
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "error span {span:?} outside the input ({} bytes): {e:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "error span {span:?} splits a character: {e:?}"
            );
            assert_eq!(e.input(), text);
            check_caret_diagram(text, &e);
        }
    }
}

/// The message of a parse error: one line, then the input's line holding
/// the offset (control characters shown as spaces, without the CR of a
/// CRLF), then carets starting at the offset's column (in characters). The
/// line is never blank unless the whole input is; at the end of the filter
/// the caret is at the end of the input or of a line (before CR or LF),
/// with only whitespace after it.
pub fn check_caret_diagram(text: &str, e: &oktaql::ParseError) {
    let msg = e.to_string();
    let lines: Vec<&str> = msg.split('\n').collect();
    // The message, the line, the carets, and a help line when there is help.
    match e.help() {
        None => assert_eq!(lines.len(), 3, "{text:?}: {msg}"),
        Some(help) => {
            assert_eq!(lines.len(), 4, "{text:?}: {msg}");
            assert_eq!(lines[3], format!("help: {help}"), "{text:?}: {msg}");
        }
    }
    let offset = e.offset();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let raw = &text[line_start..line_end];
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let shown: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    assert_eq!(lines[1], shown, "{text:?}: {msg}");
    let col = text[line_start..offset].chars().count();
    // A filter of several lines names the line and column too.
    let at = if text.trim_end().contains('\n') {
        let line = text[..line_start].matches('\n').count() + 1;
        format!(" at line {line}, column {} (offset {offset})", col + 1)
    } else {
        format!(" at offset {offset}")
    };
    assert!(lines[0].ends_with(&at), "{text:?}: {msg} (want {at})");
    let carets = lines[2].trim_start_matches(' ');
    assert_eq!(lines[2].len() - carets.len(), col, "{text:?}: {msg}");
    assert!(
        !carets.is_empty() && carets.bytes().all(|b| b == b'^'),
        "{text:?}: {msg}"
    );
    let blank = |s: &str| s.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    if !blank(text) {
        assert!(!blank(raw), "the diagram shows a blank line: {text:?}: {msg}");
    }
    // (`ends_with`: the message may quote text that reads like this.)
    if lines[0].ends_with(&format!(", found end of filter{at}")) {
        // Nothing but whitespace follows, and the spot is the end of the
        // input or the end of a line.
        let rest = &text[offset..];
        assert!(blank(rest), "{text:?}: {msg}");
        assert!(
            rest.is_empty() || rest.starts_with(['\r', '\n']),
            "{text:?}: {msg}"
        );
    }
}

/// `roundtrip`: a tree built by oktaql's `Arbitrary` impl prints to text that
/// parses back to an equal tree, and printing that gives the same text.
pub fn check_roundtrip(expr: &oktaql::ast::Expr) {
    let text = expr.to_string();
    let filter = Filter::parse(&text)
        .unwrap_or_else(|e| panic!("{expr:?} prints as {text:?}, which does not parse: {e}"));
    assert_eq!(filter.ast(), Some(expr), "{text:?} parses to a different tree");
    assert_eq!(filter.to_string(), text, "printing is not stable");
}

/// Splits a fuzz input into the filter (first line) and the event (the rest).
pub fn split(data: &[u8]) -> Option<(&str, &[u8])> {
    let nl = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let filter = std::str::from_utf8(&data[..nl]).ok()?;
    let event = data.get(nl + 1..).unwrap_or(&[]);
    Some((filter, event))
}

/// The filter parsed case-sensitive and ignore-case (none if it does not parse).
fn both_cases(text: &str) -> Vec<Filter> {
    [false, true]
        .into_iter()
        .filter_map(|ignore_case| Filter::builder().ignore_case(ignore_case).parse(text).ok())
        .collect()
}

/// Whether the tree uses only operators that ignoring case can only widen:
/// no `not`, no `ne`, no orderings.
fn positive(e: &oktaql::ast::Expr) -> bool {
    use oktaql::ast::{CompareOp, Expr};
    match e {
        Expr::Or(v, _) | Expr::And(v, _) => v.iter().all(positive),
        Expr::Not(..) => false,
        Expr::Compare(c) => matches!(
            c.op,
            CompareOp::Eq | CompareOp::Co | CompareOp::Sw | CompareOp::Ew
        ),
        Expr::Present(..) => true,
        Expr::ValuePath(_, inner, _) => positive(inner),
    }
}

/// `eval`: a filter and arbitrary event bytes.
///
/// `matches_json` and `may_match` never panic; an error's offset lies inside
/// the event, and an error other than truncation stays the same when bytes
/// are appended; `may_match` answers false only for events `matches_json` does
/// not accept (`Ok(false)` or an error), as documented.
pub fn check_eval(data: &[u8]) {
    let Some((text, event)) = split(data) else {
        return;
    };
    for filter in both_cases(text) {
        let got = filter.matches_json(event);
        let may = filter.may_match(event);
        assert!(
            may || got != Ok(true),
            "may_match is false but matches_json is Ok(true): filter {:?} (ignore_case {}), event {:?}",
            text,
            filter.ignore_case(),
            String::from_utf8_lossy(event)
        );
        if let Err(e) = got {
            assert!(
                e.offset() <= event.len(),
                "error offset {} past the event ({} bytes)",
                e.offset(),
                event.len()
            );
            let _ = e.to_string();
            // An error that is not "cut off" is decided by the bytes before
            // it: more bytes after the event leave it as it is.
            if e.kind() != oktaql::JsonErrorKind::Truncated {
                let longer = [event, b" \xff\"}]"].concat();
                assert_eq!(
                    filter.matches_json(&longer),
                    Err(e),
                    "the error moves when bytes follow: filter {:?}, event {:?}",
                    text,
                    String::from_utf8_lossy(event)
                );
            }
        }
    }
    check_extract_eval(text, event);
}

/// The filter with keywords taken from the event's first quoted word, so
/// that the keyword search finds something often (also in values a
/// repeated key overwrites).
fn with_keywords(text: &str, event: &[u8]) -> Option<Filter> {
    let start = event.iter().position(|&b| b == b'"')? + 1;
    let len = event[start..].iter().position(|&b| b == b'"')?;
    let word = std::str::from_utf8(&event[start..start + len]).ok()?;
    let keywords = oktaql::Keywords::parse(word).ok()?;
    Filter::builder().keywords(Some(keywords)).parse(text).ok()
}

/// A top-level `or` holds when one of its operands, parsed as a filter of
/// its own, holds; an `and` when all do; `not (…)` of either the opposite.
/// The `eq`s of an `or` on one path (`ne`s of an `and`) are compiled into
/// one set lookup, so this checks the set against its literals one by one.
fn check_operands(filter: &Filter, value: &Value, want: bool) {
    use oktaql::ast::Expr;
    let (expr, negated) = match filter.ast().unwrap() {
        Expr::Not(inner, _) => (&**inner, true),
        e => (e, false),
    };
    let (operands, any) = match expr {
        Expr::Or(es, _) => (es, true),
        Expr::And(es, _) => (es, false),
        _ => return,
    };
    let builder = Filter::builder()
        .ignore_case(filter.ignore_case())
        .nest_limit(oktaql::MAX_NEST_LIMIT);
    let mut each = operands.iter().map(|e| {
        let text = e.to_string();
        builder
            .parse(&text)
            .unwrap_or_else(|err| panic!("operand {text:?} does not parse: {err}"))
            .matches(value)
    });
    let combined = if any { each.any(|m| m) } else { each.all(|m| m) };
    assert_eq!(
        want,
        combined != negated,
        "filter {} (ignore_case {}) disagrees with its operands one by one on {}",
        filter,
        filter.ignore_case(),
        value
    );
}

/// `differential`: the bytes evaluator against the `Value` evaluator, with
/// serde_json as the oracle for what is valid JSON.
///
/// The filter runs case-sensitive, ignore-case, and with keywords taken from
/// the event. Whenever serde_json parses the event, `matches_json ==
/// Ok(matches(&value))` and `may_match` is true for every matching event,
/// and a top-level `or` (`and`) answers what its operands, each a filter of
/// its own, answer combined (see [`check_operands`]). Whenever serde_json
/// rejects it, `matches_json` is an error, except when serde_json stops only
/// at its 128-level recursion limit (oktaql accepts any depth): those inputs
/// are skipped.
pub fn check_differential(data: &[u8]) {
    let Some((text, event)) = split(data) else {
        return;
    };
    let parsed = serde_json::from_slice::<Value>(event);
    if let Err(e) = &parsed {
        if e.to_string().contains("recursion limit") {
            return;
        }
    }
    let filters = both_cases(text);
    if let ([sensitive, ignoring], Ok(value)) = (filters.as_slice(), &parsed) {
        // Ignoring case only ever adds matches to a filter of and/or/value
        // paths over eq, co, sw, ew and pr.
        assert!(
            !positive(sensitive.ast().unwrap()) || !sensitive.matches(value) || ignoring.matches(value),
            "matches case-sensitively but not ignoring case: filter {:?}, event {:?}",
            text,
            String::from_utf8_lossy(event)
        );
    }
    let plain = filters.len();
    for (i, filter) in filters.into_iter().chain(with_keywords(text, event)).enumerate() {
        let got = filter.matches_json(event);
        match &parsed {
            Ok(value) => {
                let want = filter.matches(value);
                assert_eq!(
                    got,
                    Ok(want),
                    "matches_json disagrees with matches: filter {:?} (ignore_case {}), event {:?}",
                    text,
                    filter.ignore_case(),
                    String::from_utf8_lossy(event)
                );
                assert!(
                    filter.may_match(event) || !want,
                    "may_match rejects a matching event: filter {:?} (ignore_case {}), event {:?}",
                    text,
                    filter.ignore_case(),
                    String::from_utf8_lossy(event)
                );
                // The operands are parsed without keywords: only the
                // filters without them compare.
                if i < plain {
                    check_operands(&filter, value, want);
                }
            }
            Err(e) => assert!(
                got.is_err(),
                "serde_json rejects the event ({e}) but matches_json gives {got:?}: filter {:?} (ignore_case {}), event {:?}",
                text,
                filter.ignore_case(),
                String::from_utf8_lossy(event)
            ),
        }
    }
    check_extract_differential(text, event, parsed.as_ref().ok());
}

/// The paths an extraction check looks up: the filter's attribute paths
/// (for a value path, its path and each inner path under it) if the first
/// line is a filter, else the first line as a `--fields` list.
fn extraction_paths(text: &str) -> Vec<Path> {
    fn walk(e: &Expr, prefix: &[String], out: &mut Vec<Path>) {
        let mut add = |names: &[String]| {
            let full: Vec<String> = prefix.iter().chain(names).cloned().collect();
            if let Ok(p) = Path::parse(&full.join(".")) {
                out.push(p);
            }
        };
        match e {
            Expr::Or(v, _) | Expr::And(v, _) => v.iter().for_each(|e| walk(e, prefix, out)),
            Expr::Not(e, _) => walk(e, prefix, out),
            Expr::Compare(c) => add(&c.path.names),
            Expr::Present(p, _) => add(&p.names),
            Expr::ValuePath(p, inner, _) => {
                add(&p.names);
                let outer: Vec<String> = prefix.iter().chain(&p.names).cloned().collect();
                walk(inner, &outer, out);
            }
        }
    }
    let mut out = Vec::new();
    match Filter::parse(text) {
        Ok(f) => walk(f.ast().unwrap(), &[], &mut out),
        Err(_) => out.extend(text.split(',').filter_map(|p| Path::parse(p.trim()).ok())),
    }
    out
}

/// `eval`, extraction: `Path::raw_values_all` never panics, is an error
/// exactly when `matches_json` is one (both validate the whole event), the
/// same error at the same byte, with its offset inside
/// the event, and every value it finds is a piece of the event with no
/// whitespace around it.
fn check_extract_eval(text: &str, event: &[u8]) {
    let paths = extraction_paths(text);
    let got = Path::raw_values_all(&paths, event);
    let matched = Filter::parse("a pr")
        .expect("a filter")
        .matches_json(event);
    match &got {
        Ok(all) => {
            assert_eq!(all.len(), paths.len());
            assert!(
                matched.is_ok(),
                "raw_values accepts what matches_json rejects ({matched:?}): {:?}",
                String::from_utf8_lossy(event)
            );
            for v in all.iter().flatten() {
                let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
                assert!(!v.is_empty() && !v.first().is_some_and(ws) && !v.last().is_some_and(ws));
                let range = event.as_ptr_range();
                assert!(range.contains(&v.as_ptr()));
            }
        }
        Err(e) => {
            assert_eq!(
                Err(*e),
                matched.map(|_| ()),
                "raw_values and matches_json report different errors: {:?}",
                String::from_utf8_lossy(event)
            );
            assert!(e.offset() <= event.len());
        }
    }
}

/// `differential`, extraction: whenever serde_json parses the event, the
/// values `Path::raw_values_all` finds parse to exactly `Path::values` on
/// the `Value`, in the same order, for each of the paths; whenever serde_json
/// rejects it (short of its recursion limit), extraction is an error.
fn check_extract_differential(text: &str, event: &[u8], parsed: Option<&Value>) {
    let paths = extraction_paths(text);
    let got = Path::raw_values_all(&paths, event);
    let Some(value) = parsed else {
        assert!(
            got.is_err(),
            "raw_values accepts what serde_json rejects: {:?}",
            String::from_utf8_lossy(event)
        );
        return;
    };
    let all = got.unwrap_or_else(|e| {
        panic!(
            "raw_values rejects ({e}) what serde_json accepts: {:?}",
            String::from_utf8_lossy(event)
        )
    });
    for (path, found) in paths.iter().zip(&all) {
        let found: Vec<Value> = found
            .iter()
            .map(|b| serde_json::from_slice(b).expect("a found value is JSON"))
            .collect();
        assert_eq!(
            found.iter().collect::<Vec<_>>(),
            path.values(value),
            "raw_values disagrees with values at {path}: {:?}",
            String::from_utf8_lossy(event)
        );
    }
}

/// `reader`: arbitrary bytes through `oktaql::read::Reader` (the first byte
/// picks the batch size, 16 to 271 bytes, so batch boundaries fall
/// everywhere; events are limited to 4 KiB).
///
/// Never panics; the buffer stays within a bound of the limits; every event
/// the scanner delivers (`Part::Event`) is a JSON object serde_json accepts
/// (or rejects only at its recursion limit); every NDJSON line delivered
/// begins with `{` and ends with `}`; lines never go back; and for plain
/// UTF-8 input, every line holding more than whitespace and `[ ] ,` is
/// covered by a delivered event or a reported bad value.
pub fn check_reader(data: &[u8]) {
    use oktaql::read::{Batch, Compression, Encoding, Error, Part, Reader, Selected};

    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let batch_size = 16 + usize::from(first);
    let max_event = 4096;
    let Ok(reader) = Reader::new(input) else {
        return;
    };
    let plain = reader.format().compression == Compression::None
        && matches!(
            reader.format().encoding,
            Encoding::Utf8 | Encoding::Utf8Bom
        );
    let mut reader = reader.max_event(max_event).batch_size(batch_size);
    let everything = oktaql::Filter::builder()
        .empty_selects_all(true)
        .parse("")
        .expect("the empty filter");
    let mut batch = Batch::new();
    let mut covered: Vec<(u64, u64)> = Vec::new();
    let mut last_line = 0u64;
    let mut complete = true;
    loop {
        match reader.fill(&mut batch) {
            Ok(true) => {}
            Ok(false) => break,
            Err(Error::NotJson(_)) | Err(Error::Io(_)) => {
                complete = false;
                break;
            }
            Err(e) => panic!("fill returned a bad value as an error: {e}"),
        }
        let data = batch.data();
        // The first batch may hold the first block read for detection
        // (16 KiB); after that, a batch and one event.
        assert!(
            data.len() <= (16 << 10) + 4 * (max_event + batch_size),
            "a batch of {} bytes",
            data.len()
        );
        // What the command selects: only objects, valid JSON (a line that
        // is not one value read again as values one after another).
        batch.select(&everything, |s| {
            if let Selected::Event(hit) = s {
                let v = serde_json::from_slice::<Value>(hit.bytes());
                assert!(
                    v.as_ref().map_or_else(|e| e.to_string().contains("recursion limit"), Value::is_object),
                    "selected {:?} is not a JSON object",
                    String::from_utf8_lossy(hit.bytes())
                );
            }
        });
        for part in batch.parts() {
            let (line, end) = match part {
                Part::Event { range, line } => {
                    let text = &data[range.clone()];
                    match serde_json::from_slice::<Value>(text) {
                        Ok(v) => assert!(v.is_object(), "a delivered event is not an object"),
                        Err(e) => assert!(
                            e.to_string().contains("recursion limit"),
                            "delivered event {:?} is not JSON: {e}",
                            String::from_utf8_lossy(text)
                        ),
                    }
                    let lines = text.iter().filter(|&&b| b == b'\n').count() as u64;
                    (*line, line + lines)
                }
                Part::Lines { range, line, lines: count } => {
                    let text = &data[range.clone()];
                    for (n, l) in (*line..).zip(text.split(|&b| b == b'\n')) {
                        let t: Vec<u8> = l
                            .iter()
                            .copied()
                            .skip_while(|b| b" \t\r".contains(b))
                            .collect();
                        let t = t.trim_ascii_end();
                        if !t.is_empty() {
                            assert!(
                                t.starts_with(b"{") && t.ends_with(b"}"),
                                "NDJSON line {:?}",
                                String::from_utf8_lossy(l)
                            );
                            covered.push((n, n));
                        }
                    }
                    let lines = text.iter().filter(|&&b| b == b'\n').count() as u64;
                    let partial = u64::from(!text.ends_with(b"\n"));
                    assert_eq!(*count, lines + partial, "the lines of a run");
                    (*line, line + lines)
                }
                Part::Bad(b) => {
                    assert!(b.line <= b.end_line, "{b:?}");
                    (b.line, b.end_line)
                }
            };
            assert!(line >= last_line, "line {line} after line {last_line}");
            last_line = line;
            if !matches!(part, Part::Lines { .. }) {
                covered.push((line, end));
            }
        }
    }
    if !(complete && plain) {
        return;
    }
    let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    // A text whose first line break is a CR alone has CR line ends: each
    // CR (or CR LF pair) ends a line.
    let cr_lines = text
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .is_some_and(|k| text[k] == b'\r' && text.get(k + 1) != Some(&b'\n'));
    let mut lf_text = Vec::new();
    let text = if cr_lines {
        let mut bytes = text.iter().copied().peekable();
        while let Some(b) = bytes.next() {
            if b == b'\r' {
                bytes.next_if_eq(&b'\n');
                lf_text.push(b'\n');
            } else {
                lf_text.push(b);
            }
        }
        &lf_text[..]
    } else {
        text
    };
    for (i, l) in text.split(|&b| b == b'\n').enumerate() {
        let n = i as u64 + 1;
        // Brackets, commas, blanks and byte-order marks (skipped where a
        // value may start) are nothing to deliver or report.
        let mut rest = l;
        let mut structural = true;
        while let Some((&b, tail)) = rest.split_first() {
            if let Some(after) = rest.strip_prefix(b"\xEF\xBB\xBF") {
                rest = after;
            } else if b" \t\r[],".contains(&b) {
                rest = tail;
            } else {
                structural = false;
                break;
            }
        }
        if structural {
            continue;
        }
        assert!(
            covered.iter().any(|&(a, b)| a <= n && n <= b),
            "line {n} {:?} is neither delivered nor reported",
            String::from_utf8_lossy(l)
        );
    }
}

/// `rules`: arbitrary bytes as a rule file.
///
/// Never panics (nor hangs: aliases are refused and nesting is bounded);
/// every loaded rule has a non-empty id and title and a filter that
/// prints; every problem renders and is placed on a line of the file (a
/// lint finding on the line and column of its text); and the rule set
/// answers, for a few events, exactly what each rule's own filter answers,
/// from bytes and from a `Value`.
pub fn check_rules(data: &[u8]) {
    use oktaql::rules::{LoadOptions, Loader, ProblemKind};

    let text = String::from_utf8_lossy(data);
    let mut loader = Loader::new(LoadOptions::new());
    loader.add_yaml(&text, "fuzz.yml");
    let (set, problems) = loader.finish();
    // YAML's line breaks: LF, CRLF, and a CR alone.
    let lines = 1 + text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    for p in &problems {
        let shown = p.to_string();
        assert!(shown.starts_with("fuzz.yml:"), "{shown}");
        assert!(p.line >= 1 && p.line <= lines + 1, "{shown}: line {} of {lines}", p.line);
        if let ProblemKind::Warning { .. } = p.kind {
            assert!(shown.contains(": warning["), "{shown}");
        }
    }
    let summary = set.summary();
    assert_eq!(summary.loaded, set.len());
    assert_eq!(
        summary.not_loaded,
        problems.iter().filter(|p| p.is_not_loaded()).count()
    );
    for r in set.rules() {
        assert!(!r.id().trim().is_empty() && !r.title().trim().is_empty());
        let _ = r.filter().to_string();
        let _ = r.explain();
        let _ = r.explain_json();
        // An Okta filter offered for a rule parses.
        if let Ok((text, ic)) = r.okta_filter() {
            if r.format() == oktaql::rules::Format::Sigma {
                oktaql::Filter::builder()
                    .ignore_case(ic)
                    .parse(&text)
                    .unwrap_or_else(|e| panic!("{text}: {e}"));
            }
        }
    }
    // SQL: every rule is in the array or refused by name, in every
    // dialect, never a panic (the `expect`s behind the refusals).
    for d in oktaql::sql::Dialect::ALL {
        match set.to_sql(d, "raw") {
            Ok(out) => {
                for (id, why) in &out.refused {
                    assert!(set.rules().iter().any(|r| r.id() == id), "{id}");
                    assert!(matches!(why, oktaql::sql::SqlError::Untranslatable(_)), "{why}");
                }
                assert!(out.refused.len() < set.len());
            }
            Err(e) => assert!(set.is_empty() || e.refused().len() == set.len(), "{e}"),
        }
    }
    let events: [&[u8]; 6] = [
        br#"{"eventType":"user.lifecycle.create","target":[{"displayName":"svc_network_backup"}],"securityContext":{"isProxy":true},"n":5}"#,
        br#"{"k":"hunter2","k":"x","legacyEventType":"core.user_auth.login_failed","actor":{"alternateId":"0oa1"},"client":{"ipAddress":"10.1.2.3"}}"#,
        br#"{"eventType":"user.session.start","outcome":{"result":"FAILURE"},"actor":{"alternateId":"a@example.com"},"published":"2025-03-03T08:00:00.000Z"}"#,
        br#"{"eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Manual action"}},"target":[{"displayName":"x"}]}"#,
        br#"{"a":1,"a":2}"#,
        br#"{"eventType":"x""#,
    ];
    let mut hits = Vec::new();
    let mut hits_value = Vec::new();
    for ev in events {
        let got = set.matches_json(ev, &mut hits);
        let want: Result<Vec<usize>, _> = set
            .rules()
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r.filter().matches_json(ev) {
                Ok(true) => Some(Ok(i)),
                Ok(false) => None,
                Err(e) => Some(Err(e)),
            })
            .collect();
        match (got, want) {
            (Ok(()), Ok(want)) => assert_eq!(hits, want),
            (Err(_), Err(_)) => {}
            (Err(_), Ok(w)) if set.is_empty() || w.is_empty() => {}
            (got, want) => panic!("rule set {got:?} against rules one by one {want:?}"),
        }
        if let Ok(value) = serde_json::from_slice::<Value>(ev) {
            // Each rule: the bytes scanner answers as the `Value` evaluator.
            for r in set.rules() {
                assert_eq!(
                    r.filter().matches_json(ev).ok(),
                    Some(r.filter().matches(&value)),
                    "{}",
                    r.filter()
                );
            }
            set.matches(&value, &mut hits_value);
            let want: Vec<usize> = set
                .rules()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.filter().matches(&value))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(hits_value, want);
        }
    }
}
