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

// ------------------------------------------------- Sigma tests (pattern.rs)

fn text(t: &str) -> Part {
    Part::Text(t.into())
}

#[test]
fn wildcard_patterns_print_as_full_match_regexes() {
    // Texts escaped (all but ASCII letters and digits), `?` one character
    // of any kind, `*` any run.
    let parts = [text("a.b"), Part::One, Part::Any, text("é-1")];
    assert_eq!(
        pattern::like_regex(&parts),
        r"a\x{2e}b(?s:.)(?s:.)*\x{e9}\x{2d}1"
    );
    assert_eq!(pattern::like_regex(&[text("\\*")]), r"\x{5c}\x{2a}");
    // A number's text has only `-`, `.` and digits.
    assert!(pattern::like_may_match_number(&[text("1"), Part::Any]));
    assert!(pattern::like_may_match_number(&[Part::One, text("-0.5")]));
    assert!(!pattern::like_may_match_number(&[text("1e"), Part::Any]));
    assert!(!pattern::like_may_match_number(&[
        Part::Any,
        text("a"),
        Part::Any
    ]));
}

fn re(source: &str, flags: &str) -> crate::lit::Re {
    crate::lit::Re::new(
        source,
        flags.contains('i'),
        flags.contains('m'),
        flags.contains('s'),
    )
    .unwrap()
}

fn printed(source: &str, flags: &str, flavor: pattern::Flavor) -> Result<String, String> {
    pattern::regex(&re(source, flags), flavor).map(|p| p.text)
}

#[test]
fn regexes_print_in_the_common_subset() {
    use pattern::Flavor::{Java, Re2};
    for f in [Re2, Java] {
        // The text's ends, as `\A` and `\z` (Java's `$` would also match
        // before a final line break).
        assert_eq!(printed("^ab$", "", f).unwrap(), r"(?:\A)(?:ab)(?:\z)");
        assert_eq!(printed("a{2,3}", "", f).unwrap(), "(?:a){2,3}");
        assert_eq!(printed("(x)+?", "", f).unwrap(), "(?:(?:x))+");
        // Ignore-case is already a class: K, k and the Kelvin sign.
        assert_eq!(printed("k", "i", f).unwrap(), r"[Kk\x{212a}]");
        // `.` is every character but `\n`, unless `s`.
        assert_eq!(
            printed(".", "", f).unwrap(),
            r"[\x{0}-\x{9}\x{b}-\x{10ffff}]"
        );
        assert_eq!(printed(".", "s", f).unwrap(), r"[\x{0}-\x{10ffff}]");
        // Unicode word boundaries (the default `\b`) are read differently.
        let err = printed(r"\bx", "", f).unwrap_err();
        assert!(err.contains("Unicode word boundary"), "{err}");
        assert!(printed("a{1001}", "", f).unwrap_err().contains("1000"));
        assert!(printed("(?-u:[ab])", "", f).unwrap_err().contains("bytes"));
    }
    // Multi-line anchors: RE2's are the `regex` crate's; Java's `^` misses
    // the end after a final `\n` and its line breaks are more than `\n`.
    assert_eq!(
        printed("^x$", "m", Re2).unwrap(),
        "(?:(?m:^))(?:x)(?:(?m:$))"
    );
    assert_eq!(
        printed("^x", "m", Java).unwrap(),
        r"(?:(?:\A|(?<=\x{a})))(?:x)"
    );
    assert_eq!(printed(r"(?-u:\b)", "", Re2).unwrap(), r"\b");
    assert_eq!(
        printed(r"(?-u:\b)", "", Java).unwrap(),
        "(?:(?<=[0-9A-Z_a-z])(?![0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?=[0-9A-Z_a-z]))"
    );
}

#[test]
fn regexes_that_may_match_a_numbers_text() {
    let may = |s: &str| {
        pattern::regex(&re(s, ""), pattern::Flavor::Re2)
            .unwrap()
            .may_match_number
    };
    assert!(may("[0-9]+"));
    assert!(may("x|1"));
    assert!(may("a?1"));
    assert!(may("^$"));
    assert!(!may("@"));
    assert!(!may("(^0oa.*|[a-z0-9.]+@[a-z]{2,10})"));
    assert!(!may("x+1"));
}

/// The RE2 printing read back by the `regex` crate (whose syntax it is a
/// subset of, `\b` aside) finds what the original finds.
#[test]
fn printed_regexes_find_what_the_original_finds() {
    let texts = [
        "",
        "a",
        "ab",
        "AB",
        "x\n",
        "\nx",
        "a\nb\n",
        "Kelvin \u{212a}",
        "0oa123",
        "user@example.com",
        "é",
        "😀x",
        "x1",
        "abab",
    ];
    for (source, flags) in [
        ("^ab$", ""),
        ("(?m)^b$", ""),
        ("^b$", "m"),
        ("a.b", ""),
        ("a.b", "s"),
        ("k", "i"),
        (
            "(^0oa.*|[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,10})",
            "",
        ),
        ("x$", ""),
        ("[^a-z]", ""),
        ("(ab){2}", ""),
        ("é|😀", ""),
    ] {
        let original = re(source, flags);
        let text = pattern::regex(&original, pattern::Flavor::Re2)
            .unwrap()
            .text;
        let copy = ::regex::Regex::new(&text).unwrap();
        for t in texts {
            assert_eq!(
                copy.is_match(t),
                original.holds(Cand::Str(t)),
                "{source} /{flags} on {t:?}: {text}"
            );
        }
    }
}

