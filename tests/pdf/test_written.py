"""warraq.pdf.written: each chapter of a book written in parts is kept in the build cache,
and a rebuild takes from there every chapter nothing changed, in the same bytes as a
cold build: after an edit of one chapter (only that chapter is laid out again), of
book.yaml, of the print templates, of the font files; a damaged or false entry is not
used."""

from __future__ import annotations

import dataclasses
import io

import pytest

import warraq.pdf.book as print_book
from conftest import release_a_font, write_source
from warraq import cache as cache_module
from warraq.cache import FOLDER, Cache
from warraq.pdf import written
from warraq.pdf.pagemap import PageStart
from warraq.pdf.partwrite import FontUse, PartPdf
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import build

EPOCH = "1700000000"
PROFILE_NAMES = ("print", "kdp", "screen")
TEXT = ("Patience is the key to relief, the grammarians said, and the traveller wrote it "
        "down at the threshold of the house where the copyists worked through the night. ")


def _chapter(title: str, paragraphs: int, extra: str = "") -> str:
    body = "\n\n".join(TEXT * 3 for _ in range(paragraphs))
    return (f"# {title}\n\n{body}\n\nHe said «الصبر مفتاح الفرج» and went on.[^n]\n\n"
            f"{extra}\n\n[^n]: A note of {title}.\n")


@pytest.fixture
def source(tmp_path):
    files = {"a.md": _chapter("First", 8, "See [the third](c.md#third)."),
             "b.md": _chapter("Second", 5), "c.md": _chapter("Third {#third}", 7)}
    meta = {"title": "Kept", "lang": "en", "trim": "5 x 8 in", "contents": list(files)}
    return write_source(tmp_path / "src", meta, files)


def _build(source, out, jobs=1, **kw):
    result = build(source, out, ("epub", "pdf"), epoch=EPOCH, jobs=jobs,
                   profiles=tuple(PROFILES[p] for p in PROFILE_NAMES), **kw)
    return result, {p.name: p.read_bytes() for p in result.files}


def _cold(source, tmp_path, name):
    return _build(source, tmp_path / name, cache=False)[1]


def _entries(tmp_path) -> tuple[list, list]:
    """The chapters' and the faces' entries in the build cache, as (path, entry)."""
    parts, faces = [], []
    for path in (tmp_path / FOLDER).rglob("*"):
        entry = cache_module._decode(path.read_bytes(), path.name) if path.is_file() else None
        if entry is not None and isinstance(entry.meta, dict) and "phantoms" in entry.meta:
            parts.append((path, entry))
        elif entry is not None and entry.meta is None and "face" in entry.blobs:
            faces.append((path, entry))
    return parts, faces


def _log_layouts(monkeypatch, log) -> None:
    """Each chapter an untagged profile lays out alone, and its front matter ("front"),
    written to the file `log` (from a worker process too)."""
    real = print_book._lay_out

    def logged(book, profile, page, keep=frozenset(), only=None, sheets=None, part=None):
        name = only or ("front" if part is not None and part.front else None)
        if profile.name != "screen" and name is not None:
            with open(log, "a", encoding="utf-8") as out:
                out.write(name + "\n")
        return real(book, profile, page, keep, only, sheets, part)
    monkeypatch.setattr(print_book, "_lay_out", logged)


def _laid_out(log) -> set[str]:
    return set(log.read_text("utf-8").split()) if log.exists() else set()


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_an_edited_chapter_is_the_only_one_laid_out_and_written_again(source, tmp_path,
                                                                      monkeypatch):
    _build(source, tmp_path / "out")
    # each untagged profile files its front matter and three chapters (the tagged one is
    # written whole)
    assert len(_entries(tmp_path)[0]) == 4 * 2
    _edit(source / "b.md", "Patience is", "Patience, they said, is")
    _log_layouts(monkeypatch, tmp_path / "laid-out.txt")
    again, files = _build(source, tmp_path / "out")
    # a, c and the front matter (b keeps its pages: the contents are the same), for
    # two profiles
    assert again.cache.hits.count(written.KIND) == 3 * 2
    # once for each profile: mended at its folio (a's pages counted from the cache), so
    # the book takes that layout as it is; the front matter is not laid out again
    assert (tmp_path / "laid-out.txt").read_text("utf-8").split() == ["b", "b"]
    monkeypatch.undo()
    assert files == _cold(source, tmp_path, "fresh")



