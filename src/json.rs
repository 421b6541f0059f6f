//! The lexical rules of JSON, written once: escapes (with `\uXXXX`
//! surrogate pairs), the number grammar, and writing a string back as JSON.
//!
//! The filter parser (string and number literals), the bytes scanner and the
//! extractor (event text), the printer (canonical text) and the prefilter
//! (needles as a JSON writer spells them) all use these; none of them has
//! its own copy.

use std::fmt::{self, Write};

use crate::error::{JsonError, JsonErrorKind};

/// Why an escape or a number is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    /// The text ends where more of it could still make it valid.
    Truncated,
    /// A byte that no continuation can make valid.
    Invalid,
}

/// The escape that starts at `b[i]` (a backslash): its length in bytes and
/// the character it spells. A lone or unpaired surrogate, an unknown escape
/// or a bad hex digit is [`Bad::Invalid`] as soon as the offending byte is
/// there, whatever follows; only an escape cut off by the end of `b` is
/// [`Bad::Truncated`].
pub(crate) fn escape(b: &[u8], i: usize) -> Result<(usize, char), Bad> {
    let simple = match b.get(i + 1).ok_or(Bad::Truncated)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(b, i + 2)?;
            return match hi {
                0xD800..=0xDBFF => {
                    // A high surrogate needs `\u` and a low surrogate.
                    for (at, want) in [(i + 6, b'\\'), (i + 7, b'u')] {
                        if *b.get(at).ok_or(Bad::Truncated)? != want {
                            return Err(Bad::Invalid);
                        }
                    }
                    let lo = hex4(b, i + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&lo) {
                        return Err(Bad::Invalid);
                    }
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    char::from_u32(c).map(|c| (12, c)).ok_or(Bad::Invalid)
                }
                0xDC00..=0xDFFF => Err(Bad::Invalid),
                _ => char::from_u32(hi).map(|c| (6, c)).ok_or(Bad::Invalid),
            };
        }
        _ => return Err(Bad::Invalid),
    };
    Ok((2, simple))
}

/// The four hex digits at `b[at..]`.
fn hex4(b: &[u8], at: usize) -> Result<u32, Bad> {
    let mut v = 0;
    for k in at..at + 4 {
        let d = *b.get(k).ok_or(Bad::Truncated)?;
        v = v * 16 + (d as char).to_digit(16).ok_or(Bad::Invalid)?;
    }
    Ok(v)
}

/// Decodes the escapes of a string body (the text between the quotes) into
/// `out`. The body should have been validated; an escape that is not valid
/// anyway becomes U+FFFD, never a panic.
pub(crate) fn unescape_into(raw: &str, out: &mut String) {
    out.clear();
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let (len, c) = escape(rest.as_bytes(), i).unwrap_or((1, '\u{FFFD}'));
        out.push(c);
        // A valid escape is ASCII; a bad one counts as its backslash only.
        // Either way `i + len` is a character boundary.
        rest = &rest[i + len..];
    }
    out.push_str(rest);
}

/// Length of the JSON number at the start of `b`
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, the longest valid
/// prefix), or `None` when `b` does not start with one.
pub(crate) fn number_len(b: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return Some(i);
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = digits(j);
        if n == 0 {
            return Some(i);
        }
        i = j + n;
    }
    Some(i)
}

