//! Reading the inputs: files or stdin, gzip by its magic bytes, then NDJSON or
//! a JSON array, cut into chunks of about [`BLOCK`] bytes that end at an
//! event boundary. The chunks go, numbered in input order, to the workers
//! (the chunk types are in [`crate::pipeline`]).

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;

use flate2::read::MultiGzDecoder;
use memchr::{memchr, memchr3, memchr_iter, memrchr};

use crate::pipeline::{Bad, Elem, Feed, Kind, Slot, BLOCK};
use crate::progress::Counting;

/// Events longer than this are reported as bad and skipped, so that a file
/// with no line breaks cannot take all memory.
pub const MAX_EVENT: usize = 256 << 20;

pub enum Source {
    Stdin,
    File(PathBuf),
}

pub struct Input {
    /// The name in diagnostics: the path as given, or `<stdin>`.
    pub name: String,
    pub source: Source,
}

/// Reads every input in order into the pipeline.
pub fn read_all(inputs: &[Input], feed: &mut Feed) {
    for (src, input) in inputs.iter().enumerate() {
        if feed.stopped() {
            return;
        }
        if let Err(e) = read_one(src, input, feed) {
            let msg = format!("{}: {}", input.name, io_message(&e));
            if feed
                .send(src, Kind::Pass, None, |c| c.note = Some(msg))
                .is_none()
            {
                return;
            }
        }
    }
}

/// An io::Error as a person reads it: `No such file or directory`, without
/// the `(os error 2)`.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// A gzip decoder whose errors say they come from gzip.
struct Gz<R>(R);

impl<R: Read> Read for Gz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), format!("gzip: {}", io_message(&e))))
    }
}

/// `read`, retried when interrupted.
fn read_retry(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn read_one(src: usize, input: &Input, feed: &mut Feed) -> io::Result<()> {
    let raw: Box<dyn Read> = match &input.source {
        Source::Stdin => Box::new(io::stdin()),
        Source::File(path) => Box::new(File::open(path)?),
    };
    let mut raw = Counting {
        inner: raw,
        counters: feed.counters,
    };
    // gzip by its magic bytes.
    let mut magic = Vec::with_capacity(2);
    let mut byte = [0u8; 2];
    while magic.len() < 2 {
        let n = read_retry(&mut raw, &mut byte[..2 - magic.len()])?;
        if n == 0 {
            break;
        }
        magic.extend_from_slice(&byte[..n]);
    }
    let gz = magic == [0x1f, 0x8b];
    let raw = Cursor::new(magic).chain(raw);
    let mut stream: Box<dyn Read + '_> = if gz {
        Box::new(Gz(MultiGzDecoder::new(BufReader::with_capacity(
            256 << 10,
            raw,
        ))))
    } else {
        Box::new(raw)
    };
    // NDJSON or an array: the first byte that is not whitespace (after a BOM).
    let lead = skip_lead(&mut stream)?;
    let Some(first) = lead.first else {
        // Only whitespace: nothing to look at.
        return Ok(());
    };
    let mut stream = Cursor::new(lead.head).chain(stream);
    // Send a chunk as soon as a short read completes a line, so that a live
    // pipe is answered promptly; gzip's reads are always short, so not there.
    let handoff = if gz { Handoff::Full } else { Handoff::Prompt };
    if first == b'[' {
        read_array(src, &mut stream, lead.blank_lines, handoff, feed)
    } else {
        if lead.blank_lines > 0 {
            // The line numbers of the chunks that follow start after them.
            let lines = lead.blank_lines;
            if feed
                .send(src, Kind::Pass, None, |c| c.lines = lines)
                .is_none()
            {
                return Ok(());
            }
        }
        read_lines(src, &mut stream, handoff, feed)
    }
}

/// When the reader hands a chunk on to the workers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Handoff {
    /// Also as soon as a short read completes a line (or an element).
    Prompt,
    /// Only once the chunk is full, or the input ends.
    Full,
}

