//! A batch of whole events, as [`Reader::fill`] leaves it: its parts in
//! input order, and the events and bad values they hold, one at a time.

use std::fmt;
use std::ops::Range;

use memchr::memchr;

use super::*;

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
    // Filled by the reader (fill.rs, lines.rs, scan.rs, resync.rs).
    pub(super) buf: Vec<u8>,
    pub(super) len: usize,
    pub(super) parts: Vec<Part>,
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
pub(super) struct Pos {
    pub(super) part: usize,
    /// Inside a `Lines` part: the offset of the next line, and its number.
    pub(super) off: Option<(usize, u64)>,
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
pub(super) enum Found {
    Event(Range<usize>, u64),
    Bad(usize),
}

pub(super) fn step(batch: &Batch, pos: &mut Pos) -> Option<Found> {
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

pub(super) fn found<'a>(batch: &'a Batch, f: Found) -> Result<Event<'a>, &'a BadValue> {
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
