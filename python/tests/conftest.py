"""Shared helpers: the repository's files (case files, corpus, README) and sample inputs."""

import gzip
import json
import os
import pathlib
import struct
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO


def zstd_frame(text: bytes) -> bytes:
    """A zstd frame made by hand: raw (stored) blocks, no checksum (as tests/cli.rs makes them)."""
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out.append(0b1010_0000)  # single segment, 4-byte content size
    out += struct.pack("<I", len(text))
    chunks = [text[i : i + 100] for i in range(0, len(text), 100)] or [b""]
    for i, c in enumerate(chunks):
        header = int(i + 1 == len(chunks)) | (len(c) << 3) | (0 << 1)
        out += struct.pack("<I", header)[:3]
        out += c
    return bytes(out)


def ndjson(events) -> bytes:
    return b"".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for e in events)


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


@pytest.fixture(scope="session")
def spark():
    """A local Spark (local[2]), started once for the whole run (test_spark, test_readme)."""
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (the venv with oktaql), not `python3` from PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("oktaql-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()
