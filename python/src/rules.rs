//! `RuleSet`, `Rule` and `RuleProblem`: the binding of [`oktaql::rules`].
//!
//! Loading, the rule formats, the problems and the matching are the
//! library's ([`oktaql::rules::Loader`], [`oktaql::rules::RuleSet`]); this
//! file converts the options, turns the problems into Python objects
//! (warned, or raised with `strict=True`), and hands the ids of the rules
//! that select an event back as `str`s. `RuleSet.filter_file` runs the same
//! pipeline as `Filter.filter_file` (file.rs) with the rule set as matcher.

use std::path::PathBuf;
use std::sync::Arc;

use oktaql::rules::{self as lib, Engine, Level, LoadOptions, Loader, ProblemKind};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::file::{Matcher, Pipeline};
use crate::{
    event_dict, json_error_of, optional_timestamp, text_bytes, type_name, Errors, PyValue,
};

create_exception!(
    oktaql,
    RuleError,
    PyValueError,
    "Rules not loaded, or lint warnings, met by RuleSet(..., strict=True): the \
     message names each (`path:line: rule not loaded: why`), and `problems` is \
     the tuple of their RuleProblem objects."
);
create_exception!(
    oktaql,
    RuleWarning,
    PyUserWarning,
    "A rule not loaded, or a lint warning about a loaded one, reported by \
     RuleSet(...) (without strict=True): the message is the problem's text, \
     `path:line: rule not loaded: why` or `path:line:col: warning[code]: ...`. \
     RuleSet.problems holds them too."
);

/// A set of detection rules, loaded from YAML rule files, matched in one pass.
///
/// ``RuleSet(paths=None, *, yaml=None, name="<yaml>", engine="oie",
/// ignore_case=False, since=None, until=None, level=None, only=None,
/// exclude=None, hidden=False, strict=False, status=None, placeholders=None)``
///
/// - ``paths``: a rule file or a directory of them (a ``str`` or
///   ``os.PathLike``), or a list of those. A directory is walked as the
///   ``oktaql rules`` command walks it: sorted, hidden names skipped unless
///   ``hidden=True``, only its ``.yml`` and ``.yaml`` files read.
/// - ``yaml``: rules as YAML text (after the paths), named ``name`` in
///   problems.
/// - The formats: oktaql's own (``title``, ``id``, ``level``, ``filter``,
///   and optionally ``ignore_case``, ``keywords``) and Okta's
///   customer-detections (the filter in ``detection.okta_systemlog.OIE``,
///   or ``Classic`` with ``engine="classic"``). One rule per YAML document;
///   a file may hold several (``---``).
/// - ``ignore_case``, ``since``, ``until``: for every rule, as for
///   ``Filter``.
/// - ``level`` (a level name: that level and above; rules without a level
///   are left out), ``only`` and ``exclude`` (ids: a ``str`` or a list of
///   them) choose the rules kept. An id of ``only`` that no loaded rule has
///   raises ``ValueError``.
/// - Sigma rules (``detection`` with a ``condition``, ``logsource``
///   ``product: okta``): ``status`` (a status or a list of them) keeps
///   only rules of those statuses, as ``oktaql rules --status``;
///   ``placeholders`` (a dict of a name to a value or a list of values)
///   fills the ``%name%`` placeholders of ``expand``, as ``--placeholder``.
///   A rule left with an unfilled placeholder is not loaded (a problem).
///
/// Nothing is skipped in silence: every rule (or file) not loaded, and
/// every finding of ``oktaql.check`` in a loaded rule's filter, is a
/// ``RuleProblem`` in ``.problems``, each also issued as a ``RuleWarning``;
/// with ``strict=True`` any problem raises ``RuleError`` instead. A load
/// that keeps no rule is an empty set, which selects no event.
///
/// >>> import oktaql
/// >>> rules = oktaql.RuleSet("examples/rules/seed.yml")
/// >>> rules
/// <RuleSet: loaded 2 rules from 1 file; none not loaded>
/// >>> [r.id for r in rules]
/// ['ad-import-manual', 'ad-import-manual-full']
/// >>> rules.matches({"eventType": "system.import.start",
/// ...     "debugContext": {"debugData": {"importTrigger": "Manual action", "importType": "Full"}}})
/// ['ad-import-manual', 'ad-import-manual-full']
#[pyclass(module = "oktaql", frozen)]
pub(crate) struct RuleSet {
    set: Arc<lib::RuleSet>,
    /// The `Rule` objects, in load order.
    rules: Py<PyTuple>,
    /// The `RuleProblem` objects, in the order met.
    problems: Py<PyTuple>,
    /// Each rule's id as a Python str, shared by every answer.
    ids: Arc<Vec<Py<PyString>>>,
}

