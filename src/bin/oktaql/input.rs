//! Opening the inputs (files or stdin) and feeding the library's reader
//! ([`oktaql::read::Reader`]: detection, decompression, the shapes) into the
//! pipeline: each batch of whole events becomes a chunk, numbered in input
//! order, for the workers (the chunk types are in [`crate::pipeline`]).

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

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

/// Reads every input in order into the pipeline.
pub fn read_all(inputs: &[Input], feed: &mut Feed) {
    for (src, input) in inputs.iter().enumerate() {
        if feed.stopped() {
            return;
        }
        if let Err(e) = read_one(src, input, feed) {
            let (msg, error) = match (&e, input.origin) {
                (Error::NotJson(_), Origin::Walked) => {
                    (format!("skipped {}: {e}", input.name), false)
                }
                _ => (format!("{}: {e}", input.name), true),
            };
            if feed
                .send(src, Kind::Pass, None, |c| {
                    c.note = Some(msg);
                    c.note_is_error = error;
                })
                .is_none()
            {
                return;
            }
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
    let mut reader = Reader::new(raw)?;
    loop {
        let Some(mut slot) = feed.slot() else {
            return Ok(());
        };
        match reader.fill(&mut slot.batch) {
            Ok(true) => {
                if feed.send(src, Kind::Batch, Some(slot), |_| {}).is_none() || reader.at_end() {
                    return Ok(());
                }
            }
            Ok(false) => {
                // Back to the pool through the writer.
                feed.send(src, Kind::Pass, Some(slot), |_| {});
                return Ok(());
            }
            Err(e) => {
                feed.send(src, Kind::Pass, Some(slot), |_| {});
                return Err(e);
            }
        }
    }
}
