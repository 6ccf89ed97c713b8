"""`kpilang lint --criteria`: each plan's verdict on the seven criteria and controllability, as
text for people or JSON (cli.md), in the reader's language."""

from __future__ import annotations

import json
from pathlib import Path

from kpilang.checks.base import registry
from kpilang.checks.criteria import Status, Verdict, checks_that_ran, judge
from kpilang.diagnostics import Diagnostic, Severity
from kpilang.lint import LintResult
from kpilang.lint.config import config_for
from kpilang.messages import join, t


def compiled(result: LintResult) -> bool:
    """Whether the plan compiled, so that its checks ran (a compile error stops them)."""
    return not any(d.severity is Severity.ERROR and not d.code.startswith("KPL") for d in result.diagnostics)


def verdicts_of(result: LintResult, history: bool) -> tuple[list[Verdict], list[Diagnostic]]:
    """The verdicts on one linted plan, with the checks its configuration lets run (none, when
    it does not compile: every criterion is then "cannot tell")."""
    config = config_for(Path(result.file))
    enabled = [c for c in registry().values() if config.enabled(c)] if compiled(result) else []
    return judge(result.diagnostics, checks_that_ran(enabled, history))


def _why_not_run(codes: list[str], history: bool) -> list:
    checks = registry()
    return [t("criteria.needs-history", code=code) if checks[code].needs_history and not history
            else t("criteria.switched-off", code=code) for code in codes]


def _remark(verdict: Verdict, history: bool, plan_compiled: bool):
    if not plan_compiled:
        return t("criteria.compile.not-compiled")
    if verdict.criterion.judged_elsewhere:
        return t("criteria.stable-elsewhere")
    if verdict.status is Status.CANNOT_TELL and verdict.findings:
        return t("criteria.undecided")
    if verdict.not_run:
        return t("criteria.not-run", codes=join(_why_not_run(verdict.not_run, history), "and"))
    return None


def _finding_line(d: Diagnostic, lang: str) -> str:
    d = d.localized(lang)
    severity = t(f"severity.{d.severity.value}").render(lang)
    return f"      {severity}[{d.code}] {d.span}: {d.message}"


def to_text(results: list[LintResult], history: bool, lang: str) -> str:
    blocks = []
    for result in results:
        verdicts, other = verdicts_of(result, history)
        names = [t(f"criteria.{v.criterion.key}").render(lang) for v in verdicts]
        statuses = [t(f"criteria.{v.status.value}").render(lang) for v in verdicts]
        wide_name, wide_status = max(map(len, names)), max(map(len, statuses))
        lines = [t("criteria.heading", file=result.file).render(lang)]
        for verdict, name, status in zip(verdicts, names, statuses):
            remark = _remark(verdict, history, compiled(result))
            line = f"  {name.ljust(wide_name)}  {status.ljust(wide_status)}"
            lines.append((line + (f"  ({remark.render(lang)})" if remark is not None else "")).rstrip())
            lines.extend(_finding_line(d, lang) for d in verdict.findings)
        if other:
            lines.append(f"  {t('criteria.other').render(lang)}")
            lines.extend(_finding_line(d, lang) for d in other)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def to_json(results: list[LintResult], history: bool, lang: str, summary: dict[str, int],
            fatal: list[dict] | None = None) -> str:
    plans = []
    for result in results:
        verdicts, other = verdicts_of(result, history)
        plans.append({
            "file": result.file,
            "compiled": compiled(result),
            "criteria": [{
                "criterion": v.criterion.key,
                "status": v.status.value,
                "checks": list(v.criterion.checks),
                "not_run": v.not_run,
                "findings": [d.localized(lang).to_json() for d in v.findings],
            } for v in verdicts],
            "other": [d.localized(lang).to_json() for d in other],
        })
    document: dict = {"plans": plans, "summary": summary}
    if fatal is not None:  # the command's refusals (files that could not be read)
        document["fatal"] = fatal
    return json.dumps(document, ensure_ascii=False, indent=1)
