#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ for the fuzz targets.

Sources (all read-only):
- events: tests/data/corpus/*.ndjson in the repository (override with
  OKTAQL_CORPUS=<dir>);
- filters: filters-public.tsv from the same directory (first column, with the
  trailing "[annotation]" removed), every filter of tests/cases/*.txt, and
  the "filter" strings of tests/data/vectors/*.jsonl;
- tests/regression/<target>/*: every saved regression input.

parse gets every filter; eval and differential get "filter\\nevent" pairs
(every filter with one event, every event with one filter, re-spelled
events: \\u escapes, \\/ and shuffled keys, and every match/nomatch case of
tests/cases with its event); roundtrip gets the filter texts
as raw bytes. Files are named by content hash, so re-running only adds.
Standard library only; deterministic (fixed seed).
"""

import glob
import gzip
import hashlib
import json
import os
import random
import re
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
TARGETS = ["parse", "roundtrip", "eval", "differential", "reader", "sql", "rules"]


def corpus_dir():
    if os.environ.get("OKTAQL_CORPUS"):
        return os.environ["OKTAQL_CORPUS"]
    return os.path.join(ROOT, "tests", "data", "corpus")


def read_events(src):
    events = []
    for path in sorted(glob.glob(os.path.join(src, "*.ndjson"))):
        with open(path, "rb") as f:
            events.extend(line.rstrip(b"\r\n") for line in f if line.strip())
    return events


ANNOTATION = re.compile(r"\s+\[[^\]]*\]\s*$")


def tsv_filters(src):
    out = []
    path = os.path.join(src, "filters-public.tsv")
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            text = line.rstrip("\n").split("\t")[0]
            out.append(ANNOTATION.sub("", text))
    return out


def cases():
    """tests/cases/*.txt (format documented in tests/cases.rs): returns the
    filters of every directive, and (filter, event) pairs for match/nomatch
    lines with the event line in force."""
    filters, pairs = [], []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "cases", "*.txt"))):
        event = None
        with open(path, "rb") as f:
            for raw in f:
                line = raw.rstrip(b"\r\n")
                if not line.strip() or line.lstrip().startswith(b"#"):
                    continue
                word, _, rest = line.partition(b" ")
                text = None
                if word == b"event":
                    event = rest
                elif word in (b"match", b"nomatch", b"match-i", b"nomatch-i"):
                    text = rest
                    if event is not None:
                        pairs.append((text.decode("utf-8", "replace"), event))
                elif word == b"error":  # error <offset> <Kind> <filter>
                    parts = rest.split(b" ", 2)
                    text = parts[2] if len(parts) == 3 else b""
                elif word == b"error-limit":  # error-limit <n> <offset> <Kind> <filter>
                    parts = rest.split(b" ", 3)
                    text = parts[3] if len(parts) == 4 else b""
                elif word == b"ok-limit":  # ok-limit <n> <filter>
                    text = rest.partition(b" ")[2]
                elif word == b"print":  # print <filter> => <canonical>
                    text = rest.partition(b" => ")[0]
                if text is not None:
                    filters.append(text.decode("utf-8", "replace"))
    return filters, pairs


def vector_filters():
    out = []
    vectors = os.path.join(ROOT, "tests", "data", "vectors")
    for path in sorted(glob.glob(os.path.join(vectors, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("filter"), str):
                    out.append(rec["filter"])
    return out


def respellings(event, rng):
    """The same event spelled differently: \\u escapes for non-ASCII and
    control characters, escaped slashes, shuffled keys."""
    try:
        value = json.loads(event)
    except ValueError:
        return []

    def shuffle(v):
        if isinstance(v, dict):
            items = [(k, shuffle(x)) for k, x in v.items()]
            rng.shuffle(items)
            return dict(items)
        if isinstance(v, list):
            return [shuffle(x) for x in v]
        return v

    ascii_text = json.dumps(shuffle(value), ensure_ascii=True, separators=(",", ":")).encode()
    return [ascii_text, ascii_text.replace(b"/", b"\\/")]


def write(target, data, written):
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(name):
        with open(name, "wb") as f:
            f.write(data)
        written[target] = written.get(target, 0) + 1


def zstd_raw_frame(text):
    """A zstd frame of raw (stored) blocks of 64 bytes, no checksum."""
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out.append(0b1010_0000)  # single segment, 4-byte content size
    out += len(text).to_bytes(4, "little")
    chunks = [text[i : i + 64] for i in range(0, len(text), 64)] or [b""]
    for n, c in enumerate(chunks):
        header = int(n + 1 == len(chunks)) | (len(c) << 3)
        out += header.to_bytes(3, "little") + c
    return bytes(out)


def main():
    rng = random.Random(20240501)
    src = corpus_dir()
    events = read_events(src)
    case_texts, case_pairs = cases()
    filters = tsv_filters(src) + case_texts
    vectors = vector_filters()
    if not events or not filters:
        sys.exit(f"seed.py: no events or filters found under {src}")
    # Filters are one line by construction of the eval/differential input.
    filters = [f for f in dict.fromkeys(filters) if "\n" not in f]
    vectors = [f for f in dict.fromkeys(vectors) if "\n" not in f]
    written = {}

    for f in filters + vectors:
        write("parse", f.encode(), written)
        write("roundtrip", f.encode(), written)
        write("sql", f.encode(), written)

    pairs = []
    for i, f in enumerate(filters):
        pairs.append((f, events[i % len(events)]))
    for i, e in enumerate(events):
        f = filters[(i * 7 + 3) % len(filters)]
        pairs.append((f, e))
        for spelled in respellings(e, rng)[: 1 + i % 2]:
            pairs.append((filters[(i * 11 + 5) % len(filters)], spelled))
    pairs.extend(case_pairs)
    for f, e in pairs:
        data = f.encode() + b"\n" + e
        write("eval", data, written)
        write("differential", data, written)

    # reader: a batch-size byte, then a few events in each shape (NDJSON,
    # pretty-printed, arrays, mixed, cut short).
    for i in range(0, max(len(events) - 3, 1), 3):
        group = [json.loads(e) for e in events[i : i + 3] if e.strip()]
        if not group:
            continue
        ndjson = b"".join(json.dumps(v).encode() + b"\n" for v in group)
        pretty = b"".join(json.dumps(v, indent=2).encode() + b"\n" for v in group)
        array = json.dumps(group, indent=1).encode() + b"\n"
        mixed = array + ndjson + pretty
        for k, text in enumerate([ndjson, pretty, array, mixed, mixed[: len(mixed) * 2 // 3]]):
            write("reader", bytes([(i + k * 37) % 256]) + text, written)
        if i < 30:
            # Compressed: gzip members, zstd frames of raw blocks (whole and
            # cut), so the decoders and the zstd block feeding are reached.
            gz = gzip.compress(mixed)
            zst = zstd_raw_frame(ndjson) + zstd_raw_frame(pretty)
            for k, data in enumerate([gz, gz[: len(gz) // 2], zst, zst[: len(zst) * 2 // 3]]):
                write("reader", bytes([(i + k * 41) % 256]) + data, written)
        if i > 300:
            break
    fixture = os.path.join(ROOT, "tests", "data", "zstd", "events-20k.ndjson.zst")
    if os.path.exists(fixture):
        with open(fixture, "rb") as fh:
            zst = fh.read()
        # A real compressed frame, cut short (the reader's events are small).
        write("reader", bytes([64]) + zst[:7000], written)

    # rules: the shipped rule files, the Okta catalogue and SigmaHQ's Okta
    # rules (each a rule file as users have them), the synthetic Sigma rules,
    # and each filter as a one-line rule.
    for pattern in (
        "examples/rules/*.yml",
        "tests/data/rules/*/*/*.yml",
        "tests/data/rules/sigma/**/*.yml",
        "tests/sigma/rules/*.yml",
    ):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            with open(path, "rb") as fh:
                write("rules", fh.read(), written)
    for i, f in enumerate(filters[:200]):
        rule = "title: t%d\nid: r%d\nlevel: high\nfilter: %s\n" % (i, i, json.dumps(f))
        write("rules", rule.encode(), written)

    for target in TARGETS:
        for path in sorted(glob.glob(os.path.join(ROOT, "tests", "regression", target, "*"))):
            name = os.path.basename(path)
            if os.path.isfile(path) and not name.startswith(("README", ".")) and not name.endswith(".rs"):
                with open(path, "rb") as fh:
                    write(target, fh.read(), written)

    total = {t: len(os.listdir(os.path.join(FUZZ, "corpus", t))) for t in TARGETS}
    print(
        f"seeded from {src}: {len(events)} events, {len(filters)} filters (+{len(vectors)} from vectors); "
        + ", ".join(f"{t} {total[t]} (+{written.get(t, 0)})" for t in TARGETS)
    )


if __name__ == "__main__":
    main()
