//! Membership of a candidate in a set of `eq` literals: what an `or` of
//! `eq`s on one path asks, in one lookup instead of one comparison per
//! literal.
//!
//! [`LitSet::contains`] answers exactly what testing each literal in turn
//! with [`Lit::equals`](crate::lit::Lit) answers; the sets are split
//! along the cases of that function so that each lookup is an exact
//! equality:
//!
//! - a string candidate against string literals: as instants when both are
//!   date-times, else by text (lower-cased under ignore-case). Texts are
//!   keyed with whether a date literal and whether another literal has
//!   them, since a date-time candidate meets date literals only as instants;
//! - a string candidate against number and boolean literals: the number or
//!   boolean it spells (exactly, never lower-cased);
//! - a number candidate against number literals and the numbers string
//!   literals spell; a boolean candidate likewise.
//!
//! Numbers compare as [`Num::cmp`] does: two integers exactly, anything
//! else as f64. That equality is not transitive (near 2^53 two integers
//! differ but equal the same float), so integers and floats are kept apart
//! and each side is also looked up converted to f64 among the other.

use std::collections::{HashMap, HashSet};

use crate::lit::Lit;
use crate::time::Timestamp;
use crate::value::{fold_into, string_as_bool, string_as_number, Cand, Num};

/// The literals of an `or` of `eq`s on one path (none of them `null`).
#[derive(Clone, Debug)]
pub(crate) struct LitSet {
    /// The literals in filter order, for the prefilter.
    pub lits: Vec<Lit>,
    ignore_case: bool,
    /// String literals by compared text.
    texts: HashMap<Box<str>, TextKinds>,
    /// The instants of the string literals that are date-times.
    dates: HashSet<Timestamp>,
    /// Number literals.
    nums: NumSet,
    /// Numbers spelled by string literals: they equal number candidates
    /// only.
    str_nums: NumSet,
    /// Boolean literals, indexed by the boolean.
    bools: [bool; 2],
    /// Booleans spelled by string literals (`"true"`): they equal boolean
    /// candidates only.
    str_bools: [bool; 2],
}

/// Which string literals have a given compared text.
#[derive(Clone, Copy, Debug, Default)]
struct TextKinds {
    /// Some literal that is not a date-time: it equals any candidate with
    /// this text.
    plain: bool,
    /// Some date-time literal: it equals a candidate with this text only
    /// when the candidate is not a date-time (a date-time candidate meets
    /// it as an instant, through `dates`). With today's folding a
    /// date-time candidate with this text always has the literal's instant
    /// too, so the distinction never changes an answer; it is kept so that
    /// the set mirrors `Lit::equals` case by case, whatever the folding.
    date: bool,
}

/// Numbers under [`Num::cmp`] equality.
#[derive(Clone, Debug, Default)]
struct NumSet {
    ints: HashSet<i128>,
    /// f64 keys (see [`key`]) of the float literals.
    floats: HashSet<u64>,
    /// f64 keys of the integer literals converted to f64.
    ints_as_f64: HashSet<u64>,
}

