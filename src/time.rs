//! RFC 3339 date-times and full dates, compared as instants.
//!
//! Accepted, exactly: `YYYY-MM-DDTHH:MM:SS[.f](Z|+HH:MM|-HH:MM)` with 1 to 9
//! fraction digits, ASCII digits only, `T` and `Z` in either case; or a full
//! date `YYYY-MM-DD`, meaning midnight UTC. Calendar values must be valid
//! (leap years, days per month), no leap second, offsets below 24 hours with
//! minutes below 60. Anything else is not a date-time.

use std::fmt;

/// An instant: seconds and nanoseconds since 1970-01-01T00:00:00Z.
///
/// Equality, order and hashing are by instant only:
/// `2024-05-01T12:00:00+02:00` equals `2024-05-01T10:00:00Z`. The UTC
/// offset the timestamp was written with is kept for
/// [`Display`](fmt::Display) alone, which prints RFC 3339 text that
/// [`Timestamp::parse`] reads back as the same instant:
///
/// - in UTC, `2024-05-01T10:00:00Z`, when the year of the UTC date is within
///   0000–9999, as it is for every date-time but those less than a day from
///   either end of that range;
/// - otherwise in the offset it was written with, whose date is within those
///   years: `0000-01-01T00:00:00+00:01` (in UTC, 23:59 on the last day of
///   year -1) and `9999-12-31T23:59:59-23:59` (in UTC, a day in year 10000)
///   print like that, in their own offsets.
///
/// The fraction of a second is printed without trailing zeros, and not at
/// all when it is zero. So two equal timestamps print the same unless they
/// fall outside UTC years 0000–9999 with different offsets.
///
/// ```
/// use oktaql::Timestamp;
///
/// let a = Timestamp::parse("2025-03-03T09:00:00.250+01:00")?;
/// let b = Timestamp::parse("2025-03-03T08:00:00.25Z")?;
/// // The same instant, printed in UTC.
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "2025-03-03T08:00:00.25Z");
/// assert!(Timestamp::parse("2025-03-03")? < a);
/// # Ok::<(), oktaql::TimestampError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
    /// The offset from UTC it was written with, in minutes (|x| < 24 × 60).
    offset_minutes: i16,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Timestamp) -> bool {
        (self.secs, self.nanos) == (other.secs, other.nanos)
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Timestamp) -> std::cmp::Ordering {
        (self.secs, self.nanos).cmp(&(other.secs, other.nanos))
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.secs, self.nanos).hash(state);
    }
}

/// Text that is not an RFC 3339 date-time nor a `YYYY-MM-DD` date.
///
/// ```
/// use oktaql::Timestamp;
///
/// let err = Timestamp::parse("03/03/2025").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid date-time: expected RFC 3339 (2024-05-01T10:00:00Z) or YYYY-MM-DD",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid date-time: expected RFC 3339 (2024-05-01T10:00:00Z) or YYYY-MM-DD")]
pub struct TimestampError;

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` or `YYYY-MM-DD`
    /// (a date is its midnight UTC); the same as [`str::parse`] through
    /// [`FromStr`](std::str::FromStr).
    ///
    /// ```
    /// use oktaql::Timestamp;
    ///
    /// let t = Timestamp::parse("2025-03-03T09:00:00+01:00")?;
    /// assert_eq!(t, "2025-03-03T08:00:00Z".parse()?);
    /// assert_eq!(t.unix_seconds(), 1_740_988_800);
    /// assert!(Timestamp::parse("yesterday").is_err());
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        Timestamp::parse_bytes(s.as_bytes()).ok_or(TimestampError)
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    ///
    /// ```
    /// use oktaql::Timestamp;
    ///
    /// assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z")?.unix_seconds(), 0);
    /// assert_eq!(Timestamp::parse("1969-12-31T23:59:59Z")?.unix_seconds(), -1);
    /// assert_eq!(Timestamp::parse("2025-03-03T08:00:00.999Z")?.unix_seconds(), 1_740_988_800);
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    pub fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// The nanoseconds within the second.
    ///
    /// ```
    /// use oktaql::Timestamp;
    ///
    /// assert_eq!(Timestamp::parse("2025-03-03T08:00:00.123Z")?.subsec_nanos(), 123_000_000);
    /// assert_eq!(Timestamp::parse("2025-03-03")?.subsec_nanos(), 0);
    /// # Ok::<(), oktaql::TimestampError>(())
    /// ```
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    pub(crate) fn parse_bytes(b: &[u8]) -> Option<Timestamp> {
        // Fast reject: every accepted form starts with `DDDD-DD-DD`.
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[0..4])? as i64;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        if b.len() == 10 {
            return Some(Timestamp {
                secs: days * 86_400,
                nanos: 0,
                offset_minutes: 0,
            });
        }
        if b.len() < 20 || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        let second = digits(&b[17..19])?;
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b[i] == b'.' {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            nanos = digits(&b[i + 1..i + 1 + n])? * 10u32.pow(9 - n as u32);
            i += 1 + n;
        }
        let offset_minutes: i16 = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = digits(&[*h1, *h2])? as i16;
                let om = digits(&[*m1, *m2])? as i16;
                if oh > 23 || om > 59 {
                    return None;
                }
                let off = oh * 60 + om;
                if *sign == b'-' {
                    -off
                } else {
                    off
                }
            }
            _ => return None,
        };
        let local = days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64;
        Some(Timestamp {
            secs: local - i64::from(offset_minutes) * 60,
            nanos,
            offset_minutes,
        })
    }
}

