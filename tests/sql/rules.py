#!/usr/bin/env python3
"""The rule-set half of the SQL suite: `oktaql sql --rules` writes one
expression whose value, per row, is the array of the ids of the rules that
select the row. In each real engine, a rule's id must be in the array
exactly when the rule selects the row (RuleSet::matches_json, the oracle).

Rule sets: SigmaHQ's 24 Okta rules (tests/data/rules/sigma, the
placeholder filled), hand-written Sigma rules for each kind of Sigma test
(sigma_sets.py), Okta's catalogue as shipped (tests/data/rules/okta-customer-
detections, the rules that load), the seed rules (examples/rules), and rule
sets made from the filters of tests/cases/*.txt (with their -i and -k),
50 rules a set. Rows: the SQL suite's rows (gen.py), the sample events, the
Sigma suite's events (tests/sigma/cases.jsonl) and sigma_sets.py's.

A rule a dialect cannot say exactly is left out of its array and listed as
refused; which rules each dialect refuses is checked against sigma_sets.py's
hand-made list (none, for every other set), and each refused rule is then
left out of that dialect's comparison. Every hand-written Sigma rule that a
dialect translates must select some row and leave out some other (oktaql's
own verdicts), so each is seen both ways.

A difference on a row with a feature an engine documents as an exception
(run.py's EXCEPTIONS) is counted under the exception's name, as in run.py.

Spark analyses each 50-condition array for about half a minute on this
2-core machine (30 sets: 17 minutes), so it runs the first --spark-sets
sets (the two Sigma sets, the catalogue, the seed rules). Every rule's
condition is a single filter's, which run.py checks in Spark for every
filter; what this adds is the array around them. The engines run side by
side.

Usage: rules.py --oracle PATH [--engines duckdb,clickhouse,spark]
"""

import argparse
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import gen  # noqa: E402
import run as suite  # noqa: E402
import sigma_sets  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PER_SET = 50


def yaml_str(text):
    """`text` as a YAML double-quoted scalar: JSON's escapes are YAML's,
    except that YAML spells a character beyond U+FFFF as \\UXXXXXXXX, not
    as a pair of surrogate escapes."""
    quoted = json.dumps(text)
    pair = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")
    return pair.sub(lambda m: "\\U%08x" % (0x10000 + ((int(m[1], 16) - 0xD800) << 10) + int(m[2], 16) - 0xDC00), quoted)


def rule_sets(oracle_path, rows):
    """The rule sets (name, YAML text, how many rules must load), and the
    ids of rules with keywords."""
    sets, keyworded = [], set()
    sigma = sorted((ROOT / "tests" / "data" / "rules" / "sigma").rglob("*.yml"))
    sets.append(("sigma-hq", "\n---\n".join(p.read_text(encoding="utf-8") for p in sigma), 24))
    sets.append(("sigma-hand", "---\n".join(sigma_sets.HAND), len(sigma_sets.HAND)))
    catalogue = ROOT / "tests" / "data" / "rules" / "okta-customer-detections"
    texts = [p.read_text(encoding="utf-8") for p in sorted(catalogue.glob("*/*.yml"))]
    sets.append(("okta-catalogue", "\n---\n".join(texts), 35))
    sets.append(("seed", (ROOT / "examples" / "rules" / "seed.yml").read_text(encoding="utf-8"), 2))
    filters = [f for f in gen.case_filters(ROOT, rows) if not (f["invert"] or f["since"] or f["until"])]
    # The filters that parse (the case files hold invalid ones too): each
    # must load as a rule.
    valid = suite.oracle(oracle_path, [], filters, ["duckdb"])
    filters = [f for f, v in zip(filters, valid) if "sql" in v]
    for start in range(0, len(filters), PER_SET):
        docs = []
        for i, f in enumerate(filters[start : start + PER_SET]):
            doc = [f"title: case filter {start + i}", f"id: case-{start + i}", f"filter: {yaml_str(f['text'])}"]
            if f["ignore_case"]:
                doc.append("ignore_case: true")
            if f["keywords"]:
                doc.append(f"keywords: {yaml_str(f['keywords'])}")
                keyworded.add(f"case-{start + i}")
            docs.append("\n".join(doc) + "\n")
        sets.append((f"cases-{start // PER_SET}", "---\n".join(docs), len(docs)))
    return sets, keyworded


