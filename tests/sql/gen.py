"""Rows and filters for the SQL suite (run.py): the repository's cases and
corpus, generated tricky events and malformed rows, random filters. Seeded:
the same arguments give the same rows and filters."""

import json
import random
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

# src/sql/mod.rs: ARRAY_DEPTH, KEYWORD_DEPTH.
ARRAY_DEPTH = 5
KEYWORD_DEPTH = 8

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class Num(str):
    """A JSON number, kept as written."""


def loads(text):
    """The row as Python values (numbers kept as Num text, objects as lists
    of pairs), or None when it is not JSON as oktaql reads it."""

    def bad_constant(_):
        raise ValueError("not JSON")

    try:
        v = json.loads(
            text,
            parse_int=Num,
            parse_float=Num,
            parse_constant=bad_constant,
            object_pairs_hook=lambda pairs: ("obj", pairs),
        )
    except (ValueError, RecursionError):
        return None
    return v


def features(text):
    """The names of what the row holds that some engine documents as an
    exception (run.py's EXCEPTIONS)."""
    v = loads(text)
    out = set()
    if v is None:
        return out

    def walk(x, containers, array_run):
        if isinstance(x, tuple):
            keys = [k for k, _ in x[1]]
            if len(keys) != len(set(keys)):
                out.add("duplicate-keys")
            for _, y in x[1]:
                walk(y, containers + 1, 0)
        elif isinstance(x, list):
            if array_run + 1 > ARRAY_DEPTH:
                out.add("deep-arrays")
            for y in x:
                walk(y, containers + 1, array_run + 1)
        elif isinstance(x, Num):
            if re.fullmatch(r"-?[0-9]+", x):
                if not -(2**63) <= int(x) <= 2**64 - 1:
                    out.add("big-integers")
            else:
                f = float(x)
                if f == f and abs(f) != float("inf") and f == int(f) and abs(f) >= 2**53:
                    out.add("big-whole-floats")
                try:
                    d = Decimal(x)
                except InvalidOperation:
                    d = None
                if d is not None and d.is_finite() and d == d.to_integral_value() and 2**63 <= d <= 2**64 - 1:
                    out.add("u64-whole-floats")
        elif isinstance(x, str):
            if containers > KEYWORD_DEPTH:
                out.add("deep-strings")

    walk(v, 0, 0)
    return out


# ---------------------------------------------------------------------- rows

TRICKY_STRINGS = [
    "",
    " ",
    "plain",
    'Say "hi"\\now',
    "a\tb",
    "line\nbreak",
    "nul\u0000inside",
    "100%_off $5",
    "50%",
    "a_b",
    "Équipe Ventes",
    "équipe ventes",
    "ÉTÉ",
    "Zürich",
    "😀",
    "\uff61",
    "İstanbul",
    "i\u0307stanbul",
    "ISTANBUL",
    "ΔΗΜΟΣΘΕΝΗΣ",
    "ΟΔΟΣ",
    "οδος",
    "οδοσ",
    "Σ",
    "straße",
    "STRASSE",
    "ẞ",
    "\u212aelvin",
    "KELVIN",
    "\u2126",
    "ǅ",
    "true",
    "false",
    "TRUE",
    "null",
    "7018",
    "7018.0",
    "7.018e3",
    " 7018",
    "07018",
    "+7018",
    "-0",
    "1e400",
    "9007199254740993",
    "18446744073709551616",
    "2024-05-01T10:00:00Z",
    "2024-05-01T12:00:00+02:00",
    "2024-05-01t10:00:00.000000001z",
    "2024-05-01T10:00:00.123456789-00:30",
    "2024-05-01",
    "2024-02-29",
    "2023-02-29",
    "2024-05-01T23:59:60Z",
    "2024-05-01 10:00:00Z",
    "2024-05-01T10:00:00",
    "2024-05-01T10:00:00.1234567890Z",
    "2024-05-01T10:00:00+24:00",
    "2024-05-01T10:00:00+05:60",
    "0000-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59.999999999-23:59",
    "1969-12-31T23:59:59.5Z",
    "２０２４-05-01",
    "2024-05-01\n",
    "redacted",
    "john.doe@example.com",
    "trsOEr_0JTLR-yPR5cyOPY-Zg",
    "Manual action",
    "«guill» a…b",
    "left\u00a0right",
    "left\u200bright",
    "x a-b",
    "a-b",
]

