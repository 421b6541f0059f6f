//! Replays the saved fuzz inputs under `tests/regression/<target>/` through
//! the same checks the fuzz targets run (`tests/regression/checks.rs`, shared
//! with `fuzz/fuzz_targets/*.rs`). Each file is one raw fuzz input; see
//! `tests/regression/README.md` for how to add one.
//!
//! `roundtrip` inputs are bytes for oktaql's `Arbitrary` impl, so they only
//! replay with `cargo test --features arbitrary --test regression` (and only
//! mean the same tree while the generator in `src/arbitrary.rs` is
//! unchanged); save the printed filter as a `parse` case as well.

use std::panic;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
mod checks {
    include!("regression/checks.rs");
}

/// Every file in `tests/regression/<dir>/` except README and dot files,
/// sorted by name.
fn cases(dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regression")
        .join(dir);
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.') && !name.starts_with("README")
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, data)
        })
        .collect()
}

/// Runs `check` on every case in `dir`, then fails naming every case that
/// panicked. Returns how many cases ran.
fn replay(dir: &str, check: fn(&[u8])) -> usize {
    let cases = cases(dir);
    let failed: Vec<String> = cases
        .iter()
        .filter(|(_, data)| panic::catch_unwind(|| check(data)).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} {dir} cases fail: {failed:#?}",
        failed.len(),
        cases.len()
    );
    cases.len()
}

#[test]
fn parse_cases() {
    assert!(
        replay("parse", checks::check_parse) > 0,
        "tests/regression/parse/ holds cases"
    );
}

#[test]
fn eval_cases() {
    assert!(
        replay("eval", checks::check_eval) > 0,
        "tests/regression/eval/ holds cases"
    );
}

#[test]
fn differential_cases() {
    assert!(
        replay("differential", checks::check_differential) > 0,
        "tests/regression/differential/ holds cases"
    );
}

#[test]
fn reader_cases() {
    assert!(
        replay("reader", checks::check_reader) > 0,
        "tests/regression/reader/ holds cases"
    );
}

#[test]
fn rules_cases() {
    assert!(
        replay("rules", checks::check_rules) > 0,
        "tests/regression/rules/ holds cases"
    );
}

#[cfg(feature = "arbitrary")]
#[test]
fn roundtrip_cases() {
    use arbitrary::{Arbitrary, Unstructured};
    fn check(data: &[u8]) {
        // As libfuzzer-sys builds a typed input.
        if let Ok(expr) = oktaql::ast::Expr::arbitrary_take_rest(Unstructured::new(data)) {
            checks::check_roundtrip(&expr);
        }
    }
    replay("roundtrip", check);
}

/// Inputs whose outcome is known by hand pass every check: a filter and an
/// event that matches, an event serde_json rejects, and filters that are not
/// UTF-8 (skipped).
#[test]
fn checks_accept_good_inputs() {
    // Valid filter, valid event that matches: every check passes.
    let input = b"eventType eq \"user.session.start\"\n{\"eventType\":\"user.session.start\"}";
    checks::check_parse(b"eventType eq \"user.session.start\"");
    checks::check_eval(input);
    checks::check_differential(input);
    // Malformed event: serde_json rejects it, so matches_json must be Err.
    checks::check_differential(b"a pr\n{\"a\":1");
    // Not UTF-8 where the filter must be: skipped, not a failure.
    checks::check_parse(b"\xff");
    checks::check_eval(b"\xff\n{}");
}

#[test]
fn split_takes_the_first_line_as_the_filter() {
    assert_eq!(
        checks::split(b"a pr\n{\"a\":\n1}"),
        Some(("a pr", &b"{\"a\":\n1}"[..]))
    );
    assert_eq!(checks::split(b"a pr"), Some(("a pr", &b""[..])));
    assert_eq!(checks::split(b"\n{}"), Some(("", &b"{}"[..])));
    assert_eq!(checks::split(b"\xc3\n{}"), None);
}

/// Every fuzz target keeps AddressSanitizer's allocation stacks short, so a
/// long ASan campaign levels off in memory: with ASan's default 30 frames,
/// the recursive code under test records ever new stack shapes in ASan's
/// never-freed stack depot (282 MB after two minutes of `roundtrip`, 2 GB
/// and "out-of-memory" within an hour). See `fuzz/fuzz_targets/asan_options.rs`
/// and "Memory" in `fuzz/README.md`.
#[test]
fn fuzz_targets_bound_the_asan_stack_depot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let options = std::fs::read_to_string(dir.join("fuzz_targets/asan_options.rs"))
        .expect("fuzz/fuzz_targets/asan_options.rs");
    assert!(options.contains("fn __asan_default_options()"));
    let frames: usize = options
        .split("c\"malloc_context_size=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("asan_options.rs sets malloc_context_size");
    assert!(
        (1..=8).contains(&frames),
        "malloc_context_size={frames}: more frames make the depot grow without bound"
    );
    // Every [[bin]] of fuzz/Cargo.toml includes the options.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let targets: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("path = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert_eq!(
        targets.len(),
        7,
        "fuzz targets in fuzz/Cargo.toml (parse, roundtrip, eval, differential, reader, sql, rules): {targets:?}"
    );
    for target in targets {
        let source = std::fs::read_to_string(dir.join(target)).expect(target);
        assert!(
            source.contains("include!(\"asan_options.rs\");"),
            "{target} does not include asan_options.rs"
        );
    }
}
