//! The lowered filter: what a filter *means*, as a small tree of its own.
//!
//! The AST ([`crate::ast`]) is what the user wrote, with spans; this is what
//! the evaluators and the other backends read. Lowering (`lower.rs`)
//! is the one function from one to the other. In the IR:
//!
//! - `ne` is `not eq`; `pr`, `eq null` and the other operators are [`Test`]s
//!   on one path;
//! - literals are typed once: a string literal knows whether it is a
//!   date-time (pre-parsed), the JSON spelling of a number or a boolean, and
//!   carries its lower-cased form when case is ignored;
//! - the options are folded in as ordinary nodes: `-v` is a [`Node::Not`]
//!   around the filter, `since`/`until` are [`Test::DateOrder`] leaves on
//!   `published`, keywords are a [`Node::Keywords`] leaf, all under one
//!   [`Node::And`]; ignore-case lives in the literals.
//!
//! The matching rules for one candidate value ([`Test::holds`],
//! [`Lit::equals`], the orderings) live here, once; the `Value` evaluator
//! and the bytes scanner both call them. Evaluator-only indexes (the
//! scanner's trie and leaf numbering, the literal prefilter) are built from
//! this tree in their own files.

use std::cmp::Ordering;

use crate::ast::Literal;
use crate::keywords::Keywords;
use crate::time::Timestamp;
use crate::value::{fold, fold_into, string_as_bool, string_as_number, Cand, Num};

/// A path: the names, in order (never empty).
pub(crate) type Path = Box<[Box<str>]>;

/// The boolean structure of a lowered filter.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// All operands hold (true when there are none).
    And(Vec<Node>),
    /// Some operand holds.
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A test on the values at one path (relative to the event, or to the
    /// object a value path is looking at).
    Leaf(Leaf),
    /// `path[inner]`: some object at `path` satisfies `inner`.
    ValuePath(ValuePath),
    /// Okta's `q`: every keyword found in some string value of the event.
    Keywords(Keywords),
}

/// One comparison: a path and what each value there is asked.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    pub path: Path,
    pub test: Test,
}

/// A value path `path[inner]`.
#[derive(Clone, Debug)]
pub(crate) struct ValuePath {
    pub path: Path,
    pub inner: Box<Node>,
}

/// What a leaf asks of each candidate.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// `eq` with a non-null literal.
    Eq(Lit),
    /// `eq null`: holds when there is no candidate or some candidate is null.
    EqNull,
    Contains(Needle),
    StartsWith(Needle),
    EndsWith(Needle),
    /// gt/ge/lt/le: holds when the candidate compares to the literal as one
    /// of the accepted orderings.
    Order(Lit, [bool; 3]),
    Present,
    /// since/until: the candidate is a date-time and its instant compares
    /// to this one as one of the accepted orderings (index: Less, Equal,
    /// Greater).
    DateOrder(Timestamp, [bool; 3]),
}

/// A typed literal.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Str(StrLit),
    Num(Num),
    Bool(bool),
}

/// A string literal with everything a comparison may need, computed once.
#[derive(Clone, Debug)]
pub(crate) struct StrLit {
    /// The text to compare against: lower-cased under ignore-case.
    pub text: Box<str>,
    /// The text as written, for the mixed-type rules (which stay exact).
    pub exact: Box<str>,
    pub ignore_case: bool,
    pub date: Option<Timestamp>,
    pub number: Option<Num>,
    pub boolean: Option<bool>,
}

/// A co/sw/ew needle: lower-cased under ignore-case.
#[derive(Clone, Debug)]
pub(crate) struct Needle {
    pub text: Box<str>,
    pub ignore_case: bool,
}

impl StrLit {
    pub(crate) fn new(s: &str, ignore_case: bool) -> StrLit {
        StrLit {
            text: if ignore_case { fold(s) } else { s.to_owned() }.into(),
            exact: s.into(),
            ignore_case,
            date: Timestamp::parse(s),
            number: string_as_number(s),
            boolean: string_as_bool(s),
        }
    }

    /// Compares a string candidate to this literal: as instants when both
    /// are date-times, else as text (folded under ignore-case).
    fn cmp_str(&self, c: &str, scratch: &mut String) -> Ordering {
        if let Some(d) = self.date {
            if let Some(cd) = Timestamp::parse(c) {
                return cd.cmp(&d);
            }
        }
        if self.ignore_case {
            fold_into(c, scratch);
            scratch.as_str().cmp(&self.text)
        } else {
            c.cmp(&self.text)
        }
    }
}

