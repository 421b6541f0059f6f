//! The attribute paths events have, and the notes for an empty answer.
//!
//! An event *has* a path when following its names from the top object
//! (through arrays, as a filter does) reaches a value, `null` included.
//! Only keys a filter can name count (`[A-Za-z_][A-Za-z0-9_-]*`): nothing
//! under a key such as `"a b"` or `"a.b"` is reported.
//!
//! [`Watch`] collects what the notes need while a run reads its events:
//! whether each path of the filter occurs in any event (exactly, for every
//! event looked at: a quick search for the path's last name rules out most
//! events, the others are walked), and for a sample of events, how many
//! have each path (a [`Census`], bounded to [`MAX_PATHS`] paths).

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{JsonError, JsonErrorKind};
use crate::json::{self, unescape_into, Cursor};
use crate::parse::{is_name_char, is_name_start};
use crate::path::Path;
use crate::prefilter::Prefilter;

use super::similar::{self, Candidate};

/// The most distinct paths a [`Census`] counts; paths first seen after
/// that are not counted (the census says so: [`Census::is_capped`]).
///
/// ```
/// use oktaql::check::{Census, MAX_PATHS};
///
/// let mut census = Census::new();
/// let keys: Vec<String> = (0..=MAX_PATHS).map(|i| format!("\"k{i}\":1")).collect();
/// census.add(format!("{{{}}}", keys.join(",")).as_bytes())?;
/// assert!(census.is_capped());
/// assert_eq!(census.count("k0"), 1);
/// assert_eq!(census.count(&format!("k{MAX_PATHS}")), 0);
/// # Ok::<(), oktaql::JsonError>(())
/// ```
pub const MAX_PATHS: usize = 20_000;

/// The longest path (in bytes) a [`Census`] counts: a deeply nested event
/// costs no more than this per key.
///
/// ```
/// use oktaql::check::{Census, MAX_PATH_LEN};
///
/// let long = "k".repeat(MAX_PATH_LEN + 1);
/// let mut census = Census::new();
/// census.add(format!(r#"{{"{long}":1,"eventType":"user.session.start"}}"#).as_bytes())?;
/// assert_eq!(census.count(&long), 0);
/// assert_eq!(census.count("eventType"), 1);
/// // Not counting a long path is not the cap.
/// assert!(!census.is_capped());
/// # Ok::<(), oktaql::JsonError>(())
/// ```
pub const MAX_PATH_LEN: usize = 1024;

/// Calls `f` with each attribute path of `event` (a JSON text), dotted, in
/// reading order: a path once for each key that reaches it, so a path
/// under an array may come several times. Malformed JSON is an `Err` (the
/// paths before the error may have been given). The walk is iterative.
///
/// ```
/// let mut paths = Vec::new();
/// oktaql::check::each_path(
///     br#"{"a":{"b":1,"c d":{"e":2}},"t":[{"id":1},{"id":2,"x":null}]}"#,
///     |p| paths.push(p.to_owned()),
/// )?;
/// assert_eq!(paths, ["a", "a.b", "a.c d", "t", "t.id", "t.id", "t.x"]);
/// # Ok::<(), oktaql::JsonError>(())
/// ```
///
/// (`a.c d` is given, as the key is there, but nothing below it: a filter
/// cannot name it.)
pub fn each_path(event: &[u8], mut f: impl FnMut(&str)) -> Result<(), JsonError> {
    walk(event, &mut f)
}

#[derive(Clone, Copy)]
enum Frame {
    /// `base`: the length of the object's own path; `alive`: whether a
    /// filter can name the object's path (so its keys count).
    Object {
        base: usize,
        alive: bool,
    },
    Array {
        alive: bool,
    },
}

