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

from lxml import etree as ET

from ..fonts import Choice, family_for, family_setting

#: The roles whose faces stretch a line of text.
TALL_ROLES = ("math", "symbols")
CLASS = "wq-sym"
#: Elements whose text is not a paragraph's.
_SKIP = frozenset({"math", "svg", "script", "style"})


def _runs(text: str, tall) -> list[tuple[str, bool]]:
    """`text` as runs of (characters, whether the tall faces set them)."""
    out: list[tuple[str, bool]] = []
    for char in text:
        flag = tall(char)
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + char, flag)
        else:
            out.append((char, flag))
    return out


def _spans(runs: list[tuple[str, bool]]) -> tuple[str, list[ET._Element]]:
    """The text before the first tall run, and a span for each tall run (its tail the
    text up to the next one)."""
    head, spans = "", []
    for text, flag in runs:
        if flag:
            span = ET.Element("span", {"class": CLASS})
            span.text = text
            spans.append(span)
        elif spans:
            spans[-1].tail = (spans[-1].tail or "") + text
        else:
            head += text
    return head, spans


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def mark_symbols(wrapper: ET._Element, script: str, choice: Choice = ()) -> int:
    """Put each run of characters the math or symbol face sets (for text in `script`)
    in a `wq-sym` span, in place; how many runs."""
    families = {family_for(role, choice) for role in TALL_ROLES} - {None}
    known: dict[str, bool] = {}

    def tall(char: str) -> bool:
        if char not in known:
            known[char] = ord(char) > 0x2000 and family_setting(
                char, script, choice) in families
        return known[char]
    count = 0
    skipped: set = set()
    for el in list(wrapper.iter()):
        if not isinstance(el.tag, str):
            continue
        inside = el in skipped or _local(el.tag) in _SKIP
        if inside:
            skipped.update(el.iterdescendants())
        if el.text and not inside and any(tall(c) for c in el.text):
            el.text, spans = _spans(_runs(el.text, tall))
            for n, span in enumerate(spans):
                el.insert(n, span)
            count += len(spans)
        parent = el.getparent()
        if el.tail and el is not wrapper and parent is not None and (
                parent not in skipped and _local(parent.tag) not in _SKIP) and any(
                tall(c) for c in el.tail):
            el.tail, spans = _spans(_runs(el.tail, tall))
            at = parent.index(el)
            for n, span in enumerate(spans, 1):
                parent.insert(at + n, span)
            count += len(spans)
    return count
