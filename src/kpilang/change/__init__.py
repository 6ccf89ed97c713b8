"""Change control: the meaning fingerprint of a plan, the semantic diff of two versions and the
quarterly cadence gate over a plan's git history.

The names below are imported on first use: `eval` needs only the fingerprint
(`kpilang.change.fingerprint`), and importing the cadence gate and the diff with it cost every
run a few tens of milliseconds of start-up."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# Imported now: the submodule's name is the function's, and importing the submodule first would
# otherwise leave the package's `fingerprint` naming the module.
from kpilang.change.fingerprint import fingerprint

if TYPE_CHECKING:
    from kpilang.change.cadence import CadenceReport, check_cadence
    from kpilang.change.diff import Change, PlanDiff, diff_programs
    from kpilang.change.git import GitError
    from kpilang.change.sides import load_side

_HOMES = {
    "CadenceReport": "cadence", "check_cadence": "cadence", "Change": "diff", "PlanDiff": "diff",
    "diff_programs": "diff", "GitError": "git", "load_side": "sides",
}

__all__ = ["CadenceReport", "Change", "GitError", "PlanDiff", "check_cadence", "diff_programs", "fingerprint",
           "load_side"]


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
