//! [`Expr`] → canonical filter text, and an indented tree for `--explain`.
//!
//! Canonical text: lower-case keywords, one space between tokens, `not (…)`,
//! `path[inner]`, strings escaped as JSON (only `"`, `\` and control
//! characters), numbers as written, and parentheses only where the tree
//! needs them: an `or` inside an `and`, and an `and`/`or` after the first
//! operand of one of the same kind (`a and (b and c)`: and/or are
//! left-associative, so `(a and b) and c` is just `a and b and c`).

use std::fmt::{self, Write};

use crate::ast::{AttrPath, Comparison, Expr, Literal};

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Or(operands, _) => join(f, operands, " or ", |first, e| {
                !first && matches!(e, Expr::Or(..))
            }),
            Expr::And(operands, _) => join(f, operands, " and ", |first, e| {
                matches!(e, Expr::Or(..)) || (!first && matches!(e, Expr::And(..)))
            }),
            Expr::Not(inner, _) => write!(f, "not ({inner})"),
            Expr::Compare(c) => c.fmt(f),
            Expr::Present(path, _) => write!(f, "{path} pr"),
            Expr::ValuePath(path, inner, _) => write!(f, "{path}[{inner}]"),
        }
    }
}

/// Writes operands joined by `sep`; `needs_parens(is_first, operand)`.
fn join(
    f: &mut fmt::Formatter<'_>,
    operands: &[Expr],
    sep: &str,
    needs_parens: fn(bool, &Expr) -> bool,
) -> fmt::Result {
    for (i, e) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if needs_parens(i == 0, e) {
            write!(f, "({e})")?;
        } else {
            write!(f, "{e}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.path, self.op, self.value)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => crate::json::write_string(f, s),
            Literal::Number(n) => f.write_str(n),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
        }
    }
}

impl Expr {
    /// An indented, one-node-per-line rendering of the tree (the command's
    /// `--explain`), with each node's byte span.
    ///
    /// ```
    /// use oktaql::Filter;
    ///
    /// let f = Filter::parse(r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#)?;
    /// assert_eq!(
    ///     f.ast().unwrap().tree(),
    ///     "and  @0..65\n  eventType eq \"user.session.start\"  @0..33\n  outcome.result eq \"FAILURE\"  @38..65\n",
    /// );
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn tree(&self) -> String {
        let mut out = String::new();
        // Iterative, so the output never depends on stack depth.
        let mut stack: Vec<(&Expr, usize)> = vec![(self, 0)];
        while let Some((e, depth)) = stack.pop() {
            let pad = "  ".repeat(depth);
            let s = e.span();
            let at = format!("@{}..{}", s.start, s.end);
            let _ = match e {
                Expr::Or(ops, _) | Expr::And(ops, _) => {
                    let name = if matches!(e, Expr::Or(..)) {
                        "or"
                    } else {
                        "and"
                    };
                    stack.extend(ops.iter().rev().map(|o| (o, depth + 1)));
                    writeln!(out, "{pad}{name}  {at}")
                }
                Expr::Not(inner, _) => {
                    stack.push((inner, depth + 1));
                    writeln!(out, "{pad}not  {at}")
                }
                Expr::Compare(c) => writeln!(out, "{pad}{} {} {}  {at}", c.path, c.op, c.value),
                Expr::Present(p, _) => writeln!(out, "{pad}{p} pr  {at}"),
                Expr::ValuePath(p, inner, _) => {
                    stack.push((inner, depth + 1));
                    writeln!(out, "{pad}{p}[…] (some object at {p} satisfies)  {at}")
                }
            };
        }
        out
    }
}
