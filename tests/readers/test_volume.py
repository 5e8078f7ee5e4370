"""A volume's contents naming book folders (warraq.readers.volume and the volume
transform, read back from the prepared Book, nothing rendered): the confinement widens
to the library and no further, each mistake is a coded error at its line of book.yaml,
an article's own errors are named from the volume, and the articles become chapters in
date order, each with its own facts, ids and notes."""

from __future__ import annotations

import pytest

from library.libgen import (ARTICLES, VOLUME, VOLUME_ARTICLES, make_library, make_volume,
                            write_book)
from warraq.errors import SourceError
from warraq.pipeline import prepare
from warraq.readers.volume import folder_entries, is_folder_entry
from warraq.xhtml import parse_fragment


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return make_library(tmp_path_factory.mktemp("vol") / "lib", broken=False, volume=True)


@pytest.fixture(scope="module")
def volume(library):
    return prepare(library / VOLUME)


def _errors(folder) -> list[str]:
    with pytest.raises(SourceError) as info:
        prepare(folder)
    return [str(d) for d in info.value.diagnostics]


def _volume(root, entries: list[str], **meta):
    meta = {"title": "A Volume", "contents": entries, **meta}
    return write_book(root, meta, "", name="unused.md")


def test_one_chapter_per_article_in_date_order_after_the_preface(volume):
    dates = {a[0]: a[2] for a in ARTICLES}
    chapters = volume.chapters
    assert chapters[0].id == "preface" and chapters[0].article is None
    articles = [c for c in chapters if c.article is not None]
    assert [c.article.folder for c in articles] == [
        f"../{f}" for f in sorted(VOLUME_ARTICLES, key=dates.get)]
    assert [c.article.meta.date.isoformat() for c in articles] == sorted(
        dates[f] for f in VOLUME_ARTICLES)
    assert chapters[-1].kind == "index" and len(chapters) == len(VOLUME_ARTICLES) + 2
    for c in articles:                       # each keeps its own facts
        assert c.title == c.article.meta.title
        assert c.article.dates.hijri_text and c.article.dates.gregorian_text
    sabr = next(c for c in articles if c.article.folder.endswith("sabr"))
    assert sabr.lang == "ar" and "جمادى" in sabr.article.dates.dateline_text
    assert sabr.article.meta.collection == "أجوبة" and sabr.article.meta.group_position == 1


def test_ids_are_unique_and_links_still_lead_to_them(volume):
    seen = set()
    for chapter in volume.chapters:
        tree = parse_fragment(chapter.html)
        ids = [el.get("id") for el in tree.iter() if el.get("id")]
        ids += [n.id for n in chapter.footnotes] + [n.ref_id for n in chapter.footnotes]
        assert not seen & set(ids), chapter.id
        seen |= set(ids)
        if chapter.article is not None:
            assert all(i.startswith(chapter.id + "-") for i in ids)
    for chapter in volume.chapters:
        for a in parse_fragment(chapter.html).iter("a"):
            if (a.get("href") or "").startswith("#"):
                assert a.get("href")[1:] in seen, a.get("href")


def test_notes_are_numbered_per_article_and_each_keeps_its_dateline(volume):
    english = [c for c in volume.chapters if c.article and c.lang is None]
    assert english and all([n.label for n in c.footnotes] == ["1"] for c in english)
    for c in (c for c in volume.chapters if c.article):
        dateline = [d for d in parse_fragment(c.html).iter("div")
                    if "dateline" in (d.get("class") or "")]
        assert len(dateline) == 1
        assert c.article.dates.hijri_text in "".join(dateline[0].itertext())


def test_the_volume_reads_its_articles_sources_named_from_it(volume):
    paths = [s.path for s in volume.sources]
    assert "book.yaml" in paths and "preface.md" in paths
    for folder in VOLUME_ARTICLES:
        assert f"../{folder}/text.md" in paths and f"../{folder}/book.yaml" in paths


def test_an_articles_error_is_named_from_the_volume(library, tmp_path):
    root = make_library(tmp_path / "lib", articles=ARTICLES[:2], broken=False)
    (root / ARTICLES[1][0] / "text.md").write_text("# T\n\nA call[^x].\n", encoding="utf-8")
    make_volume(root, [a[0] for a in ARTICLES[:2]])
    assert _errors(root / VOLUME) == [
        f"../{ARTICLES[1][0]}/text.md:3: error W304: footnote `[^x]` is referenced but "
        "never defined: add `[^x]: ...`"]


