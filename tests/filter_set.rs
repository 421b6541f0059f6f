//! `FilterSet` against each of its filters alone, over the real data: the
//! Okta catalogue's filters (`tests/data/rules/okta-filters.tsv`) and the
//! public filters of the corpus (`tests/data/corpus/filters-public.tsv`),
//! each also with the options (`-i`, `-v`, since/until, keywords), over the
//! corpus's events and the example log, also respelled with `\u` escapes
//! and `\/`, with repeated keys, and cut short (malformed). For every event
//! the set's answer is the list of the filters whose own `matches_json` is
//! true, errors included, and on the `Value` side the list of those whose
//! `matches` is. The NDJSON batch path (`candidate_lines` and
//! `matches_json_among`) gives the same answers line by line, and skips
//! only lines that no filter selects. Hand-checked cases at the end.

use std::path::PathBuf;

use oktaql::{Filter, FilterBuilder, FilterSet, JsonError, Keywords, Timestamp};
use serde_json::Value;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// The catalogue's filters: (rule file, filter text).
fn catalogue() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data("rules/okta-filters.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (file, filter) = l.split_once('\t').expect("FILE<TAB>FILTER");
            (file.to_owned(), filter.to_owned())
        })
        .collect()
}

/// The catalogue's filters that parse (all but the two Okta does not
/// document).
fn catalogue_filters() -> Vec<Filter> {
    catalogue()
        .iter()
        .filter_map(|(_, f)| Filter::parse(f).ok())
        .collect()
}

/// The corpus's public filters that parse, annotations removed.
fn public_filters() -> Vec<String> {
    let text = std::fs::read_to_string(data("corpus/filters-public.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let field = l.split_once('\t').map_or(l, |(f, _)| f);
            match field.find("  [") {
                Some(at) if field.ends_with(']') => field[..at].to_owned(),
                _ => field.to_owned(),
            }
        })
        .filter(|f| Filter::parse(f).is_ok())
        .collect()
}

/// Every event line of the corpus and of the example log.
fn event_lines() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .collect();
    files.sort();
    files.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/system-log.ndjson"));
    for f in files {
        let text = std::fs::read(&f).unwrap();
        out.extend(
            text.split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(<[u8]>::to_vec),
        );
    }
    out
}

/// The event with every `e` and `E` in its strings and keys spelled as a
/// `\u` escape, and every `/` as `\/`: the same value, other bytes.
fn escaped(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len() * 2);
    let mut in_string = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if in_string {
            match b {
                b'\\' => {
                    // An escape as it is: `\uXXXX` whole.
                    let len = if line[i + 1] == b'u' { 6 } else { 2 };
                    out.extend_from_slice(&line[i..i + len]);
                    i += len;
                    continue;
                }
                b'"' => in_string = false,
                b'e' => {
                    out.extend_from_slice(b"\\u0065");
                    i += 1;
                    continue;
                }
                b'E' => {
                    out.extend_from_slice(b"\\u0045");
                    i += 1;
                    continue;
                }
                b'/' => {
                    out.extend_from_slice(b"\\/");
                    i += 1;
                    continue;
                }
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        }
        out.push(b);
        i += 1;
    }
    out
}

/// Only `/` as `\/`.
fn slashes_escaped(line: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(line.to_vec()).unwrap();
    text.replace('/', "\\/").into_bytes()
}

/// The event with earlier values under keys that come again (the last one
/// counts): copies of what the filters look for, which must not count.
fn with_repeated_keys(line: &[u8]) -> Vec<u8> {
    const EARLIER: &str = r#"{"eventType":"user.session.start","outcome":{"result":"SUCCESS","reason":"Password Spray"},"target":[{"type":"User","displayName":"Okta Admin Console"}],"debugContext":{"debugData":{"risk":"level=HIGH","behaviors":"New Device=POSITIVE, New IP=POSITIVE"}},"published":"2024-05-01T10:00:00Z","#;
    let text = std::str::from_utf8(line).unwrap();
    let rest = text.trim_start().strip_prefix('{').expect("an object");
    format!("{EARLIER}{rest}").into_bytes()
}

/// The builders each filter text is compiled with.
fn builders() -> Vec<FilterBuilder> {
    let t = |s: &str| Some(Timestamp::parse(s).unwrap());
    vec![
        Filter::builder(),
        Filter::builder().ignore_case(true),
        Filter::builder().invert(true),
        Filter::builder()
            .since(t("2023-01-01"))
            .until(t("2025-01-01")),
        Filter::builder().keywords(Some(Keywords::parse("okta").unwrap())),
    ]
}

