//! What `oktaql rules` prints for the events its rules select: JSON lines
//! naming the rules, a timeline (TSV/CSV), the count of each rule, or, on a
//! terminal, the count table and the hits as a person reads them.
//!
//! The workers render each selected event into its chunk's output
//! ([`RulesView::render`]); for counts and the terminal view the rendering
//! starts with a record line (the event's `published` and its rules) that
//! the writer tallies ([`Tally`]) in input order, so `-m` cuts the same
//! events from the counts as from the lines.

use oktaql::rules::{Level, Rule, RuleSet};
use oktaql::{Field, JsonError, Timestamp};

use crate::output::{csv_cell, tsv_cell, Fields, Format, Summary};

/// How the selected events are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One JSON line per event: `{"rules":[...],"event":EVENT}`.
    Json,
    /// `-c`: every rule with its count (a table, or `--format`).
    Count(Option<Format>),
    /// `--format tsv|csv`: one row per selected event and rule.
    Timeline(Format),
    /// On a terminal: the count table, then the hits, levels coloured.
    Terminal { color: bool },
}

/// The columns of the timeline after the rule's.
const TIMELINE: &str =
    "eventType,actor.alternateId,client.ipAddress,outcome.result,displayMessage,uuid";

/// At most this much of the terminal view's hits is kept to be shown after
/// the table; the rest is counted.
const SHOWN_BYTES: usize = 4 << 20;

pub struct RulesView<'a> {
    pub set: &'a RuleSet,
    pub mode: Mode,
    /// Each rule as `{"id":...,"title":...,"level":...}`.
    fragments: Vec<Vec<u8>>,
    published: Field,
    summary: Summary,
    /// `published` alone, and the event columns, for the timeline.
    timeline: Option<(Fields, Fields)>,
}

fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn level_json(l: Option<Level>) -> String {
    l.map_or_else(|| "null".to_owned(), |l| json_str(l.as_str()))
}

impl<'a> RulesView<'a> {
    pub fn new(set: &'a RuleSet, mode: Mode) -> RulesView<'a> {
        let fragments = set
            .rules()
            .iter()
            .map(|r| {
                format!(
                    r#"{{"id":{},"title":{},"level":{}}}"#,
                    json_str(r.id()),
                    json_str(r.title()),
                    level_json(r.level())
                )
                .into_bytes()
            })
            .collect();
        let timeline = match mode {
            Mode::Timeline(f) => Some((
                Fields::parse("published", f).expect("a valid path"),
                Fields::parse(TIMELINE, f).expect("valid paths"),
            )),
            _ => None,
        };
        RulesView {
            set,
            mode,
            fragments,
            published: Field::parse("published").expect("a valid path"),
            summary: Summary::new(),
            timeline,
        }
    }

    /// The timeline's header row, if the mode has one.
    pub fn header(&self) -> Vec<u8> {
        let Mode::Timeline(f) = self.mode else {
            return Vec::new();
        };
        let mut names = vec!["published", "level", "rule.title", "rule.id"];
        names.extend(TIMELINE.split(','));
        let sep = if f == Format::Csv { "," } else { "\t" };
        let mut out = names.join(sep).into_bytes();
        out.push(b'\n');
        out
    }

    /// Renders one selected event (its text, one line of JSON in `line`
    /// form) and the rules that select it.
    pub fn render(
        &self,
        event: &[u8],
        as_line: &dyn Fn(&mut Vec<u8>),
        rules: &[usize],
        out: &mut Vec<u8>,
    ) -> Result<(), JsonError> {
        match self.mode {
            Mode::Json => {
                out.extend_from_slice(b"{\"rules\":[");
                for (k, &i) in rules.iter().enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(&self.fragments[i]);
                }
                out.extend_from_slice(b"],\"event\":");
                as_line(out);
                out.extend_from_slice(b"}\n");
            }
            Mode::Count(_) => self.record(event, rules, out)?,
            Mode::Terminal { color } => {
                self.record(event, rules, out)?;
                for &i in rules {
                    let r = &self.set.rules()[i];
                    label(r, color, out);
                }
                self.summary.render(event, out)?;
            }
            Mode::Timeline(f) => {
                let (published, columns) = self.timeline.as_ref().expect("built for the timeline");
                let mut when = Vec::new();
                published.render(event, &mut when)?;
                when.pop();
                let mut rest = Vec::new();
                columns.render(event, &mut rest)?;
                let cell = |text: &[u8], out: &mut Vec<u8>| match f {
                    Format::Csv => csv_cell(text, out),
                    _ => tsv_cell(text, out),
                };
                let sep = if f == Format::Csv { b',' } else { b'\t' };
                for &i in rules {
                    let r = &self.set.rules()[i];
                    out.extend_from_slice(&when);
                    out.push(sep);
                    match r.level() {
                        Some(l) => cell(l.as_str().as_bytes(), out),
                        None if f == Format::Tsv => out.extend_from_slice(b"\\N"),
                        None => {}
                    }
                    out.push(sep);
                    cell(r.title().as_bytes(), out);
                    out.push(sep);
                    cell(r.id().as_bytes(), out);
                    out.push(sep);
                    out.extend_from_slice(&rest);
                }
            }
        }
        Ok(())
    }

