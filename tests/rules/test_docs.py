"""The head of sales' documentation stays true: links resolve, and the outputs the tutorials show
are what the commands print today."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from conftest import HOW_TO_UPDATE, update_golden

from .conftest import command_exists

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["index.md", "tutorial.md", "tutorial.ru.md", "mistakes.md"]
TUTORIALS = ["tutorial.md", "tutorial.ru.md"]
READER_ENV = {"tutorial.md": {"KPILANG_LANG": None}, "tutorial.ru.md": {"KPILANG_LANG": "ru"}}
"""The Russian tutorial has its reader set KPILANG_LANG=ru first, so its commands speak Russian."""


def _blocks_after(text: str, command: str) -> list[list[str]]:
    """The output lines of every fenced block whose first line is `$ COMMAND`."""
    found = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").split("\n")
        if lines[0] == f"$ {command}":
            found.append(lines[1:])
    return found


def _assert_block_current(page: str, command: str, shown: list[str], printed: list[str],
                          elided: tuple[str, ...] = ()) -> None:
    """The block shown after `$ COMMAND` (and the `elided` marker lines) in a page equals what the
    command prints now; when the suite rewrites golden files (`update_golden()`) the page is
    rewritten instead (read the text around it afterwards)."""
    if update_golden() and shown != printed:
        text = (DOCS / page).read_text(encoding="utf-8")
        old = "\n".join([f"$ {command}", *elided, *shown])
        assert old in text
        (DOCS / page).write_text(text.replace(old, "\n".join([f"$ {command}", *elided, *printed])), encoding="utf-8")
        return
    assert shown == printed, (f"`{command}` in docs/{page} is out of date; if the change is right, {HOW_TO_UPDATE} "
                              "and read the tutorial's text around it")


def _printed(result) -> list[str]:
    """What a terminal shows: standard output, then the summary kpilang writes to standard error."""
    return (result.stdout + result.stderr).rstrip("\n").split("\n")


@pytest.mark.parametrize("page", PAGES)
def test_links_resolve(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    assert links
    for link in links:
        if "://" not in link:
            assert (DOCS / link).exists(), f"{page} links to missing {link}"


def test_index_links_every_page():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = [p.name for p in DOCS.glob("*.md") if p.name != "index.md"] + ["checks/index.md", "ci/github-workflow.yml"]
    for page in pages:
        assert f"({page})" in index, f"docs/index.md does not link {page}"


def test_mistakes_name_only_existing_checks():
    codes = set(re.findall(r"KPL\d{3}", (DOCS / "mistakes.md").read_text(encoding="utf-8")))
    known = set(re.findall(r"KPL\d{3}", (DOCS / "checks" / "index.md").read_text(encoding="utf-8")))
    assert codes and codes <= known


@pytest.mark.parametrize("page", TUTORIALS)
def test_template_listing_is_current(page):
    shown = _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang init")
    assert len(shown) == 1
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0
    assert shown[0] == (result.stdout + result.stderr).rstrip("\n").split("\n")


@pytest.mark.skipif(not command_exists("test"), reason="`kpilang test` is not built yet")
@pytest.mark.parametrize("page", TUTORIALS)
def test_template_test_output_is_current(page, tmp_path, monkeypatch):
    shown = _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang test cold_sales.kpi")
    assert shown, "the tutorial shows `kpilang test`"
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    result = runner.invoke(main, ["test", "cold_sales.kpi"], env=READER_ENV[page])
    assert result.exit_code == 0
    assert shown[0] == result.stdout.rstrip("\n").split("\n")


@pytest.mark.parametrize("page", TUTORIALS)
def test_init_output_is_current(page, tmp_path, monkeypatch):
    shown = _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang init cold_sales otdel")
    assert len(shown) == 1
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "cold_sales", "otdel"])
    assert result.exit_code == 0
    assert shown[0] == result.stderr.rstrip("\n").split("\n")


@pytest.mark.skipif(not command_exists("explain"), reason="`kpilang explain` is not built yet")
@pytest.mark.parametrize("page, lang", [("tutorial.md", "en"), ("tutorial.ru.md", "ru")])
def test_statement_shown_is_current(page, lang, tmp_path, monkeypatch):
    command = f"kpilang explain cold_sales.kpi --data data --period 2026-07 --manager m0004 --lang {lang}"
    shown = _blocks_after((DOCS / page).read_text(encoding="utf-8"), command)
    assert len(shown) == 1
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    result = runner.invoke(main, command.split()[1:])
    assert result.exit_code == 0
    _assert_block_current(page, command, shown[0], _printed(result))


ACTIVITY_HEAVY_WEIGHTS = {"revenue_plan": "20%", "new_clients_plan": "10%", "meeting_conversion": "40%",
                          "lead_generation": "30%"}
"""The tutorial's day 3: someone proposes to weigh activity more."""


