//! Evaluate a program in one forward pass over an event's raw JSON bytes.
//!
//! The scanner walks the JSON text with an explicit stack (no recursion, so
//! depth costs heap, never stack) while following the program's path
//! [`Trie`](crate::trie::Trie): values under a key the trie does not name
//! are validated and skipped without being decoded; values at a trie node
//! are turned into [`Cand`]s (strings borrowed from the input, unescaped
//! into a reused buffer only when they hold escapes) and offered to the
//! leaves ending there. Each leaf keeps two bits, "some candidate seen" and
//! "some candidate satisfied"; a value path resets the bits of its inner
//! leaves when one of its objects opens and folds them into its own bit when
//! the object closes. At the end the boolean structure is evaluated over the
//! bits.
//!
//! The whole text is validated as serde_json would: UTF-8, structure,
//! escapes (no lone surrogates), no raw control characters in strings,
//! numbers within f64's range, nothing after the value but whitespace.
//! Malformed input is an `Err`, never a match.
//!
//! Duplicate keys: `serde_json::Value` keeps the last value of a repeated
//! key, and so does the scanner. The first pass notes whether a key on a
//! filtered path repeated within one object (and keeps validating to the
//! end). When one did, or when keywords decided a match (a keyword may
//! have been found in an overwritten value), a second, cheap pass lists the
//! keys that a later key of the same object overwrites, and a third pass
//! scans again with those members muted: neither offered to the leaves nor
//! searched for keywords. All passes are iterative, so events of any depth
//! are decided.
//!
//! Many filters in one pass ([`matches_among`], for
//! [`FilterSet`](crate::FilterSet)): the index holds one root per filter
//! (`trie.rs`), the trie is followed once, and only the leaves, value
//! paths and keyword searches of the roots that are candidates for the
//! event (a [`Gate`]) are offered values; then each candidate root is
//! evaluated over the shared bits. A repeated key on any filtered path, or
//! a candidate with keywords that matched, sends the whole pass through
//! the muted passes, which decide every candidate at once. A filter's own
//! [`matches_json`] is the case of one root, with a gate that is always
//! open and compiles away.
//!
//! Scratch buffers live in a thread-local and are reused, so matching an
//! event allocates nothing in the common case.

use std::cell::RefCell;

use crate::error::{JsonError, JsonErrorKind};
use crate::json::{self, Cursor};
use crate::trie::{Index, RootId, TrieId};
use crate::value::{Cand, Num};

#[derive(Default)]
struct Scratch {
    seen: Vec<bool>,
    sat: Vec<bool>,
    vp_sat: Vec<bool>,
    /// Per keyword search of the index: which of its keywords were found.
    keyword_hits: Vec<u32>,
    /// Per trie node: the stamp of the object in which its key was last
    /// seen (duplicate-key detection).
    stamps: Vec<u32>,
    next_stamp: u32,
    stack: Vec<Frame>,
    unescaped: String,
    fold: String,
    /// Ordinals (in document order) of the keys a later key of the same
    /// object overwrites; filled only on the duplicate-key path.
    shadowed: Vec<u32>,
}

#[derive(Clone, Copy)]
enum Frame {
    Object { node: Option<TrieId>, stamp: u32 },
    Array { node: Option<TrieId> },
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Bytes of each event-sized scratch buffer (the container stack, the
/// unescaped and the folded string, the overwritten keys) kept for the next event. An event nested
/// deeper or with longer strings grows them for itself only: they are
/// released after it, so a thread does not hold the memory of the largest
/// event it ever saw. (The filter-sized buffers are bounded by the filter.)
const SCRATCH_KEEP_BYTES: usize = 64 * 1024;

impl Scratch {
    /// Releases the event-sized buffers that grew past [`SCRATCH_KEEP_BYTES`].
    fn trim(&mut self) {
        if self.stack.capacity() * std::mem::size_of::<Frame>() > SCRATCH_KEEP_BYTES {
            self.stack = Vec::new();
        }
        if self.unescaped.capacity() > SCRATCH_KEEP_BYTES {
            self.unescaped = String::new();
        }
        if self.fold.capacity() > SCRATCH_KEEP_BYTES {
            self.fold = String::new();
        }
        if self.shadowed.capacity() * std::mem::size_of::<u32>() > SCRATCH_KEEP_BYTES {
            self.shadowed = Vec::new();
        }
    }
}

/// Which roots' leaves, value paths and keyword searches are fed during
/// a pass: all of them (a filter's own index), or a set's candidates.
pub(crate) trait Gate: Copy {
    fn open(self, root: RootId) -> bool;
}

/// Every root: the one root of a filter's own index.
#[derive(Clone, Copy)]
struct All;

impl Gate for All {
    #[inline(always)]
    fn open(self, _: RootId) -> bool {
        true
    }
}

/// The roots whose flag is set.
#[derive(Clone, Copy)]
pub(crate) struct Only<'a>(pub &'a [bool]);

impl Gate for Only<'_> {
    #[inline(always)]
    fn open(self, root: RootId) -> bool {
        self.0[root]
    }
}

fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let outcome = f(&mut s);
            s.trim();
            outcome
        }
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Whether the event satisfies the index's one root.
pub(crate) fn matches_json(p: &Index, bytes: &[u8]) -> Result<bool, JsonError> {
    debug_assert_eq!(p.roots.len(), 1);
    with_scratch(|s| {
        let mut matched = One(false);
        decide(p, bytes, s, All, &[0], &mut matched).map(|()| matched.0)
    })
}

/// The roots among `roots` (those whose flag in `open` is set, each once)
/// that the event satisfies, in the order of `roots`, into `out` (cleared
/// first). The event is validated whole, whatever the roots.
pub(crate) fn matches_among(
    p: &Index,
    bytes: &[u8],
    open: &[bool],
    roots: &[RootId],
    out: &mut Vec<RootId>,
) -> Result<(), JsonError> {
    debug_assert!(roots.iter().all(|&r| open[r]));
    with_scratch(|s| decide(p, bytes, s, Only(open), roots, out))
}

/// Where the roots that hold go: a list, or for one root a flag (so that
/// a filter's own match allocates nothing).
trait Answer {
    fn clear(&mut self);
    fn push(&mut self, r: RootId);
    fn any(&self, f: impl Fn(RootId) -> bool) -> bool;
}

impl Answer for Vec<RootId> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn push(&mut self, r: RootId) {
        Vec::push(self, r);
    }
    fn any(&self, f: impl Fn(RootId) -> bool) -> bool {
        self.iter().any(|&r| f(r))
    }
}

/// Whether the one root (root 0) holds.
struct One(bool);

impl Answer for One {
    fn clear(&mut self) {
        self.0 = false;
    }
    fn push(&mut self, _: RootId) {
        self.0 = true;
    }
    fn any(&self, f: impl Fn(RootId) -> bool) -> bool {
        self.0 && f(0)
    }
}

/// What one pass over an event found (beyond the bits in the scratch).
struct Pass {
    /// A key on a filtered path repeated within one object (first pass
    /// only): the answer must be computed again without the overwritten
    /// values.
    repeated_key: bool,
    /// Some string satisfied an `Anywhere` leaf: it may have been an
    /// overwritten value.
    anywhere_hit: bool,
}

fn decide<G: Gate>(
    p: &Index,
    bytes: &[u8],
    s: &mut Scratch,
    gate: G,
    roots: &[RootId],
    out: &mut impl Answer,
) -> Result<(), JsonError> {
    out.clear();
    let src = json::text(bytes, |prefix| {
        scan::<false, G>(p, prefix, s, &[], gate).map(|_| ())
    })?;
    let first = scan::<false, G>(p, src, s, &[], gate)?;
    for &r in roots {
        if holds(p, s, r) {
            out.push(r);
        }
    }
    // Keywords are one positive conjunct of their root (see `lower.rs`),
    // so an overwritten value can only have added a match, never removed
    // one. A string anywhere that satisfied a Sigma keyword test may have
    // been an overwritten value too.
    let keywords_decided = out.any(|r| p.roots[r].keywords.is_some());
    if !first.repeated_key && !keywords_decided && !first.anywhere_hit {
        return Ok(());
    }
    let mut shadowed = std::mem::take(&mut s.shadowed);
    shadowed_keys(src.as_bytes(), &mut shadowed);
    let result = if shadowed.is_empty() {
        Ok(())
    } else {
        scan::<true, G>(p, src, s, &shadowed, gate).map(|_| {
            out.clear();
            for &r in roots {
                if holds(p, s, r) {
                    out.push(r);
                }
            }
        })
    };
    s.shadowed = shadowed;
    result
}

