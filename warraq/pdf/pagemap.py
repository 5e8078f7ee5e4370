"""The print edition's page numbers, carried into the EPUB.

How it works (no guessing from extracted PDF text):

1. `numbered(book)`: before the PDF is laid out, every block element of every chapter
   (p, li, h1-h6, td, ...) gets `data-wq-block="<chapter id>:<n>"`, n counting the
   blocks of the chapter's model XHTML in document order. The attribute changes nothing
   in the PDF (WeasyPrint ignores data attributes) and is never written to the EPUB.
2. `page_map(document, ...)`: after WeasyPrint has laid the PDF out, the layout boxes of
   each page are walked in order (margin boxes, the footnote area, footnote calls and
   other generated content are skipped). The first text box of the main flow says which
   block the page begins in and which words stand at its top; how much of that block's
   text was laid out on earlier pages says where in the block those words are.
3. `insert_markers(...)`: the EPUB writer numbers the same model XHTML the same way,
   finds the words in the block (the occurrence nearest to the expected position) and
   puts `<span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="N"/>`
   right before them (before the element when the page begins with a heading; before
   the whole word when the print edition hyphenated it across the pages).

Pages that begin outside the chapters (title, copyright, contents) or are blank get no
entry. The page label is the printed folio, read from the page's margin boxes (a number,
arabic or lower-case roman, as `counter(page)` printed it); on a page that prints none it
follows on from the page before, or, failing that, is the page's position in the PDF.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import lxml.etree as ET

from ..model import Book
from ..xhtml import parse_fragment, serialise_children

ATTR = "data-wq-block"
BEFORE, AFTER = -1, -2
BLOCK_TAGS = frozenset((
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
    "figcaption", "pre", "blockquote", "div", "figure", "table", "ol", "ul", "dl", "section",
    "header", "footer", "aside", "hr",
))
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
EPUB_NS = "http://www.idpf.org/2007/ops"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageStart:
    """Where one printed page begins: in block `block` of chapter `chapter`, at the words
    `text`, after about `before` characters of that block's own text."""

    label: str
    chapter: str
    block: int          # BEFORE / AFTER: before or after the chapter's own text (in text
    #                     the template adds there, such as an article's title block)
    text: str
    before: int


@dataclass(frozen=True)
class PageMap:
    """The page starts of a print edition, in page order, and what that edition is."""

    source: str
    pages: tuple[PageStart, ...]

    def for_chapter(self, chapter_id: str) -> list[PageStart]:
        return [p for p in self.pages if p.chapter == chapter_id]


def _blocks(wrapper: ET._Element) -> list[ET._Element]:
    return [el for el in wrapper.iterdescendants()
            if isinstance(el.tag, str) and el.tag in BLOCK_TAGS]


def number_blocks(html: str, chapter_id: str) -> str:
    """The fragment with `data-wq-block` on every block element."""
    wrapper = parse_fragment(html)
    for n, el in enumerate(_blocks(wrapper)):
        el.set(ATTR, f"{chapter_id}:{n}")
    return serialise_children(wrapper)


def numbered(book: Book) -> Book:
    """The Book whose chapters' blocks carry `data-wq-block` (give this one to the PDF)."""
    chapters = tuple(dataclasses.replace(c, html=number_blocks(c.html, c.id))
                     for c in book.chapters)
    return dataclasses.replace(book, chapters=chapters)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text)


# ---------------------------------------------------------------- reading the layout

def _skip(box) -> bool:
    from weasyprint.formatting_structure import boxes
    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return True
    if "::" in (box.element_tag or ""):          # ::before, ::after, ::footnote-call, ...
        return True
    element = box.element
    if element is not None and hasattr(element, "get"):
        if "footnote" in (element.get("class") or "").split():
            return True
    return False


def _text_boxes(box, block, chapter, chapters, line, table=None, repeated=False):
    """(text box, block key, chapter id, line box, table key, in a table header/footer)
    in layout order, generated content left out."""
    from weasyprint.formatting_structure import boxes
    if _skip(box):
        return
    element = box.element
    if element is not None and hasattr(element, "get") and not isinstance(box, boxes.TextBox):
        block = element.get(ATTR) or block
        if element.get("id") in chapters:
            chapter = element.get("id")
        if isinstance(box, boxes.TableBox):
            table = element.get(ATTR) or table
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        repeated = True
    if isinstance(box, boxes.LineBox):
        line = box
    if isinstance(box, boxes.TextBox):
        yield box, block, chapter, line, table, repeated
        return
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, block, chapter, chapters, line, table, repeated)


