//! How a selected event is written: compact JSON for array elements, and the
//! `--fields` renderings (JSON object, TSV, CSV).

use oktaql::read::compact_into;
use oktaql::{JsonError, ParseError, Path};
use serde_json::Value;

use crate::args::Format;

/// The `--fields` paths and how to print them.
pub struct Fields {
    paths: Vec<Path>,
    names: Vec<String>,
    format: Format,
}

impl Fields {
    /// Parses a comma-separated list of attribute paths. The error names
    /// the item in words, and carries the path's parse error.
    pub fn parse(list: &str, format: Format) -> Result<Fields, (String, ParseError)> {
        let mut paths = Vec::new();
        for item in list.split(',') {
            let item = item.trim();
            let path = Path::parse(item)
                .map_err(|e| (format!("invalid field `{item}` in --fields: "), e))?;
            paths.push(path);
        }
        let names = paths.iter().map(|p| p.to_string()).collect();
        Ok(Fields {
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
    /// escapes as written; in TSV and CSV it is decoded. A missing value is
    /// `null` in JSON and an empty cell in TSV and CSV; several values are a
    /// JSON array, or joined with `,` in a cell.
    pub fn render(&self, event: &[u8], out: &mut Vec<u8>) -> Result<(), JsonError> {
        let values = Path::raw_values_all(&self.paths, event)?;
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
                    for (j, v) in found.iter().enumerate() {
                        if j > 0 {
                            text.push(b',');
                        }
                        if v.first() == Some(&b'"') {
                            // A valid JSON string: the extractor validated it.
                            let s: String = serde_json::from_slice(v).unwrap_or_default();
                            text.extend_from_slice(s.as_bytes());
                        } else {
                            compact_into(v, &mut text);
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
