"""KPL022 unused-ignore: an ignore comment that matches no finding.

**Why.** An ignore comment left behind after the plan was fixed — or one with a misspelt code —
hides nothing today and will silently hide a real problem tomorrow.

**Avoid.** `kpi calls_kpi = calls  # kpilang: ignore[KPL018] -- old` on a KPI that now has a cap.

**Prefer.** Remove ignore comments that no longer match a finding.
"""

from __future__ import annotations

from kpilang.checks.base import Check
from kpilang.diagnostics import Severity

CHECK = Check("KPL022", "unused-ignore", Severity.WARNING, "an ignore comment that matches no finding", None)
