//! `oktaql rules`: a rule set over events in one pass, as a user runs it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_oktaql");

const L1: &str = r#"{"eventType":"system.import.start","published":"2025-03-03T08:00:00Z","debugContext":{"debugData":{"importTrigger":"Manual action","importType":"Full"}},"uuid":"u1"}"#;
const L2: &str = r#"{"eventType":"system.import.start","published":"2025-03-03T09:00:00Z","debugContext":{"debugData":{"importTrigger":"Scheduled","importType":"Incremental"}},"uuid":"u2"}"#;
const L3: &str = r#"{"eventType":"user.session.start","published":"2025-03-04T10:00:00Z","actor":{"alternateId":"Alice@Example.com"},"outcome":{"result":"FAILURE"},"uuid":"u3"}"#;
const L4: &str = r#"{"eventType":"system.import.start","published":"2025-03-05T08:00:00Z","debugContext":{"debugData":{"importTrigger":"Manual action","importType":"Incremental"}},"uuid":"u4"}"#;

const MANUAL: &str =
    r#"{"id":"ad-import-manual","title":"AD import started by hand","level":"medium"}"#;
const FULL: &str =
    r#"{"id":"ad-import-manual-full","title":"Full AD import started by hand","level":"high"}"#;

fn events() -> String {
    format!("{L1}\n{L2}\n{L3}\n{L4}\n")
}

fn seed_rules() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/rules/seed.yml")
        .display()
        .to_string()
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &str) -> Out {
    let mut child = Command::new(BIN)
        .arg("rules")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run oktaql");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    Out {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn temp(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oktaql-rules-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn json_lines_name_the_rules_in_load_order() {
    let out = run(&["-r", &seed_rules()], &events());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("{{\"rules\":[{MANUAL},{FULL}],\"event\":{L1}}}\n{{\"rules\":[{MANUAL}],\"event\":{L4}}}\n")
    );
    assert_eq!(
        out.stderr,
        "oktaql: loaded 2 rules from 1 file; none not loaded\n"
    );
    // Every line is JSON.
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["event"]["uuid"].is_string());
    }
}

#[test]
fn counts_per_rule_with_first_and_last() {
    let out = run(&["-r", &seed_rules(), "-c", "--format", "json"], &events());
    assert_eq!(out.code, 0);
    let path = seed_rules();
    assert_eq!(
        out.stdout,
        format!(
            "{{\"id\":\"ad-import-manual\",\"title\":\"AD import started by hand\",\"level\":\"medium\",\"path\":{p},\"count\":2,\"first\":\"2025-03-03T08:00:00Z\",\"last\":\"2025-03-05T08:00:00Z\"}}\n\
             {{\"id\":\"ad-import-manual-full\",\"title\":\"Full AD import started by hand\",\"level\":\"high\",\"path\":{p},\"count\":1,\"first\":\"2025-03-03T08:00:00Z\",\"last\":\"2025-03-03T08:00:00Z\"}}\n",
            p = serde_json::Value::from(path.as_str())
        )
    );
    // The table: most severe first; zero counts included.
    let rules = temp(
        "zero",
        &[(
            "r.yml",
            "title: never\nid: never\nlevel: critical\nfilter: eventType eq \"nope\"\n",
        )],
    );
    let out = run(
        &["-r", &seed_rules(), "-r", rules.to_str().unwrap(), "-c"],
        &events(),
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["level", "count", "first", "last", "rule"]
    );
    assert!(
        lines[1].starts_with("critical")
            && lines[1].contains(" 0 ")
            && lines[1].ends_with("never (never)"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("high ")
            && lines[2].contains("2025-03-03T08:00:00Z  2025-03-03T08:00:00Z"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("medium ")
            && lines[3].contains(" 2  2025-03-03T08:00:00Z  2025-03-05T08:00:00Z  AD import"),
        "{}",
        lines[3]
    );
    let out = run(&["-r", &seed_rules(), "-c", "--format", "tsv"], &events());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "id\ttitle\tlevel\tpath\tcount\tfirst\tlast");
    assert_eq!(lines[1], format!("ad-import-manual\tAD import started by hand\tmedium\t{}\t2\t2025-03-03T08:00:00Z\t2025-03-05T08:00:00Z", seed_rules()));
}

#[test]
fn timeline_one_row_per_event_and_rule() {
    let out = run(&["-r", &seed_rules(), "--format", "csv"], &events());
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "published,level,rule.title,rule.id,eventType,actor.alternateId,client.ipAddress,outcome.result,displayMessage,uuid\n\
         2025-03-03T08:00:00Z,medium,AD import started by hand,ad-import-manual,system.import.start,,,,,u1\n\
         2025-03-03T08:00:00Z,high,Full AD import started by hand,ad-import-manual-full,system.import.start,,,,,u1\n\
         2025-03-05T08:00:00Z,medium,AD import started by hand,ad-import-manual,system.import.start,,,,,u4\n"
    );
    let out = run(
        &[
            "-r",
            &seed_rules(),
            "--format",
            "tsv",
            "--rule",
            "ad-import-manual-full",
        ],
        &events(),
    );
    assert_eq!(out.stdout.lines().nth(1), Some("2025-03-03T08:00:00Z\thigh\tFull AD import started by hand\tad-import-manual-full\tsystem.import.start\t\\N\t\\N\t\\N\t\\N\tu1"));
}

