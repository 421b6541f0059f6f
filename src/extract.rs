//! Pull the values at attribute paths out of an event's raw JSON bytes,
//! each as the exact bytes it was written with.
//!
//! The walk is the bytes evaluator's (see `scan.rs`): one forward pass
//! with an explicit stack, so depth costs heap, never stack, and the same
//! validation, so malformed JSON is an `Err`. The path semantics are
//! [`Path::values`]': arrays met on the way or at the end stand for their
//! elements (arrays inside arrays too), a missing key or a scalar mid-path
//! gives nothing, and when a key repeats in one object only its last value
//! counts, as in `serde_json::Value`.

use crate::error::{JsonError, JsonErrorKind};
use crate::json::{self, unescape_into, Cursor};
use crate::path::Path;

/// One path's progress at an open container.
#[derive(Clone, Copy)]
struct State {
    /// Which path.
    path: usize,
    /// How many of its names are matched by the keys leading here.
    depth: usize,
    /// In an object where the path goes on (`depth` < its length): where
    /// the values found under the last member with the next name begin in
    /// the path's results, so that a repeated key can drop them (`NONE`
    /// until that key is seen). In an object the path ends at: the index
    /// of the object's own result, whose end is set when it closes.
    mark: usize,
}

const NONE: usize = usize::MAX;

#[derive(Clone, Copy)]
enum Frame {
    /// The container's states are `states[base..]` up to the next frame's.
    Object {
        base: usize,
    },
    Array {
        base: usize,
    },
}

impl Path {
    /// The values at this path in one event given as its JSON text, each as
    /// the exact bytes it was written with (numbers as spelt, objects with
    /// their key order and whitespace, strings with their quotes and
    /// escapes), in the order [`Path::values`] gives them on the parsed
    /// event.
    ///
    /// The text is validated whole as [`Filter::matches_json`] does it:
    /// malformed JSON is an `Err`. Any nesting depth works (the walk is
    /// iterative).
    ///
    /// ```
    /// use oktaql::Path;
    /// let event = br#"{"target": [{"id": 12345678901234567890123}, {"id": {"b": 1, "a": 2}}]}"#;
    /// let ids = Path::parse("target.id")?.raw_values(event)?;
    /// assert_eq!(ids, [&b"12345678901234567890123"[..], br#"{"b": 1, "a": 2}"#]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// [`Filter::matches_json`]: crate::Filter::matches_json
    pub fn raw_values<'e>(&self, event: &'e [u8]) -> Result<Vec<&'e [u8]>, JsonError> {
        let mut all = Path::raw_values_all(std::slice::from_ref(self), event)?;
        Ok(all.pop().unwrap_or_default())
    }

    /// [`raw_values`](Path::raw_values) for several paths in one pass over
    /// the event: one list of values per path, in the order of `paths`.
    ///
    /// ```
    /// use oktaql::Path;
    ///
    /// let paths = [Path::parse("eventType")?, Path::parse("outcome.result")?, Path::parse("actor.id")?];
    /// let event = br#"{"eventType":"user.session.start","outcome":{"result":"FAILURE"}}"#;
    /// let values = Path::raw_values_all(&paths, event)?;
    /// assert_eq!(values[0], [&br#""user.session.start""#[..]]);
    /// assert_eq!(values[1], [&br#""FAILURE""#[..]]);
    /// assert!(values[2].is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn raw_values_all<'e>(
        paths: &[Path],
        event: &'e [u8],
    ) -> Result<Vec<Vec<&'e [u8]>>, JsonError> {
        let spans = extract(paths, event)?;
        Ok(spans
            .into_iter()
            .map(|v| v.into_iter().map(|(a, b)| &event[a..b]).collect())
            .collect())
    }
}

