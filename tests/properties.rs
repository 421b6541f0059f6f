//! Property tests: printing round-trips, the parser never panics, the
//! bytes evaluator agrees with the `Value` evaluator on random filters and
//! random events (escaped spellings, shuffled keys, duplicate keys, nested
//! arrays, nulls and missing values, malformed bytes), and so does the
//! bytes extractor (`Path::raw_values`) with `Path::values`.

use oktaql::ast::{AttrPath, CompareOp, Comparison, Expr, Literal, Span};
use oktaql::{Filter, FilterSet, JsonError, Keywords, Path, Timestamp};
use proptest::prelude::*;
use serde_json::Value;

#[allow(dead_code)]
mod checks {
    include!("regression/checks.rs");
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "id",
    "type",
    "target",
    "eventType",
    "x_y",
    "A-b",
    "pr",
    "and",
    "published",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn path() -> impl Strategy<Value = AttrPath> {
    prop::collection::vec(name(), 1..=3).prop_map(|names| AttrPath {
        names,
        span: Span::default(),
    })
}

/// Strings that exercise escapes, dates, number and boolean spellings,
/// non-ASCII and case.
fn string_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "x",
            "X",
            "a b",
            "User",
            "user",
            "SUCCESS",
            "true",
            "false",
            "TRUE",
            "7018",
            "7018.0",
            "7.018e3",
            " 7018",
            "-0",
            "2024-05-01",
            "2024-05-01T10:00:00Z",
            "2024-05-01T12:00:00+02:00",
            "2024-05-01T10:00:00.000000001Z",
            "2024-02-30",
            "redacted",
            "été",
            "ÉTÉ",
            "a\"b",
            "a\\b",
            "/api/",
            "line\nbreak",
            "tab\t",
            "\u{1}",
            "😀",
            "null",
            "ΟΔΟΣ",
            "οδος",
            "Σ",
            "ς",
            "İ",
            "ẞ",
            "x\u{b}a",
            "a\u{85}b\u{c}x",
        ])
        .prop_map(str::to_owned),
        "[a-cA-C\"\\\\/ é😀\\n]{0,6}",
        cased_text(),
    ]
}

/// Text whose lower-casing is not trivial: Greek capitals and both small
/// sigmas, `İ` (which lower-cases to two characters), `ß`/`ẞ`, the Kelvin
/// sign, mixed with ASCII letters and separators.
fn cased_text() -> impl Strategy<Value = String> {
    "[aAiIsSΣσςΟοΔδΗηİıßẞKk\u{212A} \\-]{0,8}"
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0",
            "-0",
            "1",
            "7018",
            "7018.0",
            "7.018e3",
            "70.18E+2",
            "-1.5",
            "1e-3",
            "9007199254740993",
            "9007199254740992",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "0.1",
        ])
        .prop_map(str::to_owned),
        any::<i32>().prop_map(|i| i.to_string()),
    ]
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        4 => string_value().prop_map(Literal::String),
        2 => number_text().prop_map(Literal::Number),
        1 => any::<bool>().prop_map(Literal::Bool),
        1 => Just(Literal::Null),
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (
            path(),
            prop::sample::select(CompareOp::ALL.to_vec()),
            literal()
        )
            .prop_filter_map("operand type", |(path, op, value)| {
                op.accepts(&value).then(|| {
                    Expr::Compare(Comparison {
                        path,
                        op,
                        value,
                        span: Span::default(),
                    })
                })
            }),
        path().prop_map(|p| Expr::Present(p, Span::default())),
    ]
}

/// An and/or node as the parser builds it: left-associative, so a first
/// operand of the same kind is spliced in.
fn chain(mut v: Vec<Expr>, make: fn(Vec<Expr>, Span) -> Expr) -> Expr {
    let same =
        std::mem::discriminant(&v[0]) == std::mem::discriminant(&make(Vec::new(), Span::default()));
    if same {
        if let Expr::And(inner, _) | Expr::Or(inner, _) = v.remove(0) {
            v.splice(0..0, inner);
        }
    }
    make(v, Span::default())
}

/// Non-null literals that an `or` list on one path may hold: the leaf
/// literals plus dates spelled with other offsets and cases, numbers on
/// both sides of 2^53 and zero in its spellings, IP addresses, and texts
/// that lower-case alike.
fn list_literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        4 => list_string().prop_map(Literal::String),
        2 => list_number().prop_map(Literal::Number),
        1 => any::<bool>().prop_map(Literal::Bool),
    ]
}

fn list_string() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => string_value(),
        2 => prop::sample::select(vec![
            "2024-05-01T11:00:00+01:00",
            "2024-05-01t10:00:00z",
            "2024-05-01T10:00:00.0Z",
            "2024-05-01T00:00:00Z",
            "2024-04-30T22:00:00-02:00",
            "10.0.0.1",
            "10.0.0.10",
            "9007199254740993",
            "9007199254740992.0",
            "1e0",
            "0",
            "-0.0",
            "0e0",
            "Alice",
            "alice",
            "ALICE",
            "ΑΣ",
            "ας",
            "ασ",
            "İ",
            "i\u{307}",
            "K",
            "\u{212a}",
        ])
        .prop_map(str::to_owned),
        1 => (0..4u8, 0..4u8).prop_map(|(a, b)| format!("10.0.{a}.{b}")),
    ]
}

fn list_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => number_text(),
        1 => prop::sample::select(vec![
            "9007199254740992.0",
            "9.007199254740993e15",
            "9007199254740994",
            "-0.0",
            "0e0",
            "1E0",
            "18446744073709551616.0",
            "7018.000",
        ])
        .prop_map(str::to_owned),
    ]
}

