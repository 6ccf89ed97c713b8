"""`kpilang eval` on the normative example's data with one row broken: the person a rejected row
may belong to gets an explained error instead of `ok`, everyone does when whose it is cannot be
told, and rows of people unknown to managers are said in the summary and the JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DATA = ROOT / "examples" / "cold_sales" / "data"
# A July call of m1's, line 10 of activities.csv.
ROW = "a0009,m1,call,2026-07-01T09:09:46+03:00,284,done"
EVALUATED = ["m1", "m2", "m3", "m4"]


def broken(tmp_path: Path, replacement: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    activities = data / "activities.csv"
    text = activities.read_bytes().decode("utf-8")
    assert ROW + "\r\n" in text
    activities.write_bytes(text.replace(ROW + "\r\n", replacement + "\r\n").encode("utf-8"))
    return data


def run(data: Path, *options: str):
    result = CliRunner().invoke(
        main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-07", *options])
    assert result.exit_code == 1, result.output
    return result


def people(result) -> dict[str, dict]:
    return {p["manager_id"]: p for p in json.loads(result.stdout)["results"]}


@pytest.mark.parametrize("replacement", [ROW + ",extra,more", ROW.replace("a0009", "a,0009"), ROW[:20]])
def test_a_row_of_m1_that_cannot_be_split_stops_m1s_pay_with_the_row_named(tmp_path, replacement):
    result = run(broken(tmp_path, replacement), "--format", "json")
    results = people(result)
    m1 = results["m1"]
    assert m1["pays"]["total"] is None
    [error] = m1["errors"]
    assert error["code"] == "rejected_data" and error["line"] == 10
    assert "row 10 of activities.csv" in error["message"]
    assert all(not results[p]["errors"] for p in ("m2", "m3", "m4"))


def test_a_row_whose_owner_cannot_be_told_stops_everyones_pay(tmp_path):
    result = run(broken(tmp_path, ROW.replace(",m1,", ",,")))
    # Every evaluated person is in error, each with the file, the line and why.
    for person in EVALUATED:
        line = next(x for x in result.stdout.splitlines() if x.startswith(f"│ {person} "))
        assert "1 error" in line, line
    said = [x for x in result.stdout.splitlines() if x.startswith(("m1 data:", "m3 data:"))]
    assert len(said) == 2
    for line in said:
        assert "table activities (activities.csv) is incomplete" in line
        assert "lines 10" in line and "cannot be told" in line
    assert "4 person(s) evaluated for 2026-07: 0 paid, 4 refused (errors)" in result.stderr


def test_a_near_miss_id_stops_that_persons_pay(tmp_path):
    result = run(broken(tmp_path, ROW.replace(",m1,", ",M1,")), "--format", "json")
    m1 = people(result)["m1"]
    assert m1["pays"]["total"] is None
    assert "differs from m1 only in letter case" in m1["errors"][0]["message"]


def test_rows_of_unknown_people_are_in_the_summary_and_the_json(tmp_path):
    data = broken(tmp_path, ROW.replace(",m1,", ",m99,"))
    table = run(data)
    expected = ("1 rejected row(s) name a manager_id that is not in managers (activities: 1); "
                "4 person(s) were paid while they exist")
    assert expected in table.stdout  # below the table
    lines = table.stderr.strip().splitlines()
    assert expected in lines[-2] and lines[-1].startswith("4 person(s) evaluated")
    report = json.loads(run(data, "--format", "json").stdout)
    # m1 lost a call but has no error: paid, and listed as such.
    assert report["paid_despite_unknown_people"] == EVALUATED
    activities = next(t for t in report["tables"] if t["table"] == "activities")
    assert activities["rows_of_unknown_people"] == 1


def test_every_statement_lists_a_row_whose_owner_cannot_be_told(tmp_path):
    data = broken(tmp_path, ROW.replace(",m1,", ",,"))
    result = CliRunner().invoke(main, ["explain", str(PLAN), "--data", str(data), "--period", "2026-07",
                                       "--manager", "m3", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "table activities (activities.csv) is incomplete" in result.stdout
    assert f"{data / 'activities.csv'}, row 10, column manager_id: rejected" in result.stdout
