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
from concurrent.futures import ThreadPoolExecutor
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
        # Spark keeps 9223372036854775808.0 as an exact decimal, as it
        # keeps the integer 9223372036854775808.
        "u64-whole-floats": lambda f, feats: "u64-whole-floats" in feats,
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
        # The table is small, and the engines run side by side (in_parallel).
        self.con.execute("SET threads = 1")
        self.con.execute("CREATE TABLE t (id INTEGER, raw VARCHAR)")
        self.con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(rows)))

    def run(self, conds):
        cols = ", ".join(f"{c} AS f{i}" for i, c in enumerate(conds))
        return self.con.execute(f"SELECT id, {cols} FROM t ORDER BY id").fetchall()

    def version(self):
        return self.con.execute("SELECT version()").fetchone()[0]

    def lower_differences(self, table, expr):
        self.con.execute("CREATE OR REPLACE TABLE u (cp INTEGER, s VARCHAR, want VARCHAR)")
        self.con.executemany("INSERT INTO u VALUES (?, ?, ?)", table)
        return {r[0] for r in self.con.execute(f"SELECT cp FROM u WHERE {expr} <> want").fetchall()}


class ClickHouse:
    name = "clickhouse"

    def __init__(self, rows):
        from chdb import session

        self.dir = tempfile.mkdtemp(prefix="oktaql-chdb-")
        self.s = session.Session(self.dir)
        # A batch of conditions is longer than the 256 KiB ClickHouse parses
        # by default (README).
        self.s.query("SET max_query_size = 1000000000")
        self.s.query("SET max_threads = 1")
        self.s.query("SET max_ast_elements = 10000000")
        self.s.query("SET max_expanded_ast_elements = 10000000")
        data = os.path.join(self.dir, "rows.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for i, r in enumerate(rows):
                f.write(json.dumps({"id": i, "raw": r}) + "\n")
        # Nullable, as a column of a real table may be: the SQL must cope.
        self.s.query("CREATE TABLE t (id UInt32, raw Nullable(String)) ENGINE = Memory")
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

    def lower_differences(self, table, expr):
        data = os.path.join(self.dir, "fold.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for cp, c, want in table:
                f.write(json.dumps({"cp": cp, "s": c, "want": want}) + "\n")
        self.s.query("DROP TABLE IF EXISTS u")
        self.s.query("CREATE TABLE u (cp UInt32, s String, want String) ENGINE = Memory")
        self.s.query(f"INSERT INTO u SELECT * FROM file('{data}', 'JSONEachRow', 'cp UInt32, s String, want String')")
        out = self.s.query(f"SELECT cp FROM u WHERE {expr} <> want", "JSONCompact")
        return {r[0] for r in json.loads(out.bytes())["data"]}


class Spark:
    name = "spark"

    def __init__(self, rows):
        from pyspark.sql import SparkSession
        from pyspark.sql.types import IntegerType, StringType, StructField, StructType

        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("oktaql-sql-suite")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "6g")
            # Repeated keys: the last counts, as in oktaql (README).
            .config("spark.sql.variant.allowDuplicateKeys", "true")
            # A batch of conditions is far beyond what Java code generation
            # compiles (64 KB per method): Spark would try, fail and fall
            # back for every query. Interpret them at once.
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
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

    def lower_differences(self, table, expr):
        self.spark.createDataFrame(table, "cp int, s string, want string").createOrReplaceTempView("u")
        return {r[0] for r in self.spark.sql(f"SELECT cp FROM u WHERE {expr} <> want").collect()}


ENGINES = {"duckdb": DuckDB, "clickhouse": ClickHouse, "spark": Spark}

# --------------------------------------------------------- lower-casing audit


def cased_code_points():
    """Every code point that has a case mapping or is cased, in Python's
    view (the candidates for a difference between lower() and Rust's)."""
    out = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if c.lower() != c or c.upper() != c or c.title() != c:
            out.append(cp)
    return out


def lower_audit(oracle_path, db, engine):
    """The code points whose lower-casing in `engine` (Dialect::lower) is
    not Rust's char::to_lowercase."""
    spec = {"fold": cased_code_points(), "dialects": [engine]}
    out = subprocess.run([oracle_path], input=json.dumps(spec), capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    expr = res["lower"][engine]
    return db.lower_differences([(cp, c, want) for cp, c, want in res["fold"]], expr)


# Code points whose lower-casing an engine does not do as Rust does
# (README: `lower-case`); found by lower_audit, which fails when the set
# changes.
LOWER_EXCEPTIONS = {"duckdb": set(), "clickhouse": set(), "spark": set()}

# -------------------------------------------------------------------- oracle


def oracle(path, rows, filters, dialects):
    spec = {"rows": rows, "filters": filters, "dialects": dialects, "column": "raw"}
    out = subprocess.run([path], input=json.dumps(spec), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["results"]


# ------------------------------------------------- the README's queries


def oktaql(*args):
    exe = ROOT / "target" / "debug" / "oktaql"
    return subprocess.run([str(exe), *args], capture_output=True, text=True)


def readme_queries(engine, db):
    """The README's query for each engine, over examples/system-log.ndjson
    with the condition `oktaql sql` prints: the count must be what
    `oktaql -c` says. Returns the failures."""
    sample = str(ROOT / "examples" / "system-log.ndjson")
    checks = {
        "duckdb": [
            (
                ["--column", "json", 'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"'],
                "SELECT count(*) FROM read_json_objects('{f}', format = 'newline_delimited') WHERE {c}",
            ),
            (
                ["--column", "line", "-e", "", "-k", "admin"],
                "SELECT count(*) FROM (SELECT unnest(string_split(content, chr(10))) AS line FROM read_text('{f}')) WHERE {c}",
            ),
        ],
        "clickhouse": [
            (
                ["--column", "json", "-i", 'actor.alternateId eq "OLIVIA.WILSON@example.com"'],
                "SELECT count() FROM file('{f}', 'JSONAsString') WHERE {c}",
            ),
        ],
        "spark": [(["--column", "value", 'eventType sw "user.session"'], None)],
    }
    failures = []
    for args, query in checks[engine]:
        out = oktaql("sql", "--dialect", engine, *args)
        if out.returncode != 0:
            failures.append(f"oktaql sql {args}: {out.stderr}")
            continue
        cond = out.stdout.strip()
        filt = [a for a in args if a not in ("--column", "json", "line", "value")]
        want = int(oktaql("-c", *filt, sample).stdout.strip() or 0)
        if engine == "duckdb":
            got = db.con.execute(query.format(f=sample, c=cond)).fetchall()[0][0]
        elif engine == "clickhouse":
            got = int(db.s.query(query.format(f=sample, c=cond), "CSV").bytes().decode().strip())
        else:
            got = db.spark.read.text(sample).where(cond).count()
        if got != want:
            failures.append(f"{engine} README query {args}: {got} rows, oktaql -c says {want}")
    return failures


# --------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--engines", default="duckdb,clickhouse,spark")
    ap.add_argument("--random", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--show", type=int, default=5, help="differences shown per engine")
    ap.add_argument("--verbose", action="store_true", help="time each batch")
    ap.add_argument("--one-by-one", action="store_true", help="check the engines one after the other")
    ap.add_argument("--state", help=argparse.SUPPRESS)  # a worker: rows and verdicts from this file
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        ap.error(f"--engines: expected some of {', '.join(ENGINES)}, got {args.engines!r}")

    started = time.time()
    if args.state:
        with open(args.state, encoding="utf-8") as f:
            state = json.load(f)
    else:
        rows, row_feats = gen.rows(ROOT)
        groups = [
            ("cases", gen.case_filters(ROOT, rows)),
            ("corpus", gen.corpus_filters(ROOT)),
            ("random", gen.random_filters(args.seed, args.random, rows)),
        ]
        results = {}
        for name, filters in groups:
            results[name] = oracle(args.oracle, rows, filters, engines)
            ok = sum(1 for r in results[name] if "sql" in r)
            print(f"{name}: {len(filters)} filters ({ok} valid), {len(rows)} rows")
        print(f"oracle: {time.time() - started:.1f}s")
        state = {"rows": rows, "feats": [sorted(x) for x in row_feats], "groups": groups, "results": results}

    if len(engines) == 1 or args.one_by_one:
        failed = [e for e in engines if not check_engine(e, state, args)]
    else:
        failed = in_parallel(engines, state, args)
    print(f"total {time.time() - started:.1f}s")
    print(f"sql: {len(engines) - len(failed)} passed, {len(failed)} failed")
    print(f"FAILED: {', '.join(failed)}" if failed else "all engines agree with oktaql")
    sys.exit(1 if failed else 0)


def in_parallel(engines, state, args):
    """Each engine in its own process, at the same time (each is mostly
    one thread: two cores finish them sooner together); their reports are
    printed whole, one after the other. Returns the engines that failed."""
    with tempfile.TemporaryDirectory(prefix="oktaql-sql-") as tmp:
        path = os.path.join(tmp, "state.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(state, f)
        common = ["--oracle", args.oracle, "--batch", str(args.batch), "--show", str(args.show), "--state", path]
        if args.verbose:
            common.append("--verbose")
        procs = {}
        for e in engines:
            out = open(os.path.join(tmp, f"{e}.log"), "w+", encoding="utf-8")
            cmd = [sys.executable, "-u", __file__, *common, "--engines", e]
            procs[e] = (subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT), out)
        failed = []
        for e, (proc, out) in procs.items():
            code = proc.wait()
            out.seek(0)
            ends = ("total ", "sql: ", "FAILED", "all engines agree")
            report = [line for line in out.read().splitlines() if not line.startswith(ends)]
            out.close()
            print("\n".join(report))
            if code != 0:
                failed.append(e)
        return failed


def check_engine(engine, state, args):
    """Runs every filter over every row in `engine`; prints a report and
    returns whether the engine agrees with oktaql (and passes the README
    queries and the lower-casing audit)."""
    rows = state["rows"]
    row_feats = [set(x) for x in state["feats"]]
    groups, results = state["groups"], state["results"]
    t0 = time.time()
    db = ENGINES[engine](rows)
    print(f"== {engine} {db.version()} (loaded in {time.time() - t0:.1f}s)")
    engine_failed = False
    for problem in readme_queries(engine, db):
        engine_failed = True
        print(problem)
    lower_diff = lower_audit(args.oracle, db, engine)
    if lower_diff != LOWER_EXCEPTIONS[engine]:
        engine_failed = True
        print(
            f"{engine}: lower-casing differs from Rust's on {sorted(lower_diff)[:60]} "
            f"({len(lower_diff)} code points), expected {sorted(LOWER_EXCEPTIONS[engine])}"
        )
        print("  " + " ".join(f"U+{cp:04X}" for cp in sorted(lower_diff)[:200]))
    excused = {}
    diffs = []
    compared = 0
    # Every filter over every row. Spark's analyser makes one pass over the
    # whole query per level of nesting of its deepest condition: its
    # batches hold conditions of about the same depth, and two run at once
    # (one is analysed while the other executes).
    jobs = []
    for name, filters in groups:
        work = [(f, r) for f, r in zip(filters, results[name]) if "sql" in r]
        if engine == "spark":
            work.sort(key=lambda fr: (lambda_depth(fr[1]["sql"][engine]), len(fr[1]["sql"][engine])))
        jobs += [(name, work[i : i + args.batch]) for i in range(0, len(work), args.batch)]
    timed = lambda job: (time.time(), run_batch(db, job[1], engine), time.time())  # noqa: E731
    with ThreadPoolExecutor(2) as pool:
        # Spark's session takes queries from several threads; the others
        # run in this one.
        outcomes = pool.map(timed, jobs) if engine == "spark" else map(timed, jobs)
        for (name, batch), (tb, got, te) in zip(jobs, outcomes):
            if args.verbose:
                print(f"  {name}: {len(batch)} filters, {len(got)} rows, {te - tb:.1f}s")
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
                    why = [x for x, applies in EXCEPTIONS[engine].items() if applies(f, row_feats[rid])]
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
    return not (diffs or engine_failed)


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


def lambda_depth(sql):
    """How many lambdas (`->`) enclose each other at most in `sql`, string
    literals skipped: what Spark's analyser pays a pass for."""
    depth, stack, most, i = 0, [], 0, 0
    while i < len(sql):
        c = sql[i]
        if c == "'":
            i = sql.index("'", i + 1) + 1
            while i < len(sql) and sql[i] == "'":  # '' inside a literal
                i = sql.index("'", i + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            while stack and stack[-1] > depth:
                stack.pop()
        elif c == "," and stack and stack[-1] == depth:
            stack.pop()  # the next argument: the lambda has ended
        elif sql.startswith("->", i):
            stack.append(depth)
            most = max(most, len(stack))
        i += 1
    return most


if __name__ == "__main__":
    main()
