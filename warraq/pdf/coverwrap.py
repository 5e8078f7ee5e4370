"""The print cover wrap: one sheet with the back cover, the spine and the front cover.

Print-on-demand services print the cover separately from the interior. The sheet is
`2 x trim width + spine` wide and `trim height` high, with `COVER_BLEED` (0.125 in) of
bleed all round; the spine is `pages x paper thickness` (white 0.002252 in, cream
0.0025 in a page, `paper` in book.yaml); the spine carries text only from 80 pages up,
as the services ask. The front panel is the EPUB's generated cover: the same fragment
(templates/cover/front.html + front.css, via `warraq.cover.front_panel`) scaled to the
trim and drawn in the cover's inks (CMYK for the print-on-demand profiles); the back and
spine (templates/pdf/cover.html) share its palette, so the ground runs across the sheet
and into the bleed.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..cover import front_panel, palette
from ..model import Book
from .profiles import COVER_BLEED, Profile
from ..templating import render

#: Paper thickness per page (inches), by book.yaml's `paper`.
PAPER_THICKNESS = {"white": 0.002252, "cream": 0.0025}
#: The spine carries text only from this many pages up.
SPINE_TEXT_MIN_PAGES = 80


@dataclass(frozen=True)
class Wrap:
    """The cover sheet's geometry, in inches."""

    trim_width: float
    trim_height: float
    pages: int
    paper: str
    bleed: float = COVER_BLEED

    @property
    def spine(self) -> float:
        return self.pages * PAPER_THICKNESS[self.paper]

    @property
    def width(self) -> float:
        """The trimmed sheet: back + spine + front (no bleed)."""
        return 2 * self.trim_width + self.spine

    @property
    def spine_text(self) -> bool:
        return self.pages >= SPINE_TEXT_MIN_PAGES

    @property
    def points(self) -> tuple[float, float]:
        return (round(self.width * 72, 3), round(self.trim_height * 72, 3))


def cover_profile(profile: Profile) -> Profile:
    """The rules the cover sheet is held to: the interior's variant, in colour (CMYK where
    the interior is grey or CMYK), the cover bleed, no marks or page-count rule."""
    return dataclasses.replace(
        profile, colour="rgb" if profile.colour == "rgb" else "cmyk", bleed=COVER_BLEED,
        marks=False, page_count=None, pages_range=None, tags=False, bookmarks=False,
        mirrored=False,
        links=False)


def _colours(profile: Profile) -> dict[str, str]:
    """The front cover's palette in the sheet's inks, plus white for the barcode box."""
    return {**palette(profile.colour),
            "box": "white" if profile.colour == "rgb" else "device-cmyk(0 0 0 0)"}


def render_cover(book: Book, profile: Profile, pages: int, trim, fetcher, finisher_for
                 ) -> tuple[bytes, list[str]]:
    """The cover wrap PDF for a book of `pages` pages trimmed to `trim`.

    `fetcher` is the PDF writer's URL fetcher (fonts and the ICC profile only) and
    `finisher_for(wrap)` its finisher for the sheet (boxes, XMP, variant claims)."""
    wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
    rules = cover_profile(profile)
    front_html, front_css = front_panel(book, wrap.trim_width, wrap.trim_height, rules.colour)
    from .book import document_context      # the PDF writer calls us
    ctx = {**document_context(book, profile), "wrap": wrap, "colours": _colours(rules),
           "front_html": front_html, "front_css": front_css}
    html = render("pdf/cover.html", **ctx)
    css = render("pdf/cover.css", **ctx)
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())
    collect = _Collect(logging.WARNING)
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(collect)
    try:
        fonts = FontConfiguration()
        profiles: dict = {}
        document = HTML(string=html, base_url="file:///warraq-book/",
                        url_fetcher=fetcher).render(
            stylesheets=[CSS(string=css, base_url="file:///warraq-book/", url_fetcher=fetcher,
                             font_config=fonts, color_profiles=profiles)],
            font_config=fonts, color_profiles=profiles)
        data = document.write_pdf(finisher=finisher_for(wrap, rules), uncompressed_pdf=False,
                                  pdf_variant=profile.variant if profile.pdfx else None)
    finally:
        wlog.removeHandler(collect)
    return data, messages
