"""The formula stage: from one person's metric values to KPIs, score, table look-ups and pays.

(The engine follows in the next commit; `PersonInputs` is the input contract.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict


class PersonInputs(BaseModel):
    """What the formulas of one person read, besides each other.

    `metrics`: metric name → value; `None` is *no value* (avg/min/max/median/share over no rows),
    a name absent from the dict was not computed at all. `salary` and `managers` come from the
    person's row in `managers`; `targets` from `targets` for the evaluated period.
    """

    model_config = ConfigDict(frozen=True)

    metrics: dict[str, Decimal | None]
    salary: Decimal | None = None
    targets: dict[str, Decimal] = {}
    managers: dict[str, Any] = {}
    role: str | None = None
    person: str | None = None
    """The person's id (managers.id), for messages."""
    period: str | None = None
    """The evaluated period (`2026-07`), for messages about missing targets."""