#[test]
fn selection_and_limits() {
    let out = run(&["-r", &seed_rules(), "--level", "high"], &events());
    assert_eq!(
        out.stdout,
        format!("{{\"rules\":[{FULL}],\"event\":{L1}}}\n")
    );
    assert!(
        out.stderr.contains("1 left out by the selection"),
        "{}",
        out.stderr
    );
    let out = run(
        &["-r", &seed_rules(), "--exclude", "ad-import-manual-full"],
        &events(),
    );
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(!out.stdout.contains("manual-full"));
    let out = run(&["-r", &seed_rules(), "-m", "1"], &events());
    assert_eq!(out.stdout.lines().count(), 1);
    let out = run(&["-r", &seed_rules(), "--since", "2025-03-04"], &events());
    assert_eq!(
        out.stdout,
        format!("{{\"rules\":[{MANUAL}],\"event\":{L4}}}\n")
    );
    // Events the window leaves out for want of a date-time are noted, as
    // the filtering command notes them: one with `published` that is not
    // a date-time, one without it, both selected by a rule but for the
    // window.
    let manual = r#""eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Manual action"}}"#;
    // An undated event no rule would select is not one of them.
    let undated = format!(
        "{{{manual},\"published\":\"yesterday\"}}\n{{{manual}}}\n{{\"eventType\":\"user.session.start\"}}\n"
    );
    let out = run(&["-r", &seed_rules(), "--since", "2025-03-04"], &undated);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert!(
        out.stderr.contains(
            "oktaql: 2 events left out by --since/--until: `published` is not a date-time\n"
        ),
        "{}",
        out.stderr
    );
    let out = run(&["-r", &seed_rules(), "--rule", "no-such-rule"], &events());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--rule/--exclude no-such-rule: no loaded rule has this id"),
        "{}",
        out.stderr
    );
    // Nothing selected: exit 1.
    let out = run(&["-r", &seed_rules()], &format!("{L2}\n{L3}\n"));
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
}

#[test]
fn what_does_not_load_is_named_before_events_are_read() {
    let dir = temp(
        "problems",
        &[
            ("a.yml", "title: a\nid: a\nfilter: eventType eq \"system.import.start\" and importTrigger eq \"x\"\n"),
            ("b.yml", "title: b\nid: b\nfilter: eventType in [\"x\", \"y\"]\n"),
            ("c.txt", "not a rule, not read"),
            ("d.yaml", "title: d\nid: a\nfilter: eventType pr\n"),
        ],
    );
    let d = dir.to_str().unwrap();
    let out = run(&["-r", d], &events());
    assert_eq!(out.code, 1, "{}", out.stderr);
    let a = dir.join("a.yml").display().to_string();
    let b = dir.join("b.yml").display().to_string();
    let dd = dir.join("d.yaml").display().to_string();
    assert!(
        out.stderr.contains(&format!(
            "{a}:3:48: warning[unknown-field]: no LogEvent is known to have `importTrigger`"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "{b}:1: rule not loaded: the filter does not parse"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("help: write: (eventType eq \"x\" or eventType eq \"y\")"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "{dd}:1: rule not loaded: another rule has the id `a` (loaded from {a}:1)"
        )),
        "{}",
        out.stderr
    );
    // The summary, then (after the events) the rule's empty-answer note.
    assert!(
        out.stderr.ends_with(
            "oktaql: loaded 1 rule from 3 files; 2 not loaded (1 syntax, 1 duplicate)\n\
             note: rule a: no event has importTrigger; 3 events have debugContext.debugData.importTrigger\n"
        ),
        "{}",
        out.stderr
    );
    // --strict: exit 2 before any event is read.
    let out = run(&["-r", d, "--strict"], &events());
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("--strict: 2 not loaded, 1 warning; no event read"),
        "{}",
        out.stderr
    );
    // No rule at all.
    let empty = temp("empty", &[("x.txt", "")]);
    let out = run(&["-r", empty.to_str().unwrap()], &events());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no rule loaded"), "{}", out.stderr);
}

