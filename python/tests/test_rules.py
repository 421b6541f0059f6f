"""oktaql.RuleSet: loading rule files (the shipped examples, Okta's catalogue), the problems,
and matching, differentially against each rule's own oktaql.Filter and the `oktaql rules`
command."""

import collections
import datetime
import gzip
import json
import os
import re
import subprocess
import warnings

import pytest

import oktaql
from oktaql import BadEventWarning, Filter, JsonError, Rule, RuleError, RuleProblem, RuleSet, RuleWarning

from conftest import REPO, ndjson

SEED = REPO / "examples" / "rules" / "seed.yml"
CATALOGUE = REPO / "tests" / "data" / "rules" / "okta-customer-detections"
EVENT_FILES = sorted((REPO / "tests" / "data" / "corpus").glob("*.ndjson")) + [REPO / "examples" / "system-log.ndjson"]


def quiet(*args, **kw):
    """A RuleSet loaded without its RuleWarnings (tests that look at .problems instead)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuleWarning)
        return RuleSet(*args, **kw)


def own_filter(rule: Rule) -> Filter:
    return Filter(rule.filter, ignore_case=rule.ignore_case, keywords=rule.keywords)


# --- loading ---------------------------------------------------------------------------------


def test_the_seed_rules():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no problem, so no warning
        rules = RuleSet(SEED)
    assert len(rules) == 2 and rules.problems == ()
    assert rules.summary == "loaded 2 rules from 1 file; none not loaded"
    manual, full = rules.rules
    assert list(rules) == [manual, full]
    assert isinstance(manual, Rule)
    # As examples/rules/seed.yml has them.
    assert (manual.id, manual.title, manual.level) == ("ad-import-manual", "AD import started by hand", "medium")
    assert manual.filter == 'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"'
    assert (manual.path, manual.line, manual.format) == (str(SEED), 4, "oktaql")
    assert (manual.ignore_case, manual.keywords) == (False, None)
    assert manual.description == "An admin started an Active Directory import (not the schedule)."
    assert (full.id, full.level, full.line) == ("ad-import-manual-full", "high", 10)
    assert full.filter.splitlines() == [
        'eventType eq "system.import.start"',
        '  and debugContext.debugData.importTrigger eq "Manual action"',
        '  and debugContext.debugData.importType eq "Full"',
    ]
    assert repr(rules) == "<RuleSet: loaded 2 rules from 1 file; none not loaded>"
    assert repr(full) == f"<Rule 'ad-import-manual-full' at {SEED}:10>"
    # A str path, a PathLike, a list of them.
    assert [r.id for r in RuleSet(str(SEED))] == [r.id for r in RuleSet([SEED])] == ["ad-import-manual", "ad-import-manual-full"]


def test_okta_catalogue_35_load_11_not_each_named():
    with pytest.warns(RuleWarning) as caught:
        rules = RuleSet(CATALOGUE)
    assert len(rules) == 35
    assert rules.summary == "loaded 35 rules from 46 files; 11 not loaded (2 syntax, 9 counting)"
    assert all(r.format == "okta" and r.level is None for r in rules)
    problems = rules.problems
    assert all(isinstance(p, RuleProblem) for p in problems)
    not_loaded = [p for p in problems if p.kind == "not-loaded"]
    assert collections.Counter(p.why for p in not_loaded) == {"counting": 9, "syntax": 2}
    assert all(p.code is None and p.line == 1 for p in not_loaded)
    by_file = {os.path.basename(p.path): p for p in not_loaded}
    # The rewrites: `in [...]` as the `or` of `eq`s, `target.0.displayName` as `target.displayName`.
    token = by_file["api_token_excessive_network_access.yml"]
    assert token.why == "syntax"
    assert token.help.startswith('write: (eventType eq "system.api_token.create" or eventType eq "system.api_token.update") AND ')
    reset = by_file["protected_action_super_admin_password_reset.yml"]
    assert "target.displayName eq" in reset.help and "target.0" not in reset.help.split("\n")[0]
    assert "splunk" in by_file["rapid_application_access.yml"].message
    # The rule that reads a field no event has (`result`) is a warning, placed in its file.
    (lint,) = [p for p in problems if p.kind == "warning"]
    assert (os.path.basename(lint.path), lint.line, lint.column) == ("detect_aitm_phishing_using_okta_fastpass.yml", 27, 59)
    assert (lint.code, lint.why) == ("unknown-field", None)
    assert lint.help == "did you mean `outcome.result`?"
    assert str(lint).startswith(f"{lint.path}:27:59: warning[unknown-field]: ")
    # Every problem was issued as a RuleWarning with its text, pointing at the RuleSet() line.
    assert [str(w.message) for w in caught] == [str(p) for p in problems]
    assert {os.path.basename(w.filename) for w in caught} == {"test_rules.py"}


def test_strict_raises_naming_every_problem():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuleError) as info:
            RuleSet(CATALOGUE, strict=True)
    e = info.value
    assert isinstance(e, ValueError)
    assert len(e.problems) == 12
    lines = str(e).split("\n")
    assert lines[0] == "strict: 11 not loaded, 1 warning"
    for p in e.problems:
        assert str(p) in str(e)
    # Without a problem, strict loads.
    assert len(RuleSet(SEED, strict=True)) == 2


def test_problems_of_yaml_text():
    text = (
        "title: a\nid: a\nfilter: eventType pr\n"
        "---\ntitle: a again\nid: a\nfilter: eventType pr\n"  # line 5: a duplicate id
        "---\ntitle: b\nid: b\nlevel: severe\nfilter: eventType pr\n"  # line 9: an unknown level
        "---\ntitle: c\nid: c\nfilter: eventType pr\ndetection: {}\n"  # line 14: both formats
        "---\ntitle: d\nid: d\nfilter: eventType pr\ncolour: red\n"  # line 19: a key the format has not
    )
    rules = quiet(yaml=text, name="mine.yml")
    assert [r.id for r in rules] == ["a", "d"]
    assert all(r.path == "mine.yml" for r in rules)
    got = [(p.line, p.column, p.kind, p.why, p.code) for p in rules.problems]
    assert got == [
        (5, None, "not-loaded", "duplicate", None),
        (9, None, "not-loaded", "invalid", None),
        (14, None, "not-loaded", "invalid", None),
        (22, 1, "warning", None, "unknown-key"),
    ]
    assert "mine.yml:1" in rules.problems[0].message
    assert "severe" in rules.problems[1].message
    assert str(rules.problems[0]).startswith("mine.yml:5: rule not loaded: ")
    assert repr(rules.problems[0]).startswith("<RuleProblem 'mine.yml:5: rule not loaded: ")
    # A file that is not YAML: named with the parser's line and column; the other paths still load.
    broken = quiet(yaml="title: [\n", name="broken.yml")
    (p,) = broken.problems
    assert (p.kind, p.why, p.path) == ("not-loaded", "yaml", "broken.yml") and p.column is not None
    assert str(p).startswith("broken.yml:")


def test_paths_and_yaml_together_and_missing_files(tmp_path):
    both = quiet(SEED, yaml='title: x\nid: x\nfilter: eventType eq "x"\n')
    assert [r.id for r in both] == ["ad-import-manual", "ad-import-manual-full", "x"]
    assert both.rules[2].path == "<yaml>"
    missing = quiet(tmp_path / "nope.yml")
    assert len(missing) == 0
    (p,) = missing.problems
    assert (p.why, p.path) == ("unreadable", str(tmp_path / "nope.yml"))
    with pytest.warns(RuleWarning, match="nope.yml:1: file not loaded: "):
        RuleSet([SEED, tmp_path / "nope.yml"])


def test_a_directory_walk_skips_hidden_and_other_files(tmp_path):
    rule = 'title: {0}\nid: {0}\nfilter: eventType eq "{0}"\n'
    (tmp_path / "b.yaml").write_text(rule.format("b"))
    (tmp_path / "a.yml").write_text(rule.format("a"))
    (tmp_path / "notes.txt").write_text("not a rule")
    (tmp_path / ".hidden.yml").write_text(rule.format("h"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yml").write_text(rule.format("c"))
    assert [r.id for r in RuleSet(tmp_path)] == ["a", "b", "c"]
    assert [r.id for r in RuleSet(tmp_path, hidden=True)] == ["h", "a", "b", "c"]


def test_selection_and_options():
    assert [r.id for r in RuleSet(SEED, level="high")] == ["ad-import-manual-full"]
    assert [r.id for r in RuleSet(SEED, level="informational")] == ["ad-import-manual", "ad-import-manual-full"]
    assert [r.id for r in RuleSet(SEED, only="ad-import-manual")] == ["ad-import-manual"]
    assert [r.id for r in RuleSet(SEED, only=["ad-import-manual-full"])] == ["ad-import-manual-full"]
    assert [r.id for r in RuleSet(SEED, exclude=("ad-import-manual",))] == ["ad-import-manual-full"]
    # Okta's rules have no level: a level leaves them all out, an empty set.
    empty = quiet(CATALOGUE, level="low")
    assert len(empty) == 0 and not empty and empty.matches({"eventType": "system.api_token.create"}) == []
    assert "35 left out by the selection" in empty.summary
    with pytest.raises(ValueError, match="only: no loaded rule has the id \"typo\""):
        RuleSet(SEED, only=["typo"])
    # The catalogue has no Classic filters: with engine="classic" none of its 37 filter rules loads.
    classic = quiet(CATALOGUE, engine="classic")
    assert len(classic) == 0
    assert collections.Counter(p.why for p in classic.problems) == {"engine": 37, "counting": 9}
    assert all(r.ignore_case for r in RuleSet(SEED, ignore_case=True))
    event = {"eventType": "SYSTEM.IMPORT.START", "debugContext": {"debugData": {"importTrigger": "manual ACTION"}}}
    assert RuleSet(SEED).matches(event) == []
    assert RuleSet(SEED, ignore_case=True).matches(event) == ["ad-import-manual"]
    hit = {"eventType": "system.import.start", "published": "2025-03-03T08:00:00.000Z",
           "debugContext": {"debugData": {"importTrigger": "Manual action"}}}
    assert RuleSet(SEED, since="2025-03-03").matches(hit) == ["ad-import-manual"]
    assert RuleSet(SEED, since="2025-03-04").matches(hit) == []
    assert RuleSet(SEED, until="2025-03-03T08:00:00Z").matches(hit) == []


def test_bad_arguments():
    with pytest.raises(TypeError, match="paths"):
        RuleSet()
    with pytest.raises(TypeError, match="yaml takes"):
        RuleSet(yaml=b"title: x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="paths takes"):
        RuleSet(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="paths takes"):
        RuleSet([SEED, 42])  # type: ignore[list-item]
    with pytest.raises(ValueError, match='engine must be "oie" or "classic"'):
        RuleSet(SEED, engine="cloud")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown level `severe`"):
        RuleSet(SEED, level="severe")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="only takes"):
        RuleSet(SEED, only=[1])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="naive datetime"):
        RuleSet(SEED, since=datetime.datetime(2025, 1, 1))


# --- matching, differentially ----------------------------------------------------------------


PATTERN = re.compile(r'([A-Za-z_][\w.]*)\s+(eq|co|sw|ew|pr)(?:\s+"((?:[^"\\]|\\.)*)")?', re.I)


def event_for(text):
    """An event where every path the filter text compares is set to the first value it is
    compared with (all values joined for `co`): most filters select it."""
    values = {}
    for path, op, value in PATTERN.findall(text):
        value = json.loads(f'"{value}"') if op.lower() != "pr" else "present"
        if op.lower() == "co" and path in values:
            values[path] += " " + value
        else:
            values.setdefault(path, value)
    event = {}
    for path, value in values.items():
        *parents, last = path.split(".")
        node = event
        for p in parents:
            node = node.setdefault(p, {})
        if isinstance(node, dict):
            node[last] = value
    return event


def generated_events(rules):
    """Events made from the rules' own filters: one per rule (see event_for), also with
    `target` as a list, upper-cased, and with one value changed; and one per group of rules
    that test the same eventType, made from all their filters, which several rules select. So
    the answers differ between rules, events and options."""
    out = []
    groups = collections.defaultdict(list)
    for rule in rules:
        event = event_for(rule.filter)
        groups[event.get("eventType")].append(rule.filter)
        out.append(event)
        if isinstance(event.get("target"), dict):
            out.append({**event, "target": [{"type": "Other"}, event["target"]]})
        out.append(upper(event))
        for key in list(event)[:1]:
            out.append({**event, key: "changed"})
    for texts in groups.values():
        if len(texts) > 1:
            out.append(event_for(" and ".join(texts)))
    return out


def upper(value):
    """The event with its strings (not its keys) upper-cased."""
    if isinstance(value, dict):
        return {k: upper(v) for k, v in value.items()}
    if isinstance(value, list):
        return [upper(v) for v in value]
    return value.upper() if isinstance(value, str) else value


def corpus_events():
    for path in EVENT_FILES:
        for line in path.read_bytes().split(b"\n"):
            if line.strip():
                yield line, json.loads(line)


@pytest.mark.parametrize("ignore_case", [False, True])
def test_matches_agrees_with_each_rules_own_filter(ignore_case):
    catalogue = quiet(CATALOGUE, ignore_case=ignore_case)
    seed = RuleSet(SEED, ignore_case=ignore_case)
    generated = [(json.dumps(e).encode(), e) for e in generated_events(list(catalogue) + list(seed))]
    events = list(corpus_events()) + generated
    assert len(events) > 441 + 70
    for rules in (catalogue, seed):
        filters = [(r.id, own_filter(r)) for r in rules]
        selected_by = collections.Counter()
        for line, event in events:
            expected = [id for id, f in filters if f.matches(event)]
            assert rules.matches(event) == expected, (line, expected)
            assert rules.matches_json(line) == expected, line
            assert rules.matches_json(line.decode()) == expected
            selected_by.update(expected)
        # Not vacuous: every rule selects some event (its own generated one, at least), and some
        # events are selected by several rules.
        assert set(selected_by) == {r.id for r in rules}, [r.id for r in rules if r.id not in selected_by]
        assert any(len(rules.matches(e)) > 1 for _, e in events)
    # And the seed rules over the sample log: the manual imports of the README (2 of them full).
    hits = [seed.matches(e) for _, e in corpus_events()]
    assert sum("ad-import-manual" in h for h in hits) == 5
    assert sum("ad-import-manual-full" in h for h in hits) == 2


def test_rule_options_of_the_file_are_kept():
    text = (
        'title: any case\nid: i\nignore_case: true\nfilter: eventType eq "USER.SESSION.START"\n---\n'
        'title: words\nid: k\nkeywords: admin reset\nfilter: eventType pr\n---\n'
        'title: words only\nid: w\nkeywords: Reset\nfilter: ""\n'
    )
    rules = quiet(yaml=text)
    assert [(r.id, r.ignore_case, r.keywords) for r in rules] == [("i", True, None), ("k", False, "admin reset"), ("w", False, "Reset")]
    event = {"eventType": "user.session.start", "displayMessage": "Admin password RESET"}
    assert rules.matches(event) == ["i", "k", "w"]
    assert rules.matches({"eventType": "user.session.start", "displayMessage": "admin"}) == ["i"]
    assert rules.matches_json(b'{"x": "reset"}') == ["w"]


def test_matches_errors():
    rules = RuleSet(SEED)
    with pytest.raises(TypeError, match="for JSON text use matches_json"):
        rules.matches('{"eventType": "x"}')  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes bytes or str"):
        rules.matches_json(1)  # type: ignore[arg-type]
    with pytest.raises(JsonError) as info:
        rules.matches_json(b'{"eventType": "system.import.start",')
    assert info.value.kind == "truncated"
    # A value the filters read that JSON cannot hold.
    with pytest.raises(JsonError):
        rules.matches({"eventType": float("nan")})
    with pytest.raises(TypeError, match="not set"):
        rules.matches({"eventType": {"a"}})


def test_malformed_json_raises_for_an_empty_set_too():
    empty = RuleSet(SEED, level="critical")
    assert len(empty) == 0
    with pytest.raises(JsonError):
        empty.matches_json(b'{"eventType": ')


# --- filter_file -----------------------------------------------------------------------------


def expected_hits(rules, path):
    """What filter_file must yield for an NDJSON file: each line some rule selects, as read."""
    out = []
    for line in path.read_bytes().split(b"\n"):
        line = line.rstrip(b"\r")
        if line.strip():
            ids = rules.matches_json(line)
            if ids:
                out.append((ids, line))
    return out


@pytest.fixture(scope="module")
def generated_file(tmp_path_factory):
    catalogue = quiet(CATALOGUE)
    events = generated_events(list(catalogue) + list(RuleSet(SEED)))
    # About 2,000 events, interleaved with events no rule selects.
    filler = [{"eventType": "user.session.end", "n": i} for i in range(len(events))]
    mixed = [e for pair in zip(events, filler) for e in pair] * 8
    path = tmp_path_factory.mktemp("rules") / "generated.ndjson"
    path.write_bytes(ndjson(mixed))
    return path


def test_filter_file_agrees_with_matches_json(generated_file):
    catalogue = quiet(CATALOGUE)
    for rules in (catalogue, RuleSet(SEED)):
        for path in EVENT_FILES + [generated_file]:
            expected = expected_hits(rules, path)
            for threads in (None, 1, 3):
                got = list(rules.filter_file(path, threads=threads))
                assert got == expected, (path, threads)
    expected = expected_hits(catalogue, generated_file)
    assert len(expected) > 8 * 35 and any(len(ids) > 1 for ids, _ in expected)
    for ids, event in catalogue.filter_file(generated_file):
        assert type(ids) is list and all(type(i) is str for i in ids) and type(event) is bytes


def test_filter_file_reads_every_shape(tmp_path, generated_file):
    rules = quiet(CATALOGUE)
    expected = [(ids, json.loads(e)) for ids, e in expected_hits(rules, generated_file)]
    events = [json.loads(line) for line in generated_file.read_bytes().splitlines()]
    shapes = {
        "e.ndjson.gz": gzip.compress(generated_file.read_bytes()),
        "e.json": json.dumps(events).encode(),
        "e.pretty.json": b"".join(json.dumps(e, indent=2).encode() + b"\n" for e in events),
    }
    for name, data in shapes.items():
        (tmp_path / name).write_bytes(data)
        got = list(rules.filter_file(tmp_path / name))
        assert [(ids, json.loads(e)) for ids, e in got] == expected, name
        assert all(b"\n" not in e for _, e in got)


def test_filter_file_bad_values(tmp_path):
    rules = RuleSet(SEED)
    hit = b'{"eventType":"system.import.start","debugContext":{"debugData":{"importTrigger":"Manual action"}}}'
    p = tmp_path / "bad.ndjson"
    p.write_bytes(hit + b"\n" + hit[:-1] + b",}\n" + b'{"eventType":"app.x",}\n' + hit + b"\n")
    got = []
    with pytest.raises(JsonError) as info:
        for item in rules.filter_file(p):
            got.append(item)
    assert got == [(["ad-import-manual"], hit)]
    assert (info.value.path, info.value.line) == (str(p), 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(rules.filter_file(p, errors="warn"))
    # Line 3 lacks the rules' literals: skipped unread, as the command does.
    assert got == [(["ad-import-manual"], hit)] * 2
    assert [(w.category, str(w.message).split(": ")[0]) for w in caught] == [(BadEventWarning, f"{p}:2")]
    with pytest.raises(FileNotFoundError):
        rules.filter_file(tmp_path / "missing.ndjson")
    with pytest.raises(ValueError, match="threads"):
        rules.filter_file(p, threads=0)
    with pytest.raises(ValueError, match="errors"):
        rules.filter_file(p, errors="ignore")  # type: ignore[arg-type]


def test_an_empty_set_yields_nothing(generated_file):
    assert list(RuleSet(SEED, level="critical").filter_file(generated_file)) == []


def command():
    """The `oktaql` command built by cargo in this checkout (CI builds it before the Python
    tests), or None."""
    for profile in ("debug", "release"):
        path = REPO / "target" / profile / "oktaql"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


@pytest.mark.skipif(command() is None, reason="no target/{debug,release}/oktaql: run cargo build first")
def test_filter_file_agrees_with_the_command(generated_file):
    catalogue = quiet(CATALOGUE)
    for path in EVENT_FILES + [generated_file]:
        run = subprocess.run([str(command()), "rules", "-r", str(CATALOGUE), str(path)], capture_output=True)
        assert run.returncode in (0, 1), run.stderr
        printed = []
        for line in run.stdout.splitlines():
            hit = json.loads(line)
            # The event exactly as read: the text after `"event":`, without the closing brace.
            event = line[line.index(b'],"event":') + len(b'],"event":') : -1]
            assert json.loads(event) == hit["event"]
            printed.append(([r["id"] for r in hit["rules"]], event))
        assert list(catalogue.filter_file(path)) == printed, path
        # And the command names on stderr the same problems, in the same words.
        for p in catalogue.problems:
            assert str(p).encode() in run.stderr


SIGMA = REPO / "tests" / "data" / "rules" / "sigma"


def test_sigma_placeholders_and_status_as_the_command_takes_them():
    # SigmaHQ's 24 Okta rules: one has a placeholder (`%legtimate_identifiers%`, as spelled there).
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        without = RuleSet(SIGMA)
    assert len(without) == 23
    [problem] = without.problems
    assert problem.path.endswith("okta_session_impersonation_granted.yml")
    assert "the placeholder `%legtimate_identifiers%` has no values" in problem.message
    given = RuleSet(SIGMA, placeholders={"legtimate_identifiers": "@example.com"})
    assert (len(given), given.problems) == (24, ())
    both = RuleSet(SIGMA, placeholders={"legtimate_identifiers": ["@example.com", "@example.org"]})
    assert len(both) == 24
    # The one rule of status `experimental` is the placeholder rule.
    experimental = RuleSet(SIGMA, placeholders={"legtimate_identifiers": "@example.com"}, status="experimental")
    assert [r.id for r in experimental] == ["fe04b26b-0ac4-45d7-9404-4b9f16a440a9"]
    assert len(RuleSet(SIGMA, placeholders={"legtimate_identifiers": "x"}, status=["test"])) == 23
    with pytest.raises(TypeError, match="placeholders takes a dict"):
        RuleSet(SIGMA, placeholders=["legtimate_identifiers"])
    with pytest.raises(TypeError, match=r"placeholders\[\"legtimate_identifiers\"\] takes a value \(str\)"):
        RuleSet(SIGMA, placeholders={"legtimate_identifiers": 5})
