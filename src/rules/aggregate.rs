//! Counting over time windows (issue 22): the meaning of an aggregating
//! rule, on the events its filter selects.
//!
//! Per group (the values at the `group_by` paths), the events are taken in
//! `published` order, ties in input order. An alert is raised at the first
//! event at which the events of the group within the window ending at it
//! (`within` before it, both ends inclusive; the whole input when there is
//! no `within`) satisfy the condition; the alert holds those events, and
//! counting starts again after that event. The window slides with each
//! event (no fixed buckets, so a burst across a bucket edge is not missed),
//! and the answer does not depend on the order of the events in the input.
//!
//! - A group path with several values puts the event in a group for each
//!   combination (as `--count-by` does); a path with none (absent, or
//!   null) puts it in no group.
//! - What is counted is events, or with `distinct` the distinct values at
//!   that path among them (an event without one adds none).
//! - An event without a date-time `published` is counted in no window:
//!   [`Counter::undated`] says how many.
//!
//! ```
//! use oktaql::rules::aggregate::{Aggregate, Counter};
//!
//! let agg = Aggregate::new(&["client.ipAddress"], None, Some("1m"), ">= 3")?;
//! let mut counter = Counter::new(&agg);
//! for (i, t) in ["00:00", "00:20", "01:30", "01:40", "02:10"].iter().enumerate() {
//!     let event = format!(
//!         r#"{{"published":"2025-03-03T08:{t}Z","client":{{"ipAddress":"10.0.0.1"}},"uuid":"e{i}"}}"#
//!     );
//!     counter.add(event.as_bytes(), || format!("line {i}"))?;
//! }
//! let alerts = counter.finish();
//! // 01:30, 01:40 and 02:10 are within one minute of 02:10.
//! assert_eq!(alerts.len(), 1);
//! assert_eq!(alerts[0].value, 3);
//! assert_eq!(alerts[0].events, ["e2", "e3", "e4"]);
//! assert_eq!(alerts[0].group, [("client.ipAddress".to_owned(), "\"10.0.0.1\"".to_owned())]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use crate::read::compact_into;
use crate::{Field, JsonError, ParseError, Path, Timestamp};

/// How an aggregating rule counts: see the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregate {
    group_by: Vec<(String, Field)>,
    distinct: Option<Field>,
    /// Nanoseconds; `None`: the whole input is one window.
    within: Option<i128>,
    condition: Condition,
}

/// What is wrong with an aggregation's parts, worded for a rule's problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregateError(pub String);

impl fmt::Display for AggregateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AggregateError {}

fn field(what: &str, text: &str) -> Result<Field, AggregateError> {
    Field::parse(text)
        .map_err(|e: ParseError| AggregateError(format!("`{what}`: `{text}` is not a path: {e}")))
}

impl Aggregate {
    /// From the parts of an `aggregate` block: group paths (value paths
    /// too), the path whose distinct values are counted (else events), the
    /// window (`30s`, `10m`, `24h`, `7d`; else the whole input), and the
    /// condition (`>= 2`).
    ///
    /// ```
    /// use oktaql::rules::aggregate::Aggregate;
    ///
    /// assert!(Aggregate::new(&["actor.id"], Some("client.ipAddress"), Some("10m"), "> 4").is_ok());
    /// let err = Aggregate::new(&["actor.id"], None, Some("10 minutes"), ">= 2").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "`within`: `10 minutes` is not a duration (a number and s, m, h or d: `10m`)"
    /// );
    /// ```
    pub fn new(
        group_by: &[&str],
        distinct: Option<&str>,
        within: Option<&str>,
        condition: &str,
    ) -> Result<Aggregate, AggregateError> {
        let group_by = group_by
            .iter()
            .map(|p| Ok((p.to_string(), field("group_by", p)?)))
            .collect::<Result<Vec<_>, AggregateError>>()?;
        let distinct = distinct.map(|d| field("distinct", d)).transpose()?;
        let within = within.map(duration).transpose()?;
        let condition = condition.parse()?;
        Ok(Aggregate {
            group_by,
            distinct,
            within,
            condition,
        })
    }
}

