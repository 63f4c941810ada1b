"""Which entries of the content folder are content, which are editor litter, which are
mistakes to report.

Editors leave lock, swap and backup files beside the files being edited (Emacs `.#x.yaml`
is a symbolic link to nowhere; Vim `.x.yaml.swp`; `x.yaml~`; `#x.yaml#`). They are ignored,
as are all dotfiles. Anything else named like a YAML file must be a regular file, or a
symbolic link to one (followed, so a tool file may live elsewhere): a folder, a broken link,
a link loop or a named pipe is reported by name instead of crashing or hanging the build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from generator.problems import Problem

YAML_SUFFIXES = (".yaml", ".yml")


def is_litter(name: str) -> bool:
    """Editor lock, swap and backup files, and dotfiles in general."""
    return (
        name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    )


def not_regular(path: Path) -> str | None:
    """Why `path` cannot be read as a content file, or None when it is a regular file."""
    try:
        mode = path.stat().st_mode  # follows symbolic links
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            return (
                f"not a regular file (a symbolic link to {target}, which does not exist); "
                "expected a YAML file"
            )
        return "file not found"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "not a regular file (a symbolic link loop); expected a YAML file"
        return f"cannot read the file: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    link = "a symbolic link to " if path.is_symlink() else ""
    return f"not a regular file ({link}{kind}); expected a YAML file"


def tool_entries(
    tool_dir: Path, display: Callable[[Path], str]
) -> tuple[dict[str, Path], list[str], list[Problem]]:
    """The tool files of `tool_dir` by slug, every slug named by a file (readable or not,
    so references to it resolve), and the entries that are mistakes."""
    try:
        names = sorted(os.listdir(tool_dir))
    except OSError:
        names = []
    files: dict[str, Path] = {}
    slugs: set[str] = set()
    problems: list[Problem] = []
    for name in names:
        path = tool_dir / name
        if is_litter(name) or path.suffix not in YAML_SUFFIXES:
            continue
        slug = path.stem
        if slug in slugs:  # sorted: x.yaml before x.yml
            first = tool_dir / f"{slug}.yaml"
            problems.append(
                Problem(
                    display(path),
                    1,
                    1,
                    "",
                    f'two files for the tool "{slug}": {display(first)} and {display(path)}; '
                    "keep one",
                )
            )
            continue
        slugs.add(slug)
        why = not_regular(path)
        if why:
            problems.append(Problem(display(path), 1, 1, "", why))
        else:
            files[slug] = path
    return files, sorted(slugs), problems
