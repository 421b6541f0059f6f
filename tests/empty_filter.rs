//! The empty filter ([`FilterBuilder::empty_selects_all`]): every event,
//! narrowed by the options, on both evaluators.

use oktaql::{Filter, FilterBuilder, Keywords, ParseErrorKind, Timestamp};
use serde_json::Value;

const EVENTS: [&str; 4] = [
    r#"{"eventType":"user.session.start","published":"2025-03-03T08:00:00Z","actor":{"alternateId":"admin@example.com"}}"#,
    r#"{"eventType":"system.import.start","published":"2025-03-04T08:00:00Z","actor":{"displayName":"Admin"}}"#,
    r#"{"eventType":"user.session.end","published":"2025-03-05T08:00:00Z"}"#,
    r#"{}"#,
];

/// Which of EVENTS the filter selects, checked on both evaluators.
fn selected(f: &Filter) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, e) in EVENTS.iter().enumerate() {
        let by_bytes = f.matches_json(e.as_bytes()).unwrap();
        let value: Value = serde_json::from_str(e).unwrap();
        assert_eq!(f.matches(&value), by_bytes, "{f:?} on {e}");
        if by_bytes {
            assert!(f.may_match(e.as_bytes()));
            out.push(i);
        }
    }
    out
}

fn empty() -> FilterBuilder {
    Filter::builder().empty_selects_all(true)
}

#[test]
fn empty_and_whitespace_select_every_event() {
    for text in ["", " ", "\n", " \t\r\n "] {
        let f = empty().parse(text).unwrap();
        assert!(f.is_empty());
        assert_eq!(f.ast(), None);
        assert_eq!(f.to_string(), "");
        assert_eq!(selected(&f), [0, 1, 2, 3], "{text:?}");
        // Every line of NDJSON is a candidate.
        let buf = format!("{}\n{}\n", EVENTS[0], EVENTS[2]);
        assert_eq!(f.candidate_lines(buf.as_bytes()).count(), 2);
    }
    assert_eq!(empty().parse("").unwrap(), empty().parse("  ").unwrap());
}

#[test]
fn malformed_events_are_still_errors() {
    let f = empty().parse("").unwrap();
    for bad in ["{", r#"{"a":tru}"#, "{} x", "[1,"] {
        assert!(f.matches_json(bad.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn without_the_option_an_empty_filter_is_an_error() {
    for text in ["", "  \n"] {
        assert_eq!(
            Filter::parse(text).unwrap_err().kind(),
            ParseErrorKind::Empty
        );
        assert_eq!(
            Filter::builder().parse(text).unwrap_err().kind(),
            ParseErrorKind::Empty
        );
        assert_eq!(
            empty()
                .empty_selects_all(false)
                .parse(text)
                .unwrap_err()
                .kind(),
            ParseErrorKind::Empty
        );
    }
}

#[test]
fn a_non_empty_filter_is_unchanged_by_the_option() {
    let text = r#"eventType sw "user.""#;
    let f = empty().parse(text).unwrap();
    assert!(!f.is_empty());
    assert_eq!(f, Filter::parse(text).unwrap());
    assert_eq!(selected(&f), [0, 2]);
    // Errors other than an empty text are still errors.
    assert!(empty().parse("eventType eq").is_err());
    assert!(empty().parse("()").is_err());
}

#[test]
fn keywords_narrow_the_empty_filter() {
    let f = empty()
        .keywords(Some(Keywords::parse("admin").unwrap()))
        .parse("")
        .unwrap();
    // A whole string value ignoring case, or one of its tokens.
    assert_eq!(selected(&f), [0, 1]);
    let f = empty()
        .keywords(Some(Keywords::parse("admin@example.com").unwrap()))
        .parse("")
        .unwrap();
    assert_eq!(selected(&f), [0]);
}

#[test]
fn invert_of_the_empty_filter_selects_nothing() {
    let f = empty().invert(true).parse("").unwrap();
    assert_eq!(selected(&f), Vec::<usize>::new());
    let f = empty()
        .invert(true)
        .keywords(Some(Keywords::parse("admin").unwrap()))
        .parse("")
        .unwrap();
    assert_eq!(selected(&f), Vec::<usize>::new());
}

#[test]
fn since_and_until_narrow_the_empty_filter() {
    let f = empty()
        .since(Timestamp::parse("2025-03-04").ok())
        .until(Timestamp::parse("2025-03-05").ok())
        .parse("")
        .unwrap();
    assert_eq!(selected(&f), [1]);
}
