"""Arabic in both outputs, read back: the PDF's text gives back every Arabic run as the
author wrote it (pypdf, after NFC), set in Amiri, with no .notdef glyph; the EPUB embeds
the fonts, subset to exactly the characters each one sets, with their licences; the
Hijri date is in the EPUB metadata, the PDF's XMP and both title pages; verses hold
together on one page."""

import io
import re
import unicodedata
from pathlib import Path

import lxml.etree as ET
import pikepdf
import pytest
from fontTools.ttLib import TTFont

from conftest import write_source
from readback import NS, Epub, Pdf
from warraq.readers.book import load_book
from warraq.pipeline import build
from warraq.transforms import language
from warraq.transforms.glyphs import TEMPLATE_TEXT
from warraq.transforms.language import runs, script_of_char
from warraq.pdf import book as pdf_writer
from warraq.pdf.tounicode import choose

#: Vocalised verse, common phrases, lam-alef ligatures, Allah ligature, digits: no markup.
ARABIC_MD = """\
# Greetings

They greeted each other with السلام عليكم, and he answered.

The creed begins لا إله إلا الله, which every child learns.

وَإِذَا سَأَلَكَ عِبَادِي عَنِّي فَإِنِّي قَرِيبٌ ۖ أُجِيبُ دَعْوَةَ الدَّاعِ إِذَا دَعَانِ

::: verse
لَئِن شَكَرْتُمْ لَأَزِيدَنَّكُمْ

If you are grateful, I will surely give you more.

Qur'an 14:7
:::

He said ٱلسَّلَامُ عَلَيْكُمْ and then إِنَّ ٱللَّهَ مَعَ ٱلصَّٰبِرِينَ, twice, in ١٤٤٥.
"""


@pytest.fixture(scope="module")
def arabic_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("arabic-src")
    write_source(folder, {"title": "Arabic Test", "lang": "en", "date": "2024-06-16",
                          "layout": "article", "contents": ["a.md"]}, {"a.md": ARABIC_MD})
    return build(folder, tmp_path_factory.mktemp("arabic-dist"))


def output(result, suffix):
    return next(p for p in result.files if p.suffix == suffix)


def nfc(text):
    return unicodedata.normalize("NFC", text)


def squash(text):
    return re.sub(r"\s+", "", nfc(text))


def source_runs(book):
    """Every Arabic-script run of every paragraph-like element of the chapters."""
    out = []
    for chapter in book.chapters:
        root = ET.fromstring(f"<div>{chapter.html}</div>")
        for el in root.iter("p", "h1", "h2", "li", "cite"):
            text = "".join(el.itertext())
            out += [text[a:b] for a, b, s in runs(text) if s == "arabic"]
    return out


@pytest.mark.parametrize("which", ["sample_build", "arabic_build"])
def test_pdf_text_gives_back_every_arabic_run(which, request):
    result = request.getfixturevalue(which)
    text = squash(" ".join(Pdf(output(result, ".pdf")).page_texts()))
    wanted = source_runs(result.book)
    assert len(wanted) >= 5
    for run in wanted:
        assert squash(run) in text, run


