"""Linting many files in parallel processes gives exactly what linting them one by one gives."""

from __future__ import annotations

from pathlib import Path

from kpilang.lint import PARALLEL_FROM, lint_paths

ROOT = Path(__file__).resolve().parents[2]
NORMATIVE = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"


def test_parallel_equals_sequential(tmp_path: Path) -> None:
    text = NORMATIVE.read_text(encoding="utf-8")
    files = []
    for i in range(PARALLEL_FROM):
        path = tmp_path / f"plan_{i:02d}.kpi"
        # every third plan pays money per call, so there is something to find
        path.write_text(text + ('\npay per_call "За звонки" = 10 * calls\n' if i % 3 == 0 else ""), encoding="utf-8")
        files.append(path)
    parallel = lint_paths(files, jobs=2)
    sequential = lint_paths(files, jobs=1)
    assert [r.file for r in parallel.results] == [str(f) for f in files]
    assert parallel.diagnostics == sequential.diagnostics
    assert sum(d.code == "KPL019" for d in parallel.diagnostics) == len(range(0, PARALLEL_FROM, 3))
