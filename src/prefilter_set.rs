//! The literal prefilter of a [`FilterSet`](crate::FilterSet): one search
//! over a buffer of NDJSON (or one event) for the needles of every filter
//! finds, for each line, the filters that may select it (its
//! *candidates*); lines with none are skipped unread.
//!
//! Each filter's needles are those of its own prefilter (`prefilter.rs`:
//! [`required`], a conjunction of alternatives, under the same rules for
//! escapes), but that with many driving needles (below) those of `sw` and
//! `ew` hold the string's quote (`"user.account`: [`required_anchored`]);
//! its alternatives are sorted rarest first by the same [`rarity`] guess,
//! and the first alternative *drives*.
//! The buffer is searched once for the driving needles of all filters:
//!
//! - **Up to [`FEW_NEEDLES`]** of them, all go into one Aho-Corasick
//!   automaton, searched leftmost-first without overlaps (its fastest
//!   search, SIMD Teddy for a few dozen literals). Around each hit of a
//!   needle that may hide another (overlapping it, or inside it), an
//!   overlapping search of the few bytes it can overlap finds the needles
//!   the first search stepped over.
//! - **Past that** (IOC lists, hundreds of filters), the automaton would
//!   crawl, so the *quoted* needles (`"203.0.113.7"`: an `eq` with a
//!   string whose text holds no quote), driving or not, go to a hash
//!   table, and up to [`FEW_PREFIXES`] needles of `sw` (`"user.account`)
//!   beside it: such a needle is in a string value exactly where two
//!   consecutive quotes of the buffer enclose its text (or a text starting
//!   with it), so the quotes are found (64 bytes at a time, as a bit mask)
//!   and the text between each two is looked up: one pass for any number
//!   of needles. A filter with an alternative of such needles only is
//!   driven by the rarest of them, and those are checked before the others
//!   (which are looked for in the line); the driving needles of the other
//!   filters stay in the automaton, which then often has none to search.
//! - **Keys are not looked up** in that walk: a text whose closing quote is
//!   followed by `:` is a key (or inside a string, after an escaped
//!   quote), and every needle of the table stands for a string *value*
//!   (an `eq`, `in` or `sw` on a path, which only string values satisfy:
//!   `Cand::Str` comes from a value, never from a key). In valid JSON a
//!   string value's closing quote is followed by white space, `,`, `}`, `]`
//!   or the end of the text, never by `:`, so every value is looked up. A
//!   key spelled with white space before its `:` is looked up, which only
//!   lets more through.
//! - The escapes that can hide a needle, `\u` and (when some needle holds a
//!   `/`) `\/`, are searched for on their own (`memmem`).
//!
//! A hit of a driving needle makes its filters pending; a pending filter is
//! a candidate when each of its other alternatives has a needle in the
//! line, known from the searches or else looked for in the line alone
//! (`memmem`, once per line and needle), the check
//! `Prefilter::may_match_from` makes. A filter with no needle is a
//! candidate for every line; a line holding `\u` keeps every filter, and a
//! line holding `\/` every filter whose missing alternatives have a needle
//! with a `/`.
//!
//! A filter is thus a candidate for a line (of valid JSON) whenever it may
//! select it, and only when its own
//! [`Filter::may_match`](crate::Filter::may_match) is true for the line:
//! the set rules out more lines, soundly, as an alternative may have more
//! needles here (up to [`MANY_NEEDLES`], not 16: the searches cost about
//! the same for any number of needles, where a filter of its own searches
//! once per needle), the needles of `sw` and `ew` hold the quote, and the
//! table's needles count only in string values. Ignore-case filters, like
//! those whose literals are dates or numbers, have no needles and are
//! candidates everywhere. (A line that is not valid JSON is an error
//! whatever its candidates: `matches_json_among` validates it whole.)

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::iter::{Fuse, Peekable};
use std::ops::Range;

use aho_corasick::{AhoCorasick, FindIter, MatchKind};
use memchr::memmem;

use crate::ir::Node;
use crate::prefilter::{rarity, required, required_anchored};

/// The most needles an alternative of one filter may have here: an `or`
/// of more `eq`s than this on one path requires nothing.
pub(crate) const MANY_NEEDLES: usize = 4096;

/// Up to this many driving needles, all go to the automaton, whose search
/// of a few dozen literals is fastest (Teddy); past it the quoted ones go
/// to the table.
const FEW_NEEDLES: usize = 64;

/// Index of a needle among all the set's needles.
type PatternId = u32;

/// One filter's alternatives: each needs one of its needles in the line.
#[derive(Clone, Debug)]
struct Alternative {
    needles: Box<[PatternId]>,
    /// Some needle holds a `/`, which `\/` can also spell.
    has_slash: bool,
}

/// The needles of a set's filters (each once, a needle's id its index),
/// each filter's alternatives, and the filters without needles.
type Needles = (Vec<Vec<u8>>, Vec<Box<[Alternative]>>, Vec<u32>);

