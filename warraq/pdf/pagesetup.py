"""Page geometry for print: trim-size presets, custom sizes, and the gutter table.

Everything here is in inches unless a name says points. `parse_trim` turns what an author
writes in book.yaml (`6x9`, `A5`, `royal`, `5.5in x 8.5in`, `148 x 210 mm`) into a
`Trim`; `gutter_for(pages)` is KDP's minimum inside margin for a page count, and
`PageSetup` is the whole page (trim + margins) the PDF templates lay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MM = 1 / 25.4
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class Trim:
    """A trimmed page: width and height in inches, and the name it was given."""

    name: str
    width: float
    height: float

    @property
    def points(self) -> tuple[float, float]:
        return (round(self.width * POINTS_PER_INCH, 3), round(self.height * POINTS_PER_INCH, 3))


#: The presets, by the name book.yaml's `trim` accepts (lower case, without spaces).
TRIMS: dict[str, Trim] = {t.name: t for t in (
    Trim("5x8", 5.0, 8.0),
    Trim("5.25x8", 5.25, 8.0),
    Trim("5.5x8.5", 5.5, 8.5),
    Trim("6x9", 6.0, 9.0),
    Trim("a5", 148 * MM, 210 * MM),
    Trim("royal", 156 * MM, 234 * MM),
    Trim("a4", 210 * MM, 297 * MM),
    Trim("letter", 8.5, 11.0),
)}
DEFAULT_TRIM = TRIMS["6x9"]
#: Sizes a custom trim may take (inches): from a small pocket book to A4/letter and a bit.
MIN_SIDE, MAX_SIDE = 3.0, 14.0

_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|mm)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm)?\s*$",
                     re.I)


def parse_trim(text: str) -> Trim | None:
    """The `Trim` for a preset name or `W x H` (inches, or `mm`); None if not understood."""
    key = text.strip().lower().replace(" ", "")
    if key in ("royal156x234mm", "156x234mm"):
        key = "royal"
    if key in ("usletter", "us-letter"):
        key = "letter"
    if key in TRIMS:
        return TRIMS[key]
    m = _CUSTOM.match(text)
    if not m:
        return None
    w, wu, h, hu = float(m.group(1)), m.group(2), float(m.group(3)), m.group(4)
    unit = (wu or hu or "in").lower()
    if (wu and hu and wu.lower() != hu.lower()):
        return None
    factor = MM if unit == "mm" else 1.0
    width, height = w * factor, h * factor
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        return None
    return Trim(f"{m.group(1)}x{m.group(3)}{unit}", width, height)


#: KDP's minimum inside margin (gutter) by page count: (last page of the band, inches).
GUTTER_TABLE: tuple[tuple[int, float], ...] = (
    (150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
#: The most pages a print-on-demand paperback may have (KDP).
MAX_PAGES = 828


def gutter_for(pages: int) -> float:
    """The gutter for a book of `pages` pages (KDP table; books above 828 pages keep the
    widest band, and the preflight reports them)."""
    for last, gutter in GUTTER_TABLE:
        if pages <= last:
            return gutter
    return GUTTER_TABLE[-1][1]


#: Space between the gutter and the text block on the spine side, added to the gutter:
#: the inside margin is `gutter_for(pages) + INNER_AIR`, never less than KDP's minimum.
INNER_AIR = 0.25


@dataclass(frozen=True)
class PageSetup:
    """Trim size and margins, in inches. `inner` is the gutter side (mirrored on versos)."""

    width: float = DEFAULT_TRIM.width
    height: float = DEFAULT_TRIM.height
    top: float = 0.85
    bottom: float = 0.85
    inner: float = 0.75
    outer: float = 0.6
    bleed: float = 0.0
    mirrored: bool = True

    @classmethod
    def for_book(cls, trim: Trim, pages: int, mirrored: bool = True, bleed: float = 0.0,
                 min_margin: float = 0.0) -> PageSetup:
        """Margins scaled to the trim (outer/top/bottom) and the gutter from the page count;
        no margin below `min_margin` (a service's rule)."""
        small = trim.width < 5.5
        outer = max(0.5 if small else 0.6, min_margin)
        edge = max(0.85, min_margin)
        inner = round(gutter_for(pages) + INNER_AIR, 4) if mirrored else outer
        return cls(width=trim.width, height=trim.height, top=edge, bottom=edge,
                   inner=max(inner, min_margin), outer=outer, bleed=bleed, mirrored=mirrored)


def first_page_of(band: float) -> int:
    """A page count in the gutter band `band` (its first)."""
    last = 0
    for edge, gutter in GUTTER_TABLE:
        if gutter == band:
            return last + 1
        last = edge
    return last + 1


def last_page_of(band: float) -> int:
    """The last page count of the gutter band `band`."""
    return next(last for last, gutter in GUTTER_TABLE if gutter == band)


def band_below(band: float) -> float | None:
    """The next narrower gutter band (None below the first)."""
    gutters = [g for _, g in GUTTER_TABLE]
    index = gutters.index(band)
    return gutters[index - 1] if index else None