TRICKY_NUMBERS = [
    "0", "-0", "-0.0", "0.0", "7018", "7018.0", "7.018e3", "70.18E2", "1E+2", "1e2",
    "9007199254740993", "9007199254740992", "9007199254740992.0", "9.007199254740993e15",
    "18446744073709551615", "18446744073709551614", "18446744073709551616",
    "-9223372036854775808", "-9223372036854775809", "9223372036854775807",
    "123456789012345678901234567890", "1e308", "-1e308", "1.7976931348623157e308",
    "5e-324", "1e-7", "0.0000001", "0.1", "0.30000000000000004", "-74.01", "40.3157",
    "394089", "10013", "2", "3", "-1",
    "9007199254740993.0", "9223372036854775807.0", "9223372036854775808.0", "18446744073709551615.0",
]


def js(s, ascii_only=False):
    return json.dumps(s, ensure_ascii=ascii_only)


def tricky_rows(rng):
    """Events built to break a translation: every tricky string and number
    at several spots, spelled with and without escapes; nested arrays;
    objects where arrays are expected; value-path targets; duplicate keys."""
    rows = []
    for i, s in enumerate(TRICKY_STRINGS):
        for ascii_only in (False, True):
            rows.append(
                "{"
                + f'"s": {js(s, ascii_only)}, "i": {i}, "arr": [{js(s, ascii_only)}, "other"], '
                + f'"o": {{"s": {js(s, ascii_only)}}}, "target": [{{"type": "User", "id": {js(s, ascii_only)}}}]'
                + "}"
            )
    # \u spellings of plain text, \/ and escaped quotes.
    rows += [
        r'{"s": "\u0041\u0062c", "path": "\/api\/v1\/users", "q": "\"quoted\""}',
        r'{"s": "\ud83d\ude00", "t": "\uD83D\uDE00 smile", "e": "\u00e9t\u00e9"}',
        r'{"\u0073": "key spelled with an escape", "n\u0061me": "x"}',
        r'{"s": "a\u0000b", "c": "\u001f\b\f\n\r\t"}',
    ]
    for n in TRICKY_NUMBERS:
        rows.append(f'{{"n": {n}, "arr": [{n}, 1], "s": {js(n)}, "o": {{"n": {n}}}}}')
    # Nested arrays, up to seven levels; objects where arrays are expected.
    rows += [
        '{"a": [[1, 2], [3, [4, {"b": "deep"}]]], "o": {"k": [{"v": 1}, {"v": [2, 3]}]}}',
        '{"a": [[[[["five"]]]]], "b": [[[[[{"c": 5}]]]]]}',
        '{"a": [[[[[["six"]]]]]], "b": [[[[[[{"c": 6}]]]]]]}',
        '{"a": [[[[[[["seven"]]]]]]]}',
        '{"a": [], "b": [[], [[]]], "c": [null, ""], "d": [{}], "e": {}, "f": ""}',
        '{"target": {"type": "User", "id": "single-object"}, "a": {"b": [{"c": 1}, {"c": [2, {"d": 3}]}]}}',
        '{"target": [{"type": "User", "id": "u1", "detailEntry": null}, {"type": "AppInstance", "id": "app", "alternateId": "unknown"}]}',
        '{"target": [{"type": "User", "alternateId": "a@example.com"}, {"type": "Group", "alternateId": "b@example.com"}]}',
        '{"target": [[{"type": "User", "id": "nested"}], [[{"type": "App", "id": "deeper"}]]]}',
        '{"target": ["scalar", null, 3, {"type": "User"}]}',
        '{"x": {"y": {"z": {"w": {"v": {"u": {"t": {"s": {"r": "deep"}}}}}}}}, "k": [[[[[[[["deepword"]]]]]]]]}',
        '{"published": "2024-05-01T10:00:00.5+02:00", "eventType": "user.session.start"}',
        '{"published": "2024-05-01", "eventType": "user.session.end"}',
        '{"published": "not a date", "eventType": "user.session.start"}',
        '{"published": ["2024-05-01T00:00:00Z", "2030-01-01T00:00:00Z"]}',
        '{"published": 1714557600}',
    ]
    # Duplicate keys: the last counts in oktaql.
    rows += [
        '{"eventType": "user.session.start", "outcome": {"result": "FAILURE"}, "outcome": {"result": "SUCCESS"}, "eventType": "user.session.end"}',
        '{"a": 1, "a": 2, "s": "keep", "s": "gone"}',
        '{"o": {"k": "first", "k": "second"}}',
    ]
    # Whitespace around and inside the row.
    rows += [
        '  {"s": "padded"}  ',
        '{\n  "s": "multi\\nline",\n  "n": 1\n}',
        '\t{"s":"tab"}\r\n',
    ]
    rng.shuffle(rows)
    return rows


