//! The structural scanner: values read to their end across lines
//! (strings, escapes, brackets, commas, colons), for every line that is not
//! an NDJSON line, and each finished value reported as an event or a bad
//! value.

use super::*;

/// U+FEFF in UTF-8: skipped wherever a value may start.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether a byte can start a JSON value.
pub(super) fn starts_value(b: u8) -> bool {
    matches!(
        b,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    )
}

/// Bytes of a number or `true`/`false`/`null` (checked by the consumer).
pub(super) fn bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-')
}

pub(super) fn describe(b: u8) -> String {
    match b {
        b'"' => "a string".to_owned(),
        b't' | b'f' => "a boolean".to_owned(),
        b'n' => "null".to_owned(),
        _ => "a number".to_owned(),
    }
}

pub(super) fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// What the scanner stopped at.
pub(super) enum Scanned {
    /// A newline at the top level: back to classifying lines.
    Line,
    /// The bytes ran out.
    More,
    /// The input ended (everything reported).
    Eof,
    /// A byte that cannot continue (at, why).
    Error(usize, String),
}

impl<R: Read> Reader<R> {
    /// The structural scanner: runs until a top-level newline, the end of
    /// the bytes, or an error.
    pub(super) fn scan(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        parts: &mut Vec<Part>,
        eof: bool,
    ) -> Scanned {
        let n = buf.len();
        let mut i = *pos;
        macro_rules! fail {
            ($at:expr, $($t:tt)*) => {{
                *pos = $at;
                return Scanned::Error($at, format!($($t)*));
            }};
        }
        while i < n {
            // In a token.
            match self.tok {
                Tok::Str { key, esc } => {
                    if esc {
                        if buf[i] == b'\n' {
                            fail!(i, "a string is not closed before the line ends");
                        }
                        self.tok = Tok::Str { key, esc: false };
                        i += 1;
                        continue;
                    }
                    match memchr::memchr3(b'"', b'\\', b'\n', &buf[i..]) {
                        None => {
                            i = n;
                            continue;
                        }
                        Some(k) => {
                            i += k;
                            match buf[i] {
                                b'\\' => {
                                    self.tok = Tok::Str { key, esc: true };
                                    i += 1;
                                    continue;
                                }
                                b'\n' => fail!(i, "a string is not closed before the line ends"),
                                _ => {
                                    i += 1;
                                    self.tok = Tok::None;
                                    if key {
                                        self.inner = Inner::Colon;
                                    } else {
                                        self.value_done(buf, i, parts);
                                    }
                                    continue;
                                }
                            }
                        }
                    }
                }
                Tok::Bare => {
                    if bare(buf[i]) {
                        i += 1;
                        continue;
                    }
                    self.tok = Tok::None;
                    if let Some(why) = self.bad_scalar(buf, i) {
                        fail!(i, "{why}");
                    }
                    self.value_done(buf, i, parts);
                    continue;
                }
                Tok::None => {}
            }
            let c = buf[i];
            if c == b'\n' {
                self.line += 1;
                i += 1;
                if self.unit.is_none() && self.outer == Outer::Top {
                    *pos = i;
                    return Scanned::Line;
                }
                continue;
            }
            if matches!(c, b' ' | b'\t' | b'\r') {
                i += 1;
                continue;
            }
            if self.unit.is_none() {
                // Between values. A byte-order mark where a value may start
                // is skipped (one split by the end of the bytes waits).
                if c == BOM[0]
                    && matches!(self.outer, Outer::Top | Outer::ElemOrClose | Outer::Elem)
                {
                    if buf[i..].starts_with(BOM) {
                        i += BOM.len();
                        continue;
                    }
                    if !eof && BOM.starts_with(&buf[i..]) {
                        *pos = i;
                        return Scanned::More;
                    }
                }
                match (self.outer, c) {
                    (Outer::Top | Outer::ElemOrClose | Outer::Elem, b'[') => {
                        self.arrays += 1;
                        self.outer = Outer::ElemOrClose;
                    }
                    (Outer::Top | Outer::ElemOrClose | Outer::Elem, _) if starts_value(c) => {
                        self.unit = Some(Unit {
                            start: i,
                            line: self.line,
                            first: c,
                        });
                        match c {
                            b'{' => {
                                self.stack.push(true);
                                self.inner = Inner::KeyOrClose;
                            }
                            b'"' => {
                                self.tok = Tok::Str {
                                    key: false,
                                    esc: false,
                                }
                            }
                            _ => self.tok = Tok::Bare,
                        }
                    }
                    (Outer::ElemOrClose | Outer::CommaOrClose | Outer::Elem, b']') => {
                        if self.outer == Outer::Elem {
                            parts.push(Part::Bad(BadValue {
                                line: self.line,
                                end_line: self.line,
                                message: "expected a value after `,` in the JSON array".to_owned(),
                            }));
                        }
                        self.arrays -= 1;
                        self.outer = if self.arrays > 0 {
                            Outer::CommaOrClose
                        } else {
                            Outer::Top
                        };
                    }
                    (Outer::CommaOrClose, b',') => self.outer = Outer::Elem,
                    (Outer::CommaOrClose, b'{' | b'[') => {
                        // A missing comma: said, and the element read.
                        parts.push(Part::Bad(BadValue {
                            line: self.line,
                            end_line: self.line,
                            message: "expected `,` between array elements".to_owned(),
                        }));
                        self.outer = Outer::Elem;
                        continue;
                    }
                    (Outer::CommaOrClose, _) => {
                        fail!(
                            i,
                            "expected `,` or `]` after an array element, found {}",
                            shown(c)
                        )
                    }
                    (Outer::Top, _) => fail!(i, "{} cannot start a JSON value", shown(c)),
                    _ => fail!(i, "expected an array element, found {}", shown(c)),
                }
                i += 1;
                continue;
            }
            // Inside the value in hand. Only what breaks the structure
            // (a `{` or `[` where a key, `:` or `,` must come; a bracket
            // that does not match) stops the value here; other mistakes
            // are found when the finished value is validated.
            let obj = self.stack.top_is_obj();
            match (self.inner, c) {
                (
                    Inner::KeyOrClose | Inner::Key | Inner::Colon | Inner::CommaOrClose,
                    b'{' | b'[',
                ) => {
                    let expected = match self.inner {
                        Inner::Colon => "`:` after a key",
                        Inner::CommaOrClose if obj => "`,` or `}`",
                        Inner::CommaOrClose => "`,` or `]`",
                        _ => "a key (a string)",
                    };
                    fail!(i, "expected {expected}, found {}", shown(c))
                }
                (_, b'{') => {
                    self.stack.push(true);
                    self.inner = Inner::KeyOrClose;
                }
                (_, b'[') => {
                    self.stack.push(false);
                    self.inner = Inner::ValueOrClose;
                }
                (_, b'}' | b']') => {
                    if obj != (c == b'}') {
                        fail!(
                            i,
                            "{} does not close the open {}",
                            shown(c),
                            if obj { "object" } else { "array" }
                        );
                    }
                    self.stack.depth -= 1;
                    self.value_done(buf, i + 1, parts);
                }
                (_, b',') => self.inner = if obj { Inner::Key } else { Inner::Value },
                (_, b':') => self.inner = Inner::Value,
                (Inner::KeyOrClose | Inner::Key, b'"') => {
                    self.tok = Tok::Str {
                        key: true,
                        esc: false,
                    }
                }
                (_, b'"') => {
                    self.tok = Tok::Str {
                        key: false,
                        esc: false,
                    }
                }
                (_, _) if bare(c) => self.tok = Tok::Bare,
                // Any other byte: the validation will say.
                _ => {}
            }
            i += 1;
        }
        *pos = n;
        if !eof {
            return Scanned::More;
        }
        // The input ends.
        if self.tok == Tok::Bare {
            self.tok = Tok::None;
            if let Some(why) = self.bad_scalar(buf, n) {
                return Scanned::Error(n, why);
            }
            self.value_done(buf, n, parts);
        }
        // Reported on the last line, not after its line break.
        let last_nl = n > 0 && buf[n - 1] == b'\n';
        if self.unit.is_some() {
            let at = if last_nl {
                self.line -= 1;
                n - 1
            } else {
                n
            };
            return Scanned::Error(at, "the input ends inside the value".to_owned());
        }
        if self.arrays > 0 {
            let line = self.line - u64::from(self.ends_nl);
            parts.push(Part::Bad(BadValue {
                line,
                end_line: line,
                message: "the input ends inside a JSON array".to_owned(),
            }));
            self.arrays = 0;
            self.outer = Outer::Top;
        }
        Scanned::Eof
    }

