"""From one person's evaluated figures to a `Statement`: every number formatted for the language,
every formula in words and with the numbers put in, every band and rounding said, every error in
plain words, and what it would take to reach the next band.

The figures come from the evaluator's `PersonOutcome`: the same figures its trace lists step by
step (KPI value, target, raw and capped attainment, contribution; every table hit with its band
and tiers; every pay's raw figure, cap, floor, unrounded and rounded value), read as structured
values rather than as the trace's English notes, so that each can be formatted for the reader's
language. The words come from the catalog. Nothing here computes a figure of pay: the "what it
would take" search re-runs the plan's own formulas.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kpilang.checks.controllability import Controllability
from kpilang.compile.history import lookbacks
from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.evaluate.formulas import FormulaEngine
from kpilang.evaluate.numbers import minor_unit
from kpilang.evaluate.results import EvalError, KpiFigures, PayFigures, PersonOutcome, TableHit
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.explain.approx import is_marked
from kpilang.explain.catalog import Messages
from kpilang.explain.formatting import FigureKind, LocaleFormat, unit_kind
from kpilang.explain.growth import earlier_lines, earlier_period_names, is_ratio_of_counts, lookback_kind
from kpilang.explain.model import (
    Bar, BandLine, ChartColumn, DataLine, ErrorLine, KpiLine, MetricLine, Option, PayLine, Statement, StepChart,
    TableLine, TierLine, WhatItTakes,
)
from kpilang.explain.provenance import provenance_of
from kpilang.explain.reach import Reach, ReachFinder
from kpilang.explain.team import TeamWords
from kpilang.explain.wording import FormulaWords, Substitution
from kpilang.syntax import ast

_CHART = Decimal("0.1")
_ZERO, _ONE, _UNCAPPED_SCALE = Decimal(0), Decimal(1), Decimal("1.5")
_LABEL_MARGIN = Decimal(22)  # how near an edge the marker's label turns to stay inside the chart
# The step chart's plot area inside its 100 × 50 view box.
_PLOT_BOTTOM, _PLOT_HEIGHT, _GAP = Decimal(38), Decimal(28), Decimal("0.6")
_HUNDRED = Decimal(100)
_SAFE_STEM = re.compile(r"[^A-Za-z0-9_.-]")


class FigureKinds:
    """How each figure of one program is shown: as a count, a number, a percent, money or a duration.

    A KPI or metric that is a fraction is shown as a percent when the plan writes its target as
    one (`target 8%`) or when it is a `share(...)`; table edges and values follow how the table's
    bands are written (`70% to 90%` → percents, `: 0.5` → a number)."""

    def __init__(self, program: Program):
        self.program = program
        self.metric: dict[str, FigureKind] = {}
        for name, metric in program.metrics.items():
            is_share = isinstance(metric.expr, ast.Call) and metric.expr.func == "share"
            self.metric[name] = "percent" if is_share else unit_kind(metric.unit)
        self.kpi: dict[str, FigureKind] = {}
        self.target_kind: dict[str, FigureKind] = {}
        for name, kpi in program.kpis.items():
            kind = unit_kind(kpi.unit)
            if kind == "number" and (isinstance(kpi.target, ast.Percent) or is_ratio_of_counts(program, kpi.expr)):
                kind = "percent"
            self.kpi[name] = kind
            if isinstance(kpi.target, ast.Dotted) and kpi.target.table == "targets":
                self.target_kind.setdefault(kpi.target.column, kind)
        self.table_key: dict[str, FigureKind] = {}
        self.table_value: dict[str, FigureKind] = {}
        sources = program.sources
        for name, table in program.tables.items():
            edges_percent = values_percent = False
            for band in table.bands:
                text = _span_text(sources, band.span)
                edges, _, value = text.rpartition(":")
                edges_percent |= "%" in edges
                values_percent |= "%" in value
            key = unit_kind(table.key_unit)
            self.table_key[name] = "percent" if edges_percent and key == "number" else key
            value_kind = unit_kind(table.value_unit)
            self.table_value[name] = "percent" if (values_percent or table.graduated) and value_kind == "number" \
                else value_kind

        # A table's argument as the call site shows it: `commission_tiers(revenue, …)` is money.
        self.table_argument: dict[str, FigureKind] = {}
        for decl in (*program.kpis.values(), *program.pays.values()):
            for node in ast.walk(decl.expr):
                if isinstance(node, ast.Call) and node.func in program.tables and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Name | ast.Dotted):
                        key = arg.name if isinstance(arg, ast.Name) else f"{arg.table}.{arg.column}"
                        self.table_argument.setdefault(node.func, self.leaf(key))
        for name in program.tables:
            self.table_argument.setdefault(name, self.table_key[name])
        self.lookback = {key: lookback_kind(program, self.metric, call) for key, call in lookbacks(program).items()}

    def leaf(self, key: str) -> FigureKind:
        p = self.program
        if key in p.metrics:
            return self.metric[key]
        if key in p.kpis or key == SCORE:
            return "percent"
        if key in p.pays or key == SALARY:
            return "money"
        if key.startswith("targets."):
            return self.target_kind.get(key.split(".", 1)[1], "number")
        return self.lookback.get(key, "number")


def _span_text(sources: dict[str, str], span: Any) -> str:
    lines = sources.get(span.file, "").splitlines()
    if not lines or span.line > len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1:]]
    parts += lines[span.line:span.end_line - 1]
    parts.append(lines[span.end_line - 1][:span.end_column - 1])
    return " ".join(parts)


def file_stem(manager_id: str) -> str:
    """A file name for a person's statement: the id itself when it is safe in a path, otherwise the
    id with unsafe characters replaced and a short hash, so that two ids never share a file."""
    safe = _SAFE_STEM.sub("_", manager_id)
    if safe == manager_id and safe not in ("", ".", "..") and not safe.lower().startswith("index"):
        return safe
    return f"{safe.strip('.') or 'person'}-{hashlib.sha256(manager_id.encode()).hexdigest()[:8]}"


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
        self.quantum = minor_unit(plan.currency)
        self.quantum_text = self.fmt.figure(self.quantum, "money")
        self.final_pay = self.program.final_pay
        self.fingerprint, self.fingerprint_note = self._fingerprint()
        self.provenance = provenance_of(report)
        fig, words, program = self.fmt.figure, self.words, self.program
        self._kpis = {
            name: _KpiText(label=k.label or name, formula=_source(program, k.expr), words=words.words(k.expr),
                           numbers=Substitution(words, k.expr), target_words=words.words(k.target),
                           weight=fig(k.weight, "percent"), cap=fig(k.cap, "percent") if k.cap is not None else None,
                           kind=self.kinds.kpi[name])
            for name, k in program.kpis.items()
        }
        self._pays = {
            name: _PayText(label=p.label or name, formula=_source(program, p.expr), words=words.words(p.expr),
                           numbers=Substitution(words, p.expr),
                           cap_words=words.words(p.cap) if p.cap is not None else None,
                           floor_words=words.words(p.floor) if p.floor is not None else None)
            for name, p in program.pays.items()
        }
        self.team_words = TeamWords(program, t, self.fmt, words) if program.member_plans else None
        self._counted = {
            name: (self.team_words and self.team_words.metric_counted(m.expr, self.period))
            or words.counted(m.expr, self.period, team=plan.scope == "team") for name, m in program.metrics.items()
        }
        self._score_words = " + ".join(f"{self._kpis[n].weight} × {words.label(n)}" for n in program.kpis)
        self._bands: dict[tuple[str, int, bool], tuple[list[BandLine], list[ChartColumn]]] = {}
        self._subject_order = {name: i for i, name in enumerate((*program.kpis, *program.pays))}
        self._bar_scales: dict[Decimal, tuple[str, str | None, str]] = {}
        self._uncontrollable: dict[str | None, dict[str, bool]] = {}
        self._control = Controllability(program)
        """The linter's judgement (the author's word, else kpilang's model), so that a statement
        marks what the lint output names, and shows the author's reason where it overrules."""
        self._problems: dict[str | None, list[Any]] = {}
        for problem in report.data_problems:
            if not problem.concerns(report.period.label, report.start_utc, report.end_utc):
                continue  # a row of another period: it changes nothing in this statement
            owners = [None] if problem.owner_unknown else dict.fromkeys(problem.manager_ids)
            for manager_id in owners:
                self._problems.setdefault(manager_id, []).append(problem)

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
        errors = [self._error(e) for e in person.errors]
        errors_by_subject = {e.subject: line for e, line in zip(person.errors, errors)}
        metrics = self._metrics(person)
        kpis, tables, pays = [], [], []
        reaches: list[WhatItTakes] = []
        top: list[str] = []
        score = score_numbers = total = total_amount = None
        if outcome is not None:
            leaves = _Leaves(self, person, outcome)
            hits: dict[str, list[TableHit]] = {}
            for hit in outcome.table_hits:
                hits.setdefault(hit.subject, []).append(hit)
            for name in self.program.kpis:
                kpis.append(self._kpi(name, outcome.kpis[name], leaves, errors_by_subject.get(name)))
                tables += [self._table(hit) for hit in hits.get(name, ())]
            for name in self.program.pays:
                pays.append(self._pay(name, outcome.pays[name], leaves, errors_by_subject.get(name)))
                tables += [self._table(hit) for hit in hits.get(name, ())]
            if outcome.kpi_score is not None:
                score = self.fmt.figure(outcome.kpi_score, "percent")
            score_numbers = " + ".join(f"{self._kpis[n].weight} × {self.fmt.figure(outcome.kpis[n].attainment, 'percent')}"
                                       for n in self.program.kpis if n in outcome.kpis)
            final = outcome.pays.get(self.final_pay) if self.final_pay else None
            if final is not None and final.value is not None:
                total_amount = final.value
                total = self.fmt.figure(total_amount, "money")
            if self.reach is not None and person.inputs is not None:
                found = self.reach.find(person.inputs, outcome, person.role)
                # in the order the statement shows the tables: by the KPI or pay that uses them
                found.sort(key=lambda r: self._subject_order.get(r.hit.subject, len(self._subject_order)))
                reaches = [self._what_it_takes(r) for r in found]
                top = [self.words.label(h.table) for h in self.reach.top_band(outcome)]
        statement = Statement(
            lang=self.lang, manager_id=person.manager_id, name=person.name or person.manager_id,
            role=person.role or "—", team=person.team or "—",
            plan_name=self.plan.name, plan_label=self.plan.label or self.plan.name, goal=self.plan.goal,
            fingerprint=self.fingerprint, fingerprint_note=self.fingerprint_note, period=self.period,
            period_code=self.report.period.label, currency=self.report.currency, scope_team=self.plan.scope == "team",
            metrics=metrics, kpis=kpis, score=score, score_words=self._score_words, score_numbers=score_numbers or "",
            score_error=errors_by_subject.get(SCORE), tables=tables, pays=pays, errors=errors,
            data=self._data_lines(person), what_it_takes=reaches, top_band=top, total=total, total_amount=total_amount,
            file_stem=file_stem(person.manager_id), provenance=self.provenance,
            earlier=earlier_lines(self, person),
            team_figures=self.team_words.figures(person.team_figures) if self.team_words else [],
        )
        statement.rounded = _any_marked(statement)
        return statement

    def _uncontrollable_for(self, role: str | None) -> dict[str, bool]:
        found = self._uncontrollable.get(role)
        if found is None:
            found = self._uncontrollable[role] = {
                name: self._control.uncontrollable_for(name, role) for name in self.program.metrics}
        return found

    def _metrics(self, person: PersonResult) -> list[MetricLine]:
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

    def _kpi(self, name: str, f: KpiFigures, leaves: _Leaves, error: ErrorLine | None) -> KpiLine:
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
            error=error, bar=self._bar(f),
        )

    def _bar(self, f: KpiFigures) -> Bar | None:
        if f.raw_attainment is None or f.attainment is None:
            return None
        # The chart's right edge: the cap, or (without one) far enough to show the attainment.
        scale = max(_ONE, f.cap) if f.cap is not None else max(_UNCAPPED_SCALE, f.raw_attainment)
        fixed = self._bar_scales.get(scale)
        if fixed is None:
            fixed = self._bar_scales[scale] = (
                _pct(_HUNDRED / scale), _pct(f.cap / scale * _HUNDRED) if f.cap is not None else None,
                self.fmt.figure(scale, "percent"))
        width = min(max(f.attainment, _ZERO) / scale, _ONE) * _HUNDRED
        state = "capped" if f.capped else "met" if f.attainment >= _ONE else "below"
        return Bar(width=_pct(width), target_at=fixed[0], cap_at=fixed[1], capped=f.capped, scale=fixed[2],
                   target=self.fmt.figure(_ONE, "percent"), state=state)

    def _band_text(self, table: str, low: Decimal | None, high: Decimal | None, base: bool = False,
                   amount_kind: FigureKind | None = None) -> str:
        kind = amount_kind or ("percent" if base else self.kinds.table_key[table])
        fig = self.fmt.figure
        if low is None and high is None:
            return self.t.band_any
        if low is None:
            return self.t.f("band_below", high=fig(high, kind))
        if high is None:
            return self.t.f("band_from", low=fig(low, kind))
        return self.t.f("band_range", low=fig(low, kind), high=fig(high, kind))

    def _bands_for(self, name: str, hit_band: int, with_base: bool) -> tuple[list[BandLine], list[ChartColumn]]:
        """The table's bands with one of them marked, and its chart's bars (made once per band hit)."""
        key = (name, hit_band, with_base)
        found = self._bands.get(key)
        if found is None:
            table = self.program.tables[name]
            value_kind = self.kinds.table_value[name]
            fig = self.fmt.figure
            bands = [BandLine(text=self._band_text(name, b.low, b.high, with_base), value=fig(b.value, value_kind),
                              hit=i == hit_band) for i, b in enumerate(table.bands)]
            columns = []
            if not table.graduated and table.bands:
                top = max(b.value for b in table.bands)
                width = _HUNDRED / len(table.bands)
                for i, band in enumerate(table.bands):
                    height = (band.value / top * _PLOT_HEIGHT) if top > 0 and band.value > 0 else Decimal(0)
                    x = width * i
                    columns.append(ChartColumn(
                        x=_pct(x + _GAP), y=_pct(_PLOT_BOTTOM - height), width=_pct(width - 2 * _GAP),
                        height=_pct(height), middle=_pct(x + width / 2), value=fig(band.value, value_kind),
                        edge=fig(band.low, self.kinds.table_key[name]) if band.low is not None and i else "",
                        edge_x=_pct(x), hit=i == hit_band))
            found = self._bands[key] = (bands, columns)
        return found

    def _table(self, hit: TableHit) -> TableLine:
        table = self.program.tables[hit.table]
        key_kind = self.kinds.table_key[hit.table]
        value_kind = self.kinds.table_value[hit.table]
        arg_kind = self.kinds.table_argument[hit.table]
        fig = self.fmt.figure
        with_base = hit.base is not None
        argument = fig(hit.argument, arg_kind)
        if with_base:
            argument = self.t.f("table_argument_base", argument=argument, base=fig(hit.base, arg_kind))
        edge_kind = "percent" if with_base else key_kind
        compared, compared_kind = (hit.argument / hit.base, "percent") if with_base and hit.base else \
            (hit.argument, arg_kind)
        # The comparison must read true with the figures as shown (never `90 % < 90 %`).
        low, why, high = self.fmt.between(hit.low, compared, hit.high, compared_kind, edge_kind)
        if low is not None:
            why = f"{low} ≤ {why}"
        if high is not None:
            why = f"{why} < {high}"
        result_kind = "money" if arg_kind == "money" else "number"
        tiers = []
        for part in hit.parts:
            band_text = self._band_text(hit.table, part.low, part.high, amount_kind=arg_kind)
            rate, amount, result = fig(part.rate, "percent"), fig(part.amount, arg_kind), fig(part.result, result_kind)
            tiers.append(TierLine(band=band_text, rate=rate, amount=amount, result=result,
                                  line=self.t.f("table_tier_line", band=band_text, rate=rate, amount=amount,
                                                result=result)))
        bands, columns = self._bands_for(hit.table, hit.band, with_base)
        chart = None
        if columns:
            band = table.bands[hit.band]
            width = _HUNDRED / len(table.bands)
            point_x = width * hit.band + width * _position_in(hit.argument, band.low, band.high)
            anchor = "start" if point_x < _LABEL_MARGIN else ("end" if point_x > _HUNDRED - _LABEL_MARGIN else "middle")
            chart = StepChart(columns=columns, point_x=_pct(point_x), point_label=fig(hit.argument, arg_kind),
                              point_anchor=anchor)
        used_by = self.words.label(hit.subject)
        return TableLine(
            name=hit.table, label=table.label or hit.table, used_by=used_by,
            used_by_line=self.t.f("table_used_by", subject=used_by), call=hit.call,
            argument=argument, band=bands[hit.band].text if hit.band < len(bands) else
            self._band_text(hit.table, hit.low, hit.high, with_base), why=why,
            value=fig(hit.value, value_kind), result=fig(hit.result, value_kind if not hit.graduated else result_kind),
            graduated=hit.graduated, tiers=tiers, bands=bands, chart=chart,
        )

    def _pay(self, name: str, f: PayFigures, leaves: _Leaves, error: ErrorLine | None) -> PayLine:
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

    def _what_it_takes(self, found: Reach) -> WhatItTakes:
        hit = found.hit
        table = self.program.tables[hit.table]
        value_kind = self.kinds.table_value[hit.table]
        with_base = hit.base is not None
        options = []
        for change in found.changes:
            kind = self.kinds.metric[change.metric]
            final = None
            if self.final_pay is not None and self.final_pay in change.outcome.pays:
                value = change.outcome.pays[self.final_pay].value
                final = self.fmt.figure(value, "money") if value is not None else None
            metric, delta, becomes = (self.words.label(change.metric), self.fmt.signed(change.delta, kind),
                                      self.fmt.figure(change.value, kind))
            line = self.t.f("what_option", metric=metric, change=delta, becomes=becomes)
            if final is not None and self.final_pay is not None:
                line += "; " + self.t.f("what_option_pay", pay_label=self.words.label(self.final_pay), pay=final)
            options.append(Option(metric=metric, change=delta, becomes=becomes, pay=final, line=line))
        next_band = self._band_text(hit.table, found.next_low, _next_high(table, found.next_low), with_base)
        if found.next_value is not None:
            next_band = self.t.f("band_with_value", band=next_band, value=self.fmt.figure(found.next_value, value_kind))
        return WhatItTakes(
            table=table.label or hit.table,
            now=self.t.f("band_with_value", band=self._band_text(hit.table, hit.low, hit.high, with_base),
                         value=self.fmt.figure(hit.value, value_kind)),
            next=next_band, options=options, unreachable=[self.words.label(m) for m in found.unreachable],
            pay_label=self.words.label(self.final_pay) if self.final_pay else None,
        )

    # ---- errors and data ----
    def _error(self, err: EvalError) -> ErrorLine:
        subject = self.t.data_subject if err.subject == "data" else self.words.label(err.subject)
        cause_formula = err.formula
        if err.cause == "missing_target" and err.end_line is not None:
            # The error points at the `targets.NAME` the person has no row for; the whole formula
            # (a pay that passes the target to a table, say) is not the name of the missing target.
            cause_formula = _span_text(self.program.sources, err) or err.formula
        text = self.t.f(f"cause_{err.cause}", subject=subject, formula=cause_formula)
        help_text = err.help.render(self.lang) if err.help is not None else self.t.get(f"help_{err.cause}")
        location = f"{err.file}:{err.line}:{err.column}" if err.line and err.column else (
            f"{err.file}:{err.line}" if err.line else err.file)
        return ErrorLine(subject=subject, text=text, detail=err.message.render(self.lang), formula=err.formula,
                         location=location, help=help_text)

    def _data_lines(self, person: PersonResult) -> list[DataLine]:
        out = []
        # A row whose owner cannot be told may be anyone's: every statement lists it.
        unowned = self._problems.get(None, [])
        for problem in [*self._problems.get(person.manager_id, ()), *unowned]:
            where = self.t.f("data_where_row", file=problem.file, row=problem.row) if problem.row is not None \
                else self.t.f("data_where_file", file=problem.file)
            if problem.column:
                where = self.t.f("data_where_column", where=where, column=problem.column)
            out.append(DataLine(text=self.t.f("data_problem", where=where, reason=problem.reason.render(self.lang),
                                              value=problem.value if problem.value is not None else "—"),
                                hint=self.t.f("data_hint", hint=problem.hint.render(self.lang))))
        return out


