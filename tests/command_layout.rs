//! The files of the command (`src/bin/oktaql/*.rs`) import each other without
//! a circle: each subcommand's file reads the shared option groups, never the
//! file that chooses the subcommand, so a new subcommand is one more file.
//!
//! The graph is read from the source text: in a file, a path that starts
//! with `crate::NAME` or with a bare `NAME::` (how main.rs, the crate root,
//! names its modules) where NAME is another file of the command is an edge
//! to that file; `crate::item` for an item that is not a module names
//! main.rs. Comment lines are left out; test modules count (a test that
//! imports back is a circle too).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s.bytes().position(|b| !is_ident(b)).unwrap_or(s.len());
    &s[..end]
}

/// The names a `use crate::{...}` group imports first: `a::B, c, d::{E}`
/// gives a, c, d.
fn group_heads(s: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    start = true;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => start = true,
            c if c.is_whitespace() => {}
            _ if depth == 1 && start => {
                heads.push(ident(&s[i..]));
                start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The files `text` (the file `me`) refers to, among `modules`.
fn edges(me: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    let mut out = BTreeSet::new();
    let mut add = |name: &str| {
        let target = if modules.contains(name) { name } else { "main" };
        if target != me && !name.is_empty() && name != "self" && name != "super" {
            out.insert(target.to_owned());
        }
    };
    let mut i = 0;
    while let Some(at) = code[i..].find("crate::") {
        let at = i + at;
        let prefixed = at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':');
        let rest = &code[at + "crate::".len()..];
        if !prefixed {
            if rest.starts_with('{') {
                group_heads(rest).into_iter().for_each(&mut add);
            } else {
                add(ident(rest));
            }
        }
        i = at + 1;
    }
    // Bare `NAME::` at the start of a path.
    for name in modules {
        let pat = format!("{name}::");
        let mut i = 0;
        while let Some(at) = code[i..].find(&pat) {
            let at = i + at;
            let prefixed = at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':');
            if !prefixed {
                add(name);
            }
            i = at + 1;
        }
    }
    out
}

fn graph() -> Graph {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/oktaql");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(name, text)| (name.clone(), edges(name, text, &modules)))
        .collect()
}

/// A circle in `g`, as the files along it, if there is one.
fn circle(g: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    fn visit(
        g: &Graph,
        n: &str,
        state: &mut BTreeMap<String, State>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), State::Open);
        path.push(n.to_owned());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(State::New) {
                State::Open => {
                    let from = path.iter().position(|p| p == m).unwrap();
                    let mut c = path[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                State::New => {
                    if let Some(c) = visit(g, m, state, path) {
                        return Some(c);
                    }
                }
                State::Done => {}
            }
        }
        path.pop();
        state.insert(n.to_owned(), State::Done);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n).copied().unwrap_or(State::New) == State::New {
            if let Some(c) = visit(g, n, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn show(g: &Graph) -> String {
    g.iter()
        .map(|(n, e)| {
            format!(
                "{n} -> {}\n",
                e.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

#[test]
fn the_command_files_import_each_other_without_a_circle() {
    let g = graph();
    // The reading works: main.rs reaches the subcommand choice, and the
    // filtering command reads events through the reader threads.
    assert!(g["main"].contains("args"), "{}", show(&g));
    assert!(g["run"].contains("input"), "{}", show(&g));
    if let Some(c) = circle(&g) {
        panic!("a circle: {}\n{}", c.join(" -> "), show(&g));
    }
    // The graph, for `cargo test --test command_layout -- --nocapture`.
    print!("{}", show(&g));
}

#[test]
fn the_reading_of_the_source_finds_circles() {
    let modules: BTreeSet<String> = ["main", "a", "b", "c"].map(String::from).into();
    let a = "use crate::b::X;\n// crate::c::Y in a comment\nfn f() { oktaql::c::z(); }";
    let b = "use crate::{c::{Z, W}, main_item};";
    let c = "fn g() { crate::a::f() }";
    let main = "mod a;\nfn h() { a::f(); }\npub fn main_item() {}";
    let g: Graph = [("a", a), ("b", b), ("c", c), ("main", main)]
        .into_iter()
        .map(|(n, t)| (n.to_owned(), edges(n, t, &modules)))
        .collect();
    assert_eq!(g["a"], ["b".to_owned()].into());
    assert_eq!(g["b"], ["c".to_owned(), "main".to_owned()].into());
    assert_eq!(g["main"], ["a".to_owned()].into());
    assert_eq!(
        circle(&g),
        Some(["a", "b", "c", "a"].map(String::from).to_vec())
    );
}
