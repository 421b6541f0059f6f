#!/usr/bin/env python3
"""The SQL suite: the SQL that oktaql writes, run by the real engines, must
select exactly the rows that oktaql itself selects.

Rows: every event of tests/cases/*.txt, the public events of
tests/data/corpus/, and generated tricky events and malformed rows
(gen.py). Filters: every filter line of tests/cases/*.txt (each over every
row, not only its own event), the public filters of
tests/data/corpus/filters-public.tsv, and random filters (gen.py) with -i,
-v, --since/--until and -k.

The oracle is examples/sql_oracle.rs: for a batch of filters it prints the
SQL of each dialect (Filter::to_sql) and the rows Filter::matches_json
selects (what the oktaql command runs). Each engine gets one session; the
rows are loaded once into a table `t(id, raw)`; filters run in batches, one
SELECT with one boolean column per filter. Every value must be TRUE or
FALSE (never NULL) and the TRUE rows must be the oracle's rows.

A difference on a row that has a feature an engine documents as an
exception (README.md, "SQL: per-engine exceptions") is counted under the
exception's name and not reported; nothing else is excused.

Usage: run.py --oracle PATH [--engines duckdb,clickhouse,spark]
              [--random N] [--seed S] [--batch N]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import gen  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------- exceptions

# Per engine: exception name -> does it apply to this (filter spec, row
# features)? A mismatch is excused only when one applies. The names are the
# README's.
EXCEPTIONS = {
    "duckdb": {
        # DuckDB's JSON reader keeps the first of repeated keys.
        "duplicate-keys": lambda f, feats: "duplicate-keys" in feats,
    },
    "clickhouse": {
        # ClickHouse's JSON functions read the first of repeated keys.
        "duplicate-keys": lambda f, feats: "duplicate-keys" in feats,
        # They read an integer beyond 64 bits as a string.
        "big-integers": lambda f, feats: "big-integers" in feats,
        # They write a float with a whole value as an integer: beyond 2^53
        # it compares exactly, not as f64.
        "big-whole-floats": lambda f, feats: "big-whole-floats" in feats,
        # -k looks KEYWORD_DEPTH levels deep.
        "keywords-depth": lambda f, feats: f.get("keywords") and "deep-strings" in feats,
    },
    "spark": {
        "keywords-depth": lambda f, feats: f.get("keywords") and "deep-strings" in feats,
    },
}
# For every engine: arrays directly inside arrays deeper than ARRAY_DEPTH.
for table in EXCEPTIONS.values():
    table["deep-arrays"] = lambda f, feats: "deep-arrays" in feats


# ------------------------------------------------------------------- engines


class DuckDB:
    name = "duckdb"

    def __init__(self, rows):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute("CREATE TABLE t (id INTEGER, raw VARCHAR)")
        self.con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(rows)))

    def run(self, conds):
        cols = ", ".join(f"{c} AS f{i}" for i, c in enumerate(conds))
        return self.con.execute(f"SELECT id, {cols} FROM t ORDER BY id").fetchall()

    def version(self):
        return self.con.execute("SELECT version()").fetchone()[0]


class ClickHouse:
    name = "clickhouse"

    def __init__(self, rows):
        from chdb import session

        self.dir = tempfile.mkdtemp(prefix="oktaql-chdb-")
        self.s = session.Session(self.dir)
        data = os.path.join(self.dir, "rows.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for i, r in enumerate(rows):
                f.write(json.dumps({"id": i, "raw": r}) + "\n")
        self.s.query("CREATE TABLE t (id UInt32, raw String) ENGINE = Memory")
        self.s.query(
            f"INSERT INTO t SELECT id, raw FROM file('{data}', 'JSONEachRow', 'id UInt32, raw String')"
        )
        n = self.s.query("SELECT count() FROM t", "CSV").bytes().decode().strip()
        assert int(n) == len(rows), n

    def run(self, conds):
        cols = ", ".join(f"{c} AS f{i}" for i, c in enumerate(conds))
        out = self.s.query(f"SELECT id, {cols} FROM t ORDER BY id", "JSONCompact")
        data = json.loads(out.bytes())["data"]
        return [tuple(None if v is None else bool(v) if i else v for i, v in enumerate(r)) for r in data]

    def version(self):
        return self.s.query("SELECT version()", "CSV").bytes().decode().strip()


class Spark:
    name = "spark"

    def __init__(self, rows):
        from pyspark.sql import SparkSession
        from pyspark.sql.types import IntegerType, StringType, StructField, StructType

        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("oktaql-sql-suite")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        schema = StructType([StructField("id", IntegerType()), StructField("raw", StringType())])
        df = self.spark.createDataFrame(list(enumerate(rows)), schema).coalesce(2)
        df.cache().createOrReplaceTempView("t")

    def run(self, conds):
        cols = ", ".join(f"{c} AS f{i}" for i, c in enumerate(conds))
        rows = self.spark.sql(f"SELECT id, {cols} FROM t").collect()
        return sorted(tuple(r) for r in rows)

    def version(self):
        return self.spark.version


ENGINES = {"duckdb": DuckDB, "clickhouse": ClickHouse, "spark": Spark}

# -------------------------------------------------------------------- oracle


def oracle(path, rows, filters, dialects):
    spec = {"rows": rows, "filters": filters, "dialects": dialects, "column": "raw"}
    out = subprocess.run([path], input=json.dumps(spec), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["results"]


# --------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--engines", default="duckdb,clickhouse,spark")
    ap.add_argument("--random", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--show", type=int, default=5, help="differences shown per engine")
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if e]

    rows, row_feats = gen.rows(ROOT)
    groups = [
        ("cases", gen.case_filters(ROOT)),
        ("corpus", gen.corpus_filters(ROOT)),
        ("random", gen.random_filters(args.seed, args.random, rows)),
    ]
    started = time.time()
    results = {}
    for name, filters in groups:
        results[name] = oracle(args.oracle, rows, filters, engines)
        ok = sum(1 for r in results[name] if "sql" in r)
        print(f"{name}: {len(filters)} filters ({ok} valid), {len(rows)} rows")
    print(f"oracle: {time.time() - started:.1f}s")

    failed = False
    for engine in engines:
        t0 = time.time()
        db = ENGINES[engine](rows)
        print(f"== {engine} {db.version()} (loaded in {time.time() - t0:.1f}s)")
        excused = {}
        diffs = []
        compared = 0
        for name, filters in groups:
            work = [(f, r) for f, r in zip(filters, results[name]) if "sql" in r]
            for i in range(0, len(work), args.batch):
                batch = work[i : i + args.batch]
                got = run_batch(db, batch, engine)
                for k, (f, r) in enumerate(batch):
                    want = set(r["selected"])
                    for row in got:
                        rid, v = row[0], row[k + 1]
                        compared += 1
                        if v is None:
                            diffs.append((name, f, rid, "NULL", rid in want))
                            continue
                        if bool(v) == (rid in want):
                            continue
                        why = [
                            x
                            for x, applies in EXCEPTIONS[engine].items()
                            if applies(f, row_feats[rid])
                        ]
                        if why:
                            excused[why[0]] = excused.get(why[0], 0) + 1
                        else:
                            diffs.append((name, f, rid, bool(v), rid in want))
        took = time.time() - t0
        print(
            f"{engine}: {compared} (filter, row) verdicts in {took:.1f}s, "
            f"{len(diffs)} differences, excused by name: {excused or 'none'}"
        )
        by_row = {}
        for d in diffs:
            by_row.setdefault(d[2], []).append(d)
        if diffs:
            print(f"  rows with differences: {sorted(by_row)[:40]}")
        shown = []
        for ds in by_row.values():
            shown += ds[:2]
        for name, f, rid, got, want in shown[: args.show]:
            print(f"  [{name}] row {rid}: {rows[rid][:300]!r}")
            print(f"    filter {json.dumps(f)}: engine {got}, oktaql {want}")
        if diffs:
            failed = True
    print(f"total {time.time() - started:.1f}s")
    print("FAILED" if failed else "all engines agree with oktaql")
    sys.exit(1 if failed else 0)


def run_batch(db, batch, engine):
    conds = [r["sql"][engine] for _, r in batch]
    try:
        return db.run(conds)
    except Exception as e:  # find the filter the engine refuses
        if len(batch) == 1:
            f = batch[0][0]
            raise SystemExit(f"{engine} fails on {json.dumps(f)}:\n{conds[0][:3000]}\n{e}")
        mid = len(batch) // 2
        a = run_batch(db, batch[:mid], engine)
        b = run_batch(db, batch[mid:], engine)
        return [x + y[1:] for x, y in zip(a, b)]


if __name__ == "__main__":
    main()
