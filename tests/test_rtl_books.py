"""A book whose language is Arabic (issue 11), read back: `dir="rtl"` on every XHTML
root, the spine's page-progression-direction, the PDF's /Direction R2L and its gutter
on the right of odd pages, the contents' title in Arabic, Arabic dates and digits; in
the screen PDF, `/Lang` on elements in another language than the document's, one list
across a page break, running heads and folios as artefacts. And the direction rule in
an English book: a mostly-Arabic paragraph is right to left."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from conftest import write_source
from readback import NS, Epub, Pdf, struct_elements, xml
from warraq.pipeline import build, prepare
from warraq.pdf.profiles import PROFILES

META = {"title": "رسالة في الصبر", "author": "يوسف الرحمن", "lang": "ar",
        "date": "2024-06-16", "contributor": [{"name": "سارة أحمد", "role": "edt"}],
        "contents": ["one.md", "two.md"]}
ENGLISH = ("The second chapter carries an English paragraph, to check that it is set left "
           "to right and justified like English text in an English book, with lines long "
           "enough to wrap several times across the whole width of the text block. ") * 3
ONE = """\
# الباب الأول

الصبر نصف الإيمان، وهو حبس النفس عن الجزع واللسان عن الشكوى.

قال أحد الشرّاح (in his *Commentary*, 1998) إن الصبر ثلاثة أنواع.[^1]

> Patience is not the ability to wait, but the ability to keep a good attitude.

[^1]: هذا التقسيم مشهور عند أهل العلم.
"""
TWO = f"# الباب الثاني\n\nوالصبر على البلاء أشد أنواع الصبر.\n\n{ENGLISH}\n"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rtl-src")
    write_source(folder, META, {"one.md": ONE, "two.md": TWO})
    return build(folder, tmp_path_factory.mktemp("rtl-dist"),
                 profiles=(PROFILES["print"], PROFILES["screen"]))


def _file(result, suffix):
    return next(p for p in result.files if p.name.endswith(suffix))


def test_epub_is_right_to_left(arabic):
    epub = Epub(_file(arabic, ".epub"))
    spine = epub.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    docs = epub.xhtml_documents()
    for href, root in docs.items():
        if "licence" in href:              # the fonts' licences are English
            assert root.get("lang") == "en" and root.get("dir") is None
            continue
        assert root.get("dir") == "rtl", href
        assert root.get("lang") == "ar", href
    nav = docs[epub.nav_href()]
    assert nav.find(".//x:h1", NS).text == "المحتويات"
    copyright_text = "".join(docs["text/warraq_copyright.xhtml"].itertext())
    assert "تحرير: سارة أحمد" in copyright_text
    assert "١٠ ذو الحجة ١٤٤٥ هـ" in "".join(docs["text/warraq_titlepage.xhtml"].itertext())


def test_english_inside_is_isolated(arabic):
    doc = xml(Epub(_file(arabic, ".epub")).read("text/one.xhtml"))
    spans = [s for s in doc.iter(f"{{{NS['x']}}}span") if s.get("dir") == "ltr"]
    assert ["".join(s.itertext()) for s in spans] == ["in his Commentary, 1998"]
    assert all(s.get("lang") == "en" for s in spans)
    quote = doc.find(".//x:blockquote/x:p", NS)
    assert (quote.get("lang"), quote.get("dir")) == ("en", "ltr")


def _word_boxes(path, page):
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                          "-"], capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), w) for a, b, c, w in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', out)]


def test_pdf_is_bound_on_the_right(arabic):
    path = _file(arabic, "rsala-fy-alsbr.pdf")
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.ViewerPreferences.Direction) == "/R2L"
        width = float(pdf.pages[0].TrimBox[2])
    texts = Pdf(path).page_texts()
    assert "المحتويات" in texts[4]
    page = next(n for n, t in enumerate(texts, 1) if "The second chapter" in t)
    assert page % 2 == 1                               # chapters open on odd pages
    words = [w for w in _word_boxes(path, page) if re.fullmatch(r"[A-Za-z,.]+", w[3])]
    lines = sorted({round(w[1]) for w in words})[:-1]  # full (justified) lines
    left = min(w[0] for w in words if round(w[1]) in lines)
    right = width - max(w[2] for w in words if round(w[1]) in lines)
    assert right > left + 1                            # the gutter is on the right
    folio = texts[page - 1].strip().splitlines()[-1]
    assert re.fullmatch("[٠-٩]+", folio.strip())       # Arabic-Indic folios


def test_western_digits_key(tmp_path):
    write_source(tmp_path, {**META, "digits": "western"}, {"one.md": ONE, "two.md": TWO})
    book = prepare(tmp_path)
    assert book.dates.dateline_text == "10 ذو الحجة 1445 هـ الموافق 16 يونيو 2024 م"


def test_screen_pdf_tags(arabic):
    with pikepdf.open(_file(arabic, ".screen.pdf")) as pdf:
        assert str(pdf.Root.Lang) == "ar"
        prefs = pdf.Root.ViewerPreferences
        assert str(prefs.Direction) == "/R2L" and bool(prefs.DisplayDocTitle)
        elements = list(struct_elements(pdf.Root.StructTreeRoot))
        english = [e for e in elements if str(e.get("/Lang", "")) == "en"]
        assert {str(e.S) for e in english} >= {"/P", "/Span"}
        pages_with_folio = [p for p in pdf.pages
                            if re.search(rb"/Artifact\s+BMC", p.Contents.read_bytes())]
        assert len(pages_with_folio) >= 3


def test_english_book_arabic_lang_and_one_list(tmp_path):
    items = "\n".join(f"{n}. Item number {n} of a long list that runs over a page."
                      for n in range(1, 70))
    text = ("# Mixed\n\nهذه فقرة عربية في معظمها (with an English aside) تنتهي هنا.\n\n"
            "إِنَّ ٱللَّهَ مَعَ ٱلصَّٰبِرِينَ\n\n" + items + "\n")
    write_source(tmp_path / "src", {"title": "Mixed", "contents": ["a.md"]}, {"a.md": text})
    result = build(tmp_path / "src", tmp_path / "out", formats=("pdf",),
                   profiles=(PROFILES["screen"],))
    chapter = result.book.chapters[0].html
    assert '<p dir="rtl"><span lang="ar" dir="rtl">هذه فقرة' in chapter
    assert '<span dir="ltr">with an English aside</span>' in chapter
    with pikepdf.open(_file(result, ".screen.pdf")) as pdf:
        assert len(pdf.pages) >= 3
        elements = list(struct_elements(pdf.Root.StructTreeRoot))
        assert [str(e.get("/Lang")) for e in elements if str(e.S) == "/P"
                and "/Lang" in e] == ["ar"]
        # the chapter's list (the contents are a list of their own)
        chapter_lists = [e for e in elements if str(e.S) == "/L" and len(e.K) > 10]
        assert len(chapter_lists) == 1
        items = [k for k in chapter_lists[0].K if str(k.S) == "/LI"]
        assert len(items) == 69
        assert len({k.Pg.objgen for k in items}) >= 2          # it runs over a page break


def test_quotes_and_contributors_by_language(tmp_path):
    write_source(tmp_path, META, {"one.md": '# باب\n\nقال: "الصبر ضياء" ثم سكت.\n',
                                  "two.md": TWO})
    book = prepare(tmp_path)
    assert "«الصبر ضياء»" in book.chapters[0].html


def test_pdf_copyright_lists_every_contributor(arabic):
    texts = Pdf(_file(arabic, "rsala-fy-alsbr.pdf")).page_texts()
    assert any("تحرير: سارة أحمد" in t for t in texts[:4])