    /// A number or literal standing alone (not inside an object) that is
    /// not one: the line is not JSON, not a bad scalar.
    pub(super) fn bad_scalar(&self, buf: &[u8], end: usize) -> Option<String> {
        let u = self.unit.as_ref()?;
        if self.stack.depth > 0 {
            return None;
        }
        let tok = &buf[u.start..end];
        let ok = matches!(tok, b"true" | b"false" | b"null")
            || crate::json::number_len(tok) == Some(tok.len());
        (!ok).then(|| {
            let shown = String::from_utf8_lossy(&tok[..tok.len().min(40)]).into_owned();
            format!("`{shown}` is not a JSON value")
        })
    }

    /// A value in hand ended at `end` (exclusive) unless containers are
    /// still open.
    pub(super) fn value_done(&mut self, buf: &[u8], end: usize, parts: &mut Vec<Part>) {
        if self.stack.depth > 0 {
            self.inner = Inner::CommaOrClose;
            return;
        }
        let Some(u) = self.unit.take() else { return };
        if end - u.start > self.max_event {
            parts.push(Part::Bad(BadValue {
                line: u.line,
                end_line: self.line,
                message: format!("event longer than {}, skipped", size(self.max_event)),
            }));
        } else if u.first == b'{' {
            // Validated here (NDJSON lines are left to the consumer): a
            // value read by the scanner is whole, valid JSON or a bad value.
            match crate::json::validate(&buf[u.start..end]) {
                Ok(_) => parts.push(Part::Event {
                    range: u.start..end,
                    line: u.line,
                }),
                Err(e) => parts.push(Part::Bad(BadValue {
                    line: u.line,
                    end_line: self.line,
                    message: format!("malformed JSON: {e}"),
                })),
            }
        } else {
            let what = describe(u.first);
            let message = if self.arrays > 0 {
                format!("an array element that is {what}, not an object")
            } else {
                format!("{what} at the top level, not an object")
            };
            let _ = buf;
            parts.push(Part::Bad(BadValue {
                line: u.line,
                end_line: self.line,
                message,
            }));
        }
        self.stack.clear();
        self.outer = if self.arrays > 0 {
            Outer::CommaOrClose
        } else {
            Outer::Top
        };
    }
}

pub(super) fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}
