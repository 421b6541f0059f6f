//! Many filters over one stream of events, each event read once: a
//! [`FilterSet`] answers "which filters select this event" with exactly
//! the answers of each filter's own [`Filter::matches_json`] and
//! [`Filter::matches`].
//!
//! A set is a representation of its own built from the filters' IRs, not
//! another evaluator:
//!
//! - one literal prefilter for all of them (`prefilter_set.rs`): one
//!   Aho-Corasick search over every filter's required literals finds an
//!   event's *candidates*, among the filters whose own prefilter would
//!   let it through, and a line of NDJSON with no candidate is skipped
//!   unread;
//! - one scanner index for all of them (`trie.rs`, `Index::many`): one
//!   root per filter, every path in one trie, so the bytes scanner
//!   (`scan.rs`) reads the event once, feeding only the candidates'
//!   leaves, and then decides each candidate over the shared bits. An
//!   event with one candidate is decided by that filter's own index, which
//!   is the same scanner over a smaller trie.
//!
//! The `Value` side has no bytes to search: [`FilterSet::matches`] asks
//! each filter in turn.

use std::cell::RefCell;

use crate::error::JsonError;
use crate::prefilter_set::{self, CandidateLines, SetPrefilter};
use crate::trie::Index;
use crate::{access, json, scan, Filter};

/// Compiled filters matched together: which of them select an event, from
/// its JSON text in one pass, or from a [`serde_json::Value`].
///
/// A filter in the set keeps its own options (ignore-case, invert, since,
/// until, keywords). Answers are lists of indices into
/// [`filters`](FilterSet::filters), ascending. `FilterSet` is
/// `Send + Sync`: share one across threads.
///
/// ```
/// use oktaql::{Filter, FilterSet};
///
/// let set = FilterSet::new(vec![
///     Filter::parse(r#"eventType eq "system.import.start""#)?,
///     Filter::parse(r#"outcome.result eq "FAILURE""#)?,
///     Filter::builder().ignore_case(true).parse(r#"actor.alternateId sw "ADMIN""#)?,
/// ]);
/// let mut hits = Vec::new();
/// set.matches_json(
///     br#"{"eventType":"system.import.start","outcome":{"result":"FAILURE"},"actor":{"alternateId":"bob@example.com"}}"#,
///     &mut hits,
/// )?;
/// assert_eq!(hits, [0, 1]);
/// set.matches_json(br#"{"actor":{"alternateId":"admin@example.com"}}"#, &mut hits)?;
/// assert_eq!(hits, [2]);
/// // Malformed JSON is an error, as for each filter alone.
/// assert!(set.matches_json(br#"{"eventType":"system.import.start""#, &mut hits).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct FilterSet {
    filters: Vec<Filter>,
    /// One root per filter, in order.
    index: Index,
    prefilter: SetPrefilter,
}

/// Per thread: the candidates of the event being matched, and one flag
/// per filter of the largest set seen (all false between uses).
#[derive(Default)]
struct Scratch {
    candidates: Vec<usize>,
    open: Vec<bool>,
    prefilter: prefilter_set::Scratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

impl FilterSet {
    /// Compiles the filters into one set; filter `i` is index `i` in every
    /// answer.
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    ///
    /// let set = FilterSet::new(vec![Filter::parse("a pr")?, Filter::parse("b pr")?]);
    /// assert_eq!(set.len(), 2);
    /// assert!(!set.is_empty());
    /// assert_eq!(set.filters()[1].to_string(), "b pr");
    /// assert!(FilterSet::new(Vec::new()).is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn new(filters: Vec<Filter>) -> FilterSet {
        let index = Index::many(filters.iter().map(|f| &f.ir));
        let prefilter = SetPrefilter::new(filters.iter().map(|f| &f.ir));
        FilterSet {
            filters,
            index,
            prefilter,
        }
    }

    /// How many filters the set holds.
    pub fn len(&self) -> usize {
        self.filters.len()
    }

    /// Whether the set holds no filter (then nothing selects any event).
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// The filters, in the order given to [`new`](FilterSet::new).
    pub fn filters(&self) -> &[Filter] {
        &self.filters
    }

