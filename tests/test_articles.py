"""An article as our users write it (issue 11): no front matter, no markup, the basmala
first, `## 1.` points with `a.` sub-points, a bracketed verse with its translation and
`[Al-Munafiqun: 4]`, closing Hijri and CE date lines. Read back: the book's title is the
only title (nav, NCX, <title>, PDF outline, running heads), `1.` appears once, the
conventions are recognised, and the same article with explicit divs gives the same
outputs."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest

from conftest import write_source
from readback import NS, Epub, Pdf, struct_elements, xml
from warraq.pipeline import build, prepare
from warraq.pdf.profiles import PROFILES

TITLE = "On Hypocrisy of the Tongue"
META = {"title": TITLE, "author": "Yusuf Rahman", "date": "2024-06-16", "layout": "article",
        "contents": ["article.md"]}
FILLER = ("A word spoken cannot be gathered again, and so the careful speaker weighs it "
          "twice: once for its truth and once for its effect on the one who hears it. ")

BASMALA = "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ"
VERSE = "[وَإِذَا رَأَيْتَهُمْ تُعْجِبُكَ أَجْسَامُهُمْ ۖ وَإِن يَقُولُوا تَسْمَعْ لِقَوْلِهِمْ]"
TRANSLATION = ('"And when you see them, their forms please you, and if they speak, you '
               'listen to their speech."')


def article(explicit: bool = False, dates: str = "10 Dhul-Hijjah 1445 AH\n16 June 2024 CE"
            ) -> str:
    """The article; with `explicit`, its three blocks written as fenced divs."""
    def div(cls: str, body: str) -> str:
        return f"::: {cls}\n{body}\n:::" if explicit else body
    points = "\n\n".join(f"## {n}.\n\n" + FILLER * 4 for n in range(3, 8))
    return f"""\
{div("invocation", BASMALA)}

Speech is the first thing a person gives away, and the last thing he can take back.

## 1.

The hypocrite's speech is pleasant to hear. {FILLER}

a. He praises in public what he mocks in private.
b. He promises readily and forgets as readily.

## 2.

The Qur'an describes them with an image that stays with the reader:

{div("verse", VERSE + chr(10) * 2 + TRANSLATION + chr(10) * 2 + "[Al-Munafiqun: 4]")}

> Be careful of the word that has not yet left you.
>
> — A teacher in Leeds, 2019

{points}

