//! Matching a [`Batch`] against a [`Filter`]: the events it selects and the
//! problems met, in input order. The `oktaql` command's workers and the
//! Python binding's `filter_file` both run this, so they select, skip and
//! report the same.

use memchr::{memchr2, memchr_iter};

use super::{Batch, Part};
use crate::{Filter, JsonError};

#[cfg(feature = "rules")]
use crate::rules::RuleSet;

/// What [`Batch::select`] reports, in input order.
///
/// ```
/// use oktaql::read::{Batch, Reader, Selected};
/// use oktaql::Filter;
///
/// let text = b"{\"eventType\":\"user.session.start\"}\n{\"eventType\":\"user.session.start\"\n";
/// let filter = Filter::parse(r#"eventType eq "user.session.start""#)?;
/// let mut batch = Batch::new();
/// Reader::new(&text[..])?.fill(&mut batch)?;
/// let mut report = Vec::new();
/// batch.select(&filter, |s| match s {
///     Selected::Event(mut hit) => report.push(format!("match at {}", hit.line())),
///     Selected::Bad { line, message } => report.push(format!("{line}: {message}")),
/// });
/// assert_eq!(report[0], "match at 1");
/// assert_eq!(report[1], "2: malformed JSON: the input ends inside the value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub enum Selected<'a, 'b> {
    /// An event the filter selects.
    Event(
        /// The event.
        Hit<'a, 'b>,
    ),
    /// A value that is not an event, or an event that is not valid JSON:
    /// the line where it starts and what is wrong, worded as the `oktaql`
    /// command words its warnings (`malformed JSON: ...`, `unexpected end
    /// of JSON at byte 17`, `... (lines 3-9 skipped)`). Reading goes on.
    Bad {
        /// The line where the value starts (1-based).
        line: u64,
        /// What is wrong with it.
        message: String,
    },
}

/// A selected event: its JSON text, and its line on demand.
///
/// ```
/// use oktaql::read::{Batch, Reader, Selected};
/// use oktaql::Filter;
///
/// let text = b"[\n  {\"eventType\": \"user.session.start\"}\n]\n";
/// let mut batch = Batch::new();
/// Reader::new(&text[..])?.fill(&mut batch)?;
/// let mut out = Vec::new();
/// batch.select(&Filter::parse("eventType pr")?, |s| {
///     if let Selected::Event(mut hit) = s {
///         assert!(!hit.is_line());
///         assert_eq!(hit.line(), 2);
///         hit.write_line(&mut out);
///     }
/// });
/// assert_eq!(out, br#"{"eventType":"user.session.start"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Hit<'a, 'b> {
    text: &'a [u8],
    one_line: bool,
    start: usize,
    at: &'b mut LineAt<'a>,
    /// With [`Batch::select_rules`]: the rules that select the event.
    rules: &'b [usize],
}

