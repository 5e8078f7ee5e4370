"""A chapter as it was laid out and written, kept in the build cache, so that a rebuild
after an edit lays out and writes again only the chapters the edit changed.

A book written in parts (`warraq.pdf.partwrite`) files each chapter's part under a key
of what made it: the print HTML and CSS of the chapter laid out alone (which hold its
text, its folios, the book's settings and the next chapter's opening), the words it
keeps whole, the profile, the book's resources, settings and build time, and the
templates, fonts and ICC profile (`warraq.pdf.cached.print_inputs`); each face it drew
with is filed once, under its digest. A later layout of the book that would lay that
chapter out the same way takes it from the cache instead: its pages stand in the book's
document (`StandIn`), with what the rest of the print build reads of a page (size,
anchors, bookmarks, printed number, line heights, page-map entry, the hyphenation faults
of the chapter), and its PDF goes to the join as it is, with what its pages draw for the
preflight. An entry that is damaged, of another version or whose face does not match its
digest is not used; the PDF from the cache is the same bytes as a cold build's
(tests/pdf/test_written.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, Entry, fingerprint
from .pagemap import PageStart
from .partwrite import FontUse, PartPdf
from .preflight.pages import PageDraw
from .tounicode import glyph_texts, known_glyph_texts

KIND = "pdf-part"
FACE = "pdf-face"
TEXTS = "pdf-glyph-texts"
CMAPS = "pdf-tounicode"


@dataclass(eq=False)
class StandIn:
    """A page of a chapter taken from the cache, in the book's laid-out document."""

    width: float
    height: float
    anchors: dict
    bookmarks: list
    #: the page number printed on it (None: none; `pagemap.page_labels` gives it one)
    label: str | None
    line_heights: dict
    start: PageStart | None
    written: "Written" = field(repr=False, default=None)


@dataclass(eq=False)
class Written:
    """A chapter's part PDF and its stand-in pages; its faults, what WeasyPrint said when
    it was laid out, and the pitch its pages were justified by."""

    part: PartPdf
    pages: list[StandIn]
    faults: frozenset
    warnings: tuple[str, ...]
    #: the line pitch its short pages were justified by (`warraq.pdf.justify`): a book
    #: whose pitch is another takes it from the cache no more
    pitch: float = 0.0


def stand_in(page, start: PageStart | None) -> StandIn:
    """What the print build reads of a laid-out page (`start`: where it begins,
    `pagemap.page_starts`), to stand in for it later or in another process."""
    from .justify import line_heights
    from .pagemap import printed_folio
    return StandIn(page.width, page.height, dict(page.anchors), list(page.bookmarks),
                   printed_folio(page), line_heights(page), start)


def is_stand_in(page) -> bool:
    return isinstance(page, StandIn)


def part_key(cache: Cache, source: str, keep: frozenset, settings: str) -> str:
    """The key of a chapter's part: `source`, the digest of its print HTML and CSS; and
    `settings` (`part_settings`)."""
    return cache.key(KIND, source, sorted(keep), settings)


def part_settings(profile, book, shared) -> str:
    """The digest of what every part of a book's profile depends on besides its print
    HTML: the book's settings and build time (a part that opens the book lends the
    joined PDF its metadata), the profile and the shared inputs."""
    return fingerprint((profile, book.resources, book.meta, book.build_date, shared))


