//! The first byte a batch size, the rest an input file: the reader never
//! panics, stays bounded, delivers only valid objects, and accounts for
//! every line (see `check_reader`).
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("asan_options.rs");

#[allow(dead_code)]
mod checks {
    include!("../../tests/regression/checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check_reader(data));
