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


def bundled_templates() -> Path:
    """The shipped templates folder (page templates, `static/`, `scaffold/`)."""
    installed = Path(str(resources.files("generator") / "templates"))
    if (installed / _MARKER).is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"
