//! Candidate values and the comparison rules shared by both evaluators.

use crate::error::ParseError;

/// A dotted attribute path, usable on its own to pull values out of events
/// (the command's `--fields`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    names: Vec<String>,
}

impl Path {
    /// Parses `a.b.c` with the filter grammar's rules for attribute paths.
    pub fn parse(text: &str) -> Result<Path, ParseError> {
        let _ = text;
        todo!()
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
        let _ = event;
        todo!()
    }
}
