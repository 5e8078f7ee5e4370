"""What a build shows while it runs and when it ends: progress, messages, the summary.

On a terminal (stderr a TTY) a build that takes more than a second shows a one-line
progress display (rich): the stage and what it works on, as `pipeline.build` tells its
`progress(stage, detail)` callback (load, each writer's file, write), the running count
within it (each EPUB chapter made, each PDF page laid out), and the time so far; it
disappears when the build ends. Errors and warnings are coloured there, unless
`NO_COLOR` is set (https://no-color.org) or `TERM=dumb`. Not on a terminal, everything
is plain lines without control codes: progress lines on stderr (`  3.1 s  pdf: x.pdf`),
unless the caller asked for none. `quiet` shows errors only. Every successful build
ends with a summary on stdout: each file, its size, the pages of each PDF (from its
preflight report), the outputs kept from an earlier build, and the total time.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.filesize import decimal
from rich.text import Text

from .writers.contract import COUNT

#: A build shorter than this shows no progress display on a terminal.
DELAY = 1.0
_ERROR = re.compile(r"\berror W\d{3}\b|^internal error\b")


def colour_wanted(stream: TextIO, environ=os.environ) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (to anything) or TERM=dumb."""
    return _isatty(stream) and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _console(stream: TextIO, environ) -> Console | None:
    """A rich console for a terminal; None elsewhere (plain `print`, no control codes)."""
    if not _isatty(stream):
        return None
    colour = colour_wanted(stream, environ)
    return Console(file=stream, force_terminal=True, no_color=not colour,
                   color_system="standard" if colour else None, highlight=False,
                   emoji=False, markup=False, soft_wrap=True)


class Feedback:
    """The display of one command: give `progress` to `pipeline.build`, then `summary`."""

    def __init__(self, quiet: bool = False, plain_progress: bool = True,
                 err: TextIO | None = None, out: TextIO | None = None, environ=None):
        environ = os.environ if environ is None else environ
        self.err, self.out = err or sys.stderr, out or sys.stdout
        self.quiet, self.plain_progress = quiet, plain_progress
        self.started = time.monotonic()
        self._err_console = _console(self.err, environ)
        self._out_console = _console(self.out, environ)
        self._lock = threading.Lock()
        self._status = None
        self._line = "starting"
        self._count = ""
        self._timer: threading.Timer | None = None
        if self._err_console is not None and not quiet:
            self._timer = threading.Timer(DELAY, self._show)
            self._timer.daemon = True
            self._timer.start()

    # --- progress ------------------------------------------------------------------------

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def progress(self, stage: str, detail: str) -> None:
        """The `progress(stage, detail)` callback of `pipeline.build`."""
        if self.quiet:
            return
        if stage == COUNT:                  # a running count: the display only
            with self._lock:
                self._count = detail
            return
        line = f"{stage}: {detail}" if detail else stage
        with self._lock:
            self._line, self._count = line, ""
        if self._err_console is None and self.plain_progress:
            print(f"{self.elapsed():6.1f} s  {line}", file=self.err, flush=True)

    def __rich__(self) -> Text:
        """What the progress display shows, redrawn at each refresh (so the time runs)."""
        count = f", {self._count}" if self._count else ""
        return Text(f"{self._line}{count}  ({self.elapsed():.0f} s)")

    def _show(self) -> None:
        with self._lock:
            if self._timer is None:          # the build ended meanwhile
                return
            self._status = self._err_console.status(self, spinner="dots")
            self._status.start()

    def stop(self) -> None:
        """End the progress display (it leaves nothing on the screen)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._status is not None:
                self._status.stop()
                self._status = None

    # --- messages ------------------------------------------------------------------------

    def error(self, line: str) -> None:
        self.stop()
        self._say(self._err_console, self.err, line, "red", _ERROR)

    def warning(self, line: str) -> None:
        if not self.quiet:
            self._say(self._err_console, self.err, line, "yellow", re.compile(r"^warning\b"))

    def info(self, line: str) -> None:
        """A line of the command's own output (stdout), not shown with --quiet."""
        if not self.quiet:
            self._say(self._out_console, self.out, line, None, None)

    def _say(self, console: Console | None, stream: TextIO, line: str, style, pattern) -> None:
        with self._lock:
            if console is None:
                print(line, file=stream, flush=True)
                return
            text = Text(line)
            if style and pattern is not None:
                text.highlight_regex(pattern, f"bold {style}")
            console.print(text)

    # --- the summary ---------------------------------------------------------------------

    def summary(self, title: str, files: list[Path], pages: dict[Path, int]) -> None:
        """Each file written (size, and pages where its check report counted them, by
        path), what the .sha256 still lists from an earlier build, and the total time."""
        self.stop()
        rows = [(str(p), decimal(p.stat().st_size), _pages(pages.get(p)), "")
                for p in files]
        rows += [(str(p), decimal(p.stat().st_size), "", "kept from an earlier build")
                 for p in kept_outputs(files)]
        width = max((len(r[0]) for r in rows), default=0)
        self.info(f"built “{title}” in {self.elapsed():.1f} s:")
        for path, size, page_text, note in rows:
            line = f"  {path.ljust(width)}  {size:>9}"
            if page_text or note:
                line += f"  {page_text or note}"
            self.info(line.rstrip())


def _pages(count: int | None) -> str:
    if count is None:
        return ""
    return f"{count} page{'s' if count != 1 else ''}"


def kept_outputs(files: list[Path]) -> list[Path]:
    """The outputs the written .sha256 lists that this build did not write."""
    sums = [p for p in files if p.suffix == ".sha256"]
    if not sums:
        return []
    written = {p.name for p in files}
    names = [line.split("  ", 1)[1] for line in sums[0].read_text().splitlines() if "  " in line]
    return [sums[0].parent / n for n in names if n not in written]
