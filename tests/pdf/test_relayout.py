"""warraq.pdf.relayout: the words to keep whole are set in WeasyPrint's box tree (the
word in a text box of its own that does not hyphenate, counted as `warraq.pdf.breaks`
counts a layout's lines), and a galley mended in place lays out again only the pages its
new words can change, yet gives the PDF a fresh layout keeping the same words gives,
byte for byte, round after round of the mending."""

from __future__ import annotations

import random

import pytest

import warraq.pdf.book as print_book
from boxtree import galley, texts
from conftest import write_source
from warraq.pdf import breaks, pagemap, relayout
from warraq.pdf import render as weasy
from warraq.pdf.pagesetup import PageSetup
from warraq.pdf.document import book_trim
from warraq.pdf.pagemap import ATTR
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import prepare

def test_a_galley_never_keeps_fewer_words():
    made = galley(f'<p {ATTR}="c:0">One grandmother.</p>')
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


def test_a_galley_moved_to_another_folio_gives_the_layout_started_there(tmp_path):
    """A chapter laid out from folio 1 and moved to folio 41 (`Galley.refolio`: only
    its margin boxes are made again) is the PDF of the chapter laid out from folio 41,
    byte for byte, its page numbers read back from the text."""
    from warraq.pdf.parts import Part
    src = write_source(tmp_path / "src", {"title": "Moved", "lang": "en", "trim":
                                          "5 x 8 in", "contents": ["a.md", "b.md", "c.md"]},
                       {"a.md": "# First\n\nThe first one.\n", "b.md": "# Moved\n\n"
                        + _chapter(4), "c.md": "# Next\n\nThe next one.\n"})
    book = pagemap.numbered(prepare(src))
    profile, cid = PROFILES["print"], book.chapters[1].id
    page = PageSetup.for_book(book_trim(book), 1, True, profile.bleed, profile.min_margin)
    here = print_book._lay_out(book, profile, page, frozenset(), cid, None,
                               Part(start=None, follow=True))
    there = print_book._lay_out(book, profile, page, frozenset(), cid, None,
                                Part(start=41, follow=True))
    moved = here.at(41, there.source)
    assert moved is not None and moved.source == there.source
    assert here.pages == there.pages == moved.pages > 5

    def own(layout):        # (without the next chapter's opening)
        return weasy.write(layout.document.copy(layout.document.pages[:-1]))[0]
    assert own(moved) == own(there)
    assert own(moved) != own(here)
    folios = [pagemap.printed_folio(p) for p in moved.document.pages[:-1]]
    numbered = [int(f) for f in folios if f is not None]
    assert numbered and all(41 <= n < 41 + moved.pages for n in numbered)


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


@pytest.mark.slow
def test_a_book_with_contents_mended_in_place_is_weasyprints_own_layout(tmp_path,
                                                                        monkeypatch):
    """A one-chapter book is laid out whole, its contents page printing the pages of the
    headings (`target-counter`): the galley makes that page again once they are known,
    as WeasyPrint's own loop does, and the mended book is the PDF WeasyPrint's own
    layout of the same words gives."""
    text = _chapter(5).replace("## Mended", "# Mended\n\n## A part") + (
        "\n## Another part\n\nShort.\n")
    src = write_source(tmp_path / "src", {"title": "Galley", "lang": "en",
                                          "trim": "5 x 8 in", "contents": ["a.md"]},
                       {"a.md": text})
    book = pagemap.numbered(prepare(src))
    profile = PROFILES["print"]
    page = PageSetup.for_book(book_trim(book), 1, False, profile.bleed, profile.min_margin)
    layout = print_book._lay_out(book, profile, page)
    assert layout.galley.incremental
    keep: frozenset = frozenset()
    for _ in range(4):
        found = breaks.faults(layout.document)
        if found <= keep:
            break
        keep |= found
        layout = layout.again(keep)
        assert layout.galley.made < layout.pages
    assert keep
    monkeypatch.setattr(relayout, "supported", lambda: False)
    own = print_book._lay_out(book, profile, page, keep)
    assert not own.galley.incremental
    assert weasy.write(layout.document)[0] == weasy.write(own.document)[0]
    contents = [p for p in layout.document.pages
                if "Contents" in " ".join(t for t, _ in texts(p._page_box))]
    assert contents and any(t.strip().isdigit() and t.strip() != "0"
                            for t, _ in texts(contents[0]._page_box))
