"""A local stand-in for Bitrix24's and amoCRM's APIs, on 127.0.0.1, serving the documented
paging (Bitrix24: `start`/`next`/`total`, 50 a page, `batch`; amoCRM: `page`/`limit`,
`_links.next`, 204 for an empty list) and, on request, the failures a pull must survive or report:
rate limits, server errors, timeouts, refused tokens, malformed answers."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BITRIX_PAGE = 50


def nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """PHP's reading of `filter[>=DATE_CREATE]=...&select[0]=*` into nested dicts (lists stay
    dicts with index keys, enough for the filters)."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        parts = [name.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", name)]
        place = out
        for key in parts[:-1]:
            place = place.setdefault(key, {})
        place[parts[-1]] = value
    return out


def matches(record: dict, where: dict[str, Any]) -> bool:
    for key, value in where.items():
        operator = re.match(r"[<>=]*", key).group(0)
        left, right = record.get(key[len(operator):], ""), value
        if str(left).isdigit() and str(right).isdigit():  # IDs compare as numbers
            left, right = int(left), int(right)
        else:
            left, right = str(left), str(right)
        if not {">=": left >= right, ">": left > right, "<": left < right, "": left == right}[operator]:
            return False
    return True


@dataclass
class FakeCrm:
    token: str = "s3cr3t-t0ken-9f8e7d6c5b4a"
    bitrix: dict[str, list[dict]] = field(default_factory=dict)
    amo: dict[str, list[dict]] = field(default_factory=dict)
    amo_page: int = 3
    faults: dict[int, str] = field(default_factory=dict)
    """Request number (from 0) → a failure to give instead of the answer."""
    fail_from: int | None = None
    """From this request on, every answer is a 500."""
    requests: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- Bitrix24 ----

    def bitrix_list(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        where = params.get("filter") or params.get("FILTER") or {}
        rows = [r for r in self.bitrix.get(method, []) if matches(r, where)]
        start = int(params.get("start", 0))
        page = rows[start:start + BITRIX_PAGE]
        body: dict[str, Any] = {"result": page, "total": len(rows), "time": {"start": 0}}
        if start + BITRIX_PAGE < len(rows):
            body["next"] = start + BITRIX_PAGE
        return body

    def bitrix_batch(self, commands: dict[str, str]) -> dict[str, Any]:
        result, totals, following = {}, {}, {}
        for key, command in commands.items():
            method, _, query = command.partition("?")
            answer = self.bitrix_list(method, nested(parse_qsl(query)))
            result[key], totals[key] = answer["result"], answer["total"]
            if "next" in answer:
                following[key] = answer["next"]
        return {"result": {"result": result, "result_error": [], "result_total": totals, "result_next": following,
                           "result_time": {}}, "time": {}}

    # ---- amoCRM ----

    def amo_list(self, path: str, query: list[tuple[str, str]]) -> dict[str, Any] | None:
        params = dict(query)
        rows = self.amo.get(path, [])
        for field_name in ("created_at", "closed_at", "updated_at"):
            since, until = params.get(f"filter[{field_name}][from]"), params.get(f"filter[{field_name}][to]")
            if since is not None:
                rows = [r for r in rows if r.get(field_name) is not None and r[field_name] >= int(since)]
            if until is not None:
                rows = [r for r in rows if r.get(field_name) is not None and r[field_name] <= int(until)]
        kinds = [v for k, v in query if k == "filter[note_type][]"]
        if kinds:
            rows = [r for r in rows if r.get("note_type") in kinds]
        page = int(params.get("page", 1))
        size = min(int(params.get("limit", 250)), self.amo_page)
        chunk = rows[(page - 1) * size: page * size]
        if not chunk:
            return None
        links: dict[str, Any] = {"self": {"href": f"https://example.amocrm.ru/api/v4/{path}?page={page}"}}
        if page * size < len(rows):
            links["next"] = {"href": f"https://example.amocrm.ru/api/v4/{path}?page={page + 1}"}
        return {"_page": page, "_links": links, "_embedded": {path.split("/")[-1]: chunk}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeCrm

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any = None, *, raw: str | None = None, headers: dict | None = None) -> None:
        data = (raw if raw is not None else json.dumps(body)).encode() if (body is not None or raw is not None) else b""
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _fault(self, vendor: str) -> bool:
        fake = self.fake
        with fake.lock:
            number = len(fake.requests)
            fake.requests.append((self.path, None))
        fault = fake.faults.get(number)
        if fake.fail_from is not None and number >= fake.fail_from:
            fault = "500"
        if fault is None:
            return False
        if fault == "timeout":
            time.sleep(1.0)  # longer than the tests' client waits; then the connection just closes
            return True
        return self._fault_answer(fault, vendor) or True

    def _fault_answer(self, fault: str, vendor: str) -> None:
        if fault == "limit":
            if vendor == "bitrix":
                self._send(503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
            else:
                self._send(429, {"title": "Too Many Requests", "status": 429})
        elif fault == "500":
            self._send(500, raw="<html><body>Internal Server Error</body></html>")
        elif fault == "html200":
            self._send(200, raw="<html><body>maintenance</body></html>")
        elif fault == "noresult":
            self._send(200, {"time": {"start": 0}})
        elif fault == "expired":
            self._send(401, {"error": "expired_token", "error_description": "The access token provided has expired."})
        elif fault == "echo":  # a server quoting the request back, secret and all
            self._send(400, {"error": "ERROR_CORE", "error_description": f"bad request {self.path}",
                             "title": "Bad Request", "detail": f"bad request {self.path} {self.headers.get('Authorization')}"})

    def do_POST(self) -> None:  # Bitrix24
        fake = self.fake
        length = int(self.headers.get("Content-Length", 0))
        params = json.loads(self.rfile.read(length) or b"{}")
        match = re.fullmatch(r"/rest/(\d+)/([^/]+)/([a-z0-9_.]+)\.json", urlsplit(self.path).path)
        if self._fault("bitrix"):
            return
        with fake.lock:
            fake.requests[-1] = (self.path.replace(fake.token, "TOKEN"), params)
        if match is None:
            self._send(404, {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
            return
        if match.group(2) != fake.token:
            self._send(401, {"error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"})
            return
        method = match.group(3)
        if method == "batch":
            self._send(200, fake.bitrix_batch(params["cmd"]))
        else:
            self._send(200, fake.bitrix_list(method, params))

    def do_GET(self) -> None:  # amoCRM
        fake = self.fake
        parts = urlsplit(self.path)
        if self._fault("amo"):
            return
        query = parse_qsl(parts.query)
        with fake.lock:
            fake.requests[-1] = (parts.path, query)
        if self.headers.get("Authorization") != f"Bearer {fake.token}":
            self._send(401, {"title": "Unauthorized", "status": 401})
            return
        path = parts.path.removeprefix("/api/v4/")
        body = fake.amo_list(path, query)
        if body is None:
            self._send(204)
        else:
            self._send(200, body)


class FakeServer:
    def __init__(self, fake: FakeCrm):
        handler = type("Handler", (_Handler,), {"fake": fake})
        self.fake = fake
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def webhook(self) -> str:
        return f"{self.url}/rest/1/{self.fake.token}/"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