class _Leaves:
    """The text of every name a formula reads, for one person: formatted on first use, then kept."""

    __slots__ = ("builder", "person", "outcome", "known")

    def __init__(self, builder: StatementBuilder, person: PersonResult, outcome: PersonOutcome):
        self.builder = builder
        self.person = person
        self.outcome = outcome
        self.known: dict[str, str] = {}

    def texts(self, keys: tuple[str, ...]) -> list[str]:
        known = self.known
        return [known[k] if k in known else self._text(k) for k in keys]

    def _text(self, key: str) -> str:
        b = self.builder
        value = self._value(key)
        if value is None:
            text = b.t.no_value
        elif isinstance(value, Decimal):
            text = b.fmt.figure(value, b.kinds.leaf(key))
        elif isinstance(value, bool):  # a yes/no column of managers
            text = b.t.yes if value else b.t.no
        elif isinstance(value, date):  # a date column of managers (a date-time shows its day)
            text = b.fmt.date(value.date() if isinstance(value, datetime) else value)
        else:
            text = b.t.f("quoted", text=str(value))
        self.known[key] = text
        return text

    def _value(self, key: str) -> Any:
        program, outcome, inputs = self.builder.program, self.outcome, self.person.inputs
        if key in program.metrics:
            return self.person.metrics.get(key)
        if key == SCORE:
            return outcome.kpi_score
        if key in outcome.kpis:
            return outcome.kpis[key].attainment
        if key in outcome.pays:
            return outcome.pays[key].value
        if inputs is None:
            return None
        if key == SALARY:
            return inputs.salary
        if key.startswith("targets."):
            return inputs.targets.get(key.split(".", 1)[1])
        if key.startswith("managers."):
            return inputs.managers.get(key.split(".", 1)[1])
        return inputs.history.get(key)


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


def _source(program: Program, expr: ast.Expr) -> str:
    return " ".join(_span_text(program.sources, expr.span).split())


def _next_high(table, low: Decimal) -> Decimal | None:
    for band in table.bands:
        if band.low == low:
            return band.high
    return None


def _position_in(argument: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    """Where the argument sits inside its band, from 0 to 1, for the chart's marker."""
    if low is not None and high is not None and high > low:
        return min(max((argument - low) / (high - low), Decimal(0)), Decimal(1))
    if low is None and high is not None and high > 0:
        return min(max(argument / high, Decimal(0)), Decimal(1))
    if high is None and low is not None and low > 0:
        return min(max((argument - low) / low, Decimal(0)), Decimal(1))
    return Decimal("0.5")


def _pct(value: Decimal) -> str:
    return format(value.quantize(_CHART), "f")


__all__ = ["FigureKinds", "StatementBuilder", "file_stem"]
