"""The trace: one `Step` per metric used, KPI, the score, table look-up and pay, in the order they
were computed, each with its formula as written and the same formula with the numbers put in.

A statement explains every number from these steps alone: `meetings / calls otherwise 0` →
`12 / 120 otherwise 0` = 0.1; "target 8% = 0.08"; "attainment 0.1 / 0.08 = 1.25"; "1.00 ≤
1.05000025 < 1.20 → 1.2"; "rounded to 0.01 half up: 72000.0 → 72000.00". The notes are catalog
texts (`trace.…` in `kpilang.messages`), said in the reader's language when shown, and so is a
figure without a value wherever it appears, in a note or in a formula with the numbers put in
(`figure`); the numbers are written as `plain` writes them, the same in every language.
"""

from __future__ import annotations

from typing import Any

from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.numbers import minor_unit, percent, plain
from kpilang.evaluate.plan_code import leaf_key
from kpilang.evaluate.results import KpiFigures, PayFigures, PersonOutcome, Step, TableHit
from kpilang.evaluate.table_lookup import band_text, why_in_band
from kpilang.messages import Concat, Text, t


def figure_of(program: Program, inputs: Any, outcome: PersonOutcome, name: str) -> Any:
    """The value a name has in one person's formulas: a metric, `salary`, `targets.X`, `managers.X`,
    `kpi_score`, a KPI (its attainment) or a pay (its rounded amount); None for no value."""
    if name in program.metrics:
        return inputs.metrics.get(name)
    if name in inputs.history:
        return inputs.history[name]
    if name == SALARY:
        return inputs.salary
    if name.startswith("targets."):
        return inputs.targets.get(name.removeprefix("targets."))
    if name.startswith("managers."):
        return inputs.managers.get(name.removeprefix("managers."))
    if name == SCORE:
        return outcome.kpi_score
    if name in outcome.kpis:
        return outcome.kpis[name].attainment
    if name in outcome.pays:
        return outcome.pays[name].value
    return None


NOT_GIVEN = "trace.not-given"
"""The note of a metric a test's `given` does not set."""
USED_BY = "trace.used-by"
"""The last note of a table look-up: the KPI or pay that made it (its `subject`)."""


NO_VALUE = "trace.none"
"""The word for a figure without a value."""

_NO_VALUE_MARK = "\0"
"""Stands for a figure without a value while a formula's text is put together (no plan or number
holds it); `_with_words` turns it into the word."""


def _marked(value: Any) -> str:
    return _NO_VALUE_MARK if value is None else plain(value)


def _with_words(text: str) -> str | Concat:
    """`text` as it is, or, when it holds figures without a value, with the word for each."""
    if _NO_VALUE_MARK not in text:
        return text
    pieces: list[Any] = []
    for i, piece in enumerate(text.split(_NO_VALUE_MARK)):
        if i:
            pieces.append(t(NO_VALUE))
        if piece:
            pieces.append(piece)
    return Concat(tuple(pieces))


def figure(value: Any) -> str | Concat:
    """A figure as the trace shows it: as `plain` writes it, or the reader's word for no value."""
    return _with_words(_marked(value))


def _label(label: str | None) -> list[Text]:
    """A declaration's label from the plan, as written, as the first note."""
    return [t("verbatim", text=label)] if label else []


