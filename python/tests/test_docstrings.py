"""Every public function and class of the package has a docstring with an example, and the
examples run (from the repository's root, with `oktaql` imported), as doctests. (The special
methods implemented in Rust, `__str__`, `__repr__`, `__eq__`, have no docstring of their own in
Python; the class's docstring shows them.)"""

import doctest
import inspect
import warnings

import oktaql
import oktaql.spark

from conftest import REPO

def members(cls):
    return [getattr(cls, name) for name in dir(cls) if not name.startswith("_") or name in vars(cls) and name == "__reduce__"]


PUBLIC = [
    oktaql.Filter,
    *members(oktaql.Filter),
    oktaql.RuleSet,
    *members(oktaql.RuleSet),
    oktaql.Rule,
    *members(oktaql.Rule),
    oktaql.RuleProblem,
    *members(oktaql.RuleProblem),
    oktaql.spark.filter_dataframe,
    oktaql.spark.matches_column,
]


def docstring(obj):
    return obj.__doc__ or ""


def test_every_public_function_has_a_docstring_with_an_example():
    missing = [repr(obj) for obj in PUBLIC if ">>>" not in docstring(obj)]
    assert not missing, missing
    for exc in (oktaql.ParseError, oktaql.JsonError, oktaql.BadEventWarning, oktaql.RuleError, oktaql.RuleWarning):
        assert len(docstring(exc)) > 40, exc


def test_the_examples_run(monkeypatch):
    monkeypatch.chdir(REPO)
    # The RuleSet examples with problems in them warn (RuleWarning), as a load does.
    monkeypatch.setattr(warnings, "filters", list(warnings.filters))
    warnings.simplefilter("ignore", oktaql.RuleWarning)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    ran = 0
    for obj in PUBLIC + [oktaql]:
        name = getattr(obj, "__qualname__", getattr(obj, "__name__", repr(obj)))
        text = docstring(obj)
        test = doctest.DocTestParser().get_doctest(text, {"oktaql": oktaql}, name, None, 0)
        if inspect.getmodule(obj) is oktaql.spark:
            continue  # marked +SKIP: they need a cluster's data (tested in test_spark.py)
        runner.run(test)
        ran += len(test.examples)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert ran > 20
