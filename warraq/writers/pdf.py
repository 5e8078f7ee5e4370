"""The print PDF writer: `Book` -> PDF bytes, through templates/pdf/ and WeasyPrint.

Python shapes the data (contents entries, footnotes moved to where they are called,
font faces, page geometry, XMP); the templates lay it out. WeasyPrint may load only
the book's own resources (from the `Book`, never from disk) and the font files of
`warraq.fonts`: any other URL is refused and fails the build.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import escape

import pydyf
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .. import __version__
from ..errors import WarraqError, source_error
from ..fetcher import BookFetcher as _Fetcher
from ..fonts import SCRIPT_STACKS, css_faces, faces, font_stack, script_stack
from ..model import Book, Chapter
from ..templating import render
from ..xhtml import parse_fragment, serialise_children
from ..transforms.language import arabic_selector
from .pdf_tounicode import fix_to_unicode

#: The virtual folder the book's HTML lives in; its resources are served from the Book.
BASE_URL = "file:///warraq-book/"


@dataclass(frozen=True)
class PageSetup:
    """Trim size and margins, in inches."""

    width: float = 6.0
    height: float = 9.0
    top: float = 0.75
    bottom: float = 0.8
    inner: float = 0.75
    outer: float = 0.6


class RenderError(WarraqError):
    """WeasyPrint complained (a missing glyph, a refused URL, ...)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _inline_note(html: str) -> str:
    """A footnote's XHTML as inline content: paragraphs joined by line breaks."""
    wrapper = parse_fragment(html)
    parts = []
    for child in wrapper:
        if child.tag == "p":
            child.tag = "span"
            child.tail = None
        parts.append(child)
    for el in list(wrapper):
        wrapper.remove(el)
    wrapper.text = None
    for i, el in enumerate(parts):
        if i:
            wrapper.append(parse_fragment("<br/>")[0])
        wrapper.append(el)
    return serialise_children(wrapper)


def chapter_html(chapter: Chapter) -> str:
    """The chapter's XHTML with each footnote moved to its call (CSS `float: footnote`)."""
    if not chapter.footnotes:
        return chapter.html
    notes = {f"#{n.id}": n for n in chapter.footnotes}
    wrapper = parse_fragment(chapter.html)
    for ref in list(wrapper.iter("a")):
        if ref.get("class") != "noteref" or ref.get("href") not in notes:
            continue
        note = notes[ref.get("href")]
        span = parse_fragment(f'<span class="footnote">{_inline_note(note.html)}</span>')[0]
        if ref.get("id") == note.ref_id:
            span.set("id", note.id)
        span.tail = ref.tail
        ref.getparent().replace(ref, span)
    return serialise_children(wrapper)


def _xmp(book: Book) -> bytes:
    meta = book.meta
    date = book.build_date.strftime("%Y-%m-%dT%H:%M:%SZ")
    created = (meta.date.isoformat() if meta.date else date)

    def seq(tag: str, items, kind="Seq") -> str:
        if not items:
            return ""
        lis = "".join(f"<rdf:li>{escape(i)}</rdf:li>" for i in items)
        return f"<{tag}><rdf:{kind}>{lis}</rdf:{kind}></{tag}>"

    def alt(tag: str, text: str | None) -> str:
        if not text:
            return ""
        return (f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
                f"</rdf:Alt></{tag}>")

    keywords = ", ".join(meta.subjects + meta.keywords)
    extra = "".join(
        f"<warraq:{name}>{escape(value)}</warraq:{name}>" for name, value in book.derived
        if name in ("hijri_date",))
    body = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:warraq="https://warraq.invalid/ns/1.0/">'
        + alt("dc:title", meta.title)
        + seq("dc:creator", meta.authors)
        + alt("dc:description", meta.description)
        + seq("dc:subject", meta.subjects + meta.keywords, "Bag")
        + seq("dc:language", (meta.lang,), "Bag")
        + (f"<dc:publisher><rdf:Bag><rdf:li>{escape(meta.publisher)}</rdf:li></rdf:Bag>"
           "</dc:publisher>" if meta.publisher else "")
        + alt("dc:rights", meta.rights)
        + f"<dc:identifier>{escape(meta.identifier)}</dc:identifier>"
        + f"<xmp:CreateDate>{created}</xmp:CreateDate>"
        + f"<xmp:ModifyDate>{date}</xmp:ModifyDate>"
        + f"<xmp:MetadataDate>{date}</xmp:MetadataDate>"
        + f"<xmp:CreatorTool>warraq {__version__}</xmp:CreatorTool>"
        + (f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>" if keywords else "")
        + f"<pdf:Producer>warraq {__version__} (WeasyPrint)</pdf:Producer>"
        + extra
        + "</rdf:Description></rdf:RDF>")
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body.encode() +
            b'</x:xmpmeta>\n<?xpacket end="w"?>')


