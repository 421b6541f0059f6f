//! The empty-answer notes: the workers show each batch to the library's
//! [`Watch`] until some event is selected (then no note can be due, and
//! the watch costs nothing more) or every path of the filter has been seen;
//! the first batches are also counted path by path, for the closest paths
//! and their counts.

use std::sync::atomic::{AtomicBool, Ordering};

use oktaql::check::Watch;
use oktaql::read::{Batch, Part};
use oktaql::Filter;

/// The events of the batches that start in the first 4 MiB of events read
/// are counted path by path: the sample the notes' counts come from.
pub const SAMPLE_BYTES: u64 = 4 << 20;

/// The most notes printed (a filter of thousands of paths that no event
/// has gets a count of the rest).
pub const MAX_NOTES: usize = 20;

pub struct Notes {
    watch: Watch,
    /// Some event was selected: no note will be printed.
    selected: AtomicBool,
}

impl Notes {
    pub fn new(filter: &Filter) -> Notes {
        Notes {
            watch: Watch::new(filter),
            selected: AtomicBool::new(false),
        }
    }

    /// After a worker matched a batch, which starts `at` bytes into the
    /// events read and selected `selected` events.
    pub fn after(&self, at: u64, batch: &Batch, selected: usize) {
        if selected > 0 {
            self.selected.store(true, Ordering::Relaxed);
            return;
        }
        if self.selected.load(Ordering::Relaxed) || self.watch.is_done() {
            return;
        }
        let data = batch.data();
        let mut look = self.watch.batch(at < SAMPLE_BYTES);
        for part in batch.parts() {
            match part {
                Part::Lines { range, .. } => look.lines(&data[range.clone()]),
                Part::Event { range, .. } => look.event(&data[range.clone()]),
                Part::Bad(_) => {}
            }
        }
    }

    /// The notes, one line each (`no event has ...`): at most
    /// [`MAX_NOTES`], then one line for the rest.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .watch
            .notes(MAX_NOTES)
            .iter()
            .map(ToString::to_string)
            .collect();
        let missing = self.watch.missing();
        if missing > MAX_NOTES {
            let more = missing - MAX_NOTES;
            let s = if more == 1 { "" } else { "s" };
            lines.push(format!(
                "{more} more path{s} of the filter that no event has"
            ));
        }
        lines
    }
}
