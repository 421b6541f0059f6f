//! Rule packs: loading each format, and naming everything that does not load.

use std::fs;
use std::path::PathBuf;

use oktaql::rules::{
    Engine, Format, Level, LoadOptions, Loader, Problem, ProblemKind, RuleSet, Why,
};
use oktaql::Filter;

fn catalogue() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules/okta-customer-detections")
}

fn load(text: &str) -> (RuleSet, Vec<Problem>) {
    let mut loader = Loader::new(LoadOptions::new());
    loader.add_yaml(text, "r.yml");
    loader.finish()
}

fn not_loaded(problems: &[Problem]) -> Vec<(usize, Why, String)> {
    problems
        .iter()
        .filter_map(|p| match &p.kind {
            ProblemKind::NotLoaded { why, reason, .. } => Some((p.line, *why, reason.clone())),
            ProblemKind::Warning { .. } => None,
        })
        .collect()
}

fn file_name(p: &Problem) -> String {
    PathBuf::from(&p.path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn okta_catalogue_loads_and_names_what_does_not() {
    let (set, problems) = RuleSet::load(&[catalogue()], LoadOptions::new());
    // 46 files: 37 with an OIE filter, 2 of them not Okta's grammar; 9 with only Splunk.
    assert_eq!(set.len(), 35);
    assert_eq!(
        set.summary().to_string(),
        "loaded 35 rules from 46 files; 11 not loaded (2 syntax, 9 counting)"
    );
    assert!(set
        .rules()
        .iter()
        .all(|r| r.format() == Format::Okta && r.level().is_none()));
    let counting: Vec<String> = problems
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                ProblemKind::NotLoaded {
                    why: Why::Counting,
                    ..
                }
            )
        })
        .map(file_name)
        .collect();
    assert_eq!(counting.len(), 9);
    assert!(counting.contains(&"device_registered_to_multiple_users.yml".to_owned()));
    for p in problems.iter().filter(|p| p.is_not_loaded()) {
        let shown = p.to_string();
        assert!(shown.contains(":1: rule not loaded: "), "{shown}");
    }
    let shown = |name: &str| {
        problems
            .iter()
            .find(|p| file_name(p) == name)
            .unwrap_or_else(|| panic!("no problem for {name}"))
            .to_string()
    };
    // The two filters that are not Okta's grammar, with the rewrite that loads them.
    let s = shown("api_token_excessive_network_access.yml");
    assert!(s.contains("found `in`"), "{s}");
    assert!(
        s.contains(r#"help: write: (eventType eq "system.api_token.create" or eventType eq "system.api_token.update") AND debugContext.debugData.networkConnection eq "ANYWHERE""#),
        "{s}"
    );
    let s = shown("protected_action_super_admin_password_reset.yml");
    assert!(
        s.contains(r#"write: eventType eq "security.protected_action.attempt" AND target.displayName eq "Reset passwords for super admins""#),
        "{s}"
    );
    let s = shown("device_registered_to_multiple_users.yml");
    assert!(
        s.contains("counts events by a key over a period; the filter language cannot say this"),
        "{s}"
    );
    // The rule that reads a field no event has: a warning placed in its file
    // (line 27, column 59: after six spaces of indentation and 52 characters).
    let s = shown("detect_aitm_phishing_using_okta_fastpass.yml");
    assert!(s.contains("detect_aitm_phishing_using_okta_fastpass.yml:27:59: warning[unknown-field]: no LogEvent is known to have `result`"), "{s}");
    assert!(s.contains("did you mean `outcome.result`?"), "{s}");
    // The rewrites really load.
    for text in [
        r#"(eventType eq "system.api_token.create" or eventType eq "system.api_token.update") AND debugContext.debugData.networkConnection eq "ANYWHERE""#,
        r#"eventType eq "security.protected_action.attempt" AND target.displayName eq "Reset passwords for super admins""#,
    ] {
        Filter::parse(text).unwrap();
    }
}

#[test]
fn classic_engine_reads_classic_filters() {
    let text = "title: t\nid: a\ndetection:\n  okta_systemlog:\n    OIE: |\n      eventType eq \"a\"\n    Classic: |\n      eventType eq \"b\"\n";
    let mut loader = Loader::new(LoadOptions::new().engine(Engine::Classic));
    loader.add_yaml(text, "r.yml");
    let (set, problems) = loader.finish();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(set.rules()[0].filter_text(), r#"eventType eq "b""#);
    // The catalogue has no Classic filters: every filter rule is then not loaded.
    let (set, problems) = RuleSet::load(&[catalogue()], LoadOptions::new().engine(Engine::Classic));
    assert_eq!(set.len(), 0);
    let engine = problems
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                ProblemKind::NotLoaded {
                    why: Why::Engine,
                    ..
                }
            )
        })
        .count();
    assert_eq!(engine, 37);
    assert!(problems.iter().any(|p| p
        .to_string()
        .contains("help: it has a `OIE` filter: --engine oie")));
}

