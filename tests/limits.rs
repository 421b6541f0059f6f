//! Nesting limits and hostile filter sizes: clean errors, never a stack
//! overflow, in well under a second.

use oktaql::{Filter, ParseErrorKind, MAX_NEST_LIMIT};

fn nested(open: &str, close: &str, levels: usize) -> String {
    format!("{}a pr{}", open.repeat(levels), close.repeat(levels))
}

mod common;
use common::small_stack;

#[test]
fn max_nest_limit_fits_a_small_stack() {
    small_stack(|| {
        for (open, close) in [("(", ")"), ("not (", ")"), ("a[", "]")] {
            let text = nested(open, close, MAX_NEST_LIMIT);
            let f = Filter::builder()
                .nest_limit(MAX_NEST_LIMIT)
                .parse(&text)
                .unwrap();
            let event = br#"{"a":[{"a":{"a":1}}]}"#;
            let v: serde_json::Value = serde_json::from_slice(event).unwrap();
            assert_eq!(f.matches_json(event).unwrap(), f.matches(&v));
            // Printing keeps the nesting that is in the tree (`not (`, `[`);
            // redundant parentheses vanish.
            let printed = f.to_string();
            let again = Filter::builder()
                .nest_limit(MAX_NEST_LIMIT)
                .parse(&printed)
                .unwrap();
            assert_eq!(again, f);
            assert_eq!(printed == "a pr", open == "(");
            let err = Filter::builder()
                .nest_limit(MAX_NEST_LIMIT)
                .parse(&nested(open, close, MAX_NEST_LIMIT + 1))
                .unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::NestTooDeep);
        }
    });
}

#[test]
fn nest_limit_above_max_is_clamped() {
    let text = nested("(", ")", MAX_NEST_LIMIT + 1);
    let err = Filter::builder()
        .nest_limit(usize::MAX)
        .parse(&text)
        .unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::NestTooDeep);
    assert_eq!(err.offset(), MAX_NEST_LIMIT);
}

#[test]
fn hundred_thousand_levels_rejected_cleanly() {
    small_stack(|| {
        for (open, close, at) in [
            ("(", ")", 64),
            ("not (", ")", 64 * 5),
            ("a[", "]", 64 * 2 + 1),
        ] {
            let text = nested(open, close, 100_000);
            let err = Filter::parse(&text).unwrap_err();
            assert_eq!(err.kind(), ParseErrorKind::NestTooDeep, "{open}");
            assert_eq!(err.offset(), at, "{open}");
        }
    });
}

#[test]
fn hundred_thousand_terms_parse_print_and_match() {
    small_stack(|| {
        let text = vec!["a eq 1"; 100_000].join(" and ") + " or b pr";
        let f = Filter::parse(&text).unwrap();
        assert!(f.matches_json(br#"{"a":1}"#).unwrap());
        assert!(!f.matches_json(br#"{"a":2}"#).unwrap());
        assert!(f.matches_json(br#"{"b":true}"#).unwrap());
        assert_eq!(f.to_string(), text);
    });
}

#[test]
fn hundred_thousand_literals_in_one_list() {
    small_stack(|| {
        let or = (0..100_000)
            .map(|i| format!("a eq \"v{i}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        let f = Filter::parse(&or).unwrap();
        assert!(f.matches_json(br#"{"a":"v99999"}"#).unwrap());
        assert!(f.matches_json(br#"{"a":["x","v0"]}"#).unwrap());
        assert!(!f.matches_json(br#"{"a":"v100000"}"#).unwrap());
        assert!(f.may_match(br#"{"a":"v5"}"#));
        assert_eq!(f.to_string(), or);
        let and = or.replace(" eq ", " ne ").replace(" or ", " and ");
        let g = Filter::parse(&and).unwrap();
        assert!(!g.matches_json(br#"{"a":"v5"}"#).unwrap());
        assert!(g.matches_json(br#"{"a":"w5"}"#).unwrap());
        assert_eq!(g.to_string(), and);
    });
}

#[test]
fn megabyte_filter() {
    small_stack(|| {
        let big = "x".repeat(1 << 20);
        let f = Filter::parse(&format!("a eq \"{big}\"")).unwrap();
        assert!(!f.matches_json(br#"{"a":"x"}"#).unwrap());
        let err = Filter::parse(&format!("a eq \"{big}")).unwrap_err();
        assert_eq!(err.kind(), ParseErrorKind::InvalidString);
        assert_eq!(err.offset(), 5);
    });
}
