"""People hired after a period are skipped for it (optional `managers.hired_at`), not given an
error for a target they could not have had."""

import shutil

import kpilang

from tests.conftest import NORMATIVE


def _data_with_m4_hired(tmp_path, hired_at: str):
    data = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", data)
    managers = data / "managers.csv"
    lines = managers.read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",2026-07-20", f",{hired_at}") if line.startswith("m4,") else line for line in lines]
    managers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def _evaluate(data):
    program = kpilang.load(NORMATIVE / "cold_sales.kpi").program
    return kpilang.evaluate(program, data, "2026-07")


def test_hired_after_the_period_is_skipped_with_the_date(tmp_path):
    report = _evaluate(_data_with_m4_hired(tmp_path, "2026-08-01"))
    assert "m4" not in {r.manager_id for r in report.results}
    skipped = {s.manager_id: s for s in report.skipped}
    assert skipped["m4"].code == "hired_after_period"
    assert skipped["m4"].reason.render("en") == "hired on 2026-08-01, after this period"
    assert skipped["m4"].reason.render("ru") == "дата приёма на работу 2026-08-01 — после этого периода"


def test_hired_on_the_last_day_is_evaluated(tmp_path):
    report = _evaluate(_data_with_m4_hired(tmp_path, "2026-07-31"))
    assert "m4" in {r.manager_id for r in report.results}
    assert "m4" not in {s.manager_id for s in report.skipped}
