//! Benchmark of `FilterSet`: many filters over a file of NDJSON in one pass, against the same
//! filters run alone, the way the `oktaql rules` command runs them (the buffer searched for
//! candidate lines, then each candidate line matched), single-threaded, output to a file.
//!
//! ```text
//! cargo run --release --example gen_events -- --seed 7 --bytes 100000000 > target/bench/events.ndjson
//! cargo run --release --example filter_set_bench -- target/bench/events.ndjson [--rounds 7]
//! ```
//!
//! The filters: the Okta catalogue's (`tests/data/rules/okta-filters.tsv`, the 35 that parse), and
//! 1,000 filters made from them as IOC lists are: filter `k` is catalogue filter `k % 35` with
//! every string compared whole (`eq`, `ne`) that is not an `eventType` replaced by a generated
//! value of its kind (an IP address, a user name, an Okta id, a word), seeded; the patterns of
//! `co`, `sw` and `ew` and the event types stay, as they are the rule's logic, not its indicator.
//!
//! First every filter is run alone once, to find the slowest catalogue filter and the slowest of
//! the 1,000 (and to count what each catalogue filter selects). Then, for `--rounds` rounds, in
//! an order that alternates from round to round: the catalogue in one set, the slowest catalogue
//! filter alone, the catalogue one filter after another, the 1,000 in one set, the slowest of them
//! alone. Each pass reads the file from memory in 1 MiB buffers cut at line ends (the reader's
//! batches) and writes what it selects to `target/bench/filter-set-out.ndjson` (the set: the
//! filters' indices and the event, one line per selected event). Medians and ratios at the end,
//! of the time the thread ran on a CPU (`/proc/thread-self/schedstat`: on a busy machine, time
//! spent waiting for a CPU is left out) and of wall time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use oktaql::ast::{CompareOp, Expr, Literal};
use oktaql::{Filter, FilterSet};

