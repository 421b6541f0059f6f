"""Filtering a PySpark DataFrame's raw-JSON column with exact oktaql semantics.

For clusters where the filter cannot be translated to SQL (Spark 3.5, no
VARIANT type): the events stay JSON text in a string column, and the native
evaluator (``Filter.matches_json``) decides each row inside an Arrow-batched
Python UDF on the executors. The ``Filter`` travels to the executors by
pickle (its text and options).

Spark APIs used, all present in Spark 3.5 (and 4.x):

- ``DataFrame.mapInArrow`` (Spark >= 3.3) for :func:`filter_dataframe`:
  each executor gets the rows as ``pyarrow.RecordBatch`` es and returns the
  selected rows, with the DataFrame's own schema;
- ``pyspark.sql.functions.pandas_udf`` (Spark >= 3.0, Series to Series) for
  :func:`matches_column`, a boolean Column to combine with other conditions.

Both need ``pyarrow`` (and ``pandas`` for :func:`matches_column`) on the
driver and the executors, as any Arrow UDF does. A null in the column is no
event: :func:`filter_dataframe` drops the row and :func:`matches_column`
gives null (which ``DataFrame.filter`` drops too).

Malformed JSON in the column raises ``oktaql.JsonError`` on the executor,
which fails the job with the row's problem (``errors="strict"``, the
default); with ``errors="skip"`` such rows are not selected (and
:func:`matches_column` gives null for them).
"""

from typing import TYPE_CHECKING, Iterator, Union

from . import Filter, JsonError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import Column, DataFrame

__all__ = ["filter_dataframe", "matches_column"]


def _filter_of(filter: Union[Filter, str]) -> Filter:
    if isinstance(filter, Filter):
        return filter
    if isinstance(filter, str):
        return Filter(filter)
    raise TypeError(f"filter must be an oktaql.Filter or a str, not {type(filter).__name__}")


def _check_errors(errors: str) -> bool:
    """Whether malformed rows are skipped."""
    if errors not in ("strict", "skip"):
        raise ValueError(f'errors must be "strict" or "skip", not {errors!r}')
    return errors == "skip"


def _verdict(f: Filter, value: Union[str, bytes, None], skip: bool) -> Union[bool, None]:
    """True, False, or None for a null (and, when skipping, a malformed row)."""
    if value is None:
        return None
    try:
        return f.matches_json(value)
    except JsonError:
        if skip:
            return None
        raise


def filter_dataframe(
    df: "DataFrame",
    filter: Union[Filter, str],
    column: str = "value",
    *,
    errors: str = "strict",
) -> "DataFrame":
    """The rows of ``df`` whose ``column`` (one event's JSON text, a string
    or binary column) satisfies ``filter``, with every column kept.

    Runs ``DataFrame.mapInArrow``: the rows reach the executors as Arrow
    record batches, each value is matched by the native evaluator, and the
    selected rows are returned with the same schema. ``filter`` is an
    ``oktaql.Filter`` or filter text.

    >>> from pyspark.sql import SparkSession                          # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
    >>> df = spark.read.text("events.ndjson")      # one column, "value"  # doctest: +SKIP
    >>> failures = filter_dataframe(df, 'outcome.result eq "FAILURE"')    # doctest: +SKIP
    >>> failures.count()                                                 # doctest: +SKIP
    """
    f = _filter_of(filter)
    skip = _check_errors(errors)
    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame (columns: {df.columns})")
    schema = df.schema

    def select(batches: "Iterator[pyarrow.RecordBatch]") -> "Iterator[pyarrow.RecordBatch]":
        import pyarrow as pa

        for batch in batches:
            values = batch.column(column)
            # Strings as bytes: no decoding to str and encoding back (a zero-copy cast).
            if pa.types.is_string(values.type):
                values = values.cast(pa.binary())
            elif pa.types.is_large_string(values.type):
                values = values.cast(pa.large_binary())
            keep = pa.array([_verdict(f, v, skip) is True for v in values.to_pylist()], type=pa.bool_())
            yield batch.filter(keep)

    return df.mapInArrow(select, schema)


def matches_column(
    filter: Union[Filter, str],
    column: Union[str, "Column"] = "value",
    *,
    errors: str = "strict",
) -> "Column":
    """A boolean Column: whether ``column`` (one event's JSON text) satisfies
    ``filter``; null for a null value. Combine it with other conditions:

    >>> from pyspark.sql import functions as F                                   # doctest: +SKIP
    >>> admin = matches_column('eventType sw "user.account.privilege"', "value")  # doctest: +SKIP
    >>> df.where(admin & (F.col("day") == "2025-03-03"))                          # doctest: +SKIP

    Runs ``pyspark.sql.functions.pandas_udf`` (Series to Series), Arrow
    batched. Malformed JSON raises ``oktaql.JsonError`` on the executor;
    with ``errors="skip"`` it gives null instead.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    f = _filter_of(filter)
    skip = _check_errors(errors)

    def missing(v: object) -> bool:
        # A null arrives as None, pd.NA or NaN, depending on the pandas version.
        return v is None or v is pd.NA or (isinstance(v, float) and v != v)

    @pandas_udf("boolean")  # type: ignore[call-overload]
    def oktaql_matches(values: pd.Series) -> pd.Series:
        return pd.Series([None if missing(v) else _verdict(f, v, skip) for v in values], dtype="boolean")

    return oktaql_matches(column)
