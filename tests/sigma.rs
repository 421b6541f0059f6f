//! Sigma rules: SigmaHQ's 24 rules for Okta (tests/data/rules/sigma/) and
//! the synthetic rules of tests/sigma/rules/ load, and select what the
//! cases of tests/sigma/cases.jsonl say, by both evaluators (`Value` and
//! bytes) and in a rule set. The expectations were written by hand from
//! the specification; with `OKTAQL_SIGMA_VENV` set to a Python environment
//! with pySigma (CI's), they are also checked against an evaluator written
//! from the specification in Python (tests/sigma/evaluate.py), and each
//! rule's tree against pySigma's own parse (tests/sigma/pysigma_tree.py).

use std::path::{Path, PathBuf};
use std::process::Command;

use oktaql::rules::{Format, LoadOptions, Loader, ProblemKind, RuleSet, Why};

const SHARED: &str = "tests/data/rules/sigma";
const SYNTHETIC: &str = "tests/sigma/rules";
const CASES: &str = "tests/sigma/cases.jsonl";
const PLACEHOLDER: (&str, &str) = ("legtimate_identifiers", "@example.com");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> LoadOptions {
    LoadOptions::new().placeholder(PLACEHOLDER.0, vec![PLACEHOLDER.1.to_owned()])
}

#[test]
fn the_shared_rules_all_load_the_placeholder_one_once_given() {
    let (set, problems) = RuleSet::load(&[root().join(SHARED)], options());
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(set.len(), 24);
    assert!(set.rules().iter().all(|r| r.format() == Format::Sigma));
    let created = set
        .rules()
        .iter()
        .find(|r| r.id() == "b6c718dd-8f53-4b9f-98d8-93fdca966969")
        .expect("okta_user_created.yml");
    assert_eq!(created.level(), Some(oktaql::rules::Level::Informational));
    assert_eq!(created.status(), Some("test"));

    // Without the placeholder's values: named, not loaded.
    let (set, problems) = RuleSet::load(&[root().join(SHARED)], LoadOptions::new());
    assert_eq!(set.len(), 23);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert!(
        p.path.ends_with("okta_session_impersonation_granted.yml"),
        "{p}"
    );
    assert!(
        matches!(&p.kind, ProblemKind::NotLoaded { why: Why::Placeholder, reason, .. }
            if reason.contains("%legtimate_identifiers%")),
        "{p}"
    );
    assert_eq!(set.summary().why, [(Why::Placeholder, 1)]);
}

#[test]
fn status_selects() {
    let (set, _) = RuleSet::load(
        &[root().join(SHARED)],
        options().status(vec!["experimental".into()]),
    );
    let mut statuses: Vec<_> = set.rules().iter().map(|r| r.status()).collect();
    statuses.dedup();
    assert_eq!(statuses, [Some("experimental")]);
    assert!(set.summary().deselected > 0);
}

#[test]
fn cases_select_as_written() {
    let text = std::fs::read_to_string(root().join(CASES)).unwrap();
    let mut sets: Vec<(String, RuleSet)> = Vec::new();
    let mut checked = 0;
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let rule = case["rule"].as_str().unwrap();
        if !sets.iter().any(|(p, _)| p == rule) {
            let (set, problems) = RuleSet::load(&[root().join(rule)], options());
            assert!(
                problems.iter().all(|p| !p.is_not_loaded()),
                "{rule}: {problems:#?}"
            );
            sets.push((rule.to_owned(), set));
        }
        let set = &sets.iter().find(|(p, _)| p == rule).unwrap().1;
        let index = match case["id"].as_str() {
            Some(id) => set.rules().iter().position(|r| r.id() == id).unwrap(),
            None => 0,
        };
        let filter = set.rules()[index].filter();
        let event = &case["event"];
        let bytes = serde_json::to_vec(event).unwrap();
        let expect = case["expect"].as_bool().unwrap();
        let why = case["why"].as_str().unwrap();
        assert_eq!(
            filter.matches(event),
            expect,
            "{rule} {index} ({why}), Value"
        );
        assert_eq!(
            filter.matches_json(&bytes).unwrap(),
            expect,
            "{rule} {index} ({why}), bytes"
        );
        if expect {
            assert!(filter.may_match(&bytes), "{rule} ({why}): prefilter");
        }
        let mut hits = Vec::new();
        set.matches_json(&bytes, &mut hits).unwrap();
        assert_eq!(hits.contains(&index), expect, "{rule} ({why}): rule set");
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
    // Every shared rule has cases.
    let (shared, _) = RuleSet::load(&[root().join(SHARED)], options());
    for r in shared.rules() {
        let path = Path::new(r.path()).strip_prefix(root()).unwrap();
        assert!(
            text.contains(&format!("\"rule\": \"{}\"", path.display())),
            "no case for {}",
            path.display()
        );
    }
}

