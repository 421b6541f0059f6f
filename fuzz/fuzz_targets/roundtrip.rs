//! An arbitrary parse tree (oktaql's `arbitrary` feature) prints to text that
//! parses back to an equal tree, and printing that gives the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktaql::ast::Expr;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|expr: Expr| checks::check_roundtrip(&expr));
