//! The System Log API request for a question asked offline: the path and
//! query of `GET /api/v1/logs` with Okta's parameters (`filter`, `q`,
//! `since`, `until`, `limit`, `sortOrder`), percent-encoded, and what the
//! API would say about the parameters themselves (the filter's own
//! findings come from [`check`](crate::check)).
//!
//! ```
//! use oktaql::url::{LogsQuery, SortOrder};
//! use oktaql::Timestamp;
//!
//! let q = LogsQuery::new()
//!     .filter(Some(r#"eventType eq "user.session.start""#.into()))
//!     .since(Timestamp::parse("2025-03-03").ok())
//!     .limit(Some(1000))
//!     .sort(Some(SortOrder::Descending));
//! assert_eq!(
//!     q.to_url(),
//!     "/api/v1/logs?filter=eventType%20eq%20%22user.session.start%22\
//!      &since=2025-03-03T00%3A00%3A00Z&limit=1000&sortOrder=DESCENDING"
//! );
//! ```
//!
//! The rules, from Okta's API reference (`data/okta/api-filter-rules.md`):
//! `since` and `until` are RFC 3339 date-times (a date is sent as its
//! midnight, UTC; without `since` Okta searches the 7 days before `until`,
//! which defaults to now); `limit` is 0 to 1000 (default 100); `sortOrder` is
//! `ASCENDING` (the default) or `DESCENDING`; `q` is at most 10 keywords of
//! at most 40 characters ([`Keywords`] enforces it); a `since` more than 180
//! days back is refused (E0000053), and events older than 90 days are gone
//! without an error.

use std::fmt;

use crate::check::Severity;
use crate::{Keywords, Timestamp};

/// The path of the System Log API.
///
/// ```
/// use oktaql::url::{LogsQuery, PATH};
///
/// assert_eq!(PATH, "/api/v1/logs");
/// assert_eq!(LogsQuery::new().to_url(), PATH);
/// ```
pub const PATH: &str = "/api/v1/logs";

/// The largest `limit` the API takes.
///
/// ```
/// use oktaql::url::{LogsQuery, MAX_LIMIT};
///
/// assert!(LogsQuery::new().limit(Some(MAX_LIMIT)).problems(0).is_empty());
/// assert_eq!(LogsQuery::new().limit(Some(MAX_LIMIT + 1)).problems(0)[0].code, "limit");
/// ```
pub const MAX_LIMIT: u32 = 1000;

/// How many days back `since` may go (E0000053 beyond).
///
/// ```
/// use oktaql::url::{LogsQuery, MAX_SINCE_DAYS};
/// use oktaql::Timestamp;
///
/// let now = Timestamp::parse("2025-09-01")?.unix_seconds();
/// // 2025-03-05 is 180 days before 2025-09-01, 2025-03-04 is 181.
/// assert_eq!((now - Timestamp::parse("2025-03-05")?.unix_seconds()) / 86_400, MAX_SINCE_DAYS);
/// let at = |since: &str| LogsQuery::new().since(Timestamp::parse(since).ok()).problems(now);
/// assert_eq!(at("2025-03-05")[0].code, "retention"); // a warning only
/// assert_eq!(at("2025-03-04")[0].code, "since-too-old");
/// # Ok::<(), oktaql::TimestampError>(())
/// ```
pub const MAX_SINCE_DAYS: i64 = 180;

/// How many days of events Okta keeps.
///
/// ```
/// use oktaql::url::{LogsQuery, RETENTION_DAYS};
/// use oktaql::Timestamp;
///
/// let now = Timestamp::parse("2025-09-01")?.unix_seconds();
/// let since = Timestamp::parse("2025-05-01")?; // 123 days back
/// assert!(123 > RETENTION_DAYS);
/// let problems = LogsQuery::new().since(Some(since)).problems(now);
/// assert_eq!(problems[0].code, "retention");
/// # Ok::<(), oktaql::TimestampError>(())
/// ```
pub const RETENTION_DAYS: i64 = 90;

/// `sortOrder`.
///
/// ```
/// use oktaql::url::{LogsQuery, SortOrder};
///
/// let q = LogsQuery::new().sort(Some(SortOrder::Ascending));
/// assert_eq!(q.to_url(), "/api/v1/logs?sortOrder=ASCENDING");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    /// `ASCENDING`: oldest first (Okta's default).
    Ascending,
    /// `DESCENDING`: newest first.
    Descending,
}

