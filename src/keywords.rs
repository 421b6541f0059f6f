//! Okta's `q` keyword search.
//!
//! Every keyword must equal, ignoring case, a whole string value somewhere
//! in the event or one of its tokens: the value split on whitespace and on
//! ASCII punctuation other than `.` and `_` (so either half of a hyphenated
//! id finds it, and `john.doe` stays one token). Okta's limits apply: at
//! most 10 keywords of at most 40 characters each.

use crate::value::fold;

/// At most this many keywords.
pub const MAX_KEYWORDS: usize = 10;
/// At most this many characters in one keyword.
pub const MAX_KEYWORD_CHARS: usize = 40;

/// Parsed keywords.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keywords {
    words: Vec<String>,
    folded: Vec<String>,
}

/// Keywords that break Okta's rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeywordError {
    #[error("no keywords given")]
    Empty,
    #[error("too many keywords: {count} given, at most 10 allowed")]
    TooMany { count: usize },
    #[error("keyword too long: `{word}` has more than 40 characters")]
    TooLong { word: String },
}

impl Keywords {
    /// Splits `s` on whitespace into keywords, checking Okta's limits.
    pub fn parse(s: &str) -> Result<Keywords, KeywordError> {
        let words: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
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
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The mask with every keyword's bit set.
    pub(crate) fn all(&self) -> u32 {
        (1u32 << self.words.len()) - 1
    }

    /// The keywords (bit i for keyword i) that the string value `s`
    /// satisfies: as a whole or through one of its tokens.
    pub(crate) fn hits(&self, s: &str) -> u32 {
        let mut mask = 0;
        for (i, k) in self.folded.iter().enumerate() {
            if eq_folded(s, k) || tokens(s).any(|t| eq_folded(t, k)) {
                mask |= 1 << i;
            }
        }
        mask
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || (c.is_ascii_punctuation() && c != '.' && c != '_')
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_separator).filter(|t| !t.is_empty())
}

/// Whether `s` lower-cases (char by char) to `folded`, without allocating.
fn eq_folded(s: &str, folded: &str) -> bool {
    if s.is_ascii() && folded.is_ascii() {
        return s.eq_ignore_ascii_case(folded);
    }
    s.chars().flat_map(char::to_lowercase).eq(folded.chars())
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
}