impl<'a> Hit<'a, '_> {
    /// The event's JSON text as read, valid JSON: an NDJSON line without
    /// its line end (nor a `\r` before it), or a value the scanner read (an
    /// array element, a pretty-printed object), which may span lines.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::Filter;
    ///
    /// let mut batch = Batch::new();
    /// Reader::new(&b"{\"outcome\":{\"result\":\"FAILURE\"}}\r\n"[..])?.fill(&mut batch)?;
    /// let mut texts = Vec::new();
    /// batch.select(&Filter::parse(r#"outcome.result eq "FAILURE""#)?, |s| {
    ///     if let Selected::Event(hit) = s {
    ///         texts.push(hit.bytes().to_vec());
    ///     }
    /// });
    /// // Without the CR and LF.
    /// assert_eq!(texts, [b"{\"outcome\":{\"result\":\"FAILURE\"}}".to_vec()]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes(&self) -> &'a [u8] {
        self.text
    }

    /// Whether the text is an NDJSON line as read (no line break inside).
    /// Otherwise [`compact_into`] puts it on one line.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::Filter;
    ///
    /// let mut batch = Batch::new();
    /// Reader::new(&b"{\"a\":1}\n{\n\"a\":1}\n"[..])?.fill(&mut batch)?;
    /// let mut kinds = Vec::new();
    /// batch.select(&Filter::parse("a eq 1")?, |s| {
    ///     if let Selected::Event(hit) = s {
    ///         kinds.push(hit.is_line());
    ///     }
    /// });
    /// assert_eq!(kinds, [true, false]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_line(&self) -> bool {
        self.one_line
    }

    /// The line where the event starts (1-based). Counted on demand, from
    /// the previous count forward: a batch whose selected events are never
    /// asked for their line is never counted.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::Filter;
    ///
    /// let mut batch = Batch::new();
    /// Reader::new(&b"{\"a\":1}\n{\"a\":2}\n{\"a\":1}\n"[..])?.fill(&mut batch)?;
    /// let mut lines = Vec::new();
    /// batch.select(&Filter::parse("a eq 1")?, |s| {
    ///     if let Selected::Event(mut hit) = s {
    ///         lines.push(hit.line());
    ///     }
    /// });
    /// assert_eq!(lines, [1, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line(&mut self) -> u64 {
        self.at.line(self.start)
    }

    /// Appends the event as one line of JSON (without a line end) to
    /// `out`: an NDJSON line as read, another event compacted.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::Filter;
    ///
    /// let mut batch = Batch::new();
    /// Reader::new(&b"{ \"a\" : 1 }\n[{ \"a\" : 1 }]\n"[..])?.fill(&mut batch)?;
    /// let mut out = Vec::new();
    /// batch.select(&Filter::parse("a eq 1")?, |s| {
    ///     if let Selected::Event(hit) = s {
    ///         hit.write_line(&mut out);
    ///         out.push(b'\n');
    ///     }
    /// });
    /// // An NDJSON line as read; an array element compacted.
    /// assert_eq!(out, b"{ \"a\" : 1 }\n{\"a\":1}\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_line(&self, out: &mut Vec<u8>) {
        if self.one_line {
            out.extend_from_slice(self.text);
        } else {
            compact_into(self.text, out);
        }
    }

    /// With [`Batch::select_rules`], the indices (in
    /// [`RuleSet::rules`](crate::rules::RuleSet::rules), ascending) of the
    /// rules that select the event; empty with [`Batch::select`].
    pub fn rules(&self) -> &[usize] {
        self.rules
    }
}

/// Line numbers in a run of lines, counted on demand and only forward.
#[derive(Debug)]
struct LineAt<'a> {
    data: &'a [u8],
    counted: usize,
    line: u64,
}

impl LineAt<'_> {
    fn known(line: u64) -> LineAt<'static> {
        LineAt {
            data: &[],
            counted: 0,
            line,
        }
    }

    /// The line of the byte at `offset` (offsets asked in order).
    fn line(&mut self, offset: usize) -> u64 {
        if offset > self.counted {
            self.line += memchr_iter(b'\n', &self.data[self.counted..offset]).count() as u64;
            self.counted = offset;
        }
        self.line
    }
}

/// What a batch is matched against: one filter, or a rule set.
trait Matcher {
    /// Calls `each` with the range of every line of an NDJSON run that may
    /// match, and its candidates (what [`Matcher::decide`] is given).
    fn each_line(&self, data: &[u8], each: &mut dyn FnMut(std::ops::Range<usize>, &[usize]));
    /// `false` when the event's bytes cannot match; else its candidates
    /// are in `candidates`.
    fn may_match(&self, text: &[u8], candidates: &mut Vec<usize>) -> bool;
    /// Whether the event is selected, given its candidates, and by which
    /// rules (into `rules`).
    fn decide(
        &self,
        text: &[u8],
        candidates: &[usize],
        rules: &mut Vec<usize>,
    ) -> Result<bool, JsonError>;
}

impl Matcher for Filter {
    fn each_line(&self, data: &[u8], each: &mut dyn FnMut(std::ops::Range<usize>, &[usize])) {
        for r in self.candidate_lines(data) {
            each(r, &[]);
        }
    }

    fn may_match(&self, text: &[u8], _candidates: &mut Vec<usize>) -> bool {
        Filter::may_match(self, text)
    }

    fn decide(&self, text: &[u8], _: &[usize], _: &mut Vec<usize>) -> Result<bool, JsonError> {
        self.matches_json(text)
    }
}

#[cfg(feature = "rules")]
impl Matcher for RuleSet {
    fn each_line(&self, data: &[u8], each: &mut dyn FnMut(std::ops::Range<usize>, &[usize])) {
        let mut lines = self.filter_set().candidate_lines(data);
        while let Some(r) = lines.next() {
            each(r, lines.candidates());
        }
    }

    fn may_match(&self, text: &[u8], candidates: &mut Vec<usize>) -> bool {
        self.filter_set().candidates(text, candidates);
        !candidates.is_empty()
    }