#[test]
fn ipv4_networks_print_as_octet_patterns() {
    use crate::lit::Cidr;
    const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    let net = |s: &str| pattern::ipv4_network(&Cidr::parse(s).unwrap());
    assert_eq!(
        net("10.0.0.0/8").unwrap(),
        format!("10[.]{OCTET}[.]{OCTET}[.]{OCTET}")
    );
    assert_eq!(net("1.2.3.4").unwrap(), "1[.]2[.]3[.]4");
    assert_eq!(
        net("192.168.4.0/22").unwrap(),
        format!("192[.]168[.](?:4|5|6|7)[.]{OCTET}")
    );
    assert_eq!(net("0.0.0.0/0").unwrap(), [OCTET; 4].join("[.]"));
    assert_eq!(net("2001:db8::/32"), None);
    // Read back by the `regex` crate: the addresses `Cidr::holds` takes.
    let addresses = [
        "10.0.0.0",
        "10.255.255.255",
        "11.0.0.0",
        "9.255.255.255",
        "10.0.0.256",
        "010.0.0.1",
        "10.00.0.1",
        "10.0.0",
        "10.0.0.1.2",
        " 10.0.0.1",
        "10.0.0.1 ",
        "192.168.3.255",
        "192.168.4.0",
        "192.168.7.255",
        "192.168.8.0",
        "192.168.5.09",
        "::ffff:10.0.0.1",
        "1.2.3.4",
        "1.2.3.40",
        "0.0.0.0",
        "255.255.255.255",
        "+1.2.3.4",
        "1.2.3.4\n",
    ];
    for n in [
        "10.0.0.0/8",
        "192.168.4.0/22",
        "1.2.3.4/32",
        "0.0.0.0/0",
        "128.0.0.0/1",
    ] {
        let cidr = Cidr::parse(n).unwrap();
        let re = ::regex::Regex::new(&format!("^(?:{})$", net(n).unwrap())).unwrap();
        for a in addresses {
            assert_eq!(re.is_match(a), cidr.holds(Cand::Str(a)), "{n} {a:?}");
        }
    }
}

#[cfg(feature = "rules")]
fn sigma_filter(detection: &str) -> Filter {
    use crate::rules::{LoadOptions, Loader};
    let mut loader = Loader::new(LoadOptions::new());
    let yaml = format!(
        "title: t\nid: t\nlogsource: {{product: okta}}\ndetection:\n{detection}  condition: sel\n"
    );
    loader.add_yaml(&yaml, "t.yml");
    let (set, problems) = loader.finish();
    assert_eq!(set.rules().len(), 1, "{problems:?}");
    set.rules()[0].filter().clone()
}

#[cfg(feature = "rules")]
#[test]
fn sigma_tests_are_refused_by_name_where_inexact() {
    let refused = |d: Dialect, detection: &str| match sigma_filter(detection).to_sql(d, "raw") {
        Ok(_) => None,
        Err(SqlError::Untranslatable(why)) => Some(why),
        Err(e) => panic!("{e}"),
    };
    for d in Dialect::ALL {
        assert_eq!(refused(d, "  sel:\n    a|contains: x\n"), None, "{d}");
        assert_eq!(refused(d, "  sel:\n    a|exists: true\n"), None, "{d}");
        assert_eq!(refused(d, "  sel:\n    a|cidr: 10.0.0.0/8\n"), None, "{d}");
        assert_eq!(refused(d, "  sel:\n    a|re: '@x'\n"), None, "{d}");
        let why = refused(d, "  sel:\n    a|cidr: '2001:db8::/32'\n").unwrap();
        assert!(
            why.starts_with("`a`: the IPv6 network `2001:db8::/32`"),
            "{why}"
        );
        let why = refused(d, "  sel:\n    a.b|re: '\\bx'\n").unwrap();
        assert!(
            why.starts_with("`a.b`: the regular expression `\\bx`: it has a Unicode word"),
            "{why}"
        );
        let why = refused(d, "  sel:\n    a|re: '[0-9]'\n").unwrap();
        assert!(why.contains("may match a number's text"), "{why}");
        let why = refused(d, "  sel:\n    a: '1*'\n").unwrap();
        assert!(
            why.contains("the wildcard pattern `1*` may match a number's text"),
            "{why}"
        );
        // A plain number, or `*`, needs no number's text.
        assert_eq!(refused(d, "  sel:\n    a: '15'\n"), None, "{d}");
        assert_eq!(refused(d, "  sel:\n    a: '*'\n"), None, "{d}");
    }
    // Keywords: DuckDB and ClickHouse see every string of the event.
    let keywords = "  sel:\n    - 'evil*'\n";
    assert_eq!(refused(Dialect::DuckDb, keywords), None);
    assert_eq!(refused(Dialect::ClickHouse, keywords), None);
    assert!(refused(Dialect::Spark, keywords)
        .unwrap()
        .starts_with("a keyword selection"));
    // A keyword is matched against strings only: digits are fine.
    assert_eq!(refused(Dialect::DuckDb, "  sel:\n    - '1*'\n"), None);
}
