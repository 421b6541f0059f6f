//! The parse tree: what the user wrote, with byte spans, printable back to text.
//!
//! Equality ignores spans, so a filter printed with [`Display`](std::fmt::Display)
//! and parsed again compares equal to the original. `and`/`or` chains are n-ary
//! (`a and b and c` is one [`Expr::And`] with three operands), which keeps long
//! chains flat; parentheses the user wrote that change the tree are kept as
//! nesting, redundant ones leave no trace.
//!
//! ```
//! use oktaql::ast::{Expr, Span};
//! use oktaql::Filter;
//!
//! let a = Filter::parse(r#"((eventType eq "user.session.start")) and actor.id pr and outcome.result eq "FAILURE""#)?;
//! let Some(Expr::And(operands, span)) = a.ast() else { panic!("an and") };
//! assert_eq!(operands.len(), 3); // one n-ary `and`
//! assert_eq!(*span, Span::new(0, 85));
//!
//! // The redundant parentheses leave no trace: printed and parsed again,
//! // the tree is equal (its spans are not).
//! let printed = a.to_string();
//! assert_eq!(printed, r#"eventType eq "user.session.start" and actor.id pr and outcome.result eq "FAILURE""#);
//! let b = Filter::parse(&printed)?;
//! assert_eq!(a.ast(), b.ast());
//! assert_eq!(b.ast().unwrap().span(), Span::new(0, 81));
//!
//! // Parentheses that group are kept as nesting: two operands, the second an `or`.
//! let c = Filter::parse(r#"eventType eq "user.session.start" and (actor.id pr or outcome.result eq "FAILURE")"#)?;
//! let Some(Expr::And(operands, _)) = c.ast() else { panic!("an and") };
//! assert!(matches!(operands[..], [Expr::Compare(_), Expr::Or(..)]));
//! # Ok::<(), oktaql::ParseError>(())
//! ```

use std::fmt;

/// A half-open byte range `start..end` into the filter text.
///
/// ```
/// use oktaql::Filter;
///
/// let text = r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#;
/// let span = Filter::parse(text)?.ast().unwrap().span();
/// assert_eq!((span.start, span.end), (0, text.len()));
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The offset of the first byte.
    pub start: usize,
    /// The offset just past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    ///
    /// ```
    /// use oktaql::ast::Span;
    ///
    /// let s = Span::new(4, 9);
    /// assert_eq!((s.start, s.end), (4, 9));
    /// assert_eq!(s, Span { start: 4, end: 9 });
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A boolean expression node.
///
/// ```
/// use oktaql::ast::Expr;
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"eventType eq "user.session.start" and not (outcome.result eq "SUCCESS")"#)?;
/// let Some(Expr::And(operands, _)) = f.ast() else { panic!("an and") };
/// assert!(matches!(operands[0], Expr::Compare(_)));
/// assert!(matches!(operands[1], Expr::Not(..)));
/// assert_eq!(operands[1].to_string(), r#"not (outcome.result eq "SUCCESS")"#);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug)]
pub enum Expr {
    /// Two or more operands joined by `or`.
    Or(
        /// The operands, in order.
        Vec<Expr>,
        /// The bytes of the whole `or`.
        Span,
    ),
    /// Two or more operands joined by `and`.
    And(
        /// The operands, in order.
        Vec<Expr>,
        /// The bytes of the whole `and`.
        Span,
    ),
    /// `not (filter)`.
    Not(
        /// The filter inside the parentheses.
        Box<Expr>,
        /// The bytes from `not` to the closing `)`.
        Span,
    ),
    /// `path op value`.
    Compare(
        /// The comparison, with its own span.
        Comparison,
    ),
    /// `path pr`.
    Present(
        /// The path tested.
        AttrPath,
        /// The bytes from the path to `pr`.
        Span,
    ),
    /// `path[filter]`: some object at `path` satisfies the inner filter.
    ValuePath(
        /// The path before the `[`.
        AttrPath,
        /// The filter inside the brackets, its paths relative to the objects
        /// at the path.
        Box<Expr>,
        /// The bytes from the path to the `]`.
        Span,
    ),
}