/// The searches for a whole set of filters.
#[derive(Clone, Debug)]
pub(crate) struct SetPrefilter {
    quoted: Quoted,
    /// Leftmost-first search of the other needles; `None` when there are
    /// none.
    plain: Option<AhoCorasick>,
    /// The same needles, every occurrence: around each hit of `plain`.
    around: Option<AhoCorasick>,
    /// The needle of each pattern of `plain` and `around`.
    plain_ids: Vec<PatternId>,
    /// Per pattern of `plain`: a hit of it may hide a hit of another
    /// (overlapping it, or inside it), so the bytes around it are searched.
    may_hide: Vec<bool>,
    /// Bytes of the longest pattern of `plain`.
    longest: usize,
    /// How many needles there are.
    needles: usize,
    /// Per needle: searched for over the whole buffer (the driving needles,
    /// and all quoted ones when there are many), so its absence from a
    /// line is known; the others are looked for in a line only when a
    /// pending filter needs them.
    searched: Vec<bool>,
    /// The needles not searched for, by id.
    others: HashMap<PatternId, memmem::Finder<'static>>,
    /// Per needle: the filters whose driving alternative holds it.
    drives: Vec<Box<[u32]>>,
    /// Per filter: its alternatives, the driving one first; empty for a
    /// filter with no needle.
    alternatives: Vec<Box<[Alternative]>>,
    /// The filters without needles: candidates for every line.
    always: Vec<u32>,
    /// The filters with a `/` in some needle, which a `\/` can keep.
    slashed: Vec<u32>,
    unicode: memmem::Finder<'static>,
    /// `Some` when some needle holds a `/`.
    slash: Option<memmem::Finder<'static>>,
}

/// The quoted needles, by the text between their quotes, and the needles
/// a string starts with: each stands for a string value (see the module
/// docs), so keys are not looked up.
#[derive(Clone, Debug)]
struct Quoted {
    /// Per length of the text (below [`QUOTED_MAX`]): some needle has it.
    lengths: Vec<bool>,
    /// By [`text_hash`]: the needles with that hash, and their texts.
    table: HashMap<u64, Vec<QuotedNeedle>, Prehash>,
    /// A quick test before the table: one bit per [`sketch`] of a text,
    /// set when some needle has it.
    sketches: Vec<u64>,
    /// The needles a string's text starts with (`"system.log_stream`, of
    /// `sw`): their texts after the quote, tried on every string; at most
    /// [`FEW_PREFIXES`].
    prefixes: Vec<QuotedNeedle>,
    /// Per prefix: its first eight bytes (fewer when shorter), as a mask
    /// and the bytes under it.
    heads: Vec<(u64, u64)>,
    /// The shortest prefix's length (`usize::MAX` when none).
    prefix_min: usize,
    /// The shortest text of any needle.
    shortest: usize,
}

/// A quoted needle: its id, and its text between the quotes.
type QuotedNeedle = (PatternId, Box<[u8]>);

/// Keys that are hashes already ([`text_hash`]) are used as they are.
type Prehash = BuildHasherDefault<Prehashed>;

/// Texts of quoted needles this long or longer go to the automaton.
const QUOTED_MAX: usize = 256;

/// Up to this many needles that a string starts with go to the table
/// (each is tried on every string); past it, to the automaton.
const FEW_PREFIXES: usize = 8;

/// How the table finds a needle, if it can: `"text"` (its text, no quote
/// inside, between two quotes) or `"text` (a string starting with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Whole,
    Prefix,
}

fn shape(n: &[u8]) -> Option<Shape> {
    let text = n.strip_prefix(b"\"")?;
    if text.len() >= QUOTED_MAX {
        return None;
    }
    match text.iter().position(|&b| b == b'"') {
        Some(i) if i + 1 == text.len() && i > 0 => Some(Shape::Whole),
        None if !text.is_empty() => Some(Shape::Prefix),
        _ => None,
    }
}

impl Quoted {
    fn is_empty(&self) -> bool {
        self.table.is_empty() && self.prefixes.is_empty()
    }

    #[inline]
    fn has_sketch(&self, k: usize) -> bool {
        self.sketches[k / 64] & (1 << (k % 64)) != 0
    }

    fn add_sketch(&mut self, k: usize) {
        self.sketches[k / 64] |= 1 << (k % 64);
    }

    /// The needle whose text is `text`, if any.
    #[inline]
    fn find(&self, text: &[u8]) -> Option<PatternId> {
        if !self.lengths.get(text.len()).is_some_and(|&b| b) || !self.has_sketch(sketch(text)) {
            return None;
        }
        self.table
            .get(&text_hash(text))?
            .iter()
            .find(|(_, t)| **t == *text)
            .map(|&(id, _)| id)
    }

    /// Whether `text` may start with a prefix needle: the first eight
    /// bytes of each compared at once.
    #[inline]
    fn may_start(&self, text: &[u8]) -> bool {
        if text.len() < self.prefix_min {
            return false;
        }
        let Some(head) = text.first_chunk::<8>() else {
            return true;
        };
        let head = u64::from_le_bytes(*head);
        self.heads.iter().any(|&(mask, want)| head & mask == want)
    }

    fn add_prefix(&mut self, id: PatternId, text: &[u8]) {
        let n = text.len().min(8);
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(&text[..n]);
        let mask = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        self.heads.push((mask, u64::from_le_bytes(w)));
        self.prefix_min = self.prefix_min.min(text.len());
        self.shortest = self.shortest.min(text.len());
        self.prefixes.push((id, text.into()));
    }

    /// The hits (position of the opening quote, needle) in `buf`.
    fn hits<'q, 'b>(&'q self, buf: &'b [u8]) -> QuotedHits<'q, 'b> {
        QuotedHits {
            quoted: self,
            buf,
            // (Nothing to find: at the end already.)
            base: if self.is_empty() { buf.len() } else { 0 },
            mask: if self.is_empty() { 0 } else { quote_mask(buf) },
            last: NO_QUOTE,
            string: None,
        }
    }
}

