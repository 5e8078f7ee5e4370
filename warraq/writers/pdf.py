"""The print PDF writer: `Book` -> PDF bytes, through templates/pdf/ and WeasyPrint.

Python shapes the data (contents entries, footnotes moved to where they are called,
font faces, page geometry, XMP); the templates lay it out. WeasyPrint may load only
the book's own resources (from the `Book`, never from disk) and the font files of
`warraq.fonts`: any other URL is refused and fails the build.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.document import Document
from weasyprint.urls import URLFetcherResponse

from .. import __version__
from ..fetcher import BOOK_PREFIX, BookFetcher
from ..fonts import SCRIPT_STACKS, css_faces, font_stack, script_stack
from ..model import Book, Chapter
from ..pagesetup import PageSetup, Trim, gutter_for, parse_trim
from ..profiles import CMYK_ICC, PROFILES, Profile
from ..templating import render
from ..transforms.glyphs import families_used
from ..transforms.language import arabic_selector
from ..xhtml import parse_fragment, serialise_children
from .pdf_tounicode import fix_to_unicode

#: The virtual folder the book's HTML lives in; its resources are served from the Book.
BASE_URL = "file:///warraq-book/"



class _Fetcher(BookFetcher):
    """`warraq.fetcher.BookFetcher` (the book's resources, templates and font files, and
    nothing else) plus the CMYK output-intent profile (`warraq.profiles.CMYK_ICC`), with
    images served in the profile's colour: greyscale for "grey", CMYK for "cmyk" (see
    `_image_for`)."""

    def __init__(self, book: Book, colour: str = "rgb"):
        super().__init__(book)
        self.colour = colour

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = unquote(parts.path) if parts.scheme == "file" else ""
        if path.startswith(BOOK_PREFIX) and self.colour != "rgb":
            resource = self.book.resource(path[len(BOOK_PREFIX):])
            if resource is not None:
                data, media_type = _image_for(resource.data, resource.media_type, self.colour)
                self.served.append(url)
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
        elif path == CMYK_ICC and parts.netloc in ("", "localhost") and Path(path).is_file():
            self.served.append(url)
            return URLFetcherResponse(url, Path(path).read_bytes(),
                                      {"Content-Type": "application/vnd.iccprofile"})
        return super().fetch(url, headers)


def _image_for(data: bytes, media_type: str, colour: str) -> tuple[bytes, str]:
    """An image in the profile's colour, same pixels and resolution, no metadata (so the
    same bytes each build): "grey" an 8-bit greyscale PNG; "cmyk" a CMYK JPEG (Pillow's
    plain conversion, not colour-managed; greyscale images stay grey); "rgb" as it is."""
    if colour == "rgb" or not media_type.startswith("image/"):
        return data, media_type
    import io

    from PIL import Image
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        dpi = img.info.get("dpi")
        extra = {"dpi": dpi} if dpi else {}
        out = io.BytesIO()
        if colour == "grey" or img.mode in ("1", "L", "LA", "I", "I;16"):
            img.convert("LA" if "A" in img.getbands() else "L").save(out, "PNG", **extra)
            return out.getvalue(), "image/png"
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.convert("CMYK").save(out, "JPEG", quality=95, subsampling=0, **extra)
        return out.getvalue(), "image/jpeg"


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


#: Namespaces of the variant claims merged into warraq's XMP.
_XMP_NS = {
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
}


def conformance(profile: Profile) -> str | None:
    """The PDF/X or PDF/UA claim WeasyPrint makes for the profile's variant."""
    return {"pdf/x-1a": "PDF/X-1a:2003", "pdf/x-3": "PDF/X-3:2003", "pdf/x-4": "PDF/X-4",
            "pdf/ua-1": "PDF/UA-1"}.get(profile.variant or "")


