"""A statement's figure lines: each metric with what it counts, each KPI (formula in words and
with the numbers put in, target, attainment, cap, weight, contribution, its bar), the score, and
each pay (raw figure, cap, floor and rounding, each said when it applied)."""

from __future__ import annotations

from dataclasses import dataclass

from kpilang.checks.controllability import Controllability
from kpilang.compile.program import Program
from kpilang.evaluate.numbers import minor_unit
from kpilang.evaluate.results import KpiFigures, PayFigures, PersonOutcome
from kpilang.evaluate.run import PersonResult
from kpilang.explain.catalog import Messages
from kpilang.explain.charts import KpiBars
from kpilang.explain.formatting import FigureKind, LocaleFormat
from kpilang.explain.kinds import FigureKinds
from kpilang.explain.leaves import Leaves
from kpilang.explain.model import ErrorLine, KpiLine, MetricLine, PayLine
from kpilang.explain.source_text import formula_source
from kpilang.explain.team import TeamWords
from kpilang.explain.wording import FormulaWords, Substitution


@dataclass(frozen=True)
class _KpiText:
    """What a KPI's lines say whoever the person is: worded once per program."""

    label: str
    formula: str
    words: str
    numbers: Substitution
    target_words: str
    weight: str
    cap: str | None
    kind: FigureKind


@dataclass(frozen=True)
class _PayText:
    label: str
    formula: str
    words: str
    numbers: Substitution
    cap_words: str | None
    floor_words: str | None