@pytest.mark.slow
def test_a_chapter_that_grows_lays_the_contents_out_again(source, tmp_path, monkeypatch):
    """Pages more in b move c's folio: the front matter (its contents) and c are laid
    out again, a comes from the cache, and the bytes are a cold build's."""
    _build(source, tmp_path / "out")
    _edit(source / "b.md", "He said", "\n\n".join([TEXT * 3] * 12) + "\n\nHe said")
    _log_layouts(monkeypatch, tmp_path / "laid-out.txt")
    again, files = _build(source, tmp_path / "out")
    assert _laid_out(tmp_path / "laid-out.txt") == {"front", "b", "c"}
    assert again.cache.hits.count(written.KIND) == 1 * 2         # a, for two profiles
    monkeypatch.undo()
    assert files == _cold(source, tmp_path, "fresh")

@pytest.mark.slow
def test_book_yaml_templates_and_fonts_each_invalidate_the_chapters(source, tmp_path,
                                                                   monkeypatch):
    _build(source, tmp_path / "out")
    _edit(source / "book.yaml", "title: Kept", "title: Kept Again")     # the running heads
    retitled, files = _build(source, tmp_path / "out")
    assert files == _cold(source, tmp_path, "fresh-title")
    assert written.KIND not in retitled.cache.hits
    release_a_font(monkeypatch)
    refonted, files = _build(source, tmp_path / "out")
    assert written.KIND not in refonted.cache.hits
    assert files == _cold(source, tmp_path, "fresh-fonts")


