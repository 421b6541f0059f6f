"""oktaql.spark on a real local Spark (local[2]): a few hundred events, the filter's verdicts on
each row must be exactly Filter.matches_json's."""

import json
import random

import pytest

# Not skipped when missing: .ci/run installs pyspark (and Java 17 is on the machine).
from pyspark.sql import functions as F
from pyspark.sql.utils import PythonException

import oktaql
from oktaql import Filter
from oktaql.spark import filter_dataframe, matches_column

from conftest import REPO

CORPUS = REPO / "tests" / "data" / "corpus"


def lines():
    """A few hundred events: the corpus, and variations of it (shuffled keys, other results)."""
    out = []
    for path in sorted(CORPUS.glob("*.ndjson")):
        out += [line for line in path.read_text(encoding="utf-8").split("\n") if line]
    rng = random.Random(7)
    extra = []
    for line in out:
        e = json.loads(line)
        e["outcome"] = {"result": rng.choice(["SUCCESS", "FAILURE", "ALLOW", None])}
        e["eventType"] = e.get("eventType", "").upper() if rng.random() < 0.2 else e.get("eventType")
        items = list(e.items())
        rng.shuffle(items)
        extra.append(json.dumps(dict(items), ensure_ascii=rng.random() < 0.5))
    return out + extra


FILTERS = [
    ('eventType eq "user.session.start"', False),
    ('eventType eq "user.session.start"', True),
    ('outcome.result eq "FAILURE" or outcome.result eq null', False),
    ('target[type eq "User" and alternateId co "@"]', False),
    ('client.zone ne "null" and not (securityContext.isProxy eq true)', False),
    ("client.geographicalContext.postalCode eq 10013", False),
]


@pytest.fixture(scope="module")
def df(spark):
    rows = [(i, line) for i, line in enumerate(lines())]
    assert len(rows) > 250
    return spark.createDataFrame(rows, "id long, value string").repartition(3)


@pytest.mark.parametrize("text, ignore_case", FILTERS)
def test_filter_dataframe_is_exactly_matches_json(df, text, ignore_case):
    f = Filter(text, ignore_case=ignore_case)
    expected = sorted(i for i, line in enumerate(lines()) if f.matches_json(line))
    got = filter_dataframe(df, f, "value")
    # Every column kept, with the same schema.
    assert got.schema == df.schema
    rows = got.collect()
    assert sorted(r.id for r in rows) == expected
    assert all(r.value == lines()[r.id] for r in rows)
    assert 0 < len(expected) < len(lines()) or text.endswith("10013")


@pytest.mark.parametrize("text, ignore_case", FILTERS[:3])
def test_matches_column_is_exactly_matches_json(df, text, ignore_case):
    f = Filter(text, ignore_case=ignore_case)
    expected = sorted(i for i, line in enumerate(lines()) if f.matches_json(line))
    got = df.where(matches_column(f, "value")).select("id").collect()
    assert sorted(r.id for r in got) == expected
    # Combined with other conditions, and negated.
    odd = df.where(matches_column(f, F.col("value")) & (F.col("id") % 2 == 1)).count()
    assert odd == sum(1 for i in expected if i % 2 == 1)
    assert df.where(~matches_column(f, "value")).count() == len(lines()) - len(expected)


def test_filter_text_and_binary_columns_and_nulls(spark):
    rows = [("a", '{"a": 1}'), ("b", None), ("c", '{"a": 2}'), ("d", '{"a": 1, "b": [1]}')]
    df = spark.createDataFrame(rows, "k string, raw string")
    assert [r.k for r in filter_dataframe(df, "a eq 1", column="raw").collect()] == ["a", "d"]
    verdicts = {r.k: r.m for r in df.select("k", matches_column("a eq 1", "raw").alias("m")).collect()}
    assert verdicts == {"a": True, "b": None, "c": False, "d": True}
    binary = df.select("k", F.col("raw").cast("binary").alias("raw"))
    assert [r.k for r in filter_dataframe(binary, Filter("a eq 1"), "raw").collect()] == ["a", "d"]


def test_malformed_rows_fail_the_job_or_are_skipped(spark):
    df = spark.createDataFrame([("a", '{"a": 1}'), ("b", '{"a": '), ("c", '{"a": 1}')], "k string, value string")
    with pytest.raises(PythonException, match="JsonError"):
        filter_dataframe(df, "a eq 1").collect()
    assert [r.k for r in filter_dataframe(df, "a eq 1", errors="skip").collect()] == ["a", "c"]
    with pytest.raises(PythonException, match="JsonError"):
        df.where(matches_column("a eq 1")).collect()
    verdicts = {r.k: r.m for r in df.select("k", matches_column("a eq 1", errors="skip").alias("m")).collect()}
    assert verdicts == {"a": True, "b": None, "c": True}


def test_arguments_are_checked_on_the_driver(df):
    with pytest.raises(ValueError, match="no column"):
        filter_dataframe(df, "a pr", column="raw")
    with pytest.raises(ValueError, match="errors"):
        filter_dataframe(df, "a pr", errors="ignore")
    with pytest.raises(oktaql.ParseError):
        filter_dataframe(df, "a eqq 1")
    with pytest.raises(TypeError):
        filter_dataframe(df, 42)


def test_a_filter_survives_spark_pickling():
    from pyspark import cloudpickle

    f = Filter("a eq 1", ignore_case=True, since="2025-03-03", keywords="x")
    g = cloudpickle.loads(cloudpickle.dumps(f))
    assert g == f and repr(g) == repr(f)