/// The byte ranges of the values at each path.
fn extract(paths: &[Path], event: &[u8]) -> Result<Vec<Vec<(usize, usize)>>, JsonError> {
    let src = json::text(event, |prefix| {
        extract(paths, prefix.as_bytes()).map(|_| ())
    })?;
    let mut sc = Cursor::new(src);
    let len = |i: usize| paths[i].names().len();
    let mut spans: Vec<Vec<(usize, usize)>> = vec![Vec::new(); paths.len()];
    let mut states: Vec<State> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    // The (path, depth) pairs of the value about to be read.
    let mut next: Vec<(usize, usize)> = (0..paths.len()).map(|i| (i, 0)).collect();
    let mut key = String::new();

    'value: loop {
        sc.skip_ws();
        let start = sc.pos;
        let Some(&c) = event.get(start) else {
            return Err(JsonError::new(JsonErrorKind::Truncated, start));
        };
        match c {
            b'{' => {
                sc.pos += 1;
                let base = states.len();
                for &(path, depth) in &next {
                    let mark = if depth == len(path) {
                        spans[path].push((start, start));
                        spans[path].len() - 1
                    } else {
                        NONE
                    };
                    states.push(State { path, depth, mark });
                }
                frames.push(Frame::Object { base });
                sc.skip_ws();
                if event.get(sc.pos) == Some(&b'}') {
                    sc.pos += 1;
                    close_object(&mut spans, &mut states, &mut frames, paths, sc.pos);
                } else {
                    member(
                        &mut sc,
                        paths,
                        &mut spans,
                        &mut states[base..],
                        &mut next,
                        &mut key,
                    )?;
                    continue 'value;
                }
            }
            b'[' => {
                sc.pos += 1;
                let base = states.len();
                states.extend(next.iter().map(|&(path, depth)| State {
                    path,
                    depth,
                    mark: NONE,
                }));
                frames.push(Frame::Array { base });
                sc.skip_ws();
                if event.get(sc.pos) == Some(&b']') {
                    sc.pos += 1;
                    states.truncate(base);
                    frames.pop();
                } else {
                    // The elements are at the array's own paths: `next` stays.
                    continue 'value;
                }
            }
            _ => {
                match c {
                    b'"' => {
                        sc.string_end()?;
                    }
                    b't' | b'f' | b'n' => {
                        let word: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        if !event[start..].starts_with(word) {
                            return Err(sc.literal_error(word));
                        }
                        sc.pos += word.len();
                    }
                    b'-' | b'0'..=b'9' => {
                        sc.number()?;
                    }
                    _ => return Err(JsonError::new(JsonErrorKind::UnexpectedByte, start)),
                }
                for &(path, depth) in &next {
                    if depth == len(path) {
                        spans[path].push((start, sc.pos));
                    }
                }
            }
        }

        // After a complete value: continue in the enclosing container.
        loop {
            let Some(&frame) = frames.last() else {
                sc.skip_ws();
                if sc.pos != event.len() {
                    return Err(JsonError::new(JsonErrorKind::TrailingCharacters, sc.pos));
                }
                break 'value;
            };
            sc.skip_ws();
            let Some(&c) = event.get(sc.pos) else {
                return Err(JsonError::new(JsonErrorKind::Truncated, sc.pos));
            };
            match (frame, c) {
                (Frame::Object { base }, b',') => {
                    sc.pos += 1;
                    sc.skip_ws();
                    member(
                        &mut sc,
                        paths,
                        &mut spans,
                        &mut states[base..],
                        &mut next,
                        &mut key,
                    )?;
                    continue 'value;
                }
                (Frame::Object { .. }, b'}') => {
                    sc.pos += 1;
                    close_object(&mut spans, &mut states, &mut frames, paths, sc.pos);
                }
                (Frame::Array { base }, b',') => {
                    sc.pos += 1;
                    next.clear();
                    next.extend(states[base..].iter().map(|s| (s.path, s.depth)));
                    continue 'value;
                }
                (Frame::Array { base }, b']') => {
                    sc.pos += 1;
                    states.truncate(base);
                    frames.pop();
                }
                _ => return Err(JsonError::new(JsonErrorKind::UnexpectedByte, sc.pos)),
            }
        }
    }
    Ok(spans)
}

/// Reads an object member's key and the `:` after it (at the key's opening
/// quote), and sets `next` to the paths its value is on. `object` holds the
/// states of the object. A key met again in the object drops what its
/// earlier value gave: the last value of a repeated key counts.
fn member(
    sc: &mut Cursor<'_>,
    paths: &[Path],
    spans: &mut [Vec<(usize, usize)>],
    object: &mut [State],
    next: &mut Vec<(usize, usize)>,
    key: &mut String,
) -> Result<(), JsonError> {
    next.clear();
    if sc.b.get(sc.pos) != Some(&b'"') {
        return Err(sc.unexpected());
    }
    let start = sc.pos + 1;
    let (end, escaped) = sc.string_end()?;
    let mut decoded = false;
    for s in object.iter_mut() {
        let names = paths[s.path].names();
        if s.depth == names.len() {
            continue;
        }
        if escaped && !decoded {
            unescape_into(&sc.src[start..end], key);
            decoded = true;
        }
        let text = if escaped {
            key.as_str()
        } else {
            &sc.src[start..end]
        };
        if names[s.depth] == text {
            let found = &mut spans[s.path];
            if s.mark != NONE {
                // Only this key's values can follow `mark` in the path's
                // results: the object is the only way to them.
                found.truncate(s.mark);
            }
            s.mark = found.len();
            next.push((s.path, s.depth + 1));
        }
    }
    sc.skip_ws();
    if sc.b.get(sc.pos) != Some(&b':') {
        return Err(sc.unexpected());
    }
    sc.pos += 1;
    Ok(())
}