const CHUNK: usize = 1 << 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut rounds = 7usize;
    let mut profile: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            "--profile" => profile = Some(args.next().expect("--profile ioc-set|catalogue-set")),
            _ => file = Some(a),
        }
    }
    let file = file.expect("usage: filter_set_bench FILE [--rounds N]");
    let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let chunks = chunks(&data);
    let out_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/bench/filter-set-out.ndjson"
    );
    std::fs::create_dir_all(std::path::Path::new(out_path).parent().unwrap()).unwrap();
    let mb = data.len() as f64 / 1e6;
    println!(
        "input: {file}, {mb:.1} MB, {} lines",
        data.iter().filter(|&&b| b == b'\n').count()
    );

    let (names, catalogue) = catalogue();
    let iocs = iocs(&catalogue, 1000);
    // `--profile ioc-set|catalogue-set`: only that pass, `--rounds` times (for `perf record`).
    if let Some(which) = &profile {
        let set = FilterSet::new(if which == "ioc-set" { iocs } else { catalogue });
        let t = cpu_now();
        for _ in 0..rounds {
            in_one_set(&set, &chunks, out_path);
        }
        println!(
            "{which}: {:.1} ms a pass on-CPU",
            (cpu_now() - t) * 1e3 / rounds as f64
        );
        return;
    }

    // Each alone, once: the slowest, and what each catalogue filter selects.
    let mut slowest = (0.0, 0);
    let mut none = Vec::new();
    for (i, f) in catalogue.iter().enumerate() {
        let t = cpu_now();
        let n = alone(f, &chunks, out_path);
        let s = cpu_now() - t;
        println!("  alone {:>7.1} ms {n:>6} selected  {}", s * 1e3, names[i]);
        if n == 0 {
            none.push(names[i].as_str());
        }
        if s > slowest.0 {
            slowest = (s, i);
        }
    }
    println!("catalogue filters that select nothing here: {}", none.len());
    for n in &none {
        println!("  {n}");
    }
    let slow_cat = slowest.1;
    let mut slowest = (0.0, 0);
    let mut selected = 0;
    for (i, f) in iocs.iter().enumerate() {
        let t = cpu_now();
        selected += alone(f, &chunks, out_path);
        let s = cpu_now() - t;
        if s > slowest.0 {
            slowest = (s, i);
        }
    }
    let slow_ioc = slowest.1;
    println!(
        "1,000 IOC filters: {selected} events selected in all; the slowest alone: #{slow_ioc} {}",
        iocs[slow_ioc]
    );
    println!(
        "slowest catalogue filter alone: {} ({})",
        names[slow_cat], catalogue[slow_cat]
    );

    let t = Instant::now();
    let cat_set = FilterSet::new(catalogue.clone());
    let build_cat = t.elapsed();
    let t = Instant::now();
    let ioc_set = FilterSet::new(iocs.clone());
    let build_ioc = t.elapsed();
    println!(
        "building the sets: catalogue {:.2} ms, 1,000 {:.2} ms",
        build_cat.as_secs_f64() * 1e3,
        build_ioc.as_secs_f64() * 1e3
    );

    const NAMES: [&str; 5] = [
        "catalogue, one set",
        "slowest catalogue filter alone",
        "catalogue, one by one",
        "1,000 IOC filters, one set",
        "slowest IOC filter alone",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
    let mut cpu: Vec<Vec<f64>> = vec![Vec::new(); NAMES.len()];
    let mut counts = [0usize; NAMES.len()];
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..NAMES.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for &which in &order {
            let t = Instant::now();
            let c = cpu_now();
            counts[which] = match which {
                0 => in_one_set(&cat_set, &chunks, out_path),
                1 => alone(&catalogue[slow_cat], &chunks, out_path),
                2 => catalogue.iter().map(|f| alone(f, &chunks, out_path)).sum(),
                3 => in_one_set(&ioc_set, &chunks, out_path),
                _ => alone(&iocs[slow_ioc], &chunks, out_path),
            };
            times[which].push(t.elapsed().as_secs_f64());
            cpu[which].push(cpu_now() - c);
        }
    }
    println!("\nmedians of {rounds} rounds (single thread, output to {out_path}):");
    let wall: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    let med: Vec<f64> = cpu.iter_mut().map(|t| median(t)).collect();
    println!(
        "  {:<32} {:>11} {:>11} {:>9}",
        "", "on-CPU", "wall", "selected"
    );
    for (i, name) in NAMES.iter().enumerate() {
        println!(
            "  {name:<32} {:>8.1} ms {:>8.1} ms {:>9}  ({:.0} MB/s on-CPU)",
            med[i] * 1e3,
            wall[i] * 1e3,
            counts[i],
            mb / med[i],
        );
    }
    println!("ratios of on-CPU medians:");
    println!(
        "  catalogue in one set / slowest catalogue filter alone: {:.2} (target <= 1.5)",
        med[0] / med[1]
    );
    println!(
        "  catalogue one by one / slowest catalogue filter alone: {:.2}",
        med[2] / med[1]
    );
    println!(
        "  catalogue in one set / one by one: {:.2}",
        med[0] / med[2]
    );
    println!(
        "  1,000 in one set / slowest of them alone: {:.2} (target <= 3)",
        med[3] / med[4]
    );
    println!(
        "  1,000 in one set / slowest catalogue filter alone: {:.2}",
        med[3] / med[1]
    );
}

/// Seconds this thread has run on a CPU (`/proc/thread-self/schedstat`), which waiting for a
/// CPU on a busy machine does not count; wall time where that file is missing.
fn cpu_now() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(
            || {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs_f64()
            },
            |ns| ns as f64 / 1e9,
        )
}

fn median(t: &mut [f64]) -> f64 {
    t.sort_by(f64::total_cmp);
    let n = t.len();
    if n % 2 == 1 {
        t[n / 2]
    } else {
        (t[n / 2 - 1] + t[n / 2]) / 2.0
    }
}

/// The data cut into buffers of about 1 MiB, each ending after a line end.
fn chunks(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let end = (at + CHUNK).min(data.len());
        let end = match memchr_last(&data[at..end]) {
            Some(i) if end < data.len() => at + i + 1,
            _ => end,
        };
        out.push(&data[at..end]);
        at = end;
    }
    out
}

fn memchr_last(b: &[u8]) -> Option<usize> {
    b.iter().rposition(|&c| c == b'\n')
}

/// An NDJSON line without its `\r`, or `None` for a blank one.
fn event(line: &[u8]) -> Option<&[u8]> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    (!line.iter().all(|&b| matches!(b, b' ' | b'\t'))).then_some(line)
}