/// The paths of the `paths` argument: one path or an iterable of them.
fn paths_of(paths: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if let Ok(p) = paths.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    let not_paths = || {
        PyTypeError::new_err(format!(
            "paths takes a path (str or os.PathLike) or a list of them, not {}",
            type_name(paths)
        ))
    };
    let items = paths.try_iter().map_err(|_| not_paths())?;
    items
        .map(|item| {
            let item = item?;
            item.extract::<PathBuf>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "paths takes paths (str or os.PathLike), not {}",
                    type_name(&item)
                ))
            })
        })
        .collect()
}

/// The ids of `only` or `exclude`: a str (one id) or an iterable of str.
fn ids_of(what: &str, ids: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    strs_of(what, "a rule id", ids)
}

/// A str, or an iterable of them (`noun` names one in the error).
fn strs_of(what: &str, noun: &str, ids: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(ids) = ids.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = ids.cast::<PyString>() {
        return Ok(vec![s.to_cow()?.into_owned()]);
    }
    let wrong = |v: &Bound<'_, PyAny>| {
        PyTypeError::new_err(format!(
            "{what} takes {noun} (str) or a list of them, not {}",
            type_name(v)
        ))
    };
    ids.try_iter()
        .map_err(|_| wrong(ids))?
        .map(|item| {
            let item = item?;
            match item.cast::<PyString>() {
                Ok(s) => Ok(s.to_cow()?.into_owned()),
                Err(_) => Err(wrong(&item)),
            }
        })
        .collect()
}

fn engine_of(engine: &str) -> PyResult<Engine> {
    match engine {
        "oie" | "OIE" => Ok(Engine::Oie),
        "classic" | "Classic" => Ok(Engine::Classic),
        _ => Err(PyValueError::new_err(format!(
            "engine must be \"oie\" or \"classic\", not {engine:?}"
        ))),
    }
}

