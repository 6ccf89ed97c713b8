"""Lint findings for machines: JSON (cli.md), SARIF 2.1.0 (code scanning) and GitHub annotations.

The human format, rustc-style text with the source line and a caret, lives with the diagnostics
themselves (`diagnostics.render_text`); this module holds only the formats other tools read.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kpilang.checks.base import registry
from kpilang.diagnostics import Diagnostic, Severity, check_page, label
from kpilang.messages import DEFAULT_LANGUAGE, t

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary(diagnostics: list[Diagnostic], files: int) -> dict[str, int]:
    return {
        "files": files,
        "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
        "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
    }


def to_json(diagnostics: list[Diagnostic], files: int, lang: str = DEFAULT_LANGUAGE,
            fatal: list[dict[str, Any]] | None = None) -> str:
    """cli.md's JSON; `message`, `help` and notes in `lang` (the keys and codes never change);
    `fatal`, when given, the refusals of the command (files that could not be read)."""
    localized = [d.localized(lang) for d in diagnostics]
    document: dict[str, Any] = {"diagnostics": [d.to_json() for d in localized], "summary": summary(diagnostics, files)}
    if fatal is not None:
        document["fatal"] = fatal
    return json.dumps(document, ensure_ascii=False, indent=1)


def _tool_version() -> str:
    try:
        return version("kpilang")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        return "0"


def _level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[severity]


def _uri(file: str) -> str:
    path = Path(file)
    return path.as_posix() if not path.is_absolute() else path.as_uri()


def to_sarif(diagnostics: list[Diagnostic], lang: str = DEFAULT_LANGUAGE) -> str:
    """One SARIF 2.1.0 run: every check as a rule (with its page in `lang`), every finding as a
    result (its message and the rule's one-line summary in `lang`; the full rule description comes
    from the check's docstring, which is in English)."""
    diagnostics = [d.localized(lang) for d in diagnostics]
    checks = registry()
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for code in sorted({d.code for d in diagnostics}):
        index[code] = len(rules)
        check = checks.get(code)
        rule: dict[str, Any] = {"id": code}
        if check is not None:
            rule.update({
                "name": check.name,
                "shortDescription": {"text": t(f"{code}.summary").render(lang)},
                "fullDescription": {"text": check.doc.split("\n\n", 1)[-1][:2000] or check.summary},
                "helpUri": check_page(code, check.name, lang),
                "defaultConfiguration": {"level": _level(check.severity)},
            })
        else:
            name = next(d.name for d in diagnostics if d.code == code)
            rule.update({"name": name, "shortDescription": {"text": t("summary.compile-error", name=name).render(lang)},
                         "defaultConfiguration": {"level": "error"}})
        rules.append(rule)
    results = []
    for d in diagnostics:
        message = d.message + (f"\n{label('help', lang)}: {d.help}" if d.help else "")
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _level(d.severity),
            "message": {"text": message},
            "locations": [_location(d.span)],
        }
        if d.notes:
            result["relatedLocations"] = [
                {**_location(n.span), "id": i, "message": {"text": n.message}} for i, n in enumerate(d.notes)
            ]
        if d.witness is not None:
            result["properties"] = {"witness": dict(d.witness)}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kpilang", "version": _tool_version(),
                                "informationUri": "https://pypi.org/project/kpilang/", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=1)


def _location(span) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": _uri(span.file)},
        "region": {"startLine": span.line, "startColumn": span.column,
                   "endLine": span.end_line, "endColumn": max(span.end_column, span.column + 1 if span.end_line == span.line else 1)},
    }}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: list[Diagnostic], lang: str = DEFAULT_LANGUAGE) -> str:
    """GitHub Actions workflow commands: one `::error file=…,line=…,col=…::…` line per finding,
    its text in `lang`."""
    lines = []
    for d in (d.localized(lang) for d in diagnostics):
        command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[d.severity]
        props = ",".join([
            f"file={_escape_property(d.span.file)}", f"line={d.span.line}", f"col={d.span.column}",
            f"endLine={d.span.end_line}", f"endColumn={d.span.end_column}",
            f"title={_escape_property(f'{d.code} {d.name}')}",
        ])
        text = d.message + (f"\n{label('help', lang)}: {d.help}" if d.help else "")
        if d.witness:
            text += f"\n{label('witness', lang)}: " + ", ".join(f"{k} = {v}" for k, v in d.witness.items())
        lines.append(f"::{command} {props}::{_escape_data(text)}")
    return "\n".join(lines)
