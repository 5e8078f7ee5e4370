"""Hyphenation a typesetter would sign, mended after layout.

WeasyPrint knows `hyphenate-limit-chars` but not `hyphenate-limit-lines`, and it cannot
tell, when it hyphenates a line, that the line will be the last of its page. So the book
is laid out, `faults(document)` reads the lines back from the layout and names the
broken words that must not break (the third hyphenated line in a row, the last line of a
page), and the next layout keeps those words whole (`warraq.pdf.relayout` sets them in
WeasyPrint's box tree and lays out again only the pages they can change;
`warraq.pdf.book` mends while new faults turn up).

A word is named by where the break falls in its block: the block's `data-wq-block` (as
`warraq.pdf.pagemap` numbers them) or the footnote's `data-wq-note`, and how many
characters of the block's text (white space, soft hyphens, zero-width spaces and U+2010
not counted) come before the break. Counting the same way in the laid-out lines and in
the box tree before layout gives the same place without matching any text.
"""

from __future__ import annotations

import re

from .pagemap import ATTR

NOTE_ATTR = "data-wq-note"
#: At most this many hyphenated lines in a row.
LIMIT = 2
#: Not counted: WeasyPrint's hyphen, the soft hyphen, and the zero-width space
#: `warraq.linebreaks` puts into long runs.
_UNCOUNTED = frozenset("\u2010\u00ad\u200b")

Fault = tuple[str, int]     # (block or note key, characters of its text before the break)


def faults_of(value) -> frozenset[Fault]:
    """Faults from their plain form (lists of [key, at], as filed or sent between
    processes)."""
    return frozenset((str(key), int(at)) for key, at in value)


#: What `_count` leaves out (`\s` matches what `str.isspace` calls white space).
_NOT_COUNTED = re.compile(r"[\s\u2010\u00ad\u200b]+")


def _count(text: str) -> int:
    return len(text) - sum(len(m) for m in _NOT_COUNTED.findall(text))


# ---------------------------------------------------------------- reading the layout

def _key(box, key: str | None) -> str | None:
    element = box.element
    if element is None or not hasattr(element, "get") or "::" in (box.element_tag or ""):
        return key
    if element.get(NOTE_ATTR):
        return "note:" + element.get(NOTE_ATTR)
    return element.get(ATTR) or key


def _lines(box, key, out: list) -> None:
    """(line box, [(text, key)]) of every line under `box`, in layout order; generated
    text (markers, footnote calls) and the footnote area left out."""
    from weasyprint.formatting_structure import boxes
    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return
    if "::" in (box.element_tag or ""):
        return
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        return          # repeated on every page of the table: counted once, not here
    key = _key(box, key)
    if isinstance(box, boxes.LineBox):
        texts: list = []
        _texts(box, key, texts)
        out.append((box, texts))
        return
    for child in getattr(box, "children", ()):
        _lines(child, key, out)


def _texts(box, key, out: list) -> None:
    from weasyprint.formatting_structure import boxes
    if "::" in (box.element_tag or ""):
        return
    key = _key(box, key)
    if isinstance(box, boxes.TextBox):
        out.append((box.text, key))
        return
    for child in getattr(box, "children", ()):
        _texts(child, key, out)


def _ends(texts) -> tuple[bool, bool]:
    """(ends in a hyphen WeasyPrint added, ends in any hyphen)."""
    last = next((t for t, _ in reversed(texts) if t.strip()), "").rstrip()
    return last.endswith("\u2010"), last.endswith(("\u2010", "-"))


def _stream_faults(lines, counted: dict[str, int], page_ends: set[int]) -> set[Fault]:
    """The faults of one stream of lines (the main flow, or one footnote area)."""
    found: set[Fault] = set()
    run = 0
    for index, texts in enumerate(lines):
        for text, key in texts:
            if key is not None:
                counted[key] = counted.get(key, 0) + _count(text)
        auto, hyphen = _ends(texts)
        run = run + 1 if hyphen else 0
        key = next((k for t, k in reversed(texts) if t.strip()), None)
        if auto and key is not None and (run > LIMIT or index in page_ends):
            found.add((key, counted[key]))
            run = 0         # the mended line breaks before the word: the run ends here
    return found


#: Where `page_lines` keeps a page's lines on its page box (a page finished with its
#: margin boxes is a copy of the page laid out, `warraq.pdf.relayout`, and keeps them).
LINES = "warraq_lines"


def page_lines(page_box) -> tuple[list, list]:
    """The lines of a laid-out page, its main flow's and its footnotes', each line the
    [(text, key)] of its text; read once per page (kept on the page box)."""
    known = page_box.__dict__.get(LINES)
    if known is not None:
        return known
    from weasyprint.formatting_structure import boxes
    main: list = []
    notes: list = []
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox):
            for note in child.children:
                _lines(note, None, notes)
        elif not isinstance(child, boxes.MarginBox):
            _lines(child, None, main)
    known = ([texts for _, texts in main], [texts for _, texts in notes])
    setattr(page_box, LINES, known)
    return known


def faults(document) -> set[Fault]:
    """The words to keep whole in the next layout of `document`'s source."""
    main: list = []
    page_ends: set[int] = set()
    counted: dict[str, int] = {}
    found: set[Fault] = set()
    for page in document.pages:
        if not hasattr(page, "_page_box"):      # a chapter from the cache says its own
            found |= page.written.faults        # (`warraq.pdf.written`)
            continue
        lines, notes = page_lines(page._page_box)
        if notes:
            found |= _stream_faults(notes, counted, set())
        main += lines
        if lines:
            page_ends.add(len(main) - 1)
    return found | _stream_faults(main, counted, page_ends)


def page_counts(page_box) -> tuple[dict[str, int], dict[str, int]]:
    """The characters (counted as `faults` counts them) of each key on a laid-out page,
    its main flow and its footnotes, and those of its main flow's first line."""
    lines, notes = page_lines(page_box)
    counts: dict[str, int] = {}
    for texts in lines + notes:
        for text, key in texts:
            if key is not None:
                counts[key] = counts.get(key, 0) + _count(text)
    head: dict[str, int] = {}
    for text, key in (lines[0] if lines else ()):
        if key is not None:
            head[key] = head.get(key, 0) + _count(text)
    return counts, head


def word_at(text: str, need: int) -> tuple[int, int] | None:
    """(start, end) in `text` of the word a break after `need` counted characters falls
    in; None if the break is at the text's edge or at a space (no word is broken)."""
    pos = 0
    while pos < len(text) and (need or text[pos].isspace() or text[pos] in _UNCOUNTED):
        if not text[pos].isspace() and text[pos] not in _UNCOUNTED:
            need -= 1
        pos += 1
    if pos == 0 or pos >= len(text) or text[pos - 1].isspace() or text[pos].isspace():
        return None
    start, end = pos, pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
