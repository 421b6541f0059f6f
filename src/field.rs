//! [`Field`]: what `--fields` (or an embedding tool) pulls out of an event:
//! an attribute path, or a value path that picks array elements by a filter
//! and then a path inside them, `target[type eq "User"].alternateId`.

use crate::error::{JsonError, ParseError, ParseErrorKind};
use crate::path::Path;
use crate::Filter;

/// An attribute path, or `path[filter].path`: the values at the second path
/// inside the objects at the first that match the filter (written relative
/// to them, as inside a filter's value path).
///
/// ```
/// use oktaql::Field;
///
/// let f = Field::parse(r#"target[type eq "User"].alternateId"#)?;
/// let event = br#"{"target":[{"type":"AppInstance","alternateId":"app"},
///                            {"type":"User","alternateId":"ann@example.com"}]}"#;
/// assert_eq!(f.raw_values(event)?, [&br#""ann@example.com""#[..]]);
/// assert_eq!(f.to_string(), r#"target[type eq "User"].alternateId"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    path: Path,
    select: Option<Select>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Select {
    filter: Filter,
    /// Inside the selected objects; `None`: the objects themselves.
    then: Option<Path>,
}

impl Field {
    /// Parses `a.b`, `a.b[filter]` or `a.b[filter].c.d`.
    ///
    /// ```
    /// use oktaql::Field;
    ///
    /// assert!(Field::parse("actor.alternateId")?.as_path().is_some());
    /// assert!(Field::parse(r#"target[type eq "User"]"#)?.as_path().is_none());
    /// assert!(Field::parse(r#"target[type eq "User"].alternateId"#).is_ok());
    /// // The filter inside the brackets must parse.
    /// assert!(Field::parse(r#"target[type eq]"#).is_err());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Field, ParseError> {
        let Some(open) = text.find('[') else {
            return Ok(Field {
                path: Path::parse(text)?,
                select: None,
            });
        };
        let shift = |e: ParseError, by: usize| {
            let span = e.span();
            ParseError::new(e.kind(), text, span.start + by, span.end + by)
        };
        let path = Path::parse(&text[..open]).map_err(|e| shift(e, 0))?;
        let close = closing_bracket(text, open).ok_or_else(|| {
            ParseError::new(
                ParseErrorKind::UnclosedBracket,
                text,
                text.len(),
                text.len(),
            )
        })?;
        let filter = Filter::parse(&text[open + 1..close]).map_err(|e| shift(e, open + 1))?;
        let rest = &text[close + 1..];
        let then = match rest.strip_prefix('.') {
            None if rest.trim().is_empty() => None,
            None => {
                return Err(ParseError::new(
                    ParseErrorKind::InvalidAttribute,
                    text,
                    close + 1,
                    text.len(),
                ))
            }
            Some(p) => Some(Path::parse(p).map_err(|e| shift(e, close + 2))?),
        };
        Ok(Field {
            path,
            select: Some(Select { filter, then }),
        })
    }

    /// The values of this field in an event given as its JSON text, each as
    /// the exact bytes written, in document order (see
    /// [`Path::raw_values`]). Malformed JSON is an `Err`.
    ///
    /// ```
    /// use oktaql::Field;
    ///
    /// let users = Field::parse(r#"target[type eq "User"]"#)?;
    /// let event = br#"{"target":[{"type":"User","id":"00u1"},{"type":"Group","id":"00g1"}]}"#;
    /// assert_eq!(users.raw_values(event)?, [&br#"{"type":"User","id":"00u1"}"#[..]]);
    /// assert!(users.raw_values(br#"{"target":["#).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn raw_values<'e>(&self, event: &'e [u8]) -> Result<Vec<&'e [u8]>, JsonError> {
        let found = self.path.raw_values(event)?;
        let Some(select) = &self.select else {
            return Ok(found);
        };
        let mut out = Vec::new();
        for element in found {
            // Only objects are looked into, as in a filter's value path.
            if element.first() != Some(&b'{') || !select.filter.matches_json(element)? {
                continue;
            }
            match &select.then {
                None => out.push(element),
                Some(p) => out.extend(p.raw_values(element)?),
            }
        }
        Ok(out)
    }

    /// The plain attribute path, when the field is one.
    ///
    /// ```
    /// use oktaql::{Field, Path};
    ///
    /// let f = Field::parse("outcome.result")?;
    /// assert_eq!(f.as_path(), Some(&Path::parse("outcome.result")?));
    /// assert_eq!(Field::parse(r#"target[type eq "User"].id"#)?.as_path(), None);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn as_path(&self) -> Option<&Path> {
        self.select.is_none().then_some(&self.path)
    }
}

/// The `]` that closes the `[` at `open`, skipping strings.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The canonical text: the path, the filter in canonical form, the path
/// after it.
impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(s) = &self.select {
            write!(f, "[{}]", s.filter)?;
            if let Some(p) = &s.then {
                write!(f, ".{p}")?;
            }
        }
        Ok(())
    }
}
