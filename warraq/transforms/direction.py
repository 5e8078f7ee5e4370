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
from .language import script_of_char, tag_fragment

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th",
          "figcaption", "caption"}
#: The language warraq gives Latin-script text inside a book in another language.
LATIN_LANG = "en"
_SKIP = {"code", "kbd", "samp", "pre", "var", "math", "svg"}


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


def latin_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every Latin-script run: from a Latin letter to the last Latin
    letter or digit before the next Arabic-script or Hebrew letter."""
    out, i, n = [], 0, len(text)
    while i < n:
        if _strong(text[i]) != "ltr":
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < n and _strong(text[j]) != "rtl":
            if _strong(text[j]) == "ltr" or "0" <= text[j] <= "9":
                end = j
            j += 1
        out.append((start, end + 1))
        i = j
    return out


def _wrap(text: str, lang: str | None) -> tuple[str | None, list[ET._Element]]:
    found = latin_runs(text)
    if not found:
        return text, []
    spans = []
    for k, (start, end) in enumerate(found):
        span = ET.Element("span")
        if lang:
            span.set("lang", lang)
        span.set("dir", "ltr")
        span.text = text[start:end]
        following = found[k + 1][0] if k + 1 < len(found) else len(text)
        span.tail = text[end:following] or None
        spans.append(span)
    return text[:found[0][0]] or None, spans


def isolate_latin(el: ET._Element, lang: str | None) -> None:
    """Wrap the Latin runs of `el`'s own text (not inside marked or code elements)."""
    if el.text:
        el.text, spans = _wrap(el.text, lang)
        for k, span in enumerate(spans):
            el.insert(k, span)
    for child in list(el):
        if (isinstance(child.tag, str) and child.tag not in _SKIP
                and child.get("dir") is None and child.get("lang") is None):
            isolate_latin(child, lang)
        if child.tail:
            child.tail, spans = _wrap(child.tail, lang)
            at = el.index(child) + 1
            for k, span in enumerate(spans):
                el.insert(at + k, span)


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
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            if child.get("dir") is not None:
                continue
            if child.tag in BLOCKS:
                strong = first_strong(child) or inherited
                if strong == "rtl":
                    if inherited != "rtl":
                        child.set("dir", "rtl")
                    isolate_latin(child, latin_lang)
                    continue
                if inherited == "rtl":
                    _ltr_in_rtl_book(child, script_lang)
                    continue
            visit(child, inherited)

    visit(wrapper, book_dir)


def orient_fragment(xhtml: str, book_dir: str, book_lang: str, script_lang: str) -> str:
    if book_dir == "ltr" and not any(script_of_char(ch) for ch in xhtml):
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
