//! Arbitrary bytes as a filter: when it parses, it translates to every SQL
//! dialect without panicking, case-sensitive and ignoring case, inverted,
//! and with keywords taken from the filter's own words; the text is one
//! `COALESCE(...)` expression.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktaql::sql::Dialect;
use oktaql::{Filter, Keywords};

include!("asan_options.rs");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let keywords = Keywords::parse(text).ok();
    for (ignore_case, invert, keywords) in [
        (false, false, None),
        (true, true, keywords.clone()),
    ] {
        let Ok(filter) = Filter::builder()
            .ignore_case(ignore_case)
            .invert(invert)
            .keywords(keywords)
            .parse(text)
        else {
            return;
        };
        for d in Dialect::ALL {
            let sql = filter.to_sql(d, "raw").expect("a valid column translates");
            assert!(sql.starts_with("COALESCE(") && sql.ends_with(')'), "{d}: {sql}");
        }
    }
});
