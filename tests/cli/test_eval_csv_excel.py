"""`eval --format csv-excel`: the CSV that Russian Excel and 1C open by a double click (`;`, a
decimal comma, UTF-8 with a BOM, CRLF), with the same columns and figures as `--format csv`; and
the rounding of shares for people, which both CSV dialects share while the JSON keeps every digit."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, strategies as st

from kpilang.cli import main
from kpilang.payouts.people import share

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DEMO = ROOT / "examples" / "demo"
SHARES = ("attainment", "contribution")


def _eval(fmt: str, tmp_path=None):
    options = ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07", "--format", fmt]
    if tmp_path is not None:
        options += ["--out", str(tmp_path / "july.csv")]
    return CliRunner().invoke(main, options)


def _json_figures() -> dict[str, dict[str, str | None]]:
    """Each person's figures from the JSON, under the CSV's column names."""
    report = json.loads(_eval("json").stdout)
    people = {}
    for p in report["results"]:
        row: dict[str, str | None] = dict(p["metrics"])
        for name, kpi in p["kpis"].items():
            row |= {f"{name}.{part}": kpi[part] for part in ("value", "target", *SHARES)}
        people[p["manager_id"]] = row | {"kpi_score": p["kpi_score"]} | p["pays"]
    return people


def test_the_excel_dialect_is_bom_semicolons_crlf(tmp_path):
    result = _eval("csv-excel", tmp_path)
    assert result.exit_code == 1, result.output  # the demo has rejected rows
    raw = (tmp_path / "july.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfmanager_id;name;calls;")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and not any(b"\n" in line for line in lines)
    assert len(lines) == 1 + 10 + 1


def test_the_excel_csv_read_back_equals_the_json_figures(tmp_path):
    _eval("csv-excel", tmp_path)
    text = (tmp_path / "july.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    expected = _json_figures()
    assert [r["manager_id"] for r in rows] == sorted(expected)
    compared = 0
    for row in rows:
        for column, exact in expected[row["manager_id"]].items():
            cell = row[column]
            if exact is None:
                assert cell == "", (row["manager_id"], column)  # never a zero for a missing figure
                continue
            assert "." not in cell and " " not in cell, cell  # a decimal comma, no grouping
            value = Decimal(cell.replace(",", "."))
            rounded = column.endswith(SHARES) or column == "kpi_score"
            assert value == (share(Decimal(exact)) if rounded else Decimal(exact)), (row["manager_id"], column)
            compared += 1
    assert compared == 8 * 22  # the eight people paid, 22 figures each


def test_both_dialects_have_the_same_cells_but_for_the_decimal_mark():
    plain = list(csv.reader(io.StringIO(_eval("csv").stdout)))
    excel = list(csv.reader(io.StringIO(_eval("csv-excel").stdout.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert plain[0] == excel[0]
    for p_row, e_row in zip(plain[1:], excel[1:], strict=True):
        figures = slice(2, -1)  # between the name and the errors
        assert [c.replace(".", ",") for c in p_row[figures]] == e_row[figures]
        assert (p_row[:2], p_row[-1]) == (e_row[:2], e_row[-1])


def test_shares_are_rounded_for_people_but_exact_in_json():
    m1_plain = next(csv.DictReader(io.StringIO(_eval("csv").stdout)))
    m1_json = json.loads(_eval("json").stdout)["results"][0]
    exact = m1_json["kpis"]["meeting_rate"]["attainment"]
    assert Decimal(exact) != Decimal(m1_plain["meeting_rate.attainment"])  # the JSON keeps every digit
    assert m1_plain["meeting_rate.attainment"] == format(share(Decimal(exact)), "f")
    assert len(m1_plain["kpi_score"].split(".")[1]) == 3


def test_shares_round_half_up_to_a_tenth_of_a_percent():
    assert share(Decimal("1.1500005")) == Decimal("1.150")
    assert share(Decimal("0.0005")) == Decimal("0.001")  # half up, not to even
    assert share(Decimal("0.0025")) == Decimal("0.003")
    assert share(Decimal("-0.0005")) == Decimal("-0.001")
    assert share(None) is None


@given(st.decimals(min_value=-100, max_value=100, allow_nan=False, places=12))
def test_a_rounded_share_is_the_nearest_tenth_of_a_percent(value):
    rounded = share(value)
    assert rounded.as_tuple().exponent == -3
    assert abs(rounded - value) <= Decimal("0.0005")
    if abs(rounded - value) == Decimal("0.0005"):
        assert abs(rounded) > abs(value)  # a half goes away from zero
