//! How a selected event is written: compact JSON for array elements, and the
//! `--fields` renderings (JSON object, TSV, CSV).

use oktaql::read::compact_into;
use oktaql::{Field, JsonError, ParseError, Path};
use serde_json::Value;

/// `--format` of `--fields` and `--count-by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Tsv,
    Csv,
}

/// The `--fields` paths and how to print them.
pub struct Fields {
    fields: Vec<Field>,
    /// The plain paths among them, read in one pass.
    paths: Vec<Path>,
    names: Vec<String>,
    format: Format,
}

impl Fields {
    /// Parses a comma-separated list of attribute paths. The error names
    /// the item in words, and carries the path's parse error.
    pub fn parse(list: &str, format: Format) -> Result<Fields, (String, ParseError)> {
        let mut fields = Vec::new();
        for item in split_fields(list) {
            let item = item.trim();
            let field = Field::parse(item)
                .map_err(|e| (format!("invalid field `{item}` in --fields: "), e))?;
            fields.push(field);
        }
        let names = fields.iter().map(|f| f.to_string()).collect();
        let paths = fields.iter().filter_map(|f| f.as_path().cloned()).collect();
        Ok(Fields {
            fields,
            paths,
            names,
            format,
        })
    }

    /// The header row for TSV and CSV (nothing for JSON).
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.format != Format::Json {
            for (i, name) in self.names.iter().enumerate() {
                if i > 0 {
                    out.push(self.separator());
                }
                self.cell(name.as_bytes(), &mut out);
            }
            out.push(b'\n');
        }
        out
    }

    fn separator(&self) -> u8 {
        if self.format == Format::Tsv {
            b'\t'
        } else {
            b','
        }
    }

    /// Appends one line (one row) for `event`, an event's JSON text.
    ///
    /// Values are printed as they are written in the event: numbers as
    /// spelt, objects and arrays with their key order, compacted onto one
    /// line. In JSON a string stays the JSON string it is in the event,
    /// escapes as written; in TSV and CSV a lone string is decoded. A
    /// missing value is `null` in JSON; in TSV null and missing are `\N`
    /// (PostgreSQL's text format) and the empty string an empty cell; in CSV
    /// null and missing are an empty unquoted cell and the empty string
    /// `""`. Several values are a JSON array in every format.
    pub fn render(&self, event: &[u8], out: &mut Vec<u8>) -> Result<(), JsonError> {
        let mut plain = Path::raw_values_all(&self.paths, event)?.into_iter();
        let mut values = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            values.push(match field.as_path() {
                Some(_) => plain.next().unwrap_or_default(),
                None => field.raw_values(event)?,
            });
        }
        match self.format {
            Format::Json => {
                out.push(b'{');
                for (i, (found, name)) in values.iter().zip(&self.names).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_json(out, &Value::String(name.clone()));
                    out.push(b':');
                    match found.as_slice() {
                        [] => out.extend_from_slice(b"null"),
                        [one] => compact_into(one, out),
                        many => {
                            out.push(b'[');
                            for (j, v) in many.iter().enumerate() {
                                if j > 0 {
                                    out.push(b',');
                                }
                                compact_into(v, out);
                            }
                            out.push(b']');
                        }
                    }
                }
                out.push(b'}');
            }
            Format::Tsv | Format::Csv => {
                let mut text = Vec::new();
                for (i, found) in values.iter().enumerate() {
                    if i > 0 {
                        out.push(self.separator());
                    }
                    text.clear();
                    match found.as_slice() {
                        [] | [b"null"] => {
                            if self.format == Format::Tsv {
                                out.extend_from_slice(b"\\N");
                            }
                            continue;
                        }
                        [b"\"\""] if self.format == Format::Csv => {
                            out.extend_from_slice(b"\"\"");
                            continue;
                        }
                        [one] if one.first() == Some(&b'"') => {
                            // A valid JSON string: the extractor validated it.
                            let s: String = serde_json::from_slice(one).unwrap_or_default();
                            text.extend_from_slice(s.as_bytes());
                        }
                        [one] => compact_into(one, &mut text),
                        many => {
                            text.push(b'[');
                            for (j, v) in many.iter().enumerate() {
                                if j > 0 {
                                    text.push(b',');
                                }
                                compact_into(v, &mut text);
                            }
                            text.push(b']');
                        }
                    }
                    self.cell(&text, out);
                }
            }
        }
        out.push(b'\n');
        Ok(())
    }

    /// One cell, escaped for the format.
    fn cell(&self, text: &[u8], out: &mut Vec<u8>) {
        match self.format {
            Format::Json => out.extend_from_slice(text),
            Format::Tsv => tsv_cell(text, out),
            Format::Csv => csv_cell(text, out),
        }
    }
}

