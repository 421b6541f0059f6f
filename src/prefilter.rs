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
//!
//! **Many needles.** An `or` of `eq`s on one path is one set leaf
//! (`crate::set`), and its needles are those of its literals, as for the
//! `or`. Each needle of an alternative costs one search, so an alternative
//! with more than [`MANY_NEEDLES`] is dropped (an `or` of them then requires
//! nothing): past that, the searches cost more than evaluating every event,
//! and a multi-literal search (Aho-Corasick) runs no faster than the
//! evaluator does on the events it would spare (see BENCHMARKS.md). Dropping
//! an alternative only lets more events through.
//!
//! **Many filters.** A [`FilterSet`](crate::FilterSet) reuses [`required`]
//! and [`rarity`] for each of its filters and searches all their needles
//! at once (`prefilter_set.rs`), under the same rules for escapes; with
//! many of them, [`required_anchored`], whose `sw` and `ew` needles hold
//! the string's quote.

use memchr::memmem;

use crate::ir::{Node, Test};
use crate::lit::Lit;
use crate::set::LitSet;

/// The most needles an alternative may have (see the module docs).
pub(crate) const MANY_NEEDLES: usize = 16;

/// A needle and what its absence allows.
#[derive(Clone, Debug)]
struct Needle {
    finder: memmem::Finder<'static>,
    /// The needle holds a `/`, which `\/` can also spell.
    has_slash: bool,
}

/// A conjunction of alternatives of needles; empty means "may match".
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    all: Vec<Vec<Needle>>,
    unicode_escape: memmem::Finder<'static>,
    slash_escape: memmem::Finder<'static>,
}

/// The byte ranges (without the `\n`) of the lines of a buffer that may
/// match; see [`Filter::candidate_lines`](crate::Filter::candidate_lines).
///
/// ```
/// use oktaql::Filter;
///
/// let f = Filter::parse(r#"eventType eq "user.session.start""#)?;
/// let buf = b"{\"eventType\":\"user.session.start\"}\n{\"eventType\":\"user.session.end\"}\n";
/// let mut matched = Vec::new();
/// for range in f.candidate_lines(buf) {
///     if f.matches_json(&buf[range.clone()])? {
///         matched.push(range);
///     }
/// }
/// assert_eq!(matched, [0..34]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Lines<'p, 'b> {
    prefilter: &'p Prefilter,
    buf: &'b [u8],
    /// Everything before this offset has been yielded or ruled out.
    pos: usize,
    /// Hits of the driving alternative's needles and of the escapes that
    /// could hide them; empty when there is no prefilter.
    streams: Vec<std::iter::Peekable<memmem::FindIter<'b, 'p>>>,
    /// The first `needles` streams are the driving alternative's needles
    /// (a hit there proves the alternative); the rest are escapes.
    needles: usize,
}

impl std::fmt::Debug for Lines<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lines")
            .field("pos", &self.pos)
            .finish_non_exhaustive()
    }
}

impl Iterator for Lines<'_, '_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<std::ops::Range<usize>> {
        let buf = self.buf;
        if self.pos >= buf.len() {
            return None;
        }
        if self.streams.is_empty() {
            let end = memchr::memchr(b'\n', &buf[self.pos..]).map_or(buf.len(), |i| self.pos + i);
            let line = self.pos..end;
            self.pos = end + 1;
            return Some(line);
        }
        loop {
            // The next hit at or after `pos`, over all streams.
            let mut best: Option<(usize, usize)> = None;
            for (i, s) in self.streams.iter_mut().enumerate() {
                while s.next_if(|&h| h < self.pos).is_some() {}
                if let Some(&h) = s.peek() {
                    if best.is_none_or(|(b, _)| h < b) {
                        best = Some((h, i));
                    }
                }
            }
            let (hit, stream) = best?;
            let start =
                memchr::memrchr(b'\n', &buf[self.pos..hit]).map_or(self.pos, |i| self.pos + i + 1);
            let end = memchr::memchr(b'\n', &buf[hit..]).map_or(buf.len(), |i| hit + i);
            self.pos = end + 1;
            // A hit of a needle proves the driving alternative; a hit of an
            // escape proves nothing.
            let proven = usize::from(stream < self.needles);
            if self.prefilter.may_match_from(&buf[start..end], proven) {
                return Some(start..end);
            }
            if self.pos >= buf.len() {
                return None;
            }
        }
    }
}

impl Prefilter {
    pub(crate) fn new(root: &Node) -> Prefilter {
        Prefilter::from_needles(required(root, MANY_NEEDLES).unwrap_or_default())
    }

