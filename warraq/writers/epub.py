"""The EPUB 3 writer: `Book` -> EPUB bytes, through templates/epub/ and ebooklib.

Python shapes the data: the nav tree from the headings, the manifest items, the OPF
metadata (`epub_package`, and the EPUB Accessibility 1.1 properties that `warraq.a11y`
derives from the finished content); the templates lay out each XHTML file. The spine: cover, title page and copyright page (book layout), contents, the
chapters (an article opens with its title block and ends with a light colophon).
Every structural part carries `epub:type` and its DPUB-ARIA role; headings never skip a
level; footnotes are pop-up notes (`noteref` -> `aside epub:type="footnote"`, with a
backlink). Given the page map of the print PDF (`warraq.pdf.pagemap`), the chapters carry
page-break markers and the nav a `page-list`. ebooklib packs the container
(`epub_package.pack`).
"""

from __future__ import annotations

import dataclasses
import posixpath
from typing import Callable

import lxml.etree as ET
from ebooklib import epub

from .. import __version__, a11y, furniture
from ..cache import NO_CACHE, Cache
from ..cover import Cover, front_cover
from ..fonts import faces
from ..heads import head_context
from ..model import Book, Chapter
from ..pdf.pagemap import AFTER, BEFORE, PageMap, PageStart, insert_markers
from ..readers.values import MARC_RELATORS
from ..titles import opens_with_title
from .epub_nav import OWN, chapter_file, nav_tree, own_page
from .epub_package import WARRAQ_VOCAB, metadata, pack
from ..templating import render
from ..xhtml import parse_fragment, serialise_children
from . import epub_fonts
from .contract import COUNT, Rendered, RenderContext
from .epub_links import id_files, point

#: ARIA DPUB roles in the model's XHTML and the `epub:type` each one also gets.
ROLE_TO_EPUB_TYPE = {
    "doc-noteref": "noteref", "doc-footnote": "footnote", "doc-endnotes": "endnotes",
    "doc-backlink": "backlink", "doc-epigraph": "epigraph", "doc-bibliography": "bibliography",
    "doc-pagebreak": "pagebreak", "doc-chapter": "chapter",
}
EPUB_NS = "http://www.idpf.org/2007/ops"
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
    "bibliography": ("bibliography", "doc-bibliography"),
    "index": ("index", "doc-index"),
}
#: <ol type> -> the class the stylesheet numbers it by.
LIST_STYLES = {"1": "list-decimal", "a": "list-lower-alpha", "A": "list-upper-alpha",
               "i": "list-lower-roman", "I": "list-upper-roman"}
#: Author classes on fenced divs (`::: epigraph`) -> (epub:type, ARIA role).
CLASS_SEMANTICS = {
    "epigraph": ("epigraph", "doc-epigraph"), "bibliography": ("bibliography",
                                                               "doc-bibliography"),
    "dedication": ("dedication", "doc-dedication"), "pullquote": ("pullquote",
                                                                  "doc-pullquote"),
    "abstract": ("abstract", "doc-abstract"), "colophon": ("colophon", "doc-colophon"),
    "notice": ("notice", "doc-notice"), "tip": ("tip", "doc-tip"),
    "example": ("example", "doc-example"), "credits": ("credits", "doc-credits"),
}


class _Verbatim(epub.EpubItem):
    """A manifest item written exactly as given (ebooklib re-parses EpubHtml content)."""

    def __init__(self, uid: str, file_name: str, media_type: str, content: bytes,
                 properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type=media_type, content=content)
        self.properties = list(properties)


