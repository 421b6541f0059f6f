//! Literal prefilter: reject events that cannot contain what the filter needs.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {}

impl Prefilter {
    pub(crate) fn may_match(&self, _event: &[u8]) -> bool {
        true
    }
}
