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
