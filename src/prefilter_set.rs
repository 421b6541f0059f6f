//! The literal prefilter of a [`FilterSet`](crate::FilterSet): one
//! multi-literal search (Aho-Corasick) over the needles of every filter
//! finds, for an event or for each line of an NDJSON buffer, the filters
//! that may select it (its *candidates*).
//!
//! Each filter's needles are those of its own prefilter (`prefilter.rs`:
//! [`required`], a conjunction of alternatives, under the same rules for
//! escapes), its alternatives sorted rarest first by the same
//! [`rarity`] guess; the first alternative *drives*. The automaton holds
//! every needle of every alternative of every filter, each once, and the
//! two escapes that can hide a needle: `\u` and `\/`. One overlapping
//! search reports which needles a line holds; then
//!
//! - a filter with no needle is a candidate for every line;
//! - a hit of a needle of a filter's driving alternative makes it pending,
//!   and a pending filter is a candidate when each of its other
//!   alternatives has a needle in the line too (the check
//!   `Prefilter::may_match_from` makes with one search per needle, here a
//!   lookup in what the one search found);
//! - a line holding `\u` keeps every filter as a candidate, and a line
//!   holding `\/` every filter whose missing alternatives have a needle
//!   with a `/`: exactly when a filter's own prefilter lets it through.
//!
//! So a filter is a candidate for a line exactly when its own
//! [`Filter::may_match`](crate::Filter::may_match) is true for the line,
//! except that an alternative may have more needles here (up to
//! [`MANY_NEEDLES`], not 16: one automaton costs the same for any number of
//! needles, where a filter of its own searches once per needle), which
//! only rules out more lines, soundly. Ignore-case filters, like those
//! whose literals are dates or numbers, have no needles and are candidates
//! everywhere.

use std::ops::Range;

use aho_corasick::{AhoCorasick, FindOverlappingIter, MatchKind};

use crate::ir::Node;
use crate::prefilter::{rarity, required};

/// The most needles an alternative of one filter may have here: an `or`
/// of more `eq`s than this on one path (an IOC list) requires nothing.
pub(crate) const MANY_NEEDLES: usize = 256;

/// Index of a pattern in the automaton.
type PatternId = u32;

/// One filter's alternatives: each needs one of its patterns in the line.
#[derive(Clone, Debug)]
struct Alternative {
    patterns: Box<[PatternId]>,
    /// Some needle holds a `/`, which `\/` can also spell.
    has_slash: bool,
}

/// What the search finds, for a whole set of filters.
#[derive(Clone, Debug)]
pub(crate) struct SetPrefilter {
    /// Every needle and the escapes; `None` when no filter has a needle.
    automaton: Option<AhoCorasick>,
    /// Per pattern: the filters whose driving alternative holds it.
    drives: Vec<Box<[u32]>>,
    /// Per filter: its alternatives, the driving one first; empty for a
    /// filter with no needle.
    alternatives: Vec<Box<[Alternative]>>,
    /// The filters without needles: candidates for every line.
    always: Vec<u32>,
    /// The filters with a `/` in some needle, which a `\/` can keep.
    slashed: Vec<u32>,
    /// The patterns of the escapes, when some needle can be hidden by them.
    unicode: Option<PatternId>,
    slash: Option<PatternId>,
    /// How many patterns the automaton holds.
    patterns: usize,
}

/// Scratch for deciding one line's candidates: all-false between uses.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Per pattern: found in the line.
    present: Vec<bool>,
    /// The patterns found, each once.
    found: Vec<PatternId>,
    /// Per filter: already pending for the line.
    pending: Vec<bool>,
    pending_list: Vec<u32>,
}