/// The innermost object closed at `end`: it ends the results it is.
fn close_object(
    spans: &mut [Vec<(usize, usize)>],
    states: &mut Vec<State>,
    frames: &mut Vec<Frame>,
    paths: &[Path],
    end: usize,
) {
    let Some(Frame::Object { base }) = frames.pop() else {
        return;
    };
    for s in &states[base..] {
        if s.depth == paths[s.path].names().len() {
            spans[s.path][s.mark].1 = end;
        }
    }
    states.truncate(base);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(path: &str, event: &str) -> Result<Vec<String>, JsonError> {
        let p = Path::parse(path).unwrap();
        Ok(p.raw_values(event.as_bytes())?
            .into_iter()
            .map(|v| String::from_utf8(v.to_vec()).unwrap())
            .collect())
    }

    #[test]
    fn values_keep_their_bytes() {
        let ev = r#"{"n": 12345678901234567890123, "z": -0, "e": 1E2, "f": 1.50,
            "o": { "b" : 1, "a": [2, {}] }, "s": "a\"\u0041", "t": true, "u": null}"#;
        let got = |p| raw(p, ev).unwrap();
        assert_eq!(got("n"), ["12345678901234567890123"]);
        assert_eq!(got("z"), ["-0"]);
        assert_eq!(got("e"), ["1E2"]);
        assert_eq!(got("f"), ["1.50"]);
        assert_eq!(got("o"), [r#"{ "b" : 1, "a": [2, {}] }"#]);
        assert_eq!(got("o.a"), ["2", "{}"]);
        assert_eq!(got("s"), [r#""a\"\u0041""#]);
        assert_eq!(got("t"), ["true"]);
        assert_eq!(got("u"), ["null"]);
        assert!(got("missing").is_empty());
        assert!(got("n.x").is_empty());
        assert!(got("o.a.x").is_empty());
    }

    #[test]
    fn arrays_are_transparent_at_any_depth() {
        let ev = r#"[{"a": [[1, [2]], {"b": 3}, []]}, [{"a": 4}], 5]"#;
        assert_eq!(raw("a", ev).unwrap(), ["1", "2", r#"{"b": 3}"#, "4"]);
        assert_eq!(raw("a.b", ev).unwrap(), ["3"]);
    }

    #[test]
    fn last_value_of_a_repeated_key_counts() {
        assert_eq!(raw("a", r#"{"a":1,"b":0,"a":2}"#).unwrap(), ["2"]);
        assert_eq!(
            raw("a.b", r#"{"a":{"b":1},"a":5}"#).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            raw(
                "a.b",
                r#"{"a":[{"b":1},{"b":2,"b":3}],"x":{"a":9},"a":[{"b":4}]}"#
            )
            .unwrap(),
            ["4"]
        );
        assert_eq!(
            raw("a.b", r#"[{"a":{"b":1,"b":2}},{"a":{"b":3}}]"#).unwrap(),
            ["2", "3"]
        );
        // Escaped spellings of the same key are the same key.
        assert_eq!(raw("ab", r#"{"ab":1,"a\u0062":2}"#).unwrap(), ["2"]);
    }

    #[test]
    fn several_paths_in_one_pass() {
        let paths = [
            Path::parse("a").unwrap(),
            Path::parse("a.b").unwrap(),
            Path::parse("c").unwrap(),
            Path::parse("a").unwrap(),
        ];
        let ev = br#"{"a":{"b":[1,2]},"c":"x"}"#;
        let got = Path::raw_values_all(&paths, ev).unwrap();
        let want: Vec<Vec<&[u8]>> = vec![
            vec![br#"{"b":[1,2]}"#],
            vec![b"1", b"2"],
            vec![br#""x""#],
            vec![br#"{"b":[1,2]}"#],
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn deep_events_need_no_stack() {
        let depth = 100_000;
        let ev = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let path = vec!["a"; depth].join(".");
        assert_eq!(raw(&path, &ev).unwrap(), ["1"]);
        assert_eq!(raw("a.a.a", &ev).unwrap().len(), 1);
        let ev = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(raw("a", &ev).unwrap().is_empty());
    }

    #[test]
    fn malformed_json_is_an_error() {
        for bad in [
            "",
            "{",
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            "[1,]",
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            "01",
            "1.",
            "1e400",
            "tru",
            "nul",
            r#""\x""#,
            r#""\ud800""#,
            "\"a\nb\"",
            "{} x",
            "[1 2]",
            r#"{"a":1]"#,
            "[}",
            "\u{feff}{}",
        ] {
            assert!(raw("a", bad).is_err(), "{bad:?}");
        }
        let p = Path::parse("a").unwrap();
        assert_eq!(
            p.raw_values(b"{\"a\":\"\xff\"}").unwrap_err().kind(),
            JsonErrorKind::InvalidUtf8
        );
    }
}
