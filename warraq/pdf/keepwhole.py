"""The words to keep whole (`warraq.pdf.breaks`) set in WeasyPrint's box tree, before a
layout (`warraq.pdf.relayout`): the word the break falls in gets a text box of its own
whose style does not hyphenate (`hyphens: none`), between the text before and after it.

A word is found as `breaks` names it: the key of its block or note and the characters
of the key's text before the break, counted over the key's text boxes in order (the
generated text of markers and footnote calls, and repeated table headers, left out, as
`breaks` leaves them out of the laid-out lines).
"""

from __future__ import annotations

from collections import defaultdict

from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.formatting_structure import boxes

from . import breaks

#: key -> [(text box, its parent)], in document order
Index = dict[str, list]


def text_boxes(roots) -> Index:
    """The text boxes of each key under the boxes of `roots` (the root box, the
    footnotes), with their parents."""
    out: Index = defaultdict(list)
    for root in roots:
        _walk(root, None, None, out)
    return out


def _walk(box, key, parent, out: Index) -> None:
    if "::" in (box.element_tag or ""):
        return
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        return
    key = breaks._key(box, key)
    if isinstance(box, boxes.TextBox):
        if key is not None:
            out[key].append((box, parent))
        return
    for child in getattr(box, "children", ()):
        _walk(child, key, box, out)


def split(index: Index, fault: breaks.Fault) -> bool:
    """Put the word the fault names in a text box of its own that does not hyphenate
    (`index` follows); False if the break is at a box's edge or a space (no word)."""
    key, at = fault
    entries = index.get(key, [])
    seen = 0
    for n, (box, parent) in enumerate(entries):
        text = box.text
        count = breaks._count(text)
        if seen + count < at or (seen + count == at and count):
            seen += count
            continue
        span = breaks.word_at(text, at - seen)
        if span is None:
            return False
        start, end = span
        word = box.copy_with_text(text[start:end])
        style = box.style.copy()
        style["hyphens"] = "none"
        word.style = style
        pieces = ([box.copy_with_text(text[:start])] if start else []) + [word] + (
            [box.copy_with_text(text[end:])] if end < len(text) else [])
        children = list(parent.children)
        where = next(i for i, child in enumerate(children) if child is box)
        parent.children = children[:where] + pieces + children[where + 1:]
        entries[n:n + 1] = [(piece, parent) for piece in pieces]
        return True
    return False