/// Parses a run of ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// RFC 3339 that parses back to the same instant, with the fraction trimmed
/// of trailing zeros: in UTC (`Z`) when the UTC year is within 0000–9999,
/// else in the offset the timestamp was written with (see [`Timestamp`]).
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let utc = civil_from_days(self.secs.div_euclid(86_400)).0;
        let offset = if (0..=9999).contains(&utc) {
            0
        } else {
            self.offset_minutes
        };
        let local = self.secs + i64::from(offset) * 60;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )?;
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        if offset == 0 {
            f.write_str("Z")
        } else {
            let sign = if offset < 0 { '-' } else { '+' };
            let abs = offset.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
        }
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Timestamp, TimestampError> {
        Timestamp::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_opt(s: &str) -> Option<Timestamp> {
        Timestamp::parse(s).ok()
    }

    #[test]
    fn parse_and_from_str_give_the_same_result() {
        for s in [
            "2024-05-01T10:00:00Z",
            "2024-05-01",
            "2024-02-30",
            "",
            "x",
            "2024-05-01T10:00Z",
        ] {
            assert_eq!(Timestamp::parse(s), s.parse::<Timestamp>(), "{s}");
        }
        assert_eq!(Timestamp::parse("2024-02-30"), Err(TimestampError));
    }

    fn secs(s: &str) -> Option<(i64, u32)> {
        parse_opt(s).map(|t| (t.secs, t.nanos))
    }

    #[test]
    fn epochs_worked_by_hand() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(secs("1970-01-01"), Some((0, 0)));
        assert_eq!(secs("2000-01-01T00:00:00Z"), Some((946_684_800, 0)));
        // 1969-12-31T23:59:59Z is one second before the epoch.
        assert_eq!(secs("1969-12-31T23:59:59Z"), Some((-1, 0)));
        // 2024-05-01 is 19844 days after the epoch (54 years, 13 leap days
        // 1972..=2020, plus Jan-Apr 2024 = 121 days): 19723 + 121.
        assert_eq!(secs("2024-05-01"), Some((19_844 * 86_400, 0)));
    }

    #[test]
    fn same_instant_different_spellings() {
        let a = parse_opt("2024-05-01T10:00:00Z");
        assert_eq!(a, parse_opt("2024-05-01T10:00:00.000Z"));
        assert_eq!(a, parse_opt("2024-05-01T12:00:00+02:00"));
        assert_eq!(a, parse_opt("2024-05-01t05:30:00-04:30"));
        assert_eq!(a, parse_opt("2024-05-01t10:00:00z"));
        assert_eq!(parse_opt("2024-05-01"), parse_opt("2024-05-01T00:00:00Z"));
        assert!(parse_opt("2024-05-01T10:00:00.000000001Z") > a);
        assert_eq!(secs("1970-01-01T00:00:00.5Z"), Some((0, 500_000_000)));
        assert_eq!(
            secs("1970-01-01T00:00:00.123456789Z"),
            Some((0, 123_456_789))
        );
    }

    #[test]
    fn calendar_and_clock_rules() {
        assert!(parse_opt("2024-02-29").is_some());
        assert!(parse_opt("2000-02-29").is_some());
        assert!(parse_opt("2023-02-29").is_none());
        assert!(parse_opt("1900-02-29").is_none());
        assert!(parse_opt("2024-04-31").is_none());
        assert!(parse_opt("2024-13-01").is_none());
        assert!(parse_opt("2024-00-01").is_none());
        assert!(parse_opt("2024-01-00").is_none());
        assert!(parse_opt("2024-05-01T24:00:00Z").is_none());
        assert!(parse_opt("2024-05-01T23:60:00Z").is_none());
        assert!(parse_opt("2024-05-01T23:59:60Z").is_none());
        assert!(parse_opt("2024-05-01T10:00:00+24:00").is_none());
        assert!(parse_opt("2024-05-01T10:00:00+05:60").is_none());
        assert!(parse_opt("2024-05-01T10:00:00+23:59").is_some());
    }

    #[test]
    fn exact_forms_only() {
        for bad in [
            "",
            "2024-5-01",
            "2024-05-01 10:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01T10:00Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00.1234567890Z",
            "2024-05-01T10:00:00+0200",
            "2024-05-01T10:00:00+02",
            "2024-05-01T10:00:00Z ",
            " 2024-05-01",
            "2024-05-01Z",
            "２０２４-05-01",
            "+2024-05-01",
            "redacted",
        ] {
            assert_eq!(parse_opt(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_is_utc_rfc3339() {
        let t = parse_opt("2024-05-01T12:00:00.250+02:00").unwrap();
        assert_eq!(t.to_string(), "2024-05-01T10:00:00.25Z");
        assert_eq!(
            parse_opt("1969-12-31").unwrap().to_string(),
            "1969-12-31T00:00:00Z"
        );
        assert_eq!("x".parse::<Timestamp>(), Err(TimestampError));
    }

    #[test]
    fn fraction_digits_to_the_nanosecond() {
        assert_eq!(
            secs("2000-01-01T00:00:00.1Z"),
            Some((946_684_800, 100_000_000))
        );
        assert_eq!(
            secs("2000-01-01T00:00:00.12Z"),
            Some((946_684_800, 120_000_000))
        );
        assert_eq!(
            secs("2000-01-01T00:00:00.000000001Z"),
            Some((946_684_800, 1))
        );
        assert_eq!(
            secs("2000-01-01T00:00:00.999999999Z"),
            Some((946_684_800, 999_999_999))
        );
        assert_eq!(secs("2000-01-01T00:00:00.0+00:00"), Some((946_684_800, 0)));
        // Half a second before the epoch: seconds floor, nanos count up.
        assert_eq!(secs("1969-12-31T23:59:59.5Z"), Some((-1, 500_000_000)));
        let before = parse_opt("1969-12-31T23:59:59.999999999Z").unwrap();
        let epoch = parse_opt("1970-01-01").unwrap();
        assert!(before < epoch);
    }

    #[test]
    fn offsets_shift_to_utc() {
        // 10:00 at +23:59 is 10:01 the day before in UTC: 2024-04-30T10:01:00Z.
        assert_eq!(secs("2024-05-01T10:00:00+23:59"), Some((1_714_471_260, 0)));
        assert_eq!(
            parse_opt("2024-05-01T10:00:00-00:00"),
            parse_opt("2024-05-01T10:00:00Z")
        );
        assert_eq!(
            parse_opt("2024-05-01T00:30:00+01:00").unwrap().to_string(),
            "2024-04-30T23:30:00Z"
        );
        assert_eq!(
            parse_opt("2024-03-01T00:00:00+00:01").unwrap().to_string(),
            "2024-02-29T23:59:00Z"
        );
        assert_eq!(
            parse_opt("1999-12-31T23:00:00-01:00").unwrap().to_string(),
            "2000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn four_digit_years_at_both_ends() {
        // 0000-01-01 is 719528 days before the epoch (year 0 is a leap year).
        assert_eq!(secs("0000-01-01"), Some((-719_528 * 86_400, 0)));
        assert!(parse_opt("0000-02-29").is_some());
        assert_eq!(
            secs("9999-12-31T23:59:59.999999999Z"),
            Some((253_402_300_799, 999_999_999))
        );
        assert_eq!(
            parse_opt("0000-01-01").unwrap().to_string(),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            parse_opt("9999-12-31T23:59:59.999999999Z")
                .unwrap()
                .to_string(),
            "9999-12-31T23:59:59.999999999Z"
        );
    }

    /// Display, parsed back: the same instant, and the same text again.
    fn round_trip(text: &str) -> String {
        let t = parse_opt(text).unwrap_or_else(|| panic!("{text:?} parses"));
        let shown = t.to_string();
        let back = parse_opt(&shown)
            .unwrap_or_else(|| panic!("{text:?} displays as {shown:?}, which does not parse"));
        assert_eq!(back, t, "{text:?} -> {shown:?}");
        assert_eq!(back.to_string(), shown, "{text:?} -> {shown:?}");
        shown
    }

    #[test]
    fn display_parses_back_outside_utc_years_0000_to_9999() {
        // The UTC instant is in year -1 or 10000: printed in its own offset,
        // the local time it was written in.
        for (text, shown) in [
            ("0000-01-01T00:00:00+00:01", "0000-01-01T00:00:00+00:01"),
            ("0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+23:59"),
            ("0000-01-01T23:58:59+23:59", "0000-01-01T23:58:59+23:59"),
            ("9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59-23:59"),
            ("9999-12-31T00:01:00-23:59", "9999-12-31T00:01:00-23:59"),
            (
                "0000-01-01T00:00:00.000000001+00:01",
                "0000-01-01T00:00:00.000000001+00:01",
            ),
            (
                "9999-12-31T23:59:59.999999999-00:01",
                "9999-12-31T23:59:59.999999999-00:01",
            ),
            (
                "0000-01-01t00:00:00.120+00:01",
                "0000-01-01T00:00:00.12+00:01",
            ),
        ] {
            assert_eq!(round_trip(text), shown, "{text:?}");
        }
        // Within UTC years 0000-9999 it stays UTC, whatever the offset was.
        for (text, shown) in [
            ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
            ("0000-01-01T00:00:00-00:01", "0000-01-01T00:01:00Z"),
            ("0000-01-01T23:59:00+23:59", "0000-01-01T00:00:00Z"),
            ("0000-01-01T23:59:59.5+23:59", "0000-01-01T00:00:59.5Z"),
            (
                "9999-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
            ),
            ("9999-12-31T23:59:59+00:01", "9999-12-31T23:58:59Z"),
            ("9999-12-31T00:00:00-23:59", "9999-12-31T23:59:00Z"),
            ("0000-01-01", "0000-01-01T00:00:00Z"),
            ("9999-12-31", "9999-12-31T00:00:00Z"),
        ] {
            assert_eq!(round_trip(text), shown, "{text:?}");
        }
    }

    #[test]
    fn equality_order_and_hash_are_by_instant_only() {
        use std::collections::hash_map::DefaultHasher;
        use std::hash::{Hash, Hasher};
        let hash = |t: Timestamp| {
            let mut h = DefaultHasher::new();
            t.hash(&mut h);
            h.finish()
        };
        // One instant (-0001-12-31T23:58:00Z), two offsets: equal, same
        // hash, neither less; each displays in its own offset.
        let a = parse_opt("0000-01-01T00:00:00+00:02").unwrap();
        let b = parse_opt("0000-01-01T00:01:00+00:03").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        assert_eq!(hash(a), hash(b));
        assert_eq!(a.to_string(), "0000-01-01T00:00:00+00:02");
        assert_eq!(b.to_string(), "0000-01-01T00:01:00+00:03");
        let c = parse_opt("2024-05-01T12:00:00+02:00").unwrap();
        let d = parse_opt("2024-05-01T10:00:00Z").unwrap();
        assert_eq!((c, hash(c)), (d, hash(d)));
        assert!(a < c && c < parse_opt("9999-12-31T23:59:59-23:59").unwrap());
        // The offset fits in what was padding: candidates stay 16 bytes.
        assert_eq!(std::mem::size_of::<Timestamp>(), 16);
    }

    #[test]
    fn more_calendar_rules() {
        for ok in [
            "2400-02-29",
            "1900-02-28",
            "2024-01-31",
            "2024-12-31",
            "2023-02-28",
        ] {
            assert!(parse_opt(ok).is_some(), "{ok:?}");
        }
        for bad in [
            "2100-02-29",
            "2024-02-30",
            "2024-06-31",
            "2024-09-31",
            "2024-11-31",
            "2024-01-32",
            "2024-05-01T00:00:60Z",
            "2024-05-01T10:00:00+99:00",
            "2024-05-01T10:00:00-24:00",
        ] {
            assert!(parse_opt(bad).is_none(), "{bad:?}");
        }
        assert!(parse_opt("2024-05-01T23:59:59-23:59").is_some());
    }

    #[test]
    fn more_exact_form_rejects() {
        for bad in [
            "024-05-01",
            "20240-05-01",
            "2024/05/01",
            "2024-05-01T1:00:00Z",
            "2024-05-01T10:00:00ZZ",
            "2024-05-01T10:00:00+02:00 ",
            "2024-05-01T10:00:00+02:00Z",
            "2024-05-01\n",
            "2024-05-01T10:00:00.1 Z",
            "2024-05-01T10:00:00,5Z",
            "2024-05-01T10:00:00.５Z",
            "2024-05-01T10:00:00+０2:00",
            "2024-05-01T10:00:00+2:00",
            "2024-05-01T10:00:00+02:00:00",
            "2024-05-01T10:00:00\u{2212}02:00",
            "2024-05-01T10:00:00UTC",
            "2024-05-01T",
            "-001-01-01",
            "2024-05-01T10:00:00.-1Z",
        ] {
            assert_eq!(parse_opt(bad), None, "{bad:?}");
        }
        // Invalid UTF-8 in the bytes form is just not a date.
        assert_eq!(Timestamp::parse_bytes(b"\xff\xfe24-05-01"), None);
        assert_eq!(Timestamp::parse_bytes(b"2024-05-01T10:00:00.\xffZ"), None);
        // Every proper prefix of a long valid date-time, but the bare date, is
        // rejected (and none panics).
        let full = "2024-05-01T10:00:00.123456789+02:00";
        for n in 0..full.len() {
            let want = (n == 10).then_some((19_844 * 86_400, 0));
            assert_eq!(secs(&full[..n]), want, "{:?}", &full[..n]);
        }
        assert!(parse_opt(full).is_some());
    }

    #[test]
    fn from_str_and_error_message() {
        assert_eq!(
            "2024-05-01".parse::<Timestamp>(),
            Ok(parse_opt("2024-05-01T00:00:00Z").unwrap())
        );
        assert_eq!(
            TimestampError.to_string(),
            "invalid date-time: expected RFC 3339 (2024-05-01T10:00:00Z) or YYYY-MM-DD"
        );
        assert_eq!(
            parse_opt("2024-05-01T10:00:00.000000001Z")
                .unwrap()
                .to_string(),
            "2024-05-01T10:00:00.000000001Z"
        );
        assert_eq!(
            parse_opt("2024-05-01T10:00:00.100Z").unwrap().to_string(),
            "2024-05-01T10:00:00.1Z"
        );
    }
}
