"""The words to keep whole (`warraq.pdf.breaks`), found chapter by chapter before the
book is laid out whole: on every core, and kept in the build cache.

In a book each chapter opens on a fresh page (a recto with mirrored margins), its
footnotes are numbered from 1 and its running heads and folios sit in the margins: so
where its lines and pages break depends on the chapter, the book's settings and the page
set-up, not on the chapters around it. Mending the hyphenation of the whole book takes a
layout of all of it for each round (a word kept whole re-breaks its paragraph and may
move every page after it, up to the chapter's end); chapter by chapter, only the
chapters with a fault left are laid out again, the chapters of a book are shared between
this process (the first ones, in the book's order) and `jobs - 1` forked processes
(`warraq.background`), and each chapter's words are kept in the build cache
(`warraq.cache`) under a key of what its layout depends on, so that after an edit only
the edited chapter is mended again.

`warraq.pdf.book` then lays the book out with all the chapters' words: in parts
(`warraq.pdf.parts`: the chapters this process mended are taken as they were laid out
last, those another process mended are lent by it, `warraq.pdf.lent`, or without a
build cache laid out here once), and still mends that layout while it finds a
fault: so the PDF is the one the whole-book mending gives, and the same bytes whether
the words came from the cache or not. An article runs on from part to part, so its
parts are not independent: it is mended whole (`chapter_keeps` gives none), and so is
a book of one chapter.
"""

from __future__ import annotations

import logging
import multiprocessing
from dataclasses import dataclass, field
from typing import Callable

from ..background import CAN_FORK, Background
from ..cache import NO_CACHE, Cache, Entry, fingerprint
from ..model import Book
from . import breaks
from .pagesetup import PageSetup
from .profiles import Profile

KIND = "pdf-chapter-keeps"
#: Layouts at most for one chapter (the first included).
PASSES = 5

#: `lay_out(book, profile, page, keep, only) -> Layout` (`warraq.pdf.book._lay_out`)
LayOut = Callable[..., object]


@dataclass
class Mending:
    """What the chapter-by-chapter mending may use, and what it found: `made` holds the
    cache entries this build computed (key -> faults), for the writer to file in the
    cache (a worker process's cache files nothing: its parent does)."""

    cache: Cache = NO_CACHE
    jobs: int = 1
    made: dict[str, list] = field(default_factory=dict)
    #: the chapters written in this build, for the writer to file (`warraq.pdf.written`)
    parts: dict[str, Entry] = field(default_factory=dict)
    #: told `(done, of)` as each chapter is mended (for a progress display)
    progress: Callable[[int, int], None] = lambda done, of: None


def _mend_chapter(lay_out: LayOut, book: Book, profile: Profile, page: PageSetup,
                  chapter_id: str, settle: bool = True) -> frozenset:
    """The words to keep whole in one chapter laid out alone (as `book._mended`); its
    galley is let go unless not `settle` (a chapter to lend, `warraq.pdf.lent`)."""
    keep: frozenset = frozenset()
    layout = lay_out(book, profile, page, keep, chapter_id)
    for _ in range(PASSES - 1):
        found = breaks.faults(layout.document)
        if found <= keep:
            break
        keep |= found
        layout = lay_out(book, profile, page, keep, chapter_id)
    if settle:
        layout.settle()     # (its galley's box tree and styles: a book holds many chapters)
    return keep


def _mend_group(send, lay_out: LayOut, book: Book, profile: Profile, page: PageSetup,
                ids: tuple[str, ...], told: Callable[[str], None] | None = None,
                forget: Callable[[], None] = lambda: None, lend=None) -> dict[str, list]:
    """The words of each chapter of `ids`, as lists (they pickle and file); each chapter
    done is told to `told`, or sent up as `("mended", id)` in a worker (`send`), which
    with `lend` (a `warraq.pdf.lent.Lending`) then lends its chapters and returns none. These
    layouts count no pages for the progress display (the book's layout does), and a
    worker logs nothing: it inherits its parent's channels (the pipe of a PDF worker,
    `warraq.pdf.workers`), which only its parent may write to; what WeasyPrint would say
    of a chapter it says again of the book."""
    from .render import keep_own_log, pages_reported    # (WeasyPrint: where the work is)
    if send is not None and lend is None:
        logging.getLogger("weasyprint").disabled = True     # this process's own logger
    elif send is not None:
        keep_own_log()      # (into each layout's own messages: a lent chapter says them)
    if send is not None:
        told = lambda cid: send("mended", cid)              # noqa: E731
    out = {}
    with pages_reported(lambda n: None):
        for cid in ids:
            out[cid] = sorted(_mend_chapter(lay_out, book, profile, page, cid,
                                            settle=send is None or lend is None))
            if told is not None:
                told(cid)
        if send is not None and lend is not None:
            lend.serve(send, page, out)
            out = {}
    if send is not None:
        forget()        # (a worker ends without finalisers: WeasyPrint's temporary folders)
    return out


