//! The progress line on stderr: shown only on a terminal, for file input,
//! once the run has lasted a second; wiped at the end. And the counters it
//! reads, which the reader and the writer keep up to date.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::style::Term;

/// How far the run is: bytes read from the raw sources (by the reader),
/// events looked at and events selected (by the writer, in input order).
#[derive(Default)]
pub struct Counters {
    bytes: AtomicU64,
    events: AtomicU64,
    matches: AtomicU64,
}

impl Counters {
    pub fn add_bytes(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_events(&self, n: u64) {
        self.events.fetch_add(n, Ordering::Relaxed);
    }

    /// Events looked at so far.
    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    pub fn set_matches(&self, n: u64) {
        self.matches.store(n, Ordering::Relaxed);
    }
}

/// Counts the bytes read from the raw source, for the progress bar.
pub struct Counting<'a, R> {
    pub inner: R,
    pub counters: &'a Counters,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counters.add_bytes(n as u64);
        Ok(n)
    }
}

const DELAY: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(200);
const WIDTH: usize = 24;

/// Draws until `stop` is dropped (or sends).
pub fn run(term: &Term, counters: &Counters, total: u64, stop: Receiver<()>) {
    let start = Instant::now();
    loop {
        match stop.recv_timeout(TICK) {
            Err(RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        let elapsed = start.elapsed();
        if elapsed < DELAY {
            continue;
        }
        let bytes = counters.bytes.load(Ordering::Relaxed);
        let events = counters.events.load(Ordering::Relaxed);
        let matches = counters.matches.load(Ordering::Relaxed);
        term.draw_bar(&line(bytes, total, events, matches, elapsed));
    }
}

fn line(bytes: u64, total: u64, events: u64, matches: u64, elapsed: Duration) -> String {
    let frac = if total == 0 {
        0.0
    } else {
        (bytes as f64 / total as f64).min(1.0)
    };
    let filled = (frac * WIDTH as f64) as usize;
    let bar: String = (0..WIDTH)
        .map(|i| match i.cmp(&filled) {
            std::cmp::Ordering::Less => '=',
            std::cmp::Ordering::Equal => '>',
            std::cmp::Ordering::Greater => ' ',
        })
        .collect();
    let rate = events as f64 / elapsed.as_secs_f64().max(1e-3);
    format!(
        "[{bar}] {:>3}% {} / {}  {} events/s  {matches} matches",
        (frac * 100.0) as u32,
        human_bytes(bytes),
        human_bytes(total),
        human_count(rate),
    )
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn human_count(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders() {
        let s = line(
            500_000_000,
            1_000_000_000,
            3_000_000,
            42,
            Duration::from_secs(2),
        );
        assert_eq!(
            s,
            "[============>           ]  50% 500.0 MB / 1.0 GB  1.5M events/s  42 matches"
        );
        assert_eq!(human_bytes(999), "999 B");
    }
}
