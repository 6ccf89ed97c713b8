"""kpilang: sales KPI and bonus plans as code.

The public API is small and stable: `load` a plan (program and diagnostics); the later stages
(`lint`, `evaluate`, `explain`) build on the program it returns.
"""

from __future__ import annotations

from pathlib import Path

# The evaluate package is loaded here, before the `evaluate` function below is defined, so that
# the function keeps the name: Python sets a package's attribute to a subpackage only when it
# first loads it. (The package itself is light; DuckDB is imported only when evaluation runs.)
import kpilang.evaluate as _evaluate_package  # noqa: F401
import kpilang.explain as _explain_package  # noqa: F401  (light: Jinja2 and Babel load on first use)
import kpilang.lint as _lint_module  # noqa: F401  (the same for `lint`: its module would replace the function)
from kpilang.compile import CompileResult, Program, compile_file
from kpilang.diagnostics import Diagnostic, Severity, Span

__all__ = [
    "CompileResult", "Diagnostic", "Program", "Severity", "Span", "diff", "evaluate", "explain", "fingerprint",
    "lint", "load",
]


def load(path: str | Path) -> CompileResult:
    """Read, parse and check a plan file and its imports.

    Returns a result with `.program` (None when there are errors), `.diagnostics` and `.sources`.
    """
    return compile_file(path)


def lint(path: str | Path):
    """Compile a plan and run every check on it (configuration found from the file upwards).

    Returns a `kpilang.lint.LintResult`: `.program`, `.diagnostics` (compile errors and check
    findings, with witnesses where a check proves something), `.sources`, `.errors`, `.warnings`.
    """
    from kpilang.lint import lint_file

    return lint_file(path)


def _program(value, function: str) -> Program:
    """The program a later stage works on. What `load` returns is the program *and* its
    diagnostics; handed over whole, it would fail deep inside on a missing attribute, so the
    caller is told where the program is instead."""
    if isinstance(value, CompileResult):
        raise TypeError(f"kpilang.{function}() takes a Program: pass kpilang.load(path).program "
                        "(None when the plan has errors, which are in .diagnostics)")
    return value


def fingerprint(program: Program) -> str:
    """The plan's meaning fingerprint: a SHA-256 blind to layout, comments, labels and order."""
    from kpilang.change import fingerprint as run

    return run(_program(program, "fingerprint"))


def diff(old: Program, new: Program):
    """What changed in meaning between two versions of a plan (`kpilang.change.PlanDiff`)."""
    from kpilang.change import diff_programs

    return diff_programs(_program(old, "diff"), _program(new, "diff"))


def evaluate(program: Program, data, period: str, *, trace: bool = False, progress=None, source=None):
    """Compute every person's figures for a period (`2026-07`, `2026-Q3`, `2026-W27`).

    `data` is a data directory (or a loaded `kpilang.data.DataSet`). Returns an `EvalReport`
    (`kpilang.evaluate.run`): people sorted by manager_id, each with metrics, the formula stage's
    outcome and errors; skipped people; rejected data rows; an account of rows per table.
    Raises `kpilang.evaluate.period.PeriodError` for a period that does not fit the plan,
    `kpilang.data.DataError` for data that cannot be used at all, and
    `kpilang.evaluate.aggregate.MetricQueryError` when the data's column kinds do not fit the plan.
    `source` names a CRM source mapping (a preset such as "bitrix24", or a .toml file) that reads
    the data directory as that CRM's files (docs/crm/mapping.md).
    """
    from kpilang.evaluate.run import evaluate as run

    provider = None
    if source is not None:
        from kpilang.sources.source import MappedSource

        provider = source if isinstance(source, MappedSource) else MappedSource.named(str(source))
    return run(_program(program, "evaluate"), data, period, trace=trace, progress=progress, source=provider)


def explain(report, *, lang: str = "ru", fmt: str = "text", templates: str | Path | None = None, managers=None):
    """Statements for an evaluated report (`evaluate(...)`): one per person, in `lang`
    (ru, en) and `fmt` (text, md, html), every number explained.

    Returns a `kpilang.explain.Rendered`: `.statements` (one document per person), `.index`, and
    `.write(directory)`. `templates` is a directory of templates overriding ours by file name
    (run in Jinja2's sandbox); `managers` limits the statements to these ids.
    """
    from kpilang.explain import explain as run

    return run(report, lang=lang, fmt=fmt, templates=Path(templates) if templates is not None else None,
               managers=managers)
