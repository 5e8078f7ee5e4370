"""Every script has a glyph (issue 10, item 6): Greek, Cyrillic, Devanagari, Bengali,
Tamil, Thai, Khmer, Chinese, Japanese, Korean, math and emoji are set by fallback
families from font packages, embedded (subset) in the PDF and in the EPUB; a book
chooses faces with Pandoc's font keys; what no font has is W400, one per script."""

import io
import subprocess
import zipfile

import pytest
from fontTools.ttLib import TTFont

from warraq.errors import SourceError
from warraq.fonts import family_setting
from warraq.pipeline import build

from readback import Pdf, epubcheck_problems

QUOTES = {
    "Greek": "Ἐν ἀρχῇ ἦν ὁ λόγος",
    "Russian": "В начале было Слово",
    "Hindi": "हिन्दी में एक वाक्य",
    "Bengali": "বাংলা",
    "Tamil": "தமிழ்",
    "Thai": "ภาษาไทย",
    "Khmer": "ខ្មែរ",
    "Chinese": "中文的句子",
    "Japanese": "日本語の文です",
    "Korean": "한국어 문장입니다",
    "Math": "∑ xᵢ ∈ ℝ, ∀ε ∃δ",
    "Emoji": "😀 ❤",
}
CHAPTER = "# Quoting the world\n\n" + "\n\n".join(f"{k}: {v}." for k, v in QUOTES.items()) + "\n"


@pytest.mark.parametrize("name,expected", [
    ("Hindi", "Noto Sans Devanagari"), ("Bengali", "Hind Siliguri"), ("Tamil", "Noto Sans Tamil"),
    ("Thai", "Noto Sans Thai"), ("Khmer", "Noto Sans Khmer"), ("Chinese", "Noto Serif CJK JP"),
    ("Korean", "Noto Serif CJK JP"), ("Greek", "EB Garamond"), ("Russian", "EB Garamond")])
def test_each_script_has_its_family(name, expected):
    letters = [c for c in QUOTES[name] if c.isalpha()]
    assert {family_setting(c) for c in letters} == {expected}


def test_math_and_emoji_are_set_by_the_math_and_symbol_faces():
    assert family_setting("∈") == "STIX Math"
    assert family_setting("😀") == "Symbola"
    assert family_setting("∈", "mono") == "STIX Math"


@pytest.fixture(scope="module")
def scripts_build(tmp_path_factory):
    from conftest import write_source
    root = tmp_path_factory.mktemp("scripts")
    src = write_source(root / "src", {"title": "Every Script", "date": "2024-01-01",
                                      "contents": ["a.md"]}, {"a.md": CHAPTER})
    return build(src, root / "out")


def test_a_chapter_quoting_every_script_builds_without_a_warning(scripts_build):
    assert scripts_build.warnings == []           # WeasyPrint warns on every .notdef


@pytest.mark.slow
def test_the_epub_quoting_every_script_is_epubcheck_clean(scripts_build):
    epub = next(p for p in scripts_build.files if p.suffix == ".epub")
    assert epubcheck_problems(epub) == []


def test_the_pdf_embeds_each_family_and_its_text_reads_back(scripts_build):
    pdf_path = next(p for p in scripts_build.files if p.suffix == ".pdf")
    names = {f["name"] for f in Pdf(pdf_path).fonts()}
    assert all(f["embedded"] for f in Pdf(pdf_path).fonts())
    for family in ("Noto-Sans-Devanagari", "Hind-Siliguri", "Noto-Sans-Tamil", "Noto-Sans-Thai",
                   "Noto-Sans-Khmer", "Noto-Serif-CJK-JP", "STIX-Math", "Symbola"):
        assert any(family in n for n in names), (family, names)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for name in ("Greek", "Russian", "Chinese", "Japanese", "Korean", "Thai", "Tamil"):
        assert QUOTES[name] in text.replace("\n", " "), name
    for char in "∑∈😀":
        assert char in text


def test_the_epub_fonts_hold_every_character(scripts_build):
    epub = next(p for p in scripts_build.files if p.suffix == ".epub")
    covered: set[int] = set()
    with zipfile.ZipFile(epub) as z:
        fonts = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
        for name in fonts:
            covered |= set(TTFont(io.BytesIO(z.read(name))).getBestCmap())
        css = next(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    # the CJK and math faces have PostScript outlines: OpenType; the others TrueType
    assert {n.rsplit("/", 1)[1] for n in fonts} >= {
        "NotoSerifCJKJP-400-normal.otf", "STIXMath-400-normal.otf", "Symbola-400-normal.ttf"}
    wanted = {ord(c) for v in QUOTES.values() for c in v if not c.isspace()}
    assert wanted - covered == set()
    assert '"Noto Serif CJK JP"' in css and '"STIX Math"' in css


def test_a_book_chooses_its_faces_with_pandoc_keys(make_source, tmp_path):
    src = make_source({"title": "Chosen", "contents": ["a.md"], "mainfont": "Noto Serif",
                       "CJKmainfont": "noto-sans-cjk", "monofont": "fontpkg-source-code-pro"},
                      {"a.md": "# Chosen\n\nLatin text and 日本語 and `code`.\n"})
    result = build(src, tmp_path / "out", formats=("pdf",))
    names = {f["name"] for f in Pdf(next(p for p in result.files if p.suffix == ".pdf")).fonts()}
    assert any("Noto-Sans-CJK-JP" in n for n in names), names
    assert not any("Noto-Serif-CJK" in n for n in names)
    assert not any("EB-Garamond" in n for n in names)     # Noto Serif is the text face
    assert result.warnings == []


def test_an_unknown_font_is_an_error_at_its_line(make_source, tmp_path):
    src = make_source("title: T\ncontents: [a.md]\nmathfont: no-such-font\n",
                      {"a.md": "# A\n\nText.\n"})
    with pytest.raises(SourceError) as err:
        build(src, tmp_path / "out")
    (d,) = err.value.diagnostics
    assert (d.file, d.line, d.code) == ("book.yaml", 3, "W109")
    assert "no-such-font" in d.message and "noto-serif-cjk" in d.message


def test_what_no_font_has_is_one_w400_per_script_naming_a_package(make_source, tmp_path):
    src = make_source({"title": "Glyphs", "contents": ["a.md"]}, {"a.md": (
        "# Glyphs\n\nHieroglyphs 𓀀 𓀁 and 𓀀 again.\n\nCuneiform 𒀀.\n\nPrivate \ue000.\n")})
    with pytest.raises(SourceError) as err:
        build(src, tmp_path / "out")
    found = sorted((d.line, d.column, d.message.split(":")[0]) for d in err.value.diagnostics)
    assert found == [(3, 13, "2 characters of Egyptian no font has"),
                     (5, 11, "a character of Cuneiform no font has"),
                     (7, 9, "a character of Private use no font has")]
    messages = str(err.value)
    assert "U+13000 EGYPTIAN HIEROGLYPH A001 3:13 3:21" in messages
    assert "fonts-noto-core" in messages