MALFORMED = [
    "",
    "   ",
    "{bad",
    "[1, 2]",
    '[{"s": "in an array"}]',
    '"str"',
    "42",
    "null",
    "true",
    '{"a": NaN}',
    '{"a": Infinity}',
    '{"a": -Infinity}',
    '{"a": 1,}',
    '{"a": [1,]}',
    '{"a": 1e400}',
    '{"a": -1e400}',
    '{"a": 1' + "0" * 400 + "}",
    '{"a": "\\ud800"}',
    '{"a": "\\udc00x"}',
    '{"a": 01}',
    '{"a": .5}',
    '{"a": +1}',
    '{"a": "x\ty"}',
    '{"a": "\\x"}',
    "{'a': 1}",
    '{"a": 1} {"b": 2}',
    '{"a": 1} x',
    '\ufeff{"a": 1}',
    '{"a": 1 /* c */}',
    '{"a": tru}',
    '{"s": "plain"',
    '{"s": "plain", "a": 1}}',
]


def range_rows():
    """Numbers around the edges of f64's range (issue 19): mantissas of 1 to
    400 digits, with leading and trailing zeros, and exponents of every
    length around the limit, so that the SQL's range check must be exact:
    oktaql rejects a row holding a number beyond f64's range (its value,
    whatever its spelling) and accepts one that underflows."""
    nums = []
    for k in (1, 17, 100, 209, 210, 211, 308, 309, 400):
        for digits in ("1" + "0" * (k - 1), "9" * k):
            # The value is digits * 10^e: around 1e308 (overflow) and 1e-324 (underflow).
            for e in sorted({308 - k, 309 - k, -325 - k}):
                if abs(e) <= 400:
                    nums.append(f"{digits}e{e}")
            nums.append(digits)
        # The same digits after a point, leading zeros first.
        frac = "0." + "0" * (k - 1) + "1"
        nums += [f"{frac}e{308 + k}", f"{frac}e{309 + k}"]
    # Exponents of every length, with signs and leading zeros.
    for width in (3, 4, 7):
        for e in (308, 309):
            spelled = str(e).rjust(width, "0")
            if len(spelled) == width:
                nums += [f"1e{spelled}", f"1E+{spelled}", f"1e-{spelled}", f"-9.99e{spelled}"]
    # The largest double, the halfway point to the next power, and past it.
    nums += [
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "-1.7976931348623158e+308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1" + "0" * 210 + "e99",
        "1" + "0" * 210 + ".5e98",
    ]
    return [f'{{"a": {n}, "s": "{n[:40]}"}}' for n in dict.fromkeys(nums)]