/// The quoted needles found in a buffer, in order.
///
/// The quotes are found 64 bytes at a time, as a bit mask ([`quote_mask`],
/// eight bytes per word operation): in event text a quote comes every few
/// bytes, where a `memchr` call per quote costs more than the search it
/// makes.
struct QuotedHits<'q, 'b> {
    quoted: &'q Quoted,
    buf: &'b [u8],
    /// Offset of the block `mask` is of.
    base: usize,
    /// The quotes of the block not yet visited, one bit per byte.
    mask: u64,
    /// The quote before the next one ([`NO_QUOTE`] before the first).
    last: usize,
    /// The string whose prefixes are being tried: its opening and closing
    /// quotes, and the next prefix to try.
    string: Option<(usize, usize, usize)>,
}

const NO_QUOTE: usize = usize::MAX;

impl QuotedHits<'_, '_> {
    /// The next prefix of the string being tried that it starts with.
    fn next_prefix(&mut self) -> Option<(usize, PatternId)> {
        let (p, q, from) = self.string.take()?;
        let text = &self.buf[p + 1..q];
        let (k, &(id, _)) = self
            .quoted
            .prefixes
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, (_, pre))| text.starts_with(pre))?;
        self.string = Some((p, q, k + 1));
        Some((p, id))
    }
}

impl Iterator for QuotedHits<'_, '_> {
    type Item = (usize, PatternId);

    #[inline]
    fn next(&mut self) -> Option<(usize, PatternId)> {
        if self.string.is_some() {
            if let Some(hit) = self.next_prefix() {
                return Some(hit);
            }
        }
        let (quoted, buf) = (self.quoted, self.buf);
        let (mut base, mut mask, mut last) = (self.base, self.mask, self.last);
        loop {
            while mask == 0 {
                base += 64;
                if base >= buf.len() {
                    (self.base, self.mask, self.last) = (base, 0, last);
                    return None;
                }
                mask = quote_mask(&buf[base..]);
            }
            let q = base + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let p = std::mem::replace(&mut last, q);
            // Shorter than any needle's text (the `:` and `,` between
            // strings), or a key's closing quote (`"…":`): the table's
            // needles stand for string values, never followed by a `:`
            // (module docs).
            if q.wrapping_sub(p) <= quoted.shortest
                || p == NO_QUOTE
                || buf.get(q + 1) == Some(&b':')
            {
                continue;
            }
            let text = &buf[p + 1..q];
            let whole = quoted.find(text);
            let prefix = quoted.may_start(text);
            if whole.is_none() && !prefix {
                continue;
            }
            (self.base, self.mask, self.last) = (base, mask, last);
            if prefix {
                self.string = Some((p, q, 0));
            }
            if let Some(id) = whole {
                return Some((p, id));
            }
            if let Some(hit) = self.next_prefix() {
                return Some(hit);
            }
        }
    }
}

/// The quotes among the first 64 bytes of `b`, bit `i` for byte `i`.
#[inline]
fn quote_mask(b: &[u8]) -> u64 {
    let mut m = 0u64;
    if let Some(block) = b.first_chunk::<64>() {
        for (i, w) in block.chunks_exact(8).enumerate() {
            m |= quotes_in_word(u64::from_le_bytes(w.try_into().expect("eight bytes"))) << (8 * i);
        }
    } else {
        for (i, &c) in b.iter().enumerate() {
            m |= u64::from(c == b'"') << i;
        }
    }
    m
}

/// The quotes among eight bytes (little-endian), bit `k` for byte `k`: the
/// exact zero-byte test of `w ^ "…"` (no false hits, unlike the shorter
/// `(x - 0x01…) & !x & 0x80…`), whose high bits a multiplication gathers
/// into one byte.
#[inline]
fn quotes_in_word(w: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = w ^ 0x2222_2222_2222_2222;
    let zero = !(((x & LOW7) + LOW7) | x | LOW7);
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Bits of [`sketch`].
const SKETCH_BITS: u32 = 18;

/// A cheap hash of a non-empty text: its length and its first and last
/// eight bytes (the whole text when shorter), which tell apart texts of one
/// shape (addresses, `user…@example….com`) that share a first and last
/// byte.
#[inline]
fn sketch(t: &[u8]) -> usize {
    let n = t.len();
    let (a, z) = if let (Some(a), Some(z)) = (t.first_chunk::<8>(), t.last_chunk::<8>()) {
        (u64::from_le_bytes(*a), u64::from_le_bytes(*z))
    } else {
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(t);
        (u64::from_le_bytes(w), 0)
    };
    let h = (a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ z.rotate_left(29) ^ n as u64)
        .wrapping_mul(0xD6E8_FEB8_6659_FD93);
    (h >> (64 - SKETCH_BITS)) as usize
}

/// A hash of a needle's text (FxHash's mixing, eight bytes at a time).
#[inline]
fn text_hash(t: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut h = mix(0, t.len() as u64);
    let mut words = t.chunks_exact(8);
    for w in &mut words {
        h = mix(h, u64::from_le_bytes(w.try_into().expect("eight bytes")));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(w));
    }
    h
}

/// The hasher of keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; anything else still works.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What is known of a needle in the line being decided.
const UNKNOWN: u8 = 0;
const PRESENT: u8 = 1;
const ABSENT: u8 = 2;

