"""An independent reference of the oktaql filter language (issue 2), in plain python3.

Written from the text of issue 2 and the error conventions only (not from the Rust code). It is used
to classify the peer vectors (vectors_oracle.py) and to cross-check the corpus facts
(corpus_facts.py). It answers two questions: does a filter parse under our grammar, and does a
parsed filter match a JSON value under our semantics. It does not compute error offsets.

    parse(text, nest_limit=64) -> tree, or raises Bad
    matches(tree, value, ignore_case=False) -> bool

Tree nodes: ("or", [..]) ("and", [..]) ("not", x) ("cmp", path, op, lit) ("pr", path)
("vp", path, x); path is a list of names; lit is ("str", s) ("num", text) ("bool", b) ("null",).
"""

import re

OPS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"}
WS = " \t\r\n"
NAME_START = re.compile(r"[A-Za-z_]")
WORD = re.compile(r"[A-Za-z0-9_-]*")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class Bad(Exception):
    pass


class Parser:
    def __init__(self, text, nest_limit):
        self.s = text
        self.i = 0
        self.limit = nest_limit
        self.depth = 0

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else ""

    def ws(self):
        j = self.i
        while self.i < len(self.s) and self.s[self.i] in WS:
            self.i += 1
        return self.i > j

    def word_at(self, i):
        return WORD.match(self.s, i).group(0)

    def open_level(self):
        self.depth += 1
        if self.depth > self.limit:
            raise Bad("nest too deep")

    def parse(self):
        if self.s.strip(WS) == "":
            raise Bad("empty")
        self.ws()
        e = self.or_expr()
        self.ws()
        if self.i != len(self.s):
            raise Bad("expected logical operator at %d" % self.i)
        return e

    def logical(self, kw, prev_end_char):
        """After a term: optional ws, the keyword kw, then ws or '('. Returns True and consumes it."""
        save = self.i
        had_ws = self.ws()
        w = self.word_at(self.i)
        if w.lower() != kw:
            self.i = save
            return False
        if not had_ws and prev_end_char not in ")]":
            raise Bad("expected whitespace before %s" % kw)
        self.i += len(w)
        if not self.ws() and self.peek() != "(":
            raise Bad("expected whitespace after %s" % kw)
        return True

    def or_expr(self):
        parts = [self.and_expr()]
        while self.logical("or", self.s[self.i - 1]):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_expr(self):
        parts = [self.unary()]
        while self.logical("and", self.s[self.i - 1]):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def group(self, close):
        self.open_level()
        self.ws()
        e = self.or_expr()
        self.ws()
        if self.peek() != close:
            raise Bad("expected %s at %d" % (close, self.i))
        self.i += 1
        self.depth -= 1
        return e

    def unary(self):
        c = self.peek()
        if c == "(":
            self.i += 1
            return self.group(")")
        w = self.word_at(self.i)
        if w.lower() == "not":
            self.i += len(w)
            self.ws()
            if self.peek() != "(":
                raise Bad("not without (")
            self.i += 1
            return ("not", self.group(")"))
        if not NAME_START.match(c or " "):
            raise Bad("expected attribute at %d" % self.i)
        path = [NAME.match(self.s, self.i).group(0)]
        self.i += len(path[0])
        while self.peek() == ".":
            m = NAME.match(self.s, self.i + 1)
            if not m:
                raise Bad("invalid attribute")
            path.append(m.group(0))
            self.i = m.end()
        if self.peek() == "[":
            self.i += 1
            return ("vp", path, self.group("]"))
        if not self.ws():
            raise Bad("expected whitespace or end after path")
        op = self.word_at(self.i).lower()
        if op not in OPS:
            raise Bad("expected operator at %d" % self.i)
        self.i += len(op)
        if op == "pr":
            # `pr` followed by a value is an error (OperandType); anything else is judged by the caller.
            save = self.i
            if self.ws():
                try:
                    self.value()
                    raise Bad("pr takes no value")
                except Bad as e:
                    if str(e) == "pr takes no value":
                        raise
            self.i = save
            return ("pr", path)
        if not self.ws():
            raise Bad("expected whitespace after operator")
        lit = self.value()
        if op in ("co", "sw", "ew") and lit[0] != "str":
            raise Bad("operand type")
        if op in ("gt", "ge", "lt", "le") and lit[0] not in ("str", "num"):
            raise Bad("operand type")
        return ("cmp", path, op, lit)

    def value(self):
        c = self.peek()
        if c == '"':
            return ("str", self.string())
        if c == "-" or c.isdigit() and c.isascii():
            m = NUMBER.match(self.s, self.i)
            if not m:
                raise Bad("invalid number")
            text = m.group(0)
            nxt = self.s[m.end(): m.end() + 1]
            if nxt in (".", "e", "E") or (nxt.isdigit() and nxt.isascii()):
                raise Bad("invalid number")  # 1. 1e 01
            if is_float_text(text) and abs(float(text)) == float("inf"):
                raise Bad("number out of range")
            self.i = m.end()
            return ("num", text)
        w = self.word_at(self.i)
        if w.lower() in ("true", "false"):
            self.i += len(w)
            return ("bool", w.lower() == "true")
        if w.lower() == "null":
            self.i += len(w)
            return ("null",)
        raise Bad("expected value at %d" % self.i)

    def string(self):
        s, i = self.s, self.i + 1
        out = []
        while True:
            if i >= len(s):
                raise Bad("unterminated string")
            ch = s[i]
            if ch == '"':
                self.i = i + 1
                return "".join(out)
            if ord(ch) < 0x20:
                raise Bad("control char in string")
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            e = s[i + 1: i + 2]
            simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
            if e in simple:
                out.append(simple[e])
                i += 2
                continue
            if e != "u":
                raise Bad("bad escape")
            cp = hex4(s, i + 2)
            i += 6
            if 0xD800 <= cp <= 0xDBFF:
                if s[i: i + 2] != "\\u":
                    raise Bad("lone surrogate")
                lo = hex4(s, i + 2)
                if not 0xDC00 <= lo <= 0xDFFF:
                    raise Bad("lone surrogate")
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                i += 6
            elif 0xDC00 <= cp <= 0xDFFF:
                raise Bad("lone surrogate")
            out.append(chr(cp))