def _variant_xmp(book: Book, profile: Profile) -> str:
    """The variant's identification, as WeasyPrint writes it, without its non-reproducible
    parts (X-4's random DocumentID becomes a UUID derived from the book and profile)."""
    claim = conformance(profile)
    if claim is None:
        return ""
    if profile.pdfua:
        return "<pdfuaid:part>1</pdfuaid:part>"
    parts = [f"<pdfxid:GTS_PDFXVersion>{claim}</pdfxid:GTS_PDFXVersion>"]
    if not claim.startswith("PDF/X-4"):
        parts += [f"<pdfx:GTS_PDFXVersion>{claim}</pdfx:GTS_PDFXVersion>",
                  f"<pdfx:GTS_PDFXConformance>{claim}</pdfx:GTS_PDFXConformance>"]
    parts.append("<pdf:Trapped>False</pdf:Trapped>")
    if claim.startswith("PDF/X-4"):
        did = uuid.uuid5(uuid.NAMESPACE_URL, f"warraq:{book.meta.identifier}:{profile.name}")
        parts += [f"<xmpMM:DocumentID>xmp.did:{did}</xmpMM:DocumentID>",
                  "<xmpMM:RenditionClass>proof:pdf</xmpMM:RenditionClass>",
                  "<xmpMM:VersionID>1</xmpMM:VersionID>"]
    return "".join(parts)


def _xmp(book: Book, profile: Profile = PROFILES["print"]) -> bytes:
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
    extra = (f"<warraq:hijri_date>{escape(book.dates.hijri_iso)}</warraq:hijri_date>"
             if book.dates else "")
    namespaces = "".join(f' xmlns:{k}="{v}"' for k, v in _XMP_NS.items())
    body = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:warraq="https://warraq.invalid/ns/1.0/"' + namespaces + '>'
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
        + _variant_xmp(book, profile)
        + extra
        + "</rdf:Description></rdf:RDF>")
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body.encode() +
            b'</x:xmpmeta>\n<?xpacket end="w"?>')


@dataclass
class Finish:
    """What the finisher adds after WeasyPrint: page boxes, marks, labels, clean-ups."""

    profile: Profile
    #: The trim size in points (None: leave WeasyPrint's boxes as they are).
    trim: tuple[float, float] | None
    #: Index of the first arabic-numbered page (None: every page arabic from 1).
    body_start: int | None = None
    page_labels: bool = True


def _crop_marks(width: float, height: float, bleed: float, slug: float) -> bytes:
    """Crop marks at the four trim corners, in the slug outside the bleed, drawn in
    registration (all four inks) at 0.25 pt."""
    gap = bleed + 3
    reach = bleed + slug
    ops = ["q", "1 1 1 1 K", "0.25 w", "0 J"]
    for x, sx in ((0, -1), (width, 1)):
        for y, sy in ((0, -1), (height, 1)):
            ops.append(f"{x + sx * gap:.3f} {y:.3f} m {x + sx * reach:.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sy * gap:.3f} m {x:.3f} {y + sy * reach:.3f} l S")
    ops.append("Q")
    return "\n".join(ops).encode()


