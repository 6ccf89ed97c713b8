"""An evaluation report as JSON: the exact contract for machines.

Every number is a string holding an exact decimal in plain notation (`0`, never `0E+2`), keys
come in a fixed order and people are sorted by manager_id, so the same plan, data and period
always give the same bytes. A figure that could not be computed is `null`, next to the error that
says why; nothing is filled in. Messages, reasons and hints are in the reader's language (`lang`,
"en" or "ru"); names, figures and each entry's `code` are the same in every language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpilang.collection_pause import collector_paused
from kpilang.evaluate.numbers import tidy
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.evaluate.team import TeamFigure
from kpilang.messages import DEFAULT_LANGUAGE

from .indented_json import dumps_indented


def number(value: Decimal | None) -> str | None:
    """An exact decimal as plain text: no exponent, every significant digit kept."""
    if value is None:
        return None
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def error_json(err: EvalError, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "subject": err.subject,
        "code": err.code,
        "message": err.message.render(lang),
        "formula": err.formula,
        "file": err.file,
        "line": err.line,
        "column": err.column,
        "cause": err.cause,
        "help": err.help.render(lang) if err.help is not None else None,
    }


def person_json(report: EvalReport, person: PersonResult, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    program = report.program
    outcome = person.outcome
    kpi_figures = outcome.kpis if outcome is not None else {}
    kpis: dict[str, Any] = {}
    for name, kpi in program.kpis.items():
        figures = kpi_figures.get(name)
        kpis[name] = {
            "value": number(figures.value),
            "target": number(figures.target),
            "attainment": number(figures.attainment),
            "weight": number(figures.weight),
            "contribution": number(figures.contribution),
        } if figures is not None else {
            "value": None, "target": None, "attainment": None, "weight": number(tidy(kpi.weight)),
            "contribution": None,
        }
    pay_figures = outcome.pays if outcome is not None else {}
    pays: dict[str, Any] = {}
    for name in program.pays:
        figures = pay_figures.get(name)
        pays[name] = number(figures.value) if figures is not None else None
    metrics = person.metrics
    out = {
        "manager_id": person.manager_id,
        "name": person.name,
        "metrics": {name: number(metrics.get(name)) for name in program.metrics},
        "kpis": kpis,
        "kpi_score": number(outcome.kpi_score) if outcome is not None else None,
        "pays": pays,
        "errors": [error_json(e, lang) for e in person.errors],
    }
    if person.history is not None:  # a plan that looks back: the earlier periods' figures
        history = person.history
        out["earlier"] = {
            "periods": [{"back": back, "period": label,
                         "metrics": {n: number(v) for n, v in history.metrics.get(back, {}).items()}}
                        for back, label in sorted(history.labels.items())],
            "values": {key: number(value) for key, value in history.values.items()},
        }
    if person.team_figures:  # a team plan: the members behind each team figure
        out["team"] = [team_figure_json(f, lang) for f in person.team_figures]
    return out


def team_figure_json(figure: TeamFigure, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "metric": figure.metric, "call": figure.call, "value": number(figure.value), "counted": figure.counted,
        "members": [{"manager_id": m.manager_id, "name": m.name, "role": m.role, "plan": m.plan,
                     "figure": m.figure, "value": number(m.value), "matched": m.matched,
                     "problem": m.problem.render(lang) if m.problem is not None else None, "excluded": m.excluded}
                    for m in figure.members],
    }


def to_json(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "plan_sha256": report.plan_sha256,
        "period": report.period.label,
        "currency": report.currency,
        "results": [person_json(report, p, lang) for p in report.results],
        "skipped": [{"manager_id": s.manager_id, "code": s.code, "reason": s.reason.render(lang)}
                    for s in report.skipped],
        "data_problems": [p.to_json(lang) for p in report.data_problems],
        "tables": [
            {"table": a.table, "file": a.file, "rows_read": a.rows_read, "rows_used": a.rows_used,
             "rows_rejected": a.rows_rejected, "rows_in_period": a.rows_in_period,
             "rows_of_unknown_people": a.rows_of_unknown_people, "rows_excluded": a.rows_excluded}
            for a in report.accounts
        ],
        "inputs": [{"table": f.table, "file": f.file, "sha256": f.sha256, "bytes": f.bytes} for f in report.inputs],
        "snapshot": (None if report.snapshot is None
                     else {"manifest": report.snapshot.manifest, "sha256": report.snapshot.sha256}),
        "paid_despite_unknown_people": report.paid_despite_unknown_people,
    }


@collector_paused()  # the document's dicts live until its text is written: none is garbage
def render_json(report: EvalReport, lang: str = DEFAULT_LANGUAGE, fatal: list[dict[str, Any]] | None = None) -> str:
    """The document as text; `fatal`, when given, is its list of refusals (`kpilang eval` gives
    an empty one: a report exists, so the job was done)."""
    document = to_json(report, lang)
    if fatal is not None:
        document["fatal"] = fatal
    return dumps_indented(document) + "\n"
