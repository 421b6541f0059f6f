//! Sigma rules (the Sigma specification 2.1, `logsource.product: okta`),
//! lowered to the filter machinery's IR: the same tests, evaluators and
//! scanner as a filter's text.
//!
//! ```yaml
//! title: Okta User Created
//! id: b6c718dd-8f53-4b78-a0e1-4b4e0a9c3e1f
//! status: test
//! logsource:
//!     product: okta
//!     service: okta
//! detection:
//!     selection:
//!         eventType: 'user.lifecycle.create'
//!     condition: selection
//! level: informational
//! ```
//!
//! # What a rule means
//!
//! The specification says, and this module does:
//!
//! - a document is a Sigma rule when `detection` has a `condition`; its
//!   `logsource.product` must be `okta`, or the rule is not loaded;
//!   `level` and `status` are the rule's;
//! - values are compared **ignoring case** unless `cased` is given; `*`
//!   and `?` are wildcards, `\*`, `\?` and `\\` their escapes, any other
//!   backslash a plain one; a value is matched against the whole value;
//! - a list of values is an `or` (`and` with `all`), a map an `and` of its
//!   fields, a list of maps an `or`; `null` (or an empty list) means absent
//!   or null;
//! - paths are LogEvent paths split at `.`, through arrays as in Okta's
//!   language (any element may match);
//! - conditions: `and`, `or`, `not`, parentheses, `1 of`/`all of` a
//!   pattern or `them` (identifiers starting with `_` left out), a list of
//!   conditions is their `or`;
//! - a keyword selection (plain strings without a field) matches when some
//!   string value anywhere in the event contains the keyword, ignoring
//!   case, its own wildcards kept;
//! - `expand` fills `%name%` from the placeholders given to the loader
//!   ([`LoadOptions::placeholder`](super::LoadOptions::placeholder)), each
//!   value read as a Sigma string; a `%` after a backslash is a plain `%`;
//!   a placeholder with no values leaves the rule not loaded.
//!
//! # Where the specification is silent
//!
//! These follow pySigma (the reference implementation) unless said:
//!
//! - The condition's words `and`, `or`, `not`, `of`, `them` and the
//!   quantifiers `1`, `any`, `all` are lower-case (pySigma's grammar is
//!   case-sensitive); identifiers are ASCII letters, digits, `_` and `-`;
//!   `*` in a pattern matches any run of characters; `1 of x*` matching no
//!   identifier is an error. A condition with `|` (the old aggregations) is
//!   not loaded: correlation rules replace it.
//! - Modifiers apply in the order written. `re`, `cidr` and `exists` take
//!   an unmodified value; `i`/`ignorecase`, `m`/`multiline`, `s`/`dotall`
//!   follow `re`; `contains`, `startswith`, `endswith`, `cased` and
//!   `expand` take strings, `gt`/`gte`/`lt`/`lte` numbers (a YAML number,
//!   not a quoted one), `exists` a YAML `true` or `false`; `neq` negates
//!   the whole item (`not (a or b)`); any other combination is not loaded.
//!   `contains`/`startswith`/`endswith` add `*` only where there is none.
//! - **Not pySigma's**, because pySigma only converts: how a value meets a
//!   JSON value. A string matches by its content; a number or boolean by
//!   its text (`true`, `false`, an integer in decimal, another number as
//!   the shortest decimal that reads back as its value), so `'true'`
//!   matches `true` and `5` matches `5`; a value with no wildcard that is a
//!   JSON number also matches a number of that value (`5` matches `5.0`).
//!   Null and objects match no value but `null`.
//! - `re` is found anywhere in the value (not anchored: write `^`/`$`), by
//!   the `regex` crate in time linear in the text; it is case-sensitive
//!   unless `i`. Its syntax is the crate's, which has no look-around or
//!   back-references: a pattern it cannot compile leaves the rule not
//!   loaded, with the crate's reason. `re` with `contains`, `startswith`,
//!   `endswith` or `expand` is not loaded (what they add depends on
//!   whether the engine anchors).
//! - `cidr` is Python's `ip_network`: bits set past the prefix are an
//!   error; an IPv4 network holds IPv4 addresses only, IPv6 IPv6 only.
//! - `exists: true` holds when the path has some value, `null` included
//!   (an empty list has none).
//! - `gt`/`gte`/`lt`/`lte` compare JSON numbers (a string never matches).
//! - YAML scalars are read as YAML 1.2 (pySigma reads YAML 1.1: `yes`, `0x17`
//!   or `010` are text here, a boolean or a number there).
//! - `windash`, `base64`, `base64offset`, `utf16le`, `utf16be`, `utf16`
//!   and `wide` rewrite values for Windows logs and encoded payloads: a
//!   rule using them is not loaded, with that reason; `fieldref` and the
//!   time modifiers (`minute`...`year`) are not supported yet.
//! - `id` is required, as in the other formats (Sigma makes it optional).

use std::fmt::Write as _;
use std::sync::Arc;

use super::yaml::{Kind, Node, Pos, Style};
use super::{
    optional_str, refused, required_str, Format, Level, LoadOptions, Place, Refused, Spec, Why,
};
use crate::ir::{self, Leaf, Test};
use crate::lit::{Cidr, Lit, Part, Pattern, Re};
use crate::value::{string_as_number, Num};

/// The keys of a Sigma rule that are not warned about.
const KEYS: &[&str] = &[
    "title",
    "id",
    "name",
    "related",
    "taxonomy",
    "status",
    "description",
    "license",
    "references",
    "author",
    "date",
    "modified",
    "logsource",
    "detection",
    "fields",
    "falsepositives",
    "level",
    "tags",
    "scope",
];

/// What a Sigma rule's detection means, in the terms the specification
/// uses: the tree the differential test compares with pySigma's, the
/// canonical text, and what it lowers to.
#[derive(Clone, Debug)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `field: value` after its modifiers (`field` `None`: a keyword).
    Item {
        field: Option<String>,
        value: Val,
    },
}