#[pymethods]
impl RuleSet {
    #[new]
    #[pyo3(signature = (
        paths = None, *, yaml = None, name = "<yaml>", engine = "oie", ignore_case = false,
        since = None, until = None, level = None, only = None, exclude = None, hidden = false,
        strict = false, status = None, placeholders = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        paths: Option<&Bound<'_, PyAny>>,
        yaml: Option<&Bound<'_, PyAny>>,
        name: &str,
        engine: &str,
        ignore_case: bool,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        level: Option<&str>,
        only: Option<&Bound<'_, PyAny>>,
        exclude: Option<&Bound<'_, PyAny>>,
        hidden: bool,
        strict: bool,
        status: Option<&Bound<'_, PyAny>>,
        placeholders: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RuleSet> {
        let paths = match paths.filter(|v| !v.is_none()) {
            Some(p) => paths_of(p)?,
            None => Vec::new(),
        };
        let yaml = match yaml.filter(|v| !v.is_none()) {
            None => None,
            Some(y) => match y.cast::<PyString>() {
                Ok(s) => Some(s.to_cow()?.into_owned()),
                Err(_) => {
                    return Err(PyTypeError::new_err(format!(
                        "yaml takes the rules' YAML text as a str, not {}",
                        type_name(y)
                    )))
                }
            },
        };
        if paths.is_empty() && yaml.is_none() {
            return Err(PyTypeError::new_err(
                "RuleSet() takes rule files (paths) or YAML text (yaml=)",
            ));
        }
        let since = optional_timestamp(py, "since", since)?;
        let until = optional_timestamp(py, "until", until)?;
        let level = level
            .map(|l| l.parse::<Level>())
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let only = ids_of("only", only)?;
        let options = LoadOptions::new()
            .engine(engine_of(engine)?)
            .ignore_case(ignore_case)
            .since(since)
            .until(until)
            .hidden(hidden)
            .min_level(level)
            .only(only.clone())
            .exclude(ids_of("exclude", exclude)?)
            .status(strs_of("status", "a Sigma status", status)?);
        let mut options = options;
        if let Some(p) = placeholders.filter(|v| !v.is_none()) {
            let map = p.cast::<PyDict>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "placeholders takes a dict of names to values (str or a list of str), not {}",
                    type_name(p)
                ))
            })?;
            for (k, v) in map.iter() {
                let name = k
                    .cast::<PyString>()
                    .map_err(|_| {
                        PyTypeError::new_err(format!(
                            "placeholders: a name is a str, not {}",
                            type_name(&k)
                        ))
                    })?
                    .to_cow()?
                    .into_owned();
                let values = strs_of(&format!("placeholders[{name:?}]"), "a value", Some(&v))?;
                options = options.placeholder(&name, values);
            }
        }
        // Reading the files lets other Python threads run.
        let (set, problems) = py.detach(|| {
            let mut loader = Loader::new(options);
            for p in &paths {
                loader.add_path(p);
            }
            if let Some(text) = &yaml {
                loader.add_yaml(text, name);
            }
            loader.finish()
        });
        if let Some(id) = only
            .iter()
            .find(|id| !set.rules().iter().any(|r| r.id() == *id))
        {
            return Err(PyValueError::new_err(format!(
                "only: no loaded rule has the id {id:?}"
            )));
        }
        let objects: Vec<Py<RuleProblem>> = problems
            .into_iter()
            .map(|problem| Py::new(py, RuleProblem { problem }))
            .collect::<PyResult<_>>()?;
        let problems = PyTuple::new(py, &objects)?;
        if strict && !objects.is_empty() {
            return Err(strict_error(py, &set, &objects, &problems));
        }
        let warning = py.get_type::<RuleWarning>();
        let warn = py
            .import(intern!(py, "warnings"))?
            .getattr(intern!(py, "warn"))?;
        for p in &objects {
            // Placed at the line that made the RuleSet.
            warn.call1((p.get().problem.to_string(), &warning, 1))?;
        }
        let set = Arc::new(set);
        let ids = set
            .rules()
            .iter()
            .map(|r| PyString::intern(py, r.id()).unbind())
            .collect();
        let rules: Vec<Py<Rule>> = (0..set.len())
            .map(|index| {
                Py::new(
                    py,
                    Rule {
                        set: set.clone(),
                        index,
                    },
                )
            })
            .collect::<PyResult<_>>()?;
        Ok(RuleSet {
            set,
            rules: PyTuple::new(py, rules)?.unbind(),
            problems: problems.unbind(),
            ids: Arc::new(ids),
        })
    }

    /// The rules kept, in load order, as ``Rule`` objects.
    ///
    /// >>> [(r.id, r.level) for r in oktaql.RuleSet("examples/rules/seed.yml").rules]
    /// [('ad-import-manual', 'medium'), ('ad-import-manual-full', 'high')]
    #[getter]
    fn rules(&self, py: Python<'_>) -> Py<PyTuple> {
        self.rules.clone_ref(py)
    }

    /// Every rule not loaded and every warning, as ``RuleProblem`` objects,
    /// in the order met (empty when there is none).
    ///
    /// >>> import warnings
    /// >>> with warnings.catch_warnings():
    /// ...     warnings.simplefilter("ignore", oktaql.RuleWarning)
    /// ...     rules = oktaql.RuleSet(yaml='title: t\nid: t\nfilter: eventType in ["a", "b"]\n', name="t.yml")
    /// >>> len(rules), [(p.kind, p.why) for p in rules.problems]
    /// (0, [('not-loaded', 'syntax')])
    /// >>> print(rules.problems[0].help)
    /// write: (eventType eq "a" or eventType eq "b")
    ///   (Okta's language has no `in`; write the `or` of `eq`s)
    #[getter]
    fn problems(&self, py: Python<'_>) -> Py<PyTuple> {
        self.problems.clone_ref(py)
    }

    /// The load in one line: rules loaded, files read, rules not loaded and
    /// why in a word each, as the ``oktaql rules`` command prints it.
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml", level="high").summary
    /// 'loaded 2 rules from 1 file; none not loaded; 1 left out by the selection'
    #[getter]
    fn summary(&self) -> String {
        self.set.summary().to_string()
    }

    fn __len__(&self) -> usize {
        self.set.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.rules.bind(py).try_iter()?.into_any())
    }

    fn __repr__(&self) -> String {
        format!("<RuleSet: {}>", self.set.summary())
    }

    /// The ids of the rules (in load order) that select the event, a dict as
    /// ``json.loads`` gives it; an empty list when none does. The values
    /// are read as ``Filter.matches`` reads them (the same errors).
    ///
    /// >>> rules = oktaql.RuleSet("examples/rules/seed.yml")
    /// >>> rules.matches({"eventType": "system.import.start",
    /// ...     "debugContext": {"debugData": {"importTrigger": "Manual action", "importType": "Incremental"}}})
    /// ['ad-import-manual']
    /// >>> rules.matches({"eventType": "user.session.start"})
    /// []
    fn matches<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        event_dict(event)?;
        let mut hits = Vec::new();
        self.set
            .matches_access(&PyValue(event.clone()), &mut hits)?;
        self.ids_of(py, &hits)
    }

    /// The ids of the rules (in load order) that select one event, given as
    /// its JSON text (``bytes`` or ``str``). Malformed JSON raises
    /// ``JsonError``, as ``Filter.matches_json`` does.
    ///
    /// >>> rules = oktaql.RuleSet("examples/rules/seed.yml")
    /// >>> rules.matches_json(b'{"eventType": "system.import.start", "debugContext": {"debugData": {"importTrigger": "Manual action"}}}')
    /// ['ad-import-manual']
    /// >>> rules.matches_json('{"eventType": ')
    /// Traceback (most recent call last):
    ///   ...
    /// oktaql.JsonError: unexpected end of JSON at byte 14
    fn matches_json<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let bytes = text_bytes(data, "matches_json()")?;
        let mut hits = Vec::new();
        let verdict = if bytes.len() > 1 << 16 {
            // A large event: let other Python threads run meanwhile.
            let bytes: &[u8] = &bytes;
            py.detach(|| self.set.matches_json(bytes, &mut hits))
        } else {
            self.set.matches_json(&bytes, &mut hits)
        };
        verdict.map_err(|e| json_error_of(py, &e, None))?;
        self.ids_of(py, &hits)
    }

    /// Yields ``(rule_ids, event)`` for each event of a file that some rule
    /// selects, in file order: ``rule_ids`` the list of the ids of the rules
    /// that select it (in load order), ``event`` its JSON text as ``bytes``
    /// on one line, as ``Filter.filter_file`` yields it.
    ///
    /// Every event is read once for all the rules. The file is read as
    /// ``Filter.filter_file`` reads it (every shape the ``oktaql`` command
    /// reads, gzip and zstd), on ``threads`` threads (default: one per
    /// core) without the GIL, with the same errors: a bad value raises
    /// ``JsonError`` with ``.path`` and ``.line`` after the events before
    /// it, or with ``errors="warn"`` is a ``BadEventWarning`` and skipped.
    ///
    /// >>> rules = oktaql.RuleSet("examples/rules/seed.yml")
    /// >>> hits = list(rules.filter_file("examples/system-log.ndjson"))
    /// >>> [ids for ids, event in hits]
    /// [['ad-import-manual', 'ad-import-manual-full'], ['ad-import-manual'], ['ad-import-manual', 'ad-import-manual-full'], ['ad-import-manual'], ['ad-import-manual']]
    /// >>> hits[0][1][:12]
    /// b'{"actor":{"i'
    #[pyo3(signature = (path, *, errors = "strict", threads = None))]
    fn filter_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        errors: &str,
        threads: Option<usize>,
    ) -> PyResult<RuleFileMatches> {
        let errors = Errors::parse(errors)?;
        let pipeline = Pipeline::open(py, Matcher::Rules(self.set.clone()), path, errors, threads)?;
        Ok(RuleFileMatches {
            pipeline,
            ids: self.ids.clone(),
        })
    }
}

