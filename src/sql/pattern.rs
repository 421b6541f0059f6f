//! Regular expressions for the Sigma tests (`Test::Like`, `Test::Regex`,
//! `Test::Cidr`), printed in a subset that RE2 (DuckDB, ClickHouse) and
//! Java (Spark) read alike: every character other than an ASCII letter or
//! digit as `\x{..}`, classes as explicit code point ranges, groups
//! non-capturing, no flags (case-insensitivity and `.` are already classes
//! in the parsed pattern). What the subset cannot say for an engine is
//! refused, with the reason.

use std::fmt::Write as _;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::lit::{Cidr, Part, Re};

/// Whose regular expression syntax a dialect's functions read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// RE2: DuckDB's `regexp_*`, ClickHouse's `match`.
    Re2,
    /// `java.util.regex`: Spark's `RLIKE`.
    Java,
}

/// The characters of a number's text (`lit::num_text`): an integer in
/// decimal, or a float as its shortest decimal without exponent.
const NUMBER_CHARS: &str = "-.0123456789";

/// The most a printed pattern may weigh (its length, a counted repetition
/// counting its operand that many times): beyond it RE2 may refuse to
/// compile it, failing the query.
const MAX_WEIGHT: usize = 100_000;

/// RE2's largest repetition count.
const MAX_REPEAT: u32 = 1000;

/// A character as a regex atom: ASCII letters and digits as they are,
/// anything else as `\x{..}`.
pub(crate) fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:x}}}", u32::from(c));
    }
}

/// A wildcard pattern (`lit::Pattern`'s parts) as a regular expression for
/// a full match: texts literally, `?` one character, `*` any run.
pub(crate) fn like_regex(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text(t) => t.chars().for_each(|c| push_char(&mut out, c)),
            Part::One => out.push_str("(?s:.)"),
            Part::Any => out.push_str("(?s:.)*"),
        }
    }
    out
}

/// Whether a pattern that is not a plain text may match a number's text:
/// all its texts are made of a number's characters.
pub(crate) fn like_may_match_number(parts: &[Part]) -> bool {
    parts.iter().all(|p| match p {
        Part::Text(t) => t.chars().all(|c| NUMBER_CHARS.contains(c)),
        Part::One | Part::Any => true,
    })
}

/// A regular expression printed for one flavour.
#[derive(Debug)]
pub(crate) struct Printed {
    /// The pattern, for an unanchored search.
    pub text: String,
    /// Whether some match might consist only of a number's characters
    /// (else no number's text has a match).
    pub may_match_number: bool,
}

/// `re` (the `regex` crate's syntax with its flags) in the subset, or why
/// it cannot be said exactly in `flavor`.
pub(crate) fn regex(re: &Re, flavor: Flavor) -> Result<Printed, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(re.flags.contains('i'))
        .multi_line(re.flags.contains('m'))
        .dot_matches_new_line(re.flags.contains('s'))
        .build()
        .parse(&re.source)
        .map_err(|e| format!("it does not parse: {e}"))?;
    let mut text = String::new();
    let weight = print(&hir, flavor, &mut text)?;
    if weight > MAX_WEIGHT {
        return Err("it is too large for RE2 to compile reliably".to_owned());
    }
    Ok(Printed {
        text,
        may_match_number: !needs_other(&hir),
    })
}

/// Whether every match of `h` holds a character that is not one of a
/// number's.
fn needs_other(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => String::from_utf8_lossy(&l.0)
            .chars()
            .any(|c| !NUMBER_CHARS.contains(c)),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .all(|r| NUMBER_CHARS.chars().all(|n| n < r.start() || n > r.end())),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .all(|r| NUMBER_CHARS.bytes().all(|n| n < r.start() || n > r.end())),
        HirKind::Repetition(r) => r.min >= 1 && needs_other(&r.sub),
        HirKind::Capture(c) => needs_other(&c.sub),
        HirKind::Concat(hs) => hs.iter().any(needs_other),
        HirKind::Alternation(hs) => hs.iter().all(needs_other),
    }
}

/// ASCII word characters, for Java's spelling of `(?-u:\b)`.
const ASCII_WORD: &str = "[0-9A-Z_a-z]";

