"""The `warraq` command (and `python -m warraq`): `build`, `check`, `new`, `--version`.

    warraq build [SOURCE] [--out DIR] [--format epub,pdf] [--pdf-profile NAME,...]
                 [--check] [--debug] [--quiet]
    warraq check FILE.pdf [FILE.pdf ...] [--pdf-profile NAME]
    warraq new article|book DIR

`build.py` (warraq.cli) stays the project's own entry point with its own interface; both
run a build through `cli.run_build`, so they report errors and exit alike.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, cli
from .feedback import Feedback
from .starters import KINDS, StarterError, create

COMMANDS = {
    "build": "build a book's EPUB and PDF from its source folder",
    "check": "hold PDF files to their profile's preflight rules",
    "new": "start a new article or book from a starter that builds as it is",
}


def parser() -> argparse.ArgumentParser:
    p = cli.Parser(prog="warraq", description="warraq: one structured source (YAML + "
                   "Markdown) becomes an EPUB 3 and a print-ready PDF.",
                   epilog=cli.EXIT_CODES)
    p.add_argument("--version", action="version", version=f"warraq {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=cli.Parser,
                           title="commands (warraq COMMAND --help for each)")
    build = sub.add_parser("build", help=COMMANDS["build"], description=COMMANDS["build"] +
                           ". Without --quiet it shows its progress and ends with a summary "
                           "(each file, its size and pages, the time).",
                           epilog=cli.EXIT_CODES)
    cli.add_build_options(build, ".", check_files_too=False)
    build.set_defaults(usage=build.format_usage().strip(), parser=build)
    check = sub.add_parser("check", help=COMMANDS["check"], description=COMMANDS["check"] +
                           " (the profile from --pdf-profile, else from the file name "
                           "<slug>.<profile>[.cover].pdf); builds nothing.",
                           epilog="exit status: 0 every file passed; 2 a rule failed or a "
                           "file cannot be read; 1 an internal fault.")
    check.add_argument("files", nargs="+", metavar="FILE.pdf", help="the PDF files")
    check.add_argument("--pdf-profile", type=cli._profiles, default=None, metavar="NAME",
                       help="the profile to check against")
    check.set_defaults(parser=check)
    new = sub.add_parser("new", help=COMMANDS["new"], description=COMMANDS["new"] +
                         ": book.yaml and Markdown showing every feature (invocation, "
                         "numbered points, a verse, a footnote, a quotation, the dateline).",
                         epilog="exit status: 0 made; 2 the folder exists and is not empty.")
    new.add_argument("kind", choices=KINDS, help="article (one file) or book (chapters)")
    new.add_argument("folder", metavar="DIR", help="the folder to make (must be new or empty)")
    new.set_defaults(parser=new)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    p = parser()
    if not argv:
        p.print_help()
        return 2
    args, extra = p.parse_known_args(argv)
    if extra:      # said by the command's own parser, which lists its options
        (getattr(args, "parser", None) or p).error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "build":
        return cli.run_build(args, Feedback(quiet=args.quiet), args.usage)
    if args.command == "check":
        return cli.check_files(args.files, args.pdf_profile)
    return new(args.kind, args.folder)


def new(kind: str, folder: str) -> int:
    """`warraq new article|book DIR`: 0 made, 2 when DIR is in the way."""
    try:
        made = create(kind, folder)
    except StarterError as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    print(f"made {made.folder}: {', '.join(made.files)}")
    print(f"build it with: warraq build {folder}")
    return 0
