"""The library's command line: `build.py LIBRARY --out DIST [--format ...]
[--pdf-profile ...] [--jobs N] [--scheduler tcp://HOST:PORT]`.

`run_library` is the one function a command line calls. It prints one line per book
as it finishes (`built SLUG` on stdout; a failed book's errors, each `file:line: error
CODE: message` with paths relative to the library, on stderr), then a summary.
Exit status: 0 every book built or unchanged; 2 a book failed (the others are built and
listed) or the library itself is wrong (library.yaml, folder names, the scheduler); 1 an
internal fault.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from ..errors import SourceError, escaped
from .build import build_library
from .task import Outcome


class _Printer:
    """Prints each book's result as it finishes, and remembers the error lines shown."""

    def __init__(self) -> None:
        self.shown: set[str] = set()

    def __call__(self, outcome: Outcome) -> None:
        if outcome.ok:
            print(f"built {outcome.slug}", flush=True)
        for line in outcome.errors:
            print(line, file=sys.stderr, flush=True)
            self.shown.add(line)


def run_library(source: str | Path, out: str | Path, formats: tuple[str, ...],
                profiles: tuple[str, ...], epoch: str | None = None,
                scheduler: str | None = None, jobs: int | None = None,
                debug: bool = False) -> int:
    """Build the library at `source` into `out`, print what happened; the exit status."""
    printer = _Printer()
    try:
        result = build_library(source, out, tuple(formats), tuple(profiles), epoch,
                               scheduler, jobs, printer)
    except SourceError as err:
        for line in err.report():
            print(line.replace("nothing was written", "no book was built"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the books already built are kept; the catalogue was not "
              "updated.", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal fault: short report, exit 1
        if debug:
            traceback.print_exc()
        text = escaped(" ".join(str(exc).split()))
        print(f"internal error: {type(exc).__name__}: {text[:300]}", file=sys.stderr)
        return 1
    for slug in sorted(result.failed):     # errors found after the build (W608)
        for line in result.failed[slug]:
            if line not in printer.shown:
                print(line, file=sys.stderr)
    if result.state_note:
        print(f"note: {result.state_note}: every book was rebuilt", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {escaped(warning)}", file=sys.stderr)
    for path in result.catalogue:
        print(f"wrote {path}")
    n_failed = len(result.failed)
    print(f"{len(result.built)} built, {len(result.skipped)} unchanged, {n_failed} failed; "
          f"the catalogue lists {len(result.listed)} in {Path(out)}",
          file=sys.stderr if n_failed else sys.stdout)
    if n_failed:
        print(f"failed: {', '.join(sorted(result.failed))}", file=sys.stderr)
    return 2 if n_failed else 0
