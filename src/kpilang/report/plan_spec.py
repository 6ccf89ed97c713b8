"""Whether a plan argument names a file on disk or a version in git (`REV:path`).

Kept apart from `versions.py`, which imports the whole of `kpilang.change`: `eval` and `explain`
ask this of every plan they are given, and a plain file must not pay for git's machinery."""

from __future__ import annotations

from pathlib import Path


def is_revision(spec: str, cwd: Path | None = None) -> bool:
    """Whether `spec` names a version in git (`REV:path`) rather than a file on disk."""
    cwd = cwd or Path.cwd()
    return ":" in spec and not (cwd / spec).exists() and not Path(spec).exists()