    /// The record the writer tallies: `published` as written (empty when
    /// missing), a tab, the rules' indices.
    fn record(&self, event: &[u8], rules: &[usize], out: &mut Vec<u8>) -> Result<(), JsonError> {
        let values = self.published.raw_values(event)?;
        if let Some(v) = values.first() {
            if let Ok(serde_json::Value::String(s)) = serde_json::from_slice::<serde_json::Value>(v)
            {
                // A tab or line break in it would break the record.
                if !s.contains(['\t', '\n']) {
                    out.extend_from_slice(s.as_bytes());
                }
            }
        }
        out.push(b'\t');
        for (k, i) in rules.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(i.to_string().as_bytes());
        }
        out.push(b'\n');
        Ok(())
    }
}

/// `[high] Title  ` before a hit on a terminal.
fn label(r: &Rule, color: bool, out: &mut Vec<u8>) {
    let (name, code) = match r.level() {
        Some(Level::Critical) => ("critical", "\x1b[1;31m"),
        Some(Level::High) => ("high", "\x1b[31m"),
        Some(Level::Medium) => ("medium", "\x1b[33m"),
        Some(Level::Low) => ("low", "\x1b[36m"),
        Some(Level::Informational) => ("info", "\x1b[2m"),
        None => ("rule", "\x1b[2m"),
    };
    if color {
        out.extend_from_slice(code.as_bytes());
    }
    out.extend_from_slice(format!("[{name}]").as_bytes());
    if color {
        out.extend_from_slice(b"\x1b[0m");
    }
    out.push(b' ');
    out.extend_from_slice(r.title().replace(['\n', '\t'], " ").as_bytes());
    out.extend_from_slice(b"  ");
}

/// A rule's count and the first and last `published` of its events.
#[derive(Clone, Default)]
struct Stat {
    count: u64,
    first: Option<(Timestamp, String)>,
    last: Option<(Timestamp, String)>,
}

fn text(o: &Option<(Timestamp, String)>) -> Option<&str> {
    o.as_ref().map(|(_, s)| s.as_str())
}

/// What the writer adds up for `-c` and the terminal view.
#[derive(Default)]
pub struct Tally {
    stats: Vec<Stat>,
    /// The terminal view's hits kept to be shown, and how many were not.
    shown: Vec<u8>,
    hidden: u64,
}

impl Tally {
    /// Adds one selected event's rendering (a record line, then for the
    /// terminal view its text).
    pub fn add(&mut self, segment: &[u8], rules: usize) {
        if self.stats.len() < rules {
            self.stats.resize(rules, Stat::default());
        }
        let (record, text) = match segment.iter().position(|&b| b == b'\n') {
            Some(i) => (&segment[..i], &segment[i + 1..]),
            None => (segment, &[][..]),
        };
        let Some(tab) = record.iter().position(|&b| b == b'\t') else {
            return;
        };
        let published = std::str::from_utf8(&record[..tab]).unwrap_or("");
        let when = Timestamp::parse(published).ok();
        for i in record[tab + 1..].split(|&b| b == b',') {
            let Some(i) = std::str::from_utf8(i)
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
            else {
                continue;
            };
            let Some(s) = self.stats.get_mut(i) else {
                continue;
            };
            s.count += 1;
            if let Some(t) = when {
                if s.first.as_ref().is_none_or(|(f, _)| t < *f) {
                    s.first = Some((t, published.to_owned()));
                }
                if s.last.as_ref().is_none_or(|(l, _)| t > *l) {
                    s.last = Some((t, published.to_owned()));
                }
            }
        }
        if !text.is_empty() {
            if self.shown.len() + text.len() <= SHOWN_BYTES {
                self.shown.extend_from_slice(text);
            } else {
                self.hidden += 1;
            }
        }
    }