/// A duration: digits and a unit (`s`, `m`, `h`, `d`), in nanoseconds.
fn duration(text: &str) -> Result<i128, AggregateError> {
    let bad = || {
        AggregateError(format!(
            "`within`: `{text}` is not a duration (a number and s, m, h or d: `10m`)"
        ))
    };
    let t = text.trim();
    let (digits, unit) = t.split_at(t.len().saturating_sub(1));
    let n: u64 = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    let secs: i128 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    Ok(i128::from(n) * secs * 1_000_000_000)
}

/// A comparison with a count: `>= 2`, `> 10`, `== 1`, `< 3`, `<= 5`, `!= 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    op: Op,
    n: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Condition {
    /// Whether `value` satisfies it.
    pub fn holds(self, value: u64) -> bool {
        match self.op {
            Op::Gt => value > self.n,
            Op::Ge => value >= self.n,
            Op::Lt => value < self.n,
            Op::Le => value <= self.n,
            Op::Eq => value == self.n,
            Op::Ne => value != self.n,
        }
    }
}

impl std::str::FromStr for Condition {
    type Err = AggregateError;

    fn from_str(text: &str) -> Result<Condition, AggregateError> {
        let t = text.trim();
        let ops = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
        ];
        let (op, rest) = ops
            .iter()
            .find_map(|(s, op)| t.strip_prefix(s).map(|rest| (*op, rest)))
            .ok_or_else(|| {
                AggregateError(format!(
                    "`condition`: `{text}` is not a comparison (`>= 2`; >, >=, <, <=, ==, !=)"
                ))
            })?;
        let rest = rest.trim();
        let n = rest
            .parse::<u64>()
            .ok()
            .filter(|_| rest.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                AggregateError(format!(
                    "`condition`: `{rest}` is not a count (a whole number)"
                ))
            })?;
        Ok(Condition { op, n })
    }
}

/// One alert: the group, the count, and the events that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// Each group path and its value, as compact JSON text.
    pub group: Vec<(String, String)>,
    /// The count (of events, or of distinct values).
    pub value: u64,
    /// `published` of the alert's first and last event, as written.
    pub first: String,
    pub last: String,
    /// The events' `uuid`s in `published` order (for an event without
    /// one, what the caller named it by).
    pub events: Vec<String>,
    /// When the alert is raised: its last event's time and input order.
    pub raised: (Timestamp, u64),
}

/// One selected event, as kept: what the windows need, nothing more.
#[derive(Debug)]
struct Seen {
    at: i128,
    when: Timestamp,
    order: u64,
    published: String,
    name: String,
    distinct: Vec<String>,
}

/// The events of one aggregation, grouped; alerts at the end.
#[derive(Debug)]
pub struct Counter<'a> {
    agg: &'a Aggregate,
    published: Path,
    uuid: Path,
    groups: HashMap<Vec<String>, Vec<usize>>,
    seen: Vec<Seen>,
    undated: u64,
}

