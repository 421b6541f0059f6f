//! Okta's `q` keyword search.
//!
//! Every keyword must equal, ignoring case, a whole string value somewhere
//! in the event or one of its tokens: the value split on white space and on
//! punctuation other than `.` and `_` (so either half of a hyphenated id
//! finds it, and `john.doe` stays one token). The keywords themselves are
//! split on the same white space (Unicode's White_Space) and on nothing
//! else, so a keyword holding punctuation can only equal a whole value.
//! Okta's limits apply: at most 10 keywords of at most 40 characters each.

use crate::value::{fold, fold_chars};

/// At most this many keywords.
pub const MAX_KEYWORDS: usize = 10;
/// At most this many characters in one keyword.
pub const MAX_KEYWORD_CHARS: usize = 40;

/// Parsed keywords.
///
/// Okta's `q` parameter: up to 10 words of up to 40 characters each. An
/// event matches when each keyword is found, ignoring case, in one of its
/// string values (see [`FilterBuilder::keywords`](crate::FilterBuilder::keywords)).
///
/// ```
/// use oktaql::{Filter, Keywords};
///
/// let q = Keywords::parse("alice FAILURE")?;
/// let f = Filter::builder().empty_selects_all(true).keywords(Some(q)).parse("")?;
/// assert!(f.matches_json(br#"{"actor":{"alternateId":"alice@example.com"},"outcome":{"result":"FAILURE"}}"#)?);
/// assert!(!f.matches_json(br#"{"actor":{"alternateId":"alice@example.com"},"outcome":{"result":"SUCCESS"}}"#)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keywords {
    words: Vec<String>,
    folded: Vec<String>,
}

/// Keywords that break Okta's rules.
///
/// ```
/// use oktaql::{KeywordError, Keywords};
///
/// assert_eq!(Keywords::parse("  "), Err(KeywordError::Empty));
/// let err = Keywords::parse("a b c d e f g h i j k").unwrap_err();
/// assert_eq!(err, KeywordError::TooMany { count: 11 });
/// assert_eq!(err.to_string(), "too many keywords: 11 given, at most 10 allowed");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeywordError {
    /// No keyword: the text is empty or only white space.
    #[error("no keywords given")]
    Empty,
    /// More than 10 keywords.
    #[error("too many keywords: {count} given, at most 10 allowed")]
    TooMany {
        /// How many were given.
        count: usize,
    },
    /// A keyword of more than 40 characters.
    #[error("keyword too long: `{word}` has more than 40 characters")]
    TooLong {
        /// The first keyword that is too long.
        word: String,
    },
}

impl Keywords {
    /// Splits `s` on white space ([`char::is_whitespace`], Unicode's
    /// White_Space, the same characters that split values) into keywords,
    /// checking Okta's limits. Punctuation stays inside a keyword.
    ///
    /// ```
    /// use oktaql::{KeywordError, Keywords};
    ///
    /// let k = Keywords::parse(" user.session.start\talice@example.com ")?;
    /// assert_eq!(k.words(), ["user.session.start", "alice@example.com"]);
    /// assert!(matches!(Keywords::parse(&"x".repeat(41)), Err(KeywordError::TooLong { .. })));
    /// # Ok::<(), KeywordError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Keywords, KeywordError> {
        let words: Vec<String> = s
            .split(is_white_space)
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return Err(KeywordError::Empty);
        }
        if words.len() > MAX_KEYWORDS {
            return Err(KeywordError::TooMany { count: words.len() });
        }
        if let Some(w) = words.iter().find(|w| w.chars().count() > MAX_KEYWORD_CHARS) {
            return Err(KeywordError::TooLong { word: w.clone() });
        }
        let folded = words.iter().map(|w| fold(w)).collect();
        Ok(Keywords { words, folded })
    }

    /// The keywords as given.
    ///
    /// ```
    /// use oktaql::Keywords;
    ///
    /// // As given: not lower-cased.
    /// assert_eq!(Keywords::parse("Alice FAILURE")?.words(), ["Alice", "FAILURE"]);
    /// # Ok::<(), oktaql::KeywordError>(())
    /// ```
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The keywords lower-cased (`value::fold`), as they are compared.
    pub(crate) fn folded(&self) -> &[String] {
        &self.folded
    }

    /// The mask with every keyword's bit set.
    pub(crate) fn all(&self) -> u32 {
        (1u32 << self.words.len()) - 1
    }

    /// The keywords (bit i for keyword i) that the string value `s`
    /// satisfies: as a whole or through one of its tokens. One pass over the
    /// tokens, no allocation; stops once every keyword is found.
    pub(crate) fn hits(&self, s: &str) -> u32 {
        let all = self.all();
        let ascii = s.is_ascii();
        let mut mask = 0;
        for (i, k) in self.folded.iter().enumerate() {
            if eq_folded(s, ascii, k) {
                mask |= 1 << i;
            }
        }
        if mask == all {
            return mask;
        }
        for t in tokens(s) {
            if t.len() == s.len() {
                // The only token is the whole value: already compared.
                break;
            }
            for (i, k) in self.folded.iter().enumerate() {
                if mask & (1 << i) == 0 && eq_folded(t, ascii, k) {
                    mask |= 1 << i;
                }
            }
            if mask == all {
                break;
            }
        }
        mask
    }
}

