//! Candidate values and the comparison rules shared by both evaluators.
//!
//! Both the `Value` evaluator and the bytes evaluator reduce what they find
//! at a path to [`Cand`]s and ask the same `Test` (`ir.rs`)
//! about them, so the semantics live here once.

use std::cmp::Ordering;

use crate::access::{Access, Kind};

/// One candidate value found at a path. Arrays never appear: they stand for
/// their elements.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cand<'a> {
    Null,
    Bool(bool),
    Num(Num),
    Str(&'a str),
    Object { empty: bool },
}

/// A JSON number as compared: integers that fit in 64 bits exactly,
/// everything else as f64.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    /// Parses the text of a valid JSON number (see [`crate::json::number_len`]).
    /// Returns `None` when it is outside f64's range (which makes the JSON
    /// invalid, as serde_json has it).
    pub(crate) fn parse(text: &str) -> Option<Num> {
        let integer = !text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'));
        if integer {
            if let Ok(i) = text.parse::<i128>() {
                if i >= i64::MIN as i128 && i <= u64::MAX as i128 {
                    return Some(Num::Int(i));
                }
            }
        }
        let f: f64 = text.parse().ok()?;
        f.is_finite().then_some(Num::Float(f))
    }

    pub(crate) fn from_json(n: &serde_json::Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i as i128)
        } else if let Some(u) = n.as_u64() {
            Num::Int(u as i128)
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    pub(crate) fn cmp(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }
}

/// The number a string holds when it is exactly a JSON number literal.
pub(crate) fn string_as_number(s: &str) -> Option<Num> {
    (crate::json::number_len(s.as_bytes()) == Some(s.len()))
        .then(|| Num::parse(s))
        .flatten()
}

/// The boolean a string holds when it is exactly `true` or `false`.
pub(crate) fn string_as_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The one definition of "ignoring case", used everywhere (comparisons,
/// `co`/`sw`/`ew` needles, keywords): each character replaced by its own
/// full lower-case mapping (`char::to_lowercase`), with no context. Unlike
/// `str::to_lowercase` there is no final-sigma rule (`Σ` is always `σ`), so
/// the mapping commutes with concatenation, `fold(a + b) == fold(a) +
/// fold(b)`: a string that equals, contains, starts or ends with another
/// still does after folding both, and ignoring case only adds matches. It is
/// also what SQL engines' `lower()` does per code point. ASCII, the common
/// case, is folded in place without allocating.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(fold_chars(s));
    }
}

/// The characters of `s` folded, lazily (see [`fold_into`]).
pub(crate) fn fold_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// What [`for_each_at`] calls on each value: the value, and what it is.
pub(crate) type Visit<'f, V> = dyn FnMut(&V, Kind<'_>) -> Result<bool, <V as Access>::Error> + 'f;

/// Calls `f` on each non-array value at `path` under `root`, with what it
/// is (arrays flattened at any depth, iteratively), until `f` returns true.
/// Returns whether it stopped early. Values are visited in document order.
pub(crate) fn for_each_at<V: Access, S: AsRef<str>>(
    root: &V,
    path: &[S],
    f: &mut Visit<'_, V>,
) -> Result<bool, V::Error> {
    // (value, how many path names are consumed)
    let mut stack: Vec<(V, usize)> = vec![(root.clone(), 0)];
    while let Some((v, depth)) = stack.pop() {
        match v.kind()? {
            Kind::Array => {
                // Pushed in order, then reversed: popped in document order.
                let from = stack.len();
                v.elements(&mut |x| stack.push((x, depth)))?;
                stack[from..].reverse();
            }
            // Not collapsible into the guard: a value at the path's end must
            // never fall through to the object arm below.
            kind if depth == path.len() =>
            {
                #[allow(clippy::collapsible_match)]
                if f(&v, kind)? {
                    return Ok(true);
                }
            }
            Kind::Object { .. } => {
                if let Some(next) = v.member(path[depth].as_ref())? {
                    stack.push((next, depth + 1));
                }
            }
            _ => {}
        }
    }
    Ok(false)
}

impl<'a> Cand<'a> {
    /// The candidate a value is (never an array: see [`for_each_at`]).
    pub(crate) fn from_kind(k: &'a Kind<'_>) -> Cand<'a> {
        match k {
            Kind::Null => Cand::Null,
            Kind::Bool(b) => Cand::Bool(*b),
            Kind::Number(n) => Cand::Num(Num::from_json(n)),
            Kind::String(s) => Cand::Str(s),
            Kind::Object { empty } => Cand::Object { empty: *empty },
            Kind::Array => unreachable!("arrays are flattened before they become candidates"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_exact_floats_by_value() {
        let a = Num::parse("9007199254740993").unwrap();
        let b = Num::parse("9007199254740992").unwrap();
        assert_eq!(a.cmp(b), Some(Ordering::Greater));
        let c = Num::parse("7.018e3").unwrap();
        assert_eq!(Num::parse("7018").unwrap().cmp(c), Some(Ordering::Equal));
        assert!(Num::parse("1e400").is_none());
        assert!(matches!(
            Num::parse("18446744073709551616"),
            Some(Num::Float(_))
        ));
        assert!(matches!(
            Num::parse("18446744073709551615"),
            Some(Num::Int(_))
        ));
        assert!(matches!(
            Num::parse("-9223372036854775809"),
            Some(Num::Float(_))
        ));
    }

    #[test]
    fn strings_as_literals() {
        assert!(string_as_number(" 7018").is_none());
        assert!(string_as_number("7018.0").is_some());
        assert_eq!(string_as_bool("TRUE"), None);
    }
}