@pytest.mark.parametrize("page", TUTORIALS)
def test_met_without_sales_finding_shown_is_current(page, tmp_path, monkeypatch):
    shown = [b for b in _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang lint cold_sales.kpi")
             if len(b) > 1]
    assert len(shown) == 1
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    plan = tmp_path / "otdel" / "cold_sales.kpi"
    text = plan.read_text(encoding="utf-8")
    for kpi, weight in ACTIVITY_HEAVY_WEIGHTS.items():
        text, replaced = re.subn(rf"(kpi {kpi} .*?weight )\d+%", rf"\g<1>{weight}", text, count=1, flags=re.S)
        assert replaced == 1, kpi
    plan.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "otdel")
    result = runner.invoke(main, ["lint", "cold_sales.kpi"], env=READER_ENV[page])
    assert result.exit_code == 1
    _assert_block_current(page, "kpilang lint cold_sales.kpi", shown[0], _printed(result))


@pytest.mark.parametrize("page", TUTORIALS)
def test_payout_table_shown_is_current(page, tmp_path, monkeypatch):
    command = "kpilang eval cold_sales.kpi --data data --period 2026-07"
    shown = [b for b in _blocks_after((DOCS / page).read_text(encoding="utf-8"), command) if "┏" in "".join(b)]
    assert len(shown) == 1
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    # The table is drawn for the terminal's width; the tutorial shows it 200 columns wide.
    result = runner.invoke(main, command.split()[1:], env={"COLUMNS": "200", **READER_ENV[page]})
    assert result.exit_code == 0
    _assert_block_current(page, command, [line.rstrip() for line in shown[0]],
                          [line.rstrip() for line in _printed(result)])


@pytest.mark.parametrize("page", TUTORIALS)
def test_rejected_amount_shown_is_current(page, tmp_path, monkeypatch):
    command = "kpilang eval cold_sales.kpi --data data --period 2026-07"
    shown = [b for b in _blocks_after((DOCS / page).read_text(encoding="utf-8"), command) if b and b[0] == "…"]
    assert len(shown) == 1
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    deals = tmp_path / "otdel" / "data" / "deals.csv"
    lines = deals.read_bytes().split(b"\r\n")
    assert lines[1].startswith(b"d000001,m0001,") and b",67000.00," in lines[1]
    lines[1] = lines[1].replace(b",67000.00,", b',"67 000,00",')
    deals.write_bytes(b"\r\n".join(lines))
    monkeypatch.chdir(tmp_path / "otdel")
    result = runner.invoke(main, command.split()[1:], env={"COLUMNS": "200", **READER_ENV[page]})
    assert result.exit_code == 1
    printed = [line.rstrip() for line in _printed(result)]
    after_table = printed[max(i for i, line in enumerate(printed) if line.startswith("└")) + 1:]
    _assert_block_current(page, command, [line.rstrip() for line in shown[0][1:]], after_table, elided=("…",))


def _question_test(page: str) -> str:
    """The test block the tutorial adds on day 5."""
    text = (DOCS / page).read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```\n(.*?)```", text, flags=re.S) if b.startswith('test "вопрос Анны')]
    return block


