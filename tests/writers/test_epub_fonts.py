"""The EPUB's embedded fonts, read back: every character the EPUB shows is in every file
of the family that sets it (the first family of its script's stack with a glyph for
it), EPUBCheck is clean, and each file of a variable family is a static instance at its
declared weight: the advance widths and outlines of the variable font at that weight."""

import io
import re

import pytest
import uharfbuzz as hb
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont

from conftest import write_source
from readback import NS, Epub, epubcheck_problems
from warraq.fonts import faces, family_setting, needs_glyph
from warraq.pipeline import build
from warraq.transforms.language import ARABIC_SCRIPT_LANGS

MD = """\
# Fonts

Plain text with *italic*, **bold** and ***both***, ˹a bracket˺, “quotes” — and dashes;
æ, ß, ğ, ō, ṣ and ḥ with their marks.

He said السَّلَامُ عَلَيْكُمْ twice, in ١٤٤٥, and then **لا إله إلا الله** in bold.

The Hebrew שָׁלוֹם sits here too, and *ٱلْحَمْدُ لِلَّهِ* in italic.
"""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FACE = re.compile(r'@font-face \{ font-family: "([^"]+)"; src: url\("\.\./([^"]+)"\) '
                  r'format\("(?:truetype|opentype)"\); font-weight: (\d+); font-style: (\w+); \}')


@pytest.fixture(scope="module")
def epub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fonts-src")
    write_source(folder, {"title": "Fonts", "lang": "en", "date": "2024-06-16",
                          "layout": "article", "contents": ["a.md"]}, {"a.md": MD})
    result = build(folder, tmp_path_factory.mktemp("fonts-dist"), formats=("epub",))
    return Epub(next(p for p in result.files if p.suffix == ".epub"))


def _script(lang: str, script: str) -> str:
    primary = lang.split("-")[0].lower()
    if primary in ARABIC_SCRIPT_LANGS:
        return "arabic"
    return "hebrew" if primary in ("he", "yi") else ("latin" if lang else script)


def _texts(el, script="latin"):
    """(text, script) of every text node under `el`, the script from the nearest lang."""
    script = _script(el.get("lang") or el.get(XML_LANG) or "", script)
    if el.text:
        yield el.text, script
    for child in el:
        yield from _texts(child, script)
        if child.tail:
            yield child.tail, script


def _embedded(epub):
    css = next(epub.read(e.get("href")).decode() for e in epub.manifest().values()
               if e.get("media-type") == "text/css")
    return [(family, int(weight), style, TTFont(io.BytesIO(epub.read(href))))
            for family, href, weight, style in FACE.findall(css)]


#: warraq's own pages: the copyright page and the fonts' licences.
OWN_PAGES = re.compile(r"(^|/)warraq_(copyright|licence-[a-z]+)\.xhtml$")


def _missing(epub, pages):
    """(page, family, character) for every character shown on `pages` (a predicate on
    the href) that a file of the family setting it lacks; and the characters seen, by
    script."""
    files: dict[str, list[set[int]]] = {}
    for family, _, _, font in _embedded(epub):
        files.setdefault(family, []).append(set(font.getBestCmap()))
    missing, seen = [], {}
    for href, root in epub.xhtml_documents().items():
        if not pages(href):
            continue
        for text, script in _texts(root.find("x:body", NS)):
            for char in filter(needs_glyph, text):
                family = family_setting(char, script)
                seen.setdefault(script, set()).add(char)
                if family not in files or any(ord(char) not in c for c in files[family]):
                    missing.append((href, family, char))
    return missing, seen


def test_every_character_is_in_each_file_of_the_family_that_sets_it(epub):
    assert {"EB Garamond", "Noto Serif", "Amiri", "Frank Ruhl Libre"} <= {
        family for family, *_ in _embedded(epub)}
    missing, seen = _missing(epub, lambda href: not OWN_PAGES.search(href))
    assert missing == []
    assert {"ل", "َ", "١"} <= seen["arabic"] and "ש" in seen["hebrew"]
    assert {"˹", "ß", "ḥ", "æ"} <= seen["latin"]


def test_warraqs_own_pages_are_in_the_subsets_too(epub):
    missing, _ = _missing(epub, OWN_PAGES.search)
    assert missing == []


def test_the_epub_with_these_fonts_is_epubcheck_clean(epub):
    assert epubcheck_problems(epub.path) == []


def _bounds(font: TTFont, glyph: str):
    pen = ControlBoundsPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    return pen.bounds


def test_variable_families_are_instanced_at_their_weights(epub):
    """Measured against HarfBuzz's own evaluation of the variable font at that weight
    (a path independent of the subsetter's instancing), to within rounding."""
    variable = {(f.family, f.style): f.path for f in faces() if " " in f.weight}
    checked = set()
    for family, weight, style, font in _embedded(epub):
        if (family, style) not in variable:
            continue
        assert "fvar" not in font and "gvar" not in font
        assert font["OS/2"].usWeightClass == weight
        source = hb.Font(hb.Face(hb.Blob.from_file_path(str(variable[family, style]))))
        source.set_variations({"wght": weight})
        for code, glyph in font.getBestCmap().items():
            gid = source.get_nominal_glyph(code)
            assert abs(font["hmtx"][glyph][0] - source.get_glyph_h_advance(gid)) <= 1, \
                (family, weight, chr(code))
            box, extents = _bounds(font, glyph), source.get_glyph_extents(gid)
            if box is not None:
                x_min, _, _, y_max = box
                assert abs(x_min - extents.x_bearing) <= 1 and \
                    abs(y_max - extents.y_bearing) <= 1, (family, weight, chr(code))
        checked.add((family, weight))
    assert {("EB Garamond", 400), ("EB Garamond", 700)} <= checked