def chapter_key(cache: Cache, chapter, settings: str) -> str:
    """What a chapter's layout depends on: the chapter, and `settings`
    (`chapter_settings`: not the other chapters)."""
    return cache.key(KIND, chapter, settings)


def chapter_settings(book: Book, shared: tuple, profile: Profile, page: PageSetup) -> str:
    """The digest of what every chapter's layout depends on besides the chapter: the
    book's settings, resources, dates and fonts, the templates and font files, the
    profile and the page set-up (worked out once for all the chapters: the fonts' sets
    of characters alone take 0.5 ms)."""
    return fingerprint((book.meta, book.resources, book.dates, book.fonts, shared, profile,
                        page))


def by_chapter(book: Book) -> bool:
    """Whether a book is mended chapter by chapter (and laid out in parts,
    `warraq.pdf.parts`): a book of two chapters or more. Since the book is put together
    from the mending's layouts, that is quicker at every length, with the same bytes
    (the 13-page sample: 2.0 s against 2.3 s mended whole; a 65-page book 5.6 s against
    7.9 s; the 347-page 90k book 21 s against 26 s, on two cores)."""
    return book.meta.layout == "book" and len(book.chapters) >= 2


def chapter_keeps(lay_out: LayOut, book: Book, profile: Profile, page: PageSetup,
                  mending: Mending, shared: Callable[[Book], tuple],
                  forget: Callable[[], None] = lambda: None,
                  expect: Callable[[dict[str, frozenset]], None] = lambda keeps: None,
                  lend=None) -> frozenset:
    """The words to keep whole in every chapter of a book laid out on `page` (none unless
    `by_chapter`). `shared(book)`: the print inputs besides the book
    (`warraq.pdf.cached.print_inputs`), asked for only with a cache; `forget()`: what a
    worker process calls when its chapters are done, to let go of what its layouts keep;
    `expect(keeps)` is told the words of the chapters found in the cache before the
    others are mended (`Parts.expect`: a chapter after them is then mended at its
    folio); `lend` (a `warraq.pdf.lent.Lending`): the chapters other processes mend are
    lent to it (kept there, not laid out here again)."""
    if not by_chapter(book):
        return frozenset()
    found: dict[str, list] = {}
    keys: dict[str, str] = {}
    if mending.cache.enabled:
        settings = chapter_settings(book, shared(book), profile, page)
        for chapter in book.chapters:
            keys[chapter.id] = key = chapter_key(mending.cache, chapter, settings)
            if key in mending.made:
                found[chapter.id] = mending.made[key]
                continue
            entry = mending.cache.get(key)
            if entry is not None and isinstance(entry.meta, list):
                found[chapter.id] = entry.meta
                mending.cache.hits.append(KIND)
    todo = tuple(c.id for c in book.chapters if c.id not in found)
    if found:
        expect({cid: breaks.faults_of(value) for cid, value in found.items()})
    mending.cache.misses += [KIND] * len(todo) if keys else []
    done = [0]

    def told(_cid: str) -> None:
        done[0] += 1
        mending.progress(done[0], len(todo))
    jobs = min(mending.jobs, len(todo))
    if jobs < 2 or not CAN_FORK or multiprocessing.current_process().daemon:
        found.update(_mend_group(None, lay_out, book, profile, page, todo, told))
    elif todo:
        # this process mends the first chapters itself, in the book's order, while the
        # other processes mend the rest (long and short chapters mixed): its layouts are
        # the book's own (`warraq.pdf.parts`), the others' are lent (`lend`) or else laid
        # out here once more
        own, rest = todo[:len(todo) // jobs], todo[len(todo) // jobs:]
        groups = [rest[i::jobs - 1] for i in range(jobs - 1)]
        workers = [Background(_mend_group, lay_out, book, profile, page, g, None, forget,
                              lend, asks=lend is not None) for g in groups]
        laid = []       # each lending worker and its chapters' (words, pages)
        try:
            found.update(_mend_group(None, lay_out, book, profile, page, own, told))
            for worker in workers:
                while True:
                    kind, value = worker.receive()
                    if kind == "mended":
                        told(value)
                    elif kind == "laid":
                        found.update((cid, v[0]) for cid, v in value.items())
                        laid.append((worker, value))
                        break
                    elif kind == "done":
                        found.update(value)
                        break
            if laid:
                lend.take(page, laid)
        except BaseException:
            for worker in workers:
                worker.stop()
            raise
    for cid in todo:
        if cid in keys:
            mending.made[keys[cid]] = [list(f) for f in found[cid]]
    return frozenset().union(*(breaks.faults_of(v) for v in found.values()))


def file(cache: Cache, made: dict[str, list]) -> None:
    """File what a build's chapter mending computed in its cache."""
    for key, faults in made.items():
        cache.put(key, Entry(meta=faults))
