//! [`arbitrary::Arbitrary`] for the parse tree (feature `arbitrary`), used by
//! the `roundtrip` fuzz target.
//!
//! # Why not `#[derive(Arbitrary)]`
//!
//! The tree's contract is that every [`Expr`] prints to a filter that parses
//! back to an equal tree. A derive would build trees no parser can produce,
//! and the fuzzer would drown in those false failures:
//!
//! - names that are not `[A-Za-z_][A-Za-z0-9_-]*` (empty, `a.b`, `é`), and
//!   `not` as the first name of a path (it is a keyword where a term starts);
//! - empty paths;
//! - number literals that are not JSON number text, or are outside f64's
//!   range (`abc`, `01`, `1e999`);
//! - operators with operands they do not accept (`co 5`, `gt true`, see
//!   [`CompareOp::accepts`]);
//! - `and`/`or` with fewer than two operands (a one-operand chain prints as
//!   its operand and parses back without the wrapper);
//! - unbounded depth, which would go past the parser's nest limit and the
//!   stack.
//!
//! So the impls below are written by hand: every value they build is a tree
//! the parser could have produced, with [`Span::default()`] spans (spans are
//! ignored by equality). Depth is at most [`MAX_DEPTH`] (below
//! [`DEFAULT_NEST_LIMIT`](crate::DEFAULT_NEST_LIMIT), since each level prints
//! at most one `(`, `not (` or `[`), and size is bounded by [`MAX_NODES`].

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};

/// The deepest tree built (the root is level 1).
const MAX_DEPTH: usize = 32;
/// Past this many nodes only leaves are built (operands already promised to
/// an `and`/`or` are still filled, so the hard bound is about
/// `MAX_NODES * MAX_OPERANDS`).
const MAX_NODES: usize = 200;
/// Operands of one `and`/`or`.
const MAX_OPERANDS: usize = 6;
/// Names in one path.
const MAX_NAMES: usize = 5;
/// Characters in a generated name.
const MAX_NAME_LEN: usize = 12;
/// Characters in a generated string (the `String::arbitrary` branch is bounded
/// by the input only).
const MAX_STRING_CHARS: usize = 24;

const NAME_START: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
const NAME_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789-";

/// Real attribute names and words the grammar treats specially elsewhere
/// (operators, logical keywords, literals), which are valid names.
const NAMES: &[&str] = &[
    "eventType",
    "actor",
    "target",
    "id",
    "type",
    "alternateId",
    "displayName",
    "outcome",
    "result",
    "debugContext",
    "debugData",
    "published",
    "client",
    "zone",
    "and",
    "AND",
    "or",
    "Or",
    "pr",
    "PR",
    "eq",
    "ne",
    "co",
    "sw",
    "ew",
    "gt",
    "ge",
    "lt",
    "le",
    "true",
    "false",
    "null",
    "not",
    "NOT",
    "nOt",
    "not_",
    "notx",
    "not-",
    "_",
    "_-",
    "a-",
    "x_y-z",
];

/// Strings that stress escaping, case folding, dates and number spellings.
const STRINGS: &[&str] = &[
    "",
    "SUCCESS",
    "user.session.start",
    "a\"b",
    "a\\b",
    "\\u0073",
    "/api/v1/",
    "line\nbreak\r\t",
    "\u{0}\u{1}\u{1f}\u{7f}",
    "\u{8}\u{c}",
    "\u{2028}\u{2029}",
    "été",
    "ÉTÉ",
    "ß",
    "İ",
    "😀",
    "\u{fffd}",
    "\u{10ffff}",
    "2024-05-01T10:00:00Z",
    "2024-05-01T12:00:00.123+02:00",
    "2024-02-30",
    "7018",
    "7.018e3",
    "true",
    "null",
    "]",
    ") or (",
    "not (",
];

/// Characters for the char-by-char string branch.
const CHARS: &[char] = &[
    '"',
    '\\',
    '/',
    '\n',
    '\r',
    '\t',
    '\u{0}',
    '\u{1f}',
    ' ',
    'a',
    'Z',
    'é',
    'É',
    'ß',
    'İ',
    'ı',
    '\u{2028}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{fffd}',
    '😀',
    '\u{10ffff}',
    '[',
    ']',
    '(',
    ')',
    '.',
];

/// Number texts at the edges: signs, exponents, integers past 2^53 and
/// 2^64, subnormals, the largest finite values.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1",
    "-1",
    "7018",
    "7.018e3",
    "70.18E+2",
    "7018e-0",
    "1e-400",
    "-1E-400",
    "4.9e-324",
    "2.2250738585072014e-308",
    "1.7976931348623157e308",
    "-1.7976931348623157E+308",
    "9007199254740992",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "0.30000000000000004",
];

impl<'a> Arbitrary<'a> for Expr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut budget = MAX_NODES;
        expr(u, 1, &mut budget)
    }
}

