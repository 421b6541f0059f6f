//! Typed literals and the rules for comparing one candidate value with one:
//! equality (with the mixed-type spellings), the orderings, dates as
//! instants, ignore-case. The tests of `ir.rs` and the literal sets call
//! these; nothing else restates them.

use std::cmp::Ordering;

use crate::ast::Literal;
use crate::time::Timestamp;
use crate::value::{fold, fold_into, string_as_bool, string_as_number, Cand, Num};

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
            date: Timestamp::parse(s).ok(),
            number: string_as_number(s),
            boolean: string_as_bool(s),
        }
    }

    /// Compares a string candidate to this literal: as instants when both
    /// are date-times, else as text (folded under ignore-case).
    fn cmp_str(&self, c: &str, scratch: &mut String) -> Ordering {
        if let Some(d) = self.date {
            if let Ok(cd) = Timestamp::parse(c) {
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
    pub(crate) fn subject<'c>(&self, c: &'c str, scratch: &'c mut String) -> &'c str {
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
    pub(crate) fn order(&self, c: Cand<'_>, scratch: &mut String) -> Option<Ordering> {
        match (self, c) {
            (Lit::Str(l), Cand::Str(s)) => Some(l.cmp_str(s, scratch)),
            (Lit::Num(l), Cand::Num(n)) => n.cmp(*l),
            _ => None,
        }
    }
}

pub(crate) fn ordering_index(o: Ordering) -> usize {
    match o {
        Ordering::Less => 0,
        Ordering::Equal => 1,
        Ordering::Greater => 2,
    }
}
