//! [`Path`]: a dotted attribute path on its own, outside a filter (the
//! command's `--fields`, an embedding tool's columns). It parses with the
//! filter grammar's rules for paths and finds values the way a filter does;
//! `extract.rs` adds the same over an event's raw bytes.

use crate::error::ParseError;
use crate::value::for_each_at;

/// A dotted attribute path, usable on its own to pull values out of events
/// (the command's `--fields`).
///
/// ```
/// use oktaql::Path;
/// use serde_json::json;
///
/// let p: Path = Path::parse("actor.alternateId")?;
/// let event = json!({"eventType": "user.session.start", "actor": {"alternateId": "alice@example.com"}});
/// assert_eq!(p.values(&event), [&json!("alice@example.com")]);
/// assert_eq!(p.to_string(), "actor.alternateId");
/// # Ok::<(), oktaql::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    names: Vec<String>,
}

impl Path {
    /// Parses `a.b.c` with the filter grammar's rules for attribute paths.
    ///
    /// ```
    /// use oktaql::Path;
    ///
    /// assert_eq!(Path::parse("debugContext.debugData.requestUri")?.names().len(), 3);
    /// assert!(Path::parse("actor.").is_err());
    /// assert!(Path::parse(r#"eventType eq "x""#).is_err());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Path, ParseError> {
        crate::parse::parse_path(text).map(|p| Path { names: p.names })
    }

    /// A path of names that are already known to be valid.
    pub(crate) fn from_names(names: Vec<String>) -> Path {
        Path { names }
    }

    /// The path's names, in order.
    ///
    /// ```
    /// use oktaql::Path;
    ///
    /// assert_eq!(Path::parse("outcome.result")?.names(), ["outcome", "result"]);
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The candidate values at this path, as a filter sees them: arrays met
    /// on the way or at the end stand for their elements (nested arrays
    /// flatten); a missing key or a scalar mid-path gives nothing. Nulls are
    /// included.
    ///
    /// ```
    /// use oktaql::Path;
    /// use serde_json::json;
    ///
    /// let event = json!({
    ///     "target": [
    ///         {"type": "User", "alternateId": "alice@example.com"},
    ///         {"type": "AppInstance", "alternateId": null},
    ///         {"type": "Group"}
    ///     ]
    /// });
    /// let ids = Path::parse("target.alternateId")?.values(&event);
    /// assert_eq!(ids, [&json!("alice@example.com"), &json!(null)]);
    /// assert!(Path::parse("actor.id")?.values(&event).is_empty());
    /// # Ok::<(), oktaql::ParseError>(())
    /// ```
    pub fn values<'v>(&self, event: &'v serde_json::Value) -> Vec<&'v serde_json::Value> {
        let mut out = Vec::new();
        let Ok(_) = for_each_at(&event, &self.names, &mut |v, _| {
            out.push(*v);
            Ok(false)
        });
        out
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names.join("."))
    }
}
