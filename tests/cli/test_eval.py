"""`kpilang eval`: the JSON contract, CSV and table output, --out, exit codes and messages."""

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import kpilang
from kpilang.change.fingerprint import fingerprint
from kpilang.cli import main

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"
GOLDEN = Path(__file__).resolve().parent / "test_eval_golden"


def run(*args):
    result = CliRunner().invoke(main, ["eval", *map(str, args)], catch_exceptions=False)
    return result


def normative(*extra):
    return run(NORMATIVE / "cold_sales.kpi", "--data", NORMATIVE / "data", "--period", "2026-07", *extra)


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", target)
    return target


def test_json_contract_on_the_normative_example():
    result = normative("--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out)[:8] == ["plan", "plan_sha256", "period", "currency", "results", "skipped", "data_problems", "tables"]
    program = kpilang.load(NORMATIVE / "cold_sales.kpi").program
    assert out["plan"] == "cold_sales" and out["period"] == "2026-07" and out["currency"] == "RUB"
    assert out["plan_sha256"] == fingerprint(program)
    m1 = out["results"][0]
    assert list(m1) == ["manager_id", "name", "metrics", "kpis", "kpi_score", "pays", "errors"]
    assert m1["manager_id"] == "m1" and m1["name"] == "Анна Иванова"
    assert m1["metrics"]["revenue"] == "1150000.50"
    assert m1["kpis"]["revenue_plan"] == {"value": "1150000.50", "target": "1000000", "attainment": "1.1500005",
                                          "weight": "0.5", "contribution": "0.57500025"}
    assert m1["kpi_score"] == "1.05000025"
    assert m1["pays"] == {"bonus": "72000.00", "commission": "23000.01", "total": "155000.01"}
    assert m1["errors"] == []
    assert out["skipped"] == [
        {"manager_id": "h1", "code": "role_not_in_plan", "reason": "role head is not in this plan"},
        {"manager_id": "m5", "code": "role_not_in_plan", "reason": "role inbound is not in this plan"}]
    assert out["data_problems"] == []


def test_every_number_is_a_string_in_plain_notation():
    out = json.loads(normative("--format", "json").stdout)

    def numbers(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from numbers(v)
        elif isinstance(value, list):
            for v in value:
                yield from numbers(v)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield value

    assert list(numbers(out["results"])) == []
    m4 = next(r for r in out["results"] if r["manager_id"] == "m4")
    # 0 / 0.08, clamped: the contract wants an exact decimal, and plain text reads better than 0E+2.
    assert Decimal(m4["kpis"]["meeting_rate"]["attainment"]) == 0
    assert "E" not in json.dumps(out["results"])


def test_rerun_is_byte_identical():
    first, second = normative("--format", "json"), normative("--format", "json")
    assert first.stdout_bytes == second.stdout_bytes


def test_json_golden(golden, monkeypatch):
    # Relative paths, as a user types them: the golden file must not depend on where the
    # repository is checked out.
    root = NORMATIVE.parents[2]
    monkeypatch.chdir(root)
    relative = NORMATIVE.relative_to(root)
    result = run(relative / "cold_sales.kpi", "--data", relative / "data", "--period", "2026-07", "--format", "json")
    golden(GOLDEN / "normative.json", result.stdout)


def test_csv_one_row_per_person(golden):
    result = normative("--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["manager_id"] for r in rows] == ["m1", "m2", "m3", "m4"]
    assert rows[0]["total"] == "155000.01" and rows[0]["revenue_plan.attainment"] == "1.150"
    assert rows[1]["kpi_score"] == "0.700" and rows[0]["errors"] == ""
    golden(GOLDEN / "normative.csv", result.stdout)


def test_table_format():
    result = normative()
    assert result.exit_code == 0
    assert "Анна Иванова" in result.stdout and "155,000.01" in result.stdout and "115.0%" in result.stdout


def test_out_file(tmp_path):
    target = tmp_path / "result.json"
    result = normative("--format", "json", "--out", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["results"][0]["manager_id"] == "m1"
    table = tmp_path / "result.txt"
    assert normative("--out", table).exit_code == 0
    assert "155,000.01" in table.read_text(encoding="utf-8")


def test_no_progress_bar_in_a_pipe():
    result = normative("--format", "json")
    assert "━" not in result.stderr and "\r" not in result.stderr
    assert "4 person(s) evaluated for 2026-07: 4 paid, 0 refused (errors), 2 skipped; 0 data problem(s), 0 of them missing target(s); 0 row(s) rejected" in result.stderr


def test_period_of_the_wrong_kind_exits_2_with_a_hint():
    result = run(NORMATIVE / "cold_sales.kpi", "--data", NORMATIVE / "data", "--period", "2026-Q3")
    assert result.exit_code == 2
    assert "paid by month" in result.stderr and "--period 2026-07" in result.stderr
    assert result.stdout == ""


def test_unreadable_period_exits_2():
    result = run(NORMATIVE / "cold_sales.kpi", "--data", NORMATIVE / "data", "--period", "July")
    assert result.exit_code == 2 and "is not a period" in result.stderr


def test_plan_that_does_not_compile_exits_2(tmp_path):
    plan = tmp_path / "bad.kpi"
    plan.write_text((NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace("salary * multiplier", "salry * multiplier"),
                    encoding="utf-8")
    result = run(plan, "--data", NORMATIVE / "data", "--period", "2026-07")
    assert result.exit_code == 2
    assert "unknown name `salry`" in result.stderr and "does not compile" in result.stderr


def test_missing_plan_or_data_exits_2(tmp_path):
    assert run(tmp_path / "none.kpi", "--data", NORMATIVE / "data", "--period", "2026-07").exit_code == 2
    result = run(NORMATIVE / "cold_sales.kpi", "--data", tmp_path / "none", "--period", "2026-07")
    assert result.exit_code == 2 and "no such data directory" in result.stderr


def test_missing_table_is_fatal_and_listed(data_copy):
    (data_copy / "deals.csv").unlink()
    result = run(NORMATIVE / "cold_sales.kpi", "--data", data_copy, "--period", "2026-07", "--format", "json")
    assert result.exit_code == 2
    assert [entry["code"] for entry in json.loads(result.stdout)["fatal"]] == ["missing_table", "run.data-unusable-computed"]
    assert "nothing was computed" in result.stderr and "table deals" in result.stderr and "help:" in result.stderr


def test_rejected_row_exits_1_and_only_its_person_has_an_error(data_copy):
    with open(data_copy / "deals.csv", "a", encoding="utf-8") as f:
        f.write('d099,m2,c299,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,"1 234,50",true\n')
    result = run(NORMATIVE / "cold_sales.kpi", "--data", data_copy, "--period", "2026-07", "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    people = {r["manager_id"]: r for r in out["results"]}
    assert people["m1"]["errors"] == [] and people["m1"]["pays"]["total"] == "155000.01"
    m2 = people["m2"]
    assert m2["kpi_score"] is None and set(m2["pays"].values()) == {None} and set(m2["metrics"].values()) == {None}
    assert m2["errors"][0]["message"].startswith("row 23 of deals.csv was rejected")
    assert m2["errors"][0]["line"] == 23
    problem = out["data_problems"][0]
    assert (problem["table"], problem["row"], problem["column"]) == ("deals", 23, "amount")
    assert "rejected data" in result.stderr


def test_person_with_an_evaluation_error_exits_1(tmp_path):
    plan = tmp_path / "plan.kpi"
    text = (NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace("meetings / calls otherwise 0", "meetings / calls")
    plan.write_text(text, encoding="utf-8")
    result = run(plan, "--data", NORMATIVE / "data", "--period", "2026-07", "--format", "json")
    assert result.exit_code == 1
    people = {r["manager_id"]: r for r in json.loads(result.stdout)["results"]}
    m4 = people["m4"]  # no calls: meetings / calls has no value
    assert m4["errors"], m4
    err = m4["errors"][0]
    assert err["file"] == str(plan) and err["line"] > 0 and err["column"] > 0 and "calls" in err["formula"]
    assert m4["kpis"]["meeting_rate"]["attainment"] is None and m4["kpi_score"] is None
    assert m4["pays"]["bonus"] is None
    assert m4["metrics"]["calls"] == "0"
    assert people["m1"]["errors"] == [] and people["m1"]["pays"]["total"] == "155000.01"
    assert "error: m4" in result.stderr


def test_period_before_the_plan_takes_effect_exits_2():
    result = run(NORMATIVE / "cold_sales.kpi", "--data", NORMATIVE / "data", "--period", "2026-06")
    assert result.exit_code == 2 and "takes effect on 2026-07-01" in result.stderr and result.stdout == ""


def test_extra_column_of_the_wrong_kind_exits_2_without_a_traceback(tmp_path, data_copy):
    plan = tmp_path / "plan.kpi"
    text = (NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace(
        'count(deals where stage = "won" and is_new_client)', 'count(deals where deals.deal_type > 5)')
    plan.write_text(text, encoding="utf-8")
    deals = data_copy / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    deals.write_text("\n".join([lines[0] + ",deal_type"] + [line + ",new" for line in lines[1:]]) + "\n", encoding="utf-8")
    result = run(plan, "--data", data_copy, "--period", "2026-07", "--format", "json")
    assert result.exit_code == 2 and [e["code"] for e in json.loads(result.stdout)["fatal"]] == ["run.metric-query"]
    assert "the metrics over deals cannot be computed on this data" in result.stderr
    assert "Traceback" not in result.stderr and "SELECT" not in result.stderr
    russian = run(plan, "--data", data_copy, "--period", "2026-07", "--lang", "ru")
    assert "ошибка: метрики по таблице deals не удаётся посчитать на этих данных: " in russian.stderr
    assert "  = подсказка: тип дополнительного столбца определяется по его значениям" in russian.stderr