/// What comes before an input's first value.
struct Lead {
    /// Its first byte, `None` when the input is only whitespace.
    first: Option<u8>,
    /// The whitespace-only lines before it, dropped.
    blank_lines: u64,
    /// What to read before the rest of the stream: the whitespace of the
    /// first value's line (kept: it belongs to that line), then the rest of
    /// what was read.
    head: Vec<u8>,
}

/// Reads past a byte order mark and the whitespace before the first value.
/// Complete blank lines are counted and dropped as they come, and only the
/// bytes of each read are looked at, once: any amount of leading
/// whitespace costs linear time and bounded memory.
fn skip_lead(stream: &mut dyn Read) -> io::Result<Lead> {
    let mut buf = vec![0u8; 64 << 10];
    // Enough bytes to tell a BOM (reads may be short).
    let mut got = 0;
    while got < BOM.len() && BOM.starts_with(&buf[..got]) {
        let n = read_retry(stream, &mut buf[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let mut from = if buf[..got].starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let mut lead = Lead {
        first: None,
        blank_lines: 0,
        head: Vec::new(),
    };
    loop {
        let new = &buf[from..got];
        let value = new.iter().position(|&b| !is_ws(b));
        let ws = &new[..value.unwrap_or(new.len())];
        let mut line = ws;
        if let Some(nl) = memrchr(b'\n', ws) {
            lead.blank_lines += memchr_iter(b'\n', &ws[..=nl]).count() as u64;
            lead.head.clear();
            line = &ws[nl + 1..];
        }
        // A first line longer than MAX_EVENT is skipped as too long, so
        // more of its whitespace need not be kept.
        let room = (MAX_EVENT + 1).saturating_sub(lead.head.len());
        lead.head.extend_from_slice(&line[..line.len().min(room)]);
        if let Some(k) = value {
            lead.first = Some(new[k]);
            lead.head.extend_from_slice(&new[k..]);
            return Ok(lead);
        }
        got = read_retry(stream, &mut buf)?;
        from = 0;
        if got == 0 {
            return Ok(lead);
        }
    }
}

/// NDJSON: chunks end after a line break (or at the end of input).
fn read_lines(src: usize, r: &mut dyn Read, handoff: Handoff, feed: &mut Feed) -> io::Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let Some(mut slot) = feed.slot() else {
            return Ok(());
        };
        let want = BLOCK.max(carry.len() + BLOCK / 4);
        if slot.data.len() < want {
            slot.data.resize(want, 0);
        }
        slot.data[..carry.len()].copy_from_slice(&carry);
        let mut filled = carry.len();
        carry.clear();
        let mut eof = false;
        let mut failed = None;
        let mut too_long = false;
        loop {
            if filled == slot.data.len() {
                if memrchr(b'\n', &slot.data[..filled]).is_some() {
                    break;
                }
                // One line fills the buffer: grow it, up to the limit.
                if filled > MAX_EVENT {
                    too_long = true;
                    break;
                }
                let grown = (slot.data.len() * 2).min(MAX_EVENT + 1);
                slot.data.resize(grown, 0);
            }
            let n = match read_retry(r, &mut slot.data[filled..]) {
                Ok(n) => n,
                Err(e) => {
                    // Match what was read, then report the error.
                    failed = Some(e);
                    0
                }
            };
            if n == 0 {
                eof = true;
                break;
            }
            let before = filled;
            filled += n;
            if handoff == Handoff::Prompt
                && filled < slot.data.len()
                && memchr(b'\n', &slot.data[before..filled]).is_some()
            {
                break;
            }
        }
        if too_long {
            let msg = format!("line longer than {} MiB, skipped", MAX_EVENT >> 20);
            feed.send(src, Kind::Pass, Some(slot), |c| {
                c.lines = 1;
                c.bad.push(Bad {
                    line: 1,
                    msg,
                    sel_before: 0,
                })
            });
            // Skip the rest of that line.
            let mut tmp = vec![0u8; 64 << 10];
            loop {
                let n = read_retry(r, &mut tmp)?;
                if n == 0 {
                    return Ok(());
                }
                if let Some(p) = memchr(b'\n', &tmp[..n]) {
                    carry.extend_from_slice(&tmp[p + 1..n]);
                    break;
                }
            }
            continue;
        }
        let len = if eof {
            filled
        } else {
            let cut = memrchr(b'\n', &slot.data[..filled]).map_or(0, |p| p + 1);
            carry.extend_from_slice(&slot.data[cut..filled]);
            cut
        };
        slot.len = len;
        let kind = if len > 0 { Kind::Lines } else { Kind::Pass };
        if feed.send(src, kind, Some(slot), |_| {}).is_none() {
            return Ok(());
        }
        if let Some(e) = failed {
            return Err(e);
        }
        if eof {
            return Ok(());
        }
    }
}

/// Where the array splitter is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum St {
    /// Between top-level arrays (before the first, after `]`).
    Outside,
    /// After `[` (`first`) or after `,`: an element or `]` comes next.
    Start { first: bool },
    /// Inside an element.
    Elem,
    /// Something that is not an array followed one: the rest is ignored.
    Dead,
}