/// One filter over every buffer: its candidate lines, then `matches_json`.
fn alone(f: &Filter, chunks: &[&[u8]], out_path: &str) -> usize {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(out_path).unwrap());
    let mut n = 0;
    for chunk in chunks {
        for r in f.candidate_lines(chunk) {
            let Some(line) = event(&chunk[r]) else {
                continue;
            };
            if f.matches_json(line) == Ok(true) {
                out.write_all(line).unwrap();
                out.write_all(b"\n").unwrap();
                n += 1;
            }
        }
    }
    out.flush().unwrap();
    n
}

/// The set over every buffer: its candidate lines, then `matches_json_among` with each line's
/// candidates; one output line per selected event, with the indices of the filters.
fn in_one_set(set: &FilterSet, chunks: &[&[u8]], out_path: &str) -> usize {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(out_path).unwrap());
    let mut n = 0;
    let mut hits = Vec::new();
    for chunk in chunks {
        let mut lines = set.candidate_lines(chunk);
        while let Some(r) = lines.next() {
            let Some(line) = event(&chunk[r]) else {
                continue;
            };
            if set
                .matches_json_among(line, lines.candidates(), &mut hits)
                .is_ok()
                && !hits.is_empty()
            {
                out.write_all(b"{\"rules\":[").unwrap();
                for (k, h) in hits.iter().enumerate() {
                    if k > 0 {
                        out.write_all(b",").unwrap();
                    }
                    write!(out, "{h}").unwrap();
                }
                out.write_all(b"],\"event\":").unwrap();
                out.write_all(line).unwrap();
                out.write_all(b"}\n").unwrap();
                n += 1;
            }
        }
    }
    out.flush().unwrap();
    n
}

/// The catalogue's filters that parse, with their rule files.
fn catalogue() -> (Vec<String>, Vec<Filter>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/rules/okta-filters.tsv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut names = Vec::new();
    let mut filters = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (file, filter) = line.split_once('\t').unwrap();
        if let Ok(f) = Filter::parse(filter) {
            names.push(file.to_owned());
            filters.push(f);
        }
    }
    (names, filters)
}

/// SplitMix64, seeded: the same filters on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `n` filters shaped like the catalogue's, with generated values.
fn iocs(catalogue: &[Filter], n: usize) -> Vec<Filter> {
    let mut rng = Rng(2020);
    (0..n)
        .map(|k| {
            let mut e = catalogue[k % catalogue.len()].ast().unwrap().clone();
            respell(&mut e, &mut rng);
            Filter::builder().from_ast(&e).unwrap()
        })
        .collect()
}

/// Replaces every string literal not on `eventType` with a generated value of its kind.
fn respell(e: &mut Expr, rng: &mut Rng) {
    match e {
        Expr::Or(es, _) | Expr::And(es, _) => es.iter_mut().for_each(|e| respell(e, rng)),
        Expr::Not(e, _) | Expr::ValuePath(_, e, _) => respell(e, rng),
        Expr::Present(..) => {}
        Expr::Compare(c) => {
            // The values compared whole; `co`/`sw`/`ew` patterns stay.
            if !matches!(c.op, CompareOp::Eq | CompareOp::Ne) {
                return;
            }
            let Literal::String(s) = &mut c.value else {
                return;
            };
            let last = c.path.names.last().map_or("", String::as_str);
            if c.path.names.len() == 1 && last == "eventType" {
                return;
            }
            let r = rng.next();
            *s = if last.contains("ip") || last.contains("Address") {
                format!(
                    "{}.{}.{}.{}",
                    1 + r % 223,
                    (r >> 8) % 256,
                    (r >> 16) % 256,
                    (r >> 24) % 256
                )
            } else if last.contains("alternateId") || last.contains("displayName") {
                format!("user{}@example{}.com", r % 100_000, (r >> 20) % 100)
            } else if last.contains("Id") || last.contains("id") {
                // Okta ids: `00u` and 17 letters and digits, capitals included.
                const ALNUM: &[u8] =
                    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                let mut x = r;
                let id: String = (0..17)
                    .map(|_| {
                        let c = ALNUM[(x % 62) as usize] as char;
                        x /= 62;
                        if x == 0 {
                            x = rng.next();
                        }
                        c
                    })
                    .collect();
                format!("00u{id}")
            } else {
                format!("IOC-{:012X}", r & 0xFFFF_FFFF_FFFF)
            };
        }
    }
}
