"""The linter: running the checks on plans (run.py), its configuration (config.py: `[tool.kpilang]`
or kpilang.toml), its output formats (formats.py: JSON, SARIF, GitHub annotations) and the
seven-criteria report of `kpilang lint --criteria` (criteria.py)."""

from kpilang.lint.run import (
    PARALLEL_FROM,
    IgnoreComment,
    LintReport,
    LintResult,
    check_compiled,
    ignore_comments,
    lint_file,
    lint_paths,
)

__all__ = ["PARALLEL_FROM", "IgnoreComment", "LintReport", "LintResult", "check_compiled", "ignore_comments",
           "lint_file", "lint_paths"]