/// Whether the text of a syntactically valid JSON number is within f64's
/// range (serde_json rejects `1e400`; `1e-400` is zero and fine).
pub(crate) fn number_in_range(text: &str) -> bool {
    // Only an exponent or a long integer part can leave the range.
    if text.len() <= 300 && !text.bytes().any(|c| c == b'e' || c == b'E') {
        return true;
    }
    text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Writes `s` as a JSON string literal: `"`, `\` and control characters
/// escaped (the short forms where JSON has them, else `\u00XX`), everything
/// else as it is.
pub(crate) fn write_string(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    write_string_body(f, s)?;
    f.write_char('"')
}

/// [`write_string`] without the quotes.
pub(crate) fn write_string_body(f: &mut impl Write, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| c == '"' || c == '\\' || (c as u32) < 0x20) {
        f.write_str(&rest[..i])?;
        // The character found is ASCII: one byte.
        match rest.as_bytes()[i] {
            b'"' => f.write_str("\\\"")?,
            b'\\' => f.write_str("\\\\")?,
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            b'\t' => f.write_str("\\t")?,
            0x08 => f.write_str("\\b")?,
            0x0c => f.write_str("\\f")?,
            c => write!(f, "\\u{:04x}", c)?,
        }
        rest = &rest[i + 1..];
    }
    f.write_str(rest)
}

/// The event as text, or the first error in reading order. When the bytes
/// are not all UTF-8, `validate` runs on the valid text before the bad byte:
/// an error it finds there (other than the end of that text) comes first.
pub(crate) fn text(
    bytes: &[u8],
    validate: impl FnOnce(&str) -> Result<(), JsonError>,
) -> Result<&str, JsonError> {
    let e = match std::str::from_utf8(bytes) {
        Ok(src) => return Ok(src),
        Err(e) => e,
    };
    let at = e.valid_up_to();
    let Ok(prefix) = std::str::from_utf8(&bytes[..at]) else {
        return Err(err(JsonErrorKind::InvalidUtf8, at));
    };
    Err(match validate(prefix) {
        Err(pe) if pe.kind() != JsonErrorKind::Truncated => pe,
        // A complete value, then a byte that is not UTF-8.
        Ok(()) => err(JsonErrorKind::TrailingCharacters, at),
        // A multi-byte character cut off by the end of the text.
        Err(_) if e.error_len().is_none() => err(JsonErrorKind::Truncated, bytes.len()),
        Err(_) => err(JsonErrorKind::InvalidUtf8, at),
    })
}

/// Validates one whole JSON value, reading nothing from it: the same rules,
/// errors and offsets as the scanner's (`scan.rs`), without its index. The
/// reader checks the multi-line values it cuts with it.
pub(crate) fn validate(bytes: &[u8]) -> Result<(), JsonError> {
    let src = text(bytes, validate_str)?;
    validate_str(src)
}

fn validate_str(src: &str) -> Result<(), JsonError> {
    let mut sc = Cursor::new(src);
    // The open containers, innermost last: `true` for an object.
    let mut open: Vec<bool> = Vec::new();
    'value: loop {
        sc.skip_ws();
        let Some(&c) = sc.b.get(sc.pos) else {
            return Err(sc.unexpected());
        };
        match c {
            b'{' | b'[' => {
                let (object, close) = if c == b'{' {
                    (true, b'}')
                } else {
                    (false, b']')
                };
                sc.pos += 1;
                sc.skip_ws();
                if sc.b.get(sc.pos) == Some(&close) {
                    sc.pos += 1;
                } else {
                    open.push(object);
                    if object {
                        sc.key()?;
                    }
                    continue 'value;
                }
            }
            b'"' => {
                sc.string_end()?;
            }
            b't' | b'f' | b'n' => {
                let word: &[u8] = match c {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                if !sc.b[sc.pos..].starts_with(word) {
                    return Err(sc.literal_error(word));
                }
                sc.pos += word.len();
            }
            b'-' | b'0'..=b'9' => {
                sc.number()?;
            }
            _ => return Err(err(JsonErrorKind::UnexpectedByte, sc.pos)),
        }
        // After a complete value: continue in the enclosing container.
        loop {
            sc.skip_ws();
            let Some(&object) = open.last() else {
                if sc.pos != sc.b.len() {
                    return Err(err(JsonErrorKind::TrailingCharacters, sc.pos));
                }
                return Ok(());
            };
            let Some(&c) = sc.b.get(sc.pos) else {
                return Err(sc.unexpected());
            };
            match (object, c) {
                (_, b',') => {
                    sc.pos += 1;
                    if object {
                        sc.skip_ws();
                        sc.key()?;
                    }
                    continue 'value;
                }
                (true, b'}') | (false, b']') => {
                    sc.pos += 1;
                    open.pop();
                }
                _ => return Err(err(JsonErrorKind::UnexpectedByte, sc.pos)),
            }
        }
    }
}

#[cold]
fn err(kind: JsonErrorKind, at: usize) -> JsonError {
    JsonError::new(kind, at)
}

/// Bytes that end a run of plain string content.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
static SPECIAL: [bool; 256] = special_table();

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `w` is `"`, `\` or below 0x20.
#[inline]
fn has_special(w: u64) -> bool {
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
    (below_space | has_zero(w ^ (LO * b'"' as u64)) | has_zero(w ^ (LO * b'\\' as u64))) != 0
}

/// A cursor over an event's JSON text: steps over and validates strings,
/// numbers and literals as serde_json would, and names what is wrong and
/// where. The bytes scanner and the extractor walk events with it.
pub(crate) struct Cursor<'b> {
    pub(crate) b: &'b [u8],
    pub(crate) src: &'b str,
    pub(crate) pos: usize,
}

