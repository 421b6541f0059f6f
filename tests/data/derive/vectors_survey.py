"""Survey of the peer vectors under OUR rules (oktaql_ref.py): for every parse/eval record, does our
grammar/semantics agree with the peer's expectation? Prints one line per record:

    file:line kind AGREE|DIFFER mode ours=... peer=... filter

mode is the string mode the record would be run in (cs = default case-sensitive, ci = ignore_case).
Used once, by hand, to build the tables in tests/vectors.rs and SKIPPED.md; not run by cargo test.
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from oktaql_ref import Bad, accepts, matches, parse, parse_sx, to_sx  # noqa: E402

HERE = os.path.join(os.path.dirname(__file__), "..", "vectors")


def load(path):
    recs = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        recs.append((n, json.loads(line)))
    return recs


def mode_of(stem, r):
    """ci (run with ignore_case(true)) only where the record itself says the comparison is
    case-insensitive: tag ci-value, a schema attribute with caseExact=false, or the per-attribute
    caseExact option excluding the attribute filtered on. Everything else runs case-sensitively."""
    tags = r.get("tags") or []
    opts = r.get("options") or {}
    if "ci-value" in tags:
        return "ci"
    if opts.get("caseExact") == "only externalId":
        return "cs" if "externalId" in r["filter"] else "ci"
    if "schema-caseExact" in tags:
        return "ci" if r["filter"].startswith("insensitive") else "cs"
    return "cs"


def limit_filter(r):
    """scim_v2's `limit` generators are python expressions over params (data, not code from the peer)."""
    return eval(r["generator"], {}, dict(r["params"]))  # noqa: S307 - trusted local test data


def main():
    for path in sorted(glob.glob(os.path.join(HERE, "*.jsonl"))):
        stem = os.path.basename(path)[:-6]
        recs = load(path)
        resources = {r["id"]: r["json"] for _, r in recs if r["kind"] in ("resource", "resource_set")}
        for n, r in recs:
            k = r["kind"]
            f = r.get("filter")
            tags = ",".join(r.get("tags") or [])
            where = "%s:%d" % (stem, n)
            if k in ("parse_valid", "parse_valid_extension", "parse_invalid", "validate_invalid"):
                ok = accepts(f)
                want = k in ("parse_valid", "parse_valid_extension")
                extra = ""
                if ok and r.get("expected_ast"):
                    short = stem.startswith("thomaspoignant")
                    same = to_sx(parse(f)) == parse_sx(r["expected_ast"], short)
                    extra = " ast=" + ("same" if same else "DIFF")
                if ok and r.get("roundtrip_string"):
                    rt = r["roundtrip_string"]
                    same = accepts(rt) and to_sx(parse(rt)) == to_sx(parse(f))
                    extra += " roundtrip=" + ("same" if same else "DIFF")
                print("%s %s %s ours=%s peer=%s%s [%s] %r" % (
                    where, k, "AGREE" if ok == want else "DIFFER", ok, want, extra, tags, f))
            elif k in ("eval", "eval_ids", "eval_count", "eval_error"):
                if f is None:
                    print("%s %s NOFILTER [%s]" % (where, k, tags))
                    continue
                if not accepts(f):
                    want = k == "eval_error"
                    print("%s %s %s ours=reject [%s] %r" % (where, k, "AGREE" if want else "DIFFER", tags, f))
                    continue
                if k == "eval_error":
                    print("%s %s DIFFER ours=parses [%s] %r" % (where, k, tags, f))
                    continue
                tree = parse(f)
                m = mode_of(stem, r)
                ic = m == "ci"
                if k == "eval":
                    res = r["resource"]
                    res = resources[res] if isinstance(res, str) else res
                    ours = matches(tree, res, ic)
                    other = matches(tree, res, not ic)
                    peer = r["expected"]
                else:
                    items = resources[r["resource_set"]]
                    if k == "eval_ids":
                        ids = lambda ic_: [  # noqa: E731
                            (it.get("id") if "id" in it else i + 1)
                            for i, it in enumerate(items) if matches(tree, it, ic_)]
                        ours, other, peer = ids(ic), ids(not ic), r["expected_ids"]
                    else:
                        cnt = lambda ic_: sum(1 for it in items if matches(tree, it, ic_))  # noqa: E731
                        ours, other, peer = cnt(ic), cnt(not ic), r["expected_count"]
                print("%s %s %s %s ours=%s peer=%s other_mode=%s [%s] %r" % (
                    where, k, "AGREE" if ours == peer else "DIFFER", m, ours, peer, other, tags, f))
            elif k in ("attrname_valid", "attrname_invalid", "number_valid", "literal_valid", "string_valid",
                       "limit"):
                if k == "limit":
                    text = limit_filter(r)
                    want = r["expected"] == "ok"
                elif k.startswith("attrname"):
                    text = r["attrname"] + " pr"
                    want = k == "attrname_valid"
                else:
                    text = "x eq " + r["literal"]
                    want = True
                ok = accepts(text)
                print("%s %s %s ours=%s peer=%s [%s] %r" % (
                    where, k, "AGREE" if ok == want else "DIFFER", ok, want, tags, text[:80]))
            else:
                print("%s %s (kind not evaluated here) [%s]" % (where, k, tags))


if __name__ == "__main__":
    main()