def hex4(s, i):
    h = s[i: i + 4]
    if len(h) != 4 or not all(c in "0123456789abcdefABCDEF" for c in h):
        raise Bad("bad \\u escape")
    return int(h, 16)


def is_float_text(t):
    return any(c in t for c in ".eE")


def parse(text, nest_limit=64):
    return Parser(text, nest_limit).parse()


def accepts(text, nest_limit=64):
    try:
        parse(text, nest_limit)
        return True
    except Bad:
        return False


# ---------------------------------------------------------------- semantics

def flatten(v, out):
    if isinstance(v, list):
        for x in v:
            flatten(x, out)
    else:
        out.append(v)


def candidates(root, path):
    cur = [root]
    for name in path:
        nxt = []
        for v in cur:
            items = []
            flatten(v, items)
            for o in items:
                if isinstance(o, dict) and name in o:
                    nxt.append(o[name])
        cur = nxt
    out = []
    for v in cur:
        flatten(v, out)
    return out


def num_of_text(t):
    if not is_float_text(t):
        n = int(t)
        if -(2 ** 63) <= n < 2 ** 64:
            return ("int", n)
    return ("f", float(t))


def num_of_json(x):
    if isinstance(x, int) and not isinstance(x, bool) and -(2 ** 63) <= x < 2 ** 64:
        return ("int", x)
    return ("f", float(x))


def num_cmp(a, b):
    if a[0] == "int" and b[0] == "int":
        x, y = a[1], b[1]
    else:
        x, y = float(a[1]), float(b[1])
    return (x > y) - (x < y)


DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?([Zz]|[+-][0-9]{2}:[0-9]{2}))?"
)


def days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def instant(s):
    """Nanoseconds since the epoch if s is one of our date-times, else None."""
    m = DATE.fullmatch(s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    mdays = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= mdays[mo - 1]):
        return None
    secs = days_from_civil(y, mo, d) * 86400
    nanos = 0
    if m.group(4) is not None:
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6))
        if hh > 23 or mm > 59 or ss > 59:
            return None
        secs += hh * 3600 + mm * 60 + ss
        if m.group(7):
            nanos = int(m.group(7).ljust(9, "0"))
        off = m.group(8)
        if off not in ("Z", "z"):
            oh, om = int(off[1:3]), int(off[4:6])
            if oh > 23 or om > 59:
                return None
            sign = 1 if off[0] == "+" else -1
            secs -= sign * (oh * 3600 + om * 60)
    return secs * 10 ** 9 + nanos


