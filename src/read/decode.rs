//! From the input's bytes to UTF-8 text: compression and encoding by the
//! first bytes, binary formats named.

use std::io::{self, Read};

#[cfg(feature = "compression")]
use std::io::BufReader;

use super::{read_retry, Error};

/// The compression found by its magic bytes.
///
/// ```
/// use oktaql::read::{Compression, Reader};
///
/// assert_eq!(Reader::new(&b"{\"a\":1}\n"[..])?.format().compression, Compression::None);
/// # #[cfg(feature = "compression")]
/// # {
/// use std::io::Write;
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gz.write_all(b"{\"eventType\":\"user.session.start\"}\n")?;
/// let gz = gz.finish()?;
/// let mut reader = Reader::new(&gz[..])?;
/// assert_eq!(reader.format().compression, Compression::Gzip);
/// assert_eq!(reader.next().unwrap()?.bytes(), br#"{"eventType":"user.session.start"}"#);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (every member of a multi-member file).
    Gzip,
    /// Zstandard (every frame).
    Zstd,
}

/// The text encoding, from a byte-order mark.
///
/// ```
/// use oktaql::read::{Encoding, Reader};
///
/// assert_eq!(Reader::new(&b"{\"a\":1}"[..])?.format().encoding, Encoding::Utf8);
/// assert_eq!(Reader::new(&b"\xfe\xff\x00{\x00}"[..])?.format().encoding, Encoding::Utf16Be);
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 after a byte-order mark (skipped).
    Utf8Bom,
    /// UTF-16, little-endian, after its byte-order mark; decoded to UTF-8.
    Utf16Le,
    /// UTF-16, big-endian, after its byte-order mark; decoded to UTF-8.
    Utf16Be,
}

/// What [`Reader::new`](super::Reader::new) found.
///
/// ```
/// use oktaql::read::{Compression, Encoding, Format, Reader};
///
/// let format = Reader::new(&b"[{\"a\":1}]"[..])?.format();
/// assert_eq!(format, Format { compression: Compression::None, encoding: Encoding::Utf8 });
/// # Ok::<(), oktaql::read::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// The compression, by magic bytes.
    pub compression: Compression,
    /// The text encoding, by byte-order mark.
    pub encoding: Encoding,
}

/// Bytes read ahead, then the rest of the stream.
pub struct Prefixed<R> {
    head: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.head.len() {
            let n = buf.len().min(self.head.len() - self.at);
            buf[..n].copy_from_slice(&self.head[self.at..self.at + n]);
            self.at += n;
            if self.at == self.head.len() {
                self.head = Vec::new();
                self.at = 0;
            }
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// The decompressed stream.
pub enum Stream<R> {
    Plain(Prefixed<R>),
    #[cfg(feature = "compression")]
    Gzip(Box<flate2::read::MultiGzDecoder<BufReader<Prefixed<R>>>>),
    #[cfg(feature = "compression")]
    Zstd(Box<super::zstd::Zstd<BufReader<Prefixed<R>>>>),
}

impl<R: Read> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(r) => r.read(buf),
            #[cfg(feature = "compression")]
            Stream::Gzip(r) => r.read(buf).map_err(|e| {
                let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                    "the compressed stream is truncated".to_owned()
                } else {
                    super::io_message(&e)
                };
                io::Error::new(e.kind(), format!("gzip: {what}"))
            }),
            #[cfg(feature = "compression")]
            Stream::Zstd(r) => r.read(buf),
        }
    }
}

/// UTF-16 to UTF-8, streaming.
pub struct Utf16<S> {
    src: S,
    big_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_at: usize,
    eof: bool,
}

impl<S: Read> Read for Utf16<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_at == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.out_at = 0;
            let have = self.raw.len();
            self.raw.resize(have + (64 << 10), 0);
            let n = read_retry(&mut self.src, &mut self.raw[have..])?;
            self.raw.truncate(have + n);
            if n == 0 {
                self.eof = true;
            }
            // A byte-order mark read the other way round (U+FFFE, a
            // noncharacter) starts a part in the other byte order, as
            // `cat` of a little- and a big-endian file gives.
            let mut units: Vec<u16> = Vec::with_capacity(self.raw.len() / 2);
            let mut last_is_unit = false;
            for p in self.raw.chunks_exact(2) {
                let u = if self.big_endian {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                };
                last_is_unit = u != 0xFFFE;
                if last_is_unit {
                    units.push(u);
                } else {
                    self.big_endian = !self.big_endian;
                }
            }
            let mut used = self.raw.len() / 2 * 2;
            // A high surrogate at the end waits for its pair.
            if !self.eof
                && last_is_unit
                && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u))
            {
                units.pop();
                used -= 2;
            }
            let mut tmp = [0u8; 4];
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                self.out
                    .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            self.raw.drain(..used);
            if self.eof && !self.raw.is_empty() {
                // An odd byte at the end.
                self.raw.clear();
                self.out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// Text read as it is: no compression, UTF-8.
pub fn plain<R: Read>(inner: R) -> Source<R> {
    Source::Utf8(Stream::Plain(Prefixed {
        head: Vec::new(),
        at: 0,
        inner,
    }))
}

/// The decoded text the reader reads.
pub enum Source<R> {
    Utf8(Stream<R>),
    Utf16(Box<Utf16<Prefixed<Stream<R>>>>),
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Utf8(s) => s.read(buf),
            Source::Utf16(s) => s.read(buf),
        }
    }
}

