"""The print cover wrap's geometry, as pure data (no WeasyPrint): the sheet's size from
the trim, the page count and the paper, and the rules the sheet is held to.

The sheet is `2 x trim width + spine` wide and `trim height` high, with `COVER_BLEED`
(0.125 in) of bleed all round; the spine is `pages x paper thickness` (white 0.002252 in,
cream 0.0025 in a page, `paper` in book.yaml) and carries text only from
`SPINE_TEXT_MIN_PAGES` (80) pages up, as the print-on-demand services ask.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .profiles import Profile

#: The cover wrap's bleed on every side (KDP and IngramSpark both ask for 0.125 in).
COVER_BLEED = 0.125
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