def _semantics(wrapper: ET._Element) -> None:
    """`epub:type` for every DPUB role, roles for known classes, `xml:lang` for every
    `lang`, images into images/."""
    for el in wrapper.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("lang") and not el.get(XML_LANG):
            el.set(XML_LANG, el.get("lang"))        # XHTML reading systems read xml:lang
        if el.tag in ("div", "section", "aside", "blockquote") and not el.get("role"):
            for cls in (el.get("class") or "").split():
                if cls in CLASS_SEMANTICS:
                    el.set("role", CLASS_SEMANTICS[cls][1])
                    break
        etype = ROLE_TO_EPUB_TYPE.get(el.get("role", ""))
        if etype is None:
            etype = next((v[0] for v in CLASS_SEMANTICS.values()
                          if v[1] == el.get("role")), None)
        if etype:
            el.set(f"{{{EPUB_NS}}}type", etype)
        if el.tag == "img":
            el.set("src", "../images/" + el.get("src", ""))
        if el.tag == "ol" and el.get("type") in LIST_STYLES:
            # Reading systems that load XHTML as HTML match [type="a"] without case, so
            # a./A. and i./I. lists would look alike: style them by class instead.
            el.set("class", " ".join(filter(None, (el.get("class"),
                                                   LIST_STYLES[el.get("type")]))))


ET.register_namespace("epub", EPUB_NS)       # `epub:type`, not `ns0:type`, when serialised


def _serialise(wrapper: ET._Element) -> str:
    # The documents declare xmlns:epub on <html>; drop the copies lxml puts on elements.
    return serialise_children(wrapper).replace(f' xmlns:epub="{EPUB_NS}"', "")


def epub_xhtml(fragment: str, starts: list[PageStart] = (), headings: bool = False,
               start: int = 1) -> str:
    """Model XHTML for an EPUB file in text/: every DPUB `role` also gets its `epub:type`,
    images point into images/; with `headings`, heading levels lose their gaps; `starts`
    are the page-break markers to put in."""
    wrapper = parse_fragment(fragment)
    if headings:
        a11y.normalise_headings(wrapper, start)
    if starts:
        insert_markers(wrapper, list(starts))
    _semantics(wrapper)
    return _serialise(wrapper)


def _marker_html(start: PageStart) -> str:
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{start.label}" '
            f'aria-label="{start.label}"></span>')


def _chapter_context(book: Book, chapter: Chapter, starts: list[PageStart],
                     where: dict[str, str] | None = None) -> dict:
    etype, role = KIND_SEMANTICS.get(chapter.kind, ("chapter", "doc-chapter"))
    own, where = posixpath.basename(chapter_file(chapter)), where or {}
    lead = [s for s in starts if s.block == BEFORE]
    trail = [s for s in starts if s.block == AFTER]
    return {
        "lang": chapter.lang or book.meta.lang, "title": chapter.title, "id": chapter.id,
        "dir": furniture.direction(chapter.lang or book.meta.lang),
        "epub_type": etype, "role": role,
        "lead_markers": "".join(_marker_html(s) for s in lead),
        "trail_markers": "".join(_marker_html(s) for s in trail),
        "body": epub_xhtml(point(chapter.html, own, where), [s for s in starts if s.block >= 0],
                           headings=True, start=1 if opens_with_title(chapter.headings) else 2),
        "notes": [{"id": n.id, "ref_id": n.ref_id, "label": n.label,
                   "html": epub_xhtml(point(n.html, own, where))} for n in chapter.footnotes],
    }


def _chapter_page(book: Book, chapter: Chapter, page_map: PageMap | None,
                  where: dict[str, str], common: dict) -> str:
    """A chapter's XHTML document: its page-break markers, its links into other chapter
    files, an article's title block above its first part (in a volume, above each
    article's chapter: `warraq.heads`)."""
    starts = page_map.for_chapter(chapter.id) if page_map else []
    return render("epub/chapter.xhtml", **_chapter_context(book, chapter, starts, where),
                  **head_context(book, chapter, {k: v for k, v in common.items()
                                                 if k not in ("lang", "dir")}))


def _xhtml(uid: str, name: str, text: str, properties: tuple[str, ...] = ()) -> _Verbatim:
    """An XHTML document of the EPUB (`mathml` among its properties when it holds a formula)."""
    maths = ("mathml",) if "<math" in text else ()
    return _Verbatim(uid, name, "application/xhtml+xml", text.encode(), properties + maths)


