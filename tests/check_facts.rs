//! `data/okta/observed-paths.tsv` is derived from the corpus (`tests/data/corpus`): the attribute
//! paths of the corpus's real events and of Okta's own public filters that the schema file
//! (`data/okta/logevent-fields.tsv`) lacks. This test derives it again and compares; run it
//! with `OKTAQL_BLESS=1` to rewrite the file after the corpus or the rules below change.
//!
//! - Events: the real ones: `cribl-okta-rest_I4942I` (a trial org's API output),
//!   `stix-shifter_okta_tests` (real API responses, anonymised) and `okta-official-doc-examples`
//!   (Okta's documentation). Not `panther-analysis_okta_tests`: hand-edited test fixtures (the
//!   corpus README calls them semi-synthetic), whose `target.details` no real event has.
//! - Filters: those from Okta's own sources (okta-developer-docs, help.okta.com,
//!   support.okta.com, okta.com, okta/customer-detections), not tagged INVALID, UNSUPPORTED,
//!   NON-STANDARD, historical or legacy (in the annotation or the source column), and not the
//!   Users API example (`profile.firstName`, not a System Log filter). stix-shifter's filters are
//!   machine-generated, not Okta's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use oktaql::{check, Filter, Path};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const REAL_EVENTS: [&str; 3] = [
    "cribl-okta-rest_I4942I",
    "stix-shifter_okta_tests",
    "okta-official-doc-examples",
];

const OKTA_SOURCES: [&str; 5] = [
    "okta/okta-developer-docs",
    "help.okta.com",
    "support.okta.com",
    "okta.com/integrate",
    "okta/customer-detections",
];

const TAGS: [&str; 6] = [
    "invalid",
    "unsupported",
    "non-standard",
    "historical",
    "legacy",
    "users api",
];

/// The Okta filters of the corpus that count as Okta's own valid System Log filters.
pub fn okta_filters() -> Vec<String> {
    let text =
        std::fs::read_to_string(root().join("tests/data/corpus/filters-public.tsv")).unwrap();
    let mut out = Vec::new();
    for raw in text.lines() {
        if raw.starts_with('#') || raw.is_empty() {
            continue;
        }
        let (field, source) = raw.split_once('\t').unwrap();
        let (filter, notes) = match field.find("  [") {
            Some(at) if field.ends_with(']') => (&field[..at], &field[at..]),
            _ => (field, ""),
        };
        let meta = format!("{notes} {source}").to_lowercase();
        if TAGS.iter().any(|t| meta.contains(t)) || !OKTA_SOURCES.iter().any(|s| source.contains(s))
        {
            continue;
        }
        out.push(filter.to_owned());
    }
    out
}

fn derive() -> String {
    let schema: BTreeSet<String> =
        std::fs::read_to_string(root().join("data/okta/logevent-fields.tsv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect();
    let mut seen: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for file in REAL_EVENTS {
        let text = std::fs::read(root().join(format!("tests/data/corpus/{file}.ndjson"))).unwrap();
        for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            check::each_path(line, |p| {
                // Only paths a filter can name.
                if Path::parse(p).is_ok_and(|q| q.to_string() == p) {
                    seen.entry(p.to_owned()).or_default().insert("events");
                }
            })
            .unwrap();
        }
    }
    for f in okta_filters() {
        let filter = Filter::parse(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
        for p in check::filter_paths(filter.ast().unwrap()) {
            seen.entry(p.to_string()).or_default().insert("filters");
        }
    }
    let mut out = String::from(
        "# Attribute paths of Okta System Log events that data/okta/logevent-fields.tsv lacks, seen\n\
         # in the public corpus (tests/data/corpus): in its real events (cribl-okta-rest_I4942I,\n\
         # stix-shifter_okta_tests, okta-official-doc-examples) and in Okta's own public filters\n\
         # (filters-public.tsv). Derived by tests/check_facts.rs (OKTAQL_BLESS=1 rewrites it).\n\
         # path<TAB>where\n",
    );
    for (p, wh) in &seen {
        if schema.contains(p) {
            continue;
        }
        out.push_str(&format!(
            "{p}\t{}\n",
            wh.iter().copied().collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

#[test]
fn observed_paths_file_is_up_to_date() {
    let want = derive();
    let path = root().join("data/okta/observed-paths.tsv");
    if std::env::var_os("OKTAQL_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap();
    assert!(
        got == want,
        "data/okta/observed-paths.tsv is out of date: run OKTAQL_BLESS=1 cargo test --test check_facts\n{want}"
    );
}

#[test]
fn okta_filters_selected() {
    // 117 lines: 25 stix-shifter, 11 tagged from Okta's sources among the first 93
    // (15, 16, 17, 18, 29, 48, 49, 64, 66, 82, 83-93 minus none), line 20 (Users API).
    let fs = okta_filters();
    assert!(fs.contains(&r#"eventType eq ":eventType""#.to_owned()));
    assert!(!fs.iter().any(|f| f.contains("profile.firstName")));
    assert!(!fs.iter().any(|f| f.contains("event_type")));
    assert!(!fs.iter().any(|f| f.contains("debugData.url co")));
    assert!(!fs.iter().any(|f| f.contains("securityContext.asNumber")));
    assert!(fs
        .iter()
        .any(|f| f.contains("authenticatorContext.bindingMethod")));
}
