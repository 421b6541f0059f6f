//! The pipeline: reader threads cut the inputs into chunks (one reader, or
//! up to four for many files, each reading whole inputs), one worker per
//! core matches each chunk's events and renders its output, and the calling
//! thread writes the chunks' output in input order.
//!
//! ```text
//!  readers ──jobs (bounded)──▶ workers ──done──▶ writer (reorders by input, seq) ──▶ stdout
//!     ▲                                            │
//!     └────────── each reader's pool of free slots ◀┘
//! ```
//!
//! Memory is bounded by the number of slots: a chunk of events exists only
//! while it holds a slot, and the writer returns a slot only after printing it.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::Mutex;
use std::thread;

use oktaql::rules::RuleSet;
use oktaql::Filter;

use crate::hits::{Mode, RulesView, Tally};
use crate::input::{self, Input, Source};
use crate::notes::Notes;
use crate::opts::EventInput;
use crate::output::{pretty_into, CountBy, Fields, Summary};
use crate::walk;

/// The filter without its window, and a filter every event with a
/// date-time `published` satisfies: an event the first selects and the
/// second does not is one the window leaves out for want of a date-time.
pub struct Window {
    pub open: Open,
    pub dated: Filter,
}

/// What selects events without the window.
pub enum Open {
    Filter(Box<Filter>),
    /// For `oktaql rules`: the rule set loaded without the window; an
    /// event counts when some rule would select it.
    Rules(Box<RuleSet>),
}

impl Window {
    /// The window's counter for `open` (the filter or rules without it).
    pub fn new(open: Open) -> Option<Window> {
        // The window every date-time satisfies: the earliest instant there is.
        let dated = Filter::builder()
            .empty_selects_all(true)
            .since(oktaql::Timestamp::parse("0000-01-01T00:00:00+23:59").ok())
            .parse("")
            .ok()?;
        Some(Window { open, dated })
    }
}

/// How each selected event is shown.
#[derive(Clone, Copy)]
pub enum Shape<'a> {
    /// As read (NDJSON) or compact (other shapes), one per line.
    Lines,
    Pretty {
        color: bool,
    },
    Summary(&'a Summary),
}
use crate::pipeline::{Bad, Chunk, Feed, Kind, Slot};
use crate::progress::{self, Counters};
use crate::style::Term;
use oktaql::read::Selected;

/// What the events are matched against.
#[derive(Clone, Copy)]
pub enum Matcher<'a> {
    /// The filter, with `-v` already folded into it.
    Filter(&'a Filter),
    /// `oktaql rules`: the rule set, and how its hits are shown.
    Rules(&'a RulesView<'a>),
}

pub struct Config<'a> {
    pub matcher: Matcher<'a>,
    pub count: bool,
    pub max_count: Option<u64>,
    pub strict: bool,
    pub fields: Option<&'a Fields>,
    /// `--count-by`: tally records instead of printing events.
    pub count_by: Option<&'a CountBy>,
    /// `-H`: each selected event (or, with -c, each input's count) after
    /// its input's name and `:`.
    pub with_filename: bool,
    /// `-l`: only the names of the inputs with a selected event.
    pub files_with_matches: bool,
    /// `--pretty` (with colour or not), `--summary`, or the events as read.
    pub shape: Shape<'a>,
    /// With `--since`/`--until`: to count what they leave out because
    /// `published` is not a date-time.
    pub window: Option<&'a Window>,
    /// `--json-array`: print the selected events as one JSON array.
    pub json_array: bool,
    /// `-q`: nothing on stdout (and no notes); stop at the first selected
    /// event.
    pub quiet: bool,
    /// The empty-answer notes, unless `-q`.
    pub notes: Option<&'a Notes>,
}

impl Config<'_> {
    fn rules(&self) -> Option<&RulesView<'_>> {
        match self.matcher {
            Matcher::Rules(v) => Some(v),
            Matcher::Filter(_) => None,
        }
    }
}

/// Runs the command over the events `input` names (walk.rs expands it),
/// with a progress line for files on a terminal; returns the exit status,
/// 2 when a directory could not be walked (unless `-q` selected an event,
/// as grep does).
pub fn run_input(cfg: &Config, input: &EventInput, term: &Term) -> u8 {
    let (inputs, walk_failed) = walk::inputs(&input.files, &input.walk, term);
    let progress = (term.can_draw() && inputs.iter().all(|i| matches!(i.source, Source::File(_))))
        .then(|| {
            inputs
                .iter()
                .filter_map(|i| match &i.source {
                    Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                    Source::Stdin => None,
                })
                .sum()
        });
    let code = run(cfg, &inputs, term, progress);
    if walk_failed && !(cfg.quiet && code == 0) {
        2
    } else {
        code
    }
}

