"""amoCRM API v4 with a long-lived token (`Authorization: Bearer TOKEN`).

Lists answer up to 250 records a page (`page`, `limit`) and link the next page in `_links.next`;
204 No Content is an empty list. The account's host is built from its subdomain and the next
page's address is built here rather than followed, so the token only ever goes to that host. What
is asked for a period, and why, is in docs/crm/pull.md.
"""

from __future__ import annotations

import os
import re
from typing import Any

import httpx

from kpilang.messages import t
from kpilang.sources.pull.listing import Listing, Page, Window
from kpilang.sources.pull.secret import Secret
from kpilang.sources.pull.transport import (Answer, Data, Fatal, Later, PullError, Retry, Transport,
                                            check_base_url, retry_after, server_words)
from kpilang.sources.snapshot import load_records

PAGE_SIZE = 250
REQUESTS_PER_SECOND = 7
BASE_URL_VARIABLE = "KPILANG_AMOCRM_URL"
"""Where the API is instead of https://SUBDOMAIN.amocrm.ru: for tests, so only this machine's
address is accepted (see `check_base_url`)."""
SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
CALL_NOTES = ("call_in", "call_out")

LISTINGS = (
    Listing("leads.jsonl", "leads", ("created", "closed"), unique_by="id"),
    Listing("users.jsonl", "users", ("all",), unique_by="id"),
    Listing("notes.jsonl", "leads/notes, contacts/notes", ("leads", "contacts"), unique_by=None),
    Listing("tasks.jsonl", "tasks", ("updated",), unique_by="id"),
)


def account_url(subdomain: str) -> tuple[str, str]:
    """The API's base URL and the portal's host for `subdomain`."""
    name = subdomain.strip().lower()
    if name.endswith(".amocrm.ru"):
        name = name[: -len(".amocrm.ru")]
    if not SUBDOMAIN.fullmatch(name):
        raise PullError(t("pull.amocrm.bad-subdomain", subdomain=subdomain), t("pull.amocrm.bad-subdomain-help"))
    override = os.environ.get(BASE_URL_VARIABLE)
    if override:
        base = check_base_url(override.rstrip("/"))
        if httpx.URL(base).host not in ("127.0.0.1", "localhost", "::1"):
            raise PullError(t("pull.amocrm.override-not-local", variable=BASE_URL_VARIABLE))
        return base, f"{name}.amocrm.ru"
    return f"https://{name}.amocrm.ru", f"{name}.amocrm.ru"


class AmoCrm:
    name = "amocrm"
    listings = LISTINGS

    def __init__(self, subdomain: str, secret: Secret, window: Window, *, retry: Retry | None = None,
                 timeout: float = 60.0, on_wait=None):
        self.base, self.portal = account_url(subdomain)
        self.window = window
        retry = retry or Retry(min_interval=1 / REQUESTS_PER_SECOND)
        self.transport = Transport(secret, self.base, retry, timeout, on_wait)
        self.headers = {"Authorization": f"Bearer {secret.value}"}

    def close(self) -> None:
        self.transport.close()

    def request(self, listing: Listing, query: int, page: int) -> tuple[str, str, dict[str, Any]]:
        """The path, the key of the records in `_embedded`, and the query parameters."""
        since, until = int(self.window.start.timestamp()), int(self.window.end.timestamp()) - 1
        label = listing.queries[query]
        paging: dict[str, Any] = {"page": page, "limit": PAGE_SIZE}
        if listing.file == "leads.jsonl":
            field = "created_at" if label == "created" else "closed_at"
            return "leads", "leads", paging | {"with": "contacts", "order[id]": "asc",
                                               f"filter[{field}][from]": since, f"filter[{field}][to]": until}
        if listing.file == "users.jsonl":
            return "users", "users", paging
        if listing.file == "notes.jsonl":
            # notes are filtered by updated_at only; a call's note changed after the period still
            # belongs to it, so no upper bound
            return f"{label}/notes", "notes", paging | {"filter[note_type][]": list(CALL_NOTES),
                                                         "filter[updated_at][from]": since}
        return "tasks", "tasks", paging | {"filter[updated_at][from]": since, "order[id]": "asc"}

    def fetch(self, listing: Listing, query: int, cursor: Any) -> Page:
        page = int(cursor or 1)
        path, key, params = self.request(listing, query, page)
        body = self.transport.call("GET", f"{self.base}/api/v4/{path}", _interpret, params=params,
                                   headers=self.headers, what=path)
        if body is None:  # 204: nothing (more)
            return Page([])
        records = body.get("_embedded", {}).get(key) if isinstance(body.get("_embedded"), dict) else None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise PullError(t("pull.malformed", what=path, detail=f"_embedded.{key}"), t("pull.not-json-help"))
        links = body.get("_links")
        more = isinstance(links, dict) and isinstance(links.get("next"), dict) and bool(records)
        return Page(records, page + 1 if more else None)


def _interpret(response: httpx.Response) -> Answer:
    status = response.status_code
    if status == 204:
        return Data(None)
    if status == 429:
        return Later(t("pull.rate-limited"), limited=True, wait=retry_after(response))
    if status == 401:
        return Fatal(t("pull.amocrm.auth"), t("pull.amocrm.auth-help"))
    if status == 402:
        return Fatal(t("pull.amocrm.payment"))
    if status == 403:
        return Fatal(t("pull.amocrm.forbidden"), t("pull.amocrm.forbidden-help"))
    if status >= 500:
        return Later(t("pull.server-error", status=status))
    try:
        body = load_records(response.text)
    except ValueError:
        return Fatal(t("pull.not-json", status=status), t("pull.not-json-help"))
    if status != 200:
        detail = body.get("detail") or body.get("title") if isinstance(body, dict) else ""
        return Fatal(t("pull.http-status-said", status=status, description=server_words(detail or "")))
    if not isinstance(body, dict) or "_embedded" not in body:
        return Fatal(t("pull.malformed", what="amoCRM", detail="_embedded"), t("pull.not-json-help"))
    return Data(body)
