"""The print interior: `Book` -> PDF bytes, through templates/pdf/ and `warraq.pdf.render`.

Python shapes the data (contents entries, footnotes moved to where they are called, code
split at the measure, wide tables marked, font faces, page geometry); the templates lay
it out. WeasyPrint may load only the book's own resources (from the `Book`, never from
disk) and the font files of `warraq.fonts` (`warraq.pdf.fetcher`): any other URL is
refused and fails the build. With mirrored margins the first layout takes the gutter
band of the predicted page count (`warraq.pdf.pagecount`) and the book is laid out again
only if the count ends in another band; each layout keeps whole the words the
chapter-by-chapter mending found (`warraq.pdf.mending`), a book it mends is laid out
in parts, a chapter at a time, and joined (`warraq.pdf.parts`: the mending's own
layouts), and the book is laid out again while the hyphenation still needs mending
(`warraq.pdf.breaks`); pages a kept unit left short are justified (`warraq.pdf.justify`);
formulas are drawn as SVG (`warraq.pdf.maths`). A book of chapters is written a part at
a time on every core and joined (`warraq.pdf.partwrite`, `warraq.pdf.join`; the tagged
profile is written whole).
"""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.document import Document

from .. import furniture
from ..cache import NO_CACHE, fingerprint
from ..fonts import SCRIPT_STACKS, Choice, script_stack
from ..heads import contents_entry, print_head
from ..highlight import print_code
from ..linebreaks import break_long_runs
from ..model import Book, Chapter
from ..templating import render
from ..titles import opens_with_title
from ..transforms.glyphs import families_used
from ..transforms.language import arabic_selector, script_of_lang
from ..xhtml import parse_fragment, serialise_children
from . import breaks, maths, pagemap
from . import render as weasy
from .document import book_trim, document_context
from .cached import print_inputs
from .fetcher import Fetcher
from .finisher import Finish, finisher
from .justify import justify, pitch_of
from .mending import Mending, by_chapter, chapter_keeps
from .notes import inline_note
from .pagecount import predict_pages
from .joined import write_joined
from .partwrite import part_ranges
from .parts import Part, Parts, joinable
from .bands import settled_band
from .lent import Lending
from .pagesetup import PageSetup, gutter_for
from .profiles import PROFILES, Profile
from .symbols import mark_symbols
from .tables import code_columns, mark_wide_tables
from .tags import tagging
from .tounicode import fix_to_unicode
from .written import Shelf, is_stand_in


def chapter_html(chapter: Chapter, code_columns: int | None = None,
                 script: str = "latin", choice: Choice = ()) -> str:
    """The chapter's XHTML for print: each footnote moved to its call (CSS `float:
    footnote`), whole (`warraq.pdf.notes`), and named by `data-wq-note`; code lines split
    at `code_columns` with a continuation mark and inline code breakable between tokens
    (`warraq.highlight`); wide tables and long words in cells marked
    (`warraq.pdf.tables`); the characters the math or symbol face sets (in text of
    `script`, with the fonts of `choice`) kept from stretching their lines
    (`warraq.pdf.symbols`)."""
    notes = {f"#{n.id}": n for n in chapter.footnotes}
    wrapper = parse_fragment(chapter.html)
    calls = 0
    for ref in list(wrapper.iter("a")):
        if ref.get("class") != "noteref" or ref.get("href") not in notes:
            continue
        note = notes[ref.get("href")]
        span = parse_fragment(f'<span class="footnote">{inline_note(note.html)}</span>')[0]
        if ref.get("id") == note.ref_id:
            span.set("id", note.id)
        calls += 1
        span.set(breaks.NOTE_ATTR, f"{chapter.id}:{calls}")
        span.tail = ref.tail
        ref.getparent().replace(ref, span)
    if code_columns:
        print_code(wrapper, code_columns)
    mark_wide_tables(wrapper)
    mark_symbols(wrapper, script, choice)
    return serialise_children(wrapper)


def _ink(profile: Profile) -> str:
    """The colour text and rules are drawn in."""
    return "black" if profile.colour == "rgb" else "device-cmyk(0 0 0 1)"


