"""The options of `versus refresh` and `versus import`, apart from the commands themselves:
every run of `versus` builds the whole parser, and a build should not import the HTTP and
YAML-editing code those two commands need."""

from __future__ import annotations

import argparse
from pathlib import Path

# `--only` names: huggingface covers models and Spaces.
ONLY = ("github", "huggingface", "pypi", "npm", "openrouter")
DEFAULT_WORKERS = 4  # a handful of connections at a time: polite to every service
MATCH_COLUMNS = ("tool_a", "tool_b", "count", "what", "source", "period")


def parse_only(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def add_refresh(parser: argparse.ArgumentParser) -> None:
    """The subcommand's options (kept here so cli.py gains only a few lines)."""
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument(
        "--only",
        type=parse_only,
        default=(),
        help=f"comma-separated services to read (default: all of {','.join(ONLY)})",
    )
    parser.add_argument(
        "--tool", action="append", default=[], metavar="SLUG", help="only this tool (repeatable)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the changes; write nothing")
    parser.add_argument(
        "--accept-jumps", action="store_true", help="write figures that moved implausibly"
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="parallel tools")
    parser.add_argument("--cache", type=Path, default=None, help="ETag cache file")


def add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser], content: str) -> None:
    p = sub.add_parser("import", help="import match counts into matches.yaml")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    sc = kinds.add_parser(
        "search-console",
        help="count comparison queries in a Search Console export (Queries.csv or its ZIP)",
    )
    sc.add_argument("file", type=Path, help="Queries.csv, or the export ZIP holding it")
    sc.add_argument("--period", help="the period of the export (read from Dates.csv in a ZIP)")
    sc.add_argument(
        "--property",
        help="the Search Console property, sc-domain:example.com or https://example.com/ "
        "(default: the site's base_url)",
    )
    sc.add_argument(
        "--count",
        choices=["impressions", "clicks"],
        default="impressions",
        help="what to count (default: impressions)",
    )
    sc.add_argument("--top", type=int, default=10, help="candidates to list (default: 10)")
    m = kinds.add_parser("matches", help="import counted pairs from a CSV")
    m.add_argument("file", type=Path, help=f"CSV with columns {', '.join(MATCH_COLUMNS)}")
    for q in (sc, m):
        q.add_argument("--content", type=Path, default=Path("content"), help=content)
        q.add_argument("--dry-run", action="store_true", help="print the change; write nothing")