def oracle(path, rows, sets, engines):
    spec = {
        "rows": rows,
        "rules": [t for _, t, _ in sets],
        "placeholders": sigma_sets.PLACEHOLDERS,
        "dialects": engines,
        "column": "raw",
    }
    out = subprocess.run([path], input=json.dumps(spec), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["results"]


def ids_per_row(engine, db, expr):
    """(row id, the array as a list) for every row, in row order."""
    query = f"SELECT id, {expr} AS ids FROM t ORDER BY id"
    if engine == "duckdb":
        return [(i, ids) for i, ids in db.con.execute(query).fetchall()]
    if engine == "clickhouse":
        return [(i, ids) for i, ids in json.loads(db.s.query(query, "JSONCompact").bytes())["data"]]
    return [(r[0], None if r[1] is None else list(r[1])) for r in db.spark.sql(query).collect()]


def check(engine, rows, feats, sets, results, keyworded):
    db = suite.ENGINES[engine](rows)
    failures, excused, verdicts = [], {}, 0
    for (name, _, count), res in zip(sets, results):
        if "error" in res:
            failures.append(f"{name}: the oracle says {res['error']}")
            continue
        if len(res["ids"]) != count:
            failures.append(f"{name}: {len(res['ids'])} rules loaded, not {count}")
        refused = {rid for rid, _ in res["refused"][engine]}
        expected = sigma_sets.REFUSED.get(name, {}).get(engine, set())
        if refused != expected:
            failures.append(
                f"{engine} {name}: refused {sorted(refused)}, not {sorted(expected)}: {res['refused'][engine]}"
            )
        if name == "sigma-hand":
            for rid in res["ids"]:
                hits = sum(rid in sel for sel in res["selected"])
                if rid not in refused and not 0 < hits < len(rows):
                    failures.append(f"{name}: rule {rid} selects {hits} of {len(rows)} rows")
        got = ids_per_row(engine, db, res["sql"][engine])
        for row_id, ids in got:
            want = set(res["selected"][row_id]) - refused
            have = set(ids or [])
            verdicts += len(res["ids"])
            if ids is None:
                failures.append(f"{engine} {name} row {row_id}: NULL array")
                continue
            if len(have) != len(ids):
                failures.append(f"{engine} {name} row {row_id}: an id twice in {ids}")
            order = [i for i in res["ids"] if i in have]
            if list(ids) != order and have == want:
                failures.append(f"{engine} {name} row {row_id}: ids {ids} not in load order")
            for rule in sorted(want ^ have):
                spec = {"keywords": rule in keyworded}
                reasons = [n for n, applies in suite.EXCEPTIONS[engine].items() if applies(spec, set(feats[row_id]))]
                if reasons:
                    excused[reasons[0]] = excused.get(reasons[0], 0) + 1
                else:
                    side = "missing" if rule in want else "extra"
                    failures.append(f"{engine} {name} row {row_id}: rule {rule} {side}; row {rows[row_id][:200]!r}")
    return verdicts, excused, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--engines", default="duckdb,clickhouse,spark")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--spark-sets", type=int, default=4, help="rule sets Spark checks")
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    started = time.time()
    rows, row_feats = gen.rows(ROOT)
    sample = (ROOT / "examples" / "system-log.ndjson").read_text(encoding="utf-8").splitlines()
    cases = ROOT / "tests" / "sigma" / "cases.jsonl"
    sigma_rows = [json.dumps(json.loads(line)["event"], ensure_ascii=False) for line in cases.read_text(encoding="utf-8").splitlines()]
    extra = sample + sigma_rows + sigma_sets.ROWS
    rows = rows + extra
    feats = [sorted(x) for x in row_feats] + [sorted(gen.features(r)) for r in extra]
    sets, keyworded = rule_sets(args.oracle, rows)
    results = oracle(args.oracle, rows, sets, engines)
    print(f"rule sets: {len(sets)} ({sum(len(r.get('ids', [])) for r in results)} rules), {len(rows)} rows")
    hits = sum(len(s) for r in results for s in r.get("selected", []))
    print(f"oracle: {hits} (row, rule) hits, {time.time() - started:.1f}s")
    def one(engine):
        t = time.time()
        n = args.spark_sets if engine == "spark" else len(sets)
        verdicts, excused, failures = check(engine, rows, feats, sets[:n], results[:n], keyworded)
        ex = ", ".join(f"{k} {v}" for k, v in sorted(excused.items())) or "none"
        lines = [f"{engine}: {n} rule sets, {verdicts} verdicts, {len(failures)} differences, excused: {ex} ({time.time() - t:.1f}s)"]
        lines += [f"  {f}" for f in failures[: args.show]]
        return engine, lines, bool(failures)

    failed = []
    with ThreadPoolExecutor(max_workers=len(engines)) as pool:
        for engine, lines, bad in pool.map(one, engines):
            print("\n".join(lines))
            if bad:
                failed.append(engine)
    print(f"sql rules: {len(engines) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
