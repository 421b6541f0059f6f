//! `Filter.filter_file` and `RuleSet.filter_file`: the `oktaql` command's
//! pipeline shape, with a Python iterator where the command has its writer.
//!
//! ```text
//!  reader thread ──jobs (bounded)──▶ workers ──done──▶ __next__ (reorders by seq) ──▶ bytes
//!     ▲                                                   │
//!     └──────────────── pool of free slots ◀──────────────┘
//! ```
//!
//! The reader is the library's ([`oktaql::read::Reader`]); each worker
//! matches a batch with [`oktaql::read::Batch::select`] (a filter) or
//! [`oktaql::read::Batch::select_rules`] (a rule set), as the command's
//! workers do, and keeps the selected events (one line each), the rules
//! that select each, and the bad values in the batch's slot. The threads never touch Python objects;
//! `__next__` releases the GIL while it waits for the next batch. Memory is
//! bounded by the slots: the reader takes a free slot before it reads, and a
//! slot comes back only when `__next__` is done with its batch.
//!
//! [`Pipeline`] is that machinery; [`FileMatches`] (here) and
//! `RuleFileMatches` (rules.rs) are the two iterators over it, which differ
//! only in what they make of a selected event.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;

use oktaql::read::{Batch, Error, Reader, Selected, DEFAULT_BATCH};
use oktaql::rules::RuleSet;
use pyo3::exceptions::{PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::{json_error, warn, Errors, JsonAt};

/// What the workers match the batches against.
#[derive(Clone)]
pub(crate) enum Matcher {
    /// One filter (`Filter.filter_file`).
    Filter(Arc<oktaql::Filter>),
    /// A rule set (`RuleSet.filter_file`): each event comes with the
    /// indices of the rules that select it.
    Rules(Arc<RuleSet>),
}

/// A batch's buffers, reused.
#[derive(Default)]
struct Slot {
    batch: Batch,
    /// The selected events, one after the other, event `i` ending at
    /// `ends[i]`.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The rules that select each event (indices in the set's rules;
    /// none for a filter), event `i`'s ending at `rule_ends[i]`.
    rules: Vec<usize>,
    rule_ends: Vec<usize>,
    /// Bad values: (line, message, how many selected events come before).
    bad: Vec<(u64, String, usize)>,
}

/// A batch on its way from the reader through a worker to `__next__`.
struct Chunk {
    seq: u64,
    /// `None` for the reader's last word (`end`).
    slot: Option<Slot>,
    /// What ended the reading early, after this chunk's events.
    end: Option<Error>,
}

/// What `__next__` works from.
struct State {
    /// Taken while `__next__` waits on it without the GIL (a `Receiver` is
    /// not `Sync`, so it is moved into the wait and back).
    done: Option<Receiver<Chunk>>,
    pool: SyncSender<Slot>,
    pending: BTreeMap<u64, Chunk>,
    next: u64,
    /// The chunk being handed out: its slot, the next event and bad value.
    current: Option<(Slot, Option<Error>)>,
    event: usize,
    bad: usize,
    finished: bool,
}

/// The reader and the workers of one file, and what `__next__` works from.
pub(crate) struct Pipeline {
    path: String,
    errors: Errors,
    stop: Arc<AtomicBool>,
    state: Mutex<State>,
}

/// The iterator ``Filter.filter_file`` returns: the matching events of one
/// file, as bytes, in file order.
#[pyclass(module = "oktaql", frozen)]
pub(crate) struct FileMatches {
    pipeline: Pipeline,
}

impl FileMatches {
    pub(crate) fn new(pipeline: Pipeline) -> FileMatches {
        FileMatches { pipeline }
    }
}

impl Pipeline {
    /// Opens the file and looks at its first bytes (compression, binary
    /// formats) now, so those errors raise at the call; then starts the
    /// threads.
    pub(crate) fn open(
        py: Python<'_>,
        matcher: Matcher,
        path: PathBuf,
        errors: Errors,
        threads: Option<usize>,
    ) -> PyResult<Pipeline> {
        let name = path.to_string_lossy().into_owned();
        let opened = py.detach(|| File::open(&path).map_err(Error::Io).and_then(Reader::new));
        let reader = opened.map_err(|e| match e {
            Error::Io(e) => io_error(e, &name),
            other => json_error(
                py,
                format!("{name}: {other}"),
                JsonAt {
                    path: Some(&name),
                    ..JsonAt::default()
                },
            ),
        })?;
        let workers = match threads {
            Some(0) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "threads must be at least 1",
                ))
            }
            Some(n) => n.min(256),
            None => thread::available_parallelism().map_or(1, |n| n.get().min(64)),
        };
        // As the command: two chunks per worker in flight, at most 16.
        let slots = (2 * workers + 2).min(16);
        let (pool_tx, pool_rx) = mpsc::sync_channel::<Slot>(slots);
        for _ in 0..slots {
            let _ = pool_tx.send(Slot::default());
        }
        let (job_tx, job_rx) = mpsc::sync_channel::<Chunk>(slots);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done_rx) = mpsc::channel::<Chunk>();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let stop = stop.clone();
            thread::Builder::new()
                .name("oktaql-reader".into())
                .spawn(move || read(reader, pool_rx, job_tx, &stop))
                .map_err(|e| io_error(e, &name))?;
        }
        for _ in 0..workers {
            let (matcher, jobs, done) = (matcher.clone(), job_rx.clone(), done_tx.clone());
            thread::Builder::new()
                .name("oktaql-worker".into())
                .spawn(move || work(&matcher, &jobs, &done))
                .map_err(|e| io_error(e, &name))?;
        }
        Ok(Pipeline {
            path: name,
            errors,
            stop,
            state: Mutex::new(State {
                done: Some(done_rx),
                pool: pool_tx,
                pending: BTreeMap::new(),
                next: 0,
                current: None,
                event: 0,
                bad: 0,
                finished: false,
            }),
        })
    }
}

