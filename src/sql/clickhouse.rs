//! ClickHouse (and chDB): the `JSONExtract*` functions over `String`,
//! array functions with `x -> ...` lambdas. JSON values are their raw text.

use super::{Engine, NumX};

pub(crate) struct ClickHouse;

impl Engine for ClickHouse {
    fn quote_ident(&self, name: &str) -> String {
        format!("`{name}`")
    }

    fn text_column(&self, col: &str) -> String {
        // A Nullable or LowCardinality column as plain String: arrays of
        // it could not be Nullable, and NULL is not an event.
        format!("CAST(ifNull({col}, ''), 'String')")
    }

    fn str_lit(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        for c in s.chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() && (c as u32) < 0x80 => {
                    out.push_str(&format!("\\x{:02X}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    fn f64_lit(&self, f: f64) -> String {
        // The bits, not a decimal text: exact whatever the float parser.
        format!("reinterpretAsFloat64(toUInt64({}))", f.to_bits())
    }

    fn i128_lit(&self, i: i128) -> String {
        format!("toInt128('{i}')")
    }

    fn valid_object(&self, col: &str) -> String {
        // isValidJSON also takes a byte-order mark and numbers out of f64's
        // range: a row must start with `{`, and a row with a long number
        // or a three-digit exponent has every number checked (strings
        // blanked out first).
        format!(
            "(match({col}, {}) AND isValidJSON({col}) AND JSONType({col}) = 'Object' \
             AND (NOT match({col}, {}) OR arrayAll(n -> isFinite(toFloat64OrZero(n)), \
             extractAll(replaceRegexpAll({col}, {}, '\"\"'), {}))))",
            self.str_lit("^[ \t\n\r]*[{]"),
            self.str_lit(super::duckdb::SUSPECT),
            self.str_lit(r#""([^"\\]|\\.)*""#),
            self.str_lit("-?[0-9][-+.0-9eE]*"),
        )
    }

    fn parse_root(&self, col: &str) -> String {
        // Values are told apart by their first character: no white space
        // before the event's `{`.
        format!(
            "if(startsWith({col}, '{{'), {col}, replaceRegexpOne({col}, {}, ''))",
            self.str_lit("^[ \t\n\r]+")
        )
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
        let folded = format!("arrayFold(({acc}, {item}) -> {step}, {items}, {start})");
        self.let1(acc, &folded, finish)
    }

    fn member_named(&self, j: &str, name: &str) -> String {
        // '' when missing.
        format!("[JSONExtractRaw({j}, {name})]")
    }

    fn map(&self, list: &str, var: &str, body: &str) -> String {
        format!("arrayMap({var} -> {body}, {list})")
    }

    fn filter(&self, list: &str, var: &str, pred: &str) -> String {
        format!("arrayFilter({var} -> {pred}, {list})")
    }

    fn exists(&self, list: &str, var: &str, pred: &str) -> String {
        format!("arrayExists({var} -> ifNull({pred}, 0), {list})")
    }

    fn flatten(&self, list_of_lists: &str) -> String {
        format!("arrayFlatten({list_of_lists})")
    }

    fn list1(&self, x: &str) -> String {
        format!("[{x}]")
    }

    fn is_empty(&self, list: &str) -> String {
        format!("empty({list})")
    }

    fn let1(&self, var: &str, value: &str, body: &str) -> String {
        format!("arrayMap({var} -> {body}, [{value}])[1]")
    }

    // Values are raw JSON text without white space around it (as
    // JSONExtractRaw and JSONExtractArrayRaw give it): the first character
    // says the type. (JSONType calls a number beyond 64 bits a String.)
    fn is_array(&self, j: &str) -> String {
        format!("startsWith({j}, '[')")
    }

    fn is_object(&self, j: &str) -> String {
        format!("startsWith({j}, '{{')")
    }

    fn is_null(&self, j: &str) -> String {
        format!("({j} = 'null')")
    }

    fn is_string(&self, j: &str) -> String {
        format!("startsWith({j}, '\"')")
    }

    fn is_number(&self, j: &str) -> String {
        format!("match({j}, '^[-0-9]')")
    }

    fn is_bool(&self, j: &str) -> String {
        format!("({j} IN ('true', 'false'))")
    }

    fn elems(&self, j: &str) -> String {
        format!("JSONExtractArrayRaw({j})")
    }

    fn get_path(&self, j: &str, names: &[Box<str>]) -> String {
        let keys: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        let keys = keys.join(", ");
        // '' when missing (a present value is never empty text).
        format!("JSONExtractRaw({j}, {keys})")
    }

    fn is_missing(&self, j: &str) -> String {
        format!("({j} = '')")
    }

    fn empty_list(&self) -> String {
        "CAST([], 'Array(String)')".to_owned()
    }

    fn string(&self, j: &str) -> String {
        format!("JSONExtractString({j})")
    }

    fn number_text(&self, j: &str) -> String {
        j.to_owned()
    }

    fn number_parts(&self, x: &str) -> NumX {
        // JSONExtractRaw re-writes numbers (`1E+2` as `100`, a float
        // beyond 2^53 without its `.0`): JSONType still tells integers
        // (Int64, UInt64) from floats (Double; String beyond 64 bits).
        NumX {
            is_int: format!("(JSONType({x}) IN ('Int64', 'UInt64'))"),
            int: format!("toInt128OrNull({x})"),
            f64: format!("toFloat64OrNull({x})"),
        }
    }

    fn bool_value(&self, j: &str) -> String {
        format!("({j} = 'true')")
    }

    fn object_is_empty(&self, j: &str) -> String {
        format!("(JSONLength({j}) = 0)")
    }

    fn all_strings(&self, _j: &str) -> Option<String> {
        None
    }

    fn strings_anywhere(&self, j: &str) -> Option<String> {
        // The string tokens of the (valid) JSON text, in order: a match
        // starting at a `"` outside a string is a whole string, so the
        // matches are exactly the strings; a key is the one followed by
        // `:`. Repeated keys' earlier values are seen too, as for `-k`
        // (the `duplicate-keys` exception).
        Some(format!(
            "arrayMap(t -> JSONExtractString(t), arrayFilter(t -> NOT endsWith(t, ':'), \
             extractAll({j}, {})))",
            self.str_lit(r#""(?:[^"\\]|\\.)*"[ \t\n\r]*:?"#)
        ))
    }

    fn object_values(&self, j: &str) -> String {
        format!("arrayMap(kv -> kv.2, JSONExtractKeysAndValuesRaw({j}))")
    }

    fn lower(&self, s: &str) -> String {
        // lowerUTF8 (ICU) applies the final-sigma rule; Rust's
        // per-character mapping never does.
        format!("lowerUTF8(replaceAll({s}, 'Σ', 'σ'))")
    }

    fn contains(&self, s: &str, needle: &str) -> String {
        format!("(position({s}, {needle}) > 0)")
    }

    fn starts_with(&self, s: &str, prefix: &str) -> String {
        format!("startsWith({s}, {prefix})")
    }

    fn ends_with(&self, s: &str, suffix: &str) -> String {
        format!("endsWith({s}, {suffix})")
    }

    fn full_match(&self, s: &str, re: &str) -> String {
        format!("match({s}, {})", self.str_lit(&format!("^(?:{re})$")))
    }

    fn find(&self, s: &str, re: &str) -> String {
        format!("match({s}, {})", self.str_lit(re))
    }

    fn split(&self, s: &str, class: &str) -> String {
        format!("splitByRegexp({}, {s})", self.str_lit(class))
    }

    fn list_contains_text(&self, list: &str, x: &str) -> String {
        format!("has({list}, {x})")
    }

    fn substr(&self, s: &str, from: &str, len: &str) -> String {
        format!("substring({s}, {from}, greatest({len}, 0))")
    }

    fn length(&self, s: &str) -> String {
        format!("toInt64(length({s}))")
    }

    fn int(&self, digits: &str) -> String {
        format!("toInt64OrNull({digits})")
    }

    fn wide(&self, x: &str) -> String {
        format!("toInt128({x})")
    }

    fn div(&self, a: &str, b: &str) -> String {
        format!("intDiv({a}, {b})")
    }

    fn text_i128(&self, s: &str) -> String {
        format!("toInt128OrNull({s})")
    }

    fn text_f64(&self, s: &str) -> String {
        format!("toFloat64OrNull({s})")
    }

    fn text_in_f64_range(&self, s: &str) -> String {
        format!("isFinite(toFloat64OrZero({s}))")
    }

    fn rpad9(&self, s: &str) -> String {
        format!("rightPad({s}, 9, '0')")
    }
}
