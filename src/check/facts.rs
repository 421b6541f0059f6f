//! What oktaql knows about Okta's LogEvent: every attribute path, which of
//! them are free-form maps, and the documented enums. Built at first use
//! from two files compiled in:
//!
//! - `data/okta/logevent-fields.tsv`: Okta's LogEvent schema and the paths
//!   its documentation shows, with types, enums and notes (a verbatim copy,
//!   sources in its header and in `data/okta/SOURCES.md`);
//! - `data/okta/observed-paths.tsv`: the paths that file lacks but the
//!   public corpus's real events or Okta's own public filters use (derived
//!   from `tests/data/corpus`; `tests/check.rs` checks it is up to date).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::similar::Candidate;

const SCHEMA: &str = include_str!("../../data/okta/logevent-fields.tsv");
const OBSERVED: &str = include_str!("../../data/okta/observed-paths.tsv");

/// Enum spellings the schema file names only in its notes, each with the
/// words of the note that names it (checked by a test below).
const EXTRA_ENUM_VALUES: &[(&str, &str, &str)] = &[
    (
        "authenticationContext.credentialProvider",
        "APPLE",
        "legacy v1 swagger adds APPLE",
    ),
    (
        "authenticationContext.credentialType",
        "OAUTH2",
        "spell OAUTH2 instead of OAuth 2.0",
    ),
    (
        "device.disk_encryption_type",
        "ALL_INTERNAL_VOLUMES",
        "examples show ALL_INTERNAL_VOLUMES",
    ),
];

/// One known attribute path.
#[derive(Debug)]
pub(crate) struct Known {
    pub names: Vec<String>,
    /// A free-form map: any key may follow.
    pub map: bool,
    /// In the schema file (rather than only observed).
    pub schema: bool,
    /// The documented values, when the attribute is an enum.
    pub values: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Facts {
    /// Schema paths first, in the file's order, then observed ones; every
    /// prefix of a known path is known too.
    pub paths: Vec<Known>,
    index: HashMap<String, usize>,
}

/// Where a path stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// A known path.
    Known(usize),
    /// Under a free-form map (the index of the map), after its first
    /// `len` names.
    UnderMap {
        map: usize,
        len: usize,
    },
    Unknown,
}

pub(crate) fn facts() -> &'static Facts {
    static FACTS: OnceLock<Facts> = OnceLock::new();
    FACTS.get_or_init(Facts::build)
}

impl Facts {
    fn build() -> Facts {
        let mut f = Facts {
            paths: Vec::new(),
            index: HashMap::new(),
        };
        for line in SCHEMA.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(path), Some(ty), notes) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let i = f.add(path, true);
            f.paths[i].map = ty == "map";
            f.paths[i].values = enum_values(notes.unwrap_or(""));
        }
        for &(path, value, _) in EXTRA_ENUM_VALUES {
            if let Some(&i) = f.index.get(path) {
                f.paths[i].values.push(value.to_owned());
            }
        }
        for line in OBSERVED.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let path = line.split('\t').next().unwrap_or("");
            f.add(path, false);
        }
        f
    }

    /// Adds `path` and its prefixes; returns its index.
    fn add(&mut self, path: &str, schema: bool) -> usize {
        let names: Vec<&str> = path.split('.').collect();
        let mut at = 0;
        for n in 1..=names.len() {
            let key = names[..n].join(".");
            at = match self.index.get(&key) {
                Some(&i) => i,
                None => {
                    self.paths.push(Known {
                        names: names[..n].iter().map(|s| (*s).to_owned()).collect(),
                        map: false,
                        schema,
                        values: Vec::new(),
                    });
                    self.index.insert(key, self.paths.len() - 1);
                    self.paths.len() - 1
                }
            };
        }
        at
    }

    #[cfg(test)]
    pub(crate) fn get(&self, dotted: &str) -> Option<&Known> {
        self.index.get(dotted).map(|&i| &self.paths[i])
    }

    /// Where `names` stands: under a map as soon as a prefix is one.
    pub(crate) fn place(&self, names: &[String]) -> Place {
        let mut key = String::new();
        for (n, name) in names.iter().enumerate() {
            if n > 0 {
                key.push('.');
            }
            key.push_str(name);
            match self.index.get(&key) {
                None => return Place::Unknown,
                Some(&i) if self.paths[i].map && n + 1 < names.len() => {
                    return Place::UnderMap { map: i, len: n + 1 }
                }
                Some(&i) if n + 1 == names.len() => return Place::Known(i),
                Some(_) => {}
            }
        }
        Place::Unknown
    }

    /// Every known path as a did-you-mean candidate (maps open).
    pub(crate) fn candidates(&self) -> Vec<Candidate<'_>> {
        self.paths
            .iter()
            .map(|k| Candidate {
                names: &k.names,
                open: k.map,
            })
            .collect()
    }

    /// The keys seen directly under the map at index `map`.
    pub(crate) fn map_keys(&self, map: usize) -> impl Iterator<Item = &Known> {
        let depth = self.paths[map].names.len();
        let prefix = &self.paths[map].names;
        self.paths
            .iter()
            .filter(move |k| k.names.len() == depth + 1 && k.names.starts_with(prefix))
    }
}

