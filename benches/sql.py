#!/usr/bin/env python3
"""The cost of exactness: oktaql's SQL in DuckDB and ClickHouse (chDB) next
to oktaql's own scan and to the naive json_extract equality users write by
hand, on the same NDJSON file. Medians of RUNS runs, side by side.

    target/sqlvenv/bin/python benches/sql.py target/bench/events-1g.ndjson [RUNS]

Needs target/release/oktaql (cargo build --release) and the suite's venv
(tests/sql/run.sh creates it). Loading the file into each engine's table
is not timed; each query is `SELECT count(*) FROM t WHERE <condition>`
over a table (raw VARCHAR / String) with both cores.
"""

import statistics
import subprocess
import sys
import time

QUERIES = [
    (
        "seed",
        'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"',
        {
            "duckdb": "json_extract_string(raw, '$.eventType') = 'system.import.start' AND "
            "json_extract_string(raw, '$.debugContext.debugData.importTrigger') = 'Manual action'",
            "clickhouse": "JSONExtractString(raw, 'eventType') = 'system.import.start' AND "
            "JSONExtractString(raw, 'debugContext', 'debugData', 'importTrigger') = 'Manual action'",
        },
    ),
    (
        "broad",
        'outcome.result eq "SUCCESS"',
        {
            "duckdb": "json_extract_string(raw, '$.outcome.result') = 'SUCCESS'",
            "clickhouse": "JSONExtractString(raw, 'outcome', 'result') = 'SUCCESS'",
        },
    ),
    (
        "target",
        'target[type eq "AppInstance" and displayName co "Admin"]',
        {},
    ),
]


def timed(f, runs):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    import duckdb
    from chdb import session

    exe = "target/release/oktaql"
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(
        f"CREATE TABLE t AS SELECT line AS raw FROM read_csv('{path}', columns = {{'line': 'VARCHAR'}}, "
        "delim = chr(1), quote = '', escape = '', header = false, max_line_size = 100000000)"
    )
    n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    print(f"duckdb: loaded {n} rows in {time.perf_counter() - t:.1f}s", flush=True)
    t = time.perf_counter()
    ch = session.Session()
    ch.query("CREATE TABLE t (raw String) ENGINE = Memory")
    ch.query(f"INSERT INTO t SELECT line FROM file('{path}', 'LineAsString')")
    print(f"clickhouse: loaded in {time.perf_counter() - t:.1f}s", flush=True)

    print("| query | oktaql -c | DuckDB (oktaql's SQL) | DuckDB naive | ClickHouse (oktaql's SQL) | ClickHouse naive |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, filt, naive in QUERIES:
        cells = []
        ok, out = timed(lambda: subprocess.run([exe, "-c", filt, path], capture_output=True, text=True).stdout.strip(), runs)
        cells.append(f"{ok:.2f} s ({out})")
        for engine in ("duckdb", "clickhouse"):
            cond = subprocess.run(
                [exe, "sql", "--dialect", engine, filt], capture_output=True, text=True, check=True
            ).stdout.strip()
            if engine == "duckdb":
                run = lambda c: con.execute(f"SELECT count(*) FROM t WHERE {c}").fetchall()[0][0]
            else:
                run = lambda c: ch.query(f"SELECT count() FROM t WHERE {c} SETTINGS max_threads = 2", "CSV").bytes().decode().strip()
            s, got = timed(lambda: run(cond), runs)
            cells.append(f"{s:.2f} s ({got}, {s / ok:.0f}×)")
            if engine in naive:
                s2, got2 = timed(lambda: run(naive[engine]), runs)
                cells.append(f"{s2:.2f} s ({got2})")
            else:
                cells.append("—")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