/// One value after its modifiers.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A string (or a number or boolean by its text), with wildcards.
    Pattern {
        parts: Vec<Part>,
        cased: bool,
    },
    Null,
    Re {
        source: String,
        i: bool,
        m: bool,
        s: bool,
    },
    Cidr(String),
    /// `gt`, `gte`, `lt`, `lte` and the number as written.
    Cmp {
        op: &'static str,
        number: String,
    },
    Exists(bool),
}

/// A Sigma rule read and lowered.
#[derive(Clone, Debug)]
pub(crate) struct Lowered {
    pub tree: Expr,
    /// Filter texts to lint (`path pr` or `path eq "value"`) and where
    /// their field is written.
    pub lints: Vec<(Pos, String)>,
}

/// Reads a Sigma rule (the caller saw `detection` with a `condition`).
pub(super) fn read(root: &Node, detection: &Node, options: &LoadOptions) -> Result<Spec, Refused> {
    let title = required_str(root, "title")?;
    let id = required_str(root, "id")?;
    let level = match optional_str(root, "level")? {
        None => None,
        Some(l) => Some(
            l.parse::<Level>()
                .map_err(|e| refused(Why::Invalid, e.to_string()))?,
        ),
    };
    let status = optional_str(root, "status")?;
    logsource(root)?;
    let lowered = lower_detection(detection, options)?;
    let cond = detection
        .get("condition")
        .expect("the caller saw `condition`");
    let text = condition_texts(cond)?.join("\n");
    let mut warnings = Vec::new();
    for (k, _) in root.as_map().unwrap_or_default() {
        let name = k.as_str().unwrap_or("");
        if !KEYS.contains(&name) {
            warnings.push((
                k.pos,
                "unknown-key".to_owned(),
                format!("the Sigma specification has no key `{name}`; it is ignored"),
            ));
        }
    }
    Ok(Spec {
        id,
        title,
        level,
        status,
        description: optional_str(root, "description").unwrap_or(None),
        format: Format::Sigma,
        text,
        place: Place::Near(cond.pos),
        ignore_case: true,
        keywords: None,
        warnings,
        sigma: Some(lowered),
    })
}

/// A Sigma filter document (the filters specification): the rules it
/// tunes, by id, and what it removes from their hits.
#[derive(Clone, Debug)]
pub(crate) struct FilterDoc {
    pub title: String,
    pub rules: Vec<String>,
    pub tree: Expr,
    pub lints: Vec<(Pos, String)>,
}

/// Whether a `filter` node is a Sigma filter's (`rules` and `condition`).
fn is_filter(filter: &Node) -> bool {
    filter.get("rules").is_some() && filter.get("condition").is_some()
}

/// Whether a document is a Sigma filter: `filter` is a mapping with
/// `rules` and a `condition` (oktaql's own `filter` is text).
pub(super) fn is_filter_document(root: &Node) -> bool {
    root.get("filter")
        .is_some_and(|f| f.as_map().is_some() && is_filter(f))
}

/// Reads a Sigma filter document.
pub(super) fn read_filter(root: &Node, options: &LoadOptions) -> Result<FilterDoc, Refused> {
    let title = required_str(root, "title")?;
    logsource(root)?;
    let filter = root.get("filter").expect("the caller saw `filter`");
    let rules_node = filter.get("rules").expect("the caller saw `rules`");
    let one = |n: &Node| {
        n.as_str()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| refused(Why::Invalid, "`filter.rules` must name rules by their id"))
    };
    let rules = match &rules_node.kind {
        Kind::Seq(items) => items.iter().map(one).collect::<Result<Vec<_>, _>>()?,
        _ => vec![one(rules_node)?],
    };
    let lowered = lower_detection(filter, options)?;
    Ok(FilterDoc {
        title,
        rules,
        tree: lowered.tree,
        lints: lowered.lints,
    })
}

/// A rule's tree with a filter's: `rule and not (filter)`, as pySigma
/// adds it.
pub(crate) fn with_filter(rule: &Expr, filter: &Expr) -> Expr {
    Expr::And(vec![rule.clone(), Expr::Not(Box::new(filter.clone()))])
}

/// The IR of a tree (`force_ignore_case` as [`LoadOptions::ignore_case`]).
pub(crate) fn lower_tree(e: &Expr, force_ignore_case: bool) -> ir::Node {
    lower(e, force_ignore_case)
}

/// `logsource.product` must be `okta`.
fn logsource(root: &Node) -> Result<(), Refused> {
    let Some(ls) = root.get("logsource") else {
        return Err(refused(Why::Invalid, "no `logsource`"));
    };
    if ls.as_map().is_none() {
        return Err(refused(
            Why::Invalid,
            format!("`logsource` must be a mapping, not {}", ls.what()),
        ));
    }
    match ls.get("product").and_then(Node::as_str) {
        Some("okta") => Ok(()),
        Some(p) => Err(refused(
            Why::Logsource,
            format!("`logsource.product` is `{p}`: the rule is for other logs than Okta's"),
        )),
        None => Err(refused(
            Why::Logsource,
            "`logsource` has no `product`: the rule does not say it is for Okta's logs (`product: okta`)",
        )),
    }
}

/// The condition, or each of a list of conditions.
fn condition_texts(cond: &Node) -> Result<Vec<String>, Refused> {
    let one = |n: &Node| match &n.kind {
        Kind::Scalar { text, .. } if !n.is_null() && !text.trim().is_empty() => {
            Ok(text.trim().to_owned())
        }
        _ => Err(refused(
            Why::Invalid,
            format!(
                "`condition` must be text or a list of texts, not {}",
                n.what()
            ),
        )),
    };
    match &cond.kind {
        Kind::Seq(items) if !items.is_empty() => items.iter().map(one).collect(),
        Kind::Seq(_) => Err(refused(Why::Invalid, "`condition` is an empty list")),
        _ => Ok(vec![one(cond)?]),
    }
}