/// Splits a stream holding JSON arrays into their elements by tracking
/// strings, escapes and bracket depth, without parsing the elements (the
/// matcher validates them). Several arrays one after another (`[…] […]`,
/// as paginated exports concatenate) are read as one sequence.
struct Splitter {
    st: St,
    depth: u64,
    in_str: bool,
    esc: bool,
    line: u64,
    elem_line: u64,
    elem_start: usize,
    too_big: bool,
}

impl Splitter {
    fn new() -> Splitter {
        Splitter {
            st: St::Outside,
            depth: 0,
            in_str: false,
            esc: false,
            line: 1,
            elem_line: 1,
            elem_start: 0,
            too_big: false,
        }
    }

    fn bad(&self, slot: &mut Slot, line: u64, msg: &'static str) {
        let at = slot.data.len();
        slot.elems.push(Elem {
            start: at,
            end: at,
            line,
            err: Some(msg),
        });
    }

    /// Appends part of the current element, unless it is already too big.
    fn take(&mut self, bytes: &[u8], slot: &mut Slot) {
        if self.too_big {
            return;
        }
        if slot.data.len() - self.elem_start + bytes.len() > MAX_EVENT {
            self.too_big = true;
            slot.data.truncate(self.elem_start);
            return;
        }
        slot.data.extend_from_slice(bytes);
    }

    fn finish_elem(&mut self, slot: &mut Slot, err: Option<&'static str>) {
        let mut end = slot.data.len();
        while end > self.elem_start && is_ws(slot.data[end - 1]) {
            end -= 1;
        }
        let err = err.or(self.too_big.then_some("event longer than 256 MiB, skipped"));
        slot.elems.push(Elem {
            start: self.elem_start,
            end,
            line: self.elem_line,
            err,
        });
    }

