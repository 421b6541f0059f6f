//! AST → IR: the one function from what the user wrote ([`crate::ast`]) to
//! what it means ([`crate::ir`]).
//!
//! Lowering types every literal once, turns `ne` into `not eq`, and folds
//! the options in: `-v` becomes a `not` around the filter, `since`/`until`
//! become date tests on `published`, keywords a keyword leaf, all joined by
//! `and` (see the module docs of [`crate::ir`]).
//!
//! The AST is public, so a tree may have been built by hand rather than by
//! the parser. Lowering checks what the parser guarantees and rejects the
//! rest with an [`AstError`]: an `and`/`or` with fewer than two operands, a
//! path that is empty or whose names the grammar would read otherwise, an
//! operand of the wrong type for its operator, a number that is not a JSON
//! number within f64's range, nesting past [`MAX_NEST_LIMIT`].
//!
//! [`MAX_NEST_LIMIT`]: crate::MAX_NEST_LIMIT

use std::collections::HashMap;
use std::sync::Arc;

use crate::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
use crate::error::AstError;
use crate::ir::{Leaf, Node, Path, Test, ValuePath};
use crate::lit::{Lit, Needle};
use crate::set::LitSet;
use crate::Options;

/// Lowers a parse tree with the filter's options.
pub(crate) fn lower(ast: &Expr, options: &Options) -> Result<Node, AstError> {
    let root = node(ast, options.ignore_case)?;
    Ok(fold_options(root, options))
}

/// The empty filter (true for every event) with the filter's options: what
/// [`crate::FilterBuilder::empty_selects_all`] gives for an empty text.
pub(crate) fn lower_everything(options: &Options) -> Node {
    fold_options(Node::And(Vec::new()), options)
}

/// Folds the options around the lowered filter text (or around what a
/// Sigma rule lowers to).
pub(crate) fn fold_options(mut root: Node, options: &Options) -> Node {
    if options.invert {
        root = Node::Not(Box::new(root));
    }
    let mut extra = Vec::new();
    let published: Path = Box::new(["published".into()]);
    if let Some(t) = options.since {
        extra.push(Node::Leaf(Leaf {
            path: published.clone(),
            test: Arc::new(Test::DateOrder(t, [false, true, true])),
        }));
    }
    if let Some(t) = options.until {
        extra.push(Node::Leaf(Leaf {
            path: published,
            test: Arc::new(Test::DateOrder(t, [true, false, false])),
        }));
    }
    if let Some(k) = &options.keywords {
        // A positive conjunct of the root, never under a `not`: the bytes
        // scanner relies on it (an overwritten value can only add a match).
        extra.push(Node::Keywords(k.clone()));
    }
    if !extra.is_empty() {
        extra.insert(0, root);
        root = Node::And(extra);
    }
    root
}

/// Nesting (`not`, a parenthesised group, a value path) within
/// [`crate::MAX_NEST_LIMIT`], checked without recursion so that lowering
/// and printing, which recurse, are safe on a tree of any depth. The parser
/// enforces its own nest limit; a tree built by hand is checked with this
/// before it is lowered.
pub(crate) fn check_depth(ast: &Expr) -> Result<(), AstError> {
    let mut stack = vec![(ast, 0usize)];
    while let Some((e, depth)) = stack.pop() {
        if depth > crate::MAX_NEST_LIMIT {
            return Err(AstError::new("nesting too deep", e.span()));
        }
        match e {
            Expr::Or(es, _) | Expr::And(es, _) => {
                // An operand of the same kind is a group the user wrote.
                stack.extend(es.iter().map(|o| (o, depth + 1)));
            }
            Expr::Not(inner, _) | Expr::ValuePath(_, inner, _) => stack.push((inner, depth + 1)),
            Expr::Compare(_) | Expr::Present(..) => {}
        }
    }
    Ok(())
}

fn node(e: &Expr, ignore_case: bool) -> Result<Node, AstError> {
    Ok(match e {
        Expr::Or(es, span) => Node::Or(operands(es, *span, CompareOp::Eq, ignore_case)?),
        Expr::And(es, span) => Node::And(operands(es, *span, CompareOp::Ne, ignore_case)?),
        Expr::Not(inner, _) => Node::Not(Box::new(node(inner, ignore_case)?)),
        Expr::Present(p, _) => Node::Leaf(Leaf {
            path: path(p)?,
            test: Arc::new(Test::Present),
        }),
        Expr::Compare(c) => {
            let leaf = Node::Leaf(Leaf {
                path: path(&c.path)?,
                test: Arc::new(comparison(c, ignore_case)?),
            });
            if c.op == CompareOp::Ne {
                Node::Not(Box::new(leaf))
            } else {
                leaf
            }
        }
        Expr::ValuePath(p, inner, _) => Node::ValuePath(ValuePath {
            path: path(p)?,
            inner: Box::new(node(inner, ignore_case)?),
        }),
    })
}

