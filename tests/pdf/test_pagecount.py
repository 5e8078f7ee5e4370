"""warraq.pdf.pagecount and the layout it steers (warraq.pdf.book.lay_out): the predicted
page count is near the laid-out one, a right prediction lays the book out once, and a
wrong one lays it out again and ends where counting up from one page ends, in the same
bytes."""

import pytest

from conftest import SAMPLE
from readback import Pdf
from warraq.pdf import book as print_book
from warraq.pdf import pagemap, pagesetup
from warraq.pdf.document import book_trim
from warraq.pdf.pagecount import predict_pages
from warraq.pdf.pagesetup import PageSetup
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import prepare

WORDS = ("patience gratitude holding rope hand promise task silence answer gain loss delay "
         "river market bread salt road friend garden well lamp night rain harvest").split()


def _text(n: int, seed: int) -> str:
    words = [WORDS[(i * 7 + seed) % len(WORDS)] for i in range(n)]
    return " ".join(words).capitalize() + "."


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    """One chapter of ten or eleven pages, laid out in about a second: ten pages with the
    first band's gutter, eleven with the second's."""
    from conftest import write_source
    text = ("# Part 1\n\n" + "\n\n".join(_text(90, 3 + k) for k in range(16))
            + "\n\n> " + _text(20, 1) + "\n\n1. " + _text(10, 1) + "\n   a. " + _text(8, 1)
            + "\n")
    folder = write_source(tmp_path_factory.mktemp("small"), {
        "title": "Small", "author": "A. Writer", "lang": "en", "date": "2024-01-01",
        "layout": "book", "contents": ["c1.md"]}, {"c1.md": text})
    return prepare(folder)


def _predicted(book) -> int:
    return predict_pages(book, PageSetup.for_book(book_trim(book), 1, True))


def test_the_prediction_is_near_the_laid_out_count(sample_build, second_build, small_book):
    for result in (sample_build, second_build):
        laid_out = len(Pdf(next(p for p in result.files if p.suffix == ".pdf")).reader.pages)
        assert abs(_predicted(result.book) - laid_out) <= max(2, laid_out * 0.1)
    laid_out = print_book.lay_out(small_book).pages
    assert abs(_predicted(small_book) - laid_out) <= 2


def test_more_text_or_a_smaller_trim_predicts_more_pages(small_book):
    import dataclasses
    base = _predicted(small_book)
    twice = dataclasses.replace(small_book, chapters=small_book.chapters * 2)
    small = dataclasses.replace(small_book, meta=dataclasses.replace(small_book.meta,
                                                                     trim="5x8"))
    assert _predicted(twice) >= base + 5            # a second chapter of five pages or more
    assert _predicted(small) > base
    wide = PageSetup.for_book(book_trim(small_book), 1, True)
    narrow = PageSetup.for_book(book_trim(small_book), 800, True)   # the widest gutter
    assert predict_pages(small_book, narrow) >= predict_pages(small_book, wide)


@pytest.fixture
def layouts(monkeypatch):
    """The gutter (inner margin less the air) and page count of every layout `lay_out`
    makes to find the band (not those that mend the hyphenation after it)."""
    made = []
    real = print_book._lay_out

    def counting(book, profile, page, keep=frozenset(), only=None, sheets=None):
        layout = real(book, profile, page, keep, only, sheets)
        if not keep:
            made.append((round(page.inner - pagesetup.INNER_AIR, 4), layout.pages))
        return layout
    monkeypatch.setattr(print_book, "_lay_out", counting)
    return made


def test_a_right_prediction_lays_the_book_out_once(small_book, layouts):
    layout = print_book.lay_out(small_book)
    assert layouts == [(0.375, layout.pages)]


@pytest.mark.slow
def test_a_missed_prediction_lays_out_again_into_the_same_bytes(small_book, layouts,
                                                                 monkeypatch):
    """Forced to predict 1,000 pages (the widest gutter), the first layout's count sends
    the book back to the first band; the PDF is the one a right prediction makes."""
    right, _ = print_book.render_pdf(small_book)
    assert len(layouts) == 1
    monkeypatch.setattr(print_book, "predict_pages", lambda *a, **k: 1000)
    missed, _ = print_book.render_pdf(small_book)
    assert [band for band, _ in layouts] == [0.375, 0.875, 0.375]
    assert missed == right


def _count_at(book, gutter_pages: int) -> int:
    page = PageSetup.for_book(book_trim(book), gutter_pages, True)
    return print_book._lay_out(pagemap.numbered(book), PROFILES["print"], page).pages


@pytest.fixture(scope="module")
def counts(small_book):
    """The book's page count with the first band's gutter and with the second's."""
    return _count_at(small_book, 1), _count_at(small_book, 200)


def _tight_table(monkeypatch, counts, both_hold: bool) -> int:
    """Move the first band's edge next to the book's count: to the count (both bands
    could hold the book: the first band's layout fits it, the second's is too long for
    the first) or just below it (only the second band holds it). Returns the edge."""
    first, second = counts
    assert second > first              # the wider gutter costs this book a page
    edge = first if both_hold else first - 1
    table = ((edge, 0.375), (edge + 40, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
    monkeypatch.setattr(pagesetup, "GUTTER_TABLE", table)
    return edge


def _band_page(book, pages: int) -> PageSetup:
    return PageSetup.for_book(book_trim(book), pages, True)


@pytest.mark.parametrize("both_hold", [True, False])
def test_counting_up_from_one_page_ends_in_the_narrowest_band_that_holds(
        small_book, counts, monkeypatch, both_hold):
    """The old loop (`pages_hint=1`: lay out with the first band, then the band of the
    count) is what the prediction must reproduce."""
    edge = _tight_table(monkeypatch, counts, both_hold)
    up = print_book.lay_out(small_book, pages_hint=1)
    assert up.pages == counts[0 if both_hold else 1]
    assert up.page == _band_page(small_book, 1 if both_hold else edge + 1)


_GUESSES = [pytest.param(g, b, marks=() if (g, b) in (("high", True), ("first", False))
                         else pytest.mark.slow)
            for g in ("first", "low", "high", "widest") for b in (True, False)]


@pytest.mark.parametrize("guess,both_hold", _GUESSES)
def test_every_guess_ends_in_the_band_counting_up_finds(small_book, counts, layouts,
                                                        monkeypatch, guess, both_hold):
    """Whatever the prediction (one page, the edge, just above it, the widest gutter),
    the layout ends where counting up from one page ends (the test above), with the
    same page count: a guess just above an edge both bands hold is checked against the
    band below."""
    edge = _tight_table(monkeypatch, counts, both_hold)
    forced = {"first": 1, "low": edge, "high": edge + 1, "widest": 1000}[guess]
    monkeypatch.setattr(print_book, "predict_pages", lambda *a, **k: forced)
    found = print_book.lay_out(small_book)
    expected = _band_page(small_book, 1 if both_hold else edge + 1)
    assert (found.page, found.pages) == (expected, counts[0 if both_hold else 1])
    assert 1 <= len(layouts) <= 3


def test_profiles_without_mirrored_margins_lay_out_once(small_book, layouts):
    print_book.lay_out(small_book, PROFILES["screen"])
    assert len(layouts) == 1


def test_the_sample_predicts_its_band(sample_build):
    book = prepare(SAMPLE)
    laid_out = len(Pdf(next(p for p in sample_build.files if p.suffix == ".pdf")).reader.pages)
    assert pagesetup.gutter_for(_predicted(book)) == pagesetup.gutter_for(laid_out)
