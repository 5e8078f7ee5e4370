"""A library holding a volume: its inputs' hash covers its articles' folders, and (slow:
a small library built, EPUB only) the volume is built after its articles and listed in
the catalogue; editing one of its articles rebuilds that article and the volume, editing
another article only that one; an error in one of its articles fails the volume at that
article's file and line."""

from __future__ import annotations

import json

import pytest

from warraq.library import build_library
from warraq.library.state import inputs_digest
from warraq.library.volumes import article_folders, volumes_last

from .libgen import ARTICLES, VOLUME, make_library, make_volume

IN_VOLUME = ["2022-03-01-patience", "2022-12-02-sabr", "2023-02-10-trust"]
OUTSIDE = "2024-01-05-fasting"


def _build(src, dist, order=None):
    return build_library(src, dist, ("epub",), ("print",), jobs=1,
                         on_done=(lambda o: order.append(o.slug)) if order is not None
                         else (lambda o: None))


def test_a_volumes_inputs_are_its_folder_and_its_articles(tmp_path):
    src = make_library(tmp_path / "src", broken=False,
                       articles=[a for a in ARTICLES if a[0] in IN_VOLUME + [OUTSIDE]])
    volume = make_volume(src, IN_VOLUME + ["../../elsewhere", "no-such-folder"])
    assert article_folders(volume, src) == tuple((src / f).resolve() for f in IN_VOLUME)
    assert article_folders(src / OUTSIDE, src) == ()
    books = sorted((p.name, p) for p in src.iterdir() if p.is_dir())
    assert [slug for slug, _f, _a in volumes_last(books, src)][-1] == VOLUME

    def digest():
        return inputs_digest(volume, "tool", ("epub",), ("print",), None,
                             article_folders(volume, src))
    before = digest()
    (src / OUTSIDE / "text.md").write_text("# Changed\n\nText.\n", encoding="utf-8")
    assert digest() == before
    (src / IN_VOLUME[2] / "text.md").write_text("# Changed\n\nText.\n", encoding="utf-8")
    assert digest() != before


@pytest.mark.slow
def test_a_volume_is_built_after_its_articles_listed_and_rebuilt_with_them(tmp_path):
    src = make_library(tmp_path / "src", broken=False,
                       articles=[a for a in ARTICLES if a[0] in IN_VOLUME + [OUTSIDE]])
    make_volume(src, IN_VOLUME)
    dist = tmp_path / "dist"
    order: list[str] = []
    result = _build(src, dist, order)
    assert order[-1] == VOLUME and sorted(order) == sorted(IN_VOLUME + [OUTSIDE, VOLUME])
    assert result.ok and VOLUME in result.listed
    catalogue = json.loads((dist / "catalog.json").read_text())
    titles = [p["metadata"]["title"] for p in catalogue["publications"]]
    assert "Answers, 2022–2024" in titles
    manifest = json.loads((dist / "manifest.json").read_text())
    assert any(f.get("book") == VOLUME and f["path"].endswith(".epub")
               for f in manifest["files"])

    assert _build(src, dist).built == []
    text = src / IN_VOLUME[1] / "text.md"
    text.write_text(text.read_text() + "\nوفقرة أخرى.\n", encoding="utf-8")
    assert _build(src, dist).built == [IN_VOLUME[1], VOLUME]
    text = src / OUTSIDE / "text.md"
    text.write_text(text.read_text() + "\nOne more line.\n", encoding="utf-8")
    assert _build(src, dist).built == [OUTSIDE]

    (src / IN_VOLUME[0] / "text.md").write_text("# T\n\nA call.[^x]\n", encoding="utf-8")
    result = _build(src, dist)
    assert result.failed[VOLUME] == result.failed[IN_VOLUME[0]] == (
        f"{IN_VOLUME[0]}/text.md:3: error W304: footnote `[^x]` is referenced but never "
        "defined: add `[^x]: ...`",)
    assert VOLUME in result.listed           # with the files of its last good build
