//! The public Okta corpus (`tests/data/corpus`, copied verbatim from the development workspace's shared corpus; see `tests/data/SOURCES.md`): 141
//! events from four sources and 117 filter expressions from Okta's documentation, Okta's public
//! detection rules and a SIEM translator.
//!
//! - Every filter line not tagged INVALID / UNSUPPORTED / NON-STANDARD / historical / legacy must
//!   parse. Each tagged line is decided explicitly in [`TAGGED`] from issue 2's grammar: rejected
//!   (with the kind and offset errors.md gives) or valid despite the tag.
//! - Every valid filter runs over every event line: `matches(&value)` and `matches_json(bytes)`
//!   must agree, with and without `ignore_case(true)`.
//! - [`FACTS`]: a hand-derived sample of (filter, expected matching lines per file).

use oktaql::{Filter, ParseErrorKind};
use serde_json::Value;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("corpus")
}

/// The event files, in the order of the expectations in [`FACTS`].
const EVENT_FILES: [&str; 4] = [
    "cribl-okta-rest_I4942I",
    "okta-official-doc-examples",
    "panther-analysis_okta_tests",
    "stix-shifter_okta_tests",
];

/// One event: its line verbatim (bytes, without the newline) and parsed.
type Event = (Vec<u8>, Value);

/// Each event line of a file.
fn events(file: &str) -> Vec<Event> {
    let path = corpus_dir().join(format!("{file}.ndjson"));
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            (
                l.to_vec(),
                serde_json::from_slice(l).expect("corpus event is JSON"),
            )
        })
        .collect()
}

/// One line of filters-public.tsv.
struct FilterLine {
    /// 1-based line number in the file.
    line: usize,
    /// The filter: the text before the TAB, minus trailing `  [annotation]`s.
    filter: String,
    /// The tags found in the annotations or the source column.
    tags: Vec<&'static str>,
}

const TAG_WORDS: [&str; 5] = [
    "INVALID",
    "UNSUPPORTED",
    "NON-STANDARD",
    "historical",
    "legacy",
];

fn filter_lines() -> Vec<FilterLine> {
    let path = corpus_dir().join("filters-public.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.starts_with('#') || raw.is_empty() {
            continue;
        }
        let (field, source) = raw.split_once('\t').expect("filter<TAB>source");
        // Annotations start at the first "  [" and run to the end of the field, which then ends
        // with "]" (one annotation may contain brackets itself: `'in [..]'`; another line has
        // two annotations). A filter's own `[` is never preceded by two spaces.
        let (filter, notes) = match field.find("  [") {
            Some(at) if field.ends_with(']') => (&field[..at], &field[at..]),
            _ => (field, ""),
        };
        // The tag words are looked for in the annotations and in the source column (lines
        // 88, 90-93 say "historical version" there, line 16 "legacy event type"); case-insensitive.
        let meta = format!("{notes} {source}").to_lowercase();
        let tags = TAG_WORDS
            .iter()
            .copied()
            .filter(|w| meta.contains(&w.to_lowercase()))
            .collect();
        out.push(FilterLine {
            line: i + 1,
            filter: filter.to_owned(),
            tags,
        });
    }
    out
}

/// What our grammar (issue 2, errors.md) says about a tagged line.
enum Tagged {
    /// Syntactically valid despite the tag (the reason in the comment next to it).
    Valid,
    /// Rejected with this kind at this byte offset.
    Reject(ParseErrorKind, usize),
}

use ParseErrorKind as K;