    fn decide(
        &self,
        text: &[u8],
        candidates: &[usize],
        rules: &mut Vec<usize>,
    ) -> Result<bool, JsonError> {
        self.filter_set()
            .matches_json_among(text, candidates, rules)?;
        Ok(!rules.is_empty())
    }
}

impl Batch {
    /// Matches the batch's events against `filter` and calls `each` with
    /// every selected event and every problem, in input order.
    ///
    /// Runs of NDJSON lines are searched whole for the filter's literals
    /// ([`Filter::candidate_lines`]); the lines that cannot hold them are
    /// skipped unread, so a malformed line that cannot match is not
    /// reported. Every other event is validated whole by
    /// [`Filter::matches_json`]: malformed JSON is a [`Selected::Bad`],
    /// never a match. Blank lines are skipped.
    ///
    /// Returns how many events were looked at, counting each line of a run
    /// of NDJSON lines as one (blank lines included): for progress
    /// counters.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::Filter;
    ///
    /// let text = b"{\"a\":1}\n{\"a\":2}\n{\"a\":2,}\n[{ \"a\" : 2 }]\n";
    /// let filter = Filter::parse("a eq 2")?;
    /// let mut reader = Reader::new(&text[..])?;
    /// let mut batch = Batch::new();
    /// let (mut out, mut bad) = (Vec::new(), Vec::new());
    /// while reader.fill(&mut batch)? {
    ///     batch.select(&filter, |s| match s {
    ///         Selected::Event(mut hit) => {
    ///             hit.write_line(&mut out);
    ///             out.extend_from_slice(format!(" (line {})\n", hit.line()).as_bytes());
    ///         }
    ///         Selected::Bad { line, message } => bad.push(format!("{line}: {message}")),
    ///     });
    /// }
    /// assert_eq!(out, b"{\"a\":2} (line 2)\n{\"a\":2} (line 4)\n");
    /// assert_eq!(bad, ["3: unexpected byte in JSON at byte 7"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn select(&self, filter: &Filter, each: impl FnMut(Selected<'_, '_>)) -> u64 {
        self.select_with(filter, each)
    }

    /// [`Batch::select`] for a rule set, in one pass: calls `each` with
    /// every event some rule selects ([`Hit::rules`] says which) and every
    /// problem, in input order. Lines no rule can match are skipped unread.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader, Selected};
    /// use oktaql::rules::{LoadOptions, Loader};
    ///
    /// let mut loader = Loader::new(LoadOptions::new());
    /// loader.add_yaml("title: a\nid: a\nfilter: x eq 1\n---\ntitle: b\nid: b\nfilter: y pr\n", "r.yml");
    /// let (rules, _) = loader.finish();
    /// let mut batch = Batch::new();
    /// Reader::new(&b"{\"x\":1}\n{\"x\":2}\n{\"x\":1,\"y\":0}\n"[..])?.fill(&mut batch)?;
    /// let mut got = Vec::new();
    /// batch.select_rules(&rules, |s| {
    ///     if let Selected::Event(mut hit) = s {
    ///         got.push((hit.line(), hit.rules().to_vec()));
    ///     }
    /// });
    /// assert_eq!(got, [(1, vec![0]), (3, vec![0, 1])]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "rules")]
    pub fn select_rules(&self, rules: &RuleSet, each: impl FnMut(Selected<'_, '_>)) -> u64 {
        self.select_with(rules, each)
    }

    fn select_with<M: Matcher>(&self, filter: &M, mut each: impl FnMut(Selected<'_, '_>)) -> u64 {
        let mut rules = Vec::new();
        let mut candidates = Vec::new();
        let data = self.data();
        let mut events = 0;
        for part in self.parts() {
            match part {
                Part::Lines { range, line, lines } => {
                    let data = &data[range.clone()];
                    // A line's number is counted only when asked for.
                    let mut at = LineAt {
                        data,
                        counted: 0,
                        line: *line,
                    };
                    filter.each_line(data, &mut |r, cands| {
                        let mut text = &data[r.clone()];
                        if let [rest @ .., b'\r'] = text {
                            text = rest;
                        }
                        if text.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
                            return;
                        }
                        // The prefilter has passed it already.
                        let found = Found {
                            text,
                            one_line: true,
                            start: r.start,
                            candidates: cands,
                        };
                        if let Err(e) = event(filter, found, &mut at, &mut rules, &mut each) {
                            // Not one value: read as JSON text before
                            // anything on it is called bad.
                            values_on_line(
                                filter, text, r.start, cands, e, &mut at, &mut rules, &mut each,
                            );
                        }
                    });
                    events += lines;
                }
                Part::Event { range, line } => {
                    events += 1;
                    let text = &data[range.clone()];
                    if filter.may_match(text, &mut candidates) {
                        let at = &mut LineAt::known(*line);
                        let found = Found {
                            text,
                            one_line: false,
                            start: 0,
                            candidates: &candidates,
                        };
                        if let Err(e) = event(filter, found, at, &mut rules, &mut each) {
                            each(Selected::Bad {
                                line: *line,
                                message: e.to_string(),
                            });
                        }
                    }
                }
                Part::Bad(b) => {
                    let message = if b.end_line > b.line {
                        format!("{} (lines {}-{} skipped)", b.message, b.line, b.end_line)
                    } else {
                        b.message.clone()
                    };
                    each(Selected::Bad {
                        line: b.line,
                        message,
                    });
                }
            }
        }
        events
    }
}