/// Scratch for deciding one line's candidates: back to its empty state
/// after each use.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Per needle: [`UNKNOWN`] (for a searched needle: absent),
    /// [`PRESENT`] or [`ABSENT`].
    state: Vec<u8>,
    /// The needles whose state is set, each once.
    found: Vec<PatternId>,
    /// Per filter: already pending for the line.
    pending: Vec<bool>,
    pending_list: Vec<u32>,
    /// The line holds a `\u`, a `\/`.
    unicode: bool,
    slash: bool,
}

impl Scratch {
    #[inline]
    fn note(&mut self, p: PatternId) {
        let st = &mut self.state[p as usize];
        if *st == UNKNOWN {
            *st = PRESENT;
            self.found.push(p);
        }
    }
}

impl SetPrefilter {
    pub(crate) fn new<'a>(irs: impl IntoIterator<Item = &'a Node>) -> SetPrefilter {
        let irs: Vec<&Node> = irs.into_iter().collect();
        // The needles as a filter's own prefilter has them; when the
        // driving ones are many, with `sw` and `ew` anchored at the
        // string's quote, which the table finds.
        let (mut needles, mut alternatives, mut always) = Self::needles(&irs, false);
        let many = Self::driving(needles.len(), &alternatives)
            .iter()
            .filter(|&&s| s)
            .count()
            > FEW_NEEDLES;
        if many {
            (needles, alternatives, always) = Self::needles(&irs, true);
        }
        // The needles the table takes, when the driving needles are many.
        let few_prefixes = needles
            .iter()
            .filter(|n| shape(n) == Some(Shape::Prefix))
            .count()
            <= FEW_PREFIXES;
        let quotable = |n: &[u8]| match shape(n) {
            Some(Shape::Whole) => true,
            Some(Shape::Prefix) => few_prefixes,
            None => false,
        };
        // The driving needles are searched for; when they are too many for
        // the automaton's fastest search, the quoted ones (and then every
        // quoted needle, at no extra cost) go to the table.
        let mut searched = Self::driving(needles.len(), &alternatives);
        if many {
            // The table's one walk finds every quoted needle: a filter with
            // an alternative of quoted needles only is driven by the rarest
            // such, and those are checked before the needles a line must be
            // searched for. (The order of the others stays rarest first.)
            for alts in &mut alternatives {
                alts.sort_by_key(|a| !a.needles.iter().all(|&p| quotable(&needles[p as usize])));
            }
            searched = Self::driving(needles.len(), &alternatives);
        }
        let mut drives = vec![Vec::new(); needles.len()];
        for (f, alts) in alternatives.iter().enumerate() {
            if let Some(first) = alts.first() {
                for &p in first.needles.iter() {
                    drives[p as usize].push(f as u32);
                }
            }
        }
        let slashed: Vec<u32> = (0..alternatives.len() as u32)
            .filter(|&f| alternatives[f as usize].iter().any(|a| a.has_slash))
            .collect();
        let mut quoted = Quoted {
            lengths: vec![false; QUOTED_MAX],
            table: HashMap::default(),
            sketches: vec![0; (1 << SKETCH_BITS) / 64],
            prefixes: Vec::new(),
            heads: Vec::new(),
            prefix_min: usize::MAX,
            shortest: usize::MAX,
        };
        let mut plain_ids = Vec::new();
        for (id, n) in needles.iter().enumerate() {
            if many && quotable(n) && shape(n) == Some(Shape::Prefix) {
                searched[id] = true;
                quoted.add_prefix(id as PatternId, &n[1..]);
            } else if many && quotable(n) {
                searched[id] = true;
                let text = &n[1..n.len() - 1];
                quoted.lengths[text.len()] = true;
                quoted.shortest = quoted.shortest.min(text.len());
                quoted.add_sketch(sketch(text));
                quoted
                    .table
                    .entry(text_hash(text))
                    .or_default()
                    .push((id as PatternId, text.into()));
            } else if searched[id] {
                plain_ids.push(id as PatternId);
            }
        }
        let others = (0..needles.len())
            .filter(|&i| !searched[i])
            .map(|i| {
                (
                    i as PatternId,
                    memmem::Finder::new(&needles[i]).into_owned(),
                )
            })
            .collect();
        let plain: Vec<&[u8]> = plain_ids
            .iter()
            .map(|&i| &needles[i as usize][..])
            .collect();
        // (Past a few hundred patterns the check costs more than it saves.)
        let may_hide = plain
            .iter()
            .map(|a| {
                plain.len() > 256 || plain.iter().any(|b| !std::ptr::eq(*a, *b) && hides(a, b))
            })
            .collect();
        let build = |kind: MatchKind| {
            (!plain.is_empty()).then(|| {
                AhoCorasick::builder()
                    .match_kind(kind)
                    .build(&plain)
                    .expect("the needles of a filter set are few and short")
            })
        };
        SetPrefilter {
            plain: build(MatchKind::LeftmostFirst),
            around: build(MatchKind::Standard),
            longest: plain.iter().map(|n| n.len()).max().unwrap_or(0),
            may_hide,
            searched,
            others,
            quoted,
            plain_ids,
            needles: needles.len(),
            drives: drives.into_iter().map(Vec::into_boxed_slice).collect(),
            alternatives,
            always,
            unicode: memmem::Finder::new(b"\\u").into_owned(),
            slash: (!slashed.is_empty()).then(|| memmem::Finder::new(b"\\/").into_owned()),
            slashed,
        }
    }

    /// Every filter's needles (each once, by id), its alternatives rarest
    /// first, and the filters without needles; `sw` and `ew` needles
    /// `anchored` at the quote.
    fn needles(irs: &[&Node], anchored: bool) -> Needles {
        let mut needles: Vec<Vec<u8>> = Vec::new();
        let mut ids: HashMap<Vec<u8>, PatternId> = HashMap::new();
        let mut alternatives = Vec::new();
        let mut always = Vec::new();
        for (f, ir) in irs.iter().enumerate() {
            let cnf = if anchored {
                required_anchored(ir, MANY_NEEDLES)
            } else {
                required(ir, MANY_NEEDLES)
            };
            let mut cnf = cnf.unwrap_or_default();
            // Rarest first, as a filter's own prefilter orders them.
            cnf.sort_by_key(|alt| {
                std::cmp::Reverse(alt.iter().map(|n| rarity(n)).min().unwrap_or((0, 0)))
            });
            if cnf.is_empty() {
                always.push(f as u32);
            }
            let alts: Box<[Alternative]> = cnf
                .into_iter()
                .map(|alt| Alternative {
                    has_slash: alt.iter().any(|n| n.contains(&b'/')),
                    needles: alt
                        .into_iter()
                        .map(|n| {
                            *ids.entry(n).or_insert_with_key(|n| {
                                needles.push(n.clone());
                                (needles.len() - 1) as PatternId
                            })
                        })
                        .collect(),
                })
                .collect();
            alternatives.push(alts);
        }
        (needles, alternatives, always)
    }

    /// Per needle: it drives some filter.
    fn driving(needles: usize, alternatives: &[Box<[Alternative]>]) -> Vec<bool> {
        let mut searched = vec![false; needles];
        for alts in alternatives {
            for &p in alts.first().map_or(&[][..], |a| &a.needles[..]) {
                searched[p as usize] = true;
            }
        }
        searched
    }

    /// Whether no filter has a needle: every line is a candidate of all.
    fn no_needles(&self) -> bool {
        self.needles == 0
    }

    /// Sizes a scratch for this prefilter.
    fn fit(&self, s: &mut Scratch) {
        if s.state.len() < self.needles {
            s.state.resize(self.needles, UNKNOWN);
        }
        if s.pending.len() < self.alternatives.len() {
            s.pending.resize(self.alternatives.len(), false);
        }
    }

    /// The candidates for one event (or line), ascending, into `out`
    /// (cleared first).
    pub(crate) fn candidates(&self, event: &[u8], s: &mut Scratch, out: &mut Vec<usize>) {
        out.clear();
        if self.no_needles() {
            out.extend(0..self.alternatives.len());
            return;
        }
        self.fit(s);
        for (_, id) in self.quoted.hits(event) {
            s.note(id);
        }
        if let Some(plain) = &self.plain {
            for m in plain.find_iter(event) {
                self.around_hit(event, m.pattern().as_usize(), m.range(), s);
            }
        }
        s.unicode = self.unicode.find(event).is_some();
        s.slash = self.slash.as_ref().is_some_and(|f| f.find(event).is_some());
        self.decide(event, s, out);
    }

    /// The lines of an NDJSON buffer that have candidates.
    pub(crate) fn lines<'p, 'b>(&'p self, buf: &'b [u8]) -> CandidateLines<'p, 'b> {
        let mut scratch = Scratch::default();
        self.fit(&mut scratch);
        CandidateLines {
            prefilter: self,
            buf,
            pos: 0,
            quoted: self.quoted.hits(buf).peekable(),
            plain: self.plain.as_ref().map(|ac| ac.find_iter(buf).fuse()),
            peeked: None,
            unicode: self.unicode.find_iter(buf).peekable(),
            slash: self.slash.as_ref().map(|f| f.find_iter(buf).peekable()),
            scratch,
            candidates: Vec::new(),
        }
    }

    /// Notes every plain needle that starts within the hit `hit` of
    /// `region` (the hit's own included): those the leftmost search may
    /// have stepped over.
    #[inline]
    fn around_hit(&self, region: &[u8], pattern: usize, hit: Range<usize>, s: &mut Scratch) {
        if !self.may_hide[pattern] {
            s.note(self.plain_ids[pattern]);
            return;
        }
        let Some(around) = &self.around else { return };
        let end = (hit.end - 1 + self.longest).min(region.len());
        for m in around.find_overlapping_iter(&region[hit.start..end]) {
            s.note(self.plain_ids[m.pattern().as_usize()]);
        }
    }

    /// Whether needle `p` is in `region`, from what the searches noted or
    /// else by looking.
    fn holds(&self, p: PatternId, region: &[u8], s: &mut Scratch) -> bool {
        match s.state[p as usize] {
            PRESENT => true,
            ABSENT => false,
            _ if self.searched[p as usize] => false,
            _ => {
                let yes = self.others[&p].find(region).is_some();
                s.state[p as usize] = if yes { PRESENT } else { ABSENT };
                s.found.push(p);
                yes
            }
        }
    }

    /// Decides the candidates of `region` from the needles noted in `s`,
    /// and resets the scratch.
    fn decide(&self, region: &[u8], s: &mut Scratch, out: &mut Vec<usize>) {
        out.clear();
        let (unicode, slash) = (s.unicode, s.slash);
        if unicode {
            // Any needle may be spelled with escapes: every filter.
            out.extend(0..self.alternatives.len());
        } else {
            out.extend(self.always.iter().map(|&f| f as usize));
            let mut pending = std::mem::take(&mut s.pending_list);
            let mut pend = |f: u32, s: &mut Scratch| {
                if !std::mem::replace(&mut s.pending[f as usize], true) {
                    pending.push(f);
                }
            };
            for i in 0..s.found.len() {
                let p = s.found[i];
                if s.state[p as usize] == PRESENT {
                    self.drives[p as usize].iter().for_each(|&f| pend(f, s));
                }
            }
            if slash {
                self.slashed.iter().for_each(|&f| pend(f, s));
            }
            for &f in &pending {
                s.pending[f as usize] = false;
                let all = self.alternatives[f as usize].iter().all(|a| {
                    (slash && a.has_slash) || a.needles.iter().any(|&p| self.holds(p, region, s))
                });
                if all {
                    out.push(f as usize);
                }
            }
            pending.clear();
            s.pending_list = pending;
            if out.len() > 1 {
                out.sort_unstable();
            }
        }
        for &p in &s.found {
            s.state[p as usize] = UNKNOWN;
        }
        s.found.clear();
        s.unicode = false;
        s.slash = false;
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
    /// The quoted needles of the whole buffer, in order.
    quoted: Peekable<QuotedHits<'p, 'b>>,
    /// The leftmost search of the other needles, hits in order; fused, as
    /// the automaton's iterator searches the rest of the buffer again on
    /// every call once it has no more hits.
    plain: Option<Fuse<FindIter<'p, 'b>>>,
    /// A hit (pattern, bytes) taken from `plain` that belongs to a later
    /// line.
    peeked: Option<(usize, Range<usize>)>,
    /// The escapes' hits.
    unicode: Peekable<memmem::FindIter<'b, 'p>>,
    slash: Option<Peekable<memmem::FindIter<'b, 'p>>>,
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

    fn next_plain(&mut self) -> Option<(usize, Range<usize>)> {
        if let Some(h) = self.peeked.take() {
            return Some(h);
        }
        let m = self.plain.as_mut()?.next()?;
        Some((m.pattern().as_usize(), m.range()))
    }

    /// Where the next line holding a hit starts, at or after `pos`.
    fn next_hit_line(&mut self) -> Option<usize> {
        let pos = self.pos;
        let plain = self.next_plain().map(|h| {
            let at = h.1.start;
            self.peeked = Some(h);
            at
        });
        let quoted = self.quoted.peek().map(|&(at, _)| at);
        let unicode = first_from(&mut self.unicode, pos);
        let slash = self.slash.as_mut().and_then(|s| first_from(s, pos));
        let at = [plain, quoted, unicode, slash]
            .into_iter()
            .flatten()
            .min()?;
        let buf = self.buf;
        Some(memchr::memrchr(b'\n', &buf[pos..at]).map_or(pos, |i| pos + i + 1))
    }
}