/// The test of `path op value` (`ne` is the test of `eq`, negated by the
/// caller), with the checks the parser makes on the operand.
fn comparison(c: &Comparison, ignore_case: bool) -> Result<Test, AstError> {
    if !c.op.accepts(&c.value) {
        return Err(AstError::new("operand of the wrong type", c.span));
    }
    let string = || match &c.value {
        Literal::String(s) => Ok(s.as_str()),
        _ => Err(AstError::new("operand of the wrong type", c.span)),
    };
    let lit =
        || Lit::new(&c.value, ignore_case).ok_or_else(|| AstError::new("invalid number", c.span));
    if let Literal::Number(n) = &c.value {
        if crate::json::number_len(n.as_bytes()) != Some(n.len())
            || !crate::json::number_in_range(n)
        {
            return Err(AstError::new("invalid number", c.span));
        }
    }
    Ok(match (c.op, &c.value) {
        (CompareOp::Eq | CompareOp::Ne, Literal::Null) => Test::EqNull,
        (CompareOp::Eq | CompareOp::Ne, _) => Test::Eq(lit()?),
        (CompareOp::Co, _) => Test::Contains(Needle::new(string()?, ignore_case)),
        (CompareOp::Sw, _) => Test::StartsWith(Needle::new(string()?, ignore_case)),
        (CompareOp::Ew, _) => Test::EndsWith(Needle::new(string()?, ignore_case)),
        (CompareOp::Gt, _) => Test::Order(lit()?, [false, false, true]),
        (CompareOp::Ge, _) => Test::Order(lit()?, [false, true, true]),
        (CompareOp::Lt, _) => Test::Order(lit()?, [true, false, false]),
        (CompareOp::Le, _) => Test::Order(lit()?, [true, true, false]),
    })
}

/// The operands of an `or` (`op` is `eq`) or an `and` (`op` is `ne`).
/// Comparisons `path op literal` (literal not `null`) that share a path
/// with another such operand become one set leaf ([`Test::In`]), in the
/// place of the first: `a eq 1 or a eq 2` is `a in {1, 2}`, and
/// `a ne 1 and a ne 2` is `not (a in {1, 2})`. The set answers exactly as
/// the comparisons one by one; a long list of literals costs one lookup per
/// value instead of one comparison per literal. The other operands lower as
/// they are.
fn operands(
    es: &[Expr],
    span: Span,
    op: CompareOp,
    ignore_case: bool,
) -> Result<Vec<Node>, AstError> {
    if es.len() < 2 {
        return Err(AstError::new(
            "`and`/`or` with fewer than two operands",
            span,
        ));
    }
    fn set_op(e: &Expr, op: CompareOp) -> Option<&Comparison> {
        match e {
            Expr::Compare(c) if c.op == op && !matches!(c.value, Literal::Null) => Some(c),
            _ => None,
        }
    }
    // Most `and`s and `or`s have nothing to group: no map for them.
    if es
        .iter()
        .filter(|e| set_op(e, op).is_some())
        .nth(1)
        .is_none()
    {
        return es.iter().map(|e| node(e, ignore_case)).collect();
    }
    // The comparisons on each path, in filter order.
    let mut by_path: HashMap<&[String], Vec<&Comparison>> = HashMap::new();
    for c in es.iter().filter_map(|e| set_op(e, op)) {
        by_path.entry(&c.path.names).or_default().push(c);
    }
    let mut out = Vec::with_capacity(es.len());
    for e in es {
        let candidate = set_op(e, op);
        let group = candidate
            .and_then(|c| by_path.get(c.path.names.as_slice()))
            .filter(|g| g.len() > 1);
        let (Some(c), Some(group)) = (candidate, group) else {
            out.push(node(e, ignore_case)?);
            continue;
        };
        // The set stands where its first comparison was.
        if !std::ptr::eq(c, group[0]) {
            continue;
        }
        let mut lits = Vec::with_capacity(group.len());
        for c in group {
            // Each comparison is checked as it would be on its own.
            match comparison(c, ignore_case)? {
                Test::Eq(lit) => lits.push(lit),
                _ => return Err(AstError::new("operand of the wrong type", c.span)),
            }
        }
        let leaf = Node::Leaf(Leaf {
            path: path(&c.path)?,
            test: Arc::new(Test::In(Box::new(LitSet::new(lits, ignore_case)))),
        });
        out.push(if op == CompareOp::Ne {
            Node::Not(Box::new(leaf))
        } else {
            leaf
        });
    }
    Ok(out)
}

