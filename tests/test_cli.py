"""The `versus` command as a shell pipeline meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.import_content import EXPORT_ZIP, make_import_content


def test_a_reader_that_goes_away_ends_the_command_quietly_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """`versus import search-console export.zip | head -0`: no traceback, file unchanged."""
    content = make_import_content(tmp_path / "content")
    before = (content / "matches.yaml").read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "import", "search-console", str(EXPORT_ZIP)]
        + ["--content", str(content)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line (`| true`): deterministic
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and err == ""
    assert (content / "matches.yaml").read_bytes() == before