/// Every tagged line of filters-public.tsv, decided by reading issue 2's grammar.
const TAGGED: &[(usize, Tagged)] = &[
    // `event_type eq "user.session.start"` [legacy snake_case attribute]: `_` is a name
    // character, so this is a valid filter on an attribute that current events do not have.
    (15, Tagged::Valid),
    // `eventType eq "app.auth.sso" and target.id eq ... and target.id eq ...`: the SOURCE says
    // app.auth.sso is a legacy event type; the filter itself is ordinary.
    (16, Tagged::Valid),
    // `display_message eqq "Create okta user"` [INVALID]: `eqq` is not an operator; errors.md
    // gives offset 16 (as Okta reports it).
    (17, Tagged::Reject(K::ExpectedOperator, 16)),
    // `debugContext.debugData.url co "/oauth/"` [UNSUPPORTED]: Okta refuses `co` on that FIELD
    // (E0000031); our grammar has no per-field operator rules, so it is valid here.
    (18, Tagged::Valid),
    // `event_type eq "user.session.access_admin_app"` [legacy attribute name]: valid, as line 15.
    (29, Tagged::Valid),
    // `eventType in ["system.api_token.create", ...] AND ...` [NON-STANDARD]: after the path
    // and whitespace the operator word is `in`, not one of ours: offset 10.
    (48, Tagged::Reject(K::ExpectedOperator, 10)),
    // `... AND result eq "FAILURE" AND ...` [NON-STANDARD bare attribute `result`]: a valid
    // path (it simply never matches Okta events).
    (49, Tagged::Valid),
    // `... AND target.0.displayName eq ...` [NON-STANDARD array index]: a `.` not followed by a
    // name: InvalidAttribute at the `0` (offset 60).
    (64, Tagged::Reject(K::InvalidAttribute, 60)),
    // `... securityContext.isProxy eq "true" ...` [NON-STANDARD boolean compared to a string]:
    // valid syntax, and issue 2 makes "true" equal true.
    (66, Tagged::Valid),
    (82, Tagged::Valid),
    // `... outcome.result eq "SUCCESS" target{}.type=AppInstance ...` [historical, INVALID]:
    // after a complete term at top level, `target` is neither `and`/`or` nor the end:
    // ExpectedLogicalOperator at offset 71.
    (83, Tagged::Reject(K::ExpectedLogicalOperator, 71)),
    // `... and outcome.result eq ("SUCCESS" OR "ALLOW")` [historical, INVALID]: `(` is not a
    // value: ExpectedValue at offset 62.
    (84, Tagged::Reject(K::ExpectedValue, 62)),
    // [historical, "likely INVALID syntax", NON-STANDARD]: `eventType co ... and ... and
    // securityContext.isProxy eq "true" and user.email ne "system@okta.com" and (... and ...)`
    // is well-formed in our grammar (the tag is about field names and Okta's checks).
    (85, Tagged::Valid),
    // `... (debugContext.debugData.privilegeRevoked co ("Super administrator" or ...` [historical,
    // INVALID]: inside the group, the `(` after `co ` is not a value: ExpectedValue at 86.
    (86, Tagged::Reject(K::ExpectedValue, 86)),
    // `... and target.displayName co ("Okta Admin Console" or ...` [historical, INVALID]: the
    // first error is the `(` after `co `: ExpectedValue at offset 100.
    (87, Tagged::Reject(K::ExpectedValue, 100)),
    // Source "historical version", but the filter is plain and valid.
    (88, Tagged::Valid),
    // `... AND outcome.result in ["UNANSWERED", "ABANDONED"]` [historical, INVALID]: operator
    // word `in`: ExpectedOperator at offset 67.
    (89, Tagged::Reject(K::ExpectedOperator, 67)),
    // Source "historical version"; plain `eventType eq ...` / `... and outcome.reason eq ...`.
    (90, Tagged::Valid),
    (91, Tagged::Valid),
    (92, Tagged::Valid),
    (93, Tagged::Valid),
];

#[test]
fn corpus_sizes() {
    let n: usize = EVENT_FILES.iter().map(|f| events(f).len()).sum();
    assert_eq!(n, 141, "events in the corpus");
    assert_eq!(
        filter_lines().len(),
        117,
        "filter lines in filters-public.tsv"
    );
}

