"""A plan file that cannot be read as text is said the same way by every command that reads plans
(one reader, `kpilang.compile.read_plan_file`): where its bytes stop being UTF-8 (file:line:column
and the byte) and what to do, or the operating system's reason, in the reader's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.compile import PlanFileError, compile_file, read_plan_file

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"
# Line 1 is UTF-8 with Cyrillic letters (7 letters, 14 bytes); line 2 was saved in Windows-1251.
MIXED = "# Продажи\n".encode("utf-8") + "# план\n".encode("cp1251")
EXPECTED = {
    "en": "error: p.kpi:2:3: not UTF-8 text (byte 20); save it as UTF-8",
    "ru": "ошибка: p.kpi:2:3: не текст в UTF-8 (байт 20); сохраните файл в UTF-8",
}
DATA = ["--data", str(NORMATIVE / "data"), "--period", "2026-07"]
COMMANDS = {
    "lint": ["lint", "p.kpi"],
    "test": ["test", "p.kpi"],
    "fmt": ["fmt", "--check", "p.kpi"],
    "hash": ["hash", "p.kpi"],
    "diff": ["diff", "good.kpi", "p.kpi"],
    "diff folders": ["diff", "old", "new"],
    "eval": ["eval", "p.kpi", *DATA],
    "explain": ["explain", "p.kpi", *DATA],
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "p.kpi").write_bytes(MIXED)
    (tmp_path / "good.kpi").write_text((NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8"), encoding="utf-8")
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p.kpi").write_bytes((tmp_path / "good.kpi").read_bytes())
    (tmp_path / "new" / "p.kpi").write_bytes(MIXED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], lang: str):
    return CliRunner().invoke(main, [*args, "--lang", lang], env={"KPILANG_LANG": None}, catch_exceptions=False)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_says_where_a_plan_stops_being_utf8(folder: Path, command: str, lang: str) -> None:
    result = run(COMMANDS[command], lang)
    assert result.exit_code == 2, result.output
    expected = EXPECTED[lang].replace("p.kpi", "new/p.kpi") if command == "diff folders" else EXPECTED[lang]
    assert expected in result.stderr.splitlines(), result.stderr
    assert "codec" not in result.output and "0xef" not in result.output


@pytest.mark.parametrize("lang, summary", [("en", "2 file(s): 1 error(s), 0 warning(s)"),
                                           ("ru", "файлов: 2; ошибок: 1, предупреждений: 0")])
def test_lint_counts_an_unreadable_file_in_its_summary(folder: Path, lang: str, summary: str) -> None:
    result = run(["lint", "p.kpi", "good.kpi"], lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [EXPECTED[lang], summary]


def test_the_reader_gives_the_operating_systems_reason_and_tells_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError) as missing:
        read_plan_file(tmp_path / "nowhere.kpi")
    assert missing.value.missing
    assert missing.value.text.key == "plan-file.cannot-read"
    assert missing.value.text.render("ru").startswith("не удаётся прочитать ")
    assert missing.value.text.render("en").endswith(": No such file or directory")


def test_an_os_error_is_said_by_the_command_in_the_readers_language(folder: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    for lang, expected in (("en", "error: cannot read p.kpi: Permission denied"),
                           ("ru", "ошибка: не удаётся прочитать p.kpi: Permission denied")):
        result = run(["hash", "p.kpi"], lang)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [expected]


def test_the_reader_keeps_line_ends_and_the_compiler_counts_lines_as_before(tmp_path: Path) -> None:
    plan = tmp_path / "crlf.kpi"
    text = (NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8")
    plan.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert read_plan_file(plan) == text.replace("\n", "\r\n")  # fmt sees the file as it is
    (source,) = compile_file(plan).sources.values()
    assert source == text


def test_an_import_that_is_not_utf8_is_said_at_the_import_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "lib.kpi").write_bytes(MIXED)
    (tmp_path / "main.kpi").write_text('import "lib.kpi"\n', encoding="utf-8")
    result = compile_file(tmp_path / "main.kpi")
    (d,) = [d for d in result.diagnostics if d.code == "E0205"]
    assert d.message.endswith(": not UTF-8 text at line 2, column 3 (byte 20); save it as UTF-8")
    assert d.localized("ru").message.endswith(
        ": не текст в UTF-8: строка 2, позиция 3 (байт 20); сохраните файл в UTF-8")


def test_json_of_lint_still_counts_only_diagnostics(folder: Path) -> None:
    result = run(["lint", "p.kpi", "good.kpi", "--format", "json"], "en")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["summary"] == {"files": 2, "errors": 0, "warnings": 0}
    assert result.stderr.splitlines() == [EXPECTED["en"]]
