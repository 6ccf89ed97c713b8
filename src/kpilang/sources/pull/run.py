"""Running a pull into a snapshot folder, resumably.

Each listing's records are appended to its file one fetched page (or batch of pages) at a time,
and only then is the progress state (`.pull-state.json`: per file the query, the cursor, the
file's length and record count) replaced atomically. A rerun with the same source, portal and
period cuts each file back to the length the state vouches for and goes on from its cursor, so a
page written just before an interruption is neither lost nor written twice. When every listing
is done, `manifest.json` is written and the state removed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kpilang.messages import t
from kpilang.sources.pull.listing import Listing, Source, Window
from kpilang.sources.pull.transport import PullError
from kpilang.sources.snapshot import (MANIFEST, Manifest, SnapshotError, describe_file, dump_record,
                                      load_records, read_manifest, verify_snapshot, write_atomically,
                                      write_manifest)

STATE = ".pull-state.json"
STATE_FORMAT = 1

Progress = Callable[[str, int, bool], None]
"""Told after each page: the file, its records so far, and whether it is complete."""


@dataclass(frozen=True)
class Outcome:
    manifest: Manifest
    resumed: bool = False
    already_done: bool = False


def _kpilang_version() -> str:
    try:
        return version("kpilang")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "unknown"


def pull(source: Source, folder: Path, first: date, last: date, window: Window, *, restart: bool = False,
         progress: Progress | None = None, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> Outcome:
    folder = Path(folder)
    identity = {"source": source.name, "portal": source.portal, "from": first.isoformat(), "to": last.isoformat()}
    state, done = _prepare(folder, source.listings, identity, restart)
    if done is not None:
        return Outcome(done, already_done=True)
    resumed = (folder / STATE).exists()
    _save_state(folder, state)  # before any file exists: a pull stopped at its first request is one to continue
    for listing in source.listings:
        _pull_listing(source, folder, listing, state, progress)
    manifest = Manifest(source=source.name, portal=source.portal, period={"from": first, "to": last},
                        window={"from": window.start, "to": window.end}, pulled_at=now(),
                        kpilang_version=_kpilang_version(),
                        files=[describe_file(folder, listing.file, listing.method, list(listing.queries))
                               for listing in source.listings])
    write_manifest(folder, manifest)
    (folder / STATE).unlink(missing_ok=True)
    return Outcome(manifest, resumed=resumed)


def _prepare(folder: Path, listings: tuple[Listing, ...], identity: dict[str, str],
             restart: bool) -> tuple[dict[str, Any], Manifest | None]:
    """The progress state to go on from (empty for a new pull), or the manifest of the same pull
    already complete. Refuses a folder holding anything else, unless `restart` and all it holds
    is a pull's own files (which are then removed; nothing else ever is)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = sorted(folder.iterdir())
    except OSError as err:
        raise PullError(t("pull.folder-unusable", folder=str(folder), error=err.strerror or type(err).__name__)) from None
    fresh = {"format": STATE_FORMAT, "pull": identity, "files": {}}
    if not entries:
        return fresh, None
    if not restart:
        state = _read_state(folder)
        if state is not None and state.get("pull") == identity:
            return state, None
        if state is None and (folder / MANIFEST).is_file():
            try:
                manifest = read_manifest(folder)
            except SnapshotError:
                manifest = None
            if manifest is not None and _same_pull(manifest, identity):
                problems = verify_snapshot(folder)
                if problems:  # "already complete" would vouch for files changed since
                    raise PullError(t("pull.snapshot-changed", folder=str(folder), problem=problems[0]),
                                    t("pull.snapshot-changed-help"))
                return fresh, manifest
        raise PullError(t("pull.folder-not-empty", folder=str(folder)), t("pull.folder-not-empty-help"))
    own = {listing.file for listing in listings} | {STATE, MANIFEST}
    foreign = [entry.name for entry in entries
               if entry.name not in own and not (entry.name.startswith((f".{STATE}.", f".{MANIFEST}."))
                                                  and entry.name.endswith(".tmp"))]
    if foreign:
        raise PullError(t("pull.folder-foreign", folder=str(folder), file=foreign[0]), t("pull.folder-foreign-help"))
    for entry in entries:
        entry.unlink()
    return fresh, None


def _same_pull(manifest: Manifest, identity: dict[str, str]) -> bool:
    return {"source": manifest.source, "portal": manifest.portal, "from": manifest.period.start.isoformat(),
            "to": manifest.period.end.isoformat()} == identity


def _read_state(folder: Path) -> dict[str, Any] | None:
    path = folder / STATE
    if not path.is_file():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PullError(t("pull.state-unreadable", path=str(path)), t("pull.state-help")) from None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or not isinstance(state.get("files"), dict):
        raise PullError(t("pull.state-unreadable", path=str(path)), t("pull.state-help"))
    return state


def _save_state(folder: Path, state: dict[str, Any]) -> None:
    write_atomically(folder / STATE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")


def _pull_listing(source: Source, folder: Path, listing: Listing, state: dict[str, Any],
                  progress: Progress | None) -> None:
    place = state["files"].setdefault(listing.file, {"query": 0, "cursor": None, "bytes": 0, "records": 0,
                                                     "done": False})
    path = folder / listing.file
    seen = _keep_vouched_part(path, place["bytes"], listing.unique_by if not place["done"] else None)
    if progress:  # shown before the first page, which may take a while
        progress(listing.file, place["records"], place["done"])
    while not place["done"]:
        page = source.fetch(listing, place["query"], place["cursor"])
        lines = []
        for record in page.records:
            if listing.unique_by is not None and listing.unique_by in record:
                key = str(record[listing.unique_by])
                if key in seen:  # also asked by an earlier query (a deal created and closed in the period)
                    continue
                seen.add(key)
            lines.append(dump_record(record) + "\n")
        with path.open("ab") as out:
            out.write("".join(lines).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
            place["bytes"] = out.tell()
        place["records"] += len(lines)
        if page.next is None:
            place["query"], place["cursor"] = place["query"] + 1, None
            place["done"] = place["query"] >= len(listing.queries)
        else:
            place["cursor"] = page.next
        _save_state(folder, state)
        if progress:
            progress(listing.file, place["records"], place["done"])


def _keep_vouched_part(path: Path, length: int, unique_by: str | None) -> set[str]:
    """Cut the file back to the `length` the state vouches for (a page appended after the last
    saved state is asked again) and return the keys of the records it holds."""
    size = path.stat().st_size if path.exists() else 0
    if size < length:
        raise PullError(t("pull.state-mismatch", file=path.name), t("pull.state-help"))
    with path.open("ab") as out:
        out.truncate(length)
    if unique_by is None or length == 0:
        return set()
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = load_records(line)
        if isinstance(record, dict) and unique_by in record:
            seen.add(str(record[unique_by]))
    return seen