/// The items of a `--fields` list: split at commas outside brackets and
/// strings (a value path's filter may hold both).
fn split_fields(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0);
    for (i, c) in list.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth = depth.saturating_sub(1),
            ',' if !in_string && depth == 0 => {
                items.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

fn write_json(out: &mut Vec<u8>, v: &Value) {
    // Writing into a Vec cannot fail, and a Value always serialises.
    let _ = serde_json::to_writer(&mut *out, v);
}

/// TSV as the linear-TSV convention has it: `\t`, `\n`, `\r` and `\\` escaped.
pub fn tsv_cell(text: &[u8], out: &mut Vec<u8>) {
    for &b in text {
        match b {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            _ => out.push(b),
        }
    }
}

/// RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in
/// double quotes, and its double quotes are doubled.
pub fn csv_cell(text: &[u8], out: &mut Vec<u8>) {
    if text
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for &b in text {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text);
    }
}

/// `--count-by`: how many selected events have each combination of values
/// at some paths.
///
/// Each selected event gives its combinations as records (one line each):
/// per path, `0` for no value or `1` and the value as compact JSON, the
/// paths separated by 0x1E (compact JSON holds neither that byte nor a
/// line break). An event with several distinct values at a path (three
/// targets) counts once under each; the same value twice counts once.
pub struct CountBy {
    fields: Vec<Field>,
    names: Vec<String>,
    format: Option<Format>,
}

const SEP: u8 = 0x1e;

impl CountBy {
    pub fn parse(list: &str, format: Option<Format>) -> Result<CountBy, (String, ParseError)> {
        let mut fields = Vec::new();
        for item in split_fields(list) {
            let item = item.trim();
            let field = Field::parse(item)
                .map_err(|e| (format!("invalid path `{item}` in --count-by: "), e))?;
            fields.push(field);
        }
        let names = fields.iter().map(|f| f.to_string()).collect();
        Ok(CountBy {
            fields,
            names,
            format,
        })
    }