class FigureLines:
    """Metric, KPI, score and pay lines in one language for one program: what does not depend on
    the person is worded when this is made; per person only the figures are formatted and slotted in."""

    def __init__(self, program: Program, t: Messages, fmt: LocaleFormat, words: FormulaWords, kinds: FigureKinds,
                 *, period: str, team_words: TeamWords | None):
        self.program = program
        self.t = t
        self.fmt = fmt
        self.words = words
        self.kinds = kinds
        plan = program.plan
        assert plan is not None
        self.quantum_text = fmt.figure(minor_unit(plan.currency), "money")
        fig = fmt.figure
        self._kpis = {
            name: _KpiText(label=k.label or name, formula=formula_source(program, k.expr), words=words.words(k.expr),
                           numbers=Substitution(words, k.expr), target_words=words.words(k.target),
                           weight=fig(k.weight, "percent"), cap=fig(k.cap, "percent") if k.cap is not None else None,
                           kind=kinds.kpi[name])
            for name, k in program.kpis.items()
        }
        self._pays = {
            name: _PayText(label=p.label or name, formula=formula_source(program, p.expr), words=words.words(p.expr),
                           numbers=Substitution(words, p.expr),
                           cap_words=words.words(p.cap) if p.cap is not None else None,
                           floor_words=words.words(p.floor) if p.floor is not None else None)
            for name, p in program.pays.items()
        }
        self._counted = {
            name: (team_words and team_words.metric_counted(m.expr, period))
            or words.counted(m.expr, period, team=plan.scope == "team") for name, m in program.metrics.items()
        }
        self.score_words = " + ".join(f"{self._kpis[n].weight} × {words.label(n)}" for n in program.kpis)
        self._bars = KpiBars(fmt)
        self._uncontrollable: dict[str | None, dict[str, bool]] = {}
        self._control = Controllability(program)
        """The linter's judgement (the author's word, else kpilang's model), so that a statement
        marks what the lint output names, and shows the author's reason where it overrules."""

    def _uncontrollable_for(self, role: str | None) -> dict[str, bool]:
        found = self._uncontrollable.get(role)
        if found is None:
            found = self._uncontrollable[role] = {
                name: self._control.uncontrollable_for(name, role) for name in self.program.metrics}
        return found

    def metrics(self, person: PersonResult) -> list[MetricLine]:
        uncontrollable = self._uncontrollable_for(person.role)
        out = []
        for name, metric in self.program.metrics.items():
            value = person.metrics.get(name)
            has_value = value is not None
            if has_value:
                shown = self.fmt.figure(value, self.kinds.metric[name])
            elif person.outcome is None:
                shown = self.t.not_computed
            else:
                shown = self.t.no_value
            out.append(MetricLine(
                name=name, label=metric.label or name, value=shown, counted=self._counted[name], has_value=has_value,
                uncontrollable=uncontrollable[name], controllable_because=self._control.overruled(name, person.role)))
        return out

    def kpi(self, name: str, f: KpiFigures, leaves: Leaves, error: ErrorLine | None) -> KpiLine:
        text = self._kpis[name]
        fig = self.fmt.figure
        value, target, raw = fig(f.value, text.kind), fig(f.target, text.kind), fig(f.raw_attainment, "percent")
        if f.capped and f.cap is not None and f.raw_attainment is not None and f.raw_attainment > f.cap:
            raw = self.fmt.above(f.raw_attainment, f.cap, "percent")  # above the cap, also as shown
        key = "kpi_direction_lower" if f.lower_is_better else "kpi_direction"
        attainment, contribution = fig(f.attainment, "percent"), fig(f.contribution, "percent")
        t = self.t
        if f.capped:
            cap_note = t.f("kpi_capped", cap=text.cap, attainment=attainment)
        elif f.floored:
            cap_note = t.kpi_floored
        elif text.cap is not None:
            cap_note = t.f("kpi_within_cap", cap=text.cap)
        else:
            cap_note = t.kpi_no_cap
        return KpiLine(
            name=name, label=text.label, formula=text.formula, words=text.words,
            numbers=text.numbers.fill(leaves.texts(text.numbers.keys)), value=value, target=target,
            target_words=text.target_words, direction=self.t.f(key, target=target, value=value, result=raw),
            raw_attainment=raw, attainment=attainment, cap=text.cap, capped=f.capped,
            floored=f.floored, weight=text.weight, contribution=contribution, cap_note=cap_note,
            contribution_line=t.f("kpi_contribution_line", weight=text.weight, attainment=attainment,
                                  contribution=contribution),
            error=error, bar=self._bars.bar(f),
        )

    def score_numbers(self, outcome: PersonOutcome) -> str:
        """The score's sum with the person's attainments put in (`40 % × 95 % + …`)."""
        return " + ".join(f"{self._kpis[n].weight} × {self.fmt.figure(outcome.kpis[n].attainment, 'percent')}"
                          for n in self.program.kpis if n in outcome.kpis)

    def pay(self, name: str, f: PayFigures, leaves: Leaves, error: ErrorLine | None) -> PayLine:
        text = self._pays[name]
        fig = self.fmt.figure
        computed = f.value is not None  # without a figure, cap, floor and rounding were never applied
        value = fig(f.value, "money")
        # the rounding line shows what was rounded, every digit of it
        unrounded = self.fmt.exact(f.unrounded, "money") if f.unrounded is not None else "—"
        rounding = None
        # a rounding that changes nothing (70 000 → 70 000,00) is no step to read about
        if f.unrounded is not None and computed and f.unrounded != f.value:
            rounding = self.t.f("pay_rounded", unrounded=unrounded, value=value, quantum=self.quantum_text)
        cap = fig(f.cap, "money") if text.cap_words is not None and computed else None
        floor = fig(f.floor, "money") if text.floor_words is not None and computed else None
        cap_line = floor_line = None
        if cap is not None:
            cap_line = self.t.f("pay_cap_applied" if f.capped else "pay_cap_not_reached", words=text.cap_words, cap=cap)
        if floor is not None:
            floor_line = self.t.f("pay_floor_applied" if f.floored else "pay_floor_not_reached",
                                  words=text.floor_words, floor=floor)
        return PayLine(
            name=name, label=text.label, formula=text.formula, words=text.words,
            numbers=text.numbers.fill(leaves.texts(text.numbers.keys)), raw=fig(f.raw, "money"),
            cap=cap, cap_words=text.cap_words, capped=f.capped, floor=floor, floor_words=text.floor_words,
            floored=f.floored, unrounded=unrounded, value=value, cap_line=cap_line, floor_line=floor_line,
            rounding=rounding, error=error,
        )
