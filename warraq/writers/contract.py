"""The one contract every output follows (like mdBook's renderers and Sphinx's builders).

A writer has a `name` (what `--format` selects), `needs` (the writers whose artefacts it
uses when they run in the same build: they run first; they are not pulled in), and one
entry point, `render(context) -> Rendered`. The `RenderContext` carries the transformed
`Book`, the build's `Settings` and the artefacts of the writers that ran before. A
`Rendered` holds the writer's files (relative names, which may hold `/` for a sub-folder,
and their bytes), artefacts for later writers (for example the print layout's page map,
which the EPUB's page-list needs), warnings, the check report of each file, and the
work it left running in other processes (`pending`, when `Settings.jobs` allows more than
one): the pipeline runs the next writers meanwhile and collects it at the end. Writers
name their own files; the pipeline only orders, runs and publishes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, Protocol

from ..cache import NO_CACHE, Cache
from ..model import Book

#: `progress(stage, detail)`: told when each stage of a build starts (for a display).
Progress = Callable[[str, str], None]

#: The stage name of a running count within the stage under way ("page 40", "chapter 3
#: of 30"): a terminal display shows it beside the stage; plain output prints no line.
COUNT = "count"


def no_progress(stage: str, detail: str) -> None:
    """The progress callback of a build nobody watches."""


@dataclass(frozen=True)
class Settings:
    """What the person asked for: the formats (writer names), in order, and the PDF
    profiles (`warraq.pdf.profiles.Profile`) to make."""

    formats: tuple[str, ...]
    profiles: tuple[Any, ...] = ()
    #: How many processes the writers may keep busy at once (1: this one only).
    jobs: int = 1


@dataclass(frozen=True)
class RenderContext:
    """Everything a writer may use; it never reads the source folder."""

    book: Book
    settings: Settings
    #: Artefacts of the writers that ran before, by artefact name.
    artefacts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    progress: Progress = no_progress
    #: Where a writer may keep what it computed, by what it was computed from
    #: (`warraq.cache`; by default a cache that keeps nothing).
    cache: Cache = NO_CACHE
    #: A process forked before the source was read, ready to be handed a writer's work
    #: (`warraq.background.Warm`: the PDF writer's first worker), or None.
    warm: Any = None

    def artefact(self, name: str, default: Any = None) -> Any:
        return self.artefacts.get(name, default)


class CheckReport(Protocol):
    """What a writer found when it read a file of its own back (e.g. a PDF preflight)."""

    passed: bool
    pages: int

    def lines(self) -> list[str]: ...


@dataclass
class Rendered:
    """A writer's result: files by relative name (in the order to write), artefacts for
    later writers, warnings for the person, and the check report of each file."""

    files: dict[str, bytes] = field(default_factory=dict)
    artefacts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    checks: dict[str, CheckReport] = field(default_factory=dict)
    #: Work the writer left running in other processes: the rest of its result.
    pending: list["Pending"] = field(default_factory=list)

    def add(self, other: "Rendered") -> None:
        """Take in another writer's result (names must not collide)."""
        clash = set(self.files) & set(other.files)
        if clash:
            raise ValueError(f"two writers make {sorted(clash)[0]}")
        self.files.update(other.files)
        self.artefacts.update(other.artefacts)
        self.warnings += other.warnings
        self.checks.update(other.checks)
        self.pending += other.pending

    def settle(self) -> None:
        """Wait for the pending work and take in what it made, in the order it was left;
        if any of it fails, the rest is cancelled and the error raised."""
        try:
            while self.pending:
                self.add(self.pending.pop(0).result())
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        """Stop the pending work (the build failed: its result is not wanted)."""
        while self.pending:
            self.pending.pop(0).cancel()


class Pending(Protocol):
    """A writer's work still running elsewhere. Its `result()` holds the rest of the
    writer's files, warnings and checks, and the artefacts named in `provides`: a later
    writer that asks for one of those waits for it, and only for it (`artefact(name)`,
    which the pipeline's artefacts mapping calls: the print edition's page map comes as
    soon as the first profile is laid out, before the PDFs are written)."""

    provides: tuple[str, ...]

    def artefact(self, name: str) -> Any: ...

    def result(self) -> Rendered: ...

    def cancel(self) -> None: ...


class Writer(Protocol):
    """One output. See the module docstring."""

    name: str
    needs: tuple[str, ...]

    def render(self, context: RenderContext) -> Rendered: ...
