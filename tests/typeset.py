"""The print finish read back from a PDF: its lines (pdfium's characters grouped by
baseline, with their font size in points), the text block, the body and footnote lines of
each page, and the faults a typesetter looks for (hyphen ladders, short fragments,
hyphens at a page's end, short pages, footnotes narrower than the text)."""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

#: Sizes the print stylesheet (templates/pdf/book.css) sets, in points.
BODY_PT, FOOTNOTE_PT, FURNITURE_PT, CHAPTER_TITLE_PT = 11.0, 8.5, 9.0, 20.0
#: The body's line pitch (11pt at line-height 1.4).
PITCH = BODY_PT * 1.4
#: WeasyPrint's hyphenation character (U+2010), and the author's own hyphen.
AUTO_HYPHEN, HYPHENS = "\u2010", ("\u2010", "-")


@dataclass(frozen=True)
class Line:
    """One line of a page: its text (left to right), its extent in points from the
    page's top left, and the font size most of its characters are set in."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    words: tuple[tuple[float, float], ...] = ()     # each word's left and right edge

    @property
    def first_word(self) -> float:
        """The width of the line's first word."""
        return self.words[0][1] - self.words[0][0] if self.words else 0.0

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def hyphenated(self) -> bool:
        """Ends in a hyphen: WeasyPrint's or a hard one the line broke after."""
        return self.text.rstrip().endswith(HYPHENS)

    def is_size(self, points: float) -> bool:
        return abs(self.size - points) < 0.2


def _chars(textpage, height: float):
    """(char, size in pt, x0, x1, baseline, top, bottom) of each drawn character: across,
    the glyph's advance (pdfium's loose box); up and down, its ink."""
    origin_x, origin_y, matrix = ctypes.c_double(), ctypes.c_double(), raw.FS_MATRIX()
    loose = raw.FS_RECTF()
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(textpage, i):
            continue
        char = chr(raw.FPDFText_GetUnicode(textpage, i))
        raw.FPDFText_GetMatrix(textpage, i, matrix)
        size = raw.FPDFText_GetFontSize(textpage, i) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c))
        raw.FPDFText_GetCharOrigin(textpage, i, origin_x, origin_y)
        _, bottom, _, top = textpage.get_charbox(i)
        raw.FPDFText_GetLooseCharBox(textpage, i, loose)    # across: the glyph's advance
        yield (char, size, loose.left, loose.right, height - origin_y.value, height - top,
               height - bottom)


def _lines_of(page_index: int, chars) -> list[Line]:
    """Characters grouped by baseline (a superscript joins the line it is raised from),
    each line's characters read left to right."""
    groups: list[dict] = []
    for char, size, x0, x1, base, top, bottom in chars:
        for group in groups:
            if abs(group["base"] - base) <= 0.45 * max(group["size"], size):
                break
        else:
            group = {"base": base, "size": size, "chars": []}
            groups.append(group)
        group["chars"].append((x0, char, size, x1, top, bottom, base))
    lines = []
    for group in groups:
        chars = sorted(group["chars"], key=lambda c: c[0])
        sizes: dict[float, int] = {}
        for c in chars:
            if not c[1].isspace():
                sizes[round(c[2], 1)] = sizes.get(round(c[2], 1), 0) + 1
        ink = [c for c in chars if not c[1].isspace()] or chars
        words: list[list] = []       # [left, right, text]: a space or a gap ends a word
        previous = None
        for c in chars:
            if c[1].isspace():
                previous = None
                continue
            if previous is None or c[0] - previous[3] > 0.15 * c[2]:
                words.append([c[0], c[3], c[1]])
            else:
                words[-1][1] = max(words[-1][1], c[3])
                words[-1][2] += c[1]
            previous = c
        text = " ".join(w[2] for w in words)
        text = unicodedata.normalize("NFC", text)
        size = max(sizes, key=sizes.get) if sizes else 0
        base = max((c[6] for c in ink if round(c[2], 1) == size), default=group["base"])
        lines.append(Line(page_index, text, min(c[0] for c in ink),
                          max(c[3] for c in ink), min(c[4] for c in ink),
                          max(c[5] for c in ink), base, size,
                          tuple((w[0], w[1]) for w in words)))
    return sorted(lines, key=lambda l: (l.top, l.x0))


def read_lines(path: Path) -> list[list[Line]]:
    """Every page's lines, top to bottom."""
    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(_lines_of(index, _chars(textpage, page.get_height())))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


@dataclass
class Page:
    """A page's body lines and footnote lines (running head and folio left out)."""

    index: int
    body: list[Line]
    notes: list[Line]
    opens_chapter: bool

    @property
    def lines(self) -> list[Line]:
        return self.body + self.notes


def pages(path: Path) -> list[Page]:
    """The pages, each with its body and footnote lines. The running head and the folio
    are the furniture-size lines above and below the rest."""
    out = []
    for index, lines in enumerate(read_lines(path)):
        if lines and lines[0].is_size(FURNITURE_PT):
            lines = lines[1:]
        if lines and lines[-1].is_size(FURNITURE_PT) and re.fullmatch(r"[\divxlc]+",
                                                                       lines[-1].text):
            lines = lines[:-1]
        notes = [l for l in lines if l.is_size(FOOTNOTE_PT)]
        body = [l for l in lines if not l.is_size(FOOTNOTE_PT)]
        out.append(Page(index, body, notes,
                        any(l.is_size(CHAPTER_TITLE_PT) for l in body)))
    return out


