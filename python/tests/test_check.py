"""oktaql.check: the library's findings as dicts, held to the same hand-written
expectations as the Rust tests (tests/data/check/corpus-findings.tsv)."""

import collections

import pytest

import oktaql


def test_codes_spans_and_suggestions():
    [f] = oktaql.check('outcome.result eq "success"')
    assert f == {
        "code": "enum-value",
        "severity": "warning",
        "offset": 18,
        "length": 9,
        "line": 1,
        "column": 19,
        "message": f["message"],
        "suggestion": '"SUCCESS"',
        "help": f["help"],
    }
    assert isinstance(f["message"], str) and f["message"]
    assert oktaql.check('outcome.result eq "success"', ignore_case=True) == []
    [f] = oktaql.check('debugContext.debugData.url co "/api"')
    assert (f["code"], f["severity"], f["offset"], f["length"]) == ("unsupported-operator", "error", 27, 2)
    [f] = oktaql.check('eventtype eq "user.session.start"')
    assert (f["code"], f["suggestion"]) == ("unknown-field", "eventType")
    assert oktaql.check('eventType eq "user.session.start"') == []


def test_a_filter_that_does_not_parse_raises():
    with pytest.raises(oktaql.ParseError) as e:
        oktaql.check('display_message eqq "Create okta user"')
    assert e.value.offset == 16


def test_each_public_filter_of_the_corpus(repo):
    want = collections.defaultdict(list)
    for row in (repo / "tests/data/check/corpus-findings.tsv").read_text().splitlines():
        if not row or row.startswith("#"):
            continue
        cols = row.split("\t")
        line = int(cols[0])
        want[line]
        if cols[1] not in ("clean", "parse-error"):
            suggestion = None if cols[4] == "-" else cols[4]
            want[line].append((cols[1], int(cols[2]), int(cols[3]), suggestion))
        elif cols[1] == "parse-error":
            want[line] = None
    checked = 0
    for i, raw in enumerate((repo / "tests/data/corpus/filters-public.tsv").read_text().splitlines()):
        line = i + 1
        if not raw or raw.startswith("#"):
            continue
        field = raw.split("\t")[0]
        at = field.find("  [")
        text = field[:at] if at >= 0 and field.endswith("]") else field
        expected = want[line]
        if expected is None:
            with pytest.raises(oktaql.ParseError):
                oktaql.check(text)
            continue
        got = [(f["code"], f["offset"], f["length"], f["suggestion"]) for f in oktaql.check(text)]
        assert sorted(got) == sorted(expected), (line, text)
        checked += 1
    assert checked > 100