@pytest.mark.slow
def test_a_damaged_or_false_chapter_entry_is_not_used(source, tmp_path):
    _build(source, tmp_path / "out")
    parts, faces = _entries(tmp_path)
    for path, _ in parts:
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2] + b"\x00" + data[len(data) // 2 + 1:])
    store = Cache(tmp_path / FOLDER)
    for path, face in faces:
        face.blobs["face"] = face.blobs["face"][:-4] + b"\x00\x00\x00\x00"  # not its digest
        store.put(path.name, face)
    store.flush()
    _edit(source / "b.md", "Patience is", "Patience, they said, is")
    again, files = _build(source, tmp_path / "out")
    assert written.KIND not in again.cache.hits
    assert again.cache.misses.count(written.KIND) >= 2 * 2     # a and c, both profiles
    assert files == _cold(source, tmp_path, "fresh")
    # and a sound chapter whose face is false: laid out again too
    parts, faces = _entries(tmp_path)
    assert len(parts) == 4 * 2
    for path, face in faces:
        face.blobs["face"] = face.blobs["face"][:-4] + b"\x00\x00\x00\x00"
        store.put(path.name, face)
    store.flush()
    _edit(source / "b.md", "Patience, they said, is", "Patience is")
    again, files = _build(source, tmp_path / "out")
    assert written.KIND not in again.cache.hits
    assert files == _cold(source, tmp_path, "fresh-again")


def test_a_written_chapter_comes_back_as_it_was_filed():
    use = FontUse(7, {"name": b"/ABC+Face", "variations": {"wght": 400.0}, "missing": {}},
                  {3: 500.0, 9: 250.5}, {3: "a", 9: "ﻻ"}, "d" * 64)
    part = PartPdf(b"%PDF-1.7 ...", (use,), frozenset({"x"}), ("said",))
    pages = [written.StandIn(400.0, 600.0, {"c1": (0, 10.5, 0, 0)}, [(1, "Title", (0, 10.5),
                             "open")], "7", {14.2: 30}, PageStart("7", "c1", 3, "words", 12)),
             written.StandIn(400.0, 600.0, {}, [], "8", {}, None)]
    kept = written.Written(part, pages, frozenset({("c1:3", 40)}), ("warned",), 14.2)
    back = written.load(written.dump(kept))
    assert back.part == part and back.faults == kept.faults and back.warnings == ("warned",)
    assert back.pitch == 14.2
    assert [(p.width, p.height, p.anchors, p.bookmarks, p.label, p.line_heights, p.start)
            for p in back.pages] == [
        (400.0, 600.0, {"c1": [0, 10.5, 0, 0]}, [(1, "Title", [0, 10.5], "open")], "7",
         {14.2: 30}, PageStart("7", "c1", 3, "words", 12)),
        (400.0, 600.0, {}, [], "8", {}, None)]
    assert all(p.written is back for p in back.pages)
    assert io.BytesIO(back.part.data).read() == part.data


@pytest.mark.slow
def test_an_edited_print_template_invalidates_the_chapters(source, tmp_path, own_templates):
    _build(source, tmp_path / "out")
    css = own_templates / "pdf" / "book.css"
    css.write_text(css.read_text("utf-8") + "\nh1 { letter-spacing: 0.05em; }\n", "utf-8")
    _edit(source / "b.md", "Patience is", "Patience, they said, is")
    changed, files = _build(source, tmp_path / "out")
    assert written.KIND not in changed.cache.hits
    assert files == _cold(source, tmp_path, "fresh")


@pytest.mark.slow
def test_chapters_kept_by_worker_processes_come_back_the_same(source, tmp_path,
                                                            monkeypatch):
    """On two processes (the profiles in workers, which send their chapters up to be
    filed), the rebuild after an edit lays out only the edited chapter and makes the
    same bytes. (A worker's cache counts its hits itself: its layouts are logged.)"""
    _build(source, tmp_path / "out", jobs=2)
    assert len(_entries(tmp_path)[0]) == 4 * 2
    _edit(source / "c.md", "Patience is", "Patience, they said, is")
    _log_layouts(monkeypatch, tmp_path / "laid-out.txt")
    _, files = _build(source, tmp_path / "out", jobs=2)
    assert _laid_out(tmp_path / "laid-out.txt") == {"c"}
    monkeypatch.undo()
    assert files == _cold(source, tmp_path, "fresh")


def test_a_chapter_from_the_cache_takes_its_unprinted_labels_from_the_book():
    """A page of a cached chapter keeps the folio printed on it; one without a folio is
    labelled as the book it is in now labels it (the page before's number plus one, or
    its place), and its page-map entry carries that label, not the one it had before."""
    import types

    from warraq.pdf import pagemap

    def page(label, start=None):
        return written.StandIn(400.0, 600.0, {}, [], label, {}, start)
    old = PageStart("99", "c1", 2, "words", 0)
    document = types.SimpleNamespace(pages=[page("vii"), page(None), page("5"),
                                            page(None, old)])
    labels = pagemap.page_labels(document)
    assert labels == ["vii", "2", "5", "6"]
    starts = pagemap.page_starts(document, types.SimpleNamespace(chapters=()), labels)
    assert starts[:3] == [None, None, None]
    assert starts[3] == dataclasses.replace(old, label="6")


@pytest.mark.slow
def test_a_chapter_justified_by_another_pitch_is_not_taken(source, tmp_path, monkeypatch):
    """The short pages of a chapter are justified by the book's line pitch: a chapter
    kept when the book's pitch was another is laid out again (here the kept pitch is
    made false), and the PDF is a cold build's."""
    _build(source, tmp_path / "out")
    store = Cache(tmp_path / FOLDER)
    for path, entry in _entries(tmp_path)[0]:
        entry.meta["pitch"] += 1.0
        store.put(path.name, entry)
    store.flush()
    _edit(source / "b.md", "Patience is", "Patience, they said, is")
    _log_layouts(monkeypatch, tmp_path / "laid-out.txt")
    _, files = _build(source, tmp_path / "out")
    assert _laid_out(tmp_path / "laid-out.txt") == {"front", "a", "b", "c"}
    monkeypatch.undo()
    assert files == _cold(source, tmp_path, "fresh")


def test_what_a_faces_glyphs_stand_for_is_kept_under_the_file(tmp_path, monkeypatch):
    """`tounicode.glyph_texts` of a face, through the shelf: the same mapping computed
    and read back from the cache; an entry of the wrong shape is computed again; what
    this process computed already is taken as it is, and filed if the cache lacks it."""
    from warraq.fonts import faces
    from warraq.pdf import tounicode
    from warraq.pdf.tounicode import glyph_texts
    path = next(f.path for f in faces() if f.path.suffix == ".ttf")
    expected = tounicode._glyph_texts(path)
    monkeypatch.setattr(tounicode, "_KNOWN", {})      # (this process knows none)
    store = Cache(tmp_path / FOLDER)
    first = written.Shelf(store, PROFILES["print"], None, ())
    assert first.glyph_texts(path) == expected
    for key, entry in first.made.items():
        store.put(key, entry)
    store.flush()
    monkeypatch.setattr(tounicode, "_KNOWN", {})
    again = written.Shelf(Cache(tmp_path / FOLDER), PROFILES["print"], None, ())
    assert again.glyph_texts(path) == expected and not again.made    # read back
    assert tounicode.known_glyph_texts(path) is None
    monkeypatch.setattr(tounicode, "_KNOWN", {})
    wrong = written.Shelf(Cache(tmp_path / FOLDER), PROFILES["print"], None, ())
    key = next(iter(first.made))
    wrong.made[key] = cache_module.Entry({"not": "a list"})
    assert wrong.glyph_texts(path) == expected
    # known in this process: taken, and filed only where the cache does not hold it
    assert tounicode.known_glyph_texts(path) == expected
    held = written.Shelf(Cache(tmp_path / FOLDER), PROFILES["print"], None, ())
    assert held.glyph_texts(path) is tounicode.known_glyph_texts(path) and not held.made
    bare = written.Shelf(Cache(tmp_path / "elsewhere"), PROFILES["print"], None, ())
    assert bare.glyph_texts(path) == expected and list(bare.made) == [key]
    assert glyph_texts(path) is tounicode.known_glyph_texts(path)


def test_a_rebuilt_tounicode_map_is_kept_under_the_face_and_the_stream(tmp_path):
    """`Shelf.rebuilt`: made once, then read back for the same face and stream (not made
    again); a map that stays is kept as such; another stream, or an entry of the wrong
    shape, is made anew."""
    from warraq.fonts import faces
    path = next(f.path for f in faces() if f.path.suffix == ".ttf")
    made: list[bytes] = []

    def make(result):
        return lambda: (made.append(result), result)[1]
    store = Cache(tmp_path / FOLDER)
    first = written.Shelf(store, PROFILES["print"], None, ())
    assert first.rebuilt(path, b"stream one", make(b"map one")) == b"map one"
    assert first.rebuilt(path, b"stream two", make(None)) is None
    for key, entry in first.made.items():
        store.put(key, entry)
    store.flush()
    again = written.Shelf(Cache(tmp_path / FOLDER), PROFILES["print"], None, ())
    assert again.rebuilt(path, b"stream one", make(b"other")) == b"map one"
    assert again.rebuilt(path, b"stream two", make(b"other")) is None
    assert made == [b"map one", None] and not again.made
    assert again.rebuilt(path, b"stream three", make(b"map three")) == b"map three"
    key = next(k for k, e in first.made.items() if e.meta is True)
    wrong = written.Shelf(Cache(tmp_path / FOLDER), PROFILES["print"], None, ())
    wrong.made[key] = cache_module.Entry(True, {})             # a map said, none held
    assert wrong.rebuilt(path, b"stream one", make(b"map one")) == b"map one"
    assert made[-1] == b"map one" and len(made) == 4
