//! A parse tree built by hand becomes a filter only if the parser could
//! have produced it (issue 9: "the AST can't lie"); every rejected shape is
//! named here, and an accepted tree means what its printed text means.

use oktaql::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
use oktaql::Filter;

fn path(names: &[&str]) -> AttrPath {
    AttrPath {
        names: names.iter().map(|n| n.to_string()).collect(),
        span: Span::default(),
    }
}

fn cmp(names: &[&str], op: CompareOp, value: Literal) -> Expr {
    Expr::Compare(Comparison {
        path: path(names),
        op,
        value,
        span: Span::new(3, 9),
    })
}

fn eq(names: &[&str], s: &str) -> Expr {
    cmp(names, CompareOp::Eq, Literal::String(s.into()))
}

fn rejected(e: &Expr) -> String {
    match Filter::builder().from_ast(e) {
        Ok(f) => panic!("accepted {e:?} as {f}"),
        Err(err) => err.message().to_owned(),
    }
}

#[test]
fn shapes_the_parser_never_gives_are_rejected() {
    let s = Span::default();
    let a = || eq(&["a"], "x");
    assert!(rejected(&Expr::And(vec![], s)).contains("fewer than two"));
    assert!(rejected(&Expr::Or(vec![a()], s)).contains("fewer than two"));
    assert!(rejected(&Expr::Not(Box::new(Expr::And(vec![a()], s)), s)).contains("fewer than two"));
    for names in [
        &[][..],
        &[""],
        &["a.b"],
        &["a b"],
        &["1a"],
        &["-a"],
        &["é"],
        &["a", ""],
        &["not"],
        &["NOT", "x"],
    ] {
        assert_eq!(
            rejected(&eq(names, "x")),
            "invalid attribute path",
            "{names:?}"
        );
        let present = Expr::Present(path(names), s);
        assert_eq!(rejected(&present), "invalid attribute path", "{names:?}");
        let vp = Expr::ValuePath(path(names), Box::new(a()), s);
        assert_eq!(rejected(&vp), "invalid attribute path", "{names:?}");
    }
    // `not` is fine after the first name.
    assert!(Filter::builder().from_ast(&eq(&["a", "not"], "x")).is_ok());
    for (op, value) in [
        (CompareOp::Co, Literal::Number("5".into())),
        (CompareOp::Sw, Literal::Bool(true)),
        (CompareOp::Ew, Literal::Null),
        (CompareOp::Gt, Literal::Bool(false)),
        (CompareOp::Le, Literal::Null),
    ] {
        assert_eq!(
            rejected(&cmp(&["a"], op, value)),
            "operand of the wrong type"
        );
    }
    for n in ["01", "1.", "+1", "", "1e400", "NaN", "0x10", " 1"] {
        let e = cmp(&["a"], CompareOp::Eq, Literal::Number(n.into()));
        assert_eq!(rejected(&e), "invalid number", "{n:?}");
    }
    // The error carries the node's span as the tree gives it.
    let err = Filter::builder()
        .from_ast(&cmp(&["a"], CompareOp::Co, Literal::Null))
        .unwrap_err();
    assert_eq!((err.span().start, err.span().end), (3, 9));
}

#[test]
fn nesting_past_the_limit_is_rejected_without_recursion() {
    let mut e = eq(&["a"], "x");
    for _ in 0..100_000 {
        e = Expr::Not(Box::new(e), Span::default());
    }
    assert_eq!(rejected(&e), "nesting too deep");
    // Dropping the tree recurses (it is the caller's); leak it instead.
    std::mem::forget(e);
    let mut e = eq(&["a"], "x");
    for _ in 0..oktaql::MAX_NEST_LIMIT {
        e = Expr::Not(Box::new(e), Span::default());
    }
    assert!(Filter::builder().from_ast(&e).is_ok());
}

#[test]
fn an_accepted_tree_means_what_its_text_means() {
    let s = Span::default();
    let tree = Expr::And(
        vec![
            Expr::Or(vec![eq(&["t"], "a\"b\\c"), eq(&["t"], "é\n")], s),
            cmp(&["n"], CompareOp::Ne, Literal::Number("7.018e3".into())),
            Expr::ValuePath(
                path(&["target"]),
                Box::new(Expr::Present(path(&["id"]), s)),
                s,
            ),
        ],
        s,
    );
    let from_tree = Filter::builder().ignore_case(true).from_ast(&tree).unwrap();
    let text = from_tree.to_string();
    assert_eq!(
        text,
        r#"(t eq "a\"b\\c" or t eq "é\n") and n ne 7.018e3 and target[id pr]"#
    );
    let parsed = Filter::builder().ignore_case(true).parse(&text).unwrap();
    assert_eq!(parsed, from_tree);
    for (event, want) in [
        (r#"{"t":"A\"B\\C","n":1,"target":[{"id":"x"}]}"#, true),
        (r#"{"t":"É\n","target":{"id":"x"}}"#, true),
        (r#"{"t":"é\n","n":7018,"target":{"id":"x"}}"#, false),
        (r#"{"t":"é\n","target":{"id":""}}"#, false),
    ] {
        let v: serde_json::Value = serde_json::from_str(event).unwrap();
        assert_eq!(from_tree.matches(&v), want, "{event}");
        assert_eq!(
            from_tree.matches_json(event.as_bytes()),
            Ok(want),
            "{event}"
        );
        assert_eq!(parsed.matches_json(event.as_bytes()), Ok(want), "{event}");
    }
}
