//! The benchmark generator, `examples/gen_events.rs`, compiled into this test as a module.
//!
//! - Its default output is what it was: the committed sample, `examples/system-log.ndjson`, is
//!   its output for `--seed 42 --count 300 --import-rate 50`, byte for byte (BENCHMARKS.md's
//!   figures rest on the default output staying the same).
//! - `--detections` adds events and changes none: the default events are all there, in order,
//!   the same but for `published` and what derives from it (the uuid, token expiry times).
//! - `--detections` output is NDJSON with Okta's key order, `published` strictly increasing and
//!   unique uuids, and filters of Okta's detection catalogue that select nothing in the default
//!   output select events in it.

#[allow(dead_code)]
#[path = "../examples/gen_events.rs"]
mod gen_events;

use gen_events::{generate, Options};
use oktaql::Filter;
use serde_json::Value;

fn run(o: &Options) -> Vec<u8> {
    let mut out = Vec::new();
    generate(o, &mut out).expect("writing to a Vec");
    out
}

fn lines(b: &[u8]) -> Vec<&[u8]> {
    b.split(|&c| c == b'\n').filter(|l| !l.is_empty()).collect()
}

#[test]
fn default_output_is_the_committed_sample() {
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/system-log.ndjson"
    ))
    .expect("examples/system-log.ndjson");
    let out = run(&Options {
        seed: 42,
        count: Some(300),
        import_rate: 50,
        ..Options::default()
    });
    assert!(out == sample, "gen_events no longer writes the sample");
}

/// An event without the values that depend on when it was written.
fn timeless(line: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(line).expect("JSON");
    let o = v.as_object_mut().expect("an object");
    o.remove("published");
    o.remove("uuid");
    if let Some(Value::Array(ts)) = o.get_mut("target") {
        for t in ts {
            if let Some(Value::Object(d)) = t.get_mut("detailEntry") {
                d.remove("expires");
            }
        }
    }
    v
}

#[test]
fn detections_keep_the_default_events() {
    let plain = run(&Options {
        seed: 7,
        count: Some(3000),
        ..Options::default()
    });
    let mixed = run(&Options {
        seed: 7,
        count: Some(4000),
        detections: true,
        ..Options::default()
    });
    let want: Vec<Value> = lines(&plain).into_iter().map(timeless).collect();
    let mut found = 0;
    let mut added = 0;
    for l in lines(&mixed) {
        if found < want.len() && timeless(l) == want[found] {
            found += 1;
        } else if found < want.len() {
            added += 1;
        }
    }
    assert_eq!(found, want.len(), "default events missing or changed");
    // At least one scenario in a hundred default events.
    assert!(added > 30, "only {added} events added");
}

const TOP_KEYS: [&str; 17] = [
    "actor",
    "client",
    "device",
    "authenticationContext",
    "displayMessage",
    "eventType",
    "outcome",
    "published",
    "securityContext",
    "severity",
    "debugContext",
    "legacyEventType",
    "transaction",
    "uuid",
    "version",
    "request",
    "target",
];

#[test]
fn detections_output_is_okta_shaped_ndjson() {
    let out = run(&Options {
        seed: 3,
        count: Some(5000),
        detections: true,
        ..Options::default()
    });
    assert!(out.ends_with(b"\n"));
    let mut last = String::new();
    let mut uuids = std::collections::BTreeSet::new();
    for l in lines(&out) {
        let v: Value = serde_json::from_slice(l).expect("each line is JSON");
        let o = v.as_object().expect("each line is an object");
        assert_eq!(o.len(), TOP_KEYS.len(), "{}", String::from_utf8_lossy(l));
        // Okta's key order, as written (serde_json's map sorts, so look at the text).
        let text = std::str::from_utf8(l).expect("UTF-8");
        let mut at = 0;
        for (i, k) in TOP_KEYS.iter().enumerate() {
            let key = format!("{}\"{k}\":", if i == 0 { "{" } else { "," });
            let p = text[at..].find(&key).map(|p| p + at);
            assert!(p.is_some(), "{k} out of order in {text}");
            at = p.unwrap_or(at);
        }
        let p = o["published"].as_str().expect("published").to_string();
        assert!(p > last, "published {p} after {last}");
        last = p;
        assert!(uuids.insert(o["uuid"].as_str().expect("uuid").to_string()));
    }
}

/// Filters of Okta's detection catalogue (okta/customer-detections, `detection.okta_systemlog.OIE`)
/// whose scenarios recur often enough to be in a few thousand events.
const CATALOGUE: &[(&str, &str)] = &[
    (
        "hunts/hunt_api_activity.yml",
        r#"transaction.detail.requestApiTokenId pr and (outcome.result eq "SUCCESS" or outcome.result eq "ALLOW")"#,
    ),
    (
        "hunts/hunt_sign_in_attempts_from_proxies.yml",
        r#"eventType eq "user.session.start" and securityContext.isProxy eq "true""#,
    ),
    (
        "hunts/hunt_rich_client_abuse.yml",
        r#"eventType eq "user.authentication.auth_via_richclient""#,
    ),
    (
        "hunts/hunt_app_password_reveal.yml",
        r#"eventType eq "application.user_membership.show_password""#,
    ),
    (
        "hunts/hunt_mfa_abandonment.yml",
        r#"eventType eq "user.authentication.auth_via_mfa" and (outcome.result eq "UNANSWERED" or outcome.result eq "ABANDONED")"#,
    ),
    (
        "hunts/hunt_ad_user_imported.yml",
        r#"eventType eq "system.agent.ad.import_user""#,
    ),
];

fn count(f: &Filter, out: &[u8]) -> usize {
    lines(out)
        .into_iter()
        .filter(|l| f.matches_json(l).expect("JSON"))
        .count()
}

#[test]
fn detections_feed_the_catalogue() {
    let o = |detections| Options {
        seed: 7,
        count: Some(10_000),
        detections,
        ..Options::default()
    };
    let (plain, mixed) = (run(&o(false)), run(&o(true)));
    for (rule, text) in CATALOGUE {
        let f = Filter::parse(text).expect("the catalogue's filter parses");
        assert_eq!(count(&f, &plain), 0, "{rule} in the default mix");
        let n = count(&f, &mixed);
        assert!(n > 0, "{rule}: nothing in the detection mix");
    }
}
