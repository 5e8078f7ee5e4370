"""The print edition as a writer: every PDF profile asked for, each preflighted, and the
cover wrap of the profiles that have one.

Files: `<slug>.pdf` (print) or `<slug>.<profile>.pdf`, and `<slug>.<profile>.cover.pdf`.
Artefacts: `page-map` (where each printed page begins, from the first profile laid out:
the EPUB's page-list) and `page-counts` (pages of each PDF, by file name). A failed
preflight rule stops the build (W501) before anything is written.

Each profile's result is a function of the book and the profile alone, so it is kept in
the build cache (`warraq.pdf.cached`) and taken from it when nothing it is made from
changed. Cores: when the build may use more than one process (`Settings.jobs`) and there
is more than one thing to do (several profiles to make, or other writers after this
one), the profiles to make are split into consecutive groups, each made in a worker
process (`warraq.pdf.workers`); the page map comes back as soon as the first profile is
laid out, so the EPUB is made here (its cover and fonts while the book is laid out there,
the rest while the PDFs are written and checked). The files are the same bytes
whichever way they were made.
"""

from __future__ import annotations

import functools
import math
from typing import Callable

from ..background import CAN_FORK
from ..cache import NO_CACHE, Cache, fingerprint
from ..model import Book
from ..writers.contract import Progress, Rendered, RenderContext
from . import cached, mending, pagemap
from .profiles import DEFAULT_PROFILE, PROFILES, Profile
from .workers import Workers

OnMap = Callable[[pagemap.PageMap | None], None]


class PdfWriter:
    """`--format pdf`: one PDF per profile of `Settings.profiles`."""

    name = "pdf"
    needs: tuple[str, ...] = ()

    def render(self, context: RenderContext) -> Rendered:
        settings, cache, book = context.settings, context.cache, context.book
        profiles = settings.profiles or (PROFILES[DEFAULT_PROFILE],)
        keys = {}
        if cache.enabled:
            book_print, shared = fingerprint(book), cached.print_inputs(book)
            keys = {p.name: cached.profile_key(cache, book_print, shared, p) for p in profiles}
        done: dict[str, Rendered] = {}
        for i, profile in enumerate(profiles):
            entry = cache.get(keys[profile.name]) if keys else None
            found = cached.load(entry, i == 0) if entry is not None else None
            if found is not None:
                done[profile.name] = found
                cache.hits.append(cached.KIND)
        todo = tuple(p for p in profiles if p.name not in done)
        cache.misses += [cached.KIND] * len(todo) if keys else []
        wants_map = profiles[0] in todo

        def keep(made: list[Rendered]) -> Rendered:
            for profile, result in zip(todo, made):
                mending.file(cache, result.artefacts.pop("chapter-keeps", {}))
                for key, entry in result.artefacts.pop("pdf-parts", {}).items():
                    cache.put(key, entry)
                done[profile.name] = result
                if keys:
                    cache.put(keys[profile.name], cached.dump(result))
            return _assemble(book.slug, profiles, done)
        others = any(f != self.name for f in settings.formats)
        workers = min(settings.jobs, len(todo))
        # each group of profiles mends its chapters on the cores its worker is given
        # (the EPUB meanwhile waits for the page map, `warraq.writers.epub`)
        render_group = functools.partial(render_profiles, cache=cache,
                                         jobs=max(1, settings.jobs // max(1, workers)))
        if not todo or settings.jobs < 2 or not CAN_FORK or (workers < 2 and not others):
            return keep(render_group(book, todo, context.progress, (
                lambda page_map: None) if wants_map else None) if todo else [])
        size = math.ceil(len(todo) / workers)
        groups = [todo[i:i + size] for i in range(0, len(todo), size)]
        running = Workers(render_group, book, groups, context.progress, wants_map,
                          context.warm)
        pending = _Pending(running, keep, wants_map)
        if wants_map:
            return Rendered(pending=[pending])
        return Rendered(artefacts={"page-map": done[profiles[0].name].artefacts["page-map"]},
                        pending=[pending])


class _Pending:
    """The workers' PDFs, taken in (and kept in the cache) once they are made; the page
    map as soon as the first group's worker sends it (when it was not in the cache)."""

    def __init__(self, running: Workers, keep: Callable[[list[Rendered]], Rendered],
                 wants_map: bool):
        self.running, self.keep = running, keep
        self.provides = ("page-map", "page-counts") if wants_map else ("page-counts",)
        self._result: Rendered | None = None

    def artefact(self, name: str):
        if name == "page-map" and self._result is None:
            return self.running.page_map()
        return self.result().artefacts[name]

    def result(self) -> Rendered:
        if self._result is None:
            self._result = self.keep(self.running.results())
            if "page-map" not in self.provides:     # given when the writer returned
                self._result.artefacts.pop("page-map", None)
        return self._result

    def cancel(self) -> None:
        self.running.cancel()


def _assemble(slug: str, profiles: tuple[Profile, ...], done: dict[str, Rendered]
              ) -> Rendered:
    """The writer's result: each profile's files, warnings and checks in profile order."""
    out = Rendered()
    for profile in profiles:
        part = done[profile.name]
        out.files.update(part.files)
        out.warnings += part.warnings
        out.checks.update(part.checks)
    out.artefacts["page-map"] = done[profiles[0].name].artefacts.get("page-map")
    out.artefacts["page-counts"] = {profile.file_name(slug): done[profile.name].artefacts[
        "pages"] for profile in profiles}
    return out


def render_profiles(book: Book, profiles: tuple[Profile, ...], progress: Progress,
                    on_map: OnMap | None = None, cache: Cache = NO_CACHE,
                    jobs: int = 1) -> list[Rendered]:
    """Each profile's PDFs (`warraq.pdf.making.render_profiles`), imported only here:
    this module does not import WeasyPrint, so a build hands its print work to a
    process that imported it while the source was read (`warraq.background.Warm`)."""
    from .making import render_profiles as make
    return make(book, profiles, progress, on_map, cache, jobs)
