//! A streaming reader for event files as people have them: NDJSON, `jq .`
//! output, JSON arrays (API pages, several appended), and mixtures of these,
//! plain, gzip- or zstd-compressed, UTF-8 or UTF-16.
//!
//! ```
//! use oktaql::read::Reader;
//!
//! let text = br#"{"eventType":"a"}
//! {
//!   "eventType": "b"
//! }
//! [{"eventType":"c"},
//!  {"eventType":"d"}]
//! 42
//! "#;
//! let mut events = Vec::new();
//! let mut bad = Vec::new();
//! for item in Reader::new(&text[..])? {
//!     match item {
//!         Ok(ev) => events.push((ev.line(), String::from_utf8(ev.into_bytes())?)),
//!         Err(oktaql::read::Error::Bad(b)) => bad.push(b.line),
//!         Err(e) => return Err(e.into()),
//!     }
//! }
//! assert_eq!(events[0], (1, r#"{"eventType":"a"}"#.to_owned()));
//! assert_eq!(events[1].0, 2); // the line where the value starts
//! assert_eq!(events.len(), 4);
//! assert_eq!(bad, [7]); // a number is not an event
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Detection
//!
//! Everything is decided from the bytes, never from a file name:
//!
//! 1. **Compression** by magic bytes: gzip (`1f 8b`, every member of a
//!    multi-member file, as concatenated `.gz` files are) and zstd
//!    (`28 b5 2f fd`, every frame; skippable frames are skipped). Needs the
//!    `compression` feature (default); without it such input is an error.
//! 2. **Encoding**: a UTF-8 byte-order mark is skipped; a UTF-16 LE or BE
//!    byte-order mark (what Windows PowerShell writes) makes the text be
//!    decoded to UTF-8 as it streams (an unpaired surrogate becomes U+FFFD).
//!    In UTF-16 text, a byte-order mark read the other way round (U+FFFE)
//!    starts a part in the other byte order (`cat` of a little- and a
//!    big-endian file); one read the same way is U+FEFF, skipped where a
//!    value may start (below). UTF-32 is an error.
//!
//!    **Line ends** are decided by the text's first line break: LF and
//!    CR LF are read as they are; a CR not followed by LF (some Windows
//!    and macOS tools write only CRs) makes every CR a line end, read as LF
//!    (a CR LF pair still one line end), so such files are NDJSON too.
//!
//!    A truncated or damaged compressed stream ends the reading with an
//!    [`Error::Io`] (`gzip: the compressed stream is truncated`) after the
//!    events decoded before the damage (for zstd: those of the frames before
//!    the damaged one; the decoder holds back a frame's last window until
//!    the frame ends).
//! 3. **Not JSON text**: known binary formats (bzip2, xz, zip, 7z, lz4,
//!    Parquet, PNG, JPEG, GIF, PDF, ELF, SQLite, tar, Unix compress) are named
//!    in an [`Error::NotJson`]; so is a first block (16 KiB) holding a NUL
//!    byte or, in its first KiB, another control byte (UTF-16 without a
//!    byte-order mark is named as such), and text whose first
//!    non-whitespace byte cannot start a JSON value.
//!
//! # Shapes
//!
//! The text is a sequence of JSON values, read line by line:
//!
//! - A line whose first non-whitespace byte is `{` and whose last is `}` is
//!   **one event** (NDJSON, the fast path: the reader only looks at the ends
//!   of such lines, and the consumer validates the event). When it is not
//!   one valid value (`{"a":1} {"a":2}`), [`Batch::select`] reads it again as
//!   JSON text, values one after another as the scanner reads any other
//!   line, before anything on it is called bad; [`Batch::items`] and the
//!   iterators hand such a line out as it is.
//! - Any other line starts a **value that is read to its end**, across lines,
//!   by a structural scanner (strings, escapes, brackets, commas, colons):
//!   pretty-printed objects, several values on a line, arrays.
//! - A **byte-order mark** (U+FEFF) where a value may start (at a line
//!   start, between values, before an array element) is skipped: `cat` of
//!   files written with one (PowerShell's `Out-File`) puts one at the start
//!   of a line. Inside a string it is text.
//! - The elements of a **top-level array** are the events; an array inside it
//!   is read as more events (pages collected into one array), at any depth.
//!   Several arrays one after another are read in turn; NDJSON lines may
//!   follow them. After a value ends, a new line is read as a line again.
//! - A top-level scalar, and an array element that is not an object or an
//!   array, is a **bad value** ([`BadValue`]): reported with its line, never
//!   an event.
//!
//! An event's line is the line where it starts (1-based, counted in the
//! decoded text).
//!
//! # Finding the footing after a malformed value
//!
//! When the scanner meets a byte that cannot continue the value (or the
//! input ends inside one), the value is a [`BadValue`] reported at the line
//! where it starts, and reading **resumes at the first line, after that
//! line, that begins in its first column with `{` or `[`**: where NDJSON
//! lines and the top-level values of pretty-printed output begin (nested
//! values are indented). For a stray byte between values (a missing comma,
//! a `}` too many) the search starts at the stray byte's own line. The
//! lines skipped are in [`BadValue::end_line`]. The search never goes back
//! before the place of an earlier error, so no byte is scanned more than
//! twice, whatever the input. A truncated object followed by NDJSON lines
//! therefore loses only itself.
//!
//! # Limits
//!
//! An event (or a line) longer than [`Reader::max_event`] bytes
//! ([`DEFAULT_MAX_EVENT`], 256 MiB) is a bad value and skipped as above; the
//! reader holds at most one batch of about [`Reader::batch_size`] bytes plus
//! one event, and nesting costs one bit per level of the value in hand.
//!
//! # Two ways to read
//!
//! - [`Reader::fill`] fills a [`Batch`] with many whole events at once,
//!   without copying them: runs of NDJSON lines stay runs ([`Part::Lines`],
//!   which the caller may search as a whole), other events are byte ranges
//!   ([`Part::Event`]), with bad values in order ([`Part::Bad`]). The
//!   `oktaql` command hands such batches to its workers, which match them
//!   with [`Batch::select`] (as the Python binding's `filter_file` does).
//! - [`Reader::next_event`] (a lending iterator) and the [`Iterator`] impl
//!   (owned events) give one event at a time.

mod decode;
mod select;
#[cfg(feature = "compression")]
mod zstd;

use std::fmt;
use std::io::{self, Read};
use std::ops::Range;

use memchr::{memchr, memchr_iter};

pub use decode::{Compression, Encoding, Format};
pub use select::{compact_into, Hit, Selected};

/// Events (and lines) longer than this are bad values, skipped.
///
/// ```
/// use oktaql::read::DEFAULT_MAX_EVENT;
///
/// assert_eq!(DEFAULT_MAX_EVENT, 256 * 1024 * 1024);
/// ```
pub const DEFAULT_MAX_EVENT: usize = 256 << 20;

