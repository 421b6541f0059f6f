//! YAML documents with the place of every node, for rule files.
//!
//! A thin layer over `saphyr-parser`'s event stream (YAML 1.2, positions
//! for every event): each document becomes a small tree of [`Node`]s, each
//! with its line and column, so that a rule's problems can be placed in its
//! file. Scalars keep their text and style (a plain `true` and a quoted
//! `'true'` differ); nothing else of YAML's typing is applied here.
//!
//! Limits, so that a hostile file costs little: aliases (`*name`) are
//! refused (no expansion, so no "billion laughs"), nesting deeper than
//! [`MAX_DEPTH`] is refused, and a document is parsed iteratively.

use std::borrow::Cow;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// The deepest nesting of mappings and sequences a rule file may have.
pub(crate) const MAX_DEPTH: usize = 64;

/// A place in a file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Quoted,
    /// `|`: its lines are the file's lines; `pos` is where its first
    /// non-blank line's text starts.
    Literal,
    /// `>`: lines folded.
    Folded,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Scalar {
        text: String,
        style: Style,
    },
    #[allow(dead_code)] // read by formats whose values are lists (Sigma)
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML node and where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

/// A YAML document and the line where its content starts (after its
/// `---`, if any).
#[derive(Debug)]
pub(crate) struct Document {
    pub root: Node,
    pub line: usize,
}

/// A file that is not valid YAML (or that this layer refuses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain scalar YAML reads as null: empty, `~`, `null`.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, style: Style::Plain }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A plain `true` or `false` (YAML 1.2's core schema spellings).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar {
                text,
                style: Style::Plain,
            } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The members of a mapping, if this is one.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// What kind of node this is, in a word, for messages.
    pub fn what(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "null",
            Kind::Scalar { .. } => "a scalar",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// Parses every document of `text`.
pub(crate) fn documents(text: &str) -> Result<Vec<Document>, YamlError> {
    enum Open {
        Seq(Vec<Node>, Pos),
        Map(Vec<(Node, Node)>, Option<Node>, Pos),
    }
    let mut docs = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            pos: Pos {
                line: e.marker().line(),
                col: e.marker().col() + 1,
            },
            message: e.info().to_owned(),
        })?;
        let pos = start(&span);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => continue,
            Event::DocumentEnd => {
                if let Some(root) = root.take() {
                    docs.push(Document {
                        line: root.pos.line,
                        root,
                    });
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(YamlError {
                    pos,
                    message: "YAML aliases (`*name`) are not supported in rule files".into(),
                })
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        pos,
                        message: format!("nested deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new(), pos)
                } else {
                    Open::Map(Vec::new(), None, pos)
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, pos)) => Node {
                    kind: Kind::Seq(items),
                    pos,
                },
                _ => unreachable!("the parser pairs sequence events"),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(members, _, pos)) => Node {
                    kind: Kind::Map(members),
                    pos,
                },
                _ => unreachable!("the parser pairs mapping events"),
            },
            Event::Scalar(text, style, _, _) => Node {
                kind: Kind::Scalar {
                    text: Cow::into_owned(text),
                    style: match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                    },
                },
                pos,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(members, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => members.push((k, node)),
            },
        }
    }
    Ok(docs)
}

fn start(span: &Span) -> Pos {
    Pos {
        line: span.start.line(),
        col: span.start.col() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_styles() {
        let text = "title: a\nid: 'x'\ndetection:\n  OIE: |\n    eventType pr\n---\nn: ~\n";
        let docs = documents(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].line, 1);
        assert_eq!(docs[1].line, 7);
        let root = &docs[0].root;
        let title = root.get("title").unwrap();
        assert_eq!(title.as_str(), Some("a"));
        assert_eq!(title.pos, Pos { line: 1, col: 8 });
        assert!(matches!(
            root.get("id").unwrap().kind,
            Kind::Scalar {
                style: Style::Quoted,
                ..
            }
        ));
        let oie = root.get("detection").unwrap().get("OIE").unwrap();
        assert_eq!(oie.as_str(), Some("eventType pr\n"));
        assert!(matches!(
            oie.kind,
            Kind::Scalar {
                style: Style::Literal,
                ..
            }
        ));
        // A block scalar starts where its text does.
        assert_eq!(oie.pos, Pos { line: 5, col: 5 });
        assert!(docs[1].root.get("n").unwrap().is_null());
    }

    #[test]
    fn errors_are_placed() {
        let e = documents("a: [1, 2\nb: c\n").unwrap_err();
        assert!(e.pos.line >= 1, "{e:?}");
        let e = documents("a: &x [1]\nb: *x\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("aliases"));
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(documents(&deep)
            .unwrap_err()
            .message
            .contains("nested deeper"));
    }
}
