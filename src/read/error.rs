//! What goes wrong reading: a bad value (reading goes on), or an error
//! that ends the input.

use std::fmt;
use std::io;

/// A value that is not an event, or is malformed: reading goes on after it.
///
/// ```
/// use oktaql::read::{Error, Reader};
///
/// let text = b"{\"eventType\":\"user.session.start\"}\n\"a string\"\n";
/// let bad: Vec<_> = Reader::new(&text[..])?
///     .filter_map(|item| match item {
///         Err(Error::Bad(b)) => Some(b),
///         _ => None,
///     })
///     .collect();
/// assert_eq!((bad[0].line, bad[0].end_line), (2, 2));
/// assert_eq!(bad[0].message, "a string at the top level, not an object");
/// assert_eq!(bad[0].to_string(), "line 2: a string at the top level, not an object");
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadValue {
    /// The line where the value starts (1-based).
    pub line: u64,
    /// The last line skipped with it (at least `line`).
    pub end_line: u64,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)?;
        if self.end_line > self.line {
            write!(f, " (lines {}-{} skipped)", self.line, self.end_line)?;
        }
        Ok(())
    }
}

/// What can go wrong reading events.
///
/// ```
/// use oktaql::read::{Error, Reader};
///
/// // A zip archive is named, not read.
/// let err = Reader::new(&b"PK\x03\x04rest of a zip file"[..]).unwrap_err();
/// assert!(matches!(err, Error::NotJson(_)));
/// assert!(!err.is_bad_value());
/// assert_eq!(err.to_string(), "not JSON text (zip archive)");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One value is bad; the reader goes on with the next.
    #[error("{0}")]
    Bad(
        /// The value, its line and what is wrong.
        BadValue,
    ),
    /// The input is not JSON text (a zip archive, binary data, ...); says
    /// what it looks like. The reader stops.
    #[error("not JSON text ({0})")]
    NotJson(
        /// What the input looks like (`zip archive`).
        String,
    ),
    /// Reading or decompressing failed (a truncated gzip stream, an I/O
    /// error). The events before it were delivered; the reader stops.
    #[error("{}", io_message(.0))]
    Io(
        /// The error from reading or decoding.
        #[from]
        io::Error,
    ),
}

impl Error {
    /// Whether the reader goes on after this error (a bad value).
    ///
    /// ```
    /// use oktaql::read::Reader;
    ///
    /// let mut items = Reader::new(&b"42\n{\"eventType\":\"user.session.start\"}\n"[..])?;
    /// assert!(items.next().unwrap().unwrap_err().is_bad_value());
    /// // The reader goes on after it.
    /// assert_eq!(items.next().unwrap()?.line(), 2);
    /// # Ok::<(), oktaql::read::Error>(())
    /// ```
    pub fn is_bad_value(&self) -> bool {
        matches!(self, Error::Bad(_))
    }
}

/// An io::Error as a person reads it: without the `(os error 2)`.
///
/// ```
/// use oktaql::read::io_message;
///
/// let e = std::fs::File::open("/no/such/okta-events.json").unwrap_err();
/// assert!(e.to_string().contains("(os error"));
/// assert!(!io_message(&e).contains("(os error"));
/// assert!(io_message(&e).starts_with("No such file or directory"));
/// ```
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}