/// The default batch size: reads are this large, and [`Reader::fill`]
/// returns once a batch holds about this much.
///
/// ```
/// use oktaql::read::{Batch, Reader, DEFAULT_BATCH};
///
/// // Two events of half a batch each, and a third: the first batch holds about DEFAULT_BATCH bytes.
/// let line = format!("{{\"eventType\":\"user.session.start\",\"pad\":\"{}\"}}\n", "x".repeat(DEFAULT_BATCH / 2));
/// let text = line.repeat(3);
/// let mut reader = Reader::new(text.as_bytes())?;
/// let mut batch = Batch::new();
/// assert!(reader.fill(&mut batch)?);
/// assert!(batch.items().count() < 3);
/// # Ok::<(), oktaql::read::Error>(())
/// ```
pub const DEFAULT_BATCH: usize = 1 << 20;

/// A value that is not an event, or is malformed: reading goes on after it.
///
/// ```
/// use oktaql::read::{Error, Reader};
///
/// let text = b"{\"eventType\":\"user.session.start\"}\n\"a string\"\n";
/// let bad: Vec<_> = Reader::new(&text[..])?
///     .filter_map(|item| match item {
///         Err(Error::Bad(b)) => Some(b),
///         _ => None,
///     })
///     .collect();
/// assert_eq!((bad[0].line, bad[0].end_line), (2, 2));
/// assert_eq!(bad[0].message, "a string at the top level, not an object");
/// assert_eq!(bad[0].to_string(), "line 2: a string at the top level, not an object");
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadValue {
    /// The line where the value starts (1-based).
    pub line: u64,
    /// The last line skipped with it (at least `line`).
    pub end_line: u64,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)?;
        if self.end_line > self.line {
            write!(f, " (lines {}-{} skipped)", self.line, self.end_line)?;
        }
        Ok(())
    }
}

/// What can go wrong reading events.
///
/// ```
/// use oktaql::read::{Error, Reader};
///
/// // A zip archive is named, not read.
/// let err = Reader::new(&b"PK\x03\x04rest of a zip file"[..]).unwrap_err();
/// assert!(matches!(err, Error::NotJson(_)));
/// assert!(!err.is_bad_value());
/// assert_eq!(err.to_string(), "not JSON text (zip archive)");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One value is bad; the reader goes on with the next.
    #[error("{0}")]
    Bad(
        /// The value, its line and what is wrong.
        BadValue,
    ),
    /// The input is not JSON text (a zip archive, binary data, ...); says
    /// what it looks like. The reader stops.
    #[error("not JSON text ({0})")]
    NotJson(
        /// What the input looks like (`zip archive`).
        String,
    ),
    /// Reading or decompressing failed (a truncated gzip stream, an I/O
    /// error). The events before it were delivered; the reader stops.
    #[error("{}", io_message(.0))]
    Io(
        /// The error from reading or decoding.
        #[from]
        io::Error,
    ),
}

impl Error {
    /// Whether the reader goes on after this error (a bad value).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let mut items = Reader::new(&b"42\n{\"eventType\":\"user.session.start\"}\n"[..])?;
    /// assert!(items.next().unwrap().unwrap_err().is_bad_value());
    /// // The reader goes on after it.
    /// assert_eq!(items.next().unwrap()?.line(), 2);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn is_bad_value(&self) -> bool {
        matches!(self, Error::Bad(_))
    }
}

/// An io::Error as a person reads it: without the `(os error 2)`.
///
/// ```
/// use oktaql::read::io_message;
///
/// let e = std::fs::File::open("/no/such/okta-events.json").unwrap_err();
/// assert!(e.to_string().contains("(os error"));
/// assert!(!io_message(&e).contains("(os error"));
/// assert!(io_message(&e).starts_with("No such file or directory"));
/// ```
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// One piece of a [`Batch`], in input order.
///
/// ```
/// use oktaql::read::{Batch, Part, Reader};
///
/// let text = b"{\"a\":1}\n\n{\"a\":2}\n{\n  \"a\": 3\n}\n";
/// let mut batch = Batch::new();
/// Reader::new(&text[..])?.fill(&mut batch)?;
/// // Three lines, one of them blank: two events.
/// assert_eq!(batch.parts()[0], Part::Lines { range: 0..17, line: 1, lines: 3 });
/// assert_eq!(batch.parts()[1], Part::Event { range: 17..29, line: 4 });
/// assert_eq!(&batch.data()[17..29], b"{\n  \"a\": 3\n}");
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Whole NDJSON lines, `data[range]`, the first of them on line `line`,
    /// `lines` of them; each line that is not blank is one event, with an
    /// optional `\r` before its `\n` (the last line may lack the `\n`).
    Lines {
        /// Where the lines are in [`Batch::data`].
        range: Range<usize>,
        /// The number of the first line (1-based).
        line: u64,
        /// How many lines, blank ones included.
        lines: u64,
    },
    /// One event, `data[range]` (it may span lines), starting on `line`.
    Event {
        /// Where the event is in [`Batch::data`].
        range: Range<usize>,
        /// The line where it starts (1-based).
        line: u64,
    },
    /// A bad value.
    Bad(
        /// The value, its line and what is wrong.
        BadValue,
    ),
}

/// A buffer of whole events, filled by [`Reader::fill`] and reused.
///
/// ```
/// use oktaql::read::{Batch, Reader};
///
/// let text = b"{\"eventType\":\"user.session.start\"}\n{\"eventType\":\"user.session.end\"}\n";
/// let mut reader = Reader::new(&text[..])?;
/// let mut batch = Batch::new();
/// let mut events = 0;
/// while reader.fill(&mut batch)? {
///     events += batch.items().filter(|i| i.is_ok()).count();
/// }
/// assert_eq!(events, 2);
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Default)]
pub struct Batch {
    buf: Vec<u8>,
    len: usize,
    parts: Vec<Part>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("len", &self.len)
            .field("parts", &self.parts)
            .finish()
    }
}

impl Batch {
    /// An empty batch, for [`Reader::fill`] to fill.
    ///
    /// ```
    /// use oktaql::read::Batch;
    ///
    /// let batch = Batch::new();
    /// assert!(batch.data().is_empty() && batch.parts().is_empty());
    /// assert_eq!(batch.items().count(), 0);
    /// ```
    pub fn new() -> Batch {
        Batch::default()
    }