    /// The filters that select the event, as [`Filter::matches`] decides
    /// for each: their indices, ascending, into `out` (cleared first).
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    /// use serde_json::json;
    ///
    /// let set = FilterSet::new(vec![
    ///     Filter::parse(r#"outcome.result eq "SUCCESS""#)?,
    ///     Filter::builder().invert(true).parse(r#"outcome.result eq "SUCCESS""#)?,
    /// ]);
    /// let mut hits = Vec::new();
    /// set.matches(&json!({"outcome": {"result": "DENY"}}), &mut hits);
    /// assert_eq!(hits, [1]);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn matches(&self, event: &serde_json::Value, out: &mut Vec<usize>) {
        let Ok(()) = self.matches_access(&event, out);
    }

    /// [`matches`](FilterSet::matches) for an event held in a tree of
    /// your own behind [`access::Access`] (the Python binding's dicts), as
    /// [`Filter::matches_access`] decides for each filter. An error from
    /// the tree is returned as is, and `out` is then incomplete.
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    /// use serde_json::json;
    ///
    /// let set = FilterSet::new(vec![Filter::parse(r#"target[type eq "User"]"#)?]);
    /// let mut hits = Vec::new();
    /// set.matches_access(&&json!({"target": [{"type": "User"}]}), &mut hits)?;
    /// assert_eq!(hits, [0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_access<V: access::Access>(
        &self,
        event: &V,
        out: &mut Vec<usize>,
    ) -> Result<(), V::Error> {
        out.clear();
        for (i, f) in self.filters.iter().enumerate() {
            if f.matches_access(event)? {
                out.push(i);
            }
        }
        Ok(())
    }

    /// The filters that select one event, given as its JSON text: their
    /// indices, ascending, into `out` (cleared first). Exactly the filters
    /// whose own [`Filter::matches_json`] is `Ok(true)`; the event is
    /// validated whole whatever the filters, and malformed JSON is the
    /// error each filter alone would give (then `out` is empty).
    ///
    /// The event is searched once for every filter's literals, and read
    /// once by the scanner for all the filters that may match it.
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet, JsonErrorKind};
    ///
    /// let set = FilterSet::new(vec![
    ///     Filter::parse(r#"eventType eq "user.session.start""#)?,
    ///     Filter::parse(r#"eventType sw "user.""#)?,
    /// ]);
    /// let mut hits = Vec::new();
    /// set.matches_json(br#"{"eventType":"user.session.start"}"#, &mut hits)?;
    /// assert_eq!(hits, [0, 1]);
    /// // No filter's literal is in it, and it is still validated.
    /// let err = set.matches_json(br#"{"a":1,}"#, &mut hits).unwrap_err();
    /// assert_eq!(err.kind(), JsonErrorKind::UnexpectedByte);
    /// assert_eq!(Some(err), set.filters()[0].matches_json(br#"{"a":1,}"#).err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_json(&self, event: &[u8], out: &mut Vec<usize>) -> Result<(), JsonError> {
        with_scratch(|s| {
            let mut candidates = std::mem::take(&mut s.candidates);
            self.prefilter
                .candidates(event, &mut s.prefilter, &mut candidates);
            let result = self.decide(event, &candidates, &mut s.open, out);
            s.candidates = candidates;
            result
        })
    }

    /// The filters that may select the event, by their literals alone: their
    /// indices, ascending, into `out` (cleared first). A filter left out
    /// cannot select the event (for valid JSON; the set rules out at least
    /// what the filter's [`Filter::may_match`] does); the JSON is not
    /// validated. [`matches_json`](FilterSet::matches_json) is
    /// this, then [`matches_json_among`](FilterSet::matches_json_among).
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    ///
    /// let set = FilterSet::new(vec![
    ///     Filter::parse(r#"eventType eq "user.session.start""#)?,
    ///     Filter::parse(r#"outcome.result eq "FAILURE""#)?,
    ///     Filter::parse("published pr")?,
    /// ]);
    /// let mut candidates = Vec::new();
    /// set.candidates(br#"{"outcome":{"result":"FAILURE"}}"#, &mut candidates);
    /// // The last filter needs no literal: it is a candidate everywhere.
    /// assert_eq!(candidates, [1, 2]);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn candidates(&self, event: &[u8], out: &mut Vec<usize>) {
        with_scratch(|s| self.prefilter.candidates(event, &mut s.prefilter, out));
    }

    /// The filters among `candidates` (indices into
    /// [`filters`](FilterSet::filters), ascending, each once) that select
    /// the event, into `out` (cleared first). Given the candidates of the
    /// event ([`candidates`](FilterSet::candidates), or
    /// [`CandidateLines::candidates`] for a line), this is
    /// [`matches_json`](FilterSet::matches_json) without searching the
    /// event for literals again. The event is validated whole whatever the
    /// candidates, none included.
    ///
    /// # Panics
    ///
    /// If a candidate is not the index of a filter of the set.
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    ///
    /// let set = FilterSet::new(vec![Filter::parse("a pr")?, Filter::parse("b pr")?]);
    /// let mut hits = Vec::new();
    /// set.matches_json_among(br#"{"a":1,"b":2}"#, &[1], &mut hits)?;
    /// assert_eq!(hits, [1]);
    /// assert!(set.matches_json_among(b"{", &[], &mut hits).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_json_among(
        &self,
        event: &[u8],
        candidates: &[usize],
        out: &mut Vec<usize>,
    ) -> Result<(), JsonError> {
        with_scratch(|s| self.decide(event, candidates, &mut s.open, out))
    }

    fn decide(
        &self,
        event: &[u8],
        candidates: &[usize],
        open: &mut Vec<bool>,
        out: &mut Vec<usize>,
    ) -> Result<(), JsonError> {
        out.clear();
        match *candidates {
            [] => json::validate(event),
            // One candidate: its own index is the same scanner over its
            // own, smaller trie.
            [c] => {
                if self.filters[c].matches_json(event)? {
                    out.push(c);
                }
                Ok(())
            }
            _ => {
                if open.len() < self.filters.len() {
                    open.resize(self.filters.len(), false);
                }
                for &c in candidates {
                    assert!(c < self.filters.len(), "no filter {c} in the set");
                    open[c] = true;
                }
                let result = scan::matches_among(&self.index, event, open, candidates, out);
                for &c in candidates {
                    open[c] = false;
                }
                if result.is_err() {
                    out.clear();
                }
                result
            }
        }
    }

    /// The lines of a buffer of NDJSON that some filter may select, as
    /// byte ranges (without the `\n`; a `\r` before it is kept), each with
    /// its candidates ([`CandidateLines::candidates`]). The buffer is
    /// searched whole, once, for every filter's literals; lines that no
    /// filter's literals allow are skipped without being looked at, as
    /// [`Filter::candidate_lines`] skips them for one filter. When some
    /// filter needs no literal, every line is yielded. Each yielded line
    /// still needs [`matches_json_among`](FilterSet::matches_json_among)
    /// with its candidates (or [`matches_json`](FilterSet::matches_json)).
    ///
    /// ```
    /// use oktaql::{Filter, FilterSet};
    ///
    /// let set = FilterSet::new(vec![
    ///     Filter::parse(r#"eventType eq "user.session.start""#)?,
    ///     Filter::parse(r#"outcome.result eq "FAILURE""#)?,
    /// ]);
    /// let buf = b"{\"eventType\":\"user.session.end\"}\n\
    ///             {\"eventType\":\"user.session.start\",\"outcome\":{\"result\":\"FAILURE\"}}\n\
    ///             {\"outcome\":{\"result\":\"FAILURE\"},\"eventType\":\"x\"}\n";
    /// let mut lines = set.candidate_lines(buf);
    /// let mut hits = Vec::new();
    /// let mut selected = Vec::new();
    /// while let Some(range) = lines.next() {
    ///     set.matches_json_among(&buf[range.clone()], lines.candidates(), &mut hits)?;
    ///     selected.push((range.start, hits.clone()));
    /// }
    /// // The first line holds neither literal: skipped unread.
    /// assert_eq!(selected, [(33, vec![0, 1]), (99, vec![1])]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn candidate_lines<'s, 'b>(&'s self, buf: &'b [u8]) -> CandidateLines<'s, 'b> {
        self.prefilter.lines(buf)
    }
}

/// The filters, in order.
impl std::fmt::Debug for FilterSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilterSet")
            .field("filters", &self.filters)
            .finish_non_exhaustive()
    }
}

/// A set of the filters, in the iterator's order.
///
/// ```
/// use oktaql::{Filter, FilterSet};
///
/// let set: FilterSet = ["a pr", "b pr"].iter().map(|t| Filter::parse(t)).collect::<Result<_, _>>()?;
/// assert_eq!(set.len(), 2);
/// # Ok::<(), oktaql::ParseError>(())
/// ```
impl FromIterator<Filter> for FilterSet {
    fn from_iter<I: IntoIterator<Item = Filter>>(iter: I) -> FilterSet {
        FilterSet::new(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_set_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FilterSet>();
        assert_send_sync::<CandidateLines<'_, '_>>();
    }
}
