"""The quarterly cadence gate: the walk over each plan's history (`history`), the rules for one
commit (`rules`) and what the gate reports (`model`)."""

from kpilang.change.cadence.history import check_cadence
from kpilang.change.cadence.model import CadenceReport, Entry, PlanHistory, Skip, Version, Violation

__all__ = ["CadenceReport", "Entry", "PlanHistory", "Skip", "Version", "Violation", "check_cadence"]