impl SortOrder {
    /// As the API spells it.
    ///
    /// ```
    /// use oktaql::url::SortOrder;
    ///
    /// assert_eq!(SortOrder::Descending.as_str(), "DESCENDING");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascending => "ASCENDING",
            SortOrder::Descending => "DESCENDING",
        }
    }
}

/// A `GET /api/v1/logs` request.
///
/// ```
/// use oktaql::url::LogsQuery;
/// use oktaql::Keywords;
///
/// let q = LogsQuery::new()
///     .filter(Some(r#"outcome.result eq "FAILURE""#.into()))
///     .keywords(Some(Keywords::parse("alice admin")?));
/// assert_eq!(
///     q.to_url(),
///     "/api/v1/logs?filter=outcome.result%20eq%20%22FAILURE%22&q=alice%20admin",
/// );
/// # Ok::<(), oktaql::KeywordError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogsQuery {
    filter: Option<String>,
    keywords: Option<Keywords>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    limit: Option<u32>,
    sort: Option<SortOrder>,
}

impl LogsQuery {
    /// A request with no parameters: Okta's defaults (the last 7 days, 100
    /// events a page, oldest first).
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    ///
    /// assert_eq!(LogsQuery::new().to_url(), "/api/v1/logs");
    /// assert_eq!(LogsQuery::new(), LogsQuery::default());
    /// ```
    pub fn new() -> LogsQuery {
        LogsQuery::default()
    }

    /// The `filter` parameter, as written (an empty or blank text is no
    /// filter).
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    ///
    /// let q = LogsQuery::new().filter(Some(r#"eventType sw "user.""#.into()));
    /// assert_eq!(q.to_url(), "/api/v1/logs?filter=eventType%20sw%20%22user.%22");
    /// // A blank filter is no filter.
    /// assert_eq!(LogsQuery::new().filter(Some("  ".into())).to_url(), "/api/v1/logs");
    /// ```
    #[must_use]
    pub fn filter(mut self, filter: Option<String>) -> LogsQuery {
        self.filter = filter.filter(|f| !f.trim().is_empty());
        self
    }

    /// `q`: the keywords, joined by single spaces.
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    /// use oktaql::Keywords;
    ///
    /// let q = LogsQuery::new().keywords(Some(Keywords::parse("  alice\tFAILURE ")?));
    /// assert_eq!(q.to_url(), "/api/v1/logs?q=alice%20FAILURE");
    /// # Ok::<(), oktaql::KeywordError>(())
    /// ```
    #[must_use]
    pub fn keywords(mut self, k: Option<Keywords>) -> LogsQuery {
        self.keywords = k;
        self
    }

    /// `since`: only events published at or after `t` (sent in UTC).
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    /// use oktaql::Timestamp;
    ///
    /// let q = LogsQuery::new().since(Some(Timestamp::parse("2025-03-03T09:00:00+01:00")?));
    /// assert_eq!(q.to_url(), "/api/v1/logs?since=2025-03-03T08%3A00%3A00Z");
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    #[must_use]
    pub fn since(mut self, t: Option<Timestamp>) -> LogsQuery {
        self.since = t;
        self
    }

    /// `until`: only events published before `t` (sent in UTC).
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    /// use oktaql::Timestamp;
    ///
    /// let q = LogsQuery::new().until(Some(Timestamp::parse("2025-03-04")?));
    /// assert_eq!(q.to_url(), "/api/v1/logs?until=2025-03-04T00%3A00%3A00Z");
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    #[must_use]
    pub fn until(mut self, t: Option<Timestamp>) -> LogsQuery {
        self.until = t;
        self
    }

    /// `limit`: events per page (see [`problems`](LogsQuery::problems) for
    /// the range).
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    ///
    /// assert_eq!(LogsQuery::new().limit(Some(500)).to_url(), "/api/v1/logs?limit=500");
    /// ```
    #[must_use]
    pub fn limit(mut self, n: Option<u32>) -> LogsQuery {
        self.limit = n;
        self
    }

    /// `sortOrder`: the order of the events.
    ///
    /// ```
    /// use oktaql::url::{LogsQuery, SortOrder};
    ///
    /// let q = LogsQuery::new().sort(Some(SortOrder::Descending));
    /// assert_eq!(q.to_url(), "/api/v1/logs?sortOrder=DESCENDING");
    /// ```
    #[must_use]
    pub fn sort(mut self, s: Option<SortOrder>) -> LogsQuery {
        self.sort = s;
        self
    }