def is_json_number_text(s):
    return NUMBER.fullmatch(s) is not None


def str_cmp(a, b, ic):
    """Ordering of two strings under our rules: instants when both are date-times, else code points."""
    ia, ib = instant(a), instant(b)
    if ia is not None and ib is not None:
        return (ia > ib) - (ia < ib)
    if ic:
        a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


def equal(c, lit, ic):
    kind = lit[0]
    if isinstance(c, dict) or c is None:
        return False
    if isinstance(c, bool):
        if kind == "bool":
            return c == lit[1]
        if kind == "str":
            return lit[1] == ("true" if c else "false")
        return False
    if isinstance(c, (int, float)):
        if kind == "num":
            return num_cmp(num_of_json(c), num_of_text(lit[1])) == 0
        if kind == "str":
            return is_json_number_text(lit[1]) and num_cmp(num_of_json(c), num_of_text(lit[1])) == 0
        return False
    if isinstance(c, str):
        if kind == "str":
            return str_cmp(c, lit[1], ic) == 0
        if kind == "bool":
            return c == ("true" if lit[1] else "false")
        if kind == "num":
            return is_json_number_text(c) and num_cmp(num_of_text(c), num_of_text(lit[1])) == 0
        return False
    raise TypeError(c)


def order(c, lit, ic):
    """Comparison result of candidate vs literal for gt/ge/lt/le, or None when they do not compare."""
    if isinstance(c, bool) or c is None or isinstance(c, dict):
        return None
    if isinstance(c, str) and lit[0] == "str":
        return str_cmp(c, lit[1], ic)
    if isinstance(c, (int, float)) and lit[0] == "num":
        return num_cmp(num_of_json(c), num_of_text(lit[1]))
    return None


def text_op(op, c, needle, ic):
    if not isinstance(c, str):
        return False
    if ic:
        c, needle = c.lower(), needle.lower()
    return {"co": needle in c, "sw": c.startswith(needle), "ew": c.endswith(needle)}[op]


def compare(op, cands, lit, ic):
    if op in ("eq", "ne"):
        if lit[0] == "null":
            r = len(cands) == 0 or any(c is None for c in cands)
        else:
            r = any(equal(c, lit, ic) for c in cands)
        return r if op == "eq" else not r
    if op in ("co", "sw", "ew"):
        return any(text_op(op, c, lit[1], ic) for c in cands)
    want = {"gt": lambda o: o > 0, "ge": lambda o: o >= 0, "lt": lambda o: o < 0, "le": lambda o: o <= 0}[op]
    for c in cands:
        o = order(c, lit, ic)
        if o is not None and want(o):
            return True
    return False


def present(c):
    return not (c is None or c == "" or (isinstance(c, dict) and not c))


def matches(tree, value, ignore_case=False):
    t = tree[0]
    if t == "or":
        return any(matches(x, value, ignore_case) for x in tree[1])
    if t == "and":
        return all(matches(x, value, ignore_case) for x in tree[1])
    if t == "not":
        return not matches(tree[1], value, ignore_case)
    if t == "pr":
        return any(present(c) for c in candidates(value, tree[1]))
    if t == "cmp":
        return compare(tree[2], candidates(value, tree[1]), tree[3], ignore_case)
    if t == "vp":
        return any(
            isinstance(c, dict) and matches(tree[2], c, ignore_case) for c in candidates(value, tree[1])
        )
    raise ValueError(t)


def to_sx(tree):
    """Our tree in the vectors' s-expression shape, as nested lists; and/or flattened (n-ary)."""
    t = tree[0]
    if t in ("or", "and"):
        out = [t]
        for x in tree[1]:
            sx = to_sx(x)
            out.extend(sx[1:] if sx[0] == t else [sx])
        return out
    if t == "not":
        return ["not", to_sx(tree[1])]
    if t == "pr":
        return ["pr", ".".join(tree[1])]
    if t == "vp":
        return ["vp", ".".join(tree[1]), to_sx(tree[2])]
    return [tree[2], ".".join(tree[1]), tree[3]]


SX_TOKEN = re.compile(r'\s*(?:(\()|(\))|("(?:[^"\\]|\\.)*")|([^\s()"]+))')


