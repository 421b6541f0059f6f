//! zstd input, frame after frame, with ruzstd (pure Rust).
//!
//! ruzstd keeps a frame's last window (up to the window size, megabytes)
//! until the frame ends, for back-references. A stream cut inside a frame
//! would take that window with it: every event decoded since. So the
//! decoder is fed through [`Blocks`], which hands it one whole block at a
//! time and, where the stream ends inside a block, an empty last block
//! instead: the frame then ends at its last whole block, everything decoded
//! before the damage is delivered, and the truncation is reported after it.

use std::io::{self, BufRead, Read};

/// The decoded stream of every frame in `R`.
pub struct Zstd<R> {
    src: Blocks<R>,
    dec: ruzstd::FrameDecoder,
    /// A frame is being decoded.
    open: bool,
    /// An error to report once the bytes decoded before it are read.
    err: Option<io::Error>,
}

impl<R: BufRead> Zstd<R> {
    pub fn new(src: R) -> Zstd<R> {
        Zstd {
            src: Blocks {
                src,
                mode: Mode::Header,
                descriptor: None,
                header_bytes: 0,
                block: Vec::new(),
                at: 0,
                truncated: false,
            },
            dec: ruzstd::FrameDecoder::new(),
            open: false,
            err: None,
        }
    }

    fn fail(&mut self, e: impl std::fmt::Display) -> io::Error {
        // Damage at the end of the input is a truncated stream.
        let at_end = matches!(self.src.src.fill_buf(), Ok(b) if b.is_empty());
        if at_end || self.src.truncated {
            truncated()
        } else {
            io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"))
        }
    }
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "zstd: the compressed stream is truncated",
    )
}

impl<R: BufRead> Read for Zstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.dec.can_collect() == 0 {
                if let Some(e) = self.err.take() {
                    return Err(e);
                }
            }
            if !self.open {
                if self.src.truncated {
                    // The frame cut short has been delivered up to its
                    // last whole block.
                    self.src.truncated = false;
                    self.err = Some(truncated());
                    continue;
                }
                if self.src.src.fill_buf()?.is_empty() {
                    return Ok(0);
                }
                self.src.mode = Mode::Header;
                self.src.header_bytes = 0;
                match self.dec.reset(&mut self.src) {
                    Ok(()) => {
                        self.open = true;
                        self.src.mode = Mode::Blocks;
                    }
                    Err(e) => return Err(self.fail(e)),
                }
            }
            while self.err.is_none()
                && self.dec.can_collect() < buf.len()
                && !self.dec.is_finished()
            {
                let need = buf.len() - self.dec.can_collect();
                if let Err(e) = self.dec.decode_blocks(
                    &mut self.src,
                    ruzstd::BlockDecodingStrategy::UptoBytes(need),
                ) {
                    self.err = Some(self.fail(e));
                }
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.err.is_some() {
                continue;
            }
            if self.dec.is_finished() && self.dec.can_collect() == 0 {
                self.open = false;
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// The frame header: passed through as it is.
    Header,
    /// The blocks: one whole block at a time.
    Blocks,
    /// After the frame's last block, until the next frame header.
    Done,
}

/// What the decoder reads: the frame header as it is, then whole blocks
/// (see the module docs).
struct Blocks<R> {
    src: R,
    mode: Mode,
    /// The frame header's descriptor byte (the fifth), once passed.
    descriptor: Option<u8>,
    header_bytes: usize,
    /// The block being handed over (with the frame's checksum after the
    /// last block), and how much of it has been.
    block: Vec<u8>,
    at: usize,
    /// The stream ended inside a block: an empty last block was handed
    /// over in its place.
    truncated: bool,
}

impl<R: BufRead> Blocks<R> {
    /// Reads as much of `n` bytes as there are, appending to `block`;
    /// false when the stream ends first.
    fn take(&mut self, n: usize) -> io::Result<bool> {
        let want = self.block.len() + n;
        while self.block.len() < want {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let k = buf.len().min(want - self.block.len());
            self.block.extend_from_slice(&buf[..k]);
            self.src.consume(k);
        }
        Ok(true)
    }

    /// Loads the next whole block (and the checksum after the last).
    fn load(&mut self) -> io::Result<()> {
        self.block.clear();
        self.at = 0;
        let checksum = self.descriptor.is_some_and(|d| d & 0b100 != 0);
        let whole = self.take(3)? && {
            let h = u32::from_le_bytes([self.block[0], self.block[1], self.block[2], 0]);
            let (last, kind, size) = (h & 1 == 1, (h >> 1) & 3, (h >> 3) as usize);
            // Raw and compressed blocks carry `size` bytes, RLE blocks one;
            // a reserved type is left to the decoder to reject.
            let body = match kind {
                0 | 2 => size,
                1 => 1,
                _ => 0,
            };
            let tail = if last && checksum { 4 } else { 0 };
            if last {
                self.mode = Mode::Done;
            }
            self.take(body + tail)?
        };
        if !whole {
            // An empty raw block that ends the frame (and a checksum the
            // decoder reads but does not check).
            self.block.clear();
            self.block.extend_from_slice(&[1, 0, 0]);
            if checksum {
                self.block.extend_from_slice(&[0; 4]);
            }
            self.mode = Mode::Done;
            self.truncated = true;
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Blocks<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.mode {
            Mode::Header => {
                let n = self.src.read(buf)?;
                // The descriptor follows the 4-byte magic number.
                if self.header_bytes <= 4 && self.header_bytes + n > 4 {
                    self.descriptor = Some(buf[4 - self.header_bytes]);
                }
                self.header_bytes += n;
                Ok(n)
            }
            Mode::Blocks | Mode::Done => {
                if self.at == self.block.len() {
                    if self.mode == Mode::Done {
                        return Ok(0);
                    }
                    self.load()?;
                }
                let n = buf.len().min(self.block.len() - self.at);
                buf[..n].copy_from_slice(&self.block[self.at..self.at + n]);
                self.at += n;
                Ok(n)
            }
        }
    }
}
