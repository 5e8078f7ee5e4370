"""The `warraq` command (and `python -m warraq`): `build`, `check`, `new`, `--version`.

    warraq build [SOURCE] [--out DIR] [--format epub,pdf] [--pdf-profile NAME,...]
                 [--check] [--debug] [--quiet] [--watch]
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
    build.add_argument("--watch", action="store_true", help="after the build, build again "
                       "at every change of the source or the templates (Ctrl-C stops)")
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
        if args.watch:
            return watch_build(args)
        return cli.run_build(args, Feedback(quiet=args.quiet), args.usage)
    if args.command == "check":
        return cli.check_files(args.files, args.pdf_profile)
    return new(args.kind, args.folder)


def watch_build(args: argparse.Namespace) -> int:
    """`warraq build --watch`: build, then again at each batch of changes to the source
    or the templates; a failed build prints its errors and the watch goes on. Returns
    the last build's status when stopped (Ctrl-C)."""
    from pathlib import Path

    from .templating import TEMPLATES_DIR
    from .watch import watch
    source = Path(args.source)
    if not (source / "book.yaml").is_file():         # nothing to watch: say so, exit 2
        return cli.run_build(args, Feedback(quiet=args.quiet), args.usage)

    def changed(changes: set) -> None:
        if not args.quiet:
            names = sorted({Path(path).name for _change, path in changes})
            print(f"changed: {', '.join(names)}: building again", file=sys.stderr, flush=True)
    if not args.quiet:
        print(f"watching {source.absolute()} and the templates (Ctrl-C stops)",
              file=sys.stderr, flush=True)
    return watch([source, TEMPLATES_DIR],
                 lambda: cli.run_build(args, Feedback(quiet=args.quiet), args.usage),
                 out_dir=Path(args.out), on_change=changed)


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