def parse_sx(text, short_eq=False):
    """The vectors' s-expression text as nested lists (same shape as to_sx). With short_eq, a bare
    operand atom nK stands for (eq nK K) (thomaspoignant's shorthand)."""
    import json

    toks = []
    pos = 0
    while pos < len(text.rstrip()):
        m = SX_TOKEN.match(text, pos)
        if not m:
            raise ValueError(text[pos:])
        toks.append(m.groups())
        pos = m.end()
    it = iter(toks)

    def atom_value(tok):
        if tok[2] is not None:
            return ("str", json.loads(tok[2]))
        a = tok[3]
        if a in ("true", "false"):
            return ("bool", a == "true")
        if a == "null":
            return ("null",)
        if NUMBER.fullmatch(a):
            return ("num", a)
        raise ValueError(a)

    def node(tok):
        if tok[0] is None:
            a = tok[3]
            if short_eq and re.fullmatch(r"n[0-9]+", a or ""):
                return ["eq", a, ("num", a[1:])]
            raise ValueError(tok)
        head = next(it)[3]
        if head in ("and", "or", "not"):
            kids = []
            for t in it:
                if t[1] is not None:
                    break
                kids.append(node(t))
            if head != "not":
                flat = [head]
                for k in kids:
                    flat.extend(k[1:] if k[0] == head else [k])
                return flat
            return ["not"] + kids
        if head == "pr":
            path = next(it)[3]
            assert next(it)[1] is not None
            return ["pr", path]
        if head == "vp":
            path = next(it)[3]
            inner = node(next(it))
            assert next(it)[1] is not None
            return ["vp", path, inner]
        path = next(it)[3]
        val = atom_value(next(it))
        assert next(it)[1] is not None
        return [head, path, val]

    return node(next(it))


if __name__ == "__main__":
    # Self-checks taken from issue 2 / errors.md.
    ok = [
        'pr pr', '(a pr)and(b pr)', 'not(a pr)', 'a[b pr]and c pr', 'a eq "\\ud83d\\ude00"', "a eq -1.5e3",
        'target[type eq "User" and alternateId eq "a@example.com"]', 'a eq TRUE', 'a EQ Null',
        "a\teq\n1", " a pr ",
    ]
    bad = [
        "", "   ", "a eq 1 and ", "= 1", "a..b eq 1", "a.0 eq 1", 'display_message eqq "Create okta user"', "a",
        "a ", 'a"x"', "a=1", 'a eq"x"', 'a eq "x"and b pr', "a eq foo", "a eq 'x'", "a eq [1]", "a eq", "a eq ",
        'a eq "\\x"', 'a eq "\\u12"', 'a eq "\\ud800"', 'a eq "\\udc00"', 'a eq "\\ud800\\u0041"', 'a eq "x',
        "a eq 01", "a eq 1.", "a eq .5", "a eq -", "a eq 1e", "a eq 1e+", "a eq +1", "a eq 1e400", "a eq 1x",
        "a co 1", "a gt true", "a lt null", 'a pr "x"', "a pr 1", "a pr true", "not x eq 1", "not", "(a eq 1",
        "(a eq 1 b pr)", "a[b eq 1", "a eq 1)", "a eq 1 b eq 2", 'a eq "\x01"',
    ]
    for f in ok:
        assert accepts(f), f
    for f in bad:
        assert not accepts(f), f
    deep = "(" * 64 + "a pr" + ")" * 64
    assert accepts(deep) and not accepts("(" + deep + ")")
    assert instant("2024-05-01T10:00:00Z") == instant("2024-05-01T10:00:00.000Z")
    assert instant("2024-05-01") < instant("2024-05-01T00:00:00.000000001Z")
    assert instant("2023-02-29") is None and instant("2024-01-01T23:59:60Z") is None
    ev = {"target": [{"id": "A"}, {"id": "B"}], "isProxy": True, "asNumber": 7018, "n": None}
    assert matches(parse('target.id eq "A" and target.id eq "B"'), ev)
    assert matches(parse('isProxy eq "true"'), ev) and not matches(parse('isProxy eq "TRUE"'), ev, True)
    assert matches(parse('asNumber eq "7018.0"'), ev) and not matches(parse('asNumber gt "5"'), ev)
    assert matches(parse("missing eq null"), ev) and matches(parse("n eq null"), ev)
    assert matches(parse('missing ne "x"'), ev)
    assert matches(parse('redacted gt "2024-05-01"'), {"redacted": "redacted"})
    assert matches(parse("big eq 9007199254740993"), {"big": 9007199254740993})
    assert not matches(parse("big eq 9007199254740992"), {"big": 9007199254740993})
    print("self-checks ok")
