//! DuckDB (1.3 or later): the `json` extension's functions over the text,
//! list functions with `lambda x: ...`.

use super::{text_num, Engine, NumX};

pub(crate) struct DuckDb;

/// A quick look for what DuckDB's JSON reader accepts beyond JSON: `NaN`,
/// `Infinity`, trailing commas, numbers out of f64's range. Only a row that
/// has one of these (perhaps inside a string) is checked closely, number by
/// number (see [`strict`]), so the look must catch every number that may be
/// out of range: one of at least 1.8e308 has `k` integer digits and an
/// exponent `e` with `k + e >= 309`, so either its exponent has three
/// digits or more (`e >= 100`, leading zeros included) or it has a run of
/// at least 210 digits (`k >= 210` when `e <= 99`); a number without an
/// exponent needs 309 digits. (A run of 300 digits and points is kept from
/// before: the close check costs little on such rare rows.)
pub(super) const SUSPECT: &str = r"NaN|Infinity|,[ \t\n\r]*[\]}]|[:,\[][ \t\n\r]*-?[0-9.]*[eE][+]?[0-9]{3}|[0-9]{210}|[0-9.]{300}";

/// A JSON string (to blank out the strings before the close check).
const STRING: &str = r#""([^"\\]|\\.)*""#;

/// The close check: with every string blanked out, no `NaN`/`Infinity`, no
/// trailing comma, and every number finite as f64.
fn strict(col: &str) -> String {
    format!(
        "list_transform([regexp_replace({col}, '{STRING}', '\"\"', 'g')], lambda t: \
         NOT regexp_matches(t, 'NaN|Infinity|,[ \\t\\n\\r]*[\\]}}]') AND \
         len(list_filter(regexp_extract_all(t, '-?[0-9][-+.0-9eE]*'), \
         lambda n: NOT COALESCE(isfinite(TRY_CAST(n AS DOUBLE)), FALSE))) = 0)[1]"
    )
}

/// Upper-case letters whose lower-case mapping (added in Unicode 16 and
/// 17) DuckDB 2.0's `lower` does not have, found by the SQL suite's audit
/// of every code point. Each lower-cases to one character.
pub(super) const NEWER_CASE_PAIRS: &[char] = &[
    '\u{1c89}',
    '\u{a7cb}',
    '\u{a7cc}',
    '\u{a7ce}',
    '\u{a7d2}',
    '\u{a7d4}',
    '\u{a7da}',
    '\u{a7dc}',
    '\u{10d50}',
    '\u{10d51}',
    '\u{10d52}',
    '\u{10d53}',
    '\u{10d54}',
    '\u{10d55}',
    '\u{10d56}',
    '\u{10d57}',
    '\u{10d58}',
    '\u{10d59}',
    '\u{10d5a}',
    '\u{10d5b}',
    '\u{10d5c}',
    '\u{10d5d}',
    '\u{10d5e}',
    '\u{10d5f}',
    '\u{10d60}',
    '\u{10d61}',
    '\u{10d62}',
    '\u{10d63}',
    '\u{10d64}',
    '\u{10d65}',
    '\u{16ea0}',
    '\u{16ea1}',
    '\u{16ea2}',
    '\u{16ea3}',
    '\u{16ea4}',
    '\u{16ea5}',
    '\u{16ea6}',
    '\u{16ea7}',
    '\u{16ea8}',
    '\u{16ea9}',
    '\u{16eaa}',
    '\u{16eab}',
    '\u{16eac}',
    '\u{16ead}',
    '\u{16eae}',
    '\u{16eaf}',
    '\u{16eb0}',
    '\u{16eb1}',
    '\u{16eb2}',
    '\u{16eb3}',
    '\u{16eb4}',
    '\u{16eb5}',
    '\u{16eb6}',
    '\u{16eb7}',
    '\u{16eb8}',
];

impl Engine for DuckDb {
    fn quote_ident(&self, name: &str) -> String {
        format!("\"{name}\"")
    }

