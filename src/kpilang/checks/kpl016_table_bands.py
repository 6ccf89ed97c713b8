"""KPL016 table-bands: a table whose bands leave a gap, overlap, or miss values it is called with.

**Why.** A band `X to Y` holds X ≤ s < Y. Between `70% to 90%` and `100% to 120%` there is no band
for 95%: a manager who scores 95% gets an evaluation error instead of a bonus. Two bands that
overlap give one score two values. And a multiplier without a `from` band has no value for a
score above its last edge, if the score can get there.

**Avoid.**
```
table multiplier {
    below 70%    : 0
    70% to 90%   : 0.5
    100% to 120% : 1.2     # 90%–100% is missing
}
```

**Prefer.** Bands that meet exactly, from `below` the first edge to `from` the last one:
`below 70% : 0  70% to 90% : 0.5  90% to 100% : 1  from 100% : 1.2`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.intervals.arithmetic import INF
from kpilang.checks.proofs import proofs
from kpilang.checks.support import table_calls
from kpilang.diagnostics import Note, Severity
from kpilang.messages import Figure, t


def _edge(value) -> Figure:
    if value.is_infinite():
        return Figure("∞" if value > 0 else "−∞")
    return Figure(format(value.normalize(), "f"))


def run(ctx: CheckContext):
    program = ctx.program
    for name, table in program.tables.items():
        ordered = sorted(table.bands, key=lambda b: (-INF if b.low is None else b.low))
        reach, previous = None, None
        for band in ordered:
            low = -INF if band.low is None else band.low
            high = INF if band.high is None else band.high
            if previous is not None and low < reach:
                later, earlier = (band, previous) if (band.span.line, band.span.column) > (previous.span.line, previous.span.column) else (previous, band)
                yield Finding(t("KPL016.overlap", name=name, low=_edge(low), high=_edge(min(reach, high))),
                              later.span, notes=(Note(span=earlier.span, message=t("KPL016.other-band")),),
                              help=t("KPL016.overlap-help"))
            elif previous is not None and low > reach:
                yield Finding(t("KPL016.gap", name=name, low=_edge(reach), high=_edge(low)), band.span,
                              notes=(Note(span=previous.span, message=t("KPL016.band-before-gap")),),
                              help=t("KPL016.gap-help", low=_edge(reach), high=_edge(low)))
            reach = high if reach is None else max(reach, high)
            previous = band
        if table.graduated or not ordered:
            continue
        analysis = proofs(ctx)
        first_low = -INF if ordered[0].low is None else ordered[0].low
        last_high = reach
        for owner, call in table_calls(program, name):
            arg = analysis.engine.expression(call.args[0], analysis.free, owner)
            if not arg.has_value:
                continue
            if first_low > -INF and arg.lo < first_low:
                yield Finding(t("KPL016.below", name=name, edge=_edge(first_low), owner=owner, value=_edge(arg.lo)),
                              call.span, help=t("KPL016.below-help", name=name, edge=_edge(first_low)))
            if last_high < INF and arg.hi >= last_high:
                yield Finding(t("KPL016.above", name=name, edge=_edge(last_high), owner=owner, value=_edge(arg.hi)),
                              call.span, help=t("KPL016.above-help", name=name, edge=_edge(last_high)))


CHECK = Check("KPL016", "table-bands", Severity.ERROR,
              "table bands with a gap or an overlap, or missing values the table is called with", run)
