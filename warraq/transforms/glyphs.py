"""Every character the outputs show must have a glyph: checked before anything is written.

Each character of the book (chapter text, footnotes, the metadata the title page and
copyright page show, the computed dateline, the fixed words of the templates) is set
by the first family of its script's font stack (`warraq.fonts.family_setting`) that has
it. Code is set by the monospace stack, math by the math stack, `{.sans}` by the sans stack.
Characters no family has are error W400, one for each script of each file, at the first
place in the source, naming each character (`U+13000 EGYPTIAN HIEROGLYPH A001`), its
places and a font package that would cover the script: never a box in the output.

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
from ..fonts import Choice, family_names, family_setting, needs_glyph
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
#: Code tokens templates/shared/code.css sets in bold or italic.
BOLD_CLASSES = {"tok-k", "tok-kc", "tok-kd", "tok-kn", "tok-kr", "tok-kt", "tok-ow", "tok-nt",
                "tok-gh", "tok-gu"}
ITALIC_CLASSES |= {"tok-c", "tok-c1", "tok-cm", "tok-cs", "tok-ch", "tok-cp", "tok-sd"}

#: (weight, style) of plain text.
REGULAR = (400, "normal")


def _style(el: ET._Element, style: tuple[int, str]) -> tuple[int, str]:
    weight, slant = style
    classes = set((el.get("class") or "").split())
    if not isinstance(el.tag, str):
        return style
    if el.tag in ITALIC_TAGS or classes & ITALIC_CLASSES or (
            el.tag == "footer" and "verse-reference" not in classes):
        slant = "italic"
    if el.tag in BOLD_TAGS or classes & BOLD_CLASSES:
        weight = 700
    return weight, slant


#: Elements and classes set by a stack of their own (`warraq.fonts.SCRIPT_STACKS`).
MONO_TAGS = {"code", "pre", "kbd", "samp", "tt"}
MATH_TAGS = {"math"}


def _own_stack(el: ET._Element, script: str) -> str:
    classes = set((el.get("class") or "").split())
    tag = ET.QName(el).localname
    if tag in MONO_TAGS:
        return "mono"
    if tag in MATH_TAGS or "math" in classes:
        return "math"
    if "sans" in classes and script == "latin":
        return "sans"
    return script


def _walk(el: ET._Element, script: str, script_lang: str, style=REGULAR
          ) -> Iterator[tuple[str, str, tuple[int, str]]]:
    lang = el.get("lang")
    if lang is not None:
        script = script_of_lang(lang, script_lang)
    script = _own_stack(el, script)
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
    if any("<pre" in c.html for c in book.chapters):
        from ..highlight import WRAP_MARK     # the continuation mark of printed code
        yield WRAP_MARK + " ", "mono", "(templates)", REGULAR
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
    choice = book.meta.font_choice
    names = family_names(choice)
    # the characters of each (script, file, style), each looked up once
    runs: dict[tuple, set[str]] = defaultdict(set)
    for text, script, source, style in book_texts(book):
        runs[(script, source, style)].update(text)
    for (script, source, style), chars in runs.items():
        for char in chars:
            if not needs_glyph(char) or char in "\n\t\r":
                continue
            family = _setting(char, script, choice)
            if family is None:
                missing[(char, source)] = None
            else:
                usage[family].add(char)
                styles[family].add(style)
    fonts = FontUsage(
        MappingProxyType({f: frozenset(usage[f]) for f in names if usage.get(f)}),
        MappingProxyType({f: frozenset(styles[f]) for f in names if styles.get(f)}))
    return fonts, list(missing)


@lru_cache(maxsize=8192)
def _setting(char: str, script: str, choice: Choice = ()) -> str | None:
    return family_setting(char, script, choice)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def script_group(char: str) -> str:
    """The script (or kind) of a character, as the W400 message groups them: the first
    word of its Unicode name (`EGYPTIAN`, `CUNEIFORM`, `TELUGU`), or its category."""
    category = unicodedata.category(char)
    if category == "Co":
        return "private use"
    if category == "Cn":
        return "unassigned"
    name = unicodedata.name(char, "")
    if not name or category.startswith("S"):
        return "symbols"
    return name.split()[0].lower()


#: A script (as `script_group` names it) -> a font package that would cover it.
SUGGEST = {
    "TELUGU": "fontpkg-noto-sans-telugu", "GUJARATI": "fonts-noto-core (Noto Serif Gujarati)",
    "GURMUKHI": "fonts-noto-core (Noto Serif Gurmukhi)",
    "ETHIOPIC": "fonts-noto-core (Noto Serif Ethiopic)",
    "ARMENIAN": "fonts-noto-core (Noto Serif Armenian)",
    "GEORGIAN": "fonts-noto-core (Noto Serif Georgian)",
}


def _suggestion(group: str) -> str:
    if group == "private use":
        return "private use has no standard glyph: write the character it stands for"
    if group == "unassigned":
        return "not a character: remove it"
    if group == "symbols":
        return ("Debian's fonts-noto-color-emoji or fonts-noto-core (Noto Sans Symbols 2) "
                "may have it: name such a face with `mathfont`, or replace it")
    package = SUGGEST.get(group.upper(), "Debian's fonts-noto-core or fonts-noto-extra")
    return (f"{package} covers it: add that face to FAMILIES in warraq/fonts.py, or replace "
            "the characters")


def check(book: Book, missing: list[tuple[str, str]] | None = None) -> Diagnostics:
    """W400 for the characters no font has (`missing` as `analyse` gives it, worked out
    when not given): one diagnostic for each script of each file, at its first place,
    naming its first two characters with their places (the message stays one short line)."""
    diags = Diagnostics()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for char, source in sorted(analyse(book)[1] if missing is None else missing):
        groups[(source, script_group(char))].append(char)
    for (source, group), chars in groups.items():
        found = book.source(source)
        places = {c: (found.places(c) if found else []) for c in chars}
        first = min((p for ps in places.values() for p in ps), default=(None, None))
        listed = "; ".join(
            _describe(c) + "".join(f" {line}:{col}" for line, col in places[c][:3])
            + (" ..." if len(places[c]) > 3 else "") for c in chars[:2])
        if len(chars) > 2:
            listed += f"; and {len(chars) - 2} more"
        noun = "a character" if len(chars) == 1 else f"{len(chars)} characters"
        message = f"{noun} of {group.capitalize()} no font has: {listed}; {_suggestion(group)}"
        diags.add(source, first[0], "W400", message, column=first[1])
    return diags


def transform(book: Book) -> Book:
    """Set `Book.fonts`; raise `SourceError` (W400) if some character has no glyph."""
    fonts, missing = analyse(book)
    check(book, missing).raise_if_any()
    return dataclasses.replace(book, fonts=fonts)
