//! The parse tree: what the user wrote, with byte spans, printable back to text.
//!
//! Equality ignores spans, so a filter printed with [`Display`](std::fmt::Display)
//! and parsed again compares equal to the original. `and`/`or` chains are n-ary
//! (`a and b and c` is one [`Expr::And`] with three operands), which keeps long
//! chains flat; parentheses the user wrote that change the tree are kept as
//! nesting, redundant ones leave no trace.

use std::fmt;

/// A half-open byte range `start..end` into the filter text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A boolean expression node.
#[derive(Clone, Debug)]
pub enum Expr {
    /// Two or more operands joined by `or`.
    Or(Vec<Expr>, Span),
    /// Two or more operands joined by `and`.
    And(Vec<Expr>, Span),
    /// `not (filter)`.
    Not(Box<Expr>, Span),
    /// `path op value`.
    Compare(Comparison),
    /// `path pr`.
    Present(AttrPath, Span),
    /// `path[filter]`: some object at `path` satisfies the inner filter.
    ValuePath(AttrPath, Box<Expr>, Span),
}

impl Expr {
    /// The bytes of the filter this node was parsed from.
    pub fn span(&self) -> Span {
        match self {
            Expr::Or(_, s) | Expr::And(_, s) | Expr::Not(_, s) => *s,
            Expr::Compare(c) => c.span,
            Expr::Present(_, s) | Expr::ValuePath(_, _, s) => *s,
        }
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        match (self, other) {
            (Expr::Or(a, _), Expr::Or(b, _)) | (Expr::And(a, _), Expr::And(b, _)) => a == b,
            (Expr::Not(a, _), Expr::Not(b, _)) => a == b,
            (Expr::Compare(a), Expr::Compare(b)) => a == b,
            (Expr::Present(a, _), Expr::Present(b, _)) => a == b,
            (Expr::ValuePath(pa, a, _), Expr::ValuePath(pb, b, _)) => pa == pb && a == b,
            _ => false,
        }
    }
}
impl Eq for Expr {}

/// `path op value`.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub path: AttrPath,
    pub op: CompareOp,
    pub value: Literal,
    pub span: Span,
}

impl PartialEq for Comparison {
    fn eq(&self, other: &Comparison) -> bool {
        self.path == other.path && self.op == other.op && self.value == other.value
    }
}
impl Eq for Comparison {}

/// The comparison operators. `pr` is not one of them: it is [`Expr::Present`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    pub const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The operator's keyword, lower-case.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// Whether `value` is a valid operand for this operator: co/sw/ew take a
    /// string, gt/ge/lt/le a string or a number, eq/ne anything.
    pub fn accepts(self, value: &Literal) -> bool {
        match self {
            CompareOp::Eq | CompareOp::Ne => true,
            CompareOp::Co | CompareOp::Sw | CompareOp::Ew => matches!(value, Literal::String(_)),
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le => {
                matches!(value, Literal::String(_) | Literal::Number(_))
            }
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dotted attribute path such as `debugContext.debugData.importTrigger`.
/// Names are case-sensitive.
#[derive(Clone, Debug)]
pub struct AttrPath {
    pub names: Vec<String>,
    pub span: Span,
}

impl PartialEq for AttrPath {
    fn eq(&self, other: &AttrPath) -> bool {
        self.names == other.names
    }
}
impl Eq for AttrPath {}

/// A literal value on the right of an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// The decoded string (escapes resolved).
    String(String),
    /// A JSON number, kept as written (`7.018e3`), so it prints back unchanged
    /// and integers compare exactly.
    Number(String),
    Bool(bool),
    Null,
}
