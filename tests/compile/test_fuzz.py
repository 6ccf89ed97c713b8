"""A short fuzzing run in the suite: arbitrary text and mutated plans give diagnostics, never an
exception. The long run is `python bench/fuzz.py --count 100000` (see docs/fuzzing.md)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpilang.compile import compile_text
from kpilang.syntax.parser import parse
from tests.fuzz.bench_fuzz import bench_fuzz


def test_a_short_fuzzing_run_finds_no_crash(tmp_path):
    report = bench_fuzz().run(count=200, seed=20260729, directory=tmp_path)
    assert report.crashes == {}
    assert report.runs == 200
    assert report.parsed > 0 and report.compiled > 0  # the mutations still reach the compiler


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_any_text_gives_a_module_or_diagnostics(text):
    module, diagnostics = parse(text, "any.kpi")
    assert (module is None) == bool(diagnostics)
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
        assert d.code.startswith("E01") and d.message
    result = compile_text(text, "any.kpi")
    assert result.ok == (not any(d.severity.value == "error" for d in result.diagnostics))
