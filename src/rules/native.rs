//! oktaql's own rule format: the filter at the top level.
//!
//! ```yaml
//! title: AD import started by hand
//! id: ad-import-manual
//! level: medium
//! filter: eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"
//! ```

use super::yaml::{Node, Pos};
use super::{filter_text, optional_str, refused, required_str, Format, Level, Refused, Spec, Why};

/// The keys of the format; any other is a warning.
pub(super) const KEYS: &[&str] = &[
    "title",
    "id",
    "level",
    "filter",
    "ignore_case",
    "keywords",
    "description",
    "references",
    "author",
    "created_date",
    "modified_date",
    "date",
    "modified",
    "status",
    "tags",
    "threat",
    "prevention",
    "false_positives",
];

pub(super) fn read(root: &Node) -> Result<Spec, Refused> {
    let id = required_str(root, "id")?;
    let title = required_str(root, "title")?;
    if root.get("aggregate").is_some() {
        return Err(refused(
            Why::Unsupported,
            "`aggregate` (counting events over time windows) is not supported by this version",
        ));
    }
    let level = match optional_str(root, "level")? {
        None => None,
        Some(l) => Some(
            l.parse::<Level>()
                .map_err(|e| refused(Why::Invalid, e.to_string()))?,
        ),
    };
    let node = root
        .get("filter")
        .expect("the format is chosen by `filter`");
    let (text, place) = filter_text(node).ok_or_else(|| {
        refused(
            Why::Invalid,
            format!("`filter` must be the filter's text, not {}", node.what()),
        )
    })?;
    let ignore_case = match root.get("ignore_case") {
        None => false,
        Some(n) if n.is_null() => false,
        Some(n) => n.as_bool().ok_or_else(|| {
            refused(
                Why::Invalid,
                format!("`ignore_case` must be true or false, not {}", shown(n)),
            )
        })?,
    };
    let keywords = optional_str(root, "keywords")?;
    if text.is_empty() && keywords.is_none() {
        return Err(refused(Why::Invalid, "`filter` is empty"));
    }
    let mut warnings = Vec::new();
    for (k, _) in root.as_map().unwrap_or_default() {
        let name = k.as_str().unwrap_or("");
        if !KEYS.contains(&name) {
            warnings.push((
                Pos {
                    line: k.pos.line,
                    col: k.pos.col,
                },
                "unknown-key".to_owned(),
                format!("oktaql's rule format has no key `{name}`; it is ignored"),
            ));
        }
    }
    Ok(Spec {
        id,
        title,
        level,
        status: optional_str(root, "status").unwrap_or(None),
        description: optional_str(root, "description").unwrap_or(None),
        format: Format::Oktaql,
        text,
        place,
        ignore_case,
        keywords,
        warnings,
        sigma: None,
    })
}

fn shown(n: &Node) -> String {
    match n.as_str() {
        Some(s) => format!("`{s}`"),
        None => n.what().to_owned(),
    }
}
