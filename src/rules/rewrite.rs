//! Rewrites that make a filter written in a near-miss of Okta's language
//! parse: what rule catalogues write and Okta's grammar does not have.
//!
//! - `PATH in [V, ...]` (a list test some SIEMs have) is the `or` of
//!   `PATH eq V`s, in parentheses.
//! - A numeric path segment (`target.0.displayName`) does not index an
//!   array in Okta's language; a path through an array already tests every
//!   element, so the segment is dropped (`target.displayName`). That is
//!   wider than "the first element": the help says so.
//!
//! A rewrite is only offered when the rewritten filter parses.

use crate::{Filter, ParseErrorKind};

/// How many fixes one filter may receive (each fix removes one error).
const MAX_FIXES: usize = 64;

/// The rewritten filter and what was changed, when rewriting makes
/// `text` parse.
pub(crate) fn suggest(text: &str) -> Option<(String, String)> {
    let mut current = text.to_owned();
    let mut what: Vec<&'static str> = Vec::new();
    for _ in 0..MAX_FIXES {
        let err = match Filter::parse(&current) {
            Ok(_) => {
                return (!what.is_empty()).then(|| {
                    what.dedup();
                    (current, what.join("; "))
                })
            }
            Err(e) => e,
        };
        let at = err.offset();
        let fixed = match err.kind() {
            ParseErrorKind::InvalidAttribute => drop_index(&current, at).map(|t| {
                (
                    t,
                    "a path has no array index in Okta's language; a path through an array \
                     tests every element",
                )
            }),
            ParseErrorKind::ExpectedOperator => in_list(&current, at)
                .map(|t| (t, "Okta's language has no `in`; write the `or` of `eq`s")),
            _ => None,
        };
        let (t, w) = fixed?;
        current = t;
        what.push(w);
    }
    None
}

/// `a.0.b` (the error at the `0`) as `a.b`.
fn drop_index(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !text[..at].ends_with('.') {
        return None;
    }
    let after = &rest[digits..];
    // `a.0.b` drops `.0`; `a.0 eq` (index last) drops `.0` too.
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..at - 1]);
    out.push_str(after);
    Some(out)
}

/// `p in ["x", "y"]` (the error at `in`) as `(p eq "x" or p eq "y")`.
fn in_list(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let after_in = rest
        .strip_prefix("in")
        .or_else(|| rest.strip_prefix("IN"))?;
    // The path: the word before the operator.
    let before = text[..at].trim_end();
    let path_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| i + 1);
    let path = &before[path_start..];
    if path.is_empty() {
        return None;
    }
    let list = after_in.trim_start();
    let list_at = text.len() - list.len();
    let body = list.strip_prefix('[')?;
    let (values, end) = literals(body)?;
    if values.is_empty() {
        return None;
    }
    let end = list_at + 1 + end;
    let or = values
        .iter()
        .map(|v| format!("{path} eq {v}"))
        .collect::<Vec<_>>()
        .join(" or ");
    Some(format!("{}({or}){}", &text[..path_start], &text[end..]))
}

/// The comma-separated literals of a list up to its `]`, and the offset
/// just past the `]`.
fn literals(body: &str) -> Option<(Vec<&str>, usize)> {
    let b = body.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b']' if out.is_empty() => return Some((out, i + 1)),
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push(&body[start..i]);
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b',' | b']') && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if start == i {
                    return None;
                }
                out.push(&body[start..i]);
            }
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b',' => i += 1,
            b']' => return Some((out, i + 1)),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn in_lists_become_ors() {
        let (t, _) = suggest(
            r#"eventType in ["system.api_token.create", "system.api_token.update"] AND debugContext.debugData.networkConnection eq "ANYWHERE""#,
        )
        .unwrap();
        assert_eq!(
            t,
            r#"(eventType eq "system.api_token.create" or eventType eq "system.api_token.update") AND debugContext.debugData.networkConnection eq "ANYWHERE""#
        );
    }

    #[test]
    fn indexes_are_dropped() {
        let (t, why) =
            suggest(r#"eventType eq "x" AND target.0.displayName eq "Reset passwords""#).unwrap();
        assert_eq!(
            t,
            r#"eventType eq "x" AND target.displayName eq "Reset passwords""#
        );
        assert!(why.contains("every element"));
        let (t, _) = suggest(r#"target.12.id eq "a" and actor.id in ["b"]"#).unwrap();
        assert_eq!(t, r#"target.id eq "a" and (actor.id eq "b")"#);
    }

    #[test]
    fn nothing_to_offer() {
        assert_eq!(suggest(r#"eventType eq "a""#), None);
        assert_eq!(suggest(r#"eventType eq"#), None);
        assert_eq!(suggest(r#"eventType in [1, "#), None);
        assert_eq!(suggest(r#"in ["a"]"#), None);
    }
}
