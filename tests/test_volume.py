"""A volume of the test library's articles (issue 13), built to EPUB and every print
profile, read back: one chapter per article in date order, each opening with its own
title block; both dates of each article in the contents (EPUB nav, PDF contents page);
the index of verses with the right sura:verse entries, linked to the verse blocks in the
EPUB and giving in the PDF the page each verse is on (read with pdftotext); EPUBCheck
clean, every profile's preflight passed, the cover wraps made."""

from __future__ import annotations

import re
import subprocess

import pypdf
import pytest

from library.libgen import ARTICLES, VERSE_INDEX, VERSES, VOLUME, VOLUME_ARTICLES, make_library
from readback import NS, Epub, Pdf, epubcheck_problems, xml
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import build
from warraq.quran import parse_reference
from warraq.xhtml import text_of

pytestmark = pytest.mark.slow

BY_FOLDER = {a[0]: a for a in ARTICLES}
IN_DATE_ORDER = sorted(VOLUME_ARTICLES, key=lambda f: BY_FOLDER[f][2])
TITLES = [BY_FOLDER[f][1] for f in IN_DATE_ORDER]
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_library(tmp_path_factory.mktemp("volume") / "lib", broken=False, volume=True)
    out = tmp_path_factory.mktemp("volume-dist")
    result = build(root / VOLUME, out, ("epub", "pdf"), profiles=tuple(PROFILES.values()))
    return result, out


def _file(result, suffix: str):
    return next(p for p in result.files if p.name.endswith(suffix))


def _pdf(result, profile: str = "print"):
    name = PROFILES[profile].file_name(result.book.slug)
    return next(p for p in result.files if p.name == name)


def _page_texts(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode()
    return [_BIDI.sub("", page).replace("\u2019", "'") for page in text.split("\f")]


def test_one_chapter_per_article_in_date_order(built):
    result, _ = built
    epub = Epub(_file(result, ".epub"))
    spine = epub.spine_hrefs(linear_only=True)
    chapters = spine[spine.index("nav.xhtml") + 1:]
    assert chapters == (["text/preface.xhtml"] + [f"text/art-{f}.xhtml" for f in IN_DATE_ORDER]
                        + ["text/verse-index.xhtml"])
    for folder, title in zip(IN_DATE_ORDER, TITLES):
        doc = xml(epub.read(f"text/art-{folder}.xhtml"))
        head = doc.find(".//x:header", NS)
        assert head.get("class") == "article-head"
        assert doc.find(".//x:h1", NS).text == title == doc.find(".//x:title", NS).text
        lang = BY_FOLDER[folder][5]
        assert doc.get("lang") == lang
        notes = doc.findall(".//x:aside", NS)     # each article's notes start at 1
        if lang == "en":
            assert [text_of(n.find("x:p", NS)) for n in notes] == ["1."]
        assert doc.find(".//x:div[@class='dateline']", NS) is not None
    outline = Pdf(_pdf(result)).outline()
    assert [t for d, t, _ in outline if d == 1] == (["Preface"] + TITLES
                                                    + ["Index of Qur\u2019anic Verses"])


def test_the_contents_give_both_dates_of_each_article(built):
    result, _ = built
    book = result.book
    dates = {c.title: c.article.dates for c in book.chapters if c.article}
    toc = Epub(_file(result, ".epub")).nav_toc()
    assert [t for d, t, _ in toc] == [f"{t} ({dates[t].dateline_text})" if t in dates else t
                                      for t in ["Preface"] + TITLES + [book.chapters[-1].title]]
    for title in TITLES:
        assert dates[title].hijri_text and dates[title].gregorian_text
    pages = _page_texts(_pdf(result))
    contents = next(p for p in pages if "Contents" in p and "On Patience ..." in p)
    for title in TITLES:
        if BY_FOLDER[IN_DATE_ORDER[TITLES.index(title)]][5] == "en":
            assert title in contents
            assert dates[title].hijri_text in contents and dates[title].gregorian_text in contents
    assert contents.count(" AH") == sum(1 for f in VOLUME_ARTICLES if BY_FOLDER[f][5] == "en")


def test_the_epub_index_links_each_verse(built):
    result, _ = built
    epub = Epub(_file(result, ".epub"))
    doc = xml(epub.read("text/verse-index.xhtml"))
    section = doc.find(".//x:section", NS)
    assert section.get(f"{{{NS['epub']}}}type") == "index" and section.get("role") == "doc-index"
    found = {}
    for li in doc.iter(f"{{{NS['x']}}}li"):
        if li.get("class") == "index-verse":
            found[text_of(li.find("x:span", NS))] = [a.get("href") for a in li.iter(
                f"{{{NS['x']}}}a")]
    assert list(found) == list(VERSE_INDEX)
    for number, hrefs in found.items():
        assert [h.split(".xhtml#")[0] for h in hrefs] == [f"art-{f}" for f in VERSE_INDEX[number]]
        for href in hrefs:
            name, anchor = href.split("#")
            target = xml(epub.read(f"text/{name}"))
            block = next(el for el in target.iter() if el.get("id") == anchor)
            cite = block.find(".//x:cite", NS)
            written = text_of(cite if cite is not None else block.findall(".//x:p", NS)[-1])
            assert str(parse_reference(written)).replace("-", "\u2013") == number


def _index_lines(page: str) -> dict[str, list[tuple[str, str]]]:
    """sura:verse -> [(title, folio)] from the index page's text."""
    out = {}
    for line in page.splitlines():
        m = re.match(r"\s*(\d+:\d+(?:–\d+)?) (.+)$", line)
        if m:
            out[m.group(1)] = [tuple(loc.strip().rsplit(", ", 1)) for loc in m.group(2).split("; ")]
    return out


@pytest.mark.parametrize("profile", ["print", "screen", "kdp"])
def test_the_pdf_index_gives_the_page_of_each_verse(built, profile):
    result, _ = built
    path = _pdf(result, profile)
    pages = _page_texts(path)
    labels = pypdf.PdfReader(str(path)).page_labels
    index = next(p for p in pages if "Index of Qur" in p and "2:153" in p)
    lines = _index_lines(index)
    assert list(lines) == list(VERSE_INDEX)
    written = {f: [ref for _a, _t, ref in VERSES[f]] for f in VERSES}
    for number, locators in lines.items():
        folders = VERSE_INDEX[number]
        assert len(locators) == len(folders)
        for (title, folio), folder in zip(locators, folders):
            assert title == BY_FOLDER[folder][1]
            page = pages[labels.index(folio)]
            ref = next(r for r in written[folder]
                       if str(parse_reference(r)).replace("-", "–") == number)
            digits = re.sub(r"\D", "", ref.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
            shown = page.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
            assert ref in page or (BY_FOLDER[folder][5] == "ar" and digits[-3:] in shown), (
                number, folio, page[:300])


def test_every_profile_passed_its_preflight_and_the_wraps_are_made(built):
    result, out = built
    slug = result.book.slug
    names = {p.name for p in result.files}
    for profile in PROFILES.values():
        name = profile.file_name(slug)
        assert name in names and result.reports[name].passed, name
        if profile.cover:
            cover = profile.file_name(slug, "cover")
            assert cover in names and result.reports[cover].passed, cover


def test_the_epub_passes_epubcheck(built):
    result, _ = built
    assert epubcheck_problems(_file(result, ".epub")) == []