def text_block(all_pages: list[Page]) -> dict[int, tuple[float, float]]:
    """The text block's left and right edge on odd and even pages (parity 0 is the first
    page's): the extremes of the body text, which justified lines reach."""
    edges: dict[int, tuple[float, float]] = {}
    for page in all_pages:
        for line in page.body:
            if line.is_size(BODY_PT):
                left, right = edges.get(page.index % 2, (math.inf, -math.inf))
                edges[page.index % 2] = (min(left, line.x0), max(right, line.x1))
    return edges


# --- the faults ----------------------------------------------------------------------

def streams(all_pages: list[Page]) -> list[list[Line]]:
    """The body text as one stream of lines across pages, and each page's footnotes as a
    stream of its own: hyphen ladders are counted along a stream."""
    return [[l for p in all_pages for l in p.body]] + [p.notes for p in all_pages if p.notes]


def hyphen_runs(all_pages: list[Page]) -> list[list[Line]]:
    """Every run of consecutive lines ending in a hyphen, longest first."""
    runs = []
    for stream in streams(all_pages):
        run: list[Line] = []
        for line in stream:
            if line.hyphenated:
                run.append(line)
            else:
                if run:
                    runs.append(run)
                run = []
        if run:
            runs.append(run)
    return sorted(runs, key=len, reverse=True)


_LETTERS = re.compile(r"\w+", re.UNICODE)


def short_fragments(all_pages: list[Page], least: int = 3) -> list[str]:
    """Words WeasyPrint broke with fewer than `least` letters before or after the break,
    as `before-after`."""
    out = []
    for stream in streams(all_pages):
        for line, after in zip(stream, stream[1:]):
            if not line.text.endswith(AUTO_HYPHEN):
                continue
            head = _LETTERS.findall(line.text[:-1].split(" ")[-1])
            tail = _LETTERS.findall(after.text.split(" ")[0])
            head, tail = head[-1] if head else "", tail[0] if tail else ""
            if len(head) < least or len(tail) < least:
                out.append(f"{head}-{tail}")
    return out


def hyphens_at_page_end(all_pages: list[Page]) -> list[int]:
    """1-based pages whose body (or footnote area) ends in a broken word."""
    return [p.index + 1 for p in all_pages
            if any(part and part[-1].text.endswith(AUTO_HYPHEN) for part in (p.body, p.notes))]


def short_pages(all_pages: list[Page], lines: int = 2) -> list[tuple[int, float]]:
    """(1-based page, gap in lines) of each page with room for more than `lines` body
    lines below its text: its last baseline against the lowest of the pages without notes,
    or, on a page with notes, the space between its text and its notes against the
    narrowest such space. The last page before a chapter opens, a blank page or the end,
    and pages without body text (front matter) are left out."""
    def filled(page: Page) -> bool:
        return any(l.is_size(BODY_PT) for l in page.body)

    def foot(page: Page) -> float:
        return max(l.base for l in page.body)

    def space(page: Page) -> float:
        return page.notes[0].top - foot(page)

    filled_pages = [p for p in all_pages if filled(p)]
    lowest = max((foot(p) for p in filled_pages if not p.notes), default=None)
    narrowest = min((space(p) for p in filled_pages if p.notes), default=None)
    out = []
    for page, after in zip(all_pages, all_pages[1:]):
        if not filled(page) or not after.lines or after.opens_chapter or not filled(after):
            continue
        if page.notes:
            short = (space(page) - narrowest) / PITCH
        elif lowest is not None:
            short = (lowest - foot(page)) / PITCH
        else:
            continue
        if math.floor(short + 0.05) > lines:
            out.append((page.index + 1, round(short, 1)))
    return out


def narrow_footnote_lines(all_pages: list[Page]) -> list[tuple[int, str, float]]:
    """(1-based page, line, share of the text width) of every footnote line, not the last
    of its note, that ends so far short of the text block's right edge that the next
    line's first word would have fitted after it (with a space of a fifth of an em, and
    half a point to spare for the measuring). A
    note's last line is the line before the next note's marker (`2. `) or the area's
    last line."""
    edges = text_block(all_pages)
    out = []
    for page in all_pages:
        left, right = edges.get(page.index % 2, (0.0, 0.0))
        for line, after in zip(page.notes, page.notes[1:]):
            if re.match(r"[\d\u0660-\u0669]+\. ", after.text):
                continue
            if line.x1 + 0.2 * line.size + after.first_word < right - 0.5:
                out.append((page.index + 1, line.text, round(line.width / (right - left), 3)))
    return out


def widows_and_orphans(all_pages: list[Page]) -> list[tuple[int, str]]:
    """(1-based page, 'orphan'/'widow') where a paragraph of body text leaves a single line
    at a page's foot or head. A line is a paragraph's last when it ends short of the
    block's right edge; its first when it is indented or after a gap."""
    edges = text_block(all_pages)
    body = [p for p in all_pages if any(l.is_size(BODY_PT) for l in p.body)]
    out = []
    for page, after in zip(body, body[1:]):
        if not page.body or not after.body or after.opens_chapter:
            continue
        last, first = page.body[-1], after.body[0]
        if not (last.is_size(BODY_PT) and first.is_size(BODY_PT)):
            continue
        right = edges[page.index % 2][1]
        last_full = last.x1 > right - 2
        if last_full and first.x1 < edges[after.index % 2][1] - 2 and not (
                first.x0 > edges[after.index % 2][0] + 3):
            out.append((after.index + 1, "widow"))
        before = page.body[-2] if len(page.body) > 1 else None
        starts = last.x0 > edges[page.index % 2][0] + 3 or before is None or (
            last.top - before.bottom > PITCH * 0.6)
        if last_full and starts:
            out.append((page.index + 1, "orphan"))
    return out