/// The distinct values at `field` in `event`, compact, nulls left out; a
/// string in one spelling whatever its escapes (`"a\/b"` is `"a/b"`).
fn values(field: &Field, event: &[u8]) -> Result<Vec<String>, JsonError> {
    let mut out: Vec<String> = Vec::new();
    for v in field.raw_values(event)? {
        let mut text = Vec::new();
        compact_into(v, &mut text);
        if text == b"null" {
            continue;
        }
        let text = match serde_json::from_slice::<serde_json::Value>(&text) {
            Ok(s @ serde_json::Value::String(_)) => s.to_string(),
            _ => String::from_utf8_lossy(&text).into_owned(),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    Ok(out)
}

/// The string at `path` (its first value), unescaped.
fn string_at(path: &Path, event: &[u8]) -> Option<String> {
    let raw = path.raw_values(event).ok()?;
    let v: serde_json::Value = serde_json::from_slice(raw.first()?).ok()?;
    v.as_str().map(str::to_owned)
}

impl<'a> Counter<'a> {
    pub fn new(agg: &'a Aggregate) -> Counter<'a> {
        Counter {
            agg,
            published: Path::parse("published").expect("a path"),
            uuid: Path::parse("uuid").expect("a path"),
            groups: HashMap::new(),
            seen: Vec::new(),
            undated: 0,
        }
    }

    /// Adds an event the rule's filter selected, in input order; `name`
    /// names it when it has no `uuid` (its input and line).
    pub fn add(&mut self, event: &[u8], name: impl FnOnce() -> String) -> Result<(), JsonError> {
        let Some(published) = string_at(&self.published, event) else {
            self.undated += 1;
            return Ok(());
        };
        let Ok(when) = Timestamp::parse(&published) else {
            self.undated += 1;
            return Ok(());
        };
        let mut cells = Vec::with_capacity(self.agg.group_by.len());
        for (_, f) in &self.agg.group_by {
            let v = values(f, event)?;
            if v.is_empty() {
                return Ok(());
            }
            cells.push(v);
        }
        let distinct = match &self.agg.distinct {
            Some(f) => values(f, event)?,
            None => Vec::new(),
        };
        let name = string_at(&self.uuid, event).unwrap_or_else(name);
        let index = self.seen.len();
        self.seen.push(Seen {
            at: i128::from(when.unix_seconds()) * 1_000_000_000 + i128::from(when.subsec_nanos()),
            when,
            order: index as u64,
            published,
            name,
            distinct,
        });
        // Every combination of the group paths' values.
        let mut at = vec![0usize; cells.len()];
        loop {
            let key = at.iter().zip(&cells).map(|(&i, c)| c[i].clone()).collect();
            self.groups.entry(key).or_default().push(index);
            let mut i = cells.len();
            loop {
                if i == 0 {
                    return Ok(());
                }
                i -= 1;
                at[i] += 1;
                if at[i] < cells[i].len() {
                    break;
                }
                at[i] = 0;
            }
        }
    }

    /// Events without a date-time `published`: counted in no window.
    pub fn undated(&self) -> u64 {
        self.undated
    }

    /// The alerts, in the order they are raised (by the `published` of the
    /// raising event, ties in input order).
    pub fn finish(self) -> Vec<Alert> {
        let mut alerts = Vec::new();
        let mut groups: Vec<_> = self.groups.into_iter().collect();
        groups.sort();
        for (key, mut members) in groups {
            members.sort_by_key(|&i| (self.seen[i].at, self.seen[i].order));
            // The window is members[start..=end]; it starts no earlier
            // than the event after the last alert.
            let mut start = 0;
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for end in 0..members.len() {
                let now = &self.seen[members[end]];
                for d in &now.distinct {
                    *counts.entry(d).or_default() += 1;
                }
                while let Some(w) = self.agg.within {
                    let first = &self.seen[members[start]];
                    if now.at - first.at <= w {
                        break;
                    }
                    for d in &first.distinct {
                        let c = counts.get_mut(d.as_str()).expect("counted when added");
                        *c -= 1;
                        if *c == 0 {
                            counts.remove(d.as_str());
                        }
                    }
                    start += 1;
                }
                let value = if self.agg.distinct.is_some() {
                    counts.len() as u64
                } else {
                    (end + 1 - start) as u64
                };
                if self.agg.condition.holds(value) {
                    let held = &members[start..=end];
                    alerts.push(Alert {
                        group: self
                            .agg
                            .group_by
                            .iter()
                            .map(|(p, _)| p.clone())
                            .zip(key.iter().cloned())
                            .collect(),
                        value,
                        first: self.seen[held[0]].published.clone(),
                        last: now.published.clone(),
                        events: held.iter().map(|&i| self.seen[i].name.clone()).collect(),
                        raised: (now.when, now.order),
                    });
                    start = end + 1;
                    counts.clear();
                }
            }
        }
        alerts.sort_by_key(|a| a.raised);
        alerts
    }
}
