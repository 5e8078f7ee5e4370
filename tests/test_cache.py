"""warraq.cache, and the build that uses it: a fingerprint is the same in every process
and tells values apart; an entry comes back only sound, from this warraq, under its own
key; a rebuild takes from the cache exactly what nothing changed (a chapter, a template,
the fonts, book.yaml each invalidate what they should) and makes the same bytes as a cold
build; a damaged entry is ignored; a failed build leaves no cache."""

import dataclasses
import subprocess
import sys

import pytest

from conftest import ROOT, release_a_font, write_source
from warraq import cache as cache_module
from warraq.cache import FOLDER, Cache, Entry, fingerprint
from warraq.errors import SourceError
from warraq.pipeline import build


# --- the store ------------------------------------------------------------------------

def test_a_fingerprint_is_the_same_in_every_process():
    code = ("from warraq.cache import fingerprint; import datetime as d; print(fingerprint("
            "({'a': frozenset({'x', 'y', 'z'})}, d.date(2024, 1, 2), b'\\0', 1.5)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, env={"PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1


def test_a_fingerprint_tells_values_apart():
    @dataclasses.dataclass(frozen=True)
    class A:
        x: str

    values = [("a", "b"), ("ab",), "ab", b"ab", 1, True, "1", 1.0, None, [], {}, A("ab"),
              {"a": 1}, {"a": 2}, (("a", 1),), frozenset({"a"})]
    assert len({fingerprint(v) for v in values}) == len(values)
    with pytest.raises(TypeError):
        fingerprint(object())


def _cache(tmp_path) -> Cache:
    return Cache(tmp_path / FOLDER)


def test_an_entry_comes_back_after_the_build_flushed_it(tmp_path):
    store = _cache(tmp_path)
    key = store.key("kind", "input")
    store.put(key, Entry({"n": [1, "two"]}, {"a": b"\x00\x01", "b": b""}))
    assert store.get(key).blobs["a"] == b"\x00\x01"              # this build sees it
    assert not (tmp_path / FOLDER).exists()                       # nothing on disk yet
    store.flush()
    again = _cache(tmp_path).get(key)
    assert again.meta == {"n": [1, "two"]} and again.blobs == {"a": b"\x00\x01", "b": b""}
    assert (tmp_path / FOLDER / ".gitignore").read_text().strip().endswith("*")
    assert Cache(None).get(key) is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "misfiled", "version", "garbage"])
def test_a_damaged_or_foreign_entry_is_ignored_and_removed(tmp_path, damage, monkeypatch):
    store = _cache(tmp_path)
    key, other = store.key("kind", 1), store.key("kind", 2)
    store.put(key, Entry({"m": 1}, {"pdf": b"%PDF-1.7 a file" * 10}))
    store.put(other, Entry({"m": 2}, {"pdf": b"other"}))
    store.flush()
    path = tmp_path / FOLDER / key[:2] / key
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[:-5])
    elif damage == "flip":
        path.write_bytes(data[:-3] + bytes([data[-3] ^ 1]) + data[-2:])
    elif damage == "misfiled":
        path.write_bytes((tmp_path / FOLDER / other[:2] / other).read_bytes())
    elif damage == "version":
        monkeypatch.setattr(cache_module, "__version__", "0.0.0-other")
        path.write_bytes(cache_module._encode(key, Entry({"m": 1}, {"pdf": b"old"})))
        monkeypatch.undo()
    else:
        path.write_bytes(b"\x00" * 40)
    assert _cache(tmp_path).get(key) is None
    assert not path.exists()
    assert _cache(tmp_path).get(other).blobs == {"pdf": b"other"}


def test_past_its_limit_the_folder_drops_the_entries_used_longest_ago(tmp_path):
    import os
    store = _cache(tmp_path)
    keys = [store.key("kind", n) for n in range(3)]
    for key in keys:
        store.put(key, Entry(None, {"b": b"x" * 1000}))
    store.flush()
    for age, key in zip((300, 200, 100), keys):        # keys[0] used longest ago
        path = tmp_path / FOLDER / key[:2] / key
        os.utime(path, (path.stat().st_mtime - age,) * 2)
    assert _cache(tmp_path).get(keys[0]) is not None    # a hit counts as a use
    _cache(tmp_path).prune(limit=2500)
    assert [_cache(tmp_path).get(k) is not None for k in keys] == [True, False, True]


