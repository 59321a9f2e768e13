"""The README's Python example runs and prints what its comments say."""
import contextlib
import io
import os
import re

from conftest import ROOT


def test_the_readme_python_example(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Python\n"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CIVRULES_POLICY", raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    # GZ-0001: 1282 x 3 - 1000 (民发〔2021〕57号 第十四条); the caseload's dibao: GZ-C1 1282 x 2 - 1000
    assert out.getvalue() == "2846.00\n1564.00\n"
