"""warraq.pdf.book (the print interior), read back: metadata in Info and XMP equals
book.yaml, the outline and the text follow the source, the page is the trim size, every
font is embedded, and the contents page's numbers are where the chapters start."""

import re
import unicodedata

import pytest
import yaml

from conftest import SAMPLE, SECOND_META
from readback import Pdf

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"


def pdf_of(result) -> Pdf:
    return Pdf(next(p for p in result.files if p.suffix == ".pdf"))


def raw_meta(which):
    return yaml.safe_load((SAMPLE / "book.yaml").read_text()) if which == "sample_build" \
        else SECOND_META


def as_list(value):
    return value if isinstance(value, list) else [value]


def authors(raw):
    return as_list(raw.get("author", [])) + [c.get("name", c.get("text"))
                                              for c in raw.get("creator", [])]


def xmp_values(root, tag):
    el = root.find(f".//{{{DC}}}{tag}")
    return [li.text for li in el.iter(f"{{{RDF}}}li")] if el is not None else []


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_info_and_xmp_equal_book_yaml(which, request):
    result, raw = request.getfixturevalue(which), raw_meta(which)
    pdf = pdf_of(result)
    info = pdf.info
    keywords = as_list(raw.get("subject", [])) + as_list(raw.get("keywords", []))
    assert info["/Title"] == raw["title"]
    assert info["/Author"] == ", ".join(authors(raw))
    assert info["/Subject"] == raw["description"]
    assert info["/Keywords"] == ", ".join(keywords)
    assert info["/CreationDate"].startswith("D:" + str(raw["date"]).replace("-", ""))
    xmp = pdf.xmp()
    assert xmp_values(xmp, "title") == [raw["title"]]
    assert xmp_values(xmp, "creator") == authors(raw)
    assert xmp_values(xmp, "description") == [raw["description"]]
    assert xmp_values(xmp, "subject") == keywords
    assert xmp_values(xmp, "language") == [raw["lang"]]
    assert xmp_values(xmp, "publisher") == [raw["publisher"]]
    assert xmp_values(xmp, "rights") == [raw["rights"]]
    assert xmp.find(f".//{{{DC}}}identifier").text == str(raw["identifier"])
    create = xmp.find(".//{http://ns.adobe.com/xap/1.0/}CreateDate").text
    assert create.startswith(str(raw["date"]))
    assert pdf.reader.trailer["/Root"]["/Lang"] == raw["lang"]


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_outline_lists_the_headings_in_source_order(which, request):
    result = request.getfixturevalue(which)
    outline = pdf_of(result).outline()
    expected = [h.text for c in result.book.chapters for h in c.headings]
    assert [t for _, t, _ in outline] == expected
    pages = [p for _, _, p in outline]
    assert pages == sorted(pages)