@pytest.mark.skipif(not command_exists("test"), reason="`kpilang test` is not built yet")
@pytest.mark.parametrize("page", TUTORIALS)
def test_day_five_test_and_fingerprint_are_current(page, tmp_path, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    fingerprint = runner.invoke(main, ["hash", "cold_sales.kpi"])
    (shown_hash,) = _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang hash cold_sales.kpi")
    _assert_block_current(page, "kpilang hash cold_sales.kpi", shown_hash, _printed(fingerprint))
    with open("cold_sales.kpi", "a", encoding="utf-8") as plan:
        plan.write("\n" + _question_test(page))
    result = runner.invoke(main, ["test", "cold_sales.kpi"], env=READER_ENV[page])
    assert result.exit_code == 0, result.output
    shown = [b for b in _blocks_after((DOCS / page).read_text(encoding="utf-8"), "kpilang test cold_sales.kpi")
             if any("вопрос Анны" in line for line in b)]
    assert len(shown) == 1
    _assert_block_current(page, "kpilang test cold_sales.kpi", shown[0], _printed(result))


DAY_SEVEN_EDITS = [
    (),
    (("effective 2026-07-01", "effective 2026-10-01"), ("target 8%", "target 10%")),
    (("effective 2026-10-01", "effective 2027-01-01"),),
]
"""Day 7's changes to the plan before each block that runs `kpilang cadence`: none before the first
commit; "in November the conversion target is raised from 8% to 10% from October"; "with
`effective 2027-01-01` the same change passes"."""
COMMIT_DAY = "2026-11-29T12:00:00+03:00"
"""The tutorials' commits are dated 29 November 2026."""
_COMMIT_ID = re.compile(r"\b[0-9a-f]{10}\b")


class _CommitNames:
    """Commit ids differ from run to run (they hash the author and the folder's files): each side
    names them c1, c2, … in order of first appearance, so that the same commit is compared with the
    same commit."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def __call__(self, lines: list[str]) -> list[str]:
        def name(match: re.Match) -> str:
            return self.names.setdefault(match.group(0), f"c{len(self.names) + 1}")
        return [_COMMIT_ID.sub(name, line) for line in lines]


def _git_environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Руководитель продаж",
               GIT_AUTHOR_EMAIL="head@example.com", GIT_COMMITTER_NAME="Руководитель продаж",
               GIT_COMMITTER_EMAIL="head@example.com", GIT_AUTHOR_DATE=COMMIT_DAY, GIT_COMMITTER_DATE=COMMIT_DAY)
    return env


def _sessions(block: str) -> list[tuple[str, list[str]]]:
    """A block of terminal lines as (command, the lines it printed)."""
    found: list[tuple[str, list[str]]] = []
    for line in block.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return found


@pytest.mark.skipif(not command_exists("cadence"), reason="`kpilang cadence` is not built yet")
@pytest.mark.parametrize("page", TUTORIALS)
def test_day_seven_git_and_cadence_are_current(page, tmp_path, monkeypatch):
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```\n(.*?)```", text, flags=re.S) if "$ kpilang cadence cold_sales.kpi" in b.split("\n")]
    assert len(blocks) == len(DAY_SEVEN_EDITS)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "otdel")
    plan = tmp_path / "otdel" / "cold_sales.kpi"
    shown_names, printed_names = _CommitNames(), _CommitNames()
    for block, edits in zip(blocks, DAY_SEVEN_EDITS):
        for old, new in edits:
            before = plan.read_text(encoding="utf-8")
            assert before.count(old) == 1, old
            plan.write_text(before.replace(old, new), encoding="utf-8")
        for command, shown in _sessions(block):
            if command.startswith("git "):
                done = subprocess.run(command, shell=True, cwd=tmp_path / "otdel", env=_git_environment(),
                                      capture_output=True, text=True)
                assert done.returncode == 0 and not shown, (command, done.stderr)
                continue
            assert command.startswith("kpilang "), command
            result = runner.invoke(main, shlex.split(command)[1:], env=READER_ENV[page])
            assert shown_names(shown) == printed_names(_printed(result)), \
                f"`{command}` on day 7 of docs/{page} is out of date"
