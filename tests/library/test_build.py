"""The library build (slow: it builds the test library): every good book built and listed, the broken one reported with its
file:line, nothing rebuilt when nothing changed, one edit rebuilding one book."""

from __future__ import annotations

import pytest

import json

from warraq.cli import main
from warraq.library import build_library

from .conftest import mtimes
from .libgen import ARTICLES, BROKEN

GOOD = sorted(a[0] for a in ARTICLES)

pytestmark = pytest.mark.slow   # the session's library build


def test_every_good_book_is_built_and_listed(built):
    _, dist, result = built
    assert sorted(result.built) == GOOD and result.skipped == []
    assert result.listed == GOOD            # the catalogue lists them, in folder order
    assert list(result.failed) == [BROKEN]
    for slug in GOOD:
        names = {p.name for p in (dist / slug).iterdir()}
        assert {"cover.png", "cover-thumb.png"} <= names, slug
        assert any(n.endswith(".epub") for n in names) and any(n.endswith(".pdf")
                                                               for n in names), slug
    assert not (dist / BROKEN).exists()


def test_the_broken_book_is_reported_at_its_file_and_line(built):
    _, _, result = built
    assert result.failed[BROKEN] == (
        f"{BROKEN}/text.md:3: error W304: footnote `[^gone]` is referenced but never "
        "defined: add `[^gone]: ...`",)
    manifest = json.loads((built[1] / "manifest.json").read_text())
    assert not any(f.get("book") == BROKEN for f in manifest["files"])


def test_a_second_run_rebuilds_nothing(copy_of, capsys):
    src, dist = copy_of
    before = mtimes(dist)
    status = main([str(src), "--out", str(dist)])
    out, err = capsys.readouterr()
    assert status == 2                       # the broken book still fails
    assert "built " not in out and "wrote " not in out
    assert f"0 built, {len(GOOD)} unchanged, 1 failed" in err
    assert f"{BROKEN}/text.md:3: error W304" in err
    after = mtimes(dist)
    assert after.pop(".warraq-library.json") and before.pop(".warraq-library.json")
    assert after == before                   # not one file touched


def test_editing_one_article_rebuilds_it_and_the_catalogue_only(copy_of):
    src, dist = copy_of
    slug = "2023-02-10-trust"
    before = mtimes(dist)
    old = json.loads((dist / "manifest.json").read_text())
    text = src / slug / "text.md"
    text.write_text(text.read_text() + "\nA third paragraph, added later.\n")
    result = build_library(src, dist, ("epub", "pdf"), ("print",), jobs=2)
    assert result.built == [slug] and sorted(result.skipped) == sorted(set(GOOD) - {slug})
    after = mtimes(dist)
    changed = {p for p in after if after[p] != before.get(p)}
    catalogue = {p for p in changed if not p.startswith(slug + "/")}
    assert catalogue <= {"catalog.xml", "catalog.json", "index.html", "manifest.json",
                         ".warraq-library.json"} | {p for p in changed
                                                    if p.startswith("catalog/")}
    assert {"manifest.json", "catalog.xml"} <= catalogue
    assert any(p.endswith(".epub") for p in changed - catalogue)
    new = json.loads((dist / "manifest.json").read_text())
    epub = lambda m: next(f for f in m["files"] if f["book"] == slug and
                          f["path"].endswith(".epub"))
    assert epub(new)["sha256"] != epub(old)["sha256"]
    others = lambda m: [f for f in m["files"] if f.get("book") not in (None, slug)]
    assert others(new) == others(old)


def test_a_book_that_breaks_keeps_its_last_good_files_listed(copy_of):
    src, dist = copy_of
    slug = "2024-01-05-fasting"
    old = [f for f in json.loads((dist / "manifest.json").read_text())["files"]
           if f.get("book") == slug]
    (src / slug / "book.yaml").write_text((src / slug / "book.yaml").read_text()
                                          + "lang: not a language!\n")
    for _ in range(2):                       # and again: it is tried, and still listed
        result = build_library(src, dist, ("epub", "pdf"), ("print",), jobs=1)
        assert result.built == [] and sorted(result.failed) == sorted([BROKEN, slug])
        (line,) = result.failed[slug]
        assert line.startswith(f"{slug}/book.yaml:") and ": error W1" in line
        assert slug in result.listed
        listed = [f for f in json.loads((dist / "manifest.json").read_text())["files"]
                  if f.get("book") == slug]
        assert listed == old
    assert f'"{slug}/' in (dist / "catalog.json").read_text()


def test_a_damaged_output_is_rebuilt(copy_of):
    src, dist = copy_of
    slug = "2025-02-11-travel"
    pdf = next((dist / slug).glob("*.pdf"))
    good = pdf.read_bytes()
    pdf.write_bytes(good[:-10])
    result = build_library(src, dist, ("epub", "pdf"), ("print",), jobs=1)
    assert result.built == [slug]
    assert pdf.read_bytes() == good          # reproducible: the same bytes again
