"""docs/report.md (Russian) and report.en.md stay true: every command they show runs, in a
folder laid out as the pages say (the plan `cold_sales.kpi` committed in June, in force from
July; the file in the folder already holding next quarter's version; a quarter of data in
`data/`), does its job (exit status 0 or 1, never 2) and writes the file it names."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .conftest import PLAN, ROOT, july_repo, run

PAGES = ["report.md", "report.en.md"]


def _commands(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [line[2:] for block in re.findall(r"```\n(.*?)```", text, flags=re.S)
            for line in block.splitlines() if line.startswith("$ kpilang ")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    repo = july_repo(tmp_path_factory.mktemp("report-docs") / "work", "cold_sales.kpi", "data")
    assert PLAN.count("effective 2026-07-01") == 1
    repo.write("cold_sales.kpi", PLAN.replace("weight 50%", "weight 40%").replace("effective 2026-07-01",
                                                                                  "effective 2026-10-01"))
    return repo.path


def test_the_pages_show_report_compare_and_the_history_option():
    for page in PAGES:
        commands = " ".join(_commands(page))
        for part in ("kpilang report", "kpilang compare", "--as-of-history", "--format xlsx", "--fail-on-loss"):
            assert part in commands, (page, part)


@pytest.mark.parametrize("page, command", [(page, c) for page in PAGES for c in _commands(page)])
def test_every_command_of_the_pages_runs(folder, page, command):
    args = shlex.split(command)[1:]
    code, out, err = run(folder, *args)
    assert code in (0, 1), f"{page}: `{command}` exited {code}:\n{err[-2000:]}"
    if "--out" in args:
        written = folder / args[args.index("--out") + 1]
        assert written.exists(), f"{page}: `{command}` did not write {written.name}"
    else:
        assert out.strip(), f"{page}: `{command}` printed nothing"