/// A hash key for an f64 that is equal exactly when the values are `==`
/// (not NaN): `-0.0` and `0.0` share one key.
fn key(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

impl NumSet {
    fn insert(&mut self, n: Num) {
        match n {
            Num::Int(i) => {
                self.ints.insert(i);
                self.ints_as_f64.insert(key(i as f64));
            }
            Num::Float(f) => {
                if !f.is_nan() {
                    self.floats.insert(key(f));
                }
            }
        }
    }

    /// Whether some member `m` has `n.cmp(m) == Some(Equal)`.
    fn contains(&self, n: Num) -> bool {
        match n {
            // Integer against integer exactly; against a float as f64.
            Num::Int(i) => self.ints.contains(&i) || self.floats.contains(&key(i as f64)),
            // A float against anything as f64; NaN equals nothing.
            Num::Float(f) => {
                !f.is_nan() && (self.floats.contains(&key(f)) || self.ints_as_f64.contains(&key(f)))
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.ints.is_empty() && self.floats.is_empty()
    }
}

impl LitSet {
    pub(crate) fn new(lits: Vec<Lit>, ignore_case: bool) -> LitSet {
        let mut set = LitSet {
            lits: Vec::new(),
            ignore_case,
            texts: HashMap::new(),
            dates: HashSet::new(),
            nums: NumSet::default(),
            str_nums: NumSet::default(),
            bools: [false; 2],
            str_bools: [false; 2],
        };
        for lit in &lits {
            match lit {
                Lit::Str(l) => {
                    debug_assert_eq!(l.ignore_case, ignore_case);
                    let kinds = set.texts.entry(l.text.clone()).or_default();
                    match l.date {
                        Some(d) => {
                            kinds.date = true;
                            set.dates.insert(d);
                        }
                        None => kinds.plain = true,
                    }
                    if let Some(n) = l.number {
                        set.str_nums.insert(n);
                    }
                    if let Some(b) = l.boolean {
                        set.str_bools[usize::from(b)] = true;
                    }
                }
                Lit::Num(n) => set.nums.insert(*n),
                Lit::Bool(b) => set.bools[usize::from(*b)] = true,
            }
        }
        set.lits = lits;
        set
    }

    /// Whether the candidate equals some literal of the set, as
    /// [`Lit::equals`](crate::lit::Lit) has it.
    pub(crate) fn contains(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match c {
            Cand::Str(s) => {
                if !self.nums.is_empty()
                    && string_as_number(s).is_some_and(|n| self.nums.contains(n))
                {
                    return true;
                }
                if string_as_bool(s).is_some_and(|b| self.bools[usize::from(b)]) {
                    return true;
                }
                if self.texts.is_empty() {
                    return false;
                }
                // A date-time candidate meets the date literals as an
                // instant, and only the others by text.
                let is_date = if self.dates.is_empty() {
                    false
                } else {
                    match Timestamp::parse(s).ok() {
                        Some(d) if self.dates.contains(&d) => return true,
                        Some(_) => true,
                        None => false,
                    }
                };
                let text = if self.ignore_case {
                    fold_into(s, scratch);
                    scratch.as_str()
                } else {
                    s
                };
                self.texts
                    .get(text)
                    .is_some_and(|k| k.plain || (k.date && !is_date))
            }
            Cand::Num(n) => self.nums.contains(n) || self.str_nums.contains(n),
            Cand::Bool(b) => self.bools[usize::from(b)] || self.str_bools[usize::from(b)],
            Cand::Null | Cand::Object { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Literal;

    fn lits(ls: &[Literal], ignore_case: bool) -> Vec<Lit> {
        ls.iter()
            .map(|l| Lit::new(l, ignore_case).expect("a valid literal"))
            .collect()
    }

    fn s(t: &str) -> Literal {
        Literal::String(t.to_owned())
    }

    fn n(t: &str) -> Literal {
        Literal::Number(t.to_owned())
    }

    /// The set's answer, checked against each literal in turn.
    fn contains(ls: &[Literal], ignore_case: bool, c: Cand<'_>) -> bool {
        let lits = lits(ls, ignore_case);
        let mut scratch = String::new();
        let one_by_one = lits.iter().any(|l| l.equals(c, &mut scratch));
        let set = LitSet::new(lits, ignore_case);
        let got = set.contains(c, &mut scratch);
        assert_eq!(
            got, one_by_one,
            "{ls:?} (ignore_case {ignore_case}) on {c:?}"
        );
        got
    }

    #[test]
    fn strings_dates_and_spellings() {
        let ls = [
            s("10.0.0.1"),
            s("2024-05-01T12:00:00+02:00"),
            s("7018"),
            s("true"),
        ];
        assert!(contains(&ls, false, Cand::Str("10.0.0.1")));
        assert!(!contains(&ls, false, Cand::Str("10.0.0.2")));
        // The same instant spelled otherwise.
        assert!(contains(&ls, false, Cand::Str("2024-05-01T10:00:00Z")));
        assert!(contains(&ls, false, Cand::Str("2024-05-01t10:00:00.000z")));
        assert!(!contains(&ls, false, Cand::Str("2024-05-01T10:00:01Z")));
        // A string literal spelling a number or boolean equals the number
        // or boolean, not another spelling of it as a string.
        assert!(contains(&ls, false, Cand::Num(Num::Float(7018.0))));
        assert!(contains(&ls, false, Cand::Str("7018")));
        assert!(!contains(&ls, false, Cand::Str("7018.0")));
        assert!(contains(&ls, false, Cand::Bool(true)));
        assert!(!contains(&ls, false, Cand::Bool(false)));
        assert!(!contains(&ls, false, Cand::Null));
        assert!(!contains(&ls, false, Cand::Object { empty: false }));
    }

    #[test]
    fn a_date_literal_meets_a_date_candidate_only_as_an_instant() {
        // The texts are equal under ignore-case, and the instants too.
        let ls = [s("2024-05-01T10:00:00Z")];
        assert!(contains(&ls, true, Cand::Str("2024-05-01t10:00:00z")));
        assert!(contains(&ls, false, Cand::Str("2024-05-01T12:00:00+02:00")));
        // A non-date candidate with the text of a date literal: only by
        // text, and a date-time with another text but the same instant.
        let ls = [s("2024-02-30"), s("2024-05-01")];
        assert!(contains(&ls, false, Cand::Str("2024-02-30")));
        assert!(contains(&ls, false, Cand::Str("2024-05-01T00:00:00Z")));
        assert!(!contains(&ls, false, Cand::Str("2024-05-01T00:00:01Z")));
    }

    #[test]
    fn ignore_case_folds_text_not_spellings() {
        let ls = [s("ÉTÉ"), s("Alice@Example.com"), n("1")];
        assert!(contains(&ls, true, Cand::Str("été")));
        assert!(contains(&ls, true, Cand::Str("alice@example.COM")));
        assert!(!contains(&ls, false, Cand::Str("alice@example.com")));
        assert!(contains(&ls, true, Cand::Str("1")));
        let ls = [Literal::Bool(true)];
        assert!(contains(&ls, true, Cand::Str("true")));
        assert!(!contains(&ls, true, Cand::Str("TRUE")));
    }

    #[test]
    fn numbers_as_num_cmp_has_them() {
        // Around 2^53 integers compare exactly, but each equals the float
        // nearest to it: equality is not transitive.
        let ls = [n("9007199254740993")];
        assert!(contains(&ls, false, Cand::Num(Num::Int(9007199254740993))));
        assert!(!contains(&ls, false, Cand::Num(Num::Int(9007199254740992))));
        assert!(contains(
            &ls,
            false,
            Cand::Num(Num::Float(9007199254740992.0))
        ));
        let ls = [n("9007199254740992.0")];
        assert!(contains(&ls, false, Cand::Num(Num::Int(9007199254740993))));
        assert!(contains(&ls, false, Cand::Num(Num::Int(9007199254740992))));
        assert!(contains(&ls, false, Cand::Str("9007199254740993")));
        // Zero is zero, whatever its sign or spelling.
        let ls = [n("-0.0"), n("5")];
        assert!(contains(&ls, false, Cand::Num(Num::Int(0))));
        assert!(contains(&ls, false, Cand::Num(Num::Float(0.0))));
        assert!(contains(&ls, false, Cand::Str("0e0")));
        assert!(contains(&ls, false, Cand::Str("5.0")));
        assert!(!contains(&ls, false, Cand::Num(Num::Float(f64::NAN))));
        assert!(!contains(&ls, false, Cand::Str(" 5")));
        // Integers beyond 64 bits are floats.
        let ls = [n("18446744073709551616")];
        assert!(contains(
            &ls,
            false,
            Cand::Num(Num::Float(18446744073709551616.0))
        ));
        assert!(contains(
            &ls,
            false,
            Cand::Num(Num::Int(18446744073709551615))
        ));
    }
}
