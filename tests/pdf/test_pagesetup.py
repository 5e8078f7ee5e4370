"""warraq.pdf.pagesetup and the `trim` / `paper` keys: presets, custom sizes, the KDP gutter
table, and errors for sizes warraq cannot print."""

import pytest

from warraq.errors import SourceError
from warraq.pdf.pagesetup import TRIMS, PageSetup, gutter_for, parse_trim
from warraq.readers.schema import parse_metadata


@pytest.mark.parametrize("text, points", [
    ("5x8", (360, 576)), ("5.25x8", (378, 576)), ("5.5 x 8.5", (396, 612)), ("6x9", (432, 648)),
    ("A5", (419.528, 595.276)), ("royal", (442.205, 663.307)), ("156 x 234 mm", (442.205, 663.307)),
    ("A4", (595.276, 841.89)), ("letter", (612, 792)), ("US Letter", (612, 792)),
    ("7 x 10", (504, 720)), ("7in x 10in", (504, 720)), ("140 x 216 mm", (396.85, 612.283)),
])
def test_presets_and_custom_sizes(text, points):
    trim = parse_trim(text)
    assert trim is not None
    assert trim.points == pytest.approx(points, abs=0.002)


@pytest.mark.parametrize("text", ["banana", "6x", "2 x 9", "6 in x 230 mm", "20 x 30"])
def test_sizes_warraq_cannot_print_are_refused(text):
    assert parse_trim(text) is None


@pytest.mark.parametrize("pages, gutter", [
    (1, 0.375), (24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
    (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875)])
def test_gutter_follows_kdp_table(pages, gutter):
    assert gutter_for(pages) == gutter
    page = PageSetup.for_book(TRIMS["6x9"], pages)
    assert page.inner == pytest.approx(gutter + 0.25)


def test_a_minimum_margin_lifts_every_side():
    page = PageSetup.for_book(TRIMS["5x8"], 10, min_margin=0.7)
    assert min(page.top, page.bottom, page.inner, page.outer) == 0.7


def test_trim_and_paper_keys_are_checked_together():
    meta, _ = parse_metadata("title: T\ncontents: [a.md]\ntrim: royal\npaper: cream\n")
    assert (meta.trim, meta.paper) == ("royal", "cream")
    with pytest.raises(SourceError) as err:
        parse_metadata("title: T\ncontents: [a.md]\ntrim: huge\npaper: blue\n")
    lines = [str(d) for d in err.value.diagnostics]
    assert lines[0].startswith("book.yaml:3:7: error W109: `trim` must be one of")
    assert lines[1].startswith("book.yaml:4:8: error W109: `paper` must be one of white, cream")