/// The whole detection: every search identifier read (an error in one
/// that no condition names still leaves the rule not loaded, as in
/// pySigma), then the conditions over them.
pub(super) fn lower_detection(detection: &Node, options: &LoadOptions) -> Result<Lowered, Refused> {
    let Some(members) = detection.as_map() else {
        return Err(refused(
            Why::Invalid,
            format!("`detection` must be a mapping, not {}", detection.what()),
        ));
    };
    let mut lints = Vec::new();
    let mut searches: Vec<(String, Expr)> = Vec::new();
    for (k, v) in members {
        let Some(name) = k.as_str() else {
            return Err(refused(Why::Invalid, "a key of `detection` is not text"));
        };
        if name == "condition"
            || (name == "rules" && detection.get("rules").is_some_and(|_| is_filter(detection)))
        {
            continue;
        }
        if name == "timeframe" {
            return Err(refused(
                Why::Counting,
                "`detection.timeframe` (counting over a period, the old form of correlation rules): not supported",
            ));
        }
        let e = search(v, options, &mut lints)
            .map_err(|r| prefix(r, &format!("`detection.{name}`: ")))?;
        searches.push((name.to_owned(), e));
    }
    let cond = detection
        .get("condition")
        .ok_or_else(|| refused(Why::Invalid, "`detection` has no `condition`"))?;
    let mut alternatives = Vec::new();
    for text in condition_texts(cond)? {
        let parsed = Cond::parse(&text).map_err(|m| {
            let why = if m.starts_with("aggregation") {
                Why::Counting
            } else {
                Why::Invalid
            };
            refused(why, format!("the condition `{text}`: {m}"))
        })?;
        alternatives.push(
            parsed
                .resolve(&searches)
                .map_err(|m| refused(Why::Invalid, format!("the condition `{text}`: {m}")))?,
        );
    }
    let tree = if alternatives.len() == 1 {
        alternatives.pop().expect("one")
    } else {
        Expr::Or(alternatives)
    };
    Ok(Lowered { tree, lints })
}

fn prefix(mut r: Refused, p: &str) -> Refused {
    r.reason = format!("{p}{}", r.reason);
    r
}

/// A search identifier's value: a map (`and` of its items), a list (of
/// plain values: one keyword item; else an `or` of each element), a plain
/// value (a keyword).
fn search(
    v: &Node,
    options: &LoadOptions,
    lints: &mut Vec<(Pos, String)>,
) -> Result<Expr, Refused> {
    match &v.kind {
        Kind::Map(members) => {
            if members.is_empty() {
                return Err(refused(Why::Invalid, "the selection is empty"));
            }
            let mut items = Vec::with_capacity(members.len());
            for (k, val) in members {
                let Some(key) = k.as_str() else {
                    return Err(refused(Why::Invalid, "a field name is not text"));
                };
                items.push(item(Some((key, k.pos)), val, options, lints)?);
            }
            Ok(one_or(items, Expr::And))
        }
        Kind::Seq(elems) if elems.is_empty() => {
            Err(refused(Why::Invalid, "the selection is an empty list"))
        }
        Kind::Seq(elems) if elems.iter().all(|e| matches!(e.kind, Kind::Scalar { .. })) => {
            item(None, v, options, lints)
        }
        Kind::Seq(elems) => {
            let mut alts = Vec::with_capacity(elems.len());
            for e in elems {
                alts.push(search(e, options, lints)?);
            }
            Ok(one_or(alts, Expr::Or))
        }
        Kind::Scalar { .. } if v.is_null() => Err(refused(
            Why::Invalid,
            "a null value must be bound to a field",
        )),
        Kind::Scalar { .. } => item(None, v, options, lints),
    }
}

fn one_or(mut v: Vec<Expr>, many: fn(Vec<Expr>) -> Expr) -> Expr {
    if v.len() == 1 {
        v.pop().expect("one")
    } else {
        many(v)
    }
}

/// A scalar as Sigma types it.
#[derive(Clone, Debug)]
enum Raw {
    Null,
    Bool(bool),
    /// A plain scalar that is a JSON number, as written.
    Num(String),
    Str(String),
}

fn raw(n: &Node) -> Result<Raw, Refused> {
    match &n.kind {
        Kind::Scalar { .. } if n.is_null() => Ok(Raw::Null),
        Kind::Scalar { text, style } => {
            if let Some(b) = n.as_bool() {
                return Ok(Raw::Bool(b));
            }
            if *style == Style::Plain && string_as_number(text).is_some() {
                return Ok(Raw::Num(text.clone()));
            }
            Ok(Raw::Str(text.clone()))
        }
        _ => Err(refused(
            Why::Invalid,
            format!(
                "a value must be text, a number, a boolean or null, not {}",
                n.what()
            ),
        )),
    }
}

/// A value while its modifiers apply.
#[derive(Clone, Debug)]
enum V {
    Str {
        segs: Vec<Seg>,
        cased: bool,
    },
    Num(String),
    Bool(bool),
    Null,
    Re {
        source: String,
        i: bool,
        m: bool,
        s: bool,
    },
    Cidr(String),
    Cmp {
        op: &'static str,
        number: String,
    },
    Exists(bool),
}

/// A piece of a string value: a pattern part, or a placeholder (`expand`).
#[derive(Clone, Debug)]
enum Seg {
    Part(Part),
    Placeholder(String),
}

/// What the spec says of modifiers that rewrite values for other logs.
const FOREIGN: &[(&str, &str)] = &[
    ("windash", "rewrites Windows command-line flags"),
    ("base64", "looks for base64-encoded payloads"),
    ("base64offset", "looks for base64-encoded payloads"),
    ("utf16le", "looks for UTF-16 encoded payloads"),
    ("utf16be", "looks for UTF-16 encoded payloads"),
    ("utf16", "looks for UTF-16 encoded payloads"),
    ("wide", "looks for UTF-16 encoded payloads"),
];

