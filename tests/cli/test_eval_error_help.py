"""`kpilang eval`'s table says, under each evaluation error, what to do about it (the JSON's
`help`), on a `= help:` line as for a rejected data row, in the reader's language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"KPILANG_LANG": None, "COLUMNS": "200"},
                              catch_exceptions=False)


@pytest.fixture
def without_m4_revenue_target(tmp_path: Path) -> Path:
    """The normative data with m4's revenue target for July removed."""
    data = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", data)
    targets = data / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("m4,2026-07,revenue,")]
    assert len(kept) == len(lines) - 1
    targets.write_text("".join(kept), encoding="utf-8")
    return data


@pytest.mark.parametrize("lang, help_line", [
    ("en", "      = help: add a row to targets: manager_id=m4, period=2026-07, name=revenue, value=… "
           "(or in a test, `given targets.revenue = …`)"),
    ("ru", "      = подсказка: добавьте строку в targets: manager_id=m4, period=2026-07, name=revenue, value=… "
           "(или в тесте: `given targets.revenue = …`)"),
])
def test_each_error_in_the_table_is_followed_by_what_to_do(without_m4_revenue_target: Path, lang: str,
                                                           help_line: str) -> None:
    args = ["eval", str(NORMATIVE / "cold_sales.kpi"), "--data", str(without_m4_revenue_target),
            "--period", "2026-07", "--lang", lang]
    table = run(*args)
    assert table.exit_code == 1, table.output
    lines = table.stdout.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("m4 ")]
    assert errors, table.stdout
    helps = json.loads(run(*args, "--format", "json").stdout)["results"][3]["errors"]
    assert len(errors) == len(helps)
    for i, error in zip(errors, helps):
        assert lines[i + 1] == f"      = {'help' if lang == 'en' else 'подсказка'}: {error['help']}"
    assert help_line in lines
