"""warraq.transforms.glyphs and warraq.fonts: every character has a glyph in the font that
sets it, checked before anything is written; a character no font has is W400 with its
code point and file:line:column."""

import pytest

from warraq.errors import SourceError
from warraq.fonts import family_codepoints, family_setting
from warraq.pipeline import build


def test_transliteration_and_half_brackets_are_covered():
    for ch in "ʿʾāīūḥṣḍṭẓĀĪŪḤṢḌṬẒ":
        assert family_setting(ch, "latin") == "EB Garamond", ch
    # EB Garamond has no ˹ ˺: Noto Serif sets them (in every weight and style)
    for ch in "˹˺":
        assert ord(ch) not in family_codepoints("EB Garamond")
        assert family_setting(ch, "latin") == "Noto Serif"
    assert family_setting("ب", "latin") == "Amiri"
    assert family_setting(" ", "arabic") == "Amiri"
    assert family_setting("א", "hebrew") == "Frank Ruhl Libre"


def test_a_character_no_font_has_fails_the_build_with_its_place(make_source, tmp_path):
    src = make_source({"title": "Glyphs", "contents": ["a.md"]}, {"a.md": (
        "# Glyphs\n\n"
        "Fine text with ˹brackets˺ and ʿAlī.\n"
        "Here is a hieroglyph 𓀀 and a cuneiform sign 𒀀.\n")})
    out = tmp_path / "out"
    with pytest.raises(SourceError) as err:
        build(src, out)
    found = {(d.file, d.line, d.column, d.code) for d in err.value.diagnostics}
    assert found == {("a.md", 4, 22, "W400"), ("a.md", 4, 45, "W400")}  # columns count characters
    messages = str(err.value)
    assert "U+13000 EGYPTIAN HIEROGLYPH A001" in messages
    assert "U+12000 CUNEIFORM SIGN A" in messages
    assert not out.exists() or not any(out.iterdir())        # nothing written


def test_metadata_characters_are_checked_too(make_source, tmp_path):
    src = make_source({"title": "Signs 𓀀", "contents": ["a.md"]}, {"a.md": "# A\n\nText.\n"})
    with pytest.raises(SourceError) as err:
        build(src, tmp_path / "out")
    (d,) = err.value.diagnostics
    assert (d.file, d.line, d.column, d.code) == ("book.yaml", 1, 14, "W400")


def test_font_usage_is_a_field_the_transform_sets(make_source):
    from warraq.pipeline import prepare
    from warraq.readers import load_book
    from warraq.transforms.glyphs import families_used, family_usage
    src = make_source({"title": "Fonts", "contents": ["a.md"]},
                      {"a.md": "# Fonts\n\nText with صبر and ˹brackets˺.\n"})
    book = prepare(src)
    assert book.fonts.families == ("EB Garamond", "Noto Serif", "Amiri")
    assert "ص" in book.fonts.chars["Amiri"] and "˹" in book.fonts.chars["Noto Serif"]
    assert (700, "normal") in book.fonts.styles["EB Garamond"]          # the headings
    assert family_usage(book) == dict(book.fonts.chars)
    unread = load_book(src)                 # not through the transforms: worked out
    assert unread.fonts is None and families_used(unread) == list(book.fonts.families)
