"""Every character the outputs show must have a glyph: checked before anything is written.

Each character of the book (chapter text, footnotes, the metadata the title page and
copyright page show, the computed dateline, the fixed words of the templates) is set
by the first family of its script's font stack (`warraq.fonts.family_setting`) that has
it. A character no family has is error W400 at its file, line and column in the source
(`U+02F9 MODIFIER LETTER BEGIN HIGH TONE`), never a box in the output.

`family_usage(book)` tells the EPUB writer which characters each family sets, so it can
embed each font subset to exactly those.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import Iterator

import lxml.etree as ET

from .. import __version__
from ..errors import Diagnostics
from ..fonts import family_names, family_setting, needs_glyph
from ..model import Book
from ..xhtml import parse_fragment
from .language import script_of_lang

#: Words the templates themselves print (Latin script), and what CSS generates (list
#: markers, footnote numbers): the book face must always have these.
TEMPLATE_TEXT = ("Contents Title page Start of content Notes Back to reference Published by "
                 "Made with Set in warraq " + __version__ + " 0123456789 . , : ; · – — "
                 "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ ivxlcdm IVXLCDM")


def _walk(el: ET._Element, script: str, script_lang: str) -> Iterator[tuple[str, str]]:
    lang = el.get("lang")
    if lang is not None:
        script = script_of_lang(lang, script_lang)
    if el.text:
        yield el.text, script
    for child in el:
        if isinstance(child.tag, str):
            yield from _walk(child, script, script_lang)
        if child.tail:
            yield child.tail, script
    for name in ("alt", "title", "aria-label"):
        if el.get(name):
            yield el.get(name), script


def book_texts(book: Book) -> Iterator[tuple[str, str, str]]:
    """(text, script, source file) of everything the outputs show."""
    meta = book.meta
    script_lang = meta.script_lang
    book_script = script_of_lang(meta.lang, script_lang)
    shown = [meta.title, meta.subtitle, meta.collection, meta.publisher, meta.rights,
             meta.identifier, *meta.authors, *(c.name for c in meta.contributors)]
    for text in shown:
        if text:
            yield text, book_script, "book.yaml"
    for name in ("date_text", "hijri_text", "dateline_text"):
        value = book.derived_value(name)
        if value:
            yield value, book_script, "book.yaml"
    yield TEMPLATE_TEXT, "latin", "(templates)"
    for chapter in book.chapters:
        script = script_of_lang(chapter.lang or meta.lang, script_lang)
        yield chapter.title, script, chapter.source
        for html in [chapter.html] + [n.html for n in chapter.footnotes]:
            yield from ((t, s, chapter.source)
                        for t, s in _walk(parse_fragment(html), script, script_lang))


def family_usage(book: Book) -> dict[str, frozenset[str]]:
    """family -> the characters it sets in this book (only families that set any)."""
    return _analyse(book)[0]


def _analyse(book: Book) -> tuple[dict[str, frozenset[str]], list[tuple[str, str]]]:
    usage: dict[str, set[str]] = defaultdict(set)
    missing: dict[tuple[str, str], None] = {}
    for text, script, source in book_texts(book):
        for char in set(text):
            if not needs_glyph(char) or char in "\n\t\r":
                continue
            family = _setting(char, script)
            if family is None:
                missing[(char, source)] = None
            else:
                usage[family].add(char)
    return ({f: frozenset(usage[f]) for f in family_names() if usage.get(f)},
            list(missing))


@lru_cache(maxsize=4096)
def _setting(char: str, script: str) -> str | None:
    return family_setting(char, script)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def check(book: Book) -> Diagnostics:
    """A W400 diagnostic for every place of every character no font has."""
    diags = Diagnostics()
    fonts = ", ".join(family_names())
    for char, source in sorted(_analyse(book)[1]):
        text = book.source_text(source) or ""
        places = []
        for n, line in enumerate(text.split("\n"), 1):
            col = line.find(char)
            while col >= 0:
                places.append((n, col + 1))
                col = line.find(char, col + 1)
        message = (f"{_describe(char)} has no glyph in any font warraq sets text in "
                   f"({fonts}): replace the character or remove it")
        for line, col in places or [(None, None)]:
            diags.add(source, line, "W400", message, column=col)
    return diags


def transform(book: Book) -> Book:
    """Raise `SourceError` (W400) if some character has no glyph; else the book as it is."""
    check(book).raise_if_any()
    return book
