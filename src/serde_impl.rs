//! `Serialize`/`Deserialize` for [`Filter`] (the `serde` feature).
//!
//! A filter without options is its text, a string; with options, a map of
//! the text and the options that are set:
//!
//! ```text
//! "eventType eq \"user.session.start\""
//! {"text": "outcome.result eq \"failure\"", "ignore_case": true,
//!  "invert": false, "since": "2025-03-01", "until": null, "keywords": "admin"}
//! ```
//!
//! Both forms deserialize (a map's options may be left out; an unknown key
//! is an error); the text is parsed and the filter rebuilt with the options.
//! An empty text is the empty filter ([`FilterBuilder::empty_selects_all`]).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::{Filter, FilterBuilder, Keywords, Timestamp};

/// The map form.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithOptions {
    text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    ignore_case: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    invert: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.to_string();
        let o = &self.options;
        if *o == crate::Options::default() {
            return s.serialize_str(&text);
        }
        WithOptions {
            text,
            ignore_case: o.ignore_case,
            invert: o.invert,
            since: o.since.map(|t| t.to_string()),
            until: o.until.map(|t| t.to_string()),
            keywords: o.keywords.as_ref().map(|k| k.words().join(" ")),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Filter, D::Error> {
        d.deserialize_any(FilterVisitor)
    }
}

struct FilterVisitor;

impl<'de> Visitor<'de> for FilterVisitor {
    type Value = Filter;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a filter: its text, or a map with `text` and options")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Filter, E> {
        build(FilterBuilder::new(), text)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Filter, A::Error> {
        let w = WithOptions::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let time = |what: &str, t: Option<String>| -> Result<Option<Timestamp>, A::Error> {
            t.map(|t| {
                Timestamp::parse(&t)
                    .map_err(|e| de::Error::custom(format_args!("{what}: {e}: `{t}`")))
            })
            .transpose()
        };
        let keywords = w
            .keywords
            .map(|k| {
                Keywords::parse(&k).map_err(|e| de::Error::custom(format_args!("keywords: {e}")))
            })
            .transpose()?;
        let builder = FilterBuilder::new()
            .ignore_case(w.ignore_case)
            .invert(w.invert)
            .since(time("since", w.since)?)
            .until(time("until", w.until)?)
            .keywords(keywords);
        build(builder, &w.text)
    }
}

fn build<E: de::Error>(builder: FilterBuilder, text: &str) -> Result<Filter, E> {
    builder
        .empty_selects_all(text.trim().is_empty())
        .parse(text)
        .map_err(|e| E::custom(format_args!("invalid filter: {e}")))
}
