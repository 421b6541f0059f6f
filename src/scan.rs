//! Evaluate a program in one forward pass over an event's raw JSON bytes.
//!
//! The scanner walks the JSON text with an explicit stack (no recursion, so
//! depth costs heap, never stack) while following the program's path
//! [`Trie`](crate::compile::Trie): values under a key the trie does not name
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
//! key. When a key on a filtered path repeats within one object, the
//! scanner hands the event to the `Value` evaluator, so both agree.
//!
//! Scratch buffers live in a thread-local and are reused, so matching an
//! event allocates nothing in the common case.

use std::cell::RefCell;

use crate::compile::{Program, TrieId};
use crate::error::{JsonError, JsonErrorKind};
use crate::value::{json_number_len, Cand, Num};

#[derive(Default)]
struct Scratch {
    seen: Vec<bool>,
    sat: Vec<bool>,
    vp_sat: Vec<bool>,
    /// Per trie node: the stamp of the object in which its key was last
    /// seen (duplicate-key detection).
    stamps: Vec<u32>,
    next_stamp: u32,
    stack: Vec<Frame>,
    unescaped: String,
    fold: String,
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
/// unescaped and the folded string) kept for the next event. An event nested
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
    }
}

pub(crate) fn matches_json(p: &Program, bytes: &[u8]) -> Result<bool, JsonError> {
    let outcome = SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let outcome = scan(p, bytes, &mut s);
            s.trim();
            outcome
        }
        Err(_) => scan(p, bytes, &mut Scratch::default()),
    })?;
    match outcome {
        Outcome::Decided(b) => Ok(b),
        Outcome::DuplicateKey => match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(v) => Ok(crate::eval::matches(p, &v)),
            Err(_) => Err(JsonError::new(JsonErrorKind::Unsupported, 0)),
        },
    }
}

enum Outcome {
    Decided(bool),
    DuplicateKey,
}

