"""Hand-derived facts for tests/corpus.rs: which corpus events a filter matches.

Each fact pairs a filter with a small python predicate written FOR THAT FILTER ONLY, implementing
just the rule of issue 2 it exercises (string equality, startswith, array-any over target[], a
missing attribute for `ne`, date instants, code-point order, ...), over the parsed events. It does
not use oktaql_ref.py; at the end the results are cross-checked against that general reference,
and both must agree before a fact is copied into tests/corpus.rs.

Run: python3 tests/data/derive/corpus_facts.py   (prints each fact: file -> matching line numbers)
"""

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
FILES = [
    "cribl-okta-rest_I4942I.ndjson",
    "okta-official-doc-examples.ndjson",
    "panther-analysis_okta_tests.ndjson",
    "stix-shifter_okta_tests.ndjson",
]
EVENTS = {f: [json.loads(l) for l in open(os.path.join(CORPUS, f), encoding="utf-8")] for f in FILES}

MISSING = object()


def get(e, *path):
    """Plain object walk (no arrays): MISSING when a key is absent or a non-object is met."""
    for k in path:
        if not isinstance(e, dict) or k not in e:
            return MISSING
        e = e[k]
    return e


def targets(e):
    """target[] elements that are objects (target may be absent, null or an array)."""
    t = e.get("target")
    return [x for x in t if isinstance(x, dict)] if isinstance(t, list) else []


def ip_chain_ips(e):
    chain = get(e, "request", "ipChain")
    return [x["ip"] for x in chain if isinstance(x, dict) and "ip" in x] if isinstance(chain, list) else []


def rfc3339(s):
    """Instant of an RFC 3339 date-time or full date (ASCII digits), or None."""
    if not isinstance(s, str):
        return None
    try:
        if len(s) == 10:
            return datetime.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")) if "T" in s else None
    except ValueError:
        return None


FACTS = []


def fact(filter_text, ignore_case=False):
    def reg(pred):
        FACTS.append((filter_text, ignore_case, pred))
        return pred

    return reg


# --- plain string operators on eventType (issue 2: strings compare exactly; co/sw/ew on text)
fact('eventType eq "user.session.start"')(lambda e: e.get("eventType") == "user.session.start")
fact('eventType eq "USER.SESSION.START"')(lambda e: False)  # case-sensitive by default
fact('eventType eq "USER.SESSION.START"', ignore_case=True)(
    lambda e: isinstance(e.get("eventType"), str) and e["eventType"].lower() == "user.session.start")
fact('eventType sw "user.authentication."')(
    lambda e: isinstance(e.get("eventType"), str) and e["eventType"].startswith("user.authentication."))
fact('eventType co "session"')(lambda e: "session" in e.get("eventType", ""))
fact('eventType ew ".update"')(lambda e: e.get("eventType", "").endswith(".update"))
fact('eventType ew "token"')(lambda e: e.get("eventType", "").endswith("token"))
fact('eventType eq "user.session.start" and outcome.result eq "FAILURE"')(
    lambda e: e.get("eventType") == "user.session.start" and get(e, "outcome", "result") == "FAILURE")

# --- arrays: each conjunct looks at ANY target (Okta's own target.id eq A and target.id eq B)
A_USER, A_APP = "00utfrct5sIs151mS697", "0oatfrct1wg72bAIw697"
fact('target.id eq "%s" and target.id eq "%s"' % (A_USER, A_APP))(
    lambda e: any(t.get("id") == A_USER for t in targets(e)) and any(t.get("id") == A_APP for t in targets(e)))
# ... while a value path needs ONE target object to satisfy the whole inner filter
fact('target[id eq "%s" and type eq "AppInstance"]' % A_USER)(
    lambda e: any(t.get("id") == A_USER and t.get("type") == "AppInstance" for t in targets(e)))
fact('target[id eq "%s" and type eq "User"]' % A_USER)(
    lambda e: any(t.get("id") == A_USER and t.get("type") == "User" for t in targets(e)))
fact('target.type eq "AppInstance" and target.type eq "User"')(
    lambda e: {"AppInstance", "User"} <= {t.get("type") for t in targets(e)})

# --- target absent / null / [] / array: pr needs a non-null, non-"", non-{} candidate
fact("target pr")(lambda e: any(t != {} for t in targets(e)))
fact("target eq null")(lambda e: not isinstance(e.get("target"), list) or len(e["target"]) == 0)
fact("not (target pr)")(lambda e: not any(t != {} for t in targets(e)))

# --- mixed types: a boolean equals the string "true"/"false" exactly
fact('securityContext.isProxy eq "true"')(lambda e: get(e, "securityContext", "isProxy") is True)
fact('securityContext.isProxy eq "false"')(lambda e: get(e, "securityContext", "isProxy") is False)
fact("securityContext.isProxy eq false")(lambda e: get(e, "securityContext", "isProxy") is False)
fact('securityContext.isProxy eq "FALSE"', ignore_case=True)(lambda e: False)  # exact literal only
fact("securityContext.isProxy ne false")(lambda e: get(e, "securityContext", "isProxy") is not False)
fact('eventType eq "user.session.start" and securityContext.isProxy eq "true"')(lambda e: False)

