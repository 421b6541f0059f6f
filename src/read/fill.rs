//! Reading: the reader's options, filling batches from the decoded text,
//! and the one-event-at-a-time iterators.

use std::io::{self, Read};

use super::*;

impl<R: Read> Reader<R> {
    /// Looks at the first bytes (compression, encoding, binary formats) and
    /// returns a reader of the decoded text, or [`Error::NotJson`] (or
    /// [`Error::Io`] when reading fails).
    ///
    /// ```
    /// use oktaql::read::{Encoding, Reader};
    ///
    /// // UTF-16 LE with a byte-order mark, as Windows PowerShell writes it.
    /// let text: Vec<u8> = "\u{feff}{\"eventType\":\"user.session.start\"}\n"
    ///     .encode_utf16()
    ///     .flat_map(u16::to_le_bytes)
    ///     .collect();
    /// let mut reader = Reader::new(&text[..])?;
    /// assert_eq!(reader.format().encoding, Encoding::Utf16Le);
    /// assert_eq!(reader.next().unwrap()?.bytes(), br#"{"eventType":"user.session.start"}"#);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn new(inner: R) -> Result<Reader<R>, Error> {
        let (mut src, format, mut head) = decode::open(inner)?;
        let mut ends = decode::LineEnds::default();
        // A first line break that is a CR at the end of the first bytes is
        // told from a CR LF by the byte after it.
        while ends.needs_more(&head) {
            let mut next = [0u8; 1];
            match read_retry(&mut src, &mut next) {
                Ok(1) => head.push(next[0]),
                Ok(_) => break,
                Err(e) => return Err(Error::Io(e)),
            }
        }
        let len = ends.convert(&mut head);
        head.truncate(len);
        Ok(Reader::with_text(src, format, head, ends))
    }

    /// A reader of decoded text (`head` first, then `src`).
    pub(super) fn with_text(
        src: decode::Source<R>,
        format: Format,
        head: Vec<u8>,
        ends: decode::LineEnds,
    ) -> Reader<R> {
        let prompt = format.compression == Compression::None
            && !matches!(format.encoding, Encoding::Utf16Le | Encoding::Utf16Be);
        Reader {
            src,
            format,
            max_event: DEFAULT_MAX_EVENT,
            batch: DEFAULT_BATCH,
            prompt,
            ends_nl: head.last() == Some(&b'\n'),
            ends,
            objects_first: false,
            values_only: false,
            carry: head,
            resume: 0,
            offset: 0,
            line: 1,
            mode: Mode::Line,
            line_start: true,
            skipping: None,
            outer: Outer::Top,
            arrays: 0,
            inner: Inner::Value,
            tok: Tok::None,
            stack: Stack::default(),
            unit: None,
            floor: 0,
            started: false,
            pending: None,
            done: false,
            own: Batch::default(),
            pos: Pos::default(),
        }
    }

    /// Sets the longest event (or line) kept, in bytes.
    ///
    /// ```
    /// use oktaql::read::{Error, Reader};
    ///
    /// let text = b"{\"eventType\":\"user.session.start\",\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}\n{\"a\":1}\n";
    /// let items: Vec<_> = Reader::new(&text[..])?.max_event(32).collect();
    /// assert!(matches!(&items[0], Err(Error::Bad(b)) if b.line == 1));
    /// assert_eq!(items[1].as_ref().unwrap().bytes(), b"{\"a\":1}");
    /// # Ok::<(), Error>(())
    /// ```
    pub fn max_event(mut self, bytes: usize) -> Self {
        self.max_event = bytes.max(1);
        self
    }

    /// Sets the size of reads and batches.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let text = "{\"a\":1}\n".repeat(10_000);
    /// let mut reader = Reader::new(text.as_bytes())?.batch_size(4096);
    /// let (mut batches, mut events) = (0, 0);
    /// let mut batch = Batch::new();
    /// while reader.fill(&mut batch)? {
    ///     batches += 1;
    ///     events += batch.items().count();
    /// }
    /// assert_eq!(events, 10_000);
    /// assert!(batches > 1);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn batch_size(mut self, bytes: usize) -> Self {
        self.batch = bytes.max(16);
        self
    }

    /// Requires the text's first value to be an object or an array: any
    /// other first value (a number, a string...) makes the whole input an
    /// [`Error::NotJson`] instead of one bad value per line. For files found
    /// by walking a directory, where a TSV or CSV file beside the exports
    /// whose first line starts with a digit is not an export.
    ///
    /// ```
    /// use oktaql::read::{Error, Reader};
    ///
    /// let tsv = b"2024\tuser.session.start\n2025\tuser.session.end\n";
    /// // By default, each line is a bad value...
    /// let items: Vec<_> = Reader::new(&tsv[..])?.collect();
    /// assert!(items.iter().all(|i| matches!(i, Err(Error::Bad(_)))));
    /// // ...and with the option, the text is not JSON text, said once.
    /// let err = Reader::new(&tsv[..])?.objects_first(true).next().unwrap().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "not JSON text (its first value is a number, not an object or an array, on line 1)"
    /// );
    /// // An export is read as before.
    /// let ok = Reader::new(&b"[{\"a\":1}]"[..])?.objects_first(true).count();
    /// assert_eq!(ok, 1);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn objects_first(mut self, yes: bool) -> Self {
        self.objects_first = yes;
        self
    }

    /// Whether the input is read to its end (the last [`fill`](Self::fill)
    /// returned its events; the next would return `Ok(false)`).
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    ///
    /// let mut reader = Reader::new(&b"{\"a\":1}\n"[..])?;
    /// let mut batch = Batch::new();
    /// assert!(!reader.at_end());
    /// while reader.fill(&mut batch)? {}
    /// assert!(reader.at_end());
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn at_end(&self) -> bool {
        self.done && self.pending.is_none()
    }

    /// What was detected.
    ///
    /// ```
    /// use oktaql::read::{Compression, Encoding, Reader};
    ///
    /// let reader = Reader::new(&b"\xef\xbb\xbf{\"a\":1}\n"[..])?;
    /// assert_eq!(reader.format().compression, Compression::None);
    /// assert_eq!(reader.format().encoding, Encoding::Utf8Bom);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn format(&self) -> Format {
        self.format
    }

    /// Fills `batch` with the next events (its old content is dropped).
    /// `Ok(false)` at the end of the input. After an `Err` the reader is
    /// done; the events before a read error are delivered first.
    ///
    /// ```
    /// use oktaql::read::{Batch, Reader};
    /// use oktaql::Filter;
    ///
    /// let text = b"{\"outcome\":{\"result\":\"FAILURE\"}}\n{\"outcome\":{\"result\":\"SUCCESS\"}}\n";
    /// let filter = Filter::parse(r#"outcome.result eq "FAILURE""#)?;
    /// let mut reader = Reader::new(&text[..])?;
    /// let mut batch = Batch::new();
    /// let (mut looked_at, mut selected) = (0, 0);
    /// while reader.fill(&mut batch)? {
    ///     looked_at += batch.select(&filter, |_| selected += 1);
    /// }
    /// assert_eq!((looked_at, selected), (2, 1));
    /// assert!(!reader.fill(&mut batch)?); // the end stays the end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fill(&mut self, batch: &mut Batch) -> Result<bool, Error> {
        batch.parts.clear();
        batch.len = 0;
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Err(Error::Io(e));
        }
        if self.done {
            return Ok(false);
        }
        let want = self.batch.max(self.carry.len() + self.batch / 4);
        if batch.buf.len() < want {
            batch.buf.resize(want, 0);
        }
        let mut filled = self.carry.len();
        batch.buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut pos = std::mem::take(&mut self.resume);
        let mut short = false;
        let keep = loop {
            let keep = match self.process(batch, &mut pos, filled, false) {
                Ok(k) => k,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            };
            if !batch.parts.is_empty() && (filled >= self.batch || (self.prompt && short)) {
                break keep;
            }
            if filled == batch.buf.len() {
                if keep > 0 {
                    // Make room: the processed bytes go (there are no
                    // parts pointing at them, or we would have stopped).
                    if batch.parts.is_empty() {
                        self.rebase(batch, keep, &mut pos, &mut filled);
                    } else {
                        break keep;
                    }
                } else {
                    let grown = (batch.buf.len() * 2)
                        .min(self.max_event + self.batch)
                        .max(batch.buf.len() + self.batch);
                    batch.buf.resize(grown, 0);
                }
            }
            let asked = batch.buf.len() - filled;
            match read_text(&mut self.src, &mut self.ends, &mut batch.buf[filled..]) {
                Ok(0) => {
                    let r = self.process(batch, &mut pos, filled, true);
                    self.done = true;
                    batch.len = filled;
                    return r.map(|_| !batch.parts.is_empty());
                }
                Ok(n) => {
                    filled += n;
                    short = n < asked;
                    self.ends_nl = batch.buf[filled - 1] == b'\n';
                }
                Err(e) => {
                    // What was complete is delivered; the rest is damaged.
                    self.pending = Some(e);
                    if batch.parts.is_empty() {
                        self.done = true;
                        return Err(Error::Io(self.pending.take().expect("just set")));
                    }
                    break keep;
                }
            }
        };
        if self.pending.is_none() {
            self.carry.extend_from_slice(&batch.buf[keep..filled]);
            // The scanner has seen the carried bytes up to `pos`.
            self.resume = pos - keep;
        }
        self.offset += keep as u64;
        if let Some(u) = &mut self.unit {
            u.start -= keep;
        }
        batch.len = keep;
        Ok(true)
    }

    /// Drops the processed bytes `..keep` from the front of the buffer.
    pub(super) fn rebase(
        &mut self,
        batch: &mut Batch,
        keep: usize,
        pos: &mut usize,
        filled: &mut usize,
    ) {
        batch.buf.copy_within(keep..*filled, 0);
        *filled -= keep;
        *pos -= keep;
        self.offset += keep as u64;
        if let Some(u) = &mut self.unit {
            u.start -= keep;
        }
    }

    /// The next event (or bad value), borrowing the reader's buffer;
    /// `None` at the end. After an error other than [`Error::Bad`], `None`.
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let mut reader = Reader::new(&b"{\"a\":1}\n\"x\"\n{\"a\":2}\n"[..])?;
    /// let mut seen = Vec::new();
    /// while let Some(item) = reader.next_event() {
    ///     match item {
    ///         Ok(event) => seen.push(format!("event at {}", event.line())),
    ///         Err(e) if e.is_bad_value() => seen.push("bad".into()),
    ///         Err(e) => return Err(e),
    ///     }
    /// }
    /// assert_eq!(seen, ["event at 1", "bad", "event at 3"]);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn next_event(&mut self) -> Option<Result<Event<'_>, Error>> {
        let f = loop {
            if let Some(f) = step(&self.own, &mut self.pos) {
                break f;
            }
            let mut own = std::mem::take(&mut self.own);
            let r = self.fill(&mut own);
            self.own = own;
            self.pos = Pos::default();
            match r {
                Ok(true) => continue,
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        };
        Some(found(&self.own, f).map_err(|b| Error::Bad(b.clone())))
    }
}

/// Reads the next bytes of the text, CR line ends read as LF; 0 at the end.
pub(super) fn read_text(
    r: &mut impl Read,
    ends: &mut decode::LineEnds,
    buf: &mut [u8],
) -> io::Result<usize> {
    loop {
        let mut n = read_retry(r, buf)?;
        if n == 0 {
            return Ok(0);
        }
        // A first line break that is a CR at the end of the bytes read: the
        // byte after it decides (with no room left, CR line ends are taken).
        while n < buf.len() && ends.needs_more(&buf[..n]) {
            match read_retry(r, &mut buf[n..])? {
                0 => break,
                m => n += m,
            }
        }
        // Only a dropped LF (of a CR LF pair) is 0 bytes: read on.
        let n = ends.convert(&mut buf[..n]);
        if n > 0 {
            return Ok(n);
        }
    }
}

/// `read`, retried when interrupted.
pub(super) fn read_retry(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<OwnedEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event().map(|r| r.map(|e| e.to_owned()))
    }
}
