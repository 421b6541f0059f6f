"""oktaql: the Okta System Log filter language, evaluated offline at native speed.

The filter language admins type into the System Log search box, or pass as
``filter=`` to ``GET /api/v1/logs``, evaluated by the same Rust library as the
``oktaql`` command:

>>> import oktaql
>>> f = oktaql.Filter('eventType eq "user.session.start" and outcome.result eq "FAILURE"')
>>> f.matches({"eventType": "user.session.start", "outcome": {"result": "FAILURE"}})
True
>>> f.matches_json(b'{"eventType": "user.session.start", "outcome": {"result": "SUCCESS"}}')
False

- ``Filter(text, *, ignore_case=False, since=None, until=None, keywords=None)``
- ``Filter.matches(dict)``, ``Filter.matches_json(bytes | str)``
- ``Filter.filter_lines(iterable, *, errors="strict")``
- ``Filter.filter_file(path, *, errors="strict", threads=None)``
- ``ParseError`` and ``JsonError`` (both ``ValueError``), ``BadEventWarning``
- ``RuleSet(paths, *, yaml=None, ...)``: a catalogue of detection rules (YAML
  rule files, as the ``oktaql rules`` command reads them) matched in one pass:
  ``RuleSet.matches(dict)``, ``matches_json(bytes | str)`` (the ids of the
  rules that select the event), ``filter_file(path)`` (``(rule_ids, event)``
  pairs); its ``Rule`` objects and ``RuleProblem`` objects; ``RuleError`` (a
  ``ValueError``), ``RuleWarning``
- ``oktaql.spark``: filtering a PySpark DataFrame's raw-JSON column.

The grammar and its exact semantics: ``grammar.md`` in the repository.
"""

from ._oktaql import (
    BadEventWarning,
    Filter,
    JsonError,
    ParseError,
    Rule,
    RuleError,
    RuleProblem,
    RuleSet,
    RuleWarning,
    __version__,
    check,
)


__all__ = [
    "BadEventWarning",
    "Filter",
    "JsonError",
    "ParseError",
    "Rule",
    "RuleError",
    "RuleProblem",
    "RuleSet",
    "RuleWarning",
    "__version__",
    "check",
]
