//! Evaluate a program in one pass over an event's raw JSON bytes.
use crate::compile::Program;
use crate::error::JsonError;

pub(crate) fn matches_json(p: &Program, bytes: &[u8]) -> Result<bool, JsonError> {
    let _ = (p, bytes);
    todo!("scan")
}