def test_without_the_tounicode_fix_the_vocalised_verse_comes_back_wrong(arabic_build,
                                                                         monkeypatch):
    """The check above would catch a regression: WeasyPrint's own maps fail it."""
    import pypdf
    monkeypatch.setattr(pdf_writer, "fix_to_unicode", lambda data: data)
    data, _ = pdf_writer.render_pdf(arabic_build.book)
    text = squash(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
    assert any(squash(run) not in text for run in source_runs(arabic_build.book))


def test_choose_prefers_the_glyphs_own_text():
    # WeasyPrint's entry for a kasra drawn with its letter, "بِ": the mark alone wins
    assert choose(frozenset({"\u0650"}), "ب\u0650") == "\u0650"
    # a lam-alef ligature stands for both letters
    assert choose(frozenset({"لا", "لأ"}), "لأ") == "لأ"
    # a glyph that stands for several texts: the one inside WeasyPrint's entry
    assert choose(frozenset({"ي", "ئ"}), "ئ\u0650") == "ئ"
    # a connecting piece stands for nothing
    assert choose(frozenset({""}), "ك") == ""


@pytest.mark.parametrize("which", ["sample_build", "arabic_build"])
def test_arabic_is_drawn_in_amiri_with_no_notdef(which, request):
    path = output(request.getfixturevalue(which), ".pdf")
    pdf = Pdf(path)
    by_font: dict[str, set[str]] = {}
    for page in pdf.reader.pages:
        def visit(text, cm, tm, font, size):
            if font is not None:
                by_font.setdefault(str(font.get("/BaseFont")), set()).update(text)
        page.extract_text(visitor_text=visit)
    arabic_fonts = {name for name, chars in by_font.items()
                    if any(script_of_char(c) == "arabic" for c in chars)}
    assert arabic_fonts and all("Amiri" in name for name in arabic_fonts)
    with pikepdf.open(path) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                font = TTFont(io.BytesIO(
                    obj.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()))
                glyphs = font["maxp"].numGlyphs
                cmap = obj.ToUnicode.read_bytes()
                entries = re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", cmap)
                # WeasyPrint always lists glyph 0 as U+FFFF; a glyph it could not find
                # gets an id past the font's last glyph: there must be none
                gids = [int(g, 16) for g, text in entries if (g, text) != (b"0000", b"ffff")]
                assert gids and 0 not in gids and max(gids) < glyphs, obj.BaseFont


@pytest.mark.allow_weasyprint_warnings
def test_weasyprint_missing_glyph_warning_is_caught_and_the_build_refuses_first(tmp_path):
    folder = write_source(tmp_path / "src", {"title": "T", "contents": ["a.md"]},
                          {"a.md": "# A\n\nA private sign \U000f0000 here.\n"})
    # straight to WeasyPrint, skipping the check: it draws .notdef and says so. (A
    # plane-15 private-use character: system fonts such as STIX do cover U+E000, and
    # Pango falls back to them when warraq's own fonts lack a glyph.)
    _, warnings = pdf_writer.render_pdf(language.transform(load_book(folder)))
    assert any(".notdef" in w and "U+F0000" in w for w in warnings)
    # the build stops before WeasyPrint with W400 at the character's place
    from warraq.errors import SourceError
    with pytest.raises(SourceError) as err:
        build(folder, tmp_path / "out")
    assert [(d.code, d.file, d.line, d.column) for d in err.value.diagnostics] == [
        ("W400", "a.md", 3, 16)]
    assert "U+F0000" in str(err.value)


def test_english_is_hyphenated_and_arabic_never(sample_build):
    texts = Pdf(output(sample_build, ".pdf")).page_texts()
    lines = [line for t in texts for line in t.splitlines()]
    hyphenated = [line for line in lines if line.rstrip().endswith(("\u2010", "-"))]
    assert any(re.search(r"[a-z]\u2010$", line.rstrip()) for line in hyphenated)
    assert not any(script_of_char(line.rstrip()[-2]) for line in hyphenated if len(line) > 1)


def test_verses_hold_together_on_one_page(sample_build):
    texts = [squash(t) for t in Pdf(output(sample_build, ".pdf")).page_texts()]
    checked = 0
    for chapter in sample_build.book.chapters:
        root = ET.fromstring(f"<div>{chapter.html}</div>")
        for verse in root.iter("blockquote"):
            if verse.get("class") != "verse":
                continue
            parts = [squash("".join(el.itertext())) for el in verse if el.tag in ("p", "footer")]
            assert len(parts) == 3
            pages = [{i for i, t in enumerate(texts) if part in t} for part in parts]
            assert set.intersection(*pages), parts
            checked += 1
    assert checked == 2


def test_hijri_date_in_the_metadata_and_on_the_title_page(sample_build):
    epub = Epub(output(sample_build, ".epub"))
    assert "warraq: https://warraq.invalid/ns/1.0/" in epub.opf.get("prefix")
    assert epub.meta("warraq:hijri-date") == ["1445-03-19"]
    title = b"".join(epub.read(h) for h in epub.spine_hrefs() if "titlepage" in h).decode()
    assert "19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE" in title
    pdf = Pdf(output(sample_build, ".pdf"))
    xmp = pdf.xmp()
    assert xmp.find(".//{https://warraq.invalid/ns/1.0/}hijri_date").text == "1445-03-19"
    pages = [nfc(t) for t in pdf.page_texts()]
    title_page = next(t for t in pages if "Three short essays" in t)
    assert "19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE" in title_page
    afterword = next(t for t in pages if "Afterword" in t and "Leeds" in t)
    assert "Written in Leeds, 19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE" in " ".join(
        afterword.split())


def test_article_head_shows_the_hijri_date(arabic_build):
    epub = Epub(output(arabic_build, ".epub"))
    first = epub.read(epub.spine_hrefs()[1]).decode()
    assert "10 Dhū al-Ḥijja 1445 AH · 16 June 2024 CE" in first
    assert "10 Dhū al-Ḥijja 1445 AH" in nfc(Pdf(output(arabic_build, ".pdf")).page_texts()[0])


def _epub_text_chars(epub: Epub) -> set[str]:
    chars = set()
    for root in epub.xhtml_documents().values():
        body = root.find("x:body", NS)
        chars.update("".join(body.itertext()))
    return chars


def _chars_in_arabic_elements(epub: Epub) -> set[str]:
    """The characters inside elements marked lang="ar" (what the Arabic face sets)."""
    chars = set()
    for root in epub.xhtml_documents().values():
        for el in root.iter(f"{{{NS['x']}}}*"):
            if el.get("lang") == "ar":
                chars.update(c for c in "".join(el.itertext()) if c not in "\n\t")
    return chars


@pytest.mark.parametrize("which", ["sample_build", "arabic_build"])
def test_epub_embeds_the_fonts_subset_to_the_text(which, request):
    result = request.getfixturevalue(which)
    epub = Epub(output(result, ".epub"))
    css = epub.read(next(e.get("href") for e in epub.manifest().values()
                         if e.get("media-type") == "text/css")).decode()
    faces = re.findall(r'@font-face \{ font-family: "([^"]+)"; src: url\("\.\./([^"]+)"\) '
                       r'format\("(\w+)"\); font-weight: (\d+); font-style: (\w+); \}', css)
    assert {f for f, *_ in faces} >= {"EB Garamond", "Amiri"}
    manifest = {e.get("href"): e for e in epub.manifest().values()}
    used = _epub_text_chars(epub)
    arabic_used = {c for c in used if script_of_char(c) == "arabic"}
    assert arabic_used
    allowed = {ord(c) for c in used | set(TEMPLATE_TEXT)}
    for family, href, css_format, weight, style in faces:
        # TrueType or OpenType (Kindle keeps no WOFF), named and typed as what it holds
        font = TTFont(io.BytesIO(epub.read(href)))
        kind = "otf" if font.sfntVersion == "OTTO" else "ttf"
        assert (href.rsplit(".", 1)[1], manifest[href].get("media-type"), css_format) == (
            kind, f"font/{kind}", {"otf": "opentype", "ttf": "truetype"}[kind])
        assert font.flavor is None and "fvar" not in font            # static instances
        assert font["OS/2"].usWeightClass == int(weight)
        cmap = set(font.getBestCmap())
        assert cmap <= allowed, (href, sorted(chr(c) for c in cmap - allowed))
        if family == "Amiri":
            # exactly what the Arabic elements hold: every letter, mark, digit, space
            assert cmap == {ord(c) for c in _chars_in_arabic_elements(epub)}
            features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
            assert {"init", "medi", "fina"} <= features                # still joins
        if family == "Noto Serif":
            assert {ord("˹"), ord("˺")} <= cmap
    licences = [h for h in manifest if h.startswith("text/warraq_licence-")]
    assert {Path(h).stem.removeprefix("warraq_licence-") for h in licences} == {
        re.sub(r"[^A-Za-z]", "", f).lower() for f, *_ in faces}
    for href in licences:
        assert b"SIL OPEN FONT LICENSE" in epub.read(href).upper()


def test_weasyprint_sets_arabic_rtl_unhyphenated_unspaced_and_never_justified(arabic_build):
    """The boxes WeasyPrint lays out: every Arabic text box is right to left, in Amiri
    first, never hyphenated or letter-spaced; an Arabic block is right-aligned (or
    centred), never justified; the English around it is hyphenated."""
    from weasyprint.formatting_structure import boxes

    from warraq.pdf.fetcher import Fetcher
    from warraq.pdf.render import lay_out
    from warraq.templating import render
    book = arabic_build.book
    ctx = pdf_writer.context(book, pdf_writer.PageSetup())
    document, _ = lay_out(render("pdf/book.html", **ctx), render("pdf/book.css", **ctx),
                          Fetcher.for_book(book))

    def walk(box, block=None):
        if isinstance(box, boxes.BlockBox):
            block = box
        if isinstance(box, boxes.TextBox):
            yield box, block
        for child in getattr(box, "children", []):
            yield from walk(child, block)

    arabic_boxes = english_boxes = 0
    for page in document.pages:
        for box, block in walk(page._page_box):
            if any(script_of_char(c) == "arabic" for c in box.text):
                arabic_boxes += 1
                style = box.style
                assert style["direction"] == "rtl", box.text
                assert style["hyphens"] == "manual" and style["letter_spacing"] in (0, "normal")
                assert style["font_family"][0] == "Amiri"
                if block.style["direction"] == "rtl":      # an Arabic block
                    assert block.style["text_align_all"] in ("right", "center")
                    assert block.style["text_align_last"] != "justify"
            elif (box.text.strip() and block is not None and block.element_tag == "p"
                  and box.style["lang"] == "en"):
                english_boxes += 1
                assert box.style["hyphens"] == "auto"
    assert arabic_boxes >= 6 and english_boxes > 3
