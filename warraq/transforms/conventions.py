"""The author's conventions, recognised without markup, as the fenced divs would mark them.

Runs first, on the XHTML the Markdown gave, and turns what authors write by habit into
exactly what the explicit blocks give (so the rest of the transforms cannot tell them
apart):

- **invocation**: a short Arabic line alone (one line, only Arabic letters) before the
  chapter's first paragraph becomes `<div class="invocation">` (`::: invocation`);
- **verse**: an Arabic passage in brackets (`[..]`, `﴿..﴾`, `(..)`) followed by at most
  two paragraphs of translation and a paragraph that is a Qur'anic reference
  (`[Al-Munafiqun: 4]`, `[Ibrahim 14:7]`, `(Qur'an 14:7)`, `[المنافقون: ٤]`, read by
  `warraq.quran`) becomes `<div class="verse">` (`::: verse`);
- **dateline**: the last lines of the book, a Hijri and a Gregorian date (on one
  paragraph's two lines or two paragraphs, the first optionally after the place and a
  comma), become `<div class="dateline">` holding the place (`::: dateline`), and the
  book's dates are set there. When they do not match book.yaml's `date` (or
  `hijri-date`) the build warns (W316) and the lines are set as written.

What is already inside a div is left alone: explicit fenced divs win. `conventions:
false` in book.yaml turns all of it off. `references` (run after `blocks`) reads the
reference of every verse block, explicit or recognised, into `Chapter.verses`.
"""

from __future__ import annotations

import dataclasses

import lxml.etree as ET

from .. import dateparse
from ..errors import warning
from ..model import Book, Chapter
from ..quran import parse_reference
from ..xhtml import parse_fragment, serialise_children, text_of
from .dates import hijri_of
from .language import arabic_letters_only, has_rtl_script

