#!/usr/bin/env python3
"""How many events each rule of Okta's detection catalogue selects in a file, counted by oktaql.

    python3 benches/catalogue_counts.py [--catalogue DIR] [--oktaql BIN] FILE

FILE is NDJSON (the benchmark file: `gen_events --seed 7 --bytes 100000000 --detections`).
DIR is the catalogue (default ../shared/rules/okta-customer-detections, next to the repository),
BIN the command (default target/release/oktaql; `cargo build --release` first).

For each of the 37 rules with a filter (the block scalar `detection.okta_systemlog.OIE` of
detections/*.yml and hunts/*.yml), prints the number of events `oktaql -c -e FILTER FILE` selects.
Two filters are not Okta's grammar as written and are rewritten first, as `oktaql rules` will
suggest: `eventType in ["a", "b"]` becomes `(eventType eq "a" or eventType eq "b")`, and
`target.0.displayName` becomes `target.displayName` (any element). The rule that reads `result`,
a field no event has, is counted as written (0) and, in the note, with `outcome.result`.

The other 9 rules carry only a Splunk query that counts events by a key over a period. For each,
the script selects the raw events the query reads (with an oktaql filter) and counts the groups
that cross the query's threshold, with a plain reading of the query written here in Python (an
independent check on the generator's bursts, not a Splunk implementation).

Output: two Markdown tables on stdout (the ones in BENCHMARKS.md).
"""

import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def oie_filter(text):
    """The trimmed block scalar under detection.okta_systemlog.OIE, or None.

    The catalogue writes it as `OIE: |` followed by lines indented further; this reads exactly
    that shape (no YAML library needed) and fails loudly on any other."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^( +)OIE:(.*)$", line)
        if not m:
            continue
        if m.group(2).strip() != "|":
            raise ValueError(f"OIE is not a `|` block scalar: {line!r}")
        indent = len(m.group(1))
        body = []
        for nxt in lines[i + 1 :]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip(" ")) <= indent:
                break
            body.append(nxt.strip())
        return "\n".join(body).strip()
    return None


def rewrite(f):
    """Okta's grammar from the two filters that are not in it; returns (filter, note)."""
    notes = []

    def in_list(m):
        path, items = m.group(1), re.findall(r'"(?:[^"\\]|\\.)*"', m.group(2))
        return "(" + " or ".join(f"{path} eq {v}" for v in items) + ")"

    g = re.sub(r"([A-Za-z_][A-Za-z0-9_.]*) in \[([^\]]*)\]", in_list, f)
    if g != f:
        notes.append("`in [...]` read as `or` of `eq`")
    h = re.sub(r"\.(\d+)\.", ".", g)
    if h != g:
        notes.append("`target.0.displayName` read as `target.displayName`")
    return h, "; ".join(notes)


def count(oktaql, flt, path):
    r = subprocess.run(
        [oktaql, "-c", "-e", flt, path], capture_output=True, text=True, check=False
    )
    if r.returncode not in (0, 1):
        sys.exit(f"catalogue_counts: oktaql failed on {flt!r}: {r.stderr.strip()}")
    return int(r.stdout.strip())


def select(oktaql, flt, path):
    r = subprocess.run(
        [oktaql, "-e", flt, path], capture_output=True, text=True, check=False
    )
    if r.returncode not in (0, 1):
        sys.exit(f"catalogue_counts: oktaql failed on {flt!r}: {r.stderr.strip()}")
    return [json.loads(line) for line in r.stdout.splitlines()]


# ---------------------------------------------------------------------------------------------
# The nine Splunk-only rules: (raw-event filter, what crosses the threshold, how to count it)


def get(ev, path):
    """Values at a dotted path, looking into arrays (Splunk's `a{}.b`)."""
    vals = [ev]
    for k in path.split("."):
        nxt = []
        for v in vals:
            if isinstance(v, list):
                v = [x.get(k) for x in v if isinstance(x, dict)]
                nxt.extend(x for x in v if x is not None)
            elif isinstance(v, dict) and v.get(k) is not None:
                nxt.append(v[k])
        vals = [y for x in nxt for y in (x if isinstance(x, list) else [x])]
    return vals


def one(ev, path):
    v = get(ev, path)
    return v[0] if v else None


def ts(ev):
    return datetime.datetime.fromisoformat(ev["published"].replace("Z", "+00:00"))


def targets(ev, ty, field):
    return [
        t.get(field)
        for t in ev.get("target") or []
        if isinstance(t, dict) and t.get("type") == ty
    ]


