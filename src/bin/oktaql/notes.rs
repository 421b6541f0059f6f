//! The empty-answer notes: the workers show each batch to the library's
//! [`Watch`] until some event is selected (then no note can be due, and
//! the watch costs nothing more) or every path of the filter has been seen;
//! the first batches are also counted path by path, for the closest paths
//! and their counts.

use std::sync::atomic::{AtomicBool, Ordering};

use oktaql::check::{filter_paths, Note, Watch};
use oktaql::read::{Batch, Part};
use oktaql::rules::RuleSet;
use oktaql::{Filter, Path};

/// The events of the batches that start in the first 4 MiB of events read
/// are counted path by path: the sample the notes' counts come from.
pub const SAMPLE_BYTES: u64 = 4 << 20;

/// The most notes printed (a filter of thousands of paths that no event
/// has gets a count of the rest).
pub const MAX_NOTES: usize = 20;

pub struct Notes {
    watch: Watch,
    /// Some event was selected: no note will be printed.
    selected: AtomicBool,
    /// For a rule set: a note for each rule that selects nothing.
    rules: Option<RuleNotes>,
}

/// The rules' side of the notes' sample: the first MiB of events. Rules
/// that select nothing are the rule in a catalogue, not the exception, so
/// the paths are looked for only there, not in every batch: a path no event
/// has costs a walk of every event holding its last key (the catalogue's
/// `result`: each event's `outcome.result`), and a sample of 4 MiB made
/// `oktaql rules` on the catalogue 18% slower (CPU, 100 MB).
pub const RULES_SAMPLE_BYTES: u64 = 1 << 20;

/// The rules' side of the notes.
struct RuleNotes {
    /// Each rule's id and the paths its filter reads (none for a Sigma
    /// rule, which has no filter text).
    rules: Vec<(String, Vec<String>)>,
    hit: Vec<AtomicBool>,
    /// Some batch was past the sample: the notes speak of the sample.
    beyond: AtomicBool,
}

impl Notes {
    pub fn new(filter: &Filter) -> Notes {
        Notes {
            watch: Watch::new(filter),
            selected: AtomicBool::new(false),
            rules: None,
        }
    }

    /// The notes of a rule set: for each rule that selects nothing, the
    /// paths of its filter that no event of the sample has.
    pub fn for_rules(set: &RuleSet) -> Notes {
        let mut all: Vec<Path> = Vec::new();
        let rules = set
            .rules()
            .iter()
            .map(|r| {
                let paths = r.filter().ast().map(filter_paths).unwrap_or_default();
                let dotted = paths.iter().map(ToString::to_string).collect();
                for p in paths {
                    if !all.contains(&p) {
                        all.push(p);
                    }
                }
                (r.id().to_owned(), dotted)
            })
            .collect::<Vec<_>>();
        Notes {
            watch: Watch::for_paths(all),
            selected: AtomicBool::new(false),
            rules: Some(RuleNotes {
                hit: rules.iter().map(|_| AtomicBool::new(false)).collect(),
                rules,
                beyond: AtomicBool::new(false),
            }),
        }
    }

    /// For a rule set: an event the rules `ids` (indices) select.
    pub fn hit(&self, ids: &[usize]) {
        if let Some(r) = &self.rules {
            for &i in ids {
                r.hit[i].store(true, Ordering::Relaxed);
            }
        }
    }

    /// After a worker matched a batch, which starts `at` bytes into the
    /// events read and selected `selected` events.
    pub fn after(&self, at: u64, batch: &Batch, selected: usize) {
        if let Some(r) = &self.rules {
            if at >= RULES_SAMPLE_BYTES {
                r.beyond.store(true, Ordering::Relaxed);
            } else if !self.watch.is_done() {
                self.look(batch, true);
            }
            return;
        }
        if selected > 0 {
            self.selected.store(true, Ordering::Relaxed);
            return;
        }
        if self.selected.load(Ordering::Relaxed) || self.watch.is_done() {
            return;
        }
        self.look(batch, at < SAMPLE_BYTES);
    }

    fn look(&self, batch: &Batch, count: bool) {
        let data = batch.data();
        let mut look = self.watch.batch(count);
        for part in batch.parts() {
            match part {
                Part::Lines { range, .. } => look.lines(&data[range.clone()]),
                Part::Event { range, .. } => look.event(&data[range.clone()]),
                Part::Bad(_) => {}
            }
        }
    }

    /// Whether the notes are due when some event was selected (a rule
    /// set's: for the rules that selected none).
    pub fn for_each_rule(&self) -> bool {
        self.rules.is_some()
    }

    /// The notes, one line each (`no event has ...`): at most
    /// [`MAX_NOTES`], then one line for the rest.
    pub fn lines(&self) -> Vec<String> {
        if let Some(r) = &self.rules {
            return self.rule_lines(r);
        }
        let mut lines: Vec<String> = self
            .watch
            .notes(MAX_NOTES)
            .iter()
            .map(ToString::to_string)
            .collect();
        let missing = self.watch.missing();
        if missing > MAX_NOTES {
            let more = missing - MAX_NOTES;
            let s = if more == 1 { "" } else { "s" };
            lines.push(format!(
                "{more} more path{s} of the filter that no event has"
            ));
        }
        lines
    }
}

impl Notes {
    /// `rule ID: no event has PATH; ...` for each path of each rule that
    /// selected nothing, when the sample has no event with it.
    fn rule_lines(&self, r: &RuleNotes) -> Vec<String> {
        let notes = self.watch.notes(usize::MAX);
        let beyond = r.beyond.load(Ordering::Relaxed);
        let mut lines = Vec::new();
        let mut more = 0;
        for ((id, paths), hit) in r.rules.iter().zip(&r.hit) {
            if hit.load(Ordering::Relaxed) {
                continue;
            }
            for note in paths
                .iter()
                .filter_map(|p| notes.iter().find(|n| &n.path == p))
            {
                if lines.len() == MAX_NOTES {
                    more += 1;
                    continue;
                }
                lines.push(if beyond {
                    sampled(id, note)
                } else {
                    format!("rule {id}: {note}")
                });
            }
        }
        if more > 0 {
            let s = if more == 1 { "" } else { "s" };
            lines.push(format!(
                "{more} more path{s} of rules that selected nothing that no event has"
            ));
        }
        lines
    }
}

/// A rule's note when only the sample was looked at.
fn sampled(id: &str, note: &Note) -> String {
    let mut line = format!(
        "rule {id}: none of the first {} events has {}",
        note.counted, note.path
    );
    for (i, (p, n)) in note.closest.iter().enumerate() {
        let sep = if i == 0 { "; " } else { ", " };
        let verb = if *n == 1 { "has" } else { "have" };
        if i == 0 {
            line.push_str(&format!("{sep}{n} of them {verb} {p}"));
        } else {
            line.push_str(&format!("{sep}{n} {verb} {p}"));
        }
    }
    line
}