def context(book: Book, page: PageSetup, profile: Profile = PROFILES["print"],
            only: str | None = None, part: Part | None = None) -> dict:
    """Everything the PDF templates need, shaped in Python (`only`: the id of the one
    chapter to lay out, alone, without the front matter, `warraq.pdf.mending`; `part`:
    what else a part of a book laid out in parts needs, `assemble`)."""
    meta = book.meta
    first = book.chapters[0].id if book.chapters else None
    last = book.chapters[-1].id if book.chapters else None
    columns = code_columns(page, meta.font_choice)
    part = part or Part()

    def opening(c: Chapter, html: str) -> dict:
        return {"id": c.id, "kind": c.kind, "lang": c.lang, "title": c.title, "html": html,
                "head": print_head(book, c),
                "dir": furniture.direction(c.lang) if c.article and c.lang else None,
                "first": c.id == first}
    after = {c.id: n for c, n in zip(book.chapters, book.chapters[1:])}
    follow = book.chapters[0] if part.front else after.get(only) if part.follow else None
    return {
        **document_context(book, profile),
        "date_text": book.dates.gregorian_text if book.dates else "",
        "dateline_text": book.dates.dateline_text if book.dates else "",
        "stacks": {s: script_stack(s, meta.font_choice) for s in SCRIPT_STACKS},
        "code_colour": profile.colour != "grey",
        "arabic_selector": arabic_selector(book.meta.script_lang),
        "toc": [{"title": c.title, "href": f"#{c.id}", "id": c.id, "kind": c.kind,
                 **contents_entry(book, c)} for c in book.chapters],
        "chapters": [opening(c, break_long_runs(chapter_html(
                         c, columns, script_of_lang(c.lang or meta.lang, meta.script_lang),
                         meta.font_choice)))
                     for c in book.chapters if not part.front and (
                         only is None or c.id == only)],
        "front_matter": only is None,
        "start_folio": part.start,
        "folios": {cid: furniture.digits(str(n), meta.lang, meta.digits)
                   for cid, n in part.folios} if part.front else None,
        "follow": opening(follow, "") if follow else None,
        "volume": book.is_volume,
        "is_book": meta.layout == "book",
        "page": page,
        "profile": profile,
        "ink": _ink(profile),
        "css_bleed": profile.bleed + profile.slug,
        "pad_even": profile.page_count == "even-blank-last" and only in (None, last) and (
            not part.front),
        "used_families": families_used(book),
        "title_heading": bool(book.chapters) and not opens_with_title(book.chapters[0].headings),
        **furniture.pdf_context(book),
    }


@dataclass
class Layout:
    """A laid-out book: the page set-up it was laid out with and WeasyPrint's document;
    the galley it came from (`warraq.pdf.relayout`) and the words it kept whole."""

    page: PageSetup
    document: Document
    fetcher: Fetcher
    warnings: list[str] = field(default_factory=list)
    galley: weasy.Galley | None = None
    kept: frozenset = frozenset()
    #: the digest of the HTML and CSS it was laid out from (`warraq.pdf.written`)
    source: str = ""
    #: a book laid out in parts: each part's (the front matter's, then each chapter's)
    #: (key in the cache, layout) when it was laid out here, (key, stand-in pages) when
    #: another process lent it (`warraq.pdf.lent`), None when it came from the cache
    #: (`Parts.assemble`)
    laid: list | None = None
    #: the chapters in the build cache it may take and keep (`warraq.pdf.written.Shelf`)
    shelf: Shelf | None = None
    #: the chapters the mending's workers lend it (`warraq.pdf.lent`), if any
    lending: Lending | None = None

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def settle(self) -> None:
        """Let go of the galley (its box tree and styles): no more mending is asked of
        this layout (a later one starts afresh)."""
        self.galley = None

    def again(self, keep: frozenset) -> "Layout | None":
        """The same document laid out again keeping the words of `keep` (at least those
        it kept) whole, from its galley: only the pages the new words can change are
        laid out. None if the galley has moved on to other words since."""
        made = self.galley
        if made is None or made.kept != self.kept or not keep >= self.kept:
            return None
        document, messages = weasy.relay(made, keep)
        return Layout(self.page, document, self.fetcher,
                      list(dict.fromkeys(self.warnings + messages)), made, keep, self.source)


    def at(self, start: int, source: str) -> "Layout | None":
        """The same layout with its folios starting at `start` (`source`: the digest of
        the HTML and CSS that start it there); None if its galley cannot move them."""
        document = self.galley.refolio(start) if self.galley is not None else None
        if document is None:
            return None
        return Layout(self.page, document, self.fetcher, list(self.warnings), self.galley,
                      self.kept, source)