impl SetPrefilter {
    pub(crate) fn new<'a>(irs: impl IntoIterator<Item = &'a Node>) -> SetPrefilter {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut ids: std::collections::HashMap<Vec<u8>, PatternId> = Default::default();
        let mut id_of = |needle: Vec<u8>, patterns: &mut Vec<Vec<u8>>| -> PatternId {
            *ids.entry(needle).or_insert_with_key(|n| {
                patterns.push(n.clone());
                (patterns.len() - 1) as PatternId
            })
        };
        let mut alternatives = Vec::new();
        let mut always = Vec::new();
        let mut slashed = Vec::new();
        for (f, ir) in irs.into_iter().enumerate() {
            let mut cnf = required(ir, MANY_NEEDLES).unwrap_or_default();
            // Rarest first, as a filter's own prefilter orders them.
            cnf.sort_by_key(|alt| {
                std::cmp::Reverse(alt.iter().map(|n| rarity(n)).min().unwrap_or((0, 0)))
            });
            let alts: Box<[Alternative]> = cnf
                .into_iter()
                .map(|alt| Alternative {
                    has_slash: alt.iter().any(|n| n.contains(&b'/')),
                    patterns: alt.into_iter().map(|n| id_of(n, &mut patterns)).collect(),
                })
                .collect();
            if alts.is_empty() {
                always.push(f as u32);
            }
            if alts.iter().any(|a| a.has_slash) {
                slashed.push(f as u32);
            }
            alternatives.push(alts);
        }
        let mut drives = vec![Vec::new(); patterns.len()];
        for (f, alts) in alternatives.iter().enumerate() {
            if let Some(first) = alts.first() {
                for &p in first.patterns.iter() {
                    drives[p as usize].push(f as u32);
                }
            }
        }
        let (mut unicode, mut slash) = (None, None);
        if !patterns.is_empty() {
            unicode = Some(patterns.len() as PatternId);
            patterns.push(b"\\u".to_vec());
            if !slashed.is_empty() {
                slash = Some(patterns.len() as PatternId);
                patterns.push(b"\\/".to_vec());
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("the needles of a filter set are few and short")
        });
        SetPrefilter {
            automaton,
            drives: drives.into_iter().map(Vec::into_boxed_slice).collect(),
            alternatives,
            always,
            slashed,
            unicode,
            slash,
            patterns: patterns.len(),
        }
    }

    /// Sizes a scratch for this prefilter.
    fn fit(&self, s: &mut Scratch) {
        if s.present.len() < self.patterns {
            s.present.resize(self.patterns, false);
        }
        if s.pending.len() < self.alternatives.len() {
            s.pending.resize(self.alternatives.len(), false);
        }
    }

    /// The candidates for one event (or line), ascending, into `out`
    /// (cleared first).
    pub(crate) fn candidates(&self, event: &[u8], s: &mut Scratch, out: &mut Vec<usize>) {
        self.fit(s);
        s.found.clear();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(event) {
                s.note(m.pattern().as_u32());
            }
        }
        self.decide(s, out);
    }

    /// The lines of an NDJSON buffer that have candidates.
    pub(crate) fn lines<'p, 'b>(&'p self, buf: &'b [u8]) -> CandidateLines<'p, 'b> {
        let mut scratch = Scratch::default();
        self.fit(&mut scratch);
        CandidateLines {
            prefilter: self,
            buf,
            pos: 0,
            hits: self
                .automaton
                .as_ref()
                .map(|ac| ac.find_overlapping_iter(buf)),
            peeked: None,
            scratch,
            candidates: Vec::new(),
        }
    }

    /// Decides the candidates from the patterns noted in `s.found`, and
    /// resets the scratch.
    fn decide(&self, s: &mut Scratch, out: &mut Vec<usize>) {
        out.clear();
        let flag = |p: Option<PatternId>, s: &Scratch| p.is_some_and(|p| s.present[p as usize]);
        let (unicode, slash) = (flag(self.unicode, s), flag(self.slash, s));
        if unicode {
            // Any needle may be spelled with escapes: every filter.
            out.extend(0..self.alternatives.len());
        } else {
            out.extend(self.always.iter().map(|&f| f as usize));
            let pend = |f: u32, s: &mut Scratch| {
                if !std::mem::replace(&mut s.pending[f as usize], true) {
                    s.pending_list.push(f);
                }
            };
            for i in 0..s.found.len() {
                let p = s.found[i];
                if let Some(fs) = self.drives.get(p as usize) {
                    fs.iter().for_each(|&f| pend(f, s));
                }
            }
            if slash {
                self.slashed.iter().for_each(|&f| pend(f, s));
            }
            for &f in &s.pending_list {
                s.pending[f as usize] = false;
                let holds = |a: &Alternative| {
                    (slash && a.has_slash) || a.patterns.iter().any(|&p| s.present[p as usize])
                };
                if self.alternatives[f as usize].iter().all(holds) {
                    out.push(f as usize);
                }
            }
            s.pending_list.clear();
            if out.len() > 1 {
                out.sort_unstable();
            }
        }
        for &p in &s.found {
            s.present[p as usize] = false;
        }
        s.found.clear();
    }
}

