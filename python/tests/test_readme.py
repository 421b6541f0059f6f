"""The README's Python section runs: each ```python block in order, in one namespace, from the
repository's root (so its paths resolve), with `spark` a local SparkSession. A ```text block right
after a python block is what the block must print."""

import contextlib
import io
import os
import re

from conftest import REPO


def python_blocks():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.S)
    out = []
    for i, (lang, body) in enumerate(blocks):
        if lang == "python":
            expected = blocks[i + 1][1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" else None
            out.append((body, expected))
    return section, out


def test_readme_python_examples_run(spark, monkeypatch):
    section, blocks = python_blocks()
    assert len(blocks) == 4, "a detection function, a notebook filter over a file, a rule set, the PySpark helper"
    assert "pip install ./python" in section
    monkeypatch.chdir(REPO)
    namespace = {"spark": spark}
    for body, expected in blocks:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(body, "README.md", "exec"), namespace)
        if expected is not None:
            assert printed.getvalue() == expected, body
