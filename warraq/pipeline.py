"""The build: source -> Book -> transforms -> writers -> dist, in that order only.

`prepare` loads and transforms the Book; `render` runs the selected writers (see
`warraq.writers.contract`) in the order of their needs, each on a `RenderContext` with
the artefacts of those before it, everything in memory; `build` then publishes the files
(`output.publish`: checked, atomic, one build at a time) with a SHA-256 checksum file.
The pipeline knows no format by name: adding an output is adding a writer.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator, Mapping
from typing import Iterable

from .background import CAN_FORK, Warm, cores
from .cache import NO_CACHE, Cache
from .errors import SourceError, source_error
from .readers import read_book
from .model import Book
from .output import checksums, publish, recover
from .pdf.profiles import DEFAULT_PROFILE, PROFILES, Profile
from .transforms import apply_all
from .writers import builtin
from .writers.contract import (CheckReport, Progress, Rendered, RenderContext, Settings,
                               Writer, no_progress)

#: The formats of a build that names none: every built-in writer's.
FORMATS = tuple(w.name for w in builtin())


@dataclass
class BuildResult:
    """What a build wrote, what the renderers warned about, and each file's check."""

    book: Book
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The check report of every file that has one (each PDF's preflight), by file name.
    reports: dict[str, CheckReport] = field(default_factory=dict)
    #: The build cache it used (what it found there and what it had to make: `hits`,
    #: `misses`, by kind).
    cache: Cache = NO_CACHE


#: The last moment SOURCE_DATE_EPOCH may name: the end of the year 9999.
MAX_EPOCH = 253_402_300_799


def check_epoch(epoch: str | None) -> str | None:
    """SOURCE_DATE_EPOCH as the build uses it (None when unset or empty); raises
    `SourceError` W115 unless it is a whole number of seconds from 0 to `MAX_EPOCH`."""
    if epoch is None or not epoch.strip():
        return None
    text = epoch.strip()
    if not text.isdigit() or int(text) > MAX_EPOCH:
        raise source_error("SOURCE_DATE_EPOCH", None, "W115", f"`{text}` is not a time "
                           "warraq can stamp: give whole seconds since 1970-01-01 UTC, up "
                           f"to {MAX_EPOCH} (the end of 9999), or unset it")
    return text


def prepare(source: str | Path, epoch: str | None = None, cache: Cache = NO_CACHE,
            jobs: int = 1) -> Book:
    """Read and transform: the Book every writer receives. Every author error, the
    reader's and the transforms' (the glyph check), is raised at once in one
    `SourceError`: the transforms run on the Book as far as it could be read. With
    `cache`, what Pandoc read and wrote is kept there; with `jobs`, that many Pandoc
    processes read at once (`warraq.readers.pandoc`)."""
    read = read_book(source, check_epoch(epoch), cache, jobs)
    diags, book = read.diagnostics, read.book
    if book is None:
        diags.raise_if_any()
    try:
        book = apply_all(book)
    except SourceError as err:
        diags.extend(err)
    except Exception:
        if not diags:
            raise
        # A Book with errors may trip a transform: the errors already found are the
        # report (once they are fixed, a fault left would show on its own).
    diags.raise_if_any()
    return book


def order(writers: Iterable[Writer], formats: Iterable[str]) -> list[Writer]:
    """The writers `formats` selects, each after the selected writers it needs.

    Raises `ValueError` for a format no writer has, or needs that go round in a circle."""
    by_name = {w.name: w for w in writers}
    unknown = [f for f in formats if f not in by_name]
    if unknown:
        raise ValueError(f"no writer for {unknown[0]!r}: the formats are {', '.join(by_name)}")
    chosen = list(dict.fromkeys(formats))
    done: list[Writer] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ValueError(f"writers need each other: {' -> '.join(path + (name,))}")
        if any(w.name == name for w in done):
            return
        for need in by_name[name].needs:
            if need in chosen:
                visit(need, path + (name,))
        done.append(by_name[name])
    for name in chosen:
        visit(name, ())
    return done


def render(book: Book, formats: tuple[str, ...] = FORMATS,
           profiles: tuple[Profile, ...] = (PROFILES[DEFAULT_PROFILE],),
           writers: Iterable[Writer] | None = None,
           progress: Progress = no_progress, jobs: int | None = None,
           cache: Cache = NO_CACHE, warm: Warm | None = None) -> Rendered:
    """Every selected writer's files, artefacts, warnings and checks, in memory. `jobs`:
    the processes the writers may use at once (default: one per core); `cache`: where
    they may keep what they computed (`warraq.cache`); `warm`: a process ready for a
    writer's work (`RenderContext.warm`)."""
    settings = Settings(tuple(formats), tuple(profiles), max(1, jobs or cores()))
    parts: list[Rendered] = []
    try:
        for writer in order(builtin() if writers is None else writers, settings.formats):
            context = RenderContext(book, settings, Artefacts(tuple(parts)), progress, cache,
                                    warm)
            parts.append(writer.render(context))
        for part in parts:          # what writers left running, each into its own result
            part.settle()
    except BaseException:
        for part in parts:
            part.cancel()
        raise
    result = Rendered()             # files, warnings and checks in the writers' order
    for part in parts:
        result.add(part)
    return result


class Artefacts(Mapping):
    """The artefacts of the writers that ran before (a later writer's win). One that a
    writer's pending work will provide is waited for when it is asked for, and not
    before."""

    def __init__(self, parts: tuple[Rendered, ...]):
        self._parts = parts

    def __getitem__(self, name: str):
        for part in reversed(self._parts):
            if name in part.artefacts:
                return part.artefacts[name]
            for pending in part.pending:
                if name in pending.provides:
                    return pending.artefact(name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        names = [n for part in self._parts for n in part.artefacts] + [
            n for part in self._parts for pending in part.pending for n in pending.provides]
        return iter(dict.fromkeys(names))

    def __len__(self) -> int:
        return sum(1 for _ in self)


__all__ = ["FORMATS", "BuildResult", "build", "checksums", "order", "prepare", "render"]


#: What the print worker needs, imported while the source is read.
PRINT_MODULES = ("warraq.pdf.making",)
#: ... and what it pays once per process, paid meanwhile too.
PRINT_PRIMER = "warraq.pdf.warmup:prime"


def _warm(formats: Iterable[str], jobs: int | None) -> Warm | None:
    """A process for the PDF writer's work, forked before the source is read so that it
    imports WeasyPrint meanwhile (`warraq.background.Warm`): when the build makes a PDF
    and may use more than one process."""
    if "pdf" not in formats or (jobs or cores()) < 2 or not CAN_FORK or (
            multiprocessing.current_process().daemon):
        return None
    try:
        return Warm(PRINT_MODULES, PRINT_PRIMER)
    except OSError:         # (no process to spare: the writer forks its own, or works here)
        return None


def build(source: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS,
          epoch: str | None = None,
          profiles: tuple[Profile, ...] = (PROFILES[DEFAULT_PROFILE],),
          writers: Iterable[Writer] | None = None,
          progress: Progress = no_progress, jobs: int | None = None,
          cache: bool = True) -> BuildResult:
    """Load, transform, render every selected writer (`jobs` processes at once, default
    one per core; with `cache`, the build cache `.warraq-cache/` beside `out_dir`), then
    publish into `out_dir`.

    First of all, a publish into `out_dir` that a killed build left half done is completed
    (`output.recover`), so the folder's outputs and `.sha256` agree whatever happens next."""
    recover(out_dir)
    progress("load", str(source))
    store = Cache.for_output(Path(out_dir)) if cache else NO_CACHE
    warm = _warm(formats, jobs)
    try:
        book = prepare(source, epoch, store, jobs or cores())
        rendered = render(book, formats, profiles, writers, progress, jobs, store, warm)
    finally:
        if warm is not None:
            warm.close()
    result = BuildResult(book, warnings=list(book.warnings) + rendered.warnings,
                         reports=rendered.checks, cache=store)
    progress("write", str(out_dir))
    result.files = publish(Path(out_dir), rendered.files, f"{book.slug}.sha256",
                           notes=result.warnings)
    store.flush()
    return result
