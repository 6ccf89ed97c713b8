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
from kpilang.checks.intervals import INF
from kpilang.checks.proofs import proofs
from kpilang.checks.support import table_calls
from kpilang.diagnostics import Note, Severity


def _edge(value) -> str:
    if value.is_infinite():
        return "∞" if value > 0 else "−∞"
    return format(value.normalize(), "f")


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
                yield Finding(f"bands of `{name}` overlap: values from {_edge(low)} to {_edge(min(reach, high))} fall in two bands",
                              later.span, notes=(Note(span=earlier.span, message="the other band"),),
                              help="make each band start where the previous one ends")
            elif previous is not None and low > reach:
                yield Finding(f"table `{name}` has no band for values from {_edge(reach)} to {_edge(low)}", band.span,
                              notes=(Note(span=previous.span, message="the band before the gap"),),
                              help=f"start this band at {_edge(reach)}, or add a band `{_edge(reach)} to {_edge(low)}`")
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
                yield Finding(f"`{name}` has no band below {_edge(first_low)}, but `{owner}` can look up "
                              f"{_edge(arg.lo)}", call.span, help=f"add `below {_edge(first_low)} : …` to `{name}`")
            if last_high < INF and arg.hi >= last_high:
                yield Finding(f"`{name}` has no band from {_edge(last_high)} on, but `{owner}` can look up "
                              f"{_edge(arg.hi)}", call.span, help=f"add `from {_edge(last_high)} : …` to `{name}`")


CHECK = Check("KPL016", "table-bands", Severity.ERROR,
              "table bands with a gap or an overlap, or missing values the table is called with", run)