def _finisher(book: Book, finish: Finish | None = None):
    finish = finish or Finish(PROFILES["print"], None, page_labels=False)
    profile = finish.profile

    def finish_pdf(document, pdf) -> None:
        # WeasyPrint's own XMP (PDF/X and PDF/UA variants) is overwritten in place, so its
        # random X-4 DocumentID and local-time dates do not stay behind in the file.
        stream = next((obj for obj in pdf.objects if isinstance(obj, pydyf.Stream)
                       and obj.extra.get("Type") == "/Metadata"), None)
        if stream is None:
            stream = pydyf.Stream([], {"Type": "/Metadata", "Subtype": "/XML"})
            pdf.add_object(stream)
        stream.stream = [_xmp(book, profile)]
        stream.compress = False
        pdf.catalog["Metadata"] = stream.reference
        pdf.info["Producer"] = pydyf.String(f"warraq {__version__} (WeasyPrint)")
        if not profile.links:
            # Link annotations (contents entries, footnote calls) are emptied, not just
            # unlisted, so no /Annot object is left in the file.
            for obj in pdf.objects:
                if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot":
                    obj.clear()
            for page in _page_dicts(pdf):
                page.pop("Annots", None)
            names = pdf.catalog.get("Names")
            if isinstance(names, pydyf.Dictionary):
                names.pop("Dests", None)
                if not names:
                    del pdf.catalog["Names"]
        if not profile.bookmarks:
            pdf.catalog.pop("Outlines", None)
        if profile.pdfx:
            # WeasyPrint lists Lab and ICC-based colour spaces on every page whether or not
            # they are drawn with; a PDF/X file keeps to DeviceCMYK/DeviceGray (the output
            # intent still holds the ICC profile). The preflight fails if one was used.
            for obj in pdf.objects:
                if isinstance(obj, pydyf.Dictionary) and "lab-d50" in obj:
                    for key in [k for k in obj if k in ("lab-d50", "lab-d65", "device-cmyk")]:
                        del obj[key]
        if finish.page_labels:
            nums = pydyf.Array()
            if finish.body_start:
                nums.extend([0, pydyf.Dictionary({"S": "/r"})])
            nums.extend([finish.body_start or 0, pydyf.Dictionary({"S": "/D"})])
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
        if finish.trim is None:
            return
        width, height = finish.trim
        bleed = profile.bleed * 72
        for page in _page_dicts(pdf):
            page["TrimBox"] = pydyf.Array([0, 0, width, height])
            page["BleedBox"] = pydyf.Array([-bleed, -bleed, width + bleed, height + bleed])
            if profile.marks:
                before = pydyf.Stream([b"q"])
                after = pydyf.Stream([b"Q\n" + _crop_marks(width, height, bleed,
                                                            profile.slug * 72)])
                pdf.add_object(before)
                pdf.add_object(after)
                page["Contents"] = pydyf.Array([before.reference, page["Contents"],
                                                after.reference])
    return finish_pdf


def _page_dicts(pdf) -> list:
    """The page dictionaries pydyf holds (its page list keeps references)."""
    return [obj for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]


def _ink(profile: Profile) -> str:
    """The colour text and rules are drawn in."""
    return "black" if profile.colour == "rgb" else "device-cmyk(0 0 0 1)"


def document_context(book: Book, profile: Profile) -> dict:
    """What every PDF warraq writes (the book and its cover wrap) needs: the document
    metadata of templates/shared/pdf-head.html and the fonts and output intent of
    templates/shared/print-fonts.css."""
    meta = book.meta
    return {
        "meta": meta,
        "authors": meta.authors,
        "keywords": ", ".join(meta.subjects + meta.keywords),
        "created": (meta.date.isoformat() if meta.date else book.build_date.date().isoformat()),
        "modified": book.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generator": f"warraq {__version__}",
        "cmyk_icc": f"file://{CMYK_ICC}" if profile.output_intent else None,
        "css_faces": css_faces(),
        "font_stack": font_stack(),
    }


