"""Linting: compile a plan, run the checks on the program, then apply the configuration and the
ignore comments.

An ignore comment names the checks it silences and says why:

    pay call_bonus = 50 * calls   # kpilang: ignore[KPL019] -- agreed for the launch month

Checks are named by code or by name (`ignore[unbounded-pay]`). It covers findings that start on its own line or, when it stands alone on its line, on the next
line. One without a reason still silences but is itself a warning (KPL021); one that silences
nothing is a warning too (KPL022). Compile errors cannot be ignored: a plan that does not compile
is never checked.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kpilang.checks.base import Check, CheckContext, HistoryOutcome, by_name_or_code, registry
from kpilang.compile import CompileResult, Program, compile_file
from kpilang.diagnostics import Diagnostic, Severity, Span, sort_key
from kpilang.lint.config import LintConfig, config_for
from kpilang.messages import Text, t

_IGNORE = re.compile(r"#\s*kpilang:\s*ignore\[(?P<codes>[^\]]*)\](?P<rest>.*)$")
_REASON = re.compile(r"^\s*--\s*(?P<reason>\S.*)$")
PARALLEL_FROM = 48
"""Below this many files a process pool costs more than it saves."""


@dataclass
class LintResult:
    """One linted file: its diagnostics (compile and checks), the sources they point into, and the
    program when it compiled."""

    file: str
    diagnostics: list[Diagnostic]
    sources: dict[str, str]
    program: Program | None = None

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)


@dataclass
class LintReport:
    """Several linted files, in the order given."""

    results: list[LintResult] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every finding once: a library imported by several plans is reported once, not per plan."""
        seen: set[tuple] = set()
        unique = []
        for d in sorted((d for r in self.results for d in r.diagnostics), key=sort_key):
            key = (d.code, d.span, d.message)
            if key not in seen:
                seen.add(key)
                unique.append(d)
        return unique

    @property
    def sources(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in self.results:
            out.update(r.sources)
        return out


@dataclass(frozen=True)
class IgnoreComment:
    span: Span
    codes: tuple[str, ...]
    reason: str | None
    standalone: bool

    def covers(self, line: int) -> bool:
        return line == self.span.line or (self.standalone and line == self.span.line + 1)


def lint_file(path: str | Path, config: LintConfig | None = None, history: HistoryOutcome | None = None,
              text: str | None = None) -> LintResult:
    """Compile `path` and, when it compiles, run every enabled check on it."""
    path = Path(path)
    compiled = compile_file(path, text=text)
    config = config if config is not None else config_for(path)
    diagnostics = list(compiled.diagnostics)
    if compiled.program is None:
        return LintResult(str(path), sorted(diagnostics, key=sort_key), compiled.sources)
    found = check_compiled(compiled, config, history)
    return LintResult(str(path), sorted(diagnostics + found, key=sort_key), compiled.sources, compiled.program)


def check_compiled(compiled: CompileResult, config: LintConfig, history: HistoryOutcome | None = None) -> list[Diagnostic]:
    """The findings of every enabled check on a plan that compiled (its imports included, each
    once), after `config` and the plan's ignore comments; the compile diagnostics are not in it."""
    assert compiled.program is not None, "a plan that does not compile is never checked"
    context = CheckContext(compiled.program, compiled.sources, config.limits, history)
    found: list[Diagnostic] = []
    for check in registry().values():
        if check.run is None or not config.enabled(check) or (check.needs_history and history is None):
            continue
        for finding in check.run(context):
            found.append(check.diagnostic(finding, config.severity_of(check)))
    return _apply_ignores(found, compiled.sources, compiled.program.files, config)


def lint_paths(files: list[Path], history_for=None, jobs: int | None = None) -> LintReport:
    """Lint many files; a large batch runs in parallel processes (results keep the given order).

    `history_for(program)` gives the history outcome for a compiled program, or None.
    """
    report = LintReport()
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if history_for is None and workers > 1 and len(files) >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            report.results.extend(pool.map(_lint_for_pool, files, chunksize=max(1, len(files) // (workers * 4))))
        return report
    for path in files:
        if history_for is None:
            report.results.append(lint_file(path))
            continue
        first = lint_file(path)
        outcome = history_for(first.program) if first.program is not None else None
        report.results.append(lint_file(path, history=outcome) if outcome is not None else first)
    return report


def _lint_for_pool(path: Path) -> LintResult:
    result = lint_file(path)
    result.program = None  # the program stays in the worker: the report needs only the findings
    return result


def ignore_comments(text: str, file: str) -> list[IgnoreComment]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "kpilang:" not in line:
            continue
        match = _IGNORE.search(line)
        if match is None or line[:match.start()].count('"') % 2:  # inside a string, not a comment
            continue
        codes = tuple(_code(c.strip()) for c in match["codes"].split(",") if c.strip())
        reason = _REASON.match(match["rest"])
        found.append(IgnoreComment(
            span=Span(file=file, line=number, column=match.start() + 1, end_line=number, end_column=len(line) + 1),
            codes=codes, reason=reason["reason"].strip() if reason else None,
            standalone=not line[:match.start()].strip()))
    return found


def _code(key: str) -> str:
    """A check named by code or by name (`KPL019`, `unbounded-pay`), as its code."""
    check = by_name_or_code(key)
    return check.code if check is not None else key.upper()


def _apply_ignores(found: list[Diagnostic], sources: dict[str, str], files: tuple[str, ...],
                   config: LintConfig) -> list[Diagnostic]:
    checks = registry()
    comments = [c for f in files if f in sources for c in ignore_comments(sources[f], f)]
    if not comments:
        return found
    used: set[tuple[IgnoreComment, str]] = set()
    kept = []
    for diag in found:
        match = next((c for c in comments if c.span.file == diag.span.file and diag.code in c.codes
                      and c.covers(diag.span.line)), None)
        if match is None:
            kept.append(diag)
        else:
            used.add((match, diag.code))
    meta = []
    reasonless, unused = checks["KPL021"], checks["KPL022"]
    for comment in comments:
        if comment.reason is None and config.enabled(reasonless):
            meta.append(_meta(reasonless, config, comment.span,
                              t("KPL021.message"), t("KPL021.help", codes=", ".join(comment.codes))))
        if not config.enabled(unused):
            continue
        for code in comment.codes:
            if (comment, code) in used:
                continue
            if code not in checks:
                meta.append(_meta(unused, config, comment.span, t("KPL022.no-such-check", code=code),
                                  t("KPL022.no-such-check-help")))
            elif config.enabled(checks[code]):
                meta.append(_meta(unused, config, comment.span, t("KPL022.unused", code=code, name=checks[code].name),
                                  t("KPL022.unused-help")))
    return kept + meta


def _meta(check: Check, config: LintConfig, span: Span, message: Text, help: Text) -> Diagnostic:
    return Diagnostic(code=check.code, name=check.name, severity=config.severity_of(check), message=message,
                      span=span, help=help)
