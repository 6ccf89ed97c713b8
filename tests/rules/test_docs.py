"""The head of sales' documentation stays true: links resolve, and the outputs the tutorials show
are what the commands print today."""

from __future__ import annotations

import re
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
