//! `oktaql::read::Reader`: random events written in random shapes come back
//! exactly, with their lines; hostile inputs give clear errors in bounded
//! memory, and nothing before the damage is lost.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use oktaql::read::{Error, Reader};
use proptest::prelude::*;
use serde_json::{json, Value};

/// An event (its line and value) or a bad value (its line).
type Item = Result<(u64, Value), u64>;

/// Every item, and the fatal error if any.
fn read(input: &[u8], batch: usize) -> (Vec<Item>, Option<String>) {
    let reader = match Reader::new(input) {
        Ok(r) => r.batch_size(batch),
        Err(e) => return (vec![], Some(e.to_string())),
    };
    let mut items = vec![];
    let mut fatal = None;
    for item in reader {
        match item {
            Ok(ev) => items.push(Ok((
                ev.line(),
                serde_json::from_slice(ev.bytes()).expect("a delivered event is JSON"),
            ))),
            Err(Error::Bad(b)) => items.push(Err(b.line)),
            Err(e) => fatal = Some(e.to_string()),
        }
    }
    (items, fatal)
}

fn event() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z \\\\\"{}\\[\\],:\n\t\u{e9}]{0,8}".prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z\"{]{1,3}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map("[a-z]{1,4}", value, 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// How a group of events is written.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Ndjson,
    Pretty,
    Array,
    PrettyArray,
    Pages,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Ndjson),
        Just(Shape::Pretty),
        Just(Shape::Array),
        Just(Shape::PrettyArray),
        Just(Shape::Pages),
    ]
}

/// Writes the groups; returns the text and every event with its line.
fn write(groups: &[(Shape, Vec<Value>)]) -> (String, Vec<(u64, Value)>) {
    let mut text = String::new();
    let mut want = vec![];
    let line = |text: &str| text.matches('\n').count() as u64 + 1;
    for (shape, events) in groups {
        match shape {
            Shape::Ndjson => {
                for e in events {
                    want.push((line(&text), e.clone()));
                    text.push_str(&format!("{e}\n"));
                }
            }
            Shape::Pretty => {
                for e in events {
                    want.push((line(&text), e.clone()));
                    text.push_str(&serde_json::to_string_pretty(e).unwrap());
                    text.push('\n');
                }
            }
            Shape::Array | Shape::PrettyArray => {
                text.push_str("[\n");
                for (i, e) in events.iter().enumerate() {
                    want.push((line(&text), e.clone()));
                    let s = if matches!(shape, Shape::Array) {
                        e.to_string()
                    } else {
                        serde_json::to_string_pretty(e).unwrap()
                    };
                    text.push_str(&s);
                    text.push_str(if i + 1 < events.len() { ",\n" } else { "\n" });
                }
                text.push_str("]\n");
            }
            Shape::Pages => {
                text.push('[');
                for (i, e) in events.iter().enumerate() {
                    if i > 0 {
                        text.push_str(",\n");
                    }
                    want.push((line(&text), e.clone()));
                    text.push_str(&format!("[{e}]"));
                }
                text.push_str("]\n");
            }
        }
    }
    (text, want)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn events_in_any_shape_come_back_with_their_lines(
        groups in prop::collection::vec((shape(), prop::collection::vec(event(), 0..4)), 0..6),
        batch in 16usize..300,
    ) {
        let (text, want) = write(&groups);
        let (got, fatal) = read(text.as_bytes(), batch);
        prop_assert_eq!(fatal, None);
        let want: Vec<Item> = want.into_iter().map(Ok).collect();
        prop_assert_eq!(got, want, "{}", text);
    }
}

// ---------------------------------------------------------------- hostile

#[test]
fn unclosed_arrays_are_one_clear_error() {
    let mut input = b"{\"a\":1}\n".to_vec();
    input.extend(std::iter::repeat_n(b'[', 1_000_000));
    input.extend_from_slice(b"{\"b\":2}");
    let (got, fatal) = read(&input, 1 << 16);
    assert_eq!(fatal, None);
    // The event inside is whole: it is delivered; then the arrays end
    // unclosed.
    assert_eq!(
        got,
        vec![Ok((1, json!({"a": 1}))), Ok((2, json!({"b": 2}))), Err(2)]
    );
}

#[test]
fn deep_nesting_across_lines_is_one_event() {
    let depth = 100_000;
    let mut text = "{\"deep\":\n".to_owned();
    text.push_str(&"[\n".repeat(depth));
    text.push_str(&"]\n".repeat(depth));
    text.push_str("}\n{\"after\":1}\n");
    let mut reader = Reader::new(text.as_bytes()).unwrap();
    let first = reader.next_event().unwrap().unwrap();
    assert_eq!(first.line(), 1);
    assert_eq!(first.bytes().len(), text.len() - "\n{\"after\":1}\n".len());
    let second = reader.next_event().unwrap().unwrap();
    assert_eq!(
        (second.line(), second.bytes()),
        (2 * depth as u64 + 3, &b"{\"after\":1}"[..])
    );
    assert!(reader.next_event().is_none());
    // Unclosed, the same depth is a bad value and the next line is read.
    let cut = format!("{}\n{{\"after\":1}}\n", &text[..text.len() / 3]);
    let (got, fatal) = read(cut.as_bytes(), 1 << 20);
    assert_eq!(fatal, None);
    // The cut leaves `{"deep":`, 66,666 lines of `[` and a blank line;
    // the value never closes, so reading resumes at line 2 (a `[` in column
    // 1): arrays of arrays, `{"after":1}` on line 66,669 an element, and
    // those arrays unclosed too.
    assert_eq!(
        got,
        vec![Err(1), Ok((66_669, json!({"after": 1}))), Err(66_669)]
    );
}