def _font_credits(book: Book, licences: dict[str, str]) -> list[dict]:
    """The families the book is set in, each with version, licence and the page that
    holds the licence text."""
    from ..transforms.glyphs import families_used
    first = {f.family: f for f in reversed(faces(book.meta.font_choice))}
    return [{"family": name, "version": first[name].version, "license": first[name].license,
             "href": posixpath.basename(licences.get(name, ""))}
            for name in families_used(book)]


def _contributors(book: Book) -> list[dict]:
    return [{"name": p.name, "role_name": furniture.role_name(
                book.meta.lang, p.role, MARC_RELATORS.get(p.role, p.role).capitalize())}
            for p in book.meta.contributors]


def _first_body_chapter(book: Book) -> Chapter:
    front = ("preface", "foreword", "dedication", "epigraph", "acknowledgments")
    return next((c for c in book.chapters if c.kind not in front), book.chapters[0])


def _add_styles(ebook: epub.EpubBook, book: Book, fonts: list) -> None:
    """The stylesheet and the embedded fonts it names."""
    ebook.add_item(_Verbatim(OWN + "css", "styles/book.css", "text/css",
                             render("epub/book.css", volume=book.is_volume,
                                    **epub_fonts.css_context(book, fonts)).encode()))
    for uid, name, media_type, data in epub_fonts.manifest_items(fonts):
        ebook.add_item(_Verbatim(OWN + uid, name, media_type, data))


def _images_and_cover(book: Book, cover: Cover) -> tuple[list, Cover]:
    """The images the text shows, and the cover under a file name none of them uses
    (content images keep their source paths under images/)."""
    in_text = [r for r in book.resources if r.path != book.meta.cover_image
               or any(f'src="{r.path}"' in c.html for c in book.chapters)]
    taken = {r.path for r in in_text}
    stem, _, ext = cover.file_name.rpartition(".")
    cover_name = next(name for name in (f"{stem}-{i}.{ext}" if i else cover.file_name
                                            for i in range(99))
                      if name not in taken)
    return in_text, dataclasses.replace(cover, file_name=cover_name)


def _nav_text(book: Book, points: list, page_map: PageMap | None, common: dict) -> str:
    """The nav document: contents, landmarks and, with a page map, the page-list."""
    pages = []
    if page_map:
        known = {c.id for c in book.chapters}
        pages = [{"label": p.label, "href": f"text/{p.chapter}.xhtml#page-{p.label}"}
                 for p in page_map.pages if p.chapter in known]
    return render("epub/nav.xhtml", points=points, pages=pages,
                  first_href=chapter_file(_first_body_chapter(book)),
                  has_titlepage=book.meta.layout == "book",
                  own={n: own_page(n) for n in ("cover", "titlepage", "copyright")}, **common)


