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

use std::sync::Arc;

use crate::keywords::Keywords;
use crate::lit::{ordering_index, Cidr, Lit, Needle, Pattern, Re};
use crate::set::LitSet;
use crate::time::Timestamp;
use crate::value::Cand;

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
    /// Some string value anywhere in the event satisfies the test (a
    /// Sigma keyword selection). Only at event scope, never inside a
    /// value path.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    Anywhere(Arc<Test>),
}

/// One comparison: a path and what each value there is asked.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    pub path: Path,
    /// Shared with the scanner's index (`trie.rs`), which numbers it.
    pub test: Arc<Test>,
}

/// A value path `path[inner]`.
#[derive(Clone, Debug)]
pub(crate) struct ValuePath {
    pub path: Path,
    pub inner: Box<Node>,
}

impl Node {
    /// Calls `f` with every path the filter reads, from the event's root
    /// (a value path's inner paths after its own), in the order written.
    pub(crate) fn for_each_path(
        &self,
        prefix: &mut Vec<Box<str>>,
        f: &mut impl FnMut(&[Box<str>]),
    ) {
        match self {
            Node::And(ns) | Node::Or(ns) => ns.iter().for_each(|n| n.for_each_path(prefix, f)),
            Node::Not(n) => n.for_each_path(prefix, f),
            Node::Leaf(l) => {
                let at = prefix.len();
                prefix.extend(l.path.iter().cloned());
                f(prefix);
                prefix.truncate(at);
            }
            Node::ValuePath(vp) => {
                let at = prefix.len();
                prefix.extend(vp.path.iter().cloned());
                vp.inner.for_each_path(prefix, f);
                prefix.truncate(at);
            }
            Node::Keywords(_) | Node::Anywhere(_) => {}
        }
    }
}

/// What a leaf asks of each candidate.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// `eq` with a non-null literal.
    Eq(Lit),
    /// `eq` with any of several non-null literals: the `eq`s of one `or`
    /// on one path (or the `ne`s of one `and`, under a `not`).
    In(Box<LitSet>),
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
    /// A wildcard pattern (Sigma's values), with its own case rule.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    Like(Pattern),
    /// A regular expression found in the value (Sigma's `re`).
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    Regex(Box<Re>),
    /// The field exists, whatever its value, `null` included (Sigma's
    /// `exists`).
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    Exists,
    /// An IP address in a network (Sigma's `cidr`).
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    Cidr(Cidr),
}

impl Test {
    /// Whether one candidate satisfies the test. (For [`Test::EqNull`] this
    /// is "the candidate is null"; the leaf adds the no-candidate rule.)
    pub(crate) fn holds(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match self {
            Test::Eq(l) => l.equals(c, scratch),
            Test::In(set) => set.contains(c, scratch),
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
                Cand::Str(s) => Timestamp::parse(s).is_ok_and(|d| accept[ordering_index(d.cmp(t))]),
                _ => false,
            },
            Test::Like(p) => p.holds(c, scratch),
            Test::Regex(r) => r.holds(c),
            Test::Exists => true,
            Test::Cidr(net) => net.holds(c),
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
