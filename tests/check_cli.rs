//! `oktaql check`, `oktaql url`, the empty-answer notes and `-q`, run as a real process.
//! Expected outputs are written by hand from the issue and grammar.md (CHECKS); counts in the
//! notes were counted with grep and jq over the files (given next to each).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_oktaql");

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run oktaql");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    Out {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oktaql-check-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

// ------------------------------------------------------------------ check

#[test]
fn check_clean_is_silent_and_0() {
    for args in [
        &[
            "check",
            r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#,
        ][..],
        &[
            "check",
            "-e",
            r#"debugContext.debugData.importTrigger eq "Manual action""#,
        ],
        &["check", "-i", r#"outcome.result eq "success""#],
        &["check", "--format", "json", "target.id pr"],
        // The empty filter (no filter parameter at all).
        &["check", "-e", ""],
    ] {
        let out = run(args, b"");
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "", ""),
            "{args:?}"
        );
    }
}

#[test]
fn check_findings_as_text() {
    let out = run(
        &[
            "check",
            r#"eventtype eq "x" and outcome.result eq "success""#,
        ],
        b"",
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "");
    let want = "\
warning[unknown-field]: no LogEvent is known to have `eventtype`
eventtype eq \"x\" and outcome.result eq \"success\"
^^^^^^^^^
help: did you mean `eventType`?

warning[enum-value]: \"success\" is not a value of outcome.result
eventtype eq \"x\" and outcome.result eq \"success\"
                                       ^^^^^^^^^
help: did you mean \"SUCCESS\"? (outcome.result is one of SUCCESS, FAILURE, SKIPPED, ALLOW, \
DENY, CHALLENGE, UNKNOWN, RATE_LIMIT, DEFERRED, SCHEDULED, ABANDONED, UNANSWERED)
";
    assert_eq!(out.stdout, want);
}