_FOLIO = re.compile(r"\d+|[ivxlcdm]+")


def _folio(page_box) -> str | None:
    """The page number printed in a margin box of the page, if any."""
    from weasyprint.formatting_structure import boxes
    for margin in page_box.children:
        if not isinstance(margin, boxes.MarginBox):
            continue
        text = "".join(b.text for b in margin.descendants()
                       if isinstance(b, boxes.TextBox)).strip()
        if _FOLIO.fullmatch(text):
            return text
    return None


def printed_folio(page) -> str | None:
    """The page number printed on a page of a laid-out document, if any (a page taken
    from the build cache, `warraq.pdf.written`, says its own)."""
    if not hasattr(page, "_page_box"):
        return page.label
    return _folio(page._page_box)


def page_labels(document) -> list[str]:
    """The printed number of every page of a laid-out WeasyPrint `document` (a page
    without one: the one before's plus one, or its place in the document)."""
    labels: list[str] = []
    for index, page in enumerate(document.pages):
        folio = printed_folio(page)
        if folio is None:
            previous = labels[-1] if labels else None
            folio = str(int(previous) + 1) if previous and previous.isdigit() else str(index + 1)
        labels.append(folio)
    return labels


def page_starts(document, book: Book, labels: list[str]) -> list[PageStart | None]:
    """Where each page of `document` begins (None: a page without the book's text), a
    label printed twice not yet left out. Each chapter's are its own (its blocks and
    tables are named by it), so a page taken from the build cache says its own."""
    chapters = frozenset(c.id for c in book.chapters)
    laid_out: dict[str, int] = {}
    tables_seen: set[str] = set()
    out: list[PageStart | None] = []
    for index, page in enumerate(document.pages):
        if not hasattr(page, "_page_box"):      # (its label is the book's, not the cache's)
            out.append(None if page.start is None else dataclasses.replace(
                page.start, label=labels[index]))
            continue
        first = None
        needle: list[str] = []
        seen_here: dict[str, int] = {}
        tables_here: set[str] = set()
        previous = None
        for box, block, chapter, line, table, repeated in _text_boxes(
                page._page_box, None, None, chapters, None):
            if table:
                tables_here.add(table)
                if repeated and table in tables_seen:
                    continue            # a table header repeated on a following page
            text = _norm(box.text)
            if first is None:
                if not text.strip():
                    continue
                first = (block, chapter, line)
                needle.append(text)
                previous = box
            elif (block, line) == (first[0], first[2]) and previous is not None and (
                    _following(previous, box)):
                needle.append(text)
                previous = box
            else:
                previous = None
            if block:
                seen_here[block] = seen_here.get(block, 0) + len(text)
        start = None
        if first is not None and first[1] is not None:
            block, chapter, _ = first
            if block and block.rsplit(":", 1)[0] == chapter:
                n = int(block.rsplit(":", 1)[1])
            else:       # text the template adds: before the chapter's blocks, or after them
                started = any(key.rsplit(":", 1)[0] == chapter for key in laid_out)
                block, n = None, (AFTER if started else BEFORE)
            start = PageStart(labels[index], chapter, n, "".join(needle).strip(),
                              laid_out.get(block, 0) if block else 0)
        out.append(start)
        for key, count in seen_here.items():
            laid_out[key] = laid_out.get(key, 0) + count
        tables_seen |= tables_here
    return out


def page_map(document, book: Book, source: str,
             starts: list[PageStart | None] | None = None) -> PageMap:
    """Where each page of a laid-out WeasyPrint `document` of `numbered(book)` begins
    (`starts`: its `page_starts`, if they are known)."""
    if starts is None:
        starts = page_starts(document, book, page_labels(document))
    pages: list[PageStart] = []
    used: set[str] = set()          # a label printed twice keeps its first page only
    for start in starts:
        if start is not None and start.label not in used:
            used.add(start.label)
            pages.append(start)
    return PageMap(source, tuple(pages))