impl Iterator for CandidateLines<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let buf = self.buf;
        let p = self.prefilter;
        let every_line = !p.always.is_empty();
        if p.alternatives.is_empty() {
            // No filter: nothing to select.
            return None;
        }
        loop {
            if self.pos >= buf.len() {
                return None;
            }
            // The next line, or the line of the next hit (hits never span
            // a line end: needles hold none).
            let start = if every_line {
                self.pos
            } else {
                match self.next_hit_line() {
                    Some(start) => start,
                    None => {
                        self.pos = buf.len();
                        return None;
                    }
                }
            };
            let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
            self.pos = end + 1;
            if p.no_needles() {
                self.candidates.clear();
                self.candidates.extend(0..p.alternatives.len());
                return Some(start..end);
            }
            let line = &buf[start..end];
            // The line's hits.
            while let Some((at, id)) = self.quoted.next_if(|&(at, _)| at < end) {
                if at >= start {
                    self.scratch.note(id);
                }
            }
            while let Some(hit) = self.next_plain() {
                if hit.1.start >= end {
                    self.peeked = Some(hit);
                    break;
                }
                let (pattern, hit) = hit;
                let hit = hit.start - start..hit.end - start;
                p.around_hit(line, pattern, hit, &mut self.scratch);
            }
            self.scratch.unicode = hit_in(&mut self.unicode, start..end);
            self.scratch.slash = self.slash.as_mut().is_some_and(|s| hit_in(s, start..end));
            p.decide(line, &mut self.scratch, &mut self.candidates);
            if !self.candidates.is_empty() {
                return Some(start..end);
            }
        }
    }
}

