"""The index of verses of a volume (warraq.transforms.verse_index), from the prepared
Book: one entry per sura:verse cited, suras and verses in order, each linked to every
article citing it, at an id on the verse block itself; nothing for a book that is no
volume or cites nothing."""

from __future__ import annotations

import dataclasses
import re

import pytest

from library.libgen import VERSE_INDEX, VOLUME, make_library
from warraq.model import Article, Book, Chapter, Metadata
from warraq.pipeline import prepare
from warraq.quran import parse_reference
from warraq.transforms import verse_index
from warraq.xhtml import parse_fragment, text_of


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    root = make_library(tmp_path_factory.mktemp("index") / "lib", broken=False, volume=True)
    return prepare(root / VOLUME)


def index_entries(chapter: Chapter) -> dict[str, list[str]]:
    """sura:verse -> the hrefs of its links, read from the index's XHTML."""
    out = {}
    for li in parse_fragment(chapter.html).iter("li"):
        if li.get("class") == "index-verse":
            number = text_of(next(li.iter("span")))
            out[number] = [a.get("href") for a in li.iter("a")]
    return out


def test_every_cited_verse_is_an_entry_linked_to_each_article(volume):
    index = volume.chapters[-1]
    assert index.kind == "index" and index.title == "Index of Qur\u2019anic Verses"
    entries = index_entries(index)
    assert list(entries) == list(VERSE_INDEX)               # in sura, then verse order
    by_id = {c.id: c for c in volume.chapters}
    for number, folders in VERSE_INDEX.items():
        hrefs = entries[number]
        chapters = [by_id[h[1:].rsplit("-verse-", 1)[0]] for h in hrefs]
        assert [c.article.folder for c in chapters] == [f"../{f}" for f in folders]
        for href, chapter in zip(hrefs, chapters):
            block = next(el for el in parse_fragment(chapter.html).iter()
                         if el.get("id") == href[1:])
            assert block.tag == "blockquote" and "verse" in block.get("class")
            written = text_of(block.findall(".//p")[-1] if block.find(".//cite") is None
                              else block.find(".//cite"))
            ref = parse_reference(written)
            assert re.sub("-", "\u2013", str(ref)) == number


def test_each_sura_carries_its_number_and_names(volume):
    names = [text_of(p) for p in parse_fragment(volume.chapters[-1].html).iter("p")]
    assert names == ["2. Al-Baqara البقرة", "14. Ibrahim إبراهيم", "49. Al-Hujurat الحجرات",
                     "63. Al-Munafiqun المنافقون", "65. At-Talaq الطلاق"]


def test_an_arabic_volume_numbers_its_index_in_its_digits(volume):
    arabic = dataclasses.replace(volume, meta=dataclasses.replace(volume.meta, lang="ar"),
                                 chapters=volume.chapters[:-1])
    index = verse_index.transform(arabic).chapters[-1]
    assert index.title == "فهرس الآيات القرآنية"
    assert "٢:١٥٣" in index_entries(index)


def test_no_index_without_a_volume_or_a_verse():
    chapter = Chapter(source="a.md", id="a", kind="chapter", title="A", html="<p>No verse.</p>")
    book = Book(meta=Metadata(title="A"), chapters=(chapter,))
    assert verse_index.transform(book) is book
    article = dataclasses.replace(chapter, article=Article("../a", Metadata(title="A")))
    volume = dataclasses.replace(book, chapters=(article,))
    assert verse_index.transform(volume) is volume