/// Runs the command over `inputs`; returns the exit status.
pub fn run(cfg: &Config, inputs: &[Input], term: &Term, progress_total: Option<u64>) -> u8 {
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 64);
    // Two chunks per worker in flight keeps the workers busy while the
    // writer prints; capped so that many cores do not mean much memory.
    // Each reader has its own pool of slots (see `pipeline`), at least
    // three: one being filled, one being matched, one being printed.
    let readers = input::readers(inputs, workers);
    let per_reader = ((2 * workers + 2).min(16) / readers).max(3);
    let (job_tx, job_rx) = mpsc::sync_channel::<Chunk>(readers * per_reader);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Chunk>();
    let stop = AtomicBool::new(false);
    let counters = Counters::default();
    let next_input = AtomicUsize::new(0);
    // Bytes of events sent by all readers (the notes' sample).
    let sent = AtomicU64::new(0);
    let mut pools = Vec::with_capacity(readers);
    let mut feeds = Vec::with_capacity(readers);
    for home in 0..readers {
        let (pool_tx, pool_rx) = mpsc::sync_channel::<Slot>(per_reader);
        for _ in 0..per_reader {
            let _ = pool_tx.send(Slot::default());
        }
        pools.push(pool_tx);
        feeds.push((home, pool_rx));
    }

    thread::scope(|s| {
        let (stop, counters, job_rx, next_input, sent) =
            (&stop, &counters, &job_rx, &next_input, &sent);
        for (home, pool) in feeds {
            let jobs = job_tx.clone();
            s.spawn(move || {
                let mut feed = Feed {
                    pool,
                    home,
                    jobs,
                    stop,
                    counters,
                    seq: 0,
                    sent,
                };
                input::read_all(inputs, next_input, &mut feed);
            });
        }
        drop(job_tx);
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
            tally: HashMap::new(),
            rule_tally: Tally::default(),
            in_input: 0,
            undated: 0,
        };
        let end = w.write_all(done_rx, &pools);
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
    if chunk.kind == Kind::Pass {
        return;
    }
    let Slot { batch, out, ends } = slot;
    let bad = &mut chunk.bad;
    let mut selected = 0;
    let filter = match cfg.matcher {
        Matcher::Filter(f) => f,
        Matcher::Rules(view) => {
            chunk.events = batch.select_rules(view.set, |s| match s {
                Selected::Bad { line, message } => bad.push(Bad {
                    line,
                    msg: message,
                    sel_before: selected,
                }),
                Selected::Event(mut hit) => {
                    if !cfg.quiet {
                        let as_line = |o: &mut Vec<u8>| hit.write_line(o);
                        if let Err(e) = view.render(hit.bytes(), &as_line, hit.rules(), out) {
                            bad.push(Bad {
                                line: hit.line(),
                                msg: format!("cannot read the event: {e}"),
                                sel_before: selected,
                            });
                            return;
                        }
                        ends.push(out.len());
                    }
                    if let Some(notes) = cfg.notes {
                        notes.hit(hit.rules());
                    }
                    selected += 1;
                }
            });
            chunk.selected = selected;
            chunk.undated = after_select(cfg, batch, chunk.at, selected);
            return;
        }
    };
    chunk.events = batch.select(filter, |s| match s {
        Selected::Bad { line, message } => bad.push(Bad {
            line,
            msg: message,
            sel_before: selected,
        }),
        Selected::Event(mut hit) => {
            if !cfg.count && !cfg.quiet {
                let rendered = if let Some(cb) = cfg.count_by {
                    cb.records(hit.bytes(), out)
                        .map_err(|e| format!("cannot read the paths: {e}"))
                } else if let Some(fields) = cfg.fields {
                    fields
                        .render(hit.bytes(), out)
                        .map_err(|e| format!("cannot read the fields: {e}"))
                } else {
                    match cfg.shape {
                        Shape::Lines => {
                            hit.write_line(out);
                            out.push(b'\n');
                            Ok(())
                        }
                        Shape::Pretty { color } => {
                            pretty_into(hit.bytes(), color, out);
                            Ok(())
                        }
                        Shape::Summary(s) => s
                            .render(hit.bytes(), out)
                            .map_err(|e| format!("cannot read the event: {e}")),
                    }
                };
                if let Err(msg) = rendered {
                    bad.push(Bad {
                        line: hit.line(),
                        msg,
                        sel_before: selected,
                    });
                    return;
                }
                ends.push(out.len());
            }
            selected += 1;
        }
    });
    chunk.selected = selected;
    chunk.undated = after_select(cfg, batch, chunk.at, selected);
}

