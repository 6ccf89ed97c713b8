"""Every figure `kpilang eval --format json` gives for a person appears in that person's statement,
formatted the way the statement formats it (the same Babel formatter, the same kind of figure)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.explain import FORMATS, FigureKinds, LocaleFormat, build_statements, render_statements

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
        missing = {key: shown for key, shown in expected_figures(person, kinds, fmt).items() if shown not in text}
        assert not missing, f"{person['manager_id']} ({lang}, {out_format}) lacks {missing}"


def test_the_formatting_keeps_every_digit():
    """A figure is never shown rounded: the digits of the formatted text are the exact decimal's."""
    for lang in ("ru", "en"):
        fmt = LocaleFormat(lang, "RUB")
        assert "1150000,50" in fmt.figure(Decimal("1150000.50"), "money").replace("\xa0", "").replace(" ", "") \
            or "1,150,000.50" in fmt.figure(Decimal("1150000.50"), "money")
        assert "105" in fmt.figure(Decimal("1.05000025"), "percent")
        digits = "".join(c for c in fmt.figure(Decimal("1.05000025"), "percent") if c.isdigit())
        assert digits == "105000025"
