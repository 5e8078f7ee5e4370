"""A library's build: every book whose inputs changed, then the catalogue.

`build_library(library, dist, ...)` checks library.yaml, finds the book folders, hashes
each book's inputs (`state`; a volume's include its articles' folders, `volumes`), builds
the books that changed (in parallel, `runner`, volumes queued last),
records the good ones, and writes the catalogue (`catalogue`) from every book's latest
good entry: a book that failed this time is listed with the files of its last good build,
if it had one. It raises `SourceError` only for the library itself (library.yaml, folder
names, an unreachable scheduler); each book's errors are in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import source_error
from ..templating import TEMPLATES_DIR
from .catalogue_files import write_catalogue
from .config import LibraryConfig, find_books, load_config
from .runner import run_dask, run_local
from .state import files_intact, inputs_digest, load_state, save_state, tool_digest
from .task import BookTask, Outcome
from .volumes import volumes_last


@dataclass
class LibraryResult:
    """What a library build did."""

    config: LibraryConfig
    #: Slugs of the books built this run, skipped (unchanged), and failed (their errors).
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The slugs the catalogue lists, and the catalogue files (re)written this run.
    listed: list[str] = field(default_factory=list)
    catalogue: list[Path] = field(default_factory=list)
    #: Why the recorded state was ignored, if it was.
    state_note: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def _prepare_dist(dist: Path) -> None:
    try:
        dist.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise source_error(str(dist), None, "W500", f"cannot write here ({exc.strerror}): "
                           "choose another folder with --out") from None
    if not dist.is_dir():
        raise source_error(str(dist), None, "W500", "the output folder is a file: choose "
                           "another with --out")


def _same_identifiers(records: dict[str, dict], result: LibraryResult) -> set[str]:
    """A book whose identifier an earlier book (by folder name) has fails with W608 and
    is left out of the catalogue; returns those books."""
    first: dict[str, str] = {}
    twins = set()
    for slug in sorted(records):
        identifier = records[slug]["entry"]["identifier"]
        if identifier in first:
            line = f"{slug}/book.yaml: error W608: this book's identifier {identifier} is " \
                   f"also {first[identifier]}'s: give each book its own `identifier` " \
                   "(a UUID, urn:isbn or URL)"
            result.failed[slug] = result.failed.get(slug, ()) + (line,)
            records[slug] = dict(records[slug], inputs="failed")
            if slug in result.built:
                result.built.remove(slug)
            twins.add(slug)
        else:
            first[identifier] = slug
    return twins


def build_library(library: str | Path, dist: str | Path,
                  formats: tuple[str, ...] = ("epub", "pdf"),
                  profiles: tuple[str, ...] = ("print",), epoch: str | None = None,
                  scheduler: str | None = None, jobs: int | None = None,
                  on_done: Callable[[Outcome], None] = lambda o: None,
                  templates_dir: Path = TEMPLATES_DIR) -> LibraryResult:
    """Build the library at `library` into `dist`; see the module's docstring."""
    root = Path(library).resolve()
    if not root.is_dir():
        raise source_error(str(library), None, "W600", f"the library folder {root} does "
                           "not exist")
    config = load_config(root)
    books = find_books(root)
    out = Path(dist).resolve()
    _prepare_dist(out)
    result = LibraryResult(config)
    recorded, result.state_note = load_state(out)
    tool = tool_digest(templates_dir)
    tasks = []
    for slug, folder, articles in volumes_last(books, root):
        digest = inputs_digest(folder, tool, tuple(formats), tuple(profiles), epoch, articles)
        record = recorded.get(slug)
        if record and record["inputs"] == digest and files_intact(out, record["entry"]):
            result.skipped.append(slug)
            continue
        tasks.append(BookTask(slug, str(folder), str(out), str(root), tuple(formats),
                              tuple(profiles), epoch, digest))
    if tasks:
        outcomes = (run_dask(tasks, scheduler, on_done) if scheduler
                    else run_local(tasks, jobs, on_done))
    else:
        outcomes = []
    records = {slug: rec for slug, rec in recorded.items() if slug in dict(books)}
    for outcome in outcomes:
        result.warnings.extend(outcome.warnings)
        if outcome.ok:
            result.built.append(outcome.slug)
            records[outcome.slug] = {"inputs": outcome.inputs, "entry": outcome.entry}
        else:
            result.failed[outcome.slug] = outcome.errors
            if outcome.slug in records:   # keep the last good entry, but never skip on it
                records[outcome.slug] = dict(records[outcome.slug], inputs="failed")
    twins = _same_identifiers(records, result)
    entries = [records[slug]["entry"] for slug, _ in books
               if slug in records and slug not in twins
               and files_intact(out, records[slug]["entry"])]
    result.listed = [e["slug"] for e in entries]
    result.catalogue = write_catalogue(out, config, entries, epoch)
    save_state(out, records)
    return result