impl<'b> Cursor<'b> {
    pub(crate) fn new(src: &'b str) -> Cursor<'b> {
        Cursor {
            b: src.as_bytes(),
            src,
            pos: 0,
        }
    }

    #[inline]
    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    #[cold]
    pub(crate) fn unexpected(&self) -> JsonError {
        let kind = if self.pos >= self.b.len() {
            JsonErrorKind::Truncated
        } else {
            JsonErrorKind::UnexpectedByte
        };
        err(kind, self.pos)
    }

    #[cold]
    pub(crate) fn literal_error(&self, word: &[u8]) -> JsonError {
        let rest = &self.b[self.pos..];
        if rest.len() < word.len() && word.starts_with(rest) {
            err(JsonErrorKind::Truncated, self.b.len())
        } else {
            err(JsonErrorKind::UnexpectedByte, self.pos)
        }
    }

    /// At an object's key: validates it and the colon after it.
    fn key(&mut self) -> Result<(), JsonError> {
        if self.b.get(self.pos) != Some(&b'"') {
            return Err(self.unexpected());
        }
        self.string_end()?;
        self.skip_ws();
        if self.b.get(self.pos) != Some(&b':') {
            return Err(self.unexpected());
        }
        self.pos += 1;
        Ok(())
    }

    /// At an opening quote: validates the string and moves past its closing
    /// quote. Returns the end of the body and whether it has escapes.
    pub(crate) fn string_end(&mut self) -> Result<(usize, bool), JsonError> {
        let b = self.b;
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            // Plain content, 8 bytes at a time.
            while let Some(chunk) = b.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                if has_special(w) {
                    break;
                }
                i += 8;
            }
            while i < b.len() && !SPECIAL[b[i] as usize] {
                i += 1;
            }
            match b.get(i) {
                None => return Err(err(JsonErrorKind::Truncated, b.len())),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok((i, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    i += self.escape_len(i)?;
                }
                Some(_) => return Err(err(JsonErrorKind::InvalidString, i)),
            }
        }
    }

    /// Validates the escape at `i` (a backslash) and returns its length.
    fn escape_len(&self, i: usize) -> Result<usize, JsonError> {
        match escape(self.b, i) {
            Ok((len, _)) => Ok(len),
            Err(Bad::Truncated) => Err(err(JsonErrorKind::Truncated, self.b.len())),
            Err(Bad::Invalid) => Err(err(JsonErrorKind::InvalidString, i)),
        }
    }

