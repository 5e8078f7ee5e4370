"""A book laid out in parts: each chapter alone, the front matter last, and their pages
joined into one WeasyPrint document, so that the layouts the chapter-by-chapter mending
(`warraq.pdf.mending`) made are the book's own and the book is not laid out whole again.

A chapter of a book opens on a fresh page (a recto with mirrored margins) and its
footnotes, running heads and line breaks are its own, so laid out alone it gives the
pages the whole book gives it, given two things: its folios, which go on from the
chapters before it (its layout starts the page counter there: `Part.start`), and the
blank verso the whole book puts after it when it ends on a recto (its layout is followed
by the next chapter's empty opening, whose page is dropped: `Part.follow`). The contents
are laid out last, with the folios the chapters were laid out with written in.

The mending lays out the chapters in the book's order, each with the words kept whole
so far; `Parts.chapter` starts each at the folio the chapters before it end on when
their latest layouts are known here (in this process), and `Parts.assemble` takes a
chapter's latest layout as it is when it kept the words the book keeps in it and
started at the right folio, and lays it out again otherwise (a chapter mended in
another process and not lent by it, or found in the cache's words but not its pages,
is laid out once here). The joined document is
the one-pass layout's, page for page: the tests compare their PDFs (tests/pdf/
test_parts.py). A tagged profile (PDF/UA) is laid out whole (WeasyPrint builds its
structure tree from one document's boxes), and so is a book with a chapter that prints
the pages of places in others (a volume's verse index: `joinable`).

A chapter not laid out here is first looked for in the build cache, as it was laid out
and written by an earlier build from the same HTML and CSS, keeping the same words
(`warraq.pdf.written`): its pages then stand in the book's document, and its PDF goes
to the join as it is (`warraq.pdf.joined`). A chapter another process mended is lent by
it when the book has a build cache (`warraq.pdf.lent`): placed at its folio there, its
pages stand in the same way, and that process writes its part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from ..model import Book
from .pagesetup import PageSetup
from .render import page_teller, pages_reported
from .profiles import Profile

#: `lay_out(book, profile, page, keep, only, sheets, part) -> Layout`
#: (`warraq.pdf.book._lay_out`)
LayOut = Callable[..., object]


@dataclass(frozen=True)
class Part:
    """A part of a book laid out in parts (`Parts.assemble`): the front matter alone
    (`front`, with each chapter's first folio, `folios`), or one chapter (`only`) whose
    folios start at `start` (None: as the whole book starts them, the first chapter) and
    which is followed by the next chapter's empty opening (`follow`)."""

    front: bool = False
    folios: tuple[tuple[str, int], ...] = ()
    start: int | None = None
    follow: bool = False


#: The mark of a link that prints the page it points to in another chapter (the verse
#: index of a volume, `target-counter`): such a book is laid out whole.
PAGE_REFERENCE = 'class="index-locator"'


def joinable(book: Book) -> bool:
    """Whether the book may be laid out in parts: no chapter prints the page of a place in
    another (a part's layout cannot see the others' pages)."""
    return not any(PAGE_REFERENCE in chapter.html for chapter in book.chapters)


def keep_for(keep: frozenset, chapter_id: str) -> frozenset:
    """The words of `keep` (`warraq.pdf.breaks`) in one chapter."""
    return frozenset(f for f in keep if f[0].startswith((f"{chapter_id}:",
                                                         f"note:{chapter_id}:")))


class _Laid(NamedTuple):
    """A chapter's latest layout: the words it kept whole, the folio it started at (None:
    not known when it was laid out) and the `Layout`."""

    keep: frozenset
    start: int | None
    layout: object


class Parts:
    """The chapter layouts of one book for one profile, the latest of each chapter on
    each page set-up, with the words it kept and the folio it started at."""

    def __init__(self, lay_out: LayOut, book: Book, profile: Profile, sheets,
                 shelf=None, source: Callable[..., str] | None = None):
        self.lay_out, self.book, self.profile, self.sheets = lay_out, book, profile, sheets
        self.latest: dict[tuple[PageSetup, str], _Laid] = {}
        self.last = book.chapters[-1].id
        #: the chapters in the build cache (`warraq.pdf.written.Shelf`), and
        #: `source(book, profile, page, only, part)`: the digest of a part's print HTML
        self.shelf, self.source = shelf, source
        #: the words each chapter keeps, known before its mending (from the cache), by
        #: (page set-up, chapter id): a chapter on the shelf counts its pages from there
        self.known: dict[tuple[PageSetup, str], frozenset] = {}
        self._found: dict[tuple, object] = {}   # what `_written` took off the shelf
        #: the chapters the mending's workers lend (`warraq.pdf.lent.Lending`), if any
        self.lending = None

    def expect(self, page: PageSetup, keeps: dict[str, frozenset]) -> None:
        """Tell the words the chapters of `keeps` keep on `page` (found in the cache by
        `warraq.pdf.mending` before it mends the others)."""
        self.known.update(((page, cid), keep) for cid, keep in keeps.items())

    def _written(self, page: PageSetup, chapter_id: str | None, part: Part,
                 keep: frozenset):
        """The part (a chapter, or the front matter: `chapter_id` None) keeping `keep`,
        as the cache holds it written (`warraq.pdf.written.Shelf`), or None."""
        if self.shelf is None:
            return None
        at = (page, chapter_id, part, keep)
        if at not in self._found:
            self._found[at] = self.shelf.find(self.source(
                self.book, self.profile, page, chapter_id, part), keep)
        return self._found[at]

    def forget(self) -> None:
        """Drop every layout kept (a worker process's, when its chapters are mended)."""
        self.latest.clear()
        self._found.clear()

    def own(self, layout, chapter_id: str) -> list:
        """The chapter's pages (without the next chapter's opening)."""
        pages = layout.document.pages
        return pages if chapter_id == self.last else pages[:-1]

    def start_of(self, page: PageSetup, chapter_id: str) -> int | None:
        """The chapter's first folio, if the latest layout of every chapter before it is
        here, or it is on the shelf with the words it is known to keep (None otherwise)."""
        folio = 1
        for chapter in self.book.chapters:
            if chapter.id == chapter_id:
                return folio
            got = self.latest.get((page, chapter.id))
            if got is not None:
                folio += len(self.own(got.layout, chapter.id))
                continue
            placed = self.lending.get(page, chapter.id) if self.lending else None
            if placed is not None:
                folio += placed.count
                continue
            keep = self.known.get((page, chapter.id))
            written = None if keep is None else self._written(
                page, chapter.id, self._part(chapter.id, folio), keep)
            if written is None:
                return None
            folio += len(written.pages)
        raise KeyError(chapter_id)

    def place(self, page: PageSetup, chapter_id: str, start: int):
        """The chapter's latest layout (keeping the words it kept) moved to start at folio
        `start` (`Layout.at`), or laid out there if it cannot be moved; let go of its
        galley (`warraq.pdf.lent`: in the process that mended it)."""
        got = self.latest[(page, chapter_id)]
        part = self._part(chapter_id, start)
        layout = got.layout if got.start == part.start else got.layout.at(
            start, self.source(self.book, self.profile, page, chapter_id, part))
        if layout is None:
            layout = self.lay_out(self.book, self.profile, page, got.keep, chapter_id,
                                  self.sheets, part)
        layout.settle()
        self.latest[(page, chapter_id)] = _Laid(got.keep, part.start, layout)
        return layout

    def _part(self, chapter_id: str, start: int | None) -> Part:
        first = chapter_id == self.book.chapters[0].id
        return Part(start=None if first else start, follow=chapter_id != self.last)

    def _lay_out_chapter(self, page: PageSetup, chapter_id: str, keep: frozenset,
                         start: int | None):
        part = self._part(chapter_id, start)
        got = self.latest.get((page, chapter_id))
        layout = got.layout.again(keep) if got is not None and got.start == start else None
        if layout is None:
            layout = self.lay_out(self.book, self.profile, page, keep, chapter_id,
                                  self.sheets, part)
        self.latest[(page, chapter_id)] = _Laid(frozenset(keep), start, layout)
        return layout

    def chapter(self, page: PageSetup, chapter_id: str, keep: frozenset = frozenset()):
        """The chapter laid out alone keeping the words of `keep` whole (for the mending),
        at its folio when the chapters before it were laid out here."""
        return self._lay_out_chapter(page, chapter_id, keep, self.start_of(page, chapter_id))

    def assemble(self, page: PageSetup, keep: frozenset, layout_type):
        """The whole book on `page`, keeping the words of `keep`: every chapter's pages,
        at its folios, after the front matter, as one `layout_type` (a `Layout`). The
        front matter comes from the shelf too, when a chapter was laid out here (its
        document then holds the book's pages)."""
        pages, warnings, folios, folio = [], [], [], 1
        laid: list = []     # each chapter's (key in the cache, layout) if laid out here,
        #                     or (key, stand-ins) if lent (`warraq.pdf.lent`)
        tell = page_teller()    # of the book's pages, counted from 1, each chapter's in turn
        with pages_reported(lambda n: None):        # (not each part's from 1)
            for chapter in self.book.chapters:
                own_keep = keep_for(keep, chapter.id)
                got = self.latest.get((page, chapter.id))
                here = got is not None and got.keep == own_keep and got.start == folio
                lent = None if here else self._lent(page, chapter.id, own_keep, folio)
                written = None if here or lent is not None else self._written(
                    page, chapter.id, self._part(chapter.id, folio), own_keep)
                if lent is not None:
                    own, said = lent.written.pages, list(lent.written.warnings)
                    laid.append((self.shelf.key(lent.source, own_keep), lent.written))
                elif written is not None:
                    own, said = written.pages, list(written.warnings)
                    laid.append(None)
                else:
                    layout = got.layout if here else self._lay_out_chapter(
                        page, chapter.id, own_keep, folio)
                    own, said = self.own(layout, chapter.id), layout.warnings
                    laid.append(None if self.shelf is None else (
                        self.shelf.key(layout.source, own_keep), layout))
                folios.append((chapter.id, folio))
                for one in own:
                    pages.append(one)
                    tell(len(pages))
                folio += len(own)
                warnings += said
            front_pages, said, entry, base = self._front(page, keep, tuple(folios), laid)
        for n in range(len(front_pages)):
            tell(len(pages) + n + 1)
        laid = ([entry] if front_pages else []) + laid      # (one for each part)
        return layout_type(page, base.document.copy(front_pages + pages), base.fetcher,
                           list(dict.fromkeys(said + warnings)), laid=laid,
                           shelf=self.shelf, lending=self.lending)

    def _lent(self, page: PageSetup, chapter_id: str, keep: frozenset, folio: int):
        """The chapter as a worker placed it (`warraq.pdf.lent.Placed`, its stand-in
        pages and the digest of its source), if it keeps `keep` and starts at `folio`."""
        placed = self.lending.get(page, chapter_id) if self.lending else None
        if placed is None or placed.written is None or self.shelf is None:
            return None
        return placed if placed.keep == keep and placed.start == folio else None

    def _front(self, page: PageSetup, keep: frozenset, folios: tuple, laid: list):
        """The front matter's pages, warnings and (key in the cache, layout) if laid out
        here, and a layout whose document the book's is copied from. It keeps the words
        of `keep` in no chapter."""
        part = Part(front=True, folios=folios)
        own_keep = keep.difference(*(keep_for(keep, c.id) for c in self.book.chapters))
        base = next((entry[1] for entry in laid if entry is not None
                     and hasattr(entry[1], "document")), None)     # (not one lent)
        written = None if base is None else self._written(page, None, part, own_keep)
        if written is not None:
            return list(written.pages), list(written.warnings), None, base
        front = self.lay_out(self.book, self.profile, page, own_keep, None, self.sheets,
                             part)
        entry = None if self.shelf is None else (self.shelf.key(front.source, own_keep),
                                                 front)
        return front.document.pages[:-1], list(front.warnings), entry, front