fn walk(event: &[u8], f: &mut dyn FnMut(&str)) -> Result<(), JsonError> {
    let src = json::text(event, |prefix| walk(prefix.as_bytes(), &mut |_| {}))?;
    let mut sc = Cursor::new(src);
    let mut frames: Vec<Frame> = Vec::new();
    let mut path = String::new();
    let mut key = String::new();
    // Whether the value about to be read is at a path a filter can name.
    let mut alive = true;
    'value: loop {
        sc.skip_ws();
        let start = sc.pos;
        let Some(&c) = event.get(start) else {
            return Err(JsonError::new(JsonErrorKind::Truncated, start));
        };
        match c {
            b'{' => {
                sc.pos += 1;
                let base = path.len();
                frames.push(Frame::Object { base, alive });
                sc.skip_ws();
                if event.get(sc.pos) == Some(&b'}') {
                    sc.pos += 1;
                    frames.pop();
                } else {
                    member(&mut sc, &mut path, base, alive, &mut alive, &mut key, f)?;
                    continue 'value;
                }
            }
            b'[' => {
                sc.pos += 1;
                frames.push(Frame::Array { alive });
                sc.skip_ws();
                if event.get(sc.pos) == Some(&b']') {
                    sc.pos += 1;
                    frames.pop();
                } else {
                    continue 'value;
                }
            }
            b'"' => {
                sc.string_end()?;
            }
            b't' | b'f' | b'n' => {
                let word: &[u8] = match c {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                if !event[start..].starts_with(word) {
                    return Err(sc.literal_error(word));
                }
                sc.pos += word.len();
            }
            b'-' | b'0'..=b'9' => {
                sc.number()?;
            }
            _ => return Err(JsonError::new(JsonErrorKind::UnexpectedByte, start)),
        }
        // After a complete value: continue in the enclosing container.
        loop {
            let Some(&frame) = frames.last() else {
                sc.skip_ws();
                if sc.pos != event.len() {
                    return Err(JsonError::new(JsonErrorKind::TrailingCharacters, sc.pos));
                }
                return Ok(());
            };
            sc.skip_ws();
            let Some(&c) = event.get(sc.pos) else {
                return Err(JsonError::new(JsonErrorKind::Truncated, sc.pos));
            };
            match (frame, c) {
                (Frame::Object { base, alive: a }, b',') => {
                    sc.pos += 1;
                    sc.skip_ws();
                    path.truncate(base);
                    member(&mut sc, &mut path, base, a, &mut alive, &mut key, f)?;
                    continue 'value;
                }
                (Frame::Object { base, .. }, b'}') => {
                    sc.pos += 1;
                    path.truncate(base);
                    frames.pop();
                }
                (Frame::Array { alive: a }, b',') => {
                    sc.pos += 1;
                    alive = a;
                    continue 'value;
                }
                (Frame::Array { .. }, b']') => {
                    sc.pos += 1;
                    frames.pop();
                }
                _ => return Err(JsonError::new(JsonErrorKind::UnexpectedByte, sc.pos)),
            }
        }
    }
}

/// Reads a member's key and the `:` after it (at the key's quote): the
/// path becomes the object's path and the key, given to `f` when a filter
/// can name it.
fn member(
    sc: &mut Cursor<'_>,
    path: &mut String,
    base: usize,
    object_alive: bool,
    alive: &mut bool,
    key: &mut String,
    f: &mut dyn FnMut(&str),
) -> Result<(), JsonError> {
    if sc.b.get(sc.pos) != Some(&b'"') {
        return Err(sc.unexpected());
    }
    let start = sc.pos + 1;
    let (end, escaped) = sc.string_end()?;
    *alive = false;
    if object_alive {
        let text = if escaped {
            key.clear();
            unescape_into(&sc.src[start..end], key);
            key.as_str()
        } else {
            &sc.src[start..end]
        };
        if base > 0 {
            path.push('.');
        }
        path.push_str(text);
        f(path);
        *alive = is_name(text);
    }
    sc.skip_ws();
    if sc.b.get(sc.pos) != Some(&b':') {
        return Err(sc.unexpected());
    }
    sc.pos += 1;
    Ok(())
}