    fn str_lit(&self, s: &str) -> String {
        concat_lit(s, "", |c| {
            c.is_control().then(|| format!("chr({})", u32::from(c)))
        })
    }

    fn f64_lit(&self, f: f64) -> String {
        format!("CAST('{f:e}' AS DOUBLE)")
    }

    fn i128_lit(&self, i: i128) -> String {
        format!("CAST('{i}' AS HUGEINT)")
    }

    fn valid_object(&self, col: &str) -> String {
        format!(
            "(CASE WHEN COALESCE(json_valid({col}), FALSE) THEN json_type({col}) = 'OBJECT' \
             AND (CASE WHEN regexp_matches({col}, '{SUSPECT}') THEN {} ELSE TRUE END) ELSE FALSE END)",
            strict(col)
        )
    }

    fn parse_root(&self, col: &str) -> String {
        format!("CAST({col} AS JSON)")
    }

    fn fold(
        &self,
        items: &str,
        start: &str,
        acc: &str,
        item: &str,
        step: &str,
        finish: &str,
    ) -> String {
        let folded = format!("list_reduce({items}, lambda {acc}, {item}: {step}, {start})");
        self.let1(acc, &folded, finish)
    }

    fn member_named(&self, j: &str, name: &str) -> String {
        // NULL when missing. Names are `[A-Za-z_][A-Za-z0-9_-]*`.
        format!("[json_extract({j}, '$.\"' || {name} || '\"')]")
    }

    fn map(&self, list: &str, var: &str, body: &str) -> String {
        format!("list_transform({list}, lambda {var}: {body})")
    }

    fn filter(&self, list: &str, var: &str, pred: &str) -> String {
        format!("list_filter({list}, lambda {var}: {pred})")
    }

    fn exists(&self, list: &str, var: &str, pred: &str) -> String {
        format!("(len(list_filter({list}, lambda {var}: {pred})) > 0)")
    }

    fn flatten(&self, list_of_lists: &str) -> String {
        format!("flatten({list_of_lists})")
    }

    fn list1(&self, x: &str) -> String {
        format!("[{x}]")
    }

    fn is_empty(&self, list: &str) -> String {
        format!("(len({list}) = 0)")
    }

    fn let1(&self, var: &str, value: &str, body: &str) -> String {
        format!("list_transform([{value}], lambda {var}: {body})[1]")
    }

    fn is_array(&self, j: &str) -> String {
        format!("(json_type({j}) = 'ARRAY')")
    }

    fn is_object(&self, j: &str) -> String {
        format!("(json_type({j}) = 'OBJECT')")
    }

    fn is_null(&self, j: &str) -> String {
        format!("(json_type({j}) = 'NULL')")
    }

    fn is_string(&self, j: &str) -> String {
        format!("(json_type({j}) = 'VARCHAR')")
    }

    fn is_number(&self, j: &str) -> String {
        format!("(json_type({j}) IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT'))")
    }

    fn is_bool(&self, j: &str) -> String {
        format!("(json_type({j}) = 'BOOLEAN')")
    }

    fn elems(&self, j: &str) -> String {
        format!("json_extract({j}, '$[*]')")
    }

    fn get_path(&self, j: &str, names: &[Box<str>]) -> String {
        let path: String = names.iter().map(|n| format!(".\"{n}\"")).collect();
        format!("json_extract({j}, '${path}')")
    }

    fn is_missing(&self, j: &str) -> String {
        format!("({j} IS NULL)")
    }

    fn empty_list(&self) -> String {
        "CAST([] AS JSON[])".to_owned()
    }

    fn string(&self, j: &str) -> String {
        format!("json_extract_string({j}, '$')")
    }

    fn number_text(&self, j: &str) -> String {
        format!("CAST({j} AS VARCHAR)")
    }

    fn number_parts(&self, x: &str) -> NumX {
        text_num(self, x)
    }

    fn bool_value(&self, j: &str) -> String {
        format!("(CAST({j} AS VARCHAR) = 'true')")
    }