/// The set's answers equal each filter's own, for one event: bytes (and
/// the error, when malformed), the same through `matches_json_among` with
/// the event's candidates, and the `Value`.
fn check(set: &FilterSet, event: &[u8]) {
    let shown = String::from_utf8_lossy(event);
    let each: Vec<Result<bool, JsonError>> = set
        .filters()
        .iter()
        .map(|f| f.matches_json(event))
        .collect();
    let mut got = Vec::new();
    let result = set.matches_json(event, &mut got);
    if let Some(err) = each.iter().find_map(|r| r.err()) {
        assert!(
            each.iter().all(|r| *r == Err(err)),
            "filters disagree on the error of {shown}"
        );
        assert_eq!(result, Err(err), "{shown}");
        assert!(got.is_empty());
    } else {
        let want: Vec<usize> = (0..each.len()).filter(|&i| each[i] == Ok(true)).collect();
        assert_eq!(result, Ok(()), "{shown}");
        assert_eq!(got, want, "{shown}");
        // The candidates hold every filter that selects the event.
        let mut candidates = Vec::new();
        set.candidates(event, &mut candidates);
        for &i in &want {
            assert!(
                candidates.contains(&i),
                "{} selects {shown}",
                set.filters()[i]
            );
        }
        let mut among = Vec::new();
        set.matches_json_among(event, &candidates, &mut among)
            .unwrap();
        assert_eq!(among, want, "{shown}");
        // All filters as candidates: the one-pass scan of them all.
        let all: Vec<usize> = (0..set.len()).collect();
        set.matches_json_among(event, &all, &mut among).unwrap();
        assert_eq!(among, want, "{shown}");
    }
    if let Ok(value) = serde_json::from_slice::<Value>(event) {
        let want: Vec<usize> = (0..set.len())
            .filter(|&i| set.filters()[i].matches(&value))
            .collect();
        let mut got = Vec::new();
        set.matches(&value, &mut got);
        assert_eq!(got, want, "value of {shown}");
    }
}

/// The NDJSON batch path over `lines` joined by `\n`: the lines yielded
/// and their answers against each filter alone, line by line.
fn check_lines(set: &FilterSet, lines: &[Vec<u8>]) {
    let buf = lines.join(&b'\n');
    let mut yielded = vec![None; lines.len()];
    let starts: Vec<usize> = lines
        .iter()
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len() + 1;
            Some(start)
        })
        .collect();
    let mut it = set.candidate_lines(&buf);
    let mut hits = Vec::new();
    while let Some(r) = it.next() {
        let i = starts.binary_search(&r.start).expect("a line start");
        assert_eq!(r.end, r.start + lines[i].len());
        assert!(!it.candidates().is_empty());
        let result = set
            .matches_json_among(&buf[r], it.candidates(), &mut hits)
            .map(|()| hits.clone());
        yielded[i] = Some(result);
    }
    for (i, line) in lines.iter().enumerate() {
        let each: Vec<Result<bool, JsonError>> =
            set.filters().iter().map(|f| f.matches_json(line)).collect();
        let shown = String::from_utf8_lossy(line);
        match &yielded[i] {
            None => assert!(
                each.iter().all(|r| *r != Ok(true)),
                "line {} skipped, but some filter selects it: {shown}",
                i + 1
            ),
            Some(got) => {
                let want = match each.iter().find_map(|r| r.err()) {
                    Some(e) => Err(e),
                    None => Ok((0..each.len()).filter(|&j| each[j] == Ok(true)).collect()),
                };
                assert_eq!(got, &want, "line {}: {shown}", i + 1);
            }
        }
    }
}

#[test]
fn the_catalogue_parses_but_for_the_two_undocumented_forms() {
    let all = catalogue();
    assert_eq!(all.len(), 37);
    let failing: Vec<&str> = all
        .iter()
        .filter(|(_, f)| Filter::parse(f).is_err())
        .map(|(file, _)| file.as_str())
        .collect();
    assert_eq!(
        failing,
        [
            "detections/api_token_excessive_network_access.yml",
            "detections/protected_action_super_admin_password_reset.yml"
        ]
    );
}

#[test]
fn the_catalogue_in_one_set_answers_as_each_rule_alone() {
    let set = FilterSet::new(catalogue_filters());
    assert_eq!(set.len(), 35);
    let lines = event_lines();
    assert!(lines.len() > 400);
    let mut selected = 0;
    for line in &lines {
        for event in [
            line.clone(),
            escaped(line),
            slashes_escaped(line),
            with_repeated_keys(line),
            line[..line.len() / 2].to_vec(),
        ] {
            check(&set, &event);
        }
        let mut hits = Vec::new();
        set.matches_json(line, &mut hits).unwrap();
        selected += usize::from(!hits.is_empty());
    }
    // The corpus holds events some rules select.
    assert!(selected > 0);
    check_lines(&set, &lines);
    let respelled: Vec<Vec<u8>> = lines.iter().map(|l| escaped(l)).collect();
    check_lines(&set, &respelled);
}