/// The first read, whose bytes are checked for binary content.
const FIRST_BLOCK: usize = 16 << 10;

/// Reads until `head` holds at least `n` bytes or the input ends.
fn peek(r: &mut impl Read, head: &mut Vec<u8>, n: usize, block: usize) -> io::Result<()> {
    while head.len() < n {
        let have = head.len();
        head.resize(have + block, 0);
        let got = read_retry(r, &mut head[have..]);
        let got = match got {
            Ok(g) => g,
            Err(e) => {
                head.truncate(have);
                return Err(e);
            }
        };
        head.truncate(have + got);
        if got == 0 {
            break;
        }
    }
    Ok(())
}

/// Known binary formats by their first bytes.
fn binary_format(h: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"BZh", "bzip2-compressed data"),
        (b"\xFD7zXZ\x00", "xz-compressed data"),
        (b"PK\x03\x04", "zip archive"),
        (b"PK\x05\x06", "zip archive"),
        (b"7z\xBC\xAF\x27\x1C", "7z archive"),
        (b"\x04\x22\x4D\x18", "lz4-compressed data"),
        (b"\x1F\x9D", "compress (.Z) data"),
        (b"LZIP", "lzip-compressed data"),
        (b"PAR1", "Parquet file"),
        (b"ORC", "ORC file"),
        (b"Obj\x01", "Avro file"),
        (b"\x89PNG\r\n\x1A\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"\x7FELF", "ELF executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"\xFF\xFE\x00\x00", "UTF-32 text (convert it to UTF-8)"),
        (b"\x00\x00\xFE\xFF", "UTF-32 text (convert it to UTF-8)"),
    ];
    for (magic, name) in MAGICS {
        if h.starts_with(magic) {
            return Some(name);
        }
    }
    if h.len() >= 262 && &h[257..262] == b"ustar" {
        return Some("tar archive");
    }
    None
}

/// NUL or other control bytes in the first block: not text.
fn binary_block(h: &[u8]) -> Option<&'static str> {
    // NUL anywhere in the block (a fast search), other control bytes in
    // its first KiB.
    let bad = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C);
    if memchr::memchr(0, h).is_none() && !h[..h.len().min(1024)].iter().any(|&b| bad(b)) {
        return None;
    }
    // `{\0"\0` or `\0{\0"`: UTF-16 without a byte-order mark.
    let nul_odd = h.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let nul_even = h.iter().step_by(2).filter(|&&b| b == 0).count();
    let half = h.len() / 2;
    if half > 0 && (nul_odd * 10 >= half * 9 || nul_even * 10 >= half * 9) {
        Some("UTF-16 text without a byte-order mark")
    } else {
        Some("binary data")
    }
}

/// Opens `inner`: the decoded text, what was found, and the first decoded
/// bytes (to be read before the source).
pub fn open<R: Read>(mut inner: R) -> Result<(Source<R>, Format, Vec<u8>), Error> {
    let mut head = Vec::new();
    peek(&mut inner, &mut head, 8, FIRST_BLOCK)?;
    let compression = if head.starts_with(&[0x1F, 0x8B]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Compression::Zstd
    } else {
        Compression::None
    };
    if compression == Compression::None {
        // The bytes already read are the text's first bytes.
        let stream = Stream::Plain(Prefixed {
            head: Vec::new(),
            at: 0,
            inner,
        });
        return finish(stream, compression, head);
    }
    compressed(Prefixed { head, at: 0, inner }, compression)
}

