"""The differential test against pySigma: each rule's condition tree and
values as pySigma parses them must be the ones oktaql reads.

Usage: python pysigma_tree.py EXPLAIN.jsonl [NAME=VALUE,...]
EXPLAIN is `oktaql rules --explain --format json` over the rules (one JSON
object per rule: its `path`, `id` and `sigma` tree); the placeholders are
given to pySigma as a value-list pipeline, as oktaql was given them. Both
trees are normalised alike (nested `and`/`or` flattened, one-operand
`and`/`or` unwrapped, adjacent texts joined, a number or boolean value
written as its text) and must be equal. Exits 1 on a difference.
"""

import json
import sys

import yaml
from sigma.conditions import (
    ConditionAND,
    ConditionFieldEqualsValueExpression,
    ConditionNOT,
    ConditionOR,
    ConditionValueExpression,
)
from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
from sigma.processing.transformations import ValueListPlaceholderTransformation
from sigma.rule import SigmaRule
from sigma.types import (
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaExpansion,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaString,
    SpecialChars,
)


def value(v):
    if isinstance(v, SigmaExpansion):
        return {"or_values": [value(x) for x in v.values]}
    if isinstance(v, SigmaString):
        parts = []
        for p in v.s:
            if p == SpecialChars.WILDCARD_MULTI:
                parts.append({"wildcard": "*"})
            elif p == SpecialChars.WILDCARD_SINGLE:
                parts.append({"wildcard": "?"})
            elif isinstance(p, str):
                parts.append(p)
            else:
                parts.append({"placeholder": str(p)})
        return {"string": parts, "cased": isinstance(v, SigmaCasedString)}
    if isinstance(v, SigmaBool):
        return {"string": ["true" if v.boolean else "false"], "cased": False}
    if isinstance(v, SigmaCompareExpression):
        op = {"LT": "lt", "LTE": "lte", "GT": "gt", "GTE": "gte"}[v.op.name]
        return {"compare": op, "number": str(v.number.number)}
    if isinstance(v, SigmaNumber):
        return {"string": [str(v.number)], "cased": False}
    if isinstance(v, SigmaNull):
        return {"null": True}
    if isinstance(v, SigmaRegularExpression):
        names = {f.name for f in v.flags}
        flags = "".join(c for c, n in (("i", "IGNORECASE"), ("m", "MULTILINE"), ("s", "DOTALL")) if n in names)
        return {"re": str(v.regexp), "flags": flags}
    if isinstance(v, SigmaCIDRExpression):
        return {"cidr": v.cidr}
    if isinstance(v, SigmaExists):
        return {"exists": v.exists}
    raise TypeError(f"a value pySigma gave that this script does not know: {v!r}")


def tree(c):
    if isinstance(c, ConditionAND):
        return {"and": [tree(a) for a in c.args]}
    if isinstance(c, ConditionOR):
        return {"or": [tree(a) for a in c.args]}
    if isinstance(c, ConditionNOT):
        return {"not": tree(c.args[0])}
    if isinstance(c, ConditionFieldEqualsValueExpression):
        return item(c.field, value(c.value))
    if isinstance(c, ConditionValueExpression):
        return item(None, value(c.value))
    raise TypeError(f"a condition pySigma gave that this script does not know: {c!r}")


def item(field, v):
    if "or_values" in v:
        return {"or": [{"field": field, "value": x} for x in v["or_values"]]}
    return {"field": field, "value": v}


def normalise(t):
    for op in ("and", "or"):
        if op in t:
            out = []
            for a in (normalise(x) for x in t[op]):
                out.extend(a[op] if op in a else [a])
            return out[0] if len(out) == 1 else {op: out}
    if "not" in t:
        return {"not": normalise(t["not"])}
    v = dict(t["value"])
    if "string" in v:
        parts = []
        for p in v["string"]:
            if isinstance(p, str) and parts and isinstance(parts[-1], str):
                parts[-1] += p
            elif p != "":
                parts.append(p)
        v["string"] = parts
    return {"field": t["field"], "value": v}


def main():
    placeholders = {}
    for arg in sys.argv[2:]:
        name, values = arg.split("=", 1)
        placeholders[name] = values.split(",")
    pipeline = ProcessingPipeline(
        items=[ProcessingItem(ValueListPlaceholderTransformation())], vars=placeholders
    )
    wrong = 0
    n = 0
    for line in open(sys.argv[1], encoding="utf-8"):
        mine = json.loads(line)
        if mine["format"] != "sigma":
            continue
        n += 1
        docs = [d for d in yaml.safe_load_all(open(mine["path"], encoding="utf-8")) if d]
        doc = next(d for d in docs if d.get("id") == mine["id"])
        rule = SigmaRule.from_dict(doc)
        pipeline.apply(rule)
        conds = [tree(c.parsed) for c in rule.detection.parsed_condition]
        theirs = normalise(conds[0] if len(conds) == 1 else {"or": conds})
        ours = normalise(mine["sigma"])
        if theirs != ours:
            wrong += 1
            print(f"DIFFERENT {mine['path']} {mine['id']}:\n  pySigma: {json.dumps(theirs)}\n  oktaql:  {json.dumps(ours)}")
        else:
            print(f"same {mine['path']} {mine['id']}")
    print(f"{n - wrong} passed, {wrong} failed")
    sys.exit(1 if wrong or n == 0 else 0)


if __name__ == "__main__":
    main()
