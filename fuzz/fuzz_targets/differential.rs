//! First line a filter, the rest an event's bytes: `matches_json` agrees with
//! `matches` on serde_json's `Value` whenever serde_json accepts the bytes, and
//! is an error whenever serde_json rejects them (except for serde_json's
//! 128-level recursion limit, which oktaql does not have).
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check_differential(data));
