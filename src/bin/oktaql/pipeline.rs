//! The chunk pipeline's types, shared by the reader ([`crate::input`]), the
//! workers and the writer ([`crate::run`]): the chunks, their reusable
//! buffers ([`Slot`]s), and the reader's end of the channels ([`Feed`]).
//!
//! Memory is bounded by the pool of slots: the reader must take a free slot
//! before it reads a chunk, and a slot comes back only once the writer has
//! printed that chunk's output.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use crate::progress::Counters;

/// The size of a chunk, and of the reads that fill it.
pub const BLOCK: usize = 1 << 20;

/// Reusable buffers for one chunk in flight.
#[derive(Default)]
pub struct Slot {
    /// The chunk's bytes are `data[..len]`.
    pub data: Vec<u8>,
    pub len: usize,
    /// For array input: where each element is in `data`.
    pub elems: Vec<Elem>,
    /// The chunk's output, and where each selected event's output ends.
    pub out: Vec<u8>,
    pub ends: Vec<usize>,
}

impl Slot {
    /// Ready for the pool again: buffers that one huge chunk grew are
    /// dropped rather than kept.
    pub fn recycle(mut self) -> Slot {
        if self.data.capacity() > 4 * BLOCK {
            self.data = Vec::new();
        }
        if self.out.capacity() > 4 * BLOCK {
            self.out = Vec::new();
        }
        self
    }
}

/// One element of a JSON array, or a problem found while splitting.
pub struct Elem {
    pub start: usize,
    pub end: usize,
    /// The line where it starts (1-based, in the source).
    pub line: u64,
    /// Set when the splitter already knows it is bad.
    pub err: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// NDJSON lines; line numbers are relative to the chunk.
    Lines,
    /// Array elements in `slot.elems`; line numbers are absolute.
    Elements,
    /// Nothing to match: only `bad` or `note` to pass on.
    Pass,
}

/// A bad line found in a chunk.
pub struct Bad {
    /// The line: relative to the chunk's first line for [`Kind::Lines`]
    /// (1-based), absolute otherwise.
    pub line: u64,
    pub msg: String,
    /// How many of the chunk's selected events come before it.
    pub sel_before: usize,
}

/// A chunk on its way from the reader through a worker to the writer.
pub struct Chunk {
    pub seq: u64,
    pub src: usize,
    pub kind: Kind,
    pub slot: Option<Slot>,
    /// Line breaks in the chunk (line numbering of the next chunk of the
    /// same source starts after them).
    pub lines: u64,
    /// Events looked at.
    pub events: u64,
    /// Events selected (their output is in `slot.out`).
    pub selected: usize,
    pub bad: Vec<Bad>,
    /// An error about the source itself (cannot open, read error).
    pub note: Option<String>,
}

/// The reader's end of the pipeline.
pub struct Feed<'a> {
    pub pool: Receiver<Slot>,
    pub jobs: SyncSender<Chunk>,
    pub stop: &'a AtomicBool,
    pub counters: &'a Counters,
    pub seq: u64,
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
        slot.len = 0;
        slot.elems.clear();
        slot.out.clear();
        slot.ends.clear();
        (!self.stopped()).then_some(slot)
    }

    /// Numbers a chunk (filled in by `fill`) and hands it to the workers;
    /// `None` once nobody takes chunks any more.
    pub fn send(
        &mut self,
        src: usize,
        kind: Kind,
        slot: Option<Slot>,
        fill: impl FnOnce(&mut Chunk),
    ) -> Option<()> {
        let mut chunk = Chunk {
            seq: self.seq,
            src,
            kind,
            slot,
            lines: 0,
            events: 0,
            selected: 0,
            bad: Vec::new(),
            note: None,
        };
        fill(&mut chunk);
        self.seq += 1;
        self.jobs.send(chunk).ok()
    }
}
