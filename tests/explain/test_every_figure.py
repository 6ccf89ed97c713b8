"""Every figure `kpilang eval --format json` gives for a person appears in that person's statement,
formatted the way the statement formats it (the same Babel formatter, the same kind of figure):
money and counts exactly, other figures as their documented display rounding (`≈ 36,11 %`), and
in HTML with the exact decimal alongside (`<data value="0.3611…" title="36,111…%">`)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.explain import FORMATS, FigureKinds, LocaleFormat, build_statements, render_statements
from kpilang.explain.approx import html, plain

from .conftest import DATA, PERIOD, PLAN


@pytest.fixture(scope="module")
def eval_json():
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DATA), "--period", PERIOD, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected_figures(person: dict, kinds: FigureKinds, fmt: LocaleFormat) -> dict[str, str]:
    """Every number of one person in the eval JSON → how a statement shows it."""
    out: dict[str, str] = {}
    for name, value in person["metrics"].items():
        out[f"metrics.{name}"] = fmt.figure(Decimal(value), kinds.metric[name])
    for name, kpi in person["kpis"].items():
        out[f"{name}.value"] = fmt.figure(Decimal(kpi["value"]), kinds.kpi[name])
        out[f"{name}.target"] = fmt.figure(Decimal(kpi["target"]), kinds.kpi[name])
        for key in ("attainment", "weight", "contribution"):
            out[f"{name}.{key}"] = fmt.figure(Decimal(kpi[key]), "percent")
    out["kpi_score"] = fmt.figure(Decimal(person["kpi_score"]), "percent")
    for name, value in person["pays"].items():
        out[f"pays.{name}"] = fmt.figure(Decimal(value), "money")
    return out


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("out_format", list(FORMATS))
def test_every_eval_figure_is_in_the_statement(normative_report, eval_json, lang, out_format):
    kinds = FigureKinds(normative_report.program)
    fmt = LocaleFormat(lang, eval_json["currency"])
    statements = build_statements(normative_report, lang=lang)
    rendered = {d.manager_id: d.text for d in render_statements(statements, normative_report, fmt=out_format,
                                                                  lang=lang).statements}
    assert set(rendered) == {p["manager_id"] for p in eval_json["results"]}
    for person in eval_json["results"]:
        text = rendered[person["manager_id"]]
        as_written = html if out_format == "html" else plain
        missing = {key: str(as_written(shown)) for key, shown in expected_figures(person, kinds, fmt).items()
                   if str(as_written(shown)) not in text}
        assert not missing, f"{person['manager_id']} ({lang}, {out_format}) lacks {missing}"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_rounded_figures_keep_their_exact_value_in_html(normative_report, eval_json, lang):
    """An auditor reading the HTML finds every non-money figure's exact decimal, and the statement
    says once that ≈ figures are rounded for display only."""
    statements = build_statements(normative_report, lang=lang)
    rendered = {d.manager_id: d.text for d in render_statements(statements, normative_report, fmt="html",
                                                                  lang=lang).statements}
    rounded_somewhere = False
    for person in eval_json["results"]:
        text = rendered[person["manager_id"]]
        for kpi in person["kpis"].values():
            for key in ("attainment", "contribution"):
                exact = Decimal(kpi[key])
                if exact.normalize().as_tuple().exponent < -4:  # more than 2 decimals of a percent
                    rounded_somewhere = True
                    assert f'value="{format(exact, "f")}"' in text, (person["manager_id"], key, exact)
        assert ('<data class="approx"' in text) == ("approx-note" in text), person["manager_id"]
    if rounded_somewhere:
        assert any("approx-note" in t for t in rendered.values())


def test_money_keeps_every_digit_and_percents_are_rounded_for_display():
    """Money as paid, every digit; a percent to two decimals with ≈, its exact digits carried along."""
    for lang in ("ru", "en"):
        fmt = LocaleFormat(lang, "RUB")
        money = fmt.figure(Decimal("1150000.50"), "money")
        assert "".join(c for c in money if c.isdigit()) == "115000050"
        percent = fmt.figure(Decimal("1.05000025"), "percent")
        assert "".join(c for c in plain(percent) if c.isdigit()) == "105" and plain(percent).startswith("≈")
        assert "105000025" in "".join(c for c in percent if c.isdigit())