/// Whether, where `a` is found in valid JSON, `b` may start inside it (and
/// so be stepped over by a leftmost search): `b` inside `a`, or a prefix of
/// `b` a suffix of `a` (`b` a proper prefix of `a` included).
///
/// A needle ending with a quote and one starting with a quote
/// (`"SUCCESS"`, `"user.session.start"`, an anchored `"user.account`)
/// share it only where one string's closing quote opens the next, which
/// valid JSON never has, unless the texts end or start with what may stand
/// next to a quote (`:`, `,`, brackets, white space, a backslash). On text that is not
/// valid JSON a candidate may then be missed; the event is malformed, and
/// [`FilterSet::matches_json`](crate::FilterSet::matches_json) says so
/// whatever the candidates.
fn hides(a: &[u8], b: &[u8]) -> bool {
    let beside_quote = |c: u8| {
        matches!(
            c,
            b':' | b',' | b'[' | b']' | b'{' | b'}' | b' ' | b'\t' | b'\r' | b'\n' | b'\\'
        )
    };
    // (`a` may close a string, `b` open one: `"SUCCESS"`, `abc"`, and
    // `"user.account` of an anchored `sw`.)
    let closes = a.len() >= 2 && a[a.len() - 1] == b'"' && !beside_quote(a[a.len() - 2]);
    let opens = b.len() >= 2 && b[0] == b'"' && !beside_quote(b[1]);
    let shared_quote_only = closes && opens;
    (0..a.len()).any(|k| {
        let rest = &a[k..];
        if rest.len() >= b.len() {
            rest.starts_with(b)
        } else {
            b.starts_with(rest) && !(rest.len() == 1 && shared_quote_only)
        }
    })
}