def mfa_downgrade(evs):
    n = 0
    for e in evs:
        t = e["target"][1] if len(e.get("target") or []) > 1 else {}
        ch = t.get("changeDetails") or {}
        try:
            f = json.loads(ch["from"]["policyRuleActionJson"])
            to = json.loads(ch["to"]["policyRuleActionJson"])
        except (KeyError, TypeError, ValueError):
            continue
        mode = lambda j: ((j.get("appSignOn") or {}).get("verificationMethod") or {}).get(
            "factorMode"
        )
        n += mode(f) == "2FA" and mode(to) == "1FA"
    return n


# A standard hostname in the generated org: ORG-LT-12345 or ORG-MB-12345 (the query's regex is the
# org's to write; this is the one the generator's org uses).
STANDARD_HOST = re.compile(r"^[A-Z]+-(LT|MB|WS)-\d{5}$")


def nonstandard_host(evs):
    hosts = set()
    for e in evs:
        if e.get("client", {}).get("device") != "Computer":
            continue  # the query's optional refinement: computers only
        for h in targets(e, "Device", "displayName"):
            if h and not STANDARD_HOST.match(h):
                hosts.add(h)
    return len(hosts)


def distinct_actors_by(evs, key, at_least):
    users = collections.defaultdict(set)
    for e in evs:
        for k in key(e):
            users[k].add(e["actor"]["id"])
    return sum(len(u) >= at_least for u in users.values())


def verify_push_mismatch(evs):
    """Per session: pushes from one IP, answers from another; New Device and New IP at the
    source; ratio of successes to pushes below 0.5 with more than 2 pushes, or any rejection."""
    by = collections.defaultdict(list)
    for e in evs:
        by[e["authenticationContext"]["externalSessionId"]].append(e)
    n = 0
    for es in by.values():
        push = [e for e in es if e["eventType"] == "system.push.send_factor_verify_push"]
        mfa = [e for e in es if e["eventType"] == "user.authentication.auth_via_mfa"]
        pushes = sum(e["outcome"]["result"] == "SUCCESS" for e in push)
        ok = sum(e["outcome"]["result"] == "SUCCESS" for e in mfa)
        rejected = sum(e["outcome"]["result"] == "FAILURE" for e in mfa)
        beh = lambda e: e["debugContext"]["debugData"].get("behaviors", "")
        dev = sum("New Device=POSITIVE" in beh(e) for e in push)
        ip = sum("New IP=POSITIVE" in beh(e) for e in push)
        dc_ip = len({e["client"]["ipAddress"] for e in es})
        ratio = ok / pushes if pushes else None
        hit = (ratio is not None and ratio < 0.5 and pushes > 2) or rejected > 0
        n += hit and dc_ip > 1 and dev > 0 and ip > 0
    return n


def failed_app_requests(evs):
    """Per session, user and IP: distinct apps challenged, SSO successes; more than 2 apps
    challenged and fewer successes than half of them."""
    per = collections.defaultdict(lambda: [set(), 0])
    for e in evs:
        k = (
            e["authenticationContext"]["externalSessionId"],
            e["actor"]["alternateId"],
            e["client"]["ipAddress"],
        )
        if e["eventType"] == "policy.evaluate_sign_on":
            per[k][0].update(targets(e, "AppInstance", "displayName"))
        else:
            per[k][1] += 1
    return sum(len(c) > 2 and s / len(c) < 0.5 for c, s in per.values() if c)


def rapid_app_access(evs):
    """Per user and 1-minute bucket (Splunk's `bin _time span=1m`): 10 or more distinct apps."""
    apps = collections.defaultdict(set)
    for e in evs:
        t = ts(e).replace(second=0, microsecond=0)
        apps[(e["actor"]["id"], t)].update(targets(e, "AppInstance", "alternateId"))
    return sum(len(a) >= 10 for a in apps.values())


def mfa_abandonment(evs):
    """Per client IP: one user and more than 5 events, or more than 5 users, or a proxy."""
    per = collections.defaultdict(list)
    for e in evs:
        per[e["client"]["ipAddress"]].append(e)
    n = 0
    for es in per.values():
        users = {e["actor"]["id"] for e in es}
        proxy = any(e["securityContext"].get("isProxy") is True for e in es)
        n += (len(users) == 1 and len(es) > 5) or len(users) > 5 or proxy
    return n


def session_cookie(evs):
    """Per device-token hash and user: more than one IP and more than one OS or browser."""
    per = collections.defaultdict(list)
    for e in evs:
        dt = e["debugContext"]["debugData"].get("dtHash")
        per[(dt, e["actor"]["alternateId"])].append(e)
    n = 0
    for es in per.values():
        ua = [e["client"]["userAgent"] for e in es]
        n += len({e["client"]["ipAddress"] for e in es}) > 1 and (
            len({u["os"] for u in ua}) > 1 or len({u["browser"] for u in ua}) > 1
        )
    return n


