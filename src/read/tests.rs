use super::*;

/// A reader that hands out at most `n` bytes per read, then maybe fails.
struct Trickle<'a> {
    data: &'a [u8],
    n: usize,
    fail: bool,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() && self.fail {
            return Err(io::Error::other("boom"));
        }
        let n = self.n.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[derive(Debug, PartialEq, Eq)]
enum It {
    Ev(u64, String),
    Bad(u64, u64),
}

use It::{Bad, Ev};

fn ev(line: u64, s: &str) -> It {
    Ev(line, s.to_owned())
}

/// All items, read with `per_read`-byte reads into batches of `batch`
/// bytes; the last item is the fatal error's text, if any.
fn read_with(input: &[u8], per_read: usize, batch: usize) -> (Vec<It>, Option<String>) {
    let r = Trickle {
        data: input,
        n: per_read,
        fail: false,
    };
    let mut reader = match Reader::new(r) {
        Ok(r) => r.batch_size(batch),
        Err(e) => return (vec![], Some(e.to_string())),
    };
    let mut out = vec![];
    let mut fatal = None;
    for item in reader.by_ref() {
        match item {
            Ok(e) => out.push(Ev(
                e.line(),
                String::from_utf8_lossy(e.bytes()).into_owned(),
            )),
            Err(Error::Bad(b)) => out.push(Bad(b.line, b.end_line)),
            Err(e) => fatal = Some(e.to_string()),
        }
    }
    (out, fatal)
}

/// The same answer for every read size and batch size.
fn read_all(input: &[u8]) -> Vec<It> {
    let (want, fatal) = read_with(input, 1 << 20, DEFAULT_BATCH);
    assert_eq!(fatal, None);
    for (per_read, batch) in [(1, 16), (3, 16), (7, 64), (64, 16), (1 << 20, 32)] {
        let (got, f) = read_with(input, per_read, batch);
        assert_eq!(f, None);
        assert_eq!(got, want, "per_read {per_read} batch {batch}");
    }
    want
}

fn bad_messages(input: &[u8]) -> Vec<String> {
    Reader::new(input)
        .unwrap()
        .filter_map(|r| match r {
            Err(Error::Bad(b)) => Some(b.message),
            _ => None,
        })
        .collect()
}

#[test]
fn ndjson_lines_are_events_with_their_lines() {
    let got = read_all(b"{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}");
    assert_eq!(
        got,
        vec![ev(1, "{\"a\":1}"), ev(4, "{\"b\":2}"), ev(5, "{\"c\":3}")]
    );
}

#[test]
fn ndjson_stays_one_run_per_batch() {
    let text = b"{\"a\":1}\n{\"b\":2}\n\n{\"c\":3}\n";
    let mut r = Reader::new(&text[..]).unwrap();
    let mut batch = Batch::new();
    assert!(r.fill(&mut batch).unwrap());
    assert_eq!(
        batch.parts(),
        &[Part::Lines {
            range: 0..text.len(),
            line: 1,
            lines: 4
        }]
    );
    assert!(!r.fill(&mut batch).unwrap());
}

#[test]
fn jq_output_pretty_objects_one_after_another() {
    let text = b"{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": \"}\\\"\"}\n  ]\n}\n{\n  \"d\": {}\n}\n";
    assert_eq!(
        read_all(text),
        vec![
            ev(
                1,
                "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": \"}\\\"\"}\n  ]\n}"
            ),
            ev(7, "{\n  \"d\": {}\n}"),
        ]
    );
}

#[test]
fn arrays_appended_and_followed_by_ndjson() {
    let text = b"[{\"a\":1},\n {\"b\":2}]\n[]\n[\n{\"c\":3}\n]{\"d\":4}\n{\"e\":5}\n";
    assert_eq!(
        read_all(text),
        vec![
            ev(1, "{\"a\":1}"),
            ev(2, "{\"b\":2}"),
            ev(5, "{\"c\":3}"),
            ev(6, "{\"d\":4}"),
            ev(7, "{\"e\":5}"),
        ]
    );
}

#[test]
fn nested_arrays_are_pages_of_events() {
    let text = b"[[{\"a\":1},{\"b\":2}],\n [{\"c\":3}], [[{\"d\":4}]]]";
    assert_eq!(
        read_all(text),
        vec![
            ev(1, "{\"a\":1}"),
            ev(1, "{\"b\":2}"),
            ev(2, "{\"c\":3}"),
            ev(2, "{\"d\":4}"),
        ]
    );
}

