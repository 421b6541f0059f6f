//! How a selected event is written: compact JSON for array elements, and the
//! `--fields` renderings (JSON object, TSV, CSV).

use memchr::memchr2;
use oktaql::{Field, JsonError, ParseError, Path};
use serde_json::Value;

use crate::args::Format;

/// Appends `src` (one JSON value, already validated) to `out` without the
/// whitespace outside strings, keeping every other byte, so key order and
/// the spelling of strings and numbers are kept.
pub fn compact_into(src: &[u8], out: &mut Vec<u8>) {
    let n = src.len();
    let mut i = 0;
    while i < n {
        match src[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match memchr2(b'"', b'\\', &src[i..]) {
                        Some(k) if src[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k + 1;
                            break;
                        }
                        None => {
                            i = n;
                            break;
                        }
                    }
                }
                let end = i.min(n);
                out.extend_from_slice(&src[start..end]);
                i = end;
            }
            _ => {
                let start = i;
                while i < n && !matches!(src[i], b' ' | b'\t' | b'\n' | b'\r' | b'"') {
                    i += 1;
                }
                out.extend_from_slice(&src[start..i]);
            }
        }
    }
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