    /// The bytes the parts' ranges point into.
    ///
    /// ```
    /// use oktaql::read::{Batch, Part, Reader};
    ///
    /// let text = b"[{\"eventType\":\"user.session.start\"}]";
    /// let mut batch = Batch::new();
    /// Reader::new(&text[..])?.fill(&mut batch)?;
    /// let Part::Event { range, .. } = &batch.parts()[0] else { panic!("an event") };
    /// assert_eq!(&batch.data()[range.clone()], br#"{"eventType":"user.session.start"}"#);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn data(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The events and bad values, in input order (see [`Part`]).
    ///
    /// ```
    /// use oktaql::read::{Batch, Part, Reader};
    ///
    /// let mut batch = Batch::new();
    /// Reader::new(&b"true\n{\"eventType\":\"user.session.start\"}\n"[..])?.fill(&mut batch)?;
    /// assert!(matches!(batch.parts()[0], Part::Bad(ref b) if b.line == 1));
    /// assert!(matches!(batch.parts()[1], Part::Lines { line: 2, lines: 1, .. }));
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Every event and bad value, one at a time (NDJSON runs split).
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let text = b"{\"a\":1}\n\n{\"a\":2}\nnull\n";
    /// let mut batch = Batch::new();
    /// Reader::new(&text[..])?.fill(&mut batch)?;
    /// let lines: Vec<Result<u64, u64>> = batch
    ///     .items()
    ///     .map(|i| i.map(|e| e.line()).map_err(|b| b.line))
    ///     .collect();
    /// // The blank line is no item; `null` is a bad value.
    /// assert_eq!(lines, [Ok(1), Ok(3), Err(4)]);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn items(&self) -> Items<'_> {
        Items {
            batch: self,
            pos: Pos::default(),
        }
    }

    /// Capacity grown by one huge event is given back.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let big = format!("{{\"pad\":\"{}\"}}\n", "x".repeat(4 << 20));
    /// let mut batch = Batch::new();
    /// Reader::new(big.as_bytes())?.fill(&mut batch)?;
    /// assert_eq!(batch.items().count(), 1);
    /// batch.shrink(1 << 20); // gives the memory back, and the content with it
    /// assert!(batch.data().is_empty());
    /// // A reader fills it again as usual.
    /// Reader::new(&b"{\"a\":1}\n"[..])?.fill(&mut batch)?;
    /// assert_eq!(batch.items().count(), 1);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn shrink(&mut self, keep: usize) {
        if self.buf.len() > keep {
            self.buf = Vec::new();
            self.len = 0;
        }
    }
}

/// One event: its JSON text and the line where it starts.
///
/// ```
/// use oktaql::read::Reader;
///
/// let mut reader = Reader::new(&b"\n\n{\"eventType\":\"user.session.start\"}\n"[..])?;
/// let event = reader.next_event().unwrap()?;
/// assert_eq!(event.line(), 3);
/// assert_eq!(event.bytes(), br#"{"eventType":"user.session.start"}"#);
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    bytes: &'a [u8],
    line: u64,
}

impl<'a> Event<'a> {
    /// The event's JSON text as read (not validated; pretty-printed events
    /// keep their line breaks).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let text = b"{\n  \"eventType\": \"user.session.start\"\n}\n";
    /// let mut reader = Reader::new(&text[..])?;
    /// let event = reader.next_event().unwrap()?;
    /// assert_eq!(event.bytes(), &text[..text.len() - 1]);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The line where it starts (1-based).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let text = b"[\n{\"a\":1},\n{\"a\":2}\n]\n";
    /// let mut reader = Reader::new(&text[..])?;
    /// assert_eq!(reader.next_event().unwrap()?.line(), 2);
    /// assert_eq!(reader.next_event().unwrap()?.line(), 3);
    /// assert!(reader.next_event().is_none());
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn line(&self) -> u64 {
        self.line
    }

    /// A copy that does not borrow the reader.
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let mut reader = Reader::new(&b"{\"a\":1}\n{\"a\":2}\n"[..])?;
    /// let first = reader.next_event().unwrap()?.to_owned();
    /// let second = reader.next_event().unwrap()?;
    /// assert_eq!((first.bytes(), first.line()), (&b"{\"a\":1}"[..], 1));
    /// assert_eq!(second.line(), 2);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn to_owned(&self) -> OwnedEvent {
        OwnedEvent {
            bytes: self.bytes.to_vec(),
            line: self.line,
        }
    }
}

/// An [`Event`] with its own bytes, from the [`Iterator`] impl of [`Reader`].
///
/// ```
/// use oktaql::read::{OwnedEvent, Reader};
///
/// let events: Vec<OwnedEvent> = Reader::new(&b"{\"a\":1}\n{\"a\":2}\n"[..])?.collect::<Result<_, _>>()?;
/// assert_eq!(events.len(), 2);
/// assert_eq!(events[1].bytes(), b"{\"a\":2}");
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedEvent {
    bytes: Vec<u8>,
    line: u64,
}

impl OwnedEvent {
    /// The event's JSON text as read (see [`Event::bytes`]).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let event = Reader::new(&b" {\"a\":1} \n"[..])?.next().unwrap()?;
    /// assert_eq!(event.bytes(), b" {\"a\":1} ");
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The line where it starts (1-based).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let event = Reader::new(&b"\n{\"a\":1}\n"[..])?.next().unwrap()?;
    /// assert_eq!(event.line(), 2);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The event's JSON text, without a copy.
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let event = Reader::new(&b"{\"eventType\":\"user.session.start\"}"[..])?.next().unwrap()?;
    /// let value: serde_json::Value = serde_json::from_slice(&event.into_bytes()).unwrap();
    /// assert_eq!(value["eventType"], "user.session.start");
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[derive(Clone, Copy, Default, Debug)]
struct Pos {
    part: usize,
    /// Inside a `Lines` part: the offset of the next line, and its number.
    off: Option<(usize, u64)>,
}

/// The events and bad values of a [`Batch`]: see [`Batch::items`].
///
/// ```
/// use oktaql::read::{Batch, Reader};
///
/// let mut batch = Batch::new();
/// Reader::new(&b"{\"a\":1}\n[1]\n"[..])?.fill(&mut batch)?;
/// let mut items = batch.items();
/// assert_eq!(items.next().unwrap().unwrap().bytes(), b"{\"a\":1}");
/// assert_eq!(items.next().unwrap().unwrap_err().line, 2);
/// assert!(items.next().is_none());
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Debug)]
pub struct Items<'a> {
    batch: &'a Batch,
    pos: Pos,
}

/// The next item of a batch from `pos`, as indices.
enum Found {
    Event(Range<usize>, u64),
    Bad(usize),
}

fn step(batch: &Batch, pos: &mut Pos) -> Option<Found> {
    let data = batch.data();
    loop {
        let part = batch.parts.get(pos.part)?;
        match part {
            Part::Event { range, line } => {
                pos.part += 1;
                return Some(Found::Event(range.clone(), *line));
            }
            Part::Bad(_) => {
                pos.part += 1;
                return Some(Found::Bad(pos.part - 1));
            }
            Part::Lines { range, line, .. } => {
                let (off, ln) = pos.off.unwrap_or((range.start, *line));
                if off >= range.end {
                    pos.part += 1;
                    pos.off = None;
                    continue;
                }
                let rest = &data[off..range.end];
                let (mut len, next) = match memchr(b'\n', rest) {
                    Some(k) => (k, off + k + 1),
                    None => (rest.len(), range.end),
                };
                pos.off = Some((next, ln + 1));
                if len > 0 && rest[len - 1] == b'\r' {
                    len -= 1;
                }
                if rest[..len].iter().all(|&b| is_ws(b)) {
                    continue;
                }
                return Some(Found::Event(off..off + len, ln));
            }
        }
    }
}