impl<'a> Arbitrary<'a> for Comparison {
    /// A comparison whose operator accepts its value.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let path = AttrPath::arbitrary(u)?;
        let value = Literal::arbitrary(u)?;
        let ops: Vec<CompareOp> = CompareOp::ALL
            .into_iter()
            .filter(|op| op.accepts(&value))
            .collect();
        let op = *u.choose(&ops)?;
        Ok(Comparison {
            path,
            op,
            value,
            span: Span::default(),
        })
    }
}

impl<'a> Arbitrary<'a> for AttrPath {
    /// One to [`MAX_NAMES`] valid names; the first is never `not` in any case.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let count = 1 + u.choose_index(MAX_NAMES).unwrap_or(0);
        let mut names = Vec::with_capacity(count);
        for i in 0..count {
            let mut n = name(u)?;
            if i == 0 && n.eq_ignore_ascii_case("not") {
                n.push('_');
            }
            names.push(n);
        }
        Ok(AttrPath {
            names,
            span: Span::default(),
        })
    }
}

impl<'a> Arbitrary<'a> for CompareOp {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(*u.choose(&CompareOp::ALL)?)
    }
}

impl<'a> Arbitrary<'a> for Literal {
    /// Strings (any Unicode), JSON number text within f64's range, booleans
    /// and null.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=7)? {
            0..=3 => Literal::String(string(u)?),
            4 | 5 => Literal::Number(number(u)?),
            6 => Literal::Bool(bool::arbitrary(u)?),
            _ => Literal::Null,
        })
    }
}

/// A tree at `depth` (1 = root). Takes one node from `budget`; once it is
/// spent, or at [`MAX_DEPTH`], only leaves are built.
fn expr(u: &mut Unstructured<'_>, depth: usize, budget: &mut usize) -> Result<Expr> {
    let compound = *budget > 0 && depth < MAX_DEPTH;
    *budget = budget.saturating_sub(1);
    // With no input left, int_in_range yields its lower bound: a leaf, so
    // generation always ends.
    let choice = if compound {
        u.int_in_range(0u8..=9)?
    } else {
        u.int_in_range(0u8..=4)?
    };
    Ok(match choice {
        0..=3 => Expr::Compare(Comparison::arbitrary(u)?),
        4 => Expr::Present(AttrPath::arbitrary(u)?, Span::default()),
        5 | 6 => {
            let n = 2 + u.choose_index(MAX_OPERANDS - 1).unwrap_or(0);
            let mut operands = Vec::with_capacity(n);
            for _ in 0..n {
                operands.push(expr(u, depth + 1, budget)?);
            }
            let make = if choice == 5 { Expr::And } else { Expr::Or };
            // and/or are left-associative: the parser splices a first
            // operand of the same kind, so build the tree it would build.
            if std::mem::discriminant(&operands[0])
                == std::mem::discriminant(&make(Vec::new(), Span::default()))
            {
                if let Expr::And(inner, _) | Expr::Or(inner, _) = operands.remove(0) {
                    operands.splice(0..0, inner);
                }
            }
            make(operands, Span::default())
        }
        7 | 8 => Expr::Not(Box::new(expr(u, depth + 1, budget)?), Span::default()),
        _ => {
            let path = AttrPath::arbitrary(u)?;
            Expr::ValuePath(path, Box::new(expr(u, depth + 1, budget)?), Span::default())
        }
    })
}

/// A name matching `[A-Za-z_][A-Za-z0-9_-]*`: from [`NAMES`] or built
/// character by character.
fn name(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1u8, 3)? {
        return Ok((*u.choose(NAMES)?).to_owned());
    }
    let len = 1 + u.choose_index(MAX_NAME_LEN).unwrap_or(0);
    let mut s = String::with_capacity(len);
    s.push(char::from(*u.choose(NAME_START)?));
    for _ in 1..len {
        s.push(char::from(*u.choose(NAME_CHARS)?));
    }
    Ok(s)
}

/// Any Unicode string: a dictionary entry, a mix of awkward characters and
/// arbitrary ones, or whatever valid UTF-8 the input holds.
fn string(u: &mut Unstructured<'_>) -> Result<String> {
    match u.int_in_range(0u8..=2)? {
        0 => Ok((*u.choose(STRINGS)?).to_owned()),
        1 => {
            let len = u.choose_index(MAX_STRING_CHARS + 1).unwrap_or(0);
            let mut s = String::new();
            for _ in 0..len {
                if bool::arbitrary(u)? {
                    s.push(*u.choose(CHARS)?);
                } else {
                    s.push(char::arbitrary(u)?);
                }
            }
            Ok(s)
        }
        _ => String::arbitrary(u),
    }
}

