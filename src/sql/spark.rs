//! Spark 4 / Databricks SQL: `VARIANT` (`try_parse_json`, `variant_get`),
//! higher-order functions with `x -> ...` lambdas.
//!
//! String literals are written without backslashes or quotes inside them
//! (those come from `chr`), so they mean the same whatever
//! `spark.sql.parser.escapedStringLiterals` says.
//!
//! No parentheses around an operand and no `CASE`: `coalesce(x)` groups,
//! `if(c, a, b)` chooses. Spark's parser must look to the closing
//! parenthesis to tell `(x)` from a row `(x, y)` or a lambda `(x, y) ->`,
//! and through a `CASE` to tell its two forms apart; it caches what it
//! learns by depth of nesting, so every new shape of filter cost it tens of
//! milliseconds per condition, where function calls cost nothing.

use super::duckdb::concat_lit;
use super::{text_num, Engine, NumX};

pub(crate) struct Spark;

impl Spark {
    fn kind(&self, j: &str) -> String {
        // schema_of_variant walks containers: not asked of objects. A
        // candidate is never an array (the path's fold drops them); the
        // keyword walk may leave one nested deeper than it looks, whose
        // kind (`ARRAY<...>`) is still none of the scalars'.
        format!("if({}, '', schema_of_variant({j}))", self.is_object(j))
    }
}

impl Engine for Spark {
    fn quote_ident(&self, name: &str) -> String {
        format!("`{name}`")
    }

    fn group(&self, x: &str) -> String {
        format!("coalesce({x})")
    }

    fn if_then(&self, c: &str, a: &str, b: &str) -> String {
        format!("if({c}, {a}, {b})")
    }

    fn str_lit(&self, s: &str) -> String {
        concat_lit(s, "concat", |c| {
            (c.is_control() || c == '\\' || c == '\'').then(|| format!("chr({})", u32::from(c)))
        })
    }

    fn f64_lit(&self, f: f64) -> String {
        format!("CAST('{f:e}' AS DOUBLE)")
    }

    fn i128_lit(&self, i: i128) -> String {
        format!("CAST('{i}' AS DECIMAL(38,0))")
    }