impl Scratch {
    /// A pattern was found in the line.
    #[inline]
    fn note(&mut self, p: PatternId) {
        if !std::mem::replace(&mut self.present[p as usize], true) {
            self.found.push(p);
        }
    }
}

/// The lines of an NDJSON buffer that some filter of a set may select, each
/// with its candidates; see [`FilterSet::candidate_lines`].
///
/// [`FilterSet::candidate_lines`]: crate::FilterSet::candidate_lines
pub struct CandidateLines<'p, 'b> {
    prefilter: &'p SetPrefilter,
    buf: &'b [u8],
    /// Everything before this offset has been yielded or ruled out.
    pos: usize,
    /// The one search over the whole buffer, hits in order of their end.
    hits: Option<FindOverlappingIter<'p, 'b>>,
    /// A hit taken from `hits` that belongs to a later line.
    peeked: Option<(Range<usize>, PatternId)>,
    scratch: Scratch,
    /// The candidates of the line last yielded.
    candidates: Vec<usize>,
}

impl std::fmt::Debug for CandidateLines<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CandidateLines")
            .field("pos", &self.pos)
            .field("candidates", &self.candidates)
            .finish_non_exhaustive()
    }
}

impl CandidateLines<'_, '_> {
    /// The candidates of the line last yielded by [`next`](Iterator::next):
    /// the indices of the filters that may select it, ascending, never
    /// empty after a line was yielded. Give them to
    /// [`FilterSet::matches_json_among`](crate::FilterSet::matches_json_among).
    pub fn candidates(&self) -> &[usize] {
        &self.candidates
    }

    fn next_hit(&mut self) -> Option<(Range<usize>, PatternId)> {
        if let Some(h) = self.peeked.take() {
            return Some(h);
        }
        let m = self.hits.as_mut()?.next()?;
        Some((m.range(), m.pattern().as_u32()))
    }
}

impl Iterator for CandidateLines<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let buf = self.buf;
        let every_line = !self.prefilter.always.is_empty();
        loop {
            if self.pos >= buf.len() {
                return None;
            }
            // The next line to look at: the next line, or the line of the
            // next hit.
            let start = if every_line {
                self.pos
            } else {
                let first = loop {
                    match self.next_hit() {
                        // Hits never span a line end (needles hold none),
                        // so a hit that ends before `pos` is in a line
                        // already done.
                        Some((r, _)) if r.start < self.pos => continue,
                        Some(h) => break h,
                        None => {
                            self.pos = buf.len();
                            return None;
                        }
                    }
                };
                let at = first.0.start;
                self.peeked = Some(first);
                memchr::memrchr(b'\n', &buf[self.pos..at]).map_or(self.pos, |i| self.pos + i + 1)
            };
            let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
            self.pos = end + 1;
            // The line's hits.
            while let Some((r, p)) = self.next_hit() {
                if r.end > end {
                    self.peeked = Some((r, p));
                    break;
                }
                if r.start >= start {
                    self.scratch.note(p);
                }
            }
            self.prefilter
                .decide(&mut self.scratch, &mut self.candidates);
            if !self.candidates.is_empty() {
                return Some(start..end);
            }
        }
    }
}