SPLUNK = {
    "authentication_policy_mfa_downgrade.yml": (
        'eventType eq "policy.rule.update" and outcome.result eq "SUCCESS"',
        "rule updates from 2FA to 1FA",
        mfa_downgrade,
    ),
    "device_enrolled_with_nonstandard_hostname.yml": (
        'eventType eq "device.user.add" or eventType eq "device.enrollment.create"',
        "computers whose hostname is not ORG-LT/MB/WS-NNNNN",
        nonstandard_host,
    ),
    "device_registered_to_multiple_users.yml": (
        'eventType eq "device.user.add"',
        "devices (oktaDeviceId) added to 2+ users",
        lambda evs: distinct_actors_by(
            evs, lambda e: get(e, "target.detailEntry.oktaDeviceId"), 2
        ),
    ),
    "mismatch_between_source_and_response_okta_verify_push.yml": (
        'eventType eq "system.push.send_factor_verify_push" or (eventType eq '
        '"user.authentication.auth_via_mfa" and debugContext.debugData.factor eq "OKTA_VERIFY_PUSH")',
        "sessions: push and answer from different IPs, new device and IP at the source",
        verify_push_mismatch,
    ),
    "multiple_failed_requests_to_access_okta_applications.yml": (
        'target.type eq "AppInstance" and ((eventType eq "policy.evaluate_sign_on" and '
        'outcome.result eq "CHALLENGE") or (eventType eq "user.authentication.sso" and '
        'outcome.result eq "SUCCESS"))',
        "sessions with 3+ apps challenged, < half passed",
        failed_app_requests,
    ),
    "phone_number_registered_to_multiple_users.yml": (
        'eventType eq "system.sms.send_phone_verification_message"',
        "phone numbers (MobilePhone target) of 2+ users",
        lambda evs: distinct_actors_by(evs, lambda e: targets(e, "MobilePhone", "id"), 2),
    ),
    "rapid_application_access.yml": (
        'eventType eq "user.authentication.sso" and debugContext.debugData.initiationType eq '
        '"IDP_INITIATED" and outcome.result eq "SUCCESS"',
        "user-minutes with 10+ distinct apps",
        rapid_app_access,
    ),
    "suspicious_mfa_abandonment.yml": (
        'eventType eq "user.authentication.auth_via_mfa" and (outcome.result eq "UNANSWERED" '
        'or outcome.result eq "ABANDONED")',
        "client IPs: 1 user > 5 times, > 5 users, or a proxy",
        mfa_abandonment,
    ),
    "suspicious_use_of_an_Okta_Session_Cookie.yml": (
        'eventType eq "policy.evaluate_sign_on" and (outcome.result eq "ALLOW" or '
        'outcome.result eq "SUCCESS")',
        "(dtHash, user) with 2+ IPs and 2+ OSes or browsers",
        session_cookie,
    ),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument(
        "--catalogue",
        default=os.path.join(ROOT, "..", "shared", "rules", "okta-customer-detections"),
    )
    ap.add_argument("--oktaql", default=os.path.join(ROOT, "target", "release", "oktaql"))
    a = ap.parse_args()

    rules = []
    for sub in ("detections", "hunts"):
        d = os.path.join(a.catalogue, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".yml"):
                with open(os.path.join(d, name), encoding="utf-8") as fh:
                    rules.append((sub, name, oie_filter(fh.read())))
    if not rules:
        sys.exit(f"catalogue_counts: no rules in {a.catalogue}")

    print("| rule file | events | note |")
    print("|---|---:|---|")
    for sub, name, flt in rules:
        if flt is None:
            continue
        f, note = rewrite(flt)
        n = count(a.oktaql, f, a.file)
        if re.search(r"(^|[ (])result eq", f):
            fixed = re.sub(r"(^|[ (])result eq", r"\1outcome.result eq", f)
            note = f"reads `result`, which no event has; with `outcome.result`: {count(a.oktaql, fixed, a.file)}"
        print(f"| {sub}/{name} | {n:,} | {note} |")

    print()
    print("| rule file (Splunk only) | raw events | over the threshold |")
    print("|---|---:|---|")
    for sub, name, flt in rules:
        if flt is not None:
            continue
        if name not in SPLUNK:
            sys.exit(f"catalogue_counts: no reading of the Splunk rule {name}")
        raw, what, fn = SPLUNK[name]
        evs = select(a.oktaql, raw, a.file)
        print(f"| {sub}/{name} | {len(evs):,} | {fn(evs)} {what} |")


if __name__ == "__main__":
    main()
