"""The normative example plan as the base of the change-control tests, and helpers to cut it
into declarations and put it back together."""

from __future__ import annotations

import re
from pathlib import Path

NORMATIVE_PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "normative" / "cold_sales.kpi"
BASE = NORMATIVE_PLAN.read_text(encoding="utf-8")

_DECL_START = re.compile(r"^(?:plan|metric|kpi|table|pay|test|import)\b", re.M)


def declarations(text: str) -> list[str]:
    """The top-level declarations, each with its text up to the next one (comments dropped)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    starts = [m.start() for m in _DECL_START.finditer(body)]
    return [body[a:b].strip() for a, b in zip(starts, starts[1:] + [len(body)])]


def join(decls: list[str], gap: str = "\n\n") -> str:
    return gap.join(decls) + "\n"


def with_effective(text: str, effective: str) -> str:
    return re.sub(r"effective\s+\d{4}-\d{2}-\d{2}", f"effective {effective}", text, count=1)
