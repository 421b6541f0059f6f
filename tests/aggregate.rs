//! The windows of `oktaql::rules::aggregate` against a second evaluation,
//! simple and slow, written here from the rules of issue 22 (not from the
//! library's code): per group, events in `published` order (ties in input
//! order); an alert at the first event at which the group's events within
//! the window ending at it (`within` before it, inclusive) satisfy the
//! condition; the alert holds those events; counting starts again after
//! that event.

use oktaql::rules::aggregate::{Aggregate, Alert, Counter};
use proptest::prelude::*;

/// A generated event: seconds after a fixed instant (None: no valid
/// `published`), its IP addresses (the group path), its user (distinct).
#[derive(Clone, Debug)]
struct Ev {
    secs: Option<u32>,
    ips: Vec<u8>,
    user: Option<u8>,
}

fn published(secs: u32) -> String {
    format!("2025-03-03T08:{:02}:{:02}Z", secs / 60, secs % 60)
}

fn json(i: usize, e: &Ev) -> String {
    let published = match e.secs {
        Some(s) => format!("\"{}\"", published(s)),
        None => "\"not a time\"".to_owned(),
    };
    let ips = match e.ips.as_slice() {
        [] => "null".to_owned(),
        [one] => format!("\"10.0.0.{one}\""),
        many => format!(
            "[{}]",
            many.iter()
                .map(|ip| format!("\"10.0.0.{ip}\""))
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    let user = e.user.map_or("null".to_owned(), |u| format!("\"u{u}\""));
    format!(
        r#"{{"published":{published},"client":{{"ipAddress":{ips}}},"actor":{{"id":{user}}},"uuid":"e{i}"}}"#
    )
}

fn holds(op: &str, n: u64, v: u64) -> bool {
    match op {
        ">=" => v >= n,
        ">" => v > n,
        "<=" => v <= n,
        "<" => v < n,
        "==" => v == n,
        _ => v != n,
    }
}

/// (raising time, raising input index, group value, value, events).
type Expected = (u32, usize, String, u64, Vec<String>);

fn reference(evs: &[Ev], within: Option<u32>, op: &str, n: u64, distinct: bool) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut groups: Vec<u8> = evs.iter().flat_map(|e| e.ips.clone()).collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        // The group's dated events, in `published` order, ties in input order.
        let mut members: Vec<usize> = (0..evs.len())
            .filter(|&i| evs[i].secs.is_some() && evs[i].ips.contains(&g))
            .collect();
        members.sort_by_key(|&i| (evs[i].secs, i));
        let mut after = 0; // counting starts again here
        for k in 0..members.len() {
            let now = evs[members[k]].secs.unwrap();
            let window: Vec<usize> = members[after..=k]
                .iter()
                .copied()
                .filter(|&j| within.is_none_or(|w| now - evs[j].secs.unwrap() <= w))
                .collect();
            let value = if distinct {
                let mut users: Vec<u8> = window.iter().filter_map(|&j| evs[j].user).collect();
                users.sort();
                users.dedup();
                users.len() as u64
            } else {
                window.len() as u64
            };
            if holds(op, n, value) {
                let names = window.iter().map(|j| format!("e{j}")).collect();
                out.push((now, members[k], format!("\"10.0.0.{g}\""), value, names));
                after = k + 1;
            }
        }
    }
    out.sort_by_key(|a| (a.0, a.1));
    out
}

fn run(evs: &[Ev], order: &[usize], agg: &Aggregate) -> (Vec<Alert>, u64) {
    let mut counter = Counter::new(agg);
    for &i in order {
        counter
            .add(json(i, &evs[i]).as_bytes(), || {
                unreachable!("every event has a uuid")
            })
            .unwrap();
    }
    let undated = counter.undated();
    (counter.finish(), undated)
}

