"""warraq.pdf.keepwhole: the word a hyphenation fault names gets a text box of its own
in WeasyPrint's box tree, with `hyphens: none`, found by the count `warraq.pdf.breaks`
uses (a block without its nested blocks and notes; nothing at an element's edge or a
space)."""

from __future__ import annotations

from boxtree import all_texts, galley
from warraq.pdf.breaks import NOTE_ATTR
from warraq.pdf.pagemap import ATTR


def test_the_word_a_break_falls_in_gets_a_text_box_that_does_not_hyphenate():
    made = galley(f'<p {ATTR}="c:0">One <em>two</em> three grandmother, four.</p>')
    # "One", "two", "three" and "grand" are 3 + 3 + 5 + 5 counted characters
    assert made.keep(frozenset({("c:0", 16)})) == {"c:0"}
    texts = all_texts(made)
    assert ("grandmother,", "none") in texts
    assert [t for t, _ in texts] == ["One ", "two", " three ", "grandmother,", " four."]
    assert {h for t, h in texts if t != "grandmother,"} == {"auto"}


def test_a_block_counts_without_its_nested_blocks_and_a_note_counts_its_own_text():
    made = galley(f'<ul><li {ATTR}="c:0">Al<span class="footnote" {NOTE_ATTR}="c:1">note '
                   f'text</span>pha<p {ATTR}="c:1">nested</p> betterment</li></ul>')
    assert made.keep(frozenset({("c:0", 9), ("note:c:1", 6)})) == {"c:0", "note:c:1"}
    kept = [t for t, h in all_texts(made) if h == "none"]
    assert kept == ["betterment", "text"]


def test_a_break_at_an_element_edge_or_a_space_or_in_no_block_keeps_nothing():
    made = galley(f'<p {ATTR}="c:0">al-<em>ḥamdu</em> word</p>')
    before = all_texts(made)
    assert made.keep(frozenset({("c:0", 3), ("c:0", 8), ("c:9", 2)})) == frozenset()
    assert all_texts(made) == before
