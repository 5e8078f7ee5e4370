"""Verse, invocation and dateline blocks, shaped for both writers.

- `::: verse` (the Arabic, its translation and the reference) becomes
  `<blockquote class="verse">`: the Arabic paragraphs get class `verse-text`, the others
  `verse-translation`, and the last paragraph, when it is a short reference with a number
  (`Qur'an 14:7`) and not the only translation, becomes `<footer><cite>..</cite></footer>`.
  The stylesheets keep the block on one page.
- `::: invocation` stays a `div.invocation` (centred by the stylesheets).
- `::: dateline` holds the place (or nothing): the book's dates are appended to it,
  `Written in Leeds, 19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE`. Without a `date`
  or `hijri-date` in book.yaml the dateline is left as written.

Runs after `language`, whose `lang`/`dir` marks tell the Arabic paragraphs apart.
"""

from __future__ import annotations

import dataclasses
import re

import lxml.etree as ET

from .. import furniture
from ..model import Book
from ..xhtml import parse_fragment, serialise_children, text_of
from .language import script_of_lang

_REFERENCE = re.compile(r"\d")
REFERENCE_MAX_CHARS = 80


def _classes(el: ET._Element) -> list[str]:
    return (el.get("class") or "").split()


def _is_rtl(el: ET._Element, script_lang: str) -> bool:
    return el.get("dir") == "rtl" or script_of_lang(el.get("lang"), script_lang) != "latin"


def _verse(div: ET._Element, script_lang: str) -> None:
    div.tag = "blockquote"
    paras = [p for p in div if p.tag == "p"]
    rtl = [p for p in paras if _is_rtl(p, script_lang) or _is_rtl(div, script_lang)]
    others = [p for p in paras if p not in rtl]
    last = paras[-1] if paras else None
    reference = None
    if (last is not None and last in others and len(others) >= 2 and last is div[-1]
            and _REFERENCE.search(text_of(last)) and len(text_of(last)) <= REFERENCE_MAX_CHARS):
        reference = last
    for p in rtl:
        p.set("class", " ".join(_classes(p) + ["verse-text"]))
    for p in others:
        if p is not reference:
            p.set("class", " ".join(_classes(p) + ["verse-translation"]))
    if reference is not None:
        footer = ET.Element("footer")
        footer.set("class", "verse-reference")
        footer.set("role", "none")      # not a page landmark (see quotations.py)
        cite = ET.SubElement(footer, "cite")
        cite.text = reference.text
        for child in list(reference):
            cite.append(child)
        for key, value in reference.attrib.items():
            if key in ("lang", "dir", "id"):
                cite.set(key, value)
        footer.tail = reference.tail
        div.replace(reference, footer)


def _dateline(div: ET._Element, book: Book) -> None:
    dates = book.dates
    if dates is None:
        return
    paras = [p for p in div if p.tag == "p"]
    if paras:
        target = paras[-1]
        text = text_of(target)
        last = target[-1] if len(target) else None
        sep = "" if not text else (" " if text[-1] in ",:;—–" else ", ")
        if last is not None:
            last.tail = (last.tail or "").rstrip() + sep
        else:
            target.text = (target.text or "").rstrip() + sep
    else:
        div.text = None             # `::: dateline` + `:::` holds only a line break
        target = ET.SubElement(div, "p")
        target.tail = "\n"
    if dates.hijri is not None:
        hijri = ET.SubElement(target, "span")
        hijri.set("class", "hijri-date")
        hijri.text = dates.hijri_text
        if dates.gregorian is not None:
            hijri.tail = furniture.date_separator(book.meta.lang)
    if dates.gregorian is not None:
        greg = ET.SubElement(target, "time")
        greg.set("class", "gregorian-date")
        greg.set("datetime", dates.gregorian.isoformat())
        greg.text = dates.gregorian_text + furniture.era_suffix(book.meta.lang)


def shape(xhtml: str, book: Book) -> str:
    if "verse" not in xhtml and "dateline" not in xhtml:
        return xhtml
    wrapper = parse_fragment(xhtml)
    for div in list(wrapper.iter("div")):
        classes = _classes(div)
        if "verse" in classes:
            _verse(div, book.meta.script_lang)
        elif "dateline" in classes and "as-written" not in classes:
            _dateline(div, book)
    return serialise_children(wrapper)


def transform(book: Book) -> Book:
    """Shape the verse and dateline blocks of every chapter."""
    return dataclasses.replace(book, chapters=tuple(
        dataclasses.replace(c, html=shape(c.html, book)) for c in book.chapters))
