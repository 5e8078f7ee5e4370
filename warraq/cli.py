"""The command line: `build.py [SOURCE] [--out DIR] [--format epub,pdf]
[--pdf-profile print,kdp,...] [--check [FILE.pdf ...]] [--debug]`.

`--check` alone prints the preflight report of every PDF the build wrote (every PDF is
preflighted anyway, and a failed rule stops the build); `--check FILE.pdf ...` builds
nothing and holds the files to their profile (from `--pdf-profile`, else from the file
name `<slug>.<profile>[.cover].pdf`).

Exit status: 0 built; 2 the source has errors (each printed as file:line: error CODE:
message, up to 100, then a count) or an output cannot be written (W500); 1 an internal
fault (a short report; the traceback only with --debug).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .errors import SourceError
from .pdf.fetcher import RefusedURL, refused_error
from .pipeline import FORMATS, build
from .pdf.profiles import DEFAULT_PROFILE, PROFILES, parse_profiles


def _formats(text: str) -> tuple[str, ...]:
    from .kindle import NAME as AZW3
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS + (AZW3,)]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS + (AZW3,))}")
    return wanted


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build a warraq book: "
                                "YAML + Markdown in, EPUB 3 and print PDF out.")
    p.add_argument("source", nargs="?", default="source",
                   help="the folder with book.yaml and the Markdown files (default: source)")
    p.add_argument("--out", default="dist", help="output folder (default: dist)")
    p.add_argument("--format", type=_formats, default=FORMATS,
                   help="comma-separated: epub,pdf,azw3 (default: epub,pdf; azw3 needs "
                   "calibre's ebook-convert)")
    p.add_argument("--pdf-profile", type=_profiles, default=None, metavar="NAME[,NAME...]",
                   help=f"comma-separated PDF profiles: {', '.join(PROFILES)} "
                   f"(default: {DEFAULT_PROFILE})")
    p.add_argument("--check", nargs="*", default=None, metavar="FILE.pdf",
                   help="print the preflight report of each PDF built; with files, check "
                   "those files only and build nothing")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal faults")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="a library: build N books at once (default: one per core)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="a library: build its books on this Dask cluster")
    return p


def _profiles(text: str):
    try:
        return parse_profiles(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _profile_of(path: Path, given):
    """The profile a file is checked against: the one given, else its name's."""
    from .pdf.wrapgeometry import cover_profile
    parts = path.name.split(".")
    is_cover = len(parts) > 2 and parts[-2] == "cover"
    if given:
        profile = given[0]
    else:
        name = parts[-3] if is_cover else (parts[-2] if len(parts) > 2 else DEFAULT_PROFILE)
        profile = PROFILES.get(name, PROFILES[DEFAULT_PROFILE])
    return cover_profile(profile) if is_cover else profile


def check_files(files: list[str], given) -> int:
    """`--check FILE.pdf ...`: preflight files; 0 if all pass, 2 if a rule failed."""
    from .pdf.preflight import check_pdf
    failed = 0
    for file in files:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{file}: error W501: cannot read the file ({exc.strerror})", file=sys.stderr)
            failed += 1
            continue
        report = check_pdf(data, _profile_of(path, given))
        print(f"{file}:")
        for line in report.lines():
            print("  " + line)
        for result in report.failures:
            print(f"{file}: error W501: the {report.profile.name} profile's rule "
                  f"`{result.rule}` failed: {result.detail}", file=sys.stderr)
        failed += not report.passed
    if failed:
        print(f"{failed} file{'s' if failed != 1 else ''} failed the check.", file=sys.stderr)
    return 2 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.check:
        return check_files(args.check, args.pdf_profile)
    profiles = args.pdf_profile or (PROFILES[DEFAULT_PROFILE],)
    from .library.config import is_library
    if is_library(args.source):   # a folder with library.yaml: every book, and a catalogue
        from .library.cli import run_library
        return run_library(args.source, args.out, args.format, tuple(p.name for p in profiles),
                           os.environ.get("SOURCE_DATE_EPOCH"), args.scheduler, args.jobs,
                           args.debug)
    try:
        from .kindle import writers_for
        result = build(args.source, args.out, args.format, os.environ.get("SOURCE_DATE_EPOCH"),
                       profiles, writers_for(args.format))
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
    if args.check is not None:
        for name, report in result.reports.items():
            print(f"{name}:")
            for line in report.lines():
                print("  " + line)
    return 0
