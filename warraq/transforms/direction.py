"""The direction of each paragraph, and English kept left to right inside Arabic lines.

Runs after `language`. For every paragraph-like block (p, li, h1-h6, dt, dd, td, th,
figcaption, caption) without a `dir`:

- its direction follows its first strong character, as HTML's `dir="auto"` (except that
  the Arabic `language` wrapped in spans counts: it is still the paragraph's text). So a
  mostly-Arabic paragraph with English in it is `dir="rtl"` in an English book, and an
  English paragraph in an Arabic book is `dir="ltr"` (with `lang="en"` when all its
  letters are Latin, and its Arabic runs in their own spans, as in an English book);
- inside a right-to-left block, each run of Latin script (letters, and the digits and
  punctuation between and after them, as `Qur'an 14:7`) is wrapped in
  `<span dir="ltr">` (with `lang="en"` in a book whose language is not English), which
  the stylesheets isolate and never hyphenate.

An element with a `dir` (the author's, or `language`'s) is left as it is, and so is
everything inside it. The book's direction is `warraq.furniture.direction` of the
chapter's (or book's) `lang`.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import lxml.etree as ET

from .. import furniture
from ..model import Book, Chapter
from ..xhtml import parse_fragment, serialise_children
from .language import has_rtl_script, script_of_char, tag_fragment

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th",
          "figcaption", "caption", "footer"}
#: The language warraq gives Latin-script text inside a book in another language.
LATIN_LANG = "en"
_SKIP = {"code", "kbd", "samp", "pre", "var", "math", "svg"}
#: Elements that are not phrasing content: a Latin run ends at one (a span cannot hold
#: it), and the blocks inside are given their own direction.
FLOW = BLOCKS | {"ul", "ol", "dl", "div", "blockquote", "table", "thead", "tbody", "tfoot",
                 "tr", "figure", "section", "aside", "pre", "hr", "header", "nav",
                 "address", "details", "summary", "article", "main", "hgroup", "menu"}


def _strong(ch: str) -> str | None:
    """"rtl", "ltr" or None (not a strong character)."""
    if script_of_char(ch):
        return "rtl" if unicodedata.category(ch)[0] == "L" else None
    return "ltr" if unicodedata.category(ch)[0] == "L" else None


def _texts(el: ET._Element):
    """The text of `el` in document order (code included: it is left to right)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child.tail


def first_strong(el: ET._Element) -> str | None:
    for text in _texts(el):
        for ch in text:
            found = _strong(ch)
            if found:
                return found
    return None


def _all_latin(el: ET._Element) -> bool:
    return all(_strong(ch) != "rtl" for text in _texts(el) for ch in text)


def _kind(ch: str) -> str:
    """"L" a Latin letter, "R" an Arabic-script or Hebrew letter, "D" a digit, "N" else
    ("B", a block element, ends a run: `_element_kind`)."""
    strong = _strong(ch)
    if strong:
        return "L" if strong == "ltr" else "R"
    return "D" if "0" <= ch <= "9" else "N"


def _element_kind(el: ET._Element) -> str:
    if el.tag in FLOW:
        return "B"
    if el.get("dir") == "rtl" or first_strong(el) == "rtl" and not _all_latin(el):
        return "R"
    if el.get("dir") == "ltr" or el.tag in _SKIP:
        return "L"
    return "L" if first_strong(el) == "ltr" else "N"


