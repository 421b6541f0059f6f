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

use crate::ast::{AttrPath, CompareOp, Expr, Literal, Span};
use crate::error::AstError;
use crate::ir::{Leaf, Lit, Needle, Node, Path, Test, ValuePath};
use crate::Options;

/// Lowers a parse tree with the filter's options.
pub(crate) fn lower(ast: &Expr, options: &Options) -> Result<Node, AstError> {
    check_depth(ast)?;
    let mut root = node(ast, options.ignore_case)?;
    if options.invert {
        root = Node::Not(Box::new(root));
    }
    let mut extra = Vec::new();
    let published: Path = Box::new(["published".into()]);
    if let Some(t) = options.since {
        extra.push(Node::Leaf(Leaf {
            path: published.clone(),
            test: Test::DateOrder(t, [false, true, true]),
        }));
    }
    if let Some(t) = options.until {
        extra.push(Node::Leaf(Leaf {
            path: published,
            test: Test::DateOrder(t, [true, false, false]),
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
    Ok(root)
}

/// Nesting (`not`, a parenthesised group, a value path) within
/// [`crate::MAX_NEST_LIMIT`], checked without recursion so that lowering
/// and printing, which recurse, are safe on a tree of any depth.
fn check_depth(ast: &Expr) -> Result<(), AstError> {
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
        Expr::Or(es, span) => Node::Or(operands(es, *span, ignore_case)?),
        Expr::And(es, span) => Node::And(operands(es, *span, ignore_case)?),
        Expr::Not(inner, _) => Node::Not(Box::new(node(inner, ignore_case)?)),
        Expr::Present(p, _) => Node::Leaf(Leaf {
            path: path(p)?,
            test: Test::Present,
        }),
        Expr::Compare(c) => {
            if !c.op.accepts(&c.value) {
                return Err(AstError::new("operand of the wrong type", c.span));
            }
            let string = || match &c.value {
                Literal::String(s) => Ok(s.as_str()),
                _ => Err(AstError::new("operand of the wrong type", c.span)),
            };
            let lit = || {
                Lit::new(&c.value, ignore_case)
                    .ok_or_else(|| AstError::new("invalid number", c.span))
            };
            let number_ok = match &c.value {
                Literal::Number(n) => {
                    crate::json::number_len(n.as_bytes()) == Some(n.len())
                        && crate::json::number_in_range(n)
                }
                _ => true,
            };
            if !number_ok {
                return Err(AstError::new("invalid number", c.span));
            }
            let test = match (c.op, &c.value) {
                (CompareOp::Eq | CompareOp::Ne, Literal::Null) => Test::EqNull,
                (CompareOp::Eq | CompareOp::Ne, _) => Test::Eq(lit()?),
                (CompareOp::Co, _) => Test::Contains(Needle::new(string()?, ignore_case)),
                (CompareOp::Sw, _) => Test::StartsWith(Needle::new(string()?, ignore_case)),
                (CompareOp::Ew, _) => Test::EndsWith(Needle::new(string()?, ignore_case)),
                (CompareOp::Gt, _) => Test::Order(lit()?, [false, false, true]),
                (CompareOp::Ge, _) => Test::Order(lit()?, [false, true, true]),
                (CompareOp::Lt, _) => Test::Order(lit()?, [true, false, false]),
                (CompareOp::Le, _) => Test::Order(lit()?, [true, true, false]),
            };
            let leaf = Node::Leaf(Leaf {
                path: path(&c.path)?,
                test,
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

fn operands(es: &[Expr], span: Span, ignore_case: bool) -> Result<Vec<Node>, AstError> {
    if es.len() < 2 {
        return Err(AstError::new(
            "`and`/`or` with fewer than two operands",
            span,
        ));
    }
    es.iter().map(|e| node(e, ignore_case)).collect()
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
