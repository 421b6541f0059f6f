//! The chunk pipeline's types, shared by the reader ([`crate::input`]), the
//! workers and the writer ([`crate::run`]): the chunks, their reusable
//! buffers ([`Slot`]s), and the reader's end of the channels ([`Feed`]).
//!
//! Memory is bounded by the pools of slots, one pool per reader thread: a
//! reader must take a free slot of its own before it reads a chunk, and a
//! slot comes back to its reader only once the writer has printed that
//! chunk's output.
//!
//! Several readers (many files) never deadlock: they claim inputs in order
//! and finish one before claiming the next, so the earliest input not yet
//! printed is always being read, and its reader's slots are either free or
//! in chunks the writer prints next (the chunks of that reader's earlier
//! inputs are printed already).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use crate::progress::Counters;

use oktaql::read::{Batch, DEFAULT_BATCH};

/// Reusable buffers for one chunk in flight.
#[derive(Default)]
pub struct Slot {
    /// The chunk's events, as the library's reader cut them.
    pub batch: Batch,
    /// The chunk's output, and where each selected event's output ends.
    pub out: Vec<u8>,
    pub ends: Vec<usize>,
}

impl Slot {
    /// Ready for the pool again: buffers that one huge chunk grew are
    /// dropped rather than kept.
    pub fn recycle(mut self) -> Slot {
        self.batch.shrink(4 * DEFAULT_BATCH);
        if self.out.capacity() > 4 * DEFAULT_BATCH {
            self.out = Vec::new();
        }
        self
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A batch of events to match.
    Batch,
    /// Nothing to match: only `note` to pass on (and maybe a slot to return).
    Pass,
}

/// A bad line found in a chunk.
pub struct Bad {
    /// The line (1-based) in the source.
    pub line: u64,
    pub msg: String,
    /// How many of the chunk's selected events come before it.
    pub sel_before: usize,
}

/// A chunk on its way from the reader through a worker to the writer.
pub struct Chunk {
    /// The input the chunk comes from, and its place in that input: the
    /// writer prints chunks in (`src`, `seq`) order.
    pub src: usize,
    pub seq: u64,
    /// The input's last chunk: the writer goes on with input `src + 1`.
    pub last: bool,
    /// The reader whose pool `slot` goes back to.
    pub home: usize,
    /// Bytes of events sent before this chunk, by all readers (roughly the
    /// input order; the empty-answer notes sample the first few MiB).
    pub at: u64,
    pub kind: Kind,
    pub slot: Option<Slot>,
    /// Events looked at.
    pub events: u64,
    /// Events selected (their output is in `slot.out`).
    pub selected: usize,
    /// Events `--since`/`--until` left out because `published` is not a
    /// date-time.
    pub undated: u64,
    pub bad: Vec<Bad>,
    /// About the source itself: an error (cannot open, read error, not
    /// JSON text), or a note when `note_is_error` is false (skipped).
    pub note: Option<String>,
    pub note_is_error: bool,
}

/// One reader's end of the pipeline.
pub struct Feed<'a> {
    /// This reader's own free slots.
    pub pool: Receiver<Slot>,
    /// Which reader this is (where the writer returns its slots).
    pub home: usize,
    pub jobs: SyncSender<Chunk>,
    pub stop: &'a AtomicBool,
    pub counters: &'a Counters,
    /// The next chunk's number within the input being read.
    pub seq: u64,
    /// Bytes of events sent so far, by all readers.
    pub sent: &'a AtomicU64,
}

impl Feed<'_> {
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// A free slot, or `None` once the run is stopping.
    pub fn slot(&mut self) -> Option<Slot> {
        if self.stopped() {
            return None;
        }
        let mut slot = self.pool.recv().ok()?;
        slot.out.clear();
        slot.ends.clear();
        (!self.stopped()).then_some(slot)
    }

    /// Numbers a chunk of input `src` (filled in by `fill`) and hands it to
    /// the workers; `None` once nobody takes chunks any more. The input's
    /// chunks are numbered from 0; the one sent with `last` ends it.
    pub fn send(
        &mut self,
        src: usize,
        kind: Kind,
        slot: Option<Slot>,
        last: bool,
        fill: impl FnOnce(&mut Chunk),
    ) -> Option<()> {
        let size = slot.as_ref().map_or(0, |s| s.batch.data().len() as u64);
        let at = if kind == Kind::Batch {
            self.sent.fetch_add(size, Ordering::Relaxed)
        } else {
            self.sent.load(Ordering::Relaxed)
        };
        let mut chunk = Chunk {
            src,
            at,
            seq: self.seq,
            last,
            home: self.home,
            kind,
            slot,
            events: 0,
            selected: 0,
            undated: 0,
            bad: Vec::new(),
            note: None,
            note_is_error: true,
        };
        fill(&mut chunk);
        self.seq = if last { 0 } else { self.seq + 1 };
        self.jobs.send(chunk).ok()
    }
}