    /// The request's path and query: `/api/v1/logs`, then the parameters
    /// given, in the order filter, q, since, until, limit, sortOrder, each
    /// value percent-encoded ([`percent_encode`]); dates as RFC 3339 in UTC.
    ///
    /// ```
    /// use oktaql::url::LogsQuery;
    /// use oktaql::Timestamp;
    ///
    /// // Parameters come in a fixed order, whatever the order of the calls.
    /// let q = LogsQuery::new()
    ///     .limit(Some(10))
    ///     .until(Some(Timestamp::parse("2025-03-04")?))
    ///     .filter(Some(r#"actor.alternateId eq "alice@example.com""#.into()));
    /// assert_eq!(
    ///     q.to_url(),
    ///     "/api/v1/logs?filter=actor.alternateId%20eq%20%22alice%40example.com%22\
    ///      &until=2025-03-04T00%3A00%3A00Z&limit=10",
    /// );
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    pub fn to_url(&self) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(f) = &self.filter {
            params.push(("filter", f.clone()));
        }
        if let Some(k) = &self.keywords {
            params.push(("q", k.words().join(" ")));
        }
        if let Some(t) = self.since {
            params.push(("since", t.to_string()));
        }
        if let Some(t) = self.until {
            params.push(("until", t.to_string()));
        }
        if let Some(n) = self.limit {
            params.push(("limit", n.to_string()));
        }
        if let Some(s) = self.sort {
            params.push(("sortOrder", s.as_str().to_owned()));
        }
        let mut out = PATH.to_owned();
        for (i, (name, value)) in params.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(name);
            out.push('=');
            out.push_str(&percent_encode(value));
        }
        out
    }

    /// What the API would say about the parameters, `now` being the time
    /// of the request (seconds since the Unix epoch): a `limit` above 1000
    /// and a `since` more than 180 days back are errors; a window reaching
    /// back past the 90 days of retention, or one that is empty (`since`
    /// not before `until`), is a warning.
    ///
    /// ```
    /// use oktaql::check::Severity;
    /// use oktaql::url::LogsQuery;
    /// use oktaql::Timestamp;
    ///
    /// let now = Timestamp::parse("2025-09-01")?.unix_seconds();
    /// let q = LogsQuery::new()
    ///     .since(Some(Timestamp::parse("2025-01-01")?)) // 243 days back
    ///     .limit(Some(5000));
    /// let problems = q.problems(now);
    /// let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    /// assert_eq!(codes, ["limit", "since-too-old"]);
    /// assert!(problems.iter().all(|p| p.severity == Severity::Error));
    /// assert!(LogsQuery::new().limit(Some(100)).problems(now).is_empty());
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    pub fn problems(&self, now_unix_seconds: i64) -> Vec<Problem> {
        const DAY: i64 = 86_400;
        let mut out = Vec::new();
        if let Some(n) = self.limit.filter(|&n| n > MAX_LIMIT) {
            out.push(Problem {
                code: "limit",
                severity: Severity::Error,
                message: format!("the API takes a limit of 0 to {MAX_LIMIT}, not {n}"),
                help: Some(
                    "ask for pages of at most 1000 events and follow the `next` links".into(),
                ),
            });
        }
        if let Some(t) = self.since {
            let days = (now_unix_seconds - t.unix_seconds()) / DAY;
            if now_unix_seconds - t.unix_seconds() > MAX_SINCE_DAYS * DAY {
                out.push(Problem {
                    code: "since-too-old",
                    severity: Severity::Error,
                    message: format!(
                        "the API rejects a since more than {MAX_SINCE_DAYS} days back \
                         (E0000053); {t} is {days} days back"
                    ),
                    help: Some(format!(
                        "Okta keeps {RETENTION_DAYS} days of events: search older exports offline"
                    )),
                });
            } else if now_unix_seconds - t.unix_seconds() > RETENTION_DAYS * DAY {
                out.push(Problem {
                    code: "retention",
                    severity: Severity::Warning,
                    message: format!(
                        "Okta keeps {RETENTION_DAYS} days of events; those before \
                         {RETENTION_DAYS} days back are gone without an error"
                    ),
                    help: None,
                });
            }
        }
        if let (Some(s), Some(u)) = (self.since, self.until) {
            if s >= u {
                out.push(Problem {
                    code: "empty-window",
                    severity: Severity::Warning,
                    message: format!(
                        "since {s} is not before until {u}: no event is in the window"
                    ),
                    help: None,
                });
            }
        }
        out
    }
}

