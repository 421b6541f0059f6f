"""The public Okta corpus (tests/data/corpus) through the Python API.

As tests/corpus.rs does for the Rust API: every filter of filters-public.tsv that parses runs over
every event, with and without ignore_case, and `matches` on the dict must agree with
`matches_json` on the line (the native bytes evaluator) and with `filter_file` on the file. The
rejected lines are the eight that tests/corpus.rs decides are invalid, with the same kinds and
offsets; a sample of its hand-derived facts (expected matching lines per file) is checked too.
"""

import json

import pytest

from oktaql import Filter, ParseError

from conftest import REPO

CORPUS = REPO / "tests" / "data" / "corpus"
EVENT_FILES = [
    "cribl-okta-rest_I4942I",
    "okta-official-doc-examples",
    "panther-analysis_okta_tests",
    "stix-shifter_okta_tests",
]


def events(name):
    lines = [line for line in (CORPUS / f"{name}.ndjson").read_bytes().split(b"\n") if line]
    return [(line, json.loads(line)) for line in lines]


def filter_lines():
    """(line number, filter text) of filters-public.tsv, annotations removed as tests/corpus.rs does."""
    out = []
    for i, raw in enumerate((CORPUS / "filters-public.tsv").read_text(encoding="utf-8").split("\n"), 1):
        if not raw or raw.startswith("#"):
            continue
        field, _source = raw.split("\t", 1)
        at = field.find("  [")
        if at >= 0 and field.endswith("]"):
            field = field[:at]
        out.append((i, field))
    return out


# tests/corpus.rs, TAGGED: the lines rejected by the grammar, with kind and offset.
REJECTED = {
    17: ("expected_operator", 16),
    48: ("expected_operator", 10),
    64: ("invalid_attribute", 60),
    83: ("expected_logical_operator", 71),
    84: ("expected_value", 62),
    86: ("expected_value", 86),
    87: ("expected_value", 100),
    89: ("expected_operator", 67),
}


def test_sizes_and_rejections():
    assert sum(len(events(n)) for n in EVENT_FILES) == 141
    lines = filter_lines()
    assert len(lines) == 117
    rejected = {}
    for line, text in lines:
        try:
            Filter(text)
        except ParseError as e:
            rejected[line] = (e.kind, e.offset)
    assert rejected == REJECTED


@pytest.mark.parametrize("ignore_case", [False, True])
def test_dict_bytes_and_file_evaluators_agree(ignore_case):
    files = {n: events(n) for n in EVENT_FILES}
    pairs = hits = 0
    failures = []
    for line, text in filter_lines():
        if line in REJECTED:
            continue
        f = Filter(text, ignore_case=ignore_case)
        for name, evs in files.items():
            picked = []
            for i, (raw, value) in enumerate(evs, 1):
                pairs += 1
                by_dict = f.matches(value)
                hits += by_dict
                if by_dict != f.matches_json(raw):
                    failures.append(f"filter line {line} on {name}:{i}: matches={by_dict}")
                if by_dict:
                    picked.append(raw)
            by_file = list(f.filter_file(CORPUS / f"{name}.ndjson"))
            if by_file != picked:
                failures.append(f"filter line {line} on {name}: filter_file differs")
    assert pairs == 109 * 141
    assert hits > 0
    assert not failures, "\n".join(failures)


# A sample of tests/corpus.rs FACTS (hand-derived there): filter, ignore_case, and the matching
# 1-based event lines in each file (or, as an int, how many).
FACTS = [
    ('eventType eq "user.session.start"', False,
     [[], [1, 2], [2, 9, 10, 16, 17, 18, 23, 24, 26, 27, 28, 30, 31], [2]]),
    ('eventType eq "USER.SESSION.START"', False, [[], [], [], []]),
    ('eventType eq "USER.SESSION.START"', True,
     [[], [1, 2], [2, 9, 10, 16, 17, 18, 23, 24, 26, 27, 28, 30, 31], [2]]),
    ('eventType sw "user.authentication."', False, [[], [], [19, 20, 29], [3]]),
    ('target.id eq "00utfrct5sIs151mS697" and target.id eq "0oatfrct1wg72bAIw697"', False,
     [[27], [], [], []]),
    ('target[id eq "00utfrct5sIs151mS697" and type eq "AppInstance"]', False, [[], [], [], []]),
    ('target[id eq "00utfrct5sIs151mS697" and type eq "User"]', False,
     [[25, 26, 27, 28, 29, 33, 36, 78, 88, 100], [], [], []]),
    ("target eq null", False,
     [[8, 20], [7], [1, 2, 3, 16, 17, 18, 23, 24, 25, 26, 27, 28, 29], []]),
    ("not (target pr)", False,
     [[8, 20], [7], [1, 2, 3, 16, 17, 18, 23, 24, 25, 26, 27, 28, 29], []]),
    ('securityContext.isProxy eq "false"', False,
     [71, [1, 2, 3], [9, 10, 13, 14, 15, 16, 17, 30, 31], [1, 2, 3]]),
    ('securityContext.isProxy eq "FALSE"', True, [[], [], [], []]),
    ("client.zone eq null", False, [95, [1, 2], [6, 7, 19, 20, 23, 24, 25], []]),
    ('client.zone ne "null"', False, [95, [1, 2], [6, 7, 19, 20, 23, 24, 25], []]),
    ("client.geographicalContext.postalCode eq 10013", False, [[], [1, 2], [], []]),
    ('client.geographicalContext.postalCode sw "1"', False, [[], [], [31], []]),
]


@pytest.mark.parametrize("text, ignore_case, expected", FACTS)
def test_hand_derived_facts(text, ignore_case, expected):
    f = Filter(text, ignore_case=ignore_case)
    for name, want in zip(EVENT_FILES, expected):
        got = [i for i, (_, value) in enumerate(events(name), 1) if f.matches(value)]
        if isinstance(want, int):
            assert len(got) == want, (name, got)
        else:
            assert got == want, name
