"""A local stand-in for GitHub, Hugging Face, pypistats, npm and OpenRouter.

It replays the response bodies of tests/fixtures/replay/ (each service's documented
format) with the figures of the identifier asked for, pages the way the services page
(GitHub's `Link: rel="last"`, Hugging Face's `rel="next"` cursor), answers `If-None-Match`
with 304, and can be scripted per path: a status, headers, a malformed body or a delay. A
simulated rate limit answers like the service once a budget is spent. The clock is
injectable so rate-limit resets follow the test's fake time. Used by the tests and by
benchmarks/refresh.py; every base URL of `versus refresh` points at one server.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "replay"
ENV_VARS = (
    "VERSUS_GITHUB_API",
    "VERSUS_HUGGINGFACE_API",
    "VERSUS_PYPISTATS_API",
    "VERSUS_NPM_API",
    "VERSUS_OPENROUTER_API",
)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: bytes | Any = b""  # bytes as they are, anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Limit:
    """A budget of requests; once spent, answers like the service until `reset` seconds."""

    budget: int
    reset: float
    style: str = "github"  # github (403 + X-RateLimit-*), retry-after (429), ratelimit (429)
    spent_at: float | None = None


def service_of(path: str) -> str:
    if path.startswith("/repos/"):
        return "github"
    if path.startswith("/api/spaces/"):
        return "huggingface_space"
    if path.startswith("/api/models"):
        return "huggingface"
    if path.startswith("/api/packages/"):
        return "pypi"
    if path.startswith("/downloads/"):
        return "npm"
    return "openrouter"


def _number(ident: str, salt: str, low: int, high: int) -> int:
    digest = hashlib.sha256(f"{salt}:{ident}".encode()).digest()
    return low + int.from_bytes(digest[:6], "big") % (high - low)


class Replay:
    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.values: dict[tuple[str, str], dict[str, Any]] = {}  # overrides per identifier
        self.scripts: dict[str, list[Reply]] = {}  # path+query -> replies used in order
        self.limits: dict[str, Limit] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.etags = True
        self.openrouter_ids: list[str] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def env(self) -> dict[str, str]:
        return {name: self.url for name in ENV_VARS}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def value(self, service: str, ident: str, key: str, low: int, high: int) -> Any:
        given = self.values.get((service, ident), {})
        return given[key] if key in given else _number(ident, key, low, high)

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests]

    # ------------------------------------------------------------------ answers

    def answer(self, target: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append((target, headers))
            script = self.scripts.get(target)
            if script:
                return script.pop(0)
            service = service_of(urlsplit(target).path)
            limited = self._limited(service)
        if limited is not None:
            return limited
        reply = self._generate(target)
        if reply.status == 200 and self.etags and not isinstance(reply.body, bytes):
            raw = json.dumps(reply.body).encode()
            etag = '"' + hashlib.sha256(raw).hexdigest()[:20] + '"'
            reply.headers["ETag"] = etag
            if headers.get("if-none-match") == etag:
                return Reply(304, b"", {"ETag": etag})
        return reply

    def _limited(self, service: str) -> Reply | None:
        limit = self.limits.get(service)
        if limit is None:
            return None
        now = self.now()
        if limit.spent_at is not None and now >= limit.spent_at + limit.reset:
            return None  # the window reset: unlimited from here on
        if limit.budget > 0:
            limit.budget -= 1
            return None
        if limit.spent_at is None:
            limit.spent_at = now
        left = max(0, int(limit.spent_at + limit.reset - now + 0.999))
        body = {"message": "API rate limit exceeded"}
        if limit.style == "github":
            reset = str(int(limit.spent_at + limit.reset + 0.999))
            hdrs = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
            return Reply(403, body, hdrs)
        if limit.style == "retry-after":
            return Reply(429, body, {"Retry-After": str(left)})
        return Reply(429, body, {"RateLimit": f"limit=100, remaining=0, reset={left}"})

    def _generate(self, target: str) -> Reply:
        parts = urlsplit(target)
        path, query = unquote(parts.path), parse_qs(parts.query)
        segments = path.strip("/").split("/")
        if path.startswith("/repos/") and len(segments) in (3, 4):
            return self._github(segments, query)
        if path.startswith("/api/models/"):
            return self._hf_model(path.removeprefix("/api/models/"))
        if path == "/api/models":
            return self._hf_list(query)
        if path.startswith("/api/spaces/"):
            ident = path.removeprefix("/api/spaces/")
            if ("huggingface_space", ident) in self.values or ident.startswith("known/"):
                body = fixture("huggingface-space.json")
                body["id"] = ident
                body["likes"] = self.value("huggingface_space", ident, "likes", 1, 5000)
                return Reply(200, body)
        if path.startswith("/api/packages/") and path.endswith("/recent"):
            name = path.removeprefix("/api/packages/").removesuffix("/recent")
            body = fixture("pypistats-recent.json")
            body["package"] = name
            body["data"]["last_month"] = self.value("pypi", name, "last_month", 1000, 10**7)
            return Reply(200, body)
        if path.startswith("/downloads/point/last-month/"):
            name = path.removeprefix("/downloads/point/last-month/")
            body = fixture("npm-point.json")
            body["package"] = name
            body["downloads"] = self.value("npm", name, "downloads", 1000, 10**7)
            return Reply(200, body)
        if path == "/api/v1/models":
            template = fixture("openrouter-models.json")["data"][0]
            data = []
            for ident in self.openrouter_ids:
                entry = copy.deepcopy(template)
                entry["id"] = entry["canonical_slug"] = ident
                given = self.values.get(("openrouter", ident), {})
                entry["pricing"]["prompt"] = given.get("prompt", "0.000000028")
                entry["pricing"]["completion"] = given.get("completion", "0.000000054")
                data.append(entry)
            return Reply(200, {"data": data})
        return Reply(404, {"message": "Not Found"})

    def _github(self, segments: list[str], query: dict[str, list[str]]) -> Reply:
        repo = f"{segments[1]}/{segments[2]}"
        if self.values.get(("github", repo), {}).get("missing"):
            return Reply(404, {"message": "Not Found", "status": "404"})
        if len(segments) == 3:
            body = fixture("github-repo.json")
            body["name"], body["full_name"] = segments[2], repo
            body["stargazers_count"] = self.value("github", repo, "stars", 10, 100_000)
            body["watchers_count"] = body["watchers"] = body["stargazers_count"]
            return Reply(200, body)
        if segments[3] != "contributors":
            return Reply(404, {"message": "Not Found"})
        count = self.value("github", repo, "contributors", 1, 2000)
        page = int(query.get("page", ["1"])[0])
        body = fixture("github-contributors.json") if page <= count else []
        headers = {}
        if count > 1:
            base = f"{self.url}/repositories/1/contributors?per_page=1&anon=1"
            headers["Link"] = f'<{base}&page=2>; rel="next", <{base}&page={count}>; rel="last"'
        return Reply(200, body, headers)

    def _hf_model(self, ident: str) -> Reply:
        if self.values.get(("huggingface", ident), {}).get("missing"):
            return Reply(404, {"error": "Repository not found"})
        body = fixture("huggingface-model.json")
        body["id"] = body["modelId"] = ident
        body["downloads"] = self.value("huggingface", ident, "downloads", 100, 10**7)
        body["likes"] = self.value("huggingface", ident, "likes", 1, 5000)
        return Reply(200, body)

    def _hf_list(self, query: dict[str, list[str]]) -> Reply:
        base = query.get("filter", [""])[0].removeprefix("base_model:")
        total = self.value("huggingface", base, "derivatives", 0, 2500)
        limit = int(query.get("limit", ["1000"])[0])
        start = int(query.get("cursor", ["0"])[0])
        template = fixture("huggingface-models-list.json")[0]
        page = []
        for n in range(start, min(total, start + limit)):
            entry = dict(template, id=f"someone/derived-{n}", modelId=f"someone/derived-{n}")
            page.append(entry)
        headers = {}
        if start + limit < total:
            nxt = f"{self.url}/api/models?filter=base_model:{base}&limit={limit}"
            headers["Link"] = f'<{nxt}&cursor={start + limit}>; rel="next"'
        return Reply(200, page, headers)


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = replay.answer(self.path, headers)
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.status != 304:
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
