"""warraq.pdf.relayout: the words to keep whole are set in WeasyPrint's box tree (the
word in a text box of its own that does not hyphenate, counted as `warraq.pdf.breaks`
counts a layout's lines), and a galley mended in place lays out again only the pages its
new words can change, yet gives the PDF a fresh layout keeping the same words gives,
byte for byte, round after round of the mending."""

from __future__ import annotations

import random

import pytest
from weasyprint.formatting_structure import boxes

import warraq.pdf.book as print_book
from conftest import write_source
from warraq.pdf import breaks, pagemap
from warraq.pdf import render as weasy
from warraq.pdf.breaks import NOTE_ATTR
from warraq.pdf.fetcher import Fetcher
from warraq.pdf.pagemap import ATTR
from warraq.pdf.pagesetup import PageSetup
from warraq.pdf.document import book_trim
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import prepare

CSS = ".footnote { float: footnote } p { hyphens: auto }"


def _galley(body: str):
    made, _, _ = weasy.galley(f'<html lang="en"><body>{body}</body></html>', CSS,
                              Fetcher.fonts_only())
    return made


def _texts(box, out=None) -> list[tuple[str, str]]:
    """(text, hyphens) of every text box under `box`, in order."""
    out = [] if out is None else out
    if isinstance(box, boxes.TextBox):
        out.append((box.text, box.style["hyphens"]))
    for child in getattr(box, "children", ()):
        _texts(child, out)
    return out


def _all_texts(made) -> list[tuple[str, str]]:
    out = _texts(made.root)
    for note in made.notes:
        _texts(note, out)
    return out


def test_the_word_a_break_falls_in_gets_a_text_box_that_does_not_hyphenate():
    made = _galley(f'<p {ATTR}="c:0">One <em>two</em> three grandmother, four.</p>')
    # "One", "two", "three" and "grand" are 3 + 3 + 5 + 5 counted characters
    assert made.keep(frozenset({("c:0", 16)})) == {"c:0"}
    texts = _all_texts(made)
    assert ("grandmother,", "none") in texts
    assert [t for t, _ in texts] == ["One ", "two", " three ", "grandmother,", " four."]
    assert {h for t, h in texts if t != "grandmother,"} == {"auto"}


def test_a_block_counts_without_its_nested_blocks_and_a_note_counts_its_own_text():
    made = _galley(f'<ul><li {ATTR}="c:0">Al<span class="footnote" {NOTE_ATTR}="c:1">note '
                   f'text</span>pha<p {ATTR}="c:1">nested</p> betterment</li></ul>')
    assert made.keep(frozenset({("c:0", 9), ("note:c:1", 6)})) == {"c:0", "note:c:1"}
    kept = [t for t, h in _all_texts(made) if h == "none"]
    assert kept == ["betterment", "text"]


def test_a_break_at_an_element_edge_or_a_space_or_in_no_block_keeps_nothing():
    made = _galley(f'<p {ATTR}="c:0">al-<em>ḥamdu</em> word</p>')
    before = _all_texts(made)
    assert made.keep(frozenset({("c:0", 3), ("c:0", 8), ("c:9", 2)})) == frozenset()
    assert _all_texts(made) == before


def test_a_galley_never_keeps_fewer_words():
    made = _galley(f'<p {ATTR}="c:0">One grandmother.</p>')
    made.lay_out(frozenset({("c:0", 6)}))
    with pytest.raises(ValueError):
        made.lay_out(frozenset())


# --- a mended galley against fresh layouts ----------------------------------------------

WORDS = ("patience gratitude holding rope promise silence answer hardship the of and "
         "a to in it is was he for on are as with his they at be this from have or by "
         "grammar grandmother threshold obedience wrongdoing traveller understanding "
         "responsibility acknowledgement correspondence encouragement").split()


def _chapter(seed: int) -> str:
    rng = random.Random(seed)
    out = []
    for n in range(30):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 120)))
        note = f"[^n{n}]" if n % 3 == 1 else ""
        out.append(words.capitalize() + "." + note)
    notes = [f"[^n{n}]: " + " ".join(rng.choice(WORDS) for _ in range(8 + 9 * (n % 4)))
             + "." for n in range(30) if n % 3 == 1]
    return "## Mended\n\n" + "\n\n".join(out) + "\n\n" + "\n\n".join(notes) + "\n"


@pytest.mark.slow
def test_a_galley_mended_round_by_round_gives_a_fresh_layouts_bytes(tmp_path):
    """An article (laid out whole: a book's chapters are laid out alone in the same
    galleys, tests/pdf/test_parts.py)."""
    src = write_source(tmp_path / "src", {"title": "Galley", "lang": "en", "layout":
                                          "article", "trim": "5 x 8 in",
                                          "contents": ["a.md"]},
                       {"a.md": _chapter(3)})
    book = pagemap.numbered(prepare(src))
    profile = PROFILES["print"]
    page = PageSetup.for_book(book_trim(book), 1, False, profile.bleed, profile.min_margin)
    layout = print_book._lay_out(book, profile, page)
    keep: frozenset = frozenset()
    rounds, made = 0, []
    while True:
        found = breaks.faults(layout.document)
        if found <= keep:
            break
        keep |= found
        layout = layout.again(keep)
        rounds += 1
        made += [(layout.galley.made, layout.pages)]
        fresh = print_book._lay_out(book, profile, page, keep)
        assert fresh.galley.made == fresh.pages
        mended_pdf, _ = weasy.write(layout.document)
        fresh_pdf, _ = weasy.write(fresh.document)
        assert mended_pdf == fresh_pdf
    assert rounds >= 1 and layout.pages > 8
    # only the pages the new words can change were laid out again
    assert 0 < sum(m for m, _ in made) < sum(n for _, n in made), made
    # a word kept whole on a late page: the pages before it are not laid out again
    layout = print_book._lay_out(book, profile, page)
    late = max(breaks.faults(layout.document), key=layout.galley._last.page_of)
    at = layout.galley._last.page_of(late)
    assert at >= 3
    again = layout.again(frozenset({late}))
    assert again.galley.made <= again.pages - at
    fresh = print_book._lay_out(book, profile, page, frozenset({late}))
    assert weasy.write(again.document)[0] == weasy.write(fresh.document)[0]
