"""Each PDF profile of a book made: laid out (`warraq.pdf.book`), written, preflighted
(a failed rule stops the build, W501), with the cover wrap of the profiles that have
one. The PDF writer (`warraq.pdf.writer`) calls this here or in a worker process; it is
the part of the writer that needs WeasyPrint.
"""

from __future__ import annotations

from typing import Callable

from ..cache import NO_CACHE, Cache
from ..errors import Diagnostic, SourceError
from ..model import Book
from ..writers.contract import COUNT, Progress, Rendered
from . import book as print_book
from . import mending, pagemap
from .coverwrap import render_cover_pdf
from .document import book_trim
from .fetcher import RefusedURL, refused_error
from .preflight import check_pdf
from .profiles import Profile
from .render import pages_reported
from .wrapgeometry import Wrap, cover_profile

OnMap = Callable[[pagemap.PageMap | None], None]


def _checked(name: str, data: bytes, profile, size, result: Rendered,
             draws: list | None = None) -> None:
    """Preflight a PDF before it may be written (`draws`: what its pages draw, when the
    writing walked them); a failed rule stops the build (W501)."""
    report = check_pdf(data, profile, size, draws=draws or None)
    result.checks[name] = report
    if not report.passed:
        raise SourceError([Diagnostic(name, None, None, "W501", f"the {profile.name} profile's "
                                      f"rule `{r.rule}` failed: {r.detail}")
                           for r in report.failures])
    result.warnings += [f"{name}: {note}" for note in report.notes]


def render_profiles(book: Book, profiles: tuple[Profile, ...], progress: Progress,
                    on_map: OnMap | None = None, cache: Cache = NO_CACHE,
                    jobs: int = 1) -> list[Rendered]:
    """Each profile's PDFs, one after the other: a `Rendered` per profile, with the
    artefact `pages`; given `on_map`, the first profile's also has `page-map`, and
    `on_map` is told it as soon as that profile is laid out. The chapters are mended
    in `jobs` processes, with what `cache` holds (`warraq.pdf.mending`); each result's
    artefact `chapter-keeps` is what that computed, for the writer to file."""
    try:
        return _render(book, profiles, progress, on_map, mending.Mending(
            cache, jobs, progress=lambda done, of: progress(
                COUNT, f"{done} of {of} chapters mended")))
    except RefusedURL as refused:      # WeasyPrint asked for a URL outside the book
        raise refused_error(refused) from None


def _render(book: Book, profiles, progress: Progress, on_map: OnMap | None,
            mended: mending.Mending) -> list[Rendered]:
    trim = book_trim(book)
    # Every block carries its number, so the first profile's layout tells where each
    # printed page begins: the EPUB's page-list (the numbers leave the PDF unchanged).
    numbered = pagemap.numbered(book)
    out, start = [], None
    for index, profile in enumerate(profiles):
        result = Rendered()
        name = profile.file_name(book.slug)
        progress("pdf", name)
        source = f"print edition of “{book.meta.title}” ({name})"

        def on_document(document, starts, result=result, source=source):
            result.artefacts["page-map"] = pagemap.page_map(document, book, source, starts)
            on_map(result.artefacts["page-map"])
        draws: list = []
        with pages_reported(lambda n: progress(COUNT, f"page {n} laid out")):
            data, messages = print_book.render_pdf(
                numbered, profile, start, on_document if index == 0 and on_map else None,
                mended, draws)
            result.artefacts["chapter-keeps"], mended.made = mended.made, {}
            result.artefacts["pdf-parts"], mended.parts = mended.parts, {}
        result.warnings += messages
        _checked(name, data, profile, trim.points, result, draws)
        result.files[name] = data
        pages = result.artefacts["pages"] = result.checks[name].pages
        if profile.mirrored:
            start = pages           # where the next mirrored profile's layout starts
        if profile.cover:
            cover_name = profile.file_name(book.slug, "cover")
            progress("pdf", cover_name)
            cover, messages = render_cover_pdf(book, profile, pages)
            result.warnings += messages
            wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
            _checked(cover_name, cover, cover_profile(profile), wrap.points, result)
            result.files[cover_name] = cover
        out.append(result)
    return out
