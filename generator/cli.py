"""The `versus` command: a thin front over build, check and the other commands.

User mistakes (content, templates) print a message and exit 1 without a traceback; any
other exception is our bug: its traceback is shown under a line that says so. A reader that
goes away (`versus import ... | head`) ends the command quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from generator import __version__, report
from generator.build import (
    BuildOptions,
    BuildReport,
    build,
    check,
    default_templates,
    require_templates,
)
from generator.command_args import add_import, add_refresh
from generator.lock import DEFAULT_WAIT
from generator.problems import ContentError, TemplateProblem
from generator.write import OutputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="versus",
        description="Build 'X vs Y' comparison sites from one YAML file per tool.",
    )
    parser.add_argument("--version", action="version", version=f"versus {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    content_help = "content folder with site.yaml, tools/ and matches.yaml (default: content)"

    b = sub.add_parser("build", help="build the site into the output folder")
    b.add_argument("--content", type=Path, default=Path("content"), help=content_help)
    b.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    b.add_argument("--templates", type=Path, default=None, help="templates folder")
    b.add_argument("--clean", action="store_true", help="ignore the manifest; rebuild all")
    b.add_argument("--workers", type=int, default=0, help="worker processes (default: cores)")
    b.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        help="seconds to wait for another build of the same output folder (default: "
        f"{DEFAULT_WAIT:g}; 0: give up at once)",
    )
    b.add_argument("--verbose", "-v", action="store_true", help="print time per stage")
    b.add_argument("--quiet", "-q", action="store_true", help="print only errors")

    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every save")
    s.add_argument("--content", type=Path, default=Path("content"), help=content_help)
    s.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    s.add_argument("--templates", type=Path, default=None, help="templates folder")
    s.add_argument("--port", type=int, default=8000, help="port (a free one if taken)")
    s.add_argument("--workers", type=int, default=0, help="worker processes (default: cores)")

    sc = sub.add_parser("schema", help="write JSON Schema for the content files")
    sc.add_argument("--out", type=Path, default=Path("schemas"), help="folder (default: schemas)")

    r = sub.add_parser("reference", help="write the template reference (docs/templates.md)")
    r.add_argument("--out", type=Path, default=Path("docs/templates.md"), help="file to write")

    n = sub.add_parser("new", help="scaffold a content file")
    n.add_argument("kind", choices=["tool"], help="what to create")
    n.add_argument("slug", help="the new tool's slug, e.g. my-tool")
    n.add_argument("--content", type=Path, default=Path("content"), help=content_help)

    add_import(sub, content_help)
    add_refresh(sub.add_parser("refresh", help="update figures from GitHub, Hugging Face, ..."))

    c = sub.add_parser("check", help="validate the content and templates; write nothing")
    c.add_argument("--content", type=Path, default=Path("content"), help=content_help)
    c.add_argument("--templates", type=Path, default=None, help="templates folder")
    return parser


def _built(result: BuildReport, out_dir: str) -> None:
    """After each `serve` rebuild: its warnings, then the summary line."""
    report.warnings(result.warnings)
    report.state_warnings(result.state_warnings)
    report.built(result, out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    out_dir = str(args.out) if args.command in ("build", "serve") else None
    if args.command == "import":
        from generator.load import display

        out_dir = display(args.content / "matches.yaml")
    try:
        if args.command == "build":
            options = BuildOptions(
                content=args.content,
                out=args.out,
                templates=args.templates,
                clean=args.clean,
                workers=args.workers,
                wait=args.wait,
            )
            bar: report.ProgressBar | report.PlainProgress | None = None
            if not args.quiet:
                bar = report.ProgressBar() if sys.stderr.isatty() else report.PlainProgress()
            try:
                result = build(options, progress=bar)
            finally:
                if bar is not None:
                    bar.close()
            report.warnings(result.warnings)
            report.state_warnings(result.state_warnings)
            if not args.quiet:
                report.built(result, str(args.out))
                report.pairs(result, verbose=args.verbose)
                if args.verbose:
                    report.stage_times(result)
        elif args.command == "serve":
            from generator.serve import ServeError, serve

            if not 0 <= args.port <= 65535:
                message = f"versus serve: --port must be between 0 and 65535, not {args.port}"
                print(message, file=sys.stderr)
                return 2
            options = BuildOptions(
                content=args.content,
                out=args.out,
                templates=require_templates(args.templates or default_templates(args.content)),
                workers=args.workers,
            )
            try:
                serve(
                    options,
                    args.port,
                    say=lambda text: print(text, flush=True),
                    on_built=lambda r: _built(r, str(args.out)),
                )
            except ServeError as exc:
                print(f"versus serve: {exc}", file=sys.stderr)
                return 1
        elif args.command == "schema":
            from generator.schema import write_schemas

            for path in write_schemas(args.out):
                print(f"wrote {path}")
        elif args.command == "reference":
            from generator.template_reference import write_reference

            print(f"wrote {write_reference(args.out)}")
        elif args.command == "new":
            from generator.scaffold import new_tool

            path = new_tool(args.content, args.slug)
            print(f"Created {path}: fill in the TODO placeholders, then run `versus check`.")
        elif args.command == "import":
            from generator.importer import run as run_import

            run_import(args)
        elif args.command == "refresh":
            from generator import refresh

            return refresh.main(refresh.options_from(args))
        elif args.command == "check":
            site, pages = check(args.content, args.templates)
            report.warnings(site.catalog.warnings)
            report.checked(len(site.slugs), pages)
    except OutputError as exc:  # disk full, read-only, another build: one line says it
        print(exc, file=sys.stderr)
        return 1
    except ContentError as exc:
        report.problems(exc.problems, out_dir)
        return 1
    except TemplateProblem as exc:
        report.template_problem(str(exc), out_dir)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Nothing more can be printed; point stdout at /dev/null so the exit flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception:
        traceback.print_exc()
        print("internal error (this is a bug in Versus, please report it)", file=sys.stderr)
        return 70
    return 0