/// Whether a filter can name this key.
fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(is_name_start) && cs.all(is_name_char)
}

/// How many events have each attribute path, over the events added
/// (paths a filter can name, of at most [`MAX_PATH_LEN`] bytes).
///
/// ```
/// use oktaql::check::Census;
///
/// let mut census = Census::new();
/// census.add(br#"{"eventType":"user.session.start","target":[{"id":"1"},{"id":"2"}]}"#)?;
/// census.add(br#"{"eventType":"user.session.end"}"#)?;
/// assert_eq!(census.events(), 2);
/// assert_eq!(census.count("eventType"), 2);
/// // Counted once per event, however many times the event has it.
/// assert_eq!(census.count("target.id"), 1);
/// # Ok::<(), oktaql::JsonError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Census {
    events: u64,
    /// Each path's count, and the number of the last event that had it
    /// (so that a path is counted once per event without a set per event).
    counts: HashMap<String, (u64, u64), Fnv>,
    capped: bool,
}

/// FNV-1a: paths are short, and hashing them is most of a census's work.
#[derive(Clone, Copy, Debug, Default)]
struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Census {
    /// An empty census: no events, no paths.
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let census = Census::new();
    /// assert_eq!((census.events(), census.count("eventType")), (0, 0));
    /// assert!(!census.is_capped());
    /// ```
    pub fn new() -> Census {
        Census::default()
    }

    /// Counts the paths of one event (each once). A malformed event is an
    /// `Err` and is not counted.
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let mut census = Census::new();
    /// census.add(br#"{"actor":{"alternateId":"alice@example.com"}}"#)?;
    /// assert!(census.add(br#"{"actor":{"alternateId":"bob@example.com""#).is_err());
    /// assert_eq!(census.events(), 1);
    /// assert_eq!(census.count("actor.alternateId"), 1);
    /// # Ok::<(), oktaql::JsonError>(())
    /// ```
    pub fn add(&mut self, event: &[u8]) -> Result<(), JsonError> {
        // Validate first: a malformed event counts nothing.
        each_path(event, |_| {})?;
        self.events += 1;
        let id = self.events;
        let Census { counts, capped, .. } = self;
        let _ = each_path(event, |p| {
            if p.len() > MAX_PATH_LEN {
                return;
            }
            if let Some((n, last)) = counts.get_mut(p) {
                if *last != id {
                    *n += 1;
                    *last = id;
                }
            } else if !is_path(p) {
            } else if counts.len() < MAX_PATHS {
                counts.insert(p.to_owned(), (1, id));
            } else {
                *capped = true;
            }
        });
        Ok(())
    }

    /// Adds the counts of another census.
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let (mut a, mut b) = (Census::new(), Census::new());
    /// a.add(br#"{"eventType":"user.session.start"}"#)?;
    /// b.add(br#"{"eventType":"user.session.end","outcome":{"result":"SUCCESS"}}"#)?;
    /// a.merge(b);
    /// assert_eq!(a.events(), 2);
    /// assert_eq!((a.count("eventType"), a.count("outcome.result")), (2, 1));
    /// # Ok::<(), oktaql::JsonError>(())
    /// ```
    pub fn merge(&mut self, other: Census) {
        self.events += other.events;
        self.capped |= other.capped;
        for (p, (n, _)) in other.counts {
            if let Some((m, _)) = self.counts.get_mut(&p) {
                *m += n;
            } else if self.counts.len() < MAX_PATHS {
                self.counts.insert(p, (n, 0));
            } else {
                self.capped = true;
            }
        }
    }

    /// The events counted.
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let mut census = Census::new();
    /// for _ in 0..3 {
    ///     census.add(br#"{"eventType":"user.session.start"}"#)?;
    /// }
    /// assert_eq!(census.events(), 3);
    /// # Ok::<(), oktaql::JsonError>(())
    /// ```
    pub fn events(&self) -> u64 {
        self.events
    }

    /// How many of them have `path` (dotted).
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let mut census = Census::new();
    /// census.add(br#"{"outcome":{"result":"FAILURE","reason":null}}"#)?;
    /// assert_eq!(census.count("outcome.result"), 1);
    /// // A null value still counts as having the path; an object does too.
    /// assert_eq!(census.count("outcome.reason"), 1);
    /// assert_eq!(census.count("outcome"), 1);
    /// assert_eq!(census.count("outcome.missing"), 0);
    /// # Ok::<(), oktaql::JsonError>(())
    /// ```
    pub fn count(&self, path: &str) -> u64 {
        self.counts.get(path).map_or(0, |c| c.0)
    }

    /// Whether some path went uncounted because of [`MAX_PATHS`].
    ///
    /// ```
    /// use oktaql::check::Census;
    ///
    /// let mut census = Census::new();
    /// census.add(br#"{"eventType":"user.session.start"}"#)?;
    /// assert!(!census.is_capped());
    /// # Ok::<(), oktaql::JsonError>(())
    /// ```
    pub fn is_capped(&self) -> bool {
        self.capped
    }

    /// The paths closest to `path` that some counted event has, with how
    /// many events have each, most frequent first (at most `max`): the
    /// did-you-mean of `oktaql check` (case, then snake_case, then small
    /// edits per name, then leading names left out). Empty when an event
    /// has `path` itself or nothing is close.
    ///
    /// ```
    /// use oktaql::check::Census;
    /// use oktaql::Path;
    ///
    /// let mut census = Census::new();
    /// census.add(br#"{"actor":{"alternateId":"alice@example.com"}}"#)?;
    /// census.add(br#"{"actor":{"alternateId":"bob@example.com"}}"#)?;
    /// let close = census.closest(&Path::parse("actor.alternateid")?, 3);
    /// assert_eq!(close, [("actor.alternateId".to_string(), 2)]);
    /// assert!(census.closest(&Path::parse("actor.alternateId")?, 3).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn closest(&self, path: &Path, max: usize) -> Vec<(String, u64)> {
        self.paths().closest(path, max)
    }

    /// The counted paths split into names, for many [`Census::closest`]
    /// questions.
    fn paths(&self) -> Counted<'_> {
        Counted(
            self.counts
                .iter()
                .map(|(p, &(n, _))| (p.split('.').map(str::to_owned).collect(), p.as_str(), n))
                .collect(),
        )
    }
}