def _following(a, b) -> bool:
    """Whether text box b directly follows a on the same line (nothing skipped between)."""
    return abs((a.position_x + a.margin_width()) - b.position_x) < 0.5


# ---------------------------------------------------------------- writing the markers

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _own_text(block: ET._Element) -> list[tuple[ET._Element, str, int]]:
    """The block's own text, as (node, "text"|"tail", length) in document order: text of
    nested blocks is left out (it belongs to them), and so is a formula's (MathML may
    hold no marker: a page break falls before or after it)."""
    out: list[tuple[ET._Element, str, int]] = []

    def walk(el: ET._Element, top: bool) -> None:
        if not top and (el.tag in BLOCK_TAGS or str(el.tag).startswith(MATHML)):
            return
        if el.text:
            out.append((el, "text", len(el.text)))
        for child in el:
            walk(child, False)
            if child.tail:
                out.append((child, "tail", len(child.tail)))
    walk(block, True)
    return out


def _normalised_positions(pieces) -> tuple[str, list[tuple[int, int]]]:
    """The whitespace-collapsed text and, per character, (piece index, offset in piece)."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for i, (node, attr, _) in enumerate(pieces):
        raw = getattr(node, attr)
        for j, ch in enumerate(raw):
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            where.append((i, j))
    return "".join(chars), where


def _occurrences(text: str, needle: str) -> list[int]:
    """Where `needle` begins in `text`, each occurrence after the end of the one before
    (as `re.finditer` finds them; a plain search compiles no pattern per page)."""
    hits, at = [], text.find(needle)
    while at >= 0:
        hits.append(at)
        at = text.find(needle, at + len(needle))
    return hits


def _find(text: str, needle: str, near: int) -> int | None:
    """Where `needle` (or the longest prefix found) begins in `text`, nearest `near`."""
    needle = needle.strip().rstrip("\u2010-")
    folded = None
    while needle:
        hits = _occurrences(text, needle)
        if not hits:
            folded = folded if folded is not None else text.casefold()
            hits = _occurrences(folded, needle.casefold())
        if hits:
            return min(hits, key=lambda h: abs(h - near))
        cut = needle.rfind(" ")
        if cut <= 0:
            return None
        needle = needle[:cut].strip()
    return None


def _marker(label: str) -> ET._Element:
    span = ET.Element("span")
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{label}")
    span.set("aria-label", label)
    return span


def _insert_at(block: ET._Element, pieces, where, pos: int, marker: ET._Element) -> None:
    piece, offset = where[pos]
    node, attr, _ = pieces[piece]
    raw = getattr(node, attr)
    if attr == "text":
        node.text = raw[:offset] or None
        marker.tail = raw[offset:]
        node.insert(0, marker)
    else:
        node.tail = raw[:offset] or None
        marker.tail = raw[offset:]
        node.addnext(marker)


def insert_markers(wrapper: ET._Element, starts: list[PageStart]) -> list[str]:
    """Put the page-break markers of one chapter into its parsed model XHTML (a wrapper
    as `parse_fragment` makes it); return the labels placed, in order."""
    blocks = _blocks(wrapper)
    placed = []
    for start in starts:
        marker = _marker(start.label)
        if start.block in (BEFORE, AFTER):
            continue                # the writer puts these before or after the text
        if not 0 <= start.block < len(blocks):
            wrapper.append(marker)  # cannot happen with the same numbering; never lose one
            placed.append(start.label)
            continue
        block = blocks[start.block]
        if block.tag in HEADINGS:
            block.addprevious(marker)       # a page that opens with a heading
            placed.append(start.label)
            continue
        pieces = _own_text(block)
        if not pieces:
            marker.tail = block.text
            block.text = None
            block.insert(0, marker)
        else:
            text, where = _normalised_positions(pieces)
            pos = _find(text, start.text, start.before) or 0
            while 0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum():
                pos -= 1    # the print edition hyphenated this word: mark its start
            _insert_at(block, pieces, where, pos, marker)
        placed.append(start.label)
    return placed
