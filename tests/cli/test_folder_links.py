"""A folder's plans are read only from inside it: a `*.kpi` link below a folder given to lint, fmt,
test or hash that leads elsewhere stops the command without a line of its target shown (a plan's
errors quote its lines, and CI logs are public)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
NORMATIVE = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"
SECRET = "root:x:0:0:token-7f3a9c"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(NORMATIVE, folder / "cold_sales.kpi")
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    (folder / "stolen.kpi").symlink_to(secret)
    return folder


@pytest.mark.parametrize("command", ["lint", "fmt", "test", "hash"])
def test_a_link_out_of_the_folder_stops_the_command_without_its_content(project, command):
    result = CliRunner().invoke(main, [command, str(project)])
    assert result.exit_code == 2
    assert SECRET not in result.output
    assert "stolen.kpi is a link to a file outside" in result.output


def test_the_refusal_is_said_in_russian(project):
    result = CliRunner().invoke(main, ["lint", "--lang", "ru", str(project)])
    assert result.exit_code == 2
    assert "ссылка на файл вне папки" in result.output and SECRET not in result.output


def test_a_link_to_a_plan_inside_the_folder_is_read(tmp_path):
    folder = tmp_path / "plans"
    (folder / "shared").mkdir(parents=True)
    shutil.copy(NORMATIVE, folder / "shared" / "cold_sales.kpi")
    (folder / "cold_sales.kpi").symlink_to(folder / "shared" / "cold_sales.kpi")
    result = CliRunner().invoke(main, ["hash", str(folder)])
    assert result.exit_code == 0
    assert result.output.count("cold_sales.kpi") == 2


def test_a_link_named_on_the_command_line_is_read_as_given(project):
    # The user chose that file: it is compiled, and its errors quote it as for any plan.
    result = CliRunner().invoke(main, ["lint", str(project / "stolen.kpi")])
    assert result.exit_code == 2 or result.exit_code == 1
    assert "is a link to a file outside" not in result.output
