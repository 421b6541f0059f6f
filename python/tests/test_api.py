"""The Python API: construction, options, errors, printing, pickling, matches, matches_json, filter_lines."""

import copy
import datetime as dt
import json
import math
import pickle
import threading
import warnings

import pytest

import oktaql
from oktaql import BadEventWarning, Filter, JsonError, ParseError

UTC = dt.timezone.utc


# --------------------------------------------------------------------------- parse errors


def test_parse_error_offset_kind_and_caret():
    with pytest.raises(ParseError) as info:
        Filter('display_message eqq "Create okta user"')
    e = info.value
    assert isinstance(e, ValueError)
    assert e.offset == 16
    assert e.kind == "expected_operator"
    assert e.text == 'display_message eqq "Create okta user"'
    assert str(e) == (
        "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found `eqq` at offset 16\n"
        'display_message eqq "Create okta user"\n'
        "                ^^^"
    )


@pytest.mark.parametrize(
    "text, kind, offset",
    [
        ("", "empty", 0),
        ("   ", "empty", 0),
        ("a eq", "expected_value", 4),
        ("a eq 'x'", "expected_value", 5),
        ("a eq 01", "invalid_number", 5),
        ('a eq "\\x"', "invalid_string", 6),
        ("a co 5", "operand_type", 5),
        ("(a pr", "unclosed_paren", 5),
        ("a[b pr", "unclosed_bracket", 6),
        ("a pr b pr", "expected_logical_operator", 5),
        ("not a pr", "expected_not_paren", 4),
        ("a..b pr", "invalid_attribute", 2),
        ("a eq 1 and", "expected_attribute", 10),
        ("a\u00a0eq 1", "expected_whitespace", 1),
        ("(" * 65 + "a pr" + ")" * 65, "nest_too_deep", 64),
        # Offsets are bytes: "é" is two.
        ('a eq "é" or', "expected_attribute", 12),
    ],
)
def test_parse_error_kinds(text, kind, offset):
    with pytest.raises(ParseError) as info:
        Filter(text)
    assert (info.value.kind, info.value.offset) == (kind, offset)


def test_parse_error_pickles_with_its_attributes():
    with pytest.raises(ParseError) as info:
        Filter("a eq")
    e = pickle.loads(pickle.dumps(info.value))
    assert type(e) is ParseError
    assert (e.kind, e.offset, e.text, str(e)) == ("expected_value", 4, "a eq", str(info.value))


def test_nest_limit():
    deep = "(" * 70 + "a pr" + ")" * 70
    with pytest.raises(ParseError):
        Filter(deep)
    f = Filter(deep, nest_limit=100)
    assert f.nest_limit == 100
    assert pickle.loads(pickle.dumps(f)) == f
    with pytest.raises(ParseError) as info:
        Filter("(a pr)", nest_limit=0)
    assert (info.value.kind, info.value.offset) == ("nest_too_deep", 0)


# --------------------------------------------------------------------------- text, repr, equality, pickling


def test_canonical_text_and_repr():
    f = Filter('(eventType EQ "a")  OR  (actor.id eq "b")')
    assert str(f) == 'eventType eq "a" or actor.id eq "b"'
    assert repr(f) == """Filter('eventType eq "a" or actor.id eq "b"')"""
    g = Filter("a eq 1", ignore_case=True, since="2025-03-03", until="2025-03-04T10:00:00+02:00", keywords=" x  y ")
    assert repr(g) == (
        "Filter('a eq 1', ignore_case=True, since='2025-03-03T00:00:00Z', "
        "until='2025-03-04T08:00:00Z', keywords='x y')"
    )
    # repr evaluates to an equal filter.
    assert eval(repr(g), {"Filter": Filter}) == g