def rows(root):
    """All rows and, per row, its features."""
    rng = random.Random(7)
    out = []
    seen = set()

    def add(r):
        if r not in seen:
            seen.add(r)
            out.append(r)

    for f in sorted((root / "tests" / "cases").glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.startswith("event "):
                add(line[len("event ") :])
    for f in sorted((root / "tests" / "data" / "corpus").glob("*.ndjson")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                add(line)
    for line in (root / "examples" / "system-log.ndjson").read_text().splitlines()[:40]:
        add(line)
    for r in tricky_rows(rng):
        add(r)
    for r in MALFORMED:
        add(r)
    for r in range_rows():
        add(r)
    return out, [features(r) for r in out]


# ------------------------------------------------------------------ filters


def spec(text, ignore_case=False, invert=False, since=None, until=None, keywords=None):
    return {
        "text": text,
        "ignore_case": ignore_case,
        "invert": invert,
        "since": since,
        "until": until,
        "keywords": keywords,
    }


def case_filters(root, rows_):
    """Every filter line of the case files; `own` is the row of the event
    the case file asks it about (None for a filter without one)."""
    index = {r: i for i, r in enumerate(rows_)}
    out = []
    for f in sorted((root / "tests" / "cases").glob("*.txt")):
        own = None
        for line in f.read_text(encoding="utf-8").splitlines():
            directive, _, rest = line.partition(" ")
            if directive == "event":
                own = index.get(rest)
            elif directive in ("match", "nomatch"):
                out.append(dict(spec(rest), own=own))
            elif directive in ("match-i", "nomatch-i"):
                out.append(dict(spec(rest, ignore_case=True), own=own))
            elif directive == "print":
                out.append(dict(spec(rest.split(" => ")[0]), own=own))
            elif directive == "ok-limit":
                out.append(dict(spec(rest.partition(" ")[2]), own=own))
    return out


def corpus_filters(root):
    out = []
    tsv = root / "tests" / "data" / "corpus" / "filters-public.tsv"
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text = line.split("\t")[0]
        out.append(spec(text))
        out.append(spec(text, ignore_case=True))
    return out


def collect(rows_):
    """Paths seen in the rows: path -> values (leaves and objects), and the
    sub-paths under each path that holds objects (for value paths)."""
    values = {}
    subpaths = {}

    def walk(x, path, holders):
        if isinstance(x, list):
            for y in x:
                walk(y, path, holders)
            return
        if path:
            values.setdefault(path, []).append(x)
            for h in holders:
                subpaths.setdefault(h, set()).add(path[len(h) :])
        if isinstance(x, tuple):
            for k, y in x[1]:
                if NAME.match(k):
                    walk(y, path + (k,), holders + ([path] if path else []))

    for r in rows_:
        v = loads(r)
        if isinstance(v, tuple):
            walk(v, (), [])
    return values, {k: sorted(v) for k, v in subpaths.items()}


def lit(v, rng):
    """A filter literal for a Python value (strings re-escaped at random)."""
    if isinstance(v, Num):
        return str(v)
    if v is None:
        return "null"
    if v is True:
        return rng.choice(["true", "TRUE", "True"])
    if v is False:
        return rng.choice(["false", "FALSE"])
    return js(v, ascii_only=rng.random() < 0.3)


def has_lone_surrogate(s):
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def random_filters(seed, n, rows_):
    rng = random.Random(seed)
    values, subpaths = collect(rows_)
    paths = sorted(values)
    object_paths = sorted(p for p in subpaths if any(isinstance(v, tuple) for v in values.get(p, [])))
    strings = sorted(
        {v for vs in values.values() for v in vs if isinstance(v, str) and not isinstance(v, Num) and not has_lone_surrogate(v)}
    )
    dates = [s for s in strings if re.match(r"\d{4}-\d\d-\d\d", s)] + [
        "2024-05-01T10:00:00Z", "2024-05-01", "2025-03-03T08:02:00+01:00", "2019-01-01T00:00:00.000000001Z",
    ]
    tricky_lits = (
        [js(s) for s in TRICKY_STRINGS] + list(TRICKY_NUMBERS) + ["true", "false", "null", '"x"', '"SUCCESS"']
    )
    absent = [("missing",), ("a", "b", "c"), ("eventType", "length"), ("s", "x")]

    def pick_path(scope_paths):
        if scope_paths and rng.random() < 0.9:
            return rng.choice(scope_paths)
        return rng.choice(absent)

    def mutate_str(s, op):
        r = rng.random()
        if op in ("co", "sw", "ew") and s:
            a = rng.randrange(len(s) + 1)
            b = rng.randrange(a, len(s) + 1)
            s = {"co": s[a:b], "sw": s[:b], "ew": s[a:]}[op]
        if r < 0.2:
            s = s.upper()
        elif r < 0.3:
            s = s.lower()
        return s

    def literal(path, op, vals):
        seen = [v for v in vals if not isinstance(v, (tuple, list))]
        if op in ("co", "sw", "ew"):
            ss = [v for v in seen if isinstance(v, str) and not isinstance(v, Num) and not has_lone_surrogate(v)]
            s = rng.choice(ss) if ss and rng.random() < 0.8 else rng.choice(TRICKY_STRINGS)
            return js(mutate_str(s, op), ascii_only=rng.random() < 0.3)
        if op in ("gt", "ge", "lt", "le"):
            pool = [v for v in seen if isinstance(v, str) and not has_lone_surrogate(v)]
            if pool and rng.random() < 0.7:
                v = rng.choice(pool)
                return str(v) if isinstance(v, Num) else js(mutate_str(v, op))
            if rng.random() < 0.3:
                return js(rng.choice(dates))
            return rng.choice([js(s) for s in TRICKY_STRINGS] + TRICKY_NUMBERS)
        pool = [v for v in seen if not (isinstance(v, str) and has_lone_surrogate(v))]
        if pool and rng.random() < 0.7:
            v = rng.choice(pool)
            if isinstance(v, str) and not isinstance(v, Num) and rng.random() < 0.2:
                v = mutate_str(v, op)
            return lit(v, rng)
        return rng.choice(tricky_lits)

    def comparison(scope_paths, scope_values):
        path = pick_path(scope_paths)
        vals = scope_values.get(path, [])
        op = rng.choices(
            ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"],
            [30, 10, 8, 6, 6, 6, 4, 6, 4, 8],
        )[0]
        p = ".".join(path)
        if op == "pr":
            return f"{p} pr"
        return f"{p} {op} {literal(path, op, vals)}"

    def in_list(scope_paths, scope_values):
        path = pick_path(scope_paths)
        vals = scope_values.get(path, [])
        k = rng.randrange(2, 14)
        op = "ne" if rng.random() < 0.25 else "eq"
        items = [f"{'.'.join(path)} {op} {literal(path, 'eq', vals)}" for _ in range(k)]
        return (" and " if op == "ne" else " or ").join(items)

    def expr(depth, scope_paths, scope_values):
        r = rng.random()
        if depth < 3 and r < 0.22:
            k = rng.randrange(2, 4)
            op = rng.choice([" and ", " or "])
            return "(" + op.join(expr(depth + 1, scope_paths, scope_values) for _ in range(k)) + ")"
        if depth < 3 and r < 0.30:
            return f"not ({expr(depth + 1, scope_paths, scope_values)})"
        if depth < 3 and r < 0.40 and scope_paths is paths and object_paths:
            vp = rng.choice(object_paths)
            rel = subpaths.get(vp, [])
            rel_values = {}
            for sp in rel:
                rel_values[sp] = values.get(vp + sp, [])
            inner = expr(depth + 1, rel, rel_values)
            return f"{'.'.join(vp)}[{inner}]"
        if r < 0.48:
            return "(" + in_list(scope_paths, scope_values) + ")"
        return comparison(scope_paths, scope_values)

    def keyword():
        r = rng.random()
        if r < 0.6 and strings:
            s = rng.choice(strings)
            toks = [t for t in re.split(r"[\s!-\-/:-@\[-^`{-~]+", s) if t]
            if toks and rng.random() < 0.8:
                w = rng.choice(toks)
            else:
                w = s
            w = "".join(w.split())[:40]
            if rng.random() < 0.3:
                w = w.upper()
            return w or "x"
        return rng.choice(["admin", "SUCCESS", "user", "İstanbul", "ΟΔΟΣ", "a-b", "deepword", "example.com", "nomatch"])

    out = []
    for _ in range(n):
        text = expr(0, paths, values)
        if text.startswith("(") and text.endswith(")") and rng.random() < 0.5:
            text = text[1:-1]
        f = spec(text)
        f["ignore_case"] = rng.random() < 0.3
        f["invert"] = rng.random() < 0.15
        if rng.random() < 0.1:
            f["since"] = rng.choice(dates)
        if rng.random() < 0.1:
            f["until"] = rng.choice(dates)
        if rng.random() < 0.12:
            f["keywords"] = " ".join(keyword() for _ in range(rng.randrange(1, 4)))
        if rng.random() < 0.02:
            f["text"] = ""
        out.append(f)
    return out
