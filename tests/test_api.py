"""The façade as the README presents it: `load` a plan, then hand its program to the later stages."""

from __future__ import annotations

from pathlib import Path

import pytest

import kpilang

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cold_sales"


def test_the_program_of_load_goes_through_every_stage():
    program = kpilang.load(EXAMPLE / "cold_sales.kpi").program
    report = kpilang.evaluate(program, EXAMPLE / "data", "2026-07")
    assert report.results
    assert kpilang.fingerprint(program) == report.plan_sha256
    assert kpilang.diff(program, program).changes == ()


@pytest.mark.parametrize("stage", ["evaluate", "fingerprint", "diff"])
def test_what_load_returns_is_refused_with_the_way_to_its_program(stage):
    loaded = kpilang.load(EXAMPLE / "cold_sales.kpi")
    calls = {
        "evaluate": lambda: kpilang.evaluate(loaded, EXAMPLE / "data", "2026-07"),
        "fingerprint": lambda: kpilang.fingerprint(loaded),
        "diff": lambda: kpilang.diff(loaded, loaded),
    }
    with pytest.raises(TypeError, match=rf"kpilang\.{stage}\(\) takes a Program: pass kpilang\.load\(path\)\.program"):
        calls[stage]()


def test_lint_can_be_called_more_than_once():
    """Loading the `kpilang.lint` module on the first call must not replace the function of the
    same name (the second call then failed with "'module' object is not callable")."""
    first = kpilang.lint(EXAMPLE / "cold_sales.kpi")
    second = kpilang.lint(EXAMPLE / "cold_sales.kpi")
    assert callable(kpilang.lint)
    assert first.program is not None and second.program is not None
    assert [d.code for d in first.diagnostics] == [d.code for d in second.diagnostics]
