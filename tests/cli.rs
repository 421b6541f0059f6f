//! The `oktaql` command, run as a real process: stdin, files, every option,
//! each exit status. Expected outputs are written by hand from the spec.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_oktaql");

const SEED: &str = r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#;

const L1: &str = r#"{"eventType":"system.import.start","published":"2025-03-03T08:00:00Z","debugContext":{"debugData":{"importTrigger":"Manual action","importType":"Full"}},"uuid":"u1"}"#;
const L2: &str = r#"{"eventType":"system.import.start","published":"2025-03-03T09:00:00Z","debugContext":{"debugData":{"importTrigger":"Scheduled","importType":"Incremental"}},"uuid":"u2"}"#;
const L3: &str = r#"{"eventType":"user.session.start","published":"2025-03-04T10:00:00Z","actor":{"alternateId":"Alice@Example.com"},"outcome":{"result":"FAILURE"},"uuid":"u3"}"#;
const L4: &str = r#"{"eventType":"system.import.start","published":"2025-03-05T08:00:00Z","debugContext":{"debugData":{"importTrigger":"Manual action","importType":"Incremental"}},"uuid":"u4"}"#;

fn events() -> String {
    format!("{L1}\n{L2}\n{L3}\n{L4}\n")
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs oktaql with `args`, feeding `stdin` from another thread.
fn run(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run oktaql");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // The command may stop reading early (-m, an invalid filter).
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

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oktaql-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_owned()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn lines(s: &[&str]) -> String {
    s.iter().map(|l| format!("{l}\n")).collect()
}

// ---------------------------------------------------------------- basics

#[test]
fn seed_query_on_stdin_and_on_a_file() {
    let out = run(&[SEED], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L1, L4]));
    assert_eq!(out.stderr, "");
    assert_eq!(out.code, 0);

    let dir = TempDir::new();
    let f = dir.file("logs.ndjson", events());
    let out = run(&[SEED, &f], b"");
    assert_eq!(out.stdout, lines(&[L1, L4]));
    assert_eq!(out.code, 0);
}

