//! The pipeline: one reader thread cuts the inputs into chunks, one worker
//! per core matches each chunk's events and renders its output, and the
//! calling thread writes the chunks' output in input order.
//!
//! ```text
//!  reader ──jobs (bounded)──▶ workers ──done──▶ writer (reorders by seq) ──▶ stdout
//!     ▲                                            │
//!     └────────────── pool of free slots ◀─────────┘
//! ```
//!
//! Memory is bounded by the number of slots: a chunk exists only while it
//! holds a slot, and the writer returns a slot only after printing it.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::Mutex;
use std::thread;

use memchr::memchr_iter;
use oktaql::Filter;

use crate::input::{self, Input};
use crate::notes::Notes;
use crate::output::{compact_into, Fields};
use crate::pipeline::{Bad, Chunk, Feed, Kind, Slot};
use crate::progress::{self, Counters};
use crate::style::Term;
use oktaql::read::Part;

pub struct Config<'a> {
    /// The filter, with `-v` already folded into it.
    pub filter: &'a Filter,
    pub count: bool,
    pub max_count: Option<u64>,
    pub strict: bool,
    pub fields: Option<&'a Fields>,
    /// `--json-array`: print the selected events as one JSON array.
    pub json_array: bool,
    /// `-q`: nothing on stdout (and no notes); stop at the first selected
    /// event.
    pub quiet: bool,
    /// The empty-answer notes, unless `-q`.
    pub notes: Option<&'a Notes>,
}

/// Runs the command over `inputs`; returns the exit status.
pub fn run(cfg: &Config, inputs: &[Input], term: &Term, progress_total: Option<u64>) -> u8 {
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 64);
    // Two chunks per worker in flight keeps the workers busy while the
    // writer prints; capped so that many cores do not mean much memory.
    let slots = (2 * workers + 2).min(16);
    let (pool_tx, pool_rx) = mpsc::sync_channel::<Slot>(slots);
    for _ in 0..slots {
        let _ = pool_tx.send(Slot::default());
    }
    let (job_tx, job_rx) = mpsc::sync_channel::<Chunk>(slots);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Chunk>();
    let stop = AtomicBool::new(false);
    let counters = Counters::default();

    thread::scope(|s| {
        let (stop, counters, job_rx) = (&stop, &counters, &job_rx);
        s.spawn(move || {
            let mut feed = Feed {
                pool: pool_rx,
                jobs: job_tx,
                stop,
                counters,
                seq: 0,
                sent: 0,
            };
            input::read_all(inputs, &mut feed);
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            s.spawn(move || worker(cfg, job_rx, done_tx));
        }
        drop(done_tx);
        let (bar_tx, bar_rx) = mpsc::channel::<()>();
        if let Some(total) = progress_total {
            s.spawn(move || progress::run(term, counters, total, bar_rx));
        }
        let mut w = Writer {
            cfg,
            inputs,
            term,
            counters,
            out: BufWriter::with_capacity(256 << 10, io::stdout().lock()),
            total: 0,
            printing: false,
            bad: 0,
            error: false,
            in_array: 0,
        };
        let end = w.write_all(done_rx, pool_tx);
        drop(bar_tx);
        term.close_bar();
        let code = w.finish(end);
        if end != End::Done {
            // Stop now: the reader may be blocked reading a pipe that never ends.
            stop.store(true, Ordering::Relaxed);
            std::process::exit(i32::from(code));
        }
        code
    })
}

fn worker(cfg: &Config, jobs: &Mutex<Receiver<Chunk>>, done: Sender<Chunk>) {
    loop {
        let next = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(mut chunk) = next else { return };
        process(cfg, &mut chunk);
        if done.send(chunk).is_err() {
            return;
        }
    }
}