/// The path's names, if the grammar reads its text back as exactly these
/// names (so the filter prints as what it means): each a name
/// (`[A-Za-z_][A-Za-z0-9_-]*`), the first not the word `not`.
fn path(p: &AttrPath) -> Result<Path, AstError> {
    let is_name = |n: &str| {
        let mut cs = n.chars();
        cs.next().is_some_and(crate::parse::is_name_start) && cs.all(crate::parse::is_name_char)
    };
    let valid = p.names.iter().all(|n| is_name(n))
        && p.names
            .first()
            .is_some_and(|n| !n.eq_ignore_ascii_case("not"));
    if !valid {
        return Err(AstError::new("invalid attribute path", p.span));
    }
    Ok(p.names.iter().map(|n| n.as_str().into()).collect())
}

#[cfg(test)]
mod tests {
    use super::lower;
    use crate::ir::{Node, Test};
    use crate::Options;

    /// The lowered tree in a short form: leaves as `path:test`.
    fn shape(text: &str) -> String {
        fn node(n: &Node) -> String {
            let list = |ns: &[Node], sep: &str| ns.iter().map(node).collect::<Vec<_>>().join(sep);
            match n {
                Node::And(ns) => format!("({})", list(ns, " & ")),
                Node::Or(ns) => format!("({})", list(ns, " | ")),
                Node::Not(n) => format!("!{}", node(n)),
                Node::Leaf(leaf) => {
                    let test = match &*leaf.test {
                        Test::Eq(_) => "eq".to_owned(),
                        Test::In(set) => format!("in{}", set.lits.len()),
                        Test::EqNull => "null".to_owned(),
                        Test::Present => "pr".to_owned(),
                        _ => "other".to_owned(),
                    };
                    format!("{}:{test}", leaf.path.join("."))
                }
                Node::ValuePath(vp) => format!("{}[{}]", vp.path.join("."), node(&vp.inner)),
                Node::Keywords(_) => "q".to_owned(),
                Node::Anywhere(_) => "anywhere".to_owned(),
            }
        }
        let ast = crate::parse::parse(text, crate::MAX_NEST_LIMIT).unwrap();
        node(&lower(&ast, &Options::default()).unwrap())
    }

    #[test]
    fn eqs_on_one_path_become_one_set_leaf() {
        let list = (0..7000)
            .map(|i| format!(r#"ip eq "10.0.{}.{}""#, i / 256, i % 256))
            .collect::<Vec<_>>()
            .join(" or ");
        assert_eq!(shape(&list), "(ip:in7000)");
        // Other operands stay, in place; the set stands where its first
        // `eq` was; `null` and a lone `eq` are not folded.
        assert_eq!(
            shape(r#"b pr or a eq 1 or a.x eq 2 or a eq "s" or a eq null or a eq true or a.x pr"#),
            "(b:pr | a:in3 | a.x:eq | a:null | a.x:pr)"
        );
        // `ne`s of an `and`: the negated set.
        assert_eq!(shape(r#"a ne 1 and b eq 2 and a ne 3"#), "(!a:in2 & b:eq)");
        // `eq`s of an `and`, `ne`s of an `or`: as they are.
        assert_eq!(shape(r#"a eq 1 and a eq 2"#), "(a:eq & a:eq)");
        assert_eq!(shape(r#"a ne 1 or a ne 2"#), "(!a:eq | !a:eq)");
        // Each scope groups its own operands; the same path in another
        // scope is another path.
        assert_eq!(
            shape(r#"t[a eq 1 or a eq 2] or a eq 3 or a eq 4"#),
            "(t[(a:in2)] | a:in2)"
        );
        // Parenthesised lists are their own `or`s.
        assert_eq!(
            shape(r#"(a eq 1 or a eq 2) and (a eq 3 or b eq 4)"#),
            "((a:in2) & (a:eq | b:eq))"
        );
    }

    #[test]
    fn options_fold_in_as_nodes() {
        use crate::{Keywords, Timestamp};
        let ast = crate::parse::parse("a pr", 8).unwrap();
        let options = Options {
            ignore_case: false,
            invert: true,
            since: Timestamp::parse("2025-01-01").ok(),
            until: Timestamp::parse("2025-02-01").ok(),
            keywords: Some(Keywords::parse("x").unwrap()),
        };
        let Node::And(parts) = lower(&ast, &options).unwrap() else {
            panic!("an and of the filter and the options")
        };
        assert!(matches!(&parts[0], Node::Not(inner) if matches!(**inner, Node::Leaf(_))));
        for (part, accept) in parts[1..3]
            .iter()
            .zip([[false, true, true], [true, false, false]])
        {
            let Node::Leaf(leaf) = part else {
                panic!("a date leaf")
            };
            assert_eq!(&*leaf.path, &["published".into()] as &[Box<str>]);
            assert!(matches!(*leaf.test, Test::DateOrder(_, a) if a == accept));
        }
        assert!(matches!(parts[3], Node::Keywords(_)));
    }
}
