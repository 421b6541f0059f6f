//! Opening the inputs (files or stdin) and feeding the library's reader
//! ([`oktaql::read::Reader`]: detection, decompression, the shapes) into the
//! pipeline: each batch of whole events becomes a chunk, numbered within its
//! input, for the workers (the chunk types are in [`crate::pipeline`]).
//! Many inputs are read by several reader threads, each reading whole
//! inputs claimed in order.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use oktaql::read::{Error, Reader};

use crate::pipeline::{Feed, Kind};
use crate::progress::Counting;

pub use oktaql::read::io_message;

pub enum Source {
    Stdin,
    File(PathBuf),
}

/// How an input came to be read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    /// Named on the command line (or stdin): input we cannot read is an
    /// error.
    Named,
    /// Found by walking a directory: input that is not JSON text is
    /// skipped with a note.
    Walked,
}

pub struct Input {
    /// The name in diagnostics: the path as given, or `<stdin>`.
    pub name: String,
    pub source: Source,
    pub origin: Origin,
}

/// How many reader threads to use for `inputs`: one for a single input
/// (stdin included), more for many files (directories of small exports),
/// where opening, reading and decompressing one file at a time would leave
/// the workers waiting.
pub fn readers(inputs: &[Input], workers: usize) -> usize {
    inputs.len().min(workers).clamp(1, 4)
}

/// One reader thread: claims the next unread input (`next`, shared by all
/// readers, so inputs are claimed in order) and reads it whole into the
/// pipeline, until none is left.
pub fn read_all(inputs: &[Input], next: &AtomicUsize, feed: &mut Feed) {
    loop {
        let src = next.fetch_add(1, Ordering::Relaxed);
        if src >= inputs.len() || feed.stopped() {
            return;
        }
        let input = &inputs[src];
        let note = read_one(src, input, feed)
            .err()
            .map(|e| match (&e, input.origin) {
                (Error::NotJson(_), Origin::Walked) => {
                    (format!("skipped {}: {e}", input.name), false)
                }
                _ => (format!("{}: {e}", input.name), true),
            });
        // The input's last chunk, with what went wrong if anything did.
        let sent = feed.send(src, Kind::Pass, None, true, |c| {
            if let Some((msg, error)) = note {
                c.note = Some(msg);
                c.note_is_error = error;
            }
        });
        if sent.is_none() {
            return;
        }
    }
}

fn read_one(src: usize, input: &Input, feed: &mut Feed) -> Result<(), Error> {
    let raw: Box<dyn Read> = match &input.source {
        Source::Stdin => Box::new(io::stdin()),
        Source::File(path) => Box::new(File::open(path)?),
    };
    let raw = Counting {
        inner: raw,
        counters: feed.counters,
    };
    // The first bytes are always looked at (compression, binary formats),
    // whatever the filter's prefilter would skip.
    // A walked file must start with an object or an array: a TSV or CSV
    // beside the exports is skipped with one note, not read line by line.
    let mut reader = Reader::new(raw)?.objects_first(input.origin == Origin::Walked);
    loop {
        let Some(mut slot) = feed.slot() else {
            return Ok(());
        };
        match reader.fill(&mut slot.batch) {
            Ok(true) => {
                if feed
                    .send(src, Kind::Batch, Some(slot), false, |_| {})
                    .is_none()
                    || reader.at_end()
                {
                    return Ok(());
                }
            }
            Ok(false) => {
                // Back to the pool through the writer.
                feed.send(src, Kind::Pass, Some(slot), false, |_| {});
                return Ok(());
            }
            Err(e) => {
                feed.send(src, Kind::Pass, Some(slot), false, |_| {});
                return Err(e);
            }
        }
    }
}