def _flat(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_text_shows_the_sections_in_source_order(which, request):
    result = request.getfixturevalue(which)
    pdf = pdf_of(result)
    pages = pdf.page_texts()
    first_body = min(p for _, _, p in pdf.outline())
    body = _flat(" ".join(pages[first_body - 1:]))
    positions = [body.find(_flat(h.text)) for c in result.book.chapters for h in c.headings]
    assert -1 not in positions
    assert positions == sorted(positions)


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_page_is_the_trim_size_and_fonts_are_embedded(which, request):
    pdf = pdf_of(request.getfixturevalue(which))
    assert pdf.page_sizes_pt() == {(432.0, 648.0)}          # 6 x 9 in
    fonts = pdf.fonts()
    assert fonts and all(f["embedded"] for f in fonts)
    assert all(f["subtype"] == "/Type0" for f in fonts)      # CID fonts, no Type 3


def test_contents_page_numbers_match_the_outline(sample_build):
    pdf = pdf_of(sample_build)
    pages = pdf.page_texts()
    toc_page = next(i for i, t in enumerate(pages) if t.strip().startswith("Contents"))
    entries = re.findall(r"^(.+?)[ .]*\.{3,}\s*(\d+)\s*$", pages[toc_page], re.M)
    listed = {_flat(title): int(num) for title, num in entries}
    chapters = {c.title: c.headings[0].text for c in sample_build.book.chapters}
    starts = {t: p for depth, t, p in pdf.outline() if depth == 1}
    # the printed numbers are page labels: roman front matter, arabic from the first chapter
    labels = pdf.reader.page_labels
    assert len(listed) == len(chapters)
    for title, heading in chapters.items():
        assert str(listed[_flat(title)]) == labels[starts[heading] - 1]
    assert labels[starts[chapters[sample_build.book.chapters[0].title]] - 1] == "1"


def test_chapters_open_on_right_hand_pages(sample_build):
    pdf = pdf_of(sample_build)
    starts = [p for depth, _, p in pdf.outline() if depth == 1]
    assert starts and all(p % 2 == 1 for p in starts)
    texts = pdf.page_texts()
    for p in starts:
        # no running head on an opening page: the page starts with the chapter's text
        assert not texts[p - 1].strip().startswith(sample_build.book.meta.title)
    # pages left blank before a chapter carry nothing, not even a folio
    for p in starts:
        if p > 2 and not texts[p - 2].strip():
            assert texts[p - 2].strip() == ""


def test_lettered_sub_points_come_out_lettered(sample_build):
    """The list markers are drawn as written: 1. a. b. 2. a. b. 3. and A. i. ii. B."""
    pages = pdf_of(sample_build).page_texts()

    def markers(page_text):
        return re.findall(r"^\s*([0-9]+|[a-zA-Z]|[ivx]+)\.\s*$", page_text, re.M)

    patience = next(t for t in pages if "Three kinds of holding" in t)
    assert markers(patience) == ["1", "a", "b", "2", "a", "b", "3"]
    gratitude = next(t for t in pages if "Practising it" in t)
    assert markers(gratitude) == ["A", "i", "ii", "B"]


def _squash(text):
    """Text without spaces and hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", unicodedata.normalize("NFC", text))


def test_footnotes_are_on_the_page_of_their_reference(sample_build):
    pages = [_squash(t) for t in pdf_of(sample_build).page_texts()]
    checked = 0
    for chapter in sample_build.book.chapters:
        for note in chapter.footnotes:
            before = re.search(r"([^<>]{12})<a class=\"noteref\"[^>]*href=\"#" + note.id,
                               chapter.html).group(1)
            note_text = _squash(re.sub("<[^>]+>", "", note.html))[:30]
            note_pages = [i for i, t in enumerate(pages) if note_text in t]
            ref_pages = [i for i, t in enumerate(pages) if _squash(before) in t]
            assert len(note_pages) == 1 and note_pages[0] in ref_pages, note.id
            checked += 1
    assert checked == sum(len(c.footnotes) for c in sample_build.book.chapters) == 3


def test_arabic_is_set_in_the_arabic_face(sample_build):
    pdf = pdf_of(sample_build)
    assert any("Amiri" in f["name"] for f in pdf.fonts())
    text = " ".join(pdf.page_texts())
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)


def test_copyright_page_names_the_families_that_set_the_book(sample_build):
    """Only the faces that set a character are credited (and embedded): no Hebrew in the
    sample, so no Frank Ruhl Libre."""
    pdf = pdf_of(sample_build)
    credit = next(line for t in pdf.page_texts() for line in t.splitlines()
                  if line.startswith("Set in"))
    assert credit.startswith("Set in EB Garamond, Noto Serif, Amiri.")
    embedded = {f["name"].split("+", 1)[-1].split("-")[0] for f in pdf.fonts()}
    assert "Frank" not in " ".join(embedded)


def test_a_notes_white_space_is_collapsed_before_layout():
    """WeasyPrint takes a `float: footnote` element out of the box tree before it
    collapses white space: a newline left in a note would end the note's line there."""
    from warraq.pdf.notes import inline_note
    assert inline_note("<p>Wrapped\n  at <em> seventy</em>\ncolumns. </p>\n<p>\n Two</p>") == (
        '<span class="note-line note-p">Wrapped at <em>seventy</em> columns.</span><br/>'
        '<span class="note-line note-p">Two</span>')
    assert inline_note("<p>a</p>\n<pre>x\n  y</pre>") == (
        '<span class="note-line note-p">a</span><br/><span class="note-line note-pre">x\n  y'
        '</span>')