#[test]
fn check_findings_as_json() {
    let filter = r#"target[type eq "User"] and published gt "2025-03-03" and debugContext.debugData.url co "/oauth/""#;
    let out = run(&["check", "--format", "json", filter], b"");
    assert_eq!(out.code, 1);
    let rows: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let brief: Vec<(String, String, u64, u64, Value)> = rows
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_owned(),
                r["severity"].as_str().unwrap().to_owned(),
                r["offset"].as_u64().unwrap(),
                r["length"].as_u64().unwrap(),
                r["suggestion"].clone(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            (
                "value-path".into(),
                "error".into(),
                0,
                22,
                Value::from(r#"target.type eq "User""#)
            ),
            (
                "published".into(),
                "error".into(),
                27,
                9,
                Value::from("--since 2025-03-03")
            ),
            (
                "unsupported-operator".into(),
                "error".into(),
                84,
                2,
                Value::Null
            ),
        ]
    );
    for r in &rows {
        assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn check_parse_errors_are_status_2() {
    let out = run(&["check", r#"display_message eqq "Create okta user""#], b"");
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "oktaql: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found `eqq` at offset 16\n\
         display_message eqq \"Create okta user\"\n                ^^^\n"
    );
    let out = run(
        &[
            "check",
            "--format",
            "json",
            r#"display_message eqq "Create okta user""#,
        ],
        b"",
    );
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains(r#""code":"parse-error""#));
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (v["offset"].as_u64(), v["severity"].as_str()),
        (Some(16), Some("error"))
    );
    // An empty positional filter does not parse either.
    assert_eq!(run(&["check", ""], b"").code, 2);
}

#[test]
fn check_a_filter_file_names_file_and_line() {
    let f = temp_file(
        "rule.okta",
        "eventType eq \"x\"\n  and display_message co \"y\"\n",
    );
    let f = f.to_str().unwrap();
    let out = run(&["check", "-f", f], b"");
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        format!(
            "warning[unknown-field]: {f}:2: no LogEvent is known to have `display_message`\n  \
             and display_message co \"y\"\n      ^^^^^^^^^^^^^^^\nhelp: did you mean `displayMessage`?\n"
        )
    );
    // From stdin.
    let out = run(&["check", "-f", "-"], b"severity eq \"WARNING\"\n");
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("warning[enum-value]: <stdin>:1: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("help: did you mean \"WARN\"?"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_usage_errors() {
    for args in [
        &["check"][..],
        &["check", "a pr", "b pr"],
        &["check", "--format", "yaml", "a pr"],
        &["check", "-v", "a pr"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains("Usage: oktaql check"), "{}", out.stderr);
    }
    let out = run(&["check", "--help"], b"");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Usage: oktaql check"));
    assert!(out.stdout.contains("unsupported-operator"));
}

// -------------------------------------------------------------------- url

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn url_prints_the_request() {
    let filter = r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#;
    let out = run(
        &[
            "url",
            "--since",
            "2099-03-03",
            "--until",
            "2099-03-04T08:00:00Z",
            "-k",
            "admin",
            "--limit",
            "1000",
            "--sort",
            "desc",
            filter,
        ],
        b"",
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(
        out.stdout,
        "/api/v1/logs?filter=eventType%20eq%20%22system.import.start%22%20and%20\
         debugContext.debugData.importTrigger%20eq%20%22Manual%20action%22&q=admin\
         &since=2099-03-03T00%3A00%3A00Z&until=2099-03-04T08%3A00%3A00Z&limit=1000\
         &sortOrder=DESCENDING\n"
    );
    let query = out.stdout.trim_end().split_once('?').unwrap().1;
    let (name, value) = query.split('&').next().unwrap().split_once('=').unwrap();
    assert_eq!((name, decode(value).as_str()), ("filter", filter));
    // A keyword-only question.
    let out = run(&["url", "-k", "alice", "-e", ""], b"");
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "/api/v1/logs?q=alice\n")
    );
    // A filter file: sent without its line break.
    let f = temp_file("u.okta", "eventType eq \"a b\"\n");
    let out = run(&["url", "-f", f.to_str().unwrap()], b"");
    assert_eq!(
        out.stdout,
        "/api/v1/logs?filter=eventType%20eq%20%22a%20b%22\n"
    );
}

#[test]
fn url_with_findings() {
    // An error: on stderr, status 1, the URL still printed.
    let out = run(
        &["url", r#"eventType eq "x" and published gt "2025-01-01""#],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(out
        .stdout
        .starts_with("/api/v1/logs?filter=eventType%20eq%20%22x%22%20and%20published"));
    assert!(
        out.stderr.starts_with("error[published]: "),
        "{}",
        out.stderr
    );
    // A warning only: shown, status 0.
    let out = run(&["url", r#"eventtype eq "x""#], b"");
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "/api/v1/logs?filter=eventtype%20eq%20%22x%22\n");
    assert!(
        out.stderr.starts_with("warning[unknown-field]: "),
        "{}",
        out.stderr
    );
    // The API's parameter rules.
    let out = run(&["url", "--limit", "5000", "eventType pr"], b"");
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("error[limit]: "), "{}", out.stderr);
    assert!(out.stdout.ends_with("&limit=5000\n"));
    let out = run(&["url", "--since", "2020-01-01", "eventType pr"], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[since-too-old]: "),
        "{}",
        out.stderr
    );
    // A filter that does not parse: no URL.
    let out = run(&["url", "eventType eqq 1"], b"");
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.starts_with("oktaql: expected an operator"));
    // Bad options.
    for args in [
        &["url", "--since", "yesterday", "a pr"][..],
        &["url", "--sort", "up", "a pr"],
        &["url", "-k", &"x".repeat(41), "a pr"],
    ] {
        assert_eq!(run(args, b"").code, 2, "{args:?}");
    }
}

// ------------------------------------------------------------------ notes

const SAMPLE: &str = "examples/system-log.ndjson";

#[test]
fn empty_answer_notes_on_the_sample() {
    // 22 events of the sample have debugContext.debugData.importTrigger
    // (grep -c '"importTrigger"' and jq agree).
    let filter = r#"eventType eq "system.import.start" and debugContext.debugData.ImportTrigger eq "Manual action""#;
    let note = "note: no event has debugContext.debugData.ImportTrigger; \
                22 events have debugContext.debugData.importTrigger\n";
    let out = run(&[filter, SAMPLE], b"");
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert_eq!(out.stderr, note);
    // Also under -c, and when reading stdin.
    let out = run(&["-c", filter], &std::fs::read(SAMPLE).unwrap());
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "0\n", note)
    );
    // -q silences them.
    let out = run(&["-q", filter, SAMPLE], b"");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "")
    );
    // All 300 events have eventType; outcome.result too.
    let out = run(
        &[r#"eventtype eq "x" or outcome.Result eq "y""#, SAMPLE],
        b"",
    );
    assert_eq!(
        out.stderr,
        "note: no event has eventtype; 300 events have eventType\n\
         note: no event has outcome.Result; 300 events have outcome.result\n"
    );
    // A path some event has: no note, whatever the answer.
    let out = run(
        &[r#"debugContext.debugData.importTrigger eq "nope""#, SAMPLE],
        b"",
    );
    assert_eq!((out.code, out.stderr.as_str()), (1, ""));
    // Events selected: no note.
    let out = run(
        &[
            r#"eventType eq "system.import.start" or zzz pr"#,
            "-c",
            SAMPLE,
        ],
        b"",
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    // Nothing read: nothing to say.
    let out = run(&["zzz pr"], b"");
    assert_eq!((out.code, out.stderr.as_str()), (1, ""));
}

#[test]
fn empty_answer_notes_on_the_corpus() {
    let files = [
        "tests/data/corpus/cribl-okta-rest_I4942I.ndjson",
        "tests/data/corpus/okta-official-doc-examples.ndjson",
        "tests/data/corpus/panther-analysis_okta_tests.ndjson",
        "tests/data/corpus/stix-shifter_okta_tests.ndjson",
    ];
    // 27 of the 141 events have debugContext.debugData.requestUri, all 141 eventType (jq).
    let mut args = vec![r#"debugContext.debugData.RequestUri co "/api/" or event_type pr"#];
    args.extend(files);
    let out = run(&args, b"");
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert_eq!(
        out.stderr,
        "note: no event has debugContext.debugData.RequestUri; \
         27 events have debugContext.debugData.requestUri\n\
         note: no event has event_type; 141 events have eventType\n"
    );
    // Okta's documentation examples as one pretty-printed JSON array (not NDJSON): the same
    // notes. 7 events; 1 has securityContext.risk.level (jq).
    let events: Vec<Value> = std::fs::read_to_string(files[1])
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pretty = serde_json::to_string_pretty(&events).unwrap();
    let out = run(
        &[r#"securityContext.Risk.level eq "HIGH""#],
        pretty.as_bytes(),
    );
    assert_eq!(
        out.stderr,
        "note: no event has securityContext.Risk.level; \
         1 event has securityContext.risk.level\n"
    );
}

#[test]
fn notes_beyond_the_sample_say_so() {
    // About 11 MB of events: more than the first 4 MiB (in batches of about 1 MiB) that are
    // counted.
    let line = format!(
        "{{\"eventType\":\"user.session.start\",\"pad\":\"{}\"}}\n",
        "x".repeat(1000)
    );
    let input = line.repeat(11_000);
    let out = run(&["eventtype pr"], input.as_bytes());
    assert_eq!(out.code, 1);
    let note = out.stderr.trim_end();
    let rest = note
        .strip_prefix("note: no event has eventtype; ")
        .unwrap_or_else(|| panic!("{note}"));
    let (n, rest) = rest.split_once(" of the first ").unwrap();
    let (m, rest) = rest.split_once(' ').unwrap();
    assert_eq!(rest, "events have eventType");
    assert_eq!(n, m);
    let n: u64 = n.parse().unwrap();
    assert!((3_000..7_000).contains(&n), "{n}");
    // The key appears after the sample: no note (every event is looked at for the path).
    let input = format!("{input}{{\"eventtype\":1}}\n");
    let out = run(&["eventtype eq 2"], input.as_bytes());
    assert_eq!((out.code, out.stderr.as_str()), (1, ""));
}

#[test]
fn quiet() {
    let out = run(
        &["-q", r#"eventType eq "system.import.start""#, SAMPLE],
        b"",
    );
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    for extra in [
        &["-c"][..],
        &["--json-array"],
        &["--fields", "uuid"],
        &["-v"],
    ] {
        let mut args = vec!["-q"];
        args.extend_from_slice(extra);
        args.extend([r#"eventType eq "system.import.start""#, SAMPLE]);
        let out = run(&args, b"");
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{args:?}");
    }
    let out = run(&["--quiet", "-c", r#"eventType eq "nope""#, SAMPLE], b"");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "")
    );
    // As grep -q: a selected event wins over an unreadable file.
    let out = run(
        &[
            "-q",
            r#"eventType eq "system.import.start""#,
            "no/such/file",
            SAMPLE,
        ],
        b"",
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert!(out.stderr.contains("no/such/file"));
    let out = run(&["-q", "eventType pr", "no/such/file"], b"");
    assert_eq!(out.code, 2);
}

#[test]
fn at_most_twenty_notes() {
    let filter: Vec<String> = (0..25).map(|i| format!("zz{i} pr")).collect();
    let out = run(&[&filter.join(" or "), SAMPLE], b"");
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 21);
    assert_eq!(lines[0], "note: no event has zz0");
    assert_eq!(lines[19], "note: no event has zz19");
    assert_eq!(
        lines[20],
        "note: 5 more paths of the filter that no event has"
    );
}

#[test]
fn quiet_silences_notes_about_skipped_files() {
    let dir = std::env::temp_dir().join(format!("oktaql-check-cli-q-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.json"), "{\"eventType\":\"a\"}\n").unwrap();
    std::fs::write(dir.join("0.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let d = dir.to_str().unwrap();
    let out = run(&["-c", "eventType pr", d], b"");
    assert_eq!((out.code, out.stdout.as_str()), (0, "1\n"));
    assert!(out.stderr.contains("skipped"), "{}", out.stderr);
    let out = run(&["-q", "eventType pr", d], b"");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
