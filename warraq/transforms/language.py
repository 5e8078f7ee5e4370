"""Find Arabic-script and Hebrew text the author pasted in, and say what it is.

Authors paste Arabic straight into English Markdown. This transform finds it in every
chapter and footnote and marks it, so that both outputs set it right to left, in the
right face, with the English punctuation around it where the author put it:

- a block (paragraph, heading, list item, div, ...) whose letters are all Arabic script
  gets `lang` and `dir="rtl"` itself (the stylesheets set it right-aligned or centred,
  never justified);
- an inline element (`em`, `a`, ...) whose letters are all Arabic script gets them too;
- a run of Arabic script inside other text is wrapped in `<span lang=".." dir="rtl">`,
  which the stylesheets isolate (`unicode-bidi: isolate`).

A run is Arabic-script characters (every Arabic block of Unicode: letters, marks,
Arabic-Indic digits, Arabic punctuation, presentation forms) and the neutral characters
(spaces, punctuation, digits, joiners) *between* two of them: punctuation before or
after a run stays outside it. Hebrew is found the same way (`lang="he"`). The language
of Arabic-script runs is `arabic-script-lang` of book.yaml (`ar` by default).

Explicit markup wins: an element with `lang` or `dir` from the author is left as it is
(an Arabic-script or Hebrew `lang` without `dir` only gets `dir="rtl"` added), and so is
everything inside it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import lxml.etree as ET

from ..model import Book, Chapter
from ..xhtml import parse_fragment, serialise_children

#: Arabic script in Unicode: Arabic, Supplement, Extended-A/B/C, Presentation Forms-A/B,
#: Rumi numerals, Arabic mathematical letters.
ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x089F), (0x08A0, 0x08FF),
                 (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x10E60, 0x10E7F),
                 (0x10EC0, 0x10EFF), (0x1EE00, 0x1EEFF))
#: Hebrew and the Hebrew presentation forms.
HEBREW_RANGES = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
#: Languages written in Arabic script, besides `arabic-script-lang`.
ARABIC_SCRIPT_LANGS = {"ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks", "bal", "prs", "pnb",
                       "ota", "arz", "apc", "ary", "acm", "ajp", "aeb"}
HEBREW_LANGS = {"he", "iw", "yi", "jrb", "lad-hebr"}

#: The lowest code point of either script.
_FIRST_RTL = min(lo for lo, _hi in ARABIC_RANGES + HEBREW_RANGES)

#: Elements never looked into (code is written as it is).
_SKIP = {"code", "kbd", "samp", "pre", "var", "math", "svg"}


def script_of_char(char: str) -> str | None:
    code = ord(char)
    if code < _FIRST_RTL:                 # Latin, Greek, Cyrillic, ...: most text
        return None
    if any(lo <= code <= hi for lo, hi in ARABIC_RANGES):
        return "arabic"
    if any(lo <= code <= hi for lo, hi in HEBREW_RANGES):
        return "hebrew"
    return None


def has_rtl_script(text: str) -> bool:
    """True if any character of `text` is Arabic script or Hebrew (`script_of_char`), found
    by one regular expression instead of a call per character."""
    return _RTL_CHAR.search(text) is not None


def script_of_lang(lang: str | None, script_lang: str = "ar") -> str:
    """"arabic", "hebrew" or "latin" (everything else) for a BCP 47 tag."""
    if not lang:
        return "latin"
    low = lang.lower()
    primary = low.split("-")[0]
    if "-arab" in low or low == script_lang.lower() or primary in ARABIC_SCRIPT_LANGS:
        return "arabic" if "-latn" not in low else "latin"
    if "-hebr" in low or primary in HEBREW_LANGS:
        return "hebrew"
    return "latin"


def arabic_selector(script_lang: str = "ar") -> str:
    """The CSS selector of Arabic-script text, for the stylesheets."""
    langs = sorted(ARABIC_SCRIPT_LANGS | {script_lang.split("-")[0].lower()})
    return ", ".join(f":lang({lang})" for lang in langs)


def _is_bridge(char: str) -> bool:
    """A neutral character that may sit between two characters of a run."""
    cat = unicodedata.category(char)
    return cat[0] in "ZPSM" or cat in ("Nd", "Cf") or char in "\t\n"


def _class_of(code: int) -> str:
    """One letter for what a character is to this module: Arabic-script letter `A` or
    other Arabic-script character `a`, Hebrew `H` / `h`; outside both scripts, a mark
    `m`, another bridge `b` (see `_is_bridge`), a letter `L`, anything else `x`."""
    char = chr(code)
    script, letter = script_of_char(char), unicodedata.category(char)[0] == "L"
    if script is not None:
        return ("A" if script == "arabic" else "H") if letter else (
            "a" if script == "arabic" else "h")
    if unicodedata.category(char)[0] == "M":
        return "m"
    if _is_bridge(char):
        return "b"
    return "L" if letter else "x"


class _Classes(dict):
    """code point -> `_class_of`, filled as characters are met (a `str.translate`
    table: a text becomes the string of its characters' classes, at C speed)."""

    def __missing__(self, code: int) -> str:
        self[code] = cls = _class_of(code)
        return cls


_CLASSES = _Classes()
#: Either script, as a character class of the raw text.
_RTL_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}"
                                     for lo, hi in ARABIC_RANGES + HEBREW_RANGES) + "]")