/// Whether root `r` holds over the bits of the last pass.
fn holds(p: &Index, s: &Scratch, r: RootId) -> bool {
    let Scratch {
        seen,
        sat,
        vp_sat,
        keyword_hits,
        ..
    } = s;
    p.eval_node(
        &p.roots[r].node,
        &mut |id| p.leaves[id].test.result(seen[id], sat[id]),
        &mut |id| vp_sat[id],
        &mut |id| keyword_hits[id] == p.keywords[id].keywords.all(),
    )
}

#[cold]
fn err(kind: JsonErrorKind, at: usize) -> JsonError {
    JsonError::new(kind, at)
}

/// One pass over a whole event. With `DEDUP`, the members whose key
/// ordinal is in `shadowed` (sorted) are muted.
fn scan<const DEDUP: bool, G: Gate>(
    p: &Index,
    src: &str,
    s: &mut Scratch,
    shadowed: &[u32],
    gate: G,
) -> Result<Pass, JsonError> {
    s.seen.clear();
    s.seen.resize(p.leaves.len(), false);
    s.sat.clear();
    s.sat.resize(p.leaves.len(), false);
    s.vp_sat.clear();
    s.vp_sat.resize(p.value_paths.len(), false);
    s.keyword_hits.clear();
    s.keyword_hits.resize(p.keywords.len(), 0);
    if s.stamps.len() != p.trie.nodes.len() || s.next_stamp > u32::MAX - 1 {
        s.stamps.clear();
        s.stamps.resize(p.trie.nodes.len(), 0);
        s.next_stamp = 0;
    }
    s.stack.clear();
    let mut sc = Cursor::new(src);
    let want_keywords = !p.keywords.is_empty() || !p.anywhere.is_empty();
    let mut repeated_key = false;
    let mut mute = Mute::new(shadowed);

    // The node of the value about to be read (None: off the filtered paths).
    let mut node: Option<TrieId> = Some(0);
    'value: loop {
        sc.skip_ws();
        let Some(&c) = sc.b.get(sc.pos) else {
            return Err(err(JsonErrorKind::Truncated, sc.pos));
        };
        // Read one value; containers push a frame and continue at their
        // first member.
        match c {
            b'{' => {
                sc.pos += 1;
                sc.skip_ws();
                let empty = sc.b.get(sc.pos) == Some(&b'}');
                if let Some(n) = node {
                    offer(p, s, n, Cand::Object { empty }, gate);
                    for &vp in &p.trie.nodes[n].value_paths {
                        let vp = &p.value_paths[vp];
                        if !gate.open(vp.owner) {
                            continue;
                        }
                        for &l in &vp.leaves {
                            s.seen[l] = false;
                            s.sat[l] = false;
                        }
                        for &v in &vp.value_paths {
                            s.vp_sat[v] = false;
                        }
                    }
                }
                s.next_stamp += 1;
                s.stack.push(Frame::Object {
                    node,
                    stamp: s.next_stamp,
                });
                if empty {
                    sc.pos += 1;
                    close_object(p, s, node, gate);
                    s.stack.pop();
                } else {
                    node = key(&mut sc, p, s)?;
                    if DEDUP {
                        mute.at_key(s.stack.len(), &mut node);
                    }
                    repeated_key |= repeats(s, node);
                    continue 'value;
                }
            }
            b'[' => {
                sc.pos += 1;
                sc.skip_ws();
                if sc.b.get(sc.pos) == Some(&b']') {
                    sc.pos += 1;
                } else {
                    s.stack.push(Frame::Array { node });
                    continue 'value;
                }
            }
            b'"' => {
                let start = sc.pos + 1;
                let (end, escaped) = sc.string_end()?;
                let needs_text = node.is_some_and(|n| !p.trie.nodes[n].leaves.is_empty());
                if needs_text || want_keywords {
                    // Decode once into `unescaped` when needed, then offer.
                    let raw = &sc.src[start..end];
                    let mut buf = std::mem::take(&mut s.unescaped);
                    let text: &str = if escaped {
                        json::unescape_into(raw, &mut buf);
                        &buf
                    } else {
                        raw
                    };
                    if let Some(n) = node {
                        offer(p, s, n, Cand::Str(text), gate);
                    }
                    if want_keywords && (!DEDUP || !mute.active()) {
                        for (k, hits) in p.keywords.iter().zip(&mut s.keyword_hits) {
                            if gate.open(k.owner) {
                                *hits |= k.keywords.hits(text);
                            }
                        }
                        for &l in &p.anywhere {
                            if !gate.open(p.leaves[l].owner) {
                                continue;
                            }
                            s.seen[l] = true;
                            if !s.sat[l] && p.leaves[l].test.holds(Cand::Str(text), &mut s.fold) {
                                s.sat[l] = true;
                            }
                        }
                    }
                    s.unescaped = buf;
                }
            }
            b't' | b'f' | b'n' => {
                let (word, cand): (&[u8], Cand<'_>) = match c {
                    b't' => (b"true", Cand::Bool(true)),
                    b'f' => (b"false", Cand::Bool(false)),
                    _ => (b"null", Cand::Null),
                };
                if !sc.b[sc.pos..].starts_with(word) {
                    return Err(sc.literal_error(word));
                }
                sc.pos += word.len();
                if let Some(n) = node {
                    offer(p, s, n, cand, gate);
                }
            }
            b'-' | b'0'..=b'9' => {
                let num = sc.number()?;
                if let Some(n) = node {
                    if !p.trie.nodes[n].leaves.is_empty() {
                        let parsed = Num::parse(num)
                            .ok_or_else(|| err(JsonErrorKind::InvalidNumber, sc.pos))?;
                        offer(p, s, n, Cand::Num(parsed), gate);
                    }
                }
            }
            _ => return Err(err(JsonErrorKind::UnexpectedByte, sc.pos)),
        }

        // After a complete value: continue in the enclosing container.
        loop {
            if DEDUP {
                mute.after_value(s.stack.len());
            }
            let Some(&frame) = s.stack.last() else {
                sc.skip_ws();
                if sc.pos != sc.b.len() {
                    return Err(err(JsonErrorKind::TrailingCharacters, sc.pos));
                }
                break 'value;
            };
            sc.skip_ws();
            let Some(&c) = sc.b.get(sc.pos) else {
                return Err(err(JsonErrorKind::Truncated, sc.pos));
            };
            match (frame, c) {
                (Frame::Object { node: on, .. }, b',') => {
                    sc.pos += 1;
                    sc.skip_ws();
                    node = key_at(&mut sc, p, s, on)?;
                    if DEDUP {
                        mute.at_key(s.stack.len(), &mut node);
                    }
                    repeated_key |= repeats(s, node);
                    continue 'value;
                }
                (Frame::Object { node: on, .. }, b'}') => {
                    sc.pos += 1;
                    close_object(p, s, on, gate);
                    s.stack.pop();
                }
                (Frame::Array { node: an }, b',') => {
                    sc.pos += 1;
                    node = an;
                    continue 'value;
                }
                (Frame::Array { .. }, b']') => {
                    sc.pos += 1;
                    s.stack.pop();
                }
                _ => return Err(err(JsonErrorKind::UnexpectedByte, sc.pos)),
            }
        }
    }

    Ok(Pass {
        repeated_key,
        anywhere_hit: p.anywhere.iter().any(|&l| s.sat[l]),
    })
}