def test_equality_and_hash():
    a = Filter('a eq "x"  AND b pr')
    b = Filter('a eq "x" and b pr')
    assert a == b and hash(a) == hash(b)
    assert a != Filter('a eq "x" and b pr', ignore_case=True)
    assert a != Filter('a eq "y" and b pr')
    assert a != 'a eq "x" and b pr'
    assert len({a, b, Filter("c pr")}) == 2
    # Instants compare as instants.
    assert Filter("a pr", since="2025-03-03T02:00:00+02:00") == Filter("a pr", since="2025-03-03T00:00:00Z")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_by_text_and_options(protocol):
    f = Filter(
        'target[type eq "User" and alternateId sw "admin"] or eventType eq "x"',
        ignore_case=True,
        since=dt.datetime(2025, 3, 3, 8, 0, 0, 500000, tzinfo=UTC),
        until="2025-03-05",
        keywords="admin  root",
    )
    data = pickle.dumps(f, protocol=protocol)
    # By text, not by memory: the canonical text is in the pickle.
    assert str(f).encode() in data
    g = pickle.loads(data)
    assert g == f and str(g) == str(f) and repr(g) == repr(f)
    assert (g.ignore_case, g.since, g.until, g.keywords) == (True, "2025-03-03T08:00:00.5Z", "2025-03-05T00:00:00Z", "admin root")
    event = {"target": [{"type": "User", "alternateId": "ADMIN@x"}], "published": "2025-03-04T00:00:00Z", "k": "root admin"}
    assert f.matches(event) and g.matches(event)


def test_copy_returns_the_same_immutable_filter():
    f = Filter("a pr")
    assert copy.copy(f) is f and copy.deepcopy(f) is f


def test_filter_text_must_be_str():
    with pytest.raises(TypeError):
        Filter(b"a pr")
    with pytest.raises(TypeError):
        Filter("a pr", ignore_case="yes")


# --------------------------------------------------------------------------- options


def test_since_until_accept_text_aware_datetimes_and_dates():
    events = [{"published": p} for p in ("2025-03-02T23:59:59.999Z", "2025-03-03T00:00:00Z", "2025-03-03T23:59:59Z", "2025-03-04T00:00:00Z")]

    def picked(**kw):
        f = Filter("published pr", **kw)
        return [i for i, e in enumerate(events) if f.matches(e)]

    assert picked(since="2025-03-03", until="2025-03-04") == [1, 2]
    assert picked(since=dt.date(2025, 3, 3), until=dt.date(2025, 3, 4)) == [1, 2]
    assert picked(since=dt.datetime(2025, 3, 3, tzinfo=UTC)) == [1, 2, 3]
    # An aware datetime in another zone: 2025-03-03T01:00+01:00 is midnight UTC.
    plus1 = dt.timezone(dt.timedelta(hours=1))
    assert picked(since=dt.datetime(2025, 3, 3, 1, 0, tzinfo=plus1)) == [1, 2, 3]
    # Microseconds are kept: the first event is before since.
    assert picked(since=dt.datetime(2025, 3, 2, 23, 59, 59, 999001, tzinfo=UTC)) == [1, 2, 3]
    assert picked(until=dt.datetime(2025, 3, 2, 23, 59, 59, 999001, tzinfo=UTC)) == [0]
    # An offset with seconds (allowed by Python) is converted to UTC first.
    odd = dt.timezone(dt.timedelta(hours=1, seconds=30))
    f = Filter("a pr", since=dt.datetime(2025, 3, 3, 1, 0, 30, tzinfo=odd))
    assert f.since == "2025-03-03T00:00:00Z"


def test_since_rejects_naive_datetimes_bad_text_and_other_types():
    with pytest.raises(ValueError, match="naive datetime"):
        Filter("a pr", since=dt.datetime(2025, 3, 3))
    with pytest.raises(ValueError, match="invalid until value"):
        Filter("a pr", until="2025-02-30")
    with pytest.raises(ValueError, match="RFC 3339"):
        Filter("a pr", since="yesterday")
    with pytest.raises(TypeError):
        Filter("a pr", since=1741000000)


def test_keywords():
    f = Filter("eventType pr", keywords="ADMIN reset")
    assert f.keywords == "ADMIN reset"
    assert f.matches({"eventType": "x", "a": "admin-console", "b": ["password.reset"], "c": {"d": "Reset"}})
    assert not f.matches({"eventType": "x", "a": "administrator reset"})
    with pytest.raises(ValueError, match="too many keywords"):
        Filter("a pr", keywords=" ".join("abcdefghijk"))
    with pytest.raises(ValueError):
        Filter("a pr", keywords="   ")
    with pytest.raises(TypeError):
        Filter("a pr", keywords=["admin"])


def test_ignore_case():
    f = Filter('actor.alternateId sw "ADMIN"', ignore_case=True)
    assert f.ignore_case
    assert f.matches({"actor": {"alternateId": "admin@example.com"}})
    assert not Filter('actor.alternateId sw "ADMIN"').matches({"actor": {"alternateId": "admin@example.com"}})


# --------------------------------------------------------------------------- matches on dicts