/// A census's paths (names, text, count).
struct Counted<'c>(Vec<(Vec<String>, &'c str, u64)>);

impl Counted<'_> {
    fn closest(&self, path: &Path, max: usize) -> Vec<(String, u64)> {
        let cands: Vec<Candidate> = self
            .0
            .iter()
            .map(|(names, _, _)| Candidate { names, open: false })
            .collect();
        let mut out: Vec<(String, u64)> = similar::closest(path.names(), &cands)
            .into_iter()
            .map(|i| (self.0[i].1.to_owned(), self.0[i].2))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.truncate(max);
        out
    }
}

/// Whether every name of a dotted path can be written in a filter.
fn is_path(p: &str) -> bool {
    p.split('.').all(is_name)
}

/// A note for an empty answer: a path of the filter that no event read has,
/// and the closest paths that events had.
///
/// Displayed as `no event has PATH`, then, when some path is close,
/// `; 120 events have A, 3 events have B` (counted over every event read),
/// or `; 120 of the first 4096 events have A, 3 have B` when only a sample
/// was counted.
///
/// ```
/// use oktaql::check::Note;
///
/// let note = Note {
///     path: "actor.alternateid".into(),
///     closest: vec![("actor.alternateId".into(), 120), ("actor.id".into(), 1)],
///     counted: 4096,
///     complete: false,
/// };
/// assert_eq!(
///     note.to_string(),
///     "no event has actor.alternateid; 120 of the first 4096 events have actor.alternateId, 1 has actor.id",
/// );
/// let all = Note { complete: true, ..note };
/// assert_eq!(
///     all.to_string(),
///     "no event has actor.alternateid; 120 events have actor.alternateId, 1 event has actor.id",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The filter's path.
    pub path: String,
    /// The closest paths events had, with how many events had each.
    pub closest: Vec<(String, u64)>,
    /// How many events those counts are over.
    pub counted: u64,
    /// Whether the counts are over every event read (not a sample).
    pub complete: bool,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no event has {}", self.path)?;
        for (i, (p, n)) in self.closest.iter().enumerate() {
            let verb = if *n == 1 { "has" } else { "have" };
            let sep = if i == 0 { "; " } else { ", " };
            match (i, self.complete) {
                (0, false) => write!(
                    f,
                    "{sep}{n} of the first {} events {verb} {p}",
                    self.counted
                )?,
                (_, false) => write!(f, "{sep}{n} {verb} {p}")?,
                (_, true) => {
                    let events = if *n == 1 { "event" } else { "events" };
                    write!(f, "{sep}{n} {events} {verb} {p}")?
                }
            }
        }
        Ok(())
    }
}