{"::: dateline" + chr(10) + ":::" if explicit else dates}
"""


def _build(tmp_path_factory, name: str, text: str, meta: dict = META):
    folder = tmp_path_factory.mktemp(name + "-src")
    write_source(folder, meta, {"article.md": text})
    out = tmp_path_factory.mktemp(name + "-dist")
    return build(folder, out, profiles=(PROFILES["print"], PROFILES["screen"]))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return _build(tmp_path_factory, "plain", article())


@pytest.fixture(scope="module")
def explicit(tmp_path_factory):
    return _build(tmp_path_factory, "explicit", article(explicit=True))


def _file(result, suffix: str):
    return next(p for p in result.files if p.name.endswith(suffix))


def test_the_book_title_is_the_only_title(plain):
    epub = Epub(_file(plain, ".epub"))
    toc = epub.nav_toc()
    assert toc[0][:2] == (1, TITLE)
    assert [t for d, t, _ in toc if d == 1] == [TITLE]
    assert [t for d, t, _ in toc if d == 2] == [f"{n}." for n in range(1, 8)]
    ncx = xml(epub.read("toc.ncx"))
    points = ncx.findall(".//ncx:navMap/ncx:navPoint", NS)
    assert [p.find("ncx:navLabel/ncx:text", NS).text for p in points] == [TITLE]
    assert len(points[0].findall("ncx:navPoint", NS)) == 7
    doc = xml(epub.read("text/article.xhtml"))
    assert doc.find(".//x:title", NS).text == TITLE
    assert doc.find(".//x:h1", NS).text == TITLE
    headings = ["".join(h.itertext()) for h in doc.iter(f"{{{NS['x']}}}h2")]
    assert headings.count("1.") == 1
    assert len(list(doc.iter(f"{{{NS['x']}}}h1"))) == 1
    for suffix in ("tongue.pdf", ".screen.pdf"):
        pdf = Pdf(_file(plain, suffix))
        outline = pdf.outline()
        assert [t for d, t, _ in outline if d == 1] == [TITLE]
        assert [t for d, t, _ in outline if d == 2] == [f"{n}." for n in range(1, 8)]
        texts = pdf.page_texts()
        assert sum(line.strip() == "1." for t in texts for line in t.splitlines()) == 1
        assert len(texts) >= 3
        for text in texts[1:]:                     # running heads: the title, never "1."
            assert TITLE in [line.strip() for line in text.splitlines()], text[-80:]


def test_screen_pdf_h1_is_the_title(plain):
    with pikepdf.open(_file(plain, ".screen.pdf")) as pdf:
        h1 = [el for el in struct_elements(pdf.Root.StructTreeRoot) if str(el.get("/S")) == "/H1"]
        assert len(h1) == 1


def test_conventions_are_recognised(plain):
    doc = xml(Epub(_file(plain, ".epub")).read("text/article.xhtml"))
    body = doc.find(".//x:section", NS)
    first = next(el for el in body if el.tag.endswith("div"))
    assert "invocation" in first.get("class") and BASMALA in "".join(first.itertext())
    verses = [q for q in body.iter(f"{{{NS['x']}}}blockquote") if "verse" in (q.get("class") or "")]
    assert len(verses) == 1
    parts = [el.get("class") for el in verses[0]]
    assert parts == ["verse-text", "verse-translation", "verse-reference"]
    dateline = body.find(".//x:div[@class='dateline']", NS)
    assert "".join(dateline.itertext()).strip() == "10 Dhū al-Ḥijja 1445 AH · 16 June 2024 CE"
    pdf_text = "\n".join(Pdf(_file(plain, "tongue.pdf")).page_texts())
    assert "Dhul-Hijjah" not in pdf_text and "16 June 2024 CE" in pdf_text


def test_verse_reference_in_the_model(tmp_path):
    write_source(tmp_path, META, {"article.md": article()})
    book = prepare(tmp_path)
    assert [(v.sura, v.verse) for v in book.chapters[0].verses] == [(63, 4)]
    assert book.warnings == ()


def test_explicit_divs_give_the_same_outputs(plain, explicit):
    a, b = zipfile.ZipFile(_file(plain, ".epub")), zipfile.ZipFile(_file(explicit, ".epub"))
    assert a.namelist() == b.namelist()
    for name in a.namelist():
        assert a.read(name) == b.read(name), name
    for suffix in ("tongue.pdf", ".screen.pdf"):
        assert Pdf(_file(plain, suffix)).page_texts() == Pdf(_file(explicit, suffix)).page_texts()
        assert Pdf(_file(plain, suffix)).outline() == Pdf(_file(explicit, suffix)).outline()


def test_opening_title_heading_is_not_repeated(tmp_path):
    write_source(tmp_path, META, {"article.md": f"# {TITLE}\n\nText.\n\n## 1.\n\nMore.\n"})
    book = prepare(tmp_path)
    chapter = book.chapters[0]
    assert chapter.title == TITLE
    assert "<h1" not in chapter.html and [h.text for h in chapter.headings] == ["1."]


def test_a_book_chapter_still_takes_its_first_heading(tmp_path):
    write_source(tmp_path, {**META, "layout": "book"}, {"article.md": "## Opening\n\nText.\n"})
    chapter = prepare(tmp_path).chapters[0]
    assert chapter.title == "Opening" and chapter.html.startswith("<h1")


def test_dateline_mismatch_is_a_warning(tmp_path):
    write_source(tmp_path, META, {"article.md": article(dates="9 Dhul-Hijjah 1445 AH\n"
                                                               "15 June 2024 CE")})
    book = prepare(tmp_path)
    assert len(book.warnings) == 1
    assert re.match(r"article\.md:\d+: W316: ", book.warnings[0])
    line = int(book.warnings[0].split(":")[1])
    assert (tmp_path / "article.md").read_text().splitlines()[line - 1].startswith("9 Dhul")
    html = book.chapters[0].html
    assert "dateline as-written" in html and "9 Dhul-Hijjah 1445 AH" in html
    assert "hijri-date" not in html


@pytest.mark.parametrize("day, dates, warned", [
    ("0500-06-01", "10 Dhul-Hijjah 1445 AH\n1 June 0500 CE", True),  # no Hijri date before 1 AH
    ("1900-01-01", "28 Shaban 1317 AH\n1 January 1900 CE", False),  # tabular, outside Umm al-Qura
    ("1900-01-01", "29 Shaban 1317 AH\n1 January 1900 CE", True),
])
def test_closing_dates_are_checked_in_any_year(tmp_path, day, dates, warned):
    write_source(tmp_path, {**META, "date": day}, {"article.md": article(dates=dates)})
    book = prepare(tmp_path)
    assert [w.split(": ")[1] for w in book.warnings] == (["W316"] if warned else [])
    html = book.chapters[0].html
    assert ("dateline as-written" in html) == warned
    assert ("hijri-date" in html) == (not warned)


def test_conventions_switch_off(tmp_path):
    write_source(tmp_path, {**META, "conventions": False}, {"article.md": article()})
    book = prepare(tmp_path)
    html = book.chapters[0].html
    assert "invocation" not in html and "verse" not in html and "dateline" not in html
    assert book.chapters[0].verses == ()