def test_matches_follows_okta_semantics_on_dicts():
    event = {
        "eventType": "user.session.start",
        "target": [{"type": "AppInstance", "id": "a"}, {"type": "User", "id": "u", "alternateId": "x@y"}],
        "client": {"zone": None},
        "n": 42,
        "big": 2**64,
        "f": 1.5,
        "flag": False,
        "empty": {},
    }
    for text, expected in [
        ('target.type eq "User"', True),
        ('target[type eq "User" and id eq "a"]', False),
        ('target[type eq "User" and id eq "u"]', True),
        ("client.zone eq null", True),
        ('client.zone ne "Corp"', True),
        ("missing eq null", True),
        ("missing pr", False),
        ("n eq 42.0", True),
        ('n eq "42"', True),
        ("n gt 41.5", True),
        ("big eq 18446744073709551616", True),
        ("big gt 1e19", True),
        ("f lt 2", True),
        ('flag eq "false"', True),
        ("flag eq false", True),
        ("flag eq 0", False),
        ("empty pr", False),
        ('eventType co "session"', True),
    ]:
        f = Filter(text)
        assert f.matches(event) is expected, text
        assert f.matches_json(json.dumps(event)) is expected, text


def test_matches_tuples_are_arrays_and_dict_subclasses_work():
    from collections import OrderedDict

    f = Filter('target.id eq "b"')
    assert f.matches({"target": ({"id": "a"}, {"id": "b"})})
    assert f.matches(OrderedDict(target=[OrderedDict(id="b")]))


def test_matches_bool_is_not_a_number():
    assert not Filter("x eq 1").matches({"x": True})
    assert Filter("x eq true").matches({"x": True})
    assert Filter("x eq 1").matches({"x": 1})


def test_matches_rejects_what_json_cannot_hold_where_it_looks():
    f = Filter("a gt 1")
    for bad in (math.nan, math.inf, -math.inf, 10**400):
        with pytest.raises(JsonError) as info:
            f.matches({"a": bad})
        assert info.value.kind == "invalid_number"
    with pytest.raises(JsonError) as info:
        Filter('a eq "x"').matches({"a": "\ud800"})
    assert info.value.kind == "invalid_string"
    with pytest.raises(TypeError, match="datetime"):
        Filter('a eq "x"').matches({"a": dt.datetime(2025, 1, 1)})
    with pytest.raises(TypeError, match="set"):
        Filter("a.b pr").matches({"a": [{"b": {1, 2}}]})
    # Values the filter does not look at are not read.
    assert Filter("b eq 1").matches({"a": math.nan, "b": 1, "c": dt.date.today()})
    # With keywords every value is read (until every keyword is found).
    with pytest.raises(JsonError):
        Filter("b pr", keywords="zz").matches({"a": "x", "b": 1, "c": math.nan})
    with pytest.raises(TypeError):
        Filter("b pr", keywords="zz").matches({"a": "y", "b": 1, "c": [object()]})


def test_matches_takes_a_dict():
    f = Filter("a pr")
    with pytest.raises(TypeError, match="matches_json"):
        f.matches('{"a": 1}')
    with pytest.raises(TypeError):
        f.matches([{"a": 1}])
    with pytest.raises(TypeError):
        f.matches(None)


def test_matches_non_str_keys_are_never_paths():
    assert not Filter("a eq 1").matches({b"a": 1})
    assert Filter("a eq null").matches({b"a": 1, 7: 1})


def test_deeply_nested_events_do_not_overflow():
    deep = {"a": 1}
    for _ in range(100_000):
        deep = {"x": [deep]}
    assert Filter("x.x.x pr").matches(deep)
    assert not Filter("zz pr", keywords="nothing").matches(deep)


# --------------------------------------------------------------------------- matches_json


def test_matches_json_takes_bytes_str_and_bytearray():
    f = Filter('eventType eq "é"')
    for data in (b'{"eventType":"\xc3\xa9"}', '{"eventType":"é"}', bytearray(b'{"eventType":"\\u00e9"}')):
        assert f.matches_json(data) is True
    with pytest.raises(TypeError):
        f.matches_json({"eventType": "é"})
    with pytest.raises(TypeError):
        f.matches_json(memoryview(b"{}"))


