"""Chapters mended in another process, placed at their folios and written there.

When the chapter-by-chapter mending (`warraq.pdf.mending`) shares a book's chapters out,
the chapters another process mended used to be laid out once more in the book's
process (their layouts were the other process's): about 3 s of the 90k book's 13, with
the second core idle. With a build cache (a book written in parts, `warraq.pdf.written`)
that process keeps them instead, and the book's process borrows them:

1. the worker says, for each of its chapters, the words it keeps whole and how many
   pages it has (`laid`);
2. once the chapters before them are known, it is told the folio each starts at, moves
   its layouts there (`warraq.pdf.relayout.Galley.refolio`: only the margin boxes
   change, the same bytes as a layout started there) and describes their pages
   (`placed`): they stand in the book's document as a chapter from the cache does
   (`warraq.pdf.written.StandIn`);
3. when the book is written, the worker justifies them by the book's line pitch and
   writes their parts (`written`, with the places of their anchors and bookmarks, which
   the justification moves) while this process writes the others; they go to the join,
   and to the cache, as any part written here.

A page set-up the book does not end on (another gutter band) ends its workers unused;
a chapter whose folio or words turn out otherwise is laid out here as before.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field

from .breaks import faults_of
from .pagesetup import PageSetup
from .written import Written


@dataclass
class Placed:
    """A chapter another process mended: the words it keeps, its pages, the folio it
    was placed at, the digest of the print HTML and CSS that start it there, and its
    stand-in pages (`written`: its part comes when written)."""

    keep: frozenset
    count: int
    worker: object
    start: int | None = None
    source: str = ""
    written: Written | None = None


@dataclass
class Lending:
    """The chapters lent by the mending's workers, for one book and profile, by (page
    set-up, chapter id), and the workers of each page set-up; `parts`, the book's
    `warraq.pdf.parts.Parts` (set by `warraq.pdf.book.lay_out` when it lends)."""

    placed: dict[tuple[PageSetup, str], Placed] = field(default_factory=dict)
    workers: dict[PageSetup, list] = field(default_factory=dict)
    parts: object = None

    def serve(self, send, page: PageSetup, found: dict[str, list]) -> None:
        """In a worker, what it does when its chapters are mended (`serve`)."""
        serve(send, self.parts, page, found)

    def take(self, page: PageSetup, laid: list[tuple[object, dict]]) -> None:
        """The workers of `page` have mended their chapters (`laid`: each worker and its
        {chapter id: (words kept, pages)}): each chapter is placed at its folio, if the
        folios are known here (else the workers end, and the chapters are laid out
        here)."""
        self.workers[page] = [worker for worker, _ in laid]
        for worker, chapters in laid:
            for cid, (keep, count) in chapters.items():
                self.placed[(page, cid)] = Placed(faults_of(keep), int(count), worker)
        starts = {cid: self.parts.start_of(page, cid)
                  for _, chapters in laid for cid in chapters}
        if None in starts.values():
            self._end(page)
            return
        for worker, chapters in laid:
            worker.tell("folios", {cid: starts[cid] for cid in chapters})
        for worker, chapters in laid:
            kind, value = worker.receive()
            while kind != "placed":
                kind, value = worker.receive()
            for cid, (pages, faults, warnings, source) in value.items():
                placed = self.placed[(page, cid)]
                placed.start, placed.source = starts[cid], source
                placed.written = Written(None, pages, faults_of(faults), tuple(warnings),
                                         pitch=None)
                for one in pages:
                    one.written = placed.written

    def get(self, page: PageSetup, chapter_id: str) -> Placed | None:
        return self.placed.get((page, chapter_id))

    def _end(self, page: PageSetup) -> None:
        for worker in self.workers.pop(page, []):
            worker.tell("end")
            _finish(worker)
        for at in [at for at in self.placed if at[0] == page]:
            del self.placed[at]

    def _held(self, writtens: list[Written]) -> list[tuple[object, dict[str, Placed]]]:
        """Each worker holding some of `writtens`, with those chapters (by id)."""
        wanted = {id(w) for w in writtens}
        held: dict[int, tuple[object, dict[str, Placed]]] = {}
        for (_page, cid), placed in self.placed.items():
            if id(placed.written) in wanted:
                held.setdefault(id(placed.worker), (placed.worker, {}))[1][cid] = placed
        return list(held.values())

    def write(self, writtens: list[Written], pitch: float, finish, options: dict) -> int:
        """Ask the workers holding `writtens` to write them (justified by `pitch`, with the
        `warraq.pdf.finisher.Finish` and WeasyPrint options of the book's parts): how
        many workers write."""
        held = self._held(writtens)
        for worker, chapters in held:
            worker.tell("write", (list(chapters), pitch, finish, options))
        return len(held)

    def collect(self, writtens: list[Written], faces: dict[str, bytes]) -> None:
        """The parts of `writtens` as their workers wrote them (each `Written.part` set;
        the faces they drew with added to `faces`)."""
        for worker, chapters in self._held(writtens):
            kind, value = worker.receive()
            while kind != "written":
                kind, value = worker.receive()
            parts, their_faces = value
            for cid, (part, places) in parts.items():
                chapters[cid].written.part = part
                for page, (anchors, bookmarks) in zip(chapters[cid].written.pages, places):
                    page.anchors, page.bookmarks = anchors, bookmarks
            for digest, data in their_faces.items():
                faces.setdefault(digest, data)

    def close(self) -> None:
        """End every worker (the build is done with them)."""
        for page in list(self.workers):
            self._end(page)

    def stop(self) -> None:
        """Stop every worker at once (the build failed)."""
        for workers in self.workers.values():
            for worker in workers:
                worker.stop()
        self.workers.clear()


def _finish(worker) -> None:
    """Take a worker's messages up to its end (`done`, or an error it raises here)."""
    while not worker.finished:
        worker.receive()


# ---------------------------------------------------------------- in the worker

def serve(send, parts, page: PageSetup, found: dict[str, list]) -> None:
    """In a mending worker, its chapters mended (`found`: each one's words kept): lend
    them to the book's process as it asks (see the module)."""
    from . import breaks, pagemap
    from .finisher import finisher
    from .justify import justify
    from .partwrite import write_part
    from .written import stand_in
    layouts = {cid: parts.latest[(page, cid)].layout for cid in found}
    send("laid", {cid: (found[cid], len(parts.own(layouts[cid], cid))) for cid in found})
    kind, folios = send.ask()
    if kind != "folios":
        return
    described = {}
    for cid, start in folios.items():
        layouts[cid] = layout = parts.place(page, cid, start)
        own = types.SimpleNamespace(pages=parts.own(layout, cid))
        starts = pagemap.page_starts(own, parts.book, pagemap.page_labels(own))
        described[cid] = ([stand_in(p, s) for p, s in zip(own.pages, starts)],
                          sorted(breaks.faults(own)), list(layout.warnings), layout.source)
    send("placed", described)
    kind, value = send.ask()
    if kind != "write":
        return
    ids, pitch, finish, options = value
    book_finisher = finisher(parts.book, finish)
    faces: dict[str, bytes] = {}
    written = {}
    for cid in ids:
        layout = layouts[cid]
        justify(layout.document, pitch)     # (it moves boxes: the places are said again)
        own = parts.own(layout, cid)
        written[cid] = (write_part(layout.document, 0, len(own), book_finisher, options,
                                   faces),
                        [(dict(p.anchors), list(p.bookmarks)) for p in own])
    send("written", (written, faces))
