//! `oktaql._oktaql`: the Python binding. A thin layer: it converts Python
//! values to the library's types and back and delegates; every rule of the
//! language, of JSON and of the input shapes is the `oktaql` crate's.
//!
//! - `Filter` wraps [`oktaql::Filter`] (built with [`oktaql::FilterBuilder`]).
//! - `Filter.matches(dict)` walks the Python objects in place through the
//!   library's [`oktaql::access::Access`] trait ([`PyValue`] here), so only
//!   the values the filter looks at are read.
//! - `Filter.matches_json` and `Filter.filter_lines` call
//!   [`oktaql::Filter::matches_json`].
//! - `Filter.filter_file` runs the command's pipeline shape (file.rs): the
//!   library's reader on one thread, [`oktaql::read::Batch::select`] on
//!   worker threads, the GIL released while the Python side waits.
//! - `RuleSet` (rules.rs) wraps [`oktaql::rules::RuleSet`]: rule files
//!   loaded by the library's loader, `matches` through the same
//!   [`PyValue`], `filter_file` through the same pipeline with
//!   [`oktaql::read::Batch::select_rules`].

#![forbid(unsafe_code)]

mod file;
mod rules;

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use oktaql::access::{Access, Kind};
use oktaql::{Keywords, Timestamp};
use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use pyo3::{create_exception, intern};

create_exception!(
    oktaql,
    ParseError,
    PyValueError,
    "A filter that does not parse. `offset` is the byte offset in the filter \
     where it went wrong, `kind` the error kind's name (`\"expected_operator\"`), \
     `text` the filter; the message ends with the filter's line and carets \
     under the offending text."
);
create_exception!(
    oktaql,
    JsonError,
    PyValueError,
    "An event that is not valid JSON (or holds a value JSON cannot: NaN, an \
     infinity, a lone surrogate). `kind` (`\"truncated\"`, `\"invalid_number\"`, \
     ...) and `offset` (a byte offset in the event) when known, else None; \
     `line` (1-based) and `path` when the event came from filter_lines or \
     filter_file, else None."
);
create_exception!(
    oktaql,
    BadEventWarning,
    PyUserWarning,
    "A bad event skipped by filter_lines or filter_file with errors=\"warn\": \
     the message names where (`path:line:` or `line N:`) and what is wrong."
);

/// A `ParseError` exception from the library's error.
fn parse_error(py: Python<'_>, e: &oktaql::ParseError) -> PyErr {
    let err = ParseError::new_err(e.to_string());
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr(intern!(py, "offset"), e.offset())?;
        value.setattr(intern!(py, "kind"), e.kind().name())?;
        value.setattr(intern!(py, "text"), e.input())?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Where a JSON error was met, for the exception's attributes.
#[derive(Default)]
pub(crate) struct JsonAt<'a> {
    pub kind: Option<&'static str>,
    pub offset: Option<usize>,
    pub line: Option<u64>,
    pub path: Option<&'a str>,
}

/// A `JsonError` exception with its attributes.
pub(crate) fn json_error(py: Python<'_>, message: String, at: JsonAt<'_>) -> PyErr {
    let err = JsonError::new_err(message);
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr(intern!(py, "kind"), at.kind)?;
        value.setattr(intern!(py, "offset"), at.offset)?;
        value.setattr(intern!(py, "line"), at.line)?;
        value.setattr(intern!(py, "path"), at.path)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

fn json_error_of(py: Python<'_>, e: &oktaql::JsonError, line: Option<u64>) -> PyErr {
    let message = match line {
        Some(n) => format!("line {n}: {e}"),
        None => e.to_string(),
    };
    json_error(
        py,
        message,
        JsonAt {
            kind: Some(e.kind().name()),
            offset: Some(e.offset()),
            line,
            path: None,
        },
    )
}

/// What to do with a bad event in filter_lines and filter_file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Errors {
    /// Raise `JsonError` (after yielding the events before it).
    Strict,
    /// Warn (`BadEventWarning`) and skip it.
    Warn,
}

impl Errors {
    fn parse(s: &str) -> PyResult<Errors> {
        match s {
            "strict" => Ok(Errors::Strict),
            "warn" => Ok(Errors::Warn),
            _ => Err(PyValueError::new_err(format!(
                "errors must be \"strict\" or \"warn\", not {s:?}"
            ))),
        }
    }
}