/// Matches a chunk's events and renders the output of the selected ones.
fn process(cfg: &Config, chunk: &mut Chunk) {
    let Some(slot) = chunk.slot.as_mut() else {
        return;
    };
    let Slot { batch, out, ends } = slot;
    let data = batch.data();
    let mut m = Matcher {
        cfg,
        out,
        ends,
        bad: &mut chunk.bad,
        events: 0,
        selected: 0,
    };
    if chunk.kind == Kind::Pass {
        return;
    }
    for part in batch.parts() {
        match part {
            Part::Lines { range, line, lines } => {
                let data = &data[range.clone()];
                // Only the lines the filter's literals allow are looked at
                // (found by searching the whole run); the others cannot
                // match and are skipped unread. A line's number is counted
                // only when a warning needs it.
                let mut at = LineAt {
                    data,
                    counted: 0,
                    line: *line,
                };
                for r in cfg.filter.candidate_lines(data) {
                    m.line(&data[r.clone()], r.start, &mut at, Prefilter::Passed);
                }
                m.events += lines;
            }
            Part::Event { range, line } => {
                m.events += 1;
                let mut at = LineAt::known(*line);
                m.event(
                    &data[range.clone()],
                    0,
                    &mut at,
                    Print::Compact,
                    Prefilter::Check,
                );
            }
            Part::Bad(b) => {
                let msg = if b.end_line > b.line {
                    format!("{} (lines {}-{} skipped)", b.message, b.line, b.end_line)
                } else {
                    b.message.clone()
                };
                m.bad(b.line, msg);
            }
        }
    }
    chunk.events = m.events;
    chunk.selected = m.selected;
    if let Some(notes) = cfg.notes {
        notes.after(chunk.at, batch, chunk.selected);
    }
}

/// How a selected event's bytes are printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Print {
    /// As read (an NDJSON line, without its line end).
    AsRead,
    /// As compact one-line JSON (an array element, maybe pretty-printed).
    Compact,
}

/// Whether the filter's literal prefilter ([`Filter::may_match`]) has
/// still to be applied to an event.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prefilter {
    /// Not yet: apply it before matching.
    Check,
    /// The event was found by searching for the literals already.
    Passed,
}

/// Line numbers in a run of lines, counted on demand (only warnings need
/// them) and only forward.
struct LineAt<'a> {
    data: &'a [u8],
    counted: usize,
    line: u64,
}

impl LineAt<'_> {
    fn known(line: u64) -> LineAt<'static> {
        LineAt {
            data: &[],
            counted: 0,
            line,
        }
    }

    /// The line of the byte at `offset` (offsets asked in order).
    fn line(&mut self, offset: usize) -> u64 {
        if offset > self.counted {
            self.line += memchr_iter(b'\n', &self.data[self.counted..offset]).count() as u64;
            self.counted = offset;
        }
        self.line
    }
}

struct Matcher<'a> {
    cfg: &'a Config<'a>,
    out: &'a mut Vec<u8>,
    ends: &'a mut Vec<usize>,
    bad: &'a mut Vec<Bad>,
    events: u64,
    selected: usize,
}

impl Matcher<'_> {
    fn bad(&mut self, line: u64, msg: String) {
        self.bad.push(Bad {
            line,
            msg,
            sel_before: self.selected,
        });
    }

    /// One NDJSON line: CR stripped, blank lines skipped.
    fn line(&mut self, mut text: &[u8], start: usize, at: &mut LineAt, prefilter: Prefilter) {
        if let [rest @ .., b'\r'] = text {
            text = rest;
        }
        if text.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
            return;
        }
        self.event(text, start, at, Print::AsRead, prefilter);
    }

    /// `start`: where the event starts in `at`'s run, for its line number.
    fn event(
        &mut self,
        text: &[u8],
        start: usize,
        at: &mut LineAt,
        print: Print,
        prefilter: Prefilter,
    ) {
        let filter = self.cfg.filter;
        let verdict = if prefilter == Prefilter::Passed || filter.may_match(text) {
            filter.matches_json(text)
        } else {
            Ok(false)
        };
        match verdict {
            Ok(false) => {}
            Err(e) => self.bad(at.line(start), e.to_string()),
            Ok(true) => {
                if !self.cfg.count && !self.cfg.quiet {
                    if let Some(fields) = self.cfg.fields {
                        if let Err(e) = fields.render(text, self.out) {
                            return self
                                .bad(at.line(start), format!("cannot read the fields: {e}"));
                        }
                    } else {
                        match print {
                            Print::Compact => compact_into(text, self.out),
                            Print::AsRead => self.out.extend_from_slice(text),
                        }
                        self.out.push(b'\n');
                    }
                    self.ends.push(self.out.len());
                }
                self.selected += 1;
            }
        }
    }
}

