"""Sigma rule sets for tests/sql/rules.py: SigmaHQ's 24 Okta rules, and
small hand-written rules, one per kind of Sigma test, with rows built to
hit and just miss each. What each dialect refuses is listed here, checked
by hand against what the SQL can say exactly (README, "SQL: Sigma rules"):

- a wildcard pattern (not plain text, not `*` alone) whose texts are only
  digits, `-` and `.`, and a regular expression that may match a text of
  only those characters: the engines do not write a float's text as
  oktaql does (its shortest decimal), so all three refuse;
- a regular expression with a Unicode word boundary (`\\b`): all three;
- an IPv6 `cidr` network: all three;
- a keyword selection: Spark (no exact walk over every string of the
  event; DuckDB's `$..*` and ClickHouse's string tokens of the text are
  ones).
"""

import json

PLACEHOLDERS = {"legtimate_identifiers": ["@example.com"]}


def rule(rid, detection, condition="sel"):
    return (
        f"title: {rid}\nid: {rid}\nlogsource: {{product: okta}}\n"
        f"detection:\n{detection}  condition: {condition}\n"
    )


HAND = [
    rule("s-contains", "  sel:\n    displayMessage|contains: 'Admin'\n"),
    rule("s-contains-unicode", "  sel:\n    displayMessage|contains: 'Straße'\n"),
    rule("s-dotted-i", "  sel:\n    target.displayName|contains: 'İx'\n"),
    rule("s-startswith", "  sel:\n    actor.alternateId|startswith: 'adm'\n"),
    rule("s-endswith-cased", "  sel:\n    actor.displayName|endswith|cased: 'Admin'\n"),
    rule("s-exact", "  sel:\n    eventType: 'user.session.start'\n"),
    rule("s-exact-cased", "  sel:\n    eventType|cased: 'User.Session.Start'\n"),
    rule("s-wildcards", "  sel:\n    target.displayName: 'a?c*z'\n"),
    rule("s-wildcards-cased", "  sel:\n    target.displayName|cased: '*B?c'\n"),
    rule("s-escapes", "  sel:\n    displayMessage|contains: 'x\\*y\\?'\n"),
    rule("s-backslash", "  sel:\n    displayMessage: 'a\\\\b*'\n"),
    rule("s-all", "  sel:\n    displayMessage|contains|all:\n      - 'one'\n      - 'two'\n"),
    rule("s-number", "  sel:\n    debugContext.debugData.risk: 5\n"),
    rule("s-number-string", "  sel:\n    debugContext.debugData.risk: '-0.5'\n"),
    rule("s-boolean", "  sel:\n    securityContext.isProxy: 'true'\n"),
    rule("s-boolean-prefix", "  sel:\n    securityContext.isProxy: 'fa*'\n"),
    rule("s-everything", "  sel:\n    client.zone: '*'\n"),
    rule("s-number-wildcard", "  sel:\n    debugContext.debugData.code: '1*'\n"),
    rule("s-exists", "  sel:\n    client.device|exists: true\n"),
    rule("s-not-exists", "  sel:\n    debugContext|exists: false\n"),
    rule("s-null", "  sel:\n    client.zone: null\n"),
    rule(
        "s-cidr4",
        "  sel:\n    client.ipAddress|cidr:\n      - '10.0.0.0/8'\n      - '192.168.4.0/22'\n"
        "      - '1.2.3.4/32'\n      - '128.0.0.0/1'\n",
    ),
    rule("s-cidr-all", "  sel:\n    client.ipAddress|cidr: '0.0.0.0/0'\n"),
    rule("s-cidr6", "  sel:\n    client.ipAddress|cidr: '2001:db8::/32'\n"),
    rule("s-re", "  sel:\n    actor.alternateId|re: '@example\\.(com|org)$'\n"),
    rule("s-re-i", "  sel:\n    displayMessage|re|i: 'straße'\n"),
    rule("s-re-m", "  sel:\n    displayMessage|re|m: '^second line$'\n"),
    rule("s-re-s", "  sel:\n    displayMessage|re|s: 'a.b'\n"),
    rule("s-re-dot", "  sel:\n    displayMessage|re: 'x.y'\n"),
    rule("s-re-class", "  sel:\n    displayMessage|re: '[^a-z ]{3}q'\n"),
    rule("s-re-ascii-boundary", "  sel:\n    displayMessage|re: '(?-u:\\b)foo'\n"),
    rule("s-re-boolean", "  sel:\n    securityContext.isProxy|re: '^tr'\n"),
    rule("s-re-word-boundary", "  sel:\n    displayMessage|re: '\\bfoo'\n"),
    rule("s-re-digits", "  sel:\n    debugContext.debugData.code|re: '^[0-9]+$'\n"),
    rule("s-keywords", "  sel:\n    - 'evil*corp'\n    - 'hunter2'\n"),
    rule("s-keyword-cidr", "  sel:\n    '|cidr': '10.0.0.0/8'\n"),
    rule("s-keyword-re", "  sel:\n    '|re': '^hunt[e]r[0-9]$'\n"),
    rule(
        "s-not-and-or",
        "  sel:\n    eventType|startswith: 'user.'\n  filter:\n    outcome.result: 'SUCCESS'\n"
        "  other:\n    client.zone: 'x'\n",
        "(sel and not filter) or other",
    ),
]

