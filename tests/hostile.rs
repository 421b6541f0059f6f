//! Hostile events: very deep, very long, not UTF-8, truncated, with NUL
//! bytes, not objects, with duplicate keys. No panic, no stack overflow, a
//! clean error for what is malformed, and both evaluators agree on what is
//! valid.

use oktaql::{Filter, JsonErrorKind};
use serde_json::Value;

mod common;
use common::small_stack;

fn filter(s: &str) -> Filter {
    Filter::parse(s).unwrap()
}

#[test]
fn hundred_thousand_levels_deep_events() {
    small_stack(|| {
        let f = filter(r#"a.b eq 1 or a pr"#);
        let n = 100_000;
        // Arrays, objects on a filtered path, and objects off it.
        let arrays = format!(r#"{{"a":{}{{"b":1}}{}}}"#, "[".repeat(n), "]".repeat(n));
        assert_eq!(f.matches_json(arrays.as_bytes()), Ok(true));
        let objects = format!(r#"{{"z":{}1{}}}"#, r#"{"z":"#.repeat(n), "}".repeat(n));
        assert_eq!(f.matches_json(objects.as_bytes()), Ok(false));
        let on_path = format!(r#"{}1{}"#, r#"{"a":"#.repeat(n), "}".repeat(n));
        assert_eq!(
            f.matches_json(on_path.as_bytes()),
            Ok(true),
            "a is a non-empty object"
        );
        // Truncated at depth: an error, not a match.
        let truncated = &arrays[..arrays.len() - 10];
        assert_eq!(
            f.matches_json(truncated.as_bytes()).unwrap_err().kind(),
            JsonErrorKind::Truncated
        );
        // Unbalanced.
        let unbalanced = format!(r#"{{"a":{}1{}}}"#, "[".repeat(n), "]".repeat(n - 1));
        assert!(f.matches_json(unbalanced.as_bytes()).is_err());
    });
}

#[test]
fn deep_arrays_in_a_value_flatten_without_recursion() {
    small_stack(|| {
        // A Value built by hand can be deeper than serde_json parses.
        let mut v = serde_json::json!({"id": "x"});
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        // (Not json!: it would serialise `v` recursively.)
        let mut map = serde_json::Map::new();
        map.insert("target".to_owned(), v);
        let event = Value::Object(map);
        assert!(filter(r#"target.id eq "x""#).matches(&event));
        assert!(filter(r#"target[id eq "x"]"#).matches(&event));
        // Dropping a deep Value recurses in serde_json itself: leak it
        // rather than test serde_json's stack here.
        std::mem::forget(event);
    });
}

#[test]
fn twenty_megabyte_event() {
    let big = "x".repeat(20 << 20);
    let event = format!(
        r#"{{"eventType":"user.session.start","blob":"{big}","outcome":{{"result":"SUCCESS"}}}}"#
    );
    let f = filter(r#"outcome.result eq "SUCCESS""#);
    assert_eq!(f.matches_json(event.as_bytes()), Ok(true));
    let g = filter(r#"blob sw "xxx" and blob ew "xxx""#);
    assert_eq!(g.matches_json(event.as_bytes()), Ok(true));
    let v: Value = serde_json::from_str(&event).unwrap();
    assert!(f.matches(&v) && g.matches(&v));
}

#[test]
fn invalid_utf8_is_an_error_wherever_it_is() {
    let f = filter(r#"a eq "x""#);
    for bad in [
        &b"{\"a\":\"x\",\"b\":\"\xff\"}"[..],
        b"{\"a\":\"x\",\"\xc3\":1}",
        b"{\"a\":\"\xed\xa0\x80\"}",  // an encoded surrogate
        b"\xef\xbb\xbf{\"a\":\"x\"}", // a BOM is not JSON either
    ] {
        let e = f.matches_json(bad).unwrap_err();
        assert!(
            matches!(
                e.kind(),
                JsonErrorKind::InvalidUtf8 | JsonErrorKind::UnexpectedByte
            ),
            "{bad:?}: {e}"
        );
        assert!(serde_json::from_slice::<Value>(bad).is_err());
    }
}

#[test]
fn truncated_anywhere_is_an_error() {
    let event = br#"{"a":"x","n":-1.5e3,"t":true,"o":{"k":[null,"\u00e9\ud83d\ude00"]}}"#;
    let f = filter(r#"a eq "x""#);
    for cut in 0..event.len() {
        let part = &event[..cut];
        assert!(
            f.matches_json(part).is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(part)
        );
    }
    assert_eq!(f.matches_json(event), Ok(true));
}

#[test]
fn nul_bytes() {
    let f = filter(r#"a eq "x""#);
    // A raw NUL inside a string is a control character: malformed.
    assert_eq!(
        f.matches_json(b"{\"a\":\"x\0\"}").unwrap_err().kind(),
        JsonErrorKind::InvalidString
    );
    // Outside a string it is just an unexpected byte.
    assert!(f.matches_json(b"{\"a\":\"x\"}\0").is_err());
    // Escaped, it is a character like any other.
    let escaped = br#"{"a":"x\u0000"}"#;
    assert_eq!(f.matches_json(escaped), Ok(false));
    assert_eq!(filter(r#"a eq "x\u0000""#).matches_json(escaped), Ok(true));
}

#[test]
fn events_that_are_not_objects() {
    let f = filter(r#"a eq 1 or a eq null"#);
    // `a eq null` holds when there is no candidate: any JSON value that is
    // not an object has none. Both evaluators agree on each.
    for text in [
        &b"[1,2]"[..],
        b"\"text\"",
        b"1",
        b"null",
        b"true",
        b"[]",
        b"[[{\"a\":1}]]",
    ] {
        let v: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(
            f.matches_json(text),
            Ok(f.matches(&v)),
            "{}",
            String::from_utf8_lossy(text)
        );
    }
    let g = filter("a eq 1");
    assert_eq!(g.matches_json(b"[1,2]"), Ok(false));
    assert_eq!(g.matches_json(b"\"text\""), Ok(false));
    // An array of events is searched element by element, like any array.
    assert_eq!(g.matches_json(br#"[{"a":2},{"a":1}]"#), Ok(true));
    // Empty input and whitespace are not JSON.
    assert_eq!(
        g.matches_json(b"").unwrap_err().kind(),
        JsonErrorKind::Truncated
    );
    assert!(g.matches_json(b"  \n").is_err());
}

#[test]
fn duplicate_keys_the_last_value_counts() {
    // As serde_json::Value has it: {"a":1,"a":2} is {"a":2}.
    let cases: &[(&str, &str, bool)] = &[
        (r#"{"a":1,"a":2}"#, "a eq 2", true),
        (r#"{"a":1,"a":2}"#, "a eq 1", false),
        (r#"{"a":{"b":1},"a":{"c":1}}"#, "a.b pr", false),
        (r#"{"a":{"b":1},"a":{"c":1}}"#, "a.c eq 1", true),
        (r#"{"t":[{"id":"x","id":"y"}]}"#, r#"t[id eq "x"]"#, false),
        (r#"{"t":[{"id":"x","id":"y"}]}"#, r#"t[id eq "y"]"#, true),
        (r#"{"a":null,"a":"v"}"#, "a eq null", false),
        // A repeated key off the filtered paths changes nothing.
        (r#"{"z":1,"z":2,"a":"v"}"#, r#"a eq "v""#, true),
    ];
    for (event, f, expected) in cases {
        let filter = filter(f);
        let v: Value = serde_json::from_str(event).unwrap();
        assert_eq!(filter.matches(&v), *expected, "Value: {f} on {event}");
        assert_eq!(
            filter.matches_json(event.as_bytes()),
            Ok(*expected),
            "bytes: {f} on {event}"
        );
    }
}

#[test]
fn numbers_outside_f64_are_malformed_like_nan_and_infinity() {
    let f = filter("n pr");
    for bad in [
        "{\"n\":1e400}",
        "{\"x\":-1e309}",
        "{\"n\":NaN}",
        "{\"n\":Infinity}",
        "{\"n\":-Infinity}",
    ] {
        assert!(f.matches_json(bad.as_bytes()).is_err(), "{bad}");
        assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad}");
    }
    assert_eq!(
        f.matches_json(b"{\"n\":1e-400}"),
        Ok(true),
        "underflow is zero"
    );
}

/// The keyword search sees the event serde_json sees: a value that a later
/// equal key overwrites is not searched (issue 8, item 1).
#[test]
fn keywords_skip_overwritten_values() {
    let kw = |words: &str| {
        Filter::builder()
            .keywords(Some(oktaql::Keywords::parse(words).unwrap()))
            .parse("z pr")
            .unwrap()
    };
    let cases: &[(&str, &str, bool)] = &[
        (r#"{"k":"alice","k":"bob","z":1}"#, "alice", false),
        (r#"{"k":"alice","k":"bob","z":1}"#, "bob", true),
        // The key spelled with an escape is the same key.
        (r#"{"k":"alice","\u006b":"bob","z":1}"#, "alice", false),
        (r#"{"\u006b":"alice","k":"bob","z":1}"#, "bob", true),
        // Three times: only the last counts.
        (r#"{"k":"a1","k":"a2","k":"a3","z":1}"#, "a1", false),
        (r#"{"k":"a1","k":"a2","k":"a3","z":1}"#, "a2", false),
        (r#"{"k":"a1","k":"a2","k":"a3","z":1}"#, "a3", true),
        // An overwritten object or array hides everything inside it.
        (
            r#"{"k":{"x":["alice",{"y":"alice"}]},"k":1,"z":1}"#,
            "alice",
            false,
        ),
        (r#"{"k":["alice"],"k":[],"z":1}"#, "alice", false),
        // Nested objects inside an overwritten value, with their own
        // repeats, and the members after it are searched again.
        (
            r#"{"k":{"q":"a1","q":"a2"},"w":"carol","k":0,"z":1}"#,
            "carol",
            true,
        ),
        (
            r#"{"k":{"q":"a1","q":"a2"},"w":"carol","k":0,"z":1}"#,
            "a2",
            false,
        ),
        // Repeats deep inside arrays of objects.
        (
            r#"{"z":1,"t":[{"id":"x","id":"y"},{"id":"w"}]}"#,
            "x",
            false,
        ),
        (
            r#"{"z":1,"t":[{"id":"x","id":"y"},{"id":"w"}]}"#,
            "y w",
            true,
        ),
        // The same key in two different objects is no repeat.
        (
            r#"{"z":1,"a":{"k":"alice"},"b":{"k":"bob"}}"#,
            "alice bob",
            true,
        ),
        // Two keywords, one only in an overwritten value.
        (
            r#"{"k":"alice","k":"bob","z":1,"m":"carol"}"#,
            "carol alice",
            false,
        ),
        (
            r#"{"k":"alice","k":"bob","z":1,"m":"carol"}"#,
            "carol bob",
            true,
        ),
    ];
    for (event, words, expected) in cases {
        let f = kw(words);
        let v: Value = serde_json::from_str(event).unwrap();
        assert_eq!(f.matches(&v), *expected, "Value: -k {words} on {event}");
        assert_eq!(
            f.matches_json(event.as_bytes()),
            Ok(*expected),
            "bytes: -k {words} on {event}"
        );
    }
}

/// A repeated key on a filtered path is decided in events of any depth
/// (issue 8, item 2): there is no depth-limited fallback.
#[test]
fn repeated_keys_in_deep_events_are_decided() {
    small_stack(|| {
        for depth in [127, 128, 129, 200, 100_000] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let event = format!(r#"{{"a":1,"a":2,"d":{deep}}}"#);
            assert_eq!(
                filter("a eq 2").matches_json(event.as_bytes()),
                Ok(true),
                "{depth}"
            );
            assert_eq!(
                filter("a eq 1").matches_json(event.as_bytes()),
                Ok(false),
                "{depth}"
            );
            // The repeat itself deep down inside arrays (which the path
            // looks through), then inside objects (for the keywords).
            let event = format!(
                r#"{{"a":{}{{"b":"x","b":"y"}}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let f = |s: &str| filter(s).matches_json(event.as_bytes());
            assert_eq!(f(r#"a.b eq "y""#), Ok(true), "{depth}");
            assert_eq!(f(r#"a.b eq "x""#), Ok(false), "{depth}");
            assert_eq!(f(r#"a[b eq "x"]"#), Ok(false), "{depth}");
            let event = format!(
                r#"{}{{"b":"x","b":"y"}}{}"#,
                r#"{"a":{"c":"#.repeat(depth),
                "}}".repeat(depth)
            );
            let kw = Filter::builder()
                .keywords(Some(oktaql::Keywords::parse("x").unwrap()))
                .parse("a pr")
                .unwrap();
            assert_eq!(kw.matches_json(event.as_bytes()), Ok(false), "{depth}");
            let kw = Filter::builder()
                .keywords(Some(oktaql::Keywords::parse("y").unwrap()))
                .parse("a pr")
                .unwrap();
            assert_eq!(kw.matches_json(event.as_bytes()), Ok(true), "{depth}");
        }
    });
}

/// A malformed event with a repeated key is reported where it is malformed
/// (issue 8, item 3), exactly as without the repeat.
#[test]
fn malformed_events_with_repeated_keys_name_the_real_error() {
    let cases: &[(&str, &str, JsonErrorKind, usize)] = &[
        (
            r#"{"a":1,"a":2,"b":tru}"#,
            "a eq 2",
            JsonErrorKind::UnexpectedByte,
            17,
        ),
        (
            r#"{"a":1,"b":tru}"#,
            "a eq 2",
            JsonErrorKind::UnexpectedByte,
            11,
        ),
        (
            r#"{"a":1,"a":2,"b":"\x"}"#,
            "a eq 2",
            JsonErrorKind::InvalidString,
            18,
        ),
        (
            r#"{"a":1,"a":2,"b":01}"#,
            "a eq 2",
            JsonErrorKind::InvalidNumber,
            18,
        ),
        (
            r#"{"a":1,"a":2} x"#,
            "a eq 2",
            JsonErrorKind::TrailingCharacters,
            14,
        ),
        (
            r#"{"a":1,"a":2,"b":[1,2}"#,
            "a eq 2",
            JsonErrorKind::UnexpectedByte,
            21,
        ),
        (
            r#"{"a":1,"a":2,"b":[1,2"#,
            "a eq 2",
            JsonErrorKind::Truncated,
            21,
        ),
    ];
    for (event, f, kind, offset) in cases {
        let e = filter(f).matches_json(event.as_bytes()).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (*kind, *offset), "{f} on {event}");
        assert!(serde_json::from_str::<Value>(event).is_err());
    }
}

/// An error is decided by the bytes that are there: the same error, at
/// the same byte, whatever follows it (issue 8, item 7).
#[test]
fn errors_do_not_depend_on_what_follows() {
    let f = filter("b pr");
    let cases: &[(&[u8], JsonErrorKind, usize)] = &[
        // A lone high surrogate, then the end of the string.
        (br#"{"b":"\ud800"}"#, JsonErrorKind::InvalidString, 6),
        (br#"{"b":"\ud800x"}"#, JsonErrorKind::InvalidString, 6),
        (br#"{"b":"\ud800\n"}"#, JsonErrorKind::InvalidString, 6),
        (br#"{"b":"\ud800\ud800"}"#, JsonErrorKind::InvalidString, 6),
        (br#"{"b":"\udc00"}"#, JsonErrorKind::InvalidString, 6),
        // A bad hex digit is bad even at the end of the text.
        (br#"{"b":"\u12G"#, JsonErrorKind::InvalidString, 6),
        (br#"{"b":"\ud800\u12G"#, JsonErrorKind::InvalidString, 6),
        // A bad number before a byte that is not UTF-8.
        (
            b"{\"b\":01,\"c\":\"\xff\"}",
            JsonErrorKind::InvalidNumber,
            6,
        ),
    ];
    for (event, kind, offset) in cases {
        for tail in [&b""[..], b"   ", b"\n", b"}}}", b"\xff", b"\"x\"}"] {
            let text = [*event, tail].concat();
            let e = f.matches_json(&text).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (*kind, *offset),
                "{}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    // Cut off where more text could still complete the value: truncated.
    for cut in [
        &br#"{"b":"\ud800"#[..],
        br#"{"b":"\ud800\"#,
        br#"{"b":"\ud800\u"#,
        br#"{"b":"\ud800\udc0"#,
        br#"{"b":1."#,
        br#"{"b":1e"#,
        br#"{"b":-2E+"#,
        b"{\"b\":\"\xc3",
    ] {
        let e = f.matches_json(cut).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (JsonErrorKind::Truncated, cut.len()),
            "{}",
            String::from_utf8_lossy(cut)
        );
    }
    // Completed, they are valid.
    assert_eq!(f.matches_json(br#"{"b":"\ud800\udc00"}"#), Ok(true));
    assert_eq!(f.matches_json(br#"{"b":1.5}"#), Ok(true));
    assert_eq!(f.matches_json(br#"{"b":-2E+3}"#), Ok(true));
    assert_eq!(f.matches_json("{\"b\":\"é\"}".as_bytes()), Ok(true));
}
