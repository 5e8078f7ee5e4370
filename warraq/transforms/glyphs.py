"""Every character the outputs show must have a glyph: checked before anything is written.

Each character of the book (chapter text, footnotes, the metadata the title page and
copyright page show, the computed dateline, the fixed words of the templates) is set
by the first family of its script's font stack (`warraq.fonts.family_setting`) that has
it. A character no family has is error W400 at its file, line and column in the source
(`U+02F9 MODIFIER LETTER BEGIN HIGH TONE`), never a box in the output.

The transform sets `Book.fonts` (a `warraq.model.FontUsage`): which characters each
family sets, in which styles, so the EPUB writer can embed each font subset to exactly
those and both outputs credit the families used. `family_usage(book)` and the like read it.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import defaultdict
from functools import lru_cache
from types import MappingProxyType
from typing import Iterator

import lxml.etree as ET

from .. import __version__
from ..errors import Diagnostics
from ..fonts import family_names, family_setting, needs_glyph
from ..heads import shown_texts
from ..model import Book, FontUsage
from ..xhtml import parse_fragment
from .language import script_of_lang

#: Words the templates themselves print (Latin script), and what CSS generates (list
#: markers, footnote numbers): the book face must always have these.
TEMPLATE_TEXT = ("Contents Title page Start of content Notes Back to reference Published by "
                 "Made with Set in warraq " + __version__ + " 0123456789 . , : ; · – — "
                 "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ ivxlcdm IVXLCDM")


#: Elements and classes the stylesheets set in italic or bold (for which font files the
#: EPUB needs; a style missed here is synthesised by the reader from the regular face).
ITALIC_TAGS = {"em", "i", "cite", "var", "dfn", "address"}
ITALIC_CLASSES = {"dateline", "attribution", "book-subtitle", "article-subtitle"}
BOLD_TAGS = {"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "th", "dt"}

#: (weight, style) of plain text.
REGULAR = (400, "normal")


def _style(el: ET._Element, style: tuple[int, str]) -> tuple[int, str]:
    weight, slant = style
    classes = set((el.get("class") or "").split())
    if el.tag in ITALIC_TAGS or classes & ITALIC_CLASSES or (
            el.tag == "footer" and "verse-reference" not in classes):
        slant = "italic"
    if el.tag in BOLD_TAGS:
        weight = 700
    return weight, slant


def _walk(el: ET._Element, script: str, script_lang: str, style=REGULAR
          ) -> Iterator[tuple[str, str, tuple[int, str]]]:
    lang = el.get("lang")
    if lang is not None:
        script = script_of_lang(lang, script_lang)
    style = _style(el, style)
    if el.text:
        yield el.text, script, style
    for child in el:
        if isinstance(child.tag, str):
            yield from _walk(child, script, script_lang, style)
        if child.tail:
            yield child.tail, script, style
    for name in ("alt", "title", "aria-label"):
        if el.get(name):
            yield el.get(name), script, style


def book_texts(book: Book) -> Iterator[tuple[str, str, str, tuple[int, str]]]:
    """(text, script, source file, (weight, style)) of everything the outputs show."""
    meta = book.meta
    script_lang = meta.script_lang
    book_script = script_of_lang(meta.lang, script_lang)
    bold, italic = (700, "normal"), (400, "italic")
    shown = [(meta.title, bold), (meta.title, REGULAR), (meta.subtitle, italic),
             (meta.subtitle, REGULAR), (meta.collection, REGULAR), (meta.publisher, REGULAR),
             (meta.rights, REGULAR), (meta.identifier, REGULAR)]
    shown += [(name, REGULAR) for name in meta.authors]
    shown += [(c.name, REGULAR) for c in meta.contributors]
    for text, style in shown:
        if text:
            yield text, book_script, "book.yaml", style
    dates = book.dates
    for value in (dates.gregorian_text, dates.hijri_text, dates.dateline_text) if dates else ():
        if value:
            yield value, book_script, "book.yaml", REGULAR
            yield value, book_script, "book.yaml", italic
    yield TEMPLATE_TEXT, "latin", "(templates)", REGULAR
    yield "Contents", "latin", "(templates)", bold
    for chapter in book.chapters:
        script = script_of_lang(chapter.lang or meta.lang, script_lang)
        yield chapter.title, script, chapter.source, REGULAR
        if chapter.article is not None:     # a volume's article: its title block
            styles = {"bold": bold, "italic": italic, "regular": REGULAR}
            yield from ((t, script, f"{chapter.article.folder}/book.yaml", styles[st])
                        for t, st in shown_texts(chapter.article))
        for html in [chapter.html] + [n.html for n in chapter.footnotes]:
            yield from ((t, s, chapter.source, st)
                        for t, s, st in _walk(parse_fragment(html), script, script_lang))


def family_usage(book: Book) -> dict[str, frozenset[str]]:
    """family -> the characters it sets in this book (only families that set any)."""
    return dict(_usage(book).chars)


def families_used(book: Book) -> list[str]:
    """The families that set at least one character of the book, in fallback order
    (what the copyright pages credit)."""
    return list(_usage(book).families)


def family_styles(book: Book) -> dict[str, frozenset[tuple[int, str]]]:
    """family -> the (weight, style) pairs it sets text in (only families that set any)."""
    return dict(_usage(book).styles)


def _usage(book: Book) -> FontUsage:
    """`Book.fonts`, or (for a Book that has not been through the transforms) worked out."""
    return book.fonts if book.fonts is not None else analyse(book)[0]


def analyse(book: Book) -> tuple[FontUsage, list[tuple[str, str]]]:
    """Which family sets which characters in which styles, and (character, source file)
    of every character no family has."""
    usage: dict[str, set[str]] = defaultdict(set)
    styles: dict[str, set[tuple[int, str]]] = defaultdict(set)
    missing: dict[tuple[str, str], None] = {}
    for text, script, source, style in book_texts(book):
        for char in set(text):
            if not needs_glyph(char) or char in "\n\t\r":
                continue
            family = _setting(char, script)
            if family is None:
                missing[(char, source)] = None
            else:
                usage[family].add(char)
                styles[family].add(style)
    fonts = FontUsage(
        MappingProxyType({f: frozenset(usage[f]) for f in family_names() if usage.get(f)}),
        MappingProxyType({f: frozenset(styles[f]) for f in family_names() if styles.get(f)}))
    return fonts, list(missing)


@lru_cache(maxsize=4096)
def _setting(char: str, script: str) -> str | None:
    return family_setting(char, script)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def check(book: Book, missing: list[tuple[str, str]] | None = None) -> Diagnostics:
    """A W400 diagnostic for every place of every character no font has (`missing` as
    `analyse` gives it, worked out when not given)."""
    diags = Diagnostics()
    fonts = ", ".join(family_names())
    for char, source in sorted(analyse(book)[1] if missing is None else missing):
        found = book.source(source)
        message = (f"{_describe(char)} has no glyph in any font warraq sets text in "
                   f"({fonts}): replace the character or remove it")
        for line, col in (found.places(char) if found else []) or [(None, None)]:
            diags.add(source, line, "W400", message, column=col)
    return diags


def transform(book: Book) -> Book:
    """Set `Book.fonts`; raise `SourceError` (W400) if some character has no glyph."""
    fonts, missing = analyse(book)
    check(book, missing).raise_if_any()
    return dataclasses.replace(book, fonts=fonts)
