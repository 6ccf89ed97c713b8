"""`kpilang hash`: one fingerprint per plan, the same as the library's."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kpilang.change import fingerprint
from kpilang.cli import main
from kpilang.compile import compile_file

from .plans import BASE, NORMATIVE_PLAN


def test_text_and_json(tmp_path):
    expected = fingerprint(compile_file(NORMATIVE_PLAN).program)
    result = CliRunner().invoke(main, ["hash", str(NORMATIVE_PLAN)])
    assert result.exit_code == 0
    assert result.output == f"{expected}  {NORMATIVE_PLAN}\n"
    result = CliRunner().invoke(main, ["hash", "--format", "json", str(NORMATIVE_PLAN.parent)])
    assert json.loads(result.output) == [{"file": str(NORMATIVE_PLAN), "plan": "cold_sales", "sha256": expected}]


def test_a_reformatted_copy_has_the_same_fingerprint(tmp_path):
    copy = tmp_path / "copy.kpi"
    copy.write_text("# copy\n" + BASE.replace("    ", "  "), encoding="utf-8")
    lines = CliRunner().invoke(main, ["hash", str(NORMATIVE_PLAN), str(copy)]).output.splitlines()
    assert lines[0].split()[0] == lines[1].split()[0]


def test_a_plan_that_does_not_compile_exits_2(tmp_path):
    bad = tmp_path / "bad.kpi"
    bad.write_text(BASE.replace("target 4", "target nothing"), encoding="utf-8")
    result = CliRunner().invoke(main, ["hash", str(bad)])
    assert result.exit_code == 2
    assert "does not compile" in result.output