#[cfg(not(feature = "compression"))]
fn compressed<R: Read>(
    _raw: Prefixed<R>,
    compression: Compression,
) -> Result<(Source<R>, Format, Vec<u8>), Error> {
    Err(Error::NotJson(format!(
        "{}-compressed data, and this build reads no compressed input",
        if compression == Compression::Gzip {
            "gzip"
        } else {
            "zstd"
        }
    )))
}

#[cfg(feature = "compression")]
fn compressed<R: Read>(
    raw: Prefixed<R>,
    compression: Compression,
) -> Result<(Source<R>, Format, Vec<u8>), Error> {
    let mut stream = if compression == Compression::Gzip {
        Stream::Gzip(Box::new(flate2::read::MultiGzDecoder::new(
            BufReader::with_capacity(256 << 10, raw),
        )))
    } else {
        Stream::Zstd(Box::new(super::zstd::Zstd::new(BufReader::with_capacity(
            256 << 10,
            raw,
        ))))
    };
    // The decoded text's first bytes.
    let mut text = Vec::new();
    peek(&mut stream, &mut text, 8, FIRST_BLOCK)?;
    finish(stream, compression, text)
}

/// The encoding and the checks on the decoded text's first bytes.
#[allow(clippy::type_complexity)]
fn finish<R: Read>(
    stream: Stream<R>,
    compression: Compression,
    mut text: Vec<u8>,
) -> Result<(Source<R>, Format, Vec<u8>), Error> {
    if let Some(name) = binary_format(&text) {
        return Err(Error::NotJson(name.to_owned()));
    }
    let encoding = if text.starts_with(b"\xEF\xBB\xBF") {
        text.drain(..3);
        Encoding::Utf8Bom
    } else if text.starts_with(b"\xFF\xFE") {
        Encoding::Utf16Le
    } else if text.starts_with(b"\xFE\xFF") {
        Encoding::Utf16Be
    } else {
        Encoding::Utf8
    };
    let format = Format {
        compression,
        encoding,
    };
    match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            text.drain(..2);
            let utf16 = Utf16 {
                src: Prefixed {
                    head: text,
                    at: 0,
                    inner: stream,
                },
                big_endian: encoding == Encoding::Utf16Be,
                raw: Vec::new(),
                out: Vec::new(),
                out_at: 0,
                eof: false,
            };
            Ok((Source::Utf16(Box::new(utf16)), format, Vec::new()))
        }
        _ => {
            if let Some(name) = binary_block(&text) {
                return Err(Error::NotJson(name.to_owned()));
            }
            Ok((Source::Utf8(stream), format, text))
        }
    }
}

/// Line ends, decided by the text's first line break: a CR not followed by
/// LF (old Mac OS, some Windows and macOS tools) makes every CR a line end,
/// read as LF (a CR LF pair stays one line end). A first line break that is
/// LF or CR LF leaves the text as it is, at no cost.
#[derive(Debug, Default)]
pub struct LineEnds {
    decided: bool,
    cr: bool,
    /// The last byte converted was a CR (its LF, if it comes, is dropped).
    after_cr: bool,
}

impl LineEnds {
    /// Line ends as they are (LF, CR LF), decided already: for text cut
    /// from a stream whose line ends were read.
    pub fn lf() -> LineEnds {
        LineEnds {
            decided: true,
            cr: false,
            after_cr: false,
        }
    }

    /// Whether `bytes` (the next bytes of the text) end with the first line
    /// break, a CR: the byte after it decides between CR and CR LF.
    pub fn needs_more(&self, bytes: &[u8]) -> bool {
        !self.decided
            && bytes.last() == Some(&b'\r')
            && memchr::memchr2(b'\r', b'\n', bytes) == Some(bytes.len() - 1)
    }

    /// Converts `bytes` (the next bytes of the text) in place; returns
    /// their new length (shorter by the LF of each CR LF pair in CR mode).
    pub fn convert(&mut self, bytes: &mut [u8]) -> usize {
        if !self.decided {
            match memchr::memchr2(b'\r', b'\n', bytes) {
                None => return bytes.len(),
                Some(k) => {
                    self.decided = true;
                    // A CR at the end of the bytes (see `needs_more`):
                    // the text ends there, or no more could be read.
                    self.cr = bytes[k] == b'\r' && bytes.get(k + 1) != Some(&b'\n');
                }
            }
        }
        if !self.cr {
            return bytes.len();
        }
        let mut w = 0;
        for r in 0..bytes.len() {
            let b = bytes[r];
            if b == b'\n' && self.after_cr {
                self.after_cr = false;
                continue;
            }
            self.after_cr = b == b'\r';
            bytes[w] = if self.after_cr { b'\n' } else { b };
            w += 1;
        }
        w
    }
}