/// Past this many paths not seen yet, a batch is walked once for all of
/// them rather than searched once for each.
const MANY_PATHS: usize = 16;

/// Calls `f` with each line of `buf` (without its `\n`) while it returns
/// true.
fn for_lines(buf: &[u8], mut f: impl FnMut(&[u8]) -> bool) {
    let mut start = 0;
    while start < buf.len() {
        let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        if !f(&buf[start..end]) {
            return;
        }
        start = end + 1;
    }
}

/// One path of the filter being watched for.
#[derive(Debug)]
struct Watched {
    path: Path,
    dotted: String,
    /// Finds the lines that may hold the path's last key.
    needle: Prefilter,
    seen: AtomicBool,
}

/// Collects, while events are read, what the empty-answer notes need (see
/// the module documentation). `Sync`: share one between threads, each
/// looking at its own batches through [`Watch::batch`].
///
/// ```
/// use oktaql::check::Watch;
/// use oktaql::Filter;
///
/// let filter = Filter::parse(r#"debugContext.debugData.ImportTrigger eq "Manual action""#)?;
/// let watch = Watch::new(&filter);
/// let events = b"{\"debugContext\":{\"debugData\":{\"importTrigger\":\"Scheduled\"}}}\n\
///                {\"debugContext\":{\"debugData\":{\"importTrigger\":\"Manual action\"}}}\n";
/// watch.batch(true).lines(events);
/// let notes = watch.notes(10);
/// assert_eq!(
///     notes[0].to_string(),
///     "no event has debugContext.debugData.ImportTrigger; \
///      2 events have debugContext.debugData.importTrigger"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Watch {
    paths: Vec<Watched>,
    /// Each path's index in `paths`, by its dotted text.
    index: HashMap<String, usize>,
    /// How many paths have not been seen yet.
    left: AtomicUsize,
    census: Mutex<Census>,
    /// Some events were looked at without being counted.
    partial: AtomicBool,
}