impl RuleSet {
    fn ids_of<'py>(&self, py: Python<'py>, hits: &[usize]) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, hits.iter().map(|&i| self.ids[i].bind(py)))
    }
}

/// The `RuleError` of `strict=True`: every problem, named.
fn strict_error(
    py: Python<'_>,
    set: &lib::RuleSet,
    objects: &[Py<RuleProblem>],
    problems: &Bound<'_, PyTuple>,
) -> PyErr {
    let warnings = objects
        .iter()
        .filter(|p| !p.get().problem.is_not_loaded())
        .count();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut message = format!(
        "strict: {} not loaded, {warnings} warning{}",
        set.summary().not_loaded,
        s(warnings)
    );
    for p in objects {
        message.push('\n');
        message.push_str(&p.get().problem.to_string());
    }
    let err = RuleError::new_err(message);
    match err.value(py).setattr(intern!(py, "problems"), problems) {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// A loaded rule: its id, title, level, filter and where it came from.
///
/// >>> rule = oktaql.RuleSet("examples/rules/seed.yml").rules[1]
/// >>> rule
/// <Rule 'ad-import-manual-full' at examples/rules/seed.yml:10>
/// >>> rule.title, rule.level, rule.format
/// ('Full AD import started by hand', 'high', 'oktaql')
/// >>> print(rule.filter)
/// eventType eq "system.import.start"
///   and debugContext.debugData.importTrigger eq "Manual action"
///   and debugContext.debugData.importType eq "Full"
/// >>> oktaql.Filter(rule.filter, ignore_case=rule.ignore_case, keywords=rule.keywords).matches(
/// ...     {"eventType": "system.import.start",
/// ...      "debugContext": {"debugData": {"importTrigger": "Manual action", "importType": "Full"}}})
/// True
#[pyclass(module = "oktaql", frozen)]
pub(crate) struct Rule {
    set: Arc<lib::RuleSet>,
    index: usize,
}

impl Rule {
    fn rule(&self) -> &lib::Rule {
        &self.set.rules()[self.index]
    }
}

#[pymethods]
impl Rule {
    /// The rule's ``id``.
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].id
    /// 'ad-import-manual'
    #[getter]
    fn id(&self) -> &str {
        self.rule().id()
    }

    /// The rule's ``title``.
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].title
    /// 'AD import started by hand'
    #[getter]
    fn title(&self) -> &str {
        self.rule().title()
    }

    /// The rule's ``level`` (``"informational"``, ``"low"``, ``"medium"``,
    /// ``"high"``, ``"critical"``), or None (Okta's format has none).
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].level
    /// 'medium'
    #[getter]
    fn level(&self) -> Option<&'static str> {
        self.rule().level().map(Level::as_str)
    }

    /// The rule's ``description``, or None.
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].description
    /// 'An admin started an Active Directory import (not the schedule).'
    #[getter]
    fn description(&self) -> Option<&str> {
        self.rule().description()
    }

    /// The filter's text, as the rule file has it (trimmed).
    ///
    /// >>> oktaql.RuleSet(yaml='title: t\nid: t\nfilter: " a eq 1 "\n').rules[0].filter
    /// 'a eq 1'
    #[getter]
    fn filter(&self) -> &str {
        self.rule().filter_text()
    }

    /// Whether the rule compares strings ignoring case: its own
    /// ``ignore_case: true``, or ``RuleSet(..., ignore_case=True)``.
    ///
    /// >>> oktaql.RuleSet(yaml='title: t\nid: t\nfilter: a eq "x"\nignore_case: true\n').rules[0].ignore_case
    /// True
    #[getter]
    fn ignore_case(&self) -> bool {
        self.rule().ignore_case()
    }

    /// The rule's ``keywords`` (Okta's ``q``, as ``Filter(keywords=...)``),
    /// or None.
    ///
    /// >>> oktaql.RuleSet(yaml='title: t\nid: t\nfilter: a pr\nkeywords: admin\n').rules[0].keywords
    /// 'admin'
    #[getter]
    fn keywords(&self) -> Option<&str> {
        self.rule().keywords()
    }

    /// The format the rule was written in: ``"oktaql"`` (``filter:`` at the
    /// top level) or ``"okta"`` (Okta's ``detection.okta_systemlog``).
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].format
    /// 'oktaql'
    #[getter]
    fn format(&self) -> &'static str {
        self.rule().format().as_str()
    }

    /// The file the rule came from (``name`` for YAML text).
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[0].path
    /// 'examples/rules/seed.yml'
    #[getter]
    fn path(&self) -> &str {
        self.rule().path()
    }

    /// The line of its file where the rule's YAML document starts.
    ///
    /// >>> oktaql.RuleSet("examples/rules/seed.yml").rules[1].line
    /// 10
    #[getter]
    fn line(&self) -> usize {
        self.rule().line()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let rule = self.rule();
        Ok(format!(
            "<Rule {} at {}:{}>",
            PyString::new(py, rule.id()).repr()?,
            rule.path(),
            rule.line()
        ))
    }
}