fn event() -> impl Strategy<Value = Ev> {
    (
        prop_oneof![9 => (0u32..240).prop_map(Some), 1 => Just(None)],
        prop_oneof![3 => prop::collection::vec(0u8..3, 1..2), 1 => Just(vec![]), 1 => prop::collection::vec(0u8..3, 2..3)],
        prop::option::weighted(0.8, 0u8..4),
    )
        .prop_map(|(secs, mut ips, user)| {
            ips.dedup();
            Ev { secs, ips, user }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn windows_agree_with_the_simple_evaluation(
        evs in prop::collection::vec(event(), 0..40),
        within in prop::option::of(prop_oneof![Just(0u32), Just(10), Just(30), Just(60)]),
        op in prop_oneof![Just(">="), Just(">"), Just("=="), Just("<"), Just("<="), Just("!=")],
        n in 0u64..5,
        distinct in any::<bool>(),
    ) {
        let within_text = within.map(|w| format!("{w}s"));
        let agg = Aggregate::new(
            &["client.ipAddress"],
            distinct.then_some("actor.id"),
            within_text.as_deref(),
            &format!("{op} {n}"),
        ).unwrap();
        let order: Vec<usize> = (0..evs.len()).collect();
        let (alerts, undated) = run(&evs, &order, &agg);
        prop_assert_eq!(undated, evs.iter().filter(|e| e.secs.is_none()).count() as u64);
        let got: Vec<Expected> = alerts
            .iter()
            .map(|a| {
                let last: usize = a.events.last().unwrap()[1..].parse().unwrap();
                (evs[last].secs.unwrap(), last, a.group[0].1.clone(), a.value, a.events.clone())
            })
            .collect();
        prop_assert_eq!(&got, &reference(&evs, within, op, n, distinct));
        for a in &alerts {
            let first: usize = a.events[0][1..].parse().unwrap();
            let last: usize = a.events.last().unwrap()[1..].parse().unwrap();
            prop_assert_eq!(&a.first, &published(evs[first].secs.unwrap()));
            prop_assert_eq!(&a.last, &published(evs[last].secs.unwrap()));
        }
    }

    /// Exports from polling arrive out of `published` order: with no two
    /// events of one instant, the input order changes nothing.
    #[test]
    fn the_input_order_does_not_matter(
        evs in prop::collection::vec(event(), 0..30),
        seed in any::<u64>(),
    ) {
        let mut evs = evs;
        for (i, e) in evs.iter_mut().enumerate() {
            e.secs = e.secs.map(|_| (i as u32 * 7919) % 240);
        }
        let agg = Aggregate::new(&["client.ipAddress"], None, Some("30s"), ">= 2").unwrap();
        let order: Vec<usize> = (0..evs.len()).collect();
        let mut shuffled = order.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let key = |a: &Alert| (a.group.clone(), a.value, a.events.clone(), a.first.clone(), a.last.clone());
        let a: Vec<_> = run(&evs, &order, &agg).0.iter().map(key).collect();
        let b: Vec<_> = run(&evs, &shuffled, &agg).0.iter().map(key).collect();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn window_edges_by_hand() {
    // Events of one IP at 0, 60, 61 and 121 seconds, `within: 1m`, `>= 2`.
    let evs: Vec<Ev> = [0, 60, 61, 121]
        .iter()
        .map(|&s| Ev {
            secs: Some(s),
            ips: vec![1],
            user: None,
        })
        .collect();
    let agg = Aggregate::new(&["client.ipAddress"], None, Some("1m"), ">= 2").unwrap();
    let (alerts, _) = run(&evs, &[0, 1, 2, 3], &agg);
    // 60 s after 0 is inside (inclusive): the first alert holds e0 and e1;
    // counting starts again at e2, and 121 - 61 = 60: e2 and e3.
    let events: Vec<_> = alerts.iter().map(|a| a.events.clone()).collect();
    assert_eq!(events, [vec!["e0", "e1"], vec!["e2", "e3"]]);
    // One second narrower, no pair is close enough.
    let agg = Aggregate::new(&["client.ipAddress"], None, Some("59s"), ">= 2").unwrap();
    let events: Vec<_> = run(&evs, &[0, 1, 2, 3], &agg)
        .0
        .iter()
        .map(|a| a.events.clone())
        .collect();
    assert_eq!(events, [vec!["e1", "e2"]]); // only 60 and 61
}

#[test]
fn groups_are_values_whatever_their_spelling_and_every_combination_counts() {
    let agg = Aggregate::new(
        &["client.ipAddress", "actor.id"],
        Some("target.id"),
        None,
        ">= 2",
    )
    .unwrap();
    let mut counter = Counter::new(&agg);
    let events = [
        // Two IPs and one actor: in the groups (1, a) and (2, a).
        r#"{"published":"2025-03-03T08:00:00Z","client":{"ipAddress":["10.0.0.1","10.0.0.2"]},"actor":{"id":"a"},"target":{"id":"t\/1"},"uuid":"e0"}"#,
        // The same instant written with an offset and a fraction; `t/1`
        // spelled without the escape is the same distinct value.
        r#"{"published":"2025-03-03T09:00:00.000+01:00","client":{"ipAddress":"10.0.0.1"},"actor":{"id":"a"},"target":{"id":"t/1"},"uuid":"e1"}"#,
        r#"{"published":"2025-03-03T08:00:01Z","client":{"ipAddress":"10.0.0.2"},"actor":{"id":"a"},"target":{"id":"t2"},"uuid":"e2"}"#,
        // No actor: in no group.
        r#"{"published":"2025-03-03T08:00:02Z","client":{"ipAddress":"10.0.0.1"},"target":{"id":"t3"},"uuid":"e3"}"#,
        r#"{"published":"2025-03-03T08:00:03Z","client":{"ipAddress":"10.0.0.1"},"actor":{"id":"a"},"target":{"id":"t4"},"uuid":"e4"}"#,
    ];
    for e in events {
        counter.add(e.as_bytes(), || unreachable!()).unwrap();
    }
    let alerts = counter.finish();
    let got: Vec<_> = alerts
        .iter()
        .map(|a| {
            (
                a.group.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
                a.value,
                a.events.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // (2, a): t/1 then t2, at 08:00:01.
            (
                vec!["\"10.0.0.2\"", "\"a\""],
                2,
                vec!["e0".to_owned(), "e2".to_owned()]
            ),
            // (1, a): t/1 twice is one value; t4 at 08:00:03 makes two.
            (
                vec!["\"10.0.0.1\"", "\"a\""],
                2,
                vec!["e0".to_owned(), "e1".to_owned(), "e4".to_owned()]
            ),
        ]
    );
    assert_eq!(alerts[1].first, "2025-03-03T08:00:00Z");
    assert_eq!(alerts[1].last, "2025-03-03T08:00:03Z");
}

#[test]
fn bad_parts_are_named() {
    let err = |g: &[&str], d: Option<&str>, w: Option<&str>, c: &str| {
        Aggregate::new(g, d, w, c).unwrap_err().to_string()
    };
    assert_eq!(
        err(&["a"], None, None, "at least 2"),
        "`condition`: `at least 2` is not a comparison (`>= 2`; >, >=, <, <=, ==, !=)"
    );
    assert_eq!(
        err(&["a"], None, None, ">= -1"),
        "`condition`: `-1` is not a count (a whole number)"
    );
    assert_eq!(
        err(&["a"], None, Some("5w"), ">= 1"),
        "`within`: `5w` is not a duration (a number and s, m, h or d: `10m`)"
    );
    assert!(err(&["a..b"], None, None, ">= 1").starts_with("`group_by`: `a..b` is not a path"));
}
