//! Benchmarks by phase: parse, compile, match on a `Value`, match on bytes
//! (a hit, a miss the prefilter rejects, a miss after parsing), and the
//! prefilter alone. Compilation happens outside every timed loop except
//! `compile`'s own. Then the `literals` group: `or` lists of 1 to 10,000
//! IP addresses (an IOC list) over the 300 sample events.
//!
//! Run: `cargo bench --bench phases`, or one group:
//! `cargo bench --bench phases -- literals`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use oktaql::Filter;

const SEED: &str = r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#;
const BROAD: &str = r#"outcome.result eq "SUCCESS""#;
const RULE: &str = r#"eventType sw "user.authentication" and outcome.result eq "SUCCESS" and (debugContext.debugData.logOnlySecurityData co "\"New Device\":\"POSITIVE\"" or debugContext.debugData.behaviors co "New Device=POSITIVE") and not (client.zone eq "Corporate Network")"#;

/// A real event from the corpus (tests/data/corpus), a user.session.start.
fn real_event() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/corpus/okta-official-doc-examples.ndjson"
    );
    let text = std::fs::read_to_string(path).expect("corpus copy in tests/data");
    text.lines().next().expect("an event").to_owned()
}

/// The real event turned into an AD import (keys come out sorted).
fn import_event(trigger: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&real_event()).unwrap();
    v["eventType"] = "system.import.start".into();
    v["debugContext"]["debugData"]["importTrigger"] = trigger.into();
    v["debugContext"]["debugData"]["importType"] = "Full".into();
    v.to_string()
}

fn phases(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, text) in [("seed", SEED), ("broad", BROAD), ("rule", RULE)] {
        g.bench_function(name, |b| b.iter(|| Filter::parse(black_box(text)).unwrap()));
    }
    g.finish();

    // Parse once; time only the compile step through the builder (which
    // also re-parses, so the difference to `parse` is the compile cost).
    let mut g = c.benchmark_group("parse+compile");
    for (name, text) in [("seed", SEED), ("rule", RULE)] {
        let b = Filter::builder();
        g.bench_function(name, |bch| bch.iter(|| b.parse(black_box(text)).unwrap()));
    }
    g.finish();

    let event = real_event();
    let value: serde_json::Value = serde_json::from_str(&event).unwrap();
    let seed = Filter::parse(SEED).unwrap();
    let broad = Filter::parse(BROAD).unwrap();
    let rule = Filter::parse(RULE).unwrap();
    let hit = import_event("Manual action");
    let miss_after_parse = import_event("Scheduled");

    let mut g = c.benchmark_group("match");
    g.throughput(Throughput::Bytes(event.len() as u64));
    g.bench_function("value/broad-hit", |b| {
        b.iter(|| broad.matches(black_box(&value)))
    });
    g.bench_function("bytes/broad-hit", |b| {
        b.iter(|| broad.matches_json(black_box(event.as_bytes())))
    });
    g.bench_function("value/rule", |b| b.iter(|| rule.matches(black_box(&value))));
    g.bench_function("bytes/rule", |b| {
        b.iter(|| rule.matches_json(black_box(event.as_bytes())))
    });
    g.bench_function("bytes/seed-hit", |b| {
        b.iter(|| seed.matches_json(black_box(hit.as_bytes())))
    });
    g.bench_function("bytes/seed-miss-after-parse", |b| {
        b.iter(|| seed.matches_json(black_box(miss_after_parse.as_bytes())))
    });
    g.bench_function("prefilter/seed-miss", |b| {
        b.iter(|| seed.may_match(black_box(event.as_bytes())))
    });
    g.bench_function("value-from-bytes/broad", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(black_box(event.as_bytes())).unwrap();
            broad.matches(&v)
        })
    });
    g.finish();
}

/// `client.ipAddress eq "…" or …` with `n` addresses: the first two seen in
/// the sample (so some events match), the rest made up.
fn ioc_filter(sample: &str, n: usize) -> String {
    let mut seen: Vec<String> = sample
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some(v["client"]["ipAddress"].as_str()?.to_owned())
        })
        .collect();
    seen.sort();
    seen.dedup();
    let mut list: Vec<String> = seen.into_iter().take(2.min(n)).collect();
    let mut i = 0;
    while list.len() < n {
        list.push(format!("198.18.{}.{}", i / 256, i % 256));
        i += 1;
    }
    list.iter()
        .map(|ip| format!("client.ipAddress eq \"{ip}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Long `or` lists of literals: parse+compile, `matches_json` on each
/// sample event, and over the whole buffer the candidate lines alone and
/// with `matches_json` on each (what the command does).
fn literals(c: &mut Criterion) {
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/system-log.ndjson"
    ))
    .expect("examples/system-log.ndjson");
    let buf = sample.as_bytes();
    let lines: Vec<&[u8]> = sample.lines().map(str::as_bytes).collect();
    let sizes = [1, 10, 100, 1_000, 10_000];
    let texts: Vec<(usize, String)> = sizes.iter().map(|&n| (n, ioc_filter(&sample, n))).collect();

    let mut g = c.benchmark_group("literals/parse+compile");
    for (n, text) in &texts {
        g.bench_with_input(BenchmarkId::from_parameter(n), text, |b, t| {
            b.iter(|| Filter::parse(black_box(t)).unwrap())
        });
    }
    g.finish();

    let filters: Vec<(usize, Filter)> = texts
        .iter()
        .map(|(n, t)| (*n, Filter::parse(t).unwrap()))
        .collect();
    let mut g = c.benchmark_group("literals/matches_json");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (n, f) in &filters {
        g.bench_with_input(BenchmarkId::from_parameter(n), f, |b, f| {
            b.iter(|| {
                lines
                    .iter()
                    .filter(|l| f.matches_json(black_box(l)).unwrap())
                    .count()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("literals/candidate_lines");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (n, f) in &filters {
        g.bench_with_input(BenchmarkId::from_parameter(n), f, |b, f| {
            b.iter(|| f.candidate_lines(black_box(buf)).count())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("literals/select");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (n, f) in &filters {
        g.bench_with_input(BenchmarkId::from_parameter(n), f, |b, f| {
            b.iter(|| {
                f.candidate_lines(black_box(buf))
                    .filter(|r| f.matches_json(&buf[r.clone()]).unwrap())
                    .count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, phases, literals);
criterion_main!(benches);
