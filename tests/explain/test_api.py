"""The façade: `kpilang.explain(report, ...)`, and `import kpilang` staying light."""

from __future__ import annotations

import subprocess
import sys

import kpilang


def test_facade_explains_a_report(normative_report, tmp_path):
    rendered = kpilang.explain(normative_report, lang="en", fmt="md", managers=["m1"])
    assert [s.manager_id for s in rendered.statements] == ["m1"]
    assert "# Pay statement: Анна Иванова (m1)" in rendered.statements[0].text
    written = rendered.write(tmp_path)
    assert [p.name for p in written] == ["m1.md", "index.md"]


def test_import_kpilang_does_not_load_the_statement_machinery():
    code = "import sys, kpilang; print(sorted(m for m in ('jinja2', 'babel') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_file_names_are_safe_and_distinct():
    from kpilang.explain import file_stem

    assert file_stem("m1") == "m1"
    odd = [file_stem(i) for i in ("a/b", "a_b", "../x", "index", "")]
    assert odd[1] == "a_b" and odd[0] != "a_b"
    assert all("/" not in s and not s.startswith(".") and s for s in odd)
    assert odd[3] != "index"  # never overwrites the index page
