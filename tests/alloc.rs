//! The hot path allocates nothing per event once warm: `matches_json`,
//! `may_match` and `candidate_lines` on realistic events, with escapes,
//! value paths, dates and ignore-case.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use oktaql::Filter;

/// Counts allocations made by the current thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; the
// thread-local counter is a `Cell` of a `Copy` type with a const
// initialiser, so touching it never allocates or re-enters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn no_allocation_per_event_once_warm() {
    let corpus = include_str!("data/corpus/cribl-okta-rest_I4942I.ndjson");
    let filters = [
        Filter::parse(r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#).unwrap(),
        Filter::parse(r#"outcome.result eq "SUCCESS""#).unwrap(),
        Filter::parse(r#"eventType sw "user.authentication" and outcome.result eq "SUCCESS" and (debugContext.debugData.logOnlySecurityData co "\"New Device\":\"POSITIVE\"" or debugContext.debugData.behaviors co "New Device=POSITIVE") and not (client.zone eq "Corporate Network")"#).unwrap(),
        Filter::parse(r#"target[type eq "User" and alternateId co "@"] or published gt "2025-07-01" or securityContext.asNumber ge 14000"#).unwrap(),
        Filter::builder().ignore_case(true).parse(r#"displayMessage co "BRAND" or actor.displayName eq "freetrial orgcreator""#).unwrap(),
        // Literal lists: one set lookup per value (a date, a number
        // spelling, mixed types; ignore-case).
        Filter::parse(&(0..40).map(|i| format!(r#"eventType eq "user.session.x{i}""#)).chain([
            r#"eventType eq "user.session.start""#.to_owned(),
            r#"published eq "2024-05-01T10:00:00Z""#.to_owned(),
            r#"published eq "2024-05-02""#.to_owned(),
            "securityContext.asNumber eq 14000".to_owned(),
            r#"securityContext.asNumber eq "7018""#.to_owned(),
        ]).collect::<Vec<_>>().join(" or ")).unwrap(),
        Filter::builder().ignore_case(true).parse(&(0..40).map(|i| format!(r#"actor.alternateId eq "USER{i}@EXAMPLE.COM""#)).collect::<Vec<_>>().join(" or ")).unwrap(),
    ];
    let lines: Vec<&[u8]> = corpus.lines().map(str::as_bytes).collect();
    let mut expected = Vec::new();
    // Warm up: the thread-local scratch grows to its working size.
    for f in &filters {
        for line in &lines {
            expected.push(f.matches_json(line).unwrap());
        }
        let _ = f.candidate_lines(corpus.as_bytes()).count();
    }
    let mut got = Vec::with_capacity(expected.len());
    let before = allocations();
    for f in &filters {
        for line in &lines {
            got.push(f.may_match(line) && f.matches_json(line).unwrap());
        }
    }
    let after = allocations();
    assert_eq!(got, expected);
    assert!(expected.iter().any(|&m| m));
    assert_eq!(
        after - before,
        0,
        "allocations while matching {} events",
        got.len()
    );

    // Searching a buffer allocates once per buffer (its hit streams), not
    // per line.
    for f in &filters {
        let before = allocations();
        let n = f.candidate_lines(corpus.as_bytes()).count();
        assert!(
            allocations() - before <= 1,
            "{} allocations for {n} lines",
            allocations() - before
        );
    }
}
