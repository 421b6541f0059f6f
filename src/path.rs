//! [`Path`]: a dotted attribute path on its own, outside a filter (the
//! command's `--fields`, an embedding tool's columns). It parses with the
//! filter grammar's rules for paths and finds values the way a filter does;
//! `extract.rs` adds the same over an event's raw bytes.

use crate::error::ParseError;
use crate::value::for_each_at;

/// A dotted attribute path, usable on its own to pull values out of events
/// (the command's `--fields`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    names: Vec<String>,
}

impl Path {
    /// Parses `a.b.c` with the filter grammar's rules for attribute paths.
    pub fn parse(text: &str) -> Result<Path, ParseError> {
        crate::parse::parse_path(text).map(|p| Path { names: p.names })
    }

    /// A path of names that are already known to be valid.
    pub(crate) fn from_names(names: Vec<String>) -> Path {
        Path { names }
    }

    /// The path's names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The candidate values at this path, as a filter sees them: arrays met
    /// on the way or at the end stand for their elements (nested arrays
    /// flatten); a missing key or a scalar mid-path gives nothing. Nulls are
    /// included.
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
