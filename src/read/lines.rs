//! Classifying lines: runs of NDJSON lines (the fast path), blank lines,
//! and where the value scanner takes over; a line that is not one value,
//! read again as JSON text.

use std::io::Read;
use std::ops::Range;

use memchr::{memchr, memchr_iter};

use super::*;

impl<R: Read> Reader<R> {
    /// Processes `batch.buf[*pos..filled]`; returns where the bytes not yet
    /// done with start (to carry into the next batch).
    pub(super) fn process(
        &mut self,
        batch: &mut Batch,
        pos: &mut usize,
        filled: usize,
        eof: bool,
    ) -> Result<usize, Error> {
        let buf = &batch.buf[..filled];
        let parts = &mut batch.parts;
        // An open run of NDJSON lines: its start and first line.
        let mut run: Option<(usize, u64)> = None;
        let mut run_events = false;
        let close_run = |run: &mut Option<(usize, u64)>,
                         events: &mut bool,
                         end: usize,
                         now: u64,
                         parts: &mut Vec<Part>| {
            if let Some((start, line)) = run.take() {
                if *events {
                    let partial = end > start && buf[end - 1] != b'\n';
                    parts.push(Part::Lines {
                        range: start..end,
                        line,
                        lines: now - line + u64::from(partial),
                    });
                }
            }
            *events = false;
        };
        loop {
            match self.mode {
                Mode::Line => {
                    // The fast path: lines that begin with `{` and end with
                    // `}`, found with one search for line breaks.
                    let p = *pos;
                    if p < filled && buf[p] == b'{' && self.started && !self.values_only {
                        let mut q = p;
                        let mut lines = 0u64;
                        for k in memchr_iter(b'\n', &buf[p..]) {
                            let nl = p + k;
                            let mut e = nl;
                            if buf[e - 1] == b'\r' {
                                e -= 1;
                            }
                            if e == q || buf[e - 1] != b'}' || nl - q > self.max_event {
                                break;
                            }
                            lines += 1;
                            q = nl + 1;
                            if q >= filled || buf[q] != b'{' {
                                break;
                            }
                        }
                        if lines > 0 {
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            run_events = true;
                            self.line += lines;
                            *pos = q;
                            continue;
                        }
                    }
                    let rest = &buf[p..];
                    let Some(f) = rest
                        .iter()
                        .position(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
                    else {
                        // Only blanks so far on this line: kept with it
                        // (an event's line is printed as read), unless
                        // there are more than an event may hold.
                        if eof || rest.len() > self.max_event {
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            *pos = filled;
                            close_run(&mut run, &mut run_events, filled, self.line, parts);
                            return Ok(filled);
                        }
                        close_run(&mut run, &mut run_events, p, self.line, parts);
                        return Ok(p);
                    };
                    let c = rest[f];
                    if c == b'\n' {
                        if run.is_none() {
                            run = Some((p, self.line));
                        }
                        *pos = p + f + 1;
                        self.line += 1;
                        continue;
                    }
                    if c == BOM[0] {
                        // A byte-order mark where a value may start (files
                        // written with one, concatenated): skipped, and the
                        // line read on from after it.
                        if rest[f..].starts_with(BOM) {
                            close_run(&mut run, &mut run_events, p, self.line, parts);
                            *pos = p + f + BOM.len();
                            continue;
                        }
                        if !eof && BOM.starts_with(&rest[f..]) {
                            close_run(&mut run, &mut run_events, p, self.line, parts);
                            return Ok(p);
                        }
                    }
                    if !self.started {
                        self.started = true;
                        if !starts_value(c) {
                            return Err(Error::NotJson(format!(
                                "text that does not start with a JSON value: {} on line {}",
                                shown(c),
                                self.line
                            )));
                        }
                        if self.objects_first && !matches!(c, b'{' | b'[') {
                            return Err(Error::NotJson(format!(
                                "its first value is {}, not an object or an array, on line {}",
                                describe(c),
                                self.line
                            )));
                        }
                    }
                    if c == b'{' && !self.values_only {
                        let nl = memchr(b'\n', &rest[f..]).map(|k| f + k);
                        let end = match nl {
                            Some(k) => k,
                            None if eof => rest.len(),
                            None => {
                                close_run(&mut run, &mut run_events, p, self.line, parts);
                                if rest.len() > self.max_event {
                                    self.too_long(p, "line");
                                    *pos = filled;
                                    continue;
                                }
                                return Ok(p);
                            }
                        };
                        let last = rest[..end]
                            .iter()
                            .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r'));
                        if last.is_some_and(|l| rest[l] == b'}') {
                            if end > self.max_event {
                                close_run(&mut run, &mut run_events, p, self.line, parts);
                                self.too_long(p, "line");
                                *pos = p + end;
                                continue;
                            }
                            if run.is_none() {
                                run = Some((p, self.line));
                            }
                            run_events = true;
                            match nl {
                                Some(k) => {
                                    *pos = p + k + 1;
                                    self.line += 1;
                                }
                                None => {
                                    *pos = filled;
                                    close_run(&mut run, &mut run_events, filled, self.line, parts);
                                    return Ok(filled);
                                }
                            }
                            continue;
                        }
                    }
                    close_run(&mut run, &mut run_events, p, self.line, parts);
                    self.mode = Mode::Value;
                    self.outer = Outer::Top;
                }
                Mode::Skip => loop {
                    if *pos >= filled {
                        if eof {
                            self.end_skip(parts);
                        }
                        return Ok(filled);
                    }
                    if self.line_start && opens_line(&buf[*pos..]) {
                        self.end_skip(parts);
                        self.mode = Mode::Line;
                        break;
                    }
                    if self.line_start && !eof && BOM.starts_with(&buf[*pos..]) {
                        // A byte-order mark, maybe before `{`: wait for it.
                        return Ok(*pos);
                    }
                    match memchr(b'\n', &buf[*pos..]) {
                        Some(k) => {
                            *pos += k + 1;
                            self.line += 1;
                            self.line_start = true;
                        }
                        None => {
                            *pos = filled;
                            self.line_start = false;
                        }
                    }
                },
                Mode::Value => match self.scan(buf, pos, parts, eof) {
                    Scanned::Line => {
                        self.mode = Mode::Line;
                    }
                    Scanned::More => {
                        let keep = self.unit.map_or(*pos, |u| u.start);
                        if let Some(u) = self.unit {
                            if filled - u.start > self.max_event {
                                self.unit = None;
                                self.stack.clear();
                                self.tok = Tok::None;
                                self.arrays = 0;
                                self.too_long_at(u.line, "event");
                                *pos = filled;
                                continue;
                            }
                        }
                        return Ok(keep);
                    }
                    Scanned::Eof => return Ok(filled),
                    Scanned::Error(at, why) => self.resync(buf, pos, at, why, parts),
                },
            }
        }
    }

    pub(super) fn too_long(&mut self, _p: usize, what: &str) {
        let line = self.line;
        self.too_long_at(line, what);
    }

    pub(super) fn too_long_at(&mut self, line: u64, what: &str) {
        self.skipping = Some((
            line,
            format!("{what} longer than {}, skipped", size(self.max_event)),
        ));
        self.mode = Mode::Skip;
        self.line_start = false;
    }

    pub(super) fn end_skip(&mut self, parts: &mut Vec<Part>) {
        if let Some((line, message)) = self.skipping.take() {
            let end_line = if self.line_start {
                self.line - 1
            } else {
                self.line
            };
            parts.push(Part::Bad(BadValue {
                line,
                end_line: end_line.max(line),
                message,
            }));
        }
    }
}

/// The values of one line read as JSON text (values one after another),
/// for a line that begins with `{` and ends with `}` but is not one value
/// (`{"a":1} {"a":2}`): each event's range in `line`, and the bad values
/// (numbered from line 1). `None` if reading fails (it cannot: the text is
/// in memory). The text is taken as it is: its encoding and line ends were
/// read already, and a CR in it is whitespace.
pub(super) fn values_of_line(line: &[u8]) -> Option<Vec<Result<Range<usize>, BadValue>>> {
    let format = Format {
        compression: Compression::None,
        encoding: Encoding::Utf8,
    };
    let mut reader = Reader::with_text(
        decode::plain(line),
        format,
        Vec::new(),
        decode::LineEnds::lf(),
    )
    .batch_size(line.len() + 64);
    reader.values_only = true;
    reader.started = true;
    reader.max_event = line.len().max(1);
    let mut batch = Batch::new();
    let mut items = Vec::new();
    loop {
        let at = reader.offset as usize;
        match reader.fill(&mut batch) {
            Ok(true) => {}
            Ok(false) => return Some(items),
            Err(_) => return None,
        }
        // (No `Lines` parts: there is no NDJSON fast path here.)
        for part in batch.parts() {
            match part {
                Part::Event { range, .. } => items.push(Ok(at + range.start..at + range.end)),
                Part::Bad(b) => items.push(Err(b.clone())),
                Part::Lines { .. } => {}
            }
        }
    }
}
