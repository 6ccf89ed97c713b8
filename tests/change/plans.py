"""The normative example plan as the base of the change-control tests, and helpers to cut it
into declarations and put it back together."""

from __future__ import annotations

import re
from pathlib import Path

NORMATIVE_PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "normative" / "cold_sales.kpi"


class PlanText(str):
    """A plan's text whose `replace` fails loudly when the text to replace is absent (a silent
    no-op would make a "this changes the meaning" test pass for the wrong reason) and takes any
    run of white space for any other, so that the tests survive `kpilang fmt` re-laying out the
    normative example."""

    def replace(self, old: str, new: str, count: int = -1) -> "PlanText":  # type: ignore[override]
        words = old.split()
        pattern = r"\s+".join(re.escape(w) for w in words) if words else re.escape(old)
        result, found = re.subn(pattern, lambda _: new, self, count=0 if count < 0 else count)
        assert found, f"{old!r} is not in the plan"
        return PlanText(result)

    def __add__(self, other: str) -> "PlanText":
        return PlanText(str.__add__(self, other))

    def __radd__(self, other: str) -> "PlanText":
        return PlanText(str.__add__(other, self))


BASE = PlanText(NORMATIVE_PLAN.read_text(encoding="utf-8"))

_DECL_START = re.compile(r"^(?:plan|metric|kpi|table|pay|test|import)\b", re.M)


def declarations(text: str) -> list[str]:
    """The top-level declarations, each with its text up to the next one (comments dropped)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    starts = [m.start() for m in _DECL_START.finditer(body)]
    return [body[a:b].strip() for a, b in zip(starts, starts[1:] + [len(body)])]


def join(decls: list[str], gap: str = "\n\n") -> str:
    return gap.join(decls) + "\n"


def with_effective(text: str, effective: str) -> PlanText:
    return PlanText(re.sub(r"effective\s+\d{4}-\d{2}-\d{2}", f"effective {effective}", text, count=1))
