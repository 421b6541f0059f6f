//! `Filter::explain`: what decides a match, read from the IR (what the
//! filter means): the options folded in (`-v`, since/until, keywords,
//! ignore-case), and for each comparison how its value is compared.

use std::fmt::Write;

use crate::ir::{Node, Test};
use crate::lit::{Lit, Part, StrLit};
use crate::value::Num;

/// One line per node, indented by depth.
pub(crate) fn explain(root: &Node, ignore_case: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "strings: {}",
        if ignore_case {
            "compared ignoring case (each character Unicode lower-cased)"
        } else {
            "compared case-sensitively"
        }
    );
    node(root, 0, &mut out);
    out
}

fn node(n: &Node, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let _ = match n {
        Node::And(ns) if ns.is_empty() => writeln!(out, "{pad}every event (the empty filter)"),
        Node::And(ns) | Node::Or(ns) => {
            let name = if matches!(n, Node::And(_)) { "all of" } else { "any of" };
            let _ = writeln!(out, "{pad}{name}:");
            for n in ns {
                node(n, depth + 1, out);
            }
            Ok(())
        }
        Node::Not(inner) => {
            let _ = writeln!(out, "{pad}not:");
            node(inner, depth + 1, out);
            Ok(())
        }
        Node::Leaf(leaf) => writeln!(out, "{pad}{}: {}", leaf.path.join("."), test(&leaf.test)),
        Node::ValuePath(vp) => {
            let _ = writeln!(out, "{pad}some object at {} (each element of an array) with:", vp.path.join("."));
            node(&vp.inner, depth + 1, out);
            Ok(())
        }
        Node::Anywhere(t) => writeln!(out, "{pad}some string anywhere in the event: {}", test(t)),
        Node::Keywords(k) => writeln!(
            out,
            "{pad}keywords {}: each equals, ignoring case, a whole string value of the event or one of its tokens",
            k.words().join(" ")
        ),
    };
}

fn test(t: &Test) -> String {
    match t {
        Test::Eq(l) => format!("some value eq {}", lit_eq(l)),
        Test::In(set) => {
            let shown: Vec<String> = set.lits.iter().take(5).map(lit_text).collect();
            let more = if set.lits.len() > 5 {
                format!(", … ({} in all)", set.lits.len())
            } else {
                String::new()
            };
            format!(
                "some value eq any of {}{more}: one set lookup, each literal compared as `eq` compares it",
                shown.join(", ")
            )
        }
        Test::EqNull => "null or missing (eq null)".to_owned(),
        Test::Contains(n) => format!("some string contains {}", needle(&n.text, n.ignore_case)),
        Test::StartsWith(n) => {
            format!("some string starts with {}", needle(&n.text, n.ignore_case))
        }
        Test::EndsWith(n) => format!("some string ends with {}", needle(&n.text, n.ignore_case)),
        Test::Order(l, accept) => {
            let op = order_op(accept);
            match l {
                Lit::Num(n) => format!("some number {op} {}: as numbers{}", num(n), NUMBERS),
                Lit::Str(s) if s.date.is_some() => format!(
                    "some string {op} {}: as an instant when the value is a date-time, else as text{}",
                    quoted(&s.exact),
                    case(s.ignore_case)
                ),
                Lit::Str(s) => format!("some string {op} {}: as text{}", quoted(&s.exact), case(s.ignore_case)),
                Lit::Bool(b) => format!("{op} {b}: never (booleans are not ordered)"),
            }
        }
        Test::Present => "present: some value that is not null, \"\" or {}".to_owned(),
        Test::DateOrder(t, accept) => format!(
            "some date-time {} {t}: as an instant (a value that is not a date-time never matches)",
            order_op(accept)
        ),
        Test::Like(p) => format!(
            "some value matches {}: the whole string, a number or boolean by its text{}",
            quoted(&pattern_text(p.parts())),
            case(p.ignore_case)
        ),
        Test::Regex(r) => format!(
            "some value has a match of the regular expression {}{}: a number or boolean by its text",
            quoted(&r.source),
            if r.flags.is_empty() {
                String::new()
            } else {
                format!(" (flags {})", r.flags)
            }
        ),
        Test::Exists => "exists: some value, null included".to_owned(),
        Test::Cidr(net) => format!(
            "some string is an IP address in {}/{}",
            net.addr, net.prefix
        ),
    }
}

/// A pattern as Sigma writes it: `*`, `?`, and `\\` before a literal
/// `*`, `?` or `\\` that could be read as one.
pub(crate) fn pattern_text(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Any => out.push('*'),
            Part::One => out.push('?'),
            Part::Text(t) => {
                for c in t.chars() {
                    if matches!(c, '*' | '?' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
    }
    out
}

const NUMBERS: &str = " (two integers exactly, otherwise as 64-bit floats)";

fn lit_eq(l: &Lit) -> String {
    match l {
        Lit::Num(n) => format!(
            "{}: as a number{NUMBERS}; a string equals it only when it spells a JSON number equal to it",
            num(n)
        ),
        Lit::Bool(b) => format!("{b}: as a boolean; the string \"{b}\" equals it too"),
        Lit::Str(s) => str_eq(s),
    }
}

fn str_eq(s: &StrLit) -> String {
    let mut out = quoted(&s.exact);
    if s.date.is_some() {
        out.push_str(
            ": as an instant when the value is a date-time (offsets and all), else as text",
        );
    } else {
        out.push_str(": as text");
    }
    out.push_str(case(s.ignore_case));
    if let Some(n) = &s.number {
        let _ = write!(out, "; also the number {}", num(n));
    }
    if let Some(b) = s.boolean {
        let _ = write!(out, "; also the boolean {b}");
    }
    out
}

fn lit_text(l: &Lit) -> String {
    match l {
        Lit::Num(n) => num(n),
        Lit::Bool(b) => b.to_string(),
        Lit::Str(s) => quoted(&s.exact),
    }
}

fn needle(text: &str, ignore_case: bool) -> String {
    format!("{} (strings only){}", quoted(text), case(ignore_case))
}

fn case(ignore_case: bool) -> &'static str {
    if ignore_case {
        ", ignoring case"
    } else {
        ", case-sensitive"
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::new();
    let _ = crate::json::write_string(&mut out, s);
    out
}

fn num(n: &Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Float(f) => f.to_string(),
    }
}

fn order_op(accept: &[bool; 3]) -> &'static str {
    match accept {
        [true, false, false] => "lt",
        [true, true, false] => "le",
        [false, false, true] => "gt",
        [false, true, true] => "ge",
        _ => "compares",
    }
}