#[test]
fn selected_lines_keep_their_bytes() {
    let a = r#"{ "eventType" :  "a", "n": 1.50 ,"s":"\u0041\/"}"#;
    let b = r#"{"eventType":"b"}"#;
    let out = run(&[r#"eventType eq "a""#], format!("{a}\n{b}\n").as_bytes());
    assert_eq!(out.stdout, format!("{a}\n"));
    assert_eq!(out.code, 0);
}

#[test]
fn nothing_selected_is_status_1() {
    let out = run(&[r#"eventType eq "nope""#], events().as_bytes());
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");
    assert_eq!(out.code, 1);
    // Empty input too.
    let out = run(&["eventType pr"], b"");
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
}

#[test]
fn invalid_filter() {
    let out = run(&[r#"eventType eqq "x""#], events().as_bytes());
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    let err: Vec<&str> = out.stderr.lines().collect();
    assert!(
        err[0].starts_with("oktaql: expected an operator"),
        "{}",
        out.stderr
    );
    assert!(err[0].contains("`eqq` at offset 10"), "{}", out.stderr);
    assert_eq!(err[1], r#"eventType eqq "x""#);
    assert_eq!(err[2], "          ^^^");
}

#[test]
fn invalid_filter_ending_with_line_breaks_points_at_its_last_line() {
    // As pasted from a wiki: the filter ends with a line break (here CRLF
    // and a blank line). The caret goes after `and`, not on an empty line.
    // A filter of several lines also gets the line and column.
    for (filter, at, line, caret) in [
        (
            "eventType eq \"x\" and\n",
            "offset 20",
            "eventType eq \"x\" and",
            "                    ^",
        ),
        (
            "eventType eq \"x\"\r\n  and\r\n\r\n",
            "line 2, column 6 (offset 23)",
            "  and",
            "     ^",
        ),
    ] {
        let out = run(&[filter], events().as_bytes());
        assert_eq!(out.code, 2, "{filter:?}");
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            format!(
                "oktaql: expected an attribute path, `(` or `not (`, found end of filter at {at}\n{line}\n{caret}\n"
            ),
            "{filter:?}"
        );
    }
}

// ------------------------------------------------------- NDJSON details

#[test]
fn crlf_blank_lines_and_last_line_without_newline() {
    let input = "{\"a\":1}\r\n\r\n{\"a\":2}\r\n  \n\t\n{\"a\":3}";
    let out = run(&["a pr"], input.as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    assert_eq!(out.stderr, "");
    assert_eq!(out.code, 0);
}

#[test]
fn byte_order_mark_is_skipped() {
    let out = run(&["a eq 1"], "\u{feff}{\"a\":1}\n{\"a\":2}\n".as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n");
    let out = run(&["a eq 1"], "\u{feff}[{\"a\": 1}]".as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n");
}

#[test]
fn odd_lines_keep_their_events() {
    // Several values on one line, as jq reads them (issue 19).
    let out = run(&["-c", "a pr"], b"{\"a\":1} {\"a\":2}\n");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        ("2\n", "", 0)
    );
    // CR-only line ends: three events, numbered by their lines.
    let out = run(&["a pr"], b"{\"a\":1}\r{\"a\":2}\r\"x\"\r{\"a\":3}\r");
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    assert!(
        out.stderr
            .starts_with("<stdin>:3: a string at the top level, not an object\n"),
        "{}",
        out.stderr
    );
    // `cat a.json b.json` of two files written with a byte-order mark.
    let out = run(
        &["-c", "a pr"],
        "\u{feff}{\"a\":1}\n\u{feff}{\"a\":2}\n".as_bytes(),
    );
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("2\n", ""));
}

fn bad_input() -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(b"{\"eventType\":\"a\",\"n\":1}\n"); // 1
    v.extend_from_slice(b"{\"eventType\":\"b\",\n"); // 2: truncated
    v.extend_from_slice(b"{\"eventType\":\"\xff\xfe\"}\n"); // 3: not UTF-8
    v.extend_from_slice(b"not json\r\n"); // 4
    v.extend_from_slice(b"\n"); // 5: blank
    v.extend_from_slice(b"{\"eventType\":\"c\"}\n"); // 6
    v
}

#[test]
fn bad_lines_are_reported_and_skipped() {
    // -v validates every line, so each bad line is reported.
    let out = run(&["-v", r#"eventType eq "nothing""#], &bad_input());
    assert_eq!(
        out.stdout,
        "{\"eventType\":\"a\",\"n\":1}\n{\"eventType\":\"c\"}\n"
    );
    let err: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(err.len(), 4, "{}", out.stderr);
    assert!(err[0].starts_with("<stdin>:2: "), "{}", out.stderr);
    assert!(
        err[1].starts_with("<stdin>:3: ") && err[1].contains("invalid UTF-8"),
        "{}",
        out.stderr
    );
    assert!(err[2].starts_with("<stdin>:4: "), "{}", out.stderr);
    assert_eq!(err[3], "oktaql: 3 bad lines skipped");
    assert_eq!(out.code, 0);

    // Without -v: bad lines are never selected, good ones still are.
    let out = run(&["eventType pr"], &bad_input());
    assert_eq!(
        out.stdout,
        "{\"eventType\":\"a\",\"n\":1}\n{\"eventType\":\"c\"}\n"
    );
    assert_eq!(out.code, 0);
}

#[test]
fn bad_lines_in_a_file_name_the_file() {
    let dir = TempDir::new();
    let f = dir.file("x.ndjson", bad_input());
    let out = run(&["-v", "a eq 5", &f], b"");
    assert!(
        out.stderr.starts_with(&format!("{f}:2: ")),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 0);
}

#[test]
fn strict_stops_at_the_first_bad_line() {
    let out = run(
        &["--strict", "-v", r#"eventType eq "nothing""#],
        &bad_input(),
    );
    assert_eq!(out.stdout, "{\"eventType\":\"a\",\"n\":1}\n");
    assert!(
        out.stderr.starts_with("oktaql: <stdin>:2: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert_eq!(out.code, 2);
}

#[test]
fn line_numbers_count_crlf_lines() {
    let out = run(
        &["-v", "a eq 9"],
        b"{\"a\":1}\r\n\r\n{\"a\":\r\n{\"a\":2}\r\n",
    );
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}\n");
    assert!(out.stderr.starts_with("<stdin>:3: "), "{}", out.stderr);
}

// ---------------------------------------------------------- JSON arrays

const PRETTY: &str = r#"[
  {
    "z": 1,
    "a": "x y",
    "arr": [ 1, 2 ]
  },
  {"z": 2, "a": "b"},
  {"z": 3,},
  {"a": "c, ]", "z": 4}
]
"#;

#[test]
fn pretty_array_is_streamed_compacted_in_key_order() {
    let out = run(&["-v", "z eq 99"], PRETTY.as_bytes());
    assert_eq!(
        out.stdout,
        lines(&[
            r#"{"z":1,"a":"x y","arr":[1,2]}"#,
            r#"{"z":2,"a":"b"}"#,
            r#"{"a":"c, ]","z":4}"#,
        ])
    );
    // The bad element is reported by the line where it starts.
    let err: Vec<&str> = out.stderr.lines().collect();
    assert!(err[0].starts_with("<stdin>:8: "), "{}", out.stderr);
    assert_eq!(err[1], "oktaql: 1 bad line skipped");
    assert_eq!(out.code, 0);

    let out = run(&["z ge 2"], PRETTY.as_bytes());
    assert_eq!(
        out.stdout,
        lines(&[r#"{"z":2,"a":"b"}"#, r#"{"a":"c, ]","z":4}"#])
    );
}

#[test]
fn compact_array() {
    let out = run(&["a eq 4"], br#"[{"b":1,"a":2},{"b":3,"a":4}]"#);
    assert_eq!(out.stdout, "{\"b\":3,\"a\":4}\n");
    assert_eq!(out.code, 0);
    let out = run(&["a pr"], b"[]");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "")
    );
}

#[test]
fn truncated_array_is_a_bad_line() {
    let out = run(&["a pr"], b"[{\"a\":1},\n{\"a\":2");
    assert_eq!(out.stdout, "{\"a\":1}\n");
    assert!(out.stderr.starts_with("<stdin>:2: "), "{}", out.stderr);
    assert_eq!(out.code, 0);
}

// ------------------------------------------------------------------ gzip

#[test]
fn gzip_input_file_and_stdin() {
    let dir = TempDir::new();
    let f = dir.file("logs.ndjson.gz", gzip(events().as_bytes()));
    let out = run(&[SEED, &f], b"");
    assert_eq!(out.stdout, lines(&[L1, L4]));
    assert_eq!(out.code, 0);

    // A gzipped pretty array on stdin.
    let out = run(&["z eq 4"], &gzip(PRETTY.as_bytes()));
    assert_eq!(out.stdout, "{\"a\":\"c, ]\",\"z\":4}\n");
    assert_eq!(out.code, 0);
}

// ----------------------------------------------------------- many files

#[test]
fn several_files_one_missing() {
    let dir = TempDir::new();
    let a = dir.file("a.ndjson", format!("{L1}\n{L2}\n"));
    let missing = dir.path("missing.ndjson");
    let b = dir.file("b.ndjson", format!("{L3}\n{L4}\n"));
    let out = run(
        &[r#"eventType eq "system.import.start""#, &a, &missing, &b],
        b"",
    );
    assert_eq!(out.stdout, lines(&[L1, L2, L4]));
    assert_eq!(
        out.stderr,
        format!("oktaql: {missing}: No such file or directory\n")
    );
    assert_eq!(out.code, 2);

    // -c counts over all files; `-` is stdin, read in its place.
    let out = run(
        &["-c", r#"eventType eq "system.import.start""#, &a, "-", &b],
        L4.as_bytes(),
    );
    assert_eq!(out.stdout, "4\n");
    assert_eq!(out.code, 0);
}

#[test]
fn double_dash_ends_options() {
    let out = run(&["-c", "--", "eventType pr", "-"], events().as_bytes());
    assert_eq!(out.stdout, "4\n");
    let out = run(&["--", "eventType pr", "-x"], b"");
    assert_eq!(out.stderr, "oktaql: -x: No such file or directory\n");
    assert_eq!(out.code, 2);
}

// --------------------------------------------------------------- options

#[test]
fn max_count() {
    let out = run(&["-m", "2", "eventType pr"], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L1, L2]));
    assert_eq!(out.code, 0);
    let out = run(&["--max-count=0", "eventType pr"], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    // A bad line after the last selected event is not read, so not reported.
    let out = run(&["-m1", "-v", "a eq 9"], b"{\"a\":1}\n{\"a\":\n");
    assert_eq!(out.stdout, "{\"a\":1}\n");
    assert_eq!(out.stderr, "");
    // With -c: at most N.
    let out = run(&["-c", "-m", "3", "eventType pr"], events().as_bytes());
    assert_eq!(out.stdout, "3\n");
}

#[test]
fn count() {
    let out = run(&["-c", r#"eventType sw "system.""#], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (0, "3\n"));
    let out = run(&["--count", r#"eventType eq "x""#], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "0\n"));
}

/// An IOC list: the same count as an independent oracle, from NDJSON and
/// from a JSON array, for a list short enough for the prefilter to search
/// and one long enough for it to step aside, and the same again when an
/// operand rules the prefilter out.
#[test]
fn long_literal_lists() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/system-log.ndjson"
    ))
    .unwrap();
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let addrs: Vec<Option<&str>> = events
        .iter()
        .map(|v| v["client"]["ipAddress"].as_str())
        .collect();
    let mut seen: Vec<&str> = addrs.iter().flatten().copied().collect();
    seen.sort_unstable();
    seen.dedup();
    let dir = TempDir::new();
    let ndjson = dir.file("logs.ndjson", &text);
    let array = dir.file("logs.json", serde_json::to_string_pretty(&events).unwrap());
    // 2,500 literals keep the filter under Linux's 128 KiB limit on one
    // argument.
    for n in [10, 2_500] {
        let mut list: Vec<String> = seen
            .iter()
            .step_by(3)
            .take(n)
            .map(|s| s.to_string())
            .collect();
        list.extend((list.len()..n).map(|i| format!("198.18.{}.{}", i / 256, i % 256)));
        let want = addrs
            .iter()
            .filter(|a| a.is_some_and(|a| list.iter().any(|l| l == a)))
            .count();
        assert!(want > 0);
        let filter = list
            .iter()
            .map(|l| format!("client.ipAddress eq \"{l}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        assert!(filter.len() < 128 * 1024);
        let no_prefilter = format!("{filter} or nowhere pr");
        for f in [&filter, &no_prefilter] {
            for file in [&ndjson, &array] {
                let out = run(&["-c", f, file], b"");
                assert_eq!(out.stdout, format!("{want}\n"), "{n} literals, {file}");
                assert_eq!(out.stderr, "");
                let out = run(&["-cv", f, file], b"");
                assert_eq!(out.stdout, format!("{}\n", events.len() - want));
            }
        }
    }
}

#[test]
fn invert_match() {
    let mut input = events();
    input.push_str("{\"eventType\":\n");
    let out = run(
        &["-v", r#"eventType eq "system.import.start""#],
        input.as_bytes(),
    );
    assert_eq!(out.stdout, lines(&[L3]));
    assert!(out.stderr.starts_with("<stdin>:5: "), "{}", out.stderr);
    assert_eq!(out.code, 0);
    let out = run(&["-cv", "eventType pr"], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "0\n"));
}

#[test]
fn ignore_case() {
    let f = r#"actor.alternateId eq "alice@example.com""#;
    assert_eq!(run(&[f], events().as_bytes()).code, 1);
    let out = run(&["-i", f], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L3]));
    let out = run(
        &["--ignore-case", r#"outcome.result eq "failure""#],
        events().as_bytes(),
    );
    assert_eq!(out.stdout, lines(&[L3]));
}

const DATED: &str = r#"{"id":1,"published":"2025-03-02T23:59:59.999Z"}
{"id":2,"published":"2025-03-03T00:00:00.000Z"}
{"id":3,"published":"2025-03-03T12:00:00+02:00"}
{"id":4,"published":"2025-03-04T00:00:00Z"}
{"id":5}
{"id":6,"published":"yesterday"}
"#;

fn ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            l.split(',')
                .next()
                .unwrap()
                .trim_start_matches("{\"id\":")
                .to_owned()
        })
        .collect()
}

#[test]
fn since_and_until() {
    let out = run(
        &["--since", "2025-03-03", "--until", "2025-03-04", "id pr"],
        DATED.as_bytes(),
    );
    assert_eq!(ids(&out.stdout), ["2", "3"]);
    // 12:00+02:00 is 10:00Z.
    let out = run(
        &["--since", "2025-03-03T11:00:00Z", "id pr"],
        DATED.as_bytes(),
    );
    assert_eq!(ids(&out.stdout), ["4"]);
    // until is exclusive.
    let out = run(
        &["--until", "2025-03-03T10:00:00Z", "id pr"],
        DATED.as_bytes(),
    );
    assert_eq!(ids(&out.stdout), ["1", "2"]);
    assert_eq!(out.code, 0);

    let out = run(&["--since", "2025-13-01", "id pr"], DATED.as_bytes());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("invalid --since value `2025-13-01`"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    let out = run(&["--until", "March 3", "id pr"], DATED.as_bytes());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("invalid --until value `March 3`"),
        "{}",
        out.stderr
    );
}

/// Issue 8, items 1-3 and 7, as the command shows them.
#[test]
fn repeated_keys_and_error_positions() {
    // -k does not see a value that a repeated key overwrote.
    let event = b"{\"k\":\"alice\",\"k\":\"bob\",\"z\":1}\n";
    assert_eq!(run(&["-c", "-k", "alice", "z pr"], event).stdout, "0\n");
    assert_eq!(run(&["-c", "-k", "bob", "z pr"], event).stdout, "1\n");
    // A repeated filtered key in a deeply nested event is decided.
    for depth in [127, 1000] {
        let deep = format!(
            "{{\"a\":1,\"a\":2,\"d\":{}{}}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let out = run(&["-c", "a eq 2"], deep.as_bytes());
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "1\n", "")
        );
    }
    // A malformed event with a repeated key: the real reason and place.
    let out = run(&["-c", "a eq 2"], b"{\"a\":1,\"a\":2,\"b\":tru}\n");
    assert_eq!(out.stdout, "0\n");
    assert!(
        out.stderr
            .contains("<stdin>:1: unexpected byte in JSON at byte 17"),
        "{}",
        out.stderr
    );
    // A lone surrogate is the error, with or without trailing spaces.
    for line in [&b"{\"b\":\"\\ud800\"}\n"[..], b"{\"b\":\"\\ud800\"}   \n"] {
        let out = run(&["-c", "b pr"], line);
        assert!(
            out.stderr.contains("<stdin>:1: invalid string at byte 6"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn keywords() {
    // A token of "Alice@Example.com", ignoring case.
    let out = run(&["-k", "alice", "eventType pr"], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L3]));
    // A whole string value.
    let out = run(&["--keyword", "u2", "eventType pr"], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L2]));
    // Every keyword must be found, and the filter must hold too.
    assert_eq!(
        run(&["-k", "alice u2", "eventType pr"], events().as_bytes()).code,
        1
    );
    assert_eq!(
        run(&["-k", "alice", r#"eventType eq "x""#], events().as_bytes()).code,
        1
    );
    let out = run(
        &["-k", "a b c d e f g h i j k", "eventType pr"],
        events().as_bytes(),
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("too many keywords"), "{}", out.stderr);
    let long = "x".repeat(41);
    assert_eq!(run(&["-k", &long, "eventType pr"], b"").code, 2);
}

#[test]
fn fields_as_json() {
    let out = run(
        &[
            "--fields",
            "uuid,debugContext.debugData.importType,missing",
            SEED,
        ],
        events().as_bytes(),
    );
    assert_eq!(
        out.stdout,
        lines(&[
            r#"{"uuid":"u1","debugContext.debugData.importType":"Full","missing":null}"#,
            r#"{"uuid":"u4","debugContext.debugData.importType":"Incremental","missing":null}"#,
        ])
    );
    let ev = r#"{"target":[{"id":"a"},{"id":"b"},{"x":1}],"n":1.5,"o":{"x":true}}"#;
    let out = run(
        &["--fields", "target.id, n,o", "--format", "json", "n pr"],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        "{\"target.id\":[\"a\",\"b\"],\"n\":1.5,\"o\":{\"x\":true}}\n"
    );
    let out = run(&["--fields", "a..b", "n pr"], ev.as_bytes());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("a..b"), "{}", out.stderr);
}

#[test]
fn fields_as_tsv() {
    let ev = r#"{"m":"a\tb\\c\nd","t":[{"id":"x"},{"id":"y"}],"n":3,"z":null}"#;
    let out = run(
        &["--fields", "m,t.id,n,z,missing", "--format", "tsv", "n pr"],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        // Several values: a JSON array; null and missing: \N.
        "m\tt.id\tn\tz\tmissing\na\\tb\\\\c\\nd\t[\"x\",\"y\"]\t3\t\\N\t\\N\n"
    );
    assert_eq!(out.code, 0);
    // The header is printed even when nothing is selected.
    let out = run(
        &["--fields", "m", "--format", "tsv", "n eq 4"],
        ev.as_bytes(),
    );
    assert_eq!((out.code, out.stdout.as_str()), (1, "m\n"));
}

#[test]
fn fields_as_csv() {
    let ev = r#"{"m":"say \"hi\", ok","t":[{"id":"x"},{"id":"y"}],"n":3,"l":"two\nlines"}"#;
    let out = run(
        &["--fields", "m,t.id,n,missing,l", "--format", "csv", "n pr"],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        // Several values: a JSON array (quoted for CSV); missing: empty.
        "m,t.id,n,missing,l\n\"say \"\"hi\"\", ok\",\"[\"\"x\"\",\"\"y\"\"]\",3,,\"two\nlines\"\n"
    );
    let out = run(&["--format", "csv", "n pr"], ev.as_bytes());
    assert_eq!(out.code, 2);
}

/// Runs `--fields LIST --format FORMAT` over one event selected by `n pr`.
fn fields_row(list: &str, format: &str, event: &str) -> String {
    let out = run(
        &["--fields", list, "--format", format, "n pr"],
        format!("{event}\n").as_bytes(),
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{event}");
    out.stdout
}

#[test]
fn fields_print_values_as_written() {
    // Issue 8 item 5: numbers kept as spelt, objects in their key order.
    let ev = r#"{"n": 12345678901234567890123, "z": -0, "e": 1E2, "f": 1.50, "o": {"b": 1, "a": [2, {"y": null, "x": "s"}]}, "t": [true, false]}"#;
    assert_eq!(
        fields_row("n,z,e,f,o,t", "json", ev),
        "{\"n\":12345678901234567890123,\"z\":-0,\"e\":1E2,\"f\":1.50,\
         \"o\":{\"b\":1,\"a\":[2,{\"y\":null,\"x\":\"s\"}]},\"t\":[true,false]}\n"
    );
    assert_eq!(
        fields_row("n,z,e,f,o,t", "tsv", ev),
        "n\tz\te\tf\to\tt\n\
         12345678901234567890123\t-0\t1E2\t1.50\t{\"b\":1,\"a\":[2,{\"y\":null,\"x\":\"s\"}]}\t[true,false]\n"
    );
    assert_eq!(
        fields_row("n,z,e,f,o,t", "csv", ev),
        "n,z,e,f,o,t\n\
         12345678901234567890123,-0,1E2,1.50,\"{\"\"b\"\":1,\"\"a\"\":[2,{\"\"y\"\":null,\"\"x\"\":\"\"s\"\"}]}\",\"[true,false]\"\n"
    );
    // Values found through an array: each as written.
    let ev = r#"{"n": [1.0, -0.0, 2e-3, {"k": 10, "c": 1}]}"#;
    assert_eq!(
        fields_row("n", "json", ev),
        "{\"n\":[1.0,-0.0,2e-3,{\"k\":10,\"c\":1}]}\n"
    );
    assert_eq!(
        fields_row("n", "tsv", ev),
        "n\n[1.0,-0.0,2e-3,{\"k\":10,\"c\":1}]\n"
    );
}

#[test]
fn fields_of_a_pretty_array_element_fit_on_one_line() {
    let input = "[\n  {\n    \"n\": 1,\n    \"o\": {\n      \"z\": [ 1,\n 2 ],\n      \"a\": \"x y\"\n    }\n  }\n]\n";
    let out = run(&["--fields", "o,n", "n pr"], input.as_bytes());
    assert_eq!(out.stdout, "{\"o\":{\"z\":[1,2],\"a\":\"x y\"},\"n\":1}\n");
    let out = run(
        &["--fields", "o", "--format", "tsv", "n pr"],
        input.as_bytes(),
    );
    assert_eq!(out.stdout, "o\n{\"z\":[1,2],\"a\":\"x y\"}\n");
}

#[test]
fn fields_strings_decoded_in_cells_and_kept_in_json() {
    let ev =
        r#"{"n":1,"s":"tab\there \"q\" \u00e9 \ud83d\ude00 \/ back\\slash","o":{"k":"\u0041\n"}}"#;
    // JSON: the string as written in the event, escapes included.
    let json = fields_row("s,o", "json", ev);
    assert_eq!(
        json,
        "{\"s\":\"tab\\there \\\"q\\\" \\u00e9 \\ud83d\\ude00 \\/ back\\\\slash\",\"o\":{\"k\":\"\\u0041\\n\"}}\n"
    );
    // ... and still the same JSON string.
    let row: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(row["s"], "tab\there \"q\" é 😀 / back\\slash");
    assert_eq!(row["o"]["k"], "A\n");
    // TSV and CSV: decoded, then escaped for the format; a string inside an
    // object stays as written there.
    assert_eq!(
        fields_row("s,o", "tsv", ev),
        "s\to\ntab\\there \"q\" é 😀 / back\\\\slash\t{\"k\":\"\\\\u0041\\\\n\"}\n"
    );
    assert_eq!(
        fields_row("s", "csv", ev),
        "s\n\"tab\there \"\"q\"\" é 😀 / back\\slash\"\n"
    );
}

#[test]
fn fields_take_the_last_value_of_a_repeated_key() {
    let ev = r#"{"n":1,"a":"first","a":"last","o":{"k":1},"o":{"k":2},"p":{"q":1,"q":[3,4]}}"#;
    assert_eq!(
        fields_row("a,o.k,p.q,o", "json", ev),
        "{\"a\":\"last\",\"o.k\":2,\"p.q\":[3,4],\"o\":{\"k\":2}}\n"
    );
    assert_eq!(
        fields_row("a,o.k,p.q", "tsv", ev),
        "a\to.k\tp.q\nlast\t2\t[3,4]\n"
    );
    // A repeated key that leaves the path: nothing there.
    let ev = r#"{"n":1,"a":{"b":1},"a":5}"#;
    assert_eq!(fields_row("a.b", "json", ev), "{\"a.b\":null}\n");
}

#[test]
fn fields_look_through_arrays_inside_arrays() {
    let ev = r#"{"n":1,"a":[[1,[2]],[{"b":3}],[]],"c":[[{"b":4}],{"b":[5,[6]]}]}"#;
    assert_eq!(
        fields_row("a,c.b,a.b", "json", ev),
        "{\"a\":[1,2,{\"b\":3}],\"c.b\":[4,5,6],\"a.b\":3}\n"
    );
    assert_eq!(
        fields_row("a,c.b", "csv", ev),
        "a,c.b\n\"[1,2,{\"\"b\"\":3}]\",\"[4,5,6]\"\n"
    );
}

#[test]
fn fields_print_a_row_for_every_selected_deep_event() {
    // Issue 8 item 4: an event nested 128+ levels deep got no row.
    for depth in [127, 128, 200, 100_000] {
        let deep = format!("{}\"leaf\"{}", "{\"d\":".repeat(depth), "}".repeat(depth));
        let arrays = format!("{}7{}", "[".repeat(depth), "]".repeat(depth));
        let ev = format!("{{\"id\":\"x\",\"d\":{deep},\"a\":{arrays}}}\n");
        let out = run(&["-c", "id eq \"x\""], ev.as_bytes());
        assert_eq!(out.stdout, "1\n", "depth {depth}");
        let out = run(&["--fields", "id,a", "id eq \"x\""], ev.as_bytes());
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str()),
            ("{\"id\":\"x\",\"a\":7}\n", ""),
            "depth {depth}"
        );
        let out = run(
            &["--fields", "d,id", "--format", "tsv", "id eq \"x\""],
            ev.as_bytes(),
        );
        assert_eq!(out.stdout, format!("d\tid\n{deep}\tx\n"), "depth {depth}");
        if depth <= 200 {
            // The top-level `d` and `depth` more lead to the leaf.
            let path = vec!["d"; depth + 1].join(".");
            let out = run(&["--fields", &path, "id eq \"x\""], ev.as_bytes());
            assert_eq!(
                out.stdout,
                format!("{{\"{path}\":\"leaf\"}}\n"),
                "depth {depth}"
            );
            let path = vec!["d"; depth + 2].join(".");
            let out = run(&["--fields", &path, "id eq \"x\""], ev.as_bytes());
            assert_eq!(
                out.stdout,
                format!("{{\"{path}\":null}}\n"),
                "depth {depth}"
            );
        }
    }
}

#[test]
fn explain() {
    let out = run(&["--explain", "a eq 1 OR NOT (b pr)"], b"");
    assert_eq!(
        out.stdout,
        concat!(
            "as written:\n",
            "or  @0..20\n  a eq 1  @0..6\n  not  @10..20\n    b pr  @15..19\n",
            "canonical: a eq 1 or not (b pr)\n",
            "\nwhat decides a match:\n",
            "strings: compared case-sensitively\n",
            "any of:\n",
            "  a: some value eq 1: as a number (two integers exactly, otherwise as 64-bit floats); ",
            "a string equals it only when it spells a JSON number equal to it\n",
            "  not:\n",
            "    b: present: some value that is not null, \"\" or {}\n",
        )
    );
    assert_eq!(out.code, 0);
    let out = run(&["--explain", "a eq"], b"");
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("expected a value"), "{}", out.stderr);
}

#[test]
fn help_and_version() {
    let out = run(&["--help"], b"");
    assert_eq!(out.code, 0);
    assert!(out
        .stdout
        .contains("Usage: oktaql [OPTIONS] [--] FILTER [FILE...]"));
    let first_example = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("oktaql '"))
        .unwrap();
    assert_eq!(first_example.trim(), format!("oktaql '{SEED}' logs.ndjson"));
    for opt in [
        "--count",
        "--invert-match",
        "--ignore-case",
        "--max-count",
        "--since",
        "--until",
        "--keyword",
        "--fields",
        "--format",
        "--explain",
        "--strict",
        "--filter",
        "--filter-file",
        "--json-array",
        "--hidden",
        "--follow",
        "--glob",
    ] {
        assert!(out.stdout.contains(opt), "{opt} not in --help");
    }
    let out = run(&["-h"], b"");
    assert_eq!(out.code, 0);
    let out = run(&["--version"], b"");
    assert_eq!(
        out.stdout,
        format!("oktaql {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(out.code, 0);
}

#[test]
fn usage_errors() {
    let out = run(&["--bogus", "a pr"], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("invalid option '--bogus'"),
        "{}",
        out.stderr
    );
    let out = run(&[], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing FILTER"), "{}", out.stderr);
    let out = run(&["-m", "lots", "a pr"], b"");
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
}

// ---------------------------------------------------------- subcommands

#[test]
fn sql_prints_one_condition() {
    let out = run(
        &[
            "sql",
            "--dialect",
            "duckdb",
            r#"eventType eq "user.session.start""#,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    assert!(out.stdout.starts_with("COALESCE(") && out.stdout.ends_with(")\n"));
    assert_eq!(out.stdout.lines().count(), 1);
    assert!(out.stdout.contains(r#""raw""#) && out.stdout.contains("'user.session.start'"));
    // The options are part of it: each changes the text.
    let base = out.stdout;
    for extra in [
        &["-i"][..],
        &["-v"],
        &["--since", "2025-03-03"],
        &["--until", "2025-03-03T10:00:00+02:00"],
        &["-k", "admin"],
        &["--column", "value"],
    ] {
        let mut args = vec!["sql", "--dialect", "duckdb"];
        args.extend_from_slice(extra);
        args.push(r#"eventType eq "user.session.start""#);
        let out = run(&args, b"");
        assert_eq!(out.code, 0, "{extra:?}: {}", out.stderr);
        assert_ne!(out.stdout, base, "{extra:?}");
    }
    // Each dialect, -e '' (every event) and -f - (the filter on stdin).
    for d in ["clickhouse", "spark"] {
        let out = run(&["sql", "--dialect", d, "--column", "value", "-e", ""], b"");
        assert_eq!(out.code, 0, "{d}: {}", out.stderr);
        assert!(out.stdout.contains("`value`"), "{d}");
        let out = run(&["sql", "--dialect", d, "-f", "-"], b"target.id eq \"x\"\n");
        assert_eq!(out.code, 0, "{d}: {}", out.stderr);
        assert!(out.stdout.contains("'x'"), "{d}: {}", out.stdout);
    }
    let out = run(&["sql", "--help"], b"");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("--dialect DIALECT"));
}

#[test]
fn sql_errors_exit_2() {
    for (args, message) in [
        (&["sql", "a pr"][..], "missing --dialect"),
        (
            &["sql", "--dialect", "mysql", "a pr"],
            "unknown SQL dialect `mysql`",
        ),
        (&["sql", "--dialect", "duckdb", "a eq"], "expected a value"),
        (
            &["sql", "--dialect", "duckdb", "--column", "raw;drop", "a pr"],
            "invalid column name `raw;drop`",
        ),
        (
            &["sql", "--dialect", "spark", "--since", "yesterday", "a pr"],
            "invalid --since value",
        ),
        (
            &["sql", "--dialect", "spark", "-k", "", "a pr"],
            "invalid -k/--keyword",
        ),
        (
            &["sql", "--dialect", "clickhouse", "a pr", "file.ndjson"],
            "reads no events",
        ),
        (&["sql", "--dialect", "clickhouse"], "missing FILTER"),
    ] {
        let out = run(args, b"");
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_subcommand_word_after_the_first_argument_is_a_filter_or_a_file() {
    // After `--`, or after an option, `sql` is the filter (and not a valid one).
    for args in [
        &["--", "sql"][..],
        &["-c", "sql"],
        &["-c", "--", "sql", "-"],
    ] {
        let out = run(args, events().as_bytes());
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains("expected an operator"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("\nsql\n   ^\n"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("reserved"), "{args:?}: {}", out.stderr);
    }
    // Only the exact word is one: these are filters, run as always.
    let out = run(&["-c", "--", "sql pr", "-"], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "0\n"));
    let out = run(&["eventType pr"], events().as_bytes());
    assert_eq!((out.code, out.stdout), (0, events()));
    // After the filter, the word is a file.
    let out = run(&["eventType pr", "check"], b"");
    assert_eq!(out.stderr, "oktaql: check: No such file or directory\n");
    assert_eq!(out.code, 2);
}

#[test]
fn usage_error_shows_the_filtering_command_usage() {
    let out = run(&["--bogus", "a pr"], b"");
    assert_eq!(
        out.stderr,
        "oktaql: invalid option '--bogus'\nUsage: oktaql [OPTIONS] [--] FILTER [FILE...]\n\
         Try 'oktaql --help' for more information.\n"
    );
}

// ------------------------------------------------------- big and piped

/// 200,000 small events; every 7th is a hit. About 14 MB: many chunks.
fn big_input() -> String {
    let mut s = String::new();
    for i in 0..200_000u32 {
        let kind = if i % 7 == 0 { "hit" } else { "miss" };
        let pad = "x".repeat((i % 97) as usize);
        s.push_str(&format!(
            "{{\"id\":{i},\"eventType\":\"{kind}\",\"pad\":\"{pad}\"}}\n"
        ));
    }
    s
}

fn hit_ids(stdout: &str) -> Vec<u32> {
    stdout
        .lines()
        .map(|l| {
            let rest = l.strip_prefix("{\"id\":").expect("an event line");
            rest[..rest.find(',').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn big_input_keeps_order() {
    let input = big_input();
    let want: Vec<u32> = (0..200_000).filter(|i| i % 7 == 0).collect();
    assert_eq!(want.len(), 28_572);

    let dir = TempDir::new();
    let f = dir.file("big.ndjson", &input);
    let out = run(&[r#"eventType eq "hit""#, &f], b"");
    assert_eq!(out.code, 0);
    assert_eq!(hit_ids(&out.stdout), want);

    let out = run(&[r#"eventType eq "hit""#], input.as_bytes());
    assert_eq!(hit_ids(&out.stdout), want);

    let out = run(&["-c", r#"eventType eq "hit""#, &f], b"");
    assert_eq!(out.stdout, "28572\n");

    let out = run(&["-m", "20000", r#"eventType eq "hit""#, &f], b"");
    assert_eq!(hit_ids(&out.stdout), want[..20_000]);

    // As a gzipped JSON array too.
    let array = format!("[{}]", input.trim_end().replace('\n', ",\n"));
    let g = dir.file("big.json.gz", gzip(array.as_bytes()));
    let out = run(&[r#"eventType eq "hit""#, &g], b"");
    assert_eq!(hit_ids(&out.stdout), want);
    assert_eq!(out.stderr, "");
}

/// The peak resident memory of a running process, in KiB (Linux only).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

#[test]
fn many_blank_lines_before_the_first_event() {
    // Issue 8 item 6: 64 MiB of `\n` before the first event took 40 s, and
    // memory grew with it (`yes '' | oktaql` grew without bound).
    let mut child = Command::new(BIN)
        .args(["-c", "a pr"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let blank = vec![b'\n'; 1 << 20];
    for _ in 0..64 {
        input.write_all(&blank).unwrap();
    }
    input.write_all(b"{\"a\":1}\n").unwrap();
    // All but what the pipe buffers has been read: the blank lines' peak.
    let peak = peak_rss_kib(child.id());
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    if let Some(peak) = peak {
        assert!(
            peak < 32 << 10,
            "peak RSS {peak} KiB after 64 MiB of blank lines"
        );
    }
}

#[test]
fn blank_lines_and_whitespace_anywhere_in_ndjson() {
    // More blank lines than one read and one chunk, before, between and
    // after events; the line numbers count them all.
    let n = 3 << 20;
    let big = "\n".repeat(n);
    let input = format!(
        "\u{feff}{big} \t\r\n\r\n{{\"a\":1}}\n{big}  {{\"a\":\n\t \n{{\"a\":2}}  \n{big}   \n"
    );
    let out = run(&["-v", "a eq 9"], input.as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}  \n");
    // Line n + 3 is {"a":1}, then n blank lines, then the truncated event.
    let err: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(err.len(), 2, "{}", out.stderr);
    assert!(
        err[0].starts_with(&format!("<stdin>:{}: ", 2 * n + 4)),
        "{}",
        out.stderr
    );
    // The first event's line keeps its leading whitespace, however long.
    for pad in ["   ", " \t", &" ".repeat(200_000)] {
        let input = format!("{big}{pad}{{\"a\":1}}\n{pad}{{\"a\":2}}");
        let out = run(&["a pr"], input.as_bytes());
        assert_eq!(out.stdout, format!("{pad}{{\"a\":1}}\n{pad}{{\"a\":2}}\n"));
        assert_eq!(out.stderr, "");
    }
    // Gzipped.
    let input = format!("{}{{\"a\":1}}\n{big}{{\"a\":2}}", "\n".repeat(8 << 20));
    let out = run(&["-c", "a pr"], &gzip(input.as_bytes()));
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("2\n", ""));
    let dir = TempDir::new();
    let f = dir.file("blank.ndjson.gz", gzip(input.as_bytes()));
    let out = run(&["-v", "a eq 2", &f], b"");
    assert_eq!(out.stdout, "{\"a\":1}\n");
}

#[test]
fn whitespace_only_input() {
    let n = 3 << 20;
    for input in [
        "\n".repeat(n),
        " \t\r\n".repeat(n / 4),
        " ".repeat(n),
        format!("\u{feff}{}", "\r\n".repeat(n / 2)),
    ] {
        let out = run(&["a pr"], input.as_bytes());
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "", "")
        );
        let out = run(&["-c", "-v", "a pr"], input.as_bytes());
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "0\n", "")
        );
    }
}

#[test]
fn blank_lines_and_whitespace_anywhere_in_a_json_array() {
    let n = 3 << 20;
    let big = "\n".repeat(n);
    // Line n + 1 holds `[`, line 2n + 2 the first element, line 3n + 3 the
    // bad one.
    let input = format!(
        "{big}  [\n{big}{{\"a\":1}},{big}\n{{\"a\":}} , \r\n{{ \"a\" :{big} 2 }}\n]{big}[ {big} ] \n"
    );
    let out = run(&["-v", "a eq 9"], input.as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}\n");
    let err: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(err.len(), 2, "{}", out.stderr);
    assert!(
        err[0].starts_with(&format!("<stdin>:{}: ", 3 * n + 3)),
        "{}",
        out.stderr
    );
    let out = run(&["-c", "a pr"], format!("{big}[{big}]{big}").as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "0\n"));
}

#[test]
fn closed_pipe_ends_quietly() {
    let mut child = Command::new(BIN)
        .arg("eventType pr")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line =
            b"{\"eventType\":\"e\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n"
                .repeat(1000);
        for _ in 0..2000 {
            if input.write_all(&line).is_err() {
                return;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"eventType\":\"e\""));
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    feeder.join().unwrap();
    assert_eq!(stderr, "");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn no_progress_or_colour_when_stderr_is_not_a_terminal() {
    let dir = TempDir::new();
    let f = dir.file("big.ndjson", big_input());
    let out = run(&["-v", "id ge 0", &f, &dir.path("nope")], b"");
    assert_eq!(
        out.stderr,
        format!("oktaql: {}: No such file or directory\n", dir.path("nope"))
    );
    assert!(!out.stderr.contains('\x1b'));
}

#[test]
fn invert_keeps_the_since_until_window() {
    // -v inverts the filter, not the window: events outside it or without a
    // date-time `published` stay unselected (issue 3: "an event without a
    // date-time published is then not selected").
    let out = run(
        &[
            "-v",
            "--since",
            "2025-03-03",
            "--until",
            "2025-03-04",
            "id eq 2",
        ],
        DATED.as_bytes(),
    );
    assert_eq!(ids(&out.stdout), ["3"]);
    // Without a window, -v selects every valid event the filter misses.
    let out = run(&["-v", "id eq 2"], DATED.as_bytes());
    let expected: Vec<&str> = DATED
        .lines()
        .filter(|l| !l.contains(r#""id":2,"#))
        .collect();
    assert_eq!(out.stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(expected.len(), 5);
}

// --------------------------------------------------------- input formats

/// A zstd frame made by hand: raw (stored) blocks, no checksum.
fn zstd_frame(text: &[u8]) -> Vec<u8> {
    let mut f = vec![0x28, 0xB5, 0x2F, 0xFD, 0b1010_0000];
    f.extend_from_slice(&(text.len() as u32).to_le_bytes());
    let chunks: Vec<&[u8]> = text.chunks(100).collect();
    if chunks.is_empty() {
        f.extend_from_slice(&[1, 0, 0]);
    }
    for (i, c) in chunks.iter().enumerate() {
        let header = u32::from(i + 1 == chunks.len()) | (c.len() as u32) << 3;
        f.extend_from_slice(&header.to_le_bytes()[..3]);
        f.extend_from_slice(c);
    }
    f
}

/// Pretty-printed values one after another, arrays appended, an array
/// then NDJSON, a value spanning lines, pages in an array.
const SHAPES: &str = r#"{
  "n": 1,
  "a": {"b": [1, 2]}
}
{
  "n": 2
}
[{"n": 3}, {"n": 4}]
[{"n": 5}]
{"n": 6}
{"n":
 7}
[[{"n": 8}], [{"n": 9}]]
"#;

#[test]
fn every_shape_is_read_in_order() {
    let out = run(&["n pr"], SHAPES.as_bytes());
    let want: Vec<String> = (1..=9)
        .map(|n| match n {
            1 => r#"{"n":1,"a":{"b":[1,2]}}"#.to_owned(),
            6 => r#"{"n": 6}"#.to_owned(), // an NDJSON line prints as read
            _ => format!(r#"{{"n":{n}}}"#),
        })
        .collect();
    assert_eq!(out.stdout, format!("{}\n", want.join("\n")));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    // Line numbers are where each value starts: n 5 is on line 9.
    let out = run(
        &["--strict", "n eq 5"],
        format!("{SHAPES}\"s\"\n").as_bytes(),
    );
    assert_eq!(out.stdout, "{\"n\":5}\n");
    assert_eq!(
        out.stderr,
        "oktaql: <stdin>:14: a string at the top level, not an object\n"
    );
    assert_eq!(out.code, 2);
}

#[test]
fn scalars_and_non_object_elements_are_reported_never_selected() {
    let input = "1\n[{\"a\":1}, \"x\", null]\n{\"a\":2}\n";
    let out = run(&["-v", "a eq 9"], input.as_bytes());
    assert_eq!(out.stdout, "{\"a\":1}\n{\"a\":2}\n");
    assert_eq!(
        out.stderr,
        "<stdin>:1: a number at the top level, not an object\n\
         <stdin>:2: an array element that is a string, not an object\n\
         <stdin>:2: an array element that is null, not an object\n\
         oktaql: 3 bad lines skipped\n"
    );
    assert_eq!(out.code, 0);
}

#[test]
fn after_a_malformed_value_reading_resumes_at_the_next_value() {
    // The first object is cut short (a file truncated, then appended to);
    // the object and the NDJSON lines after it are read.
    let input = "{\n  \"a\": 1,\n  \"b\": {\n{\n  \"a\": 2\n}\n{\"a\":3}\n";
    let out = run(&["a pr"], input.as_bytes());
    assert_eq!(out.stdout, "{\"a\":2}\n{\"a\":3}\n");
    assert_eq!(
        out.stderr,
        "<stdin>:1: malformed JSON: expected a key (a string), found `{` on line 4 \
         (lines 1-3 skipped)\noktaql: 1 bad line skipped\n"
    );
    assert_eq!(out.code, 0);
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        let b = if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    // What Windows PowerShell writes; before, exit 1 and not one word.
    let text = format!("{L1}\r\n{L3}\r\n");
    for be in [false, true] {
        let out = run(&[SEED], &utf16(&text, be));
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, format!("{L1}\n").as_str())
        );
        assert_eq!(out.stderr, "");
    }
}

#[test]
fn gzip_members_and_zstd_frames_are_all_read() {
    let dir = TempDir::new();
    let mut gz = gzip(format!("{L1}\n{L2}\n").as_bytes());
    gz.extend(gzip(format!("[{L3},\n{L4}]\n").as_bytes()));
    let mut zst = zstd_frame(format!("{L1}\n").as_bytes());
    zst.extend(zstd_frame(format!("{L4}\n").as_bytes()));
    let gz = dir.file("a.json.gz", gz);
    let zst = dir.file("b.bin", zst); // the name says nothing
    let out = run(&[SEED, &gz, &zst], b"");
    assert_eq!(out.stdout, lines(&[L1, L4, L1, L4]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[test]
fn truncated_compressed_input_delivers_what_came_before_then_fails() {
    let dir = TempDir::new();
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!(
            "{{\"i\":{i},\"pad\":\"{}\"}}\n",
            "x".repeat(i % 97)
        ));
    }
    let gz = gzip(text.as_bytes());
    let cut = dir.file("cut.gz", &gz[..gz.len() / 2]);
    let out = run(&["-c", "i pr", &cut], b"");
    let n: u64 = out.stdout.trim().parse().unwrap();
    assert!(n > 100 && n < 5000, "{n}");
    assert_eq!(
        out.stderr,
        format!("oktaql: {cut}: gzip: the compressed stream is truncated\n")
    );
    assert_eq!(out.code, 2);
    // zstd: the frames (and whole blocks) before the damage.
    let mut zst = zstd_frame(b"{\"i\":1}\n");
    zst.extend(zstd_frame(b"{\"i\":2}\n"));
    let cut = dir.file("cut.zst", &zst[..zst.len() - 2]);
    let out = run(&["i pr", &cut], b"");
    assert_eq!(out.stdout, "{\"i\":1}\n");
    assert_eq!(
        out.stderr,
        format!("oktaql: {cut}: zstd: the compressed stream is truncated\n")
    );
    assert_eq!(out.code, 2);
}

#[test]
fn binary_input_is_an_error_naming_the_file_and_format() {
    let dir = TempDir::new();
    let good = dir.file("good.ndjson", format!("{L1}\n"));
    let cases: &[(&str, &[u8], &str)] = &[
        ("a.bz2", b"BZh91AY&SY\x00\x01", "bzip2-compressed data"),
        ("a.xz", b"\xFD7zXZ\x00\x00\x04", "xz-compressed data"),
        ("a.zip", b"PK\x03\x04\x14\x00\x00\x00", "zip archive"),
        ("a.parquet", b"PAR1\x15\x04\x15\x10", "Parquet file"),
        ("a.png", b"\x89PNG\r\n\x1A\n\x00\x00", "PNG image"),
        ("a.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF", "JPEG image"),
        ("a.gif", b"GIF89a\x01\x00\x01\x00", "GIF image"),
        ("a.pdf", b"%PDF-1.7\n%\xE2\xE3", "PDF document"),
        ("a.7z", b"7z\xBC\xAF\x27\x1C\x00\x04", "7z archive"),
        ("a.bin", b"\x00\x01\x02\x03{\"a\":1}", "binary data"),
    ];
    for (name, bytes, format) in cases {
        let f = dir.file(name, bytes);
        // The prefilter would skip every line of it: the first bytes are
        // looked at anyway.
        let out = run(&[SEED, &f, &good], b"");
        assert_eq!(out.stdout, format!("{L1}\n"), "{name}");
        assert_eq!(
            out.stderr,
            format!("oktaql: {f}: not JSON text ({format})\n"),
            "{name}"
        );
        assert_eq!(out.code, 2, "{name}");
    }
    let f = dir.file("a.csv", "user,when\nalice,today\n");
    let out = run(&["a pr", &f], b"");
    assert_eq!(
        out.stderr,
        format!(
            "oktaql: {f}: not JSON text (text that does not start with a JSON value: `u` on line 1)\n"
        )
    );
    assert_eq!(out.code, 2);
}

#[test]
fn empty_and_whitespace_only_files_hold_no_events() {
    let dir = TempDir::new();
    let empty = dir.file("empty.json", "");
    let blank = dir.file("blank.json", " \n\r\n\t\n");
    let out = run(&["-c", "a pr", &empty, &blank], b"");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "0\n", "")
    );
}

// ------------------------------------------------ the filter from -f / -e

#[test]
fn filter_file_may_span_lines() {
    let dir = TempDir::new();
    let rule = dir.file(
        "rule.okta",
        "eventType eq \"system.import.start\"\n  and debugContext.debugData.importTrigger\n      eq \"Manual action\"\n",
    );
    let out = run(&["-f", &rule], events().as_bytes());
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, lines(&[L1, L4]).as_str())
    );
    assert_eq!(out.stderr, "");
    let out = run(&["--filter-file", &rule, "-c"], events().as_bytes());
    assert_eq!(out.stdout, "2\n");
}

#[test]
fn filter_file_parse_error_names_the_file_and_line() {
    let dir = TempDir::new();
    let rule = dir.file(
        "rule.okta",
        "eventType eq \"x\"\n  and actor.id eqq \"y\"\n",
    );
    let out = run(&["-f", &rule], events().as_bytes());
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "oktaql: {rule}:2: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found `eqq` at line 2, column 16 (offset 32)\n  and actor.id eqq \"y\"\n               ^^^\n"
        )
    );
}

#[test]
fn filter_file_errors() {
    let dir = TempDir::new();
    let missing = dir.path("missing.okta");
    let out = run(&["-f", &missing], events().as_bytes());
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        format!("oktaql: cannot read the filter file {missing}: No such file or directory\n")
    );
    // Empty or blank: an error, not every event.
    for text in ["", "\n  \n"] {
        let empty = dir.file("empty.okta", text);
        let out = run(&["-f", &empty], events().as_bytes());
        assert_eq!((out.code, out.stdout.as_str()), (2, ""));
        assert_eq!(
            out.stderr,
            format!(
                "oktaql: the filter file {empty} is empty (to select every event, use -e '')\n"
            )
        );
    }
    let bad = dir.file("bad.okta", b"a eq \"\xFF\"");
    let out = run(&["-f", &bad], events().as_bytes());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("is not UTF-8 text"), "{}", out.stderr);
}

#[test]
fn a_hundred_thousand_terms_through_a_filter_file() {
    // About 2.9 MB: far over Linux's 128 KiB limit on one argument.
    let mut text = String::new();
    for i in 0..100_000 {
        if i > 0 {
            text.push_str(" or\n");
        }
        text.push_str(&format!("uuid eq \"n{i}\""));
    }
    text.push_str(" or uuid eq \"u3\"\n");
    assert!(text.len() > 128 << 10);
    let dir = TempDir::new();
    let rule = dir.file("big.okta", &text);
    let out = run(&["-f", &rule], events().as_bytes());
    assert_eq!(out.stderr, "");
    assert_eq!((out.code, out.stdout.as_str()), (0, lines(&[L3]).as_str()));
}

#[test]
fn filter_from_stdin_with_events_from_files() {
    let dir = TempDir::new();
    let a = dir.file("a.ndjson", events());
    let out = run(&["-f", "-", &a], br#"uuid eq "u2""#);
    assert_eq!((out.code, out.stdout.as_str()), (0, lines(&[L2]).as_str()));
    // Without a FILE the events would come from stdin too.
    let out = run(&["-f", "-"], br#"uuid eq "u2""#);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("FILE arguments"), "{}", out.stderr);
    let out = run(&["-f", "-", &a, "-"], br#"uuid eq "u2""#);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("both read standard input"),
        "{}",
        out.stderr
    );
}

#[test]
fn filter_as_an_option() {
    let dir = TempDir::new();
    let a = dir.file("a.ndjson", format!("{L1}\n{L2}\n"));
    let b = dir.file("b.ndjson", format!("{L3}\n{L4}\n"));
    let out = run(&[&a, "-e", r#"uuid sw "u""#, &b], b"");
    assert_eq!(out.stdout, events());
    let out = run(&["--filter", r#"uuid eq "u3""#], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L3]));
}

#[test]
fn with_e_or_f_the_first_positional_argument_is_a_file() {
    let dir = TempDir::new();
    let rule = dir.file("rule.okta", r#"uuid eq "u1""#);
    for opt in [&["-e", r#"uuid eq "u1""#][..], &["-f", &rule]] {
        let mut args = opt.to_vec();
        args.push(r#"uuid eq "u4""#);
        let out = run(&args, events().as_bytes());
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{args:?}");
        assert_eq!(
            out.stderr, "oktaql: uuid eq \"u4\": No such file or directory\n",
            "{args:?}"
        );
    }
}

#[test]
fn filter_options_twice_or_both_are_usage_errors() {
    for args in [
        &["-e", "a pr", "-e", "b pr"][..],
        &["-e", "a pr", "-f", "x"],
        &["-f", "x", "--filter-file", "y"],
    ] {
        let out = run(args, events().as_bytes());
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{args:?}");
        assert!(out.stderr.contains("given"), "{}", out.stderr);
        assert!(out.stderr.contains("Usage: oktaql"), "{}", out.stderr);
    }
}

#[test]
fn empty_filter_option_selects_every_event() {
    for empty in ["", "  ", "\n"] {
        let out = run(&["-e", empty], events().as_bytes());
        assert_eq!((out.code, out.stdout.clone()), (0, events()), "{empty:?}");
    }
    // Still only events: bad lines are reported, never selected.
    let out = run(&["-e", ""], format!("{L1}\n42\n{{\n").as_bytes());
    assert_eq!(out.stdout, lines(&[L1]));
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("2 bad lines skipped"), "{}", out.stderr);
    // A positional empty filter is still an error.
    let out = run(&[""], events().as_bytes());
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("empty filter"), "{}", out.stderr);
}

#[test]
fn empty_filter_with_keywords_window_and_invert() {
    let out = run(&["-k", "alice@example.com", "-e", ""], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L3]));
    let out = run(&["--since", "2025-03-04", "-e", ""], events().as_bytes());
    assert_eq!(out.stdout, lines(&[L3, L4]));
    let out = run(&["-v", "-e", ""], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    let out = run(&["-c", "-v", "-k", "alice", "-e", ""], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "0\n"));
    let out = run(&["--explain", "-e", ""], b"");
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            concat!(
                "as written:\n(empty filter: every event)\ncanonical: \n\n",
                "what decides a match:\nstrings: compared case-sensitively\n",
                "every event (the empty filter)\n"
            )
        )
    );
}

// ---------------------------------------------------------- --json-array

fn array(stdout: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str(stdout) {
        Ok(serde_json::Value::Array(a)) => a,
        other => panic!("not a JSON array: {other:?}\n{stdout}"),
    }
}

#[test]
fn json_array_output() {
    let out = run(&["--json-array", r#"uuid ne "u2""#], events().as_bytes());
    assert_eq!(out.code, 0);
    let expected: Vec<serde_json::Value> = [L1, L3, L4]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(array(&out.stdout), expected);
    // One element per line, the events' bytes kept.
    assert_eq!(out.stdout, format!("[\n{L1},\n{L3},\n{L4}\n]\n"));
    // Whatever shape the events came in.
    let pretty = format!("[{L1},\n  {L2}]");
    let out = run(&["--json-array", "-e", ""], pretty.as_bytes());
    assert_eq!(out.stdout, format!("[\n{L1},\n{L2}\n]\n"));
}

#[test]
fn json_array_when_nothing_is_selected() {
    let out = run(&["--json-array", r#"uuid eq "none""#], events().as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "[]\n"));
    assert!(array(&out.stdout).is_empty());
    let out = run(&["--json-array", "-m", "0", "-e", ""], events().as_bytes());
    assert_eq!(out.stdout, "[]\n");
}

#[test]
fn json_array_with_max_count_and_fields() {
    let out = run(&["--json-array", "-m2", "-e", ""], events().as_bytes());
    assert_eq!(array(&out.stdout).len(), 2);
    assert_eq!(out.stdout, format!("[\n{L1},\n{L2}\n]\n"));
    let out = run(
        &[
            "--json-array",
            "--fields",
            "uuid,outcome.result",
            r#"uuid sw "u""#,
            "-m3",
        ],
        events().as_bytes(),
    );
    assert_eq!(
        array(&out.stdout),
        vec![
            serde_json::json!({"uuid": "u1", "outcome.result": null}),
            serde_json::json!({"uuid": "u2", "outcome.result": null}),
            serde_json::json!({"uuid": "u3", "outcome.result": "FAILURE"}),
        ]
    );
}

#[test]
fn json_array_refused_with_count_and_tables() {
    for args in [
        &["--json-array", "-c", "a pr"][..],
        &["--json-array", "--fields", "a", "--format", "csv", "a pr"],
        &["--json-array", "--fields", "a", "--format", "tsv", "a pr"],
    ] {
        let out = run(args, events().as_bytes());
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{args:?}");
        assert!(out.stderr.contains("--json-array"), "{}", out.stderr);
    }
}

#[test]
fn json_array_stays_valid_around_bad_lines() {
    let input = format!("{L1}\nnot json\n{L2}\n");
    let out = run(&["--json-array", "-e", ""], input.as_bytes());
    assert_eq!(array(&out.stdout).len(), 2);
    assert_eq!(
        out.stderr,
        "<stdin>:2: malformed JSON: `not` is not a JSON value\noktaql: 1 bad line skipped\n"
    );
    // --strict stops at the bad line; what was printed is still an array.
    let out = run(&["--json-array", "--strict", "-e", ""], input.as_bytes());
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, format!("[\n{L1}\n]\n"));
}

// ----------------------------------------------------------- directories

/// The uuid of each event printed.
fn uuids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["uuid"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// A tree of event files; each event's uuid names its file.
fn tree(dir: &TempDir) {
    for d in ["logs/b", "logs/a", "logs/.hidden", "logs/a/deep"] {
        std::fs::create_dir_all(dir.0.join(d)).unwrap();
    }
    for f in [
        "logs/b/1.json",
        "logs/a.x",
        "logs/a/deep/z.ndjson",
        "logs/a/2.json",
        "logs/.hidden/h.json",
        "logs/.dot.json",
        "logs/B.json",
    ] {
        dir.file(f, format!("{{\"uuid\":\"{f}\"}}\n"));
    }
}

#[test]
fn directories_are_walked_in_path_order() {
    let dir = TempDir::new();
    tree(&dir);
    let logs = dir.path("logs");
    let out = run(&["-e", "", &logs], b"");
    // Byte order of names: upper case first; a directory's files where its
    // name sorts (a/ before a.x).
    assert_eq!(
        uuids(&out.stdout),
        [
            "logs/B.json",
            "logs/a/2.json",
            "logs/a/deep/z.ndjson",
            "logs/a.x",
            "logs/b/1.json",
        ]
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    // With files and stdin around it, in argument order.
    let one = dir.path("logs/b/1.json");
    let out = run(
        &["-e", "", &one, &dir.path("logs/a"), "-"],
        br#"{"uuid":"stdin"}"#,
    );
    assert_eq!(
        uuids(&out.stdout),
        [
            "logs/b/1.json",
            "logs/a/2.json",
            "logs/a/deep/z.ndjson",
            "stdin"
        ]
    );
}

#[test]
fn hidden_files_need_the_hidden_option() {
    let dir = TempDir::new();
    tree(&dir);
    let logs = dir.path("logs");
    let out = run(&["-c", "-e", "", &logs], b"");
    assert_eq!(out.stdout, "5\n");
    let out = run(&["--hidden", "-e", "", &logs], b"");
    assert_eq!(
        uuids(&out.stdout),
        [
            "logs/.dot.json",
            "logs/.hidden/h.json",
            "logs/B.json",
            "logs/a/2.json",
            "logs/a/deep/z.ndjson",
            "logs/a.x",
            "logs/b/1.json",
        ]
    );
    // A hidden directory named on the command line is searched.
    let out = run(&["-e", "", &dir.path("logs/.hidden")], b"");
    assert_eq!(uuids(&out.stdout), ["logs/.hidden/h.json"]);
}

#[test]
fn a_walked_file_that_is_not_json_is_skipped_with_a_note() {
    let dir = TempDir::new();
    tree(&dir);
    let zip = dir.file("logs/a/archive.zip", b"PK\x03\x04\x14\x00\x00\x00");
    let out = run(&["-c", "-e", "", &dir.path("logs")], b"");
    assert_eq!(out.stdout, "5\n");
    assert_eq!(
        out.stderr,
        format!("oktaql: skipped {zip}: not JSON text (zip archive)\n")
    );
    assert_eq!(out.code, 0);
    // Named, the same file is an error.
    let out = run(&["-c", "-e", "", &zip, &dir.path("logs")], b"");
    assert_eq!(out.stdout, "5\n");
    assert!(
        out.stderr
            .starts_with(&format!("oktaql: {zip}: not JSON text (zip archive)\n")),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 2);
}

#[test]
fn a_walked_file_that_does_not_start_with_an_event_is_skipped_with_a_note() {
    let dir = TempDir::new();
    tree(&dir);
    // A TSV beside the exports whose first line starts with a digit.
    let tsv = dir.file("logs/a/counts.tsv", b"2024-01-01\t5\n2024-01-02\t7\n");
    let out = run(&["-c", "-e", "", &dir.path("logs")], b"");
    assert_eq!(out.stdout, "5\n");
    assert_eq!(
        out.stderr,
        format!(
            "oktaql: skipped {tsv}: not JSON text (its first value is a number, not an object or an array, on line 1)\n"
        )
    );
    assert_eq!(out.code, 0);
    // Named on the command line, every bad value is reported.
    let out = run(&["-c", "-e", "", &tsv], b"");
    assert_eq!(out.stdout, "0\n");
    assert!(
        out.stderr.starts_with(&format!(
            "{tsv}:1: malformed JSON: `2024-01-01` is not a JSON value (lines 1-2 skipped)\n"
        )),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn links_are_followed_only_with_follow() {
    let dir = TempDir::new();
    tree(&dir);
    std::os::unix::fs::symlink(dir.path("logs/b"), dir.path("logs/c")).unwrap();
    // A loop, skipped under -L with a warning.
    std::os::unix::fs::symlink(dir.path("logs"), dir.path("logs/a/up")).unwrap();
    let logs = dir.path("logs");
    let out = run(&["-c", "-e", "", &logs], b"");
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "5\n", "")
    );
    let out = run(&["-L", "-e", "", &logs], b"");
    assert_eq!(
        uuids(&out.stdout),
        [
            "logs/B.json",
            "logs/a/2.json",
            "logs/a/deep/z.ndjson",
            "logs/a.x",
            "logs/b/1.json",
            "logs/b/1.json",
        ]
    );
    assert!(
        out.stderr.contains("a link to a directory being searched"),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 2);
    // A link named on the command line is followed.
    let out = run(&["-c", "-e", "", &dir.path("logs/c")], b"");
    assert_eq!(out.stdout, "1\n");
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_an_error_the_rest_is_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new();
    tree(&dir);
    let locked = dir.path("logs/a/deep");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok();
    let out = run(&["-c", "-e", "", &dir.path("logs")], b"");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        // Running as root: permissions do not stop us.
        return;
    }
    assert_eq!(out.stdout, "4\n");
    assert_eq!(
        out.stderr,
        format!("oktaql: cannot read the directory {locked}: Permission denied\n")
    );
    assert_eq!(out.code, 2);
}

/// The files a walk of `root` reads with `globs` (each after `-g`), as the
/// uuids of their events, and the exit status.
fn globbed(dir: &TempDir, globs: &[&str], root: &str) -> (i32, Vec<String>) {
    let root = dir.path(root);
    let mut args = Vec::new();
    for g in globs {
        args.extend(["-g", g]);
    }
    args.extend(["-e", "", &root]);
    let out = run(&args, b"");
    assert_eq!(out.stderr, "", "{globs:?}");
    (out.code, uuids(&out.stdout))
}

#[test]
fn globs_include_and_exclude_the_files_of_a_walk() {
    let dir = TempDir::new();
    tree(&dir);
    let logs =
        |files: &[&str]| -> Vec<String> { files.iter().map(|f| format!("logs/{f}")).collect() };
    // Only the files a glob includes. A glob that includes a hidden file
    // reads it (as rg: globs override the hidden rule); .hidden/ itself is
    // not matched, so it stays skipped.
    assert_eq!(
        globbed(&dir, &["*.json"], "logs"),
        (0, logs(&[".dot.json", "B.json", "a/2.json", "b/1.json"]))
    );
    // Everything but what !GLOB excludes.
    assert_eq!(
        globbed(&dir, &["!*.x"], "logs"),
        (
            0,
            logs(&["B.json", "a/2.json", "a/deep/z.ndjson", "b/1.json"])
        )
    );
    // {a,b} alternatives; no match at all is status 1.
    assert_eq!(
        globbed(&dir, &["*.{x,ndjson}"], "logs"),
        (0, logs(&["a/deep/z.ndjson", "a.x"]))
    );
    assert_eq!(globbed(&dir, &["*.csv"], "logs"), (1, vec![]));
}

#[test]
fn the_last_glob_that_matches_decides() {
    let dir = TempDir::new();
    tree(&dir);
    let logs =
        |files: &[&str]| -> Vec<String> { files.iter().map(|f| format!("logs/{f}")).collect() };
    assert_eq!(
        globbed(&dir, &["*.json", "!2.json"], "logs"),
        (0, logs(&[".dot.json", "B.json", "b/1.json"]))
    );
    assert_eq!(
        globbed(&dir, &["!2.json", "*.json"], "logs"),
        (0, logs(&[".dot.json", "B.json", "a/2.json", "b/1.json"]))
    );
}

#[test]
fn globs_match_the_path_below_the_directory_named() {
    let dir = TempDir::new();
    tree(&dir);
    let logs =
        |files: &[&str]| -> Vec<String> { files.iter().map(|f| format!("logs/{f}")).collect() };
    // Without a `/`, a name at any depth.
    assert_eq!(globbed(&dir, &["2.json"], "logs"), (0, logs(&["a/2.json"])));
    // With one, the whole path from the directory named (here an absolute
    // path, not the current directory): `*` stays within a name.
    assert_eq!(
        globbed(&dir, &["a/*.json"], "logs"),
        (0, logs(&["a/2.json"]))
    );
    assert_eq!(globbed(&dir, &["a/*"], "logs"), (0, logs(&["a/2.json"])));
    assert_eq!(globbed(&dir, &["deep/*.ndjson"], "logs"), (1, vec![]));
    assert_eq!(
        globbed(&dir, &["deep/*.ndjson"], "logs/a"),
        (0, logs(&["a/deep/z.ndjson"]))
    );
    // A leading `/` anchors a name to the directory named.
    assert_eq!(globbed(&dir, &["/B.json"], "logs"), (0, logs(&["B.json"])));
    assert_eq!(globbed(&dir, &["/2.json"], "logs"), (1, vec![]));
    // `**` crosses directories.
    assert_eq!(
        globbed(&dir, &["a/**"], "logs"),
        (0, logs(&["a/2.json", "a/deep/z.ndjson"]))
    );
    assert_eq!(
        globbed(&dir, &["**/deep/*"], "logs"),
        (0, logs(&["a/deep/z.ndjson"]))
    );
    assert_eq!(
        globbed(&dir, &["a/**/z.ndjson"], "logs"),
        (0, logs(&["a/deep/z.ndjson"]))
    );
}

#[test]
fn an_excluded_directory_is_not_entered() {
    let dir = TempDir::new();
    tree(&dir);
    let logs =
        |files: &[&str]| -> Vec<String> { files.iter().map(|f| format!("logs/{f}")).collect() };
    assert_eq!(
        globbed(&dir, &["!a"], "logs"),
        (0, logs(&["B.json", "a.x", "b/1.json"]))
    );
    // A trailing `/`: directories only. a/2.json matches the later
    // *.json, but its directory is not walked.
    assert_eq!(
        globbed(&dir, &["!a/", "*.json"], "logs"),
        (0, logs(&[".dot.json", "B.json", "b/1.json"]))
    );
    assert_eq!(globbed(&dir, &["!a", "a/2.json"], "logs"), (1, vec![]));
    // A directory an include names is walked, but its files still need a
    // glob of their own.
    assert_eq!(globbed(&dir, &["a"], "logs"), (1, vec![]));
}

#[test]
fn globs_leave_files_named_on_the_command_line_alone() {
    let dir = TempDir::new();
    tree(&dir);
    let x = dir.path("logs/a.x");
    let out = run(&["-g", "!*.x", "-e", "", &x, &dir.path("logs/b")], b"");
    assert_eq!(uuids(&out.stdout), ["logs/a.x", "logs/b/1.json"]);
    let out = run(&["-g", "*.json", "-e", "", &x], b"");
    assert_eq!(
        (out.code, uuids(&out.stdout)),
        (0, vec!["logs/a.x".to_owned()])
    );
    // And stdin.
    let out = run(&["-g", "*.json", "-c", "-e", ""], events().as_bytes());
    assert_eq!(out.stdout, "4\n");
}

/// The --help example of globs, on a directory of mixed exports.
#[test]
fn the_help_example_of_globs() {
    let example = "oktaql -g '*.json' -g '!old/' -c -e '' exports/";
    assert!(run(&["--help"], b"").stdout.contains(example));
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join("exports/old")).unwrap();
    std::fs::create_dir_all(dir.0.join("exports/2025")).unwrap();
    dir.file("exports/a.json", format!("{L1}\n{L2}\n"));
    dir.file("exports/2025/b.json", format!("{L3}\n"));
    dir.file("exports/old/c.json", format!("{L4}\n"));
    dir.file("exports/counts.csv", "1,2\n3,4\n");
    let out = run(
        &[
            "-g",
            "*.json",
            "-g",
            "!old/",
            "-c",
            "-e",
            "",
            &dir.path("exports"),
        ],
        b"",
    );
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "3\n", "")
    );
}

#[test]
fn an_invalid_glob_is_a_usage_error_naming_it() {
    for (glob, why) in [
        ("[a", "unclosed character class"),
        ("a/{b", "unclosed alternate group"),
        ("", "empty"),
        ("!", "empty"),
        ("#x", "\\#"),
    ] {
        let out = run(&["-g", glob, "-e", "", "."], b"");
        assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{glob}");
        assert!(
            out.stderr
                .starts_with(&format!("oktaql: invalid glob `{glob}` in -g/--glob: ")),
            "{glob}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(why), "{glob}: {}", out.stderr);
        assert!(out.stderr.contains("Usage: oktaql "), "{}", out.stderr);
    }
    let out = run(&["-e", "", "-g"], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("missing argument for option '-g'"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_empty_directory_holds_no_events_and_stdin_is_not_read() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join("empty/.only-hidden")).unwrap();
    dir.file("empty/.only-hidden/a.json", format!("{L1}\n"));
    let out = run(&["-c", "-e", "", &dir.path("empty")], events().as_bytes());
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "0\n", "")
    );
    let out = run(
        &["--json-array", "-e", "", &dir.path("empty")],
        events().as_bytes(),
    );
    assert_eq!((out.code, out.stdout.as_str()), (1, "[]\n"));
}

/// Many inputs are read by several reader threads; what they hold is still
/// printed in input order, with each input's warnings and errors where the
/// input is, and `-m` stops at the same event whatever the threads do.
#[test]
fn many_files_of_mixed_sizes_print_in_input_order() {
    let dir = TempDir::new();
    let mut args = vec!["-e".to_owned(), "n pr".to_owned()];
    let mut expected = Vec::new();
    let mut warned = Vec::new();
    for i in 0..120u32 {
        let name = format!("f{i:03}.json");
        // Every seventh input is large (several chunks), others one event.
        let count = if i % 7 == 0 { 30_000 } else { 1 };
        let mut text = String::new();
        for j in 0..count {
            text.push_str(&format!("{{\"n\":\"{i}-{j}\"}}\n"));
            expected.push(format!("{i}-{j}"));
        }
        let path = match i % 5 {
            // gzip members are decoded by the reader that holds the input.
            1 => dir.file(&format!("{name}.gz"), gzip(text.as_bytes())),
            // A bad line after the events: warned about, in place.
            2 => {
                text.push_str("{\"n\":\n");
                warned.push(format!("{name}:{}:", count + 1));
                dir.file(&name, text)
            }
            _ => dir.file(&name, text),
        };
        args.push(path);
        if i == 60 {
            // A missing input: an error in its place, the rest is read.
            args.push(dir.path("missing.json"));
        }
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv, b"");
    let got: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| {
            l.strip_prefix("{\"n\":\"")
                .and_then(|l| l.strip_suffix("\"}"))
                .unwrap()
        })
        .collect();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "events out of input order");
    assert_eq!(out.code, 2, "a missing input is an error");
    // Diagnostics in input order: the missing file after f060's warning.
    let stderr: Vec<&str> = out.stderr.lines().collect();
    let at = |needle: &str| {
        stderr
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {stderr:?}"))
    };
    let positions: Vec<usize> = warned.iter().map(|w| at(w)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{stderr:?}");
    let missing = at("missing.json");
    // f057 is the 12th input with a warning, f062 the 13th.
    assert!(
        positions[11] < missing && missing < positions[12],
        "{stderr:?}"
    );

    // -m stops at the same event.
    let mut argv_m = vec!["-m", "70000"];
    argv_m.extend(&argv);
    let out = run(&argv_m, b"");
    let last = out.stdout.lines().last().unwrap();
    assert_eq!(last, format!("{{\"n\":\"{}\"}}", expected[69_999]));
    assert_eq!(out.stdout.lines().count(), 70_000);
}

/// Errors that teach: a help line for common slips, for a filter the shell
/// split into several arguments, for a file name where the filter belongs;
/// an option's bad value names the option.
#[test]
fn errors_that_teach() {
    let dir = TempDir::new();
    let f = dir.file("logs.json", events());
    let last = |out: &Out| out.stderr.lines().last().unwrap_or("").to_owned();

    let out = run(&["eventType == \"x\"", &f], b"");
    assert_eq!(out.code, 2);
    assert_eq!(last(&out), "help: the operators are words: write `eq`");

    let out = run(&["eventType", "pr", &f], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("oktaql: expected an operator"),
        "{}",
        out.stderr
    );
    assert_eq!(
        last(&out),
        format!("help: quote the whole filter as one argument: oktaql 'eventType pr' {f}")
    );
    // The shell ate the quotes as well: they are put back.
    let out = run(&["eventType", "eq", "user.session.start", &f], b"");
    assert_eq!(
        last(&out),
        format!(
            "help: quote the whole filter as one argument: oktaql 'eventType eq \"user.session.start\"' {f}"
        )
    );
    // A file where the filter belongs.
    let out = run(&[&f], b"");
    assert_eq!(out.code, 2);
    assert_eq!(
        last(&out),
        format!("help: `{f}` looks like a file: the filter comes first (oktaql FILTER {f})")
    );
    // No help when there is nothing to say.
    let out = run(&["eventType eqq \"x\"", &f], b"");
    assert!(!out.stderr.contains("help:"), "{}", out.stderr);
    // An option's bad value names the option.
    for bad in ["x", "-3", "1.5"] {
        let out = run(&["-m", bad, "a pr", &f], b"");
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.starts_with(&format!(
                "oktaql: -m/--max-count takes a whole number, not `{bad}`\n"
            )),
            "{}",
            out.stderr
        );
    }
}

/// `--color auto|always|never`, and `TERM=dumb` (no escapes) under a real
/// terminal (a pty from util-linux's `script`).
#[test]
fn color_choice_and_dumb_terminals() {
    let red = "\x1b[1;31moktaql:\x1b[0m";
    let out = run(&["--color=always", "a eqq 1"], b"");
    assert!(out.stderr.starts_with(red), "{:?}", out.stderr);
    let out = run(&["--color", "never", "a eqq 1"], b"");
    assert!(!out.stderr.contains('\x1b'), "{:?}", out.stderr);
    // Not a terminal: auto means none.
    let out = run(&["a eqq 1"], b"");
    assert!(!out.stderr.contains('\x1b'), "{:?}", out.stderr);
    let out = run(&["--color", "sometimes", "a pr"], b"");
    assert_eq!(out.code, 2);
    assert!(out
        .stderr
        .starts_with("oktaql: --color takes auto, always or never, not `sometimes`\n"));

    // On a terminal: colour, unless TERM=dumb or NO_COLOR.
    let on_tty = |term: &str, no_color: &str| {
        let out = Command::new("script")
            .args(["-qefc", &format!("{BIN} 'a eqq 1'"), "/dev/null"])
            .env("TERM", term)
            .env("NO_COLOR", no_color)
            .output()
            .expect("util-linux script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        on_tty("xterm", "").contains(red),
        "{:?}",
        on_tty("xterm", "")
    );
    let dumb = on_tty("dumb", "");
    assert!(
        dumb.contains("oktaql: expected an operator") && !dumb.contains('\x1b'),
        "{dumb:?}"
    );
    let no = on_tty("xterm", "1");
    assert!(
        no.contains("oktaql: expected an operator") && !no.contains('\x1b'),
        "{no:?}"
    );
}

/// `--fields` in TSV and CSV tell JSON null (and missing) from the string
/// "null" and from the empty string, as databases read them: TSV writes
/// `\N` (PostgreSQL's text format), CSV an empty unquoted cell, the empty
/// string being `""`. Value paths pick elements.
#[test]
fn fields_tell_null_from_strings_and_take_value_paths() {
    let ev = concat!(
        r#"{"a":null,"b":"","c":"null","d":"\\N","t":[{"type":"User","id":"u1"},"#,
        r#"{"type":"App","id":"a1"},{"type":"User","id":"u2"}]}"#,
        "\n",
        r#"{"t":{"type":"User","id":"solo"}}"#,
        "\n"
    );
    let fields = r#"a,b,c,d,e,t[type eq "User"].id,t[type eq "App"]"#;
    let out = run(
        &["--fields", fields, "--format", "tsv", "-e", ""],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        concat!(
            "a\tb\tc\td\te\tt[type eq \"User\"].id\tt[type eq \"App\"]\n",
            "\\N\t\tnull\t\\\\N\t\\N\t[\"u1\",\"u2\"]\t{\"type\":\"App\",\"id\":\"a1\"}\n",
            "\\N\t\\N\t\\N\t\\N\t\\N\tsolo\t\\N\n",
        )
    );
    let out = run(
        &["--fields", fields, "--format", "csv", "-e", ""],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        concat!(
            "a,b,c,d,e,\"t[type eq \"\"User\"\"].id\",\"t[type eq \"\"App\"\"]\"\n",
            ",\"\",null,\\N,,\"[\"\"u1\"\",\"\"u2\"\"]\",\"{\"\"type\"\":\"\"App\"\",\"\"id\"\":\"\"a1\"\"}\"\n",
            ",,,,,solo,\n",
        )
    );
    let out = run(&["--fields", fields, "-e", ""], ev.as_bytes());
    assert_eq!(
        out.stdout.lines().nth(1).unwrap(),
        r#"{"a":null,"b":null,"c":null,"d":null,"e":null,"t[type eq \"User\"].id":"solo","t[type eq \"App\"]":null}"#
    );
    // A bad filter inside the brackets is named with its place.
    let out = run(&["--fields", "t[type eqq 1].id", "-e", ""], ev.as_bytes());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("found `eqq` at offset 7"),
        "{}",
        out.stderr
    );
}

/// `--explain` shows everything that decides a match: -i, -v, since/until,
/// keywords, and how each comparison compares its value.
#[test]
fn explain_shows_what_decides_a_match() {
    let out = run(
        &[
            "--explain",
            "-i",
            "-v",
            "-k",
            "admin",
            "--until",
            "2025-03-04",
            r#"published gt "2025-01-01" and n ge 2 and b eq "true" and s co "x""#,
        ],
        b"",
    );
    assert_eq!(out.code, 0);
    let want = [
        "strings: compared ignoring case (each character Unicode lower-cased)",
        "all of:",
        "  not:",
        "    all of:",
        r#"      published: some string gt "2025-01-01": as an instant when the value is a date-time, else as text, ignoring case"#,
        "      n: some number ge 2: as numbers (two integers exactly, otherwise as 64-bit floats)",
        r#"      b: some value eq "true": as text, ignoring case; also the boolean true"#,
        r#"      s: some string contains "x" (strings only), ignoring case"#,
        "  published: some date-time lt 2025-03-04T00:00:00Z: as an instant (a value that is not a date-time never matches)",
        "  keywords admin: each equals, ignoring case, a whole string value of the event or one of its tokens",
    ];
    let meaning: Vec<&str> = out
        .stdout
        .split("what decides a match:\n")
        .nth(1)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(meaning, want);
    assert!(
        out.stdout.starts_with("as written:\nand  @0.."),
        "{}",
        out.stdout
    );
}

/// `--count-by`: combinations counted, most frequent first (ties in value
/// order), an event counted once under each distinct value at a path,
/// missing values shown, and the number of events last.
#[test]
fn count_by_tables() {
    let ev = concat!(
        r#"{"actor":{"alternateId":"a"},"debugContext":{"debugData":{"importType":"Full"}},"target":[{"type":"User"},{"type":"App"}]}"#,
        "\n",
        r#"{"actor":{"alternateId":"a"},"debugContext":{"debugData":{"importType":"Full"}}}"#,
        "\n",
        r#"{"actor":{"alternateId":"b"},"debugContext":{"debugData":{"importType":"Incremental"}}}"#,
        "\n",
        r#"{"actor":{"alternateId":"b"}}"#,
        "\n",
        r#"{"actor":{"alternateId":"a"},"target":[{"type":"User"},{"type":"User"}]}"#,
        "\n",
    );
    let by = "actor.alternateId,debugContext.debugData.importType";
    let out = run(&["--count-by", by, "-e", ""], ev.as_bytes());
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        concat!(
            "count  actor.alternateId  debugContext.debugData.importType\n",
            "    2  a                  Full\n",
            "    1  a                  (missing)\n",
            "    1  b                  (missing)\n",
            "    1  b                  Incremental\n",
            "5 events\n",
        )
    );
    let out = run(&["--count-by", "target.type", "-e", ""], ev.as_bytes());
    assert_eq!(
        out.stdout,
        "count  target.type\n    3  (missing)\n    2  User\n    1  App\n5 events\n"
    );
    let out = run(
        &[
            "--count-by",
            by,
            "--format",
            "tsv",
            "actor.alternateId eq \"b\"",
        ],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        concat!(
            "count\tactor.alternateId\tdebugContext.debugData.importType\n",
            "1\tb\t\\N\n",
            "1\tb\tIncremental\n",
            "2\t(events)\n",
        )
    );
    let out = run(
        &["--count-by", by, "--format", "json", "-m", "1", "-e", ""],
        ev.as_bytes(),
    );
    assert_eq!(
        out.stdout,
        concat!(
            r#"{"count":1,"actor.alternateId":"a","debugContext.debugData.importType":"Full"}"#,
            "\n",
            r#"{"events":1}"#,
            "\n"
        )
    );
    // Nothing selected: the header and no events, exit 1.
    let out = run(&["--count-by", "x", "y eq 1"], ev.as_bytes());
    assert_eq!((out.code, out.stdout.as_str()), (1, "count  x\n0 events\n"));
    let out = run(&["--count-by", "x", "-c", "-e", ""], ev.as_bytes());
    assert_eq!(out.code, 2);
}

/// Several inputs: `-H` names the input before each selected event,
/// `-c -H` gives each input's count, `-l` the inputs with a selected
/// event; piped output without -H stays JSON Lines.
#[test]
fn file_names_with_several_inputs() {
    let dir = TempDir::new();
    let a = dir.file("a.json", format!("{L1}\n{L2}\n"));
    let b = dir.file("b.json", format!("{L3}\n"));
    let c = dir.file("c.json", format!("{L4}\n"));
    let out = run(&["-H", SEED, &a, &b, &c], b"");
    assert_eq!(out.stdout, format!("{a}:{L1}\n{c}:{L4}\n"));
    assert_eq!(out.code, 0);
    let out = run(&[SEED, &a, &b, &c], b"");
    assert_eq!(out.stdout, lines(&[L1, L4]));
    let out = run(&["--no-filename", SEED, &a, &b, &c], b"");
    assert_eq!(out.stdout, lines(&[L1, L4]));
    let out = run(&["-c", "-H", "eventType pr", &a, &b, &c], b"");
    assert_eq!(out.stdout, format!("{a}:2\n{b}:1\n{c}:1\n"));
    let out = run(&["-c", "-H", SEED, &a, &b, &c], b"");
    assert_eq!(out.stdout, format!("{a}:1\n{c}:1\n"));
    let out = run(&["-l", SEED, &a, &b, &c], b"");
    assert_eq!(out.stdout, format!("{a}\n{c}\n"));
    assert_eq!(out.code, 0);
    let out = run(&["-l", "eventType eq \"none\"", &a, &b], b"");
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    // stdin by its name.
    let out = run(&["-H", SEED, "-"], format!("{L1}\n").as_bytes());
    assert_eq!(out.stdout, format!("<stdin>:{L1}\n"));
    let out = run(&["-l", "-c", SEED, &a], b"");
    assert_eq!(out.code, 2);
}

/// `--pretty` indents as jq does, keys in the order written (colour only on
/// request or a terminal); `--summary` gives the console's one line.
#[test]
fn pretty_and_summary_output() {
    let ev = r#"{"z":1,"a":[],"o":{},"l":[1.50,{"k":null}],"s":"x\"y"}"#;
    let out = run(&["--pretty", "-e", ""], format!("{ev}\n").as_bytes());
    assert_eq!(
        out.stdout,
        concat!(
            "{\n  \"z\": 1,\n  \"a\": [],\n  \"o\": {},\n  \"l\": [\n    1.50,\n    {\n",
            "      \"k\": null\n    }\n  ],\n  \"s\": \"x\\\"y\"\n}\n"
        )
    );
    let back: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(ev).unwrap());
    let out = run(
        &["--pretty", "--color", "always", "-e", ""],
        format!("{ev}\n").as_bytes(),
    );
    assert!(
        out.stdout.contains("\x1b[34;1m\"z\"\x1b[0m: 1"),
        "{:?}",
        out.stdout
    );

    let ev = concat!(
        r#"{"published":"2025-03-03T08:00:00Z","eventType":"user.session.start","actor":{"alternateId":"a@x"},"#,
        r#""outcome":{"result":"FAILURE"},"target":[{"alternateId":"t1"},{"alternateId":"t2"}],"displayMessage":"User login\nto Okta"}"#,
        "\n",
        r#"{"eventType":"x"}"#,
        "\n"
    );
    let out = run(&["--summary", "-e", ""], ev.as_bytes());
    assert_eq!(
        out.stdout,
        concat!(
            "2025-03-03T08:00:00Z  user.session.start  a@x  FAILURE  t1,t2  User login to Okta\n",
            "-  x  -  -  -  -\n"
        )
    );
    let out = run(&["--summary", "--pretty", "-e", ""], ev.as_bytes());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("oktaql: --pretty shows events: not with --summary"),
        "{}",
        out.stderr
    );
}

/// Events `--since`/`--until` leave out because their `published` is not a
/// date-time are counted in a note, not dropped in silence.
#[test]
fn window_notes_events_without_a_date_time() {
    let ev = concat!(
        r#"{"published":"2025-03-03T10:00:00Z","a":1}"#,
        "\n",
        r#"{"published":"yesterday","a":1}"#,
        "\n",
        r#"{"a":1}"#,
        "\n",
        r#"{"published":"2025-03-03","a":2}"#,
        "\n",
        r#"{"published":"2025-02-03T10:00:00Z","a":1}"#,
        "\n",
    );
    let out = run(&["--since", "2025-03-01", "a eq 1"], ev.as_bytes());
    assert_eq!(
        out.stdout,
        "{\"published\":\"2025-03-03T10:00:00Z\",\"a\":1}\n"
    );
    // Of the three `a eq 1` events left out, two lack a date-time (the
    // third is before the window).
    assert_eq!(
        out.stderr,
        "oktaql: 2 events left out by --since/--until: `published` is not a date-time\n"
    );
    let out = run(&["--until", "2026-01-01", "a eq 2"], ev.as_bytes());
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let out = run(&["-q", "--since", "2025-03-01", "a eq 1"], ev.as_bytes());
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

/// The README's `--count-by` example, on the sample, as the README shows it.
#[test]
fn readme_count_by_example() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/system-log.ndjson");
    let out = run(
        &[
            "--count-by",
            "actor.alternateId,debugContext.debugData.importType",
            r#"eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action""#,
            sample,
        ],
        b"",
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split("```text\ncount  actor.alternateId")
        .nth(1)
        .and_then(|t| t.split("```").next())
        .map(|t| format!("count  actor.alternateId{t}"))
        .expect("the README's table");
    assert_eq!(out.stdout, table);
}
