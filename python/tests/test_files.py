"""Filter.filter_file: every input shape the command reads, order, bad values, errors."""

import gc
import gzip
import json
import warnings

import pytest

from oktaql import BadEventWarning, Filter, JsonError

from conftest import REPO, gz, ndjson, zstd_frame

EVENTS = [{"n": i, "eventType": "user.session.start" if i % 3 == 0 else "app.x", "s": "é" * (i % 4)} for i in range(30)]
SELECTED = [e for e in EVENTS if e["eventType"] == "user.session.start"]
F = Filter('eventType eq "user.session.start"')


def compact(e) -> bytes:
    return json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode()


def pick(path, **kw):
    return list(F.filter_file(path, **kw))


@pytest.fixture
def write(tmp_path):
    def write(name, data: bytes):
        p = tmp_path / name
        p.write_bytes(data)
        return p

    return write


def test_ndjson(write):
    p = write("e.ndjson", ndjson(EVENTS))
    got = pick(p)
    assert got == [compact(e) for e in SELECTED]
    assert all(type(b) is bytes for b in got)
    # str paths too, and lines as read: spacing inside an NDJSON line is kept.
    spaced = b"".join(json.dumps(e).encode() + b"\r\n" for e in EVENTS)
    assert pick(str(write("spaced.ndjson", spaced))) == [json.dumps(e).encode() for e in SELECTED]


@pytest.mark.parametrize("shape", ["gzip", "gzip members", "zstd", "array", "arrays", "pretty", "pages", "mixture", "utf16"])
def test_shapes(write, shape):
    text = ndjson(EVENTS)
    half = len(EVENTS) // 2
    data = {
        "gzip": gz(text),
        "gzip members": gz(ndjson(EVENTS[:half])) + gz(ndjson(EVENTS[half:])),
        "zstd": zstd_frame(ndjson(EVENTS[:half])) + zstd_frame(ndjson(EVENTS[half:])),
        "array": json.dumps(EVENTS).encode(),
        "arrays": json.dumps(EVENTS[:half]).encode() + b"\n" + json.dumps(EVENTS[half:]).encode(),
        "pretty": b"".join(json.dumps(e, indent=2, ensure_ascii=False).encode() + b"\n" for e in EVENTS),
        "pages": json.dumps([EVENTS[:10], EVENTS[10:20], EVENTS[20:]], indent=1).encode(),
        "mixture": json.dumps(EVENTS[:10], indent=2).encode() + b"\n" + ndjson(EVENTS[10:20])
        + b"".join(json.dumps(e, indent=4).encode() + b"\n" for e in EVENTS[20:]),
        "utf16": "\ufeff".encode("utf-16-le") + text.decode().encode("utf-16-le"),
    }[shape]
    got = pick(write(f"e.{shape}", data))
    # One event's JSON text each, on one line, in file order.
    assert [json.loads(b) for b in got] == SELECTED
    assert all(b"\n" not in b for b in got)


def test_many_batches_keep_file_order_and_agree_with_filter_lines(tmp_path):
    # About 6 MB: several batches of the reader, on several threads.
    events = [{"n": i, "eventType": ["a", "b", "user.session.start"][i % 3], "pad": "x" * (i % 200)} for i in range(40_000)]
    p = tmp_path / "big.ndjson"
    p.write_bytes(ndjson(events))
    expected = list(F.filter_lines(p.read_bytes().splitlines()))
    assert len(expected) == 13_333
    for threads in (None, 1, 3):
        assert pick(p, threads=threads) == expected
    # gzip of the same.
    g = tmp_path / "big.ndjson.gz"
    g.write_bytes(gzip.compress(p.read_bytes(), compresslevel=1))
    assert pick(g) == expected


def test_bad_values_raise_with_path_and_line_after_the_events_before(write):
    data = b"\n".join([
        b'{"eventType":"user.session.start","n":1}',
        b'{"eventType":"user.session.start","n":',  # line 2: truncated NDJSON line (starts with { but no })
        b'{"eventType":"user.session.start","n":3}',
    ]) + b"\n"
    p = write("bad.ndjson", data)
    got = []
    with pytest.raises(JsonError) as info:
        for e in F.filter_file(p):
            got.append(e)
    assert got == [b'{"eventType":"user.session.start","n":1}']
    e = info.value
    assert (e.path, e.line) == (str(p), 2)
    assert str(e).startswith(f"{p}:2: ")


