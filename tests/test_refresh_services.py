"""`versus refresh` against each service's documented answers, replayed locally: the
figures it writes, how it counts across pages, and what it says when a service fails."""

from __future__ import annotations

from pathlib import Path

from tests.refresh_helpers import FakeClock, files, run, site
from tests.replay import Replay, Reply

FIGURE = """  - metric: {metric}
    value: {value}
    source: {source}
    observed: {observed}
    retrieved: 2026-12-03
{context}    provenance: independent
"""


def figure(metric: str, value: object, source: str, context: str = "", observed: str = "") -> str:
    ctx = f"    context: {context}\n" if context else ""
    return FIGURE.format(
        metric=metric,
        value=value,
        source=source,
        observed=observed or "2026-12-03",
        context=ctx,
    )


def test_github_stars_and_contributors_counted_from_the_link_header(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, {"alpha": {"github": "acme/alpha"}})
    replay.values[("github", "acme/alpha")] = {"stars": 12345, "contributors": 321}
    result = run(content, clock)
    assert result.code == 0, result.err
    assert result.lines[1:3] == ["  + github_stars: 12,345", "  + contributors: 321"]
    text = (content / "tools" / "alpha.yaml").read_text("utf-8")
    api = f"{replay.url}/repos/acme/alpha"
    assert figure("github_stars", 12345, api) in text
    assert figure("contributors", 321, f"{api}/contributors?per_page=1&anon=1") in text
    # one page of one contributor: the count is the last page's number, not 321 requests
    assert replay.paths() == [
        "/repos/acme/alpha",
        "/repos/acme/alpha/contributors?per_page=1&anon=1",
    ]


def test_single_contributor_without_link_header(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, {"alpha": {"github": "acme/solo"}})
    replay.values[("github", "acme/solo")] = {"stars": 5, "contributors": 1}
    assert "  + contributors: 1" in run(content, clock).lines


def test_huggingface_downloads_likes_and_derivatives_over_pages(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, {"alpha": {"huggingface": "acme/alpha-7b"}})
    replay.values[("huggingface", "acme/alpha-7b")] = {
        "downloads": 4321,
        "likes": 87,
        "derivatives": 2345,
    }
    result = run(content, clock)
    assert result.code == 0, result.err
    assert result.lines[1:4] == [
        "  + monthly_downloads [Hugging Face, last 30 days]: 4,321",
        "  + huggingface_likes: 87",
        "  + derivatives [Hugging Face models naming it as base model]: 2,345",
    ]
    listing = [p for p in replay.paths() if p.startswith("/api/models?")]
    assert len(listing) == 3  # 1,000 + 1,000 + 345, following rel="next"
    text = (content / "tools" / "alpha.yaml").read_text("utf-8")
    api = f"{replay.url}/api/models/acme/alpha-7b"
    assert figure("monthly_downloads", 4321, api, "Hugging Face, last 30 days") in text
    assert figure("huggingface_likes", 87, api) in text
    # the hand-typed counter from another source stays; it is a different context
    assert "    value: 100000\n    source: https://alpha.example.org/stats\n" in text


def test_space_pypi_npm_and_openrouter(tmp_path: Path, replay: Replay, clock: FakeClock) -> None:
    ids = {
        "huggingface_space": "known/demo",
        "pypi": "Alpha_Tool",
        "npm": "@acme/cli",
        "openrouter": "acme/model-1",
    }
    content = site(tmp_path, {"beta": ids})
    replay.values[("huggingface_space", "known/demo")] = {"likes": 12}
    replay.values[("pypi", "alpha-tool")] = {"last_month": 98765}
    replay.values[("npm", "@acme/cli")] = {"downloads": 5555}
    replay.values[("openrouter", "acme/model-1")] = {"prompt": "0.0000025", "completion": "0.00001"}
    replay.openrouter_ids = ["other/model", "acme/model-1"]
    result = run(content, clock)
    assert result.code == 0, result.err
    assert result.lines[1:] == [
        "  + huggingface_likes [Space]: 12",
        "  + monthly_downloads [PyPI, last month]: 98,765",
        "  + monthly_downloads [npm, last month]: 5,555",
        "  + prompt_price [OpenRouter]: 2.5",
        "  + completion_price [OpenRouter]: 10",
        "Refreshed 1 of 1 tools: 0 changed, 5 new, 0 unchanged, 0 held back; 4 requests, "
        "0 answered 304 (not modified), " + result.lines[-1].split("modified), ")[1],
    ]
    text = (content / "tools" / "beta.yaml").read_text("utf-8")
    npm = f"{replay.url}/downloads/point/last-month/@acme/cli"
    assert figure("monthly_downloads", 5555, npm, "npm, last month", "2026-12-01") in text
    assert "  - metric: completion_price\n    value: 10.0\n" in text
    assert f"{replay.url}/api/packages/alpha-tool/recent" in text


