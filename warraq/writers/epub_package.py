"""The EPUB's package: the OPF metadata (title, subtitle, creators and contributors with
MARC relator refines, series as `belongs-to-collection`, dates, subjects, warraq's own
`warraq:hijri-date`), and the container: the NCX, the spine, ebooklib's zip with its bytes
fixed by `output.deterministic_zip` (and `xml:lang` on the package element)."""

from __future__ import annotations

import io

import lxml.etree as ET
from ebooklib import epub

from .. import __version__, furniture
from ..model import Book
from ..output import deterministic_zip
from .epub_nav import OWN, NavPoint

#: warraq's metadata vocabulary (README, "EPUB metadata"): `warraq:hijri-date`.
WARRAQ_VOCAB = "https://warraq.invalid/ns/1.0/"


def metadata(ebook: epub.EpubBook, book: Book) -> None:
    """The OPF's metadata from book.yaml (and the Hijri date, the reading direction)."""
    meta = book.meta
    ebook.set_identifier(meta.identifier)
    ebook.set_language(meta.lang)
    ebook.add_metadata("DC", "title", meta.title, {"id": "title"})
    ebook.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if meta.subtitle:
        ebook.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        ebook.add_metadata(None, "meta", "subtitle",
                           {"refines": "#subtitle", "property": "title-type"})
    for n, person in enumerate(meta.creators, 1):
        ebook.add_metadata("DC", "creator", person.name, {"id": f"creator{n}"})
        _role(ebook, f"creator{n}", person)
    for n, person in enumerate(meta.contributors, 1):
        ebook.add_metadata("DC", "contributor", person.name, {"id": f"contributor{n}"})
        _role(ebook, f"contributor{n}", person)
    if meta.date:
        ebook.add_metadata("DC", "date", meta.date.isoformat())
    for key in ("publisher", "rights", "description"):
        value = getattr(meta, key)
        if value:
            ebook.add_metadata("DC", key, value)
    for subject in meta.subjects:
        ebook.add_metadata("DC", "subject", subject)
    if meta.collection:
        ebook.add_metadata(None, "meta", meta.collection,
                           {"property": "belongs-to-collection", "id": "collection"})
        ebook.add_metadata(None, "meta", "series",
                           {"refines": "#collection", "property": "collection-type"})
        if meta.group_position:
            ebook.add_metadata(None, "meta", str(meta.group_position),
                               {"refines": "#collection", "property": "group-position"})
    ebook.add_metadata(None, "meta", "", {"name": "generator", "content": f"warraq {__version__}"})
    if book.dates and book.dates.hijri:
        ebook.add_metadata(None, "meta", book.dates.hijri_iso,
                           {"property": "warraq:hijri-date"})
    ebook.title = meta.title        # the NCX's docTitle
    if furniture.direction(meta.lang) == "rtl":
        ebook.set_direction("rtl")  # the spine's page-progression-direction


def _role(ebook: epub.EpubBook, ident: str, person) -> None:
    ebook.add_metadata(None, "meta", person.role, {"refines": f"#{ident}", "property": "role",
                                                   "scheme": "marc:relators"})
    if person.file_as:
        ebook.add_metadata(None, "meta", person.file_as,
                           {"refines": f"#{ident}", "property": "file-as"})


def _fix_opf(lang: str):
    """Add `xml:lang` to the package element (ebooklib leaves it out)."""
    def edit(name: str, content: bytes) -> bytes:
        if not name.endswith(".opf"):
            return content
        parser = ET.XMLParser(resolve_entities=False, no_network=True)
        root = ET.fromstring(content, parser)
        root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
        return ET.tostring(root, xml_declaration=True, encoding="utf-8")
    return edit


def _ncx_toc(points: list[NavPoint]) -> list:
    out = []
    for p in points:
        link = epub.Link(p.href, p.title, p.href.replace("/", "-").replace(".", "-")
                         .replace("#", "-"))
        out.append((epub.Section(p.title, p.href), _ncx_toc(p.children)) if p.children
                   else link)
    return out


def pack(ebook: epub.EpubBook, book: Book, points: list[NavPoint], spine: list) -> bytes:
    """The container: the NCX and spine added, zipped by ebooklib, its bytes fixed."""
    ebook.add_item(epub.EpubNcx(uid=OWN + "ncx"))
    ebook.toc = _ncx_toc(points)
    ebook.spine = spine
    raw = io.BytesIO()
    epub.write_epub(raw, ebook, {"mtime": book.build_date, "epub3_pages": False,
                                 "play_order": {"enabled": True, "start_from": 1}})
    return deterministic_zip(raw.getvalue(), book.build_date, edit=_fix_opf(book.meta.lang))