#[test]
fn events_come_as_for_filtering() {
    // A bad line between good ones is reported, and the good ones kept.
    let text = format!("{L1}\n{{\"eventType\":\"system.import.start\",\n{L4}\n");
    let out = run(&["-r", &seed_rules()], &text);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(out.stderr.contains("<stdin>:2:"), "{}", out.stderr);
    // A JSON array of events (an API page) from a file; -H names the input.
    let dir = temp("array", &[("page.json", &format!("[{L1},\n{L2}]\n"))]);
    let f = dir.join("page.json");
    let out = run(&["-r", &seed_rules(), "-H", f.to_str().unwrap()], "");
    assert_eq!(
        out.stdout,
        format!(
            "{}:{{\"rules\":[{MANUAL},{FULL}],\"event\":{L1}}}\n",
            f.display()
        )
    );
    // --strict stops at a bad line.
    let out = run(&["-r", &seed_rules(), "--strict"], &text);
    assert_eq!(out.code, 2);
}

#[test]
fn okta_catalogue_runs_as_shipped() {
    let cat =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules/okta-customer-detections");
    let ev =
        r#"{"eventType":"system.agent.ad.create","published":"2025-03-03T08:00:00Z","uuid":"x"}"#;
    let out = run(&["-r", cat.to_str().unwrap()], &format!("{ev}\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("{{\"rules\":[{{\"id\":\"ca0a00420e4f4c2bb078ee6491484994\",\"title\":\"New AD Agent Created\",\"level\":null}}],\"event\":{ev}}}\n")
    );
    assert!(
        out.stderr
            .contains("loaded 35 rules from 46 files; 11 not loaded (2 syntax, 9 counting)"),
        "{}",
        out.stderr
    );
    let out = run(
        &["-r", cat.to_str().unwrap(), "--engine", "classic"],
        &format!("{ev}\n"),
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no rule loaded"));
}

/// The README's rule-pack example, on the sample, as the README shows it.
#[test]
fn readme_rules_example() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = run(
        &[
            "-r",
            &format!("{dir}/examples/rules"),
            "-c",
            &format!("{dir}/examples/system-log.ndjson"),
        ],
        "",
    );
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).unwrap();
    let table = readme
        .split("```text\nlevel   count")
        .nth(1)
        .and_then(|t| t.split("```").next())
        .map(|t| format!("level   count{t}"))
        .expect("the README's table");
    assert_eq!(out.stdout, table);
    // The README shows the seed rules file as it is.
    let seed = std::fs::read_to_string(format!("{dir}/examples/rules/seed.yml")).unwrap();
    let body: String = seed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        readme.contains(&format!("```yaml\n{body}```")),
        "README's yaml differs from examples/rules/seed.yml"
    );
}

/// On a terminal (a pseudo-terminal made by util-linux's `script`): the
/// count table, then the hits with their levels coloured.
#[test]
fn terminal_view_shows_the_table_then_the_hits() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let cmd =
        format!("{BIN} rules -r {dir}/examples/rules {dir}/examples/system-log.ndjson 2>/dev/null");
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .output()
        .expect("util-linux's script");
    let text = String::from_utf8(out.stdout).unwrap().replace('\r', "");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("level   count  first"), "{text}");
    assert!(lines[1].starts_with("high        2"), "{text}");
    assert_eq!(lines[3], "");
    // Five hits, the first selected by both rules, levels coloured.
    assert_eq!(lines.len(), 4 + 5, "{text}");
    assert!(lines[4].starts_with("\x1b[33m[medium]\x1b[0m AD import started by hand  \x1b[31m[high]\x1b[0m Full AD import"), "{:?}", lines[4]);
    assert!(
        lines[4]
            .contains("2025-03-03T08:00:41.813Z  system.import.start  olivia.wilson@example.com"),
        "{}",
        lines[4]
    );
}

