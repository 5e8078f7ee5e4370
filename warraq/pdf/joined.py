"""A laid-out book of chapters written a part at a time and joined: the front matter
and each chapter (`warraq.pdf.partwrite`) on every core, the chapters the build cache
holds as they were written there and each chapter written here kept there
(`warraq.pdf.written`), then one PDF (`warraq.pdf.join`) with the whole document's
outline.
"""

from __future__ import annotations

import types
from dataclasses import replace

from ..model import Book
from . import breaks
from .finisher import Finish, finisher
from .join import join
from .partwrite import Unjoinable, write_parts
from .written import Shelf, Written, is_stand_in, stand_in


def write_joined(book: Book, document, ranges: list[tuple[int, int]], finish: Finish,
                 jobs: int, shelf: Shelf | None = None, laid: list | None = None,
                 draws: list | None = None, pitch: float = 0.0,
                 starts: list | None = None, lending=None
                 ) -> tuple[bytes, list[str]] | None:
    """The book written a part at a time on `jobs` processes and joined
    (`warraq.pdf.partwrite`, `warraq.pdf.join`), each chapter from the build cache
    as it was written there, each chapter written here kept there
    (`warraq.pdf.written`); None if a font cannot be joined. `pitch`: the line pitch
    the pages were justified by (`warraq.pdf.justify`), and `starts`, where each page
    begins (`pagemap.page_starts`), kept with each chapter.
    `draws`, if given, is filled with what each page draws
    (`warraq.pdf.preflight.pages`), walked in the parts. The chapters `lending` lent
    (`warraq.pdf.lent`: stand-ins without a part yet) are written by the processes that
    lent them, meanwhile."""
    profile = finish.profile
    stand_ins = {i: document.pages[a].written for i, (a, _) in enumerate(ranges)
                 if is_stand_in(document.pages[a])}
    lent = {i: w for i, w in stand_ins.items() if w.part is None}
    part_finish, options = replace(finish, outline=False), {"pdf_variant": profile.variant}
    faces = dict(shelf.faces) if shelf is not None else {}
    try:
        busy = lending.write(list(lent.values()), pitch, part_finish, options) if lent else 0
        parts, faces = write_parts(document, ranges, finisher(book, part_finish), options,
                                   max(1, jobs - busy), {i: w.part for i, w in
                                                         stand_ins.items()}, faces)
        if lent:
            lending.collect(list(lent.values()), faces)
            parts = [lent[i].part if i in lent else part for i, part in enumerate(parts)]
    except Unjoinable:
        return None
    bookmarks = document.make_bookmark_tree(0.75, transform_pages=True) if (
        profile.bookmarks) else None
    data = join(parts, faces, bookmarks, profile.variant, int(book.build_date.timestamp()),
                *((shelf.glyph_texts, shelf.rebuilt) if shelf is not None else ()))
    if shelf is not None and any(laid or ()):
        _keep_written(book, document, ranges, parts, faces, shelf, laid, pitch, starts)
    if draws is not None:       # what each page draws, for the preflight
        draws[:] = [draw for part in parts for draw in part.draws]
    return data, list(dict.fromkeys(m for part in parts for m in part.messages))


def _keep_written(book: Book, document, ranges: list[tuple[int, int]], parts: list,
                  faces: dict[str, bytes], shelf: Shelf, laid: list, pitch: float,
                  starts: list) -> None:
    """Each part (the front matter, each chapter) laid out and written in this build
    (here, or lent by another process: `warraq.pdf.lent`), on the shelf
    (`warraq.pdf.written`), with the line pitch its short pages were justified by
    (`laid`: one entry for each of `ranges`)."""
    for index, entry in enumerate(laid):
        if entry is None:
            continue
        key, chapter = entry
        a, b = ranges[index]
        own = document.pages[a:b]
        pages = [stand_in(p, starts[n]) for n, p in zip(range(a, b), own)]
        faults = frozenset(breaks.faults(types.SimpleNamespace(pages=own)))
        shelf.file(key, Written(parts[index], pages, faults,
                                tuple(chapter.warnings), pitch), faces)