impl Watch {
    /// Watches for the paths `filter`'s text reads
    /// ([`filter_paths`](super::filter_paths)).
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"eventType eq "user.session.start" and actor.id pr"#)?);
    /// assert_eq!(watch.missing(), 2);
    /// watch.batch(false).event(br#"{"eventType":"user.session.end"}"#);
    /// assert_eq!(watch.missing(), 1);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn new(filter: &crate::Filter) -> Watch {
        let paths = filter.ast().map(super::filter_paths).unwrap_or_default();
        Watch::for_paths(paths)
    }

    /// Watches for these paths.
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Path;
    ///
    /// let watch = Watch::for_paths(vec![Path::parse("client.ipAddress")?]);
    /// watch.batch(true).lines(b"{\"client\":{\"ipAddress\":null}}\n");
    /// assert!(watch.is_done());
    /// assert!(watch.notes(10).is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn for_paths(paths: Vec<Path>) -> Watch {
        let paths = paths
            .into_iter()
            .map(|path| {
                let last = path.names().last().cloned().unwrap_or_default();
                // Names need no escaping in JSON.
                let needle = format!("\"{last}\"").into_bytes();
                Watched {
                    dotted: path.to_string(),
                    path,
                    needle: Prefilter::from_needles(vec![vec![needle]]),
                    seen: AtomicBool::new(false),
                }
            })
            .collect::<Vec<Watched>>();
        let index = paths
            .iter()
            .enumerate()
            .map(|(i, w)| (w.dotted.clone(), i))
            .collect();
        Watch {
            left: AtomicUsize::new(paths.len()),
            paths,
            index,
            census: Mutex::new(Census::new()),
            partial: AtomicBool::new(false),
        }
    }

    /// Whether every watched path has been seen in some event (or there is
    /// none to watch for): nothing is left to look for.
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"outcome.result eq "FAILURE""#)?);
    /// assert!(!watch.is_done());
    /// watch.batch(false).event(br#"{"outcome":{"result":"SUCCESS"}}"#);
    /// assert!(watch.is_done());
    /// // Nothing to watch for: done from the start.
    /// assert!(Watch::for_paths(Vec::new()).is_done());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn is_done(&self) -> bool {
        self.left.load(Ordering::Relaxed) == 0
    }

    /// The paths not seen yet.
    fn unseen(&self) -> Vec<&Watched> {
        if self.is_done() {
            return Vec::new();
        }
        self.paths
            .iter()
            .filter(|w| !w.seen.load(Ordering::Relaxed))
            .collect()
    }

    /// Marks the watched paths `event` has as seen (a malformed event has
    /// none).
    fn mark(&self, event: &[u8]) {
        let _ = each_path(event, |p| {
            if let Some(&i) = self.index.get(p) {
                if !self.paths[i].seen.swap(true, Ordering::Relaxed) {
                    self.left.fetch_sub(1, Ordering::Relaxed);
                }
            }
        });
    }

    /// Looks at a batch of events: each watched path not seen yet is looked
    /// for in them; with `count`, every path of every event is counted
    /// too (the sample the notes' counts come from). The counts are added
    /// to the watch's census when the batch is dropped.
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"outcome.reslt eq "FAILURE""#)?);
    /// {
    ///     let mut batch = watch.batch(true);
    ///     batch.event(br#"{"outcome":{"result":"FAILURE"}}"#);
    ///     batch.event(br#"{"outcome":{"result":"SUCCESS"}}"#);
    /// } // the counts join the watch's census here
    /// assert_eq!(
    ///     watch.notes(1)[0].to_string(),
    ///     "no event has outcome.reslt; 2 events have outcome.result",
    /// );
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn batch(&self, count: bool) -> Batch<'_> {
        if !count {
            self.partial.store(true, Ordering::Relaxed);
        }
        Batch {
            watch: self,
            census: count.then(Census::new),
        }
    }

    /// How many watched paths no event looked at has (so far).
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"actor.id pr or target.id pr or client.zone pr"#)?);
    /// watch.batch(false).lines(b"{\"actor\":{\"id\":\"00u1\"}}\n{\"target\":[{\"id\":\"00g1\"}]}\n");
    /// assert_eq!(watch.missing(), 1);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn missing(&self) -> usize {
        self.left.load(Ordering::Relaxed)
    }

    /// The notes: one for each watched path that no event looked at has,
    /// in the filter's order, at most `max` of them (the first; see
    /// [`missing`](Watch::missing) for how many there are).
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"a pr or b pr or c pr"#)?);
    /// watch.batch(true).event(br#"{"eventType":"user.session.start"}"#);
    /// assert_eq!(watch.missing(), 3);
    /// let notes = watch.notes(2);
    /// let paths: Vec<&str> = notes.iter().map(|n| n.path.as_str()).collect();
    /// assert_eq!(paths, ["a", "b"]);
    /// assert!(notes[0].complete && notes[0].counted == 1);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn notes(&self, max: usize) -> Vec<Note> {
        let census = self.census.lock().unwrap_or_else(|e| e.into_inner());
        let complete = !self.partial.load(Ordering::Relaxed);
        let counted = census.paths();
        self.paths
            .iter()
            .filter(|w| !w.seen.load(Ordering::Relaxed))
            .take(max)
            .map(|w| Note {
                path: w.dotted.clone(),
                closest: counted.closest(&w.path, 3),
                counted: census.events(),
                complete,
            })
            .collect()
    }
}