/// Something the API would say about a request's parameters.
///
/// ```
/// use oktaql::url::LogsQuery;
/// use oktaql::Timestamp;
///
/// let q = LogsQuery::new()
///     .since(Some(Timestamp::parse("2025-03-04")?))
///     .until(Some(Timestamp::parse("2025-03-03")?));
/// let now = Timestamp::parse("2025-03-05")?.unix_seconds();
/// let p = &q.problems(now)[0];
/// assert_eq!(p.code, "empty-window");
/// assert_eq!(
///     p.to_string(),
///     "warning[empty-window]: since 2025-03-04T00:00:00Z is not before until 2025-03-03T00:00:00Z: \
///      no event is in the window",
/// );
/// # Ok::<(), oktaql::TimestampError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `limit`, `since-too-old`, `retention` or `empty-window`.
    pub code: &'static str,
    /// An error (the API refuses the request) or a warning (it answers, maybe
    /// not what was meant).
    pub severity: Severity,
    /// What is wrong, in words.
    pub message: String,
    /// What to do instead, when there is advice.
    pub help: Option<String>,
}

/// `error[since-too-old]: message`, then `help: ...`.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\nhelp: {h}")?;
        }
        Ok(())
    }
}

/// Percent-encodes a query value: every byte of its UTF-8 but the
/// unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`
/// (upper-case hex), so a space is `%20` (never `+`), a quote `%22`, and
/// `&`, `=`, `+`, `#`, `%` cannot be misread.
///
/// ```
/// use oktaql::url::percent_encode;
///
/// assert_eq!(percent_encode(r#"a eq "b&c=d""#), "a%20eq%20%22b%26c%3Dd%22");
/// assert_eq!(percent_encode("é~._-"), "%C3%A9~._-");
/// ```
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding() {
        assert_eq!(percent_encode("a b\"c"), "a%20b%22c");
        assert_eq!(percent_encode("a+b&c=d#e%f"), "a%2Bb%26c%3Dd%23e%25f");
        assert_eq!(percent_encode("é/"), "%C3%A9%2F");
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn parameters() {
        let q = LogsQuery::new();
        assert_eq!(q.to_url(), "/api/v1/logs");
        let q = LogsQuery::new()
            .filter(Some("  ".into()))
            .keywords(Some(Keywords::parse("alice  admin").unwrap()))
            .until(Timestamp::parse("2025-03-03T10:00:00.5+02:00").ok())
            .limit(Some(0))
            .sort(Some(SortOrder::Ascending));
        assert_eq!(
            q.to_url(),
            "/api/v1/logs?q=alice%20admin&until=2025-03-03T08%3A00%3A00.5Z&limit=0&sortOrder=ASCENDING"
        );
    }

    #[test]
    fn problems() {
        let now = Timestamp::parse("2025-07-01").unwrap().unix_seconds();
        let codes = |q: LogsQuery| -> Vec<&'static str> {
            q.problems(now).into_iter().map(|p| p.code).collect()
        };
        assert!(codes(LogsQuery::new().limit(Some(1000))).is_empty());
        assert_eq!(codes(LogsQuery::new().limit(Some(1001))), ["limit"]);
        // 2025-01-01 is 181 days before 2025-07-01; 2025-01-02 is 180.
        assert_eq!(
            codes(LogsQuery::new().since(Timestamp::parse("2025-01-01").ok())),
            ["since-too-old"]
        );
        assert_eq!(
            codes(LogsQuery::new().since(Timestamp::parse("2025-01-02").ok())),
            ["retention"]
        );
        // 2025-04-02 is 90 days back: within retention.
        assert!(codes(LogsQuery::new().since(Timestamp::parse("2025-04-02").ok())).is_empty());
        assert_eq!(
            codes(LogsQuery::new().since(Timestamp::parse("2025-04-01").ok())),
            ["retention"]
        );
        assert_eq!(
            codes(
                LogsQuery::new()
                    .since(Timestamp::parse("2025-06-02").ok())
                    .until(Timestamp::parse("2025-06-02").ok())
            ),
            ["empty-window"]
        );
    }
}