def latin_runs(kinds: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every Latin-script run in a sequence of kinds (`_kind`): from a
    Latin letter to the last Latin letter or digit before the next right-to-left letter
    (so `Qur'an 14:7` is one run, and the punctuation around it stays outside)."""
    out, i, n = [], 0, len(kinds)
    while i < n:
        if kinds[i] != "L":
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < n and kinds[j] not in "RB":
            if kinds[j] in "LD":
                end = j
            j += 1
        out.append((start, end + 1))
        i = j
    return out


def _span(lang: str | None) -> ET._Element:
    span = ET.Element("span")
    if lang:
        span.set("lang", lang)
    span.set("dir", "ltr")
    return span


def _append(parent: ET._Element, node) -> None:
    """Append text or an element at the end of `parent`'s content."""
    if isinstance(node, str):
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + node
        else:
            parent.text = (parent.text or "") + node
    else:
        parent.append(node)


def isolate_latin(el: ET._Element, lang: str | None,
                  on_block=lambda block: None) -> None:
    """Wrap each Latin run of `el`'s content, across inline elements (`*Commentary*`
    inside an English phrase is one run with it), in `<span dir="ltr">`. A block inside
    (a list in a list item) ends a run and is handed to `on_block`."""
    items: list = [el.text] if el.text else []
    for child in list(el):
        tail, child.tail = child.tail, None
        el.remove(child)
        items.append(child)
        if tail:
            items.append(tail)
    el.text = None
    tokens: list[tuple[object, str]] = []      # (a character or an element, its kind)
    for item in items:
        if isinstance(item, str):
            tokens.extend((ch, _kind(ch)) for ch in item)
        elif not isinstance(item.tag, str):
            tokens.append((item, "N"))
        else:
            tokens.append((item, _element_kind(item)))
    runs = latin_runs([kind for _, kind in tokens])
    starts = {start: end for start, end in runs}
    k = 0
    while k < len(tokens):
        if k in starts:
            span = _span(lang)
            for node, _kind_ in tokens[k:starts[k]]:
                _append(span, node)
            _append(el, span)
            k = starts[k]
            continue
        node, kind = tokens[k]
        if (kind == "R" and not isinstance(node, str) and isinstance(node.tag, str)
                and node.get("dir") is None and node.tag not in _SKIP):
            isolate_latin(node, lang, on_block)
        _append(el, node)
        if kind == "B":
            on_block(node)
        k += 1


def _ltr_in_rtl_book(el: ET._Element, script_lang: str) -> ET._Element:
    """An English paragraph of a right-to-left book: `dir="ltr"`, `lang="en"`, and its
    Arabic runs wrapped as in an English book."""
    if _all_latin(el):
        el.set("lang", LATIN_LANG)
    else:
        tagged = parse_fragment(tag_fragment(ET.tostring(el, encoding="unicode"), "latin",
                                             script_lang))[0]
        tagged.tail = el.tail
        el.getparent().replace(el, tagged)
        el = tagged
        el.set("lang", LATIN_LANG)
    el.set("dir", "ltr")
    return el


def orient(wrapper: ET._Element, book_dir: str, book_lang: str, script_lang: str) -> None:
    """Set the direction of every block under `wrapper` (see the module)."""
    latin_lang = None if furniture.primary(book_lang) == LATIN_LANG else LATIN_LANG

    def visit(el: ET._Element, inherited: str) -> None:
        for child in list(el):
            one(child, inherited)

    def one(child: ET._Element, inherited: str) -> None:
        if not isinstance(child.tag, str) or child.tag in _SKIP:
            return
        if child.get("dir") is not None:
            return
        if child.tag in BLOCKS:
            strong = first_strong(child) or inherited
            if strong == "rtl":
                if inherited != "rtl":
                    child.set("dir", "rtl")
                isolate_latin(child, latin_lang, lambda block: one(block, "rtl"))
                return
            if inherited == "rtl":
                _ltr_in_rtl_book(child, script_lang)
                return
        visit(child, inherited)

    visit(wrapper, book_dir)


def orient_fragment(xhtml: str, book_dir: str, book_lang: str, script_lang: str) -> str:
    if book_dir == "ltr" and not has_rtl_script(xhtml):
        return xhtml
    wrapper = parse_fragment(xhtml)
    orient(wrapper, book_dir, book_lang, script_lang)
    return serialise_children(wrapper)


def _chapter(chapter: Chapter, book: Book) -> Chapter:
    lang = chapter.lang or book.meta.lang
    where = (furniture.direction(lang), lang, book.meta.script_lang)
    notes = tuple(dataclasses.replace(n, html=orient_fragment(n.html, *where))
                  for n in chapter.footnotes)
    return dataclasses.replace(chapter, html=orient_fragment(chapter.html, *where),
                               footnotes=notes)


def transform(book: Book) -> Book:
    """Give every block its direction and isolate English inside right-to-left lines."""
    return dataclasses.replace(book, chapters=tuple(_chapter(c, book) for c in book.chapters))