/// Issues a `BadEventWarning` through Python's `warnings` module (so the
/// usual filters apply: `warnings.simplefilter("ignore", BadEventWarning)`
/// silences it, "error" makes it raise).
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    py.import(intern!(py, "warnings"))?.call_method1(
        intern!(py, "warn"),
        (message, py.get_type::<BadEventWarning>(), 2),
    )?;
    Ok(())
}

/// The bytes of a `bytes`, `bytearray` or `str` (UTF-8) argument.
fn text_bytes<'a>(data: &'a Bound<'_, PyAny>, what: &str) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        Ok(Cow::Borrowed(b.as_bytes()))
    } else if let Ok(s) = data.cast::<PyString>() {
        // Under the stable ABI of Python 3.9 a str's UTF-8 is a copy.
        Ok(Cow::Owned(s.encode_utf8()?.as_bytes().to_vec()))
    } else if let Ok(b) = data.cast::<PyByteArray>() {
        Ok(Cow::Owned(b.to_vec()))
    } else {
        Err(PyTypeError::new_err(format!(
            "{what} takes bytes or str, not {}",
            type_name(data)
        )))
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// The `TypeError` of `matches()` for an event that is not a dict.
fn event_dict(event: &Bound<'_, PyAny>) -> PyResult<()> {
    if event.is_instance_of::<PyDict>() {
        return Ok(());
    }
    let hint = if event.is_instance_of::<PyString>() || event.is_instance_of::<PyBytes>() {
        "; for JSON text use matches_json()"
    } else {
        ""
    };
    Err(PyTypeError::new_err(format!(
        "matches() takes an event as a dict (what json.loads gives), not {}{hint}",
        type_name(event)
    )))
}

/// A Python value seen by the library's evaluator: what `json.loads` gives
/// (dict, list, str, int, float, bool, None; tuples count as lists, as
/// `json.dumps` has them).
#[derive(Clone)]
struct PyValue<'py>(Bound<'py, PyAny>);

impl<'py> Access for PyValue<'py> {
    type Error = PyErr;

    fn kind(&self) -> PyResult<Kind<'_>> {
        let v = &self.0;
        if let Ok(s) = v.cast::<PyString>() {
            return match s.to_cow() {
                Ok(s) => Ok(Kind::String(s)),
                Err(_) => Err(json_error(
                    v.py(),
                    format!(
                        "a string holding a lone surrogate is not valid JSON: {}",
                        v.repr().map(|r| r.to_string()).unwrap_or_default()
                    ),
                    JsonAt {
                        kind: Some(oktaql::JsonErrorKind::InvalidString.name()),
                        ..JsonAt::default()
                    },
                )),
            };
        }
        if let Ok(d) = v.cast::<PyDict>() {
            return Ok(Kind::Object {
                empty: d.is_empty(),
            });
        }
        if v.is_none() {
            return Ok(Kind::Null);
        }
        // Before int: bool is a subclass of int.
        if let Ok(b) = v.cast::<PyBool>() {
            return Ok(Kind::Bool(b.is_true()));
        }
        if v.is_instance_of::<PyInt>() {
            return number_of_int(v).map(Kind::Number);
        }
        if let Ok(f) = v.cast::<PyFloat>() {
            return match serde_json::Number::from_f64(f.value()) {
                Some(n) => Ok(Kind::Number(n)),
                None => Err(not_a_number(v)),
            };
        }
        if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
            return Ok(Kind::Array);
        }
        Err(PyTypeError::new_err(format!(
            "an event holds dict, list, str, int, float, bool and None (what json.loads gives), \
             not {}",
            type_name(v)
        )))
    }

    fn member(&self, key: &str) -> PyResult<Option<Self>> {
        match self.0.cast::<PyDict>() {
            Ok(d) => Ok(d.get_item(key)?.map(PyValue)),
            Err(_) => Ok(None),
        }
    }

    fn elements(&self, f: &mut dyn FnMut(Self)) -> PyResult<()> {
        if let Ok(l) = self.0.cast::<PyList>() {
            l.iter().map(PyValue).for_each(f);
        } else if let Ok(t) = self.0.cast::<PyTuple>() {
            t.iter().map(PyValue).for_each(f);
        }
        Ok(())
    }

    fn values(&self, f: &mut dyn FnMut(Self)) -> PyResult<()> {
        if let Ok(d) = self.0.cast::<PyDict>() {
            d.iter().map(|(_, v)| PyValue(v)).for_each(f);
        }
        Ok(())
    }
}

