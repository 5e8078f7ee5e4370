"""The print cover wrap: one sheet with the back cover, the spine and the front cover.

Print-on-demand services print the cover separately from the interior; the sheet's
geometry is `warraq.pdf.wrapgeometry.Wrap`. The front panel is the EPUB's generated
cover: the same fragment (templates/cover/front.html + front.css, via
`warraq.cover.front_panel`) scaled to the trim and drawn in the cover's inks (CMYK for the
print-on-demand profiles); the back and spine (templates/pdf/cover.html) share its
palette, so the ground runs across the sheet and into the bleed.
"""

from __future__ import annotations

from ..cover import front_panel, palette
from ..model import Book
from ..templating import render
from .document import book_trim, document_context
from .fetcher import Fetcher
from .finisher import Finish, finisher
from .profiles import Profile
from .render import to_pdf
from .wrapgeometry import Wrap, cover_profile


def _colours(profile: Profile) -> dict[str, str]:
    """The front cover's palette in the sheet's inks, plus white for the barcode box."""
    return {**palette(profile.colour),
            "box": "white" if profile.colour == "rgb" else "device-cmyk(0 0 0 0)"}


def render_cover_pdf(book: Book, profile: Profile, pages: int) -> tuple[bytes, list[str]]:
    """The cover wrap PDF (and WeasyPrint's messages) for the book's interior of `pages`
    pages in `profile`."""
    trim = book_trim(book)
    wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
    rules = cover_profile(profile)
    front_html, front_css = front_panel(book, wrap.trim_width, wrap.trim_height, rules.colour)
    ctx = {**document_context(book, profile), "wrap": wrap, "colours": _colours(rules),
           "front_html": front_html, "front_css": front_css}
    finish = finisher(book, Finish(rules, wrap.points, page_labels=False))
    return to_pdf(render("pdf/cover.html", **ctx), render("pdf/cover.css", **ctx),
                  Fetcher.for_book(book), finisher=finish,
                  pdf_variant=profile.variant if profile.pdfx else None)