impl Expr {
    /// The bytes of the filter this node was parsed from.
    ///
    /// ```
    /// use oktaql::ast::Expr;
    /// use oktaql::Filter;
    ///
    /// let text = r#"eventType eq "user.session.start" or actor.id pr"#;
    /// let Some(Expr::Or(operands, _)) = Filter::parse(text)?.ast().cloned() else { panic!() };
    /// let s = operands[1].span();
    /// assert_eq!(&text[s.start..s.end], "actor.id pr");
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
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
///
/// ```
/// use oktaql::ast::{CompareOp, Expr, Literal};
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
/// let Some(Expr::Compare(c)) = f.ast() else { panic!("a comparison") };
/// assert_eq!(c.path.names, ["outcome", "result"]);
/// assert_eq!(c.op, CompareOp::Eq);
/// assert_eq!(c.value, Literal::String("FAILURE".into()));
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The attribute on the left.
    pub path: AttrPath,
    /// The operator.
    pub op: CompareOp,
    /// The value on the right.
    pub value: Literal,
    /// The bytes of the whole comparison, from the path to the value.
    pub span: Span,
}

impl PartialEq for Comparison {
    fn eq(&self, other: &Comparison) -> bool {
        self.path == other.path && self.op == other.op && self.value == other.value
    }
}
impl Eq for Comparison {}

/// The comparison operators. `pr` is not one of them: it is [`Expr::Present`].
///
/// ```
/// use oktaql::ast::{CompareOp, Expr};
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"actor.alternateId SW "alice""#)?;
/// let Some(Expr::Compare(c)) = f.ast() else { panic!() };
/// assert_eq!(c.op, CompareOp::Sw);
/// assert_eq!(c.op.to_string(), "sw");
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains (strings).
    Co,
    /// `sw`: starts with (strings).
    Sw,
    /// `ew`: ends with (strings).
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

impl CompareOp {
    /// Every operator, in the order of the grammar (`eq ne co sw ew gt ge lt le`).
    ///
    /// ```
    /// use oktaql::ast::CompareOp;
    ///
    /// let words: Vec<&str> = CompareOp::ALL.iter().map(|op| op.as_str()).collect();
    /// assert_eq!(words.join(" "), "eq ne co sw ew gt ge lt le");
    /// ```
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
    ///
    /// ```
    /// use oktaql::ast::CompareOp;
    ///
    /// assert_eq!(CompareOp::Ge.as_str(), "ge");
    /// assert_eq!(CompareOp::Ew.as_str(), "ew");
    /// ```
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
    ///
    /// ```
    /// use oktaql::ast::{CompareOp, Literal};
    ///
    /// let five = Literal::Number("5".into());
    /// assert!(CompareOp::Gt.accepts(&five));
    /// assert!(!CompareOp::Co.accepts(&five));
    /// assert!(CompareOp::Eq.accepts(&Literal::Null));
    /// assert!(!CompareOp::Lt.accepts(&Literal::Bool(true)));
    /// ```
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
///
/// ```
/// use oktaql::ast::Expr;
/// use oktaql::Filter;
///
/// let text = r#"debugContext.debugData.importTrigger pr"#;
/// let Some(Expr::Present(path, _)) = Filter::parse(text)?.ast().cloned() else { panic!() };
/// assert_eq!(path.names, ["debugContext", "debugData", "importTrigger"]);
/// assert_eq!(&text[path.span.start..path.span.end], "debugContext.debugData.importTrigger");
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug)]
pub struct AttrPath {
    /// The names between the dots, in order.
    pub names: Vec<String>,
    /// The bytes of the path in the filter.
    pub span: Span,
}

impl PartialEq for AttrPath {
    fn eq(&self, other: &AttrPath) -> bool {
        self.names == other.names
    }
}
impl Eq for AttrPath {}

/// A literal value on the right of an operator.
///
/// ```
/// use oktaql::ast::{Expr, Literal};
/// use oktaql::Filter;
///
/// let value = |text: &str| match Filter::parse(text).unwrap().ast() {
///     Some(Expr::Compare(c)) => c.value.clone(),
///     _ => panic!("a comparison"),
/// };
/// assert_eq!(value(r#"outcome.reason eq "bad \"password\"""#), Literal::String(r#"bad "password""#.into()));
/// assert_eq!(value("securityContext.asNumber eq 7.018e3"), Literal::Number("7.018e3".into()));
/// assert_eq!(value("debugContext.debugData.risk eq null"), Literal::Null);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// The decoded string (escapes resolved).
    String(
        /// The string, escapes resolved.
        String,
    ),
    /// A JSON number, kept as written (`7.018e3`), so it prints back unchanged
    /// and integers compare exactly.
    Number(
        /// The number's text, as written.
        String,
    ),
    /// `true` or `false`.
    Bool(
        /// The value.
        bool,
    ),
    /// `null`.
    Null,
}
