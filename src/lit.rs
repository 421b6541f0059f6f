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

/// One piece of a wildcard [`Pattern`].
#[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Characters compared as they are (folded under ignore-case).
    Text(Box<str>),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, the empty one too.
    Any,
}

/// A wildcard pattern (Sigma's values): text with `?` and `*`, matched
/// against the whole of a string, case-sensitively or ignoring case (both
/// sides [`fold`]ed, so `?` is one character of the folded text). A number
/// or a boolean candidate is matched by its text: `true`, `false`, an
/// integer in decimal, any other number as the shortest decimal that reads
/// back as its value (`5.0` is `5`, `1e2` is `100`).
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    /// Adjacent texts merged, runs of `*` made one; texts folded under
    /// ignore-case.
    parts: Box<[Part]>,
    pub ignore_case: bool,
    shape: Shape,
    /// For a pattern without wildcards that is a JSON number: that number,
    /// which a number candidate may also equal by value.
    number: Option<Num>,
}

/// The common shapes, matched without the general walk.
#[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
#[derive(Clone, Debug)]
enum Shape {
    /// No wildcard: equal.
    Exact,
    /// `text*`
    Prefix,
    /// `*text`
    Suffix,
    /// `*text*`
    Contains,
    /// `*` alone: any string.
    Everything,
    General,
}

impl Pattern {
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    pub(crate) fn new(parts: Vec<Part>, ignore_case: bool) -> Pattern {
        let mut out: Vec<Part> = Vec::with_capacity(parts.len());
        for p in parts {
            match (out.last_mut(), p) {
                (_, Part::Text(t)) if t.is_empty() => {}
                (Some(Part::Text(prev)), Part::Text(t)) => {
                    *prev = format!("{prev}{t}").into();
                }
                (Some(Part::Any), Part::Any) => {}
                (_, p) => out.push(p),
            }
        }
        if ignore_case {
            for p in &mut out {
                if let Part::Text(t) = p {
                    *t = fold(t).into();
                }
            }
        }
        let shape = match out.as_slice() {
            [] | [Part::Text(_)] => Shape::Exact,
            [Part::Text(_), Part::Any] => Shape::Prefix,
            [Part::Any, Part::Text(_)] => Shape::Suffix,
            [Part::Any, Part::Text(_), Part::Any] => Shape::Contains,
            [Part::Any] => Shape::Everything,
            _ => Shape::General,
        };
        let number = match (&shape, out.as_slice()) {
            (Shape::Exact, [Part::Text(t)]) => string_as_number(t),
            _ => None,
        };
        Pattern {
            parts: out.into(),
            ignore_case,
            shape,
            number,
        }
    }

    /// The pieces, texts folded under ignore-case.
    pub(crate) fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// For a pattern without wildcards that is a JSON number: that number
    /// (a number candidate equal to it by value matches).
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // read by sql/ for Sigma rules
    pub(crate) fn number(&self) -> Option<Num> {
        self.number
    }

    /// Whether the candidate matches: a string by its content, a number or
    /// a boolean by its text; null and objects never.
    pub(crate) fn holds(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match c {
            Cand::Str(s) => self.matches(s, scratch),
            Cand::Bool(b) => self.matches(if b { "true" } else { "false" }, scratch),
            Cand::Num(n) => {
                self.number
                    .is_some_and(|l| l.cmp(n) == Some(Ordering::Equal))
                    || self.matches(&num_text(n), scratch)
            }
            Cand::Null | Cand::Object { .. } => false,
        }
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn matches(&self, s: &str, scratch: &mut String) -> bool {
        let s = if self.ignore_case {
            fold_into(s, scratch);
            scratch.as_str()
        } else {
            s
        };
        let text = |i: usize| match &self.parts[i] {
            Part::Text(t) => &**t,
            _ => "",
        };
        match self.shape {
            Shape::Exact => s == self.parts.first().map_or("", |_| text(0)),
            Shape::Prefix => s.starts_with(text(0)),
            Shape::Suffix => s.ends_with(text(1)),
            Shape::Contains => s.contains(text(1)),
            Shape::Everything => true,
            Shape::General => glob(&self.parts, s),
        }
    }
}

/// The text a number is matched by (see [`Pattern`]).
pub(crate) fn num_text(n: Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Float(f) => f.to_string(),
    }
}

