"""What a run read: the SHA-256 of every input file, and of the snapshot's manifest when the data
directory is a snapshot.

A payout is reproduced, or disputed, against exactly the bytes it was computed from: eval's JSON
and every statement carry these hashes. A file is hashed as it is on disk, in chunks, so a large
export costs no more memory than a small one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

from kpilang.messages import t

from .problems import DataError
from .readers.base import fatal_problem

CHUNK_BYTES = 1 << 20

MANIFEST = "manifest.json"
"""The file `kpilang pull` writes at the top of a snapshot: what was pulled, when, and the hash of
every file."""


class InputFile(BaseModel):
    """One file a run read: the table it holds, the file as problems name it, its SHA-256 (lower
    case hex) and its size in bytes."""

    table: str
    file: str
    sha256: str
    bytes: int


class Snapshot(BaseModel):
    """The snapshot a run read: its manifest's name in the data directory and the SHA-256 of the
    manifest's bytes (which in turn holds the hash of every file pulled)."""

    manifest: str
    sha256: str


def file_sha256(path: str | Path) -> tuple[str, int]:
    """The SHA-256 (lower case hex) of a file's bytes and their number, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def input_file(table: str, path: str | Path, shown: str | None = None) -> InputFile:
    """The record of one file read for `table`; `shown` is the file as the run's problems name it
    (default: `path` as given)."""
    sha256, size = file_sha256(path)
    return InputFile(table=table, file=str(path) if shown is None else shown, sha256=sha256, bytes=size)


def snapshot_of(directory: str | Path) -> Snapshot | None:
    """The snapshot a data directory holds (the hash of its `manifest.json`), or None when it
    holds none. Raises DataError when the manifest is there but cannot be read: a payout whose
    snapshot cannot be named is not made."""
    manifest = Path(directory) / MANIFEST
    if not manifest.is_file():
        return None
    try:
        sha256, _ = file_sha256(manifest)
    except OSError as error:
        raise DataError([fatal_problem(
            "unreadable_manifest", "", str(manifest),
            t("data.unreadable_manifest.reason", error=error.strerror or str(error)),
            t("data.unreadable_manifest.hint"),
        )]) from None
    return Snapshot(manifest=MANIFEST, sha256=sha256)
