"""A snapshot folder: the raw records of one pull, one JSONL file per API method, and
`manifest.json`, which says where and for which period they were pulled and holds each file's
record count and SHA-256.

The manifest is what later steps cite: `manifest_sha256` fingerprints a snapshot in eval's JSON and
in statements, and `verify_snapshot` tells whether the files are still the ones pulled.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kpilang.data.inputs import MANIFEST  # one name for the manifest, read by the loader too
from kpilang.messages import Text, t

MANIFEST_FORMAT = 1


class Period(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    start: date = Field(alias="from")
    end: date = Field(alias="to")


class Window(BaseModel):
    """The instants the CRM was asked about: the period with a day more on each side (see
    docs/crm/pull.md), as UTC instants, `to` excluded."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")


class SnapshotFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    method: str
    """The API method (Bitrix24) or resource path (amoCRM) the records came from."""
    queries: list[str]
    """What was asked, in order: `created`, `closed`, ... (docs/crm/pull.md says which filters)."""
    records: int
    sha256: str


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    format: int = MANIFEST_FORMAT
    source: str
    portal: str
    """The CRM's host name only: never a token or a webhook's path."""
    period: Period
    window: Window
    pulled_at: datetime
    kpilang_version: str
    files: list[SnapshotFile]


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader, or a crash, sees the old file or the new one,
    never half of it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def count_lines(path: Path) -> int:
    with path.open("rb") as data:
        return sum(block.count(b"\n") for block in iter(lambda: data.read(1 << 20), b""))


def dump_record(value: Any) -> str:
    """One record as one line of JSON. Numbers were read as `int` or `Decimal` (never a binary
    float), so an amount keeps every digit it was sent with."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{dump_record(v)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump_record(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def load_records(text: str) -> Any:
    """JSON as the CRM sent it, with fractions as exact decimals."""
    return json.loads(text, parse_float=Decimal)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_atomically(folder / MANIFEST, manifest.model_dump_json(by_alias=True, indent=1) + "\n")


def describe_file(folder: Path, name: str, method: str, queries: list[str]) -> SnapshotFile:
    path = folder / name
    return SnapshotFile(name=name, method=method, queries=queries, records=count_lines(path),
                        sha256=file_sha256(path))


class SnapshotError(Exception):
    """A snapshot's manifest that cannot be read."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


def read_manifest(folder: Path) -> Manifest:
    path = Path(folder) / MANIFEST
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise SnapshotError(t("snapshot.no-manifest", folder=str(folder))) from None
    except (OSError, ValidationError, ValueError) as err:
        raise SnapshotError(t("snapshot.bad-manifest", path=str(path),
                              error=type(err).__name__)) from None


def manifest_sha256(folder: Path) -> str:
    """The SHA-256 of the snapshot's `manifest.json`, which names every file's SHA-256: one
    fingerprint for the whole snapshot."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise SnapshotError(t("snapshot.no-manifest", folder=str(folder)))
    return file_sha256(path)


def verify_snapshot(folder: Path) -> list[Text]:
    """What differs between the snapshot's files and its manifest: a file missing, changed
    (its SHA-256 or its record count), or present but not listed. Empty when all is as pulled."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
    except SnapshotError as err:
        return [err.text]
    problems: list[Text] = []
    for entry in manifest.files:
        path = folder / entry.name
        if not path.is_file():
            problems.append(t("snapshot.file-missing", file=entry.name))
            continue
        actual = file_sha256(path)
        if actual != entry.sha256:
            problems.append(t("snapshot.file-changed", file=entry.name, expected=entry.sha256, actual=actual))
        elif count_lines(path) != entry.records:
            problems.append(t("snapshot.count-changed", file=entry.name, expected=entry.records,
                              actual=count_lines(path)))
    listed = {entry.name for entry in manifest.files}
    for path in sorted(folder.glob("*.jsonl")):
        if path.name not in listed:
            problems.append(t("snapshot.file-not-listed", file=path.name))
    return problems