    /// Appends the event's records.
    pub fn records(&self, event: &[u8], out: &mut Vec<u8>) -> Result<(), JsonError> {
        // Each path's distinct cells.
        let mut cells: Vec<Vec<Vec<u8>>> = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let mut distinct: Vec<Vec<u8>> = Vec::new();
            for v in field.raw_values(event)? {
                let mut cell = vec![b'1'];
                compact_into(v, &mut cell);
                if !distinct.contains(&cell) {
                    distinct.push(cell);
                }
            }
            if distinct.is_empty() {
                distinct.push(vec![b'0']);
            }
            cells.push(distinct);
        }
        // Every combination, in order.
        let mut at = vec![0usize; cells.len()];
        loop {
            for (i, c) in at.iter().enumerate() {
                if i > 0 {
                    out.push(SEP);
                }
                out.extend_from_slice(&cells[i][*c]);
            }
            out.push(b'\n');
            let mut i = cells.len();
            loop {
                if i == 0 {
                    return Ok(());
                }
                i -= 1;
                at[i] += 1;
                if at[i] < cells[i].len() {
                    break;
                }
                at[i] = 0;
            }
        }
    }

    /// The table: most frequent first (ties in value order), then the
    /// number of events.
    pub fn table(&self, counts: &std::collections::HashMap<Vec<u8>, u64>, events: u64) -> Vec<u8> {
        let mut rows: Vec<(&Vec<u8>, u64)> = counts.iter().map(|(k, n)| (k, *n)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let split = |k: &[u8]| -> Vec<Option<Vec<u8>>> {
            k.split(|&b| b == SEP)
                .map(|c| (c.first() == Some(&b'1')).then(|| c[1..].to_vec()))
                .collect()
        };
        let mut out = Vec::new();
        match self.format {
            Some(Format::Json) => {
                for (k, n) in &rows {
                    out.extend_from_slice(format!("{{\"count\":{n}").as_bytes());
                    for (name, cell) in self.names.iter().zip(split(k)) {
                        if let Some(v) = cell {
                            out.push(b',');
                            write_json(&mut out, &Value::String(name.clone()));
                            out.push(b':');
                            out.extend_from_slice(&v);
                        }
                    }
                    out.extend_from_slice(b"}\n");
                }
                out.extend_from_slice(format!("{{\"events\":{events}}}\n").as_bytes());
            }
            Some(format @ (Format::Tsv | Format::Csv)) => {
                let sep = if format == Format::Tsv { b'\t' } else { b',' };
                let cell = |text: &[u8], out: &mut Vec<u8>| {
                    if format == Format::Tsv {
                        tsv_cell(text, out)
                    } else {
                        csv_cell(text, out)
                    }
                };
                out.extend_from_slice(b"count");
                for name in &self.names {
                    out.push(sep);
                    cell(name.as_bytes(), &mut out);
                }
                out.push(b'\n');
                for (k, n) in &rows {
                    out.extend_from_slice(n.to_string().as_bytes());
                    for c in split(k) {
                        out.push(sep);
                        match c {
                            None if format == Format::Tsv => out.extend_from_slice(b"\\N"),
                            None => {}
                            Some(v) if v == b"null" && format == Format::Tsv => {
                                out.extend_from_slice(b"\\N")
                            }
                            Some(v) if v == b"null" => {}
                            Some(v) if v == b"\"\"" && format == Format::Csv => {
                                out.extend_from_slice(b"\"\"")
                            }
                            Some(v) => cell(&text_of(&v), &mut out),
                        }
                    }
                    out.push(b'\n');
                }
                // The events, so that totals are never misread.
                out.extend_from_slice(format!("{events}").as_bytes());
                out.push(sep);
                cell(b"(events)", &mut out);
                out.push(b'\n');
            }
            None => {
                let shown: Vec<Vec<String>> = rows
                    .iter()
                    .map(|(k, _)| {
                        split(k)
                            .into_iter()
                            .map(|c| match c {
                                None => "(missing)".to_owned(),
                                Some(v) => String::from_utf8_lossy(&text_of(&v))
                                    .chars()
                                    .map(|c| if c.is_control() { ' ' } else { c })
                                    .collect(),
                            })
                            .collect()
                    })
                    .collect();
                let counts: Vec<String> = rows.iter().map(|(_, n)| n.to_string()).collect();
                let cw = counts.iter().map(String::len).max().unwrap_or(0).max(5);
                let mut widths: Vec<usize> = self.names.iter().map(|n| n.chars().count()).collect();
                for row in &shown {
                    for (w, c) in widths.iter_mut().zip(row) {
                        *w = (*w).max(c.chars().count());
                    }
                }
                let line = |first: &str, cells: &[String], out: &mut Vec<u8>| {
                    let mut l = format!("{first:>cw$}");
                    for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                        l.push_str("  ");
                        if i + 1 == cells.len() {
                            l.push_str(c);
                        } else {
                            l.push_str(&format!("{c:<w$}"));
                        }
                    }
                    out.extend_from_slice(l.trim_end().as_bytes());
                    out.push(b'\n');
                };
                line("count", &self.names, &mut out);
                for (n, row) in counts.iter().zip(&shown) {
                    line(n, row, &mut out);
                }
                let s = if events == 1 { "" } else { "s" };
                out.extend_from_slice(format!("{events} event{s}\n").as_bytes());
            }
        }
        out
    }
}

/// A cell's text: a string decoded, anything else as compact JSON.
fn text_of(v: &[u8]) -> Vec<u8> {
    if v.first() == Some(&b'"') {
        let s: String = serde_json::from_slice(v).unwrap_or_default();
        s.into_bytes()
    } else {
        v.to_vec()
    }
}

