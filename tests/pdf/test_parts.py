"""warraq.pdf.parts: a book laid out chapter by chapter and joined is the book laid out
whole, byte for byte, for every profile (left to right and right to left): page count,
text of each page, folios, the contents' page numbers, outline, links, fonts once per
face. And the whole book is not laid out again (the mending's layouts are its own)."""

from __future__ import annotations

import dataclasses
import random
import re

import pikepdf
import pytest

import warraq.pdf.book as print_book
from conftest import write_source
from readback import Pdf
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import build

pytestmark = pytest.mark.slow

EPOCH = "1700000000"
WORDS = ("patience gratitude holding rope promise silence answer hardship commentator "
         "grammar grandmother threshold obedience wrongdoing traveller understanding "
         "responsibility acknowledgement correspondence encouragement").split()


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _chapter(number: int, paragraphs: int, arabic: bool) -> str:
    rng = random.Random(number)
    body = [_paragraph(rng, 70) for _ in range(paragraphs)]
    body[1] += f" A note.[^n{number}]"
    if arabic:
        body[2] += " He said «الصبر مفتاح الفرج» and went on."
    link = "\n\nSee [the third chapter](c.md#third) for the rest.\n" if number == 1 else ""
    if number == 2:         # a thematic break (a grey or CMYK profile refuses RGB grey)
        body.insert(3, "* * *")
    heading = {1: "First", 2: "Second", 3: "Third {#third}", 4: "Fourth"}[number]
    return (f"# {heading}\n\n" + "\n\n".join(body[:3]) + "\n\n(a) one point\n(b) another "
            "point\n\n" + "\n\n".join(body[3:]) + link +
            f"\n\n[^n{number}]: The note of chapter {number}.\n")


def _source(folder, lang: str):
    files = {name: _chapter(i + 1, n, lang == "en")
             for i, (name, n) in enumerate(zip("abcd", (7, 4, 9, 5)))}
    if lang == "ar":
        files = {name: text.replace("# ", "# الفصل ", 1) for name, text in files.items()}
    meta = {"title": "Parts", "lang": lang, "trim": "5 x 8 in",
            "contents": [f"{n}.md" for n in "abcd"]}
    return write_source(folder, meta, {f"{n}.md": files[n] for n in "abcd"})


@pytest.fixture(scope="module", params=["en", "ar"])
def built(request, tmp_path_factory):
    """The book for the four mirrored profiles and the screen one: laid out in parts,
    and laid out whole (with the same words kept: the chapter mending runs in both);
    both written by WeasyPrint in one piece (a book written in parts and joined is
    tests/pdf/test_join.py's)."""
    base = tmp_path_factory.mktemp(f"parts-{request.param}")
    src = _source(base / "src", request.param)
    # (ingram's 0.5 in margins also see an Arabic book's English list keep its markers
    # inside the text block: they hung 0.35 in from the edge once)
    profiles = tuple(PROFILES[p] for p in ("print", "kdp", "ingram", "offset", "screen"))
    whole_layouts: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_book, "part_ranges", lambda ids, document: None)
        real = print_book._lay_out

        def counting(book, profile, page, keep=frozenset(), only=None, sheets=None,
                     part=None):
            if only is None and (part is None or not part.front):
                whole_layouts.append(profile.name)
            return real(book, profile, page, keep, only, sheets, part)
        patch.setattr(print_book, "_lay_out", counting)
        parts = build(src, base / "parts", ("pdf",), epoch=EPOCH, profiles=profiles,
                      jobs=1, cache=False)
        in_parts = list(whole_layouts)
        patch.setattr(print_book, "by_chapter", lambda book: False)
        whole = build(src, base / "whole", ("pdf",), epoch=EPOCH, profiles=profiles,
                      jobs=1, cache=False)
    return parts, whole, in_parts


def _pdfs(result) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in result.files
            if p.suffix == ".pdf" and ".cover." not in p.name}


def test_the_parts_give_the_whole_books_pdf_byte_for_byte(built):
    parts, whole, _ = built
    assert len(_pdfs(parts)) == 5
    assert _pdfs(parts) == _pdfs(whole)


def test_only_the_tagged_profile_is_laid_out_whole(built):
    *_, whole_layouts = built
    assert set(whole_layouts) == {"screen"}


WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
HEADINGS = ("First", "Second", "Third", "Fourth")


def _same(read: int, label: str) -> bool:
    """pypdf reads the digits of a right-to-left line in visual order (١٧ as 71)."""
    return str(read) in (label, label[::-1])


def test_the_joined_pdf_reads_as_a_book(built):
    """Read back, not only compared: a blank verso where a chapter ends on a recto, the
    contents' numbers the folios printed where the chapters open and their page labels,
    the link between chapters, each face embedded once."""
    parts, *_ = built
    path = next(p for p in parts.files if p.name.endswith(".pdf") and "." not in p.stem)
    pdf = Pdf(path)
    texts = [t.translate(WESTERN) for t in pdf.page_texts()]
    assert any(not t.strip() for t in texts[4:]), "a chapter ending on a recto leaves a blank"
    contents = next(t for t in texts if all(h in t for h in HEADINGS))
    listed = {h: int(re.search(rf"{h}[ .…]*?(\d+)", contents).group(1)) for h in HEADINGS}
    start = texts.index(contents) + 1        # (later pages carry the titles as heads)
    opening = {h: next(i for i, t in enumerate(texts) if i >= start and h in t.strip().split(
        "\n")[0]) for h in HEADINGS}
    labels = pdf.reader.page_labels
    for heading, index in opening.items():
        label = labels[index].translate(WESTERN)
        assert _same(listed[heading], label), (heading, listed[heading], label)
        assert label in re.findall(r"\b\d+\b", texts[index]), (heading, texts[index][-40:])
    assert listed["First"] == 1
    with pikepdf.open(path) as doc:
        faces: dict[str, set] = {}
        for page in doc.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                faces.setdefault(str(font.BaseFont).split("+")[-1], set()).add(font.objgen)
        names = pikepdf.NameTree(doc.Root.Names.Dests)
        targets = []
        for page in doc.pages:
            for link in page.get("/Annots", []):
                dest = link.get("/Dest", link.get("/A", {}).get("/D"))
                if link.get("/Subtype") == "/Link" and dest is not None:
                    dest = names[str(dest)] if isinstance(dest, pikepdf.String) else dest
                    targets.append(doc.pages.index(pikepdf.Page(dest[0])))
    assert faces and all(len(ids) == 1 for ids in faces.values()), faces
    # the contents' four entries and chapter one's link to the third chapter
    assert set(opening.values()) <= set(targets)
    assert targets.count(opening["Third"]) > targets.count(opening["Second"]), targets


def test_a_book_whose_index_prints_pages_of_other_chapters_is_laid_out_whole(tmp_path):
    """The verse index's locators print the pages of other chapters (`target-counter`),
    which a part's layout cannot see: such a book is not joinable (tests/test_volume.py
    reads the index's pages back)."""
    from warraq.pdf.parts import PAGE_REFERENCE, joinable
    from warraq.pipeline import prepare
    book = prepare(_source(tmp_path / "src", "en"))
    assert joinable(book)
    chapter = book.chapters[-1]
    indexed = dataclasses.replace(book, chapters=book.chapters[:-1] + (dataclasses.replace(
        chapter, html=chapter.html + f'<p><a {PAGE_REFERENCE} href="#third">Third</a></p>'),))
    assert not joinable(indexed)
