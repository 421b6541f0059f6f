// AddressSanitizer defaults for every fuzz target, `include!`d by
// fuzz_targets/*.rs (ignored when built with `-s none`).
//
// ASan records the stack of every allocation and every free, up to
// `malloc_context_size` frames (default 30), in its stack depot, which is
// never freed. Our code is recursive (the `Arbitrary` generator, `Display`,
// the parser, drops of the tree, serde_json's `Value`), so 30-frame stacks
// come in endlessly many shapes: with the default the depot grew by
// 1.16 million stacks (282 MB) in the first 115,000 `roundtrip` runs and
// kept growing, which is what took a long campaign past libFuzzer's 2 GB
// `-rss_limit_mb` while the live heap stayed near 30 MB. Seven frames reach
// past the allocator into the allocating function; the shapes of seven
// frames are few (29,000 stacks, 9 MB, after 167,000 runs), so RSS levels
// off.
//
// The quarantine (freed memory held back to catch use after free) is cut
// from 256 MB to 64 MB: one run allocates well under 1 MB, so 64 MB still
// holds the frees of hundreds of runs, and each size class of the allocator
// keeps the high-water mark of its share of the quarantine. `eval`, 180 s:
// RSS 485 -> 549 MB and rising with 256 MB; 180 -> 215 MB, flat over the
// following 3 minutes, with 64 MB.
//
// ASAN_OPTIONS overrides these: reproduce a crash with
// `ASAN_OPTIONS=malloc_context_size=30:quarantine_size_mb=256` for full
// allocation stacks. See fuzz/README.md, "Memory".

/// Read by the ASan runtime at start-up, before `ASAN_OPTIONS`.
#[no_mangle]
pub extern "C" fn __asan_default_options() -> *const std::ffi::c_char {
    ASAN_DEFAULT_OPTIONS.as_ptr()
}

/// The options above.
pub const ASAN_DEFAULT_OPTIONS: &std::ffi::CStr = c"malloc_context_size=7:quarantine_size_mb=64";