fn big_pretty_object(bytes: usize) -> String {
    let mut text = String::from("{\n  \"eventType\": \"big\",\n  \"items\": [\n");
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "    {{\n      \"id\": {i},\n      \"name\": \"item {i}\"\n    }},\n"
        ));
        i += 1;
    }
    text.push_str("    {}\n  ]\n}\n");
    text
}

#[test]
fn a_20_mb_pretty_printed_object_is_one_event() {
    let mut text = big_pretty_object(20 << 20);
    text.push_str("{\"after\":1}\n");
    let (got, fatal) = read(text.as_bytes(), 1 << 20);
    assert_eq!(fatal, None);
    assert_eq!(got.len(), 2);
    let Ok((1, v)) = &got[0] else {
        panic!("{:?}", got[0].as_ref().err())
    };
    assert_eq!(v["eventType"], "big");
    assert!(v["items"].as_array().unwrap().len() > 300_000);
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

#[test]
fn the_command_streams_pretty_printed_input_in_bounded_memory() {
    // 128 MiB of pretty-printed events and a 20 MB object, through a pipe:
    // the peak stays far below the input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_oktaql"))
        .args(["-c", "eventType pr"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let one = serde_json::to_string_pretty(&json!({
        "eventType": "user.session.start",
        "actor": {"id": "00u1", "alternateId": "a@example.com", "type": "User"},
        "target": [{"id": "t", "type": "AppInstance"}],
        "outcome": {"result": "SUCCESS"},
        "pad": "x".repeat(400),
    }))
    .unwrap()
        + "\n";
    let block = one.repeat((1 << 20) / one.len() + 1);
    let per_block = (1 << 20) / one.len() as u64 + 1;
    let mut sent = 0u64;
    input
        .write_all(big_pretty_object(20 << 20).as_bytes())
        .unwrap();
    for _ in 0..128 {
        input.write_all(block.as_bytes()).unwrap();
        sent += per_block;
    }
    let peak = peak_rss_kib(child.id());
    drop(input);
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout, format!("{}\n", sent + 1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    if let Some(peak) = peak {
        assert!(peak < 160 << 10, "peak RSS {peak} KiB for 148 MiB of input");
    }
}

/// A zstd stream cut inside its one frame (window: the whole 1.3 MB text)
/// still delivers every event decoded before the cut: the frame is ended at
/// its last whole block. Made with `zstd -3` 1.5.4 from the lines
/// `{"i":N,"pad":"x" * (N % 97)}` for N in 0..20000 (tests/data/SOURCES.md).
#[test]
fn a_zstd_frame_cut_short_delivers_its_whole_blocks() {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/zstd/events-20k.ndjson.zst"
    ))
    .unwrap();
    let line = |n: usize| format!("{{\"i\":{n},\"pad\":\"{}\"}}", "x".repeat(n % 97));
    let mut delivered_before = 0;
    for percent in [1, 10, 30, 50, 70, 90, 99, 100] {
        let cut = &data[..data.len() * percent / 100];
        let mut events = Vec::new();
        let mut fatal = None;
        // Cut inside the first block: nothing decoded, so the error comes
        // when the reader looks at the first bytes.
        let reader = Reader::new(cut).map_err(|e| fatal = Some(e.to_string()));
        for item in reader.into_iter().flatten() {
            match item {
                Ok(ev) => events.push(String::from_utf8(ev.bytes().to_vec()).unwrap()),
                Err(Error::Bad(b)) => panic!("a bad value at line {}", b.line),
                Err(e) => fatal = Some(e.to_string()),
            }
        }
        // Whole events in order from the first; the one the cut went
        // through (if any) is last and is not JSON.
        let whole = events
            .iter()
            .enumerate()
            .take_while(|(n, e)| **e == line(*n))
            .count();
        assert!(
            events.len() - whole <= 1,
            "{percent}%: {:?}",
            &events[whole..]
        );
        if let Some(partial) = events.get(whole) {
            assert!(line(whole).starts_with(partial.as_str()), "{partial}");
        }
        if percent == 100 {
            assert_eq!((whole, fatal), (20_000, None));
        } else {
            assert_eq!(
                fatal.as_deref(),
                Some("zstd: the compressed stream is truncated")
            );
            // A block is at most 128 KiB, about 1,900 of these lines: all
            // but the last two blocks' worth before the cut is there.
            let at_least = (20_000 * percent / 100).saturating_sub(4_000);
            assert!(whole >= at_least, "{percent}%: {whole} < {at_least}");
            assert!(
                whole >= delivered_before,
                "{percent}%: fewer events than a shorter cut"
            );
        }
        delivered_before = whole;
    }
}