#[test]
fn scalars_and_non_object_elements_are_bad_values() {
    let text = b"1\n\"x\"\n[true, {\"a\":1}, null,\n -2.5e3]\n{\"b\":2}\n";
    assert_eq!(
        read_all(text),
        vec![
            Bad(1, 1),
            Bad(2, 2),
            Bad(3, 3),
            ev(3, "{\"a\":1}"),
            Bad(3, 3),
            Bad(4, 4),
            ev(5, "{\"b\":2}"),
        ]
    );
    assert_eq!(
        bad_messages(b"1\n[\"x\"]"),
        [
            "a number at the top level, not an object",
            "an array element that is a string, not an object"
        ]
    );
}

#[test]
fn resync_after_a_truncated_pretty_object() {
    // The first object is cut short; the next begins in column 1.
    let text = b"{\n  \"a\": 1,\n  \"b\": {\n{\n  \"c\": 2\n}\n{\"d\":3}\n";
    assert_eq!(
        read_all(text),
        vec![Bad(1, 3), ev(4, "{\n  \"c\": 2\n}"), ev(7, "{\"d\":3}")]
    );
    // A value swallowed by the broken one is read again from its line.
    let text = b"{\n  \"a\": [\n{\"x\":1}\n{\"y\":2}\n";
    assert_eq!(
        read_all(text),
        vec![Bad(1, 2), ev(3, "{\"x\":1}"), ev(4, "{\"y\":2}")]
    );
    // Indented `{` lines are not where reading resumes.
    let text = b"{\n  \"a\": x\n  {\"no\": 1}\n}\n[{\"ok\":1}]\n";
    assert_eq!(read_all(text), vec![Bad(1, 4), ev(5, "{\"ok\":1}")]);
}

#[test]
fn resync_messages_name_the_problem() {
    assert_eq!(
        bad_messages(b"{\n\"a\" 1\n}\n"),
        ["malformed JSON: unexpected byte in JSON at byte 6"]
    );
    assert_eq!(
        bad_messages(b"{\n\"a\": [\n{\"x\":1}\n{\"y\":2}\n"),
        ["malformed JSON: expected `,` or `]`, found `{` on line 4"]
    );
    assert_eq!(
        bad_messages(b"not json\n"),
        ["malformed JSON: `not` is not a JSON value"]
    );
    assert_eq!(
        bad_messages(b"{\"a\":\"x\n\"}\n"),
        ["malformed JSON: a string is not closed before the line ends"]
    );
    assert_eq!(
        bad_messages(b"[{\"a\":1} {\"b\":2}]"),
        ["expected `,` between array elements"]
    );
}

#[test]
fn a_malformed_element_is_bad_and_the_next_ones_are_read() {
    let text = b"[\n  {\"z\": 1,},\n  {\"a\": \"c, ]\", \"z\": tru},\n  {\"z\": 4}\n]\n";
    assert_eq!(
        read_all(text),
        vec![Bad(2, 2), Bad(3, 3), ev(4, "{\"z\": 4}")]
    );
}

#[test]
fn missing_comma_between_elements_loses_nothing() {
    let text = b"[\n{\"a\":1}\n{\"b\":2}\n]\n{\"c\":3}\n";
    assert_eq!(
        read_all(text),
        vec![
            ev(2, "{\"a\":1}"),
            Bad(3, 3),
            ev(3, "{\"b\":2}"),
            ev(5, "{\"c\":3}")
        ]
    );
}

#[test]
fn the_input_ends_inside_values() {
    assert_eq!(
        read_all(b"[{\"a\":1},\n{\"b\":"),
        vec![ev(1, "{\"a\":1}"), Bad(2, 2)]
    );
    assert_eq!(
        read_all(b"[{\"a\":1},\n"),
        vec![ev(1, "{\"a\":1}"), Bad(1, 1)]
    );
    assert_eq!(read_all(b"[[[["), vec![Bad(1, 1)]);
    assert_eq!(
        read_all(b"{\"a\":1}\n{\n"),
        vec![ev(1, "{\"a\":1}"), Bad(2, 2)]
    );
}

