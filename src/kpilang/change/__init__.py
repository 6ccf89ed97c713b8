"""Change control: the meaning fingerprint of a plan, the semantic diff of two versions and the
quarterly cadence gate over a plan's git history."""

from kpilang.change.cadence import CadenceReport, check_cadence
from kpilang.change.diff import Change, PlanDiff, diff_programs
from kpilang.change.fingerprint import fingerprint
from kpilang.change.git import GitError
from kpilang.change.sides import load_side

__all__ = ["CadenceReport", "Change", "GitError", "PlanDiff", "check_cadence", "diff_programs", "fingerprint",
           "load_side"]
