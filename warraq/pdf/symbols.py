"""Characters the text face lacks that the math or symbol face sets (∈, ⊂, ★, ✓), kept
from stretching their line in print.

Those faces' ascent and descent are far taller than a text face's: an 11 pt line holding
a ∈ (STIX Math) grew from 15.4 pt to 22.7 pt, a paragraph's leading jumped there, and a
list item's bullet stood on a line of its own above its text (Pandoc's own test files
showed it). Each run of such characters in a chapter's print XHTML is put in
`<span class="wq-sym">`, which the print stylesheet gives `line-height: 0`: the glyphs
are drawn where they were, and the line keeps the paragraph's pitch. Formulas (drawn as
SVG, `warraq.pdf.maths`) are left as they are. (A run of Arabic inside a left-to-right
line needs no marking: it is a `span dir="rtl"` already, `warraq.transforms.language`,
and the stylesheet gives it the same.)
"""

from __future__ import annotations

import re

from lxml import etree as ET

from ..fonts import Choice, family_for, family_setting

#: The roles whose faces stretch a line of text.
TALL_ROLES = ("math", "symbols")
CLASS = "wq-sym"
#: Elements whose text is not a paragraph's.
_SKIP = frozenset({"math", "svg", "script", "style"})


def _spans(parts: list[str]) -> tuple[str, list[ET._Element]]:
    """`re.split` parts (plain text, then a tall run and the plain text after it, ...):
    the text before the first run, and a span for each run with that text as its tail."""
    spans = []
    for run, after in zip(parts[1::2], parts[2::2]):
        span = ET.Element("span", {"class": CLASS})
        span.text, span.tail = run, after or None
        spans.append(span)
    return parts[0], spans


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def mark_symbols(wrapper: ET._Element, script: str, choice: Choice = ()) -> int:
    """Put each run of characters the math or symbol face sets (for text in `script`)
    in a `wq-sym` span, in place; how many runs. A chapter without one (most) is read
    once, for its distinct characters."""
    families = {family_for(role, choice) for role in TALL_ROLES} - {None}
    tall = sorted(c for c in set("".join(wrapper.itertext()))
                  if ord(c) > 0x2000 and family_setting(c, script, choice) in families)
    if not tall:
        return 0
    runs = re.compile("([" + "".join(re.escape(c) for c in tall) + "]+)")
    count = 0
    skipped: set = set()
    for el in list(wrapper.iter()):
        if not isinstance(el.tag, str):
            continue
        inside = el in skipped or _local(el.tag) in _SKIP
        if inside:
            skipped.update(el.iterdescendants())
        if el.text and not inside and runs.search(el.text):
            el.text, spans = _spans(runs.split(el.text))
            for n, span in enumerate(spans):
                el.insert(n, span)
            count += len(spans)
        parent = el.getparent()
        if el.tail and parent is not None and parent not in skipped and (
                _local(parent.tag) not in _SKIP) and runs.search(el.tail):
            el.tail, spans = _spans(runs.split(el.tail))
            at = parent.index(el)
            for n, span in enumerate(spans, 1):
                parent.insert(at + n, span)
            count += len(spans)
    return count