    /// A prefilter requiring, for each alternative, one of its needles
    /// (searched as given), under the same rules for escapes.
    pub(crate) fn from_needles(mut all: Vec<Vec<Vec<u8>>>) -> Prefilter {
        // Rarest first: the first alternative drives the buffer search.
        all.sort_by_key(|alt| {
            std::cmp::Reverse(alt.iter().map(|n| rarity(n)).min().unwrap_or((0, 0)))
        });
        Prefilter {
            unicode_escape: memmem::Finder::new(b"\\u").into_owned(),
            slash_escape: memmem::Finder::new(b"\\/").into_owned(),
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
        self.may_match_from(event, 0)
    }

    /// [`may_match`](Prefilter::may_match), given that the first `skip`
    /// alternatives are already known to hold.
    fn may_match_from(&self, event: &[u8], skip: usize) -> bool {
        let mut escapes: Option<(bool, bool)> = None;
        for alt in &self.all[skip.min(self.all.len())..] {
            if alt.iter().any(|n| n.finder.find(event).is_some()) {
                continue;
            }
            // No needle of this alternative is spelled plainly: it may
            // still be spelled with escapes.
            let (unicode, slash) = *escapes.get_or_insert_with(|| {
                (
                    self.unicode_escape.find(event).is_some(),
                    self.slash_escape.find(event).is_some(),
                )
            });
            if unicode || (slash && alt.iter().any(|n| n.has_slash)) {
                continue;
            }
            return false;
        }
        true
    }

    /// The lines of an NDJSON buffer that may match, found the way ripgrep
    /// finds them: search the whole buffer for the needles of one required
    /// alternative (and for escapes that could hide them), and look only at
    /// the lines around the hits.
    pub(crate) fn lines<'p, 'b>(&'p self, buf: &'b [u8]) -> Lines<'p, 'b> {
        let needles = self.all.first().map_or(0, Vec::len);
        let streams = match self.all.first() {
            None => Vec::new(),
            Some(alt) => {
                let mut s = Vec::with_capacity(alt.len() + 2);
                s.extend(alt.iter().map(|n| n.finder.find_iter(buf).peekable()));
                s.push(self.unicode_escape.find_iter(buf).peekable());
                if alt.iter().any(|n| n.has_slash) {
                    s.push(self.slash_escape.find_iter(buf).peekable());
                }
                s
            }
        };
        Lines {
            prefilter: self,
            buf,
            pos: 0,
            streams,
            needles,
        }
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

/// A guess at how rare a needle is in Okta events, for choosing which
/// alternative to search the buffer for (like ripgrep's byte-frequency
/// table): first how many of its bytes are uncommon in JSON logs (anything
/// but lower-case letters, digits, quotes and common punctuation), then its
/// length. Event types (`"system.import.start"`) score low, values with
/// capitals or `=` (`"Manual action"`, `New Device=POSITIVE`) high. One word
/// all in capitals (`"SUCCESS"`, `"FAILURE"`, `"DENY"`) is an enumeration,
/// which Okta writes in capitals and events carry all the time
/// (`outcome.result`, `severity`): its capitals count as common, so an
/// event type beside it drives. (A code with `_`, `OV_RESPONSE_DENY`, is not
/// such a word.)
pub(crate) fn rarity(needle: &[u8]) -> (usize, usize) {
    let text = needle.strip_prefix(b"\"").unwrap_or(needle);
    let text = text.strip_suffix(b"\"").unwrap_or(text);
    let enumeration = !text.is_empty() && text.iter().all(u8::is_ascii_uppercase);
    let uncommon = needle
        .iter()
        .filter(|b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'"' | b'.' | b':' | b',' | b' ' | b'_' | b'-' | b'/'))
        .filter(|b| !(enumeration && b.is_ascii_uppercase()))
        .count();
    (uncommon, needle.len())
}

pub(crate) type Cnf = Vec<Vec<Vec<u8>>>;

/// What the node requires of the event's bytes, as a conjunction of
/// alternatives of at most `most` needles each (a filter's own prefilter:
/// [`MANY_NEEDLES`]), or `None` when nothing can be said. Every match
/// holds, for each alternative, one of its needles spelled plainly, or a
/// `\u` escape, or (for a needle with a `/`) a `\/`.
pub(crate) fn required(node: &Node, most: usize) -> Option<Cnf> {
    required_as(node, most, false)
}

/// [`required`], with the needle of `sw` opened by its string's quote
/// (`"system.log_stream`) and that of `ew` closed by it: the string value
/// that starts with a text is spelled as a quote and the text (or with a
/// `\u` or `\/` escape), as the one equal to it is the text between two
/// quotes. (A [`FilterSet`](crate::FilterSet) finds such needles with its
/// quoted ones.)
pub(crate) fn required_anchored(node: &Node, most: usize) -> Option<Cnf> {
    required_as(node, most, true)
}

fn required_as(node: &Node, most: usize, anchored: bool) -> Option<Cnf> {
    let mut cnf = required_any(node, most, anchored)?;
    cnf.retain(|alt| alt.len() <= most);
    (!cnf.is_empty()).then_some(cnf)
}

/// [`required`], before alternatives with too many needles are dropped.
fn required_any(node: &Node, most: usize, anchored: bool) -> Option<Cnf> {
    match node {
        Node::Leaf(leaf) => leaf_needles(&leaf.test, anchored).map(|alt| vec![alt]),
        Node::And(ns) => {
            let all: Cnf = ns
                .iter()
                .filter_map(|n| required_as(n, most, anchored))
                .flatten()
                .collect();
            (!all.is_empty()).then_some(all)
        }
        Node::Or(ns) => {
            // Each operand requires one of its alternatives; keep the one
            // with the longest shortest needle from each, and require any.
            let mut union = Vec::new();
            for n in ns {
                let cnf = required_as(n, most, anchored)?;
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
        Node::ValuePath(vp) => required_as(&vp.inner, most, anchored),
        Node::Not(_) | Node::Keywords(_) | Node::Anywhere(_) => None,
    }
}

/// The needles one of which a leaf requires, if any.
fn leaf_needles(test: &Test, anchored: bool) -> Option<Vec<Vec<u8>>> {
    let one = match test {
        Test::Eq(l) => eq_needle(l)?,
        // Equal to one of the literals: one of their needles, as for the
        // `or` of their `eq`s.
        Test::In(set) => return set_needles(set),
        Test::StartsWith(n) if anchored && !n.ignore_case => {
            let mut needle = b"\"".to_vec();
            needle.extend(spelled(&n.text, false)?);
            needle
        }
        Test::EndsWith(n) if anchored && !n.ignore_case => {
            let mut needle = spelled(&n.text, false)?;
            needle.push(b'"');
            needle
        }
        Test::Contains(n) | Test::StartsWith(n) | Test::EndsWith(n) if !n.ignore_case => {
            spelled(&n.text, false)?
        }
        _ => return None,
    };
    Some(vec![one])
}

fn set_needles(set: &LitSet) -> Option<Vec<Vec<u8>>> {
    let mut alt = set.lits.iter().map(eq_needle).collect::<Option<Vec<_>>>()?;
    alt.sort();
    alt.dedup();
    Some(alt)
}

/// The needle `eq` with this literal requires, if any.
fn eq_needle(l: &Lit) -> Option<Vec<u8>> {
    match l {
        Lit::Str(l) if !l.ignore_case => {
            if l.date.is_some() || l.number.is_some() {
                return None;
            }
            // `"true"` also equals the boolean: search the bare word.
            spelled(&l.exact, l.boolean.is_none())
        }
        // The boolean or the string "true"/"false": the word appears
        // either way (or is spelled with a \u escape).
        Lit::Bool(b) => Some(if *b {
            b"true".to_vec()
        } else {
            b"false".to_vec()
        }),
        _ => None,
    }
}

/// The text as a JSON writer spells it inside a string, with the quotes
/// when `quoted`; `None` for the empty text.
fn spelled(text: &str, quoted: bool) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    let mut needle = String::new();
    if quoted {
        crate::json::write_string(&mut needle, text).ok()?;
    } else {
        crate::json::write_string_body(&mut needle, text).ok()?;
    }
    Some(needle.into_bytes())
}

#[cfg(test)]
mod tests {
    use crate::Filter;

    fn needles(f: &str) -> Vec<Vec<String>> {
        let f = Filter::parse(f).unwrap();
        f.prefilter_for_tests().needles()
    }

    #[test]
    fn seed_needles() {
        let n = needles(
            r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#,
        );
        // The capitalised value is the rarer: it drives the search.
        assert_eq!(
            n,
            vec![
                vec![r#""Manual action""#.to_owned()],
                vec![r#""system.import.start""#.to_owned()]
            ]
        );
    }

    /// Okta writes its enumerations in capitals (`outcome.result` is
    /// `"SUCCESS"` in most events): an all-capitals word is no rarer than
    /// an event type, and the longer needle drives.
    #[test]
    fn capitalised_enumerations_are_common() {
        let n = needles(
            r#"eventType eq "user.session.access_admin_app" and outcome.result eq "FAILURE""#,
        );
        assert_eq!(n[0], vec![r#""user.session.access_admin_app""#.to_owned()]);
        // Mixed case (a name, a message) still counts as rare.
        let n = needles(
            r#"outcome.result eq "SUCCESS" and target.displayName co "Okta Admin Console""#,
        );
        assert_eq!(n[0], vec!["Okta Admin Console".to_owned()]);
        let n = needles(r#"eventType eq "user.session.start" and a co "New Device=POSITIVE""#);
        assert_eq!(n[0], vec!["New Device=POSITIVE".to_owned()]);
    }

    /// A set's needles for `sw` and `ew` hold the string's quote; a
    /// filter's own do not.
    #[test]
    fn anchored_prefixes_and_suffixes() {
        let f =
            Filter::parse(r#"a sw "user.account" and b ew "@example.com" and c co "x""#).unwrap();
        let mut n = super::required_anchored(&f.ir, super::MANY_NEEDLES).unwrap();
        n.sort();
        assert_eq!(
            n,
            [
                vec![b"\"user.account".to_vec()],
                vec![b"@example.com\"".to_vec()],
                vec![b"x".to_vec()]
            ]
        );
        let mut own = super::required(&f.ir, super::MANY_NEEDLES).unwrap();
        own.sort();
        assert_eq!(
            own,
            [
                vec![b"@example.com".to_vec()],
                vec![b"user.account".to_vec()],
                vec![b"x".to_vec()]
            ]
        );
        // Ignore-case: nothing, anchored or not.
        let i = Filter::builder()
            .ignore_case(true)
            .parse(r#"a sw "user""#)
            .unwrap();
        assert!(super::required_anchored(&i.ir, super::MANY_NEEDLES).is_none());
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
    fn a_set_needs_what_the_or_of_its_eqs_needs() {
        // `a eq "x2" or a eq "x1"` is one set leaf: one of the two needles.
        assert_eq!(
            needles(r#"a eq "x2" or b co "y" or a eq "x1""#),
            vec![vec![r#""x1""#, r#""x2""#, "y"]]
        );
        // A literal that other spellings can equal: nothing.
        assert!(needles(r#"a eq "x" or a eq 5"#).is_empty());
        assert!(needles(r#"a eq "x" or a eq "2024-05-01""#).is_empty());
        // `true` and `"true"`: the bare word.
        assert_eq!(needles(r#"a eq "true" or a eq true"#), vec![vec!["true"]]);
        // `ne`s of an `and` make a negated set: nothing.
        assert!(needles(r#"a ne "x" and a ne "y""#).is_empty());
    }

    #[test]
    fn too_many_needles_step_aside() {
        let list = |n: usize| {
            (0..n)
                .map(|i| format!(r#"client.ipAddress eq "10.0.0.{i}""#))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        assert_eq!(needles(&list(super::MANY_NEEDLES)).len(), 1);
        assert_eq!(
            needles(&list(super::MANY_NEEDLES))[0].len(),
            super::MANY_NEEDLES
        );
        assert!(needles(&list(super::MANY_NEEDLES + 1)).is_empty());
        assert!(needles(&list(7000)).is_empty());
        // Another required literal still drives the search.
        let f = format!(r#"eventType eq "user.session.start" and ({})"#, list(7000));
        assert_eq!(needles(&f), vec![vec![r#""user.session.start""#]]);
        // In an `or`, each operand gives its best alternative that is
        // small enough.
        let f = format!(
            r#"(outcome.result eq "FAILURE" and ({})) or eventType eq "x""#,
            list(100)
        );
        assert_eq!(needles(&f), vec![vec![r#""FAILURE""#, r#""x""#]]);
        // Distinct paths count as much as one: an `or` of many needles.
        let f = (0..40)
            .map(|i| format!(r#"p{i} co "v{i}""#))
            .collect::<Vec<_>>()
            .join(" or ");
        assert!(needles(&f).is_empty());
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

    #[test]
    fn candidate_lines_are_the_lines_that_may_match() {
        let f = Filter::parse(r#"eventType eq "a.b" and x co "zz""#).unwrap();
        let buf = concat!(
            "{\"eventType\":\"a.b\",\"x\":\"zz\"}\n", // both needles: yes
            "{\"eventType\":\"a.b\"}\n",              // second needle missing: no
            "\n",                                     // blank: no
            "{\"eventType\":\"\\u0061.b\",\"x\":\"zz\"}\n", // escaped: yes
            "{\"x\":\"zz\",\"eventType\":\"a.b\"}",   // last line, no newline: yes
        )
        .as_bytes();
        let lines: Vec<&[u8]> = f.candidate_lines(buf).map(|r| &buf[r]).collect();
        let all: Vec<&[u8]> = buf
            .split(|&b| b == b'\n')
            .filter(|l| f.may_match(l))
            .collect();
        assert_eq!(lines, all);
        assert_eq!(lines.len(), 3);
        // Without literals, every line.
        let g = Filter::parse("x pr").unwrap();
        assert_eq!(g.candidate_lines(buf).count(), 5);
    }
}