    fn valid_object(&self, col: &str) -> String {
        // try_parse_json reads the first value and ignores what follows it
        // (`{"a":1} x`): inside `[` `]` anything after the object is a
        // syntax error or a second element. It also takes numbers out of
        // f64's range (as Infinity): a row that may hold one has every
        // number checked, strings blanked out first.
        let wrapped = format!("try_parse_json(concat('[', {col}, ']'))");
        format!(
            "COALESCE({col} RLIKE {} AND {wrapped} IS NOT NULL \
             AND try_variant_get({wrapped}, '$[1]', 'variant') IS NULL \
             AND if({col} RLIKE {}, forall(regexp_extract_all(regexp_replace({col}, {}, '\"\"'), {}, 0), \
             n -> abs(CAST(n AS DOUBLE)) < CAST('Infinity' AS DOUBLE)), TRUE), FALSE)",
            self.str_lit("^[ \t\n\r]*[{]"),
            self.str_lit(super::duckdb::SUSPECT),
            self.str_lit(r#""([^"\\]|\\.)*""#),
            self.str_lit("-?[0-9][-+.0-9eE]*"),
        )
    }

    fn parse_root(&self, col: &str) -> String {
        format!("try_parse_json({col})")
    }

    fn one_fold_per_path(&self) -> bool {
        true
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
        format!("aggregate({items}, {start}, ({acc}, {item}) -> {step}, {acc} -> {finish})")
    }

    fn member_named(&self, j: &str, name: &str) -> String {
        // A repeated key: the map (like the VARIANT object) holds the last.
        format!("array(try_element_at(try_variant_get({j}, '$', 'map<string,variant>'), {name}))")
    }

    fn texts(&self, items: &[String]) -> String {
        format!("array({})", items.join(", "))
    }

    fn map(&self, list: &str, var: &str, body: &str) -> String {
        format!("transform({list}, {var} -> {body})")
    }

    fn filter(&self, list: &str, var: &str, pred: &str) -> String {
        format!("filter({list}, {var} -> COALESCE({pred}, FALSE))")
    }

    fn exists(&self, list: &str, var: &str, pred: &str) -> String {
        format!("exists({list}, {var} -> COALESCE({pred}, FALSE))")
    }

    fn flatten(&self, list_of_lists: &str) -> String {
        format!("flatten({list_of_lists})")
    }

    fn list1(&self, x: &str) -> String {
        format!("array({x})")
    }

    fn is_empty(&self, list: &str) -> String {
        format!("coalesce(size({list}) = 0)")
    }

    fn let1(&self, var: &str, value: &str, body: &str) -> String {
        format!("transform(array({value}), {var} -> {body})[0]")
    }

    fn is_array(&self, j: &str) -> String {
        format!("isnotnull(try_variant_get({j}, '$', 'array<variant>'))")
    }

    fn is_object(&self, j: &str) -> String {
        // An object as a struct of no fields: no member is read (as a
        // `map<string,variant>` every value would be copied).
        format!("isnotnull(try_variant_get({j}, '$', 'struct<>'))")
    }

    fn is_null(&self, j: &str) -> String {
        format!("is_variant_null({j})")
    }

    fn is_string(&self, j: &str) -> String {
        format!("coalesce({} = 'STRING')", self.kind(j))
    }

    fn is_number(&self, j: &str) -> String {
        // `DECIMAL(p,s)` without its `(p,s)`.
        format!(
            "substring_index({}, '(', 1) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT', 'DECIMAL')",
            self.kind(j)
        )
    }

    fn is_bool(&self, j: &str) -> String {
        format!("coalesce({} = 'BOOLEAN')", self.kind(j))
    }

    fn elems(&self, j: &str) -> String {
        format!("try_variant_get({j}, '$', 'array<variant>')")
    }

    fn get_path(&self, j: &str, names: &[Box<str>]) -> String {
        let path: String = names.iter().map(|n| format!("[''{n}'']")).collect();
        format!("try_variant_get({j}, '${path}', 'variant')")
    }

    fn is_missing(&self, j: &str) -> String {
        format!("isnull({j})")
    }

    fn empty_list(&self) -> String {
        "CAST(array() AS ARRAY<VARIANT>)".to_owned()
    }

    fn string(&self, j: &str) -> String {
        format!("try_variant_get({j}, '$', 'string')")
    }

    fn number_text(&self, j: &str) -> String {
        // parse_json keeps a number written with a fraction as a DECIMAL,
        // and to_json writes a whole one without it (`9007199254740993.0`
        // as `9007199254740993`). A DECIMAL within 64 bits was not written
        // as an integer (those are BIGINT and smaller): it gets its `.0`
        // back and compares as f64, as in oktaql.
        format!(
            "if(startswith(schema_of_variant({j}), 'DECIMAL') AND NOT contains(to_json({j}), '.') \
             AND isnotnull(try_cast(to_json({j}) AS BIGINT)), concat(to_json({j}), '.0'), to_json({j}))"
        )
    }

    fn number_parts(&self, x: &str) -> NumX {
        text_num(self, x)
    }

    fn bool_value(&self, j: &str) -> String {
        format!("COALESCE(try_variant_get({j}, '$', 'boolean'), FALSE)")
    }

    fn object_is_empty(&self, j: &str) -> String {
        format!("coalesce(size(try_variant_get({j}, '$', 'map<string,variant>')) = 0)")
    }

    fn all_strings(&self, _j: &str) -> Option<String> {
        None
    }

    fn object_values(&self, j: &str) -> String {
        format!("map_values(try_variant_get({j}, '$', 'map<string,variant>'))")
    }

    fn lower(&self, s: &str) -> String {
        // Java's lower-casing applies the final-sigma rule; Rust's
        // per-character mapping never does.
        format!("lower(replace({s}, 'Σ', 'σ'))")
    }

    fn contains(&self, s: &str, needle: &str) -> String {
        format!("contains({s}, {needle})")
    }

    fn starts_with(&self, s: &str, prefix: &str) -> String {
        format!("startswith({s}, {prefix})")
    }

    fn ends_with(&self, s: &str, suffix: &str) -> String {
        format!("endswith({s}, {suffix})")
    }

    fn full_match(&self, s: &str, re: &str) -> String {
        // `\z`: Java's `$` also matches before a final line break.
        format!(
            "coalesce({s} RLIKE {})",
            self.str_lit(&format!("^(?:{re})\\z"))
        )
    }

    fn flavor(&self) -> super::pattern::Flavor {
        super::pattern::Flavor::Java
    }

    fn find(&self, s: &str, re: &str) -> String {
        format!("coalesce({s} RLIKE {})", self.str_lit(re))
    }

    fn split(&self, s: &str, class: &str) -> String {
        format!("split({s}, {}, -1)", self.str_lit(class))
    }

    fn list_contains_text(&self, list: &str, x: &str) -> String {
        format!("array_contains({list}, {x})")
    }

    fn substr(&self, s: &str, from: &str, len: &str) -> String {
        format!("substr({s}, {from}, greatest({len}, 0))")
    }

    fn length(&self, s: &str) -> String {
        format!("length({s})")
    }

    fn int(&self, digits: &str) -> String {
        format!("try_cast({digits} AS BIGINT)")
    }

    fn int_lit(&self, v: i64) -> String {
        // BIGINT, as try_cast(.. AS BIGINT) is: an INT beside it would
        // cost the analyser a pass per level of nesting to coerce.
        format!("{v}L")
    }

    fn wide(&self, x: &str) -> String {
        format!("CAST({x} AS DECIMAL(38,0))")
    }

    fn div(&self, a: &str, b: &str) -> String {
        format!("coalesce(coalesce({a}) div coalesce({b}))")
    }

    fn text_i128(&self, s: &str) -> String {
        format!("try_cast({s} AS DECIMAL(38,0))")
    }

    fn text_f64(&self, s: &str) -> String {
        format!("try_cast({s} AS DOUBLE)")
    }

    fn text_in_f64_range(&self, s: &str) -> String {
        format!("COALESCE(abs(try_cast({s} AS DOUBLE)) < CAST('Infinity' AS DOUBLE), FALSE)")
    }

    fn rpad9(&self, s: &str) -> String {
        format!("rpad({s}, 9, '0')")
    }
}
