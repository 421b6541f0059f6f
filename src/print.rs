//! [`Expr`](crate::ast::Expr) → canonical filter text.
use crate::ast::Expr;
use std::fmt;

impl fmt::Display for Expr {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("printer")
    }
}

impl Expr {
    /// An indented, one-node-per-line rendering of the tree (the command's
    /// `--explain`).
    pub fn tree(&self) -> String {
        todo!("tree")
    }
}
