#!/usr/bin/env python3
"""The Python package against the command and against hand-written Python, side by side.

    python benches/python.py [FILE]        (default target/bench/events.ndjson)

Needs `pip install ./python` in the running interpreter and `cargo build --release` (the command,
target/release/oktaql). The file: `cargo run --release --example gen_events -- --seed 7 --bytes
100000000 > target/bench/events.ndjson` (as benches/compare.sh makes it).

Every measurement is repeated RUNS times (default 5), the contenders of one comparison
alternating run by run, and the median is reported. Timings are wall-clock seconds.

1. filter_file vs the command, on the whole file, output written to a file by both (the command
   with stdout redirected, Python writing each event and a newline), for the seed, broad and
   rule queries of benches/compare.sh; also filter_file with only counting the events. The same
   bytes must come out. Wall and CPU time (user + sys of all threads).
2. Over the file's lines (bytes, in memory): json.loads + a hand-written predicate for the seed
   question, vs a loop of Filter.matches_json, vs Filter.filter_lines.
3. Over the same events as dicts (json.loads done beforehand): the predicate vs Filter.matches
   (walking the dict in place) vs converting the dict first (to a serde_json::Value, when the
   build has the measurement-only Filter._matches_via_value; or to JSON text with json.dumps,
   then matches_json), for the seed, rule and a keyword filter.
"""

import json
import os
import pathlib
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import oktaql

ROOT = pathlib.Path(__file__).resolve().parents[1]
FILE = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "bench" / "events.ndjson"
OKTAQL = ROOT / "target" / "release" / "oktaql"
RUNS = int(os.environ.get("RUNS", "5"))
# Which of the three parts to run (PARTS=1,3 for example); all by default.
PARTS = set(os.environ.get("PARTS", "1,2,3").split(","))

# The queries of benches/compare.sh.
SEED = 'eventType eq "system.import.start" and debugContext.debugData.importTrigger eq "Manual action"'
BROAD = 'outcome.result eq "SUCCESS"'
RULE = (
    'eventType sw "user.authentication" and outcome.result eq "SUCCESS" and '
    '(debugContext.debugData.logOnlySecurityData co "\\"New Device\\":\\"POSITIVE\\"" or '
    'debugContext.debugData.behaviors co "New Device=POSITIVE") and not (client.zone eq "Corporate Network")'
)


def seed_predicate(e):
    """The seed question as a Python programmer writes it by hand (no arrays, exact case)."""
    dd = (e.get("debugContext") or {}).get("debugData") or {}
    return e.get("eventType") == "system.import.start" and dd.get("importTrigger") == "Manual action"


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def self_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def compare(title, contenders, cpu=False):
    """contenders: [(name, fn)], run alternately RUNS times; prints medians and ratios. With
    cpu=True each fn returns (result, CPU seconds)."""
    times = {name: [] for name, _ in contenders}
    cpus = {name: [] for name, _ in contenders}
    results = {}
    for _ in range(RUNS):
        for name, fn in contenders:
            t, r = timed(fn)
            if cpu:
                r, c = r
                cpus[name].append(c)
            times[name].append(t)
            results[name] = r
    first = contenders[0][0]
    base = statistics.median(times[first])
    print(f"\n{title}")
    if cpu:
        base_cpu = statistics.median(cpus[first])
        print(f"| contender | median s | vs {first} | median CPU s | vs {first} | result |")
        print("|---|---:|---:|---:|---:|---:|")
    else:
        print(f"| contender | median s | vs {first} | result |")
        print("|---|---:|---:|---:|")
    for name, _ in contenders:
        m = statistics.median(times[name])
        if cpu:
            c = statistics.median(cpus[name])
            print(f"| {name} | {m:.3f} | {m / base:.2f}x | {c:.3f} | {c / base_cpu:.2f}x | {results[name]} |")
        else:
            print(f"| {name} | {m:.3f} | {m / base:.2f}x | {results[name]} |")
    return {name: statistics.median(t) for name, t in times.items()}, results


def main():
    print(f"file: {FILE} ({FILE.stat().st_size / 1e6:.1f} MB)")
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, oktaql {oktaql.__version__}; RUNS={RUNS}")
    out = pathlib.Path(tempfile.mkdtemp()) / "out.ndjson"

    # 1. filter_file vs the command. Both write to a file through a 256 KiB buffer (the
    # command's BufWriter; Python's default is 8 KiB, also timed), and CPU time (user + sys, all
    # threads) is measured beside wall time: the machine is shared, CPU time moves less.
    for name, text in [] if "1" not in PARTS else [("seed", SEED), ("broad", BROAD), ("rule", RULE)]:
        f = oktaql.Filter(text)

        def command(text=text):
            with open(out, "wb") as o:
                p = subprocess.Popen([str(OKTAQL), text, str(FILE)], stdout=o)
                _, status, usage = os.wait4(p.pid, 0)
            assert os.waitstatus_to_exitcode(status) in (0, 1), status
            return out.stat().st_size, usage.ru_utime + usage.ru_stime

        def python(f=f, buffering=1 << 18):
            cpu = self_cpu()
            with open(out, "wb", buffering=buffering) as o:
                write = o.write
                for event in f.filter_file(FILE):
                    write(event)
                    write(b"\n")
            return out.stat().st_size, self_cpu() - cpu

        def count(f=f):
            cpu = self_cpu()
            n = sum(1 for _ in f.filter_file(FILE))
            return n, self_cpu() - cpu

        _, results = compare(f"filter_file vs the command: {name} (result: output bytes or events; CPU s)", [
            ("oktaql command > file", command),
            ("filter_file, written (256 KiB buffer)", python),
            ("filter_file, written (8 KiB buffer)", lambda: python(buffering=8192)),
            ("filter_file, counted", count),
        ], cpu=True)
        assert results["oktaql command > file"] == results["filter_file, written (256 KiB buffer)"], results

    # 2. Loops over lines.
    lines = FILE.read_bytes().splitlines()
    f = oktaql.Filter(SEED)
    if "2" in PARTS:
        compare(f"seed question over {len(lines)} lines (bytes in memory; result: events selected)", [
            ("json.loads + predicate", lambda: sum(1 for line in lines if seed_predicate(json.loads(line)))),
            ("matches_json loop", lambda: sum(1 for line in lines if f.matches_json(line))),
            ("filter_lines", lambda: sum(1 for _ in f.filter_lines(lines))),
        ])
    if "3" not in PARTS:
        return

    # 3. Dicts.
    events = [json.loads(line) for line in lines]
    has_value = hasattr(oktaql.Filter, "_matches_via_value")
    for name, text, kw in [("seed", SEED, None), ("rule", RULE, None), ("keywords", "eventType pr", "admin")]:
        f = oktaql.Filter(text, keywords=kw)
        contenders = []
        if name == "seed":
            contenders.append(("hand-written predicate", lambda: sum(1 for e in events if seed_predicate(e))))
        contenders.append(("matches (dict walked in place)", lambda f=f: sum(1 for e in events if f.matches(e))))
        if has_value:
            contenders.append(("dict -> serde_json::Value -> matches",
                               lambda f=f: sum(1 for e in events if f._matches_via_value(e))))
        contenders.append(("json.dumps -> matches_json",
                           lambda f=f: sum(1 for e in events if f.matches_json(json.dumps(e)))))
        compare(f"{name} over {len(events)} dicts (result: events selected)", contenders)


if __name__ == "__main__":
    main()
