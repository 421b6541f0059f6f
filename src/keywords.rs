//! Okta's `q` keyword search.

/// Parsed keywords.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keywords {
    words: Vec<String>,
}

/// Keywords over Okta's limits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many keywords")]
pub struct KeywordError;
