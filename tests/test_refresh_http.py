"""`versus refresh` and the services' limits: conditional requests, rate limits and
tokens, on a fake clock so no test waits for a reset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.refresh_helpers import FakeClock, files, run, site
from tests.replay import Limit, Replay

TOOLS = {"alpha": {"github": "acme/alpha"}, "beta": {"github": "acme/beta"}}


def test_second_run_is_answered_304_from_the_etag_cache(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, TOOLS)
    first = run(content, clock)
    assert first.code == 0 and first.client.stats.not_modified == 0
    cache = json.loads((tmp_path / "etags.json").read_text("utf-8"))
    assert len(cache["entries"]) == 4
    second = run(content, clock)
    assert second.code == 0
    assert second.client.stats.requests == 4
    assert second.client.stats.not_modified == 4  # every answer reused
    # the contributor count comes from the cached Link header, not from the 304
    assert [line for line in second.lines if "contributors" in line] == [
        line.replace("  + ", "  = ") for line in first.lines if "contributors" in line
    ]
    sent = [h.get("if-none-match") for _, h in replay.requests[4:]]
    assert all(sent)


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b'{"version": 1, "entries": {"x": 3}}', b"[]", b'{"version": 9}'],
)
def test_damaged_cache_is_ignored(
    tmp_path: Path, replay: Replay, clock: FakeClock, damage: bytes
) -> None:
    content = site(tmp_path, TOOLS)
    (tmp_path / "etags.json").write_bytes(damage)
    result = run(content, clock)
    assert result.code == 0
    assert result.client.stats.not_modified == 0
    json.loads((tmp_path / "etags.json").read_text("utf-8"))  # replaced by a good one


def test_cache_that_is_a_symlink_is_not_followed(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, TOOLS)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("keep", "utf-8")
    (tmp_path / "etags.json").symlink_to(elsewhere)
    result = run(content, clock)
    assert result.err.startswith(f"warning: ignored the ETag cache {tmp_path / 'etags.json'}")
    assert elsewhere.read_text("utf-8") == "keep"
    assert not (tmp_path / "etags.json").is_symlink()


@pytest.mark.parametrize("style", ["github", "retry-after", "ratelimit"])
def test_rate_limit_waits_for_the_reset_then_goes_on(
    tmp_path: Path, replay: Replay, clock: FakeClock, style: str
) -> None:
    content = site(tmp_path, TOOLS)
    replay.limits["github"] = Limit(budget=2, reset=30, style=style)
    start = clock.t
    result = run(content, clock, workers=1)
    assert result.code == 0, result.err
    assert result.client.stats.rate_limited == 1
    assert 30 <= clock.t - start <= 32  # waited for the announced reset, on the fake clock
    assert len([line for line in result.lines if line.startswith("  + ")]) == 4


def test_exhausted_rate_limit_fails_those_tools_and_writes_nothing_for_them(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    content = site(tmp_path, TOOLS)
    before = files(content)
    replay.limits["github"] = Limit(budget=0, reset=3600, style="github")
    result = run(content, clock, max_wait=60)
    assert result.code == 1
    assert files(content) == before
    errors = result.err.splitlines()
    assert len(errors) == 2
    for line, slug in zip(errors, ("alpha", "beta"), strict=True):
        assert line.endswith(
            f"identifiers.github: acme/{slug}: rate limit exhausted (resets in 3600s)"
        )
    assert clock.slept == []  # never waited an hour
    assert result.lines[-1].startswith("Refreshed 0 of 2 tools:")


def test_a_spent_budget_holds_back_the_next_requests(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    """Once the service says remaining=0, later requests wait for the reset instead of
    spending a request on a refusal."""
    content = site(tmp_path, TOOLS)
    replay.limits["github"] = Limit(budget=1, reset=10, style="github")
    result = run(content, clock, workers=1)
    assert result.code == 0, result.err
    assert result.client.stats.rate_limited == 1
    assert result.client.stats.requests == 5  # 4 answers and a single refusal


def test_tokens_are_sent_but_never_written_or_printed(
    tmp_path: Path, replay: Replay, clock: FakeClock
) -> None:
    secret = "ghp_SECRET0123456789"
    content = site(tmp_path, {"alpha": {"github": "acme/alpha", "huggingface": "acme/m"}})
    tokens = {"github": secret, "huggingface": "hf_SECRET", "huggingface_space": "hf_SECRET"}
    result = run(content, clock, tokens=tokens)
    assert result.code == 0, result.err
    github = [h for p, h in replay.requests if p.startswith("/repos/")]
    hf = [h for p, h in replay.requests if p.startswith("/api/")]
    assert {h.get("authorization") for h in github} == {f"Bearer {secret}"}
    assert {h.get("authorization") for h in hf} == {"Bearer hf_SECRET"}
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for token in (secret, "hf_SECRET"):
        assert token.encode() not in written
        assert token not in result.out + result.err
