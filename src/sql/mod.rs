//! The filter as one boolean SQL expression over a column holding each
//! event's JSON text: [`Filter::to_sql`](crate::Filter::to_sql).
//!
//! This backend reads the IR (`crate::ir`) and nothing else. The common
//! translation is here; each dialect (`duckdb.rs`, `clickhouse.rs`,
//! `spark.rs`) only spells the primitives it is built from (`Engine`):
//! lists and lambdas, the JSON functions, strings, regular expressions and
//! 128-bit integers.
//!
//! How the rules of grammar.md become SQL:
//!
//! - **The row**: it is looked at only when the engine reads it as one JSON
//!   object (and, where the engine is laxer than JSON, when a strict check
//!   passes); otherwise the whole expression is `FALSE`, never an error.
//! - **Paths** (§6.1): a path is a list of candidates, built from a list
//!   holding the scope (the event, or a value path's object): each name maps
//!   every object of the list to its member of that name, and arrays are
//!   replaced by their elements, [`ARRAY_DEPTH`] levels deep (SQL has no
//!   recursion over a value of unknown shape; deeper arrays give no
//!   candidate, a documented exception). Where the engine has a fold, a
//!   path through arrays is one fold over its names (Spark: every path,
//!   with its test inside; its analyser pays a pass per level of lambdas).
//! - **Leaves**: "some candidate satisfies the test" is an `exists` over the
//!   list, so absent paths are false and `eq null` adds "or the list is
//!   empty"; `not` is SQL's `NOT` on an expression that is never NULL
//!   (every leaf is `COALESCE`d to `FALSE`).
//! - **Typed comparisons** follow `Lit::equals` / `Lit::order` case by case,
//!   with the literal's side computed here, once, by the library (its date,
//!   number and boolean spellings, its lower-cased text): a string candidate
//!   is compared as text, or as an instant when both sides are date-times; a
//!   number candidate by its JSON text, two integers exactly as 128-bit
//!   integers, anything else as f64; a string candidate that is exactly a
//!   JSON number or boolean equals that number or boolean.
//! - **Dates** (§6.5) are recognised by a full-match regular expression and
//!   calendar checks, and turned into an integer (nanoseconds since the
//!   epoch) by integer arithmetic on their digits: no engine's timestamp
//!   parsing is involved.
//! - **Literal sets** (`Test::In`) become `IN` lists, split by kind as
//!   `set.rs` splits them.
//! - **Literals** are embedded so that no text can end them: each dialect
//!   writes control characters, quotes and backslashes through functions
//!   (`chr`, escapes) where its quoting rules differ.
//! - **Sigma's tests** (`Test::Exists`, `Like`, `Regex`, `Cidr`,
//!   `Node::Anywhere`) follow `Test::holds`: `exists` is "some candidate";
//!   a wildcard pattern's common shapes are `=`/starts-with/ends-with/
//!   contains over the dialect's lower-casing, others a full match of a
//!   regex of its parts; a regular expression is re-printed from its parse
//!   in a subset RE2 and Java read alike; an IPv4 network is a full-match
//!   regex of its addresses' text (`pattern.rs`). Booleans are matched by
//!   their text at translation time. What a dialect cannot say exactly (a
//!   number's text, a Unicode `\b`, IPv6, keywords without a recursive
//!   walk) is refused by name (`SqlError::Untranslatable`), never
//!   approximated.

mod clickhouse;
mod duckdb;
mod pattern;
mod spark;

use std::fmt::Write as _;

use crate::ir::{Leaf, Node, Test, ValuePath};
use crate::keywords::Keywords;
use crate::lit::{Lit, Part, Pattern, StrLit};
use crate::time::Timestamp;
use crate::value::Cand;
use crate::value::Num;

/// How many levels of arrays are looked into at each step of a path: an
/// array, arrays directly inside it, and so on. `[[[[[x]]]]]` (five levels)
/// still gives `x`; a sixth level gives nothing.
pub const ARRAY_DEPTH: usize = 5;

/// How many levels of nesting the keyword search (`-k`) looks into where an
/// engine has no recursive walk (ClickHouse, Spark): string values nested
/// in at most this many objects and arrays (the event itself is level 1).
pub const KEYWORD_DEPTH: usize = 8;

/// The SQL engines a filter translates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// DuckDB 1.3 or later (its `json` extension, `lambda x: ...` syntax).
    DuckDb,
    /// ClickHouse (and chDB): the `JSONExtract*` functions over `String`.
    ClickHouse,
    /// Spark 4 / Databricks SQL: `VARIANT` (`try_parse_json`).
    Spark,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 3] = [Dialect::DuckDb, Dialect::ClickHouse, Dialect::Spark];

    /// The name used on the command line: `duckdb`, `clickhouse`, `spark`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::ClickHouse => "clickhouse",
            Dialect::Spark => "spark",
        }
    }

    /// The dialect's spelling of oktaql's ignore-case lower-casing
    /// (grammar.md §6.4: each character to its full lower-case mapping,
    /// no final-sigma rule) applied to the text expression `text`: the
    /// engine's `lower` with the characters where it differs from Rust's
    /// mapping written out.
    pub fn lower(self, text: &str) -> String {
        self.engine().lower(text)
    }

    fn engine(self) -> &'static dyn Engine {
        match self {
            Dialect::DuckDb => &duckdb::DuckDb,
            Dialect::ClickHouse => &clickhouse::ClickHouse,
            Dialect::Spark => &spark::Spark,
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Dialect {
    type Err = SqlError;
    fn from_str(s: &str) -> Result<Dialect, SqlError> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| SqlError::UnknownDialect(s.to_owned()))
    }
}

/// Why a filter cannot be written as SQL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SqlError {
    /// The column name is not an identifier this crate quotes.
    #[error(
        "invalid column name `{0}`: expected a name of ASCII letters, digits and `_` not \
         starting with a digit, or such names joined by `.` (table.column)"
    )]
    InvalidColumn(String),
    /// Not one of `duckdb`, `clickhouse`, `spark`.
    #[error("unknown SQL dialect `{0}`: expected duckdb, clickhouse or spark")]
    UnknownDialect(String),
    /// A test (from a Sigma rule) that this version does not write as SQL
    /// exactly in this dialect; it is refused rather than approximated.
    /// The text names the test and why.
    #[error("{0}")]
    Untranslatable(String),
}