def _finisher(book: Book):
    def finish(document, pdf) -> None:
        stream = pydyf.Stream([_xmp(book)], {"Type": "/Metadata", "Subtype": "/XML"})
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference
        pdf.info["Producer"] = pydyf.String(f"warraq {__version__} (WeasyPrint)")
    return finish


def context(book: Book, page: PageSetup) -> dict:
    """Everything the PDF templates need, shaped in Python."""
    meta = book.meta
    return {
        "meta": meta,
        "authors": meta.authors,
        "keywords": ", ".join(meta.subjects + meta.keywords),
        "created": (meta.date.isoformat() if meta.date else book.build_date.date().isoformat()),
        "modified": book.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date_text": book.derived_value("date_text", ""),
        "dateline_text": book.derived_value("dateline_text", ""),
        "stacks": {s: script_stack(s) for s in SCRIPT_STACKS},
        "arabic_selector": arabic_selector(book.meta.script_lang),
        "generator": f"warraq {__version__}",
        "toc": [{"title": c.title, "href": f"#{c.id}", "kind": c.kind} for c in book.chapters],
        "chapters": [{"id": c.id, "kind": c.kind, "lang": c.lang, "title": c.title,
                      "html": chapter_html(c)} for c in book.chapters],
        "is_book": meta.layout == "book",
        "page": page,
        "faces": faces(),
        "css_faces": css_faces(),
        "font_stack": font_stack(),
    }


@contextmanager
def _font_timestamps(book: Book):
    """fontTools stamps instanced (variable) fonts with the time unless SOURCE_DATE_EPOCH
    is set: set it to the book's build date while WeasyPrint writes, for same bytes."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(book.build_date.timestamp()))
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def render_pdf(book: Book, page: PageSetup = PageSetup(),
               on_document: Callable[[Document], None] | None = None
               ) -> tuple[bytes, list[str]]:
    """The PDF's bytes and WeasyPrint's warnings. Raises `SourceError` on a refused URL.

    `on_document`, if given, is called with the laid-out WeasyPrint `Document` before it
    is written (warraq.pagemap reads where each page begins from it)."""
    ctx = context(book, page)
    html = render("pdf/book.html", **ctx)
    css = render("pdf/book.css", **ctx)
    fetcher = _Fetcher(book)
    collect = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(collect)
    try:
        with _font_timestamps(book):
            fonts = FontConfiguration()
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
                stylesheets=[CSS(string=css, base_url=BASE_URL, url_fetcher=fetcher,
                                 font_config=fonts)],
                font_config=fonts)
            if on_document is not None:
                on_document(document)
            data = document.write_pdf(finisher=_finisher(book), uncompressed_pdf=False)
        data = fix_to_unicode(data)   # copied Arabic = the source text (pdf_tounicode)
    finally:
        wlog.removeHandler(collect)
    if fetcher.refused:
        raise source_error("(book)", None, "W307", f"the book asks for `{fetcher.refused[0]}`, "
                           "which is outside the book: nothing outside the source is loaded")
    return data, collect.messages


def outline_titles(book: Book) -> list[str]:
    """The bookmarks the PDF should have, in order (for tests and checks)."""
    return [h.text for c in book.chapters for h in c.headings if h.level <= 3]
