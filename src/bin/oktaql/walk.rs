//! The FILE arguments as inputs ([`inputs`]): stdin, the files named, and
//! for a directory the files below it, recursively, in a stable order.
//!
//! - Order: depth first, the entries of each directory sorted by name in
//!   byte order, a subdirectory's files where its name sorts: `d/a/z`,
//!   `d/a.x`, `d/b`. That is the paths compared component by component
//!   (as `rg --sort path` prints them).
//! - Hidden files and directories (a name starting with `.`) are skipped
//!   unless `--hidden`; a directory named on the command line is searched
//!   whatever its name.
//! - Symbolic links found by the walk are not followed (as rg and find);
//!   `-L`/`--follow` follows them, skipping a link back to a directory
//!   being walked. A link named on the command line is always followed.
//! - Only regular files are read (not fifos, sockets or devices found
//!   in the walk).
//! - `-g`/`--glob GLOB` ([`Globs`]) picks the files of a walk, with
//!   ripgrep's rules (its `-g` is a line of a gitignore file with `!`
//!   inverted):
//!   - GLOB is matched against the path below the directory named: for
//!     `oktaql -g ... logs/`, the file `logs/2025/a.json` is `2025/a.json`.
//!     (rg matches against the path from the current directory, so that
//!     its `-g 'sub/*'` finds nothing in `rg PAT /elsewhere`; here the
//!     directory named is the start wherever it is.)
//!   - A GLOB without a `/` matches a name at any depth (`*.json` is
//!     `**/*.json`); with a `/` it matches the whole path, and a leading `/`
//!     only anchors (`/a.json` is `a.json` at the top, not below). A
//!     trailing `/` matches directories only.
//!   - `*`, `?` and `[...]` (`[!...]` negated) match within one name, never
//!     `/`; `**` as a whole component matches any number of directories
//!     (`a/**` everything below `a`, `**/x`, `a/**/x`); `{a,b}` is either;
//!     `\` escapes the next character (`\!` for a name starting with `!`,
//!     `\#` with `#`).
//!   - `!GLOB` excludes. When several GLOBs match a path, the last one
//!     given decides. If some GLOB does not start with `!`, a file must be
//!     included by one to be read; a directory is walked unless a GLOB
//!     excludes it.
//!   - A directory a GLOB excludes is not entered: nothing below it is
//!     read, whatever a later GLOB includes (`!old` then `old/keep.json`
//!     reads nothing in `old/`, as in gitignore).
//!   - A file or directory a GLOB includes is read even when hidden (as in
//!     rg, globs override the hidden rule): `-g '*.json'` reads `.x.json`
//!     but not the files in `.cache/`, which no GLOB names.
//!   - Files named on the command line, and stdin, are always read.
//!   - Matching is case-sensitive. Unlike rg, a GLOB that is empty or
//!     starts with `#` (a gitignore comment, which rg ignores silently) is
//!     an error, as is a malformed one (`[a`, `{a`).

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::input::{self, Input, Origin, Source};
use crate::style::Term;

/// The inputs the FILE arguments name, in order: stdin (also when there is
/// none), the files named, the files below the directories named. Whether
/// some directory could not be walked (each is reported now; the others are
/// still read).
pub fn inputs(files: &[OsString], walk: &Walk, term: &Term) -> (Vec<Input>, bool) {
    let stdin = || Input {
        name: "<stdin>".to_owned(),
        source: Source::Stdin,
        origin: Origin::Named,
    };
    if files.is_empty() {
        return (vec![stdin()], false);
    }
    let mut inputs = Vec::new();
    let mut failed = false;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        if f == "-" {
            inputs.push(stdin());
            continue;
        }
        let path = PathBuf::from(f);
        if !fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            // A file, or an error when it is read.
            inputs.push(Input {
                name: f.to_string_lossy().into_owned(),
                source: Source::File(path),
                origin: Origin::Named,
            });
            continue;
        }
        walk.files(&path, &mut found, &mut errors);
        for e in errors.drain(..) {
            failed = true;
            let name = e.path.display();
            match e.error {
                Some(e) => term.error(format_args!(
                    "cannot read the directory {name}: {}",
                    input::io_message(&e)
                )),
                None => term.error(format_args!(
                    "{name}: a link to a directory being searched, skipped (a loop)"
                )),
            }
        }
        inputs.extend(found.drain(..).map(|p| Input {
            name: p.to_string_lossy().into_owned(),
            source: Source::File(p),
            origin: Origin::Walked,
        }));
    }
    (inputs, failed)
}