/// JSON number text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`)
/// whose value is a finite f64.
fn number(u: &mut Unstructured<'_>) -> Result<String> {
    let text = match u.int_in_range(0u8..=4)? {
        0 => (*u.choose(NUMBERS)?).to_owned(),
        1 => i64::arbitrary(u)?.to_string(),
        2 => {
            // Debug prints the shortest text that round-trips ("1e-7",
            // "0.1", "1.0"), Display-with-exponent "1.5e0"/"1E-7".
            let f = f64::from_bits(u64::arbitrary(u)?);
            if !f.is_finite() {
                return Ok("0".to_owned());
            }
            match u.int_in_range(0u8..=2)? {
                0 => format!("{f:?}"),
                1 => format!("{f:e}"),
                _ => format!("{f:E}"),
            }
        }
        _ => {
            // Built from the grammar, part by part.
            let mut s = String::new();
            if bool::arbitrary(u)? {
                s.push('-');
            }
            if u.ratio(1u8, 4)? {
                s.push('0');
            } else {
                s.push(char::from(b'1' + u.int_in_range(0u8..=8)?));
                digits(u, &mut s, 20)?;
            }
            if bool::arbitrary(u)? {
                s.push('.');
                s.push(char::from(b'0' + u.int_in_range(0u8..=9)?));
                digits(u, &mut s, 20)?;
            }
            if bool::arbitrary(u)? {
                s.push(*u.choose(&['e', 'E'])?);
                s.push_str(u.choose(&["", "+", "-"])?);
                s.push(char::from(b'0' + u.int_in_range(0u8..=9)?));
                digits(u, &mut s, 3)?;
            }
            s
        }
    };
    // Out of f64's range (`9e999`) is a parse error, not a literal.
    if text.parse::<f64>().is_ok_and(f64::is_finite) {
        Ok(text)
    } else {
        Ok("0".to_owned())
    }
}

/// Appends up to `max` more digits.
fn digits(u: &mut Unstructured<'_>, s: &mut String, max: usize) -> Result<()> {
    let n = u.choose_index(max + 1).unwrap_or(0);
    for _ in 0..n {
        s.push(char::from(b'0' + u.int_in_range(0u8..=9)?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_NEST_LIMIT;

    fn depth(e: &Expr) -> usize {
        1 + match e {
            Expr::Or(ops, _) | Expr::And(ops, _) => ops.iter().map(depth).max().unwrap_or(0),
            Expr::Not(inner, _) | Expr::ValuePath(_, inner, _) => depth(inner),
            Expr::Compare(_) | Expr::Present(..) => 0,
        }
    }

    /// Pseudo-random bytes (xorshift), so the test needs no extra crates.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn generated_trees_print_and_parse_back_equal() {
        for seed in 0..2000u64 {
            let data = bytes(seed, (seed as usize % 700) + 1);
            let expr = Expr::arbitrary(&mut Unstructured::new(&data)).expect("always builds");
            let text = expr.to_string();
            let parsed = crate::parse::parse(&text, DEFAULT_NEST_LIMIT)
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(parsed, expr, "{text}");
            assert_eq!(parsed.to_string(), text);
            assert!(depth(&expr) <= MAX_DEPTH, "{text}");
        }
    }

    fn nodes(e: &Expr) -> usize {
        1 + match e {
            Expr::Or(ops, _) | Expr::And(ops, _) => ops.iter().map(nodes).sum(),
            Expr::Not(inner, _) | Expr::ValuePath(_, inner, _) => nodes(inner),
            Expr::Compare(_) | Expr::Present(..) => 0,
        }
    }

    /// What the generator builds from `n` bytes is bounded, so no fuzz input
    /// can make a run allocate without limit: at most `1 + MAX_OPERANDS *
    /// MAX_NODES` nodes, and printed text of at most 256 bytes a node plus 6
    /// a byte of input (the `String::arbitrary` branch copies input bytes,
    /// and a control character prints as `\u001f`). Inputs of a repeated
    /// byte steer every choice the same way (all compound, all longest).
    #[test]
    fn size_is_bounded_by_the_input() {
        let max_nodes = 1 + MAX_OPERANDS * MAX_NODES;
        let inputs = (0..=255u8)
            .map(|b| vec![b; 4096])
            .chain((0..3000u64).map(|seed| bytes(seed, 4096)));
        for data in inputs {
            let expr = Expr::arbitrary(&mut Unstructured::new(&data)).expect("always builds");
            let n = nodes(&expr);
            assert!(n <= max_nodes, "{n} nodes from {} bytes", data.len());
            let text = expr.to_string().len();
            assert!(
                text <= 256 * n + 6 * data.len(),
                "{text} bytes of text from {n} nodes and {} bytes of input",
                data.len()
            );
        }
    }

    #[test]
    fn empty_input_gives_a_leaf() {
        let expr = Expr::arbitrary(&mut Unstructured::new(&[])).expect("always builds");
        assert!(matches!(expr, Expr::Compare(_)), "{expr:?}");
    }

    #[test]
    fn first_name_is_never_not() {
        for seed in 0..3000u64 {
            let data = bytes(seed, 16);
            let path = AttrPath::arbitrary(&mut Unstructured::new(&data)).expect("always builds");
            assert!(!path.names[0].eq_ignore_ascii_case("not"), "{path:?}");
        }
    }
}