def _lay_out(book: Book, profile: Profile, page: PageSetup,
             keep: frozenset = frozenset(), only: str | None = None,
             sheets: weasy.Stylesheets | None = None, part: Part | None = None) -> Layout:
    html, css = _sources(book, profile, page, only, part)
    fetcher = Fetcher.for_book(book, profile.colour)
    made, document, messages = weasy.galley(html, css, fetcher, sheets=sheets, keep=keep)
    return Layout(page, document, fetcher, messages, made, keep, fingerprint((html, css)))


def _sources(book: Book, profile: Profile, page: PageSetup, only: str | None = None,
             part: Part | None = None) -> tuple[str, str]:
    """The print HTML and CSS of the book, or of one of its parts."""
    ctx = context(book, page, profile, only, part)
    return render("pdf/book.html", **ctx), render("pdf/book.css", **ctx)


def _source(book: Book, profile: Profile, page: PageSetup, only: str | None = None,
            part: Part | None = None) -> str:
    """What a part is laid out from, as a digest (`Layout.source`)."""
    return fingerprint(_sources(book, profile, page, only, part))


#: Layouts at most for mending hyphenation, the first included (each keeps whole the
#: words the one before broke badly; a mended paragraph re-breaks, and may shift the
#: pages after it, so a new fault can turn up further on).
MENDING_PASSES = 5


def _mended(book: Book, profile: Profile, layout: Layout,
            keep: frozenset, lay: Callable[..., Layout]) -> Layout:
    """`layout` (laid out keeping the words of `keep` whole) laid out again, with the
    same page set-up, while `warraq.pdf.breaks` finds a third hyphenated line in a row or
    a page ending in a broken word (at most `MENDING_PASSES` layouts in all)."""
    for _ in range(MENDING_PASSES - 1):
        found = breaks.faults(layout.document)
        if found <= keep:
            break
        keep |= found
        layout = lay(book, profile, layout.page, keep)
    return layout


def lay_out(book: Book, profile: Profile = PROFILES["print"],
            pages_hint: int | None = None, mending: Mending | None = None,
            lending: Lending | None = None) -> Layout:
    """Lay the book out for the profile. With mirrored margins the gutter depends on the
    page count (KDP table): the first layout takes the band of `pages_hint` (a count
    from another profile) or else of the count `pagecount.predict_pages` foresees from
    the text, and the book is laid out again only when the count falls in another band
    (`_band`). Then the hyphenation is mended (`_mended`; blocks carry `data-wq-block`,
    `pagemap.numbered`, which the mending names words by); should that move the page
    count to another band, the book is laid out for that band once more.

    The band is the narrowest whose layout stays in it, as counting up from one page
    finds it, wherever the first try starts (if two bands keep sending each other back,
    the wider gutter wins): so a profile's PDF depends on the book and the profile only,
    not on the hint.

    Each layout starts from the words `warraq.pdf.mending` finds chapter by chapter for
    its page set-up (with `mending`: its processes and cache; without, in this one);
    with `lending` and a build cache, the chapters its other processes mended are lent
    (`warraq.pdf.lent`: the caller ends them, `Lending.close`)."""
    if not any(pagemap.ATTR in c.html for c in book.chapters):
        book = pagemap.numbered(book)
    book = maths.drawn(book, profile.colour)   # formulas as SVG: WeasyPrint has no MathML
    trim = book_trim(book)
    mending = mending or Mending()
    # every layout of this book for this profile parses the same CSS (per page set-up)
    sheets = weasy.Stylesheets()
    # (WeasyPrint tags one document's boxes; an index's pages point into every chapter)
    in_parts = not profile.tags and joinable(book)
    # a book in parts is written in parts, each chapter kept in the build cache
    shelf = Shelf(mending.cache, profile, book, print_inputs(book)) if (
        mending.cache.enabled and in_parts and by_chapter(book)) else None
    parts = Parts(_lay_out, book, profile, sheets, shelf, _source)
    if shelf is not None and lending is not None:   # (the workers' chapters are lent)
        parts.lending, lending.parts = lending, parts

    def lay(book_: Book, profile_: Profile, page: PageSetup, keep: frozenset = frozenset(),
            only: str | None = None) -> Layout:
        if only is not None:
            return parts.chapter(page, only, keep)
        if in_parts and by_chapter(book):
            return parts.assemble(page, keep, Layout)
        before = whole.get(page)
        layout = (before.again(keep) if before else None) or _lay_out(
            book_, profile_, page, keep, None, sheets)
        whole[page] = layout
        return layout
    whole: dict[PageSetup, Layout] = {}     # the latest whole layout on each page set-up
    kept: dict[PageSetup, frozenset] = {}

    def forget() -> None:       # what a worker process keeps goes before it ends
        sheets.clear()
        parts.forget()

    def keeps(page: PageSetup) -> frozenset:
        if page not in kept:
            kept[page] = chapter_keeps(lay, book, profile, page, mending, print_inputs,
                                       forget, lambda found: parts.expect(page, found),
                                       parts.lending)
        return kept[page]
    if not profile.mirrored:
        page = PageSetup.for_book(trim, 1, False, profile.bleed, profile.min_margin)
        return _mended(book, profile, lay(book, profile, page, keeps(page)), keeps(page), lay)
    pages = pages_hint if pages_hint is not None else predict_pages(
        book, PageSetup.for_book(trim, 1, True, profile.bleed, profile.min_margin))
    tried: dict[float, Layout] = {}
    mended: dict[float, Layout] = {}
    while True:
        band = settled_band(book, trim, profile, tried, gutter_for(pages), keeps, lay)
        if band in mended:      # the mending and the bands send each other back: the
            return mended[band]  # wider gutter (the band `_band` settled in) wins
        layout = mended[band] = _mended(book, profile, tried[band],
                                        keeps(tried[band].page), lay)
        new_band = gutter_for(layout.pages)
        if new_band == band or new_band in mended:
            return mended[max(band, new_band)]
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


