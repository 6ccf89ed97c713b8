"""A statement's table lines: which band of a table the person's figure fell in and why (the
comparison as shown), each tier of a graduated table, the table's bands with the one hit marked,
and "what it would take" to reach the next band, said in the plan's words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpilang.compile.program import Program
from kpilang.evaluate.results import TableHit
from kpilang.explain.catalog import Messages
from kpilang.explain.charts import step_chart, step_columns
from kpilang.explain.formatting import FigureKind, LocaleFormat
from kpilang.explain.kinds import FigureKinds
from kpilang.explain.model import BandLine, ChartColumn, Option, TableLine, TierLine, WhatItTakes
from kpilang.explain.reach import Reach
from kpilang.explain.wording import FormulaWords


class TableLines:
    """Table lines in one language for one program; a table's bands (and chart) are worded once
    per band hit, then reused for everyone who hits it."""

    def __init__(self, program: Program, t: Messages, fmt: LocaleFormat, kinds: FigureKinds, words: FormulaWords):
        self.program = program
        self.t = t
        self.fmt = fmt
        self.kinds = kinds
        self.words = words
        self.final_pay = program.final_pay
        self._bands: dict[tuple[str, int, bool], tuple[list[BandLine], list[ChartColumn]]] = {}

    def band_text(self, table: str, low: Decimal | None, high: Decimal | None, base: bool = False,
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
            bands = [BandLine(text=self.band_text(name, b.low, b.high, with_base), value=fig(b.value, value_kind),
                              hit=i == hit_band) for i, b in enumerate(table.bands)]
            columns = step_columns(table, hit_band, fig, value_kind, self.kinds.table_key[name])
            found = self._bands[key] = (bands, columns)
        return found

    def line(self, hit: TableHit) -> TableLine:
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
            band_text = self.band_text(hit.table, part.low, part.high, amount_kind=arg_kind)
            rate, amount, result = fig(part.rate, "percent"), fig(part.amount, arg_kind), fig(part.result, result_kind)
            tiers.append(TierLine(band=band_text, rate=rate, amount=amount, result=result,
                                  line=self.t.f("table_tier_line", band=band_text, rate=rate, amount=amount,
                                                result=result)))
        bands, columns = self._bands_for(hit.table, hit.band, with_base)
        chart = step_chart(table, hit.band, hit.argument, fig(hit.argument, arg_kind), columns) if columns else None
        used_by = self.words.label(hit.subject)
        return TableLine(
            name=hit.table, label=table.label or hit.table, used_by=used_by,
            used_by_line=self.t.f("table_used_by", subject=used_by), call=hit.call,
            argument=argument, band=bands[hit.band].text if hit.band < len(bands) else
            self.band_text(hit.table, hit.low, hit.high, with_base), why=why,
            value=fig(hit.value, value_kind), result=fig(hit.result, value_kind if not hit.graduated else result_kind),
            graduated=hit.graduated, tiers=tiers, bands=bands, chart=chart,
        )

    def what_it_takes(self, found: Reach) -> WhatItTakes:
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
        next_band = self.band_text(hit.table, found.next_low, _next_high(table, found.next_low), with_base)
        if found.next_value is not None:
            next_band = self.t.f("band_with_value", band=next_band, value=self.fmt.figure(found.next_value, value_kind))
        return WhatItTakes(
            table=table.label or hit.table,
            now=self.t.f("band_with_value", band=self.band_text(hit.table, hit.low, hit.high, with_base),
                         value=self.fmt.figure(hit.value, value_kind)),
            next=next_band, options=options, unreachable=[self.words.label(m) for m in found.unreachable],
            pay_label=self.words.label(self.final_pay) if self.final_pay else None,
        )


def _next_high(table: Any, low: Decimal) -> Decimal | None:
    for band in table.bands:
        if band.low == low:
            return band.high
    return None