class TraceBuilder:
    def __init__(self, program: Program, text: SourceText):
        self.program = program
        self.text = text
        used: set[str] = set()
        for name in (*program.kpis, *program.pays):
            used |= program.reaches(name)
        self.used_metrics = [n for n in program.order if n in program.metrics and n in used]
        self.quantum = minor_unit(program.plan.currency if program.plan is not None else None)

    def steps(self, inputs: Any, outcome: PersonOutcome) -> list[Step]:
        p = self.program

        def value_of(name: str) -> Any:
            return figure_of(p, inputs, outcome, name)

        def put_in(node: Any) -> str | None:
            key = leaf_key(node)
            return _marked(value_of(key)) if key is not None else None

        hits_by_subject: dict[str, list[TableHit]] = {}
        for hit in outcome.table_hits:
            hits_by_subject.setdefault(hit.subject, []).append(hit)
        errors = {e.subject: e for e in outcome.errors}

        steps: list[Step] = []
        for name in self.used_metrics:
            steps.append(self._metric(name, inputs))
        for name in p.order:
            if name in p.kpis:
                steps += [self._table(h) for h in hits_by_subject.get(name, [])]
                steps.append(self._kpi(name, outcome.kpis[name], put_in, errors.get(name)))
            elif name == SCORE:
                steps.append(self._score(outcome, errors.get(SCORE)))
            elif name in p.pays:
                steps += [self._table(h) for h in hits_by_subject.get(name, [])]
                steps.append(self._pay(name, outcome.pays[name], put_in, errors.get(name)))
        return steps

    def _metric(self, name: str, inputs: Any) -> Step:
        metric = self.program.metrics[name]
        value = inputs.metrics.get(name)
        notes = _label(metric.label)
        if name not in inputs.metrics:
            notes.append(t(NOT_GIVEN))
        elif value is None:
            notes.append(t("trace.no-value"))
        return Step(subject=name, kind="metric", formula=self.text.text(metric.expr.span), substituted=figure(value),
                    value=value, notes=notes)

    def _kpi(self, name: str, f: KpiFigures, put_in, error) -> Step:
        kpi = self.program.kpis[name]
        notes = [t("trace.value", value=figure(f.value)),
                 t("trace.target", formula=self.text.text(kpi.target.span), value=figure(f.target))]
        if f.raw_attainment is not None:
            notes.append(t("trace.attainment-lower-is-better" if kpi.lower_is_better else "trace.attainment",
                           value=figure(f.value), target=figure(f.target), attainment=figure(f.raw_attainment)))
            if f.capped:
                notes.append(t("trace.above-cap", cap=percent(kpi.cap), attainment=figure(f.attainment)))
            elif f.floored:
                notes.append(t("trace.below-zero"))
            elif kpi.cap is not None:
                notes.append(t("trace.within-cap", cap=percent(kpi.cap)))
            notes.append(t("trace.contribution", weight=percent(kpi.weight), attainment=figure(f.attainment),
                           contribution=figure(f.contribution)))
        if error is not None:
            notes.append(t("trace.error", message=error.message))
        return Step(subject=name, kind="kpi", formula=self.text.text(kpi.expr.span),
                    substituted=_with_words(self.text.substituted(kpi.expr, put_in)), value=f.attainment, notes=notes)

    def _score(self, outcome: PersonOutcome, error) -> Step:
        kpis = self.program.kpis
        formula = " + ".join(f"{percent(k.weight)} × {n}" for n, k in kpis.items())
        substituted = " + ".join(f"{percent(k.weight)} × {_marked(outcome.kpis[n].attainment)}" for n, k in kpis.items())
        notes = [t("trace.score")]
        if error is not None:
            notes.append(t("trace.error", message=error.message))
        return Step(subject=SCORE, kind="score", formula=formula, substituted=_with_words(substituted), value=outcome.kpi_score,
                    notes=notes)

    def _table(self, hit: TableHit) -> Step:
        table = self.program.tables[hit.table]
        args = _marked(hit.argument) + ("" if hit.base is None else f", {_marked(hit.base)}")
        notes = _label(table.label)
        if hit.graduated:
            notes += [t("trace.tier", band=band_text(part.low, part.high), rate=percent(part.rate),
                        amount=figure(part.amount), result=figure(part.result)) for part in hit.parts]
            notes.append(t("trace.tiers-sum", result=figure(hit.result)))
        else:
            notes.append(t("trace.band", why=why_in_band(hit.argument, hit.low, hit.high), value=figure(hit.value)))
        notes.append(t(USED_BY, subject=hit.subject))
        return Step(subject=hit.table, kind="table", formula=hit.call, substituted=_with_words(f"{hit.table}({args})"),
                    value=hit.result, notes=notes)

    def _pay(self, name: str, f: PayFigures, put_in, error) -> Step:
        pay = self.program.pays[name]
        notes = [t("trace.formula", value=figure(f.raw))]
        if pay.cap is not None:
            cap_text = _with_words(f"{self.text.text(pay.cap.span)} = {_marked(f.cap)}")
            notes.append(t("trace.capped" if f.capped else "trace.cap-not-reached", cap=cap_text))
        if pay.floor is not None:
            floor_text = _with_words(f"{self.text.text(pay.floor.span)} = {_marked(f.floor)}")
            notes.append(t("trace.floored" if f.floored else "trace.floor-not-reached", floor=floor_text))
        if f.value is not None:
            notes.append(t("trace.rounded", quantum=plain(self.quantum), unrounded=figure(f.unrounded),
                           value=figure(f.value)))
        if error is not None:
            notes.append(t("trace.error", message=error.message))
        return Step(subject=name, kind="pay", formula=self.text.text(pay.expr.span),
                    substituted=_with_words(self.text.substituted(pay.expr, put_in)), value=f.value, notes=notes)