/// An `OSError` naming the file: `OSError(errno, strerror, filename)`, which
/// Python turns into the right subclass (`FileNotFoundError`,
/// `IsADirectoryError`, ...); without an errno (a truncated gzip stream),
/// the message with the file's name.
fn io_error(e: io::Error, name: &str) -> PyErr {
    let message = oktaql::read::io_message(&e);
    match e.raw_os_error() {
        Some(code) => PyOSError::new_err((code, message, name.to_owned())),
        None => PyOSError::new_err(format!("{name}: {message}")),
    }
}

/// The reader thread: fills slots from the pool, in order, until the input
/// ends, an error ends it, or the iterator is dropped.
fn read(
    mut reader: Reader<File>,
    pool: Receiver<Slot>,
    jobs: SyncSender<Chunk>,
    stop: &AtomicBool,
) {
    let mut seq = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut slot) = pool.recv() else { return };
        let (slot, end, last) = match reader.fill(&mut slot.batch) {
            Ok(true) => (Some(slot), None, reader.at_end()),
            Ok(false) => return,
            Err(e) => (None, Some(e), true),
        };
        if jobs.send(Chunk { seq, slot, end }).is_err() || last {
            return;
        }
        seq += 1;
    }
}

/// A worker: matches each batch, keeping what `__next__` hands out.
fn work(matcher: &Matcher, jobs: &Mutex<Receiver<Chunk>>, done: &Sender<Chunk>) {
    loop {
        let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(mut chunk) = job else { return };
        if let Some(slot) = &mut chunk.slot {
            let Slot {
                batch,
                out,
                ends,
                rules,
                rule_ends,
                bad,
            } = slot;
            out.clear();
            ends.clear();
            rules.clear();
            rule_ends.clear();
            bad.clear();
            let mut keep = |s: Selected<'_, '_>| match s {
                Selected::Event(hit) => {
                    hit.write_line(out);
                    ends.push(out.len());
                    rules.extend_from_slice(hit.rules());
                    rule_ends.push(rules.len());
                }
                Selected::Bad { line, message } => bad.push((line, message, ends.len())),
            };
            match matcher {
                Matcher::Filter(f) => batch.select(f, &mut keep),
                Matcher::Rules(r) => batch.select_rules(r, &mut keep),
            };
        }
        if done.send(chunk).is_err() {
            return;
        }
    }
}