/// `path op l1 or path op l2 …` (`eq`) or `… and …` (`ne`): what becomes
/// one set leaf. Mostly short lists, sometimes long ones.
fn literal_list(op: CompareOp) -> impl Strategy<Value = Expr> {
    let lits = prop_oneof![
        4 => prop::collection::vec(list_literal(), 2..20),
        1 => prop::collection::vec(list_literal(), 20..120),
    ];
    (path(), lits).prop_map(move |(path, lits)| {
        let operands = lits
            .into_iter()
            .map(|value| {
                Expr::Compare(Comparison {
                    path: path.clone(),
                    op,
                    value,
                    span: Span::default(),
                })
            })
            .collect();
        match op {
            CompareOp::Eq => Expr::Or(operands, Span::default()),
            _ => Expr::And(operands, Span::default()),
        }
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        8 => leaf(),
        1 => literal_list(CompareOp::Eq),
        1 => literal_list(CompareOp::Ne),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| chain(v, Expr::And)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| chain(v, Expr::Or)),
            inner
                .clone()
                .prop_map(|e| Expr::Not(Box::new(e), Span::default())),
            (path(), inner).prop_map(|(p, e)| Expr::ValuePath(p, Box::new(e), Span::default())),
        ]
    })
}

/// Random JSON over the same names, so paths hit often.
fn json() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        list_number().prop_map(|t| serde_json::from_str(&t).unwrap()),
        list_string().prop_map(Value::String),
    ];
    scalar.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// How to spell an event: which characters to write as `\u` escapes or
/// `\/`, key order, whitespace, and whether to repeat a key first.
#[derive(Clone, Debug)]
struct Spelling {
    seed: u64,
    escape_all: bool,
    pretty: bool,
    duplicate: bool,
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (
        any::<u64>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(seed, escape_all, pretty, duplicate)| Spelling {
            seed,
            escape_all,
            pretty,
            duplicate,
        })
}

struct Writer {
    rng: u64,
    s: Spelling,
    out: String,
    /// Write a repeated key's earlier value as a copy of its last one (so
    /// whatever it holds is found twice unless the last value counts)
    /// rather than `"shadowed"`.
    copy_shadowed: bool,
}

impl Writer {
    fn next(&mut self) -> u64 {
        // SplitMix64: deterministic from the seed.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn ws(&mut self) {
        if self.s.pretty && self.next() % 3 == 0 {
            let ws = ["\n  ", " ", "\t", "\r\n"][(self.next() % 4) as usize];
            self.out.push_str(ws);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let escape = self.s.escape_all || self.next() % 8 == 0;
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '/' if escape => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 || escape => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        let hex = format!("{:04x}", unit);
                        self.out.push_str("\\u");
                        if self.next() % 2 == 0 {
                            self.out.push_str(&hex.to_uppercase());
                        } else {
                            self.out.push_str(&hex);
                        }
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn value(&mut self, v: &Value) {
        self.ws();
        match v {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.out.push_str(&n.to_string()),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item);
                }
                self.ws();
                self.out.push(']');
            }
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                // Shuffle (Fisher-Yates) so key order varies.
                for i in (1..entries.len()).rev() {
                    let j = (self.next() % (i as u64 + 1)) as usize;
                    entries.swap(i, j);
                }
                self.out.push('{');
                let mut first = true;
                if self.s.duplicate && !entries.is_empty() && self.next() % 2 == 0 {
                    // An earlier value under a key that comes again: the
                    // last one counts.
                    // Values that filters and keywords would find, so an
                    // overwritten one that still counted shows; or a copy of
                    // the last value, so one that still counted is doubled.
                    const SHADOWED: &[&str] = &[
                        r#""shadowed""#,
                        r#""user""#,
                        r#""x""#,
                        r#""api redacted line""#,
                        r#"{"a":"user","b":[7018,"x"],"a":"été"}"#,
                        r#"["x","été",{"id":"user"}]"#,
                        "7018",
                        "null",
                        "true",
                        "{}",
                    ];
                    let (k, v) = entries[0];
                    self.string(k);
                    self.out.push(':');
                    if self.copy_shadowed {
                        self.value(v);
                    } else {
                        let pick = (self.next() % SHADOWED.len() as u64) as usize;
                        self.out.push_str(SHADOWED[pick]);
                    }
                    first = false;
                }
                for (k, v) in entries {
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    self.ws();
                    self.string(k);
                    self.ws();
                    self.out.push(':');
                    self.value(v);
                }
                self.ws();
                self.out.push('}');
            }
        }
    }
}

fn spell(v: &Value, s: &Spelling) -> String {
    spell_with(v, s, false)
}

fn spell_with(v: &Value, s: &Spelling, copy_shadowed: bool) -> String {
    let mut w = Writer {
        rng: s.seed,
        s: s.clone(),
        out: String::new(),
        copy_shadowed,
    };
    w.value(v);
    w.out
}

/// The values `raw_values` finds, each parsed by serde_json, checked to be
/// one JSON value with no whitespace around it.
fn parse_raw(found: &[&[u8]]) -> Result<Vec<Value>, TestCaseError> {
    found
        .iter()
        .map(|b| {
            let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
            prop_assert!(
                !b.first().is_some_and(ws) && !b.last().is_some_and(ws),
                "{:?}",
                b
            );
            serde_json::from_slice(b).map_err(|e| TestCaseError::fail(format!("{e}: {b:?}")))
        })
        .collect()
}

/// One level wrapped around an event: under a key or in an array (with
/// other elements around it).
#[derive(Clone, Debug)]
enum Wrap {
    Key(String),
    Array { before: usize, after: usize },
}

fn wrap() -> impl Strategy<Value = Wrap> {
    prop_oneof![
        name().prop_map(Wrap::Key),
        (0..2usize, 0..2usize).prop_map(|(before, after)| Wrap::Array { before, after }),
    ]
}

/// The command's extra conditions: Okta's since/until and `q` keywords,
/// mostly absent.
fn options() -> impl Strategy<Value = (Option<Timestamp>, Option<Timestamp>, Option<Keywords>)> {
    let ts = prop::option::weighted(
        0.15,
        prop::sample::select(vec!["2024-05-01", "2024-05-01T10:00:00Z", "1970-01-01"])
            .prop_map(|t| Timestamp::parse(t).unwrap()),
    );
    let kw = prop::option::weighted(
        0.2,
        prop::sample::select(vec![
            "x",
            "user",
            "7018",
            "été",
            "a b",
            "api",
            "redacted line",
            "a\u{b}b",
            "\u{85}x\u{a0}",
            "a-b",
        ])
        .prop_map(|k| Keywords::parse(k).unwrap()),
    );
    (ts.clone(), ts, kw)
}

