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



def _without_revenue_target_of_m0004(folder):
    """The cold-sales template's folder, with m0004's July revenue target removed; its report."""
    from click.testing import CliRunner

    from kpilang.cli import main

    assert CliRunner().invoke(main, ["init", "cold_sales", str(folder)]).exit_code == 0
    targets = folder / "data" / "targets.csv"
    rows = targets.read_bytes().split(b"\r\n")
    kept = [row for row in rows if not row.startswith(b"m0004,2026-07,revenue,")]
    assert len(kept) == len(rows) - 1
    targets.write_bytes(b"\r\n".join(kept))
    program = kpilang.load(folder / "cold_sales.kpi").program
    return kpilang.evaluate(program, folder / "data", "2026-07")


def test_a_missing_target_is_named_by_itself_not_by_the_formula_around_it(tmp_path):
    report = _without_revenue_target_of_m0004(tmp_path / "otdel")
    text = kpilang.explain(report, lang="en", managers=["m0004"]).statements[0].text
    # `commission = commission_tiers(revenue, targets.revenue)`: the target is what is missing
    assert "“Процент с продаж” was not computed: there is no target for this period (“targets.revenue”)." in text
    assert "“Выполнение плана по выручке” was not computed: there is no target for this period (“targets.revenue”)." \
        in text


def test_a_figure_not_computed_is_said_in_russian_whatever_the_gender_of_its_label(tmp_path):
    report = _without_revenue_target_of_m0004(tmp_path / "otdel")
    text = kpilang.explain(report, lang="ru", managers=["m0004"]).statements[0].text
    # «Процент с продаж» (masculine), «Премия за KPI» (feminine), «Итоговый KPI»: one wording fits all
    assert "Не удалось рассчитать «Процент с продаж»: нет цели на этот период («targets.revenue»)." in text
    assert "Не удалось рассчитать «Премия за KPI»: у одной из величин в «30% * salary * multiplier(kpi_score)» " \
        "нет значения." in text
    assert "» не рассчитано:" not in text


def test_the_python_example_of_the_statements_page_runs(tmp_path, monkeypatch):
    """docs/statements.md, "From Python", as a reader would paste it (in a folder from
    `kpilang init cold_sales`, whose plan sits next to data/ rather than in rules/)."""
    import re
    from pathlib import Path

    from click.testing import CliRunner

    from kpilang.cli import main

    page = Path(__file__).resolve().parents[2] / "docs" / "statements.md"
    example = re.search(r"## From Python\n\n```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S).group(1)
    assert CliRunner().invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    exec(example.replace('"rules/cold_sales.kpi"', '"cold_sales.kpi"'), {})
    written = sorted(p.name for p in (tmp_path / "otdel" / "statements").iterdir())
    assert "index.html" in written and "m0004.html" in written