/// Bytes that end a run of plain string content.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
static SPECIAL: [bool; 256] = special_table();

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `w` is `"`, `\` or below 0x20.
#[inline]
fn has_special(w: u64) -> bool {
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
    (below_space | has_zero(w ^ (LO * b'"' as u64)) | has_zero(w ^ (LO * b'\\' as u64))) != 0
}

struct Scanner<'p, 'b> {
    p: &'p Program,
    b: &'b [u8],
    src: &'b str,
    pos: usize,
}

#[cold]
fn err(kind: JsonErrorKind, at: usize) -> JsonError {
    JsonError::new(kind, at)
}

fn scan(p: &Program, bytes: &[u8], s: &mut Scratch) -> Result<Outcome, JsonError> {
    let src = match std::str::from_utf8(bytes) {
        Ok(src) => src,
        Err(e) => return Err(err(JsonErrorKind::InvalidUtf8, e.valid_up_to())),
    };
    s.seen.clear();
    s.seen.resize(p.leaves.len(), false);
    s.sat.clear();
    s.sat.resize(p.leaves.len(), false);
    s.vp_sat.clear();
    s.vp_sat.resize(p.value_paths.len(), false);
    if s.stamps.len() != p.trie.nodes.len() || s.next_stamp > u32::MAX - 1 {
        s.stamps.clear();
        s.stamps.resize(p.trie.nodes.len(), 0);
        s.next_stamp = 0;
    }
    s.stack.clear();
    let mut sc = Scanner {
        p,
        b: bytes,
        src,
        pos: 0,
    };
    let mut keyword_hits = 0u32;
    let want_keywords = p.keywords.is_some();

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
                    offer(p, s, n, Cand::Object { empty });
                    for &vp in &p.trie.nodes[n].value_paths {
                        let vp = &p.value_paths[vp];
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
                    close_object(p, s, node);
                    s.stack.pop();
                } else {
                    node = sc.key(s)?;
                    if let Some(Outcome::DuplicateKey) = duplicate_check(s, node) {
                        return Ok(Outcome::DuplicateKey);
                    }
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
                        unescape(raw, &mut buf);
                        &buf
                    } else {
                        raw
                    };
                    if let Some(n) = node {
                        offer(p, s, n, Cand::Str(text));
                    }
                    if let Some(k) = &p.keywords {
                        keyword_hits |= k.hits(text);
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
                    offer(p, s, n, cand);
                }
            }
            b'-' | b'0'..=b'9' => {
                let num = sc.number()?;
                if let Some(n) = node {
                    if !p.trie.nodes[n].leaves.is_empty() {
                        let parsed = Num::parse(num)
                            .ok_or_else(|| err(JsonErrorKind::InvalidNumber, sc.pos))?;
                        offer(p, s, n, Cand::Num(parsed));
                    }
                }
            }
            _ => return Err(err(JsonErrorKind::UnexpectedByte, sc.pos)),
        }

        // After a complete value: continue in the enclosing container.
        loop {
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
                    node = sc.key_at(s, on)?;
                    if let Some(Outcome::DuplicateKey) = duplicate_check(s, node) {
                        return Ok(Outcome::DuplicateKey);
                    }
                    continue 'value;
                }
                (Frame::Object { node: on, .. }, b'}') => {
                    sc.pos += 1;
                    close_object(p, s, on);
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

    let Scratch {
        seen, sat, vp_sat, ..
    } = &*s;
    let all_keywords = p.keywords.as_ref().map_or(0, |k| k.all());
    let result = p.eval_node(
        &p.root,
        &mut |id| p.leaves[id].test.result(seen[id], sat[id]),
        &mut |id| vp_sat[id],
        &mut || keyword_hits == all_keywords,
    );
    Ok(Outcome::Decided(result))
}

/// Records a key's trie node in the current object; `Some` when the key
/// repeats on a filtered path.
fn duplicate_check(s: &mut Scratch, node: Option<TrieId>) -> Option<Outcome> {
    let (Some(n), Some(Frame::Object { stamp, .. })) = (node, s.stack.last()) else {
        return None;
    };
    if s.stamps[n] == *stamp {
        return Some(Outcome::DuplicateKey);
    }
    s.stamps[n] = *stamp;
    None
}

/// Offers a candidate to every leaf ending at `node`.
#[inline]
fn offer(p: &Program, s: &mut Scratch, node: TrieId, c: Cand<'_>) {
    for &l in &p.trie.nodes[node].leaves {
        s.seen[l] = true;
        if !s.sat[l] && p.leaves[l].test.holds(c, &mut s.fold) {
            s.sat[l] = true;
        }
    }
}

/// An object at `node` closed: each value path there folds its inner
/// result into its own bit.
fn close_object(p: &Program, s: &mut Scratch, node: Option<TrieId>) {
    let Some(n) = node else { return };
    for &vp in &p.trie.nodes[n].value_paths {
        let inner = &p.value_paths[vp].inner;
        let (seen, sat, vp_sat) = (&s.seen, &s.sat, &s.vp_sat);
        let holds = p.eval_node(
            inner,
            &mut |id| p.leaves[id].test.result(seen[id], sat[id]),
            &mut |id| vp_sat[id],
            &mut || true,
        );
        if holds {
            s.vp_sat[vp] = true;
        }
    }
}

/// Decodes the (already validated) escapes of a string body into `out`.
fn unescape(raw: &str, out: &mut String) {
    out.clear();
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes();
        let (len, c) = match b[i + 1] {
            b'"' => (2, '"'),
            b'\\' => (2, '\\'),
            b'/' => (2, '/'),
            b'b' => (2, '\u{8}'),
            b'f' => (2, '\u{c}'),
            b'n' => (2, '\n'),
            b'r' => (2, '\r'),
            b't' => (2, '\t'),
            _ => {
                let hi = hex4(&b[i + 2..i + 6]).unwrap_or(0xFFFD);
                if (0xD800..0xDC00).contains(&hi) {
                    let lo = hex4(&b[i + 8..i + 12]).unwrap_or(0xDC00);
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    (12, char::from_u32(c).unwrap_or('\u{FFFD}'))
                } else {
                    (6, char::from_u32(hi).unwrap_or('\u{FFFD}'))
                }
            }
        };
        out.push(c);
        rest = &rest[i + len..];
    }
    out.push_str(rest);
}

fn hex4(b: &[u8]) -> Option<u32> {
    if b.len() != 4 {
        return None;
    }
    b.iter()
        .try_fold(0u32, |acc, &d| Some(acc * 16 + (d as char).to_digit(16)?))
}

impl Scanner<'_, '_> {
    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Reads a key at the start of an object member (after `{` or `,` and
    /// whitespace) and the `:` after it; returns the trie node of its value.
    fn key(&mut self, s: &mut Scratch) -> Result<Option<TrieId>, JsonError> {
        let on = match s.stack.last() {
            Some(Frame::Object { node, .. }) => *node,
            _ => None,
        };
        self.key_at(s, on)
    }

    fn key_at(
        &mut self,
        s: &mut Scratch,
        object_node: Option<TrieId>,
    ) -> Result<Option<TrieId>, JsonError> {
        if self.b.get(self.pos) != Some(&b'"') {
            return Err(self.unexpected());
        }
        let start = self.pos + 1;
        let (end, escaped) = self.string_end()?;
        let child = match object_node {
            Some(n) if !self.p.trie.nodes[n].children.is_empty() => {
                if escaped {
                    unescape(&self.src[start..end], &mut s.unescaped);
                    self.p.trie.child(n, s.unescaped.as_bytes())
                } else {
                    self.p.trie.child(n, &self.b[start..end])
                }
            }
            _ => None,
        };
        self.skip_ws();
        if self.b.get(self.pos) != Some(&b':') {
            return Err(self.unexpected());
        }
        self.pos += 1;
        Ok(child)
    }

    #[cold]
    fn unexpected(&self) -> JsonError {
        let kind = if self.pos >= self.b.len() {
            JsonErrorKind::Truncated
        } else {
            JsonErrorKind::UnexpectedByte
        };
        err(kind, self.pos)
    }

    #[cold]
    fn literal_error(&self, word: &[u8]) -> JsonError {
        let rest = &self.b[self.pos..];
        if rest.len() < word.len() && word.starts_with(rest) {
            err(JsonErrorKind::Truncated, self.b.len())
        } else {
            err(JsonErrorKind::UnexpectedByte, self.pos)
        }
    }

    /// At an opening quote: validates the string and moves past its closing
    /// quote. Returns the end of the body and whether it has escapes.
    fn string_end(&mut self) -> Result<(usize, bool), JsonError> {
        let b = self.b;
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            // Plain content, 8 bytes at a time.
            while let Some(chunk) = b.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                if has_special(w) {
                    break;
                }
                i += 8;
            }
            while i < b.len() && !SPECIAL[b[i] as usize] {
                i += 1;
            }
            match b.get(i) {
                None => return Err(err(JsonErrorKind::Truncated, b.len())),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok((i, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    i += self.escape_len(i)?;
                }
                Some(_) => return Err(err(JsonErrorKind::InvalidString, i)),
            }
        }
    }

    /// Validates the escape at `i` (a backslash) and returns its length.
    fn escape_len(&self, i: usize) -> Result<usize, JsonError> {
        let b = self.b;
        let bad = |at: usize| {
            if at >= b.len() {
                err(JsonErrorKind::Truncated, b.len())
            } else {
                err(JsonErrorKind::InvalidString, i)
            }
        };
        match b.get(i + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
            Some(b'u') => {
                let hi = self.hex_at(i + 2).ok_or_else(|| bad(i + 6))?;
                match hi {
                    0xD800..=0xDBFF => {
                        if b.get(i + 6..i + 8) != Some(b"\\u") {
                            return Err(bad(i + 8));
                        }
                        let lo = self.hex_at(i + 8).ok_or_else(|| bad(i + 12))?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return Err(err(JsonErrorKind::InvalidString, i));
                        }
                        Ok(12)
                    }
                    0xDC00..=0xDFFF => Err(err(JsonErrorKind::InvalidString, i)),
                    _ => Ok(6),
                }
            }
            None => Err(err(JsonErrorKind::Truncated, b.len())),
            Some(_) => Err(err(JsonErrorKind::InvalidString, i)),
        }
    }

    fn hex_at(&self, at: usize) -> Option<u32> {
        hex4(self.b.get(at..at + 4)?)
    }

    /// At a number: validates it (syntax and f64 range) and returns its
    /// text.
    fn number(&mut self) -> Result<&str, JsonError> {
        let start = self.pos;
        let rest = &self.b[start..];
        let Some(n) = json_number_len(rest) else {
            let at = start + usize::from(rest.first() == Some(&b'-'));
            return Err(if at >= self.b.len() {
                err(JsonErrorKind::Truncated, at)
            } else {
                err(JsonErrorKind::InvalidNumber, at)
            });
        };
        // `01`, `1.`, `1e`: a digit or part of a number right after a
        // complete one is malformed.
        if let Some(&c) = rest.get(n) {
            if c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E') {
                return Err(err(JsonErrorKind::InvalidNumber, start + n));
            }
        }
        let text = &self.src[start..start + n];
        // Only an exponent or a very long integer part can leave f64's
        // range; check those the expensive way.
        if (n > 300 || text.bytes().any(|c| c == b'e' || c == b'E')) && Num::parse(text).is_none() {
            return Err(err(JsonErrorKind::InvalidNumber, start));
        }
        self.pos = start + n;
        Ok(text)
    }
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
