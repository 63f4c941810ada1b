"""Content problems: the one family of errors that is the user's to fix, not our bug."""

from __future__ import annotations

import re
from dataclasses import dataclass

# C0/C1 control characters, DEL and the bidirectional overrides: printed raw, content could
# clear the terminal, move the cursor or make a line read differently from what it says.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\n`, `\\u202e`)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content, located precisely enough to jump to in an editor.

    A message starting with "warning: " is a warning: printed the same way, it does not
    stop the build."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        return printable(text)


class ContentError(Exception):
    """Raised with every problem found, so the user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} content problem(s)")


class TemplateProblem(Exception):
    """A template failed to load or render: the user's templates, not our code."""