/// Prints `h`; returns its weight.
fn print(h: &Hir, flavor: Flavor, out: &mut String) -> Result<usize, String> {
    let start = out.len();
    let mut weight = 0;
    match h.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0)
                .map_err(|_| "it matches bytes that are not UTF-8 text".to_owned())?;
            s.chars().for_each(|c| push_char(out, c));
        }
        HirKind::Class(Class::Unicode(c)) => {
            if c.ranges().is_empty() {
                return Err("it has a class that matches nothing".to_owned());
            }
            out.push('[');
            for r in c.ranges() {
                push_char(out, r.start());
                if r.end() > r.start() {
                    out.push('-');
                    push_char(out, r.end());
                }
            }
            out.push(']');
        }
        HirKind::Class(Class::Bytes(_)) => {
            return Err("it has a class of bytes (`(?-u)`)".to_owned());
        }
        HirKind::Look(look) => out.push_str(&self::look(*look, flavor)?),
        HirKind::Repetition(r) => {
            if r.min > MAX_REPEAT || r.max.is_some_and(|m| m > MAX_REPEAT) {
                return Err(format!(
                    "it repeats more than {MAX_REPEAT} times, RE2's limit"
                ));
            }
            out.push_str("(?:");
            let sub = print(&r.sub, flavor, out)?;
            out.push(')');
            match (r.min, r.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (m, None) => {
                    let _ = write!(out, "{{{m},}}");
                }
                (m, Some(n)) if m == n => {
                    let _ = write!(out, "{{{m}}}");
                }
                (m, Some(n)) => {
                    let _ = write!(out, "{{{m},{n}}}");
                }
            }
            let times = r.max.unwrap_or(r.min).max(1) as usize;
            weight += sub.saturating_mul(times);
        }
        HirKind::Capture(c) => {
            out.push_str("(?:");
            weight += print(&c.sub, flavor, out)?;
            out.push(')');
        }
        HirKind::Concat(hs) => {
            for h in hs {
                out.push_str("(?:");
                weight += print(h, flavor, out)?;
                out.push(')');
            }
        }
        HirKind::Alternation(hs) => {
            for (i, h) in hs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                out.push_str("(?:");
                weight += print(h, flavor, out)?;
                out.push(')');
            }
        }
    }
    Ok(weight.max(out.len() - start))
}

/// An assertion: the same positions in both flavours (the `regex` crate's
/// `^`/`$` are the text's ends; under `m` also after/before a `\n`, and
/// only `\n`).
fn look(look: Look, flavor: Flavor) -> Result<String, String> {
    let java = flavor == Flavor::Java;
    Ok(match look {
        Look::Start => "\\A".to_owned(),
        Look::End => "\\z".to_owned(),
        // Java's multi-line `^` does not match after a final line break,
        // and its line breaks are more than `\n`.
        Look::StartLF if java => "(?:\\A|(?<=\\x{a}))".to_owned(),
        Look::EndLF if java => "(?:\\z|(?=\\x{a}))".to_owned(),
        Look::StartLF => "(?m:^)".to_owned(),
        Look::EndLF => "(?m:$)".to_owned(),
        // Java's `\b` is not ASCII's: said with look-arounds.
        Look::WordAscii if java => {
            format!("(?:(?<={ASCII_WORD})(?!{ASCII_WORD})|(?<!{ASCII_WORD})(?={ASCII_WORD}))")
        }
        Look::WordAsciiNegate if java => {
            format!("(?:(?<={ASCII_WORD})(?={ASCII_WORD})|(?<!{ASCII_WORD})(?!{ASCII_WORD}))")
        }
        Look::WordAscii => "\\b".to_owned(),
        Look::WordAsciiNegate => "\\B".to_owned(),
        Look::WordUnicode | Look::WordUnicodeNegate => {
            return Err(format!(
                "it has a Unicode word boundary (`\\b` or `\\B`), which {} reads differently",
                if java { "Java" } else { "RE2" }
            ))
        }
        _ => {
            return Err(
                "it has a word start or end assertion (`\\<`, `\\>`, `\\b{start}`...)".to_owned(),
            )
        }
    })
}

/// An IPv4 network as a full-match regular expression over the address's
/// text as `std::net::Ipv4Addr` parses it: four decimal octets of 0 to 255
/// without leading zeros. `None` for an IPv6 network.
pub(crate) fn ipv4_network(net: &Cidr) -> Option<String> {
    let std::net::IpAddr::V4(a) = net.addr else {
        return None;
    };
    const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    let octets = a.octets();
    let mut parts = Vec::with_capacity(4);
    for (i, o) in octets.iter().enumerate() {
        let fixed = usize::from(net.prefix).saturating_sub(8 * i).min(8) as u32;
        parts.push(match fixed {
            0 => OCTET.to_owned(),
            8 => o.to_string(),
            k => {
                // The octet's first `k` bits fixed: a run of 2^(8-k) values.
                let from = u32::from(*o);
                let to = from + (1 << (8 - k)) - 1;
                let all: Vec<String> = (from..=to).map(|v| v.to_string()).collect();
                format!("(?:{})", all.join("|"))
            }
        });
    }
    Some(parts.join("[.]"))
}