/// An int as a JSON number: exact within i64 and u64, else the nearest
/// f64 (as a JSON parser reads a longer integer); beyond f64 an error.
fn number_of_int(v: &Bound<'_, PyAny>) -> PyResult<serde_json::Number> {
    if let Ok(i) = v.extract::<i64>() {
        return Ok(i.into());
    }
    if let Ok(u) = v.extract::<u64>() {
        return Ok(u.into());
    }
    // float(int) rounds correctly, as parsing the digits would.
    v.extract::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .ok_or_else(|| not_a_number(v))
}

fn not_a_number(v: &Bound<'_, PyAny>) -> PyErr {
    let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
    let mut shown: String = repr.chars().take(40).collect();
    if shown.len() < repr.len() {
        shown.push('…');
    }
    json_error(
        v.py(),
        format!("{shown} is not a JSON number (NaN, infinities and numbers beyond f64 are not)"),
        JsonAt {
            kind: Some(oktaql::JsonErrorKind::InvalidNumber.name()),
            ..JsonAt::default()
        },
    )
}

/// A date-time option (`since`, `until`): RFC 3339 text or a `YYYY-MM-DD`
/// date, a timezone-aware `datetime.datetime`, or a `datetime.date`
/// (midnight UTC, as the text `YYYY-MM-DD`).
fn timestamp(py: Python<'_>, what: &str, v: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let datetime = py.import(intern!(py, "datetime"))?;
    let text: String = if let Ok(s) = v.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else if v.is_instance(&datetime.getattr(intern!(py, "datetime"))?)? {
        if v.call_method0(intern!(py, "utcoffset"))?.is_none() {
            return Err(PyValueError::new_err(format!(
                "{what} is a naive datetime ({}): give it a timezone, for example \
                 datetime.timezone.utc, so that the instant is certain",
                v.str()?
            )));
        }
        // In UTC, then as RFC 3339 text with a `Z`.
        let utc = datetime
            .getattr(intern!(py, "timezone"))?
            .getattr(intern!(py, "utc"))?;
        let no_zone = PyDict::new(py);
        no_zone.set_item("tzinfo", py.None())?;
        let naive = v
            .call_method1(intern!(py, "astimezone"), (utc,))?
            .call_method(intern!(py, "replace"), (), Some(&no_zone))?;
        format!("{}Z", naive.call_method0(intern!(py, "isoformat"))?)
    } else if v.is_instance(&datetime.getattr(intern!(py, "date"))?)? {
        v.call_method0(intern!(py, "isoformat"))?.to_string()
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what} takes a str, a timezone-aware datetime.datetime or a datetime.date, not {}",
            type_name(v)
        )));
    };
    Timestamp::parse(&text).map_err(|_| {
        PyValueError::new_err(format!(
            "invalid {what} value {text:?}: expected an RFC 3339 date-time \
             (2025-03-03T08:00:00Z, 2025-03-03T10:00:00.5+02:00) or a date (2025-03-03)"
        ))
    })
}

