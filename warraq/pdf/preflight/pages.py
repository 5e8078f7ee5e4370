"""What each page of a PDF draws, walked once for the rules that read pages: the box its
glyphs lie in (`margins`) and the colour spaces, CMYK colours and images it draws with
(`colour`), as a `PageDraw`.

A book written in parts and joined (`warraq.pdf.partwrite`) has each part walked where
it is written, on every core, and its pages' draws given to the preflight of the joined
file: a page of the joined file draws what it drew in its part (the same content and
resources; its fonts, subset again to the book's glyphs, have the same widths and
heights for the glyphs it draws), which tests/pdf/test_join.py checks page by page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from .colour import Drawn
from .content import page_steps
from .margins import text_box


@dataclass(frozen=True)
class PageDraw:
    """One page: the box of its glyphs (None: no text), the colour spaces it draws with
    (in the order it first does), whether it draws C, M or Y ink, and its images (dpi,
    colour space)."""

    box: tuple[float, float, float, float] | None
    spaces: tuple[str, ...]
    coloured: bool
    images: tuple[tuple[float, str], ...]


def page_draws(pdf: pikepdf.Pdf, boxes: bool = True) -> list[PageDraw]:
    """Every page's draw (`boxes`: with the box of its glyphs, else None)."""
    fonts: dict = {}
    out = []
    for page in pdf.pages:
        seen = Drawn()
        if boxes:
            box = text_box(page, fonts, lambda step: seen.step(step, 0))
        else:
            box = None
            for step in page_steps(page):
                seen.step(step, 0)
        out.append(PageDraw(box, tuple(seen.spaces), bool(seen.coloured_k),
                            tuple((dpi, space) for _, dpi, space in seen.images)))
    return out


def drawn(pdf: pikepdf.Pdf) -> Drawn:
    """What every page of the file draws with."""
    return replay(page_draws(pdf, boxes=False))


def replay(draws: list[PageDraw]) -> Drawn:
    """What the pages draw with, as the rules read it, from each page's draw."""
    found = Drawn()
    for n, draw in enumerate(draws, 1):
        for space in draw.spaces:
            found.note(space, n)
        if draw.coloured:
            found.coloured_k.add(n)
        found.images += [(n, dpi, space) for dpi, space in draw.images]
    return found
