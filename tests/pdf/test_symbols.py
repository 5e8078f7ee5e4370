"""warraq.pdf.symbols: the characters the math or symbol face sets are put in spans the
print stylesheet keeps from stretching their line: a list item holding a ∈ is as tall
as its neighbours and its bullet stands beside its text, read back from the layout."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

import warraq.pdf.book as print_book
from conftest import write_source
from warraq.pdf import symbols
from warraq.pipeline import prepare
from warraq.xhtml import parse_fragment, serialise_children


def test_runs_the_math_and_symbol_faces_set_are_marked_and_nothing_else():
    text = ('<p>set ∈ and ★★ here <em>x⊂y</em> tail ✓ and “quotes” — é § ©</p>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>∈</text></svg>'
            '<p lang="ar">الحمد لله ∈</p>')
    wrapper = parse_fragment(text)
    before = "".join(wrapper.itertext())
    assert symbols.mark_symbols(wrapper, "latin") == 5
    assert "".join(wrapper.itertext()) == before        # the text is the same
    marked = [s.text for s in wrapper.iter("span") if s.get("class") == symbols.CLASS]
    assert marked == ["∈", "★★", "⊂", "✓", "∈"]
    out = serialise_children(wrapper)
    assert "<text>∈</text>" in out              # a drawing's text is left alone
    assert "x<span" in out and "</span>y</em>" in out


def _line_heights(tmp_path, text: str) -> dict[str, float]:
    """The height of each line (by its text) of an English article of `text`."""
    src = write_source(tmp_path / "src", {"title": "Lines", "lang": "en", "layout":
                                          "article", "contents": ["a.md"]},
                       {"a.md": "# Lines\n\n" + text})
    layout = print_book.lay_out(prepare(src))
    found = {}
    for page in layout.document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox):
                text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                found[text.strip()] = box.height
    return found


def test_a_line_holding_a_math_character_keeps_the_paragraphs_pitch(tmp_path):
    heights = _line_heights(tmp_path, "- section: §\n- set membership: ∈\n- copyright: ©\n\n"
                                      "A ∈ inside a short sentence.\n\nA plain short sentence.\n")
    items = [heights[k] for k in ("section: §", "set membership: ∈", "copyright: ©")]
    assert items[0] == items[1] == items[2], heights
    assert heights["A ∈ inside a short sentence."] == heights["A plain short sentence."]


def test_a_line_holding_arabic_inside_english_keeps_the_paragraphs_pitch(tmp_path):
    """Amiri's ascent and descent are taller than EB Garamond's too: a run of Arabic in
    an English line (`span dir="rtl"`, warraq.transforms.language) does not stretch it
    (the sample's lines with a word of Arabic were 22.1 px against 20.5)."""
    heights = _line_heights(tmp_path, "- The word صبر in a list.\n- A plain item.\n\n"
                                      "A short sentence, الحمد لله, here.\n\n"
                                      "A plain short sentence.\n")
    assert heights["The word صبر in a list."] == heights["A plain item."], heights
    assert heights["A short sentence, الحمد لله, here."] == heights["A plain short sentence."]
