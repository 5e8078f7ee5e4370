"""Word manuscripts (issue 10 item 7): a `.docx` contents entry, written here with
python-docx (English with Arabic runs, italics, a footnote, a numbered list, a table, an
image with its alt text), comes through as the same content written in Markdown does:
the same text, notes and Arabic tagging; the image extracted into the book and checked
like any image; a file that is no Word document refused with its name."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Inches

from readback import Epub, Pdf, epubcheck_problems
from test_bad_sources import png
from warraq.pipeline import build, prepare
from warraq.readers import read_book
from warraq.xhtml import parse_fragment, text_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ARABIC = "الصبر ضياء"
NOTE = "Said of patience in a hadith; صبر is its root."
MARKDOWN = f"""# On Patience

The Arabic saying {ARABIC} is short, and *holding* is its sense.[^1]

## Three kinds

1. Patience in obedience.
2. Patience away from wrongdoing.
3. Patience under what one did not choose.

| Word | Meaning |
|------|---------|
| صبر | patience |

A square: ![A teal square](square.png)

{ARABIC}

[^1]: {NOTE}
"""


def _footnote(doc, paragraph, text: str) -> None:
    """A footnote (python-docx writes none): the footnotes part, and its reference."""
    xml = (f'<w:footnotes xmlns:w="{W}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           '<w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
           '</w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES, xml.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'))


def _arabic(paragraph, text: str) -> None:
    """An Arabic run as Word writes one: right to left, its language Arabic."""
    run = paragraph.add_run(text)
    run.font.rtl = True
    run._r.get_or_add_rPr().append(parse_xml(f'<w:lang xmlns:w="{W}" w:bidi="ar-SA"/>'))


def word_file() -> bytes:
    doc = Document()
    doc.add_heading("On Patience", level=1)
    p = doc.add_paragraph("The Arabic saying ")
    _arabic(p, ARABIC)
    p.add_run(" is short, and ")
    p.add_run("holding").italic = True
    p.add_run(" is its sense.")
    _footnote(doc, p, NOTE)
    doc.add_heading("Three kinds", level=2)
    for item in ("Patience in obedience.", "Patience away from wrongdoing.",
                 "Patience under what one did not choose."):
        doc.add_paragraph(item, style="List Number")
    table = doc.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Word", (0, 1): "Meaning", (1, 0): "صبر",
                             (1, 1): "patience"}.items():
        table.cell(row, col).text = text
    p = doc.add_paragraph("A square: ")
    p.add_run().add_picture(io.BytesIO(png(16, 16)), width=Inches(0.5))
    p._p.xpath(".//wp:docPr")[0].set("descr", "A teal square")
    _arabic(doc.add_paragraph(), ARABIC)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


META = {"title": "Patience", "author": "A. Writer", "date": "2024-01-01"}


@pytest.fixture
def books(make_source):
    word = prepare(make_source({**META, "contents": ["patience.docx"]},
                               {"patience.docx": word_file()}, name="word"))
    markdown = prepare(make_source({**META, "contents": ["patience.md"]},
                                   {"patience.md": MARKDOWN, "square.png": png(16, 16)},
                                   name="markdown"))
    return word, markdown


def _tagged(html: str) -> list[tuple[str, str | None, str | None, str]]:
    return [(el.tag, el.get("lang"), el.get("dir"), text_of(el))
            for el in parse_fragment(html).iter() if el.get("lang") or el.get("dir")]


def test_a_word_file_comes_through_as_the_same_markdown_does(books):
    word, markdown = (book.chapters[0] for book in books)
    assert word.title == markdown.title == "On Patience"
    assert [(h.level, h.text) for h in word.headings] == [
        (h.level, h.text) for h in markdown.headings]
    assert text_of(parse_fragment(word.html)) == text_of(parse_fragment(markdown.html))
    assert [text_of(parse_fragment(n.html)) for n in word.footnotes] == [NOTE]
    assert [text_of(parse_fragment(n.html)) for n in markdown.footnotes] == [NOTE]
    assert _tagged(word.html) == _tagged(markdown.html)
    assert ("p", "ar", "rtl", ARABIC) in _tagged(word.html)       # the Arabic paragraph
    assert ("span", "ar", "rtl", ARABIC) in _tagged(word.html)    # the run in English
    assert _tagged(word.footnotes[0].html) == _tagged(markdown.footnotes[0].html)
    tree = parse_fragment(word.html)
    assert [len(ol) for ol in tree.iter("ol")] == [3]
    assert [text_of(td) for td in tree.iter("td")] == ["صبر", "patience"]
    assert tree.find(".//em").text == "holding"


def test_its_image_is_extracted_and_checked_like_any_image(books):
    word, markdown = books
    [resource] = word.resources
    assert resource.path == "patience.docx/media/image1.png"
    assert (resource.media_type, resource.width, resource.height) == ("image/png", 16, 16)
    assert resource.data == markdown.resources[0].data
    [img] = parse_fragment(word.chapters[0].html).iter("img")
    assert (img.get("src"), img.get("alt")) == (resource.path, "A teal square")


def test_a_word_files_errors_name_the_file(make_source):
    doc = zipfile.ZipFile(io.BytesIO(word_file()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as out:          # its picture is no image at all
        for item in doc.infolist():
            data = doc.read(item)
            out.writestr(item, b"not a picture" if item.filename.endswith(".png") else data)
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as out:         # a Word file Pandoc cannot read
        out.writestr("word/document.xml", "<w:document")
    files = {"a.docx": broken.getvalue(), "b.docx": b"PK\x03\x04 not a zip",
             "c.docx": damaged.getvalue(), "d.md": "# D\n\nText.\n"}
    read = read_book(make_source({**META, "contents": list(files)}, files))
    found = sorted((d.file, d.line, d.code, d.message) for d in read.diagnostics.items)
    assert [f[:3] for f in found] == [("a.docx", None, "W306"), ("b.docx", None, "W206"),
                                      ("c.docx", None, "W206")]
    assert "image1.png" in found[0][3] and "not a Word document" in found[1][3]
    assert "Pandoc cannot read" in found[2][3]
    assert [c.source for c in read.book.chapters] == ["a.docx", "d.md"]


@pytest.mark.slow
def test_the_word_book_builds_with_its_image_in_both_outputs(make_source, tmp_path):
    result = build(make_source({**META, "contents": ["patience.docx"]},
                               {"patience.docx": word_file()}), tmp_path / "dist")
    epub = Epub(next(p for p in result.files if p.suffix == ".epub"))
    assert epubcheck_problems(epub.path) == []
    image = epub.read("images/patience.docx/media/image1.png")
    assert image == png(16, 16)
    assert 'src="../images/patience.docx/media/image1.png"' in epub.read(
        "text/patience.xhtml").decode()
    path = next(p for p in result.files if p.suffix == ".pdf")
    text = " ".join(" ".join(Pdf(path).page_texts()).split())
    assert "Patience in obedience." in text and NOTE.split(";")[0] in text
    with pikepdf.open(path) as pdf:
        sizes = [(int(x.Width), int(x.Height)) for page in pdf.pages
                 for x in page.get_images().values()]
    assert (16, 16) in sizes
