"""warraq.pdf.justify: a page that a kept unit (a heading with its first lines, a block
kept whole) left more than two lines short is justified vertically, the page before a
chapter opens is not, and the page's links and anchors follow the moved boxes. Read back
from the laid-out boxes (a small document of known geometry) and from a built article's
PDF (tests/typeset.py)."""

from __future__ import annotations

import pytest

import typeset
import warraq.pdf.book as print_book
from warraq.pdf import justify as J
from warraq.pdf.fetcher import Fetcher
from warraq.pdf.render import lay_out
from warraq.pipeline import build

#: the print-finish and fuzz checks take seconds each: the full suite runs them
pytestmark = pytest.mark.slow

CSS = """@page { size: 300px 400px; margin: 20px; }
body { margin: 0; font: 12px/20px serif; }
p { margin: 0; } h2 { margin: 20px 0 10px; font-size: 14px; line-height: 20px; }
div.kept { margin: 10px 0; break-inside: avoid; }"""


def _lines(n: int, word: str = "line") -> str:
    return "<br/>".join(f"{word} {i}" for i in range(n))


def _document(next_chapter: bool = False):
    """Page 1: 8 lines, a heading, 3 lines (270 of 360 px); a block of 6 lines kept whole
    does not fit and goes over, leaving 4.5 lines empty."""
    second = ('</section><section id="d"><p data-wq-block="d:0">' if next_chapter
              else '<p data-wq-block="c:4">')
    html = (f'<html><body><section id="c"><p data-wq-block="c:0">{_lines(8)}</p>'
            f'<h2 data-wq-block="c:1" id="h">Heading</h2>'
            f'<p data-wq-block="c:2">{_lines(3)}</p>'
            f'<div class="kept" data-wq-block="c:3">{_lines(6, "kept")}</div>'
            f'{second}{_lines(4)}</p></section></body></html>')
    document, messages = lay_out(html, CSS, Fetcher.fonts_only())
    assert messages == []
    return document


def _flow_lines(page):
    return list(J._leaves(J._main_flow(page._page_box)))


def test_a_short_page_is_justified_and_its_anchors_follow():
    document = _document()
    page = document.pages[0]
    assert J.pitch_of(document) == 20
    assert J.short_by(page._page_box, 20) == pytest.approx(4.5)
    heading_y = page.anchors["h"][1]
    bottoms = [J._bottom(line) for line in _flow_lines(page)]
    last_page = [J._bottom(line) for line in _flow_lines(document.pages[1])]

    assert J.justify(document) == [0]
    page = document.pages[0]
    moved = [J._bottom(line) for line in _flow_lines(page)]
    # the space around the heading doubles (+30), each of the 11 line spaces opens by a
    # tenth of a line (+22): 52 of the 90 px; the rest stays at the foot
    assert moved[-1] - bottoms[-1] == pytest.approx(52)
    assert J.short_by(page._page_box, 20) == pytest.approx((90 - 52) / 20)
    assert all(b > a for a, b in zip(moved, moved[1:]))          # nothing overlaps
    # 8 line spaces and the 20 px above the heading come before it
    assert page.anchors["h"][1] - heading_y == pytest.approx(8 * 2 + 20)
    # the last page is left as it was
    assert [J._bottom(line) for line in _flow_lines(document.pages[1])] == last_page


def test_the_page_before_a_chapter_is_left_short():
    document = _document(next_chapter=True)
    assert J.short_by(document.pages[0]._page_box, 20) == pytest.approx(4.5)
    assert J.justify(document) == []


# --- an article read back from its PDF ---------------------------------------------------

FILLER = ("A word spoken cannot be gathered again, and so the careful speaker weighs it "
          "twice: once for its truth and once for its effect on the one who hears it. ")
#: Seven paragraphs leave room at page 2's foot for less than a heading and two lines.
ARTICLE = ("# Short pages\n\n" + (FILLER * 4 + "\n\n") * 7 + "## A heading pushed over\n\n"
           + (FILLER * 4 + "\n\n") * 8)


#: Both builds carry one date and keep no cache: a build in the same second as the
#: other (a fast machine) would otherwise take the other's PDF from the cache.
EPOCH = "1700000000"


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    from conftest import write_source
    src = write_source(tmp_path_factory.mktemp("gaps-src"),
                       {"title": "Gaps", "lang": "en", "layout": "article",
                        "contents": ["a.md"]}, {"a.md": ARTICLE})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_book, "justify", lambda document, pitch=None: [])
        ragged = build(src, tmp_path_factory.mktemp("ragged"), ("pdf",), epoch=EPOCH, cache=False)
    justified = build(src, tmp_path_factory.mktemp("justified"), ("pdf",), epoch=EPOCH, cache=False)
    return typeset.pages(ragged.files[0]), typeset.pages(justified.files[0])


def _words(pages) -> list[str]:
    return " ".join(l.text for p in pages for l in p.lines).split()


def test_the_pushed_heading_no_longer_leaves_its_page_short(articles):
    ragged, justified = articles
    assert typeset.short_pages(ragged) == [(2, 4.0)]       # the heading and 2 lines went over
    assert typeset.short_pages(justified) == []
    assert len(ragged) == len(justified)
    assert _words(ragged) == _words(justified)              # only positions changed
    assert ragged[2].body[0].text == justified[2].body[0].text == "A heading pushed over"
