"""Shared by the tests of `versus refresh`: a replay server, a fake clock and a small site
whose tools name identifiers, and one call that runs the command in-process."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator import refresh
from generator.refresh_http import Client
from tests.replay import ENV_VARS, Replay

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"


class FakeClock:
    """Time that moves only when the client sleeps: rate-limit waits cost nothing."""

    def __init__(self) -> None:
        self.t = 1_796_256_000.0  # 2026-12-03, an epoch like GitHub's reset times
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@dataclass
class Run:
    code: int
    out: str
    err: str
    client: Client
    lines: list[str] = field(default_factory=list)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def replay(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Replay]:
    server = Replay(now=clock.now)
    for name in ENV_VARS:
        monkeypatch.setenv(name, server.url)
    for name in ("GITHUB_TOKEN", "HF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.close()


def site(tmp_path: Path, identifiers: dict[str, dict[str, str]]) -> Path:
    """The fixture site with `identifiers:` appended to the named tools."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURE, dest)
    for slug, ids in identifiers.items():
        path = dest / "tools" / f"{slug}.yaml"
        lines = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in ids.items())
        path.write_text(path.read_text("utf-8") + "identifiers:\n" + lines, "utf-8")
    return dest


def run(
    content: Path,
    clock: FakeClock,
    *,
    timeout: float = 5.0,
    max_wait: float = 120.0,
    tokens: dict[str, str] | None = None,
    **options: object,
) -> Run:
    client = Client(
        tokens=tokens or {},
        timeout=timeout,
        max_wait=max_wait,
        sleep=clock.sleep,
        now=clock.now,
    )
    opts = refresh.Options(content=content, cache=content.parent / "etags.json")
    for name, value in options.items():
        setattr(opts, name, value)
    out, err = io.StringIO(), io.StringIO()
    code = refresh.main(opts, out, err, client)
    return Run(code, out.getvalue(), err.getvalue(), client, out.getvalue().splitlines())


def files(content: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((content / "tools").iterdir())}