/// The general wildcard walk: text and `?` step together; at a mismatch
/// the last `*` takes one more character. Greedy-with-backtrack on the
/// last star only, which is exact for `*`/`?` patterns and takes at most
/// (pattern length × text length) steps.
fn glob(parts: &[Part], s: &str) -> bool {
    // (part index, byte offset within a text part)
    let mut pi = 0usize;
    let mut off = 0usize;
    let mut si = 0usize;
    let mut star: Option<(usize, usize)> = None;
    loop {
        // Advance over a finished text part.
        if let Some(Part::Text(t)) = parts.get(pi) {
            if off == t.len() {
                pi += 1;
                off = 0;
                continue;
            }
        }
        if let Some(Part::Any) = parts.get(pi) {
            pi += 1;
            off = 0;
            star = Some((pi, si));
            continue;
        }
        let Some(c) = s[si..].chars().next() else {
            // The text is used up: only stars may be left.
            let rest = &parts[pi.min(parts.len())..];
            let partial = off > 0;
            return !partial && rest.iter().all(|p| matches!(p, Part::Any));
        };
        let step = match parts.get(pi) {
            Some(Part::One) => {
                pi += 1;
                true
            }
            Some(Part::Text(t)) => {
                let pc = t[off..].chars().next().expect("a text part is never empty");
                if pc == c {
                    off += pc.len_utf8();
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if step {
            si += c.len_utf8();
            continue;
        }
        match star {
            Some((after, from)) => {
                let skip = s[from..].chars().next().map_or(1, char::len_utf8);
                let from = from + skip;
                star = Some((after, from));
                pi = after;
                off = 0;
                si = from;
            }
            None => return false,
        }
    }
}

/// A regular expression (Sigma's `re`): found anywhere in a string (not
/// anchored), by the `regex` crate, so in time linear in the text. A
/// number or a boolean is matched by its text, as for [`Pattern`].
#[derive(Clone, Debug)]
pub(crate) struct Re {
    /// The pattern as written.
    pub source: Box<str>,
    /// The flags given (`i`, `m`, `s`), in that order.
    pub flags: Box<str>,
    regex: regex::Regex,
}

impl Re {
    /// Compiles `source` with the flags; the error names what is wrong.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    pub(crate) fn new(source: &str, i: bool, m: bool, s: bool) -> Result<Re, String> {
        let regex = regex::RegexBuilder::new(source)
            .case_insensitive(i)
            .multi_line(m)
            .dot_matches_new_line(s)
            .build()
            .map_err(|e| match e {
                regex::Error::Syntax(text) => text
                    .lines()
                    .filter(|l| l.starts_with("error:"))
                    .map(|l| l.trim_start_matches("error:").trim().to_owned())
                    .next()
                    .unwrap_or(text),
                regex::Error::CompiledTooBig(_) => "the pattern is too big".to_owned(),
                _ => e.to_string(),
            })?;
        let mut flags = String::new();
        for (on, f) in [(i, 'i'), (m, 'm'), (s, 's')] {
            if on {
                flags.push(f);
            }
        }
        Ok(Re {
            source: source.into(),
            flags: flags.into(),
            regex,
        })
    }

    pub(crate) fn holds(&self, c: Cand<'_>) -> bool {
        match c {
            Cand::Str(s) => self.regex.is_match(s),
            Cand::Bool(b) => self.regex.is_match(if b { "true" } else { "false" }),
            Cand::Num(n) => self.regex.is_match(&num_text(n)),
            Cand::Null | Cand::Object { .. } => false,
        }
    }
}

/// An IP network (Sigma's `cidr`): a string candidate that is an IPv4
/// address in an IPv4 network, or an IPv6 address in an IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub addr: std::net::IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// `ADDRESS/PREFIX` (or an address alone: the one address). Bits set
    /// past the prefix are an error, as Python's `ip_network` has it.
    #[cfg_attr(not(feature = "rules"), allow(dead_code))] // built by rules/sigma.rs
    pub(crate) fn parse(s: &str) -> Result<Cidr, String> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: std::net::IpAddr = a
            .parse()
            .map_err(|_| format!("`{a}` is not an IPv4 or IPv6 address"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(format!("`/{p}` is not a prefix length of 0 to {max}")),
            },
        };
        let c = Cidr { addr, prefix };
        if c.bits(addr) & !c.mask() != 0 {
            return Err(format!("`{s}` has bits set past its /{prefix} prefix"));
        }
        Ok(c)
    }

    fn mask(&self) -> u128 {
        let width = if self.addr.is_ipv4() { 32 } else { 128 };
        if self.prefix == 0 {
            0
        } else {
            (u128::MAX << (width - u32::from(self.prefix))) & (u128::MAX >> (128 - width))
        }
    }

    fn bits(&self, a: std::net::IpAddr) -> u128 {
        match a {
            std::net::IpAddr::V4(v) => u128::from(u32::from(v)),
            std::net::IpAddr::V6(v) => u128::from(v),
        }
    }

    pub(crate) fn holds(&self, c: Cand<'_>) -> bool {
        let Cand::Str(s) = c else { return false };
        let Ok(a) = s.parse::<std::net::IpAddr>() else {
            return false;
        };
        a.is_ipv4() == self.addr.is_ipv4() && self.bits(a) & self.mask() == self.bits(self.addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(text: &str, ignore_case: bool) -> Pattern {
        // `*` and `?` are wildcards; no escapes in these tests.
        let mut parts = Vec::new();
        for c in text.chars() {
            parts.push(match c {
                '*' => Part::Any,
                '?' => Part::One,
                c => Part::Text(c.to_string().into()),
            });
        }
        Pattern::new(parts, ignore_case)
    }

    #[test]
    fn wildcards() {
        let mut s = String::new();
        let yes = |p: &str, t: &str, s: &mut String| pat(p, false).matches(t, s);
        assert!(yes("a*c", "abbbc", &mut s));
        assert!(yes("a*c", "ac", &mut s));
        assert!(!yes("a*c", "acb", &mut s));
        assert!(yes("a?c", "abc", &mut s));
        assert!(!yes("a?c", "ac", &mut s));
        assert!(yes("*a*b*", "xxaxxbxx", &mut s));
        assert!(!yes("*a*b*", "xxbxxaxx", &mut s));
        assert!(yes("*ab", "aab", &mut s));
        assert!(yes("a*ab", "aab", &mut s));
        assert!(!yes("a*ab", "ab", &mut s));
        assert!(yes("??", "éa", &mut s));
        assert!(!yes("???", "éa", &mut s));
        assert!(yes("", "", &mut s));
        assert!(!yes("", "a", &mut s));
        assert!(yes("*", "", &mut s));
        assert!(yes("**?", "a", &mut s));
        assert!(yes("a*b?d*", "axxbcdyy", &mut s));
        assert!(!pat("ADMIN*", false).matches("admin/x", &mut s));
        assert!(pat("ADMIN*", true).matches("admin/x", &mut s));
        assert!(pat("*ADM?N*", true).matches("/Admin/x", &mut s));
    }

    #[test]
    fn numbers_and_booleans_by_their_text() {
        let mut s = String::new();
        assert!(pat("TRUE", true).holds(Cand::Bool(true), &mut s));
        assert!(!pat("TRUE", false).holds(Cand::Bool(true), &mut s));
        assert!(pat("5", true).holds(Cand::Num(Num::parse("5").unwrap()), &mut s));
        assert!(pat("5", true).holds(Cand::Num(Num::parse("5.0").unwrap()), &mut s));
        assert!(pat("1*", true).holds(Cand::Num(Num::parse("1e2").unwrap()), &mut s));
        // A pattern that is a JSON number also equals numbers by value.
        assert!(pat("1e2", true).holds(Cand::Num(Num::parse("100").unwrap()), &mut s));
        assert!(pat("5.0", true).holds(Cand::Num(Num::parse("5").unwrap()), &mut s));
        assert!(!pat("5.0", true).holds(Cand::Str("5"), &mut s));
        assert!(!pat("1?2", true).holds(Cand::Num(Num::parse("1e2").unwrap()), &mut s));
        assert!(!pat("*", true).holds(Cand::Null, &mut s));
    }

    #[test]
    fn networks() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.holds(Cand::Str("10.1.2.3")));
        assert!(!net.holds(Cand::Str("11.0.0.1")));
        assert!(!net.holds(Cand::Str("::ffff:10.1.2.3")));
        assert!(!net.holds(Cand::Str("10.1.2")));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.holds(Cand::Str("2001:db8:1::5")));
        assert!(!v6.holds(Cand::Str("2001:db9::1")));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .holds(Cand::Str("1.2.3.4")));
        assert!(Cidr::parse("1.2.3.4").unwrap().holds(Cand::Str("1.2.3.4")));
        assert!(Cidr::parse("10.0.0.1/8").unwrap_err().contains("bits set"));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("10.0.0.0/+8").is_err());
        assert!(Cidr::parse("host/8").is_err());
    }

    #[test]
    fn regular_expressions() {
        let r = Re::new("(^0oa.*|[a-z]+@[a-z]+\\.[a-z]{2,10})", false, false, false).unwrap();
        assert!(r.holds(Cand::Str("0oa123")));
        assert!(r.holds(Cand::Str("x alice@example.com y")));
        assert!(!r.holds(Cand::Str("x0oa")));
        assert!(!r.holds(Cand::Str("Alice@Example.COM".to_uppercase().as_str())));
        let ri = Re::new("^abc$", true, false, false).unwrap();
        assert!(ri.holds(Cand::Str("ABC")));
        assert!(!ri.holds(Cand::Str("x\nabc")));
        assert!(Re::new("^abc$", false, true, false)
            .unwrap()
            .holds(Cand::Str("x\nabc")));
        assert!(!Re::new("a.b", false, false, false)
            .unwrap()
            .holds(Cand::Str("a\nb")));
        assert!(Re::new("a.b", false, false, true)
            .unwrap()
            .holds(Cand::Str("a\nb")));
        assert!(Re::new("a(b", false, false, false).is_err());
        assert!(Re::new("(?=x)", false, false, false).is_err());
    }
}