/// After the batch is matched: how many events the window left out for
/// want of a date-time, and what the empty-answer notes look at.
fn after_select(cfg: &Config, batch: &oktaql::read::Batch, at: u64, selected: usize) -> u64 {
    let mut undated = 0;
    if let Some(w) = cfg.window {
        let mut count = |s: Selected<'_, '_>| {
            if let Selected::Event(hit) = s {
                if w.dated.matches_json(hit.bytes()) == Ok(false) {
                    undated += 1;
                }
            }
        };
        match &w.open {
            Open::Filter(f) => batch.select(f, &mut count),
            Open::Rules(r) => batch.select_rules(r, &mut count),
        };
    }
    if let Some(notes) = cfg.notes {
        notes.after(at, batch, selected);
    }
    undated
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
    /// With `--count-by`: each record's count.
    tally: HashMap<Vec<u8>, u64>,
    /// With `oktaql rules -c` or on a terminal: each rule's count.
    rule_tally: Tally,
    /// Events selected in the input being printed.
    in_input: u64,
    /// Events the window left out for want of a date-time `published`.
    undated: u64,
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
    fn events(
        &mut self,
        src: usize,
        out: &[u8],
        ends: &[usize],
        from: usize,
        to: usize,
    ) -> Result<(), End> {
        if self.cfg.files_with_matches || self.cfg.count || self.cfg.quiet {
            // Nothing rendered: names or counts come later.
            return Ok(());
        }
        // (With -c nothing is rendered: `ends` is empty.)
        let upto = |i: usize| {
            if i == 0 {
                0
            } else {
                ends.get(i - 1).copied().unwrap_or(0)
            }
        };
        if let Some(view) = self.cfg.rules() {
            if matches!(view.mode, Mode::Count(_) | Mode::Terminal { .. }) {
                for i in from..to {
                    self.rule_tally
                        .add(&out[upto(i)..upto(i + 1)], view.set.len());
                }
                return Ok(());
            }
        }
        if self.cfg.count_by.is_some() {
            for record in out[upto(from)..upto(to)].split(|&b| b == b'\n') {
                if !record.is_empty() {
                    *self.tally.entry(record.to_vec()).or_insert(0) += 1;
                }
            }
            return Ok(());
        }
        if self.cfg.with_filename {
            let name = self.inputs[src].name.as_bytes();
            for i in from..to {
                self.emit(name)?;
                self.emit(b":")?;
                self.emit(&out[upto(i)..upto(i + 1)])?;
            }
            return Ok(());
        }
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

    /// Prints the chunks in input order, returning their slots to their
    /// readers' pools.
    fn write_all(&mut self, done: Receiver<Chunk>, pools: &[SyncSender<Slot>]) -> End {
        let result = (|| {
            if let (Some(fields), false) = (self.cfg.fields, self.cfg.count) {
                self.emit(&fields.header())?;
            }
            if let Some(view) = self.cfg.rules() {
                self.emit(&view.header())?;
            }
            if self.cfg.json_array {
                self.emit(b"[")?;
            }
            if self.cfg.max_count == Some(0) {
                return Err(End::Max);
            }
            // Chunks that came before their turn, by (input, number).
            let mut pending = BTreeMap::new();
            let mut next = (0usize, 0u64);
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
                        if (c.src, c.seq) != next {
                            pending.insert((c.src, c.seq), c);
                            continue;
                        }
                        c
                    }
                };
                next = if chunk.last {
                    (next.0 + 1, 0)
                } else {
                    (next.0, next.1 + 1)
                };
                let mut chunk = chunk;
                let r = self.chunk(&mut chunk);
                if let Some(slot) = chunk.slot.take() {
                    let _ = pools[chunk.home].send(slot.recycle());
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
            self.events(chunk.src, out, ends, written, bad.sel_before)?;
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
        self.events(chunk.src, out, ends, written, allowed)?;
        self.total += allowed as u64;
        // -l: the name once, at the input's first selected event; -c -H:
        // the input's count once it is read (inputs without one skipped,
        // as rg does).
        if self.cfg.files_with_matches && self.in_input == 0 && allowed > 0 {
            let line = format!("{name}\n");
            self.emit(line.as_bytes())?;
        }
        self.in_input += allowed as u64;
        if (chunk.last || stop_here)
            && self.in_input > 0
            && self.cfg.count
            && self.cfg.with_filename
            && !self.cfg.files_with_matches
        {
            let line = format!("{name}:{}\n", self.in_input);
            self.emit(line.as_bytes())?;
        }
        if chunk.last {
            self.in_input = 0;
        }
        self.counters.add_events(chunk.events);
        self.undated += chunk.undated;
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
        if let Some(view) = self.cfg.rules() {
            let counts = self.rule_tally.finish(view);
            if let Err(end) = self.emit(&counts) {
                return if end == End::Pipe { selected } else { 2 };
            }
        }
        if let Some(cb) = self.cfg.count_by {
            let table = cb.table(&self.tally, self.total);
            if let Err(end) = self.emit(&table) {
                return if end == End::Pipe { selected } else { 2 };
            }
        }
        if self.cfg.count && !self.cfg.with_filename && !self.cfg.files_with_matches {
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
        if self.undated > 0 && !self.cfg.quiet && end == End::Done {
            let (n, s) = (self.undated, if self.undated == 1 { "" } else { "s" });
            self.term.note(format_args!(
                "{n} event{s} left out by --since/--until: `published` is not a date-time"
            ));
        }
        if self.bad > 0 && !self.cfg.quiet {
            let s = if self.bad == 1 { "" } else { "s" };
            self.term
                .note(format_args!("{} bad line{s} skipped", self.bad));
        }
        // Why nothing was selected (by a rule), when the events read say.
        if let (Some(notes), End::Done) = (self.cfg.notes, end) {
            if self.counters.events() > 0 && (selected == 1 || notes.for_each_rule()) {
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
