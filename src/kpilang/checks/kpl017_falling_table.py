"""KPL017 falling-table: a table whose value falls as the looked-up value rises.

**Why.** A multiplier that pays 1.2 from 100% but 1.0 from 120% punishes the best managers for
doing more: they learn to stop at 119%, or to move deals into next month. Managers must see that
more result always means at least as much money.

**Avoid.** `100% to 120% : 1.2   from 120% : 1`

**Prefer.** Values that never fall: `100% to 120% : 1.2   from 120% : 1.5`. To limit the payout,
cap the pay (`cap 2 * salary`) or the KPIs (`cap 150%`) instead.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.intervals.arithmetic import INF
from kpilang.diagnostics import Note, Severity
from kpilang.messages import Figure, t


def _plain(value) -> str:
    return format(value.normalize(), "f")


def run(ctx: CheckContext):
    for name, table in ctx.program.tables.items():
        ordered = sorted(table.bands, key=lambda b: (-INF if b.low is None else b.low))
        for before, after in zip(ordered, ordered[1:]):
            if after.value < before.value:
                yield Finding(t("KPL017.message", name=name, high=Figure(_plain(before.value)), low=Figure(_plain(after.value))), after.span,
                              notes=(Note(span=before.span, message=t("KPL017.note")),),
                              help=t("KPL017.help"))


CHECK = Check("KPL017", "falling-table", Severity.WARNING, "a table whose value falls as the looked-up value rises", run)