/// Why the writer stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    /// All input read.
    Done,
    /// `--max-count` reached.
    Max,
    /// The reader of stdout went away.
    Pipe,
    /// A fatal error was reported (write error, bad line under --strict).
    Fatal,
}

struct Writer<'a, W: Write> {
    cfg: &'a Config<'a>,
    inputs: &'a [Input],
    term: &'a Term,
    counters: &'a Counters,
    out: W,
    /// Events selected and printed so far.
    total: u64,
    /// Whether selected output was ever handed to stdout (a closed pipe
    /// then still means something was selected).
    printing: bool,
    /// Bad lines reported so far.
    bad: u64,
    /// A source could not be read.
    error: bool,
    /// With `--json-array`: events printed into the array so far.
    in_array: u64,
}

impl<W: Write> Writer<'_, W> {
    fn emit(&mut self, bytes: &[u8]) -> Result<(), End> {
        if self.cfg.quiet {
            return Ok(());
        }
        self.out.write_all(bytes).map_err(|e| self.write_error(e))
    }

    /// Prints selected events `from..to` of a chunk whose output is `out`
    /// (event `i` ends at `ends[i]`): as rendered, or as array elements.
    fn events(&mut self, out: &[u8], ends: &[usize], from: usize, to: usize) -> Result<(), End> {
        // (With -c and -q nothing is rendered: `ends` is empty.)
        if self.cfg.quiet {
            return Ok(());
        }
        let upto = |i: usize| {
            if i == 0 {
                0
            } else {
                ends.get(i - 1).copied().unwrap_or(0)
            }
        };
        if !self.cfg.json_array {
            return self.emit(&out[upto(from)..upto(to)]);
        }
        for i in from..to {
            let sep: &[u8] = if self.in_array == 0 { b"\n" } else { b",\n" };
            self.emit(sep)?;
            // Without the event's line end.
            self.emit(&out[upto(i)..upto(i + 1) - 1])?;
            self.in_array += 1;
        }
        Ok(())
    }

    /// Closes the `--json-array` array.
    fn close_array(&mut self) -> Result<(), End> {
        if !self.cfg.json_array || self.cfg.quiet {
            return Ok(());
        }
        let end: &[u8] = if self.in_array == 0 { b"]\n" } else { b"\n]\n" };
        self.emit(end)
    }

    fn flush(&mut self) -> Result<(), End> {
        self.out.flush().map_err(|e| self.write_error(e))
    }

    fn write_error(&self, e: io::Error) -> End {
        if e.kind() == io::ErrorKind::BrokenPipe {
            End::Pipe
        } else {
            self.term
                .error(format_args!("write error: {}", input::io_message(&e)));
            End::Fatal
        }
    }

    /// Prints the chunks in sequence order, returning their slots to the pool.
    fn write_all(&mut self, done: Receiver<Chunk>, pool: SyncSender<Slot>) -> End {
        let result = (|| {
            if let (Some(fields), false) = (self.cfg.fields, self.cfg.count) {
                self.emit(&fields.header())?;
            }
            if self.cfg.json_array {
                self.emit(b"[")?;
            }
            if self.cfg.max_count == Some(0) {
                return Err(End::Max);
            }
            let mut pending = BTreeMap::new();
            let mut next = 0u64;
            loop {
                let chunk = match pending.remove(&next) {
                    Some(c) => c,
                    None => {
                        let c = match done.try_recv() {
                            Ok(c) => c,
                            Err(TryRecvError::Empty) => {
                                // Nothing ready: let what is printed be seen.
                                self.flush()?;
                                match done.recv() {
                                    Ok(c) => c,
                                    Err(_) => return Ok(()),
                                }
                            }
                            Err(TryRecvError::Disconnected) => return Ok(()),
                        };
                        if c.seq != next {
                            pending.insert(c.seq, c);
                            continue;
                        }
                        c
                    }
                };
                next += 1;
                let mut chunk = chunk;
                let r = self.chunk(&mut chunk);
                if let Some(slot) = chunk.slot.take() {
                    let _ = pool.send(slot.recycle());
                }
                r?;
            }
        })();
        match result {
            Ok(()) => End::Done,
            Err(end) => end,
        }
    }

    fn chunk(&mut self, chunk: &mut Chunk) -> Result<(), End> {
        let name = &self.inputs[chunk.src].name;
        if let Some(msg) = chunk.note.take() {
            self.flush()?;
            if chunk.note_is_error {
                self.term.error(msg);
                self.error = true;
            } else if !self.cfg.quiet {
                self.term.note(msg);
            }
        }
        let remaining = self.cfg.max_count.map_or(u64::MAX, |m| m - self.total);
        let allowed = (chunk.selected as u64).min(remaining) as usize;
        let stop_here = chunk.selected as u64 >= remaining;
        let (out, ends): (&[u8], &[usize]) = match &chunk.slot {
            Some(s) => (&s.out, &s.ends),
            None => (&[], &[]),
        };
        self.printing |= allowed > 0;
        let mut written = 0;
        for bad in &chunk.bad {
            if stop_here && bad.sel_before >= allowed {
                break;
            }
            self.events(out, ends, written, bad.sel_before)?;
            written = bad.sel_before;
            self.flush()?;
            let line = bad.line;
            if self.cfg.strict {
                self.total += written as u64;
                self.term.error_at(name, line, &bad.msg);
                return Err(End::Fatal);
            }
            self.term.warn_at(name, line, &bad.msg);
            self.bad += 1;
        }
        self.events(out, ends, written, allowed)?;
        self.total += allowed as u64;
        self.counters.add_events(chunk.events);
        self.counters.set_matches(self.total);
        if stop_here {
            return Err(End::Max);
        }
        Ok(())
    }

    /// The count, the bad-line summary, and the exit status.
    fn finish(&mut self, end: End) -> u8 {
        let selected = if self.total > 0 || self.printing {
            0
        } else {
            1
        };
        use End::Done;
        match end {
            End::Pipe => return selected,
            End::Fatal => {
                // The events printed before a bad line under --strict are
                // still a valid array (the status says the rest is missing).
                let _ = self.close_array();
                let _ = self.out.flush();
                return 2;
            }
            End::Done | End::Max => {}
        }
        if let Err(end) = self.close_array() {
            return if end == End::Pipe { selected } else { 2 };
        }
        if self.cfg.count {
            let line = format!("{}\n", self.total);
            if let Err(end) = self.emit(line.as_bytes()) {
                return if end == End::Pipe { selected } else { 2 };
            }
        }
        match self.flush() {
            Ok(()) => {}
            Err(End::Pipe) => return selected,
            Err(_) => return 2,
        }
        if self.bad > 0 && !self.cfg.quiet {
            let s = if self.bad == 1 { "" } else { "s" };
            self.term
                .note(format_args!("{} bad line{s} skipped", self.bad));
        }
        // Why nothing was selected, when the events read say.
        if let (Some(notes), 1, Done) = (self.cfg.notes, selected, end) {
            if self.counters.events() > 0 {
                for line in notes.lines() {
                    self.term.plain_note(line);
                }
            }
        }
        if self.cfg.quiet && selected == 0 {
            // grep -q: a selected event wins over an error.
            0
        } else if self.error {
            2
        } else {
            selected
        }
    }
}
