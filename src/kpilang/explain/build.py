"""From one person's evaluated figures to a `Statement`: every number formatted for the language,
every formula in words and with the numbers put in, every band and rounding said, every error in
plain words, and what it would take to reach the next band.

The figures come from the evaluator's `PersonOutcome`: the same figures its trace lists step by
step (KPI value, target, raw and capped attainment, contribution; every table hit with its band
and tiers; every pay's raw figure, cap, floor, unrounded and rounded value), read as structured
values rather than as the trace's English notes, so that each can be formatted for the reader's
language. The words come from the catalog. Nothing here computes a figure of pay: the "what it
would take" search re-runs the plan's own formulas.

This module puts a statement together; each kind of line is worded by a module of its own
(figure_lines: metrics, KPIs, score, pays; tables: bands and "what it would take"; problems:
errors and data; growth: earlier periods; team: a head's team).
"""

from __future__ import annotations

import hashlib
from typing import Any

from kpilang.compile.program import SCORE
from kpilang.evaluate.formulas import FormulaEngine
from kpilang.evaluate.results import TableHit
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.explain.approx import is_marked
from kpilang.explain.catalog import Messages
from kpilang.explain.figure_lines import FigureLines
from kpilang.explain.formatting import LocaleFormat
from kpilang.explain.growth import earlier_lines, earlier_period_names
from kpilang.explain.kinds import FigureKinds
from kpilang.explain.leaves import Leaves
from kpilang.explain.model import Statement, WhatItTakes
from kpilang.explain.output_files import file_stem
from kpilang.explain.problems import DataLines, error_line
from kpilang.explain.provenance import provenance_of
from kpilang.explain.reach import ReachFinder
from kpilang.explain.tables import TableLines
from kpilang.explain.team import TeamWords
from kpilang.explain.wording import FormulaWords