impl Needle {
    pub(crate) fn new(s: &str, ignore_case: bool) -> Needle {
        Needle {
            text: if ignore_case { fold(s) } else { s.to_owned() }.into(),
            ignore_case,
        }
    }

    /// The candidate, folded when needed.
    fn subject<'c>(&self, c: &'c str, scratch: &'c mut String) -> &'c str {
        if self.ignore_case {
            fold_into(c, scratch);
            scratch
        } else {
            c
        }
    }
}

impl Lit {
    /// The typed literal; `None` for `null` (which is [`Test::EqNull`]) and
    /// for a number outside f64's range (which the parser never gives).
    pub(crate) fn new(l: &Literal, ignore_case: bool) -> Option<Lit> {
        Some(match l {
            Literal::String(s) => Lit::Str(StrLit::new(s, ignore_case)),
            Literal::Number(n) => Lit::Num(Num::parse(n)?),
            Literal::Bool(b) => Lit::Bool(*b),
            Literal::Null => return None,
        })
    }

    /// `eq`: same type and equal, or the mixed-type rule (a string that is
    /// exactly the JSON spelling of the number or boolean).
    pub(crate) fn equals(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match (self, c) {
            (Lit::Str(l), Cand::Str(s)) => l.cmp_str(s, scratch) == Ordering::Equal,
            (Lit::Str(l), Cand::Num(n)) => l
                .number
                .is_some_and(|ln| ln.cmp(n) == Some(Ordering::Equal)),
            (Lit::Str(l), Cand::Bool(b)) => l.boolean == Some(b),
            (Lit::Num(l), Cand::Num(n)) => l.cmp(n) == Some(Ordering::Equal),
            (Lit::Num(l), Cand::Str(s)) => {
                string_as_number(s).is_some_and(|sn| sn.cmp(*l) == Some(Ordering::Equal))
            }
            (Lit::Bool(l), Cand::Bool(b)) => *l == b,
            (Lit::Bool(l), Cand::Str(s)) => string_as_bool(s) == Some(*l),
            _ => false,
        }
    }

    /// The candidate's ordering relative to the literal, for gt/ge/lt/le:
    /// strings with strings (dates as instants), numbers with numbers.
    fn order(&self, c: Cand<'_>, scratch: &mut String) -> Option<Ordering> {
        match (self, c) {
            (Lit::Str(l), Cand::Str(s)) => Some(l.cmp_str(s, scratch)),
            (Lit::Num(l), Cand::Num(n)) => n.cmp(*l),
            _ => None,
        }
    }
}

fn ordering_index(o: Ordering) -> usize {
    match o {
        Ordering::Less => 0,
        Ordering::Equal => 1,
        Ordering::Greater => 2,
    }
}

impl Test {
    /// Whether one candidate satisfies the test. (For [`Test::EqNull`] this
    /// is "the candidate is null"; the leaf adds the no-candidate rule.)
    pub(crate) fn holds(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match self {
            Test::Eq(l) => l.equals(c, scratch),
            Test::EqNull => matches!(c, Cand::Null),
            Test::Contains(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).contains(&*n.text),
                _ => false,
            },
            Test::StartsWith(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).starts_with(&*n.text),
                _ => false,
            },
            Test::EndsWith(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).ends_with(&*n.text),
                _ => false,
            },
            Test::Order(l, accept) => l
                .order(c, scratch)
                .is_some_and(|o| accept[ordering_index(o)]),
            Test::Present => match c {
                Cand::Null => false,
                Cand::Str(s) => !s.is_empty(),
                Cand::Object { empty } => !empty,
                Cand::Bool(_) | Cand::Num(_) => true,
            },
            Test::DateOrder(t, accept) => match c {
                Cand::Str(s) => {
                    Timestamp::parse(s).is_some_and(|d| accept[ordering_index(d.cmp(t))])
                }
                _ => false,
            },
        }
    }

    /// The leaf's value from what was seen: whether any candidate existed
    /// and whether any satisfied [`holds`](Test::holds).
    pub(crate) fn result(&self, seen: bool, satisfied: bool) -> bool {
        match self {
            Test::EqNull => !seen || satisfied,
            _ => satisfied,
        }
    }
}