#[test]
fn own_format_in_four_lines() {
    let (set, problems) = load(
        "title: AD import started by hand
id: ad-import-manual
level: medium
filter: eventType eq \"system.import.start\" and debugContext.debugData.importTrigger eq \"Manual action\"
",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let r = &set.rules()[0];
    assert_eq!(
        (r.id(), r.title(), r.level()),
        (
            "ad-import-manual",
            "AD import started by hand",
            Some(Level::Medium)
        )
    );
    assert_eq!(r.format(), Format::Oktaql);
    assert_eq!(r.line(), 1);
    let ev = br#"{"eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Manual action"}}}"#;
    let mut hits = Vec::new();
    set.matches_json(ev, &mut hits).unwrap();
    assert_eq!(hits, [0]);
    set.matches(&serde_json::from_slice(ev).unwrap(), &mut hits);
    assert_eq!(hits, [0]);
    set.matches_json(br#"{"eventType":"system.import.start"}"#, &mut hits)
        .unwrap();
    assert!(hits.is_empty());
}

#[test]
fn options_a_rule_may_need() {
    let (set, problems) = load(
        "title: a\nid: a\nignore_case: true\nfilter: actor.alternateId eq \"ALICE@EXAMPLE.COM\"\n---\ntitle: k\nid: k\nkeywords: spray\nfilter: eventType pr\n---\ntitle: only words\nid: w\nkeywords: spray attack\nfilter: ''\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(set.len(), 3);
    assert!(set.rules()[0].ignore_case());
    let mut hits = Vec::new();
    set.matches_json(
        br#"{"actor":{"alternateId":"alice@example.com"}}"#,
        &mut hits,
    )
    .unwrap();
    assert_eq!(hits, [0]);
    set.matches_json(
        br#"{"eventType":"x","displayMessage":"password spray attack"}"#,
        &mut hits,
    )
    .unwrap();
    assert_eq!(hits, [1, 2]);
    set.matches_json(br#"{"displayMessage":"spray attack"}"#, &mut hits)
        .unwrap();
    assert_eq!(hits, [2]);
}

#[test]
fn documents_that_do_not_load_leave_the_others() {
    let text = "\
title: ok
id: one
filter: eventType pr
---
title: both
id: two
filter: eventType pr
detection:
  okta_systemlog:
    OIE: eventType pr
---
id: three
filter: eventType pr
---
title: no id
filter: eventType pr
---
title: bad level
id: five
level: severe
filter: eventType pr
---
title: bad filter
id: six
filter: eventType eq
---
title: duplicate
id: one
filter: actor.id pr
---
title: not a rule
id: eight
---
title: flag
id: nine
ignore_case: yes please
filter: eventType pr
---
title: last
id: ten
filter: eventType pr
";
    let (set, problems) = load(text);
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["one", "ten"]);
    let got = not_loaded(&problems);
    let lines: Vec<usize> = got.iter().map(|g| g.0).collect();
    assert_eq!(lines, [5, 12, 15, 18, 23, 27, 31, 34]);
    assert_eq!(got[0].1, Why::Invalid);
    assert!(got[0].2.contains("both `filter`"), "{}", got[0].2);
    assert_eq!(got[1].2, "no `title`");
    assert_eq!(got[2].2, "no `id`");
    assert!(got[3].2.contains("unknown level `severe`"), "{}", got[3].2);
    assert_eq!(got[4].1, Why::Syntax);
    assert_eq!(got[5].1, Why::Duplicate);
    assert_eq!(
        got[5].2,
        "another rule has the id `one` (loaded from r.yml:1)"
    );
    assert!(got[6].2.starts_with("not a rule"), "{}", got[6].2);
    assert!(
        got[7]
            .2
            .contains("`ignore_case` must be true or false, not `yes please`"),
        "{}",
        got[7].2
    );
    assert_eq!(
        set.summary().to_string(),
        "loaded 2 rules from 1 file; 8 not loaded (6 invalid, 1 syntax, 1 duplicate)"
    );
}

#[test]
fn unknown_keys_are_warnings_placed_on_the_key() {
    let (set, problems) = load("title: t\nid: a\nfilter: eventType pr\nfiltr: eventType pr\n");
    assert_eq!(set.len(), 1);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "r.yml:4:1: warning[unknown-key]: oktaql's rule format has no key `filtr`; it is ignored"
    );
}

#[test]
fn lint_findings_are_placed_in_the_file() {
    // A plain scalar: the column of the scalar plus the offset.
    let (_, problems) = load("title: t\nid: a\nfilter: eventType eq \"x\" and actr.id pr\n");
    assert_eq!(problems.len(), 1);
    let s = problems[0].to_string();
    assert!(s.starts_with("r.yml:3:30: warning[unknown-field]: "), "{s}");
    // A literal block: the line within the block and its indentation.
    let (_, problems) = load("title: t\nid: a\nfilter: |\n\n   eventType eq \"x\"\n   and outcome.reslt eq \"SUCCESS\"\n");
    let s = problems[0].to_string();
    assert!(s.starts_with("r.yml:6:8: warning[unknown-field]: "), "{s}");
}

#[test]
fn a_file_that_is_not_yaml_is_named_and_the_others_load() {
    let dir = tempdir("notyaml");
    fs::write(dir.join("a.yml"), "title: a\nid: a\nfilter: eventType pr\n").unwrap();
    fs::write(
        dir.join("b.yml"),
        "title: b\nid: b\nfilter: [eventType pr\n",
    )
    .unwrap();
    fs::write(dir.join("c.yaml"), "title: c\nid: c\nfilter: actor.id pr\n").unwrap();
    fs::write(dir.join("notes.txt"), "not a rule").unwrap();
    fs::write(
        dir.join(".hidden.yml"),
        "title: h\nid: h\nfilter: actor.id pr\n",
    )
    .unwrap();
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(
        dir.join("sub/d.yml"),
        "title: d\nid: d\nfilter: actor.id pr\n",
    )
    .unwrap();
    let (set, problems) = RuleSet::load(std::slice::from_ref(&dir), LoadOptions::new());
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["a", "c", "d"]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let s = problems[0].to_string();
    assert!(
        s.contains("b.yml:4:1: file not loaded: not valid YAML: "),
        "{s}"
    );
    assert_eq!(set.summary().files, 4);
    let (set, _) = RuleSet::load(std::slice::from_ref(&dir), LoadOptions::new().hidden(true));
    assert_eq!(set.len(), 4);
    // A file named directly is read whatever its name.
    fs::write(
        dir.join("rule.txt"),
        "title: t\nid: t\nfilter: actor.id pr\n",
    )
    .unwrap();
    let (set, _) = RuleSet::load(&[dir.join("rule.txt")], LoadOptions::new());
    assert_eq!(set.len(), 1);
    let (set, problems) = RuleSet::load(&[dir.join("missing.yml")], LoadOptions::new());
    assert!(set.is_empty());
    assert!(matches!(
        problems[0].kind,
        ProblemKind::NotLoaded {
            why: Why::Unreadable,
            ..
        }
    ));
}

#[test]
fn selection_by_level_and_id() {
    let text = "title: a\nid: a\nlevel: low\nfilter: eventType pr\n---\ntitle: b\nid: b\nlevel: high\nfilter: eventType pr\n---\ntitle: c\nid: c\nfilter: eventType pr\n---\ntitle: d\nid: d\nlevel: critical\nfilter: eventType pr\n";
    let ids = |options: LoadOptions| {
        let mut loader = Loader::new(options);
        loader.add_yaml(text, "r.yml");
        let (set, _) = loader.finish();
        set.rules()
            .iter()
            .map(|r| r.id().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(LoadOptions::new()), ["a", "b", "c", "d"]);
    assert_eq!(
        ids(LoadOptions::new().min_level(Some(Level::High))),
        ["b", "d"]
    );
    assert_eq!(
        ids(LoadOptions::new().only(vec!["c".into(), "a".into()])),
        ["a", "c"]
    );
    assert_eq!(
        ids(LoadOptions::new().exclude(vec!["a".into()])),
        ["b", "c", "d"]
    );
}

#[test]
fn the_shipped_examples_load_cleanly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/rules");
    let (set, problems) = RuleSet::load(&[dir], LoadOptions::new());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(set.len() >= 2);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oktaql-rules-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_json_schema_names_the_keys_the_loader_reads() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/rules/oktaql-rule.schema.json");
    let schema: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    let mut keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut known = oktaql::rules::OKTAQL_KEYS.to_vec();
    known.sort_unstable();
    assert_eq!(keys, known);
    let levels: Vec<&str> = schema["properties"]["level"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    assert_eq!(levels, ours);
    assert_eq!(
        schema["required"],
        serde_json::json!(["title", "id", "filter"])
    );
}

#[test]
fn selection_names_ids_no_rule_has() {
    let mut loader = Loader::new(
        LoadOptions::new()
            .only(vec!["a".into(), "typo".into()])
            .exclude(vec!["nope".into()]),
    );
    loader.add_yaml("title: a\nid: a\nfilter: eventType pr\n", "r.yml");
    let (set, _) = loader.finish();
    assert_eq!(set.len(), 1);
    assert_eq!(set.summary().unknown_ids, ["typo", "nope"]);
}