/// How to walk: `--hidden`, `-L`/`--follow`, `-g`/`--glob`.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    pub hidden: bool,
    pub follow: bool,
    pub globs: Globs,
}

/// The `-g`/`--glob` GLOBs, in the order given (the rules are in the
/// module's documentation).
#[derive(Clone, Debug, Default)]
pub struct Globs {
    rules: Vec<Rule>,
    /// Some GLOB is not a `!GLOB`: a file must be included to be read.
    includes: bool,
}

#[derive(Clone, Debug)]
struct Rule {
    matcher: GlobMatcher,
    /// `!GLOB`.
    exclude: bool,
    /// `GLOB/`: matches directories only.
    only_dir: bool,
}

/// What the GLOBs say of a path: the last one that matches decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Include,
    Exclude,
    Unmatched,
}

impl Globs {
    /// Adds a GLOB after the others; the error says what is wrong with it.
    pub fn add(&mut self, glob: &str) -> Result<(), String> {
        if glob.starts_with('#') {
            return Err(
                "a glob starting with # would be a comment (write \\# for a name \
                        starting with #)"
                    .to_owned(),
            );
        }
        // The steps of a gitignore line, as rg's overrides take them.
        let mut line = glob;
        if !line.ends_with("\\ ") {
            line = line.trim_end();
        }
        let mut exclude = false;
        let mut anchored = false;
        if line.starts_with("\\!") || line.starts_with("\\#") {
            line = &line[1..];
        } else {
            if let Some(rest) = line.strip_prefix('!') {
                exclude = true;
                line = rest;
            }
            if let Some(rest) = line.strip_prefix('/') {
                anchored = true;
                line = rest;
            }
        }
        let mut only_dir = false;
        if let Some(rest) = line.strip_suffix('/') {
            only_dir = true;
            line = rest.strip_suffix('\\').unwrap_or(rest);
        }
        if line.is_empty() {
            return Err("it is empty".to_owned());
        }
        let mut pattern = line.to_owned();
        // A name matches at any depth (`**` already does).
        if !(anchored || line.contains('/') || line == "**") {
            pattern = format!("**/{pattern}");
        }
        // `a/**` is what is below `a`, not `a` itself (rg's step; globset
        // 0.4.16 already reads `a/**` so, a later one might not).
        if pattern.ends_with("/**") {
            pattern.push_str("/*");
        }
        let matcher = GlobBuilder::new(&pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| e.kind().to_string())?
            .compile_matcher();
        self.includes |= !exclude;
        self.rules.push(Rule {
            matcher,
            exclude,
            only_dir,
        });
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// What the GLOBs say of `rel`, a path below the directory named.
    fn verdict(&self, rel: &Path, is_dir: bool) -> Verdict {
        let last = self
            .rules
            .iter()
            .rev()
            .find(|r| (is_dir || !r.only_dir) && r.matcher.is_match(rel));
        match last {
            Some(r) if r.exclude => Verdict::Exclude,
            Some(_) => Verdict::Include,
            None => Verdict::Unmatched,
        }
    }
}

/// A directory that could not be read, or a loop, named.
pub struct WalkError {
    pub path: PathBuf,
    pub error: Option<io::Error>,
}

impl Walk {
    /// The files below `root` (a directory), in order; `errors` gets the
    /// directories that could not be read (the others are still walked).
    pub fn files(&self, root: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<WalkError>) {
        // Canonical paths of the directories being walked, for -L's loops.
        let mut ancestors = Vec::new();
        self.dir(root, Path::new(""), out, errors, &mut ancestors);
    }

