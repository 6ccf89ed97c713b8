"""KPL024 confusable-names: two names of the plan that look the same.

**Why.** `calls` and `сalls` (a Cyrillic `с`), `revenue1` and `revenuel`, `count_O` and
`count_0` are different names that read the same on screen and in a review. A formula that uses
one where the other was meant computes a different figure, and nobody sees it. Unicode's look-alike
tables (TR39) say which characters are confused; two names whose letters are all look-alikes of
each other are reported, the later one pointing at the earlier.

**Avoid.** `metric calls = …` and `metric сalls = …` in one plan.

**Prefer.** Names that differ in a way a reader sees: `calls` and `calls_done`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.lookalikes import skeleton
from kpilang.checks.support import declared_names
from kpilang.diagnostics import Note, Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    first: dict[str, tuple[str, object]] = {}
    for name, span in sorted(declared_names(ctx.program), key=lambda item: (item[1].file, item[1].line, item[1].column)):
        key = skeleton(name)
        if key not in first:
            first[key] = (name, span)
            continue
        other, other_span = first[key]
        if other == name:
            continue
        yield Finding(t("KPL024.message", name=name, other=other), span, help=t("KPL024.help", name=name, other=other),
                      notes=(Note(span=other_span, message=t("KPL024.note", other=other)),))


CHECK = Check("KPL024", "confusable-names", Severity.WARNING, "two names of the plan that look the same", run)
