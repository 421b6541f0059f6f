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
            &["target.type", "target.alternateId", "target.displayName", "eventType"],
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
