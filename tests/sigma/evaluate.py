"""An evaluator of Sigma rules over JSON events, written from the Sigma
specification (rules 2.1, the modifiers appendix) and the choices of
oktaql's README, independently of oktaql's Rust code: it is what
`tests/sigma.rs` checks oktaql's answers against.

Usage: python evaluate.py CASES.jsonl [NAME=VALUE,...]
Each line of CASES is {"rule": PATH, "id": ID (for a file of several
rules), "expect": BOOL, "event": {...}}; the placeholders are given as
arguments. Prints one line per case, `ok` or `WRONG`, and exits 1 when this
evaluator disagrees with an expectation.
"""

import ipaddress
import json
import re
import sys

import yaml


def text_of(v):
    """The text a JSON value is matched by (strings, numbers, booleans)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    if isinstance(v, str):
        return v
    return None


def values_at(event, path):
    """Every value at a dotted path, arrays standing for their elements."""
    out = []

    def walk(v, names):
        if isinstance(v, list):
            for x in v:
                walk(x, names)
        elif not names:
            out.append(v)
        elif isinstance(v, dict) and names[0] in v:
            walk(v[names[0]], names[1:])

    walk(event, path.split("."))
    return out


def all_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from all_strings(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from all_strings(x)


def parse_string(s):
    """A Sigma string as a list of parts: text, '*' and '?' markers (as
    ('W', c)); backslash escapes *, ? and itself."""
    parts, acc, i = [], "", 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "*?\\":
            acc += s[i + 1]
            i += 2
            continue
        if c in "*?":
            if acc:
                parts.append(acc)
                acc = ""
            parts.append(("W", c))
        else:
            acc += c
        i += 1
    if acc:
        parts.append(acc)
    return parts


def to_regex(parts, ignore_case):
    rx = ""
    for p in parts:
        if isinstance(p, tuple):
            rx += ".*" if p[1] == "*" else "."
        else:
            rx += re.escape(p)
    return re.compile(rx, re.S | (re.I if ignore_case else 0))


def string_matcher(parts, cased):
    rx = to_regex(parts, not cased)
    exact_number = None
    if len(parts) == 1 and not isinstance(parts[0], tuple):
        try:
            exact_number = float(parts[0]) if re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?", parts[0]) else None
        except ValueError:
            pass

    def m(v):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and exact_number is not None:
            if float(v) == exact_number:
                return True
        t = text_of(v)
        return t is not None and rx.fullmatch(t) is not None

    return m


def expand(parts, placeholders):
    """Fill %name% placeholders (in text parts) with each of their values."""
    results = [[]]
    for p in parts:
        if isinstance(p, tuple):
            results = [r + [p] for r in results]
            continue
        pieces = re.split(r"(?<!\\)%([^%\\]+)%", p)
        for k, piece in enumerate(pieces):
            if k % 2 == 0:
                piece = piece.replace("\\%", "%")
                if piece:
                    results = [r + [piece] for r in results]
            else:
                if piece not in placeholders:
                    raise KeyError(piece)
                results = [r + parse_string(v) for r in results for v in placeholders[piece]]
    return results


def item_test(field, mods, raw, placeholders):
    """A predicate over the event for one `field|mods: value`."""
    values = raw if isinstance(raw, list) else [raw]
    if values == []:
        values = [None]
    linking = all if "all" in mods else any
    negate = "neq" in mods
    preds = []
    for v in values:
        if "exists" in mods:
            want = v

            def p(ev, want=want):
                return (len(values_at(ev, field)) > 0) == want

        elif "re" in mods:
            flags = 0
            if "i" in mods:
                flags |= re.I
            if "m" in mods:
                flags |= re.M
            if "s" in mods:
                flags |= re.S
            rx = re.compile(str(v), flags)

            def p(ev, rx=rx):
                return any(text_of(x) is not None and rx.search(text_of(x)) for x in candidates(ev))

        elif "cidr" in mods:
            net = ipaddress.ip_network(v)

            def p(ev, net=net):
                for x in candidates(ev):
                    if isinstance(x, str):
                        try:
                            a = ipaddress.ip_address(x)
                        except ValueError:
                            continue
                        if a.version == net.version and a in net:
                            return True
                return False

        elif any(m in mods for m in ("gt", "gte", "lt", "lte")):
            op = next(m for m in ("gt", "gte", "lt", "lte") if m in mods)
            cmp = {
                "gt": lambda a, b: a > b,
                "gte": lambda a, b: a >= b,
                "lt": lambda a, b: a < b,
                "lte": lambda a, b: a <= b,
            }[op]

            def p(ev, v=v, cmp=cmp):
                return any(
                    isinstance(x, (int, float)) and not isinstance(x, bool) and cmp(x, v)
                    for x in candidates(ev)
                )

        elif v is None:

            def p(ev):
                xs = values_at(ev, field)
                return not xs or any(x is None for x in xs)

        else:
            s = v if isinstance(v, str) else text_of(v)
            parts = parse_string(s)
            alternatives = expand(parts, placeholders) if "expand" in mods else [parts]
            ms = []
            for parts in alternatives:
                if "contains" in mods or field is None:
                    if not parts or parts[0] != ("W", "*"):
                        parts = [("W", "*")] + parts
                    if parts[-1] != ("W", "*"):
                        parts = parts + [("W", "*")]
                if "startswith" in mods and (not parts or parts[-1] != ("W", "*")):
                    parts = parts + [("W", "*")]
                if "endswith" in mods and (not parts or parts[0] != ("W", "*")):
                    parts = [("W", "*")] + parts
                ms.append(string_matcher(parts, "cased" in mods))

            if field is None:

                def p(ev, ms=ms):
                    return any(m(s) for s in all_strings(ev) for m in ms)

            else:

                def p(ev, ms=ms):
                    return any(m(x) for x in candidates(ev) for m in ms)

        preds.append(p)

    def candidates(ev):
        return values_at(ev, field)

    def test(ev):
        r = linking(p(ev) for p in preds)
        return not r if negate else r

    return test


def search_test(definition, placeholders):
    if isinstance(definition, dict):
        tests = []
        for key, raw in definition.items():
            field, *mods = key.split("|")
            tests.append(item_test(field or None, mods, raw, placeholders))
        return lambda ev: all(t(ev) for t in tests)
    if isinstance(definition, list) and all(not isinstance(x, (dict, list)) for x in definition):
        return item_test(None, [], definition, placeholders)
    if isinstance(definition, list):
        tests = [search_test(x, placeholders) for x in definition]
        return lambda ev: any(t(ev) for t in tests)
    return item_test(None, [], definition, placeholders)


def condition_test(text, searches):
    """`or` < `and` < `not` < `x of` < parentheses."""
    toks = re.findall(r"\(|\)|[A-Za-z0-9_*\-]+", text)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def p_or():
        ts = [p_and()]
        while peek() == "or":
            take()
            ts.append(p_and())
        return lambda ev: any(t(ev) for t in ts)

    def p_and():
        ts = [p_not()]
        while peek() == "and":
            take()
            ts.append(p_not())
        return lambda ev: all(t(ev) for t in ts)

    def p_not():
        if peek() == "not":
            take()
            t = p_not()
            return lambda ev: not t(ev)
        return atom()

    def atom():
        t = take()
        if t == "(":
            r = p_or()
            assert take() == ")"
            return r
        if t in ("1", "any", "all") and peek() == "of":
            take()
            pat = take()
            rx = re.compile((".*" if pat == "them" else pat.replace("*", ".*")) + r"\Z")
            names = [n for n in searches if rx.match(n) and not n.startswith("_")]
            assert names, pat
            ts = [searches[n] for n in names]
            if t == "all":
                return lambda ev: all(x(ev) for x in ts)
            return lambda ev: any(x(ev) for x in ts)
        return searches[t]

    r = p_or()
    assert pos[0] == len(toks), text
    return r


def rule_test(rule, placeholders):
    det = rule["detection"]
    searches = {
        k: search_test(v, placeholders) for k, v in det.items() if k not in ("condition",)
    }
    conds = det["condition"]
    conds = conds if isinstance(conds, list) else [conds]
    ts = [condition_test(c, searches) for c in conds]
    return lambda ev: any(t(ev) for t in ts)


def main():
    cases = sys.argv[1]
    placeholders = {}
    for arg in sys.argv[2:]:
        name, values = arg.split("=", 1)
        placeholders[name] = values.split(",")
    rules = {}
    wrong = 0
    n = 0
    for line in open(cases, encoding="utf-8"):
        case = json.loads(line)
        key = (case["rule"], case.get("id"))
        if key not in rules:
            docs = [d for d in yaml.safe_load_all(open(case["rule"], encoding="utf-8")) if d]
            doc = next(d for d in docs if case.get("id") in (None, d.get("id")))
            rules[key] = rule_test(doc, placeholders)
        got = bool(rules[key](case["event"]))
        n += 1
        if got != case["expect"]:
            wrong += 1
            print(f"WRONG {case['rule']} {case.get('id', '')}: {case['why']}: got {got}")
        else:
            print(f"ok {case['rule']} {case.get('id', '')}: {case['why']}")
    print(f"{n - wrong} passed, {wrong} failed")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