#[test]
fn tagged_lines_are_exactly_the_listed_ones() {
    let tagged: Vec<usize> = filter_lines()
        .iter()
        .filter(|l| !l.tags.is_empty())
        .map(|l| l.line)
        .collect();
    let listed: Vec<usize> = TAGGED.iter().map(|(l, _)| *l).collect();
    assert_eq!(tagged, listed);
}

#[test]
fn untagged_filters_parse() {
    let mut failures = Vec::new();
    let mut n = 0;
    for l in filter_lines().iter().filter(|l| l.tags.is_empty()) {
        n += 1;
        if let Err(e) = Filter::parse(&l.filter) {
            failures.push(format!("line {}: {e}", l.line));
        }
    }
    assert_eq!(n, 117 - TAGGED.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tagged_filters_as_decided() {
    let lines = filter_lines();
    let mut failures = Vec::new();
    for (line, want) in TAGGED {
        let l = lines
            .iter()
            .find(|l| l.line == *line)
            .expect("listed line exists");
        match (want, Filter::parse(&l.filter)) {
            (Tagged::Valid, Ok(_)) => {}
            (Tagged::Valid, Err(e)) => failures.push(format!("line {line} should parse: {e}")),
            (Tagged::Reject(kind, offset), Err(e)) => {
                if e.kind() != *kind || e.offset() != *offset {
                    failures.push(format!(
                        "line {line}: expected {kind:?} at {offset}, got {:?} at {}",
                        e.kind(),
                        e.offset()
                    ));
                }
            }
            (Tagged::Reject(..), Ok(f)) => {
                failures.push(format!("line {line} should be rejected, parsed as {f}"))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn value_and_bytes_evaluators_agree_on_the_corpus() {
    let valid: Vec<(usize, String)> = filter_lines()
        .into_iter()
        .filter(|l| {
            l.tags.is_empty()
                || TAGGED
                    .iter()
                    .any(|(line, t)| *line == l.line && matches!(t, Tagged::Valid))
        })
        .map(|l| (l.line, l.filter))
        .collect();
    assert_eq!(valid.len(), 117 - 8, "valid filter lines");
    let files: Vec<(&str, Vec<Event>)> = EVENT_FILES.iter().map(|f| (*f, events(f))).collect();
    let mut failures = Vec::new();
    let mut pairs = 0;
    let mut hits = 0;
    for (line, text) in &valid {
        for ignore_case in [false, true] {
            let f = Filter::builder()
                .ignore_case(ignore_case)
                .parse(text)
                .expect("valid filter");
            for (file, evs) in &files {
                for (i, (bytes, value)) in evs.iter().enumerate() {
                    pairs += 1;
                    let by_value = f.matches(value);
                    hits += usize::from(by_value);
                    match f.matches_json(bytes) {
                        Ok(b) if b == by_value => {}
                        other => failures.push(format!(
                            "filter line {line} (ignore_case {ignore_case}) on {file}:{}: \
                             matches={by_value}, matches_json={other:?}",
                            i + 1
                        )),
                    }
                }
            }
        }
    }
    assert_eq!(pairs, 109 * 141 * 2);
    // Not vacuous: the corpus filters do match some events.
    assert!(hits > 0);
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Expected matches of a fact in one file: these 1-based line numbers, or this many lines.
#[derive(Debug)]
enum Exp {
    L(&'static [usize]),
    N(usize),
}
use Exp::{L, N};

const CS: bool = false;
const IC: bool = true;

/// Hand-derived facts: (filter, ignore_case, expected matches in each of [`EVENT_FILES`]).
///
/// How they were derived: `tests/data/derive/corpus_facts.py` has, for each filter here, a
/// python predicate written for that filter only, over the parsed events (e.g. `eventType ==
/// "user.session.start"`; `any(t["id"] == A for t in target) and any(t["id"] == B for t in
/// target)`; `client.zone == "null"` versus `client.zone in (null, absent)`; datetime instants for
/// RFC 3339 `published` and plain `<` on Panther's "2022-03-22 14:21:53.225" strings). Its output
/// was cross-checked against the general python reference `oktaql_ref.py` (no disagreement) and
/// spot-checked by eye against the event files (`jq -c '.published'`, `.securityContext`,
/// `.client.zone`, `[.target[]?.id]`, ...). The group comments below say which rule each group
/// exercises and what is notable in the data.
const FACTS: &[(&str, bool, [Exp; 4])] = &[
    // Plain string operators on eventType (issue 2: strings compare exactly; co/sw/ew on text).
    // Derived with `e["eventType"] == s`, `.startswith`, `in`, `.endswith`; the ignore-case fact
    // lower-cases both sides. The cribl org has no session events at all.
    (
        r#"eventType eq "user.session.start""#,
        CS,
        [
            L(&[]),
            L(&[1, 2]),
            L(&[2, 9, 10, 16, 17, 18, 23, 24, 26, 27, 28, 30, 31]),
            L(&[2]),
        ],
    ),
    (
        r#"eventType eq "USER.SESSION.START""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"eventType eq "USER.SESSION.START""#,
        IC,
        [
            L(&[]),
            L(&[1, 2]),
            L(&[2, 9, 10, 16, 17, 18, 23, 24, 26, 27, 28, 30, 31]),
            L(&[2]),
        ],
    ),
    (
        r#"eventType sw "user.authentication.""#,
        CS,
        [L(&[]), L(&[]), L(&[19, 20, 29]), L(&[3])],
    ),
    (
        r#"eventType co "session""#,
        CS,
        [
            L(&[]),
            L(&[1, 2]),
            L(&[1, 2, 9, 10, 16, 17, 18, 23, 24, 26, 27, 28, 30, 31]),
            L(&[2]),
        ],
    ),
    (
        r#"eventType ew ".update""#,
        CS,
        [
            L(&[
                2, 3, 4, 6, 8, 14, 15, 17, 19, 20, 28, 31, 40, 41, 43, 44, 48, 49, 50, 54, 55, 56,
                57, 58, 59, 62, 63, 70, 76, 80, 82, 86, 87, 89, 90, 91, 93, 94, 98, 99,
            ]),
            L(&[]),
            L(&[]),
            L(&[]),
        ],
    ),
    (
        r#"eventType ew "token""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#,
        CS,
        [L(&[]), L(&[]), L(&[10, 16, 17, 18, 24]), L(&[2])],
    ),
    // Arrays: each conjunct looks at ANY target (Okta's own `target.id eq A and target.id eq B`).
    // Derived with `any(t["id"] == A for t in target) and any(...)`. Only cribl line 27 has both
    // the User 00utfrct5sIs151mS697 and the AppInstance 0oatfrct1wg72bAIw697; no single target
    // is that id AND an AppInstance (the value path needs one object), while 10 cribl events
    // have it as a User target.
    (
        r#"target.id eq "00utfrct5sIs151mS697" and target.id eq "0oatfrct1wg72bAIw697""#,
        CS,
        [L(&[27]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"target[id eq "00utfrct5sIs151mS697" and type eq "AppInstance"]"#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"target[id eq "00utfrct5sIs151mS697" and type eq "User"]"#,
        CS,
        [
            L(&[25, 26, 27, 28, 29, 33, 36, 78, 88, 100]),
            L(&[]),
            L(&[]),
            L(&[]),
        ],
    ),
    (
        r#"target.type eq "AppInstance" and target.type eq "User""#,
        CS,
        [
            L(&[27, 33, 36, 78, 88, 100]),
            L(&[]),
            L(&[13, 14, 15]),
            L(&[]),
        ],
    ),
    // target absent / null / [] / array: `pr` needs a candidate that is not null, "" or {}.
    // cribl 8, 20 and docs 7 have `"target": null`; panther 1-3, 16-18, 23-25, 29 have no target
    // and 26-28 have `[]`; so `target eq null` and `not (target pr)` pick the same events.
    (
        "target pr",
        CS,
        [
            N(98),
            L(&[1, 2, 3, 4, 5, 6]),
            L(&[
                4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20, 21, 22, 30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        "target eq null",
        CS,
        [
            L(&[8, 20]),
            L(&[7]),
            L(&[1, 2, 3, 16, 17, 18, 23, 24, 25, 26, 27, 28, 29]),
            L(&[]),
        ],
    ),
    (
        "not (target pr)",
        CS,
        [
            L(&[8, 20]),
            L(&[7]),
            L(&[1, 2, 3, 16, 17, 18, 23, 24, 25, 26, 27, 28, 29]),
            L(&[]),
        ],
    ),
    // Mixed types: a boolean equals the string "true"/"false", exactly (not "FALSE", even with
    // ignore_case). No event in the corpus has isProxy true; it is false in cribl (71), docs 1-3,
    // panther 9, 10, 13-17, 30, 31 and all stix, null or absent elsewhere (`ne false` holds there).
    (
        r#"securityContext.isProxy eq "true""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"securityContext.isProxy eq "false""#,
        CS,
        [
            N(71),
            L(&[1, 2, 3]),
            L(&[9, 10, 13, 14, 15, 16, 17, 30, 31]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        "securityContext.isProxy eq false",
        CS,
        [
            N(71),
            L(&[1, 2, 3]),
            L(&[9, 10, 13, 14, 15, 16, 17, 30, 31]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"securityContext.isProxy eq "FALSE""#,
        IC,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        "securityContext.isProxy ne false",
        CS,
        [
            L(&[
                15, 28, 29, 36, 50, 57, 63, 78, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92,
                93, 94, 95, 96, 97, 98, 99, 100,
            ]),
            L(&[4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            ]),
            L(&[]),
        ],
    ),
    (
        r#"eventType eq "user.session.start" and securityContext.isProxy eq "true""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    // client.zone: the STRING "null" (cribl 1-3, 8, 79; docs 3-7; panther 24 events; stix all)
    // versus JSON null (the other 95 cribl events, docs 1-2) or absent (panther 6, 7, 19, 20,
    // 23-25): `eq null` holds for null and absent; `ne "null"` for the same events.
    (
        r#"client.zone eq "null""#,
        CS,
        [
            L(&[1, 2, 3, 8, 79]),
            L(&[3, 4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 26, 27, 28, 29,
                30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        "client.zone eq null",
        CS,
        [N(95), L(&[1, 2]), L(&[6, 7, 19, 20, 23, 24, 25]), L(&[])],
    ),
    (
        r#"client.zone ne "null""#,
        CS,
        [N(95), L(&[1, 2]), L(&[6, 7, 19, 20, 23, 24, 25]), L(&[])],
    ),
    // postalCode: the number 10013 in Okta's spec examples (docs 1-2), strings elsewhere. Both
    // `eq 10013` and `eq "10013"` match it; `sw "1"` never holds on a number, so only panther 31's
    // string "119021" starts with 1; stix has "600002", not "600001".
    (
        "client.geographicalContext.postalCode eq 10013",
        CS,
        [L(&[]), L(&[1, 2]), L(&[]), L(&[])],
    ),
    (
        r#"client.geographicalContext.postalCode eq "10013""#,
        CS,
        [L(&[]), L(&[1, 2]), L(&[]), L(&[])],
    ),
    (
        r#"client.geographicalContext.postalCode sw "1""#,
        CS,
        [L(&[]), L(&[]), L(&[31]), L(&[])],
    ),
    (
        r#"client.geographicalContext.postalCode eq "600001""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    // `ne` on absent fields: it holds when the attribute is missing (panther 19, 20, 25 have no
    // actor; legacyEventType is absent, null or another value except in docs 1-2 and panther
    // 9, 10, 26-28, 30, 31). The 95 system events of cribl have actor.alternateId
    // "system@okta.com", as has panther 21.
    (
        r#"actor.alternateId ne "system@okta.com""#,
        CS,
        [
            L(&[1, 2, 3, 8, 79]),
            L(&[1, 2, 3, 4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24,
                25, 26, 27, 28, 29, 30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"legacyEventType ne "core.user_auth.login_success""#,
        CS,
        [
            N(100),
            L(&[3, 4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                29,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    // Dates on published: RFC 3339 values (cribl, docs, stix) compare as instants (a +02:00
    // literal equals cribl 1's Z time; "2024-01-01" is midnight UTC). Panther's values
    // ("2022-03-22 14:21:53.225", "redacted") are not RFC 3339, so they compare as strings by code
    // point: "2022-03-22 14:21..." is LESS than "2022-03-22T00:00:00Z" (space < T) though it is
    // later in time, and "redacted" is greater than any date. Absent/null published never compares.
    (
        r#"published gt "2025-07-21T14:49:00Z""#,
        CS,
        [
            L(&[
                80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100,
            ]),
            L(&[]),
            L(&[16, 17, 18]),
            L(&[]),
        ],
    ),
    (
        r#"published eq "2025-07-21T16:48:24.597+02:00""#,
        CS,
        [L(&[1]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"published lt "2024-01-01""#,
        CS,
        [
            L(&[]),
            L(&[3, 4, 5, 6, 7]),
            L(&[1, 2, 3, 4, 5, 6, 7, 13, 14, 21, 26, 27, 28]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"published lt "2022-03-22T00:00:00Z""#,
        CS,
        [
            L(&[]),
            L(&[3, 4, 5, 6, 7]),
            L(&[1, 2, 3, 4, 5, 6, 7, 21]),
            L(&[]),
        ],
    ),
    (
        r#"published gt "2024-05-01""#,
        CS,
        [
            N(100),
            L(&[1, 2]),
            L(&[8, 11, 12, 16, 17, 18, 30, 31]),
            L(&[]),
        ],
    ),
    // request.ipChain.ip: a path through an array of objects. 1.1.1.1 is in stix 1 (second hop)
    // and panther 29-31; all four have client.device "Computer" and no target id containing
    // 00Tr22hj9U9LzFH0f5d6, so stix-shifter's translated filter matches none. The 95 cribl system
    // events have `"ipChain": []` (not present).
    (
        r#"request.ipChain.ip eq "1.1.1.1""#,
        CS,
        [L(&[]), L(&[]), L(&[29, 30, 31]), L(&[1])],
    ),
    (
        r#"request.ipChain.ip eq "1.1.1.1" and (client.device ne "Computer" or target.id co "00Tr22hj9U9LzFH0f5d6")"#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        "request.ipChain pr",
        CS,
        [
            L(&[1, 2, 3, 8, 79]),
            L(&[1, 2, 3, 4, 5, 6, 7]),
            L(&[8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 29, 30, 31]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"request.ipChain.geographicalContext.postalCode eq "119021""#,
        CS,
        [L(&[]), L(&[]), L(&[31]), L(&[])],
    ),
    // Numbers: asNumber is an integer (14618 for 70 cribl events, 6167 for cribl 79), null or
    // absent. `le 14618.0` compares by value; `eq "7018"` is the mixed-type equality (panther 9,
    // 10); `gt "7018"` is a cross-type ordering and never holds.
    (
        "securityContext.asNumber gt 14618",
        CS,
        [L(&[]), L(&[1, 2]), L(&[13, 14, 15, 16, 17]), L(&[1])],
    ),
    (
        "securityContext.asNumber lt 14618",
        CS,
        [L(&[79]), L(&[3]), L(&[9, 10, 30, 31]), L(&[])],
    ),
    (
        "securityContext.asNumber le 14618.0",
        CS,
        [N(71), L(&[3]), L(&[9, 10, 30, 31]), L(&[2, 3])],
    ),
    (
        "securityContext.asNumber ge 50",
        CS,
        [
            N(71),
            L(&[1, 2, 3]),
            L(&[9, 10, 13, 14, 15, 16, 17, 30, 31]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        "not(securityContext.asNumber lt 50)",
        CS,
        [
            N(100),
            L(&[1, 2, 3, 4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                24, 25, 26, 27, 28, 29, 30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"securityContext.asNumber eq "7018""#,
        CS,
        [L(&[]), L(&[]), L(&[9, 10]), L(&[])],
    ),
    (
        r#"securityContext.asNumber gt "7018""#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    (
        "authenticationContext.authenticationStep eq 0",
        CS,
        [
            N(100),
            L(&[1, 2, 3, 4, 5, 6, 7]),
            L(&[
                8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 26, 27, 28, 29, 30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    // JSON text inside a string value: the filter's `\"` escapes are matched literally against
    // logOnlySecurityData (cribl 79: "New Device":"UNKNOWN"; panther 30-31: "level":"LOW"). The
    // Okta detection on line 65 of filters-public.tsv matches nothing here (no POSITIVE values).
    (
        r#"debugContext.debugData.logOnlySecurityData co "\"New Device\":\"UNKNOWN\"""#,
        CS,
        [L(&[79]), L(&[]), L(&[]), L(&[])],
    ),
    (
        r#"debugContext.debugData.logOnlySecurityData co "\"level\":\"LOW\"""#,
        CS,
        [L(&[]), L(&[]), L(&[30, 31]), L(&[])],
    ),
    (
        r#"eventType eq "policy.evaluate_sign_on" and target.displayName eq "Okta Admin Console" and ((debugContext.debugData.behaviors co "New Device=POSITIVE" and debugContext.debugData.behaviors co "New IP=POSITIVE") OR (debugContext.debugData.logOnlySecurityData co "\"New Device\":\"POSITIVE\"" or debugContext.debugData.logOnlySecurityData co "\"New IP\":\"POSITIVE\""))"#,
        CS,
        [L(&[]), L(&[]), L(&[]), L(&[])],
    ),
    // Code-point order on strings: os is "Mac OS X", "Windows 10", "Unknown", ... (never "iOS";
    // absent in panther 6, 7, 19, 20, 23-25 and in the 95 cribl system events); display names
    // above "Okta System" are "Okta Trainer", "Test User" and the lower-case ones.
    (
        r#"(client.userAgent.os lt "iOS" or client.userAgent.os gt "iOS")"#,
        CS,
        [
            L(&[1, 2, 3, 8, 79]),
            L(&[1, 2, 3, 4, 5, 6, 7]),
            L(&[
                1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 26, 27, 28, 29,
                30, 31,
            ]),
            L(&[1, 2, 3]),
        ],
    ),
    (
        r#"actor.displayName gt "Okta System""#,
        CS,
        [
            L(&[]),
            L(&[3, 7]),
            L(&[6, 7, 16, 21, 23, 24]),
            L(&[1, 2, 3]),
        ],
    ),
];

#[test]
fn hand_verified_facts() {
    assert!(FACTS.len() >= 25);
    let files: Vec<Vec<Event>> = EVENT_FILES.iter().map(|f| events(f)).collect();
    let mut failures = Vec::new();
    for (text, ignore_case, expect) in FACTS {
        let f = match Filter::builder().ignore_case(*ignore_case).parse(text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{text}: {e}"));
                continue;
            }
        };
        for ((file, evs), exp) in EVENT_FILES.iter().zip(&files).zip(expect) {
            let mut by_value = Vec::new();
            let mut by_bytes = Vec::new();
            for (i, (bytes, value)) in evs.iter().enumerate() {
                if f.matches(value) {
                    by_value.push(i + 1);
                }
                if f.matches_json(bytes) == Ok(true) {
                    by_bytes.push(i + 1);
                }
            }
            let ok = |got: &Vec<usize>| match exp {
                L(lines) => got.as_slice() == *lines,
                N(n) => got.len() == *n,
            };
            for (how, got) in [("matches", &by_value), ("matches_json", &by_bytes)] {
                if !ok(got) {
                    failures.push(format!(
                        "{text} (ignore_case {ignore_case}) on {file}, {how}: got {got:?}, expected {exp:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
