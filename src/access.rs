//! Matching events held in another tree than [`serde_json::Value`]: the
//! evaluator asks an [`Access`] for what it needs, so an embedding (the
//! Python binding's dicts and lists) is matched in place, without building
//! a `Value` or JSON text first, and the rules stay in this crate.
//!
//! ```
//! use std::borrow::Cow;
//! use std::collections::BTreeMap;
//! use std::convert::Infallible;
//! use oktaql::access::{Access, Kind};
//! use oktaql::Filter;
//!
//! // A toy tree: objects of strings only.
//! #[derive(Clone)]
//! enum Toy<'a> {
//!     Str(&'a str),
//!     Obj(&'a BTreeMap<&'a str, Toy<'a>>),
//! }
//!
//! impl<'a> Access for Toy<'a> {
//!     type Error = Infallible;
//!     fn kind(&self) -> Result<Kind<'_>, Infallible> {
//!         Ok(match self {
//!             Toy::Str(s) => Kind::String(Cow::Borrowed(*s)),
//!             Toy::Obj(m) => Kind::Object { empty: m.is_empty() },
//!         })
//!     }
//!     fn member(&self, key: &str) -> Result<Option<Self>, Infallible> {
//!         Ok(match self {
//!             Toy::Obj(m) => m.get(key).cloned(),
//!             Toy::Str(_) => None,
//!         })
//!     }
//!     fn elements(&self, _: &mut dyn FnMut(Self)) -> Result<(), Infallible> {
//!         Ok(())
//!     }
//!     fn values(&self, f: &mut dyn FnMut(Self)) -> Result<(), Infallible> {
//!         if let Toy::Obj(m) = self {
//!             m.values().cloned().for_each(f);
//!         }
//!         Ok(())
//!     }
//! }
//!
//! let outcome = BTreeMap::from([("result", Toy::Str("FAILURE"))]);
//! let event = BTreeMap::from([
//!     ("eventType", Toy::Str("user.session.start")),
//!     ("outcome", Toy::Obj(&outcome)),
//! ]);
//! let f = Filter::parse(r#"eventType sw "user." and outcome.result eq "FAILURE""#)?;
//! assert_eq!(f.matches_access(&Toy::Obj(&event)), Ok(true));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The evaluator visits only the values the filter looks at (and, with
//! keywords, every string of the event), iteratively: nesting depth costs
//! heap, never stack. An error from the tree stops the evaluation and is
//! returned as is.

use std::borrow::Cow;
use std::convert::Infallible;

use serde_json::Value;

/// What one value is, as the evaluator asks it.
///
/// ```
/// use std::borrow::Cow;
/// use oktaql::access::{Access, Kind};
/// use serde_json::json;
///
/// let event = json!({"outcome": {"result": "FAILURE"}, "target": [], "debugContext": {}});
/// let e = &event;
/// assert_eq!(e.kind(), Ok(Kind::Object { empty: false }));
/// let debug = e.member("debugContext").unwrap().unwrap();
/// assert_eq!(debug.kind(), Ok(Kind::Object { empty: true }));
/// let target = e.member("target").unwrap().unwrap();
/// assert_eq!(target.kind(), Ok(Kind::Array));
/// let result = e.member("outcome").unwrap().unwrap().member("result").unwrap().unwrap();
/// assert_eq!(result.kind(), Ok(Kind::String(Cow::Borrowed("FAILURE"))));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Kind<'a> {
    /// JSON `null`.
    Null,
    /// `true` or `false`.
    Bool(
        /// The value.
        bool,
    ),
    /// A JSON number (finite: [`serde_json::Number`] holds no NaN or
    /// infinity). Integers within `i64`/`u64` are compared exactly, others
    /// as `f64`, as for a `Value`.
    Number(
        /// The number.
        serde_json::Number,
    ),
    /// A string, borrowed from the tree or made for the occasion.
    String(
        /// The string, escapes resolved.
        Cow<'a, str>,
    ),
    /// An array: the evaluator asks for its [`elements`](Access::elements).
    Array,
    /// An object: the evaluator asks for a [`member`](Access::member) or
    /// its [`values`](Access::values).
    Object {
        /// Whether the object has no members.
        empty: bool,
    },
}

