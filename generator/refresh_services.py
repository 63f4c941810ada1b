"""What `versus refresh` reads from each service, and how the answers become figures.

Endpoints (documented formats; the replay fixtures under tests/fixtures/replay/ mirror them):

- GitHub REST, `GET /repos/{owner}/{repo}`: `stargazers_count`. Contributors are counted with
  `GET /repos/{owner}/{repo}/contributors?per_page=1&anon=1`: one contributor per page, so
  the page number in the `Link` header's `rel="last"` URL is the count (no Link header: the
  body's length, 0 or 1). Token: `GITHUB_TOKEN` (60 requests an hour without one).
- Hugging Face Hub, `GET /api/models/{id}`: `downloads` (the last 30 days) and `likes`;
  `GET /api/spaces/{id}`: `likes`. Derivative models: `GET /api/models?filter=base_model:{id}`
  lists models whose card names it as base model, paged by the `Link` header's
  `rel="next"` cursor; the pages are counted. Token: `HF_TOKEN`.
- PyPI download counts are not in PyPI's JSON API; pypistats.org,
  `GET /api/packages/{name}/recent`: `data.last_month`.
- npm, `GET https://api.npmjs.org/downloads/point/last-month/{package}`: `downloads` over
  `start`..`end` (the figure is observed on `end`).
- OpenRouter, `GET /api/v1/models`: `data[].id` and `data[].pricing.prompt` /
  `.completion`, US dollars per token as decimal strings; written per million tokens.

The base URLs can be changed through VERSUS_GITHUB_API, VERSUS_HUGGINGFACE_API,
VERSUS_PYPISTATS_API, VERSUS_NPM_API and VERSUS_OPENROUTER_API: for testing against a
local replay server only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from generator.refresh_http import Client, FetchError, Response, links

SERVICES = ("github", "huggingface", "huggingface_space", "pypi", "npm", "openrouter")
DEFAULTS = {
    "github": ("VERSUS_GITHUB_API", "https://api.github.com"),
    "huggingface": ("VERSUS_HUGGINGFACE_API", "https://huggingface.co"),
    "pypi": ("VERSUS_PYPISTATS_API", "https://pypistats.org"),
    "npm": ("VERSUS_NPM_API", "https://api.npmjs.org"),
    "openrouter": ("VERSUS_OPENROUTER_API", "https://openrouter.ai"),
}
TOKENS = {"github": "GITHUB_TOKEN", "huggingface": "HF_TOKEN", "huggingface_space": "HF_TOKEN"}
MAX_PAGES = 100  # derivative-model pages (1,000 models each) read before giving a lower bound
HF_PAGE = 1000


@dataclass(frozen=True)
class Reading:
    """One figure as a service reports it today."""

    metric: str
    value: float
    source: str
    context: str = ""
    observed: dt.date | None = None  # None: the day of the run
    # An older hand-typed figure of this metric with an empty context and a source on this
    # host is the same counter: the reading replaces it instead of counting twice.
    legacy_host: str = ""
    note: str | None = None


def base_urls(env: Mapping[str, str] | None = None) -> dict[str, str]:
    env = os.environ if env is None else env
    return {name: env.get(var, default).rstrip("/") for name, (var, default) in DEFAULTS.items()}


def tokens(env: Mapping[str, str] | None = None) -> dict[str, str]:
    env = os.environ if env is None else env
    return {service: env[var] for service, var in TOKENS.items() if env.get(var)}


def _pick(*keys: str) -> Callable[[Any], Any]:
    """Keep only these fields of a JSON object (anything else is kept as it is, so the
    shape checks below still see what was wrong)."""

    def keep(data: Any) -> Any:
        return {k: data[k] for k in keys if k in data} if isinstance(data, dict) else data

    return keep


def _length(data: Any) -> Any:
    """A page that is only counted: its length stands for it."""
    return {"length": len(data)} if isinstance(data, list) else data


def _len(data: Any, what: str) -> int:
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict) and isinstance(data.get("length"), int):
        return int(data["length"])
    raise FetchError(f"unexpected answer: {what} is not a list")


def _count(data: Any, key: str, what: str) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FetchError(f"unexpected answer: no {what} ({key})")
    return value


@dataclass
class Services:
    """The fetchers of one run; the OpenRouter model list is read once and shared."""

    client: Client
    bases: dict[str, str] = field(default_factory=base_urls)
    _shared: dict[str, Response] = field(default_factory=dict)
    _shared_lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, service: str, ident: str) -> list[Reading]:
        fetch: dict[str, Callable[[str], list[Reading]]] = {
            "github": self.github,
            "huggingface": self.huggingface,
            "huggingface_space": self.huggingface_space,
            "pypi": self.pypi,
            "npm": self.npm,
            "openrouter": self.openrouter,
        }
        return fetch[service](ident)

    def github(self, repo: str) -> list[Reading]:
        base = self.bases["github"]
        url = f"{base}/repos/{quote(repo, safe='/')}"
        answer = self.client.get("github", url, _pick("stargazers_count"))
        stars = _count(answer.data, "stargazers_count", "star count")
        url_c = f"{url}/contributors?per_page=1&anon=1"
        answer = self.client.get("github", url_c, _length)
        size = _len(answer.data, "contributors")
        last = links(answer.headers).get("last")
        contributors = _page_number(last) if last else size
        return [
            Reading("github_stars", stars, url, legacy_host="github.com"),
            Reading("contributors", contributors, url_c, legacy_host="github.com"),
        ]

    def huggingface(self, model: str) -> list[Reading]:
        base = self.bases["huggingface"]
        url = f"{base}/api/models/{quote(model, safe='/')}"
        data = self.client.get("huggingface", url, _pick("downloads", "likes")).data
        downloads = _count(data, "downloads", "download count")
        likes = _count(data, "likes", "like count")
        url_d = f"{base}/api/models?filter=base_model:{quote(model, safe='/')}&limit={HF_PAGE}"
        derivatives, pages, next_url = 0, 0, url_d
        while next_url and pages < MAX_PAGES:
            answer = self.client.get("huggingface", next_url, _length)
            derivatives += _len(answer.data, "the model list")
            pages += 1
            next_url = links(answer.headers).get("next", "")
        note = f"at least: only the first {MAX_PAGES} pages were counted" if next_url else None
        return [
            Reading(
                "monthly_downloads",
                downloads,
                url,
                "Hugging Face, last 30 days",
                legacy_host="huggingface.co",
            ),
            Reading("huggingface_likes", likes, url, legacy_host="huggingface.co"),
            Reading(
                "derivatives",
                derivatives,
                url_d,
                "Hugging Face models naming it as base model",
                note=note,
            ),
        ]

    def huggingface_space(self, space: str) -> list[Reading]:
        url = f"{self.bases['huggingface']}/api/spaces/{quote(space, safe='/')}"
        answer = self.client.get("huggingface_space", url, _pick("likes"))
        likes = _count(answer.data, "likes", "like count")
        return [Reading("huggingface_likes", likes, url, "Space")]

    def pypi(self, name: str) -> list[Reading]:
        normal = re.sub(r"[-_.]+", "-", name).lower()
        url = f"{self.bases['pypi']}/api/packages/{quote(normal)}/recent"
        data = self.client.get("pypi", url, _pick("data")).data
        inner = data.get("data") if isinstance(data, dict) else None
        downloads = _count(inner, "last_month", "download count")
        return [Reading("monthly_downloads", downloads, url, "PyPI, last month")]

    def npm(self, package: str) -> list[Reading]:
        url = f"{self.bases['npm']}/downloads/point/last-month/{quote(package, safe='@/')}"
        data = self.client.get("npm", url, _pick("downloads", "end")).data
        downloads = _count(data, "downloads", "download count")
        end = data.get("end")
        try:
            observed = dt.date.fromisoformat(end) if isinstance(end, str) else None
        except ValueError:
            observed = None
        return [Reading("monthly_downloads", downloads, url, "npm, last month", observed)]

    def openrouter(self, model: str) -> list[Reading]:
        url = f"{self.bases['openrouter']}/api/v1/models"
        with self._shared_lock:  # one request per run, however many tools ask
            if url not in self._shared:
                self._shared[url] = self.client.get("openrouter", url, _prices)
            data = self._shared[url].data
        models = data.get("data") if isinstance(data, dict) else None
        if not isinstance(models, list):
            raise FetchError("unexpected answer: no model list (data)")
        entry = next((m for m in models if isinstance(m, dict) and m.get("id") == model), None)
        if entry is None:
            raise FetchError(f'"{model}" is not in OpenRouter\'s model list: check the identifier')
        pricing = entry.get("pricing")
        out = []
        for key, metric in (("prompt", "prompt_price"), ("completion", "completion_price")):
            raw = pricing.get(key) if isinstance(pricing, dict) else None
            try:
                per_token = Decimal(str(raw))
            except InvalidOperation:
                raise FetchError(f"unexpected answer: no {key} price") from None
            if not per_token.is_finite() or per_token < 0 or isinstance(raw, bool) or raw is None:
                raise FetchError(f"unexpected answer: no {key} price")
            per_million = float((per_token * 1_000_000).normalize())
            out.append(Reading(metric, per_million, url, "OpenRouter", note=f"id {model}"))
        return out


def _prices(data: Any) -> Any:
    """Of OpenRouter's model list, the ids and prices."""
    models = data.get("data") if isinstance(data, dict) else None
    if not isinstance(models, list):
        return data
    kept = [{"id": m.get("id"), "pricing": m.get("pricing")} for m in models if isinstance(m, dict)]
    return {"data": kept}


def _page_number(url: str) -> int:
    pages = parse_qs(urlsplit(url).query).get("page", [])
    if not pages or not pages[0].isdigit():
        raise FetchError("unexpected answer: Link header without a page number")
    return int(pages[0])