@pytest.mark.parametrize(
    "data, kind, offset",
    [
        (b'{"outcome": ', "truncated", 12),
        (b'{"a": 1}}', "trailing_characters", 8),
        (b'{"a": NaN}', "unexpected_byte", 6),
        (b'{"a": 1e400}', "invalid_number", 6),
        (b'{"a": "\\ud800"}', "invalid_string", 7),
        (b'{"a": "\xff"}', "invalid_utf8", 7),
        (b"", "truncated", 0),
    ],
)
def test_matches_json_malformed_raises_never_false(data, kind, offset):
    # A filter that every well-formed event satisfies one way or the other.
    f = Filter("a pr or not (a pr)")
    with pytest.raises(JsonError) as info:
        f.matches_json(data)
    e = info.value
    assert isinstance(e, ValueError)
    assert (e.kind, e.offset, e.line, e.path) == (kind, offset, None, None)
    assert str(e).endswith(f"at byte {offset}")


def test_matches_json_large_event_releases_the_gil_and_answers():
    big = json.dumps({"pad": "x" * (1 << 20), "a": 1})
    f = Filter("a eq 1")
    results = []
    threads = [threading.Thread(target=lambda: results.append(f.matches_json(big))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


# --------------------------------------------------------------------------- filter_lines


def test_filter_lines_yields_matching_items_unchanged():
    f = Filter('eventType sw "user.session"')
    lines = [
        '{"eventType": "user.session.start"}\n',
        "\n",
        "   \t\r\n",
        b'{"eventType": "user.session.end"}',
        '{"eventType": "app.x"}\n',
        bytearray(b'{"eventType":"user.session.x"}'),
    ]
    got = list(f.filter_lines(lines))
    assert got == [lines[0], lines[3], lines[5]]
    assert got[0] is lines[0] and got[1] is lines[3]


def test_filter_lines_is_lazy_and_takes_any_iterable(tmp_path):
    p = tmp_path / "e.ndjson"
    p.write_text('{"a": 1}\n{"a": 2}\n{"a": 1}\n')
    f = Filter("a eq 1")
    with open(p) as text, open(p, "rb") as binary:
        assert list(f.filter_lines(text)) == ['{"a": 1}\n', '{"a": 1}\n']
        assert list(f.filter_lines(binary)) == [b'{"a": 1}\n', b'{"a": 1}\n']
    it = f.filter_lines(iter(['{"a": 1}', "{bad"]))
    assert next(it) == '{"a": 1}'
    with pytest.raises(JsonError):
        next(it)


def test_filter_lines_malformed_line_raises_naming_it():
    f = Filter("a eq 1")
    lines = ['{"a": 1}', "", '{"a": 2}', '{"a": ', '{"a": 1}']
    got = []
    with pytest.raises(JsonError) as info:
        for line in f.filter_lines(lines):
            got.append(line)
    assert got == ['{"a": 1}']
    e = info.value
    assert (e.line, e.kind, e.offset) == (4, "truncated", 6)
    assert str(e) == "line 4: unexpected end of JSON at byte 6"


def test_filter_lines_errors_warn_skips_with_a_warning():
    f = Filter("a eq 1")
    lines = ['{"a": 1}', "{oops}", '{"a": 1}', '{"a": 1']
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(f.filter_lines(lines, errors="warn"))
    assert got == ['{"a": 1}', '{"a": 1}']
    assert [w.category for w in caught] == [BadEventWarning, BadEventWarning]
    assert str(caught[0].message).startswith("line 2: ")
    assert str(caught[1].message).startswith("line 4: ")
    # The usual warning filters apply: "error" turns it into an exception.
    with warnings.catch_warnings():
        warnings.simplefilter("error", BadEventWarning)
        with pytest.raises(BadEventWarning):
            list(f.filter_lines(lines, errors="warn"))


def test_filter_lines_rejects_unknown_errors_and_non_text_items():
    f = Filter("a pr")
    with pytest.raises(ValueError, match="errors"):
        f.filter_lines([], errors="ignore")
    with pytest.raises(TypeError):
        list(f.filter_lines([{"a": 1}]))
    with pytest.raises(TypeError):
        f.filter_lines(5)


def test_module_surface():
    assert oktaql.__version__
    assert set(oktaql.__all__) >= {"Filter", "ParseError", "JsonError", "BadEventWarning"}
    assert issubclass(ParseError, ValueError) and issubclass(JsonError, ValueError)
    assert issubclass(BadEventWarning, UserWarning)
    for obj in (Filter, Filter.matches, Filter.matches_json, Filter.filter_lines, Filter.filter_file):
        assert obj.__doc__ and ">>>" in obj.__doc__, obj