def test_bad_values_warn_and_skip(write):
    data = (
        b'{"eventType":"user.session.start","n":1}\n'
        b'42\n'
        b'{"eventType":"user.session.start","n":1,}\n'
        b'[{"eventType":"user.session.start","n":4}, "x"]\n'
    )
    p = write("bad.json", data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = pick(p, errors="warn")
    assert [json.loads(e)["n"] for e in got] == [1, 4]
    messages = [str(w.message) for w in caught]
    assert all(w.category is BadEventWarning for w in caught)
    assert messages == [
        f"{p}:2: a number at the top level, not an object",
        f"{p}:3: unexpected byte in JSON at byte 40",
        f"{p}:4: an array element that is a string, not an object",
    ]


def test_odd_lines_keep_their_events_as_the_command_does(write):
    # Several values on one line, CR-only line ends, byte-order marks at line
    # starts (`cat` of files written with one): every event is read (issue 19).
    one, two = b'{"eventType":"user.session.start","n":1}', b'{"eventType":"user.session.start","n":2}'
    bom = b"\xef\xbb\xbf"
    for data in (one + b" " + two + b"\n", one + b"\r" + two + b"\r", bom + one + b"\n" + bom + two + b"\n"):
        p = write("odd.ndjson", data)
        assert pick(p) == [one, two], data


def test_a_malformed_line_without_the_literals_is_skipped_unread_as_the_command_does(write):
    p = write("e.ndjson", b'{"eventType":"app.x",}\n{"eventType":"user.session.start"}\n')
    assert pick(p) == [b'{"eventType":"user.session.start"}']


def test_opening_errors_raise_at_the_call(tmp_path, write):
    with pytest.raises(FileNotFoundError) as info:
        F.filter_file(tmp_path / "missing.ndjson")
    assert info.value.filename == str(tmp_path / "missing.ndjson")
    assert info.value.strerror == "No such file or directory"
    with pytest.raises(IsADirectoryError) as info:
        F.filter_file(tmp_path)
    assert str(info.value) == f"[Errno 21] Is a directory: '{tmp_path}'"
    with pytest.raises(JsonError, match="not JSON text") as info:
        F.filter_file(write("x.zip", b"PK\x03\x04" + b"\0" * 100))
    assert info.value.path == str(tmp_path / "x.zip")
    with pytest.raises(ValueError, match="errors"):
        F.filter_file(write("e.ndjson", b"{}"), errors="ignore")
    with pytest.raises(ValueError, match="threads"):
        F.filter_file(write("e2.ndjson", b"{}"), threads=0)


def test_truncated_gzip_raises_after_the_events_before(write):
    body = gz(ndjson(EVENTS * 200))
    p = write("cut.ndjson.gz", body[: len(body) // 2])
    got = []
    with pytest.raises(OSError, match=r"cut\.ndjson\.gz: gzip: the compressed stream is truncated"):
        for e in F.filter_file(p):
            got.append(e)
    assert got and all(json.loads(e)["eventType"] == "user.session.start" for e in got)


def test_an_iterator_left_early_stops_its_threads(tmp_path):
    p = tmp_path / "big.ndjson"
    p.write_bytes(ndjson([{"eventType": "user.session.start", "n": i} for i in range(50_000)]))
    for _ in range(20):
        it = F.filter_file(p)
        assert json.loads(next(it))["n"] == 0
        del it
        gc.collect()
    # Exhausted iterators stay exhausted.
    it = F.filter_file(p, threads=2)
    assert sum(1 for _ in it) == 50_000
    assert next(it, None) is None


def test_the_sample_file(repo=REPO):
    f = Filter('eventType eq "user.session.start"')
    path = REPO / "examples" / "system-log.ndjson"
    by_lines = [line.encode() for line in f.filter_lines(path.read_text(encoding="utf-8").splitlines())]
    assert by_lines and list(f.filter_file(path)) == by_lines
