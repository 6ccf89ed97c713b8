"""Every output the tutorials show is what the command prints today, in both tutorials.

test_docs.py compares the blocks that need a changed plan or data (day 3's weights, day 4's broken
amount, day 5's test, day 7's history); this module compares the blocks run on the fresh folder
`kpilang init cold_sales otdel` makes, and checks that no `$ kpilang …` line of a tutorial is left
without a test that runs it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from .test_docs import DOCS, READER_ENV, TUTORIALS, _assert_block_current, _printed

_STATEMENTS = "kpilang explain cold_sales.kpi --data data --period 2026-07 --format html --out statements"
ON_THE_FRESH_FOLDER = {
    page: ["kpilang lint cold_sales.kpi",
           _STATEMENTS + (" --lang en" if page == "tutorial.md" else ""),
           "kpilang eval cold_sales.kpi --data data --period 2026-07 --format xlsx --out payroll-2026-07.xlsx"]
    for page in TUTORIALS
}
"""Commands whose first block in each tutorial runs on the folder as `kpilang init` makes it (the
English tutorial writes English statements)."""

RUN_ELSEWHERE = {
    "kpilang init": "test_docs.test_template_listing_is_current",
    "kpilang init cold_sales otdel": "test_docs.test_init_output_is_current",
    "kpilang lint cold_sales.kpi": "test_docs.test_met_without_sales_finding_shown_is_current",
    "kpilang test cold_sales.kpi": "test_docs.test_day_five_test_and_fingerprint_are_current",
    "kpilang eval cold_sales.kpi --data data --period 2026-07": "test_docs.test_payout_table_shown_is_current",
    "kpilang explain cold_sales.kpi --data data --period 2026-07 --manager m0004 --lang en":
        "test_docs.test_statement_shown_is_current",
    "kpilang explain cold_sales.kpi --data data --period 2026-07 --manager m0004 --lang ru":
        "test_docs.test_statement_shown_is_current",
    "kpilang hash cold_sales.kpi": "test_docs.test_day_five_test_and_fingerprint_are_current",
    "kpilang cadence cold_sales.kpi": "test_docs.test_day_seven_git_and_cadence_are_current",
    "kpilang diff HEAD:cold_sales.kpi cold_sales.kpi": "test_docs.test_day_seven_git_and_cadence_are_current",
}
"""Every other command a tutorial shows, and the test that runs it; the CRM step's commands (with
`--source`, and `data check`) run in tests/sources/test_crm_guide.py."""


def _first_output_after(text: str, command: str) -> list[str]:
    """What the first block showing `$ COMMAND` shows after it, up to the next `$ ` line."""
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").split("\n")
        if f"$ {command}" in lines:
            after = lines[lines.index(f"$ {command}") + 1:]
            ends = [i for i, line in enumerate(after) if line.startswith("$ ")]
            return after[:ends[0]] if ends else after
    raise AssertionError(f"no block shows `$ {command}`")


@pytest.mark.parametrize("page, command", [(page, c) for page in TUTORIALS for c in ON_THE_FRESH_FOLDER[page]])
def test_output_on_the_fresh_folder_is_current(page, command, tmp_path, monkeypatch):
    shown = _first_output_after((DOCS / page).read_text(encoding="utf-8"), command)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    result = runner.invoke(main, shlex.split(command)[1:], env=READER_ENV[page])
    assert result.exit_code == 0, result.output
    _assert_block_current(page, command, shown, _printed(result))


@pytest.mark.parametrize("page", TUTORIALS)
def test_every_command_a_tutorial_shows_is_run_by_a_test(page):
    shown = re.findall(r"^\$ (kpilang .+)$", (DOCS / page).read_text(encoding="utf-8"), flags=re.M)
    crm_step = [c for c in shown if "--source" in c or " pull " in c or "data check" in c]
    left = sorted(set(shown) - set(crm_step) - set(ON_THE_FRESH_FOLDER[page]) - set(RUN_ELSEWHERE))
    assert not left, f"docs/{page} shows commands no test runs: {left}"