/// A rule (or a file) not loaded, or a warning about a loaded rule, placed
/// in its file. ``str(p)`` is the text the ``oktaql rules`` command prints
/// (``path:line: rule not loaded: why``, with the rewrite that would load
/// it where there is one; ``path:line:col: warning[code]: message`` with
/// the filter's line and carets).
///
/// >>> import warnings
/// >>> with warnings.catch_warnings():
/// ...     warnings.simplefilter("ignore", oktaql.RuleWarning)
/// ...     p = oktaql.RuleSet(yaml="title: t\nid: t\nfilter: actor.nmae eq \"x\"\n", name="r.yml").problems[0]
/// >>> p.kind, p.code, p.path, p.line, p.column
/// ('warning', 'unknown-field', 'r.yml', 3, 9)
/// >>> print(p)
/// r.yml:3:9: warning[unknown-field]: ...
#[pyclass(module = "oktaql", frozen)]
pub(crate) struct RuleProblem {
    problem: lib::Problem,
}

#[pymethods]
impl RuleProblem {
    /// The file (``name`` for YAML text).
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\n", name="r.yml").problems[0].path
    /// 'r.yml'
    #[getter]
    fn path(&self) -> &str {
        &self.problem.path
    }

    /// The line (1-based): of the rule's document for a rule not loaded, of
    /// the finding for a warning.
    ///
    /// >>> oktaql.RuleSet(yaml="title: a\nid: a\nfilter: eventType pr\n---\ntitle: t\n").problems[0].line
    /// 5
    #[getter]
    fn line(&self) -> usize {
        self.problem.line
    }

