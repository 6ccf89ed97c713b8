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

from kpilang.evaluate.collection_pause import collector_paused
from kpilang.compile.program import Program
from kpilang.evaluate.numbers import tidy
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.evaluate.team import TeamFigure
from kpilang.messages import DEFAULT_LANGUAGE

from .indented_json import Layout, LayoutWriter, Written, dumps_indented, layout_object


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


KPI_KEYS = ("value", "target", "attainment", "weight", "contribution")


def person_json(report: EvalReport, person: PersonResult, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    extra, values = person_values(report, person, lang)
    return layout_object(person_layout(report.program, extra), values)


def person_values(report: EvalReport, person: PersonResult, lang: str = DEFAULT_LANGUAGE) -> tuple[tuple[str, ...], list[Any]]:
    """One person's entry of `results` as the optional keys it has (`earlier`, `team`) and its
    values in the order of `person_layout(program, those keys)`."""
    program = report.program
    outcome = person.outcome
    metrics = person.metrics
    values: list[Any] = [person.manager_id, person.name]
    values += [number(metrics.get(name)) for name in program.metrics]
    kpi_figures = outcome.kpis if outcome is not None else {}
    for name, kpi in program.kpis.items():
        figures = kpi_figures.get(name)
        if figures is not None:
            values += (number(figures.value), number(figures.target), number(figures.attainment),
                       number(figures.weight), number(figures.contribution))
        else:
            values += (None, None, None, number(tidy(kpi.weight)), None)
    values.append(number(outcome.kpi_score) if outcome is not None else None)
    pay_figures = outcome.pays if outcome is not None else {}
    for name in program.pays:
        figures = pay_figures.get(name)
        values.append(number(figures.value) if figures is not None else None)
    values.append([error_json(e, lang) for e in person.errors])
    extra: tuple[str, ...] = ()
    if person.history is not None:  # a plan that looks back: the earlier periods' figures
        history = person.history
        extra += ("earlier",)
        values.append({
            "periods": [{"back": back, "period": label,
                         "metrics": {n: number(v) for n, v in history.metrics.get(back, {}).items()}}
                        for back, label in sorted(history.labels.items())],
            "values": {key: number(value) for key, value in history.values.items()},
        })
    if person.team_figures:  # a team plan: the members behind each team figure
        extra += ("team",)
        values.append([team_figure_json(f, lang) for f in person.team_figures])
    return extra, values


def person_layout(program: Program, extra: tuple[str, ...] = ()) -> Layout:
    """The keys of a person's entry for `program`, with the optional keys `extra` at the end."""
    return ("manager_id", "name", ("metrics", tuple(program.metrics)),
            ("kpis", tuple((name, KPI_KEYS) for name in program.kpis)), "kpi_score",
            ("pays", tuple(program.pays)), "errors", *extra)


def team_figure_json(figure: TeamFigure, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "metric": figure.metric, "call": figure.call, "value": number(figure.value), "counted": figure.counted,
        "members": [{"manager_id": m.manager_id, "name": m.name, "role": m.role, "plan": m.plan,
                     "figure": m.figure, "value": number(m.value), "matched": m.matched,
                     "problem": m.problem.render(lang) if m.problem is not None else None, "excluded": m.excluded}
                    for m in figure.members],
    }


def to_json(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return _document(report, lang, [person_json(report, p, lang) for p in report.results])


def _document(report: EvalReport, lang: str, results: list[Any]) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "plan_sha256": report.plan_sha256,
        "period": report.period.label,
        "currency": report.currency,
        "results": results,
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
    an empty one: a report exists, so the job was done). The same text as `dumps_indented` of
    `to_json`'s document, each person's entry written straight from its values."""
    writers: dict[tuple[str, ...], LayoutWriter] = {}  # by the optional keys a person has

    def written(person: PersonResult) -> Written:
        extra, values = person_values(report, person, lang)
        writer = writers.get(extra)
        if writer is None:
            writer = writers[extra] = LayoutWriter(person_layout(report.program, extra), PERSON_DEPTH)
        return Written(writer.write(values))

    document = _document(report, lang, [written(p) for p in report.results])
    if fatal is not None:
        document["fatal"] = fatal
    return dumps_indented(document) + "\n"


PERSON_DEPTH = 2
"""The depth of a person's entry in the document: the document, its `results`, the entry."""