def _value(value):
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, dict):
        return {"dict": [[_value(k), _value(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value


def _unvalue(value):
    if isinstance(value, dict) and "bytes" in value:
        return bytes.fromhex(value["bytes"])
    if isinstance(value, dict) and "dict" in value:
        return {_key(_unvalue(k)): _unvalue(v) for k, v in value["dict"]}
    if isinstance(value, list):
        return [_unvalue(v) for v in value]
    return value


def _key(value):
    return tuple(value) if isinstance(value, list) else value


def dump(written: Written) -> Entry:
    part = written.part
    return Entry({
        "fonts": [[u.key, _value(u.attributes), _value(u.widths), _value(u.to_unicode), u.face]
                  for u in part.fonts],
        "phantoms": sorted(part.phantoms), "messages": list(part.messages),
        "draws": [[None if d.box is None else list(d.box), list(d.spaces), d.coloured,
                   [list(i) for i in d.images]] for d in part.draws],
        "pages": [[p.width, p.height, _value(p.anchors), _value(p.bookmarks), p.label,
                   _value(p.line_heights), None if p.start is None else [
                       p.start.label, p.start.chapter, p.start.block, p.start.text,
                       p.start.before]]
                  for p in written.pages],
        "faults": sorted([list(f) for f in written.faults]),
        "warnings": list(written.warnings), "pitch": written.pitch}, {"pdf": part.data})


def load(entry: Entry) -> Written:
    meta = entry.meta
    fonts = tuple(FontUse(int(key), _unvalue(attributes), _unvalue(widths),
                          _unvalue(to_unicode), str(face))
                  for key, attributes, widths, to_unicode, face in meta["fonts"])
    pages = [StandIn(float(w), float(h), _unvalue(anchors), [tuple(b) for b in
                     _unvalue(bookmarks)], None if label is None else str(label),
                     _unvalue(heights),
                     None if start is None else PageStart(*start))
             for w, h, anchors, bookmarks, label, heights, start in meta["pages"]]
    draws = tuple(PageDraw(None if box is None else tuple(float(v) for v in box),
                           tuple(str(s) for s in spaces), bool(coloured),
                           tuple((float(dpi), str(space)) for dpi, space in images))
                  for box, spaces, coloured, images in meta["draws"])
    part = PartPdf(entry.blobs["pdf"], fonts, frozenset(meta["phantoms"]),
                   tuple(meta["messages"]), draws)
    written = Written(part, pages, frozenset((str(k), int(a)) for k, a in meta["faults"]),
                      tuple(meta["warnings"]), float(meta["pitch"]))
    for page in pages:
        page.written = written
    return written


def fetch(cache: Cache, key: str, faces: dict[str, bytes]) -> Written | None:
    """The chapter filed under `key`, its faces added to `faces`; None if it is not there
    or not sound."""
    entry = cache.get(key)
    if entry is None:
        return None
    try:
        written = load(entry)
        wanted = {use.face for use in written.part.fonts} - set(faces)
        found = {}
        for digest in wanted:
            face = cache.get(cache.key(FACE, digest))
            data = face.blobs.get("face") if face is not None else None
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                return None
            found[digest] = data
    except (KeyError, TypeError, ValueError):
        return None
    faces.update(found)
    return written


def entries(cache: Cache, key: str, written: Written, faces: dict[str, bytes]
            ) -> dict[str, Entry]:
    """What to file for a chapter written in this build: the part and its faces."""
    out = {key: dump(written)}
    for use in written.part.fonts:
        out[cache.key(FACE, use.face)] = Entry(None, {"face": faces[use.face]})
    return out


class Shelf:
    """The chapters of one book and profile in the build cache: `find` takes one out,
    `file` keeps one written in this build (in `made`, for the writer to file: a worker
    process's cache files nothing); `faces` holds the faces of the chapters found."""

    def __init__(self, cache: Cache, profile, book, shared):
        self.cache, self.profile, self.book, self.shared = cache, profile, book, shared
        self.faces: dict[str, bytes] = {}
        self.made: dict[str, Entry] = {}
        self._settings: str | None = None

    def key(self, source: str, keep: frozenset) -> str:
        if self._settings is None:      # (the same for every part: 0.5 ms to work out)
            self._settings = part_settings(self.profile, self.book, self.shared)
        return part_key(self.cache, source, keep, self._settings)

    def find(self, source: str, keep: frozenset) -> Written | None:
        key = self.key(source, keep)
        if key in self.made:
            return None         # (written in this build: its layout is here)
        found = fetch(self.cache, key, self.faces)
        (self.cache.misses if found is None else self.cache.hits).append(KIND)
        return found

    def file(self, key: str, written: Written, faces: dict[str, bytes]) -> None:
        self.made.update(entries(self.cache, key, written, faces))

    def rebuilt(self, path: Path, stream: bytes, make) -> bytes | None:
        """`make()`: a face's `ToUnicode` map rebuilt from its `stream` as the join
        gives it (`tounicode.fix_fonts`), kept in the cache under the face and the
        stream: after an edit the book's subsets mostly draw the same glyphs, and the
        map is not made again (nor the face's glyph closure read)."""
        key = self.cache.key(CMAPS, str(path), self.shared,
                             hashlib.sha256(stream).hexdigest())
        entry = self.made.get(key) or self.cache.get(key)
        if entry is not None and entry.meta in (True, False) and (
                entry.meta is False or isinstance(entry.blobs.get("cmap"), bytes)):
            return entry.blobs["cmap"] if entry.meta else None
        made = make()
        self.made[key] = _cmap_entry(made)
        return made

    def glyph_texts(self, path: Path) -> dict[int, frozenset[str]]:
        """`tounicode.glyph_texts` of a font file, kept in the cache under its path and
        the font files' digest in `shared` (a face's closure over its cmap and GSUB takes
        about 70 ms); filed, as the chapters are, by the writer (`made`)."""
        key = self.cache.key(TEXTS, str(path), self.shared)
        known = known_glyph_texts(path)     # (this process has them: not read again)
        if known is not None:
            if key not in self.made and not self.cache.holds(key):
                self.made[key] = _texts_entry(known)
            return known
        entry = self.made.get(key) or self.cache.get(key)
        if entry is not None:
            try:
                return {int(g): frozenset(str(x) for x in t) for g, t in entry.meta}
            except (TypeError, ValueError):
                pass
        texts = glyph_texts(path)
        self.made[key] = _texts_entry(texts)
        return texts


def _cmap_entry(made: bytes | None) -> Entry:
    return Entry(made is not None, {"cmap": made} if made is not None else {})


def _texts_entry(texts: dict[int, frozenset[str]]) -> Entry:
    return Entry([[g, sorted(t)] for g, t in sorted(texts.items())])