/// Unicode's White_Space characters, written out (PropList.txt).
const WHITE_SPACE: &[char] = &[
    '\u{9}', '\u{a}', '\u{b}', '\u{c}', '\u{d}', '\u{20}', '\u{85}', '\u{a0}', '\u{1680}',
    '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}',
    '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
];

/// Words (letters, digits, `.`, `_` and the odd non-separator) joined by
/// runs of any White_Space characters, with white space around too.
fn spaced_words() -> impl Strategy<Value = (Vec<String>, String)> {
    let space = prop::collection::vec(prop::sample::select(WHITE_SPACE), 1..3)
        .prop_map(|v| v.into_iter().collect::<String>());
    (
        prop::collection::vec(
            ("[a-zA-Z0-9._éΣς\u{1c}\u{200b}]{1,6}", space.clone()),
            1..=10,
        ),
        prop::option::of(space),
    )
        .prop_map(|(parts, lead)| {
            let mut text = lead.unwrap_or_default();
            let mut words = Vec::new();
            for (w, sp) in parts {
                text.push_str(&w);
                text.push_str(&sp);
                words.push(w);
            }
            (words, text)
        })
}

/// Valid RFC 3339 date-times and dates, weighted towards the ends of years
/// 0000-9999, the largest offsets and long fractions.
fn timestamp_text() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        prop::sample::select(vec![0u32, 1, 1969, 1970, 2000, 9998, 9999]),
        0u32..=9999,
    ];
    let month = prop_oneof![prop::sample::select(vec![1u32, 2, 12]), 1u32..=12];
    let day = prop_oneof![prop::sample::select(vec![1u32, 28, 29, 30, 31]), 1u32..=31];
    let clock = prop_oneof![
        Just((0u32, 0u32, 0u32)),
        Just((23, 59, 59)),
        (0u32..24, 0u32..60, 0u32..60),
    ];
    let fraction = prop::option::of("[0-9]{1,9}");
    let zone = prop_oneof![
        prop::sample::select(vec![
            "Z", "z", "+23:59", "-23:59", "+00:01", "-00:01", "+00:00", "-00:00"
        ])
        .prop_map(str::to_owned),
        (any::<bool>(), 0u32..24, 0u32..60)
            .prop_map(|(neg, h, m)| format!("{}{h:02}:{m:02}", if neg { '-' } else { '+' })),
    ];
    (
        year,
        month,
        day,
        clock,
        fraction,
        zone,
        any::<bool>(),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(y, mo, d, (h, mi, s), frac, zone, upper_t, date_only)| {
            let date = format!("{y:04}-{mo:02}-{d:02}");
            if date_only {
                return date;
            }
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let t = if upper_t { 'T' } else { 't' };
            format!("{date}{t}{h:02}:{mi:02}:{s:02}{frac}{zone}")
        })
}

/// The same tree with only the operators that ignoring case may only widen:
/// `not` dropped, `ne` and the orderings turned into `eq`.
fn positive(e: Expr) -> Expr {
    match e {
        Expr::Or(v, s) => Expr::Or(v.into_iter().map(positive).collect(), s),
        Expr::And(v, s) => Expr::And(v.into_iter().map(positive).collect(), s),
        Expr::Not(inner, _) => positive(*inner),
        Expr::Compare(mut c) => {
            if !matches!(c.op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
                c.op = CompareOp::Eq;
            }
            Expr::Compare(c)
        }
        Expr::ValuePath(p, inner, s) => Expr::ValuePath(p, Box::new(positive(*inner)), s),
        e @ Expr::Present(..) => e,
    }
}

/// A string and an `eq`/`co`/`sw`/`ew` literal taken from it (so the
/// case-sensitive comparison holds), or an unrelated one.
fn cased_comparison() -> impl Strategy<Value = (String, CompareOp, String)> {
    let ops = prop::sample::select(vec![
        CompareOp::Eq,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
    ]);
    (
        cased_text(),
        ops,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        cased_text(),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(v, op, i, j, other, derived)| {
            let chars: Vec<char> = v.chars().collect();
            let (mut a, mut b) = (i.index(chars.len() + 1), j.index(chars.len() + 1));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let lit: String = match op {
                _ if !derived => other,
                CompareOp::Eq => v.clone(),
                CompareOp::Sw => chars[..b].iter().collect(),
                CompareOp::Ew => chars[a..].iter().collect(),
                _ => chars[a..b].iter().collect(),
            };
            (v, op, lit)
        })
}

/// The JSON value a literal stands for.
fn literal_value(l: &Literal) -> Value {
    match l {
        Literal::String(s) => Value::String(s.clone()),
        Literal::Number(n) => serde_json::from_str(n).unwrap(),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Null => Value::Null,
    }
}

/// Candidates a literal may equal, or nearly: the literal itself, its
/// text in other cases, a number as a string and a string as a number,
/// with other spellings (`7018.0`, `7018e0`), a boolean as a string.
fn spellings(l: &Literal) -> Vec<Value> {
    let number = |t: &str| {
        serde_json::from_str::<Value>(t)
            .ok()
            .filter(Value::is_number)
    };
    let mut out = vec![literal_value(l)];
    let text = match l {
        Literal::String(s) => {
            out.push(Value::String(s.to_uppercase()));
            out.push(Value::String(s.to_lowercase()));
            out.extend(number(s));
            s.clone()
        }
        Literal::Number(n) => {
            out.push(Value::String(n.clone()));
            n.clone()
        }
        Literal::Bool(b) => {
            out.push(Value::String(b.to_string()));
            return out;
        }
        Literal::Null => return out,
    };
    if number(&text).is_some() {
        for other in [format!("{text}e0"), format!("{text}.0")] {
            out.extend(number(&other));
            out.push(Value::String(other));
        }
    }
    out
}

/// How a literal list is put together.
#[derive(Clone, Copy, Debug)]
enum ListShape {
    /// `a.b eq l1 or a.b eq l2 …`
    Or,
    /// The same inside a value path: `t[a.b eq l1 or …]`, which is
    /// `t[a.b eq l1] or t[a.b eq l2] or …`.
    OrInValuePath,
    /// `not (a.b eq l1 or …)`
    NotOr,
    /// `a.b ne l1 and a.b ne l2 …`
    AndNe,
}