# --- client.zone: the STRING "null" versus JSON null / absent
fact('client.zone eq "null"')(lambda e: get(e, "client", "zone") == "null")
fact("client.zone eq null")(lambda e: get(e, "client", "zone") in (None, MISSING))
fact('client.zone ne "null"')(lambda e: get(e, "client", "zone") != "null")  # ne holds when absent

# --- postalCode: a number in one Okta example, a string elsewhere
fact("client.geographicalContext.postalCode eq 10013")(
    lambda e: get(e, "client", "geographicalContext", "postalCode") in (10013, "10013"))
fact('client.geographicalContext.postalCode eq "10013"')(
    lambda e: get(e, "client", "geographicalContext", "postalCode") in (10013, "10013"))
fact('client.geographicalContext.postalCode sw "1"')(  # sw never holds on the number 10013
    lambda e: isinstance(get(e, "client", "geographicalContext", "postalCode"), str)
    and get(e, "client", "geographicalContext", "postalCode").startswith("1"))
fact('client.geographicalContext.postalCode eq "600001"')(
    lambda e: get(e, "client", "geographicalContext", "postalCode") == "600001")

# --- ne on absent fields
fact('actor.alternateId ne "system@okta.com"')(lambda e: get(e, "actor", "alternateId") != "system@okta.com")
fact('legacyEventType ne "core.user_auth.login_success"')(
    lambda e: get(e, "legacyEventType") != "core.user_auth.login_success")

# --- dates on published: RFC 3339 compares instants; Panther's "2022-03-22 14:21:53.225" is not
# RFC 3339 (space, no offset), so it compares as a string.
T1 = datetime.datetime(2025, 7, 21, 14, 49, 0, tzinfo=datetime.timezone.utc)
fact('published gt "2025-07-21T14:49:00Z"')(  # Panther's "redacted" > "2025-..." as strings
    lambda e: isinstance(e.get("published"), str) and (
        rfc3339(e["published"]) > T1 if rfc3339(e["published"]) is not None
        else e["published"] > "2025-07-21T14:49:00Z"))
T2 = datetime.datetime(2025, 7, 21, 14, 48, 24, 597000, tzinfo=datetime.timezone.utc)
fact('published eq "2025-07-21T16:48:24.597+02:00"')(lambda e: rfc3339(e.get("published")) == T2)


def published_lt_2024(e):
    p = e.get("published")
    if not isinstance(p, str):
        return False
    if rfc3339(p) is not None:
        return rfc3339(p) < datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    return p < "2024-01-01"  # code-point order


fact('published lt "2024-01-01"')(published_lt_2024)
# Chronologically 2022-03-22 14:21 is after midnight, but as strings ' ' (0x20) < 'T' (0x54).
fact('published lt "2022-03-22T00:00:00Z"')(
    lambda e: isinstance(e.get("published"), str) and (
        rfc3339(e["published"]) < datetime.datetime(2022, 3, 22, tzinfo=datetime.timezone.utc)
        if rfc3339(e["published"]) is not None else e["published"] < "2022-03-22T00:00:00Z"))
fact('published gt "2024-05-01"')(  # "redacted" > "2024-05-01" as strings
    lambda e: isinstance(e.get("published"), str) and (
        rfc3339(e["published"]) > datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
        if rfc3339(e["published"]) is not None else e["published"] > "2024-05-01"))

# --- request.ipChain.ip: a path through an array of objects
fact('request.ipChain.ip eq "1.1.1.1"')(lambda e: "1.1.1.1" in ip_chain_ips(e))
fact('request.ipChain.ip eq "1.1.1.1" and (client.device ne "Computer" or target.id co "00Tr22hj9U9LzFH0f5d6")')(
    lambda e: "1.1.1.1" in ip_chain_ips(e) and (
        get(e, "client", "device") != "Computer" or any("00Tr22hj9U9LzFH0f5d6" in str(t.get("id")) for t in targets(e))))
fact("request.ipChain pr")(lambda e: len(ip_chain_ips(e)) > 0 or any(
    x not in (None, "", {}) for x in (get(e, "request", "ipChain") if isinstance(get(e, "request", "ipChain"), list) else [])))
fact('request.ipChain.geographicalContext.postalCode eq "119021"')(
    lambda e: any(isinstance(x, dict) and get(x, "geographicalContext", "postalCode") == "119021"
                  for x in (get(e, "request", "ipChain") if isinstance(get(e, "request", "ipChain"), list) else [])))


# --- numbers: asNumber is an integer (or null, or absent)
def asn(e):
    v = get(e, "securityContext", "asNumber")
    return v if isinstance(v, int) and not isinstance(v, bool) else None