    fn process(&mut self, b: &[u8], slot: &mut Slot) {
        let n = b.len();
        let mut i = 0;
        let mut copy_from = 0;
        while i < n {
            match self.st {
                St::Dead => return,
                St::Outside => {
                    let c = b[i];
                    i += 1;
                    match c {
                        b'\n' => self.line += 1,
                        b' ' | b'\t' | b'\r' => {}
                        b'[' => self.st = St::Start { first: true },
                        _ => {
                            self.bad(slot, self.line, "trailing characters after the JSON array");
                            self.st = St::Dead;
                            return;
                        }
                    }
                }
                St::Start { first } => match b[i] {
                    b'\n' => {
                        self.line += 1;
                        i += 1;
                    }
                    b' ' | b'\t' | b'\r' => i += 1,
                    b']' => {
                        i += 1;
                        if !first {
                            self.bad(
                                slot,
                                self.line,
                                "expected a value after `,` in the JSON array",
                            );
                        }
                        self.st = St::Outside;
                    }
                    _ => {
                        self.st = St::Elem;
                        self.elem_start = slot.data.len();
                        self.elem_line = self.line;
                        self.depth = 0;
                        self.in_str = false;
                        self.esc = false;
                        self.too_big = false;
                        copy_from = i;
                    }
                },
                St::Elem => {
                    if self.esc {
                        self.esc = false;
                        i += 1;
                        continue;
                    }
                    if self.in_str {
                        match memchr3(b'"', b'\\', b'\n', &b[i..]) {
                            None => i = n,
                            Some(k) => {
                                i += k;
                                match b[i] {
                                    b'"' => self.in_str = false,
                                    b'\\' => self.esc = true,
                                    _ => self.line += 1,
                                }
                                i += 1;
                            }
                        }
                        continue;
                    }
                    let c = b[i];
                    match c {
                        b'"' => self.in_str = true,
                        b'{' | b'[' => self.depth += 1,
                        b'}' | b']' if self.depth > 0 => self.depth -= 1,
                        b']' | b',' if self.depth == 0 => {
                            self.take(&b[copy_from..i], slot);
                            self.finish_elem(slot, None);
                            self.st = if c == b']' {
                                St::Outside
                            } else {
                                St::Start { first: false }
                            };
                            i += 1;
                            continue;
                        }
                        b'\n' => self.line += 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
        }
        if self.st == St::Elem {
            self.take(&b[copy_from..n], slot);
        }
    }

    fn at_eof(&mut self, slot: &mut Slot) {
        const MSG: &str = "input ends inside the JSON array";
        match self.st {
            St::Elem => self.finish_elem(slot, Some(MSG)),
            St::Start { .. } => self.bad(slot, self.line, MSG),
            St::Outside | St::Dead => {}
        }
        self.st = St::Dead;
    }
}

/// A JSON array (or several in a row), element by element.
/// `blank_lines`: the lines before it already read.
fn read_array(
    src: usize,
    r: &mut dyn Read,
    blank_lines: u64,
    handoff: Handoff,
    feed: &mut Feed,
) -> io::Result<()> {
    let mut sp = Splitter::new();
    sp.line += blank_lines;
    let mut buf = vec![0u8; BLOCK];
    let mut carry = Vec::new();
    let Some(mut slot) = feed.slot() else {
        return Ok(());
    };
    slot.data.clear();
    loop {
        let (n, failed) = match read_retry(r, &mut buf) {
            Ok(n) => (n, None),
            Err(e) => (0, Some(e)),
        };
        if n == 0 {
            if failed.is_none() {
                sp.at_eof(&mut slot);
            } else if sp.st == St::Elem {
                // The element cut short by the error is not looked at.
                slot.data.truncate(sp.elem_start);
            }
            slot.len = slot.data.len();
            feed.send(src, Kind::Elements, Some(slot), |_| {});
            return failed.map_or(Ok(()), Err);
        }
        sp.process(&buf[..n], &mut slot);
        if sp.st == St::Dead {
            slot.len = slot.data.len();
            feed.send(src, Kind::Elements, Some(slot), |_| {});
            return Ok(());
        }
        let short = n < buf.len();
        if !slot.elems.is_empty()
            && (slot.data.len() >= BLOCK || (handoff == Handoff::Prompt && short))
        {
            // Send the complete elements; an element in progress moves on.
            let keep = if sp.st == St::Elem {
                sp.elem_start
            } else {
                slot.data.len()
            };
            carry.clear();
            carry.extend_from_slice(&slot.data[keep..]);
            slot.data.truncate(keep);
            slot.len = keep;
            feed.send(src, Kind::Elements, Some(slot), |_| {});
            let Some(next) = feed.slot() else {
                return Ok(());
            };
            slot = next;
            slot.data.clear();
            slot.data.extend_from_slice(&carry);
            sp.elem_start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(parts: &[&str]) -> Vec<(String, u64, Option<&'static str>)> {
        let mut sp = Splitter::new();
        let mut slot = Slot::default();
        for p in parts {
            sp.process(p.as_bytes(), &mut slot);
        }
        sp.at_eof(&mut slot);
        slot.elems
            .iter()
            .map(|e| {
                (
                    String::from_utf8(slot.data[e.start..e.end].to_vec()).unwrap(),
                    e.line,
                    e.err,
                )
            })
            .collect()
    }

    /// A reader that hands out at most `n` bytes per read.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// The first byte, the blank lines, and what is read after skip_lead
    /// (its head, then the rest of the stream).
    fn lead(input: &[u8], per_read: usize) -> (Option<u8>, u64, Vec<u8>) {
        let mut r = Trickle(input, per_read);
        let l = skip_lead(&mut r).unwrap();
        let mut rest = l.head;
        rest.extend_from_slice(r.0);
        (l.first, l.blank_lines, rest)
    }

    #[test]
    fn leading_whitespace_is_dropped_by_whole_lines() {
        for per_read in [1, 2, 3, 7, 1 << 20] {
            assert_eq!(lead(b"", per_read), (None, 0, vec![]));
            assert_eq!(lead(b"\xEF\xBB\xBF", per_read), (None, 0, vec![]));
            assert_eq!(
                lead(b"\xEF\xBB\xBF\n \r\n\t {\"a\":1}\n", per_read),
                (Some(b'{'), 2, b"\t {\"a\":1}\n".to_vec())
            );
            assert_eq!(lead(b"\xEF\xBBx", per_read).0, Some(0xEF));
            assert_eq!(lead(b"\n\n[1]", per_read), (Some(b'['), 2, b"[1]".to_vec()));
            let mut big = b" \n".repeat(100_000);
            big.extend_from_slice(b"   \t");
            let (first, lines, head) = lead(&big, per_read.max(64));
            assert_eq!((first, lines, head), (None, 100_000, b"   \t".to_vec()));
        }
    }

    #[test]
    fn splits_elements_across_reads() {
        let text = "[\n  {\"a\": \"x,]\\\"}\"},\n  {\"b\": [1, {\"c\": 2}]} ,\n 3\n]\n";
        let want = vec![
            ("{\"a\": \"x,]\\\"}\"}".to_owned(), 2, None),
            ("{\"b\": [1, {\"c\": 2}]}".to_owned(), 3, None),
            ("3".to_owned(), 4, None),
        ];
        assert_eq!(split(&[text]), want);
        // Every cut point, including inside an escape.
        for cut in 0..text.len() {
            assert_eq!(split(&[&text[..cut], &text[cut..]]), want, "cut at {cut}");
        }
    }

    #[test]
    fn empty_and_concatenated_arrays() {
        assert!(split(&["[]"]).is_empty());
        assert!(split(&[" [ ] \n"]).is_empty());
        let got = split(&["[1][2,\n3]"]);
        let got: Vec<_> = got.iter().map(|(s, l, _)| (s.as_str(), *l)).collect();
        assert_eq!(got, vec![("1", 1), ("2", 1), ("3", 2)]);
    }

    #[test]
    fn broken_arrays() {
        assert_eq!(
            split(&["[1,]"])[1],
            (
                String::new(),
                1,
                Some("expected a value after `,` in the JSON array")
            )
        );
        assert_eq!(
            split(&["[1,\n{\"a\":"])[1].2,
            Some("input ends inside the JSON array")
        );
        assert_eq!(
            split(&["[1,"])[1].2,
            Some("input ends inside the JSON array")
        );
        assert_eq!(
            split(&["[1]\nx"])[1],
            (
                String::new(),
                2,
                Some("trailing characters after the JSON array")
            )
        );
    }
}