fn found<'a>(batch: &'a Batch, f: Found) -> Result<Event<'a>, &'a BadValue> {
    match f {
        Found::Event(range, line) => Ok(Event {
            bytes: &batch.data()[range],
            line,
        }),
        Found::Bad(i) => match &batch.parts[i] {
            Part::Bad(b) => Err(b),
            _ => unreachable!("Found::Bad points at a bad part"),
        },
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Result<Event<'a>, &'a BadValue>;

    fn next(&mut self) -> Option<Self::Item> {
        step(self.batch, &mut self.pos).map(|f| found(self.batch, f))
    }
}

/// U+FEFF in UTF-8: skipped wherever a value may start.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a line starting with `b` begins with `{` or `[` (after a
/// byte-order mark, if any): where reading resumes after a bad value.
fn opens_line(b: &[u8]) -> bool {
    let b = b.strip_prefix(BOM).unwrap_or(b);
    matches!(b.first(), Some(b'{' | b'['))
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether a byte can start a JSON value.
fn starts_value(b: u8) -> bool {
    matches!(
        b,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    )
}

/// Bytes of a number or `true`/`false`/`null` (checked by the consumer).
fn bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-')
}

fn describe(b: u8) -> String {
    match b {
        b'"' => "a string".to_owned(),
        b't' | b'f' => "a boolean".to_owned(),
        b'n' => "null".to_owned(),
        _ => "a number".to_owned(),
    }
}

fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// Where the reader is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// Classifying the rest of a line (the next byte is the first not yet
    /// classified; usually a line start).
    Line,
    /// Inside the value scanner.
    Value,
    /// Looking for a line that begins with `{` or `[` after a bad value.
    Skip,
}

/// Outside the value in hand (between page elements, or at the top level).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outer {
    Top,
    /// After `[`.
    ElemOrClose,
    /// After `,`.
    Elem,
    /// After an element.
    CommaOrClose,
}

/// Inside the value in hand: what may come next.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Inner {
    Value,
    ValueOrClose,
    KeyOrClose,
    Key,
    Colon,
    CommaOrClose,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    None,
    /// In a string (`key`: an object key).
    Str {
        key: bool,
        esc: bool,
    },
    /// In a number or literal.
    Bare,
}

/// The value in hand.
#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    line: u64,
    /// Its first byte: `{` for an event, else a scalar.
    first: u8,
}

/// Containers open in the value in hand, one bit each (1 = object).
#[derive(Default, Debug)]
struct Stack {
    bits: Vec<u64>,
    depth: usize,
}

impl Stack {
    fn push(&mut self, obj: bool) {
        let (w, b) = (self.depth / 64, self.depth % 64);
        if w == self.bits.len() {
            self.bits.push(0);
        }
        if obj {
            self.bits[w] |= 1 << b;
        } else {
            self.bits[w] &= !(1 << b);
        }
        self.depth += 1;
    }
    fn top_is_obj(&self) -> bool {
        let d = self.depth - 1;
        self.bits[d / 64] >> (d % 64) & 1 == 1
    }
    fn clear(&mut self) {
        self.depth = 0;
        if self.bits.len() > 1024 {
            self.bits = Vec::new();
        }
    }
}

/// The streaming reader: see the [module docs](self).
///
/// ```
/// use oktaql::read::Reader;
/// use oktaql::Filter;
///
/// let text = br#"[{"eventType":"user.session.start","outcome":{"result":"FAILURE"}},
///  {"eventType":"user.session.start","outcome":{"result":"SUCCESS"}}]"#;
/// let filter = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
/// let mut failures = Vec::new();
/// for event in Reader::new(&text[..])? {
///     let event = event?;
///     if filter.matches_json(event.bytes())? {
///         failures.push(event.line());
///     }
/// }
/// assert_eq!(failures, [1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Reader<R> {
    src: decode::Source<R>,
    format: Format,
    max_event: usize,
    batch: usize,
    /// Hand a batch on as soon as a short read completes an item.
    prompt: bool,
    /// Bytes not done with, for the next batch, and their stream offset.
    carry: Vec<u8>,
    /// Where in them processing goes on.
    resume: usize,
    /// The last byte read was a line break.
    ends_nl: bool,
    /// CR line ends read as LF, if the text has them.
    ends: decode::LineEnds,
    /// The first value must be an object or an array (else `NotJson`).
    objects_first: bool,
    /// No NDJSON fast path: every line through the value scanner.
    values_only: bool,
    offset: u64,
    line: u64,
    mode: Mode,
    /// Skip mode: at a line start.
    line_start: bool,
    /// Skip mode: the bad value being skipped (line, message).
    skipping: Option<(u64, String)>,
    outer: Outer,
    arrays: u64,
    inner: Inner,
    tok: Tok,
    stack: Stack,
    unit: Option<Unit>,
    /// Resync never resumes before this stream offset.
    floor: u64,
    /// The first non-whitespace byte has been checked.
    started: bool,
    /// A read error, returned after the batch before it.
    pending: Option<io::Error>,
    done: bool,
    /// For `next_event`.
    own: Batch,
    pos: Pos,
}