    /// At a number: validates it (syntax and f64 range) and returns its
    /// text.
    pub(crate) fn number(&mut self) -> Result<&str, JsonError> {
        let start = self.pos;
        let rest = &self.b[start..];
        let Some(n) = number_len(rest) else {
            let at = start + usize::from(rest.first() == Some(&b'-'));
            return Err(if at >= self.b.len() {
                err(JsonErrorKind::Truncated, at)
            } else {
                err(JsonErrorKind::InvalidNumber, at)
            });
        };
        // `01`, `1.x`, `1ex`: a digit or part of a number right after a
        // complete one is malformed; `1.`, `1e`, `1e+` at the very end are
        // cut off (more text could complete them).
        if let Some(&c) = rest.get(n) {
            if c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E') {
                let mut tail = n + 1;
                if matches!(c, b'e' | b'E') && matches!(rest.get(tail), Some(b'+' | b'-')) {
                    tail += 1;
                }
                if !c.is_ascii_digit() && tail == rest.len() {
                    return Err(err(JsonErrorKind::Truncated, self.b.len()));
                }
                return Err(err(JsonErrorKind::InvalidNumber, start + n));
            }
        }
        let text = &self.src[start..start + n];
        if !number_in_range(text) {
            return Err(err(JsonErrorKind::InvalidNumber, start));
        }
        self.pos = start + n;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let e = |s: &str| escape(s.as_bytes(), 0);
        assert_eq!(e(r"\n"), Ok((2, '\n')));
        assert_eq!(e(r"\/x"), Ok((2, '/')));
        assert_eq!(e(r"\u00e9"), Ok((6, 'é')));
        assert_eq!(e(r"\uD83D\uDE00"), Ok((12, '😀')));
        // Decided by the bytes that are there.
        assert_eq!(e(r"\ud800"), Err(Bad::Truncated));
        assert_eq!(e(r"\ud800x"), Err(Bad::Invalid));
        assert_eq!(e(r"\ud800\n"), Err(Bad::Invalid));
        assert_eq!(e(r"\ud800\u"), Err(Bad::Truncated));
        assert_eq!(e(r"\ud800\ud800"), Err(Bad::Invalid));
        assert_eq!(e(r"\udc00"), Err(Bad::Invalid));
        assert_eq!(e(r"\u12G"), Err(Bad::Invalid));
        assert_eq!(e(r"\u12"), Err(Bad::Truncated));
        assert_eq!(e(r"\x"), Err(Bad::Invalid));
        assert_eq!(e(r"\"), Err(Bad::Truncated));
    }

    #[test]
    fn unescaping_never_panics_on_bad_escapes() {
        let mut out = String::new();
        unescape_into(r#"a\"b\u00e9\ud83d\ude00c"#, &mut out);
        assert_eq!(out, "a\"bé😀c");
        unescape_into(r"x\ud800é\", &mut out);
        assert_eq!(out, "x\u{FFFD}ud800é\u{FFFD}");
        unescape_into(r"\é", &mut out);
        assert_eq!(out, "\u{FFFD}é");
    }

    #[test]
    fn number_syntax() {
        assert_eq!(number_len(b"0"), Some(1));
        assert_eq!(number_len(b"-0.5e+3x"), Some(7));
        assert_eq!(number_len(b"01"), Some(1));
        assert_eq!(number_len(b"1."), Some(1));
        assert_eq!(number_len(b"+1"), None);
        assert_eq!(number_len(b"-"), None);
        assert_eq!(number_len(b".5"), None);
        assert!(number_in_range("1e308") && number_in_range("1e-400"));
        assert!(!number_in_range("1e400") && !number_in_range(&"9".repeat(400)));
    }

    /// The validator is the scanner without an index: on any bytes, it
    /// gives exactly the scanner's verdict, error kind and offset.
    #[test]
    fn validate_agrees_with_the_scanner() {
        let scanner = crate::Filter::parse("a.b pr or c eq 1").unwrap();
        let check = |bytes: &[u8]| {
            let want = scanner.matches_json(bytes).map(|_| ());
            assert_eq!(
                validate(bytes),
                want,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        };
        for text in [
            &b"{}"[..],
            b" {\"a\" : [1, {\"b\": null}], \"c\": -0.5e3}\n",
            b"{\"a\":[1,]}",
            b"{\"a\" 1}",
            b"{,}",
            b"[1,2",
            b"{\"a\":tru",
            b"{\"a\":trux}",
            b"{\"a\":\"\\ud800\"}",
            b"{\"a\":01}",
            b"{\"a\":1.}",
            b"{\"a\":\"\xff\"",
            b"{\"a\":1}}",
            b"{\"a\":1} x",
            b"\"s\"",
            b"",
            b"   ",
        ] {
            check(text);
        }
        // Bytes from JSON's own alphabet, where every rule is reachable.
        let alphabet: Vec<u8> = b"{}[]\":, \n\\u0123456789abcdefn.eE+-tfrlsx\xc3\xa9\xff".to_vec();
        let bytes = proptest::collection::vec(proptest::sample::select(alphabet), 0..40);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&bytes, |b| {
                check(&b);
                Ok(())
            })
            .unwrap();
        // Prefixes and one-byte changes of a valid event.
        let event = br#"{"a":{"b":[true,false,null,"x\u00e9\n"]},"c":[[1,-2.5e-3],{}],"d":""}"#;
        for i in 0..=event.len() {
            check(&event[..i]);
            for c in [b'"', b'}', b']', b',', b':', b'1', b' ', 0xff] {
                let mut e = event.to_vec();
                if i < e.len() {
                    e[i] = c;
                    check(&e);
                }
            }
        }
    }

    #[test]
    fn strings_are_written_as_json_reads_them() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\n\u{1}\u{7f}é/").unwrap();
        assert_eq!(out, "\"a\\\"b\\\\c\\n\\u0001\u{7f}é/\"");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}\u{7f}é/");
    }
}
