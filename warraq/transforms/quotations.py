"""Quotations with their source: a block quotation whose last paragraph starts with a
dash ("— Name, *Work*, 2009") gets that paragraph as its `<footer role="none">`, so both
outputs can set the attribution apart; `role="none"` keeps it from being announced as a
page landmark."""

from __future__ import annotations

import dataclasses

from ..model import Book
from ..xhtml import parse_fragment, serialise_children

DASHES = ("\u2014", "\u2015", "\u2013")   # em dash, horizontal bar, en dash ("--")


def _attribute(html: str) -> str:
    if "<blockquote" not in html:
        return html
    wrapper = parse_fragment(html)
    changed = False
    for quote in wrapper.iter("blockquote"):
        paragraphs = [c for c in quote if c.tag == "p"]
        if len(paragraphs) < 2 or paragraphs[-1] is not quote[-1]:
            continue
        last = paragraphs[-1]
        if not (last.text or "").lstrip().startswith(DASHES):
            continue
        last.tag = "footer"
        last.set("class", "attribution")
        # A <footer> outside <article>/<section> is a "contentinfo" landmark to assistive
        # technology; a quotation's source is not one (DAISY Ace flags two per chapter).
        last.set("role", "none")
        changed = True
    return serialise_children(wrapper) if changed else html


def transform(book: Book) -> Book:
    chapters = tuple(dataclasses.replace(c, html=_attribute(c.html)) for c in book.chapters)
    return dataclasses.replace(book, chapters=chapters)