/// Read access to one value of a JSON-shaped tree (and, through it, to the
/// values below it). A handle is cloned for each value visited, so it
/// should be cheap to clone (a reference, a reference-counted pointer).
///
/// ```
/// use oktaql::access::Access;
/// use oktaql::Filter;
/// use serde_json::json;
///
/// // Any Access works with Filter::matches_access; `&serde_json::Value` is one.
/// fn failed<V: Access>(event: &V) -> Result<bool, V::Error> {
///     Filter::parse(r#"outcome.result eq "FAILURE""#).unwrap().matches_access(event)
/// }
/// assert_eq!(failed(&&json!({"outcome": {"result": "FAILURE"}})), Ok(true));
/// assert_eq!(failed(&&json!({"outcome": {"result": "SUCCESS"}})), Ok(false));
/// ```
pub trait Access: Clone {
    /// What reading the tree can fail with (a value that JSON cannot hold,
    /// say); `Infallible` for a tree that cannot fail.
    ///
    /// ```
    /// use std::convert::Infallible;
    /// use oktaql::access::Access;
    /// use serde_json::Value;
    ///
    /// // Reading a serde_json::Value cannot fail.
    /// fn no_errors<V: Access<Error = Infallible>>(_: V) {}
    /// no_errors(&Value::Null);
    /// ```
    type Error;

    /// What this value is.
    ///
    /// ```
    /// use oktaql::access::{Access, Kind};
    /// use serde_json::json;
    ///
    /// assert_eq!((&json!(true)).kind(), Ok(Kind::Bool(true)));
    /// assert_eq!((&json!(null)).kind(), Ok(Kind::Null));
    /// assert_eq!((&json!(42)).kind(), Ok(Kind::Number(42.into())));
    /// ```
    fn kind(&self) -> Result<Kind<'_>, Self::Error>;

    /// For an object: the value of its member `key`, or `None` when it has
    /// none. For repeated keys it should be the last, as in a `Value`.
    /// Asked only of objects.
    ///
    /// ```
    /// use oktaql::access::Access;
    /// use serde_json::json;
    ///
    /// let event = json!({"eventType": "user.session.start"});
    /// assert_eq!((&event).member("eventType"), Ok(Some(&json!("user.session.start"))));
    /// assert_eq!((&event).member("actor"), Ok(None));
    /// ```
    fn member(&self, key: &str) -> Result<Option<Self>, Self::Error>;

    /// For an array: calls `f` on each element, in order. Asked only of
    /// arrays.
    ///
    /// ```
    /// use oktaql::access::Access;
    /// use serde_json::{json, Value};
    ///
    /// let targets = json!([{"type": "User"}, {"type": "AppInstance"}]);
    /// let mut types = Vec::new();
    /// (&targets).elements(&mut |t: &Value| types.push(t["type"].clone())).unwrap();
    /// assert_eq!(types, [json!("User"), json!("AppInstance")]);
    /// ```
    fn elements(&self, f: &mut dyn FnMut(Self)) -> Result<(), Self::Error>;

    /// For an object: calls `f` on the value of each member (in any
    /// order). Asked only of objects, for keywords.
    ///
    /// ```
    /// use oktaql::access::Access;
    /// use serde_json::{json, Value};
    ///
    /// let actor = json!({"alternateId": "alice@example.com", "type": "User"});
    /// let mut values = Vec::new();
    /// (&actor).values(&mut |v: &Value| values.push(v.as_str().unwrap().to_owned())).unwrap();
    /// values.sort();
    /// assert_eq!(values, ["User", "alice@example.com"]);
    /// ```
    fn values(&self, f: &mut dyn FnMut(Self)) -> Result<(), Self::Error>;
}

impl<'v> Access for &'v Value {
    type Error = Infallible;