#[test]
fn keywords_and_duplicate_keys() {
    let mut loader = Loader::new(LoadOptions::new());
    loader.add_yaml(
        "title: k\nid: k\nlogsource: {product: okta}\ndetection:\n  kw: ['hunter2']\n  condition: not kw\n",
        "k.yml",
    );
    let (set, problems) = loader.finish();
    assert!(problems.is_empty(), "{problems:#?}");
    let f = set.rules()[0].filter();
    // The overwritten value is not the event's: `not kw` holds.
    assert!(f.matches_json(br#"{"a":"hunter2","a":"x"}"#).unwrap());
    assert!(!f.matches_json(br#"{"a":"x","a":"HUNTER2"}"#).unwrap());
    assert!(!f.matches_json(br#"{"a":{"b":["HUNTER22"]}}"#).unwrap());
    assert!(f.matches_json(br#"{"hunter2":"x"}"#).unwrap());
}

#[test]
fn not_loaded_with_the_reason() {
    let cases: &[(&str, Why, &str)] = &[
        (
            "logsource: {product: windows}\ndetection: {s: {a: x}, condition: s}",
            Why::Logsource,
            "`windows`",
        ),
        (
            "logsource: {service: okta}\ndetection: {s: {a: x}, condition: s}",
            Why::Logsource,
            "no `product`",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|windash: x}, condition: s}",
            Why::Unsupported,
            "windash",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|base64: x}, condition: s}",
            Why::Unsupported,
            "base64",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|nope: x}, condition: s}",
            Why::Invalid,
            "unknown modifier `nope`",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|re: 'a(?=b)'}, condition: s}",
            Why::Regex,
            "does not compile",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|cidr: '10.0.0.1/8'}, condition: s}",
            Why::Invalid,
            "bits set",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|gt: '5'}, condition: s}",
            Why::Invalid,
            "numbers",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a: x}, condition: s | count() > 5}",
            Why::Counting,
            "aggregation",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a: x}, condition: t}",
            Why::Invalid,
            "`t` is not a search identifier",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a: x}, condition: 1 of f*}",
            Why::Invalid,
            "names no search identifier",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a: x}, condition: s AND s}",
            Why::Invalid,
            "unexpected `AND`",
        ),
        (
            "logsource: {product: okta}\ndetection: {s: {a|contains|expand: '%x%'}, condition: s}",
            Why::Placeholder,
            "`%x%`",
        ),
        (
            "correlation: {type: event_count, rules: [a]}",
            Why::Unsupported,
            "correlation rules: not supported yet",
        ),
    ];
    for (body, why, says) in cases {
        let mut loader = Loader::new(LoadOptions::new());
        loader.add_yaml(&format!("title: t\nid: x\n{body}\n"), "r.yml");
        let (set, problems) = loader.finish();
        assert!(set.is_empty(), "{body}");
        match &problems[..] {
            [p] => match &p.kind {
                ProblemKind::NotLoaded { why: w, reason, .. } => {
                    assert_eq!(w, why, "{body}: {reason}");
                    assert!(reason.contains(says), "{body}: {reason}");
                }
                _ => panic!("{body}: {p}"),
            },
            _ => panic!("{body}: {problems:#?}"),
        }
    }
}

