//! Arbitrary bytes as a filter: parsing never panics; an error's span lies
//! inside the input on character boundaries; a parsed filter prints to text
//! that parses back equal and prints the same again.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check_parse(data));
