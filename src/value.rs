//! Candidate values and the comparison rules shared by both evaluators.

/// A dotted attribute path, usable on its own to pull values out of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    names: Vec<String>,
}
