"""The per-book task: one top-level function, `build_book(task) -> Outcome`, that a
process pool or a Dask cluster runs.

Its argument and result are small frozen dataclasses of strings, tuples and plain JSON
data, so they pickle. The task reads the book folder and writes `DIST/<slug>/` (paths as
the worker sees them: on a cluster, the library and DIST are on shared storage), and
returns either the book's catalogue entry or its diagnostics, with paths relative to the
library (`2024-01-05-patience/book.yaml:3: error W104: ...`). It never raises for a bad
book; only an internal fault's message is returned as such.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BookTask:
    """Everything one book's build needs."""

    slug: str
    source: str            # the book folder
    dist: str              # the library's DIST folder; the book goes into DIST/<slug>/
    library: str           # the library folder, for showing paths relative to it
    formats: tuple[str, ...]
    profiles: tuple[str, ...]
    epoch: str | None
    inputs: str            # the inputs' hash, recorded with the entry


@dataclass(frozen=True)
class Outcome:
    """What became of one book: an entry, or error lines (and whether it was a fault)."""

    slug: str
    inputs: str
    entry: dict | None = None
    errors: tuple[str, ...] = ()
    internal: bool = False
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.entry is not None


def _shown(file: str, source: Path, library: Path, slug: str) -> str:
    """A diagnostic's file relative to the library: `slug/book.yaml`."""
    path = Path(file)
    if not path.is_absolute():     # a volume names its articles' files `../article/...`
        return posixpath.normpath(f"{slug}/{file}") if file else slug
    for root, prefix in ((source, slug), (library, "")):
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        return f"{prefix}/{rel}".lstrip("/") if rel != "." else (prefix or ".")
    return file


def _error_lines(err, task: BookTask) -> tuple[str, ...]:
    from ..errors import Diagnostic
    source, library = Path(task.source), Path(task.library)
    lines = []
    for d in err.diagnostics:
        moved = Diagnostic(_shown(d.file, source, library, task.slug), d.line, d.column,
                           d.code, d.message)
        lines.append(str(moved))
    if err.more:
        lines.append(f"{task.slug}: ... and {err.more} more errors not shown")
    return tuple(lines)


def build_book(task: BookTask) -> Outcome:
    """Build one book into DIST/<slug>/ and make its catalogue entry."""
    from ..errors import SourceError
    from ..pdf.fetcher import RefusedURL, refused_error
    from ..kindle import writers_for
    from ..pipeline import build
    from ..pdf.profiles import PROFILES
    from .entries import make_entry

    dist = Path(task.dist)
    try:
        profiles = tuple(PROFILES[name] for name in task.profiles)
        # one process per book: the library's pool already keeps every core busy; and
        # no build cache in DIST (the library's own state skips the unchanged books)
        result = build(task.source, dist / task.slug, task.formats, task.epoch, profiles,
                       writers_for(task.formats), jobs=1, cache=False)
        entry = make_entry(result.book, task.slug, dist, result.files)
    except (SourceError, RefusedURL) as err:
        if isinstance(err, RefusedURL):
            err = refused_error(err)
        return Outcome(task.slug, task.inputs, errors=_error_lines(err, task))
    except Exception as exc:  # noqa: BLE001 - a fault in one book must not stop the others
        text = " ".join(str(exc).split())[:300]
        return Outcome(task.slug, task.inputs, internal=True,
                       errors=(f"{task.slug}: internal error: {type(exc).__name__}: {text}",))
    return Outcome(task.slug, task.inputs, entry=entry,
                   warnings=tuple(f"{task.slug}: {w}" for w in result.warnings))
