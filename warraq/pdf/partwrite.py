"""A laid-out book written to PDF in parts, on every core: the pages of each part (the
front matter, then each chapter with the blank verso after it) written by WeasyPrint
alone, in this process and in forked ones (`warraq.background`), for `warraq.pdf.join`
to join into the book's PDF; each part's pages are walked for the preflight there too
(`warraq.pdf.preflight.pages`).

A part is written as the whole book would be, with two differences that the join undoes:
a link to a place in another part would be dropped by WeasyPrint (its anchor is not in
the part), so the part's first page is given an anchor of that name (`PartPdf.phantoms`,
whose destinations the join leaves out); and each font is subset to the part's glyphs,
so each part also tells which glyphs of which face it drew (`FontUse`, with the face's
own bytes), for the join to embed each face once, subset to the book's glyphs.

The parts are the book's and never the machine's: a part is a chapter whatever the
number of cores, and the cores only share the parts out (in the book's order, by pages),
so the joined PDF is the same bytes on one core and on many.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import io
import multiprocessing
from dataclasses import dataclass
from typing import Callable

import pikepdf
from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.text.fonts import get_hb_object_data

from ..background import CAN_FORK, Background
from . import render as weasy
from .preflight.pages import PageDraw, page_draws

#: The attributes of WeasyPrint's `Font` a part sends up as they are (plain values); its
#: HarfBuzz objects stay behind and its bytes go as the face's (`FontUse.face`).
_NOT_SENT = ("hb_font", "hb_face", "file_content", "widths", "to_unicode")


@dataclass(frozen=True)
class FontUse:
    """One of WeasyPrint's fonts in a part: its key in the document's fonts, its other
    attributes, the glyphs drawn (widths and text), and the face it is a subset of (the
    digest of the face's bytes, which `write_parts` gives once per face)."""

    key: int
    attributes: dict
    widths: dict
    to_unicode: dict
    face: str


@dataclass(frozen=True)
class PartPdf:
    """A part written: its PDF, its fonts, the anchor names added to its first page for
    links that leave it, and what WeasyPrint said."""

    data: bytes
    fonts: tuple[FontUse, ...]
    phantoms: frozenset[str]
    messages: tuple[str, ...]
    #: what each page draws, for the preflight (`warraq.pdf.preflight.pages`)
    draws: tuple[PageDraw, ...] = ()


class Unjoinable(Exception):
    """A part drew with a font the join cannot merge (a bitmap font, a glyph the font
    lacks, a font used in a form): the book is written whole instead."""


def _font_uses(fonts: dict, faces: dict[str, bytes]) -> tuple[FontUse, ...]:
    out = []
    for key, font in fonts.items():
        if font.bitmap or font.missing or font.used_in_forms:
            raise Unjoinable(font.family)
        data = get_hb_object_data(font.hb_face)
        digest = hashlib.sha256(data).hexdigest()
        faces.setdefault(digest, data)
        attributes = {k: v for k, v in vars(font).items() if k not in _NOT_SENT}
        out.append(FontUse(key, attributes, dict(font.widths), dict(font.to_unicode),
                           digest))
    return tuple(out)


def write_part(document, start: int, end: int, finisher: Callable | None,
               options: dict, faces: dict[str, bytes]) -> PartPdf:
    """Pages `start` to `end` of `document` as a PDF of their own (`finisher` and
    `options` as the whole book's; the faces drawn with are added to `faces`)."""
    pages = document.pages[start:end]
    inside = {name for page in pages for name in page.anchors}
    leaving = sorted({link[1] for page in pages for link in page.links
                      if link[0] == "internal" and link[1] not in inside})
    if leaving:
        first = copy.copy(pages[0])     # (the document's own page keeps its anchors)
        first.anchors = {**pages[0].anchors, **{name: (0, 0, 0, 0) for name in leaving}}
        pages = [first, *pages[1:]]
    part = document.copy(pages)
    data, messages = weasy.write(part, finisher, **options)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        draws = tuple(page_draws(pdf))
    return PartPdf(data, _font_uses(part.fonts, faces), frozenset(leaving),
                   tuple(messages), draws)


def part_ranges(chapter_ids: list[str], document) -> list[tuple[int, int]] | None:
    """The pages of each part of a laid-out book: the front matter (if any), then each
    chapter from its opening page to the next one's; None if a chapter's opening is not
    found where it should be."""
    opens: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            opens.setdefault(name, index)
    starts = [opens.get(cid) for cid in chapter_ids]
    if None in starts or starts != sorted(set(starts)):
        return None
    bounds = ([0] if starts[0] else []) + starts + [len(document.pages)]
    return list(zip(bounds, bounds[1:]))


def _write_group(send, document, ranges, finisher, options):
    """A worker: its parts, and the faces they drew with. It logs only to the messages
    each write collects (the channels it inherited are its parent's)."""
    gc.freeze()         # the inherited book is not this process's garbage to scan
    weasy.keep_own_log()
    faces: dict[str, bytes] = {}
    parts = [write_part(document, a, b, finisher, options, faces) for a, b in ranges]
    return parts, faces


def shares(ranges: list[tuple[int, int]], jobs: int) -> list[list[tuple[int, int]]]:
    """The parts split into at most `jobs` runs of consecutive parts of about as many
    pages each (the first run is this process's)."""
    total = sum(b - a for a, b in ranges)
    runs: list[list[tuple[int, int]]] = [[]]
    done = 0
    for a, b in ranges:
        if runs[-1] and done >= total * len(runs) / jobs and len(runs) < jobs:
            runs.append([])
        runs[-1].append((a, b))
        done += b - a
    return runs


def write_parts(document, ranges: list[tuple[int, int]], finisher: Callable | None,
                options: dict, jobs: int = 1, ready: dict[int, PartPdf] | None = None,
                faces: dict[str, bytes] | None = None
                ) -> tuple[list[PartPdf], dict[str, bytes]]:
    """Each range of pages written as a part, in order, on `jobs` processes at most (but
    those `ready`, by index: written before): the parts and the faces they drew with
    (digest -> bytes; `faces`: those of the parts ready)."""
    ready = ready or {}
    faces = dict(faces or {})
    todo = [r for i, r in enumerate(ranges) if i not in ready]
    runs = shares(todo, jobs) if todo else [[]]
    made: list[PartPdf] = []
    if len(runs) < 2 or not CAN_FORK or multiprocessing.current_process().daemon:
        made = [write_part(document, a, b, finisher, options, faces) for a, b in todo]
    else:
        workers = [Background(_write_group, document, run, finisher, options, tidy=False)
                   for run in runs[1:]]
        try:
            made = [write_part(document, a, b, finisher, options, faces) for a, b in runs[0]]
            for worker in workers:
                kind, value = worker.receive()
                while kind != "done":
                    kind, value = worker.receive()
                more, their_faces = value
                made += more
                for digest, data in their_faces.items():
                    faces.setdefault(digest, data)
        except BaseException:
            for worker in workers:
                worker.stop()
            raise
    written = iter(made)
    return [ready[i] if i in ready else next(written) for i in range(len(ranges))], faces