/// White space, what separates keywords (and, with punctuation, the tokens
/// of a value): Unicode's White_Space property, ASCII included, so U+000B,
/// U+000C, U+0085 (NEL) and U+00A0 (NBSP) are white space and U+001C–U+001F
/// and the zero-width characters are not.
fn is_white_space(c: char) -> bool {
    c.is_whitespace()
}

/// What splits a value into tokens: [white space](is_white_space), and
/// punctuation other than `.` and `_`: ASCII punctuation and the punctuation
/// of Latin-1, the General and Supplemental Punctuation blocks, CJK
/// punctuation and the full-width forms (dashes, quotes, guillemets,
/// ellipsis…). Zero-width format characters do not split.
pub(crate) fn is_separator(c: char) -> bool {
    if is_white_space(c) {
        return true;
    }
    if c.is_ascii() {
        return c.is_ascii_punctuation() && c != '.' && c != '_';
    }
    matches!(c,
            '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205e}'
            | '\u{2e00}'..='\u{2e7f}'
            | '\u{3001}'..='\u{303f}'
            | '\u{ff01}'..='\u{ff0d}'
            | '\u{ff0f}'
            | '\u{ff1a}'..='\u{ff20}'
            | '\u{ff3b}'..='\u{ff3e}'
            | '\u{ff40}'
            | '\u{ff5b}'..='\u{ff65}')
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_separator).filter(|t| !t.is_empty())
}