def test_remember_computes_once(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return b"value"
    for _ in range(2):
        store = _cache(tmp_path)
        got = store.remember("k", ("x",), compute, lambda v: Entry(None, {"v": v}),
                             lambda e: e.blobs["v"])
        store.flush()
        assert got == b"value"
    assert len(calls) == 1 and store.hits == ["k"]


# --- builds -----------------------------------------------------------------------------

META = {"title": "Cached", "author": "A. Writer", "lang": "en", "date": "2024-01-01",
        "contents": ["a.md", "b.md"]}
FILES = {"a.md": "# One\n\nThe first chapter, with a note.[^n]\n\n[^n]: The note.\n",
         "b.md": "# Two\n\n" + "The second chapter runs on. " * 60 + "\n"}


@pytest.fixture
def source(tmp_path):
    return write_source(tmp_path / "src", META, FILES)


def _build(source, out, **kw):
    result = build(source, out, ("epub", "pdf"), **kw)
    return result, {p.name: p.read_bytes() for p in result.files}


def _cold(source, tmp_path, name):
    """The same source built from nothing, without a cache."""
    return _build(source, tmp_path / name, cache=False)[1]


@pytest.mark.slow
def test_a_rebuild_takes_everything_from_the_cache_in_the_same_bytes(source, tmp_path):
    first, cold = _build(source, tmp_path / "out")
    assert sorted(set(first.cache.misses)) == ["cover", "epub-font", "pandoc-read",
                                               "pandoc-walk", "pandoc-write", "pdf-profile"]
    assert not first.cache.hits
    again, warm = _build(source, tmp_path / "out")
    assert not again.cache.misses and "pdf-profile" in again.cache.hits
    assert warm == cold == _cold(source, tmp_path, "fresh")


def _edit(source, name, old, new):
    path = source / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_an_edited_chapter_lays_the_pdf_out_again_and_keeps_the_cover(source, tmp_path):
    _build(source, tmp_path / "out")
    _edit(source, "b.md", "runs on", "runs on and on")
    result, files = _build(source, tmp_path / "out")
    # Pandoc reads the edited chapter alone, and writes what changed in it
    assert sorted(set(result.cache.misses)) == ["pandoc-read", "pandoc-walk", "pandoc-write",
                                                "pdf-profile"]
    assert result.cache.misses.count("pandoc-read") == 1
    assert result.cache.misses.count("pandoc-walk") == 1
    assert result.cache.hits.count("pandoc-walk") >= 1
    assert "cover" in result.cache.hits
    assert files == _cold(source, tmp_path, "fresh")


@pytest.mark.slow
def test_an_edited_book_yaml_invalidates_what_it_feeds(source, tmp_path):
    _build(source, tmp_path / "out")
    _edit(source, "book.yaml", "title: Cached", "trim: 5x8\ntitle: Cached")
    trimmed, files = _build(source, tmp_path / "out")        # the PDF only
    assert trimmed.cache.misses == ["pdf-profile"] and "cover" in trimmed.cache.hits
    assert files == _cold(source, tmp_path, "fresh-trim")
    _edit(source, "book.yaml", "title: Cached", "title: Cached Again")
    retitled, files = _build(source, tmp_path / "out")       # the PDF and the cover
    assert {"pdf-profile", "cover"} <= set(retitled.cache.misses)
    assert files == _cold(source, tmp_path, "fresh-title")


@pytest.mark.slow
def test_an_edited_template_invalidates_its_output_only(source, tmp_path, own_templates):
    _build(source, tmp_path / "out")
    css = own_templates / "epub" / "book.css"
    css.write_text(css.read_text("utf-8") + "\n/* an EPUB-only change */\n", "utf-8")
    epub_only, files = _build(source, tmp_path / "out")
    assert "pdf-profile" in epub_only.cache.hits and not epub_only.cache.misses
    assert b"an EPUB-only change" in _epub_css(files["cached.epub"])
    assert files == _cold(source, tmp_path, "fresh-epub")
    css = own_templates / "pdf" / "book.css"
    css.write_text(css.read_text("utf-8") + "\n.never { color: red; }\n", "utf-8")
    print_change, files = _build(source, tmp_path / "out")
    assert print_change.cache.misses == ["pdf-profile"]
    assert files == _cold(source, tmp_path, "fresh-pdf")


def _epub_css(data: bytes) -> bytes:
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(next(n for n in zf.namelist() if n.endswith("book.css")))


@pytest.mark.slow
def test_other_fonts_invalidate_every_entry_that_sets_type(source, tmp_path, monkeypatch):
    """Another release of a font package (a face the book does not even use): the PDF and
    the cover are made again; the EPUB's subsets of the files that did not change stay."""
    _build(source, tmp_path / "out")
    release_a_font(monkeypatch)
    result, files = _build(source, tmp_path / "out")
    assert {"pdf-profile", "cover"} <= set(result.cache.misses)
    assert "epub-font" in result.cache.hits and "epub-font" not in result.cache.misses
    assert files == _cold(source, tmp_path, "fresh")


@pytest.mark.slow
def test_tampered_entries_are_ignored(source, tmp_path):
    _, cold = _build(source, tmp_path / "out")
    entries = [p for p in (tmp_path / FOLDER).rglob("*")
               if p.is_file() and p.name != ".gitignore"]
    assert entries
    for path in entries:                     # one byte of each payload's end changed
        data = bytearray(path.read_bytes())
        data[-1] ^= 0x20
        path.write_bytes(bytes(data))
    result, files = _build(source, tmp_path / "out")
    assert not result.cache.hits
    assert files == cold


def test_a_failed_build_leaves_no_cache(source, tmp_path):
    (source / "b.md").write_text("# Two\n\n![missing](nowhere.png)\n", encoding="utf-8")
    with pytest.raises(SourceError):
        _build(source, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / FOLDER).exists()


def test_no_cache_keeps_nothing(source, tmp_path):
    result, _ = _build(source, tmp_path / "out", cache=False)
    assert not (tmp_path / FOLDER).exists() and not result.cache.misses