    fn object_is_empty(&self, j: &str) -> String {
        format!("(len(json_keys({j})) = 0)")
    }

    fn all_strings(&self, j: &str) -> Option<String> {
        Some(format!(
            "list_transform(list_filter(json_extract({j}, '$..*'), lambda x: json_type(x) = 'VARCHAR'), \
             lambda x: json_extract_string(x, '$'))"
        ))
    }

    fn object_values(&self, j: &str) -> String {
        format!("json_extract({j}, '$.*')")
    }

    fn lower(&self, s: &str) -> String {
        // DuckDB maps İ to `i`; Rust to `i` and U+0307. And DuckDB's
        // Unicode tables lack the newest case pairs: those are mapped first.
        let from: String = NEWER_CASE_PAIRS.iter().collect();
        let to: String = NEWER_CASE_PAIRS
            .iter()
            .flat_map(|c| c.to_lowercase())
            .collect();
        format!("lower(translate(replace({s}, 'İ', 'i\u{307}'), '{from}', '{to}'))")
    }

    fn contains(&self, s: &str, needle: &str) -> String {
        format!("contains({s}, {needle})")
    }

    fn starts_with(&self, s: &str, prefix: &str) -> String {
        format!("starts_with({s}, {prefix})")
    }

    fn ends_with(&self, s: &str, suffix: &str) -> String {
        format!("suffix({s}, {suffix})")
    }

    fn full_match(&self, s: &str, re: &str) -> String {
        format!("regexp_full_match({s}, {})", self.str_lit(re))
    }

    fn find(&self, s: &str, re: &str) -> String {
        format!("regexp_matches({s}, {})", self.str_lit(re))
    }

    fn split(&self, s: &str, class: &str) -> String {
        format!("regexp_split_to_array({s}, {})", self.str_lit(class))
    }

    fn list_contains_text(&self, list: &str, x: &str) -> String {
        format!("list_contains({list}, {x})")
    }

    fn substr(&self, s: &str, from: &str, len: &str) -> String {
        format!("substr({s}, {from}, {len})")
    }

    fn length(&self, s: &str) -> String {
        format!("length({s})")
    }

    fn int(&self, digits: &str) -> String {
        format!("TRY_CAST({digits} AS BIGINT)")
    }

    fn wide(&self, x: &str) -> String {
        format!("CAST({x} AS HUGEINT)")
    }

    fn div(&self, a: &str, b: &str) -> String {
        format!("(({a}) // ({b}))")
    }

    fn text_i128(&self, s: &str) -> String {
        format!("TRY_CAST({s} AS HUGEINT)")
    }

    fn text_f64(&self, s: &str) -> String {
        format!("TRY_CAST({s} AS DOUBLE)")
    }

    fn text_in_f64_range(&self, s: &str) -> String {
        format!("COALESCE(isfinite(TRY_CAST({s} AS DOUBLE)), FALSE)")
    }

    fn rpad9(&self, s: &str) -> String {
        format!("rpad({s}, 9, '0')")
    }
}

/// A string literal as runs of plain characters in quotes (a quote
/// doubled) with `special(c)` for each character it writes otherwise,
/// joined by `||` in parentheses, or, when `concat` names a function, as
/// its arguments; `''` for the empty string.
pub(super) fn concat_lit(
    s: &str,
    concat: &str,
    special: impl Fn(char) -> Option<String>,
) -> String {
    let mut parts = Vec::new();
    let mut run = String::new();
    for c in s.chars() {
        if let Some(expr) = special(c) {
            if !run.is_empty() {
                parts.push(format!("'{}'", std::mem::take(&mut run)));
            }
            parts.push(expr);
        } else if c == '\'' {
            run.push_str("''");
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() || parts.is_empty() {
        parts.push(format!("'{run}'"));
    }
    if parts.len() == 1 {
        parts.pop().unwrap_or_default()
    } else if concat.is_empty() {
        format!("({})", parts.join(" || "))
    } else {
        format!("{concat}({})", parts.join(", "))
    }
}