#[test]
fn fields_are_linted_by_line() {
    let mut loader = Loader::new(LoadOptions::new());
    loader.add_yaml(
        "title: t\nid: x\nlogsource: {product: okta}\ndetection:\n  s:\n    eventTyp: user.session.start\n    outcome.result: success\n  condition: s\n",
        "r.yml",
    );
    let (set, problems) = loader.finish();
    assert_eq!(set.len(), 1);
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        shown[0].starts_with("r.yml:6:5: warning[unknown-field]") && shown[0].contains("eventType"),
        "{shown:#?}"
    );
    // Sigma compares ignoring case: `success` is the enum's SUCCESS.
    assert_eq!(shown.len(), 1, "{shown:#?}");
}

/// The Python environment with pySigma, if the run has one.
fn venv() -> Option<PathBuf> {
    let v = std::env::var_os("OKTAQL_SIGMA_VENV")?;
    Some(PathBuf::from(v).join("bin/python"))
}

#[test]
fn python_evaluator_agrees() {
    let Some(python) = venv() else {
        eprintln!("OKTAQL_SIGMA_VENV not set: the Python evaluator is not run");
        return;
    };
    let out = Command::new(python)
        .current_dir(root())
        .args(["tests/sigma/evaluate.py", CASES])
        .arg(format!("{}={}", PLACEHOLDER.0, PLACEHOLDER.1))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(" passed, 0 failed"), "{text}");
}

#[test]
fn pysigma_reads_the_same_trees() {
    let Some(python) = venv() else {
        eprintln!("OKTAQL_SIGMA_VENV not set: the pySigma differential is not run");
        return;
    };
    let explain = Command::new(env!("CARGO_BIN_EXE_oktaql"))
        .current_dir(root())
        .args([
            "rules",
            "-r",
            SHARED,
            "-r",
            SYNTHETIC,
            "--explain",
            "--format",
            "json",
        ])
        .arg("--placeholder")
        .arg(format!("{}={}", PLACEHOLDER.0, PLACEHOLDER.1))
        .output()
        .unwrap();
    assert!(explain.status.success());
    let dir = std::env::temp_dir().join(format!("oktaql-sigma-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("explain.jsonl");
    std::fs::write(&file, &explain.stdout).unwrap();
    let out = Command::new(python)
        .current_dir(root())
        .arg("tests/sigma/pysigma_tree.py")
        .arg(&file)
        .arg(format!("{}={}", PLACEHOLDER.0, PLACEHOLDER.1))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("33 passed, 0 failed"), "{text}");
}

#[test]
fn sigma_filters_remove_hits_from_the_rules_they_name() {
    let mut loader = Loader::new(options());
    // The filter comes first: it applies to rules loaded after it too.
    loader.add_yaml(
        "title: Our provisioning account\nid: f1\nlogsource: {product: okta}\nfilter:\n  rules:\n    - b6c718dd-8f53-4b9f-98d8-93fdca966969\n  selection:\n    actor.alternateId|endswith: '@provisioning.example.com'\n  condition: selection\n---\ntitle: Names nothing\nlogsource: {product: okta}\nfilter:\n  rules: [no-such-rule]\n  selection:\n    eventType: x\n  condition: selection\n",
        "mf_provisioning.yml",
    );
    loader.add_path(
        &root()
            .join(SHARED)
            .join("rules/identity/okta/okta_user_created.yml"),
    );
    let (set, problems) = loader.finish();
    assert_eq!(set.len(), 1);
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert!(
        shown[0].starts_with("mf_provisioning.yml:11: warning[sigma-filter]")
            && shown[0].contains("names no loaded rule (no-such-rule)"),
        "{shown:#?}"
    );
    let f = set.rules()[0].filter();
    let created = |who: &str| {
        format!(r#"{{"eventType":"user.lifecycle.create","actor":{{"alternateId":"{who}"}}}}"#)
    };
    assert!(f
        .matches_json(created("alice@example.com").as_bytes())
        .unwrap());
    assert!(!f
        .matches_json(created("bot@PROVISIONING.example.com").as_bytes())
        .unwrap());
    assert!(set.rules()[0]
        .sigma_detection()
        .unwrap()
        .ends_with(r#"and not actor.alternateId: "*@provisioning.example.com""#));
}