fn sql(args: &[&str]) -> Out {
    let out = Command::new(BIN).arg("sql").args(args).output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `oktaql sql --rules`: one array expression; what runs it in the real
/// engines is tests/sql/rules.py.
#[test]
fn sql_rules_prints_one_id_array() {
    let out = sql(&["--dialect", "duckdb", "--rules", &seed_rules()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("list_filter(["), "{}", out.stdout);
    assert!(
        out.stdout.contains("'ad-import-manual'") && out.stdout.contains("'ad-import-manual-full'")
    );
    assert_eq!(
        out.stderr,
        "oktaql: loaded 2 rules from 1 file; none not loaded\n"
    );
    let out = sql(&[
        "--dialect",
        "clickhouse",
        "-r",
        &seed_rules(),
        "--column",
        "event",
    ]);
    assert!(
        out.stdout
            .starts_with("arrayFilter(rule_id -> rule_id <> '', ["),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("`event`"));
    let out = sql(&["--dialect", "spark", "-r", &seed_rules()]);
    assert!(out.stdout.starts_with("filter(array("), "{}", out.stdout);
    // Not with a filter, -v or -k.
    for bad in [&["-e", "a pr"][..], &["-v"], &["-k", "x"]] {
        let mut args = vec!["--dialect", "duckdb", "-r", "x.yml"];
        args.extend_from_slice(bad);
        let out = sql(&args);
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
    }
    let out = sql(&["--dialect", "duckdb", "--strict", "a pr"]);
    assert_eq!(out.code, 2);
    // --strict with a rule that does not load.
    let dir = temp("sqlstrict", &[("r.yml", "title: t\nid: t\nfilter: eventType in [\"a\"]\n---\ntitle: u\nid: u\nfilter: eventType pr\n")]);
    let r = dir.join("r.yml");
    let out = sql(&["--dialect", "duckdb", "-r", r.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("'u'") && !out.stdout.contains("'t'"));
    let out = sql(&["--dialect", "duckdb", "-r", r.to_str().unwrap(), "--strict"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
}

#[test]
fn a_rule_that_selects_nothing_is_told_which_of_its_paths_no_event_has() {
    // One rule selects events; the other reads a path no event has (a
    // miscased key, as Okta's catalogue has one reading `result`).
    let dir = temp(
        "notes",
        &[(
            "r.yml",
            "title: import\nid: import\nfilter: eventType eq \"system.import.start\"\n---\n\
             title: typo\nid: typo\nfilter: debugContext.debugData.ImportType eq \"Full\"\n",
        )],
    );
    let out = run(
        &["-r", dir.to_str().unwrap(), "-c", "--format", "json"],
        &events(),
    );
    assert!(
        out.stderr.contains(
            "rule typo: no event has debugContext.debugData.ImportType; \
             3 events have debugContext.debugData.importType\n"
        ),
        "{}",
        out.stderr
    );
    // The rule that selected events gets no note; -q prints none.
    assert!(!out.stderr.contains("rule import:"), "{}", out.stderr);
    let out = run(&["-q", "-r", dir.to_str().unwrap()], &events());
    assert!(!out.stderr.contains("rule typo:"), "{}", out.stderr);
}

/// `oktaql sql --rules` with Sigma rules a dialect cannot say exactly:
/// those are left out, one warning each; the others still translate.
#[test]
fn sql_rules_leaves_out_what_a_dialect_cannot_say() {
    let sigma = |id: &str, detection: &str| {
        format!("title: {id}\nid: {id}\nlogsource: {{product: okta}}\ndetection:\n  sel:\n{detection}  condition: sel\n")
    };
    let rules = [
        sigma("plain", "    eventType|startswith: 'user.'\n"),
        sigma("words", "    - 'evil'\n"),
        sigma("v6", "    client.ipAddress|cidr: '2001:db8::/32'\n"),
    ]
    .join("---\n");
    let dir = temp("sqlsigma", &[("r.yml", &rules)]);
    let r = dir.join("r.yml");
    let r = r.to_str().unwrap();
    let v6 = "warning: rule v6 not translated for DIALECT: `client.ipAddress`: the IPv6 \
              network `2001:db8::/32` (Sigma's `cidr`): IPv6 addresses are not written as SQL yet\n";
    let loaded = "oktaql: loaded 3 rules from 1 file; none not loaded\n";
    // DuckDB and ClickHouse see every string: only the IPv6 network is
    // refused.
    for d in ["duckdb", "clickhouse"] {
        let out = sql(&["--dialect", d, "-r", r]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("'plain'") && out.stdout.contains("'words'"));
        assert!(!out.stdout.contains("'v6'"));
        assert_eq!(out.stderr, format!("{loaded}{}", v6.replace("DIALECT", d)));
    }
    // Spark also refuses the keyword selection.
    let out = sql(&["--dialect", "spark", "-r", r]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("'plain'") && !out.stdout.contains("'words'"));
    assert_eq!(
        out.stderr,
        format!(
            "{loaded}warning: rule words not translated for spark: a keyword selection \
             (Sigma): this engine has no exact walk over every string of the event\n{}",
            v6.replace("DIALECT", "spark")
        )
    );
    // --strict: a rule not translated is exit 2, nothing printed.
    let out = sql(&["--dialect", "spark", "-r", r, "--strict"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out
        .stderr
        .ends_with("oktaql: --strict: 2 rules not translated for spark; no expression printed\n"));
    // No rule left: exit 2, each rule named.
    let dir = temp(
        "sqlsigma6",
        &[("r.yml", &sigma("v6", "    client.ipAddress|cidr: '::1'\n"))],
    );
    let out = sql(&[
        "--dialect",
        "duckdb",
        "-r",
        dir.join("r.yml").to_str().unwrap(),
    ]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out
        .stderr
        .contains("warning: rule v6 not translated for duckdb: "));
    assert!(
        out.stderr
            .ends_with("oktaql: no rule translates to SQL for duckdb: 1 refused\n"),
        "{}",
        out.stderr
    );
}
