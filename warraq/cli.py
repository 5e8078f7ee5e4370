"""The command line of `build.py [SOURCE] [--out DIR] [--format epub,pdf]
[--pdf-profile print,kdp,...] [--check [FILE.pdf ...]] [--debug] [--quiet] [--version]`,
and the build runner it shares with `warraq build` (warraq.commands).

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
import difflib
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import SourceError, escaped
from .feedback import Feedback
from .journal import partly_written
from .pdf.profiles import DEFAULT_PROFILE, PROFILES, parse_profiles


def __getattr__(name: str):
    """`build` and `FORMATS` come from the pipeline, imported only when a build runs, so
    that `--help`, `--version` and `warraq new` need not load WeasyPrint (seconds)."""
    if name in ("build", "FORMATS"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _build():
    """`pipeline.build`, or what a test put in its place (`cli.build`)."""
    return globals().get("build") or __getattr__("build")


def _formats(text: str) -> tuple[str, ...]:
    from .kindle import NAME as AZW3
    from .pipeline import FORMATS
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS + (AZW3,)]
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS + (AZW3,))}")
    return wanted


EXIT_CODES = ("exit status: 0 built; 2 the source has errors (one line each, "
              "file:line: error CODE: message) or an output cannot be written, and nothing "
              "was written (unless the last line says some outputs were replaced: the next "
              "build completes them); 1 an internal fault (a bug in warraq; --debug shows "
              "the traceback).")


class Parser(argparse.ArgumentParser):
    """argparse that, for an unknown option, also says which options there are."""

    def error(self, message: str):
        if message.startswith("unrecognized arguments"):
            known = sorted({o for a in self._actions for o in a.option_strings
                            if o.startswith("--")})
            unknown = [w for w in message.split(":", 1)[1].split() if w.startswith("-")]
            close = [m for w in unknown
                     for m in difflib.get_close_matches(w.split("=")[0], known, 1)]
            message += f" (did you mean {close[0]}?)" if close else ""
            message += f"; the options are {', '.join(known)}"
        super().error(message)


def add_build_options(p: argparse.ArgumentParser, default_source: str,
                      check_files_too: bool) -> None:
    """The options of a build, shared by `build.py` and `warraq build`."""
    where = "the current folder" if default_source == "." else default_source
    p.add_argument("source", nargs="?", default=default_source,
                   help=f"the folder with book.yaml and the Markdown files (default: {where})")
    p.add_argument("--out", default="dist", help="output folder (default: dist)")
    p.add_argument("--format", type=_formats, default=None,
                   help="comma-separated: epub,pdf,azw3 (default: epub,pdf; azw3 needs "
                   "calibre's ebook-convert)")
    p.add_argument("--pdf-profile", type=_profiles, default=None, metavar="NAME[,NAME...]",
                   help=f"comma-separated PDF profiles: {', '.join(PROFILES)} "
                   f"(default: {DEFAULT_PROFILE})")
    if check_files_too:
        p.add_argument("--check", nargs="*", default=None, metavar="FILE.pdf",
                       help="print the preflight report of each PDF built; with files, "
                       "check those files only and build nothing")
    else:
        p.add_argument("--check", action="store_const", const=[], default=None,
                       help="print the preflight report of each PDF built")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal faults")
    p.add_argument("--quiet", action="store_true", help="print errors only")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="use N processes at once: a book's PDF profiles and EPUB side by "
                   "side, a library's books (default: one per core)")
    p.add_argument("--no-cache", action="store_true",
                   help="build everything afresh, and keep nothing in .warraq-cache/ beside "
                   "the output folder (the build cache: what builds made, filed by what "
                   "it was made from)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="a library: build its books on this Dask cluster")


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="build.py", description="Build a warraq book: YAML + Markdown in, "
               "EPUB 3 and print PDF out.", epilog=EXIT_CODES)
    add_build_options(p, "source", check_files_too=True)
    p.add_argument("--version", action="store_true", help="print the version and exit")
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


def _written(exc: BaseException, out: str) -> str:
    """What an interrupted or failed build wrote, truthfully."""
    if partly_written(exc):
        return f"some outputs in {out} were replaced, not all; the next build completes them"
    return "nothing was written"


def main(argv: list[str] | None = None) -> int:
    """`build.py`: today's interface and output (`wrote PATH` lines), kept as it was."""
    args = parser().parse_args(argv)
    if args.version:
        print(f"warraq {__version__}")
        return 0
    if args.check:
        return check_files(args.check, args.pdf_profile)
    feedback = Feedback(quiet=args.quiet, plain_progress=False)
    return run_build(args, feedback, usage=parser().format_usage().strip(), legacy=True)


