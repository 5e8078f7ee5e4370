"""The command line: `build.py [SOURCE] [--out DIR] [--format epub,pdf] [--debug]`.

Exit status: 0 built; 2 the source has errors (each printed as file:line: error CODE:
message, up to 100, then a count) or an output cannot be written (W500); 1 an internal
fault (a short report; the traceback only with --debug).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from .errors import SourceError
from .fetcher import RefusedURL, refused_error
from .pipeline import FORMATS, build


def _formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}")
    return wanted


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build a warraq book: "
                                "YAML + Markdown in, EPUB 3 and print PDF out.")
    p.add_argument("source", nargs="?", default="source",
                   help="the folder with book.yaml and the Markdown files (default: source)")
    p.add_argument("--out", default="dist", help="output folder (default: dist)")
    p.add_argument("--format", type=_formats, default=FORMATS,
                   help="comma-separated: epub,pdf (default: both)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal faults")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = build(args.source, args.out, args.format, os.environ.get("SOURCE_DATE_EPOCH"))
    except (SourceError, RefusedURL) as err:
        if isinstance(err, RefusedURL):   # a BaseException (it stops WeasyPrint at once)
            err = refused_error(err)
        for line in err.report():
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal fault: short report, exit 1
        if args.debug:
            traceback.print_exc()
        text = " ".join(str(exc).split())
        print(f"internal error: {type(exc).__name__}: {text[:300]}", file=sys.stderr)
        print("This is a bug in warraq, not in your book. Run again with --debug for "
              "details; nothing was written.", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.files:
        print(f"wrote {path}")
    return 0