impl<R> fmt::Debug for Reader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("format", &self.format)
            .field("line", &self.line)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Reader<R> {
    /// Looks at the first bytes (compression, encoding, binary formats) and
    /// returns a reader of the decoded text, or [`Error::NotJson`] (or
    /// [`Error::Io`] when reading fails).
    ///
    /// ```
    /// use oktaql::read::{Encoding, Reader};
    ///
    /// // UTF-16 LE with a byte-order mark, as Windows PowerShell writes it.
    /// let text: Vec<u8> = "\u{feff}{\"eventType\":\"user.session.start\"}\n"
    ///     .encode_utf16()
    ///     .flat_map(u16::to_le_bytes)
    ///     .collect();
    /// let mut reader = Reader::new(&text[..])?;
    /// assert_eq!(reader.format().encoding, Encoding::Utf16Le);
    /// assert_eq!(reader.next().unwrap()?.bytes(), br#"{"eventType":"user.session.start"}"#);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn new(inner: R) -> Result<Reader<R>, Error> {
        let (src, format, mut head) = decode::open(inner)?;
        let mut ends = decode::LineEnds::default();
        let len = ends.convert(&mut head);
        head.truncate(len);
        let prompt = format.compression == Compression::None
            && !matches!(format.encoding, Encoding::Utf16Le | Encoding::Utf16Be);
        Ok(Reader {
            src,
            format,
            max_event: DEFAULT_MAX_EVENT,
            batch: DEFAULT_BATCH,
            prompt,
            ends_nl: head.last() == Some(&b'\n'),
            ends,
            objects_first: false,
            values_only: false,
            carry: head,
            resume: 0,
            offset: 0,
            line: 1,
            mode: Mode::Line,
            line_start: true,
            skipping: None,
            outer: Outer::Top,
            arrays: 0,
            inner: Inner::Value,
            tok: Tok::None,
            stack: Stack::default(),
            unit: None,
            floor: 0,
            started: false,
            pending: None,
            done: false,
            own: Batch::default(),
            pos: Pos::default(),
        })
    }

    /// Sets the longest event (or line) kept, in bytes.
    ///
    /// ```
    /// use oktaql::read::{Error, Reader};
    ///
    /// let text = b"{\"eventType\":\"user.session.start\",\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}\n{\"a\":1}\n";
    /// let items: Vec<_> = Reader::new(&text[..])?.max_event(32).collect();
    /// assert!(matches!(&items[0], Err(Error::Bad(b)) if b.line == 1));
    /// assert_eq!(items[1].as_ref().unwrap().bytes(), b"{\"a\":1}");
    /// # Ok::<(), Error>(())
    /// ```
    pub fn max_event(mut self, bytes: usize) -> Self {
        self.max_event = bytes.max(1);
        self
    }

    /// Sets the size of reads and batches.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let text = "{\"a\":1}\n".repeat(10_000);
    /// let mut reader = Reader::new(text.as_bytes())?.batch_size(4096);
    /// let (mut batches, mut events) = (0, 0);
    /// let mut batch = Batch::new();
    /// while reader.fill(&mut batch)? {
    ///     batches += 1;
    ///     events += batch.items().count();
    /// }
    /// assert_eq!(events, 10_000);
    /// assert!(batches > 1);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn batch_size(mut self, bytes: usize) -> Self {
        self.batch = bytes.max(16);
        self
    }

    /// Requires the text's first value to be an object or an array: any
    /// other first value (a number, a string...) makes the whole input an
    /// [`Error::NotJson`] instead of one bad value per line. For files found
    /// by walking a directory, where a TSV or CSV file beside the exports
    /// whose first line starts with a digit is not an export.
    ///
    /// ```
    /// use oktaql::read::{Error, Reader};
    ///
    /// let tsv = b"2024\tuser.session.start\n2025\tuser.session.end\n";
    /// // By default, each line is a bad value...
    /// let items: Vec<_> = Reader::new(&tsv[..])?.collect();
    /// assert!(items.iter().all(|i| matches!(i, Err(Error::Bad(_)))));
    /// // ...and with the option, the text is not JSON text, said once.
    /// let err = Reader::new(&tsv[..])?.objects_first(true).next().unwrap().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "not JSON text (its first value is a number, not an object or an array, on line 1)"
    /// );
    /// // An export is read as before.
    /// let ok = Reader::new(&b"[{\"a\":1}]"[..])?.objects_first(true).count();
    /// assert_eq!(ok, 1);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn objects_first(mut self, yes: bool) -> Self {
        self.objects_first = yes;
        self
    }

    /// Whether the input is read to its end (the last [`fill`](Self::fill)
    /// returned its events; the next would return `Ok(false)`).
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let mut reader = Reader::new(&b"{\"a\":1}\n"[..])?;
    /// let mut batch = Batch::new();
    /// assert!(!reader.at_end());
    /// while reader.fill(&mut batch)? {}
    /// assert!(reader.at_end());
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn at_end(&self) -> bool {
        self.done && self.pending.is_none()
    }

    /// What was detected.
    ///
    /// ```
    /// use oktaql::read::{Compression, Encoding, Reader};
    ///
    /// let reader = Reader::new(&b"\xef\xbb\xbf{\"a\":1}\n"[..])?;
    /// assert_eq!(reader.format().compression, Compression::None);
    /// assert_eq!(reader.format().encoding, Encoding::Utf8Bom);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn format(&self) -> Format {
        self.format
    }

    /// Fills `batch` with the next events (its old content is dropped).
    /// `Ok(false)` at the end of the input. After an `Err` the reader is
    /// done; the events before a read error are delivered first.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    /// use oktaql::Filter;
    ///
    /// let text = b"{\"outcome\":{\"result\":\"FAILURE\"}}\n{\"outcome\":{\"result\":\"SUCCESS\"}}\n";
    /// let filter = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
    /// let mut reader = Reader::new(&text[..])?;
    /// let mut batch = Batch::new();
    /// let (mut looked_at, mut selected) = (0, 0);
    /// while reader.fill(&mut batch)? {
    ///     looked_at += batch.select(&filter, |_| selected += 1);
    /// }
    /// assert_eq!((looked_at, selected), (2, 1));
    /// assert!(!reader.fill(&mut batch)?); // the end stays the end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fill(&mut self, batch: &mut Batch) -> Result<bool, Error> {
        batch.parts.clear();
        batch.len = 0;
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Err(Error::Io(e));
        }
        if self.done {
            return Ok(false);
        }
        let want = self.batch.max(self.carry.len() + self.batch / 4);
        if batch.buf.len() < want {
            batch.buf.resize(want, 0);
        }
        let mut filled = self.carry.len();
        batch.buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut pos = std::mem::take(&mut self.resume);
        let mut short = false;
        let keep = loop {
            let keep = match self.process(batch, &mut pos, filled, false) {
                Ok(k) => k,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            };
            if !batch.parts.is_empty() && (filled >= self.batch || (self.prompt && short)) {
                break keep;
            }
            if filled == batch.buf.len() {
                if keep > 0 {
                    // Make room: the processed bytes go (there are no
                    // parts pointing at them, or we would have stopped).
                    if batch.parts.is_empty() {
                        self.rebase(batch, keep, &mut pos, &mut filled);
                    } else {
                        break keep;
                    }
                } else {
                    let grown = (batch.buf.len() * 2)
                        .min(self.max_event + self.batch)
                        .max(batch.buf.len() + self.batch);
                    batch.buf.resize(grown, 0);
                }
            }
            let asked = batch.buf.len() - filled;
            match read_text(&mut self.src, &mut self.ends, &mut batch.buf[filled..]) {
                Ok(0) => {
                    let r = self.process(batch, &mut pos, filled, true);
                    self.done = true;
                    batch.len = filled;
                    return r.map(|_| !batch.parts.is_empty());
                }
                Ok(n) => {
                    filled += n;
                    short = n < asked;
                    self.ends_nl = batch.buf[filled - 1] == b'\n';
                }
                Err(e) => {
                    // What was complete is delivered; the rest is damaged.
                    self.pending = Some(e);
                    if batch.parts.is_empty() {
                        self.done = true;
                        return Err(Error::Io(self.pending.take().expect("just set")));
                    }
                    break keep;
                }
            }
        };
        if self.pending.is_none() {
            self.carry.extend_from_slice(&batch.buf[keep..filled]);
            // The scanner has seen the carried bytes up to `pos`.
            self.resume = pos - keep;
        }
        self.offset += keep as u64;
        if let Some(u) = &mut self.unit {
            u.start -= keep;
        }
        batch.len = keep;
        Ok(true)
    }

    /// Drops the processed bytes `..keep` from the front of the buffer.
    fn rebase(&mut self, batch: &mut Batch, keep: usize, pos: &mut usize, filled: &mut usize) {
        batch.buf.copy_within(keep..*filled, 0);
        *filled -= keep;
        *pos -= keep;
        self.offset += keep as u64;
        if let Some(u) = &mut self.unit {
            u.start -= keep;
        }
    }

    /// The next event (or bad value), borrowing the reader's buffer;
    /// `None` at the end. After an error other than [`Error::Bad`], `None`.
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let mut reader = Reader::new(&b"{\"a\":1}\n\"x\"\n{\"a\":2}\n"[..])?;
    /// let mut seen = Vec::new();
    /// while let Some(item) = reader.next_event() {
    ///     match item {
    ///         Ok(event) => seen.push(format!("event at {}", event.line())),
    ///         Err(e) if e.is_bad_value() => seen.push("bad".into()),
    ///         Err(e) => return Err(e),
    ///     }
    /// }
    /// assert_eq!(seen, ["event at 1", "bad", "event at 3"]);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn next_event(&mut self) -> Option<Result<Event<'_>, Error>> {
        let f = loop {
            if let Some(f) = step(&self.own, &mut self.pos) {
                break f;
            }
            let mut own = std::mem::take(&mut self.own);
            let r = self.fill(&mut own);
            self.own = own;
            self.pos = Pos::default();
            match r {
                Ok(true) => continue,
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        };
        Some(found(&self.own, f).map_err(|b| Error::Bad(b.clone())))
    }

    /// Processes `batch.buf[*pos..filled]`; returns where the bytes not yet
    /// done with start (to carry into the next batch).
    fn process(
        &mut self,
        batch: &mut Batch,
        pos: &mut usize,
        filled: usize,
        eof: bool,
    ) -> Result<usize, Error> {
        let buf = &batch.buf[..filled];
        let parts = &mut batch.parts;
        // An open run of NDJSON lines: its start and first line.
        let mut run: Option<(usize, u64)> = None;
        let mut run_events = false;
        let close_run = |run: &mut Option<(usize, u64)>,
                         events: &mut bool,
                         end: usize,
                         now: u64,
                         parts: &mut Vec<Part>| {
            if let Some((start, line)) = run.take() {
                if *events {
                    let partial = end > start && buf[end - 1] != b'\n';
                    parts.push(Part::Lines {
                        range: start..end,
                        line,
                        lines: now - line + u64::from(partial),
                    });
                }
            }
            *events = false;
        };
        loop {
            match self.mode {
                Mode::Line => {
                    // The fast path: lines that begin with `{` and end with
                    // `}`, found with one search for line breaks.
                    let p = *pos;
                    if p < filled && buf[p] == b'{' && self.started && !self.values_only {
                        let mut q = p;
                        let mut lines = 0u64;
                        for k in memchr_iter(b'\n', &buf[p..]) {
                            let nl = p + k;
                            let mut e = nl;
                            if buf[e - 1] == b'\r' {
                                e -= 1;
                            }
                            if e == q || buf[e - 1] != b'}' || nl - q > self.max_event {
                                break;
                            }
                            lines += 1;
                            q = nl + 1;
                            if q >= filled || buf[q] != b'{' {
                                break;
                            }
                        }
                        if lines > 0 {
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            run_events = true;
                            self.line += lines;
                            *pos = q;
                            continue;
                        }
                    }
                    let rest = &buf[p..];
                    let Some(f) = rest
                        .iter()
                        .position(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
                    else {
                        // Only blanks so far on this line: kept with it
                        // (an event's line is printed as read), unless
                        // there are more than an event may hold.
                        if eof || rest.len() > self.max_event {
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            *pos = filled;
                            close_run(&mut run, &mut run_events, filled, self.line, parts);
                            return Ok(filled);
                        }
                        close_run(&mut run, &mut run_events, p, self.line, parts);
                        return Ok(p);
                    };
                    let c = rest[f];
                    if c == b'\n' {
                        if run.is_none() {
                            run = Some((p, self.line));
                        }
                        *pos = p + f + 1;
                        self.line += 1;
                        continue;
                    }
                    if c == BOM[0] {
                        // A byte-order mark where a value may start (files
                        // written with one, concatenated): skipped, and the
                        // line read on from after it.
                        if rest[f..].starts_with(BOM) {
                            close_run(&mut run, &mut run_events, p, self.line, parts);
                            *pos = p + f + BOM.len();
                            continue;
                        }
                        if !eof && BOM.starts_with(&rest[f..]) {
                            close_run(&mut run, &mut run_events, p, self.line, parts);
                            return Ok(p);
                        }
                    }
                    if !self.started {
                        self.started = true;
                        if !starts_value(c) {
                            return Err(Error::NotJson(format!(
                                "text that does not start with a JSON value: {} on line {}",
                                shown(c),
                                self.line
                            )));
                        }
                        if self.objects_first && !matches!(c, b'{' | b'[') {
                            return Err(Error::NotJson(format!(
                                "its first value is {}, not an object or an array, on line {}",
                                describe(c),
                                self.line
                            )));
                        }
                    }
                    if c == b'{' && !self.values_only {
                        let nl = memchr(b'\n', &rest[f..]).map(|k| f + k);
                        let end = match nl {
                            Some(k) => k,
                            None if eof => rest.len(),
                            None => {
                                close_run(&mut run, &mut run_events, p, self.line, parts);
                                if rest.len() > self.max_event {
                                    self.too_long(p, "line");
                                    *pos = filled;
                                    continue;
                                }
                                return Ok(p);
                            }
                        };
                        let last = rest[..end]
                            .iter()
                            .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r'));
                        if last.is_some_and(|l| rest[l] == b'}') {
                            if end > self.max_event {
                                close_run(&mut run, &mut run_events, p, self.line, parts);
                                self.too_long(p, "line");
                                *pos = p + end;
                                continue;
                            }
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            run_events = true;
                            match nl {
                                Some(k) => {
                                    *pos = p + k + 1;
                                    self.line += 1;
                                }
                                None => {
                                    *pos = filled;
                                    close_run(&mut run, &mut run_events, filled, self.line, parts);
                                    return Ok(filled);
                                }
                            }
                            continue;
                        }
                    }
                    close_run(&mut run, &mut run_events, p, self.line, parts);
                    self.mode = Mode::Value;
                    self.outer = Outer::Top;
                }
                Mode::Skip => loop {
                    if *pos >= filled {
                        if eof {
                            self.end_skip(parts);
                        }
                        return Ok(filled);
                    }
                    if self.line_start && opens_line(&buf[*pos..]) {
                        self.end_skip(parts);
                        self.mode = Mode::Line;
                        break;
                    }
                    match memchr(b'\n', &buf[*pos..]) {
                        Some(k) => {
                            *pos += k + 1;
                            self.line += 1;
                            self.line_start = true;
                        }
                        None => {
                            *pos = filled;
                            self.line_start = false;
                        }
                    }
                },
                Mode::Value => match self.scan(buf, pos, parts, eof) {
                    Scanned::Line => {
                        self.mode = Mode::Line;
                    }
                    Scanned::More => {
                        let keep = self.unit.map_or(*pos, |u| u.start);
                        if let Some(u) = self.unit {
                            if filled - u.start > self.max_event {
                                self.unit = None;
                                self.stack.clear();
                                self.tok = Tok::None;
                                self.arrays = 0;
                                self.too_long_at(u.line, "event");
                                *pos = filled;
                                continue;
                            }
                        }
                        return Ok(keep);
                    }
                    Scanned::Eof => return Ok(filled),
                    Scanned::Error(at, why) => self.resync(buf, pos, at, why, parts),
                },
            }
        }
    }

    fn too_long(&mut self, _p: usize, what: &str) {
        let line = self.line;
        self.too_long_at(line, what);
    }

    fn too_long_at(&mut self, line: u64, what: &str) {
        self.skipping = Some((
            line,
            format!("{what} longer than {}, skipped", size(self.max_event)),
        ));
        self.mode = Mode::Skip;
        self.line_start = false;
    }

    fn end_skip(&mut self, parts: &mut Vec<Part>) {
        if let Some((line, message)) = self.skipping.take() {
            let end_line = if self.line_start {
                self.line - 1
            } else {
                self.line
            };
            parts.push(Part::Bad(BadValue {
                line,
                end_line: end_line.max(line),
                message,
            }));
        }
    }

    /// After a malformed value (error at `at`): report it, and resume at the
    /// first line after its start that begins with `{` or `[`.
    fn resync(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        at: usize,
        why: String,
        parts: &mut Vec<Part>,
    ) {
        let err_line = self.line;
        let (from, line) = match self.unit.take() {
            Some(u) => (u.start + 1, u.line),
            None => (at, err_line),
        };
        let message = if line == err_line {
            format!("malformed JSON: {why}")
        } else {
            format!("malformed JSON: {why} on line {err_line}")
        };
        self.stack.clear();
        self.tok = Tok::None;
        self.arrays = 0;
        self.outer = Outer::Top;
        let abs = |i: usize| self.offset + i as u64;
        let floor = self.floor.saturating_sub(self.offset).min(buf.len() as u64) as usize;
        self.floor = self.floor.max(abs(at));
        let start = from.max(floor);
        // A line start at or after `start` whose first byte is `{` or `[`.
        let mut q = None;
        if start < buf.len() {
            if (start == 0 && self.offset == 0 || start > 0 && buf[start - 1] == b'\n')
                && opens_line(&buf[start..])
            {
                q = Some(start);
            } else {
                for k in memchr_iter(b'\n', &buf[start..]) {
                    let i = start + k + 1;
                    if opens_line(&buf[i..]) {
                        q = Some(i);
                        break;
                    }
                }
            }
        }
        match q {
            Some(q) => {
                // `self.line` is the line of the byte at `at`.
                let qline = if q <= at {
                    err_line - memchr_iter(b'\n', &buf[q..at]).count() as u64
                } else {
                    err_line + memchr_iter(b'\n', &buf[at..q]).count() as u64
                };
                parts.push(Part::Bad(BadValue {
                    line,
                    end_line: qline.saturating_sub(1).max(line),
                    message,
                }));
                self.line = qline;
                *pos = q;
                self.mode = Mode::Line;
            }
            None => {
                // Skip on from the error (nothing before the end of the
                // bytes qualifies).
                self.skipping = Some((line, message));
                self.mode = Mode::Skip;
                self.line_start = at > 0 && buf[at - 1] == b'\n' || at == 0 && self.offset == 0;
                *pos = at;
            }
        }
    }
}