class StatementBuilder:
    """Builds statements for one evaluated report in one language.

    Everything that does not depend on the person (labels, formulas in words, band texts, the
    chart's bars) is worded and formatted once, when the builder is made; per person only the
    figures are formatted and slotted in."""

    def __init__(self, report: EvalReport, t: Messages, *, engine: FormulaEngine | None = None,
                 what_it_takes: bool = True):
        self.report = report
        self.program = report.program
        self.t = t
        self.lang = t.lang
        self.fmt = LocaleFormat(t.lang, report.currency)
        self.words = FormulaWords(self.program, t, self.fmt)
        self.words.earlier_names = earlier_period_names(self)
        self.kinds = FigureKinds(self.program)
        self.engine = engine or FormulaEngine(self.program)
        self.reach = ReachFinder(self.program, self.engine) if what_it_takes else None
        self.period = self._period_label()
        plan = self.program.plan
        assert plan is not None
        self.plan = plan
        self.final_pay = self.program.final_pay
        self.fingerprint, self.fingerprint_note = self._fingerprint()
        self.provenance = provenance_of(report)
        program = self.program
        self.team_words = TeamWords(program, t, self.fmt, self.words) if program.member_plans else None
        self.lines = FigureLines(program, t, self.fmt, self.words, self.kinds, period=self.period,
                                 team_words=self.team_words)
        self.tables = TableLines(program, t, self.fmt, self.kinds, self.words)
        self.data_lines = DataLines(report, t)
        self._subject_order = {name: i for i, name in enumerate((*program.kpis, *program.pays))}

    # ---- header ----
    def _period_label(self) -> str:
        period = self.report.period
        if period.kind == "month":
            return self.fmt.month(period.first_day)
        if period.kind == "quarter":
            return self.fmt.quarter(period.first_day)
        week = period.first_day.isocalendar()
        return self.t.f("week", week=week.week, year=week.year, days=self.fmt.day_range(period.first_day, period.end_day))

    def _fingerprint(self) -> tuple[str, str | None]:
        if self.report.plan_sha256:
            return self.report.plan_sha256, None
        try:
            from kpilang.change.fingerprint import fingerprint
        except ImportError:
            joined = "\0".join(self.program.sources[f] for f in self.program.files)
            return hashlib.sha256(joined.encode()).hexdigest(), self.t.fingerprint_fallback
        return fingerprint(self.program), None

    # ---- one person ----
    def build(self, person: PersonResult) -> Statement:
        outcome = person.outcome
        errors = [error_line(e, self.program, self.t, self.words) for e in person.errors]
        errors_by_subject = {e.subject: line for e, line in zip(person.errors, errors)}
        metrics = self.lines.metrics(person)
        kpis, tables, pays = [], [], []
        reaches: list[WhatItTakes] = []
        top: list[str] = []
        score = score_numbers = total = total_amount = None
        if outcome is not None:
            leaves = Leaves(self.program, self.t, self.fmt, self.kinds, person, outcome)
            hits: dict[str, list[TableHit]] = {}
            for hit in outcome.table_hits:
                hits.setdefault(hit.subject, []).append(hit)
            for name in self.program.kpis:
                kpis.append(self.lines.kpi(name, outcome.kpis[name], leaves, errors_by_subject.get(name)))
                tables += [self.tables.line(hit) for hit in hits.get(name, ())]
            for name in self.program.pays:
                pays.append(self.lines.pay(name, outcome.pays[name], leaves, errors_by_subject.get(name)))
                tables += [self.tables.line(hit) for hit in hits.get(name, ())]
            if outcome.kpi_score is not None:
                score = self.fmt.figure(outcome.kpi_score, "percent")
            score_numbers = self.lines.score_numbers(outcome)
            final = outcome.pays.get(self.final_pay) if self.final_pay else None
            if final is not None and final.value is not None:
                total_amount = final.value
                total = self.fmt.figure(total_amount, "money")
            if self.reach is not None and person.inputs is not None:
                found = self.reach.find(person.inputs, outcome, person.role)
                # in the order the statement shows the tables: by the KPI or pay that uses them
                found.sort(key=lambda r: self._subject_order.get(r.hit.subject, len(self._subject_order)))
                reaches = [self.tables.what_it_takes(r) for r in found]
                top = [self.words.label(h.table) for h in self.reach.top_band(outcome)]
        statement = Statement(
            lang=self.lang, manager_id=person.manager_id, name=person.name or person.manager_id,
            role=person.role or "—", team=person.team or "—",
            plan_name=self.plan.name, plan_label=self.plan.label or self.plan.name, goal=self.plan.goal,
            fingerprint=self.fingerprint, fingerprint_note=self.fingerprint_note, period=self.period,
            period_code=self.report.period.label, currency=self.report.currency, scope_team=self.plan.scope == "team",
            metrics=metrics, kpis=kpis, score=score, score_words=self.lines.score_words,
            score_numbers=score_numbers or "", score_error=errors_by_subject.get(SCORE), tables=tables, pays=pays,
            errors=errors, data=self.data_lines.lines(person), what_it_takes=reaches, top_band=top, total=total,
            total_amount=total_amount,
            file_stem=file_stem(person.manager_id), provenance=self.provenance,
            earlier=earlier_lines(self, person),
            team_figures=self.team_words.figures(person.team_figures) if self.team_words else [],
        )
        statement.rounded = _any_marked(statement)
        return statement


def _any_marked(node: Any) -> bool:
    """Whether a rounded figure is anywhere in a statement's strings (dataclasses, lists, text)."""
    if isinstance(node, str):
        return is_marked(node)
    if isinstance(node, list):
        return any(_any_marked(item) for item in node)
    slots = getattr(type(node), "__slots__", None)
    if slots and hasattr(node, "__dataclass_fields__"):
        return any(_any_marked(getattr(node, name)) for name in node.__dataclass_fields__)
    return False


__all__ = ["StatementBuilder"]