def context(book: Book, page: PageSetup, profile: Profile = PROFILES["print"]) -> dict:
    """Everything the PDF templates need, shaped in Python."""
    meta = book.meta
    return {
        **document_context(book, profile),
        "date_text": book.dates.gregorian_text if book.dates else "",
        "dateline_text": book.dates.dateline_text if book.dates else "",
        "stacks": {s: script_stack(s) for s in SCRIPT_STACKS},
        "arabic_selector": arabic_selector(book.meta.script_lang),
        "toc": [{"title": c.title, "href": f"#{c.id}", "kind": c.kind} for c in book.chapters],
        "chapters": [{"id": c.id, "kind": c.kind, "lang": c.lang, "title": c.title,
                      "html": chapter_html(c)} for c in book.chapters],
        "is_book": meta.layout == "book",
        "page": page,
        "profile": profile,
        "ink": _ink(profile),
        "css_bleed": profile.bleed + profile.slug,
        "pad_even": profile.page_count == "even-blank-last",
        "used_families": families_used(book),
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


def book_trim(book: Book) -> Trim:
    """The book's trim size (book.yaml `trim`, checked by the schema)."""
    trim = parse_trim(book.meta.trim)
    assert trim is not None, book.meta.trim
    return trim


@dataclass
class Layout:
    """A laid-out book: the page set-up it was laid out with and WeasyPrint's document."""

    page: PageSetup
    document: object
    fetcher: _Fetcher
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def _lay_out(book: Book, profile: Profile, page: PageSetup) -> Layout:
    ctx = context(book, page, profile)
    html = render("pdf/book.html", **ctx)
    css = render("pdf/book.css", **ctx)
    fetcher = _Fetcher(book, profile.colour)
    collect = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(collect)
    try:
        fonts = FontConfiguration()
        profiles: dict = {}
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            stylesheets=[CSS(string=css, base_url=BASE_URL, url_fetcher=fetcher,
                             font_config=fonts, color_profiles=profiles)],
            font_config=fonts, color_profiles=profiles)
    finally:
        wlog.removeHandler(collect)
    return Layout(page, document, fetcher, collect.messages)


def lay_out(book: Book, profile: Profile = PROFILES["print"], pages_hint: int = 1) -> Layout:
    """Lay the book out for the profile. With mirrored margins the gutter depends on the
    page count (KDP table): lay out, count, and lay out again while the band changes
    (if two bands keep sending each other back, the wider gutter wins). `pages_hint` (a
    count from another profile) is where the first try starts."""
    trim = book_trim(book)
    pages, tried = pages_hint, {}
    while True:
        band = gutter_for(pages)
        page = PageSetup.for_book(trim, pages, profile.mirrored, profile.bleed,
                                  profile.min_margin)
        layout = tried[band] = _lay_out(book, profile, page)
        new_band = gutter_for(layout.pages)
        if not profile.mirrored or new_band == band:
            return layout
        if new_band in tried:
            return tried[max(band, new_band)]
        pages = layout.pages


def body_start(book: Book, document) -> int | None:
    """The index of the page the first chapter opens on (None for articles)."""
    if book.meta.layout != "book" or not book.chapters:
        return None
    first = book.chapters[0].id
    for index, page in enumerate(document.pages):
        if first in page.anchors:
            return index
    return None


def render_pdf(book: Book, profile: Profile = PROFILES["print"], pages_hint: int = 1,
               on_document: Callable[[Document], None] | None = None
               ) -> tuple[bytes, list[str]]:
    """The PDF's bytes and WeasyPrint's warnings. A URL outside the book raises
    `warraq.fetcher.RefusedURL` (the pipeline reports it as W307).

    `on_document`, if given, is called with the laid-out WeasyPrint `Document` before it
    is written (warraq.pagemap reads where each page begins from it)."""
    layout = lay_out(book, profile, pages_hint)
    document = layout.document
    if on_document is not None:
        on_document(document)
    finish = Finish(profile, book_trim(book).points, body_start(book, document))
    collect = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(collect)
    try:
        with _font_timestamps(book):
            data = document.write_pdf(finisher=_finisher(book, finish), uncompressed_pdf=False,
                                      pdf_variant=profile.variant,
                                      pdf_tags=profile.tags)
    finally:
        wlog.removeHandler(collect)
    data = fix_to_unicode(data)   # copied Arabic = the source text (pdf_tounicode)
    return data, layout.warnings + collect.messages



def render_cover_pdf(book: Book, profile: Profile, pages: int) -> tuple[bytes, list[str]]:
    """The print cover wrap (back, spine, front) for a book of `pages` pages."""
    from ..coverwrap import render_cover

    fetcher = _Fetcher(book)

    def finisher_for(wrap, rules):
        return _finisher(book, Finish(rules, wrap.points, page_labels=False))
    with _font_timestamps(book):
        data, warnings = render_cover(book, profile, pages, book_trim(book), fetcher,
                                      finisher_for)
    return data, warnings