    /// The counts (and, for the terminal view, the hits after them).
    pub fn finish(&mut self, view: &RulesView) -> Vec<u8> {
        let rules = view.set.rules();
        self.stats.resize(rules.len(), Stat::default());
        let mut out = Vec::new();
        match view.mode {
            Mode::Count(Some(Format::Json)) => {
                for (r, s) in rules.iter().zip(&self.stats) {
                    let opt = |v: Option<&str>| v.map_or_else(|| "null".to_owned(), json_str);
                    out.extend_from_slice(
                        format!(
                            r#"{{"id":{},"title":{},"level":{},"path":{},"count":{},"first":{},"last":{}}}"#,
                            json_str(r.id()),
                            json_str(r.title()),
                            level_json(r.level()),
                            json_str(r.path()),
                            s.count,
                            opt(text(&s.first)),
                            opt(text(&s.last)),
                        )
                        .as_bytes(),
                    );
                    out.push(b'\n');
                }
            }
            Mode::Count(Some(f @ (Format::Tsv | Format::Csv))) => {
                let sep = if f == Format::Csv { b',' } else { b'\t' };
                let cell = |t: Option<&str>, out: &mut Vec<u8>| match (t, f) {
                    (None, Format::Tsv) => out.extend_from_slice(b"\\N"),
                    (None, _) => {}
                    (Some(t), Format::Csv) => csv_cell(t.as_bytes(), out),
                    (Some(t), _) => tsv_cell(t.as_bytes(), out),
                };
                let names = ["id", "title", "level", "path", "count", "first", "last"];
                out.extend_from_slice(names.join(if sep == b',' { "," } else { "\t" }).as_bytes());
                out.push(b'\n');
                for (r, s) in rules.iter().zip(&self.stats) {
                    let count = s.count.to_string();
                    let cells = [
                        Some(r.id()),
                        Some(r.title()),
                        r.level().map(Level::as_str),
                        Some(r.path()),
                        Some(count.as_str()),
                        text(&s.first),
                        text(&s.last),
                    ];
                    for (k, c) in cells.into_iter().enumerate() {
                        if k > 0 {
                            out.push(sep);
                        }
                        cell(c, &mut out);
                    }
                    out.push(b'\n');
                }
            }
            Mode::Count(None) | Mode::Terminal { .. } => {
                self.table(rules, &mut out);
                if let Mode::Terminal { .. } = view.mode {
                    if !self.shown.is_empty() {
                        out.push(b'\n');
                        out.extend_from_slice(&self.shown);
                    }
                    if self.hidden > 0 {
                        out.extend_from_slice(
                            format!(
                                "... and {} more hits (pipe the output, or -c, for all of them)\n",
                                self.hidden
                            )
                            .as_bytes(),
                        );
                    }
                }
            }
            Mode::Json | Mode::Timeline(_) => {}
        }
        out
    }

    /// Every rule, most severe and most frequent first.
    fn table(&self, rules: &[Rule], out: &mut Vec<u8>) {
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by(|&a, &b| {
            rules[b]
                .level()
                .cmp(&rules[a].level())
                .then(self.stats[b].count.cmp(&self.stats[a].count))
                .then(a.cmp(&b))
        });
        let when = |o: &Option<(Timestamp, String)>| {
            o.as_ref()
                .map_or_else(|| "-".to_owned(), |(_, s)| s.clone())
        };
        let rows: Vec<[String; 5]> = order
            .iter()
            .map(|&i| {
                let (r, s) = (&rules[i], &self.stats[i]);
                [
                    r.level().map_or("-", Level::as_str).to_owned(),
                    s.count.to_string(),
                    when(&s.first),
                    when(&s.last),
                    format!("{} ({})", r.title().replace(['\n', '\t'], " "), r.id()),
                ]
            })
            .collect();
        let head = ["level", "count", "first", "last", "rule"];
        let mut width = head.map(str::len);
        for row in &rows {
            for (w, c) in width.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: [&str; 5], out: &mut Vec<u8>| {
            let mut s = String::new();
            for (k, c) in cells.iter().enumerate() {
                let pad = width[k].saturating_sub(c.chars().count());
                if k == 1 {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else if k == 4 {
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                }
                if k < 4 {
                    s.push_str("  ");
                }
            }
            out.extend_from_slice(s.as_bytes());
            out.push(b'\n');
        };
        line(head, out);
        for row in &rows {
            line([&row[0], &row[1], &row[2], &row[3], &row[4]], out);
        }
    }
}