def _failing(tmp_path: Path, replay: Replay, clock: FakeClock, reply: Reply, **kw: float) -> str:
    content = site(tmp_path, {"alpha": {"github": "acme/alpha"}, "beta": {"pypi": "beta"}})
    before = files(content)
    for _ in range(3):
        replay.scripts.setdefault("/repos/acme/alpha", []).append(reply)
    result = run(content, clock, **kw)  # type: ignore[arg-type]
    assert result.code == 1
    assert "Traceback" not in result.err + result.out
    after = files(content)
    assert after["alpha.yaml"] == before["alpha.yaml"]  # the failed tool is untouched
    assert after["beta.yaml"] != before["beta.yaml"]  # the others are refreshed
    assert result.lines[-1].startswith("Refreshed 1 of 2 tools:")
    line = result.err.splitlines()
    assert len(line) == 1
    return line[0].split(": identifiers.github: ")[1]


def test_404_is_reported_for_that_tool_only(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    replay.values[("github", "acme/alpha")] = {"missing": True}
    content = site(tmp_path, {"alpha": {"github": "acme/alpha"}})
    before = files(content)
    result = run(content, clock)
    assert result.code == 1
    path = content / "tools" / "alpha.yaml"
    line = len(path.read_text("utf-8").splitlines())  # identifiers are the last lines
    assert result.err == (
        f"{path}:{line}:11: identifiers.github: acme/alpha: not found (HTTP 404): "
        "check the identifier\n"
    )
    assert files(content) == before
    assert result.client.stats.requests == 1  # a 404 is not retried


def test_malformed_json(tmp_path: Path, replay: Replay, clock: FakeClock) -> None:
    reply = Reply(200, b'{"stargazers_count": 12')
    assert _failing(tmp_path, replay, clock, reply) == "acme/alpha: malformed JSON in the answer"


def test_timeout_is_retried_then_reported(tmp_path: Path, replay: Replay, clock: FakeClock) -> None:
    reply = Reply(200, {"stargazers_count": 1}, delay=1.0)
    message = _failing(tmp_path, replay, clock, reply, timeout=0.2)
    assert message == "acme/alpha: timed out after 0.2s (gave up after 3 attempts)"
    assert len(clock.slept) == 2  # backoff between the three attempts, on the fake clock


def test_server_error_is_retried(tmp_path: Path, replay: Replay, clock: FakeClock) -> None:
    content = site(tmp_path, {"alpha": {"github": "acme/alpha"}})
    replay.values[("github", "acme/alpha")] = {"stars": 10, "contributors": 2}
    replay.scripts["/repos/acme/alpha"] = [Reply(502, b"Bad gateway")]
    result = run(content, clock)
    assert result.code == 0, result.err
    assert result.client.stats.retries == 1
    assert "  + github_stars: 10" in result.lines


def test_openrouter_id_missing_from_the_list(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, {"alpha": {"openrouter": "acme/gone"}})
    replay.openrouter_ids = ["acme/other"]
    result = run(content, clock)
    assert result.code == 1
    assert result.err.endswith(
        'identifiers.openrouter: acme/gone: "acme/gone" is not in OpenRouter\'s model list: '
        "check the identifier\n"
    )
