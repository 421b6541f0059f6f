use super::*;
use crate::Filter;

fn sql(d: Dialect, filter: &str) -> String {
    Filter::parse(filter).unwrap().to_sql(d, "raw").unwrap()
}

#[test]
fn column_names_are_quoted_or_refused() {
    let f = Filter::parse("a pr").unwrap();
    for (d, quoted) in [
        (Dialect::DuckDb, "\"t\".\"raw_1\""),
        (Dialect::ClickHouse, "`t`.`raw_1`"),
        (Dialect::Spark, "`t`.`raw_1`"),
    ] {
        assert!(f.to_sql(d, "t.raw_1").unwrap().contains(quoted), "{d}");
        for bad in [
            "", "1a", "a b", "a\"b", "a`b", "a;b", "a.", ".a", "a..b", "é", "a-b", "a\0",
        ] {
            assert_eq!(
                f.to_sql(d, bad),
                Err(SqlError::InvalidColumn(bad.to_owned())),
                "{d} {bad:?}"
            );
        }
        assert!(f.to_sql(d, &"a".repeat(256)).is_err());
    }
}

#[test]
fn dialect_names() {
    for d in Dialect::ALL {
        assert_eq!(d.name().parse::<Dialect>(), Ok(d));
        assert_eq!(d.to_string(), d.name());
    }
    assert_eq!(
        "DuckDB".parse::<Dialect>(),
        Err(SqlError::UnknownDialect("DuckDB".into()))
    );
}

/// No literal text reaches the SQL unquoted: a quote, a backslash or a
/// control character in a literal is written through the dialect's escape
/// (or `chr`), so the text between quotes never holds a bare `'` nor, for
/// DuckDB and Spark, a control character.
#[test]
fn literals_are_embedded_safely() {
    let nasty = r#"a eq "x'); DROP TABLE t; --\\ \u0000 \n %_$ é 😀 \"" or a co "''""#;
    let d = sql(Dialect::DuckDb, nasty);
    assert!(
        d.contains(r#"('x''); DROP TABLE t; --\ ' || chr(0) || ' ' || chr(10) || ' %_$ é 😀 "')"#),
        "{d}"
    );
    assert!(!d.contains('\0') && !d.contains('\n'));
    let c = sql(Dialect::ClickHouse, nasty);
    assert!(
        c.contains(r#"'x\'); DROP TABLE t; --\\ \x00 \x0A %_$ é 😀 "'"#),
        "{c}"
    );
    let s = sql(Dialect::Spark, nasty);
    assert!(
        s.contains(
            "concat('x', chr(39), '); DROP TABLE t; --', chr(92), ' ', chr(0), ' ', chr(10)"
        ),
        "{s}"
    );
    assert!(
        !s.contains('\\'),
        "no backslash anywhere in Spark's text: {s}"
    );
}

#[test]
fn literal_lists_are_one_membership_test() {
    let list = (0..10_000)
        .map(|i| format!(r#"client.ipAddress eq "10.0.{}.{}""#, i / 256, i % 256))
        .collect::<Vec<_>>()
        .join(" or ");
    for d in Dialect::ALL {
        let s = sql(d, &list);
        assert_eq!(s.matches(" IN (").count(), 1, "{d}");
        assert!(s.contains("'10.0.39.15'"), "{d}");
        assert!(s.len() < 400_000, "{d}: {}", s.len());
    }
}

#[test]
fn separators_as_a_class() {
    let class = separator_class();
    assert!(
        class.starts_with("[\\x{9}-\\x{d}\\x{20}-\\x{2d}\\x{2f}"),
        "{class}"
    );
    // `.` (2e) and `_` (5f) are not separators.
    assert!(!class.contains("\\x{2e}") && !class.contains("\\x{5f}"));
}

/// Lower-casing then splitting on separators is splitting then
/// lower-casing (what the keyword search's SQL relies on): no character
/// changes its separator status when lower-cased.
#[test]
fn folding_keeps_separators() {
    for c in (0..=0x10ffff).filter_map(char::from_u32) {
        let sep = crate::keywords::is_separator(c);
        for l in c.to_lowercase() {
            assert_eq!(crate::keywords::is_separator(l), sep, "{c:?}");
        }
    }
}

#[test]
fn date_key_constant_is_the_epoch() {
    // 1970-01-01 is day 865565 counted from year -400 (March-based), the
    // constant `date_key` subtracts.
    let (y, m): (i64, i64) = (1970, 1);
    let yy = y + 400 - 1;
    let mp = (m + 9) % 12;
    let days = 365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mp + 2) / 5;
    assert_eq!(days, 865_565);
}

#[test]
fn newer_case_pairs_map_one_to_one() {
    for &c in duckdb::NEWER_CASE_PAIRS {
        let mut l = c.to_lowercase();
        let (Some(lc), None) = (l.next(), l.next()) else {
            panic!("{c:?} lower-cases to one character")
        };
        assert_ne!(lc, c);
    }
}