/// What the scanner stopped at.
enum Scanned {
    /// A newline at the top level: back to classifying lines.
    Line,
    /// The bytes ran out.
    More,
    /// The input ended (everything reported).
    Eof,
    /// A byte that cannot continue (at, why).
    Error(usize, String),
}

impl<R: Read> Reader<R> {
    /// The structural scanner: runs until a top-level newline, the end of
    /// the bytes, or an error.
    fn scan(&mut self, buf: &[u8], pos: &mut usize, parts: &mut Vec<Part>, eof: bool) -> Scanned {
        let n = buf.len();
        let mut i = *pos;
        macro_rules! fail {
            ($at:expr, $($t:tt)*) => {{
                *pos = $at;
                return Scanned::Error($at, format!($($t)*));
            }};
        }
        while i < n {
            // In a token.
            match self.tok {
                Tok::Str { key, esc } => {
                    if esc {
                        if buf[i] == b'\n' {
                            fail!(i, "a string is not closed before the line ends");
                        }
                        self.tok = Tok::Str { key, esc: false };
                        i += 1;
                        continue;
                    }
                    match memchr::memchr3(b'"', b'\\', b'\n', &buf[i..]) {
                        None => {
                            i = n;
                            continue;
                        }
                        Some(k) => {
                            i += k;
                            match buf[i] {
                                b'\\' => {
                                    self.tok = Tok::Str { key, esc: true };
                                    i += 1;
                                    continue;
                                }
                                b'\n' => fail!(i, "a string is not closed before the line ends"),
                                _ => {
                                    i += 1;
                                    self.tok = Tok::None;
                                    if key {
                                        self.inner = Inner::Colon;
                                    } else {
                                        self.value_done(buf, i, parts);
                                    }
                                    continue;
                                }
                            }
                        }
                    }
                }
                Tok::Bare => {
                    if bare(buf[i]) {
                        i += 1;
                        continue;
                    }
                    self.tok = Tok::None;
                    if let Some(why) = self.bad_scalar(buf, i) {
                        fail!(i, "{why}");
                    }
                    self.value_done(buf, i, parts);
                    continue;
                }
                Tok::None => {}
            }
            let c = buf[i];
            if c == b'\n' {
                self.line += 1;
                i += 1;
                if self.unit.is_none() && self.outer == Outer::Top {
                    *pos = i;
                    return Scanned::Line;
                }
                continue;
            }
            if matches!(c, b' ' | b'\t' | b'\r') {
                i += 1;
                continue;
            }
            if self.unit.is_none() {
                // Between values. A byte-order mark where a value may start
                // is skipped (one split by the end of the bytes waits).
                if c == BOM[0]
                    && matches!(self.outer, Outer::Top | Outer::ElemOrClose | Outer::Elem)
                {
                    if buf[i..].starts_with(BOM) {
                        i += BOM.len();
                        continue;
                    }
                    if !eof && BOM.starts_with(&buf[i..]) {
                        *pos = i;
                        return Scanned::More;
                    }
                }
                match (self.outer, c) {
                    (Outer::Top | Outer::ElemOrClose | Outer::Elem, b'[') => {
                        self.arrays += 1;
                        self.outer = Outer::ElemOrClose;
                    }
                    (Outer::Top | Outer::ElemOrClose | Outer::Elem, _) if starts_value(c) => {
                        self.unit = Some(Unit {
                            start: i,
                            line: self.line,
                            first: c,
                        });
                        match c {
                            b'{' => {
                                self.stack.push(true);
                                self.inner = Inner::KeyOrClose;
                            }
                            b'"' => {
                                self.tok = Tok::Str {
                                    key: false,
                                    esc: false,
                                }
                            }
                            _ => self.tok = Tok::Bare,
                        }
                    }
                    (Outer::ElemOrClose | Outer::CommaOrClose | Outer::Elem, b']') => {
                        if self.outer == Outer::Elem {
                            parts.push(Part::Bad(BadValue {
                                line: self.line,
                                end_line: self.line,
                                message: "expected a value after `,` in the JSON array".to_owned(),
                            }));
                        }
                        self.arrays -= 1;
                        self.outer = if self.arrays > 0 {
                            Outer::CommaOrClose
                        } else {
                            Outer::Top
                        };
                    }
                    (Outer::CommaOrClose, b',') => self.outer = Outer::Elem,
                    (Outer::CommaOrClose, b'{' | b'[') => {
                        // A missing comma: said, and the element read.
                        parts.push(Part::Bad(BadValue {
                            line: self.line,
                            end_line: self.line,
                            message: "expected `,` between array elements".to_owned(),
                        }));
                        self.outer = Outer::Elem;
                        continue;
                    }
                    (Outer::CommaOrClose, _) => {
                        fail!(
                            i,
                            "expected `,` or `]` after an array element, found {}",
                            shown(c)
                        )
                    }
                    (Outer::Top, _) => fail!(i, "{} cannot start a JSON value", shown(c)),
                    _ => fail!(i, "expected an array element, found {}", shown(c)),
                }
                i += 1;
                continue;
            }
            // Inside the value in hand. Only what breaks the structure
            // (a `{` or `[` where a key, `:` or `,` must come; a bracket
            // that does not match) stops the value here; other mistakes
            // are found when the finished value is validated.
            let obj = self.stack.top_is_obj();
            match (self.inner, c) {
                (
                    Inner::KeyOrClose | Inner::Key | Inner::Colon | Inner::CommaOrClose,
                    b'{' | b'[',
                ) => {
                    let expected = match self.inner {
                        Inner::Colon => "`:` after a key",
                        Inner::CommaOrClose if obj => "`,` or `}`",
                        Inner::CommaOrClose => "`,` or `]`",
                        _ => "a key (a string)",
                    };
                    fail!(i, "expected {expected}, found {}", shown(c))
                }
                (_, b'{') => {
                    self.stack.push(true);
                    self.inner = Inner::KeyOrClose;
                }
                (_, b'[') => {
                    self.stack.push(false);
                    self.inner = Inner::ValueOrClose;
                }
                (_, b'}' | b']') => {
                    if obj != (c == b'}') {
                        fail!(
                            i,
                            "{} does not close the open {}",
                            shown(c),
                            if obj { "object" } else { "array" }
                        );
                    }
                    self.stack.depth -= 1;
                    self.value_done(buf, i + 1, parts);
                }
                (_, b',') => self.inner = if obj { Inner::Key } else { Inner::Value },
                (_, b':') => self.inner = Inner::Value,
                (Inner::KeyOrClose | Inner::Key, b'"') => {
                    self.tok = Tok::Str {
                        key: true,
                        esc: false,
                    }
                }
                (_, b'"') => {
                    self.tok = Tok::Str {
                        key: false,
                        esc: false,
                    }
                }
                (_, _) if bare(c) => self.tok = Tok::Bare,
                // Any other byte: the validation will say.
                _ => {}
            }
            i += 1;
        }
        *pos = n;
        if !eof {
            return Scanned::More;
        }
        // The input ends.
        if self.tok == Tok::Bare {
            self.tok = Tok::None;
            if let Some(why) = self.bad_scalar(buf, n) {
                return Scanned::Error(n, why);
            }
            self.value_done(buf, n, parts);
        }
        // Reported on the last line, not after its line break.
        let last_nl = n > 0 && buf[n - 1] == b'\n';
        if self.unit.is_some() {
            let at = if last_nl {
                self.line -= 1;
                n - 1
            } else {
                n
            };
            return Scanned::Error(at, "the input ends inside the value".to_owned());
        }
        if self.arrays > 0 {
            let line = self.line - u64::from(self.ends_nl);
            parts.push(Part::Bad(BadValue {
                line,
                end_line: line,
                message: "the input ends inside a JSON array".to_owned(),
            }));
            self.arrays = 0;
            self.outer = Outer::Top;
        }
        Scanned::Eof
    }