INVOCATION_MAX_CHARS = 120
_OPEN_CLOSE = {"[": "]", "﴿": "﴾", "(": ")", "﴾": "﴿"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _arabic_only(el: ET._Element) -> bool:
    return arabic_letters_only(text_of(el))


def _raw(el: ET._Element) -> str:
    """The element's text with its line breaks (`text_of` folds them)."""
    return "".join(el.itertext())


def _div(cls: str, blocks: list[ET._Element]) -> ET._Element:
    """`<div class=cls>` around `blocks`, put where the first of them was, laid out as
    the Markdown renderer lays out a fenced div."""
    parent = blocks[0].getparent()
    div = ET.Element("div")
    div.set("class", cls)
    div.tail = blocks[-1].tail
    parent.replace(blocks[0], div)
    for el in blocks[1:]:
        parent.remove(el)
    if blocks:
        div.text = "\n"
    for el in blocks:
        el.tail = "\n"
        div.append(el)
    return div


def _invocation(wrapper: ET._Element) -> None:
    blocks = [el for el in wrapper if isinstance(el.tag, str) and el.tag not in _HEADINGS]
    if len(blocks) < 2 or blocks[0].tag != "p" or blocks[1].tag not in ("p", "ol", "ul"):
        return
    first = blocks[0]
    text = _raw(first).strip()
    if (_arabic_only(first) and "\n" not in text and len(first) == 0
            and len(text) <= INVOCATION_MAX_CHARS and not _bracketed(first)):
        _div("invocation", [first])


def _bracketed(p: ET._Element) -> bool:
    text = text_of(p).strip()
    return len(text) > 2 and _OPEN_CLOSE.get(text[0]) == text[-1]


def _split_reference(p: ET._Element) -> None:
    """A translation whose last line is the reference: make the reference its own
    paragraph (only when that line is plain text at the end of the paragraph)."""
    holder, attr = (p[-1], "tail") if len(p) else (p, "text")
    text = getattr(holder, attr) or ""
    head, sep, last = text.rpartition("\n")
    if not sep or parse_reference(last) is None:
        return
    setattr(holder, attr, head)
    ref = ET.Element("p")
    ref.text = last
    ref.tail = p.tail
    p.tail = "\n"
    p.addnext(ref)


def _verses(wrapper: ET._Element) -> None:
    for p in [el for el in wrapper if el.tag == "p"]:
        if p.getparent() is None or not (_arabic_only(p) and _bracketed(p)):
            continue
        block, nxt = [p], p.getnext()
        while (nxt is not None and nxt.tag == "p" and not _arabic_only(nxt)
               and len(block) <= 3):
            _split_reference(nxt)          # may put the reference after it
            if parse_reference(text_of(nxt)) is not None:
                _div("verse", block + [nxt])
                break
            block.append(nxt)
            nxt = nxt.getnext()


def _lines(blocks: list[ET._Element]) -> list[str] | None:
    lines: list[str] = []
    for el in blocks:
        if el.tag != "p" or len(el):
            return None
        lines += [line.strip() for line in _raw(el).split("\n") if line.strip()]
    return lines


def _dateline(wrapper: ET._Element, book: Book, chapter: Chapter, warnings: list) -> None:
    tops = [el for el in wrapper if isinstance(el.tag, str)]
    for count in (1, 2):
        blocks = tops[-count:]
        lines = _lines(blocks) if len(tops) > count else None
        if lines and len(lines) == 2:
            break
    else:
        return
    place, first = dateparse.split_place(lines[0])
    hijri, greg = dateparse.hijri_date(first), dateparse.gregorian_date(lines[1])
    if hijri is None or greg is None:
        return
    meta = book.meta
    expected = (tuple(int(x) for x in meta.hijri_date.split("-")) if meta.hijri_date
                else hijri_of(meta.date) if meta.date else None)
    if meta.date is None and expected is None:
        _div("dateline", blocks)
        return
    # (a `date` before 1 AH has no Hijri date: any Hijri date written beside it is wrong)
    if (meta.date is not None and greg != meta.date) or hijri != expected:
        warnings.append(warning(chapter.source, _line_of(book, chapter, lines[0]), "W316",
                                f"the closing dates ({lines[0]}; {lines[1]}) are not the "
                                f"book's date ({book.dates.dateline_text if book.dates else ''}): "
                                "correct them or `date`/`hijri-date` in book.yaml; they are "
                                "set as written"))
        _div("dateline as-written", blocks)
        return
    for el in blocks[1:]:
        wrapper.remove(el)
    div = _div("dateline", [blocks[0]])
    if place:
        blocks[0].text = place
    else:
        div.remove(blocks[0])
        div.text = None


def _line_of(book: Book, chapter: Chapter, line: str) -> int | None:
    source = book.source(chapter.source)
    text = source.text if source else ""
    at = text.find(line)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def recognise(chapter: Chapter, book: Book, last: bool, warnings: list) -> Chapter:
    """The chapter with its conventions made explicit (see the module)."""
    if not has_rtl_script(chapter.html) and not last:
        return chapter
    wrapper = parse_fragment(chapter.html)
    _invocation(wrapper)
    _verses(wrapper)
    if last:
        _dateline(wrapper, book, chapter, warnings)
    return dataclasses.replace(chapter, html=serialise_children(wrapper))


def transform(book: Book) -> Book:
    """Recognise the invocation, verses and dateline of every chapter (unless turned off)."""
    if not book.meta.conventions or not book.chapters:
        return book
    warnings: list[str] = []
    last = book.chapters[-1]
    chapters = tuple(recognise(c, book, c is last, warnings) for c in book.chapters)
    return dataclasses.replace(book, chapters=chapters,
                               warnings=book.warnings + tuple(warnings))


def references(book: Book) -> Book:
    """Read the reference of every verse block into `Chapter.verses`."""
    chapters = []
    for chapter in book.chapters:
        found = []
        if "verse-reference" in chapter.html:
            for cite in parse_fragment(chapter.html).iter("cite"):
                footer = cite.getparent()
                if footer is not None and "verse-reference" in (footer.get("class") or ""):
                    ref = parse_reference(text_of(cite))
                    if ref is not None:
                        found.append(ref)
        chapters.append(dataclasses.replace(chapter, verses=tuple(found)))
    return dataclasses.replace(book, chapters=tuple(chapters))
