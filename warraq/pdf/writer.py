"""The print edition as a writer: every PDF profile asked for, each preflighted, and the
cover wrap of the profiles that have one.

Files: `<slug>.pdf` (print) or `<slug>.<profile>.pdf`, and `<slug>.<profile>.cover.pdf`.
Artefacts: `page-map` (where each printed page begins, from the first profile laid out:
the EPUB's page-list) and `page-counts` (pages of each PDF, by file name). A failed
preflight rule stops the build (W501) before anything is written.

Cores: when the build may use more than one process (`Settings.jobs`) and there is more
than one thing to do (several profiles, or other writers after this one), the profiles
are split into consecutive groups, each made in a process of its own
(`warraq.background`); the page map comes back as soon as the first profile is laid out,
so the EPUB is made here while the PDFs are written and checked there. Each group makes
its profiles as a one-process build makes them, so the files are the same bytes.
"""

from __future__ import annotations

import logging
import math
from typing import Callable

from ..background import Background
from ..errors import Diagnostic, SourceError
from ..model import Book
from ..writers.contract import Progress, Rendered, RenderContext
from . import book as print_book
from . import pagemap
from .coverwrap import render_cover_pdf
from .document import book_trim
from .fetcher import RefusedURL, refused_error
from .preflight import check_pdf
from .profiles import DEFAULT_PROFILE, PROFILES, Profile
from .wrapgeometry import Wrap, cover_profile


def _checked(name: str, data: bytes, profile, size, result: Rendered) -> None:
    """Preflight a PDF before it may be written; a failed rule stops the build (W501)."""
    report = check_pdf(data, profile, size)
    result.checks[name] = report
    if not report.passed:
        raise SourceError([Diagnostic(name, None, None, "W501", f"the {profile.name} profile's "
                                      f"rule `{r.rule}` failed: {r.detail}")
                           for r in report.failures])
    result.warnings += [f"{name}: {note}" for note in report.notes]


class PdfWriter:
    """`--format pdf`: one PDF per profile of `Settings.profiles`."""

    name = "pdf"
    needs: tuple[str, ...] = ()

    def render(self, context: RenderContext) -> Rendered:
        settings = context.settings
        profiles = settings.profiles or (PROFILES[DEFAULT_PROFILE],)
        others = any(f != self.name for f in settings.formats)
        workers = min(settings.jobs, len(profiles))
        if settings.jobs < 2 or (workers < 2 and not others):
            return render_profiles(context.book, profiles, context.progress)
        size = math.ceil(len(profiles) / max(workers, 1))
        groups = [profiles[i:i + size] for i in range(0, len(profiles), size)]
        return _in_background(context.book, groups, context.progress)


def render_profiles(book: Book, profiles: tuple[Profile, ...], progress: Progress,
                    on_map: Callable[[pagemap.PageMap | None], None] | None = None
                    ) -> Rendered:
    """The PDFs of `profiles`, one after the other; `on_map` is told the page map as soon
    as the first profile is laid out."""
    try:
        return _render(book, profiles, progress, on_map)
    except RefusedURL as refused:      # WeasyPrint asked for a URL outside the book
        raise refused_error(refused) from None


def _render(book: Book, profiles, progress: Progress, on_map) -> Rendered:
    result = Rendered()
    trim = book_trim(book)
    # Every block carries its number, so the first profile's layout tells where each
    # printed page begins: the EPUB's page-list (the numbers leave the PDF unchanged).
    numbered = pagemap.numbered(book)
    page_map, hint, counts = None, None, {}
    for profile in profiles:
        name = profile.file_name(book.slug)
        progress("pdf", name)
        maps: list[pagemap.PageMap] = []
        source = f"print edition of “{book.meta.title}” ({name})"

        def on_document(document, maps=maps, source=source):
            maps.append(pagemap.page_map(document, book, source))
            if on_map is not None:
                on_map(maps[-1])
        data, messages = print_book.render_pdf(
            numbered, profile, hint, None if page_map is not None else on_document)
        page_map = page_map or (maps[-1] if maps else None)
        result.warnings += messages
        _checked(name, data, profile, trim.points, result)
        result.files[name] = data
        pages = counts[name] = result.checks[name].pages
        if profile.mirrored:
            hint = pages
        if profile.cover:
            cover_name = profile.file_name(book.slug, "cover")
            progress("pdf", cover_name)
            cover, messages = render_cover_pdf(book, profile, pages)
            result.warnings += messages
            wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
            _checked(cover_name, cover, cover_profile(profile), wrap.points, result)
            result.files[cover_name] = cover
    result.artefacts["page-map"] = page_map
    result.artefacts["page-counts"] = counts
    return result


class _Forward(logging.Handler):
    """In a worker: WeasyPrint's records go up to the parent, which logs them again (so
    whoever watches WeasyPrint's logger there sees them, as in a one-process build)."""

    def __init__(self, send):
        super().__init__(logging.WARNING)
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        self.send("log", (record.levelno, record.getMessage()))


def _group(send, book: Book, profiles: tuple[Profile, ...], first: bool) -> Rendered:
    """A worker process: one group's PDFs (the first group also sends the page map).
    The handler goes on the worker's own logger, which ends with the worker."""
    logging.getLogger("weasyprint").addHandler(_Forward(send))
    result = render_profiles(book, profiles, lambda stage, detail: send("progress", (
        stage, detail)), (lambda page_map: send("page-map", page_map)) if first else None)
    result.artefacts.pop("page-map", None)
    return result


def _in_background(book: Book, groups, progress: Progress) -> Rendered:
    """Each group in a worker process; returns once the page map has come back."""
    workers = [Background(_group, book, group, i == 0) for i, group in enumerate(groups)]
    pending = _Groups(workers, progress)
    try:
        page_map = pending.page_map()
    except BaseException:
        pending.cancel()
        raise
    return Rendered(artefacts={"page-map": page_map}, pending=[pending])


class _Groups:
    """The groups' workers: their page map, then their results, in the groups' order."""

    def __init__(self, workers: list[Background], progress: Progress):
        self.workers, self.progress = workers, progress
        self.early: Rendered | None = None

    def _next(self, worker: Background) -> tuple[str, object]:
        while True:
            kind, value = worker.receive()
            if kind == "log":
                logging.getLogger("weasyprint").log(value[0], "%s", value[1])
            elif kind == "progress":
                self.progress(*value)
            else:
                return kind, value

    def page_map(self) -> pagemap.PageMap | None:
        kind, value = self._next(self.workers[0])
        if kind == "done":          # nothing was laid out (cannot happen; never hang)
            self.early = value
            return None
        return value

    def result(self) -> Rendered:
        out = Rendered(artefacts={"page-counts": {}})
        try:
            for index, worker in enumerate(self.workers):
                if index == 0 and self.early is not None:
                    group = self.early
                else:
                    kind, group = self._next(worker)
                    while kind != "done":
                        kind, group = self._next(worker)
                counts = group.artefacts.pop("page-counts", {})
                out.add(group)
                out.artefacts["page-counts"].update(counts)
        except BaseException:
            self.cancel()
            raise
        return out

    def cancel(self) -> None:
        for worker in self.workers:
            worker.stop()
