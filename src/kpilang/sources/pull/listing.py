"""What a CRM source offers the runner: its listings (one snapshot file each, filled by one or more
filtered queries) and one page at a time of a query's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol


@dataclass(frozen=True)
class Listing:
    file: str
    method: str
    """The API method or resource path, as the manifest names it."""
    queries: tuple[str, ...]
    """Each query's label (`created`, `closed`, ...), in the order they run."""
    unique_by: str | None = None
    """The record's key whose repeats (a deal both created and closed in the period) are written once."""


@dataclass(frozen=True)
class Page:
    records: list[dict]
    next: Any = None
    """Where the query goes on (plain JSON, kept in the progress state), or None when it is done."""


class Source(Protocol):
    name: str
    portal: str
    listings: tuple[Listing, ...]
    transport: Any
    """The source's `Transport`, whose `secret.redact` hides the secret in any text."""

    def fetch(self, listing: Listing, query: int, cursor: Any) -> Page: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Window:
    """The instants asked about, UTC, `end` excluded: the period with a day more on each side, so
    that the period is whole in any time zone (UTC-12 to UTC+14); eval keeps only its own period's
    records."""

    start: datetime
    end: datetime

    @classmethod
    def around(cls, first: date, last: date) -> Window:
        return cls(datetime.combine(first - timedelta(days=1), time(), timezone.utc),
                   datetime.combine(last + timedelta(days=2), time(), timezone.utc))
