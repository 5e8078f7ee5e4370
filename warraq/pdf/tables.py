"""Print measures for what cannot reflow: how many characters of code fit a line, and
which tables are too wide for the type of the text.

A table with many columns would squeeze each to a few letters: `mark_wide_tables` gives
one of 5 or 6 columns the class `table-wide` and one of 7 or more `table-wider`, which
the print stylesheet sets in smaller type (each cell's long words still break or
hyphenate, so no table leaves the text block, whatever its width).
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.etree as ET

from ..fonts import Choice, faces, family_for

#: The size of code blocks in print (templates/pdf/book.css sets `pre` in it), in points.
CODE_SIZE_PT = 8.5
#: Characters of a code line kept for the hanging indent of its continuation lines and
#: for a block set inside a list or quotation.
CODE_SLACK = 6


@lru_cache(maxsize=8)
def mono_advance(choice: Choice = ()) -> float:
    """The advance of the monospace face's `0`, in em."""
    from fontTools.ttLib import TTFont
    family = family_for("mono", choice)
    face = next(f for f in faces(choice) if f.family == family)
    with TTFont(face.path, lazy=True, fontNumber=face.index) as font:
        glyph = font.getBestCmap().get(ord("0"))
        width = font["hmtx"][glyph][0] if glyph else font["head"].unitsPerEm // 2
        return width / font["head"].unitsPerEm


def code_columns(page, choice: Choice = ()) -> int:
    """How many characters of code a printed line of `page`'s text block holds."""
    width_pt = (page.width - page.inner - page.outer) * 72
    return max(int(width_pt / (mono_advance(choice) * CODE_SIZE_PT)) - CODE_SLACK, 20)


#: A word in a table cell longer than this (in characters) may break anywhere.
LONG_WORD = 16
_LONG = re.compile(r"\S{%d,}" % LONG_WORD)


def _wrap_long_words(cell: ET._Element) -> None:
    """Each long word of the cell's own text in a `<span class="long-word">`."""
    def split(text: str | None) -> tuple[str | None, list[ET._Element]]:
        if not text or not _LONG.search(text):
            return text, []
        pieces = _LONG.split(text)
        words = _LONG.findall(text)
        spans = []
        for word, after in zip(words, pieces[1:]):
            span = ET.Element("span", {"class": "long-word"})
            span.text, span.tail = word, after
            spans.append(span)
        return pieces[0], spans

    for el in list(cell.iter()):
        if el.tag in ("code", "pre"):
            continue
        el.text, spans = split(el.text)
        for n, span in enumerate(spans):
            el.insert(n, span)
        if el is not cell and el.tail:
            el.tail, spans = split(el.tail)
            parent = el.getparent()
            for n, span in enumerate(spans):
                parent.insert(parent.index(el) + 1 + n, span)


def mark_wide_tables(root: ET._Element) -> None:
    """Class `table-wide` (5-6 columns) or `table-wider` (7 and more) on wide tables, and
    long words of every cell marked breakable."""
    for cell in [c for c in root.iter("td", "th")]:
        _wrap_long_words(cell)
    for table in root.iter("table"):
        columns = max((sum(int(c.get("colspan") or 1) if (c.get("colspan") or "1").isdigit()
                           else 1 for c in row if c.tag in ("td", "th"))
                       for row in table.iter("tr")), default=0)
        kind = "table-wider" if columns >= 7 else "table-wide" if columns >= 5 else None
        if kind:
            table.set("class", " ".join([*(table.get("class") or "").split(), kind]))