const LATER: &[&str] = &["fieldref", "minute", "hour", "day", "week", "month", "year"];

/// One `field|modifiers: value(s)` (or a keyword item, `key` `None`).
fn item(
    key: Option<(&str, Pos)>,
    value: &Node,
    options: &LoadOptions,
    lints: &mut Vec<(Pos, String)>,
) -> Result<Expr, Refused> {
    let (field, mods): (Option<&str>, Vec<&str>) = match key {
        None => (None, Vec::new()),
        Some((k, _)) => {
            let mut it = k.split('|');
            let f = it.next().unwrap_or("");
            (Some(f).filter(|f| !f.is_empty()), it.collect())
        }
    };
    let shown = key.map_or("a keyword", |(k, _)| k);
    let fail = |m: String| refused(Why::Invalid, format!("`{shown}`: {m}"));
    if let Some(f) = field {
        if f.split('.').any(str::is_empty) {
            return Err(fail("a field name has an empty part".to_owned()));
        }
    }
    let raws: Vec<Raw> = match &value.kind {
        Kind::Seq(items) if items.is_empty() => vec![Raw::Null],
        Kind::Seq(items) => items.iter().map(raw).collect::<Result<_, _>>()?,
        _ => vec![raw(value)?],
    };
    let has_re = mods.contains(&"re");
    let mut vals: Vec<V> = raws
        .into_iter()
        .map(|r| match r {
            Raw::Null => V::Null,
            Raw::Bool(b) => V::Bool(b),
            Raw::Num(t) if has_re => V::Str {
                segs: vec![Seg::Part(Part::Text(t.into()))],
                cased: false,
            },
            Raw::Num(t) => V::Num(t),
            Raw::Str(s) if has_re => V::Str {
                segs: vec![Seg::Part(Part::Text(s.into()))],
                cased: false,
            },
            Raw::Str(s) => V::Str {
                segs: sigma_string(&s),
                cased: false,
            },
        })
        .collect();
    // The original texts, for `re` (which reads the value as written).
    let originals: Vec<Option<String>> = match &value.kind {
        Kind::Seq(items) => items
            .iter()
            .map(|n| n.as_str().map(str::to_owned))
            .collect(),
        _ => vec![value.as_str().map(str::to_owned)],
    };
    let mut all = false;
    let mut negated = false;
    for (applied, m) in mods.iter().enumerate() {
        if let Some((_, what)) = FOREIGN.iter().find(|(n, _)| n == m) {
            return Err(refused(
                Why::Unsupported,
                format!("`{shown}`: the `{m}` modifier {what}, which means nothing for Okta's JSON events"),
            ));
        }
        if LATER.contains(m) {
            return Err(refused(
                Why::Unsupported,
                format!("`{shown}`: the `{m}` modifier is not supported yet"),
            ));
        }
        match *m {
            "all" => all = true,
            "neq" => negated = true,
            "contains" | "startswith" | "endswith" => {
                for v in &mut vals {
                    match v {
                        V::Str { segs, .. } => {
                            let any = |s: &Seg| matches!(s, Seg::Part(Part::Any));
                            if *m != "startswith" && !segs.first().is_some_and(any) {
                                segs.insert(0, Seg::Part(Part::Any));
                            }
                            if *m != "endswith" && !segs.last().is_some_and(any) {
                                segs.push(Seg::Part(Part::Any));
                            }
                        }
                        V::Re { .. } => {
                            return Err(fail(format!(
                                "`{m}` after `re` is not supported (it depends on whether the engine anchors)"
                            )))
                        }
                        other => return Err(fail(format!("`{m}` applies to strings, not {}", what(other)))),
                    }
                }
            }
            "cased" => {
                for v in &mut vals {
                    match v {
                        V::Str { cased, .. } => *cased = true,
                        other => {
                            return Err(fail(format!(
                                "`cased` applies to strings, not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "re" => {
                if applied > 0 {
                    return Err(fail("`re` applies only to an unmodified value".to_owned()));
                }
                for (v, orig) in vals.iter_mut().zip(&originals) {
                    match (&*v, orig) {
                        (V::Str { .. }, Some(text)) => {
                            *v = V::Re {
                                source: text.clone(),
                                i: false,
                                m: false,
                                s: false,
                            }
                        }
                        (other, _) => {
                            return Err(fail(format!(
                                "`re` applies to strings, not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "i" | "ignorecase" | "m" | "multiline" | "s" | "dotall" => {
                for v in &mut vals {
                    match v {
                        V::Re { i, m: ml, s, .. } => match *m {
                            "i" | "ignorecase" => *i = true,
                            "m" | "multiline" => *ml = true,
                            _ => *s = true,
                        },
                        other => {
                            return Err(fail(format!(
                                "`{m}` is a flag of `re` and follows it, not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "cidr" => {
                if applied > 0 {
                    return Err(fail(
                        "`cidr` applies only to an unmodified value".to_owned(),
                    ));
                }
                for v in &mut vals {
                    match v {
                        V::Str { segs, .. } => {
                            let text = plain_text(segs);
                            Cidr::parse(&text).map_err(|e| fail(format!("`cidr`: {e}")))?;
                            *v = V::Cidr(text);
                        }
                        other => {
                            return Err(fail(format!(
                                "`cidr` applies to strings, not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "gt" | "gte" | "lt" | "lte" => {
                let op: &'static str = match *m {
                    "gt" => "gt",
                    "gte" => "gte",
                    "lt" => "lt",
                    _ => "lte",
                };
                for v in &mut vals {
                    match v {
                        V::Num(t) => {
                            *v = V::Cmp {
                                op,
                                number: t.clone(),
                            }
                        }
                        other => {
                            return Err(fail(format!(
                                "`{op}` applies to numbers (written without quotes), not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "exists" => {
                if field.is_none() {
                    return Err(fail("`exists` needs a field".to_owned()));
                }
                if applied > 0 {
                    return Err(fail(
                        "`exists` applies only to an unmodified value".to_owned(),
                    ));
                }
                for v in &mut vals {
                    match v {
                        V::Bool(b) => *v = V::Exists(*b),
                        other => {
                            return Err(fail(format!(
                                "`exists` takes true or false, not {}",
                                what(other)
                            )))
                        }
                    }
                }
            }
            "expand" => {
                let mut out = Vec::new();
                for v in vals {
                    match v {
                        V::Str { segs, cased } => {
                            for segs in expand(&placeholders(segs), options).map_err(|m| {
                                let mut r = refused(Why::Placeholder, format!("`{shown}`: {m}"));
                                r.help = Some(
                                    "give its values: --placeholder NAME=VALUE[,VALUE...] or --placeholders FILE"
                                        .to_owned(),
                                );
                                r
                            })? {
                                out.push(V::Str { segs, cased });
                            }
                        }
                        V::Re { .. } => {
                            return Err(refused(
                                Why::Unsupported,
                                format!("`{shown}`: `expand` in a regular expression is not supported yet"),
                            ))
                        }
                        other => return Err(fail(format!("`expand` applies to strings, not {}", what(&other)))),
                    }
                }
                vals = out;
            }
            other => {
                return Err(fail(format!("unknown modifier `{other}`")));
            }
        }
    }
    if field.is_none() {
        if let Some(v) = vals
            .iter()
            .find(|v| matches!(v, V::Null | V::Cmp { .. } | V::Exists(_)))
        {
            return Err(fail(format!("a keyword cannot be {}", what(v))));
        }
    }
    let mut exprs = Vec::with_capacity(vals.len());
    for v in vals {
        let value = match v {
            V::Str { segs, cased } => Val::Pattern {
                parts: segs
                    .into_iter()
                    .map(|s| match s {
                        Seg::Part(p) => p,
                        // `expand` has filled them (or failed).
                        Seg::Placeholder(name) => Part::Text(format!("%{name}%").into()),
                    })
                    .collect(),
                cased,
            },
            V::Num(t) => Val::Pattern {
                parts: vec![Part::Text(t.into())],
                cased: false,
            },
            V::Bool(b) => Val::Pattern {
                parts: vec![Part::Text(if b { "true" } else { "false" }.into())],
                cased: false,
            },
            V::Null => Val::Null,
            V::Re { source, i, m, s } => {
                Re::new(&source, i, m, s).map_err(|e| {
                    refused(
                        Why::Regex,
                        format!(
                            "`{shown}`: the regular expression `{source}` does not compile: {e}"
                        ),
                    )
                })?;
                Val::Re { source, i, m, s }
            }
            V::Cidr(c) => Val::Cidr(c),
            V::Cmp { op, number } => Val::Cmp { op, number },
            V::Exists(b) => Val::Exists(b),
        };
        if let (Some(f), Some((_, pos))) = (field, key) {
            lints.push((pos, lint_text(f, &value)));
        }
        exprs.push(Expr::Item {
            field: field.map(str::to_owned),
            value,
        });
    }
    let linked = one_or(exprs, if all { Expr::And } else { Expr::Or });
    Ok(if negated {
        Expr::Not(Box::new(linked))
    } else {
        linked
    })
}

/// The filter text whose lint speaks for this field and value.
fn lint_text(field: &str, value: &Val) -> String {
    if let Val::Pattern { parts, .. } = value {
        if let [Part::Text(t)] = parts.as_slice() {
            let mut q = String::new();
            let _ = crate::json::write_string(&mut q, t);
            return format!("{field} eq {q}");
        }
    }
    format!("{field} pr")
}

fn what(v: &V) -> String {
    match v {
        V::Str { .. } => "a string".to_owned(),
        V::Num(t) => format!("the number {t}"),
        V::Bool(b) => format!("the boolean {b}"),
        V::Null => "null".to_owned(),
        V::Re { .. } => "a regular expression".to_owned(),
        V::Cidr(_) => "a network".to_owned(),
        V::Cmp { .. } => "a comparison".to_owned(),
        V::Exists(_) => "`exists`".to_owned(),
    }
}

/// Reads a Sigma string: `*` and `?` wildcards, `\` escaping `*`, `?` and
/// itself; a backslash before anything else (or at the end) is itself.
fn sigma_string(s: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut acc = String::new();
    let mut cs = s.chars().peekable();
    while let Some(c) = cs.next() {
        match c {
            '\\' => match cs.peek() {
                Some(&n @ ('*' | '?' | '\\')) => {
                    acc.push(n);
                    cs.next();
                }
                _ => acc.push('\\'),
            },
            '*' | '?' => {
                if !acc.is_empty() {
                    out.push(Seg::Part(Part::Text(std::mem::take(&mut acc).into())));
                }
                out.push(Seg::Part(if c == '*' { Part::Any } else { Part::One }));
            }
            c => acc.push(c),
        }
    }
    if !acc.is_empty() {
        out.push(Seg::Part(Part::Text(acc.into())));
    }
    out
}

/// The text of a value without wildcards (for `cidr`): wildcards as
/// written.
fn plain_text(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Part(Part::Text(t)) => out.push_str(t),
            Seg::Part(Part::Any) => out.push('*'),
            Seg::Part(Part::One) => out.push('?'),
            Seg::Placeholder(n) => {
                let _ = write!(out, "%{n}%");
            }
        }
    }
    out
}

/// `expand`: `%name%` in the text parts becomes a placeholder (a name with
/// no `\` or `%`); `\%` is a plain `%`.
fn placeholders(segs: Vec<Seg>) -> Vec<Seg> {
    let mut out = Vec::new();
    for seg in segs {
        let Seg::Part(Part::Text(t)) = seg else {
            out.push(seg);
            continue;
        };
        let mut acc = String::new();
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' && chars.get(i + 1) == Some(&'%') {
                acc.push('%');
                i += 2;
                continue;
            }
            if c == '%' {
                if let Some(len) = chars[i + 1..].iter().position(|&x| x == '%') {
                    let name: String = chars[i + 1..i + 1 + len].iter().collect();
                    if len > 0 && !name.contains('\\') {
                        if !acc.is_empty() {
                            out.push(Seg::Part(Part::Text(std::mem::take(&mut acc).into())));
                        }
                        out.push(Seg::Placeholder(name));
                        i += len + 2;
                        continue;
                    }
                }
            }
            acc.push(c);
            i += 1;
        }
        if !acc.is_empty() {
            out.push(Seg::Part(Part::Text(acc.into())));
        }
    }
    out
}

/// Every filling of the placeholders (each value read as a Sigma string);
/// at most [`MAX_EXPANSIONS`].
fn expand(segs: &[Seg], options: &LoadOptions) -> Result<Vec<Vec<Seg>>, String> {
    let mut out: Vec<Vec<Seg>> = vec![Vec::new()];
    for s in segs {
        match s {
            Seg::Part(_) => out.iter_mut().for_each(|o| o.push(s.clone())),
            Seg::Placeholder(name) => {
                let values = options
                    .placeholder_values(name)
                    .ok_or_else(|| format!("the placeholder `%{name}%` has no values"))?;
                if out.len() * values.len() > MAX_EXPANSIONS {
                    return Err(format!(
                        "the placeholders expand to more than {MAX_EXPANSIONS} values"
                    ));
                }
                let mut next = Vec::with_capacity(out.len() * values.len());
                for o in &out {
                    for v in values {
                        let mut o = o.clone();
                        o.extend(sigma_string(v));
                        next.push(o);
                    }
                }
                out = next;
            }
        }
    }
    Ok(out)
}

/// pySigma's limit on the values placeholders expand to.
const MAX_EXPANSIONS: usize = 200;

/// A parsed condition, before identifiers are resolved.
#[derive(Clone, Debug)]
enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Ident(String),
    /// `1 of`/`any of` (false) or `all of` (true) a pattern or `them`.
    Of {
        all: bool,
        pattern: String,
    },
}

impl Cond {
    fn parse(text: &str) -> Result<Cond, String> {
        if text.contains('|') {
            return Err(
                "aggregation (`| count()`...) is the old form of correlation rules: not supported"
                    .to_owned(),
            );
        }
        let mut toks = Vec::new();
        let mut cs = text.char_indices().peekable();
        while let Some(&(i, c)) = cs.peek() {
            if c.is_whitespace() {
                cs.next();
            } else if c == '(' || c == ')' {
                toks.push(c.to_string());
                cs.next();
            } else if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '*') {
                let mut w = String::new();
                while let Some(&(_, c)) = cs.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '*') {
                        w.push(c);
                        cs.next();
                    } else {
                        break;
                    }
                }
                toks.push(w);
            } else {
                return Err(format!(
                    "unexpected `{c}` at column {}",
                    text[..i].chars().count() + 1
                ));
            }
        }
        let mut p = CondParser { toks, at: 0 };
        let c = p.or()?;
        if let Some(t) = p.toks.get(p.at) {
            return Err(format!("unexpected `{t}`"));
        }
        Ok(c)
    }

    fn resolve(&self, searches: &[(String, Expr)]) -> Result<Expr, String> {
        Ok(match self {
            Cond::And(cs) => Expr::And(
                cs.iter()
                    .map(|c| c.resolve(searches))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Or(cs) => Expr::Or(
                cs.iter()
                    .map(|c| c.resolve(searches))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(c) => Expr::Not(Box::new(c.resolve(searches)?)),
            Cond::Ident(name) => searches
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, e)| e.clone())
                .ok_or_else(|| format!("`{name}` is not a search identifier of `detection`"))?,
            Cond::Of { all, pattern } => {
                let matched: Vec<Expr> = searches
                    .iter()
                    .filter(|(n, _)| {
                        let glob = if pattern == "them" { "*" } else { pattern };
                        ident_matches(glob, n) && (glob.starts_with('_') || !n.starts_with('_'))
                    })
                    .map(|(_, e)| e.clone())
                    .collect();
                if matched.is_empty() {
                    let q = if *all { "all" } else { "1" };
                    return Err(format!("`{q} of {pattern}` names no search identifier"));
                }
                one_or(matched, if *all { Expr::And } else { Expr::Or })
            }
        })
    }
}

/// `*` is any run of characters; the rest compares exactly.
fn ident_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<Part> = pattern
        .split_inclusive('*')
        .flat_map(|p| {
            let (t, star) = match p.strip_suffix('*') {
                Some(t) => (t, true),
                None => (p, false),
            };
            let mut v = vec![Part::Text(t.into())];
            if star {
                v.push(Part::Any);
            }
            v
        })
        .collect();
    Pattern::new(parts, false).matches(name, &mut String::new())
}

struct CondParser {
    toks: Vec<String>,
    at: usize,
}

impl CondParser {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.at).map(String::as_str)
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.and()?];
        while self.peek() == Some("or") {
            self.at += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.pop().expect("one")
        } else {
            Cond::Or(v)
        })
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.not()?];
        while self.peek() == Some("and") {
            self.at += 1;
            v.push(self.not()?);
        }
        Ok(if v.len() == 1 {
            v.pop().expect("one")
        } else {
            Cond::And(v)
        })
    }

    fn not(&mut self) -> Result<Cond, String> {
        if self.peek() == Some("not") {
            self.at += 1;
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Cond, String> {
        let Some(t) = self.peek().map(str::to_owned) else {
            return Err("the condition ends where an identifier was expected".to_owned());
        };
        self.at += 1;
        match t.as_str() {
            "(" => {
                let c = self.or()?;
                if self.peek() != Some(")") {
                    return Err("a `(` is not closed".to_owned());
                }
                self.at += 1;
                Ok(c)
            }
            ")" | "and" | "or" | "of" => {
                Err(format!("unexpected `{t}` where an identifier was expected"))
            }
            "1" | "any" | "all" if self.peek() == Some("of") => {
                self.at += 1;
                let Some(pattern) = self.peek().map(str::to_owned) else {
                    return Err(format!("`{t} of` names no pattern"));
                };
                if pattern == "(" || pattern == ")" || pattern.contains('-') {
                    return Err(format!(
                        "`{t} of` needs a pattern of letters, digits, `_` and `*`, not `{pattern}`"
                    ));
                }
                self.at += 1;
                Ok(Cond::Of {
                    all: t == "all",
                    pattern,
                })
            }
            _ if t.contains('*') => Err(format!(
                "`{t}`: a pattern needs `1 of` or `all of` before it"
            )),
            _ => Ok(Cond::Ident(t)),
        }
    }
}

/// The tree as IR. `force_ignore_case`: every comparison ignores case
/// (`LoadOptions::ignore_case`).
fn lower(e: &Expr, force_ignore_case: bool) -> ir::Node {
    let all = |es: &[Expr]| es.iter().map(|e| lower(e, force_ignore_case)).collect();
    match e {
        Expr::And(es) => ir::Node::And(all(es)),
        Expr::Or(es) => ir::Node::Or(all(es)),
        Expr::Not(e) => ir::Node::Not(Box::new(lower(e, force_ignore_case))),
        Expr::Item { field, value } => {
            let (test, negate) = test(value, field.is_none(), force_ignore_case);
            let node = match field {
                Some(f) => ir::Node::Leaf(Leaf {
                    path: f.split('.').map(Into::into).collect(),
                    test: Arc::new(test),
                }),
                None => ir::Node::Anywhere(Arc::new(test)),
            };
            if negate {
                ir::Node::Not(Box::new(node))
            } else {
                node
            }
        }
    }
}

/// The test of a value, and whether the leaf is negated (`exists: false`).
/// A keyword's pattern is looked for inside the value (`*` around it).
fn test(v: &Val, keyword: bool, force_ignore_case: bool) -> (Test, bool) {
    match v {
        Val::Pattern { parts, cased } => {
            let mut parts = parts.clone();
            if keyword {
                if parts.first() != Some(&Part::Any) {
                    parts.insert(0, Part::Any);
                }
                if parts.last() != Some(&Part::Any) {
                    parts.push(Part::Any);
                }
            }
            (
                Test::Like(Pattern::new(parts, !cased || force_ignore_case)),
                false,
            )
        }
        Val::Null => (Test::EqNull, false),
        Val::Re { source, i, m, s } => (
            Test::Regex(Box::new(
                Re::new(source, *i || force_ignore_case, *m, *s).expect("compiled when read"),
            )),
            false,
        ),
        Val::Cidr(c) => (Test::Cidr(Cidr::parse(c).expect("parsed when read")), false),
        Val::Cmp { op, number } => {
            let n = Num::parse(number).expect("a JSON number when read");
            let accept = match *op {
                "gt" => [false, false, true],
                "gte" => [false, true, true],
                "lt" => [true, false, false],
                _ => [true, true, false],
            };
            (Test::Order(Lit::Num(n), accept), false)
        }
        Val::Exists(b) => (Test::Exists, !b),
    }
}

/// The canonical text of a tree: `and`/`or`/`not` with the parentheses
/// needed, items as `field|test:value`.
pub(crate) fn canonical(e: &Expr) -> String {
    fn go(e: &Expr, out: &mut String, parent: u8) {
        // 0: top, 1: or, 2: and, 3: not
        match e {
            Expr::Or(es) | Expr::And(es) => {
                let (me, word) = if matches!(e, Expr::Or(_)) {
                    (1, " or ")
                } else {
                    (2, " and ")
                };
                let paren = parent > me;
                if paren {
                    out.push('(');
                }
                for (i, x) in es.iter().enumerate() {
                    if i > 0 {
                        out.push_str(word);
                    }
                    go(x, out, me);
                }
                if paren {
                    out.push(')');
                }
            }
            Expr::Not(x) => {
                out.push_str("not ");
                go(x, out, 3);
            }
            Expr::Item { field, value } => {
                out.push_str(field.as_deref().unwrap_or("*"));
                out.push_str(&value_text(value));
            }
        }
    }
    let mut out = String::new();
    go(e, &mut out, 0);
    out
}

fn value_text(v: &Val) -> String {
    let q = |s: &str| {
        let mut out = String::new();
        let _ = crate::json::write_string(&mut out, s);
        out
    };
    match v {
        Val::Pattern { parts, cased } => format!(
            "{}: {}",
            if *cased { "|cased" } else { "" },
            q(&crate::explain::pattern_text(parts))
        ),
        Val::Null => ": null".to_owned(),
        Val::Re { source, i, m, s } => {
            let mut flags = String::new();
            for (on, f) in [(i, "|i"), (m, "|m"), (s, "|s")] {
                if *on {
                    flags.push_str(f);
                }
            }
            format!("|re{flags}: {}", q(source))
        }
        Val::Cidr(c) => format!("|cidr: {c}"),
        Val::Cmp { op, number } => format!("|{op}: {number}"),
        Val::Exists(b) => format!("|exists: {b}"),
    }
}

/// The tree as JSON, for the differential test against pySigma's parse:
/// `{"and": [...]}`, `{"or": [...]}`, `{"not": x}`, and items as
/// `{"field": F or null, "value": V}` with V one of `{"string": [parts],
/// "cased": b}` (parts: text, or `{"wildcard": "*"}`/`{"wildcard": "?"}`),
/// `{"null": true}`, `{"re": S, "flags": "ims"}`, `{"cidr": C}`,
/// `{"compare": OP, "number": N}`, `{"exists": b}`.
pub(crate) fn to_json(e: &Expr) -> serde_json::Value {
    use serde_json::json;
    match e {
        Expr::And(es) => json!({ "and": es.iter().map(to_json).collect::<Vec<_>>() }),
        Expr::Or(es) => json!({ "or": es.iter().map(to_json).collect::<Vec<_>>() }),
        Expr::Not(x) => json!({ "not": to_json(x) }),
        Expr::Item { field, value } => {
            let v = match value {
                Val::Pattern { parts, cased } => json!({
                    "string": parts.iter().map(|p| match p {
                        Part::Text(t) => json!(t.as_ref()),
                        Part::Any => json!({"wildcard": "*"}),
                        Part::One => json!({"wildcard": "?"}),
                    }).collect::<Vec<_>>(),
                    "cased": cased,
                }),
                Val::Null => json!({ "null": true }),
                Val::Re { source, i, m, s } => {
                    let mut flags = String::new();
                    for (on, f) in [(i, 'i'), (m, 'm'), (s, 's')] {
                        if *on {
                            flags.push(f);
                        }
                    }
                    json!({ "re": source, "flags": flags })
                }
                Val::Cidr(c) => json!({ "cidr": c }),
                Val::Cmp { op, number } => json!({ "compare": op, "number": number }),
                Val::Exists(b) => json!({ "exists": b }),
            };
            json!({ "field": field, "value": v })
        }
    }
}

/// The filter in Okta's language that selects what the detection selects,
/// and whether it runs ignoring case; or why there is none. Exact for
/// string values; Okta's `co`/`sw`/`ew` do not look at numbers and
/// booleans, which a Sigma value matches by their text.
pub(crate) fn okta_filter(e: &Expr) -> Result<(String, bool), String> {
    let mut case: Option<bool> = None;
    let text = okta(e, &mut case, 0)?;
    let ignore_case = case.unwrap_or(true);
    crate::Filter::builder()
        .ignore_case(ignore_case)
        .parse(&text)
        .map_err(|e| format!("the filter written does not parse ({})", e.message()))?;
    Ok((text, ignore_case))
}

fn okta(e: &Expr, case: &mut Option<bool>, parent: u8) -> Result<String, String> {
    Ok(match e {
        Expr::Or(es) | Expr::And(es) => {
            let (me, word) = if matches!(e, Expr::Or(_)) {
                (1, " or ")
            } else {
                (2, " and ")
            };
            let parts = es
                .iter()
                .map(|x| okta(x, case, me))
                .collect::<Result<Vec<_>, _>>()?;
            let joined = parts.join(word);
            if parent > me {
                format!("({joined})")
            } else {
                joined
            }
        }
        Expr::Not(x) => format!("not ({})", okta(x, case, 0)?),
        Expr::Item { field: None, .. } => {
            return Err(
                "a keyword selection: Okta's keywords (`q`) match whole words, not parts of values"
                    .to_owned(),
            )
        }
        Expr::Item {
            field: Some(f),
            value,
        } => {
            let valid = f.split('.').all(|n| {
                let mut cs = n.chars();
                cs.next().is_some_and(crate::parse::is_name_start)
                    && cs.all(crate::parse::is_name_char)
            }) && !f
                .split('.')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("not"));
            if !valid {
                return Err(format!(
                    "the field `{f}` is not a path Okta's language can write"
                ));
            }
            let q = |s: &str| {
                let mut out = String::new();
                let _ = crate::json::write_string(&mut out, s);
                out
            };
            match value {
                Val::Pattern { parts, cased } => {
                    let ic = !cased;
                    if case.is_some_and(|c| c != ic) {
                        return Err("the rule mixes `cased` and case-insensitive values; an Okta filter has one case option".to_owned());
                    }
                    *case = Some(ic);
                    let text = |t: &str| -> Result<String, String> {
                        if crate::Timestamp::parse(t).is_ok() {
                            return Err(format!(
                                "`{t}` is a date-time, which Okta's `eq` compares as an instant"
                            ));
                        }
                        if ic && t.eq_ignore_ascii_case("true") && t != "true"
                            || ic && t.eq_ignore_ascii_case("false") && t != "false"
                        {
                            return Err(format!(
                                "`{t}` matches a boolean ignoring case, which Okta's `eq` does not"
                            ));
                        }
                        Ok(q(t))
                    };
                    match parts.as_slice() {
                        [] => format!("{f} eq \"\""),
                        [Part::Text(t)] => format!("{f} eq {}", text(t)?),
                        [Part::Text(t), Part::Any] => format!("{f} sw {}", q(t)),
                        [Part::Any, Part::Text(t)] => format!("{f} ew {}", q(t)),
                        [Part::Any, Part::Text(t), Part::Any] => format!("{f} co {}", q(t)),
                        _ => {
                            return Err(format!(
                                "the value `{}` of `{f}` has wildcards inside it, which Okta's language does not have",
                                crate::explain::pattern_text(parts)
                            ))
                        }
                    }
                }
                Val::Null => format!("{f} eq null"),
                Val::Cmp { op, number } => {
                    let op = match *op {
                        "gte" => "ge",
                        "lte" => "le",
                        o => o,
                    };
                    format!("{f} {op} {number}")
                }
                Val::Re { .. } => {
                    return Err(format!(
                        "`{f}|re`: Okta's language has no regular expressions"
                    ))
                }
                Val::Cidr(_) => return Err(format!("`{f}|cidr`: Okta's language has no networks")),
                Val::Exists(_) => {
                    return Err(format!(
                        "`{f}|exists`: Okta's `pr` also needs the value not null, \"\" or {{}}"
                    ))
                }
            }
        }
    })
}