    fn kind(&self) -> Result<Kind<'_>, Infallible> {
        Ok(match *self {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => Kind::Number(n.clone()),
            Value::String(s) => Kind::String(Cow::Borrowed(s)),
            Value::Array(_) => Kind::Array,
            Value::Object(m) => Kind::Object {
                empty: m.is_empty(),
            },
        })
    }

    fn member(&self, key: &str) -> Result<Option<Self>, Infallible> {
        let v: &'v Value = self;
        Ok(v.get(key))
    }

    fn elements(&self, f: &mut dyn FnMut(Self)) -> Result<(), Infallible> {
        if let Value::Array(items) = *self {
            items.iter().for_each(f);
        }
        Ok(())
    }

    fn values(&self, f: &mut dyn FnMut(Self)) -> Result<(), Infallible> {
        if let Value::Object(m) = *self {
            m.values().for_each(f);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Filter;
    use serde_json::json;

    /// A `Value` whose string "bad" cannot be read.
    #[derive(Clone)]
    struct Touchy<'v>(&'v Value);

    impl<'v> Access for Touchy<'v> {
        type Error = String;
        fn kind(&self) -> Result<Kind<'_>, String> {
            let v: &'v Value = self.0;
            match v {
                Value::String(s) if s == "bad" => Err("read bad".to_owned()),
                Value::String(s) => Ok(Kind::String(Cow::Borrowed(s))),
                Value::Array(_) => Ok(Kind::Array),
                Value::Object(m) => Ok(Kind::Object {
                    empty: m.is_empty(),
                }),
                Value::Number(n) => Ok(Kind::Number(n.clone())),
                Value::Bool(b) => Ok(Kind::Bool(*b)),
                Value::Null => Ok(Kind::Null),
            }
        }
        fn member(&self, key: &str) -> Result<Option<Self>, String> {
            Ok(self.0.get(key).map(Touchy))
        }
        fn elements(&self, f: &mut dyn FnMut(Self)) -> Result<(), String> {
            self.0
                .as_array()
                .into_iter()
                .flatten()
                .map(Touchy)
                .for_each(f);
            Ok(())
        }
        fn values(&self, f: &mut dyn FnMut(Self)) -> Result<(), String> {
            self.0
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| Touchy(v))
                .for_each(f);
            Ok(())
        }
    }

    #[test]
    fn errors_come_back_and_unread_values_are_not_read() {
        let event = json!({"a": 1, "b": "bad", "c": ["x", "bad"], "t": [{"k": "bad"}, {"k": "y"}]});
        let ev = Touchy(&event);
        let check = |text: &str| Filter::parse(text).unwrap().matches_access(&ev);
        // Only what the filter looks at is read; `or` stops at the first true.
        assert_eq!(check("a eq 1"), Ok(true));
        assert_eq!(check(r#"a eq 1 or b eq "x""#), Ok(true));
        assert_eq!(check(r#"b eq "x""#), Err("read bad".to_owned()));
        // Array elements in order: the first satisfies, the second is not read.
        assert_eq!(check(r#"c eq "x""#), Ok(true));
        assert_eq!(check(r#"c eq "z""#), Err("read bad".to_owned()));
        assert_eq!(check(r#"t[k eq "y"]"#), Err("read bad".to_owned()));
        // Keywords read every string.
        let kw = Filter::builder()
            .keywords(Some(crate::Keywords::parse("zzz").unwrap()))
            .parse("a pr")
            .unwrap();
        assert_eq!(kw.matches_access(&ev), Err("read bad".to_owned()));
        // The same answers as the Value evaluator where nothing fails.
        let fine = json!({"a": 1, "t": [{"k": "x"}, {"k": "y", "n": [1, [2, 3]]}]});
        for text in [
            r#"t[k eq "y" and n eq 3]"#,
            "t.n gt 2",
            "t.n eq 4",
            r#"not (t.k eq "x")"#,
        ] {
            let f = Filter::parse(text).unwrap();
            assert_eq!(
                f.matches_access(&Touchy(&fine)),
                Ok(f.matches(&fine)),
                "{text}"
            );
        }
    }
}
