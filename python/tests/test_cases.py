"""Every case file in tests/cases/ through the Python API (the format: tests/cases.rs).

The verdicts written in the case files are the oracle (the Rust evaluators are tested against the
same lines by `cargo test --test cases`): `Filter.matches` on the dict `json.loads` gives and
`Filter.matches_json` on the event's text (as str and as bytes) must both give them. Error lines
check `ParseError.kind` and `.offset`; print lines check `str(Filter)`.
"""

import json
import re

import pytest

import oktaql

from conftest import REPO

CASES = REPO / "tests" / "cases"
CASE_FILES = sorted(p.name for p in CASES.glob("*.txt"))



def snake(camel: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", camel).lower()


def run_case_file(name: str):
    """Runs one file; returns (failures, counts by directive)."""
    failures = []
    counts = {}
    event_text = None
    event_value = None
    for line_no, line in enumerate((CASES / name).read_text(encoding="utf-8").split("\n"), 1):
        trimmed = line.strip()
        if not trimmed or trimmed.startswith("#"):
            continue
        directive, _, rest = line.partition(" ")
        if directive == "event":
            event_text = rest
            event_value = json.loads(rest)
            continue
        counts[directive] = counts.get(directive, 0) + 1
        where = f"{name}:{line_no}: {line}"
        try:
            if directive in ("match", "nomatch", "match-i", "nomatch-i"):
                expected = directive.startswith("match")
                f = oktaql.Filter(rest, ignore_case=directive.endswith("-i"))
                got = (
                    f.matches(event_value),
                    f.matches_json(event_text),
                    f.matches_json(event_text.encode("utf-8")),
                )
                if got != (expected,) * 3:
                    failures.append(f"{where}\n    (matches, matches_json str, bytes) = {got}, expected {expected}")
                # The canonical text parses back to an equal filter.
                g = oktaql.Filter(str(f), ignore_case=f.ignore_case)
                if g != f or str(g) != str(f):
                    failures.append(f"{where}\n    printed as {str(f)!r}, which does not parse back equal")
            elif directive in ("error", "error-limit"):
                limit = oktaql.Filter("a pr").nest_limit
                if directive == "error-limit":
                    limit, rest = rest.split(" ", 1)
                offset, kind, text = rest.split(" ", 2) if rest.count(" ") >= 2 else (*rest.split(" ", 1), "")
                try:
                    f = oktaql.Filter(text, nest_limit=int(limit))
                    failures.append(f"{where}\n    parsed as {str(f)!r}")
                except oktaql.ParseError as e:
                    if (e.kind, e.offset) != (snake(kind), int(offset)):
                        failures.append(f"{where}\n    got {e.kind} at {e.offset}")
                    if e.text != text or f"at offset {e.offset}" not in str(e).split("\n")[0]:
                        failures.append(f"{where}\n    message or text wrong: {str(e)!r}")
            elif directive == "print":
                text, canonical = rest.split(" => ", 1)
                f = oktaql.Filter(text)
                if str(f) != canonical:
                    failures.append(f"{where}\n    printed {str(f)!r}")
                if oktaql.Filter(canonical) != f:
                    failures.append(f"{where}\n    canonical text parses to a different filter")
            elif directive == "ok-limit":
                limit, text = rest.split(" ", 1)
                f = oktaql.Filter(text, nest_limit=int(limit))
                if oktaql.Filter(str(f), nest_limit=int(limit)) != f:
                    failures.append(f"{where}\n    canonical text parses to a different filter")
            else:
                failures.append(f"{where}\n    unknown directive {directive!r}")
        except Exception as e:  # noqa: BLE001 - every failure is reported with its line
            failures.append(f"{where}\n    raised {type(e).__name__}: {e}")
    return failures, counts


@pytest.mark.parametrize("name", CASE_FILES)
def test_case_file(name):
    failures, counts = run_case_file(name)
    assert sum(counts.values()) > 0, f"{name}: no case checked"
    assert not failures, f"{len(failures)} of {sum(counts.values())} cases failed:\n" + "\n".join(failures)


def test_every_case_file_is_run_and_the_set_is_not_small():
    assert len(CASE_FILES) >= 15
    total = {}
    for name in CASE_FILES:
        _, counts = run_case_file(name)
        for d, n in counts.items():
            total[d] = total.get(d, 0) + n
    # Hundreds of verdicts, dozens of errors and printings.
    assert total.get("match", 0) + total.get("nomatch", 0) > 500, total
    assert total.get("match-i", 0) + total.get("nomatch-i", 0) > 20, total
    assert total.get("error", 0) > 50, total
    assert total.get("print", 0) > 20, total


def test_every_error_kind_is_named_in_snake_case_by_some_case():
    kinds = set()
    for name in CASE_FILES:
        for line in (CASES / name).read_text(encoding="utf-8").split("\n"):
            words = line.split(" ")
            if words[0] == "error":
                kinds.add(snake(words[2]))
    assert {"expected_operator", "expected_value", "invalid_string", "unclosed_paren", "empty"} <= kinds