#: A run, on the class string: a character of the script, the marks right after it, and
#: then, as often as they lead to another character of the script, bridges (marks
#: included) and that character with its marks. Punctuation before or after stays out.
_RUN = re.compile(r"(?P<arabic>[Aa]m*(?:[mb]*[Aa]m*)*)|(?P<hebrew>[Hh]m*(?:[mb]*[Hh]m*)*)")


def arabic_letters_only(text: str) -> bool:
    """True if `text` has letters and every one of them is Arabic script (read on the
    class string of `_CLASSES`, at C speed)."""
    if not _RTL_CHAR.search(text):
        return False
    classes = text.translate(_CLASSES)
    return "A" in classes and "H" not in classes and "L" not in classes


def runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, script) of every Arabic-script or Hebrew run of `text`."""
    if not _RTL_CHAR.search(text):
        return []
    return [(m.start(), m.end(), m.lastgroup)
            for m in _RUN.finditer(text.translate(_CLASSES))]


def _letters_script(el: ET._Element) -> str | None:
    """The script of all the letters in `el` (leaving out explicitly marked parts), if
    every letter is Arabic script (or every one Hebrew); else None."""
    found: set[str | None] = set()

    def walk(node: ET._Element, top: bool) -> None:
        if not top and (node.get("lang") is not None or node.get("dir") is not None):
            found.add("other")   # explicitly marked text is not this element's
            return
        if node.tag in _SKIP:
            found.add("other")
            return
        if node.text:
            _add(node.text)
        for child in node:
            walk(child, False)
            if child.tail:
                _add(child.tail)

    def _add(text: str) -> None:
        classes = text.translate(_CLASSES)
        found.update(script for cls, script in (("A", "arabic"), ("H", "hebrew"), ("L", None))
                     if cls in classes)

    walk(el, True)
    if len(found) == 1:
        (script,) = found
        return script if script in ("arabic", "hebrew") else None
    return None


class _Tagger:
    def __init__(self, script_lang: str):
        self.script_lang = script_lang

    def lang_for(self, script: str) -> str:
        return self.script_lang if script == "arabic" else "he"

    def mark(self, el: ET._Element, script: str) -> None:
        el.set("lang", self.lang_for(script))
        el.set("dir", "rtl")

    def visit(self, el: ET._Element, context: str) -> None:
        """Tag what is inside `el`, whose text is in `context` script."""
        for child in list(el):
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            lang, direction = child.get("lang"), child.get("dir")
            if lang is not None or direction is not None:
                if direction is None and script_of_lang(lang, self.script_lang) != "latin":
                    child.set("dir", "rtl")
                continue
            script = _letters_script(child)
            if script and script != context:
                self.mark(child, script)
                self.visit(child, script)
            else:
                self.visit(child, context)
        self.wrap_text(el, context)

    def wrap_text(self, el: ET._Element, context: str) -> None:
        """Wrap the runs of `el`'s own text and of its children's tails in spans."""
        if el.text:
            spans, el.text = self._split(el.text, context)
            for k, span in enumerate(spans):
                el.insert(k, span)
        for child in list(el):
            if child.tail:
                spans, child.tail = self._split(child.tail, context)
                at = el.index(child) + 1
                for k, span in enumerate(spans):
                    el.insert(at + k, span)

    def _split(self, text: str, context: str) -> tuple[list[ET._Element], str]:
        found = [r for r in runs(text) if r[2] != context]
        if not found:
            return [], text
        head = text[:found[0][0]]
        spans = []
        for k, (start, end, script) in enumerate(found):
            span = ET.Element("span")
            self.mark(span, script)
            span.text = text[start:end]
            following = found[k + 1][0] if k + 1 < len(found) else len(text)
            span.tail = text[end:following] or None
            spans.append(span)
        return spans, head or None


def tag_fragment(xhtml: str, context: str = "latin", script_lang: str = "ar") -> str:
    """The fragment with its Arabic-script and Hebrew text marked (see the module)."""
    if not xhtml or not _RTL_CHAR.search(xhtml):
        if "lang=" not in xhtml:
            return xhtml
    wrapper = parse_fragment(xhtml)
    _Tagger(script_lang).visit(wrapper, context)
    return serialise_children(wrapper)


def _chapter(chapter: Chapter, book: Book) -> Chapter:
    script_lang = book.meta.script_lang
    context = script_of_lang(chapter.lang or book.meta.lang, script_lang)
    notes = tuple(dataclasses.replace(n, html=tag_fragment(n.html, context, script_lang))
                  for n in chapter.footnotes)
    return dataclasses.replace(chapter, html=tag_fragment(chapter.html, context, script_lang),
                               footnotes=notes)


def transform(book: Book) -> Book:
    """Mark the Arabic-script and Hebrew text of every chapter and footnote."""
    return dataclasses.replace(book, chapters=tuple(_chapter(c, book) for c in book.chapters))