#[pymethods]
impl FileMatches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        self.pipeline
            .next(py, |event, _| Ok(PyBytes::new(py, event)))
    }
}

impl Pipeline {
    /// The next selected event, made into a Python value by `make` from its
    /// text (one line) and the indices of the rules that select it; `None`
    /// at the end. Bad values before it are raised or warned first.
    pub(crate) fn next<T>(
        &self,
        py: Python<'_>,
        make: impl FnOnce(&[u8], &[usize]) -> PyResult<T>,
    ) -> PyResult<Option<T>> {
        let mut guard = match self.state.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => {
                return Err(PyRuntimeError::new_err(
                    "filter_file iterator already in use by another thread",
                ))
            }
        };
        let st = &mut *guard;
        let result = self.step(py, st, make);
        if !matches!(result, Ok(Some(_))) {
            // Done, or raised: nothing more comes from this iterator.
            st.finished = true;
            st.current = None;
            self.stop.store(true, Ordering::Relaxed);
        }
        result
    }

    fn step<T>(
        &self,
        py: Python<'_>,
        st: &mut State,
        make: impl FnOnce(&[u8], &[usize]) -> PyResult<T>,
    ) -> PyResult<Option<T>> {
        loop {
            if let Some((slot, end)) = &mut st.current {
                if let Some((line, message, before)) = slot.bad.get(st.bad) {
                    if *before == st.event {
                        st.bad += 1;
                        let text = format!("{}:{line}: {message}", self.path);
                        match self.errors {
                            Errors::Strict => {
                                return Err(json_error(
                                    py,
                                    text,
                                    JsonAt {
                                        line: Some(*line),
                                        path: Some(&self.path),
                                        ..JsonAt::default()
                                    },
                                ))
                            }
                            Errors::Warn => {
                                warn(py, &text)?;
                                continue;
                            }
                        }
                    }
                }
                if st.event < slot.ends.len() {
                    let from = if st.event == 0 {
                        0
                    } else {
                        slot.ends[st.event - 1]
                    };
                    let to = slot.ends[st.event];
                    let rules_from = if st.event == 0 {
                        0
                    } else {
                        slot.rule_ends[st.event - 1]
                    };
                    let rules_to = slot.rule_ends[st.event];
                    st.event += 1;
                    return make(&slot.out[from..to], &slot.rules[rules_from..rules_to]).map(Some);
                }
                // The chunk is done.
                if let Some(e) = end.take() {
                    return Err(match e {
                        Error::Io(e) => io_error(e, &self.path),
                        other => json_error(
                            py,
                            format!("{}: {other}", self.path),
                            JsonAt {
                                path: Some(&self.path),
                                ..JsonAt::default()
                            },
                        ),
                    });
                }
                let (slot, _) = st.current.take().expect("a current chunk");
                let mut slot = slot;
                slot.batch.shrink(4 * DEFAULT_BATCH);
                if slot.out.capacity() > 4 * DEFAULT_BATCH {
                    slot.out = Vec::new();
                }
                if slot.rules.capacity() > DEFAULT_BATCH {
                    slot.rules = Vec::new();
                }
                let _ = st.pool.send(slot);
                continue;
            }
            if st.finished {
                return Ok(None);
            }
            let chunk = match st.pending.remove(&st.next) {
                Some(c) => c,
                None => {
                    let Some(done) = st.done.take() else {
                        return Ok(None);
                    };
                    // Wait for the workers without holding the GIL.
                    let (done, got) = py.detach(move || {
                        let got = done.recv();
                        (done, got)
                    });
                    st.done = Some(done);
                    match got {
                        Ok(c) if c.seq == st.next => c,
                        Ok(c) => {
                            st.pending.insert(c.seq, c);
                            continue;
                        }
                        Err(_) => return Ok(None),
                    }
                }
            };
            st.next += 1;
            st.event = 0;
            st.bad = 0;
            match chunk.slot {
                Some(slot) => st.current = Some((slot, chunk.end)),
                None => st.current = Some((Slot::default(), chunk.end)),
            }
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        // The reader stops at its next batch; the workers end when the
        // channels close.
        self.stop.store(true, Ordering::Relaxed);
    }
}