/// Whether `s` lower-cases (as [`fold`] does) to `folded`, without
/// allocating. `s_ascii` says whether `s` is all ASCII.
fn eq_folded(s: &str, s_ascii: bool, folded: &str) -> bool {
    if s_ascii {
        // ASCII lower-cases to ASCII: a non-ASCII keyword cannot match.
        return s.eq_ignore_ascii_case(folded);
    }
    fold_chars(s).eq(folded.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(k: &str, s: &str) -> bool {
        Keywords::parse(k).unwrap().hits(s) == 1
    }

    #[test]
    fn whole_values_and_tokens() {
        let id = "trsOEr_0JTLR-yPR5cyOPY-Zg";
        assert!(hit("yPR5cyOPY", id));
        assert!(hit("trsOEr_0JTLR", id));
        assert!(hit("TRSOER_0jtlr", id));
        assert!(!hit("trsOEr", id), "underscore does not split");
        assert!(hit(id, id));
        assert!(hit("FreeTrial", "FreeTrial OrgCreator"));
        assert!(hit("manual", "Manual action"));
        assert!(hit("john.doe", "john.doe@example.com"));
        assert!(hit("example.com", "john.doe@example.com"));
        assert!(!hit("doe", "john.doe@example.com"), "dot does not split");
        assert!(hit("été", "Été 2024"));
        assert!(!hit("man", "Manual action"), "tokens match whole");
    }

    #[test]
    fn okta_limits() {
        assert_eq!(Keywords::parse("  "), Err(KeywordError::Empty));
        let eleven = ["w"; 11].join(" ");
        assert_eq!(
            Keywords::parse(&eleven),
            Err(KeywordError::TooMany { count: 11 })
        );
        assert!(Keywords::parse(&["w"; 10].join(" ")).is_ok());
        let long = "é".repeat(41);
        assert_eq!(
            Keywords::parse(&long),
            Err(KeywordError::TooLong { word: long.clone() })
        );
        assert!(Keywords::parse(&"é".repeat(40)).is_ok());
        let k = Keywords::parse("a b c").unwrap();
        assert_eq!(k.all(), 0b111);
        assert_eq!(k.words(), ["a", "b", "c"]);
        assert_eq!(k.hits("c-a"), 0b101);
    }

    #[test]
    fn separators() {
        // Every ASCII punctuation mark but `.` and `_` splits; whitespace
        // splits, Unicode whitespace included (NBSP, ideographic space).
        for sep in [
            "-", "@", "/", ":", ",", ";", "(", ")", "[", "]", "\"", "'", "=", "|", "\\",
        ] {
            let v = format!("left{sep}right");
            assert!(hit("left", &v), "{v:?}");
            assert!(hit("right", &v), "{v:?}");
        }
        for ws in [" ", "\t", "\n", "\r\n", "\u{a0}", "\u{3000}", "   "] {
            let v = format!("left{ws}right");
            assert!(hit("right", &v), "{v:?}");
        }
        assert!(!hit("left", "left.right"));
        assert!(!hit("left", "left_right"));
        assert!(hit("left.right", "left.right"));
        // Unicode punctuation splits too.
        assert!(hit("f", "é—f"));
        assert!(hit("guill", "«guill»"));
        assert!(hit("a", "a…b"));
        // A zero-width space is not whitespace: no split.
        assert!(!hit("left", "left\u{200b}right"));
        // Leading, trailing and repeated separators give no empty token that
        // could match, and the whole value still counts.
        assert!(hit("x", "--x--"));
        assert!(hit("--x--", "--x--"));
        assert!(hit("a-b", "a-b"));
        assert!(
            !hit("a-b", "a-b-c"),
            "a keyword is matched whole, not as a run of tokens"
        );
        assert!(!hit("ab", "a-b"));
        assert_eq!(Keywords::parse("x").unwrap().hits(""), 0);
        assert_eq!(Keywords::parse("x").unwrap().hits(" - "), 0);
    }

    /// Unicode's White_Space code points (PropList.txt), written out here
    /// rather than taken from `char::is_whitespace`.
    const WHITE_SPACE: &[char] = &[
        '\u{9}', '\u{a}', '\u{b}', '\u{c}', '\u{d}', '\u{20}', '\u{85}', '\u{a0}', '\u{1680}',
        '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}',
        '\u{2007}', '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}',
        '\u{205f}', '\u{3000}',
    ];

    #[test]
    fn every_white_space_character_splits_keywords_and_values_alike() {
        for &ws in WHITE_SPACE {
            let k = Keywords::parse(&format!("{ws}left{ws}{ws}right{ws}")).unwrap();
            assert_eq!(k.words(), ["left", "right"], "keywords split on {ws:?}");
            let v = format!("left{ws}right");
            assert!(hit("left", &v), "value split on {ws:?}");
            assert!(hit("right", &v), "value split on {ws:?}");
            assert!(!hit(&v, &v), "{ws:?} can never be inside a keyword");
            assert_eq!(Keywords::parse("x").unwrap().hits(&ws.to_string()), 0);
        }
    }

    #[test]
    fn keywords_split_on_white_space_only_values_on_punctuation_too() {
        // Every character: a keyword text splits on it exactly when it is
        // White_Space; a value splits on it when it is White_Space or one
        // of the documented punctuation marks. So whatever splits keywords
        // splits values.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let white = WHITE_SPACE.contains(&c);
            assert_eq!(c.is_whitespace(), white, "{c:?}");
            let text = format!("l{c}r");
            let words = Keywords::parse(&text).unwrap();
            assert_eq!(words.words().len(), if white { 2 } else { 1 }, "{c:?}");
            if white {
                assert!(is_separator(c), "{c:?}");
            }
            assert_eq!(hit("r", &text), is_separator(c), "{c:?}");
        }
        // Characters Python's str.split would treat as white space, and the
        // zero-width ones, are not White_Space: they split nothing.
        for c in [
            '\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', '\u{200b}', '\u{2060}', '\u{feff}',
        ] {
            assert!(!is_separator(c), "{c:?}");
            assert_eq!(Keywords::parse(&format!("l{c}r")).unwrap().words().len(), 1);
        }
        // Punctuation in a keyword is kept: such a keyword matches only a
        // whole value (or a token, which never holds a separator).
        let k = Keywords::parse("a-b «c»").unwrap();
        assert_eq!(k.words(), ["a-b", "«c»"]);
        assert!(hit("a-b", "a-b"));
        assert!(hit("A-B", "a-b"));
        assert!(!hit("a-b", "x a-b"));
        assert!(hit("«c»", "«C»"));
        assert!(!hit("«c»", "x «c»"));
    }

    #[test]
    fn unicode_lower_casing() {
        // Both sides lower-case as value::fold does, character by character.
        assert!(hit("ÉTÉ", "été"));
        assert!(hit("straße", "STRASSE-Straße"));
        assert!(
            !hit("strasse", "Straße"),
            "lower-casing, not full case folding"
        );
        // KELVIN SIGN lower-cases to ASCII `k`: on either side.
        assert!(hit("kelvin", "\u{212a}elvin"));
        assert!(hit("\u{212a}elvin", "KELVIN"));
        // A non-ASCII keyword never matches an ASCII value.
        assert!(!hit("étè", "ete"));
        // An ASCII token of a non-ASCII value.
        assert!(hit("00u1abc", "Zoë 00U1ABC"));
    }

    #[test]
    fn lower_casing_is_per_character_without_context() {
        // Σ lower-cases to σ wherever it stands (no final-sigma rule), on
        // both sides, so a token matches the same whether it ends the value
        // or not, and a keyword matches the same value it matches exactly.
        assert!(hit("ΔΗΜΟΣΘΕΝΗΣ", "ΔΗΜΟΣΘΕΝΗΣ"));
        assert!(hit("δημοσθενησ", "ΔΗΜΟΣΘΕΝΗΣ"));
        assert!(hit("ΔΗΜΟΣΘΕΝΗΣ", "δημοσθενησ-x"));
        assert!(hit("ΟΔΟΣ", "ΟΔΟΣ ΑΘΗΝΑΣ"));
        assert!(hit("οδοσ", "ΟΔΟΣ ΑΘΗΝΑΣ"));
        assert!(hit("Σ", "Σ-1"));
        assert!(hit("σ", "Σ"));
        // ς is its own lower-case letter: it never equals σ.
        assert!(!hit("οδος", "ΟΔΟΣ"));
        assert!(!hit("ΟΔΟΣ", "οδος"));
        assert!(hit("ΟΔΟς", "οδος"));
        // İ lower-cases to i + U+0307, so it is not the ASCII i.
        assert!(hit("i\u{307}stanbul", "İSTANBUL"));
        assert!(hit("İstanbul", "i\u{307}stanbul"));
        assert!(!hit("istanbul", "İstanbul"));
    }

    #[test]
    fn several_keywords_one_mask() {
        let k = Keywords::parse("Manual FULL import 00u1").unwrap();
        assert_eq!(k.all(), 0b1111);
        assert_eq!(k.words(), ["Manual", "FULL", "import", "00u1"]);
        assert_eq!(k.hits("Manual action"), 0b0001);
        assert_eq!(k.hits("full"), 0b0010);
        assert_eq!(k.hits("system.import.start"), 0);
        assert_eq!(k.hits("import: full, manual"), 0b0111);
        assert_eq!(k.hits("00U1 import FULL manual"), 0b1111);
        // Repeated keywords each get their bit.
        let k = Keywords::parse("a A").unwrap();
        assert_eq!(k.hits("a"), 0b11);
    }

    #[test]
    fn parse_splits_on_unicode_whitespace() {
        let k = Keywords::parse("\t one\u{3000}Two\n\u{a0}three ").unwrap();
        assert_eq!(k.words(), ["one", "Two", "three"]);
        // The first too-long word is named.
        let w41 = "a".repeat(41);
        let w50 = "b".repeat(50);
        assert_eq!(
            Keywords::parse(&format!("ok {w41} {w50}")),
            Err(KeywordError::TooLong { word: w41.clone() })
        );
        assert!(Keywords::parse(&"a".repeat(40)).is_ok());
        // The count is checked before the lengths.
        let many = [w41.as_str(); 12].join(" ");
        assert_eq!(
            Keywords::parse(&many),
            Err(KeywordError::TooMany { count: 12 })
        );
        assert_eq!(Keywords::parse(""), Err(KeywordError::Empty));
    }

    #[test]
    fn error_messages() {
        assert_eq!(KeywordError::Empty.to_string(), "no keywords given");
        assert_eq!(
            KeywordError::TooMany { count: 11 }.to_string(),
            "too many keywords: 11 given, at most 10 allowed"
        );
        assert_eq!(
            KeywordError::TooLong { word: "xyz".into() }.to_string(),
            "keyword too long: `xyz` has more than 40 characters"
        );
    }
}