#[test]
fn every_filter_with_every_option_in_one_set() {
    let texts: Vec<String> = catalogue()
        .into_iter()
        .map(|(_, f)| f)
        .chain(public_filters())
        .collect();
    // Every text plain, and each other option on every fourth text (the
    // reference, each filter alone, is what costs).
    let mut filters = Vec::new();
    for (b, builder) in builders().iter().enumerate() {
        filters.extend(
            texts
                .iter()
                .enumerate()
                .filter(|&(i, _)| b == 0 || i % 4 == b - 1)
                .filter_map(|(_, t)| builder.parse(t).ok()),
        );
    }
    let set = FilterSet::new(filters);
    assert!(set.len() > 250, "{}", set.len());
    let lines = event_lines();
    for (i, line) in lines.iter().enumerate() {
        check(&set, line);
        if i % 2 == 1 {
            continue;
        }
        for event in [
            escaped(line),
            with_repeated_keys(line),
            line[..line.len() * 2 / 3].to_vec(),
        ] {
            check(&set, &event);
        }
    }
    let mut buffer: Vec<Vec<u8>> = Vec::new();
    for line in &lines {
        buffer.push(line.clone());
        buffer.push(with_repeated_keys(line));
    }
    buffer.push(b"{\"eventType\":\"user.session.start\"".to_vec());
    buffer.push(Vec::new());
    check_lines(&set, &buffer);
}