    /// A number or literal standing alone (not inside an object) that is
    /// not one: the line is not JSON, not a bad scalar.
    fn bad_scalar(&self, buf: &[u8], end: usize) -> Option<String> {
        let u = self.unit.as_ref()?;
        if self.stack.depth > 0 {
            return None;
        }
        let tok = &buf[u.start..end];
        let ok = matches!(tok, b"true" | b"false" | b"null")
            || crate::json::number_len(tok) == Some(tok.len());
        (!ok).then(|| {
            let shown = String::from_utf8_lossy(&tok[..tok.len().min(40)]).into_owned();
            format!("`{shown}` is not a JSON value")
        })
    }

    /// A value in hand ended at `end` (exclusive) unless containers are
    /// still open.
    fn value_done(&mut self, buf: &[u8], end: usize, parts: &mut Vec<Part>) {
        if self.stack.depth > 0 {
            self.inner = Inner::CommaOrClose;
            return;
        }
        let Some(u) = self.unit.take() else { return };
        if end - u.start > self.max_event {
            parts.push(Part::Bad(BadValue {
                line: u.line,
                end_line: self.line,
                message: format!("event longer than {}, skipped", size(self.max_event)),
            }));
        } else if u.first == b'{' {
            // Validated here (NDJSON lines are left to the consumer): a
            // value read by the scanner is whole, valid JSON or a bad value.
            match crate::json::validate(&buf[u.start..end]) {
                Ok(_) => parts.push(Part::Event {
                    range: u.start..end,
                    line: u.line,
                }),
                Err(e) => parts.push(Part::Bad(BadValue {
                    line: u.line,
                    end_line: self.line,
                    message: format!("malformed JSON: {e}"),
                })),
            }
        } else {
            let what = describe(u.first);
            let message = if self.arrays > 0 {
                format!("an array element that is {what}, not an object")
            } else {
                format!("{what} at the top level, not an object")
            };
            let _ = buf;
            parts.push(Part::Bad(BadValue {
                line: u.line,
                end_line: self.line,
                message,
            }));
        }
        self.stack.clear();
        self.outer = if self.arrays > 0 {
            Outer::CommaOrClose
        } else {
            Outer::Top
        };
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The values of one line read as JSON text (values one after another),
/// for a line that begins with `{` and ends with `}` but is not one value
/// (`{"a":1} {"a":2}`): each event's range in `line`, and the bad values
/// (numbered from line 1). `None` when the line is not text at all.
pub(super) fn values_of_line(line: &[u8]) -> Option<Vec<Result<Range<usize>, BadValue>>> {
    let mut reader = Reader::new(line).ok()?.batch_size(line.len() + 64);
    reader.values_only = true;
    reader.max_event = line.len().max(1);
    let mut batch = Batch::new();
    let mut items = Vec::new();
    loop {
        let at = reader.offset as usize;
        match reader.fill(&mut batch) {
            Ok(true) => {}
            Ok(false) => return Some(items),
            Err(_) => return None,
        }
        // (No `Lines` parts: there is no NDJSON fast path here.)
        for part in batch.parts() {
            match part {
                Part::Event { range, .. } => items.push(Ok(at + range.start..at + range.end)),
                Part::Bad(b) => items.push(Err(b.clone())),
                Part::Lines { .. } => {}
            }
        }
    }
}

/// Reads the next bytes of the text, CR line ends read as LF; 0 at the end.
fn read_text(r: &mut impl Read, ends: &mut decode::LineEnds, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        let n = read_retry(r, buf)?;
        if n == 0 {
            return Ok(0);
        }
        // Only a dropped LF (of a CR LF pair) is 0 bytes: read on.
        let n = ends.convert(&mut buf[..n]);
        if n > 0 {
            return Ok(n);
        }
    }
}

/// `read`, retried when interrupted.
fn read_retry(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<OwnedEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event().map(|r| r.map(|e| e.to_owned()))
    }
}

#[cfg(test)]
mod tests;
