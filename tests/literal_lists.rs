//! Long `or` lists of literals (IOC lists of IP addresses, user lists) on
//! real events: every way of matching gives the answer of an independent
//! oracle, with the prefilter at work (a few literals) and stepping aside
//! (many). That a list costs one lookup, not one comparison per literal, is
//! checked structurally (`lower.rs` and `prefilter.rs` unit tests) and
//! measured in `benches/phases.rs` (`literals`), not timed here.

use std::collections::BTreeSet;

use oktaql::Filter;
use serde_json::Value;

fn sample() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/system-log.ndjson"
    ))
    .expect("examples/system-log.ndjson")
}

/// `client.ipAddress` of each event (None when absent or not a string).
fn addresses(text: &str) -> Vec<Option<String>> {
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["client"]["ipAddress"].as_str().map(str::to_owned)
        })
        .collect()
}

/// `n` addresses: every `step`-th address seen in the sample, then made-up
/// ones that appear nowhere.
fn ioc_list(seen: &BTreeSet<String>, n: usize, step: usize) -> Vec<String> {
    let mut list: Vec<String> = seen.iter().step_by(step).take(n).cloned().collect();
    let mut i = 0u32;
    while list.len() < n {
        list.push(format!(
            "198.{}.{}.{}",
            18 + i / 65536 % 2,
            i / 256 % 256,
            i % 256
        ));
        i += 1;
    }
    list
}

fn or_list(path: &str, lits: &[String]) -> String {
    lits.iter()
        .map(|l| format!("{path} eq \"{l}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The number of events selected, counted four ways that must agree.
fn count_every_way(f: &Filter, text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let by_value = lines
        .iter()
        .filter(|l| f.matches(&serde_json::from_str(l).unwrap()))
        .count();
    let by_bytes = lines
        .iter()
        .filter(|l| f.matches_json(l.as_bytes()).unwrap())
        .count();
    let with_may_match = lines
        .iter()
        .filter(|l| f.may_match(l.as_bytes()) && f.matches_json(l.as_bytes()).unwrap())
        .count();
    let buf = text.as_bytes();
    let with_candidate_lines = f
        .candidate_lines(buf)
        .filter(|r| f.matches_json(&buf[r.clone()]).unwrap())
        .count();
    assert_eq!(by_bytes, by_value, "{f}");
    assert_eq!(with_may_match, by_value, "{f}");
    assert_eq!(with_candidate_lines, by_value, "{f}");
    by_value
}

#[test]
fn ioc_lists_of_every_size_select_what_the_oracle_selects() {
    let text = sample();
    let addrs = addresses(&text);
    let seen: BTreeSet<String> = addrs.iter().flatten().cloned().collect();
    assert!(seen.len() > 50, "the sample has {} addresses", seen.len());
    for n in [1, 2, 8, 15, 16, 17, 100, 1_000, 7_000, 10_000] {
        for step in [1, 7] {
            let list = ioc_list(&seen, n, step);
            let set: BTreeSet<&str> = list.iter().map(String::as_str).collect();
            let want = addrs
                .iter()
                .filter(|a| a.as_deref().is_some_and(|a| set.contains(a)))
                .count();
            assert!(want > 0, "{n} literals, step {step}: no event selected");
            let f = Filter::parse(&or_list("client.ipAddress", &list)).unwrap();
            assert_eq!(
                count_every_way(&f, &text),
                want,
                "{n} literals, step {step}"
            );
            // The same list with an operand that rules the prefilter out
            // (`pr` needs no literal): the same events.
            let g = Filter::parse(&format!(
                "{} or client.nowhere pr",
                or_list("client.ipAddress", &list)
            ))
            .unwrap();
            assert_eq!(
                count_every_way(&g, &text),
                want,
                "{n} literals, step {step}, no prefilter"
            );
            // `ne … and ne …`: the complement among events with an address
            // (an event without one satisfies every `ne`).
            let ne = list
                .iter()
                .map(|l| format!("client.ipAddress ne \"{l}\""))
                .collect::<Vec<_>>()
                .join(" and ");
            let h = Filter::parse(&ne).unwrap();
            assert_eq!(
                count_every_way(&h, &text),
                addrs.len() - want,
                "ne, {n} literals"
            );
        }
    }
}

#[test]
fn lists_of_users_ignoring_case_and_in_value_paths() {
    let text = sample();
    let mut users = BTreeSet::new();
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        if let Some(id) = v["actor"]["alternateId"].as_str() {
            users.insert(id.to_owned());
        }
    }
    let users: Vec<String> = users.into_iter().step_by(3).collect();
    let upper: Vec<String> = users.iter().map(|u| u.to_uppercase()).collect();
    let mut list = upper.clone();
    list.extend((0..3000).map(|i| format!("nobody{i}@example.com")));
    let exact = Filter::parse(&or_list("actor.alternateId", &list)).unwrap();
    let folded = Filter::builder()
        .ignore_case(true)
        .parse(&or_list("actor.alternateId", &list))
        .unwrap();
    let want = text
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["actor"]["alternateId"]
                .as_str()
                .is_some_and(|id| users.iter().any(|u| u == id))
        })
        .count();
    assert!(want > 0);
    let upper_in_sample = text
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["actor"]["alternateId"]
                .as_str()
                .is_some_and(|id| upper.iter().any(|u| u == id))
        })
        .count();
    assert_eq!(count_every_way(&exact, &text), upper_in_sample);
    assert_eq!(count_every_way(&folded, &text), want);
    // In a value path: some target whose alternateId is in the list.
    let targets = Filter::parse(&format!("target[{}]", or_list("alternateId", &users))).unwrap();
    let want = text
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["target"].as_array().is_some_and(|ts| {
                ts.iter().any(|t| {
                    t["alternateId"]
                        .as_str()
                        .is_some_and(|id| users.iter().any(|u| u == id))
                })
            })
        })
        .count();
    assert_eq!(count_every_way(&targets, &text), want);
}
