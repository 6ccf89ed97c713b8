"""The head of sales' documentation stays true: links resolve, and the outputs the tutorials show
are what the commands print today."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from .conftest import command_exists

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["index.md", "tutorial.md", "tutorial.ru.md", "mistakes.md"]
TUTORIALS = ["tutorial.md", "tutorial.ru.md"]


def _blocks_after(text: str, command: str) -> list[list[str]]:
    """The output lines of every fenced block whose first line is `$ COMMAND`."""
    found = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").split("\n")
        if lines[0] == f"$ {command}":
            found.append(lines[1:])
    return found


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
    for page in PAGES[1:] + ["checks/index.md", "ci.md"]:
        assert f"({page})" in index, page


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
    result = runner.invoke(main, ["test", "cold_sales.kpi"])
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
    printed = (result.stdout.rstrip("\n") + "\n" + result.stderr.rstrip("\n")).split("\n")
    if os.environ.get("KPILANG_UPDATE_GOLDEN") == "1" and shown[0] != printed:
        text = (DOCS / page).read_text(encoding="utf-8")
        old = "\n".join([f"$ {command}", *shown[0]])
        (DOCS / page).write_text(text.replace(old, "\n".join([f"$ {command}", *printed])), encoding="utf-8")
        return
    assert shown[0] == printed, (f"the statement in docs/{page} is out of date; if the change is right, rerun with "
                                 "KPILANG_UPDATE_GOLDEN=1 and read the tutorial's text around it")
