"""The gutter band a book with mirrored margins settles in (`warraq.pdf.book.lay_out`):
the book is laid out in the band of its predicted page count, and again in another band
only while its count falls outside the one it was laid out in; a count close above a
band's lower edge is tried in the band below too.
"""

from __future__ import annotations

from typing import Callable

from ..model import Book
from .pagecount import predict_pages
from .pagesetup import PageSetup, band_below, first_page_of, gutter_for, last_page_of
from .profiles import Profile


def settled_band(book: Book, trim, profile: Profile, tried: dict, band: float,
                 keeps: Callable[[PageSetup], frozenset], lay: Callable[..., object]
                 ) -> float:
    """The band the book settles in, starting from `band`: laid out (once per band, kept
    in `tried`) until its count stays in the band it was laid out with; a count close
    above a band's lower edge is tried in the band below too (`_may_fit_below`)."""
    while True:
        if band not in tried:
            page = PageSetup.for_book(trim, first_page_of(band), True, profile.bleed,
                                      profile.min_margin)
            tried[band] = lay(book, profile, page, keeps(page))
        new_band = gutter_for(tried[band].pages)
        if new_band == band:
            if not _check_below(tried, band) or not _may_fit_below(
                    book, trim, profile, tried[band].pages, band):
                return band
            new_band = band_below(band)
        elif new_band in tried:
            return max(band, new_band)
        band = new_band


def _check_below(tried: dict, band: float) -> bool:
    """Whether the band below `band` could still hold the book: it has not been laid out,
    and no narrower gutter already gave more pages than it holds (a wider gutter never
    gives fewer pages)."""
    below = band_below(band)
    return below is not None and below not in tried and not any(
        b < below and t.pages > last_page_of(below) for b, t in tried.items())


#: How far (a share of the band's last page, and one page more) a count predicted for
#: the band below may stand above that band's edge and still be laid out to see.
BELOW_SLACK = 0.04


def _may_fit_below(book: Book, trim, profile: Profile, pages: int, band: float) -> bool:
    """Whether `pages`, laid out in `band`, might come to no more than the band below's
    last page with that band's (wider) text block: the layout found is scaled by how
    the prediction changes from one band to the other."""
    edge = last_page_of(band_below(band))
    here, there = (predict_pages(book, PageSetup.for_book(
        trim, p, True, profile.bleed, profile.min_margin)) for p in
        (first_page_of(band), edge))
    return pages * there / here <= edge * (1 + BELOW_SLACK) + 1
