"""HTTP for `versus refresh`: JSON GETs that respect the services' limits.

Standard library only (urllib): one GET per call, a timeout on every request, a few retries
with exponential backoff for network errors and 5xx, and rate limits honoured the way the
services announce them: `Retry-After` (seconds or an HTTP date), `X-RateLimit-Remaining` /
`X-RateLimit-Reset` (GitHub: epoch seconds) and the IETF `RateLimit` / `RateLimit-Reset`
fields (seconds from now). Once a service says its budget is spent, every later request to
it waits for the reset instead of spending a request on a certain refusal; a wait longer
than `max_wait` gives up for that request ("rate limit exhausted") rather than hang a run.

Conditional requests: a response's `ETag` is kept with its body (`EtagCache`), and the next
run sends `If-None-Match`; a 304 reuses the stored body. GitHub does not count 304s against
the rate limit, and every service saves the transfer.

Tokens come from the environment and go only into the `Authorization` header: they are
never part of a URL, a message or the cache. `sleep` and `now` are injectable so tests
exercise the waits without waiting.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import __version__
from generator.refresh_cache import EtagCache

USER_AGENT = f"versus-refresh/{__version__} (+https://github.com/)"
MAX_BODY = 32 * 1024 * 1024  # no real answer comes close; a bigger one is refused


class FetchError(Exception):
    """One request failed for good; the message is one line for the user."""


@dataclass
class Stats:
    """What a run cost: printed by the benchmark and the summary line."""

    requests: int = 0  # HTTP requests sent (retries included)
    not_modified: int = 0  # 304 answers: bodies reused from the cache
    retries: int = 0
    rate_limited: int = 0  # 429/403 rate-limit answers received
    waited: float = 0.0  # seconds spent waiting for rate-limit resets and backoff


Keep = Callable[[Any], Any]


@dataclass
class Response:
    data: Any
    headers: Mapping[str, str]
    url: str


def _seconds_until(value: str, now: float) -> float | None:
    """Retry-After: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


_RESET = re.compile(r"(?:^|[,;\s])(?:r|reset)=(\d+)")


