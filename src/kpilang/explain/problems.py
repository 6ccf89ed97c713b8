"""What went wrong, in a statement: each evaluation error in plain words (what could not be
computed, where in the plan, what to do) and each problem of the data that concerns this person
(which file, row and column, why, what to do)."""

from __future__ import annotations

from typing import Any

from kpilang.compile.program import Program
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.explain.catalog import Messages
from kpilang.explain.model import DataLine, ErrorLine
from kpilang.explain.source_text import span_text
from kpilang.explain.wording import FormulaWords


def error_line(err: EvalError, program: Program, t: Messages, words: FormulaWords) -> ErrorLine:
    subject = t.data_subject if err.subject == "data" else words.label(err.subject)
    cause_formula = err.formula
    if err.cause == "missing_target" and err.end_line is not None:
        # The error points at the `targets.NAME` the person has no row for; the whole formula
        # (a pay that passes the target to a table, say) is not the name of the missing target.
        cause_formula = span_text(program.sources, err) or err.formula
    text = t.f(f"cause_{err.cause}", subject=subject, formula=cause_formula)
    help_text = err.help.render(t.lang) if err.help is not None else t.get(f"help_{err.cause}")
    location = f"{err.file}:{err.line}:{err.column}" if err.line and err.column else (
        f"{err.file}:{err.line}" if err.line else err.file)
    return ErrorLine(subject=subject, text=text, detail=err.message.render(t.lang), formula=err.formula,
                     location=location, help=help_text)


class DataLines:
    """The data problems of one report, sorted by the person they concern once, then worded per person."""

    def __init__(self, report: EvalReport, t: Messages):
        self.t = t
        self._problems: dict[str | None, list[Any]] = {}
        for problem in report.data_problems:
            if not problem.concerns(report.period.label, report.start_utc, report.end_utc):
                continue  # a row of another period: it changes nothing in this statement
            owners = [None] if problem.owner_unknown else dict.fromkeys(problem.manager_ids)
            for manager_id in owners:
                self._problems.setdefault(manager_id, []).append(problem)

    def lines(self, person: PersonResult) -> list[DataLine]:
        t = self.t
        out = []
        # A row whose owner cannot be told may be anyone's: every statement lists it.
        unowned = self._problems.get(None, [])
        for problem in [*self._problems.get(person.manager_id, ()), *unowned]:
            where = t.f("data_where_row", file=problem.file, row=problem.row) if problem.row is not None \
                else t.f("data_where_file", file=problem.file)
            if problem.column:
                where = t.f("data_where_column", where=where, column=problem.column)
            out.append(DataLine(text=t.f("data_problem", where=where, reason=problem.reason.render(t.lang),
                                         value=problem.value if problem.value is not None else "—"),
                                hint=t.f("data_hint", hint=problem.hint.render(t.lang))))
        return out
