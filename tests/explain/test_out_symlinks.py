"""`explain --out DIR` never writes through a symbolic link inside DIR: a link where a statement
or the index goes is replaced by the file, and what it pointed at is left as it was. `eval --out
FILE` names one file the user chose, and writes where it leads, as a shell's `>` does."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from tests.conftest import NORMATIVE

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symbolic links")

PLAN, DATA = str(NORMATIVE / "cold_sales.kpi"), str(NORMATIVE / "data")


def _explain(out, fmt: str = "text"):
    return CliRunner().invoke(main, ["explain", PLAN, "--data", DATA, "--period", "2026-07", "--format", fmt,
                                     "--out", str(out), "--lang", "en"])


@pytest.mark.parametrize("fmt, ext", [("text", "txt"), ("html", "html")])
def test_links_to_files_outside_are_replaced_not_followed(tmp_path, fmt, ext):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "statements"
    out.mkdir()
    for name in (f"m1.{ext}", f"index.{ext}"):
        (out / name).symlink_to(victim)
    result = _explain(out, fmt)
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    for name in (f"m1.{ext}", f"index.{ext}"):
        assert not (out / name).is_symlink()
        assert "m1" in (out / name).read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_dangling_link_does_not_create_its_target(tmp_path):
    out = tmp_path / "statements"
    out.mkdir()
    target = tmp_path / "elsewhere" / "created.txt"
    (tmp_path / "elsewhere").mkdir()
    (out / "m2.txt").symlink_to(target)
    assert _explain(out).exit_code == 0
    assert not target.exists()
    assert (out / "m2.txt").is_file() and not (out / "m2.txt").is_symlink()


def test_a_directory_where_a_statement_goes_is_a_clear_error(tmp_path):
    out = tmp_path / "statements"
    (out / "m1.txt").mkdir(parents=True)
    result = _explain(out)
    assert result.exit_code == 2
    assert f"error: cannot write to {out / 'm1.txt'}: Is a directory" in result.output


def test_out_dir_itself_may_be_a_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert _explain(tmp_path / "link").exit_code == 0
    assert (real / "m1.txt").is_file()


def test_eval_out_follows_the_link_the_user_named(tmp_path):
    target = tmp_path / "results.json"
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    result = CliRunner().invoke(main, ["eval", PLAN, "--data", DATA, "--period", "2026-07", "--format", "json",
                                       "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and '"plan": "cold_sales"' in target.read_text(encoding="utf-8")