def reset_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the service accepts requests again, from whichever header it sends."""
    h = {k.lower(): v for k, v in headers.items()}
    if "retry-after" in h:
        found = _seconds_until(h["retry-after"], now)
        if found is not None:
            return found
    if "x-ratelimit-reset" in h and h["x-ratelimit-reset"].strip().isdigit():
        reset = float(h["x-ratelimit-reset"])
        # GitHub sends epoch seconds; some services send seconds from now.
        return max(0.0, reset - now) if reset > 1e9 else reset
    if "ratelimit-reset" in h and h["ratelimit-reset"].strip().isdigit():
        return float(h["ratelimit-reset"])
    match = _RESET.search(h.get("ratelimit", ""))
    if match:
        return float(match.group(1))
    return None


def budget_spent(headers: Mapping[str, str]) -> bool:
    h = {k.lower(): v.strip() for k, v in headers.items()}
    for name in ("x-ratelimit-remaining", "ratelimit-remaining"):
        if h.get(name) == "0":
            return True
    return bool(re.search(r"(?:^|[,;\s])(?:r|remaining)=0\b", h.get("ratelimit", "")))


@dataclass
class Client:
    """Shared by the worker threads of one run; everything mutable is under `lock`."""

    tokens: Mapping[str, str] = field(default_factory=dict)  # service -> token
    cache: EtagCache | None = None
    timeout: float = 20.0
    attempts: int = 3
    backoff: float = 0.5
    max_wait: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.time
    stats: Stats = field(default_factory=Stats)
    lock: threading.Lock = field(default_factory=threading.Lock)
    blocked_until: dict[str, float] = field(default_factory=dict)  # service -> epoch

    def _wait(self, seconds: float) -> None:
        with self.lock:
            self.stats.waited += seconds
        self.sleep(seconds)

    def _gate(self, service: str) -> None:
        """Wait out a reset the service announced, or give up if it is too far off."""
        with self.lock:
            until = self.blocked_until.get(service, 0.0)
        left = until - self.now()
        if left <= 0:
            return
        if left > self.max_wait:
            raise FetchError(f"rate limit exhausted (resets in {left:.0f}s)")
        self._wait(left)

    def _count(self, **kinds: int) -> None:
        with self.lock:
            for name, n in kinds.items():
                setattr(self.stats, name, getattr(self.stats, name) + n)

    def get(self, service: str, url: str, keep: Keep | None = None) -> Response:
        """The JSON at `url`, or FetchError with a one-line reason. `keep` reduces the
        answer to what the caller reads (a count instead of a page of 1,000 models), and
        only that is cached, so the cache stays small."""
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        token = self.tokens.get(service)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        cached = self.cache.get(url) if self.cache else None
        if cached is not None:
            headers["If-None-Match"] = cached[0]
        last = "no answer"
        for attempt in range(self.attempts):
            self._gate(service)
            if attempt:
                self._count(retries=1)
            self._count(requests=1)
            try:
                return self._once(service, url, headers, cached, keep)
            except _Retry as retry:
                last = retry.reason
                delay = retry.delay
                if delay is None:
                    delay = self.backoff * (2**attempt) * (1 + random.random() / 4)
                if attempt + 1 < self.attempts:
                    if delay > self.max_wait:
                        raise FetchError(f"rate limit exhausted (resets in {delay:.0f}s)") from None
                    self._wait(delay)
        raise FetchError(f"{last} (gave up after {self.attempts} attempts)")

    def _once(
        self,
        service: str,
        url: str,
        headers: dict[str, str],
        cached: tuple[str, str, str] | None,
        keep: Keep | None,
    ) -> Response:
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                status, got = answer.status, dict(answer.headers.items())
                body = answer.read(MAX_BODY + 1)
        except urllib.error.HTTPError as err:
            status, got = err.code, dict(err.headers.items()) if err.headers else {}
            body = err.read(MAX_BODY + 1) if status != 304 else b""
        except TimeoutError:
            raise _Retry(f"timed out after {self.timeout:g}s") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise _Retry(f"timed out after {self.timeout:g}s") from None
            raise _Retry(f"network error: {reason}") from None
        except (ConnectionError, OSError) as err:
            raise _Retry(f"network error: {err.strerror or err}") from None
        self._note_budget(service, got)
        if status == 304 and cached is not None:
            self._count(not_modified=1)
            if cached[2]:
                got = {**got, "Link": cached[2]}  # a 304 does not repeat it
            return Response(json.loads(cached[1]), got, url)
        if status == 429 or (status == 403 and budget_spent(got)):
            self._count(rate_limited=1)
            delay = reset_after(got, self.now())
            raise _Retry(f"rate limited (HTTP {status})", 60.0 if delay is None else delay)
        if status >= 500:
            raise _Retry(f"server error (HTTP {status})")
        if status == 404:
            raise FetchError("not found (HTTP 404): check the identifier")
        if status != 200:
            raise FetchError(f"unexpected answer (HTTP {status})")
        if len(body) > MAX_BODY:
            raise FetchError("answer too large")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise FetchError("malformed JSON in the answer") from None
        if keep is not None:
            data = keep(data)
        text = json.dumps(data)
        lower = {k.lower(): v for k, v in got.items()}
        if self.cache is not None and lower.get("etag"):
            self.cache.put(url, lower["etag"], text, lower.get("link", ""))
        return Response(data, got, url)

    def _note_budget(self, service: str, headers: Mapping[str, str]) -> None:
        """Remember a spent budget so the other threads wait instead of asking."""
        if not budget_spent(headers):
            return
        delay = reset_after(headers, self.now())
        if delay is not None:
            with self.lock:
                until = self.now() + delay
                self.blocked_until[service] = max(self.blocked_until.get(service, 0), until)


class _Retry(Exception):
    def __init__(self, reason: str, delay: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay


_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def links(headers: Mapping[str, str]) -> dict[str, str]:
    """RFC 8288 `Link` header as rel -> URL (GitHub and Hugging Face page this way)."""
    value = {k.lower(): v for k, v in headers.items()}.get("link", "")
    return {rel: url for url, rel in _LINK.findall(value)}
