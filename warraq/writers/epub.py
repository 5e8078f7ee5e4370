"""The EPUB 3 writer: `Book` -> EPUB bytes, through templates/epub/ and ebooklib.

Python shapes the data: the nav tree from the headings, the manifest items, the OPF
metadata (title, subtitle, creators and contributors with MARC relator refines, series
as `belongs-to-collection`, dates, subjects); the templates lay out each XHTML file.
ebooklib packs the container; `output.deterministic_zip` then fixes its bytes.
"""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass, field

import lxml.etree as ET
from ebooklib import epub

from .. import __version__
from ..model import Book, Chapter
from ..output import deterministic_zip
from ..templating import render
from ..xhtml import parse_fragment, serialise_children
from . import epub_fonts

#: ARIA DPUB roles in the model's XHTML and the `epub:type` each one also gets.
ROLE_TO_EPUB_TYPE = {
    "doc-noteref": "noteref", "doc-footnote": "footnote", "doc-endnotes": "endnotes",
    "doc-backlink": "backlink", "doc-epigraph": "epigraph", "doc-bibliography": "bibliography",
    "doc-pagebreak": "pagebreak", "doc-chapter": "chapter",
}
EPUB_NS = "http://www.idpf.org/2007/ops"
#: warraq's metadata vocabulary (README, "EPUB metadata"): `warraq:hijri-date`.
WARRAQ_VOCAB = "https://warraq.invalid/ns/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: `kind` of a chapter -> (epub:type, ARIA role) of its section.
KIND_SEMANTICS = {
    "chapter": ("chapter", "doc-chapter"), "preface": ("preface", "doc-preface"),
    "foreword": ("foreword", "doc-foreword"), "introduction": ("introduction",
                                                               "doc-introduction"),
    "prologue": ("prologue", "doc-prologue"), "epilogue": ("epilogue", "doc-epilogue"),
    "afterword": ("afterword", "doc-afterword"), "appendix": ("appendix", "doc-appendix"),
    "conclusion": ("conclusion", "doc-conclusion"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
    "dedication": ("dedication", "doc-dedication"), "epigraph": ("epigraph", "doc-epigraph"),
}


@dataclass
class NavPoint:
    """An entry of the table of contents, with its sub-entries."""

    title: str
    href: str
    children: list["NavPoint"] = field(default_factory=list)


class _Verbatim(epub.EpubItem):
    """A manifest item written exactly as given (ebooklib re-parses EpubHtml content)."""

    def __init__(self, uid: str, file_name: str, media_type: str, content: bytes,
                 properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type=media_type, content=content)
        self.properties = list(properties)


def chapter_file(chapter: Chapter) -> str:
    return f"text/{chapter.id}.xhtml"


def nav_tree(book: Book, max_level: int = 3) -> list[NavPoint]:
    """The heading tree of the whole book: each chapter's headings nested by level."""
    roots: list[NavPoint] = []
    for chapter in book.chapters:
        stack: list[tuple[int, NavPoint]] = []
        for i, heading in enumerate(chapter.headings):
            if heading.level > max_level:
                continue
            href = chapter_file(chapter) + ("" if i == 0 else f"#{heading.id}")
            point = NavPoint(chapter.title if i == 0 else heading.text, href)
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            (stack[-1][1].children if stack else roots).append(point)
            stack.append((heading.level, point))
    return roots


def _ncx_toc(points: list[NavPoint]) -> list:
    out = []
    for p in points:
        link = epub.Link(p.href, p.title, p.href.replace("/", "-").replace(".", "-")
                         .replace("#", "-"))
        out.append((epub.Section(p.title, p.href), _ncx_toc(p.children)) if p.children
                   else link)
    return out


def epub_xhtml(fragment: str) -> str:
    """Model XHTML for an EPUB file in text/: every DPUB `role` also gets its `epub:type`,
    every `lang` its `xml:lang`, and images point into images/."""
    if "role=" not in fragment and "<img" not in fragment and "lang=" not in fragment:
        return fragment
    wrapper = parse_fragment(fragment)
    for el in wrapper.iter():
        if el.get("lang") is not None:
            el.set(XML_LANG, el.get("lang"))
        etype = ROLE_TO_EPUB_TYPE.get(el.get("role", ""))
        if etype:
            el.set(f"{{{EPUB_NS}}}type", etype)
        if el.tag == "img":
            el.set("src", "../images/" + el.get("src", ""))
    text = serialise_children(wrapper)
    return text.replace(f' xmlns:ns0="{EPUB_NS}"', "").replace("ns0:type", "epub:type")


def _chapter_context(book: Book, chapter: Chapter) -> dict:
    etype, role = KIND_SEMANTICS.get(chapter.kind, ("chapter", "doc-chapter"))
    return {
        "lang": chapter.lang or book.meta.lang, "title": chapter.title, "id": chapter.id,
        "epub_type": etype, "role": role, "body": epub_xhtml(chapter.html),
        "notes": [{"id": n.id, "ref_id": n.ref_id, "label": n.label,
                   "html": epub_xhtml(n.html)} for n in chapter.footnotes],
    }


def _metadata(ebook: epub.EpubBook, book: Book) -> None:
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
    if book.derived_value("hijri_date"):
        ebook.add_metadata(None, "meta", book.derived_value("hijri_date"),
                           {"property": "warraq:hijri-date"})


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


def write_epub(book: Book) -> bytes:
    """The EPUB's bytes."""
    meta = book.meta
    ebook = epub.EpubBook()
    ebook.add_prefix("warraq", WARRAQ_VOCAB)
    _metadata(ebook, book)
    common = {"meta": meta, "authors": meta.authors, "lang": meta.lang,
              "date_text": book.derived_value("date_text", ""),
              "dateline_text": book.derived_value("dateline_text", ""),
              "generator": f"warraq {__version__}"}

    css = _Verbatim("css", "styles/book.css", "text/css",
                    render("epub/book.css", **epub_fonts.css_context(book)).encode())
    ebook.add_item(css)
    for uid, name, media_type, data in epub_fonts.manifest_items(book):
        ebook.add_item(_Verbatim(uid, name, media_type, data))
    spine: list = []
    if meta.layout == "book":
        title_page = _Verbatim("titlepage", "text/titlepage.xhtml", "application/xhtml+xml",
                               render("epub/titlepage.xhtml", **common).encode())
        ebook.add_item(title_page)
        spine.append(title_page)

    points = nav_tree(book)
    nav = _Verbatim("nav", "nav.xhtml", "application/xhtml+xml", render(
        "epub/nav.xhtml", points=points, first_href=chapter_file(book.chapters[0]),
        has_titlepage=meta.layout == "book", **common).encode(), ("nav",))
    ebook.add_item(nav)
    spine.append(nav)

    for chapter in book.chapters:
        content = render("epub/chapter.xhtml", **_chapter_context(book, chapter),
                         article_head=meta.layout == "article" and chapter is book.chapters[0],
                         **{k: v for k, v in common.items() if k != "lang"})
        item = _Verbatim(chapter.id, chapter_file(chapter), "application/xhtml+xml",
                         content.encode())
        ebook.add_item(item)
        spine.append(item)
    for n, resource in enumerate(book.resources):
        if resource.path == meta.cover_image:
            continue
        ebook.add_item(_Verbatim(f"img{n}", posixpath.join("images", resource.path),
                                 resource.media_type, resource.data))

    ebook.add_item(epub.EpubNcx())
    ebook.toc = _ncx_toc(points)
    ebook.spine = spine
    raw = io.BytesIO()
    epub.write_epub(raw, ebook, {"mtime": book.build_date, "epub3_pages": False,
                                 "play_order": {"enabled": True, "start_from": 1}})
    return deterministic_zip(raw.getvalue(), book.build_date, edit=_fix_opf(meta.lang))