fact("securityContext.asNumber gt 14618")(lambda e: asn(e) is not None and asn(e) > 14618)
fact("securityContext.asNumber lt 14618")(lambda e: asn(e) is not None and asn(e) < 14618)
fact("securityContext.asNumber le 14618.0")(lambda e: asn(e) is not None and asn(e) <= 14618)
fact("securityContext.asNumber ge 50")(lambda e: asn(e) is not None and asn(e) >= 50)
fact("not(securityContext.asNumber lt 50)")(lambda e: not (asn(e) is not None and asn(e) < 50))
fact('securityContext.asNumber eq "7018"')(lambda e: asn(e) == 7018)  # mixed: "7018" equals 7018
fact('securityContext.asNumber gt "7018"')(lambda e: False)  # no cross-type ordering
fact("authenticationContext.authenticationStep eq 0")(
    lambda e: get(e, "authenticationContext", "authenticationStep") == 0
    and not isinstance(get(e, "authenticationContext", "authenticationStep"), bool))

# --- JSON text inside a string value: the filter's escaped quotes are matched literally
fact('debugContext.debugData.logOnlySecurityData co "\\"New Device\\":\\"UNKNOWN\\""')(
    lambda e: '"New Device":"UNKNOWN"' in str(get(e, "debugContext", "debugData", "logOnlySecurityData")))
fact('debugContext.debugData.logOnlySecurityData co "\\"level\\":\\"LOW\\""')(
    lambda e: '"level":"LOW"' in str(get(e, "debugContext", "debugData", "logOnlySecurityData")))
fact('eventType eq "policy.evaluate_sign_on" and target.displayName eq "Okta Admin Console" and '
     '((debugContext.debugData.behaviors co "New Device=POSITIVE" and debugContext.debugData.behaviors co '
     '"New IP=POSITIVE") OR (debugContext.debugData.logOnlySecurityData co "\\"New Device\\":\\"POSITIVE\\"" '
     'or debugContext.debugData.logOnlySecurityData co "\\"New IP\\":\\"POSITIVE\\""))')(
    lambda e: e.get("eventType") == "policy.evaluate_sign_on"
    and any(t.get("displayName") == "Okta Admin Console" for t in targets(e))
    and (("New Device=POSITIVE" in str(get(e, "debugContext", "debugData", "behaviors"))
          and "New IP=POSITIVE" in str(get(e, "debugContext", "debugData", "behaviors")))
         or '"New Device":"POSITIVE"' in str(get(e, "debugContext", "debugData", "logOnlySecurityData"))
         or '"New IP":"POSITIVE"' in str(get(e, "debugContext", "debugData", "logOnlySecurityData"))))

# --- code-point order on strings
fact('(client.userAgent.os lt "iOS" or client.userAgent.os gt "iOS")')(
    lambda e: isinstance(get(e, "client", "userAgent", "os"), str) and get(e, "client", "userAgent", "os") != "iOS")
fact('actor.displayName gt "Okta System"')(
    lambda e: isinstance(get(e, "actor", "displayName"), str) and get(e, "actor", "displayName") > "Okta System")


def main():
    sys.path.insert(0, HERE)
    import oktaql_ref

    bad = 0
    for filt, ic, pred in FACTS:
        print("%s%s" % (filt, "   [ignore_case]" if ic else ""))
        tree = oktaql_ref.parse(filt)
        for f in FILES:
            lines = [i for i, e in enumerate(EVENTS[f], 1) if pred(e)]
            ref = [i for i, e in enumerate(EVENTS[f], 1) if oktaql_ref.matches(tree, e, ic)]
            flag = "" if lines == ref else "   <-- REFERENCE DISAGREES: %s" % ref
            bad += bool(flag)
            print("    %-36s %3d %s%s" % (f, len(lines), lines if len(lines) <= 40 else "(many)", flag))
    print("%d facts, %d disagreements with oktaql_ref.py" % (len(FACTS), bad))


def rust():
    """Prints the FACTS table of tests/corpus.rs (values from the predicates above), with the
    group comments of this file."""
    src = open(__file__, encoding="utf-8").read().split("\n")
    group = None
    for filt, ic, pred in FACTS:
        line = pred.__code__.co_firstlineno
        g = next(src[i][6:] for i in range(line - 1, -1, -1) if src[i].startswith("# ---"))
        if g != group:
            print("    // %s" % g)
            group = g
        exps = []
        for f in FILES:
            lines = [i for i, e in enumerate(EVENTS[f], 1) if pred(e)]
            exps.append("L(&%s)" % lines if len(lines) <= 40 else "N(%d)" % len(lines))
        print("    (%s, %s, [%s])," % (rust_str(filt), "IC" if ic else "CS", ", ".join(exps)))


def rust_str(s):
    if '"' in s or "\\" in s:
        return 'r#"%s"#' % s
    return '"%s"' % s


if __name__ == "__main__":
    if sys.argv[1:] == ["--rust"]:
        rust()
    else:
        main()
