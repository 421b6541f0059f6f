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

use oktaql::Filter;
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
            let _ = filter.ast().tree();
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
            // The caret diagram slices the input by the span.
            let _ = e.to_string();
        }
    }
}

/// `roundtrip`: a tree built by oktaql's `Arbitrary` impl prints to text that
/// parses back to an equal tree, and printing that gives the same text.
pub fn check_roundtrip(expr: &oktaql::ast::Expr) {
    let text = expr.to_string();
    let filter = Filter::parse(&text)
        .unwrap_or_else(|e| panic!("{expr:?} prints as {text:?}, which does not parse: {e}"));
    assert_eq!(filter.ast(), expr, "{text:?} parses to a different tree");
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

/// `eval`: a filter and arbitrary event bytes.
///
/// `matches_json` and `may_match` never panic; an error's offset lies inside
/// the event; `may_match` answers false only for events `matches_json` does
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
        }
    }
}

/// A top-level `or` holds when one of its operands, parsed as a filter of
/// its own, holds; an `and` when all do; `not (…)` of either the opposite.
/// The `eq`s of an `or` on one path (`ne`s of an `and`) are compiled into
/// one set lookup, so this checks the set against its literals one by one.
fn check_operands(filter: &Filter, value: &Value, want: bool) {
    use oktaql::ast::Expr;
    let (expr, negated) = match filter.ast() {
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
/// Whenever serde_json parses the event, `matches_json == Ok(matches(&value))`
/// and `may_match` is true for every matching event, and a top-level `or`
/// (`and`) answers what its operands, each a filter of its own, answer
/// combined (see [`check_operands`]). Whenever serde_json rejects it,
/// `matches_json` is an error, except when serde_json stops only at its
/// 128-level recursion limit (oktaql accepts any depth): those inputs are
/// skipped.
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
    for filter in both_cases(text) {
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
                check_operands(&filter, value, want);
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
}
