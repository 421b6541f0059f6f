//! Literal prefilter: reject events whose text cannot hold what the filter
//! needs, by substring search, before any parsing.
//!
//! From the program we derive, like ripgrep derives literals from a regex, a
//! conjunction of alternatives: every alternative must have one of its
//! needles somewhere in the event's bytes. Only tests that hold on string
//! candidates whose text contains the literal contribute: `eq`, `co`, `sw`,
//! `ew` with a case-sensitive string literal that is not a date-time nor the
//! spelling of a number (those can hold on other spellings: `"7.018e3"`,
//! `"2024-05-01T12:00:00+02:00"`). `eq "true"` contributes `true`, which both
//! the boolean and the string contain. `not`, `ne`, `pr`, `eq null`,
//! orderings, dates, numbers, keywords and ignore-case contribute nothing.
//!
//! **Soundness under escapes.** A JSON string may spell a character with an
//! escape. The needle is the literal as a JSON writer spells it inside a
//! string: `"`, `\` and control characters escaped the standard way (so the
//! rule's `"New Device":"POSITIVE"` is searched as
//! `\"New Device\":\"POSITIVE\"`, which is how it appears in
//! `logOnlySecurityData`). Any other spelling of the literal's characters
//! needs a `\u` escape, or `\/` for a `/`. So when a needle is missing, the
//! event is rejected only if it holds no `\u` (and no `\/` when the needle
//! has a `/`). Ordinary escaped quotes and backslashes, which real events
//! carry all the time, do not disable the prefilter.

use memchr::memmem;

use crate::compile::{Leaf, Node, Test, ValuePath};

/// A needle and what its absence allows.
#[derive(Clone, Debug)]
struct Needle {
    finder: memmem::Finder<'static>,
    /// The needle holds a `/`, which `\/` can also spell.
    has_slash: bool,
}

/// A conjunction of alternatives of needles; empty means "may match".
#[derive(Clone, Debug, Default)]
pub(crate) struct Prefilter {
    all: Vec<Vec<Needle>>,
}

