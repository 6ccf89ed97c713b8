"""KPL021 ignore-without-reason: an ignore comment that does not say why.

**Why.** An ignore comment switches a check off for one line. Without a reason the next reader
cannot tell a deliberate decision from a silenced problem, and in a plan that decides people's
pay that difference matters.

**Avoid.** `pay call_bonus = 50 * calls  # kpilang: ignore[KPL019]`

**Prefer.** `pay call_bonus = 50 * calls  # kpilang: ignore[KPL019] -- agreed for the launch month, capped by budget`
"""

from __future__ import annotations

from kpilang.checks.base import Check
from kpilang.diagnostics import Severity

CHECK = Check("KPL021", "ignore-without-reason", Severity.WARNING, "an ignore comment that does not say why", None)
