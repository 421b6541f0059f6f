//! First line a filter, the rest an event's bytes: if the filter parses
//! (case-sensitive and ignore-case), `matches_json` and `may_match` never
//! panic, and `may_match` is false only when `matches_json` is not `Ok(true)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check_eval(data));