def test_a_volume_outside_a_library_is_w209(tmp_path):
    write_book(tmp_path / "article", {"title": "A", "contents": ["text.md"]}, "# A\n\nText.\n")
    _volume(tmp_path / "volume", ["../article"])
    assert _errors(tmp_path / "volume") == [
        "book.yaml:3: error W209: `../article` names a book folder, but this book is in no "
        "library: a volume's articles are book folders of its library (the folder holding "
        "library.yaml, at or above the volume)"]


def test_entries_escaping_the_library_or_naming_no_article(tmp_path):
    outside = tmp_path / "outside"
    write_book(outside, {"title": "Out", "contents": ["text.md"]}, "# Out\n\nText.\n")
    root = make_library(tmp_path / "lib", articles=ARTICLES[:1], broken=False)
    (root / "plain-folder").mkdir()
    _volume(root / "nested", ["../" + ARTICLES[0][0]])
    (root / "link").symlink_to(outside)
    entries = ["../../outside", "..", "../link", "/etc", "../plain-folder", "../missing",
               "../vol", "../nested", "../" + ARTICLES[0][0], "../" + ARTICLES[0][0] + "/"]
    _volume(root / "vol", entries)
    codes = [(line.split(":")[1], line.split(" ")[2].rstrip(":")) for line in _errors(root / "vol")]
    assert codes == [("3", "W210"), ("4", "W210"), ("5", "W210"), ("6", "W210"),
                     ("7", "W211"), ("8", "W200"), ("9", "W211"), ("10", "W211"),
                     ("12", "W201")]


def test_a_volume_is_laid_out_as_a_book(tmp_path):
    root = make_library(tmp_path / "lib", articles=ARTICLES[:1], broken=False)
    _volume(root / "vol", ["../" + ARTICLES[0][0]], layout="article")
    assert [line.split(" error ")[1][:4] for line in _errors(root / "vol")] == ["W109"]


def _png(colour: str) -> bytes:
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buf, "PNG")
    return buf.getvalue()


def test_two_articles_images_stay_apart(tmp_path):
    root = make_library(tmp_path / "lib", articles=ARTICLES[:2], broken=False)
    for (folder, *_), colour in zip(ARTICLES[:2], ("teal", "olive")):
        (root / folder / "images").mkdir()
        (root / folder / "images" / "fig.png").write_bytes(_png(colour))
        with (root / folder / "text.md").open("a", encoding="utf-8") as text:
            text.write("\n![A square](images/fig.png)\n")
    make_volume(root, [a[0] for a in ARTICLES[:2]])
    book = prepare(root / VOLUME)
    assert sorted(r.path for r in book.resources) == sorted(
        f"{a[0]}/images/fig.png" for a in ARTICLES[:2])
    assert len({r.data for r in book.resources}) == 2
    for chapter in book.chapters[1:3]:
        srcs = [img.get("src") for img in parse_fragment(chapter.html).iter("img")]
        assert srcs == [f"{chapter.article.folder[3:]}/images/fig.png"]


def test_which_entries_name_folders(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi"))
    text = bomb + "contents: [a.md, ../x, notes.txt, ../y/, {k: v}]\n"
    assert folder_entries(text) == ["../x", "notes.txt", "../y/"]   # no alias expanded
    assert folder_entries("contents: *nothing") == [] == folder_entries("- a\n")
    (tmp_path / "dir").mkdir()
    assert is_folder_entry(tmp_path, "dir") and is_folder_entry(tmp_path, "../gone/")
    assert not is_folder_entry(tmp_path, "a.md") and not is_folder_entry(tmp_path, "gone")
    (tmp_path / "library.yaml").write_text("title: L\n")
    assert is_folder_entry(tmp_path, "gone") and not is_folder_entry(tmp_path, "notes.txt")


def test_an_article_of_two_files_is_one_chapter_its_notes_numbered_through(tmp_path):
    root = make_library(tmp_path / "lib", articles=ARTICLES[:1], broken=False)
    folder = root / ARTICLES[0][0]
    meta = (folder / "book.yaml").read_text().replace("- text.md", "- text.md\n- more.md")
    (folder / "book.yaml").write_text(meta, encoding="utf-8")
    (folder / "more.md").write_text("# More\n\nA later part.[^a]\n\n[^a]: Its note.\n",
                                    encoding="utf-8")
    make_volume(root, [ARTICLES[0][0]])
    (chapter,) = [c for c in prepare(root / VOLUME).chapters if c.article]
    assert [n.label for n in chapter.footnotes] == ["1", "2"]
    calls = [a for a in parse_fragment(chapter.html).iter("a") if a.get("class") == "noteref"]
    assert [a.text for a in calls] == ["1", "2"]
    assert [a.get("href")[1:] for a in calls] == [n.id for n in chapter.footnotes]
    assert "A later part." in chapter.html and [h.text for h in chapter.headings] == ["More"]
