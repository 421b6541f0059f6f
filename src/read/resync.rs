//! Finding the footing after a malformed value: the rule is in the module
//! documentation ("Finding the footing after a malformed value").

use std::io::Read;

use memchr::memchr_iter;

use super::*;

/// Whether a line starting with `b` begins with `{` or `[` (after a
/// byte-order mark, if any): where reading resumes after a bad value.
pub(super) fn opens_line(b: &[u8]) -> bool {
    let b = b.strip_prefix(BOM).unwrap_or(b);
    matches!(b.first(), Some(b'{' | b'['))
}

impl<R: Read> Reader<R> {
    /// After a malformed value (error at `at`): report it, and resume at the
    /// first line after its start that begins with `{` or `[`.
    pub(super) fn resync(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        at: usize,
        why: String,
        parts: &mut Vec<Part>,
    ) {
        let err_line = self.line;
        let (from, line) = match self.unit.take() {
            Some(u) => (u.start + 1, u.line),
            None => (at, err_line),
        };
        let message = if line == err_line {
            format!("malformed JSON: {why}")
        } else {
            format!("malformed JSON: {why} on line {err_line}")
        };
        self.stack.clear();
        self.tok = Tok::None;
        self.arrays = 0;
        self.outer = Outer::Top;
        let abs = |i: usize| self.offset + i as u64;
        let floor = self.floor.saturating_sub(self.offset).min(buf.len() as u64) as usize;
        self.floor = self.floor.max(abs(at));
        let start = from.max(floor);
        // A line start at or after `start` whose first byte is `{` or `[`.
        let mut q = None;
        if start < buf.len() {
            if (start == 0 && self.offset == 0 || start > 0 && buf[start - 1] == b'\n')
                && opens_line(&buf[start..])
            {
                q = Some(start);
            } else {
                for k in memchr_iter(b'\n', &buf[start..]) {
                    let i = start + k + 1;
                    if opens_line(&buf[i..]) {
                        q = Some(i);
                        break;
                    }
                }
            }
        }
        match q {
            Some(q) => {
                // `self.line` is the line of the byte at `at`.
                let qline = if q <= at {
                    err_line - memchr_iter(b'\n', &buf[q..at]).count() as u64
                } else {
                    err_line + memchr_iter(b'\n', &buf[at..q]).count() as u64
                };
                parts.push(Part::Bad(BadValue {
                    line,
                    end_line: qline.saturating_sub(1).max(line),
                    message,
                }));
                self.line = qline;
                *pos = q;
                self.mode = Mode::Line;
            }
            None => {
                // Skip on from the error (nothing before the end of the
                // bytes qualifies).
                self.skipping = Some((line, message));
                self.mode = Mode::Skip;
                self.line_start = at > 0 && buf[at - 1] == b'\n' || at == 0 && self.offset == 0;
                *pos = at;
            }
        }
    }
}