def write_epub(book: Book, page_map: PageMap | None = None, cover: Cover | None = None,
               cache: Cache = NO_CACHE, fonts: list | None = None,
               on_chapter: Callable[[int, int], None] | None = None) -> bytes:
    """The EPUB's bytes. `page_map` (from the laid-out print PDF) adds page-break markers
    and a page-list; `cover` defaults to `cover.front_cover(book)` and `fonts` to
    `epub_fonts.book_fonts(book)`; `cache` keeps the generated cover and the font
    subsets (`warraq.cache`); `on_chapter(n, of)` is told as each chapter is made (for a
    progress display)."""
    meta = book.meta
    cover = cover or front_cover(book, cache)
    fonts = fonts if fonts is not None else epub_fonts.book_fonts(book, cache)
    ebook = epub.EpubBook()
    ebook.add_prefix("warraq", WARRAQ_VOCAB)
    metadata(ebook, book)
    page_source = page_map.source if page_map and page_map.pages else None
    common = {"meta": meta, "authors": meta.authors, "lang": meta.lang,
              "date_text": book.dates.gregorian_text if book.dates else "",
              "dateline_text": book.dates.dateline_text if book.dates else "",
              "generator": f"warraq {__version__}",
              "dir": furniture.direction(meta.lang), "t": furniture.strings(meta.lang)}
    is_book = meta.layout == "book"

    _add_styles(ebook, book, fonts)
    in_text, cover = _images_and_cover(book, cover)
    ebook.add_item(_Verbatim(OWN + "cover-image", f"images/{cover.file_name}", cover.media_type,
                             cover.data, ("cover-image",)))
    documents: dict[str, _Verbatim] = {}

    def add(item: _Verbatim) -> _Verbatim:
        ebook.add_item(item)
        documents[item.file_name] = item
        return item

    spine: list = [add(_xhtml(OWN + "cover", own_page("cover"),
                              render("epub/cover.xhtml", cover=cover, lang=meta.lang,
                                     dir=common["dir"], t=common["t"])))]
    licences = epub_fonts.licences(book)
    imprint = render("epub/copyright.xhtml", contributors=_contributors(book),
                     fonts=_font_credits(book, {lic.family: lic.file_name for lic in licences}),
                     page_source=page_source,
                     build_date=book.build_date.date().isoformat(), **common)
    if is_book:
        spine.append(add(_xhtml(OWN + "titlepage", own_page("titlepage"),
                                render("epub/titlepage.xhtml", **common))))
        spine.append(add(_xhtml(OWN + "copyright", own_page("copyright"), imprint)))

    points = nav_tree(book)
    nav = add(_xhtml(OWN + "nav", "nav.xhtml", _nav_text(book, points, page_map, common),
                     ("nav",)))
    if is_book:
        spine.append(nav)           # an article stays light: its title block opens the text

    where = id_files(book)
    for number, chapter in enumerate(book.chapters, 1):
        if on_chapter is not None:
            on_chapter(number, len(book.chapters))
        content = _chapter_page(book, chapter, page_map, where, common)
        spine.append(add(_xhtml(chapter.id, chapter_file(chapter), content)))
    if not is_book:
        spine.append(add(_xhtml(OWN + "copyright", own_page("copyright"), imprint)))
    for n, lic in enumerate(licences):
        page = render("epub/licence.xhtml", family=lic.family,
                      text=lic.data.decode("utf-8", "replace"))
        spine.append((add(_xhtml(f"{OWN}licence{n}", lic.file_name, page)), "no"))
    for n, resource in enumerate(in_text):
        ebook.add_item(_Verbatim(f"{OWN}img{n}", posixpath.join("images", resource.path),
                                 resource.media_type, resource.data))

    facts = a11y.gather({name: item.content for name, item in documents.items()
                         if item is not nav}, nav.content, cover_href=own_page("cover"),
                        page_source=page_source, certifier=meta.publisher)
    for prop, value in a11y.metadata(facts):
        ebook.add_metadata(None, "meta", value, {"property": prop})

    return pack(ebook, book, points, spine)


class EpubWriter:
    """`--format epub`: `<slug>.epub`. When the print edition is laid out in the same
    build, its `page-map` artefact gives the EPUB its page-list. Its `epub` artefact (the
    same bytes) is what the AZW3 writer converts."""

    name = "epub"
    needs: tuple[str, ...] = ("pdf",)

    def render(self, context: RenderContext) -> Rendered:
        book, cache = context.book, context.cache
        # The costly parts that need no page map first: the print edition may still be
        # being laid out in another process, and its page map is waited for only then
        # (passing on that process's progress); the EPUB's own stage begins after it.
        cover, fonts = front_cover(book, cache), epub_fonts.book_fonts(book, cache)
        page_map = context.artefact("page-map")
        context.progress("epub", f"{book.slug}.epub")
        data = write_epub(book, page_map, cover, cache, fonts,
                          on_chapter=lambda n, of: context.progress(COUNT, f"chapter {n} of {of}"))
        return Rendered(files={f"{book.slug}.epub": data}, artefacts={"epub": data})