/// The first test of the tree that SQL cannot say exactly in this
/// engine, named with the reason.
fn untranslatable(n: &Node, e: &dyn Engine) -> Option<String> {
    match n {
        Node::And(ns) | Node::Or(ns) => ns.iter().find_map(|n| untranslatable(n, e)),
        Node::Not(n) => untranslatable(n, e),
        Node::ValuePath(vp) => untranslatable(&vp.inner, e),
        Node::Keywords(_) => None,
        Node::Anywhere(t) => {
            if e.strings_anywhere("x").is_none() {
                return Some(
                    "a keyword selection (Sigma): this engine has no exact walk over every \
                     string of the event"
                        .to_owned(),
                );
            }
            refusal(t, e, true).map(|why| format!("a keyword selection (Sigma): {why}"))
        }
        Node::Leaf(l) => {
            refusal(&l.test, e, false).map(|why| format!("`{}`: {why}", l.path.join(".")))
        }
    }
}

/// Why a Sigma test cannot be said exactly in this engine (`strings`: it
/// is asked of strings only, as a keyword's is).
fn refusal(t: &Test, e: &dyn Engine, strings: bool) -> Option<String> {
    match t {
        Test::Like(p) if !strings && like_number_refused(p) => Some(format!(
            "the wildcard pattern `{}` may match a number's text, which SQL does not write \
             as oktaql does",
            like_text(p.parts())
        )),
        Test::Regex(r) => match pattern::regex(r, e.flavor()) {
            Err(why) => Some(format!("the regular expression `{}`: {why}", r.source)),
            Ok(p) if p.may_match_number && !strings => Some(format!(
                "the regular expression `{}` may match a number's text, which SQL does not \
                 write as oktaql does",
                r.source
            )),
            Ok(_) => None,
        },
        Test::Cidr(c) if c.addr.is_ipv6() => Some(format!(
            "the IPv6 network `{}/{}` (Sigma's `cidr`): IPv6 addresses are not written as \
             SQL yet",
            c.addr, c.prefix
        )),
        _ => None,
    }
}

/// A wildcard pattern whose match of a number's text (other than by value,
/// or everything) SQL would need: a number's text is an integer in
/// decimal or a float's shortest decimal, which the engines do not write
/// alike.
fn like_number_refused(p: &Pattern) -> bool {
    !matches!(p.parts(), [] | [Part::Text(_)] | [Part::Any])
        && pattern::like_may_match_number(p.parts())
}