    /// Walks `dir`, which is `rel` below the directory named.
    fn dir(
        &self,
        dir: &Path,
        rel: &Path,
        out: &mut Vec<PathBuf>,
        errors: &mut Vec<WalkError>,
        ancestors: &mut Vec<PathBuf>,
    ) {
        if self.follow {
            match fs::canonicalize(dir) {
                Ok(real) if ancestors.contains(&real) => {
                    errors.push(WalkError {
                        path: dir.to_owned(),
                        error: None,
                    });
                    return;
                }
                Ok(real) => ancestors.push(real),
                Err(error) => {
                    errors.push(WalkError {
                        path: dir.to_owned(),
                        error: Some(error),
                    });
                    return;
                }
            }
        }
        let entries = fs::read_dir(dir).and_then(|rd| {
            rd.map(|e| e.map(|e| (e.file_name(), e)))
                .collect::<io::Result<Vec<(OsString, fs::DirEntry)>>>()
        });
        let mut entries = match entries {
            Ok(e) => e,
            Err(error) => {
                errors.push(WalkError {
                    path: dir.to_owned(),
                    error: Some(error),
                });
                if self.follow {
                    ancestors.pop();
                }
                return;
            }
        };
        // OsString's order is byte order on Unix.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, entry) in entries {
            let hidden = !self.hidden && name.as_encoded_bytes().first() == Some(&b'.');
            // Without a GLOB nothing brings a hidden entry back.
            if hidden && self.globs.is_empty() {
                continue;
            }
            let path = entry.path();
            let Ok(mut kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                if !self.follow {
                    continue;
                }
                // A dangling link is skipped, as rg does without -L.
                match fs::metadata(&path) {
                    Ok(m) => kind = m.file_type(),
                    Err(_) => continue,
                }
            }
            if !kind.is_dir() && !kind.is_file() {
                continue;
            }
            let below = if self.globs.is_empty() {
                PathBuf::new()
            } else {
                let below = rel.join(&name);
                let take = match self.globs.verdict(&below, kind.is_dir()) {
                    Verdict::Exclude => false,
                    Verdict::Include => true,
                    Verdict::Unmatched => !hidden && (kind.is_dir() || !self.globs.includes),
                };
                if !take {
                    continue;
                }
                below
            };
            if kind.is_dir() {
                self.dir(&path, &below, out, errors, ancestors);
            } else {
                out.push(path);
            }
        }
        if self.follow {
            ancestors.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(list: &[&str]) -> Globs {
        let mut g = Globs::default();
        for glob in list {
            g.add(glob).unwrap();
        }
        g
    }

    fn file(g: &Globs, path: &str) -> Verdict {
        g.verdict(Path::new(path), false)
    }

    fn dir(g: &Globs, path: &str) -> Verdict {
        g.verdict(Path::new(path), true)
    }

    use Verdict::{Exclude, Include, Unmatched};

    #[test]
    fn the_steps_of_a_glob_line() {
        // A name at any depth; with a `/`, the whole path.
        let g = globs(&["*.json"]);
        assert_eq!(file(&g, "a.json"), Include);
        assert_eq!(file(&g, "x/y/a.json"), Include);
        assert_eq!(file(&g, "a.jsonl"), Unmatched);
        let g = globs(&["x/*.json"]);
        assert_eq!(file(&g, "x/a.json"), Include);
        assert_eq!(file(&g, "x/y/a.json"), Unmatched);
        assert_eq!(file(&g, "z/x/a.json"), Unmatched);
        // A leading `/` anchors a name.
        let g = globs(&["/a.json"]);
        assert_eq!(file(&g, "a.json"), Include);
        assert_eq!(file(&g, "x/a.json"), Unmatched);
        // A trailing `/`: directories only.
        let g = globs(&["!old/"]);
        assert_eq!(dir(&g, "old"), Exclude);
        assert_eq!(dir(&g, "x/old"), Exclude);
        assert_eq!(file(&g, "old"), Unmatched);
        // `a/**` is below `a`, not `a`.
        let g = globs(&["a/**"]);
        assert_eq!(dir(&g, "a"), Unmatched);
        assert_eq!(file(&g, "a/b/c"), Include);
        // Escaped `!` and `#` are names; trailing blanks go unless escaped.
        let g = globs(&["\\!a", "\\#b", "c  ", "d\\ "]);
        assert_eq!(file(&g, "!a"), Include);
        assert_eq!(file(&g, "#b"), Include);
        assert_eq!(file(&g, "c"), Include);
        assert_eq!(file(&g, "d "), Include);
        assert_eq!(file(&g, "d"), Unmatched);
        // The last that matches decides.
        let g = globs(&["*.json", "!*.tmp.json", "keep.tmp.json"]);
        assert_eq!(file(&g, "a.json"), Include);
        assert_eq!(file(&g, "a.tmp.json"), Exclude);
        assert_eq!(file(&g, "x/keep.tmp.json"), Include);
    }

    #[test]
    fn globs_refused() {
        for (glob, why) in [
            ("", "it is empty"),
            ("   ", "it is empty"),
            ("!", "it is empty"),
            ("/", "it is empty"),
            ("#a", "comment"),
            ("[a", "unclosed character class"),
            ("{a,b", "unclosed alternate group"),
            ("a\\", "dangling"),
        ] {
            let e = Globs::default().add(glob).unwrap_err();
            assert!(e.contains(why), "{glob}: {e}");
        }
    }
}
