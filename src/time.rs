//! RFC 3339 date-times and full dates, compared as instants.

/// An instant: seconds and nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` or `YYYY-MM-DD`.
    pub fn parse(_s: &str) -> Option<Timestamp> {
        todo!()
    }
}
