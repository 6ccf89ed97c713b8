"""HTTP for pulls: one request with bounded, jittered retries, and every failure turned into a
`PullError` whose words never hold the secret.

A vendor module says what an answer means (`Answer`: the data, try again later, or a fatal
error); this module does the waiting. The sleeping function and the random source are injected,
so tests do not wait.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from kpilang.messages import Refused, Text, t
from kpilang.sources.pull.secret import Secret

# httpx logs every request's URL at INFO, and a Bitrix24 webhook's URL is its secret: whatever
# logging the host program set up, those records are not emitted.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class PullError(Refused):
    """Why a pull stopped, and what to do about it (texts free of secrets)."""


def check_base_url(url: str) -> str:
    """`url` if it is https, or http to this machine (the tests' server); anything else is
    refused, so that no secret travels in clear text."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url
    raise PullError(t("pull.not-https", host=parts.hostname or "?"), t("pull.not-https-help"))


@dataclass(frozen=True)
class Data:
    value: Any


@dataclass(frozen=True)
class Later:
    """Try again: a rate limit (`limited`) or a failure that may pass (a 5xx)."""

    reason: Text
    limited: bool = False
    wait: float | None = None
    """Seconds the server asked to wait (Retry-After), if it said."""


@dataclass(frozen=True)
class Fatal:
    text: Text
    hint: Text | None = None


Answer = Data | Later | Fatal


@dataclass
class Retry:
    attempts: int = 8
    """Tries of one request, the first included."""
    base: float = 1.0
    cap: float = 60.0
    sleep: Callable[[float], None] = field(default=lambda seconds: time.sleep(seconds))
    random: Callable[[], float] = field(default=random.random)
    min_interval: float = 0.0
    """Seconds between the starts of two requests (a vendor's rate limit)."""
    clock: Callable[[], float] = field(default=time.monotonic)

    def delay(self, attempt: int, asked: float | None) -> float:
        """Exponential back-off with jitter ("equal jitter": half fixed, half random), at least
        what the server asked for."""
        ceiling = min(self.cap, self.base * 2 ** attempt)
        chosen = ceiling / 2 + self.random() * ceiling / 2
        return max(chosen, min(asked or 0.0, self.cap * 5))


class Transport:
    def __init__(self, secret: Secret, base_url: str, retry: Retry | None = None, timeout: float = 60.0,
                 on_wait: Callable[[Text, float], None] | None = None):
        self.secret = secret
        self.retry = retry or Retry()
        # A company's proxy and certificate settings (HTTPS_PROXY, SSL_CERT_FILE) apply to the CRM,
        # never to this machine's own address (the tests' server)
        local = httpx.URL(base_url).host in LOOPBACK
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=not local,
                                   headers={"User-Agent": "kpilang-pull"})
        self.on_wait = on_wait
        self._last_start: float | None = None

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, url: str, interpret: Callable[[httpx.Response], Answer], *,
             params: Any = None, json: Any = None, headers: dict[str, str] | None = None,
             what: str) -> Any:
        """The data of the request's answer, after retries; `what` names the request in messages
        (a method name, never a URL)."""
        last: Later | None = None
        for attempt in range(self.retry.attempts):
            if attempt:
                seconds = self.retry.delay(attempt - 1, last.wait if last else None)
                if self.on_wait is not None:
                    self.on_wait(self._clean(last.reason), seconds)
                self.retry.sleep(seconds)
            self._pace()
            answer = self._attempt(method, url, interpret, params=params, json=json, headers=headers)
            if isinstance(answer, Data):
                return answer.value
            if isinstance(answer, Fatal):
                raise PullError(self._clean(answer.text), self._clean(answer.hint))
            last = answer
        raise PullError(t("pull.gave-up", what=what, attempts=self.retry.attempts,
                          reason=self._clean(last.reason)), t("pull.gave-up-help"))

    def _pace(self) -> None:
        now = self.retry.clock()
        if self._last_start is not None and self.retry.min_interval:
            wait = self._last_start + self.retry.min_interval - now
            if wait > 0:
                self.retry.sleep(wait)
                now += wait
        self._last_start = now

    def _attempt(self, method, url, interpret, *, params, json, headers) -> Answer:
        try:
            response = self.client.request(method, url, params=params, json=json, headers=headers)
        except httpx.TimeoutException:
            return Later(t("pull.timeout"))
        except httpx.TransportError as err:  # the error's own words may quote the URL: only its kind
            return Later(t("pull.connection-failed", kind=type(err).__name__))
        except (httpx.HTTPError, httpx.InvalidURL) as err:  # a request that could not even be made
            return Fatal(t("pull.request-failed", kind=type(err).__name__))
        if response.is_redirect:  # a redirect could lead the secret to another host: not followed
            return Fatal(t("pull.redirected", status=response.status_code), t("pull.redirected-help"))
        return interpret(response)

    def _clean(self, text: Text | None) -> Text | None:
        """A text whose values (a server's error description, say) hold no part of the secret."""
        if text is None:
            return None
        return Text(text.key, tuple((name, self._clean(value) if isinstance(value, Text) else
                                     self.secret.redact(value) if isinstance(value, str) else value)
                                    for name, value in text.args))


def server_words(text: Any, limit: int = 200) -> str:
    """A server's own error description, shortened, as one line."""
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
