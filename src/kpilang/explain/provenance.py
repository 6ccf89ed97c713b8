"""The data a statement was computed from, for the payroll office: the snapshot's manifest hash
when the data was a snapshot, and each file read with the start of its SHA-256.

A dispute about a payout is settled against exactly the data it came from: with the statement in
hand, `sha256sum FILE` (or the snapshot's manifest) shows whether a file at hand is the one read.
The full hashes are in `kpilang eval --format json`; a statement shows the first digits, enough to
tell files apart at a glance. These lines go at the foot of the statement, not among the figures
the person reads first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

SHORT_HASH_DIGITS = 12
"""How many hex digits of a file's SHA-256 a statement shows (as `git` shortens commit ids)."""


@dataclass(slots=True)
class InputLine:
    file: str
    """The file's name in the data directory."""
    table: str
    """The table it holds, or "" when its name says so (`deals.csv`)."""
    sha256: str
    """The first SHORT_HASH_DIGITS digits of its SHA-256."""


@dataclass(slots=True)
class Provenance:
    snapshot_manifest: str | None
    snapshot_sha256: str | None
    """The full SHA-256 of the snapshot's manifest, or None when the data was no snapshot."""
    inputs: list[InputLine] = field(default_factory=list)


def provenance_of(report: Any) -> Provenance | None:
    """What an evaluated report read, as a statement shows it; None when it records nothing (a
    report made from data loaded some other way than `load_data`)."""
    inputs = [InputLine(file=PurePath(f.file).name, table="" if PurePath(f.file).stem == f.table else f.table,
                        sha256=f.sha256[:SHORT_HASH_DIGITS])
              for f in getattr(report, "inputs", ())]
    snapshot = getattr(report, "snapshot", None)
    if not inputs and snapshot is None:
        return None
    return Provenance(snapshot_manifest=snapshot.manifest if snapshot else None,
                      snapshot_sha256=snapshot.sha256 if snapshot else None, inputs=inputs)
