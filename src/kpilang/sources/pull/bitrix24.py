"""Bitrix24 through an incoming webhook (`https://PORTAL/rest/USER_ID/TOKEN/`).

List methods answer 50 records a page with `total` and `next` (the `start` of the next page).
After a query's first page, the rest is asked in `batch` calls of up to 50 list commands, each its
own page: one HTTP request instead of fifty against the portal's request-rate limit. CRM lists go
on from the last ID read rather than by offset, so that a record deleted during the pull makes no
other one slip past. What is asked for a period, and why, is in docs/crm/pull.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from kpilang.messages import t
from kpilang.sources.pull.listing import Listing, Page, Window
from kpilang.sources.pull.secret import Secret, SecretError
from kpilang.sources.pull.transport import (Answer, Data, Fatal, Later, PullError, Retry, Transport,
                                            check_base_url, retry_after, server_words)
from kpilang.sources.snapshot import load_records

PAGE_SIZE = 50
BATCH_LIMIT = 50
AUTH_ERRORS = {"expired_token", "invalid_token", "invalid_credentials", "INVALID_CREDENTIALS", "NO_AUTH_FOUND",
               "WRONG_AUTH_TYPE", "user_not_found"}
SCOPE_ERRORS = {"insufficient_scope", "INSUFFICIENT_SCOPE"}
KEYSET = {"crm.deal.list", "crm.lead.list", "crm.activity.list"}
"""The list methods paged by ID (the way Bitrix24's docs give for long CRM lists)."""

LISTINGS = (
    Listing("crm.deal.list.jsonl", "crm.deal.list", ("created", "closed"), unique_by="ID"),
    Listing("crm.lead.list.jsonl", "crm.lead.list", ("created",), unique_by="ID"),
    Listing("crm.activity.list.jsonl", "crm.activity.list", ("started",), unique_by="ID"),
    Listing("voximplant.statistic.get.jsonl", "voximplant.statistic.get", ("started",), unique_by="ID"),
    Listing("user.get.jsonl", "user.get", ("all",), unique_by="ID"),
)


def parse_webhook(secret: Secret) -> tuple[str, str, Secret]:
    """The webhook's base URL (ending in `/`), the portal's host, and the secret knowing its
    token and path as parts that must not show either."""
    try:
        parts = urlsplit(secret.value)
        segments = [s for s in parts.path.split("/") if s]
        port = parts.port  # raises on a malformed port
    except ValueError:
        raise SecretError(t("pull.bitrix24.bad-webhook", origin=secret.origin), t("pull.bitrix24.bad-webhook-help")) from None
    if (not parts.hostname or parts.username or parts.password or parts.query or parts.fragment
            or len(segments) != 3 or segments[0] != "rest" or not segments[1].isdigit()):
        raise SecretError(t("pull.bitrix24.bad-webhook", origin=secret.origin), t("pull.bitrix24.bad-webhook-help"))
    check_base_url(secret.value)
    portal = parts.hostname + (f":{port}" if port else "")
    base = f"{parts.scheme}://{parts.netloc}/rest/{segments[1]}/{segments[2]}/"
    return base, portal, secret.with_hidden(segments[2], f"/rest/{segments[1]}/{segments[2]}")


def php_query(params: dict[str, Any]) -> str:
    """Parameters in PHP's nested query form (`filter[>=DATE_CREATE]=...&select[0]=*`), as a
    `batch` command needs them."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{name}[{key}]", inner)
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                add(f"{name}[{index}]", inner)
        else:
            pairs.append((name, "Y" if value is True else "N" if value is False else str(value)))

    for key, value in params.items():
        add(key, value)
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)


class Bitrix24:
    name = "bitrix24"
    listings = LISTINGS

    def __init__(self, secret: Secret, window: Window, *, retry: Retry | None = None, timeout: float = 60.0,
                 batch: int = BATCH_LIMIT, on_wait=None):
        self.base, self.portal, secret = parse_webhook(secret)
        self.window = window
        self.batch = max(1, min(batch, BATCH_LIMIT))
        self.transport = Transport(secret, self.base, retry, timeout, on_wait)

    def close(self) -> None:
        self.transport.close()

    def params(self, listing: Listing, query: int, start: int, after: int | None = None) -> dict[str, Any]:
        """The list method's parameters for the page at `start` (of the records past ID `after`)."""
        since, until = self.window.start.isoformat(), self.window.end.isoformat()
        past = {">ID": after} if after is not None else {}
        label = listing.queries[query]
        if listing.method == "crm.deal.list":
            # CLOSEDATE of an open deal is the date it is expected to close: only closed deals count
            field = "DATE_CREATE" if label == "created" else "CLOSEDATE"
            where = {f">={field}": since, f"<{field}": until} | ({"CLOSED": "Y"} if label == "closed" else {})
            return {"order": {"ID": "ASC"}, "filter": where | past, "select": ["*", "UF_*"], "start": start}
        if listing.method == "crm.lead.list":
            return {"order": {"ID": "ASC"}, "filter": {">=DATE_CREATE": since, "<DATE_CREATE": until} | past,
                    "select": ["*", "UF_*"], "start": start}
        if listing.method == "crm.activity.list":
            return {"order": {"ID": "ASC"}, "filter": {">=START_TIME": since, "<START_TIME": until} | past,
                    "select": ["*", "COMMUNICATIONS"], "start": start}
        if listing.method == "voximplant.statistic.get":
            return {"FILTER": {">=CALL_START_DATE": since, "<CALL_START_DATE": until}, "SORT": "ID", "ORDER": "ASC",
                    "start": start}
        return {"sort": "ID", "order": "ASC", "start": start}  # user.get: everyone but bots and service users

    def fetch(self, listing: Listing, query: int, cursor: Any) -> Page:
        """A query's first page alone (it tells how many records there are), then batches of pages.

        The CRM lists (KEYSET) go on from the last ID read (`>ID` filter, pages counted from
        there), so a record deleted in the CRM between two requests shifts nothing past the pull;
        the telephony log and the users go on by `start`."""
        keyset = listing.method in KEYSET
        if cursor is None:
            body = self._call(listing.method, self.params(listing, query, 0))
            records = _records(body.get("result"), listing.method)
            if "next" not in body:
                return Page(records)
            following, total = _numbers(body.get("next"), body.get("total"), listing.method)
        else:
            after = int(cursor["after"]) if keyset else None
            first = 0 if keyset else int(cursor["start"])
            end = first + int(cursor["left"] if keyset else cursor["total"] - first)
            starts = list(range(first, max(end, first + 1), PAGE_SIZE))[: self.batch]
            records, following, total = self._batch(listing, query, starts, after)
            if following is None:
                return Page(records)
        if keyset:
            return Page(records, {"after": _last_id(records, listing.method), "left": total - following})
        return Page(records, {"start": following, "total": total})

    def _batch(self, listing: Listing, query: int, starts: list[int],
               after: int | None) -> tuple[list[dict], int | None, int]:
        """The pages at `starts` in one `batch` call: their records, and the last page's `next`
        (None when it was the query's last) and `total`."""
        commands = {f"p{s}": f"{listing.method}?{php_query(self.params(listing, query, s, after))}" for s in starts}
        body = self._call("batch", {"halt": 1, "cmd": commands}, _interpret_batch)
        result = body["result"]
        answers = result["result"] if isinstance(result["result"], dict) else {}  # [] is PHP's empty array
        missing = [key for key in commands if key not in answers]
        if missing:
            raise PullError(t("pull.malformed", what=listing.method, detail=f"batch: {missing[0]}"))
        records = [record for key in commands for record in _records(answers[key], listing.method)]
        last = f"p{starts[-1]}"
        following = result.get("result_next") if isinstance(result.get("result_next"), dict) else {}
        totals = result.get("result_total") if isinstance(result.get("result_total"), dict) else {}
        if last not in following:
            return records, None, 0
        return (records, *_numbers(following[last], totals.get(last), listing.method))

    def _call(self, method: str, params: dict[str, Any], interpret=None) -> dict:
        return self.transport.call("POST", f"{self.base}{method}.json", interpret or _interpret, json=params,
                                   what=method)


def _numbers(following: Any, total: Any, method: str) -> tuple[int, int]:
    """A page's `next` and `total`, which must be whole numbers."""
    try:
        return int(following), int(total)
    except (TypeError, ValueError):
        raise PullError(t("pull.malformed", what=method, detail="next/total"), t("pull.not-json-help")) from None


def _last_id(records: list[dict], method: str) -> int:
    try:
        return max(int(record["ID"]) for record in records)
    except (KeyError, TypeError, ValueError):
        raise PullError(t("pull.malformed", what=method, detail="ID"), t("pull.not-json-help")) from None


def _records(value: Any, method: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise PullError(t("pull.malformed", what=method, detail="result"))
    return value


def _interpret(response: httpx.Response) -> Answer:
    try:
        body = load_records(response.text)
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if error:
        answer = _interpret_error(str(error), body.get("error_description", ""), None)
        if isinstance(answer, Later) and answer.limited:
            return Later(answer.reason, True, retry_after(response))
        if not (isinstance(answer, Fatal) and answer.text.key == "pull.bitrix24.error" and response.status_code >= 500):
            return answer
    if response.status_code == 401:
        return Fatal(t("pull.bitrix24.auth", code="401"), t("pull.bitrix24.auth-help"))
    if response.status_code >= 500 or response.status_code == 429:
        return Later(t("pull.server-error", status=response.status_code), response.status_code == 429,
                     retry_after(response))
    if body is None:
        return Fatal(t("pull.not-json", status=response.status_code), t("pull.not-json-help"))
    if response.status_code != 200:
        return Fatal(t("pull.http-status", status=response.status_code))
    if not isinstance(body, dict) or "result" not in body:
        return Fatal(t("pull.malformed", what="Bitrix24", detail="result"), t("pull.not-json-help"))
    return Data(body)


def _interpret_batch(response: httpx.Response) -> Answer:
    """A batch's answer: the failure of one of its commands is the batch's (a command over the
    rate limit: the whole batch is asked again)."""
    answer = _interpret(response)
    if not isinstance(answer, Data):
        return answer
    result = answer.value["result"]
    if not isinstance(result, dict) or not isinstance(result.get("result"), dict | list):
        return Fatal(t("pull.malformed", what="batch", detail="result.result"), t("pull.not-json-help"))
    errors = result.get("result_error")
    for error in (errors.values() if isinstance(errors, dict) else errors or []):
        failed = _interpret_error(str(error.get("error", "")) if isinstance(error, dict) else str(error),
                                  error.get("error_description", "") if isinstance(error, dict) else "", None)
        if not isinstance(failed, Data):
            return failed
    return answer


def _interpret_error(code: str, description: Any, method: str | None) -> Answer:
    if code == "QUERY_LIMIT_EXCEEDED":
        return Later(t("pull.rate-limited"), limited=True)
    if code in AUTH_ERRORS:
        return Fatal(t("pull.bitrix24.auth", code=code), t("pull.bitrix24.auth-help"))
    if code in SCOPE_ERRORS:
        return Fatal(t("pull.bitrix24.scope", code=code, method=method or "?"), t("pull.bitrix24.scope-help"))
    if code == "OVERLOAD_LIMIT":
        return Fatal(t("pull.bitrix24.overload"), t("pull.bitrix24.overload-help"))
    return Fatal(t("pull.bitrix24.error", code=server_words(code, 60), description=server_words(description)))
