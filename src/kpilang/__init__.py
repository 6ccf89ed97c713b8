"""kpilang: sales KPI and bonus plans as code.

The public API is small and stable: `load` a plan (program and diagnostics); the later stages
(`lint`, `evaluate`, `explain`) build on the program it returns.
"""

from __future__ import annotations

from pathlib import Path

from kpilang.compile import CompileResult, Program, compile_file
from kpilang.diagnostics import Diagnostic, Severity, Span

__all__ = ["CompileResult", "Diagnostic", "Program", "Severity", "Span", "load"]


def load(path: str | Path) -> CompileResult:
    """Read, parse and check a plan file and its imports.

    Returns a result with `.program` (None when there are errors), `.diagnostics` and `.sources`.
    """
    return compile_file(path)
