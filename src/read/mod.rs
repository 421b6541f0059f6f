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

// One file per step of the reader; the rules are the module docs above.
// decode.rs: bytes to UTF-8 text (compression, encoding, line ends);
// fill.rs: options, filling batches, the iterators; lines.rs: classifying
// lines (the NDJSON fast path); scan.rs: the value scanner; resync.rs:
// the footing after a malformed value; batch.rs: what a batch holds;
// select.rs: matching a batch; error.rs: bad values and errors. The
// reader's state (below) is shared by the steps.
mod batch;
mod decode;
mod error;
mod fill;
mod lines;
mod resync;
mod scan;
mod select;
#[cfg(feature = "compression")]
mod zstd;

use std::fmt;
use std::io::{self, Read};

pub use batch::{Batch, Event, Items, OwnedEvent, Part};
pub use decode::{Compression, Encoding, Format};
pub use error::{io_message, BadValue, Error};
pub use select::{compact_into, Hit, Selected};

// What the steps share (each file uses `super::*`).
use batch::{found, step, Pos};
use fill::read_retry;
use lines::values_of_line;
use resync::opens_line;
use scan::{describe, is_ws, shown, size, starts_value, Scanned, BOM};

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

#[cfg(test)]
mod tests;