def _refused_url() -> type:
    """WeasyPrint's kind of error for a URL warraq refuses, imported only when a build
    stops with an error (WeasyPrint is imported in the print worker, while the source
    is read: `warraq.background.Warm`)."""
    from .pdf.fetcher import RefusedURL
    return RefusedURL


def run_build(args: argparse.Namespace, feedback: Feedback, usage: str,
              legacy: bool = False) -> int:
    """Build `args.source` into `args.out`: 0 built, 2 source errors, 1 internal fault.
    `legacy` prints `wrote PATH` lines (build.py) instead of the summary."""
    source = Path(args.source)
    profiles = args.pdf_profile or (PROFILES[DEFAULT_PROFILE],)
    formats = args.format or __getattr__("FORMATS")
    from .library.config import is_library
    if is_library(args.source):   # a folder with library.yaml: every book, and a catalogue
        feedback.stop()
        from .library.cli import run_library
        return run_library(args.source, args.out, formats, tuple(p.name for p in profiles),
                           os.environ.get("SOURCE_DATE_EPOCH"), args.scheduler, args.jobs,
                           args.debug)
    yaml_file = source / "book.yaml"
    if not (yaml_file.is_file() or yaml_file.is_symlink()):  # a symlink: the reader's W202/W206
        return missing_source(source, feedback, usage)
    try:
        from .kindle import writers_for
        build = _build()
        result = build(source, args.out, formats, os.environ.get("SOURCE_DATE_EPOCH"),
                       profiles, writers_for(formats), progress=feedback.progress,
                       jobs=args.jobs, cache=not getattr(args, "no_cache", False))
    except (SourceError, _refused_url()) as err:
        if not isinstance(err, SourceError):  # a BaseException (it stops WeasyPrint at once)
            from .pdf.fetcher import refused_error
            err = refused_error(err)
        for line in err.report():
            feedback.error(line)
        return 2
    except KeyboardInterrupt as exc:
        feedback.error(f"interrupted: {_written(exc, args.out)}.")
        return 130
    except Exception as exc:  # an internal fault: short report, exit 1
        feedback.stop()
        if args.debug:
            traceback.print_exc()
        text = escaped(" ".join(str(exc).split()))
        feedback.error(f"internal error: {type(exc).__name__}: {text[:300]}")
        feedback.error("This is a bug in warraq, not in your book. Run again with --debug "
                       f"for details; {_written(exc, args.out)}.")
        return 1
    finally:
        feedback.stop()
    for warning in result.warnings:
        feedback.warning(f"warning: {escaped(warning)}")
    if legacy:
        for path in result.files:
            feedback.info(f"wrote {path}")
    else:
        out = Path(args.out)
        feedback.summary(result.book.meta.title, result.files,
                         {out / name: report.pages for name, report in result.reports.items()})
    if args.check is not None:
        for name, report in result.reports.items():
            feedback.info(f"{name}:")
            for line in report.lines():
                feedback.info("  " + line)
    return 0


def missing_source(source: Path, feedback: Feedback, usage: str) -> int:
    """No source folder, or no book.yaml in it: the absolute path, what to do, the usage
    (on one line); exit 2."""
    where = source.absolute()
    if where.is_dir():
        feedback.error(f"{where / 'book.yaml'}: error W100: no book.yaml in {where}: create "
                       "one with at least `title` and `contents` (or start a book with "
                       "`warraq new article DIR`)")
    else:
        what = "is a file, not a folder" if where.exists() else "does not exist"
        feedback.error(f"{where}: error W100: the source folder {what}: give the folder "
                       "that holds book.yaml (or start one with `warraq new article DIR`)")
    feedback.error(" ".join(usage.split()))
    return 2
