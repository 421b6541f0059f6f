//! What an embedding program uses besides matching: the paths a filter
//! reads, timestamps, and (with the `serde` feature) filters in config
//! files. Expected values are written by hand from the docs.

use oktaql::{Filter, Keywords, Timestamp};

fn paths(filter: &Filter) -> Vec<String> {
    filter.paths().iter().map(|p| p.to_string()).collect()
}

#[test]
fn paths_are_the_attributes_read_each_once_in_order() {
    let cases: &[(&str, &[&str])] = &[
        ("eventType pr", &["eventType"]),
        (r#"a eq 1 or b.c sw "x" or a eq 2"#, &["a", "b.c"]),
        (r#"not (b ne "x") and a lt 3"#, &["b", "a"]),
        (
            r#"target[type eq "User" and (alternateId co "@" or displayName pr)] and eventType eq "x""#,
            &[
                "target.type",
                "target.alternateId",
                "target.displayName",
                "eventType",
            ],
        ),
        // Nested value paths, and the same name inside and outside.
        (r#"a[b[c eq 1]] and c pr and a.b.c pr"#, &["a.b.c", "c"]),
        // An IOC list on one path is one set: still one path.
        (
            r#"client.ipAddress eq "1" or client.ipAddress eq "2" or client.ipAddress eq "3""#,
            &["client.ipAddress"],
        ),
    ];
    for (text, want) in cases {
        let f = Filter::parse(text).unwrap();
        assert_eq!(paths(&f), *want, "{text}");
    }
}

#[test]
fn paths_include_published_under_since_until_not_keywords() {
    let t = Timestamp::parse("2025-03-03").unwrap();
    let f = Filter::builder()
        .since(Some(t))
        .keywords(Some(Keywords::parse("admin").unwrap()))
        .parse("eventType pr")
        .unwrap();
    assert_eq!(paths(&f), ["eventType", "published"]);
    let f = Filter::builder()
        .keywords(Some(Keywords::parse("admin").unwrap()))
        .invert(true)
        .parse("a pr")
        .unwrap();
    assert_eq!(paths(&f), ["a"]);
    // The empty filter reads nothing of its own.
    let f = Filter::builder().empty_selects_all(true).parse("").unwrap();
    assert!(f.paths().is_empty());
}

#[cfg(feature = "serde")]
mod serde_form {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_filter_without_options_is_its_text() {
        let f = Filter::parse(r#"eventType eq "user.session.start"  and (actor.id pr)"#).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(
            v,
            json!(r#"eventType eq "user.session.start" and actor.id pr"#)
        );
        let back: Filter = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn options_make_a_map_and_both_forms_read_back() {
        let f = Filter::builder()
            .ignore_case(true)
            .since(Some(Timestamp::parse("2025-03-03T09:00:00+01:00").unwrap()))
            .keywords(Some(Keywords::parse("admin  reset").unwrap()))
            .parse(r#"outcome.result eq "failure""#)
            .unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(
            v,
            json!({
                "text": r#"outcome.result eq "failure""#,
                "ignore_case": true,
                // The instant, in UTC (09:00 at +01:00).
                "since": "2025-03-03T08:00:00Z",
                "keywords": "admin reset",
            })
        );
        let back: Filter = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
        // The options are part of equality.
        assert_ne!(
            back,
            Filter::parse(r#"outcome.result eq "failure""#).unwrap()
        );
        // A map with only the text is the plain filter.
        let plain: Filter = serde_json::from_value(json!({"text": "a pr"})).unwrap();
        assert_eq!(plain, Filter::parse("a pr").unwrap());
        // Every option read back, from a config file's spelling.
        let all: Filter = serde_json::from_str(
            r#"{"text":"a pr","invert":true,"until":"2025-04-01","ignore_case":false}"#,
        )
        .unwrap();
        let want = Filter::builder()
            .invert(true)
            .until(Some(Timestamp::parse("2025-04-01").unwrap()))
            .parse("a pr")
            .unwrap();
        assert_eq!(all, want);
        assert!(!all.matches(&json!({"a": 1})));
    }

    #[test]
    fn the_empty_filter_and_bad_input() {
        let empty: Filter = serde_json::from_value(json!("")).unwrap();
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_value(&empty).unwrap(), json!(""));
        let err =
            |v: serde_json::Value| serde_json::from_value::<Filter>(v).unwrap_err().to_string();
        assert!(
            err(json!("a eqq 1")).starts_with("invalid filter: "),
            "{}",
            err(json!("a eqq 1"))
        );
        assert!(
            err(json!({"text": "a pr", "ignorecase": true})).contains("unknown field `ignorecase`")
        );
        assert!(err(json!({"text": "a pr", "since": "yesterday"}))
            .starts_with("since: invalid date-time"));
        assert!(err(json!({"ignore_case": true})).contains("missing field `text`"));
        assert!(err(json!(3)).contains("a filter: its text, or a map"));
    }
}