# Rules each dialect refuses, by id (see the module's documentation).
EVERYWHERE = {"s-number-wildcard", "s-cidr6", "s-re-word-boundary", "s-re-digits"}
REFUSED = {
    "sigma-hq": {"duckdb": set(), "clickhouse": set(), "spark": set()},
    "sigma-hand": {
        "duckdb": EVERYWHERE,
        "clickhouse": EVERYWHERE,
        "spark": EVERYWHERE | {"s-keywords", "s-keyword-cidr", "s-keyword-re"},
    },
}


def ev(**fields):
    """An event: keyword arguments with `__` for a dot."""
    out = {}
    for k, v in fields.items():
        *path, last = k.split("__")
        o = out
        for p in path:
            o = o.setdefault(p, {})
        o[last] = v
    return out


EVENTS = [
    ev(displayMessage="the ADMIN role"),
    ev(displayMessage="adm in"),
    ev(displayMessage="STRAßE"),
    ev(displayMessage="STRASSE"),
    ev(displayMessage="STRAẞE"),
    ev(target=[{"displayName": "xi\u0307xy"}, {"displayName": "İX"}]),
    ev(target=[{"displayName": "xix"}]),
    ev(actor__alternateId="ADMIN@example.com", actor__displayName="Super Admin"),
    ev(actor__alternateId="xadm@example.org", actor__displayName="Super ADMIN"),
    ev(actor__alternateId="user@example.comx"),
    ev(actor__alternateId="USER@EXAMPLE.COM"),
    ev(eventType="USER.SESSION.START", outcome__result="SUCCESS"),
    ev(eventType="User.Session.Start", outcome__result="FAILURE"),
    ev(eventType="user.session.startx"),
    ev(target=[{"displayName": "abcz"}, {"displayName": 5}]),
    ev(target={"displayName": "ABCxyzZ"}),
    ev(target={"displayName": "acz"}),
    ev(target={"displayName": "a😀cz"}),
    ev(target={"displayName": "a\ncz"}),
    ev(target={"displayName": "abcza"}),
    ev(target={"displayName": "xxBΣc"}),
    ev(target={"displayName": "xxbyc"}),
    ev(displayMessage="ax*y?b"),
    ev(displayMessage="axzy?b"),
    ev(displayMessage="a\\b and more"),
    ev(displayMessage="a\\\\b"),
    ev(displayMessage="two then ONE"),
    ev(displayMessage="two then on e"),
    ev(debugContext__debugData__risk=5),
    ev(debugContext__debugData__risk=5.0),
    ev(debugContext__debugData__risk="5"),
    ev(debugContext__debugData__risk=50),
    ev(debugContext__debugData__risk="5.0"),
    ev(debugContext__debugData__risk=-0.5),
    ev(debugContext__debugData__risk="-0.50"),
    ev(debugContext__debugData__risk="-0.5"),
    ev(debugContext__debugData__code=15),
    ev(debugContext__debugData__code="15"),
    ev(securityContext__isProxy=True),
    ev(securityContext__isProxy="TRUE"),
    ev(securityContext__isProxy=False),
    ev(securityContext__isProxy="trUE "),
    ev(securityContext__isProxy=1),
    ev(client__zone="x"),
    ev(client__zone=3),
    ev(client__zone=None),
    ev(client__zone={}),
    ev(client__zone=""),
    ev(client__zone=[]),
    ev(client__zone=[None, 1]),
    ev(client__device=None),
    ev(client__device=[]),
    ev(client__device={}),
    ev(client__device=[[False]]),
    ev(debugContext={}),
    ev(debugContext=None),
    ev(debugContext=[]),
]
for ip in [
    "10.0.0.0", "10.255.255.255", "11.0.0.0", "9.255.255.255", "010.0.0.1", "10.0.0.256",
    "10.00.0.1", "192.168.3.255", "192.168.4.0", "192.168.7.255", "192.168.8.0", "192.168.5.09",
    "1.2.3.4", "1.2.3.40", "127.255.255.255", "128.0.0.0", "255.255.255.255", "0.0.0.0",
    "10.0.0.1 ", " 10.0.0.1", "10.0.0", "10.0.0.1.2", "+1.2.3.4", "::ffff:10.0.0.1",
    "2001:db8::1", "2001:db9::1", "10.0.0.1\n",
]:
    EVENTS.append(ev(client__ipAddress=ip))
EVENTS += [
    ev(client__ipAddress=10),
    ev(client__ipAddress=["9.0.0.1", "10.1.2.3"]),
    ev(displayMessage="first\nsecond line\nthird"),
    ev(displayMessage="first\nsecond line"),
    ev(displayMessage="first\r\nsecond line\r\n"),
    ev(displayMessage="second line x"),
    ev(displayMessage="second line\n"),
    ev(displayMessage="a\nb x\ny"),
    ev(displayMessage="x\u2028y"),
    ev(displayMessage="xzy"),
    ev(displayMessage="AB1q"),
    ev(displayMessage="a foo"),
    ev(displayMessage="afoo"),
    ev(displayMessage="éfoo"),
    ev(displayMessage="foo"),
    ev(a={"b": [{"c": "x EVILcorp y"}]}),
    ev(a={"b": [[[[[[[[[["evil and corp"]]]]]]]]]]}),
    ev(a={"evilcorp": 1}),
    ev(a=["Hunter2"]),
    ev(a={"b": "10.2.3.4"}),
    ev(a={"b": "11.2.3.4"}),
    ev(eventType="user.account.lock", outcome__result="FAILURE"),
    ev(eventType="user.account.lock", outcome__result="SUCCESS"),
    ev(eventType="system.x", outcome__result="SUCCESS", client__zone="X"),
]
ROWS = [json.dumps(e, ensure_ascii=False) for e in EVENTS]
