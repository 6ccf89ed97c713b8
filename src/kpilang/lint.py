"""Linting one file: compile it, then (once it compiles) run the checks."""

from __future__ import annotations

from pathlib import Path

from kpilang.compile import CompileResult, compile_file


def lint_file(path: str | Path) -> CompileResult:
    """Compile diagnostics for `path`; the checks of the linter add theirs to the same result."""
    return compile_file(path)
