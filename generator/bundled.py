"""Where the templates shipped with Versus are.

In a wheel they are installed inside the package, as `generator/templates/` (see
pyproject.toml, which maps the repository's top-level `templates/` folder there); in a
checkout or an editable install they are the repository's `templates/` folder. Jinja's
FileSystemLoader needs a real folder, which both are.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_MARKER = "compare.html"


def search_path(override: Path) -> tuple[Path, ...]:
    """The folders templates are looked up in, first match wins: the site's folder, which
    may hold only the templates it overrides, then the bundled theme for the rest."""
    bundled = bundled_templates()
    if override.resolve() == bundled.resolve():
        return (bundled,)
    return (override, bundled)


def bundled_templates() -> Path:
    """The shipped templates folder (page templates, `static/`, `scaffold/`)."""
    installed = Path(str(resources.files("generator") / "templates"))
    if (installed / _MARKER).is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"


def find_template(folders: tuple[Path, ...], name: str) -> Path:
    """The file `name` (e.g. "compare.html", "static/style.css") from the first folder of
    the search path that has it; every name exists in the bundled theme, the last one."""
    for folder in folders:
        path = folder / name
        if path.is_file():
            return path
    return folders[-1] / name
