"""The print edition as a writer: every PDF profile asked for, each preflighted, and the
cover wrap of the profiles that have one.

Files: `<slug>.pdf` (print) or `<slug>.<profile>.pdf`, and `<slug>.<profile>.cover.pdf`.
Artefacts: `page-map` (where each printed page begins, from the first profile laid out:
the EPUB's page-list) and `page-counts` (pages of each PDF, by file name). A failed
preflight rule stops the build (W501) before anything is written.
"""

from __future__ import annotations

from ..errors import Diagnostic, SourceError
from ..writers.contract import Rendered, RenderContext
from . import book as print_book
from . import pagemap
from .coverwrap import render_cover_pdf
from .document import book_trim
from .fetcher import RefusedURL, refused_error
from .preflight import check_pdf
from .profiles import DEFAULT_PROFILE, PROFILES
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
        try:
            return self._render(context)
        except RefusedURL as refused:      # WeasyPrint asked for a URL outside the book
            raise refused_error(refused) from None

    def _render(self, context: RenderContext) -> Rendered:
        book = context.book
        profiles = context.settings.profiles or (PROFILES[DEFAULT_PROFILE],)
        result = Rendered()
        trim = book_trim(book)
        # Every block carries its number, so the first profile's layout tells where each
        # printed page begins: the EPUB's page-list (the numbers leave the PDF unchanged).
        numbered = pagemap.numbered(book)
        page_map, hint, counts = None, None, {}
        for profile in profiles:
            name = profile.file_name(book.slug)
            context.progress("pdf", name)
            maps: list[pagemap.PageMap] = []
            source = f"print edition of “{book.meta.title}” ({name})"

            def on_document(document, maps=maps, source=source):
                maps.append(pagemap.page_map(document, book, source))
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
                context.progress("pdf", cover_name)
                cover, messages = render_cover_pdf(book, profile, pages)
                result.warnings += messages
                wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
                _checked(cover_name, cover, cover_profile(profile), wrap.points, result)
                result.files[cover_name] = cover
        result.artefacts["page-map"] = page_map
        result.artefacts["page-counts"] = counts
        return result