/// A pattern as Sigma writes it (for messages).
fn like_text(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text(t) => {
                for c in t.chars() {
                    if matches!(c, '*' | '?' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Part::One => out.push('?'),
            Part::Any => out.push('*'),
        }
    }
    out
}

/// Checks and quotes the column name: names of `[A-Za-z_][A-Za-z0-9_]*`,
/// optionally qualified (`t.raw`), each quoted as an identifier.
fn column(engine: &dyn Engine, name: &str) -> Result<String, SqlError> {
    let is_name = |p: &str| {
        let mut cs = p.chars();
        cs.next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if name.len() > 255 || !name.split('.').all(is_name) {
        return Err(SqlError::InvalidColumn(name.to_owned()));
    }
    Ok(name
        .split('.')
        .map(|p| engine.quote_ident(p))
        .collect::<Vec<_>>()
        .join("."))
}

/// The translation of a whole filter.
pub(crate) fn to_sql(root: &Node, dialect: Dialect, col: &str) -> Result<String, SqlError> {
    let e = dialect.engine();
    let col = e.text_column(&column(e, col)?);
    if let Some(what) = untranslatable(root, e) {
        return Err(SqlError::Untranslatable(what));
    }
    let mut t = Tr { e, vars: 0 };
    let root_var = t.var();
    let body = t.node(root, &root_var, &root_var);
    let json = e.parse_root(&col);
    Ok(format!(
        "COALESCE({}, FALSE)",
        e.if_then(
            &e.valid_object(&col),
            &e.let1(&root_var, &json, &body),
            "FALSE"
        )
    ))
}

/// The array (of the dialect's string type) of the `ids` whose
/// `conditions` (boolean expressions, never NULL, as [`to_sql`] writes
/// them) hold for the row, in the order given; empty when none holds.
#[cfg(feature = "rules")]
pub(crate) fn id_array(dialect: Dialect, rules: &[(String, &str)]) -> String {
    let e = dialect.engine();
    let items: Vec<String> = rules
        .iter()
        .map(|(cond, id)| e.if_then(cond, &e.str_lit(id), &e.str_lit("")))
        .collect();
    // Ids are never empty, so the empty string marks "not selected".
    e.filter(&e.texts(&items), "rule_id", "rule_id <> ''")
}

/// The SQL spelling of the primitives. `J` below is the engine's type for
/// a JSON value (JSON text, or `VARIANT`); lists are its array type.
pub(crate) trait Engine: Sync {
    fn quote_ident(&self, name: &str) -> String;
    /// `x` as one operand: in parentheses, or what the engine's parser
    /// reads faster.
    fn group(&self, x: &str) -> String {
        format!("({x})")
    }
    /// `a` when `c` is TRUE, else `b` (also when `c` is NULL).
    fn if_then(&self, c: &str, a: &str, b: &str) -> String {
        format!("CASE WHEN {c} THEN {a} ELSE {b} END")
    }
    /// The column as the text the rest works on.
    fn text_column(&self, col: &str) -> String {
        col.to_owned()
    }
    /// A string literal for any text.
    fn str_lit(&self, s: &str) -> String;
    /// A DOUBLE literal, exactly `f` (finite).
    fn f64_lit(&self, f: f64) -> String;
    /// A 128-bit integer literal.
    fn i128_lit(&self, i: i128) -> String;

    /// Whether the column's text is one JSON object (never NULL, never an
    /// error).
    fn valid_object(&self, col: &str) -> String;
    /// The row's JSON value (only evaluated when `valid_object` holds).
    fn parse_root(&self, col: &str) -> String;

    // Lists and lambdas.
    /// Whether every path is one fold with the test inside it, the common
    /// case included: for an engine whose parser and analyser pay for every
    /// level of lambdas (Spark: a pass over the whole query each) more than
    /// its execution pays for a fold (DuckDB and ClickHouse run the
    /// levels written out, lambdas that capture nothing, faster).
    fn one_fold_per_path(&self) -> bool {
        false
    }
    /// `step` applied to the list `start` once per item of the text list
    /// `items`, `acc` naming the list so far and `item` the item, then
    /// `finish` (over `acc`): the engine's fold (`aggregate`,
    /// `arrayFold`, `list_reduce`). A path through arrays is one fold,
    /// short whatever the path's length.
    fn fold(
        &self,
        items: &str,
        start: &str,
        acc: &str,
        item: &str,
        step: &str,
        finish: &str,
    ) -> String;
    /// The member of `j` whose name is the text expression `name`, as a
    /// list of one `J` that is missing ([`Engine::is_missing`]) when `j` is
    /// not an object or has no such member.
    fn member_named(&self, j: &str, name: &str) -> String;
    /// A list of texts (`items` are text expressions).
    fn texts(&self, items: &[String]) -> String {
        format!("[{}]", items.join(", "))
    }
    fn map(&self, list: &str, var: &str, body: &str) -> String;
    fn filter(&self, list: &str, var: &str, pred: &str) -> String;
    /// Some element satisfies `pred` (false for an empty list, never NULL).
    fn exists(&self, list: &str, var: &str, pred: &str) -> String;
    fn flatten(&self, list_of_lists: &str) -> String;
    fn list1(&self, x: &str) -> String;
    fn is_empty(&self, list: &str) -> String;
    /// `body` with `var` bound to `value`.
    fn let1(&self, var: &str, value: &str, body: &str) -> String;

    // JSON values (`J`).
    fn is_array(&self, j: &str) -> String;
    fn is_object(&self, j: &str) -> String;
    fn is_null(&self, j: &str) -> String;
    fn is_string(&self, j: &str) -> String;
    fn is_number(&self, j: &str) -> String;
    fn is_bool(&self, j: &str) -> String;
    /// The elements of an array `j`, as a list of `J`.
    fn elems(&self, j: &str) -> String;
    /// The value at the path `names` under `j`, through objects only, or
    /// what [`Engine::is_missing`] recognises when some name is missing or
    /// meets something other than an object.
    fn get_path(&self, j: &str, names: &[Box<str>]) -> String;
    /// Whether what [`Engine::get_path`] gave is "nothing there".
    fn is_missing(&self, j: &str) -> String;
    /// An empty list of `J`.
    fn empty_list(&self) -> String;
    /// The decoded text of a string `j`.
    fn string(&self, j: &str) -> String;
    /// JSON text of a number `j` that keeps whether it was an integer
    /// (no `.`, `e`, `E`) and its value.
    fn number_text(&self, j: &str) -> String;
    /// The number `x` (what [`Engine::number_text`] gave) as the
    /// comparisons need it.
    fn number_parts(&self, x: &str) -> NumX;
    /// Whether a boolean `j` is true.
    fn bool_value(&self, j: &str) -> String;
    /// Whether an object `j` is `{}`.
    fn object_is_empty(&self, j: &str) -> String;
    /// Every string value anywhere in `j` (for keywords), as a list of
    /// text; `None` where the engine has no recursive walk (the
    /// translation then walks [`KEYWORD_DEPTH`] levels with
    /// [`Engine::object_values`]).
    fn all_strings(&self, j: &str) -> Option<String>;
    /// Every string value anywhere in `j` (for Sigma's keyword
    /// selections), as a list of text, at any depth, or `None` where the
    /// engine cannot say it exactly.
    fn strings_anywhere(&self, j: &str) -> Option<String> {
        self.all_strings(j)
    }
    /// The member values of an object `j`, as a list of `J`.
    fn object_values(&self, j: &str) -> String;

    // Text.
    /// Lower-casing as `value::fold` does.
    fn lower(&self, s: &str) -> String;
    fn contains(&self, s: &str, needle: &str) -> String;
    fn starts_with(&self, s: &str, prefix: &str) -> String;
    fn ends_with(&self, s: &str, suffix: &str) -> String;
    /// Whether the whole of `s` matches the RE2-style pattern (ASCII
    /// classes, `{m,n}`, alternation).
    fn full_match(&self, s: &str, re: &str) -> String;
    /// Whose regular expressions [`Engine::full_match`] and
    /// [`Engine::find`] read.
    fn flavor(&self) -> pattern::Flavor {
        pattern::Flavor::Re2
    }
    /// Whether some part of `s` matches the pattern `re` (printed by
    /// `pattern.rs` for [`Engine::flavor`]).
    fn find(&self, s: &str, re: &str) -> String;
    /// `s` split on a regex character class, as a list of text.
    fn split(&self, s: &str, class: &str) -> String;
    fn list_contains_text(&self, list: &str, x: &str) -> String;
    /// Characters (1-based) `from`..`from+len` of an ASCII `s`.
    fn substr(&self, s: &str, from: &str, len: &str) -> String;
    fn length(&self, s: &str) -> String;
    /// A 64-bit integer constant, of the type [`Engine::int`] gives.
    fn int_lit(&self, v: i64) -> String {
        v.to_string()
    }
    /// An ASCII-digit text (at most 18 digits) as a 64-bit integer.
    fn int(&self, digits: &str) -> String;
    /// A 64-bit integer expression widened to 128 bits.
    fn wide(&self, x: &str) -> String;
    /// `a` divided by `b`, both non-negative integers, rounded down.
    fn div(&self, a: &str, b: &str) -> String;
    /// A text that is a JSON integer of at most 40 characters as a 128-bit
    /// integer.
    fn text_i128(&self, s: &str) -> String;
    /// A text that is a JSON number as the nearest f64.
    fn text_f64(&self, s: &str) -> String;
    /// A text that is a JSON number is within f64's range (`1e400` is
    /// not).
    fn text_in_f64_range(&self, s: &str) -> String;
    /// `s` padded on the right with `0`s to 9 characters.
    fn rpad9(&self, s: &str) -> String;
}

/// The translator: a counter for fresh lambda variables.
struct Tr {
    e: &'static dyn Engine,
    vars: usize,
}

/// A JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
const NUMBER_RE: &str = "-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][-+]?[0-9]+)?";
/// A JSON number written as an integer.
const INTEGER_RE: &str = "-?(0|[1-9][0-9]*)";
/// grammar.md §6.5.
const DATE_RE: &str = "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?([Zz]|[-+][0-9]{2}:[0-9]{2}))?";

impl Tr {
    fn var(&mut self) -> String {
        self.vars += 1;
        format!("v{}", self.vars)
    }

    /// `node` with paths relative to the `J` named `scope`; `event` names
    /// the whole event (for keywords).
    fn node(&mut self, node: &Node, scope: &str, event: &str) -> String {
        match node {
            Node::And(ns) if ns.is_empty() => "TRUE".to_owned(),
            Node::Or(ns) if ns.is_empty() => "FALSE".to_owned(),
            Node::And(ns) | Node::Or(ns) => {
                let op = if matches!(node, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts: Vec<String> = ns.iter().map(|n| self.node(n, scope, event)).collect();
                self.e.group(&parts.join(op))
            }
            Node::Not(n) => self.e.group(&format!("NOT {}", self.node(n, scope, event))),
            Node::Leaf(leaf) => self.leaf(leaf, scope),
            Node::ValuePath(vp) => self.value_path(vp, scope, event),
            Node::Keywords(k) => self.keywords(k, event),
            Node::Anywhere(test) => self.anywhere(test, event),
        }
    }

    /// `body(list)`, `list` being the candidates at `path` under the `J`
    /// named `scope`.
    ///
    /// The common case first: when no value on the way is an array, the
    /// path's value is looked up at once (`get_path`) and only it is
    /// looked into; otherwise the path is walked by a fold
    /// ([`Tr::path_fold`]).
    fn with_candidates(
        &mut self,
        path: &[Box<str>],
        scope: &str,
        body: impl FnOnce(&mut Tr, &str) -> String,
    ) -> String {
        let e = self.e;
        let arrays_on_the_way: Vec<String> = (1..path.len())
            .map(|i| e.is_array(&e.get_path(scope, &path[..i])))
            .collect();
        let arrays_on_the_way = (!arrays_on_the_way.is_empty())
            .then(|| format!("COALESCE({}, FALSE)", arrays_on_the_way.join(" OR ")));
        let end = e.get_path(scope, path);
        if e.one_fold_per_path() {
            // The fast case or the walk, and the test, in one fold.
            let levels = e.texts(&vec!["''".to_owned(); ARRAY_DEPTH]);
            let fast = e.list1(&end);
            let (items, start) = match &arrays_on_the_way {
                None => (levels, fast),
                Some(arrays) => (
                    e.if_then(arrays, &self.path_items(path), &levels),
                    e.if_then(arrays, &e.list1(scope), &fast),
                ),
            };
            return self.path_fold(&items, &start, body);
        }
        let v = self.var();
        let fast = e.if_then(
            &e.is_missing(&v),
            &e.empty_list(),
            &e.if_then(
                &e.is_array(&v),
                &self.flatten_arrays(&e.list1(&v)),
                &e.list1(&v),
            ),
        );
        let fast = e.let1(&v, &end, &fast);
        let list = match arrays_on_the_way {
            None => fast,
            Some(arrays) => {
                let items = self.path_items(path);
                let slow = self.path_fold(&items, &e.list1(scope), |_, list| list.to_owned());
                e.if_then(&arrays, &slow, &fast)
            }
        };
        body(self, &list)
    }

    /// The items of a fold over `path` ([`Tr::path_fold`]): each name,
    /// followed by `ARRAY_DEPTH` empty texts (a level of arrays each).
    fn path_items(&self, path: &[Box<str>]) -> String {
        let mut items = Vec::new();
        for name in path {
            items.push(self.e.str_lit(name));
            items.extend(std::iter::repeat_n("''".to_owned(), ARRAY_DEPTH));
        }
        self.e.texts(&items)
    }

    /// The engine's fold ([`Engine::fold`]): the list `start` through
    /// one step per item of `items` (a name maps objects to their member,
    /// `''` replaces arrays by their elements), then `finish` of the list
    /// with what is missing and the arrays left dropped. One fold, not a
    /// lambda per step: the text stays short whatever the path's length.
    fn path_fold(
        &mut self,
        items: &str,
        start: &str,
        finish: impl FnOnce(&mut Tr, &str) -> String,
    ) -> String {
        let e = self.e;
        let (acc, item, y) = (self.var(), self.var(), self.var());
        let member = e.member_named(&y, &item);
        let one = e.if_then(&format!("{item} = ''"), &self.elems_or_self(&y), &member);
        let step = e.flatten(&e.map(&acc, &y, &one));
        let keep = format!("NOT {} AND NOT {}", e.is_missing(&y), e.is_array(&y));
        let list = e.filter(&acc, &y, &keep);
        let finish = finish(self, &list);
        e.fold(items, start, &acc, &item, &step, &finish)
    }

    /// Arrays in `list` replaced by their elements, arrays directly inside
    /// those by theirs, `ARRAY_DEPTH` levels; arrays deeper than that
    /// dropped.
    fn flatten_arrays(&mut self, list: &str) -> String {
        let e = self.e;
        let y = self.var();
        let one = self.elems_or_self(&y);
        let deep = (0..ARRAY_DEPTH).fold(list.to_owned(), |list, _| {
            e.flatten(&e.map(&list, &y, &one))
        });
        e.filter(&deep, &y, &format!("NOT {}", e.is_array(&y)))
    }

    /// One level of arrays for the value `y`: its elements when it is an
    /// array, else itself, as a list.
    fn elems_or_self(&self, y: &str) -> String {
        let e = self.e;
        e.if_then(&e.is_array(y), &e.elems(y), &e.list1(y))
    }

    fn value_path(&mut self, vp: &ValuePath, scope: &str, event: &str) -> String {
        self.with_candidates(&vp.path, scope, |t, list| {
            let o = t.var();
            let inner = t.node(&vp.inner, &o, event);
            let pred = format!("{} AND {}", t.e.is_object(&o), inner);
            t.e.exists(list, &o, &pred)
        })
    }

    fn leaf(&mut self, leaf: &Leaf, scope: &str) -> String {
        let test = self.with_candidates(&leaf.path, scope, |t, list| t.test(&leaf.test, list));
        format!("COALESCE({test}, FALSE)")
    }

    /// Some candidate `c` of the list `l` satisfies `pred(c)`: one pass
    /// over the list, whatever the kinds the test looks at.
    fn any(&mut self, l: &str, pred: impl FnOnce(&mut Tr, &str) -> String) -> String {
        let c = self.var();
        let p = pred(self, &c);
        self.e.exists(l, &c, &p)
    }

    /// `build(var)` with `var` standing for the expression `value`: the
    /// value written in place when the body names it once, else bound by
    /// `let1` (computed once). `build` is called again for the first.
    fn bind(&mut self, value: &str, build: impl Fn(&mut Tr, &str) -> String) -> String {
        let var = self.var();
        let body = build(self, &var);
        if mentions(&body, &var) <= 1 {
            return build(self, value);
        }
        self.e.let1(&var, value, &body)
    }

    /// The candidate `c` is a string whose text satisfies `pred(s)`.
    fn if_string(&mut self, c: &str, pred: impl Fn(&mut Tr, &str) -> String) -> String {
        let e = self.e;
        let body = self.bind(&e.string(c), pred);
        e.group(&format!("{} AND {body}", e.is_string(c)))
    }

    /// The candidate `c` is a number that satisfies `pred(number)`.
    fn if_number(&mut self, c: &str, pred: impl Fn(&mut Tr, &NumX) -> String) -> String {
        let e = self.e;
        let body = self.bind(&e.number_text(c), |t, n| pred(t, &e.number_parts(n)));
        e.group(&format!("{} AND {body}", e.is_number(c)))
    }

    /// The candidate `c` is the boolean `b`.
    fn if_bool(&self, c: &str, b: bool) -> String {
        let e = self.e;
        let value = e.bool_value(c);
        e.group(&format!(
            "{} AND {}",
            e.is_bool(c),
            if b { value } else { format!("NOT {value}") }
        ))
    }

    /// The test on the list of candidates `l` (an expression, used once
    /// unless the test binds it).
    fn test(&mut self, test: &Test, l: &str) -> String {
        let e = self.e;
        match test {
            Test::Present => self.any(l, |_, c| {
                format!(
                    "NOT {} AND NOT {} AND NOT {}",
                    e.is_null(c),
                    e.group(&format!("{} AND {} = ''", e.is_string(c), e.string(c))),
                    e.group(&format!("{} AND {}", e.is_object(c), e.object_is_empty(c)))
                )
            }),
            Test::EqNull => {
                // No candidate, or a null one: the list is named twice.
                let v = self.var();
                let c = self.var();
                let body = e.group(&format!(
                    "{} OR {}",
                    e.is_empty(&v),
                    e.exists(&v, &c, &e.is_null(&c))
                ));
                e.let1(&v, l, &body)
            }
            Test::Contains(n) | Test::StartsWith(n) | Test::EndsWith(n) => {
                let needle = e.str_lit(&n.text);
                let ic = n.ignore_case;
                self.any(l, |t, c| {
                    t.if_string(c, |t, s| {
                        let s = if ic { t.e.lower(s) } else { s.to_owned() };
                        match test {
                            Test::Contains(_) => t.e.contains(&s, &needle),
                            Test::StartsWith(_) => t.e.starts_with(&s, &needle),
                            _ => t.e.ends_with(&s, &needle),
                        }
                    })
                })
            }
            Test::Eq(lit) => self.any(l, |t, c| t.eq(lit, c)),
            Test::In(set) => self.any(l, |t, c| t.in_set(&set.lits, c)),
            Test::Order(lit, accept) => match lit {
                Lit::Str(sl) => {
                    self.any(l, |t, c| t.if_string(c, |t, s| t.str_order(sl, s, *accept)))
                }
                Lit::Num(n) => {
                    self.any(l, |t, c| t.if_number(c, |t, x| t.num_order(*n, x, *accept)))
                }
                Lit::Bool(_) => "FALSE".to_owned(),
            },
            // Any candidate at all, null included.
            Test::Exists => self.any(l, |_, _| "TRUE".to_owned()),
            Test::Like(_) | Test::Regex(_) | Test::Cidr(_) => {
                self.any(l, |t, c| t.sigma_test(test, c))
            }
            Test::DateOrder(ts, accept) => self.any(l, |t, c| {
                t.if_string(c, |t, s| {
                    t.e.group(&format!(
                        "{} AND {}",
                        t.is_date(s),
                        cmp_sql(&t.date_key(s), &t.e.i128_lit(key(*ts)), *accept)
                    ))
                })
            }),
        }
    }

    /// `Lit::equals`, case by case, of the candidate `c`.
    fn eq(&mut self, lit: &Lit, c: &str) -> String {
        const EQ: [bool; 3] = [false, true, false];
        let mut parts = Vec::new();
        match lit {
            Lit::Str(sl) => {
                parts.push(self.if_string(c, |t, s| t.str_order(sl, s, EQ)));
                if let Some(n) = sl.number {
                    parts.push(self.if_number(c, |t, x| t.num_order(n, x, EQ)));
                }
                if let Some(b) = sl.boolean {
                    parts.push(self.if_bool(c, b));
                }
            }
            Lit::Num(n) => {
                parts.push(self.if_number(c, |t, x| t.num_order(*n, x, EQ)));
                parts.push(self.if_string(c, |t, s| {
                    t.e.group(&format!(
                        "{} AND {}",
                        t.text_is_number(s),
                        t.num_order(*n, &text_num(t.e, s), EQ)
                    ))
                }));
            }
            Lit::Bool(b) => {
                parts.push(self.if_bool(c, *b));
                parts.push(self.if_string(c, |t, s| {
                    format!("{s} = {}", t.e.str_lit(if *b { "true" } else { "false" }))
                }));
            }
        }
        self.e.group(&parts.join(" OR "))
    }

    /// A string candidate `s` against a string literal, as `StrLit::cmp_str`
    /// orders them: instants when both are date-times, else (folded) text.
    fn str_order(&mut self, sl: &StrLit, s: &str, accept: [bool; 3]) -> String {
        let text = if sl.ignore_case {
            self.e.lower(s)
        } else {
            s.to_owned()
        };
        let by_text = cmp_sql(&text, &self.e.str_lit(&sl.text), accept);
        match sl.date {
            None => by_text,
            Some(d) => self.e.group(&self.e.if_then(
                &self.is_date(s),
                &cmp_sql(&self.date_key(s), &self.e.i128_lit(key(d)), accept),
                &by_text,
            )),
        }
    }

    /// A number against a number literal, as `Num::cmp` orders them: two
    /// integers exactly, else as f64.
    fn num_order(&mut self, lit: Num, x: &NumX, accept: [bool; 3]) -> String {
        let as_f64 = cmp_sql(&x.f64, &self.e.f64_lit(num_f64(lit)), accept);
        match lit {
            Num::Int(i) => self.e.group(&self.e.if_then(
                &x.is_int,
                &cmp_sql(&x.int, &self.e.i128_lit(i), accept),
                &as_f64,
            )),
            Num::Float(_) => as_f64,
        }
    }

    /// A string that is exactly a JSON number within f64's range
    /// (`value::string_as_number`).
    fn text_is_number(&self, s: &str) -> String {
        self.e.group(&format!(
            "{} AND {}",
            self.e.full_match(s, NUMBER_RE),
            self.e.text_in_f64_range(s)
        ))
    }

    /// `LitSet::contains`: the set's literals split by kind, each kind one
    /// `IN` list.
    fn in_set(&mut self, lits: &[Lit], c: &str) -> String {
        let e = self.e;
        let mut plain = Vec::new(); // texts of non-date string literals
        let mut date_texts = Vec::new(); // texts of date literals
        let mut dates = Vec::new(); // their instants
        let mut nums = Vec::new(); // number literals
        let mut str_nums = Vec::new(); // numbers spelled by string literals
        let mut bools = [false; 2];
        let mut str_bools = [false; 2];
        for lit in lits {
            match lit {
                Lit::Str(sl) => {
                    match sl.date {
                        Some(d) => {
                            date_texts.push(sl.text.clone());
                            dates.push(key(d));
                        }
                        None => plain.push(sl.text.clone()),
                    }
                    if let Some(n) = sl.number {
                        str_nums.push(n);
                    }
                    if let Some(b) = sl.boolean {
                        str_bools[usize::from(b)] = true;
                    }
                }
                Lit::Num(n) => nums.push(*n),
                Lit::Bool(b) => bools[usize::from(*b)] = true,
            }
        }
        let ignore_case = lits
            .iter()
            .any(|l| matches!(l, Lit::Str(s) if s.ignore_case));
        let mut parts = Vec::new();
        // String candidates.
        if !plain.is_empty() || !date_texts.is_empty() || !nums.is_empty() || bools != [false; 2] {
            let plain = in_list(e, &plain);
            let date_texts = in_list(e, &date_texts);
            let date_keys: Vec<String> = dates.iter().map(|k| e.i128_lit(*k)).collect();
            let nums_c = nums.clone();
            parts.push(self.if_string(c, |t, s| {
                let mut ors = Vec::new();
                let text = if ignore_case {
                    t.e.lower(s)
                } else {
                    s.to_owned()
                };
                if let Some(p) = &plain {
                    ors.push(format!("{text} IN ({p})"));
                }
                if let Some(dt) = &date_texts {
                    ors.push(t.e.group(&t.e.if_then(
                        &t.is_date(s),
                        &format!("{} IN ({})", t.date_key(s), date_keys.join(", ")),
                        &format!("{text} IN ({dt})"),
                    )));
                }
                if !nums_c.is_empty() {
                    ors.push(t.e.group(&format!(
                        "{} AND {}",
                        t.text_is_number(s),
                        t.num_in(&nums_c, &text_num(t.e, s))
                    )));
                }
                for (b, word) in [(false, "false"), (true, "true")] {
                    if bools[usize::from(b)] {
                        ors.push(format!("{s} = {}", t.e.str_lit(word)));
                    }
                }
                t.e.group(&ors.join(" OR "))
            }));
        }
        // Number candidates.
        let all_nums: Vec<Num> = nums.iter().chain(&str_nums).copied().collect();
        if !all_nums.is_empty() {
            parts.push(self.if_number(c, |t, x| t.num_in(&all_nums, x)));
        }
        // Boolean candidates.
        for b in [false, true] {
            if bools[usize::from(b)] || str_bools[usize::from(b)] {
                parts.push(self.if_bool(c, b));
            }
        }
        if parts.is_empty() {
            return "FALSE".to_owned();
        }
        e.group(&parts.join(" OR "))
    }

    /// The number `x` equals one of `nums` (`NumSet`): an
    /// integer exactly among the integers or as f64 among the floats; a
    /// float as f64 among all.
    fn num_in(&self, nums: &[Num], x: &NumX) -> String {
        let e = self.e;
        let ints: Vec<String> = nums
            .iter()
            .filter_map(|n| match n {
                Num::Int(i) => Some(e.i128_lit(*i)),
                Num::Float(_) => None,
            })
            .collect();
        let floats: Vec<String> = nums
            .iter()
            .filter_map(|n| match n {
                Num::Float(f) => Some(e.f64_lit(*f)),
                Num::Int(_) => None,
            })
            .collect();
        let all: Vec<String> = nums.iter().map(|n| e.f64_lit(num_f64(*n))).collect();
        let f = &x.f64;
        let in_floats = if floats.is_empty() {
            "FALSE".to_owned()
        } else {
            format!("{f} IN ({})", floats.join(", "))
        };
        let in_ints = if ints.is_empty() {
            "FALSE".to_owned()
        } else {
            format!("{} IN ({})", x.int, ints.join(", "))
        };
        e.group(&e.if_then(
            &x.is_int,
            &e.group(&format!("{in_ints} OR {in_floats}")),
            &format!("{f} IN ({})", all.join(", ")),
        ))
    }

    /// `s` is a date-time (grammar.md §6.5): the form, then the calendar
    /// and clock ranges.
    fn is_date(&self, s: &str) -> String {
        let e = self.e;
        let g = |x: String| e.group(&x);
        let n = |v: i64| e.int_lit(v);
        let part =
            |from: usize, len: usize| e.int(&e.substr(s, &from.to_string(), &len.to_string()));
        let (y, m, d) = (part(1, 4), part(6, 2), part(9, 2));
        let len = e.length(s);
        let leap = g(format!(
            "{} OR {y} % {} = {}",
            g(format!(
                "{y} % {} = {} AND {y} % {} <> {}",
                n(4),
                n(0),
                n(100),
                n(0)
            )),
            n(400),
            n(0)
        ));
        let dim = e.if_then(
            &format!("{m} = {}", n(2)),
            &e.if_then(&leap, &n(29), &n(28)),
            &e.if_then(
                &format!("{m} IN ({}, {}, {}, {})", n(4), n(6), n(9), n(11)),
                &n(30),
                &n(31),
            ),
        );
        let zone_h = e.int(&e.substr(s, &format!("{len} - 4"), "2"));
        let zone_m = e.int(&e.substr(s, &format!("{len} - 1"), "2"));
        let zoned = format!("{} NOT IN ('Z', 'z')", e.substr(s, &len, "1"));
        let zone_ok = g(format!(
            "NOT {} OR {}",
            g(zoned),
            g(format!("{zone_h} <= {} AND {zone_m} <= {}", n(23), n(59)))
        ));
        let clock_ok = g(format!(
            "{} <= {} AND {} <= {} AND {} <= {} AND {zone_ok}",
            part(12, 2),
            n(23),
            part(15, 2),
            n(59),
            part(18, 2),
            n(59),
        ));
        let calendar = format!(
            "COALESCE({m} BETWEEN {} AND {} AND {d} BETWEEN {} AND {dim} AND {}, FALSE)",
            n(1),
            n(12),
            n(1),
            g(format!("{len} = 10 OR {clock_ok}"))
        );
        g(e.if_then(&e.full_match(s, DATE_RE), &calendar, "FALSE"))
    }

    /// The instant of a date-time `s` as nanoseconds since the epoch, a
    /// 128-bit integer: days from the civil date (Hinnant's algorithm,
    /// shifted 400 years so every division is of non-negative numbers).
    /// Every constant is a 64-bit integer like the parts it meets
    /// ([`Engine::int_lit`]).
    fn date_key(&self, s: &str) -> String {
        let e = self.e;
        let g = |x: String| e.group(&x);
        let n = |v: i64| e.int_lit(v);
        let part = |from: &str, len: &str| e.int(&e.substr(s, from, len));
        let (y, m, d) = (part("1", "4"), part("6", "2"), part("9", "2"));
        let len = e.length(s);
        // Years since -400 (March-based), month index from March.
        let yy = g(format!(
            "{y} + {} - {}",
            n(400),
            e.if_then(&format!("{m} <= {}", n(2)), &n(1), &n(0))
        ));
        let mp = g(format!("{} % {}", g(format!("{m} + {}", n(9))), n(12)));
        let days = g(format!(
            "{} * {yy} + {} - {} + {} + {} + {d} - {} - {}",
            n(365),
            e.div(&yy, &n(4)),
            e.div(&yy, &n(100)),
            e.div(&yy, &n(400)),
            e.div(&format!("{} * {mp} + {}", n(153), n(2)), &n(5)),
            n(1),
            n(865565),
        ));
        let timed = format!("{len} > 10");
        let zoned = format!("{} NOT IN ('Z', 'z')", e.substr(s, &len, "1"));
        let clock = e.if_then(
            &timed,
            &format!(
                "{} * {} + {} * {} + {}",
                part("12", "2"),
                n(3600),
                part("15", "2"),
                n(60),
                part("18", "2")
            ),
            &n(0),
        );
        let sign = e.if_then(
            &format!("{} = '-'", e.substr(s, &format!("{len} - 5"), "1")),
            &n(-1),
            &n(1),
        );
        let offset = e.if_then(
            &format!("{timed} AND {zoned}"),
            &format!(
                "{sign} * {}",
                g(format!(
                    "{} * {} + {} * {}",
                    part(&format!("{len} - 4"), "2"),
                    n(3600),
                    part(&format!("{len} - 1"), "2"),
                    n(60),
                ))
            ),
            &n(0),
        );
        let frac_len = format!("{len} - 20 - {}", e.if_then(&zoned, "6", "1"));
        let nanos = e.if_then(
            &format!("{timed} AND {} = '.'", e.substr(s, "20", "1")),
            &e.int(&e.rpad9(&e.substr(s, "21", &frac_len))),
            &n(0),
        );
        g(format!(
            "{} * {} + {}",
            e.wide(&g(format!("{days} * {} + {clock} - {offset}", n(86400)))),
            e.i128_lit(1_000_000_000),
            e.wide(&g(nanos))
        ))
    }

    /// Okta's `q`: every keyword equals, ignoring case, some string value of
    /// the event or one of its tokens (`keywords.rs`).
    fn keywords(&mut self, k: &Keywords, event: &str) -> String {
        let e = self.e;
        // Every string lower-cased once, whatever the number of words.
        let folded = match e.all_strings(event) {
            Some(strings) => {
                let x = self.var();
                e.map(&strings, &x, &e.lower(&x))
            }
            None => self.walk_strings(event),
        };
        let sv = self.var();
        let class = separator_class();
        let mut parts = Vec::new();
        for word in k.folded() {
            let s = self.var();
            let lit = e.str_lit(word);
            // A string that holds the word as a token contains it: the
            // split is done only then.
            let pred = format!(
                "{} AND {}",
                e.contains(&s, &lit),
                e.group(&format!(
                    "{s} = {lit} OR {}",
                    e.list_contains_text(&e.split(&s, &class), &lit)
                ))
            );
            parts.push(e.exists(&sv, &s, &pred));
        }
        format!(
            "COALESCE({}, FALSE)",
            e.let1(&sv, &folded, &e.group(&parts.join(" AND ")))
        )
    }
}

impl Tr {
    /// A Sigma test (`Like`, `Regex`, `Cidr`: `Test::holds`) of the
    /// candidate `c`: a string by its content; a boolean by its text,
    /// decided here; a number by value for a plain pattern that is one, by
    /// kind for `*`, otherwise never (`refusal` has refused the tests whose
    /// match of a number's text SQL would need).
    fn sigma_test(&mut self, test: &Test, c: &str) -> String {
        let mut parts = vec![self.if_string(c, |t, s| t.sigma_str(test, s))];
        let mut scratch = String::new();
        match test {
            Test::Like(p) => {
                match p.parts() {
                    [Part::Any] => parts.push(self.e.is_number(c)),
                    [Part::Text(_)] => {
                        if let Some(n) = p.number() {
                            const EQ: [bool; 3] = [false, true, false];
                            parts.push(self.if_number(c, |t, x| t.num_order(n, x, EQ)));
                        }
                    }
                    _ => {}
                }
                for b in [false, true] {
                    if p.holds(Cand::Bool(b), &mut scratch) {
                        parts.push(self.if_bool(c, b));
                    }
                }
            }
            Test::Regex(r) => {
                for b in [false, true] {
                    if r.holds(Cand::Bool(b)) {
                        parts.push(self.if_bool(c, b));
                    }
                }
            }
            _ => {}
        }
        self.e.group(&parts.join(" OR "))
    }

    /// A Sigma test of the text `s` of a string.
    fn sigma_str(&mut self, test: &Test, s: &str) -> String {
        let e = self.e;
        match test {
            Test::Like(p) => {
                let text = if p.ignore_case {
                    e.lower(s)
                } else {
                    s.to_owned()
                };
                match p.parts() {
                    [] => format!("{text} = ''"),
                    [Part::Text(t)] => format!("{text} = {}", e.str_lit(t)),
                    [Part::Text(t), Part::Any] => e.starts_with(&text, &e.str_lit(t)),
                    [Part::Any, Part::Text(t)] => e.ends_with(&text, &e.str_lit(t)),
                    [Part::Any, Part::Text(t), Part::Any] => e.contains(&text, &e.str_lit(t)),
                    [Part::Any] => "TRUE".to_owned(),
                    parts => e.full_match(&text, &pattern::like_regex(parts)),
                }
            }
            Test::Regex(r) => {
                let printed = pattern::regex(r, e.flavor()).expect("checked by `refusal`");
                e.find(s, &printed.text)
            }
            Test::Cidr(net) => {
                let re = pattern::ipv4_network(net).expect("checked by `refusal`");
                e.full_match(s, &re)
            }
            _ => unreachable!("only the Sigma tests"),
        }
    }

    /// A Sigma keyword selection: some string value of the event, at any
    /// depth, satisfies the test (`untranslatable` has refused it where
    /// the engine has no such walk).
    fn anywhere(&mut self, test: &Test, event: &str) -> String {
        let strings = self
            .e
            .strings_anywhere(event)
            .expect("checked by `untranslatable`");
        let x = self.var();
        let pred = self.sigma_str(test, &x);
        format!("COALESCE({}, FALSE)", self.e.exists(&strings, &x, &pred))
    }

    /// The string values in `j`, nested at most [`KEYWORD_DEPTH`] levels,
    /// lower-cased: containers are replaced by their members level by
    /// level, scalars carried along, the containers left at the end
    /// dropped.
    fn walk_strings(&mut self, j: &str) -> String {
        let e = self.e;
        let (acc, x, i) = (self.var(), self.var(), self.var());
        let one = e.if_then(
            &e.is_array(&x),
            &e.elems(&x),
            &e.if_then(&e.is_object(&x), &e.object_values(&x), &e.list1(&x)),
        );
        let step = |list: &str| e.flatten(&e.map(list, &x, &one));
        let strings = |list: &str| {
            let only = e.filter(list, &x, &e.is_string(&x));
            e.map(&only, &x, &e.lower(&e.string(&x)))
        };
        let start = e.list1(j);
        if e.one_fold_per_path() {
            let levels = e.texts(&vec!["''".to_owned(); KEYWORD_DEPTH]);
            return e.fold(&levels, &start, &acc, &i, &step(&acc), &strings(&acc));
        }
        strings(&(0..KEYWORD_DEPTH).fold(start, |list, _| step(&list)))
    }
}

/// A number as the comparisons need it: whether `Num` keeps it as an exact
/// integer, the integer (128 bits), its f64.
pub(crate) struct NumX {
    pub is_int: String,
    pub int: String,
    pub f64: String,
}

/// The number a JSON number text `x` holds (`Num::parse`): an integer when
/// written without `.`/`e` and between -2^63 and 2^64 - 1.
pub(crate) fn text_num(e: &dyn Engine, x: &str) -> NumX {
    NumX {
        is_int: e.group(&format!(
            "{} AND {} <= 21 AND {} BETWEEN {} AND {}",
            e.full_match(x, INTEGER_RE),
            e.length(x),
            e.text_i128(x),
            e.i128_lit(i128::from(i64::MIN)),
            e.i128_lit(i128::from(u64::MAX))
        )),
        int: e.text_i128(x),
        f64: e.text_f64(x),
    }
}

/// How many times `var` (a name `v<digits>`) occurs in `sql` as a whole
/// word. A string literal that spells it counts too: more, never fewer.
fn mentions(sql: &str, var: &str) -> usize {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    sql.match_indices(var)
        .filter(|(i, _)| {
            !sql[..*i].chars().next_back().is_some_and(word)
                && !sql[i + var.len()..].chars().next().is_some_and(word)
        })
        .count()
}

/// `IN` list items, or `None` when there are none.
fn in_list(e: &dyn Engine, texts: &[Box<str>]) -> Option<String> {
    (!texts.is_empty()).then(|| {
        texts
            .iter()
            .map(|t| e.str_lit(t))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// `a` compared to `b` as one of the accepted orderings (Less, Equal,
/// Greater).
fn cmp_sql(a: &str, b: &str, accept: [bool; 3]) -> String {
    let op = match accept {
        [false, true, false] => "=",
        [true, false, false] => "<",
        [true, true, false] => "<=",
        [false, false, true] => ">",
        [false, true, true] => ">=",
        [true, false, true] => "<>",
        [true, true, true] => return "TRUE".to_owned(),
        [false, false, false] => return "FALSE".to_owned(),
    };
    format!("{a} {op} {b}")
}

/// Nanoseconds since the epoch.
fn key(t: Timestamp) -> i128 {
    i128::from(t.unix_seconds()) * 1_000_000_000 + i128::from(t.subsec_nanos())
}

fn num_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) => f,
    }
}

/// The keyword search's separators (`keywords::is_separator`) as a regex
/// character class of code point ranges (computed once).
fn separator_class() -> String {
    static CLASS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CLASS.get_or_init(make_separator_class).clone()
}

fn make_separator_class() -> String {
    let mut out = String::from("[");
    let mut c = 0u32;
    while c <= 0x10ffff {
        let is_sep = |c: u32| char::from_u32(c).is_some_and(crate::keywords::is_separator);
        if !is_sep(c) {
            c += 1;
            continue;
        }
        let start = c;
        while is_sep(c + 1) {
            c += 1;
        }
        push_class_char(&mut out, start);
        if c > start {
            out.push('-');
            push_class_char(&mut out, c);
        }
        c += 1;
    }
    out.push(']');
    out
}

/// A character of a regex class: `\x{..}` for anything but ASCII
/// alphanumerics (RE2, Java and ClickHouse's re2 read it alike).
fn push_class_char(out: &mut String, c: u32) {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii_alphanumeric() => out.push(ch),
        _ => {
            let _ = write!(out, "\\x{{{c:x}}}");
        }
    }
}

#[cfg(test)]
mod tests;
