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

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::input::{self, Input, Origin, Source};
use crate::style::Term;

/// The inputs the FILE arguments name, in order: stdin (also when there is
/// none), the files named, the files below the directories named. Whether
/// some directory could not be walked (each is reported now; the others are
/// still read).
pub fn inputs(files: &[OsString], walk: Walk, term: &Term) -> (Vec<Input>, bool) {
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

/// How to walk: `--hidden`, `-L`/`--follow`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Walk {
    pub hidden: bool,
    pub follow: bool,
}

/// A directory that could not be read, or a loop, named.
pub struct WalkError {
    pub path: PathBuf,
    pub error: Option<io::Error>,
}

impl Walk {
    /// The files below `root` (a directory), in order; `errors` gets the
    /// directories that could not be read (the others are still walked).
    pub fn files(self, root: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<WalkError>) {
        // Canonical paths of the directories being walked, for -L's loops.
        let mut ancestors = Vec::new();
        self.dir(root, out, errors, &mut ancestors);
    }

    fn dir(
        self,
        dir: &Path,
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
            if !self.hidden && name.as_encoded_bytes().first() == Some(&b'.') {
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
            if kind.is_dir() {
                self.dir(&path, out, errors, ancestors);
            } else if kind.is_file() {
                out.push(path);
            }
        }
        if self.follow {
            ancestors.pop();
        }
    }
}
