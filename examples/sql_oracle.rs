//! The SQL suite's oracle (`tests/sql/run.py`): for each filter of a batch,
//! the SQL that `Filter::to_sql` writes for each dialect and the rows that
//! oktaql itself selects (`Filter::matches_json`, what the command runs).
//!
//! Reads one JSON object on stdin:
//!
//! ```text
//! {"rows": ["{...}", ...], "column": "raw", "dialects": ["duckdb", ...],
//!  "filters": [{"text": "...", "ignore_case": false, "invert": false,
//!               "since": null, "until": null, "keywords": null}, ...]}
//! ```
//!
//! and writes one JSON object on stdout: `{"results": [...]}` with, per
//! filter, `{"sql": {"duckdb": "...", ...}, "selected": [row indexes]}` or
//! `{"error": "..."}` when the filter or an option is invalid.
//!
//! With `"rules": ["YAML text", ...]` instead of `filters` (one rule set per
//! text, for `tests/sql/rules.py`; `"placeholders": {NAME: [VALUE, ...]}`
//! fills Sigma's `expand`): per rule set, `{"sql": {dialect: the id
//! array}, "refused": {dialect: [[id, why], ...]}, "ids": [the rule ids],
//! "selected": [[ids selecting row 0], ...]}` from `RuleSet::to_sql` and
//! `RuleSet::matches_json`.

use std::io::Read;

use oktaql::sql::Dialect;
use oktaql::{Filter, Keywords, Timestamp};
use serde_json::{json, Value};

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("read stdin");
    let spec: Value = serde_json::from_str(&input).expect("a JSON spec on stdin");
    let rows: Vec<&str> = spec["rows"]
        .as_array()
        .map_or(&[][..], |v| v.as_slice())
        .iter()
        .map(|r| r.as_str().expect("rows are strings"))
        .collect();
    let column = spec["column"].as_str().unwrap_or("raw");
    let dialects: Vec<Dialect> = spec["dialects"]
        .as_array()
        .expect("dialects")
        .iter()
        .map(|d| d.as_str().and_then(|d| d.parse().ok()).expect("a dialect"))
        .collect();
    if let Some(cps) = spec["fold"].as_array() {
        // The lower-casing audit: each code point lower-cased as oktaql's
        // ignore-case does (value.rs: char::to_lowercase, per character),
        // and each dialect's spelling of it over the column `s`.
        // The code points asked about, and every one Rust lower-cases.
        let mut chars: Vec<char> = cps
            .iter()
            .filter_map(|c| char::from_u32(c.as_u64()? as u32))
            .chain((0..=0x10ffff).filter_map(char::from_u32).filter(|c| {
                let mut l = c.to_lowercase();
                !(l.next() == Some(*c) && l.next().is_none())
            }))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let fold: Vec<Value> = chars
            .into_iter()
            .map(|c| {
                json!([
                    c as u32,
                    c.to_string(),
                    c.to_lowercase().collect::<String>()
                ])
            })
            .collect();
        let sql: serde_json::Map<String, Value> = dialects
            .iter()
            .map(|d| (d.name().to_owned(), Value::String(d.lower("s"))))
            .collect();
        println!("{}", json!({ "fold": fold, "lower": sql }));
        return;
    }
    if let Some(sets) = spec["rules"].as_array() {
        let placeholders = spec["placeholders"].as_object();
        let results: Vec<Value> = sets
            .iter()
            .map(|t| {
                let yaml = t.as_str().expect("YAML text");
                rule_set(yaml, placeholders, &rows, column, &dialects)
            })
            .collect();
        println!("{}", json!({ "results": results }));
        return;
    }
    let results: Vec<Value> = spec["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .map(|f| match one(f, &rows, column, &dialects) {
            Ok(v) => v,
            Err(e) => json!({ "error": e }),
        })
        .collect();
    println!("{}", json!({ "results": results }));
}

fn one(f: &Value, rows: &[&str], column: &str, dialects: &[Dialect]) -> Result<Value, String> {
    let text = f["text"].as_str().ok_or("no text")?;
    let time = |k: &str| -> Result<Option<Timestamp>, String> {
        match f[k].as_str() {
            None => Ok(None),
            Some(t) => Timestamp::parse(t)
                .map(Some)
                .map_err(|_| format!("bad {k} {t}")),
        }
    };
    let keywords = match f["keywords"].as_str() {
        None => None,
        Some(k) => Some(Keywords::parse(k).map_err(|e| e.to_string())?),
    };
    let filter = Filter::builder()
        .ignore_case(f["ignore_case"].as_bool().unwrap_or(false))
        .invert(f["invert"].as_bool().unwrap_or(false))
        .since(time("since")?)
        .until(time("until")?)
        .keywords(keywords)
        .empty_selects_all(true)
        .parse(text)
        .map_err(|e| e.to_string())?;
    let mut sql = serde_json::Map::new();
    for d in dialects {
        sql.insert(
            d.name().to_owned(),
            Value::String(filter.to_sql(*d, column).map_err(|e| e.to_string())?),
        );
    }
    // A row is an event when it is one JSON object: a row holding an array,
    // a string or a number is not selected (the command, likewise, reports
    // such a value and skips it).
    let is_object = |r: &str| {
        r.trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{')
    };
    let selected: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| is_object(r) && filter.matches_json(r.as_bytes()) == Ok(true))
        .map(|(i, _)| i)
        .collect();
    Ok(json!({ "sql": sql, "selected": selected }))
}

fn rule_set(
    yaml: &str,
    placeholders: Option<&serde_json::Map<String, Value>>,
    rows: &[&str],
    column: &str,
    dialects: &[Dialect],
) -> Value {
    use oktaql::rules::{LoadOptions, Loader};

    let mut options = LoadOptions::new();
    for (name, values) in placeholders.into_iter().flatten() {
        let values = values.as_array().expect("placeholder values");
        let values = values
            .iter()
            .map(|v| v.as_str().expect("a string").to_owned());
        options = options.placeholder(name, values.collect());
    }
    let mut loader = Loader::new(options);
    loader.add_yaml(yaml, "rules.yml");
    // Rules that do not load (the catalogue's counting rules) are left
    // out, as the command leaves them out.
    let (set, _) = loader.finish();
    let mut sql = serde_json::Map::new();
    let mut refused = serde_json::Map::new();
    for d in dialects {
        match set.to_sql(*d, column) {
            Ok(out) => {
                sql.insert(d.name().to_owned(), Value::String(out.sql));
                let list: Vec<Value> = out
                    .refused
                    .iter()
                    .map(|(id, why)| json!([id, why.to_string()]))
                    .collect();
                refused.insert(d.name().to_owned(), Value::Array(list));
            }
            Err(e) => return json!({ "error": e.to_string() }),
        };
    }
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
    let mut hits = Vec::new();
    let selected: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            let object = r
                .trim_start_matches([' ', '\t', '\n', '\r'])
                .starts_with('{');
            if object && set.matches_json(r.as_bytes(), &mut hits).is_ok() {
                hits.iter().map(|&i| ids[i]).collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    json!({ "sql": sql, "refused": refused, "ids": ids, "selected": selected })
}