impl Prefilter {
    pub(crate) fn new(root: &Node, leaves: &[Leaf], value_paths: &[ValuePath]) -> Prefilter {
        let mut all = required(root, leaves, value_paths).unwrap_or_default();
        // Check longer (usually rarer) needles first.
        all.sort_by_key(|alt| std::cmp::Reverse(alt.iter().map(|n| n.len()).min().unwrap_or(0)));
        Prefilter {
            all: all
                .into_iter()
                .map(|alt| {
                    alt.into_iter()
                        .map(|n| Needle {
                            has_slash: n.contains(&b'/'),
                            finder: memmem::Finder::new(&n).into_owned(),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// `false` when the event's bytes cannot satisfy the filter.
    pub(crate) fn may_match(&self, event: &[u8]) -> bool {
        if self.all.is_empty() {
            return true;
        }
        let mut escapes: Option<(bool, bool)> = None;
        for alt in &self.all {
            if alt.iter().any(|n| n.finder.find(event).is_some()) {
                continue;
            }
            // No needle of this alternative is spelled plainly: it may
            // still be spelled with escapes.
            let (unicode, slash) = *escapes.get_or_insert_with(|| {
                (
                    memmem::find(event, b"\\u").is_some(),
                    memmem::find(event, b"\\/").is_some(),
                )
            });
            if unicode || (slash && alt.iter().any(|n| n.has_slash)) {
                continue;
            }
            return false;
        }
        true
    }

    #[cfg(test)]
    fn needles(&self) -> Vec<Vec<String>> {
        self.all
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|n| String::from_utf8_lossy(n.finder.needle()).into_owned())
                    .collect()
            })
            .collect()
    }
}

type Cnf = Vec<Vec<Vec<u8>>>;

/// What the node requires of the event's bytes, as a conjunction of
/// alternatives, or `None` when nothing can be said.
fn required(node: &Node, leaves: &[Leaf], vps: &[ValuePath]) -> Option<Cnf> {
    match node {
        Node::Leaf(id) => leaf_needle(&leaves[*id].test).map(|n| vec![vec![n]]),
        Node::And(ns) => {
            let all: Cnf = ns
                .iter()
                .filter_map(|n| required(n, leaves, vps))
                .flatten()
                .collect();
            (!all.is_empty()).then_some(all)
        }
        Node::Or(ns) => {
            // Each operand requires one of its alternatives; keep the one
            // with the longest shortest needle from each, and require any.
            let mut union = Vec::new();
            for n in ns {
                let cnf = required(n, leaves, vps)?;
                let best = cnf
                    .into_iter()
                    .max_by_key(|alt| alt.iter().map(Vec::len).min().unwrap_or(0))?;
                union.extend(best);
            }
            union.sort();
            union.dedup();
            Some(vec![union])
        }
        // A value path holds only if its inner filter holds on some object
        // inside the event, whose bytes are the event's.
        Node::ValuePath(id) => required(&vps[*id].inner, leaves, vps),
        Node::Not(_) | Node::Keywords => None,
    }
}

/// The needle a leaf requires, if any.
fn leaf_needle(test: &Test) -> Option<Vec<u8>> {
    use crate::compile::Lit;
    let (text, quoted) = match test {
        Test::Eq(Lit::Str(l)) if !l.ignore_case => {
            if l.date.is_some() || l.number.is_some() {
                return None;
            }
            // `"true"` also equals the boolean: search the bare word.
            (&*l.exact, l.boolean.is_none())
        }
        Test::Eq(Lit::Bool(b)) => {
            // The boolean or the string "true"/"false": the word appears
            // either way (or is spelled with a \u escape).
            return Some(if *b {
                b"true".to_vec()
            } else {
                b"false".to_vec()
            });
        }
        Test::Contains(n) | Test::StartsWith(n) | Test::EndsWith(n) if !n.ignore_case => {
            (&*n.text, false)
        }
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    let mut needle = String::new();
    crate::print::write_json_string(&mut needle, text).ok()?;
    if !quoted {
        needle = needle[1..needle.len() - 1].to_owned();
    }
    Some(needle.into_bytes())
}

#[cfg(test)]
mod tests {
    use crate::Filter;

    fn needles(f: &str) -> Vec<Vec<String>> {
        let f = Filter::parse(f).unwrap();
        f.program_for_tests().prefilter().needles()
    }

    #[test]
    fn seed_needles() {
        let n = needles(
            r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#,
        );
        assert_eq!(
            n,
            vec![
                vec![r#""system.import.start""#.to_owned()],
                vec![r#""Manual action""#.to_owned()]
            ]
        );
    }

    #[test]
    fn escaped_quotes_in_needle() {
        let n = needles(r#"x co "\"New Device\":\"POSITIVE\"""#);
        assert_eq!(n, vec![vec![r#"\"New Device\":\"POSITIVE\""#.to_owned()]]);
    }

    #[test]
    fn nothing_from_negation_dates_numbers() {
        assert!(needles(r#"not (a eq "x")"#).is_empty());
        assert!(needles(r#"a ne "x""#).is_empty());
        assert!(needles(r#"a eq "7018""#).is_empty());
        assert!(needles(r#"a eq "2024-05-01""#).is_empty());
        assert!(needles(r#"a gt "x""#).is_empty());
        assert!(needles(r#"a eq "x" or b pr"#).is_empty());
    }

    #[test]
    fn rejects_only_when_no_escape_can_hide_it() {
        let f = Filter::parse(r#"eventType eq "system.import.start""#).unwrap();
        assert!(!f.may_match(br#"{"eventType":"user.session.start","x":"a\"b"}"#));
        assert!(f.may_match(br#"{"eventType":"\u0073ystem.import.start"}"#));
        assert!(f.may_match(br#"{"eventType":"system.import.start"}"#));
        let g = Filter::parse(r#"u co "/api/""#).unwrap();
        assert!(g.may_match(br#"{"u":"\/api\/v1"}"#));
        assert!(!g.may_match(br#"{"u":"api"}"#));
    }
}