/// One thread's look at a batch of events (see [`Watch::batch`]).
///
/// ```
/// use oktaql::check::Watch;
/// use oktaql::Filter;
///
/// let watch = Watch::new(&Filter::parse(r#"actor.alternateId eq "alice@example.com""#)?);
/// let mut batch = watch.batch(true);
/// batch.lines(b"{\"eventType\":\"user.session.start\"}\n");
/// batch.event(br#"{"actor":{"alternateId":"bob@example.com"}}"#);
/// drop(batch);
/// assert!(watch.is_done());
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Debug)]
pub struct Batch<'w> {
    watch: &'w Watch,
    census: Option<Census>,
}

impl Batch<'_> {
    /// A run of NDJSON lines (blank lines are skipped; a CR before a line
    /// break is ignored).
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"outcome.result eq "FAILURE""#)?);
    /// // Blank lines are skipped, a CR before the line break is ignored.
    /// watch.batch(true).lines(b"\n{\"eventType\":\"x\"}\r\n\n{\"outcome\":{\"result\":\"SUCCESS\"}}\r\n");
    /// assert!(watch.is_done());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn lines(&mut self, buf: &[u8]) {
        let unseen = self.watch.unseen();
        if unseen.len() <= MANY_PATHS {
            // Each path not seen yet is looked for in the lines that hold
            // its last name (or an escape that could spell it).
            for w in unseen {
                for r in w.needle.lines(buf) {
                    self.watch.mark(&buf[r]);
                    if w.seen.load(Ordering::Relaxed) {
                        break;
                    }
                }
            }
        } else {
            // Many paths: one walk of each line finds them all.
            for_lines(buf, |line| {
                self.watch.mark(line);
                !self.watch.is_done()
            });
        }
        if self.census.is_some() {
            for_lines(buf, |line| {
                self.count(line);
                self.census.is_some()
            });
        }
    }

    /// One event.
    ///
    /// ```
    /// use oktaql::check::Watch;
    /// use oktaql::Filter;
    ///
    /// let watch = Watch::new(&Filter::parse(r#"target.alternateId pr"#)?);
    /// watch.batch(false).event(br#"{"target":[{"type":"User","alternateId":"alice@example.com"}]}"#);
    /// assert!(watch.is_done());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn event(&mut self, event: &[u8]) {
        let unseen = self.watch.unseen();
        if unseen.len() > MANY_PATHS || unseen.iter().any(|w| w.needle.may_match(event)) {
            self.watch.mark(event);
        }
        self.count(event);
    }

    /// Counts the paths of one event, while a note may still be due: once
    /// every path has been seen, counting stops (and nothing is added).
    fn count(&mut self, event: &[u8]) {
        if self.census.is_none() {
            return;
        }
        if self.watch.is_done() {
            self.census = None;
            return;
        }
        let event = event.strip_suffix(b"\r").unwrap_or(event);
        if event.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            return;
        }
        if let Some(c) = &mut self.census {
            let _ = c.add(event);
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.census.take() {
            if c.events > 0 {
                let mut all = self.watch.census.lock().unwrap_or_else(|e| e.into_inner());
                all.merge(c);
            }
        }
    }
}
