//! Arbitrary bytes as a rule file: rules or problems, never a panic, a hang
//! or unbounded memory; the rule set answers what its rules answer one by
//! one (see `check_rules`).
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check_rules(data));
