"""Pydantic's validation errors as problems a site owner can act on.

Pydantic knows *what* is wrong and at which `loc`; the load stage knows *where* each loc sits
in the file. This module joins the two and rewrites Pydantic's wording into messages that
say what was expected, what was found and, where we can guess, what was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.load import Document, Loc, dotted
from generator.problems import Problem


def _found(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"a number of {len(str(abs(value))):,} digits"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last part of `loc`, to list its fields in hints."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


# Fields that existed once: their own message instead of "unknown field".
RETIRED_FIELDS = {
    ("verdict", "lead_margin"): (
        "lead_margin was removed: verdicts now compare only figures both tools publish on the "
        'same metric and setting, with no margin; delete this line (see README "Verdicts")'
    ),
}


def _message(err: dict[str, Any], model: type[BaseModel]) -> tuple[str, bool]:
    """Our wording for one Pydantic error; the bool says whether to point at the key."""
    kind = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden" and loc in RETIRED_FIELDS:
        return RETIRED_FIELDS[loc], True
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        fields = sorted(owner.model_fields) if owner else []
        hint = suggest(str(loc[-1]), fields)
        return ("unknown field" + (hint or f"; expected one of {', '.join(fields)}")), True
    if kind == "missing":
        owner = _model_at(model, loc)
        info = owner.model_fields.get(str(loc[-1])) if owner else None
        about = (
            f" ({info.description.splitlines()[0].strip()})" if info and info.description else ""
        )
        return f"missing required field{about}", True
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        options = [o for o in options if o]
        shown = ", ".join(options)
        hint = suggest(str(value), options) if isinstance(value, str) else ""
        return f"expected one of {shown}; got {_found(value)}{hint}", False
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), False
    expectations = {
        "string_type": "text",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "float_parsing": "a number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "list_type": "a list",
        "model_type": "a mapping of fields",
        "model_attributes_type": "a mapping of fields",
        "dict_type": "a mapping",
        "date_type": "a date (YYYY-MM-DD)",
        "date_parsing": "a date (YYYY-MM-DD)",
        "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
        "date_from_datetime_inexact": "a date (YYYY-MM-DD) without a time",
    }
    if kind.startswith("date_") and isinstance(value, str) and _DATE_SHAPE.fullmatch(value):
        return f"expected a real date (YYYY-MM-DD); got {value}", False
    if kind == "finite_number" or (kind == "float_type" and isinstance(value, int)):
        return f"expected a finite number; got {_found(value)}", False
    if kind in expectations:
        return f"expected {expectations[kind]}; got {_found(value)}", False
    size = len(value) if isinstance(value, list | dict | str) else 0
    if kind == "too_short":
        if isinstance(value, str):
            return "expected some text; got an empty string", False
        return f"expected at least {ctx.get('min_length', 1)} item(s); got {size}", False
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s); got {size}", False
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters; got {size}", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<="}
        op = bound.get(kind, "<")
        limit = next(iter(ctx.values()), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        return f"expected a number {op} {limit}; got {_found(value)}", False
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')}; got {_found(value)}", False
    return f"{err['msg']}; got {_found(value)}", False


def model_problems(doc: Document, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    """Translate a ValidationError on `doc` into located problems.

    A misspelt key is one mistake, not two: when an unknown key's "did you mean" names a
    missing field beside it, only the unknown key is reported."""
    problems = []
    errors = exc.errors(include_url=False)
    meant = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            message, _ = _message(dict(err), model)
            if '; did you mean "' in message:
                meant.add((*tuple(err["loc"])[:-1], message.split('"')[-2]))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in meant:
            continue
        if any(loc[:i] in doc.reported for i in range(len(loc) + 1)):
            continue  # the load stage said what is wrong there
        # Pydantic appends the enum/literal "tag" for unions; the data path is what matters.
        message, at_key = _message(dict(err), model)
        line, col = doc.mark(loc, key=at_key)
        if err["type"] == "missing":
            parent = loc[:-1]
            line, col = doc.value_marks.get(parent) or doc.mark(parent, key=True)
        problems.append(Problem(doc.display, line, col, dotted(loc), message))
    return problems
