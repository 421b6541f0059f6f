//! `oktaql::check`: every code with its span and suggestion, the text and JSON forms, each
//! public filter of the corpus against the findings written by hand in
//! `tests/data/check/corpus-findings.tsv`, the paths of events and the empty-answer notes, and
//! `oktaql::url`. Spans, suggestions and notes below are worked out by hand from grammar.md
//! (CHECKS) and `data/okta/`.

use std::path::PathBuf;

use oktaql::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
use oktaql::check::{self, Census, Code, Options, Severity, Watch};
use oktaql::url::{percent_encode, LogsQuery};
use oktaql::{Filter, Path, Timestamp};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (code, start, end, suggestion) of each finding.
fn found(text: &str) -> Vec<(&'static str, usize, usize, Option<String>)> {
    found_with(text, &Options::new())
}

fn found_with(text: &str, o: &Options) -> Vec<(&'static str, usize, usize, Option<String>)> {
    check::check(text, o)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .into_iter()
        .map(|f| {
            (
                f.code().as_str(),
                f.span().start,
                f.span().end,
                f.suggestion().map(str::to_owned),
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_owned())
}

#[test]
fn codes_and_severities() {
    use Code::*;
    for (code, name, sev) in [
        (ValuePath, "value-path", Severity::Error),
        (Published, "published", Severity::Error),
        (UnsupportedOperator, "unsupported-operator", Severity::Error),
        (ChangeDetails, "change-details", Severity::Error),
        (UnknownField, "unknown-field", Severity::Warning),
        (MapKeyCase, "map-key-case", Severity::Warning),
        (EnumValue, "enum-value", Severity::Warning),
    ] {
        assert_eq!((code.as_str(), code.severity()), (name, sev));
    }
    assert_eq!(Code::ALL.len(), 7);
}

#[test]
fn value_path() {
    let t = r#"target[type eq "User" and alternateId eq "a@example.com"]"#;
    assert_eq!(
        found(t),
        [(
            "value-path",
            0,
            t.len(),
            s(r#"target.type eq "User" and target.alternateId eq "a@example.com""#)
        )]
    );
    // An `or` inside an `and` keeps parentheses; the span is the value path.
    let t = r#"eventType eq "x" and target[type eq "User" or type eq "Group"]"#;
    assert_eq!(
        found(t),
        [(
            "value-path",
            21,
            t.len(),
            s(r#"(target.type eq "User" or target.type eq "Group")"#)
        )]
    );
    // One positive comparison: the same filter without the brackets.
    let f = check::check(r#"target[type eq "User"]"#, &Options::new()).unwrap();
    assert_eq!(f[0].suggestion(), Some(r#"target.type eq "User""#));
    assert_eq!(f[0].help(), Some(r#"write `target.type eq "User"`"#));
    // Otherwise the help says it may select other events.
    let f = check::check(r#"target[type ne "User"]"#, &Options::new()).unwrap();
    assert!(f[0].help().unwrap().contains("may select other events"));
    // An unknown value path: its own path is named, not the names inside.
    let t = r#"targets[tpye eq "User"]"#;
    assert_eq!(
        found(t),
        [
            ("unknown-field", 0, 7, s("target")),
            ("value-path", 0, t.len(), s(r#"targets.tpye eq "User""#)),
        ]
    );
    // Nested value paths flatten all the way.
    assert_eq!(
        found(r#"a[b[c pr]]"#)
            .into_iter()
            .filter(|f| f.0 == "value-path")
            .map(|f| f.3)
            .collect::<Vec<_>>(),
        [s("a.b.c pr"), s("b.c pr")]
    );
}

#[test]
fn published() {
    assert_eq!(
        found(r#"published gt "2025-03-03""#),
        [("published", 0, 9, s("--since 2025-03-03"))]
    );
    assert_eq!(
        found(r#"eventType eq "x" and published lt "2025-03-04T00:00:00Z""#),
        [("published", 21, 30, s("--until 2025-03-04T00:00:00Z"))]
    );
    // Not a top-level condition, not a date, no bound: no option to suggest.
    for t in [
        r#"eventType eq "x" or published ge "2025-03-03""#,
        r#"not (published ge "2025-03-03")"#,
        r#"published ge "yesterday""#,
        r#"published eq "2025-03-03""#,
        "published pr",
    ] {
        let f = found(t);
        assert_eq!(f.len(), 1, "{t}");
        assert_eq!((f[0].0, f[0].3.as_deref()), ("published", None), "{t}");
    }
    let f = check::check("published pr", &Options::new()).unwrap();
    assert!(f[0].help().unwrap().contains("--since"));
}

#[test]
fn unsupported_operator() {
    // The span is the operator.
    assert_eq!(
        found(r#"debugContext.debugData.requestUri co "/api/v1/""#),
        [("unsupported-operator", 34, 36, None)]
    );
    assert_eq!(
        found("debugContext.debugData.url  CO\t\"/oauth/\""),
        [("unsupported-operator", 28, 30, None)]
    );
    // Only `co`, only those two fields.
    for t in [
        r#"debugContext.debugData.url sw "/oauth/""#,
        r#"debugContext.debugData.url eq "/oauth/""#,
        r#"debugContext.debugData.requestUri ew "/x""#,
        r#"debugContext.debugData.uri co "/oauth/""#,
    ] {
        assert_eq!(found(t), [], "{t}");
    }
}

#[test]
fn change_details() {
    assert_eq!(
        found(r#"target.changeDetails.to.ruleAction eq "DENY""#),
        [("change-details", 0, 34, None)]
    );
    assert_eq!(
        found("target.changeDetails pr"),
        [("change-details", 0, 20, None)]
    );
    assert_eq!(
        found(r#"target[changeDetails.from.x eq "1"]"#)
            .into_iter()
            .map(|f| (f.0, f.1, f.2))
            .collect::<Vec<_>>(),
        [("value-path", 0, 35), ("change-details", 7, 27)]
    );
}

#[test]
fn unknown_field() {
    for (t, end, fix) in [
        // Case first.
        (r#"eventtype eq "x""#, 9, "eventType"),
        (r#"actor.alternateID eq "a""#, 17, "actor.alternateId"),
        // Then snake_case.
        (r#"display_message co "x""#, 15, "displayMessage"),
        (r#"event_type eq "x""#, 10, "eventType"),
        // Then small edits per name.
        (r#"client.ipAdress eq "1""#, 15, "client.ipAddress"),
        (r#"evnetType eq "x""#, 9, "eventType"),
        // A name left out in front.
        (r#"result eq "FAILURE""#, 6, "outcome.result"),
        (
            r#"debugData.importTrigger eq "x""#,
            23,
            "debugContext.debugData.importTrigger",
        ),
        // A map's path misspelt: the key under it is kept.
        (
            r#"debugContext.debugdata.ImportTrigger eq "x""#,
            36,
            "debugContext.debugData.ImportTrigger",
        ),
    ] {
        assert_eq!(found(t), [("unknown-field", 0, end, s(fix))], "{t}");
        let f = check::check(t, &Options::new()).unwrap();
        assert_eq!(
            f[0].help().unwrap(),
            format!("did you mean `{fix}`?"),
            "{t}"
        );
    }
    // Inside a value path the suggestion replaces the names written.
    assert_eq!(
        found(r#"target[tpye eq "User"]"#)[1],
        ("unknown-field", 7, 11, s("type"))
    );
    // Two equally close: both named in the help, no single suggestion.
    let f = check::check(r#"alternateId eq "a""#, &Options::new()).unwrap();
    assert_eq!((f[0].code(), f[0].suggestion()), (Code::UnknownField, None));
    assert_eq!(
        f[0].help(),
        Some("did you mean `actor.alternateId` or `target.alternateId`?")
    );
    // Nothing close.
    let f = check::check(r#"user.email ne "x""#, &Options::new()).unwrap();
    assert_eq!((f[0].code(), f[0].suggestion()), (Code::UnknownField, None));
    assert!(f[0].help().unwrap().contains("E0000053"));
    // Known: the schema, prefixes, the paths Okta's detections use, any key under a map.
    for t in [
        "actor pr",
        "authenticationContext.authenticatorContext.bindingMethod pr",
        "debugContext.debugData.ImportTrigger pr",
        "debugContext.debugData.anything.below pr",
        "target.detailEntry.MethodTypeUsed pr",
        "transaction.detail.anything pr",
        "actor.detailEntry.x pr",
        "device.device_integrator.x pr",
        "request.ipChain.ipDetails.ipServiceCategories.isAnonymous pr",
        "authenticationContext.rootSessionId pr",
    ] {
        assert_eq!(found(t), [], "{t}");
    }
    // Beyond a leaf.
    assert_eq!(
        found("actor.alternateId.x pr"),
        [("unknown-field", 0, 19, None)]
    );
}

#[test]
fn map_key_case() {
    assert_eq!(
        found(r#"debugContext.debugData.requestURI eq "/x""#),
        [(
            "map-key-case",
            0,
            33,
            s("debugContext.debugData.requestUri")
        )]
    );
    assert_eq!(
        found("transaction.detail.request_api_token_id pr"),
        [(
            "map-key-case",
            0,
            39,
            s("transaction.detail.requestApiTokenId")
        )]
    );
    // A key Okta's events spell two ways (target.detailEntry methodTypeUsed and Okta's
    // detections' MethodTypeUsed): either is fine, a third is not flagged.
    for t in [
        "target.detailEntry.methodTypeUsed pr",
        "target.detailEntry.MethodTypeUsed pr",
        "target.detailEntry.methodtypeused pr",
    ] {
        assert_eq!(found(t), [], "{t}");
    }
}

#[test]
fn enum_value() {
    assert_eq!(
        found(r#"outcome.result eq "success""#),
        [("enum-value", 18, 27, s(r#""SUCCESS""#))]
    );
    assert_eq!(
        found(r#"severity eq "WARNING""#),
        [("enum-value", 12, 21, s(r#""WARN""#))]
    );
    assert_eq!(
        found(r#"outcome.result ne "FAIL""#),
        [("enum-value", 18, 24, s(r#""FAILURE""#))]
    );
    assert_eq!(
        found(r#"outcome.result eq "OUTCOME""#),
        [("enum-value", 18, 27, None)]
    );
    assert_eq!(
        found(r#"outcome.result sw "succ""#),
        [("enum-value", 18, 24, None)]
    );
    // -i: equal ignoring case is fine; other values are still flagged.
    let ic = Options::new().ignore_case(true);
    assert_eq!(found_with(r#"outcome.result eq "success""#, &ic), []);
    assert_eq!(found_with(r#"outcome.result sw "succ""#, &ic), []);
    assert_eq!(
        found_with(r#"severity eq "warning""#, &ic),
        [("enum-value", 12, 21, s(r#""WARN""#))]
    );
    // Documented values, spellings from the notes, other types, orderings: nothing.
    for t in [
        r#"outcome.result eq "UNANSWERED""#,
        r#"authenticationContext.credentialType eq "OAuth 2.0""#,
        r#"authenticationContext.credentialType eq "OAUTH2""#,
        r#"device.disk_encryption_type eq "ALL_INTERNAL_VOLUMES""#,
        r#"request.ipChain.ipDetails.ipServiceCategories.type eq "Residential Proxy""#,
        r#"outcome.result co "CESS""#,
        "outcome.result eq null",
        "severity eq 1",
        r#"outcome.result gt "A""#,
        r#"transaction.type eq "whatever""#,
    ] {
        assert_eq!(found(t), [], "{t}");
    }
    // A value inside a value path.
    assert_eq!(
        found(r#"securityContext.risk[level eq "high"]"#)[1],
        ("enum-value", 30, 36, s(r#""HIGH""#))
    );
}

#[test]
fn text_form() {
    let t = "eventType eq \"x\"\n  and display_message co \"y\"";
    let f = check::check(t, &Options::new()).unwrap();
    assert_eq!(
        f[0].display(t).to_string(),
        "warning[unknown-field]: no LogEvent is known to have `display_message`\n  \
         and display_message co \"y\"\n      ^^^^^^^^^^^^^^^\nhelp: did you mean `displayMessage`?"
    );
    assert_eq!(
        f[0].display(t).file("rules/x.okta").to_string().lines().next(),
        Some(
            "warning[unknown-field]: rules/x.okta:2: no LogEvent is known to have `display_message`"
        )
    );
    let t = r#"published ge "2025-03-03""#;
    let f = check::check(t, &Options::new()).unwrap();
    assert_eq!(
        f[0].display(t).to_string(),
        "error[published]: Okta's API rejects `published` in a filter (HTTP 400)\n\
         published ge \"2025-03-03\"\n^^^^^^^^^\n\
         help: remove the comparison and pass `--since 2025-03-03` (the API's `since` parameter, \
         which oktaql and oktaql url take too)"
    );
}

#[test]
fn json_form() {
    let t = "eventType eq \"x\" and\n outcome.result eq \"succès\"";
    let f = check::check(t, &Options::new()).unwrap();
    let line = f[0].to_json(t);
    assert!(line.starts_with(r#"{"code":"enum-value","severity":"warning","offset":40,"#));
    assert!(!line.contains('\n'));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["offset"], 40);
    // "succès" with its quotes: 9 bytes, 8 characters.
    assert_eq!(v["length"], 9);
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(2), Some(20))
    );
    assert_eq!(v["message"], r#""succès" is not a value of outcome.result"#);
    assert_eq!(v["suggestion"], r#""SUCCESS""#);
    assert!(v["help"]
        .as_str()
        .unwrap()
        .starts_with(r#"did you mean "SUCCESS"?"#));
    let f = check::check(r#"debugContext.debugData.url co "x""#, &Options::new()).unwrap();
    let v: Value =
        serde_json::from_str(&f[0].to_json("debugContext.debugData.url co \"x\"")).unwrap();
    assert_eq!(v["suggestion"], Value::Null);
    assert_eq!(v["severity"], "error");
    // A parse error.
    let e = check::check(r#"display_message eqq "Create okta user""#, &Options::new()).unwrap_err();
    let v: Value = serde_json::from_str(&check::parse_error_json(&e)).unwrap();
    assert_eq!(v["code"], "parse-error");
    assert_eq!(v["severity"], "error");
    assert_eq!(
        (v["offset"].as_u64(), v["length"].as_u64()),
        (Some(16), Some(3))
    );
    assert!(v["message"]
        .as_str()
        .unwrap()
        .starts_with("expected an operator"));
}

#[test]
fn hand_built_trees_do_not_panic() {
    // Spans that do not fit the text: findings still come, spans as given.
    let cmp = |path: &[&str], op, value: Literal, span| {
        Expr::Compare(Comparison {
            path: AttrPath {
                names: path.iter().map(|s| (*s).to_owned()).collect(),
                span,
            },
            op,
            value,
            span,
        })
    };
    let tree = Expr::And(
        vec![
            cmp(
                &["outcome", "result"],
                CompareOp::Eq,
                Literal::String("success".into()),
                Span::new(5, 900),
            ),
            cmp(
                &["debugContext", "debugData", "url"],
                CompareOp::Co,
                Literal::String("x".into()),
                Span::default(),
            ),
        ],
        Span::default(),
    );
    let f = check::check_ast(&tree, "short", &Options::new());
    let codes: Vec<_> = f.iter().map(|f| f.code()).collect();
    assert_eq!(codes, [Code::UnsupportedOperator, Code::EnumValue]);
    for x in &f {
        let _ = x.display("short").to_string();
        let _ = x.to_json("short");
    }
    // Deeper than a parser would give.
    let mut deep = cmp(&["a"], CompareOp::Eq, Literal::Null, Span::default());
    for _ in 0..1000 {
        deep = Expr::ValuePath(
            AttrPath {
                names: vec!["target".into()],
                span: Span::default(),
            },
            Box::new(deep),
            Span::default(),
        );
    }
    let f = check::check_ast(&deep, "", &Options::new());
    assert!(f.iter().any(|f| f.code() == Code::ValuePath));
}

#[test]
fn filter_paths() {
    let f = Filter::parse(
        r#"eventType eq "a" and (target[type eq "User" and id pr] or not (eventType eq "b")) and actor.id pr"#,
    )
    .unwrap();
    let paths: Vec<String> = check::filter_paths(f.ast().unwrap())
        .iter()
        .map(Path::to_string)
        .collect();
    assert_eq!(paths, ["eventType", "target.type", "target.id", "actor.id"]);
}

// ------------------------------------------------------------------ the corpus

/// One expected finding of tests/data/check/corpus-findings.tsv.
#[derive(Debug, PartialEq)]
struct Expected {
    code: String,
    offset: usize,
    length: usize,
    suggestion: Option<String>,
}

#[test]
fn each_public_filter_of_the_corpus() {
    let filters =
        std::fs::read_to_string(root().join("tests/data/corpus/filters-public.tsv")).unwrap();
    let expected =
        std::fs::read_to_string(root().join("tests/data/check/corpus-findings.tsv")).unwrap();
    let mut want: std::collections::BTreeMap<usize, Vec<Expected>> = Default::default();
    for row in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = row.split('\t').collect();
        let line: usize = cols[0].parse().unwrap();
        let list = want.entry(line).or_default();
        if cols[1] != "clean" {
            list.push(Expected {
                code: cols[1].to_owned(),
                offset: cols[2].parse().unwrap(),
                length: cols[3].parse().unwrap(),
                suggestion: (cols[4] != "-").then(|| cols[4].to_owned()),
            });
        }
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for (i, raw) in filters.lines().enumerate() {
        let line = i + 1;
        if raw.starts_with('#') || raw.is_empty() {
            continue;
        }
        let field = raw.split('\t').next().unwrap();
        let filter = match field.find("  [") {
            Some(at) if field.ends_with(']') => &field[..at],
            _ => field,
        };
        let Some(want) = want.remove(&line) else {
            failures.push(format!(
                "line {line}: no expectation written for `{filter}`"
            ));
            continue;
        };
        let got: Vec<Expected> = match check::check(filter, &Options::new()) {
            Ok(fs) => fs
                .iter()
                .map(|f| Expected {
                    code: f.code().as_str().to_owned(),
                    offset: f.offset(),
                    length: f.len(),
                    suggestion: f.suggestion().map(str::to_owned),
                })
                .collect(),
            Err(e) => vec![Expected {
                code: "parse-error".into(),
                offset: e.offset(),
                length: e.span().end - e.span().start,
                suggestion: None,
            }],
        };
        if got != want {
            failures.push(format!(
                "line {line}: `{filter}`\n  want {want:?}\n  got  {got:?}"
            ));
        }
        checked += 1;
    }
    assert!(
        want.is_empty(),
        "expectations for lines that are not filters: {want:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 117);
}

// ------------------------------------------------------------- paths of events

fn paths_of(event: &str) -> Result<Vec<String>, oktaql::JsonError> {
    let mut out = Vec::new();
    check::each_path(event.as_bytes(), |p| out.push(p.to_owned()))?;
    Ok(out)
}

#[test]
fn each_path_walks_every_key() {
    assert_eq!(
        paths_of(r#"{"a":{"b":[1,{"c":null}],"d":{}},"e":[[{"f":true}]],"g":"x"}"#).unwrap(),
        ["a", "a.b", "a.b.c", "a.d", "e", "e.f", "g"]
    );
    // Escaped keys are decoded; keys a filter cannot name end the walk below them.
    assert_eq!(
        paths_of(r#"{"\u0061b":{"x y":{"z":1},"a.b":{"z":1},"0":{"z":1},"ok":1}}"#).unwrap(),
        ["ab", "ab.x y", "ab.a.b", "ab.0", "ab.ok"]
    );
    assert!(paths_of(r#"{"a":1"#).is_err());
    assert!(paths_of(r#"{"a":1} x"#).is_err());
    assert!(paths_of("{\"a\":\"\u{1}\"}").is_err());
    // Deep input costs heap, not stack (and a census counts only paths it can keep).
    let deep = format!("{}1{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000));
    let mut n = 0;
    check::each_path(deep.as_bytes(), |_| n += 1).unwrap();
    assert_eq!(n, 50_000);
    let mut c = Census::new();
    c.add(deep.as_bytes()).unwrap();
    assert_eq!(c.count("a.a"), 1);
    assert_eq!(c.count(&vec!["a"; 512].join(".")), 1);
    assert_eq!(c.count(&vec!["a"; 513].join(".")), 0);
}

#[test]
fn census_counts_each_path_once_per_event() {
    let mut c = Census::new();
    c.add(br#"{"target":[{"id":1},{"id":2}],"eventType":"a"}"#)
        .unwrap();
    c.add(br#"{"target":[],"eventtype":"b"}"#).unwrap();
    assert!(c.add(b"{").is_err());
    assert_eq!(c.events(), 2);
    assert_eq!(c.count("target"), 2);
    assert_eq!(c.count("target.id"), 1);
    assert_eq!(c.count("eventType"), 1);
    let p = Path::parse("EventType").unwrap();
    assert_eq!(
        c.closest(&p, 3),
        [("eventType".to_owned(), 1), ("eventtype".to_owned(), 1)]
    );
    assert_eq!(c.closest(&Path::parse("target.id").unwrap(), 3), []);
}

#[test]
fn watch_finds_paths_in_every_event_and_counts_a_sample() {
    let f = Filter::parse(
        r#"eventtype eq "x" or debugContext.debugData.ImportTrigger eq "y" or actor.id pr"#,
    )
    .unwrap();
    let w = Watch::new(&f);
    let lines = "{\"eventType\":\"a\",\"actor\":{\"id\":\"1\"}}\n\
                 \n\
                 {\"eventType\":\"b\",\"debugContext\":{\"debugData\":{\"importTrigger\":\"x\"}}}\r\n";
    w.batch(true).lines(lines.as_bytes());
    // actor.id was seen; the other two were not.
    let notes: Vec<String> = w.notes(10).iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "no event has eventtype; 2 events have eventType",
            "no event has debugContext.debugData.ImportTrigger; \
             1 event has debugContext.debugData.importTrigger",
        ]
    );
    assert!(!w.is_done());
    // Events looked at without being counted: presence is still exact, counts are a sample.
    w.batch(false)
        .lines(b"{\"x\":1}\n{\"debugContext\":{\"debugData\":{\"ImportTrigger\":1}}}\n");
    let notes: Vec<String> = w.notes(10).iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        ["no event has eventtype; 2 of the first 2 events have eventType"]
    );
    // A key spelled with an escape is found too; then nothing is left to watch.
    w.batch(false).event(br#"{"event\u0074ype": 1}"#);
    assert!(w.is_done());
    assert!(w.notes(10).is_empty());
}

#[test]
fn notes_without_anything_close() {
    let f = Filter::parse(r#"zzz eq "x""#).unwrap();
    let w = Watch::new(&f);
    w.batch(true).lines(b"{\"eventType\":\"a\"}\n");
    assert_eq!(w.notes(10)[0].to_string(), "no event has zzz");
    // The empty filter watches for nothing.
    let e = Filter::builder().empty_selects_all(true).parse("").unwrap();
    assert!(Watch::new(&e).is_done());
}

// ------------------------------------------------------------------------ url

/// Percent-decoding, written here from RFC 3986 (no `+` for space).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The query parameters of a URL, decoded.
fn params(url: &str) -> Vec<(String, String)> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    assert_eq!(path, "/api/v1/logs");
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            assert!(
                v.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)),
                "{v}"
            );
            (k.to_owned(), decode(v))
        })
        .collect()
}

#[test]
fn url_decodes_back_to_each_corpus_filter() {
    let filters =
        std::fs::read_to_string(root().join("tests/data/corpus/filters-public.tsv")).unwrap();
    let mut n = 0;
    for raw in filters.lines().filter(|l| !l.starts_with('#')) {
        let filter = raw.split('\t').next().unwrap();
        let url = LogsQuery::new().filter(Some(filter.to_owned())).to_url();
        assert_eq!(params(&url), [("filter".to_owned(), filter.to_owned())]);
        n += 1;
    }
    assert_eq!(n, 117);
    assert_eq!(percent_encode(r#"a "b""#), "a%20%22b%22");
}

#[test]
fn url_parameters() {
    let q = LogsQuery::new()
        .filter(Some(r#"eventType eq "a&b=c+d""#.into()))
        .keywords(Some(oktaql::Keywords::parse("Alice admin").unwrap()))
        .since(Timestamp::parse("2025-03-03").ok())
        .until(Timestamp::parse("2025-03-04T01:00:00+01:00").ok())
        .limit(Some(200))
        .sort(Some(oktaql::url::SortOrder::Descending));
    let p = params(&q.to_url());
    let want: Vec<(String, String)> = [
        ("filter", r#"eventType eq "a&b=c+d""#),
        ("q", "Alice admin"),
        ("since", "2025-03-03T00:00:00Z"),
        ("until", "2025-03-04T00:00:00Z"),
        ("limit", "200"),
        ("sortOrder", "DESCENDING"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(p, want);
}
