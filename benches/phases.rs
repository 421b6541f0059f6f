//! Benchmarks by phase: parse, compile, match on a `Value`, match on bytes
//! (a hit, a miss the prefilter rejects, a miss after parsing), and the
//! prefilter alone. Compilation happens outside every timed loop except
//! `compile`'s own.
//!
//! Run: `cargo bench --bench phases`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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

criterion_group!(benches, phases);
criterion_main!(benches);
