//! Did-you-mean for attribute paths: which of a list of paths a mistyped
//! one most likely meant.
//!
//! Paths are compared name by name. A candidate is only as close as its
//! worst name, and the kinds of difference rank, best first:
//!
//! 1. case only (`eventtype`, `actor.alternateID`);
//! 2. snake_case or kebab-case for camelCase: the same letters once `_`
//!    and `-` are dropped, ignoring case (`display_message`);
//! 3. a small edit distance (insertions, deletions, substitutions and
//!    swaps of two neighbours, ignoring case): at most 1 in a name of up
//!    to 4 characters, 2 up to 8, 3 beyond, and always less than the
//!    name's length;
//! 4. leading names left out (`debugData.importTrigger`, `result`): the
//!    path, compared by rules 1 and 2, is the end of a longer candidate;
//!    the fewest names added wins.
//!
//! A candidate may be *open* (a free-form map such as
//! `debugContext.debugData`): then any names may follow it, and they are
//! kept as the user wrote them.

/// How one name differs from a candidate's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Exact,
    Case,
    Style,
    Edit,
}

/// How close a candidate is: the worst kind over its names, then the
/// total edit distance, then the names added in front. Smaller is closer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Score {
    /// Whether names were added in front (rule 4): always worse.
    added: usize,
    kind: Kind,
    distance: usize,
}

impl Score {
    /// Whether the path is the candidate exactly (or lies under it, when
    /// the candidate is open).
    pub(crate) fn is_exact(self) -> bool {
        self.added == 0 && self.kind == Kind::Exact
    }
}

/// A path to compare against.
#[derive(Clone, Debug)]
pub(crate) struct Candidate<'a> {
    pub names: &'a [String],
    /// A free-form map: anything may follow.
    pub open: bool,
}

/// The largest edit distance allowed for a name of `len` characters.
fn edit_limit(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
    .min(len.saturating_sub(1))
}

pub(crate) fn style_key(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How `user` differs from `cand`, or `None` when too far apart.
fn name_kind(user: &str, cand: &str, allow_edit: bool) -> Option<(Kind, usize)> {
    if user == cand {
        return Some((Kind::Exact, 0));
    }
    if user.eq_ignore_ascii_case(cand) {
        return Some((Kind::Case, 0));
    }
    if style_key(user) == style_key(cand) {
        return Some((Kind::Style, 0));
    }
    if !allow_edit {
        return None;
    }
    let a: Vec<char> = user.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = cand.chars().flat_map(char::to_lowercase).collect();
    let limit = edit_limit(a.len());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let d = distance(&a, &b);
    (d <= limit).then_some((Kind::Edit, d))
}

/// Whether two names are a small edit apart (rule 3).
pub(crate) fn near(a: &str, b: &str) -> bool {
    name_kind(a, b, true).is_some()
}

/// Optimal string alignment distance (Damerau-Levenshtein without
/// repeated edits of one substring).
fn distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// Compares `user[..n]` with `cand`, name by name.
fn compare(user: &[String], cand: &[String], allow_edit: bool) -> Option<(Kind, usize)> {
    let mut worst = Kind::Exact;
    let mut total = 0;
    for (u, c) in user.iter().zip(cand) {
        let (k, d) = name_kind(u, c, allow_edit)?;
        worst = worst.max(k);
        total += d;
    }
    Some((worst, total))
}

/// How close `user` is to `cand` (rules 1 to 4), or `None`.
pub(crate) fn score(user: &[String], cand: &Candidate) -> Option<Score> {
    let n = cand.names.len();
    let fits = |len: usize| {
        if cand.open {
            len >= n
        } else {
            len == n
        }
    };
    if fits(user.len()) {
        if let Some((kind, distance)) = compare(&user[..n], cand.names, true) {
            return Some(Score {
                added: 0,
                kind,
                distance,
            });
        }
    }
    // Rule 4: `user` begins at the candidate's name `k`.
    for k in 1..n {
        if !fits(user.len() + k) {
            continue;
        }
        if let Some((kind, distance)) = compare(user, &cand.names[k..], false) {
            return Some(Score {
                added: k,
                kind,
                distance,
            });
        }
    }
    None
}

/// What `user` becomes when corrected to `cand` (whose score it has): the
/// candidate's names, then the user's names beyond an open candidate.
pub(crate) fn corrected(user: &[String], cand: &Candidate, s: Score) -> Vec<String> {
    let mut out = cand.names.to_vec();
    let used = cand.names.len() - s.added;
    out.extend(user.iter().skip(used).cloned());
    out
}

/// The indexes of the closest candidates (all those with the best score),
/// in the order given; empty when none is close or `user` is one of them.
pub(crate) fn closest(user: &[String], cands: &[Candidate]) -> Vec<usize> {
    let mut best: Option<Score> = None;
    let mut out = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        let Some(s) = score(user, c) else { continue };
        if s.is_exact() {
            return Vec::new();
        }
        match best {
            Some(b) if s > b => {}
            Some(b) if s == b => out.push(i),
            _ => {
                best = Some(s);
                out.clear();
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &str) -> Vec<String> {
        p.split('.').map(str::to_owned).collect()
    }

    /// The corrected spellings of `user` among `cands` (`*` marks open ones).
    fn fix(user: &str, cands: &[&str]) -> Vec<String> {
        let owned: Vec<(Vec<String>, bool)> = cands
            .iter()
            .map(|c| match c.strip_suffix(".*") {
                Some(c) => (names(c), true),
                None => (names(c), false),
            })
            .collect();
        let cs: Vec<Candidate> = owned
            .iter()
            .map(|(n, open)| Candidate {
                names: n,
                open: *open,
            })
            .collect();
        let u = names(user);
        closest(&u, &cs)
            .into_iter()
            .map(|i| corrected(&u, &cs[i], score(&u, &cs[i]).unwrap()).join("."))
            .collect()
    }

    #[test]
    fn ranks() {
        let known = [
            "eventType",
            "eventTypes",
            "displayMessage",
            "actor.alternateId",
            "actor.id",
            "outcome.result",
            "securityContext.userBehaviors.result",
            "debugContext.debugData.*",
        ];
        // Case beats an edit of one letter.
        assert_eq!(fix("eventtype", &known), ["eventType"]);
        assert_eq!(fix("actor.alternateID", &known), ["actor.alternateId"]);
        assert_eq!(fix("display_message", &known), ["displayMessage"]);
        assert_eq!(fix("event_type", &known), ["eventType"]);
        assert_eq!(fix("dispalyMessage", &known), ["displayMessage"]);
        assert_eq!(fix("actor.alternatId", &known), ["actor.alternateId"]);
        // Under a free-form map the rest is kept.
        assert_eq!(
            fix("debugContext.debugdata.ImportTrigger", &known),
            ["debugContext.debugData.ImportTrigger"]
        );
        assert!(fix("debugContext.debugData.anything", &known).is_empty());
        // Leading names left out: the fewest added.
        assert_eq!(fix("result", &known), ["outcome.result"]);
        assert_eq!(
            fix("debugData.importTrigger", &known),
            ["debugContext.debugData.importTrigger"]
        );
        // Known exactly: nothing to suggest. Too far: nothing either.
        assert!(fix("actor.id", &known).is_empty());
        assert!(fix("client.zone", &known).is_empty());
        assert!(fix("x", &["y"]).is_empty());
        // Ties are all returned, in order.
        assert_eq!(
            fix("actor.ix", &["actor.id", "actor.ip"]),
            ["actor.id", "actor.ip"]
        );
    }

    #[test]
    fn distances() {
        let d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("evnet", "event"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
    }
}
