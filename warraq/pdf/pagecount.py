"""The page count of a print edition, predicted from its text before it is laid out.

With mirrored margins the gutter depends on the page count (`pagesetup.gutter_for`), and
laying a whole book out to learn its count costs as much as the layout itself: so
`warraq.pdf.book.lay_out` starts at the band this prediction gives, and lays out again
only when the count it finds falls in another band. The prediction only has to fall in
the right band (150 pages wide and more); a miss costs one more layout, never a wrong
book.

How: every block of every chapter (paragraphs, list items, headings, quotations, notes)
becomes lines from its characters times an average advance per script (`Metrics`,
calibrated on books laid out by WeasyPrint: `benchmarks/calibrate.py`), at the size,
line height, indents and margins templates/pdf/book.css gives it; the lines of a chapter
fill pages of the text block's height (less what page breaks waste), a chapter opening
on a recto rounds up to an even count, and the front matter adds its pages.
Pure Python on the model's XHTML: no WeasyPrint.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.etree as ET

from ..furniture import direction
from ..model import Book, Chapter
from ..xhtml import parse_fragment
from .pagesetup import PageSetup

PT = 72  # points per inch


@dataclass(frozen=True)
class Metrics:
    """Calibrated constants (benchmarks/calibrate.py), as fractions of the font size."""

    #: Average advance of a Latin letter or space (EB Garamond, justified, hyphenated).
    latin: float = 0.42
    #: Average advance of an Arabic-script character (Amiri, marks included).
    arabic: float = 0.34
    #: How much of the text block's height the estimated lines fill on an average page:
    #: what page breaks waste (widows, orphans, quotations and headings kept whole),
    #: less what the estimate over-counts (calibrated; it comes out above 1).
    fill: float = 1.02


METRICS = Metrics()

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_SPACE = re.compile(r"\s+")
#: Blocks whose own text is laid out as lines; their nesting gives the style.
_TEXT = frozenset(("p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
                   "footer", "figcaption", "caption", "td", "th", "div"))
_BLOCKS = _TEXT | frozenset(("blockquote", "ol", "ul", "dl", "table", "figure", "section",
                             "aside", "header", "tr", "tbody", "thead"))
#: (font size pt, line height, margin above + below in em) of the headings.
_HEADINGS = {"h1": (20, 1.2, 0.0), "h2": (13, 1.2, 1.7), "h3": (11.5, 1.2, 1.4),
             "h4": (11, 1.2, 1.0), "h5": (11, 1.2, 1.0), "h6": (11, 1.2, 1.0)}
#: The chapter heading's margins (book.css `h1`), inches.
_H1_MARGINS = 1.6


@dataclass(frozen=True)
class _Style:
    size: float = 11.0
    leading: float = 1.4
    indent: float = 0.0          # points taken from the measure (lists, quotations)


def _own_text(el: ET._Element) -> str:
    """The element's text without that of nested blocks."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _BLOCKS:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return _SPACE.sub(" ", "".join(parts)).strip()


def _width(text: str, style: _Style, metrics: Metrics) -> float:
    """The points the text would take on one line."""
    arabic = len(_ARABIC.findall(text))
    return ((len(text) - arabic) * metrics.latin + arabic * metrics.arabic) * style.size


@dataclass(frozen=True)
class _Runs:
    """A chapter's text with the measure left open: the points that do not depend on it
    (margins), and (width on one line, indent, points per line) of each block's lines."""

    fixed: float
    lines: tuple[tuple[float, float, float], ...]

    def height(self, measure: float) -> float:
        return self.fixed + sum(max(1, math.ceil(width / max(measure - indent, 36))) * line
                                for width, indent, line in self.lines)


def _blocks(el: ET._Element, style: _Style, metrics: Metrics, fixed: list[float],
            lines: list) -> None:
    """Add the element's margins to `fixed` and its lines to `lines` (children too)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _HEADINGS:
        size, leading, margins = _HEADINGS[tag]
        style = _Style(size, leading, style.indent)
        fixed.append(_H1_MARGINS * PT if tag == "h1" else margins * size)
    elif tag == "blockquote":
        style = _Style(10.5, style.leading, style.indent + 3 * 10.5)
        fixed.append(1.6 * 10.5)
    elif tag in ("ol", "ul", "dl"):
        fixed.append(1.0 * style.size if style.indent == 0 else 0.0)
        style = _Style(style.size, style.leading, style.indent + 1.6 * style.size)
    elif tag == "pre":
        style = _Style(9, style.leading, style.indent)
    if el.get("dir") == "rtl" and tag in ("p", "div", "li", "blockquote"):
        style = _Style(style.size, 1.8, style.indent)
        fixed.append(0.5 * style.size)
    if tag in _TEXT:
        text = _own_text(el)
        if text:
            lines.append((_width(text, style, metrics), style.indent,
                          style.size * style.leading))
    for child in el:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            _blocks(child, style, metrics, fixed, lines)


#: The footnotes' style (8.5 pt, line height 1.3), and the share of the rule above each.
_NOTE, _NOTE_RULE = _Style(8.5, 1.3), 6.0


@lru_cache(maxsize=4096)
def _runs(html: str, notes: tuple[str, ...], base: _Style, metrics: Metrics) -> _Runs:
    """The runs of a chapter's text and footnotes (kept: a book's chapters are measured
    on several page set-ups, and again in the next build of the same process)."""
    fixed: list[float] = []
    lines: list[tuple[float, float, float]] = []
    for child in parse_fragment(html):
        if isinstance(child.tag, str):
            _blocks(child, base, metrics, fixed, lines)
    for note in notes:
        text = _SPACE.sub(" ", "".join(parse_fragment(note).itertext())).strip()
        lines.append((_width(text + "  1. ", _NOTE, metrics), 0.0,
                      _NOTE.size * _NOTE.leading))
        fixed.append(_NOTE_RULE)
    return _Runs(sum(fixed), tuple(lines))


def chapter_height(chapter: Chapter, measure: float, base: _Style,
                   metrics: Metrics = METRICS) -> float:
    """The points a chapter's text takes, footnotes included."""
    notes = tuple(note.html for note in chapter.footnotes)
    return _runs(chapter.html, notes, base, metrics).height(measure)


def _front_pages(book: Book, page_height: float, mirrored: bool) -> int:
    """Half title, title, copyright and the contents (book layout); nothing for articles."""
    if book.meta.layout != "book":
        return 0
    contents = (1 + 0.4) * PT + 16 * 1.2 + len(book.chapters) * 11 * (1.4 + 0.7)
    toc = math.ceil(contents / page_height)
    return 4 + (toc + toc % 2 if mirrored else toc)


def predict_pages(book: Book, page: PageSetup, metrics: Metrics = METRICS) -> int:
    """The number of pages the book will have laid out on `page`."""
    measure = (page.width - page.inner - page.outer) * PT
    text_height = (page.height - page.top - page.bottom) * PT * metrics.fill
    base = _Style(11.0, 1.7 if direction(book.meta.lang) == "rtl" else 1.4)
    heights = [chapter_height(c, measure, base, metrics) for c in book.chapters]
    if book.meta.layout != "book":
        return max(1, math.ceil(sum(heights) / text_height))
    pages = _front_pages(book, text_height, page.mirrored)
    for i, height in enumerate(heights):
        count = max(1, math.ceil(height / text_height))
        if page.mirrored and i < len(heights) - 1:
            count += count % 2          # the next chapter opens on a recto
        pages += count
    return pages
