"""Filter.to_sql: the library's translation, run for real in DuckDB (the SQL
suite's engine, installed by .ci/run) and compared with Filter.matches_json."""

import json

import pytest

import oktaql


EVENTS = [
    {"eventType": "user.session.start", "outcome": {"result": "FAILURE"}, "target": [{"id": "a"}, {"id": "b"}]},
    {"eventType": "user.session.start", "outcome": {"result": "SUCCESS"}},
    {"eventType": "system.import.start", "published": "2025-03-03T10:00:00+02:00"},
    {"eventType": "x", "n": 12},
]

FILTERS = [
    'eventType eq "user.session.start"',
    'outcome.result ne "SUCCESS"',
    'target.id eq "b"',
    'published gt "2025-03-03T07:59:59Z"',
    "n ge 12 or outcome pr",
]


def test_duckdb_selects_what_oktaql_selects():
    import duckdb
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, raw VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, json.dumps(e)) for i, e in enumerate(EVENTS)])
    for text in FILTERS:
        for ignore_case in (False, True):
            f = oktaql.Filter(text, ignore_case=ignore_case)
            want = [i for i, e in enumerate(EVENTS) if f.matches_json(json.dumps(e))]
            got = [r[0] for r in con.execute(f"SELECT i FROM t WHERE {f.to_sql('duckdb')} ORDER BY i").fetchall()]
            assert got == want, (text, ignore_case)


def test_every_dialect_and_errors():
    f = oktaql.Filter('eventType eq "x"', since="2025-03-03")
    for dialect in ("duckdb", "clickhouse", "spark"):
        assert f.to_sql(dialect, column="value")
    with pytest.raises(ValueError):
        f.to_sql("oracle")
    with pytest.raises(ValueError):
        f.to_sql("duckdb", column="raw; DROP TABLE t")