/// Whether some hit is in `line`; the hits before its end are dropped.
fn hit_in(s: &mut Peekable<memmem::FindIter<'_, '_>>, line: Range<usize>) -> bool {
    let yes = first_from(s, line.start).is_some_and(|h| h < line.end);
    while s.next_if(|&h| h < line.end).is_some() {}
    yes
}

/// The first hit at or after `pos` (the earlier ones are dropped).
fn first_from(s: &mut Peekable<memmem::FindIter<'_, '_>>, pos: usize) -> Option<usize> {
    while s.next_if(|&h| h < pos).is_some() {}
    s.peek().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(filters: &[&str]) -> SetPrefilter {
        let filters: Vec<crate::Filter> = filters
            .iter()
            .map(|f| crate::Filter::parse(f).unwrap())
            .collect();
        SetPrefilter::new(filters.iter().map(|f| &f.ir))
    }

    fn candidates(p: &SetPrefilter, event: &str) -> Vec<usize> {
        let mut out = Vec::new();
        p.candidates(event.as_bytes(), &mut Scratch::default(), &mut out);
        out
    }

    /// A few driving needles all go to the automaton; many, and the
    /// quoted ones go to the table. Either way the same candidates.
    #[test]
    fn needles_go_where_they_are_found_fastest() {
        let mut filters = vec![
            r#"eventType eq "a.b""#.to_owned(),
            r#"x co "New Device=POSITIVE""#.to_owned(),
            r#"x eq "say \"hi\"""#.to_owned(),
            "x eq true".to_owned(),
            // Not driving: looked for in the line.
            r#"x co "New Device=POSITIVE" and y eq "A""#.to_owned(),
        ];
        let few = set(&filters.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            (few.needles, few.plain_ids.len(), few.others.len()),
            (5, 4, 1)
        );
        filters.extend((0..70).map(|i| format!(r#"id eq "v{i}""#)));
        let many = set(&filters.iter().map(String::as_str).collect::<Vec<_>>());
        // `"a.b"`, `"A"` and the 70 to the table; `"say \"hi\""` holds
        // quotes inside.
        assert_eq!(
            (many.needles, many.plain_ids.len(), many.others.len()),
            (75, 3, 0)
        );
        for p in [few, many] {
            assert_eq!(candidates(&p, r#"{"eventType":"a.b"}"#), [0]);
            // Between two quotes, but not the needle's text.
            assert_eq!(
                candidates(&p, r#"{"eventType":"a.bc","y":"a.b "}"#),
                Vec::<usize>::new()
            );
            // The text after an escaped quote is still between two quotes.
            assert_eq!(candidates(&p, r#"{"y":"x\"a.b"}"#), [0]);
            assert_eq!(candidates(&p, r#"{"x":"say \"hi\""}"#), [2]);
            assert_eq!(
                candidates(&p, r#"{"x":"New Device=POSITIVE, true"}"#),
                [1, 3]
            );
            assert_eq!(
                candidates(&p, r#"{"x":"New Device=POSITIVE","y":"A"}"#),
                [1, 4]
            );
        }
    }

    /// With many driving needles, the table's walk finds every quoted
    /// needle and the few `sw` ones, in string values only: a key (a string
    /// followed by `:`) holding a needle's text makes no candidate, a value
    /// beside white space, in an array or at the end of an object does.
    #[test]
    fn the_walk_looks_at_values_not_keys() {
        let mut filters: Vec<String> = (0..70).map(|i| format!(r#"id eq "v{i}""#)).collect();
        filters.push(r#"eventType sw "user.account" and x co "Super""#.to_owned());
        filters.push(r#"eventType eq "user.account.lock""#.to_owned());
        filters.push("v1 pr".to_owned());
        let p = set(&filters.iter().map(String::as_str).collect::<Vec<_>>());
        // Every filter is driven by the table: no automaton pass.
        assert!(p.plain.is_none());
        assert_eq!(p.quoted.prefixes.len(), 1);
        assert_eq!(candidates(&p, r#"{"id":"v1"}"#), [1, 72]);
        assert_eq!(candidates(&p, r#"{"v1":"id"}"#), [72]);
        assert_eq!(candidates(&p, r#"{"a":{"v1":{"v2":1}}}"#), [72]);
        assert_eq!(candidates(&p, r#"{"id": "v1" }"#), [1, 72]);
        assert_eq!(candidates(&p, "{\"id\":[\"v3\",\"v2\"\n]}"), [2, 3, 72]);
        // The prefix, on its own and with a whole needle on one string.
        assert_eq!(
            candidates(&p, r#"{"eventType":"user.account.unlock","x":"Super"}"#),
            [70, 72]
        );
        assert_eq!(
            candidates(&p, r#"{"eventType":"user.account.lock","x":"Super"}"#),
            [70, 71, 72]
        );
        // Not at the start of the string, or only as a key: no.
        assert_eq!(
            candidates(&p, r#"{"eventType":"a user.account","x":"Super"}"#),
            [72]
        );
        assert_eq!(candidates(&p, r#"{"user.account.lock":"Super"}"#), [72]);
        // More prefixes than the walk tries go to the automaton: the same
        // answers.
        let mut more = filters.clone();
        more.extend((0..FEW_PREFIXES).map(|i| format!(r#"eventType sw "w{i}.""#)));
        let q = set(&more.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(q.quoted.prefixes.is_empty());
        assert_eq!(q.plain_ids.len(), FEW_PREFIXES + 1);
        assert_eq!(
            candidates(&q, r#"{"eventType":"user.account.unlock","x":"Super"}"#),
            [70, 72]
        );
        assert_eq!(candidates(&q, r#"{"eventType":"w3.x"}"#), [72, 76]);
    }

    /// The walk finds, at every opening quote, the needles whose text (or
    /// prefix) the quotes enclose, wherever the block boundaries fall,
    /// but for keys: checked against every pair of consecutive quotes.
    #[test]
    fn the_walk_finds_what_consecutive_quotes_enclose() {
        let mut filters: Vec<String> = ["ab", "abc", "b,", "ca", "bbbbbbbbbbb"]
            .iter()
            .map(|t| format!(r#"x eq "{t}""#))
            .collect();
        filters.push(r#"x sw "cab""#.to_owned());
        filters.extend((0..70).map(|i| format!(r#"id eq "v{i}""#)));
        let p = set(&filters.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(p.quoted.shortest, 2);
        let texts: Vec<(PatternId, Vec<u8>, bool)> = p
            .quoted
            .table
            .values()
            .flatten()
            .map(|(id, t)| (*id, t.to_vec(), false))
            .chain(
                p.quoted
                    .prefixes
                    .iter()
                    .map(|(id, t)| (*id, t.to_vec(), true)),
            )
            .collect();
        let alphabet = b"\"\"\"abc:, b";
        let mut x: u64 = 11;
        for len in 0..300 {
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            let quotes: Vec<usize> = (0..buf.len()).filter(|&i| buf[i] == b'"').collect();
            let mut want = Vec::new();
            for w in quotes.windows(2) {
                let (o, c) = (w[0], w[1]);
                if buf.get(c + 1) == Some(&b':') {
                    continue;
                }
                let text = &buf[o + 1..c];
                let mut ids: Vec<PatternId> = texts
                    .iter()
                    .filter(|(_, t, prefix)| {
                        if *prefix {
                            text.starts_with(t)
                        } else {
                            text == &t[..]
                        }
                    })
                    .map(|(id, _, _)| *id)
                    .collect();
                ids.sort_unstable();
                want.extend(ids.into_iter().map(|id| (o, id)));
            }
            let mut got: Vec<(usize, PatternId)> = p.quoted.hits(&buf).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{}", String::from_utf8_lossy(&buf));
        }
    }

    #[test]
    fn which_needles_a_hit_may_hide() {
        assert!(hides(b"xyz", b"yzw"));
        assert!(hides(b"xyz", b"y"));
        assert!(hides(b"xyz", b"xyzw"));
        assert!(hides(b"xyz", b"xy"));
        assert!(hides(b"\"SUCCESS\"", b"SUCCESS"));
        // Quoted needles share a quote only beside `:` and the like.
        assert!(!hides(b"\"SUCCESS\"", b"\"user.session.start\""));
        assert!(!hides(b"\"SUCCESS\"", b"\"user.account"));
        assert!(!hides(b"@example.com\"", b"\"user.account"));
        assert!(hides(b"\"SUCCESS\"", b"\",x"));
        assert!(hides(b"a:\"", b"\"user"));
        assert!(hides(b"\":\"", b"\"v\""));
        assert!(hides(b"\"v\"", b"\",\""));
        assert!(!hides(b"xyz", b"wxy"));
        assert!(!hides(b"xyz", b"yw"));
        // `xyz` may hide `yzw`, which may hide `wq`.
        let p = set(&[r#"a co "xyz""#, r#"a co "yzw""#, r#"a co "wq""#]);
        assert_eq!(p.may_hide, [true, true, false]);
        assert_eq!(candidates(&p, r#"{"a":"xyzwq"}"#), [0, 1, 2]);
    }

    #[test]
    fn the_hash_tells_texts_apart() {
        let texts: [&[u8]; 6] = [b"", b"a", b"ab", b"abcdefgh", b"abcdefgh\0", b"abcdefghi"];
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert_ne!(text_hash(a), text_hash(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn quote_masks_mark_quotes_and_nothing_else() {
        // Bytes next to `"` (0x22) in value and in bits: `!`, `#`, 0xA2,
        // 0x02, 0x62, and runs of quotes, at every offset of a block.
        let near = [b'"', b'!', b'#', 0xA2, 0x02, 0x62, 0x00, 0xFF];
        let mut x: u64 = 7;
        for len in 0..=70 {
            for _ in 0..50 {
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        near[(x % near.len() as u64) as usize]
                    })
                    .collect();
                let mut want = 0u64;
                for (i, &c) in b.iter().take(64).enumerate() {
                    if c == b'"' {
                        want |= 1 << i;
                    }
                }
                assert_eq!(quote_mask(&b), want, "{b:?}");
            }
        }
        assert_eq!(quote_mask(&[b'"'; 64]), u64::MAX);
        assert_eq!(
            quotes_in_word(u64::from_le_bytes(*b"\"a\"bc\"d\"")),
            0b1010_0101
        );
    }
}