/// Records a key's trie node in the current object; true when the key
/// repeats on a filtered path.
fn repeats(s: &mut Scratch, node: Option<TrieId>) -> bool {
    let (Some(n), Some(Frame::Object { stamp, .. })) = (node, s.stack.last()) else {
        return false;
    };
    if s.stamps[n] == *stamp {
        return true;
    }
    s.stamps[n] = *stamp;
    false
}

/// The DEDUP pass's walk through the overwritten members: at each key, a
/// member that a later key of the same object overwrites is taken off the
/// filtered paths and, until its value is complete, hidden from the
/// keyword search.
struct Mute<'s> {
    /// Ordinals of the overwritten keys, increasing.
    shadowed: &'s [u32],
    /// The ordinal of the next key (every key of the event, in order).
    ordinal: u32,
    /// The next entry of `shadowed` to meet.
    next: usize,
    /// The stack height of the object whose overwritten member is being
    /// read, or `NOT_MUTED`.
    base: usize,
}

const NOT_MUTED: usize = usize::MAX;

impl<'s> Mute<'s> {
    fn new(shadowed: &'s [u32]) -> Mute<'s> {
        Mute {
            shadowed,
            ordinal: 0,
            next: 0,
            base: NOT_MUTED,
        }
    }

    /// At a key, with `depth` the stack height with its object on top.
    #[inline]
    fn at_key(&mut self, depth: usize, node: &mut Option<TrieId>) {
        let ordinal = self.ordinal;
        self.ordinal += 1;
        if self.shadowed.get(self.next) == Some(&ordinal) {
            self.next += 1;
            *node = None;
            if self.base == NOT_MUTED {
                self.base = depth;
            }
        }
    }

    /// After a complete value, with `depth` the stack height: back in the
    /// object whose member was muted, that member's value is over.
    #[inline]
    fn after_value(&mut self, depth: usize) {
        if depth == self.base {
            self.base = NOT_MUTED;
        }
    }

    /// Whether the value being read belongs to an overwritten member.
    #[inline]
    fn active(&self) -> bool {
        self.base != NOT_MUTED
    }
}

/// Lists, in increasing order, the ordinals (every key of the event counted
/// in document order) of the keys that a later equal key of the same object
/// overwrites. Keys compare decoded (`"a"` and `"\u0061"` are one key), as
/// serde_json compares them. `bytes` must be valid JSON (it was scanned
/// first); on anything else the list is merely incomplete, never a panic.
fn shadowed_keys(bytes: &[u8], out: &mut Vec<u32>) {
    use std::borrow::Cow;
    use std::collections::HashMap;

    out.clear();
    // One entry per open container: the keys seen so far (objects), or
    // None (arrays).
    let mut stack: Vec<Option<HashMap<Cow<'_, [u8]>, u32>>> = Vec::new();
    let mut ordinal = 0u32;
    let mut expect_key = false;
    let mut decoded = String::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'{' => {
                stack.push(Some(HashMap::new()));
                expect_key = true;
                i += 1;
            }
            b'[' => {
                stack.push(None);
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
                i += 1;
            }
            b',' => {
                expect_key = matches!(stack.last(), Some(Some(_)));
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                while let Some(&b) = bytes.get(j) {
                    match b {
                        b'"' => break,
                        b'\\' => {
                            escaped = true;
                            j += 2;
                        }
                        _ => j += 1,
                    }
                }
                let end = j.min(bytes.len());
                if expect_key {
                    expect_key = false;
                    let raw = &bytes[start..end];
                    let key: Cow<'_, [u8]> = match std::str::from_utf8(raw) {
                        Ok(text) if escaped => {
                            json::unescape_into(text, &mut decoded);
                            Cow::Owned(decoded.as_bytes().to_vec())
                        }
                        _ => Cow::Borrowed(raw),
                    };
                    if let Some(Some(keys)) = stack.last_mut() {
                        if let Some(earlier) = keys.insert(key, ordinal) {
                            out.push(earlier);
                        }
                    }
                    ordinal += 1;
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out.sort_unstable();
}

/// Offers a candidate to every leaf ending at `node` whose root is open.
#[inline]
fn offer<G: Gate>(p: &Index, s: &mut Scratch, node: TrieId, c: Cand<'_>, gate: G) {
    for &l in &p.trie.nodes[node].leaves {
        if !gate.open(p.leaves[l].owner) {
            continue;
        }
        s.seen[l] = true;
        if !s.sat[l] && p.leaves[l].test.holds(c, &mut s.fold) {
            s.sat[l] = true;
        }
    }
}

/// An object at `node` closed: each value path there folds its inner
/// result into its own bit.
fn close_object<G: Gate>(p: &Index, s: &mut Scratch, node: Option<TrieId>, gate: G) {
    let Some(n) = node else { return };
    for &vp in &p.trie.nodes[n].value_paths {
        if !gate.open(p.value_paths[vp].owner) {
            continue;
        }
        let inner = &p.value_paths[vp].inner;
        let (seen, sat, vp_sat) = (&s.seen, &s.sat, &s.vp_sat);
        let holds = p.eval_node(
            inner,
            &mut |id| p.leaves[id].test.result(seen[id], sat[id]),
            &mut |id| vp_sat[id],
            &mut |_| true,
        );
        if holds {
            s.vp_sat[vp] = true;
        }
    }
}

/// Reads a key at the start of an object member (after `{` or `,` and
/// whitespace) and the `:` after it; returns the trie node of its value.
fn key(sc: &mut Cursor<'_>, p: &Index, s: &mut Scratch) -> Result<Option<TrieId>, JsonError> {
    let on = match s.stack.last() {
        Some(Frame::Object { node, .. }) => *node,
        _ => None,
    };
    key_at(sc, p, s, on)
}

fn key_at(
    sc: &mut Cursor<'_>,
    p: &Index,
    s: &mut Scratch,
    object_node: Option<TrieId>,
) -> Result<Option<TrieId>, JsonError> {
    if sc.b.get(sc.pos) != Some(&b'"') {
        return Err(sc.unexpected());
    }
    let start = sc.pos + 1;
    let (end, escaped) = sc.string_end()?;
    let child = match object_node {
        Some(n) if !p.trie.nodes[n].children.is_empty() => {
            if escaped {
                json::unescape_into(&sc.src[start..end], &mut s.unescaped);
                p.trie.child(n, s.unescaped.as_bytes())
            } else {
                p.trie.child(n, &sc.b[start..end])
            }
        }
        _ => None,
    };
    sc.skip_ws();
    if sc.b.get(sc.pos) != Some(&b':') {
        return Err(sc.unexpected());
    }
    sc.pos += 1;
    Ok(child)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Filter;

    /// Capacity, in bytes, of this thread's event-sized scratch buffers.
    fn event_scratch_bytes() -> usize {
        SCRATCH.with(|cell| {
            let s = cell.borrow();
            s.stack.capacity() * std::mem::size_of::<Frame>()
                + s.unescaped.capacity()
                + s.fold.capacity()
        })
    }

    /// A huge event (deep nesting, a long escaped string that ignore-case
    /// folds) grows the scratch for itself only; the thread does not keep
    /// megabytes for the rest of its life. (Each test runs on its own
    /// thread, so the scratch starts empty.)
    #[test]
    fn scratch_is_released_after_a_huge_event() {
        let f = Filter::builder()
            .ignore_case(true)
            .parse(r#"a co "x" and b pr"#)
            .unwrap();
        let small = br#"{"a":"X\n","b":[[1]]}"#;
        assert_eq!(f.matches_json(small), Ok(true));
        let warm = event_scratch_bytes();
        assert!(
            warm <= 3 * SCRATCH_KEEP_BYTES,
            "{warm} bytes after a small event"
        );

        let depth = 100_000;
        let huge = format!(
            r#"{{"a":"\n{}","b":{}{}}}"#,
            "y".repeat(1 << 20),
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(f.matches_json(huge.as_bytes()), Ok(false));
        let after = event_scratch_bytes();
        assert!(
            after <= 3 * SCRATCH_KEEP_BYTES,
            "{after} bytes of scratch kept after a {} byte event",
            huge.len()
        );
        // The scratch still works.
        assert_eq!(f.matches_json(small), Ok(true));
        assert_eq!(f.matches_json(huge.as_bytes()), Ok(false));
    }
}