/// An event that may match: its text, whether it is an NDJSON line, where
/// it starts in its run of lines, and its candidates.
struct Found<'a, 'c> {
    text: &'a [u8],
    one_line: bool,
    start: usize,
    candidates: &'c [usize],
}

/// One event that may match: matched, and reported when selected; the
/// error when it is not valid JSON.
fn event<'a>(
    filter: &impl Matcher,
    found: Found<'a, '_>,
    at: &mut LineAt<'a>,
    rules: &mut Vec<usize>,
    each: &mut impl FnMut(Selected<'_, '_>),
) -> Result<(), JsonError> {
    let Found {
        text,
        one_line,
        start,
        candidates,
    } = found;
    if filter.decide(text, candidates, rules)? {
        each(Selected::Event(Hit {
            text,
            one_line,
            start,
            at,
            rules,
        }));
    }
    Ok(())
}

/// An NDJSON line that is not one valid value (`error`), read as JSON text:
/// its values one after another, each matched (with the line's candidates:
/// what the prefilter let through for the line holds for its parts) and
/// each bad one reported. A line that is one malformed value is reported
/// with `error`, as before.
#[allow(clippy::too_many_arguments)]
fn values_on_line<'a>(
    filter: &impl Matcher,
    text: &'a [u8],
    start: usize,
    candidates: &[usize],
    error: JsonError,
    at: &mut LineAt<'a>,
    rules: &mut Vec<usize>,
    each: &mut impl FnMut(Selected<'_, '_>),
) {
    let items = match super::values_of_line(text) {
        Some(items) if items.len() > 1 => items,
        _ => {
            return each(Selected::Bad {
                line: at.line(start),
                message: error.to_string(),
            })
        }
    };
    for item in items {
        match item {
            Ok(range) => {
                let found = Found {
                    text: &text[range],
                    one_line: false,
                    start,
                    candidates,
                };
                if let Err(e) = event(filter, found, at, rules, each) {
                    each(Selected::Bad {
                        line: at.line(start),
                        message: e.to_string(),
                    });
                }
            }
            Err(b) => each(Selected::Bad {
                line: at.line(start),
                message: b.message,
            }),
        }
    }
}

/// Appends `src` (one JSON value, already validated) to `out` without the
/// whitespace outside strings, keeping every other byte, so key order and
/// the spelling of strings and numbers are kept.
///
/// ```
/// use oktaql::read::compact_into;
///
/// let mut out = b"> ".to_vec();
/// compact_into(b"{\n  \"actor\": {\"displayName\": \"Alice  Smith\"},\n  \"n\": 1.50\n}", &mut out);
/// assert_eq!(out, br#"> {"actor":{"displayName":"Alice  Smith"},"n":1.50}"#);
/// ```
pub fn compact_into(src: &[u8], out: &mut Vec<u8>) {
    let n = src.len();
    let mut i = 0;
    while i < n {
        match src[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match memchr2(b'"', b'\\', &src[i..]) {
                        Some(k) if src[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k + 1;
                            break;
                        }
                        None => {
                            i = n;
                            break;
                        }
                    }
                }
                let end = i.min(n);
                out.extend_from_slice(&src[start..end]);
                i = end;
            }
            _ => {
                let start = i;
                while i < n && !matches!(src[i], b' ' | b'\t' | b'\n' | b'\r' | b'"') {
                    i += 1;
                }
                out.extend_from_slice(&src[start..i]);
            }
        }
    }
}