/// Sets of a few filters, each case's answers worked out by hand.
#[test]
fn hand_checked_answers() {
    let set: FilterSet = [
        r#"eventType eq "user.session.start""#,              // 0
        r#"debugContext.debugData.requestUri sw "/api/v1""#, // 1
        r#"target[type eq "User" and alternateId eq "a@example.com"]"#, // 2
        r#"outcome.result eq "FAILURE" or outcome.result eq "DENY""#, // 3
        "published pr",                                      // 4
    ]
    .iter()
    .map(|t| Filter::parse(t).unwrap())
    .chain([
        // 5: ignore-case: no needle, a candidate everywhere.
        Filter::builder()
            .ignore_case(true)
            .parse(r#"eventType eq "USER.SESSION.START""#)
            .unwrap(),
        // 6: inverted.
        Filter::builder()
            .invert(true)
            .parse(r#"eventType eq "user.session.start""#)
            .unwrap(),
        // 7: since.
        Filter::builder()
            .since(Some(Timestamp::parse("2024-05-01").unwrap()))
            .parse(r#"eventType sw "user.""#)
            .unwrap(),
        // 8: keywords.
        Filter::builder()
            .keywords(Some(Keywords::parse("alice").unwrap()))
            .parse(r#"eventType sw "user.""#)
            .unwrap(),
        // 9, 10: needles that overlap (`xyz` then `yzw` in `xyzw`).
        Filter::parse(r#"a co "xyz" or b co "xyz""#).unwrap(),
        Filter::parse(r#"a co "yzw" or b co "yzw""#).unwrap(),
        // 11, 12: a needle inside another (`user` in `"user"`).
        Filter::parse(r#"b co "user""#).unwrap(),
        Filter::parse(r#"b eq "user""#).unwrap(),
    ])
    .collect();
    let cases: &[(&str, &[usize])] = &[
        (r#"{"eventType":"user.session.start"}"#, &[0, 5]),
        // An escaped key and value.
        (r#"{"\u0065ventType":"user.session.st\u0061rt"}"#, &[0, 5]),
        (r#"{"eventType":"user.session.end"}"#, &[6]),
        (
            r#"{"debugContext":{"debugData":{"requestUri":"\/api\/v1\/users"}}}"#,
            &[1, 6],
        ),
        (
            r#"{"debugContext":{"debugData":{"requestUri":"/api/v2"}}}"#,
            &[6],
        ),
        // The value path: both tests on one object.
        (
            r#"{"target":[{"type":"User","alternateId":"b@example.com"},{"type":"App","alternateId":"a@example.com"}]}"#,
            &[6],
        ),
        (
            r#"{"target":[{"type":"App"},{"alternateId":"a@example.com","type":"User"}]}"#,
            &[2, 6],
        ),
        // A repeated key: the last value counts, for every filter.
        (
            r#"{"eventType":"user.session.start","outcome":{"result":"DENY","result":"SUCCESS"},"eventType":"user.session.end"}"#,
            &[6],
        ),
        (
            r#"{"outcome":{"result":"SUCCESS","result":"DENY"},"published":"2024-04-30T23:59:59Z"}"#,
            &[3, 4, 6],
        ),
        (
            r#"{"eventType":"user.account.lock","published":"2024-05-01T00:00:00Z"}"#,
            &[4, 6, 7],
        ),
        (
            r#"{"eventType":"user.account.lock","actor":{"alternateId":"alice@example.com"}}"#,
            &[6, 8],
        ),
        // The keyword only in an overwritten value: not found.
        (
            r#"{"eventType":"user.account.lock","actor":{"alternateId":"alice@example.com","alternateId":"bob"}}"#,
            &[6],
        ),
        (r#"{"eventType":"USER.SESSION.START"}"#, &[5, 6]),
        // Needles inside and across each other (9 to 12 below).
        (r#"{"a":"xyzw"}"#, &[6, 9, 10]),
        (r#"{"a":"xyz","b":"yzw"}"#, &[6, 9, 10]),
        (r#"{"b":"user"}"#, &[6, 11, 12]),
        (r#"{"b":"users"}"#, &[6, 11]),
    ];
    for (event, want) in cases {
        let mut got = Vec::new();
        set.matches_json(event.as_bytes(), &mut got).unwrap();
        assert_eq!(&got, want, "{event}");
        check(&set, event.as_bytes());
    }
    // Malformed, with and without a literal of some filter: the same error
    // as each filter's.
    for bad in [
        r#"{"eventType":"user.session.start""#,
        r#"{"eventType":"user.session.start",}"#,
        r#"{"x":1e999}"#,
        "{\"x\":\"\u{1}\"}",
        r#"{"eventType":"user.session.start"} x"#,
        "",
    ] {
        check(&set, bad.as_bytes());
        let mut got = vec![99];
        let err = set.matches_json(bad.as_bytes(), &mut got).unwrap_err();
        assert_eq!(Err(err), set.filters()[0].matches_json(bad.as_bytes()));
        assert!(got.is_empty());
    }
}

/// Lines no filter may select are skipped unread, malformed or not; a set
/// without a filter needing no literal skips them all.
#[test]
fn lines_without_candidates_are_skipped() {
    let set: FilterSet = [
        r#"eventType eq "user.session.start""#,
        r#"outcome.result eq "FAILURE""#,
    ]
    .iter()
    .map(|t| Filter::parse(t).unwrap())
    .collect();
    let buf = b"{\"eventType\":\"user.session.end\"}\n\
                {not json\n\
                {\"outcome\":{\"result\":\"FAILURE\"}\n\
                {\"eventType\":\"user.session.start\",\"outcome\":{\"result\":\"FAILURE\"}}\r\n\
                \n\
                {\"eventType\":\"user.s\\u0065ssion.start\"}";
    let mut it = set.candidate_lines(buf);
    let mut got = Vec::new();
    while let Some(r) = it.next() {
        got.push((
            String::from_utf8_lossy(&buf[r]).into_owned(),
            it.candidates().to_vec(),
        ));
    }
    assert_eq!(
        got,
        [
            // Truncated: its candidate decides the error.
            (r#"{"outcome":{"result":"FAILURE"}"#.to_owned(), vec![1]),
            (
                "{\"eventType\":\"user.session.start\",\"outcome\":{\"result\":\"FAILURE\"}}\r"
                    .to_owned(),
                vec![0, 1]
            ),
            // A \u escape may hide any needle.
            (
                r#"{"eventType":"user.s\u0065ssion.start"}"#.to_owned(),
                vec![0, 1]
            ),
        ]
    );
    // An empty set selects nothing, and yields no line.
    let empty = FilterSet::new(Vec::new());
    assert_eq!(empty.candidate_lines(buf).count(), 0);
    let mut hits = vec![1];
    empty.matches_json(br#"{"a":1}"#, &mut hits).unwrap();
    assert!(hits.is_empty());
    assert!(empty.matches_json(b"{", &mut hits).is_err());
    // A filter needing no literal: every line, blank ones too.
    let all = FilterSet::new(vec![Filter::parse("a pr").unwrap()]);
    assert_eq!(all.candidate_lines(buf).count(), 6);
}

/// An IOC list longer than a filter's own prefilter takes (16 needles)
/// still gives its needles in a set.
#[test]
fn long_lists_have_needles_in_a_set() {
    let ips: Vec<String> = (0..100)
        .map(|i| format!(r#"client.ipAddress eq "10.1.{}.{}""#, i / 10, i % 10))
        .collect();
    let list = Filter::parse(&ips.join(" or ")).unwrap();
    let set = FilterSet::new(vec![list.clone()]);
    let miss = br#"{"client":{"ipAddress":"10.2.0.1"}}"#;
    let hit = br#"{"client":{"ipAddress":"10.1.9.9"}}"#;
    // The filter alone cannot rule the line out; the set can.
    assert!(list.may_match(miss));
    let mut c = Vec::new();
    set.candidates(miss, &mut c);
    assert!(c.is_empty());
    set.candidates(hit, &mut c);
    assert_eq!(c, [0]);
    check(&set, miss);
    check(&set, hit);
}

/// A set of IOC lists, as many as make the set find its quoted needles in
/// its one walk over the quotes (more than 64 driving needles): values
/// taken from the corpus's events (some select) and made up (none do),
/// with the catalogue's filters, whose `sw` needles the walk also finds.
/// The walk looks only at string values, never at a key (a string followed
/// by `:`): the same answers as each filter alone, over the events, the
/// events with white space around every `:` and `,`, and events holding the
/// values as keys, in arrays, and beside white space.
#[test]
fn an_ioc_set_answers_as_each_filter_alone() {
    let lines = event_lines();
    let lit = |s: &str| serde_json::to_string(s).unwrap();
    let mut texts: Vec<String> = catalogue().into_iter().map(|(_, f)| f).collect();
    let mut values = Vec::new();
    for line in &lines {
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
        if let (Some(user), Some(et)) = (s("/actor/alternateId"), s("/eventType")) {
            texts.push(format!("actor.alternateId eq {}", lit(&user)));
            let family = et.split('.').next().unwrap_or("");
            texts.push(format!(
                "eventType sw {} and actor.alternateId eq {}",
                lit(&format!("{family}.")),
                lit(&user)
            ));
            values.push(user);
        }
        if let Some(ip) = s("/client/ipAddress") {
            texts.push(format!("client.ipAddress eq {}", lit(&ip)));
            values.push(ip);
        }
    }
    for i in 0..80 {
        texts.push(format!(r#"client.ipAddress eq "203.0.113.{i}""#));
        texts.push(format!(
            r#"eventType eq "user.session.start" and target.id eq "00uIOC{i}""#
        ));
        values.push(format!("203.0.113.{i}"));
    }
    texts.sort();
    texts.dedup();
    let set: FilterSet = texts.iter().filter_map(|t| Filter::parse(t).ok()).collect();
    assert!(set.len() > 200, "{}", set.len());
    let spaced = |l: &[u8]| {
        let t = String::from_utf8_lossy(l);
        t.replace("\":", "\" : ")
            .replace("\",", "\" , ")
            .replace("\"}", "\" }")
            .into_bytes()
    };
    let mut events: Vec<Vec<u8>> = Vec::new();
    for line in &lines {
        events.push(line.clone());
        events.push(spaced(line));
    }
    values.sort();
    values.dedup();
    for v in &values {
        let v = lit(v);
        events.extend(
            [
                format!(r#"{{"eventType":"user.session.start",{v}:"x"}}"#),
                format!(r#"{{"actor":{{{v}:{{"alternateId":{v}}}}}}}"#),
                format!(r#"{{"actor":{{"alternateId":[{v}]}},"client":{{"ipAddress":[1,{v}]}}}}"#),
                format!(r#"{{"client":{{"ipAddress" : {v} }},"eventType":"user.x"}}"#),
                format!("{{\"actor\":{{\"alternateId\":{v}\n}}}}"),
                format!(r#"{{"target":[{{"id":{v}}}],"eventType":"user.session.start"}}"#),
            ]
            .map(String::into_bytes),
        );
    }
    events.push(br#"{"eventType":"user.session.start","target":[{"id":"00uIOC7"}]}"#.to_vec());
    events.push(br#"{"eventType":"user.session.start","target":[{"00uIOC7":"id"}]}"#.to_vec());
    let mut selected = 0;
    for event in &events {
        check(&set, event);
        let mut hits = Vec::new();
        if set.matches_json(event, &mut hits).is_ok() {
            selected += usize::from(!hits.is_empty());
        }
    }
    assert!(selected > 50, "{selected}");
    let one_line: Vec<Vec<u8>> = events
        .iter()
        .filter(|e| !e.contains(&b'\n'))
        .cloned()
        .collect();
    check_lines(&set, &one_line);
}