    /// The column (1-based, in characters), or None where not known.
    ///
    /// >>> oktaql.RuleSet(yaml="title: [\n").problems[0].column is not None
    /// True
    #[getter]
    fn column(&self) -> Option<usize> {
        self.problem.column
    }

    /// ``"not-loaded"`` (a rule or a file) or ``"warning"``.
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\n").problems[0].kind
    /// 'not-loaded'
    #[getter]
    fn kind(&self) -> &'static str {
        match self.problem.kind {
            ProblemKind::NotLoaded { .. } => "not-loaded",
            ProblemKind::Warning { .. } => "warning",
        }
    }

    /// Why it was not loaded, in a word (``"unreadable"``, ``"yaml"``,
    /// ``"invalid"``, ``"syntax"``, ``"counting"``, ``"duplicate"``,
    /// ``"unsupported"``, ``"engine"``); None for a warning.
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\n").problems[0].why
    /// 'invalid'
    #[getter]
    fn why(&self) -> Option<&'static str> {
        match &self.problem.kind {
            ProblemKind::NotLoaded { why, .. } => Some(why.as_str()),
            ProblemKind::Warning { .. } => None,
        }
    }

    /// A warning's code (``"unknown-field"``, ``"unknown-key"``, the codes
    /// of ``oktaql.check``); None for a rule not loaded.
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\nid: t\nfilter: a pr\ncolour: red\n").problems[0].code
    /// 'unknown-key'
    #[getter]
    fn code(&self) -> Option<&str> {
        match &self.problem.kind {
            ProblemKind::NotLoaded { .. } => None,
            ProblemKind::Warning { code, .. } => Some(code),
        }
    }

    /// What is wrong, in a sentence (without the place).
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\n").problems[0].message
    /// "not a rule: no `filter` (oktaql's format) or `detection` (Okta's or Sigma's format)"
    #[getter]
    fn message(&self) -> &str {
        match &self.problem.kind {
            ProblemKind::NotLoaded { reason, .. } => reason,
            ProblemKind::Warning { message, .. } => message,
        }
    }

    /// What to write or do instead, where there is something; else None.
    ///
    /// >>> oktaql.RuleSet(yaml="title: t\n").problems[0].help is None
    /// True
    #[getter]
    fn help(&self) -> Option<&str> {
        match &self.problem.kind {
            ProblemKind::NotLoaded { help, .. } | ProblemKind::Warning { help, .. } => {
                help.as_deref()
            }
        }
    }

    fn __str__(&self) -> String {
        self.problem.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = self.problem.to_string();
        let first = text.lines().next().unwrap_or_default();
        Ok(format!(
            "<RuleProblem {}>",
            PyString::new(py, first).repr()?
        ))
    }
}

/// The iterator ``RuleSet.filter_file`` returns: ``(rule_ids, event)`` for
/// each selected event of one file, in file order.
#[pyclass(module = "oktaql", frozen)]
pub(crate) struct RuleFileMatches {
    pipeline: Pipeline,
    ids: Arc<Vec<Py<PyString>>>,
}

#[pymethods]
impl RuleFileMatches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        self.pipeline.next(py, |event, rules| {
            let ids = PyList::new(py, rules.iter().map(|&i| self.ids[i].bind(py)))?;
            PyTuple::new(py, [ids.into_any(), PyBytes::new(py, event).into_any()])
        })
    }
}