/// The values of a schema note that starts `enum A|B|C` (or
/// `NOT IN LogEvent SCHEMA: enum A|B|C`), up to `;` or ` (`.
fn enum_values(notes: &str) -> Vec<String> {
    let notes = notes
        .strip_prefix("NOT IN LogEvent SCHEMA: ")
        .unwrap_or(notes);
    let Some(rest) = notes.strip_prefix("enum ") else {
        return Vec::new();
    };
    let end = [rest.find(';'), rest.find(" (")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    rest[..end]
        .split('|')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(p: &str) -> Vec<String> {
        p.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn enums_read_from_the_notes() {
        let f = facts();
        let values = |p: &str| f.get(p).unwrap().values.join("|");
        assert_eq!(
            values("outcome.result"),
            "SUCCESS|FAILURE|SKIPPED|ALLOW|DENY|CHALLENGE|UNKNOWN|RATE_LIMIT|DEFERRED|SCHEDULED|ABANDONED|UNANSWERED"
        );
        assert_eq!(values("severity"), "DEBUG|ERROR|INFO|WARN");
        assert_eq!(
            values("request.ipChain.ipDetails.ipServiceCategories.type"),
            "VPN|Proxy|Tor|Residential Proxy|Blockchain VPN"
        );
        assert_eq!(
            values("authenticationContext.credentialType"),
            "ASSERTION|CERTIFICATE|DEVICE_UDID|EMAIL|IWA|JWT|OAuth 2.0|OKTA_CLIENT_SESSION|OTP|PASSWORD|PRE_SHARED_SYMMETRIC_KEY|SMS|OAUTH2"
        );
        assert_eq!(
            values("device.disk_encryption_type"),
            "ALL_INTERNAL_VALUES|FULL|NONE|SYSTEM_VOLUME|USER|ALL_INTERNAL_VOLUMES"
        );
        // "V4|V6 per old reference doc (not an enum in the schema)".
        assert_eq!(values("request.ipChain.version"), "");
        assert_eq!(values("transaction.type"), "");
        assert_eq!(values("eventType"), "");
    }

    #[test]
    fn extra_enum_values_are_in_the_notes() {
        for (path, value, words) in EXTRA_ENUM_VALUES {
            let line = SCHEMA
                .lines()
                .find(|l| l.split('\t').next() == Some(path))
                .unwrap_or_else(|| panic!("{path} in the schema file"));
            assert!(line.contains(words) && words.contains(value), "{path}");
        }
    }

    #[test]
    fn places() {
        let f = facts();
        assert!(matches!(f.place(&n("eventType")), Place::Known(_)));
        assert!(matches!(f.place(&n("actor")), Place::Known(_)));
        assert!(matches!(
            f.place(&n("debugContext.debugData")),
            Place::Known(_)
        ));
        assert!(matches!(
            f.place(&n("debugContext.debugData.importTrigger")),
            Place::UnderMap { len: 2, .. }
        ));
        // A key seen under the map is still under the map.
        assert!(matches!(
            f.place(&n("debugContext.debugData.requestUri")),
            Place::UnderMap { len: 2, .. }
        ));
        assert!(matches!(
            f.place(&n("target.detailEntry.MethodTypeUsed")),
            Place::UnderMap { len: 2, .. }
        ));
        assert!(matches!(
            f.place(&n("target.changeDetails.to.x")),
            Place::UnderMap { len: 3, .. }
        ));
        assert_eq!(f.place(&n("eventtype")), Place::Unknown);
        assert_eq!(f.place(&n("actor.alternateId.x")), Place::Unknown);
        // The schema lags: Okta's own detections use these.
        assert!(matches!(
            f.place(&n(
                "authenticationContext.authenticatorContext.bindingMethod"
            )),
            Place::Known(_)
        ));
    }
}