#[test]
fn empty_and_blank_inputs_have_no_events() {
    assert_eq!(read_all(b""), vec![]);
    assert_eq!(read_all(b" \n\r\n\t"), vec![]);
    assert_eq!(read_all(b"\xEF\xBB\xBF"), vec![]);
    assert_eq!(read_all(b"[]"), vec![]);
}

#[test]
fn utf8_bom_is_skipped() {
    assert_eq!(
        read_all(b"\xEF\xBB\xBF{\"a\":1}\n"),
        vec![ev(1, "{\"a\":1}")]
    );
    let r = Reader::new(&b"\xEF\xBB\xBF{}"[..]).unwrap();
    assert_eq!(r.format().encoding, Encoding::Utf8Bom);
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let text = "{\"a\":\"é😀\"}\r\n[\r\n{\"b\":1}\r\n]\r\n";
    for be in [false, true] {
        let got = read_all(&utf16(text, be));
        assert_eq!(got, vec![ev(1, "{\"a\":\"é😀\"}"), ev(3, "{\"b\":1}")]);
    }
}

#[test]
fn binary_formats_are_named() {
    let cases: &[(&[u8], &str)] = &[
        (b"BZh91AY&SY", "bzip2"),
        (b"\xFD7zXZ\x00\x00", "xz"),
        (b"PK\x03\x04\x14\x00", "zip archive"),
        (b"PAR1\x15\x04", "Parquet"),
        (b"\x89PNG\r\n\x1A\n\x00", "PNG"),
        (b"\xFF\xD8\xFF\xE0", "JPEG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"%PDF-1.7\n", "PDF"),
        (b"7z\xBC\xAF\x27\x1C\x00", "7z"),
        (b"{\"a\":\x00\x01}", "binary data"),
        (
            b"{\x00\"\x00a\x00\"\x00",
            "UTF-16 text without a byte-order mark",
        ),
        (
            b"a,b,c\n1,2,3\n",
            "does not start with a JSON value: `a` on line 1",
        ),
        (b"\n\n  # comment\n", "`#` on line 3"),
    ];
    for (input, name) in cases {
        let (items, fatal) = read_with(input, 1 << 20, DEFAULT_BATCH);
        assert!(items.is_empty(), "{input:?}");
        let fatal = fatal.unwrap_or_default();
        assert!(
            fatal.starts_with("not JSON text (") && fatal.contains(name),
            "{input:?}: {fatal}"
        );
    }
}

#[cfg(feature = "compression")]
mod compressed {
    use super::*;
    use std::io::Write;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_members_are_all_read() {
        let mut data = gzip(b"{\"a\":1}\n");
        data.extend(gzip(b"[{\"b\":2}]\n"));
        assert_eq!(
            read_all(&data),
            vec![ev(1, "{\"a\":1}"), ev(2, "{\"b\":2}")]
        );
        assert_eq!(
            Reader::new(&data[..]).unwrap().format().compression,
            Compression::Gzip
        );
    }

    #[test]
    fn truncated_gzip_delivers_what_came_before() {
        let mut text = Vec::new();
        for i in 0..20_000 {
            writeln!(text, "{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(i % 50)).unwrap();
        }
        let data = gzip(&text);
        let cut = &data[..data.len() / 2];
        let (items, fatal) = read_with(cut, 1 << 20, DEFAULT_BATCH);
        assert!(items.len() > 1000, "{}", items.len());
        for (i, it) in items.iter().enumerate() {
            let Ev(line, _) = it else { panic!("{it:?}") };
            assert_eq!(*line, i as u64 + 1);
        }
        assert_eq!(
            fatal.as_deref(),
            Some("gzip: the compressed stream is truncated")
        );
    }

    /// A zstd frame made by hand: raw blocks (no compression), no checksum.
    pub(crate) fn zstd_raw_frame(text: &[u8]) -> Vec<u8> {
        let mut f = vec![0x28, 0xB5, 0x2F, 0xFD];
        // Frame header: single segment, 4-byte content size.
        f.push(0b1010_0000);
        f.extend_from_slice(&(text.len() as u32).to_le_bytes());
        let chunks: Vec<&[u8]> = text.chunks(64).collect();
        if chunks.is_empty() {
            f.extend_from_slice(&[1, 0, 0]);
        }
        for (i, c) in chunks.iter().enumerate() {
            let last = u32::from(i + 1 == chunks.len());
            let header = last | (c.len() as u32) << 3; // block type 0: raw
            f.extend_from_slice(&header.to_le_bytes()[..3]);
            f.extend_from_slice(c);
        }
        f
    }

    #[test]
    fn zstd_frames_are_all_read() {
        let mut data = zstd_raw_frame(b"{\"a\":1}\n");
        data.extend(zstd_raw_frame(b"{\n\"b\":2}\n"));
        assert_eq!(
            read_all(&data),
            vec![ev(1, "{\"a\":1}"), ev(2, "{\n\"b\":2}")]
        );
        assert_eq!(
            Reader::new(&data[..]).unwrap().format().compression,
            Compression::Zstd
        );
    }

    #[test]
    fn truncated_zstd_delivers_what_came_before() {
        // The last frame's one block is cut: the frames before it are
        // delivered (a frame cut after whole blocks keeps those: see
        // tests/reader.rs).
        let mut data = Vec::new();
        for i in 0..3 {
            data.extend(zstd_raw_frame(format!("{{\"n\":{i}}}\n").as_bytes()));
        }
        let (items, fatal) = read_with(&data[..data.len() - 3], 1 << 20, 64);
        assert_eq!(items, vec![ev(1, "{\"n\":0}"), ev(2, "{\"n\":1}")]);
        assert_eq!(
            fatal.as_deref(),
            Some("zstd: the compressed stream is truncated")
        );
    }
}

#[test]
fn a_read_error_comes_after_the_events_before_it() {
    let r = Trickle {
        data: b"{\"a\":1}\n{\"b\":2}\n{\"c\"",
        n: 5,
        fail: true,
    };
    let items: Vec<_> = Reader::new(r).unwrap().collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().bytes(), b"{\"b\":2}");
    assert_eq!(items[2].as_ref().unwrap_err().to_string(), "boom");
}

#[test]
fn long_events_are_bad_values_and_reading_goes_on() {
    let long = format!("{{\"a\":\"{}\"}}", "x".repeat(100));
    let text = format!(
        "{{\"b\":1}}\n{long}\n{{\n\"c\":\"{}\"\n}}\n{{\"d\":2}}\n",
        "y".repeat(100)
    );
    let r = Reader::new(text.as_bytes())
        .unwrap()
        .max_event(50)
        .batch_size(16);
    let got: Vec<It> = r
        .map(|i| match i {
            Ok(e) => Ev(e.line(), String::from_utf8(e.into_bytes()).unwrap()),
            Err(Error::Bad(b)) => Bad(b.line, b.end_line),
            Err(e) => panic!("{e}"),
        })
        .collect();
    assert_eq!(
        got,
        vec![ev(1, "{\"b\":1}"), Bad(2, 2), Bad(3, 5), ev(6, "{\"d\":2}")]
    );
}

#[test]
fn deep_nesting_costs_bits() {
    let depth = 100_000;
    let mut text = "{\"a\":\n".to_owned();
    text.push_str(&"[\n".repeat(depth));
    text.push_str(&"]\n".repeat(depth));
    text.push_str("}\n{\"b\":1}\n");
    let got = read_all(text.as_bytes());
    assert_eq!(got.len(), 2);
    assert!(matches!(&got[0], Ev(1, s) if s.len() == text.len() - 9));
    assert_eq!(got[1], ev(2 * depth as u64 + 3, "{\"b\":1}"));
}

#[test]
fn rescanning_is_bounded() {
    // Every line opens a value that only the last line breaks: resuming at
    // each line in turn would be quadratic.
    let n = 20_000;
    let mut text = "{\"a\":\n".repeat(n);
    text.push_str("x\n{\"z\":1}\n");
    let got = read_all(text.as_bytes());
    assert_eq!(
        got,
        vec![
            Bad(1, 1),
            Bad(2, n as u64 + 1),
            ev(n as u64 + 2, "{\"z\":1}")
        ]
    );
}

/// Every read size, so that a CR, a CR LF pair or a byte-order mark split
/// between two reads is met.
fn read_every_way(input: &[u8]) -> Vec<It> {
    let whole = read_all(input);
    for per_read in [1, 2, 3, 5, 8, 64] {
        assert_eq!(
            read_with(input, per_read, 16).0,
            whole,
            "{per_read}-byte reads"
        );
    }
    whole
}

#[test]
fn cr_only_line_ends_are_line_ends() {
    // The issue's file: all three events, each on its own line.
    assert_eq!(
        read_every_way(b"{\"a\":1}\r{\"a\":2}\r{\"a\":3}\r"),
        vec![ev(1, "{\"a\":1}"), ev(2, "{\"a\":2}"), ev(3, "{\"a\":3}")]
    );
    // Once CR line ends are found, a CR LF pair is still one line end, and
    // a blank line (two CRs) is a line.
    assert_eq!(
        read_every_way(b"{\"a\":1}\r{\"a\":2}\r\n\r{\"a\":3}"),
        vec![ev(1, "{\"a\":1}"), ev(2, "{\"a\":2}"), ev(4, "{\"a\":3}")]
    );
    // Pretty-printed with CRs: the value read across its lines, its CRs
    // read as LFs; a bad value's lines counted by CRs.
    assert_eq!(
        read_every_way(b"{\r  \"a\": 1\r}\r\"x\"\r{\"b\":2}\r"),
        vec![ev(1, "{\n  \"a\": 1\n}"), Bad(4, 4), ev(5, "{\"b\":2}")]
    );
    // How the line ends are read does not depend on where a read ends:
    // a first line break that is a CR at the end of a read waits for the
    // byte after it (here LF: LF mode, so the lone CR inside line 2 is
    // whitespace between two values, read again as values when selected).
    assert_eq!(
        read_every_way(b"{\"a\":1}\r\n{\"b\":1}\r{\"c\":1}\r\n"),
        vec![ev(1, "{\"a\":1}"), ev(2, "{\"b\":1}\r{\"c\":1}")]
    );
    // CR LF files are read as they are: their events keep no CR.
    assert_eq!(
        read_every_way(b"{\"a\":1}\r\n{\"a\":\"\\r\"}\r\n"),
        vec![ev(1, "{\"a\":1}"), ev(2, "{\"a\":\"\\r\"}")]
    );
}

#[test]
fn a_byte_order_mark_where_a_value_may_start_is_skipped() {
    const BOM: &str = "\u{feff}";
    // `cat a.json b.json` of two files written with one: at a line start,
    // before NDJSON, a pretty-printed object, an array.
    let text =
        format!("{{\"a\":1}}\n{BOM}{{\"a\":2}}\n{BOM}{{\n \"a\": 3\n}}\n{BOM}[{{\"a\":4}}]\n");
    assert_eq!(
        read_every_way(text.as_bytes()),
        vec![
            ev(1, "{\"a\":1}"),
            ev(2, "{\"a\":2}"),
            ev(3, "{\n \"a\": 3\n}"),
            ev(6, "{\"a\":4}")
        ]
    );
    // Between values on a line, and before an array element.
    let text = format!("5 {BOM}{{\"a\":1}}\n[{BOM}{{\"a\":2}}, {BOM}{{\"a\":3}}]\n");
    assert_eq!(
        read_every_way(text.as_bytes()),
        vec![
            Bad(1, 1),
            ev(1, "{\"a\":1}"),
            ev(2, "{\"a\":2}"),
            ev(2, "{\"a\":3}")
        ]
    );
    // After a bad value, a line that starts with one and `{` is where
    // reading resumes, also when the mark is split between reads.
    let text = format!("{{\"a\":\n{BOM}{{\"b\":1}}\n");
    assert_eq!(
        read_every_way(text.as_bytes()),
        vec![Bad(1, 1), ev(2, "{\"b\":1}")]
    );
    let text = format!("{{\n\"a\":1,]}}\n{BOM}{{\"b\":1}}\n");
    assert_eq!(
        read_every_way(text.as_bytes()),
        vec![Bad(1, 2), ev(3, "{\"b\":1}")]
    );
    // Inside a string it is text, kept.
    let text = format!("{{\"a\":\"{BOM}\"}}\n");
    assert_eq!(
        read_all(text.as_bytes()),
        vec![ev(1, &format!("{{\"a\":\"{BOM}\"}}"))]
    );
    // Only the whole mark: its first byte alone is not one.
    assert_eq!(
        bad_messages(b"{}\n\xEF{\"a\":1}\n"),
        ["malformed JSON: byte 0xef cannot start a JSON value"]
    );
}

#[test]
fn concatenated_utf16_parts_keep_their_own_byte_order() {
    let (a, b) = ("{\"a\":1}\r\n", "{\"b\":\"é😀\"}\r\n");
    let want = vec![
        ev(1, "{\"a\":1}"),
        ev(2, "{\"b\":\"é😀\"}"),
        ev(3, "{\"a\":1}"),
    ];
    for (first, second) in [(false, false), (false, true), (true, false), (true, true)] {
        let mut text = utf16(a, first);
        text.extend(utf16(b, second));
        text.extend(utf16(a, first));
        assert_eq!(
            read_every_way(&text),
            want,
            "big-endian: {first}, then {second}"
        );
    }
}

#[test]
fn objects_first_refuses_text_that_starts_with_another_value() {
    let first = |text: &[u8]| {
        let items: Vec<_> = Reader::new(text).unwrap().objects_first(true).collect();
        match items.first() {
            Some(Err(Error::NotJson(why))) => Err(why.clone()),
            _ => Ok(items.len()),
        }
    };
    assert_eq!(
        first(b"1,2,3\n{\"a\":1}\n"),
        Err("its first value is a number, not an object or an array, on line 1".to_owned())
    );
    assert_eq!(
        first(b"\n\n\"id\"\t\"name\"\n"),
        Err("its first value is a string, not an object or an array, on line 3".to_owned())
    );
    assert_eq!(
        first(b"\xEF\xBB\xBFtrue\n"),
        Err("its first value is a boolean, not an object or an array, on line 1".to_owned())
    );
    // Objects and arrays first: read as always, bad values later included.
    assert_eq!(first(b"\n  [{\"a\":1}]\n5\n"), Ok(2));
    assert_eq!(first(b"{\"a\":1}\n5\n"), Ok(2));
    assert_eq!(first(b""), Ok(0));
}

/// What `Batch::select` reports: selected events (line, compact text) and
/// problems (line, message).
fn selected(input: &[u8], filter: &str) -> Vec<(u64, String)> {
    let filter = crate::Filter::parse(filter).unwrap();
    let mut reader = Reader::new(input).unwrap();
    let mut batch = Batch::new();
    let mut out = Vec::new();
    while reader.fill(&mut batch).unwrap() {
        batch.select(&filter, |s| match s {
            Selected::Event(mut hit) => {
                let mut text = Vec::new();
                hit.write_line(&mut text);
                out.push((hit.line(), String::from_utf8(text).unwrap()));
            }
            Selected::Bad { line, message } => out.push((line, format!("bad: {message}"))),
        });
    }
    out
}

#[test]
fn several_values_on_an_ndjson_line_are_read_one_after_another() {
    let s = |l: u64, t: &str| (l, t.to_owned());
    // The issue's line: both events, as jq reads them.
    assert_eq!(
        selected(b"{\"a\":1} {\"a\":2}\n", "a pr"),
        [s(1, "{\"a\":1}"), s(1, "{\"a\":2}")]
    );
    assert_eq!(
        selected(
            b"{\"b\":0}\n{\"a\":1}{\"a\":2}\t{ \"a\" : 3 }\n{\"a\":4}\n",
            "a ge 2"
        ),
        [s(2, "{\"a\":2}"), s(2, "{\"a\":3}"), s(3, "{\"a\":4}")]
    );
    // Only what is malformed is bad; the events beside it are kept.
    assert_eq!(
        selected(b"{\"a\":1} 5 {\"a\":2,} {\"a\":3}\n", "a pr"),
        [
            s(1, "{\"a\":1}"),
            s(1, "bad: a number at the top level, not an object"),
            s(1, "bad: malformed JSON: unexpected byte in JSON at byte 7"),
            s(1, "{\"a\":3}")
        ]
    );
    // A CR inside a line of an LF file is whitespace, not a line end: a
    // malformed event with an object inside is one bad line, not an event.
    assert_eq!(
        selected(b"{\"x\":0}\n{\"a\":1,,\r{\"c\":2}}\n", "c pr or x pr"),
        [
            s(1, "{\"x\":0}"),
            s(2, "bad: unexpected byte in JSON at byte 7")
        ]
    );
    // A line that is one malformed value is reported as before.
    assert_eq!(
        selected(b"{\"a\":2,}\n{\"a\":1} }\n", "a pr"),
        [
            s(1, "bad: unexpected byte in JSON at byte 7"),
            s(2, "{\"a\":1}"),
            s(2, "bad: malformed JSON: `}` cannot start a JSON value")
        ]
    );
}