/// A literal list on `a.b` with a few other operands mixed in (another
/// path, `null`, `co`, `pr`), as operand texts, and an event whose values
/// at `a.b` are often literals of the list (or other spellings of them).
fn list_case() -> impl Strategy<Value = (ListShape, Vec<String>, Value)> {
    let lits = prop_oneof![
        3 => prop::collection::vec(list_literal(), 1..24),
        1 => prop::collection::vec(list_literal(), 24..400),
    ];
    let shape = prop::sample::select(vec![
        ListShape::Or,
        ListShape::OrInValuePath,
        ListShape::NotOr,
        ListShape::AndNe,
    ]);
    (shape, lits).prop_flat_map(|(shape, lits)| {
        let eq = !matches!(shape, ListShape::AndNe);
        let op = if eq { "eq" } else { "ne" };
        let other = prop_oneof![
            list_literal().prop_map(move |l| format!("c {op} {l}")),
            Just(format!("a.b {op} null")),
            Just(r#"a.b co "x""#.to_owned()),
            Just("a.b pr".to_owned()),
        ];
        // Up to two other operands, anywhere among the literals (the set
        // stands where its first comparison was).
        let others = prop::collection::vec((other, any::<prop::sample::Index>()), 0..3);
        let values: Vec<Value> = lits.iter().flat_map(spellings).collect();
        let candidate = prop_oneof![
            2 => prop::sample::select(values),
            2 => json().prop_filter("scalar", |v| !v.is_array() && !v.is_object()),
            1 => Just(Value::Null),
        ];
        let at_b = prop_oneof![
            candidate.clone(),
            prop::collection::vec(candidate, 0..4).prop_map(Value::Array),
        ];
        let object = (at_b, prop::option::of(json())).prop_map(|(b, c)| {
            let mut o = serde_json::Map::new();
            o.insert("a".into(), serde_json::json!({ "b": b }));
            if let Some(c) = c {
                o.insert("c".into(), c);
            }
            Value::Object(o)
        });
        let event = prop::collection::vec(object, 1..3).prop_map(move |objects| {
            if matches!(shape, ListShape::OrInValuePath) {
                serde_json::json!({ "t": objects })
            } else {
                objects.into_iter().next().unwrap()
            }
        });
        let operands: Vec<String> = lits.iter().map(|l| format!("a.b {op} {l}")).collect();
        (Just(shape), Just(operands), others, event).prop_map(
            |(shape, mut operands, others, event)| {
                for (o, at) in others {
                    operands.insert(at.index(operands.len() + 1), o);
                }
                (shape, operands, event)
            },
        )
    })
}

/// The paths (through objects and arrays) of the non-empty strings in `v`.
fn string_values(v: &Value, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match v {
        Value::String(s) if !s.is_empty() && !at.is_empty() => out.push((at.clone(), s.clone())),
        Value::Array(items) => items.iter().for_each(|x| string_values(x, at, out)),
        Value::Object(map) => {
            for (k, x) in map {
                at.push(k.clone());
                string_values(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every filter that parses translates to every SQL dialect, whatever
    /// the options, without panicking: one `COALESCE(...)` expression, the
    /// column quoted.
    #[test]
    fn every_filter_translates_to_every_dialect(
        e in expr(),
        ignore_case in any::<bool>(),
        invert in any::<bool>(),
        (since, until, keywords) in options(),
    ) {
        let f = Filter::builder()
            .ignore_case(ignore_case)
            .invert(invert)
            .since(since)
            .until(until)
            .keywords(keywords)
            .from_ast(&e)
            .unwrap();
        for d in oktaql::sql::Dialect::ALL {
            let sql = f.to_sql(d, "t.raw_json");
            prop_assert!(sql.is_ok(), "{d}: {:?}", sql.err());
            let sql = sql.unwrap();
            prop_assert!(sql.starts_with("COALESCE(") && sql.ends_with(')'), "{d}: {sql}");
            let quoted = if d == oktaql::sql::Dialect::DuckDb { "\"raw_json\"" } else { "`raw_json`" };
            prop_assert!(sql.contains(quoted), "{d}: {sql}");
        }
    }

    #[test]
    fn printed_ast_reparses_equal(e in expr()) {
        let text = e.to_string();
        let parsed = Filter::parse(&text);
        prop_assert!(parsed.is_ok(), "{text}: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.ast(), Some(&e), "{}", text);
        // And the canonical text is a fixed point.
        prop_assert_eq!(parsed.to_string(), text);
    }

    /// A tree the generator builds (all of them valid) compiles by hand
    /// to the filter its printed text parses to, and both decide alike.
    #[test]
    fn a_hand_built_tree_is_its_printed_text(e in expr(), v in json(), ignore_case in any::<bool>()) {
        let builder = Filter::builder().ignore_case(ignore_case);
        let from_tree = builder.from_ast(&e);
        prop_assert!(from_tree.is_ok(), "{}: {:?}", e, from_tree.err());
        let from_tree = from_tree.unwrap();
        let parsed = builder.parse(&e.to_string()).unwrap();
        prop_assert_eq!(&from_tree, &parsed);
        prop_assert_eq!(from_tree.matches(&v), parsed.matches(&v));
    }

    #[test]
    fn parser_never_panics(s in "[ -~\\t\\n\\r\u{e9}\u{1F600}]{0,40}") {
        match Filter::parse(&s) {
            Ok(f) => prop_assert_eq!(Filter::parse(&f.to_string()), Ok(f)),
            Err(e) => prop_assert!(e.offset() <= s.len() && s.is_char_boundary(e.offset())),
        }
        // Spans, round trip and the caret diagram, as the parse fuzz target checks.
        checks::check_parse(s.as_bytes());
    }

    #[test]
    fn parser_never_panics_on_filter_like_text(
        parts in prop::collection::vec(prop::sample::select(vec![
            "a", "b.c", " ", "eq", "ne", "co", "pr", "gt", "and", "or", "not", "(", ")", "[", "]", "\"x\"",
            "\"\\u00e9\"", "\"\\ud800\"", "1", "-1.5e3", "01", "true", "null", "'x'", ".", "\t", "\n",
            "\r\n", "\r", "\n\n", "é", "\"é\"",
        ]), 0..16),
        trailing in prop::sample::select(vec!["", "\n", "\r\n", " \n\n", "\n \t\n", "\r"])
    ) {
        // Filters pasted from a page often end with line breaks.
        let s: String = parts.concat() + trailing;
        match Filter::parse(&s) {
            Ok(f) => prop_assert_eq!(Filter::parse(&f.to_string()), Ok(f)),
            Err(e) => prop_assert!(e.offset() <= s.len()),
        }
        checks::check_parse(s.as_bytes());
    }

    #[test]
    fn bytes_evaluator_agrees_with_value_evaluator(
        e in expr(), v in json(), sp in spelling(), ignore_case in prop::bool::weighted(0.3),
        options in options()
    ) {
        let (since, until, keywords) = options;
        let filter = Filter::builder()
            .ignore_case(ignore_case)
            .invert(sp.seed % 5 == 0)
            .since(since)
            .until(until)
            .keywords(keywords)
            .parse(&e.to_string())
            .unwrap();
        let text = spell(&v, &sp);
        // What serde_json makes of the text (last duplicate wins) is the
        // reference.
        let value: Value = serde_json::from_str(&text).unwrap();
        let expected = filter.matches(&value);
        prop_assert_eq!(filter.matches_json(text.as_bytes()), Ok(expected), "{} on {}", filter, text);
        if expected {
            prop_assert!(filter.may_match(text.as_bytes()), "prefilter rejected a match: {} on {}", filter, text);
        }
    }

    /// The same, with a member nested deeper than serde_json's recursion
    /// limit beside the event's own members: the bytes evaluator has no
    /// depth limit, also when keys repeat (issue 8, item 2). The deep member
    /// holds no string and no name a filter uses, so the reference is the
    /// event without it.
    #[test]
    fn bytes_evaluator_agrees_beside_a_deep_member(
        e in expr(), map in prop::collection::vec((name(), json()), 1..5), sp in spelling(),
        ignore_case in prop::bool::weighted(0.3), options in options(), depth in 120..300usize
    ) {
        let (since, until, keywords) = options;
        let filter = Filter::builder()
            .ignore_case(ignore_case)
            .since(since)
            .until(until)
            .keywords(keywords)
            .parse(&e.to_string())
            .unwrap();
        let v = Value::Object(map.into_iter().collect());
        let text = spell(&v, &Spelling { duplicate: true, ..sp });
        let value: Value = serde_json::from_str(&text).unwrap();
        let deep = format!(r#"{{"deep-member":{}{{}}{},"#, "[".repeat(depth), "]".repeat(depth));
        let brace = text.find('{').unwrap();
        let text = format!("{}{}{}", &text[..brace], deep, &text[brace + 1..]);
        prop_assert_eq!(filter.matches_json(text.as_bytes()), Ok(filter.matches(&value)), "{} on {}", filter, text);
    }

    /// An error that is not "cut off" is decided by the bytes before it:
    /// whatever follows, the same error at the same byte (issue 8, item 7).
    #[test]
    fn errors_are_decided_by_the_bytes_before_them(
        e in expr(), v in json(), sp in spelling(), cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(), byte in any::<u8>(), mode in 0..3u8,
        tail in prop::collection::vec(any::<u8>(), 0..8), tail_json in json()
    ) {
        let filter = Filter::parse(&e.to_string()).unwrap();
        let mut bytes = spell(&v, &sp).into_bytes();
        match mode {
            0 => bytes.truncate(cut.index(bytes.len() + 1)),
            1 => { let i = flip.index(bytes.len()); bytes[i] = byte; }
            _ => bytes.insert(flip.index(bytes.len() + 1), byte),
        }
        if let Err(err) = filter.matches_json(&bytes) {
            if err.kind() != oktaql::JsonErrorKind::Truncated {
                for tail in [tail, spell(&tail_json, &sp).into_bytes(), b"   ".to_vec()] {
                    let longer = [&bytes[..], &tail[..]].concat();
                    prop_assert_eq!(filter.matches_json(&longer), Err(err),
                        "{:?} then {:?}", String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&tail));
                }
            }
        }
    }

    #[test]
    fn ignore_case_only_adds_matches_to_eq_co_sw_ew(
        (v, op, lit) in cased_comparison(), in_array in any::<bool>(), sp in spelling()
    ) {
        let text = format!("a {op} {}", Literal::String(lit.clone()));
        let sensitive = Filter::parse(&text).unwrap();
        let ignoring = Filter::builder().ignore_case(true).parse(&text).unwrap();
        let value = if in_array {
            serde_json::json!({"a": ["other", v]})
        } else {
            serde_json::json!({"a": v})
        };
        let bytes = spell(&value, &sp);
        if sensitive.matches(&value) {
            prop_assert!(ignoring.matches(&value), "{} matches {} but not with -i", text, bytes);
            prop_assert_eq!(ignoring.matches_json(bytes.as_bytes()), Ok(true), "{} on {}", text, bytes);
        }
        // The two evaluators agree either way.
        prop_assert_eq!(ignoring.matches_json(bytes.as_bytes()), Ok(ignoring.matches(&value)));
    }

    #[test]
    fn ignore_case_only_adds_matches_to_positive_filters(
        e in expr().prop_map(positive), v in json(), sp in spelling()
    ) {
        let text = e.to_string();
        let sensitive = Filter::parse(&text).unwrap();
        let ignoring = Filter::builder().ignore_case(true).parse(&text).unwrap();
        let bytes = spell(&v, &sp);
        if sensitive.matches(&v) {
            prop_assert!(ignoring.matches(&v), "{} matches {} but not with -i", text, bytes);
            prop_assert_eq!(ignoring.matches_json(bytes.as_bytes()), Ok(true), "{} on {}", text, bytes);
        }
    }

    #[test]
    fn keywords_and_values_split_on_the_same_white_space(
        (words, text) in spaced_words(), sp in spelling(), one_value in any::<bool>()
    ) {
        // The command's -k text splits into exactly the words...
        let k = Keywords::parse(&text).unwrap();
        prop_assert_eq!(k.words(), &words[..]);
        // ... and an event holding that text (or the words one per value)
        // satisfies them all: each word is one of its tokens.
        let value = if one_value {
            serde_json::json!({"a": text})
        } else {
            serde_json::json!({"a": words})
        };
        let filter = Filter::builder().keywords(Some(k)).parse("a pr").unwrap();
        let bytes = spell(&value, &sp);
        prop_assert!(filter.matches(&value), "{:?} on {}", text, bytes);
        prop_assert_eq!(filter.matches_json(bytes.as_bytes()), Ok(true), "{:?} on {}", text, bytes);
    }

    #[test]
    fn timestamp_display_parses_back_to_the_same_instant(text in timestamp_text()) {
        // Days past the end of the month are not dates.
        let Ok(t) = Timestamp::parse(&text) else {
            let day: u32 = text[8..10].parse().unwrap();
            prop_assert!(day >= 29, "{} does not parse", text);
            return Ok(());
        };
        let shown = t.to_string();
        let back = Timestamp::parse(&shown);
        prop_assert_eq!(back.clone(), Ok(t), "{} displays as {}", text, shown);
        prop_assert_eq!(back.unwrap().to_string(), shown.clone(), "{} displays as {}", text, shown);
        // UTC whenever that is within years 0000-9999, so it is for every
        // instant that is at least a day inside the range.
        let year: i64 = shown[..4].parse().unwrap();
        let inside = Timestamp::parse("0000-01-02").unwrap() <= t
            && t < Timestamp::parse("9999-12-31").unwrap();
        prop_assert!(!inside || shown.ends_with('Z'), "{} displays as {}", text, shown);
        prop_assert!((0..=9999).contains(&year));
    }

    #[test]
    fn bytes_evaluator_rejects_what_serde_json_rejects(
        e in expr(), v in json(), sp in spelling(), cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(), byte in any::<u8>(), mode in 0..3u8
    ) {
        let filter = Filter::parse(&e.to_string()).unwrap();
        let mut bytes = spell(&v, &sp).into_bytes();
        match mode {
            0 => bytes.truncate(cut.index(bytes.len() + 1)),
            1 => { let i = flip.index(bytes.len()); bytes[i] = byte; }
            _ => bytes.insert(flip.index(bytes.len() + 1), byte),
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value) => prop_assert_eq!(filter.matches_json(&bytes), Ok(filter.matches(&value))),
            Err(_) => prop_assert!(filter.matches_json(&bytes).is_err(),
                "accepted malformed: {:?}", String::from_utf8_lossy(&bytes)),
        }
    }

    /// A literal list answers exactly what its literals answer one by one:
    /// each operand is parsed as a filter of its own and the answers are
    /// combined in Rust. Both evaluators, and the prefilter lets every
    /// match through.
    #[test]
    fn literal_lists_answer_as_their_literals_one_by_one(
        case in list_case(), sp in spelling(), ignore_case in prop::bool::weighted(0.3)
    ) {
        let (shape, operands, event) = case;
        let builder = Filter::builder().ignore_case(ignore_case);
        let wrap = |e: &str| match shape {
            ListShape::OrInValuePath => format!("t[{e}]"),
            _ => e.to_owned(),
        };
        let text = match shape {
            ListShape::Or => operands.join(" or "),
            ListShape::OrInValuePath => wrap(&operands.join(" or ")),
            ListShape::NotOr => format!("not ({})", operands.join(" or ")),
            ListShape::AndNe => operands.join(" and "),
        };
        let filter = builder.parse(&text).unwrap();
        let one_by_one = operands
            .iter()
            .map(|o| builder.parse(&wrap(o)).unwrap().matches(&event));
        let expected = match shape {
            ListShape::Or | ListShape::OrInValuePath => one_by_one.into_iter().any(|m| m),
            ListShape::NotOr => !one_by_one.into_iter().any(|m| m),
            ListShape::AndNe => one_by_one.into_iter().all(|m| m),
        };
        // One line of NDJSON, with escapes.
        let line = spell(&event, &Spelling { pretty: false, ..sp });
        prop_assert_eq!(filter.matches(&event), expected, "{} on {}", text, event);
        prop_assert_eq!(filter.matches_json(line.as_bytes()), Ok(expected), "{} on {}", text, line);
        if expected {
            prop_assert!(filter.may_match(line.as_bytes()), "prefilter rejected a match: {} on {}", text, line);
            prop_assert_eq!(filter.candidate_lines(line.as_bytes()).count(), 1);
        }
    }

    /// A set of random filters, each with its own options, answers for
    /// every event what each filter answers alone: the bytes (the same
    /// error for malformed text), through the candidates of the event, the
    /// NDJSON batch path (a line it skips is one no filter selects), and
    /// the `Value`.
    #[test]
    fn a_filter_set_answers_as_its_filters_alone(
        filters in prop::collection::vec(
            (expr(), prop::bool::weighted(0.2), prop::bool::weighted(0.2), options()),
            1..8,
        ),
        events in prop::collection::vec((json(), spelling()), 1..5),
        cut in any::<prop::sample::Index>(), mode in 0..4u8, many in prop::bool::weighted(0.3),
    ) {
        let filters: Vec<Filter> = filters
            .into_iter()
            .map(|(e, ignore_case, invert, (since, until, keywords))| {
                Filter::builder()
                    .ignore_case(ignore_case)
                    .invert(invert)
                    .since(since)
                    .until(until)
                    .keywords(keywords)
                    .from_ast(&e)
                    .unwrap()
            })
            .collect();
        // Filters that some event satisfies through a literal (its own
        // string values: one whole, one by two overlapping parts, whose
        // needles the buffer search meets one inside the other), so that
        // needles hidden by escapes, by repeated keys and by each other
        // matter.
        let mut filters = filters;
        for (v, _) in &events {
            let mut found = Vec::new();
            string_values(v, &mut Vec::new(), &mut found);
            for (k, (names, text)) in found.into_iter().take(2).enumerate() {
                let chars: Vec<char> = text.chars().collect();
                let n = chars.len();
                let head: String = chars[..(2 * n).div_ceil(3)].iter().collect();
                let tail: String = chars[n / 3..].iter().collect();
                let tests = if k == 0 {
                    vec![(CompareOp::Co, head), (CompareOp::Co, tail)]
                } else {
                    vec![(CompareOp::Eq, text)]
                };
                for (op, lit) in tests {
                    let e = Expr::Compare(Comparison {
                        path: AttrPath { names: names.clone(), span: Span::default() },
                        op,
                        value: Literal::String(lit),
                        span: Span::default(),
                    });
                    filters.push(Filter::builder().from_ast(&e).unwrap());
                }
            }
        }
        if many {
            // Past 64 driving needles the quoted ones are found another way.
            filters.extend((0..65).map(|i| Filter::parse(&format!(r#"ioc eq "ioc-{i}""#)).unwrap()));
        }
        let set = FilterSet::new(filters);
        let mut lines: Vec<Vec<u8>> = events
            .iter()
            .map(|(v, sp)| spell(v, &Spelling { pretty: false, ..sp.clone() }).into_bytes())
            .collect();
        // Now and then one line cut short or with a stray byte: malformed.
        let at = cut.index(lines.len());
        match mode {
            0 => { let n = lines[at].len(); lines[at].truncate(n / 2); }
            1 => lines[at].push(b','),
            _ => {}
        }
        let alone = |line: &[u8]| -> Result<Vec<usize>, JsonError> {
            let each: Vec<_> = set.filters().iter().map(|f| f.matches_json(line)).collect();
            match each.iter().find_map(|r| r.err()) {
                Some(e) => {
                    assert!(each.iter().all(|r| *r == Err(e)));
                    Err(e)
                }
                None => Ok((0..each.len()).filter(|&i| each[i] == Ok(true)).collect()),
            }
        };
        let mut got = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let want = alone(line);
            let shown = String::from_utf8_lossy(line);
            let result = set.matches_json(line, &mut got).map(|()| got.clone());
            prop_assert_eq!(&result, &want, "{:?} on {}", set, shown);
            // Pretty-printed too (not one line): the same answers.
            let (v, sp) = &events[i];
            if i != at || mode >= 2 {
                let pretty = spell(v, &Spelling { pretty: true, ..sp.clone() });
                let result = set.matches_json(pretty.as_bytes(), &mut got).map(|()| got.clone());
                prop_assert_eq!(result, alone(pretty.as_bytes()), "{:?} on {}", set, pretty);
                let value: Value = serde_json::from_slice(line).unwrap();
                let want: Vec<usize> = (0..set.len()).filter(|&j| set.filters()[j].matches(&value)).collect();
                set.matches(&value, &mut got);
                prop_assert_eq!(&got, &want, "{:?} on {}", set, value);
            }
        }
        // The batch path over the lines as one NDJSON buffer.
        let buf = lines.join(&b'\n');
        let mut it = set.candidate_lines(&buf);
        let mut start = 0;
        let mut seen = 0;
        while let Some(r) = it.next() {
            // Lines before this one were skipped: nothing selects them.
            while start < r.start {
                prop_assert!(!matches!(alone(&lines[seen]), Ok(ref w) if !w.is_empty()),
                    "skipped a selected line: {}", String::from_utf8_lossy(&lines[seen]));
                start += lines[seen].len() + 1;
                seen += 1;
            }
            prop_assert_eq!(r.clone(), start..start + lines[seen].len());
            let result = set.matches_json_among(&buf[r], it.candidates(), &mut got).map(|()| got.clone());
            prop_assert_eq!(result, alone(&lines[seen]));
            start += lines[seen].len() + 1;
            seen += 1;
        }
        for line in &lines[seen..] {
            prop_assert!(!matches!(alone(line), Ok(ref w) if !w.is_empty()),
                "skipped a selected line: {}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn candidate_lines_agree_with_may_match_per_line(
        e in expr(), events in prop::collection::vec((json(), spelling()), 0..6), blank in any::<bool>()
    ) {
        let filter = Filter::parse(&e.to_string()).unwrap();
        let mut lines: Vec<String> = events.iter().map(|(v, sp)| {
            // Lines of NDJSON hold no raw newline.
            spell(v, &Spelling { pretty: false, ..sp.clone() })
        }).collect();
        if blank { lines.push(String::new()); }
        let buf = lines.join("\n");
        let got: Vec<&str> = filter.candidate_lines(buf.as_bytes()).map(|r| &buf[r]).collect();
        let want: Vec<&str> = buf.split_terminator('\n').filter(|l| filter.may_match(l.as_bytes())).collect();
        // Every line that may match is yielded (and, as it happens, nothing else).
        prop_assert_eq!(got, want);
    }
    #[test]
    fn raw_values_agree_with_path_values(
        v in json(), sp in spelling(), copy_shadowed in any::<bool>(),
        paths in prop::collection::vec(path(), 1..4)
    ) {
        let text = spell_with(&v, &sp, copy_shadowed);
        // serde_json's Value (last duplicate wins) is the reference.
        let value: Value = serde_json::from_str(&text).unwrap();
        let paths: Vec<Path> = paths.iter().map(|p| Path::parse(&p.names.join(".")).unwrap()).collect();
        let all = Path::raw_values_all(&paths, text.as_bytes());
        prop_assert!(all.is_ok(), "{:?} on {}", all, text);
        let all = all.unwrap();
        prop_assert_eq!(all.len(), paths.len());
        for (path, found) in paths.iter().zip(&all) {
            let got = parse_raw(found)?;
            let want: Vec<&Value> = path.values(&value);
            prop_assert_eq!(got.iter().collect::<Vec<_>>(), want, "{} on {}", path, text);
            // One path alone finds the same bytes.
            prop_assert_eq!(&path.raw_values(text.as_bytes()).unwrap(), found);
        }
    }

    #[test]
    fn raw_values_reject_what_serde_json_rejects(
        v in json(), sp in spelling(), path in path(), cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(), byte in any::<u8>(), mode in 0..3u8
    ) {
        let path = Path::parse(&path.names.join(".")).unwrap();
        let mut bytes = spell_with(&v, &sp, sp.seed % 2 == 0).into_bytes();
        match mode {
            0 => bytes.truncate(cut.index(bytes.len() + 1)),
            1 => { let i = flip.index(bytes.len()); bytes[i] = byte; }
            _ => bytes.insert(flip.index(bytes.len() + 1), byte),
        }
        let got = path.raw_values(&bytes);
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value) => {
                prop_assert!(got.is_ok(), "{:?} on {:?}", got, String::from_utf8_lossy(&bytes));
                let got = parse_raw(&got.unwrap())?;
                prop_assert_eq!(got.iter().collect::<Vec<_>>(), path.values(&value));
            }
            Err(_) => {
                prop_assert!(got.is_err(), "accepted malformed: {:?}", String::from_utf8_lossy(&bytes));
                // The same error, at the same byte, as the filter reports.
                let matched = Filter::parse("a pr").unwrap().matches_json(&bytes);
                prop_assert_eq!(got.map(|_| ()), matched.map(|_| ()), "{:?}", String::from_utf8_lossy(&bytes));
            }
        }
    }

    #[test]
    fn raw_values_at_any_depth(
        v in json(), sp in spelling(), inner in path(),
        wraps in prop::collection::vec(wrap(), 0..400)
    ) {
        // Deeper than serde_json goes: the reference is Path::values on the
        // event inside the wrapping, at the path inside it.
        let inner_path = Path::parse(&inner.names.join(".")).unwrap();
        let want: Vec<&Value> = inner_path.values(&v);
        let mut text = spell(&v, &sp);
        let mut names: Vec<String> = Vec::new();
        for w in &wraps {
            text = match w {
                Wrap::Key(k) => {
                    names.push(k.clone());
                    format!("{{\"zz\": {{}}, \"{k}\": {text}, \"zy\": 0}}")
                }
                Wrap::Array { before, after } => {
                    format!("[{}{text}{}]", "{}, ".repeat(*before), ", 1".repeat(*after))
                }
            };
        }
        names.reverse();
        names.extend(inner.names.iter().cloned());
        let path = Path::parse(&names.join(".")).unwrap();
        let got = path.raw_values(text.as_bytes());
        prop_assert!(got.is_ok(), "{:?}", got);
        let got = parse_raw(&got.unwrap())?;
        prop_assert_eq!(got.iter().collect::<Vec<_>>(), want);
    }
}

// ------------------------------------------------------------ oktaql check

/// Names that reach Okta's paths, its free-form maps, its enums and the checks' special cases.
const OKTA_NAMES: &[&str] = &[
    "outcome",
    "result",
    "Result",
    "severity",
    "debugContext",
    "debugData",
    "url",
    "requestUri",
    "requestURI",
    "target",
    "changeDetails",
    "to",
    "published",
    "eventType",
    "eventtype",
    "event_type",
    "type",
    "actor",
    "alternateId",
    "detailEntry",
    "risk",
    "level",
    "é",
];

fn okta_path() -> impl Strategy<Value = AttrPath> {
    // `é` is not a valid name: such paths are dropped by the filter below.
    prop::collection::vec(prop::sample::select(OKTA_NAMES), 1..=4).prop_filter_map(
        "ASCII names",
        |names| {
            names.iter().all(|n| n.is_ascii()).then(|| AttrPath {
                names: names.iter().map(|n| (*n).to_owned()).collect(),
                span: Span::default(),
            })
        },
    )
}

fn okta_literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        2 => prop::sample::select(vec![
            "SUCCESS", "success", "WARN", "WARNING", "succ", "", "2025-03-03", "é", "HIGH", "/oauth/",
        ])
        .prop_map(|s| Literal::String(s.to_owned())),
        2 => literal(),
    ]
}

fn okta_expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (
            okta_path(),
            prop::sample::select(CompareOp::ALL.to_vec()),
            okta_literal()
        )
            .prop_filter_map("operand type", |(path, op, value)| {
                op.accepts(&value).then(|| {
                    Expr::Compare(Comparison {
                        path,
                        op,
                        value,
                        span: Span::default(),
                    })
                })
            }),
        okta_path().prop_map(|p| Expr::Present(p, Span::default())),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| chain(v, Expr::And)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| chain(v, Expr::Or)),
            inner
                .clone()
                .prop_map(|e| Expr::Not(Box::new(e), Span::default())),
            (okta_path(), inner).prop_map(|(p, e)| Expr::ValuePath(
                p,
                Box::new(e),
                Span::default()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    /// `check` never panics on a filter that parses; every finding's span lies on character
    /// boundaries of the text, and its text and JSON forms render (the JSON parses).
    #[test]
    fn check_never_panics(
        e in prop_oneof![okta_expr(), expr()],
        wide in any::<bool>(),
        ignore_case in any::<bool>(),
    ) {
        use oktaql::check::{self, Options};
        let mut text = e.to_string();
        if wide {
            // Other offsets: every space doubled, and a line break in front.
            text = format!("\n {}", text.replace(' ', "  "));
        }
        let options = Options::new().ignore_case(ignore_case);
        let findings = check::check(&text, &options);
        prop_assert!(findings.is_ok(), "{text}: {:?}", findings.err());
        for f in findings.unwrap() {
            let sp = f.span();
            prop_assert!(sp.start < sp.end && sp.end <= text.len(), "{text}: {f:?}");
            prop_assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
            prop_assert!(f.display(&text).to_string().contains(&f.title()));
            let json: Result<Value, _> = serde_json::from_str(&f.to_json(&text));
            prop_assert!(json.is_ok(), "{}", f.to_json(&text));
            if let Some(s) = f.suggestion() {
                prop_assert!(!s.is_empty());
            }
        }
        // The hand-built tree with spans that fit nothing, too.
        let _ = check::check_ast(&e, "", &options);
        // And the notes' watch, on an event that has some of the paths.
        let filter = Filter::parse(&text).unwrap();
        let watch = check::Watch::new(&filter);
        watch.batch(true).lines(br#"{"outcome":{"result":"SUCCESS"},"target":[{"type":"User"}]}"#);
        let _ = watch.notes(usize::MAX);
    }
}
