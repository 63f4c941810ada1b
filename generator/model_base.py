"""What every model of the content format shares: the strict base model and the checked
string types (slugs, names, URLs, metric ids), with the limits they enforce."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.formats import check_local, check_origin

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A comparison page is the folder `<a>-vs-<b>`: two slugs of 64 stay far below the 255
# bytes file systems allow in a name. `check`, `new tool` and the build share this limit.
SLUG_MAX = 64
NAME_MAX = 120  # names shown in headings, tables and share images
TITLE_MAX = 200  # capability titles
_SPACE = re.compile(r"\s")


def _check_url(value: str) -> str:
    """Only absolute http(s) URLs: anything else could smuggle `javascript:` into a page."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or _SPACE.search(value):
        raise ValueError(f'expected an absolute http:// or https:// URL; got "{value}"')
    return value.strip()


def slug_problem(value: str) -> str | None:
    """What is wrong with `value` as a slug (tool file name, category or capability id)."""
    if len(value) > SLUG_MAX:
        return f"expected a slug of at most {SLUG_MAX} characters; got {len(value)}"
    if not SLUG_RE.fullmatch(value):
        return f'expected a slug (lowercase letters, digits and single hyphens); got "{value}"'
    return None


def _check_slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


LocalFile = Annotated[str, AfterValidator(check_local)]
Origin = Annotated[str, AfterValidator(check_origin), Field(json_schema_extra={"format": "uri"})]
Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"format": "uri"})]
Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    Field(json_schema_extra={"pattern": SLUG_RE.pattern, "maxLength": SLUG_MAX}),
]
Markdown = Annotated[str, Field(min_length=1)]
Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
WEIGHT_MAX = 1000.0  # any scale of weights works (0-1, percentages); their sum stays finite


class StrictModel(BaseModel):
    # No .inf or .nan anywhere: a non-finite figure would turn scores into nan.
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )


METRIC_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MetricId = Annotated[str, Field(pattern=METRIC_ID_RE.pattern)]