def render_pdf(book: Book, profile: Profile = PROFILES["print"], pages_hint: int | None = None,
               on_document: Callable[[Document, list], None] | None = None,
               mending: Mending | None = None, draws: list | None = None
               ) -> tuple[bytes, list[str]]:
    """The PDF's bytes and WeasyPrint's warnings. A URL outside the book raises
    `warraq.pdf.fetcher.RefusedURL` (the writer reports it as W307).

    `on_document`, if given, is called with the laid-out WeasyPrint `Document` before it
    is written, and where each of its pages begins (`pagemap.page_starts`); `mending`:
    the processes and cache the chapter-by-chapter mending may use (`lay_out`); `draws`,
    if given, is filled with what each page draws when the PDF was written in parts
    (`warraq.pdf.preflight.pages`: the preflight need not walk the pages again)."""
    lending = Lending()
    try:
        made = _render_pdf(book, profile, pages_hint, on_document, mending, draws, lending)
    except BaseException:
        lending.stop()
        raise
    lending.close()
    return made


def _render_pdf(book: Book, profile: Profile, pages_hint: int | None, on_document,
                mending: Mending | None, draws: list | None, lending: Lending
                ) -> tuple[bytes, list[str]]:
    layout = lay_out(book, profile, pages_hint, mending, lending)
    document = layout.document

    def afresh() -> tuple[bytes, list[str]]:    # (without the chapters from the cache)
        return render_pdf(book, profile, pages_hint, on_document, dataclasses.replace(
            mending, cache=NO_CACHE), draws)
    pitch = pitch_of(document)
    if any(is_stand_in(p) and p.written.pitch not in (None, pitch) for p in document.pages):
        return afresh()     # a chapter from the cache was justified by another pitch
    justify(document, pitch)    # pages a kept unit left short (warraq.pdf.justify)
    starts = pagemap.page_starts(document, book, pagemap.page_labels(document)) if (
        on_document is not None or any(layout.laid or ())) else None
    if on_document is not None:
        on_document(document, starts)
    finish = Finish(profile, book_trim(book).points, body_start(book, document))
    ranges = part_ranges([c.id for c in book.chapters], document) if (
        by_chapter(book) and not profile.tags) else None
    jobs = mending.jobs if mending else 1
    with tagging(book.meta.lang) if profile.tags else nullcontext():
        written = write_joined(book, document, ranges, finish, jobs, layout.shelf,
                               layout.laid, draws, pitch, starts, layout.lending
                               ) if ranges else None
        if written is None and any(is_stand_in(p) for p in document.pages):
            return afresh()     # (only a book written in parts takes from the cache)
        if written is None:
            data, messages = weasy.write(document, finisher(book, finish),
                                         pdf_variant=profile.variant, pdf_tags=profile.tags)
            # copied Arabic = the source text (warraq.pdf.tounicode; a join does it too)
            written = fix_to_unicode(data), messages
    data, messages = written
    if layout.shelf is not None and mending is not None:
        mending.parts.update(layout.shelf.made)
    return data, layout.warnings + messages
