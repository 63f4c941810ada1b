"""`versus new tool <slug>`: start a tool file from the commented template.

The template is `templates/scaffold/tool.yaml` beside the content folder when there is one,
else the bundled one. Two tokens in it are filled in:

- `checked: YYYY-MM-DD` becomes today's date;
- a comment line containing `CATEGORY_IDS` becomes one comment line per category of the
  site (id and name), read from site.yaml when it is valid.

Placeholders that are visibly placeholders on a page (TODO text, example.com URLs) are valid
values; placeholders for choices where any valid value would be a plausible but unchecked
claim (type, categories, pricing plan, free tier) are deliberately invalid, so `versus check`
and the build refuse the file until they are chosen, naming the allowed values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from pydantic import ValidationError

from generator.bundled import bundled_templates
from generator.load import read_document
from generator.model_base import SLUG_MAX, SLUG_RE
from generator.problems import ContentError, Problem
from generator.site_models import SiteConfig

BUNDLED_TEMPLATE = bundled_templates() / "scaffold" / "tool.yaml"
CATEGORY_TOKEN = "CATEGORY_IDS"
_CHECKED = re.compile(r"^(checked:[ \t]*)YYYY-MM-DD[ \t]*$", re.MULTILINE)


def _display(path: Path) -> str:
    """As `load` shows paths: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _refuse(path: Path, message: str) -> ContentError:
    return ContentError([Problem(_display(path), 1, 1, "", message)])


def suggest_slug(text: str) -> str:
    """`My Tool.yaml` -> `my-tool`: the slug the user probably meant ('' if none)."""
    stem = re.sub(r"\.ya?ml$", "", text.strip(), flags=re.IGNORECASE)
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def template_path(content: Path) -> Path:
    """The site's own `templates/scaffold/tool.yaml` beside `content`, else the bundled one."""
    beside = content.resolve().parent / "templates" / "scaffold" / "tool.yaml"
    return beside if beside.is_file() else BUNDLED_TEMPLATE


def category_lines(content: Path) -> list[str]:
    """One `id  name` line per category of the site, or a note when site.yaml is not valid."""
    site_path = content / "site.yaml"
    if not site_path.is_file():
        return ["(no site.yaml yet: use the ids of its categories)"]
    doc, problems = read_document(site_path, _display(site_path))
    try:
        if doc is None or problems:
            raise ValueError
        site = SiteConfig.model_validate(doc.data)
    except (ValueError, ValidationError):  # ValidationError is a ValueError; both for clarity
        return ["(site.yaml is not valid yet: use the ids of its categories)"]
    width = max(len(c.id) for c in site.categories)
    return [f"{c.id.ljust(width)}  {c.name}" for c in site.categories]


def render(template: str, categories: list[str], today: dt.date) -> str:
    """Fill the template's tokens (see the module docstring)."""
    text = _CHECKED.sub(lambda m: m.group(1) + today.isoformat(), template)
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if CATEGORY_TOKEN in line:
            prefix, _, rest = line.partition(CATEGORY_TOKEN)
            out.extend(f"{prefix}{entry}{rest}".rstrip() + "\n" for entry in categories)
        else:
            out.append(line)
    return "".join(out)


def new_tool(
    content: Path,
    slug: str,
    *,
    today: dt.date | None = None,
    template: Path | None = None,
) -> Path:
    """Write `content/tools/<slug>.yaml` from the scaffold template; returns its path.

    Raises ContentError (one problem, line 1) for an invalid slug, a missing content
    folder, or an existing file for the slug, which is never overwritten."""
    tools = content / "tools"
    if len(slug) > SLUG_MAX:  # the limit `check` and the build apply to file names
        raise _refuse(
            tools / f"{slug}.yaml",
            f'"{slug[:37]}..." is too long for a slug; expected at most {SLUG_MAX} '
            f"characters; got {len(slug)}",
        )
    path = tools / f"{slug}.yaml"
    if not SLUG_RE.fullmatch(slug):
        if re.search(r"\.ya?ml$", slug, re.IGNORECASE):
            path = tools / slug  # name the file as the user typed it
        meant = suggest_slug(slug)
        hint = (
            f'; did you mean "{meant}"?' if meant and SLUG_RE.fullmatch(meant) else ", e.g. my-tool"
        )
        raise _refuse(
            path,
            f'"{slug}" is not a valid slug; expected lowercase letters, digits and single '
            f"hyphens{hint}",
        )
    if not content.is_dir():
        raise _refuse(
            content,
            "content folder not found; expected a folder with site.yaml and tools/ "
            "(pass --content DIR)",
        )
    other = tools / f"{slug}.yml"
    if other.exists():
        raise _refuse(other, f'a file for "{slug}" already exists; not creating a second one')
    text = render(
        (template or template_path(content)).read_text("utf-8"),
        category_lines(content),
        today or dt.date.today(),
    )
    tools.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrites
            handle.write(text)
    except FileExistsError:
        raise _refuse(
            path, "file already exists; not overwritten (edit it, or delete it to start again)"
        ) from None
    return path
