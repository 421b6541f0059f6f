"""The type stubs match the extension module (mypy's stubtest), and typed code checks against them."""

import subprocess
import sys
import textwrap

from conftest import REPO


def mypy(*args, cwd):
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def test_stubs_match_the_runtime(tmp_path):
    # Run outside the repository, so that the installed package is the one checked.
    r = mypy("mypy.stubtest", "oktaql",
             "--allowlist", str(REPO / "python" / "stubtest-allowlist.txt"),
             "--mypy-config-file", str(write_config(tmp_path)), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def write_config(tmp_path):
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\n")
    return config


def test_typed_code_checks(tmp_path):
    code = tmp_path / "use.py"
    code.write_text(textwrap.dedent('''
        import datetime
        from typing import Iterator, List, Optional, Tuple
        import oktaql

        f: oktaql.Filter = oktaql.Filter("a eq 1", ignore_case=True, since=datetime.date(2025, 1, 1))
        ok: bool = f.matches({"a": 1}) and f.matches_json(b"{}") and f.matches_json("{}")
        lines: Iterator[str] = f.filter_lines(["{}"], errors="warn")
        events: List[bytes] = list(f.filter_file("x.ndjson"))
        offset: int = oktaql.ParseError().offset
        text: str = str(f)

        rs: oktaql.RuleSet = oktaql.RuleSet(["a.yml"], level="high", only="x", since=datetime.date(2025, 1, 1))
        ids: List[str] = rs.matches({"a": 1}) + rs.matches_json(b"{}") + oktaql.RuleSet(yaml="").matches_json("{}")
        pairs: List[Tuple[List[str], bytes]] = list(rs.filter_file("x.ndjson", errors="warn", threads=2))
        rule: oktaql.Rule = rs.rules[0]
        level: Optional[str] = rule.level
        line: int = rule.line + len(rs)
        problems: Tuple[oktaql.RuleProblem, ...] = rs.problems + oktaql.RuleError().problems
        column: Optional[int] = problems[0].column
        rules: List[oktaql.Rule] = list(rs)
    '''))
    r = mypy("mypy", "--strict", "--config-file", str(write_config(tmp_path)), str(code), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    bad = tmp_path / "bad.py"
    bad.write_text('import oktaql\noktaql.Filter("a pr").matches_json(1)\noktaql.Filter("a pr", errors="x")\n'
                   'oktaql.RuleSet("a.yml", level="severe")\nb: bool = oktaql.RuleSet("a.yml").matches({})\n')
    r = mypy("mypy", "--config-file", str(write_config(tmp_path)), str(bad), cwd=tmp_path)
    assert r.returncode == 1 and r.stdout.count("error:") == 4, r.stdout