/// [`timestamp`] of an optional argument (None: no bound).
fn optional_timestamp(
    py: Python<'_>,
    what: &str,
    v: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Timestamp>> {
    v.filter(|v| !v.is_none())
        .map(|v| timestamp(py, what, v))
        .transpose()
}

// The default of `nest_limit` above is written as a literal so that Python
// shows it in the signature.
const _: () = assert!(oktaql::DEFAULT_NEST_LIMIT == 64);

/// A compiled Okta System Log filter.
///
/// ``Filter(text, *, ignore_case=False, since=None, until=None, keywords=None)``
///
/// - ``text``: the filter, as typed in the System Log search or passed as
///   ``filter=`` to ``/api/v1/logs``. Invalid text raises ``ParseError``
///   (a ``ValueError``), with ``.offset``, ``.kind`` and a caret diagram.
/// - ``ignore_case``: compare strings ignoring case.
/// - ``since`` / ``until``: Okta's ``since`` and ``until``: only events whose
///   ``published`` is at or after ``since`` and before ``until``. RFC 3339
///   text (``"2025-03-03T08:00:00Z"``), a date (``"2025-03-03"``, midnight
///   UTC), a timezone-aware ``datetime.datetime`` or a ``datetime.date``.
///   A naive ``datetime`` raises ``ValueError``: give it a timezone.
/// - ``keywords``: Okta's ``q``: every word (split on white space) must equal,
///   ignoring case, a string of the event or one of its tokens.
/// - ``nest_limit``: how many levels of ``(``, ``not (`` and ``[`` the text
///   may nest (default 64, at most 256); deeper text raises ``ParseError``.
///
/// ``str(f)`` is the canonical text; a Filter is immutable, hashable, and
/// pickles by its text and options.
///
/// >>> import oktaql
/// >>> f = oktaql.Filter('eventType EQ "user.session.start"  and outcome.result eq "FAILURE"')
/// >>> str(f)
/// 'eventType eq "user.session.start" and outcome.result eq "FAILURE"'
/// >>> f.matches({"eventType": "user.session.start", "outcome": {"result": "FAILURE"}})
/// True
/// >>> f
/// Filter('eventType eq "user.session.start" and outcome.result eq "FAILURE"')
/// >>> f == oktaql.Filter('(eventType eq "user.session.start") and (outcome.result eq "FAILURE")')
/// True
#[pyclass(module = "oktaql", frozen)]
struct Filter {
    inner: Arc<oktaql::Filter>,
    /// The nest limit parsed with (kept for pickling and repr).
    nest_limit: usize,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    keywords: Option<Keywords>,
}

#[pymethods]
impl Filter {
    #[new]
    #[pyo3(signature = (
        text, *, ignore_case = false, since = None, until = None, keywords = None,
        nest_limit = 64
    ))]
    fn new(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        ignore_case: bool,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        keywords: Option<&Bound<'_, PyAny>>,
        nest_limit: usize,
    ) -> PyResult<Filter> {
        let nest_limit = nest_limit.min(oktaql::MAX_NEST_LIMIT);
        let text = match text.cast::<PyString>() {
            Ok(s) => s.to_cow()?,
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "Filter() takes the filter text as a str, not {}",
                    type_name(text)
                )))
            }
        };
        let since = optional_timestamp(py, "since", since)?;
        let until = optional_timestamp(py, "until", until)?;
        let keywords = match keywords.filter(|v| !v.is_none()) {
            None => None,
            Some(k) => {
                let k = k.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "keywords takes a str (words separated by spaces), not {}",
                        type_name(k)
                    ))
                })?;
                Some(
                    Keywords::parse(&k.to_cow()?)
                        .map_err(|e| PyValueError::new_err(format!("invalid keywords: {e}")))?,
                )
            }
        };
        let inner = oktaql::Filter::builder()
            .ignore_case(ignore_case)
            .since(since)
            .until(until)
            .keywords(keywords.clone())
            .nest_limit(nest_limit)
            .parse(&text)
            .map_err(|e| parse_error(py, &e))?;
        Ok(Filter {
            inner: Arc::new(inner),
            nest_limit,
            since,
            until,
            keywords,
        })
    }

    /// The canonical text: lower-case keywords, single spaces, only the
    /// parentheses needed. It parses back to an equal filter.
    ///
    /// >>> str(oktaql.Filter('(a EQ 1)  OR b pr'))
    /// 'a eq 1 or b pr'
    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    /// ``Filter('<canonical text>', <options that are not the default>)``:
    /// evaluating it gives an equal filter.
    ///
    /// >>> oktaql.Filter('a  eq 1', ignore_case=True)
    /// Filter('a eq 1', ignore_case=True)
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        let mut out = format!("Filter({}", repr(&self.inner.to_string())?);
        if self.inner.ignore_case() {
            out.push_str(", ignore_case=True");
        }
        if let Some(t) = self.since {
            out.push_str(&format!(", since={}", repr(&t.to_string())?));
        }
        if let Some(t) = self.until {
            out.push_str(&format!(", until={}", repr(&t.to_string())?));
        }
        if let Some(k) = &self.keywords {
            out.push_str(&format!(", keywords={}", repr(&k.words().join(" "))?));
        }
        if self.nest_limit != oktaql::DEFAULT_NEST_LIMIT {
            out.push_str(&format!(", nest_limit={}", self.nest_limit));
        }
        out.push(')');
        Ok(out)
    }

    /// Equal filters have equal parse trees (spelling and spacing aside) and
    /// equal options.
    ///
    /// >>> oktaql.Filter('a EQ 1  or (b pr)') == oktaql.Filter('a eq 1 or b pr')
    /// True
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<Filter>() {
            Ok(o) => *self.inner == *o.get().inner,
            Err(_) => false,
        }
    }

    fn __hash__(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.to_string().hash(&mut h);
        self.inner.ignore_case().hash(&mut h);
        self.since.hash(&mut h);
        self.until.hash(&mut h);
        self.keywords.as_ref().map(|k| k.words()).hash(&mut h);
        h.finish()
    }

    /// Pickles as the canonical text and the options (``copyreg.__newobj_ex__``),
    /// so ``pickle`` and Spark's cloudpickle rebuild an equal filter.
    ///
    /// >>> import pickle
    /// >>> f = oktaql.Filter('a eq 1', ignore_case=True)
    /// >>> pickle.loads(pickle.dumps(f)) == f
    /// True
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let kwargs = PyDict::new(py);
        if this.inner.ignore_case() {
            kwargs.set_item("ignore_case", true)?;
        }
        if let Some(t) = this.since {
            kwargs.set_item("since", t.to_string())?;
        }
        if let Some(t) = this.until {
            kwargs.set_item("until", t.to_string())?;
        }
        if let Some(k) = &this.keywords {
            kwargs.set_item("keywords", k.words().join(" "))?;
        }
        if this.nest_limit != oktaql::DEFAULT_NEST_LIMIT {
            kwargs.set_item("nest_limit", this.nest_limit)?;
        }
        let newobj = py
            .import(intern!(py, "copyreg"))?
            .getattr(intern!(py, "__newobj_ex__"))?;
        let args = (slf.get_type(), (this.inner.to_string(),), kwargs);
        PyTuple::new(py, [newobj.into_any(), args.into_pyobject(py)?.into_any()])
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    /// Whether string comparisons ignore case.
    ///
    /// >>> oktaql.Filter('a eq "X"', ignore_case=True).ignore_case
    /// True
    #[getter]
    fn ignore_case(&self) -> bool {
        self.inner.ignore_case()
    }

    /// ``since`` as RFC 3339 text in UTC, or None.
    ///
    /// >>> oktaql.Filter('a pr', since="2025-03-03T10:00:00+02:00").since
    /// '2025-03-03T08:00:00Z'
    #[getter]
    fn since(&self) -> Option<String> {
        self.since.map(|t| t.to_string())
    }

    /// ``until`` as RFC 3339 text in UTC, or None.
    ///
    /// >>> import datetime
    /// >>> oktaql.Filter('a pr', until=datetime.date(2025, 3, 4)).until
    /// '2025-03-04T00:00:00Z'
    #[getter]
    fn until(&self) -> Option<String> {
        self.until.map(|t| t.to_string())
    }

    /// The nest limit the text was parsed with.
    ///
    /// >>> oktaql.Filter('((a pr))').nest_limit
    /// 64
    #[getter]
    fn nest_limit(&self) -> usize {
        self.nest_limit
    }

    /// The keywords, separated by single spaces, or None.
    ///
    /// >>> oktaql.Filter('a pr', keywords="  admin   reset ").keywords
    /// 'admin reset'
    #[getter]
    fn keywords(&self) -> Option<String> {
        self.keywords.as_ref().map(|k| k.words().join(" "))
    }

    /// Whether the event, a dict as ``json.loads`` gives it, satisfies the
    /// filter.
    ///
    /// Only the values the filter looks at are read (with ``keywords``,
    /// every value until each keyword is found). A value read that JSON
    /// cannot hold raises: NaN, an infinity or an int beyond float range,
    /// or a str with a lone surrogate raise ``JsonError``; a type
    /// ``json.loads`` never gives (a datetime, a set) raises ``TypeError``.
    /// Tuples count as lists. Paths match str keys only.
    ///
    /// >>> f = oktaql.Filter('target[type eq "User" and alternateId sw "admin"]')
    /// >>> f.matches({"target": [{"type": "AppInstance"}, {"type": "User", "alternateId": "admin@example.com"}]})
    /// True
    fn matches(&self, event: &Bound<'_, PyAny>) -> PyResult<bool> {
        event_dict(event)?;
        self.inner.matches_access(&PyValue(event.clone()))
    }

    /// Whether one event, given as its JSON text (``bytes`` or ``str``),
    /// satisfies the filter, straight from the text. The text is validated
    /// whole: malformed JSON raises ``JsonError`` (with ``.kind`` and the
    /// byte ``.offset``), never returns False.
    ///
    /// >>> f = oktaql.Filter('outcome.result eq "FAILURE"')
    /// >>> f.matches_json(b'{"outcome": {"result": "FAILURE"}}')
    /// True
    /// >>> f.matches_json('{"outcome": ')
    /// Traceback (most recent call last):
    ///   ...
    /// oktaql.JsonError: unexpected end of JSON at byte 12
    fn matches_json(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        let bytes = text_bytes(data, "matches_json()")?;
        let verdict = if bytes.len() > 1 << 16 {
            // A large event: let other Python threads run meanwhile.
            let bytes: &[u8] = &bytes;
            py.detach(|| self.inner.matches_json(bytes))
        } else {
            self.inner.matches_json(&bytes)
        };
        verdict.map_err(|e| json_error_of(py, &e, None))
    }

    /// Yields the items of ``lines`` (``bytes`` or ``str``, one event's JSON
    /// text each: an open file, a list, a generator) that satisfy the filter,
    /// unchanged. Blank lines (only spaces, tabs, CR, LF) are skipped.
    ///
    /// A line that is not valid JSON raises ``JsonError`` naming it
    /// (``.line``, 1-based, counting every item) after the matching lines
    /// before it; with ``errors="warn"`` it is reported as a
    /// ``BadEventWarning`` instead and skipped.
    ///
    /// >>> f = oktaql.Filter('eventType sw "user.session"')
    /// >>> list(f.filter_lines(['{"eventType": "user.session.start"}\n', '\n', '{"eventType": "app.x"}\n']))
    /// ['{"eventType": "user.session.start"}\n']
    #[pyo3(signature = (lines, *, errors = "strict"))]
    fn filter_lines(&self, lines: &Bound<'_, PyAny>, errors: &str) -> PyResult<LineMatches> {
        Ok(LineMatches {
            filter: self.inner.clone(),
            lines: lines.try_iter()?.unbind(),
            errors: Errors::parse(errors)?,
            line: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Yields the events of a file that satisfy the filter, as ``bytes``: one
    /// event's JSON text each, on one line (an NDJSON line as read; an array
    /// element or a pretty-printed event compacted).
    ///
    /// Reads every shape the ``oktaql`` command reads: NDJSON, ``jq .``
    /// output, JSON arrays (API pages, several appended), mixtures; gzip
    /// and zstd; UTF-8 or UTF-16. The file is read and matched on
    /// ``threads`` threads (default: one per core) without the GIL, while
    /// the events come out in file order.
    ///
    /// A bad value (a malformed event, a number where an event belongs)
    /// raises ``JsonError`` with ``.path`` and ``.line`` after the events
    /// before it; with ``errors="warn"`` it is reported as a
    /// ``BadEventWarning`` (``path:line: what``) and skipped. Only events
    /// that may match are validated (as the command does): a malformed line
    /// that lacks the filter's literals is skipped unread. A file that
    /// cannot be opened raises ``OSError`` at once; input that is not JSON
    /// text (a zip archive, say) raises ``JsonError`` at once; a read error
    /// (a truncated gzip stream) raises ``OSError`` after the events before
    /// it.
    ///
    /// >>> f = oktaql.Filter('eventType eq "user.session.start" and outcome.result eq "FAILURE"')
    /// >>> events = list(f.filter_file("examples/system-log.ndjson"))
    /// >>> len(events), events[0][:12]
    /// (7, b'{"actor":{"i')
    #[pyo3(signature = (path, *, errors = "strict", threads = None))]
    fn filter_file(
        &self,
        py: Python<'_>,
        path: std::path::PathBuf,
        errors: &str,
        threads: Option<usize>,
    ) -> PyResult<file::FileMatches> {
        let errors = Errors::parse(errors)?;
        let matcher = file::Matcher::Filter(self.inner.clone());
        file::Pipeline::open(py, matcher, path, errors, threads).map(file::FileMatches::new)
    }

    /// to_sql(dialect, column="raw")
    /// --
    ///
    /// The filter, with its options, as one boolean SQL condition (a
    /// ``WHERE`` clause) over ``column``, a string column holding each
    /// event's JSON text. ``dialect`` is ``"duckdb"``, ``"clickhouse"`` or
    /// ``"spark"``; an unknown dialect, an invalid column name or an option
    /// the dialect cannot express raises ValueError.
    ///
    /// >>> sql = oktaql.Filter('eventType eq "user.session.start"').to_sql("duckdb")
    /// >>> isinstance(sql, str) and '"raw"' in sql
    /// True
    #[pyo3(signature = (dialect, column = "raw"))]
    fn to_sql(&self, dialect: &str, column: &str) -> PyResult<String> {
        let dialect: oktaql::sql::Dialect = dialect
            .parse()
            .map_err(|e: oktaql::sql::SqlError| PyValueError::new_err(e.to_string()))?;
        self.inner
            .to_sql(dialect, column)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// The iterator ``Filter.filter_lines`` returns.
#[pyclass(module = "oktaql", frozen)]
struct LineMatches {
    filter: Arc<oktaql::Filter>,
    lines: Py<pyo3::types::PyIterator>,
    errors: Errors,
    /// Items taken so far (the 1-based number of the last one).
    line: std::sync::atomic::AtomicU64,
}

#[pymethods]
impl LineMatches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        use std::sync::atomic::Ordering::Relaxed;
        let mut lines = self.lines.bind(py).clone();
        loop {
            let Some(item) = lines.next() else {
                return Ok(None);
            };
            let item = item?;
            let n = self.line.fetch_add(1, Relaxed) + 1;
            let bytes = text_bytes(&item, "filter_lines()")?;
            if bytes
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            {
                continue;
            }
            match self.filter.matches_json(&bytes) {
                Ok(true) => return Ok(Some(item)),
                Ok(false) => {}
                Err(e) => match self.errors {
                    Errors::Strict => return Err(json_error_of(py, &e, Some(n))),
                    Errors::Warn => warn(py, &format!("line {n}: {e}"))?,
                },
            }
        }
    }
}

/// check(text, *, ignore_case=False)
/// --
///
/// What Okta's API would reject in a filter, or what looks wrong (see
/// grammar.md, Checks): one dict per finding, with ``code``, ``severity``
/// (``"error"``: Okta rejects the filter; ``"warning"``), ``offset`` and
/// ``length`` (bytes), ``line`` and ``column``, ``message``,
/// ``suggestion`` (replacement text for the span, or None) and ``help``.
/// An empty list: nothing found. Raises ParseError when it does not parse.
///
/// >>> [f["code"] for f in oktaql.check('outcome.result eq "success"')]
/// ['enum-value']
/// >>> oktaql.check('outcome.result eq "success"')[0]["suggestion"]
/// '"SUCCESS"'
/// >>> oktaql.check('outcome.result eq "success"', ignore_case=True)
/// []
#[pyfunction]
#[pyo3(signature = (text, *, ignore_case = false))]
fn check<'py>(py: Python<'py>, text: &str, ignore_case: bool) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let options = oktaql::check::Options::new().ignore_case(ignore_case);
    let findings = oktaql::check::check(text, &options).map_err(|e| parse_error(py, &e))?;
    findings
        .iter()
        .map(|f| {
            let d = PyDict::new(py);
            d.set_item("code", f.code().as_str())?;
            d.set_item("severity", f.severity().as_str())?;
            d.set_item("offset", f.offset())?;
            d.set_item("length", f.len())?;
            d.set_item("line", f.line())?;
            d.set_item("column", f.column())?;
            d.set_item("message", f.message())?;
            d.set_item("suggestion", f.suggestion())?;
            d.set_item("help", f.help())?;
            Ok(d)
        })
        .collect()
}

/// The extension module; `oktaql/__init__.py` re-exports it.
#[pymodule]
fn _oktaql(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Filter>()?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_class::<LineMatches>()?;
    m.add_class::<file::FileMatches>()?;
    m.add_class::<rules::RuleSet>()?;
    m.add_class::<rules::Rule>()?;
    m.add_class::<rules::RuleProblem>()?;
    m.add_class::<rules::RuleFileMatches>()?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("JsonError", py.get_type::<JsonError>())?;
    m.add("BadEventWarning", py.get_type::<BadEventWarning>())?;
    m.add("RuleError", py.get_type::<rules::RuleError>())?;
    m.add("RuleWarning", py.get_type::<rules::RuleWarning>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