/// `--pretty`: an event indented two spaces a level, keys in the order
/// written, numbers and strings as written; coloured as jq colours it when
/// `color` (keys blue, strings green, null grey).
pub fn pretty_into(event: &[u8], color: bool, out: &mut Vec<u8>) {
    const KEY: &[u8] = b"\x1b[34;1m";
    const STR: &[u8] = b"\x1b[0;32m";
    const NULL: &[u8] = b"\x1b[1;30m";
    const RESET: &[u8] = b"\x1b[0m";
    let mut compact = Vec::with_capacity(event.len());
    compact_into(event, &mut compact);
    let b = &compact[..];
    let mut depth = 0usize;
    // Whether the next string is an object key.
    let mut in_object: Vec<bool> = Vec::new();
    let mut expect_key = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * depth));
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c @ (b'{' | b'[') => {
                let close = if c == b'{' { b'}' } else { b']' };
                if b.get(i + 1) == Some(&close) {
                    out.extend_from_slice(&[c, close]);
                    i += 2;
                    continue;
                }
                out.push(c);
                depth += 1;
                in_object.push(c == b'{');
                expect_key = c == b'{';
                newline(out, depth);
            }
            c @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                in_object.pop();
                newline(out, depth);
                out.push(c);
            }
            b',' => {
                out.push(b',');
                expect_key = in_object.last() == Some(&true);
                newline(out, depth);
            }
            b':' => {
                out.extend_from_slice(b": ");
                expect_key = false;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                let paint = if expect_key { KEY } else { STR };
                if color {
                    out.extend_from_slice(paint);
                }
                out.extend_from_slice(&b[start..end]);
                if color {
                    out.extend_from_slice(RESET);
                }
                i = end;
                continue;
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b':') {
                    i += 1;
                }
                let word = &b[start..i];
                if color && word == b"null" {
                    out.extend_from_slice(NULL);
                    out.extend_from_slice(word);
                    out.extend_from_slice(RESET);
                } else {
                    out.extend_from_slice(word);
                }
                continue;
            }
        }
        i += 1;
    }
    out.push(b'\n');
}

/// `--summary`: one line per event, like the Okta console's table: time,
/// eventType, actor, outcome, targets and message, separated by two spaces,
/// `-` where missing.
pub struct Summary {
    fields: Vec<Field>,
}

impl Summary {
    pub fn new() -> Summary {
        let paths = [
            "published",
            "eventType",
            "actor.alternateId",
            "outcome.result",
            "target.alternateId",
            "displayMessage",
        ];
        Summary {
            fields: paths
                .iter()
                .map(|p| Field::parse(p).expect("a valid path"))
                .collect(),
        }
    }

    pub fn render(&self, event: &[u8], out: &mut Vec<u8>) -> Result<(), JsonError> {
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b"  ");
            }
            let values = field.raw_values(event)?;
            if values.is_empty() {
                out.push(b'-');
            }
            for (j, v) in values.iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                let text = text_of(v);
                // One line: control characters as spaces.
                out.extend(text.iter().map(|&c| if c < 0x20 { b' ' } else { c }));
            }
        }
        out.push(b'\n');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(s: &str) -> String {
        let mut out = Vec::new();
        compact_into(s.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compaction_keeps_strings_and_order() {
        assert_eq!(
            compact("{ \"z\" : [ 1 , 2.50 ],\n  \"a b\": \"x \\\" y\\\\\" , \"e\":\"\\u0041 \" }"),
            r#"{"z":[1,2.50],"a b":"x \" y\\","e":"\u0041 "}"#
        );
        assert_eq!(compact("\r\n\t \"\""), r#""""#);
    }

    #[test]
    fn cells() {
        let mut out = Vec::new();
        csv_cell(b"a,b \"c\"", &mut out);
        out.push(b'|');
        csv_cell(b"plain text", &mut out);
        out.push(b'|');
        csv_cell(b"two\nlines", &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a,b \"\"c\"\"\"|plain text|\"two\nlines\""
        );
        let mut out = Vec::new();
        tsv_cell(b"a\tb\nc\\d\re", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "a\\tb\\nc\\\\d\\re");
    }
}
